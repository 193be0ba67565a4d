//! The layers ARCHITECTURE.md states, enforced: each stage names only the stages below it, and
//! the files inside a stage never import each other in a circle.
//!
//! In one package the compiler does not stop `check` from calling `render`, so this test reads
//! every source file, drops comments, and collects the `crate::X` paths it names (including
//! grouped `use crate::{x, y}` lines). A back-edge fails the test with the file and the path.

#![allow(clippy::expect_used)] // an unreadable source file should fail the test loudly

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each part of the library and the parts it may name. Anything not listed is forbidden.
/// Keep this table and ARCHITECTURE.md ("Layers") saying the same thing.
const ALLOWED: &[(&str, &[&str])] = &[
    ("span", &[]),
    ("contract", &[]),
    ("vocab", &[]),
    ("wording", &[]),
    ("limits", &[]),
    ("hash", &[]),
    ("source", &["span", "wording"]),
    ("time", &["span", "vocab", "wording", "hash"]),
    ("syntax", &["span", "source", "vocab", "wording", "limits"]),
    ("rules", &["span", "vocab", "wording", "time", "contract"]),
    (
        "check",
        &[
            "span", "source", "vocab", "wording", "time", "syntax", "rules", "limits", "hash",
        ],
    ),
    (
        "timeline",
        &[
            "span", "source", "vocab", "wording", "time", "rules", "contract", "limits", "hash",
        ],
    ),
    (
        "eval",
        &[
            "span", "vocab", "wording", "time", "rules", "timeline", "contract", "hash", "limits",
        ],
    ),
    (
        "audit",
        &[
            "span", "vocab", "wording", "time", "rules", "timeline", "eval", "contract", "limits",
            "hash",
        ],
    ),
    (
        "simulate",
        &["span", "vocab", "wording", "time", "rules", "timeline"],
    ),
    (
        "testing",
        &[
            "span", "source", "vocab", "wording", "time", "rules", "eval", "timeline", "contract",
            "limits", "hash",
        ],
    ),
    (
        "render",
        &[
            "span", "source", "vocab", "wording", "time", "syntax", "rules", "check", "eval",
            "timeline", "testing", "audit", "limits", "hash",
        ],
    ),
];

