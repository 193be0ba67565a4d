//! What every loading phase shares: the rule set, where things are written, the errors found
//! so far, and the small checks more than one phase makes (instants, roles, suggestions).

use super::error::{ErrorCode, TimelineError};
use super::locate::Locator;
use crate::rules::{RoleId, RuleSet};
use crate::time::Instant;
use crate::wording::did_you_mean;

/// The state of one load: errors are collected, never returned early, so that one run names
/// every problem in the file.
pub(super) struct Loader<'a> {
    /// The file as given, for every error.
    pub file: String,
    /// Where each event and field is written.
    pub locator: Locator<'a>,
    /// The rules whose names the timeline uses.
    pub rs: &'a RuleSet,
    /// Every problem so far, in the order found.
    pub errors: Vec<TimelineError>,
    /// Events of another version's time, read under this version ([`super::versioned`]):
    /// a `by` or `result` this version does not know is read as none, not refused.
    pub foreign: crate::hash::Set<usize>,
}

impl Loader<'_> {
    /// Report `code` at `field` of event `event`, or at the top-level key `field` when
    /// `event` is `None`.
    pub fn error(
        &mut self,
        code: ErrorCode,
        event: Option<usize>,
        field: &str,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        // A nested field (`attributes.urgency`) is found by its own key inside the event.
        let key = field.rsplit('.').next().unwrap_or(field);
        let (line, column) = match event {
            Some(i) => self.locator.field(i, key),
            None => self.locator.top_level(field),
        };
        let field = match event {
            Some(i) => format!("events[{i}].{field}"),
            None => field.to_string(),
        };
        self.errors.push(TimelineError {
            code,
            file: self.file.clone(),
            line,
            column,
            field: Some(field),
            // What the timeline says is quoted short: a megabyte-long value is never echoed. A
            // quoted value holding look-alikes (a Cyrillic `о`) has them named, since on
            // screen it reads as the name it is not.
            message: crate::wording::excerpted(&super::chars::with_look_alikes(message.into())),
            help: help.map(|h| crate::wording::excerpted(&h)),
        });
    }

    /// Where event `i` is, for a help line: `line 12` in a file, or `` `events[3]` `` for a
    /// timeline built in code or a feed, which have no lines.
    pub fn event_place(&self, i: usize) -> String {
        match self.locator.event(i).0 {
            0 => format!("`events[{i}]`"),
            line => format!("line {line}"),
        }
    }

    /// The instant `text` names, or `None` after reporting why it names none.
    pub fn instant(&mut self, event: Option<usize>, field: &str, text: &str) -> Option<Instant> {
        if let Some(t) = plain_instant(text) {
            return Some(t);
        }
        match chrono::DateTime::parse_from_rfc3339(text) {
            // chrono reads `23:59:60` as a leap second; UTC as Vigil counts it (and the
            // clocks of the systems that write timelines) has none, so it is refused rather
            // than quietly read as the next minute's first second.
            Ok(t) if chrono::Timelike::nanosecond(&t) >= 1_000_000_000 => {
                self.error(
                    ErrorCode::BadTimestamp,
                    event,
                    field,
                    format!("`{text}` has a 60th second, which Vigil's clock does not have"),
                    Some("write the minute's last second as `:59`, or the next minute".into()),
                );
                None
            }
            // A blank date exported as a default (0000-01-01, 1900-01-01, 1970-01-01) or a
            // year with a digit too many is an instant no care record means: read, it would make
            // every duty since overdue, or none due for centuries.
            Ok(t) if !crate::time::YEARS.contains(&chrono::Datelike::year(&t)) => {
                self.error(
                    ErrorCode::BadTimestamp,
                    event,
                    field,
                    format!(
                        "`{text}` is in the year {:04}, outside the years Vigil reads ({} to {})",
                        chrono::Datelike::year(&t),
                        crate::time::YEARS.start(),
                        crate::time::YEARS.end()
                    ),
                    Some(
                        "a blank or default date? write the real date and time, with its offset"
                            .into(),
                    ),
                );
                None
            }
            // Decisions are to the second: a fraction is dropped as it is read, so that work
            // done at 08:35:00.999 is done at its due second (on time), and no instant Vigil
            // compares or announces falls between two it prints.
            Ok(t) => {
                let t = t.with_timezone(&chrono::Utc);
                Some(chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t))
            }
            Err(_) if is_naive(text) => {
                self.error(
                    ErrorCode::NoUtcOffset,
                    event,
                    field,
                    format!("timestamp `{text}` has no UTC offset, so the instant it means is unknown"),
                    Some(format!("write it with its offset, for example `{text}Z` for UTC or `{text}+01:00` for BST")),
                );
                None
            }
            Err(_) => {
                self.error(
                    ErrorCode::BadTimestamp,
                    event,
                    field,
                    format!("`{text}` is not an RFC 3339 timestamp"),
                    Some(
                        "write instants like `2026-11-24T08:00:00Z` or `2026-11-24T08:00:00+00:00`"
                            .to_string(),
                    ),
                );
                None
            }
        }
    }

    /// "did you mean" the closest of `names`, or all of them (the first
    /// [`MAX_LISTED`] of a longer list), or nothing if there are none. Case and look-alikes
    /// are no distance at all: `NO_ANSWER` and `nо_answer` (a Cyrillic `о`) are `no_answer`.
    pub fn suggest<'n>(
        wanted: &str,
        names: impl IntoIterator<Item = &'n str> + Clone,
    ) -> Option<String> {
        let plain = super::chars::unconfused(wanted);
        let plain = plain.trim();
        let same = names
            .clone()
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(plain))
            .map(str::to_string);
        let close = same
            .or_else(|| did_you_mean(wanted, names.clone()))
            .or_else(|| did_you_mean(&plain.to_lowercase(), names.clone()));
        if let Some(s) = close {
            return Some(format!("did you mean `{s}`?"));
        }
        known(names)
    }
    /// The role called `name` (in `field` of event `i`), or `None` after reporting it.
    pub fn role(&mut self, i: usize, field: &str, name: &str) -> Option<RoleId> {
        if let Some(r) = self.rs.role_id(name) {
            return Some(r);
        }
        // An alias names different roles at different times; the event happened at one time,
        // done by one role, so the timeline names that role.
        let help = match self.rs.aliases.iter().find(|a| a.name == name) {
            Some(alias) => Some(format!(
                "`{name}` is an alias; name the role itself, for example `{}`",
                self.rs
                    .role(alias.inside)
                    .map_or("duty_manager", |r| &*r.name)
            )),
            None => Self::suggest(name, self.rs.roles.iter().map(|r| &*r.name)),
        };
        self.error(
            ErrorCode::UnknownRole,
            Some(i),
            field,
            format!("unknown role `{name}`"),
            help,
        );
        None
    }
}

