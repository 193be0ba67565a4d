//! An NDJSON log read for an audit as a stream, keeping memory to what can still matter
//! (docs/audit.md, step 3 of the plan, its first part). Most of a provider's log is visits
//! that went as planned: planned, arrived, left. Once such a visit is final (past its
//! attendance slack, with nothing but its planning, arrival, departure and cancellation
//! recorded against it, and judged the same by every version: arrived on time, arrived late
//! where no pathway acts on a late visit, or called off), it is counted for the audit's
//! visit tables and dropped with its events. `src/eval/split.rs` shows that dropping such visits leaves every
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
    /// The earliest instant of any event of the log, dropped ones included.
    pub first: Option<Instant>,
    /// The latest instant of any event of the log, dropped ones included.
    pub last: Option<Instant>,
    /// The visits dropped, counted by when each was planned to start and how it went.
    pub dropped: Dropped,
}

/// The visits a stream dropped, counted by when each was planned to start and how it went:
/// arrived on time ([`VisitState::Arrived`]), late ([`VisitState::ArrivedLate`], only where
/// nothing reads a late visit), or called off ([`VisitState::Cancelled`]). That is all the
/// audit needs of them (its visit tables count them by week), and held as counts a long log's
/// plain visits cost a few bytes for each instant visits were planned to start at (a service
/// plans most of its visits at a few times of day), not for each visit.
///
/// ```
/// use vigil::audit::Dropped;
/// use vigil::eval::VisitState;
/// let at: vigil::time::Instant = "2026-11-24T08:00:00Z".parse().unwrap();
/// let mut dropped = Dropped::default();
/// assert!(dropped.add(at, VisitState::Arrived));
/// assert!(dropped.add(at, VisitState::Arrived));
/// assert!(dropped.add(at, VisitState::Cancelled));
/// assert!(!dropped.add(at, VisitState::Missed)); // never dropped: not counted here
/// assert_eq!(dropped.len(), 3);
/// assert_eq!(dropped.count(VisitState::Arrived), 2);
/// assert_eq!(
///     dropped.iter().collect::<Vec<_>>(),
///     [(at, VisitState::Arrived, 2), (at, VisitState::Cancelled, 1)]
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    /// For each planned start, how many arrived on time, arrived late, were called off.
    by_start: std::collections::BTreeMap<Instant, [usize; 3]>,
}

/// The states a stream drops a visit in, in the order [`Dropped`] counts them.
const DROPPED_STATES: [VisitState; 3] = [
    VisitState::Arrived,
    VisitState::ArrivedLate,
    VisitState::Cancelled,
];

impl Dropped {
    /// Count one visit planned to start at `planned` that went as `state`; false (and not
    /// counted) for a state no visit is dropped in.
    pub fn add(&mut self, planned: Instant, state: VisitState) -> bool {
        let Some(i) = DROPPED_STATES.iter().position(|s| *s == state) else {
            return false;
        };
        self.by_start.entry(planned).or_default()[i] += 1;
        true
    }

    /// Each planned start, a state, and how many visits planned then went so: in time order,
    /// only counts above nought.
    pub fn iter(&self) -> impl Iterator<Item = (Instant, VisitState, usize)> + '_ {
        self.by_start.iter().flat_map(|(at, counts)| {
            DROPPED_STATES
                .iter()
                .zip(counts)
                .filter(|(_, n)| **n > 0)
                .map(|(s, n)| (*at, *s, *n))
        })
    }

    /// How many visits went as `state`.
    pub fn count(&self, state: VisitState) -> usize {
        self.iter()
            .filter(|(_, s, _)| *s == state)
            .map(|(_, _, n)| n)
            .sum()
    }

    /// How many visits were dropped.
    pub fn len(&self) -> usize {
        self.by_start.values().flatten().sum()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.by_start.is_empty()
    }
}

