//! Watched visits (issue 8): protocol visits are watched with no planning event; planning
//! confirms, moves or cancels them; late, missed and partly attended fall at exact instants;
//! and a trigger no pathway takes is never let pass.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::{Decision, Status, VisitSource, VisitState};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

const FRAMEWORK: &str = r#"
framework "Watched" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role coordinator "Scheduling coordinator"
  role manager "Manager" covers support_worker, coordinator
  agency emergency_services "Emergency services (999)" emergency
  red_flags person_seen_on_floor
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
  threshold routine late 0m missed 20m after planned start
  threshold timed late 10m missed 30m after planned end
  pathway late on late_visit {
    step tell_coordinator: notify coordinator by support_worker within 10m
  }
  pathway missed on missed_visit {
    step tell_manager: notify manager by coordinator immediately
  }
  pathway short_staffed on partly_attended {
    step send_second: notify manager by coordinator immediately
  }
}
"#;

const PROTOCOL: &str = r#"
protocol "P-1" under "Watched" version 1 {
  visit morning "Morning" daily 08:00-08:30 routine
  visit hoist "Hoist transfer" daily 12:00-12:45 routine staff 2
  visit tea "Tea" Mon-Fri 17:00-17:30 timed
}
"#;

fn decide_with(framework: &str, timeline: &str, at: &str) -> Decision {
    let rules = vigil::compile(&[
        Source::new("f.vigil", framework),
        Source::new("p.vigil", PROTOCOL),
    ])
    .expect("rules check");
    let tl = Timeline::load(timeline, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

/// Tuesday 24 November 2026 (UTC: the framework names no zone), P-1 watched from midnight.
fn decide(events: &str, at: &str) -> Decision {
    let text = format!(
        "from: 2026-11-24T00:00:00Z\npersons: [P-1]\nevents:{}\n",
        if events.is_empty() { " []" } else { events }
    );
    decide_with(FRAMEWORK, &text, at)
}

fn visit<'d>(d: &'d Decision, id: &str) -> &'d vigil::eval::VisitReport {
    d.visits
        .iter()
        .find(|v| v.id == id)
        .unwrap_or_else(|| panic!("no visit {id} in {:#?}", d.visits))
}

fn duty<'d>(d: &'d Decision, id: &str) -> Option<&'d vigil::eval::Obligation> {
    d.obligations.iter().find(|o| o.id.ends_with(id))
}

#[test]
fn a_protocol_visit_nobody_planned_is_late_and_missed_at_its_instants() {
    // Late 0m: late from 08:00 itself; missed at exactly 08:20.
    let d = decide("", "2026-11-24T07:59:59Z");
    let v = visit(&d, "morning@2026-11-24");
    assert_eq!(v.state, VisitState::Upcoming);
    assert_eq!(v.source, VisitSource::Protocol);
    assert_eq!(
        d.next_change.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T08:00:00+00:00")
    );

    let d = decide("", "2026-11-24T08:00:00Z");
    assert_eq!(visit(&d, "morning@2026-11-24").state, VisitState::Late);
    let tell = duty(&d, "late:morning@2026-11-24/tell_coordinator").expect("late pathway");
    assert_eq!(
        tell.due.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T08:10:00+00:00")
    );

    let d = decide("", "2026-11-24T08:20:00Z");
    assert_eq!(visit(&d, "morning@2026-11-24").state, VisitState::Missed);
    assert!(duty(&d, "missed:morning@2026-11-24/tell_manager").is_some());
    // The late episode ends when the visit is missed: its step is no longer required.
    let tell = duty(&d, "late:morning@2026-11-24/tell_coordinator").expect("late pathway");
    assert_eq!(tell.status, Status::NotRequired, "{tell:#?}");
}

#[test]
fn attendance_at_the_very_second_is_in_time() {
    let arrive = |at: &str| {
        format!("\n  - {{ at: \"{at}\", person: P-1, kind: arrived, visit: morning@2026-11-24, by: support_worker }}")
    };
    let d = decide(&arrive("2026-11-24T08:00:00Z"), "2026-11-24T09:00:00Z");
    assert_eq!(visit(&d, "morning@2026-11-24").state, VisitState::Arrived);
    let d = decide(&arrive("2026-11-24T08:20:00Z"), "2026-11-24T09:00:00Z");
    assert_eq!(
        visit(&d, "morning@2026-11-24").state,
        VisitState::ArrivedLate
    );
    assert!(duty(&d, "missed:morning@2026-11-24/tell_manager").is_none());
    let d = decide(&arrive("2026-11-24T08:20:01Z"), "2026-11-24T09:00:00Z");
    assert_eq!(
        visit(&d, "morning@2026-11-24").state,
        VisitState::ArrivedAfterMissed
    );
    assert!(duty(&d, "missed:morning@2026-11-24/tell_manager").is_some());
}

