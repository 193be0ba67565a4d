//! The incremental feed: taking events one at a time gives the same decisions as reading the
//! whole timeline, a refused event changes nothing, and a host that persists its log and
//! restarts gets the same decision, byte for byte the command line's.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail loudly

mod common;

use std::sync::Arc;

use vigil::timeline::{EventInput, Feed, Format, Timeline, TimelineInput};
use vigil::vocab::EventKind;

fn at(s: &str) -> vigil::time::Instant {
    s.parse().unwrap()
}

/// An example timeline: its text, name, the rules it is written for, and what it says.
fn example(path: &std::path::Path) -> (String, String, Arc<vigil::rules::RuleSet>, TimelineInput) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let rules = Arc::new(common::rules_in(&common::rules_dir(&text)));
    let input = TimelineInput::read(&text, Format::from_name(&name), &name).unwrap();
    (text, name, rules, input)
}

#[test]
fn every_example_fed_one_event_at_a_time_decides_as_the_whole_file() {
    let mut compared = 0;
    for path in common::example_timelines() {
        let (text, name, rules, input) = example(&path);
        let whole = Timeline::load(&text, Format::from_name(&name), &name, &rules).unwrap();
        let feed = Feed::restore(rules.clone(), input)
            .unwrap_or_else(|e| panic!("{name}: fed one at a time: {e}"));
        for t in common::header_instants(&text) {
            let expected = rules.evaluate(&whole, t).to_json();
            assert_eq!(feed.decision(t).to_json(), expected, "{name} at {t}");
            compared += 1;
        }
    }
    assert!(compared > 60, "{compared}");
}

fn planned(feed: &mut Feed) {
    feed.push(
        EventInput::new(at("2026-11-23T18:00:00Z"), "P-1", EventKind::VisitPlanned)
            .id("plan")
            .visit("V1")
            .planned(at("2026-11-24T08:00:00Z"))
            .criticality("critical"),
    )
    .unwrap();
}

#[test]
fn a_refused_event_leaves_the_feed_as_it_was() {
    let rules = Arc::new(common::bundled_rules());
    let mut feed = Feed::new(rules.clone());
    planned(&mut feed);
    let before = feed.clone();
    let refused = [
        // A new person with an unknown visit: the person must not stay behind.
        EventInput::new(at("2026-11-24T08:10:00Z"), "P-2", EventKind::Arrived).visit("V9"),
        // A visit planned with an unknown criticality: neither visit nor id may stay.
        EventInput::new(at("2026-11-24T08:11:00Z"), "P-1", EventKind::VisitPlanned)
            .id("second")
            .visit("V2")
            .planned(at("2026-11-24T12:00:00Z"))
            .criticality("urgentt"),
        // An id already taken.
        EventInput::new(at("2026-11-24T08:12:00Z"), "P-1", EventKind::NoAnswer).id("plan"),
        // A protocol visit named for someone with no protocol.
        EventInput::new(at("2026-11-24T08:13:00Z"), "P-1", EventKind::Arrived)
            .visit("morning@2026-11-24"),
    ];
    for e in refused {
        let err = feed.push(e.clone()).unwrap_err();
        assert!(!err.problems().is_empty(), "{e:?}");
        assert_eq!(feed.log(), before.log());
        assert_eq!(feed.timeline(), before.timeline());
    }
    // What was refused is free to be taken now: the id, the visit, the person.
    feed.push(
        EventInput::new(at("2026-11-24T08:11:00Z"), "P-1", EventKind::VisitPlanned)
            .id("second")
            .visit("V2")
            .planned(at("2026-11-24T12:00:00Z"))
            .criticality("critical"),
    )
    .unwrap();
    feed.push(
        EventInput::new(at("2026-11-24T08:14:00Z"), "P-2", EventKind::VisitPlanned)
            .visit("V9")
            .planned(at("2026-11-24T09:00:00Z"))
            .criticality("standard"),
    )
    .unwrap();
    assert_eq!(feed.timeline().persons.len(), 2);
}

