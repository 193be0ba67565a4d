//! The closed vocabularies every stage shares: weekdays, contact methods, triggers, event
//! kinds, agency kinds, capacity, legal bases, review verbs, threshold anchors and governance
//! groupings.
//!
//! Each vocabulary is one table (the `vocabulary!` macro): the enum, its names in the
//! language, the list of all of them and the lookup by name come from the same lines, so a
//! new word cannot be added to one and forgotten in another. This module is a leaf: it names
//! no other part of Vigil.

/// What every vocabulary offers, so that one lookup (with "did you mean") serves them all.
pub trait Vocabulary: Copy + 'static {
    /// What a value is called in messages: "contact method", "trigger".
    const WHAT: &'static str;
    /// Every value, in the order declared.
    const ALL: &'static [Self];
    /// The name as written.
    fn name(self) -> &'static str;
    /// The value called `name`.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
}

/// One table per vocabulary: variants with their names in the language.
///
/// Generates the enum (with `Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash`),
/// `ALL`, `name`, `from_name`, `names`, a `Serialize` that writes the name and a
/// `Deserialize` that reads it back.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name as written in documents, timelines and JSON.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value called `name`, if there is one.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Every name, in the order declared (for "did you mean" and help lines).
            pub fn names() -> impl Iterator<Item = &'static str> + Clone {
                $name::ALL.iter().map(|v| v.name())
            }
        }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [$name] = $name::ALL;
            fn name(self) -> &'static str {
                $name::name(self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_name(&text).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&text, &[$($text,)+])
                })
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "description": concat!("The ", $what, ": one of a closed list."),
                    "enum": [$($text,)+],
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// A day of the week, Monday first.
    pub enum Weekday ("day") {
        /// Monday.
        Mon = "Mon",
        /// Tuesday.
        Tue = "Tue",
        /// Wednesday.
        Wed = "Wed",
        /// Thursday.
        Thu = "Thu",
        /// Friday.
        Fri = "Fri",
        /// Saturday.
        Sat = "Sat",
        /// Sunday.
        Sun = "Sun",
    }
}

impl Weekday {
    /// Monday is 0.
    ///
    /// ```
    /// assert_eq!(vigil::vocab::Weekday::Sun.index(), 6);
    /// ```
    pub fn index(self) -> usize {
        self as usize
    }

    /// Monday is 0, as a count of days (for minutes-from-Monday arithmetic).
    pub fn number(self) -> u32 {
        self as u32
    }
}

vocabulary! {
    /// How staff try to reach the person.
    #[non_exhaustive]
    pub enum Method ("contact method") {
        /// Telephone call.
        Phone = "phone",
        /// Text message.
        Text = "text",
        /// Knocking at the door, doorbell.
        Door = "door",
        /// Assistive technology (telecare, pendant, sensors).
        AtAlert = "at_alert",
        /// Video call.
        Video = "video",
        /// Email.
        Email = "email",
        /// Intercom or entry system.
        Intercom = "intercom",
    }
}

impl Method {
    /// The method in plain words, as a duty's summary says it ("by phone, the door").
    pub fn words(self) -> &'static str {
        match self {
            Method::AtAlert => "assistive technology",
            Method::Door => "the door",
            other => other.name(),
        }
    }
}

vocabulary! {
    /// What opens an episode.
    pub enum TriggerKind ("trigger") {
        /// No answer at the door of a planned visit.
        NoAnswer = "no_answer",
        /// A planned visit passed its missed threshold with no arrival.
        MissedVisit = "missed_visit",
        /// A planned visit passed its late threshold with no arrival.
        LateVisit = "late_visit",
        /// A visit needing more than one carer passed its missed threshold with only some of
        /// them arrived.
        PartlyAttended = "partly_attended",
        /// The person refused a visit or task.
        Refusal = "refusal",
        /// An assistive-technology alert.
        AtAlert = "at_alert",
        /// A red-flag observation (the emergency override).
        RedFlag = "red_flag",
        /// Another pathway's step handed over to this one (`hand over to`).
        HandOver = "hand_over",
    }
}

