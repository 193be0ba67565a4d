//! Procedure flow (issue 9): steps end done, failed with an outcome, or decided; branches
//! follow those ends the moment they happen; cascades run out; shared decisions; hand-overs;
//! the closure rule per step; and the procedure never stops silently.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::{Decision, Obligation, Status};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

mod common;

const FRAMEWORK: &str = r#"
framework "Flow" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role responder "Responder"
  role duty_manager "Duty manager" covers support_worker
  role on_call_manager "On-call manager" covers support_worker
  agency emergency_services "Emergency services (999)" emergency
  agency police "Police" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags person_seen_on_floor
  log records "Care records"
  class next_of_kin "Next of kin"
  class key_holders "Key holders"
  decision visit_needed "Is a visit needed?" outcomes needed, not_needed
  decision close_case "May the case be closed?" outcomes close, keep_open
  observations surroundings: lights_on, curtains_open
  calendar office_hours { Mon-Fri 09:00-17:00 }
  threshold routine late 15m missed 30m after planned start
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
}
"#;

const PROTOCOL: &str = r#"
protocol "P-1" under "Flow" version 1 {
  person { capacity full "assessed 2026-10-01" }
  methods phone
  contact daughter "Daughter" family { in next_of_kin  basis consent "agreed 2026-10-01" }
  contact jim "Jim (neighbour)" neighbour { in key_holders  basis consent "agreed 2026-10-01" }
  contact ann "Ann (neighbour)" neighbour { in key_holders  basis consent "agreed 2026-10-01" }
  contact bob "Bob (neighbour)" neighbour { in key_holders  basis consent "agreed 2026-10-01" }

  pathway chain "Chain of calls" on no_answer {
    step call: attempt contact 2 times every 5m by support_worker within 15m
    step kin: contact next_of_kin by support_worker within 10m after call if no_answer
    step keys: contact key_holders by support_worker within 30m after kin if failed
    step police: escalate to police by support_worker immediately after keys if failed
    step tell: notify duty_manager by support_worker within 20m
    step tell_on_call: notify on_call_manager by support_worker within 10m after tell if failed
    step judge: decide visit_needed by any of support_worker, responder within 1h after keys if done
    step go: hand over to missing by support_worker after judge if needed
    step stand_down: record records by support_worker within 1h after judge otherwise
    step note: record records by support_worker within 2h on closure ends
  }
  pathway missing "Missing person" on hand_over {
    step report: escalate to police by support_worker within 10m
    step wait: stay by support_worker until released
  }
  pathway refused "Refusal" on refusal {
    step agree: decide close_case by all of support_worker, responder within 30m
    step reopen: notify duty_manager by support_worker immediately after agree if keep_open
    step look_in: check surroundings by support_worker within 20m when not observed lights_on
    step seen_before: notify duty_manager by support_worker within 10m
         when observed curtains_open within 2h before
  }
  pathway alert "Alert" on at_alert {
    step risk: decide visit_needed by any of support_worker, duty_manager within 30m
    step out: escalate to adult_social_care by duty_manager within 1h
    step tell_night: notify on_call_manager by support_worker within 10m after risk
         when out_of_hours judged at start
    step tell_day: notify duty_manager by support_worker within 10m after risk
         when not out_of_hours judged at start
    step tell_as_at_alert: notify duty_manager by support_worker within 10m after risk
         when not out_of_hours
  }
}
"#;

fn decide(events: &str, at: &str) -> Decision {
    let rules = vigil::compile(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", PROTOCOL),
    ])
    .unwrap_or_else(|e| panic!("rules check: {e:#?}"));
    let text = format!(
        "events:\n  - {{ id: na, at: \"2026-11-24T10:00:00Z\", person: P-1, kind: no_answer, by: support_worker }}\n{events}"
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules)
        .unwrap_or_else(|e| panic!("timeline loads: {e:#?}"));
    rules.evaluate(&tl, at.parse().expect("instant"))
}

