//! Governance counts: at least N of something (episodes of a trigger, records of a result or
//! of a family of results) in one window (a review cycle, a day, a week, any span of a
//! length, the whole record), per group; `first` is a count of one. An item the rule cannot
//! judge (no route for a count per route, no criticality for a count of critical visits) is
//! a manual review, never left out.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use super::gov_items::{group, lacks, window_start, Firing, Gap};
use super::{words, Eval};
use crate::rules::{CountedDef, CountedKind, WindowDef};
use crate::time::Instant;
use crate::timeline::EventData;
use crate::vocab::Grouping;

/// One thing counted: an episode's trigger, or a record.
struct Item<'t> {
    at: Instant,
    id: Arc<str>,
    person: usize,
    visit: Option<usize>,
    /// The record counted, which may name its own route or location.
    record: Option<&'t EventData>,
}

/// How a count is written: `what`, at least `at_least`, kept in `window`, per `per`.
pub(super) struct Rule<'a> {
    pub what: &'a CountedDef,
    pub at_least: u32,
    pub window: WindowDef,
    pub per: Grouping,
    pub first: bool,
}

/// The firings of a count, in time order, and the items it could not judge (in `gaps`).
pub(super) fn count(ev: &Eval<'_>, r: &Rule<'_>, gaps: &mut Vec<Gap>) -> Vec<Firing> {
    let mut fixed: BTreeMap<(String, Instant), Vec<Arc<str>>> = BTreeMap::new();
    let mut rolling: BTreeMap<String, VecDeque<(Instant, Arc<str>)>> = BTreeMap::new();
    let mut firings = Vec::new();
    for item in items(ev, r.what, gaps) {
        let Some(g) = group(ev, r.per, (item.person, item.visit), item.record) else {
            gaps.push(Gap {
                at: item.at,
                key: item.id.clone(),
                person: item.person,
                visit: item.visit,
                reason: format!(
                    "{} {} is not about {}, so it cannot be counted per {}{}",
                    what_words(ev, r.what, false),
                    item.id,
                    lacks(r.per),
                    r.per,
                    kept_in(ev, r.window)
                ),
            });
            continue;
        };
        let (start, ids) = match (r.window, window_start(ev, r.window, item.at)) {
            (WindowDef::Rolling(span), _) => {
                let kept = rolling.entry(g.clone()).or_default();
                kept.push_back((item.at, item.id.clone()));
                let earliest = i64::try_from(span)
                    .ok()
                    .and_then(chrono::Duration::try_seconds)
                    .and_then(|d| item.at.checked_sub_signed(d))
                    .unwrap_or(Instant::MIN_UTC);
                while kept.front().is_some_and(|(t, _)| *t < earliest) {
                    kept.pop_front();
                }
                if kept.len() < r.at_least as usize {
                    continue;
                }
                // Counting starts again after a firing: the next needs N new items.
                let ids: Vec<Arc<str>> = kept.drain(..).map(|(_, id)| id).collect();
                (item.at, ids)
            }
            (_, Some(start)) => {
                let list = fixed.entry((g.clone(), start)).or_default();
                list.push(item.id.clone());
                if list.len() != r.at_least as usize {
                    continue;
                }
                (start, list.clone())
            }
            (_, None) => continue,
        };
        firings.push(Firing {
            at: item.at,
            known: item.at,
            key: key(r.window, &g, start, &item.id),
            person: if r.per == Grouping::Person {
                g.clone()
            } else {
                String::new()
            },
            visit: None,
            group: Some(g.clone()),
            because: because(ev, r, &g, start, &ids),
        });
    }
    firings
}

/// The firing's key, unique within the rule: the group and the window (or, for a span, the
/// item that completed the count).
fn key(window: WindowDef, g: &str, start: Instant, id: &str) -> String {
    match window {
        WindowDef::Record => g.to_string(),
        WindowDef::Rolling(_) => format!("{g}/{id}"),
        _ => format!("{g}/{}", super::decision::utc(&start)),
    }
}

/// Where a count is kept, in words, for an item it cannot place.
fn kept_in(ev: &Eval<'_>, window: WindowDef) -> String {
    match window {
        WindowDef::Cycle(c) => format!(
            " in the {} review cycle",
            ev.rs.cycles.get(c.index()).map_or("", |c| c.name.as_str())
        ),
        WindowDef::Day => " day by day".to_string(),
        WindowDef::Week => " week by week".to_string(),
        WindowDef::Rolling(span) => format!(" within {}", crate::wording::duration_words(span)),
        WindowDef::Record => String::new(),
    }
}

