//! Syntax errors: what the parser expected and what it found, at one place.

use crate::span::Span;

/// A syntax error. The parser resumes at the next item, so one file may yield several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub span: Span,
    /// What would have been accepted there, in words (`` `role` ``, `a duration like 15m`).
    pub expected: Vec<String>,
    /// What is written there instead (`end of file` at the end).
    pub found: String,
    /// The item or construct being read, if known (`a step`, `the document head`).
    pub context: Option<&'static str>,
}

impl SyntaxError {
    /// The one-line message.
    pub fn message(&self) -> String {
        let found = &self.found;
        match self.expected.as_slice() {
            [] => found.clone(),
            [one] => format!("expected {one}, found {found}"),
            [rest @ .., last] => format!("expected {} or {last}, found {found}", rest.join(", ")),
        }
    }
}
