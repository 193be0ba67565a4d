//! How deep a timeline's brackets nest, found in one pass before a reader sees the text:
//! the YAML reader slows to minutes on absurd depths, and the JSON reader refuses at 128.

use super::error::{ErrorCode, TimelineError};

/// The deepest the JSON reader follows: it refuses a 128th level itself (serde_json's
/// recursion limit), with a message of its own, so this is the most the limit may allow.
pub(super) const JSON_DEPTH: usize = 127;

/// The error for brackets nested deeper than `limit` (`Limits::nesting`: far beyond any
/// timeline, and far short of where the YAML reader slows; a hundred thousand levels took it
/// half a minute to refuse), found in one pass before the reader sees the text. `json` for
/// JSON and NDJSON, whose reader follows no more than [`JSON_DEPTH`] levels whatever is
/// asked (a YAML file's limit is the one asked, up to the ceiling).
pub(super) fn nested(
    text: &str,
    limit: usize,
    file: &str,
    json: bool,
) -> Option<Vec<TimelineError>> {
    let at = too_deep(text, limit)?;
    let help = if json && limit >= JSON_DEPTH {
        "a timeline needs a few levels at most, so this is not a timeline (JSON is read to at most 127 levels, whatever the limit)"
    } else {
        "a timeline needs a few levels at most, so this is not a timeline; if it is, raise the limit with --max-nesting"
    };
    let (line, column) = crate::source::Source::new("", text).line_col(at);
    Some(vec![TimelineError {
        code: ErrorCode::Unreadable,
        file: file.to_string(),
        line,
        column,
        field: None,
        message: format!("brackets nested more than {limit} deep"),
        help: Some(help.to_string()),
    }])
}

/// Where the text first nests brackets deeper than `limit`, outside quotes and comments.
/// Byte by byte: every character this looks at is ASCII, and no byte of a longer UTF-8
/// character is an ASCII byte, so offsets stay on character boundaries (YAML separates a
/// comment's `#` by a space or tab, both ASCII).
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    // Brackets cannot nest deeper than there are opening brackets: an event's line has a few,
    // and counting them is a fast pass (no state to follow), so the scan below is needed only
    // for text with more than the limit.
    // `[` (0x5B) and `{` (0x7B) differ in one bit only: one comparison a byte, counted in
    // byte-wide lanes over runs short enough not to overflow, which the compiler does many
    // bytes at a time (summed as `usize` a byte at a time, this was 4% of a streamed audit).
    let opening: usize = text
        .as_bytes()
        .chunks(255)
        .map(|run| {
            let n = run
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b | 0x20 == b'{')));
            usize::from(n)
        })
        .sum();
    if opening <= limit {
        return None;
    }
    let (mut depth, mut quote, mut comment, mut prev) = (0usize, None, false, b' ');
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        match (quote, c) {
            _ if comment => comment = c != b'\n',
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'#') if prev.is_ascii_whitespace() => comment = true,
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
        i += 1;
    }
    None
}
