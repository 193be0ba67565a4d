//! Compiling governance rules over many visits and episodes: what each watches (its metric),
//! and the duty it creates (action, role, deadline, citations).

use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::steps::{StepCx, Usage};
use super::table::unknown;
use super::vocabulary::Kind;
use super::{literals, table, Ctx};
use crate::rules::{
    Anchor, CountedDef, CountedKind, DeadlineDef, GovRuleDef, MetricDef, Responsible, RuleId,
    WindowDef,
};
use crate::syntax::ast::{CountWindow, Counted, GovRule, Ident, Metric, StepClause};
use crate::vocab::{Grouping, TriggerKind};

/// Every governance rule of the framework; a rule with an error is reported and left out.
pub(super) fn compile_governance(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
) -> Vec<GovRuleDef> {
    let mut names = table::Table::<RuleId>::new("governance rule");
    let mut out = Vec::new();
    for r in &fw.gov_rules {
        if cx
            .ok(names.declare(&r.name.name, fw.file, r.name.span))
            .is_some()
        {
            out.extend(rule(cx, fw, usage, r));
        }
    }
    out
}

fn rule(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
    r: &GovRule,
) -> Option<GovRuleDef> {
    let scx = StepCx {
        fw,
        person: None,
        on: None,
    };
    let metric = metric(cx, fw, &r.metric);
    let (role, deadline, cites) = clauses(cx, &scx, usage, r);
    due_by_schedule(cx, fw.file, r);
    let action = match &r.action {
        // A governance rule watches many people at once: there is no one person whose
        // contacts, or whose members of a contact class, it could reach.
        crate::syntax::ast::Action::Contact(_, span) => {
            cx.report(Diagnostic::new(
                Code::Misplaced,
                fw.file,
                *span,
                "a governance rule cannot contact a person's contacts",
                "governance watches many people",
                "give the rule a duty for a role (`notify`, `review`, `record`), and put contact cascades in the person's pathways",
            ));
            None
        }
        _ => scx.action(cx, usage, fw.file, &r.action),
    };
    let (metric, responsible, action) = (metric?, role?, action?);
    let origin = cx.origin(fw.file, r.span);
    Some(GovRuleDef {
        name: r.name.name.clone(),
        metric,
        action,
        responsible,
        deadline,
        provenance: std::sync::Arc::new(crate::rules::RuleRef {
            name: format!("governance.{}", r.name.name),
            file: origin.file.clone(),
            line: origin.line,
            column: origin.column,
        }),
        all_cites: std::sync::Arc::from(cites.clone()),
        cites,
        origin,
    })
}

/// What a rule watches.
fn metric(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, m: &Metric) -> Option<MetricDef> {
    let file = fw.file;
    let per = |cx: &mut Ctx<'_>, per: &Option<Ident>| match per {
        Some(p) => table::word::<Grouping>(cx, file, p),
        None => Some(Grouping::Person),
    };
    match m {
        Metric::Count {
            what,
            at_least,
            window: w,
            per: p,
            first,
            ..
        } => {
            let counted = counted(cx, fw, what);
            let n = cx.ok(literals::count(at_least, file, "the count"));
            let w = window(cx, fw, w.as_ref());
            let g = per(cx, p);
            Some(MetricDef::Count {
                what: counted?,
                at_least: n?,
                window: w?,
                per: g?,
                first: *first,
            })
        }
        Metric::UnresolvedBeyondSameDay {
            trigger, per: p, ..
        } => {
            let t = match trigger {
                Some(t) => Some(Some(super::triggers::resolve(cx, fw, file, t)?)),
                None => Some(None),
            };
            let per = per(cx, p)?;
            Some(MetricDef::UnresolvedBeyondSameDay { trigger: t?, per })
        }
        Metric::Consecutive {
            count,
            what,
            per: p,
            ..
        } => {
            let n = cx.ok(literals::count(count, file, "the count"));
            let g = per(cx, p);
            let known = fw.vocabulary.declares(cx, file, Kind::Result, what);
            let family = fw.vocabulary.family_of(&what.name);
            Some(MetricDef::Consecutive {
                count: n?,
                what: known.then(|| cx.symbols.intern(&what.name))?,
                family: family.iter().map(|r| cx.symbols.intern(r)).collect(),
                per: g?,
            })
        }
        Metric::Every { every, .. } => cx
            .duration(every, file, "the time between two")
            .map(|every| MetricDef::Every { every }),
        Metric::TimesEachWeek { times, .. } => cx
            .ok(literals::count(
                times,
                file,
                "the number of times each week",
            ))
            .map(|times| MetricDef::TimesEachWeek { times }),
        Metric::At { days, at, span } => opening_times(cx, fw, days, at, *span),
        Metric::Without {
            event,
            criticality,
            step,
            within,
            ..
        } => {
            let t = table::word::<TriggerKind>(cx, file, event);
            let c = cx.ok(fw
                .criticalities
                .lookup(&criticality.name, file, criticality.span));
            let d = cx.duration(within, file, "the time allowed");
            let known = t.is_some_and(|t| step_known(cx, fw, t, step));
            if !known {
                return None;
            }
            Some(MetricDef::Without {
                trigger: t?,
                criticality: c?,
                step: step.name.clone(),
                within: d?,
            })
        }
    }
}

