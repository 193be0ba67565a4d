//! An NDJSON log read for an audit as a stream, keeping memory to what can still matter
//! (docs/audit.md, step 3 of the plan, its first part). Most of a provider's log is visits
//! that went as planned: planned, arrived on time, left. Once such a visit is final (past its
//! attendance slack, with nothing but its planning, arrival and departure recorded against
//! it, arrived on time under every version), it is counted for the audit's visit tables and
//! dropped with its events. `src/eval/split.rs` shows that dropping such visits leaves every
//! other duty, visit report, note and next change as it was; a line that later names a
//! dropped visit, or reuses a dropped id, sends the log to the whole read, so nothing
//! dropped can be needed again. The audit of what is kept, with the dropped visits counted,
//! is the whole audit, byte for byte (`tests/stream.rs`).

use std::io::BufRead;

use crate::eval::VisitState;
use crate::limits::Limits;
use crate::rules::Versions;
use crate::time::Instant;
use crate::timeline::{Step, Stream, Timeline};

/// What an audit needs of a log read as a stream.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Streamed {
    /// Every version's reading of the log (earliest version first), without the visits
    /// that went as planned and were dropped while reading.
    pub readings: Vec<Timeline>,
    /// The instant of the log's first event, dropped ones included.
    pub first: Option<Instant>,
    /// The instant of the log's last event, dropped ones included.
    pub last: Option<Instant>,
    /// When each dropped visit (arrived on time) was planned to start.
    pub arrived: Vec<Instant>,
}

impl Streamed {
    /// A log read whole, as a stream's answer: nothing dropped.
    pub fn whole(readings: Vec<Timeline>) -> Streamed {
        let first = readings
            .iter()
            .filter_map(|t| t.events.first())
            .map(|e| e.at)
            .min();
        let last = readings
            .iter()
            .filter_map(|t| t.events.last())
            .map(|e| e.at)
            .max();
        Streamed {
            readings,
            first,
            last,
            arrived: Vec::new(),
        }
    }
}

/// How far behind the latest event read the stream drops visits: a log is written about
/// in time order, but not exactly (tomorrow's rota is planned this evening, between this
/// evening's visits). An event older than what was dropped sends the log to the whole read.
const BEHIND: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// The fewest events held before the first drop, and after each the stream holds at least
/// twice what it kept before looking again: each look evaluates what is held, so looking
/// only as what is held doubles keeps the work in proportion to the log.
const FIRST_LOOK: usize = 4096;

impl super::Audit {
    /// Read an NDJSON log from `reader`, under every version of one framework, for an audit
    /// whose period ends at `until` (`None`: the log's own `as_of`, else after its last
    /// event), dropping each visit that went as planned once it is final. `Ok(None)` when
    /// the stream cannot tell ([`Timeline::stream_versions`] lists when; also for an event
    /// older than what was already dropped): read the text whole. `Err`: the reader failed.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::audit::Audit;
    /// let versions = vigil::rules::Versions::new(vec![rs]).unwrap();
    /// let log = "{\"at\": \"2026-11-23T18:00:00Z\", \"person\": \"P-1\", \"kind\": \"visit_planned\", \
    ///     \"visit\": \"V1\", \"planned\": \"2026-11-24T08:00:00Z\", \"criticality\": \"critical\"}\n";
    /// let read = Audit::stream(log.as_bytes(), "log.ndjson", &versions, &vigil::Limits::default(), None)?;
    /// let read = read.unwrap();
    /// assert_eq!(read.readings[0].visits.len(), 1); // too recent to drop
    /// assert!(read.arrived.is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stream(
        reader: impl BufRead,
        file: &str,
        versions: &Versions,
        limits: &Limits,
        until: Option<Instant>,
    ) -> std::io::Result<Option<Streamed>> {
        let mut stream = Stream::new(reader, file, versions, limits);
        let mut arrived = Vec::new();
        let mut look_at = FIRST_LOOK;
        // Nothing older than this may arrive: visits final by it were dropped.
        let mut floor: Option<Instant> = None;
        loop {
            match stream.step()? {
                Step::Event => {}
                Step::End => break,
                Step::GiveUp => return Ok(None),
            }
            let held = stream.readings().next().map_or(0, |t| t.events.len());
            let newest = stream
                .readings()
                .next()
                .and_then(|t| t.events.last())
                .map(|e| e.at);
            if floor.zip(newest).is_some_and(|(f, at)| at <= f) {
                return Ok(None);
            }
            if held >= look_at {
                floor = drop_finished(&mut stream, versions, until, &mut arrived).or(floor);
                let kept = stream.readings().next().map_or(0, |t| t.events.len());
                look_at = (2 * kept).max(FIRST_LOOK);
            }
        }
        let (first, last) = stream.span();
        Ok(Some(Streamed {
            readings: stream.finish(),
            first,
            last,
            arrived,
        }))
    }
}

