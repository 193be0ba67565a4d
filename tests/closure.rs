//! Closure is exact (issue 9): nothing starts after an episode closes; only its after-closure
//! duties are new.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::Status;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

mod common;

const FRAMEWORK: &str = r#"
framework "Closure" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags person_seen_on_floor
  log records "Care records"
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step tell: notify duty_manager by support_worker within 15m
    step out: escalate to adult_social_care by duty_manager within 1h after tell
    step note: record records by duty_manager within 30m after tell
    step keep_notes: record records by support_worker
    step wait: stay by support_worker until released
    after closure {
      step incident: record records by support_worker within 1h
    }
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
}
"#;

fn decide(events: &str, at: &str) -> vigil::eval::Decision {
    let rules = vigil::compile(&[Source::new("f.vigil", FRAMEWORK)]).expect("framework checks");
    let text = format!(
        "events:\n  - {{ at: \"2026-11-24T10:00:00Z\", person: P-9, kind: visit_planned, visit: V, planned: \"2026-11-24T10:00:00Z\", criticality: routine }}\n  - {{ at: \"2026-11-24T10:05:00Z\", person: P-9, kind: no_answer, visit: V, by: support_worker }}\n{events}"
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

/// The duty of the step whose id ends with `step`.
fn duty<'d>(d: &'d vigil::eval::Decision, step: &str) -> &'d vigil::eval::Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.ends_with(step))
        .unwrap_or_else(|| panic!("no {step} in {:#?}", d.obligations))
}

fn status(d: &vigil::eval::Decision, step: &str) -> Status {
    duty(d, step).status
}

#[test]
fn a_step_after_one_the_closure_ended_never_starts() {
    // Found at 10:10, before `tell` was due (10:20): `tell` is no longer required, so the
    // steps after it never start, and nothing is overdue hours later.
    let found = "  - { at: \"2026-11-24T10:10:00Z\", person: P-9, kind: contact_established, by: support_worker }\n";
    let d = decide(found, "2026-11-24T12:00:00Z");
    assert_eq!(status(&d, "/tell"), Status::NotRequired);
    assert_eq!(status(&d, "/out"), Status::NotRequired);
    assert_eq!(status(&d, "/note"), Status::NotRequired);
    // The after-closure duty is the only new one, and the only one overdue (due 11:10).
    assert_eq!(status(&d, "/after-closure/incident"), Status::Overdue);
    let overdue: Vec<&str> = d
        .obligations
        .iter()
        .filter(|o| o.status == Status::Overdue)
        .map(|o| &*o.id)
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    // Nothing else changes until the embedded bank-holiday data runs out (after 2027), when a
    // note says so.
    assert_eq!(
        d.next_change,
        Some("2028-01-01T00:00:00Z".parse().expect("instant"))
    );
}

#[test]
fn a_record_started_before_closure_stands() {
    // `tell` done at 10:08 starts `note` (record) at 10:08, before the closure at 10:10: it
    // stands, due 10:38; the escalation it started is ended by the closure.
    let events = "  - { at: \"2026-11-24T10:08:00Z\", person: P-9, kind: notified, role: duty_manager, by: support_worker }\n  - { at: \"2026-11-24T10:10:00Z\", person: P-9, kind: contact_established, by: support_worker }\n";
    let d = decide(events, "2026-11-24T10:30:00Z");
    assert_eq!(status(&d, "/tell"), Status::Done);
    assert_eq!(status(&d, "/note"), Status::Due);
    assert_eq!(status(&d, "/out"), Status::NotRequired);
}

#[test]
fn a_duty_with_no_deadline_is_open_until_done_and_ends_with_the_episode() {
    // Untimed: open, never overdue, however long it waits.
    let d = decide("", "2026-11-24T18:00:00Z");
    assert_eq!(status(&d, "/keep_notes"), Status::Open);
    let o = duty(&d, "/keep_notes");
    assert_eq!((o.due, o.late_by_seconds), (None, None));
    // The episode closing ends it, record or not.
    let found = "  - { at: \"2026-11-24T10:10:00Z\", person: P-9, kind: contact_established, by: support_worker }\n";
    let d = decide(found, "2026-11-24T18:00:00Z");
    assert_eq!(status(&d, "/keep_notes"), Status::NotRequired);
}

