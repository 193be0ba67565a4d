//! Checks over whole ladders: floors, laxer refinements, out-of-hours parity, external routes,
//! deadlines that come before the step they wait for. [`ladder`] runs each check in turn; each
//! is its own function, so one can be read (and changed) without the others.
//!
//! Deadlines are compared by their worst case ([`super::worst`]): a floor is only met when it
//! is met on the worst day.

use super::clocks::Clocks;
use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::{FloorCites, FrameworkScope};
use super::person::PersonScope;
use super::worst::{of_deadline, Worst};
use super::Ctx;
use crate::rules::{
    ActionDef, Anchor, Cond, DeadlineAtomDef, DeadlineDef, PathwayDef, Responsible, StepDef,
};
use crate::span::Span;

/// One ladder under check, with its worst cases worked out once.
struct Check<'c, 's, 'f> {
    cx: &'c mut Ctx<'s>,
    fw: &'c FrameworkScope<'f>,
    p: &'c PathwayDef,
    worst: Worst<'c>,
}

/// Checks that hold for any ladder, the framework's own or a person's; `base` is the
/// framework's pathway a person's refines.
pub fn ladder(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PathwayDef,
    base: Option<&PathwayDef>,
) {
    let mut c = Check {
        cx,
        fw,
        p,
        worst: Worst::new(&p.steps, Clocks::of(fw)),
    };
    c.deadlines_before_their_predecessor();
    // Steps already reported against a floor are not reported again for the same reason as
    // laxer refinements: a late one is still told any other way it is laxer.
    let late = c.internal_escalation_floor();
    let few = c.contact_attempts_floor();
    c.out_of_hours_parity();
    if let Some(base) = base {
        c.no_laxer_than(base, (&late, &few));
    }
}

/// The fixed offset from the trigger of a deadline that ignores the step's start, if any.
fn fixed_from_trigger(step: &StepDef) -> Option<u64> {
    match step.deadline? {
        DeadlineDef::Atom(DeadlineAtomDef::Within {
            secs,
            anchor: Anchor::Trigger,
        }) => Some(secs),
        _ => None,
    }
}

fn human(secs: Option<u64>) -> String {
    match secs {
        // The worst case has no bound: the step may wait on something that never comes (an
        // observation, a decision, an event it stays until), whatever its own deadline. "No
        // deadline" read as false for a step written `within 2h` (found by a docs-only tester).
        None => "an unbounded time (it may wait for something that never comes)".into(),
        Some(s) => crate::wording::duration_words(s),
    }
}

/// Where a step is written: its file index and span.
fn place(step: &StepDef) -> (usize, Span) {
    (step.origin.source, step.origin.span)
}

