//! Periodic governance duties: reviews at fixed local times, duties due a fixed time after
//! they were last done, and duties done a number of times each week (seed 000: "at 12:00
//! and 18:00 daily", "every forty-eight hours", "three times each week"). Every answer
//! below was worked out by hand from docs/language.md §11.3 before the code ran.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // tests fail loudly

mod common;

use vigil::eval::{Decision, Obligation, Status};
use vigil::timeline::{Format, Timeline};
use vigil::Source;

const FRAMEWORK: &str = r#"
framework "Periodic" version 1 {
  immediately means 5m
  role senior_coordinator "Senior coordinator"
  role registered_manager "Registered manager" covers senior_coordinator
  role quality_lead "Quality lead"
  log attendance "Daily attendance assurance sheet"
  log impact "Missed-visit impact review"
  threshold routine late 15m missed 30m
  governance {
    rule attendance_review: daily at 12:00, 18:00
         then review attendance by senior_coordinator within 30m cite "000 ex1 s4"
    rule impact_audit: every 48h then record impact by registered_manager cite "000 ex2 s5"
    rule oversight: 3 times each week then review attendance by quality_lead
         cite "000 ex1 governance"
    rule weekly_report: Mon at 10:00 then review attendance by quality_lead
  }
}
"#;

fn rules() -> vigil::rules::RuleSet {
    vigil::compile(&[Source::new("f.vigil", FRAMEWORK)]).expect("framework checks")
}

/// The decision at `at` on a timeline whose record starts at `from`.
fn decision(from: &str, events: &str, at: &str) -> Decision {
    let rules = rules();
    let text = format!("from: {from}\nevents:\n{events}");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

fn duty<'d>(d: &'d Decision, id: &str) -> &'d Obligation {
    d.obligations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no duty {id}: {:?}", ids(d)))
}

fn ids(d: &Decision) -> Vec<&str> {
    d.obligations.iter().map(|o| &*o.id).collect()
}

fn t(s: &str) -> vigil::time::Instant {
    s.parse().unwrap()
}

/// Someone must be on the record for an event to be about them: a planned visit far ahead.
const PLANNED: &str = r#"
  - { id: plan, at: "2026-11-25T12:00:00Z", person: P-1, kind: visit_planned, visit: V1,
      planned: "2027-01-04T09:00:00Z", criticality: routine }
"#;

fn with(events: &[&str]) -> String {
    let mut s = PLANNED.to_string();
    for e in events {
        s.push_str(e);
        s.push('\n');
    }
    s
}

fn record(id: &str, at: &str, log: &str, by: &str) -> String {
    format!(
        "  - {{ id: {id}, at: \"{at}\", person: P-1, kind: record_made, log: {log}, by: {by} }}"
    )
}

// Monday 23 November 2026 is in GMT, so local times are UTC times.

