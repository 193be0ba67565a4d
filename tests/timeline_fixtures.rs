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

/// The errors for `text` (YAML, or JSON when `json`), loaded against the fixtures' rules.
fn errors_of(text: &str, json: bool) -> Vec<vigil::timeline::TimelineError> {
    use vigil::timeline::{Format, Timeline};
    let rules = vigil::compile(&timeline_fixture_sources()).unwrap();
    let format = if json { Format::Json } else { Format::Yaml };
    match Timeline::load(text, format, "t", &rules) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    }
}

/// A visit planned at `planned` (an instant as written) and an arrival at it at `arrived`.
fn planned_and_arrived(planned: &str, end: Option<&str>, arrived: &str) -> String {
    let end = end.map_or(String::new(), |e| format!("    planned_end: {e}\n"));
    format!(
        "events:\n  - at: 2026-11-23T18:00:00Z\n    person: P-1\n    kind: visit_planned\n    visit: V1\n    planned: {planned}\n{end}    criticality: critical\n  - at: {arrived}\n    person: P-1\n    kind: departed\n    visit: V1\n"
    )
}

#[test]
fn a_blank_events_or_persons_is_refused_and_an_empty_list_is_not() {
    for (text, code, line) in [
        (
            "as_of: 2026-11-24T09:00:00Z\nevents:\n",
            ErrorCode::Empty,
            2,
        ),
        ("events: ~\n", ErrorCode::Empty, 1),
        ("{\"events\": null}", ErrorCode::Empty, 1),
        ("persons:\nevents: []\n", ErrorCode::Unreadable, 1),
    ] {
        let errors = errors_of(text, text.starts_with('{'));
        assert_eq!(errors.len(), 1, "{text}: {errors:?}");
        assert_eq!((errors[0].code, errors[0].line), (code, line), "{text}");
        assert!(errors[0].help.is_some(), "{text}");
    }
    assert!(errors_of("events: []\n", false).is_empty());
    assert!(errors_of("\u{feff}{\"events\": []}", true).is_empty());
}

#[test]
fn instants_are_read_from_2000_to_2099_in_every_field() {
    let event = |at: &str| format!("events:\n  - at: {at}\n    person: P-1\n    kind: no_answer\n");
    for (at, ok) in [
        ("1999-12-31T23:59:59Z", false),
        ("2000-01-01T00:00:00Z", true),
        ("2099-12-31T23:59:59Z", true),
        ("2100-01-01T00:00:00Z", false),
        ("1970-01-01T00:00:00Z", false),
        ("1900-01-01T00:00:00+00:00", false),
    ] {
        let errors = errors_of(&event(at), false);
        assert_eq!(errors.is_empty(), ok, "{at}: {errors:?}");
        if !ok {
            assert_eq!(errors[0].code, ErrorCode::BadTimestamp, "{at}");
            assert!(errors[0].message.contains("2000 to 2099"), "{at}");
        }
    }
    for field in ["as_of", "from"] {
        let text = format!("{field}: 0000-01-01T00:00:00Z\nevents: []\n");
        let errors = errors_of(&text, false);
        assert_eq!(errors[0].field.as_deref(), Some(field));
        assert_eq!(errors[0].code, ErrorCode::BadTimestamp);
    }
    for (planned, end) in [
        ("1970-01-01T08:00:00Z", None),
        ("2026-11-24T08:00:00Z", Some("2100-11-24T08:30:00Z")),
    ] {
        let errors = errors_of(
            &planned_and_arrived(planned, end, "2026-11-24T08:05:00Z"),
            false,
        );
        assert!(
            errors.iter().any(|e| e.code == ErrorCode::BadTimestamp),
            "{planned} {end:?}: {errors:?}"
        );
    }
}

