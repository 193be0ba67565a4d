//! Local times that the clocks skip or repeat.
//!
//! A time such as 01:30 does not exist in London on the night the clocks go forward and
//! happens twice on the night they go back. Vigil gives such times one meaning (see
//! `docs/time.md`: a skipped time means the same number of minutes after the change, and a
//! repeated time means its first occurrence), and the checker notes every place a document
//! depends on one, so the author knows.

use chrono::{NaiveDate, NaiveTime, TimeZone};

use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::Ctx;
use crate::syntax::ast::ClockTime;

/// Years searched for clock changes; the zone rules in this range are what matter in practice.
const YEARS: std::ops::RangeInclusive<i32> = 2019..=2030;

/// How a local time fares in a zone over [`YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Always exists exactly once.
    Fine,
    /// Skipped on at least one day (clocks go forward).
    Skipped,
    /// Repeated on at least one day (clocks go back).
    Repeated,
}

/// How the local time `h:m` fares in `tz`.
pub fn fate(tz: chrono_tz::Tz, h: u32, m: u32) -> Fate {
    let Some(t) = NaiveTime::from_hms_opt(h, m, 0) else {
        return Fate::Fine;
    };
    for year in YEARS {
        let Some(mut day) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            continue;
        };
        while day.year_ce().1 == u32::try_from(year).unwrap_or(0) {
            match tz.from_local_datetime(&day.and_time(t)) {
                chrono::LocalResult::None => return Fate::Skipped,
                chrono::LocalResult::Ambiguous(..) => return Fate::Repeated,
                chrono::LocalResult::Single(_) => {}
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
    }
    Fate::Fine
}

use chrono::Datelike;

/// Note (once per place) a time that a clock change skips or repeats.
pub fn note(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, file: usize, t: &ClockTime) {
    if t.hour > 23 || t.minute > 59 {
        return;
    }
    let key = (fw.timezone.name().to_string(), t.hour, t.minute);
    let fate = match cx.fates.get(&key) {
        Some(f) => *f,
        None => {
            let f = fate(fw.timezone, t.hour, t.minute);
            cx.fates.insert(key, f);
            f
        }
    };
    let (what, meaning) = match fate {
        Fate::Fine => return,
        Fate::Skipped => (
            "does not exist on the night the clocks go forward",
            "that night it is read as the same number of minutes after the change (01:30 becomes 02:30 BST)",
        ),
        Fate::Repeated => (
            "happens twice on the night the clocks go back",
            "that night it means the first occurrence (01:30 BST, before the clocks go back)",
        ),
    };
    cx.report(Diagnostic::new(
        Code::ClockChangeTime,
        file,
        t.span,
        format!(
            "`{:02}:{:02}` {what} in {}",
            t.hour,
            t.minute,
            fw.timezone.name()
        ),
        "clock-change time",
        format!("{meaning}; choose a time outside 01:00-02:00 to avoid the question"),
    ));
}