#[test]
fn a_review_at_fixed_times_opens_at_each_and_is_done_only_before_the_next() {
    let r1 = record(
        "r1",
        "2026-11-23T12:10:00Z",
        "attendance",
        "senior_coordinator",
    );
    // Late for 12:00 (due 12:30) but before 18:00: it is 12:00's, done 5 h 29 min late.
    let r2 = record(
        "r2",
        "2026-11-24T17:59:00Z",
        "attendance",
        "senior_coordinator",
    );
    // At 18:00:00 exactly: the 18:00 review's, on time.
    let r3 = record(
        "r3",
        "2026-11-24T18:00:00Z",
        "attendance",
        "registered_manager",
    );
    let events = with(&[&r1, &r2, &r3]);
    let d = decision("2026-11-23T00:00:00Z", &events, "2026-11-24T18:30:00Z");
    let id = |at: &str| format!("governance/attendance_review/{at}");
    let mon12 = duty(&d, &id("2026-11-23T12:00:00Z"));
    assert_eq!(mon12.status, Status::Done);
    assert_eq!(mon12.due, Some(t("2026-11-23T12:30:00Z")));
    assert_eq!(mon12.person.as_ref(), "", "a provider duty is about no one");
    assert_eq!(mon12.cites.as_ref(), ["000 ex1 s4".to_string()]);
    // Monday 18:00: nobody reviewed before Tuesday 12:00, and later work is not its.
    let mon18 = duty(&d, &id("2026-11-23T18:00:00Z"));
    assert_eq!(mon18.status, Status::Overdue);
    assert_eq!(mon18.late_by_seconds, Some(24 * 3600));
    // Tuesday 12:00: done late by r2.
    let tue12 = duty(&d, &id("2026-11-24T12:00:00Z"));
    assert_eq!(tue12.status, Status::DoneLate);
    assert_eq!(tue12.late_by_seconds, Some(5 * 3600 + 29 * 60));
    // Tuesday 18:00: done by r3 (a registered manager covers the senior coordinator).
    assert_eq!(duty(&d, &id("2026-11-24T18:00:00Z")).status, Status::Done);
    // Nothing opened before the record started; Wednesday 12:00 is the next change.
    assert_eq!(
        ids(&d)
            .iter()
            .filter(|i| i.contains("attendance_review"))
            .count(),
        4
    );
    // The first impact audit is due at Wednesday 00:00 and overdue the second after.
    assert_eq!(d.next_change, Some(t("2026-11-25T00:00:01Z")));
}

#[test]
fn a_fixed_time_review_is_due_through_its_deadline_and_overdue_the_second_after() {
    let events = with(&[]);
    let at_due = decision("2026-11-23T00:00:00Z", &events, "2026-11-23T12:30:00Z");
    let id = "governance/attendance_review/2026-11-23T12:00:00Z";
    assert_eq!(duty(&at_due, id).status, Status::Due);
    assert_eq!(at_due.next_change, Some(t("2026-11-23T12:30:01Z")));
    let after = decision("2026-11-23T00:00:00Z", &events, "2026-11-23T12:30:01Z");
    assert_eq!(duty(&after, id).status, Status::Overdue);
    // Before 12:00 nothing is open, and 12:00 is when that changes.
    let before = decision("2026-11-23T00:00:00Z", &events, "2026-11-23T11:59:59Z");
    assert!(!ids(&before).iter().any(|i| i.contains("attendance_review")));
    assert_eq!(before.next_change, Some(t("2026-11-23T12:00:00Z")));
}

#[test]
fn a_duty_every_48_hours_is_due_48_hours_after_it_was_last_done() {
    // First due 48 h after the record starts (Wed 00:00); done Tue 09:47, so the next is
    // due Thu 09:47; done late Thu 10:00 (13 min), so the next is due Sat 10:00.
    let a = record("a", "2026-11-24T09:47:00Z", "impact", "registered_manager");
    let b = record("b", "2026-11-26T10:00:00Z", "impact", "registered_manager");
    // The senior coordinator does not cover the registered manager: not an audit.
    let c = record("c", "2026-11-27T09:00:00Z", "impact", "senior_coordinator");
    let events = with(&[&a, &b, &c]);
    let d = decision("2026-11-23T00:00:00Z", &events, "2026-11-28T10:00:01Z");
    let id = |at: &str| format!("governance/impact_audit/{at}");
    let first = duty(&d, &id("2026-11-23T00:00:00Z"));
    assert_eq!(
        (first.status, first.due),
        (Status::Done, Some(t("2026-11-25T00:00:00Z")))
    );
    let second = duty(&d, &id("2026-11-24T09:47:00Z"));
    assert_eq!(second.due, Some(t("2026-11-26T09:47:00Z")));
    assert_eq!(
        (second.status, second.late_by_seconds),
        (Status::DoneLate, Some(13 * 60))
    );
    let third = duty(&d, &id("2026-11-26T10:00:00Z"));
    assert_eq!(third.due, Some(t("2026-11-28T10:00:00Z")));
    assert_eq!(
        (third.status, third.late_by_seconds),
        (Status::Overdue, Some(1))
    );
    assert_eq!(
        ids(&d)
            .iter()
            .filter(|i| i.contains("impact_audit"))
            .count(),
        3
    );
}

