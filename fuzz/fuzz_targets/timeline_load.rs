//! Arbitrary bytes, read as a timeline (YAML, JSON and NDJSON) against every bundled rule set:
//! never a panic, and every error located on a line of the text. The NDJSON stream
//! (`Timeline::stream_versions`) gives the whole read's timelines or leaves the text to it.
//!
//! `Timeline::load` documents its errors' lines as one-based, 0 only when there is no text to
//! point into; here there always is, so each error's line must be between 1 and the number of
//! lines, and its column at most one past the end of that line (a column 0 is accepted: the
//! JSON reader reports one for an error just after a line break). Each error is displayed as
//! the command line prints it. A timeline that loads is evaluated at its own `as_of` (or at
//! its last event), twice, with the same bytes each time.
//!
//! Found here, since fixed (the bug as it was; each flag below that worked around one is now
//! `false`). The most serious: `Timeline::load` of a YAML timeline never returns
//! when an event has an unknown field whose name ends with a dot (`perso.: R-0102`, a typo of
//! `person`) or is empty (`"": x`). Locating the error, the loader takes the field's last
//! dot-separated part as the key to look for (`loader.rs`: `field.rsplit('.')`), which is
//! empty, and `find_yaml_key` (`locate.rs`) finds the empty string where it is and never
//! moves on. Inputs: tests/fixtures/fuzz-regressions/timeline_load-field-perso-dot-hangs-the-
//! locator.yaml (the fuzzer's, an example with one typo), timeline_load-key-ending-in-a-dot-
//! hangs-the-locator.yaml and timeline_load-empty-key-hangs-the-locator.yaml (two lines each).
//! While it was open, a text whose YAML held such a key (or a null one) was not loaded as YAML
//! (`EMPTY_KEY_HANGS_THE_LOCATOR`).
//!
//! Found here, since fixed: a timeline whose first event is far before its `as_of` (a year typed
//! `1013`) loads, and evaluating it watches every protocol visit since: more than 8 GB and
//! minutes for five lines (tests/fixtures/fuzz-regressions/
//! timeline_load-year-1013-watches-a-thousand-years.yaml). Fixed by T004 (every instant
//! in 2000 to 2099); evaluation stays linear in the record's span, so to keep each run short a timeline
//! spanning more than 400 days is loaded but not evaluated (`EVALUATE_WITHIN_DAYS`).
//!
//! Found here, since fixed: the YAML reader counts a lone carriage return as a line break, so a T002
//! error in a text holding one is placed on a line that is not the text's (line 13, column 5 of
//! a 3-byte line; tests/fixtures/fuzz-regressions/timeline_load-lone-cr-counts-as-a-line.json).
//! While it was open, such an error was checked against the reader's own count of lines
//! (`LONE_CR_IS_A_YAML_LINE`).
//!
//! Found here, since fixed: a YAML text with no `events` (a lone `#`) is refused with an error placed
//! at the start of the line after the last one (tests/fixtures/fuzz-regressions/
//! timeline_load-comment-only-error-past-last-line.yaml). While it was open,
//! that one position, the end of the input, was let through (`END_OF_INPUT_PAST_LAST_LINE`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

use vigil::rules::Versions;
use vigil::timeline::{ErrorCode, Format, Timeline};

/// Accept an error at line (last + 1), column 1: the open bug above. Set to `false` once the
/// YAML reader's end-of-input position is mapped back into the text.
const END_OF_INPUT_PAST_LAST_LINE: bool = false;

/// Place the YAML reader's own errors (T002) by its count of lines, where a lone carriage
/// return ends a line: the open finding above. `false` once they are mapped to the text's lines.
const LONE_CR_IS_A_YAML_LINE: bool = false;

/// Do not load as YAML a text that has a mapping key that is empty (`"": x`), ends with a dot
/// (`perso.`) or is null: the open finding above. `false` once the locator stops on an empty
/// key.
const EMPTY_KEY_HANGS_THE_LOCATOR: bool = false;

/// Whether a YAML value holds, at any depth, a mapping key that is empty, ends with a dot or
/// is null.
fn has_empty_key(v: &serde_yaml::Value) -> bool {
    match v {
        serde_yaml::Value::Mapping(m) => m.iter().any(|(k, v)| {
            matches!(k, serde_yaml::Value::Null)
                || k.as_str().is_some_and(|k| k.is_empty() || k.ends_with('.'))
                || has_empty_key(k)
                || has_empty_key(v)
        }),
        serde_yaml::Value::Sequence(s) => s.iter().any(has_empty_key),
        serde_yaml::Value::Tagged(t) => has_empty_key(&t.value),
        _ => false,
    }
}

