//! A framework's `trigger` items, checked into definitions: the one place a declared
//! trigger's name, attributes and values are vetted (the framework scope keeps the table).

use super::diagnostic::{Code, Diagnostic};
use super::Ctx;
use crate::rules::{AttributeDef, TriggerDef};
use crate::syntax::ast::{Ident, TriggerItem};
use crate::vocab::{EventKind, TriggerKind};

/// A framework `trigger`, checked: its name is new (not a built-in trigger or timeline event,
/// which a timeline's `kind` could not tell apart), each attribute and value listed once.
pub(super) fn declare(cx: &mut Ctx<'_>, file: usize, t: &TriggerItem) -> Option<TriggerDef> {
    let name = &t.name.name;
    if TriggerKind::from_name(name).is_some() || EventKind::from_name(name).is_some() {
        cx.report(Diagnostic::new(
            Code::Duplicate,
            file,
            t.name.span,
            format!("`{name}` is already a built-in trigger or timeline event"),
            "timelines could not tell this trigger from the built-in one",
            "give the declared trigger its own name, for example `referral_received`",
        ));
        return None;
    }
    let mut attributes: Vec<AttributeDef> = Vec::new();
    for a in &t.attributes {
        if attributes.iter().any(|x| x.name == a.name.name) {
            cx.report(twice(file, &a.name, "the attribute", name));
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        for v in &a.values {
            if values.contains(&v.name) {
                cx.report(twice(file, v, "the value", &a.name.name));
            } else {
                values.push(v.name.clone());
            }
        }
        attributes.push(AttributeDef {
            name: a.name.name.clone(),
            display: a.display.as_ref().map_or_else(
                || crate::wording::humanise(&a.name.name),
                |d| d.value.clone(),
            ),
            values,
        });
    }
    let mut cites: Vec<String> = t.cites.iter().map(|c| c.value.clone()).collect();
    cites.extend(
        t.attributes
            .iter()
            .filter_map(|a| a.cite.as_ref().map(|c| c.value.clone())),
    );
    Some(TriggerDef {
        name: name.clone(),
        display: t
            .display
            .as_ref()
            .map_or_else(|| crate::wording::humanise(name), |d| d.value.clone()),
        attributes,
        unconfirmed: t.unconfirmed.is_some(),
        cites,
        origin: cx.origin(file, t.span),
    })
}

fn twice(file: usize, what: &Ident, kind: &str, of: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Duplicate,
        file,
        what.span,
        format!("{kind} `{}` of `{of}` is listed twice", what.name),
        "listed already",
        "list each once",
    )
}
