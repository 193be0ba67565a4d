//! One episode's ladder: each step's start, firing, role, due time, discharge and status, its
//! breach duty, and the after-closure duties.

use std::sync::Arc;

use super::attempts::{tally, Spec, Unanswered};
use super::decision::{Obligation, Status};
use super::discharge::{discharge, may_act, ruled_out_at, status_of, Duty, Ended};
use super::follow_up;
use super::obligation::{Draft, InTime, Unjudged};
use super::{mentions_observation, words, Episode, EpisodeSummary, Eval, Trigger};
use crate::rules::coverage::{self, Point, Probe};
use crate::rules::deadline;
use crate::rules::flow::{End, Follow, Takes};
use crate::rules::{
    ActionDef, Anchor, Cond, DeadlineAtomDef, DeadlineDef, PathwayDef, Responsible, RoleId, StepDef,
};
use crate::time::Instant;
use crate::timeline::{Event, EventData};
use crate::wording::lower_first;

/// What was worked out for one step.
#[derive(Debug, Clone, Default)]
struct State {
    /// When the step started (the trigger, or when its predecessor was done or overdue).
    start: Option<Instant>,
    /// When it fired (its condition held); `None` if it has not.
    fired: Option<Instant>,
    /// Its condition can never hold in this episode.
    inapplicable: Option<String>,
    /// It is on a branch the procedure did not take (or follows a step that is): nothing
    /// after it starts either.
    skipped: bool,
    /// The episode closed before it started: nothing after it starts either.
    overtaken: bool,
    /// It waits for an observation that has not come.
    waiting: bool,
    role: Option<RoleId>,
    /// The instant the role was resolved at (an alias names whoever holds it then).
    role_at: Option<Instant>,
    due: Option<Instant>,
    /// When it ended (done, failed or decided), if it has.
    done_at: Option<Instant>,
    /// How it ended.
    end: Option<End>,
    /// Extra facts for `because`.
    facts: Vec<Arc<str>>,
    /// How far a cascade or attempt count has got.
    progress: Option<String>,
    /// For an attempt step with a follow-up: each counted attempt nobody answered.
    unanswered: Vec<Unanswered>,
}

impl State {
    /// How and when it ended, if it has.
    fn ended(&self) -> Option<Ended> {
        self.done_at
            .zip(self.end)
            .map(|(at, end)| Ended { at, end })
    }
}

/// Whether and when a step fires.
enum Fires {
    /// Its condition held at this instant.
    At(Instant),
    /// Its condition cannot hold in this episode, and why.
    Never(String),
    /// It waits for an observation that has not come.
    Waiting,
}

/// What a step's dependents need to know of it.
#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    start: Option<Instant>,
    due: Option<Instant>,
    done_at: Option<Instant>,
    end: Option<End>,
    inapplicable: bool,
    skipped: bool,
    overtaken: bool,
}

/// When a step starts.
enum Starts {
    /// At this instant.
    At(Instant),
    /// Not yet: what it follows has not ended.
    Waiting,
    /// Never: what it follows ended in a way this branch does not take.
    Never(String),
}

struct Ladder<'e, 'a> {
    ev: &'e Eval<'a>,
    ep: &'e Episode<'a>,
    steps: &'a [StepDef],
    t0: Instant,
    /// From when the work of steps that start at `t0` counts.
    since: Instant,
    states: Vec<Option<State>>,
    visiting: Vec<bool>,
    /// When the episode closed, for the ladder's own steps (none starts after it); `None` for
    /// the after-closure duties, which start there.
    closes: Option<Instant>,
    /// Whether any step follows a branch (`if`, `otherwise`): without one, no failure ends a
    /// step and the procedure cannot run out on a branch.
    branched: bool,
    /// The steps on a branch (`if`, `otherwise`) after each step (at `a + 1` for step `a`;
    /// at 0, the first steps), and what those branches say of an end with nothing recorded:
    /// found once, since a scan of every step for each would cost a ladder of thousands of
    /// steps their number squared.
    branches: Vec<(Vec<usize>, crate::rules::flow::Unended)>,
    /// Calendar clocks whose due time could not be found: each a manual review.
    unfound: Vec<Unjudged>,
    /// When the role shown for a step not started changes (an alias's calendar turning).
    turns: Vec<Instant>,
}

/// A `hand over` step that fired: the pathway it starts, when, and the step's name.
pub(super) struct HandOver<'a> {
    pub to: &'a str,
    pub at: Instant,
    pub step: &'a str,
}

/// Evaluate an episode; returns when its ladder was complete (every required step done), if it
/// was, for grouping further red flags, and the hand-overs its steps made.
pub(super) fn run<'a>(ev: &mut Eval<'a>, ep: &Episode<'a>) -> (Option<Instant>, Vec<HandOver<'a>>) {
    let t0 = ep.trigger.at;
    ev.reached(|| Point::pathway(ep.pathway, Probe::Pathway));
    let (mut obligations, done, handovers, dead_ends, mut unfound, turns) = {
        let closes = ep.closed.as_ref().map(|c| c.0);
        let mut l = Ladder::new(ev, ep, (&ep.pathway.steps, closes), t0, ep.since);
        for i in 0..l.steps.len() {
            l.ensure(i);
        }
        let (out, done, handovers) = l.duties();
        let dead_ends = l.dead_ends();
        (out, done, handovers, dead_ends, l.unfound, l.turns)
    };
    let (after, after_turns, after_handovers) = after_closure(ev, ep, &mut obligations);
    unfound.extend(after);
    let mut handovers = handovers;
    handovers.extend(after_handovers);
    for t in turns.into_iter().chain(after_turns) {
        ev.change_at(Some(t));
    }
    let complete = completed(&obligations, t0);
    // The procedure has run out only once nothing else of it is still to do.
    let still_to_do = obligations.iter().any(|o| {
        matches!(
            o.status,
            Status::Upcoming | Status::Open | Status::Due | Status::Overdue
        )
    });
    let ran_out_at = obligations.iter().filter_map(|o| o.done_at).max();
    let dead_ends: Vec<Unjudged> = if still_to_do {
        Vec::new()
    } else {
        dead_ends
            .into_iter()
            .map(|mut d| {
                d.at = ran_out_at.map_or(d.at, |t| t.max(d.at));
                d
            })
            .collect()
    };
    ev.obligations.reserve(obligations.len());
    for o in obligations {
        ev.push(o);
    }
    for d in dead_ends.into_iter().chain(unfound) {
        ev.manual_review(d);
    }
    ev.episodes.push(EpisodeSummary {
        id: ep.id.clone(),
        steps: &ep.pathway.steps,
        person: ep.person,
        trigger: ep.trigger.kind,
        at: t0,
        visit: ep.trigger.visit,
        closed: ep.closed.as_ref().map(|c| c.0),
        complete,
        done,
        judged_by: ep.trigger.judged_by.unwrap_or(ep.trigger.at),
    });
    (complete, handovers)
}

