//! The real binary: exit codes, summaries, JSON, and output through a terminal-free pipe.
#![allow(clippy::unwrap_used, clippy::panic)] // a binary that cannot run should fail the test loudly

mod common;

use std::process::{Command, Output};

fn vigil(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_bundled_protocols_check_clean() {
    let out = vigil(&["check", "protocols/supported-living/"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("checked "), "{summary}");
    assert!(summary.contains("1 framework,"), "{summary}");
    assert!(summary.ends_with("0 errors, 0 warnings"), "{summary}");
}

#[test]
fn errors_exit_1_with_located_findings() {
    let out = vigil(&[
        "check",
        "tests/fixtures/check/base/framework.vigil",
        "tests/fixtures/check/E017.vigil",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("E017"), "{text}");
    assert!(text.contains("E017.vigil:4:5"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn warnings_alone_exit_0() {
    let out = vigil(&[
        "check",
        "tests/fixtures/check/base/framework.vigil",
        "tests/fixtures/check/W002.vigil",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("0 errors, 1 warning"));
}

#[test]
fn json_findings_name_file_line_and_column() {
    let out = vigil(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/check/base/framework.vigil",
        "tests/fixtures/check/E003.vigil",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["errors"], 2);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["code"], "E003");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "tests/fixtures/check/E003.vigil");
    assert_eq!(first["line"], 4);
    assert!(first["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `support_worker`?"));
    insta::assert_json_snapshot!(doc);
}

#[test]
fn a_missing_path_is_an_io_error() {
    let out = vigil(&["check", "no/such/place"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `no/such/place`"));
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    let out = vigil(&["check", "--format", "xml", "protocols/supported-living/"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_directory_with_no_vigil_files_is_a_usage_error() {
    let out = vigil(&["check", "src/cli"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_is_the_same_on_every_run() {
    let a = vigil(&["check", "--format", "json", "tests/fixtures/check"]);
    let b = vigil(&["check", "--format", "json", "tests/fixtures/check"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn newer_bank_holidays_are_accepted_and_bad_ones_located() {
    let good = vigil(&[
        "check",
        "protocols/supported-living/",
        "--bank-holidays",
        "src/time/data/uk-bank-holidays.json",
    ]);
    assert_eq!(good.status.code(), Some(0));
    let dir = std::env::temp_dir().join(format!("vigil-bh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\n  \"england-and-wales\": [").unwrap();
    let out = vigil(&[
        "check",
        "protocols/supported-living/",
        "--bank-holidays",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:2:"), "{err}");
    let missing = vigil(&[
        "check",
        "protocols/supported-living/",
        "--bank-holidays",
        "no/such.json",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn eval_with(timeline: &str, extra: &[&str]) -> Output {
    // Tests run in parallel; each call gets its own folder, whatever its timeline's length.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("vigil-tl-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.yaml");
    std::fs::write(&path, timeline).unwrap();
    let mut args = vec![
        "eval",
        "protocols/supported-living/",
        "--timeline",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = vigil(&args);
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

const PLAN: &str = "events:\n  - id: p1\n    at: 2026-11-23T18:00:00Z\n    person: P-0001\n    kind: visit_planned\n    visit: V1\n    planned: 2026-11-24T08:00:00Z\n    criticality: critical\n";

#[test]
fn eval_exits_3_when_something_is_overdue_and_0_when_not() {
    let late = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
    ]);
    assert_eq!(late.status.code(), Some(3));
    assert!(stdout(&late).contains("OVERDUE by 6 min"));
    let early = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--at",
        "2026-11-24T08:20:00Z",
    ]);
    assert_eq!(early.status.code(), Some(0));
    assert!(stdout(&early).contains("LATE since 08:15"));
}

/// `vigil eval ... --timeline -` fed `text` on standard input.
fn eval_stdin(text: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "eval",
            "protocols/supported-living/",
            "--timeline",
            "-",
            "--format",
            "json",
            "--at",
            "2026-11-24T08:41:00Z",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn eval_reads_yaml_from_standard_input_too() {
    let yaml = "# one critical visit, nobody arrives\nevents:\n  - { at: \"2026-11-23T18:00:00Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical }\n";
    let out = eval_stdin(yaml);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["obligations"][0]["due"], "2026-11-24T08:35:00Z");
    // A YAML mistake on standard input is located like one in a file.
    let out = eval_stdin(
        "events:\n  - at: 2026-11-24T08:05:00\n    person: P-0001\n    kind: no_answer\n",
    );
    assert_eq!(out.status.code(), Some(1));
    // With `--format json` the errors are the JSON document on standard output.
    let errors: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &errors["errors"][0];
    assert_eq!(first["code"], "T003", "{errors}");
    assert_eq!(first["line"], 2, "{errors}");
}

#[test]
fn eval_reads_json_from_standard_input() {
    let json = r#"{"events":[{"at":"2026-11-23T18:00:00Z","person":"P-0001","kind":"visit_planned","visit":"V1","planned":"2026-11-24T08:00:00Z","criticality":"critical"}]}"#;
    let out = eval_stdin(json);
    assert_eq!(out.status.code(), Some(3));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["obligations"][0]["due"], "2026-11-24T08:35:00Z");
}

#[test]
fn bad_timelines_are_located_errors() {
    let cases: [(&str, &str, &str); 5] = [
        (
            "  - at: 2026-11-24T08:05:00\n    person: P-0001\n    kind: no_answer\n",
            "no UTC offset",
            ":9:9:",
        ),
        (
            "  - at: 2026-11-24T08:05:00Z\n    person: P-0001\n    kind: no_anwser\n",
            "did you mean `no_answer`",
            ":11:11:",
        ),
        (
            "  - at: 2026-11-24T08:05:00Z\n    person: P-0001\n    kind: arrived\n    visit: V9\n",
            "unknown visit `V9`",
            ":12:12:",
        ),
        (
            "  - id: p1\n    at: 2026-11-24T08:05:00Z\n    person: P-0001\n    kind: no_answer\n",
            "duplicate event id `p1`",
            ":9:9:",
        ),
        (
            "  - at: 2026-11-24T08:05:00Z\n    person: P-9999\n    kind: no_answer\n",
            "unknown person `P-9999`",
            ":10:13:",
        ),
    ];
    for (event, message, place) in cases {
        let out = eval_with(&format!("{PLAN}{event}"), &[]);
        assert_eq!(out.status.code(), Some(1), "{message}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{message}: {err}");
        assert!(err.contains(place), "{message} at {place}: {err}");
    }
}

#[test]
fn timeline_errors_carry_their_code_in_text_and_json() {
    let timeline =
        format!("{PLAN}  - at: 2026-11-24T08:05:00\n    person: P-0001\n    kind: no_answer\n");
    let text = eval_with(&timeline, &[]);
    assert_eq!(text.status.code(), Some(1));
    let err = String::from_utf8_lossy(&text.stderr);
    assert!(
        err.contains("t.yaml:9:9: error[T003]: `events[1].at`: timestamp"),
        "{err}"
    );
    let json = eval_with(&timeline, &["--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let first = &doc["errors"][0];
    assert_eq!(first["code"], "T003");
    assert_eq!((&first["line"], &first["column"]), (&9.into(), &9.into()));
    assert_eq!(first["field"], "events[1].at");
}

#[test]
fn an_unknown_attribute_names_its_line() {
    let out = eval_with(&format!("{PLAN}  - at: 2026-11-24T08:05:00Z\n    person: P-0001\n    kind: no_answer\n    colour: red\n"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown attribute `colour`") && err.contains(":12:13:"),
        "{err}"
    );
}

#[test]
fn eval_filters_by_person_and_refuses_a_bad_instant() {
    let out = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--person",
        "P-0001",
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(d["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["person"] == "P-0001"));
    let bad = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--at",
        "08:41",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let nobody = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--person",
        "P-7",
    ]);
    assert_eq!(nobody.status.code(), Some(2));
}

#[test]
fn audit_replays_the_timeline_and_reports_every_outcome() {
    let out = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/late-notify-breach.yaml",
        "--audit",
    ]);
    let text = stdout(&out);
    assert!(text.contains("done 7 min late"), "{text}");
    assert!(
        text.contains("no longer required: the episode closed at 09:50"),
        "{text}"
    );
    // Times on the audit's own day show no day: its heading names it.
    assert!(text.contains("(due 09:15)"), "{text}");
}

/// The notes of the decision on P-0001's critical visit planned for 08:00 on `day`, asked at
/// 08:41 that day, as JSON.
fn notes_for_a_visit_on(day: &str) -> Vec<String> {
    let plan = format!("events:\n  - at: {day}T07:00:00Z\n    person: P-0001\n    kind: visit_planned\n    visit: V1\n    planned: {day}T08:00:00Z\n    criticality: critical\n    route: R1\n");
    let out = eval_with(
        &plan,
        &["--at", &format!("{day}T08:41:00Z"), "--format", "json"],
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decisions_beyond_the_bank_holiday_data_say_so() {
    let notes = notes_for_a_visit_on("2028-03-02");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("bank-holiday data (england-and-wales) ends with 2027")),
        "{notes:?}"
    );
    let within = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&within.stdout).unwrap();
    assert!(!d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("bank-holiday")));
}

#[test]
fn an_empty_timeline_is_an_error_not_all_clear() {
    let out = eval_with("\n", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the timeline is empty"));
    let no_events = eval_with("as_of: 2026-11-24T08:00:00Z\n", &[]);
    assert_eq!(no_events.status.code(), Some(1));
    let nothing_yet = eval_with("events: []\n", &["--at", "2026-11-24T08:00:00Z"]);
    assert_eq!(nothing_yet.status.code(), Some(0));
}

#[test]
fn control_characters_from_a_timeline_never_reach_the_terminal_raw() {
    // A refusal reason with a line break that would forge a line of the list: free text may
    // hold one, and it is shown escaped.
    let timeline = "events:\n  - { id: p1, at: \"2026-11-23T18:00:00Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical, route: R1 }\n  - { id: r1, at: \"2026-11-24T08:05:00Z\", person: P-0001, kind: refusal, visit: V1, reason: \"no\\n  OVERDUE by 9 h\", by: support_worker }\n";
    let out = eval_with(timeline, &["--at", "2026-11-24T08:41:00Z"]);
    let text = stdout(&out);
    assert!(text.contains("no\\u{a}  OVERDUE by 9 h"), "{text}");
    // An escape sequence that would clear the screen is refused where it is read (T016), and
    // the error shows it escaped.
    let escaped = timeline.replace("visit: V1,", "visit: \"V1\\e[2J\",");
    let bad = eval_with(&escaped, &["--at", "2026-11-24T08:41:00Z"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(
        err.contains("error[T016]") && err.contains("U+001B"),
        "{err}"
    );
    assert!(stdout(&bad).is_empty());
}

#[test]
fn a_fraction_of_a_second_is_never_overdue_by_zero_seconds() {
    // Due at 08:35:00; half a second later is the same second, so the notice is still due.
    let out = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--at",
        "2026-11-24T08:35:00.5Z",
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let notify = d["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["action"] == "notify")
        .unwrap();
    assert_eq!(notify["status"], "due");
    assert_eq!(d["as_of"], "2026-11-24T08:35:00Z");
}

#[test]
fn a_sixtieth_second_is_a_located_timestamp_error() {
    let out = eval_with(
        "events:\n  - { id: p1, at: \"2026-11-23T23:59:60Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical }\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[T004]") && err.contains("60th second"),
        "{err}"
    );
    // So is one given on the command line, to `eval --at` and to `audit --from` and `--to`,
    // rather than read as the 59th (found by a docs-only tester).
    let at = vigil(&[
        "eval",
        "protocols/supported-living",
        "--timeline",
        "examples/brief-gmt-weekday.yaml",
        "--at",
        "2026-11-24T08:41:60Z",
    ]);
    assert_eq!(at.status.code(), Some(2), "{at:?}");
    assert!(String::from_utf8_lossy(&at.stderr).contains("60th second"));
    // `audit --from` and `--to`: tests/audit.rs.
}

#[test]
fn decisions_before_the_bank_holiday_data_say_so() {
    // The embedded data starts with 2019: a 2017 decision cannot know its bank holidays.
    let notes = notes_for_a_visit_on("2017-03-02");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("bank-holiday data (england-and-wales) starts with 2019")),
        "{notes:?}"
    );
}

#[test]
fn a_failed_write_says_so_and_exits_2() {
    let Ok(full) = std::fs::File::create("/dev/full") else {
        return; // no /dev/full on this system: nothing to write to that always fails
    };
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["check", "protocols/supported-living/"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the findings"));
    // The audit's JSON, written as it is made, says so too.
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "audit",
            "protocols/supported-living/",
            "--timeline",
            "examples/audit-day.yaml",
            "--format",
            "json",
        ])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the audit"));
    // With `--format json` too, the failure is said on standard error: a JSON error document
    // on standard output would go where the writing just failed (it did, unseen).
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["check", "protocols/supported-living/", "--format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the findings"));
}

#[test]
fn color_always_and_never_are_obeyed_into_a_pipe() {
    // Into a pipe, with NO_COLOR set: `always` still colours, `never` and `auto` do not.
    let fixture = "tests/fixtures/check/E016.vigil";
    let always = stdout(&vigil(&["--color", "always", "check", fixture]));
    assert!(always.contains('\u{1b}'), "{always}");
    for when in ["never", "auto"] {
        let plain = stdout(&vigil(&["check", "--color", when, fixture]));
        assert!(!plain.contains('\u{1b}'), "{when}: {plain}");
        assert!(plain.contains("E016"), "{plain}");
    }
    let bad = vigil(&["--color", "sometimes", "check", fixture]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_missing_default_protocols_folder_says_what_to_give() {
    let dir = std::env::temp_dir().join(format!("vigil-no-protocols-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("check")
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no `protocols` folder here"), "{err}");
    assert!(err.contains("vigil check path/to/rules"), "{err}");
}

#[test]
fn one_format_vocabulary_for_every_command() {
    // `text` and `json` for both commands; `human` is kept as another name for `text`.
    let fixture = "tests/fixtures/check/E016.vigil";
    let text = stdout(&vigil(&["check", "--format", "text", fixture]));
    assert_eq!(
        text,
        stdout(&vigil(&["check", "--format", "human", fixture]))
    );
    assert!(text.starts_with("E016"), "{text}");
    let timeline = "examples/brief-gmt-weekday.yaml";
    let rules = "protocols/supported-living/";
    let eval = |format: &str| {
        stdout(&vigil(&[
            "eval",
            rules,
            "--timeline",
            timeline,
            "--format",
            format,
        ]))
    };
    assert_eq!(eval("text"), eval("human"));
    assert!(eval("json").starts_with('{'));
}

#[test]
fn explain_code_prints_the_page_a_finding_points_to() {
    let out = vigil(&["explain-code", "e040"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(
        page.starts_with("## E040 overlapping-branches (error)"),
        "{page}"
    );
    assert!(page.contains("Smallest example"), "{page}");
    let unknown = vigil(&["explain-code", "E999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("E017"));
    // A number inside the codes given out, but never given itself, is named as such.
    let gap = vigil(&["explain-code", "E030"]);
    assert_eq!(gap.status.code(), Some(2));
    let said = String::from_utf8_lossy(&gap.stderr);
    assert!(
        said.contains("the numbers E029 to E033 were never given out"),
        "{said}"
    );
    // A check with findings says how to read their pages.
    let text = stdout(&vigil(&["check", "tests/fixtures/check/E016.vigil"]));
    assert!(text.contains("`vigil explain-code E016`"), "{text}");
}

#[test]
fn completions_and_the_manual_page_come_from_the_same_parser() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = vigil(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains("explain-code"), "{shell}: {script}");
    }
    assert_eq!(vigil(&["completions", "tcsh"]).status.code(), Some(2));
    let man = stdout(&vigil(&["man"]));
    assert!(man.starts_with(".ie"), "{man}");
    assert!(man.contains(".TH vigil 1"), "{man}");
    assert!(man.contains("explain\\-code"), "{man}");
}

#[test]
fn the_rule_set_hash_is_sha256_over_the_rules_and_the_holidays_in_force() {
    let hash = |args: &[&str]| -> String {
        let mut all = vec![
            "eval",
            "--timeline",
            "examples/brief-gmt-weekday.yaml",
            "--format",
            "json",
        ];
        all.extend_from_slice(args);
        let d: serde_json::Value = serde_json::from_slice(&vigil(&all).stdout).unwrap();
        d["ruleset"]["hash"].as_str().unwrap().to_string()
    };
    let plain = hash(&["protocols/supported-living/"]);
    assert_eq!(plain.len(), 64);
    assert!(plain
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    // The same rules through another path hash alike.
    assert_eq!(plain, hash(&["./protocols/supported-living"]));
    // Other bank holidays are other rules in force.
    let dir = std::env::temp_dir().join(format!("vigil-bh-{}.json", std::process::id()));
    std::fs::write(
        &dir,
        r#"{"england-and-wales": {"events": [{"date": "2026-12-25"}]}}"#,
    )
    .unwrap();
    let other = hash(&[
        "protocols/supported-living/",
        "--bank-holidays",
        dir.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_file(&dir);
    assert_ne!(plain, other);
}

#[test]
fn with_format_json_every_error_is_one_json_document_on_stdout() {
    let rules = "protocols/supported-living/";
    let timeline = "examples/brief-gmt-weekday.yaml";
    let cases: [(&[&str], &str, i32); 5] = [
        (&["check", "/no/such/rules", "--format", "json"], "io", 2),
        (&["check", "--no-such-flag", "--format", "json"], "usage", 2),
        (
            &[
                "eval",
                rules,
                "--timeline",
                timeline,
                "--at",
                "soon",
                "--format",
                "json",
            ],
            "usage",
            2,
        ),
        (
            &[
                "eval",
                rules,
                "--timeline",
                "/no/such.yaml",
                "--format",
                "json",
            ],
            "io",
            2,
        ),
        (
            &[
                "eval",
                "tests/fixtures/check/E016.vigil",
                "--timeline",
                timeline,
                "--format",
                "json",
            ],
            "E016",
            1,
        ),
    ];
    for (args, code, exit) in cases {
        let out = vigil(args);
        assert_eq!(out.status.code(), Some(exit), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)));
        assert_eq!(doc["errors"][0]["code"], code, "{args:?}: {doc}");
        assert!(doc["errors"][0]["message"].is_string(), "{doc}");
    }
}

#[test]
fn every_json_document_names_its_contract() {
    let docs = [
        vec![
            "eval",
            "protocols/supported-living/",
            "--timeline",
            "examples/brief-gmt-weekday.yaml",
            "--format",
            "json",
        ],
        vec!["check", "protocols/supported-living/", "--format", "json"],
        vec!["check", "/no/such/rules", "--format", "json"],
    ];
    for args in docs {
        let out = vigil(&args);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["contract"], vigil::CONTRACT, "{args:?}");
        // First, so that a reader can check it before anything else.
        assert!(
            stdout(&out).trim_start().starts_with("{\n  \"contract\""),
            "{args:?}"
        );
    }
}

/// A decision several roles share (flow-b: `judge_risk`, by any of the support worker and the
/// manager, in office hours the duty manager) is on each one's list, says every decider, and
/// says who the alias stood for (found by a docs-only tester: the duty manager's list left it
/// out, and nothing said who "the manager" was).
#[test]
fn a_shared_decision_is_on_each_deciders_list() {
    let ids = |role: &str| -> Vec<String> {
        let out = vigil(&[
            "eval",
            "protocols/supported-living/",
            "--timeline",
            "examples/flow-b-second-key-holder.yaml",
            "--at",
            "2026-12-01T14:20:00Z",
            "--format",
            "json",
            "--role",
            role,
        ]);
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        d["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["id"].as_str().unwrap().ends_with("/judge_risk"))
            .map(|o| {
                assert_eq!(
                    o["deciders"],
                    serde_json::json!(["support_worker", "duty_manager"])
                );
                let because = o["because"].to_string();
                assert!(
                    because.contains("The manager is the duty manager"),
                    "{because}"
                );
                o["id"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let worker = ids("support_worker");
    assert_eq!(worker.len(), 1, "{worker:?}");
    assert_eq!(ids("duty_manager"), worker);
    assert_eq!(ids("manager"), worker);
    assert!(ids("on_call_manager").is_empty());
}

#[test]
fn role_and_route_filter_the_duty_list() {
    let rules = "protocols/supported-living/";
    let json = |extra: &[&str], timeline: &str, at: &str| -> (Option<i32>, serde_json::Value) {
        let mut args = vec![
            "eval",
            rules,
            "--timeline",
            timeline,
            "--at",
            at,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = vigil(&args);
        (
            out.status.code(),
            serde_json::from_slice(&out.stdout).unwrap(),
        )
    };
    let brief = "examples/brief-gmt-weekday.yaml";
    let (code, d) = json(&["--role", "duty_manager"], brief, "2026-11-24T08:41:00Z");
    assert_eq!(code, Some(3));
    let roles: Vec<&str> = d["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["role"].as_str().unwrap())
        .collect();
    assert!(
        !roles.is_empty() && roles.iter().all(|r| *r == "duty_manager"),
        "{roles:?}"
    );
    // An alias keeps the duties of both roles it stands for, whichever was in post.
    let count = |role: &str| {
        let (code, d) = json(&["--role", role], brief, "2026-11-24T08:41:00Z");
        assert_ne!(code, Some(2), "--role {role}");
        d["obligations"].as_array().unwrap().len()
    };
    let manager = count("manager");
    assert!(manager > 0);
    assert_eq!(manager, count("duty_manager") + count("on_call_manager"));
    let (code, d) = json(&["--role", "nobody"], brief, "2026-11-24T08:41:00Z");
    assert_eq!(code, Some(2));
    assert!(d["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("duty_manager"));
    let routes = "examples/governance-no-route.yaml";
    let (_, d) = json(&["--route", "R3"], routes, "2026-11-24T15:36:00Z");
    let visits: Vec<&str> = d["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    let (_, all) = json(&[], routes, "2026-11-24T15:36:00Z");
    assert!(!visits.is_empty() && visits.len() < all["visits"].as_array().unwrap().len());
    // Each duty is about a visit on R3, or is R3's own: the count of its missed visits.
    let ids: Vec<&str> = d["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !visits.contains(&o["visit"].as_str().unwrap_or("none")))
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["governance/two_missed_in_cycle/R3/2026-11-24T12:00:00Z"]
    );
}

#[test]
fn the_duty_list_names_the_duties_no_longer_required() {
    let out = vigil(&[
        "eval",
        "protocols/referral-intake/",
        "--timeline",
        "examples/referral-bank-holiday.yaml",
        "--at",
        "2026-05-28T17:30:00+01:00",
    ]);
    let text = stdout(&out);
    // R-0101's routine calls did not apply (an urgent referral): named, person by person,
    // with where to see why.
    assert!(
        text.contains(
            "No longer required (`--audit` says why)\n  R-0101  Make 2 contact attempts by phone\n"
        ),
        "{text}"
    );
}

/// `vigil eval RULES --timeline TIMELINE --at AT` and more.
fn eval_example((rules, timeline, at): (&str, &str, &str), extra: &[&str]) -> Output {
    let mut args = vec!["eval", rules, "--timeline", timeline, "--at", at];
    args.extend_from_slice(extra);
    vigil(&args)
}

/// Three missed visits, two on route R3, and a provider-wide duty (docs: examples/README.md).
const GOVERNANCE: (&str, &str, &str) = (
    "protocols/supported-living/",
    "examples/governance-no-route.yaml",
    "2026-11-24T15:36:00Z",
);
/// One person mid-ladder, with duties done and one no longer required.
const CAPACITY: (&str, &str, &str) = (
    "protocols/supported-living/",
    "examples/capacity-family-contact.yaml",
    "2026-11-26T10:52:00Z",
);

#[test]
fn every_eval_format_is_snapshotted_on_real_examples() {
    for (name, example) in [("governance", GOVERNANCE), ("capacity", CAPACITY)] {
        for format in ["text", "json", "csv", "ndjson"] {
            let out = eval_example(example, &["--format", format]);
            assert_eq!(out.status.code(), Some(3), "{name} {format}");
            assert!(out.stderr.is_empty(), "{name} {format}");
            insta::assert_snapshot!(format!("eval_{name}_{format}"), stdout(&out));
        }
        let audit = eval_example(example, &["--audit"]);
        insta::assert_snapshot!(format!("eval_{name}_audit"), stdout(&audit));
    }
}

#[test]
fn filters_apply_to_every_format_and_together() {
    let person = eval_example(GOVERNANCE, &["--person", "P-0005"]);
    assert_eq!(person.status.code(), Some(3));
    insta::assert_snapshot!("eval_governance_person_text", stdout(&person));
    let role = eval_example(GOVERNANCE, &["--role", "duty_manager", "--format", "csv"]);
    insta::assert_snapshot!("eval_governance_role_csv", stdout(&role));
    let rows = csv_records(&stdout(&role));
    assert!(rows.len() > 1 && rows[1..].iter().all(|r| r[11] == "duty_manager"));
    let route = eval_example(GOVERNANCE, &["--route", "R3", "--format", "ndjson"]);
    insta::assert_snapshot!("eval_governance_route_ndjson", stdout(&route));
    for line in stdout(&route).lines() {
        let o: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            o["visit"] == "V51"
                || o["visit"] == "V61"
                || o["id"] == "governance/two_missed_in_cycle/R3/2026-11-24T12:00:00Z",
            "{o}"
        );
    }
    // All three at once: what every one of them allows.
    let all = eval_example(
        GOVERNANCE,
        &[
            "--person",
            "P-0005",
            "--route",
            "R3",
            "--role",
            "scheduling_coordinator",
            "--format",
            "json",
        ],
    );
    let d: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let kept = d["obligations"].as_array().unwrap();
    assert_eq!(kept.len(), 3, "{d}");
    assert!(kept.iter().all(|o| o["person"] == "P-0005"
        && o["visit"] == "V51"
        && o["role"] == "scheduling_coordinator"));
    // P-0003's visit has no route: nothing is left, and so nothing is overdue.
    let none = eval_example(GOVERNANCE, &["--person", "P-0003", "--route", "R3"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(
        stdout(&none).contains("\nTo do: nothing\n"),
        "{}",
        stdout(&none)
    );
}

#[test]
fn an_unknown_person_is_a_usage_error_naming_no_one_else() {
    let out = eval_example(GOVERNANCE, &["--person", "P-005"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no person `P-005` in the timeline (it names 3 people)"),
        "{err}"
    );
    // Privacy: no guess and no list of other people's ids.
    for other in ["P-0005", "P-0006", "P-0003"] {
        assert!(!err.contains(other), "{err}");
    }
    let route = eval_example(GOVERNANCE, &["--route", "R4"]);
    assert_eq!(route.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&route.stderr).contains("routes: R3"));
}

#[test]
fn check_offers_text_and_json_only() {
    let out = vigil(&["check", "--format", "csv", "protocols/supported-living/"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("possible values: text, json"), "{err}");
}

/// Records of RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks;
/// every record must end with CRLF.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a bare LF ends a record: {text}"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

#[test]
fn csv_and_ndjson_carry_every_obligation_of_the_decision() {
    for example in [GOVERNANCE, CAPACITY] {
        let json = eval_example(example, &["--format", "json"]);
        let d: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let obligations = d["obligations"].as_array().unwrap();
        let mut ids: Vec<&str> = obligations
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        // CSV: a header, then a record of 18 fields per obligation.
        let records = csv_records(&stdout(&eval_example(example, &["--format", "csv"])));
        assert_eq!(records[0][..3], ["as_of", "id", "person"]);
        assert!(records.iter().all(|r| r.len() == 18));
        let mut csv_ids: Vec<&str> = records[1..].iter().map(|r| r[1].as_str()).collect();
        csv_ids.sort_unstable();
        assert_eq!(csv_ids, ids);
        for r in &records[1..] {
            let o = obligations
                .iter()
                .find(|o| o["id"] == r[1].as_str())
                .unwrap();
            assert_eq!(r[0], d["as_of"].as_str().unwrap());
            assert_eq!(r[4], o["status"].as_str().unwrap());
            assert_eq!(r[5], o["due_local"].as_str().unwrap_or(""));
            let because: Vec<&str> = o["because"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_str().unwrap())
                .collect();
            assert_eq!(r[13], because.join("\n"));
        }
        // ndjson: a line per obligation, each the JSON obligation with the contract and the
        // instant before it.
        let ndjson = stdout(&eval_example(example, &["--format", "ndjson"]));
        let mut seen = Vec::new();
        for line in ndjson.lines() {
            let mut o: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(line.starts_with("{\"contract\":"), "{line}");
            assert_eq!(o["contract"], vigil::CONTRACT);
            assert_eq!(o["as_of"], d["as_of"]);
            let fields = o.as_object_mut().unwrap();
            fields.remove("contract");
            fields.remove("as_of");
            let whole = obligations.iter().find(|w| w["id"] == o["id"]).unwrap();
            assert_eq!(&o, whole);
            seen.push(o["id"].as_str().unwrap().to_string());
        }
        seen.sort_unstable();
        assert_eq!(seen, ids);
    }
}

#[test]
fn watch_refuses_what_it_cannot_do() {
    let cases: [&[&str]; 5] = [
        &["--watch", "--at", "2026-11-24T08:41:00Z"],
        &["--watch", "--audit"],
        &["--watch", "--format", "json"],
        &["--watch", "--format", "csv"],
        &["--watch", "--timeline", "-"],
    ];
    for extra in cases {
        let mut args = vec!["eval", "protocols/supported-living/"];
        if !extra.contains(&"-") {
            args.extend(["--timeline", "examples/brief-gmt-weekday.yaml"]);
        }
        args.extend_from_slice(extra);
        let out = vigil(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
    }
}

/// A critical visit for P-0001 planned two hours before now, nobody arriving; with a notice
/// recorded late when `told` is true.
#[cfg(unix)]
/// `told`: the role the notice reached (the manager the alias stood for when the visit was
/// missed: the duty manager in office hours, the on-call manager out of them).
fn missed_two_hours_ago(now: chrono::DateTime<chrono::Utc>, told: Option<&str>) -> String {
    let at = |mins: i64| {
        (now - chrono::Duration::minutes(120 - mins))
            .format("%Y-%m-%dT%H:%M:00Z")
            .to_string()
    };
    let mut text = format!(
        "events:\n  - {{ id: p1, at: \"{}\", person: P-0001, kind: visit_planned, visit: V1, planned: \"{}\", criticality: critical }}\n",
        at(-60),
        at(0)
    );
    if let Some(role) = told {
        text.push_str(&format!(
            "  - {{ id: told, at: \"{}\", person: P-0001, kind: notified, role: {role}, by: scheduling_coordinator, visit: V1 }}\n",
            at(40)
        ));
    }
    text
}

#[cfg(unix)]
#[test]
fn watch_prints_the_list_then_only_what_changed_and_stops_on_ctrl_c() {
    use std::io::BufRead;
    use std::time::Duration;
    let dir = std::env::temp_dir().join(format!("vigil-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.yaml");
    // One instant for both versions of the file, so that a minute ticking over between them
    // changes nothing but the notice.
    let now = chrono::Utc::now();
    std::fs::write(&path, missed_two_hours_ago(now, None)).unwrap();
    let file = path.to_str().unwrap();
    let rules = "protocols/supported-living/";
    // The same at the clock, once: how many lines the watch starts with.
    let once = vigil(&["eval", rules, "--timeline", file, "--format", "ndjson"]);
    let expected = stdout(&once).lines().count();
    assert!(expected > 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "eval",
            rules,
            "--timeline",
            file,
            "--format",
            "ndjson",
            "--watch",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (send, lines) = std::sync::mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            if send.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let next = || lines.recv_timeout(Duration::from_secs(10)).unwrap();
    // Who the manager was depends on the time of day the test runs: read it off the duty.
    let mut manager = "duty_manager";
    for _ in 0..expected {
        let o: serde_json::Value = serde_json::from_str(&next()).unwrap();
        assert_eq!(o["contract"], vigil::CONTRACT, "{o}");
        if o["summary"] == "Notify the on-call manager" {
            manager = "on_call_manager";
        }
    }
    // The notice recorded, written whole (renamed into place): one line, for it alone.
    let new = dir.join("t.new");
    std::fs::write(&new, missed_two_hours_ago(now, Some(manager))).unwrap();
    std::fs::rename(&new, &path).unwrap();
    let o: serde_json::Value = serde_json::from_str(&next()).unwrap();
    assert_eq!(o["contract"], vigil::CONTRACT);
    assert_eq!(o["action"], "notify", "{o}");
    assert_eq!(o["status"], "done_late", "{o}");
    assert!(lines.recv_timeout(Duration::from_millis(300)).is_err());
    // Ctrl-C: a clean stop, exit code 0.
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped watching at"));
}

/// A file larger than `--max-file-mib`, or a path to something endless, is refused before it
/// fills memory: an I/O error, exit 2, naming the limit and the flag.
#[test]
fn no_file_larger_than_the_limit_is_read() {
    let dir = std::env::temp_dir().join(format!("vigil-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.json");
    std::fs::write(
        &big,
        format!("{{\"events\": [], \"x\": \"{}\"}}", "a".repeat(1_200_000)),
    )
    .unwrap();
    let out = vigil(&[
        "--max-file-mib",
        "1",
        "eval",
        "protocols/supported-living/",
        "--timeline",
        big.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("larger than 1 MiB") && err.contains("--max-file-mib"),
        "{err}"
    );
    #[cfg(unix)]
    {
        let rules = dir.join("rules");
        std::fs::create_dir_all(&rules).unwrap();
        let _ = std::os::unix::fs::symlink("/dev/zero", rules.join("zero.vigil"));
        let out = vigil(&["--max-file-mib", "1", "check", rules.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        // A device found in a folder is not read at all (a named pipe there would hang).
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not an ordinary file"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Under `--redact`, a timeline's errors are an output to share too: what their messages
/// quote of the timeline is redacted, their place and field kept (found by a docs-only
/// tester: "unknown person `A-0101`" was printed as written).
#[test]
fn redacted_errors_quote_nothing_of_the_timeline() {
    let key = std::env::temp_dir().join(format!("vigil-redact-errors-{}.key", std::process::id()));
    std::fs::write(&key, [7u8; 32]).unwrap();
    for (command, format) in [("eval", "json"), ("eval", "text"), ("audit", "json")] {
        let out = vigil(&[
            command,
            "protocols/supported-living",
            "--timeline",
            "examples/alarm-red-flag.yaml",
            "--redact",
            key.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!said.contains("A-0101"), "{command} {format}: {said}");
        assert!(
            said.contains("unknown person `[redacted]`"),
            "{command} {format}: {said}"
        );
        assert!(
            said.contains("events[0].person"),
            "{command} {format}: {said}"
        );
    }
    std::fs::remove_file(key).unwrap();
}

/// `--redact KEYFILE`: person ids become pseudonyms in every part of the output (notes
/// included), free text `[redacted]`; `--person` still takes the real id; a short key is a
/// usage error.
#[test]
fn redact_names_no_one_and_keeps_the_filters_working() {
    let dir = std::env::temp_dir().join(format!("vigil-redact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("vigil.key");
    std::fs::write(&key, "a secret key of thirty-two bytes").unwrap();
    let key = key.to_str().unwrap();
    for format in ["text", "json", "csv", "ndjson"] {
        let out = vigil(&[
            "eval",
            "protocols/supported-living/",
            "--timeline",
            "examples/refusal.yaml",
            "--audit",
            "--format",
            format,
            "--redact",
            key,
        ]);
        let text = stdout(&out);
        assert!(!text.contains("P-0"), "{format}: {text}");
        assert!(!text.contains("too tired"), "{format}: {text}");
        assert!(text.contains("person-"), "{format}: {text}");
    }
    let one = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/refusal.yaml",
        "--person",
        "P-0217",
        "--format",
        "json",
        "--redact",
        key,
    ]);
    let d: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert!(!d["obligations"].as_array().unwrap().is_empty());
    // The pseudonym an output showed picks the same person.
    let shown = d["obligations"][0]["person"].as_str().unwrap().to_string();
    assert!(shown.starts_with("person-"), "{shown}");
    let again = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/refusal.yaml",
        "--person",
        &shown,
        "--format",
        "json",
        "--redact",
        key,
    ]);
    assert_eq!(stdout(&again), stdout(&one));
    let short = dir.join("short.key");
    std::fs::write(&short, "too short").unwrap();
    let out = vigil(&[
        "eval",
        "protocols/supported-living/",
        "--timeline",
        "examples/refusal.yaml",
        "--redact",
        short.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each limit on what is read is refused with its flag named, and the flag raises it: events
/// in an NDJSON log, a line of a protocol, a deadline.
#[test]
fn each_limit_names_its_flag_and_the_flag_raises_it() {
    let dir = std::env::temp_dir().join(format!("vigil-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log.ndjson");
    std::fs::write(
        &log,
        "{\"from\": \"2026-11-24T00:00:00Z\"}\n\
         {\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-0142\", \"kind\": \"no_answer\", \"by\": \"support_worker\"}\n\
         {\"at\": \"2026-11-24T08:06:00Z\", \"person\": \"P-0142\", \"kind\": \"no_answer\", \"by\": \"support_worker\"}\n",
    )
    .unwrap();
    let log = log.to_str().unwrap();
    let rules = "protocols/supported-living";
    let at = "--at=2026-11-24T08:10:00Z";
    let o = vigil(&["eval", rules, "--timeline", log, at, "--max-events", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("log.ndjson:") && err.contains("--max-events"),
        "{err}"
    );
    let o = vigil(&["eval", rules, "--timeline", log, at]);
    assert!(stdout(&o).contains("P-0142"), "{}", stdout(&o));
    let o = vigil(&["check", rules, "--max-line-chars", "40"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("E048") && stdout(&o).contains("--max-line-chars"));
    let o = vigil(&["check", rules, "--max-deadline-days", "1"]);
    assert!(stdout(&o).contains("E010") && stdout(&o).contains("--max-deadline-days"));
    let o = vigil(&["check", rules, "--max-nesting", "300"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader that stops reading (`vigil check | head -1`) is not an error: no panic, no
/// message, the command's own exit code (a panic over the broken pipe exited 101).
#[test]
fn a_reader_that_stops_reading_is_not_an_error() {
    use std::process::Stdio;
    let runs: [&[&str]; 4] = [
        &["check", "protocols/supported-living", "--format", "json"],
        &["explain-code", "E048"],
        &["completions", "bash"],
        &[
            "eval",
            "protocols/supported-living",
            "--timeline",
            "examples/no-response-ladder.yaml",
        ],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code().is_some_and(|c| c <= 3),
            "{args:?}: {:?} {err}",
            out.status
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A pathway with an error in one of its steps cannot be proved against the framework's
/// floors (its steps refer to each other by place): `vigil check` says which pathways went
/// unchecked, in text and JSON, rather than reporting the floor finding only once the name is
/// fixed with no warning that more may come. Here the 30-minute notice breaks the 15-minute
/// floor (E017), unseen until the misspelt role is fixed.
#[test]
fn a_pathway_with_a_broken_step_is_named_as_not_yet_checked_against_the_floors() {
    let dir = std::env::temp_dir().join(format!("vigil-unproved-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let protocol = dir.join("p.vigil");
    let write = |role: &str| {
        std::fs::write(
            &protocol,
            format!(
                "protocol \"F-017\" under \"Fixture Provider\" version 1 {{\n  pathway no_response {{\n    step notify_manager: notify manager by support_worker within 30m\n    step extra: notify manager by {role} within 5m\n  }}\n}}\n"
            ),
        )
        .unwrap();
    };
    let fw = "tests/fixtures/check/base/framework.vigil";
    let p = protocol.to_str().unwrap();
    write("suport_worker");
    let text = stdout(&vigil(&["check", fw, p]));
    assert!(text.contains("unknown role `suport_worker`"), "{text}");
    assert!(!text.contains("E017"), "{text}");
    assert!(
        text.contains("not yet checked against the framework's floors and escalation policy"),
        "{text}"
    );
    assert!(
        text.contains(&format!("  - pathway `no_response` ({p}:2)")),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&vigil(&["check", fw, p, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["unproved"][0]["pathway"], "no_response");
    assert_eq!(json["unproved"][0]["line"], 2);
    // Fixed, the floor is checked, and nothing is left unchecked.
    write("support_worker");
    let text = stdout(&vigil(&["check", fw, p]));
    assert!(text.contains("E017"), "{text}");
    assert!(!text.contains("not yet checked"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The column in a finding's heading counts characters, as `--format json` does: an accented
/// letter or a "§" before it does not push it right.
#[test]
fn a_findings_column_counts_characters() {
    let dir = std::env::temp_dir().join(format!("vigil-columns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("f.vigil");
    std::fs::write(
        &f,
        "framework \"Mini\" version 1 {\n  role nurse \"Infirmière en chef\" covers nurse_in_chage\n}\n",
    )
    .unwrap();
    let path = f.to_str().unwrap();
    let text = stdout(&vigil(&["check", path]));
    assert!(text.contains(&format!("{path}:2:42]")), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&vigil(&["check", path, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["column"], 42);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `vigil audit` on a `.ndjson` path that is a named pipe reads it once, whole: a stream that
/// gave up used to open the path again, which on a pipe waited for a second writer forever
/// (found by a docs-only tester). Here the log has a duplicate id, which the stream leaves to
/// the whole read; it is reported, located, from the one read.
#[test]
fn an_ndjson_pipe_is_read_once() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("vigil-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("log.ndjson");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to test
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["audit", "protocols/supported-living", "--timeline"])
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line =
        r#"{"id": "x", "at": "2026-11-24T08:05:00Z", "person": "P-0142", "kind": "no_answer"}"#;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .unwrap()
        .write_all(format!("{line}\n{line}\n").as_bytes())
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("vigil audit waited on the pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("log.ndjson:2:8: error[T012]"), "{err}");
}

/// Text that is not UTF-8 is the same located error (T002, exit 1) from standard input as from
/// a file: from standard input it was a usage error with no place (found by a docs-only
/// tester).
#[test]
fn text_that_is_not_utf8_is_located_from_standard_input_too() {
    let bytes: &[u8] = b"events:\n  - at: \"2026-11-24T08:05:00Z\"\n    note: \"caf\xe9\"\n";
    let path = std::env::temp_dir().join(format!("vigil-latin1-{}.yaml", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let from_file = vigil(&[
        "eval",
        "protocols/supported-living",
        "--timeline",
        path.to_str().unwrap(),
        "--at",
        "2026-11-24T09:00:00Z",
    ]);
    std::fs::remove_file(&path).ok();
    let from_stdin = {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args([
                "eval",
                "protocols/supported-living",
                "--timeline",
                "-",
                "--at",
                "2026-11-24T09:00:00Z",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        child.wait_with_output().unwrap()
    };
    for (out, name) in [
        (&from_file, path.display().to_string()),
        (&from_stdin, "<stdin>".to_string()),
    ] {
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!(
                "{name}:3:15: error[T002]: the timeline is not UTF-8 text"
            )),
            "{err}"
        );
    }
}

/// A bad `--from` is a usage error (exit 2) before the timeline is read, whatever it holds
/// (it was found only after the timeline's own errors, exit 1).
#[test]
fn a_bad_audit_date_is_a_usage_error_before_the_timeline_is_read() {
    let out = vigil(&[
        "audit",
        "protocols/supported-living",
        "--timeline",
        "tests/fixtures/bad/timelines/090-note-a-list.ndjson",
        "--from",
        "2026-02-30",
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// In the duty list, a time on the other side of a clock change from the heading names its
/// zone (found by a docs-only tester: `02:10` under a heading in GMT read as GMT). Worked by
/// hand: P-0720's visit at 00:30 GMT on Sun 29 Mar 2026, no answer at 00:40; the on-call
/// manager is to be told within 15 minutes (due 00:55 GMT, the heading's zone: no label);
/// left undone, the breach notice to the registered manager is due 15 minutes later (the
/// framework's `on breach ... within 15m`), 01:10 GMT, which the clocks going forward at
/// 01:00 GMT make 02:10 BST, and says so.
#[test]
fn a_time_across_a_clock_change_names_its_zone() {
    let timeline = "events:
  - {id: vp, at: 2026-03-28T12:00:00Z, person: P-0720, kind: visit_planned, visit: V1, planned: 2026-03-29T00:30:00Z, criticality: standard, by: scheduling_coordinator}
  - {id: na, at: 2026-03-29T00:40:00Z, person: P-0720, kind: no_answer, visit: V1, by: support_worker}
";
    let out = eval_with(timeline, &["--at", "2026-03-29T00:59:00Z"]);
    let text = stdout(&out);
    assert!(text.contains("as of 00:59 Sun 29 Mar (GMT)"), "{text}");
    assert!(text.contains(" 00:55 "), "{text}");
    assert!(!text.contains("00:55 GMT"), "{text}");
    assert!(text.contains("02:10 BST"), "{text}");
    assert!(!text.contains("02:10  "), "{text}");
}

/// A next change in another year says its year, and the end of the bank-holiday data says
/// so (found by a docs-only tester: "00:00 Sat 01 Jan (in 394 d 5 h)" read as next new
/// year's day). Worked by hand: with nothing pending on 2 December 2026, the next change is
/// where the embedded bank-holiday data (through 2027) ends, 00:00 on 1 January 2028 (GMT).
#[test]
fn a_next_change_in_another_year_says_the_year_and_why() {
    let out = eval_with(
        "as_of: 2026-12-02T18:40:00Z\nevents: []\n",
        &["--at", "2026-12-02T18:40:00Z"],
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "Next change: 00:00 Sat 01 Jan 2028 (in 394 d 5 h, when the bank-holiday data ends)"
        ),
        "{text}"
    );
}

/// A step that ended failed is finished, not done: the list's heading says how many failed.
/// By hand (examples/README.md, flow-a at 11:10): external checks, attempts, the notice, the
/// review, the out-of-hours escalation and forcing entry done; the sister's call and the key
/// holders' chain failed: 8 finished, 2 failed (found by a docs-only tester: "Done: 8" read as
/// if every one was done).
#[test]
fn failed_steps_are_counted_as_ended_not_done() {
    let out = eval_example(
        (
            "protocols/supported-living/",
            "examples/flow-a-chain-bank-holiday.yaml",
            "2026-08-31T11:10:00+01:00",
        ),
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\nDone or ended: 8 (2 failed)\n"), "{text}");
}

/// Before its planned start a visit is "upcoming"; after it, until its late threshold, "on
/// time so far" (found by a docs-only tester: an 08:00 visit read "on time so far" at
/// midnight). By hand: P-0142's critical 08:00 visit is late at 08:15 (framework thresholds).
#[test]
fn a_visit_before_its_start_is_upcoming_not_on_time_so_far() {
    let (dir, timeline) = common::scratch_file(
        "upcoming",
        "t.yaml",
        "events:\n  - { at: \"2026-11-23T18:00:00Z\", person: P-0142, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical, by: scheduling_coordinator }\n",
    );
    let timeline = timeline.display().to_string();
    let line = |at: &str| -> String {
        let out = vigil(&[
            "eval",
            "protocols/supported-living",
            "--timeline",
            &timeline,
            "--at",
            at,
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| l.contains(" V1 "))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("2026-11-24T07:00:00Z").ends_with("planned 08:00: upcoming"));
    assert!(line("2026-11-24T08:05:00Z").ends_with("planned 08:00: on time so far"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A usage error under `--format json` says the whole of what is wrong (the missing argument,
/// the values allowed), and a key file that cannot be read is `io`, as any path is (found by
/// a docs-only tester: the message stopped at "not provided:", and the key was `usage`).
#[test]
fn json_usage_errors_say_it_all_and_an_unreadable_key_is_io() {
    let errors = |args: &[&str]| -> serde_json::Value {
        let out = vigil(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["errors"][0].clone()
    };
    let e = errors(&["eval", "protocols/supported-living", "--format", "json"]);
    assert_eq!(e["code"], "usage");
    assert!(
        e["message"].as_str().unwrap().contains("--timeline <FILE>"),
        "{e}"
    );
    let e = errors(&[
        "eval",
        "protocols/supported-living",
        "--timeline",
        "x",
        "--format",
        "xml",
        "--format",
        "json",
    ]);
    assert!(
        e["message"].as_str().unwrap().contains("possible values"),
        "{e}"
    );
    let e = errors(&[
        "eval",
        "protocols/supported-living",
        "--timeline",
        "examples/refusal.yaml",
        "--redact",
        "no-such-key-file",
        "--format",
        "json",
    ]);
    assert_eq!(e["code"], "io", "{e}");
}

/// A timeline whose name has no ending a timeline has (a shell's `<(...)` is `/dev/fd/63`) is
/// read by its text, as standard input is (found by a docs-only tester: NDJSON given so was
/// read as YAML, "no `events` list").
#[test]
fn a_timeline_with_no_known_ending_is_read_by_its_text() {
    let (dir, log) = common::scratch_file(
        "no-ending",
        "log",
        "{\"as_of\": \"2026-11-24T08:41:00Z\"}\n{\"at\": \"2026-11-23T18:00:00Z\", \"person\": \"P-0001\", \"kind\": \"visit_planned\", \"visit\": \"V1\", \"planned\": \"2026-11-24T08:00:00Z\", \"criticality\": \"critical\"}\n",
    );
    let log = log.display().to_string();
    let out = vigil(&["eval", "protocols/supported-living", "--timeline", &log]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("as of 08:41 Tue 24 Nov"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("P-0001"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A few lines naming a century (a slip of the year) would make millions of protocol visits,
/// each missed, with its duties: refused before evaluating, by `eval`, `audit` and `--watch`'s
/// first look alike, naming the record's span and the flag (found by a docs-only tester: 200
/// bytes ran the command out of memory). A week is far inside the bound, and the flag lowers
/// or raises it.
#[test]
fn a_record_of_a_century_is_refused_before_it_is_watched() {
    let century = "from: 2000-01-01T00:00:00Z\nas_of: 2099-12-31T00:00:00Z\npersons: [P-0142, P-0660]\nevents: []\n";
    let (dir, file) = common::scratch_file("century", "t.yaml", century);
    let file = file.to_str().unwrap();
    let on = |command: &'static str, extra: &[&'static str]| {
        let mut args = vec![command, "protocols/supported-living", "--timeline", file];
        args.extend(extra);
        args
    };
    for command in [
        on("eval", &[]),
        on("audit", &[]),
        on("eval", &["--format", "json"]),
    ] {
        let out = vigil(&command);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {out:?}");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            said.contains("from 2000-01-01T00:00:00Z to 2099-12-31T00:00:00Z"),
            "{said}"
        );
        assert!(said.contains("--max-watched-visits"), "{said}");
        if command.contains(&"json") {
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(doc["errors"][0]["code"], "limit", "{doc}");
        }
    }
    let week =
        "from: 2026-11-23T00:00:00Z\nas_of: 2026-11-30T00:00:00Z\npersons: [P-0142]\nevents: []\n";
    std::fs::write(file, week).unwrap();
    let run = |extra: &[&'static str]| {
        let mut args = on("eval", &["--format", "json"]);
        args.extend(extra);
        vigil(&args).status.code()
    };
    // P-0142's week holds more than ten occurrences of its visits and fewer than a hundred.
    assert_eq!(run(&[]), Some(3));
    assert_eq!(run(&["--max-watched-visits", "10"]), Some(1));
    assert_eq!(run(&["--max-watched-visits", "100"]), Some(3));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A governance duty about one episode (a missed critical visit's welfare check not made in
/// time) is about that episode's visit: `--route` of the visit's route keeps it, and its
/// `visit` names the visit (found by a docs-only tester: it was hidden, and the command
/// exited 0 with an overdue duty).
#[test]
fn a_governance_duty_about_a_visit_is_kept_by_its_route() {
    let text = "as_of: \"2026-11-24T09:30:00Z\"\nevents:\n  - { at: \"2026-11-23T18:00:00Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical, route: R1, by: scheduling_coordinator }\n  - { at: \"2026-11-24T08:32:00Z\", person: P-0001, visit: V1, kind: notified, role: duty_manager, by: scheduling_coordinator }\n  - { at: \"2026-11-24T08:36:00Z\", person: P-0001, visit: V1, kind: record_made, log: missed_visit_log, by: duty_manager }\n";
    let (dir, file) = common::scratch_file("governance-route", "t.yaml", text);
    let out = vigil(&[
        "eval",
        "protocols/supported-living",
        "--timeline",
        file.to_str().unwrap(),
        "--route",
        "R1",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let governance: Vec<&serde_json::Value> = doc["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["id"]
                .as_str()
                .unwrap()
                .starts_with("governance/critical_without_welfare_check/")
        })
        .collect();
    assert_eq!(governance.len(), 1, "{doc}");
    assert_eq!(governance[0]["visit"], "V1");
    assert_eq!(governance[0]["status"], "overdue");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Scheduled governance duties (`daily at 17:00`) are made from the record's length as the
/// protocol visits are: a record of a century under a framework with ten a day is refused
/// before evaluating, naming its own flag, which lowers or raises the bound (found by a
/// docs-only tester: three lines made 218,000 duties and 656 MB, and a framework checking
/// every five minutes aborted out of memory).
#[test]
fn a_century_of_scheduled_duties_is_refused_before_it_is_made() {
    let century = "from: 2000-01-03T00:00:00Z\nas_of: 2099-12-28T00:00:00Z\nevents: []\n";
    let (dir, file) = common::scratch_file("century-duties", "t.yaml", century);
    let file = file.to_str().unwrap();
    for command in ["eval", "audit"] {
        let out = vigil(&[
            command,
            "protocols/supported-living-2027",
            "--timeline",
            file,
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(1), "{command}: {out:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["errors"][0]["code"], "limit", "{doc}");
        let said = doc["errors"][0]["message"].as_str().unwrap();
        assert!(said.contains("scheduled governance duties"), "{said}");
        assert!(said.contains("--max-scheduled-duties"), "{said}");
    }
    let week = "from: 2027-01-04T00:00:00Z\nas_of: 2027-01-11T00:00:00Z\nevents: []\n";
    std::fs::write(file, week).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "protocols/supported-living-2027",
            "--timeline",
            file,
            "--format",
            "json",
        ];
        args.extend(extra);
        vigil(&args).status.code()
    };
    // A week of the 2027 framework opens about seventy such duties.
    assert_eq!(run(&[]), Some(3));
    assert_eq!(run(&["--max-scheduled-duties", "10"]), Some(1));
    assert_eq!(run(&["--max-scheduled-duties", "1000"]), Some(3));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A folder's files are read only when they are ordinary files: a named pipe among them
/// would wait for a writer for ever (found by a docs-only tester: `check`, `test` and `diff
/// --timelines` hung). `diff --timelines` says of each file it cannot read why, as it does of
/// one it cannot judge, and reads them within the limits in force (it had left a file over
/// `--max-file-mib` out without a word, and ignored `--max-events`); `test` keeps
/// `--max-events` too.
#[cfg(unix)]
#[test]
fn folders_are_read_only_for_their_ordinary_files_and_within_the_limits() {
    let (dir, _) = common::scratch_file("fifos", "keep.txt", "");
    let make_fifo = |p: &std::path::Path| {
        let made = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(made.success());
    };
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(
        "protocols/supported-living/framework.vigil",
        rules.join("framework.vigil"),
    )
    .unwrap();
    make_fifo(&rules.join("x.vigil"));
    let out = vigil(&["check", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not an ordinary file"),
        "{out:?}"
    );

    let timelines = dir.join("timelines");
    std::fs::create_dir(&timelines).unwrap();
    make_fifo(&timelines.join("a-pipe.yaml"));
    std::fs::copy(
        "examples/no-response-ladder.yaml",
        timelines.join("b-ladder.yaml"),
    )
    .unwrap();
    let diff = |extra: &[&str]| {
        let mut args = vec![
            "diff",
            "protocols/supported-living",
            "protocols/supported-living-2027",
            "--timelines",
            timelines.to_str().unwrap(),
        ];
        args.extend(extra);
        let out = vigil(&args);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let said = diff(&[]);
    assert!(
        said.contains("a-pipe.yaml: cannot be read: it is not an ordinary file"),
        "{said}"
    );
    assert!(said.contains("b-ladder.yaml:\n"), "{said}");
    let said = diff(&["--max-events", "3"]);
    assert!(
        said.contains("b-ladder.yaml: skipped: neither version reads it"),
        "{said}"
    );
    assert!(said.contains("--max-events"), "{said}");

    let tests = dir.join("tests");
    std::fs::create_dir(&tests).unwrap();
    let test = std::fs::read_to_string("protocols/supported-living/framework.test.yaml").unwrap();
    std::fs::write(
        tests.join("framework.test.yaml"),
        test.replace(
            "../../examples/",
            &format!("{}/examples/", std::env::current_dir().unwrap().display()),
        ),
    )
    .unwrap();
    make_fifo(&tests.join("pipe.test.yaml"));
    let out = vigil(&[
        "test",
        "protocols/supported-living",
        tests.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    std::fs::remove_file(tests.join("pipe.test.yaml")).unwrap();
    let out = vigil(&[
        "test",
        "protocols/supported-living",
        tests.to_str().unwrap(),
        "--max-events",
        "3",
    ]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("--max-events"), "{said}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `vigil test` and `diff --timelines` evaluate too, so they keep the same bound: a test
/// check a century after its timeline's start is reported at its `at`, not evaluated, and a
/// century's timeline in a diff's folder is said, not evaluated (each had run out of
/// memory on a few lines).
#[test]
fn tests_and_diffs_keep_the_watching_limit() {
    let test_file = "framework: Example Supported Living\nversion: \"2026.1\"\nperson: P-0142\ntests:\n  - name: a slip of the year\n    timeline:\n      from: \"2000-01-01T00:00:00Z\"\n      events:\n        - { at: \"2000-01-01T10:00:00Z\", person: P-0142, kind: no_answer, by: support_worker }\n    expect:\n      - at: 2099-01-01T00:00:00Z\n        duties:\n          - { step: no_response.external_checks, status: overdue }\n";
    let (dir, file) = common::scratch_file("century-test", "p.test.yaml", test_file);
    let out = vigil(&["test", "protocols/supported-living", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("p.test.yaml:11:"), "{said}");
    assert!(said.contains("this check is not evaluated: the record runs from 2000-01-01T00:00:00Z to 2099-01-01T00:00:00Z"), "{said}");
    assert!(said.contains("--max-watched-visits"), "{said}");
    std::fs::remove_dir_all(dir).unwrap();

    let century =
        "from: 2000-01-01T00:00:00Z\nas_of: 2099-12-31T00:00:00Z\npersons: [P-0142]\nevents: []\n";
    let (dir, file) = common::scratch_file("century-diff", "t.yaml", century);
    let folder = file.parent().unwrap().to_str().unwrap();
    let out = vigil(&[
        "diff",
        "protocols/supported-living",
        "protocols/supported-living-2027",
        "--timelines",
        folder,
    ]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("t.yaml: not evaluated: the record runs from 2000-01-01T00:00:00Z to 2099-12-31T00:00:00Z"), "{said}");
    std::fs::remove_dir_all(dir).unwrap();
}
