//! Proofs over every path through a ladder: does every way the procedure can go, in every
//! circumstance its conditions allow, reach a step of a given kind? A step that may never
//! fire (its `when` may not hold, it sits on a branch that may not be taken) does not count.
//!
//! The proof plays against an adversary who picks the circumstances (each condition atom
//! true or false, consistently) and, at each step, how it ends (done, overdue, each failure
//! a branch takes, each outcome of a decision). Nobody finds the person: closure is the one
//! thing the adversary may not choose, since a floor is about the case where safety is never
//! confirmed. Calendar, absence and exception conditions of a step `judged at start` are
//! judged when it starts, so they are free again for each starting point.

use super::conditions::{consistent, CondX};
use super::flow::{ends, taken, Concrete};
use crate::rules::flow::{DecisionDef, Follow, Unended};
use crate::rules::{ActionDef, Cond, PathwayDef, StepDef};

/// The most atoms enumerated exactly; beyond, every conditional step is taken to be one that
/// may not fire (a floor is then proved only by unconditional steps).
const MAX_ATOMS: usize = 10;

/// How deep a proof follows hand-overs to other pathways.
const MAX_DEPTH: usize = 8;

/// What a proof needs besides the ladder.
pub(super) struct Prover<'p> {
    /// Every pathway, for steps that hand over to one.
    pub pathways: &'p [PathwayDef],
    /// The framework's decisions, for the outcomes a `decide` step may end with.
    pub decisions: &'p [DecisionDef],
    /// Does this step meet the requirement?
    pub meets: &'p dyn Fn(&StepDef) -> bool,
    /// Does finding the person close the ladders proved (their trigger leaves safety
    /// unconfirmed)? Then a contact attempt that reaches them, or whereabouts verified, ends
    /// the path: safety is confirmed.
    pub closes: bool,
}

/// One atom of the circumstances: a condition, and for a step judged at its start the step
/// it starts after (so that each starting point judges the time afresh).
#[derive(Debug, Clone, PartialEq)]
struct Atom {
    cond: Cond,
    at: Option<u16>,
}

impl Prover<'_> {
    /// `Ok` if every path through `p` reaches a step that meets the requirement; otherwise a
    /// path that does not, in words ("`decide_visit` is decided `not_needed`").
    pub fn every_path(&self, p: &PathwayDef) -> Result<(), Vec<String>> {
        self.proves(p, 0)
    }

    fn proves(&self, p: &PathwayDef, depth: usize) -> Result<(), Vec<String>> {
        let mut atoms: Vec<Atom> = Vec::new();
        // The pathway's own `when` held at the trigger: circumstances where it does not are
        // no path through this ladder.
        collect(&p.when, None, &mut atoms);
        for s in &p.steps {
            collect(&s.condition, group(s), &mut atoms);
        }
        // Who follows each step, and what their branches say of an end with nothing recorded,
        // found once: looked for at every step, a ladder of thousands of steps took time in
        // their number squared for each circumstance.
        let mut followers: Vec<Vec<usize>> = vec![Vec::new(); p.steps.len()];
        for (j, s) in p.steps.iter().enumerate() {
            if let Some(list) = s.after.and_then(|a| followers.get_mut(usize::from(a))) {
                list.push(j);
            }
        }
        let unended: Vec<Unended> = followers
            .iter()
            .map(|list| {
                Unended::of(
                    list.iter()
                        .filter_map(|j| p.steps.get(*j).map(|s| &s.follows)),
                )
            })
            .collect();
        let exact = atoms.len() <= MAX_ATOMS;
        let n = if exact { atoms.len() } else { 0 };
        for bits in 0u32..(1 << n) {
            let value = |a: &Atom| {
                atoms
                    .iter()
                    .position(|x| x == a)
                    .is_some_and(|i| bits & (1 << i) != 0)
            };
            let global: Vec<CondX> = atoms
                .iter()
                .filter(|a| a.at.is_none())
                .map(|a| CondX::from_cond(&a.cond))
                .collect();
            let holds = |c: &CondX| {
                atoms
                    .iter()
                    .any(|a| a.at.is_none() && CondX::from_cond(&a.cond) == *c && value(a))
            };
            if exact && (!consistent(&global, &holds) || !eval(&p.when, None, &value)) {
                continue;
            }
            let game = Game {
                prover: self,
                p,
                depth,
                followers: &followers,
                unended: &unended,
                memo: std::cell::RefCell::new(vec![None; p.steps.len()]),
                value: &|s: &StepDef| {
                    if exact {
                        eval(&s.condition, group(s), &value)
                    } else {
                        s.condition == Cond::Const(true)
                    }
                },
            };
            let mut path = Vec::new();
            let roots = p
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.after.is_none());
            let avoided = roots
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
                .into_iter()
                .all(|i| game.avoid(i, &mut path));
            if avoided {
                return Err(path);
            }
        }
        Ok(())
    }
}

