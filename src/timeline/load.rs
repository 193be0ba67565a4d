//! Reading and checking a timeline against a rule set.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use super::locate::Locator;
use super::{Event, EventData, Outcome, PersonRef, Timeline, VisitRef};
use crate::rules::{RoleId, RuleSet};
use crate::time::Instant;
use crate::vocab::Method;
use crate::wording::did_you_mean;

/// The text's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`, and standard input).
    Json,
}

impl Format {
    /// The format a file name implies: JSON for `.json`, YAML otherwise.
    pub fn from_name(name: &str) -> Format {
        if name.ends_with(".json") || name == "-" {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// A problem with a timeline: the file, line and column, the field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineError {
    /// The file as given.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// The field (`events[3].visit`), when one is to blame.
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
}

impl fmt::Display for TimelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TimelineError {}

/// A timeline as written, before it is checked: what YAML and JSON timelines deserialise to,
/// and what a host can build in code and hand to [`Timeline::from_input`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineInput {
    /// RFC 3339 with an offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The events, in any order (the list may be empty, but must be there).
    pub events: Vec<EventInput>,
}

/// Every attribute any event may carry; which apply to which kind is checked afterwards, so
/// that a misplaced attribute is named precisely. Unknown attributes are collected rather than
/// refused by serde, so that they are reported at their own line with a suggestion.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct EventInput {
    /// Identifier; `kind@instant` if absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When: RFC 3339 with an offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The person it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// What happened (`no_answer`, `arrived`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The visit it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visit: Option<String>,
    /// The role who did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// `visit_planned`: planned start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned: Option<String>,
    /// `visit_planned`: planned end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned_end: Option<String>,
    /// `visit_planned`: criticality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<String>,
    /// `visit_planned`: route, for governance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// `visit_planned`: location, for governance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `contact_attempt`: how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `contact_attempt`, `contact_made`: `reached` or `no_answer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// `observation`: what was seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    /// `notified`: the role told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `contact_made`: the contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// `agency_contacted`: the agency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// `record_made`: the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// `record_made`: a result, for governance counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// `refusal`: what was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// `refusal`: the reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `at_alert`: which alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// `whereabouts_confirmed`: where.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Free text for people; accepted on every event and never interpreted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<serde_json::Value>,
    /// Attributes Vigil does not know, kept so they can be reported where they are written.
    #[serde(flatten, skip_serializing)]
    pub unknown: std::collections::BTreeMap<String, serde_json::Value>,
}

impl EventInput {
    /// The attributes given, by name, for the applicability check.
    fn given(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let pairs: [(&'static str, bool); 19] = [
            ("visit", self.visit.is_some()),
            ("by", self.by.is_some()),
            ("planned", self.planned.is_some()),
            ("planned_end", self.planned_end.is_some()),
            ("criticality", self.criticality.is_some()),
            ("route", self.route.is_some()),
            ("location", self.location.is_some()),
            ("method", self.method.is_some()),
            ("outcome", self.outcome.is_some()),
            ("what", self.what.is_some()),
            ("role", self.role.is_some()),
            ("contact", self.contact.is_some()),
            ("agency", self.agency.is_some()),
            ("log", self.log.is_some()),
            ("result", self.result.is_some()),
            ("task", self.task.is_some()),
            ("reason", self.reason.is_some()),
            ("alert", self.alert.is_some()),
            ("where", self.place.is_some()),
        ];
        for (name, given) in pairs {
            if given {
                out.push(name);
            }
        }
        out
    }
}

/// For each kind: the attributes it requires and those it may carry (besides id, at, person,
/// kind and note, which every event may carry).
const KINDS: &[(&str, &[&str], &[&str])] = &[
    (
        "visit_planned",
        &["visit", "planned", "criticality"],
        &["planned_end", "route", "location", "by"],
    ),
    ("arrived", &["visit"], &["by"]),
    ("departed", &["visit"], &["by"]),
    ("no_answer", &[], &["visit", "by"]),
    ("contact_attempt", &["method", "by"], &["outcome", "visit"]),
    ("observation", &["what", "by"], &["visit"]),
    ("notified", &["role", "by"], &["visit"]),
    ("contact_made", &["contact", "by"], &["outcome", "visit"]),
    ("agency_contacted", &["agency", "by"], &["visit"]),
    ("contact_established", &["by"], &["visit"]),
    ("whereabouts_confirmed", &["by"], &["where", "visit"]),
    ("refusal", &[], &["task", "reason", "visit", "by"]),
    ("safeguarding_referral", &["by"], &["visit"]),
    ("record_made", &["log", "by"], &["result", "visit"]),
    ("at_alert", &[], &["alert", "visit"]),
    ("escalation_resolved", &["by"], &["visit"]),
];

struct Loader<'a> {
    file: String,
    locator: Locator<'a>,
    rs: &'a RuleSet,
    errors: Vec<TimelineError>,
}

