//! Exact time: the cases issue 3 names, each checked against the calendar and the clock, and
//! property tests for what must hold at every instant.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use vigil::time::{BankHolidays, CalendarDef, WeeklyWindow};
use vigil::time::{Civil, Holidays, Instant};

mod common;

fn holidays() -> Holidays {
    Holidays::embedded("england-and-wales").unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Weekly windows as the checker builds them: minutes from Monday 00:00.
fn daily(days: std::ops::Range<u32>, from: (u32, u32), to: (u32, u32)) -> Vec<WeeklyWindow> {
    let (f, t) = (from.0 * 60 + from.1, to.0 * 60 + to.1);
    days.map(|d| WeeklyWindow {
        start: d * 1440 + f,
        end: if t > f {
            d * 1440 + t
        } else {
            (d + 1) * 1440 + t
        },
    })
    .collect()
}

fn office_hours() -> CalendarDef {
    CalendarDef {
        name: "office_hours".into(),
        display: "Office hours".into(),
        windows: daily(0..5, (9, 0), (17, 0)),
        bank_holidays: BankHolidays::Closed,
    }
}

fn local(civil: &Civil<'_>, t: Instant) -> String {
    civil.local_rfc3339(t)
}

#[test]
fn durations_are_elapsed_time_across_the_spring_change() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    // 00:30 GMT on 29 March 2026; the clocks go forward at 01:00.
    let t = utc(2026, 3, 29, 0, 30);
    assert_eq!(local(&c, c.after(t, 2 * 3600)), "2026-03-29T03:30:00+01:00");
    assert_eq!(c.after(t, 2 * 3600) - t, Duration::hours(2));
}

#[test]
fn durations_are_elapsed_time_across_the_autumn_change() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    // 00:30 BST on 25 October 2026 (23:30 UTC the day before); the clocks go back at 02:00.
    let t = utc(2026, 10, 24, 23, 30);
    assert_eq!(local(&c, t), "2026-10-25T00:30:00+01:00");
    assert_eq!(local(&c, c.after(t, 2 * 3600)), "2026-10-25T01:30:00+00:00");
}

#[test]
fn a_skipped_local_time_means_the_same_minutes_after_the_change() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let t = c.at(date(2026, 3, 29), 1, 30);
    assert_eq!(local(&c, t), "2026-03-29T02:30:00+01:00");
}

#[test]
fn a_repeated_local_time_means_its_first_occurrence() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let t = c.at(date(2026, 10, 25), 1, 30);
    assert_eq!(local(&c, t), "2026-10-25T01:30:00+01:00");
    assert_eq!(t, utc(2026, 10, 25, 0, 30));
}

#[test]
fn bank_holidays_of_2026() {
    let h = holidays();
    for (m, d, what) in [
        (4, 3, "Good Friday"),
        (4, 6, "Easter Monday"),
        (5, 4, "Early May bank holiday"),
        (12, 28, "Boxing Day, substitute day"),
    ] {
        assert!(h.contains(date(2026, m, d)), "{what}");
    }
    assert!(
        !h.contains(date(2026, 12, 26)),
        "26 December 2026 is a Saturday"
    );
}

#[test]
fn next_working_day_skips_weekends_and_bank_holidays() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    assert_eq!(c.next_working_day(date(2026, 4, 2)), date(2026, 4, 7));
    assert_eq!(c.next_working_day(date(2026, 12, 24)), date(2026, 12, 29));
    assert_eq!(c.next_working_day(date(2026, 5, 1)), date(2026, 5, 5));
    assert_eq!(c.next_working_day(date(2026, 11, 24)), date(2026, 11, 25));
}

#[test]
fn next_working_day_deadlines_end_at_local_midnight() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    // Thursday 2 April 2026, 15:00 BST.
    let t = c.at(date(2026, 4, 2), 15, 0);
    assert_eq!(
        local(&c, c.end_of_next_working_day(t)),
        "2026-04-08T00:00:00+01:00"
    );
    assert_eq!(
        local(&c, c.clock_next_working_day(t, 12, 0)),
        "2026-04-07T12:00:00+01:00"
    );
    // Good Friday: the end of the working day is the end of Tuesday 7 April.
    let friday = c.at(date(2026, 4, 3), 10, 0);
    assert_eq!(
        local(&c, c.end_of_working_day(friday)),
        "2026-04-08T00:00:00+01:00"
    );
    // A working day's own end.
    assert_eq!(
        local(&c, c.end_of_working_day(t)),
        "2026-04-03T00:00:00+01:00"
    );
}

