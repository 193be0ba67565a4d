//! Planned visits: late and missed at exact instants, and the missed-visit trigger.

use std::sync::Arc;

use super::decision::{Status, VisitReport, VisitState};
use super::obligation::{Draft, InTime};
use super::{words, Eval, Trigger};
use crate::rules::deadline;
use crate::rules::{Anchor, DeadlineAtomDef, DeadlineDef};
use crate::rules::{PersonRules, ThresholdDef};
use crate::timeline::EventData;
use crate::vocab::ThresholdAnchor;
use crate::vocab::TriggerKind;

/// Report every visit of `person` planned by `as_of`; return the missed-visit triggers.
pub(super) fn run(ev: &mut Eval<'_>, person: usize, rules: &PersonRules) -> Vec<Trigger> {
    let mut triggers = Vec::new();
    let mine = ev.visits_by_person.get(person).cloned().unwrap_or_default();
    for vi in mine {
        let Some(v) = ev.tl.visits.get(vi) else {
            continue;
        };
        if v.planned_at > ev.as_of {
            continue;
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
            .find(|e| {
                e.visit == Some(vi) && matches!(e.data, EventData::Arrived | EventData::NoAnswer)
            })
            .map(|e| e.at);
        let local_date = ev.civil.local_date(v.planned);
        let suspended = rules
            .exceptions
            .iter()
            .find(|x| x.suspend_visits && x.from <= local_date && local_date <= x.to);
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
        if suspended.is_some() {
            report.state = VisitState::Suspended;
            ev.visits.push(report);
            continue;
        }
        let Some(th) = rules
            .thresholds
            .iter()
            .find(|t| t.criticality == criticality)
        else {
            manual_review(
                ev,
                person,
                vi,
                format!("visit {} has criticality `{criticality}`, which has no late or missed threshold", v.id),
                v.planned_at,
            );
            ev.visits.push(report);
            continue;
        };
        let anchor = match th.anchor {
            ThresholdAnchor::PlannedStart => Some(v.planned),
            ThresholdAnchor::PlannedEnd => v.planned_end,
        };
        let Some(anchor) = anchor else {
            manual_review(
                ev,
                person,
                vi,
                format!(
                    "visit {} has no planned end, but `{criticality}` thresholds count from the planned end",
                    v.id
                ),
                v.planned_at,
            );
            ev.visits.push(report);
            continue;
        };
        let (late, missed) = thresholds_at(ev, th, anchor);
        // Late and missed are deadlines for an arrival, counted from the anchor by the one
        // deadline rule.
        let within = |secs| {
            DeadlineDef::Atom(DeadlineAtomDef::Within {
                secs,
                anchor: Anchor::Start,
            })
        };
        let mut measure = InTime {
            civil: ev.civil,
            anchor: |_: Anchor, start| Some(start),
        };
        let late_at = deadline::due(&mut measure, within(late), anchor).unwrap_or(anchor);
        let missed_at = deadline::due(&mut measure, within(missed), anchor).unwrap_or(anchor);
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
        if arrived_at.is_none() {
            ev.change_at(Some(late_at));
            ev.change_at(Some(missed_at));
        }
        let missed_before_arrival = arrived_at.is_none_or(|a| a >= missed_at);
        if missed_before_arrival && ev.as_of >= missed_at {
            let anchor_words = th.anchor.words();
            triggers.push(Trigger {
                kind: TriggerKind::MissedVisit,
                at: missed_at,
                visit: Some(vi),
                key: format!("missed:{}", v.id),
                text: Arc::from(format!(
                    "visit {} ({criticality}) missed at {}: no arrival {} after its {anchor_words} at {}",
                    v.id,
                    words::clock(ev, missed_at),
                    crate::wording::duration_words(missed),
                    words::clock(ev, anchor)
                )),
            });
        }
        ev.visits.push(report);
    }
    triggers
}

/// The late and missed thresholds that apply to a visit: out-of-hours ones when its anchor
/// falls out of hours (they are never laxer; the checker sees to that).
fn thresholds_at(ev: &Eval<'_>, th: &ThresholdDef, anchor: crate::time::Instant) -> (u64, u64) {
    match th.out_of_hours {
        Some(ooh) if ev.out_of_hours(anchor) => ooh,
        _ => (th.late, th.missed),
    }
}

/// A rule that cannot be evaluated becomes a duty for the manager to look at it by hand.
fn manual_review(
    ev: &mut Eval<'_>,
    person: usize,
    visit: usize,
    reason: String,
    at: crate::time::Instant,
) {
    let rs = ev.rs;
    let role = rs.review_role.and_then(|r| ev.resolve(r, at));
    let person_id = ev.person_arc(person);
    let visit_id = ev.visit_id(Some(visit));
    let due = ev.civil.after(at, rs.immediately);
    let episode: Arc<str> = Arc::from(format!(
        "{person_id}/manual-review/{}",
        visit_id.as_deref().unwrap_or_default()
    ));
    let draft = Draft {
        id: episode.to_string(),
        person: person_id,
        visit: visit_id,
        episode,
        action: "manual_review",
        summary: Arc::from(format!("Manual review required: {reason}")),
        role,
        opened_at: at,
        due: Some(due),
        done_at: None,
        rule: rs.threshold_provenance.clone(),
        cites: Arc::from(Vec::new()),
        because: vec![
            Arc::from(reason),
            Arc::from("Vigil could not evaluate this rule, so a person must"),
        ],
    };
    let o = ev.obligation(draft, Status::at(None, Some(due), ev.as_of));
    ev.push(o);
}
