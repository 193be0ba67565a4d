//! `vigil show` as Markdown: a page a policy writer can paste into a review.

use super::{PathwayView, PersonView, StepView};

/// The view as Markdown: a heading, lists, and a table per ladder.
pub fn to_markdown(v: &PersonView) -> String {
    let mut out = format!("# {}", cell(super::text::heading(v).trim_end()));
    out.push('\n');
    section(&mut out, "About the person", &v.facts);
    for p in &v.pathways {
        pathway(&mut out, p);
    }
    section(&mut out, "Contacts", &v.contacts);
    section(&mut out, "Visit thresholds", &v.thresholds);
    section(&mut out, "Watched visits", &v.visits);
    section(&mut out, "Known absences", &v.absences);
    section(&mut out, "Agreed exceptions", &v.exceptions);
    out
}

/// Text for a table cell or a line ([`crate::render::markdown_text`]): a contact's name
/// written with HTML in it is shown as written, not passed to the reader's browser (found by
/// a docs-only tester; the HTML and SVG outputs escaped it already).
fn cell(text: &str) -> String {
    crate::render::markdown_text(text)
}

fn section(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("\n## {title}\n\n"));
    for i in items {
        out.push_str(&format!("- {}\n", cell(i)));
    }
}

fn pathway(out: &mut String, p: &PathwayView) {
    let emergency = if p.emergency {
        " (the emergency override)"
    } else {
        ""
    };
    out.push_str(&format!("\n## {}{emergency}\n\n", cell(&p.display)));
    out.push_str(&format!(
        "`{}`: {} ({})",
        p.name,
        cell(&p.trigger),
        cell(&p.origin)
    ));
    if !p.cites.is_empty() {
        out.push_str(&format!("; cites {}", cell(&p.cites.join("; "))));
    }
    out.push_str(".\n\n");
    table(out, &p.steps);
    if !p.after_closure.is_empty() {
        out.push_str("\nWhen the episode closes:\n\n");
        table(out, &p.after_closure);
    }
}

fn table(out: &mut String, steps: &[StepView]) {
    out.push_str("| # | step | what | who | starts | by when | from | cites |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for (i, s) in steps.iter().enumerate() {
        let mut by = match (&s.by, &s.worst) {
            (Some(b), Some(w)) => format!("{b} ({w})"),
            (Some(b), None) => b.clone(),
            (None, _) => "no deadline".into(),
        };
        if let Some(br) = &s.breach {
            by.push_str(&format!("; {br}"));
        }
        let mut starts = s.starts.clone();
        if let Some(w) = &s.when {
            starts.push_str(&format!("; when {w}"));
        }
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            s.name,
            cell(&s.what),
            cell(&s.who),
            cell(&starts),
            cell(&by),
            cell(&s.source),
            cell(&s.cites.join("; "))
        ));
    }
}