/// What a count names: a trigger (built in or declared), a result, or a family of results;
/// a criticality only with a trigger, and declared by a threshold.
fn counted(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, c: &Counted) -> Option<CountedDef> {
    let file = fw.file;
    let name = &c.name;
    let kind = if let Some(results) = fw.vocabulary.results_named(&name.name) {
        CountedKind::Results(results.iter().map(|r| cx.symbols.intern(r)).collect())
    } else if TriggerKind::from_name(&name.name).is_some() || fw.triggers.get(&name.name).is_some()
    {
        CountedKind::Trigger(super::triggers::resolve(cx, fw, file, name)?)
    } else {
        let candidates: Vec<&str> = TriggerKind::ALL
            .iter()
            .map(|k| k.name())
            .chain(fw.triggers.names().iter().map(String::as_str))
            .chain(fw.vocabulary.results.iter().map(String::as_str))
            .chain(
                fw.vocabulary
                    .result_families
                    .iter()
                    .map(|f| f.name.as_str()),
            )
            .collect();
        cx.report(unknown(
            "trigger or result",
            &name.name,
            file,
            name.span,
            candidates,
        ));
        return None;
    };
    let criticality = match (&c.criticality, &kind) {
        (None, _) => None,
        (Some(crit), CountedKind::Trigger(_)) => {
            Some(cx.ok(fw.criticalities.lookup(&crit.name, file, crit.span))?)
        }
        (Some(crit), CountedKind::Results(_)) => {
            cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                crit.span,
                format!(
                    "`{}` is a result, which has no visit criticality",
                    name.name
                ),
                "only a trigger's episodes are about a visit",
                "leave the criticality out, or count a trigger such as `missed_visit critical`",
            ));
            return None;
        }
    };
    Some(CountedDef {
        name: name.name.clone(),
        kind,
        criticality,
        out_of_hours: c.out_of_hours,
    })
}

/// Where a count is kept: a declared review cycle, a day, a week, a span (at most a year,
/// and not zero), or with none (`first` alone) the whole record.
fn window(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, w: Option<&CountWindow>) -> Option<WindowDef> {
    let file = fw.file;
    Some(match w {
        None => WindowDef::Record,
        Some(CountWindow::Cycle(c)) => {
            WindowDef::Cycle(cx.ok(fw.cycles.lookup(&c.name, file, c.span))?)
        }
        Some(CountWindow::Day(_)) => WindowDef::Day,
        Some(CountWindow::Week(_)) => WindowDef::Week,
        Some(CountWindow::Rolling(d)) => {
            WindowDef::Rolling(cx.duration(d, file, "the span counted")?)
        }
    })
}

/// A duty due `every 48h` or `3 times each week` is due by its schedule: a deadline
/// written as well could only contradict it, so it is refused rather than one ignored.
fn due_by_schedule(cx: &mut Ctx<'_>, file: usize, r: &GovRule) {
    let schedule = match &r.metric {
        Metric::Every { .. } => "`every`",
        Metric::TimesEachWeek { .. } => "`times each week`",
        _ => return,
    };
    for c in &r.clauses {
        if let StepClause::Deadline(d) = c {
            cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                d.span(),
                format!(
                    "rule `{}` is due by its schedule ({schedule}), so it cannot take a deadline as well",
                    r.name.name
                ),
                "a second deadline",
                "leave the deadline out: the schedule says when the duty is due",
            ));
        }
    }
}