fn ev(at: &str, rest: &str) -> String {
    format!("  - {{ at: \"2026-11-24T{at}:00Z\", person: P-1, {rest} }}\n")
}

fn two_unanswered_calls() -> String {
    ev(
        "10:02",
        "kind: contact_attempt, method: phone, by: support_worker",
    ) + &ev(
        "10:07",
        "kind: contact_attempt, method: phone, by: support_worker",
    )
}

/// The person does not answer, nor the daughter (10:09); Jim, the first key holder, answers
/// at 10:12.
fn jim_answers() -> String {
    two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:12",
            "kind: contact_made, contact: jim, by: support_worker",
        )
}

/// The duty whose id ends with `step`.
fn duty<'d>(d: &'d Decision, step: &str) -> &'d Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.ends_with(step))
        .unwrap_or_else(|| panic!("no {step} in {:#?}", d.obligations))
}

fn utc(hm: &str) -> Option<vigil::time::Instant> {
    Some(format!("2026-11-24T{hm}:00Z").parse().expect("instant"))
}

#[test]
fn a_chain_moves_on_the_moment_a_call_fails() {
    let d = decide(&two_unanswered_calls(), "2026-11-24T10:08:00Z");
    let call = duty(&d, "/call");
    assert_eq!(call.status, Status::Done);
    assert_eq!(call.outcome.as_deref(), Some("no_answer"));
    // The next of kin is due 10 minutes after the second unanswered call, not after the
    // attempts' deadline.
    let kin = duty(&d, "/kin");
    assert_eq!(
        (kin.opened_at, kin.due),
        (utc("10:07").expect("t"), utc("10:17"))
    );
    assert_eq!(kin.status, Status::Due);

    let events = two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, outcome: no_answer, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:10:00Z");
    let kin = duty(&d, "/kin");
    assert_eq!(kin.status, Status::Failed);
    assert_eq!(kin.outcome.as_deref(), Some("no_answer"));
    assert_eq!(duty(&d, "/keys").due, utc("10:39"));
}

#[test]
fn a_cascade_stops_when_the_second_key_holder_answers() {
    let events = two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:12",
            "kind: contact_made, contact: jim, outcome: not_available, by: support_worker",
        )
        + &ev(
            "10:15",
            "kind: contact_made, contact: ann, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:16:00Z");
    let keys = duty(&d, "/keys");
    assert_eq!((keys.status, keys.done_at), (Status::Done, utc("10:15")));
    assert_eq!(duty(&d, "/police").status, Status::NotRequired);
    // The decision after a reached key holder starts then.
    assert_eq!(duty(&d, "/judge").due, utc("11:15"));
}

#[test]
fn when_every_key_holder_fails_the_police_are_called_at_once() {
    let events = two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:12",
            "kind: contact_made, contact: jim, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:14",
            "kind: contact_made, contact: ann, outcome: not_available, by: support_worker",
        )
        + &ev(
            "10:16",
            "kind: contact_made, contact: bob, outcome: no_key, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:17:00Z");
    let keys = duty(&d, "/keys");
    assert_eq!(
        (keys.status, keys.outcome.as_deref()),
        (Status::Failed, Some("no_key"))
    );
    let police = duty(&d, "/police");
    assert_eq!(
        (police.opened_at, police.due),
        (utc("10:16").expect("t"), utc("10:21"))
    );
}

#[test]
fn a_failure_no_branch_takes_leaves_the_duty_to_do() {
    // `report` (the missing-person pathway's call to the police) has no branch after it:
    // an unanswered call to the police leaves it to do.
    let events = jim_answers()
        + &ev(
            "10:20",
            "kind: decided, decision: visit_needed, outcome: needed, by: responder",
        )
        + &ev(
            "10:22",
            "kind: agency_contacted, agency: police, outcome: no_answer, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:25:00Z");
    let report = duty(&d, "missing/na>go/report");
    assert_eq!(report.status, Status::Due);
    assert!(
        report
            .because
            .iter()
            .any(|b| b.contains("no answer; still to do")),
        "{report:#?}"
    );
    let events = events
        + &ev(
            "10:26",
            "kind: agency_contacted, agency: police, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:30:00Z");
    let report = duty(&d, "missing/na>go/report");
    assert_eq!(
        (report.status, report.done_at),
        (Status::Done, utc("10:26"))
    );
}

