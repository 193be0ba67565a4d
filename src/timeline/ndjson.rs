//! Reading a timeline written as NDJSON: one JSON object per line, as a host appends its log
//! (`examples/embed.rs`) and as care systems export events. The first line may be a header
//! (`contract`, `as_of`, `from`, `persons`: a line with no `kind`); every other line is one
//! event. A bad line is reported at its own line, and every bad line is reported, not only the
//! first.

use serde::Deserialize;

use super::error::{ErrorCode, TimelineError};
use super::input::{EventInput, TimelineInput};

/// The most bad lines reported one by one: a file of garbage says so without a million errors.
const MAX_REPORTED: usize = 100;

/// What a header line may say.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    #[serde(default)]
    contract: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    persons: Vec<String>,
    /// A host's header written from an empty timeline carries `"events": []`: how a log says
    /// that nothing has happened yet.
    #[serde(default)]
    events: Option<Vec<serde::de::IgnoredAny>>,
}

/// The timeline `text` holds, or every line's error, within `limits` (a line's length, the
/// number of events: past it, reading stops there).
pub(super) fn read(
    text: &str,
    file: &str,
    limits: &crate::limits::Limits,
) -> Result<TimelineInput, Vec<TimelineError>> {
    let line_chars = limits.line_chars;
    let mut out = TimelineInput::default();
    // One event a line: room for them all at once, so a long log is not held twice over while
    // the list doubles (the lines are counted far faster than they are read).
    let lines = text.bytes().filter(|b| *b == b'\n').count() + 1;
    out.events.reserve_exact(lines.min(limits.events));
    let mut errors: Vec<TimelineError> = Vec::new();
    let mut seen_first = false;
    // The header's line, if there is one, and whether it says nothing has happened yet.
    let (mut header_line, mut said_empty) = (0, false);
    // Event lines so far, read or not: an event's index, as the errors name it.
    let mut event_lines = 0;
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if n == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        let first = !seen_first;
        seen_first = true;
        let at = n + 1;
        if errors.len() >= MAX_REPORTED {
            // Said, not left silent: the lines after are not read at all.
            errors.push(error(
                file,
                at,
                1,
                (
                    format!("this line and those after it were not read: reading stops after {MAX_REPORTED} errors"),
                    Some("fix the lines above, or check that this is the right file, then run again".into()),
                ),
            ));
            break;
        }
        let depth = limits.nesting().min(super::depth::JSON_DEPTH);
        if line.len() > line_chars && line.chars().count() > line_chars {
            errors.push(error(file, at, line_chars + 1, too_long(line, line_chars)));
        } else if let Some(mut e) = super::depth::nested(line, depth, file, true) {
            // Placed on this line, not on the line's own first line.
            for err in &mut e {
                err.line = at;
            }
            errors.extend(e);
        } else if out.events.len() == limits.events {
            errors.push(error(file, at, 1, too_many(limits.events)));
            break;
        } else if first && is_header(line) {
            header_line = at;
            match header(line, &mut out) {
                Ok(empty) => said_empty = empty,
                Err(e) => errors.push(error(file, at, e.1, e.0)),
            }
        } else {
            // An event first: a header line after the first would read as an event with no
            // `kind` (or, with a field no event has, not at all), and only then is it worth a
            // second look.
            let read = super::flat::event(line)
                .map_or_else(|| serde_json::from_str::<EventInput>(line), Ok);
            event_lines += 1;
            let headerish = match &read {
                Ok(event) => event.kind.is_none(),
                Err(_) => true,
            };
            if headerish && header_only(line) {
                errors.push(error(
                    file,
                    at,
                    1,
                    (
                        "a header line (no `kind`) after the first line".into(),
                        Some("the header, if any, is the first line; every line after it is one event with its `kind`".into()),
                    ),
                ));
            } else {
                match read {
                    Ok(event) => out.events.push(event),
                    Err(e) => {
                        let mut error = error(file, at, e.column(), line_words(&e, line));
                        error.field = key_before(line, e.column())
                            .filter(|_| e.is_data())
                            .map(|k| format!("events[{}].{k}", event_lines - 1));
                        errors.push(error);
                    }
                }
            }
        }
    }
    // A header and nothing after it is a log cut short as often as a quiet day: it must say
    // which, as an empty YAML timeline says `events: []`.
    if errors.is_empty() && out.events.is_empty() && header_line > 0 && !said_empty {
        errors.push(TimelineError {
            code: ErrorCode::Empty,
            file: file.to_string(),
            line: header_line,
            column: 1,
            field: None,
            message: "the log has a header line and no events".into(),
            help: Some("if nothing has happened yet, say so in the header with `\"events\": []`; otherwise the log was cut short".into()),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A line saying only what a header says (`from`, `persons`, ...): one written after an event.
fn header_only(line: &str) -> bool {
    const HEADER: [&str; 5] = ["contract", "as_of", "from", "persons", "events"];
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line)
        .is_ok_and(|m| !m.is_empty() && m.keys().all(|k| HEADER.contains(&k.as_str())))
}

/// A first line with no `kind` is the header, unless it says when and whom (`at`, `person`):
/// then it is an event that lost its `kind`, and is told so as any other line is.
pub(super) fn is_header(line: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line).is_ok_and(|m| {
        !m.contains_key("kind") && !m.contains_key("at") && !m.contains_key("person")
    })
}

/// Take the header's fields into `out`, or say what is wrong with it (message, help) and the
/// column.
/// Returns whether the header says, with `"events": []`, that nothing has happened yet.
pub(super) fn header(
    line: &str,
    out: &mut TimelineInput,
) -> Result<bool, ((String, Option<String>), usize)> {
    let h: Header = serde_json::from_str(line).map_err(|e| {
        let help = "the first line may say `contract`, `as_of`, `from` and `persons`; every other line is one event";
        let raw = own_words(&e);
        let key = key_before(line, e.column()).unwrap_or_default();
        let key = key.as_str();
        let said = super::wrong_type::wrong_type(&raw, key, true)
            .map(|(message, help)| (format!("`{key}` is {message}"), Some(help)))
            .or_else(|| {
                raw.strip_prefix("unknown field `")
                    .and_then(|r| r.split('`').next())
                    .map(|name| (format!("unknown key `{name}` in the header line"), Some(help.to_string())))
            })
            .unwrap_or((raw, Some(help.to_string())));
        (said, e.column())
    })?;
    if h.events.as_ref().is_some_and(|e| !e.is_empty()) {
        return Err((
            (
                "the header line holds events".to_string(),
                Some("write each event on its own line after the header".to_string()),
            ),
            1,
        ));
    }
    out.contract = h.contract;
    out.as_of = h.as_of;
    out.from = h.from;
    out.persons = h.persons;
    Ok(h.events.is_some())
}

/// The reader's message without its own "at line 1 column 9": each line is read alone, so its
/// line is always 1; the error gives the file's line instead.
fn own_words(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((words, _)) => words.to_string(),
        None => text,
    }
}

