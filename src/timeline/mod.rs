//! Timelines: what happened, as events with exact instants, checked against a rule set.
//!
//! A timeline is YAML or JSON:
//!
//! ```yaml
//! as_of: 2026-11-24T08:41:00Z        # optional
//! events:
//!   - id: v1-plan                    # optional; otherwise derived from kind and instant
//!     at: 2026-11-23T18:00:00Z       # RFC 3339, with an offset: always
//!     person: P-0142
//!     kind: visit_planned
//!     visit: V1
//!     planned: 2026-11-24T08:00:00Z
//!     criticality: critical
//! ```
//!
//! [`Timeline::load`] reads and checks it: every problem (a naive timestamp, an unknown kind,
//! attribute, role, contact, visit or person, a duplicate id) is a [`TimelineError`] with a
//! stable [`ErrorCode`], naming the field, line and column, never a panic and never a silent
//! guess. Events are then kept in time order, stable for equal instants.
//!
//! The files: `input.rs` (what a timeline may say), `error.rs` (errors and their codes),
//! `load.rs` (the entry points and the order of the phases), `read.rs`, `plan.rs`,
//! `shape.rs` and `resolve.rs` (the phases), `loader.rs` (what the phases share),
//! `locate.rs` (where an event's field is written), `unreadable.rs` (a YAML or JSON reader's
//! error in plain words) and `chars.rs` (characters that cannot be seen, or only look like
//! others).

mod build;
mod chars;
mod depth;
mod error;
mod feed;
mod flat;
mod input;
mod json_path;
mod link;
mod load;
mod loader;
mod locate;
mod ndjson;
mod plan;
mod read;
mod redact;
mod resolve;
mod shape;
mod slots;
mod stream;
mod unreadable;
mod versioned;
mod wrong_type;

use crate::rules::{AgencyId, ContactId, CriticalityId, LogId, RoleId, Sym};
use crate::time::Instant;
use crate::vocab::{EventKind, Method};

pub use error::{ErrorCode, TimelineError, TimelineErrors};
pub use feed::Feed;
pub use input::{EventInput, Format, TimelineInput};
pub use redact::{pseudonym, REDACTED};
pub(crate) use slots::ATTENDANCE_SLACK_HOURS;
pub(crate) use stream::{Step, Stream};

/// A person a timeline mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    /// Pseudonymous identifier.
    pub id: String,
    /// Index into the rule set's protocols, or `None` for a person covered by the framework
    /// alone.
    pub protocol: Option<usize>,
}

/// Where a watched visit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VisitSource {
    /// A `visit_planned` event, with no visit of the person's protocol behind it.
    Timeline,
    /// A `visit` line of the person's protocol: nobody planned it in the timeline, and it is
    /// watched all the same.
    Protocol,
    /// A protocol visit, planned in the timeline at its usual time.
    Confirmed,
    /// A protocol visit, planned in the timeline at another time.
    Moved,
}

/// One day's occurrence of a protocol visit: `morning@2026-11-24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    /// Index into the person's protocol visits.
    pub visit: usize,
    /// The local date it is planned for.
    pub date: chrono::NaiveDate,
}

/// A planned visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRef {
    /// Identifier: as the timeline gives it, or `NAME@DATE` for a protocol visit that no
    /// event planned.
    pub id: String,
    /// Index into [`Timeline::persons`].
    pub person: usize,
    /// Planned start.
    pub planned: Instant,
    /// Planned end, if given.
    pub planned_end: Option<Instant>,
    /// Criticality.
    pub criticality: Option<CriticalityId>,
    /// Route, for governance grouping.
    pub route: Option<String>,
    /// Location, for governance grouping.
    pub location: Option<String>,
    /// When the visit was planned (the `visit_planned` event's instant; a protocol visit
    /// nobody planned in the timeline is planned by its protocol, so its start is used).
    pub planned_at: Instant,
    /// Where it comes from.
    pub source: VisitSource,
    /// The protocol visit it is an occurrence of, if any.
    pub slot: Option<Slot>,
    /// How many carers it needs.
    pub staff: u32,
}

