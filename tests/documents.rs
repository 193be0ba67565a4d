//! Every `.vigil` file in `protocols/` and `examples/` is checked together. Each must be clean,
//! unless its header says otherwise with a line `# expect: E017 W003` (the codes it must
//! report; nothing else may be reported for it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a missing folder should fail the test loudly

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vigil::check::check;
use vigil::render::diagnostics::to_text;
use vigil::Source;

fn vigil_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            vigil_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "vigil") {
            out.push(p);
        }
    }
}

fn expected_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix("# expect:"))
        .flat_map(|codes| codes.split_whitespace().map(str::to_string))
        .collect()
}

#[test]
fn protocols_and_examples_check_as_their_headers_expect() {
    let mut files = Vec::new();
    vigil_files(Path::new("protocols"), &mut files);
    vigil_files(Path::new("examples"), &mut files);
    assert!(
        files.len() >= 2,
        "expected the bundled protocols, found {files:?}"
    );
    let sources: Vec<Source> = files
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let checked = check(&sources);
    let mut problems = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let expected = expected_codes(src.text());
        let found: BTreeSet<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.file == i)
            .map(|d| d.code.as_str().to_string())
            .collect();
        if expected != found {
            let rendered: String = checked
                .diagnostics
                .iter()
                .filter(|d| d.file == i)
                .map(|d| to_text(d, &sources))
                .collect();
            problems.push(format!(
                "{}: expected {expected:?}, found {found:?}\n{rendered}",
                src.name()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_bundled_protocols_build_a_rule_set() {
    let mut files = Vec::new();
    vigil_files(Path::new("protocols"), &mut files);
    let sources: Vec<Source> = files
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let checked = check(&sources);
    assert_eq!(checked.errors(), 0);
    // One rule set per bundled framework, each with its own protocols.
    let mut frameworks: Vec<&str> = checked.rulesets.iter().map(|rs| rs.framework()).collect();
    frameworks.sort_unstable();
    assert_eq!(
        frameworks,
        [
            "Example Alarm Response",
            "Example Referral Intake",
            "Example Supported Living",
            // Version 2027.1, with seed 000's governance in full, beside 2026.1.
            "Example Supported Living",
            "Example Welfare Calls"
        ]
    );
    let persons: usize = checked.rulesets.iter().map(|rs| rs.persons().len()).sum();
    assert_eq!(persons, checked.protocols);
}

/// The README's example protocol checks clean against the bundled framework, and turns into
/// the error the README shows when `phone` is added.
#[test]
fn the_readme_example_is_true() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let example = readme
        .split("```\n")
        .find(|block| block.starts_with("protocol "))
        .expect("README has an example protocol");
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    let run = |text: &str| {
        check(&[
            Source::new("framework.vigil", framework.clone()),
            Source::new("README example", text.to_string()),
        ])
    };
    let clean = run(example);
    assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
    let with_phone = run(&example.replace("methods text,", "methods phone, text,"));
    let methods_finding = with_phone
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("the person's contact methods"))
        .expect("phone in the methods is reported");
    assert!(readme.contains(&methods_finding.message));
}

/// Every `vigil` example in `docs/language.md` stays true: protocol examples check without
/// errors against the bundled framework (warnings are allowed: some examples show them), and
/// framework examples, which are fragments of a framework, parse without syntax errors. Each
/// is laid out as `vigil fmt` lays it out, so that one pasted into a file passes `vigil fmt
/// --check` (found by a docs-only tester: aligned `cite` columns and deeper continuation
/// indents failed it).
#[test]
fn the_language_reference_examples_are_true() {
    let doc = std::fs::read_to_string("docs/language.md").unwrap();
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for (n, block) in doc.split("```vigil\n").skip(1).enumerate() {
        let example = block.split("```").next().unwrap_or_default();
        let body = example.trim_start();
        if let Ok(formatted) = vigil::syntax::format::format(example) {
            if formatted != example {
                problems.push(format!(
                    "example {}: not as `vigil fmt` lays it out:\n{formatted}",
                    n + 1
                ));
            }
        }
        if body.starts_with("protocol ") {
            let result = check(&[
                Source::new("framework.vigil", framework.clone()),
                Source::new(format!("example {}", n + 1), example.to_string()),
            ]);
            if result.errors() > 0 {
                problems.push(format!(
                    "example {}: {:?}\n{example}",
                    n + 1,
                    result.diagnostics
                ));
            }
            checked += 1;
        } else if body.starts_with("framework ") {
            let parsed = vigil::syntax::parse(example);
            if !parsed.errors.is_empty() {
                problems.push(format!("example {}: {:?}\n{example}", n + 1, parsed.errors));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} examples found");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