#[test]
fn a_failed_notice_with_a_branch_ends_and_the_branch_starts() {
    let d = decide(
        &ev(
            "10:04",
            "kind: notified, role: duty_manager, outcome: no_answer, by: support_worker",
        ),
        "2026-11-24T10:05:00Z",
    );
    let tell = duty(&d, "/tell");
    assert_eq!(
        (tell.status, tell.outcome.as_deref()),
        (Status::Failed, Some("no_answer"))
    );
    assert_eq!(duty(&d, "/tell_on_call").due, utc("10:14"));
}

#[test]
fn an_overdue_step_moves_the_failure_branch_on() {
    // Nobody calls the daughter: `kin` is overdue from 10:17, and with no `otherwise` the
    // failure branch (`keys`) starts then.
    let d = decide(&two_unanswered_calls(), "2026-11-24T10:18:00Z");
    assert_eq!(duty(&d, "/kin").status, Status::Overdue);
    let keys = duty(&d, "/keys");
    assert_eq!(
        (keys.opened_at, keys.due),
        (utc("10:17").expect("t"), utc("10:47"))
    );
}

#[test]
fn any_of_two_responders_may_insist_on_a_visit() {
    let base = jim_answers();
    // Jim answered: `judge` starts at 10:12. The worker thinks no visit is needed: not
    // decided while the responder may still insist.
    let events = base.clone()
        + &ev(
            "10:20",
            "kind: decided, decision: visit_needed, outcome: not_needed, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:21:00Z");
    assert_eq!(duty(&d, "/judge").status, Status::Due);
    let events = events
        + &ev(
            "10:25",
            "kind: decided, decision: visit_needed, outcome: needed, by: responder",
        );
    let d = decide(&events, "2026-11-24T10:26:00Z");
    let judge = duty(&d, "/judge");
    assert_eq!(
        (judge.done_at, judge.outcome.as_deref()),
        (utc("10:25"), Some("needed"))
    );
    assert_eq!(duty(&d, "/stand_down").status, Status::NotRequired);
    let go = duty(&d, "/go");
    assert_eq!(go.handed_over_to.as_deref(), Some("P-1/missing/na>go"));
    // Both say not needed: decided then, and the hand-over never happens.
    let events =
        base + &ev(
            "10:20",
            "kind: decided, decision: visit_needed, outcome: not_needed, by: support_worker",
        ) + &ev(
            "10:25",
            "kind: decided, decision: visit_needed, outcome: not_needed, by: responder",
        );
    let d = decide(&events, "2026-11-24T10:26:00Z");
    assert_eq!(duty(&d, "/judge").outcome.as_deref(), Some("not_needed"));
    assert_eq!(duty(&d, "/go").status, Status::NotRequired);
    assert_eq!(duty(&d, "/stand_down").due, utc("11:25"));
}

#[test]
fn all_of_two_must_agree_and_one_dissent_decides() {
    let refusal = ev("11:00", "kind: refusal, by: support_worker");
    let events = refusal.clone()
        + &ev(
            "11:05",
            "kind: decided, decision: close_case, outcome: close, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T11:06:00Z");
    assert_eq!(
        duty(&d, "refused/refusal@2026-11-24T11:00:00Z/agree").status,
        Status::Due
    );
    let events = refusal
        + &ev(
            "11:05",
            "kind: decided, decision: close_case, outcome: keep_open, by: responder",
        );
    let d = decide(&events, "2026-11-24T11:06:00Z");
    let agree = duty(&d, "/agree");
    assert_eq!(
        (agree.done_at, agree.outcome.as_deref()),
        (utc("11:05"), Some("keep_open"))
    );
    assert_eq!(duty(&d, "/reopen").due, utc("11:10"));
}

