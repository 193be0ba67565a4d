//! Calendars: weekly windows in local wall time, bank-holiday rules, and when they change.
//!
//! An occurrence of a window is the interval from the instant of its start wall time to the
//! instant of its end wall time ([`Civil::at_local`] for both), so membership and the instants
//! at which membership changes come from one definition. An occurrence belongs to the date it
//! starts on: `except bank_holidays` removes the occurrences that start on a bank holiday, and
//! `bank_holidays all day` adds every bank holiday from midnight to midnight.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use super::{Civil, Instant};

const DAY_MINUTES: u32 = 1440;

/// The days of the week, Monday first, as messages name them.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// A weekly window in local wall time, as minutes from Monday 00:00. `end` may exceed a week
/// (a window from Sunday into Monday); `end > start` always.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    /// Start, minutes from Monday 00:00 local.
    pub start: u32,
    /// End (exclusive), minutes from Monday 00:00 local.
    pub end: u32,
}

/// What a calendar does on bank holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BankHolidays {
    /// Bank holidays are treated like any other day.
    #[default]
    AsUsual,
    /// Closed all day on bank holidays.
    Closed,
    /// Open all day on bank holidays.
    AllDay,
}

/// A calendar of weekly windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDef {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// Windows.
    pub windows: Vec<WeeklyWindow>,
    /// Bank-holiday behaviour.
    pub bank_holidays: BankHolidays,
}

const WEEK_MINUTES: u32 = 7 * DAY_MINUTES;

impl CalendarDef {
    /// The longest stretch its weekly windows leave it closed, in wall-clock minutes, and
    /// where that stretch starts (minutes from Monday 00:00): `(WEEK, 0)` for a calendar with
    /// no windows, `(0, 0)` for one always open. A bank holiday it is closed on, or the night
    /// the clocks go back, can make a real stretch longer (by a day, or an hour).
    ///
    /// ```
    /// use vigil::time::{BankHolidays, CalendarDef, WeeklyWindow};
    /// // daily 17:00-22:00: closed from 22:00 to 17:00 the next day, 19 hours.
    /// let windows = (0..7).map(|d| WeeklyWindow { start: d * 1440 + 1020, end: d * 1440 + 1320 }).collect();
    /// let evening = CalendarDef { name: "evening".into(), display: "Evening".into(), windows, bank_holidays: BankHolidays::AsUsual };
    /// assert_eq!(evening.longest_closed_minutes(), (19 * 60, 1320));
    /// ```
    pub fn longest_closed_minutes(&self) -> (u32, u32) {
        let week = WEEK_MINUTES as usize;
        let mut open = vec![false; week];
        for w in &self.windows {
            for m in w.start..w.end.min(w.start + WEEK_MINUTES) {
                if let Some(slot) = open.get_mut(m as usize % week) {
                    *slot = true;
                }
            }
        }
        // Start the walk just after an open minute, so a stretch across the week's end is
        // counted whole.
        let Some(first_open) = open.iter().position(|o| *o) else {
            return (WEEK_MINUTES, 0);
        };
        let (mut best, mut best_at, mut run, mut run_at) = (0u32, 0u32, 0u32, 0u32);
        for k in 1..=week {
            let m = (first_open + k) % week;
            if open.get(m).copied().unwrap_or(true) {
                run = 0;
            } else {
                if run == 0 {
                    run_at = u32::try_from(m).unwrap_or(0);
                }
                run += 1;
                if run > best {
                    (best, best_at) = (run, run_at);
                }
            }
        }
        (best, best_at)
    }
}

