//! `vigil diff OLD NEW`: what changed between two versions of a framework, said rule by rule,
//! and what it does to each protocol written under the old one (and, with example timelines,
//! to the duties they produce).
//!
//! The framework's rules are compared as `vigil show` says them (so a change is shown in the
//! words a policy writer reads), plus what `show` does not cover: roles, aliases, calendars,
//! floors, governance and the framework's settings. A protocol's fate is found by checking it,
//! moved to the new version in memory, against the new framework: it fails (with the
//! checker's findings), or for each changed step it inherits the change or keeps its own
//! refinement (which the checker has just found at least as strict as the new floors ask).

use std::collections::BTreeMap;

use crate::render::show::{self, StepView};
use crate::rules::{ActionDef, Responsible, RuleSet, Sym};
use crate::source::Source;

/// One change to a framework's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// What kind of rule: `threshold`, `pathway`, `step`, `role`, `alias`, `calendar`,
    /// `floor`, `governance`, `setting`.
    pub area: &'static str,
    /// Which: `no_response.notify_manager`, `critical`, `duty_manager`.
    pub name: String,
    /// As it was (empty when added).
    pub before: String,
    /// As it is (empty when removed).
    pub after: String,
}

/// Every change from `old` to `new` (the frameworks' own rules: a person with no protocol),
/// in a stable order: settings, roles, aliases, calendars, thresholds, floors, pathways and
/// their steps, governance.
pub fn changes(old: &RuleSet, new: &RuleSet) -> Vec<Change> {
    let mut out = Vec::new();
    let mut compare =
        |area: &'static str, a: BTreeMap<String, String>, b: BTreeMap<String, String>| {
            let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for name in names {
                let (before, after) = (
                    a.get(name).cloned().unwrap_or_default(),
                    b.get(name).cloned().unwrap_or_default(),
                );
                if before != after {
                    out.push(Change {
                        area,
                        name: name.clone(),
                        before,
                        after,
                    });
                }
            }
        };
    compare("setting", settings(old), settings(new));
    compare("role", roles(old), roles(new));
    compare("alias", aliases(old), aliases(new));
    compare("calendar", calendars(old), calendars(new));
    compare("threshold", thresholds(old), thresholds(new));
    compare("floor", floors(old), floors(new));
    compare("pathway", pathways(old), pathways(new));
    compare("step", steps(old), steps(new));
    compare("governance", governance(old), governance(new));
    compare("review cycle", cycles(old), cycles(new));
    compare("vocabulary", vocabulary(old), vocabulary(new));
    out
}

/// Review cycles: their local review times.
fn cycles(rs: &RuleSet) -> BTreeMap<String, String> {
    rs.cycles
        .iter()
        .map(|c| {
            let at: Vec<String> = c.at.iter().map(|(h, m)| format!("{h:02}:{m:02}")).collect();
            (c.name.clone(), format!("reviews at {}", at.join(", ")))
        })
        .collect()
}

