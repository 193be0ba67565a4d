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
                    match Timeline::load_within(&text, format, &name, self.rs, &self.limits) {
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
                match Timeline::load_within(&text, Format::Yaml, self.file, self.rs, &self.limits) {
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
        message: if moved {
            shift_lines(&e.message, lines)
        } else {
            e.message
        },
        help: e
            .help
            .map(|h| if moved { shift_lines(&h, lines) } else { h }),
    }
}

/// `text` with each "line N" it says of the timeline (outside quotations) moved by `lines`:
/// an error that names another event's line ("the first is at line 2") counted from the
/// start of a timeline written inside a test file, not from the file's.
fn shift_lines(text: &str, lines: usize) -> String {
    // Quotations are the user's own words, kept as written.
    crate::wording::outside_quotes(text, |part| {
        let mut out = String::with_capacity(part.len());
        let mut rest = part;
        while let Some(i) = rest.find("line ") {
            let (before, after) = rest.split_at(i + "line ".len());
            out.push_str(before);
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match after.get(..digits).and_then(|d| d.parse::<usize>().ok()) {
                Some(number) => out.push_str(&(number + lines).to_string()),
                None => out.push_str(after.get(..digits).unwrap_or("")),
            }
            rest = after.get(digits..).unwrap_or("");
        }
        out.push_str(rest);
        out
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_named_in_words_is_moved_but_not_in_a_quotation() {
        assert_eq!(
            super::shift_lines("the first is at line 2; `line 3` as written", 6),
            "the first is at line 8; `line 3` as written"
        );
        assert_eq!(super::shift_lines("no line here", 6), "no line here");
    }
}