#[test]
fn end_of_day_is_the_next_local_midnight_even_on_a_short_day() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let t = utc(2026, 3, 29, 0, 30); // 00:30 GMT on the 23-hour day
    let eod = c.end_of_day(t);
    assert_eq!(local(&c, eod), "2026-03-30T00:00:00+01:00");
    assert_eq!(eod - t, Duration::minutes(22 * 60 + 30));
}

#[test]
fn by_a_clock_time_is_the_next_occurrence_at_or_after_the_trigger() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let at_five = utc(2026, 11, 24, 17, 0);
    assert_eq!(
        c.next_clock(at_five, 17, 0),
        at_five,
        "exactly 17:00 is due at once"
    );
    let just_after = utc(2026, 11, 24, 17, 1);
    assert_eq!(
        local(&c, c.next_clock(just_after, 17, 0)),
        "2026-11-25T17:00:00+00:00"
    );
}

#[test]
fn office_hours_are_half_open_at_nine_and_five() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let cal = office_hours();
    // Tuesday 24 November 2026 (GMT).
    assert!(
        c.in_calendar(&cal, utc(2026, 11, 24, 9, 0)),
        "09:00 is inside"
    );
    assert!(!c.in_calendar(&cal, utc(2026, 11, 24, 8, 59)));
    assert!(c.in_calendar(&cal, utc(2026, 11, 24, 16, 59)));
    assert!(
        !c.in_calendar(&cal, utc(2026, 11, 24, 17, 0)),
        "17:00 is outside"
    );
    assert_eq!(
        c.calendar_next_change(&cal, utc(2026, 11, 24, 9, 0)),
        Some(utc(2026, 11, 24, 17, 0))
    );
}

#[test]
fn office_hours_close_on_bank_holidays_and_weekends() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let cal = office_hours();
    // Good Friday 3 April 2026, 10:00 BST.
    assert!(!c.in_calendar(&cal, c.at(date(2026, 4, 3), 10, 0)));
    // Saturday.
    assert!(!c.in_calendar(&cal, c.at(date(2026, 11, 28), 10, 0)));
    // After Christmas Eve closes, office hours next open on Tuesday 29 December.
    let eve = c.at(date(2026, 12, 24), 17, 0);
    assert_eq!(
        c.calendar_next_change(&cal, eve).map(|t| local(&c, t)),
        Some("2026-12-29T09:00:00+00:00".into())
    );
}

#[test]
fn bank_holidays_all_day_opens_a_calendar_on_them() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let on_call = CalendarDef {
        name: "bank_holiday_cover".into(),
        display: String::new(),
        windows: Vec::new(),
        bank_holidays: BankHolidays::AllDay,
    };
    assert!(c.in_calendar(&on_call, c.at(date(2026, 5, 4), 3, 0)));
    assert!(!c.in_calendar(&on_call, c.at(date(2026, 5, 5), 3, 0)));
}

#[test]
fn a_night_window_is_ten_hours_in_spring_and_twelve_in_autumn() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let nights = CalendarDef {
        name: "nights".into(),
        display: String::new(),
        windows: daily(0..7, (20, 0), (7, 0)),
        bank_holidays: BankHolidays::AsUsual,
    };
    let length = |start: Instant| {
        assert!(c.in_calendar(&nights, start));
        c.calendar_next_change(&nights, start).unwrap() - start
    };
    let spring = c.at(date(2026, 3, 28), 20, 0);
    let autumn = c.at(date(2026, 10, 24), 20, 0);
    let ordinary = c.at(date(2026, 11, 24), 20, 0);
    assert_eq!(length(spring), Duration::hours(10));
    assert_eq!(length(autumn), Duration::hours(12));
    assert_eq!(length(ordinary), Duration::hours(11));
}