/// When every required duty was done, if they all were (at the trigger, if none was required).
fn completed(obligations: &[Obligation], t0: Instant) -> Option<Instant> {
    let required: Vec<&Obligation> = obligations
        .iter()
        .filter(|o| !matches!(o.status, Status::NotRequired))
        .collect();
    if required.iter().all(|o| o.done_at.is_some()) {
        required.iter().filter_map(|o| o.done_at).max().or(Some(t0))
    } else {
        None
    }
}

/// The duties that start when the episode closes (its `after closure` steps), added to `out`;
/// returns the manual reviews for those whose due time could not be found, when the role
/// shown for one not started changes, and the hand-overs its steps made (a serious-incident
/// review started once the person is found), which start their pathways as any does.
#[allow(clippy::type_complexity)]
fn after_closure<'a>(
    ev: &Eval<'a>,
    ep: &Episode<'a>,
    out: &mut Vec<Obligation>,
) -> (Vec<Unjudged>, Vec<Instant>, Vec<HandOver<'a>>) {
    let Some((closed_at, _)) = &ep.closed else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let mut c = Ladder::new(
        ev,
        ep,
        (&ep.pathway.after_closure, None),
        *closed_at,
        *closed_at,
    );
    for i in 0..c.steps.len() {
        c.ensure(i);
    }
    let mut handovers = Vec::new();
    for i in 0..c.steps.len() {
        let Some(st) = c.get(i) else { continue };
        if let (Some(step), Some(at), None) = (c.steps.get(i), st.fired, &st.inapplicable) {
            if let ActionDef::HandOver(to) = &step.action {
                handovers.push(HandOver {
                    to,
                    at,
                    step: &step.name,
                });
            }
        }
        if let Some(mut o) = c.obligation(i, st, None) {
            o.id = format!(
                "{}/after-closure/{}",
                ep.id,
                c.steps.get(i).map_or("", |s| s.name.as_str())
            );
            o.because.insert(
                1,
                Arc::from(format!(
                    "after closure: {}",
                    ep.closed.as_ref().map_or("", |c| c.1.as_str())
                )),
            );
            out.push(o);
        }
        // An attempt after closure asks for its follow-ups as one on the ladder does.
        let name = c.steps.get(i).map_or("", |s| s.name.as_str());
        let (from, to) = (
            format!("{}/{name}/", ep.id),
            format!("{}/after-closure/{name}/", ep.id),
        );
        for mut f in c.follow_ups(i, st, None) {
            f.id = f.id.replacen(&from, &to, 1);
            out.push(f);
        }
    }
    (c.unfound, c.turns, handovers)
}

/// The steps on a branch after each step, and what they say of an end with nothing recorded
/// ([`Ladder::branches`]).
fn branches(steps: &[StepDef]) -> Vec<(Vec<usize>, crate::rules::flow::Unended)> {
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); steps.len() + 1];
    for (j, s) in steps.iter().enumerate() {
        let group = s.after.map_or(0, |a| usize::from(a) + 1);
        if s.follows != Follow::Any {
            if let Some(list) = lists.get_mut(group) {
                list.push(j);
            }
        }
    }
    lists
        .into_iter()
        .map(|list| {
            let u = crate::rules::flow::Unended::of(
                list.iter()
                    .filter_map(|j| steps.get(*j))
                    .map(|s| &s.follows),
            );
            (list, u)
        })
        .collect()
}

impl<'e, 'a> Ladder<'e, 'a> {
    fn new(
        ev: &'e Eval<'a>,
        ep: &'e Episode<'a>,
        (steps, closes): (&'a [StepDef], Option<Instant>),
        t0: Instant,
        since: Instant,
    ) -> Self {
        Ladder {
            ev,
            ep,
            steps,
            t0,
            since,
            states: vec![None; steps.len()],
            visiting: vec![false; steps.len()],
            closes,
            branched: steps.iter().any(|s| s.follows != Follow::Any),
            branches: branches(steps),
            unfound: Vec::new(),
            turns: Vec::new(),
        }
    }

    /// As [`Self::events_from`], of `kinds` only (found by kind: the events that may end a
    /// duty, not the rest of the record).
    fn events_of_kinds_from(
        &self,
        kinds: &[crate::vocab::EventKind],
        from: Instant,
    ) -> impl Iterator<Item = &'a Event> + '_ {
        let visit = self.ep.trigger.visit;
        self.ev
            .events_of_kinds_from(Some(self.ep.person), kinds, from)
            .filter(move |e| visit.is_none() || e.visit.is_none() || e.visit == visit)
    }

    /// The person's events from `from` on, leaving out those recorded against another visit
    /// than the episode's (work for one refusal does not discharge another's duties).
    fn events_from(&self, from: Instant) -> impl Iterator<Item = &'a Event> + '_ {
        let visit = self.ep.trigger.visit;
        self.ev
            .events_of_from(self.ep.person, from)
            .filter(move |e| visit.is_none() || e.visit.is_none() || e.visit == visit)
    }

    /// Work out step `i` (and what it depends on) if not done yet.
    fn ensure(&mut self, i: usize) {
        if matches!(self.states.get(i), Some(Some(_)))
            || self.visiting.get(i).copied().unwrap_or(true)
        {
            // Done already, or a circle of `after`s (the checker rejects them).
            return;
        }
        if let Some(v) = self.visiting.get_mut(i) {
            *v = true;
        }
        let st = self.compute(i);
        if let Some(slot) = self.states.get_mut(i) {
            *slot = Some(st);
        }
    }

    /// The timing of step `i`, for the steps that depend on it.
    fn timing(&mut self, i: usize) -> Timing {
        self.ensure(i);
        match self.states.get(i) {
            Some(Some(s)) => Timing {
                start: s.start,
                due: s.due,
                done_at: s.done_at,
                end: s.end,
                inapplicable: s.inapplicable.is_some(),
                skipped: s.skipped,
                overtaken: s.overtaken,
            },
            _ => Timing::default(),
        }
    }

    /// Nothing starts after the episode closes: a step still waiting then, or due to start
    /// later (after a step the closure made no longer required), never will. The closing
    /// instant if so.
    fn closed_before(&self, start: Option<Instant>) -> Option<Instant> {
        match (start, self.closes) {
            (None, Some(c)) => Some(c),
            (Some(start), Some(c)) if start > c => Some(c),
            _ => None,
        }
    }

    /// Every step's duty and breach duty, when each step ended, and the hand-overs made.
    #[allow(clippy::type_complexity)]
    fn duties(&mut self) -> (Vec<Obligation>, Vec<Option<Instant>>, Vec<HandOver<'a>>) {
        let closed = self.ep.closed.as_ref();
        // Room for every step and its after-closure duties, so that no duty is moved as the
        // list grows.
        let room = self.steps.len() + self.ep.pathway.after_closure.len() + 2;
        let mut out = Vec::with_capacity(room);
        let mut done = Vec::with_capacity(self.steps.len());
        let mut handovers = Vec::new();
        for i in 0..self.steps.len() {
            let Some(st) = self.get(i) else { continue };
            done.push(st.done_at);
            if let (Some(step), Some(at), None) = (self.steps.get(i), st.fired, &st.inapplicable) {
                if let ActionDef::HandOver(to) = &step.action {
                    handovers.push(HandOver {
                        to,
                        at,
                        step: &step.name,
                    });
                }
            }
            if let Some(o) = self.obligation(i, st, closed) {
                out.push(o);
            }
            out.extend(self.follow_ups(i, st, closed));
            // A breach duty counts its deadline from the instant the step went overdue.
            let breach = self.steps.get(i).and_then(|s| s.breach);
            let Some(((_, deadline), due)) = breach.zip(self.breached(st, closed)) else {
                continue;
            };
            let breach_due = self.steps.get(i).and_then(|s| self.due(deadline, due, s));
            let Some(st) = self.get(i) else { continue };
            if let Some(b) = self.breach(i, st, breach_due) {
                out.push(b);
            }
        }
        (out, done, handovers)
    }

    /// The follow-up duties of step `i`, one per unanswered attempt, for a step that asks
    /// for them and applies.
    fn follow_ups(
        &self,
        i: usize,
        st: &State,
        closed: Option<&(Instant, String)>,
    ) -> Vec<Obligation> {
        let Some(step) = self.steps.get(i) else {
            return Vec::new();
        };
        let ActionDef::Attempt {
            follow_up: Some(f), ..
        } = step.action
        else {
            return Vec::new();
        };
        if st.inapplicable.is_some() || st.fired.is_none() {
            return Vec::new();
        }
        let owner = follow_up::Owner {
            step,
            role: st.role,
            closed: closed.filter(|_| !step.stays_at_closure()),
        };
        follow_up::duties(self.ev, self.ep, &owner, (f, &st.unanswered))
    }

    /// Where the procedure ran out while the person's safety is unconfirmed: a step with
    /// branches after it ended in a way none of them takes (a contact answered but not
    /// knowing, a decision's outcome no step follows), before the episode closed. Never a
    /// silent stop: each becomes a manual review for the manager, citing the step.
    fn dead_ends(&self) -> Vec<Unjudged> {
        if !self.branched || !self.ep.search {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let Some((at, end)) = self.get(i).and_then(|s| s.done_at.zip(s.end)) else {
                continue;
            };
            if self.closes.is_some_and(|c| c <= at) {
                continue;
            }
            let followers: Vec<(usize, &StepDef)> = self
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.after.map(usize::from) == Some(i))
                .collect();
            // Only a step with branches after it can end in a way nothing follows.
            let branched = followers.iter().any(|(_, s)| s.follows != Follow::Any);
            let stopped = followers.iter().all(|(j, _)| {
                self.get(*j)
                    .is_some_and(|s| s.start.is_none() && s.inapplicable.is_some())
            });
            if !branched || !stopped {
                continue;
            }
            let ev = self.ev;
            out.push(Unjudged {
                id: format!("{}/dead-end/{}", self.ep.id, step.name),
                person: ev.person_arc(self.ep.person),
                visit: ev.visit_id(self.ep.trigger.visit),
                reason: format!(
                    "step `{}` {} at {} and no step of the procedure follows that, while the person's safety is unconfirmed ({})",
                    step.name,
                    self.ended_words(u16::try_from(i).unwrap_or(u16::MAX), end),
                    words::clock(ev, at),
                    self.ep.trigger.text
                ),
                at,
                rule: step.provenance.clone(),
                cites: step.all_cites.clone(),
            });
        }
        out
    }

