//! Spreads of attempts (issue 10, point 5): attempts that must cover named windows within the
//! step's period, judged at each attempt's local time, across the night the clocks go back;
//! a follow-up duty after each unanswered attempt; and `next_change` exact throughout.

#![allow(clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::{Decision, Obligation, Status};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

mod common;

const FRAMEWORK: &str = r#"
framework "Spread" version 1 {
  immediately means 10m
  role worker "Worker"
  role lead "Team leader" covers worker
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags unresponsive
  calendar morning "Morning" { daily 08:00-12:00 }
  calendar afternoon "Afternoon" { daily 12:00-17:00 }
  calendar evening "Evening" { daily 17:00-21:00 }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by worker immediately
  }
  pathway calls "Unanswered call" on no_answer {
    step calls: attempt contact 3 times covering morning, afternoon, evening,
         each unanswered then leave message by worker within 24h
    step texts: attempt contact via phone 2 times every 1h, each unanswered then send text
         by worker within 24h
    step escalate: escalate to adult_social_care by lead within 2h after calls
  }
}
"#;

const PROTOCOL: &str = r#"
protocol "P-1" under "Spread" version 1 {
  person { capacity full "assessed 2026-10-01" }
  methods phone, text
}
"#;

/// The trigger: 18:00 BST on Saturday 24 October 2026; the clocks go back that night.
fn decide(events: &str, at: &str) -> Decision {
    let rules = vigil::compile(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", PROTOCOL),
    ])
    .unwrap_or_else(|e| panic!("rules check: {e:#?}"));
    let text = format!(
        "events:\n  - {{ id: na, at: \"2026-10-24T17:00:00Z\", person: P-1, kind: no_answer, by: worker }}\n{events}"
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules)
        .unwrap_or_else(|e| panic!("timeline loads: {e:#?}"));
    rules.evaluate(&tl, at.parse().expect("instant"))
}

/// A contact attempt at `at` (UTC, `2026-10-DDTHH:MM`).
fn attempt(at: &str, method: &str, outcome: &str) -> String {
    format!(
        "  - {{ at: \"{at}:00Z\", person: P-1, kind: contact_attempt, method: {method}, outcome: {outcome}, by: worker }}\n"
    )
}

fn duty<'d>(d: &'d Decision, id_end: &str) -> &'d Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.ends_with(id_end))
        .unwrap_or_else(|| panic!("no {id_end} in {:#?}", d.obligations))
}

fn said(o: &Obligation, words: &str) -> bool {
    o.because.iter().any(|b| b.contains(words))
}

#[test]
fn a_spread_with_a_window_still_to_cover_goes_overdue_at_its_deadline_and_says_which() {
    // Evening (18:30 BST) and morning (09:15 GMT) only: the afternoon is never covered.
    let events = attempt("2026-10-24T17:30", "phone", "message_left")
        + &attempt("2026-10-25T09:15", "phone", "message_left")
        + &attempt("2026-10-25T10:00", "phone", "message_left");
    let d = decide(&events, "2026-10-25T17:00:00Z");
    let calls = duty(&d, "/calls");
    // 24 elapsed hours across the change: 17:00 GMT, not 18:00.
    assert_eq!(
        calls.due_local.as_deref(),
        Some("2026-10-25T17:00:00+00:00")
    );
    assert_eq!(calls.status, Status::Due);
    assert!(
        said(calls, "3 of 3 attempts made; covered: morning at 09:15 Sun 25 Oct, evening at 18:30 Sat 24 Oct; still to cover: afternoon"),
        "{calls:#?}"
    );
    assert_eq!(
        d.next_change,
        Some("2026-10-25T17:00:01Z".parse().expect("t"))
    );
    let d = decide(&events, "2026-10-25T17:00:01Z");
    assert_eq!(duty(&d, "/calls").status, Status::Overdue);
    // The plain `after` moves on when the spread goes overdue.
    let esc = duty(&d, "/escalate");
    let t: vigil::time::Instant = "2026-10-25T17:00:00Z".parse().expect("t");
    assert_eq!(esc.opened_at, t);
}

