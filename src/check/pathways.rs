//! Compiling pathways: a trigger and its ladder of steps.

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::person::PersonScope;
use super::steps::{self, StepCx, StepSrc, Usage};
use super::{literals, Ctx};
use crate::rules::PathwayDef;
use crate::rules::{Cond, TriggerOn};
use crate::span::Span;
use crate::syntax::ast::Pathway;

/// The steps of a pathway in order, with their stage names.
pub(super) fn flatten<'a>(file: usize, p: &'a Pathway) -> Vec<StepSrc<'a>> {
    p.stages
        .iter()
        .flat_map(|s| {
            s.steps.iter().map(move |step| StepSrc {
                file,
                step,
                stage: s.name.as_ref().map(|n| n.name.clone()),
                extra: None,
                refines: None,
            })
        })
        .collect()
}

pub(super) fn trigger_of(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    p: &Pathway,
) -> Option<(TriggerOn, Option<(u32, u64)>)> {
    let Some(t) = &p.trigger else {
        cx.report(Diagnostic::new(
            Code::MissingItem,
            file,
            p.name.span,
            format!("pathway `{}` has no trigger", p.name.name),
            "when does this pathway start?",
            "add `on` and an event after the name, for example `pathway no_response on no_answer { ... }`",
        ));
        return None;
    };
    let kind = super::triggers::resolve(cx, fw, file, &t.event)?;
    let repeat = match &t.repeat {
        Some((n, d)) => {
            let n = cx.ok(literals::count(n, file, "the repeat count"));
            let d = cx.duration(d, file, "the repeat window");
            Some((n?, d?))
        }
        None => None,
    };
    Some((kind, repeat))
}

/// A framework pathway's steps with a protocol's refinements applied.
pub(super) struct Merged<'a> {
    /// The ladder's steps.
    pub steps: Vec<StepSrc<'a>>,
    /// The after-closure steps.
    pub closure: Vec<StepSrc<'a>>,
    /// Citations the refinement adds.
    pub cites: Vec<String>,
    /// The framework's file, where the pathway is declared.
    pub decl_file: usize,
    /// Where the person's refinement is written, which decisions cite for the pathway.
    pub refined_at: Option<(usize, Span)>,
}

/// A compiled pathway, or, when a step has an error of its own, the steps that did compile:
/// still checked person by person, never part of a rule set.
pub(super) enum Compiled {
    Complete(Box<PathwayDef>),
    Partial(Vec<crate::rules::StepDef>),
}

/// Compile one pathway from its step sources.
pub(super) fn compile_pathway(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    person: Option<&PersonScope<'_>>,
    usage: &mut Usage,
    p: &Pathway,
    merged: Option<Merged<'_>>,
) -> Option<Compiled> {
    let own_file = person.map_or(fw.file, |x| x.file);
    let decl_file = merged.as_ref().map_or(own_file, |m| m.decl_file);
    let (origin_file, origin_span) = merged
        .as_ref()
        .and_then(|m| m.refined_at)
        .unwrap_or((decl_file, p.name.span.span()));
    let (trigger, repeat) = trigger_of(cx, fw, decl_file, p)?;
    let (steps, closure, extra_cites) = match merged {
        Some(m) => (m.steps, m.closure, m.cites),
        None => (
            flatten(own_file, p),
            p.after_closure
                .iter()
                .map(|step| StepSrc {
                    file: own_file,
                    step,
                    stage: None,
                    extra: None,
                    refines: None,
                })
                .collect(),
            Vec::new(),
        ),
    };
    let scx = StepCx {
        fw,
        person,
        on: Some(trigger),
    };
    let mut names = Table2::default();
    for s in steps.iter().chain(closure.iter()) {
        names.declare(cx, s);
    }
    let mut cites: Vec<String> = p.cites.iter().map(|c| c.value.clone()).collect();
    for c in extra_cites {
        if !cites.contains(&c) {
            cites.push(c);
        }
    }
    let pathway = steps::PathwayCx {
        name: &p.name.name,
        cites: &cites,
    };
    let compiled = scx.compile_steps(cx, usage, &pathway, &steps);
    let after_closure = scx.compile_steps(cx, usage, &pathway, &closure);
    // After the steps, so that the roles they name count as used either way.
    let (when, when_text) = pathway_when(cx, &scx, decl_file, p)?;
    let (compiled, after_closure) = match (compiled, after_closure) {
        (Ok(steps), Ok(closure)) => (steps, closure),
        (Ok(steps) | Err(steps), _) => {
            cx.unproved(origin_file, origin_span, &p.name.name);
            return Some(Compiled::Partial(steps));
        }
    };
    if !dead_under_when(cx, &when, &compiled) {
        cx.unproved(origin_file, origin_span, &p.name.name);
        return Some(Compiled::Partial(compiled));
    }
    let def = PathwayDef {
        name: p.name.name.clone(),
        display: p
            .display
            .as_ref()
            .map_or_else(|| p.name.name.replace('_', " "), |d| d.value.clone()),
        trigger,
        when,
        when_text,
        repeat,
        steps: compiled,
        after_closure,
        cites,
        origin: cx.origin(origin_file, origin_span),
    };
    Some(Compiled::Complete(Box::new(def)))
}

