//! What a timeline says before it is checked: the text's format, the types YAML and JSON
//! deserialise to (and a host may build in code), and which attributes each kind of event
//! requires and may carry.

use serde::Deserialize;

use crate::vocab::EventKind;

/// The text's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`, and standard input).
    Json,
    /// NDJSON (`.ndjson`, `.jsonl`): one JSON object per line, an optional header first, then
    /// one event per line, as a host appends its log.
    Ndjson,
}

impl Format {
    /// The format a file name implies: JSON for `.json`, NDJSON for `.ndjson` and `.jsonl`,
    /// YAML otherwise; in any case (`LOG.NDJSON`).
    ///
    /// ```
    /// use vigil::timeline::Format;
    /// assert_eq!(Format::from_name("day.JSONL"), Format::Ndjson);
    /// assert_eq!(Format::from_name("day.yaml"), Format::Yaml);
    /// ```
    pub fn from_name(name: &str) -> Format {
        // `LOG.NDJSON` as a Windows export names it is NDJSON too.
        let name = name.to_ascii_lowercase();
        if name.ends_with(".ndjson") || name.ends_with(".jsonl") {
            Format::Ndjson
        } else if name.ends_with(".json") || name == "-" {
            Format::Json
        } else {
            Format::Yaml
        }
    }

    /// The format text with no name is in (standard input): NDJSON when its first line is a
    /// whole JSON object and more lines follow, JSON when it opens with `{`, YAML otherwise
    /// (comments and blank lines before the first key are YAML's).
    ///
    /// ```
    /// use vigil::timeline::Format;
    /// assert_eq!(Format::from_text("  {\"events\": []}"), Format::Json);
    /// assert_eq!(Format::from_text("{\n  \"events\": []\n}\n"), Format::Json);
    /// assert_eq!(Format::from_text("{\"from\": \"2026-11-24T00:00:00Z\"}\n{\"at\": \"2026-11-24T08:05:00Z\"}\n"), Format::Ndjson);
    /// assert_eq!(Format::from_text("# a day\nevents: []\n"), Format::Yaml);
    /// ```
    pub fn from_text(text: &str) -> Format {
        if looks_like_ndjson(text) {
            return Format::Ndjson;
        }
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// Whether `text` reads as NDJSON: more than one line, the first a whole JSON object.
fn looks_like_ndjson(text: &str) -> bool {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim().is_empty());
    let (Some(first), Some(_)) = (lines.next(), lines.next()) else {
        return false;
    };
    first.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
}

/// A timeline as written, before it is checked: what YAML and JSON timelines deserialise to,
/// and what a host can build in code (see [`TimelineInput::new`]) and hand to
/// [`Timeline::from_input`].
///
/// [`Timeline::from_input`]: super::Timeline::from_input
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimelineInput {
    /// The contract version the timeline is written to (`1.1` today); any `1.x` is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(extend("pattern" = r"^1\.[0-9]+$")))]
    pub(crate) contract: Option<String>,
    /// RFC 3339 with an offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub(crate) as_of: Option<String>,
    /// From when the timeline records what happened (RFC 3339 with an offset); its first
    /// event's instant if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub(crate) from: Option<String>,
    /// People the timeline covers even if no event mentions them: their protocol visits are
    /// watched.
    #[serde(
        default,
        deserialize_with = "written_persons",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub(crate) persons: Vec<String>,
    /// The events, in any order (the list may be empty, but must be there).
    #[serde(deserialize_with = "written_events")]
    pub(crate) events: Vec<EventInput>,
}

/// Every attribute any event may carry; which apply to which kind is checked afterwards, so
/// that a misplaced attribute is named precisely. Unknown attributes are collected rather than
/// refused by serde, so that they are reported at their own line with a suggestion.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("additionalProperties" = false)))]
pub struct EventInput {
    /// Identifier; `kind@instant` if absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<Box<str>>,
    /// When: RFC 3339 with an offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, with = "crate::contract::InstantText")
    )]
    pub(crate) at: Option<Box<str>>,
    /// The person it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(required))]
    pub(crate) person: Option<Box<str>>,
    /// What happened (`no_answer`, `arrived`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(required, extend("pattern" = "^[A-Za-z_][A-Za-z0-9_]*$")))]
    pub(crate) kind: Option<Box<str>>,
    /// The visit it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) visit: Option<Box<str>>,
    /// The role who did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) by: Option<Box<str>>,
    /// `visit_planned`: planned start.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub(crate) planned: Option<Box<str>>,
    /// `visit_planned`: planned end.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub(crate) planned_end: Option<Box<str>>,
    /// `visit_planned`: criticality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) criticality: Option<Box<str>>,
    /// `visit_planned`: the protocol visit it plans (`morning`, or `morning@2026-11-24`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) slot: Option<Box<str>>,
    /// `visit_planned`: how many carers it needs (a whole number).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::contract::Staff>"))]
    pub(crate) staff: Option<serde_json::Value>,
    /// `visit_planned` and `record_made`: route, for governance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) route: Option<Box<str>>,
    /// `visit_planned` and `record_made`: location, for governance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<Box<str>>,
    /// `contact_attempt`: how.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::vocab::Method>"))]
    pub(crate) method: Option<Box<str>>,
    /// How it ended. `contact_attempt`, `notified`, `contact_made`, `agency_contacted`: one of
    /// `reached`, `no_answer`, `not_available`, `refused`, `no_key`, `not_applicable`,
    /// `needs_help`, `message_left` (which apply to which kind: docs/decision.md). `decided`:
    /// one of the decision's outcomes, as the framework declares them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) outcome: Option<Box<str>>,
    /// `observation`: what was seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) what: Option<Box<str>>,
    /// `notified`: the role told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<Box<str>>,
    /// `contact_made`: the contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) contact: Option<Box<str>>,
    /// `agency_contacted`: the agency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) agency: Option<Box<str>>,
    /// `record_made`: the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) log: Option<Box<str>>,
    /// `record_made`: a result, for governance counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<Box<str>>,
    /// `refusal`: what was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) task: Option<Box<str>>,
    /// `refusal`: the reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<Box<str>>,
    /// `at_alert`: which alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) alert: Option<Box<str>>,
    /// `reviewed`: the id of the `manual_review` duty done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) duty: Option<Box<str>>,
    /// `decided`: which decision (one the framework declares).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) decision: Option<Box<str>>,
    /// A declared trigger: the value of each of its attributes, by name. A name given twice
    /// is refused where it is read, as a field given twice is, never settled by the last.
    #[serde(
        default,
        deserialize_with = "unique_keys",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<std::collections::BTreeMap<String, String>>")
    )]
    pub(crate) attributes: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    /// `whereabouts_confirmed`: where.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub(crate) place: Option<Box<str>>,
    /// Free text for people; accepted on every event and never interpreted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub(crate) note: Option<serde_json::Value>,
    /// Attributes Vigil does not know, kept so they can be reported where they are written.
    #[serde(flatten, skip_serializing)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) unknown: std::collections::BTreeMap<String, serde_json::Value>,
}

