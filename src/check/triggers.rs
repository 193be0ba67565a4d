//! Declared triggers: the framework's `trigger` items, what a pathway's `on` names, and the
//! conditions that test a declared trigger's attributes and who reported it.

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::table::unknown;
use super::Ctx;
use crate::rules::{TriggerDef, TriggerOn};
use crate::syntax::ast::Ident;
use crate::vocab::TriggerKind;

/// What `on NAME` names: a built-in trigger, else one the framework declares; an unknown
/// name is reported with every trigger as a candidate.
pub(super) fn resolve(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    event: &Ident,
) -> Option<TriggerOn> {
    if let Some(k) = TriggerKind::from_name(&event.name) {
        return Some(TriggerOn::Builtin(k));
    }
    if let Some(id) = fw.triggers.get(&event.name) {
        return Some(TriggerOn::Declared(id));
    }
    let candidates: Vec<&str> = TriggerKind::ALL
        .iter()
        .map(|k| k.name())
        .chain(fw.triggers.names().iter().map(String::as_str))
        .collect();
    cx.report(unknown(
        "trigger",
        &event.name,
        file,
        event.span,
        candidates,
    ));
    None
}

/// The declared trigger a condition about attributes or the reporter needs, or `None` after
/// reporting that the pathway's trigger is not one.
fn declared<'f>(
    cx: &mut Ctx<'_>,
    fw: &'f FrameworkScope<'_>,
    on: Option<TriggerOn>,
    file: usize,
    at: &Ident,
    what: &str,
) -> Option<&'f TriggerDef> {
    if let Some(TriggerOn::Declared(id)) = on {
        return fw.trigger_defs.get(id.index());
    }
    cx.report(Diagnostic::new(
        Code::Misplaced,
        file,
        at.span,
        format!(
            "`{}` tests {what}, which only a declared trigger has",
            at.name
        ),
        "this pathway's trigger has none",
        "test attributes and the reporter in a pathway `on` a trigger the framework declares \
         with `trigger NAME { attribute ... }`",
    ));
    None
}

/// `ATTRIBUTE is VALUE`, for a pathway on declared trigger `on`.
pub(super) fn attribute(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    on: Option<TriggerOn>,
    file: usize,
    attr: &Ident,
    value: &Ident,
) -> Option<CondX> {
    let def = declared(cx, fw, on, file, attr, "an attribute of the trigger")?;
    let Some(a) = def.attribute(&attr.name) else {
        let names = def.attributes.iter().map(|a| a.name.as_str());
        cx.report(not_one_of(
            file,
            attr,
            format!("an attribute of the trigger `{}`", def.name),
            names,
        ));
        return None;
    };
    let values = &def.attributes.get(a)?.values;
    let Some(v) = values.iter().position(|v| *v == value.name) else {
        cx.report(not_one_of(
            file,
            value,
            format!("a value of `{}`", attr.name),
            values.iter().map(String::as_str),
        ));
        return None;
    };
    let n = |i: usize| u16::try_from(i).ok();
    Some(CondX::Attribute(n(a)?, n(v)?, n(values.len())?))
}

/// E003 for a name that is not one of `names`: "`urgnt` is not a value of `urgency`".
fn not_one_of<'n>(
    file: usize,
    name: &Ident,
    what: String,
    names: impl Iterator<Item = &'n str> + Clone,
) -> Diagnostic {
    let help = match crate::wording::did_you_mean(&name.name, names.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "it may be: {}",
            crate::wording::listed(names, crate::wording::MOST_LISTED)
        ),
    };
    Diagnostic::new(
        Code::UnknownName,
        file,
        name.span,
        format!("`{}` is not {what}", name.name),
        "not declared there",
        help,
    )
}

/// `reported by ROLE`, for a pathway on declared trigger `on`.
pub(super) fn reporter(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    on: Option<TriggerOn>,
    file: usize,
    role: &Ident,
) -> Option<CondX> {
    declared(cx, fw, on, file, role, "who reported the trigger")?;
    let r = cx.ok(fw.roles.lookup(&role.name, file, role.span))?;
    Some(CondX::ReportedBy(r))
}

impl FrameworkScope<'_> {
    /// True where the person's safety is unconfirmed until someone finds them: the built-in
    /// triggers that say so, and declared triggers written `safety unconfirmed`.
    pub(super) fn unconfirmed(&self, t: TriggerOn) -> bool {
        match t {
            TriggerOn::Builtin(k) => k.safety_unconfirmed(),
            TriggerOn::Declared(id) => self
                .trigger_defs
                .get(id.index())
                .is_some_and(|d| d.unconfirmed),
        }
    }

    /// The trigger in words for a sentence: "no-answer", "referral received".
    pub(super) fn trigger_words(&self, t: TriggerOn) -> String {
        match t {
            TriggerOn::Builtin(k) => k.words().to_string(),
            TriggerOn::Declared(id) => self
                .trigger_defs
                .get(id.index())
                .map_or_else(String::new, |d| crate::wording::lower_first(&d.display)),
        }
    }
}
