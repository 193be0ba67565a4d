//! Reading an NDJSON timeline as a stream: one line at a time from a reader, each event
//! checked as it is read and kept only as a checked [`Event`], so that neither the log's text
//! nor its parsed input is ever held whole (docs/audit.md, issue 14).
//!
//! The stream is a quick way to the same answer, never a second meaning: it gives exactly the
//! timelines [`Timeline::load_versions`] gives from the same text, or nothing. It gives up
//! (and the caller reads the text whole, which names every problem where it is written)
//! whenever the whole read could differ or has something to report: a line that is not a
//! well-formed event, any error of any event under any version, an event naming a visit or a
//! person that only a later line plans or introduces (the whole read knows every visit planned
//! anywhere in the file), a visit planned after an event named a protocol visit's occurrence
//! (the whole read lists planned visits first), text that is not UTF-8, and a log past the
//! limits. A host's log written in time order, as `vigil simulate` and `examples/embed.rs`
//! write it, is read this way whole.

use crate::hash::{Map, Set};
use std::io::{BufRead, Read};

use super::input::{EventInput, TimelineInput};
use super::load::{checked_event, header};
use super::loader::Loader;
use super::locate::Locator;
use super::plan::Plan;
use super::{Event, Format, Timeline};
use crate::limits::Limits;
use crate::rules::{RuleSet, Versions};

impl Timeline {
    /// Read an NDJSON timeline from `reader` one line at a time under every version of one
    /// framework, earliest first: the timelines [`Timeline::load_versions`] gives from the
    /// same text, without holding the text or its parsed events. `Ok(None)` when the stream
    /// cannot tell (a bad line, any error, an event naming a visit or person only a later
    /// line plans: the module's documentation lists them): read the text whole with
    /// [`Timeline::load_versions`], which reports what is wrong where it is written.
    /// `Err`: the reader failed.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let versions = vigil::rules::Versions::new(vec![rs]).unwrap();
    /// let limits = vigil::Limits::default();
    /// let log = "{\"at\": \"2026-11-23T18:00:00Z\", \"person\": \"P-1\", \"kind\": \"visit_planned\", \
    ///     \"visit\": \"V1\", \"planned\": \"2026-11-24T08:00:00Z\", \"criticality\": \"critical\"}\n\
    ///     {\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-1\", \"visit\": \"V1\", \"kind\": \"no_answer\"}\n";
    /// let streamed = Timeline::stream_versions(log.as_bytes(), "log.ndjson", &versions, &limits)?;
    /// let whole = Timeline::load_versions(log, Format::Ndjson, "log.ndjson", &versions, &limits).unwrap();
    /// assert_eq!(streamed, Some(whole));
    ///
    /// // A visit named before the line that plans it: the stream leaves it to the whole read.
    /// let later = log.lines().rev().collect::<Vec<_>>().join("\n");
    /// assert_eq!(Timeline::stream_versions(later.as_bytes(), "log.ndjson", &versions, &limits)?, None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stream_versions(
        reader: impl BufRead,
        file: &str,
        versions: &Versions,
        limits: &Limits,
    ) -> std::io::Result<Option<Vec<Timeline>>> {
        let mut stream = Stream::new(reader, file, versions, limits);
        loop {
            match stream.step()? {
                Step::Event => {}
                Step::End => return Ok(Some(stream.finish())),
                Step::GiveUp => return Ok(None),
            }
        }
    }
}

/// What [`Stream::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Took one more event (or the header, or a blank line).
    Event,
    /// Read to the end: every reading is whole and checked.
    End,
    /// Met something only the whole read can answer (the module's documentation).
    GiveUp,
}

/// An NDJSON timeline being read a line at a time under every version of one framework.
/// Between steps a caller may look at the readings so far and drop visits that are finished
/// with ([`Stream::drop_visits`]): a later line naming one, or reusing a dropped id, makes
/// the stream give up, so what is dropped can never be needed again.
pub(crate) struct Stream<'r, R> {
    readings: Vec<Reading<'r>>,
    lines: Lines<R>,
    raw: TimelineInput,
    file: String,
    nesting: usize,
    max_events: usize,
    first: bool,
    events: usize,
    /// The latest instant of any event read.
    latest: Option<crate::time::Instant>,
    /// The earliest instant of any event read.
    earliest: Option<crate::time::Instant>,
    /// Ids of the events and visits dropped, hashed: one seen again is a duplicate only the
    /// whole read can report (and a collision only sends the log to the whole read).
    dropped: Set<u64>,
}

