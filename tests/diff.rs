//! `vigil diff` and `vigil migrate`: the supported-living framework against a later version
//! (tests/fixtures/diff/supported-living-2026.2, whose header lists its four changes).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use vigil::render::diff;
use vigil::Source;

use common::sources_in as sources;

/// Worked by hand from the fixture's header: a role added, the critical threshold, the
/// internal-escalation floor and two `notify_manager` steps tightened. P-0217's own
/// `notify_manager` allows 15 minutes, so it fails the new 10-minute floor (E017); P-0142
/// refines the no-response notice to 10 minutes itself, so it keeps its own there and
/// inherits the alert ladder's; P-0644 refines neither and inherits both.
#[test]
fn the_changes_and_what_they_do_to_each_protocol() {
    let old = common::rules_in("protocols/supported-living");
    let new_sources = sources("tests/fixtures/diff/supported-living-2026.2");
    let new = vigil::compile(&new_sources).unwrap();
    let changed = diff::changes(&old, &new);
    let names: Vec<(&str, &str)> = changed.iter().map(|c| (c.area, c.name.as_str())).collect();
    assert_eq!(
        names,
        [
            ("role", "night_coordinator"),
            ("threshold", "critical"),
            ("floor", "internal escalation"),
            ("step", "at_alert.notify_manager"),
            ("step", "no_response.notify_manager"),
        ]
    );
    let protocols: Vec<Source> = sources("protocols/supported-living")
        .into_iter()
        .filter(|s| diff::person_of(s.text()).is_some())
        .collect();
    let impacts = diff::impact(&new_sources, &protocols, &new, &changed);
    let of = |p: &str| impacts.iter().find(|i| i.person == p).unwrap();
    assert!(
        of("P-0217").fails.iter().any(|f| f.starts_with("E017")),
        "{:?}",
        of("P-0217")
    );
    // P-0142 sets its own critical thresholds (sooner than the framework's), so it keeps them.
    assert_eq!(
        of("P-0142").keeps,
        ["threshold `critical`", "no_response.notify_manager"]
    );
    assert_eq!(of("P-0142").inherits, ["at_alert.notify_manager"]);
    assert_eq!(
        of("P-0644").inherits,
        [
            "threshold `critical`",
            "at_alert.notify_manager",
            "no_response.notify_manager"
        ]
    );
    insta::assert_snapshot!(
        "diff_supported_living_2026_2",
        diff::to_text(&old, &new, &changed, &impacts)
    );
}

/// The no-response ladder under 2026.2, by hand: the notice (done 10:14) is now due 10:13, so
/// done late, with a breach duty due 10:28; the records review starts when the notice goes
/// overdue (10:13), so it is due 10:28.
#[test]
fn the_duties_that_change_on_a_timeline() {
    let old = common::rules_in("protocols/supported-living");
    let new = vigil::compile(&sources("tests/fixtures/diff/supported-living-2026.2")).unwrap();
    let text = std::fs::read_to_string("examples/no-response-ladder.yaml").unwrap();
    let lines = diff::duty_changes(
        &old,
        &new,
        ("no-response-ladder.yaml", &text),
        &[],
        &vigil::Limits::default(),
    )
    .unwrap();
    assert!(
        lines.iter().any(
            |l| l.contains("notify_manager: was support_worker, done, due 10:18")
                && l.contains("now support_worker, done_late, due 10:13")
        ),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(
            |l| l.starts_with("+ P-0002/no_response/na1/notify_manager/breach")
                && l.contains("due 10:28")
        ),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(
            |l| l.contains("review_records") && l.contains("now duty_manager, done, due 10:28")
        ),
        "{lines:?}"
    );
}