/// Across the night the clocks go back (Sun 25 Oct 2026, 02:00 BST), 48 real hours after
/// 11:00 BST on Saturday is 10:00 GMT on Monday: the reason says what the wall clock shows,
/// so that "2 days after 11:00" is not read as 11:00 (found by a docs-only tester). With no
/// change in between, nothing is added.
#[test]
fn a_duty_every_48_hours_says_the_wall_clock_when_the_clocks_change_in_between() {
    let plan = r#"
  - { id: plan, at: "2026-10-20T12:00:00Z", person: P-1, kind: visit_planned, visit: V1,
      planned: "2026-11-30T09:00:00Z", criticality: routine }
"#;
    let done = record("a", "2026-10-24T10:00:00Z", "impact", "registered_manager");
    let rules = rules();
    let text = format!("from: 2026-10-20T09:00:00Z\nevents:\n{plan}{done}\n");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    let d = rules.evaluate(&tl, t("2026-10-25T12:00:00Z"));
    let next = duty(&d, "governance/impact_audit/2026-10-24T10:00:00Z");
    assert_eq!(next.due, Some(t("2026-10-26T10:00:00Z")));
    let because = next.because.join(" / ");
    assert!(
        because.ends_with(
            "due 2 days after it was last done at 11:00 Sat 24 Oct, which is 10:00 Mon 26 Oct \
             on the wall clock (the clocks change in between)"
        ),
        "{because}"
    );
    // The first, due 48 hours after 10:00 BST Tue 20 Oct (done late on the Saturday), has no
    // change in between.
    let first = duty(&d, "governance/impact_audit/2026-10-20T09:00:00Z");
    let because = first.because.join(" / ");
    assert!(!because.contains("wall clock"), "{because}");
}

#[test]
fn three_times_each_week_is_judged_by_whole_weeks() {
    // The record starts Wednesday 25 November: that week began before it and is not judged
    // (a note says so); the week from Monday 30 November needs three reviews by Monday 7
    // December 00:00. Two in it, and one at Monday 00:00:00, which is the next week's.
    let events = with(&[
        &record("q1", "2026-11-26T09:00:00Z", "attendance", "quality_lead"),
        &record("q2", "2026-12-01T09:00:00Z", "attendance", "quality_lead"),
        &record("q3", "2026-12-03T09:00:00Z", "attendance", "quality_lead"),
        &record("q4", "2026-12-07T00:00:00Z", "attendance", "quality_lead"),
    ]);
    let from = "2026-11-25T12:00:00Z";
    let week = "governance/oversight/2026-11-30T00:00:00Z";
    let sunday = decision(from, &events, "2026-12-06T23:59:59Z");
    assert_eq!(duty(&sunday, week).status, Status::Due);
    assert!(sunday
        .notes
        .iter()
        .any(|n| n.contains("rule `oversight` is judged by whole weeks")));
    assert!(!ids(&sunday)
        .iter()
        .any(|i| i.starts_with("governance/oversight/2026-11-23")));
    let monday = decision(from, &events, "2026-12-07T00:00:01Z");
    let o = duty(&monday, week);
    assert_eq!((o.status, o.late_by_seconds), (Status::Overdue, Some(1)));
    assert!(o.because[0].contains("2 of 3 done"), "{:?}", o.because);
    // The third review, in time, makes the week done at that review.
    let more = with(&[
        &record("q2", "2026-12-01T09:00:00Z", "attendance", "quality_lead"),
        &record("q3", "2026-12-03T09:00:00Z", "attendance", "quality_lead"),
        &record("q5", "2026-12-06T23:59:59Z", "attendance", "quality_lead"),
    ]);
    let done = decision(from, &more, "2026-12-07T09:00:00Z");
    let o = duty(&done, week);
    assert_eq!(
        (o.status, o.done_at),
        (Status::Done, Some(t("2026-12-06T23:59:59Z")))
    );
}