impl Streamed {
    /// A log read whole, as a stream's answer: nothing dropped.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::audit::{Audit, Period, Streamed};
    /// use vigil::timeline::{Format, Timeline};
    /// let text = std::fs::read_to_string("examples/audit-day.yaml").unwrap();
    /// let tl = Timeline::load(&text, Format::Yaml, "audit-day.yaml", &rs).unwrap();
    /// let log = Streamed::whole(vec![tl.clone()]);
    /// assert_eq!(log.first, tl.events.first().map(|e| e.at));
    /// let period = Period { from: tl.from.unwrap(), to: tl.as_of.unwrap() };
    /// let d = rs.evaluate(&tl, period.to);
    /// // With nothing dropped, the audit of the stream's answer is the audit.
    /// assert_eq!(
    ///     Audit::of_stream(&d, &log.readings, &log.dropped, &rs, period),
    ///     Audit::of(&d, &tl, &rs, period),
    /// );
    /// ```
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
            dropped: Dropped::default(),
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
    /// assert!(read.dropped.is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stream(
        reader: impl BufRead,
        file: &str,
        versions: &Versions,
        limits: &Limits,
        until: Option<Instant>,
    ) -> std::io::Result<Option<Streamed>> {
        stream_looking(reader, (file, versions, limits, until), FIRST_LOOK)
    }
}

/// [`super::Audit::stream`], first looking for visits to drop once `first_look` events are
/// held (tests look early and often, so that small logs are dropped from too).
fn stream_looking(
    reader: impl BufRead,
    (file, versions, limits, until): (&str, &Versions, &Limits, Option<Instant>),
    first_look: usize,
) -> std::io::Result<Option<Streamed>> {
    let mut stream = Stream::new(reader, file, versions, limits);
    let mut dropped = Dropped::default();
    let mut look_at = first_look;
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
            floor = drop_finished(&mut stream, versions, until, &mut dropped).or(floor);
            let kept = stream.readings().next().map_or(0, |t| t.events.len());
            look_at = (2 * kept).max(first_look);
        }
    }
    let (first, last) = stream.span();
    Ok(Some(Streamed {
        readings: stream.finish(),
        first,
        last,
        dropped,
    }))
}

