//! Working-time clocks in the checker: reading `within D of CALENDAR`, refusing a calendar
//! that is never open, and the worst cases of `within N working days` and of calendar clocks
//! for floors, parity and refinements ([`super::worst`]).
//!
//! The worst cases are found by scanning real dates over the years the bank-holiday data
//! covers, not by a formula: the longest wait is made of weekends, bank holidays and clock
//! changes together (Christmas and a substitute Boxing Day after a weekend), and a scan sees
//! exactly what the evaluator will. A scan costs a few milliseconds, so each answer is kept
//! for the life of the process: checking the same framework again (a host, the benchmark)
//! pays for it once.

use crate::hash::Map;
use std::sync::{Mutex, OnceLock};

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::Ctx;
use crate::rules::CalendarId;
use crate::syntax::ast::{DurationLit, Ident, IntLit};
use crate::time::{
    after_in_spans, BankHolidays, CalendarDef, Civil, Holidays, Instant, CALENDAR_SEARCH_DAYS,
};
use crate::vocab::EventKind;

/// What the worst case needs of the framework's time: its zone, bank-holiday division and
/// calendars.
#[derive(Debug, Clone, Copy)]
pub struct Clocks<'a> {
    /// Time zone.
    pub tz: Tz,
    /// Bank-holiday division (data name).
    pub division: &'a str,
    /// Calendars, by [`CalendarId`].
    pub calendars: &'a [CalendarDef],
}

impl<'a> Clocks<'a> {
    /// The framework's clocks.
    pub fn of(fw: &'a FrameworkScope<'_>) -> Self {
        Clocks {
            tz: fw.timezone,
            division: &fw.division,
            calendars: &fw.calendar_defs,
        }
    }

    /// The longest real time `within N working days` can take, in seconds.
    pub fn working_days(&self, days: u32) -> u64 {
        let key = (self.tz, self.division.to_string(), days);
        cached(&WORKING, key, || {
            with_civil(self.tz, self.division, |c, (from, to)| {
                worst_working_days(&c, from, to, days)
            })
        })
    }

    /// The longest real time `within D of CALENDAR` can take, in seconds; `None` when some
    /// start in the covered years finds no due time (the evaluator gives none there either).
    pub fn in_calendar(&self, calendar: CalendarId, secs: u64) -> Option<u64> {
        let cal = self.calendars.get(calendar.index())?;
        let windows: Vec<(u32, u32)> = cal.windows.iter().map(|w| (w.start, w.end)).collect();
        let key = (
            self.tz,
            self.division.to_string(),
            windows,
            cal.bank_holidays as u8,
            secs,
        );
        cached(&CALENDAR, key, || {
            with_civil(self.tz, self.division, |c, (from, to)| {
                worst_in_calendar(&c, cal, from, to, secs)
            })
        })
    }
}

type Cache<K, V> = OnceLock<Mutex<Map<K, V>>>;
type CalendarKey = (Tz, String, Vec<(u32, u32)>, u8, u64);
static WORKING: Cache<(Tz, String, u32), u64> = OnceLock::new();
static CALENDAR: Cache<CalendarKey, Option<u64>> = OnceLock::new();

fn cached<K: std::hash::Hash + Eq, V: Clone>(
    cache: &Cache<K, V>,
    key: K,
    work: impl FnOnce() -> V,
) -> V {
    let map = cache.get_or_init(|| Mutex::new(Map::default()));
    if let Some(v) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return v;
    }
    let v = work();
    if let Ok(mut m) = map.lock() {
        m.insert(key, v.clone());
    }
    v
}

