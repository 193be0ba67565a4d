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

/// A syntax error drops the item it is in: an unknown name with no close name read may be
/// that item's, and its help says to fix the syntax error first; a name with a close one read
/// is a slip of the pen, and its help only suggests the name (found by a docs-only tester: a
/// misspelt role declared in the framework was blamed on the protocol's syntax error).
#[test]
fn only_an_unknown_name_with_nothing_close_is_blamed_on_a_syntax_error() {
    let fw = Source::new(
        "fw.vigil",
        r#"framework "Acme" version 1 {
  role worker "Worker"
  role manager "Manager" covers worker
  threshold standard late 15m missed 30m
  pathway refusal on refusal {
    step tell: notify managr by worker within 15m
    step ask: notify zebra by worker within 15m
  }
}
"#,
    );
    let broken = Source::new(
        "p.vigil",
        "protocol \"P-1\" under \"Acme\" {\n  risk falls ((\n}\n",
    );
    let checked = check(&[fw, broken]);
    let help = |name: &str| {
        checked
            .diagnostics
            .iter()
            .find(|d| d.code == Code::UnknownName && d.message.contains(name))
            .map(|d| d.help.clone())
            .unwrap_or_else(|| panic!("no E003 for {name}: {:?}", checked.diagnostics))
    };
    let slip = help("managr");
    assert!(slip.contains("did you mean `manager`"), "{slip}");
    assert!(!slip.contains("fix that first"), "{slip}");
    let unknown = help("zebra");
    assert!(unknown.contains("fix that first"), "{unknown}");
}

/// A threshold override with no `out_of_hours` part keeps the framework's out-of-hours
/// values where they are stricter (language.md §9.8), so it is laxer only if its own values
/// are: `late 5m missed 9m` under a framework of 15m/30m, 5m/8m out of hours, is stricter
/// everywhere (found by a docs-only tester: it was refused, E017, as "laxer than the
/// framework's 15 minutes and 30 minutes"). One with its own out-of-hours part laxer than
/// the framework's is refused, and the message says it is out of hours.
#[test]
fn an_override_without_its_own_out_of_hours_keeps_the_stricter_framework_one() {
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil")
        .unwrap()
        .replacen(
            "threshold standard late 15m missed 30m after planned start\n      out_of_hours late 15m missed 30m",
            "threshold standard late 15m missed 30m after planned start\n      out_of_hours late 5m missed 8m",
            1,
        );
    assert!(framework.contains("out_of_hours late 5m missed 8m"));
    let check = |threshold: &str| {
        let protocol = format!(
            "protocol \"Q-9\" under \"Example Supported Living\" version 2026.1 {{\n  {threshold}\n}}\n"
        );
        let checked = vigil::check::check(&[
            Source::new("framework.vigil", framework.clone()),
            Source::new("q-9.vigil", protocol),
        ]);
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "E017")
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        check("threshold standard late 5m missed 9m after planned start"),
        Vec::<String>::new()
    );
    let laxer = check(
        "threshold standard late 5m missed 9m after planned start out_of_hours late 5m missed 9m",
    );
    assert_eq!(laxer.len(), 1, "{laxer:?}");
    assert!(
        laxer[0].starts_with("out of hours, this person's `standard` visits are late after 5 minutes and missed after 9 minutes, laxer than the framework's 5 minutes and 8 minutes out of hours"),
        "{laxer:?}"
    );
    assert_eq!(
        check("threshold standard late 20m missed 30m after planned start").len(),
        1
    );
}

/// A protocol's branch on a framework step can leave another of that step's failures with
/// nowhere to go (E041). The finding is the framework step's, but only the protocol makes it:
/// it is said on the protocol, pointing at the framework's step, and the pathway is not left
/// out of the person's rules in silence (found by a docs-only tester: `check` was clean and
/// `eval` lost the person's whole no-response ladder to a manual review).
#[test]
fn a_refinement_leaving_a_framework_failure_nowhere_to_go_is_an_error() {
    let protocol = "protocol \"P-5\" under \"Example Supported Living\" version 2026.1 {\n  pathway no_response {\n    step extra: escalate to adult_social_care by manager within 30m after notify_manager if no_answer\n  }\n}\n";
    let checked = under_the_bundled_framework(protocol);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity() == vigil::check::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0];
    assert_eq!(e.code.as_str(), "E041");
    assert_eq!(e.file, 1, "said on the protocol");
    assert!(
        e.message.starts_with(
            "with this protocol's changes, when step `notify_manager` ends `not_available`"
        ),
        "{e:?}"
    );
    assert_eq!(e.related[0].file, 0, "pointing at the framework's step");
    assert!(checked.rulesets.is_empty());
}

/// A step with no `by` still has its other clauses checked, so one run reports every slip
/// in it (found by a docs-only tester: the zero deadline and the misspelt `after` showed
/// only once `by` was added).
#[test]
fn a_step_without_a_role_still_has_its_other_clauses_checked() {
    let protocol = "protocol \"P-5\" under \"Example Supported Living\" version 2026.1 {\n  pathway no_response {\n    step extra2: check surroundings within 0m after review_recrds\n  }\n}\n";
    let checked = under_the_bundled_framework(protocol);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E023", "E008", "E003"], "{:?}", checked.diagnostics);
}

/// A step whose worst case has no bound (its condition waits on an observation that may
/// never come) is said to allow an unbounded time, not "no deadline", which read as false
/// for a step written `within 1h` (found by a docs-only tester).
#[test]
fn a_step_that_may_wait_for_ever_is_said_to_allow_an_unbounded_time() {
    let protocol = "protocol \"P-5\" under \"Example Supported Living\" version 2026.1 {\n  pathway no_response {\n    step escalate_out_of_hours: escalate to emergency_duty_team by manager within 1h when out_of_hours and observed lights_on\n  }\n}\n";
    let checked = under_the_bundled_framework(protocol);
    let e018: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E018")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        e018,
        ["out of hours, step `escalate_out_of_hours` allows an unbounded time (it may wait for something that never comes), longer than its office-hours twin `escalate_in_hours` (1 hour)"]
    );
}

/// `protocol` (written as `p-5.vigil`) checked under the bundled supported-living framework.
fn under_the_bundled_framework(protocol: &str) -> vigil::check::Checked {
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    vigil::check::check(&[
        Source::new("framework.vigil", framework),
        Source::new("p-5.vigil", protocol),
    ])
}