impl Civil<'_> {
    /// Why `t` is outside `cal`, in words: the bank holiday it is closed for ("Early May bank
    /// holiday"), a day it has no hours ("Saturday"), or the side of that day's hours `t`
    /// falls on ("before 08:00", "after 18:00").
    ///
    /// ```
    /// use vigil::time::{BankHolidays, CalendarDef, Civil, Holidays, WeeklyWindow};
    /// let h = Holidays::embedded("england-and-wales").unwrap();
    /// let civil = Civil::new(chrono_tz::Europe::London, &h);
    /// // Mon-Fri 08:00-18:00, closed on bank holidays.
    /// let windows = (0..5).map(|d| WeeklyWindow { start: d * 1440 + 480, end: d * 1440 + 1080 }).collect();
    /// let office = CalendarDef { name: "office_hours".into(), display: "Office hours".into(), windows, bank_holidays: BankHolidays::Closed };
    /// let t = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    /// assert_eq!(civil.outside_reason(&office, t("2026-05-04T10:00:00Z")), "Early May bank holiday");
    /// assert_eq!(civil.outside_reason(&office, t("2026-05-09T10:00:00Z")), "Saturday");
    /// assert_eq!(civil.outside_reason(&office, t("2026-05-05T17:30:00Z")), "after 18:00");
    /// assert_eq!(civil.outside_reason(&office, t("2026-05-05T06:30:00Z")), "before 08:00");
    /// ```
    pub fn outside_reason(&self, cal: &CalendarDef, t: Instant) -> String {
        let date = self.local_date(t);
        if cal.bank_holidays == BankHolidays::Closed && self.is_bank_holiday(date) {
            return self
                .holidays()
                .title(date)
                .map_or_else(|| "a bank holiday".to_string(), str::to_string);
        }
        let weekday = date.weekday().num_days_from_monday();
        let today: Vec<&WeeklyWindow> = cal
            .windows
            .iter()
            .filter(|w| w.start / DAY_MINUTES == weekday)
            .collect();
        let hm = |m: u32| format!("{:02}:{:02}", (m % DAY_MINUTES) / 60, m % 60);
        let local = self.local(t);
        let now = weekday * DAY_MINUTES + local.hour() * 60 + local.minute();
        let first = today.iter().map(|w| w.start).min();
        let last = today.iter().filter(|w| w.end <= now).map(|w| w.end).max();
        match (first, last) {
            (None, _) => WEEKDAYS
                .get(weekday as usize)
                .copied()
                .unwrap_or("")
                .to_string(),
            (Some(f), _) if now < f => format!("before {}", hm(f)),
            (_, Some(l)) => format!("after {}", hm(l)),
            (Some(f), None) => format!("outside its hours from {}", hm(f)),
        }
    }

    /// The instants `[start, end)` of the occurrence of `w` that starts on `date`, if `w` starts
    /// on that weekday.
    pub(super) fn occurrence(
        &self,
        w: &WeeklyWindow,
        date: NaiveDate,
    ) -> Option<(Instant, Instant)> {
        let weekday = date.weekday().num_days_from_monday();
        if w.start / DAY_MINUTES != weekday {
            return None;
        }
        let start_min = w.start % DAY_MINUTES;
        let start_wall: NaiveDateTime = date.and_hms_opt(start_min / 60, start_min % 60, 0)?;
        let end_wall = start_wall + Duration::minutes(i64::from(w.end - w.start));
        Some((self.at_local(start_wall), self.at_local(end_wall)))
    }

    /// True if `t` falls in one of `windows` (bank holidays play no part).
    pub fn in_windows(&self, windows: &[WeeklyWindow], t: Instant) -> bool {
        self.in_windows_except(windows, t, |_| false)
    }

    fn in_windows_except(
        &self,
        windows: &[WeeklyWindow],
        t: Instant,
        skip_date: impl Fn(NaiveDate) -> bool,
    ) -> bool {
        let today = self.local_date(t);
        // An occurrence containing `t` started at most as many days back as the longest
        // window lasts (a day more for a clock change at the edge); a week at the most.
        let longest = windows
            .iter()
            .map(|w| (w.end - w.start) / DAY_MINUTES)
            .max()
            .unwrap_or(0);
        let reach = i64::from(longest.min(7)) + 1;
        (0..=reach).any(|back| {
            let Some(date) = today.checked_sub_signed(Duration::days(back)) else {
                return false;
            };
            !skip_date(date)
                && windows.iter().any(|w| {
                    self.occurrence(w, date)
                        .is_some_and(|(start, end)| start <= t && t < end)
                })
        })
    }

    /// True if `t` falls inside the calendar.
    pub fn in_calendar(&self, cal: &CalendarDef, t: Instant) -> bool {
        match cal.bank_holidays {
            BankHolidays::AsUsual => self.in_windows(&cal.windows, t),
            BankHolidays::Closed => {
                self.in_windows_except(&cal.windows, t, |d| self.is_bank_holiday(d))
            }
            BankHolidays::AllDay => {
                self.is_bank_holiday(self.local_date(t)) || self.in_windows(&cal.windows, t)
            }
        }
    }

    /// The first instant after `t` at which `in_calendar` changes, searched up to a year ahead
    /// (`None` for a calendar that never changes in that time).
    pub fn calendar_next_change(&self, cal: &CalendarDef, t: Instant) -> Option<Instant> {
        self.next_change_by(
            t,
            |c| self.in_calendar(cal, c),
            |date, out| {
                for w in &cal.windows {
                    if let Some((s, e)) = self.occurrence(w, date) {
                        out.push(s);
                        out.push(e);
                    }
                }
                if cal.bank_holidays != BankHolidays::AsUsual {
                    out.push(self.at(date, 0, 0));
                }
            },
        )
    }

    /// Walk candidate boundaries (gathered per local date by `boundaries`) in time order and
    /// return the first at which `state` differs from `state(t)`: every change happens at a
    /// boundary, so the first differing boundary is the first change.
    fn next_change_by(
        &self,
        t: Instant,
        state: impl Fn(Instant) -> bool,
        boundaries: impl Fn(NaiveDate, &mut Vec<Instant>),
    ) -> Option<Instant> {
        let now = state(t);
        let today = self.local_date(t);
        let mut candidates = Vec::new();
        // Week by week, so the usual answer (within a day or two) is found cheaply.
        for week in 0..53i64 {
            candidates.clear();
            let from = if week == 0 { -8 } else { week * 7 - 7 };
            for offset in from..(week * 7 + 7) {
                if let Some(date) = today.checked_add_signed(Duration::days(offset)) {
                    boundaries(date, &mut candidates);
                }
            }
            candidates.retain(|c| *c > t);
            candidates.sort_unstable();
            candidates.dedup();
            if let Some(c) = candidates.iter().find(|c| state(**c) != now) {
                return Some(*c);
            }
        }
        None
    }
}