/// The names steps, events and governance may use: logs, agencies, contact classes,
/// decisions and the results records may carry. A log or result added or dropped changes
/// what a timeline may say and what governance counts.
fn vocabulary(rs: &RuleSet) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for l in &rs.logs {
        out.insert(format!("log {}", l.name), format!("\"{}\"", l.display));
    }
    for a in &rs.agencies {
        out.insert(
            format!("agency {}", a.name),
            format!("\"{}\" ({})", a.display, a.kind.name()),
        );
    }
    for c in &rs.classes {
        let least = c
            .at_least
            .map_or_else(String::new, |n| format!(", at least {n}"));
        out.insert(
            format!("class {}", c.name),
            format!("\"{}\"{least}", c.display),
        );
    }
    for d in rs.decisions() {
        out.insert(
            format!("decision {}", d.name),
            format!("\"{}\": {}", d.display, d.outcomes.join(", ")),
        );
    }
    let results: Vec<&str> = rs.results.iter().map(|r| rs.symbols.name(*r)).collect();
    out.insert("results".to_string(), results.join(", "));
    // What staff may observe, which observations are red flags (the emergency override fires
    // on them), what a protocol may record about a person, and which contact methods each
    // communication need rules out: a red flag dropped or a method newly ruled out changes
    // who is called and how, and must never pass unseen.
    let names = |syms: &[Sym]| {
        let mut v: Vec<&str> = syms.iter().map(|s| rs.symbols.name(*s)).collect();
        v.sort_unstable();
        v.join(", ")
    };
    out.insert("red flags".to_string(), names(&rs.red_flags));
    out.insert("observations".to_string(), names(&rs.observations));
    for (g, members) in &rs.observation_groups {
        out.insert(
            format!("observation group {}", rs.symbols.name(*g)),
            names(members),
        );
    }
    let sorted = |v: &[String]| {
        let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
        v.sort_unstable();
        v.join(", ")
    };
    out.insert("criticalities".to_string(), sorted(&rs.criticalities));
    out.insert("risks".to_string(), sorted(&rs.risks_and_facts.0));
    out.insert("facts".to_string(), sorted(&rs.risks_and_facts.1));
    for n in &rs.needs {
        let methods: Vec<&str> = n.rules_out.iter().map(|m| m.name()).collect();
        let rules_out = if methods.is_empty() {
            String::new()
        } else {
            let window = n
                .window
                .and_then(|w| rs.calendars.get(w.index()))
                .map_or_else(String::new, |c| format!(" in {}", c.name));
            format!(", rules out {}{window}", methods.join(", "))
        };
        out.insert(
            format!("communication {}", n.name),
            format!("\"{}\"{rules_out}", n.display),
        );
    }
    for t in &rs.triggers {
        let attributes: Vec<String> = t
            .attributes
            .iter()
            .map(|a| format!("{}: {}", a.name, a.values.join(", ")))
            .collect();
        out.insert(
            format!("trigger {}", t.name),
            format!(
                "\"{}\"{}{}",
                t.display,
                if attributes.is_empty() {
                    String::new()
                } else {
                    format!("; {}", attributes.join("; "))
                },
                if t.unconfirmed {
                    "; safety unconfirmed"
                } else {
                    ""
                }
            ),
        );
    }
    out
}

fn settings(rs: &RuleSet) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("time zone".to_string(), rs.timezone().name().to_string()),
        ("bank holidays".to_string(), rs.bank_holidays.clone()),
        (
            "immediately".to_string(),
            format!("within {}", crate::wording::duration_words(rs.immediately)),
        ),
        (
            "in force from".to_string(),
            rs.effective
                .map_or_else(|| "no `effective` date".to_string(), |d| d.to_string()),
        ),
    ])
}

fn roles(rs: &RuleSet) -> BTreeMap<String, String> {
    rs.roles()
        .iter()
        .map(|r| {
            let covers: Vec<&str> = r
                .covers
                .iter()
                .filter_map(|c| rs.role(*c))
                .map(|c| &*c.name)
                .collect();
            let covers = if covers.is_empty() {
                String::new()
            } else {
                format!(", covers {}", covers.join(", "))
            };
            (r.name.to_string(), format!("\"{}\"{covers}", r.display))
        })
        .collect()
}

fn aliases(rs: &RuleSet) -> BTreeMap<String, String> {
    rs.aliases
        .iter()
        .map(|a| {
            let role = |id| rs.role(id).map_or(String::new(), |r| r.name.to_string());
            let cal = rs
                .calendars
                .get(a.calendar.index())
                .map_or("", |c| c.name.as_str());
            (
                a.name.clone(),
                format!(
                    "{} in {cal}, otherwise {}",
                    role(a.inside),
                    role(a.otherwise)
                ),
            )
        })
        .collect()
}

fn calendars(rs: &RuleSet) -> BTreeMap<String, String> {
    use crate::time::BankHolidays;
    rs.calendars
        .iter()
        .map(|c| {
            let holidays = match c.bank_holidays {
                BankHolidays::AsUsual => "as any other day",
                BankHolidays::Closed => "closed",
                BankHolidays::AllDay => "open all day",
            };
            (
                c.name.clone(),
                format!("{}; bank holidays {holidays}", week_words(&c.windows)),
            )
        })
        .collect()
}