impl EventInput {
    /// Every text the event gives, by attribute name (a declared trigger's attributes as
    /// `attributes.NAME`), for the check that none holds a control character.
    pub(super) fn texts(
        &self,
    ) -> impl Iterator<Item = (std::borrow::Cow<'static, str>, &str)> + '_ {
        let fields: [(&str, &Option<Box<str>>); 26] = [
            ("id", &self.id),
            ("at", &self.at),
            ("person", &self.person),
            ("kind", &self.kind),
            ("visit", &self.visit),
            ("by", &self.by),
            ("planned", &self.planned),
            ("planned_end", &self.planned_end),
            ("criticality", &self.criticality),
            ("slot", &self.slot),
            ("route", &self.route),
            ("location", &self.location),
            ("method", &self.method),
            ("outcome", &self.outcome),
            ("what", &self.what),
            ("role", &self.role),
            ("contact", &self.contact),
            ("agency", &self.agency),
            ("log", &self.log),
            ("result", &self.result),
            ("task", &self.task),
            ("reason", &self.reason),
            ("alert", &self.alert),
            ("duty", &self.duty),
            ("decision", &self.decision),
            ("where", &self.place),
        ];
        use std::borrow::Cow;
        let note = match &self.note {
            Some(serde_json::Value::String(note)) => Some((Cow::Borrowed("note"), note.as_str())),
            _ => None,
        };
        // A declared trigger's attributes: each name, and each value given as text.
        let attributes = self.attributes.iter().flatten().flat_map(|(k, v)| {
            let name = || Cow::Owned(format!("attributes.{k}"));
            let value = match v {
                serde_json::Value::String(v) => Some((name(), v.as_str())),
                _ => None,
            };
            std::iter::once((name(), k.as_str())).chain(value)
        });
        fields
            .into_iter()
            .filter_map(|(name, v)| v.as_deref().map(|v| (Cow::Borrowed(name), v)))
            .chain(note)
            .chain(attributes)
    }

    /// Whether every text the event holds is printable ASCII and, but for the note, not
    /// blank, so that none needs the closer look of [`EventInput::texts`] (nearly every event:
    /// asked once for each read).
    pub(super) fn all_plain(&self) -> bool {
        // Printable ASCII is blank only when it is spaces (a tab is not printable).
        let filled = |t: &str| t.bytes().any(|b| b != b' ');
        let printable = |t: &Option<Box<str>>| {
            t.as_deref()
                .is_none_or(|t| super::chars::printable_ascii(t) && filled(t))
        };
        let fields = [
            &self.id,
            &self.at,
            &self.person,
            &self.kind,
            &self.visit,
            &self.by,
            &self.planned,
            &self.planned_end,
            &self.criticality,
            &self.slot,
            &self.route,
            &self.location,
            &self.method,
            &self.outcome,
            &self.what,
            &self.role,
            &self.contact,
            &self.agency,
            &self.log,
            &self.result,
            &self.task,
            &self.reason,
            &self.alert,
            &self.duty,
            &self.decision,
            &self.place,
        ];
        let note = match &self.note {
            None => true,
            Some(serde_json::Value::String(note)) => super::chars::printable_ascii(note),
            Some(_) => false,
        };
        self.attributes.is_none() && note && fields.into_iter().all(printable)
    }

    /// The attributes given, by name, for the applicability check (an iterator, not a list:
    /// it is asked twice for every event read).
    pub(super) fn given(&self) -> impl Iterator<Item = &'static str> {
        let given = self.given_flags();
        GIVEN
            .iter()
            .zip(given)
            .filter_map(|(name, g)| g.then_some(*name))
    }

