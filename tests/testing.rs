//! `vigil test`: the shipped protocols' own tests pass with every step reached, and the
//! report of a failing or faulty test file is pinned (tests/fixtures/testing/).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a missing fixture should fail loudly

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vigil::rules::coverage::Point;
use vigil::rules::RuleSet;
use vigil::testing::FileReport;

/// Run one test file against `rules`, as `vigil test` does: timeline files relative to it.
fn run_file(path: &Path, rules: &[RuleSet], reached: &mut BTreeSet<Point>) -> FileReport {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let spec = match vigil::testing::read(&text, &name) {
        Ok(s) => s,
        Err(errors) => return FileReport::failed_with(&name, errors),
    };
    let rs = match vigil::testing::pick(rules, &spec, (&name, &text)) {
        Ok(rs) => rs,
        Err(e) => return FileReport::failed_with(&name, vec![e]),
    };
    let folder = path.parent().unwrap().to_path_buf();
    let mut read = |written: &str| {
        let p = folder.join(written);
        std::fs::read_to_string(&p)
            .map(|t| (p.display().to_string(), t))
            .map_err(|e| format!("cannot read the timeline `{}`: {e}", p.display()))
    };
    vigil::testing::run(
        (&name, &text),
        &spec,
        (rs, &vigil::Limits::default()),
        &mut read,
        None,
        reached,
    )
}

/// The report of a test file written in `text`, run against the first of `rules` it names,
/// its timelines read from the working directory.
fn run_text(rules: &[RuleSet], text: &str) -> FileReport {
    let spec = vigil::testing::read(text, "t.test.yaml").unwrap();
    let rs = vigil::testing::pick(rules, &spec, ("t.test.yaml", text)).unwrap();
    vigil::testing::run(
        ("t.test.yaml", text),
        &spec,
        (rs, &vigil::Limits::default()),
        &mut |p: &str| Ok((p.to_string(), std::fs::read_to_string(p).unwrap())),
        None,
        &mut BTreeSet::new(),
    )
}

fn test_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.display().to_string().ends_with(".test.yaml"))
        .collect();
    out.sort();
    out
}

/// Every bundled framework folder: its tests pass, every `.vigil` file in it has a test file
/// beside it, and every point written in it was reached by some test: each pathway, step,
/// branch and condition outcome (full coverage; docs/testing.md promises full step coverage,
/// and the shipped tests reach the rest too).
#[test]
fn shipped_protocols_pass_their_tests_with_every_step_reached() {
    for dir in [
        "protocols/supported-living",
        "protocols/supported-living-2027",
        "protocols/alarm-response",
        "protocols/referral-intake",
        "protocols/welfare-calls",
    ] {
        let rules = vec![common::rules_in(dir)];
        let mut reached = BTreeSet::new();
        let files = test_files(dir);
        for f in &files {
            let report = run_file(f, &rules, &mut reached);
            let text = vigil::render::tests::to_text(std::slice::from_ref(&report));
            assert!(report.errors.is_empty(), "{text}");
            assert!(!report.tests.is_empty(), "{text}");
            assert!(report.tests.iter().all(|t| t.passed()), "{text}");
        }
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "vigil") {
                let test = p.with_extension("test.yaml");
                assert!(files.contains(&test), "{} has no tests", p.display());
            }
        }
        let missed: Vec<String> = rules[0]
            .coverage_points()
            .into_iter()
            .filter(|p| !reached.contains(p))
            .map(|p| format!("{}:{}: {}", p.file, p.line, p.words()))
            .collect();
        assert!(
            missed.is_empty(),
            "{dir}: steps no test reached:\n{}",
            missed.join("\n")
        );
    }
}

/// Each fixture's report, as `vigil test` prints it.
#[test]
fn faulty_and_failing_test_files_are_reported_in_plain_words() {
    let rules = vec![common::bundled_rules()];
    for f in test_files("tests/fixtures/testing") {
        let mut reached = BTreeSet::new();
        let report = run_file(&f, &rules, &mut reached);
        let text = vigil::render::tests::to_text(std::slice::from_ref(&report));
        let name = f
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".test.yaml", "");
        insta::assert_snapshot!(format!("testing__{name}"), text);
        assert!(
            !vigil::testing::Totals::of(&[report]).ok(),
            "{name} should not pass"
        );
    }
}

