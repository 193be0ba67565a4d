//! Phase two: the people a timeline mentions and the visits it plans. They are read before
//! any event is checked, because an event may name a visit planned anywhere in the file.

use crate::hash::Map;

use super::error::ErrorCode;
use super::input::{EventInput, TimelineInput};
use super::loader::Loader;
use super::{PersonRef, Slot, Timeline, VisitRef, VisitSource};
use crate::rules::CriticalityId;

/// What [`Plan::add_event`] changed that a refused event must take back, beyond what it
/// appended.
#[derive(Debug, Default)]
pub(super) struct Added {
    /// The people it made known who were not.
    pub flipped: Vec<usize>,
    /// The occurrence it replaced with the visit it plans, and where.
    pub replaced: Option<(usize, VisitRef)>,
}

/// What phase one learns, for the phases after it. A whole file is planned at once
/// ([`people_and_visits`]); a [`super::Feed`] keeps its plan and adds one event at a time
/// ([`Plan::add_event`]).
#[derive(Debug, Clone, Default)]
pub(super) struct Plan {
    /// Each event's person (an index into [`Timeline::persons`]), `None` when it names none.
    pub person_of_event: Vec<Option<usize>>,
    /// Visit ids, to indices into [`Timeline::visits`].
    pub visit_index: Map<String, usize>,
    /// Each person's protocol-visit occurrences the timeline plans or names, to the visit
    /// that stands for each.
    pub slot_index: Map<(usize, Slot), usize>,
    /// Whether each person is known: covered by a protocol, or with a visit planned.
    pub known: Vec<bool>,
    /// Person ids, to indices into [`Timeline::persons`].
    pub person_index: Map<String, usize>,
    /// Which event planned each visit, to point at the first when one is planned twice.
    pub visit_event: Map<String, usize>,
    /// The visits whose planning event gives no readable start (reported there): their
    /// attendance is not measured against a start no one wrote.
    pub start_unknown: crate::hash::Set<usize>,
}

impl Plan {
    /// True if person `p` has a protocol or a planned visit.
    pub fn is_known(&self, p: usize) -> bool {
        self.known.get(p).copied().unwrap_or(false)
    }

    /// Phase two for event `i` alone: its person, and the visit it plans, tied to its
    /// protocol visit; or the protocol visit it names. Only earlier events' visits are known,
    /// as they are to a host taking events as they happen, so a visit may be planned after
    /// events named its occurrence: it then takes that occurrence's place. Returns what a
    /// refused event must undo.
    pub fn add_event(
        &mut self,
        ld: &mut Loader<'_>,
        raw: &TimelineInput,
        tl: &mut Timeline,
        i: usize,
    ) -> Added {
        let visits_before = tl.visits.len();
        let mut introduced = Vec::new();
        let planning: Vec<(usize, usize)> = self
            .plan_event(ld, raw, tl, i, &mut introduced)
            .into_iter()
            .collect();
        let superseded = super::link::planned_slots(ld, raw, tl, &planning, &mut self.slot_index);
        let replaced = superseded
            .into_iter()
            .find_map(|s| self.supersede(tl, s, &mut introduced));
        if let Some((k, _)) = &replaced {
            attendance_stays_near(ld, tl, *k, i);
        }
        let known = (self.person_of_event.as_slice(), &self.visit_index);
        super::link::named_slots(ld, raw, tl, i..i + 1, known, &mut self.slot_index);
        Added {
            flipped: self.know(tl, visits_before, &introduced),
            replaced,
        }
    }

    /// Put the visit `s.planned` (the last added: one event plans at most one) in the place
    /// of the occurrence `s.named` it plans, which earlier events name by its index; the
    /// person is then `introduced`. Returns the occurrence it replaced, for an undo.
    fn supersede(
        &mut self,
        tl: &mut Timeline,
        s: super::link::Superseded,
        introduced: &mut Vec<usize>,
    ) -> Option<(usize, VisitRef)> {
        if s.planned + 1 != tl.visits.len() || s.named >= s.planned {
            return None;
        }
        let planned = tl.visits.pop()?;
        let (id, person, slot) = (planned.id.clone(), planned.person, planned.slot);
        let named = tl.visits.get_mut(s.named)?;
        let old = std::mem::replace(named, planned);
        self.visit_index.insert(id, s.named);
        if self.start_unknown.remove(&s.planned) {
            self.start_unknown.insert(s.named);
        }
        if let Some(slot) = slot {
            self.slot_index.insert((person, slot), s.named);
        }
        introduced.push(person);
        Some((s.named, old))
    }

