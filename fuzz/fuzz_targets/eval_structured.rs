//! Generated timelines, evaluated against every bundled rule set: structure-aware fuzzing of
//! the evaluator.
//!
//! The fuzzer's bytes are read (`arbitrary`) as a small description of a timeline: a rule
//! set, a start date (a GMT weekday, the UK clock changes of March and October 2026, the
//! Christmas bank holidays, the end of the embedded bank-holiday data), events at offsets of up
//! to two days from it, of every built-in kind and every declared trigger, naming the people,
//! roles, contacts, agencies, logs, observations and decisions the rule set declares (and now
//! and then one it does not). The events are given to a `Feed` one at a time (a refused one
//! must leave the feed as it was), and the decision is taken at an instant in the same window,
//! then again at its `next_change`. At each, per docs/decision.md and docs/embedding.md:
//!
//! - evaluating twice gives the same decision, and its JSON reads back as the same decision;
//! - the feed's log, written as a JSON timeline and loaded as a file is (`Timeline::load`),
//!   gives the same decision as the feed (equal values, so equal JSON);
//! - `next_change` is exact, as the property tests of tests/common/mod.rs
//!   (`next_change_is_exact`) state it, whenever no event falls in between: one second
//!   before it every obligation (id, status, due, done, role), every visit (id, state) and
//!   every note but the count of later events stand as at `as_of`, and at it something has
//!   changed; with no `next_change`, nothing has changed three days later.
//!
//! Found here, since fixed (the bug as it was; the flag below that worked around it is now
//! `false`): when the record starts (`from`) after `as_of`, `next_change` does not look
//! at the start of the record, so the decision can change before it (a protocol visit watched
//! from `from` on is missed) or with none at all
//! (tests/fixtures/fuzz-regressions/eval_structured-next-change-misses-a-later-from.*). While it was open,
//! `next_change` was not checked while `from` is after `as_of`
//! (`NEXT_CHANGE_IGNORES_A_LATER_FROM`), so the target can look for anything else.
//!
//! Found here, since fixed (the bug as it was; the flag below that worked around it is now
//! `false`): an `upcoming` duty given to an alias (`manager`) shows the role the alias
//! stands for at `as_of`, which changes when office hours end or begin, and `next_change` does
//! not foresee it (tests/fixtures/fuzz-regressions/
//! eval_structured-upcoming-role-moves-without-next-change.bin). While it was open, the role of
//! an upcoming duty was left out of the comparison (`UPCOMING_ROLE_MOVES_WITHOUT_NEXT_CHANGE`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vigil::eval::{Decision, Status};
use vigil::time::Instant;
use vigil::timeline::{EventInput, Feed, Format, Timeline, TimelineInput};
use vigil::vocab::{EventKind, Method, Outcome};
use vigil_fuzz::{nth, Bundled, Names};

/// Skip the `next_change` checks while the record starts after `as_of`: the open bug above.
/// Set to `false` once `next_change` counts the start of the record.
const NEXT_CHANGE_IGNORES_A_LATER_FROM: bool = false;

/// Leave the role of an `upcoming` duty out of what `next_change` is checked on: the open
/// bug above. Set to `false` once the role a not-yet-started duty shows is foreseen.
const UPCOMING_ROLE_MOVES_WITHOUT_NEXT_CHANGE: bool = false;

/// Where the window of two days starts.
#[derive(Debug, Arbitrary, Clone, Copy)]
enum Start {
    /// Monday 23 November 2026, 00:00 GMT: an ordinary week.
    GmtWeek,
    /// Saturday 28 March 2026, 00:00 GMT: the clocks go forward at 01:00 UTC on Sunday 29.
    SpringForward,
    /// Saturday 24 October 2026, 00:00 BST: the clocks go back at 01:00 UTC on Sunday 25.
    FallBack,
    /// Thursday 24 December 2026: Christmas Day and Boxing Day (substitute Monday 28).
    Christmas,
    /// Thursday 30 December 2027: the embedded bank-holiday data ends with 2027.
    DataEnds,
}

impl Start {
    fn instant(self) -> Instant {
        let text = match self {
            Start::GmtWeek => "2026-11-23T00:00:00Z",
            Start::SpringForward => "2026-03-28T00:00:00Z",
            Start::FallBack => "2026-10-23T23:00:00Z",
            Start::Christmas => "2026-12-24T00:00:00Z",
            Start::DataEnds => "2027-12-30T00:00:00Z",
        };
        text.parse().unwrap_or_default()
    }
}

/// An instant in the window of two days: minutes (and now and then seconds) after its start.
#[derive(Debug, Arbitrary, Clone, Copy)]
struct Offset {
    minutes: u16,
    second: u8,
}

