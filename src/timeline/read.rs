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
        let (line, column) =
            crate::source::Source::new("", text).line_col(text.find("events").unwrap_or(0));
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
            // In the file's own format: YAML advice is no help in a log of JSON lines.
            help: Some(
                match format {
                    Format::Yaml => "write `events: []` for a timeline in which nothing has happened yet",
                    Format::Json => "write `{\"events\": []}` for a timeline in which nothing has happened yet",
                    Format::Ndjson => "for a log in which nothing has happened yet, write a header line that says so: `{\"from\": \"2026-11-24T00:00:00Z\", \"events\": []}`",
                }
                .into(),
            ),
        }]);
    }
    let explain =
        |raw: String, place| vec![super::unreadable::explain(text, format, file, &raw, place)];
    match format {
        Format::Ndjson => super::ndjson::read(text, file, limits),
        Format::Json => {
            if let Some(e) = super::depth::nested(
                text,
                limits.nesting().min(super::depth::JSON_DEPTH),
                file,
                true,
            ) {
                return Err(e);
            }
            // A byte-order mark, as some editors write, is skipped as the YAML reader skips it.
            serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| {
                // The mark is one character of the first line, which the reader did not see.
                // (The reader says column 0 for the break that ends a line: the line's end.)
                let column = (e.column()
                    + usize::from(e.line() == 1 && text.starts_with('\u{feff}')))
                .max(1);
                let mut raw = e.to_string();
                // A value of the wrong kind, or a key given twice, is said with its field,
                // as the YAML reader says it.
                if e.is_data() {
                    // The reader counts lines by `\n` and columns in bytes, from after the mark.
                    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
                    let line_start: usize = body
                        .split_inclusive('\n')
                        .take(e.line().saturating_sub(1))
                        .map(str::len)
                        .sum();
                    let path = super::json_path::at(body, line_start + e.column());
                    // (A file that is a list is said to be so, of no field.)
                    if !path.is_empty() && !path.starts_with('[') {
                        raw = format!("{path}: {raw}");
                    }
                }
                explain(raw, Some((e.line(), column)))
            })
        }
        Format::Yaml => {
            if let Some(e) = super::depth::nested(text, limits.nesting(), file, false) {
                return Err(e);
            }
            if let Some(e) = long_line(text, limits.line_chars, file) {
                return Err(e);
            }
            if let Some(e) = unicode_line_break(text, file) {
                return Err(e);
            }
            serde_yaml::from_str(text).map_err(|e| {
                // From the reader's byte offset, not its line: it counts a lone carriage
                // return as a line break, and Vigil's lines (and an editor's) do not.
                let place = e.location().map(|l| {
                    let at = (0..=l.index().min(text.len()))
                        .rev()
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(0);
                    crate::source::Source::new("", text).line_col(at)
                });
                explain(e.to_string(), place)
            })
        }
    }
}

/// The error for the first line longer than `limit` characters (`Limits::line_chars`).
fn long_line(text: &str, limit: usize, file: &str) -> Option<Vec<TimelineError>> {
    let (n, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.len() > limit && l.chars().count() > limit)?;
    Some(unreadable(
        file,
        (n + 1, limit + 1),
        format!(
            "line {} is {} characters long, more than the {limit} a line may hold",
            n + 1,
            line.chars().count()
        ),
        "a timeline's lines are short: is this the right file? If it is, raise the limit with --max-line-chars",
    ))
}

/// The error for a next-line, line-separator or paragraph-separator character written as it
/// is in a YAML file. The YAML reader takes each as a line break: inside a quoted value it
/// becomes a space, so an id or a name would be read silently changed (found by a docs-only
/// tester: `"r<U+0085>1"` became the id `r 1`), and the reader's lines stop being an
/// editor's. JSON reads them as characters, which the value's own checks then judge.
fn unicode_line_break(text: &str, file: &str) -> Option<Vec<TimelineError>> {
    let at = text.find(['\u{85}', '\u{2028}', '\u{2029}'])?;
    let c = text.get(at..)?.chars().next()?;
    let named =
        crate::wording::hidden(c).map_or_else(|| format!("U+{:04X}", u32::from(c)), str::to_string);
    Some(unreadable(
        file,
        crate::source::Source::new("", text).line_col(at),
        format!(
            "the file holds {named} written as it is, which a YAML reader takes as a line break: the value it is in would be read changed"
        ),
        "remove it and retype the value by hand, as text copied from a document or a web page can bring it; in free text, write an ordinary new line instead",
    ))
}

/// True for a YAML text of comments and blank lines alone (with a byte-order mark, or the
/// `---` that opens a document).
fn only_comments(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    })
}

/// A T002 at `line`:`column` of `file`.
fn unreadable(
    file: &str,
    (line, column): (usize, usize),
    message: String,
    help: &str,
) -> Vec<TimelineError> {
    vec![TimelineError {
        code: ErrorCode::Unreadable,
        file: file.to_string(),
        line,
        column,
        field: None,
        message,
        help: Some(help.to_string()),
    }]
}
