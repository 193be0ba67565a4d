//! The words of `vigil show`'s view: each rule of the person's, said once.

use super::StepView;
use crate::rules::coverage::takes_label;
use crate::rules::flow::Follow;
use crate::rules::{
    Anchor, DeadlineAtomDef, DeadlineDef, PersonRules, Responsible, RuleSet, StepDef,
};
use crate::wording::duration_words;

/// Who acts, in words: a role's name, or an alias with who it stands for in and out of its
/// calendar.
pub(super) fn who(rs: &RuleSet, r: Responsible) -> String {
    match r {
        Responsible::Role(id) => rs
            .role(id)
            .map_or_else(String::new, |d| d.display.to_string()),
        Responsible::Alias(a) => match rs.alias(a) {
            Some(def) => {
                let role = |id| {
                    rs.role(id)
                        .map_or_else(String::new, |d| d.display.to_lowercase())
                };
                let calendar = rs
                    .calendars
                    .get(def.calendar.index())
                    .map_or("its calendar", |c| c.display.as_str());
                format!(
                    "{} (the {} in {}, the {} otherwise)",
                    def.display,
                    role(def.inside),
                    calendar.to_lowercase(),
                    role(def.otherwise)
                )
            }
            None => String::new(),
        },
    }
}

/// A deadline in words: "within 15 minutes", "by 17:00 on the next working day".
///
/// Words only: what a deadline means in time is `rules::deadline::due`'s alone.
pub(super) fn deadline(rs: &RuleSet, steps: &[StepDef], d: DeadlineDef) -> String {
    match d {
        DeadlineDef::Atom(a) => atom(rs, steps, a),
        // "whichever comes first: by the end of the working day, or within 1 day", never
        // "by the earlier of by the end of ...".
        DeadlineDef::Earliest(one, other) => {
            format!(
                "whichever comes first: {}, or {}",
                atom(rs, steps, one),
                atom(rs, steps, other)
            )
        }
        DeadlineDef::Latest(one, other) => {
            format!(
                "whichever comes last: {}, or {}",
                atom(rs, steps, one),
                atom(rs, steps, other)
            )
        }
    }
}

fn atom(rs: &RuleSet, steps: &[StepDef], a: DeadlineAtomDef) -> String {
    match a {
        DeadlineAtomDef::Within { secs, anchor } => {
            let from = match anchor {
                Anchor::Start => String::new(),
                Anchor::Trigger => " of the trigger".into(),
                Anchor::Step(s) => {
                    let name = steps.get(usize::from(s)).map_or("", |s| s.name.as_str());
                    format!(" of `{name}` being done")
                }
                Anchor::Event(kind) => format!(" of the first {} event", kind.name()),
            };
            format!("within {}{from}", duration_words(secs))
        }
        DeadlineAtomDef::ByClock {
            hour,
            minute,
            next_working_day,
        } => {
            let day = if next_working_day {
                " on the next working day"
            } else {
                ""
            };
            format!("by {hour:02}:{minute:02}{day}")
        }
        DeadlineAtomDef::EndOfDay => "by the end of the day".into(),
        DeadlineAtomDef::EndOfWorkingDay => "by the end of the working day".into(),
        DeadlineAtomDef::NextWorkingDay => "by the end of the next working day".into(),
        DeadlineAtomDef::WorkingDays { days } => {
            format!(
                "within {days} working day{}",
                if days == 1 { "" } else { "s" }
            )
        }
        DeadlineAtomDef::InCalendar { secs, calendar } => {
            let cal = rs
                .calendars
                .get(calendar.index())
                .map_or("calendar", |c| c.display.as_str());
            format!(
                "within {}, counted only in {}",
                duration_words(secs),
                cal.to_lowercase()
            )
        }
    }
}