    /// Mark as known the people added since, those with a visit planned from
    /// `visits_before` on, and those a declared trigger `introduced`; returns those already
    /// there who were not known before.
    pub fn know(
        &mut self,
        tl: &Timeline,
        visits_before: usize,
        introduced: &[usize],
    ) -> Vec<usize> {
        let before = self.known.len();
        let mut flipped = Vec::new();
        for r in tl.persons.iter().skip(self.known.len()) {
            self.known.push(r.protocol.is_some());
        }
        let planned = tl.visits.iter().skip(visits_before).map(|v| v.person);
        for p in planned.chain(introduced.iter().copied()) {
            if let Some(k) = self.known.get_mut(p) {
                if !*k && p < before {
                    flipped.push(p);
                }
                *k = true;
            }
        }
        flipped
    }

    /// Event `i`'s person, and the visit it plans (its index, with the event's), if it plans
    /// one; a declared trigger's person is put in `introduced`.
    fn plan_event(
        &mut self,
        ld: &mut Loader<'_>,
        raw: &TimelineInput,
        tl: &mut Timeline,
        i: usize,
        introduced: &mut Vec<usize>,
    ) -> Option<(usize, usize)> {
        let e = raw.events.get(i)?;
        let person = match &e.person {
            Some(p) => Some(person_ref(tl, &mut self.person_index, ld, p)),
            None => {
                ld.error(
                    ErrorCode::MissingField,
                    Some(i),
                    "person",
                    "every event names the `person` it is about",
                    Some("write the id of the person it is about, as their protocol gives it: `person: P-0001`".into()),
                );
                None
            }
        };
        self.person_of_event.push(person);
        // A trigger the framework declares (a referral) introduces its person, as a planned
        // visit does: it is how someone new to the service first appears.
        if let (Some(p), Some(kind)) = (person, e.kind.as_deref()) {
            if ld.rs.trigger_id(kind).is_some() {
                introduced.push(p);
            }
        }
        if e.kind.as_deref() != Some("visit_planned") {
            return None;
        }
        let (Some(person), Some(id)) = (person, &e.visit) else {
            return None;
        };
        if let Some(&first) = self.visit_event.get(&**id) {
            // The planning event still introduces its person: its one error is the id
            // planned twice, not also "unknown person" (found by a docs-only tester).
            introduced.push(person);
            let place = ld.event_place(first);
            ld.error(
                ErrorCode::DuplicateId,
                Some(i),
                "visit",
                format!("visit `{id}` is planned twice"),
                Some(format!(
                    "give each planned visit its own id (first planned at {place})"
                )),
            );
            return None;
        }
        let (visit, start_read) = planned_visit(ld, i, e, person, id);
        if !start_read {
            self.start_unknown.insert(tl.visits.len());
        }
        self.visit_event.insert(id.to_string(), i);
        self.visit_index.insert(id.to_string(), tl.visits.len());
        tl.visits.push(visit);
        Some((i, tl.visits.len() - 1))
    }
}

/// Report, at planning event `i`, attendance already recorded against the occurrence its plan
/// took over (visit `k`) that the plan's times put too far away to be at it: loaded as a
/// file, those events would be refused against the planned visit, so the plan is refused.
fn attendance_stays_near(ld: &mut Loader<'_>, tl: &Timeline, k: usize, i: usize) {
    let Some(v) = tl.visits.get(k) else { return };
    let attendance = tl.events.iter().filter(|e| e.visit == Some(k)).filter(|e| {
        matches!(
            e.data,
            super::EventData::Arrived | super::EventData::NoAnswer | super::EventData::Departed
        )
    });
    for e in attendance {
        if let Some(how) = v.far_from(e.at) {
            ld.error(
                ErrorCode::FarFromVisit,
                Some(i),
                "planned",
                format!(
                    "event `{}` at {}, already recorded against this visit, would be more than {} hours {} as this plan times it",
                    e.id,
                    crate::time::utc(&e.at),
                    super::slots::ATTENDANCE_SLACK_HOURS,
                    if how == "early" { "before its planned start" } else { "after its planned end" }
                ),
                Some("check the planned time; the events recorded against the protocol visit stay with it".into()),
            );
        }
    }
}