#[test]
fn attendance_is_refused_only_far_after_the_visit_ends() {
    let start = "2026-11-24T08:00:00Z";
    let end = Some("2026-11-24T16:00:00Z");
    // A long visit's departure, hours after its start but soon after its end, is the visit's.
    assert!(errors_of(
        &planned_and_arrived(start, end, "2026-11-24T17:00:00Z"),
        false
    )
    .is_empty());
    assert!(errors_of(
        &planned_and_arrived(start, None, "2026-11-24T13:59:00Z"),
        false
    )
    .is_empty());
    for (end, at) in [
        (end, "2026-11-24T22:01:00Z"),
        (None, "2026-11-24T14:01:00Z"),
    ] {
        let errors = errors_of(&planned_and_arrived(start, end, at), false);
        assert_eq!(errors.len(), 1, "{at}: {errors:?}");
        assert_eq!(errors[0].code, ErrorCode::FarFromVisit);
    }
}

#[test]
fn hidden_characters_are_refused_by_name_where_they_can_mislead() {
    let with_note = |note: &str, id: &str| {
        format!("events:\n  - id: \"{id}\"\n    at: 2026-11-24T08:05:00Z\n    person: P-1\n    kind: no_answer\n    note: \"{note}\"\n")
    };
    // A bidirectional control is refused even in free text; an invisible one only in names.
    let bidi = errors_of(&with_note("door \u{2067}locked", "e1"), false);
    assert_eq!(bidi.len(), 1, "{bidi:?}");
    assert_eq!(bidi[0].code, ErrorCode::UnknownValue);
    assert!(bidi[0].message.contains("U+2067 RIGHT-TO-LEFT ISOLATE"));
    assert!(bidi[0].message.contains("6th character"));
    assert!(errors_of(&with_note("door\u{200d}locked", "e1"), false).is_empty());
    let id = errors_of(&with_note("door", "e\u{2060}1"), false);
    assert_eq!(id.len(), 1, "{id:?}");
    assert_eq!(id[0].field.as_deref(), Some("events[0].id"));
    assert!(id[0].message.contains("U+2060 WORD JOINER"));
    // Reported once, as the character it holds, not again as a name the rules lack.
    let planned = "events:\n  - at: 2026-11-23T18:00:00Z\n    person: P-1\n    kind: visit_planned\n    visit: V1\n    slot: \"morn\u{200b}ing\"\n    planned: 2026-11-24T09:00:00Z\n";
    let slot = errors_of(planned, false);
    assert_eq!(slot.len(), 1, "{slot:?}");
    assert_eq!(slot[0].code, ErrorCode::UnknownValue);
    let persons = errors_of("persons: [\"P-\u{200b}1\"]\nevents: []\n", false);
    assert_eq!(persons.len(), 1, "{persons:?}");
    assert!(persons[0].message.contains("U+200B ZERO WIDTH SPACE"));
}

#[test]
fn an_error_quoting_a_value_never_prints_a_bidirectional_control() {
    // The instant is refused as not RFC 3339, and its message quotes it.
    let text =
        "events:\n  - at: \"2026-11-24T08:05:00Z\u{202e}\"\n    person: P-1\n    kind: no_answer\n";
    let errors = errors_of(text, false);
    assert!(!errors.is_empty());
    for e in &errors {
        let shown = e.to_string();
        assert!(!shown.contains('\u{202e}'), "{shown}");
    }
}

