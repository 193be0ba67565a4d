//! Phase one: the text to a [`TimelineInput`], refusing an empty text and text that is not
//! YAML or JSON of a timeline's shape.

use super::error::{ErrorCode, TimelineError};
use super::input::{Format, TimelineInput};
use crate::limits::Limits;

/// The timeline `text` holds, or the one error that stops it being read.
pub(super) fn read(
    text: &str,
    format: Format,
    file: &str,
) -> Result<TimelineInput, Vec<TimelineError>> {
    read_within(text, format, file, &Limits::default())
}

/// [`read`] within `limits`: the longest line (YAML and NDJSON), the deepest nesting, the most
/// events.
pub(super) fn read_within(
    text: &str,
    format: Format,
    file: &str,
    limits: &Limits,
) -> Result<TimelineInput, Vec<TimelineError>> {
    let input = read_shape(text, format, file, limits)?;
    if input.events.len() > limits.events {
        let (line, column) = crate::source::Source::new("", text)
            .line_col(text.find("events").unwrap_or(0));
        return Err(vec![TimelineError {
            code: ErrorCode::Unreadable,
            file: file.to_string(),
            line,
            column,
            field: Some("events".into()),
            message: format!(
                "the timeline holds more than the {} events one timeline may hold",
                limits.events
            ),
            help: Some(
                "split it by day or by month; if it is meant, raise the limit with --max-events"
                    .into(),
            ),
        }]);
    }
    Ok(input)
}

fn read_shape(
    text: &str,
    format: Format,
    file: &str,
    limits: &Limits,
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
        Format::Ndjson => super::ndjson::read(text, file, limits),
        Format::Json => {
            // The JSON reader refuses past 128 levels itself; the limit may ask for fewer.
            if let Some(e) = nested(text, limits.nesting().min(JSON_DEPTH), &unreadable) {
                return Err(e);
            }
            serde_json::from_str(text).map_err(|e| unreadable(e.line(), e.column(), e.to_string()))
        }
        Format::Yaml => {
            if let Some(e) = nested(text, limits.nesting(), &unreadable) {
                return Err(e);
            }
            if let Some(e) = long_line(text, limits.line_chars, &unreadable) {
                return Err(e);
            }
            serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                unreadable(line, column, e.to_string())
            })
        }
    }
}

/// The deepest the JSON reader follows.
const JSON_DEPTH: usize = 128;

type Unreadable<'a> = dyn Fn(usize, usize, String) -> Vec<TimelineError> + 'a;

/// The error for brackets nested deeper than `limit` (`Limits::nesting`: far beyond any
/// timeline, and far short of where the YAML reader slows; a hundred thousand levels took it
/// half a minute to refuse), found in one pass before the reader sees the text.
fn nested(text: &str, limit: usize, unreadable: &Unreadable<'_>) -> Option<Vec<TimelineError>> {
    let at = too_deep(text, limit)?;
    let (line, column) = crate::source::Source::new("", text).line_col(at);
    let mut e = unreadable(line, column, format!("brackets nested more than {limit} deep"));
    if let Some(first) = e.first_mut() {
        first.help = Some(
            "a timeline needs a few levels at most; this is not a timeline (if it is, raise the limit with --max-nesting)".into(),
        );
    }
    Some(e)
}

/// The error for the first line longer than `limit` characters (`Limits::line_chars`).
fn long_line(text: &str, limit: usize, unreadable: &Unreadable<'_>) -> Option<Vec<TimelineError>> {
    let (n, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.len() > limit && l.chars().count() > limit)?;
    let mut e = unreadable(
        n + 1,
        limit + 1,
        format!(
            "line {} is {} characters long, more than the {limit} a line may hold",
            n + 1,
            line.chars().count()
        ),
    );
    if let Some(first) = e.first_mut() {
        first.help = Some("a timeline's lines are short: is this the right file? If it is, raise the limit with --max-line-chars".into());
    }
    Some(e)
}

/// Where the text first nests brackets deeper than `limit`, outside quotes and comments.
fn too_deep(text: &str, limit: usize) -> Option<usize> {
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
                if depth > limit {
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
