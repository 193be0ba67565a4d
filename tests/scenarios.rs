//! Every timeline in `examples/` is evaluated at each instant its header names
//! (`# at: 2026-11-24T08:20:00Z`) against the bundled protocols, and the decision is
//! snapshotted. Snapshots are reviewed by hand against the seed text (see examples/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

use std::path::{Path, PathBuf};

use vigil::rules::RuleSet;
use vigil::timeline::{Format, Timeline};

mod common;

fn ruleset() -> RuleSet {
    common::bundled_rules()
}

/// The rules each example is written for (its `# rules:` header), compiled once per folder.
fn rules_for(cache: &mut Vec<(String, RuleSet)>, path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let dir = common::rules_dir(&text);
    if let Some(i) = cache.iter().position(|(d, _)| *d == dir) {
        return i;
    }
    cache.push((dir.clone(), common::rules_in(&dir)));
    cache.len() - 1
}

fn scenarios() -> Vec<PathBuf> {
    common::example_timelines()
}

fn instants(text: &str) -> Vec<vigil::time::Instant> {
    common::header_instants(text)
}

fn load(rs: &RuleSet, path: &Path) -> (Timeline, Vec<vigil::time::Instant>) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let tl = Timeline::load(&text, Format::from_name(&name), &name, rs).unwrap_or_else(|e| {
        panic!(
            "{name}: {}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let at = instants(&text);
    assert!(!at.is_empty(), "{name}: no `# at:` lines");
    (tl, at)
}

#[test]
fn every_scenario_decision_is_snapshotted() {
    let mut cache = Vec::new();
    for path in scenarios() {
        let k = rules_for(&mut cache, &path);
        let rs = &cache[k].1;
        let (tl, at) = load(rs, &path);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for t in at {
            let decision = rs.evaluate(&tl, t);
            let name = format!("{stem}@{}", t.format("%Y%m%dT%H%MZ"));
            insta::assert_snapshot!(name, decision.to_json());
        }
    }
}

#[test]
fn obligation_ids_are_stable_as_time_passes() {
    let mut cache = Vec::new();
    for path in scenarios() {
        let k = rules_for(&mut cache, &path);
        let rs = &cache[k].1;
        let (tl, mut at) = load(rs, &path);
        at.sort();
        for pair in at.windows(2) {
            let earlier = rs.evaluate(&tl, pair[0]);
            let later = rs.evaluate(&tl, pair[1]);
            for o in &earlier.obligations {
                assert!(
                    later.obligations.iter().any(|l| l.id == o.id),
                    "{}: {} at {} is gone at {}",
                    path.display(),
                    o.id,
                    pair[0],
                    pair[1]
                );
            }
        }
    }
}

#[test]
fn decisions_are_the_same_bytes_every_time() {
    let mut cache = Vec::new();
    for path in scenarios() {
        let k = rules_for(&mut cache, &path);
        let rs = &cache[k].1;
        let (tl, at) = load(rs, &path);
        for t in at {
            assert_eq!(rs.evaluate(&tl, t).to_json(), rs.evaluate(&tl, t).to_json());
        }
    }
}

#[test]
fn brief_worked_example_answers() {
    // BRIEF section 4, exactly.
    let rs = ruleset();
    let (tl, _) = load(&rs, Path::new("examples/brief-gmt-weekday.yaml"));
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let d = rs.evaluate(&tl, at("2026-11-24T08:20:00Z"));
    assert_eq!(d.visits[0].state, vigil::eval::VisitState::Late);
    assert_eq!(d.visits[0].late_at, Some(at("2026-11-24T08:15:00Z")));
    assert_eq!(d.next_change, Some(at("2026-11-24T08:30:00Z")));
    assert!(d.obligations.is_empty());

    let d = rs.evaluate(&tl, at("2026-11-24T08:41:00Z"));
    assert_eq!(d.visits[0].missed_at, Some(at("2026-11-24T08:30:00Z")));
    let find = |action: &str| {
        d.obligations
            .iter()
            .find(|o| o.action.name() == action)
            .unwrap()
    };
    let notify = find("notify");
    assert_eq!(notify.status, vigil::eval::Status::Overdue);
    assert_eq!(
        notify.due_local.as_deref(),
        Some("2026-11-24T08:35:00+00:00")
    );
    assert_eq!(&*notify.summary, "Notify the duty manager");
    let record = find("record");
    assert_eq!(record.status, vigil::eval::Status::Overdue);
    assert_eq!(
        record.due_local.as_deref(),
        Some("2026-11-24T08:40:00+00:00")
    );
    assert_eq!(&*record.role, "duty_manager");

    // The same on the day the clocks go forward: an hour earlier in UTC, the same locally.
    let (tl, _) = load(&rs, Path::new("examples/brief-spring-forward.yaml"));
    let d = rs.evaluate(&tl, at("2026-03-29T08:41:00+01:00"));
    let notify = d
        .obligations
        .iter()
        .find(|o| o.action == vigil::eval::Action::Notify)
        .unwrap();
    assert_eq!(notify.due, Some(at("2026-03-29T07:35:00Z")));
    assert_eq!(
        notify.due_local.as_deref(),
        Some("2026-03-29T08:35:00+01:00")
    );
    assert_eq!(&*notify.summary, "Notify the on-call manager");

    // On a bank holiday the manager is on call.
    let (tl, _) = load(&rs, Path::new("examples/brief-bank-holiday.yaml"));
    let d = rs.evaluate(&tl, at("2026-05-04T08:41:00+01:00"));
    let notify = d
        .obligations
        .iter()
        .find(|o| o.action == vigil::eval::Action::Notify)
        .unwrap();
    assert_eq!(&*notify.summary, "Notify the on-call manager");
    assert!(notify.because.iter().any(|b| b.contains("bank holiday")));
}

/// A governance duty about one person is done only by an event about that person: the
/// quality lead telling the nominated individual about P-1's unresolved episode does not do
/// the same duty for P-2 (it did, when every event of the day was searched).
#[test]
fn a_governance_duty_about_one_person_is_not_done_by_work_for_another() {
    let rs = ruleset();
    let text = "events:
  - { id: p1, at: 2026-11-24T09:00:00Z, person: P-1, kind: visit_planned, visit: V1, planned: 2026-11-24T10:00:00Z, criticality: standard, route: R1 }
  - { id: p2, at: 2026-11-24T09:00:00Z, person: P-2, kind: visit_planned, visit: V2, planned: 2026-11-24T10:00:00Z, criticality: standard, route: R2 }
  - { at: 2026-11-25T00:05:00Z, person: P-1, kind: notified, role: nominated_individual, by: quality_lead }
";
    let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    let d = rs.evaluate(&tl, "2026-11-25T01:00:00Z".parse().unwrap());
    let unresolved = |p: &str| {
        d.obligations
            .iter()
            .find(|o| o.id.starts_with("governance/unresolved_same_day/") && &*o.person == p)
            .unwrap_or_else(|| panic!("no unresolved duty for {p}"))
            .status
    };
    assert_eq!(unresolved("P-1"), vigil::eval::Status::Done);
    assert_eq!(unresolved("P-2"), vigil::eval::Status::Overdue);
}