/// A calendar's weekly windows as the language writes them: days in a row opening at the
/// same time for as long as one range (`Mon-Fri 08:00-18:00`, `daily 20:00-08:00` for a
/// window into the next morning every day); it was every window by itself, `mon 08:00-mon
/// 18:00`, one by one (found by a docs-only tester).
fn week_words(windows: &[crate::time::WeeklyWindow]) -> String {
    const DAY: u32 = 1440;
    let name = |d: u32| {
        crate::time::WEEKDAYS
            .get(d as usize % 7)
            .map_or("", |d| d.get(..3).unwrap_or(d))
    };
    let clock = |m: u32| format!("{:02}:{:02}", m % DAY / 60, m % 60);
    // (first day, last day, opening time, length) of each run of days alike.
    let mut runs: Vec<(u32, u32, u32, u32)> = Vec::new();
    for w in windows {
        let (day, start, length) = (w.start / DAY, w.start % DAY, w.end.saturating_sub(w.start));
        match runs.last_mut() {
            Some(r) if r.1 + 1 == day && r.2 == start && r.3 == length => r.1 = day,
            _ => runs.push((day, day, start, length)),
        }
    }
    if runs.is_empty() {
        return "never open".into();
    }
    let words: Vec<String> = runs
        .iter()
        .map(|&(first, last, start, length)| {
            let days = match (first, last) {
                (0, 6) => "daily".to_string(),
                _ if first == last => name(first).to_string(),
                _ => format!("{}-{}", name(first), name(last)),
            };
            let end = start + length;
            // Longer than a day: the end's day is named too.
            let end = if length > DAY {
                crate::render::show::week_minute(first * DAY + end)
            } else {
                clock(end)
            };
            format!("{days} {}-{end}", clock(start))
        })
        .collect();
    words.join(", ")
}

fn thresholds(rs: &RuleSet) -> BTreeMap<String, String> {
    let words = crate::wording::duration_words;
    rs.person("")
        .thresholds
        .iter()
        .map(|t| {
            let ooh = t.out_of_hours.map_or(String::new(), |(l, m)| {
                format!("; out of hours late {}, missed {}", words(l), words(m))
            });
            (
                t.criticality.clone(),
                format!("late {}, missed {}{ooh}", words(t.late), words(t.missed)),
            )
        })
        .collect()
}

fn floors(rs: &RuleSet) -> BTreeMap<String, String> {
    let f = &rs.floors;
    let yes = |b: bool| if b { "required" } else { "not required" }.to_string();
    BTreeMap::from([
        (
            "internal escalation".to_string(),
            f.internal_escalation.map_or("none".into(), |s| {
                format!("within {}", crate::wording::duration_words(s))
            }),
        ),
        (
            "contact attempts".to_string(),
            f.contact_attempts
                .map_or("none".into(), |n| format!("at least {n}")),
        ),
        ("emergency override".to_string(), yes(f.emergency_override)),
        (
            "external escalation".to_string(),
            yes(f.external_escalation),
        ),
        (
            "out-of-hours parity".to_string(),
            yes(f.out_of_hours_parity),
        ),
    ])
}

fn view(rs: &RuleSet) -> Option<show::PersonView> {
    show::view(rs, None, None).ok()
}

fn pathways(rs: &RuleSet) -> BTreeMap<String, String> {
    view(rs).map_or_else(BTreeMap::new, |v| {
        v.pathways
            .into_iter()
            .map(|p| (p.name, p.trigger))
            .collect()
    })
}