#[test]
fn a_weekly_review_without_a_deadline_is_due_by_the_next_opening() {
    let events = with(&[&record(
        "w",
        "2026-11-30T10:05:00Z",
        "attendance",
        "quality_lead",
    )]);
    let d = decision("2026-11-23T00:00:00Z", &events, "2026-11-30T10:05:00Z");
    let first = duty(&d, "governance/weekly_report/2026-11-23T10:00:00Z");
    assert_eq!(first.due, Some(t("2026-11-30T10:00:00Z")));
    assert_eq!(
        (first.status, first.late_by_seconds),
        (Status::Overdue, Some(300))
    );
    assert_eq!(
        duty(&d, "governance/weekly_report/2026-11-30T10:00:00Z").status,
        Status::Done
    );
}

#[test]
fn a_deadline_on_a_duty_its_schedule_makes_due_is_refused() {
    let text = FRAMEWORK.replace(
        "every 48h then record impact by registered_manager",
        "every 48h then record impact by registered_manager within 1h",
    );
    let checked = vigil::check::check(&[Source::new("f.vigil", text)]);
    let found: Vec<(String, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "E023".to_string(),
            "rule `impact_audit` is due by its schedule (`every`), so it cannot take a deadline as well"
        )]
    );
}

/// "Without a welfare call within 30 minutes" is known only once the 30 minutes have passed:
/// a call at that very second is in time, as a step done at its due second is everywhere.
#[test]
fn a_rule_that_something_was_not_done_in_time_fires_the_second_after_the_time() {
    let rules = vigil::compile(&[Source::new(
        "framework.vigil",
        std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
    )])
    .unwrap();
    // A critical visit at 08:00 is missed at 08:30; the rule allows until 09:00.
    let text = r#"
events:
  - { id: plan, at: "2026-11-23T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
      planned: "2026-11-24T08:00:00Z", criticality: critical }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rules).unwrap();
    let fired = |d: &Decision| {
        d.obligations
            .iter()
            .find(|o| {
                o.id.starts_with("governance/critical_without_welfare_check/")
            })
            .map(|o| o.opened_at)
    };
    let at_limit = rules.evaluate(&tl, t("2026-11-24T09:00:00Z"));
    assert_eq!(fired(&at_limit), None);
    assert_eq!(at_limit.next_change, Some(t("2026-11-24T09:00:01Z")));
    let after = rules.evaluate(&tl, t("2026-11-24T09:00:01Z"));
    assert_eq!(fired(&after), Some(t("2026-11-24T09:00:00Z")));
    // A call logged at 09:00:00 was in time: the rule never fires.
    let called = format!(
        "{text}  - {{ id: call, at: \"2026-11-24T09:00:00Z\", person: P-1, visit: V1, kind: contact_attempt, method: phone, outcome: reached, by: scheduling_coordinator }}\n"
    );
    let tl = Timeline::load(&called, Format::Yaml, "t.yaml", &rules).unwrap();
    assert_eq!(fired(&rules.evaluate(&tl, t("2026-11-24T12:00:00Z"))), None);
}

const COUNTS: &str = r#"
framework "Counts" version 1 {
  immediately means 5m
  role scheduling_coordinator "Scheduling coordinator"
  role nurse "Nurse in charge"
  role clinical_lead "Clinical lead"
  role registered_manager "Registered manager"
  role operations_director "Operations director"
  calendar office_hours "Office hours" { Mon-Fri 09:00-17:00 }
  log continuity "Missed-visit continuity review"
  log chart "Missed-visit monitoring chart"
  log contacts "Stakeholder communication log"
  results risk_level: red_risk, amber_risk, green_risk
  results wellbeing_worse: anxiety_up, missed_meal, medicines_variance, more_support_calls
  results incident_contact
  results compliance: below_threshold, at_or_above_threshold
  log audit "Attendance compliance audit"
  threshold critical late 15m missed 30m
  threshold routine late 15m missed 30m
  pathway missed_visit on missed_visit {
    step tell: notify registered_manager by scheduling_coordinator within 15m
  }
  governance {
    cycle wellbeing at 12:00, 19:00
    rule markers: when count wellbeing_worse at least 2 in cycle wellbeing per person
         then notify registered_manager by nurse immediately cite "000 ex2 s4"
    rule red_twice: when consecutive 2 red_risk per person
         then notify operations_director by registered_manager immediately cite "000 ex2 governance"
    rule out_of_hours_contacts: when count incident_contact out_of_hours at least 3 in 48h per provider
         then notify operations_director by registered_manager immediately cite "000 ex2 governance"
    rule location_drift: when consecutive 2 below_threshold per location
         then review audit by operations_director within 24h cite "000 ex3 governance"
    rule continuity: when first missed_visit critical in day per person
         then record continuity by clinical_lead within 90m cite "000 ex2 s1"
  }
}
"#;