#[test]
fn a_hand_over_opens_a_linked_episode_that_closes_with_its_parent() {
    let events = jim_answers()
        + &ev(
            "10:20",
            "kind: decided, decision: visit_needed, outcome: needed, by: responder",
        );
    let d = decide(&events, "2026-11-24T10:21:00Z");
    let report = duty(&d, "/missing/na>go/report");
    assert_eq!(report.handed_over_from.as_deref(), Some("P-1/chain/na"));
    assert_eq!(
        (report.opened_at, report.due),
        (utc("10:20").expect("t"), utc("10:30"))
    );
    assert_eq!(duty(&d, "/missing/na>go/wait").status, Status::Open);
    // Found at 10:40: both episodes close; the stay ends, no longer required.
    let events = events + &ev("10:40", "kind: contact_established, by: support_worker");
    let d = decide(&events, "2026-11-24T10:45:00Z");
    assert_eq!(duty(&d, "/missing/na>go/wait").status, Status::NotRequired);
}

#[test]
fn on_closure_ends_overrides_the_record_keeping_default() {
    // `note` is a timed record, which would stay due after closure, but says it ends.
    let events = ev("10:10", "kind: contact_established, by: support_worker");
    let d = decide(&events, "2026-11-24T13:00:00Z");
    assert_eq!(duty(&d, "/note").status, Status::NotRequired);
}

#[test]
fn a_procedure_that_runs_out_raises_a_review_only_when_nothing_else_is_to_do() {
    let events = two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, by: support_worker",
        )
        + &ev(
            "10:10",
            "kind: notified, role: duty_manager, by: support_worker",
        );
    // The daughter answered (`kin` done): no branch follows a done `kin`. While `note` is
    // still to do, the procedure has not run out.
    let d = decide(&events, "2026-11-24T10:11:00Z");
    assert!(!d.obligations.iter().any(|o| o.id.contains("dead-end")));
    let events = events
        + &ev(
            "10:30",
            "kind: record_made, log: records, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:31:00Z");
    let review = duty(&d, "/dead-end/kin");
    assert_eq!(
        (review.action, review.opened_at),
        (vigil::eval::Action::ManualReview, utc("10:30").expect("t"))
    );
    assert!(
        review.summary.contains("safety is unconfirmed"),
        "{review:#?}"
    );
}

#[test]
fn a_timeline_records_only_declared_decisions_and_outcomes_an_event_can_carry() {
    let rules = vigil::compile(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", PROTOCOL),
    ])
    .expect("rules check");
    let load = |event: &str| {
        Timeline::load(
            &format!("events:\n  - {{ at: \"2026-11-24T10:00:00Z\", person: P-1, {event} }}\n"),
            Format::Yaml,
            "t.yaml",
            &rules,
        )
    };
    let errors = load("kind: decided, decision: visit_neded, outcome: needed, by: responder")
        .expect_err("unknown decision");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `visit_needed`?")
    );
    let errors = load("kind: decided, decision: visit_needed, outcome: close, by: responder")
        .expect_err("an outcome of another decision");
    assert!(
        errors[0].message.contains("not an outcome of the decision"),
        "{errors:#?}"
    );
    let errors = load("kind: notified, role: duty_manager, outcome: no_key, by: support_worker")
        .expect_err("a notice cannot end `no_key`");
    assert!(errors[0].message.contains("`notified`"), "{errors:#?}");
    assert!(
        load("kind: notified, role: duty_manager, outcome: not_available, by: support_worker")
            .is_ok()
    );
}

/// What a decision says, leaving out how long overdue duties have been overdue (that grows
/// every second, and is not a change of the answer).
fn answer(d: &Decision) -> Vec<String> {
    d.obligations
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, o.role, o.outcome
            )
        })
        .collect()
}

/// `(minute, outcome index)` for an optional event.
type Timed = Option<(u32, usize)>;