/// Record every person and planned visit in `tl`, reporting missing persons, visits planned
/// twice and the planning events' own errors; then tie planned visits to the protocol visits
/// they plan, and add the protocol visits other events name (`morning@2026-11-24`). Every
/// visit planned anywhere in the file is known to every event.
pub(super) fn people_and_visits(
    ld: &mut Loader<'_>,
    raw: &TimelineInput,
    tl: &mut Timeline,
) -> Plan {
    let mut plan = Plan::default();
    plan.covered_persons(ld, raw, tl);
    let mut planning: Vec<(usize, usize)> = Vec::new();
    let mut introduced: Vec<usize> = Vec::new();
    for i in 0..raw.events.len() {
        planning.extend(plan.plan_event(ld, raw, tl, i, &mut introduced));
    }
    // Every planning event comes before any naming here, so no plan supersedes a named
    // occurrence (that happens only to a feed).
    let superseded = super::link::planned_slots(ld, raw, tl, &planning, &mut plan.slot_index);
    debug_assert!(
        superseded.is_empty(),
        "a file's plan superseded {superseded:?}"
    );
    let known = (plan.person_of_event.as_slice(), &plan.visit_index);
    super::link::named_slots(
        ld,
        raw,
        tl,
        0..raw.events.len(),
        known,
        &mut plan.slot_index,
    );
    plan.know(tl, 0, &introduced);
    plan
}

impl Plan {
    /// The people the timeline's `persons` list covers, each of whom needs a protocol (whose
    /// visits are then watched).
    pub fn covered_persons(&mut self, ld: &mut Loader<'_>, raw: &TimelineInput, tl: &mut Timeline) {
        for id in &raw.persons {
            if let Some((what, help)) = super::chars::refused(id, false) {
                let message = format!("a person's id in `persons` {what}");
                ld.error(
                    ErrorCode::UnknownValue,
                    None,
                    "persons",
                    message,
                    Some(help.into()),
                );
                continue;
            }
            let p = person_ref(tl, &mut self.person_index, ld, id);
            if tl.persons.get(p).is_some_and(|r| r.protocol.is_none()) {
                // Never a guess from other people's ids: an error must not name someone else.
                let help = Some(
                    "`persons` lists people whose protocols plan visits to watch; check the id against the protocol's first line".into(),
                );
                ld.error(
                    ErrorCode::UnknownPerson,
                    None,
                    "persons",
                    format!("`{id}` has no protocol"),
                    help,
                );
            }
        }
    }
}

/// The person called `id`, added to the timeline at first mention.
fn person_ref(
    tl: &mut Timeline,
    index: &mut Map<String, usize>,
    ld: &Loader<'_>,
    id: &str,
) -> usize {
    if let Some(&i) = index.get(id) {
        return i;
    }
    tl.persons.push(PersonRef {
        id: id.to_string(),
        protocol: ld.rs.persons.iter().position(|p| p.id == id),
    });
    index.insert(id.to_string(), tl.persons.len() - 1);
    tl.persons.len() - 1
}