#[test]
fn an_attempt_is_judged_in_the_window_of_its_own_local_time() {
    // 16:30Z is 17:30 BST on Saturday (evening) but 16:30 GMT on Sunday (afternoon).
    let sat = attempt("2026-10-24T16:30", "phone", "message_left");
    let events = attempt("2026-10-24T17:10", "phone", "message_left")
        + &attempt("2026-10-25T08:30", "phone", "message_left")
        + &attempt("2026-10-25T16:30", "phone", "message_left");
    let d = decide(&events, "2026-10-25T16:31:00Z");
    let calls = duty(&d, "/calls");
    assert_eq!(calls.status, Status::Done, "{calls:#?}");
    assert_eq!(calls.outcome.as_deref(), Some("no_answer"));
    // Saturday 16:30Z is before the trigger: it does not count at all.
    let d = decide(&(sat + &events), "2026-10-25T16:31:00Z");
    assert_eq!(duty(&d, "/calls").done_at, calls.done_at);
}

#[test]
fn each_unanswered_attempt_has_its_own_follow_up_due_immediately_after_it() {
    let events = attempt("2026-10-24T17:30", "phone", "no_answer")
        + &attempt("2026-10-24T17:35", "text", "message_left")
        + &attempt("2026-10-24T18:10", "phone", "no_answer");
    let d = decide(&events, "2026-10-24T18:30:00Z");
    let first = duty(&d, "/calls/follow-up/1");
    assert_eq!(first.action, vigil::eval::Action::LeaveMessage);
    assert_eq!(first.status, Status::Done);
    assert_eq!(first.role, "worker".into());
    let second = duty(&d, "/calls/follow-up/2");
    assert_eq!(second.due, Some("2026-10-24T18:20:00Z".parse().expect("t")));
    assert_eq!(second.status, Status::Overdue);
    assert_eq!(second.late_by_seconds, Some(600));
    assert_eq!(second.rule.name, "calls.calls");
    // The text left after the first call was its follow-up, not a second attempt.
    assert!(said(duty(&d, "/calls"), "2 of 3 attempts made"));
}

#[test]
fn a_follow_up_missed_before_the_next_attempt_can_no_longer_be_made() {
    let events = attempt("2026-10-24T17:30", "phone", "no_answer")
        + &attempt("2026-10-24T18:00", "phone", "no_answer")
        + &attempt("2026-10-24T18:05", "text", "message_left");
    let d = decide(&events, "2026-10-24T18:06:00Z");
    let first = duty(&d, "/calls/follow-up/1");
    assert_eq!(first.status, Status::Overdue);
    assert!(
        said(
            first,
            "not done before the next attempt at 19:00 Sat 24 Oct"
        ),
        "{first:#?}"
    );
    assert_eq!(duty(&d, "/calls/follow-up/2").status, Status::Done);
}

#[test]
fn send_text_is_done_by_a_text_not_a_voicemail() {
    // `texts`: via phone, 1 hour apart; a voicemail is an attempt that still needs its text.
    let events = attempt("2026-10-24T17:30", "phone", "message_left")
        + &attempt("2026-10-24T17:40", "phone", "no_answer")
        + &attempt("2026-10-24T17:45", "text", "message_left");
    let d = decide(&events, "2026-10-24T17:50:00Z");
    let first = duty(&d, "/texts/follow-up/1");
    assert_eq!(first.action, vigil::eval::Action::SendText);
    assert_eq!(
        first.done_at,
        Some("2026-10-24T17:45:00Z".parse().expect("t"))
    );
    // The 17:40 call came within the hour's spacing: no attempt, so no follow-up of its own.
    assert!(!d
        .obligations
        .iter()
        .any(|o| o.id.ends_with("/texts/follow-up/2")));
    assert!(said(duty(&d, "/texts"), "1 of 2 attempts made"));
}

#[test]
fn the_person_answering_ends_the_spread_and_closes_the_episode() {
    let events = attempt("2026-10-24T17:30", "phone", "no_answer")
        + &attempt("2026-10-24T17:32", "phone", "reached");
    let d = decide(&events, "2026-10-24T18:00:00Z");
    let calls = duty(&d, "/calls");
    assert_eq!(
        calls.done_at,
        Some("2026-10-24T17:32:00Z".parse().expect("t"))
    );
    // Found before the message was left: no longer required.
    let f = duty(&d, "/calls/follow-up/1");
    assert_eq!(f.status, Status::NotRequired);
    assert!(said(f, "no longer required"), "{f:#?}");
}