impl<'r, R: BufRead> Stream<'r, R> {
    pub(crate) fn new(reader: R, file: &str, versions: &'r Versions, limits: &Limits) -> Self {
        Stream {
            readings: versions
                .all()
                .iter()
                .map(|rs| Reading::new(rs, file))
                .collect(),
            lines: Lines::new(reader, limits),
            raw: TimelineInput::default(),
            file: file.to_string(),
            nesting: limits.nesting().min(super::depth::JSON_DEPTH),
            max_events: limits.events,
            first: true,
            events: 0,
            latest: None,
            earliest: None,
            dropped: Set::default(),
        }
    }

    /// Read the next line.
    pub(crate) fn step(&mut self) -> std::io::Result<Step> {
        let (n, line) = match self.lines.next()? {
            Line::Text(n, line) => (n, line),
            Line::Refused => return Ok(Step::GiveUp),
            Line::End => {
                // A log with no events is the whole read's to judge (a header alone must say
                // `"events": []`).
                let whole = self.lines.read_any
                    && self.events > 0
                    && self.readings.iter().all(Reading::errors_free);
                return Ok(if whole { Step::End } else { Step::GiveUp });
            }
        };
        if line.trim().is_empty() {
            return Ok(Step::Event);
        }
        // A flat line (nearly every line) nests one level deep: read it, and check the nesting
        // of anything else before serde does.
        let quick = if self.nesting > 0 {
            super::flat::event(line)
        } else {
            None
        };
        if quick.is_none() && super::depth::nested(line, self.nesting, &self.file, true).is_some() {
            return Ok(Step::GiveUp);
        }
        if std::mem::take(&mut self.first) && super::ndjson::is_header(line) {
            if super::ndjson::header(line, &mut self.raw).is_err() {
                return Ok(Step::GiveUp);
            }
            for r in &mut self.readings {
                r.header(&self.raw);
            }
            return Ok(Step::Event);
        }
        if self.events == self.max_events {
            return Ok(Step::GiveUp);
        }
        self.events += 1;
        let Some(event) = quick.or_else(|| serde_json::from_str::<EventInput>(line).ok()) else {
            return Ok(Step::GiveUp);
        };
        // An event with no `kind` may be a header line out of place: the whole read says
        // which.
        if event.kind.is_none() {
            return Ok(Step::GiveUp);
        }
        // A visit planned again under a dropped visit's id is planned twice.
        let planned_again = event.kind.as_deref() == Some("visit_planned")
            && event
                .visit
                .as_deref()
                .is_some_and(|v| self.dropped.contains(&hashed("visit", v)));
        if planned_again {
            return Ok(Step::GiveUp);
        }
        self.raw.events.clear();
        self.raw.events.push(event);
        for r in &mut self.readings {
            let Some(at) = r.take(&self.raw, n) else {
                return Ok(Step::GiveUp);
            };
            self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
            self.earliest = Some(self.earliest.map_or(at, |l| l.min(at)));
        }
        // An id a dropped event had is taken twice.
        let last_id = self.readings.first().and_then(|r| r.tl.events.last());
        if last_id.is_some_and(|e| self.dropped.contains(&hashed("event", &e.id))) {
            return Ok(Step::GiveUp);
        }
        Ok(Step::Event)
    }

    /// Every reading so far (events in the order read, not yet in time order).
    pub(crate) fn readings(&self) -> impl Iterator<Item = &Timeline> {
        self.readings.iter().map(|r| &r.tl)
    }

    /// The latest and earliest instants of the events read, dropped ones included.
    pub(crate) fn span(&self) -> (Option<crate::time::Instant>, Option<crate::time::Instant>) {
        (self.earliest, self.latest)
    }

    /// Whether visit `v` (an index into every reading's visits, the same in each) is named
    /// only by its planning, arrival, departure and cancellation so far, is planned by the
    /// timeline and stands for no protocol visit.
    pub(crate) fn plain_visit(&self, v: usize) -> bool {
        self.readings.iter().all(|r| {
            !r.eventful.get(v).copied().unwrap_or(true)
                && r.tl
                    .visits
                    .get(v)
                    .is_some_and(|x| x.source == super::VisitSource::Timeline && x.slot.is_none())
        })
    }