/// The events of one generated case, each at its minute after 10:00, if at or before `as_of`.
fn generated(
    calls: [Option<u32>; 2],
    contacts: [Timed; 4],
    tell: Timed,
    judged: [Timed; 2],
    found: Option<u32>,
    as_of: u32,
) -> String {
    let at = |m: u32| format!("{:02}:{:02}", 10 + m / 60, m % 60);
    let mut out = String::new();
    let mut n = 0;
    let mut add = |m: u32, rest: String| {
        n += 1;
        if m <= as_of {
            out.push_str(&ev(&at(m), &format!("id: g{n}, {rest}")));
        }
    };
    for m in calls.into_iter().flatten() {
        add(
            m,
            "kind: contact_attempt, method: phone, by: support_worker".into(),
        );
    }
    let outcomes = ["no_answer", "reached", "not_available", "no_key"];
    for (name, c) in ["daughter", "jim", "ann", "bob"].iter().zip(contacts) {
        if let Some((m, o)) = c {
            add(
                m,
                format!(
                    "kind: contact_made, contact: {name}, outcome: {}, by: support_worker",
                    outcomes[o % 4]
                ),
            );
        }
    }
    if let Some((m, o)) = tell {
        add(
            m,
            format!(
                "kind: notified, role: duty_manager, outcome: {}, by: support_worker",
                ["reached", "no_answer"][o % 2]
            ),
        );
    }
    for (who, j) in ["support_worker", "responder"].iter().zip(judged) {
        if let Some((m, o)) = j {
            add(
                m,
                format!(
                    "kind: decided, decision: visit_needed, outcome: {}, by: {who}",
                    ["needed", "not_needed"][o % 2]
                ),
            );
        }
    }
    if let Some(m) = found {
        add(m, "kind: contact_established, by: support_worker".into());
    }
    out
}

fn timed() -> impl proptest::strategy::Strategy<Value = Timed> {
    proptest::option::of((1u32..90, 0usize..4))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(60))]

    /// `next_change` is exact for branching procedures: with the events up to `as_of`,
    /// nothing in the answer changes before it and something does at it; with none, nothing
    /// changes days later.
    #[test]
    fn next_change_is_exact_with_branches(
        calls in proptest::array::uniform2(proptest::option::of(1u32..30)),
        contacts in proptest::array::uniform4(timed()),
        tell in timed(),
        judged in proptest::array::uniform2(timed()),
        found in proptest::option::of(5u32..150),
        as_of in 1u32..180,
    ) {
        let events = generated(calls, contacts, tell, judged, found, as_of);
        let now = format!("2026-11-24T{:02}:{:02}:00Z", 10 + as_of / 60, as_of % 60);
        let checked = common::next_change_is_exact(|at| decide(&events, at), answer, &now);
        proptest::prop_assert!(checked.is_ok(), "{:?}", checked);
    }
}

#[test]
fn a_condition_about_what_was_seen_is_withdrawn_when_it_stops_holding() {
    let refusal = ev("11:00", "kind: refusal, by: support_worker");
    let d = decide(&refusal, "2026-11-24T11:04:00Z");
    assert_eq!(duty(&d, "/look_in").due, utc("11:20"));
    let events = refusal + &ev("11:05", "kind: observation, what: lights_on, by: responder");
    let d = decide(&events, "2026-11-24T11:30:00Z");
    let look = duty(&d, "/look_in");
    assert_eq!(look.status, Status::NotRequired);
    assert!(
        look.because.iter().any(|b| b.contains("withdrawn")),
        "{look:#?}"
    );
}

