//! `vigil show`: a person's effective rules after refinement, as a view built once from the
//! rule set and then written as text, Markdown or Mermaid. Each ladder is in order, with who
//! is responsible in and out of hours, each deadline in words and at worst, where each step
//! is written (the framework, the protocol, or the protocol refining the framework) with its
//! citations; then contacts with their stage and basis, watched visits, absences and agreed
//! exceptions.

mod markdown;
mod mermaid;
mod text;
mod words;

pub use markdown::to_markdown;
pub use mermaid::to_mermaid;
pub use text::to_text;
pub(crate) use words::week_minute;

use crate::rules::{PathwayDef, PersonRules, RuleSet, StepDef};
use crate::wording::duration_words;

/// A person's effective rules, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PersonView {
    /// The person's id, or `None` for the framework's own rules (a person with no protocol).
    pub person: Option<String>,
    /// The framework's name and version.
    pub framework: (String, String),
    /// Where the protocol is written.
    pub protocol: Option<String>,
    /// Facts about the person, in words (risks, capacity, communication).
    pub facts: Vec<String>,
    /// The pathways, in the order written.
    pub pathways: Vec<PathwayView>,
    /// Contacts, in the order written: name, who, when they may be contacted, on what basis.
    pub contacts: Vec<String>,
    /// When a visit is late and missed, for each criticality: the framework's, or this
    /// person's own where their protocol sets it (and why, for a laxer one).
    pub thresholds: Vec<String>,
    /// Watched visits: their name, days and times, criticality and staff.
    pub visits: Vec<String>,
    /// Known absences.
    pub absences: Vec<String>,
    /// Agreed exceptions.
    pub exceptions: Vec<String>,
}

/// One pathway: its trigger and its ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathwayView {
    /// Its name, as written.
    pub name: String,
    /// Its display name.
    pub display: String,
    /// What opens it, in words, with its `when` if it has one.
    pub trigger: String,
    /// Where it is written (`file:line`).
    pub origin: String,
    /// Its citations.
    pub cites: Vec<String>,
    /// The ladder's steps, in order.
    pub steps: Vec<StepView>,
    /// The duties that begin when an episode closes.
    pub after_closure: Vec<StepView>,
    /// True for the emergency override (a pathway on a red flag).
    pub emergency: bool,
}

/// One step of a ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StepView {
    /// Its name.
    pub name: String,
    /// Its stage, if it has one.
    pub stage: Option<String>,
    /// What it asks, in words (in office hours, then out of hours where they differ).
    pub what: String,
    /// Who must do it: a role, or an alias with who it stands for in and out of hours.
    pub who: String,
    /// When it starts: at the trigger, or after another step (and which end of it).
    pub starts: String,
    /// The step it follows, and the branch label (`done`, `overdue`, `no_answer`, ...).
    pub after: Option<(String, String)>,
    /// By when, in words, or `None` with no deadline.
    pub by: Option<String>,
    /// At worst how long after the trigger (or closure) it falls due.
    pub worst: Option<String>,
    /// Its `when`, as written.
    pub when: Option<String>,
    /// Who is told if it is breached, and by when.
    pub breach: Option<String>,
    /// Where it is written, and whether it is the framework's, the protocol's own, or the
    /// protocol's refinement of a framework step.
    pub source: String,
    /// Its citations (the framework's first, then the protocol's).
    pub cites: Vec<String>,
}

