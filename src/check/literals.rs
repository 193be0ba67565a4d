//! Judging literals: durations, counts, clock times and dates.

use super::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{ClockTime, DateLit, DurationLit, IntLit};

/// The largest count accepted (attempts, repeats, thresholds).
pub const MAX_COUNT: u64 = 1_000;

/// Seconds in a duration literal, or a finding.
pub fn duration(
    lit: &DurationLit,
    file: usize,
    what: &str,
    limits: &crate::limits::Limits,
) -> Result<u64, Diagnostic> {
    let span = lit.span;
    let written = format!(
        "{}{}{}",
        if lit.negative { "-" } else { "" },
        lit.digits,
        unit_suffix(lit)
    );
    if lit.negative {
        return Err(Diagnostic::new(
            Code::NegativeDuration,
            file,
            span,
            format!("{what} `{written}` is negative"),
            "negative duration",
            "durations count forward from their anchor; write a positive amount such as `15m`",
        ));
    }
    let amount = lit.digits.parse::<u64>().ok();
    let secs = amount.and_then(|n| n.checked_mul(lit.unit.seconds()));
    match secs {
        Some(0) => Err(Diagnostic::new(
            Code::ZeroDuration,
            file,
            span,
            format!("{what} `{written}` is zero"),
            "zero duration",
            "a deadline of zero is already overdue when the rule fires; use `immediately` or a real amount such as `5m`",
        )),
        Some(s) if s <= limits.deadline_secs() => Ok(s),
        _ => {
            // The flag is offered only where it can help: past its own ceiling it cannot.
            let ceiling = u64::from(crate::limits::Limits::DEADLINE_CEILING_DAYS) * 86_400;
            let raise = if secs.is_some_and(|s| s <= ceiling) {
                "; if it is meant, raise the limit with --max-deadline-days".to_string()
            } else {
                format!(
                    "; no deadline may be longer than {} days",
                    crate::limits::Limits::DEADLINE_CEILING_DAYS
                )
            };
            Err(Diagnostic::new(
                Code::AbsurdValue,
                file,
                span,
                format!(
                    "{what} `{written}` is longer than {} days",
                    limits.deadline_days()
                ),
                "too long",
                format!("escalation deadlines are minutes, hours or days; check the number and its unit (`s`, `m`, `h`, `d`){raise}"),
            ))
        }
    }
}

/// Seconds in a late threshold: like [`duration`], but zero is allowed (`late 0m`: late from
/// the planned time itself, the convention of some call-monitoring systems).
pub fn late_threshold(
    lit: &DurationLit,
    file: usize,
    what: &str,
    limits: &crate::limits::Limits,
) -> Result<u64, Diagnostic> {
    if !lit.negative && lit.digits.parse::<u64>() == Ok(0) {
        return Ok(0);
    }
    duration(lit, file, what, limits)
}

fn unit_suffix(lit: &DurationLit) -> &'static str {
    lit.unit.suffix()
}

/// A count between 1 and [`MAX_COUNT`], or a finding.
pub fn count(lit: &IntLit, file: usize, what: &str) -> Result<u32, Diagnostic> {
    match lit.digits.parse::<u64>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        _ => Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            lit.span,
            format!("{what} `{}` is not between 1 and {MAX_COUNT}", lit.digits),
            "out of range",
            format!("write a whole number from 1 to {MAX_COUNT}"),
        )),
    }
}

/// The carers a visit needs, from 1 to [`crate::vocab::MAX_STAFF`] as a timeline's `staff:`
/// allows (so that a timeline can always confirm the visit fully staffed), or a finding.
pub fn staff(lit: &IntLit, file: usize) -> Result<u32, Diagnostic> {
    let max = crate::vocab::MAX_STAFF;
    match lit.digits.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            lit.span,
            format!(
                "the number of carers `{}` is not between 1 and {max}",
                lit.digits
            ),
            "out of range",
            format!("write a whole number from 1 to {max}, as a timeline's `staff:` may say"),
        )),
    }
}

/// A valid local time as (hour, minute), or a finding.
pub fn clock(t: &ClockTime, file: usize) -> Result<(u32, u32), Diagnostic> {
    if t.hour < 24 && t.minute < 60 {
        Ok((t.hour, t.minute))
    } else {
        Err(Diagnostic::new(
            Code::InvalidTime,
            file,
            t.span,
            format!("`{:02}:{:02}` is not a time of day", t.hour, t.minute),
            "no such time",
            "times run from `00:00` to `23:59`; midnight at the end of a day is `00:00`",
        ))
    }
}

/// A valid calendar date, or a finding.
pub fn date(d: &DateLit, file: usize) -> Result<chrono::NaiveDate, Diagnostic> {
    let years = crate::time::YEARS;
    if !years.contains(&d.year) {
        return Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            d.span,
            format!(
                "the year {:04} is outside the years Vigil reads ({} to {})",
                d.year,
                years.start(),
                years.end()
            ),
            "year",
            "a blank or default date? write the real date as `YYYY-MM-DD`",
        ));
    }
    chrono::NaiveDate::from_ymd_opt(d.year, d.month, d.day).ok_or_else(|| {
        Diagnostic::new(
            Code::InvalidTime,
            file,
            d.span,
            format!("`{:04}-{:02}-{:02}` is not a date", d.year, d.month, d.day),
            "no such date",
            "write a real date as `YYYY-MM-DD`",
        )
    })
}