impl Check<'_, '_, '_> {
    /// A sequential step due, by the trigger's clock, before the step it waits for.
    fn deadlines_before_their_predecessor(&mut self) {
        let steps = &self.p.steps;
        for s in steps {
            let (Some(a), Some(mine)) = (s.after, fixed_from_trigger(s)) else {
                continue;
            };
            let Some(theirs) = self.worst.of(a as usize) else {
                continue;
            };
            if mine >= theirs {
                continue;
            }
            let (file, span) = place(s);
            let pred = steps.get(a as usize);
            let mut d = Diagnostic::new(
                Code::DeadlineBeforePredecessor,
                file,
                span,
                format!(
                    "step `{}` is due {} after the trigger, before step `{}` it waits for (due up to {} after)",
                    s.name,
                    human(Some(mine)),
                    pred.map_or("", |p| p.name.as_str()),
                    human(Some(theirs))
                ),
                "due too early",
                "count its deadline from the step it waits for (`within 10m`), or give it a later deadline",
            );
            if let Some(pred) = pred {
                let (pf, ps) = place(pred);
                d = d.with(pf, ps, "the step it waits for");
            }
            self.cx.report(d);
        }
    }

    /// The internal-escalation floor, for ladders where the person's safety is unconfirmed:
    /// an unconditional notice to a role senior to (covering) the one giving it. The tightest
    /// such step is the one judged against the floor. Returns the steps reported.
    fn internal_escalation_floor(&mut self) -> Vec<usize> {
        let (fw, p) = (self.fw, self.p);
        let Some(floor) = fw.floors.internal_escalation else {
            return Vec::new();
        };
        if !fw.unconfirmed(p.trigger) {
            return Vec::new();
        }
        let escalating = |s: &StepDef| match s.action {
            ActionDef::Notify(target) => escalates(fw, target, s.responsible),
            _ => false,
        };
        let candidates: Vec<usize> = (0..p.steps.len())
            .filter(|i| p.steps.get(*i).is_some_and(escalating))
            .collect();
        let floor_span = fw.floor_spans.internal.unwrap_or(fw.head);
        let Some(i) = self.judged_notice(&candidates, &escalating) else {
            self.cx.report(
                Diagnostic::new(
                    Code::LaxerThanFloor,
                    p.origin.source,
                    p.origin.span,
                    format!(
                        "pathway `{}` does not tell a more senior role on every path",
                        p.name
                    ),
                    "not on every path",
                    "add a `notify` step to a role that covers the one notifying (for example `notify manager by support_worker within 15m`) that every path reaches (a step with a `when`, or on a branch, may never fire), as the framework requires",
                )
                .with(fw.file, floor_span, "the floor is set here"),
            );
            return Vec::new();
        };
        let w = self.worst.of(i);
        let Some(s) = p.steps.get(i).filter(|_| w.is_none_or(|w| w > floor)) else {
            return Vec::new();
        };
        let msg = format!(
            "step `{}` escalates internally after up to {}, later than the framework's floor of {}",
            s.name,
            human(w),
            human(Some(floor))
        );
        below_floor(self.cx, fw, s, msg, floor_span);
        vec![i]
    }

    /// The internal escalation judged against the floor: the quickest notice reached on
    /// every path; or, when every path reaches one but no single one is on all of them, the
    /// slowest (a path may reach only that one); `None` when some path reaches none.
    fn judged_notice(
        &mut self,
        candidates: &[usize],
        escalating: &dyn Fn(&StepDef) -> bool,
    ) -> Option<usize> {
        let (fw, p) = (self.fw, self.p);
        let proves = |meets: &dyn Fn(&StepDef) -> bool| {
            let prover = super::paths::Prover {
                pathways: &[],
                decisions: &fw.decision_defs,
                meets,
                closes: true,
            };
            prover.every_path(p).is_ok()
        };
        if !proves(escalating) {
            return None;
        }
        // The quickest notice on every path: tried quickest first (the first written among
        // equals), so that the first proved is the answer, not one proof for every notice
        // (a ladder of thousands of notices took time in their number squared).
        let worst = &mut self.worst;
        let mut by_speed: Vec<(u64, usize)> = candidates
            .iter()
            .map(|i| (worst.of(*i).unwrap_or(u64::MAX), *i))
            .collect();
        by_speed.sort_by_key(|(w, _)| *w);
        let certain = by_speed.iter().map(|(_, i)| *i).find(|i| {
            let name = p.steps.get(*i).map_or("", |s| s.name.as_str());
            proves(&|s: &StepDef| s.name == name)
        });
        certain.or_else(|| {
            candidates
                .iter()
                .copied()
                .max_by_key(|i| worst.of(*i).unwrap_or(u64::MAX))
        })
    }

    /// The contact-attempts floor. Returns the steps reported.
    fn contact_attempts_floor(&mut self) -> Vec<usize> {
        let fw = self.fw;
        let Some(min) = fw.floors.contact_attempts else {
            return Vec::new();
        };
        let mut reported = Vec::new();
        for (i, s) in self.p.steps.iter().enumerate() {
            let ActionDef::Attempt { times, .. } = s.action else {
                continue;
            };
            if times >= min {
                continue;
            }
            let msg = format!(
                "step `{}` makes {times} contact attempt{}, fewer than the framework's floor of {min}",
                s.name,
                if times == 1 { "" } else { "s" }
            );
            let floor_span = fw.floor_spans.attempts.unwrap_or(fw.head);
            below_floor(self.cx, fw, s, msg, floor_span);
            reported.push(i);
        }
        reported
    }

    /// Out-of-hours parity between twin steps: same kind of action, one for each side of
    /// hours; the out-of-hours one may not allow longer.
    fn out_of_hours_parity(&mut self) {
        let steps = &self.p.steps;
        for (ia, a) in steps.iter().enumerate() {
            if !is_out_of_hours_only(&a.condition) {
                continue;
            }
            let twins: Vec<usize> = steps
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    is_in_hours_only(&b.condition)
                        && std::mem::discriminant(&a.action) == std::mem::discriminant(&b.action)
                })
                .map(|(ib, _)| ib)
                .collect();
            // Its twin is the office-hours step in the same place in the ladder (after the
            // same step, on the same branch); with none there, every office-hours step of
            // its kind, so that moving a step never escapes the check.
            let placed: Vec<usize> = twins
                .iter()
                .copied()
                .filter(|ib| {
                    steps
                        .get(*ib)
                        .is_some_and(|b| b.after == a.after && b.follows == a.follows)
                })
                .collect();
            let compare = if placed.is_empty() { twins } else { placed };
            for ib in compare {
                let Some(b) = steps.get(ib) else { continue };
                let (wa, wb) = (self.worst.of(ia), self.worst.of(ib));
                if later(wa, wb) {
                    self.cx.report(parity_finding(self.fw, a, wa, b, wb));
                }
            }
        }
    }

    /// A protocol step laxer than the framework step it refines, on the ladder and after
    /// closure alike (`late`, `few`: ladder steps already reported against the internal
    /// escalation floor and the contact-attempts floor).
    fn no_laxer_than(&mut self, base: &PathwayDef, (late, few): (&[usize], &[usize])) {
        let (fw, p) = (self.fw, self.p);
        let pairs = [
            (&p.steps[..], &base.steps[..], true),
            (&p.after_closure[..], &base.after_closure[..], false),
        ];
        for (new, old, on_ladder) in pairs {
            let clocks = Clocks::of(fw);
            let (mut wn, mut wo) = (Worst::new(new, clocks), Worst::new(old, clocks));
            for (i, s) in new.iter().enumerate() {
                if s.refines.is_none() || (on_ladder && few.contains(&i)) {
                    continue;
                }
                let Some(j) = old.iter().position(|b| b.name == s.name) else {
                    continue;
                };
                let Some(b) = old.get(j) else { continue };
                // A step already reported against a floor for its lateness is still told
                // every other way it is laxer (found by a docs-only tester: fixing the time
                // brought the dropped breach escalation to light only then): its own worst
                // case is taken as the framework's, so the lateness is not said twice.
                let worst = if on_ladder && late.contains(&i) {
                    wo.of(j)
                } else {
                    wn.of(i)
                };
                let Some(why) = laxer_refinement(fw, s, worst, b, wo.of(j)) else {
                    continue;
                };
                let (file, span) = place(s);
                let msg = format!(
                    "step `{}` {why}, laxer than the framework's rule it refines",
                    s.name
                );
                let (bf, bs) = place(b);
                laxer(
                    self.cx,
                    Laxer {
                        file,
                        span,
                        message: msg,
                        because: s.because.as_deref(),
                        floor: (bf, bs, "the framework's rule"),
                    },
                );
            }
        }
    }
}

