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

use std::collections::HashMap;
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
        let mut readings: Vec<Reading<'_>> = versions
            .all()
            .iter()
            .map(|rs| Reading::new(rs, file))
            .collect();
        let mut lines = Lines::new(reader, limits);
        let mut raw = TimelineInput::default();
        let mut first = true;
        let mut events = 0usize;
        loop {
            let (n, line) = match lines.next()? {
                Line::Text(n, line) => (n, line),
                Line::Refused => return Ok(None),
                Line::End => break,
            };
            if line.trim().is_empty() {
                continue;
            }
            if super::depth::nested(line, limits.nesting().min(super::depth::JSON_DEPTH), file)
                .is_some()
            {
                return Ok(None);
            }
            if std::mem::take(&mut first) && super::ndjson::is_header(line) {
                if super::ndjson::header(line, &mut raw).is_err() {
                    return Ok(None);
                }
                for r in &mut readings {
                    r.header(&raw);
                }
                continue;
            }
            if events == limits.events {
                return Ok(None);
            }
            events += 1;
            let Ok(event) = serde_json::from_str::<EventInput>(line) else {
                return Ok(None);
            };
            // An event with no `kind` may be a header line out of place: the whole read says
            // which.
            if event.kind.is_none() {
                return Ok(None);
            }
            raw.events.clear();
            raw.events.push(event);
            for r in &mut readings {
                if !r.take(&raw, n) {
                    return Ok(None);
                }
            }
        }
        if !lines.read_any || readings.iter().any(|r| !r.errors_free()) {
            return Ok(None);
        }
        Ok(Some(readings.into_iter().map(Reading::finish).collect()))
    }
}

/// One version's reading of the stream: its timeline so far, and what checking the next
/// event needs (the people and visits known, the ids taken).
struct Reading<'r> {
    ld: Loader<'r>,
    tl: Timeline,
    plan: Plan,
    ids: HashMap<String, usize>,
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
            ids: HashMap::new(),
            named: false,
        }
    }

    /// Take the header line's `as_of`, `from` and `persons`, as the whole read does first.
    fn header(&mut self, raw: &TimelineInput) {
        self.tl = header(&mut self.ld, raw);
        self.plan.covered_persons(&mut self.ld, raw, &mut self.tl);
        self.plan.know(&self.tl, 0, &[]);
    }

    /// Check the one event `raw` holds (written on line `n`) and keep it; false when the
    /// stream must give up.
    fn take(&mut self, raw: &TimelineInput, n: usize) -> bool {
        // The plan is kept for one event at a time: event 0 is always the one being read.
        self.plan.person_of_event.clear();
        let visits = self.tl.visits.len();
        let planning = raw.events.first().and_then(|e| e.kind.as_deref()) == Some("visit_planned");
        let added = self.plan.add_event(&mut self.ld, raw, &mut self.tl, 0);
        if added.replaced.is_some() || !self.ld.errors.is_empty() {
            return false;
        }
        let grew = self.tl.visits.len() > visits;
        if grew && planning && self.named {
            return false;
        }
        self.named |= grew && !planning;
        let Some(mut event) =
            checked_event(&mut self.ld, &self.tl, &self.plan, &mut self.ids, raw, 0)
        else {
            return false;
        };
        if !self.ld.errors.is_empty() {
            return false;
        }
        event.line = n;
        self.tl.events.push(event);
        true
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
