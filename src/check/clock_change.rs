//! Local times that the clocks skip or repeat.
//!
//! A time such as 01:30 does not exist in London on the night the clocks go forward and
//! happens twice on the night they go back. Vigil gives such times one meaning (see
//! `docs/time.md`: a skipped time means the same number of minutes after the change, and a
//! repeated time means its first occurrence), and the checker notes every place a document
//! depends on one, so the author knows.

use super::diagnostic::{Code, Diagnostic};
use super::Ctx;
use crate::syntax::ast::ClockTime;
use crate::time::fate;

/// Note (once per place) a time that a clock change skips or repeats.
pub fn note(cx: &mut Ctx<'_>, zone: chrono_tz::Tz, file: usize, t: &ClockTime) {
    if t.hour > 23 || t.minute > 59 {
        return;
    }
    let key = (zone.name().to_string(), t.hour, t.minute);
    let fate = match cx.fates.get(&key) {
        Some(f) => *f,
        None => {
            let f = fate(zone, t.hour, t.minute);
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
        format!("`{:02}:{:02}` {what} in {}", t.hour, t.minute, zone.name()),
        "clock-change time",
        format!("{meaning}; a time outside the change hour avoids the question"),
    ));
}