/// True when a worst case `a` allows longer than `b` (no deadline is longest).
fn later(a: Option<u64>, b: Option<u64>) -> bool {
    match (a, b) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => x > y,
        _ => false,
    }
}

/// An out-of-hours step `a` laxer than its office-hours twin `b`, reported where the author
/// can act: in the protocol, if the protocol tightened the office-hours twin and left the
/// out-of-hours one as it was.
fn parity_finding(
    fw: &FrameworkScope<'_>,
    a: &StepDef,
    wa: Option<u64>,
    b: &StepDef,
    wb: Option<u64>,
) -> Diagnostic {
    let (af, aspan) = place(a);
    let (bf, bspan) = place(b);
    let message = format!(
        "out of hours, step `{}` allows {}, longer than its office-hours twin `{}` ({})",
        a.name,
        human(wa),
        b.name,
        human(wb)
    );
    let help = format!(
        "out-of-hours procedures mirror daytime ones and never lower thresholds{}",
        FloorCites::note(&fw.floor_spans.cites.parity)
    );
    if a.refines.is_none() && b.refines.is_some() {
        Diagnostic::new(
            Code::OutOfHoursLaxer,
            bf,
            bspan,
            message,
            "stricter in office hours than its out-of-hours twin",
            format!("{help}: refine `{}` in this protocol to match", a.name),
        )
        .with(af, aspan, "the out-of-hours step")
    } else {
        Diagnostic::new(
            Code::OutOfHoursLaxer,
            af,
            aspan,
            message,
            "laxer out of hours",
            help,
        )
        .with(bf, bspan, "the office-hours step")
    }
}

