//! The JSON Schemas of the contract, generated from the types that read and write it (the
//! `schema` feature, on by default). `schema/decision.schema.json` and
//! `schema/timeline.schema.json` are these, written out; `tests/schema.rs` fails when the files
//! drift from the types, and `VIGIL_BLESS=1 cargo test --test schema` writes them again.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

/// The pattern every instant in the contract matches: RFC 3339 with an explicit offset.
const INSTANT: &str = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$";

/// An instant as the contract writes it (`2026-11-24T08:35:00Z`): what the decision's and the
/// timeline's instant fields are, for the schema.
pub(crate) struct InstantText;

impl JsonSchema for InstantText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An instant: RFC 3339 with an explicit offset (`2026-11-24T08:35:00Z`).",
            "pattern": INSTANT,
        })
    }
}

/// The number of carers a visit needs: a whole number, or one written as text.
pub(crate) struct Staff;

impl JsonSchema for Staff {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Staff".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["integer", "string"],
            "description": "How many carers the visit needs (1 to 20).",
        })
    }
}

/// Every property of the object is required: the contract always writes it, `null` when it
/// has no value.
pub(crate) fn all_required(schema: &mut Schema) {
    let names: Vec<Value> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().map(Value::String).collect())
        .unwrap_or_default();
    schema.insert("required".into(), Value::Array(names));
}

/// An obligation's properties are all required but those written only when they have a value
/// (how it ended, and the episodes a hand-over links). The schema tests validate every example
/// decision, so a field added to one list and not the other fails them.
pub(crate) fn all_required_but_endings(schema: &mut Schema) {
    all_required(schema);
    let optional = ["outcome", "handed_over_to", "handed_over_from"];
    if let Some(Value::Array(names)) = schema.get_mut("required") {
        names.retain(|n| n.as_str().is_none_or(|n| !optional.contains(&n)));
    }
}

fn document(mut schema: Schema, id: &str, title: &str, description: &str) -> Value {
    schema.insert(
        "$id".into(),
        Value::String(format!("https://vigil.example/schema/{id}")),
    );
    schema.insert("title".into(), Value::String(title.into()));
    schema.insert("description".into(), Value::String(description.into()));
    schema.to_value()
}

/// The decision's schema (`schema/decision.schema.json`).
///
/// ```
/// let schema = vigil::schema::decision();
/// assert_eq!(schema["properties"]["contract"]["type"], "string");
/// ```
pub fn decision() -> Value {
    document(
        schemars::schema_for!(crate::eval::Decision),
        "decision.schema.json",
        "Vigil decision",
        "What `vigil eval --format json` writes and `RuleSet::evaluate` returns: every obligation at \
         `as_of`, every watched visit, and when to ask again. Fields may be added within a \
         contract major version (docs/decision.md, Compatibility): readers should ignore fields \
         they do not know.",
    )
}

/// The timeline's schema (`schema/timeline.schema.json`).
///
/// ```
/// let schema = vigil::schema::timeline();
/// assert_eq!(schema["required"][0], "events");
/// ```
pub fn timeline() -> Value {
    document(
        schemars::schema_for!(crate::timeline::TimelineInput),
        "timeline.schema.json",
        "Vigil timeline",
        "What `vigil eval --timeline` reads (YAML or JSON) and a feed's log holds. Instants are \
         RFC 3339 with an explicit offset. Which attributes apply to which kind is listed in \
         docs/decision.md; names (roles, contacts, logs, agencies, visits, people) are checked \
         against the rule set.",
    )
}