    /// Who shares a decision, in words: "Support worker or Responder" (any of them may
    /// decide), "Support worker and Responder" (all of them).
    fn deciders_words(&self, d: &crate::rules::flow::Deciders, at: Instant) -> String {
        let names: Vec<&str> = d
            .roles
            .iter()
            .filter_map(|r| self.ev.resolve(*r, at))
            .filter_map(|r| self.ev.rs.role(r))
            .map(|r| &*r.display)
            .collect();
        let join = if d.all { " and " } else { " or " };
        let mut out = String::new();
        for (k, name) in names.iter().enumerate() {
            match k {
                0 => out.push_str(name),
                k if k + 1 == names.len() => {
                    out.push_str(join);
                    out.push_str(&lower_first(name));
                }
                _ => {
                    out.push_str(", ");
                    out.push_str(&lower_first(name));
                }
            }
        }
        out
    }

    /// The episode a `hand over` step started, once it has.
    fn handed_to(&self, step: &StepDef, st: &State) -> Option<Arc<str>> {
        match (&step.action, st.fired) {
            (ActionDef::HandOver(p), Some(_)) => Some(self.ep.handover_id(self.ev, p, &step.name)),
            _ => None,
        }
    }

    /// Step `i`'s state, once worked out.
    fn get(&self, i: usize) -> Option<&State> {
        self.states.get(i).and_then(|s| s.as_ref())
    }

    /// Work out step `i`: when it starts, whether and when it fires, who must act, when it is
    /// due and when it was done.
    fn compute(&mut self, i: usize) -> State {
        let Some(step) = self.steps.get(i) else {
            return State::default();
        };
        let as_of = self.ev.as_of;
        let mut st = State::default();
        st.start = match self.start(i, step, &mut st.facts) {
            Starts::At(t) => Some(t),
            Starts::Waiting => None,
            Starts::Never(why) => {
                st.inapplicable = Some(why);
                st.skipped = true;
                st.role_at = Some(self.t0);
                st.role = self.ev.resolve(step.responsible, self.t0);
                return st;
            }
        };
        if let Some(c) = self.closed_before(st.start) {
            st.inapplicable = Some(format!(
                "the episode closed at {}, before it started",
                words::clock(self.ev, c)
            ));
            st.start = None;
            st.overtaken = true;
            st.role_at = Some(c.max(self.t0));
            st.role = self.ev.resolve(step.responsible, c.max(self.t0));
            return st;
        }
        let Some(start) = st.start else {
            // Not started: show who would act if it started now, which changes when the
            // calendar behind an alias turns.
            let now = as_of.max(self.t0);
            st.role_at = Some(now);
            st.role = self.ev.resolve(step.responsible, now);
            self.turns.extend(self.ev.alias_turn(step.responsible, now));
            if let ActionDef::Notify(who) = step.action {
                self.turns.extend(self.ev.alias_turn(who, now));
            }
            return st;
        };
        let Some(fired) = self.fire(step, start, &mut st) else {
            return st;
        };
        st.fired = Some(fired);
        let j = self.judged(step, start);
        st.facts.extend(self.condition_held(step, j, fired));
        self.work(step, fired, &mut st);
        // A condition about what was seen is judged again at each later observation: one
        // that stops holding before the step is done withdraws it.
        if let Some(t) = self.withdrawn(step, j, fired) {
            self.reached(step, Probe::Condition(false));
            if st.done_at.is_none_or(|d| d > t) {
                st.inapplicable = Some(format!(
                    "withdrawn: its condition stopped holding at {} ({})",
                    words::clock(self.ev, t),
                    words::condition(self.ev, self.ep, &step.condition, j, t)
                ));
                st.done_at = None;
                st.end = None;
            }
        }
        st
    }

