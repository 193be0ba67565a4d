//! The checked rule set: what the checker builds and the evaluator consumes.
//!
//! Everything here is resolved: names are indices, durations are seconds, conditions are
//! compiled over indices, person facts known at check time are folded to constants. No
//! string comparison is left for evaluation; strings kept here are for output only.
//! Only the checker constructs a [`RuleSet`].

pub use versions::{Versions, VersionsError};
pub mod cascade;
pub mod coverage;
pub mod deadline;
pub mod describe;
pub mod flow;
mod metric;
pub mod standing;
pub mod trigger;
mod versions;
mod visit;

pub use cascade::CascadeItem;
pub use trigger::{AttributeDef, TriggerDef, TriggerOn};

use crate::span::Span;
use crate::time::{CalendarDef, WeeklyWindow};
use crate::vocab::{
    AgencyKind, Basis, Capacity, EventKind, Grouping, Method, ReviewVerb, ThresholdAnchor,
    TriggerKind, Weekday,
};

/// Where a rule came from: the file, the span, and its one-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    /// The file as given.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// Byte span.
    #[serde(skip)]
    pub span: Span,
    /// Index of the source among those checked.
    #[serde(skip)]
    pub source: usize,
}

/// Where a rule is written, as a decision cites it: `pathway.step`, file, line, column.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required))]
pub struct RuleRef {
    /// `pathway.step`, or `governance.rule`, or `visit_thresholds`.
    pub name: String,
    /// The file it is written in.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
}

/// The typed indices a rule set uses in place of names. Only the checker's declaration tables
/// issue them (through [`Id::from_index`], which refuses an index past 65,535), so an index
/// of one kind cannot stand for another, and none is ever made up as a default.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        pub struct $name(u16);

        impl $name {
            /// The position it stands for in its table.
            pub fn index(self) -> usize {
                usize::from(self.0)
            }
        }

        impl Id for $name {
            fn from_index(i: usize) -> Option<Self> {
                u16::try_from(i).ok().map($name)
            }
            fn index(self) -> usize {
                usize::from(self.0)
            }
        }
    )*};
}

/// A typed index into one of a rule set's tables.
pub trait Id: Copy {
    /// The id for position `i`, or `None` past the largest a rule set holds (65,536 of a kind).
    fn from_index(i: usize) -> Option<Self>;
    /// The position it stands for.
    fn index(self) -> usize;
}

ids! {
    /// Index of a role.
    RoleId;
    /// Index of a role alias.
    AliasId;
    /// Index of a calendar.
    CalendarId;
    /// Index of an agency.
    AgencyId;
    /// Index of a log.
    LogId;
    /// Index of a visit criticality.
    CriticalityId;
    /// Index of a review cycle.
    CycleId;
    /// Index of one of a person's contacts.
    ContactId;
    /// Index of a contact class the framework declares.
    ClassId;
    /// Index of one of a person's known absences.
    AbsenceId;
    /// Index of one of a person's agreed exceptions.
    ExceptionId;
    /// Index of one of a person's planned visits.
    VisitId;
    /// Index of a pathway.
    PathwayId;
    /// Index of a governance rule.
    RuleId;
    /// Index of a decision the framework declares.
    DecisionId;
    /// Index of a trigger the framework declares.
    TriggerId;
}

/// An interned free-form name (observations, check targets, routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Sym(pub u32);

/// Interned names, so that evaluation compares integers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interner {
    names: Vec<String>,
    index: std::collections::BTreeMap<String, Sym>,
}

impl Interner {
    /// The symbol for `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(s) = self.index.get(name) {
            return *s;
        }
        let s = Sym(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), s);
        s
    }

    /// The symbol for `name` if it was ever interned.
    pub fn get(&self, name: &str) -> Option<Sym> {
        self.index.get(name).copied()
    }

    /// The name of a symbol.
    pub fn name(&self, s: Sym) -> &str {
        self.names.get(s.0 as usize).map_or("", |n| n.as_str())
    }
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDef {
    /// Identifier (shared, since every decision names roles).
    pub name: std::sync::Arc<str>,
    /// Display name.
    pub display: std::sync::Arc<str>,
    /// Every role this one may act for, directly or through others (not itself).
    pub covers: Vec<RoleId>,
    /// Where declared.
    pub origin: Origin,
}

/// Who must act: a role, or an alias resolved through a calendar at the firing instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Responsible {
    /// A fixed role.
    Role(RoleId),
    /// An alias.
    Alias(AliasId),
}

