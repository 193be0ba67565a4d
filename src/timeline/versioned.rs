//! Reading one timeline under several versions of a framework. Each event is checked by the
//! version in force at its instant: a role, log or result the new version adds may be used
//! once it is in force, and not before; one it drops, not after. A name no version knows is
//! an error as always.
//!
//! Every version still judges the episodes that opened in its time to their end, so each
//! needs its own reading of the whole timeline. An event of another version's time naming
//! something this version does not know cannot bear on this version's rules (they cannot
//! name it either), so in this version's reading it is left out, or, when only its `by` or
//! `result` is unknown here, kept and read without them: a role this version does not have
//! does none of its duties, and a result it does not have is in none of its counts; the
//! event still ends what it ends (a person found is found, whoever found them).

use std::collections::BTreeMap;

use crate::hash::Set;

use super::error::{ErrorCode, TimelineError, TimelineErrors};
use super::input::{Format, TimelineInput};
use super::locate::Locator;
use super::{read, Timeline};
use crate::limits::Limits;
use crate::rules::{RuleSet, Versions};

impl Timeline {
    /// Read a timeline under every version of one framework, earliest first (the readings
    /// [`crate::eval`] needs to judge each episode by its own version). Each event is checked
    /// by the version in force at its instant, so a name only a later version knows is an
    /// error before that version is in force.
    ///
    /// ```
    /// # let text = |v: &str, eff: &str, roles: &str| format!(r#"framework "Acme" version {v} {{ {eff} role support_worker "Support worker" {roles} threshold routine late 15m missed 30m }}"#);
    /// let checked = vigil::check::check(&[
    ///     vigil::Source::new("2026.vigil", text("2026.1", "", "")),
    ///     vigil::Source::new("2027.vigil", text("2027.1", "effective 2027-01-04", r#"role nurse "Nurse""#)),
    /// ]);
    /// let versions = vigil::rules::Versions::new(checked.rulesets).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let timeline = |at: &str| format!(r#"
    /// events:
    ///   - {{ at: "2027-01-01T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
    ///       planned: "2027-01-03T23:30:00Z", criticality: routine }}
    ///   - {{ at: "{at}", person: P-1, visit: V1, kind: arrived, by: nurse }}
    /// "#);
    /// let limits = vigil::Limits::default();
    /// // The nurse arrives under 2027.1, which has nurses: read under both versions.
    /// let read = Timeline::load_versions(&timeline("2027-01-04T00:05:00Z"), Format::Yaml, "t.yaml", &versions, &limits).unwrap();
    /// assert_eq!(read.len(), 2);
    /// // Under 2026.1 there was no such role.
    /// let errors = Timeline::load_versions(&timeline("2027-01-03T23:40:00Z"), Format::Yaml, "t.yaml", &versions, &limits).unwrap_err();
    /// assert!(errors[0].message.contains("unknown role `nurse`"));
    /// assert!(errors[0].help.as_deref().unwrap().contains("version 2027.1 knows it"));
    /// ```
    pub fn load_versions(
        text: &str,
        format: Format,
        file: &str,
        versions: &Versions,
        limits: &Limits,
    ) -> Result<Vec<Timeline>, TimelineErrors> {
        let raw = read::read_within(text, format, file, limits).map_err(TimelineErrors)?;
        let locator = Locator::new(text, format);
        let sets = versions.all();
        let first: Vec<Result<Timeline, TimelineErrors>> = sets
            .iter()
            .map(|rs| Timeline::check_input(&raw, locator.clone(), file, rs))
            .collect();
        if first.iter().all(Result::is_ok) {
            return Ok(first.into_iter().flatten().collect());
        }
        let errors: Vec<Vec<TimelineError>> = first
            .into_iter()
            .map(|r| r.err().map(|e| e.0).unwrap_or_default())
            .collect();
        // The version that judges an event: the one in force at its instant; but for a person
        // whose protocol only an earlier version holds, the latest such (their protocol keeps
        // applying until it is migrated, language.md §2).
        let has_protocol = |j: usize, person: &str| {
            sets.get(j)
                .is_some_and(|rs| rs.persons.iter().any(|p| p.id == person))
        };
        let owner = |k: usize| {
            let event = raw.events.get(k);
            let v = event
                .and_then(|e| e.at.as_deref())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map_or(sets.len() - 1, |t| {
                    versions.index_at(t.with_timezone(&chrono::Utc))
                });
            let Some(person) = event.and_then(|e| e.person.as_deref()) else {
                return v;
            };
            if has_protocol(v, person) {
                return v;
            }
            (0..v).rev().find(|j| has_protocol(*j, person)).unwrap_or(v)
        };
        let real = real_errors(&errors, sets, owner);
        if !real.is_empty() {
            return Err(TimelineErrors(real));
        }
        // Only other versions' events (or `persons` another version knows) were refused:
        // each version reads the timeline without what it cannot name.
        sets.iter()
            .zip(&errors)
            .map(|(rs, errs)| {
                if errs.is_empty() {
                    return Timeline::check_input(&raw, locator.clone(), file, rs);
                }
                let (input, kept, foreign) = without_foreign(&raw, errs, rs);
                Timeline::check_foreign(&input, locator.keeping(&kept), file, rs, foreign)
                    .map_err(|errs| renumbered(errs, &kept))
            })
            .collect()
    }
}