/// Each step of each pathway (and each after-closure duty), as one line of words.
fn steps(rs: &RuleSet) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in view(rs).map(|v| v.pathways).unwrap_or_default() {
        for s in p.steps.iter().chain(&p.after_closure) {
            // Its citations too, as a governance rule's: a step's legal basis changing is a
            // change (found by a docs-only tester: it passed silently).
            let mut words = step_words(s);
            if !s.cites.is_empty() {
                words.push_str(&format!(" (cites {})", s.cites.join("; ")));
            }
            out.insert(format!("{}.{}", p.name, s.name), words);
        }
    }
    out
}

/// A step in one line: what, who, when it starts, when it applies, by when, breach.
pub(crate) fn step_words(s: &StepView) -> String {
    let mut parts = vec![
        s.what.clone(),
        format!("by {}", s.who.to_lowercase()),
        s.starts.clone(),
    ];
    if let Some(w) = &s.when {
        parts.push(format!("when {w}"));
    }
    parts.push(s.by.clone().unwrap_or_else(|| "no deadline".into()));
    if let Some(b) = &s.breach {
        parts.push(b.clone());
    }
    parts.join("; ")
}

fn governance(rs: &RuleSet) -> BTreeMap<String, String> {
    rs.governance()
        .iter()
        .map(|g| {
            let metric = g.metric.words(rs);
            let who = show::who_words(rs, g.responsible);
            let by = g
                .deadline
                .map_or("no deadline".into(), |d| show::deadline_words(rs, d));
            // The action in words, with whom it notifies or what it records: "notify" alone
            // hid a change of who is told.
            let what = match g.action {
                ActionDef::Notify(Responsible::Role(r)) => {
                    crate::rules::describe::describe(rs, &[], &g.action, Some(r))
                }
                ActionDef::Notify(alias) => {
                    format!("Notify {}", show::who_words(rs, alias).to_lowercase())
                }
                ref other => crate::rules::describe::describe(rs, &[], other, None),
            };
            let cites = if g.cites.is_empty() {
                String::new()
            } else {
                format!(" (cites {})", g.cites.join("; "))
            };
            (
                g.name.clone(),
                format!(
                    "when {metric}: {}, by {}; {by}{cites}",
                    crate::wording::lower_first(&what),
                    who.to_lowercase()
                ),
            )
        })
        .collect()
}

/// What a new framework does to one protocol written under the old one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Impact {
    /// The protocol's file.
    pub file: String,
    /// The person.
    pub person: String,
    /// The checker's errors against the new framework, one line each; empty when it checks.
    pub fails: Vec<String>,
    /// The changed steps the protocol takes as the framework writes them.
    pub inherits: Vec<String>,
    /// The changed steps the protocol refines with its own (checked: still at least as
    /// strict as the new framework requires).
    pub keeps: Vec<String>,
}

/// Each protocol among `protocols`, moved in memory to `new`'s version and checked with the
/// new framework's `framework` sources: whether it fails, and which changed steps it inherits
/// or keeps its own.
pub fn impact(
    framework: &[Source],
    protocols: &[Source],
    new: &RuleSet,
    changed: &[Change],
) -> Vec<Impact> {
    protocols
        .iter()
        .map(|p| {
            let moved = Source::new(
                p.name(),
                moved_to(p.text(), new.version()).unwrap_or_else(|| p.text().to_string()),
            );
            let mut sources = framework.to_vec();
            sources.push(moved);
            let checked = crate::check::check(&sources);
            let at = sources.len() - 1;
            let fails: Vec<String> = checked
                .diagnostics
                .iter()
                .filter(|d| d.file == at && d.severity() == crate::check::Severity::Error)
                .map(|d| {
                    let (line, _) = sources.get(at).map_or((0, 0), |s| s.line_col(d.span.start));
                    format!(
                        "{} at line {line}: {} ({})",
                        d.code.as_str(),
                        d.message,
                        d.help
                    )
                })
                .collect();
            let person = person_of(p.text()).unwrap_or_default();
            let (mut inherits, mut keeps) = (Vec::new(), Vec::new());
            if fails.is_empty() {
                if let Some(rs) = checked.rulesets.first() {
                    let rules = rs.person(&person);
                    // A changed threshold: the protocol's own for that criticality, or the new one.
                    for c in changed
                        .iter()
                        .filter(|c| c.area == "threshold" && !c.after.is_empty())
                    {
                        let own = rules
                            .thresholds
                            .iter()
                            .any(|t| t.criticality == c.name && t.origin.file == p.name());
                        let name = format!("threshold `{}`", c.name);
                        if own {
                            keeps.push(name)
                        } else {
                            inherits.push(name)
                        }
                    }
                    for c in changed
                        .iter()
                        .filter(|c| c.area == "step" && !c.after.is_empty())
                    {
                        let own = rules.pathways.iter().any(|pw| {
                            pw.steps.iter().chain(&pw.after_closure).any(|s| {
                                format!("{}.{}", pw.name, s.name) == c.name
                                    && (s.refines.is_some() || s.origin.file == p.name())
                            })
                        });
                        if own {
                            keeps.push(c.name.clone())
                        } else {
                            inherits.push(c.name.clone())
                        }
                    }
                }
            }
            Impact {
                file: p.name().to_string(),
                person,
                fails,
                inherits,
                keeps,
            }
        })
        .collect()
}

