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
