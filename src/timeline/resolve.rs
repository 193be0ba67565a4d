//! Phase four: the names in a well-shaped event, resolved against the rule set and the
//! visits planned in phase two (person, visit, role, contact, agency, log, method, outcome),
//! and its id checked for uniqueness.

use crate::hash::Map;

use super::error::ErrorCode;
use super::input::EventInput;
use super::loader::Loader;
use super::plan::Plan;
use super::shape::Shaped;
use super::slots;
use super::{Event, EventData, Outcome, Timeline};
use crate::rules::{AgencyId, ContactId, Id, LogId, Sym};
use crate::vocab::{EventKind, Method};

/// An event that passed phase three, with its person.
pub(super) struct Checked<'e> {
    /// Its place in the file's `events` list.
    pub index: usize,
    /// As written.
    pub input: &'e EventInput,
    /// Its kind and instant.
    pub shaped: Shaped,
    /// Index into [`Timeline::persons`].
    pub person: usize,
}

/// False after reporting that event `i` is about person `p`, whom no rule covers.
pub(super) fn known_person(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    plan: &Plan,
    i: usize,
    p: usize,
) -> bool {
    if plan.is_known(p) {
        return true;
    }
    let id = tl.persons.get(p).map_or("", |r| r.id.as_str());
    // Never a guess from other people's ids: an error must not name someone else.
    let help = Some(
        "a person needs a protocol, a `visit_planned` event or a declared trigger (such as a referral) in the timeline; check the id against the person's protocol".into(),
    );
    ld.error(
        ErrorCode::UnknownPerson,
        Some(i),
        "person",
        format!("unknown person `{id}`"),
        help,
    );
    false
}

/// The event, with every name resolved, or `None` after reporting the first name that does
/// not resolve. `ids` holds the ids taken so far, with the events that took them.
pub(super) fn event(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    plan: &Plan,
    ids: &mut Ids,
    ev: Checked<'_>,
) -> Option<Event> {
    let i = ev.index;
    // Every part is resolved before any is given up on, so that one event's mistakes are
    // all reported in the same run.
    let visit = visit(ld, tl, plan, &ev);
    let by = match &ev.input.by {
        // Another version's role, on an event of its time: none of this version's.
        Some(b) if ld.foreign.contains(&i) && ld.rs.role_id(b).is_none() => Some(None),
        Some(b) => ld.role(i, "by", b).map(Some),
        None => Some(None),
    };
    let id = unique_id(ld, ids, &ev);
    let protocol = tl.persons.get(ev.person).and_then(|p| p.protocol);
    let data = event_data(ld, i, ev.shaped.kind, ev.input, protocol);
    let (visit, by, id, data) = (visit?, by?, id?, data?);
    Some(Event {
        id,
        at: ev.shaped.at,
        person: ev.person,
        visit,
        by,
        data,
        line: ld.locator.event_line(i),
    })
}

/// The event's visit: `Some(None)` when it names none, `None` after reporting one that is
/// unknown or planned for someone else.
fn visit(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    plan: &Plan,
    ev: &Checked<'_>,
) -> Option<Option<usize>> {
    let Some(v) = &ev.input.visit else {
        return Some(None);
    };
    // A planning event whose visit id another event planned first was refused for that
    // (T012), once: not again as naming someone else's visit.
    if ev.shaped.kind == "visit_planned"
        && plan
            .visit_event
            .get(&**v)
            .is_some_and(|first| *first != ev.index)
    {
        return None;
    }
    let vi = visit_index(ld, tl, plan, ev, v)?;
    // Another person's visit is said to be so before anything about its times, which are
    // theirs (found by a docs-only tester: T019 quoted the other person's planned start).
    if tl.visits.get(vi).is_some_and(|x| x.person != ev.person) {
        ld.error(
            ErrorCode::OtherPersonsVisit,
            Some(ev.index),
            "visit",
            format!("visit `{v}` is planned for another person"),
            Some("check the event's `person`, or name one of this person's own visits (the id of their `visit_planned` event)".into()),
        );
        return None;
    }
    // A visit planned with no readable start has that error already, at its planning.
    if !plan.start_unknown.contains(&vi) {
        attendance_near_visit(ld, tl, ev, vi)?;
    }
    Some(Some(vi))
}

