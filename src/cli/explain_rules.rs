//! `vigil explain PERSON --audience staff|person`: the protocol in plain English for staff,
//! or as an easy-read draft for the person.

use std::path::PathBuf;

use vigil::render::explain;

use super::Exit;

/// Who the explanation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    /// Staff: each step, when, who, by when, why, and the citation.
    Staff,
    /// The person: an easy-read draft to go through with them.
    Person,
}

/// How it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Plain text, with where each sentence comes from at the end.
    Text,
    /// Markdown (pictures as `pictures/NAME.svg`; sources as comments).
    Markdown,
    /// One HTML page with its pictures inline, ready to print.
    Html,
}

/// Write the explanation; exit 1 if the person has no protocol.
pub fn run(
    person: &str,
    rules: &[PathBuf],
    (audience, format): (Audience, ExplainFormat),
    colour: super::Colour,
) -> Exit {
    let rs = match super::show::rule_set_for(rules, Some(person), colour) {
        Ok(rs) => rs,
        Err(exit) => return exit,
    };
    let doc = match audience {
        Audience::Staff => {
            vigil::render::show::view(&rs, Some(person), None).map(|v| explain::for_staff(&v))
        }
        Audience::Person => explain::easy_read(&rs, person),
    };
    let doc = match doc {
        Ok(d) => d,
        Err(e) => {
            errln!("error: {e}");
            return Exit::BadInput;
        }
    };
    let text = match format {
        ExplainFormat::Text => explain::to_text(&doc),
        ExplainFormat::Markdown => explain::to_markdown(&doc),
        ExplainFormat::Html => explain::to_html(&doc),
    };
    match super::to_stdout(text.as_bytes()) {
        Ok(_) => Exit::Ok,
        Err(e) => {
            errln!("error: cannot write: {e}");
            Exit::Usage
        }
    }
}