impl TriggerKind {
    /// True for the triggers that leave the person's safety unconfirmed until someone finds
    /// them: their episodes close when the person is found.
    pub fn safety_unconfirmed(self) -> bool {
        matches!(
            self,
            TriggerKind::NoAnswer | TriggerKind::MissedVisit | TriggerKind::AtAlert
        )
    }

    /// True for the triggers a person must act on: with no pathway for one, the evaluator
    /// raises a manual review rather than let it pass. A late visit is shown in the decision
    /// whether or not a pathway acts on it, so a framework may leave it to the missed
    /// threshold.
    pub fn must_be_handled(self) -> bool {
        self != TriggerKind::LateVisit
    }

    /// The trigger as an adjective: "no-answer", "missed-visit", "red-flag".
    pub fn words(self) -> &'static str {
        match self {
            TriggerKind::NoAnswer => "no-answer",
            TriggerKind::MissedVisit => "missed-visit",
            TriggerKind::LateVisit => "late-visit",
            TriggerKind::PartlyAttended => "partly-attended",
            TriggerKind::Refusal => "refusal",
            TriggerKind::AtAlert => "alert",
            TriggerKind::RedFlag => "red-flag",
            TriggerKind::HandOver => "hand-over",
        }
    }
}

vocabulary! {
    /// The kinds of timeline event.
    #[non_exhaustive]
    pub enum EventKind ("event kind") {
        /// A visit is planned.
        VisitPlanned = "visit_planned",
        /// A planned visit is cancelled.
        VisitCancelled = "visit_cancelled",
        /// The worker arrived.
        Arrived = "arrived",
        /// The worker left.
        Departed = "departed",
        /// No answer at the door.
        NoAnswer = "no_answer",
        /// A contact attempt.
        ContactAttempt = "contact_attempt",
        /// An observation.
        Observation = "observation",
        /// A role was notified.
        Notified = "notified",
        /// A contact (family, key holder, ...) was reached or tried.
        ContactMade = "contact_made",
        /// An agency was contacted.
        AgencyContacted = "agency_contacted",
        /// The person was reached and is safe.
        ContactEstablished = "contact_established",
        /// The person's whereabouts are confirmed (hospital, away).
        WhereaboutsConfirmed = "whereabouts_confirmed",
        /// The person refused a visit or task.
        Refusal = "refusal",
        /// A safeguarding referral was made.
        SafeguardingReferral = "safeguarding_referral",
        /// A record was made in a log.
        RecordMade = "record_made",
        /// An assistive-technology alert.
        AtAlert = "at_alert",
        /// A manual review was done.
        Reviewed = "reviewed",
        /// A worker was released from a duty that lasts (a `stay`) by a more senior role.
        Released = "released",
        /// An agency's people (an ambulance crew, the police) arrived.
        AgencyArrived = "agency_arrived",
        /// A decision a step asked for was recorded, with its outcome.
        Decided = "decided",
        /// The escalation was resolved.
        EscalationResolved = "escalation_resolved",
    }
}

vocabulary! {
    /// How an attempt to reach someone ended, as recorded on the event: the person, a contact,
    /// a role being told, or an agency. Every outcome but `reached` is a failure: the step it
    /// ends has failed, and the steps that follow that failure start.
    #[non_exhaustive]
    pub enum Outcome ("outcome") {
        /// Reached: they answered.
        Reached = "reached",
        /// Nobody answered.
        NoAnswer = "no_answer",
        /// Answered, but cannot help now (away, off duty, no capacity to attend).
        NotAvailable = "not_available",
        /// Answered, and refused.
        Refused = "refused",
        /// Reached, but has no key (or the key is not where it should be).
        NoKey = "no_key",
        /// Reached, and it does not apply to them (not their case, not their area).
        NotApplicable = "not_applicable",
        /// The person answered and needs help (fallen, unwell): reached, but not safe, so the
        /// episode stays open.
        NeedsHelp = "needs_help",
        /// Nobody answered, and a message was left (a voicemail, a text, a note through the
        /// door): an unanswered attempt, and the follow-up a spread of attempts asks for.
        MessageLeft = "message_left",
    }
}