    /// When a step that started at `start` fires, noting the coverage points its `when`
    /// reached; `None` (with `st` saying why) if it does not fire by `as_of`.
    fn fire(&mut self, step: &StepDef, start: Instant, st: &mut State) -> Option<Instant> {
        let conditional = !matches!(step.condition, Cond::Const(_));
        match self.fires(step, start) {
            Fires::At(t) => {
                self.reached(step, Probe::Step);
                if conditional {
                    self.reached(step, Probe::Condition(true));
                }
                Some(t)
            }
            Fires::Never(why) => {
                if conditional {
                    self.reached(step, Probe::Condition(false));
                }
                st.inapplicable = Some(why);
                st.role_at = Some(self.t0);
                st.role = self.ev.resolve(step.responsible, self.t0);
                None
            }
            Fires::Waiting => {
                // A `when` about what is seen that never held before the episode closed did
                // not hold, for coverage: nothing later can make it.
                if conditional && self.ep.closed.is_some() {
                    self.reached(step, Probe::Condition(false));
                }
                st.waiting = true;
                None
            }
        }
    }

    /// The first observation after `fired` (up to `as_of`, or closure) at which the step's
    /// condition no longer holds, for a condition about what was seen.
    fn withdrawn(&self, step: &StepDef, j: Instant, fired: Instant) -> Option<Instant> {
        if !mentions_observation(&step.condition) {
            return None;
        }
        self.observations_after(fired)
            .find(|at| !self.holds(&step.condition, j, *at))
    }

