//! Rule versions side by side: an episode follows the version in force when it opened, even
//! after a newer one comes into force (an incident follows the policy it was opened under).
//! Answers worked by hand from docs/language.md §2 before the code ran.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly

use vigil::eval::Status;
use vigil::rules::Versions;
use vigil::timeline::Format;
use vigil::Source;

fn framework(version: &str, effective: &str, within: &str) -> String {
    format!(
        r#"framework "Acme" version {version} {{
  {effective}
  role support_worker "Support worker"
  role duty_manager "Duty manager"
  threshold routine late 15m missed 30m
  pathway no_response on no_answer {{
    step tell: notify duty_manager by support_worker within {within}
  }}
}}
"#
    )
}

const PROTOCOL: &str = r#"protocol "P-1" under "Acme" version 2026.1 {
  person {
    capacity full "assessed 2026-10-01"
  }
}
"#;

fn versions(with_protocol: bool) -> Versions {
    let mut sources = vec![
        Source::new("2026.vigil", framework("2026.1", "", "15m")),
        Source::new(
            "2027.vigil",
            framework(
                "2027.1",
                "effective 2027-01-04 cite \"policy review 2026\"",
                "10m",
            ),
        ),
    ];
    if with_protocol {
        sources.push(Source::new("p-1.vigil", PROTOCOL));
    }
    let checked = vigil::check::check(&sources);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    Versions::new(checked.rulesets).unwrap()
}

/// A no-answer at 23:55 on Sunday 3 January 2027, under 2026.1 (tell the duty manager
/// within 15 minutes: by 00:10), and one at 00:05 on Monday 4 January, under 2027.1 (within
/// 10 minutes: by 00:15).
const TIMELINE: &str = r#"
events:
  - { id: p1, at: "2027-01-03T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
      planned: "2027-01-03T23:50:00Z", criticality: routine }
  - { id: na1, at: "2027-01-03T23:55:00Z", person: P-1, visit: V1, kind: no_answer, by: support_worker }
  - { id: p2, at: "2027-01-03T18:00:00Z", person: P-2, kind: visit_planned, visit: V2,
      planned: "2027-01-04T00:00:00Z", criticality: routine }
  - { id: na2, at: "2027-01-04T00:05:00Z", person: P-2, visit: V2, kind: no_answer, by: support_worker }
"#;

fn at(s: &str) -> vigil::time::Instant {
    s.parse().unwrap()
}

#[test]
fn an_episode_keeps_the_version_it_opened_under_after_a_new_one_comes_into_force() {
    let v = versions(false);
    let tl = v.load(TIMELINE, Format::Yaml, "t.yaml").unwrap();
    let d = v.evaluate(&tl, at("2027-01-04T00:20:00Z"));
    assert_eq!(d.ruleset.version, "2027.1");
    let tell = |episode: &str| {
        d.obligations
            .iter()
            .find(|o| o.id == format!("{episode}/tell"))
            .unwrap()
    };
    let old = tell("P-1/no_response/na1");
    assert_eq!(&*old.version, "2026.1");
    assert_eq!(old.due, Some(at("2027-01-04T00:10:00Z")));
    assert_eq!(
        (old.status, old.late_by_seconds),
        (Status::Overdue, Some(600))
    );
    assert_eq!(old.rule.file, "2026.vigil");
    let new = tell("P-2/no_response/na2");
    assert_eq!(&*new.version, "2027.1");
    assert_eq!(new.due, Some(at("2027-01-04T00:15:00Z")));
    assert_eq!(
        (new.status, new.late_by_seconds),
        (Status::Overdue, Some(300))
    );
    // Each duty once: neither version's copy of the other's episode is kept.
    assert_eq!(
        d.obligations
            .iter()
            .filter(|o| o.id.ends_with("/tell"))
            .count(),
        2
    );
}

