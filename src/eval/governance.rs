//! Governance rules over many visits and episodes: counts inside review cycles, episodes
//! unresolved beyond their day, consecutive results, and triggers whose step was not done in
//! time. Each produces obligations for its role like any other rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::decision::{Obligation, RuleRef, Status};
use super::{action_name, words, Eval};
use crate::rules::{ActionDef, GovRuleDef, MetricDef};
use crate::time::Instant;
use crate::timeline::EventData;
use crate::vocab::TriggerKind;

/// Evaluate every governance rule over the episodes and events seen so far.
pub(super) fn run(ev: &mut Eval<'_>) {
    let rules = &ev.rs.governance;
    for rule in rules {
        let firings = match &rule.metric {
            MetricDef::Count {
                trigger,
                at_least,
                cycle,
                per,
            } => count(ev, *trigger, *at_least, *cycle, ev.rs.symbols.name(*per)),
            MetricDef::UnresolvedBeyondSameDay { .. } => unresolved(ev),
            MetricDef::Consecutive { count, what, per } => {
                consecutive(ev, *count, *what, ev.rs.symbols.name(*per))
            }
            MetricDef::Without {
                trigger,
                criticality,
                step,
                within,
            } => without(ev, *trigger, *criticality, step, *within),
        };
        for f in firings {
            if f.at > ev.as_of {
                ev.change_at(Some(f.at));
                continue;
            }
            let o = obligation(ev, rule, f);
            if matches!(o.status, Status::Due | Status::Upcoming) {
                ev.falls_overdue_at(o.due);
            }
            ev.obligations.push(o);
        }
    }
}

/// One firing of a rule.
struct Firing {
    at: Instant,
    key: String,
    person: String,
    because: String,
}

fn group(ev: &Eval<'_>, per: &str, person: usize, visit: Option<usize>) -> Option<String> {
    let v = visit.and_then(|v| ev.tl.visits.get(v));
    match per {
        "person" => Some(ev.person_id(person).to_string()),
        "route" => v.and_then(|v| v.route.clone()),
        "location" => v.and_then(|v| v.location.clone()),
        _ => Some("provider".to_string()),
    }
}

/// The start of the review cycle containing `t`: the latest review time at or before it.
fn cycle_start(ev: &Eval<'_>, times: &[(u32, u32)], t: Instant) -> Option<Instant> {
    let today = ev.civil.local_date(t);
    let mut best: Option<Instant> = None;
    for back in 0..2 {
        let date = today.checked_sub_signed(chrono::Duration::days(back))?;
        for (h, m) in times {
            let at = ev.civil.at(date, *h, *m);
            if at <= t && best.is_none_or(|b| at > b) {
                best = Some(at);
            }
        }
    }
    best
}