impl Outcome {
    /// True for every outcome but `reached`.
    pub fn is_failure(self) -> bool {
        self != Outcome::Reached
    }

    /// The outcome in words: "no answer", "not available".
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no answer",
            Outcome::NotAvailable => "not available",
            Outcome::Refused => "refused",
            Outcome::NoKey => "no key",
            Outcome::NotApplicable => "not applicable",
            Outcome::NeedsHelp => "needs help",
            Outcome::MessageLeft => "no answer, message left",
        }
    }

    /// True if the person did not answer the attempt: no answer, with or without a message
    /// left. Every other outcome of a `contact_attempt` means they answered.
    pub fn unanswered(self) -> bool {
        matches!(self, Outcome::NoAnswer | Outcome::MessageLeft)
    }
}

vocabulary! {
    /// What must follow each unanswered attempt of a spread (`each unanswered then leave
    /// message`): recorded as a `contact_attempt` with `outcome: message_left`.
    pub enum FollowUp ("follow-up") {
        /// Leave a message by any method: a voicemail, a text, a note through the door.
        LeaveMessage = "leave_message",
        /// Send a text message.
        SendText = "send_text",
    }
}

impl FollowUp {
    /// True if an attempt by `method` ending `outcome` is this follow-up.
    pub fn done_by(self, method: Method, outcome: Outcome) -> bool {
        outcome == Outcome::MessageLeft
            && (self == FollowUp::LeaveMessage || method == Method::Text)
    }

    /// The follow-up in words: "leave a message", "send a text".
    pub fn words(self) -> &'static str {
        match self {
            FollowUp::LeaveMessage => "leave a message",
            FollowUp::SendText => "send a text",
        }
    }
}

vocabulary! {
    /// Whether an agency takes external escalations or emergency calls.
    pub enum AgencyKind ("agency kind") {
        /// Adult social care, emergency duty team.
        Statutory = "statutory",
        /// 999 services.
        Emergency = "emergency",
        /// A non-emergency public service: the police non-emergency number (101).
        NonEmergency = "non_emergency",
    }
}

vocabulary! {
    /// A person's capacity to make the decisions a protocol is about.
    pub enum Capacity ("capacity") {
        /// Has capacity.
        Full = "full",
        /// Capacity fluctuates.
        Fluctuating = "fluctuating",
        /// Lacks capacity; decisions are best-interests decisions.
        Lacking = "lacking",
    }
}

vocabulary! {
    /// The legal basis for contacting someone about the person. Who decides and who is
    /// consulted under each is settled by `rules::standing`.
    pub enum Basis ("basis") {
        /// The person agreed.
        Consent = "consent",
        /// A recorded best-interests decision.
        BestInterests = "best_interests",
        /// A registered lasting power of attorney for health and welfare (Mental Capacity Act
        /// 2005 s.9, s.11(7)).
        AttorneyHealthWelfare = "attorney_health_welfare",
        /// A registered lasting power of attorney for property and financial affairs.
        AttorneyPropertyFinance = "attorney_property_finance",
        /// A deputy appointed by the Court of Protection for personal welfare (s.16, s.20).
        DeputyHealthWelfare = "deputy_health_welfare",
        /// A deputy appointed by the Court of Protection for property and affairs.
        DeputyPropertyFinance = "deputy_property_finance",
        /// An independent advocate: an IMCA (s.35-s.39) or a Care Act 2014 advocate (s.67).
        Advocate = "advocate",
    }
}

impl Basis {
    /// The basis in plain words, as a person holding it is described: "their attorney for
    /// health and welfare".
    pub fn words(self) -> &'static str {
        match self {
            Basis::Consent => "the person's consent",
            Basis::BestInterests => "a best-interests decision",
            Basis::AttorneyHealthWelfare => "their attorney for health and welfare",
            Basis::AttorneyPropertyFinance => "their attorney for property and finance",
            Basis::DeputyHealthWelfare => "their deputy for health and welfare",
            Basis::DeputyPropertyFinance => "their deputy for property and finance",
            Basis::Advocate => "their independent advocate",
        }
    }
}