/// Why refining `b` as `n` makes it laxer, if it does, every way at once (found by a
/// docs-only tester: fixing the one reason given brought the next): a later worst-case
/// deadline (`wn` against `wb`), a different action, a more junior role to notify, fewer
/// contact attempts, or a breach escalation dropped or slowed. Fewer situations in which it
/// applies is said alone: a condition that waits for an observation also has no worst case,
/// and the condition is the cause to name.
fn laxer_refinement(
    fw: &FrameworkScope<'_>,
    n: &StepDef,
    wn: Option<u64>,
    b: &StepDef,
    wb: Option<u64>,
) -> Option<String> {
    if narrower(&b.condition, &n.condition) {
        return Some("applies in fewer situations than the framework's rule".into());
    }
    let mut why: Vec<String> = Vec::new();
    if later(wn, wb) {
        why.push(format!(
            "allows up to {}, where the framework allows {}",
            human(wn),
            human(wb)
        ));
    }
    if std::mem::discriminant(&n.action) != std::mem::discriminant(&b.action) {
        why.push("does something different from the framework's rule".into());
    }
    match (&n.action, &b.action) {
        (ActionDef::Notify(x), ActionDef::Notify(y)) if x != y && !covers_all(fw, *x, *y) => {
            why.push("notifies a role that does not cover the one the framework names".into());
        }
        (ActionDef::Attempt { .. }, ActionDef::Attempt { .. }) => {
            why.extend(laxer_attempts(fw, &n.action, &b.action));
        }
        _ => {}
    }
    match (&n.breach, &b.breach) {
        (None, Some(_)) => why.push("drops the framework's escalation on breach".into()),
        (Some((rn, _)), Some((rb, _))) if rn != rb && !covers_all(fw, *rn, *rb) => {
            why.push(
                "hands the breach escalation to a role that does not cover the framework's".into(),
            );
        }
        (Some((_, dn)), Some((_, db)))
            if of_deadline(*dn, Clocks::of(fw)).unwrap_or(u64::MAX)
                > of_deadline(*db, Clocks::of(fw)).unwrap_or(u64::MAX) =>
        {
            why.push("escalates a breach more slowly than the framework".into());
        }
        _ => {}
    }
    (!why.is_empty()).then(|| why.join("; and it "))
}

/// Why attempts `n` are laxer than the framework's `b`, if they are: fewer of them, a window
/// of the spread no longer covered, or the follow-up after each unanswered one dropped or
/// changed.
fn laxer_attempts(fw: &FrameworkScope<'_>, n: &ActionDef, b: &ActionDef) -> Option<String> {
    let (
        ActionDef::Attempt {
            times: x,
            covering: cn,
            follow_up: fn_,
            ..
        },
        ActionDef::Attempt {
            times: y,
            covering: cb,
            follow_up: fb,
            ..
        },
    ) = (n, b)
    else {
        return None;
    };
    if x < y {
        return Some(format!(
            "makes {x} contact attempts where the framework makes {y}"
        ));
    }
    if let Some(missing) = cb.iter().find(|c| !cn.contains(c)) {
        let name = fw
            .calendars
            .names()
            .get(missing.index())
            .map_or("", String::as_str);
        return Some(format!(
            "no longer has an attempt cover `{name}`, as the framework's does"
        ));
    }
    match (fn_, fb) {
        (None, Some(f)) => Some(format!(
            "drops the framework's follow-up after each unanswered attempt ({})",
            f.words()
        )),
        (Some(a), Some(f)) if a != f => Some(format!(
            "changes the framework's follow-up after each unanswered attempt ({}) to {}",
            f.words(),
            a.words()
        )),
        _ => None,
    }
}

/// True if `new` fails to hold somewhere `base` holds.
fn narrower(base: &Cond, new: &Cond) -> bool {
    CondX::And(vec![to_x(base), CondX::Not(Box::new(to_x(new)))]).satisfiable(None)
}

fn to_x(c: &Cond) -> CondX {
    CondX::from_cond(c)
}

/// The roles a responsible party may be: a role, or either arm of an alias.
fn roles_of(fw: &FrameworkScope<'_>, r: Responsible) -> Vec<usize> {
    match r {
        Responsible::Role(id) => vec![id.index()],
        Responsible::Alias(a) => fw
            .alias_defs
            .get(a.index())
            .map(|d| vec![d.inside.index(), d.otherwise.index()])
            .unwrap_or_default(),
    }
}