/// Civil time for the division's embedded bank holidays, and the dates they cover (the first
/// to the last of their years; 2019 to 2027 with no data at all, so a scan is never empty).
fn with_civil<T>(
    tz: Tz,
    division: &str,
    work: impl FnOnce(Civil<'_>, (NaiveDate, NaiveDate)) -> T,
) -> T {
    use chrono::Datelike;
    let holidays = Holidays::embedded(division).unwrap_or_else(|_| Holidays::none());
    let year = |d: Option<NaiveDate>, or: i32| d.map_or(or, |d| d.year());
    let from = NaiveDate::from_ymd_opt(year(holidays.first_date(), 2019), 1, 1);
    let to = NaiveDate::from_ymd_opt(year(holidays.last_date(), 2027), 12, 31);
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    work(Civil::new(tz, &holidays), (from, to))
}

/// Every start date from `from` to `to`: a start on a working day takes the same real time
/// whatever its wall time, except across a clock change at that wall time, so 00:00, 03:00
/// and 12:00 are tried; a start on a day off is worst at its 00:00, since it runs to a fixed
/// end.
fn worst_working_days(c: &Civil<'_>, from: NaiveDate, to: NaiveDate, days: u32) -> u64 {
    let mut worst = 0i64;
    let mut date = from;
    while date <= to {
        for hour in [0, 3, 12] {
            let t = c.at(date, hour, 0);
            worst = worst.max((c.after_working_days(t, days) - t).num_seconds());
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    u64::try_from(worst).unwrap_or(0)
}

/// The worst start of a calendar clock is the instant the calendar closes: any earlier start
/// inside the open time reaches its due time sooner, and any later start before it opens
/// again has the same due time. So each closing instant in the covered years is tried.
fn worst_in_calendar(
    c: &Civil<'_>,
    cal: &CalendarDef,
    from: NaiveDate,
    to: NaiveDate,
    secs: u64,
) -> Option<u64> {
    let before = from.checked_sub_signed(Duration::days(8))?;
    let after = to.checked_add_signed(Duration::days(CALENDAR_SEARCH_DAYS))?;
    let spans = c.open_spans(cal, before, after);
    let (first, last) = (c.at(from, 0, 0), c.end_of_day(c.at(to, 12, 0)));
    let closes: Vec<Instant> = spans
        .iter()
        .map(|(_, e)| *e)
        .filter(|e| *e >= first && *e < last)
        .collect();
    if spans.is_empty() {
        return None;
    }
    if closes.is_empty() {
        // Open all the time: only the duration itself.
        return Some(secs);
    }
    let mut worst = 0i64;
    for close in closes {
        let due = after_in_spans(&spans, close, secs)?;
        worst = worst.max((due - close).num_seconds());
    }
    u64::try_from(worst).ok()
}

/// What a name after `within D of` is, when it names a calendar: `None` when it does not
/// (it is a step, an event or `trigger`, read as before); `Some(None)` when a finding was
/// reported (the name is also a step or an event, or the calendar is never open).
pub fn calendar_anchor(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    anchor: Option<&Ident>,
    steps: &[&str],
) -> Option<Option<CalendarId>> {
    let a = anchor?;
    let cal = fw.calendars.get(&a.name)?;
    let also = if steps.contains(&a.name.as_str()) {
        Some("a step of this pathway")
    } else if EventKind::from_name(&a.name).is_some() {
        Some("a timeline event")
    } else if a.name == "trigger" {
        Some("the trigger")
    } else {
        None
    };
    if let Some(what) = also {
        let mut d = Diagnostic::new(
            Code::Duplicate,
            file,
            a.span,
            format!(
                "`{}` names both a calendar and {what}, so the deadline could count either",
                a.name
            ),
            "which one?",
            "rename the calendar or the step, so that `of` names only one of them",
        );
        if let Some((f, s)) = fw.calendars.declared_at(cal) {
            d = d.with(f, s, "the calendar");
        }
        cx.report(d);
        return Some(None);
    }
    if never_open(fw, cal) {
        let mut d = Diagnostic::new(
            Code::CalendarNeverOpen,
            file,
            a.span,
            format!("calendar `{}` is never open, so a deadline counted in its open time never falls due", a.name),
            "never open",
            "give the calendar some hours, or count the deadline in real time (`within 24h`)",
        );
        if let Some((f, s)) = fw.calendars.declared_at(cal) {
            d = d.with(f, s, "the calendar");
        }
        cx.report(d);
        return Some(None);
    }
    Some(Some(cal))
}

/// A deadline counted in a calendar's open time must fall due from every start: one the
/// calendar is not open long enough for, within [`CALENDAR_SEARCH_DAYS`] days of some start in
/// the years the bank-holiday data covers, is reported (the evaluator would find no due time).
pub fn open_long_enough(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    (lit, anchor): (&DurationLit, &Ident),
    cal: CalendarId,
    secs: u64,
) -> bool {
    if Clocks::of(fw).in_calendar(cal, secs).is_some() {
        return true;
    }
    let written = format!("{}{}", lit.digits, lit.unit.suffix());
    let mut d = Diagnostic::new(
        Code::CalendarTooShort,
        file,
        lit.span,
        format!(
            "the deadline counts `{written}` of the time calendar `{}` is open, more than it is open in {CALENDAR_SEARCH_DAYS} days after some starts: from them it would never fall due",
            anchor.name
        ),
        "more open time than the calendar gives",
        format!(
            "count fewer hours in `{}`, give it more hours, or count the deadline in real time (`within 7d`)",
            anchor.name
        ),
    );
    if let Some((f, s)) = fw.calendars.declared_at(cal) {
        d = d.with(f, s, "the calendar");
    }
    cx.report(d);
    false
}

/// A calendar with a window is open every week that window's day is not a bank holiday, and
/// no weekday is a bank holiday every week; one with no window is open only on bank holidays,
/// and only if it says `bank_holidays all day` and the division has some.
fn never_open(fw: &FrameworkScope<'_>, cal: CalendarId) -> bool {
    let Some(def) = fw.calendar_defs.get(cal.index()) else {
        return true;
    };
    def.windows.is_empty()
        && (def.bank_holidays != BankHolidays::AllDay
            || Holidays::embedded(&fw.division).map_or(true, |h| h.first_date().is_none()))
}

/// The most working days a deadline may count: twelve weeks of them stay within the 90 days
/// any deadline may last.
pub const MAX_WORKING_DAYS: u32 = 60;

/// The number in `within N working days`, or a finding: zero is already overdue (E008), more
/// than [`MAX_WORKING_DAYS`] is not a real escalation deadline (E010).
pub fn working_days(lit: &IntLit, file: usize) -> Result<u32, Diagnostic> {
    let n = lit.digits.parse::<u32>().ok();
    match n {
        Some(0) => Err(Diagnostic::new(
            Code::ZeroDuration,
            file,
            lit.span,
            "the deadline `within 0 working days` is zero",
            "zero duration",
            "a deadline of zero is already overdue when the rule fires; use `immediately` or `within 1 working day`",
        )),
        Some(n) if n <= MAX_WORKING_DAYS => Ok(n),
        _ => Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            lit.span,
            format!(
                "the deadline `within {} working days` is longer than {MAX_WORKING_DAYS} working days",
                lit.digits
            ),
            "too long",
            format!("write a number of working days from 1 to {MAX_WORKING_DAYS}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::rules::Id;
    use crate::time::WeeklyWindow;

    const DAY: u64 = 86_400;

    fn office(from: u32, to: u32) -> CalendarDef {
        CalendarDef {
            name: "office_hours".into(),
            display: "Office hours".into(),
            windows: (0..5)
                .map(|d| WeeklyWindow {
                    start: d * 1440 + from * 60,
                    end: d * 1440 + to * 60,
                })
                .collect(),
            bank_holidays: BankHolidays::Closed,
        }
    }

    #[test]
    fn working_days_worst_is_the_easter_and_christmas_weekends() {
        let cals = [];
        let clocks = Clocks {
            tz: chrono_tz::Europe::London,
            division: "england-and-wales",
            calendars: &cals,
        };
        // Thursday before Good Friday to the Tuesday after Easter Monday; Christmas Eve on a
        // Thursday to the Tuesday after the substitute Boxing Day.
        assert_eq!(clocks.working_days(1), 5 * DAY);
        assert_eq!(clocks.working_days(2), 6 * DAY);
    }

    #[test]
    fn calendar_worst_starts_at_a_close_before_a_long_weekend() {
        let cals = [office(9, 17)];
        let clocks = Clocks {
            tz: chrono_tz::Europe::London,
            division: "england-and-wales",
            calendars: &cals,
        };
        let id = CalendarId::from_index(0).unwrap();
        // 17:00 on the Thursday before Easter: 8h of office time runs to 17:00 on Tuesday.
        assert_eq!(clocks.in_calendar(id, 8 * 3600), Some(5 * DAY));
        // One hour: 17:00 Thursday to 10:00 Tuesday.
        assert_eq!(clocks.in_calendar(id, 3600), Some(4 * DAY + 17 * 3600));
    }
}
