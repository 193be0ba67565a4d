//! `vigil show PERSON [PATHWAY]`: a person's effective rules, as text, Markdown or Mermaid.

use std::path::PathBuf;

use vigil::render::show;

use super::{files, Exit};

/// How `vigil show` writes the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// For a terminal.
    Text,
    /// A page for a review (tables per ladder).
    Markdown,
    /// A Mermaid flowchart of the ladders.
    Mermaid,
    /// A picture of the ladders, as SVG.
    Svg,
}

/// What `vigil show` was asked.
pub struct Args<'a> {
    pub person: Option<&'a str>,
    pub pathway: Option<&'a str>,
    pub rules: &'a [PathBuf],
    pub format: ShowFormat,
    pub colour: super::Colour,
}

/// The rule set under `rules` that holds `person` (the only one, for `None`), or why not,
/// said on standard error.
pub(super) fn rule_set_for(
    rules: &[PathBuf],
    person: Option<&str>,
    colour: super::Colour,
) -> Result<vigil::rules::RuleSet, Exit> {
    let say = super::say::Say { json: false };
    let found = files::discovered(rules)?;
    let mut rulesets = files::rule_sets(&found, None, colour, say)?;
    let index = match person {
        Some(id) => rulesets
            .iter()
            .position(|r| r.persons().iter().any(|p| p.id == id)),
        None if rulesets.len() == 1 => Some(0),
        None => {
            errln!(
                "error: the rules given hold {} frameworks; name one framework's folder with --rules to see its own rules",
                rulesets.len()
            );
            return Err(Exit::Usage);
        }
    };
    let Some(index) = index else {
        // No framework has the person. Another person's id is never offered in its place
        // (docs/privacy.md; found by a docs-only tester: `P-0422` was offered `P-0421`).
        let id = person.unwrap_or_default();
        errln!("error: `{id}` has no protocol in the rules given; check the id against the person's protocol (`vigil check` lists the rules found); the framework's own rules, for a person with no protocol, are shown with --no-protocol");
        return Err(Exit::BadInput);
    };
    Ok(rulesets.swap_remove(index))
}

/// Show the view; exit 1 if the rules have errors or the person or pathway is not there.
pub fn run(args: &Args<'_>) -> Exit {
    let rs = match rule_set_for(args.rules, args.person, args.colour) {
        Ok(rs) => rs,
        Err(exit) => return exit,
    };
    let view = match show::view(&rs, args.person, args.pathway) {
        Ok(v) => v,
        Err(e) => {
            errln!("error: {e}");
            return Exit::BadInput;
        }
    };
    let text = match args.format {
        ShowFormat::Text => show::to_text(&view),
        ShowFormat::Markdown => show::to_markdown(&view),
        ShowFormat::Mermaid => show::to_mermaid(&view),
        ShowFormat::Svg => vigil::render::svg::ladder(&view),
    };
    match super::to_stdout(text.as_bytes()) {
        Ok(_) => Exit::Ok,
        Err(e) => {
            errln!("error: cannot write: {e}");
            Exit::Usage
        }
    }
}
