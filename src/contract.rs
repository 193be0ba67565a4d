//! The JSON contract: what a host reads and writes (decisions, timelines, the check report,
//! error documents). Its version, named in each as `contract`; the shape of one problem in an
//! error document; and the schema pieces the contract's types share (what an instant is), so
//! that every stage can describe its JSON without naming the others.

/// The version of the JSON contract this Vigil writes and reads: `MAJOR.MINOR`. A minor step
/// only adds (a new field; a new value where the docs say values may grow); anything else is
/// a major step. CHANGELOG.md lists each.
///
/// ```
/// assert!(vigil::CONTRACT.starts_with("1."));
/// ```
pub const CONTRACT: &str = "1.1";

/// One problem, in the shape the command line's JSON error document gives it
/// (docs/decision.md): a stable code, the message, and where, when it is in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// `E017`, `W003`, `T003`, or `bank-holidays`.
    pub code: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// The file (as named to Vigil), when the problem is in one.
    pub file: Option<String>,
    /// One-based line.
    pub line: Option<usize>,
    /// One-based column.
    pub column: Option<usize>,
    /// For a timeline error: the field to blame (`events[3].visit`).
    pub field: Option<String>,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
}

/// The schema pieces the contract's types share (the `schema` feature).
#[cfg(feature = "schema")]
mod parts {
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use serde_json::Value;

    /// The pattern every instant in the contract matches: RFC 3339 with an explicit offset.
    const INSTANT: &str =
        r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$";

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
    /// (how it ended, the episodes a hand-over links, a shared decision's deciders, and the
    /// route or location a governance duty was counted over). The schema tests validate every example
    /// decision, so a field added to one list and not the other fails them.
    pub(crate) fn all_required_but_endings(schema: &mut Schema) {
        all_required(schema);
        let optional = [
            "outcome",
            "handed_over_to",
            "handed_over_from",
            "deciders",
            "counted_route",
            "counted_location",
        ];
        if let Some(Value::Array(names)) = schema.get_mut("required") {
            names.retain(|n| n.as_str().is_none_or(|n| !optional.contains(&n)));
        }
    }
}

#[cfg(feature = "schema")]
pub(crate) use parts::{all_required, all_required_but_endings, InstantText, Staff};
