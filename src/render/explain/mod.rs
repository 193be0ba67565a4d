//! `vigil explain PERSON --audience staff|person`: the protocol in plain English for staff,
//! and an easy-read draft for the person it is about.
//!
//! Both are built as a [`Doc`] (blocks of sentences, each sentence with the rule it comes
//! from), then written as text, Markdown or HTML. The easy-read version follows the UK
//! easy-read guidance; [`easy_read_problems`] tests a document against each of its rules, and
//! the test suite runs it over every shipped protocol.

mod easy;
mod pictures;
mod rules;
mod staff;
mod write;

pub use easy::easy_read;
pub use pictures::Picture;
pub use rules::easy_read_problems;
pub use staff::for_staff;
pub use write::{to_html, to_markdown, to_text};

/// A document for people: a title, a notice, blocks of sentences, and a glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Doc {
    /// The title.
    pub title: String,
    /// Said first, before any block (for the person: that this is a draft to go through
    /// with them).
    pub notice: Vec<Sentence>,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
    /// Hard words used, each with what it means, in the order first used.
    pub glossary: Vec<(String, String)>,
    /// True for the easy-read version (written with pictures, larger type).
    pub easy: bool,
}

/// A block: a heading, one picture (easy read) and a few sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Block {
    /// Its heading.
    pub heading: String,
    /// Its picture (easy read only).
    pub picture: Option<Picture>,
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// One sentence, and the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sentence {
    /// The words.
    pub text: String,
    /// Where it comes from: `file:line` of the step or item, and its citations.
    pub source: String,
}

impl Sentence {
    pub(crate) fn new(text: impl Into<String>, source: impl Into<String>) -> Sentence {
        Sentence {
            text: text.into(),
            source: source.into(),
        }
    }
}