/// `vigil migrate --to 2026.2` moves every protocol that still checks and leaves P-0217.
#[test]
fn migrate_moves_what_still_checks() {
    let dir = std::env::temp_dir().join(format!("vigil-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for s in sources("protocols/supported-living")
        .iter()
        .filter(|s| diff::person_of(s.text()).is_some())
    {
        let name = std::path::Path::new(s.name()).file_name().unwrap();
        std::fs::write(dir.join(name), s.text()).unwrap();
    }
    std::fs::copy(
        "tests/fixtures/diff/supported-living-2026.2/framework.vigil",
        dir.join("framework.vigil"),
    )
    .unwrap();
    std::fs::copy(
        "protocols/supported-living/p-0142-medication.test.yaml",
        dir.join("p-0142-medication.test.yaml"),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_vigil");
    let out = std::process::Command::new(bin)
        .args(["migrate", "--to", "2026.2", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("11 moved, 1 left as they were"), "{text}");
    assert!(
        text.contains("p-0217-capacity.vigil: not moved: under version 2026.2, E017"),
        "{text}"
    );
    let moved = std::fs::read_to_string(dir.join("p-0142-medication.vigil")).unwrap();
    assert!(moved.contains("under \"Example Supported Living\" version 2026.2 {"));
    // Its tests follow it to the new version.
    let test = std::fs::read_to_string(dir.join("p-0142-medication.test.yaml")).unwrap();
    assert!(test.contains("version: \"2026.2\""), "{test}");
    assert!(
        text.contains("p-0142-medication.test.yaml: its `version` moved to 2026.2"),
        "{text}"
    );
    let kept = std::fs::read_to_string(dir.join("p-0217-capacity.vigil")).unwrap();
    assert!(kept.contains("version 2026.1 {"));
    // The reason keeps the finding's help, as `vigil diff` gives it.
    assert!(text.contains("(help: "), "{text}");
    // 2026.2 says no `effective` date: nothing to warn of.
    assert!(!text.contains("comes into force"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Moving protocols to a version not yet in force says so: until its `effective` date no
/// version holds them, and events about those people before then are refused (a tester
/// migrated every protocol to 2027.1 and found December's timelines unreadable).
#[test]
fn migrate_to_a_version_not_yet_in_force_says_when_it_starts() {
    let dir = std::env::temp_dir().join(format!("vigil-migrate-2027-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = sources("protocols/supported-living")
        .into_iter()
        .find(|s| s.name().ends_with("p-0142-medication.vigil"))
        .unwrap();
    std::fs::write(dir.join("p-0142-medication.vigil"), p.text()).unwrap();
    std::fs::copy(
        "protocols/supported-living-2027/framework.vigil",
        dir.join("framework.vigil"),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["migrate", "--to", "2027.1", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("version 2027.1 comes into force on 2027-01-04: before then, events about the people moved"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Governance changes name whom a rule notifies and what it cites, and the review cycles and
/// vocabularies are compared too: from 2026.1 to 2027.1, `red_twice` notifies the operations
/// director instead of the nominated individual, the `wellbeing` cycle and the action
/// tracker's log are added, and the results grow. Each once went unreported.
#[test]
fn governance_cycles_and_vocabularies_are_compared() {
    let old = common::rules_in("protocols/supported-living");
    let new = common::rules_in("protocols/supported-living-2027");
    let changed = diff::changes(&old, &new);
    let find = |area: &str, name: &str| {
        changed
            .iter()
            .find(|c| c.area == area && c.name == name)
            .unwrap_or_else(|| panic!("no {area} {name} in {changed:#?}"))
    };
    let red = find("governance", "red_twice");
    assert!(
        red.before.contains("notify the nominated individual"),
        "{red:?}"
    );
    assert!(
        red.after.contains("notify the operations director"),
        "{red:?}"
    );
    assert_eq!(find("review cycle", "wellbeing").before, "");
    assert_eq!(find("vocabulary", "log action_tracker").before, "");
    assert!(find("vocabulary", "results")
        .after
        .contains("below_threshold"));
}

/// A timeline about a person whose protocol fails under the new framework cannot be judged
/// under it: the reason given is the protocol's failure, not the timeline's first unknown
/// name (a contact only that protocol declares). Here P-0217's 15-minute notice is laxer
/// than a new 5-minute framework step (E017), and examples/capacity-family-contact.yaml calls
/// its `brother`.
#[test]
fn a_timeline_about_a_failing_protocol_says_the_protocol_is_why() {
    let old = common::rules_in("protocols/supported-living");
    let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil")
        .unwrap()
        .replace(
            "step notify_manager: notify manager by support_worker within 15m\n",
            "step notify_manager: notify manager by support_worker within 5m\n",
        );
    let new = vigil::compile(&[vigil::Source::new("framework.vigil", framework)]).unwrap();
    let text = std::fs::read_to_string("examples/capacity-family-contact.yaml").unwrap();
    let name = "capacity-family-contact.yaml";
    let plain =
        diff::duty_changes(&old, &new, (name, &text), &[], &vigil::Limits::default()).unwrap_err();
    assert!(plain.contains("unknown contact `brother`"), "{plain}");
    let said = diff::duty_changes(
        &old,
        &new,
        (name, &text),
        &["P-0217"],
        &vigil::Limits::default(),
    )
    .unwrap_err();
    assert!(
        said.starts_with("cannot be judged under version 2026.1: the protocol of P-0217 fails under it (see Protocols above)"),
        "{said}"
    );
    assert!(said.contains("unknown contact `brother`"), "{said}");
    // A timeline the new rules can read without the protocol is judged, but its reader is
    // told first that the person's duties there are the framework's alone.
    let plain = "events:\n  - { at: \"2026-11-24T07:00:00Z\", person: P-0217, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: standard }\n  - { at: \"2026-11-24T08:05:00Z\", person: P-0217, kind: no_answer, visit: V1 }\n";
    let lines = diff::duty_changes(
        &old,
        &new,
        ("t.yaml", plain),
        &["P-0217"],
        &vigil::Limits::default(),
    )
    .unwrap();
    assert!(
        lines[0]
            .starts_with("! P-0217's protocol fails under version 2026.1 (see Protocols above)"),
        "{lines:?}"
    );
    // With nothing changed under the note, that is said too.
    let quiet = "events:\n  - { at: \"2026-11-24T07:00:00Z\", person: P-0217, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: standard }\n";
    let lines = diff::duty_changes(
        &old,
        &new,
        ("t.yaml", quiet),
        &["P-0217"],
        &vigil::Limits::default(),
    )
    .unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1], "no duty changes");
}

/// The framework's word lists are compared too: a red flag dropped (the emergency override no
/// longer fires on it) and a method a communication need newly rules out each show as a
/// change, never pass unseen.
#[test]
fn a_dropped_red_flag_and_a_newly_ruled_out_method_are_changes() {
    let text = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    let old = vigil::compile(&[vigil::Source::new("framework.vigil", text.clone())]).unwrap();
    let changed = text
        .replace(
            "red_flags person_seen_on_floor, no_signs_of_life,",
            "red_flags person_seen_on_floor,",
        )
        .replace(
            "communication no_phone \"Cannot use a phone\" rules out phone",
            "communication no_phone \"Cannot use a phone\" rules out phone, text",
        );
    let new = vigil::compile(&[vigil::Source::new("framework.vigil", changed)]).unwrap();
    let changes = diff::changes(&old, &new);
    let find = |name: &str| {
        changes
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no change to {name} in {changes:?}"))
    };
    let flags = find("red flags");
    assert!(flags.before.contains("no_signs_of_life") && !flags.after.contains("no_signs_of_life"));
    let need = find("communication no_phone");
    assert!(need.after.ends_with("rules out phone, text"), "{need:?}");
}

/// A timeline neither version reads is skipped with its first error, so that a typo is seen
/// for what it is (found by a docs-only tester: a one-letter typo read "skipped" and nothing
/// more).
#[test]
fn a_timeline_skipped_says_why() {
    let old = common::rules_in("protocols/supported-living");
    let new = vigil::compile(&sources("tests/fixtures/diff/supported-living-2026.2")).unwrap();
    let text = std::fs::read_to_string("examples/no-response-ladder.yaml")
        .unwrap()
        .replace("kind: no_answer", "kind: no_answr");
    let e = diff::duty_changes(
        &old,
        &new,
        ("typo.yaml", &text),
        &[],
        &vigil::Limits::default(),
    )
    .unwrap_err();
    assert!(
        e.starts_with("skipped: neither version reads it (another framework's timeline?): "),
        "{e}"
    );
    assert!(e.contains("unknown event kind `no_answr`"), "{e}");
}

/// A calendar's hours are said as the language writes them: days alike in a row as one range
/// (`Mon-Fri 08:00-18:00`), a window into the next morning every day as `daily 20:00-08:00`
/// (each window was listed by itself, `mon 08:00-mon 18:00`, ...).
#[test]
fn calendars_are_said_as_they_are_written() {
    let text = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    let old = vigil::compile(&[Source::new("framework.vigil", text.clone())]).unwrap();
    let changed = text
        .replace(
            "    Mon-Fri 08:00-18:00\n",
            "    Mon-Fri 08:00-18:00\n    Sat 09:00-13:00\n",
        )
        .replace("{ daily 20:00-08:00 }", "{ daily 21:00-08:00 }");
    let new = vigil::compile(&[Source::new("framework.vigil", changed)]).unwrap();
    let said: Vec<(String, String, String)> = diff::changes(&old, &new)
        .into_iter()
        .filter(|c| c.area == "calendar")
        .map(|c| (c.name.clone(), c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "night_time".to_string(),
                "daily 20:00-08:00; bank holidays as any other day".to_string(),
                "daily 21:00-08:00; bank holidays as any other day".to_string()
            ),
            (
                "office_hours".to_string(),
                "Mon-Fri 08:00-18:00; bank holidays closed".to_string(),
                "Mon-Fri 08:00-18:00, Sat 09:00-13:00; bank holidays closed".to_string()
            ),
        ]
    );
}
