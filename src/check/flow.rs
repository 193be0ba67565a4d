//! Branches: which ends of a step the steps after it follow, proved against what the step can
//! do (the table in [`crate::rules::flow`]): a branch that can never be taken (E039), two
//! alternatives that take the same end (E040), and a failure no branch takes (E041).

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::table::unknown;
use super::Ctx;
use crate::rules::flow::{DecisionDef, Follow, Takes};
use crate::rules::{ActionDef, StepDef};
use crate::syntax::ast::{Branch, Step, StepClause};
use crate::vocab::Outcome;

/// Resolve every branch in a list of steps and prove the branches after each step. False if
/// anything was reported.
pub fn branches(
    cx: &mut Ctx<'_>,
    srcs: &[(usize, &Step)],
    steps: &mut [Option<StepDef>],
    decisions: &[DecisionDef],
) -> bool {
    let mut ok = true;
    // Steps with a branch after them that could not be read: their alternatives are not
    // proved, so one mistake is reported once.
    let mut unread: Vec<u16> = Vec::new();
    for (i, (file, step)) in srcs.iter().enumerate() {
        let Some(branch) = step.clauses.iter().find_map(|c| match c {
            StepClause::After(_, Some(b)) => Some(b),
            _ => None,
        }) else {
            continue;
        };
        let target = steps
            .get(i)
            .and_then(|s| s.as_ref())
            .and_then(|s| s.after)
            .and_then(|j| steps.get(usize::from(j)))
            .and_then(|s| s.as_ref());
        let Some(target) = target else { continue };
        let follows = match branch {
            Branch::Otherwise(_) => Some(Follow::Otherwise),
            Branch::If(names, _) => {
                let mut takes = Vec::new();
                for n in names {
                    match takes_of(cx, *file, n, target, decisions) {
                        Some(t) => takes.push(t),
                        None => {
                            ok = false;
                            unread.extend(
                                steps.get(i).and_then(|s| s.as_ref()).and_then(|s| s.after),
                            );
                        }
                    }
                }
                Some(Follow::On(takes))
            }
        };
        if let (Some(f), Some(Some(step))) = (follows, steps.get_mut(i)) {
            step.follows = f;
        }
    }
    for j in 0..steps.len() {
        if !unread.iter().any(|u| usize::from(*u) == j) {
            ok &= alternatives(cx, srcs, steps, j, decisions);
        }
    }
    ok
}

/// Why a name in `if` cannot be taken.
enum Miss {
    /// A known end the step never has: why, and what to write instead.
    Never(String, String),
    /// Not an end at all: the names that are.
    Unknown(Vec<String>),
}

/// What one name in `if` stands for after `target`, or `None` after reporting it.
fn takes_of(
    cx: &mut Ctx<'_>,
    file: usize,
    n: &crate::syntax::ast::Ident,
    target: &StepDef,
    decisions: &[DecisionDef],
) -> Option<Takes> {
    let found = match target.action {
        ActionDef::Decide(d) => match decisions.get(d.index()) {
            Some(d) => decision_takes(d, &n.name, target.deadline.is_some()),
            None => return None,
        },
        _ => action_takes(target, &n.name),
    };
    match found {
        Ok(t) => Some(t),
        Err(Miss::Never(why, help)) => {
            cx.report(Diagnostic::new(
                Code::UnreachableBranch,
                file,
                n.span,
                format!("step `{}` never ends `{}`", target.name, n.name),
                why,
                help,
            ));
            None
        }
        Err(Miss::Unknown(candidates)) => {
            let names = candidates.iter().map(String::as_str);
            let mut d = unknown("outcome", &n.name, file, n.span, names);
            // A decision's outcomes are the framework's to list: the name may be one it
            // forgot (found by a docs-only tester: a decision listing one outcome had its
            // other named here, and the help offered only the one it listed).
            if let ActionDef::Decide(id) = target.action {
                if let Some(def) = decisions.get(id.index()) {
                    let listed: Vec<String> =
                        def.outcomes.iter().map(|o| format!("`{o}`")).collect();
                    d.help = format!(
                        "decision `{}` lists {}; {}if staff may record `{}`, add it to the decision's `outcomes`",
                        def.name,
                        crate::wording::and_list(&listed),
                        if d.help.starts_with("did you mean") {
                            format!("{} or, ", d.help.trim_end_matches('?'))
                        } else {
                            String::new()
                        },
                        n.name
                    );
                }
            }
            cx.report(d);
            None
        }
    }
}