#[test]
fn the_exact_role_of_a_shared_decision_records_for_itself() {
    // The duty manager covers the support worker; recording first, they still speak for
    // themselves, and the worker may then insist (docs/language.md 7.10).
    let alert = ev("12:00", "kind: at_alert");
    let events = alert.clone()
        + &ev(
            "12:10",
            "kind: decided, decision: visit_needed, outcome: not_needed, by: duty_manager",
        );
    let d = decide(&events, "2026-11-24T12:11:00Z");
    let risk = duty(&d, "/risk");
    assert_eq!(risk.status, Status::Due);
    assert!(
        risk.because
            .iter()
            .any(|b| b.contains("recorded by: Duty manager; waiting for: Support worker")),
        "{risk:#?}"
    );
    assert_eq!(&*risk.role_name, "Support worker or duty manager");
    let events = events
        + &ev(
            "12:14",
            "kind: decided, decision: visit_needed, outcome: needed, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T12:15:00Z");
    let risk = duty(&d, "/risk");
    assert_eq!(
        (risk.done_at, risk.outcome.as_deref()),
        (utc("12:14"), Some("needed"))
    );
}

#[test]
fn work_recorded_earlier_in_the_episode_counts_except_for_telling_and_trying() {
    // The police were called at 10:10, before the key holders had all failed (10:16): the
    // step to call them starts at 10:16 and is already done.
    let events = two_unanswered_calls()
        + &ev(
            "10:09",
            "kind: contact_made, contact: daughter, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:10",
            "kind: agency_contacted, agency: police, by: support_worker",
        )
        + &ev(
            "10:12",
            "kind: contact_made, contact: jim, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:14",
            "kind: contact_made, contact: ann, outcome: no_answer, by: support_worker",
        )
        + &ev(
            "10:16",
            "kind: contact_made, contact: bob, outcome: no_answer, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T10:30:00Z");
    let police = duty(&d, "/police");
    assert_eq!(
        (police.status, police.done_at),
        (Status::Done, utc("10:10"))
    );
    assert!(
        police
            .because
            .iter()
            .any(|b| b.contains("before it started at 10:16")),
        "{police:#?}"
    );
    // A notice is news of its own: the on-call manager told at 10:03 is not told again for
    // a duty that starts when the duty manager cannot be reached at 10:04.
    let events = ev(
        "10:03",
        "kind: notified, role: on_call_manager, by: support_worker",
    ) + &ev(
        "10:04",
        "kind: notified, role: duty_manager, outcome: no_answer, by: support_worker",
    );
    let d = decide(&events, "2026-11-24T10:05:00Z");
    let again = duty(&d, "/tell_on_call");
    assert_eq!((again.status, again.done_at), (Status::Due, None));
}

#[test]
fn a_condition_judged_at_start_follows_the_clock_to_when_the_step_starts() {
    // Alert at 16:50, in office hours; the decision is recorded at 17:05, after the office
    // has closed. The steps after it start at 17:05: judged then, the out-of-hours notice
    // applies; judged at the trigger (the default), the in-hours one does.
    let events = ev("16:50", "kind: at_alert")
        + &ev(
            "17:05",
            "kind: decided, decision: visit_needed, outcome: needed, by: support_worker",
        );
    let d = decide(&events, "2026-11-24T17:06:00Z");
    assert_eq!(duty(&d, "/tell_night").due, utc("17:15"));
    let day = duty(&d, "/tell_day");
    assert_eq!(day.status, Status::NotRequired);
    assert!(
        day.because
            .iter()
            .any(|b| b.contains("not in office hours at 17:05")),
        "{day:#?}"
    );
    assert_eq!(duty(&d, "/tell_as_at_alert").due, utc("17:15"));
}

#[test]
fn an_observation_inside_the_look_back_before_the_trigger_counts() {
    // Curtains seen open at 09:30; refusal at 11:00: inside the two hours before, so the
    // step fires at the refusal. Seen at 08:30, it is outside: the step waits.
    let seen = |hm: &str| {
        ev(
            hm,
            "kind: observation, what: curtains_open, by: support_worker",
        ) + &ev("11:00", "kind: refusal, by: support_worker")
    };
    let d = decide(&seen("09:30"), "2026-11-24T11:01:00Z");
    let step = duty(&d, "/seen_before");
    assert_eq!(
        (step.opened_at, step.due),
        (utc("11:00").expect("t"), utc("11:10"))
    );
    assert!(
        step.because
            .iter()
            .any(|b| b.contains("curtains open observed at 09:30")),
        "{step:#?}"
    );
    let d = decide(&seen("08:30"), "2026-11-24T11:01:00Z");
    assert!(!d.obligations.iter().any(|o| o.id.ends_with("/seen_before")));
}

