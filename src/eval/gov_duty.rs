//! The duty a governance rule creates, whether it fired on what happened or fell due on a
//! schedule: who must act, by when, and how it stands. Done by the one discharge rule
//! ([`super::discharge`]); due by the one deadline rule, counted from when it opened.

use std::sync::Arc;

use super::decision::Obligation;
use super::discharge::{status_of, Duty, Ended};
use super::obligation::{Draft, InTime, Unjudged};
use super::{words, Eval};
use crate::rules::deadline;
use crate::rules::{ActionDef, Anchor, DeadlineDef, GovRuleDef};
use crate::time::Instant;

/// A duty whose deadline is a calendar clock on a calendar not open for long enough within
/// the search has no due time: a person must judge when it is due, never a silent gap.
pub(super) fn no_due_time(rule: &GovRuleDef, o: &Obligation) -> Unjudged {
    Unjudged {
        id: format!("{}/no-due-time", o.id),
        person: o.person.clone(),
        visit: o.visit.clone(),
        reason: format!(
            "rule `{}` counts its deadline in the open time of a calendar that is not open for long enough within {} days, so Vigil cannot say when it is due",
            rule.name,
            crate::time::CALENDAR_SEARCH_DAYS
        ),
        at: o.opened_at,
        rule: rule.provenance.clone(),
        cites: rule.all_cites.clone(),
    }
}

/// When a duty a rule opens at `start` is due by its deadline `d` (counted from then).
pub(super) fn due_from(ev: &Eval<'_>, d: DeadlineDef, start: Instant) -> Option<Instant> {
    let mut measure = InTime::new(
        ev.civil,
        &ev.rs.calendars,
        |a: Anchor, start: Instant| match a {
            Anchor::Start | Anchor::Trigger => Some(start),
            Anchor::Step(_) | Anchor::Event(_) => None,
        },
    );
    deadline::due(&mut measure, d, start)
}

/// What a rule asks of its role from `start`, as far as discharging it is concerned.
pub(super) fn duty<'r>(ev: &Eval<'_>, rule: &'r GovRuleDef, start: Instant) -> Duty<'r> {
    Duty {
        action: &rule.action,
        role: ev.resolve(rule.responsible, start),
        responsible: rule.responsible,
        told: match rule.action {
            ActionDef::Notify(who) => ev.resolve(who, start),
            _ => None,
        },
        contacts: &[],
        ruled_out: &[],
        deciders: None,
        fails_on: Vec::new(),
        start,
    }
}

/// When a governance duty is due and how it ended.
pub(super) struct Done {
    pub due: Option<Instant>,
    pub ended: Option<Ended>,
    /// Whether it has a due time at all (a duty with none is `open` until done).
    pub timed: bool,
}

/// The obligation for a duty rule `rule` opened: its key (unique within the rule), person
/// (empty for the provider) and opening instant, how it stands, and why it exists.
pub(super) fn finish(
    ev: &Eval<'_>,
    rule: &GovRuleDef,
    (key, person, opened): (String, Arc<str>, Instant),
    done: Done,
    because: String,
) -> Obligation {
    let id = format!("governance/{}/{}", rule.name, key);
    let draft = Draft {
        id: id.clone(),
        person,
        visit: None,
        episode: Arc::from(id),
        action: rule.action.action(),
        summary: Arc::from(words::summary(ev, 0, &rule.action, opened)),
        role: ev.resolve(rule.responsible, opened),
        opened_at: opened,
        due: done.due,
        done_at: done.ended.map(|e| e.at),
        rule: rule.provenance.clone(),
        cites: rule.all_cites.clone(),
        because: vec![Arc::from(because)],
        outcome: done.ended.and_then(|e| e.outcome_name(ev.rs, &rule.action)),
        links: (None, None),
    };
    let status = status_of(done.ended, done.due, done.timed, ev.as_of);
    ev.obligation(draft, status)
}
