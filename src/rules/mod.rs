//! The checked rule set: what the checker builds and the evaluator consumes.
//!
//! Everything here is resolved: names are indices, durations are seconds, conditions are
//! compiled over indices, person facts known at check time are folded to constants. No
//! string comparison is left for evaluation; strings kept here are for output only.
//! Only the checker constructs a [`RuleSet`].

pub mod deadline;

use crate::span::Span;
use crate::time::{CalendarDef, WeeklyWindow};
use crate::vocab::{
    AgencyKind, Basis, Capacity, EventKind, Grouping, Method, ReviewVerb, ThresholdAnchor,
    TriggerKind, Weekday,
};
use crate::wording::{humanise, lower_first, upper_first};

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
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
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

/// Index of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct RoleId(pub u16);
/// Index of a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CalendarId(pub u16);
/// Index of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct AgencyId(pub u16);
/// Index of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct LogId(pub u16);
/// Index of a visit criticality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CriticalityId(pub u16);
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
    /// `alias` index.
    Alias(u16),
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
    },
    /// `notify R`: discharged by a `notified` event naming R (or a role covering it).
    Notify(Responsible),
    /// `contact a then b`: a cascade through the person's contacts (indices into contacts).
    Contact(Vec<u16>),
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
    DuringAbsence(u16),
    /// Inside an agreed exception (index into the person's exceptions) at the trigger.
    DuringException(u16),
    /// An observation of this kind was recorded in the episode so far.
    Observed(Sym),
    /// The visit has this criticality.
    Visit(CriticalityId),
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
    /// When it applies.
    pub condition: Cond,
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
    pub trigger: TriggerKind,
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
}

/// A planned weekly visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDef {
    /// Identifier.
    pub name: String,
    /// Days.
    pub days: Vec<Weekday>,
    /// Local start (hour, minute).
    pub at: (u32, u32),
    /// Criticality.
    pub criticality: CriticalityId,
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

/// An agreed exception between two dates (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day.
    pub to: chrono::NaiveDate,
    /// Visits in the range open no missed-visit episodes.
    pub suspend_visits: bool,
    /// Why.
    pub because: Option<String>,
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

/// What a governance rule counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricDef {
    /// At least `at_least` triggers of a kind inside one review cycle.
    Count {
        /// Trigger counted.
        trigger: TriggerKind,
        /// Threshold.
        at_least: u32,
        /// Cycle index.
        cycle: u16,
        /// What is counted over.
        per: Grouping,
    },
    /// An episode still open at the end of its local day.
    UnresolvedBeyondSameDay {
        /// What is counted over.
        per: Grouping,
    },
    /// `count` results in a row.
    Consecutive {
        /// How many.
        count: u32,
        /// What result (an observation or record name).
        what: Sym,
        /// What is counted over.
        per: Grouping,
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

/// A review cycle: local review times; a cycle runs from one to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleDef {
    /// Identifier.
    pub name: String,
    /// Local times (hour, minute), sorted.
    pub at: Vec<(u32, u32)>,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// Framework name.
    pub framework: String,
    /// Framework version.
    pub version: String,
    /// A stable hash of the sources (FNV-1a, hex), so a decision names the rules it used.
    pub hash: String,
    /// IANA time zone.
    pub timezone: chrono_tz::Tz,
    /// Bank-holiday division (`england-and-wales`, `scotland`, `northern-ireland`).
    pub bank_holidays: String,
    /// The division's bank holidays: the embedded data, or a newer file given by the host.
    pub holidays: crate::time::Holidays,
    /// Seconds that `immediately` stands for.
    pub immediately: u64,
    /// Roles.
    pub roles: Vec<RoleDef>,
    /// Aliases.
    pub aliases: Vec<AliasDef>,
    /// Calendars.
    pub calendars: Vec<CalendarDef>,
    /// The calendar named `office_hours`, if declared.
    pub office_hours: Option<CalendarId>,
    /// Agencies.
    pub agencies: Vec<AgencyDef>,
    /// Logs.
    pub logs: Vec<LogDef>,
    /// Criticality names.
    pub criticalities: Vec<String>,
    /// Red-flag observations.
    pub red_flags: Vec<Sym>,
    /// Floors.
    pub floors: Floors,
    /// The framework's own rules, for a person with no protocol.
    pub default_person: PersonRules,
    /// People with protocols.
    pub persons: Vec<PersonRules>,
    /// Review cycles.
    pub cycles: Vec<CycleDef>,
    /// Governance rules.
    pub governance: Vec<GovRuleDef>,
    /// Interned free-form names.
    pub symbols: Interner,
    /// Where the framework is declared.
    pub origin: Origin,
    /// Who a manual review goes to: the framework's `manager` alias if it has one, else the
    /// registered manager, else the role covering the most others (settled when checked).
    pub review_role: Responsible,
    /// What a manual review about a visit cites: the framework's visit thresholds.
    pub threshold_provenance: std::sync::Arc<RuleRef>,
}

