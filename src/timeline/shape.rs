//! Phase three: each event's fields against its kind, before any name in it is looked up. An
//! event whose shape is wrong is not resolved further, so one mistake is reported once.

use super::error::ErrorCode;
use super::input::{attribute_names, kind_attributes, kinds, EventInput, KindRow};
use super::loader::Loader;
use crate::time::Instant;
use crate::wording::{a_or_an, did_you_mean};

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
    if !known_attributes(ld, i, e) {
        return None;
    }
    let (kind, required, optional) = kind(ld, i, e)?;
    // Messages name the kind as the timeline writes it, a declared trigger's own name too.
    let written = e.kind.as_deref().unwrap_or(kind);
    // Both are checked, so that a missing and a misplaced attribute are reported together.
    let has_required = required_given(ld, i, e, written, required);
    let all_apply = given_apply(ld, i, e, written, required, optional);
    let Some(at_text) = e.at.as_deref() else {
        ld.error(
            ErrorCode::MissingField,
            Some(i),
            "kind",
            "every event has an instant `at`",
            None,
        );
        return None;
    };
    // The instant is read even when the shape is wrong, so that its own error is reported
    // in the same run.
    let at = ld.instant(Some(i), "at", at_text);
    let plain = plain_text(ld, i, e);
    if !(has_required && all_apply && plain) {
        return None;
    }
    Some(Shaped { kind, at: at? })
}

/// Free text for people, where a line break or a tab is part of what was written.
const FREE_TEXT: [&str; 4] = ["reason", "task", "note", "where"];

/// False after reporting each text that holds a control character: whatever prints it (the
/// duty list, a CSV opened in a terminal) could have its screen cleared or rewritten by it,
/// hiding the OVERDUE lines. Refused when read, never passed on.
fn plain_text(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> bool {
    let mut plain = true;
    for (name, text) in e.texts() {
        let free = FREE_TEXT.contains(&name.as_str());
        let bad = text
            .chars()
            .find(|&c| c.is_control() && !(free && (c == '\n' || c == '\t')));
        if let Some(c) = bad {
            plain = false;
            ld.error(
                ErrorCode::UnknownValue,
                Some(i),
                &name,
                format!(
                    "`{name}` holds a control character (U+{:04X}), which could rewrite the screen of whoever reads the list",
                    u32::from(c)
                ),
                Some("remove it: names, ids and instants are plain text".into()),
            );
        }
    }
    plain
}

/// False after reporting each attribute no kind takes, at its own line.
fn known_attributes(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> bool {
    for name in e.unknown.keys() {
        let names = attribute_names();
        let help = match did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("attributes: {}", names.join(", ")),
        };
        ld.error(
            ErrorCode::UnknownAttribute,
            Some(i),
            name,
            format!("unknown attribute `{name}`"),
            Some(help),
        );
    }
    e.unknown.is_empty()
}

/// The event's kind with the attributes it requires and may carry, or `None` after
/// reporting a missing or unknown kind.
fn kind(ld: &mut Loader<'_>, i: usize, e: &EventInput) -> Option<KindRow> {
    let Some(kind) = e.kind.as_deref() else {
        ld.error(
            ErrorCode::MissingField,
            Some(i),
            "kind",
            "every event has a `kind`",
            Some(format!("kinds: {}", kinds().collect::<Vec<_>>().join(", "))),
        );
        return None;
    };
    let rs = ld.rs;
    let found = kind_attributes(kind, rs);
    if found.is_none() {
        let names: Vec<String> = kinds()
            .map(String::from)
            .chain(rs.declared_triggers().iter().map(|t| t.name.clone()))
            .collect();
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
    let given = e.given();
    let mut ok = true;
    for r in required {
        if !given.contains(r) {
            ld.error(
                ErrorCode::MissingField,
                Some(i),
                "kind",
                format!("{} `{kind}` event needs `{r}`", a_or_an(kind)),
                None,
            );
            ok = false;
        }
    }
    ok
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
