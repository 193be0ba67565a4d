//! The real binary: exit codes, summaries, JSON, and output through a terminal-free pipe.
#![allow(clippy::unwrap_used)] // a binary that cannot run should fail the test loudly

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
    let out = vigil(&["check", "protocols/"]);
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
    let out = vigil(&["check", "--format", "xml", "protocols/"]);
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
        "protocols/",
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
        "protocols/",
        "--bank-holidays",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:2:"), "{err}");
    let missing = vigil(&["check", "protocols/", "--bank-holidays", "no/such.json"]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
