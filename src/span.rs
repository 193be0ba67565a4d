//! Byte-offset spans into a named source, and the locations the syntax tree carries.
//!
//! A [`Span`] is an ordinary value: two spans are equal when they cover the same bytes. The
//! syntax tree holds its spans as [`Loc`]s, which take no part in equality or hashing, so two
//! trees that differ only in where their nodes sit compare equal: tests (and a formatter's
//! round trip) compare structure, renderers compare spans.

use std::hash::{Hash, Hasher};

/// A half-open byte range `[start, end)` in one source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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

/// Where a syntax-tree node is written: a [`Span`] that takes no part in the tree's equality
/// or hashing (position, not meaning). It reads as the span it holds.
///
/// ```
/// use vigil::span::{Loc, Span};
/// assert_eq!(Loc::new(0, 3), Loc::new(10, 40));
/// assert_ne!(Span::new(0, 3), Span::new(10, 40));
/// assert_eq!(Loc::new(2, 4).span(), Span::new(2, 4));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Loc(Span);

impl Loc {
    /// A location from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        Loc(Span::new(start, end))
    }

    /// The span it holds.
    pub fn span(self) -> Span {
        self.0
    }

    /// The smallest location covering both.
    pub fn to(&self, other: Loc) -> Loc {
        Loc(self.0.to(other.0))
    }
}

impl std::ops::Deref for Loc {
    type Target = Span;
    fn deref(&self) -> &Span {
        &self.0
    }
}

impl From<Span> for Loc {
    fn from(s: Span) -> Loc {
        Loc(s)
    }
}

impl From<Loc> for Span {
    fn from(l: Loc) -> Span {
        l.0
    }
}

impl PartialEq for Loc {
    /// Locations are position, not meaning: every location equals every other.
    fn eq(&self, _: &Loc) -> bool {
        true
    }
}

impl Eq for Loc {}

impl Hash for Loc {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl From<Loc> for miette::SourceSpan {
    fn from(l: Loc) -> Self {
        l.0.into()
    }
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
    fn locations_never_affect_equality_but_spans_do() {
        assert_eq!(Loc::new(0, 3), Loc::new(10, 40));
        assert_ne!(Span::new(0, 3), Span::new(10, 40));
    }

    #[test]
    fn backwards_spans_are_normalised() {
        let s = Span::new(9, 2);
        assert_eq!((s.start, s.end), (2, 9));
        assert_eq!(Span::new(2, 4).to(Span::new(8, 9)).end, 9);
    }
}