#[test]
fn a_notice_given_before_its_step_started_does_not_count_and_the_duty_says_so() {
    // The on-call manager was told at 10:03; the duty manager's notice failed at 10:05, which
    // starts the on-call notice: the earlier one does not count, and the duty says why.
    let events = ev(
        "10:03",
        "kind: notified, role: on_call_manager, by: support_worker",
    ) + &ev(
        "10:05",
        "kind: notified, role: duty_manager, outcome: no_answer, by: support_worker",
    );
    let d = decide(&events, "2026-11-24T10:10:00Z");
    let o = duty(&d, "/tell_on_call");
    assert_eq!(o.status, Status::Due, "{:?}", o.because);
    assert!(
        o.because
            .iter()
            .any(|b| b.contains("recorded at 10:03") && b.contains("does not count")),
        "{:?}",
        o.because
    );
}

/// A framework whose no-answer procedure has an internal-escalation floor met only by a notice
/// given after the calls (`after call`), while a branch also takes the calls going unanswered.
const FLOOR_AFTER_CALLS: &str = r#"
framework "Floor" version 1 {
  role support_worker "Support worker"
  role coordinator "Coordinator" covers support_worker
  class next_of_kin "Next of kin"
  decision concern "Is there serious concern?" outcomes serious, not_serious
  agency emergency_services "Emergency services (999)" emergency
  threshold routine late 15m missed 30m after planned start
  floors { internal_escalation within 15m }
  pathway no_response on no_answer {
    step call: attempt contact 2 times every 3m by support_worker within 10m
    step kin: contact next_of_kin by coordinator within 20m after call if no_answer
    step no_kin: notify coordinator by support_worker within 10m after kin if failed
    step tell: notify coordinator by support_worker within 5m after call
    step judge: decide concern by coordinator within 15m after tell
    step force: escalate to emergency_services by coordinator within 5m after judge if serious, overdue
    step keep: attempt contact 2 times every 15m by coordinator within 1h after judge if not_serious
  }
}
"#;

fn floor_rules() -> vigil::rules::RuleSet {
    vigil::compile(&[Source::new("floor.vigil", FLOOR_AFTER_CALLS)])
        .unwrap_or_else(|e| panic!("the checker refused it: {e:#?}"))
}

fn floor_decision(events: &str, at: &str) -> Decision {
    let rules = floor_rules();
    let text = format!(
        "events:\n  - {{ at: \"2026-11-23T18:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: routine }}\n  - {{ id: na, at: \"2026-11-24T10:00:00Z\", person: P-1, kind: no_answer, visit: V1, by: support_worker }}\n{events}"
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules)
        .unwrap_or_else(|e| panic!("timeline loads: {e:#?}"));
    rules.evaluate(&tl, at.parse().expect("instant"))
}

#[test]
fn a_plain_after_follows_unanswered_calls_for_the_checker_as_for_the_evaluator() {
    // An attempt never fails (language.md §7.8): unanswered, it is done with `no_answer`, so
    // `tell` (a plain `after call`) starts then, beside the `if no_answer` branch. The checker
    // once played that end as a failure, which a plain `after` does not follow, and refused
    // the framework with E017 although every path tells the coordinator within 15 minutes.
    floor_rules();
    let d = floor_decision(&two_unanswered_calls(), "2026-11-24T10:08:00Z");
    let tell = duty(&d, "/tell");
    assert_eq!(tell.due, utc("10:12"), "{tell:#?}");
    assert_eq!(duty(&d, "/kin").due, utc("10:27"));
}