/// `alias manager is duty_manager in office_hours otherwise on_call_manager`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// Role inside the calendar.
    pub inside: RoleId,
    /// The calendar.
    pub calendar: CalendarId,
    /// Role at other times.
    pub otherwise: RoleId,
}

/// An agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// Kind.
    pub kind: AgencyKind,
}

/// A log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
}

/// Late and missed thresholds for one criticality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdDef {
    /// Criticality name.
    pub criticality: String,
    /// Seconds after the anchor with no arrival: late.
    pub late: u64,
    /// Seconds after the anchor with no arrival: missed.
    pub missed: u64,
    /// Out of hours (late, missed); never laxer than in hours.
    pub out_of_hours: Option<(u64, u64)>,
    /// What the thresholds count from.
    pub anchor: ThresholdAnchor,
    /// Citations.
    pub cites: Vec<String>,
    /// Where declared (the protocol's override if there is one).
    pub origin: Origin,
    /// Justification recorded for a laxer protocol override.
    pub because: Option<String>,
}

/// What a step requires; each is discharged by one kind of event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionDef {
    /// `attempt contact`: discharged by `times` contact attempts.
    Attempt {
        /// Methods in order (the protocol's methods when the step names none).
        methods: Vec<Method>,
        /// Attempts required.
        times: u32,
        /// Spacing in seconds.
        every: Option<u64>,
        /// The calendars that must each hold at least one of the attempts, judged at each
        /// attempt's instant (`covering morning, afternoon, evening`); empty for none.
        covering: Vec<CalendarId>,
        /// What must follow each unanswered attempt (`each unanswered then leave message`):
        /// a duty of its own, due the framework's `immediately` after the attempt.
        follow_up: Option<crate::vocab::FollowUp>,
    },
    /// `notify R`: discharged by a `notified` event naming R (or a role covering it).
    Notify(Responsible),
    /// `contact a then key_holders`: a cascade, as written: the person's contacts and the
    /// framework's contact classes, in order. [`PersonRules::cascade`] gives who is tried.
    Contact(Vec<CascadeItem>),
    /// `record L`: discharged by a `record_made` event in log L.
    Record(LogId),
    /// `escalate to A`: discharged by an `agency_contacted` event naming A.
    Escalate(AgencyId),
    /// `refer safeguarding`: discharged by a `safeguarding_referral` event.
    ReferSafeguarding,
    /// `verify whereabouts`: discharged by `whereabouts_confirmed` or `contact_established`.
    VerifyWhereabouts,
    /// `check X`: discharged by an observation.
    Check(Sym),
    /// `review L` and kin: discharged by a `record_made` event in log L.
    Review(ReviewVerb, LogId),
    /// `stay`: ended, done, by the step's `until` event.
    Stay,
    /// `decide D`: ended by the decision's outcome, recorded in `decided` events.
    Decide(DecisionId),
    /// `hand over to P`: starts pathway P for the same person; done as it starts.
    HandOver(String),
}

/// What a `within` deadline counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The step's start: the trigger, or for a sequential step the moment its predecessor
    /// was done or went overdue.
    Start,
    /// The trigger, even for a sequential step.
    Trigger,
    /// When another step (index in the pathway) was done.
    Step(u16),
    /// The first event of this kind in the episode.
    Event(EventKind),
}

/// A simple deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineAtomDef {
    /// `within D of ANCHOR`
    Within {
        /// Seconds.
        secs: u64,
        /// From what.
        anchor: Anchor,
    },
    /// `by HH:MM [next working day]`
    ByClock {
        /// Local hour.
        hour: u32,
        /// Local minute.
        minute: u32,
        /// On the next working day rather than the next occurrence.
        next_working_day: bool,
    },
    /// `by end of day`: next local midnight.
    EndOfDay,
    /// `by end of working day`.
    EndOfWorkingDay,
    /// `by next working day`: end of the next working day.
    NextWorkingDay,
    /// `within N working days`: N whole working days of the local calendar from the start.
    WorkingDays {
        /// How many working days.
        days: u32,
    },
    /// `within D of CALENDAR`: D of elapsed time counted only while the calendar is open,
    /// from the start.
    InCalendar {
        /// Seconds of open time.
        secs: u64,
        /// The calendar whose open time counts.
        calendar: CalendarId,
    },
}