/// A name in `if` after a `decide` step: one of its outcomes, or `overdue` if it is timed.
fn decision_takes(d: &DecisionDef, name: &str, timed: bool) -> Result<Takes, Miss> {
    if let Some(k) = d.outcome(name) {
        return Ok(Takes::Decided(k));
    }
    if name == "overdue" && timed {
        return Ok(Takes::Overdue);
    }
    if ["done", "reached", "failed", "overdue"].contains(&name)
        || Outcome::from_name(name).is_some()
    {
        return Err(Miss::Never(
            format!(
                "a decision ends with one of its outcomes: {}",
                crate::wording::listed(
                    d.outcomes.iter().map(String::as_str),
                    crate::wording::MOST_LISTED
                )
            ),
            format!("name one of the outcomes of `{}`", d.name),
        ));
    }
    Err(Miss::Unknown(d.outcomes.clone()))
}

/// A name in `if` after any other step: `done`, `failed`, `overdue` or a failure outcome its
/// action can end with ([`ActionDef::failures`]).
fn action_takes(target: &StepDef, name: &str) -> Result<Takes, Miss> {
    let failures = target.action.failures();
    let cannot_fail = || {
        Miss::Never(
            format!(
                "`{}` cannot fail: it is done, or goes overdue",
                target.action.name()
            ),
            "follow `done` or `overdue`, or use a plain `after`".into(),
        )
    };
    match name {
        "done" | "reached" => Ok(Takes::Done),
        "overdue" if target.deadline.is_some() => Ok(Takes::Overdue),
        "overdue" => Err(Miss::Never(
            "it has no deadline, so it is never overdue".into(),
            "give the step a deadline, or follow another of its ends".into(),
        )),
        "failed" if failures.is_empty() => Err(cannot_fail()),
        "failed" => Ok(Takes::Failed),
        name => match Outcome::from_name(name) {
            Some(o) if failures.contains(&o) => Ok(Takes::Outcome(o)),
            Some(_) if failures.is_empty() => Err(cannot_fail()),
            Some(_) => Err(Miss::Never(
                format!(
                    "step `{}` can end only done, or with {}",
                    target.name,
                    names(failures)
                ),
                "name one of those outcomes, or `failed` for any of them".into(),
            )),
            None => Err(Miss::Unknown(
                ["done", "failed", "overdue"]
                    .into_iter()
                    .chain(Outcome::ALL.iter().map(|o| o.name()))
                    .map(String::from)
                    .collect(),
            )),
        },
    }
}