/// `DAYS at HH:MM, ...`: the days and the sorted local times, each written once.
fn opening_times(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    days: &crate::syntax::ast::DaySet,
    at: &[crate::syntax::ast::ClockTime],
    span: crate::span::Loc,
) -> Option<MetricDef> {
    let file = fw.file;
    let mut times = Vec::new();
    for t in at {
        let hm = cx.ok(literals::clock(t, file))?;
        super::clock_change::note(cx, fw.timezone, file, t);
        times.push(hm);
    }
    times.sort_unstable();
    let before = times.len();
    times.dedup();
    if times.len() < before {
        cx.report(Diagnostic::new(
            Code::Duplicate,
            file,
            span,
            "a periodic duty lists the same time twice",
            "repeated time",
            "list each time once",
        ));
    }
    let mut days = days.days.clone();
    days.sort_by_key(|d| d.index());
    days.dedup();
    Some(MetricDef::At { days, at: times })
}

/// A `without STEP` rule names a step of one of the framework's pathways on that trigger
/// (judged on what is written, so an error inside that pathway is not reported again here).
fn step_known(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, t: TriggerKind, step: &Ident) -> bool {
    let candidates: Vec<&str> = fw
        .pathways
        .iter()
        .filter(|p| {
            p.trigger
                .as_ref()
                .and_then(|tr| TriggerKind::from_name(&tr.event.name))
                == Some(t)
        })
        .flat_map(|p| p.stages.iter().flat_map(|s| s.steps.iter()))
        .map(|s| s.name.name.as_str())
        .collect();
    let known = candidates.contains(&step.name.as_str());
    if !known {
        cx.report(unknown("step", &step.name, fw.file, step.span, candidates));
    }
    known
}

/// The duty's role, deadline and citations; anything else written there is reported.
fn clauses(
    cx: &mut Ctx<'_>,
    scx: &StepCx<'_, '_>,
    usage: &mut Usage,
    r: &GovRule,
) -> (Option<Responsible>, Option<DeadlineDef>, Vec<String>) {
    let file = scx.fw.file;
    let mut role = None;
    let mut deadline = None;
    let mut cites = Vec::new();
    for c in &r.clauses {
        match c {
            StepClause::Role(who) => {
                if role.is_some() {
                    cx.report(Diagnostic::new(
                        Code::BadClause,
                        file,
                        who.span,
                        format!("rule `{}` names two roles", r.name.name),
                        "repeated clause",
                        "give the rule one responsible role",
                    ));
                }
                role = scx.responsible(cx, usage, file, who);
            }
            StepClause::Deadline(d) => {
                deadline = scx
                    .deadline(cx, file, d, usize::MAX, &[])
                    .filter(|def| honoured(cx, file, r, d, def));
            }
            StepClause::Cite(s) => cites.push(s.value.clone()),
            other => cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                other.span(),
                format!("governance rule `{}` cannot take this clause", r.name.name),
                "not allowed on a governance rule",
                "a governance rule takes `by ROLE`, a deadline and `cite`",
            )),
        }
    }
    if !r.clauses.iter().any(|c| matches!(c, StepClause::Role(_))) {
        cx.report(Diagnostic::new(
            Code::BadClause,
            file,
            r.name.span,
            format!("governance rule `{}` has no responsible role", r.name.name),
            "who must act?",
            "add `by` and a role, for example `by registered_manager`",
        ));
    }
    (role, deadline, cites)
}

/// A governance duty starts when its rule fires: a deadline counted from a step or an event
/// could not be honoured, so it is refused rather than silently ignored.
fn honoured(
    cx: &mut Ctx<'_>,
    file: usize,
    r: &GovRule,
    written: &crate::syntax::ast::Deadline,
    def: &DeadlineDef,
) -> bool {
    let elsewhere = crate::rules::deadline::anchors(def)
        .iter()
        .any(|a| matches!(a, Anchor::Step(_) | Anchor::Event(_)));
    if elsewhere {
        cx.report(Diagnostic::new(
            Code::BadClause,
            file,
            written.span(),
            format!(
                "governance rule `{}` counts its deadline from an event, but a governance duty starts when the rule fires",
                r.name.name
            ),
            "cannot count from here",
            "give a time from when the rule fires, such as `within 24h`, or a clock time such as `by 17:00`",
        ));
    }
    !elsewhere
}
