//! `vigil eval --explain`: each duty's chain from its trigger to its due time, pinned on
//! scenarios whose answers examples/README.md works out by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use vigil::timeline::{Format, Timeline};

fn explained(dir: &str, example: &str, at: &str) -> String {
    let rs = common::rules_in(dir);
    let text = std::fs::read_to_string(format!("examples/{example}.yaml")).unwrap();
    let tl = Timeline::load(&text, Format::Yaml, example, &rs).unwrap();
    let d = rs.evaluate(&tl, at.parse().unwrap());
    vigil::render::why::to_text(&d, &rs)
}

/// The no-response ladder at 10:30 (examples/README.md): each due time is its start plus the
/// rule's minutes (10:03 + 5 = 10:08, + 10 = 10:13, + 15 = 10:18; the records review from the
/// notice at 10:14 + 15 = 10:29; the wider checks from the review at 10:25 + 30 = 10:55).
#[test]
fn the_ladder_adds_up() {
    let text = explained(
        "protocols/supported-living",
        "no-response-ladder",
        "2026-11-25T10:30:00Z",
    );
    for sum in [
        "10:03 Wed 25 Nov + 5 minutes = 10:08 Wed 25 Nov",
        "10:14 Wed 25 Nov + 15 minutes = 10:29 Wed 25 Nov",
        "10:25 Wed 25 Nov + 30 minutes = 10:55 Wed 25 Nov",
    ] {
        assert!(text.contains(sum), "{sum}\n{text}");
    }
    insta::assert_snapshot!("why_no_response_ladder_1030", text);
}

/// Working time and a breach: the referral's routine call in 2 working days over the Spring
/// bank holiday, and an alarm chain's breach duty counted from going overdue.
#[test]
fn working_time_and_breaches() {
    let referral = explained(
        "protocols/referral-intake",
        "referral-bank-holiday",
        "2026-05-22T18:45:00+01:00",
    );
    insta::assert_snapshot!("why_referral_bank_holiday", referral);
    let breach = explained(
        "protocols/supported-living",
        "late-notify-breach",
        "2026-11-30T09:40:00Z",
    );
    assert!(breach.contains("of going overdue"), "{breach}");
    insta::assert_snapshot!("why_late_notify_breach", breach);
}

/// Across the night the clocks go back, wall times do not add up as read: 00:50 BST plus two
/// hours is 01:50 GMT (02:50 BST would not exist on the wall). The sum says each time's zone
/// and why; a time in the repeated hour says which of the two it is.
#[test]
fn a_sum_across_a_clock_change_says_its_zones() {
    let rs = vigil::compile(&[vigil::Source::new(
        "f.vigil",
        r#"framework "Night" version 1 {
  role support_worker "Support worker"
  role manager "Manager" covers support_worker
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step tell: notify manager by support_worker within 2h
  }
}"#,
    )])
    .unwrap();
    let text = r#"
events:
  - { at: "2026-10-24T18:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-10-25T00:45:00+01:00", criticality: routine }
  - { id: na, at: "2026-10-25T00:50:00+01:00", person: P-1, kind: no_answer, visit: V1, by: support_worker }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    let d = rs.evaluate(&tl, "2026-10-25T01:40:00Z".parse().unwrap());
    let why = vigil::render::why::to_text(&d, &rs);
    assert!(
        why.contains(
            "00:50 BST Sun 25 Oct + 2 hours = 01:50 GMT Sun 25 Oct (the clocks changed in between)"
        ),
        "{why}"
    );
    assert!(why.contains("left at 01:40 GMT Sun 25 Oct"), "{why}");
}

/// A clock deadline from one side of the change to the other says both zones too: a
/// no-answer at 17:50 BST on Friday 23 October 2026 with `by 17:00 next working day` is due
/// 17:00 GMT on Monday 26 October, the clocks having gone back on the Sunday.
#[test]
fn a_clock_deadline_across_a_clock_change_says_its_zones() {
    let rs = vigil::compile(&[vigil::Source::new(
        "f.vigil",
        r#"framework "Weekend" version 1 {
  role support_worker "Support worker"
  role manager "Manager" covers support_worker
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step tell: notify manager by support_worker by 17:00 next working day
  }
}"#,
    )])
    .unwrap();
    let text = r#"
events:
  - { at: "2026-10-23T08:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-10-23T17:45:00+01:00", criticality: routine }
  - { id: na, at: "2026-10-23T17:50:00+01:00", person: P-1, kind: no_answer, visit: V1, by: support_worker }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    let d = rs.evaluate(&tl, "2026-10-24T10:00:00Z".parse().unwrap());
    let why = vigil::render::why::to_text(&d, &rs);
    assert!(
        why.contains(
            "from 17:50 BST Fri 23 Oct: due 17:00 GMT Mon 26 Oct (the clocks changed in between)"
        ),
        "{why}"
    );
}

/// A failed duty says when it failed, as the decision does (examples/README.md, flow-a: the
/// sister's call failed at 10:12 BST), never the instant decided at (found by a docs-only
/// tester: "failed at 10:30").
#[test]
fn a_failed_duty_says_when_it_failed() {
    let text = explained(
        "protocols/supported-living",
        "flow-a-chain-bank-holiday",
        "2026-08-31T10:30:00+01:00",
    );
    assert!(text.contains("Status: failed at 10:12"), "{text}");
    assert!(!text.contains("Status: failed at 10:30"), "{text}");
}