/// One step, in words; `worst` its worst case after `from` (the trigger, or closure).
pub(super) fn step(
    rs: &RuleSet,
    rules: &PersonRules,
    (steps, s): (&[StepDef], &StepDef),
    worst: Option<u64>,
    from: &str,
) -> StepView {
    let [inside, outside] = &s.summaries;
    let what = if inside == outside {
        inside.to_string()
    } else {
        format!(
            "{inside} (in office hours); {} (otherwise)",
            crate::wording::lower_first(outside)
        )
    };
    let before = s.after.and_then(|a| steps.get(usize::from(a)));
    let after = before.map(|b| {
        let label = match &s.follows {
            Follow::Any => "done or overdue".to_string(),
            Follow::On(ts) => ts
                .iter()
                .map(|t| takes_label(rs, Some(b), *t))
                .collect::<Vec<_>>()
                .join(" or "),
            Follow::Otherwise => "otherwise".to_string(),
        };
        (b.name.clone(), label)
    });
    // A step that waits for an observation fires when it is seen, not at the trigger.
    let observed = s.condition.waits_for_observation();
    let starts = match &after {
        None if observed => {
            format!("when what its `when` names is first observed, at any time from {from} on")
        }
        None => format!("at {from}"),
        Some((name, label)) if label == "done or overdue" => {
            format!("when `{name}` is done or goes overdue")
        }
        Some((name, label)) => format!("after `{name}`, if it ends {label}"),
    };
    let by = s.deadline.map(|d| deadline(rs, steps, d));
    let fired = s
        .deadline
        .filter(|_| observed)
        .and_then(|d| crate::check::worst_from_firing(rs, d));
    let worst = match (&by, worst) {
        (Some(_), _) if observed => Some(match fired {
            Some(w) => format!(
                "at worst {} after the observation; none from {from}, since it waits for it",
                duration_words(w)
            ),
            None => "no worst case: it waits for an observation".into(),
        }),
        (Some(_), Some(w)) => Some(format!("at worst {} after {from}", duration_words(w))),
        (Some(_), None) => Some("no worst case: it waits for an event that may not happen".into()),
        (None, _) => None,
    };
    let breach = s.breach.map(|(r, d)| {
        let told = match r {
            Responsible::Role(_) => format!("the {}", who(rs, r).to_lowercase()),
            Responsible::Alias(_) => crate::wording::lower_first(&who(rs, r)),
        };
        format!(
            "if it goes overdue, {told} must be told, {}",
            deadline(rs, steps, d)
        )
    });
    StepView {
        name: s.name.clone(),
        stage: s.stage.clone(),
        what,
        who: who(rs, s.responsible),
        starts,
        after,
        by,
        worst,
        when: s.when_text.clone(),
        breach,
        source: source(rs, rules, s),
        cites: s.all_cites.iter().cloned().collect(),
    }
}

/// Where a step is written: the framework, the protocol, or the protocol refining the
/// framework's step.
fn source(rs: &RuleSet, rules: &PersonRules, s: &StepDef) -> String {
    let at = format!("{}:{}", s.origin.file, s.origin.line);
    match (&s.refines, &rules.origin) {
        (Some(fw), _) => format!(
            "protocol, refining the framework's step ({at}; framework {}:{})",
            fw.file, fw.line
        ),
        (None, Some(p)) if p.file == s.origin.file => format!("protocol ({at})"),
        _ if s.origin.file == rs.origin.file => format!("framework ({at})"),
        _ => at,
    }
}

/// The person's facts: risks, capacity, communication needs, what they have.
pub(super) fn facts(rs: &RuleSet, rules: &PersonRules) -> Vec<String> {
    let mut out: Vec<String> = rules
        .risks
        .iter()
        .map(|r| format!("risk: {}", crate::wording::humanise(r)))
        .collect();
    if let Some(c) = rules.capacity {
        out.push(format!("capacity: {}", c.name()));
    }
    // A need and the methods it rules out read as one line ("communication: no phone at
    // night, so never by phone during night-time"), not as the need and then the need again.
    let ruled_out = |c: &str| -> Vec<String> {
        rules
            .ruled_out
            .iter()
            .filter(|r| r.need == c)
            .map(|r| format!("{}{}", r.method.name(), window(rs, r)))
            .collect()
    };
    for c in &rules.communication {
        let methods = ruled_out(c);
        let so = match methods.split_last() {
            None => String::new(),
            Some((last, [])) => format!(", so never by {last}"),
            Some((last, rest)) => format!(", so never by {} or {last}", rest.join(", ")),
        };
        out.push(format!(
            "communication: {}{so}",
            crate::wording::humanise(c)
        ));
    }
    out.extend(
        rules
            .has
            .iter()
            .map(|h| format!("has: {}", crate::wording::humanise(h))),
    );
    for r in &rules.ruled_out {
        if rules.communication.contains(&r.need) {
            continue;
        }
        out.push(format!(
            "not by {}{}: {}",
            r.method.name(),
            window(rs, r),
            crate::wording::humanise(&r.need)
        ));
    }
    out
}

/// " during night-time" for a need that holds only in a calendar ("not by phone at night",
/// not always); nothing for one that always holds.
fn window(rs: &RuleSet, r: &crate::rules::RuledOut) -> String {
    r.window
        .and_then(|w| rs.calendars.get(w.index()))
        .map_or_else(String::new, |c| {
            format!(" during {}", c.display.to_lowercase())
        })
}