    /// [`EventInput::given`] as a set: bit `i` for `GIVEN[i]`.
    pub(super) fn given_mask(&self) -> u32 {
        self.given_flags()
            .iter()
            .enumerate()
            .fold(0, |m, (i, g)| m | (u32::from(*g) << i))
    }

    /// Whether each attribute of [`GIVEN`] is given.
    fn given_flags(&self) -> [bool; 24] {
        // In the order of `GIVEN` (a test holds the two together).
        [
            self.visit.is_some(),
            self.by.is_some(),
            self.planned.is_some(),
            self.planned_end.is_some(),
            self.criticality.is_some(),
            self.slot.is_some(),
            self.staff.is_some(),
            self.route.is_some(),
            self.location.is_some(),
            self.method.is_some(),
            self.outcome.is_some(),
            self.what.is_some(),
            self.role.is_some(),
            self.contact.is_some(),
            self.agency.is_some(),
            self.log.is_some(),
            self.result.is_some(),
            self.task.is_some(),
            self.reason.is_some(),
            self.alert.is_some(),
            self.place.is_some(),
            self.duty.is_some(),
            self.decision.is_some(),
            self.attributes.is_some(),
        ]
    }
}

/// The attributes [`EventInput::given`] tells apart, in its order.
const GIVEN: [&str; 24] = [
    "visit",
    "by",
    "planned",
    "planned_end",
    "criticality",
    "slot",
    "staff",
    "route",
    "location",
    "method",
    "outcome",
    "what",
    "role",
    "contact",
    "agency",
    "log",
    "result",
    "task",
    "reason",
    "alert",
    "where",
    "duty",
    "decision",
    "attributes",
];

/// `names` as a set of [`GIVEN`]'s bits.
fn mask(names: &[&str]) -> u32 {
    names.iter().fold(0, |m, n| {
        m | GIVEN.iter().position(|g| g == n).map_or(0, |i| 1u32 << i)
    })
}

/// A kind, the attributes it requires, and those it may carry besides.
#[derive(Debug, Clone, Copy)]
pub(super) struct KindRow {
    /// The kind, as the table of kinds spells it.
    pub name: &'static str,
    /// The attributes it requires.
    pub required: &'static [&'static str],
    /// Those it may carry besides.
    pub optional: &'static [&'static str],
    /// `required` as a set of [`GIVEN`]'s bits ([`EventInput::given_mask`]), so that an event
    /// whose attributes fit (nearly all) is told so in a few instructions; one that does not
    /// is then checked name by name, for its messages.
    pub required_mask: u32,
    /// `required` and `optional` as such a set.
    pub allowed_mask: u32,
}