/// The event a timeline error is about, from its field (`events[3].by`).
fn event_of(e: &TimelineError) -> Option<usize> {
    let rest = e.field.as_deref()?.strip_prefix("events[")?;
    rest.split(']').next()?.parse().ok()
}

/// Errors from a reading that left events out, naming each event by its place in the file.
fn renumbered(errs: TimelineErrors, kept: &[usize]) -> TimelineErrors {
    let mut errs = errs.0;
    for e in &mut errs {
        if let (Some(n), Some(field)) = (event_of(e), e.field.as_deref()) {
            let rest = field.split_once(']').map_or("", |(_, r)| r);
            let k = kept.get(n).copied().unwrap_or(n);
            e.field = Some(format!("events[{k}]{rest}"));
        }
    }
    TimelineErrors(errs)
}

/// The field of an event a timeline error is about (`by`, `attributes.urgency`).
fn field_of(e: &TimelineError) -> &str {
    e.field
        .as_deref()
        .and_then(|f| f.split_once("].").map(|(_, f)| f))
        .unwrap_or("")
}

/// The errors that stand: those about an event, from the version in force at its instant
/// (`owner`); the rest (the header, `persons`), from every version alike. A name another
/// version knows says so in its help, with when that version is in force.
fn real_errors(
    errors: &[Vec<TimelineError>],
    sets: &[RuleSet],
    owner: impl Fn(usize) -> usize,
) -> Vec<TimelineError> {
    let reported = |j: usize, e: &TimelineError| {
        errors
            .get(j)
            .is_some_and(|errs| errs.iter().any(|x| x.code == e.code && x.field == e.field))
    };
    let mut real = Vec::new();
    for (i, errs) in errors.iter().enumerate() {
        for e in errs {
            let stands = match event_of(e) {
                Some(k) => owner(k) == i,
                None => (0..errors.len()).all(|j| reported(j, e)),
            };
            // An error about the header is every version's: reported once, by the latest.
            let once = event_of(e).is_some() || i + 1 == errors.len();
            if !(stands && once) {
                continue;
            }
            let mut e = e.clone();
            let knows: Vec<&str> = (0..errors.len())
                .filter(|&j| j != i && !reported(j, &e))
                .filter_map(|j| sets.get(j).map(|s| s.version.as_str()))
                .collect();
            if let (Some(rs), false) = (sets.get(i), knows.is_empty()) {
                let when = rs
                    .effective
                    .map_or(String::new(), |d| format!(", in force from {d}"));
                let note = format!(
                    "version {} knows it; the event falls under version {}{when}",
                    knows.join(" and "),
                    rs.version
                );
                e.help = Some(match e.help {
                    Some(h) => format!("{h} ({note})"),
                    None => note,
                });
            }
            real.push(e);
        }
    }
    real.sort_by_key(|e| (e.line, e.column));
    real
}

/// The timeline as version `rs` reads it: events it refused (all of another version's time,
/// as [`real_errors`] found) left out, or, when only their `by` or `result` was unknown, kept
/// to be read without them; people in `persons` it has no protocol for, left out. With it,
/// the indices (in the file) of the events kept, for their lines, and those (in the new
/// list) to read without an unknown `by` or `result`.
fn without_foreign(
    raw: &TimelineInput,
    errs: &[TimelineError],
    rs: &RuleSet,
) -> (TimelineInput, Vec<usize>, Set<usize>) {
    let mut fields: BTreeMap<usize, Set<&str>> = BTreeMap::new();
    for e in errs {
        if let Some(k) = event_of(e) {
            fields.entry(k).or_default().insert(field_of(e));
        }
    }
    let mut input = raw.clone();
    if errs
        .iter()
        .any(|e| event_of(e).is_none() && e.code == ErrorCode::UnknownPerson)
    {
        input
            .persons
            .retain(|id| rs.persons.iter().any(|p| &p.id == id));
    }
    let mut kept = Vec::with_capacity(raw.events.len());
    let mut foreign = Set::default();
    let mut events = Vec::with_capacity(raw.events.len());
    for (k, event) in std::mem::take(&mut input.events).into_iter().enumerate() {
        if let Some(f) = fields.get(&k) {
            if !f.iter().all(|f| matches!(*f, "by" | "result")) {
                continue;
            }
            foreign.insert(events.len());
        }
        kept.push(k);
        events.push(event);
    }
    input.events = events;
    (input, kept, foreign)
}
