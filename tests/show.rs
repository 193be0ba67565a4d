//! `vigil show`: a person's effective rules, pinned as text, Markdown and Mermaid, with the
//! worst cases checked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use vigil::render::show;

#[test]
fn the_views_of_real_protocols() {
    let sl = common::rules_in("protocols/supported-living");
    let ar = common::rules_in("protocols/alarm-response");
    let v = show::view(&sl, Some("P-0142"), None).unwrap();
    insta::assert_snapshot!("show_p0142_text", show::to_text(&v));
    let v = show::view(&sl, Some("P-0644"), None).unwrap();
    insta::assert_snapshot!("show_p0644_markdown", show::to_markdown(&v));
    let v = show::view(&ar, Some("A-0102"), None).unwrap();
    insta::assert_snapshot!("show_a0102_mermaid", show::to_mermaid(&v));
    let v = show::view(&sl, None, Some("emergency")).unwrap();
    insta::assert_snapshot!("show_framework_emergency_text", show::to_text(&v));
}

/// Worst cases worked by hand from p-0142-medication.vigil: `notify_manager` within 10
/// minutes; `review_records` within 10 minutes of it being done or overdue, so at worst 20;
/// the GP advice within 15 minutes of the notice, so at worst 25.
#[test]
fn worst_cases_follow_the_chain() {
    let sl = common::rules_in("protocols/supported-living");
    let v = show::view(&sl, Some("P-0142"), Some("no_response")).unwrap();
    let step = |name: &str| v.pathways[0].steps.iter().find(|s| s.name == name).unwrap();
    assert_eq!(
        step("notify_manager").worst.as_deref(),
        Some("at worst 10 minutes after the trigger")
    );
    assert_eq!(
        step("review_records").worst.as_deref(),
        Some("at worst 20 minutes after the trigger")
    );
    assert_eq!(
        step("advice_in_hours").worst.as_deref(),
        Some("at worst 25 minutes after the trigger")
    );
    assert!(step("notify_manager")
        .source
        .starts_with("protocol, refining the framework's step"));
    assert!(step("external_checks").source.starts_with("framework ("));
}

/// A pathway not there is refused with the nearest name; a person not there, without one,
/// since the nearest id is another person's (docs/privacy.md).
#[test]
fn a_name_not_there_is_refused_with_the_nearest() {
    let sl = common::rules_in("protocols/supported-living");
    let e = show::view(&sl, Some("P-0142x"), None).unwrap_err();
    assert!(e.contains("`P-0142x` has no protocol"), "{e}");
    assert!(!e.contains("`P-0142`"), "{e}");
    let e = show::view(&sl, Some("P-0142"), Some("no_respons")).unwrap_err();
    assert!(e.contains("did you mean `no_response`?"), "{e}");
    let bin = env!("CARGO_BIN_EXE_vigil");
    let out = std::process::Command::new(bin)
        .args(["show", "P-0142x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("`P-0142x` has no protocol"), "{said}");
    assert!(!said.contains("`P-0142`"), "{said}");
    let out = std::process::Command::new(bin)
        .args(["show", "--no-protocol"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "four frameworks: name one");
}

/// A step written inside an absence applies only during it, and `show` says so, as if the
/// step were written `when during friday_prayers` (it once showed no condition at all).
#[test]
fn an_absence_step_shows_its_window() {
    let sl = common::rules_in("protocols/supported-living");
    let v = show::view(&sl, Some("P-0308"), Some("no_response")).unwrap();
    let step = v.pathways[0]
        .steps
        .iter()
        .find(|s| s.name == "verify_at_prayers")
        .unwrap();
    assert_eq!(step.when.as_deref(), Some("during friday_prayers"));
    assert!(show::to_text(&v).contains("when   during friday_prayers"));
}

/// A step that waits for an observation fires when it is seen, at any time after the trigger
/// (language.md §8.1): P-0421's `fall_alarm` (999 `immediately`, when the fall detector's
/// alarm is observed) is due 5 minutes after the observation, with no worst case from the
/// trigger. It once read "starts at the trigger, at worst 5 minutes after the trigger".
#[test]
fn a_step_waiting_for_an_observation_has_no_worst_case_from_the_trigger() {
    let sl = common::rules_in("protocols/supported-living");
    let v = show::view(&sl, Some("P-0421"), Some("at_alert")).unwrap();
    let step = v.pathways[0]
        .steps
        .iter()
        .find(|s| s.name == "fall_alarm")
        .unwrap();
    assert!(step.starts.contains("first observed"), "{}", step.starts);
    assert_eq!(
        step.worst.as_deref(),
        Some("at worst 5 minutes after the observation; none from the trigger, since it waits for it")
    );
}

/// A communication need and the methods it rules out are one line, with the calendar of a
/// need that holds only at night (framework.vigil: `no_phone` rules out phone;
/// `no_phone_at_night` rules out phone in `night_time`).
#[test]
fn a_communication_need_says_what_it_rules_out_once() {
    let sl = common::rules_in("protocols/supported-living");
    let facts = |person: &str| show::to_text(&show::view(&sl, Some(person), None).unwrap());
    let deaf = facts("P-0421");
    assert!(
        deaf.contains("  - communication: no phone, so never by phone\n"),
        "{deaf}"
    );
    assert!(!deaf.contains("not by phone"), "{deaf}");
    let night = facts("P-0650");
    assert!(
        night.contains(
            "  - communication: no phone at night, so never by phone during night-time\n"
        ),
        "{night}"
    );
    assert!(!night.contains("not by phone"), "{night}");
}

/// A protocol's absence steps are shown in the first stage they belong to (language.md §9.5:
/// verifying whereabouts comes first), not after the escalations: P-0308's Friday prayers.
#[test]
fn absence_steps_are_shown_in_their_stage() {
    let sl = common::rules_in("protocols/supported-living");
    let v = show::view(&sl, Some("P-0308"), Some("no_response")).unwrap();
    let names: Vec<&str> = v.pathways[0]
        .steps
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names.get(..3),
        Some(&["external_checks", "verify_at_prayers", "ask_mosque"][..]),
        "{names:?}"
    );
}