/// Every role `x` may be covers (or is) every role `y` may be.
fn covers_all(fw: &FrameworkScope<'_>, x: Responsible, y: Responsible) -> bool {
    let ys = roles_of(fw, y);
    roles_of(fw, x).iter().all(|a| {
        let closure = fw.covers_closure(*a);
        ys.iter()
            .all(|b| a == b || closure.iter().any(|c| c.index() == *b))
    })
}

/// Notifying `target` escalates from `by`: every role the target may be covers every role the
/// notifier may be, and is not the same role.
fn escalates(fw: &FrameworkScope<'_>, target: Responsible, by: Responsible) -> bool {
    let bys = roles_of(fw, by);
    roles_of(fw, target).iter().all(|t| {
        let closure = fw.covers_closure(*t);
        bys.iter()
            .all(|b| t != b && closure.iter().any(|c| c.index() == *b))
    })
}

/// A step laxer than a floor or the rule it refines, and where that floor or rule is.
pub(super) struct Laxer<'a> {
    pub file: usize,
    pub span: Span,
    pub message: String,
    /// The `because` written on it, if any (a blank one justifies nothing).
    pub because: Option<&'a str>,
    /// Where the rule it is laxer than is written, and what to call that place.
    pub floor: (usize, Span, &'static str),
}

/// A step below one of the framework's floors: an error, or a warning if justified.
fn below_floor(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    step: &StepDef,
    message: String,
    floor_span: Span,
) {
    let (file, span) = place(step);
    laxer(
        cx,
        Laxer {
            file,
            span,
            message,
            because: step.because.as_deref(),
            floor: (fw.file, floor_span, "the floor is set here"),
        },
    );
}

/// Report a laxer step: an error, or a warning when a justification is recorded.
pub(super) fn laxer(cx: &mut Ctx<'_>, l: Laxer<'_>) {
    let blank = l.because.is_some_and(|b| b.trim().is_empty());
    let d = match l.because.filter(|b| !b.trim().is_empty()) {
        Some(why) => Diagnostic::new(
            Code::JustifiedOverride,
            l.file,
            l.span,
            l.message,
            "laxer, with a recorded justification",
            format!("accepted because: \"{why}\"; review it at the next protocol review"),
        ),
        None => Diagnostic::new(
            Code::LaxerThanFloor,
            l.file,
            l.span,
            l.message,
            "laxer than allowed",
            if blank {
                "the `because` given is blank: say why it is laxer, or make it at least as strict"
            } else {
                "make it at least as strict, or record why with `because \"...\"` (the override is then reported as a warning)"
            },
        ),
    };
    let (file, span, label) = l.floor;
    cx.report(d.with(file, span, label));
}

/// Out-of-hours parity between pathways on one trigger, one taking it out of hours and one in
/// office hours (`on referral when out_of_hours` / `when not out_of_hours`): each step of the
/// out-of-hours ladder may not allow longer than its twin in the office-hours ladder (the step
/// of the same name, else the one in the same place among steps of the same kind of action).
pub fn pathway_parity(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, pathways: &[PathwayDef]) {
    for night in pathways.iter().filter(|p| is_out_of_hours_only(&p.when)) {
        for day in pathways
            .iter()
            .filter(|d| d.trigger == night.trigger && is_in_hours_only(&d.when))
        {
            let clocks = Clocks::of(fw);
            let (mut wn, mut wd) = (
                Worst::new(&night.steps, clocks),
                Worst::new(&day.steps, clocks),
            );
            for (j, b) in day.steps.iter().enumerate() {
                if twin_in(b, j, day, night).is_none() {
                    cx.report(missing_twin(fw, night, day, b));
                }
            }
            for (i, a) in night.steps.iter().enumerate() {
                let Some(j) = twin_in(a, i, night, day) else {
                    continue;
                };
                let Some(b) = day.steps.get(j) else { continue };
                let (wa, wb) = (wn.of(i), wd.of(j));
                if later(wa, wb) {
                    cx.report(pathway_parity_finding(fw, (night, a, wa), (day, b, wb)));
                }
            }
        }
    }
}

