//! Evaluating under versions side by side: each version judges what opened while it was in
//! force. Every version in force by `as_of` evaluates the timeline; from each, the decision
//! keeps the duties whose episode opened (a governance duty: which opened) in its time, and
//! the visits planned in it. What opened before any version was in force is judged by the
//! earliest, with a note.

use crate::rules::{RuleSet, Versions};
use crate::time::Instant;
use crate::timeline::{Format, Timeline, TimelineErrors};

use super::decision::{sort_obligations, sort_visits, Decision};

/// A timeline read under each version of a framework ([`Timeline::load_versions`]: each
/// event is checked by the version in force at its instant).
#[derive(Debug, Clone)]
pub struct VersionedTimeline {
    timelines: Vec<Timeline>,
}

impl VersionedTimeline {
    /// The timeline as read under the latest version.
    pub fn latest(&self) -> Option<&Timeline> {
        self.timelines.last()
    }

    /// The timeline as read under each version, earliest first.
    pub fn readings(&self) -> &[Timeline] {
        &self.timelines
    }

    /// The readings themselves, for a host that is done with the versioned timeline (an
    /// audit that lets them go as soon as it has read them: [`crate::audit::Audit::of_owned`]).
    pub fn into_readings(self) -> Vec<Timeline> {
        self.timelines
    }
}

impl Versions {
    /// Read a timeline under every version: each event is checked by the version in force at
    /// its instant ([`Timeline::load_versions`]).
    ///
    /// ```
    /// # let text = |v: &str, eff: &str| format!(r#"framework "Acme" version {v} {{ {eff} role support_worker "Support worker" threshold routine late 15m missed 30m }}"#);
    /// let checked = vigil::check::check(&[
    ///     vigil::Source::new("2026.vigil", text("2026.1", "")),
    ///     vigil::Source::new("2027.vigil", text("2027.1", "effective 2027-01-04")),
    /// ]);
    /// let versions = vigil::rules::Versions::new(checked.rulesets).unwrap();
    /// let timeline = r#"
    /// events:
    ///   - { at: "2027-01-01T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
    ///       planned: "2027-01-03T09:00:00Z", criticality: routine }
    ///   - { at: "2027-01-03T18:00:00Z", person: P-1, kind: visit_planned, visit: V2,
    ///       planned: "2027-01-04T09:00:00Z", criticality: routine }
    /// "#;
    /// let tl = versions.load(timeline, vigil::timeline::Format::Yaml, "t.yaml").unwrap();
    /// let d = versions.evaluate(&tl, "2027-01-04T10:00:00Z".parse().unwrap());
    /// // V1 was planned under 2026.1 and V2 under 2027.1: each is watched by its version.
    /// assert_eq!(d.ruleset.version, "2027.1");
    /// assert_eq!(d.visits.len(), 2);
    /// ```
    pub fn load(
        &self,
        text: &str,
        format: Format,
        file: &str,
    ) -> Result<VersionedTimeline, TimelineErrors> {
        // The default limits, as for Timeline::load.
        let timelines = Timeline::load_versions(text, format, file, self, &Default::default())?;
        Ok(VersionedTimeline { timelines })
    }

    /// [`Versions::load`] for a timeline already read under each version, in order.
    pub fn timeline(&self, timelines: Vec<Timeline>) -> Option<VersionedTimeline> {
        (timelines.len() == self.all().len()).then_some(VersionedTimeline { timelines })
    }

