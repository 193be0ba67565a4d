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
    // An empty text is a truncated or missing timeline, never "nothing happened".
    if text.trim().is_empty() {
        return Err(vec![TimelineError {
            code: ErrorCode::Empty,
            file: file.to_string(),
            line: 1,
            column: 1,
            field: None,
            message: "the timeline is empty".into(),
            help: Some(
                "write `events: []` for a timeline in which nothing has happened yet".into(),
            ),
        }]);
    }
    // The reader's own line and column are kept: its message repeats them ("at line 3
    // column 5"), and the two must agree.
    let unreadable = |line: usize, column: usize, message: String| {
        vec![TimelineError {
            code: ErrorCode::Unreadable,
            file: file.to_string(),
            line,
            column,
            field: None,
            message,
            help: None,
        }]
    };
    match format {
        Format::Json => {
            serde_json::from_str(text).map_err(|e| unreadable(e.line(), e.column(), e.to_string()))
        }
        Format::Yaml => {
            if let Some(at) = too_deep(text) {
                let (line, column) = crate::source::Source::new("", text).line_col(at);
                let mut e = unreadable(
                    line,
                    column,
                    format!("brackets nested more than {MAX_FLOW_DEPTH} deep"),
                );
                if let Some(first) = e.first_mut() {
                    first.help = Some(
                        "a timeline needs a few levels at most; this is not a timeline".into(),
                    );
                }
                return Err(e);
            }
            serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                unreadable(line, column, e.to_string())
            })
        }
    }
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
