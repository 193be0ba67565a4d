//! The duty list over every example at every instant its header names: every duty to do or
//! done has its line, the reason is given once per episode, no internal id reaches the text,
//! lines fit the width, and the watch's diff sees no change between a decision and itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

use vigil::eval::{Decision, Status};
use vigil::render::plain::Names;
use vigil::render::{changes, text};
use vigil::rules::RuleSet;
use vigil::timeline::{Format, Timeline};

mod common;

/// Every example's rules, timeline and decisions at its header's instants.
fn each_decision(mut check: impl FnMut(&str, &RuleSet, &Timeline, &[Decision])) {
    let mut cache: Vec<(String, RuleSet)> = Vec::new();
    for path in common::example_timelines() {
        let source = std::fs::read_to_string(&path).unwrap();
        let dir = common::rules_dir(&source);
        if !cache.iter().any(|(d, _)| *d == dir) {
            cache.push((dir.clone(), common::rules_in(&dir)));
        }
        let rs = &cache.iter().find(|(d, _)| *d == dir).unwrap().1;
        let name = path.display().to_string();
        let tl = Timeline::load(&source, Format::from_name(&name), &name, rs).unwrap();
        let mut at = common::header_instants(&source);
        at.sort();
        let decisions: Vec<Decision> = at.iter().map(|t| rs.evaluate(&tl, *t)).collect();
        check(&name, rs, &tl, &decisions);
    }
}

