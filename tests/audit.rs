//! `vigil audit` over examples/audit-day.yaml: every figure worked out by hand from the docs
//! before the code ran (examples/README.md, "audit-day, worked by hand"), including V5, missed
//! at 18:00:00 exactly, when the 12:00 review cycle and the office both close.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly

mod common;

use vigil::audit::{Audit, Outcome, Period, Tally};
use vigil::timeline::{Format, Timeline};

fn at(s: &str) -> vigil::time::Instant {
    s.parse().unwrap()
}

fn audit_day() -> Audit {
    let text = std::fs::read_to_string("examples/audit-day.yaml").unwrap();
    let rs = common::bundled_rules();
    let tl = Timeline::load(&text, Format::Yaml, "audit-day.yaml", &rs).unwrap();
    let period = Period {
        from: at("2026-11-24T00:00:00Z"),
        to: at("2026-11-25T00:00:00Z"),
    };
    Audit::of(&rs.evaluate(&tl, period.to), &tl, &rs, period)
}

/// (duties, on time, late, never done, lapsed overdue, not required, open, compliance).
type Figures = (usize, usize, usize, usize, usize, usize, usize, Option<f64>);

fn figures(t: &Tally) -> Figures {
    (
        t.duties,
        t.on_time,
        t.late,
        t.never_done,
        t.lapsed_overdue,
        t.not_required,
        t.open,
        t.compliance_percent,
    )
}

#[test]
fn every_duty_has_the_outcome_worked_by_hand_breaches_worst_first() {
    let a = audit_day();
    // (person, summary start, outcome, late by seconds), in the audit's order.
    let expected: [(&str, &str, Outcome, Option<i64>); 11] = [
        (
            "A-04",
            "Record in the missed-visit",
            Outcome::NeverDone,
            Some(37_200),
        ),
        (
            "A-05",
            "Notify the on-call manager",
            Outcome::NeverDone,
            Some(21_300),
        ),
        (
            "A-05",
            "Record in the missed-visit",
            Outcome::NeverDone,
            Some(21_000),
        ),
        (
            "A-05",
            "Make 2 contact attempts",
            Outcome::NeverDone,
            Some(20_700),
        ),
        (
            "A-05",
            "Tell the registered manager",
            Outcome::NeverDone,
            Some(20_400),
        ),
        (
            "A-03",
            "Record in the missed-visit",
            Outcome::Late,
            Some(600),
        ),
        (
            "A-04",
            "Make 2 contact attempts",
            Outcome::LapsedOverdue,
            Some(180),
        ),
        ("A-03", "Notify the duty manager", Outcome::OnTime, None),
        ("A-03", "Make 2 contact attempts", Outcome::OnTime, None),
        ("A-04", "Notify the duty manager", Outcome::OnTime, None),
        ("", "Notify the nominated individual", Outcome::OnTime, None),
    ];
    let got: Vec<(&str, &str, Outcome, Option<i64>)> = a
        .duties
        .iter()
        .map(|d| (&*d.person, &*d.summary, d.outcome, d.late_by_seconds))
        .collect();
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!((g.0, g.2, g.3), (e.0, e.2, e.3), "{g:?}");
        assert!(g.1.starts_with(e.1), "{} / {}", g.1, e.1);
    }
    // Each carries its provenance: the rule, where it is written, the version, the clause.
    for d in &a.duties {
        assert!(d
            .source
            .starts_with("protocols/supported-living/framework.vigil:"));
        assert_eq!(&*d.version, "2026.1");
        assert!(!d.cites.is_empty(), "{}", d.id);
    }
    // A-05's unresolved escalation fires at 00:00 Wednesday, the instant the period ends:
    // it is next period's.
    assert!(a.duties.iter().all(|d| !d.rule.contains("unresolved")));
}