#[test]
fn a_weekend_window_spans_days() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let weekend = CalendarDef {
        name: "weekend".into(),
        display: String::new(),
        // Fri 17:00 to Mon 09:00
        windows: vec![WeeklyWindow {
            start: 4 * 1440 + 17 * 60,
            end: 7 * 1440 + 9 * 60,
        }],
        bank_holidays: BankHolidays::AsUsual,
    };
    assert!(
        c.in_calendar(&weekend, c.at(date(2026, 11, 29), 12, 0)),
        "Sunday noon"
    );
    assert!(
        c.in_calendar(&weekend, c.at(date(2026, 11, 30), 8, 59)),
        "Monday 08:59"
    );
    assert!(
        !c.in_calendar(&weekend, c.at(date(2026, 11, 30), 9, 0)),
        "Monday 09:00"
    );
    assert!(
        !c.in_calendar(&weekend, c.at(date(2026, 11, 27), 16, 59)),
        "Friday 16:59"
    );
}

#[test]
fn updated_data_is_accepted_and_bad_data_is_located() {
    let updated = r#"{"england-and-wales": {"division": "england-and-wales",
        "events": [{"title": "New Year's Day", "date": "2028-01-03", "notes": "Substitute day", "bunting": true}]}}"#;
    let h = Holidays::from_json(updated, "england-and-wales").unwrap();
    assert!(h.contains(date(2028, 1, 3)));
    assert!(h.covers(date(2028, 12, 31)) && !h.covers(date(2029, 1, 1)));
    let err = Holidays::from_json("{\n  \"x\": [", "england-and-wales").unwrap_err();
    assert!(err.to_string().starts_with("line 2, column"), "{err}");
    let err = Holidays::from_json(updated, "wales").unwrap_err();
    assert!(err.to_string().contains("england-and-wales"), "{err}");
}

#[test]
fn the_embedded_data_ends_with_2027() {
    let h = holidays();
    assert!(h.covers(date(2027, 12, 31)));
    assert!(!h.covers(date(2028, 1, 1)));
}

fn any_instant() -> impl Strategy<Value = Instant> {
    // 2019 to 2030, to the second.
    (1_546_300_800i64..1_924_992_000i64).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Office hours and out of hours partition time: walking from any instant through the
    /// calendar's changes alternates between the two, never skips back, and between changes
    /// nothing changes.
    #[test]
    fn office_hours_and_out_of_hours_partition_time(t in any_instant(), probes in proptest::collection::vec(0.0f64..1.0, 4)) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let cal = office_hours();
        let mut at = t;
        let mut inside = c.in_calendar(&cal, at);
        for _ in 0..6 {
            let next = c.calendar_next_change(&cal, at).unwrap();
            prop_assert!(next > at);
            for p in &probes {
                let secs = ((next - at).num_seconds() as f64 * p) as i64;
                let u = at + Duration::seconds(secs);
                prop_assert_eq!(c.in_calendar(&cal, u), inside, "{} between {} and {}", u, at, next);
            }
            prop_assert_ne!(c.in_calendar(&cal, next), inside);
            at = next;
            inside = !inside;
        }
    }

    /// `by HH:MM` is at or after the trigger, within a day and an hour, and at that wall time
    /// unless the clocks skipped it.
    #[test]
    fn clock_deadlines_land_on_their_time(t in any_instant(), hour in 0u32..24, minute in 0u32..60) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let due = c.next_clock(t, hour, minute);
        prop_assert!(due >= t);
        prop_assert!(due - t <= Duration::hours(25));
        let wall = c.local(due);
        let skipped = vigil::time::fate(chrono_tz::Europe::London, hour, minute).skipped;
        prop_assert!(skipped || (chrono::Timelike::hour(&wall), chrono::Timelike::minute(&wall)) == (hour, minute));
    }

    /// The next working day is later, is a working day, and no working day lies between.
    #[test]
    fn next_working_day_is_the_first_after(days in 0i64..4000) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let d = date(2019, 1, 1) + Duration::days(days);
        let n = c.next_working_day(d);
        prop_assert!(n > d && c.is_working_day(n));
        let mut between = d.succ_opt().unwrap();
        while between < n {
            prop_assert!(!c.is_working_day(between));
            between = between.succ_opt().unwrap();
        }
    }

    /// Elapsed durations are exact whatever the wall clock does.
    #[test]
    fn elapsed_durations_are_exact(t in any_instant(), secs in 0u64..10_000_000) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        prop_assert_eq!((c.after(t, secs) - t).num_seconds(), secs as i64);
    }
}

