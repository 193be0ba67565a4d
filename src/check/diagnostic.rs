//! Findings: a stable code, a severity, a message, the exact span, secondary labels and a help
//! line. Diagnostics carry data, not rendered text; `render` turns them into miette reports or
//! JSON.

use std::fmt;

use crate::span::Span;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rule set cannot be built; `vigil check` exits 1.
    Error,
    /// Worth a look; the rule set is still built.
    Warning,
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $sev:ident, $slug:literal;)*) => {
        /// Every finding's stable code. Codes are never reused or renumbered; see
        /// `docs/diagnostics.md` for each one's meaning, smallest example and fix.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed: `E003`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short name for the code: `unknown-name`.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            /// What the code means, in one or two sentences.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),*),)* }
            }

            /// The severity every finding with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    /// The text cannot be read: something other than what the language allows is written.
    Syntax = "E001", Error, "syntax";
    /// An item is in the wrong kind of document (a `role` in a protocol, a `person` in a framework).
    Misplaced = "E002", Error, "misplaced-item";
    /// A name refers to nothing declared (a role, step, contact, calendar, log, agency, ...).
    UnknownName = "E003", Error, "unknown-name";
    /// The same name is declared twice, or an item that may appear once appears twice.
    Duplicate = "E004", Error, "duplicate";
    /// A protocol names a framework that none of the given files declares.
    MissingFramework = "E005", Error, "missing-framework";
    /// A protocol names a framework that exists, but not in the version it asks for.
    FrameworkVersion = "E006", Error, "framework-version";
    /// Two files declare the same framework version, or two protocols cover the same person.
    DuplicateDocument = "E007", Error, "duplicate-document";
    /// A duration of zero: the deadline would already have passed when the rule fires.
    ZeroDuration = "E008", Error, "zero-duration";
    /// A negative duration.
    NegativeDuration = "E009", Error, "negative-duration";
    /// A duration too long to be a real escalation deadline (over 90 days), or a number too large.
    AbsurdValue = "E010", Error, "absurd-value";
    /// A clock time or date that does not exist (`25:00`, `2026-02-30`).
    InvalidTime = "E011", Error, "invalid-time";
    /// A step is due before the step it waits for can even be due.
    DeadlineBeforePredecessor = "E012", Error, "deadline-before-predecessor";
    /// A step's condition can never hold, so the step can never fire.
    NeverFires = "E013", Error, "never-fires";
    /// Steps wait for each other in a circle, or roles cover each other in a circle.
    Cycle = "E014", Error, "escalation-cycle";
    /// The framework requires external escalation, and some path through a ladder it covers
    /// never reaches an agency of the kinds it names.
    NoExternalEscalation = "E015", Error, "no-external-escalation";
    /// The framework requires an emergency override, and has none for a trigger it names, or
    /// some path through it never calls emergency services.
    NoEmergencyOverride = "E016", Error, "no-emergency-override";
    /// A protocol or framework step is laxer than a framework floor or the rule it refines.
    LaxerThanFloor = "E017", Error, "laxer-than-floor";
    /// A threshold or step is laxer out of hours than in office hours.
    OutOfHoursLaxer = "E018", Error, "out-of-hours-laxer";
    /// A family member, friend, neighbour or advocate may be contacted with no recorded basis.
    NoContactBasis = "E019", Error, "no-contact-basis";
    /// Contact is planned by a method the person's communication need rules out (phone contact for a person who cannot use a phone).
    PhoneForNoPhone = "E020", Error, "phone-for-no-phone";
    /// A contact is called at a stage earlier than the one the protocol allows.
    ContactTooEarly = "E021", Error, "contact-too-early";
    /// The time zone is not a known IANA zone.
    UnknownTimezone = "E022", Error, "unknown-timezone";
    /// A clause is given twice, or a required clause (the responsible role) is missing.
    BadClause = "E023", Error, "bad-clause";
    /// Something the document relies on is not declared (`immediately means`, `office_hours`).
    MissingItem = "E024", Error, "missing-item";
    /// A window or date range is empty or runs backwards.
    EmptyWindow = "E025", Error, "empty-window";
    /// Consent is recorded as the basis for a person who lacks capacity to give it.
    ConsentWithoutCapacity = "E026", Error, "consent-without-capacity";
    /// An agreed exception has no recorded justification.
    UnjustifiedException = "E027", Error, "unjustified-exception";
    /// A name the framework's vocabulary does not declare: an observation, a communication need, a result, a fact about the person's home and service, or a risk.
    UndeclaredWord = "E028", Error, "undeclared-word";
    /// A contact the protocol contacts neither decides about the person's welfare nor is
    /// consulted about it on their recorded basis (a person with capacity decides for themselves).
    NoStanding = "E034", Error, "no-standing";
    /// An attorney or deputy whose power over welfare needs the person to lack capacity, for a
    /// person recorded as having capacity or with no capacity recorded.
    RepresentativeWithoutIncapacity = "E035", Error, "representative-without-incapacity";
    /// An agreed exception is written with a start and no end.
    UnendingException = "E036", Error, "unending-exception";
    /// An agreed exception suspends the emergency override, or suspends or replaces one of its
    /// steps, for its window.
    ExceptionRemovesOverride = "E037", Error, "exception-removes-override";
    /// Two agreed exceptions overlap in time and both change the same pathway.
    OverlappingExceptions = "E038", Error, "overlapping-exceptions";
    /// A branch after a step takes an end that step can never have: an outcome its action
    /// cannot fail with, one its decision does not list, `overdue` for a step with no
    /// deadline, or an `otherwise` the other branches leave nothing to.
    UnreachableBranch = "E039", Error, "unreachable-branch";
    /// Two branches after the same step, written as alternatives, both take the same end.
    OverlappingBranches = "E040", Error, "overlapping-branches";
    /// A step with branches after it can fail in a way no branch takes: when it does, the
    /// procedure has no way forward.
    NoWayForward = "E041", Error, "no-way-forward";
    /// A protocol puts fewer of the person's contacts in a contact class than the framework's
    /// `at least` for it (`class key_holders "Key holders" at least 3`).
    ClassBelowMinimum = "E042", Error, "class-below-minimum";
    /// Pathways hand over to each other in a circle, or a step hands over to an unknown
    /// pathway or to its own.
    HandOverCycle = "E043", Error, "hand-over-cycle";
    /// A deadline counts in the open time of a calendar that is never open
    /// (`within 24h of office_hours` with no hours in `office_hours`), so it would never fall due.
    CalendarNeverOpen = "E044", Error, "calendar-never-open";
    /// A spread of attempts asks for fewer attempts than the windows it must cover
    /// (`2 times covering morning, afternoon, evening`): one attempt cannot be in two windows
    /// that do not overlap, so the count could never be enough.
    TooFewAttemptsForWindows = "E045", Error, "too-few-attempts-for-windows";
    /// A deadline counts more open time than its calendar gives within 400 days of some start
    /// (`within 80d of review_hour`, with `review_hour` open ten minutes a week), so from
    /// that start it would never fall due.
    CalendarTooShort = "E046", Error, "calendar-too-short";
    /// The file holds a character a reader cannot see: a control character (an escape
    /// sequence can rewrite the terminal it is shown on), a bidirectional control (text then
    /// reads in another order than it is written) or a zero-width character (two names that
    /// differ look the same).
    HiddenCharacter = "E047", Error, "hidden-character";
    /// A line is longer than the limit (10,000 characters unless raised with
    /// `--max-line-chars`): a minified, garbled or wrong file, which is not read further.
    LineTooLong = "E048", Error, "line-too-long";
    /// A framework declares more roles than the limit (200 unless raised with `--max-roles`):
    /// who may act for whom is worked out for every pair of roles.
    TooManyRoles = "E049", Error, "too-many-roles";
    /// A role is declared and never used. Said only once the rules check without errors: an
    /// item an error dropped (a step with a syntax error, a pathway whose trigger is misspelt)
    /// may be what uses it.
    UnusedRole = "W001", Warning, "unused-role";
    /// A contact is declared and never contacted by any step. Said only once the rules check
    /// without errors, as for W001 (a misspelt contact in a step leaves the real one unused).
    UnusedContact = "W002", Warning, "unused-contact";
    /// A laxer override is accepted because it records a justification; it stays visible.
    JustifiedOverride = "W003", Warning, "justified-override";
    /// A local time is skipped or repeated when the clocks change.
    ClockChangeTime = "W004", Warning, "clock-change-time";
    /// A best-interests basis is recorded for a person recorded as having capacity.
    BestInterestsWithCapacity = "W005", Warning, "best-interests-with-capacity";
    /// A step attempts contact by a method the person's communication need rules out at some times (inside a calendar): attempts made then do not count.
    MethodRuledOutAtTimes = "W006", Warning, "method-ruled-out-at-times";
    /// A red flag no `observations` line declares is spelt like an observation or group that
    /// one does: probably a misspelling, which would leave the real one without the override.
    RedFlagLikeObservation = "W007", Warning, "red-flag-like-observation";
    /// An agreed exception suspends a whole no-answer, missed-visit or alert pathway: a trigger
    /// in its window gets no response. Accepted, with its reason, and shown at every check.
    SuspendedSafetyLadder = "W008", Warning, "suspended-safety-ladder";
    /// A family member, friend or neighbour is recorded on the basis of an independent advocate.
    AdvocateNotIndependent = "W009", Warning, "advocate-not-independent";
    /// A step's contact cascade names only contact classes the protocol puts no one in: for
    /// this person it has nobody to try: a branch `if failed` after it starts at once, and
    /// without one the duty can never be done.
    EmptyCascade = "W010", Warning, "empty-cascade";
    /// A window a spread of attempts must cover can stay closed for longer than the step's
    /// deadline allows: a step that starts just after it closes cannot be done in time.
    WindowMayNotOpen = "W011", Warning, "window-may-not-open";
    /// Some triggers are taken by no pathway: every pathway on the trigger has a `when`, and
    /// between them they leave a circumstance out (or a declared trigger has no pathway).
    /// Said only once the rules check without errors, as for W001.
    UntakenTrigger = "W012", Warning, "trigger-no-pathway-takes";
    /// A decision has branches after it for its outcomes, but none for nobody deciding by its
    /// deadline (`if overdue` or `otherwise`, a plain `after`, or an `on breach` notice): then
    /// the procedure stops at the overdue decision, since an outcome is never presumed.
    UndecidedGoesNowhere = "W013", Warning, "undecided-goes-nowhere";
    /// A protocol step whose name is one or two letters from a step of the framework's
    /// pathway it refines, doing the same kind of thing: a new name adds a step beside the
    /// framework's rather than refining it, so a misspelt refinement would leave the
    /// framework's step as it was.
    NearFrameworkStep = "W014", Warning, "step-name-near-framework-step";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that matters to a finding, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Index of the source file (into the sources the checker was given).
    pub file: usize,
    /// Where.
    pub span: Span,
    /// What this place is (`first declared here`, `the floor is set here`).
    pub text: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Index of the source file.
    pub file: usize,
    /// The primary place.
    pub span: Span,
    /// One line, lowercase, user input in backticks, no trailing period.
    pub message: String,
    /// What the primary place is.
    pub label: String,
    /// Other places that matter.
    pub related: Vec<Label>,
    /// What to do about it.
    pub help: String,
}

impl Diagnostic {
    /// A finding with no secondary labels.
    pub fn new(
        code: Code,
        file: usize,
        span: impl Into<Span>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        // A quotation of what the file says is cut short: a megabyte-long name is never
        // echoed whole.
        // Nor is a hidden character sent raw to the reader's terminal.
        let cut =
            |s: String| crate::wording::printable(&crate::wording::excerpted(&s)).into_owned();
        Diagnostic {
            code,
            file,
            span: span.into(),
            message: cut(message.into()),
            label: cut(label.into()),
            related: Vec::new(),
            help: cut(help.into()),
        }
    }

    /// Add a secondary label.
    pub fn with(mut self, file: usize, span: impl Into<Span>, text: impl Into<String>) -> Self {
        self.related.push(Label {
            file,
            span: span.into(),
            text: crate::wording::printable(&crate::wording::excerpted(&text.into())).into_owned(),
        });
        self
    }

    /// The severity (from the code).
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}