impl KindRow {
    fn new(
        name: &'static str,
        required: &'static [&'static str],
        optional: &'static [&'static str],
    ) -> KindRow {
        KindRow {
            name,
            required,
            optional,
            required_mask: mask(required),
            allowed_mask: mask(required) | mask(optional),
        }
    }
}

/// For each kind: the attributes it requires and those it may carry (besides id, at, person,
/// kind and note, which every event may carry). An exhaustive match, so a new event kind in
/// the vocabulary cannot be forgotten here.
fn attributes(kind: EventKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        // Criticality may come from the protocol visit it plans; the planning phase sees to
        // it that one of the two gives it.
        EventKind::VisitPlanned => (
            &["visit", "planned"],
            &[
                "criticality",
                "slot",
                "staff",
                "planned_end",
                "route",
                "location",
                "by",
            ],
        ),
        EventKind::VisitCancelled => (&["visit", "reason", "by"], &[]),
        EventKind::Arrived | EventKind::Departed => (&["visit"], &["by"]),
        EventKind::NoAnswer => (&[], &["visit", "by"]),
        EventKind::ContactAttempt => (&["method", "by"], &["outcome", "visit"]),
        EventKind::Observation => (&["what", "by"], &["visit"]),
        EventKind::Notified => (&["role", "by"], &["outcome", "visit"]),
        EventKind::ContactMade => (&["contact", "by"], &["outcome", "visit"]),
        EventKind::AgencyContacted => (&["agency", "by"], &["outcome", "visit"]),
        EventKind::ContactEstablished => (&["by"], &["visit"]),
        EventKind::WhereaboutsConfirmed => (&["by"], &["where", "visit"]),
        EventKind::Refusal => (&[], &["task", "reason", "visit", "by"]),
        EventKind::SafeguardingReferral => (&["by"], &["visit"]),
        EventKind::RecordMade => (&["log", "by"], &["result", "visit", "route", "location"]),
        EventKind::AtAlert => (&[], &["alert", "visit"]),
        EventKind::Reviewed => (&["duty", "by"], &["visit"]),
        EventKind::Released => (&["by"], &["visit"]),
        EventKind::AgencyArrived => (&["agency"], &["by", "visit"]),
        EventKind::EscalationResolved => (&["by"], &["visit"]),
        EventKind::Decided => (&["decision", "outcome", "by"], &["visit"]),
    }
}

/// The event kinds, for messages and suggestions.
pub(super) fn kinds() -> impl Iterator<Item = &'static str> + Clone {
    EventKind::names()
}

/// What the table of kinds calls a trigger the framework declares: its events are resolved
/// against the rules' declaration (see [`kind_attributes`]).
pub(super) const DECLARED: &str = "declared trigger";

/// The attributes a kind requires and those it may carry, or `None` for an unknown kind. A
/// trigger the framework declares needs the role who reported it (`by`), and its attributes
/// when it has any.
pub(super) fn kind_attributes(kind: &str, rs: &crate::rules::RuleSet) -> Option<KindRow> {
    if let Some(k) = EventKind::from_name(kind) {
        // One row a kind, worked out once: every event asks.
        static ROWS: std::sync::OnceLock<Vec<KindRow>> = std::sync::OnceLock::new();
        let rows = ROWS.get_or_init(|| {
            EventKind::ALL
                .iter()
                .map(|k| {
                    let (required, optional) = attributes(*k);
                    KindRow::new(k.name(), required, optional)
                })
                .collect()
        });
        return rows.get(k as usize).copied();
    }
    let t = rs.trigger(rs.trigger_id(kind)?)?;
    Some(if t.attributes.is_empty() {
        KindRow::new(DECLARED, &["by"], &["visit"])
    } else {
        KindRow::new(DECLARED, &["by", "attributes"], &["visit"])
    })
}

/// Every attribute any event may carry, sorted, for suggestions.
pub(super) fn attribute_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = EventKind::ALL
        .iter()
        .flat_map(|k| {
            let (r, o) = attributes(*k);
            r.iter().chain(o.iter())
        })
        .copied()
        .chain(["id", "at", "person", "kind", "note", "attributes"])
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// What a list left blank (`events:` with nothing after it) is refused with, followed by its
/// key; `unreadable.rs` looks for it to report the key and what to write (the YAML reader
/// gives such an error no place).
pub(super) const BLANK_LIST: &str = "a list left blank: ";