/// One circumstance being played.
struct Game<'g, 'p> {
    prover: &'g Prover<'p>,
    p: &'g PathwayDef,
    depth: usize,
    /// Does a step's condition hold in this circumstance?
    value: &'g dyn Fn(&StepDef) -> bool,
    /// The steps that start after each step.
    followers: &'g [Vec<usize>],
    /// What the branches after each step say of an end with nothing recorded.
    unended: &'g [Unended],
    /// Each step's answer, once known: a follower reached by several ends (done, overdue) is
    /// played once, so a long chain costs time in proportion to its length.
    memo: std::cell::RefCell<Vec<Option<bool>>>,
}

impl Game<'_, '_> {
    /// Can the adversary get past started step `i` without meeting the requirement? Records
    /// the choices made in `path` when it can.
    fn avoid(&self, i: usize, path: &mut Vec<String>) -> bool {
        if let Some(Some(known)) = self.memo.borrow().get(i) {
            return *known;
        }
        let found = self.play(i, path);
        if let Some(slot) = self.memo.borrow_mut().get_mut(i) {
            *slot = Some(found);
        }
        found
    }

    /// Step `i` played for the first time in this circumstance.
    fn play(&self, i: usize, path: &mut Vec<String>) -> bool {
        let Some(step) = self.p.steps.get(i) else {
            return true;
        };
        let followers = self.followers(i);
        if !(self.value)(step) {
            if step.condition != Cond::Const(true) {
                path.push(match step.when_text.as_deref() {
                    _ if suspended(&step.condition) => {
                        format!("`{}` is suspended by an agreed exception", step.name)
                    }
                    Some(w) => format!("`{}` does not apply (`when {w}`)", step.name),
                    None => format!("`{}` does not apply", step.name),
                });
            }
            return followers
                .iter()
                .filter(|(_, f)| self.starts_unended(i, f, false))
                .all(|(j, _)| self.avoid(*j, path));
        }
        if (self.prover.meets)(step) || self.hands_over_to_proof(step) {
            return false;
        }
        let branching = followers.iter().any(|(_, f)| f.follows != Follow::Any);
        for end in ends(step, self.prover.decisions) {
            if end == Concrete::Done && self.prover.closes && confirms_safety(step) {
                continue;
            }
            // Whether a branch names this end, for the `otherwise` that takes what none does.
            let named = followers.iter().any(|(_, s)| match &s.follows {
                Follow::On(ts) => ts.iter().any(|t| taken(*t, step).contains(&end)),
                _ => false,
            });
            let starting: Vec<usize> = followers
                .iter()
                .filter(|(_, f)| {
                    if end == Concrete::Overdue {
                        self.starts_unended(i, f, true)
                    } else {
                        follows_end(f, step, end, named)
                    }
                })
                .map(|(j, _)| *j)
                .collect();
            // A failure no branch takes does not end the step: the attempt is progress.
            if matches!(end, Concrete::Failed(_)) && starting.is_empty() {
                continue;
            }
            let mark = path.len();
            if branching {
                path.push(format!(
                    "`{}` ends `{}`",
                    step.name,
                    super::flow::concrete_name(end, step, self.prover.decisions)
                ));
            }
            if starting.iter().all(|j| self.avoid(*j, path)) {
                return true;
            }
            path.truncate(mark);
        }
        false
    }

