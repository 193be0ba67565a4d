//! Periodic governance duties: a review at fixed local times (`daily at 12:00, 18:00`), one
//! due a fixed time after it was last done (`every 48h`), and one done a number of times in
//! each week (`3 times each week`). Each falls due whether or not anything happened, from the
//! start of the timeline's record to `as_of`, and is done as any duty is (the one discharge
//! rule, [`super::discharge`]), by events about anyone: these duties are the provider's.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::decision::Obligation;
use super::discharge::{discharge, Ended};
use super::gov_duty::{due_from, duty, finish, no_due_time, Done};
use super::Eval;
use crate::rules::flow::End;
use crate::rules::{GovRuleDef, MetricDef};
use crate::time::Instant;
use crate::timeline::Event;
use crate::vocab::Weekday;

/// Add the duties rule `rule` (a periodic one) opened up to `as_of`, and when the next opens.
pub(super) fn run(ev: &mut Eval<'_>, rule: &GovRuleDef) {
    // A newer version's schedules start when it comes into force: before then, the
    // earlier version's ran (language.md §2).
    let record = super::watch::record_start(ev);
    let from = ev.in_force_since.map_or(record, |since| since.max(record));
    // Whether the schedules start with this version rather than with the record: the words
    // say which (when both start at once, the record).
    let by_version = ev.in_force_since.is_some_and(|since| since > record);
    if ev.tl.from.is_none() && ev.tl.events.is_empty() {
        // A timeline that records nothing starts its record on as_of's day, so at the next
        // local midnight the record (and every schedule) starts a day later: a change.
        let tomorrow = ev.civil.local_date(ev.as_of) + chrono::Days::new(1);
        ev.change_at(Some(ev.civil.at(tomorrow, 0, 0)));
    }
    let made = match &rule.metric {
        MetricDef::At { days, at } => at_times(ev, rule, from, (days, at)),
        MetricDef::Every { every } => every_so_often(ev, rule, (from, by_version), *every),
        MetricDef::TimesEachWeek { times } => each_week(ev, rule, (from, by_version), *times),
        _ => Vec::new(),
    };
    for o in made {
        let unfound = (rule.deadline.is_some() && o.due.is_none()).then(|| no_due_time(rule, &o));
        ev.push(o);
        if let Some(u) = unfound {
            ev.manual_review(u);
        }
    }
}

/// The events taken into account at `as_of`, in time order.
fn considered<'t>(ev: &Eval<'t>) -> &'t [Event] {
    ev.tl.events.get(..ev.considered).unwrap_or(&[])
}

/// The first event from index `from_index` on, at or after `start` and before `end` (when
/// given), that does the duty rule `rule` opens at `start`; with its index.
fn first_done(
    ev: &Eval<'_>,
    rule: &GovRuleDef,
    start: Instant,
    (from_index, end): (usize, Option<Instant>),
) -> Option<(usize, Ended)> {
    let events = considered(ev);
    let d = duty(ev, rule, start);
    let first = from_index.max(events.partition_point(|e| e.at < start));
    let rest = events.get(first..).unwrap_or(&[]);
    rest.iter()
        .enumerate()
        .take_while(|(_, e)| end.is_none_or(|end| e.at < end))
        .find_map(|(i, e)| {
            let (ended, _) = discharge(ev, &d, std::iter::once(e));
            ended
                .filter(|x| !matches!(x.end, End::Failed(_)))
                .map(|x| (first + i, x))
        })
}

/// `DAYS at HH:MM, ...`: a duty opens at each of those local times from the record's start;
/// it is due by its deadline or, with none, by the next opening, and only work before the
/// next opening does it (a review after the next opening is that one's).
fn at_times(
    ev: &mut Eval<'_>,
    rule: &GovRuleDef,
    from: Instant,
    (days, at): (&[Weekday], &[(u32, u32)]),
) -> Vec<Obligation> {
    let mut out = Vec::new();
    let mut opening = next_opening(ev, days, at, from);
    while let Some(t) = opening {
        if t > ev.as_of {
            ev.change_at(Some(t));
            break;
        }
        let next = next_opening(ev, days, at, t + chrono::Duration::seconds(1));
        let due = match rule.deadline {
            Some(d) => due_from(ev, d, t),
            None => next,
        };
        let ended = first_done(ev, rule, t, (0, next)).map(|(_, e)| e);
        let because = format!(
            "{} {}: this one opened at {}",
            rule_words(&rule.name),
            rule.metric.words(ev.rs),
            super::words::clock(ev, t)
        );
        let done = Done {
            due,
            ended,
            timed: due.is_some(),
        };
        let key = (super::decision::utc(&t), Arc::from(""), t);
        out.push(finish(ev, rule, key, done, because));
        opening = next;
    }
    out
}

/// The first opening at or after `t`: the earliest listed local time on a listed day. A
/// week ahead always holds one (the checker requires a day and a time).
fn next_opening(ev: &Eval<'_>, days: &[Weekday], at: &[(u32, u32)], t: Instant) -> Option<Instant> {
    let first = ev.civil.local_date(t);
    (0..8)
        .filter_map(|n| first.checked_add_days(chrono::Days::new(n)))
        .filter(|d| on_day(days, *d))
        .flat_map(|d| at.iter().map(move |(h, m)| (d, *h, *m)))
        .map(|(d, h, m)| ev.civil.at(d, h, m))
        .find(|x| *x >= t)
}