/// When a step is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineDef {
    /// One deadline.
    Atom(DeadlineAtomDef),
    /// The earlier of two.
    Earliest(DeadlineAtomDef, DeadlineAtomDef),
    /// The later of two.
    Latest(DeadlineAtomDef, DeadlineAtomDef),
}

/// A compiled condition. Person facts are folded to constants when a protocol is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// Always this value.
    Const(bool),
    /// All hold.
    And(Vec<Cond>),
    /// Any holds.
    Or(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
    /// Outside the framework's office hours at the trigger.
    OutOfHours,
    /// Inside a calendar at the trigger.
    InCalendar(CalendarId),
    /// Inside an absence window (index into the person's absences) at the trigger.
    DuringAbsence(AbsenceId),
    /// Inside an agreed exception (index into the person's exceptions) at the trigger.
    DuringException(ExceptionId),
    /// An observation of this kind was recorded in the episode so far.
    Observed(Sym, u64),
    /// The visit has this criticality.
    Visit(CriticalityId),
    /// The declared trigger's attribute (an index into its attributes) has this value (an
    /// index into the attribute's values); the third is how many values it has, so that a
    /// proof knows exactly one holds.
    Attribute(u16, u16, u16),
    /// The trigger was reported by this role.
    ReportedBy(RoleId),
}

impl Cond {
    /// True if the condition can hold only once something is observed (`observed X`, alone or
    /// in every alternative, or beside other conditions): a step it guards fires when the
    /// observation arrives, which may be any time after the trigger.
    pub fn waits_for_observation(&self) -> bool {
        match self {
            Cond::Observed(..) => true,
            Cond::And(cs) => cs.iter().any(Cond::waits_for_observation),
            Cond::Or(cs) => !cs.is_empty() && cs.iter().all(Cond::waits_for_observation),
            _ => false,
        }
    }
}

/// A step of a pathway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDef {
    /// Identifier (unique in its pathway).
    pub name: String,
    /// The stage it belongs to.
    pub stage: Option<String>,
    /// What is required.
    pub action: ActionDef,
    /// Who must do it.
    pub responsible: Responsible,
    /// When (absent: order only, never overdue).
    pub deadline: Option<DeadlineDef>,
    /// Sequential: index of the step it waits for.
    pub after: Option<u16>,
    /// Which of that step's ends it follows (any end, some outcomes, or the rest).
    pub follows: flow::Follow,
    /// For a decision several roles share: `Some((all, roles))` (`by any of` / `by all of`).
    pub deciders: Option<flow::Deciders>,
    /// Whether the duty stays due when the episode closes (`on closure stays`), ends there
    /// (`on closure ends`), or follows the default rule (`None`: see [`StepDef::stays_at_closure`]).
    pub at_closure: Option<bool>,
    /// For a `stay`: the kind of event that ends it (`until released`).
    pub until: Option<crate::vocab::EventKind>,
    /// When it applies.
    pub condition: Cond,
    /// Its calendar, absence and exception conditions are judged when it starts, not at the
    /// trigger (`judged at start`).
    pub judged_at_start: bool,
    /// The `when` clause as written, for explaining which condition held.
    pub when_text: Option<String>,
    /// On breach: who is notified and by when (from the breach instant).
    pub breach: Option<(Responsible, DeadlineDef)>,
    /// Citations (the framework rule's first when a protocol refines it).
    pub cites: Vec<String>,
    /// Where this step is written.
    pub origin: Origin,
    /// The framework step it refines, if a protocol step.
    pub refines: Option<Origin>,
    /// Justification recorded for a laxer refinement.
    pub because: Option<String>,
    /// Where it is written, as decisions cite it (set when its pathway is compiled).
    pub provenance: std::sync::Arc<RuleRef>,
    /// Its citations followed by its pathway's, as decisions list them.
    pub all_cites: std::sync::Arc<[String]>,
    /// What it asks, in words: for a notice to an alias, to each side of it (inside the
    /// alias's calendar, then otherwise); otherwise twice the same.
    pub summaries: [std::sync::Arc<str>; 2],
}

/// A pathway: a trigger and its ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathwayDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// What opens an episode.
    pub trigger: TriggerOn,
    /// When the pathway takes a trigger, judged at the trigger (`on referral when
    /// out_of_hours`): `Const(true)` when the line says nothing.
    pub when: Cond,
    /// The pathway's `when` as written, for explaining it.
    pub when_text: Option<String>,
    /// A pattern: the Nth trigger inside a rolling window of seconds.
    pub repeat: Option<(u32, u64)>,
    /// Ladder steps in order.
    pub steps: Vec<StepDef>,
    /// Duties created at closure.
    pub after_closure: Vec<StepDef>,
    /// Citations.
    pub cites: Vec<String>,
    /// Where declared.
    pub origin: Origin,
}

