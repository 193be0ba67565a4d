//! The syntax tree: plain data, every node spanned, no meaning attached yet.
//!
//! Values are kept as written where checking them is a semantic question (a duration of
//! `0m`, a clock time of `25:00`, a date of `2026-02-30`): the checker reports those with a
//! code, so the syntax stage only fails on text it cannot read at all.

use crate::span::Loc;
pub use crate::vocab::{AgencyKind, ReviewVerb, ThresholdAnchor, Weekday};

/// A name as written: `support_worker`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Loc,
}

/// A string literal with escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// The text between the quotes.
    pub value: String,
    /// Where the literal (with quotes) is written.
    pub span: Loc,
}

/// A version such as `2026.1`, compared as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The version as written.
    pub text: String,
    /// Where it is written.
    pub span: Loc,
}

/// A unit of a duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `s`
    Seconds,
    /// `m`
    Minutes,
    /// `h`
    Hours,
    /// `d` (24 elapsed hours, not a calendar day)
    Days,
}

impl Unit {
    /// The unit as written (`m`).
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Minutes => "m",
            Unit::Hours => "h",
            Unit::Days => "d",
        }
    }

    /// Seconds in one of this unit.
    pub fn seconds(self) -> u64 {
        match self {
            Unit::Seconds => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3600,
            Unit::Days => 86_400,
        }
    }
}

/// A duration literal (`15m`), kept as written so the checker can judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationLit {
    /// A leading `-` was written.
    pub negative: bool,
    /// The digits as written (may not fit any integer type).
    pub digits: String,
    /// The unit.
    pub unit: Unit,
    /// Where it is written.
    pub span: Loc,
}

/// A local wall-clock time as written (`17:00`); range-checked by the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockTime {
    /// Hour as written.
    pub hour: u32,
    /// Minute as written.
    pub minute: u32,
    /// Where it is written.
    pub span: Loc,
}

/// A calendar date as written (`2026-11-24`); validity is checked later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateLit {
    /// Year.
    pub year: i32,
    /// Month as written.
    pub month: u32,
    /// Day as written.
    pub day: u32,
    /// Where it is written.
    pub span: Loc,
}

/// A whole number as written (may not fit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntLit {
    /// The digits.
    pub digits: String,
    /// Where it is written.
    pub span: Loc,
}

/// Which days a window or visit applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySet {
    /// The days, in the order written (a range is expanded, wrapping past Sunday).
    pub days: Vec<Weekday>,
    /// Where it is written.
    pub span: Loc,
}

/// A whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// What kind of document and its identity.
    pub head: Head,
    /// The items inside the braces, in order.
    pub items: Vec<Item>,
    /// The whole document.
    pub span: Loc,
}

/// The first line of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Head {
    /// `framework "Name" version 2026.1`
    Framework {
        /// The provider framework's name.
        name: Str,
        /// Its version.
        version: Version,
        /// The head line.
        span: Loc,
    },
    /// `protocol "P-0142" under "Name" version 2026.1`
    Protocol {
        /// The person's pseudonymous identifier.
        person: Str,
        /// The framework it is written under.
        framework: Str,
        /// The framework version required.
        version: Version,
        /// The head line.
        span: Loc,
    },
}

impl Head {
    /// The head line's span.
    pub fn span(&self) -> Loc {
        match self {
            Head::Framework { span, .. } | Head::Protocol { span, .. } => *span,
        }
    }
}

