//! An agreed exception's window: dates, or dates and local times of day, checked.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::diagnostic::{Code, Diagnostic};
use super::{literals, Ctx};
use crate::syntax::ast::{DateTimeLit, Exception};

/// The longest an agreed exception may last, in days (a leap year).
const MAX_EXCEPTION_DAYS: i64 = 366;

/// The exception's window in local wall time, start included and end excluded; a date alone
/// starts at the beginning of its day, and as an end covers the whole of its day. Reports an
/// exception with no end (E036), one that ends before it starts (E025), a date or time that
/// does not exist (E011) and one longer than a year (E010).
pub fn window(
    cx: &mut Ctx<'_>,
    file: usize,
    e: &Exception,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let from = local(cx, file, &e.from, false);
    let Some(to) = &e.to else {
        cx.report(Diagnostic::new(
            Code::UnendingException,
            file,
            e.from.date.span,
            format!("agreed exception `{}` has no end", e.name.name),
            "from here, until when?",
            "write when it ends, `to 2026-12-06` or `to 2026-12-06 18:00`: an exception is agreed for a set time and reviewed when it ends; agree it again to extend it",
        ));
        return None;
    };
    let (from, until) = (from?, local(cx, file, to, true)?);
    if until <= from {
        cx.report(
            Diagnostic::new(
                Code::EmptyWindow,
                file,
                to.date.span,
                format!("agreed exception `{}` ends before it starts", e.name.name),
                "end",
                "a date alone covers the whole of that day and a time is where it ends: write the start, then the end",
            )
            .with(file, e.from.date.span, "start"),
        );
        return None;
    }
    // An exception suspends the usual arrangements, visits included: one that runs for
    // years is almost always a mistyped year (2062 for 2026), and even a real one must be
    // agreed again at least yearly.
    let days = ((until - from).num_seconds() + 86_399) / 86_400;
    if days > MAX_EXCEPTION_DAYS {
        cx.report(
            Diagnostic::new(
                Code::AbsurdValue,
                file,
                to.date.span,
                format!(
                    "agreed exception `{}` lasts {days} days (about {} years), more than a year",
                    e.name.name,
                    days / 365
                ),
                "end date",
                format!(
                    "check the year; an agreed exception is agreed again at least once a year, so write one of at most {MAX_EXCEPTION_DAYS} days and review it then"
                ),
            )
            .with(file, e.from.date.span, "start date"),
        );
        return None;
    }
    Some((from, until))
}

/// A written start or end as local wall time (an end date alone: the start of the next day).
fn local(cx: &mut Ctx<'_>, file: usize, w: &DateTimeLit, end: bool) -> Option<NaiveDateTime> {
    let date: NaiveDate = cx.ok(literals::date(&w.date, file))?;
    match &w.time {
        Some(t) => {
            let (h, m) = cx.ok(literals::clock(t, file))?;
            Some(date.and_time(NaiveTime::from_hms_opt(h, m, 0)?))
        }
        None if end => Some(date.succ_opt()?.and_time(NaiveTime::MIN)),
        None => Some(date.and_time(NaiveTime::MIN)),
    }
}