impl Loader<'_> {
    fn error(
        &mut self,
        event: Option<usize>,
        field: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let (line, column) = match event {
            Some(i) => self.locator.field(i, field),
            None => self.locator.top_level(field),
        };
        let field = match event {
            Some(i) => format!("events[{i}].{field}"),
            None => field.to_string(),
        };
        self.errors.push(TimelineError {
            file: self.file.clone(),
            line,
            column,
            field: Some(field),
            message: message.into(),
            help,
        });
    }

    fn instant(&mut self, event: Option<usize>, field: &str, text: &str) -> Option<Instant> {
        match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => Some(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
                    .is_ok();
                let (message, help) = if naive {
                    (
                        format!("timestamp `{text}` has no UTC offset, so the instant it means is unknown"),
                        format!("write it with its offset, for example `{text}Z` for UTC or `{text}+01:00` for BST"),
                    )
                } else {
                    (
                        format!("`{text}` is not an RFC 3339 timestamp"),
                        "write instants like `2026-11-24T08:00:00Z` or `2026-11-24T08:00:00+00:00`"
                            .to_string(),
                    )
                };
                self.error(event, field, message, Some(help));
                None
            }
        }
    }

    fn suggest<'n>(
        wanted: &str,
        names: impl IntoIterator<Item = &'n str> + Clone,
    ) -> Option<String> {
        match did_you_mean(wanted, names.clone()) {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None => {
                let all: Vec<&str> = names.into_iter().take(10).collect();
                if all.is_empty() {
                    None
                } else {
                    Some(format!("known: {}", all.join(", ")))
                }
            }
        }
    }

    fn role(&mut self, i: usize, field: &str, name: &str) -> Option<RoleId> {
        match self.rs.role_id(name) {
            Some(r) => Some(r),
            None => {
                let names: Vec<&str> = self.rs.roles.iter().map(|r| &*r.name).collect();
                let mut help = Self::suggest(name, names.iter().copied());
                if self.rs.aliases.iter().any(|a| a.name == name) {
                    help = Some(format!(
                        "`{name}` is an alias; name the role itself, for example `{}`",
                        self.rs
                            .aliases
                            .iter()
                            .find(|a| a.name == name)
                            .and_then(|a| self.rs.role(a.inside))
                            .map_or("duty_manager", |r| &*r.name)
                    ));
                }
                self.error(Some(i), field, format!("unknown role `{name}`"), help);
                None
            }
        }
    }
}

/// The event kinds, for messages and suggestions.
pub fn kinds() -> impl Iterator<Item = &'static str> + Clone {
    KINDS.iter().map(|(k, _, _)| *k)
}

