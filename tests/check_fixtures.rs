//! One fixture per diagnostic code: `tests/fixtures/check/<code>.vigil`, checked together with
//! the clean framework in `tests/fixtures/check/base/`, rendered without colour and snapshotted.
#![allow(clippy::unwrap_used)] // test helpers fail loudly on a missing fixture, which is the point

use std::path::Path;

use vigil::check::{check, Code};
use vigil::render::diagnostics::to_text;
use vigil::Source;

const DIR: &str = "tests/fixtures/check";

fn sources_for(path: &Path) -> Vec<Source> {
    let base = format!("{DIR}/base/framework.vigil");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    vec![
        Source::new(
            "base/framework.vigil",
            std::fs::read_to_string(&base).unwrap(),
        ),
        Source::new(name, std::fs::read_to_string(path).unwrap()),
    ]
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

#[test]
fn every_code_has_a_fixture_that_produces_it() {
    let mut missing = Vec::new();
    for code in Code::ALL {
        let path = Path::new(DIR).join(format!("{}.vigil", code.as_str()));
        if !path.exists() {
            missing.push(format!("{} (no fixture)", code.as_str()));
            continue;
        }
        let checked = check(&sources_for(&path));
        if !checked.diagnostics.iter().any(|d| d.code == *code) {
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
    // `E017.vigil` and `E017-some-case.vigil` both belong to E017.
    let mut checked_any = 0;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "vigil") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let prefix = stem.split('-').next().unwrap_or_default();
        let code = Code::ALL
            .iter()
            .find(|c| c.as_str() == prefix)
            .unwrap_or_else(|| panic!("{stem}: fixture names start with a code"));
        let checked = check(&sources_for(&path));
        let others: Vec<&str> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code != *code)
            .map(|d| d.code.as_str())
            .collect();
        assert!(!checked.diagnostics.is_empty(), "{stem}: reports nothing");
        assert!(others.is_empty(), "{stem}: also reports {others:?}");
        checked_any += 1;
    }
    assert!(checked_any >= Code::ALL.len());
}

#[test]
fn the_base_framework_is_clean() {
    let base = format!("{DIR}/base/framework.vigil");
    let sources = vec![Source::new("base", std::fs::read_to_string(base).unwrap())];
    let checked = check(&sources);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert_eq!(checked.rulesets.len(), 1);
}
