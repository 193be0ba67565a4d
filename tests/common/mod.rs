//! What several test files load: the bundled rule set and the example timelines.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses part; a missing folder should fail loudly

use std::path::PathBuf;

/// The framework and protocols in `protocols/`, compiled.
pub fn bundled_rules() -> vigil::rules::RuleSet {
    let mut files: Vec<PathBuf> = std::fs::read_dir("protocols")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    files.sort();
    let sources: Vec<vigil::Source> = files
        .iter()
        .map(|p| vigil::Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    vigil::compile(&sources).unwrap()
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
        Err(errors) => errors,
    }
}
