//! Benchmarks: compiling the bundled protocols, one evaluation of a 20-event episode, and a
//! synthetic 1,000-person day (5,000 visits, about 30,000 events), and one event pushed onto a feed. Figures and method are in
//! docs/performance.md. Run with `cargo bench`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot load its input should stop

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vigil::rules::RuleSet;
use vigil::timeline::{EventInput, Feed, Format, Timeline, TimelineInput};
use vigil::vocab::{EventKind, Method, Outcome};
use vigil::Source;

/// The allocator `vigil` itself runs with (src/main.rs), so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The environment variable that makes this binary a child measuring one load: `FORMAT:PATH`.
const PEAK_CHILD: &str = "VIGIL_BENCH_PEAK";

/// In a child (see [`PEAK_CHILD`]): read the file, load it once, print the kernel's high-water
/// mark of resident memory (`VmHWM`, bytes) and exit. A fresh process, so that memory freed by
/// one case and kept by the allocator does not hide the next case's peak.
fn peak_child() {
    let Ok(spec) = std::env::var(PEAK_CHILD) else {
        return;
    };
    let (format, path) = spec.split_once(':').unwrap();
    let format = match format {
        "json" => Format::Json,
        "yaml" => Format::Yaml,
        _ => Format::Ndjson,
    };
    let rs: RuleSet = vigil::compile(&sources()).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let loaded = Timeline::load(&text, format, "t", &rs).unwrap();
    println!("{} {}", high_water_mark(), loaded.events.len());
    std::process::exit(0);
}

/// This process's peak resident memory so far, in bytes: the kernel's `VmHWM` (0 where
/// `/proc` does not say).
fn high_water_mark() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    kb * 1024
}

/// The peak resident memory of a fresh process that reads `text` from a file and loads it
/// (the text included), in bytes; `None` where `/proc` does not say (not Linux).
fn peak_of(text: &str, format: Format) -> Option<u64> {
    let path = std::env::temp_dir().join(format!("vigil-bench-{}.txt", std::process::id()));
    std::fs::write(&path, text).ok()?;
    let name = match format {
        Format::Json => "json",
        Format::Yaml => "yaml",
        _ => "ndjson",
    };
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .arg("--bench")
        .env(PEAK_CHILD, format!("{name}:{}", path.display()))
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&path);
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()?
        .to_string();
    line.split_whitespace()
        .next()?
        .parse()
        .ok()
        .filter(|b| *b > 0)
}

