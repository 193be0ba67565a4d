//! Plain words for obligations: what to do, and why.

use std::sync::Arc;

use super::{Episode, Eval};
use crate::rules::{ActionDef, AliasDef, Cond, RoleId};
use crate::time::Instant;
use crate::timeline::{Event, EventData};

/// `08:35 Tue 24 Nov` in the framework's zone.
pub(super) fn clock(ev: &Eval<'_>, t: Instant) -> String {
    ev.civil.short_local(t)
}

use crate::wording::{humanise, lower_first};

/// How an episode was closed.
pub(super) fn closure(ev: &Eval<'_>, e: &Event) -> String {
    let what = match &e.data {
        EventData::ContactEstablished => "contact established".to_string(),
        EventData::ContactAttempt { method, .. } => {
            format!("the person answered a contact attempt ({})", method.name())
        }
        EventData::WhereaboutsConfirmed { place: Some(p) } => format!("whereabouts confirmed: {p}"),
        EventData::WhereaboutsConfirmed { place: None } => "whereabouts confirmed".to_string(),
        _ => "escalation resolved".to_string(),
    };
    format!("{what} at {}, event {}", clock(ev, e.at), e.id)
}

/// Who an alias stood for when the rule fired, and why; or, for a duty not started (`now`),
/// who it stands for at `as_of` and until when, in words that stay true until the calendar
/// turns, so that the decision changes only when its `next_change` says.
pub(super) fn alias_resolution(
    ev: &Eval<'_>,
    alias: &AliasDef,
    role: RoleId,
    at: Instant,
    now: bool,
) -> String {
    let calendar = ev.rs.calendars.get(alias.calendar.index());
    let cal = calendar.map_or("the calendar".to_string(), |c| lower_first(&c.display));
    let inside = role == alias.inside;
    let name = ev.rs.role(role).map_or("", |r| &*r.display);
    let date = ev.civil.local_date(at);
    if now {
        let side = if inside { "inside" } else { "outside" };
        let until = ev
            .calendar_turn(alias.calendar, at)
            .map_or(String::new(), |t| format!(" until {}", clock(ev, t)));
        return format!(
            "{} is the {} for now, if it starts: {side} {cal}{until}",
            alias.display,
            lower_first(name)
        );
    }
    let why = if inside {
        format!("inside {cal} at {}", clock(ev, at))
    } else {
        // Name the reason: the bank holiday, the day with no hours, or the side of the hours.
        let reason = ev
            .rs
            .calendars
            .get(alias.calendar.index())
            .map(|c| ev.civil.outside_reason(c, at));
        match reason {
            Some(r) => format!(
                "outside {cal} at {}: {}",
                clock(ev, at),
                holiday_words(ev, date, r)
            ),
            None => format!("outside {cal} at {}", clock(ev, at)),
        }
    };
    format!("{} is the {}: {why}", alias.display, lower_first(name))
}

/// A reason a time is outside a calendar, saying so when a holiday's name does not ("Good
/// Friday, a bank holiday").
fn holiday_words(ev: &Eval<'_>, date: chrono::NaiveDate, reason: String) -> String {
    let named_holiday = ev.civil.is_bank_holiday(date)
        && !reason.starts_with("before ")
        && !reason.starts_with("after ")
        && !reason.to_lowercase().contains("bank holiday");
    if named_holiday {
        format!("{reason}, a bank holiday")
    } else {
        reason
    }
}

/// Why `t` is out of hours, in words ("Saturday", "Early May bank holiday", "after 18:00"),
/// when the framework's office hours can say.
fn out_of_hours_reason(ev: &Eval<'_>, t: Instant) -> Option<String> {
    let cal = ev
        .rs
        .office_hours
        .and_then(|c| ev.rs.calendars.get(c.index()))?;
    let date = ev.civil.local_date(t);
    Some(holiday_words(ev, date, ev.civil.outside_reason(cal, t)))
}