/// W012: triggers some circumstances leave to no pathway, where every pathway on the trigger
/// has a `when` and together they leave a case out (each such trigger is a manual review when
/// it happens), and declared triggers no pathway starts on.
pub fn trigger_coverage(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    pathways: &[PathwayDef],
    framework: bool,
) {
    let mut seen: Vec<crate::rules::TriggerOn> = Vec::new();
    for p in pathways {
        if seen.contains(&p.trigger) {
            continue;
        }
        seen.push(p.trigger);
        let on: Vec<&PathwayDef> = pathways.iter().filter(|q| q.trigger == p.trigger).collect();
        let cover = CondX::Or(on.iter().map(|q| to_x(&q.when)).collect());
        if !CondX::Not(Box::new(cover)).satisfiable(None) {
            continue;
        }
        let whens: Vec<String> = on
            .iter()
            .map(|q| {
                format!(
                    "`{}` only when {}",
                    q.name,
                    q.when_text.as_deref().unwrap_or_default()
                )
            })
            .collect();
        cx.report(Diagnostic::new(
            Code::UntakenTrigger,
            p.origin.source,
            p.origin.span,
            format!(
                "some `{}` triggers are taken by no pathway: {}",
                trigger_name(fw, p.trigger),
                whens.join("; ")
            ),
            "a case no `when` covers",
            "each such trigger becomes a manual review for the manager when it happens: add a pathway for the case left out, or widen a `when`",
        ));
    }
    if !framework {
        return;
    }
    // As written, so that a pathway with an error of its own still counts as acting on it.
    for t in &fw.trigger_defs {
        let written = fw
            .pathways
            .iter()
            .any(|p| p.trigger.as_ref().is_some_and(|tr| tr.event.name == t.name));
        if written {
            continue;
        }
        if let Some(id) = fw.triggers.get(&t.name) {
            if let Some((f, span)) = fw.triggers.declared_at(id) {
                cx.report(Diagnostic::new(
                    Code::UntakenTrigger,
                    f,
                    span,
                    format!("no pathway starts `on {}`", t.name),
                    "declared, never acted on",
                    "each such trigger becomes a manual review for the manager when it happens: write a pathway `on` it",
                ));
            }
        }
    }
}

fn trigger_name(fw: &FrameworkScope<'_>, t: crate::rules::TriggerOn) -> String {
    match t {
        crate::rules::TriggerOn::Builtin(k) => k.name().to_string(),
        crate::rules::TriggerOn::Declared(id) => fw
            .trigger_defs
            .get(id.index())
            .map_or_else(String::new, |d| d.name.clone()),
    }
}

/// The twin in `day` of step `i` (`a`) of `night`: the step of the same name doing the same
/// kind of thing, else the step in the same place among those of its kind.
fn twin_in(a: &StepDef, i: usize, night: &PathwayDef, day: &PathwayDef) -> Option<usize> {
    let kind = |s: &StepDef| std::mem::discriminant(&s.action);
    if let Some(j) = day
        .steps
        .iter()
        .position(|b| b.name == a.name && kind(b) == kind(a))
    {
        return Some(j);
    }
    let nth = night
        .steps
        .iter()
        .take(i)
        .filter(|s| kind(s) == kind(a))
        .count();
    day.steps
        .iter()
        .enumerate()
        .filter(|(_, b)| kind(b) == kind(a))
        .nth(nth)
        .map(|(j, _)| j)
}

/// An office-hours step the out-of-hours pathway has nothing like: out of hours, that part of
/// the procedure would not happen at all.
fn missing_twin(
    fw: &FrameworkScope<'_>,
    night: &PathwayDef,
    day: &PathwayDef,
    b: &StepDef,
) -> Diagnostic {
    let (bf, bspan) = place(b);
    Diagnostic::new(
        Code::OutOfHoursLaxer,
        night.origin.source,
        night.origin.span,
        format!(
            "out of hours, pathway `{}` has no step like `{}` of pathway `{}`",
            night.name, b.name, day.name
        ),
        "nothing like it out of hours",
        format!(
            "out-of-hours procedures mirror daytime ones and never lower thresholds: add a step of the same kind to `{}`, named `{}` (in a protocol, by refining `{}`){}",
            night.name,
            b.name,
            night.name,
            FloorCites::note(&fw.floor_spans.cites.parity)
        ),
    )
    .with(bf, bspan, "the office-hours step")
}