impl Timeline {
    /// Read and check a timeline written in `format`, called `file` in messages, against the
    /// rule set whose people, roles, contacts, logs and agencies it names.
    ///
    /// ```
    /// # let rs = vigil::check::check(&[vigil::Source::new("f", std::fs::read_to_string("protocols/framework.vigil").unwrap())]).rulesets.remove(0);
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "events:
    ///   - { at: 2026-11-23T18:00:00Z, person: P-1, kind: visit_planned, visit: V1,
    ///       planned: 2026-11-24T08:00:00Z, criticality: critical }
    ///   - at: 2026-11-24T08:05:00
    ///     person: P-1
    ///     kind: no_answer
    /// ";
    /// let errors = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap_err();
    /// assert_eq!(errors[0].to_string().split(": `").next(), Some("t.yaml:4:9"));
    /// assert!(errors[0].message.contains("no UTC offset"));
    /// ```
    pub fn load(
        text: &str,
        format: Format,
        file: &str,
        rs: &RuleSet,
    ) -> Result<Timeline, Vec<TimelineError>> {
        // An empty text is a truncated or missing timeline, never "nothing happened".
        if text.trim().is_empty() {
            return Err(vec![TimelineError {
                file: file.to_string(),
                line: 1,
                column: 1,
                field: None,
                message: "the timeline is empty".into(),
                help: Some(
                    "write `events: []` for a timeline in which nothing has happened yet".into(),
                ),
            }]);
        }
        let raw: TimelineInput = match format {
            Format::Json => serde_json::from_str(text).map_err(|e| {
                vec![TimelineError {
                    file: file.to_string(),
                    line: e.line(),
                    column: e.column(),
                    field: None,
                    message: e.to_string(),
                    help: None,
                }]
            })?,
            Format::Yaml => serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                vec![TimelineError {
                    file: file.to_string(),
                    line,
                    column,
                    field: None,
                    message: e.to_string(),
                    help: None,
                }]
            })?,
        };
        Timeline::check_input(&raw, Locator::new(text, format == Format::Json), file, rs)
    }

    /// Check a timeline built in code (a host's own events) against the rule set. Errors
    /// name the event and field (`events[3].visit`); with no text to point into, their line
    /// and column are 1:1.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{EventInput, Timeline, TimelineInput};
    /// let input = TimelineInput {
    ///     as_of: None,
    ///     events: vec![EventInput {
    ///         at: Some("2026-11-23T18:00:00Z".into()),
    ///         person: Some("P-1".into()),
    ///         kind: Some("visit_planned".into()),
    ///         visit: Some("V1".into()),
    ///         planned: Some("2026-11-24T08:00:00Z".into()),
    ///         criticality: Some("critical".into()),
    ///         ..EventInput::default()
    ///     }],
    /// };
    /// let timeline = Timeline::from_input(&input, &rs).unwrap();
    /// assert_eq!(timeline.visits.len(), 1);
    /// ```
    pub fn from_input(input: &TimelineInput, rs: &RuleSet) -> Result<Timeline, Vec<TimelineError>> {
        Timeline::check_input(input, Locator::new("", true), "<input>", rs)
    }

    fn check_input(
        raw: &TimelineInput,
        locator: Locator<'_>,
        file: &str,
        rs: &RuleSet,
    ) -> Result<Timeline, Vec<TimelineError>> {
        let mut ld = Loader {
            file: file.to_string(),
            locator,
            rs,
            errors: Vec::new(),
        };
        let as_of = match &raw.as_of {
            Some(t) => ld.instant(None, "as_of", t),
            None => None,
        };
        let mut tl = Timeline {
            as_of,
            ..Timeline::default()
        };

        // People and visits first: other events refer to visits planned anywhere in the file.
        let mut person_index: HashMap<String, usize> = HashMap::new();
        let mut visit_index: HashMap<String, usize> = HashMap::new();
        let mut visit_event: HashMap<String, usize> = HashMap::new();
        let mut person_of_event: Vec<Option<usize>> = Vec::with_capacity(raw.events.len());
        for (i, e) in raw.events.iter().enumerate() {
            let person = match &e.person {
                Some(p) => Some(person_ref(&mut tl, &mut person_index, rs, p)),
                None => {
                    ld.error(
                        Some(i),
                        "person",
                        "every event names the `person` it is about",
                        None,
                    );
                    None
                }
            };
            person_of_event.push(person);
            if e.kind.as_deref() == Some("visit_planned") {
                let (Some(person), Some(id)) = (person, &e.visit) else {
                    continue;
                };
                if let Some(&first) = visit_event.get(id) {
                    let (line, _) = ld.locator.event(first);
                    ld.error(
                        Some(i),
                        "visit",
                        format!("visit `{id}` is planned twice"),
                        Some(format!(
                            "give each planned visit its own id (first planned at line {line})"
                        )),
                    );
                    continue;
                }
                let planned = e
                    .planned
                    .as_deref()
                    .and_then(|t| ld.instant(Some(i), "planned", t));
                let planned_end = e
                    .planned_end
                    .as_deref()
                    .and_then(|t| ld.instant(Some(i), "planned_end", t));
                let at = e.at.as_deref().and_then(|t| ld.instant(Some(i), "at", t));
                let criticality =
                    e.criticality
                        .as_deref()
                        .and_then(|c| match rs.criticality_id(c) {
                            Some(k) => Some(k),
                            None => {
                                let help =
                                    Loader::suggest(c, rs.criticalities.iter().map(|s| s.as_str()));
                                ld.error(
                                    Some(i),
                                    "criticality",
                                    format!("unknown visit criticality `{c}`"),
                                    help,
                                );
                                None
                            }
                        });
                if let (Some(planned), Some(end)) = (planned, planned_end) {
                    if end <= planned {
                        ld.error(
                            Some(i),
                            "planned_end",
                            "the visit ends before it starts",
                            None,
                        );
                    }
                }
                visit_event.insert(id.clone(), i);
                // Kept even when the planning event has its own errors (reported above), so
                // that its person and visit are known and later events are judged on their own.
                let fallback = planned.or(at).unwrap_or_default();
                visit_index.insert(id.clone(), tl.visits.len());
                tl.visits.push(VisitRef {
                    id: id.clone(),
                    person,
                    planned: planned.unwrap_or(fallback),
                    planned_end,
                    criticality,
                    route: e.route.clone(),
                    location: e.location.clone(),
                    planned_at: at.unwrap_or(fallback),
                });
            }
        }
        // A person is known if they have a protocol or the timeline plans a visit for them.
        let mut known: Vec<bool> = tl.persons.iter().map(|r| r.protocol.is_some()).collect();
        for v in &tl.visits {
            if let Some(k) = known.get_mut(v.person) {
                *k = true;
            }
        }

        let mut ids: HashMap<String, usize> = HashMap::new();
        for (i, e) in raw.events.iter().enumerate() {
            let person = person_of_event.get(i).copied().flatten();
            if let Some(p) = person {
                if !known.get(p).copied().unwrap_or(false) {
                    let id = tl.persons.get(p).map_or("", |r| r.id.as_str());
                    let protocols: Vec<&str> = rs.persons.iter().map(|x| x.id.as_str()).collect();
                    let help = Loader::suggest(id, protocols.iter().copied()).or(Some(
                        "a person needs a protocol or a `visit_planned` event in the timeline"
                            .into(),
                    ));
                    ld.error(Some(i), "person", format!("unknown person `{id}`"), help);
                    continue;
                }
            }
            let mut unknown_attribute = false;
            for name in e.unknown.keys() {
                let all = KINDS
                    .iter()
                    .flat_map(|(_, r, o)| r.iter().chain(o.iter()))
                    .copied()
                    .chain(["id", "at", "person", "kind", "note"]);
                let mut names: Vec<&str> = all.collect();
                names.sort_unstable();
                names.dedup();
                let help = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("attributes: {}", names.join(", ")),
                };
                ld.error(
                    Some(i),
                    name,
                    format!("unknown attribute `{name}`"),
                    Some(help),
                );
                unknown_attribute = true;
            }
            if unknown_attribute {
                continue;
            }
            let Some(kind) = e.kind.as_deref() else {
                ld.error(
                    Some(i),
                    "kind",
                    "every event has a `kind`",
                    Some(format!("kinds: {}", kinds().collect::<Vec<_>>().join(", "))),
                );
                continue;
            };
            let Some((_, required, optional)) = KINDS.iter().find(|(k, _, _)| *k == kind) else {
                let help = Loader::suggest(kind, kinds());
                ld.error(
                    Some(i),
                    "kind",
                    format!("unknown event kind `{kind}`"),
                    help,
                );
                continue;
            };
            let given = e.given();
            let mut shape_ok = true;
            for r in *required {
                if !given.contains(r) {
                    ld.error(
                        Some(i),
                        "kind",
                        format!("a `{kind}` event needs `{r}`"),
                        None,
                    );
                    shape_ok = false;
                }
            }
            for g in &given {
                if !required.contains(g) && !optional.contains(g) {
                    ld.error(
                        Some(i),
                        g,
                        format!("`{g}` does not apply to a `{kind}` event"),
                        Some(format!(
                            "a `{kind}` event takes: {}",
                            required
                                .iter()
                                .chain(optional.iter())
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                    shape_ok = false;
                }
            }
            let Some(at_text) = e.at.as_deref() else {
                ld.error(Some(i), "kind", "every event has an instant `at`", None);
                continue;
            };
            let at = ld.instant(Some(i), "at", at_text);
            let Some(person) = person else { continue };
            if !shape_ok {
                continue;
            }
            let Some(at) = at else { continue };
            let visit = match &e.visit {
                Some(v) => match visit_index.get(v) {
                    Some(&vi) => {
                        if tl.visits.get(vi).is_some_and(|x| x.person != person) {
                            ld.error(
                                Some(i),
                                "visit",
                                format!("visit `{v}` is planned for another person"),
                                None,
                            );
                            continue;
                        }
                        Some(vi)
                    }
                    None => {
                        if kind != "visit_planned" {
                            let help = Loader::suggest(v, visit_index.keys().map(|s| s.as_str()))
                                .or(Some("plan it with a `visit_planned` event first".into()));
                            ld.error(Some(i), "visit", format!("unknown visit `{v}`"), help);
                        }
                        continue;
                    }
                },
                None => None,
            };
            let by = match &e.by {
                Some(b) => match ld.role(i, "by", b) {
                    Some(r) => Some(r),
                    None => continue,
                },
                None => None,
            };
            let id = match &e.id {
                Some(id) => id.clone(),
                None => format!("{kind}@{}", at.format("%Y-%m-%dT%H:%M:%SZ")),
            };
            if let Some(&first) = ids.get(&id) {
                let (line, _) = ld.locator.event(first);
                let help = if e.id.is_some() {
                    format!("event ids must be unique; the first `{id}` is at line {line}")
                } else {
                    format!("two `{kind}` events at the same instant for one timeline; give them ids (the first is at line {line})")
                };
                ld.error(
                    Some(i),
                    if e.id.is_some() { "id" } else { "at" },
                    format!("duplicate event id `{id}`"),
                    Some(help),
                );
                continue;
            }
            ids.insert(id.clone(), i);
            let protocol = tl.persons.get(person).and_then(|p| p.protocol);
            let Some(data) = event_data(&mut ld, i, kind, e, protocol) else {
                continue;
            };
            tl.events.push(Event {
                id,
                at,
                person,
                visit,
                by,
                data,
                line: ld.locator.event(i).0,
            });
        }
        if !ld.errors.is_empty() {
            return Err(ld.errors);
        }
        // Time order, stable for equal instants (file order breaks ties).
        tl.events.sort_by_key(|e| e.at);
        Ok(tl)
    }
}

fn person_ref(
    tl: &mut Timeline,
    index: &mut HashMap<String, usize>,
    rs: &RuleSet,
    id: &str,
) -> usize {
    if let Some(&i) = index.get(id) {
        return i;
    }
    tl.persons.push(PersonRef {
        id: id.to_string(),
        protocol: rs.persons.iter().position(|p| p.id == id),
    });
    index.insert(id.to_string(), tl.persons.len() - 1);
    tl.persons.len() - 1
}

fn outcome(ld: &mut Loader<'_>, i: usize, text: Option<&str>, default: Outcome) -> Option<Outcome> {
    match text {
        None => Some(default),
        Some("no_answer") => Some(Outcome::NoAnswer),
        Some("reached") => Some(Outcome::Reached),
        Some(other) => {
            let help = Loader::suggest(other, ["no_answer", "reached"]);
            ld.error(
                Some(i),
                "outcome",
                format!("unknown outcome `{other}`"),
                help,
            );
            None
        }
    }
}

fn event_data(
    ld: &mut Loader<'_>,
    i: usize,
    kind: &str,
    e: &EventInput,
    protocol: Option<usize>,
) -> Option<EventData> {
    let rs = ld.rs;
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(match kind {
        "visit_planned" => EventData::VisitPlanned,
        "arrived" => EventData::Arrived,
        "departed" => EventData::Departed,
        "no_answer" => EventData::NoAnswer,
        "contact_attempt" => {
            let m = field(&e.method);
            let method = match Method::from_name(&m) {
                Some(x) => x,
                None => {
                    let help = Loader::suggest(&m, Method::names());
                    ld.error(
                        Some(i),
                        "method",
                        format!("unknown contact method `{m}`"),
                        help,
                    );
                    return None;
                }
            };
            EventData::ContactAttempt {
                method,
                outcome: outcome(ld, i, e.outcome.as_deref(), Outcome::NoAnswer)?,
            }
        }
        "observation" => {
            let what = field(&e.what);
            let sym = rs.symbols.get(&what);
            EventData::Observation { what, sym }
        }
        "notified" => EventData::Notified {
            role: ld.role(i, "role", &field(&e.role))?,
        },
        "contact_made" => {
            let c = field(&e.contact);
            let contacts = protocol
                .and_then(|p| rs.persons.get(p))
                .map(|p| &p.contacts);
            let index = contacts.and_then(|cs| cs.iter().position(|x| x.name == c));
            let Some(index) =
                index.and_then(<crate::rules::ContactId as crate::rules::Id>::from_index)
            else {
                let names: Vec<&str> = contacts
                    .map(|cs| cs.iter().map(|x| x.name.as_str()).collect())
                    .unwrap_or_default();
                let help = Loader::suggest(&c, names.iter().copied()).or(Some(
                    "contacts are declared in the person's protocol".into(),
                ));
                ld.error(
                    Some(i),
                    "contact",
                    format!("unknown contact `{c}` for this person"),
                    help,
                );
                return None;
            };
            EventData::ContactMade {
                contact: index,
                outcome: outcome(ld, i, e.outcome.as_deref(), Outcome::Reached)?,
            }
        }
        "agency_contacted" => {
            let a = field(&e.agency);
            match rs.agency_id(&a) {
                Some(agency) => EventData::AgencyContacted { agency },
                None => {
                    let help = Loader::suggest(&a, rs.agencies.iter().map(|x| x.name.as_str()));
                    ld.error(Some(i), "agency", format!("unknown agency `{a}`"), help);
                    return None;
                }
            }
        }
        "contact_established" => EventData::ContactEstablished,
        "whereabouts_confirmed" => EventData::WhereaboutsConfirmed {
            place: e.place.clone(),
        },
        "refusal" => EventData::Refusal {
            task: e.task.clone(),
            reason: e.reason.clone(),
        },
        "safeguarding_referral" => EventData::SafeguardingReferral,
        "record_made" => {
            let l = field(&e.log);
            match rs.log_id(&l) {
                Some(log) => EventData::RecordMade {
                    log,
                    result: e.result.as_deref().and_then(|r| rs.symbols.get(r)),
                },
                None => {
                    let help = Loader::suggest(&l, rs.logs.iter().map(|x| x.name.as_str()));
                    ld.error(Some(i), "log", format!("unknown log `{l}`"), help);
                    return None;
                }
            }
        }
        "at_alert" => EventData::AtAlert {
            alert: e.alert.clone(),
        },
        "escalation_resolved" => EventData::EscalationResolved,
        _ => return None,
    })
}