/// Drop the visits that went as planned or were called off and are final by the bound (two
/// days behind the latest event read, and never past the audit's end or the log's `as_of`),
/// adding when each was planned, and its state, to `dropped`; the bound, if anything could
/// be dropped.
fn drop_finished<R: BufRead>(
    stream: &mut Stream<'_, R>,
    versions: &Versions,
    until: Option<Instant>,
    dropped: &mut Dropped,
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
    // Arrived (on time or late) or called off, the same as every version judges it at the
    // bound: each candidate's state alone is worked out, in place (no copy of what is held,
    // no other evaluation). A late one is given only where nothing reads its lateness.
    let mut states: Vec<Option<VisitState>> = candidates
        .iter()
        .map(|c| c.then_some(VisitState::Arrived))
        .collect();
    for (n, (rs, tl)) in versions.all().iter().zip(stream.readings()).enumerate() {
        let which: Vec<bool> = states.iter().map(Option::is_some).collect();
        let judged = rs.visit_states(tl, bound, &which);
        for (s, state) in states.iter_mut().zip(judged) {
            let settled = state.filter(|x| {
                matches!(
                    x,
                    VisitState::Arrived | VisitState::ArrivedLate | VisitState::Cancelled
                )
            });
            *s = match (n, *s, settled) {
                (0, Some(_), Some(x)) => Some(x),
                (_, Some(before), Some(x)) if before == x => Some(x),
                _ => None,
            };
        }
    }
    let mut drop = vec![false; states.len()];
    if let Some(tl) = stream.readings().next() {
        for ((v, s), d) in tl.visits.iter().zip(&states).zip(&mut drop) {
            // Each state settled is one `Dropped` counts; were it not, keeping the visit
            // keeps the audit whole.
            *d = s.is_some_and(|s| dropped.add(v.planned, s));
        }
    }
    stream.drop_visits(&drop);
    Some(bound)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn versions() -> &'static Versions {
        static V: std::sync::OnceLock<Versions> = std::sync::OnceLock::new();
        V.get_or_init(|| {
            Versions::new(vec![crate::rules_in("protocols/supported-living")]).unwrap()
        })
    }

    /// A small simulated log, one line each: its header, then its events.
    fn log(seed: u64) -> Vec<String> {
        let rs = &versions().all()[0];
        let settings = crate::simulate::Settings {
            people: 4,
            days: 12,
            seed,
            start: "2026-03-23".parse().unwrap(),
        };
        let input = crate::simulate::simulate(rs, &settings).unwrap();
        let mut lines = vec![format!(
            "{{\"from\":\"{}\",\"as_of\":\"{}\"}}",
            input.from_text().unwrap(),
            input.as_of_text().unwrap()
        )];
        lines.extend(
            input
                .events()
                .iter()
                .map(|e| serde_json::to_string(e).unwrap()),
        );
        lines
    }

    /// The audit of `text` from its `from` to its `as_of`, as JSON: read whole, and read as
    /// the audit's stream looking for visits to drop from the 32nd event on.
    fn audits(text: &str) -> (Option<String>, Result<String, ()>) {
        let v = versions();
        let rs = &v.all()[0];
        let limits = Limits::default();
        let audit = |readings: &[Timeline], dropped: &Dropped| {
            let tl = &readings[0];
            let period = super::super::Period {
                from: tl.from.unwrap(),
                to: tl.as_of.unwrap(),
            };
            let d = rs.evaluate(tl, period.to);
            let a = super::super::Audit::of_stream(&d, readings, dropped, rs, period);
            serde_json::to_string(&a).unwrap()
        };
        let streamed = stream_looking(text.as_bytes(), ("t", v, &limits, None), 32)
            .unwrap()
            .map(|log| audit(&log.readings, &log.dropped));
        let whole = crate::timeline::Timeline::load_versions(
            text,
            crate::timeline::Format::Ndjson,
            "t",
            v,
            &limits,
        )
        .map(|r| audit(&r, &Dropped::default()))
        .map_err(|_| ());
        (streamed, whole)
    }

    #[test]
    fn small_logs_are_dropped_from_and_audit_the_same() {
        let text = log(3).join("\n") + "\n";
        let log = stream_looking(
            text.as_bytes(),
            ("t", versions(), &Limits::default(), None),
            32,
        )
        .unwrap()
        .unwrap();
        assert!(log.dropped.len() > 20, "only {} dropped", log.dropped.len());
        let (streamed, whole) = audits(&text);
        assert_eq!(streamed.unwrap(), whole.unwrap());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Lines about visits written late, out of order, or twice: the stream that drops as it
        /// reads gives the whole read's audit, or leaves the log to it; never another answer.
        #[test]
        fn dropping_as_it_reads_never_changes_the_audit(
            seed in 0u64..500,
            edits in proptest::collection::vec((1usize..100_000, 1usize..100_000, 0u8..6, 0i64..600), 0..4),
        ) {
            let mut lines = log(seed);
            for (from, to, what, minutes) in edits {
                let n = lines.len();
                let source: serde_json::Value = serde_json::from_str(&lines[1 + from % (n - 1)]).unwrap();
                let place = 1 + to % n;
                let (Some(person), Some(at)) = (source["person"].as_str(), source["at"].as_str()) else {
                    continue;
                };
                let at: Instant = at.parse().unwrap();
                let when = crate::time::utc(&(at + chrono::Duration::minutes(minutes)));
                let visit = source["visit"].as_str().map_or(String::new(), |v| format!(", \"visit\": \"{v}\""));
                let line = match what {
                    0 => format!("{{\"at\": \"{when}\", \"person\": \"{person}\"{visit}, \"kind\": \"record_made\", \"log\": \"missed_visit_log\", \"by\": \"duty_manager\"}}"),
                    1 => format!("{{\"at\": \"{when}\", \"person\": \"{person}\"{visit}, \"kind\": \"visit_cancelled\", \"by\": \"scheduling_coordinator\"}}"),
                    2 => format!("{{\"at\": \"{when}\", \"person\": \"{person}\"{visit}, \"kind\": \"arrived\", \"by\": \"support_worker\"}}"),
                    3 => format!("{{\"at\": \"{when}\", \"person\": \"{person}\"{visit}, \"kind\": \"no_answer\", \"by\": \"support_worker\"}}"),
                    4 => lines[1 + from % (n - 1)].clone(),
                    _ => lines.remove(1 + from % (n - 1)),
                };
                lines.insert(place.min(lines.len()), line);
            }
            let text = lines.join("\n") + "\n";
            let (streamed, whole) = audits(&text);
            if let Some(streamed) = streamed {
                prop_assert_eq!(Ok(streamed), whole);
            }
        }
    }
}
