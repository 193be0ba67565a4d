//! Governance rules over many visits and episodes: counts inside review cycles, episodes
//! unresolved beyond their day, consecutive results, and triggers whose step was not done in
//! time. Each produces obligations for its role like any other rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::decision::Obligation;
use super::discharge::{discharge, ending_kinds};
use super::gov_duty::{due_from, duty, finish, no_due_time, Done};
use super::gov_items::{group, lacks, Firing, Gap};
use super::obligation::Unjudged;
use super::{words, Eval};
use crate::rules::TriggerOn;
use crate::rules::{GovRuleDef, MetricDef};
use crate::timeline::EventData;
use crate::vocab::{Grouping, TriggerKind};

/// Evaluate every governance rule over the episodes and events seen so far.
pub(super) fn run(ev: &mut Eval<'_>) {
    let rules = &ev.rs.governance;
    for rule in rules {
        let mut gaps = Vec::new();
        let firings = match &rule.metric {
            MetricDef::Every { .. } | MetricDef::TimesEachWeek { .. } | MetricDef::At { .. } => {
                super::periodic::run(ev, rule);
                continue;
            }
            MetricDef::Count {
                what,
                at_least,
                window,
                per,
                first,
            } => {
                let r = super::counts::Rule {
                    what,
                    at_least: *at_least,
                    window: *window,
                    per: *per,
                    first: *first,
                };
                super::counts::count(ev, &r, &mut gaps)
            }
            MetricDef::UnresolvedBeyondSameDay { trigger, .. } => unresolved(ev, *trigger),
            MetricDef::Consecutive {
                count,
                what,
                family,
                per,
            } => consecutive(ev, (*count, *what, family), *per, &mut gaps),
            MetricDef::Without {
                trigger,
                criticality,
                step,
                within,
            } => without(ev, *trigger, *criticality, step, *within),
        };
        for f in firings {
            if f.known > ev.as_of {
                ev.change_at(Some(f.known));
                continue;
            }
            let o = obligation(ev, rule, f);
            let unfound =
                (rule.deadline.is_some() && o.due.is_none()).then(|| no_due_time(rule, &o));
            ev.push(o);
            if let Some(u) = unfound {
                ev.manual_review(u);
            }
        }
        for g in gaps {
            manual_review(ev, rule, g);
        }
    }
}

fn manual_review(ev: &mut Eval<'_>, rule: &GovRuleDef, g: Gap) {
    if g.at > ev.as_of {
        ev.change_at(Some(g.at));
        return;
    }
    let unjudged = Unjudged {
        id: format!("governance/{}/manual-review/{}", rule.name, g.key),
        person: ev.person_arc(g.person),
        visit: ev.visit_id(g.visit),
        reason: g.reason,
        at: g.at,
        rule: rule.provenance.clone(),
        cites: rule.all_cites.clone(),
    };
    ev.manual_review(unjudged);
}

/// Episodes of `trigger` (with none: of every trigger that leaves safety unconfirmed,
/// declared ones written so included) still open at the end of their local day.
fn unresolved(ev: &Eval<'_>, trigger: Option<TriggerOn>) -> Vec<Firing> {
    ev.episodes
        .iter()
        .filter(|e| match trigger {
            Some(t) => e.trigger == t,
            None => ev.rs.safety_unconfirmed(e.trigger),
        })
        .filter_map(|e| {
            let midnight = ev.civil.end_of_day(e.at);
            // Resolved when it closed; an episode whose trigger does not leave safety
            // unconfirmed (a concern raised) also when its steps are all done, which is how
            // it ends (language.md §6.5): a concern resolved that afternoon is not open at
            // midnight.
            let ended = match e.complete {
                Some(c) if !ev.rs.safety_unconfirmed(e.trigger) => {
                    Some(e.closed.map_or(c, |closed| closed.min(c)))
                }
                _ => e.closed,
            };
            if ended.is_some_and(|c| c < midnight) {
                return None;
            }
            Some(Firing {
                at: midnight,
                known: midnight,
                key: e.id.to_string(),
                person: ev.person_id(e.person).to_string(),
                visit: e.visit,
                group: None,
                because: format!(
                    "episode {} opened at {} was still unresolved at the end of that day",
                    e.id,
                    words::clock(ev, e.at)
                ),
            })
        })
        .collect()
}

/// `n` records in a row with result `what`, among the records whose result is in `family`
/// (any other result neither continues nor breaks the run).
fn consecutive(
    ev: &Eval<'_>,
    (n, what, family): (u32, crate::rules::Sym, &[crate::rules::Sym]),
    per: Grouping,
    gaps: &mut Vec<Gap>,
) -> Vec<Firing> {
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
        if !family.contains(r) {
            continue;
        }
        let Some(g) = group(ev, per, (e.person, e.visit), Some(&e.data)) else {
            gaps.push(Gap {
                at: e.at,
                key: Arc::from(e.id.as_str()),
                person: e.person,
                visit: e.visit,
                reason: format!(
                    "the result recorded by event {} is not about {}, so it cannot be counted in a run of results per {per}",
                    e.id,
                    lacks(per)
                ),
            });
            continue;
        };
        let run = runs.entry(g.clone()).or_insert(0);
        *run = if *r == what { *run + 1 } else { 0 };
        if *run == n {
            firings.push(Firing {
                at: e.at,
                known: e.at,
                key: format!("{g}/{}", e.id),
                person: if per == Grouping::Person {
                    g.clone()
                } else {
                    String::new()
                },
                visit: None,
                group: Some(g.clone()),
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
        .filter(|e| e.trigger == TriggerOn::Builtin(trigger))
        .filter(|e| {
            e.visit
                .and_then(|v| ev.visit(v))
                .is_some_and(|v| v.criticality == Some(criticality))
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
                known: limit + chrono::Duration::seconds(1),
                key: e.id.to_string(),
                person: ev.person_id(e.person).to_string(),
                visit: e.visit,
                group: None,
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

/// The duty a firing creates. It is done by the first matching event from the firing on, by
/// the role the rule names (the one discharge rule, [`super::discharge`]); its deadline counts
/// from the firing (the one deadline rule; the checker refuses anchors a governance rule
/// cannot honour).
fn obligation(ev: &Eval<'_>, rule: &GovRuleDef, f: Firing) -> Obligation {
    let due = rule.deadline.and_then(|d| due_from(ev, d, f.at));
    let duty = duty(ev, rule, f.at);
    // A duty about one person is done by an event about that person, never by the same
    // work for someone else; a provider-wide one by any event. From the firing on.
    let kinds = ending_kinds(duty.action);
    let (ended, _) = if f.person.is_empty() {
        discharge(ev, &duty, ev.events_of_kinds_from(None, kinds, f.at))
    } else {
        let events = ev
            .person_at(&f.person)
            .map(|p| ev.events_of_kinds_from(Some(p), kinds, f.at));
        discharge(ev, &duty, events.into_iter().flatten())
    };
    let timed = rule.deadline.is_some();
    let done = Done { due, ended, timed };
    let mut o = finish(
        ev,
        rule,
        (f.key, Arc::from(f.person), f.at),
        done,
        f.because,
    );
    o.visit = ev.visit_id(f.visit);
    match rule.metric.per() {
        Some(Grouping::Route) => o.counted_route = f.group.map(Arc::from),
        Some(Grouping::Location) => o.counted_location = f.group.map(Arc::from),
        _ => {}
    }
    o
}