#[test]
fn a_visit_for_two_carers_with_one_is_partly_attended() {
    let one = "\n  - { at: \"2026-11-24T12:05:00Z\", person: P-1, kind: arrived, visit: hoist@2026-11-24, by: support_worker }";
    let d = decide(one, "2026-11-24T12:21:00Z");
    let v = visit(&d, "hoist@2026-11-24");
    assert_eq!(
        (v.state, v.carers_arrived, v.staff),
        (VisitState::PartlyAttended, 1, 2)
    );
    assert!(duty(&d, "partly:hoist@2026-11-24/send_second").is_some());
    assert!(duty(&d, "missed:hoist@2026-11-24/tell_manager").is_none());

    let two = format!("{one}\n  - {{ at: \"2026-11-24T12:10:00Z\", person: P-1, kind: arrived, visit: hoist@2026-11-24, by: support_worker }}");
    let d = decide(&two, "2026-11-24T12:21:00Z");
    assert_eq!(visit(&d, "hoist@2026-11-24").state, VisitState::ArrivedLate);
    assert!(duty(&d, "partly:hoist@2026-11-24/send_second").is_none());
}

#[test]
fn thresholds_may_count_from_the_planned_end() {
    // Tea 17:00-17:30, late 10 minutes and missed 30 minutes after its planned end.
    let d = decide("", "2026-11-24T17:45:00Z");
    let v = visit(&d, "tea@2026-11-24");
    assert_eq!(v.state, VisitState::Late);
    assert_eq!(
        v.late_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T17:40:00+00:00")
    );
    assert_eq!(
        v.missed_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T18:00:00+00:00")
    );
}

#[test]
fn planning_confirms_or_moves_a_protocol_visit_and_it_is_watched_once() {
    let events = r#"
  - { at: "2026-11-23T18:00:00Z", person: P-1, kind: visit_planned, visit: R1, planned: "2026-11-24T08:00:00Z" }
  - { at: "2026-11-23T18:00:01Z", person: P-1, kind: visit_planned, visit: R2, slot: hoist, planned: "2026-11-24T13:00:00Z" }"#;
    let d = decide(events, "2026-11-24T13:00:00Z");
    let r1 = visit(&d, "R1");
    assert_eq!(
        (r1.source, r1.slot.as_deref()),
        (VisitSource::Confirmed, Some("morning@2026-11-24"))
    );
    assert_eq!(r1.criticality, "routine");
    let r2 = visit(&d, "R2");
    assert_eq!((r2.source, r2.staff), (VisitSource::Moved, 2));
    assert_eq!(r2.state, VisitState::Late, "moved to 13:00, late from then");
    // The planned end moves with it.
    assert_eq!(
        r2.planned_end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T13:45:00+00:00")
    );
    assert!(d
        .visits
        .iter()
        .all(|v| v.id != "morning@2026-11-24" && v.id != "hoist@2026-11-24"));
}

#[test]
fn a_cancellation_before_the_missed_instant_removes_the_visit() {
    let cancel = |at: &str| {
        format!("\n  - {{ at: \"{at}\", person: P-1, kind: visit_cancelled, visit: morning@2026-11-24, by: manager, reason: in hospital }}")
    };
    let d = decide(&cancel("2026-11-24T08:10:00Z"), "2026-11-24T09:00:00Z");
    let v = visit(&d, "morning@2026-11-24");
    assert_eq!(v.state, VisitState::Cancelled);
    assert_eq!(
        v.cancelled.as_ref().map(|c| c.reason.as_str()),
        Some("in hospital")
    );
    assert!(duty(&d, "missed:morning@2026-11-24/tell_manager").is_none());
    // The late episode (from 08:00) ends at the cancellation.
    let tell = duty(&d, "late:morning@2026-11-24/tell_coordinator").expect("late at 08:00");
    assert_eq!(tell.status, Status::NotRequired);

    let d = decide(&cancel("2026-11-24T08:25:00Z"), "2026-11-24T09:00:00Z");
    assert_eq!(visit(&d, "morning@2026-11-24").state, VisitState::Missed);
    assert!(duty(&d, "missed:morning@2026-11-24/tell_manager").is_some());
}

#[test]
fn early_and_short_visits_are_visible() {
    let events = r#"
  - { at: "2026-11-24T07:50:00Z", person: P-1, kind: arrived, visit: morning@2026-11-24, by: support_worker }
  - { at: "2026-11-24T08:10:00Z", person: P-1, kind: departed, visit: morning@2026-11-24, by: support_worker }"#;
    let d = decide(events, "2026-11-24T09:00:00Z");
    let v = visit(&d, "morning@2026-11-24");
    assert_eq!(
        (v.early_by_seconds, v.short_by_seconds),
        (Some(600), Some(600))
    );
}

#[test]
fn a_trigger_no_pathway_takes_is_a_manual_review() {
    let framework = FRAMEWORK.replace("on partly_attended", "on refusal");
    let text = "from: 2026-11-24T00:00:00Z\nevents:\n  - { at: \"2026-11-24T12:05:00Z\", person: P-1, kind: arrived, visit: hoist@2026-11-24, by: support_worker }\n";
    let d = decide_with(&framework, text, "2026-11-24T12:21:00Z");
    let review = d
        .obligations
        .iter()
        .find(|o| o.action == vigil::eval::Action::ManualReview)
        .expect("a manual review");
    assert!(review.summary.contains("on partly_attended"), "{review:#?}");
    assert_eq!(review.status, Status::Due);
}