/// "known: a, b, c", the first thirty of `names` ("and 12 more" after them), or `None` if
/// there are none.
pub(super) fn known<'n>(names: impl IntoIterator<Item = &'n str>) -> Option<String> {
    let mut names = names.into_iter().peekable();
    names.peek()?;
    Some(format!("known: {}", crate::wording::listed(names, 30)))
}

/// True for a date and time written without an offset, which names no single instant.
/// The instant `text` names when it is written the way nearly every log writes one
/// (`2026-11-24T08:05:00Z`, or with an offset such as `+01:00`), a valid date and time in
/// the years Vigil reads with no 60th second; `None` for anything else, which the general
/// reader then reads or refuses with its reason. The general reader is about a fifth of the
/// work of reading a log line (two instants a visit's planning); this one gives the same
/// instant (a property test holds the two together).
fn plain_instant(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        b.get(from..from + n)?.iter().try_fold(0u32, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0'))
        })
    };
    let offset_seconds = match (b.len(), b.get(19)) {
        (20, Some(b'Z')) => 0,
        (25, Some(&sign @ (b'+' | b'-'))) if b[22] == b':' => {
            let (h, m) = (digits(20, 2)?, digits(23, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let s = i32::try_from(h * 3600 + m * 60).ok()?;
            if sign == b'-' {
                -s
            } else {
                s
            }
        }
        _ => return None,
    };
    if [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')]
        .iter()
        .any(|&(i, c)| b[i] != c)
    {
        return None;
    }
    let year = i32::try_from(digits(0, 4)?).ok()?;
    let (month, day) = (digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    if !crate::time::YEARS.contains(&year) || second > 59 {
        return None;
    }
    let local =
        chrono::NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    let offset = chrono::FixedOffset::east_opt(offset_seconds)?;
    // The years are those written, as the general reader checks them, not those in UTC.
    let t = chrono::TimeZone::from_local_datetime(&offset, &local).single()?;
    Some(t.with_timezone(&chrono::Utc))
}

fn is_naive(text: &str) -> bool {
    // `%.f` takes fractional seconds too (`08:05:00.123`), with or without them.
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .any(|layout| chrono::NaiveDateTime::parse_from_str(text, layout).is_ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests fail loudly
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the general reader makes of `text`, when it reads it as an instant.
    fn general(text: &str) -> Option<Instant> {
        let t = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        if chrono::Timelike::nanosecond(&t) >= 1_000_000_000
            || !crate::time::YEARS.contains(&chrono::Datelike::year(&t))
        {
            return None;
        }
        let t = t.with_timezone(&chrono::Utc);
        Some(chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t))
    }

    #[test]
    fn the_usual_forms_are_read_by_the_quick_reader() {
        for text in [
            "2026-11-24T08:05:00Z",
            "2026-03-29T02:30:00+01:00",
            "2099-12-31T23:59:59-05:30",
            "2000-01-01T00:30:00+01:00",
        ] {
            assert_eq!(plain_instant(text), general(text), "{text}");
            assert!(plain_instant(text).is_some(), "{text}");
        }
        // Left to the general reader, which reads or refuses each with its reason.
        for text in [
            "2026-11-24T08:05:00.5Z",
            "2026-11-24t08:05:00z",
            "2026-11-24T23:59:60Z",
            "2026-02-29T08:00:00Z",
            "1970-01-01T00:00:00Z",
            "2026-11-24T08:05:00+24:00",
            "2026-11-24 08:05:00Z",
        ] {
            assert_eq!(plain_instant(text), None, "{text}");
        }
    }

    proptest! {
        /// Whatever the quick reader reads, the general reader reads the same.
        #[test]
        fn the_quick_reader_agrees_with_the_general_one(
            text in "(19|20|21|99)[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][0-2][0-9]:[0-6][0-9]|)"
        ) {
            if let Some(t) = plain_instant(&text) {
                prop_assert_eq!(Some(t), general(&text));
            }
        }
    }
}