const WINDOW_MINUTES: u16 = 2 * 24 * 60;

impl Offset {
    fn at(self, start: Instant) -> Instant {
        let second = if self.second < 60 { self.second } else { 0 };
        start
            + chrono::Duration::minutes(i64::from(self.minutes % WINDOW_MINUTES))
            + chrono::Duration::seconds(i64::from(second))
    }
}

/// Which visit an event is about.
#[derive(Debug, Arbitrary, Clone, Copy)]
enum VisitSel {
    /// `V0`..`V3`, planned by a `visit_planned` event (or not).
    Planned(u8),
    /// `NAME@DATE`: the person's protocol visit on the window's day `day` (0-4).
    Protocol { slot: u8, day: u8 },
}

#[derive(Debug, Arbitrary, Clone)]
enum Kind {
    VisitPlanned {
        visit: u8,
        slot: Option<VisitSel>,
        planned: Offset,
        /// Minutes after the planned start.
        end_after: Option<u8>,
        criticality: u8,
        staff: Option<u8>,
        route: Option<u8>,
        location: Option<u8>,
    },
    VisitCancelled,
    Arrived,
    Departed,
    NoAnswer,
    ContactAttempt {
        method: u8,
        outcome: Option<u8>,
    },
    Observation {
        what: u8,
    },
    Notified {
        role: u8,
        outcome: Option<u8>,
    },
    ContactMade {
        contact: u8,
        outcome: Option<u8>,
    },
    AgencyContacted {
        agency: u8,
        outcome: Option<u8>,
    },
    ContactEstablished,
    WhereaboutsConfirmed,
    Refusal,
    SafeguardingReferral,
    RecordMade {
        log: u8,
        result: Option<u8>,
    },
    AtAlert,
    /// Names the `duty`th obligation of the decision at the event's instant.
    Reviewed {
        duty: u8,
    },
    Released,
    AgencyArrived {
        agency: u8,
    },
    EscalationResolved,
    Decided {
        decision: u8,
        outcome: u8,
    },
    Declared {
        trigger: u8,
        attributes: Vec<(u8, u8)>,
    },
}

#[derive(Debug, Arbitrary, Clone)]
struct Event {
    at: Offset,
    person: u8,
    kind: Kind,
    visit: Option<VisitSel>,
    by: Option<u8>,
    id: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    ruleset: u8,
    start: Start,
    from: Option<Offset>,
    persons: Vec<u8>,
    events: Vec<Event>,
    as_of: Offset,
}

fn visit_name(names: &Names, person: usize, sel: VisitSel, start: Instant) -> String {
    match sel {
        VisitSel::Planned(v) => format!("V{}", v % 4),
        VisitSel::Protocol { slot, day } => {
            let date = (start + chrono::Duration::days(i64::from(day % 5))).date_naive();
            format!(
                "{}@{}",
                nth(&names.slots[person], usize::from(slot)),
                date.format("%Y-%m-%d")
            )
        }
    }
}

fn outcome(o: Option<u8>) -> Option<Outcome> {
    o.map(|o| *nth(Outcome::ALL, usize::from(o)))
}

