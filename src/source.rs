//! Named sources: the text of one file and where it came from, and line/column lookup.

use std::sync::{Arc, OnceLock};

use crate::span::Span;

/// One source file: its display name (usually the path as given) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// The text as findings quote it ([`shown`]), made the first time one is rendered: a
    /// file with a thousand findings is masked once, not once per finding. `None` when it
    /// reads the same as the text.
    shown: OnceLock<Option<Arc<str>>>,
}

impl Source {
    /// A source called `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text: String = text.into();
        Source {
            name: Arc::from(name.into()),
            line_starts: line_starts(&text),
            text: Arc::from(text),
            shown: OnceLock::new(),
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
        line_of(&self.text, &self.line_starts, offset)
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
        line_col(&self.text, &self.line_starts, offset)
    }

    /// The text as a finding quotes it: each hidden character masked (an escape sequence
    /// quoted raw would rewrite the reader's terminal) and each carriage return that ends no
    /// line shown as `?` (a terminal would break the line there, and the line numbers beside
    /// the quote would stop matching the ones Vigil reports). Byte offsets are unchanged.
    ///
    /// ```
    /// let s = vigil::Source::new("a.vigil", "a\rb\u{1b}\r\n");
    /// assert_eq!(s.shown(), "a?b?\r\n");
    /// ```
    pub fn shown(&self) -> &str {
        self.shown
            .get_or_init(|| shown(&self.text).map(Arc::from))
            .as_deref()
            .unwrap_or(&self.text)
    }

    /// The byte offset where zero-based line `index` starts, if the text has that line.
    pub(crate) fn line_start(&self, index: usize) -> Option<usize> {
        self.line_starts.get(index).copied()
    }

    /// A miette source for rendering diagnostics against the whole file, its hidden
    /// characters masked (an escape sequence quoted raw would rewrite the reader's terminal).
    pub fn to_named(&self) -> miette::NamedSource<String> {
        let shown = crate::wording::masked(&self.text).into_owned();
        miette::NamedSource::new(crate::wording::shown(&self.name), shown)
    }
}

/// A text borrowed, not copied, with where its lines start: lines and columns for a text read
/// once and large (a timeline of a year is tens of megabytes), by the same rules as
/// [`Source`].
///
/// ```
/// let l = vigil::source::Lines::new("ab\ncd");
/// assert_eq!(l.line_col(4), (2, 2));
/// assert_eq!(l.line_of(4), 2);
/// ```
#[derive(Debug, Clone)]
pub struct Lines<'t> {
    text: &'t str,
    line_starts: Arc<[usize]>,
}

impl<'t> Lines<'t> {
    /// `text`, its lines found once.
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            line_starts: line_starts(text),
        }
    }

    /// The whole text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// One-based line of a byte offset, as [`Source::line_of`].
    pub fn line_of(&self, offset: usize) -> usize {
        line_of(self.text, &self.line_starts, offset)
    }

    /// One-based line and column of a byte offset, as [`Source::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(self.text, &self.line_starts, offset)
    }
}

/// `text` as [`Source::shown`] quotes it, or `None` if that is `text` itself.
fn shown(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let lone_return = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n');
    let masked = crate::wording::masked(text);
    if matches!(masked, std::borrow::Cow::Borrowed(_)) && !(0..bytes.len()).any(lone_return) {
        return None;
    }
    // The masked text has the same bytes at the same places (a masked character is never a
    // carriage return), so the original says which returns end no line.
    Some(
        masked
            .char_indices()
            .map(|(i, c)| if lone_return(i) { '?' } else { c })
            .collect(),
    )
}

/// Where each line of `text` starts (the first at 0).
fn line_starts(text: &str) -> Arc<[usize]> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    Arc::from(starts)
}

/// The one place an offset becomes a line: a binary search, never a scan of the text.
fn line_of(text: &str, starts: &[usize], offset: usize) -> usize {
    let offset = offset.min(text.len());
    match starts.binary_search(&offset) {
        Ok(i) => i + 1,
        Err(i) => i.max(1),
    }
}

/// The one place an offset becomes a line and a column (in characters): the column counts
/// only the characters before it on its line.
fn line_col(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = match starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let start = starts.get(line).copied().unwrap_or(0);
    let col = text
        .get(start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    (line + 1, col + 1)
}