    /// The steps that start after step `i`, with their indices.
    fn followers(&self, i: usize) -> Vec<(usize, &StepDef)> {
        self.followers.get(i).map_or_else(Vec::new, |list| {
            list.iter()
                .filter_map(|j| Some((*j, self.p.steps.get(*j)?)))
                .collect()
        })
    }

    /// Does follower `f` of step `i` start when `i` ends with nothing recorded (overdue, or
    /// not applying)? The evaluator's rule, [`Unended::starts`].
    fn starts_unended(&self, i: usize, f: &StepDef, overdue: bool) -> bool {
        self.unended
            .get(i)
            .copied()
            .unwrap_or_default()
            .starts(&f.follows, overdue)
    }

    /// A `hand over to P` where P's own ladder meets the requirement on every path.
    fn hands_over_to_proof(&self, step: &StepDef) -> bool {
        let ActionDef::HandOver(to) = &step.action else {
            return false;
        };
        self.depth < MAX_DEPTH
            && self
                .prover
                .pathways
                .iter()
                .find(|p| p.name == *to)
                .is_some_and(|p| self.prover.proves(p, self.depth + 1).is_ok())
    }
}

/// A step whose success is the person found: reached by a contact attempt, or their
/// whereabouts verified.
fn confirms_safety(step: &StepDef) -> bool {
    matches!(
        step.action,
        ActionDef::Attempt { .. } | ActionDef::VerifyWhereabouts
    )
}

/// Does follower `f` start when its step ends `end` (not overdue: that is
/// [`Game::starts_unended`])? As the evaluator has it: a plain `after` on done or decided; a
/// branch on the ends it names; `otherwise` on what no other branch names (`named` says
/// whether one does).
fn follows_end(f: &StepDef, step: &StepDef, end: Concrete, named: bool) -> bool {
    match &f.follows {
        // An attempt never fails: unanswered or refused, it is done with that outcome
        // (language.md §7.8), so a plain `after` follows every end of it, as the evaluator has
        // it ([`crate::rules::flow::End::Done`]).
        Follow::Any => {
            matches!(end, Concrete::Done | Concrete::Decided(_))
                || (matches!(end, Concrete::Failed(_))
                    && matches!(step.action, ActionDef::Attempt { .. }))
        }
        Follow::On(ts) => ts.iter().any(|t| taken(*t, step).contains(&end)),
        Follow::Otherwise => !named,
    }
}

/// A condition an agreed exception added: "not during the exception".
fn suspended(c: &Cond) -> bool {
    match c {
        Cond::And(cs) => cs.iter().any(suspended),
        Cond::Not(inner) => matches!(**inner, Cond::DuringException(_)),
        _ => false,
    }
}

/// Where a step's time conditions are judged: at the trigger (`None`), or when it starts,
/// after the step it follows.
fn group(s: &StepDef) -> Option<u16> {
    if s.judged_at_start {
        s.after
    } else {
        None
    }
}

fn is_time(c: &Cond) -> bool {
    matches!(
        c,
        Cond::OutOfHours | Cond::InCalendar(_) | Cond::DuringAbsence(_) | Cond::DuringException(_)
    )
}

fn collect(c: &Cond, at: Option<u16>, out: &mut Vec<Atom>) {
    match c {
        Cond::Const(_) => {}
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| collect(c, at, out)),
        Cond::Not(c) => collect(c, at, out),
        atom => {
            let a = Atom {
                cond: atom.clone(),
                at: if is_time(atom) { at } else { None },
            };
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
}

fn eval(c: &Cond, at: Option<u16>, value: &dyn Fn(&Atom) -> bool) -> bool {
    match c {
        Cond::Const(b) => *b,
        Cond::And(cs) => cs.iter().all(|c| eval(c, at, value)),
        Cond::Or(cs) => cs.iter().any(|c| eval(c, at, value)),
        Cond::Not(c) => !eval(c, at, value),
        atom => value(&Atom {
            cond: atom.clone(),
            at: if is_time(atom) { at } else { None },
        }),
    }
}