/// Minimums every protocol must meet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Floors {
    /// Longest wait from the trigger to internal escalation, seconds.
    pub internal_escalation: Option<u64>,
    /// Fewest contact attempts.
    pub contact_attempts: Option<u32>,
    /// An emergency override is mandatory.
    pub emergency_override: bool,
    /// External escalation is mandatory on no-response ladders.
    pub external_escalation: bool,
    /// Out-of-hours thresholds may not be laxer.
    pub out_of_hours_parity: bool,
}

/// A contact class: a framework's name for contacts every protocol supplies its own of
/// (`class key_holders "Key holders" at least 3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// The fewest contacts each protocol must put in it.
    pub at_least: Option<u32>,
    /// Citation.
    pub cites: Vec<String>,
}

/// A contact of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// Kind (`family`, `key_holder`, ...).
    pub kind: String,
    /// Earliest stage.
    pub from_stage: Option<String>,
    /// Basis and its record.
    pub basis: Option<(Basis, String)>,
    /// The framework's contact classes the protocol puts the contact in.
    pub classes: Vec<ClassId>,
}

/// A planned weekly visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDef {
    /// Identifier.
    pub name: String,
    /// Days.
    pub days: Vec<Weekday>,
    /// Display name.
    pub display: String,
    /// Local start (hour, minute).
    pub at: (u32, u32),
    /// Local planned end (hour, minute), if written: on the next day when it is not after
    /// the start.
    pub end: Option<(u32, u32)>,
    /// Criticality.
    pub criticality: CriticalityId,
    /// How many carers it needs.
    pub staff: u32,
    /// Where it is written.
    pub origin: Origin,
}

/// A known weekly absence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// The weekly windows.
    pub windows: Vec<WeeklyWindow>,
}

/// An agreed exception: a window of local wall time, half-open like a calendar's, and what it
/// changes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// Local wall time it starts (included): the start of the first day for a date alone.
    pub from: chrono::NaiveDateTime,
    /// Local wall time it ends (excluded): the start of the day after a last date written alone.
    pub until: chrono::NaiveDateTime,
    /// Visits in the window open no missed-visit episodes.
    pub suspend_visits: bool,
    /// Why.
    pub because: Option<String>,
    /// Citations.
    pub cites: Vec<String>,
    /// Pathways suspended or changed for the window.
    pub changes: Vec<PathwayChange>,
    /// The window in words, worked out once: every step conditioned on it quotes it.
    pub window_text: std::sync::Arc<str>,
}

/// What an agreed exception does to one pathway for its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathwayChange {
    /// The pathway's name.
    pub pathway: String,
    /// The ladder used instead, steps replaced or suspended; `None`: the pathway is suspended.
    pub ladder: Option<PathwayDef>,
}

impl ExceptionDef {
    /// Whether the window holds the instant `t`: from its start (included) up to its end
    /// (excluded), each local wall time made an instant by the one rule of docs/time.md. The
    /// one test every stage uses (visits, conditions, pathway changes).
    pub fn covers(&self, civil: crate::time::Civil<'_>, t: crate::time::Instant) -> bool {
        civil.at_local(self.from) <= t && t < civil.at_local(self.until)
    }

    /// The window in words: "from 14:00 Fri 04 Dec 2026 to 18:00 Sun 06 Dec 2026".
    pub fn window_words(&self) -> &str {
        &self.window_text
    }

    /// The words for a window from `from` to `until` (local wall times).
    pub fn words_for(from: chrono::NaiveDateTime, until: chrono::NaiveDateTime) -> String {
        let at = |d: chrono::NaiveDateTime| d.format("%H:%M %a %d %b %Y").to_string();
        format!("from {} to {}", at(from), at(until))
    }

    /// What the exception does to the pathway called `pathway`, if anything.
    pub fn change_for(&self, pathway: &str) -> Option<&PathwayChange> {
        self.changes.iter().find(|c| c.pathway == pathway)
    }
}