#[test]
fn people_and_visits_left_unwatched_are_named() {
    let text = "events:\n  - { at: \"2026-11-24T09:00:00Z\", person: P-2, kind: visit_planned, visit: V, planned: \"2026-11-24T10:00:00Z\", criticality: routine }\n";
    let d = decide_with(FRAMEWORK, text, "2026-11-24T09:30:00Z");
    assert!(
        d.notes.iter().any(|n| n.contains("does not mention P-1")),
        "{:#?}",
        d.notes
    );
    let text = "events:\n  - { at: \"2026-11-24T09:00:00Z\", person: P-1, kind: no_answer, by: support_worker }\n";
    let d = decide_with(FRAMEWORK, text, "2026-11-24T09:30:00Z");
    assert!(
        d.notes.iter().any(|n| n.contains("planned before 09:00")),
        "{:#?}",
        d.notes
    );
    assert!(d.visits.iter().all(|v| v.id != "morning@2026-11-24"));
}

#[test]
fn a_visit_confirmed_after_as_of_is_watched_as_the_protocol_plans_it_until_then() {
    // The rota confirms the 08:00 visit only at 08:40; at 08:30 it is still watched, and the
    // arrival recorded against its occurrence counts.
    let events = r#"
  - { at: "2026-11-24T08:40:00Z", person: P-1, kind: visit_planned, visit: R1, slot: morning, planned: "2026-11-24T08:00:00Z" }
  - { at: "2026-11-24T08:10:00Z", person: P-1, kind: arrived, visit: morning@2026-11-24, by: support_worker }"#;
    let d = decide(events, "2026-11-24T08:30:00Z");
    let v = visit(&d, "morning@2026-11-24");
    assert_eq!(
        (v.source, v.state),
        (VisitSource::Protocol, VisitState::ArrivedLate)
    );
    assert!(d.visits.iter().all(|v| v.id != "R1"));
    let d = decide(events, "2026-11-24T09:00:00Z");
    assert_eq!(visit(&d, "R1").state, VisitState::ArrivedLate);
    assert!(d.visits.iter().all(|v| v.id != "morning@2026-11-24"));
}

#[test]
fn a_no_answer_is_one_carer_at_the_door_not_another() {
    // The carer arrives, then reports no answer at the door twice: one carer, not three.
    let events = r#"
  - { at: "2026-11-24T08:05:00Z", person: P-1, kind: arrived, visit: morning@2026-11-24, by: support_worker }
  - { at: "2026-11-24T08:06:00Z", person: P-1, kind: no_answer, visit: morning@2026-11-24, by: support_worker }
  - { at: "2026-11-24T08:09:00Z", person: P-1, kind: no_answer, visit: morning@2026-11-24, by: support_worker }"#;
    let d = decide(events, "2026-11-24T09:00:00Z");
    assert_eq!(visit(&d, "morning@2026-11-24").carers_arrived, 1);
    // With no arrival recorded, a no-answer still shows the worker was there.
    let events = r#"
  - { at: "2026-11-24T08:06:00Z", person: P-1, kind: no_answer, visit: hoist@2026-11-24, by: support_worker }
  - { at: "2026-11-24T08:09:00Z", person: P-1, kind: no_answer, visit: hoist@2026-11-24, by: support_worker }"#;
    let d = decide(events, "2026-11-24T12:30:00Z");
    let v = visit(&d, "hoist@2026-11-24");
    assert_eq!((v.carers_arrived, v.state), (1, VisitState::PartlyAttended));
}

#[test]
fn a_manual_review_is_done_by_a_review_naming_it_and_a_stray_review_is_noted() {
    let framework = FRAMEWORK.replace("on partly_attended", "on refusal");
    let review = "P-1/manual-review/partly:hoist@2026-11-24";
    let text = format!(
        "from: 2026-11-24T00:00:00Z\nevents:\n  - {{ at: \"2026-11-24T12:05:00Z\", person: P-1, kind: arrived, visit: hoist@2026-11-24, by: support_worker }}\n  - {{ at: \"2026-11-24T12:30:00Z\", person: P-1, kind: reviewed, duty: \"{review}\", by: manager }}\n  - {{ at: \"2026-11-24T12:31:00Z\", person: P-1, kind: reviewed, duty: no-such-duty, by: manager }}\n"
    );
    let d = decide_with(&framework, &text, "2026-11-24T13:00:00Z");
    let done = d
        .obligations
        .iter()
        .find(|o| o.action == vigil::eval::Action::ManualReview)
        .expect("a manual review");
    assert_eq!(&*done.id, review);
    assert_eq!(
        done.status,
        Status::DoneLate,
        "due 12:25, reviewed 12:30: {done:#?}"
    );
    assert!(
        d.notes.iter().any(|n| n.contains("`no-such-duty`")),
        "{:#?}",
        d.notes
    );
}