/// The view of `person`'s rules (the framework's own with `None`), every pathway or only
/// the one named `pathway`. `Err` names what is not there, with the nearest name.
///
/// ```
/// # let sources = vec![vigil::Source::new("protocols/supported-living/framework.vigil", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())];
/// let rs = vigil::compile(&sources).unwrap();
/// let view = vigil::render::show::view(&rs, None, Some("no_response")).unwrap();
/// assert_eq!(view.pathways.len(), 1);
/// assert!(vigil::render::show::to_text(&view).contains("external_checks"));
/// assert!(vigil::render::show::view(&rs, Some("P-9999"), None).is_err());
/// ```
pub fn view(
    rs: &RuleSet,
    person: Option<&str>,
    pathway: Option<&str>,
) -> Result<PersonView, String> {
    let rules = match person {
        Some(id) => {
            let found = rs.persons().iter().find(|p| p.id == id);
            found.ok_or_else(|| unknown_person(rs, id))?
        }
        None => rs.person(""),
    };
    if let Some(name) = pathway {
        if !rules.pathways.iter().any(|p| p.name == name) {
            let names: Vec<&str> = rules.pathways.iter().map(|p| p.name.as_str()).collect();
            let near = crate::wording::did_you_mean(name, names.iter().copied()).map_or_else(
                || {
                    format!(
                        "its pathways: {}",
                        crate::wording::listed(names.iter().copied(), crate::wording::MOST_LISTED)
                    )
                },
                |n| format!("did you mean `{n}`?"),
            );
            return Err(format!("no pathway `{name}` in these rules ({near})"));
        }
    }
    let chosen = |p: &&PathwayDef| pathway.is_none_or(|n| p.name == n);
    let mut pathways: Vec<PathwayView> = rules
        .pathways
        .iter()
        .filter(chosen)
        .map(|p| pathway_view(rs, rules, p))
        .collect();
    // An agreed exception's own form of a ladder, after the ladders it stands in for.
    for e in &rules.exceptions {
        for ladder in e
            .changes
            .iter()
            .filter_map(|c| c.ladder.as_ref())
            .filter(chosen)
        {
            let mut v = pathway_view(rs, rules, ladder);
            v.display = format!("{}, during {} ({})", v.display, e.display, e.window_words());
            pathways.push(v);
        }
    }
    Ok(PersonView {
        person: person.map(str::to_string),
        framework: (rs.framework().to_string(), rs.version().to_string()),
        protocol: rules.origin.as_ref().map(|o| o.file.clone()),
        facts: words::facts(rs, rules),
        pathways,
        contacts: words::contacts(rs, rules),
        thresholds: words::thresholds(rules),
        visits: words::visits(rs, rules),
        absences: words::absences(rules),
        exceptions: words::exceptions(rules),
    })
}

/// The view's heading on one line: "P-0142 under "Example Supported Living" version 2026.1".
pub fn heading_line(v: &PersonView) -> String {
    text::heading(v).trim_end().to_string()
}

/// Who acts, in words, as `vigil show` writes it: a role, or an alias with who it stands for.
pub fn who_words(rs: &RuleSet, r: crate::rules::Responsible) -> String {
    words::who(rs, r)
}

/// A deadline in words, as `vigil show` writes it: "by 17:00 on the next working day".
pub fn deadline_words(rs: &RuleSet, d: crate::rules::DeadlineDef) -> String {
    words::deadline(rs, &[], d)
}

/// Never the nearest id: it is another person's (docs/privacy.md; found by a docs-only
/// tester).
fn unknown_person(_rs: &RuleSet, id: &str) -> String {
    format!(
        "`{id}` has no protocol in these rules (check the id against the person's protocol; the framework's own rules, which apply to a person with no protocol, are shown with --no-protocol)"
    )
}

fn pathway_view(rs: &RuleSet, rules: &PersonRules, p: &PathwayDef) -> PathwayView {
    let words = rs.trigger_words(p.trigger);
    let mut trigger = format!("on {} {words}", crate::wording::a_or_an(&words));
    if let Some((n, window)) = p.repeat {
        trigger.push_str(&format!(
            ", the {} within {}",
            crate::wording::ordinal(n as usize),
            duration_words(window)
        ));
    }
    if let Some(w) = &p.when_text {
        trigger.push_str(&format!(", when {w}"));
    }
    let ladder = |steps: &[StepDef], from: &str| -> Vec<StepView> {
        let worst = crate::check::worst_cases(rs, steps);
        steps
            .iter()
            .zip(worst)
            .map(|(s, w)| words::step(rs, rules, (steps, s), w, from))
            .collect()
    };
    // In stage order, as written: a protocol's absence steps belong to the first stage
    // ("verify whereabouts first", language.md §9.5) though they are added after the rest.
    let mut steps = ladder(&p.steps, "the trigger");
    let mut stages: Vec<Option<String>> = Vec::new();
    for st in &steps {
        if !stages.contains(&st.stage) {
            stages.push(st.stage.clone());
        }
    }
    steps.sort_by_key(|st| stages.iter().position(|x| *x == st.stage));
    PathwayView {
        name: p.name.clone(),
        display: p.display.clone(),
        trigger,
        origin: format!("{}:{}", p.origin.file, p.origin.line),
        cites: p.cites.clone(),
        steps,
        after_closure: ladder(&p.after_closure, "closure"),
        emergency: p.trigger
            == crate::rules::TriggerOn::Builtin(crate::vocab::TriggerKind::RedFlag),
    }
}
