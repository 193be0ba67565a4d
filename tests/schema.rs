//! The decision and timeline JSON Schemas under `schema/` are generated from the types Vigil
//! reads and writes with (schemars), and must not drift from them; and what Vigil really
//! reads and writes validates against them: every scenario's decision and every example
//! timeline, checked with the `jsonschema` crate (draft 2020-12).
//!
//! `VIGIL_BLESS=1 cargo test --test schema` writes the files again after a change to the types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

use serde_json::Value;

mod common;

fn schema(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("schema/{name}")).unwrap()).unwrap()
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&schema(name)).unwrap()
}

/// Every way `value` breaks the schema, one line each.
fn errors(v: &jsonschema::Validator, value: &Value) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_files_are_the_types_schemas() {
    for (name, generated) in [
        ("decision.schema.json", vigil::schema::decision()),
        ("timeline.schema.json", vigil::schema::timeline()),
        ("audit.schema.json", vigil::schema::audit()),
    ] {
        let text = format!("{}\n", serde_json::to_string_pretty(&generated).unwrap());
        let path = format!("schema/{name}");
        if std::env::var_os("VIGIL_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(
            on_disk == text,
            "{path} has drifted from the types; run `VIGIL_BLESS=1 cargo test --test schema` and review the diff"
        );
    }
}

#[test]
fn decisions_match_the_decision_schema_and_read_back() {
    let v = validator("decision.schema.json");
    let mut checked = 0;
    for path in common::example_timelines() {
        let text = std::fs::read_to_string(&path).unwrap();
        let rs = common::rules_in(&common::rules_dir(&text));
        let name = path.display().to_string();
        let tl = vigil::timeline::Timeline::load(
            &text,
            vigil::timeline::Format::from_name(&name),
            &name,
            &rs,
        )
        .unwrap();
        for at in common::header_instants(&text) {
            let made = rs.evaluate(&tl, at);
            let json = made.to_json();
            // The contract reads back: the same decision, and the same bytes written again.
            let read: vigil::eval::Decision = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{name} at {at}: the decision does not read back: {e}"));
            assert_eq!(read, made, "{name} at {at}");
            assert_eq!(read.to_json(), json, "{name} at {at}");
            let decision: Value = serde_json::from_str(&json).unwrap();
            let found = errors(&v, &decision);
            assert!(found.is_empty(), "{name} at {at}: {found:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked}");
}

#[test]
fn example_timelines_match_the_timeline_schema() {
    let v = validator("timeline.schema.json");
    for path in common::example_timelines() {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        let found = errors(&v, &value);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_schemas_refuse_what_vigil_refuses() {
    let decision = validator("decision.schema.json");
    let bad = serde_json::json!({"as_of": "2026-11-24T08:41:00", "ruleset": {}});
    let found = errors(&decision, &bad).join("\n");
    assert!(found.contains("obligations"), "{found}");
    assert!(found.contains("does not match"), "{found}");

    let timeline = validator("timeline.schema.json");
    for (bad, why) in [
        (
            serde_json::json!({"events": [{"at": "2026-11-24T08:05:00", "person": "P", "kind": "no_answer"}]}),
            "no offset",
        ),
        (
            serde_json::json!({"events": [{"at": "2026-11-24T08:05:00Z", "person": "P"}]}),
            "no kind",
        ),
        (
            serde_json::json!({"events": [{"at": "2026-11-24T08:05:00Z", "person": "P", "kind": "no_answer", "vist": "V1"}]}),
            "unknown attribute",
        ),
        (
            serde_json::json!({"events": [{"at": "2026-11-24T08:05:00Z", "person": "P", "kind": "contact_attempt", "method": "pigeon"}]}),
            "unknown method",
        ),
        (
            serde_json::json!({"events": [], "extra": 1}),
            "unknown top-level key",
        ),
        (
            serde_json::json!({"contract": "2.0", "events": []}),
            "another major version",
        ),
    ] {
        assert!(!timeline.is_valid(&bad), "{why}: {bad}");
    }
}

/// A decision a newer Vigil writes, with a field this one does not know, is still valid: the
/// schema does not forbid additions (docs/decision.md, Compatibility).
#[test]
fn the_decision_schema_allows_additions() {
    let v = validator("decision.schema.json");
    let rs = common::bundled_rules();
    let text = std::fs::read_to_string("examples/brief-gmt-weekday.yaml").unwrap();
    let tl =
        vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Yaml, "t", &rs).unwrap();
    let mut d: Value = serde_json::from_str(
        &rs.evaluate(&tl, "2026-11-24T08:41:00Z".parse().unwrap())
            .to_json(),
    )
    .unwrap();
    d["a_new_field"] = Value::Bool(true);
    d["obligations"][0]["another"] = Value::from(1);
    assert!(errors(&v, &d).is_empty());
}

/// A decision of another major version is refused when read back, not misread.
#[test]
fn a_decision_of_another_major_version_is_refused() {
    let rs = common::bundled_rules();
    let text = std::fs::read_to_string("examples/brief-gmt-weekday.yaml").unwrap();
    let tl =
        vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Yaml, "t", &rs).unwrap();
    let json = rs
        .evaluate(&tl, "2026-11-24T08:41:00Z".parse().unwrap())
        .to_json();
    let ours = format!("\"contract\": \"{}\"", vigil::CONTRACT);
    let other = json.replacen(&ours, "\"contract\": \"2.0\"", 1);
    assert_ne!(other, json);
    let err = serde_json::from_str::<vigil::eval::Decision>(&other).unwrap_err();
    assert!(err.to_string().contains("contract `2.0`"), "{err}");
}

/// What `vigil audit --format json` writes matches the audit schema: the hand-worked day and a
/// simulated month (every outcome, grouping and week).
#[test]
fn audits_match_the_audit_schema() {
    let v = validator("audit.schema.json");
    let dir = std::env::temp_dir().join(format!("vigil-schema-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let month = dir.join("month.ndjson");
    let sim = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["simulate", "--people", "20", "--days", "28", "--seed", "3"])
        .output()
        .unwrap();
    std::fs::write(&month, &sim.stdout).unwrap();
    for timeline in [
        std::path::PathBuf::from("examples/audit-day.yaml"),
        month.clone(),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args([
                "audit",
                "protocols/supported-living",
                "--format",
                "json",
                "--timeline",
            ])
            .arg(&timeline)
            .output()
            .unwrap();
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            errors(&v, &value),
            Vec::<String>::new(),
            "{}",
            timeline.display()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