fn pathway_parity_finding(
    fw: &FrameworkScope<'_>,
    (np, a, wa): (&PathwayDef, &StepDef, Option<u64>),
    (dp, b, wb): (&PathwayDef, &StepDef, Option<u64>),
) -> Diagnostic {
    let (af, aspan) = place(a);
    let (bf, bspan) = place(b);
    Diagnostic::new(
        Code::OutOfHoursLaxer,
        af,
        aspan,
        format!(
            "out of hours, step `{}` of pathway `{}` allows {}, longer than its office-hours twin `{}` of pathway `{}` ({})",
            a.name,
            np.name,
            human(wa),
            b.name,
            dp.name,
            human(wb)
        ),
        "laxer out of hours",
        format!(
            "out-of-hours procedures mirror daytime ones and never lower thresholds{}",
            FloorCites::note(&fw.floor_spans.cites.parity)
        ),
    )
    .with(bf, bspan, "the office-hours step")
}

fn is_out_of_hours_only(c: &Cond) -> bool {
    match c {
        Cond::OutOfHours => true,
        Cond::And(cs) => cs.iter().any(is_out_of_hours_only),
        _ => false,
    }
}

fn is_in_hours_only(c: &Cond) -> bool {
    match c {
        Cond::Not(inner) => matches!(**inner, Cond::OutOfHours),
        Cond::And(cs) => cs.iter().any(is_in_hours_only),
        _ => false,
    }
}

/// Person-level checks: contact stages and phone use in the effective ladders. A cascade is
/// checked for everyone it tries, the members its classes bring included.
pub fn person(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    ladders: &[&[StepDef]],
) {
    let contacts = p.contact_list();
    for steps in ladders {
        let stages: Vec<&str> =
            steps
                .iter()
                .filter_map(|s| s.stage.as_deref())
                .fold(Vec::new(), |mut acc, s| {
                    if !acc.contains(&s) {
                        acc.push(s);
                    }
                    acc
                });
        for s in steps.iter() {
            if let ActionDef::Contact(items) = &s.action {
                for c in crate::rules::cascade::expand(items, &contacts) {
                    let via = super::classes::via_class(fw, items, c, &contacts);
                    contact_stage(cx, p, &stages, s, c, via);
                }
            }
            if let ActionDef::Attempt { methods, .. } = &s.action {
                for m in methods {
                    ruled_out(cx, p, s, *m);
                }
            }
        }
    }
}

/// A step attempting contact by `m` when the person's communication need rules it out: at all
/// times (E020), or inside a calendar (W006: the checker cannot know when the attempts will be
/// made; at evaluation, attempts made inside the calendar do not count).
fn ruled_out(cx: &mut Ctx<'_>, p: &PersonScope<'_>, s: &StepDef, m: crate::vocab::Method) {
    if let Some(need) = p.ruled_out_always(m) {
        cx.report(ruled_out_for_step(p, s, need, m));
        return;
    }
    let Some(need) = p.ruled_out_at_times(m) else {
        return;
    };
    let Some((cal, calendar)) = &need.window else {
        return;
    };
    // A step that only applies when triggered outside the calendar (`when not in night_time`)
    // is written for the hours the method is allowed; an attempt that still falls inside the
    // calendar does not count at evaluation, so nothing is lost by not warning here.
    let inside = CondX::And(vec![to_x(&s.condition), CondX::InCalendar(*cal)]);
    if !inside.satisfiable(None) {
        return;
    }
    let (file, span) = place(s);
    let step = if file == p.file {
        format!("step `{}`", s.name)
    } else {
        format!("the framework's step `{}`", s.name)
    };
    let mut d = Diagnostic::new(
        Code::MethodRuledOutAtTimes,
        p.file,
        if file == p.file { span } else { p.head },
        format!(
            "{step} may attempt contact by `{m}`, which the person's communication need `{}` rules out in `{calendar}`",
            need.name
        ),
        format!("{m} attempts ruled out in {calendar}"),
        if file == p.file {
            format!(
                "attempts by {m} made in `{calendar}` will not count towards this step, and it can go overdue; if that is not meant, name methods the person can receive then with `via`"
            )
        } else {
            format!(
                "attempts by {m} made in `{calendar}` will not count towards this step, and it can go overdue; if that is not meant, refine step `{}` in this protocol with methods the person can receive then",
                s.name
            )
        },
    );
    if file != p.file {
        d = d.with(file, span, "the framework's step");
    }
    cx.report(d);
}

