//! `vigil fmt`: over every `.vigil` file in the repository (the shipped protocols and every
//! fixture), formatting keeps the syntax tree, keeps every comment, and is idempotent; the
//! shipped files are formatted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a missing file should fail loudly

use std::path::{Path, PathBuf};

use vigil::syntax::format::{format, FormatError};

fn vigil_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            vigil_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "vigil") {
            out.push(p);
        }
    }
}

fn comments(text: &str) -> Vec<String> {
    // Only whole-line and trailing `#`/`//` comments outside strings: enough to count them.
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            match c {
                '"' if prev != '\\' => in_string = !in_string,
                '#' if !in_string => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                '/' if !in_string && line[i..].starts_with("//") => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
            prev = c;
        }
    }
    out
}

#[test]
fn formatting_keeps_the_tree_and_the_comments_and_is_idempotent() {
    let mut files = Vec::new();
    vigil_files(Path::new("protocols"), &mut files);
    vigil_files(Path::new("tests/fixtures"), &mut files);
    vigil_files(Path::new("examples"), &mut files);
    let (mut formatted, mut refused) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // a fixture that is not UTF-8 on purpose
        };
        match format(&text) {
            Ok(out) => {
                formatted += 1;
                let before = vigil::syntax::parse(&text).document.unwrap();
                let after = vigil::syntax::parse(&out);
                assert!(
                    after.errors.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    after.errors
                );
                assert_eq!(
                    after.document.unwrap(),
                    before,
                    "{}: the tree changed",
                    path.display()
                );
                assert_eq!(
                    comments(&out),
                    comments(&text),
                    "{}: comments changed",
                    path.display()
                );
                assert_eq!(
                    format(&out).unwrap(),
                    out,
                    "{}: not idempotent",
                    path.display()
                );
                assert!(
                    out.ends_with('\n') && !out.ends_with("\n\n"),
                    "{}",
                    path.display()
                );
            }
            Err(FormatError::Syntax) => {
                refused += 1;
                assert!(
                    !vigil::syntax::parse(&text).errors.is_empty(),
                    "{}",
                    path.display()
                );
            }
            Err(FormatError::Hidden) => {
                refused += 1;
                let hidden = text.chars().any(|c| vigil::wording::hidden(c).is_some());
                assert!(hidden, "{}", path.display());
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    assert!(
        formatted >= 100 && refused >= 10,
        "{formatted} formatted, {refused} refused"
    );
}

#[test]
fn shipped_protocols_are_formatted() {
    let mut files = Vec::new();
    vigil_files(Path::new("protocols"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format(&text).unwrap(),
            text,
            "{} is not formatted: run `vigil fmt`",
            path.display()
        );
    }
}

/// The layout's rules, on one small file: indentation by braces, continuation lines, one
/// space between tokens, none before `,` and `:`, blank lines collapsed and none inside a
/// brace, comments kept where they were.
#[test]
fn the_canonical_layout() {
    let text = "# head\n\n\nframework \"Acme\"   version 1 {\n\n\trole a \"A\"   # trailing\n   role b \"B\" covers\na , c\n\n\n\n  pathway p on no_answer {\n step s : notify a by b\n within 5m\n  # before the brace\n}\n}\n\n";
    let out = format(text).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!(out);
}

/// `vigil fmt --check` lists what is not formatted and exits 1; `vigil fmt` rewrites it.
#[test]
fn check_then_rewrite() {
    let dir = std::env::temp_dir().join(format!("vigil-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("f.vigil");
    std::fs::write(
        &file,
        "framework \"Acme\"   version 1 {\n role a \"A\"\n}\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_vigil");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    let out = run(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not formatted (line 1"));
    let out = run(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "framework \"Acme\" version 1 {\n  role a \"A\"\n}\n"
    );
    let out = run(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What the fmt_roundtrip fuzzer found: a vertical tab (a character no one can see) after a
/// brace passed the item-by-item parser but not the whole-file one, and was refused as a
/// syntax error the check did not report. It is refused as what it is.
#[test]
fn a_hidden_character_is_refused_as_such() {
    let bytes =
        std::fs::read("tests/fixtures/fuzz-regressions/fmt_roundtrip-vertical-tab.vigil.bin")
            .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(format(&text), Err(FormatError::Hidden));
}

/// A file with syntax errors is counted apart, never folded into "all formatted" (the count
/// once said "2 files checked: all formatted" and exited 1).
#[test]
fn a_file_that_cannot_be_formatted_is_counted_apart() {
    let dir = std::env::temp_dir().join(format!("vigil-fmt-count-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("ok.vigil"),
        "framework \"X\" version 1 {\n  role a \"A\"\n  threshold routine late 15m missed 30m\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.vigil"),
        "framework \"Y\" version 1 {\n  oops\n}\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["fmt", "--check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "2 files checked: 1 already formatted, 0 not formatted, 1 could not be formatted"
        ),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