/// Two descriptions need two duties; one description matches whatever field it leaves out.
#[test]
fn each_description_needs_a_duty_of_its_own() {
    let rules = vec![common::bundled_rules()];
    let text = r#"
framework: Example Supported Living
version: "2026.1"
person: P-0002
tests:
  - name: partial and one to one
    timeline: examples/no-response-ladder.yaml
    expect:
      - at: 2026-11-25T10:20:00Z
        duties:
          - { status: done }
          - { status: done }
          - { status: done }
          - { step: review_records }
"#;
    let spec = vigil::testing::read(text, "t.test.yaml").unwrap();
    let rs = vigil::testing::pick(&rules, &spec, ("t.test.yaml", text)).unwrap();
    let mut read = |p: &str| Ok((p.to_string(), std::fs::read_to_string(p).unwrap()));
    let mut reached = BTreeSet::new();
    let run = |spec: &vigil::testing::TestFile,
               reached: &mut BTreeSet<Point>,
               read: &mut vigil::testing::ReadTimeline<'_>| {
        vigil::testing::run(
            ("t.test.yaml", text),
            spec,
            (rs, &vigil::Limits::default()),
            read,
            None,
            reached,
        )
    };
    // Three duties are done at 10:20 (external checks, attempts, notice).
    let report = run(&spec, &mut reached, &mut read);
    assert!(report.tests[0].passed(), "{report:?}");
    // A fourth `done` description has no duty left.
    let four = text.replace(
        "          - { step: review_records }",
        "          - { status: done }",
    );
    let report = run_text(&rules, &four);
    assert!(!report.tests[0].passed(), "{report:?}");
    // A description whose duty a vaguer one took is shown that duty, how it differs, and
    // which line has it (it was told only that every duty was matched).
    let taken = text.replace(
        "          - { step: review_records }",
        "          - { step: no_response.review_records, role: support_worker }\n          - { step: review_records }",
    );
    let report = run_text(&rules, &taken);
    let failure = &report.tests[0].checks[0].failures[0];
    assert!(
        failure.found.starts_with("`no_response.review_records`"),
        "{failure:?}"
    );
    assert!(
        failure
            .found
            .ends_with("(already matched by the description on line 15)"),
        "{failure:?}"
    );
    assert_eq!(
        failure.differs,
        ["role: expected support_worker, found duty_manager"],
        "{failure:?}"
    );
    // The evaluations reached the ladder's first steps.
    assert!(reached
        .iter()
        .any(|p| p.rule == "no_response.external_checks"));
}