/// One item inside a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `timezone "Europe/London"`
    Timezone(Str),
    /// `bank_holidays england_and_wales`
    BankHolidays(Ident),
    /// `immediately means 5m`
    Immediately(DurationLit, Loc),
    /// `effective 2027-01-04`: when this framework version comes into force.
    Effective(DateLit, Option<Str>, Loc),
    /// `role ...`
    Role(Role),
    /// `alias ...`
    Alias(Alias),
    /// `calendar ...`
    Calendar(Calendar),
    /// `agency ...`
    Agency(Agency),
    /// `log ...`
    Log(Log),
    /// `threshold ...`
    Threshold(Threshold),
    /// `red_flags ...`
    RedFlags(RedFlags),
    /// `observations [GROUP:] ...`
    Observations(Observations),
    /// `decision NAME ["Question"] outcomes A, B`
    Decision(DecisionItem),
    /// `trigger NAME "Display" { ... }`
    Trigger(TriggerItem),
    /// `communication NEED "Display" [rules out ...]`
    Communication(CommunicationNeed),
    /// `results ...`
    Results(Results),
    /// `facts ...`
    Facts(WordList),
    /// `risks ...`
    Risks(WordList),
    /// `class NAME "Display" [at least N]`
    Class(ContactClass),
    /// `floors { ... }`
    Floors(Vec<Floor>, Loc),
    /// `pathway ...`
    Pathway(Pathway),
    /// `governance { ... }`
    Governance(Governance),
    /// `person { ... }`
    Person(Vec<PersonFact>, Loc),
    /// `methods ...`
    Methods(Methods),
    /// `contact ...`
    Contact(Contact),
    /// `visit ...`
    Visit(Visit),
    /// `absence ...`
    Absence(Absence),
    /// `exception ...`
    Exception(Exception),
    /// `cite "..."` for the whole document.
    Cite(Str),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Loc {
        match self {
            Item::Timezone(s) | Item::Cite(s) => s.span,
            Item::BankHolidays(i) => i.span,
            Item::Immediately(_, s)
            | Item::Effective(_, _, s)
            | Item::Floors(_, s)
            | Item::Person(_, s) => *s,
            Item::Role(r) => r.span,
            Item::Alias(a) => a.span,
            Item::Calendar(c) => c.span,
            Item::Agency(a) => a.span,
            Item::Log(l) => l.span,
            Item::Threshold(t) => t.span,
            Item::RedFlags(r) => r.span,
            Item::Observations(o) => o.span,
            Item::Decision(d) => d.span,
            Item::Trigger(t) => t.span,
            Item::Communication(c) => c.span,
            Item::Results(r) => r.span,
            Item::Facts(w) | Item::Risks(w) => w.span,
            Item::Class(c) => c.span,
            Item::Pathway(p) => p.span,
            Item::Governance(g) => g.span,
            Item::Methods(m) => m.span,
            Item::Contact(c) => c.span,
            Item::Visit(v) => v.span,
            Item::Absence(a) => a.span,
            Item::Exception(e) => e.span,
        }
    }

    /// The keyword that starts the item, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Item::Timezone(_) => "timezone",
            Item::BankHolidays(_) => "bank_holidays",
            Item::Immediately(..) => "immediately",
            Item::Effective(..) => "effective",
            Item::Role(_) => "role",
            Item::Alias(_) => "alias",
            Item::Calendar(_) => "calendar",
            Item::Agency(_) => "agency",
            Item::Log(_) => "log",
            Item::Threshold(_) => "threshold",
            Item::RedFlags(_) => "red_flags",
            Item::Observations(_) => "observations",
            Item::Decision(_) => "decision",
            Item::Trigger(_) => "trigger",
            Item::Communication(_) => "communication",
            Item::Results(_) => "results",
            Item::Facts(_) => "facts",
            Item::Risks(_) => "risks",
            Item::Class(_) => "class",
            Item::Floors(..) => "floors",
            Item::Pathway(_) => "pathway",
            Item::Governance(_) => "governance",
            Item::Person(..) => "person",
            Item::Methods(_) => "methods",
            Item::Contact(_) => "contact",
            Item::Visit(_) => "visit",
            Item::Absence(_) => "absence",
            Item::Exception(_) => "exception",
            Item::Cite(_) => "cite",
        }
    }
}

