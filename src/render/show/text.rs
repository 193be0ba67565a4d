//! `vigil show` as text for a terminal.

use super::{PathwayView, PersonView, StepView};
use crate::wording::shown;

/// The view as text: a heading, the person's facts, each ladder step by step, then contacts,
/// visits, absences and exceptions.
pub fn to_text(v: &PersonView) -> String {
    let mut out = heading(v);
    list(&mut out, "About the person", &v.facts);
    for p in &v.pathways {
        pathway(&mut out, p);
    }
    list(&mut out, "Contacts", &v.contacts);
    list(&mut out, "Visit thresholds", &v.thresholds);
    list(&mut out, "Watched visits", &v.visits);
    list(&mut out, "Known absences", &v.absences);
    list(&mut out, "Agreed exceptions", &v.exceptions);
    out
}

/// "P-0142 under "Example Supported Living" version 2026.1 (file)".
pub(super) fn heading(v: &PersonView) -> String {
    let (fw, version) = &v.framework;
    match (&v.person, &v.protocol) {
        (Some(p), Some(file)) => format!(
            "{} under \"{}\" version {version} ({})\n",
            shown(p),
            shown(fw),
            shown(file)
        ),
        (Some(p), None) => format!("{} under \"{}\" version {version}\n", shown(p), shown(fw)),
        (None, _) => format!(
            "\"{}\" version {version}: the framework's own rules, for a person with no protocol\n",
            shown(fw)
        ),
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}:\n"));
    for i in items {
        out.push_str(&format!("  - {}\n", shown(i)));
    }
}

fn pathway(out: &mut String, p: &PathwayView) {
    let emergency = if p.emergency {
        " [the emergency override]"
    } else {
        ""
    };
    out.push_str(&format!(
        "\nPathway `{}`, {}{emergency}: {} ({})\n",
        p.name,
        shown(&p.display),
        shown(&p.trigger),
        shown(&p.origin)
    ));
    if !p.cites.is_empty() {
        out.push_str(&format!("  cites {}\n", shown(&p.cites.join("; "))));
    }
    for (i, s) in p.steps.iter().enumerate() {
        step(out, i + 1, s);
    }
    if !p.after_closure.is_empty() {
        out.push_str("  When the episode closes:\n");
        for (i, s) in p.after_closure.iter().enumerate() {
            step(out, i + 1, s);
        }
    }
}

fn step(out: &mut String, n: usize, s: &StepView) {
    let stage = s
        .stage
        .as_ref()
        .map_or_else(String::new, |st| format!(" (stage `{st}`)"));
    out.push_str(&format!("  {n}. `{}`{stage}: {}\n", s.name, shown(&s.what)));
    let mut line =
        |label: &str, text: &str| out.push_str(&format!("       {label:<7}{}\n", shown(text)));
    line("who", &s.who);
    line("starts", &s.starts);
    if let Some(w) = &s.when {
        line("when", w);
    }
    match (&s.by, &s.worst) {
        (Some(by), Some(worst)) => line("by", &format!("{by} ({worst})")),
        (Some(by), None) => line("by", by),
        (None, _) => line("by", "no deadline: to be done, never overdue"),
    }
    if let Some(b) = &s.breach {
        line("breach", b);
    }
    line("from", &s.source);
    if !s.cites.is_empty() {
        line("cites", &s.cites.join("; "));
    }
}