fn counts(events: &str, at: &str) -> Decision {
    let rules = vigil::compile(&[Source::new("f.vigil", COUNTS)]).expect("framework checks");
    let text = format!("events:\n{PLANNED}{events}");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rules).expect("timeline loads");
    rules.evaluate(&tl, at.parse().expect("instant"))
}

fn result(id: &str, at: &str, log: &str, result: &str) -> String {
    format!(
        "  - {{ id: {id}, at: \"{at}\", person: P-1, kind: record_made, log: {log}, result: {result}, by: nurse }}\n"
    )
}

fn fired<'d>(d: &'d Decision, rule: &str) -> Vec<&'d Obligation> {
    let prefix = format!("governance/{rule}/");
    d.obligations
        .iter()
        .filter(|o| o.id.starts_with(&prefix))
        .collect()
}

/// Seed 000 ex2 s4: two markers worsen in the same review cycle (12:00-19:00, 19:00-12:00).
#[test]
fn two_worsening_markers_in_one_review_cycle_fire_and_two_across_cycles_do_not() {
    let same = result("m1", "2026-11-24T12:30:00Z", "chart", "anxiety_up")
        + &result("m2", "2026-11-24T18:59:00Z", "chart", "missed_meal");
    let d = counts(&same, "2026-11-24T19:30:00Z");
    let f = fired(&d, "markers");
    assert_eq!(f.len(), 1);
    assert_eq!(&*f[0].id, "governance/markers/P-1/2026-11-24T12:00:00Z");
    assert_eq!(f[0].opened_at, t("2026-11-24T18:59:00Z"));
    assert_eq!(f[0].because[0].as_ref(), "2 `wellbeing_worse` records for person P-1 in the wellbeing review cycle from 12:00 Tue 24 Nov: m1, m2");
    // At 19:00:00 the second is in the next cycle.
    let across = result("m1", "2026-11-24T12:30:00Z", "chart", "anxiety_up")
        + &result("m2", "2026-11-24T19:00:00Z", "chart", "missed_meal");
    assert!(fired(&counts(&across, "2026-11-24T23:00:00Z"), "markers").is_empty());
}

/// The defect: a record of another family (a worsening marker) between two red-risk reviews
/// broke the run. Only the risk levels make or break it.
#[test]
fn a_run_of_results_is_kept_within_its_family() {
    let other_family = result("r1", "2026-11-24T10:00:00Z", "chart", "red_risk")
        + &result("x", "2026-11-24T11:00:00Z", "chart", "anxiety_up")
        + &result("r2", "2026-11-24T12:00:00Z", "chart", "red_risk");
    let d = counts(&other_family, "2026-11-24T12:00:00Z");
    let f = fired(&d, "red_twice");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].opened_at, t("2026-11-24T12:00:00Z"));
    let broken = result("r1", "2026-11-24T10:00:00Z", "chart", "red_risk")
        + &result("a", "2026-11-24T11:00:00Z", "chart", "amber_risk")
        + &result("r2", "2026-11-24T12:00:00Z", "chart", "red_risk");
    assert!(fired(&counts(&broken, "2026-11-24T12:00:00Z"), "red_twice").is_empty());
}

