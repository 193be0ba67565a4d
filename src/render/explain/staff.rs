//! The protocol in plain English for staff: each step, when it starts, who does it, by when,
//! why (its citations), and where it is written.

use super::{Block, Doc, Sentence};
use crate::render::show::{PersonView, StepView};

/// The staff version of a person's rules (from `vigil show`'s view).
pub fn for_staff(v: &PersonView) -> Doc {
    let who = v
        .person
        .clone()
        .unwrap_or_else(|| "a person with no protocol".into());
    let mut blocks = Vec::new();
    if !v.facts.is_empty() {
        blocks.push(Block {
            heading: format!("About {who}"),
            picture: None,
            sentences: v
                .facts
                .iter()
                .map(|f| Sentence::new(format!("{}.", upper(f)), origin(v)))
                .collect(),
        });
    }
    for p in &v.pathways {
        let mut sentences = vec![Sentence::new(
            format!("This procedure starts {}.", p.trigger),
            format!("{}; {}", p.origin, p.cites.join("; ")),
        )];
        sentences.extend(p.steps.iter().enumerate().map(|(i, s)| step(i + 1, s)));
        if !p.after_closure.is_empty() {
            sentences.push(Sentence::new(
                "When the person is found or the episode otherwise closes:",
                p.origin.clone(),
            ));
            sentences.extend(
                p.after_closure
                    .iter()
                    .enumerate()
                    .map(|(i, s)| step(i + 1, s)),
            );
        }
        blocks.push(Block {
            heading: if p.emergency {
                format!("{} (the emergency override)", p.display)
            } else {
                p.display.clone()
            },
            picture: None,
            sentences,
        });
    }
    for (title, items) in [
        ("Who may be contacted", &v.contacts),
        ("When a visit is late or missed", &v.thresholds),
        ("Visits watched", &v.visits),
        ("Known absences", &v.absences),
        ("Agreed exceptions", &v.exceptions),
    ] {
        if !items.is_empty() {
            blocks.push(Block {
                heading: title.into(),
                picture: None,
                sentences: items
                    .iter()
                    .map(|c| Sentence::new(format!("{c}."), origin(v)))
                    .collect(),
            });
        }
    }
    Doc {
        title: format!("What staff must do for {who} ({} version {})", v.framework.0, v.framework.1),
        notice: vec![Sentence::new(
            "Generated from the checked rules by `vigil explain`; the rules themselves are the authority.",
            origin(v),
        )],
        blocks,
        glossary: Vec::new(),
        easy: false,
    }
}

fn origin(v: &PersonView) -> String {
    v.protocol.clone().unwrap_or_else(|| "the framework".into())
}

fn upper(s: &str) -> String {
    crate::wording::upper_first(s)
}

/// "2. Review records: the manager (...) must do it when `notify_manager` is done or goes
/// overdue, within 15 minutes (at worst 25 minutes after the trigger), only when ...; if it
/// goes overdue, ... Why: 002 §20.1."
fn step(n: usize, s: &StepView) -> Sentence {
    let mut text = format!("{n}. {}: {} must do it {}", s.what, lower(&s.who), s.starts);
    if let Some(w) = &s.when {
        text.push_str(&format!(", only when {w}"));
    }
    match (&s.by, &s.worst) {
        (Some(by), Some(worst)) => text.push_str(&format!(", {by} ({worst})")),
        (Some(by), None) => text.push_str(&format!(", {by}")),
        (None, _) => text
            .push_str(", with no deadline (it is never overdue, and ends when the episode closes)"),
    }
    text.push('.');
    if let Some(b) = &s.breach {
        text.push_str(&format!(" {}.", upper(b)));
    }
    if !s.cites.is_empty() {
        text.push_str(&format!(" Why: {}.", crate::wording::citations(&s.cites)));
    }
    text.push_str(&format!(" Written in the {}.", s.source));
    Sentence::new(text, s.source.clone())
}

fn lower(s: &str) -> String {
    // A role's display name starts a sentence part: "the support worker".
    let l = crate::wording::lower_first(s);
    if l.starts_with("the ") {
        l
    } else {
        format!("the {l}")
    }
}