/// A contact method one of the person's communication needs rules out: at all times (the
/// checker then refuses any step using it), or only inside a calendar (judged at each attempt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuledOut {
    /// The method.
    pub method: Method,
    /// The communication need that rules it out.
    pub need: String,
    /// Only inside this calendar; `None`: at all times.
    pub window: Option<CalendarId>,
}

/// A communication need the framework declares: `communication no_phone "Cannot use a phone"
/// rules out phone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// The methods it rules out.
    pub rules_out: Vec<Method>,
    /// Only inside this calendar; `None`: at all times.
    pub window: Option<CalendarId>,
}

/// One person's effective rules: the framework's, refined by their protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRules {
    /// Pseudonymous identifier.
    pub id: String,
    /// The protocol's file, if the person has one.
    pub origin: Option<Origin>,
    /// Risks.
    pub risks: Vec<String>,
    /// Capacity, if recorded.
    pub capacity: Option<Capacity>,
    /// Communication needs.
    pub communication: Vec<String>,
    /// Facts about the person's home and service.
    pub has: Vec<String>,
    /// The contact methods the person's communication needs rule out, and when.
    pub ruled_out: Vec<RuledOut>,
    /// Contact methods in order.
    pub methods: Vec<Method>,
    /// Contacts.
    pub contacts: Vec<ContactDef>,
    /// Planned visits.
    pub visits: Vec<VisitDef>,
    /// Known absences.
    pub absences: Vec<AbsenceDef>,
    /// Agreed exceptions.
    pub exceptions: Vec<ExceptionDef>,
    /// Thresholds (framework's, with this person's overrides).
    pub thresholds: Vec<ThresholdDef>,
    /// Pathways (framework's, refined, plus the protocol's own).
    pub pathways: Vec<PathwayDef>,
}

impl PersonRules {
    /// The contacts a cascade tries for this person, in order (see [`cascade::expand`]): the
    /// one expansion the evaluator and the words use.
    pub fn cascade(&self, items: &[CascadeItem]) -> Vec<ContactId> {
        cascade::expand(items, &self.contacts)
    }
}

/// What a governance rule counts, or when a periodic duty falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricDef {
    /// At least `at_least` of something (`first`: the first) inside one window, per group.
    Count {
        /// What is counted.
        what: CountedDef,
        /// Threshold.
        at_least: u32,
        /// Where counts are kept.
        window: WindowDef,
        /// What is counted over.
        per: Grouping,
        /// Written as `first` (a count of at least one), for the words.
        first: bool,
    },
    /// An episode still open at the end of its local day.
    UnresolvedBeyondSameDay {
        /// Only this trigger's episodes; `None`: every trigger that leaves safety unconfirmed.
        trigger: Option<TriggerOn>,
        /// What is counted over.
        per: Grouping,
    },
    /// `count` results in a row.
    Consecutive {
        /// How many.
        count: u32,
        /// What result.
        what: Sym,
        /// The results the run is counted among (its family): a record with any other
        /// result neither continues nor breaks it.
        family: Vec<Sym>,
        /// What is counted over.
        per: Grouping,
    },
    /// A periodic duty due `every` seconds after it was last done, the first that long
    /// after the record starts.
    Every {
        /// Seconds.
        every: u64,
    },
    /// A periodic duty done `times` times in each local week, Monday to Sunday.
    TimesEachWeek {
        /// How many.
        times: u32,
    },
    /// A periodic duty opening at local times (hour, minute; sorted) on some days.
    At {
        /// The days it opens on.
        days: Vec<crate::vocab::Weekday>,
        /// The local times.
        at: Vec<(u32, u32)>,
    },
    /// A trigger of a criticality whose named step was not done within a time.
    Without {
        /// The trigger.
        trigger: TriggerKind,
        /// The criticality.
        criticality: CriticalityId,
        /// The step name.
        step: String,
        /// Seconds.
        within: u64,
    },
}

impl MetricDef {
    /// What the rule counts over (`per route`), if it counts; a periodic duty counts nothing.
    pub fn per(&self) -> Option<crate::vocab::Grouping> {
        match self {
            MetricDef::Count { per, .. }
            | MetricDef::UnresolvedBeyondSameDay { per, .. }
            | MetricDef::Consecutive { per, .. } => Some(*per),
            _ => None,
        }
    }
}

/// What a governance count counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedDef {
    /// Its name as written (a trigger, a result or a family of results).
    pub name: String,
    /// Episodes of a trigger, or records with one of some results.
    pub kind: CountedKind,
    /// For a trigger: only episodes about a visit of this criticality.
    pub criticality: Option<CriticalityId>,
    /// Only those out of office hours.
    pub out_of_hours: bool,
}

