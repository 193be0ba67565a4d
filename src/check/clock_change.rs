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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fate {
    /// Skipped on at least one day (clocks go forward).
    pub skipped: bool,
    /// Repeated on at least one day (clocks go back).
    pub repeated: bool,
}

/// How the local time `h:m` fares in `tz`.
pub fn fate(tz: chrono_tz::Tz, h: u32, m: u32) -> Fate {
    let mut fate = Fate::default();
    let Some(t) = NaiveTime::from_hms_opt(h, m, 0) else {
        return fate;
    };
    let (Some(mut day), Some(end)) = (
        NaiveDate::from_ymd_opt(*YEARS.start(), 1, 1),
        NaiveDate::from_ymd_opt(*YEARS.end(), 12, 31),
    ) else {
        return fate;
    };
    while day <= end && !(fate.skipped && fate.repeated) {
        match tz.from_local_datetime(&day.and_time(t)) {
            chrono::LocalResult::None => fate.skipped = true,
            chrono::LocalResult::Ambiguous(..) => fate.repeated = true,
            chrono::LocalResult::Single(_) => {}
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    fate
}

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
    let skipped = "when the clocks go forward it does not exist, and is read as the same minutes after the change (01:30 becomes 02:30 BST)";
    let repeated = "when they go back it happens twice, and means the first time (01:30 BST)";
    let (what, meaning) = match (fate.skipped, fate.repeated) {
        (false, false) => return,
        (true, true) => (
            "is skipped one night a year and repeated another",
            format!("{skipped}; {repeated}"),
        ),
        (true, false) => (
            "is skipped on the night the clocks go forward",
            skipped.to_string(),
        ),
        (false, true) => (
            "happens twice on the night the clocks go back",
            repeated.replace("when they go back it", "it"),
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
        format!("{meaning}; a time outside the change hour avoids the question"),
    ));
}
