//! A test's timeline: a file beside the test, or written in the test itself, loaded as any
//! timeline is, its errors placed where they are written.

use super::{ReadTimeline, Runner, TestCase, TestError, TimelineSpec};
use crate::timeline::{Format, Timeline};

impl Runner<'_> {
    /// Load test `i`'s timeline; `None` (with the errors noted) if it cannot be.
    pub(super) fn timeline(
        &mut self,
        i: usize,
        test: &TestCase,
        start: usize,
        read_timeline: &mut ReadTimeline<'_>,
    ) -> Option<Timeline> {
        let at = self.places.key(start, "timeline");
        let field = format!("tests[{i}].timeline");
        match &test.timeline {
            TimelineSpec::File(path) => match read_timeline(path) {
                Ok((name, text)) => {
                    let format = Format::from_name(&name);
                    match Timeline::load(&text, format, &name, self.rs) {
                        Ok(t) => Some(t),
                        Err(errors) => {
                            for e in errors {
                                self.report.errors.push(from_timeline(e, &name, (0, 0)));
                            }
                            None
                        }
                    }
                }
                Err(message) => {
                    self.error(
                        at,
                        field,
                        message,
                        Some("a timeline file is named relative to the test file".into()),
                    );
                    None
                }
            },
            TimelineSpec::Inline(_) => {
                let (text, line, column) = self.places.block(at);
                match Timeline::load(&text, Format::Yaml, self.file, self.rs) {
                    Ok(t) => Some(t),
                    Err(errors) => {
                        let file = self.file.to_string();
                        for e in errors {
                            let placed = from_timeline(e, &file, (line - 1, column - 1));
                            self.report.errors.push(placed);
                        }
                        None
                    }
                }
            }
        }
    }
}

/// A timeline error as a test error, moved by `(lines, columns)` when the timeline is written
/// inside the test file.
fn from_timeline(
    e: crate::timeline::TimelineError,
    file: &str,
    (lines, columns): (usize, usize),
) -> TestError {
    let moved = e.line > 0;
    TestError {
        code: Some(e.code.to_string()),
        file: file.to_string(),
        line: if moved { e.line + lines } else { e.line },
        column: if moved { e.column + columns } else { e.column },
        field: e.field,
        message: e.message,
        help: e.help,
    }
}