#[test]
fn unknown_names_say_which_characters_only_look_like_others() {
    let kind = |k: &str| {
        let text =
            format!("events:\n  - at: 2026-11-24T08:05:00Z\n    person: P-1\n    kind: \"{k}\"\n");
        errors_of(&text, false).remove(0)
    };
    let e = kind("n\u{43e}_answer");
    assert_eq!(e.code, ErrorCode::UnknownKind);
    assert!(
        e.message
            .contains("U+043E CYRILLIC SMALL LETTER O, which looks like `o`"),
        "{}",
        e.message
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `no_answer`?"));
    let e = kind("no\u{2013}answer");
    assert!(e.message.contains("U+2013 EN DASH"), "{}", e.message);
    // Case is no distance: a kind in capitals is the kind.
    assert_eq!(
        kind("NO_ANSWER").help.as_deref(),
        Some("did you mean `no_answer`?")
    );
    // A name wholly in another script is not a look-alike of anything.
    assert!(!kind("\u{43e}\u{43e}").message.contains("looks like"));
}

#[test]
fn reader_errors_are_placed_where_the_reader_could_not_say() {
    let nul = errors_of("events:\n  - at: 2026-11-24T08:05:00Z\n    person: P-1\n    kind: no_answer\n    note: \"a\u{0}b\"\n", false);
    assert_eq!((nul[0].line, nul[0].column), (5, 13), "{nul:?}");
    assert!(!nul[0].message.contains("position"));
    let two = errors_of("---\nevents: []\n---\nevents: []\n", false);
    assert_eq!((two[0].line, two[0].column), (3, 1), "{two:?}");
    let no_at = errors_of("events:\n  - person: P-1\n    kind: no_answer\n", false);
    assert_eq!(no_at[0].field.as_deref(), Some("events[0].at"));
    assert_eq!((no_at[0].line, no_at[0].column), (2, 3));
    // Every reader error says what to do, in words with no Rust type in them.
    for text in [
        "events: [[1]]\n",
        "- 1\n",
        "events: 5\n",
        "events:\n  - 5\n",
    ] {
        for e in errors_of(text, false) {
            assert!(e.help.is_some(), "{text}: {e}");
            assert!(!e.message.contains("struct"), "{text}: {e}");
        }
    }
}

/// What the bad-input corpus first listed as broken, and is accepted by design: a visit
/// planned after its carer's arrival was recorded (a rota entered late, as happens when a
/// visit is arranged by phone). The arrival counts for the visit. A visit planned more than
/// a month before its planning, though, is last year's rota copied (T019).
#[test]
fn a_visit_planned_after_its_arrival_is_accepted_and_one_a_year_back_is_not() {
    let rules = vigil::compile(&timeline_fixture_sources()).unwrap();
    let late_rota = "events:
  - { at: 2026-11-24T07:58:00Z, person: P-1, kind: arrived, visit: V1, by: support_worker }
  - { at: 2026-11-24T08:30:00Z, person: P-1, kind: visit_planned, visit: V1,
      planned: 2026-11-24T08:00:00Z, criticality: critical }
";
    let tl =
        vigil::timeline::Timeline::load(late_rota, vigil::timeline::Format::Yaml, "t.yaml", &rules)
            .unwrap();
    let d = rules.evaluate(&tl, "2026-11-24T09:00:00Z".parse().unwrap());
    let v = d.visits.iter().find(|v| v.id == "V1").unwrap();
    assert_eq!(v.arrived_at, Some("2026-11-24T07:58:00Z".parse().unwrap()));
    let copied = late_rota.replace("planned: 2026-11-24", "planned: 2025-11-24");
    let errors =
        vigil::timeline::Timeline::load(&copied, vigil::timeline::Format::Yaml, "t.yaml", &rules)
            .unwrap_err();
    assert!(
        errors.iter().any(|e| e.code == ErrorCode::FarFromVisit),
        "{errors}"
    );
}

/// A criticality named under a framework that declares no thresholds (so no criticality at
/// all) says why, instead of giving no help (found by a docs-only tester).
#[test]
fn a_criticality_under_a_framework_without_thresholds_says_there_are_none() {
    let rs = vigil::compile(&[
        vigil::Source::new(
            "f.vigil",
            "framework \"Bare\" version 1 {\n  role worker \"Worker\"\n  agency police \"Police\" emergency\n}\n",
        ),
        vigil::Source::new("p.vigil", "protocol \"B-1\" under \"Bare\" version 1 {\n}\n"),
    ])
    .unwrap();
    let text = "events:\n  - {id: vp, at: 2026-11-24T08:00:00Z, person: B-1, kind: visit_planned, visit: V1, planned: 2026-11-24T10:00:00Z, criticality: standard}\n";
    let errors =
        vigil::timeline::Timeline::load(text, vigil::timeline::Format::Yaml, "t.yaml", &rs)
            .unwrap_err();
    let e = errors.first().unwrap();
    assert_eq!(e.code, ErrorCode::UnknownValue);
    let help = e.help.as_deref().unwrap_or("");
    assert!(help.contains("declares no visit thresholds"), "{help}");
}
