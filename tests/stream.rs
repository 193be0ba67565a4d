//! An NDJSON timeline read as a stream (`Timeline::stream_versions`, what `vigil audit` reads a
//! log on disk with) gives exactly the timelines of the whole read, or leaves the log to it:
//! never a third answer. Each case is the whole read's answer on the same text, so these
//! tests need no answer of their own beyond "the same", and check that the stream does read
//! the logs it is meant for (a stream that always gave up would pass "the same" vacuously).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod common;

use vigil::audit::{Audit, Period};
use vigil::rules::Versions;
use vigil::simulate::{simulate, Settings};
use vigil::timeline::{Format, Timeline, TimelineInput};
use vigil::{Limits, Source};

/// The framework and protocols of each folder, as versions side by side.
fn versions(dirs: &[&str]) -> Versions {
    let sources: Vec<Source> = dirs.iter().flat_map(|d| common::sources_in(d)).collect();
    let checked = vigil::check::check(&sources);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    Versions::new(checked.rulesets).unwrap()
}

/// A timeline as NDJSON: its header (when it has one) on the first line, then one event a line.
fn ndjson(input: &TimelineInput) -> String {
    let mut header = serde_json::to_value(input).unwrap();
    let map = header.as_object_mut().unwrap();
    map.remove("events");
    map.retain(|_, v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
    let mut out = String::new();
    if !map.is_empty() {
        out.push_str(&header.to_string());
        out.push('\n');
    }
    for e in input.events() {
        out.push_str(&serde_json::to_string(e).unwrap());
        out.push('\n');
    }
    out
}

/// The stream's answer on `text`, checked against the whole read's: the same timelines, or
/// none when the whole read refuses the text (and then, or when the stream leaves the text to
/// the whole read, `None`). True when the stream read it.
fn same_as_whole(text: &str, versions: &Versions) -> bool {
    let limits = Limits::default();
    let whole = Timeline::load_versions(text, Format::Ndjson, "t.ndjson", versions, &limits);
    let streamed = Timeline::stream_versions(text.as_bytes(), "t.ndjson", versions, &limits)
        .expect("reading from memory never fails");
    match (streamed, whole) {
        (Some(s), Ok(w)) => {
            assert_eq!(s.len(), w.len());
            for (s, w) in s.iter().zip(&w) {
                first_difference(s, w);
            }
            assert_eq!(s, w);
            true
        }
        (Some(_), Err(e)) => {
            panic!("the stream took a log the whole read refuses ({e:?}):\n{text}")
        }
        (None, _) => false,
    }
}

/// Fail naming the first part of two timelines that differs (not the whole of each).
fn first_difference(s: &Timeline, w: &Timeline) {
    assert_eq!((s.as_of, s.from), (w.as_of, w.from), "the header");
    assert_eq!(s.persons, w.persons, "the people");
    for (i, (a, b)) in s.visits.iter().zip(&w.visits).enumerate() {
        assert_eq!(a, b, "visit {i}");
    }
    assert_eq!(s.visits.len(), w.visits.len(), "the number of visits");
    for (i, (a, b)) in s.events.iter().zip(&w.events).enumerate() {
        assert_eq!(a, b, "event {i}");
    }
    assert_eq!(s.events.len(), w.events.len(), "the number of events");
}

#[test]
fn a_simulated_quarter_streams_to_the_whole_reads_timelines_under_both_versions() {
    let both = versions(&[
        "protocols/supported-living",
        "protocols/supported-living-2027",
    ]);
    let rs = common::bundled_rules();
    let settings = Settings {
        people: 12,
        days: 91,
        seed: 5,
        // Across the day 2027.1 comes into force (Monday 4 January 2027).
        start: "2026-11-09".parse().unwrap(),
    };
    let text = ndjson(&simulate(&rs, &settings).unwrap());
    assert!(
        same_as_whole(&text, &both),
        "the stream gave up on a simulated log"
    );
    // With Windows line ends and a byte-order mark, as some exports write.
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    assert!(same_as_whole(&crlf, &both));
}

#[test]
fn every_example_streams_to_the_whole_reads_timeline_or_is_left_to_it() {
    let mut streamed = 0;
    let examples = common::example_timelines();
    for path in &examples {
        let text = std::fs::read_to_string(path).unwrap();
        let dir = common::rules_dir(&text);
        let v = versions(&[dir.as_str()]);
        let format = Format::from_name(&path.display().to_string());
        let input = TimelineInput::read(&text, format, "t").unwrap();
        streamed += usize::from(same_as_whole(&ndjson(&input), &v));
        // In the reverse order, a visit is named before the line that plans it.
        let mut reversed = input.clone();
        reversed.reverse_events();
        same_as_whole(&ndjson(&reversed), &v);
    }
    // Most examples plan their visits before naming them, as a log is written.
    assert!(
        streamed * 4 >= examples.len() * 3,
        "only {streamed} of {} examples streamed",
        examples.len()
    );
}

/// The supported-living rules as one version.
fn supported_living() -> Versions {
    versions(&["protocols/supported-living"])
}

const PLAN: &str = r#"{"at": "2026-11-23T18:00:00Z", "person": "P-1", "kind": "visit_planned", "visit": "V1", "planned": "2026-11-24T08:00:00Z", "criticality": "critical"}"#;
const NO_ANSWER: &str =
    r#"{"at": "2026-11-24T08:05:00Z", "person": "P-1", "visit": "V1", "kind": "no_answer"}"#;

#[test]
fn a_log_with_anything_to_report_is_left_to_the_whole_read() {
    let v = supported_living();
    let limits = Limits::default();
    let gives_up = |text: &str| {
        let s = Timeline::stream_versions(text.as_bytes(), "t.ndjson", &v, &limits).unwrap();
        assert_eq!(s, None, "the stream took:\n{text}");
        // ... and the whole read has something to say about all but the forward reference.
        same_as_whole(text, &v);
    };
    gives_up("");
    gives_up("\n  \n");
    gives_up(&format!("{NO_ANSWER}\n{PLAN}\n")); // a visit planned further down
    gives_up(&format!("{PLAN}\n{PLAN}\n")); // planned twice
    gives_up(&format!("{PLAN}\n{{\"at\": \"2026-11-24T08:05:00\"\n")); // a broken line
    gives_up(&format!("{PLAN}\n{}\n", NO_ANSWER.replace("Z\"", "\""))); // no offset
    gives_up(&format!("{PLAN}\n{}\n", NO_ANSWER.replace("V1", "V2"))); // unknown visit
    gives_up(&format!("{PLAN}\n{{\"from\": \"2026-11-23T00:00:00Z\"}}\n")); // a late header
    gives_up(&format!(
        "{PLAN}\n{}\n",
        NO_ANSWER.replace("no_answer", "no_anwser")
    ));
    gives_up(&format!("{PLAN}\n{}\n", "[".repeat(200)));
    // Past the limits: an event too many, a line too long, a file too big.
    let mut few = Limits::default();
    few.events = 1;
    let text = format!("{PLAN}\n{NO_ANSWER}\n");
    assert_eq!(
        Timeline::stream_versions(text.as_bytes(), "t", &v, &few).unwrap(),
        None
    );
    let mut short = Limits::default();
    short.line_chars = 40;
    assert_eq!(
        Timeline::stream_versions(text.as_bytes(), "t", &v, &short).unwrap(),
        None
    );
    let mut small = Limits::default();
    small.file_bytes = 100;
    assert_eq!(
        Timeline::stream_versions(text.as_bytes(), "t", &v, &small).unwrap(),
        None
    );
    // Not UTF-8.
    let mut bytes = text.clone().into_bytes();
    bytes.insert(10, 0xff);
    assert_eq!(
        Timeline::stream_versions(bytes.as_slice(), "t", &v, &limits).unwrap(),
        None
    );
    // A line with no end is not read whole to find one: the limit stops it.
    let endless = std::io::BufReader::new(std::io::repeat(b'x'));
    assert_eq!(
        Timeline::stream_versions(endless, "t", &v, &limits).unwrap(),
        None
    );
}

#[test]
fn a_log_out_of_time_order_streams_in_time_order_with_each_events_line() {
    let v = supported_living();
    let later = NO_ANSWER
        .replace("08:05", "08:25")
        .replace("}", r#", "id": "b"}"#);
    let text = format!(
        "{{\"as_of\": \"2026-11-24T09:00:00Z\"}}\n{PLAN}\n\n{later}\n{}\n",
        NO_ANSWER.replace("}", r#", "id": "a"}"#)
    );
    assert!(same_as_whole(&text, &v));
    let tl = Timeline::stream_versions(text.as_bytes(), "t", &v, &Limits::default())
        .unwrap()
        .unwrap()
        .remove(0);
    let order: Vec<(&str, usize)> = tl.events.iter().map(|e| (e.id.as_str(), e.line)).collect();
    assert_eq!(order[1..], [("a", 5), ("b", 4)]);
}

#[test]
fn a_byte_order_mark_before_the_header_leaves_every_event_on_its_own_line() {
    // Found by the stream's comparison with the whole read: with a mark, the whole read took
    // the header for an event when placing events, so each was placed a line early, and an
    // error in the third line was said to be in the second.
    let text = format!(
        "\u{feff}{{\"as_of\": \"2026-11-24T09:00:00Z\"}}\n{PLAN}\n{}\n",
        NO_ANSWER.replace("V1", "V2")
    );
    let errors =
        Timeline::load(&text, Format::Ndjson, "t.ndjson", &common::bundled_rules()).unwrap_err();
    assert_eq!(
        (errors[0].line, errors[0].field.as_deref()),
        (3, Some("events[1].visit"))
    );
}

#[test]
fn a_failing_reader_is_an_error() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("the disk went away"))
        }
    }
    let v = supported_living();
    let read =
        Timeline::stream_versions(std::io::BufReader::new(Broken), "t", &v, &Limits::default());
    assert!(read.is_err());
}

