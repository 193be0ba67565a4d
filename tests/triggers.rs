//! Declared triggers (issue 10, point 1): the framework declares what opens pathways beyond
//! the built-in triggers; pathways take a trigger `when` a condition holds at it (one for each
//! side of the clock, or by an attribute); conditions test its attributes and its reporter; a
//! trigger no pathway takes is a manual review; a declared trigger `safety unconfirmed` closes
//! when the person is found.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use proptest::prelude::*;
use vigil::eval::{Decision, Status};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

mod common;

const FRAMEWORK: &str = r#"
framework "Triggers" version 1 {
  role duty_worker "Duty worker"
  role night_worker "Night worker"
  role team_leader "Team leader" covers duty_worker, night_worker
  calendar office_hours { Mon-Fri 09:00-17:00  except bank_holidays }
  log screening "Screening record"
  agency adult_social_care "Adult social care" statutory
  agency police_101 "Police non-emergency (101)" non_emergency
  trigger referral "Referral received" {
    attribute urgency "Urgency" values urgent, routine, unknown
  }
  trigger concern "Welfare concern" {
    attribute about "About" values not_seen, unsafe_home
    safety unconfirmed
  }
  floors {
    require external_escalation on concern to statutory, non_emergency
  }
  pathway referral_day on referral when not out_of_hours {
    step screen: review screening by duty_worker within 1h
    step urgent: notify team_leader by duty_worker within 30m when urgency is urgent
  }
  pathway referral_night on referral when out_of_hours and (urgency is urgent or urgency is routine) {
    step screen: review screening by night_worker within 1h
    step urgent: notify team_leader by night_worker within 30m when urgency is urgent
  }
  pathway concern_raised on concern {
    step tell: notify team_leader by duty_worker within 15m when not reported by night_worker
    step tell_night: notify team_leader by night_worker within 5m when reported by night_worker
    step welfare_check: escalate to police_101 by team_leader within 1h when about is not_seen
    step social_care: escalate to adult_social_care by team_leader within 1h when about is unsafe_home
  }
}
"#;

fn rules() -> vigil::rules::RuleSet {
    vigil::compile(&[Source::new("f.vigil", FRAMEWORK)])
        .unwrap_or_else(|e| panic!("rules check: {e:#?}"))
}

fn decide(events: &str, at: &str) -> Decision {
    let rules = rules();
    let tl = Timeline::load(
        &format!("events:\n{events}"),
        Format::Yaml,
        "t.yaml",
        &rules,
    )
    .unwrap_or_else(|e| panic!("timeline loads: {e:#?}"));
    rules.evaluate(&tl, at.parse().expect("instant"))
}

fn ids(d: &Decision) -> Vec<(String, Status)> {
    d.obligations
        .iter()
        .map(|o| (o.id.clone(), o.status))
        .collect()
}

fn referral(at: &str, urgency: &str, by: &str) -> String {
    format!(
        "  - {{ id: ref, at: \"{at}\", person: R-1, kind: referral, by: {by}, attributes: {{ urgency: {urgency} }} }}\n"
    )
}

#[test]
fn the_calendar_chooses_the_pathway_when_the_trigger_fires() {
    // Friday 22 May 2026, BST: 16:59 is the day team's, 17:00 the night's; Monday 25 May is
    // the Spring bank holiday, so 10:00 that day is out of hours too.
    for (at, expected) in [
        ("2026-05-22T16:59:00+01:00", "referral_day"),
        ("2026-05-22T17:00:00+01:00", "referral_night"),
        ("2026-05-25T10:00:00+01:00", "referral_night"),
        ("2026-05-26T09:00:00+01:00", "referral_day"),
    ] {
        let d = decide(&referral(at, "urgent", "duty_worker"), at);
        let screen = d
            .obligations
            .iter()
            .find(|o| o.id.ends_with("/screen"))
            .unwrap_or_else(|| panic!("no screening at {at}: {:#?}", ids(&d)));
        assert!(
            screen.episode.contains(expected),
            "{at}: {} not {expected}",
            screen.episode
        );
        assert!(
            screen
                .because
                .iter()
                .any(|b| b.contains(&format!("pathway {expected} takes it"))),
            "{:?}",
            screen.because
        );
        let urgent = d
            .obligations
            .iter()
            .find(|o| o.id.ends_with("/urgent"))
            .expect("urgent step");
        assert_eq!(urgent.status, Status::Due, "urgency is urgent at {at}");
    }
}