/// Episodes or records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountedKind {
    /// Episodes opened by this trigger (one per trigger event, however many pathways it
    /// opened).
    Trigger(TriggerOn),
    /// Records carrying one of these results.
    Results(Vec<Sym>),
}

/// Where a governance count is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowDef {
    /// One review cycle.
    Cycle(CycleId),
    /// One local day.
    Day,
    /// One local week, Monday 00:00 to the next.
    Week,
    /// Any span of this many seconds.
    Rolling(u64),
    /// The whole record (`first` with no window).
    Record,
}

/// A review cycle: local review times; a cycle runs from one to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleDef {
    /// Identifier.
    pub name: String,
    /// Local times (hour, minute), sorted.
    pub at: Vec<(u32, u32)>,
}

impl CycleDef {
    /// The start of the cycle holding `t`: the latest review time at or before it (today or
    /// yesterday, local). `None` for a cycle with no review times.
    pub fn start_of(
        &self,
        civil: &crate::time::Civil<'_>,
        t: crate::time::Instant,
    ) -> Option<crate::time::Instant> {
        let today = civil.local_date(t);
        let mut best: Option<crate::time::Instant> = None;
        for back in 0..2 {
            let date = today.checked_sub_signed(chrono::Duration::days(back))?;
            for (h, m) in &self.at {
                let at = civil.at(date, *h, *m);
                if at <= t && best.is_none_or(|b| at > b) {
                    best = Some(at);
                }
            }
        }
        best
    }
}

/// A governance rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovRuleDef {
    /// Identifier.
    pub name: String,
    /// What is watched.
    pub metric: MetricDef,
    /// What must be done.
    pub action: ActionDef,
    /// Who.
    pub responsible: Responsible,
    /// By when.
    pub deadline: Option<DeadlineDef>,
    /// Citations.
    pub cites: Vec<String>,
    /// Where.
    pub origin: Origin,
    /// Where it is written, as decisions cite it (`governance.NAME`).
    pub provenance: std::sync::Arc<RuleRef>,
    /// Its citations, shared by every duty it creates.
    pub all_cites: std::sync::Arc<[String]>,
}

/// A checked framework with its protocols: what the evaluator runs.
///
/// Only the checker builds one ([`crate::check::check`], [`crate::compile`]): its fields are
/// private to the crate, and a host reads it through the methods below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// Framework name.
    pub(crate) framework: String,
    /// Framework version.
    pub(crate) version: String,
    /// The local date this version comes into force (`effective`), if it says: from local
    /// midnight of that date in the framework's zone.
    pub(crate) effective: Option<chrono::NaiveDate>,
    /// SHA-256 (hex) over the sources and the bank-holiday data in force, so a decision names
    /// exactly the rules and holidays it used ([`rule_set_hash`]).
    pub(crate) hash: String,
    /// SHA-256 over the sources alone, kept so that new bank-holiday data can be hashed in.
    pub(crate) sources_digest: [u8; 32],
    /// IANA time zone.
    pub(crate) timezone: chrono_tz::Tz,
    /// Bank-holiday division (`england-and-wales`, `scotland`, `northern-ireland`).
    pub(crate) bank_holidays: String,
    /// The division's bank holidays: the embedded data, or a newer file given by the host.
    pub(crate) holidays: crate::time::Holidays,
    /// Seconds that `immediately` stands for.
    pub(crate) immediately: u64,
    /// Roles.
    pub(crate) roles: Vec<RoleDef>,
    /// Aliases.
    pub(crate) aliases: Vec<AliasDef>,
    /// Calendars.
    pub(crate) calendars: Vec<CalendarDef>,
    /// The calendar named `office_hours`, if declared.
    pub(crate) office_hours: Option<CalendarId>,
    /// Agencies.
    pub(crate) agencies: Vec<AgencyDef>,
    /// Logs.
    pub(crate) logs: Vec<LogDef>,
    /// Contact classes.
    pub(crate) classes: Vec<ClassDef>,
    /// Criticality names.
    pub(crate) criticalities: Vec<String>,
    /// Red-flag observations (a group named in `red_flags` stands for its members).
    pub(crate) red_flags: Vec<Sym>,
    /// The observations staff may record.
    pub(crate) observations: Vec<Sym>,
    /// Named groups of observations, with their members.
    pub(crate) observation_groups: Vec<(Sym, Vec<Sym>)>,
    /// The results a record may carry.
    pub(crate) results: Vec<Sym>,
    /// The risks and the facts about a home a protocol may record, as declared.
    pub(crate) risks_and_facts: (Vec<String>, Vec<String>),
    /// The communication needs a protocol may record, each with the methods it rules out.
    pub(crate) needs: Vec<NeedDef>,
    /// The decisions steps may ask for.
    pub(crate) decisions: Vec<flow::DecisionDef>,
    /// The triggers the framework declares.
    pub(crate) triggers: Vec<TriggerDef>,
    /// Floors.
    pub(crate) floors: Floors,
    /// The framework's own rules, for a person with no protocol.
    pub(crate) default_person: PersonRules,
    /// People with protocols.
    pub(crate) persons: Vec<PersonRules>,
    /// Review cycles.
    pub(crate) cycles: Vec<CycleDef>,
    /// Governance rules.
    pub(crate) governance: Vec<GovRuleDef>,
    /// Interned free-form names.
    pub(crate) symbols: Interner,
    /// Where the framework is declared.
    pub(crate) origin: Origin,
    /// Who a manual review goes to: the framework's `manager` alias if it has one, else the
    /// registered manager, else the role covering the most others (settled when checked).
    pub(crate) review_role: Option<Responsible>,
    /// What a manual review about a visit cites: the framework's visit thresholds.
    pub(crate) threshold_provenance: std::sync::Arc<RuleRef>,
}

