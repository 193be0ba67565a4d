//! Byte-offset spans into a named source.
//!
//! A [`Span`] never takes part in equality or hashing, so two syntax trees that differ only
//! in where their nodes sit compare equal; tests compare structure, renderers compare spans.

use std::hash::{Hash, Hasher};

/// A half-open byte range `[start, end)` in one source text.
#[derive(Debug, Clone, Copy, Default, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span {
                start: end,
                end: start,
            }
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl PartialEq for Span {
    /// Spans are position, not meaning: every span equals every other.
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Hash for Span {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        miette::SourceSpan::new(s.start.into(), s.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_never_affect_equality() {
        assert_eq!(Span::new(0, 3), Span::new(10, 40));
    }

    #[test]
    fn backwards_spans_are_normalised() {
        let s = Span::new(9, 2);
        assert_eq!((s.start, s.end), (2, 9));
        assert_eq!(Span::new(2, 4).to(Span::new(8, 9)).end, 9);
    }
}
