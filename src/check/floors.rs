//! The `require` floors the framework writes: the emergency override and external
//! escalation. Each holds only where the framework states it, for the triggers it names,
//! met by an escalation to any agency of the kinds it names, and proved on every path through
//! each ladder it covers ([`super::paths`]): a step that may never fire does not meet it.

use super::diagnostic::{Code, Diagnostic};
use super::framework::{FloorCites, FrameworkScope};
use super::paths::Prover;
use super::{triggers, Ctx};
use crate::rules::{ActionDef, PathwayDef, StepDef, TriggerOn};
use crate::span::Span;
use crate::vocab::{AgencyKind, TriggerKind};

/// Which floor a requirement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// `require emergency_override`
    Override,
    /// `require external_escalation`
    External,
}

/// A `require` floor with its triggers and agency kinds resolved.
pub(super) struct Required {
    which: Which,
    on: Vec<TriggerOn>,
    to: Vec<AgencyKind>,
    span: Span,
    cite: Option<String>,
}

/// The framework's `require` floors, resolved (each unknown trigger or agency kind
/// reported). Unscoped, the emergency override covers `red_flag` ladders and is met by an
/// `emergency` agency; external escalation covers the no-answer and alert ladders and every
/// declared trigger written `safety unconfirmed`, and is met by a `statutory` or
/// `emergency` agency.
pub(super) fn required(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>) -> Vec<Required> {
    let mut out = Vec::new();
    for r in &fw.requirements {
        let which = match r.what.name.as_str() {
            "emergency_override" => Which::Override,
            _ => Which::External,
        };
        let on = match &r.on {
            Some(names) => names
                .iter()
                .filter_map(|n| triggers::resolve(cx, fw, fw.file, n))
                .collect(),
            None => default_triggers(fw, which),
        };
        let to = match &r.to {
            Some(names) => names
                .iter()
                .filter_map(|n| super::table::word::<AgencyKind>(cx, fw.file, n))
                .collect(),
            None if which == Which::Override => vec![AgencyKind::Emergency],
            None => vec![AgencyKind::Statutory, AgencyKind::Emergency],
        };
        out.push(Required {
            which,
            on,
            to,
            span: r.span.span(),
            cite: r.cite.as_ref().map(|c| c.value.clone()),
        });
    }
    out
}

fn default_triggers(fw: &FrameworkScope<'_>, which: Which) -> Vec<TriggerOn> {
    match which {
        Which::Override => vec![TriggerOn::Builtin(TriggerKind::RedFlag)],
        Which::External => [TriggerKind::NoAnswer, TriggerKind::AtAlert]
            .into_iter()
            .map(TriggerOn::Builtin)
            .chain(
                fw.trigger_defs
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.unconfirmed)
                    .filter_map(|(i, _)| crate::rules::Id::from_index(i).map(TriggerOn::Declared)),
            )
            .collect(),
    }
}

/// The framework's own ladders: each required floor proved on each ladder it covers, and an
/// emergency override present for every trigger it names.
pub(super) fn framework(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    reqs: &[Required],
    pathways: &[PathwayDef],
) {
    for r in reqs.iter().filter(|r| r.which == Which::Override) {
        for t in &r.on {
            // A pathway a syntax error dropped, or one written with errors, may be it: its
            // errors are reported, and "missing" would send the author to write a second.
            let maybe_written = cx.syntax_error_in(fw.file) || written_with_errors(fw, *t);
            if !pathways.iter().any(|p| p.trigger == *t) && !maybe_written {
                cx.report(no_override(fw, r, *t));
            }
        }
        if r.on.contains(&TriggerOn::Builtin(TriggerKind::RedFlag))
            && fw.vocabulary.red_flags.is_empty()
        {
            cx.report(Diagnostic::new(
                Code::MissingItem,
                fw.file,
                fw.head,
                "the emergency override has no red flags to fire on",
                "no `red_flags` declared",
                "list the observations that mean risk to life, for example `red_flags person_seen_on_floor, smell_of_gas`",
            ));
        }
    }
    ladders(cx, fw, reqs, pathways, pathways.iter());
}

/// Whether a pathway on `t` is written but did not compile (an error in a step, or its `on`
/// misspelt close to `t`'s name).
fn written_with_errors(fw: &FrameworkScope<'_>, t: TriggerOn) -> bool {
    let name = match t {
        TriggerOn::Builtin(k) => k.name(),
        TriggerOn::Declared(id) => fw
            .trigger_defs
            .get(id.index())
            .map_or("", |d| d.name.as_str()),
    };
    fw.pathways.iter().any(|p| {
        p.trigger.as_ref().is_some_and(|on| {
            let written = on.event.name.as_str();
            written == name || crate::wording::did_you_mean(written, [name]).is_some()
        })
    })
}

