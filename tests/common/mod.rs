//! What several test files load: the bundled rule set and the example timelines.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses part; a missing folder should fail loudly

use std::path::PathBuf;

/// Where the bundled rules an example is written for live: its header's `# rules: DIR`, or
/// the supported-living framework.
pub fn rules_dir(text: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("# rules:"))
        .map_or_else(|| DEFAULT_RULES.to_string(), |d| d.trim().to_string())
}

/// The framework most examples are written for.
pub const DEFAULT_RULES: &str = "protocols/supported-living";

/// The supported-living framework and its protocols, compiled.
pub fn bundled_rules() -> vigil::rules::RuleSet {
    rules_in(DEFAULT_RULES)
}

/// The framework and protocols in `dir` (its `.vigil` files, in name order).
pub fn sources_in(dir: &str) -> Vec<vigil::Source> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| vigil::Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// The framework and protocols in `dir`, compiled.
pub fn rules_in(dir: &str) -> vigil::rules::RuleSet {
    vigil::compile(&sources_in(dir)).unwrap()
}

/// Every timeline in `examples/`, in name order.
pub fn example_timelines() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    out.sort();
    out
}

/// The instants a timeline's header names (`# at: 2026-11-24T08:20:00Z`).
pub fn header_instants(text: &str) -> Vec<vigil::time::Instant> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# at:"))
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t.trim())
                .expect("an RFC 3339 `# at:`")
                .to_utc()
        })
        .collect()
}

/// Where the timeline fixtures are: one file per error code, `T004.yaml` or
/// `T004-what-it-shows.yaml`.
pub const TIMELINE_FIXTURES: &str = "tests/fixtures/timeline";

/// The rules the timeline fixtures are loaded against: the checker fixtures' clean framework
/// and the protocol in `tests/fixtures/timeline/base/`.
pub fn timeline_fixture_sources() -> Vec<vigil::Source> {
    [
        "tests/fixtures/check/base/framework.vigil",
        "tests/fixtures/timeline/base/protocol.vigil",
    ]
    .iter()
    .map(|p| vigil::Source::new(*p, std::fs::read_to_string(p).unwrap()))
    .collect()
}

/// The timeline fixture at `path`, loaded against [`timeline_fixture_sources`]: its errors,
/// named by the file's name alone so that snapshots do not depend on the folder.
pub fn timeline_fixture_errors(path: &std::path::Path) -> Vec<vigil::timeline::TimelineError> {
    let rules = vigil::compile(&timeline_fixture_sources()).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let format = vigil::timeline::Format::from_name(&name);
    match vigil::timeline::Timeline::load(&text, format, &name, &rules) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0,
    }
}

/// A folder of fixtures, one or more per code: `CODE.ext` and `CODE-what-it-shows.ext`.
pub struct Fixtures<'a> {
    /// The folder.
    pub dir: &'a str,
    /// The files' ending, without the dot.
    pub ext: &'a str,
    /// Every code there is.
    pub codes: Vec<&'static str>,
    /// The codes a fixture reports.
    pub reported: &'a dyn Fn(&std::path::Path) -> Vec<&'static str>,
}

impl Fixtures<'_> {
    /// Every code has a fixture named for it, and that fixture reports it.
    pub fn every_code_has_a_working_fixture(&self) {
        let mut missing = Vec::new();
        for code in &self.codes {
            let path = std::path::Path::new(self.dir).join(format!("{code}.{}", self.ext));
            if !path.exists() {
                missing.push(format!("{code} (no fixture)"));
            } else if !(self.reported)(&path).contains(code) {
                missing.push(format!("{code} (fixture does not produce it)"));
            }
        }
        assert!(
            missing.is_empty(),
            "codes without a working fixture: {missing:?}"
        );
    }

    /// A fixture shows one problem: anything else it reports is a cascade worth knowing about.
    pub fn each_reports_only_its_own_code(&self) {
        let mut checked = 0;
        for entry in std::fs::read_dir(self.dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != self.ext) {
                continue;
            }
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let prefix = stem.split('-').next().unwrap_or_default();
            let code = self
                .codes
                .iter()
                .find(|c| **c == prefix)
                .expect("fixture names start with a code");
            let reported = (self.reported)(&path);
            let others: Vec<&str> = reported.iter().copied().filter(|c| c != code).collect();
            assert!(!reported.is_empty(), "{stem}: reports nothing");
            assert!(others.is_empty(), "{stem}: also reports {others:?}");
            checked += 1;
        }
        assert!(checked >= self.codes.len());
    }
}

/// `next_change` is exact: nothing in the answer changes before it, something does at it,
/// and with none, nothing changes three days later. `decide` evaluates the same events at
/// an RFC 3339 instant; `answer` is what a decision says, less what grows every second. The
/// notes count too (one appears when time passes the end of the bank-holiday data), all but
/// the count of events after `as_of`, which is about the input.
pub fn next_change_is_exact(
    decide: impl Fn(&str) -> vigil::eval::Decision,
    answer: impl Fn(&vigil::eval::Decision) -> Vec<String>,
    now: &str,
) -> Result<(), String> {
    let answer = |d: &vigil::eval::Decision| {
        let mut all = answer(d);
        all.extend(
            d.notes
                .iter()
                .filter(|n| !n.contains("after as_of"))
                .cloned(),
        );
        all
    };
    let d = decide(now);
    let here = answer(&d);
    match d.next_change {
        Some(next) => {
            let before = next - chrono::Duration::seconds(1);
            if before > d.as_of && answer(&decide(&before.to_rfc3339())) != here {
                return Err(format!("changed before next_change {next}"));
            }
            if answer(&decide(&next.to_rfc3339())) == here {
                return Err(format!("nothing changed at next_change {next}"));
            }
        }
        None => {
            let later = d.as_of + chrono::Duration::days(3);
            if answer(&decide(&later.to_rfc3339())) != here {
                return Err("changed with no next_change".into());
            }
        }
    }
    Ok(())
}

/// Every `.rs` file under `dir`, in path order.
pub fn rust_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// A fresh folder in the system's temporary one, named for `tag` and this process, holding
/// the file `name` with `text`: the folder (to remove) and the file.
pub fn scratch_file(tag: &str, name: &str, text: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("vigil-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    (dir, file)
}