/// `role registered_manager "Registered manager" covers duty_manager`
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// Roles this one may act for.
    pub covers: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `alias manager "The manager" is duty_manager in office_hours otherwise on_call_manager`
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// The role while inside the calendar.
    pub role: Ident,
    /// The calendar.
    pub calendar: Ident,
    /// The role at all other times.
    pub otherwise: Ident,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `calendar office_hours "Office hours" { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// Weekly windows.
    pub windows: Vec<Window>,
    /// What happens on bank holidays, if said.
    pub bank_holidays: Vec<(BankHolidayRule, Loc)>,
    /// The whole item.
    pub span: Loc,
}

/// A weekly window.
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// `Mon-Fri 08:00-18:00`: each listed day, from `from` to `to` (next day if `to <= from`).
    Daily {
        /// Days the window starts on.
        days: DaySet,
        /// Local start.
        from: ClockTime,
        /// Local end.
        to: ClockTime,
        /// Where it is written.
        span: Loc,
    },
    /// `Fri 17:00 to Mon 09:00`
    Span {
        /// Start day.
        from_day: Weekday,
        /// Start time.
        from: ClockTime,
        /// End day.
        to_day: Weekday,
        /// End time.
        to: ClockTime,
        /// Where it is written.
        span: Loc,
    },
}

impl Window {
    /// Where the window is written.
    pub fn span(&self) -> Loc {
        match self {
            Window::Daily { span, .. } | Window::Span { span, .. } => *span,
        }
    }
}

/// What a calendar does on a bank holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankHolidayRule {
    /// `except bank_holidays`: closed all day.
    Except,
    /// `bank_holidays all day`: open all day.
    AllDay,
}

/// `agency adult_social_care "Adult social care" statutory`
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// Kind.
    pub kind: AgencyKind,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `log missed_visit_log "Missed-visit escalation log"`
#[derive(Debug, Clone, PartialEq)]
pub struct Log {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `threshold critical late 15m missed 30m after planned start`
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The criticality it applies to.
    pub criticality: Ident,
    /// Late after.
    pub late: DurationLit,
    /// Missed after.
    pub missed: DurationLit,
    /// What it counts from.
    pub anchor: ThresholdAnchor,
    /// Out-of-hours variant (late, missed).
    pub out_of_hours: Option<(DurationLit, DurationLit, Loc)>,
    /// Justification for a laxer protocol override.
    pub because: Option<Str>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `red_flags person_on_floor, unusual_odour`
#[derive(Debug, Clone, PartialEq)]
pub struct RedFlags {
    /// The observations.
    pub flags: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `observations lights_on, lights_off` or `observations surroundings: lights_on, lights_off`
#[derive(Debug, Clone, PartialEq)]
pub struct Observations {
    /// The group's name, when the line names a group.
    pub group: Option<Ident>,
    /// The observations.
    pub names: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `results red_risk, green_risk`, or one family of results: `results risk_level: red_risk,
