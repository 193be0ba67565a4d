//! One fixture per diagnostic code: `tests/fixtures/check/<code>.vigil`, checked together with
//! the clean frameworks in `tests/fixtures/check/base/`, rendered without colour and
//! snapshotted.
#![allow(clippy::unwrap_used)] // test helpers fail loudly on a missing fixture, which is the point

mod common;

use std::path::Path;

use vigil::check::{check, Code};
use vigil::render::diagnostics::to_text;
use vigil::Source;

const DIR: &str = "tests/fixtures/check";

/// The clean frameworks in `base/`, in name order: a fixture's protocol is written under one
/// of them.
const BASES: [&str; 2] = ["framework.vigil", "classes.vigil"];

fn sources_for(path: &Path) -> Vec<Source> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sources: Vec<Source> = BASES
        .iter()
        .map(|b| {
            Source::new(
                format!("base/{b}"),
                std::fs::read_to_string(format!("{DIR}/base/{b}")).unwrap(),
            )
        })
        .collect();
    sources.push(Source::new(name, std::fs::read_to_string(path).unwrap()));
    sources
}

#[test]
fn diagnostics_render_as_snapshotted() {
    insta::glob!("fixtures/check/*.vigil", |path| {
        let sources = sources_for(path);
        let checked = check(&sources);
        let text: String = checked
            .diagnostics
            .iter()
            .map(|d| to_text(d, &sources) + "\n")
            .collect();
        insta::assert_snapshot!(text);
    });
}

fn fixtures() -> common::Fixtures<'static> {
    common::Fixtures {
        dir: DIR,
        ext: "vigil",
        codes: Code::ALL.iter().map(|c| c.as_str()).collect(),
        reported: &|path| {
            check(&sources_for(path))
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect()
        },
    }
}

#[test]
fn every_code_has_a_fixture_that_produces_it() {
    fixtures().every_code_has_a_working_fixture();
}

#[test]
fn fixtures_produce_only_their_own_code() {
    // `E017.vigil` and `E017-some-case.vigil` both belong to E017.
    fixtures().each_reports_only_its_own_code();
}

#[test]
fn the_base_frameworks_are_clean() {
    for b in BASES {
        let base = format!("{DIR}/base/{b}");
        let sources = vec![Source::new(b, std::fs::read_to_string(base).unwrap())];
        let checked = check(&sources);
        assert!(
            checked.diagnostics.is_empty(),
            "{b}: {:?}",
            checked.diagnostics
        );
        assert_eq!(checked.rulesets.len(), 1);
    }
}