#[test]
fn a_decision_recorded_late_starts_its_branch_beside_the_one_the_overdue_step_started() {
    // The calls end unanswered at 10:07 and the coordinator is told at 10:08, so `judge` is
    // due 10:23; nothing decided by then, so `force` (`if serious, overdue`) starts at 10:23,
    // due 10:28. The coordinator then decides `not_serious` at 10:25: a late judgement is never ignored, and nothing started is
    // withdrawn, so `keep` starts too (language.md §7.9).
    let events = two_unanswered_calls()
        + &ev(
            "10:08",
            "kind: notified, role: coordinator, by: support_worker",
        )
        + &ev(
            "10:25",
            "kind: decided, decision: concern, outcome: not_serious, by: coordinator",
        );
    let d = floor_decision(&events, "2026-11-24T10:26:00Z");
    assert_eq!(duty(&d, "/judge").status, Status::DoneLate);
    let force = duty(&d, "/force");
    assert_eq!(
        (force.opened_at, force.due),
        (utc("10:23").expect("t"), utc("10:28"))
    );
    assert_eq!(force.status, Status::Due);
    let keep = duty(&d, "/keep");
    assert_eq!(
        (keep.opened_at, keep.due),
        (utc("10:25").expect("t"), utc("11:25"))
    );
}

#[test]
fn a_cascade_with_nobody_to_try_runs_out_when_it_starts_and_says_so() {
    // P-1 has no protocol, so nobody is in `next_of_kin`. `kin` starts when the calls end
    // unanswered at 10:07 and has run out then (language.md §5.10), not at the no-answer at
    // 10:00, when the episode began; `no_kin` starts at 10:07.
    let d = floor_decision(&two_unanswered_calls(), "2026-11-24T10:08:00Z");
    let kin = duty(&d, "/kin");
    assert_eq!(kin.status, Status::Failed, "{kin:#?}");
    assert_eq!(
        (Some(kin.opened_at), kin.done_at),
        (utc("10:07"), utc("10:07"))
    );
    assert!(
        kin.because.iter().any(|b| b.starts_with("nobody to try")),
        "{:?}",
        kin.because
    );
    assert!(!kin.because.iter().any(|b| b.contains("before it started")));
    assert_eq!(duty(&d, "/no_kin").due, utc("10:17"));
}

#[test]
fn a_cascade_with_nobody_to_try_and_no_branch_stays_to_do_and_says_why() {
    // As above, without `no_kin`: nothing takes the list's running out, so `kin` stays to do
    // from 10:07, due 10:27, and goes overdue then (fail closed); its reasons say why no
    // call can do it (found by a docs-only tester: a duty that can never be done said
    // nothing of it, and W010's help said the next step would start).
    let framework = FLOOR_AFTER_CALLS.replace(
        "    step no_kin: notify coordinator by support_worker within 10m after kin if failed\n",
        "",
    );
    assert_ne!(framework, FLOOR_AFTER_CALLS);
    let rules = vigil::compile(&[Source::new("floor.vigil", framework)])
        .unwrap_or_else(|e| panic!("the checker refused it: {e:#?}"));
    let text = format!(
        "events:\n  - {{ at: \"2026-11-23T18:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: routine }}\n  - {{ id: na, at: \"2026-11-24T10:00:00Z\", person: P-1, kind: no_answer, visit: V1, by: support_worker }}\n{}",
        two_unanswered_calls()
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules)
        .unwrap_or_else(|e| panic!("timeline loads: {e:#?}"));
    for (at, status) in [
        ("2026-11-24T10:08:00Z", Status::Due),
        ("2026-11-24T10:28:00Z", Status::Overdue),
    ] {
        let d = rules.evaluate(&tl, at.parse().expect("instant"));
        let kin = duty(&d, "/kin");
        assert_eq!((kin.status, kin.due), (status, utc("10:27")), "{kin:#?}");
        assert!(
            kin.because.iter().any(|b| &**b
                == "nobody to try: no one is listed for it, so no call can do it until someone is"),
            "{:?}",
            kin.because
        );
    }
}
