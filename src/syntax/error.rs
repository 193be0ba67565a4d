//! Syntax errors: what the parser expected and what it found, at one place.
//!
//! Both are data, documented by the input that produces them, so that callers match on
//! variants instead of comparing words; [`fmt::Display`] gives the words the messages use.

use std::fmt;

use crate::span::Span;

/// A syntax error. The parser resumes at the next item, so one file may yield several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub span: Span,
    /// What would have been accepted there, in the order the message lists them.
    pub expected: Vec<Expected>,
    /// What is written there instead.
    pub found: Found,
    /// The item or construct being read, if known (`a step`, `the document head`).
    pub context: Option<&'static str>,
}

impl SyntaxError {
    /// The one-line message.
    pub fn message(&self) -> String {
        let found = &self.found;
        let words: Vec<String> = self.expected.iter().map(Expected::to_string).collect();
        match words.as_slice() {
            [] => found.to_string(),
            [one] => format!("expected {one}, found {found}"),
            [rest @ .., last] => format!("expected {} or {last}, found {found}", rest.join(", ")),
        }
    }
}

/// Something the parser would have accepted where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A keyword, shown in backticks: `` `repeated` `` for `pathway p on no_answer step`.
    Keyword(String),
    /// A punctuation mark, shown in backticks: `` `{` `` for the same input.
    Punctuation(&'static str),
    /// A kind of thing, in words: ``a duration like `15m` `` for `step s: check x by r
    /// within }`, or ``an item such as `role`, ...`` for `rol r "R"` at the top of a document.
    Phrase(&'static str),
    /// The end of the file: `framework "F" version 1 { } x`, text after the closing `}`.
    EndOfFile,
    /// The `}` that closes the document: `framework "F" version 1 {` and nothing more.
    DocumentClose,
    /// Any item, said once instead of a list of more than eight keywords. The grammar names
    /// its alternatives by group (`an item such as ...`), so no input is known to reach this
    /// today; it keeps the message short if a grammar change lists them one by one.
    AnyItem,
}

impl Expected {
    /// True for what is shown in backticks (a keyword, a mark, or a phrase that starts with
    /// one), which is how a list of item keywords is recognised as too long to print.
    pub fn is_quoted(&self) -> bool {
        match self {
            Expected::Keyword(_) | Expected::Punctuation(_) => true,
            Expected::Phrase(p) => p.starts_with('`'),
            Expected::EndOfFile | Expected::DocumentClose | Expected::AnyItem => false,
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Keyword(k) => write!(f, "`{k}`"),
            Expected::Punctuation(p) => write!(f, "`{p}`"),
            Expected::Phrase(p) => f.write_str(p),
            Expected::EndOfFile => f.write_str("the end of the file"),
            Expected::DocumentClose => f.write_str("`}` to close the document"),
            Expected::AnyItem => {
                f.write_str("an item such as `role`, `pathway`, `contact` or `step`")
            }
        }
    }
}

/// What is written where the parser stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The end of the text: `framework "F" version 1 {` with no closing `}`.
    EndOfFile,
    /// A line break. The parser skips line breaks before it looks at what is written, so no
    /// input is known to reach this today; it keeps a line break from being called a
    /// control character.
    EndOfLine,
    /// A straight quote opening a text that is never closed: `role r "Support worker` and a
    /// line break.
    StrayQuote,
    /// A whole text in quotes where something else belongs: `by "Support worker"`, where a
    /// role's name belongs.
    Text(String),
    /// A curly quote, as word processors write them: `role r “Support worker”`.
    CurlyQuote(char),
    /// A long dash where `-` belongs: `calendar c { Mon–Fri 09:00-17:00 }`.
    LongDash(char),
    /// A space that is not a plain space (a no-break space, U+00A0, as word processors
    /// write between words), just before or at the place: `role r\u{a0}"R"`.
    OddSpace(char),
    /// An invisible control character, such as a bell (U+0007) pasted between two items.
    ControlCharacter,
    /// Any other word or mark, as written: `rol` in `rol r "R"`.
    Token(String),
    /// Brackets nested deeper than the parser follows: a condition opening 65 `(` in a row.
    NestedTooDeep {
        /// The deepest nesting read.
        limit: usize,
    },
    /// More `not`s in a row than the parser follows: a condition of 65 `not`s.
    NegatedTooDeep {
        /// The most read in a row.
        limit: usize,
    },
    /// Text nested or repeated beyond the parser's own limit on work per document: a
    /// condition of 20,000 `and`s.
    TooComplex,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::EndOfFile => f.write_str("the end of the file"),
            Found::EndOfLine => f.write_str("the end of the line"),
            Found::StrayQuote => f.write_str(
                "a `\"` (is a text missing its closing quote, or split over two lines?)",
            ),
            Found::Text(t) => write!(f, "the text `\"{}\"`", t.escape_debug()),
            Found::CurlyQuote(c) => write!(f, "a curly quote `{c}` (write straight quotes `\"`)"),
            Found::LongDash(c) => write!(f, "a long dash `{c}` (write `-`)"),
            Found::OddSpace(c) => write!(
                f,
                "a space that is not a plain space (U+{:04X}, as word processors write between words; type a plain space)",
                u32::from(*c)
            ),
            Found::ControlCharacter => f.write_str("a control character"),
            Found::Token(t) => write!(f, "`{}`", t.escape_debug()),
            Found::NestedTooDeep { limit } => {
                write!(
                    f,
                    "brackets are nested more than {limit} deep, too deep to read"
                )
            }
            Found::NegatedTooDeep { limit } => {
                write!(
                    f,
                    "`not` is repeated more than {limit} times in a row, too deep to read"
                )
            }
            Found::TooComplex => f.write_str("the text is nested or repeated too deeply to read"),
        }
    }
}