/// amber_risk, green_risk`
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The family's name, when the line names one.
    pub family: Option<Ident>,
    /// The results.
    pub names: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `decision visit_needed "Is a visit needed?" outcomes needed, not_needed`
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionItem {
    /// Identifier.
    pub name: Ident,
    /// The question, as staff are asked it.
    pub display: Option<Str>,
    /// The outcomes it may be recorded with, in the order written (which matters when
    /// several roles decide: see `Quorum`).
    pub outcomes: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `trigger referral "Referral received" { attribute ... safety unconfirmed }`
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerItem {
    /// Identifier, as pathways (`on referral`) and timelines (`kind: referral`) name it.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// Its attributes.
    pub attributes: Vec<TriggerAttribute>,
    /// Where `safety unconfirmed` is written, if it is.
    pub unconfirmed: Option<Loc>,
    /// Citations.
    pub cites: Vec<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `attribute call_type "Call type" values silent, speech, fall`
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerAttribute {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// The values it may take.
    pub values: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole line.
    pub span: Loc,
}

/// `communication no_phone "Cannot use a phone" rules out phone [in CALENDAR]`
#[derive(Debug, Clone, PartialEq)]
pub struct CommunicationNeed {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// The contact methods it rules out (empty: none).
    pub rules_out: Vec<Ident>,
    /// The calendar they are ruled out in (none: at all times).
    pub window: Option<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// A declared list of names: `results red_risk, amber_risk`, `facts key_safe`, `risks falls`.
#[derive(Debug, Clone, PartialEq)]
pub struct WordList {
    /// The names.
    pub names: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `class key_holders "Key holders" at least 3`: a contact class, declared by the framework
/// and filled by each protocol with its own contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactClass {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// The fewest contacts each protocol must put in the class (`at least N`), if written.
    pub at_least: Option<IntLit>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// One floor every protocol must meet.
#[derive(Debug, Clone, PartialEq)]
pub enum Floor {
    /// `internal_escalation within 15m`
    InternalEscalation(DurationLit, Option<Str>, Loc),
    /// `contact_attempts at least 2`
    ContactAttempts(IntLit, Option<Str>, Loc),
    /// `require emergency_override` / `require external_escalation`, maybe scoped
    Require(Requirement),
    /// `out_of_hours parity`
    OutOfHoursParity(Option<Str>, Loc),
}

/// `require external_escalation on no_answer, at_alert to statutory, emergency`
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// What is required: `emergency_override` or `external_escalation`.
    pub what: Ident,
    /// The triggers whose ladders must meet it (`on ...`), if the line says.
    pub on: Option<Vec<Ident>>,
    /// The kinds of agency that meet it (`to ...`), if the line says.
    pub to: Option<Vec<Ident>>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole line.
    pub span: Loc,
}

/// A pathway (an escalation ladder).
#[derive(Debug, Clone, PartialEq)]
pub struct Pathway {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// What opens an episode on it (absent when a protocol refines a framework pathway).
    pub trigger: Option<Trigger>,
    /// Pathway-level citations.
    pub cites: Vec<Str>,
    /// Stages in order; steps outside any stage are in an unnamed stage at their position.
    pub stages: Vec<Stage>,
    /// Duties created when the episode closes.
    pub after_closure: Vec<Step>,
    /// The whole item.
    pub span: Loc,
}

/// `on refusal repeated 3 times within 7d`
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// The event kind (`no_answer`, `missed_visit`, `refusal`, `at_alert`, `red_flag`, ...).
    pub event: Ident,
    /// A pattern over a rolling window.
    pub repeat: Option<(IntLit, DurationLit)>,
    /// `when CONDITION`: the pathway takes only triggers for which it holds.
    pub when: Option<(Condition, Loc)>,
    /// Where it is written.
    pub span: Loc,
}

/// A named stage, or the unnamed run of steps written outside any stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// `None` for steps written directly in the pathway.
    pub name: Option<Ident>,
    /// Its steps in order.
    pub steps: Vec<Step>,
    /// Where it is written.
    pub span: Loc,
}

/// `step notify: notify manager by support_worker immediately`
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Identifier.
    pub name: Ident,
    /// What must be done.
    pub action: Action,
    /// Clauses in the order written.
    pub clauses: Vec<StepClause>,
    /// The whole step.
    pub span: Loc,
}

/// Which ends of the step an `after` follows.
#[derive(Debug, Clone, PartialEq)]
pub enum Branch {
    /// `if no_answer, refused`: these outcomes only.
    If(Vec<Ident>, Loc),
    /// `otherwise`: whatever the other branches after the same step do not take.
    Otherwise(Loc),
}

impl Branch {
    /// Where the branch is written.
    pub fn span(&self) -> Loc {
        match self {
            Branch::If(_, s) | Branch::Otherwise(s) => *s,
        }
    }
}

/// A clause of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepClause {
    /// When it is due.
    Deadline(Deadline),
    /// `until EVENT`: the duty lasts until an event of that kind.
    Until(Ident),
    /// `by ROLE`
    Role(Ident),
    /// `by any of A, B` or `by all of A, B` (`true` for all), for a decision.
    Roles(bool, Vec<Ident>, Loc),
    /// `after STEP`, with a branch: `if OUTCOME, ...` or `otherwise`.
    After(Ident, Option<Branch>),
    /// `on closure ends` (`false`) or `on closure stays` (`true`).
    Closure(bool, Loc),
    /// `judged at start` (`true`) or `judged at trigger` (`false`).
    Judged(bool, Loc),
    /// `when CONDITION`
    When(Condition, Loc),
    /// `on breach notify ROLE DEADLINE`
    Breach(Ident, Deadline, Loc),
    /// `because "..."`
    Because(Str),
    /// `cite "..."`
    Cite(Str),
}

impl StepClause {
    /// Where the clause is written.
    pub fn span(&self) -> Loc {
        match self {
            StepClause::Deadline(d) => d.span(),
            StepClause::Role(i) | StepClause::Until(i) => i.span,
            StepClause::After(i, None) => i.span,
            StepClause::After(i, Some(b)) => i.span.to(b.span()),
            StepClause::When(_, s)
            | StepClause::Breach(_, _, s)
            | StepClause::Roles(_, _, s)
            | StepClause::Closure(_, s)
            | StepClause::Judged(_, s) => *s,
            StepClause::Because(s) | StepClause::Cite(s) => s.span,
        }
    }
}