fn count(ev: &Eval<'_>, trigger: TriggerKind, at_least: u32, cycle: u16, per: &str) -> Vec<Firing> {
    let Some(times) = ev.rs.cycles.get(cycle as usize).map(|c| c.at.clone()) else {
        return Vec::new();
    };
    let cycle_name = ev
        .rs
        .cycles
        .get(cycle as usize)
        .map_or("", |c| c.name.as_str());
    let mut seen: BTreeMap<(String, Instant), Vec<&super::EpisodeSummary>> = BTreeMap::new();
    let mut firings = Vec::new();
    let mut episodes: Vec<&super::EpisodeSummary> = ev
        .episodes
        .iter()
        .filter(|e| e.trigger == trigger)
        .collect();
    episodes.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    // One count per trigger, not per pathway it opened.
    episodes.dedup_by(|a, b| a.at == b.at && a.person == b.person && a.visit == b.visit);
    for e in episodes {
        let (Some(g), Some(start)) = (
            group(ev, per, e.person, e.visit),
            cycle_start(ev, &times, e.at),
        ) else {
            continue;
        };
        let list = seen.entry((g.clone(), start)).or_default();
        list.push(e);
        if list.len() == at_least as usize {
            firings.push(Firing {
                at: e.at,
                key: format!("{g}/{}", super::decision::utc(&start)),
                person: if per == "person" {
                    g.clone()
                } else {
                    String::new()
                },
                because: format!(
                    "{} {} episodes for {per} {g} in the {cycle_name} review cycle from {}: {}",
                    at_least,
                    trigger_words(trigger),
                    words::clock(ev, start),
                    list.iter().map(|e| &*e.id).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    firings
}

fn unresolved(ev: &Eval<'_>) -> Vec<Firing> {
    ev.episodes
        .iter()
        .filter(|e| {
            matches!(
                e.trigger,
                TriggerKind::NoAnswer | TriggerKind::MissedVisit | TriggerKind::AtAlert
            )
        })
        .filter_map(|e| {
            let midnight = ev.civil.end_of_day(e.at);
            if e.closed.is_some_and(|c| c < midnight) {
                return None;
            }
            Some(Firing {
                at: midnight,
                key: e.id.to_string(),
                person: ev.person_id(e.person).to_string(),
                because: format!(
                    "episode {} opened at {} was still unresolved at the end of that day",
                    e.id,
                    words::clock(ev, e.at)
                ),
            })
        })
        .collect()
}

fn consecutive(ev: &Eval<'_>, n: u32, what: crate::rules::Sym, per: &str) -> Vec<Firing> {
    let mut runs: BTreeMap<String, u32> = BTreeMap::new();
    let mut firings = Vec::new();
    let considered = ev.tl.events.get(..ev.considered).unwrap_or(&[]);
    for e in considered {
        let EventData::RecordMade {
            result: Some(r), ..
        } = &e.data
        else {
            continue;
        };
        let Some(g) = group(ev, per, e.person, e.visit) else {
            continue;
        };
        let run = runs.entry(g.clone()).or_insert(0);
        *run = if *r == what { *run + 1 } else { 0 };
        if *run == n {
            firings.push(Firing {
                at: e.at,
                key: format!("{g}/{}", e.id),
                person: if per == "person" {
                    g.clone()
                } else {
                    String::new()
                },
                because: format!(
                    "{n} consecutive `{}` results for {per} {g}, the last at {} (event {})",
                    ev.rs.symbols.name(what),
                    words::clock(ev, e.at),
                    e.id
                ),
            });
        }
    }
    firings
}

fn without(
    ev: &Eval<'_>,
    trigger: TriggerKind,
    criticality: crate::rules::CriticalityId,
    step: &str,
    within: u64,
) -> Vec<Firing> {
    ev.episodes
        .iter()
        .filter(|e| e.trigger == trigger)
        .filter(|e| {
            e.visit
                .and_then(|v| ev.tl.visits.get(v))
                .is_some_and(|v| v.criticality == criticality)
        })
        .filter_map(|e| {
            let index = e.steps.iter().position(|s| s.name == step)?;
            let done = e.done.get(index).copied().flatten();
            let limit = ev.civil.after(e.at, within);
            // Finding the person safe in time is the welfare check the rule asks for.
            if done.is_some_and(|d| d <= limit) || e.closed.is_some_and(|c| c <= limit) {
                return None;
            }
            Some(Firing {
                at: limit,
                key: e.id.to_string(),
                person: ev.person_id(e.person).to_string(),
                because: format!(
                    "episode {}: `{step}` was not done within {} of {}",
                    e.id,
                    crate::wording::duration_words(within),
                    words::clock(ev, e.at)
                ),
            })
        })
        .collect()
}

fn trigger_words(t: TriggerKind) -> &'static str {
    match t {
        TriggerKind::NoAnswer => "no-answer",
        TriggerKind::MissedVisit => "missed-visit",
        TriggerKind::Refusal => "refusal",
        TriggerKind::AtAlert => "alert",
        TriggerKind::RedFlag => "red-flag",
    }
}

fn obligation(ev: &Eval<'_>, rule: &GovRuleDef, f: Firing) -> Obligation {
    let rs = ev.rs;
    let role = ev.resolve(rule.responsible, f.at);
    let due = rule.deadline.and_then(|d| gov_due(ev, d, f.at));
    let considered = ev.tl.events.get(..ev.considered).unwrap_or(&[]);
    let done = considered
        .iter()
        .filter(|e| e.at >= f.at && e.by.is_some_and(|b| rs.covers(b, role)))
        .find(|e| match (&rule.action, &e.data) {
            (ActionDef::Notify(who), EventData::Notified { role: told }) => {
                rs.covers(*told, ev.resolve(*who, e.at))
            }
            (ActionDef::Record(l) | ActionDef::Review(_, l), EventData::RecordMade { log, .. }) => {
                l == log
            }
            (ActionDef::Escalate(a), EventData::AgencyContacted { agency }) => a == agency,
            (ActionDef::ReferSafeguarding, EventData::SafeguardingReferral) => true,
            _ => false,
        })
        .map(|e| e.at);
    let (status, late_by) = match (done, due) {
        (Some(d), Some(u)) if d > u => (Status::DoneLate, Some((d - u).num_seconds())),
        (Some(_), _) => (Status::Done, None),
        (None, None) => (Status::Upcoming, None),
        (None, Some(u)) if ev.as_of <= u => (Status::Due, None),
        (None, Some(u)) => (Status::Overdue, Some((ev.as_of - u).num_seconds())),
    };
    let role_def = rs.role(role);
    let id = format!("governance/{}/{}", rule.name, f.key);
    Obligation {
        id: id.clone(),
        person: Arc::from(f.person),
        visit: None,
        episode: Arc::from(id),
        action: action_name(&rule.action),
        summary: Arc::from(words::summary(ev, 0, &rule.action, role, f.at)),
        role: role_def.map_or_else(|| Arc::from(""), |r| r.name.clone()),
        role_name: role_def.map_or_else(|| Arc::from(""), |r| r.display.clone()),
        opened_at: f.at,
        due,
        due_local: due.map(|d| ev.civil.local_rfc3339(d)),
        status,
        done_at: done,
        late_by_seconds: late_by,
        rule: Arc::new(RuleRef {
            name: format!("governance.{}", rule.name),
            file: rule.origin.file.clone(),
            line: rule.origin.line,
            column: rule.origin.column,
        }),
        cites: Arc::from(rule.cites.clone()),
        because: vec![Arc::from(f.because)],
    }
}

fn gov_due(ev: &Eval<'_>, d: crate::rules::DeadlineDef, at: Instant) -> Option<Instant> {
    use crate::rules::{DeadlineAtomDef as A, DeadlineDef as D};
    let c = ev.civil;
    let atom = |a: A| -> Option<Instant> {
        Some(match a {
            A::Within { secs, .. } => c.after(at, secs),
            A::ByClock {
                hour,
                minute,
                next_working_day,
            } => {
                if next_working_day {
                    c.clock_next_working_day(at, hour, minute)
                } else {
                    c.next_clock(at, hour, minute)
                }
            }
            A::EndOfDay => c.end_of_day(at),
            A::EndOfWorkingDay => c.end_of_working_day(at),
            A::NextWorkingDay => c.end_of_next_working_day(at),
        })
    };
    match d {
        D::Atom(a) => atom(a),
        D::Earliest(a, b) => Some(atom(a)?.min(atom(b)?)),
        D::Latest(a, b) => Some(atom(a)?.max(atom(b)?)),
    }
}