/// Each required floor proved on each of `ladders` it covers; hand-overs are followed into
/// `pathways`.
pub(super) fn ladders<'p>(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    reqs: &[Required],
    pathways: &[PathwayDef],
    ladders: impl Iterator<Item = &'p PathwayDef>,
) {
    let decisions = &fw.decision_defs;
    for p in ladders {
        for r in reqs.iter().filter(|r| r.on.contains(&p.trigger)) {
            let meets = |s: &StepDef| match s.action {
                ActionDef::Escalate(a) => fw
                    .agency_defs
                    .get(a.index())
                    .is_some_and(|d| r.to.contains(&d.kind)),
                _ => false,
            };
            let prover = Prover {
                pathways,
                decisions,
                meets: &meets,
                closes: fw.unconfirmed(p.trigger),
            };
            if let Err(path) = prover.every_path(p) {
                let any = p.steps.iter().any(meets);
                cx.report(unmet(fw, r, p, any.then_some(path)));
            }
        }
    }
}

/// "a statutory or emergency", "an emergency": the kinds with their article.
fn kinds(to: &[AgencyKind]) -> String {
    let words: Vec<&str> = to
        .iter()
        .map(|k| match k {
            AgencyKind::Statutory => "statutory",
            AgencyKind::Emergency => "emergency",
            AgencyKind::NonEmergency => "non-emergency",
        })
        .collect();
    let joined = crate::wording::either(&words);
    let article = if joined.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {joined}")
}

fn no_override(fw: &FrameworkScope<'_>, r: &Required, t: TriggerOn) -> Diagnostic {
    let name = match t {
        TriggerOn::Builtin(k) => k.name().to_string(),
        TriggerOn::Declared(id) => fw
            .trigger_defs
            .get(id.index())
            .map_or_else(String::new, |d| d.name.clone()),
    };
    // The example uses the framework's own names, so that it can be pasted as it stands.
    let found = fw.agency_defs.iter().find(|a| r.to.contains(&a.kind));
    let agency = found.map_or("emergency_services", |a| a.name.as_str());
    let declare = if found.is_none() {
        " with `agency emergency_services \"Emergency services (999)\" emergency` declared"
    } else {
        ""
    };
    let role = fw.roles.names().first().map_or("ROLE", String::as_str);
    let pathway = if fw.pathway_names.get("emergency").is_none() && name == "red_flag" {
        "emergency".to_string()
    } else {
        format!("{name}_override")
    };
    let message = if name == "red_flag" {
        format!("framework `{}` has no emergency override", fw.name)
    } else {
        format!(
            "framework `{}` has no emergency override for `{name}`",
            fw.name
        )
    };
    Diagnostic::new(
        Code::NoEmergencyOverride,
        fw.file,
        fw.head,
        message,
        "no way to call emergency services at once",
        format!(
            "add `pathway {pathway} on {name} {{ step call_999: escalate to {agency} by {role} immediately }}`{declare}{}{}",
            if name == "red_flag" {
                ", and the `red_flags` that fire it"
            } else {
                ""
            },
            FloorCites::note(&r.cite)
        ),
    )
    .with(fw.file, r.span, "the override is required here")
}

/// A ladder the floor covers on which some path never reaches an agency of the right kind:
/// `path` says which, when some step could have met it.
fn unmet(
    fw: &FrameworkScope<'_>,
    r: &Required,
    p: &PathwayDef,
    path: Option<Vec<String>>,
) -> Diagnostic {
    let code = match r.which {
        Which::Override => Code::NoEmergencyOverride,
        Which::External => Code::NoExternalEscalation,
    };
    let what = kinds(&r.to);
    let (message, label) = match path {
        None => (
            format!("pathway `{}` never escalates to {what} service", p.name),
            "no route out of the provider".to_string(),
        ),
        Some(path) if path.is_empty() => (
            format!(
                "pathway `{}` can end without escalating to {what} service",
                p.name
            ),
            "not every path escalates".to_string(),
        ),
        Some(path) => (
            format!(
                "pathway `{}` can end without escalating to {what} service: when {}",
                p.name,
                path.join(", then ")
            ),
            "not every path escalates".to_string(),
        ),
    };
    let help = match r.which {
        Which::External => format!(
            "make an `escalate to` step to {what} agency reachable on every path (a step with a `when`, or on a branch, may never fire): if safety cannot be confirmed, the ladder must reach services outside the provider{}",
            FloorCites::note(&r.cite)
        ),
        Which::Override => format!(
            "the emergency override must call {what} service whatever happens: remove the `when` or branch that can skip it{}",
            FloorCites::note(&r.cite)
        ),
    };
    Diagnostic::new(code, p.origin.source, p.origin.span, message, label, help).with(
        fw.file,
        r.span,
        match r.which {
            Which::External => "external escalation is required here",
            Which::Override => "the override is required here",
        },
    )
}