fn on_day(days: &[Weekday], date: NaiveDate) -> bool {
    let index = date.weekday().num_days_from_monday() as usize;
    days.iter().any(|d| d.index() == index)
}

/// `every D`: the first duty opens when the record starts and is due D later; each time it
/// is done, on time or late, the next opens then and is due D after. One not done yet is the
/// last.
fn every_so_often(
    ev: &mut Eval<'_>,
    rule: &GovRuleDef,
    (from, by_version): (Instant, bool),
    every: u64,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    let (mut start, mut index) = (from, 0);
    if from > ev.as_of {
        // The record starts after as_of: the first duty opens then.
        ev.change_at(Some(from));
    }
    while start <= ev.as_of {
        let due = ev.civil.after(start, every);
        let found = first_done(ev, rule, start, (index, None));
        let because = format!(
            "{} {}: due {} after {}",
            rule_words(&rule.name),
            rule.metric.words(ev.rs),
            crate::wording::duration_words(every),
            if out.is_empty() {
                // As the weekly note says it: the schedule starts with the record, or with
                // this version if it came into force later (found by a docs-only tester).
                if by_version {
                    format!(
                        "version {} comes into force at {}",
                        ev.rs.version,
                        super::words::clock(ev, start)
                    )
                } else {
                    format!("the record starts at {}", super::words::clock(ev, start))
                }
            } else {
                format!("it was last done at {}", super::words::clock(ev, start))
            }
        ) + &clock_moved(ev, start, due);
        let done = Done {
            due: Some(due),
            ended: found.map(|(_, e)| e),
            timed: true,
        };
        let key = (super::decision::utc(&start), Arc::from(""), start);
        out.push(finish(ev, rule, key, done, because));
        let Some((i, e)) = found else { break };
        (start, index) = (e.at, i + 1);
    }
    out
}

/// When a clock change falls between `start` and `due` (the wall clock moved by other than the
/// real time passed), what the wall clock shows at `due`: "2 days after 11:00 Sat" is 10:00 on
/// Monday once the clocks go back, since a day is 24 real hours (docs/time.md), and a reader
/// would take it for 11:00 (found by a docs-only tester).
fn clock_moved(ev: &Eval<'_>, start: Instant, due: Instant) -> String {
    let (from, to) = (ev.civil.local(start), ev.civil.local(due));
    if to - from == due - start {
        return String::new();
    }
    format!(
        ", which is {} on the wall clock (the clocks change in between)",
        super::words::clock(ev, due)
    )
}

/// `N times each week`: each local week, Monday 00:00 to the next, holds a duty due at its
/// end and done by the Nth doing of it inside the week. A week that began before the record
/// did is not judged, and a note says so.
fn each_week(
    ev: &mut Eval<'_>,
    rule: &GovRuleDef,
    (from, by_version): (Instant, bool),
    times: u32,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    let monday =
        |d: NaiveDate| d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()));
    let mut week = monday(ev.civil.local_date(from));
    if ev.civil.at(week, 0, 0) < from {
        week = week + chrono::Days::new(7);
        // The schedule starts with the record, or with this version if it came into force
        // later: the note says which.
        let starts = if by_version {
            format!("version {} comes into force", ev.rs.version)
        } else {
            "the record starts".to_string()
        };
        ev.notes.push(format!(
            "rule `{}` is judged by whole weeks: the week {starts} in ({}) began before it, so the first week judged starts {}",
            rule.name,
            super::words::clock(ev, from),
            super::words::clock(ev, ev.civil.at(week, 0, 0))
        ));
    }
    loop {
        let start = ev.civil.at(week, 0, 0);
        if start > ev.as_of {
            ev.change_at(Some(start));
            break;
        }
        let end = ev.civil.at(week + chrono::Days::new(7), 0, 0);
        let mut done_at = Vec::new();
        let mut index = 0;
        while done_at.len() < times as usize {
            let Some((i, e)) = first_done(ev, rule, start, (index, Some(end))) else {
                break;
            };
            done_at.push(e);
            index = i + 1;
        }
        let ended = (done_at.len() == times as usize)
            .then(|| done_at.last().copied())
            .flatten();
        let because = format!(
            "{} {}: {} of {times} done in the week from {}{}",
            rule_words(&rule.name),
            rule.metric.words(ev.rs),
            done_at.len(),
            super::words::clock(ev, start),
            listed(ev, &done_at)
        );
        let done = Done {
            due: Some(end),
            ended,
            timed: true,
        };
        let key = (super::decision::utc(&start), Arc::from(""), start);
        out.push(finish(ev, rule, key, done, because));
        week = week + chrono::Days::new(7);
    }
    out
}

/// ` (at 09:10 Mon 23 Nov, 14:00 Wed 25 Nov)`, or nothing.
fn listed(ev: &Eval<'_>, done: &[Ended]) -> String {
    if done.is_empty() {
        return String::new();
    }
    let at: Vec<String> = done.iter().map(|e| super::words::clock(ev, e.at)).collect();
    format!(" (at {})", at.join(", "))
}

fn rule_words(name: &str) -> String {
    format!("rule `{name}` is due")
}