/// `None` after reporting that an arrival, no-answer or departure is recorded implausibly
/// long before the visit it names is planned to start, or after it is planned to end.
fn attendance_near_visit(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    ev: &Checked<'_>,
    vi: usize,
) -> Option<()> {
    if !matches!(ev.shaped.kind, "arrived" | "no_answer" | "departed") {
        return Some(());
    }
    let v = tl.visits.get(vi)?;
    let Some(how) = v.far_from(ev.shaped.at) else {
        return Some(());
    };
    let help = if how == "early" {
        "the wrong visit or the wrong day"
    } else {
        "the wrong visit, or a slip of the date or the year"
    };
    let from = if how == "late" && v.planned_end.is_some() {
        "its planned end"
    } else {
        "its planned start"
    };
    ld.error(
        ErrorCode::FarFromVisit,
        Some(ev.index),
        "at",
        format!(
            "`{}` at {} is recorded against visit `{}`, planned for {}",
            ev.shaped.kind,
            crate::time::utc(&ev.shaped.at),
            v.id,
            crate::time::utc(&v.planned)
        ),
        Some(format!(
            "more than {} hours {} {from} is usually {help}; check the `visit` and the date",
            super::slots::ATTENDANCE_SLACK_HOURS,
            if how == "early" { "before" } else { "after" }
        )),
    );
    None
}

/// The index of the visit called `v`: planned in the timeline, or a protocol visit's
/// occurrence (`morning@2026-11-24`); `None` after reporting that it is neither.
fn visit_index(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    plan: &Plan,
    ev: &Checked<'_>,
    v: &str,
) -> Option<usize> {
    if let Some(&vi) = plan.visit_index.get(v) {
        return Some(vi);
    }
    // Phase two indexed the visit of every planning event with a person; this keeps a
    // planning event from ever being told that its own visit is unknown.
    if ev.shaped.kind == "visit_planned" {
        return None;
    }
    if v.contains('@') {
        let protocol = tl.persons.get(ev.person).and_then(|p| p.protocol);
        match slots::resolve(ld.rs, protocol, v, None) {
            Ok(slot) => return plan.slot_index.get(&(ev.person, slot)).copied(),
            Err(no) => {
                ld.error(
                    ErrorCode::UnknownSlot,
                    Some(ev.index),
                    "visit",
                    no.message,
                    no.help,
                );
                return None;
            }
        }
    }
    // Only the person's own visits are suggested: an error about one person never names
    // another's (docs/privacy.md), and a visit id may carry its person's (found by a
    // docs-only tester: `S0003D009V1` offered for S-0002's event).
    let own = plan
        .visit_index
        .iter()
        .filter(|(_, vi)| tl.visits.get(**vi).is_some_and(|x| x.person == ev.person))
        .map(|(id, _)| id.as_str());
    let help = Loader::suggest(v, own).or(Some(
        "plan it with a `visit_planned` event, or name a protocol visit as `morning@2026-11-24`"
            .into(),
    ));
    ld.error(
        ErrorCode::UnknownVisit,
        Some(ev.index),
        "visit",
        format!("unknown visit `{v}`"),
        help,
    );
    None
}

/// The ids taken so far: for each, the event that took it, and whether its id was given
/// (rather than made, `kind@instant`).
pub(super) type Ids = Map<String, (usize, bool)>;

/// The event's id (as given, or `kind@instant`), taken in `ids`, or `None` after reporting
/// that it is taken already.
fn unique_id(ld: &mut Loader<'_>, ids: &mut Ids, ev: &Checked<'_>) -> Option<String> {
    // As written: a declared trigger's id is `referral@...`, not the table's word for it.
    let kind = ev.input.kind.as_deref().unwrap_or(ev.shaped.kind);
    let id = match &ev.input.id {
        // `String::from`, not `to_string`: a boxed text goes through `Display` (a year's
        // audit spent a percent on it).
        Some(id) => String::from(&**id),
        None => format!("{kind}@{}", crate::time::utc(&ev.shaped.at)),
    };
    if let Some(&(first, first_given)) = ids.get(&id) {
        let place = ld.event_place(first);
        let given = ev.input.id.is_some();
        let help = match (given, first_given) {
            (true, _) => format!("event ids must be unique; the first `{id}` is at {place}"),
            // The id written at the first is the one this event is given by default: they
            // need not be at the same instant (found by a docs-only tester).
            (false, true) => format!("the id written at {place} is the one this `{kind}` event takes when it has none; give this event an id of its own"),
            (false, false) => format!("two `{kind}` events at the same instant for one timeline; give them ids (the first is at {place})"),
        };
        ld.error(
            ErrorCode::DuplicateId,
            Some(ev.index),
            if given { "id" } else { "at" },
            format!("duplicate event id `{id}`"),
            Some(help),
        );
        return None;
    }
    ids.insert(id.clone(), (ev.index, ev.input.id.is_some()));
    Some(id)
}

