//! A value of the wrong kind (a number where text goes, a list where one value goes), said in
//! plain words with what to write: one wording for the JSON and YAML readers' errors
//! (`unreadable.rs`) and NDJSON lines (`ndjson.rs`).

/// Where a timeline's shape is described, for help lines.
pub(super) const SHAPE_DOC: &str = "docs/decision.md, \"The timeline\"";

/// The help for a message not matched: the shape of a timeline.
pub(super) fn general_help() -> String {
    format!("a timeline is a map with `events:`, a list of events, each a map of fields: see {SHAPE_DOC}")
}

/// The reader's `invalid type: FOUND, expected WHAT` for the value of `field` (a path such
/// as `events[2].reason`, or empty), in plain words with what to write (as JSON writes it if
/// `json`, else as YAML does); `None` for any other message. NDJSON lines are told the same
/// as JSON and YAML files.
pub(super) fn wrong_type(body: &str, field: &str, json: bool) -> Option<(String, String)> {
    let rest = body.strip_prefix("invalid type: ")?;
    let (found_raw, expected) = rest.split_once(", expected ")?;
    let found = plain_found(found_raw);
    let key = field.rsplit('.').next().unwrap_or(field);
    // One value of the wrong kind (a number, a yes/no, a blank) where text goes is not
    // "not one value": it wants quotes.
    let scalar = ["integer ", "floating point ", "boolean "]
        .iter()
        .any(|p| found_raw.starts_with(p))
        || matches!(found_raw, "unit value" | "null");
    let (message, help) = match expected {
        "struct EventInput" => (
            format!("each event is a map of fields (`at:`, `person:`, `kind:` …), not {found}"),
            "write each event's fields under its `- `, one per line: `at:`, `person:`, `kind:` …"
                .to_string(),
        ),
        "struct TimelineInput" => (
            format!("a timeline is a map with `events:`, not {found}"),
            general_help(),
        ),
        "a sequence" => (
            format!("{found}, where a list is expected"),
            match key {
                "persons" if json => "write a list: `\"persons\": [\"P-0001\"]`".to_string(),
                "persons" => "write a list: `persons: [P-0001]`".to_string(),
                "events" => "write the events as a list, each starting with `- `".to_string(),
                _ => "write a list: `[first, second]`".to_string(),
            },
        ),
        "a string" if scalar => (
            format!("{found}, where text is expected"),
            match key {
                "" => general_help(),
                _ => format!("write it as text, in double quotes: `\"{key}\": \"...\"`"),
            },
        ),
        "a string" => (
            format!("{found}, where one value is expected"),
            match key {
                "person" if json => {
                    "an event is about one person: write their id, `\"person\": \"P-0001\"`"
                        .to_string()
                }
                "person" => {
                    "an event is about one person: write their id, `person: P-0001`".to_string()
                }
                "" => general_help(),
                _ if json => format!("write one value: `\"{key}\": \"...\"`"),
                _ => format!("write one value: `{key}: ...`"),
            },
        ),
        e if e.starts_with("a map") => (
            format!("{found}, where a map is expected"),
            "write each attribute's name and value: `attributes: { urgency: urgent }`".to_string(),
        ),
        e => (format!("{found}, where {e} is expected"), general_help()),
    };
    Some((message, help))
}

/// What serde says it found, in plain words: `sequence` is a list, `string "P-1"` is the
/// text `P-1`.
fn plain_found(found: &str) -> String {
    let quoted = |s: &str| s.trim_matches(|c| c == '"' || c == '`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the text `{}`", quoted(s));
    }
    for (prefix, words) in [
        ("integer ", "the number"),
        ("floating point ", "the number"),
        ("boolean ", ""),
    ] {
        if let Some(s) = found.strip_prefix(prefix) {
            return format!("{words} `{}`", quoted(s)).trim().to_string();
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a map".into(),
        "unit value" | "null" => "blank (null)".into(),
        other => other.to_string(),
    }
}