    /// Drop the visits `drop` marks (by index, the same in every reading) and every event
    /// naming them, from every reading. The record's start is kept as it was: a reading's
    /// `from`, else the earliest event read.
    pub(crate) fn drop_visits(&mut self, drop: &[bool]) {
        let from = self.earliest;
        for r in &mut self.readings {
            for (v, d) in r.tl.visits.iter().zip(drop) {
                if *d {
                    self.dropped.insert(hashed("visit", &v.id));
                }
            }
            for e in &r.tl.events {
                if e.visit
                    .is_some_and(|v| drop.get(v).copied().unwrap_or(false))
                {
                    self.dropped.insert(hashed("event", &e.id));
                }
            }
            r.drop_visits(drop, from);
        }
    }

    /// Put every reading's events in time order (stable, as the whole read sorts them: a
    /// later sort of these with more events after them is the sort of them all).
    pub(crate) fn sort(&mut self) {
        for r in &mut self.readings {
            if !r.tl.events.is_sorted_by_key(|e| e.at) {
                r.tl.events.sort_by_key(|e| e.at);
            }
        }
    }

    /// The readings, whole, each in time order.
    pub(crate) fn finish(self) -> Vec<Timeline> {
        self.readings.into_iter().map(Reading::finish).collect()
    }
}

/// `text`'s hash in the namespace `what` (event and visit ids are apart).
fn hashed(what: &str, text: &str) -> u64 {
    use std::hash::BuildHasher;
    // Fixed keys, so a run is repeatable; a crafted collision only sends the log to the
    // whole read.
    foldhash::fast::FixedState::with_seed(0).hash_one((what, text))
}

/// One version's reading of the stream: its timeline so far, and what checking the next
/// event needs (the people and visits known, the ids taken).
struct Reading<'r> {
    ld: Loader<'r>,
    tl: Timeline,
    plan: Plan,
    ids: super::resolve::Ids,
    /// For each visit, whether an event other than its planning, arrival, departure or
    /// cancellation names it.
    eventful: Vec<bool>,
    /// A protocol visit's occurrence was named: a visit planned after it would stand before
    /// it in the whole read's list, so the stream gives up.
    named: bool,
}

