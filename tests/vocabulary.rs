//! The framework's closed vocabularies at evaluation: a `check` is done only by what it names
//! (or a member of the group it names), a red flag named as a group fires on any member, a
//! step on a fact applies only to a person recorded with it, a method a need rules out inside
//! a calendar does not count there, and a timeline may record only declared names.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::Status;
use vigil::timeline::{ErrorCode, Format, Timeline};
use vigil::Source;

const FRAMEWORK: &str = r#"
framework "Words" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role manager "Manager" covers support_worker
  calendar night_time "Night-time" { daily 20:00-08:00 }
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  log records "Records"
  threshold routine late 15m missed 30m
  observations surroundings: lights_on, post_piling_up
  observations danger: person_seen_on_floor, smell_of_gas
  observations key_safe_contents: key_in_key_safe, key_missing_from_key_safe
  red_flags danger
  communication no_phone_at_night "No phone calls at night" rules out phone in night_time
  results red_risk, green_risk
  facts key_safe
  risks falls
  pathway no_response on no_answer {
    step look: check surroundings by support_worker within 5m
    step keys: check key_safe_contents by support_worker within 20m when has key_safe
    step call: attempt contact via phone 2 times by support_worker within 30m
    step tell: notify manager by support_worker within 15m
    step out: escalate to adult_social_care by manager within 1h
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
}
"#;

const PROTOCOL: &str = r#"
protocol "P-1" under "Words" version 1 {
  person {
    communication no_phone_at_night "woken and frightened by a phone at night"
    has key_safe "by the front door"
  }
  methods door
}
"#;

fn rules() -> vigil::rules::RuleSet {
    vigil::compile(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", PROTOCOL),
    ])
    .expect("rules check")
}

fn decision(events: &str, at: &str) -> vigil::eval::Decision {
    let rules = rules();
    let text = format!("events:\n{events}");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

fn duty<'d>(d: &'d vigil::eval::Decision, ends: &str) -> &'d vigil::eval::Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.ends_with(ends))
        .unwrap_or_else(|| panic!("no duty ending `{ends}` in {:#?}", d.obligations))
}

/// No answer at 10:00 (a Tuesday, in daylight) for P-1, then `more`.
fn no_answer_then(person: &str, more: &str) -> String {
    format!(
        "  - {{ id: plan, at: \"2026-11-24T08:00:00Z\", person: {person}, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: routine }}\n  - {{ id: na, at: \"2026-11-24T10:00:00Z\", person: {person}, visit: V1, kind: no_answer, by: support_worker }}\n{more}"
    )
}

#[test]
fn a_check_is_done_by_a_member_of_its_group_and_not_by_another_observation() {
    let events = no_answer_then(
        "P-1",
        "  - { id: o1, at: \"2026-11-24T10:01:00Z\", person: P-1, kind: observation, what: lights_on, by: support_worker }\n",
    );
    let d = decision(&events, "2026-11-24T10:04:00Z");
    assert_eq!(duty(&d, "/look").status, Status::Done);
    assert_eq!(
        duty(&d, "/keys").status,
        Status::Due,
        "lights on says nothing about the key safe"
    );
    let events = format!(
        "{events}  - {{ id: o2, at: \"2026-11-24T10:06:00Z\", person: P-1, kind: observation, what: key_missing_from_key_safe, by: support_worker }}\n"
    );
    let d = decision(&events, "2026-11-24T10:07:00Z");
    assert_eq!(duty(&d, "/keys").status, Status::Done);
}

#[test]
fn a_red_flag_named_as_a_group_fires_on_any_of_its_members() {
    let events = no_answer_then(
        "P-1",
        "  - { id: gas, at: \"2026-11-24T10:02:00Z\", person: P-1, kind: observation, what: smell_of_gas, by: support_worker }\n",
    );
    let d = decision(&events, "2026-11-24T10:03:00Z");
    let call = duty(&d, "/call_999");
    assert_eq!(call.status, Status::Due);
    assert_eq!(
        call.due.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T10:07:00+00:00")
    );
}

#[test]
fn a_step_on_a_fact_applies_only_to_a_person_recorded_with_it() {
    // P-2 has no protocol, so no fact about their home is recorded.
    let d = decision(&no_answer_then("P-2", ""), "2026-11-24T10:04:00Z");
    assert_eq!(duty(&d, "/keys").status, Status::NotRequired);
    let d = decision(&no_answer_then("P-1", ""), "2026-11-24T10:04:00Z");
    assert_eq!(duty(&d, "/keys").status, Status::Due);
}

/// No answer at 19:50, then two phone calls at `first` and `second` (local times on the same
/// evening, GMT).
fn calls(first: &str, second: &str) -> String {
    format!(
        "  - {{ id: plan, at: \"2026-11-24T08:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T19:50:00Z\", criticality: routine }}\n  - {{ id: na, at: \"2026-11-24T19:50:00Z\", person: P-1, visit: V1, kind: no_answer, by: support_worker }}\n  - {{ id: c1, at: \"2026-11-24T{first}:00Z\", person: P-1, kind: contact_attempt, method: phone, by: support_worker }}\n  - {{ id: c2, at: \"2026-11-24T{second}:00Z\", person: P-1, kind: contact_attempt, method: phone, by: support_worker }}\n"
    )
}

#[test]
fn a_phone_call_inside_the_calendar_a_need_names_does_not_count() {
    let d = decision(&calls("19:52", "19:58"), "2026-11-24T20:30:00Z");
    let call = duty(&d, "/call");
    // Both attempts were made and nobody answered: the duty is done, with no answer.
    assert_eq!(call.status, Status::Done);
    assert_eq!(call.outcome.as_deref(), Some("no_answer"));
    assert_eq!(
        call.done_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T19:58:00+00:00")
    );

    let d = decision(&calls("19:52", "20:05"), "2026-11-24T20:30:00Z");
    let call = duty(&d, "/call");
    assert_eq!(call.status, Status::Overdue, "{call:#?}");
    assert!(
        call.because
            .iter()
            .any(|b| b.contains("1 of 2 attempts made") && b.contains("no_phone_at_night")),
        "{call:#?}"
    );
}

#[test]
fn a_timeline_records_only_what_the_framework_declares() {
    let rules = rules();
    let load = |event: &str| {
        Timeline::load(
            &format!("events:\n{}", no_answer_then("P-1", event)),
            Format::Yaml,
            "t.yaml",
            &rules,
        )
    };
    let misspelt = load("  - { at: \"2026-11-24T10:01:00Z\", person: P-1, kind: observation, what: Lights_On, by: support_worker }\n");
    let errors = misspelt.expect_err("a misspelt observation is refused");
    assert_eq!(errors[0].code, ErrorCode::UnknownValue);
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `lights_on`?"));

    let result = load("  - { at: \"2026-11-24T12:00:00Z\", person: P-1, kind: record_made, log: records, result: amber_risk, by: manager }\n");
    let errors = result.expect_err("an undeclared result is refused, not dropped");
    assert_eq!(errors[0].code, ErrorCode::UnknownValue);
    assert!(errors[0].message.contains("amber_risk"));
}

#[test]
fn a_need_the_framework_does_not_declare_is_refused_with_a_suggestion() {
    let protocol = PROTOCOL.replace(
        "communication no_phone_at_night",
        "communication no_phone_at_nigth",
    );
    let checked = vigil::check::check(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", protocol),
    ]);
    let finding = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E028")
        .expect("E028");
    assert_eq!(finding.help, "did you mean `no_phone_at_night`?");
}
