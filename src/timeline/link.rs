//! Phase two, continued: planned visits tied to the protocol visits they plan, and protocol
//! visits that events name without anyone planning them.
//!
//! A `visit_planned` event plans a protocol visit when its `slot` says so (`slot: morning`
//! is the occurrence on the planned local date) or, with no `slot`, when it is planned at
//! exactly the instant one of the person's protocol visits starts that day (and gives no
//! other criticality). Either way that occurrence is then watched as the planned visit,
//! never twice.
//!
//! A whole file is planned before any event names an occurrence, so the planning event
//! always comes first. A [`super::Feed`] takes events as they come, and an event may name
//! `morning@2027-12-31` before the visit that plans it arrives: that occurrence, only named,
//! is then taken over by the plan (see [`Superseded`]), so the feed watches one visit, as
//! its log loaded as a file does.

use crate::hash::Map;

use super::error::ErrorCode;
use super::input::TimelineInput;
use super::loader::Loader;
use super::slots;
use super::{Slot, Timeline, VisitRef, VisitSource};
use crate::rules::VisitDef;

/// A protocol-visit occurrence that events had only named (`visit` index `named`) and that a
/// planning event now plans (as visit `planned`): the planned visit must take its place, so
/// that the events already naming it name the planned visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Superseded {
    /// The occurrence visit events named, whose index they hold.
    pub named: usize,
    /// The visit the planning event added.
    pub planned: usize,
}

/// Tie each planning event (`planning`: event index, visit index) to its protocol visit:
/// first those that name one with `slot`, then those at a protocol visit's exact time; then
/// report the planned visits left with no criticality. Returns the occurrences, only named
/// so far, that a planning event now plans (never any when a whole file is planned, whose
/// planning comes before any naming).
pub(super) fn planned_slots(
    ld: &mut Loader<'_>,
    raw: &TimelineInput,
    tl: &mut Timeline,
    planning: &[(usize, usize)],
    slot_index: &mut Map<(usize, Slot), usize>,
) -> Vec<Superseded> {
    let mut superseded = Vec::new();
    let mut tie = |ld: &mut Loader<'_>,
                   tl: &mut Timeline,
                   slot_index: &mut Map<(usize, Slot), usize>,
                   at: (usize, usize),
                   key: (usize, Slot)| {
        if let Some(named) = slot_index.insert(key, at.1) {
            superseded.push(Superseded {
                named,
                planned: at.1,
            });
        }
        link(ld, raw, tl, at, key.1);
    };
    let civil = ld.rs.civil();
    for &(i, vi) in planning {
        let Some(text) = raw.events.get(i).and_then(|e| e.slot.as_deref()) else {
            continue;
        };
        let Some(v) = tl.visits.get(vi) else { continue };
        let person = v.person;
        let protocol = tl.persons.get(person).and_then(|p| p.protocol);
        let date = civil.local_date(v.planned);
        match slots::resolve(ld.rs, protocol, text, Some(date)) {
            // A slot holding a character that cannot be seen is refused by the event's shape,
            // not reported again as a visit the protocol does not have.
            Err(_) if !super::chars::is_plain_name(text) => {}
            Err(no) => ld.error(ErrorCode::UnknownSlot, Some(i), "slot", no.message, no.help),
            Ok(slot) => match planned_by(tl, slot_index, (person, slot)) {
                Some(first) => planned_twice(ld, raw, tl, i, first),
                None => tie(ld, tl, slot_index, (i, vi), (person, slot)),
            },
        }
    }
    for &(i, vi) in planning {
        let named = raw.events.get(i).is_some_and(|e| e.slot.is_some());
        if named {
            continue;
        }
        if let Some(slot) = same_time(ld, tl, vi, slot_index) {
            let person = tl.visits.get(vi).map_or(0, |v| v.person);
            tie(ld, tl, slot_index, (i, vi), (person, slot));
        }
    }
    for &(i, vi) in planning {
        // A `slot` that did not resolve was reported above; its criticality is not asked for.
        let given = raw
            .events
            .get(i)
            .is_some_and(|e| e.criticality.is_some() || e.slot.is_some());
        if !given && tl.visits.get(vi).is_some_and(|v| v.slot.is_none()) {
            ld.error(
                ErrorCode::MissingField,
                Some(i),
                "kind",
                "a `visit_planned` event needs `criticality`",
                Some(
                    "or a `slot` naming the protocol visit it plans, whose criticality it takes"
                        .into(),
                ),
            );
        }
    }
    superseded
}

/// The visit that plans occurrence `key` (person, slot), if a planning event plans it; an
/// occurrence events only named is not planned, and the first plan of it takes it over.
fn planned_by(
    tl: &Timeline,
    slot_index: &Map<(usize, Slot), usize>,
    key: (usize, Slot),
) -> Option<usize> {
    let &vi = slot_index.get(&key)?;
    let named_only = tl
        .visits
        .get(vi)
        .is_some_and(|v| v.source == VisitSource::Protocol);
    (!named_only).then_some(vi)
}

/// Report that event `i` plans a protocol visit the visit `first` already plans.
fn planned_twice(ld: &mut Loader<'_>, raw: &TimelineInput, tl: &Timeline, i: usize, first: usize) {
    let first_id = tl.visits.get(first).map_or("", |v| v.id.as_str());
    let slot = raw
        .events
        .get(i)
        .and_then(|e| e.slot.as_deref())
        .unwrap_or("");
    ld.error(
        ErrorCode::DuplicateId,
        Some(i),
        "slot",
        format!("protocol visit `{slot}` is planned twice"),
        Some(format!(
            "visit `{first_id}` plans it already; plan an extra visit without `slot`"
        )),
    );
}

