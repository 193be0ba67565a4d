//! Protocol visits named in a timeline: `slot: morning` on a planning event (the occurrence
//! on the planned local date) and `morning@2026-11-24` wherever a visit id goes.

use chrono::NaiveDate;

use super::{Slot, VisitRef, VisitSource};
use crate::rules::{PersonRules, RuleSet, VisitDef};
use crate::time::Civil;

/// How long before a visit's planned start, or after its planned end (its start, with none), an
/// arrival, no-answer or departure may be recorded against it: further is the wrong visit or
/// the wrong day (or year), not an early or a late carer.
pub(crate) const ATTENDANCE_SLACK_HOURS: i64 = 6;

impl VisitRef {
    /// `early` or `late` if attendance at `at` is too far from this visit to be at it: more
    /// than [`ATTENDANCE_SLACK_HOURS`] before its planned start or after its planned end (its
    /// start, with none).
    pub(super) fn far_from(&self, at: crate::time::Instant) -> Option<&'static str> {
        let slack = chrono::Duration::hours(ATTENDANCE_SLACK_HOURS);
        let end = self.planned_end.unwrap_or(self.planned);
        if self.planned - at > slack {
            Some("early")
        } else if at - end > slack {
            Some("late")
        } else {
            None
        }
    }

    /// The occurrence of protocol visit `def` on `slot.date`, for the timeline's person
    /// number `person`, as the protocol plans it: watched although no event planned it.
    pub fn occurrence(civil: &Civil<'_>, person: usize, def: &VisitDef, slot: Slot) -> VisitRef {
        let (planned, planned_end) = def.on(civil, slot.date);
        VisitRef {
            id: def.occurrence_id(slot.date),
            person,
            planned,
            planned_end,
            criticality: Some(def.criticality),
            route: None,
            location: None,
            planned_at: planned,
            source: VisitSource::Protocol,
            slot: Some(slot),
            staff: def.staff,
        }
    }
}

/// Why a slot does not resolve, and what to write instead.
pub(super) struct NoSlot {
    pub message: String,
    pub help: Option<String>,
}

/// The occurrence `text` names (`NAME@YYYY-MM-DD`, or `NAME` on `default_date` when one is
/// given) among the protocol visits of `protocol`.
pub(super) fn resolve(
    rs: &RuleSet,
    protocol: Option<usize>,
    text: &str,
    default_date: Option<NaiveDate>,
) -> Result<Slot, NoSlot> {
    let (name, date_text) = match text.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (text, None),
    };
    let Some(rules) = protocol.and_then(|p| rs.persons.get(p)) else {
        return Err(NoSlot {
            message: format!("no protocol visit `{name}`: this person has no protocol"),
            help: Some("protocol visits are the `visit` lines of the person's protocol".into()),
        });
    };
    let Some(index) = rules.visits.iter().position(|v| v.name == name) else {
        return Err(unknown_name(rules, name));
    };
    let date = match date_text {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| NoSlot {
            message: format!("`{d}` is not a date"),
            help: Some(format!(
                "write the local date the visit is for: `{name}@2026-11-24`"
            )),
        })?,
        None => default_date.ok_or_else(|| NoSlot {
            message: format!("`{name}` names a protocol visit but not the day"),
            help: Some(format!(
                "write the local date it is for: `{name}@2026-11-24`"
            )),
        })?,
    };
    let def = rules
        .visits
        .get(index)
        .ok_or_else(|| unknown_name(rules, name))?;
    if !def.runs_on(date) {
        return Err(NoSlot {
            message: format!(
                "the protocol plans `{name}` {}; {} is a {}",
                def.days_words(),
                date,
                date.format("%A")
            ),
            help: Some("check the date, or plan an extra visit with its own id".into()),
        });
    }
    Ok(Slot { visit: index, date })
}

fn unknown_name(rules: &PersonRules, name: &str) -> NoSlot {
    let names: Vec<&str> = rules.visits.iter().map(|v| v.name.as_str()).collect();
    let help = match crate::wording::did_you_mean(name, names.iter().copied()) {
        Some(s) => Some(format!("did you mean `{s}`?")),
        None if names.is_empty() => Some("the person's protocol plans no visits".into()),
        None => Some(format!(
            "the protocol's visits: {}",
            crate::wording::listed(names, crate::wording::MOST_LISTED)
        )),
    };
    NoSlot {
        message: format!("the person's protocol has no visit `{name}`"),
        help,
    }
}
