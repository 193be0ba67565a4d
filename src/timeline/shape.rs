//! Phase three: each event's fields against its kind, before any name in it is looked up. An
//! event whose shape is wrong is not resolved further, so one mistake is reported once.

use super::error::ErrorCode;
use super::input::{attribute_names, kind_attributes, kinds, EventInput, KindRow};
use super::loader::Loader;
use crate::time::Instant;
use crate::wording::a_or_an;

/// An event whose fields fit its kind.
pub(super) struct Shaped {
    /// The kind, as the table of kinds spells it.
    pub kind: &'static str,
    /// When it happened.
    pub at: Instant,
}

/// Check event `i`'s attributes, kind and instant, reporting every problem; `None` if there
/// was any.
pub(super) fn check(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> Option<Shaped> {
    let known = known_attributes(ld, i, e);
    let row = kind(ld, i, e);
    let (true, Some(row)) = (known, row) else {
        // An unknown key may be a required one misspelt, so what the kind requires is not
        // judged; but the kind and the instant are, in the same run (found by a docs-only
        // tester: an unknown key hid a timestamp without its offset until a second run).
        if let Some(at) = e.at.as_deref() {
            let _ = ld.instant(Some(i), "at", at);
        }
        return None;
    };
    let (kind, required, optional) = (row.name, row.required, row.optional);
    // Messages name the kind as the timeline writes it, a declared trigger's own name too.
    let written = e.kind.as_deref().unwrap_or(kind);
    let given = e.given_mask();
    let fits = given & row.required_mask == row.required_mask && given & !row.allowed_mask == 0;
    // Both are checked, so that a missing and a misplaced attribute are reported together.
    let has_required = fits || required_given(ld, i, e, written, required);
    let all_apply = fits || given_apply(ld, i, e, written, required, optional);
    // A missing `at` is reported at the event's first line: there is no line of its own.
    let Some(at_text) = e.at.as_deref() else {
        ld.error(
            ErrorCode::MissingField,
            Some(i),
            "at",
            "every event has an instant `at`",
            Some("write when it happened, with its offset: `at: 2026-11-24T08:05:00Z`".into()),
        );
        return None;
    };
    // The instant is read even when the shape is wrong, so that its own error is reported
    // in the same run.
    let at = ld.instant(Some(i), "at", at_text);
    // Nearly every event: printable ASCII, nothing blank; else each text is looked at.
    let quick = e.all_plain();
    let plain = quick || plain_text(ld, i, e);
    let filled = quick || filled(ld, i, e, written, (required, optional));
    let note = note_is_text(ld, i, e);
    if !(has_required && all_apply && plain && filled && note) {
        return None;
    }
    Some(Shaped { kind, at: at? })
}

/// A `note` is free text (a number or a yes/no reads as text too), never a list or a map:
/// one would hide what it holds from every check on text (found by a docs-only tester: a
/// control character in a list passed).
fn note_is_text(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> bool {
    let shape = match &e.note {
        Some(serde_json::Value::Array(_)) => "a list",
        Some(serde_json::Value::Object(_)) => "a map",
        _ => return true,
    };
    ld.error(
        ErrorCode::UnknownValue,
        Some(i),
        "note",
        format!("`note` is {shape}, not text"),
        Some("write the note as one piece of text, in quotes: \"called the GP, no reply\"".into()),
    );
    false
}

/// Free text for people, where a line break or a tab is part of what was written.
/// (An alert's text is shown and never matched, like a reason; a route or a location is
/// compared as written to group governance counts, so it is a name: found by a docs-only
/// tester, the docs had called all three free text.)
const FREE_TEXT: [&str; 5] = ["reason", "task", "note", "where", "alert"];

/// False after reporting each text that holds a character it may not: a control character,
/// which could clear or rewrite the screen of whatever prints it (the duty list, a CSV opened
/// in a terminal), hiding the OVERDUE lines; a bidirectional control, which reorders what is
/// shown; and in an id or a name, an invisible character (see `chars.rs`). Refused when read,
/// never passed on.
fn plain_text(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> bool {
    let mut plain = true;
    for (name, text) in e.texts() {
        // Nearly every value is printable ASCII: fine as a name and as free text alike.
        if super::chars::printable_ascii(text) {
            continue;
        }
        let free = FREE_TEXT.contains(&name.as_ref());
        if let Some((what, help)) = super::chars::refused(text, free) {
            plain = false;
            let message = format!("`{name}` {what}");
            ld.error(
                ErrorCode::UnknownValue,
                Some(i),
                &name,
                message,
                Some(help.into()),
            );
        }
    }
    plain
}

/// False after reporting each value written blank (empty, or only spaces, tabs and line
/// breaks), at its own key: a name or a reason written as `""` says nothing, and was let
/// through as given (found by a docs-only tester: `reason: ""` cancelled a visit). A note may
/// be blank: it is the one text nothing reads.
fn filled(
    ld: &mut Loader<'_>,
    i: usize,
    e: &EventInput,
    kind: &str,
    (required, optional): (&[&str], &[&str]),
) -> bool {
    let mut filled = true;
    for (name, text) in e.texts() {
        if name == "note" || !text.trim().is_empty() {
            continue;
        }
        // One the kind does not take is reported as such, once.
        let every = ["id", "at", "person", "kind"];
        let name_ref: &str = &name;
        if !name_ref.starts_with("attributes.")
            && ![every.as_slice(), required, optional]
                .iter()
                .any(|l| l.contains(&name_ref))
        {
            continue;
        }
        // A trigger's attribute names are given as they are, and only their values can be
        // blank.
        let Some(attribute) = name.strip_prefix("attributes.") else {
            filled = false;
            let (message, help) = if required.contains(&name.as_ref()) {
                (
                    format!(
                        "`{name}` is blank, and {} `{kind}` event needs it",
                        a_or_an(kind)
                    ),
                    required_help(ld.rs, &name),
                )
            } else {
                (
                    format!("`{name}` is blank"),
                    format!("write what it is, or leave `{name}` out"),
                )
            };
            ld.error(ErrorCode::MissingField, Some(i), &name, message, Some(help));
            continue;
        };
        if e.attributes
            .as_ref()
            .is_some_and(|a| a.get(attribute).is_some_and(serde_json::Value::is_string))
        {
            filled = false;
            ld.error(
                ErrorCode::MissingField,
                Some(i),
                "attributes",
                format!("the attribute `{attribute}` is blank"),
                Some(format!(
                    "write its value, or leave `{attribute}` out if the trigger does not need it"
                )),
            );
        }
    }
    filled
}

/// False after reporting each attribute no kind takes, at its own line.
fn known_attributes(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> bool {
    for name in e.unknown.keys() {
        let names = attribute_names();
        let help = Loader::suggest(name, names.iter().copied());
        ld.error(
            ErrorCode::UnknownAttribute,
            Some(i),
            name,
            format!("unknown attribute `{name}`"),
            help,
        );
    }
    e.unknown.is_empty()
}

/// The event's kind with the attributes it requires and may carry, or `None` after
/// reporting a missing or unknown kind.
fn kind(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> Option<KindRow> {
    let rs = ld.rs;
    // The kinds Vigil knows and the triggers the framework declares, listed alike wherever a
    // kind is asked for (made only for an error: most events have a kind that is known).
    let names = || -> Vec<String> {
        kinds()
            .map(String::from)
            .chain(rs.declared_triggers().iter().map(|t| t.name.clone()))
            .collect()
    };
    let Some(kind) = e.kind.as_deref() else {
        let names = names();
        ld.error(
            ErrorCode::MissingField,
            Some(i),
            "kind",
            "every event has a `kind`",
            super::loader::known(names.iter().map(String::as_str)),
        );
        return None;
    };
    let found = kind_attributes(kind, rs);
    if found.is_none() {
        let names = names();
        let help = Loader::suggest(kind, names.iter().map(String::as_str));
        ld.error(
            ErrorCode::UnknownKind,
            Some(i),
            "kind",
            format!("unknown event kind `{kind}`"),
            help,
        );
    }
    found
}

/// False after reporting each attribute `kind` requires and the event lacks.
fn required_given(
    ld: &mut Loader<'_>,
    i: usize,
    e: &EventInput,
    kind: &str,
    required: &[&str],
) -> bool {
    let mut ok = true;
    for r in required {
        if !e.given().any(|g| g == *r) {
            // Written blank (`"by": null`, `by:`): said at its own key, not the kind's (found
            // by a docs-only tester).
            if ld.locator.writes(i, r) {
                ld.error(
                    ErrorCode::MissingField,
                    Some(i),
                    r,
                    format!(
                        "`{r}` is blank, and {} `{kind}` event needs it",
                        a_or_an(kind)
                    ),
                    Some(required_help(ld.rs, r)),
                );
                ok = false;
                continue;
            }
            ld.error(
                ErrorCode::MissingField,
                Some(i),
                "kind",
                format!("{} `{kind}` event needs `{r}`", a_or_an(kind)),
                Some(required_help(ld.rs, r)),
            );
            ok = false;
        }
    }
    ok
}

/// What to write for the required attribute `field`, with an example from the rules where
/// they have one.
fn required_help(rs: &crate::rules::RuleSet, field: &str) -> String {
    let first = |names: Vec<&str>, fallback: &'static str| -> String {
        names
            .first()
            .map_or(fallback.to_string(), |n| n.to_string())
    };
    let role = first(
        rs.roles.iter().map(|r| &*r.name).collect(),
        "support_worker",
    );
    match field {
        "visit" => "name the visit: the id of its `visit_planned` event (`visit: V1`), or a protocol visit as `morning@2026-11-24`".into(),
        "planned" => "write when the visit is planned to start, with its offset: `planned: 2026-11-24T08:00:00Z`".into(),
        "reason" => "say why, in words: `reason: in hospital since Monday`".into(),
        "by" => format!("name the role who did it: `by: {role}`"),
        "role" => format!("name the role told: `role: {role}`"),
        "method" => format!(
            "say how: `method: phone` (methods: {})",
            crate::vocab::Method::names().collect::<Vec<_>>().join(", ")
        ),
        "what" => {
            let names = rs.observations.iter().map(|s| rs.symbols.name(*s)).collect();
            format!("name what was seen, an observation the framework declares: `what: {}`", first(names, "person_seen_on_floor"))
        }
        "contact" => "name the contact, as the person's protocol declares it: `contact: daughter`".into(),
        "agency" => format!("name the agency: `agency: {}`", first(rs.agencies.iter().map(|a| a.name.as_str()).collect(), "police")),
        "log" => format!("name the log: `log: {}`", first(rs.logs.iter().map(|l| l.name.as_str()).collect(), "daily_notes")),
        "duty" => "write the id of the `manual_review` duty done, as the duty list gives it".into(),
        "decision" => format!("name the decision: `decision: {}`", first(rs.decisions().iter().map(|d| d.name.as_str()).collect(), "visit_needed")),
        "outcome" => "write the outcome decided, one of the decision's outcomes".into(),
        "attributes" => "write the trigger's attributes as a map of name to value, as the framework declares them: `attributes: { urgency: urgent }`".into(),
        other => format!("write `{other}:` on the event (docs/decision.md lists what each kind needs)"),
    }
}

/// False after reporting each attribute given that `kind` does not take.
fn given_apply(
    ld: &mut Loader<'_>,
    i: usize,
    e: &EventInput,
    kind: &str,
    required: &[&str],
    optional: &[&str],
) -> bool {
    let mut ok = true;
    for g in e.given() {
        if !required.contains(&g) && !optional.contains(&g) {
            let takes: Vec<&str> = required.iter().chain(optional).copied().collect();
            ld.error(
                ErrorCode::NotForKind,
                Some(i),
                g,
                format!("`{g}` does not apply to {} `{kind}` event", a_or_an(kind)),
                Some(format!(
                    "{} `{kind}` event takes: {}",
                    a_or_an(kind),
                    takes.join(", ")
                )),
            );
            ok = false;
        }
    }
    ok
}