/// A contact reached before the stage the protocol allows it from (`stages`: the ladder's
/// stages in order; `via`: the class that brings the contact into the cascade, if the step
/// does not name them). A framework step is reported in the protocol, which can only change
/// the contact, with the step beside it.
fn contact_stage(
    cx: &mut Ctx<'_>,
    p: &PersonScope<'_>,
    stages: &[&str],
    s: &StepDef,
    c: crate::rules::ContactId,
    via: Option<&str>,
) {
    let Some((def, stage_span)) = p.contact_defs.get(c.index()) else {
        return;
    };
    let Some(from) = def.from_stage.as_deref() else {
        return;
    };
    // A ladder without the stage (refusal, self-neglect) cannot express it; the restriction
    // governs the ladders that have it (docs/language.md).
    let Some(fi) = stages.iter().position(|x| *x == from) else {
        return;
    };
    let (file, span) = place(s);
    let own = file == p.file;
    let allowed = stage_span.unwrap_or(p.head);
    let step = if own {
        format!("step `{}`", s.name)
    } else {
        format!("the framework's step `{}`", s.name)
    };
    let who = match via {
        Some(k) => format!("`{}` (in class `{k}`)", def.name),
        None => format!("`{}`", def.name),
    };
    let too_early = |message: String, help: String| {
        if own {
            Diagnostic::new(
                Code::ContactTooEarly,
                file,
                span,
                message,
                "too early",
                help,
            )
            .with(p.file, allowed, "allowed from here")
        } else {
            // The protocol cannot move the framework's step: it can change the contact.
            let help = format!(
                "take `{}` out of class `{}`, or change its `from stage` after discussing it with the person",
                def.name,
                via.unwrap_or_default()
            );
            Diagnostic::new(
                Code::ContactTooEarly,
                p.file,
                allowed,
                message,
                "allowed from here",
                help,
            )
            .with(file, span, "too early")
        }
    };
    let Some(at) = s.stage.as_deref() else {
        cx.report(too_early(
            format!(
                "{step} contacts {who} outside any stage, but the protocol allows it only from stage `{from}`"
            ),
            format!("put the step inside `stage {from} {{ ... }}` or a later stage"),
        ));
        return;
    };
    let ai = stages.iter().position(|x| *x == at).unwrap_or(0);
    if ai < fi {
        cx.report(too_early(
            format!("{step} contacts {who} at stage `{at}`, before the stage `{from}` the protocol allows"),
            format!("move the step into stage `{from}` or later, or change the contact's `from stage` after discussing it with the person"),
        ));
    }
}

/// Attempts by a method the person's need rules out at all times; a framework step is
/// reported in the protocol, which must refine it.
fn ruled_out_for_step(
    p: &PersonScope<'_>,
    s: &StepDef,
    need: &crate::check::vocabulary::Need,
    m: crate::vocab::Method,
) -> Diagnostic {
    let (file, span) = place(s);
    if file == p.file {
        return p.ruled_out_finding(
            span,
            &format!("step `{}` makes {m} contact attempts", s.name),
            need,
            m,
        );
    }
    // A framework step that names no methods uses the protocol's `methods`: when those hold
    // the method, that line is the one to change (found by a docs-only tester: three framework
    // steps were reported at the protocol's head, and refining each was suggested, when
    // taking the method out of `methods` clears them all).
    let inherited = matches!(
        &s.action,
        crate::rules::ActionDef::Attempt { methods, .. } if !p.methods.is_empty() && *methods == p.methods
    );
    let (at, help) = match p.methods_span {
        Some(line) if inherited => (
            line,
            format!(
                "the step makes its attempts by this protocol's `methods`: take `{m}` out of them (which clears every step that uses them), or refine step `{}` in this protocol",
                s.name
            ),
        ),
        _ => (
            p.head,
            format!(
                "refine step `{}` in this protocol with methods the person can receive",
                s.name
            ),
        ),
    };
    let mut f = p.ruled_out_finding(
        at,
        &format!(
            "the framework's step `{}` makes {m} contact attempts",
            s.name
        ),
        need,
        m,
    );
    f.help = help;
    f.with(file, span, "the framework's step")
}
