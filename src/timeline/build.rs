//! Timelines and events built in code: typed builders over the serde form, so that a host
//! writes `EventInput::new(at, "P-1", EventKind::NoAnswer).visit("V1").by("support_worker")`
//! rather than filling strings. Names the rules declare (roles, visits, contacts, logs) stay
//! names: they are checked against the rule set when the event is, with the same errors.

use super::error::TimelineErrors;
use super::input::{EventInput, Format, TimelineInput};
use crate::time::{utc, Instant};
use crate::vocab::{EventKind, Method, Outcome};

impl TimelineInput {
    /// An empty timeline: no events yet, no `as_of`.
    ///
    /// ```
    /// use vigil::timeline::{EventInput, TimelineInput};
    /// use vigil::vocab::EventKind;
    /// let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    /// let timeline = TimelineInput::new()
    ///     .as_of(at("2026-11-24T08:41:00Z"))
    ///     .event(
    ///         EventInput::new(at("2026-11-23T18:00:00Z"), "P-1", EventKind::VisitPlanned)
    ///             .visit("V1")
    ///             .planned(at("2026-11-24T08:00:00Z"))
    ///             .criticality("critical"),
    ///     );
    /// assert_eq!(timeline.events().len(), 1);
    /// assert!(serde_json::to_string(&timeline).unwrap().contains(r#""kind":"visit_planned""#));
    /// ```
    pub fn new() -> TimelineInput {
        TimelineInput::default()
    }

    /// Read a timeline written as YAML or JSON (a file, or a log a host persisted), without
    /// checking it against any rules: an empty text, or one that is not a timeline's shape,
    /// is the one error. [`super::Feed::restore`] or [`super::Timeline::from_input`] checks it.
    pub fn read(text: &str, format: Format, file: &str) -> Result<TimelineInput, TimelineErrors> {
        super::read::read(text, format, file).map_err(TimelineErrors)
    }

    /// The instant the timeline is as of (the command line's default `--at`).
    pub fn as_of(mut self, at: Instant) -> Self {
        self.as_of = Some(utc(&at));
        self
    }

    /// From when the timeline records what happened: protocol visits from then on are
    /// watched (its first event's instant if not given).
    pub fn from(mut self, at: Instant) -> Self {
        self.from = Some(utc(&at));
        self
    }

    /// A person whose protocol visits are watched even if no event mentions them.
    pub fn person(mut self, id: impl Into<String>) -> Self {
        self.persons.push(id.into());
        self
    }

    /// One more event.
    pub fn event(mut self, event: EventInput) -> Self {
        self.events.push(event);
        self
    }

    /// The events in the opposite order (a test of order-independence; a timeline's events
    /// may be written in any order).
    pub fn reverse_events(&mut self) {
        self.events.reverse();
    }

    /// The events, in the order given.
    pub fn events(&self) -> &[EventInput] {
        &self.events
    }

    /// The people listed to be watched.
    pub fn persons(&self) -> &[String] {
        &self.persons
    }

    /// When the timeline records from, as written, if it says.
    pub fn from_text(&self) -> Option<&str> {
        self.from.as_deref()
    }

    /// The instant the timeline says it is as of, as written, if it says.
    pub fn as_of_text(&self) -> Option<&str> {
        self.as_of.as_deref()
    }
}

/// One setter per attribute: each stores the value as a timeline would write it.
macro_rules! text_setters {
    ($($(#[$doc:meta])* $name:ident => $field:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$field = Some(value.into().into_boxed_str());
            self
        }
    )*};
}

impl EventInput {
    /// An event of a built-in kind, at an instant, about a person.
    ///
    /// ```
    /// use vigil::timeline::EventInput;
    /// use vigil::vocab::{EventKind, Method, Outcome};
    /// let at = "2026-11-24T08:05:00Z".parse().unwrap();
    /// let e = EventInput::new(at, "P-1", EventKind::ContactAttempt)
    ///     .visit("V1")
    ///     .by("support_worker")
    ///     .method(Method::Phone)
    ///     .outcome(Outcome::NoAnswer);
    /// assert_eq!(
    ///     serde_json::to_string(&e).unwrap(),
    ///     r#"{"at":"2026-11-24T08:05:00Z","person":"P-1","kind":"contact_attempt","visit":"V1","by":"support_worker","method":"phone","outcome":"no_answer"}"#
    /// );
    /// ```
    pub fn new(at: Instant, person: impl Into<String>, kind: EventKind) -> EventInput {
        EventInput::named(at, person, kind.name())
    }