impl ActionDef {
    /// A short machine name for the action, as decisions give it (`notify`, `record`,
    /// `attempt_contact`, or the review verb).
    pub fn name(&self) -> &'static str {
        match self {
            ActionDef::Attempt { .. } => "attempt_contact",
            ActionDef::Notify(_) => "notify",
            ActionDef::Contact(_) => "contact",
            ActionDef::Record(_) => "record",
            ActionDef::Escalate(_) => "escalate",
            ActionDef::ReferSafeguarding => "refer_safeguarding",
            ActionDef::VerifyWhereabouts => "verify_whereabouts",
            ActionDef::Check(_) => "check",
            ActionDef::Review(v, _) => v.name(),
        }
    }
}

impl RuleSet {
    /// What an action asks, in plain words: "Notify the duty manager", "Record in the
    /// missed-visit escalation log". `told` is the role a notice goes to (an alias already
    /// resolved); `contacts` are the person's, for a cascade.
    pub fn describe(&self, contacts: &[ContactDef], action: &ActionDef, told: RoleId) -> String {
        let rs = self;
        match action {
            ActionDef::Attempt {
                methods,
                times,
                every,
            } => {
                let how = if methods.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = methods.iter().map(|m| m.words()).collect();
                    format!(" by {}", names.join(", "))
                };
                let spacing = every
                    .map(|e| format!(", {} apart", crate::wording::duration_words(e)))
                    .unwrap_or_default();
                format!(
                    "Make {times} contact attempt{}{how}{spacing}",
                    if *times == 1 { "" } else { "s" }
                )
            }
            ActionDef::Notify(_) => {
                let role = told;
                format!(
                    "Notify the {}",
                    lower_first(rs.role(role).map_or("", |r| &*r.display))
                )
            }
            ActionDef::Contact(cascade) => {
                let names: Vec<&str> = cascade
                    .iter()
                    .filter_map(|c| contacts.get(*c as usize).map(|x| x.display.as_str()))
                    .collect();
                match names.split_first() {
                    Some((first, rest)) if !rest.is_empty() => {
                        format!("Contact {first} (then {})", rest.join(", then "))
                    }
                    Some((first, _)) => format!("Contact {first}"),
                    None => "Contact the person's contacts".into(),
                }
            }
            ActionDef::Record(l) => {
                let log = lower_first(rs.logs.get(l.0 as usize).map_or("", |x| x.display.as_str()));
                if log.starts_with("the ") {
                    format!("Record in {log}")
                } else {
                    format!("Record in the {log}")
                }
            }
            ActionDef::Review(verb, l) => {
                let log = rs.logs.get(l.0 as usize);
                let verb = upper_first(verb.name());
                format!(
                    "{verb} {} ({})",
                    humanise(log.map_or("", |x| x.name.as_str())),
                    lower_first(log.map_or("", |x| x.display.as_str()))
                )
            }
            ActionDef::Escalate(a) => format!(
                "Escalate to {}",
                rs.agencies
                    .get(a.0 as usize)
                    .map_or("", |x| x.display.as_str())
            ),
            ActionDef::ReferSafeguarding => "Make a safeguarding referral".into(),
            ActionDef::VerifyWhereabouts => "Verify the person's whereabouts".into(),
            ActionDef::Check(what) => format!("Check {}", humanise(rs.symbols.name(*what))),
        }
    }

    /// Work out every step's summary once, so that evaluations share them.
    pub(crate) fn fill_summaries(&mut self) {
        let describe_all = |rs: &RuleSet,
                            person: &PersonRules|
         -> Vec<Vec<[std::sync::Arc<str>; 2]>> {
            person
                .pathways
                .iter()
                .map(|p| {
                    p.steps
                        .iter()
                        .chain(p.after_closure.iter())
                        .map(|s| {
                            let (inside, otherwise) = match s.action {
                                ActionDef::Notify(Responsible::Alias(a)) => rs
                                    .aliases
                                    .get(a as usize)
                                    .map_or((RoleId(0), RoleId(0)), |d| (d.inside, d.otherwise)),
                                ActionDef::Notify(Responsible::Role(r)) => (r, r),
                                _ => (RoleId(0), RoleId(0)),
                            };
                            [
                                std::sync::Arc::from(rs.describe(
                                    &person.contacts,
                                    &s.action,
                                    inside,
                                )),
                                std::sync::Arc::from(rs.describe(
                                    &person.contacts,
                                    &s.action,
                                    otherwise,
                                )),
                            ]
                        })
                        .collect()
                })
                .collect()
        };
        let default = describe_all(self, &self.default_person);
        let persons: Vec<_> = self.persons.iter().map(|p| describe_all(self, p)).collect();
        let apply = |person: &mut PersonRules, all: Vec<Vec<[std::sync::Arc<str>; 2]>>| {
            for (p, texts) in person.pathways.iter_mut().zip(all) {
                for (s, t) in p
                    .steps
                    .iter_mut()
                    .chain(p.after_closure.iter_mut())
                    .zip(texts)
                {
                    s.summaries = t;
                }
            }
        };
        apply(&mut self.default_person, default);
        for (p, all) in self.persons.iter_mut().zip(persons) {
            apply(p, all);
        }
    }

    /// Civil time for this rule set: its zone and bank holidays.
    pub fn civil(&self) -> crate::time::Civil<'_> {
        crate::time::Civil::new(self.timezone, &self.holidays)
    }

    /// Use newer bank-holiday data in GOV.UK's shape for this rule set's division.
    ///
    /// ```
    /// # let rs = vigil::check::check(&[vigil::Source::new("f", std::fs::read_to_string("protocols/framework.vigil").unwrap())]).rulesets.remove(0);
    /// let mut rs = rs;
    /// let newer = r#"{"england-and-wales": {"events": [{"date": "2028-01-03"}]}}"#;
    /// rs.set_holidays_json(newer).unwrap();
    /// assert!(rs.holidays.covers(chrono::NaiveDate::from_ymd_opt(2028, 6, 1).unwrap()));
    /// ```
    pub fn set_holidays_json(&mut self, json: &str) -> Result<(), crate::time::HolidayError> {
        self.holidays = crate::time::Holidays::from_json(json, &self.bank_holidays)?;
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
        self.roles
            .iter()
            .position(|r| &*r.name == name)
            .and_then(|i| u16::try_from(i).ok())
            .map(RoleId)
    }

    /// An alias's definition.
    pub fn alias(&self, id: u16) -> Option<&AliasDef> {
        self.aliases.get(id as usize)
    }

    /// The role's definition.
    pub fn role(&self, id: RoleId) -> Option<&RoleDef> {
        self.roles.get(id.0 as usize)
    }

    /// True if `actor` is `needed` or covers it.
    pub fn covers(&self, actor: RoleId, needed: RoleId) -> bool {
        actor == needed || self.role(actor).is_some_and(|r| r.covers.contains(&needed))
    }
}