#[test]
fn before_the_new_version_the_old_one_alone_judges_and_the_change_is_announced() {
    let v = versions(false);
    let tl = v.load(TIMELINE, Format::Yaml, "t.yaml").unwrap();
    let d = v.evaluate(&tl, at("2027-01-03T23:58:00Z"));
    assert_eq!(d.ruleset.version, "2026.1");
    assert!(d.obligations.iter().all(|o| &*o.version == "2026.1"));
    // The 2026.1 duty is due at 00:10, but 2027.1 comes into force at local midnight (GMT).
    assert_eq!(d.next_change, Some(at("2027-01-04T00:00:00Z")));
}

/// A protocol written for 2026.1 keeps applying to its person once 2027.1 is in force and
/// has none for them: P-1's no-answer at 00:06 on 4 January follows 2026.1 (15 minutes: due
/// 00:21), and a note names the protocol to migrate. P-2, with no protocol, follows 2027.1.
#[test]
fn a_protocol_written_for_the_old_version_keeps_applying_until_migrated() {
    let v = versions(true);
    let text = format!(
        "{TIMELINE}  - {{ id: p3, at: \"2027-01-03T18:00:00Z\", person: P-1, kind: visit_planned, visit: V3, planned: \"2027-01-04T00:00:00Z\", criticality: routine }}\n  - {{ id: na3, at: \"2027-01-04T00:06:00Z\", person: P-1, visit: V3, kind: no_answer, by: support_worker }}\n"
    );
    let tl = v.load(&text, Format::Yaml, "t.yaml").unwrap();
    let d = v.evaluate(&tl, at("2027-01-04T00:20:00Z"));
    let o = d
        .obligations
        .iter()
        .find(|o| o.id == "P-1/no_response/na3/tell")
        .unwrap();
    assert_eq!(
        (&*o.version, o.due, o.status),
        ("2026.1", Some(at("2027-01-04T00:21:00Z")), Status::Due)
    );
    let p2 = d
        .obligations
        .iter()
        .find(|o| o.id == "P-2/no_response/na2/tell")
        .unwrap();
    assert_eq!(&*p2.version, "2027.1");
    assert!(
        d.notes.iter().any(|n| n.starts_with(
            "P-1's protocol is written for version 2026.1; version 2027.1 (in force from 2027-01-04T00:00:00Z) has none for them, so their episodes keep following 2026.1"
        )),
        "{:?}",
        d.notes
    );
}

#[test]
fn two_versions_in_force_from_the_same_day_are_refused() {
    let checked = vigil::check::check(&[
        Source::new(
            "a.vigil",
            framework("2027.1", "effective 2027-01-04", "10m"),
        ),
        Source::new("b.vigil", framework("2027.2", "effective 2027-01-04", "5m")),
        Source::new("c.vigil", framework("2026.1", "", "15m")),
        Source::new("d.vigil", framework("2025.1", "", "15m")),
    ]);
    let found: Vec<(String, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "E004".to_string(),
                "versions 2027.1 and 2027.2 of framework `Acme` both come into force on 2027-01-04"
            ),
            (
                "E004".to_string(),
                "versions 2026.1 and 2025.1 of framework `Acme` both leave out their `effective` date"
            ),
        ]
    );
}

#[test]
fn the_command_line_judges_a_folder_of_versions_episode_by_episode() {
    let dir = std::env::temp_dir().join(format!("vigil-versions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("2026.vigil"), framework("2026.1", "", "15m")).unwrap();
    std::fs::write(
        dir.join("2027.vigil"),
        framework("2027.1", "effective 2027-01-04", "10m"),
    )
    .unwrap();
    let timeline = dir.join("t.yaml");
    std::fs::write(&timeline, TIMELINE).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "eval",
            "--format",
            "json",
            "--at",
            "2027-01-04T00:20:00Z",
            "--timeline",
        ])
        .arg(&timeline)
        .arg(dir.join("2026.vigil"))
        .arg(dir.join("2027.vigil"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let versions: Vec<&str> = json["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["2026.1", "2027.1"]);
    assert_eq!(json["ruleset"]["version"], "2027.1");
    std::fs::remove_dir_all(&dir).ok();
}