/// Seed 000 ex2 governance: three out-of-hours incident contacts within 48 hours, counted
/// for the whole provider; one in office hours is not counted.
#[test]
fn three_out_of_hours_contacts_within_48_hours_fire_once() {
    // Sat 28 Nov 10:00 (out of hours), Sun 22:00 (out), Mon 30 Nov 10:00 (office hours: not
    // counted), Mon 20:00 (out): Saturday's is 58 h before Monday 20:00, so two in 48 h.
    // Tue 07:00 (out): Sun 22:00, Mon 20:00 and Tue 07:00 are within 33 h: it fires then.
    let events = result("c1", "2026-11-28T10:00:00Z", "contacts", "incident_contact")
        + &result("c2", "2026-11-29T22:00:00Z", "contacts", "incident_contact")
        + &result("c3", "2026-11-30T10:00:00Z", "contacts", "incident_contact")
        + &result("c4", "2026-11-30T20:00:00Z", "contacts", "incident_contact");
    assert!(fired(
        &counts(&events, "2026-12-01T06:59:59Z"),
        "out_of_hours_contacts"
    )
    .is_empty());
    let more = events + &result("c5", "2026-12-01T07:00:00Z", "contacts", "incident_contact");
    let d = counts(&more, "2026-12-01T07:00:00Z");
    let f = fired(&d, "out_of_hours_contacts");
    assert_eq!(f.len(), 1);
    assert_eq!(&*f[0].id, "governance/out_of_hours_contacts/provider/c5");
    assert_eq!(f[0].person.as_ref(), "");
    assert!(
        f[0].because[0].ends_with("within 2 days: c2, c4, c5"),
        "{:?}",
        f[0].because
    );
}

/// Seed 000 ex2 s1: the continuity review is due within 90 minutes of the first missed
/// critical visit (each day, for each person); a second that day and a routine one do not
/// open another.
#[test]
fn the_first_missed_critical_visit_of_a_day_opens_one_continuity_review() {
    let plan = |id: &str, at: &str, crit: &str| {
        format!(
            "  - {{ id: {id}, at: \"2026-11-23T18:00:00Z\", person: P-1, kind: visit_planned, visit: {id}, planned: \"{at}\", criticality: {crit} }}\n"
        )
    };
    let events = plan("A", "2026-11-24T08:00:00Z", "critical")
        + &plan("B", "2026-11-24T13:00:00Z", "critical")
        + &plan("S", "2026-11-24T07:00:00Z", "routine")
        + &plan("C", "2026-11-25T08:00:00Z", "critical");
    let d = counts(&events, "2026-11-25T09:00:00Z");
    let f = fired(&d, "continuity");
    let opened: Vec<_> = f.iter().map(|o| (o.opened_at, o.due)).collect();
    assert_eq!(
        opened,
        [
            (t("2026-11-24T08:30:00Z"), Some(t("2026-11-24T10:00:00Z"))),
            (t("2026-11-25T08:30:00Z"), Some(t("2026-11-25T10:00:00Z"))),
        ]
    );
    assert!(f[0].because[0].starts_with("the first critical missed-visit episode for person P-1 on the day from 00:00 Tue 24 Nov"), "{:?}", f[0].because);
}

#[test]
fn a_count_names_a_trigger_a_result_or_a_family_and_a_criticality_only_with_a_trigger() {
    let bad = COUNTS
        .replace(
            "count wellbeing_worse at least 2",
            "count wellbeing_wrose at least 2",
        )
        .replace(
            "first missed_visit critical in day",
            "first red_risk critical in day",
        );
    let checked = vigil::check::check(&[Source::new("f.vigil", bad)]);
    let found: Vec<(String, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].1.contains("wellbeing_wrose"), "{found:?}");
    assert_eq!(
        found[1].1,
        "`red_risk` is a result, which has no visit criticality"
    );
}