fn too_many(limit: usize) -> (String, Option<String>) {
    (
        format!("this event is past the {limit} events one timeline may hold"),
        Some(
            "split the log by day or by month; if it is meant, raise the limit with --max-events"
                .into(),
        ),
    )
}

/// The path within the line (`reason`, `attributes.urgency`) of the value the JSON reader
/// stopped at, `column` being where it says (1-based, in bytes): the field an error about a
/// value, or a key given twice, is about.
fn key_before(line: &str, column: usize) -> Option<String> {
    Some(super::json_path::at(line, column)).filter(|k| !k.is_empty())
}

/// What is wrong with a line the JSON reader refused, in words, and what to do.
fn line_words(e: &serde_json::Error, line: &str) -> (String, Option<String>) {
    let raw = own_words(e);
    // A value of the wrong kind is said as in a JSON or YAML file (the error names its key).
    if e.is_data() {
        if let Some(key) = key_before(line, e.column()) {
            if let Some((message, help)) = super::wrong_type::wrong_type(&raw, &key, true) {
                return (message, Some(help));
            }
        }
        // A key given twice is refused, never settled by the last (`duplicate attribute` is
        // the attributes' own reader saying it).
        for twice in ["duplicate field `", "duplicate attribute `"] {
            if let Some(name) = raw.strip_prefix(twice).and_then(|r| r.split('`').next()) {
                return (
                    format!("`{name}` is written twice"),
                    Some("write each field once".to_string()),
                );
            }
        }
    }
    let (message, help) = if e.is_eof() {
        (
            "the line ends before its event does".to_string(),
            "each event is one whole line: is a `}` or a closing `\"` missing, or is the event split over two lines?",
        )
    } else if raw.starts_with("key must be a string") {
        (
            "a field's name is not in double quotes".to_string(),
            "write each field as \"name\": value, the name in double quotes",
        )
    } else if e.is_syntax() || raw.contains("expected struct") || raw.contains("sequence") {
        (
            "the line is not a JSON object of one event".to_string(),
            "each line is one event, a JSON object such as {\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-1\", \"kind\": \"no_answer\"}",
        )
    } else {
        return (raw, None);
    };
    (message, Some(help.to_string()))
}

fn too_long(line: &str, limit: usize) -> (String, Option<String>) {
    (
        format!(
            "the line is {} characters long, more than the {limit} a line may hold",
            line.chars().count()
        ),
        Some("one event is a few hundred characters: is this the right file? If it is, raise the limit with --max-line-chars".into()),
    )
}

fn error(
    file: &str,
    line: usize,
    column: usize,
    (message, help): (String, Option<String>),
) -> TimelineError {
    TimelineError {
        code: ErrorCode::Unreadable,
        file: file.to_string(),
        line,
        column: column.max(1),
        field: None,
        message,
        help: help.or_else(|| {
            Some("each line is one event, a JSON object such as {\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-1\", \"kind\": \"no_answer\"}".into())
        }),
    }
}
