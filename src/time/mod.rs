//! Exact time: instants in UTC inside, local wall time in the framework's zone at the edges.
//!
//! Every question Vigil asks of time goes through [`Civil`], which holds a framework's zone and
//! bank holidays:
//!
//! - durations are elapsed time: `within 2h` from 00:30 on 29 March 2026 (the clocks go
//!   forward at 01:00) is due at 03:30 BST, two real hours later;
//! - a local time is turned into an instant by one rule ([`Civil::at`]): a time the clocks
//!   skip is read as the same minutes after the change (01:30 becomes 02:30 BST), and a time
//!   that happens twice means its first occurrence (01:30 BST on 25 October 2026);
//! - calendar windows are half-open, `[start, end)`, and each occurrence runs from its start
//!   instant to its end instant, so `20:00-07:00` lasts 10 hours on the night the clocks go
//!   forward and 12 on the night they go back;
//! - a working day is Monday to Friday and not a bank holiday.
//!
//! `docs/time.md` explains the model with worked examples.
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use vigil::time::{Civil, Holidays};
//!
//! let holidays = Holidays::embedded("england-and-wales").unwrap();
//! let civil = Civil::new(chrono_tz::Europe::London, &holidays);
//! // After Thursday 2 April 2026 (Good Friday and Easter Monday follow) the next working day
//! // is Tuesday 7 April.
//! let thursday = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
//! assert_eq!(civil.next_working_day(thursday), NaiveDate::from_ymd_opt(2026, 4, 7).unwrap());
//! // Two real hours from 00:30 on the night the clocks go forward is 03:30 BST.
//! let t = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
//! assert_eq!(civil.local_rfc3339(civil.after(t, 7200)), "2026-03-29T03:30:00+01:00");
//! ```

mod calendar;
mod clocks;
mod holidays;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

pub use calendar::{BankHolidays, CalendarDef, WeeklyWindow, WEEKDAYS};
pub use clocks::{after_in_spans, CALENDAR_SEARCH_DAYS};
pub use holidays::{HolidayError, Holidays};

/// An instant: always UTC inside Vigil.
pub type Instant = DateTime<Utc>;

/// The years a date written in a protocol or timeline may fall in. A blank or default date
/// (0000-01-01, 1900-01-01, 1970-01-01, as exports write them) is before them, and a year past
/// them is a typo (2206 for 2026): either would otherwise count decades of overdue duties, or
/// suspend visits for decades.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// Civil time for one framework: its time zone and its bank holidays.
#[derive(Debug, Clone, Copy)]
pub struct Civil<'h> {
    tz: Tz,
    holidays: &'h Holidays,
}

impl<'h> Civil<'h> {
    /// Civil time in `tz` with `holidays`.
    pub fn new(tz: Tz, holidays: &'h Holidays) -> Self {
        Civil { tz, holidays }
    }

