//! Procedure flow: how a step ends (done, failed with an outcome, or decided), which ends the
//! steps after it follow, and who shares a decision.
//!
//! One table, [`ActionDef::failures`], says how each action can fail; the checker proves
//! branches against it and the evaluator ends steps by it, so the two cannot disagree.

use super::{ActionDef, Origin, Responsible};
use crate::vocab::Outcome;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Done: what it asked was achieved (the contact reached, the role told). An attempt to
    /// reach the person is done when the attempts are made, with the outcome if they did not
    /// reach them (`no_answer`: every attempt made and nobody answered; `refused`).
    Done(Option<Outcome>),
    /// Failed with the outcome recorded on the event that ended it. A failure ends a step
    /// only where a branch after it takes that failure: otherwise the step stays to do (the
    /// attempt is progress, and someone must try again).
    Failed(Outcome),
    /// A decision, recorded with the outcome at this index of the decision's outcomes.
    Decided(u16),
}

impl End {
    /// True if the step was done (or decided): a plain `after` follows it. A failure is
    /// followed only by the branches that name it.
    pub fn done(self) -> bool {
        !matches!(self, End::Failed(_))
    }

    /// The outcome it names, if any: a failure's, or a done attempt's.
    pub fn outcome(self) -> Option<Outcome> {
        match self {
            End::Done(o) => o,
            End::Failed(o) => Some(o),
            End::Decided(_) => None,
        }
    }
}

/// One end a branch takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// `done` (or `reached`): the step succeeded.
    Done,
    /// `failed`: any failure outcome.
    Failed,
    /// `overdue`: the step went overdue with no end recorded.
    Overdue,
    /// One failure outcome: `no_answer`, `refused`, ...
    Outcome(Outcome),
    /// One outcome of the step's decision (an index into its outcomes).
    Decided(u16),
}

impl Takes {
    /// True if a step that ended `end` takes this branch.
    pub fn matches(self, end: End) -> bool {
        match (self, end) {
            (Takes::Done, End::Done(None)) => true,
            (Takes::Failed, End::Failed(_) | End::Done(Some(_))) => true,
            (Takes::Outcome(o), End::Failed(f) | End::Done(Some(f))) => o == f,
            (Takes::Decided(a), End::Decided(b)) => a == b,
            _ => false,
        }
    }

    /// True if this branch follows a failure (so, with no `otherwise`, an overdue step's).
    pub fn is_failure(self) -> bool {
        matches!(self, Takes::Failed | Takes::Outcome(_))
    }
}

/// Which ends of the step named in `after` a step follows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Follow {
    /// Plain `after X`: X done (or decided), or going overdue.
    #[default]
    Any,
    /// `after X if A, B`: only these.
    On(Vec<Takes>),
    /// `after X otherwise`: every end the other branches after X do not take.
    Otherwise,
}

/// Does a step following `follows` start when the step it waits for ends with nothing
/// recorded: overdue (`overdue`), or not applying? `siblings` are how the other steps after
/// the same step follow it. `if overdue` and `otherwise` take it; with neither among the
/// branches, the branches that follow a failure do (nothing recorded shows the step
/// succeeded). A decision's outcome is never presumed. The evaluator starts steps by it and
/// the checker's path proofs play by it.
pub fn starts_unended<'s>(
    follows: &Follow,
    siblings: impl IntoIterator<Item = &'s Follow>,
    overdue: bool,
) -> bool {
    Unended::of(siblings).starts(follows, overdue)
}

/// What the branches after one step say about an end with nothing recorded
/// ([`starts_unended`]), read once for all of them: asked of each branch in turn, a step
/// followed by thousands of branches took time in their number squared.
///
/// ```
/// use vigil::rules::flow::{Follow, Takes, Unended};
/// let after = [Follow::On(vec![Takes::Overdue]), Follow::Otherwise];
/// let u = Unended::of(&after);
/// assert!(u.starts(&after[0], true));
/// assert!(!u.starts(&after[1], true)); // `if overdue` takes it
/// assert!(u.starts(&after[1], false)); // not applying: `otherwise` does
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unended {
    /// A branch names `if overdue`.
    names_overdue: bool,
    /// A branch is `otherwise`.
    otherwise: bool,
}