/// "no_answer, refused"
fn names(outcomes: &[Outcome]) -> String {
    outcomes
        .iter()
        .map(|o| format!("`{}`", o.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One concrete end a step may have, for comparing branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Concrete {
    Done,
    Overdue,
    Failed(Outcome),
    Decided(u16),
}

/// Every end `step` may have.
pub(super) fn ends(step: &StepDef, decisions: &[DecisionDef]) -> Vec<Concrete> {
    let mut out = match step.action {
        ActionDef::Decide(d) => decisions.get(d.index()).map_or(Vec::new(), |d| {
            (0..d.outcomes.len())
                .filter_map(|k| u16::try_from(k).ok())
                .map(Concrete::Decided)
                .collect()
        }),
        _ => vec![Concrete::Done],
    };
    out.extend(step.action.failures().iter().map(|o| Concrete::Failed(*o)));
    if step.deadline.is_some() {
        out.push(Concrete::Overdue);
    }
    out
}

/// The concrete ends one branch takes.
pub(super) fn taken(t: Takes, step: &StepDef) -> Vec<Concrete> {
    match t {
        Takes::Done => vec![Concrete::Done],
        Takes::Overdue => vec![Concrete::Overdue],
        Takes::Failed => step
            .action
            .failures()
            .iter()
            .map(|o| Concrete::Failed(*o))
            .collect(),
        Takes::Outcome(o) => vec![Concrete::Failed(o)],
        Takes::Decided(k) => vec![Concrete::Decided(k)],
    }
}

/// The branches after step `j`: no two take the same end (where their conditions can both
/// hold), an `otherwise` has something left to take, and every failure has a way forward
/// whatever the conditions.
fn alternatives(
    cx: &mut Ctx<'_>,
    srcs: &[(usize, &Step)],
    steps: &[Option<StepDef>],
    j: usize,
    decisions: &[DecisionDef],
) -> bool {
    let Some(Some(target)) = steps.get(j) else {
        return true;
    };
    let after_j: Vec<(usize, &StepDef)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
        .filter(|(_, s)| s.after.map(usize::from) == Some(j) && s.follows != Follow::Any)
        .collect();
    if after_j.is_empty() {
        return true;
    }
    let mut ok = overlaps(cx, srcs, target, &after_j, decisions);
    // Each end, with the conditions under which a branch takes it.
    let taking = |c: Concrete| -> Vec<CondX> {
        after_j
            .iter()
            .filter(|(_, s)| match &s.follows {
                Follow::On(ts) => ts.iter().any(|t| taken(*t, target).contains(&c)),
                _ => false,
            })
            .map(|(_, s)| CondX::from_cond(&s.condition))
            .collect()
    };
    // An end is left when some circumstance has no branch taking it.
    let left: Vec<Concrete> = ends(target, decisions)
        .into_iter()
        .filter(|c| CondX::Not(Box::new(CondX::Or(taking(*c)))).satisfiable(None))
        .collect();
    match after_j.iter().find(|(_, s)| s.follows == Follow::Otherwise) {
        Some((i, _)) if left.is_empty() => {
            if let Some((file, sp)) = branch_span(srcs, *i) {
                ok = false;
                cx.report(Diagnostic::new(
                    Code::UnreachableBranch,
                    file,
                    sp,
                    format!("nothing is left for `otherwise` after `{}`", target.name),
                    "the other branches take every end",
                    "remove this branch, or narrow one of the others",
                ));
            }
        }
        Some(_) => {}
        None => {
            ok &= way_forward(cx, srcs, (j, target), &after_j, &left, decisions);
            undecided(cx, srcs, steps, j, target, &left);
        }
    }
    ok
}

/// W013: a decision with branches for its outcomes and none for nobody deciding in time (no
/// plain `after`, which would start then, and no `on breach` notice): the procedure stops at
/// the overdue decision.
fn undecided(
    cx: &mut Ctx<'_>,
    srcs: &[(usize, &Step)],
    steps: &[Option<StepDef>],
    j: usize,
    target: &StepDef,
    left: &[Concrete],
) {
    let plain_after = steps
        .iter()
        .flatten()
        .any(|s| s.after.map(usize::from) == Some(j) && s.follows == Follow::Any);
    let deciding = matches!(target.action, crate::rules::ActionDef::Decide(_));
    // An `on breach` notice takes the overdue decision to someone senior: a way forward.
    if !deciding || plain_after || target.breach.is_some() || !left.contains(&Concrete::Overdue) {
        return;
    }
    let Some((file, step)) = srcs.get(j) else {
        return;
    };
    cx.report(Diagnostic::new(
        Code::UndecidedGoesNowhere,
        *file,
        step.name.span,
        format!(
            "if nobody decides `{}` by its deadline, no step follows it",
            target.name
        ),
        "the procedure stops here while the decision is overdue",
        format!(
            "say what happens then: `after {0} if overdue` (often the safer course, taken at once) or `after {0} otherwise`",
            target.name
        ),
    ));
}

/// Where the branch of step `i` is written (its `after ... if` or `otherwise`).
fn branch_span(srcs: &[(usize, &Step)], i: usize) -> Option<(usize, crate::span::Loc)> {
    srcs.get(i).map(|(file, step)| {
        let sp = step
            .clauses
            .iter()
            .find_map(|c| match c {
                StepClause::After(_, Some(b)) => Some(b.span()),
                _ => None,
            })
            .unwrap_or(step.name.span);
        (*file, sp)
    })
}

/// Two branches after `target` that take the same end where both their conditions can hold
/// (E040), and a second `otherwise`. False if any was reported.
fn overlaps(
    cx: &mut Ctx<'_>,
    srcs: &[(usize, &Step)],
    target: &StepDef,
    after_j: &[(usize, &StepDef)],
    decisions: &[DecisionDef],
) -> bool {
    let mut ok = true;
    for (n, (i, s)) in after_j.iter().enumerate() {
        let earlier = after_j.get(..n).unwrap_or(&[]);
        let both = |other: &StepDef| {
            CondX::And(vec![
                CondX::from_cond(&s.condition),
                CondX::from_cond(&other.condition),
            ])
            .satisfiable(None)
        };
        let (earlier_branch, message, help) = match &s.follows {
            Follow::Otherwise => {
                let Some((first, _)) = earlier
                    .iter()
                    .find(|(_, o)| o.follows == Follow::Otherwise && both(o))
                else {
                    continue;
                };
                (
                    *first,
                    format!("two steps follow `{}` otherwise", target.name),
                    format!(
                        "step `{}` already takes whatever the others leave; merge the two, or give one an `if`",
                        srcs.get(*first).map_or("", |x| x.1.name.name.as_str())
                    ),
                )
            }
            Follow::On(ts) => {
                let mine: Vec<Concrete> = ts.iter().flat_map(|t| taken(*t, target)).collect();
                let clash =
                    earlier
                        .iter()
                        .filter(|(_, o)| both(o))
                        .find_map(|(k, o)| match &o.follows {
                            Follow::On(os) => os
                                .iter()
                                .flat_map(|t| taken(*t, target))
                                .find(|c| mine.contains(c))
                                .map(|c| (*k, c)),
                            _ => None,
                        });
                let Some((other, clash)) = clash else {
                    continue;
                };
                (
                    other,
                    format!(
                        "two steps after `{}` both follow it when it ends `{}`",
                        target.name,
                        concrete_name(clash, target, decisions)
                    ),
                    "branches after one step are alternatives: give each end to one of them, or make their `when` conditions exclusive (a plain `after` starts when the step is done or goes overdue)".to_string(),
                )
            }
            Follow::Any => continue,
        };
        if let Some((file, sp)) = branch_span(srcs, *i) {
            ok = false;
            let mut d = Diagnostic::new(
                Code::OverlappingBranches,
                file,
                sp,
                message,
                "taken by an earlier branch too",
                help,
            );
            // The other branch may be in the framework, far from this protocol's step.
            if let Some((f, other_sp)) = branch_span(srcs, earlier_branch) {
                let name = srcs
                    .get(earlier_branch)
                    .map_or("", |x| x.1.name.name.as_str());
                d = d.with(f, other_sp, format!("step `{name}` takes it first"));
            }
            cx.report(d);
        }
    }
    ok
}

/// E041: a failure of step `j` that, in some circumstance, no branch takes. When branches
/// take it only under their `when`, the finding names those conditions and points at them:
/// "no step follows" alone read as false to an author whose branch does follow, out of hours.
fn way_forward(
    cx: &mut Ctx<'_>,
    srcs: &[(usize, &Step)],
    (j, target): (usize, &StepDef),
    after_j: &[(usize, &StepDef)],
    left: &[Concrete],
    decisions: &[DecisionDef],
) -> bool {
    let must = target.action.failures_needing_a_way();
    let stuck: Vec<Concrete> = left
        .iter()
        .copied()
        .filter(|c| matches!(c, Concrete::Failed(o) if must.contains(o)))
        .collect();
    let (false, Some((file, step))) = (stuck.is_empty(), srcs.get(j)) else {
        return true;
    };
    let names: Vec<String> = stuck
        .iter()
        .map(|c| format!("`{}`", concrete_name(*c, target, decisions)))
        .collect();
    // The branches that take one of these ends, but only when their condition holds.
    let partly: Vec<(usize, &StepDef, &str)> = after_j
        .iter()
        .filter(|(_, s)| match &s.follows {
            Follow::On(ts) => ts
                .iter()
                .any(|t| taken(*t, target).iter().any(|c| stuck.contains(c))),
            _ => false,
        })
        .filter_map(|(i, s)| Some((*i, *s, s.when_text.as_deref()?)))
        .collect();
    let unless = partly
        .iter()
        .map(|(_, s, w)| format!("`when {w}` (step `{}`)", s.name))
        .collect::<Vec<_>>()
        .join(" or ");
    let message = if partly.is_empty() {
        format!(
            "when step `{}` ends {}, no step follows",
            target.name,
            names.join(" or ")
        )
    } else {
        format!(
            "when step `{}` ends {}, no step follows unless {unless} holds",
            target.name,
            names.join(" or ")
        )
    };
    let mut d = Diagnostic::new(
        Code::NoWayForward,
        *file,
        step.name.span,
        message,
        "the procedure stops here if this fails that way",
        "add a branch for it (`after STEP if failed` takes every failure), or `after STEP otherwise`; branches with `when` must between them cover every circumstance",
    );
    for (i, _, _) in &partly {
        if let Some((f, sp)) = branch_span(srcs, *i) {
            d = d.with(f, sp, "takes it only when its `when` holds");
        }
    }
    cx.report(d);
    false
}

/// An end as written in a branch.
pub(super) fn concrete_name(c: Concrete, step: &StepDef, decisions: &[DecisionDef]) -> String {
    match c {
        Concrete::Done => "done".into(),
        Concrete::Overdue => "overdue".into(),
        Concrete::Failed(o) => o.name().into(),
        Concrete::Decided(k) => match step.action {
            ActionDef::Decide(d) => decisions
                .get(d.index())
                .map_or(String::new(), |d| d.outcome_name(k).to_string()),
            _ => String::new(),
        },
    }
}

/// Pathways that hand over to each other in a circle would start each other without end:
/// each circle is reported once (E043), at the step that closes it, when that step is written
/// in `file` (so a framework's circle is reported once, not for every person).
pub fn hand_over_cycles(cx: &mut Ctx<'_>, pathways: &[crate::rules::PathwayDef], file: usize) {
    fn targets<'p>(
        pathways: &[crate::rules::PathwayDef],
        p: &'p crate::rules::PathwayDef,
    ) -> Vec<(usize, &'p StepDef)> {
        p.steps
            .iter()
            .chain(&p.after_closure)
            .filter_map(|s| match &s.action {
                ActionDef::HandOver(to) => {
                    pathways.iter().position(|q| &q.name == to).map(|k| (k, s))
                }
                _ => None,
            })
            .collect()
    }
    for (start, p) in pathways.iter().enumerate() {
        // Depth-first from `start`, looking for a way back to it.
        let mut stack: Vec<(usize, Vec<&str>)> = vec![(start, vec![p.name.as_str()])];
        let mut seen = vec![false; pathways.len()];
        while let Some((at, path)) = stack.pop() {
            let Some(here) = pathways.get(at) else {
                continue;
            };
            for (to, step) in targets(pathways, here) {
                if to == start {
                    // Report a circle only from its first pathway, so it is reported once.
                    let first = path
                        .iter()
                        .filter_map(|n| pathways.iter().position(|q| q.name == *n))
                        .min()
                        .unwrap_or(start);
                    if first == start && step.origin.source == file {
                        let mut circle = path.clone();
                        circle.push(p.name.as_str());
                        cx.report(Diagnostic::new(
                            Code::HandOverCycle,
                            file,
                            step.origin.span,
                            format!(
                                "step `{}` hands over in a circle: {}",
                                step.name,
                                circle.join(" -> ")
                            ),
                            "this hand-over leads back to where it started",
                            "a pathway a hand-over starts must not hand back: end the circle, or make the later pathway its own ladder",
                        ));
                    }
                } else if !seen.get(to).copied().unwrap_or(true) {
                    if let Some(s) = seen.get_mut(to) {
                        *s = true;
                    }
                    let mut next = path.clone();
                    if let Some(q) = pathways.get(to) {
                        next.push(q.name.as_str());
                    }
                    stack.push((to, next));
                }
            }
        }
    }
}
