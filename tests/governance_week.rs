//! A week of provider governance (examples/governance-week.yaml) under version 2027.1 of the
//! supported-living framework: each escalation clause of seed 000's three operational
//! examples fires exactly once, at the instant worked out by hand in examples/README.md, and
//! each periodic review falls due on its schedule.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly

mod common;

use std::collections::BTreeMap;

use vigil::eval::{Decision, Status};
use vigil::timeline::{Format, Timeline};

fn week(at: &str) -> Decision {
    let text = std::fs::read_to_string("examples/governance-week.yaml").unwrap();
    let rules = common::rules_in(&common::rules_dir(&text));
    assert_eq!(rules.version(), "2027.1");
    let tl = Timeline::load(&text, Format::Yaml, "governance-week.yaml", &rules).unwrap();
    rules.evaluate(&tl, at.parse().unwrap())
}

/// Each governance rule's duties: how many, and how many of each status.
fn by_rule(d: &Decision) -> BTreeMap<String, (usize, BTreeMap<Status, usize>)> {
    let mut out: BTreeMap<String, (usize, BTreeMap<Status, usize>)> = BTreeMap::new();
    for o in d
        .obligations
        .iter()
        .filter(|o| o.id.starts_with("governance/"))
    {
        let rule = o.id.split('/').nth(1).unwrap().to_string();
        let entry = out.entry(rule).or_default();
        entry.0 += 1;
        *entry.1.entry(o.status).or_default() += 1;
    }
    out
}

#[test]
fn each_escalation_clause_fires_exactly_once_when_the_seed_says() {
    let d = week("2027-01-10T23:00:00Z");
    // rule, the firing's id (after `governance/RULE/`), opened, due.
    let expected = [
        (
            "two_missed_in_cycle",
            "R1/2027-01-04T12:00:00Z",
            "2027-01-04T14:30:00Z",
            "2027-01-04T14:35:00Z",
            "000 ex1 s4, governance",
        ),
        (
            "continuity_review",
            "G-03/2027-01-05T00:00:00Z",
            "2027-01-05T08:30:00Z",
            "2027-01-05T10:00:00Z",
            "000 ex2 s1",
        ),
        (
            "critical_without_welfare_check",
            "G-03/missed_visit/missed:V3",
            "2027-01-05T09:00:00Z",
            "2027-01-05T09:05:00Z",
            "000 ex1 governance",
        ),
        (
            "two_markers",
            "G-05/2027-01-06T12:00:00Z",
            "2027-01-06T18:00:00Z",
            "2027-01-06T18:05:00Z",
            "000 ex2 s4",
        ),
        (
            "unresolved_same_day",
            "G-04/missed_visit/missed:V4",
            "2027-01-07T00:00:00Z",
            "2027-01-07T00:05:00Z",
            "000 ex1 governance",
        ),
        (
            "two_audits_fail",
            "provider/2027-01-04T00:00:00Z",
            "2027-01-07T11:00:00Z",
            "2027-01-08T11:00:00Z",
            "000 ex3 s4",
        ),
        (
            "concern_open",
            "G-06/welfare_concern/concern",
            "2027-01-08T00:00:00Z",
            "2027-01-08T00:05:00Z",
            "000 ex2 governance",
        ),
        (
            "red_twice",
            "G-05/red-2",
            "2027-01-08T10:00:00Z",
            "2027-01-08T10:05:00Z",
            "000 ex2 governance",
        ),
        (
            "location_below_threshold",
            "L1/score-l1-2",
            "2027-01-08T15:00:00Z",
            "2027-01-08T15:05:00Z",
            "000 ex3 governance",
        ),
        (
            "out_of_hours_contacts",
            "provider/contact-3",
            "2027-01-09T22:00:00Z",
            "2027-01-09T22:05:00Z",
            "000 ex2 governance",
        ),
    ];
    let counts = by_rule(&d);
    for (rule, key, opened, due, cite) in expected {
        assert_eq!(counts.get(rule).map(|c| c.0), Some(1), "{rule} fires once");
        let o = d
            .obligations
            .iter()
            .find(|o| o.id == format!("governance/{rule}/{key}"))
            .unwrap_or_else(|| panic!("{rule}/{key}"));
        assert_eq!(
            o.opened_at,
            opened.parse::<vigil::time::Instant>().unwrap(),
            "{rule}"
        );
        assert_eq!(o.due, Some(due.parse().unwrap()), "{rule}");
        assert_eq!(o.cites.first().map(String::as_str), Some(cite), "{rule}");
        assert_eq!(&*o.version, "2027.1");
    }
}

#[test]
fn each_periodic_review_falls_due_on_its_schedule() {
    let d = week("2027-01-10T23:00:00Z");
    let counts = by_rule(&d);
    let status = |rule: &str, s: Status| {
        counts
            .get(rule)
            .and_then(|c| c.1.get(&s).copied())
            .unwrap_or(0)
    };
    use Status::{Done, DoneLate, Due, Overdue};
    // rule, duties, done, done late, overdue, due (worked by hand: examples/README.md).
    let expected = [
        ("gap_check", 7, 1, 0, 6, 0),
        ("attendance_review", 14, 1, 1, 12, 0),
        ("weekly_attendance_report", 1, 1, 0, 0, 0),
        ("oversight_review", 1, 1, 0, 0, 0),
        ("overdue_updates", 7, 0, 0, 7, 0),
        ("wellbeing_review", 14, 1, 3, 10, 0),
        ("impact_audit", 2, 1, 0, 1, 0),
        ("wellbeing_oversight", 1, 0, 0, 1, 0),
        ("action_tracker_update", 7, 0, 0, 7, 0),
        ("executive_review", 5, 0, 0, 5, 0),
        ("cross_location_verification", 1, 1, 0, 0, 0),
        ("board_review", 1, 0, 0, 0, 1),
    ];
    for (rule, n, done, late, overdue, due) in expected {
        let got = (
            counts.get(rule).map_or(0, |c| c.0),
            status(rule, Done),
            status(rule, DoneLate),
            status(rule, Overdue),
            status(rule, Due),
        );
        assert_eq!(got, (n, done, late, overdue, due), "{rule}");
    }
    // The three reviews of the week are done at the third, Friday 16:00.
    let oversight = d
        .obligations
        .iter()
        .find(|o| o.id == "governance/oversight_review/2027-01-04T00:00:00Z")
        .unwrap();
    assert_eq!(
        oversight.done_at,
        Some("2027-01-08T16:00:00Z".parse().unwrap())
    );
    // The next change is the week's end: the board review falls overdue, a new week opens.
    assert_eq!(d.next_change, Some("2027-01-11T00:00:00Z".parse().unwrap()));
}