/// Contacts: who, from which stage, on what basis.
pub(super) fn contacts(_rs: &RuleSet, rules: &PersonRules) -> Vec<String> {
    rules
        .contacts
        .iter()
        .map(|c| {
            let mut s = format!(
                "{} ({}, `{}`)",
                c.display,
                crate::wording::humanise(&c.kind),
                c.name
            );
            if let Some(stage) = &c.from_stage {
                s.push_str(&format!(": from the `{stage}` stage"));
            }
            match crate::rules::standing::words(c, rules.capacity) {
                Some(basis) => s.push_str(&format!("; {basis}")),
                // Said for what the contact is (found by a docs-only tester: a neighbour who
                // holds a key was called "a service or professional contact").
                None if c.kind == "key_holder" => {
                    s.push_str("; no consent basis needed (a key holder)")
                }
                None => s.push_str("; no consent basis needed (a service or professional contact)"),
            }
            s
        })
        .collect()
}

/// Visit thresholds, one a criticality: "critical: late 10 minutes and missed 20 minutes
/// after the planned start (the same out of hours); this person's own (file:line)".
pub(super) fn thresholds(rules: &PersonRules) -> Vec<String> {
    let own = |t: &crate::rules::ThresholdDef| {
        rules
            .origin
            .as_ref()
            .is_some_and(|o| o.file == t.origin.file)
    };
    rules
        .thresholds
        .iter()
        .map(|t| {
            let ooh = match t.out_of_hours {
                Some((l, m)) if (l, m) != (t.late, t.missed) => format!(
                    "; out of hours late {} and missed {}",
                    duration_words(l),
                    duration_words(m)
                ),
                _ => " (the same out of hours)".to_string(),
            };
            let whose = if own(t) {
                format!("; this person's own ({}:{})", t.origin.file, t.origin.line)
            } else {
                "; the framework's".to_string()
            };
            let because = t
                .because
                .as_ref()
                .map_or_else(String::new, |b| format!(", because \"{b}\""));
            format!(
                "{}: late {} and missed {} after the {}{ooh}{whose}{because}",
                t.criticality,
                duration_words(t.late),
                duration_words(t.missed),
                t.anchor.words()
            )
        })
        .collect()
}

/// Watched visits: name, days, times, criticality and staff.
pub(super) fn visits(rs: &RuleSet, rules: &PersonRules) -> Vec<String> {
    rules
        .visits
        .iter()
        .map(|v| {
            // `every day`, `on weekdays`, `on Tue, Fri`: as the duty list says it (found by a
            // docs-only tester: `daily` was shown as the seven days' names).
            let days = v.days_words();
            let end = v
                .end
                .map_or_else(String::new, |(h, m)| format!("-{h:02}:{m:02}"));
            let criticality = rs
                .criticalities
                .get(v.criticality.index())
                .map_or("", String::as_str);
            format!(
                "{} (`{}`): {} at {:02}:{:02}{end}, {criticality}, {} carer{}",
                v.display,
                v.name,
                days,
                v.at.0,
                v.at.1,
                v.staff,
                if v.staff == 1 { "" } else { "s" }
            )
        })
        .collect()
}

/// Known absences and their weekly windows.
pub(super) fn absences(rules: &PersonRules) -> Vec<String> {
    let at = week_minute;
    rules
        .absences
        .iter()
        .map(|a| {
            let windows: Vec<String> = a
                .windows
                .iter()
                .map(|w| format!("{} to {}", at(w.start), at(w.end)))
                .collect();
            format!("{} (`{}`): {}", a.display, a.name, windows.join("; "))
        })
        .collect()
}

/// Agreed exceptions: when, what they change, why.
pub(super) fn exceptions(rules: &PersonRules) -> Vec<String> {
    rules
        .exceptions
        .iter()
        .map(|e| {
            let mut s = format!("{} (`{}`): {}", e.display, e.name, e.window_words());
            if e.suspend_visits {
                s.push_str("; visits suspended");
            }
            for c in &e.changes {
                match &c.ladder {
                    Some(_) => s.push_str(&format!("; pathway `{}` changed", c.pathway)),
                    None => s.push_str(&format!("; pathway `{}` suspended", c.pathway)),
                }
            }
            if let Some(b) = &e.because {
                s.push_str(&format!("; because {b}"));
            }
            s
        })
        .collect()
}

/// A minute of the week (from Monday 00:00) as "Mon 08:00": how calendars and absences are
/// written.
pub(crate) fn week_minute(m: u32) -> String {
    let day = crate::time::WEEKDAYS
        .get((m / 1440) as usize % 7)
        .map_or("", |d| d.get(..3).unwrap_or(d));
    format!("{day} {:02}:{:02}", m % 1440 / 60, m % 60)
}