/// What event `i` of `kind` says happened, with its names resolved, or `None` after
/// reporting one that does not resolve. `protocol` is the person's, for their contacts.
fn event_data(
    ld: &mut Loader<'_>,
    i: usize,
    kind: &str,
    e: &EventInput,
    protocol: Option<usize>,
) -> Option<EventData> {
    // Phase three made sure each kind's required attributes are given.
    let field = |v: &Option<Box<str>>| String::from(v.as_deref().unwrap_or_default());
    Some(match kind {
        "visit_planned" => EventData::VisitPlanned,
        "visit_cancelled" => EventData::VisitCancelled {
            reason: field(&e.reason),
        },
        "arrived" => EventData::Arrived,
        "departed" => EventData::Departed,
        "no_answer" => EventData::NoAnswer,
        "contact_attempt" => EventData::ContactAttempt {
            method: method(ld, i, &field(&e.method))?,
            outcome: outcome(ld, i, e, EventKind::ContactAttempt, Outcome::NoAnswer)?,
        },
        "observation" => {
            let what = field(&e.what);
            let sym = observation(ld, i, &what)?;
            EventData::Observation { what, sym }
        }
        // Each field is looked up before either is given up on, so that both of two unknown
        // names are reported in one run (found by a docs-only tester: an unknown `result`
        // was reported only once the unknown `log` beside it was put right).
        "notified" => {
            let role = ld.role(i, "role", &field(&e.role));
            let outcome = outcome(ld, i, e, EventKind::Notified, Outcome::Reached);
            EventData::Notified {
                role: role?,
                outcome: outcome?,
            }
        }
        "contact_made" => {
            let contact = contact(ld, i, &field(&e.contact), protocol);
            let outcome = outcome(ld, i, e, EventKind::ContactMade, Outcome::Reached);
            EventData::ContactMade {
                contact: contact?,
                outcome: outcome?,
            }
        }
        "agency_contacted" => {
            let agency = agency(ld, i, &field(&e.agency));
            let outcome = outcome(ld, i, e, EventKind::AgencyContacted, Outcome::Reached);
            EventData::AgencyContacted {
                agency: agency?,
                outcome: outcome?,
            }
        }
        "contact_established" => EventData::ContactEstablished,
        "whereabouts_confirmed" => EventData::WhereaboutsConfirmed {
            place: e.place.as_deref().map(str::to_string),
        },
        "refusal" => EventData::Refusal {
            task: e.task.as_deref().map(str::to_string),
            reason: e.reason.as_deref().map(str::to_string),
        },
        "safeguarding_referral" => EventData::SafeguardingReferral,
        "record_made" => {
            let log = log(ld, i, &field(&e.log));
            let result = match e.result.as_deref() {
                Some(r) if ld.foreign.contains(&i) && ld.rs.result(r).is_none() => Some(None),
                Some(r) => result(ld, i, r).map(Some),
                None => Some(None),
            };
            EventData::RecordMade {
                log: log?,
                result: result?,
                route: e.route.as_deref().map(str::to_string),
                location: e.location.as_deref().map(str::to_string),
            }
        }
        "at_alert" => EventData::AtAlert {
            alert: e.alert.as_deref().map(str::to_string),
        },
        "released" => EventData::Released,
        "agency_arrived" => EventData::AgencyArrived {
            agency: agency(ld, i, &field(&e.agency))?,
        },
        "reviewed" => EventData::Reviewed {
            duty: field(&e.duty),
        },
        "escalation_resolved" => EventData::EscalationResolved,
        "decided" => decided(ld, i, e)?,
        super::input::DECLARED => declared(ld, i, e)?,
        _ => return None,
    })
}