/// The event the description stands for.
fn build(b: &Bundled, feed: &Feed, e: &Event, start: Instant) -> EventInput {
    let n = &b.names;
    let p = usize::from(e.person) % n.persons.len();
    let person = n.persons[p].clone();
    let at = e.at.at(start);
    let kind = |k: EventKind| EventInput::new(at, person.clone(), k);
    let role = |r: u8| nth(&n.roles, usize::from(r)).clone();
    let mut ev = match &e.kind {
        Kind::VisitPlanned {
            visit,
            slot,
            planned,
            end_after,
            criticality,
            staff,
            route,
            location,
        } => {
            let planned = planned.at(start);
            let mut ev = kind(EventKind::VisitPlanned)
                .visit(format!("V{}", visit % 4))
                .planned(planned)
                .criticality(nth(&n.criticalities, usize::from(*criticality)).clone());
            if let Some(sel) = slot {
                let name = visit_name(n, p, *sel, start);
                // `slot: morning` or `slot: morning@DATE`.
                ev = match sel {
                    VisitSel::Planned(_) => ev,
                    VisitSel::Protocol { day, .. } if day % 2 == 0 => {
                        ev.slot(name.split('@').next().unwrap_or_default())
                    }
                    VisitSel::Protocol { .. } => ev.slot(name),
                };
            }
            if let Some(m) = end_after {
                ev = ev.planned_end(planned + chrono::Duration::minutes(i64::from(*m)));
            }
            if let Some(s) = staff {
                ev = ev.staff(u32::from(s % 4));
            }
            if let Some(r) = route {
                ev = ev.route(format!("R{}", r % 3));
            }
            if let Some(l) = location {
                ev = ev.location(format!("L{}", l % 3));
            }
            ev
        }
        Kind::VisitCancelled => kind(EventKind::VisitCancelled).reason("fuzz"),
        Kind::Arrived => kind(EventKind::Arrived),
        Kind::Departed => kind(EventKind::Departed),
        Kind::NoAnswer => kind(EventKind::NoAnswer),
        Kind::ContactAttempt { method, outcome: o } => {
            let ev =
                kind(EventKind::ContactAttempt).method(*nth(Method::ALL, usize::from(*method)));
            match outcome(*o) {
                Some(o) => ev.outcome(o),
                None => ev,
            }
        }
        Kind::Observation { what } => {
            kind(EventKind::Observation).what(nth(&n.observations, usize::from(*what)).clone())
        }
        Kind::Notified {
            role: r,
            outcome: o,
        } => {
            let ev = kind(EventKind::Notified).role(role(*r));
            match outcome(*o) {
                Some(o) => ev.outcome(o),
                None => ev,
            }
        }
        Kind::ContactMade {
            contact,
            outcome: o,
        } => {
            let ev = kind(EventKind::ContactMade)
                .contact(nth(&n.contacts[p], usize::from(*contact)).clone());
            match outcome(*o) {
                Some(o) => ev.outcome(o),
                None => ev,
            }
        }
        Kind::AgencyContacted { agency, outcome: o } => {
            let ev = kind(EventKind::AgencyContacted)
                .agency(nth(&n.agencies, usize::from(*agency)).clone());
            match outcome(*o) {
                Some(o) => ev.outcome(o),
                None => ev,
            }
        }
        Kind::ContactEstablished => kind(EventKind::ContactEstablished),
        Kind::WhereaboutsConfirmed => kind(EventKind::WhereaboutsConfirmed).place("hospital"),
        Kind::Refusal => kind(EventKind::Refusal).task("meds"),
        Kind::SafeguardingReferral => kind(EventKind::SafeguardingReferral),
        Kind::RecordMade { log, result } => {
            let ev = kind(EventKind::RecordMade).log(nth(&n.logs, usize::from(*log)).clone());
            match result {
                Some(r) => ev.result(nth(&n.results, usize::from(*r)).clone()),
                None => ev,
            }
        }
        Kind::AtAlert => kind(EventKind::AtAlert).alert("pendant"),
        Kind::Reviewed { duty } => {
            let d = feed.decision(at);
            let id = if d.obligations.is_empty() {
                "none".to_string()
            } else {
                nth(&d.obligations, usize::from(*duty)).id.clone()
            };
            kind(EventKind::Reviewed).duty(id)
        }
        Kind::Released => kind(EventKind::Released),
        Kind::AgencyArrived { agency } => {
            kind(EventKind::AgencyArrived).agency(nth(&n.agencies, usize::from(*agency)).clone())
        }
        Kind::EscalationResolved => kind(EventKind::EscalationResolved),
        Kind::Decided {
            decision,
            outcome: o,
        } => {
            let (name, outcomes) = nth(&n.decisions, usize::from(*decision));
            let o = if outcomes.is_empty() {
                "unknown".to_string()
            } else {
                nth(outcomes, usize::from(*o)).clone()
            };
            kind(EventKind::Decided).decided(name.clone(), o)
        }
        Kind::Declared {
            trigger,
            attributes,
        } => {
            let (name, attrs) = nth(&n.triggers, usize::from(*trigger));
            let mut ev = EventInput::declared(at, person.clone(), name.clone());
            for (a, v) in attributes.iter().take(4) {
                if attrs.is_empty() {
                    ev = ev.attribute("urgency", "urgent");
                    continue;
                }
                let (attr, values) = nth(attrs, usize::from(*a));
                let value = if values.is_empty() {
                    "none".to_string()
                } else {
                    nth(values, usize::from(*v)).clone()
                };
                ev = ev.attribute(attr.clone(), value);
            }
            ev
        }
    };
    if let Some(sel) = e.visit {
        if !matches!(e.kind, Kind::VisitPlanned { .. }) {
            ev = ev.visit(visit_name(n, p, sel, start));
        }
    }
    if let Some(r) = e.by {
        ev = ev.by(role(r));
    }
    if let Some(i) = e.id {
        ev = ev.id(format!("e{}", i % 16));
    }
    ev
}