/// What a step requires.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `attempt contact via text, door 3 times every 5m`
    Attempt {
        /// Methods (empty: the protocol's `methods`).
        methods: Vec<Ident>,
        /// How many attempts.
        times: IntLit,
        /// Spacing.
        every: Option<DurationLit>,
        /// `covering morning, evening`: calendars that must each hold an attempt.
        covering: Vec<Ident>,
        /// `, each unanswered then leave message`: what follows each unanswered attempt.
        follow_up: Option<crate::vocab::FollowUp>,
        /// Where it is written.
        span: Loc,
    },
    /// `notify manager`
    Notify(Ident, Loc),
    /// `contact sister then key_holders`: each name one of the person's contacts or a contact
    /// class, resolved by the checker.
    Contact(Vec<Ident>, Loc),
    /// `record missed_visit_log`
    Record(Ident, Loc),
    /// `escalate to adult_social_care`
    Escalate(Ident, Loc),
    /// `refer safeguarding`
    ReferSafeguarding(Loc),
    /// `verify whereabouts`
    VerifyWhereabouts(Loc),
    /// `check surroundings`
    Check(Ident, Loc),
    /// `review records`, `assess risk`, `explore refusal`, `update protocol`
    Review(ReviewVerb, Ident, Loc),
    /// `stay`: remain with the person or at the property until the step's `until` event.
    Stay(Loc),
    /// `decide visit_needed`
    Decide(Ident, Loc),
    /// `hand over to missing_person`
    HandOver(Ident, Loc),
}

impl Action {
    /// Where the action is written.
    pub fn span(&self) -> Loc {
        match self {
            Action::Attempt { span, .. }
            | Action::Notify(_, span)
            | Action::Contact(_, span)
            | Action::Record(_, span)
            | Action::Escalate(_, span)
            | Action::ReferSafeguarding(span)
            | Action::VerifyWhereabouts(span)
            | Action::Check(_, span)
            | Action::Review(_, _, span)
            | Action::Stay(span)
            | Action::Decide(_, span)
            | Action::HandOver(_, span) => *span,
        }
    }
}

/// When a step is due.
#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    /// One simple deadline.
    Atom(DeadlineAtom),
    /// `earliest of (a, b)` (`latest == false`) or `latest of (a, b)`.
    Pick {
        /// True for `latest of`.
        latest: bool,
        /// First.
        a: DeadlineAtom,
        /// Second.
        b: DeadlineAtom,
        /// Where it is written.
        span: Loc,
    },
}

impl Deadline {
    /// Where the deadline is written.
    pub fn span(&self) -> Loc {
        match self {
            Deadline::Atom(a) => a.span(),
            Deadline::Pick { span, .. } => *span,
        }
    }
}

/// A simple deadline.
#[derive(Debug, Clone, PartialEq)]
pub enum DeadlineAtom {
    /// `within 15m [of ANCHOR]`
    Within(DurationLit, Option<Ident>, Loc),
    /// `immediately [of ANCHOR]`
    Immediately(Option<Ident>, Loc),
    /// `by 17:00 [next working day]`
    ByClock(ClockTime, bool, Loc),
    /// `by end of day`
    EndOfDay(Loc),
    /// `by end of working day`
    EndOfWorkingDay(Loc),
    /// `by next working day`
    NextWorkingDay(Loc),
    /// `within N working days`
    WorkingDays(IntLit, Loc),
}

impl DeadlineAtom {
    /// Where it is written.
    pub fn span(&self) -> Loc {
        match self {
            DeadlineAtom::Within(_, _, s)
            | DeadlineAtom::Immediately(_, s)
            | DeadlineAtom::ByClock(_, _, s)
            | DeadlineAtom::EndOfDay(s)
            | DeadlineAtom::EndOfWorkingDay(s)
            | DeadlineAtom::NextWorkingDay(s)
            | DeadlineAtom::WorkingDays(_, s) => *s,
        }
    }
}