    /// The time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The bank holidays.
    pub fn holidays(&self) -> &'h Holidays {
        self.holidays
    }

    /// Local wall time of an instant.
    pub fn local(&self, t: Instant) -> NaiveDateTime {
        t.with_timezone(&self.tz).naive_local()
    }

    /// Local date of an instant.
    pub fn local_date(&self, t: Instant) -> NaiveDate {
        self.local(t).date()
    }

    /// An instant as RFC 3339 with the zone's offset at that instant, to the second.
    pub fn local_rfc3339(&self, t: Instant) -> String {
        // Written out by hand: this runs for every obligation, and general-purpose
        // formatting costs more than the rest of the work on it.
        let local = t.with_timezone(&self.tz);
        let offset = local.offset().fix().local_minus_utc();
        let (sign, off) = if offset < 0 {
            ('-', -offset)
        } else {
            ('+', offset)
        };
        let n = local.naive_local();
        let mut out = String::with_capacity(25);
        push_date(&mut out, n.date());
        out.push('T');
        push2(&mut out, n.hour());
        out.push(':');
        push2(&mut out, n.minute());
        out.push(':');
        push2(&mut out, n.second());
        out.push(sign);
        push2(&mut out, off.unsigned_abs() / 3600);
        out.push(':');
        push2(&mut out, off.unsigned_abs() % 3600 / 60);
        out
    }

    /// `08:35 Tue 24 Nov`: a local time as a duty manager reads it. On the night the clocks
    /// go back, a time in the repeated hour says which it is (`01:30 BST`, `01:30 GMT`).
    pub fn short_local(&self, t: Instant) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let local = t.with_timezone(&self.tz);
        let n = local.naive_local();
        let mut out = String::with_capacity(20);
        push2(&mut out, n.hour());
        out.push(':');
        push2(&mut out, n.minute());
        // Clocks change in the small hours; only then can a wall time be repeated.
        if n.hour() <= 3 {
            if let chrono::LocalResult::Ambiguous(..) = self.tz.from_local_datetime(&n) {
                out.push(' ');
                out.push_str(&local.format("%Z").to_string());
            }
        }
        out.push(' ');
        out.push_str(
            DAYS.get(n.weekday().num_days_from_monday() as usize)
                .unwrap_or(&""),
        );
        out.push(' ');
        push2(&mut out, n.day());
        out.push(' ');
        out.push_str(MONTHS.get(n.month0() as usize).unwrap_or(&""));
        out
    }

    /// The instant of a local wall time. A time the clocks skip is read with the offset in
    /// force before the change (01:30 on 29 March 2026 in London is 01:30 GMT, shown as 02:30
    /// BST); a time that happens twice means its first occurrence.
    pub fn at_local(&self, wall: NaiveDateTime) -> Instant {
        match self.tz.from_local_datetime(&wall) {
            chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
            chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            chrono::LocalResult::None => {
                // Find the offset in force just before the gap: the nearest earlier wall time
                // that exists. Gaps are at most a day long (Samoa, 2011).
                let offset = (1..=48)
                    .filter_map(|h| wall.checked_sub_signed(Duration::hours(h)))
                    .find_map(|w| self.tz.from_local_datetime(&w).earliest())
                    .map(|t| t.offset().fix());
                match offset {
                    Some(o) => Utc.from_utc_datetime(&(wall - o)),
                    None => Utc.from_utc_datetime(&wall),
                }
            }
        }
    }

    /// The instant of `hour:minute` local time on `date` (see [`Civil::at_local`]).
    pub fn at(&self, date: NaiveDate, hour: u32, minute: u32) -> Instant {
        let time = NaiveTime::from_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or_default();
        self.at_local(date.and_time(time))
    }

    /// The instant `secs` elapsed seconds after `t` (not wall-clock arithmetic).
    pub fn after(&self, t: Instant, secs: u64) -> Instant {
        i64::try_from(secs)
            .ok()
            .and_then(|s| t.checked_add_signed(Duration::seconds(s)))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// True if `date` is a bank holiday.
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(date)
    }

    /// True if `date` is a working day: Monday to Friday, not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        date.weekday().num_days_from_monday() < 5 && !self.is_bank_holiday(date)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        // Bounded: no real calendar has a fortnight without a working day.
        for _ in 0..31 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                return d;
            }
        }
        d
    }

    /// `date` if it is a working day, otherwise the next working day.
    pub fn same_or_next_working_day(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) {
            date
        } else {
            self.next_working_day(date)
        }
    }

    /// The start of the local day after `date` (the midnight that ends `date`).
    fn end_of(&self, date: NaiveDate) -> Instant {
        self.at(date.succ_opt().unwrap_or(date), 0, 0)
    }

    /// `by end of day`: the next local midnight after `t`.
    pub fn end_of_day(&self, t: Instant) -> Instant {
        self.end_of(self.local_date(t))
    }

    /// `by end of working day`: the end of `t`'s day if it is a working day, otherwise the end
    /// of the next working day.
    pub fn end_of_working_day(&self, t: Instant) -> Instant {
        self.end_of(self.same_or_next_working_day(self.local_date(t)))
    }

    /// `by next working day`: the end of the first working day after `t`'s day.
    pub fn end_of_next_working_day(&self, t: Instant) -> Instant {
        self.end_of(self.next_working_day(self.local_date(t)))
    }

    /// `by HH:MM`: the next occurrence of the local time at or after `t`.
    pub fn next_clock(&self, t: Instant, hour: u32, minute: u32) -> Instant {
        let today = self.local_date(t);
        let candidate = self.at(today, hour, minute);
        if candidate >= t {
            candidate
        } else {
            self.at(today.succ_opt().unwrap_or(today), hour, minute)
        }
    }

    /// `by HH:MM next working day`: the local time on the first working day after `t`'s day.
    pub fn clock_next_working_day(&self, t: Instant, hour: u32, minute: u32) -> Instant {
        self.at(self.next_working_day(self.local_date(t)), hour, minute)
    }

    /// True if the bank-holiday data can speak for `t`'s local date.
    pub fn holidays_cover(&self, t: Instant) -> bool {
        self.holidays.covers(self.local_date(t))
    }

    /// True if `t` falls before the bank-holiday data begins.
    pub fn before_holidays(&self, t: Instant) -> bool {
        self.holidays.before(self.local_date(t))
    }
}