vocabulary! {
    /// The verbs that are discharged by a record in a named log.
    pub enum ReviewVerb ("review verb") {
        /// `review`
        Review = "review",
        /// `assess`
        Assess = "assess",
        /// `explore`
        Explore = "explore",
        /// `update`
        Update = "update",
    }
}

vocabulary! {
    /// What a visit threshold counts from.
    pub enum ThresholdAnchor ("threshold anchor") {
        /// The planned start of the visit.
        PlannedStart = "planned_start",
        /// The planned end of the visit.
        PlannedEnd = "planned_end",
    }
}

impl ThresholdAnchor {
    /// "planned start", "planned end".
    pub fn words(self) -> &'static str {
        match self {
            ThresholdAnchor::PlannedStart => "planned start",
            ThresholdAnchor::PlannedEnd => "planned end",
        }
    }
}

vocabulary! {
    /// What a governance rule counts over: each person, each route, each location, or the
    /// whole provider.
    pub enum Grouping ("grouping") {
        /// Each person separately.
        Person = "person",
        /// Each route (a visit's `route`).
        Route = "route",
        /// Each location (a visit's `location`).
        Location = "location",
        /// The provider as a whole.
        Provider = "provider",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_value() {
        for m in Method::ALL {
            assert_eq!(Method::from_name(m.name()), Some(*m));
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::from_name(e.name()), Some(*e));
        }
        assert_eq!(Weekday::ALL.len(), 7);
        assert_eq!(Grouping::from_name("route"), Some(Grouping::Route));
        assert_eq!(TriggerKind::from_name("no answer"), None);
    }
}

vocabulary! {
    /// What an obligation asks for: the `action` of a duty in a decision. The ladder steps'
    /// actions, and the duties Vigil adds of its own (a manual review, a breach notice, a
    /// spread's follow-up message).
    #[non_exhaustive]
    pub enum Action ("action") {
        /// Make contact attempts with the person.
        AttemptContact = "attempt_contact",
        /// Tell a role.
        Notify = "notify",
        /// Contact one of the person's contacts (or the next of a cascade).
        Contact = "contact",
        /// Record in a log.
        Record = "record",
        /// Escalate to an agency.
        Escalate = "escalate",
        /// Make a safeguarding referral.
        ReferSafeguarding = "refer_safeguarding",
        /// Verify the person's whereabouts.
        VerifyWhereabouts = "verify_whereabouts",
        /// Check something (surroundings, the key safe).
        Check = "check",
        /// Review, by a record in a log.
        Review = "review",
        /// Assess, by a record in a log.
        Assess = "assess",
        /// Explore, by a record in a log.
        Explore = "explore",
        /// Update, by a record in a log.
        Update = "update",
        /// Stay with the person until released or relieved.
        Stay = "stay",
        /// Record a decision.
        Decide = "decide",
        /// Hand over to another pathway.
        HandOver = "hand_over",
        /// Judge by hand what Vigil could not judge.
        ManualReview = "manual_review",
        /// Tell the breach role that a duty was not done in time.
        NotifyBreach = "notify_breach",
        /// Leave a message after an unanswered attempt of a spread.
        LeaveMessage = "leave_message",
        /// Send a text after an unanswered attempt of a spread.
        SendText = "send_text",
    }
}

impl ReviewVerb {
    /// The obligation's action for a duty with this verb.
    pub fn action(self) -> Action {
        match self {
            ReviewVerb::Review => Action::Review,
            ReviewVerb::Assess => Action::Assess,
            ReviewVerb::Explore => Action::Explore,
            ReviewVerb::Update => Action::Update,
        }
    }
}

impl FollowUp {
    /// The obligation's action for this follow-up.
    pub fn action(self) -> Action {
        match self {
            FollowUp::LeaveMessage => Action::LeaveMessage,
            FollowUp::SendText => Action::SendText,
        }
    }
}

/// The most carers a visit may need (`staff N` in a protocol, `staff:` in a timeline): more is a
/// slip of the keyboard.
pub const MAX_STAFF: u32 = 20;
