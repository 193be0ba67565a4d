//! A governance rule's measure, or a periodic duty's schedule, in plain words: the one
//! description the evaluator's reasons, `vigil diff` and the audit pack share.

use super::{MetricDef, RuleSet, WindowDef};
use crate::vocab::Weekday;
use crate::wording::{and_list, duration_words};

impl MetricDef {
    /// True for a duty that falls due on a schedule rather than when something happens.
    pub fn is_periodic(&self) -> bool {
        matches!(
            self,
            MetricDef::Every { .. } | MetricDef::TimesEachWeek { .. } | MetricDef::At { .. }
        )
    }

    /// What the rule watches, or when it falls due, in words: `every day at 12:00 and
    /// 18:00`, `at least 2 missed visits in one attendance review cycle, per route`.
    pub fn words(&self, rs: &RuleSet) -> String {
        match self {
            MetricDef::Every { every } => format!("every {}", duration_words(*every)),
            MetricDef::TimesEachWeek { times } => match times {
                1 => "once each week".to_string(),
                2 => "twice each week".to_string(),
                n => format!("{n} times each week"),
            },
            MetricDef::At { days, at } => {
                let times: Vec<String> = at.iter().map(|(h, m)| format!("{h:02}:{m:02}")).collect();
                format!("{} at {}", days_words(days), and_list(&times))
            }
            MetricDef::Count {
                what,
                at_least,
                window,
                per,
                first,
            } => {
                let crit = what
                    .criticality
                    .and_then(|c| rs.criticalities.get(c.index()))
                    .map_or(String::new(), |c| format!("{c} "));
                let when = if what.out_of_hours {
                    " out of hours"
                } else {
                    ""
                };
                let window = match window {
                    WindowDef::Cycle(c) => format!(
                        " in one {} review cycle",
                        rs.cycles.get(c.index()).map_or("", |c| c.name.as_str())
                    ),
                    WindowDef::Day => " in one day".to_string(),
                    WindowDef::Week => " in one week".to_string(),
                    WindowDef::Rolling(span) => format!(" within {}", duration_words(*span)),
                    WindowDef::Record => String::new(),
                };
                let how_many = if *first {
                    "the first".to_string()
                } else {
                    format!("at least {at_least}")
                };
                format!(
                    "{how_many} {crit}`{}`{when}{window}, per {}",
                    what.name,
                    per.name()
                )
            }
            MetricDef::UnresolvedBeyondSameDay { trigger, per } => match trigger {
                Some(t) => format!(
                    "a `{}` episode unresolved beyond its same day, per {}",
                    rs.trigger_name(*t),
                    per.name()
                ),
                None => format!(
                    "an episode unresolved beyond its same day, per {}",
                    per.name()
                ),
            },
            MetricDef::Consecutive {
                count, what, per, ..
            } => format!(
                "{count} `{}` results in a row, per {}",
                rs.symbols.name(*what),
                per.name()
            ),
            MetricDef::Without {
                trigger,
                criticality,
                step,
                within,
            } => format!(
                "a {} {} episode without `{step}` within {}",
                rs.criticalities
                    .get(criticality.index())
                    .map_or("", String::as_str),
                trigger.words(),
                duration_words(*within)
            ),
        }
    }
}

/// `every day`, `on weekdays`, `on Monday, Wednesday and Friday`.
fn days_words(days: &[Weekday]) -> String {
    let index: Vec<usize> = days.iter().map(|d| d.index()).collect();
    match index.as_slice() {
        [0, 1, 2, 3, 4, 5, 6] => "every day".to_string(),
        [0, 1, 2, 3, 4] => "on weekdays".to_string(),
        [5, 6] => "at weekends".to_string(),
        _ => {
            let names: Vec<String> = index
                .iter()
                .filter_map(|i| crate::time::WEEKDAYS.get(*i))
                .map(|d| (*d).to_string())
                .collect();
            format!("on {}", and_list(&names))
        }
    }
}