/// Drop the visits that went as planned and are final by the bound (two days behind the
/// latest event read, and never past the audit's end or the log's `as_of`), adding when
/// each was planned to `arrived`; the bound, if anything could be dropped.
fn drop_finished<R: BufRead>(
    stream: &mut Stream<'_, R>,
    versions: &Versions,
    until: Option<Instant>,
    arrived: &mut Vec<Instant>,
) -> Option<Instant> {
    let (_, latest) = stream.span();
    let header = stream.readings().next().and_then(|t| t.as_of);
    let end = [latest, until, header].into_iter().flatten().min()?;
    let bound = end.checked_sub_signed(BEHIND)?;
    let slack = chrono::TimeDelta::hours(crate::timeline::ATTENDANCE_SLACK_HOURS);
    stream.sort();
    let candidates: Vec<bool> = {
        let tl = stream.readings().next()?;
        tl.visits
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.planned_end.unwrap_or(v.planned) + slack < bound && stream.plain_visit(i)
            })
            .collect()
    };
    if !candidates.contains(&true) {
        return None;
    }
    // Arrived on time, as every version judges it at the bound. A visit's state is its own
    // (its events, the rules' thresholds and exceptions, the calendars), so the candidates
    // are judged alone: the cost of a look is what it may drop, not all that is held.
    let mut drop = candidates;
    for (rs, tl) in versions.all().iter().zip(stream.readings()) {
        let alone = only_visits(tl, &drop);
        let decision = rs.evaluate(&alone, bound);
        let on_time: std::collections::HashSet<(&str, &str)> = decision
            .visits
            .iter()
            .filter(|v| v.state == VisitState::Arrived)
            .map(|v| (v.person.as_str(), v.id.as_str()))
            .collect();
        for (d, v) in drop.iter_mut().zip(&tl.visits) {
            let person = tl.persons.get(v.person).map_or("", |p| p.id.as_str());
            *d &= on_time.contains(&(person, v.id.as_str()));
        }
    }
    if let Some(tl) = stream.readings().next() {
        arrived.extend(
            tl.visits
                .iter()
                .zip(&drop)
                .filter(|(_, d)| **d)
                .map(|(v, _)| v.planned),
        );
    }
    stream.drop_visits(&drop);
    Some(bound)
}

/// `tl` with only the visits `keep` marks and the events naming them: its people and header
/// as they are, its record starting a day before the first of those visits (so that protocol
/// visits, which no one here asks about, are not watched from the start of a long log).
fn only_visits(tl: &Timeline, keep: &[bool]) -> Timeline {
    let kept = |v: usize| keep.get(v).copied().unwrap_or(false);
    let mut renumbered = vec![None; tl.visits.len()];
    let mut visits = Vec::new();
    for (i, v) in tl.visits.iter().enumerate() {
        if kept(i) {
            renumbered[i] = Some(visits.len());
            visits.push(v.clone());
        }
    }
    let events = tl
        .events
        .iter()
        .filter(|e| e.visit.is_some_and(kept))
        .map(|e| {
            let mut e = e.clone();
            e.visit = e.visit.and_then(|v| renumbered.get(v).copied().flatten());
            e
        })
        .collect();
    let from = visits
        .iter()
        .map(|v| v.planned)
        .min()
        .and_then(|t| t.checked_sub_signed(chrono::TimeDelta::days(1)));
    Timeline {
        as_of: tl.as_of,
        from,
        persons: tl.persons.clone(),
        visits,
        events,
    }
}
