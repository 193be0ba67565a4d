//! Named sources: the text of one file and where it came from, and line/column lookup.

use std::sync::Arc;

use crate::span::Span;

/// One source file: its display name (usually the path as given) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl Source {
    /// A source called `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text: String = text.into();
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            name: Arc::from(name.into()),
            text: Arc::from(text),
            line_starts: Arc::from(starts),
        }
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers (empty if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// One-based line of a byte offset: a binary search, never a scan of the text, so that
    /// asking it for every event of a one-line file stays cheap.
    ///
    /// ```
    /// let s = vigil::Source::new("a.vigil", "ab\ncd");
    /// assert_eq!(s.line_of(4), 2);
    /// ```
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// The text of one-based line `n` (without its line break), if there is such a line.
    ///
    /// ```
    /// let s = vigil::Source::new("a.vigil", "ab\ncd\n");
    /// assert_eq!(s.line(2), Some("cd"));
    /// assert_eq!(s.line(9), None);
    /// ```
    pub fn line(&self, n: usize) -> Option<&str> {
        let start = *self.line_starts.get(n.checked_sub(1)?)?;
        let end = self.line_starts.get(n).map_or(self.text.len(), |e| e - 1);
        self.text.get(start..end.max(start))
    }

    /// One-based line and column (in characters) of a byte offset. The column counts the
    /// characters before it on its line: for errors, not for every event.
    ///
    /// ```
    /// let s = vigil::Source::new("a.vigil", "ab\ncd");
    /// assert_eq!(s.line_col(4), (2, 2));
    /// ```
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// A miette source for rendering diagnostics against the whole file, its hidden
    /// characters masked (an escape sequence quoted raw would rewrite the reader's terminal).
    pub fn to_named(&self) -> miette::NamedSource<String> {
        let shown = crate::wording::masked(&self.text).into_owned();
        miette::NamedSource::new(crate::wording::shown(&self.name), shown)
    }
}