/// The visit a `visit_planned` event (number `i`) plans, reporting its bad instants and
/// criticality; and whether its start (`planned`) was read.
fn planned_visit(
    ld: &mut Loader<'_>,
    i: usize,
    e: &EventInput,
    person: usize,
    id: &str,
) -> (VisitRef, bool) {
    let planned = e
        .planned
        .as_deref()
        .and_then(|t| ld.instant(Some(i), "planned", t));
    let planned_end = e
        .planned_end
        .as_deref()
        .and_then(|t| ld.instant(Some(i), "planned_end", t));
    // Phase three reads this `at` again, so a bad one on a planning event is reported twice;
    // that is how it was before the phases were split, and is left for its own change.
    let at = e.at.as_deref().and_then(|t| ld.instant(Some(i), "at", t));
    // One holding a character that cannot be seen is refused by the event's shape, once.
    let criticality = e
        .criticality
        .as_deref()
        .filter(|c| super::chars::is_plain_name(c))
        .and_then(|c| criticality(ld, i, c));
    let staff = e.staff.as_ref().and_then(|n| staff(ld, i, n));
    if let (Some(planned), Some(at)) = (planned, at) {
        far_from_planning(ld, i, planned, at);
    }
    if let (Some(planned), Some(end)) = (planned, planned_end) {
        if end <= planned {
            ld.error(
                ErrorCode::VisitEndsBeforeStart,
                Some(i),
                "planned_end",
                format!(
                    "the visit ends at {}, {} it starts at {}",
                    crate::time::utc(&end),
                    if end == planned { "when" } else { "before" },
                    crate::time::utc(&planned)
                ),
                Some("write a `planned_end` after `planned` and check the offset of each, `+01:00` in summer time and `Z` for UTC; or leave `planned_end` out".into()),
            );
        }
    }
    // Kept even when the planning event has its own errors (reported above), so that its
    // person and visit are known and later events are judged on their own.
    let fallback = planned.or(at).unwrap_or_default();
    let visit = VisitRef {
        id: id.to_string(),
        person,
        planned: planned.unwrap_or(fallback),
        planned_end,
        criticality,
        route: e.route.as_deref().map(str::to_string),
        location: e.location.as_deref().map(str::to_string),
        planned_at: at.unwrap_or(fallback),
        source: VisitSource::Timeline,
        slot: None,
        staff: staff.unwrap_or(1),
    };
    (visit, planned.is_some())
}

/// A visit planned implausibly far from when it was planned, reported (T019).
fn far_from_planning(
    ld: &mut Loader<'_>,
    i: usize,
    planned: crate::time::Instant,
    at: crate::time::Instant,
) {
    // A rota plans weeks ahead, and a visit recorded late is recorded within days: a year
    // ahead, or a month behind, is a date or a year typed wrong (last year's rota copied).
    let days = (planned - at).num_days();
    let far = if days > MAX_DAYS_AHEAD {
        Some("more than a year after")
    } else if days < -MAX_DAYS_BEHIND {
        Some("more than a month before")
    } else {
        None
    };
    if let Some(far) = far {
        ld.error(
            ErrorCode::FarFromVisit,
            Some(i),
            "planned",
            format!(
                "the visit is planned for {}, {far} it was planned ({})",
                crate::time::utc(&planned),
                crate::time::utc(&at)
            ),
            Some("check the date and the year".into()),
        );
    }
}

/// How far ahead of its planning a visit may be planned, in days.
const MAX_DAYS_AHEAD: i64 = 366;
/// How far behind its planning a visit may be planned (a visit recorded late), in days.
const MAX_DAYS_BEHIND: i64 = 31;

/// The most carers a visit may need.
pub(super) const MAX_STAFF: u64 = crate::vocab::MAX_STAFF as u64;

/// The number of carers `value` gives (on event `i`), or `None` after reporting it.
fn staff(ld: &mut Loader<'_>, i: usize, value: &serde_json::Value) -> Option<u32> {
    let n = match value {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if (1..=MAX_STAFF).contains(&n) => u32::try_from(n).ok(),
        _ => {
            ld.error(
                ErrorCode::UnknownValue,
                Some(i),
                "staff",
                format!("`staff` is {value}, not a number of carers"),
                Some(format!("write a whole number from 1 to {MAX_STAFF}")),
            );
            None
        }
    }
}

/// The criticality called `name` (on event `i`), or `None` after reporting it.
pub(super) fn criticality(ld: &mut Loader<'_>, i: usize, name: &str) -> Option<CriticalityId> {
    let rs = ld.rs;
    match rs.criticality_id(name) {
        Some(k) => Some(k),
        None => {
            // A framework with no thresholds declares no criticality at all: say so, rather
            // than leave the error without help.
            let help = Loader::suggest(name, rs.criticalities.iter().map(|s| s.as_str()))
                .or_else(|| {
                    Some(
                        "the framework declares no visit thresholds, so no criticality: add a `threshold` line to the framework for each criticality its visits have (`threshold standard late 15m missed 30m after planned start`)".into(),
                    )
                });
            ld.error(
                ErrorCode::UnknownValue,
                Some(i),
                "criticality",
                format!("unknown visit criticality `{name}`"),
                help,
            );
            None
        }
    }
}