/// A plan refused for having no start leaves nothing that spares the next visit at its place
/// from the check of attendance against its start (T019): an arrival 12 hours after the
/// planned start of the visit planned next is still refused.
#[test]
fn a_plan_refused_for_no_start_spares_no_later_visit() {
    let rules = Arc::new(common::bundled_rules());
    let mut feed = Feed::new(rules.clone());
    planned(&mut feed);
    let no_start = EventInput::new(at("2026-11-24T07:00:00Z"), "P-1", EventKind::VisitPlanned)
        .id("no-start")
        .visit("V2")
        .criticality("critical");
    assert!(feed.push(no_start).is_err());
    feed.push(
        EventInput::new(at("2026-11-24T07:01:00Z"), "P-1", EventKind::VisitPlanned)
            .id("with-start")
            .visit("V3")
            .planned(at("2026-11-24T09:00:00Z"))
            .criticality("critical"),
    )
    .unwrap();
    let far = EventInput::new(at("2026-11-24T21:00:00Z"), "P-1", EventKind::Arrived)
        .visit("V3")
        .by("support_worker");
    let refused = feed.push(far).unwrap_err();
    let codes: Vec<String> = refused
        .problems()
        .iter()
        .map(|p| p.code.to_string())
        .collect();
    assert_eq!(codes, ["T019"], "{refused:?}");
}

#[test]
fn events_taken_out_of_order_are_filed_at_their_instant() {
    let rules = Arc::new(common::bundled_rules());
    let mut feed = Feed::new(rules);
    planned(&mut feed);
    feed.push(
        EventInput::new(
            at("2026-11-24T08:52:00Z"),
            "P-1",
            EventKind::ContactEstablished,
        )
        .visit("V1")
        .by("support_worker"),
    )
    .unwrap();
    // Logged late: the duty manager was told at 08:33.
    feed.push(
        EventInput::new(at("2026-11-24T08:33:00Z"), "P-1", EventKind::Notified)
            .role("duty_manager")
            .by("scheduling_coordinator"),
    )
    .unwrap();
    let times: Vec<_> = feed.timeline().events.iter().map(|e| e.at).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
}