    /// An event of a trigger the framework declares (`kind: referral`); its attributes are
    /// given with [`EventInput::attribute`].
    pub fn declared(at: Instant, person: impl Into<String>, trigger: impl Into<String>) -> Self {
        EventInput::named(at, person, trigger)
    }

    fn named(at: Instant, person: impl Into<String>, kind: impl Into<String>) -> EventInput {
        EventInput {
            at: Some(utc(&at).into_boxed_str()),
            person: Some(person.into().into_boxed_str()),
            kind: Some(kind.into().into_boxed_str()),
            ..EventInput::default()
        }
    }

    text_setters! {
        /// The event's own id (`kind@instant` if not given); unique in the timeline.
        id => id;
        /// The visit it belongs to.
        visit => visit;
        /// The role who did it.
        by => by;
        /// `visit_planned`: the visit's criticality, as the framework names it.
        criticality => criticality;
        /// `visit_planned`: the protocol visit it plans (`morning`).
        slot => slot;
        /// `visit_planned`: the route, for governance counts.
        route => route;
        /// `visit_planned`: the location, for governance counts.
        location => location;
        /// `observation`: what was observed, as the framework names it.
        what => what;
        /// `notified`: the role told.
        role => role;
        /// `contact_made`: the person's contact called.
        contact => contact;
        /// `agency_contacted`, `agency_arrived`: which agency.
        agency => agency;
        /// `record_made`: which log.
        log => log;
        /// `record_made`: the result recorded, as the framework names it.
        result => result;
        /// `refusal`: what was refused.
        task => task;
        /// `refusal`, `visit_cancelled`: why, as recorded.
        reason => reason;
        /// `at_alert`: which alert.
        alert => alert;
        /// `reviewed`: the id of the manual-review duty done.
        duty => duty;
        /// `whereabouts_confirmed`: where the person is.
        place => place;
    }

    /// `visit_planned`: the planned start.
    pub fn planned(mut self, at: Instant) -> Self {
        self.planned = Some(utc(&at).into_boxed_str());
        self
    }

    /// `visit_planned`: the planned end.
    pub fn planned_end(mut self, at: Instant) -> Self {
        self.planned_end = Some(utc(&at).into_boxed_str());
        self
    }

    /// `visit_planned`: how many carers the visit needs.
    pub fn staff(mut self, carers: u32) -> Self {
        self.staff = Some(carers.into());
        self
    }

    /// `contact_attempt`: how.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method.name().into());
        self
    }

    /// `contact_attempt`, `notified`, `contact_made`, `agency_contacted`: how it ended.
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = Some(outcome.name().into());
        self
    }

    /// `decided`: which decision, and the outcome recorded (names the framework declares).
    pub fn decided(mut self, decision: impl Into<String>, outcome: impl Into<String>) -> Self {
        self.decision = Some(decision.into().into_boxed_str());
        self.outcome = Some(outcome.into().into_boxed_str());
        self
    }

    /// A declared trigger's attribute and its value (`urgency`, `urgent`).
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into().into());
        self
    }

    /// Free text for people, never interpreted.
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into().into());
        self
    }

    /// The kind, as written (`no_answer`, or a declared trigger's name).
    pub fn kind_name(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    /// The person it is about, as written.
    pub fn person_id(&self) -> Option<&str> {
        self.person.as_deref()
    }

    /// When, as written.
    pub fn at_text(&self) -> Option<&str> {
        self.at.as_deref()
    }

    /// Its id, as written (`None` when it has none: the loader then numbers it).
    pub fn id_text(&self) -> Option<&str> {
        self.id.as_deref()
    }
}