#[test]
fn a_spread_needs_as_many_attempts_as_windows_and_an_immediately() {
    let few = FRAMEWORK.replace(
        "attempt contact 3 times covering",
        "attempt contact 2 times covering",
    );
    let no_immediately = FRAMEWORK.replace("immediately means 10m", "");
    for (text, code) in [(few, "E045"), (no_immediately, "E024")] {
        let checked = vigil::check::check(&[Source::new("f.vigil", text)]);
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(60))]

    /// `next_change` is exact for spreads and their follow-ups: attempts and messages at any
    /// minutes over the 30 hours after the trigger, across the clock change.
    #[test]
    fn next_change_is_exact_for_spreads(
        tries in proptest::collection::vec((0u32..1800, 0usize..4), 0..7),
        as_of in 1u32..1800,
    ) {
        let mut events = String::new();
        let mut sorted = tries.clone();
        sorted.sort_unstable();
        // One call a minute: two at the same instant would need ids of their own.
        sorted.dedup_by_key(|(m, _)| *m);
        for (m, kind) in sorted.into_iter().filter(|(m, _)| *m <= as_of) {
            let (method, outcome) = [
                ("phone", "no_answer"),
                ("phone", "message_left"),
                ("text", "message_left"),
                ("phone", "reached"),
            ][kind];
            events.push_str(&attempt(&minute(m), method, outcome));
        }
        let now = format!("{}:00Z", minute(as_of));
        let checked = common::next_change_is_exact(|at| decide(&events, at), answer, &now);
        proptest::prop_assert!(checked.is_ok(), "{:?}", checked);
    }
}

/// `m` minutes after the trigger (17:00Z Saturday), as `2026-10-DDTHH:MM` in UTC.
fn minute(m: u32) -> String {
    let t = chrono::DateTime::parse_from_rfc3339("2026-10-24T17:00:00Z").expect("t")
        + chrono::Duration::minutes(i64::from(m));
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// What a decision says, less what grows every second.
fn answer(d: &Decision) -> Vec<String> {
    d.obligations
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, o.because
            )
        })
        .collect()
}

#[test]
fn an_attempt_after_closure_has_its_follow_ups_too() {
    // The person is found at 18:10 GMT; an after-closure call back goes unanswered at 18:20,
    // so its message is due ten minutes later (`immediately means 10m`).
    let framework = FRAMEWORK.replace(
        "    step escalate: escalate to adult_social_care by lead within 2h after calls\n",
        "    step escalate: escalate to adult_social_care by lead within 2h after calls\n    after closure {\n      step call_back: attempt contact via phone 2 times, each unanswered then leave message\n           by worker within 2h\n    }\n",
    );
    let rules = vigil::compile(&[
        Source::new("f.vigil", framework),
        Source::new("p.vigil", PROTOCOL),
    ])
    .unwrap_or_else(|e| panic!("rules check: {e:#?}"));
    let text = "events:\n  - { id: na, at: \"2026-10-24T17:00:00Z\", person: P-1, kind: no_answer, by: worker }\n  - { at: \"2026-10-24T18:10:00Z\", person: P-1, kind: whereabouts_confirmed, by: lead }\n  - { at: \"2026-10-24T18:20:00Z\", person: P-1, kind: contact_attempt, method: phone, outcome: no_answer, by: worker }\n";
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    let d = rules.evaluate(&tl, "2026-10-24T18:35:00Z".parse().expect("instant"));
    let f = duty(&d, "/after-closure/call_back/follow-up/1");
    assert_eq!(f.status, Status::Overdue, "{:?}", f.because);
    assert_eq!(
        f.due,
        Some("2026-10-24T18:30:00Z".parse().expect("instant"))
    );
    assert_eq!(duty(&d, "/after-closure/call_back").status, Status::Due);
}

/// Attempts that do not count are said, never passed over in silence: one by a method the
/// step does not use (a docs-only tester's two phone calls for a person reached by the door
/// and text read "0 of 2 attempts made" and nothing more), and one sooner after the last
/// than the step's spacing.
#[test]
fn attempts_that_do_not_count_are_said_with_why() {
    let events = attempt("2026-10-24T17:10", "text", "no_answer")
        + &attempt("2026-10-24T17:20", "door", "no_answer")
        + &attempt("2026-10-24T17:30", "phone", "no_answer")
        + &attempt("2026-10-24T17:50", "phone", "no_answer");
    let d = decide(&events, "2026-10-24T18:00:00Z");
    let texts = duty(&d, "/texts");
    assert_eq!(texts.status, Status::Due);
    assert!(
        said(
            texts,
            "1 of 2 attempts made; attempts by text or the door were not counted: this step's attempts are by phone; 1 attempt less than 1 hour after the one before counted with it"
        ),
        "{:#?}",
        texts.because
    );
    // A step with no `via` takes the person's methods (phone, text): the door is said.
    let calls = duty(&d, "/calls");
    assert!(
        said(
            calls,
            "attempts by the door were not counted: this step's attempts are by phone or text"
        ),
        "{:#?}",
        calls.because
    );
}