    /// The instants of the observations recorded in the episode after `t`, up to `as_of` or
    /// closure: where a condition about what was seen is judged again.
    fn observations_after(&self, t: Instant) -> impl Iterator<Item = Instant> + '_ {
        let as_of = self.ev.as_of;
        let limit = self.ep.closed.as_ref().map_or(as_of, |c| c.0.min(as_of));
        // Observations only, from `t` (not the episode's start) up to the limit (not the end
        // of the record): a person with thousands of episodes had their whole record read
        // for each step waiting on an observation.
        self.events_of_kinds_from(&[crate::vocab::EventKind::Observation], t.max(self.since))
            .filter(move |e| e.at > t)
            .take_while(move |e| e.at <= limit)
            .filter(|e| matches!(e.data, EventData::Observation { .. }))
            .map(|e| e.at)
    }

    /// Which condition held for a step that fired at `fired`, in words (none for a step
    /// with no condition).
    fn condition_held(&self, step: &StepDef, j: Instant, fired: Instant) -> Option<Arc<str>> {
        if step.condition == Cond::Const(true) {
            return None;
        }
        let details = words::condition(self.ev, self.ep, &step.condition, j, fired);
        Some(Arc::from(match (&step.when_text, details.is_empty()) {
            (Some(w), true) => format!("its condition held: `{w}`"),
            (Some(w), false) => format!("its condition held: `{w}` ({details})"),
            (None, _) => format!("its condition held: {details}"),
        }))
    }

    /// For a step that fired at `fired`: who must act, when it is due, and how and when it
    /// ended, into `st`.
    fn work(&mut self, step: &StepDef, fired: Instant, st: &mut State) {
        let role = self.ev.resolve(step.responsible, fired);
        st.role = role;
        st.role_at = Some(fired);
        st.due = match step.deadline {
            Some(d) => self.due(d, fired, step),
            None => None,
        };
        // Work recorded earlier in the episode counts: it was done before anyone asked (999
        // called before the step to call it started). From the episode's start, which for a
        // red flag or a pattern may be before the trigger. The one exception: what tells or
        // tries (attempts, notices, and the release that ends a stay) counts from its own
        // step, since a step asks for news an earlier call could not carry: the first step
        // of a red flag's episode too, whose start is the no-answer it interrupts (found by
        // a docs-only tester: "tell the manager" of a fall was done by a notice of the
        // no-answer given before the fall).
        let own_work = matches!(
            step.action,
            ActionDef::Attempt { .. } | ActionDef::Notify(_) | ActionDef::Stay
        );
        let from = if own_work {
            fired
        } else {
            self.since.min(fired)
        };
        // A step counted from another step or event records or follows that: work before it
        // does not count, and until it happens the step cannot be done.
        let anchored = match step.deadline {
            Some(DeadlineDef::Atom(DeadlineAtomDef::Within {
                anchor: anchor @ (Anchor::Step(_) | Anchor::Event(_)),
                ..
            })) => Some(self.anchor_at(anchor)),
            _ => None,
        };
        let (ended, progress) = match anchored {
            Some(None) => (None, None),
            Some(Some(at)) => self.discharge(step, role, from.max(at), fired),
            None => self.discharge(step, role, from, fired),
        };
        st.unanswered = match anchored {
            Some(None) => Vec::new(),
            Some(Some(at)) => self.unanswered(step, role, from.max(at)),
            None => self.unanswered(step, role, from),
        };
        st.done_at = ended.map(|e| e.at);
        st.end = ended.map(|e| e.end);
        st.progress = progress;
        if let Some(d) = st.done_at.filter(|d| *d < fired) {
            st.facts.push(Arc::from(format!(
                "done at {}, before it started at {}: work recorded earlier in the episode counts",
                words::clock(self.ev, d),
                words::clock(self.ev, fired)
            )));
        }
        if own_work && from == fired && anchored.is_none() && st.done_at.is_none() {
            // Say so when the work was there, only too early: the reader sees the event.
            let (early, _) = self.discharge(step, role, self.since.min(fired), fired);
            if let Some(e) = early.filter(|e| e.at < fired) {
                st.facts.push(Arc::from(format!(
                    "what was recorded at {}, before it started at {}, does not count: calls, notices and releases count only from their own step's start",
                    words::clock(self.ev, e.at),
                    words::clock(self.ev, fired)
                )));
            }
        }
    }

    /// When a step starts: at the trigger, or for `after X` when X ended in a way the step
    /// follows (any end, for a plain `after`), or when X went overdue (or did not apply) and
    /// the step is one that moves the procedure on then (see [`Ladder::takes_unended`]). Says
    /// why in `facts`.
    fn start(&mut self, i: usize, step: &StepDef, facts: &mut Vec<Arc<str>>) -> Starts {
        let Some(a) = step.after else {
            return Starts::At(self.t0);
        };
        let prev = self.timing(a as usize);
        let name = self.steps.get(a as usize).map_or("", |s| s.name.as_str());
        let clock = |t| words::clock(self.ev, t);
        // A step goes overdue the second after its due second; one the episode's closure
        // ended by then never went overdue, so nothing follows it.
        let went_overdue = |u: Instant| self.closes.is_none_or(|c| c > u);
        let overdue_at = prev
            .due
            .filter(|u| went_overdue(*u) && prev.done_at.map_or(self.ev.as_of > *u, |d| d > *u));
        let (starts, why) = if prev.overtaken {
            // The closure overtook it, so it never ended: this one waits, and closure ends it.
            (Starts::Waiting, format!("waits for `{name}`"))
        } else if prev.skipped {
            (
                Starts::Never(format!(
                    "`{name}` is on a branch the procedure did not take"
                )),
                String::new(),
            )
        } else if prev.inapplicable {
            if self.takes_unended(step, false) {
                (
                    Starts::At(prev.start.unwrap_or(self.t0)),
                    format!("follows `{name}`, which did not apply"),
                )
            } else {
                (
                    Starts::Never(format!("`{name}` did not apply")),
                    String::new(),
                )
            }
        } else {
            match (overdue_at, prev.done_at.zip(prev.end)) {
                (Some(u), _) if self.takes_unended(step, true) => {
                    self.reached_by(step, a, None);
                    (
                        Starts::At(u),
                        format!("follows `{name}`, overdue from {}", clock(u)),
                    )
                }
                // Done before it started (earlier work counts): what follows it starts no
                // earlier than it did.
                (_, Some((d, end))) if self.takes(i, step, end) => {
                    self.reached_by(step, a, Some(end));
                    let from = prev.start.map_or(d, |s| d.max(s));
                    let mut why = format!(
                        "follows `{name}`, {} at {}",
                        self.ended_words(a, end),
                        clock(d)
                    );
                    if from > d {
                        why.push_str(&format!(", from when it started at {}", clock(from)));
                    }
                    (Starts::At(from), why)
                }
                (_, Some((d, end))) => (
                    Starts::Never(format!(
                        "`{name}` {} at {}, and this step follows another end",
                        self.ended_words(a, end),
                        clock(d)
                    )),
                    String::new(),
                ),
                // A plain `after` starts when the step before it is done or goes overdue
                // (found by a docs-only tester: "to be done" hid the second).
                _ if step.follows == Follow::Any => {
                    let deadline = self
                        .steps
                        .get(a as usize)
                        .is_some_and(|s| s.deadline.is_some());
                    let or = if deadline { " or go overdue" } else { "" };
                    (
                        Starts::Waiting,
                        format!("waits for `{name}` to be done{or}"),
                    )
                }
                _ => (Starts::Waiting, format!("waits for `{name}` to end")),
            }
        };
        if !why.is_empty() {
            facts.push(Arc::from(why));
        }
        starts
    }

    /// The other steps that branch after the same step as step `i`.
    fn siblings(
        &self,
        i: usize,
        after: Option<u16>,
    ) -> impl Iterator<Item = &'a StepDef> + Clone + '_ {
        let group = after.map_or(0, |a| usize::from(a) + 1);
        let steps = self.steps;
        self.branches
            .get(group)
            .map_or(&[][..], |(list, _)| list.as_slice())
            .iter()
            .filter(move |j| **j != i)
            .filter_map(move |j| steps.get(*j))
    }

    /// The failures of `step` that a branch after it takes: those end it (see
    /// [`End::Failed`]).
    fn fails_on(&self, step: &StepDef) -> Vec<crate::vocab::Outcome> {
        let failures = step.action.failures();
        if failures.is_empty() || !self.branched {
            return Vec::new();
        }
        let Some(i) = self.steps.iter().position(|s| std::ptr::eq(s, step)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for s in self
            .steps
            .iter()
            .filter(|s| s.after.map(usize::from) == Some(i))
        {
            match &s.follows {
                Follow::Any => {}
                Follow::Otherwise => out.extend_from_slice(failures),
                Follow::On(ts) => {
                    for t in ts {
                        match t {
                            Takes::Failed => out.extend_from_slice(failures),
                            Takes::Outcome(o) => out.push(*o),
                            _ => {}
                        }
                    }
                }
            }
        }
        out
    }

    /// True if step `i` follows its step ending `end`.
    fn takes(&self, i: usize, step: &StepDef, end: End) -> bool {
        match &step.follows {
            Follow::Any => end.done(),
            Follow::On(takes) => takes.iter().any(|t| t.matches(end)),
            // A sibling whose condition does not hold here takes nothing from it.
            Follow::Otherwise => !self.siblings(i, step.after).any(|s| {
                matches!(&s.follows, Follow::On(ts) if ts.iter().any(|t| t.matches(end)))
                    && (mentions_observation(&s.condition)
                        || self.holds(&s.condition, self.ep.trigger.at, self.t0))
            }),
        }
    }

    /// Note a coverage point of `step`, when the evaluation is traced.
    fn reached(&self, step: &StepDef, probe: Probe) {
        self.ev
            .reached(|| Point::step(self.ep.pathway, step, probe));
    }

    /// Note the branch `step` started by: step `a` ended `end`, or (`None`) went overdue.
    /// The label is the branch's as `coverage_points` lists it.
    fn reached_by(&self, step: &StepDef, a: u16, end: Option<End>) {
        if self.ev.trace.is_none() {
            return;
        }
        let before = self.steps.get(usize::from(a));
        let label = |t: Takes| coverage::takes_label(self.ev.rs, before, t);
        let way = match (&step.follows, end) {
            (Follow::Otherwise, _) => "otherwise".to_string(),
            (Follow::Any, Some(_)) => "done".to_string(),
            (Follow::Any, None) => "overdue".to_string(),
            (Follow::On(ts), Some(end)) => match ts.iter().find(|t| t.matches(end)) {
                Some(t) => label(*t),
                None => return,
            },
            // Overdue: `if overdue` if named, else the failure branch that takes it.
            (Follow::On(ts), None) => match ts
                .iter()
                .find(|t| **t == Takes::Overdue)
                .or_else(|| ts.iter().find(|t| t.is_failure()))
            {
                Some(t) => label(*t),
                None => return,
            },
        };
        self.reached(step, Probe::Branch(way));
    }

    /// True if `step` starts when its step goes overdue (`overdue`) or does not apply,
    /// with no end recorded. The procedure never stalls on a missed rung: `if overdue` and
    /// `otherwise` take it; with neither among the branches, the branches that follow a
    /// failure do (nothing recorded shows the step succeeded). A decision's outcome is never
    /// presumed.
    fn takes_unended(&self, step: &StepDef, overdue: bool) -> bool {
        let group = step.after.map_or(0, |a| usize::from(a) + 1);
        self.branches
            .get(group)
            .map(|(_, u)| *u)
            .unwrap_or_default()
            .starts(&step.follows, overdue)
    }

    /// How step `a` ended, in words: "done", "failed (no answer)", "decided: needed".
    fn ended_words(&self, a: u16, end: End) -> String {
        match end {
            End::Done(None) => "done".into(),
            End::Done(Some(o)) => format!("done ({})", o.words()),
            End::Failed(o) => format!("failed ({})", o.words()),
            End::Decided(k) => {
                let name = match self.steps.get(usize::from(a)).map(|s| &s.action) {
                    Some(ActionDef::Decide(d)) => {
                        self.ev.rs.decision(*d).map_or("", |d| d.outcome_name(k))
                    }
                    _ => "",
                };
                format!("decided `{name}`")
            }
        }
    }

    /// The instant a step's calendar, absence and exception conditions are judged at: the
    /// trigger, or for a step `judged at start`, when it starts.
    fn judged(&self, step: &StepDef, start: Instant) -> Instant {
        if step.judged_at_start {
            start
        } else {
            self.ep.trigger.at
        }
    }

    /// When a step that started at `start` fires. A condition with no observation in it is
    /// judged once, at the start; one that waits for an observation fires at the first
    /// observation (up to `as_of`, or closure) at which it holds.
    fn fires(&self, step: &StepDef, start: Instant) -> Fires {
        let j = self.judged(step, start);
        if !mentions_observation(&step.condition) {
            return if self.holds(&step.condition, j, start) {
                Fires::At(start)
            } else {
                Fires::Never(format!(
                    "its condition did not hold: {}",
                    words::condition(self.ev, self.ep, &step.condition, j, start)
                ))
            };
        }
        std::iter::once(start)
            .chain(self.observations_after(start))
            .find(|at| self.holds(&step.condition, j, *at))
            .map_or(Fires::Waiting, Fires::At)
    }

    /// Is the condition true for a step firing at `at`? See [`holds`].
    fn holds(&self, c: &Cond, facts_at: Instant, at: Instant) -> bool {
        holds(self.ev, self.ep, c, facts_at, at)
    }

    /// When a deadline falls for a step that fired at `fired` (the one rule, in
    /// [`crate::rules::deadline`]). A step or event anchor counts from no earlier than the
    /// episode's start: work done before the episode (a pattern's earlier notice) cannot make
    /// anything due before it opened.
    ///
    /// A calendar clock whose due time cannot be found gives no due time, and a manual review
    /// for `step` says so: never a silent gap.
    fn due(&mut self, d: DeadlineDef, fired: Instant, step: &StepDef) -> Option<Instant> {
        let (ev, t0) = (self.ev, self.t0);
        let mut measure =
            InTime::new(
                ev.civil,
                &ev.rs.calendars,
                |a: Anchor, start: Instant| match a {
                    Anchor::Start => Some(start),
                    Anchor::Trigger => Some(t0),
                    other => Some(self.anchor_at(other)?.max(t0)),
                },
            );
        let due = deadline::due(&mut measure, d, fired);
        if let Some((cal, from)) = measure.unfound {
            let name = ev
                .rs
                .calendars
                .get(cal.index())
                .map_or("", |c| c.name.as_str());
            self.unfound.push(Unjudged {
                id: format!("{}/no-due-time/{}", self.ep.id, step.name),
                person: ev.person_arc(self.ep.person),
                visit: ev.visit_id(self.ep.trigger.visit),
                reason: format!(
                    "step `{}` counts its deadline in the open time of calendar `{name}`, which is not open for long enough within {} days of {}, so Vigil cannot say when it is due",
                    step.name,
                    crate::time::CALENDAR_SEARCH_DAYS,
                    words::clock(ev, from)
                ),
                at: from,
                rule: step.provenance.clone(),
                cites: step.all_cites.clone(),
            });
        }
        due
    }

    /// The instant a step or event anchor stands for: when that step was done, or fell due if
    /// it was not done by then (the checker's worst case measures it the same way); the first
    /// such event in the episode.
    fn anchor_at(&mut self, anchor: Anchor) -> Option<Instant> {
        match anchor {
            Anchor::Step(j) => {
                let t = self.timing(j as usize);
                match (t.done_at, t.due) {
                    (Some(d), Some(u)) => Some(d.min(u)),
                    (Some(d), None) => Some(d),
                    (None, Some(u)) => Some(u),
                    (None, None) => None,
                }
            }
            Anchor::Event(kind) => self
                .events_from(self.since)
                .find(|e| e.data.event_kind() == Some(kind))
                .map(|e| e.at),
            Anchor::Start | Anchor::Trigger => Some(self.t0),
        }
    }

    /// The first event from `from` that does what the step requires (the one rule, in
    /// [`super::discharge`]).
    fn discharge(
        &self,
        step: &StepDef,
        role: Option<RoleId>,
        from: Instant,
        fired: Instant,
    ) -> (Option<Ended>, Option<String>) {
        // A stay is done when what ends it happens: a release by someone who may release
        // the role staying (never the worker themselves), or the event named.
        if let Some(kind) = step.until {
            let rs = self.ev.rs;
            let ends = |e: &Event| match e.data {
                EventData::Released => {
                    e.by.is_some_and(|b| role.is_some_and(|r| b != r && rs.covers(b, r)))
                }
                _ => true,
            };
            let done = self
                .events_from(from)
                .find(|e| e.data.event_kind() == Some(kind) && ends(e))
                .map(|e| Ended {
                    at: e.at,
                    end: End::Done(None),
                });
            // A release that does not count is said, not dropped: the worker stays.
            let refused = self
                .events_from(from)
                .filter(|e| done.is_none_or(|d| e.at < d.at))
                .find(|e| matches!(e.data, EventData::Released) && !ends(e))
                .map(|e| {
                    format!(
                        "a release at {} by {} does not end it: only someone senior to the one staying may release them",
                        words::clock(self.ev, e.at),
                        e.by
                            .and_then(|b| rs.role(b))
                            .map_or("someone with no role".to_string(), |r| lower_first(&r.display))
                    )
                });
            return (done, refused);
        }
        // Handing over is done as the step fires: the other pathway starts then.
        if let ActionDef::HandOver(_) = step.action {
            return (
                Some(Ended {
                    at: fired,
                    end: End::Done(None),
                }),
                None,
            );
        }
        let duty = self.duty(step, role, from, fired);
        if super::discharge::single_event(duty.action) && !scan_endings() {
            let found = self.ev.candidates_of(self.ep.person, &duty);
            let visit = self.ep.trigger.visit;
            return super::discharge::discharge_from(self.ev, &duty, &found, from, visit);
        }
        if !matches!(duty.action, ActionDef::Decide(_)) && !scan_endings() {
            // Attempts and cascades: only the events someone able to do them recorded, found
            // once per person and role (`discharge` filters the same way, so it reads what it
            // would have kept of every later event).
            let acted = self.ev.acted_of(self.ep.person, &duty);
            let tl = self.ev.tl;
            let start = acted.partition_point(|i| tl.events.get(*i).is_some_and(|e| e.at < from));
            let visit = self.ep.trigger.visit;
            let events = acted
                .get(start..)
                .unwrap_or(&[])
                .iter()
                .filter_map(|i| tl.events.get(*i))
                .filter(|e| visit.is_none() || e.visit.is_none() || e.visit == visit);
            return discharge(self.ev, &duty, events);
        }
        let kinds = super::discharge::ending_kinds(duty.action);
        let events = self.events_of_kinds_from(kinds, from);
        discharge(self.ev, &duty, events)
    }

    /// Step `step` as a duty that fell to `role`, started at `from` and fired at `fired`.
    fn duty(
        &self,
        step: &'a StepDef,
        role: Option<RoleId>,
        from: Instant,
        fired: Instant,
    ) -> Duty<'a> {
        let rules = self.ev.rules(self.ep.person);
        Duty {
            action: &step.action,
            role,
            responsible: step.responsible,
            told: match step.action {
                ActionDef::Notify(who) => self.ev.resolve(who, fired),
                _ => None,
            },
            contacts: &rules.contacts,
            ruled_out: &rules.ruled_out,
            deciders: step.deciders.as_ref().map(|d| {
                let roles = d
                    .roles
                    .iter()
                    .map(|r| (self.ev.resolve(*r, fired), *r))
                    .collect();
                (d.all, roles)
            }),
            start: from.max(fired),
            fails_on: self.fails_on(step),
        }
    }

    /// For an attempt step with a follow-up, each counted attempt nobody answered (see
    /// [`super::attempts`]), from `from` on.
    fn unanswered(
        &self,
        step: &'a StepDef,
        role: Option<RoleId>,
        from: Instant,
    ) -> Vec<Unanswered> {
        let ActionDef::Attempt {
            methods,
            times,
            every,
            covering,
            follow_up: follow_up @ Some(_),
        } = &step.action
        else {
            return Vec::new();
        };
        let spec = Spec {
            methods,
            times: *times,
            every: *every,
            covering,
            follow_up: *follow_up,
        };
        let ev = self.ev;
        let rules = ev.rules(self.ep.person);
        let ruled_out = |m, at| ruled_out_at(ev, &rules.ruled_out, m, at).map(|r| &*r.need);
        let events = self
            .events_from(from)
            .filter(|e| may_act(ev, role, step.responsible, e));
        tally(ev, &ruled_out, &spec, events).unanswered
    }

    /// A step's status: not required when its condition did not hold, or when the episode
    /// closed before it was done (saying how overdue it was by then); otherwise the one rule,
    /// [`Status::at`].
    fn status(
        &self,
        step: &StepDef,
        st: &State,
        closed: Option<&(Instant, String)>,
    ) -> (Status, Option<i64>) {
        if st.inapplicable.is_some() {
            return (Status::NotRequired, None);
        }
        if let Some((closed_at, _)) = closed {
            if st.done_at.is_none_or(|d| d > *closed_at) {
                let late = st
                    .due
                    .filter(|u| u < closed_at)
                    .map(|u| (*closed_at - u).num_seconds());
                return (Status::NotRequired, late);
            }
        }
        // A started duty with no deadline is open until done, never overdue.
        let untimed = step.deadline.is_none() && st.fired.is_some();
        status_of(st.ended(), st.due, !untimed, self.ev.as_of)
    }

    fn obligation(
        &self,
        i: usize,
        st: &State,
        closed: Option<&(Instant, String)>,
    ) -> Option<Obligation> {
        let step = self.steps.get(i)?;
        if st.waiting {
            return None;
        }
        // Finding the person ends the search, not the record of it: a duty that stays at
        // closure (by default a timed record or review) stands after it.
        let outlived = closed
            .filter(|c| step.at_closure == Some(true) && st.done_at.is_none_or(|d| d > c.0))
            .map(|c| c.0);
        let closed = if step.stays_at_closure() && !never_due(step, st, closed) {
            None
        } else {
            closed
        };
        let (status, late_by) = self.status(step, st, closed);
        let ev = self.ev;
        let role = st.role;
        let at = st.role_at.or(st.fired).or(st.start).unwrap_or(self.t0);
        let because = self.reasons(step, st, (status, closed, outlived), at);
        let draft = Draft {
            id: [&*self.ep.id, "/", &step.name].concat(),
            person: ev.person_arc(self.ep.person),
            visit: ev.visit_id(self.ep.trigger.visit),
            episode: self.ep.id.clone(),
            action: step.action.action(),
            summary: words::step_summary(ev, step, st.fired.unwrap_or(self.t0)),
            role,
            opened_at: st.fired.or(st.start).unwrap_or(self.t0),
            due: st.due,
            // Work recorded after the duty was no longer required did not do it.
            done_at: st
                .done_at
                .filter(|d| status != Status::NotRequired || closed.is_none_or(|c| *d <= c.0)),
            rule: step.provenance.clone(),
            cites: step.all_cites.clone(),
            because,
            outcome: st
                .ended()
                .filter(|_| status != Status::NotRequired)
                .and_then(|e| e.outcome_name(ev.rs, &step.action)),
            links: (self.handed_to(step, st), self.ep.from.clone()),
        };
        let mut o = ev.obligation(draft, (status, late_by));
        if let Some(d) = &step.deciders {
            o.role_name = Arc::from(self.deciders_words(d, at));
            o.deciders = d
                .roles
                .iter()
                .filter_map(|r| ev.resolve(*r, at))
                .filter_map(|r| ev.rs.role(r))
                .map(|r| Arc::from(&*r.name))
                .collect();
        }
        Some(o)
    }

    /// Why a step's duty is as it is, in words: the trigger, the exception running, who an
    /// alias stood for (who acts, who is told), the facts that started it, the bases for
    /// contacting, why it is not required, how far it got, and whether it outlived closure.
    fn reasons(
        &self,
        step: &StepDef,
        st: &State,
        (status, closed, outlived): (Status, Option<&(Instant, String)>, Option<Instant>),
        at: Instant,
    ) -> Vec<Arc<str>> {
        let ev = self.ev;
        let mut because: Vec<Arc<str>> = Vec::with_capacity(3 + st.facts.len());
        because.push(self.ep.trigger.text.clone());
        because.extend(self.ep.exception.clone());
        // Say who an alias stood for, whether it names who acts or who is told.
        let mut aliases = Vec::new();
        if let Responsible::Alias(a) = step.responsible {
            aliases.push((a, st.role));
        }
        if let ActionDef::Notify(who @ Responsible::Alias(a)) = step.action {
            aliases.push((a, ev.resolve(who, at)));
        }
        // And for a decision several roles share, each alias among them (found by a
        // docs-only tester: `by any of support_worker, manager` never said who the manager was).
        for who in step.deciders.iter().flat_map(|d| d.roles.iter()) {
            if let Responsible::Alias(a) = *who {
                if !aliases.iter().any(|(x, _)| *x == a) {
                    aliases.push((a, ev.resolve(*who, at)));
                }
            }
        }
        // Not started, and shown as of now: who would act if it started now.
        let now = st.start.is_none() && at == ev.as_of && st.inapplicable.is_none();
        for (a, resolved) in aliases {
            if let Some(resolved) = resolved {
                because.push(ev.alias_text(a, resolved, at, now));
            }
        }
        because.extend(st.facts.iter().cloned());
        because.extend(words::contact_bases(ev, self.ep.person, &step.action));
        if let Some(why) = &st.inapplicable {
            because.push(Arc::from(format!("not required: {why}")));
        }
        if let (Some((closed_at, how)), Status::NotRequired) = (closed, status) {
            if st.inapplicable.is_none() {
                because.push(Arc::from(format!(
                    "no longer required: the episode closed at {} ({how})",
                    words::clock(ev, *closed_at)
                )));
            }
        }
        // How far it got, or (for a cascade) who answered: each end says only what still
        // matters.
        if let Some(p) = &st.progress {
            because.push(Arc::from(p.as_str()));
        }
        if let Some(c) = outlived {
            because.push(Arc::from(format!(
                "it stands after the episode closed at {} (`on closure stays`)",
                words::clock(ev, c)
            )));
        }
        because
    }

    /// When a step was breached: not done by its due time, with `as_of` past it, and before
    /// any closure (a breach that happened before the person was found still has to be
    /// reported). `None` if it was not.
    fn breached(&self, st: &State, closed: Option<&(Instant, String)>) -> Option<Instant> {
        let due = st.due?;
        let breached = st.done_at.is_none_or(|d| d > due) && self.ev.as_of > due;
        let applies = st.inapplicable.is_none() && closed.is_none_or(|c| c.0 > due);
        (breached && applies).then_some(due)
    }

    /// The duty a breached step creates: tell the named role, from the instant it went overdue
    /// (the step's due time), by `breach_due`.
    fn breach(&self, i: usize, st: &State, breach_due: Option<Instant>) -> Option<Obligation> {
        let step = self.steps.get(i)?;
        let (who, _) = step.breach?;
        let due = st.due?;
        let ev = self.ev;
        let role = st.role;
        let target = ev.resolve(who, due);
        let notice = ActionDef::Notify(Responsible::Role(target.or(role)?));
        let (done, _) = match (role, target) {
            (Some(role), Some(target)) => {
                let duty = Duty {
                    action: &notice,
                    role: Some(role),
                    responsible: Responsible::Role(role),
                    told: Some(target),
                    contacts: &[],
                    ruled_out: &[],
                    deciders: None,
                    fails_on: Vec::new(),
                    start: due,
                };
                let kinds = super::discharge::ending_kinds(duty.action);
                discharge(ev, &duty, self.events_of_kinds_from(kinds, due))
            }
            _ => (None, None),
        };
        // A breach that happened before the person was found still has to be reported.
        let status = status_of(done, breach_due, true, ev.as_of);
        let target_name = target
            .and_then(|t| ev.rs.role(t))
            .map_or("", |r| &*r.display);
        let original = words::summary(
            ev,
            self.ep.person,
            &step.action,
            st.fired.unwrap_or(self.t0),
        );
        let draft = Draft {
            id: format!("{}/{}/breach", self.ep.id, step.name),
            person: ev.person_arc(self.ep.person),
            visit: ev.visit_id(self.ep.trigger.visit),
            episode: self.ep.id.clone(),
            action: crate::vocab::Action::NotifyBreach,
            summary: Arc::from(format!(
                "Tell the {} that \"{}\" was not done by {}",
                lower_first(target_name),
                lower_first(&original),
                words::clock(ev, due)
            )),
            role,
            opened_at: due,
            due: breach_due,
            done_at: done.map(|e| e.at),
            rule: step.provenance.clone(),
            cites: step.all_cites.clone(),
            because: vec![
                self.ep.trigger.text.clone(),
                Arc::from(format!(
                    "`{}` was due at {} and not done by then",
                    step.name,
                    words::clock(ev, due)
                )),
            ],
            outcome: done.and_then(|e| e.outcome_name(ev.rs, &notice)),
            links: (None, self.ep.from.clone()),
        };
        Some(ev.obligation(draft, status))
    }
}

