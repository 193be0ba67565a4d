//! `vigil eval --explain`: for each duty, the chain from the event that triggered it, through
//! the rule and its conditions, to the arithmetic of its due time and where it stands, in
//! words.
//!
//! Nothing is worked out again here: the times are the decision's, the reasons its
//! `because`, and the deadline the rule's as written (`rules::deadline::due` alone says what
//! a deadline means). This only puts them in order and shows the sum.

use crate::eval::{Decision, Obligation, Status};
use crate::rules::{Anchor, DeadlineAtomDef, DeadlineDef, PathwayDef, RuleSet, StepDef};
use crate::time::Instant;
use crate::wording::{duration_words, shown};

/// Every duty of the decision, explained.
pub fn to_text(d: &Decision, rs: &RuleSet) -> String {
    let mut out = String::new();
    for o in &d.obligations {
        out.push_str(&duty(d, rs, o));
        out.push('\n');
    }
    if d.obligations.is_empty() {
        out.push_str("No duties to explain.\n");
    }
    out
}

fn duty(d: &Decision, rs: &RuleSet, o: &Obligation) -> String {
    let clock = |t: Instant| local(rs, t);
    let mut lines = Vec::new();
    if let Some(trigger) = o.because.first() {
        lines.push(format!("Trigger: {trigger}."));
    }
    let cites = if o.cites.is_empty() {
        String::new()
    } else {
        format!(" (cites {})", crate::wording::citations(&o.cites))
    };
    lines.push(format!(
        "Rule: `{}`, written at {}:{}{cites}.",
        o.rule.name, o.rule.file, o.rule.line
    ));
    for reason in o.because.iter().skip(1) {
        lines.push(format!("{}.", crate::wording::upper_first(reason)));
    }
    lines.push(arithmetic(d, rs, o));
    lines.push(standing(o, d.as_of, &clock));
    let mut out = format!(
        "{}\n  {} (who: {})\n",
        shown(&o.id),
        shown(&o.summary),
        shown(&o.role_name)
    );
    for (i, l) in lines.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, shown(l)));
    }
    out
}

/// The deadline as written, what it counts from, and the sum.
fn arithmetic(d: &Decision, rs: &RuleSet, o: &Obligation) -> String {
    let clock = |t: Instant| local(rs, t);
    let Some(due) = o.due else {
        return match o.status {
            Status::NotRequired => "Deadline: none: it was not required.".into(),
            Status::Upcoming => "Deadline: not known yet: it waits for a step or an event.".into(),
            _ => "Deadline: none: it is to be done, and is never overdue.".into(),
        };
    };
    let from = o.opened_at;
    let deadline = if o.id.contains("/breach") {
        find_step(rs, o).and_then(|(_, s)| s.breach.map(|b| b.1))
    } else if o.id.contains("/follow-up/") {
        return format!(
            "Deadline: the framework's `immediately` after the unanswered attempt at {}: due {}.",
            clock(from),
            clock(due)
        );
    } else {
        find_step(rs, o).and_then(|(_, s)| s.deadline).or_else(|| {
            rs.governance()
                .iter()
                .find(|g| *g.provenance == *o.rule)
                .and_then(|g| g.deadline)
        })
    };
    let periodic = rs
        .governance()
        .iter()
        .find(|g| *g.provenance == *o.rule && g.metric.is_periodic() && g.deadline.is_none());
    if let Some(g) = periodic {
        return format!(
            "Deadline: by its schedule ({}), from {}: due {}.",
            g.metric.words(rs),
            clock(from),
            clock(due)
        );
    }
    let Some(deadline) = deadline else {
        return format!(
            "Deadline: the rule's, from {}: due {}.",
            clock(from),
            clock(due)
        );
    };
    let counted = match deadline {
        DeadlineDef::Atom(DeadlineAtomDef::Within { secs, anchor }) => {
            let (what, start) = anchor_of(d, o, anchor, find_step(rs, o).map(|(p, _)| p));
            match start {
                Some(t) if t + chrono::Duration::seconds(secs as i64) == due => {
                    // Across a clock change the wall times do not add up as read ("00:41 + 20
                    // minutes = 02:01"): both say their zone, and the sum says why.
                    let changed = offset(rs, t) != offset(rs, due);
                    let at = |x: Instant| if changed { zoned(rs, x) } else { clock(x) };
                    format!(
                        "within {} of {what}: {} + {} = {}{}",
                        duration_words(secs),
                        at(t),
                        duration_words(secs),
                        at(due),
                        if changed {
                            " (the clocks changed in between)"
                        } else {
                            ""
                        }
                    )
                }
                Some(t) => format!(
                    "within {} of {what} (at {}), counted as the rule counts it: due {}",
                    duration_words(secs),
                    clock(t),
                    clock(due)
                ),
                None => format!(
                    "within {} of {what}: due {}",
                    duration_words(secs),
                    clock(due)
                ),
            }
        }
        other => {
            // From one side of a clock change to the other, each time says its zone.
            let changed = offset(rs, from) != offset(rs, due);
            let at = |x: Instant| if changed { zoned(rs, x) } else { clock(x) };
            format!(
                "{}, from {}: due {}{}",
                crate::render::show::deadline_words(rs, other),
                at(from),
                at(due),
                if changed {
                    " (the clocks changed in between)"
                } else {
                    ""
                }
            )
        }
    };
    format!("Deadline: {counted}.")
}