/// A protocol's text with its head's version replaced by `version`; `None` if it has no
/// protocol head to change.
pub fn moved_to(text: &str, version: &str) -> Option<String> {
    let parsed = crate::syntax::parse(text);
    match parsed.document?.head {
        crate::syntax::ast::Head::Protocol { version: v, .. } => {
            let span = v.span.span();
            let mut out = String::with_capacity(text.len());
            out.push_str(text.get(..span.start)?);
            out.push_str(version);
            out.push_str(text.get(span.end..)?);
            Some(out)
        }
        _ => None,
    }
}

/// The person a protocol text is about, from its head.
pub fn person_of(text: &str) -> Option<String> {
    match crate::syntax::parse(text).document?.head {
        crate::syntax::ast::Head::Protocol { person, .. } => Some(person.value),
        _ => None,
    }
}

/// The framework changes and each protocol's fate, as text.
pub fn to_text(old: &RuleSet, new: &RuleSet, changed: &[Change], impacts: &[Impact]) -> String {
    let mut out = format!(
        "\"{}\" version {} -> \"{}\" version {}: {} change{}\n",
        old.framework(),
        old.version(),
        new.framework(),
        new.version(),
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    );
    for c in changed {
        match (c.before.is_empty(), c.after.is_empty()) {
            (true, _) => out.push_str(&format!(
                "\n+ {} `{}` added:\n    {}\n",
                c.area, c.name, c.after
            )),
            (_, true) => out.push_str(&format!(
                "\n- {} `{}` removed (was: {})\n",
                c.area, c.name, c.before
            )),
            _ => out.push_str(&format!(
                "\n~ {} `{}`:\n    was: {}\n    now: {}\n",
                c.area, c.name, c.before, c.after
            )),
        }
    }
    if !impacts.is_empty() {
        out.push_str("\nProtocols:\n");
    }
    for i in impacts {
        if !i.fails.is_empty() {
            out.push_str(&format!(
                "  {} ({}): FAILS under version {}:\n",
                i.person,
                i.file,
                new.version()
            ));
            for f in &i.fails {
                out.push_str(&format!("      {}\n", crate::wording::shown(f)));
            }
            continue;
        }
        out.push_str(&format!(
            "  {} ({}): checks under version {} (`vigil migrate --to {}` moves it)\n",
            i.person,
            i.file,
            new.version(),
            new.version()
        ));
        if !i.inherits.is_empty() {
            out.push_str(&format!("      inherits: {}\n", i.inherits.join(", ")));
        }
        if !i.keeps.is_empty() {
            out.push_str(&format!(
                "      keeps its own (at least as strict as required): {}\n",
                i.keeps.join(", ")
            ));
        }
    }
    out
}