/// `--filter` selects tests by name, and a run in which no test ran fails.
#[test]
fn filter_selects_and_an_empty_run_fails() {
    let bin = env!("CARGO_BIN_EXE_vigil");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(&[
        "test",
        "protocols/supported-living/p-0142-medication.test.yaml",
        "--filter",
        "refused",
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("refused") && !text.contains("late insulin"),
        "{text}"
    );
    let (code, text) = run(&[
        "test",
        "protocols/supported-living",
        "--filter",
        "no test has this in its name",
    ]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("no test ran"), "{text}");
    let (code, text) = run(&[
        "test",
        "protocols/welfare-calls",
        "--coverage",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(doc["coverage"]["points"].as_u64().unwrap() > 0, "{text}");
    assert_eq!(doc["totals"]["failed"], 0, "{text}");
}

/// A check's line is its own `at:`, not the first event's of a timeline written in the test.
#[test]
fn a_failure_names_the_line_of_its_check() {
    let rules = vec![common::bundled_rules()];
    let text = r#"framework: Example Supported Living
version: "2026.1"
person: P-0002
tests:
  - name: inline
    timeline:
      events:
        - { at: "2026-11-24T17:00:00Z", person: P-0002, kind: visit_planned, visit: V1,
            planned: "2026-11-25T10:00:00Z", criticality: critical }
        - { at: "2026-11-25T10:03:00Z", person: P-0002, kind: no_answer, visit: V1 }
    expect:
      - at: 2026-11-25T10:20:00Z
        duties:
          - { step: contact_attempts, status: done }
"#;
    let spec = vigil::testing::read(text, "t.test.yaml").unwrap();
    let rs = vigil::testing::pick(&rules, &spec, ("t.test.yaml", text)).unwrap();
    let mut read = |_: &str| Err("none".to_string());
    let report = vigil::testing::run(
        ("t.test.yaml", text),
        &spec,
        (rs, &vigil::Limits::default()),
        &mut read,
        None,
        &mut BTreeSet::new(),
    );
    let check = &report.tests[0].checks[0];
    assert_eq!(check.line, 12, "{report:?}");
    assert_eq!(check.failures[0].line, 14, "{report:?}");
}

/// A test naming the version its person's protocol has left says so.
#[test]
fn a_test_left_behind_by_a_migration_says_so() {
    // 2026.1 without P-0142 (its protocol moved), and 2026.2 with it.
    let fw = "tests/fixtures/diff/supported-living-2026.2/framework.vigil";
    let p0142 =
        std::fs::read_to_string("protocols/supported-living/p-0142-medication.vigil").unwrap();
    let moved = vigil::render::diff::moved_to(&p0142, "2026.2").unwrap();
    let new = vigil::compile(&[
        vigil::Source::new(fw, std::fs::read_to_string(fw).unwrap()),
        vigil::Source::new("p-0142.vigil", moved),
    ])
    .unwrap();
    let mut rest = vec![];
    for s in std::fs::read_dir("protocols/supported-living").unwrap() {
        let p = s.unwrap().path();
        if p.extension().is_some_and(|e| e == "vigil") && !p.ends_with("p-0142-medication.vigil") {
            rest.push(vigil::Source::new(
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    let old = vigil::compile(&rest).unwrap();
    let text =
        "framework: Example Supported Living\nversion: \"2026.1\"\nperson: P-0142\ntests: []\n";
    let spec = vigil::testing::read(text, "t.test.yaml").unwrap();
    let e = vigil::testing::pick(&[old, new], &spec, ("t.test.yaml", text)).unwrap_err();
    assert!(
        e.message
            .contains("written under version 2026.2, not 2026.1"),
        "{e}"
    );
}

/// A framework pathway every tested person refines is reported as not reached "as written
/// here", where the refinement was reached: the text the tests ran is the protocol's.
#[test]
fn a_point_reached_only_through_a_refinement_says_so() {
    use vigil::rules::coverage::Probe;
    let point = |file: &str, rule: &str| Point {
        file: file.into(),
        line: 1,
        column: 1,
        rule: rule.into(),
        probe: Probe::Pathway,
    };
    let all = vec![
        point("framework.vigil", "no_response"),
        point("p-1.vigil", "no_response"),
        point("framework.vigil", "emergency"),
    ];
    let missed = vec![&all[0], &all[2]];
    let text = vigil::render::tests::coverage(&all, &missed);
    assert!(
        text.contains("framework.vigil:1:1: pathway `no_response` never opened an episode as written here (reached where a protocol refines it"),
        "{text}"
    );
    assert!(
        text.contains("framework.vigil:1:1: pathway `emergency` never opened an episode\n"),
        "{text}"
    );
}

/// A timeline written once under a YAML anchor and reused by an alias in a later test is
/// read as the YAML reader reads it, for both tests (found by a docs-only tester: the anchor
/// was taken for the whole timeline, "no `events` list", and the alias was "unknown").
#[test]
fn a_timeline_shared_by_an_anchor_serves_each_test() {
    let rules = vec![common::bundled_rules()];
    let text = r#"framework: Example Supported Living
version: "2026.1"
person: P-0002
tests:
  - name: first
    timeline: &day # shared below
      from: "2026-11-24T09:00:00Z"
      events:
        - { at: "2026-11-24T09:00:00Z", person: P-0002, kind: visit_planned, visit: V1, planned: "2026-11-24T10:00:00Z", criticality: standard, by: scheduling_coordinator }
        - { at: "2026-11-24T10:02:00Z", person: P-0002, visit: V1, kind: no_answer, by: support_worker }
    expect:
      - at: 2026-11-24T10:30:00Z
        duties:
          - { step: no_response.notify_manager, status: overdue }
  - name: second, the same day
    timeline: *day
    expect:
      - at: 2026-11-24T10:03:00Z
        duties:
          - { step: no_response.notify_manager, status: due }
"#;
    let report = run_text(&rules, text);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.tests.len(), 2);
    assert!(report.tests.iter().all(|t| t.passed()), "{report:?}");
}

/// `next_change` is an instant or `none`: a word that is neither is refused with both named,
/// and a failing `none` reads "no next change", not "the next change at none" (found by a
/// docs-only tester).
#[test]
fn next_change_none_is_said_in_words() {
    let rules = vec![common::bundled_rules()];
    let text = |next: &str| {
        format!(
            r#"framework: Example Supported Living
version: "2026.1"
person: P-0002
tests:
  - name: next
    timeline: examples/no-response-ladder.yaml
    expect:
      - at: 2026-11-25T10:20:00Z
        next_change: {next}
"#
        )
    };
    let never = run_text(&rules, &text("never"));
    let help = never.errors[0].help.as_deref().unwrap();
    assert!(
        help.ends_with("or `none` when nothing is pending"),
        "{help}"
    );
    let none = run_text(&rules, &text("none"));
    let failure = &none.tests[0].checks[0].failures[0];
    assert_eq!(failure.expected, "no next change (nothing pending)");
    assert!(
        failure.found.starts_with("the next change at "),
        "{failure:?}"
    );
}

/// An unreadable `due` is placed at its value, not at the `{` of its entry (found by a
/// docs-only tester).
#[test]
fn an_unreadable_due_is_placed_at_its_value() {
    let rules = vec![common::bundled_rules()];
    let text = r#"framework: Example Supported Living
version: "2026.1"
person: P-0002
tests:
  - name: bad due
    timeline: examples/no-response-ladder.yaml
    expect:
      - at: 2026-11-25T10:20:00Z
        duties:
          - { step: no_response.external_checks, due: 10:08 }
"#;
    let report = run_text(&rules, text);
    let e = &report.errors[0];
    let line = text.lines().nth(e.line - 1).unwrap();
    assert_eq!(line.get(e.column - 1..e.column + 4), Some("10:08"), "{e:?}");
}