#[test]
fn a_trigger_no_pathway_takes_is_a_manual_review_naming_each_when() {
    // Out of hours with urgency unknown: the night pathway takes only urgent and routine.
    let at = "2026-05-22T18:00:00+01:00";
    let d = decide(&referral(at, "unknown", "night_worker"), at);
    let review = d
        .obligations
        .iter()
        .find(|o| o.action == vigil::eval::Action::ManualReview)
        .unwrap_or_else(|| panic!("no manual review: {:#?}", ids(&d)));
    let text = review.because.join(" ");
    assert!(
        text.contains("referral_day only when not out_of_hours"),
        "{text}"
    );
    assert!(
        text.contains("referral_night only when out_of_hours"),
        "{text}"
    );
    assert!(d.obligations.iter().all(|o| !o.id.ends_with("/screen")));
    // In office hours the day pathway takes it whatever the urgency.
    let at = "2026-05-22T10:00:00+01:00";
    let d = decide(&referral(at, "unknown", "duty_worker"), at);
    assert!(d
        .obligations
        .iter()
        .all(|o| o.action != vigil::eval::Action::ManualReview));
}

#[test]
fn conditions_test_the_reporter_and_attributes() {
    let at = "2026-11-24T10:00:00Z";
    let concern = |by: &str, about: &str| {
        format!(
            "  - {{ id: c, at: \"{at}\", person: R-2, kind: concern, by: {by}, attributes: {{ about: {about} }} }}\n"
        )
    };
    let d = decide(&concern("night_worker", "not_seen"), "2026-11-24T10:01:00Z");
    let status = |d: &Decision, step: &str| {
        d.obligations
            .iter()
            .find(|o| o.id.ends_with(&format!("/{step}")))
            .map(|o| o.status)
            .unwrap_or_else(|| panic!("no {step}: {:#?}", ids(d)))
    };
    assert_eq!(status(&d, "tell_night"), Status::Due);
    assert_eq!(status(&d, "tell"), Status::NotRequired);
    assert_eq!(status(&d, "welfare_check"), Status::Due);
    assert_eq!(status(&d, "social_care"), Status::NotRequired);
    let d = decide(
        &concern("duty_worker", "unsafe_home"),
        "2026-11-24T10:01:00Z",
    );
    assert_eq!(status(&d, "tell"), Status::Due);
    assert_eq!(status(&d, "tell_night"), Status::NotRequired);
    assert_eq!(status(&d, "social_care"), Status::Due);
}

#[test]
fn a_declared_trigger_with_safety_unconfirmed_closes_when_the_person_is_found() {
    let events = "  - { id: c, at: \"2026-11-24T10:00:00Z\", person: R-2, kind: concern, by: duty_worker, attributes: { about: not_seen } }\n  - { at: \"2026-11-24T10:20:00Z\", person: R-2, kind: whereabouts_confirmed, by: team_leader }\n";
    let d = decide(events, "2026-11-24T10:30:00Z");
    let check = d
        .obligations
        .iter()
        .find(|o| o.id.ends_with("/welfare_check"))
        .expect("welfare check");
    assert_eq!(check.status, Status::NotRequired, "{:?}", check.because);
}