/// Seed 000 ex3 governance: one location's compliance score below the provider threshold for
/// two consecutive reports. A report names its location; runs are kept per location, and a
/// report naming none cannot be placed, so it is a manual review.
#[test]
fn consecutive_reports_are_kept_per_location_named_on_the_record() {
    let report = |id: &str, at: &str, loc: &str, r: &str| {
        format!("  - {{ id: {id}, at: \"{at}\", person: P-1, kind: record_made, log: audit, result: {r}, location: {loc}, by: nurse }}\n")
    };
    let events = report("a1", "2026-11-23T10:00:00Z", "L1", "below_threshold")
        + &report("b1", "2026-11-24T10:00:00Z", "L2", "below_threshold")
        + &report("a2", "2026-11-30T10:00:00Z", "L1", "below_threshold")
        + &report("b2", "2026-12-01T10:00:00Z", "L2", "at_or_above_threshold")
        + "  - { id: n, at: \"2026-12-01T11:00:00Z\", person: P-1, kind: record_made, log: audit, result: below_threshold, by: nurse }\n";
    let d = counts(&events, "2026-12-01T12:00:00Z");
    let f = fired(&d, "location_drift");
    let ids: Vec<&str> = f.iter().map(|o| &*o.id).collect();
    assert_eq!(
        ids,
        [
            "governance/location_drift/L1/a2",
            "governance/location_drift/manual-review/n"
        ]
    );
    assert_eq!(f[0].due, Some(t("2026-12-01T10:00:00Z")));
}

/// Found by the fuzzer (docs/reliability.md, finding 14): asked before the record starts, the
/// decision's next change must be the record's start, where the first duty due every 48
/// hours opens (language.md §11.3): it opens at 14:00 on Tuesday 24th, due Thursday 14:00.
#[test]
fn before_the_record_starts_its_start_is_the_next_change() {
    let before = decision("2026-11-24T14:00:00Z", "  []", "2026-11-23T23:00:00Z");
    assert!(ids(&before).iter().all(|id| !id.contains("impact_audit")));
    let next = before.next_change.unwrap();
    assert!(next <= t("2026-11-24T14:00:00Z"), "{next}");
    let at_start = decision("2026-11-24T14:00:00Z", "  []", "2026-11-24T14:00:00Z");
    let first = duty(&at_start, "governance/impact_audit/2026-11-24T14:00:00Z");
    assert_eq!(first.due, Some(t("2026-11-26T14:00:00Z")));
    vigil_next_change_exact("2026-11-23T23:00:00Z");
}

/// `common::next_change_is_exact` over the same empty record, asked at `at`.
fn vigil_next_change_exact(at: &str) {
    let checked = common::next_change_is_exact(
        |at| decision("2026-11-24T14:00:00Z", "  []", at),
        |d| {
            d.obligations
                .iter()
                .map(|o| format!("{} {:?} {:?}", o.id, o.status, o.due))
                .collect()
        },
        at,
    );
    assert!(checked.is_ok(), "{checked:?}");
}

/// Finding 15 (docs/reliability.md): a timeline with no events and no `from` starts its record
/// on as_of's day (language.md §11.3), so at the next local midnight every schedule starts a
/// day later; that midnight is announced as the next change, and the answer is exact.
#[test]
fn an_empty_record_moves_at_midnight_and_says_so() {
    let rules = rules();
    let tl = Timeline::load("events: []\n", Format::Yaml, "t.yaml", &rules).unwrap();
    let d = rules.evaluate(&tl, t("2026-11-24T22:56:00Z"));
    assert!(
        d.next_change
            .is_some_and(|n| n <= t("2026-11-25T00:00:00Z")),
        "{:?}",
        d.next_change
    );
    let checked = common::next_change_is_exact(
        |at| rules.evaluate(&tl, at.parse().unwrap()),
        |d| {
            d.obligations
                .iter()
                .map(|o| format!("{} {:?} {:?}", o.id, o.status, o.due))
                .collect()
        },
        "2026-11-24T22:56:00Z",
    );
    assert!(checked.is_ok(), "{checked:?}");
}
