//! `vigil show` as a Mermaid flowchart: each pathway a subgraph, each step a box, each `after`
//! an arrow labelled with the end it follows.

use super::{PathwayView, PersonView, StepView};

/// The view as a Mermaid `flowchart`, for Markdown viewers that draw it (GitHub, GitLab).
pub fn to_mermaid(v: &PersonView) -> String {
    let mut out = String::from("flowchart TD\n");
    for (k, p) in v.pathways.iter().enumerate() {
        pathway(&mut out, k, p);
    }
    out
}

/// Text inside a Mermaid label: quotes and brackets cannot be escaped there, so they become
/// look-alike characters.
fn label(text: &str) -> String {
    crate::wording::shown(text)
        .replace('"', "'")
        .replace(['[', '{', '('], "‹")
        .replace([']', '}', ')'], "›")
        .replace('\n', " ")
}

fn pathway(out: &mut String, k: usize, p: &PathwayView) {
    let emergency = if p.emergency {
        " - the emergency override"
    } else {
        ""
    };
    out.push_str(&format!(
        "  subgraph p{k}[\"{}{emergency}\"]\n",
        label(&p.display)
    ));
    out.push_str(&format!("    p{k}_t((\"{}\"))\n", label(&p.trigger)));
    let ids = |s: &str| format!("p{k}_{s}");
    steps(out, &p.steps, &ids, &format!("p{k}_t"));
    if !p.after_closure.is_empty() {
        out.push_str(&format!("    p{k}_closed((\"episode closed\"))\n"));
        let after = |s: &str| format!("p{k}_c_{s}");
        steps(out, &p.after_closure, &after, &format!("p{k}_closed"));
    }
    out.push_str("  end\n");
}

fn steps(out: &mut String, steps: &[StepView], id: &dyn Fn(&str) -> String, start: &str) {
    for s in steps {
        let by = s.by.as_deref().unwrap_or("no deadline");
        out.push_str(&format!(
            "    {}[\"{}<br/>{}<br/>{}\"]\n",
            id(&s.name),
            label(&s.name),
            label(&s.who),
            label(by)
        ));
    }
    for s in steps {
        let when = s
            .when
            .as_ref()
            .map_or_else(String::new, |w| format!("when {}", label(w)));
        match &s.after {
            Some((before, how)) => {
                let text = [label(how), when]
                    .iter()
                    .filter(|t| !t.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push_str(&format!(
                    "    {} -->|\"{text}\"| {}\n",
                    id(before),
                    id(&s.name)
                ));
            }
            None if when.is_empty() => out.push_str(&format!("    {start} --> {}\n", id(&s.name))),
            None => out.push_str(&format!("    {start} -->|\"{when}\"| {}\n", id(&s.name))),
        }
    }
}