#[test]
fn a_stay_is_open_until_someone_senior_releases_the_worker() {
    // A worker cannot release themselves; the duty manager's release at 10:40 ends the stay.
    let events = "  - { at: \"2026-11-24T10:30:00Z\", person: P-9, kind: released, by: support_worker }\n  - { at: \"2026-11-24T10:40:00Z\", person: P-9, kind: released, by: duty_manager }\n";
    let d = decide(events, "2026-11-24T10:35:00Z");
    assert_eq!(status(&d, "/wait"), Status::Open);
    let wait = duty(&d, "/wait");
    assert_eq!(&*wait.summary, "Stay until released");
    let d = decide(events, "2026-11-24T11:00:00Z");
    let wait = duty(&d, "/wait");
    assert_eq!(wait.status, Status::Done);
    assert_eq!(
        wait.done_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T10:40:00+00:00")
    );
}

#[test]
fn work_recorded_after_a_duty_ended_does_not_do_it() {
    // The notice was due 10:20; the person was found at 10:10; the notice given at 10:15
    // came after the duty ended, so it is not its `done_at`.
    let events = "  - { at: \"2026-11-24T10:10:00Z\", person: P-9, kind: contact_established, by: support_worker }\n  - { at: \"2026-11-24T10:15:00Z\", person: P-9, kind: notified, role: duty_manager, by: support_worker }\n";
    let d = decide(events, "2026-11-24T10:30:00Z");
    let tell = duty(&d, "/tell");
    assert_eq!((tell.status, tell.done_at), (Status::NotRequired, None));
}

/// What a decision says, leaving out how long overdue duties have been overdue (that grows
/// every second, and is not a change of the answer).
fn answer(d: &vigil::eval::Decision) -> Vec<String> {
    let mut out: Vec<String> = d
        .obligations
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, o.role
            )
        })
        .collect();
    out.extend(d.visits.iter().map(|v| format!("{} {:?}", v.id, v.state)));
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(120))]

    /// `next_change` is exact, across closure too: with the events up to `as_of` (the no-answer
    /// at 10:05 among them), nothing in the answer changes before it,
    /// and something does at it; with none, nothing changes days later.
    #[test]
    fn next_change_is_exact(
        told in proptest::option::of(6u32..90),
        found in proptest::option::of(6u32..120),
        noted in proptest::option::of(6u32..120),
        released in proptest::option::of(6u32..150),
        as_of in 5u32..200,
    ) {
        // Only events up to `as_of`: a later one is a new event, which `next_change` does not
        // foresee.
        let (told, found, noted, released) = (
            told.filter(|m| *m <= as_of),
            found.filter(|m| *m <= as_of),
            noted.filter(|m| *m <= as_of),
            released.filter(|m| *m <= as_of),
        );
        let mut events = String::new();
        let at = |m: u32| format!("2026-11-24T{:02}:{:02}:00Z", 10 + m / 60, m % 60);
        if let Some(m) = told {
            events.push_str(&format!("  - {{ at: \"{}\", person: P-9, kind: notified, role: duty_manager, by: support_worker }}\n", at(m)));
        }
        if let Some(m) = found {
            events.push_str(&format!("  - {{ at: \"{}\", person: P-9, kind: contact_established, by: support_worker }}\n", at(m)));
        }
        if let Some(m) = noted {
            events.push_str(&format!("  - {{ at: \"{}\", person: P-9, kind: record_made, log: records, by: duty_manager }}\n", at(m)));
        }
        if let Some(m) = released {
            events.push_str(&format!("  - {{ at: \"{}\", person: P-9, kind: released, by: duty_manager }}\n", at(m)));
        }
        let now = at(as_of);
        let checked = common::next_change_is_exact(|at| decide(&events, at), answer, &now);
        proptest::prop_assert!(checked.is_ok(), "{:?}", checked);
    }
}

/// A record counted from a step closure ended (`within 20m of out`, with `out` never started)
/// can never fall due: it ends with the episode, not_required, rather than waiting forever as
/// `upcoming` (found by a docs-only tester on P-0217's `log_family_call`).
#[test]
fn a_record_counted_from_a_step_closure_ended_ends_with_the_episode() {
    let framework = FRAMEWORK.replace(
        "    step keep_notes:",
        "    step log_out: record records by duty_manager within 20m of out\n    step keep_notes:",
    );
    let rules = vigil::compile(&[Source::new("f.vigil", framework)]).expect("framework checks");
    let text = "events:\n  - { at: \"2026-11-24T10:00:00Z\", person: P-9, kind: visit_planned, visit: V, planned: \"2026-11-24T10:00:00Z\", criticality: routine }\n  - { at: \"2026-11-24T10:05:00Z\", person: P-9, kind: no_answer, visit: V, by: support_worker }\n  - { at: \"2026-11-24T10:10:00Z\", person: P-9, kind: contact_established, by: support_worker }\n";
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    let d = rules.evaluate(&tl, "2026-12-10T00:00:00Z".parse().expect("instant"));
    let log = duty(&d, "/log_out");
    assert_eq!(log.status, Status::NotRequired, "{log:#?}");
    assert!(log.because.iter().any(|b| b.contains("episode closed")));
    // Done before closure, it would have stood: the rule only ends what can never fall due.
    assert_eq!(status(&d, "/out"), Status::NotRequired);
}

