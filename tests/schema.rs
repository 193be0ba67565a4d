//! The decision and timeline JSON Schemas under `schema/` describe what Vigil really reads and
//! writes: every scenario's decision, and every example timeline, validates against them.
//! The validator covers the keywords the schemas use (type, required, properties,
//! additionalProperties, items, enum, pattern, $ref to $defs), and fails on any other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

use serde_json::Value;

fn validate(schema: &Value, root: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    for key in obj.keys() {
        let known = [
            "$schema",
            "$id",
            "title",
            "description",
            "type",
            "required",
            "properties",
            "additionalProperties",
            "items",
            "enum",
            "pattern",
            "$ref",
            "$defs",
        ];
        assert!(
            known.contains(&key.as_str()),
            "schema keyword `{key}` is not supported here"
        );
    }
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        validate(&root["$defs"][name], root, v, path, errors);
        return;
    }
    if let Some(t) = obj.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{path}: {v} is not {types:?}"));
            return;
        }
    }
    if let (Some(p), Some(s)) = (obj.get("pattern").and_then(Value::as_str), v.as_str()) {
        if !regex::Regex::new(p).unwrap().is_match(s) {
            errors.push(format!("{path}: `{s}` does not match {p}"));
        }
    }
    if let Some(e) = obj.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{path}: {v} is not one of {e:?}"));
        }
    }
    if let Some(m) = v.as_object() {
        if let Some(req) = obj.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !m.contains_key(r) {
                    errors.push(format!("{path}: missing `{r}`"));
                }
            }
        }
        let props = obj.get("properties").and_then(Value::as_object);
        for (k, val) in m {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, val, &format!("{path}.{k}"), errors),
                None if obj.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: unexpected `{k}`"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(a)) = (obj.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            validate(items, root, x, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("schema/{name}")).unwrap()).unwrap()
}

mod common;

fn examples() -> Vec<std::path::PathBuf> {
    common::example_timelines()
}

#[test]
fn decisions_match_the_decision_schema_and_read_back() {
    let schema = schema("decision.schema.json");
    let mut checked = 0;
    for path in examples() {
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
            let mut errors = Vec::new();
            validate(&schema, &schema, &decision, "$", &mut errors);
            assert!(errors.is_empty(), "{name} at {at}: {errors:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn example_timelines_match_the_timeline_schema() {
    let schema = schema("timeline.schema.json");
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        let mut errors = Vec::new();
        validate(&schema, &schema, &value, "$", &mut errors);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_validator_rejects_what_it_should() {
    let schema = schema("decision.schema.json");
    let bad = serde_json::json!({"as_of": "2026-11-24T08:41:00+00:00", "ruleset": {}, "extra": 1});
    let mut errors = Vec::new();
    validate(&schema, &schema, &bad, "$", &mut errors);
    assert!(errors.iter().any(|e| e.contains("does not match")));
    assert!(errors.iter().any(|e| e.contains("missing `obligations`")));
    assert!(errors.iter().any(|e| e.contains("unexpected `extra`")));
}