/// A condition with the value of each part, as judged for this episode: calendars, absences
/// and exceptions at the trigger `t0`, observations up to `at`.
pub(super) fn condition(
    ev: &Eval<'_>,
    ep: &Episode<'_>,
    c: &Cond,
    t0: Instant,
    at: Instant,
) -> String {
    // Facts about the person were settled when the protocol was checked; they print as
    // nothing here (the condition as written is quoted beside these details).
    let parts = |cs: &[Cond], joiner: &str| {
        cs.iter()
            .map(|c| condition(ev, ep, c, t0, at))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(joiner)
    };
    let side = |inside: bool, yes: &'static str, no: &'static str| if inside { yes } else { no };
    match c {
        Cond::Const(_) => String::new(),
        Cond::And(cs) => parts(cs, "; "),
        Cond::Or(cs) => parts(cs, " or "),
        Cond::Not(inner) if **inner == Cond::OutOfHours => in_office_hours(ev, t0),
        // A step an agreed exception suspends (or written `when not during X`).
        Cond::Not(inner) if matches!(**inner, Cond::DuringException(_)) => match **inner {
            Cond::DuringException(x) => exception(ev, ep, x, t0, true),
            _ => String::new(),
        },
        // These say what was so either way ("outside night-time", "not observed"): the
        // words of the fact itself, never a double negative.
        Cond::Not(inner)
            if matches!(
                **inner,
                Cond::InCalendar(_)
                    | Cond::DuringAbsence(_)
                    | Cond::Observed(..)
                    | Cond::Attribute(..)
                    | Cond::ReportedBy(_)
            ) =>
        {
            condition(ev, ep, inner, t0, at)
        }
        Cond::Not(inner) => format!("not ({})", condition(ev, ep, inner, t0, at)),
        Cond::OutOfHours if ev.out_of_hours(t0) => match out_of_hours_reason(ev, t0) {
            Some(r) => format!("out of hours at {}: {r}", clock(ev, t0)),
            None => format!("out of hours at {}", clock(ev, t0)),
        },
        Cond::OutOfHours => format!("in office hours at {}, not out of hours", clock(ev, t0)),
        Cond::InCalendar(cal) => match ev.rs.calendars.get(cal.index()) {
            Some(c) => format!(
                "{} {} at {}",
                side(ev.civil.in_calendar(c, t0), "inside", "outside"),
                lower_first(&c.display),
                clock(ev, t0)
            ),
            None => format!("outside a calendar at {}", clock(ev, t0)),
        },
        Cond::DuringAbsence(a) => match ev.rules(ep.person).absences.get(a.index()) {
            Some(abs) => format!(
                "{} the known absence `{}` ({}) at {}",
                side(ev.civil.in_windows(&abs.windows, t0), "within", "outside"),
                abs.name,
                lower_first(&abs.display),
                clock(ev, t0)
            ),
            None => "an absence window".into(),
        },
        Cond::DuringException(x) => exception(ev, ep, *x, t0, false),
        Cond::Observed(sym, back) => observed(ev, ep, *sym, *back, at),
        Cond::Visit(c) => {
            let name = ev.rs.criticalities.get(c.index());
            format!("a {} visit", name.map_or("", |s| s.as_str()))
        }
        Cond::Attribute(..) | Cond::ReportedBy(_) => reported(ev, ep, c),
    }
}

/// `not out_of_hours` as judged at `t0`: "in office hours at 10:00", or why not.
fn in_office_hours(ev: &Eval<'_>, t0: Instant) -> String {
    match (ev.out_of_hours(t0), out_of_hours_reason(ev, t0)) {
        (true, Some(r)) => format!("not in office hours at {}: {r}", clock(ev, t0)),
        (true, None) => format!("not in office hours at {}", clock(ev, t0)),
        (false, _) => format!("in office hours at {}", clock(ev, t0)),
    }
}

/// What the declared trigger recorded, for a condition on its attribute or reporter: "call
/// type silent", "reported by the night worker".
fn reported(ev: &Eval<'_>, ep: &Episode<'_>, c: &Cond) -> String {
    match c {
        Cond::Attribute(a, _, _) => attribute(ev, ep, *a),
        _ => match ep.trigger.by.and_then(|r| ev.rs.role(r)) {
            Some(r) => format!("reported by the {}", lower_first(&r.display)),
            None => "no reporter recorded".into(),
        },
    }
}