/// The person's protocol visit (not yet planned) that starts at exactly the visit's planned
/// instant on its local date, with the same criticality if the event gives one.
fn same_time(
    ld: &Loader<'_>,
    tl: &Timeline,
    vi: usize,
    slot_index: &Map<(usize, Slot), usize>,
) -> Option<Slot> {
    let civil = ld.rs.civil();
    let v = tl.visits.get(vi)?;
    let rules = tl
        .persons
        .get(v.person)
        .and_then(|p| p.protocol)
        .and_then(|p| ld.rs.persons.get(p))?;
    let date = civil.local_date(v.planned);
    rules.visits.iter().enumerate().find_map(|(index, def)| {
        let slot = Slot { visit: index, date };
        let fits = def.runs_on(date)
            && def.on(&civil, date).0 == v.planned
            && v.criticality.is_none_or(|c| c == def.criticality)
            && planned_by(tl, slot_index, (v.person, slot)).is_none();
        fits.then_some(slot)
    })
}

/// Make visit `vi` (planned by event `i`) the occurrence `slot`: confirmed at its usual time or
/// moved, with the protocol's criticality, carers and (moved with it) planned end unless the
/// event gives an end. Lowering the criticality or the carers is refused.
fn link(
    ld: &mut Loader<'_>,
    raw: &TimelineInput,
    tl: &mut Timeline,
    at: (usize, usize),
    slot: Slot,
) {
    let (i, vi) = at;
    let civil = ld.rs.civil();
    let Some(v) = tl.visits.get(vi) else { return };
    let Some(def) = protocol_visit(ld, tl, v.person, slot) else {
        return;
    };
    let (start, end) = def.on(&civil, slot.date);
    let staff_given = raw.events.get(i).is_some_and(|e| e.staff.is_some());
    if v.criticality.is_some_and(|c| c != def.criticality) {
        let name = ld.rs.criticalities.get(def.criticality.index()).cloned();
        ld.error(
            ErrorCode::ConflictsWithProtocol,
            Some(i),
            "criticality",
            format!(
                "the protocol plans `{}` as `{}`",
                def.occurrence_id(slot.date),
                name.unwrap_or_default()
            ),
            Some("leave `criticality` out to take the protocol's".into()),
        );
    }
    if staff_given && v.staff < def.staff {
        ld.error(
            ErrorCode::ConflictsWithProtocol,
            Some(i),
            "staff",
            format!(
                "the protocol plans `{}` for {} carers",
                def.occurrence_id(slot.date),
                def.staff
            ),
            Some("a planned visit may add carers, never take them away".into()),
        );
    }
    // A move of more than a year was reported with the planning event's own instants.
    let moved = (v.planned - start).abs();
    if moved > chrono::Duration::hours(24) && moved.num_days() <= 366 {
        ld.error(
            ErrorCode::FarFromVisit,
            Some(i),
            "planned",
            format!(
                "this moves `{}` from {} to {}, more than a day",
                def.occurrence_id(slot.date),
                crate::time::utc(&start),
                crate::time::utc(&v.planned)
            ),
            Some("check the date; to replace it on another day, cancel it and plan a visit of its own".into()),
        );
    }
    let (criticality, staff) = (def.criticality, def.staff);
    let Some(v) = tl.visits.get_mut(vi) else {
        return;
    };
    v.source = if v.planned == start {
        VisitSource::Confirmed
    } else {
        VisitSource::Moved
    };
    if v.planned_end.is_none() {
        v.planned_end = end.map(|e| v.planned + (e - start));
    }
    v.criticality = Some(criticality);
    v.staff = if staff_given {
        v.staff.max(staff)
    } else {
        staff
    };
    v.slot = Some(slot);
}

/// The protocol visit of `slot` for `person`.
fn protocol_visit<'r>(
    ld: &Loader<'r>,
    tl: &Timeline,
    person: usize,
    slot: Slot,
) -> Option<&'r VisitDef> {
    let rs = ld.rs;
    tl.persons
        .get(person)
        .and_then(|p| p.protocol)
        .and_then(|p| rs.persons.get(p))
        .and_then(|r| r.visits.get(slot.visit))
}

/// Add, as visits of their own, the protocol-visit occurrences that `events` other than
/// planning ones name (`visit: morning@2026-11-24`) and no planning event plans. A name that
/// does not resolve is left for phase four, which reports it at its event.
pub(super) fn named_slots(
    ld: &mut Loader<'_>,
    raw: &TimelineInput,
    tl: &mut Timeline,
    events: std::ops::Range<usize>,
    (person_of_event, visit_index): (&[Option<usize>], &Map<String, usize>),
    slot_index: &mut Map<(usize, Slot), usize>,
) {
    for i in events {
        let Some(e) = raw.events.get(i) else { continue };
        let Some(text) = e.visit.as_deref() else {
            continue;
        };
        let Some(person) = person_of_event.get(i).copied().flatten() else {
            continue;
        };
        if e.kind.as_deref() == Some("visit_planned") || visit_index.contains_key(text) {
            continue;
        }
        let protocol = tl.persons.get(person).and_then(|p| p.protocol);
        let Ok(slot) = slots::resolve(ld.rs, protocol, text, None) else {
            continue;
        };
        if slot_index.contains_key(&(person, slot)) {
            continue;
        }
        if let Some(v) = occurrence(ld, tl, person, slot) {
            slot_index.insert((person, slot), tl.visits.len());
            tl.visits.push(v);
        }
    }
}

/// The visit a protocol's `slot` is for `person`, as its protocol plans it.
fn occurrence(ld: &Loader<'_>, tl: &Timeline, person: usize, slot: Slot) -> Option<VisitRef> {
    let def = protocol_visit(ld, tl, person, slot)?;
    Some(VisitRef::occurrence(&ld.rs.civil(), person, def, slot))
}
