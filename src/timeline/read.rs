//! Phase one: the text to a [`TimelineInput`], refusing an empty text and text that is not
//! YAML or JSON of a timeline's shape.

use super::error::{ErrorCode, TimelineError};
use super::input::{Format, TimelineInput};

/// The timeline `text` holds, or the one error that stops it being read.
pub(super) fn read(
    text: &str,
    format: Format,
    file: &str,
) -> Result<TimelineInput, Vec<TimelineError>> {
    // An empty text is a truncated or missing timeline, never "nothing happened"; so is a YAML
    // text of comments alone (an export that wrote only its header).
    if text.trim().is_empty() || (format == Format::Yaml && only_comments(text)) {
        let message = if text.trim().is_empty() {
            "the timeline is empty"
        } else {
            "the timeline is empty: it holds only comments"
        };
        return Err(vec![TimelineError {
            code: ErrorCode::Empty,
            file: file.to_string(),
            line: 1,
            column: 1,
            field: None,
            message: message.into(),
            help: Some(
                "write `events: []` for a timeline in which nothing has happened yet".into(),
            ),
        }]);
    }
    let explain =
        |raw: String, place| vec![super::unreadable::explain(text, format, file, &raw, place)];
    match format {
        Format::Json => {
            // A byte-order mark, as some editors write, is skipped as the YAML reader skips it.
            serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| {
                // The mark is one character of the first line, which the reader did not see.
                let column =
                    e.column() + usize::from(e.line() == 1 && text.starts_with('\u{feff}'));
                explain(e.to_string(), Some((e.line(), column)))
            })
        }
        Format::Yaml => {
            if let Some(at) = too_deep(text) {
                let (line, column) = crate::source::Source::new("", text).line_col(at);
                return Err(vec![TimelineError {
                    code: ErrorCode::Unreadable,
                    file: file.to_string(),
                    line,
                    column,
                    field: None,
                    message: format!("brackets nested more than {MAX_FLOW_DEPTH} deep"),
                    help: Some(
                        "a timeline needs a few levels at most; this is not a timeline".into(),
                    ),
                }]);
            }
            serde_yaml::from_str(text).map_err(|e| {
                let place = e.location().map(|l| (l.line(), l.column()));
                explain(e.to_string(), place)
            })
        }
    }
}

/// True for a YAML text of comments and blank lines alone (with a byte-order mark, or the
/// `---` that opens a document).
fn only_comments(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    })
}

/// The deepest a YAML timeline may nest `[` and `{`: far beyond any timeline, and far short of
/// where the YAML reader slows (a hundred thousand levels took it half a minute to refuse).
const MAX_FLOW_DEPTH: usize = 64;

/// Where the text first nests brackets deeper than [`MAX_FLOW_DEPTH`], outside quotes and
/// comments: one pass, before the YAML reader sees it.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut comment, mut prev) = (0usize, None, false, ' ');
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}