/// What `next_change` promises about, as tests/common/mod.rs projects a decision: each
/// obligation's id, status, due and done times and role, each visit's state, and the notes
/// but the one counting events after `as_of` (which moves with `as_of`).
fn answer(d: &Decision) -> Vec<String> {
    let mut out: Vec<String> = d
        .obligations
        .iter()
        .map(|o| {
            // The open finding above: an upcoming duty's role is left out for now.
            let role = if UPCOMING_ROLE_MOVES_WITHOUT_NEXT_CHANGE && o.status == Status::Upcoming {
                "-"
            } else {
                &o.role
            };
            format!(
                "{} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, role
            )
        })
        .collect();
    out.extend(
        d.visits
            .iter()
            .map(|v| format!("visit {} {:?}", v.id, v.state)),
    );
    out.extend(
        d.notes
            .iter()
            .filter(|n| !n.contains("after as_of"))
            .cloned(),
    );
    out
}

fuzz_target!(|input: Input| {
    let all = vigil_fuzz::bundled();
    let b = nth(all, usize::from(input.ruleset));
    let start = input.start.instant();
    let mut header = TimelineInput::new();
    let from = input.from.map(|f| f.at(start));
    if let Some(from) = from {
        header = header.from(from);
    }
    for p in input.persons.iter().take(2) {
        header = header.person(nth(&b.names.persons, usize::from(*p)).clone());
    }
    let Ok(mut feed) = Feed::restore(b.rules.clone(), header) else {
        return;
    };
    let mut instants = Vec::new();
    for e in input.events.iter().take(40) {
        let event = build(b, &feed, e, start);
        let before = (feed.log().events().len(), feed.timeline().events.len());
        match feed.push(event) {
            Ok(_) => instants.push(e.at.at(start)),
            Err(refused) => {
                assert!(!refused.is_empty());
                assert_eq!(
                    before,
                    (feed.log().events().len(), feed.timeline().events.len()),
                    "a refused event changed the feed"
                );
            }
        }
    }
    // The log as a file: what `vigil eval --timeline log.json` reads.
    let log_text = match serde_json::to_string(feed.log()) {
        Ok(t) => t,
        Err(e) => panic!("the feed's log does not serialise: {e}"),
    };
    let from_file = match Timeline::load(&log_text, Format::Json, "log.json", &b.rules) {
        Ok(t) => t,
        Err(e) => panic!("the feed took a log that does not load as a file:\n{e}\n{log_text}"),
    };

    let mut as_of = input.as_of.at(start);
    let horizon = start + chrono::Duration::days(3);
    for _ in 0..2 {
        let d = feed.decision(as_of);
        // Equal decisions are equal JSON (`to_json` is a function of the value), so the
        // comparisons are of values, and the JSON is written once, to be read back.
        assert!(d == feed.decision(as_of), "not deterministic");
        let json = d.to_json();
        assert!(!json.starts_with("{\"error\""), "{json}");
        match serde_json::from_str::<Decision>(&json) {
            Ok(back) => assert!(
                back == d,
                "the decision does not read back as itself\n{json}"
            ),
            Err(e) => panic!("the decision does not read back: {e}\n{json}"),
        }
        assert!(
            d == b.rules.evaluate(&from_file, as_of),
            "the feed and its log loaded as a file decide differently\n{log_text}"
        );
        // `next_change` foresees no new event: compare only across spans with none. Nor,
        // for now, a record that starts after `as_of` (the open finding above).
        let quiet = |until: Instant| {
            !instants.iter().any(|t| *t > d.as_of && *t <= until)
                && !(NEXT_CHANGE_IGNORES_A_LATER_FROM && from.is_some_and(|f| f > d.as_of))
        };
        let here = answer(&d);
        let Some(next) = d.next_change else {
            let later = d.as_of + chrono::Duration::days(3);
            if quiet(later) && later <= horizon + chrono::Duration::days(2) {
                assert_eq!(
                    here,
                    answer(&feed.decision(later)),
                    "no next_change at {}, yet the decision changed by {later}\n{log_text}",
                    d.as_of
                );
            }
            break;
        };
        assert!(
            next > d.as_of,
            "next_change {next} is not after as_of {}",
            d.as_of
        );
        // A next_change far past the window (the end of the bank-holiday data, 1 January
        // 2028) would be evaluated over every protocol visit until then: thousands of
        // obligations, a quarter of a second each time. The window's own changes are enough.
        if next > horizon {
            break;
        }
        let just_before = next - chrono::Duration::seconds(1);
        if just_before > d.as_of && quiet(just_before) {
            assert_eq!(
                here,
                answer(&feed.decision(just_before)),
                "the decision changed before next_change {next} (as_of {})\n{log_text}",
                d.as_of
            );
        }
        if quiet(next) {
            assert_ne!(
                here,
                answer(&feed.decision(next)),
                "nothing changed at next_change {next} (as_of {})\n{log_text}",
                d.as_of
            );
        }
        as_of = next;
    }
});