/// `events`, which must be written out: YAML reads a key with nothing after it as null, which
/// serde would take for an empty list, so a timeline cut short after `events:` would read as
/// one in which nothing happened.
fn written_events<'de, D>(d: D) -> Result<Vec<EventInput>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<Vec<EventInput>>::deserialize(d)?
        .ok_or_else(|| serde::de::Error::custom(format!("{BLANK_LIST}events")))
}

/// `persons`, if given, written out, as `events` is.
fn written_persons<'de, D>(d: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<Vec<String>>::deserialize(d)?
        .ok_or_else(|| serde::de::Error::custom(format!("{BLANK_LIST}persons")))
}

/// A map whose keys must be unique: serde's own maps keep the last of two equal keys, which
/// would let `{ urgency: urgent, urgency: routine }` pass as routine.
fn unique_keys<'de, D>(
    d: D,
) -> Result<Option<std::collections::BTreeMap<String, serde_json::Value>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = std::collections::BTreeMap<String, serde_json::Value>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of attribute names to values")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some((k, v)) = m.next_entry::<String, serde_json::Value>()? {
                if out.contains_key(&k) {
                    return Err(serde::de::Error::custom(format!(
                        "duplicate attribute `{k}`"
                    )));
                }
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    /// `null` (or nothing written) is the attributes not given, as for every other attribute
    /// (found by a docs-only tester: `"attributes": null` was refused as not a map).
    struct Maybe;
    impl<'de> serde::de::Visitor<'de> for Maybe {
        type Value = Option<std::collections::BTreeMap<String, serde_json::Value>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of attribute names to values")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_map(Unique).map(Some)
        }
    }
    d.deserialize_option(Maybe)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name the table of kinds uses and [`GIVEN`] lacks would be missing from the masks,
    /// and an event lacking it would be let through as fitting.
    #[test]
    fn every_attribute_a_kind_names_has_a_bit() {
        for k in EventKind::ALL {
            let (required, optional) = attributes(*k);
            for name in required.iter().chain(optional) {
                assert!(GIVEN.contains(name), "{name} of {}", k.name());
            }
        }
        let planned = EventInput {
            visit: Some("V1".into()),
            planned: Some("2026-11-24T08:00:00Z".into()),
            route: Some("R1".into()),
            ..EventInput::default()
        };
        let row = KindRow::new("visit_planned", &["visit", "planned"], &["route"]);
        assert_eq!(planned.given_mask() & row.required_mask, row.required_mask);
        assert_eq!(planned.given_mask() & !row.allowed_mask, 0);
        assert_eq!(
            planned.given().collect::<Vec<_>>(),
            ["visit", "planned", "route"]
        );
    }

    /// Each attribute of [`GIVEN`], given alone, is the one `given` names: the flags are in
    /// the list's order.
    #[test]
    fn each_given_flag_is_its_attribute() {
        for name in GIVEN {
            let value = if name == "attributes" { "{}" } else { "\"x\"" };
            let e: EventInput = serde_json::from_str(&format!("{{\"{name}\": {value}}}")).unwrap();
            assert_eq!(e.given().collect::<Vec<_>>(), [name]);
        }
    }

    /// The quick look at printable, filled text agrees with the closer one.
    #[test]
    fn all_plain_is_what_the_texts_say() {
        for line in [
            r#"{"id": "a", "at": "2026-11-24T08:05:00Z", "where": "the flat"}"#,
            r#"{"id": "a", "reason": "caf\u00e9"}"#,
            r#"{"id": "a\u0007"}"#,
            r#"{"note": "tab\there"}"#,
            r#"{"note": "plain"}"#,
            r#"{"note": ["a"]}"#,
            r#"{"attributes": {"urgency": "high"}}"#,
            r#"{"place": "x", "where": "\u007f"}"#,
            r#"{"id": "a", "reason": ""}"#,
            r#"{"id": "a", "by": "   "}"#,
            r#"{"id": "a", "note": ""}"#,
        ] {
            let e: EventInput = serde_json::from_str(line).unwrap();
            let closer = e.note.as_ref().is_none_or(serde_json::Value::is_string)
                && e.attributes.is_none()
                && e.texts().all(|(name, t)| {
                    super::super::chars::printable_ascii(t)
                        && (name == "note" || !t.trim().is_empty())
                });
            assert_eq!(e.all_plain(), closer, "{line}");
        }
    }
}