/// A host as docs/embedding.md describes it: events appended to a log file as they are
/// taken, the process restarted from that file, the decision the same as before the restart
/// and byte for byte the command line's on the same log.
#[test]
fn a_host_restarts_from_its_log_and_decides_as_before_and_as_the_cli() {
    let rules = Arc::new(common::bundled_rules());
    let dir = std::env::temp_dir().join(format!("vigil-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log_path = dir.join("events.ndjson");
    let _ = std::fs::remove_file(&log_path);
    let as_of = at("2026-11-24T08:41:00Z");

    let before = {
        let mut feed = Feed::new(rules.clone());
        let events = [
            EventInput::new(
                at("2026-11-23T18:00:00Z"),
                "P-0142",
                EventKind::VisitPlanned,
            )
            .visit("V1")
            .planned(at("2026-11-24T08:00:00Z"))
            .criticality("critical"),
            EventInput::new(at("2026-11-24T08:33:00Z"), "P-0142", EventKind::Notified)
                .role("duty_manager")
                .by("scheduling_coordinator"),
        ];
        for e in events {
            feed.push(e.clone()).unwrap();
            let mut line = serde_json::to_string(&e).unwrap();
            line.push('\n');
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .unwrap();
            f.write_all(line.as_bytes()).unwrap();
        }
        feed.decision(as_of).to_json()
    };

    // The restart: nothing kept but the file.
    let saved = std::fs::read_to_string(&log_path).unwrap();
    let mut log = TimelineInput::new();
    for line in saved.lines() {
        log = log.event(serde_json::from_str(line).unwrap());
    }
    let feed = Feed::restore(rules, log.clone()).unwrap();
    let after = feed.decision(as_of).to_json();
    assert_eq!(after, before);

    // The command line on the same events, as one timeline document.
    let timeline_path = dir.join("timeline.json");
    std::fs::write(&timeline_path, serde_json::to_string(&log).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["eval", common::DEFAULT_RULES, "--format", "json", "--at"])
        .arg("2026-11-24T08:41:00Z")
        .arg("--timeline")
        .arg(&timeline_path)
        .output()
        .unwrap();
    let cli = String::from_utf8(out.stdout).unwrap();
    assert_eq!(cli.trim_end(), after.trim_end());
    let _ = std::fs::remove_dir_all(&dir);
}

/// docs/embedding.md ends with the whole host program: the one in `examples/embed.rs`, which
/// CI builds without the `cli` feature.
#[test]
fn the_embedding_guide_shows_the_example_host_as_it_is() {
    let doc = std::fs::read_to_string("docs/embedding.md").unwrap();
    let code = std::fs::read_to_string("examples/embed.rs").unwrap();
    let block = doc
        .rsplit_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .unwrap();
    assert_eq!(
        block, code,
        "copy examples/embed.rs into docs/embedding.md's last block"
    );
}

/// Events at the same instant decide the same whatever their order in the file: every
/// example, with its events reversed (so each group of equal instants is too), gives the same
/// decision, byte for byte, at every instant its header names.
#[test]
fn the_order_of_events_in_the_file_does_not_change_the_decision() {
    let mut compared = 0;
    for path in common::example_timelines() {
        let (text, name, rules, input) = example(&path);
        let mut reversed = input.clone();
        reversed.reverse_events();
        let (Ok(a), Ok(b)) = (
            Timeline::from_input(&input, &rules),
            Timeline::from_input(&reversed, &rules),
        ) else {
            panic!("{name}: does not load");
        };
        for t in common::header_instants(&text) {
            assert_eq!(
                rules.evaluate(&a, t).to_json(),
                rules.evaluate(&b, t).to_json(),
                "{name} at {t}"
            );
            compared += 1;
        }
    }
    assert!(compared > 60);
}

/// Every example written as NDJSON (a header line with `from`, `persons` and `as_of`, then one
/// event per line, as a host appends its log) loads and decides byte for byte as the file it
/// came from, and errors in it name their own line.
#[test]
fn every_example_as_ndjson_decides_as_the_original() {
    let mut compared = 0;
    for path in common::example_timelines() {
        let (text, name, rules, input) = example(&path);
        let whole = Timeline::load(&text, Format::from_name(&name), &name, &rules).unwrap();
        let mut header = serde_json::to_value(&input).unwrap();
        let events = header
            .as_object_mut()
            .and_then(|m| m.remove("events"))
            .unwrap();
        let mut ndjson = format!("{header}\n");
        for e in events.as_array().unwrap() {
            ndjson.push_str(&format!("{e}\n"));
        }
        assert_eq!(Format::from_text(&ndjson), Format::Ndjson, "{name}");
        let lines = Timeline::load(&ndjson, Format::Ndjson, "log.ndjson", &rules)
            .unwrap_or_else(|e| panic!("{name} as NDJSON: {e}"));
        for t in common::header_instants(&text) {
            assert_eq!(
                rules.evaluate(&lines, t).to_json(),
                rules.evaluate(&whole, t).to_json(),
                "{name} at {t}"
            );
            compared += 1;
        }
        // A misspelt kind on the last line is reported at that line.
        let last = ndjson.lines().count();
        let broken = ndjson.replacen("\"kind\":\"", "\"kind\":\"x", 1);
        if let Err(errors) = Timeline::load(&broken, Format::Ndjson, "log.ndjson", &rules) {
            assert!(
                errors[0].line >= 2 && errors[0].line <= last,
                "{name}: {errors}"
            );
        }
    }
    assert!(compared > 60, "{compared}");
}

/// Events name a protocol visit's occurrence (`morning@2027-12-31`) before the event that
/// plans it arrives: the plan takes the occurrence's place, so the feed watches one visit,
/// as its log loaded as a file does (finding 12 of docs/reliability.md). Both ways a plan
/// ties to an occurrence are tried: at its exact time, and by `slot`.
#[test]
fn a_visit_planned_after_events_named_its_occurrence_is_one_visit() {
    let rules = Arc::new(common::bundled_rules());
    let named = |t: &str, kind| {
        EventInput::new(at(t), "P-0660", kind)
            .visit("morning@2027-12-31")
            .by("support_worker")
    };
    let plan = |t: &str| {
        EventInput::new(at(t), "P-0660", EventKind::VisitPlanned)
            .visit("V3")
            .by("scheduling_coordinator")
    };
    let by_time = plan("2027-12-31T05:27:00Z")
        .planned(at("2027-12-31T08:00:00Z"))
        .criticality("critical");
    let by_slot = plan("2027-12-31T05:27:00Z")
        .planned(at("2027-12-31T08:20:00Z"))
        .slot("morning");
    for planning in [by_time, by_slot] {
        let mut feed = Feed::new(rules.clone());
        feed.push(named("2027-12-31T07:50:00Z", EventKind::NoAnswer))
            .unwrap();
        let before = feed.clone();
        // A plan refused (it takes a carer from the protocol's two) leaves the occurrence as
        // it was.
        let lowered = planning.clone().staff(1);
        assert!(feed.push(lowered).is_err());
        assert_eq!(feed.timeline(), before.timeline());
        feed.push(planning.clone()).unwrap();
        feed.push(named("2027-12-31T08:25:00Z", EventKind::Arrived))
            .unwrap();
        let visits: Vec<_> = feed.timeline().visits.iter().map(|v| &v.id).collect();
        assert_eq!(visits, ["V3"], "{planning:?}");
        let text = serde_json::to_string(feed.log()).unwrap();
        let whole = Timeline::load(&text, Format::Json, "log.json", &rules).unwrap();
        let mut t = at("2027-12-31T07:00:00Z");
        while t < at("2028-01-01T02:00:00Z") {
            let expected = rules.evaluate(&whole, t).to_json();
            assert_eq!(feed.decision(t).to_json(), expected, "at {t}\n{text}");
            t += chrono::Duration::minutes(5);
        }
    }
}

/// The fuzzer's own logs for findings 12 and 13, fed one event at a time as the fuzzer feeds
/// them (a refused event is left out): what the feed took loads as a file and decides alike
/// at every instant around them.
#[test]
fn the_fuzzers_logs_for_findings_12_and_13_decide_as_their_files() {
    let rules = Arc::new(common::bundled_rules());
    let logs = [
        ("eval_structured-feed-names-visit-before-it-is-planned", 0),
        // Finding 13: the plan would move the occurrence more than 6 hours from the arrival
        // already recorded against it, which the file refuses; the feed refuses the plan.
        (
            "eval_structured-plan-moves-occurrence-away-from-its-arrival",
            1,
        ),
    ];
    for (name, refusals) in logs {
        let path = format!("tests/fixtures/fuzz-regressions/{name}.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let input = TimelineInput::read(&text, Format::Json, &path).unwrap();
        let mut feed = Feed::new(rules.clone());
        let mut refused = Vec::new();
        for e in input.events() {
            if let Err(err) = feed.push(e.clone()) {
                refused.push(err.to_string());
            }
        }
        assert_eq!(refused.len(), refusals, "{name}: {refused:?}");
        for r in &refused {
            assert!(
                r.contains("events[1].planned")
                    && r.contains("would be more than 6 hours after its planned end"),
                "{r}"
            );
        }
        let log = serde_json::to_string(feed.log()).unwrap();
        let whole = Timeline::load(&log, Format::Json, "log.json", &rules).unwrap();
        assert_eq!(feed.timeline().visits.len(), whole.visits.len(), "{name}");
        let mut t = at("2027-12-30T16:00:00Z");
        while t < at("2028-01-01T12:00:00Z") {
            let expected = rules.evaluate(&whole, t).to_json();
            assert_eq!(feed.decision(t).to_json(), expected, "{name} at {t}");
            t += chrono::Duration::minutes(5);
        }
    }
}