/// The code of a file with `//` comments removed (doc examples name `vigil::`, not `crate::`,
/// and prose may mention any module), and without its tests: a file that is test code alone
/// (`#![cfg(test)]`), or a file's `#[cfg(test)]` module at its end. Tests build their
/// fixtures with whatever stage makes them (rules compiled from text, a simulated month);
/// the layering is the library's.
fn code_of(text: &str) -> String {
    if text.lines().any(|l| l.trim() == "#![cfg(test)]") {
        return String::new();
    }
    // The inline test module: `#[cfg(test)]`, any other attributes, then `mod tests {` (not
    // `mod split;`, a declaration, after which the file goes on).
    let lines: Vec<&str> = text.lines().collect();
    let opens_tests = |from: usize| {
        lines
            .iter()
            .skip(from + 1)
            .map(|l| l.trim())
            .find(|l| !l.starts_with("#["))
            .is_some_and(|l| l.starts_with("mod ") && l.ends_with('{'))
    };
    let tests_at = (0..lines.len())
        .find(|&i| lines[i].trim() == "#[cfg(test)]" && opens_tests(i))
        .unwrap_or(lines.len());
    lines[..tests_at]
        .iter()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare in this code base and harmless here: it
            // can only hide a path, and paths do not sit inside strings.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

/// The part of the library a file under `src/` belongs to: `src/check/policy.rs` -> `check`,
/// `src/rules.rs` -> `rules`.
fn part_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn each_stage_names_only_the_stages_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    common::rust_files(Path::new("src"), &mut files);
    let mut problems = Vec::new();
    let mut seen_parts = BTreeSet::new();
    for file in &files {
        let Some(part) = part_of(file) else { continue };
        // The binary's CLI and the crate root may use every stage, and so may the host-facing
        // surface at the root (one error type, the rule-set builder, the generated schemas),
        // which no stage may name back.
        if matches!(
            part.as_str(),
            "cli" | "lib" | "main" | "error" | "options" | "schema"
        ) {
            continue;
        }
        seen_parts.insert(part.clone());
        let Some(may) = allowed.get(part.as_str()) else {
            problems.push(format!(
                "{}: part `{part}` is not in the layering table; add it to ALLOWED and ARCHITECTURE.md",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source file reads");
        for named in crate_paths(&code_of(&text)) {
            if named != part && !may.contains(&named.as_str()) {
                problems.push(format!(
                    "{}: `{part}` names `crate::{named}`, which is not below it",
                    file.display()
                ));
            }
        }
    }
    assert!(
        seen_parts.len() >= ALLOWED.len() - 1,
        "the scan found too few parts: {seen_parts:?}"
    );
    assert!(
        problems.is_empty(),
        "layering broken:\n{}",
        problems.join("\n")
    );
}

/// The sibling files a file imports through `super::NAME` (its stage's `mod.rs` excluded: the
/// shared context lives there by design).
fn sibling_imports(code: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("super::") {
        rest = &rest[i + "super::".len()..];
        let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|s| {
                    s.trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .collect()
        } else {
            vec![rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()]
        };
        out.extend(names.into_iter().filter(|n| siblings.contains(n)));
    }
    out
}

#[test]
fn files_inside_a_stage_never_import_each_other_in_a_circle() {
    let mut problems = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("src")
        .expect("src reads")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files = Vec::new();
        common::rust_files(&dir, &mut files);
        let stem = |p: &Path| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string()
        };
        let siblings: BTreeSet<String> = files
            .iter()
            .filter(|p| p.parent() == Some(dir.as_path()))
            .map(|p| stem(p))
            .filter(|s| s != "mod")
            .collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in files.iter().filter(|p| p.parent() == Some(dir.as_path())) {
            let name = stem(f);
            if name == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(f).expect("source file reads");
            let mut to = sibling_imports(&code_of(&text), &siblings);
            to.remove(&name);
            edges.insert(name, to);
        }
        // Depth-first search for a cycle, reporting the first one found from each file.
        for start in edges.keys() {
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            let mut visited = BTreeSet::new();
            while let Some((node, path)) = stack.pop() {
                for next in edges.get(&node).into_iter().flatten() {
                    if next == start {
                        problems.push(format!(
                            "{}: {} -> {start}",
                            dir.display(),
                            path.join(" -> ")
                        ));
                    } else if visited.insert(next.clone()) {
                        let mut p = path.clone();
                        p.push(next.clone());
                        stack.push((next.clone(), p));
                    }
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "files import each other in a circle:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_sees_grouped_and_plain_paths() {
    let code = "use crate::{time::Civil, rules};\nlet x = crate::render::duration_words(1);";
    let found = crate_paths(&code_of(code));
    assert!(found.contains("time") && found.contains("rules") && found.contains("render"));
    assert!(crate_paths(&code_of("// crate::render::x")).is_empty());
}

/// Lines of code (comments dropped) in `src/` that `matches`, as `file:line`.
fn places(matches: impl Fn(&str) -> bool) -> Vec<String> {
    let mut files = Vec::new();
    common::rust_files(Path::new("src"), &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file reads");
        for (n, line) in code_of(&text).lines().enumerate() {
            if matches(line.trim()) {
                out.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    out
}

/// What a rule is, how a line of its implementation is recognised, and its one home.
type Home<'a> = (&'a str, &'a dyn Fn(&str) -> bool, &'a str);

/// Each evaluation rule is written once (ARCHITECTURE.md, "One home per rule"): a second copy
/// of any of these is how the copies came to disagree before.
#[test]
fn each_rule_has_one_home() {
    // A struct literal is a line that is exactly `Name {` (how rustfmt writes one that spans
    // lines); other rules are found by a line only their implementation contains.
    let homes: &[Home] = &[
        (
            "a rule set is built",
            &|l| l == "RuleSet {",
            "src/check/assemble.rs",
        ),
        (
            "an obligation is made",
            &|l| l == "Obligation {",
            "src/eval/obligation.rs",
        ),
        (
            "`earliest of` is combined",
            &|l| l.starts_with("DeadlineDef::Earliest(a, b) =>"),
            "src/rules/deadline.rs",
        ),
        (
            "a status is decided",
            &|l| l.contains("(Status::DoneLate,"),
            "src/eval/decision.rs",
        ),
        (
            "an agreed exception's window is tested",
            &|l| l.contains(".at_local(self.from)") || l.contains("x.from <="),
            "src/rules/mod.rs",
        ),
        (
            "who decides about a person's welfare is settled",
            &|l| l.contains("=> Standing::Decides"),
            "src/rules/standing.rs",
        ),
        (
            "an event is matched to a duty",
            &|l| l.contains("EventData::SafeguardingReferral) =>"),
            "src/eval/discharge.rs",
        ),
        (
            "an observation answers for its group",
            &|l| l.contains("members.contains(&seen)"),
            "src/rules/mod.rs",
        ),
        (
            "who a contact cascade tries is worked out",
            &|l| l.contains(".classes.contains("),
            "src/rules/cascade.rs",
        ),
        (
            "a method is ruled out at an instant",
            &|l| l.contains("r.window.is_none_or("),
            "src/eval/discharge.rs",
        ),
    ];
    let mut problems = Vec::new();
    for (what, matches, home) in homes {
        let found = places(matches);
        if !found.iter().any(|p| p.starts_with(&format!("{home}:"))) {
            problems.push(format!("{what}: not found in {home}"));
        }
        for p in found.iter().filter(|p| !p.starts_with(&format!("{home}:"))) {
            problems.push(format!("{what} outside {home}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