pub use crate::vocab::Outcome;

/// What an event says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventData {
    /// A visit was planned (see [`Timeline::visits`]).
    VisitPlanned,
    /// A planned visit was cancelled.
    VisitCancelled {
        /// Why, as recorded (free text for people).
        reason: String,
    },
    /// The worker arrived.
    Arrived,
    /// The worker left.
    Departed,
    /// No answer at the door.
    NoAnswer,
    /// An attempt to reach the person.
    ContactAttempt {
        /// How.
        method: Method,
        /// With what result.
        outcome: Outcome,
    },
    /// Something was observed.
    Observation {
        /// What, as written.
        what: String,
        /// Its symbol: every observation is one the framework declares.
        sym: Sym,
    },
    /// A role was told.
    Notified {
        /// The role told.
        role: RoleId,
        /// Whether they were reached (`no_answer`: the notice failed).
        outcome: Outcome,
    },
    /// A contact of the person was called.
    ContactMade {
        /// Index into the person's contacts.
        contact: ContactId,
        /// With what result.
        outcome: Outcome,
    },
    /// An agency was contacted.
    AgencyContacted {
        /// Which.
        agency: AgencyId,
        /// Whether it was reached and took the case.
        outcome: Outcome,
    },
    /// The person was reached and is safe.
    ContactEstablished,
    /// The person's whereabouts are confirmed.
    WhereaboutsConfirmed {
        /// Where, as written (`hospital`, `away`, ...).
        place: Option<String>,
    },
    /// The person refused a visit or task.
    Refusal {
        /// What was refused.
        task: Option<String>,
        /// Why, as recorded.
        reason: Option<String>,
    },
    /// A safeguarding referral was made.
    SafeguardingReferral,
    /// A record was made in a log.
    RecordMade {
        /// Which log.
        log: LogId,
        /// A result recorded (for governance counts such as `red_risk`): one the framework
        /// declares.
        result: Option<Sym>,
        /// The route the record is about, when it is about a route rather than a visit (a
        /// route audit), for governance counted per route.
        route: Option<String>,
        /// The location it is about, likewise (a location's compliance report).
        location: Option<String>,
    },
    /// An assistive-technology alert.
    AtAlert {
        /// Which alert (`inactivity`, `missed_check_in`, ...).
        alert: Option<String>,
    },
    /// A `manual_review` duty was done: the reviewer judged what Vigil could not.
    Reviewed {
        /// The duty's id, as the decision gives it.
        duty: String,
    },
    /// A worker was released from a `stay` (by the role in `by`).
    Released,
    /// An agency's people arrived.
    AgencyArrived {
        /// Which.
        agency: AgencyId,
    },
    /// The escalation was resolved.
    EscalationResolved,
    /// A decision was recorded.
    Decided {
        /// Which decision.
        decision: crate::rules::DecisionId,
        /// Its outcome: an index into the decision's outcomes.
        outcome: u16,
    },
    /// A trigger the framework declares (`kind: referral`), reported by the role in `by`.
    Declared {
        /// Which trigger.
        trigger: crate::rules::TriggerId,
        /// For each of the trigger's attributes, in the order declared, the index of its value.
        attributes: Vec<u16>,
    },
}