/// The audit of `text` over `period` read as an audit's stream (visits dropped as they go as
/// planned) and read whole, as JSON; and how many visits the stream dropped.
fn audits(text: &str, versions: &Versions, period: Period) -> (String, String, usize) {
    let limits = Limits::default();
    let log = Audit::stream(
        text.as_bytes(),
        "t.ndjson",
        versions,
        &limits,
        Some(period.to),
    )
    .unwrap()
    .expect("the log streams");
    let dropped = log.dropped.len();
    let rs = versions.in_force(period.to);
    let both = versions.timeline(log.readings).unwrap();
    let d = versions.evaluate(&both, period.to);
    let streamed = Audit::of_stream(&d, both.readings(), &log.dropped, rs, period);
    let whole =
        Timeline::load_versions(text, Format::Ndjson, "t.ndjson", versions, &limits).unwrap();
    let both = versions.timeline(whole).unwrap();
    let d = versions.evaluate(&both, period.to);
    let whole = Audit::of_readings(&d, both.readings(), rs, period);
    (
        serde_json::to_string_pretty(&streamed).unwrap(),
        serde_json::to_string_pretty(&whole).unwrap(),
        dropped,
    )
}

/// A simulated quarter across the day 2027.1 comes into force, as NDJSON.
fn quarter(seed: u64) -> String {
    let rs = common::bundled_rules();
    let settings = Settings {
        people: 12,
        days: 91,
        seed,
        start: "2026-11-09".parse().unwrap(),
    };
    ndjson(&simulate(&rs, &settings).unwrap())
}