/// The issue's working-time cases, each worked out by hand against the embedded bank holidays
/// (docs/language.md 7.4, "Working time").
#[test]
fn working_days_cases_from_the_docs() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let cases = [
        // Friday 27 November 2026 17:30, 2 working days: Monday, Tuesday.
        ((2026, 11, 27, 17, 30), 2, "2026-12-01T17:30:00+00:00"),
        // Thursday 24 December 2026 10:00: Christmas Day, the weekend and the substitute
        // Boxing Day (Monday 28) are not working days.
        ((2026, 12, 24, 10, 0), 1, "2026-12-29T10:00:00+00:00"),
        // Saturday 28 November 2026: counting starts at 00:00 Monday, so due at its end.
        ((2026, 11, 28, 10, 0), 1, "2026-12-01T00:00:00+00:00"),
        // Thursday 2 April 2026 (Good Friday and Easter Monday follow).
        ((2026, 4, 2, 9, 0), 1, "2026-04-07T09:00:00+01:00"),
    ];
    for ((y, mo, d, hh, mi), n, want) in cases {
        let t = c.at(date(y, mo, d), hh, mi);
        assert_eq!(
            local(&c, c.after_working_days(t, n)),
            want,
            "{y}-{mo}-{d} + {n}"
        );
    }
}

#[test]
fn calendar_clock_cases_from_the_docs() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let cal = office_hours(); // Mon-Fri 09:00-17:00, closed on bank holidays
    let cases = [
        // Friday 23 October 2026 16:00 BST: 1h on Friday; Monday 26 (after the clocks went
        // back) 09:00 GMT + 7h.
        ((2026, 10, 23, 16, 0), 8, "2026-10-26T16:00:00+00:00"),
        // Thursday 24 December 2026 15:00: 2h; closed 25 and 28 (bank holidays) and the
        // weekend; Tuesday 29 09:00 + 6h.
        ((2026, 12, 24, 15, 0), 8, "2026-12-29T15:00:00+00:00"),
        // Three office days: Tuesday 24 November 2026 10:00 + 24h of office time.
        ((2026, 11, 24, 10, 0), 24, "2026-11-27T10:00:00+00:00"),
        // Saturday 10:00: waits for Monday 09:00.
        ((2026, 11, 28, 10, 0), 2, "2026-11-30T11:00:00+00:00"),
    ];
    for ((y, mo, d, hh, mi), hours, want) in cases {
        let t = c.at(date(y, mo, d), hh, mi);
        let due = c.after_in_calendar(&cal, t, hours * 3600).unwrap();
        assert_eq!(local(&c, due), want, "{y}-{mo}-{d} + {hours}h");
    }
}

#[test]
fn a_night_calendar_counts_the_real_hours_of_the_night_the_clocks_go_back() {
    let h = holidays();
    let c = Civil::new(chrono_tz::Europe::London, &h);
    let nights = CalendarDef {
        name: "waking_nights".into(),
        display: "Waking nights".into(),
        windows: daily(0..7, (20, 0), (8, 0)),
        bank_holidays: BankHolidays::AsUsual,
    };
    // Saturday 24 October 2026 20:00 BST: that night lasts 13 real hours, so 12 hours of it
    // end at 07:00 GMT.
    let t = c.at(date(2026, 10, 24), 20, 0);
    let due = c.after_in_calendar(&nights, t, 12 * 3600).unwrap();
    assert_eq!(local(&c, due), "2026-10-25T07:00:00+00:00");
}

/// Seconds `cal` is open in `[from, to)`, walked change by change.
fn open_between(c: &Civil<'_>, cal: &CalendarDef, from: Instant, to: Instant) -> i64 {
    let mut total = 0;
    let mut at = from;
    while at < to {
        let next = c.calendar_next_change(cal, at).unwrap().min(to);
        if c.in_calendar(cal, at) {
            total += (next - at).num_seconds();
        }
        at = next;
    }
    total
}