#[test]
fn the_totals_and_every_grouping_match_the_hand_count() {
    let a = audit_day();
    assert_eq!(figures(&a.totals), (11, 4, 1, 5, 1, 0, 0, Some(36.4)));
    assert_eq!(figures(&a.governance), (1, 1, 0, 0, 0, 0, 0, Some(100.0)));
    let rows = |groups: &[vigil::audit::Group]| -> Vec<(String, Figures)> {
        groups
            .iter()
            .map(|g| (g.key.clone(), figures(&g.tally)))
            .collect()
    };
    let row = |k: &str, f: Figures| (k.to_string(), f);
    assert_eq!(
        rows(&a.by_role),
        [
            row("scheduling_coordinator", (7, 3, 0, 3, 1, 0, 0, Some(42.9))),
            row("duty_manager", (2, 0, 1, 1, 0, 0, 0, Some(0.0))),
            row("on_call_manager", (1, 0, 0, 1, 0, 0, 0, Some(0.0))),
            row("senior_coordinator", (1, 1, 0, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    assert_eq!(
        rows(&a.by_person),
        [
            row("A-05", (4, 0, 0, 4, 0, 0, 0, Some(0.0))),
            row("A-04", (3, 1, 0, 1, 1, 0, 0, Some(33.3))),
            row("A-03", (3, 2, 1, 0, 0, 0, 0, Some(66.7))),
            row("provider", (1, 1, 0, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    // The governance duty is counted per route: it is R2's.
    assert_eq!(
        rows(&a.by_route),
        [
            row("R1", (4, 0, 0, 4, 0, 0, 0, Some(0.0))),
            row("R2", (7, 4, 1, 1, 1, 0, 0, Some(57.1))),
        ]
    );
    assert_eq!(
        rows(&a.by_location),
        [
            row("L1", (4, 0, 0, 4, 0, 0, 0, Some(0.0))),
            row("L2", (6, 3, 1, 1, 1, 0, 0, Some(50.0))),
            row("", (1, 1, 0, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    // V5's duties open at 18:00:00, the review boundary: the 18:00 cycle's, not the 12:00's.
    assert_eq!(
        rows(&a.by_cycle),
        [
            row(
                "attendance@2026-11-24T12:00:00Z",
                (7, 4, 1, 1, 1, 0, 0, Some(57.1))
            ),
            row(
                "attendance@2026-11-24T18:00:00Z",
                (4, 0, 0, 4, 0, 0, 0, Some(0.0))
            ),
        ]
    );
    let v = a.visits;
    assert_eq!(
        (v.planned, v.on_time, v.late, v.missed, v.pending),
        (5, 1, 1, 3, 0)
    );
    assert_eq!(a.weeks.len(), 1);
    assert_eq!(a.weeks[0].starts, "2026-11-23");
}

fn vigil(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .output()
        .unwrap()
}

/// `vigil audit` of the audit-day example over the period `--from` to `--to`.
fn audit_day_over(from: &str, to: &str) -> std::process::Output {
    vigil(&[
        "audit",
        "protocols/supported-living",
        "--timeline",
        "examples/audit-day.yaml",
        "--from",
        from,
        "--to",
        to,
    ])
}

const DAY: [&str; 7] = [
    "audit",
    "protocols/supported-living",
    "--timeline",
    "examples/audit-day.yaml",
    "--from",
    "2026-11-24",
    "--to",
];

/// An empty period is a usage error (exit 2) that explains dates only when dates were given
/// (found by a docs-only tester: two equal instants were told of midnights, and to give a
/// `--to` "no earlier" than the `--from` it equalled).
#[test]
fn an_empty_period_is_explained_in_the_terms_it_was_given() {
    let run = |from: &str, to: &str| {
        let out = audit_day_over(from, to);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let instants = run("2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z");
    assert!(instants.contains("the period is empty"), "{instants}");
    assert!(!instants.contains("midnight"), "{instants}");
    assert!(instants.contains("give a --to after --from"), "{instants}");
    let dates = run("2026-11-25", "2026-11-24");
    assert!(dates.contains("midnight"), "{dates}");
    // A reversed period is said to be so, not empty (found by a docs-only tester).
    let reversed = run("2026-11-26", "2026-11-24");
    assert!(
        reversed.contains("the period ends before it starts"),
        "{reversed}"
    );
    // Bounds are whole seconds: half a second is no period, and a bound's fraction never
    // makes a period look reversed when its seconds are equal (found by a docs-only tester).
    let half = run("2026-11-24T12:00:00Z", "2026-11-24T12:00:00.5Z");
    assert!(half.contains("the period is empty"), "{half}");
    let fractions = run("2026-11-24T12:00:00.7Z", "2026-11-24T12:00:00.2Z");
    assert!(fractions.contains("the period is empty"), "{fractions}");
    // A 60th second is refused, as in a timeline and for `eval --at`, not read as the 59th
    // (found by a docs-only tester).
    for (from, to) in [
        ("2026-11-24T00:00:60Z", "2026-11-25"),
        ("2026-11-24", "2026-11-24T23:59:60Z"),
    ] {
        assert!(run(from, to).contains("60th second"));
    }
}

#[test]
fn the_command_line_writes_every_format_and_exits_3_on_a_breach() {
    let run = |format: &str| {
        let mut args = DAY.to_vec();
        args.extend(["2026-11-24", "--format", format]);
        let out = vigil(&args);
        assert_eq!(out.status.code(), Some(3), "{format}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["totals"]["compliance_percent"], 36.4);
    assert_eq!(json["duties"][0]["outcome"], "never_done");
    let csv = run("csv");
    assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), 12);
    let md = run("markdown");
    assert!(md.contains("![Missed and late visits per week](data:image/svg+xml;base64,"));
    assert!(md.contains("| All duties | 11 | 4 | 1 | 5 | 1 | 0 | 0 | 0 | 36.4% |"));
    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg "));
    let svg = run("svg");
    assert!(svg.contains("3 missed") && svg.contains("1 late"));
    insta::assert_snapshot!("audit-day-text", run("text"));
    insta::assert_snapshot!("audit-day-markdown", md);
}

#[test]
fn a_period_that_ends_before_it_starts_is_a_usage_error() {
    let mut args = DAY.to_vec();
    args.push("2026-11-23");
    let out = vigil(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ends"));
    let mut args = DAY.to_vec();
    args.push("24/11/2026");
    let out = vigil(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a date"));
}

#[test]
fn a_period_with_no_breach_exits_0() {
    // Monday 23rd: nothing was due.
    let out = audit_day_over("2026-11-23", "2026-11-23");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 duties"));
}

/// Found by a tester working from the docs alone: a period ending at 09:30:00.9 kept the duties
/// opened at 09:30:00, as if it ended a second later. Bounds are whole seconds, as decisions
/// are, so it keeps none of them: V3's duties open at 12:30:00 and a period ending at
/// 12:30:00.9 has none.
#[test]
fn a_period_ending_within_a_second_ends_at_that_second() {
    let text = std::fs::read_to_string("examples/audit-day.yaml").unwrap();
    let rs = common::bundled_rules();
    let tl = Timeline::load(&text, Format::Yaml, "audit-day.yaml", &rs).unwrap();
    let to = at("2026-11-24T12:30:00Z") + chrono::Duration::milliseconds(900);
    let period = Period {
        from: at("2026-11-24T00:00:00Z"),
        to,
    };
    let a = Audit::of(&rs.evaluate(&tl, to), &tl, &rs, period);
    assert!(
        a.duties.iter().all(|d| &*d.person != "A-03"),
        "{:?}",
        a.duties
    );
    assert_eq!(a.to, "2026-11-24T12:30:00Z");
}

/// Found by a new user reading a simulated month's pack: a visit where the worker found no
/// answer at the door was counted "on time" (the worker was there on time). It is counted
/// apart, as "no answer": the visit did not happen.
#[test]
fn a_visit_with_no_answer_at_the_door_is_not_on_time() {
    let rs = common::bundled_rules();
    let text = r#"
from: 2026-11-24T00:00:00Z
events:
  - { id: p1, at: "2026-11-23T18:00:00Z", person: N-01, kind: visit_planned, visit: V1,
      planned: "2026-11-24T10:00:00Z", criticality: standard, route: R1, by: scheduling_coordinator }
  - { id: p2, at: "2026-11-23T18:00:00Z", person: N-02, kind: visit_planned, visit: V2,
      planned: "2026-11-24T11:00:00Z", criticality: standard, route: R1, by: scheduling_coordinator }
  - { id: na, at: "2026-11-24T10:04:00Z", person: N-01, visit: V1, kind: no_answer, by: support_worker }
  - { id: ok, at: "2026-11-24T10:40:00Z", person: N-01, visit: V1, kind: contact_established, by: support_worker }
  - { id: in, at: "2026-11-24T11:03:00Z", person: N-02, visit: V2, kind: arrived, by: support_worker }
"#;
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    let period = Period {
        from: at("2026-11-24T00:00:00Z"),
        to: at("2026-11-25T00:00:00Z"),
    };
    let a = Audit::of(&rs.evaluate(&tl, period.to), &tl, &rs, period);
    let v = a.visits;
    assert_eq!(
        (v.planned, v.on_time, v.no_answer, v.late, v.missed),
        (2, 1, 1, 0, 0)
    );
}

/// The decision's notes reach the pack in every format that has room for words: a record
/// starting on Wednesday 6 January 2027, under version 2027.1, whose weekly rules judge
/// whole weeks only, so the week it starts in is not judged and a note names the first week
/// that is (language.md §11.3). Without the note the week would vanish from the pack
/// without a word.
#[test]
fn the_decisions_notes_are_in_the_pack() {
    let dir = std::env::temp_dir().join(format!("vigil-audit-notes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let timeline = dir.join("wk.yaml");
    std::fs::write(
        &timeline,
        "from: 2027-01-06T00:00:00Z\nas_of: 2027-01-08T00:00:00Z\nevents:\n  - { at: \"2027-01-06T09:00:00Z\", person: G-01, kind: visit_planned, visit: V1, planned: \"2027-01-06T10:00:00Z\", criticality: standard, route: R1, location: L1 }\n",
    )
    .unwrap();
    let note = "is judged by whole weeks: the week the record starts in (00:00 Wed 06 Jan) began before it, so the first week judged starts 00:00 Mon 11 Jan";
    let run = |format: &str| {
        let out = vigil(&[
            "audit",
            "protocols/supported-living-2027",
            "--timeline",
            timeline.to_str().unwrap(),
            "--format",
            format,
        ]);
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(
        text.contains(&format!("Note: rule `oversight_review` {note}")),
        "{text}"
    );
    let md = run("markdown");
    assert!(
        md.contains("## Notes\n\n- rule `oversight_review` "),
        "{md}"
    );
    let html = run("html");
    assert!(
        html.contains("<h2>Notes</h2>") && html.contains(note),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert!(notes.iter().any(|n| n.contains(note)), "{notes:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A decision two roles share is counted under each of them, each group named for its own
/// role (found by a docs-only tester: the group was the first decider's alone, labelled
/// "Support worker or team lead", a name that depended on which of its duties came first).
/// Worked by hand (language.md 7.10): the worker tells the lead at 10:05 (due 10:10: on
/// time). The decision is due at 10:35; only the worker records `not_worried`, which, not
/// being the first-listed outcome, needs every voice: never done. Overdue at 10:35:01 with no
/// `if overdue` branch, it starts `otherwise` (`calm`, the lead's, due 11:35: never done by
/// 12:00); `police` waits for `worried` and stays open. So the worker's group holds `tell`
/// and `judge` (2), the lead's `judge`, `police` and `calm` (3).
#[test]
fn a_shared_decision_is_counted_under_each_of_its_roles() {
    let framework = r#"framework "Shared" version 1 {
  timezone "Europe/London"
  immediately means 5m
  role worker "Support worker"
  role lead "Team lead" covers worker
  agency social_care "Social care" statutory
  agency police "Police" emergency
  threshold standard late 15m missed 30m after planned start
  decision concern "Cause for concern?" outcomes worried, not_worried
  pathway no_answer_path on no_answer {
    step tell: notify lead by worker within 10m
    step judge: decide concern by any of worker, lead within 30m after tell
    step police: escalate to police by lead immediately after judge if worried
    step calm: escalate to social_care by lead within 1h after judge otherwise
  }
}"#;
    let rs = vigil::compile(&[
        vigil::Source::new("framework.vigil", framework),
        vigil::Source::new(
            "p.vigil",
            "protocol \"X-1\" under \"Shared\" version 1 {\n  methods phone\n}\n",
        ),
    ])
    .unwrap();
    let text = "events:
  - {id: na, at: 2026-11-24T10:00:00Z, person: X-1, kind: no_answer, by: worker}
  - {id: tell, at: 2026-11-24T10:05:00Z, person: X-1, kind: notified, role: lead, by: worker}
  - {id: d, at: 2026-11-24T10:50:00Z, person: X-1, kind: decided, decision: concern, outcome: not_worried, by: worker}
";
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    let period = Period {
        from: at("2026-11-24T00:00:00Z"),
        to: at("2026-11-24T12:00:00Z"),
    };
    let a = Audit::of(&rs.evaluate(&tl, period.to), &tl, &rs, period);
    let judge = a
        .duties
        .iter()
        .find(|d| d.rule.ends_with(".judge"))
        .unwrap();
    assert_eq!(
        judge.deciders.iter().map(|d| &**d).collect::<Vec<_>>(),
        ["worker", "lead"]
    );
    let groups: Vec<(&str, &str, usize)> = a
        .by_role
        .iter()
        .map(|g| (g.key.as_str(), g.label.as_str(), g.tally.duties))
        .collect();
    assert_eq!(
        groups,
        [("lead", "Team lead", 3), ("worker", "Support worker", 2)],
        "{:#?}",
        a.duties
    );
}

/// A route written with a slash (`North/East`, as rotas are named) is one route: a duty a
/// rule counted per route is that route's, in the pack's groups and for `--route`, not a
/// route `North` read back from the duty's id (found by a docs-only tester: two routes'
/// duties were merged under `North`, and `--route North/East` hid an overdue notice and
/// exited 0).
#[test]
fn a_route_with_a_slash_is_one_route() {
    let rs = common::bundled_rules();
    let text = std::fs::read_to_string("examples/governance-no-route.yaml")
        .unwrap()
        .replace("route: R3", "route: \"North/East\"");
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rs).unwrap();
    let d = rs.evaluate(&tl, at("2026-11-24T15:36:00Z"));
    let counted = d
        .obligations
        .iter()
        .find(|o| o.id.starts_with("governance/two_missed_in_cycle/"))
        .expect("the route's two misses are counted");
    assert_eq!(counted.counted_route.as_deref(), Some("North/East"));
    assert_eq!(counted.counted_location, None);
    assert_eq!(
        vigil::audit::counted_route(counted).as_deref(),
        Some("North/East")
    );
    let period = Period {
        from: at("2026-11-24T00:00:00Z"),
        to: at("2026-11-24T15:36:00Z"),
    };
    let audit = Audit::of(&d, &tl, &rs, period);
    let routes: Vec<&str> = audit.by_route.iter().map(|g| g.key.as_str()).collect();
    assert!(routes.contains(&"North/East"), "{routes:?}");
    assert!(!routes.contains(&"North"), "{routes:?}");
    let line = audit
        .duties
        .iter()
        .find(|l| l.id == counted.id)
        .expect("the duty's line");
    assert_eq!(line.route.as_deref(), Some("North/East"));
}

/// A period past the record's end says so, for what fell due after it is judged as if nothing
/// more was recorded; a period ending before it says the events after the period's end were
/// not considered, not "after as_of" (the decision's own words, which an audit's reader was
/// never given). Found by a docs-only tester.
#[test]
fn a_period_past_the_record_or_before_its_end_says_so() {
    let text = |out: std::process::Output| String::from_utf8(out.stdout).unwrap();
    let past = text(audit_day_over("2026-11-24", "2026-11-26"));
    assert!(
        past.contains("Note: the period ends after the record does (its as_of, 00:00 Wed 25 Nov): what fell due after that is judged as if nothing more was recorded"),
        "{past}"
    );
    let whole = text(audit_day_over("2026-11-24", "2026-11-24"));
    assert!(!whole.contains("after the record does"), "{whole}");
    let before = text(audit_day_over(
        "2026-11-24T00:00:00Z",
        "2026-11-24T12:00:00Z",
    ));
    assert!(
        before.contains("events after the period's end were not considered"),
        "{before}"
    );
    assert!(!before.contains("after as_of"), "{before}");
}