#[test]
fn the_floor_proves_escalation_on_every_path_and_names_the_one_that_escapes() {
    // Drop the unsafe-home escalation: a concern about an unsafe home then never leaves the
    // provider, and the message says which attribute value escapes.
    let text = FRAMEWORK.replace(
        "    step social_care: escalate to adult_social_care by team_leader within 1h when about is unsafe_home\n",
        "",
    );
    let checked = vigil::check::check(&[Source::new("f.vigil", text)]);
    let e015 = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E015")
        .unwrap_or_else(|| panic!("no E015: {:#?}", checked.diagnostics));
    assert!(
        e015.message.contains("`welfare_check` does not apply"),
        "{}",
        e015.message
    );
    // Scoped `to statutory` only, the 101 call no longer meets it.
    let text = FRAMEWORK.replace("to statutory, non_emergency", "to statutory");
    let checked = vigil::check::check(&[Source::new("f.vigil", text)]);
    assert!(checked
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "E015"));
    // And unwritten, no floor holds.
    let text = FRAMEWORK.replace(
        "    require external_escalation on concern to statutory, non_emergency\n",
        "",
    );
    let checked = vigil::check::check(&[Source::new("f.vigil", text)]);
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `next_change` is exact for referrals taken by the day or the night pathway.
    #[test]
    fn next_change_is_exact_for_declared_triggers(minute in 0u32..(7 * 24 * 60), urgent in any::<bool>(), later in 0u32..180) {
        let start = chrono::DateTime::parse_from_rfc3339("2026-05-20T00:00:00Z").expect("instant")
            + chrono::Duration::minutes(i64::from(minute));
        let urgency = if urgent { "urgent" } else { "routine" };
        let events = referral(&start.to_rfc3339(), urgency, "duty_worker");
        let now = (start + chrono::Duration::minutes(i64::from(later))).to_rfc3339();
        let answer = |d: &Decision| -> Vec<String> {
            d.obligations.iter().map(|o| format!("{} {:?} {:?}", o.id, o.status, o.due)).collect()
        };
        common::next_change_is_exact(|at| decide(&events, at), answer, &now)
            .map_err(TestCaseError::fail)?;
    }
}

/// The episodes of the bundled self-neglect pathway (`on refusal repeated 3 times within
/// 7d`, protocols/supported-living) opened by refusals of S-1 at each instant given, with
/// the record ending at `at`: the instant each opened.
fn self_neglect_openings(refusals: &[&str], at: &str) -> Vec<String> {
    let rules = common::bundled_rules();
    let mut events = String::from(
        "  - { id: plan, at: \"2026-12-01T12:00:00Z\", person: S-1, kind: visit_planned, visit: V1,\n      planned: \"2027-03-01T09:00:00Z\", criticality: standard }\n",
    );
    for (i, r) in refusals.iter().enumerate() {
        events.push_str(&format!(
            "  - {{ id: r{i}, at: \"{r}\", person: S-1, kind: refusal, by: support_worker, task: lunch }}\n"
        ));
    }
    let tl = Timeline::load(
        &format!("events:\n{events}"),
        Format::Yaml,
        "t.yaml",
        &rules,
    )
    .unwrap_or_else(|e| panic!("timeline loads: {e:?}"));
    let d = rules.evaluate(&tl, at.parse().expect("instant"));
    let mut opened: Vec<String> = d
        .obligations
        .iter()
        .filter(|o| o.id.contains("/self_neglect/"))
        .filter_map(|o| o.id.split('/').nth(2).map(str::to_string))
        .collect();
    opened.dedup();
    opened
        .into_iter()
        .map(|key| {
            let n: usize = key
                .trim_start_matches('r')
                .trim_end_matches(":repeat")
                .parse()
                .unwrap_or_else(|_| panic!("key {key}"));
            refusals[n].to_string()
        })
        .collect()
}

