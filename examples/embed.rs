//! A host system (rostering or care-record software) embedding Vigil: docs/embedding.md walks
//! through it. Run with `cargo run --example embed`; it builds without the `cli` feature
//! (`cargo run --example embed --no-default-features`), so without clap.
//!
//! Events arrive one at a time. The host checks each with the feed, appends the ones taken to
//! its log file (after a header line), and evaluates; it sleeps until the decision's `next_change` or the next
//! event. Halfway through it "restarts": everything in memory is dropped and the feed is
//! rebuilt from the log file alone. The host owns the clock: here it is simulated, so the
//! example runs in an instant.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use vigil::eval::Status;
use vigil::rules::RuleSet;
use vigil::time::Instant;
use vigil::timeline::{EventInput, Feed, TimelineInput};
use vigil::vocab::{EventKind, Outcome};

fn at(s: &str) -> Instant {
    s.parse().unwrap_or_default()
}

/// The provider's framework and protocols, compiled once.
fn rules(dir: &Path) -> Result<Arc<RuleSet>, Box<dyn std::error::Error>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    paths.sort();
    let mut builder = RuleSet::builder();
    for p in paths {
        let text = std::fs::read_to_string(&p)?;
        builder = builder.source(vigil::Source::new(p.display().to_string(), text));
    }
    Ok(Arc::new(builder.build()?))
}

/// The log's first line: from when the record starts (protocol visits from then on are
/// watched) and whom to watch, a timeline with no events. The rest are events, one a line.
fn header() -> TimelineInput {
    TimelineInput::new().from(at("2026-11-23T18:00:00Z"))
}

/// Start, or restart: the feed rebuilt from the log file alone.
fn restore(rules: Arc<RuleSet>, log: &Path) -> Result<Feed, Box<dyn std::error::Error>> {
    if !log.exists() {
        std::fs::write(log, format!("{}\n", serde_json::to_string(&header())?))?;
    }
    let text = std::fs::read_to_string(log)?;
    let mut lines = text.lines();
    let mut saved: TimelineInput = serde_json::from_str(lines.next().unwrap_or_default())?;
    for line in lines {
        saved = saved.event(serde_json::from_str(line)?);
    }
    Ok(Feed::restore(rules, saved)?)
}

/// Take one event: check it, and only once it is taken, append it to the log.
fn take(feed: &mut Feed, log: &Path, e: EventInput) -> Result<(), Box<dyn std::error::Error>> {
    if let Err(refused) = feed.push(e.clone()) {
        // A refused event changes nothing; the host sends it back to whoever reported it.
        for p in refused.problems() {
            let help = p.help.map(|h| format!(" ({h})")).unwrap_or_default();
            let field = p.field.unwrap_or_default();
            println!("refused [{}] {field}: {}{help}", p.code, p.message);
        }
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    writeln!(file, "{}", serde_json::to_string(&e)?)?;
    file.sync_all()?;
    Ok(())
}

/// What the host's own systems report, in the order it arrives.
fn arrivals() -> Vec<EventInput> {
    let p = "P-0001";
    vec![
        EventInput::new(at("2026-11-23T18:00:00Z"), p, EventKind::VisitPlanned)
            .id("plan")
            .visit("V1")
            .planned(at("2026-11-24T08:00:00Z"))
            .criticality("critical")
            .route("R1"),
        // A typo: refused, and the host carries on.
        EventInput::new(at("2026-11-24T08:33:00Z"), p, EventKind::Notified)
            .role("duty_manger")
            .by("scheduling_coordinator"),
        EventInput::new(at("2026-11-24T08:33:00Z"), p, EventKind::Notified)
            .id("told")
            .role("duty_manager")
            .by("scheduling_coordinator")
            .outcome(Outcome::Reached),
        EventInput::new(at("2026-11-24T08:38:00Z"), p, EventKind::RecordMade)
            .id("logged")
            .log("missed_visit_log")
            .by("duty_manager"),
        EventInput::new(at("2026-11-24T08:52:00Z"), p, EventKind::ContactEstablished)
            .id("seen")
            .visit("V1")
            .by("support_worker"),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rules = rules(Path::new("protocols/supported-living"))?;
    let state = std::env::temp_dir().join(format!("vigil-embed-{}", std::process::id()));
    std::fs::create_dir_all(&state)?;
    let log = state.join("events.ndjson");
    let mut feed = restore(rules.clone(), &log)?;

    let feed_in = arrivals();
    let mut next = 0;
    let mut clock = at("2026-11-23T18:00:00Z");
    let end = at("2026-11-25T09:00:00Z");
    let mut seen: BTreeMap<String, Status> = BTreeMap::new();
    let mut restarted = false;
    loop {
        // Take in every event that has arrived by now.
        while let Some(e) = feed_in
            .get(next)
            .filter(|e| at(e.at_text().unwrap_or("")) <= clock)
        {
            println!("{clock}  event: {}", e.kind_name().unwrap_or("?"));
            take(&mut feed, &log, e.clone())?;
            next += 1;
        }
        // A restart halfway: nothing survives but the log file, and nothing is lost.
        if next == 3 && !restarted {
            let before = feed.decision(clock).to_json();
            feed = restore(rules.clone(), &log)?;
            assert_eq!(feed.decision(clock).to_json(), before);
            println!(
                "{clock}  restarted from {} events in the log",
                feed.log().events().len()
            );
            restarted = true;
        }
        // Evaluate: a pure function of the rules, the events and the host's clock.
        let decision = feed.decision(clock);
        // Act on what changed: a new obligation, or one whose status moved.
        for o in &decision.obligations {
            if seen.get(&o.id) != Some(&o.status) {
                let due = o.due_local.as_deref().unwrap_or("-");
                println!(
                    "{clock}  {:<12} {}  [{}]  due {due}",
                    o.status.as_str(),
                    o.summary,
                    o.role_name
                );
                seen.insert(o.id.clone(), o.status);
            }
        }
        // Sleep until the decision would change by itself, or the next event arrives.
        let next_arrival = feed_in.get(next).and_then(|e| e.at_text()).map(at);
        match [decision.next_change, next_arrival]
            .into_iter()
            .flatten()
            .min()
        {
            Some(t) if t <= end => clock = t,
            _ => {
                println!("{clock}  nothing will change without new events: the host can rest");
                break;
            }
        }
    }
    std::fs::remove_dir_all(&state)?;
    Ok(())
}
