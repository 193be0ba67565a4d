//! `vigil audit [PATHS]... --timeline FILE [--from DATE] [--to DATE]
//! [--format text|json|csv|markdown|html|svg] [--redact KEYFILE]`: every duty of a period,
//! what became of it, counted every way (docs/audit.md).

use vigil::audit::{Audit, Period, Streamed};
use vigil::rules::RuleSet;
use vigil::time::Instant;
use vigil::timeline::Timeline;

use super::eval::{self, Args};
use super::{AuditFormat, Exit};

/// The period as the command line gives it: `--from` and `--to`, each a local date (the
/// whole day, in the framework's zone) or an instant with its offset.
pub struct Bounds<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// Check the rules, read the timeline, evaluate at the period's end, print the audit; exit 3
/// if a duty of the period went past its due time undone.
pub fn run(args: &Args<'_>, bounds: &Bounds<'_>, format: AuditFormat) -> Exit {
    match audit(args, bounds, format) {
        Ok(exit) | Err(exit) => exit,
    }
}

fn audit(args: &Args<'_>, bounds: &Bounds<'_>, format: AuditFormat) -> Result<Exit, Exit> {
    let versions = eval::versions(args)?;
    let latest = versions.in_force(Instant::MAX_UTC);
    // A bad date is a usage error before the timeline is read, whatever the timeline holds.
    for (text, end) in [(bounds.from, false), (bounds.to, true)] {
        if let Some(Err(message)) = text.map(|t| bound(t, latest, end)) {
            args.say().error("usage", &message);
            return Err(Exit::Usage);
        }
    }
    // An NDJSON log on disk is read as a stream that drops visits as they go as planned; it
    // needs the period's end, if the command line gives it (a bad one is reported below).
    let until = bounds.to.and_then(|t| bound(t, latest, true).ok());
    let log = match eval::stream_audit(args, &versions, until) {
        Some(log) => log,
        None => Streamed::whole(eval::timelines_whole(args, &versions)?),
    };
    let span = (log.first, log.last);
    let both = versions.timeline(log.readings).ok_or(Exit::Usage)?;
    let period = period(args, bounds, latest, both.readings().first(), span)?;
    // The period's own rules: those in force in its last second. A period of whole days ends
    // at midnight, when a new version may come into force; that version judges the next
    // period, not this one (found by a docs-only tester: the old version's last day was
    // grouped by review cycles only the new version has).
    let last = period
        .to
        .checked_sub_signed(chrono::TimeDelta::seconds(1))
        .filter(|t| *t >= period.from)
        .unwrap_or(period.to);
    let rs = versions.in_force(last);
    let file = args.timeline.display().to_string();
    eval::within_watch_limit(args.say(), &file, &versions, &both, period.to)?;
    let mut decision = versions.evaluate(&both, period.to);
    // As for eval: what the decision quotes from the rules names people too (found by a
    // docs-only tester: a consent record's person in the audit's JSON and CSV).
    if let Some(key) = args.redact {
        for version in versions.all() {
            eval::redact_notes(&mut decision, version, key);
        }
    }
    // The audit holds all it prints: the log goes once the audit has read it, before the
    // duties' lines are made, and the decision before the output is made.
    let audit = Audit::of_owned(decision, both.into_readings(), log.dropped, rs, period);
    if format == AuditFormat::Json {
        // Written as it is made: four years' audit is tens of megabytes of JSON, which need
        // not be held beside the audit it is made from.
        json_out(args, &audit)?;
    } else {
        eval::write(args, &render(&audit, rs, format))?;
    }
    Ok(if audit.totals.breaches() > 0 {
        Exit::Overdue
    } else {
        Exit::Ok
    })
}

/// The audit as JSON on standard output, written as it is made; a reader that stops reading
/// ends it quietly, as for every output.
fn json_out(args: &Args<'_>, a: &Audit) -> Result<(), Exit> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, a)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            args.say().write_failed("the audit", &e);
            Err(Exit::Usage)
        }
    }
}

