//! Whether recorded work does what a duty asks: the one rule for every duty, whether a ladder
//! step, a breach notice or a governance duty.
//!
//! A duty ends at the first matching event by the role it fell to, or by a role covering it.
//! A duty given to an alias ("the manager") may also be done by whoever holds either side of
//! it: it is a rota position, not a person. Who must be told is settled when the duty starts,
//! not when the notice is given.
//!
//! How it ends follows the table in [`crate::rules::flow`]: done when what it asked was
//! achieved; failed with the outcome the event records (nobody answered, not available,
//! refused, no key, not applicable); or, for a decision, decided with an outcome.

use std::sync::Arc;

use super::attempts::{tally, Spec};
use super::decision::Status;
use super::Eval;
use crate::rules::flow::End;
use crate::rules::{ActionDef, ContactDef, ContactId, Responsible, RoleId, RuledOut};
use crate::time::Instant;
use crate::timeline::{Event, EventData, Outcome};
use crate::vocab::{EventKind, Method};

/// One of several roles sharing a decision: as resolved when the duty started, and as written.
pub(super) type Decider = (Option<RoleId>, Responsible);

/// A duty, as far as discharging it is concerned.
pub(super) struct Duty<'a> {
    /// What it asks.
    pub action: &'a ActionDef,
    /// The role it fell to when it started.
    pub role: Option<RoleId>,
    /// Who it is given to as written (an alias lets either side of it act).
    pub responsible: Responsible,
    /// For a notice: who must be told, resolved when the duty started.
    pub told: Option<RoleId>,
    /// The person's contacts, for a cascade's progress in words.
    pub contacts: &'a [ContactDef],
    /// The contact methods the person's communication needs rule out, and when: an attempt
    /// by one of them at a time it is ruled out does not count.
    pub ruled_out: &'a [RuledOut],
    /// For a decision several roles share: whether all must record it, and each role (as
    /// resolved when the duty started, and as written).
    pub deciders: Option<(bool, Vec<Decider>)>,
    /// When the duty started (fired, or for a step counted from an event, that event): a
    /// cascade with nobody to try has run out then, never before.
    pub start: Instant,
    /// The failures that end the duty: those a branch after it takes. Any other failure is
    /// progress, and the duty stays to do.
    pub fails_on: Vec<Outcome>,
}

/// How and when a duty ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ended {
    /// When.
    pub at: Instant,
    /// How.
    pub end: End,
}

impl Ended {
    fn new(at: Instant, end: End) -> Option<Ended> {
        Some(Ended { at, end })
    }

    /// The outcome's name, when the end has one: a failure's, or a decision's outcome.
    pub fn outcome_name(self, rs: &crate::rules::RuleSet, action: &ActionDef) -> Option<Arc<str>> {
        match (self.end, action) {
            (End::Done(None), _) => None,
            (End::Done(Some(o)) | End::Failed(o), _) => Some(Arc::from(o.name())),
            (End::Decided(k), ActionDef::Decide(d)) => {
                rs.decision(*d).map(|d| Arc::from(d.outcome_name(k)))
            }
            (End::Decided(_), _) => None,
        }
    }
}

/// Where a duty stands at `as_of`, given how it ended: the one rule ([`Status::at`], or for
/// a duty with no deadline [`Status::untimed`]), with a failure shown as failed (and how late,
/// if it failed after its due time).
pub(super) fn status_of(
    ended: Option<Ended>,
    due: Option<Instant>,
    timed: bool,
    as_of: Instant,
) -> (Status, Option<i64>) {
    let (status, late) = if timed {
        Status::at(ended.map(|e| e.at), due, as_of)
    } else {
        (Status::untimed(ended.map(|e| e.at)), None)
    };
    match ended.map(|e| e.end) {
        Some(End::Failed(_)) => (Status::Failed, late),
        _ => (status, late),
    }
}

/// The end an event records for an action that reaches someone: done if reached.
fn reached_or(outcome: Outcome) -> End {
    if outcome.is_failure() {
        End::Failed(outcome)
    } else {
        End::Done(None)
    }
}

/// Whether event `e` was recorded by someone who may do a duty that fell to `role`: that role
/// or one covering it, or for a duty given to an alias, either side of it.
pub(super) fn may_act(
    ev: &Eval<'_>,
    role: Option<RoleId>,
    responsible: Responsible,
    e: &Event,
) -> bool {
    let rs = ev.rs;
    let arms = match responsible {
        Responsible::Alias(a) => rs.alias(a).map(|d| [d.inside, d.otherwise]),
        Responsible::Role(_) => None,
    };
    e.by.is_some_and(|b| {
        role.is_some_and(|r| rs.covers(b, r))
            || arms.is_some_and(|arms| arms.iter().any(|a| rs.covers(b, *a)))
    })
}

