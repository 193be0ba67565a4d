//! A decision as a duty manager reads it: by person, soonest first, local times, the role's
//! name and the one-line reason.

use std::fmt::Write;

use crate::eval::{Decision, Obligation, Status, VisitReport, VisitSource, VisitState};
use crate::rules::RuleSet;
use crate::time::Instant;
use crate::wording::shown;

/// `6 min`, `1 h 5 min`, `2 d 3 h`.
fn span_words(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => "under a minute".into(),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

fn local(rs: &RuleSet, t: Instant) -> String {
    rs.civil().short_local(t)
}

fn state(o: &Obligation, as_of: Instant) -> String {
    match o.status {
        Status::Overdue => format!("OVERDUE by {}", span_words(o.late_by_seconds.unwrap_or(0))),
        Status::Due => match o.due {
            Some(d) => format!("due in {}", span_words((d - as_of).num_seconds())),
            None => "due".into(),
        },
        Status::Upcoming => "upcoming".into(),
        Status::Open => "open, no deadline".into(),
        Status::Done => match o.outcome.as_deref() {
            Some(how) => format!("done ({})", how.replace('_', " ")),
            None => "done".into(),
        },
        Status::DoneLate => format!("done {} late", span_words(o.late_by_seconds.unwrap_or(0))),
        Status::Failed => {
            let how = o
                .outcome
                .as_deref()
                .map_or(String::new(), |x| format!(": {}", x.replace('_', " ")));
            match o.late_by_seconds {
                Some(l) => format!("failed{how} ({} late)", span_words(l)),
                None => format!("failed{how}"),
            }
        }
        Status::NotRequired => "not required".into(),
    }
}

/// One obligation's line: its state, a time, what to do and who.
fn row(out: &mut String, o: &Obligation, as_of: Instant, when: &str) {
    let _ = writeln!(
        out,
        "  {:<20} {:<20} {}  [{}]",
        state(o, as_of),
        when,
        shown(&o.summary),
        shown(&o.role_name)
    );
}

/// An indented note under an obligation's line.
fn note(out: &mut String, text: &str) {
    let _ = writeln!(out, "  {:<20} {:<20} {}", "", "", shown(text));
}

/// The decision as text. Obligations no longer required are named on one line, not listed.
pub fn decision(d: &Decision, rs: &RuleSet) -> String {
    render(d, rs, false)
}

/// The decision as an audit: every obligation's outcome, including those done late and those
/// no longer required, with the reason for each.
pub fn audit(d: &Decision, rs: &RuleSet) -> String {
    render(d, rs, true)
}

fn render(d: &Decision, rs: &RuleSet, audit: bool) -> String {
    let mut out = String::new();
    header(&mut out, d, rs);
    for person in persons(d) {
        person_block(&mut out, d, rs, person, audit);
    }
    footer(&mut out, d, rs);
    out
}

/// The framework, its version and the moment the decision is for, in the framework's zone.
fn header(out: &mut String, d: &Decision, rs: &RuleSet) {
    let zone = d.as_of.with_timezone(&rs.timezone).format("%Z");
    let _ = writeln!(
        out,
        "{} {}: as of {} ({zone})",
        shown(&d.ruleset.framework),
        shown(&d.ruleset.version),
        local(rs, d.as_of),
    );
}

/// Everyone with an obligation or a visit, once each, in order. Provider-wide obligations have
/// no person (an empty name), so their block comes first.
fn persons(d: &Decision) -> Vec<&str> {
    let mut persons: Vec<&str> = d.obligations.iter().map(|o| &*o.person).collect();
    persons.extend(d.visits.iter().map(|v| v.person.as_str()));
    persons.sort_unstable();
    persons.dedup();
    persons
}

/// One person's block: open obligations, then done, then no longer required, then visits.
fn person_block(out: &mut String, d: &Decision, rs: &RuleSet, person: &str, audit: bool) {
    let label = if person.is_empty() {
        "Provider-wide"
    } else {
        person
    };
    let _ = writeln!(out, "\n{}", shown(label));
    open_rows(out, d, rs, person);
    done_rows(out, d, rs, person, audit);
    dropped_rows(out, d, rs, person, audit);
    for v in d.visits.iter().filter(|v| v.person == person) {
        visit_row(out, rs, v);
    }
}

/// The person's obligations still to act on, each with its first reason.
fn open_rows(out: &mut String, d: &Decision, rs: &RuleSet, person: &str) {
    let mut open: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| &*o.person == person)
        .filter(|o| {
            matches!(
                o.status,
                Status::Overdue | Status::Due | Status::Open | Status::Upcoming
            )
        })
        .collect();
    // Overdue first, then by due time; no due time last, in ladder order (the decision's
    // order, which a stable sort keeps).
    open.sort_by(|a, b| {
        let key = |o: &Obligation| (o.status != Status::Overdue, o.due.is_none(), o.due);
        fn tie(o: &Obligation) -> Option<&str> {
            o.due.map(|_| o.id.as_str())
        }
        key(a).cmp(&key(b)).then_with(|| tie(a).cmp(&tie(b)))
    });
    for o in &open {
        let due = o.due.map_or("--:--".to_string(), |t| local(rs, t));
        row(out, o, d.as_of, &due);
        if let Some(reason) = o.because.first() {
            note(out, &format!("because {reason}"));
        }
        // A duty not yet started says what it waits for.
        if o.status == Status::Upcoming {
            if let Some(waits) = o.because.iter().find(|b| b.starts_with("waits for")) {
                note(out, waits);
            }
        }
    }
}