    /// The decision at `as_of`: each duty and visit judged by the version in force when its
    /// episode opened (or it was planned); the decision's `ruleset` is the version in force
    /// at `as_of`, and each duty names its own `version`.
    pub fn evaluate(&self, tl: &VersionedTimeline, as_of: Instant) -> Decision {
        let sets = self.all();
        let last = self.index_at(as_of);
        let mut merged: Option<Decision> = None;
        for (i, (rs, timeline)) in sets.iter().zip(&tl.timelines).enumerate().take(last + 1) {
            let since = if i == 0 { None } else { rs.effective() };
            let e = rs.evaluation_since(timeline, as_of, false, since);
            let mut d = e.decision;
            // A duty of an episode follows the person's protocol; a governance duty (or a
            // manual review) is the provider's, judged by the version in force when it opened;
            // but one about a single episode (an escalation unresolved beyond the day) follows
            // that episode's version, as the incident does (found by a docs-only tester: one
            // opened on a version's last evening had its midnight check fall to a newer
            // version whose rule does not count it, and no version raised it).
            let about = |o: &super::Obligation| {
                let rest = o.episode.strip_prefix("governance/")?.split_once('/')?.1;
                e.opened.get(rest)
            };
            let owner = |o: &super::Obligation| match e.opened.get(&o.episode).or_else(|| about(o))
            {
                Some(t) => self.owner(tl, &o.person, *t),
                None => self.index_at(o.opened_at),
            };
            // How many events lie past as_of is the whole timeline's to say, not a reading's
            // without another version's events: the latest reading's note stands alone.
            if i < last {
                let considered = timeline.events.partition_point(|e| e.at <= as_of);
                if let Some(n) = super::later_note(timeline, considered) {
                    d.notes.retain(|x| *x != n);
                }
            }
            d.obligations.retain(|o| owner(o) == i);
            d.visits
                .retain(|v| self.owner(tl, &v.person, v.planned) == i);
            merged = Some(match merged {
                None => d,
                Some(m) => join(m, d),
            });
        }
        let mut d =
            merged.unwrap_or_else(|| self.in_force(as_of).evaluate(&Timeline::default(), as_of));
        sort_obligations(&mut d.obligations);
        sort_visits(&mut d.visits);
        if let Some(next) = sets.get(last + 1).and_then(RuleSet::effective) {
            d.next_change = Some(d.next_change.map_or(next, |c| c.min(next)));
        }
        unmigrated(self, tl, last, &mut d);
        if let Some(start) = self.before_any() {
            let early = d.obligations.iter().any(|o| o.opened_at < start)
                || d.visits.iter().any(|v| v.planned < start);
            if early {
                d.notes.push(format!(
                    "what happened before {} came into force ({}) is judged by its rules: no earlier version was given",
                    sets.first().map_or("", |s| s.version()),
                    crate::time::utc(&start)
                ));
            }
        }
        d
    }
}

impl Versions {
    /// The version that judges what opened at `t` for `person` (empty for the provider):
    /// the one in force then; but for a person whose protocol that version lacks, the latest
    /// earlier version holding it, whose protocol keeps applying until it is migrated.
    fn owner(&self, tl: &VersionedTimeline, person: &str, t: Instant) -> usize {
        let v = self.index_at(t);
        // A person the version in force has no protocol for (or whose events its reading
        // could not name at all: their protocol is only in an earlier version).
        if person.is_empty() || has_protocol(tl, v, person) == Some(true) {
            return v;
        }
        (0..v)
            .rev()
            .find(|j| has_protocol(tl, *j, person) == Some(true))
            .unwrap_or(v)
    }
}

/// Whether `person` has a protocol under version `i` (`None`: not in the timeline).
fn has_protocol(tl: &VersionedTimeline, i: usize, person: &str) -> Option<bool> {
    let timeline = tl.timelines.get(i)?;
    let p = timeline.persons.iter().find(|p| p.id == person)?;
    Some(p.protocol.is_some())
}

/// The later version's decision (`later`) with the earlier's duties and visits, notes and
/// next change folded in.
fn join(earlier: Decision, mut later: Decision) -> Decision {
    let mut obligations = earlier.obligations;
    obligations.append(&mut later.obligations);
    later.obligations = obligations;
    let mut visits = earlier.visits;
    visits.append(&mut later.visits);
    later.visits = visits;
    let mut notes = earlier.notes;
    for n in later.notes.drain(..) {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    later.notes = notes;
    later.next_change = match (earlier.next_change, later.next_change) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    later
}

/// A person whose protocol an earlier version holds and a later one (in force by `as_of`)
/// does not: their episodes keep following the earlier version and its protocol, which the
/// reader must be told (the later version's changes do not reach them until it is migrated).
fn unmigrated(versions: &Versions, tl: &VersionedTimeline, last: usize, d: &mut Decision) {
    let sets = versions.all();
    // Everyone any reading names, by id: a version that cannot name a person at all leaves
    // their events out of its reading, and readings may list people in different orders.
    let mut ids: Vec<&str> = tl
        .timelines
        .iter()
        .flat_map(|t| t.persons.iter().map(|p| p.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for i in 1..=last {
        let Some(rs) = sets.get(i) else {
            continue;
        };
        for id in &ids {
            if has_protocol(tl, i, id) == Some(true) {
                continue;
            }
            let earlier = (0..i)
                .rev()
                .find(|j| has_protocol(tl, *j, id) == Some(true));
            let Some(j) = earlier.and_then(|j| sets.get(j)) else {
                continue;
            };
            d.notes.push(format!(
                "{}'s protocol is written for version {}; version {} (in force from {}) has none for them, so their episodes keep following {} and its protocol: migrate the protocol (`vigil migrate`) for {} to judge them",
                id,
                j.version(),
                rs.version(),
                rs.effective().map_or_else(String::new, |t| crate::time::utc(&t)),
                j.version(),
                rs.version()
            ));
        }
    }
}
