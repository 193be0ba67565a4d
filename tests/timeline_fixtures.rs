//! One fixture per timeline error code: `tests/fixtures/timeline/<code>.yaml`, loaded against
//! the rules in `tests/fixtures/check/base/` and `tests/fixtures/timeline/base/`, rendered as
//! `vigil eval` prints them and snapshotted.
#![allow(clippy::unwrap_used, clippy::panic)] // a missing fixture should fail loudly

mod common;

use common::{timeline_fixture_errors, timeline_fixture_sources, TIMELINE_FIXTURES};
use vigil::timeline::ErrorCode;

#[test]
fn timeline_errors_render_as_snapshotted() {
    insta::glob!("fixtures/timeline/*.yaml", |path| {
        let text: String = timeline_fixture_errors(path)
            .iter()
            .map(|e| format!("{e}\n"))
            .collect();
        insta::assert_snapshot!(text);
    });
}

fn fixtures() -> common::Fixtures<'static> {
    common::Fixtures {
        dir: TIMELINE_FIXTURES,
        ext: "yaml",
        codes: ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
        reported: &|path| {
            timeline_fixture_errors(path)
                .iter()
                .map(|e| e.code.as_str())
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
    // `T012.yaml` and `T012-same-instant.yaml` both belong to T012.
    fixtures().each_reports_only_its_own_code();
}

#[test]
fn the_rules_the_fixtures_use_are_clean() {
    let checked = vigil::check::check(&timeline_fixture_sources());
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(checked.rulesets.len(), 1);
}

#[test]
fn every_code_has_a_name_a_title_and_an_explanation() {
    let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.slug()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ErrorCode::ALL.len(), "two codes share a name");
    for (n, code) in ErrorCode::ALL.iter().enumerate() {
        // Codes are numbered in order with no gaps, so a removed code leaves a visible hole.
        assert_eq!(code.as_str(), format!("T{:03}", n + 1));
        assert!(
            !code.title().is_empty() && !code.title().ends_with('.'),
            "{code}"
        );
        assert!(code.explanation().ends_with('.'), "{code}");
    }
}
