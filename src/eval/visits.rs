//! Planned visits: late and missed at exact instants, and the missed-visit trigger.

use std::sync::Arc;

use super::decision::{VisitReport, VisitState};
use super::obligation::{InTime, Unjudged};
use super::{words, Eval, Trigger};
use crate::rules::deadline;
use crate::rules::{Anchor, DeadlineAtomDef, DeadlineDef};
use crate::rules::{PersonRules, ThresholdDef};
use crate::time::Instant;
use crate::timeline::EventData;
use crate::vocab::ThresholdAnchor;
use crate::vocab::TriggerKind;

/// Report every visit of `person` planned by `as_of`; return the missed-visit triggers.
pub(super) fn run(ev: &mut Eval<'_>, person: usize, rules: &PersonRules) -> Vec<Trigger> {
    let mine = ev.visits_by_person.get(person).cloned().unwrap_or_default();
    mine.into_iter()
        .filter_map(|vi| visit(ev, person, rules, vi))
        .collect()
}

/// One visit's report, and its missed-visit trigger if it was missed by `as_of`.
fn visit(ev: &mut Eval<'_>, person: usize, rules: &PersonRules, vi: usize) -> Option<Trigger> {
    let v = ev.tl.visits.get(vi)?;
    if v.planned_at > ev.as_of {
        return None;
    }
    let criticality = ev
        .rs
        .criticalities
        .get(v.criticality.map_or(usize::MAX, |c| c.index()))
        .cloned()
        .unwrap_or_default();
    // A worker who reports no answer at the door was there: the visit was attended.
    let arrived_at = ev
        .events_of(person)
        .find(|e| e.visit == Some(vi) && matches!(e.data, EventData::Arrived | EventData::NoAnswer))
        .map(|e| e.at);
    let suspended = rules
        .exceptions
        .iter()
        .any(|x| x.suspend_visits && x.covers(ev.civil, v.planned));
    let mut report = VisitReport {
        id: v.id.clone(),
        person: ev.person_id(person).to_string(),
        criticality: criticality.clone(),
        planned: v.planned,
        state: VisitState::Upcoming,
        late_at: None,
        missed_at: None,
        arrived_at,
    };
    if suspended {
        report.state = VisitState::Suspended;
        ev.visits.push(report);
        return None;
    }
    let (th, anchor) = match threshold_and_anchor(rules, v, &criticality) {
        Ok(found) => found,
        Err(reason) => {
            manual_review(ev, person, vi, reason, v.planned_at);
            ev.visits.push(report);
            return None;
        }
    };
    let (late, missed) = thresholds_at(ev, th, anchor);
    let (late_at, missed_at) = (within(ev, anchor, late), within(ev, anchor, missed));
    report.late_at = Some(late_at);
    report.missed_at = Some(missed_at);
    report.state = match arrived_at {
        Some(a) if a < late_at => VisitState::Arrived,
        Some(a) if a < missed_at => VisitState::ArrivedLate,
        Some(_) => VisitState::ArrivedAfterMissed,
        None if ev.as_of < late_at => VisitState::Upcoming,
        None if ev.as_of < missed_at => VisitState::Late,
        None => VisitState::Missed,
    };
    ev.visits.push(report);
    if arrived_at.is_none() {
        ev.change_at(Some(late_at));
        ev.change_at(Some(missed_at));
    }
    let missed_before_arrival = arrived_at.is_none_or(|a| a >= missed_at);
    if !missed_before_arrival || ev.as_of < missed_at {
        return None;
    }
    Some(Trigger {
        kind: TriggerKind::MissedVisit,
        at: missed_at,
        visit: Some(vi),
        key: format!("missed:{}", v.id),
        text: Arc::from(format!(
            "visit {} ({criticality}) missed at {}: no arrival {} after its {} at {}",
            v.id,
            words::clock(ev, missed_at),
            crate::wording::duration_words(missed),
            th.anchor.words(),
            words::clock(ev, anchor)
        )),
    })
}

/// The thresholds for a visit's criticality and the instant they count from, or why they
/// cannot be judged (which becomes a manual review).
fn threshold_and_anchor<'r>(
    rules: &'r PersonRules,
    v: &crate::timeline::VisitRef,
    criticality: &str,
) -> Result<(&'r ThresholdDef, Instant), String> {
    let Some(th) = rules
        .thresholds
        .iter()
        .find(|t| t.criticality == criticality)
    else {
        return Err(format!(
            "visit {} has criticality `{criticality}`, which has no late or missed threshold",
            v.id
        ));
    };
    let anchor = match th.anchor {
        ThresholdAnchor::PlannedStart => Some(v.planned),
        ThresholdAnchor::PlannedEnd => v.planned_end,
    };
    match anchor {
        Some(a) => Ok((th, a)),
        None => Err(format!(
            "visit {} has no planned end, but `{criticality}` thresholds count from the planned end",
            v.id
        )),
    }
}

/// Late and missed are deadlines for an arrival, counted from the anchor by the one deadline
/// rule.
fn within(ev: &Eval<'_>, anchor: Instant, secs: u64) -> Instant {
    let mut measure = InTime {
        civil: ev.civil,
        anchor: |_: Anchor, start| Some(start),
    };
    let d = DeadlineDef::Atom(DeadlineAtomDef::Within {
        secs,
        anchor: Anchor::Start,
    });
    deadline::due(&mut measure, d, anchor).unwrap_or(anchor)
}

/// The late and missed thresholds that apply to a visit: out-of-hours ones when its anchor
/// falls out of hours (they are never laxer; the checker sees to that).
fn thresholds_at(ev: &Eval<'_>, th: &ThresholdDef, anchor: crate::time::Instant) -> (u64, u64) {
    match th.out_of_hours {
        Some(ooh) if ev.out_of_hours(anchor) => ooh,
        _ => (th.late, th.missed),
    }
}

/// A visit whose thresholds cannot be judged becomes a duty for a person to judge it.
fn manual_review(
    ev: &mut Eval<'_>,
    person: usize,
    visit: usize,
    reason: String,
    at: crate::time::Instant,
) {
    let person_id = ev.person_arc(person);
    let visit_id = ev.visit_id(Some(visit));
    let unjudged = Unjudged {
        id: format!(
            "{person_id}/manual-review/{}",
            visit_id.as_deref().unwrap_or_default()
        ),
        person: person_id,
        visit: visit_id,
        reason,
        at,
        rule: ev.rs.threshold_provenance.clone(),
        cites: Arc::from(Vec::new()),
    };
    ev.manual_review(unjudged);
}