/// The rows of a section of the list (lines that start two spaces in, under its heading).
fn rows<'a>(list: &'a str, heading: &str) -> Vec<&'a str> {
    list.split("\n\n")
        .find(|s| s.starts_with(heading))
        .map(|s| {
            s.lines()
                .skip(1)
                .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_duty_has_one_line_and_every_episode_one_reason() {
    each_decision(|name, rs, tl, decisions| {
        for d in decisions {
            let names = Names::new(d, rs, tl);
            let view = text::View {
                names: &names,
                width: 100,
            };
            let list = text::decision(d, rs, &view);
            let open = d
                .obligations
                .iter()
                .filter(|o| {
                    matches!(
                        o.status,
                        Status::Overdue | Status::Due | Status::Open | Status::Upcoming
                    )
                })
                .count();
            let finished = d
                .obligations
                .iter()
                .filter(|o| matches!(o.status, Status::Done | Status::DoneLate | Status::Failed))
                .count();
            assert_eq!(rows(&list, "To do").len(), open, "{name}\n{list}");
            assert_eq!(rows(&list, "Done").len(), finished, "{name}\n{list}");
            // At most one reason for each episode with a duty to do.
            let mut episodes: Vec<&str> = d
                .obligations
                .iter()
                .filter(|o| {
                    !matches!(
                        o.status,
                        Status::Done | Status::DoneLate | Status::Failed | Status::NotRequired
                    )
                })
                .map(|o| &*o.episode)
                .collect();
            episodes.sort_unstable();
            episodes.dedup();
            let reasons = list.matches(" because ").count();
            assert!(
                reasons <= episodes.len(),
                "{name}: {reasons} reasons for {} episodes\n{list}",
                episodes.len()
            );
            // The most urgent first: overdue, due, open, then upcoming.
            let rank = |row: &&str| {
                ["  OVERDUE", "  due", "  open", "  upcoming"]
                    .iter()
                    .position(|p| row.starts_with(p))
                    .unwrap_or_else(|| panic!("{name}: {row}"))
            };
            let ranks: Vec<usize> = rows(&list, "To do").iter().map(rank).collect();
            assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{name}\n{list}");
        }
    });
}

#[test]
fn no_internal_id_reaches_the_list_or_the_audit() {
    each_decision(|name, rs, tl, decisions| {
        for d in decisions {
            let names = Names::new(d, rs, tl);
            let view = text::View {
                names: &names,
                width: 100,
            };
            for shown in [text::decision(d, rs, &view), text::audit(d, rs, &view)] {
                // Notes are for whoever keeps the record: one may name an event to correct.
                let body = shown.split("\nNext change:").next().unwrap();
                let mut body = body.split_whitespace().collect::<Vec<_>>().join(" ");
                // Leave out the id a manual review is recorded done with: it is given to be copied.
                let quoted = "when done, record `kind: reviewed, duty: \"";
                while let Some(at) = body.find(quoted) {
                    let end = body[at..].find("\"`").map_or(body.len(), |e| at + e + 2);
                    body.replace_range(at..end, "");
                }
                for e in &tl.events {
                    for frame in [format!("(event {})", e.id), format!(", event {})", e.id)] {
                        assert!(!body.contains(&frame), "{name}: {frame}\n{shown}");
                    }
                }
                for o in d.obligations.iter().filter(|o| !o.person.is_empty()) {
                    assert!(
                        !body.contains(&*o.episode),
                        "{name}: {}\n{shown}",
                        o.episode
                    );
                }
                for line in shown.lines() {
                    let words = line.split_whitespace().count();
                    assert!(line.chars().count() <= 100 || words == 1, "{name}: {line}");
                }
            }
        }
    });
}

#[test]
fn a_decision_has_no_changes_from_itself_and_the_next_has_its_own() {
    each_decision(|name, rs, tl, decisions| {
        for d in decisions {
            assert!(changes::between(d, d).is_empty(), "{name}");
        }
        for pair in decisions.windows(2) {
            let found = changes::between(&pair[0], &pair[1]);
            // Every obligation whose status turned is among the changes.
            for o in &pair[1].obligations {
                let was = pair[0].obligations.iter().find(|w| w.id == o.id);
                if was.is_none_or(|w| w.status != o.status) {
                    assert!(
                        found.obligations.iter().any(|c| c.now.id == o.id),
                        "{name}: {}",
                        o.id
                    );
                }
            }
            let names = Names::new(&pair[1], rs, tl);
            let view = text::View {
                names: &names,
                width: 100,
            };
            let shown = changes::text(&found, &pair[1], rs, &view);
            assert!(
                shown.contains(&format!("{} change", found.len())),
                "{name}\n{shown}"
            );
            let lines = changes::ndjson(&found, &pair[1]);
            assert_eq!(
                lines.lines().count(),
                found.obligations.len() + found.removed.len()
            );
        }
    });
}

/// One notice that discharges two steps which both notify the duty manager gives two lines
/// that would read the same: each names its step.
#[test]
fn two_lines_that_would_read_the_same_name_their_steps() {
    let fw = r#"
framework "Twins" version 1 {
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  threshold standard late 15m missed 30m
  pathway refusal on refusal {
    step report: notify duty_manager by support_worker within 15m
    step medication: notify duty_manager by support_worker within 5m
  }
}
"#;
    let events = "events:\n  - { at: \"2026-11-24T07:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: standard }\n  - { at: \"2026-11-24T08:05:00Z\", person: P-1, kind: refusal, visit: V1, by: support_worker }\n  - { at: \"2026-11-24T08:08:00Z\", person: P-1, kind: notified, role: duty_manager, by: support_worker }\n";
    let list = list_of(fw, events, "2026-11-24T08:30:00Z");
    assert!(
        list.contains("Notify the duty manager  [Support worker] (step `report`)"),
        "{list}"
    );
    assert!(
        list.contains("Notify the duty manager  [Support worker] (step `medication`)"),
        "{list}"
    );
}

/// A duty due at the midnight that began today says its day: "00:00" alone reads as tonight.
#[test]
fn midnight_always_says_its_day() {
    let fw = r#"
framework "Midnight" version 1 {
  role support_worker "Support worker"
  log records "Care records"
  threshold standard late 15m missed 30m
  pathway refusal on refusal {
    step note: record records by support_worker by end of day
  }
}
"#;
    let events = "events:\n  - { at: \"2026-11-23T22:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-23T23:40:00Z\", criticality: standard }\n  - { at: \"2026-11-23T23:50:00Z\", person: P-1, kind: refusal, visit: V1, by: support_worker }\n";
    let list = list_of(fw, events, "2026-11-24T00:30:00Z");
    assert!(
        list.contains("OVERDUE by 30 min  00:00 Tue 24 Nov"),
        "{list}"
    );
}

/// The duty list, 200 columns wide, for the timeline `events` under the framework `fw`, at
/// `at`.
fn list_of(fw: &str, events: &str, at: &str) -> String {
    let rs = vigil::compile(&[vigil::Source::new("f.vigil", fw)]).unwrap();
    let tl = Timeline::load(events, Format::Yaml, "t.yaml", &rs).unwrap();
    let d = rs.evaluate(&tl, at.parse().unwrap());
    let names = Names::new(&d, &rs, &tl);
    let view = text::View {
        names: &names,
        width: 200,
    };
    text::decision(&d, &rs, &view)
}

/// Two steps no longer required that read the same each name their step in the list of
/// those no longer required, as twins do in the lists above (found by a docs-only tester:
/// "Escalate to Adult social care; Escalate to Adult social care").
#[test]
fn twins_no_longer_required_name_their_steps() {
    let fw = r#"
framework "Twins" version 1 {
  immediately means 5m
  role worker "Worker"
  agency adult_social_care "Adult social care" statutory
  agency emergency_services "Emergency services (999)" emergency
  red_flags unresponsive
  calendar office_hours { Mon-Fri 09:00-17:00 }
  threshold standard late 15m missed 30m
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by worker immediately
  }
  pathway no_response on no_answer {
    step day: escalate to adult_social_care by worker within 2h when not out_of_hours
    step night: escalate to adult_social_care by worker within 2h when out_of_hours
  }
}
"#;
    let events = "events:\n  - { at: \"2026-11-24T07:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: standard }\n  - { id: na, at: \"2026-11-24T10:00:00Z\", person: P-1, visit: V1, kind: no_answer, by: worker }\n  - { at: \"2026-11-24T10:30:00Z\", person: P-1, kind: contact_established, by: worker }\n";
    let list = list_of(fw, events, "2026-11-24T11:00:00Z");
    assert!(
        list.contains(
            "P-1  Escalate to Adult social care (step `day`); Escalate to Adult social care (step `night`)"
        ),
        "{list}"
    );
}
