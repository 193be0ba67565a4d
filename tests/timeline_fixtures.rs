//! One fixture per timeline error code: `tests/fixtures/timeline/<code>.yaml`, loaded against
//! the rules in `tests/fixtures/check/base/` and `tests/fixtures/timeline/base/`, rendered as
//! `vigil eval` prints them and snapshotted.
#![allow(clippy::unwrap_used, clippy::panic)] // a missing fixture should fail loudly

mod common;

use std::path::Path;

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

#[test]
fn every_code_has_a_fixture_that_produces_it() {
    let mut missing = Vec::new();
    for code in ErrorCode::ALL {
        let path = Path::new(TIMELINE_FIXTURES).join(format!("{}.yaml", code.as_str()));
        if !path.exists() {
            missing.push(format!("{} (no fixture)", code.as_str()));
            continue;
        }
        if !timeline_fixture_errors(&path)
            .iter()
            .any(|e| e.code == *code)
        {
            missing.push(format!("{} (fixture does not produce it)", code.as_str()));
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a working fixture: {missing:?}"
    );
}

#[test]
fn fixtures_produce_only_their_own_code() {
    // A fixture shows one problem; anything else it reports is a cascade worth knowing about.
    // `T012.yaml` and `T012-same-instant.yaml` both belong to T012.
    let mut checked_any = 0;
    for entry in std::fs::read_dir(TIMELINE_FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let prefix = stem.split('-').next().unwrap_or_default();
        let code = ErrorCode::ALL
            .iter()
            .find(|c| c.as_str() == prefix)
            .unwrap_or_else(|| panic!("{stem}: fixture names start with a code"));
        let errors = timeline_fixture_errors(&path);
        let others: Vec<&str> = errors
            .iter()
            .filter(|e| e.code != *code)
            .map(|e| e.code.as_str())
            .collect();
        assert!(!errors.is_empty(), "{stem}: reports nothing");
        assert!(others.is_empty(), "{stem}: also reports {others:?}");
        checked_any += 1;
    }
    assert!(checked_any >= ErrorCode::ALL.len());
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