/// The kinds of event that can end, or count towards, a duty that asks `action`: what
/// [`discharge`] reads of a record, and all it reads (so an evaluation finds a duty's events
/// by kind, not by reading every later event). An exhaustive match: a new action must say.
pub(super) fn ending_kinds(action: &ActionDef) -> &'static [EventKind] {
    match action {
        ActionDef::Attempt { .. } => &[EventKind::ContactAttempt],
        ActionDef::Contact(_) => &[EventKind::ContactMade],
        ActionDef::Decide(_) => &[EventKind::Decided],
        ActionDef::Notify(_) => &[EventKind::Notified],
        ActionDef::Escalate(_) => &[EventKind::AgencyContacted],
        ActionDef::Record(_) | ActionDef::Review(..) => &[EventKind::RecordMade],
        ActionDef::ReferSafeguarding => &[EventKind::SafeguardingReferral],
        ActionDef::VerifyWhereabouts => &[
            EventKind::WhereaboutsConfirmed,
            EventKind::ContactEstablished,
        ],
        ActionDef::Check(_) => &[EventKind::Observation],
        // Ended by their `until` event, or as they start: nothing here ends them.
        ActionDef::Stay | ActionDef::HandOver(_) => &[],
    }
}

/// When and how the duty ended among `events` (already limited to those that may count), and
/// for one that counts attempts, works through a cascade or waits for several deciders, how
/// far it has got.
pub(super) fn discharge<'e>(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    events: impl Iterator<Item = &'e Event>,
) -> (Option<Ended>, Option<String>) {
    // Only these kinds are read below; filtered here too, so that a caller passing every
    // event and one passing those found by kind get the same answer.
    let kinds = ending_kinds(duty.action);
    let events = events.filter(|e| e.data.event_kind().is_some_and(|k| kinds.contains(&k)));
    if let (ActionDef::Decide(d), Some((all, deciders))) = (duty.action, &duty.deciders) {
        return shared_decision(ev, *d, *all, deciders, events);
    }
    let mut events = events.filter(|e| may_act(ev, duty.role, duty.responsible, e));
    match duty.action {
        ActionDef::Attempt {
            methods,
            times,
            every,
            covering,
            follow_up,
        } => {
            let spec = Spec {
                methods,
                times: *times,
                every: *every,
                covering,
                follow_up: *follow_up,
            };
            let ruled_out = |m, at| ruled_out_at(ev, duty.ruled_out, m, at).map(|r| &*r.need);
            let t = tally(ev, &ruled_out, &spec, events);
            // A spread says which windows its attempts covered, even once it has ended.
            let progress = (t.ended.is_none() || !covering.is_empty()).then_some(t.progress);
            (t.ended.map(|(at, end)| Ended { at, end }), progress)
        }
        ActionDef::Contact(items) => {
            let cascade = crate::rules::cascade::expand(items, duty.contacts);
            cascade_end(duty, &cascade, events)
        }
        ActionDef::Decide(d) => (
            events.find_map(|e| match e.data {
                EventData::Decided { decision, outcome } if decision == *d => {
                    ev.decisions_taken
                        .borrow_mut()
                        .insert(Arc::from(e.id.as_str()));
                    Ended::new(e.at, End::Decided(outcome))
                }
                _ => None,
            }),
            None,
        ),
        action => settle(
            ev,
            duty,
            events.filter_map(|e| ends(ev.rs, action, duty.told, &e.data).map(|end| (e.at, end))),
        ),
    }
}

/// A single-event duty (see [`single_event`]) over the ends and failures recorded for it, in
/// time order: it ends at the first end, or failure a branch takes; any other failure is
/// progress, and the duty stays to do.
fn settle(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    ends: impl Iterator<Item = (Instant, End)>,
) -> (Option<Ended>, Option<String>) {
    let mut failed: Option<(Instant, Outcome)> = None;
    for (at, end) in ends {
        match end {
            End::Failed(o) if !duty.fails_on.contains(&o) => {
                failed.get_or_insert((at, o));
            }
            end => return (Ended::new(at, end), None),
        }
    }
    let progress = failed.map(|(at, o)| {
        format!(
            "tried at {}: {}; still to do",
            ev.civil.short_local(at),
            o.words()
        )
    });
    (None, progress)
}

/// Whether a duty asking `action` ends at one event judged alone, by who recorded it and what
/// it says (every action but attempts, cascades, decisions, stays and hand-overs): such a
/// duty's ends can be listed once for every duty that differs only in when it starts.
pub(super) fn single_event(action: &ActionDef) -> bool {
    !matches!(
        action,
        ActionDef::Attempt { .. }
            | ActionDef::Contact(_)
            | ActionDef::Decide(_)
            | ActionDef::Stay
            | ActionDef::HandOver(_)
    )
}