/// Evaluate only a timeline whose record, from its start to `as_of`, spans at most this
/// many days: the open finding above. `None` once a long record is refused or bounded.
const EVALUATE_WITHIN_DAYS: Option<i64> = Some(400);

/// Whether the record (from `from`, else the first event, to `as_of`) is longer than `days`.
fn too_long(timeline: &Timeline, as_of: vigil::time::Instant, days: i64) -> bool {
    let start = timeline
        .from
        .into_iter()
        .chain(timeline.events.iter().map(|e| e.at))
        .min();
    start.is_some_and(|s| as_of - s > chrono::Duration::days(days))
}

/// The rules of `b` as the one version of their framework, made once per folder.
fn versions(b: &vigil_fuzz::Bundled) -> &'static Versions {
    static ALL: OnceLock<Vec<(&'static str, Versions)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        vigil_fuzz::bundled()
            .iter()
            .filter_map(|b| Some((b.folder, Versions::new(vec![(*b.rules).clone()]).ok()?)))
            .collect()
    });
    let found = all.iter().find(|(folder, _)| *folder == b.folder);
    &found.expect("every bundled rule set is a version").1
}

/// The NDJSON stream (what `vigil audit` reads a log on disk with) gives the whole read's
/// timelines, or leaves the text to the whole read: never a timeline the whole read refuses,
/// nor a different one.
fn stream_is_the_whole_read(text: &str, b: &vigil_fuzz::Bundled) {
    let v = versions(b);
    let limits = vigil::Limits::default();
    let streamed = Timeline::stream_versions(text.as_bytes(), "t.ndjson", v, &limits)
        .expect("reading from memory never fails");
    if let Some(streamed) = streamed {
        let whole = Timeline::load_versions(text, Format::Ndjson, "t.ndjson", v, &limits);
        assert_eq!(Some(streamed), whole.ok(), "{}: the stream read differently", b.folder);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines: Vec<&str> = text.split('\n').collect();
    // The YAML reader counts a lone carriage return as a line break too (the open finding
    // above): its lines, for its own errors.
    let yaml_lines = text.replace("\r\n", "\n").split(['\n', '\r']).count();
    let skip_yaml = EMPTY_KEY_HANGS_THE_LOCATOR
        && serde_yaml::from_str::<serde_yaml::Value>(text).is_ok_and(|v| has_empty_key(&v));
    for b in vigil_fuzz::bundled() {
        stream_is_the_whole_read(text, b);
        for (format, file) in [
            (Format::Yaml, "t.yaml"),
            (Format::Json, "t.json"),
            (Format::Ndjson, "t.ndjson"),
        ] {
            if skip_yaml && format == Format::Yaml {
                continue;
            }
            match Timeline::load(text, format, file, &b.rules) {
                Err(errors) => {
                    assert!(!errors.is_empty(), "an error with no problem in it");
                    for e in errors.iter() {
                        if END_OF_INPUT_PAST_LAST_LINE && e.line == lines.len() + 1 && e.column == 1
                        {
                            continue;
                        }
                        if LONE_CR_IS_A_YAML_LINE
                            && format == Format::Yaml
                            && e.code == ErrorCode::Unreadable
                            && yaml_lines > lines.len()
                        {
                            assert!(e.line >= 1 && e.line <= yaml_lines + 1, "{e:?}");
                            continue;
                        }
                        assert!(
                            e.line >= 1 && e.line <= lines.len(),
                            "{}: line {} of a text of {} lines: {e:?}",
                            b.folder,
                            e.line,
                            lines.len()
                        );
                        let width = lines[e.line - 1].len() + 1;
                        assert!(
                            e.column <= width,
                            "{}: column {} of a line of {} bytes: {e:?}",
                            b.folder,
                            e.column,
                            width - 1
                        );
                        let shown = e.to_string();
                        assert!(shown.starts_with(file), "{shown}");
                    }
                    let _ = errors.problems();
                }
                Ok(timeline) => {
                    let Some(as_of) = timeline.default_as_of(true) else {
                        continue;
                    };
                    if EVALUATE_WITHIN_DAYS.is_some_and(|days| too_long(&timeline, as_of, days)) {
                        continue;
                    }
                    let first = b.rules.evaluate(&timeline, as_of).to_json();
                    assert!(!first.starts_with("{\"error\""), "{first}");
                    assert_eq!(first, b.rules.evaluate(&timeline, as_of).to_json());
                }
            }
        }
    }
});