impl Unended {
    /// The summary of the branches following one step (the step asked about among them or
    /// not: its own branch never changes the answer).
    pub fn of<'s>(follows: impl IntoIterator<Item = &'s Follow>) -> Self {
        let mut u = Unended::default();
        for f in follows {
            match f {
                Follow::On(ts) if ts.contains(&Takes::Overdue) => u.names_overdue = true,
                Follow::Otherwise => u.otherwise = true,
                _ => {}
            }
        }
        u
    }

    /// Does a step following `follows` start on an end with nothing recorded: overdue
    /// (`overdue`), or not applying?
    pub fn starts(&self, follows: &Follow, overdue: bool) -> bool {
        let sibling_overdue = overdue && self.names_overdue;
        match follows {
            Follow::Any => true,
            Follow::Otherwise => !sibling_overdue,
            Follow::On(ts) if overdue && ts.contains(&Takes::Overdue) => true,
            Follow::On(ts) => {
                ts.iter().any(|t| t.is_failure()) && !sibling_overdue && !self.otherwise
            }
        }
    }
}

/// Several roles sharing one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deciders {
    /// `all of` (true) or `any of` (false).
    pub all: bool,
    /// The roles, as written.
    pub roles: Vec<Responsible>,
}

/// A decision the framework declares: a question with named outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDef {
    /// Identifier.
    pub name: String,
    /// The question, as staff are asked it.
    pub display: String,
    /// The outcomes, in the order written.
    pub outcomes: Vec<String>,
    /// Citations.
    pub cites: Vec<String>,
    /// Where it is declared.
    pub origin: Origin,
}

impl DecisionDef {
    /// The index of the outcome called `name`.
    pub fn outcome(&self, name: &str) -> Option<u16> {
        u16::try_from(self.outcomes.iter().position(|o| o == name)?).ok()
    }

    /// The outcome at `i`, as written.
    pub fn outcome_name(&self, i: u16) -> &str {
        self.outcomes.get(usize::from(i)).map_or("", |s| s.as_str())
    }
}

impl ActionDef {
    /// The failure outcomes the action can end with: the one table for the checker's proofs
    /// and the evaluator.
    ///
    /// - An attempt to reach the person ends `no_answer` when every attempt is made with
    ///   no answer, `refused` at an attempt the person answers and refuses, and `needs_help`
    ///   at one they answer needing help (reached, but not safe).
    /// - A cascade fails when its list runs out, with the last contact's outcome.
    /// - A notice fails when the role cannot be reached; an escalation when the agency
    ///   cannot be reached, refuses or says it is not for them.
    /// - Every other action is done, or goes overdue; it cannot fail.
    ///
    /// ```
    /// use vigil::rules::ActionDef;
    /// use vigil::vocab::Outcome;
    /// assert!(ActionDef::Stay.failures().is_empty());
    /// assert!(ActionDef::Contact(vec![]).failures().contains(&Outcome::NoKey));
    /// ```
    pub fn failures(&self) -> &'static [Outcome] {
        use Outcome::*;
        match self {
            ActionDef::Attempt { .. } => &[NoAnswer, Refused, NeedsHelp],
            ActionDef::Contact(_) => &[NoAnswer, NotAvailable, Refused, NoKey, NotApplicable],
            ActionDef::Notify(_) => &[NoAnswer, NotAvailable],
            ActionDef::Escalate(_) => &[NoAnswer, NotAvailable, Refused, NotApplicable],
            _ => &[],
        }
    }

    /// The failures a step with branches after it must give a way forward (E041): all its
    /// failures, except that an attempt the person answers reached them (refusing, or
    /// needing help: a procedure that stops there is caught when it runs out).
    pub fn failures_needing_a_way(&self) -> &'static [Outcome] {
        match self {
            ActionDef::Attempt { .. } => &[Outcome::NoAnswer],
            other => other.failures(),
        }
    }

    /// The outcomes an event of this action's kind may carry in a timeline (all but these
    /// are refused when the timeline is read).
    pub fn recordable_outcomes(kind: crate::vocab::EventKind) -> &'static [Outcome] {
        use crate::vocab::EventKind as K;
        use Outcome::*;
        match kind {
            K::ContactAttempt => &[Reached, NoAnswer, Refused, NeedsHelp, MessageLeft],
            K::ContactMade => &[
                Reached,
                NoAnswer,
                NotAvailable,
                Refused,
                NoKey,
                NotApplicable,
            ],
            K::Notified => &[Reached, NoAnswer, NotAvailable],
            K::AgencyContacted => &[Reached, NoAnswer, NotAvailable, Refused, NotApplicable],
            _ => &[],
        }
    }
}