/// An event that ends, or fails, a single-event duty: when, at which visit, and how.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    at: Instant,
    visit: Option<usize>,
    end: End,
}

/// Every event of `events` (in time order) that ends or fails `duty`, a single-event duty:
/// the same for all the duties of a person that ask the same of the same role, whenever they
/// start, so it is listed once for them all. A duty never done then looks up where its start
/// falls, rather than reading every later event of its kinds (for a person with thousands of
/// episodes, the square of their number).
pub(super) fn candidates<'e>(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    events: impl Iterator<Item = &'e Event>,
) -> Vec<Candidate> {
    let kinds = ending_kinds(duty.action);
    events
        .filter(|e| e.data.event_kind().is_some_and(|k| kinds.contains(&k)))
        .filter(|e| may_act(ev, duty.role, duty.responsible, e))
        .filter_map(|e| {
            ends(ev.rs, duty.action, duty.told, &e.data).map(|end| Candidate {
                at: e.at,
                visit: e.visit,
                end,
            })
        })
        .collect()
}

/// [`discharge`] of a single-event duty from its [`candidates`]: those from `from` on, and,
/// for an episode about visit `visit`, not recorded against another visit.
pub(super) fn discharge_from(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    candidates: &[Candidate],
    from: Instant,
    visit: Option<usize>,
) -> (Option<Ended>, Option<String>) {
    let start = candidates.partition_point(|c| c.at < from);
    let later = candidates.get(start..).unwrap_or(&[]);
    settle(
        ev,
        duty,
        later
            .iter()
            .filter(|c| visit.is_none() || c.visit.is_none() || c.visit == visit)
            .map(|c| (c.at, c.end)),
    )
}

/// A cascade: done when one contact is reached; failed, with the last one's outcome, when
/// every contact has been tried and none was (at once, if there is nobody to try).
fn cascade_end<'e>(
    duty: &Duty<'_>,
    cascade: &[ContactId],
    events: impl Iterator<Item = &'e Event>,
) -> (Option<Ended>, Option<String>) {
    let ends_on = |o: Outcome| duty.fails_on.contains(&o);
    if cascade.is_empty() {
        if ends_on(Outcome::NoAnswer) {
            let why =
                "nobody to try: no one is listed for it, so the list ran out as the step started";
            return (
                Ended::new(duty.start, End::Failed(Outcome::NoAnswer)),
                Some(why.to_string()),
            );
        }
        // With no branch to take the list's running out, the duty stays to do and goes
        // overdue (fail closed); the reasons say why no call can do it.
        let why = "nobody to try: no one is listed for it, so no call can do it until someone is";
        return (None, Some(why.to_string()));
    }
    let mut tried: Vec<ContactId> = Vec::new();
    for e in events {
        let EventData::ContactMade { contact, outcome } = e.data else {
            continue;
        };
        if !cascade.contains(&contact) {
            continue;
        }
        if !outcome.is_failure() {
            let who = duty
                .contacts
                .get(contact.index())
                .map_or("", |c| c.display.as_str());
            let before = names(&tried, duty.contacts);
            let reached = if before.is_empty() {
                format!("reached: {who}")
            } else {
                format!("reached: {who} (not reached before: {})", before.join(", "))
            };
            return (Ended::new(e.at, End::Done(None)), Some(reached));
        }
        if !tried.contains(&contact) {
            tried.push(contact);
        }
        if cascade.iter().all(|c| tried.contains(c)) && ends_on(outcome) {
            let why = format!("none reached: {}", names(&tried, duty.contacts).join(", "));
            return (Ended::new(e.at, End::Failed(outcome)), Some(why));
        }
    }
    (None, cascade_progress(cascade, &tried, duty.contacts))
}