/// Two digits, zero-padded.
fn push2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// An instant as output gives it: UTC, RFC 3339, to the second, with `Z`
/// (`2026-11-24T08:00:00Z`). The one format for decisions, timeline errors and event ids.
pub fn utc(t: &Instant) -> String {
    use chrono::Timelike;
    let mut out = String::with_capacity(20);
    push_date(&mut out, t.date_naive());
    out.push('T');
    push2(&mut out, t.hour());
    out.push(':');
    push2(&mut out, t.minute());
    out.push(':');
    push2(&mut out, t.second());
    out.push('Z');
    out
}

/// `YYYY-MM-DD`.
pub(crate) fn push_date(out: &mut String, d: NaiveDate) {
    let y = d.year();
    if (0..10_000).contains(&y) {
        let y = y.unsigned_abs();
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        out.push_str(&y.to_string());
    }
    out.push('-');
    push2(out, d.month());
    out.push('-');
    push2(out, d.day());
}

/// How a local time fares in a zone between 2019 and 2030.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fate {
    /// Skipped on at least one day (clocks go forward).
    pub skipped: bool,
    /// Repeated on at least one day (clocks go back).
    pub repeated: bool,
}

/// Whether the local time `hour:minute` is ever skipped or repeated in `tz` (2019 to 2030).
pub fn fate(tz: Tz, hour: u32, minute: u32) -> Fate {
    let mut fate = Fate::default();
    let Some(t) = NaiveTime::from_hms_opt(hour, minute, 0) else {
        return fate;
    };
    for day in transition_days(tz) {
        match tz.from_local_datetime(&day.and_time(t)) {
            chrono::LocalResult::None => fate.skipped = true,
            chrono::LocalResult::Ambiguous(..) => fate.repeated = true,
            chrono::LocalResult::Single(_) => {}
        }
    }
    fate
}

/// The local dates (2019 to 2030) on which `tz` changes its offset, found once per zone: a
/// change shows as a different offset at noon UTC from one day to the next.
fn transition_days(tz: Tz) -> Vec<NaiveDate> {
    use crate::hash::Map;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<Map<Tz, Vec<NaiveDate>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Map::default()));
    if let Some(days) = cache.lock().ok().and_then(|c| c.get(&tz).cloned()) {
        return days;
    }
    let mut days = Vec::new();
    if let (Some(mut day), Some(end)) = (
        NaiveDate::from_ymd_opt(2019, 1, 1),
        NaiveDate::from_ymd_opt(2030, 12, 31),
    ) {
        let offset = |d: NaiveDate| {
            d.and_hms_opt(12, 0, 0)
                .map(|n| tz.offset_from_utc_datetime(&n).fix().local_minus_utc())
        };
        let mut before = offset(day);
        while day < end {
            let Some(next) = day.succ_opt() else { break };
            let after = offset(next);
            if after != before {
                // The change happened between the two noons: on either local date.
                days.push(day);
                days.push(next);
            }
            before = after;
            day = next;
        }
    }
    if let Ok(mut c) = cache.lock() {
        c.insert(tz, days.clone());
    }
    days
}

use chrono::Offset;
