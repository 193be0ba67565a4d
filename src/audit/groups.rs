//! Duties counted by one thing they share (role, person, route, location, review cycle), and
//! visits counted week by week.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::{AuditDuty, Period, Tally, VisitTally, Week};
use crate::eval::Decision;
use crate::rules::RuleSet;
use crate::time::Instant;

/// The duties sharing one key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Group {
    /// What they share (a role's or person's id, a route, a cycle's window); empty for none.
    pub key: String,
    /// The same for a reader (a role's display name; "no route").
    pub label: String,
    /// Their outcomes.
    pub tally: Tally,
}

/// The duties grouped by `key` (id and label), the groups with the most breaches first, then
/// the lowest compliance, then by key.
pub(super) fn by(duties: &[AuditDuty], key: impl Fn(&AuditDuty) -> (String, String)) -> Vec<Group> {
    by_each(duties, |d| vec![key(d)])
}

/// As [`by`], a duty counted in each group `keys` gives it.
fn by_each(duties: &[AuditDuty], keys: impl Fn(&AuditDuty) -> Vec<(String, String)>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for d in duties {
        for (k, label) in keys(d) {
            groups
                .entry(k.clone())
                .or_insert_with(|| Group {
                    key: k,
                    label,
                    tally: Tally::default(),
                })
                .tally
                .add(d.outcome);
        }
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    sort(&mut out);
    out
}

/// The duties by responsible role, each labelled with the role's own name: a decision
/// several roles share is counted under each of them (as `vigil eval --role` keeps it for
/// each), not under the first alone with a label naming them all, which named the group by
/// whichever of its duties came first.
pub(super) fn by_role(duties: &[AuditDuty], rs: &RuleSet) -> Vec<Group> {
    let label = |role: &str, otherwise: &str| {
        rs.roles
            .iter()
            .find(|r| &*r.name == role)
            .map_or_else(|| otherwise.to_string(), |r| r.display.to_string())
    };
    by_each(duties, |d| {
        if d.deciders.is_empty() {
            vec![(d.role.to_string(), label(&d.role, &d.role_name))]
        } else {
            d.deciders
                .iter()
                .map(|r| (r.to_string(), label(r, r)))
                .collect()
        }
    })
}

/// Worst first: the most breaches, then the lowest compliance; ties by key.
fn sort(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        b.tally
            .breaches()
            .cmp(&a.tally.breaches())
            .then(
                a.tally
                    .compliance_percent
                    .unwrap_or(100.0)
                    .total_cmp(&b.tally.compliance_percent.unwrap_or(100.0)),
            )
            .then(a.key.cmp(&b.key))
    });
}

/// The duties grouped by the window of each review cycle they came into being in (`opened`,
/// in the same order as `duties`): a cycle `attendance` with reviews at 12:00 and 18:00 has
/// the windows 12:00-18:00 and 18:00-12:00 of each day, and a duty opened at 18:00:00 is the
/// later window's. Keys are `CYCLE@START` (UTC); cycles in the order declared, each one's
/// windows in time order.
pub(super) fn by_cycle(duties: &[AuditDuty], opened: &[Instant], rs: &RuleSet) -> Vec<Group> {
    let civil = rs.civil();
    let mut out = Vec::new();
    for cycle in &rs.cycles {
        let windows: Vec<(Instant, &AuditDuty)> = duties
            .iter()
            .zip(opened)
            .filter_map(|(d, t)| Some((cycle.start_of(&civil, *t)?, d)))
            .collect();
        let key = |start: Instant| format!("{}@{}", cycle.name, crate::time::utc(&start));
        let mut groups: BTreeMap<Instant, Group> = BTreeMap::new();
        for (start, d) in windows {
            groups
                .entry(start)
                .or_insert_with(|| Group {
                    key: key(start),
                    label: format!(
                        "{} cycle from {}",
                        cycle.name,
                        start
                            .with_timezone(&rs.timezone())
                            .format("%H:%M %Z %a %d %b %Y")
                    ),
                    tally: Tally::default(),
                })
                .tally
                .add(d.outcome);
        }
        // In time order: a quality lead reads cycles as a diary.
        out.extend(groups.into_values());
    }
    out
}

/// The visits planned to start in the period (the decision's, and `dropped`: when each visit
/// a stream dropped as it went as planned or was called off was planned, and how it went), in
/// all and by local week (Monday first; every week the period touches, empty ones included,
/// so the chart has no gaps).
pub(super) fn visits(
    d: &Decision,
    dropped: &super::Dropped,
    rs: &RuleSet,
    period: Period,
    unanswered: &std::collections::BTreeSet<(String, String)>,
) -> (VisitTally, Vec<Week>) {
    let civil = rs.civil();
    let monday = |t: Instant| {
        let date = civil.local_date(t);
        date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()))
    };
    let mut weeks: BTreeMap<chrono::NaiveDate, VisitTally> = BTreeMap::new();
    if period.from < period.to {
        let last = monday(period.to - chrono::Duration::seconds(1));
        let mut week = monday(period.from);
        while week <= last {
            weeks.insert(week, VisitTally::default());
            week = week + chrono::Days::new(7);
        }
    }
    let mut all = VisitTally::default();
    for v in d
        .visits
        .iter()
        .filter(|v| v.planned >= period.from && v.planned < period.to)
    {
        let no_answer = unanswered.contains(&(v.person.clone(), v.id.clone()));
        all.add(v.state, no_answer, 1);
        weeks
            .entry(monday(v.planned))
            .or_default()
            .add(v.state, no_answer, 1);
    }
    // Visits a stream dropped: arrived (on time, or late where nothing reads a late visit)
    // or called off, none with no one answering the door.
    for (planned, state, n) in dropped
        .iter()
        .filter(|(t, _, _)| *t >= period.from && *t < period.to)
    {
        all.add(state, false, n);
        weeks
            .entry(monday(planned))
            .or_default()
            .add(state, false, n);
    }
    let weeks = weeks
        .into_iter()
        .map(|(starts, visits)| Week {
            starts: starts.format("%Y-%m-%d").to_string(),
            visits,
        })
        .collect();
    (all, weeks)
}
