//! The one place an [`Obligation`] is made, from what a rule worked out about a duty, and the
//! deadline measure the evaluator uses.

use std::sync::Arc;

use super::decision::{Obligation, RuleRef, Status};
use super::Eval;
use crate::rules::deadline::Measure;
use crate::rules::{Anchor, CalendarId, RoleId};
use crate::time::{CalendarDef, Civil, Instant};
use crate::timeline::EventData;

/// What a rule worked out about one duty; [`Eval::obligation`] adds the role's names, the
/// local due time and the status.
pub(super) struct Draft {
    /// Stable id.
    pub id: String,
    /// The person (empty for a provider-wide duty).
    pub person: Arc<str>,
    /// The visit, if any.
    pub visit: Option<Arc<str>>,
    /// The episode it belongs to.
    pub episode: Arc<str>,
    /// A short machine name for the action.
    pub action: crate::vocab::Action,
    /// The action in plain words.
    pub summary: Arc<str>,
    /// The role it fell to.
    pub role: Option<RoleId>,
    /// When it came into being.
    pub opened_at: Instant,
    /// When it is due.
    pub due: Option<Instant>,
    /// When it was done.
    pub done_at: Option<Instant>,
    /// The rule it came from.
    pub rule: Arc<RuleRef>,
    /// Citations.
    pub cites: Arc<[String]>,
    /// Why, in plain words.
    pub because: Vec<Arc<str>>,
    /// How it ended, when the end has a name (see [`Obligation::outcome`]).
    pub outcome: Option<Arc<str>>,
    /// The episodes a hand-over links (see [`Obligation::handed_over_to`]): to, from.
    pub links: (Option<Arc<str>>, Option<Arc<str>>),
}

impl Eval<'_> {
    /// The obligation for a duty, with the status its rule settled (see [`Status::at`]).
    pub(super) fn obligation(
        &self,
        d: Draft,
        (status, late_by): (Status, Option<i64>),
    ) -> Obligation {
        let role = d.role.and_then(|r| self.rs.role(r));
        Obligation {
            id: d.id,
            person: d.person,
            visit: d.visit,
            episode: d.episode,
            action: d.action,
            summary: d.summary,
            role: role.map_or_else(|| Arc::from(""), |r| r.name.clone()),
            role_name: role.map_or_else(|| Arc::from(""), |r| r.display.clone()),
            opened_at: d.opened_at,
            due: d.due,
            due_local: d.due.map(|t| self.civil.local_rfc3339(t)),
            status,
            done_at: d.done_at,
            late_by_seconds: late_by,
            rule: d.rule,
            version: self.version.clone(),
            cites: d.cites,
            because: d.because,
            outcome: d.outcome,
            handed_over_to: d.links.0,
            handed_over_from: d.links.1,
            deciders: Vec::new(),
            counted_route: None,
            counted_location: None,
        }
    }

    /// Add an obligation to the decision; one still open makes the decision change the second
    /// after it falls due.
    pub(super) fn push(&mut self, o: Obligation) {
        if o.status.is_open() {
            self.falls_overdue_at(o.due);
        }
        self.obligations.push(o);
    }
}

/// A rule Vigil could not judge for one item, and why.
pub(super) struct Unjudged {
    /// Stable id for the review duty (also its episode).
    pub id: String,
    /// The person (empty for a provider-wide rule).
    pub person: Arc<str>,
    /// The visit, if any.
    pub visit: Option<Arc<str>>,
    /// Why it cannot be judged, in plain words.
    pub reason: String,
    /// From when the rule would have needed an answer.
    pub at: Instant,
    /// The rule that could not be judged.
    pub rule: Arc<RuleRef>,
    /// Its citations.
    pub cites: Arc<[String]>,
}