/// How the duties of one timeline differ between two rule sets, evaluated at the timeline's
/// `as_of` (or its last event): one line per duty added, removed or changed (status, due
/// time, role). `Err` names why the timeline could not be read under one of them: when it is
/// about a person whose protocol fails under the new rules (`failing`, their ids), that
/// failure, which is the reason the new rules know nothing the protocol declares; or a
/// bound of `limits` the timeline passes (its events, its lines, the protocol visits its
/// evaluation would watch).
pub fn duty_changes(
    old: &RuleSet,
    new: &RuleSet,
    (name, text): (&str, &str),
    failing: &[&str],
    limits: &crate::limits::Limits,
) -> Result<Vec<String>, String> {
    use crate::timeline::{Format, Timeline};
    let format = Format::from_name(name);
    let load = |rs: &RuleSet| {
        Timeline::load_within(text, format, name, rs, limits).map_err(|e| {
            let first = e.first().map_or_else(String::new, |e| e.to_string());
            format!("cannot be read under version {}: {first}", rs.version())
        })
    };
    // One neither version reads is skipped, with its first error (another framework's, or
    // broken: found by a docs-only tester, a one-letter typo read "skipped" and nothing more);
    // one only the new version reads says why the old cannot.
    let a = load(old).map_err(|e| {
        if load(new).is_ok() {
            return e;
        }
        let first = e.split_once(": ").map_or(e.as_str(), |(_, rest)| rest);
        format!("skipped: neither version reads it (another framework's timeline?): {first}")
    })?;
    let theirs: Vec<&str> = a
        .persons
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| failing.contains(id))
        .collect();
    let b = load(new).map_err(|e| {
        if theirs.is_empty() {
            return e;
        }
        format!(
            "cannot be judged under version {}: the protocol of {} fails under it (see Protocols above), so the new rules know none of the contacts, visits or arrangements it declares; fix the protocol first (the first error reading the timeline: {})",
            new.version(),
            crate::wording::and_list(&theirs.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            e.split_once(": ").map_or(e.as_str(), |(_, rest)| rest)
        )
    })?;
    let at = a.default_as_of(true).unwrap_or_default();
    // As `vigil eval` would refuse it, rather than run out of memory on a record of decades.
    if let Some((why, flag)) = [(old, &a), (new, &b)]
        .into_iter()
        .find_map(|(rs, tl)| rs.over_record_limits(tl, at, limits))
    {
        return Err(format!("not evaluated: {why}; if a year is mistyped, correct it; if the span is meant, raise the limit with {flag}"));
    }
    let (da, db) = (old.evaluate(&a, at), new.evaluate(&b, at));
    let clock = |t: Option<crate::time::Instant>| {
        t.map_or("none".into(), |t| {
            t.with_timezone(&new.timezone())
                .format("%H:%M %a %-d %b")
                .to_string()
        })
    };
    let words = |o: &crate::eval::Obligation| {
        format!("{}, {}, due {}", o.role, o.status.as_str(), clock(o.due))
    };
    let mut out = Vec::new();
    // Read under the new rules all the same: those people's duties there are the framework's
    // alone, which the reader must know before reading them as the change's effect.
    for id in &theirs {
        out.push(format!(
            "! {id}'s protocol fails under version {} (see Protocols above): their duties under it below are the framework's alone",
            new.version()
        ));
    }
    for o in &db.obligations {
        match da.obligations.iter().find(|x| x.id == o.id) {
            None => out.push(format!("+ {}: {}", o.id, words(o))),
            Some(x) if words(x) != words(o) => {
                out.push(format!("~ {}: was {}; now {}", o.id, words(x), words(o)))
            }
            Some(_) => {}
        }
    }
    for x in da
        .obligations
        .iter()
        .filter(|x| !db.obligations.iter().any(|o| o.id == x.id))
    {
        out.push(format!("- {}: {}", x.id, words(x)));
    }
    // A note with no change under it says so, as a timeline with neither does (found by a
    // docs-only tester: the note stood alone, as if its changes were missing).
    if !out.is_empty() && out.len() == theirs.len() {
        out.push("no duty changes".into());
    }
    Ok(out)
}