/// A condition, evaluated when its rule fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// All hold.
    And(Vec<Condition>),
    /// Any holds.
    Or(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>, Loc),
    /// `out_of_hours`
    OutOfHours(Loc),
    /// `in CALENDAR`
    In(Ident),
    /// `during ABSENCE_OR_EXCEPTION`
    During(Ident),
    /// `risk NAME`
    Risk(Ident),
    /// `capacity LEVEL`
    Capacity(Ident),
    /// `communication NEED`
    Communication(Ident),
    /// `observed WHAT`
    Observed(Ident, Option<DurationLit>),
    /// `has FACT`
    Has(Ident),
    /// `visit CRITICALITY`
    Visit(Ident),
    /// `reported by ROLE`
    ReportedBy(Ident),
    /// `ATTRIBUTE is VALUE`
    Attribute(Ident, Ident),
}

/// `governance { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Governance {
    /// Review cycles.
    pub cycles: Vec<Cycle>,
    /// Rules.
    pub rules: Vec<GovRule>,
    /// Citations for the block.
    pub cites: Vec<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `cycle attendance at 12:00, 18:00`
#[derive(Debug, Clone, PartialEq)]
pub struct Cycle {
    /// Identifier.
    pub name: Ident,
    /// Local review times.
    pub at: Vec<ClockTime>,
    /// Citation.
    pub cite: Option<Str>,
    /// Where it is written.
    pub span: Loc,
}

/// `rule NAME: when METRIC then ACTION clauses`
#[derive(Debug, Clone, PartialEq)]
pub struct GovRule {
    /// Identifier.
    pub name: Ident,
    /// What is counted.
    pub metric: Metric,
    /// What must be done.
    pub action: Action,
    /// Step-like clauses (role, deadline, cite).
    pub clauses: Vec<StepClause>,
    /// Where it is written.
    pub span: Loc,
}

/// What a governance rule watches.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// `count WHAT at least N in WINDOW [per SCOPE]`, or `first WHAT [in WINDOW] [per SCOPE]`
    /// (a count of at least one).
    Count {
        /// What is counted.
        what: Counted,
        /// Threshold (1 for `first`).
        at_least: IntLit,
        /// Where counts are kept (`None`: the whole record, for `first` only).
        window: Option<CountWindow>,
        /// Grouping.
        per: Option<Ident>,
        /// Written as `first`.
        first: bool,
        /// Where it is written.
        span: Loc,
    },
    /// `unresolved [TRIGGER] beyond same day [per SCOPE]`
    UnresolvedBeyondSameDay {
        /// Only this trigger's episodes (otherwise every trigger that leaves safety
        /// unconfirmed).
        trigger: Option<Ident>,
        /// Grouping.
        per: Option<Ident>,
        /// Where it is written.
        span: Loc,
    },
    /// `consecutive N WHAT [per SCOPE]`
    Consecutive {
        /// How many in a row.
        count: IntLit,
        /// What result.
        what: Ident,
        /// Grouping.
        per: Option<Ident>,
        /// Where it is written.
        span: Loc,
    },
    /// `every D`: a duty due D after it was last done.
    Every {
        /// The longest time between two.
        every: DurationLit,
        /// Where it is written.
        span: Loc,
    },
    /// `N times each week`
    TimesEachWeek {
        /// How many times.
        times: IntLit,
        /// Where it is written.
        span: Loc,
    },
    /// `DAYS at HH:MM, ...`: a duty opening at those local times.
    At {
        /// The days.
        days: DaySet,
        /// The local times.
        at: Vec<ClockTime>,
        /// Where it is written.
        span: Loc,
    },
    /// `EVENT CRITICALITY without STEP within D`
    Without {
        /// The trigger kind.
        event: Ident,
        /// The criticality.
        criticality: Ident,
        /// The step that should have been done.
        step: Ident,
        /// In what time.
        within: DurationLit,
        /// Where it is written.
        span: Loc,
    },
}

/// What a governance count counts: `missed_visit critical out_of_hours`.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    /// A trigger, a result or a group of results.
    pub name: Ident,
    /// A visit criticality, for a trigger about a visit.
    pub criticality: Option<Ident>,
    /// Only those out of office hours.
    pub out_of_hours: bool,
}