/// The pathway's `when` (`on referral when out_of_hours`), person facts folded; `None` after
/// reporting a condition that does not compile or can never hold.
fn pathway_when(
    cx: &mut Ctx<'_>,
    scx: &StepCx<'_, '_>,
    file: usize,
    p: &Pathway,
) -> Option<(Cond, Option<String>)> {
    let Some((c, span)) = p.trigger.as_ref().and_then(|t| t.when.as_ref()) else {
        return Some((Cond::Const(true), None));
    };
    if scx.on == Some(TriggerOn::Builtin(crate::vocab::TriggerKind::HandOver)) {
        // The step that hands over has decided: the pathway it names must start.
        cx.report(Diagnostic::new(
            Code::Misplaced,
            file,
            *span,
            format!(
                "pathway `{}` starts only by a hand-over, which it cannot turn down",
                p.name.name
            ),
            "a `when` here could leave a hand-over with nothing to start",
            "write the condition on the steps of the pathway, or on the step that hands over",
        ));
        return None;
    }
    let x = scx.condition(cx, file, c)?;
    if !x.satisfiable(None) {
        cx.report(Diagnostic::new(
            Code::NeverFires,
            file,
            *span,
            format!("pathway `{}` can never take its trigger", p.name.name),
            "this condition can never hold",
            "remove the contradiction, or remove the pathway",
        ));
        return None;
    }
    let facts = scx.person.map(|x| x.facts()).unwrap_or_default();
    Some((x.fold(&facts), Some(cx.slice(file, *span))))
}

/// E013 for a step judged at the trigger whose condition cannot hold whenever the pathway's
/// own `when` does (`when out_of_hours` on a pathway taken `when not out_of_hours`): it could
/// never fire. False if any was reported.
fn dead_under_when(cx: &mut Ctx<'_>, when: &Cond, steps: &[crate::rules::StepDef]) -> bool {
    if *when == Cond::Const(true) {
        return true;
    }
    let mut ok = true;
    for s in steps.iter().filter(|s| !s.judged_at_start) {
        let both = CondX::And(vec![unfolded(when), unfolded(&s.condition)]);
        if matches!(s.condition, Cond::Const(_)) || both.satisfiable(None) {
            continue;
        }
        ok = false;
        cx.report(Diagnostic::new(
            Code::NeverFires,
            s.origin.source,
            s.origin.span,
            format!(
                "step `{}` can never fire: its pathway takes the trigger only when the step's condition cannot hold",
                s.name
            ),
            format!(
                "`when {}` never holds at a trigger this pathway takes",
                s.when_text.as_deref().unwrap_or_default()
            ),
            "remove the step or its condition, or write `judged at start` if it is meant to be judged later",
        ));
    }
    ok
}

/// A compiled condition for a proof about time and the trigger alone: a person fact already
/// folded to a constant is free again, since a step written for someone else is not dead for
/// everyone (that is the person checks' business).
fn unfolded(c: &Cond) -> CondX {
    fn go(c: &Cond, n: &mut usize) -> CondX {
        match c {
            Cond::Const(_) => {
                *n += 1;
                CondX::Has(format!("folded fact {n}"))
            }
            Cond::And(cs) => CondX::And(cs.iter().map(|c| go(c, n)).collect()),
            Cond::Or(cs) => CondX::Or(cs.iter().map(|c| go(c, n)).collect()),
            Cond::Not(c) => CondX::Not(Box::new(go(c, n))),
            atom => CondX::from_cond(atom),
        }
    }
    go(c, &mut 0)
}

/// Duplicate step names within one pathway (framework and protocol steps together).
#[derive(Default)]
struct Table2 {
    seen: Vec<(String, usize, Span)>,
}

impl Table2 {
    fn declare(&mut self, cx: &mut Ctx<'_>, s: &StepSrc<'_>) {
        let name = &s.step.name;
        if let Some((_, f, first)) = self.seen.iter().find(|(n, _, _)| *n == name.name) {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    s.file,
                    name.span,
                    format!("step `{}` is declared twice in this pathway", name.name),
                    "declared again here",
                    "give each step in a pathway its own name",
                )
                .with(*f, *first, "first declared here"),
            );
        } else {
            self.seen
                .push((name.name.clone(), s.file, name.span.span()));
        }
    }
}
