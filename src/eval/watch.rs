//! Which visits are watched at `as_of`: those the timeline plans, and every occurrence of the
//! people's protocol visits from the start of the timeline's record to the end of `as_of`'s
//! local day, whether or not anyone planned it.
//!
//! The timeline's record starts at its `from`, or at its first event, or (with neither) at
//! the start of `as_of`'s local day. An occurrence the timeline plans (`slot`, or the same
//! instant) or names (`morning@2026-11-24`) is watched as that visit, never twice. Watching
//! needs the timeline to cover the person: people it neither mentions nor lists under
//! `persons` are named in a note, never silently left out.

use chrono::NaiveDate;

use super::Eval;
use crate::timeline::{Slot, VisitRef, VisitSource};

/// Add the protocol visits no event plans or names, and the notes that say what is not
/// watched.
pub(super) fn expand(ev: &mut Eval<'_>) {
    // A protocol visit an event names is watched from the start of its day: then it joins.
    let days: Vec<crate::time::Instant> = (ev.tl.visits.iter())
        .filter(|v| v.source == VisitSource::Protocol && !watched(ev, v))
        .map(|v| ev.civil.at(ev.civil.local_date(v.planned), 0, 0))
        .collect();
    for midnight in days {
        ev.change_at(Some(midnight));
    }
    let from = record_start(ev);
    if from > ev.as_of {
        // Nothing before `as_of` is on the record: no protocol visit can be watched, and
        // the reader must be told rather than shown an empty day.
        if ev.rs.persons.iter().any(|p| !p.visits.is_empty()) {
            ev.notes.push(format!(
                "no protocol visit is watched: the timeline's record starts at {}, after as_of",
                super::words::clock(ev, from)
            ));
            record_starts(ev, from);
        }
        unmentioned(ev);
        return;
    }
    let last = ev.civil.local_date(ev.as_of);
    let mut before_from = false;
    let held = held(ev);
    for person in 0..ev.tl.persons.len() {
        let rules = ev.rules(person);
        if rules.visits.is_empty() {
            continue;
        }
        let mut date = ev.civil.local_date(from);
        while date <= last {
            for (index, def) in rules.visits.iter().enumerate() {
                if !def.runs_on(date) {
                    continue;
                }
                let slot = Slot { visit: index, date };
                if held.contains(&(person, slot)) {
                    continue;
                }
                let v = VisitRef::occurrence(&ev.civil, person, def, slot);
                if v.planned < from {
                    before_from = true;
                    continue;
                }
                ev.add_visit(v);
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        next_day_with_visits(ev, person, last, &held);
    }
    if before_from {
        ev.notes.push(format!(
            "protocol visits planned before {} are not watched: the timeline's record starts then (give `from` to start it earlier)",
            super::words::clock(ev, from)
        ));
    }
    unmentioned(ev);
}

/// The occurrences the timeline holds and watches at `as_of`, to watch each once. One a
/// planning event after `as_of` will move is watched as the protocol plans it until then.
fn held(ev: &Eval<'_>) -> crate::hash::Set<(usize, Slot)> {
    ev.tl
        .visits
        .iter()
        .filter(|v| watched(ev, v))
        .filter_map(|v| v.slot.map(|s| (v.person, s)))
        .collect()
}

/// When a record starting after `as_of` first changes the answer: at its start, if someone
/// it covers has a protocol visit that day the timeline does not already hold (one later
/// joins the decision; one earlier is named as before the record); else at the midnight
/// before the next day one does. A visit an event names is watched from its day's start
/// whatever the record says, so the record's start changes nothing for it.
fn record_starts(ev: &mut Eval<'_>, from: crate::time::Instant) {
    let day = ev.civil.local_date(from);
    let held = held(ev);
    for person in 0..ev.tl.persons.len() {
        let that_day = ev
            .rules(person)
            .visits
            .iter()
            .enumerate()
            .any(|(visit, def)| {
                def.runs_on(day) && !held.contains(&(person, Slot { visit, date: day }))
            });
        if that_day {
            ev.change_at(Some(from));
        } else {
            next_day_with_visits(ev, person, day, &held);
        }
    }
}

/// Whether a visit the timeline holds is watched at `as_of`: a planned one once its planning
/// event has happened (a protocol visit the planning event moves is watched as the protocol
/// plans it until then), a protocol visit an event names once its day has come.
pub(super) fn watched(ev: &Eval<'_>, v: &VisitRef) -> bool {
    match v.source {
        VisitSource::Protocol => ev.civil.local_date(v.planned) <= ev.civil.local_date(ev.as_of),
        _ => v.planned_at <= ev.as_of,
    }
}

/// The start of the timeline's record (which may be after `as_of`).
pub(super) fn record_start(ev: &Eval<'_>) -> crate::time::Instant {
    ev.tl
        .record_from()
        .unwrap_or_else(|| ev.civil.at(ev.civil.local_date(ev.as_of), 0, 0))
}

/// The decision changes at the start of the next local day on which the person has a
/// protocol visit the decision does not already watch (as a visit the timeline planned):
/// that day's visits join it.
fn next_day_with_visits(
    ev: &mut Eval<'_>,
    person: usize,
    last: NaiveDate,
    held: &crate::hash::Set<(usize, Slot)>,
) {
    let rules = ev.rules(person);
    let joins =
        |date: NaiveDate| {
            rules.visits.iter().enumerate().any(|(visit, v)| {
                v.runs_on(date) && !held.contains(&(person, Slot { visit, date }))
            })
        };
    let next = (1..=7)
        .filter_map(|n| last.checked_add_days(chrono::Days::new(n)))
        .find(|d| joins(*d));
    if let Some(d) = next {
        let midnight = ev.civil.at(d, 0, 0);
        ev.change_at(Some(midnight));
    }
}

/// A note naming the people whose protocols plan visits but whom the timeline does not
/// cover: their visits are not watched in this decision.
fn unmentioned(ev: &mut Eval<'_>) {
    // By protocol, not by id: a redacted timeline's ids are pseudonyms.
    let mentioned: crate::hash::Set<usize> =
        ev.tl.persons.iter().filter_map(|p| p.protocol).collect();
    let missing: Vec<&str> = ev
        .rs
        .persons
        .iter()
        .enumerate()
        .filter(|(i, p)| !p.visits.is_empty() && !mentioned.contains(i))
        .map(|(_, p)| p.id.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let (who, verb) = match missing.as_slice() {
        [one] => ((*one).to_string(), "protocol plans"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "protocols plan"),
        [] => return,
    };
    ev.notes.push(format!(
        "the timeline does not mention {who}, whose {verb} visits: their visits are not watched here (list them under `persons` to watch them)"
    ));
}

impl crate::rules::RuleSet {
    /// How many occurrences of the people's protocol visits an evaluation of `timeline` at
    /// `as_of` would watch, those the timeline plans or names included: one for each day of
    /// the record (from its start to `as_of`'s local day) on which each protocol visit of each
    /// person the timeline covers runs. Counted only up to `most + 1`, so that a record of a
    /// century costs no more to count than the limit.
    ///
    /// What a few lines of timeline can make Vigil do is bounded by this, not by the file's
    /// size: a record from 2000 to 2099 watching twelve people's protocols is 1.7 million
    /// visits, and, each missed, over ten million duties (found by a docs-only tester: 200
    /// bytes of YAML ran the command out of memory). A host checks it against
    /// [`crate::Limits::watched_visits`] before evaluating, as `vigil` does.
    ///
    /// ```
    /// # let read = |f: &str| vigil::Source::new(f, std::fs::read_to_string(f).unwrap());
    /// # let rs = vigil::compile(&[
    /// #     read("protocols/supported-living/framework.vigil"),
    /// #     read("protocols/supported-living/p-0142-medication.vigil"),
    /// # ]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "from: 2026-11-23T00:00:00Z\npersons: [P-0142]\nevents: []\n";
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let week = rs.protocol_visits_watched(&tl, "2026-11-29T12:00:00Z".parse().unwrap(), 1_000);
    /// let century = rs.protocol_visits_watched(&tl, "2099-12-31T12:00:00Z".parse().unwrap(), 1_000);
    /// assert!(week > 0 && week < 100);
    /// assert_eq!(century, 1_001); // counted no further than the limit
    /// ```
    pub fn protocol_visits_watched(
        &self,
        timeline: &crate::timeline::Timeline,
        as_of: crate::time::Instant,
        most: u64,
    ) -> u64 {
        let civil = self.civil();
        // Where the record starts, as `record_start` says (its day is all that counts here).
        let start = timeline.record_from().unwrap_or(as_of);
        let (first, last) = (civil.local_date(start), civil.local_date(as_of));
        let mut count = 0u64;
        for person in &timeline.persons {
            let rules = person
                .protocol
                .and_then(|i| self.persons.get(i))
                .unwrap_or(&self.default_person);
            let visits = &rules.visits;
            if visits.is_empty() {
                continue;
            }
            let runs = |date: NaiveDate| visits.iter().filter(|d| d.runs_on(date)).count() as u64;
            count = count_days((first, last), count, most, runs);
            if count > most {
                return count;
            }
        }
        count
    }

    /// How many scheduled governance duties (`DAYS at HH:MM, ...`, `N times each week`)
    /// evaluating `timeline` at `as_of` would open at most, from the record's start (or this
    /// version's coming into force, if later) to `as_of`'s local day; counted only up to
    /// `most + 1`. An `every D` duty is not counted:
    /// the next opens only when the last is done, so its duties are bounded by the events.
    ///
    /// ```
    /// # let read = |f: &str| vigil::Source::new(f, std::fs::read_to_string(f).unwrap());
    /// # let rs = vigil::compile(&[read("protocols/supported-living-2027/framework.vigil")]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "from: 2027-01-04T00:00:00Z\nevents: []\n";
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let week = rs.scheduled_duties(&tl, "2027-01-10T12:00:00Z".parse().unwrap(), 1_000);
    /// let century = rs.scheduled_duties(&tl, "2099-12-31T12:00:00Z".parse().unwrap(), 1_000);
    /// assert!(week > 0 && week < 100);
    /// assert_eq!(century, 1_001);
    /// ```
    pub fn scheduled_duties(
        &self,
        timeline: &crate::timeline::Timeline,
        as_of: crate::time::Instant,
        most: u64,
    ) -> u64 {
        use crate::rules::MetricDef;
        let civil = self.civil();
        // A version's schedules start when it comes into force, if after the record starts.
        let record = timeline.record_from().unwrap_or(as_of);
        let start = self.effective().map_or(record, |e| e.max(record));
        let (first, last) = (civil.local_date(start), civil.local_date(as_of));
        let mut count = 0u64;
        for rule in &self.governance {
            let opened = |date: NaiveDate| match &rule.metric {
                MetricDef::At { days, at } => {
                    let weekday = chrono::Datelike::weekday(&date).num_days_from_monday();
                    if days.iter().any(|d| d.index() == weekday as usize) {
                        at.len() as u64
                    } else {
                        0
                    }
                }
                // Counted on each Monday, and on the first day for the week it starts in.
                MetricDef::TimesEachWeek { times }
                    if date == first
                        || chrono::Datelike::weekday(&date) == chrono::Weekday::Mon =>
                {
                    u64::from(*times)
                }
                _ => 0,
            };
            if matches!(
                rule.metric,
                MetricDef::At { .. } | MetricDef::TimesEachWeek { .. }
            ) {
                count = count_days((first, last), count, most, opened);
                if count > most {
                    return count;
                }
            }
        }
        count
    }

    /// Why evaluating `timeline` at `as_of` would pass a bound of `limits` on what the
    /// record's length makes (the protocol visits watched, [`Self::protocol_visits_watched`];
    /// the scheduled governance duties, [`Self::scheduled_duties`]), in words a host can put
    /// in its error, with the command-line flag that raises that bound; or `None` within
    /// both. Every command that evaluates says this before evaluating, each adding where its
    /// instants come from.
    ///
    /// ```
    /// # let read = |f: &str| vigil::Source::new(f, std::fs::read_to_string(f).unwrap());
    /// # let rs = vigil::compile(&[
    /// #     read("protocols/supported-living/framework.vigil"),
    /// #     read("protocols/supported-living/p-0142-medication.vigil"),
    /// # ]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "from: 2026-11-23T00:00:00Z\npersons: [P-0142]\nevents: []\n";
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let limits = vigil::Limits::default();
    /// assert_eq!(rs.over_record_limits(&tl, "2026-11-29T12:00:00Z".parse().unwrap(), &limits), None);
    /// let (why, flag) = rs.over_record_limits(&tl, "2099-12-31T12:00:00Z".parse().unwrap(), &limits).unwrap();
    /// assert!(why.starts_with("the record runs from 2026-11-23T00:00:00Z to 2099-12-31T12:00:00Z"));
    /// assert_eq!(flag, "--max-watched-visits");
    /// ```
    pub fn over_record_limits(
        &self,
        timeline: &crate::timeline::Timeline,
        as_of: crate::time::Instant,
        limits: &crate::limits::Limits,
    ) -> Option<(String, &'static str)> {
        let (visits, duties) = (limits.watched_visits, limits.scheduled_duties);
        let (what, flag) = if self.protocol_visits_watched(timeline, as_of, visits) > visits {
            (
                format!("watching its people's protocol visits over it is more than the {visits} visits one evaluation watches"),
                "--max-watched-visits",
            )
        } else if self.scheduled_duties(timeline, as_of, duties) > duties {
            (
                format!("the framework's scheduled governance duties over it are more than the {duties} one evaluation opens"),
                "--max-scheduled-duties",
            )
        } else {
            return None;
        };
        let start = timeline.record_from().unwrap_or(as_of);
        let why = format!(
            "the record runs from {} to {}, and {what}",
            crate::time::utc(&start),
            crate::time::utc(&as_of),
        );
        Some((why, flag))
    }
}

/// `count` plus what `each` gives for every local day from `first` to `last`, stopping at
/// `most + 1`: a record of a century costs no more to count than the limit.
fn count_days(
    (first, last): (NaiveDate, NaiveDate),
    mut count: u64,
    most: u64,
    each: impl Fn(NaiveDate) -> u64,
) -> u64 {
    let mut date = first;
    while date <= last {
        count = count.saturating_add(each(date));
        if count > most {
            return most.saturating_add(1);
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    count
}