/// The rule-set hash: SHA-256, as 64 hex digits, over the sources' digest and the bank-holiday
/// data in force, so that the same rules with other holidays are told apart.
pub(crate) fn rule_set_hash(sources: &[u8; 32], holidays: &crate::time::Holidays) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(sources);
    h.update(holidays.canonical_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl StepDef {
    /// Whether the duty stands when the episode closes before it is done: as the step says,
    /// or by default only a timed record or review (finding the person ends the search, not
    /// the record of it).
    pub fn stays_at_closure(&self) -> bool {
        self.at_closure.unwrap_or(
            matches!(self.action, ActionDef::Record(_) | ActionDef::Review(..))
                && self.deadline.is_some(),
        )
    }
}

impl ActionDef {
    /// The obligation's action for a duty of this step (`notify`, `record`,
    /// `attempt_contact`, or the review verb).
    pub fn action(&self) -> crate::vocab::Action {
        use crate::vocab::Action;
        match self {
            ActionDef::Attempt { .. } => Action::AttemptContact,
            ActionDef::Notify(_) => Action::Notify,
            ActionDef::Contact(_) => Action::Contact,
            ActionDef::Record(_) => Action::Record,
            ActionDef::Escalate(_) => Action::Escalate,
            ActionDef::ReferSafeguarding => Action::ReferSafeguarding,
            ActionDef::VerifyWhereabouts => Action::VerifyWhereabouts,
            ActionDef::Check(_) => Action::Check,
            ActionDef::Review(v, _) => v.action(),
            ActionDef::Stay => Action::Stay,
            ActionDef::Decide(_) => Action::Decide,
            ActionDef::HandOver(_) => Action::HandOver,
        }
    }

    /// A short machine name for the action, as decisions give it.
    pub fn name(&self) -> &'static str {
        self.action().name()
    }
}

impl RuleSet {
    /// The framework's name.
    pub fn framework(&self) -> &str {
        &self.framework
    }

    /// The framework's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// When this version comes into force: local midnight of its `effective` date in the
    /// framework's zone; `None` when it does not say (in force from the start of time).
    pub fn effective(&self) -> Option<crate::time::Instant> {
        self.effective.map(|d| self.civil().at(d, 0, 0))
    }

