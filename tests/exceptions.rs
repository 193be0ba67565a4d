//! Agreed exceptions: their window is half-open local wall time made instants by the one rule
//! of docs/time.md, and a trigger inside it runs the changed (or suspended) ladder.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly

use chrono::{NaiveDate, NaiveDateTime};
use vigil::eval::Status;
use vigil::rules::ExceptionDef;
use vigil::time::{Civil, Holidays, Instant};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn at(s: &str) -> Instant {
    s.parse().unwrap()
}

fn exception(from: &str, until: &str) -> ExceptionDef {
    ExceptionDef {
        name: "away".into(),
        display: "Away".into(),
        from: local(from),
        until: local(until),
        suspend_visits: true,
        because: Some("agreed".into()),
        cites: Vec::new(),
        changes: Vec::new(),
        window_text: ExceptionDef::words_for(local(from), local(until)).into(),
    }
}

#[test]
fn a_window_with_times_includes_its_start_and_excludes_its_end() {
    let holidays = Holidays::none();
    let civil = Civil::new(chrono_tz::Europe::London, &holidays);
    let x = exception("2026-12-04 14:00", "2026-12-06 18:00");
    assert!(!x.covers(civil, at("2026-12-04T13:59:59Z")));
    assert!(x.covers(civil, at("2026-12-04T14:00:00Z")));
    assert!(x.covers(civil, at("2026-12-06T17:59:59Z")));
    assert!(!x.covers(civil, at("2026-12-06T18:00:00Z")));
}

#[test]
fn a_date_alone_covers_the_whole_of_its_last_day_in_summer_time_too() {
    let holidays = Holidays::none();
    let civil = Civil::new(chrono_tz::Europe::London, &holidays);
    // 1 to 14 July written as dates: from 00:00 BST on the 1st up to 00:00 BST on the 15th.
    let from = NaiveDate::from_ymd_opt(2026, 7, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let until = NaiveDate::from_ymd_opt(2026, 7, 15)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let x = ExceptionDef {
        from,
        until,
        ..exception("2026-07-01 00:00", "2026-07-15 00:00")
    };
    assert!(!x.covers(civil, at("2026-06-30T22:59:59Z")));
    assert!(x.covers(civil, at("2026-06-30T23:00:00Z")));
    assert!(x.covers(civil, at("2026-07-14T22:59:59Z")));
    assert!(!x.covers(civil, at("2026-07-14T23:00:00Z")));
}

#[test]
fn a_start_the_clocks_skip_means_the_same_minutes_after_the_change() {
    let holidays = Holidays::none();
    let civil = Civil::new(chrono_tz::Europe::London, &holidays);
    // 01:30 on 29 March 2026 does not happen: it is read as 02:30 BST, 01:30 UTC.
    let x = exception("2026-03-29 01:30", "2026-03-29 12:00");
    assert!(!x.covers(civil, at("2026-03-29T01:29:59Z")));
    assert!(x.covers(civil, at("2026-03-29T01:30:00Z")));
}

const FRAMEWORK: &str = r#"
framework "Exceptions" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  role on_call_manager "On-call manager" covers support_worker
  alias manager "The manager" is duty_manager in office_hours otherwise on_call_manager
  calendar office_hours "Office hours" { Mon-Fri 08:00-18:00 }
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  observations surroundings
  red_flags person_seen_on_floor
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step look: check surroundings by support_worker within 5m
    step tell: notify manager by support_worker within 15m
    step out: escalate to adult_social_care by manager within 1h
  }
  pathway alert on at_alert {
    step tell: notify manager by support_worker within 15m
    step out: escalate to adult_social_care by manager within 1h
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
    step tell_999: notify manager by support_worker immediately
  }
}
"#;

const PROTOCOL: &str = r#"
protocol "P-1" under "Exceptions" version 1 {
  exception away "Away with family" from 2026-12-04 14:00 to 2026-12-06 18:00
            because "agreed at review on 2026-11-20" {
    suspend pathway alert
    pathway no_response {
      suspend step look
    }
  }
}
"#;

fn decide(timeline: &str, as_of: &str) -> vigil::eval::Decision {
    let rs = vigil::compile(&[
        Source::new("framework.vigil", FRAMEWORK),
        Source::new("p-1.vigil", PROTOCOL),
    ])
    .expect("the rules check clean");
    let tl = Timeline::load(timeline, Format::Yaml, "t.yaml", &rs).expect("the timeline loads");
    rs.evaluate(&tl, at(as_of))
}

#[test]
fn a_suspended_step_is_not_required_in_the_window_and_says_why() {
    let d = decide(
        "events:\n  - { at: 2026-12-04T15:00:00Z, person: P-1, kind: no_answer, by: support_worker }\n",
        "2026-12-04T15:01:00Z",
    );
    let look = d
        .obligations
        .iter()
        .find(|o| o.id.ends_with("/look"))
        .unwrap();
    assert_eq!(look.status, Status::NotRequired);
    assert!(look
        .because
        .iter()
        .any(|b| b.contains("agreed exception `away`")));
    let tell = d
        .obligations
        .iter()
        .find(|o| o.id.ends_with("/tell"))
        .unwrap();
    assert_eq!(tell.status, Status::Due);
}

#[test]
fn a_suspended_pathway_opens_no_episode_in_the_window_and_a_note_says_so() {
    let inside = decide(
        "events:\n  - { at: 2026-12-05T10:00:00Z, person: P-1, kind: at_alert }\n",
        "2026-12-05T10:01:00Z",
    );
    assert!(inside.obligations.is_empty());
    assert!(inside
        .notes
        .iter()
        .any(|n| n.contains("pathway alert opened no episode") && n.contains("`away`")));
    let after = decide(
        "events:\n  - { at: 2026-12-06T18:00:00Z, person: P-1, kind: at_alert }\n",
        "2026-12-06T18:01:00Z",
    );
    assert_eq!(after.obligations.len(), 2);
}