/// What a declared trigger's attribute was: "call type silent".
fn attribute(ev: &Eval<'_>, ep: &Episode<'_>, a: u16) -> String {
    let crate::rules::TriggerOn::Declared(id) = ep.trigger.kind else {
        return String::new();
    };
    let Some(def) = ev
        .rs
        .trigger(id)
        .and_then(|t| t.attributes.get(usize::from(a)))
    else {
        return String::new();
    };
    let value = ep
        .trigger
        .attributes
        .get(usize::from(a))
        .and_then(|v| def.values.get(usize::from(*v)));
    format!(
        "{} {}",
        lower_first(&def.display),
        value.map_or("not recorded", String::as_str)
    )
}

/// An agreed exception's window as judged at the trigger `t0`: for `when during X`, or (when
/// `negated`) for a step the exception suspends or one written `when not during X`.
fn exception(
    ev: &Eval<'_>,
    ep: &Episode<'_>,
    x: crate::rules::ExceptionId,
    t0: Instant,
    negated: bool,
) -> String {
    let Some(e) = ev.rules(ep.person).exceptions.get(x.index()) else {
        return if negated {
            "outside an agreed exception".into()
        } else {
            "an agreed exception".into()
        };
    };
    let (display, window) = (lower_first(&e.display), e.window_words());
    match (negated, e.covers(ev.civil, t0)) {
        (true, true) => format!(
            "it applies only outside the agreed exception {display} ({window}), which holds at {}",
            clock(ev, t0)
        ),
        (true, false) => format!("outside the agreed exception {display} ({window})"),
        (false, inside) => format!(
            "{} the agreed exception {display} ({window})",
            if inside { "during" } else { "outside" }
        ),
    }
}

/// Whether an observation (or one of a group's) was recorded in the episode up to `at`, and
/// when: "surroundings observed at 08:03 (lights on, event e2)".
fn observed(
    ev: &Eval<'_>,
    ep: &Episode<'_>,
    wanted: crate::rules::Sym,
    back: u64,
    at: Instant,
) -> String {
    let what = humanise(ev.rs.symbols.name(wanted));
    let from = ep.looked_back(back);
    let seen = ev
        .events_of_from(ep.person, from)
        .take_while(|e| e.at <= at)
        .find_map(|e| match &e.data {
            EventData::Observation { sym, .. } if ev.rs.observation_answers(*sym, wanted) => {
                Some((e, *sym))
            }
            _ => None,
        });
    match seen {
        Some((e, sym)) if sym == wanted => {
            format!("{what} observed at {} (event {})", clock(ev, e.at), e.id)
        }
        Some((e, sym)) => format!(
            "{what} observed at {} ({}, event {})",
            clock(ev, e.at),
            humanise(ev.rs.symbols.name(sym)),
            e.id
        ),
        None => format!("{what} not observed"),
    }
}

/// The action in plain words, for the role who must do it.
pub(super) fn summary(ev: &Eval<'_>, person: usize, action: &ActionDef, at: Instant) -> String {
    let told = match action {
        ActionDef::Notify(who) => ev.resolve(*who, at),
        _ => None,
    };
    crate::rules::describe::describe(ev.rs, &ev.rules(person).contacts, action, told)
}

/// The summary a step's obligation carries: worked out when the rule set was built, for each
/// side of an alias it notifies.
pub(super) fn step_summary(ev: &Eval<'_>, step: &crate::rules::StepDef, at: Instant) -> Arc<str> {
    match step.action {
        ActionDef::Notify(who @ crate::rules::Responsible::Alias(a)) => {
            let resolved = ev.resolve(who, at);
            let inside = ev.rs.alias(a).is_some_and(|d| Some(d.inside) == resolved);
            let [inside_text, otherwise_text] = &step.summaries;
            if inside {
                inside_text.clone()
            } else {
                otherwise_text.clone()
            }
        }
        _ => step.summaries[0].clone(),
    }
}

/// On what basis each contact a step reaches is contacted, one line each: who decides, who is
/// consulted, who agreed (the table in [`crate::rules::standing`]).
pub(super) fn contact_bases(ev: &Eval<'_>, person: usize, action: &ActionDef) -> Vec<Arc<str>> {
    let ActionDef::Contact(items) = action else {
        return Vec::new();
    };
    let rules = ev.rules(person);
    rules
        .cascade(items)
        .iter()
        .filter_map(|c| rules.contacts.get(c.index()))
        .filter_map(|c| crate::rules::standing::words(c, rules.capacity))
        .map(Arc::from)
        .collect()
}