fn render(a: &Audit, rs: &RuleSet, format: AuditFormat) -> String {
    use vigil::render::audit;
    match format {
        AuditFormat::Text => audit::text(a, rs),
        AuditFormat::Json => {
            let mut s = serde_json::to_string_pretty(a).unwrap_or_default();
            s.push('\n');
            s
        }
        AuditFormat::Csv => audit::csv(a),
        AuditFormat::Markdown => audit::markdown(a, rs),
        AuditFormat::Html => audit::html(a, rs),
        AuditFormat::Svg => vigil::render::svg::weekly_chart(a),
    }
}

/// The period: `--from` (default: the timeline's `from`, else its first event) up to the end
/// of `--to` (default: the timeline's `as_of`, else just after its last event). Dates are
/// whole local days in the framework's zone (`rs`, the latest version's). The header is the
/// same in every reading; `first` and `last` are the log's first and last events' instants
/// (under versions side by side its events may be spread over the readings, and a stream
/// may have dropped some).
fn period(
    args: &Args<'_>,
    bounds: &Bounds<'_>,
    rs: &RuleSet,
    header: Option<&Timeline>,
    (first, last): (Option<Instant>, Option<Instant>),
) -> Result<Period, Exit> {
    let usage = |message: String| {
        args.say().error("usage", &message);
        Exit::Usage
    };
    let from = match bounds.from {
        Some(text) => bound(text, rs, false).map_err(usage)?,
        None => header
            .and_then(|t| t.from)
            .or(first)
            .ok_or_else(|| usage("the timeline has no events and no `from`: give --from".into()))?,
    };
    let to = match bounds.to {
        Some(text) => bound(text, rs, true).map_err(usage)?,
        None => header
            .and_then(|t| t.as_of)
            .or_else(|| last.map(|t| t + chrono::Duration::seconds(1)))
            .ok_or_else(|| usage("the timeline has no events and no `as_of`: give --to".into()))?,
    };
    if to <= from {
        // How a date is read is said only when one was given (found by a docs-only tester:
        // two instants were told of midnights).
        let is_date = |t: Option<&str>| {
            t.is_some_and(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok())
        };
        let dates = if is_date(bounds.from) || is_date(bounds.to) {
            " (--from DATE starts at that day's midnight; --to DATE ends at the next, so the day is included)"
        } else {
            ""
        };
        // Said as it is: a period that ends before it starts is reversed, not empty (found by
        // a docs-only tester).
        let what = if to < from {
            "the period ends before it starts"
        } else {
            "the period is empty"
        };
        return Err(usage(format!(
            "{what}: it starts at {} and ends at {}{dates}; give a --to after --from",
            vigil::time::utc(&from),
            vigil::time::utc(&to)
        )));
    }
    Ok(Period { from, to })
}

/// A bound of the period: a local date (its midnight; for the end, the next midnight, so
/// the date is included) or an instant with its offset.
fn bound(text: &str, rs: &RuleSet, end: bool) -> Result<Instant, String> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if !vigil::time::YEARS.contains(&chrono::Datelike::year(&date)) {
            return Err(format!(
                "`{text}` is outside the years Vigil reads ({} to {})",
                vigil::time::YEARS.start(),
                vigil::time::YEARS.end()
            ));
        }
        let date = if end {
            date.succ_opt()
                .ok_or_else(|| format!("`{text}` is past the last date Vigil reads"))?
        } else {
            date
        };
        return Ok(rs.civil().at(date, 0, 0));
    }
    // Read as its whole second, as the audit counts it, before the period is judged empty or
    // reversed (found by a docs-only tester: 10:20:00 to 10:20:00.5 passed as a period, and
    // was printed as 10:20 to 10:20).
    let parsed = chrono::DateTime::parse_from_rfc3339(text).ok();
    // A 60th second is refused, as in a timeline and for --at, not read as the 59th.
    if parsed.is_some_and(|t| chrono::Timelike::nanosecond(&t) >= 1_000_000_000) {
        return Err(format!(
            "`{text}` has a 60th second, which UTC instants here never have: give the next minute's first second"
        ));
    }
    parsed
        .filter(|t| vigil::time::YEARS.contains(&chrono::Datelike::year(t)))
        .map(|t| t.with_timezone(&chrono::Utc))
        .map(|t| chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t))
        .ok_or_else(|| {
            format!(
                "`{text}` is neither a date (`2027-01-04`) nor an instant with its offset (`2027-01-04T00:00:00Z`)"
            )
        })
}