fn because(ev: &Eval<'_>, r: &Rule<'_>, g: &str, start: Instant, ids: &[Arc<str>]) -> String {
    let what = what_words(ev, r.what, !r.first && r.at_least != 1);
    let list = ids.iter().map(|i| &**i).collect::<Vec<_>>().join(", ");
    let window = match r.window {
        WindowDef::Cycle(c) => format!(
            " in the {} review cycle from {}",
            ev.rs.cycles.get(c.index()).map_or("", |c| c.name.as_str()),
            words::clock(ev, start)
        ),
        WindowDef::Day => format!(" on the day from {}", words::clock(ev, start)),
        WindowDef::Week => format!(" in the week from {}", words::clock(ev, start)),
        WindowDef::Rolling(span) => {
            format!(" within {}", crate::wording::duration_words(span))
        }
        WindowDef::Record => String::new(),
    };
    // "for route R3", "for G-05"; the provider's count is simply "for the provider".
    let whose = match r.per {
        crate::vocab::Grouping::Provider => "the provider".to_string(),
        per => format!("{per} {g}"),
    };
    if r.first {
        format!("the first {what} for {whose}{window}: {list}")
    } else {
        format!("{} {what} for {whose}{window}: {list}", r.at_least)
    }
}

/// `critical missed-visit episode`, `` `red_risk` records``: what is counted, in words.
fn what_words(ev: &Eval<'_>, what: &CountedDef, plural: bool) -> String {
    let when = if what.out_of_hours {
        " out of hours"
    } else {
        ""
    };
    let s = if plural { "s" } else { "" };
    match &what.kind {
        CountedKind::Trigger(on) => {
            let crit = what
                .criticality
                .and_then(|c| ev.rs.criticalities.get(c.index()))
                .map_or(String::new(), |c| format!("{c} "));
            format!("{crit}{} episode{s}{when}", ev.rs.trigger_words(*on))
        }
        CountedKind::Results(_) => format!("`{}` record{s}{when}", what.name),
    }
}

/// The items counted, in time order: one per trigger event (however many pathways it
/// opened), or one per record; those of the wrong criticality or time of day left out, and
/// those whose criticality cannot be known given as gaps.
fn items<'t>(ev: &Eval<'t>, what: &CountedDef, gaps: &mut Vec<Gap>) -> Vec<Item<'t>> {
    let mut out: Vec<Item> = match &what.kind {
        CountedKind::Trigger(on) => {
            let mut episodes: Vec<&super::EpisodeSummary> =
                ev.episodes.iter().filter(|e| e.trigger == *on).collect();
            episodes.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
            episodes.dedup_by(|a, b| a.at == b.at && a.person == b.person && a.visit == b.visit);
            episodes
                .into_iter()
                .map(|e| Item {
                    at: e.at,
                    id: e.id.clone(),
                    person: e.person,
                    visit: e.visit,
                    record: None,
                })
                .collect()
        }
        CountedKind::Results(results) => ev
            .tl
            .events
            .get(..ev.considered)
            .unwrap_or(&[])
            .iter()
            .filter(|e| matches!(&e.data, EventData::RecordMade { result: Some(r), .. } if results.contains(r)))
            .map(|e| Item {
                at: e.at,
                id: Arc::from(e.id.as_str()),
                person: e.person,
                visit: e.visit,
                record: Some(&e.data),
            })
            .collect(),
    };
    if what.out_of_hours {
        out.retain(|i| ev.out_of_hours(i.at));
    }
    if let Some(c) = what.criticality {
        out.retain(|i| {
            let known = i.visit.and_then(|v| ev.visit(v)).and_then(|v| v.criticality);
            if known.is_none() {
                gaps.push(Gap {
                    at: i.at,
                    key: i.id.clone(),
                    person: i.person,
                    visit: i.visit,
                    reason: format!(
                        "{} is not about a visit with a criticality, so it cannot be counted among {} ones",
                        i.id,
                        ev.rs.criticalities.get(c.index()).map_or("", String::as_str)
                    ),
                });
            }
            known == Some(c)
        });
    }
    out
}