#[test]
fn an_audit_that_drops_visits_as_they_go_as_planned_is_the_whole_audit_byte_for_byte() {
    let both = versions(&[
        "protocols/supported-living",
        "protocols/supported-living-2027",
    ]);
    let one = supported_living();
    let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    let text = quarter(5);
    // The whole quarter, a month in the middle (ending before the log does, so visits are
    // dropped only well before its end), and a week.
    let periods = [
        ("2026-11-09T00:00:00Z", "2027-02-08T00:00:00Z"),
        ("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
        ("2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z"),
    ];
    for (from, to) in periods {
        let period = Period {
            from: at(from),
            to: at(to),
        };
        for v in [&one, &both] {
            let (streamed, whole, dropped) = audits(&text, v, period);
            assert!(streamed == whole, "{from} to {to}: the audits differ");
            // Most of a quarter's visits went as planned and were dropped.
            assert!(
                dropped > 1000,
                "{from} to {to}: only {dropped} visits dropped"
            );
        }
    }
}

/// A visit called off (a hospital admission's), with nothing else recorded against it, is
/// dropped too once final, and counted cancelled in its week: no trigger is a cancellation
/// and governance reads none (`src/eval/split.rs`). The quarter's audits, streamed and whole,
/// are the same byte for byte (the test above); here, that the stream did drop such visits.
#[test]
fn a_visit_called_off_is_dropped_and_counted_cancelled() {
    let text = quarter(5);
    for v in [
        supported_living(),
        versions(&[
            "protocols/supported-living",
            "protocols/supported-living-2027",
        ]),
    ] {
        let log = Audit::stream(text.as_bytes(), "t.ndjson", &v, &Limits::default(), None)
            .unwrap()
            .expect("the log streams");
        let cancelled = log.dropped.count(vigil::eval::VisitState::Cancelled);
        assert!(cancelled > 20, "only {cancelled} cancelled visits dropped");
        // None is left behind but the last days' (too recent to be final when last looked).
        let held = log.readings[0]
            .events
            .iter()
            .filter(|e| matches!(e.data, vigil::timeline::EventData::VisitCancelled { .. }))
            .count();
        assert!(
            held < cancelled / 4,
            "{held} cancellations held, {cancelled} dropped"
        );
    }
}

/// A visit that arrived late, and had nothing else recorded, is dropped too where no pathway
/// reads a late visit (the bundled rules), and counted late; where a pathway is `on
/// late_visit`, its episode makes duties, so the stream keeps it. Both audits are the whole
/// audit, byte for byte.
#[test]
fn a_late_arrival_is_dropped_only_where_nothing_reads_it() {
    let text = quarter(7);
    let late_dropped = |v: &Versions| {
        let log = Audit::stream(text.as_bytes(), "t.ndjson", v, &Limits::default(), None)
            .unwrap()
            .expect("the log streams");
        log.dropped.count(vigil::eval::VisitState::ArrivedLate)
    };
    let bundled = supported_living();
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    let end = framework.rfind('}').unwrap();
    let reading_late = format!(
        "{}  pathway late_visit \"Late visit\" on late_visit {{\n    step tell: notify manager by \
         support_worker within 15m\n  }}\n{}",
        &framework[..end],
        &framework[end..]
    );
    let checked = vigil::check::check(&[Source::new("framework.vigil", reading_late)]);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let acting = Versions::new(checked.rulesets).unwrap();
    assert!(late_dropped(&bundled) > 100, "{}", late_dropped(&bundled));
    assert_eq!(late_dropped(&acting), 0);
    let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    let period = Period {
        from: at("2026-11-09T00:00:00Z"),
        to: at("2027-02-08T00:00:00Z"),
    };
    for v in [&bundled, &acting] {
        let (streamed, whole, dropped) = audits(&text, v, period);
        assert!(streamed == whole, "the audits differ");
        assert!(dropped > 1000, "only {dropped} dropped");
    }
}

#[test]
fn a_line_needing_what_was_dropped_sends_the_log_to_the_whole_read() {
    let v = supported_living();
    let text = quarter(6);
    let limits = Limits::default();
    let streams = |text: &str| {
        Audit::stream(text.as_bytes(), "t.ndjson", &v, &limits, None)
            .unwrap()
            .is_some()
    };
    assert!(streams(&text));
    // The first visit of the log went as planned, and is dropped long before the end.
    let first: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    let visit = first["visit"].as_str().unwrap();
    let person = first["person"].as_str().unwrap();
    let last_day = "2027-02-07T23:00:00Z";
    // Named again at the end: a record about it.
    let named = format!(
        "{text}{{\"at\": \"{last_day}\", \"person\": \"{person}\", \"kind\": \"record_made\", \"visit\": \"{visit}\", \"log\": \"missed_visit_log\", \"by\": \"support_worker\"}}\n"
    );
    assert!(!streams(&named));
    // Planned again under the same id.
    let replanned = format!(
        "{text}{}\n",
        text.lines()
            .nth(1)
            .unwrap()
            .replace("2026-11-0", "2027-02-0")
    );
    assert!(!streams(&replanned));
    // An event long before what was dropped, written last.
    let late = format!(
        "{text}{{\"at\": \"2026-11-10T09:00:00Z\", \"person\": \"{person}\", \"kind\": \"record_made\", \"log\": \"missed_visit_log\", \"by\": \"support_worker\", \"id\": \"late-record\"}}\n"
    );
    assert!(!streams(&late));
    // Each is still read: whole.
    for text in [named, late] {
        assert!(Timeline::load_versions(&text, Format::Ndjson, "t", &v, &limits).is_ok());
    }
}

/// Lines written late about an old visit, as a provider's log really has them (a record, a
/// cancellation, a second arrival, a no-answer at the door, a note of a call), appended at
/// the end or written in the middle: the streamed audit is the whole audit, or leaves the log
/// to the whole read; never another answer (the cases a docs-only tester tried, kept).
#[test]
fn lines_about_old_visits_never_change_the_streamed_audit() {
    let v = supported_living();
    let text = quarter(8);
    let lines: Vec<&str> = text.lines().collect();
    // Old visits: the first planned in the log (long since dropped), and one a month in.
    let plans: Vec<serde_json::Value> = lines
        .iter()
        .skip(1)
        .filter(|l| l.contains("\"visit_planned\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    let period = Period {
        from: at("2026-11-09T00:00:00Z"),
        to: at("2027-02-08T00:00:00Z"),
    };
    let mut streamed = 0;
    // And a recent one, a day and a half before the log ends: not yet dropped.
    let recent = plans
        .iter()
        .rev()
        .find(|p| at(p["planned"].as_str().unwrap()) < at("2027-02-06T12:00:00Z"))
        .unwrap();
    for (k, plan) in [&plans[0], &plans[plans.len() / 3], recent]
        .into_iter()
        .enumerate()
    {
        let (visit, person) = (
            plan["visit"].as_str().unwrap(),
            plan["person"].as_str().unwrap(),
        );
        let planned = at(plan["planned"].as_str().unwrap());
        let t = |minutes: i64| vigil::time::utc(&(planned + chrono::Duration::minutes(minutes)));
        let late = [
            format!(
                r#"{{"id": "late-record-{k}", "at": "{}", "person": "{person}", "visit": "{visit}", "kind": "record_made", "log": "missed_visit_log", "by": "duty_manager"}}"#,
                t(60)
            ),
            format!(
                r#"{{"id": "late-cancel-{k}", "at": "{}", "person": "{person}", "visit": "{visit}", "kind": "visit_cancelled", "by": "scheduling_coordinator", "reason": "admitted"}}"#,
                t(-60)
            ),
            format!(
                r#"{{"id": "late-arrival-{k}", "at": "{}", "person": "{person}", "visit": "{visit}", "kind": "arrived", "by": "support_worker"}}"#,
                t(20)
            ),
            format!(
                r#"{{"id": "late-door-{k}", "at": "{}", "person": "{person}", "visit": "{visit}", "kind": "no_answer", "by": "support_worker"}}"#,
                t(1)
            ),
            format!(
                r#"{{"id": "late-call-{k}", "at": "{}", "person": "{person}", "kind": "contact_attempt", "method": "phone", "outcome": "no_answer", "by": "support_worker"}}"#,
                t(90)
            ),
        ];
        for line in &late {
            for place in [lines.len(), lines.len() * 2 / 3] {
                let mut with = lines.clone();
                with.insert(place, line);
                let text = with.join("\n") + "\n";
                let log =
                    Audit::stream(text.as_bytes(), "t", &v, &Limits::default(), None).unwrap();
                let Some(log) = log else { continue };
                streamed += 1;
                let rs = v.in_force(period.to);
                let both = v.timeline(log.readings).unwrap();
                let d = v.evaluate(&both, period.to);
                let got = Audit::of_stream(&d, both.readings(), &log.dropped, rs, period);
                let whole =
                    Timeline::load_versions(&text, Format::Ndjson, "t", &v, &Limits::default());
                let whole = v
                    .timeline(whole.expect("the stream took a log the whole read refuses"))
                    .unwrap();
                let d = v.evaluate(&whole, period.to);
                let expected = Audit::of_readings(&d, whole.readings(), rs, period);
                assert!(
                    serde_json::to_string(&got).unwrap()
                        == serde_json::to_string(&expected).unwrap(),
                    "the streamed audit differs with {line} at line {place}"
                );
            }
        }
    }
    // A line about a visit not yet dropped (the recent one, written at the end) streams.
    assert!(streamed > 0, "every case was left to the whole read");
}

/// A header alone is a log cut short or a quiet day: it must say which. With `"events": []`
/// (as a host's feed log writes its header) it is a log of nothing yet; without, T001.
#[test]
fn a_header_alone_must_say_nothing_has_happened() {
    let rs = common::bundled_rules();
    let quiet = "{\"from\": \"2026-11-24T00:00:00Z\", \"events\": []}\n";
    let tl = Timeline::load(quiet, Format::Ndjson, "t.ndjson", &rs).unwrap();
    assert!(tl.events.is_empty());
    let cut = "{\"from\": \"2026-11-24T00:00:00Z\"}\n\n";
    let errors = Timeline::load(cut, Format::Ndjson, "t.ndjson", &rs).unwrap_err();
    assert_eq!((errors[0].code.as_str(), errors[0].line), ("T001", 1));
    // The stream leaves both to the whole read.
    let v = supported_living();
    for text in [quiet, cut] {
        let s = Timeline::stream_versions(text.as_bytes(), "t", &v, &Limits::default()).unwrap();
        assert_eq!(s, None);
    }
}