/// Is the condition true for a step firing at `at`? Calendar, absence and exception
/// conditions are judged at `facts_at` (the trigger, or the step's start for a step
/// `judged at start`); observations up to `at`.
fn holds(ev: &Eval<'_>, ep: &Episode<'_>, c: &Cond, facts_at: Instant, at: Instant) -> bool {
    match c {
        Cond::Const(b) => *b,
        Cond::And(cs) => cs.iter().all(|c| holds(ev, ep, c, facts_at, at)),
        Cond::Or(cs) => cs.iter().any(|c| holds(ev, ep, c, facts_at, at)),
        Cond::Not(c) => !holds(ev, ep, c, facts_at, at),
        Cond::OutOfHours => ev.out_of_hours(facts_at),
        Cond::InCalendar(cal) => ev.in_calendar(*cal, facts_at),
        Cond::DuringAbsence(a) => ev
            .rules(ep.person)
            .absences
            .get(a.index())
            .is_some_and(|a| ev.civil.in_windows(&a.windows, facts_at)),
        Cond::DuringException(x) => ev
            .rules(ep.person)
            .exceptions
            .get(x.index())
            .is_some_and(|x| x.covers(ev.civil, facts_at)),
        // Seen in the episode so far, or inside the look-back before it began: the first
        // such observation from the look-back on, at or before `at`.
        Cond::Observed(wanted, back) => ev
            .first_observed(ep.person, *wanted, ep.looked_back(*back))
            .is_some_and(|first| first <= at),
        Cond::Visit(crit) => ep
            .trigger
            .visit
            .and_then(|v| ev.visit(v))
            .is_some_and(|v| v.criticality == Some(*crit)),
        Cond::Attribute(a, v, _) => ep.trigger.attributes.get(usize::from(*a)) == Some(v),
        Cond::ReportedBy(r) => ep.trigger.by == Some(*r),
    }
}

