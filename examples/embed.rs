//! A host system (rostering or care-record software) embedding Vigil.
//!
//! Events arrive one at a time. After each one, and whenever the decision's `next_change`
//! comes round, the host evaluates again and acts on what changed. The host owns the clock:
//! here it is simulated, so the example runs in an instant; a real host would sleep until
//! `min(next_change, next event)`.
//!
//! Run with `cargo run --example embed`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use vigil::eval::Status;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.to_utc())
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Compile the provider's framework and protocols once.
    let mut sources = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("protocols")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    paths.sort();
    for p in paths {
        sources.push(Source::new(
            p.display().to_string(),
            std::fs::read_to_string(&p)?,
        ));
    }
    let rules = vigil::compile(&sources)?;

    // 2. Events as the host's own systems would report them, in the order they arrive.
    let feed = [
        r#"{"id":"plan","at":"2026-11-23T18:00:00Z","person":"P-0001","kind":"visit_planned","visit":"V1","planned":"2026-11-24T08:00:00Z","criticality":"critical"}"#,
        r#"{"id":"told","at":"2026-11-24T08:33:00Z","person":"P-0001","kind":"notified","role":"duty_manager","by":"scheduling_coordinator"}"#,
        r#"{"id":"logged","at":"2026-11-24T08:38:00Z","person":"P-0001","kind":"record_made","log":"missed_visit_log","by":"duty_manager"}"#,
        r#"{"id":"seen","at":"2026-11-24T08:52:00Z","person":"P-0001","kind":"contact_established","by":"support_worker","visit":"V1"}"#,
    ];
    let mut events: Vec<serde_json::Value> = Vec::new();
    let mut clock = at("2026-11-23T18:00:00Z");
    let end = at("2026-11-25T09:00:00Z");
    let mut seen: BTreeMap<String, Status> = BTreeMap::new();
    let mut next_event = 0;

    loop {
        // Take in every event that has arrived by now.
        while let Some(text) = feed.get(next_event) {
            let e: serde_json::Value = serde_json::from_str(text)?;
            if at(e["at"].as_str().unwrap_or_default()) > clock {
                break;
            }
            println!("{clock}  event: {} {}", e["kind"], e["id"]);
            events.push(e);
            next_event += 1;
        }
        // Evaluate: a pure function of the rules, the timeline and the host's clock.
        let text = serde_json::json!({ "events": events }).to_string();
        let timeline = Timeline::load(&text, Format::Json, "feed", &rules).map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let decision = rules.evaluate(&timeline, clock);
        // Act on what changed: a new obligation, or one whose status moved.
        for o in &decision.obligations {
            if seen.get(&o.id) != Some(&o.status) {
                println!(
                    "{clock}  {:<12} {}  [{}]  due {}",
                    o.status.as_str(),
                    o.summary,
                    o.role_name,
                    o.due_local.as_deref().unwrap_or("-")
                );
                seen.insert(o.id.clone(), o.status);
            }
        }
        // Sleep until the decision would change by itself, or the next event arrives.
        let next_arrival = feed
            .get(next_event)
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .map(|e| at(e["at"].as_str().unwrap_or_default()));
        let wake = [decision.next_change, next_arrival]
            .into_iter()
            .flatten()
            .min();
        match wake {
            Some(t) if t <= end => clock = t,
            _ => {
                println!("{clock}  nothing will change without new events: the host can rest");
                break;
            }
        }
    }
    Ok(())
}