    /// SHA-256 (64 hex digits) over the sources and the bank-holiday data in force, so a
    /// decision names exactly the rules and holidays it used.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The framework's time zone.
    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone
    }

    /// The bank holidays in force (embedded, or set with [`RuleSet::set_holidays_json`]).
    pub fn holidays(&self) -> &crate::time::Holidays {
        &self.holidays
    }

    /// The people with protocols, each with their effective rules.
    pub fn persons(&self) -> &[PersonRules] {
        &self.persons
    }

    /// The roles, in declaration order.
    pub fn roles(&self) -> &[RoleDef] {
        &self.roles
    }

    /// The governance rules.
    pub fn governance(&self) -> &[GovRuleDef] {
        &self.governance
    }

    /// Civil time for this rule set: its zone and bank holidays.
    pub fn civil(&self) -> crate::time::Civil<'_> {
        crate::time::Civil::new(self.timezone, &self.holidays)
    }

    /// Use newer bank-holiday data in GOV.UK's shape for this rule set's division.
    ///
    /// ```
    /// # let rs = vigil::check::check(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).rulesets.remove(0);
    /// let mut rs = rs;
    /// let newer = r#"{"england-and-wales": {"events": [{"date": "2028-01-03"}]}}"#;
    /// rs.set_holidays_json(newer).unwrap();
    /// assert!(rs.holidays().covers(chrono::NaiveDate::from_ymd_opt(2028, 6, 1).unwrap()));
    /// ```
    pub fn set_holidays_json(&mut self, json: &str) -> Result<(), crate::time::HolidayError> {
        self.holidays = crate::time::Holidays::from_json(json, &self.bank_holidays)?;
        self.hash = rule_set_hash(&self.sources_digest, &self.holidays);
        Ok(())
    }

    /// The rules for a person: their protocol's, or the framework's alone.
    pub fn person(&self, id: &str) -> &PersonRules {
        self.persons
            .iter()
            .find(|p| p.id == id)
            .unwrap_or(&self.default_person)
    }

    /// The role called `name`.
    pub fn role_id(&self, name: &str) -> Option<RoleId> {
        RoleId::from_index(self.roles.iter().position(|r| &*r.name == name)?)
    }

    /// The agency called `name`.
    pub fn agency_id(&self, name: &str) -> Option<AgencyId> {
        AgencyId::from_index(self.agencies.iter().position(|a| a.name == name)?)
    }

    /// The log called `name`.
    pub fn log_id(&self, name: &str) -> Option<LogId> {
        LogId::from_index(self.logs.iter().position(|l| l.name == name)?)
    }

    /// The visit criticality called `name`.
    pub fn criticality_id(&self, name: &str) -> Option<CriticalityId> {
        CriticalityId::from_index(self.criticalities.iter().position(|c| c == name)?)
    }

    /// An alias's definition.
    pub fn alias(&self, id: AliasId) -> Option<&AliasDef> {
        self.aliases.get(id.index())
    }

    /// The role aliases (`manager`: the duty manager in office hours, the on-call manager
    /// otherwise), in declaration order.
    pub fn aliases(&self) -> &[AliasDef] {
        &self.aliases
    }

    /// The role's definition.
    pub fn role(&self, id: RoleId) -> Option<&RoleDef> {
        self.roles.get(id.index())
    }

    /// A contact class's definition.
    pub fn class(&self, id: ClassId) -> Option<&ClassDef> {
        self.classes.get(id.index())
    }

    /// The contact classes, in declaration order.
    pub fn classes(&self) -> &[ClassDef] {
        &self.classes
    }

    /// True if an observation of `seen` answers a `check` or `observed` of `wanted`: the same
    /// observation, or a member of the group `wanted` names. The one rule for both.
    pub fn observation_answers(&self, seen: Sym, wanted: Sym) -> bool {
        seen == wanted
            || self
                .observation_groups
                .iter()
                .any(|(g, members)| *g == wanted && members.contains(&seen))
    }

    /// The declared observation called `name` (not a group), if there is one.
    pub fn observation(&self, name: &str) -> Option<Sym> {
        self.symbols
            .get(name)
            .filter(|s| self.observations.contains(s))
    }

    /// The decisions the framework declares.
    pub fn decisions(&self) -> &[flow::DecisionDef] {
        &self.decisions
    }

    /// The decision called `name`.
    pub fn decision_id(&self, name: &str) -> Option<DecisionId> {
        DecisionId::from_index(self.decisions.iter().position(|d| d.name == name)?)
    }

    /// A decision's definition.
    pub fn decision(&self, id: DecisionId) -> Option<&flow::DecisionDef> {
        self.decisions.get(id.index())
    }

    /// The declared result called `name`, if there is one.
    pub fn result(&self, name: &str) -> Option<Sym> {
        self.symbols.get(name).filter(|s| self.results.contains(s))
    }

    /// True if `actor` is `needed` or covers it.
    pub fn covers(&self, actor: RoleId, needed: RoleId) -> bool {
        actor == needed || self.role(actor).is_some_and(|r| r.covers.contains(&needed))
    }
}