impl Eval<'_> {
    /// What cannot be judged is never a silent gap: it becomes a duty for the manager (the
    /// framework's review role) to judge it by hand, due immediately.
    pub(super) fn manual_review(&mut self, u: Unjudged) {
        let rs = self.rs;
        let role = rs.review_role.and_then(|r| self.resolve(r, u.at));
        let due = self.civil.after(u.at, rs.immediately);
        // Done when the reviewer records having reviewed it: a `reviewed` event naming this
        // duty, by the review role (either side of the `manager` alias) or one covering it.
        let done_at = match (rs.review_role, self.person_at(&u.person)) {
            // Found among `reviewed` events alone: read from every later event of the person,
            // thousands of reviews each read the rest of the record.
            (Some(responsible), Some(p)) => self
                .events_of_kinds_from(Some(p), &[crate::vocab::EventKind::Reviewed], u.at)
                .filter(|e| matches!(&e.data, EventData::Reviewed { duty } if *duty == u.id))
                .find(|e| super::discharge::may_act(self, role, responsible, e))
                .map(|e| e.at),
            _ => None,
        };
        let draft = Draft {
            episode: Arc::from(u.id.as_str()),
            id: u.id,
            person: u.person,
            visit: u.visit,
            action: crate::vocab::Action::ManualReview,
            summary: Arc::from(format!("Manual review required: {}", u.reason)),
            role,
            opened_at: u.at,
            due: Some(due),
            done_at,
            rule: u.rule,
            cites: u.cites,
            because: vec![
                Arc::from(u.reason),
                Arc::from("Vigil could not judge this by the rules, so a person must judge it"),
            ],
            outcome: None,
            links: (None, None),
        };
        let o = self.obligation(draft, Status::at(done_at, Some(due), self.as_of));
        self.push(o);
    }
}

/// Deadlines measured in instants in the framework's civil time; `anchor` says where a
/// `within ... of ANCHOR` counts from for the rule at hand.
pub(super) struct InTime<'c, F> {
    /// The zone and bank holidays.
    pub civil: Civil<'c>,
    /// The framework's calendars, for `within D of CALENDAR`.
    pub calendars: &'c [CalendarDef],
    /// Where an anchor stands, given the duty's start.
    pub anchor: F,
    /// A calendar clock whose due time could not be found (the calendar is not open for long
    /// enough within the search), and where it started: the caller makes it a manual review.
    pub unfound: Option<(CalendarId, Instant)>,
}

impl<'c, F> InTime<'c, F> {
    /// Deadlines in `civil` time over `calendars`, with anchors placed by `anchor`.
    pub fn new(civil: Civil<'c>, calendars: &'c [CalendarDef], anchor: F) -> Self {
        InTime {
            civil,
            calendars,
            anchor,
            unfound: None,
        }
    }
}

impl<F: FnMut(Anchor, Instant) -> Option<Instant>> Measure for InTime<'_, F> {
    type At = Instant;

    fn after(&mut self, from: Instant, secs: u64) -> Instant {
        self.civil.after(from, secs)
    }

    fn anchor(&mut self, anchor: Anchor, start: Instant) -> Option<Instant> {
        (self.anchor)(anchor, start)
    }

    fn by_clock(
        &mut self,
        from: Instant,
        hour: u32,
        minute: u32,
        next_working_day: bool,
    ) -> Instant {
        if next_working_day {
            self.civil.clock_next_working_day(from, hour, minute)
        } else {
            self.civil.next_clock(from, hour, minute)
        }
    }

    fn end_of_day(&mut self, from: Instant) -> Instant {
        self.civil.end_of_day(from)
    }

    fn end_of_working_day(&mut self, from: Instant) -> Instant {
        self.civil.end_of_working_day(from)
    }

    fn end_of_next_working_day(&mut self, from: Instant) -> Instant {
        self.civil.end_of_next_working_day(from)
    }

    fn working_days(&mut self, from: Instant, days: u32) -> Instant {
        self.civil.after_working_days(from, days)
    }

    fn in_calendar(&mut self, from: Instant, secs: u64, calendar: CalendarId) -> Option<Instant> {
        let found = self
            .calendars
            .get(calendar.index())
            .and_then(|cal| self.civil.after_in_calendar(cal, from, secs));
        if found.is_none() {
            self.unfound = Some((calendar, from));
        }
        found
    }
}
