//! Working-time clocks: deadlines that count only working days (`within 2 working days`) or
//! only while a calendar is open (`within 24h of office_hours`).
//!
//! A working day counts as one day on the local wall clock, whatever its real length, so a
//! day the clocks change on still counts as one. A calendar clock counts real elapsed time,
//! but only while the calendar is open: an hour of office hours is an hour, on the night the
//! clocks change as on any other.

use chrono::{Duration, NaiveDate};

use super::{BankHolidays, CalendarDef, Civil, Instant};

/// How far ahead a calendar clock looks for open time before giving up: a calendar that
/// opens for less than its duration in this long cannot be judged, and no due time is given.
pub const CALENDAR_SEARCH_DAYS: i64 = 400;

impl Civil<'_> {
    /// `within N working days` from `t`: on a working day, the same wall time `n` working
    /// days later; from a day that is not a working day, counting starts at 00:00 of the next
    /// working day, so it ends at the end (midnight) of the `n`th working day from there.
    /// The final wall time goes through [`Civil::at_local`], so the clock-change rules apply.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use vigil::time::{Civil, Holidays};
    /// let h = Holidays::embedded("england-and-wales").unwrap();
    /// let civil = Civil::new(chrono_tz::Europe::London, &h);
    /// // Thursday 24 December 2026, 10:00: Christmas Day, the weekend and the substitute
    /// // Boxing Day (Monday 28th) do not count, so one working day runs to Tuesday 29th.
    /// let t = Utc.with_ymd_and_hms(2026, 12, 24, 10, 0, 0).unwrap();
    /// assert_eq!(civil.local_rfc3339(civil.after_working_days(t, 1)), "2026-12-29T10:00:00+00:00");
    /// ```
    pub fn after_working_days(&self, t: Instant, n: u32) -> Instant {
        let start = self.local(t);
        let mut day = start.date();
        if self.is_working_day(day) {
            for _ in 0..n {
                day = self.next_working_day(day);
            }
            return self.at_local(day.and_time(start.time()));
        }
        // The first working day counts whole; `n - 1` more follow it.
        day = self.next_working_day(day);
        for _ in 1..n {
            day = self.next_working_day(day);
        }
        self.end_of(day)
    }

    /// `within D of CALENDAR` from `t`: the instant by which `secs` seconds of `cal`'s open
    /// time have passed since `t`. Started outside the calendar, the clock waits for it to
    /// open. `None` when the calendar is not open for that long within
    /// [`CALENDAR_SEARCH_DAYS`] days: the caller must not pretend to know a due time then.
    pub fn after_in_calendar(&self, cal: &CalendarDef, t: Instant, secs: u64) -> Option<Instant> {
        let limit = t.checked_add_signed(Duration::days(CALENDAR_SEARCH_DAYS))?;
        let mut left = i64::try_from(secs).ok()?;
        let mut now = t;
        // Each turn crosses one change of the calendar, so this ends within the limit.
        while now <= limit {
            let open = self.in_calendar(cal, now);
            let next = self.calendar_next_change(cal, now);
            match (open, next) {
                (true, Some(change)) => {
                    let span = (change - now).num_seconds();
                    if span >= left {
                        return now.checked_add_signed(Duration::seconds(left));
                    }
                    left -= span;
                    now = change;
                }
                // Open with no change for a year: open for longer than any deadline runs.
                (true, None) => return now.checked_add_signed(Duration::seconds(left)),
                (false, Some(change)) => now = change,
                (false, None) => return None,
            }
        }
        None
    }

    /// The instants `[open, close)` at which `cal` is open, for the occurrences starting on
    /// `from` to `to` (and bank holidays in that range, where the calendar is open all day on
    /// them), merged where they touch or overlap and in time order. The same definition as
    /// [`Civil::in_calendar`], listed once for a scan over years (the checker's worst case).
    pub fn open_spans(
        &self,
        cal: &CalendarDef,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(Instant, Instant)> {
        let mut spans = Vec::new();
        let mut date = from;
        while date <= to {
            let holiday = self.is_bank_holiday(date);
            if holiday && cal.bank_holidays == BankHolidays::AllDay {
                spans.push((self.at(date, 0, 0), self.end_of(date)));
            }
            if !(holiday && cal.bank_holidays == BankHolidays::Closed) {
                spans.extend(cal.windows.iter().filter_map(|w| self.occurrence(w, date)));
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        spans.sort_unstable();
        let mut merged: Vec<(Instant, Instant)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }
}

/// The instant by which `secs` seconds of open time have passed from `t`, over merged
/// `spans` in time order (see [`Civil::open_spans`]); `None` if the spans run out first.
pub fn after_in_spans(spans: &[(Instant, Instant)], t: Instant, secs: u64) -> Option<Instant> {
    let mut left = i64::try_from(secs).ok()?;
    let first = spans.partition_point(|(_, e)| *e <= t);
    for (s, e) in spans.get(first..)? {
        let from = (*s).max(t);
        let span = (*e - from).num_seconds();
        if span >= left {
            return from.checked_add_signed(Duration::seconds(left));
        }
        left -= span;
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::time::{Holidays, WeeklyWindow};
    use chrono::{TimeZone, Utc};

    fn at(c: &Civil<'_>, y: i32, m: u32, d: u32, h: u32, mi: u32) -> Instant {
        c.at(NaiveDate::from_ymd_opt(y, m, d).unwrap(), h, mi)
    }

    /// Mon-Fri 09:00-17:00, closed on bank holidays.
    fn office() -> CalendarDef {
        let windows = (0..5)
            .map(|d| WeeklyWindow {
                start: d * 1440 + 540,
                end: d * 1440 + 1020,
            })
            .collect();
        CalendarDef {
            name: "office_hours".into(),
            display: "Office hours".into(),
            windows,
            bank_holidays: BankHolidays::Closed,
        }
    }

    #[test]
    fn working_days_from_a_working_day_keep_the_wall_time() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        // Friday 27 November 2026, 17:30: Monday is the first, Tuesday the second.
        let t = at(&c, 2026, 11, 27, 17, 30);
        let due = c.after_working_days(t, 2);
        assert_eq!(c.local_rfc3339(due), "2026-12-01T17:30:00+00:00");
    }

    #[test]
    fn working_days_skip_christmas_and_the_substitute_boxing_day() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let t = at(&c, 2026, 12, 24, 10, 0);
        assert_eq!(
            c.local_rfc3339(c.after_working_days(t, 1)),
            "2026-12-29T10:00:00+00:00"
        );
    }

    #[test]
    fn working_days_from_a_day_off_end_at_midnight() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        // Saturday 28 November 2026: Monday 30 counts whole, so due at its end.
        let t = at(&c, 2026, 11, 28, 10, 0);
        assert_eq!(
            c.local_rfc3339(c.after_working_days(t, 1)),
            "2026-12-01T00:00:00+00:00"
        );
    }

    #[test]
    fn a_working_day_across_the_clock_change_is_one_wall_day() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        // Friday 23 October 2026 16:00 BST; the clocks go back on Sunday 25th.
        let t = at(&c, 2026, 10, 23, 16, 0);
        let due = c.after_working_days(t, 1);
        assert_eq!(c.local_rfc3339(due), "2026-10-26T16:00:00+00:00");
        assert_eq!((due - t).num_hours(), 73);
    }

    #[test]
    fn office_hours_clock_waits_over_the_weekend_and_the_clock_change() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let t = at(&c, 2026, 10, 23, 16, 0);
        let due = c.after_in_calendar(&office(), t, 8 * 3600).unwrap();
        assert_eq!(c.local_rfc3339(due), "2026-10-26T16:00:00+00:00");
    }

    #[test]
    fn office_hours_clock_skips_bank_holidays_and_starts_when_it_opens() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let t = at(&c, 2026, 12, 24, 15, 0);
        let due = c.after_in_calendar(&office(), t, 8 * 3600).unwrap();
        assert_eq!(c.local_rfc3339(due), "2026-12-29T15:00:00+00:00");
        // Started at 07:00, before the office opens: counting starts at 09:00.
        let early = at(&c, 2026, 11, 24, 7, 0);
        let due = c.after_in_calendar(&office(), early, 2 * 3600).unwrap();
        assert_eq!(c.local_rfc3339(due), "2026-11-24T11:00:00+00:00");
    }

    #[test]
    fn a_calendar_never_open_gives_no_due_time() {
        let h = Holidays::none();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let never = CalendarDef {
            windows: Vec::new(),
            bank_holidays: BankHolidays::AllDay,
            ..office()
        };
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        assert_eq!(c.after_in_calendar(&never, t, 3600), None);
    }

    #[test]
    fn spans_agree_with_the_walk() {
        let h = Holidays::embedded("england-and-wales").unwrap();
        let c = Civil::new(chrono_tz::Europe::London, &h);
        let from = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        let spans = c.open_spans(&office(), from, to);
        for (_, close) in spans.iter().take(60) {
            for secs in [3600, 8 * 3600, 24 * 3600] {
                assert_eq!(
                    after_in_spans(&spans, *close, secs),
                    c.after_in_calendar(&office(), *close, secs)
                );
            }
        }
    }
}
