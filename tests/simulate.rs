//! `vigil simulate`: the same arguments give the same file; the file loads under both bundled
//! versions of the supported-living framework; the rates are those docs/simulation.md gives.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly

mod common;

use vigil::simulate::{simulate, Settings, LATE, MISSED, SICK_DAY, SICK_FACTOR};
use vigil::timeline::Timeline;

fn settings(people: u32, days: u32, seed: u64) -> Settings {
    Settings {
        people,
        days,
        seed,
        start: "2026-01-05".parse().unwrap(),
    }
}

#[test]
fn the_same_arguments_give_the_same_bytes_and_another_seed_does_not() {
    let run = |seed: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args(["simulate", "--people", "12", "--days", "5", "--seed", seed])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        out.stdout
    };
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7"), run("8"));
}

/// A simulation reaches from the evening before its first day (the rota is planned then) to
/// the midnight after its last: both must be in the years Vigil reads, or the log it wrote
/// would be refused by the audit it is for (found by a docs-only tester). At the edges, it
/// loads.
#[test]
fn a_simulation_stays_within_the_years_vigil_reads() {
    let rs = common::bundled_rules();
    let at = |start: &str, days: u32| Settings {
        people: 2,
        days,
        seed: 1,
        start: start.parse().unwrap(),
    };
    for (start, days) in [("2000-01-01", 2), ("2099-12-25", 10), ("2099-12-31", 1)] {
        let refused = simulate(&rs, &at(start, days)).unwrap_err();
        assert!(refused.contains("2000-01-02 or later"), "{refused}");
    }
    for (start, days) in [("2000-01-02", 2), ("2099-12-29", 2)] {
        let input = simulate(&rs, &at(start, days)).unwrap();
        Timeline::from_input(&input, &rs).unwrap_or_else(|e| panic!("{start}: {e:?}"));
    }
}

#[test]
fn a_simulated_month_loads_under_both_versions() {
    for dir in [
        "protocols/supported-living",
        "protocols/supported-living-2027",
    ] {
        let rs = common::rules_in(dir);
        let input = simulate(&rs, &settings(40, 28, 3)).unwrap();
        let tl = Timeline::from_input(&input, &rs).unwrap_or_else(|e| panic!("{dir}: {e:?}"));
        assert_eq!(tl.events.len(), input.events().len());
    }
}

#[test]
fn a_simulated_year_has_the_documented_rates() {
    let rs = common::bundled_rules();
    let input = simulate(&rs, &settings(40, 365, 1)).unwrap();
    let count = |kind: &str| {
        input
            .events()
            .iter()
            .filter(|e| e.kind_name() == Some(kind))
            .count() as f64
    };
    let planned = count("visit_planned");
    let cancelled = count("visit_cancelled");
    // Visits: 3 a day for four people in five, 4 for the fifth: 3.2 a person a day.
    assert_eq!(planned, 40.0 * 365.0 * 3.2);
    let attended = planned - cancelled;
    // A sick day multiplies the rate: the expected factor over days.
    let sick = f64::from(SICK_DAY) / 1000.0;
    let factor = 1.0 - sick + sick * f64::from(SICK_FACTOR);
    let near = |got: f64, want: f64, what: &str| {
        assert!(
            (got - want).abs() <= 0.2 * want,
            "{what}: {got} against {want} expected"
        );
    };
    // Missed: no arrival and no no-answer; each has one `found` after a `log`.
    let logs = input
        .events()
        .iter()
        .filter(|e| e.kind_name() == Some("record_made"))
        .count() as f64;
    near(
        logs,
        attended * f64::from(MISSED) / 1000.0 * factor,
        "missed",
    );
    near(count("no_answer"), attended * 15.0 / 1000.0, "no answer");
    near(count("refusal"), attended * 10.0 / 1000.0, "refusals");
    // Hospital: 2 in 1,000 a day, 6.5 days on average, so about 1.3% of visits.
    near(
        cancelled,
        planned * 0.002 * 6.5 / (1.0 + 0.002 * 6.5),
        "cancelled",
    );
    // Late: an arrival 16 to 29 minutes after its visit's planned start.
    let planned_at: std::collections::HashMap<&str, vigil::time::Instant> = input
        .events()
        .iter()
        .filter(|e| e.kind_name() == Some("visit_planned"))
        .map(|e| {
            let v = serde_json::to_value(e).unwrap();
            let planned = v["planned"].as_str().unwrap().parse().unwrap();
            (e.id_text().unwrap().split('-').next().unwrap(), planned)
        })
        .collect();
    let late = input
        .events()
        .iter()
        .filter(|e| e.kind_name() == Some("arrived"))
        .filter(|e| {
            let visit = e.id_text().unwrap().split('-').next().unwrap();
            let at: vigil::time::Instant = e.at_text().unwrap().parse().unwrap();
            let minutes = (at - planned_at[visit]).num_minutes();
            (16..=29).contains(&minutes)
        })
        .count() as f64;
    near(late, attended * f64::from(LATE) / 1000.0 * factor, "late");
}
