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
        Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            unreadable(line, column, e.to_string())
        }),
    }
}