fn start_2026_2027() -> impl Strategy<Value = Instant> {
    // 1 January 2026 to 31 December 2027, to the second.
    (1_767_225_600i64..1_830_297_600i64).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `within D of office_hours`: from the start to the due instant the calendar is open for
    /// exactly D, and open just before the due instant (the clock never stops on a closed
    /// stretch).
    #[test]
    fn a_calendar_clock_contains_exactly_its_open_time(t in start_2026_2027(), secs in 1u64..(40 * 3600)) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let cal = office_hours();
        let due = c.after_in_calendar(&cal, t, secs).unwrap();
        prop_assert_eq!(open_between(&c, &cal, t, due), secs as i64);
        prop_assert!(c.in_calendar(&cal, due - Duration::seconds(1)));
    }

    /// `within N working days` from a working day lands on a working day at the same wall
    /// time, with exactly N working days after the start's date up to it; from a day off, at
    /// the midnight ending the Nth working day.
    #[test]
    fn working_days_count_exactly_n(t in start_2026_2027(), n in 1u32..15) {
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let due = c.after_working_days(t, n);
        let (start, end) = (c.local(t), c.local(due));
        let last = if c.is_working_day(start.date()) {
            prop_assert_eq!(end.time(), start.time());
            end.date()
        } else {
            prop_assert_eq!(end.time(), chrono::NaiveTime::MIN);
            end.date().pred_opt().unwrap()
        };
        prop_assert!(c.is_working_day(last));
        let mut count = 0;
        let mut d = start.date();
        while d < last {
            d = d.succ_opt().unwrap();
            count += u32::from(c.is_working_day(d));
        }
        // A day off the start falls on is not a working day, so it never counts either way.
        prop_assert_eq!(count, n);
    }
}

const WORKING_TIME: &str = r#"
framework "Working time" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags person_seen_on_floor
  log records "Care records"
  calendar office_hours "Office hours" { Mon-Fri 09:00-17:00 except bank_holidays }
  threshold routine late 15m missed 30m after planned start
  pathway no_response on no_answer {
    step tell: notify duty_manager by support_worker within 15m
         on breach notify duty_manager within 1 working day
    step review: record records by duty_manager within 2 working days
    step follow_up: escalate to adult_social_care by duty_manager within 8h of office_hours after tell
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
}
"#;

/// A no-answer at `start` (and a note by the duty manager `noted` minutes later), decided at
/// `at`.
fn decide_working_time(start: Instant, noted: Option<i64>, at: &str) -> vigil::eval::Decision {
    use vigil::timeline::{Format, Timeline};
    let rules = vigil::compile(&[vigil::Source::new("f.vigil", WORKING_TIME)]).unwrap();
    let mut text = format!(
        "events:\n  - {{ at: \"{}\", person: P-9, kind: visit_planned, visit: V, planned: \"{}\", criticality: routine }}\n  - {{ at: \"{}\", person: P-9, kind: no_answer, visit: V, by: support_worker }}\n",
        (start - Duration::days(1)).to_rfc3339(),
        start.to_rfc3339(),
        start.to_rfc3339()
    );
    if let Some(m) = noted {
        let t = start + Duration::minutes(m);
        text.push_str(&format!(
            "  - {{ at: \"{}\", person: P-9, kind: record_made, log: records, by: duty_manager }}\n",
            t.to_rfc3339()
        ));
    }
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).unwrap();
    rules.evaluate(&tl, at.parse().unwrap())
}

fn working_time_answer(d: &vigil::eval::Decision) -> Vec<String> {
    d.obligations
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, o.role
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Working-time deadlines in a ladder fall due where the time functions say, and
    /// `next_change` is exact around them (the second each goes overdue).
    #[test]
    fn working_time_deadlines_are_exact_in_decisions(
        start in start_2026_2027(),
        noted in proptest::option::of(1i64..(6 * 24 * 60)),
        after in 0i64..(7 * 24 * 60),
    ) {
        let start = DateTime::from_timestamp(start.timestamp() / 60 * 60, 0).unwrap();
        let as_of = start + Duration::minutes(after);
        let noted = noted.filter(|m| *m <= after);
        let d = decide_working_time(start, noted, &as_of.to_rfc3339());
        let h = holidays();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let review = d.obligations.iter().find(|o| o.id.ends_with("/review")).unwrap();
        prop_assert_eq!(review.due, Some(c.after_working_days(start, 2)));
        let checked = common::next_change_is_exact(
            |at| decide_working_time(start, noted, at),
            working_time_answer,
            &as_of.to_rfc3339(),
        );
        prop_assert!(checked.is_ok(), "{:?}", checked);
    }
}