/// An `after closure` step may hand over: once the person is found, a harm judgement that
/// finds harm starts the serious-incident pathway (seed 002 §15). That episode is new work,
/// not part of the search: the search's closure does not end it, a later "found" does not
/// either, and it is not a search left unconfirmed. Worked by hand: no answer 10:00, found
/// 10:20 (closure), harm decided 11:00; the incident record (within 1 day) is due 11:00 on
/// Wednesday, the candour record (no deadline) open; at 12:00 after another "found" at
/// 11:30, the same.
#[test]
fn a_hand_over_after_closure_starts_its_pathway() {
    const FW: &str = r#"
framework "After" version 1 {
  role worker "Worker"
  role manager "Manager" covers worker
  log incident "Incident log"
  log candour "Candour record"
  agency asc "Adult social care" statutory
  threshold standard late 15m missed 30m
  decision harm "Harm?" outcomes harm, no_harm
  pathway no_response on no_answer {
    step tell: notify manager by worker within 15m
    step escalate: escalate to asc by manager within 1h
    after closure {
      step judge: decide harm by manager within 1d
      step follow_up: hand over to serious by manager after judge if harm
    }
  }
  pathway serious on hand_over {
    step si: record incident by manager within 1d
    step tell_person: record candour by manager
  }
}
"#;
    let rules = vigil::compile(&[Source::new("f.vigil", FW)]).expect("framework checks");
    let events = r#"
events:
  - { at: "2026-11-23T17:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-11-24T10:00:00Z", criticality: standard }
  - { id: na, at: "2026-11-24T10:00:00Z", person: P-1, kind: no_answer, visit: V1, by: worker }
  - { at: "2026-11-24T10:05:00Z", person: P-1, kind: notified, role: manager, by: worker }
  - { at: "2026-11-24T10:20:00Z", person: P-1, kind: whereabouts_confirmed, by: manager }
  - { at: "2026-11-24T11:00:00Z", person: P-1, kind: decided, decision: harm, outcome: harm, by: manager }
  - { at: "2026-11-24T11:30:00Z", person: P-1, kind: whereabouts_confirmed, by: manager }
"#;
    let tl = Timeline::load(events, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    let d = rules.evaluate(&tl, "2026-11-24T12:00:00Z".parse().expect("instant"));
    let find = |id: &str| {
        d.obligations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no {id} in {:?}", d.obligations))
    };
    let hand = find("P-1/no_response/na/after-closure/follow_up");
    assert_eq!(hand.status, Status::Done);
    let si = find("P-1/serious/na>follow_up/si");
    assert_eq!(si.status, Status::Due);
    assert_eq!(
        si.due,
        Some("2026-11-25T11:00:00Z".parse().expect("instant"))
    );
    assert_eq!(si.handed_over_from.as_deref(), Some("P-1/no_response/na"));
    assert_eq!(
        find("P-1/serious/na>follow_up/tell_person").status,
        Status::Open
    );
    assert!(
        d.obligations
            .iter()
            .all(|o| o.action != vigil::eval::Action::ManualReview),
        "{:?}",
        d.obligations
    );
}

/// A framework judging a refusal with the decision `risk`, its refusal pathway's steps
/// `steps` (one per line).
fn judged(steps: &str) -> String {
    format!(
        r#"
framework "Judged" version 1 {{
  role worker "Worker"
  role manager "Manager" covers worker
  threshold standard late 15m missed 30m
  decision risk "Does the refusal put the person at risk?" outcomes at_risk, not_at_risk
  pathway refusal on refusal {{
{steps}
  }}
}}
"#
    )
}

/// Under the framework `fw`, the events `events` at 15:00: how the refusal's judgement
/// (`P-1/refusal/ref/judge`) ended, and the notes about decided events.
fn judgement_and_notes(fw: &str, events: &str) -> (Option<String>, Vec<String>) {
    let rules = vigil::compile(&[Source::new("f.vigil", fw)]).expect("framework checks");
    let tl = Timeline::load(events, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    let d = rules.evaluate(&tl, "2026-11-24T15:00:00Z".parse().expect("instant"));
    let judge = d
        .obligations
        .iter()
        .find(|o| o.id == "P-1/refusal/ref/judge")
        .expect("the judgement");
    let notes = d
        .notes
        .iter()
        .filter(|n| n.starts_with("event "))
        .cloned()
        .collect();
    (judge.outcome.as_deref().map(str::to_string), notes)
}

/// A decision recorded that no step takes decides nothing, and a note says so, since whoever
/// recorded it believes it counts: a second, contrary judgement after the first (the first
/// decides, language.md §7.10), and one recorded before any step asked for it. Worked by
/// hand: refusal 14:00, judged not at risk 14:05 (taken), at risk 14:12 (a note: after
/// 14:05), at risk 09:00 (a note: nothing waiting).
#[test]
fn a_decision_no_step_takes_is_noted() {
    let fw = judged(
        "    step judge: decide risk by worker within 15m
    step tell: notify manager by worker within 15m after judge if at_risk, overdue",
    );
    let events = r#"
events:
  - { at: "2026-11-24T13:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-11-24T14:00:00Z", criticality: standard }
  - { id: early, at: "2026-11-24T09:00:00Z", person: P-1, kind: decided, decision: risk, outcome: at_risk, by: worker }
  - { id: ref, at: "2026-11-24T14:00:00Z", person: P-1, kind: refusal, visit: V1, by: worker }
  - { id: first, at: "2026-11-24T14:05:00Z", person: P-1, kind: decided, decision: risk, outcome: not_at_risk, by: worker }
  - { id: second, at: "2026-11-24T14:12:00Z", person: P-1, kind: decided, decision: risk, outcome: at_risk, by: manager }
"#;
    let (outcome, notes) = judgement_and_notes(&fw, events);
    assert_eq!(outcome.as_deref(), Some("not_at_risk"));
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("event early records `risk` as at risk at 09:00 Tue 24 Nov, but no step of an episode of P-1 was waiting for that decision then"),
        "{notes:?}"
    );
    assert!(
        notes[1].starts_with("event second records `risk` as at risk at 14:12 Tue 24 Nov, after event first had decided it at 14:05 Tue 24 Nov: the first record decides"),
        "{notes:?}"
    );
}

/// A decision shared `by any of` two roles is made by the voice that completes it: the note
/// on a later, stray record names that voice, not the first one heard (found by a docs-only
/// tester). Worked by hand (language.md §7.10): not at risk from the worker 14:05 (a voice;
/// `not_at_risk` is not the first outcome, so it waits for the manager), at risk from the
/// manager 14:08 (the first outcome: decided then), not at risk from a senior 14:12 (stray:
/// after 14:08).
#[test]
fn a_stray_record_of_a_shared_decision_names_the_voice_that_decided_it() {
    const FW: &str = r#"
framework "Judged" version 1 {
  role worker "Worker"
  role manager "Manager" covers worker
  role senior "Senior"
  threshold standard late 15m missed 30m
  decision risk "Does the refusal put the person at risk?" outcomes at_risk, not_at_risk
  pathway refusal on refusal {
    step judge: decide risk by any of worker, manager within 15m
  }
}
"#;
    let events = r#"
events:
  - { at: "2026-11-24T13:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-11-24T14:00:00Z", criticality: standard }
  - { id: ref, at: "2026-11-24T14:00:00Z", person: P-1, kind: refusal, visit: V1, by: worker }
  - { id: voice, at: "2026-11-24T14:05:00Z", person: P-1, kind: decided, decision: risk, outcome: not_at_risk, by: worker }
  - { id: decides, at: "2026-11-24T14:08:00Z", person: P-1, kind: decided, decision: risk, outcome: at_risk, by: manager }
  - { id: stray, at: "2026-11-24T14:12:00Z", person: P-1, kind: decided, decision: risk, outcome: not_at_risk, by: senior }
"#;
    let (outcome, notes) = judgement_and_notes(FW, events);
    assert_eq!(outcome.as_deref(), Some("at_risk"));
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("event stray records `risk` as not at risk at 14:12 Tue 24 Nov, after event decides had decided it at 14:08 Tue 24 Nov"),
        "{notes:?}"
    );
}

