//! Each evaluation rule has one home, so a governance duty behaves as a ladder step does:
//! any action the language allows can be done, an alias lets either side act, and a deadline
//! counts the same way.

#![allow(clippy::expect_used)] // tests fail loudly

use vigil::eval::Status;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

const FRAMEWORK: &str = r#"
framework "One Rule" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  role on_call_manager "On-call manager" covers support_worker
  alias manager "The manager" is duty_manager in office_hours otherwise on_call_manager
  calendar office_hours "Office hours" { Mon-Fri 08:00-18:00 }
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags person_seen_on_floor
  results red_risk, green_risk
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step tell: notify manager by support_worker within 15m
    step out: escalate to adult_social_care by manager within 1h
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
    step tell_999: notify manager by support_worker immediately
  }
  log records "Care records"
  governance {
    rule find_them: when unresolved beyond same day
         then verify whereabouts by manager within 2h
    rule red_run: when consecutive 2 red_risk per route
         then review records by manager within 1h
  }
}
"#;

fn decision(events: &str, at: &str) -> vigil::eval::Decision {
    let rules = vigil::compile(&[Source::new("f.vigil", FRAMEWORK)]).expect("framework checks");
    let text = format!("events:\n{events}");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

/// The duty the `find_them` governance rule created.
fn find_them(d: &vigil::eval::Decision) -> &vigil::eval::Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.starts_with("governance/find_them"))
        .expect("the governance rule fired")
}

const NO_ANSWER: &str = r#"
  - { id: plan, at: "2026-11-24T12:00:00Z", person: P-1, kind: visit_planned, visit: V1,
      planned: "2026-11-24T22:00:00Z", criticality: routine }
  - { id: na, at: "2026-11-24T22:00:00Z", person: P-1, visit: V1, kind: no_answer, by: support_worker }
"#;

#[test]
fn a_governance_duty_to_verify_whereabouts_can_be_done() {
    // Unresolved at midnight: the rule fires at 00:00 and the manager (on call at night) must
    // verify whereabouts by 02:00. Whereabouts confirmed at 01:00 by the on-call manager.
    let events = format!(
        "{NO_ANSWER}  - {{ id: w, at: \"2026-11-25T01:00:00Z\", person: P-1, kind: whereabouts_confirmed, by: on_call_manager, where: hospital }}\n"
    );
    let d = decision(&events, "2026-11-25T03:00:00Z");
    let duty = find_them(&d);
    assert_eq!(duty.status, Status::Done, "{duty:#?}");
    assert_eq!(duty.due_local.as_deref(), Some("2026-11-25T02:00:00+00:00"));
}

#[test]
fn a_governance_duty_given_to_an_alias_may_be_done_by_either_side() {
    // The duty falls to the on-call manager at midnight; the duty manager coming in at 01:30
    // may do it, as on a ladder.
    let events = format!(
        "{NO_ANSWER}  - {{ id: w, at: \"2026-11-25T01:30:00Z\", person: P-1, kind: whereabouts_confirmed, by: duty_manager }}\n"
    );
    let d = decision(&events, "2026-11-25T03:00:00Z");
    let duty = find_them(&d);
    assert_eq!(&*duty.role, "on_call_manager");
    assert_eq!(duty.status, Status::Done, "{duty:#?}");
}

#[test]
fn a_governance_duty_not_done_goes_overdue_the_second_after_its_due_time() {
    let d = decision(NO_ANSWER, "2026-11-25T02:00:00Z");
    let duty = find_them(&d);
    assert_eq!(duty.status, Status::Due);
    let later = decision(NO_ANSWER, "2026-11-25T02:00:01Z");
    let duty = find_them(&later);
    assert_eq!(
        (duty.status, duty.late_by_seconds),
        (Status::Overdue, Some(1))
    );
}

#[test]
fn a_result_a_per_route_rule_cannot_place_gets_a_manual_review() {
    // A red-risk result recorded against no visit: `red_run` counts results per route, so it
    // cannot say which run this one belongs to. Rather than leave it out, the manager (on
    // call at 23:00) must look at it, by 23:05 (`immediately` is 5 minutes).
    let events = format!(
        "{NO_ANSWER}  - {{ id: r1, at: \"2026-11-24T23:00:00Z\", person: P-1, kind: record_made, log: records, result: red_risk, by: on_call_manager }}\n"
    );
    let d = decision(&events, "2026-11-24T23:01:00Z");
    let review = d
        .obligations
        .iter()
        .find(|o| o.id == "governance/red_run/manual-review/r1")
        .expect("a manual review for the result");
    assert_eq!(review.action, vigil::eval::Action::ManualReview);
    assert_eq!(&*review.role, "on_call_manager");
    assert_eq!(
        review.due_local.as_deref(),
        Some("2026-11-24T23:05:00+00:00")
    );
    assert_eq!(review.status, Status::Due);
    assert_eq!(review.rule.name, "governance.red_run");
}

/// A review's words name the log once: "Review the review log" for a log named for the verb
/// whose display name only repeats it, "Review the missed-visit log" for one that spells it
/// otherwise, "Review records (care records)" for one that says more.
#[test]
fn a_review_names_its_log_once() {
    let fw = r#"
framework "Words" version 1 {
  role support_worker "Support worker"
  log review_log "Review log"
  log records "Care records"
  log missed_visit_log "Missed-visit log"
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step look: review review_log by support_worker within 15m
    step read: review records by support_worker within 15m
    step missed: review missed_visit_log by support_worker within 15m
  }
}
"#;
    let rs = vigil::compile(&[Source::new("fw.vigil", fw)]).expect("the framework checks");
    let text = "events:\n  - { at: \"2026-11-24T09:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: routine }\n  - { at: \"2026-11-24T10:00:00Z\", person: P-1, kind: no_answer, visit: V1 }\n";
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).expect("the timeline loads");
    let d = rs.evaluate(&tl, "2026-11-24T10:01:00Z".parse().expect("an instant"));
    let words: Vec<&str> = d.obligations.iter().map(|o| &*o.summary).collect();
    assert!(words.contains(&"Review the review log"), "{words:?}");
    // A display name that only spells the name otherwise is said once, as written.
    assert!(words.contains(&"Review the missed-visit log"), "{words:?}");
    assert!(
        words.contains(&"Review records (care records)"),
        "{words:?}"
    );
}