/// A trigger the framework declares, with a known value for each of its attributes (every
/// one reported that is missing, unknown or not one of its values), or `None` after reporting.
fn declared(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> Option<EventData> {
    let rs = ld.rs;
    let id = rs.trigger_id(e.kind.as_deref()?)?;
    let def = rs.trigger(id)?;
    let given = e.attributes.clone().unwrap_or_default();
    let mut ok = true;
    for name in given.keys() {
        if def.attribute(name).is_none() {
            let names = def.attributes.iter().map(|a| a.name.as_str());
            ld.error(
                ErrorCode::UnknownAttribute,
                Some(i),
                &format!("attributes.{name}"),
                format!("`{}` has no attribute `{name}`", def.name),
                Loader::suggest(name, names),
            );
            ok = false;
        }
    }
    let mut values = Vec::with_capacity(def.attributes.len());
    for a in &def.attributes {
        let field = format!("attributes.{}", a.name);
        // A value written `null` (or nothing, in YAML) is the attribute not given, said at its
        // own key (found by a docs-only tester: it was "`null` is not a value").
        let blank = given.get(&a.name).is_some_and(serde_json::Value::is_null);
        let v = given.get(&a.name).filter(|_| !blank);
        let Some(v) = v else {
            let (at, message) = if blank {
                (
                    field.as_str(),
                    format!(
                        "the attribute `{}` is blank, and {} `{}` event needs it",
                        a.name,
                        crate::wording::a_or_an(&def.name),
                        def.name
                    ),
                )
            } else {
                (
                    "attributes",
                    format!(
                        "{} `{}` event needs the attribute `{}`",
                        crate::wording::a_or_an(&def.name),
                        def.name,
                        a.name
                    ),
                )
            };
            ld.error(
                ErrorCode::MissingField,
                Some(i),
                at,
                message,
                Some(format!(
                    "its values: {}",
                    crate::wording::listed(
                        a.values.iter().map(String::as_str),
                        crate::wording::MOST_LISTED
                    )
                )),
            );
            ok = false;
            continue;
        };
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
        match a.values.iter().position(|x| *x == text) {
            Some(n) => values.push(u16::try_from(n).ok()?),
            None => {
                ld.error(
                    ErrorCode::UnknownValue,
                    Some(i),
                    &field,
                    format!("`{text}` is not a value of `{}`", a.name),
                    Loader::suggest(&text, a.values.iter().map(String::as_str)),
                );
                ok = false;
            }
        }
    }
    ok.then_some(EventData::Declared {
        trigger: id,
        attributes: values,
    })
}

/// The contact method called `name`, or `None` after reporting it.
fn method(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<Method> {
    let found = Method::from_name(name);
    if found.is_none() {
        let help = Loader::suggest(name, Method::names());
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "method",
            format!("unknown contact method `{name}`"),
            help,
        );
    }
    found
}

/// The declared observation called `name`, or `None` after reporting it. A group of
/// observations is not something seen: the timeline records which of its members was.
fn observation(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<Sym> {
    let rs = ld.rs;
    let found = rs.observation(name);
    if found.is_none() {
        let names: Vec<&str> = rs
            .observations
            .iter()
            .map(|s| rs.symbols.name(*s))
            .collect();
        let group = rs
            .observation_groups
            .iter()
            .find(|(g, _)| rs.symbols.name(*g) == name);
        let (message, help) = match group {
            Some((_, members)) => {
                let m: Vec<String> = members
                    .iter()
                    .map(|s| format!("`{}`", rs.symbols.name(*s)))
                    .collect();
                (
                    format!("`{name}` is a group of observations, not something seen"),
                    Some(format!(
                        "record which was seen: {}",
                        crate::wording::either(&m)
                    )),
                )
            }
            None => (
                format!("unknown observation `{name}`"),
                Loader::suggest(name, names.iter().copied()).or(Some(
                    "the framework declares no observations; declare them with `observations ...`"
                        .into(),
                )),
            ),
        };
        ld.error(ErrorCode::UnknownValue, Some(i), "what", message, help);
    }
    found
}

/// The declared result called `name`, or `None` after reporting it: a misspelt result would
/// silently break a run of `consecutive` results.
fn result(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<Sym> {
    let rs = ld.rs;
    let found = rs.result(name);
    if found.is_none() {
        let names: Vec<&str> = rs.results.iter().map(|s| rs.symbols.name(*s)).collect();
        let help = Loader::suggest(name, names.iter().copied()).or(Some(
            "the framework declares no results; declare them with `results ...`".into(),
        ));
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "result",
            format!("unknown result `{name}`"),
            help,
        );
    }
    found
}

/// The outcome written on an event of `kind`, `default` when none is, or `None` after
/// reporting one the kind cannot carry (the table in [`crate::rules::ActionDef::recordable_outcomes`]).
fn outcome(
    ld: &mut Loader<'_>,
    i: usize,
    e: &EventInput,
    kind: EventKind,
    default: Outcome,
) -> Option<Outcome> {
    let Some(text) = e.outcome.as_deref() else {
        return Some(default);
    };
    let allowed = crate::rules::ActionDef::recordable_outcomes(kind);
    match Outcome::from_name(text).filter(|o| allowed.contains(o)) {
        Some(o) => Some(o),
        None => {
            let help = Loader::suggest(text, allowed.iter().map(|o| o.name()));
            ld.error(
                ErrorCode::UnknownValue,
                Some(i),
                "outcome",
                format!(
                    "`{text}` is not an outcome a `{}` event records",
                    kind.name()
                ),
                help,
            );
            None
        }
    }
}

/// A `decided` event: a decision the framework declares, with one of its outcomes.
fn decided(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> Option<EventData> {
    let name = e.decision.as_deref().unwrap_or_default();
    let rs = ld.rs;
    let Some(id) = rs.decision_id(name) else {
        let help = Loader::suggest(name, rs.decisions().iter().map(|d| d.name.as_str()));
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "decision",
            format!("unknown decision `{name}`"),
            help,
        );
        return None;
    };
    let def = rs.decision(id)?;
    let text = e.outcome.as_deref().unwrap_or_default();
    let Some(outcome) = def.outcome(text) else {
        let help = Loader::suggest(text, def.outcomes.iter().map(|o| o.as_str()));
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "outcome",
            format!("`{text}` is not an outcome of the decision `{name}`"),
            help,
        );
        return None;
    };
    Some(EventData::Decided {
        decision: id,
        outcome,
    })
}

/// The index of the contact called `name` among the person's (in `protocol`), or `None`
/// after reporting it.
fn contact(
    ld: &mut Loader<'_>,
    i: usize,
    name: &str,
    protocol: Option<usize>,
) -> Option<ContactId> {
    let contacts = protocol
        .and_then(|p| ld.rs.persons.get(p))
        .map(|p| &p.contacts);
    let index = contacts.and_then(|cs| cs.iter().position(|x| x.name == name));
    if let Some(index) = index.and_then(ContactId::from_index) {
        return Some(index);
    }
    let names: Vec<&str> = contacts
        .map(|cs| cs.iter().map(|x| x.name.as_str()).collect())
        .unwrap_or_default();
    let help = Loader::suggest(name, names.iter().copied()).or(Some(
        "contacts are declared in the person's protocol".into(),
    ));
    ld.error(
        ErrorCode::UnknownContact,
        Some(i),
        "contact",
        format!("unknown contact `{name}` for this person"),
        help,
    );
    None
}

/// The agency called `name`, or `None` after reporting it.
fn agency(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<AgencyId> {
    let rs = ld.rs;
    let found = rs.agency_id(name);
    if found.is_none() {
        let help = Loader::suggest(name, rs.agencies.iter().map(|x| x.name.as_str()));
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "agency",
            format!("unknown agency `{name}`"),
            help,
        );
    }
    found
}

/// The log called `name`, or `None` after reporting it.
fn log(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<LogId> {
    let rs = ld.rs;
    let found = rs.log_id(name);
    if found.is_none() {
        let help = Loader::suggest(name, rs.logs.iter().map(|x| x.name.as_str()));
        ld.error(
            ErrorCode::UnknownValue,
            Some(i),
            "log",
            format!("unknown log `{name}`"),
            help,
        );
    }
    found
}