/// A pathway handed over to is part of a search only when the episode handing over is: an
/// at-risk refusal's follow-up that ends with no way forward is not "a person's safety
/// unconfirmed" (the person was seen at the refusal), so it raises no manual review; the
/// same follow-up handed over to from a no-answer does. By hand: the concern is decided
/// `no_concern` at 09:00, which no step follows; the review would be due 09:05.
#[test]
fn a_hand_over_is_a_search_only_when_the_episode_handing_over_is() {
    let fw = |on: &str| {
        format!(
            r#"
framework "Search" version 1 {{
  immediately means 5m
  role worker "Worker"
  role manager "Manager" covers worker
  agency asc "Adult social care" statutory
  threshold standard late 15m missed 30m
  decision risk "At risk?" outcomes at_risk, not_at_risk
  decision concern "A concern?" outcomes concern, no_concern
  pathway first on {on} {{
    step judge: decide risk by worker within 15m
    step worried: hand over to at_risk by worker after judge if at_risk, overdue
    step out: escalate to asc by manager within 2h
  }}
  pathway at_risk on hand_over {{
    step look: decide concern by manager within 1h
    step refer: notify manager by worker within 15m after look if concern
  }}
}}
"#
        )
    };
    let reviews = |on: &str, kind: &str| {
        let rules = vigil::compile(&[Source::new("f.vigil", fw(on))]).expect("framework checks");
        let events = format!(
            r#"
events:
  - {{ at: "2026-11-24T07:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-11-24T08:00:00Z", criticality: standard }}
  - {{ id: t, at: "2026-11-24T08:00:00Z", person: P-1, kind: {kind}, visit: V1, by: worker }}
  - {{ at: "2026-11-24T08:05:00Z", person: P-1, kind: decided, decision: risk, outcome: at_risk, by: worker }}
  - {{ at: "2026-11-24T08:30:00Z", person: P-1, kind: agency_contacted, agency: asc, by: manager }}
  - {{ at: "2026-11-24T09:00:00Z", person: P-1, kind: decided, decision: concern, outcome: no_concern, by: manager }}
"#
        );
        let tl = Timeline::load(&events, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
        let d = rules.evaluate(&tl, "2026-11-24T09:30:00Z".parse().expect("instant"));
        d.obligations
            .iter()
            .filter(|o| {
                o.action == vigil::eval::Action::ManualReview
                    && o.summary.contains("safety is unconfirmed")
            })
            .map(|o| o.due)
            .collect::<Vec<_>>()
    };
    assert!(reviews("refusal", "refusal").is_empty());
    assert_eq!(
        reviews("no_answer", "no_answer"),
        vec![Some("2026-11-24T09:05:00Z".parse().expect("instant"))]
    );
}

/// A decision recorded by someone the waiting step's role is not covered by decides nothing,
/// and the note says why: not "no step was waiting" (found by a docs-only tester: that sent
/// the manager after the wrong fault). Worked by hand: refusal 14:00, `judge` (the manager's)
/// waits from 14:00; the worker records at risk at 14:05 (a note: the worker does not cover
/// the manager); the manager records not at risk at 14:10, which decides.
#[test]
fn a_decision_recorded_by_someone_who_may_not_take_it_says_so() {
    let fw = judged("    step judge: decide risk by manager within 15m");
    let events = r#"
events:
  - { at: "2026-11-24T13:00:00Z", person: P-1, kind: visit_planned, visit: V1, planned: "2026-11-24T14:00:00Z", criticality: standard }
  - { id: ref, at: "2026-11-24T14:00:00Z", person: P-1, kind: refusal, visit: V1, by: worker }
  - { id: junior, at: "2026-11-24T14:05:00Z", person: P-1, kind: decided, decision: risk, outcome: at_risk, by: worker }
  - { id: decides, at: "2026-11-24T14:10:00Z", person: P-1, kind: decided, decision: risk, outcome: not_at_risk, by: manager }
"#;
    let (outcome, notes) = judgement_and_notes(&fw, events);
    assert_eq!(outcome.as_deref(), Some("not_at_risk"));
    assert_eq!(
        notes,
        ["event junior records `risk` as at risk at 14:05 Tue 24 Nov, but `judge`, waiting for that decision then, is the manager's to take, and the worker does not cover the manager: it decides nothing"],
    );
}