/// A decision several roles share, with its outcomes in the order the framework lists them.
/// `any of`: the first outcome is decided the moment any of them records it; any other
/// only once all have recorded (the earliest listed that anyone chose). `all of`: the first
/// outcome only when all have recorded it; any other the moment one records it.
fn shared_decision<'e>(
    ev: &Eval<'_>,
    decision: crate::rules::DecisionId,
    all: bool,
    deciders: &[Decider],
    events: impl Iterator<Item = &'e Event>,
) -> (Option<Ended>, Option<String>) {
    let mut chose: Vec<Option<u16>> = vec![None; deciders.len()];
    // Who recorded what, and when, for the duty's reasons once it is decided.
    let mut said: Vec<String> = Vec::new();
    let def = ev.rs.decision(decision);
    for e in events {
        let EventData::Decided {
            decision: d,
            outcome,
        } = e.data
        else {
            continue;
        };
        if d != decision {
            continue;
        }
        // Each decider's first record counts, and a record is theirs whose role it is; one
        // by someone covering others counts for the first of those not yet recorded.
        let open = |k: usize| chose.get(k).is_some_and(Option::is_none);
        let exact = deciders
            .iter()
            .enumerate()
            .position(|(k, (role, _))| open(k) && role.is_some() && *role == e.by);
        let covering = || {
            deciders
                .iter()
                .enumerate()
                .position(|(k, (role, resp))| open(k) && may_act(ev, *role, *resp, e))
        };
        let Some(k) = exact.or_else(covering) else {
            continue;
        };
        if let Some(c) = chose.get_mut(k) {
            *c = Some(outcome);
        }
        ev.decisions_taken
            .borrow_mut()
            .insert(Arc::from(e.id.as_str()));
        let who = deciders
            .get(k)
            .and_then(|(r, _)| r.and_then(|r| ev.rs.role(r)))
            .map_or("", |r| &*r.display);
        let what = def
            .map_or("", |d| d.outcome_name(outcome))
            .replace('_', " ");
        said.push(format!("{who}: {what} at {}", ev.civil.short_local(e.at)));
        let decisive = if all { outcome != 0 } else { outcome == 0 };
        let pick = if decisive {
            Some(outcome)
        } else if chose.iter().all(Option::is_some) {
            Some(chose.iter().flatten().min().copied().unwrap_or(outcome))
        } else {
            None
        };
        if let Some(pick) = pick {
            let reasons = format!("recorded: {}", said.join("; "));
            return (Ended::new(e.at, End::Decided(pick)), Some(reasons));
        }
    }
    let names = |want: bool| -> Vec<&str> {
        deciders
            .iter()
            .zip(&chose)
            .filter(|(_, c)| c.is_some() == want)
            .filter_map(|((r, _), _)| r.and_then(|r| ev.rs.role(r)).map(|r| &*r.display))
            .collect()
    };
    let (done, waiting) = (names(true), names(false));
    let progress = (!done.is_empty()).then(|| {
        format!(
            "recorded by: {}; waiting for: {}",
            done.join(", "),
            waiting.join(", ")
        )
    });
    (None, progress)
}

/// How one event ends a single-event action (every action but attempts, cascades and
/// decisions), if it does.
fn ends(
    rs: &crate::rules::RuleSet,
    action: &ActionDef,
    told: Option<RoleId>,
    data: &EventData,
) -> Option<End> {
    match (action, data) {
        (ActionDef::Notify(_), EventData::Notified { role, outcome }) => told
            .is_some_and(|needed| rs.covers(*role, needed))
            .then(|| reached_or(*outcome)),
        (ActionDef::Escalate(a), EventData::AgencyContacted { agency, outcome }) => {
            (a == agency).then(|| reached_or(*outcome))
        }
        _ => does(rs, action, data).then_some(End::Done(None)),
    }
}

/// True if one event does an action that cannot fail.
fn does(rs: &crate::rules::RuleSet, action: &ActionDef, data: &EventData) -> bool {
    match (action, data) {
        (ActionDef::Record(l) | ActionDef::Review(_, l), EventData::RecordMade { log, .. }) => {
            l == log
        }
        (ActionDef::ReferSafeguarding, EventData::SafeguardingReferral) => true,
        (
            ActionDef::VerifyWhereabouts,
            EventData::WhereaboutsConfirmed { .. } | EventData::ContactEstablished,
        ) => true,
        (ActionDef::Check(wanted), EventData::Observation { sym, .. }) => {
            rs.observation_answers(*sym, *wanted)
        }
        _ => false,
    }
}

/// The rule that rules `method` out at `at`, if one does.
pub(super) fn ruled_out_at<'r>(
    ev: &Eval<'_>,
    ruled_out: &'r [RuledOut],
    method: Method,
    at: Instant,
) -> Option<&'r RuledOut> {
    ruled_out
        .iter()
        .find(|r| r.method == method && r.window.is_none_or(|cal| ev.in_calendar(cal, at)))
}

/// The contacts' display names, in order.
fn names<'c>(ids: &[ContactId], contacts: &'c [ContactDef]) -> Vec<&'c str> {
    ids.iter()
        .filter_map(|c| contacts.get(c.index()).map(|x| x.display.as_str()))
        .collect()
}

/// "not reached: Sister; next: Brother", once someone has been tried.
fn cascade_progress(
    cascade: &[ContactId],
    tried: &[ContactId],
    contacts: &[ContactDef],
) -> Option<String> {
    if tried.is_empty() {
        return cascade
            .first()
            .and_then(|c| contacts.get(c.index()))
            .map(|x| format!("nobody tried yet; first: {}", x.display));
    }
    let tried_names = names(tried, contacts);
    let next = cascade
        .iter()
        .find(|c| !tried.contains(c))
        .and_then(|c| contacts.get(c.index()))
        .map_or("no one left to try".to_string(), |x| {
            format!("next: {}", x.display)
        });
    Some(format!("not reached: {}; {next}", tried_names.join(", ")))
}