/// The person's obligations already done, at the time they were done; an audit adds when
/// each was due, to set beside it.
fn done_rows(out: &mut String, d: &Decision, rs: &RuleSet, person: &str, audit: bool) {
    let done: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| {
            &*o.person == person
                && matches!(o.status, Status::Done | Status::DoneLate | Status::Failed)
        })
        .collect();
    for o in &done {
        let at = o.done_at.map_or(String::new(), |t| local(rs, t));
        row(out, o, d.as_of, &at);
        if let (true, Some(due)) = (audit, o.due) {
            note(out, &format!("(due {})", local(rs, due)));
        }
    }
}

/// The person's obligations no longer required: an audit accounts for every obligation, so it
/// lists each with its reason; the everyday view names them (the first four) on one line.
fn dropped_rows(out: &mut String, d: &Decision, rs: &RuleSet, person: &str, audit: bool) {
    let dropped: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| &*o.person == person && o.status == Status::NotRequired)
        .collect();
    if audit {
        for o in &dropped {
            dropped_row(out, d, rs, o);
        }
    } else if !dropped.is_empty() {
        // Named, so a reader knows which duties lapsed; the audit gives the reasons.
        let mut names: Vec<&str> = dropped.iter().map(|o| &*o.summary).collect();
        let more = names.len().saturating_sub(4);
        names.truncate(4);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  (no longer required: {}{tail}; `--audit` says why)",
            names.join("; ")
        );
    }
}

/// One lapsed obligation in an audit: its line, how overdue it was, and why it lapsed.
fn dropped_row(out: &mut String, d: &Decision, rs: &RuleSet, o: &Obligation) {
    let due = o.due.map_or("--:--".to_string(), |t| local(rs, t));
    row(out, o, d.as_of, &due);
    let why = o
        .because
        .iter()
        .find(|b| b.starts_with("no longer") || b.starts_with("not required"));
    if let Some(late) = o.late_by_seconds {
        note(
            out,
            &format!("was overdue by {} when it lapsed", span_words(late)),
        );
    }
    if let Some(why) = why {
        note(out, why);
    }
}

/// One watched visit and how it stands, then where it comes from and anything unusual
/// about it (early, short, short of carers, cancelled).
fn visit_row(out: &mut String, rs: &RuleSet, v: &VisitReport) {
    let at = |t: Option<crate::time::Instant>| t.map_or(String::new(), |t| local(rs, t));
    let what = match v.state {
        VisitState::Upcoming => "on time so far".to_string(),
        VisitState::Late => format!("LATE since {}", at(v.late_at)),
        VisitState::Missed => format!("MISSED since {}", at(v.missed_at)),
        VisitState::PartlyAttended => format!(
            "PARTLY ATTENDED since {}: {} of {} carers",
            at(v.missed_at),
            v.carers_arrived,
            v.staff
        ),
        VisitState::Arrived => "arrived on time".to_string(),
        VisitState::ArrivedLate => "arrived late".to_string(),
        VisitState::ArrivedAfterMissed if v.staff == 2 => {
            "both carers there only after its missed threshold".to_string()
        }
        VisitState::ArrivedAfterMissed if v.staff > 2 => format!(
            "all {} carers there only after its missed threshold",
            v.staff
        ),
        VisitState::ArrivedAfterMissed => "arrived after it was missed".to_string(),
        VisitState::Suspended => "suspended by an agreed exception".to_string(),
        VisitState::Cancelled => "cancelled".to_string(),
    };
    let name = v
        .name
        .as_ref()
        .map(|n| format!(" \"{}\"", shown(n)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  visit {}{name} ({}), planned {}: {what}",
        shown(&v.id),
        shown(&v.criticality),
        local(rs, v.planned)
    );
    let from = match (v.source, &v.slot) {
        (VisitSource::Timeline, _) => None,
        (VisitSource::Protocol, _) => {
            Some("from the protocol; nobody planned it in the timeline".to_string())
        }
        (VisitSource::Confirmed, Some(s)) => {
            Some(format!("protocol visit {s}, confirmed by the timeline"))
        }
        (VisitSource::Moved, Some(s)) => Some(format!("protocol visit {s}, moved by the timeline")),
        (_, None) => None,
    };
    if let Some(from) = from {
        visit_note(out, &from);
    }
    if let Some(s) = v.early_by_seconds {
        visit_note(
            out,
            &format!("the first carer arrived {} early", span_words(s)),
        );
    }
    if let Some(s) = v.short_by_seconds {
        visit_note(out, &format!("{} shorter than planned", span_words(s)));
    }
    if let Some(c) = &v.cancelled {
        visit_note(
            out,
            &format!("cancelled at {} by {}: {}", local(rs, c.at), c.by, c.reason),
        );
    }
}

/// A line under a visit.
fn visit_note(out: &mut String, text: &str) {
    let _ = writeln!(out, "      {}", shown(text));
}

/// When the decision next changes without new events, then the decision's notes.
fn footer(out: &mut String, d: &Decision, rs: &RuleSet) {
    match d.next_change {
        Some(t) => {
            let _ = writeln!(
                out,
                "\nNext change: {} (in {})",
                local_to_the_second(rs, t),
                span_words((t - d.as_of).num_seconds())
            );
        }
        None => {
            let _ = writeln!(out, "\nNext change: none without new events");
        }
    }
    for n in &d.notes {
        let _ = writeln!(out, "Note: {}", shown(n));
    }
}

/// A local time with its seconds shown when they are not zero.
fn local_to_the_second(rs: &RuleSet, t: Instant) -> String {
    // To the second when it matters: an obligation due 08:45 changes at 08:45:01.
    let seconds = chrono::Timelike::second(&t);
    if seconds == 0 {
        local(rs, t)
    } else {
        let l = local(rs, t);
        format!(
            "{}:{seconds:02}{}",
            l.get(..5).unwrap_or(""),
            l.get(5..).unwrap_or("")
        )
    }
}