#[test]
fn on_wednesday_evening_only_what_has_happened_has_fired() {
    let d = week("2027-01-06T18:01:00Z");
    let fired: Vec<&str> = [
        "two_missed_in_cycle",
        "continuity_review",
        "critical_without_welfare_check",
        "two_markers",
        "unresolved_same_day",
        "two_audits_fail",
        "concern_open",
        "red_twice",
        "location_below_threshold",
        "out_of_hours_contacts",
    ]
    .into_iter()
    .filter(|r| by_rule(&d).contains_key(*r))
    .collect();
    assert_eq!(
        fired,
        [
            "two_missed_in_cycle",
            "continuity_review",
            "critical_without_welfare_check",
            "two_markers"
        ]
    );
    let markers = d
        .obligations
        .iter()
        .find(|o| o.id.starts_with("governance/two_markers/"))
        .unwrap();
    assert_eq!(markers.status, Status::Due);
}

/// Found by a tester working from the docs alone: a welfare concern resolved the same day
/// (its steps all done: logged, then resolved by the clinical lead) is not "unresolved beyond
/// the same day" (language.md §6.5: without `safety unconfirmed`, an episode ends when its
/// steps are done). G-06's concern, resolved 30 s after midnight, is open at midnight; G-07's,
/// resolved at 23:59:59, is not.
#[test]
fn a_concern_resolved_before_midnight_is_not_open_at_midnight() {
    let rules = common::rules_in("protocols/supported-living-2027");
    let text = r#"
from: 2027-01-19T00:00:00Z
events:
  - { id: c6, at: "2027-01-19T23:59:00Z", person: G-06, kind: welfare_concern, by: family_liaison_coordinator }
  - { id: c6-log, at: "2027-01-19T23:59:30Z", person: G-06, kind: record_made, log: stakeholder_log, by: family_liaison_coordinator }
  - { id: c6-res, at: "2027-01-20T00:00:30Z", person: G-06, kind: record_made, log: concern_resolution, by: clinical_lead }
  - { id: c7, at: "2027-01-19T23:59:00Z", person: G-07, kind: welfare_concern, by: family_liaison_coordinator }
  - { id: c7-log, at: "2027-01-19T23:59:10Z", person: G-07, kind: record_made, log: stakeholder_log, by: family_liaison_coordinator }
  - { id: c7-res, at: "2027-01-19T23:59:59Z", person: G-07, kind: record_made, log: concern_resolution, by: clinical_lead }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rules).unwrap();
    let d = rules.evaluate(&tl, "2027-01-20T00:10:00Z".parse().unwrap());
    let open: Vec<&str> = d
        .obligations
        .iter()
        .filter(|o| o.id.starts_with("governance/concern_open/"))
        .map(|o| &*o.person)
        .collect();
    assert_eq!(open, ["G-06"]);
}

/// A duty with no deadline never falls due: done, it is `done` in the audit, not `on_time`,
/// and it is not in the compliance figure. G-06's concern is resolved (`resolve`, which has
/// no deadline) at 00:00:30; its other steps have deadlines.
#[test]
fn a_duty_with_no_deadline_done_is_not_counted_as_on_time() {
    let rules = common::rules_in("protocols/supported-living-2027");
    let text = r#"
from: 2027-01-19T00:00:00Z
events:
  - { id: c6, at: "2027-01-19T23:59:00Z", person: G-06, kind: welfare_concern, by: family_liaison_coordinator }
  - { id: c6-log, at: "2027-01-19T23:59:30Z", person: G-06, kind: record_made, log: stakeholder_log, by: family_liaison_coordinator }
  - { id: c6-res, at: "2027-01-20T00:00:30Z", person: G-06, kind: record_made, log: concern_resolution, by: clinical_lead }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rules).unwrap();
    let to: vigil::time::Instant = "2027-01-20T00:10:00Z".parse().unwrap();
    let d = rules.evaluate(&tl, to);
    let period = vigil::audit::Period {
        from: "2027-01-19T00:00:00Z".parse().unwrap(),
        to,
    };
    let audit = vigil::audit::Audit::of(&d, &tl, &rules, period);
    let resolve = audit
        .duties
        .iter()
        .find(|x| x.id.ends_with("/resolve"))
        .expect("the resolve step");
    assert_eq!(resolve.outcome, vigil::audit::Outcome::Done);
    let t = &audit.totals;
    assert_eq!(t.done_no_deadline, 1, "{t:?}");
    let fell_due = t.on_time + t.late + t.never_done + t.lapsed_overdue;
    assert_eq!(
        t.duties,
        fell_due + t.done_no_deadline + t.not_required + t.open
    );
}