/// Worked by hand from decision.md ("Episodes"): a pattern opens on the 3rd refusal inside
/// 7 days; after that, only when 3 more (after the refusal that opened it) fall inside 7
/// days. Daily refusals at 18:05 from Mon 14 Dec: the 3rd (Wed 16) opens it, then the 6th
/// (Sat 19): not once a week, as it did when an opening blocked every later one until it
/// left the window (found by a docs-only tester).
#[test]
fn a_pattern_opens_again_after_as_many_new_triggers() {
    let daily: Vec<String> = (14..=21)
        .map(|d| format!("2026-12-{d}T18:05:00Z"))
        .collect();
    let daily: Vec<&str> = daily.iter().map(String::as_str).collect();
    assert_eq!(
        self_neglect_openings(&daily, "2026-12-22T00:00:00Z"),
        [
            "2026-12-16T18:05:00Z",
            "2026-12-19T18:05:00Z",
            // Sun 20 and Mon 21 are two new ones: not yet three.
        ]
    );
}

/// A window holds its first second, as deadlines and governance windows do: refusals at
/// 10:00 on Mon 7, Thu 10 and Mon 14 Dec are within 7 days (exactly 7 × 24 hours from the
/// first to the third), so the third opens the pathway; a second later, it would not.
#[test]
fn a_pattern_window_holds_its_first_second() {
    let at = "2026-12-15T00:00:00Z";
    assert_eq!(
        self_neglect_openings(
            &[
                "2026-12-07T10:00:00Z",
                "2026-12-10T10:00:00Z",
                "2026-12-14T10:00:00Z"
            ],
            at
        ),
        ["2026-12-14T10:00:00Z"]
    );
    assert!(self_neglect_openings(
        &[
            "2026-12-07T10:00:00Z",
            "2026-12-10T10:00:00Z",
            "2026-12-14T10:00:01Z"
        ],
        at
    )
    .is_empty());
}

/// Worked by hand from decision.md step 5: a red flag during an open no-answer counts work
/// from the no-answer's start (a 999 call made moments before the fall is seen still counts),
/// but a notice counts only from its own step's start: the on-call manager told of the
/// no-answer at 21:05 has not been told of the fall seen at 21:10 (found by a docs-only
/// tester), so the emergency's `notify_on_call` is due at 21:10 and done only by the 21:12
/// notice.
#[test]
fn a_notice_before_a_red_flag_does_not_tell_of_it() {
    let rules = common::bundled_rules();
    let events = r#"events:
  - { id: plan, at: "2026-11-23T18:00:00Z", person: S-1, kind: visit_planned, visit: V1,
      planned: "2026-11-24T21:00:00Z", criticality: standard }
  - { id: na, at: "2026-11-24T21:02:00Z", person: S-1, visit: V1, kind: no_answer, by: support_worker }
  - { id: told, at: "2026-11-24T21:05:00Z", person: S-1, kind: notified, role: on_call_manager, by: support_worker }
  - { id: call, at: "2026-11-24T21:08:00Z", person: S-1, kind: agency_contacted, agency: emergency_services, by: support_worker }
  - { id: floor, at: "2026-11-24T21:10:00Z", person: S-1, kind: observation, what: person_seen_on_floor, by: support_worker }
  - { id: again, at: "2026-11-24T21:12:00Z", person: S-1, kind: notified, role: on_call_manager, by: support_worker }
"#;
    let tl = Timeline::load(events, Format::Yaml, "t.yaml", &rules)
        .unwrap_or_else(|e| panic!("timeline loads: {e:?}"));
    let duty = |at: &str, id: &str| {
        let d = rules.evaluate(&tl, at.parse().expect("instant"));
        d.obligations
            .into_iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let notify = duty("2026-11-24T21:11:00Z", "S-1/emergency/floor/notify_on_call");
    assert_eq!(notify.status, Status::Due, "{:?}", notify.because);
    let notify = duty("2026-11-24T21:13:00Z", "S-1/emergency/floor/notify_on_call");
    assert_eq!(
        notify.done_at,
        Some("2026-11-24T21:12:00Z".parse().expect("instant"))
    );
    // The 999 call made before the fall was seen still does the emergency's call.
    let call = duty("2026-11-24T21:11:00Z", "S-1/emergency/floor/call_999");
    assert_eq!(
        call.done_at,
        Some("2026-11-24T21:08:00Z".parse().expect("instant"))
    );
}