/// Where a governance count is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum CountWindow {
    /// `cycle NAME`: one review cycle.
    Cycle(Ident),
    /// `day`: one local day.
    Day(Loc),
    /// `week`: one local week, Monday to Sunday.
    Week(Loc),
    /// `48h`: any span that long.
    Rolling(DurationLit),
}

/// A fact about the person.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonFact {
    /// `risk NAME "note"`
    Risk(Ident, Option<Str>, Loc),
    /// `capacity LEVEL "note"`
    Capacity(Ident, Option<Str>, Loc),
    /// `communication NEED "note"`
    Communication(Ident, Option<Str>, Loc),
    /// `has FACT "note"`
    Has(Ident, Option<Str>, Loc),
    /// `cite "..."`
    Cite(Str),
}

/// `methods text, door, at_alert`
#[derive(Debug, Clone, PartialEq)]
pub struct Methods {
    /// In order of use.
    pub methods: Vec<Ident>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `contact sister "Sister" family { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Str,
    /// Kind (`family`, `advocate`, `key_holder`, `housing`, `gp`, ...).
    pub kind: Ident,
    /// Earliest stage.
    pub from_stage: Option<Ident>,
    /// Basis (`consent` or `best_interests`) and its record.
    pub basis: Option<(Ident, Str)>,
    /// Methods by which the contact is reached.
    pub methods: Vec<Ident>,
    /// The framework's contact classes it belongs to (`in key_holders, next_of_kin`).
    pub classes: Vec<Ident>,
    /// Citations.
    pub cites: Vec<Str>,
    /// Entries given a second time (`from stage`, `basis`, `methods`, `in`), for the checker
    /// to report.
    pub repeated: Vec<(&'static str, Loc)>,
    /// The whole item.
    pub span: Loc,
}

/// `visit morning "Morning medication" daily 08:00 critical`
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// Days.
    pub days: DaySet,
    /// Planned local start.
    pub at: ClockTime,
    /// Planned local end, if written (`08:00-08:45`).
    pub end: Option<ClockTime>,
    /// Criticality.
    pub criticality: Ident,
    /// How many carers it needs (`staff 2`), if written.
    pub staff: Option<IntLit>,
    /// Citation.
    pub cite: Option<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `absence friday_prayers "Friday prayers" Fri 12:00-14:30 { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Absence {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// The weekly window.
    pub window: Window,
    /// Steps to take when there is no answer inside the window.
    pub steps: Vec<Step>,
    /// Citations.
    pub cites: Vec<Str>,
    /// The whole item.
    pub span: Loc,
}

/// `exception hospital "In hospital" from 2026-11-01 to 2026-11-14 because "..." { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    /// Identifier.
    pub name: Ident,
    /// Display name.
    pub display: Option<Str>,
    /// When it starts: a day (from its start) or a day and a local time.
    pub from: DateTimeLit,
    /// When it ends: a day (to its end, inclusive) or a day and a local time (exclusive);
    /// `None` when no end is written, which the checker reports.
    pub to: Option<DateTimeLit>,
    /// Justification.
    pub because: Option<Str>,
    /// Citations.
    pub cites: Vec<Str>,
    /// `suspend visits` was written.
    pub suspend_visits: bool,
    /// Pathways and steps suspended or replaced for the window, in the order written.
    pub changes: Vec<ExceptionChange>,
    /// The whole item.
    pub span: Loc,
}

/// `2026-12-04` or `2026-12-04 14:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeLit {
    /// The day.
    pub date: DateLit,
    /// The local time of day, if written.
    pub time: Option<ClockTime>,
}

/// One change an agreed exception makes to the person's pathways for its window.
#[derive(Debug, Clone, PartialEq)]
pub enum ExceptionChange {
    /// `suspend pathway NAME`
    SuspendPathway(Ident),
    /// `pathway P { suspend step S }`
    SuspendStep {
        /// The pathway.
        pathway: Ident,
        /// The step suspended.
        step: Ident,
    },
    /// `pathway P { replace step S with step T: ... }`
    ReplaceStep {
        /// The pathway.
        pathway: Ident,
        /// The step replaced.
        step: Ident,
        /// What is done instead.
        with: Box<Step>,
    },
}
