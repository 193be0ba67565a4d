//! The JSON Schemas of the contract, generated from the types that read and write it (the
//! `schema` feature, on by default). `schema/decision.schema.json` and
//! `schema/timeline.schema.json` are these, written out; `tests/schema.rs` fails when the files
//! drift from the types, and `VIGIL_BLESS=1 cargo test --test schema` writes them again.

use schemars::Schema;
use serde_json::Value;

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

/// The audit's schema (`schema/audit.schema.json`): what `vigil audit --format json` writes.
///
/// ```
/// let schema = vigil::schema::audit();
/// assert_eq!(schema["properties"]["duties"]["type"], "array");
/// ```
pub fn audit() -> Value {
    document(
        schemars::schema_for!(crate::audit::Audit),
        "audit.schema.json",
        "Vigil audit",
        "What `vigil audit --format json` writes and `vigil::audit::Audit::of` returns: every duty \
         of a period with its outcome, the tallies per role, person, route, location and review \
         cycle, and the visits week by week (docs/audit.md). Outside the versioned contract for \
         now: fields may change.",
    )
}
