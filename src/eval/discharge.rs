//! Whether recorded work does what a duty asks: the one rule for every duty, whether a ladder
//! step, a breach notice or a governance duty.
//!
//! A duty is done by the first matching event by the role it fell to, or by a role covering
//! it. A duty given to an alias ("the manager") may also be done by whoever holds either side
//! of it: it is a rota position, not a person. Who must be told is settled when the duty
//! starts, not when the notice is given.

use super::Eval;
use crate::rules::{ActionDef, ContactDef, ContactId, Responsible, RoleId, RuledOut};
use crate::time::Instant;
use crate::timeline::{Event, EventData, Outcome};
use crate::vocab::Method;

/// A duty, as far as discharging it is concerned.
pub(super) struct Duty<'a> {
    /// What it asks.
    pub action: &'a ActionDef,
    /// The role it fell to when it started.
    pub role: Option<RoleId>,
    /// Who it is given to as written (an alias lets either side of it act).
    pub responsible: Responsible,
    /// For a notice: who must be told, resolved when the duty started.
    pub told: Option<RoleId>,
    /// The person's contacts, for a cascade's progress in words.
    pub contacts: &'a [ContactDef],
    /// The contact methods the person's communication needs rule out, and when: an attempt
    /// by one of them at a time it is ruled out does not count.
    pub ruled_out: &'a [RuledOut],
}

/// Whether event `e` was recorded by someone who may do a duty that fell to `role`: that role
/// or one covering it, or for a duty given to an alias, either side of it.
pub(super) fn may_act(
    ev: &Eval<'_>,
    role: Option<RoleId>,
    responsible: Responsible,
    e: &Event,
) -> bool {
    let rs = ev.rs;
    let arms = match responsible {
        Responsible::Alias(a) => rs.alias(a).map(|d| [d.inside, d.otherwise]),
        Responsible::Role(_) => None,
    };
    e.by.is_some_and(|b| {
        role.is_some_and(|r| rs.covers(b, r))
            || arms.is_some_and(|arms| arms.iter().any(|a| rs.covers(b, *a)))
    })
}

/// When the duty was done among `events` (already limited to those that may count), and for
/// one that counts attempts or works through a cascade, how far it has got.
pub(super) fn discharge<'e>(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    events: impl Iterator<Item = &'e Event>,
) -> (Option<Instant>, Option<String>) {
    let mut events = events.filter(|e| may_act(ev, duty.role, duty.responsible, e));
    match duty.action {
        ActionDef::Attempt {
            methods,
            times,
            every,
        } => attempts(ev, duty, methods, *times, *every, events),
        ActionDef::Contact(items) => {
            let cascade = &crate::rules::cascade::expand(items, duty.contacts);
            let mut tried = Vec::new();
            for e in events {
                if let EventData::ContactMade { contact, outcome } = e.data {
                    if cascade.contains(&contact) {
                        if outcome == Outcome::Reached {
                            return (Some(e.at), None);
                        }
                        tried.push(contact);
                    }
                }
            }
            (None, cascade_progress(cascade, &tried, duty.contacts))
        }
        action => (
            events
                .find(|e| does(ev.rs, action, duty.told, &e.data))
                .map(|e| e.at),
            None,
        ),
    }
}

/// True if one event does a single-event action (every action but attempts and cascades).
fn does(
    rs: &crate::rules::RuleSet,
    action: &ActionDef,
    told: Option<RoleId>,
    data: &EventData,
) -> bool {
    match (action, data) {
        (ActionDef::Notify(_), EventData::Notified { role }) => {
            told.is_some_and(|needed| rs.covers(*role, needed))
        }
        (ActionDef::Record(l) | ActionDef::Review(_, l), EventData::RecordMade { log, .. }) => {
            l == log
        }
        (ActionDef::Escalate(a), EventData::AgencyContacted { agency }) => a == agency,
        (ActionDef::ReferSafeguarding, EventData::SafeguardingReferral) => true,
        (
            ActionDef::VerifyWhereabouts,
            EventData::WhereaboutsConfirmed { .. } | EventData::ContactEstablished,
        ) => true,
        (ActionDef::Check(wanted), EventData::Observation { sym, .. }) => {
            rs.observation_answers(*sym, *wanted)
        }
        _ => false,
    }
}

/// When the `times`th attempt by one of `methods` (any, if none), `every` apart, was made, or
/// how many have been made so far.
fn attempts<'e>(
    ev: &Eval<'_>,
    duty: &Duty<'_>,
    methods: &[Method],
    times: u32,
    every: Option<u64>,
    events: impl Iterator<Item = &'e Event>,
) -> (Option<Instant>, Option<String>) {
    let mut made = 0u32;
    let mut refused: Option<(Method, &str)> = None;
    let mut last: Option<Instant> = None;
    for e in events {
        let EventData::ContactAttempt { method, .. } = e.data else {
            continue;
        };
        if !(methods.is_empty() || methods.contains(&method)) {
            continue;
        }
        // A method the person cannot receive at that moment is no attempt to reach them: it
        // does not count, and the duty can go overdue (fail closed).
        if let Some(r) = ruled_out_at(ev, duty.ruled_out, method, e.at) {
            refused = Some((method, &r.need));
            continue;
        }
        // Attempts closer together than the spacing count as one.
        let spaced = match (last, every) {
            (Some(l), Some(gap)) => e.at >= ev.civil.after(l, gap),
            _ => true,
        };
        if spaced {
            made += 1;
            last = Some(e.at);
            if made >= times {
                return (Some(e.at), None);
            }
        }
    }
    let mut progress = format!("{made} of {times} attempts made");
    if let Some((m, need)) = refused {
        progress.push_str(&format!(
            "; attempts by {m} were not counted: the person's communication need `{need}` rules {m} out at that time"
        ));
    }
    (None, Some(progress))
}

/// The rule that rules `method` out at `at`, if one does.
fn ruled_out_at<'r>(
    ev: &Eval<'_>,
    ruled_out: &'r [RuledOut],
    method: Method,
    at: Instant,
) -> Option<&'r RuledOut> {
    ruled_out
        .iter()
        .find(|r| r.method == method && r.window.is_none_or(|cal| ev.in_calendar(cal, at)))
}

/// "not reached: Sister; next: Brother", once someone has been tried.
fn cascade_progress(
    cascade: &[ContactId],
    tried: &[ContactId],
    contacts: &[ContactDef],
) -> Option<String> {
    if tried.is_empty() {
        return None;
    }
    let names: Vec<&str> = tried
        .iter()
        .filter_map(|c| contacts.get(c.index()).map(|x| x.display.as_str()))
        .collect();
    let next = cascade
        .iter()
        .find(|c| !tried.contains(c))
        .and_then(|c| contacts.get(c.index()))
        .map_or("no one left to try".to_string(), |x| {
            format!("next: {}", x.display)
        });
    Some(format!("not reached: {}; {next}", names.join(", ")))
}