impl EventData {
    /// The event's kind in the vocabulary, for anchors such as `within 2h of arrived`; `None`
    /// for a trigger the framework declares, which is not in the built-in vocabulary.
    pub fn event_kind(&self) -> Option<EventKind> {
        Some(match self {
            EventData::VisitPlanned => EventKind::VisitPlanned,
            EventData::VisitCancelled { .. } => EventKind::VisitCancelled,
            EventData::Arrived => EventKind::Arrived,
            EventData::Departed => EventKind::Departed,
            EventData::NoAnswer => EventKind::NoAnswer,
            EventData::ContactAttempt { .. } => EventKind::ContactAttempt,
            EventData::Observation { .. } => EventKind::Observation,
            EventData::Notified { .. } => EventKind::Notified,
            EventData::ContactMade { .. } => EventKind::ContactMade,
            EventData::AgencyContacted { .. } => EventKind::AgencyContacted,
            EventData::ContactEstablished => EventKind::ContactEstablished,
            EventData::WhereaboutsConfirmed { .. } => EventKind::WhereaboutsConfirmed,
            EventData::Refusal { .. } => EventKind::Refusal,
            EventData::SafeguardingReferral => EventKind::SafeguardingReferral,
            EventData::RecordMade { .. } => EventKind::RecordMade,
            EventData::AtAlert { .. } => EventKind::AtAlert,
            EventData::Reviewed { .. } => EventKind::Reviewed,
            EventData::Released => EventKind::Released,
            EventData::AgencyArrived { .. } => EventKind::AgencyArrived,
            EventData::EscalationResolved => EventKind::EscalationResolved,
            EventData::Decided { .. } => EventKind::Decided,
            EventData::Declared { .. } => return None,
        })
    }

    /// True for the events that close episodes whose safety was unconfirmed: the person is
    /// found (or reached), their whereabouts confirmed, or the escalation resolved.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            EventData::ContactEstablished
                | EventData::WhereaboutsConfirmed { .. }
                | EventData::EscalationResolved
                | EventData::ContactAttempt {
                    outcome: Outcome::Reached,
                    ..
                }
        )
    }
}

/// One event, checked and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Identifier: as given, or `kind@instant` (stable as a timeline grows).
    pub id: String,
    /// When.
    pub at: Instant,
    /// Index into [`Timeline::persons`].
    pub person: usize,
    /// Index into [`Timeline::visits`].
    pub visit: Option<usize>,
    /// The role who did it.
    pub by: Option<RoleId>,
    /// What happened.
    pub data: EventData,
    /// One-based line where the event is written (0 for events built in code).
    pub line: usize,
}

/// A checked timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    /// The instant the timeline says it is as of, if it says.
    pub as_of: Option<Instant>,
    /// From when the timeline records what happened, if it says (otherwise from its first
    /// event): protocol visits from then on are watched.
    pub from: Option<Instant>,
    /// People mentioned, in order of first mention.
    pub persons: Vec<PersonRef>,
    /// Visits planned.
    pub visits: Vec<VisitRef>,
    /// Events in time order (stable for equal instants).
    pub events: Vec<Event>,
}

impl Timeline {
    /// The instant to evaluate at when the caller names none: the timeline's own `as_of`;
    /// for an audit, which replays what happened, else its last event. `None`: the caller
    /// must choose, and a live host chooses its clock (the evaluator never reads it).
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let text = r#"{"events": [{"at": "2026-11-23T18:00:00Z", "person": "P-1", "kind": "visit_planned",
    ///   "visit": "V1", "planned": "2026-11-24T08:00:00Z", "criticality": "critical"}]}"#;
    /// let tl = Timeline::load(text, Format::Json, "t.json", &rs).unwrap();
    /// assert_eq!(tl.default_as_of(false), None);
    /// assert_eq!(tl.default_as_of(true), Some("2026-11-23T18:00:00Z".parse().unwrap()));
    /// ```
    pub fn default_as_of(&self, audit: bool) -> Option<Instant> {
        self.as_of
            .or_else(|| audit.then(|| self.events.last().map(|e| e.at)).flatten())
    }

    /// Where the timeline's record starts, when it says: its `from`, else its first event.
    /// (With neither, an evaluation starts it at the beginning of `as_of`'s local day.)
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let tl = Timeline::load("from: 2026-11-23T00:00:00Z\nevents: []\n", Format::Yaml, "t.yaml", &rs).unwrap();
    /// assert_eq!(tl.record_from(), Some("2026-11-23T00:00:00Z".parse().unwrap()));
    /// ```
    pub fn record_from(&self) -> Option<Instant> {
        self.from.or_else(|| self.events.first().map(|e| e.at))
    }

    /// The person with this id.
    pub fn person_index(&self, id: &str) -> Option<usize> {
        self.persons.iter().position(|p| p.id == id)
    }
}