/// Does `pathway` take trigger `t`? Its `when` is judged at the trigger, with observations
/// up to the trigger (and any look-back before it) counted. `None` if it does not; otherwise
/// what made it take the trigger, in words (`None` inside for a pathway with no `when`).
pub(super) fn takes(
    ev: &Eval<'_>,
    person: usize,
    pathway: &PathwayDef,
    t: &Trigger,
) -> Option<Option<String>> {
    if pathway.when == Cond::Const(true) {
        return Some(None);
    }
    let ep = Episode {
        id: Arc::from(""),
        person,
        pathway,
        trigger: t.clone(),
        exception: None,
        closed: None,
        since: t.at,
        from: None,
        search: false,
    };
    holds(ev, &ep, &pathway.when, t.at, t.at).then(|| {
        Some(format!(
            "pathway {} takes it `when {}`: {}",
            pathway.name,
            pathway.when_text.as_deref().unwrap_or_default(),
            words::condition(ev, &ep, &pathway.when, t.at, t.at)
        ))
    })
}

/// True for a duty that would outlive closure but can never fall due: the episode closed
/// before its clock started, and the clock counts only from steps (`within 20m of
/// call_family`), which closure ended. It ends with the episode rather than waiting forever.
fn never_due(step: &StepDef, st: &State, closed: Option<&(Instant, String)>) -> bool {
    let Some(deadline) = step.deadline else {
        return false;
    };
    let anchors = crate::rules::deadline::anchors(&deadline);
    closed.is_some()
        && st.done_at.is_none()
        && st.due.is_none()
        && !anchors.is_empty()
        && anchors.iter().all(|a| matches!(a, Anchor::Step(_)))
}

#[cfg(test)]
thread_local! {
    /// Set by a test to find single-event duties' ends by reading the events, as before they
    /// were listed once per person (`Eval::candidates_of`), to hold the two to one answer.
    pub(super) static SCAN_ENDINGS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a test asked for single-event duties' ends to be found by reading the events.
fn scan_endings() -> bool {
    #[cfg(test)]
    return SCAN_ENDINGS.with(std::cell::Cell::get);
    #[cfg(not(test))]
    false
}