impl<'r> Reading<'r> {
    fn new(rs: &'r RuleSet, file: &str) -> Reading<'r> {
        let ld = Loader {
            file: file.to_string(),
            locator: Locator::new("", Format::Json),
            rs,
            errors: Vec::new(),
            foreign: Default::default(),
        };
        Reading {
            ld,
            tl: Timeline::default(),
            plan: Plan::default(),
            ids: Map::default(),
            eventful: Vec::new(),
            named: false,
        }
    }

    /// Take the header line's `as_of`, `from` and `persons`, as the whole read does first.
    fn header(&mut self, raw: &TimelineInput) {
        self.tl = header(&mut self.ld, raw);
        self.plan.covered_persons(&mut self.ld, raw, &mut self.tl);
        self.plan.know(&self.tl, 0, &[]);
    }

    /// Check the one event `raw` holds (written on line `n`) and keep it, returning its
    /// instant; `None` when the stream must give up.
    fn take(&mut self, raw: &TimelineInput, n: usize) -> Option<crate::time::Instant> {
        // The plan is kept for one event at a time: event 0 is always the one being read.
        self.plan.person_of_event.clear();
        let visits = self.tl.visits.len();
        let planning = raw.events.first().and_then(|e| e.kind.as_deref()) == Some("visit_planned");
        let added = self.plan.add_event(&mut self.ld, raw, &mut self.tl, 0);
        if added.replaced.is_some() || !self.ld.errors.is_empty() {
            return None;
        }
        let grew = self.tl.visits.len() > visits;
        if grew && planning && self.named {
            return None;
        }
        self.named |= grew && !planning;
        let mut event = checked_event(&mut self.ld, &self.tl, &self.plan, &mut self.ids, raw, 0)?;
        if !self.ld.errors.is_empty() {
            return None;
        }
        event.line = n;
        self.eventful.resize(self.tl.visits.len(), false);
        if let Some(v) = event.visit {
            let plain = matches!(
                event.data,
                super::EventData::VisitPlanned
                    | super::EventData::Arrived
                    | super::EventData::Departed
                    | super::EventData::VisitCancelled { .. }
            );
            if let (false, Some(flag)) = (plain, self.eventful.get_mut(v)) {
                *flag = true;
            }
        }
        let at = event.at;
        self.tl.events.push(event);
        Some(at)
    }

    /// Drop the visits `drop` marks and the events naming them, renumbering the rest; the
    /// record keeps starting where it did (`from`, else `earliest`).
    fn drop_visits(&mut self, drop: &[bool], earliest: Option<crate::time::Instant>) {
        let dropped = |v: usize| drop.get(v).copied().unwrap_or(false);
        let mut renumbered: Vec<Option<usize>> = Vec::with_capacity(self.tl.visits.len());
        let mut next = 0;
        for v in 0..self.tl.visits.len() {
            renumbered.push((!dropped(v)).then_some(next));
            next += usize::from(!dropped(v));
        }
        let new = |v: usize| renumbered.get(v).copied().flatten();
        // What goes is taken out of the maps by its own key, not by a scan of all that stays.
        for e in &self.tl.events {
            if e.visit.is_some_and(dropped) {
                self.ids.remove(&e.id);
            }
        }
        for x in self
            .tl
            .visits
            .iter()
            .enumerate()
            .filter(|(v, _)| dropped(*v))
        {
            self.plan.visit_index.remove(&x.1.id);
            self.plan.visit_event.remove(&x.1.id);
        }
        self.tl
            .events
            .retain(|e| e.visit.is_none_or(|v| !dropped(v)));
        for e in &mut self.tl.events {
            e.visit = e.visit.and_then(new);
        }
        let mut index = 0;
        self.tl.visits.retain(|_| {
            index += 1;
            !dropped(index - 1)
        });
        let mut index = 0;
        self.eventful.retain(|_| {
            index += 1;
            !dropped(index - 1)
        });
        for v in self.plan.visit_index.values_mut() {
            *v = new(*v).unwrap_or(*v);
        }
        self.plan.start_unknown = self
            .plan
            .start_unknown
            .iter()
            .filter_map(|v| new(*v))
            .collect();
        self.plan.slot_index.retain(|_, v| !dropped(*v));
        for v in self.plan.slot_index.values_mut() {
            *v = new(*v).unwrap_or(*v);
        }
        if self.tl.from.is_none() {
            self.tl.from = earliest;
        }
    }

    fn errors_free(&self) -> bool {
        self.ld.errors.is_empty()
    }

    /// The timeline, in time order (stable for equal instants, as the whole read sorts it).
    fn finish(mut self) -> Timeline {
        if !self.tl.events.is_sorted_by_key(|e: &Event| e.at) {
            self.tl.events.sort_by_key(|e| e.at);
        }
        self.tl
    }
}

/// What [`Lines::next`] read.
enum Line<'b> {
    /// Line `n` (from 1), without its line break.
    Text(usize, &'b str),
    /// A line the stream cannot take: not UTF-8, too long, or past the file's size limit.
    Refused,
    /// The end of the reader.
    End,
}

/// The lines of a reader, numbered from 1, each without its line break (and the first
/// without a byte-order mark), within the limits of a timeline file.
struct Lines<R> {
    reader: R,
    buffer: Vec<u8>,
    n: usize,
    bytes: u64,
    max_bytes: u64,
    max_chars: usize,
    /// Whether any line held anything but blanks (an empty log is an error to report).
    read_any: bool,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, limits: &Limits) -> Lines<R> {
        Lines {
            reader,
            buffer: Vec::new(),
            n: 0,
            bytes: 0,
            max_bytes: limits.file_bytes,
            max_chars: limits.line_chars,
            read_any: false,
        }
    }

    /// The next line.
    fn next(&mut self) -> std::io::Result<Line<'_>> {
        self.buffer.clear();
        // Never more than the file may hold, nor more than a line may: an endless line (a
        // device, a file with no line breaks) is not read into memory to find its end.
        let room = self.max_bytes.saturating_sub(self.bytes).saturating_add(1);
        let line_room = u64::try_from(self.max_chars)
            .unwrap_or(u64::MAX)
            .saturating_mul(4)
            .saturating_add(4);
        let read = (&mut self.reader)
            .take(room.min(line_room))
            .read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            return Ok(Line::End);
        }
        self.n += 1;
        if self.buffer.last() != Some(&b'\n') && read as u64 == room.min(line_room) {
            return Ok(Line::Refused);
        }
        self.bytes = self.bytes.saturating_add(read as u64);
        let mut bytes = self.buffer.as_slice();
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if self.n == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        let Ok(line) = std::str::from_utf8(bytes) else {
            return Ok(Line::Refused);
        };
        if self.bytes > self.max_bytes
            || (line.len() > self.max_chars && line.chars().count() > self.max_chars)
        {
            return Ok(Line::Refused);
        }
        self.read_any |= !line.trim().is_empty();
        Ok(Line::Text(self.n, line))
    }
}