fn sources() -> Vec<Source> {
    let mut paths: Vec<_> = std::fs::read_dir("protocols/supported-living")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// A no-answer episode for P-0142 with 20 events: planning, the no answer, checks, attempts,
/// notices, records and wider contact, evaluated mid-ladder. The record starts at midnight, so
/// P-0142's protocol visits of the 24th are watched (the 08:00 one is V1) and the evening visit
/// of the 23rd, before the record, is not: the benchmark measures the one episode.
const EPISODE: &str = r#"
from: "2026-11-24T00:00:00Z"
events:
  - { id: p1, at: "2026-11-23T18:00:00Z", person: P-0142, kind: visit_planned, visit: V1, planned: "2026-11-24T08:00:00Z", criticality: critical }
  - { id: e1, at: "2026-11-24T08:02:00Z", person: P-0142, kind: no_answer, visit: V1, by: support_worker }
  - { id: e2, at: "2026-11-24T08:03:00Z", person: P-0142, kind: observation, what: lights_on, by: support_worker }
  - { id: e3, at: "2026-11-24T08:03:30Z", person: P-0142, kind: observation, what: post_piling_up, by: support_worker }
  - { id: e4, at: "2026-11-24T08:04:00Z", person: P-0142, kind: contact_attempt, method: phone, by: support_worker }
  - { id: e5, at: "2026-11-24T08:05:00Z", person: P-0142, kind: contact_attempt, method: door, by: support_worker }
  - { id: e6, at: "2026-11-24T08:09:00Z", person: P-0142, kind: contact_attempt, method: text, by: support_worker }
  - { id: e7, at: "2026-11-24T08:10:00Z", person: P-0142, kind: notified, role: duty_manager, by: support_worker }
  - { id: e8, at: "2026-11-24T08:14:00Z", person: P-0142, kind: contact_attempt, method: phone, by: support_worker }
  - { id: e9, at: "2026-11-24T08:16:00Z", person: P-0142, kind: record_made, log: records, by: duty_manager }
  - { id: e10, at: "2026-11-24T08:18:00Z", person: P-0142, kind: observation, what: curtains_closed, by: support_worker }
  - { id: e11, at: "2026-11-24T08:20:00Z", person: P-0142, kind: notified, role: registered_manager, by: duty_manager }
  - { id: e12, at: "2026-11-24T08:22:00Z", person: P-0142, kind: contact_made, contact: daughter, outcome: no_answer, by: duty_manager }
  - { id: e13, at: "2026-11-24T08:25:00Z", person: P-0142, kind: contact_attempt, method: door, by: support_worker }
  - { id: e14, at: "2026-11-24T08:27:00Z", person: P-0142, kind: record_made, log: incident_log, by: support_worker }
  - { id: e15, at: "2026-11-24T08:28:00Z", person: P-0142, kind: observation, what: lights_off, by: support_worker }
  - { id: e16, at: "2026-11-24T08:30:00Z", person: P-0142, kind: contact_attempt, method: text, by: support_worker }
  - { id: e17, at: "2026-11-24T08:31:00Z", person: P-0142, kind: notified, role: duty_manager, by: support_worker }
  - { id: e18, at: "2026-11-24T08:33:00Z", person: P-0142, kind: record_made, log: records, by: duty_manager }
  - { id: e19, at: "2026-11-24T08:35:00Z", person: P-0142, kind: observation, what: curtains_open, by: duty_manager }
"#;

/// A day of 1,000 people, five visits each: planned, arrived, observed, noted, departed, and
/// a contact attempt; one person in ten misses their 08:00 visit and is found at 08:50.
fn day() -> String {
    let mut events = Vec::new();
    let times = ["08:00", "11:00", "13:00", "17:00", "21:00"];
    for p in 0..1000 {
        let person = format!("D-{p:04}");
        for (v, t) in times.iter().enumerate() {
            let visit = format!("{person}-{v}");
            let criticality = if v % 2 == 0 { "critical" } else { "standard" };
            let at = |m: u32| {
                let (h, min) = (t[..2].parse::<u32>().unwrap(), m);
                format!("2026-11-24T{:02}:{:02}:00Z", h + min / 60, min % 60)
            };
            events.push(format!(
                r#"{{"id":"{visit}-p","at":"2026-11-23T18:00:00Z","person":"{person}","kind":"visit_planned","visit":"{visit}","planned":"{}","criticality":"{criticality}","route":"R{}"}}"#,
                at(0),
                p % 40
            ));
            if v == 0 && p % 10 == 0 {
                events.push(format!(r#"{{"id":"{visit}-n","at":"{}","person":"{person}","kind":"no_answer","visit":"{visit}","by":"support_worker"}}"#, at(5)));
                events.push(format!(r#"{{"id":"{visit}-c1","at":"{}","person":"{person}","kind":"contact_attempt","method":"phone","by":"support_worker"}}"#, at(7)));
                events.push(format!(r#"{{"id":"{visit}-c2","at":"{}","person":"{person}","kind":"contact_attempt","method":"text","by":"support_worker"}}"#, at(12)));
                events.push(format!(r#"{{"id":"{visit}-t","at":"{}","person":"{person}","kind":"notified","role":"duty_manager","by":"support_worker"}}"#, at(14)));
                events.push(format!(r#"{{"id":"{visit}-s","at":"{}","person":"{person}","kind":"contact_established","by":"support_worker"}}"#, at(50)));
            } else {
                events.push(format!(r#"{{"id":"{visit}-a","at":"{}","person":"{person}","kind":"arrived","visit":"{visit}","by":"support_worker"}}"#, at(4)));
                events.push(format!(r#"{{"id":"{visit}-o","at":"{}","person":"{person}","kind":"observation","what":"eating_and_drinking_well","by":"support_worker"}}"#, at(10)));
                events.push(format!(r#"{{"id":"{visit}-r","at":"{}","person":"{person}","kind":"record_made","log":"records","by":"support_worker"}}"#, at(25)));
                events.push(format!(r#"{{"id":"{visit}-d","at":"{}","person":"{person}","kind":"departed","visit":"{visit}","by":"support_worker"}}"#, at(30)));
            }
            events.push(format!(r#"{{"id":"{visit}-x","at":"{}","person":"{person}","kind":"contact_attempt","method":"text","outcome":"reached","by":"support_worker"}}"#, at(35)));
        }
    }
    format!("{{\"events\":[{}]}}", events.join(",\n"))
}

fn benches(c: &mut Criterion) {
    peak_child();
    audit_child();
    let sources = sources();
    c.bench_function("compile protocols/", |b| {
        b.iter(|| vigil::compile(black_box(&sources)).unwrap())
    });

    let rs: RuleSet = vigil::compile(&sources).unwrap();
    let episode = Timeline::load(EPISODE, Format::Yaml, "episode", &rs).unwrap();
    assert_eq!(episode.events.len(), 20);
    let mid = "2026-11-24T08:36:00Z".parse().unwrap();
    c.bench_function("evaluate a 20-event episode", |b| {
        b.iter(|| black_box(rs.evaluate(black_box(&episode), mid)))
    });

    let text = day();
    let tl = Timeline::load(&text, Format::Json, "day", &rs).unwrap();
    assert_eq!(tl.visits.len(), 5000);
    let evening = "2026-11-24T23:59:00Z".parse().unwrap();
    let mut group = c.benchmark_group("1,000-person day");
    group.sample_size(20);
    group.bench_function(format!("evaluate ({} events)", tl.events.len()), |b| {
        b.iter(|| black_box(rs.evaluate(black_box(&tl), evening)))
    });
    group.bench_function("load and check the timeline", |b| {
        b.iter(|| Timeline::load(black_box(&text), Format::Json, "day", &rs).unwrap())
    });
    group.finish();

    // A host taking events one at a time: each push checks the new event alone, so its cost
    // should not grow with the log (a 20-event feed against the 30,100-event day).
    let rules = std::sync::Arc::new(rs.clone());
    let mut group = c.benchmark_group("feed: push one event");
    for (name, text, format) in [
        ("onto 20 events", EPISODE, Format::Yaml),
        ("onto the 30,100-event day", text.as_str(), Format::Json),
    ] {
        let input = TimelineInput::read(text, format, name).unwrap();
        let person = input.events()[0].person_id().unwrap().to_string();
        let mut feed = Feed::restore(rules.clone(), input).unwrap();
        let mut n = 0u64;
        let late = "2026-11-24T23:30:00Z".parse().unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let e = EventInput::new(late, person.as_str(), EventKind::ContactAttempt)
                    .id(format!("bench-{n}"))
                    .method(Method::Phone)
                    .outcome(Outcome::Reached)
                    .by("support_worker");
                feed.push(black_box(e)).map(|_| ()).unwrap()
            })
        });
    }
    group.finish();
}

/// `n` events (a planned visit and nine answered calls per person, one route each) as compact
/// JSON, pretty JSON, YAML and NDJSON: the same data in the four shapes a timeline comes in.
fn shapes(n: usize) -> [(&'static str, String, Format); 4] {
    let mut compact = Vec::with_capacity(n);
    let mut yaml = String::from("events:\n");
    for i in 0..n / 10 {
        let p = format!("L-{i:06}");
        compact.push(format!(r#"{{"id":"{p}-p","at":"2026-11-23T18:00:00Z","person":"{p}","kind":"visit_planned","visit":"{p}-v","planned":"2026-11-24T08:00:00Z","criticality":"critical","route":"R{}"}}"#, i % 40));
        yaml.push_str(&format!("  - id: {p}-p\n    at: 2026-11-23T18:00:00Z\n    person: {p}\n    kind: visit_planned\n    visit: {p}-v\n    planned: 2026-11-24T08:00:00Z\n    criticality: critical\n    route: R{}\n", i % 40));
        for k in 0..9 {
            compact.push(format!(r#"{{"id":"{p}-{k}","at":"2026-11-24T08:{:02}:00Z","person":"{p}","kind":"contact_attempt","method":"phone","outcome":"reached","by":"support_worker"}}"#, 10 + k));
            yaml.push_str(&format!("  - id: {p}-{k}\n    at: 2026-11-24T08:{:02}:00Z\n    person: {p}\n    kind: contact_attempt\n    method: phone\n    outcome: reached\n    by: support_worker\n", 10 + k));
        }
    }
    let pretty = format!(
        "{{\n  \"events\": [\n    {}\n  ]\n}}\n",
        compact.join(",\n    ")
    );
    [
        (
            "compact JSON",
            format!("{{\"events\":[{}]}}", compact.join(",")),
            Format::Json,
        ),
        ("pretty JSON", pretty, Format::Json),
        ("YAML", yaml, Format::Yaml),
        ("NDJSON", compact.join("\n") + "\n", Format::Ndjson),
    ]
}

/// Loading grows in proportion to the timeline, whatever its shape (issue 12: a compact
/// one-line file used to be quadratic), in time and in memory: each case prints the peak
/// memory of a fresh process loading it, beside its text's size. `VIGIL_BENCH_MILLION=0` leaves out the
/// million-event cases (four of them take some minutes).
fn loading(c: &mut Criterion) {
    let rs: RuleSet = vigil::compile(&sources()).unwrap();
    let mut group = c.benchmark_group("load and check");
    group.sample_size(10);
    let million = std::env::var("VIGIL_BENCH_MILLION").map_or(true, |v| v != "0");
    let sizes: &[usize] = if million {
        &[10_000, 100_000, 1_000_000]
    } else {
        &[10_000, 100_000]
    };
    for &n in sizes {
        for (shape, text, format) in shapes(n) {
            let mib = |b: u64| b as f64 / f64::from(1u32 << 20);
            match peak_of(&text, format) {
                Some(p) => println!(
                    "load and check/{n} events, {shape}: text {:.1} MiB, peak memory {:.1} MiB (a fresh process: binary, rules, text and timeline)",
                    mib(text.len() as u64),
                    mib(p)
                ),
                None => println!("load and check/{n} events, {shape}: peak memory not measured here"),
            }
            group.bench_function(format!("{n} events, {shape}"), |b| {
                b.iter(|| Timeline::load(black_box(&text), format, "t", &rs).unwrap())
            });
        }
    }
    group.finish();
}

/// The simulated service (`vigil simulate`, docs/simulation.md): 40 people for `days` days
/// from Monday 5 January 2026, seed 1, as NDJSON.
fn simulated(rs: &RuleSet, days: u32) -> String {
    let settings = vigil::simulate::Settings {
        people: 40,
        days,
        seed: 1,
        start: "2026-01-05".parse().unwrap(),
    };
    let input = vigil::simulate::simulate(rs, &settings).unwrap();
    let mut out = format!(
        "{{\"from\":\"{}\",\"as_of\":\"{}\"}}\n",
        input.from_text().unwrap(),
        input.as_of_text().unwrap()
    );
    for e in input.events() {
        out.push_str(&serde_json::to_string(e).unwrap());
        out.push('\n');
    }
    out
}

/// The audit of a whole timeline: evaluated at its `as_of`, counted from its `from`.
fn audit_of(rs: &RuleSet, tl: &Timeline) -> vigil::audit::Audit {
    let period = vigil::audit::Period {
        from: tl.from.unwrap(),
        to: tl.as_of.unwrap(),
    };
    vigil::audit::Audit::of(&rs.evaluate(tl, period.to), tl, rs, period)
}

/// The audit of an NDJSON log read as `vigil audit` reads a file on disk: a line at a time,
/// visits that went as planned dropped as they become final, evaluated at its `as_of`,
/// counted from its `from`.
fn streamed_audit(
    reader: impl std::io::BufRead,
    versions: &vigil::rules::Versions,
) -> vigil::audit::Audit {
    let limits = vigil::Limits::default();
    let log = vigil::audit::Audit::stream(reader, "y", versions, &limits, None)
        .unwrap()
        .expect("a simulated log streams");
    let tl = &log.readings[0];
    let rs = &versions.all()[0];
    let period = vigil::audit::Period {
        from: tl.from.unwrap(),
        to: tl.as_of.unwrap(),
    };
    let d = rs.evaluate(tl, period.to);
    // As `vigil audit` does: the log is let go once the audit has read it.
    vigil::audit::Audit::of_owned(d, log.readings, log.dropped, rs, period)
}

/// Auditing a simulated 40-person year (issue 14): from the NDJSON text in memory (load,
/// check, evaluate, count), the same text read as a stream a line at a time dropping visits
/// as they go as planned (as `vigil audit` reads a log on disk), and from a timeline already
/// loaded (evaluate, count); each prints
/// events per second. Then the peak memory of a fresh process auditing a quarter, a year and
/// four years from a file on disk (1x, 4x, 16x), to show how memory grows with the log.
fn auditing(c: &mut Criterion) {
    let rs: RuleSet = vigil::compile(&sources()).unwrap();
    let year = simulated(&rs, 364);
    let tl = Timeline::load(&year, Format::Ndjson, "year.ndjson", &rs).unwrap();
    let events = tl.events.len();
    let mut group = c.benchmark_group("audit a simulated 40-person year");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(events as u64));
    group.bench_function(format!("from NDJSON text ({events} events)"), |b| {
        b.iter(|| {
            let tl = Timeline::load(black_box(&year), Format::Ndjson, "year.ndjson", &rs).unwrap();
            audit_of(&rs, &tl)
        })
    });
    let versions = vigil::rules::Versions::new(vec![rs.clone()]).unwrap();
    group.bench_function(format!("from NDJSON streamed ({events} events)"), |b| {
        b.iter(|| streamed_audit(black_box(year.as_bytes()), &versions))
    });
    group.bench_function(format!("from the loaded timeline ({events} events)"), |b| {
        b.iter(|| audit_of(&rs, black_box(&tl)))
    });
    group.finish();
    for (label, days) in [
        ("1x (91 days)", 91),
        ("4x (364 days)", 364),
        ("16x (1,456 days)", 1456),
    ] {
        let text = simulated(&rs, days);
        let lines = text.lines().count() - 1;
        match audit_peak_of(&text) {
            Some(p) => println!(
                "audit peak memory/{label}: {lines} events, text {:.1} MiB, peak {:.1} MiB (a fresh process: binary, rules, text, timeline, decision, audit)",
                text.len() as f64 / f64::from(1u32 << 20),
                p as f64 / f64::from(1u32 << 20)
            ),
            None => println!("audit peak memory/{label}: not measured here"),
        }
    }
}

/// The environment variable that makes this binary a child auditing one NDJSON file.
const AUDIT_CHILD: &str = "VIGIL_BENCH_AUDIT";

/// In a child (see [`AUDIT_CHILD`]): read the file, audit it once, print the peak resident
/// memory (bytes) and exit.
fn audit_child() {
    let Ok(path) = std::env::var(AUDIT_CHILD) else {
        return;
    };
    let rs: RuleSet = vigil::compile(&sources()).unwrap();
    // As `vigil audit` reads a log on disk: a line at a time, dropping visits as they go as
    // planned.
    let versions = vigil::rules::Versions::new(vec![rs.clone()]).unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let audit = streamed_audit(file, &versions);
    println!("{} {}", high_water_mark(), audit.duties.len());
    std::process::exit(0);
}

/// The peak resident memory of a fresh process auditing `text` from a file, in bytes.
fn audit_peak_of(text: &str) -> Option<u64> {
    let path =
        std::env::temp_dir().join(format!("vigil-bench-audit-{}.ndjson", std::process::id()));
    std::fs::write(&path, text).ok()?;
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .arg("--bench")
        .env(AUDIT_CHILD, path.display().to_string())
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
        .filter(|b| *b > 0)
}

criterion_group!(vigil_benches, benches, loading, auditing);
criterion_main!(vigil_benches);