/// What a `within` counts from, and when that was (if the decision shows it).
fn anchor_of(
    d: &Decision,
    o: &Obligation,
    anchor: Anchor,
    pathway: Option<&PathwayDef>,
) -> (String, Option<Instant>) {
    match anchor {
        Anchor::Start if o.id.contains("/breach") => ("going overdue".into(), Some(o.opened_at)),
        Anchor::Start => ("its start".into(), Some(o.opened_at)),
        Anchor::Trigger => ("the trigger".into(), None),
        Anchor::Step(s) => {
            let name = pathway
                .and_then(|p| p.steps.get(usize::from(s)))
                .map_or("", |s| s.name.as_str());
            let id = format!("{}/{name}", o.episode);
            let done = d
                .obligations
                .iter()
                .find(|x| x.id == id)
                .and_then(|x| x.done_at);
            (format!("`{name}` being done"), done)
        }
        Anchor::Event(kind) => (format!("the first {} event", kind.name()), None),
    }
}

/// Where the duty stands at `as_of`, with the difference from its due time (read from the
/// decision: the status is decided there alone).
fn standing(o: &Obligation, as_of: Instant, clock: &dyn Fn(Instant) -> String) -> String {
    let gap = |a: Instant, b: Instant| duration_words((a - b).num_seconds().unsigned_abs());
    let plain = || {
        format!(
            "Status: {} at {}.",
            o.status.as_str().replace('_', " "),
            clock(as_of)
        )
    };
    let (Some(due), done) = (o.due, o.done_at) else {
        return match (o.status, o.done_at) {
            (Status::Done, Some(t)) => format!("Status: done at {}.", clock(t)),
            (Status::Failed, Some(t)) => format!("Status: failed at {}.", clock(t)),
            _ => plain(),
        };
    };
    match o.status {
        Status::Done => match done {
            Some(t) if t < due => format!(
                "Status: done at {}, {} before its due time.",
                clock(t),
                gap(due, t)
            ),
            Some(t) => format!("Status: done at {}, on its due time.", clock(t)),
            None => plain(),
        },
        Status::DoneLate => match done {
            Some(t) => format!(
                "Status: done late at {}, {} after its due time.",
                clock(t),
                gap(t, due)
            ),
            None => plain(),
        },
        Status::Overdue => format!(
            "Status: overdue at {}, by {}.",
            clock(as_of),
            gap(as_of, due)
        ),
        Status::Due => format!("Status: due; {} left at {}.", gap(due, as_of), clock(as_of)),
        // When it failed, as the decision says: not the instant decided at (found by a
        // docs-only tester).
        Status::Failed => match done {
            Some(t) if t > due => format!(
                "Status: failed at {}, {} after its due time.",
                clock(t),
                gap(t, due)
            ),
            Some(t) => format!("Status: failed at {}.", clock(t)),
            None => plain(),
        },
        _ => plain(),
    }
}

/// The step (and its pathway) a duty comes from.
fn find_step<'r>(rs: &'r RuleSet, o: &Obligation) -> Option<(&'r PathwayDef, &'r StepDef)> {
    rs.every_pathway().find_map(|p| {
        let s = p
            .steps
            .iter()
            .chain(&p.after_closure)
            .find(|s| *s.provenance == *o.rule)?;
        Some((p, s))
    })
}

/// An instant in the framework's time zone: "10:29 Wed 25 Nov", seconds when there are some.
fn local(rs: &RuleSet, t: Instant) -> String {
    let l = t.with_timezone(&rs.timezone());
    // A wall time the clocks going back repeat says which of the two it is.
    let repeated = matches!(
        chrono::TimeZone::from_local_datetime(&rs.timezone(), &l.naive_local()),
        chrono::LocalResult::Ambiguous(..)
    );
    let zone = if repeated { " %Z" } else { "" };
    if chrono::Timelike::second(&l) == 0 {
        l.format(&format!("%H:%M{zone} %a %d %b")).to_string()
    } else {
        l.format(&format!("%H:%M:%S{zone} %a %d %b")).to_string()
    }
}

/// A local time with its zone's abbreviation: `00:41 GMT Sun 29 Mar`.
fn zoned(rs: &RuleSet, t: Instant) -> String {
    let l = t.with_timezone(&rs.timezone());
    if chrono::Timelike::second(&l) == 0 {
        l.format("%H:%M %Z %a %d %b").to_string()
    } else {
        l.format("%H:%M:%S %Z %a %d %b").to_string()
    }
}

/// The offset from UTC in force at `t`, in seconds.
fn offset(rs: &RuleSet, t: Instant) -> i32 {
    chrono::Offset::fix(t.with_timezone(&rs.timezone()).offset()).local_minus_utc()
}
