//! A decision as a duty manager reads it: one list across people, the most urgent first, each
//! line naming the person and the visit, local times, the role's name, and the reason once
//! for each episode. The audit keeps one block per person, so that each person's story reads
//! from start to end.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::plain::Names;
use super::table::{self, Row};
use crate::eval::{Decision, Obligation, Status, VisitReport, VisitSource, VisitState};
use crate::rules::RuleSet;
use crate::time::Instant;
use crate::wording::shown;

/// How the list is laid out: the words to show for the ids the reasons name, and the width
/// to wrap at (the terminal's).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// Ids in plain words.
    pub names: &'a Names,
    /// The width to wrap at.
    pub width: usize,
}

/// `6 min`, `1 h 5 min`, `2 d 3 h`.
pub(super) fn span_words(secs: i64) -> String {
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

/// A time in the list's time column: `13:35` on the day the list is for (its heading names
/// the day), `00:10 Wed 25 Nov` on any other, so the column stays narrow and a time on
/// another day always says which.
///
/// A time on the other side of a clock change from the list's heading names its zone
/// (`02:10 BST` under a heading `as of 00:59 Sun 29 Mar (GMT)`): without it, a duty manager
/// reads the heading's zone into it (found by a docs-only tester).
pub(super) fn clock(rs: &RuleSet, t: Instant, as_of: Instant) -> String {
    let civil = rs.civil();
    let full = civil.short_local(t);
    // Midnight always says its day: "00:00" alone reads as tonight's, not this morning's.
    let midnight = civil.at(civil.local_date(t), 0, 0) == t;
    let shown = if midnight || civil.local_date(t) != civil.local_date(as_of) {
        full
    } else {
        // ` Tue 24 Nov`: the last eleven characters, after the time (and its zone, in the
        // repeated hour).
        let cut = full.char_indices().rev().nth(10).map_or(0, |(i, _)| i);
        full.get(..cut).unwrap_or(&full).to_string()
    };
    let zone = |x: Instant| x.with_timezone(&rs.timezone()).format("%Z").to_string();
    let (mine, heading) = (zone(t), zone(as_of));
    if mine == heading || shown.contains(&format!(" {mine}")) {
        return shown;
    }
    match shown.split_once(' ') {
        Some((time, rest)) => format!("{time} {mine} {rest}"),
        None => format!("{shown} {mine}"),
    }
}

/// Where a duty stands, in words: `OVERDUE by 6 min`, `due in 4 min`, `done 7 min late`.
pub(super) fn state(o: &Obligation, as_of: Instant) -> String {
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

/// The person a line is about; provider-wide duties (governance) have none.
pub(super) fn who(person: &str) -> &str {
    if person.is_empty() {
        "(provider)"
    } else {
        person
    }
}

/// Still to act on: overdue (the most overdue first), due (the soonest first), open, then
/// upcoming; the decision's order (person, due time, id) breaks ties.
pub(super) fn to_do(d: &Decision) -> Vec<&Obligation> {
    let mut open: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| rank(o.status).is_some())
        .collect();
    open.sort_by_key(|o| (rank(o.status), o.due.is_none(), o.due));
    open
}

/// Where a status to act on comes in the list; `None` for one that is finished.
fn rank(s: Status) -> Option<u8> {
    match s {
        Status::Overdue => Some(0),
        Status::Due => Some(1),
        Status::Open => Some(2),
        Status::Upcoming => Some(3),
        Status::Done | Status::DoneLate | Status::Failed | Status::NotRequired => None,
    }
}

/// Finished: done, done late or failed, in the order they ended.
pub(super) fn finished(d: &Decision) -> Vec<&Obligation> {
    let mut done: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| matches!(o.status, Status::Done | Status::DoneLate | Status::Failed))
        .collect();
    done.sort_by_key(|o| (o.done_at.is_none(), o.done_at));
    done
}

/// Still to do (most urgent first), finished (in the order they ended), then no longer
/// required (in the decision's order): the duty list's order.
pub(super) fn in_list_order(d: &Decision) -> Vec<&Obligation> {
    let mut all = to_do(d);
    all.extend(finished(d));
    all.extend(
        d.obligations
            .iter()
            .filter(|o| o.status == crate::eval::Status::NotRequired),
    );
    all
}

/// The reasons already given: an episode's reason is said under its first line only.
#[derive(Debug, Default)]
pub(super) struct Said(BTreeSet<(String, String)>);

impl Said {
    /// The reason for `o`'s episode in plain words, the first time it is asked for; `None`
    /// after that, and when the duty's own summary already says it (a manual review).
    pub(super) fn first_time(&mut self, o: &Obligation, names: &Names) -> Option<String> {
        let reason = names.plain(o.because.first()?);
        if names.plain(&o.summary).contains(&reason) {
            return None;
        }
        self.0
            .insert((o.episode.to_string(), reason.clone()))
            .then_some(reason)
    }
}

/// A duty's line: its state, a time, who it is about (unless a heading says), what to do and
/// who does it.
pub(super) fn duty_row(
    o: &Obligation,
    state: String,
    time: String,
    names: &Names,
    person: bool,
) -> Row {
    let mut cells = vec![state, time];
    if person {
        cells.push(who(&o.person).to_string());
    }
    cells.push(o.visit.as_deref().unwrap_or("").to_string());
    Row {
        cells,
        text: format!("{}  [{}]", names.plain(&o.summary), o.role_name),
        notes: Vec::new(),
    }
}

/// A duty still to act on: its due time, its episode's reason the first time, and, for one
/// not yet started, what it waits for.
pub(super) fn open_row(
    o: &Obligation,
    d: &Decision,
    rs: &RuleSet,
    (names, said): (&Names, &mut Said),
    person: bool,
) -> Row {
    let due = o.due.map_or("--:--".to_string(), |t| clock(rs, t, d.as_of));
    let mut row = duty_row(o, state(o, d.as_of), due, names, person);
    if let Some(reason) = said.first_time(o, names) {
        row.notes.push(format!("because {reason}"));
    }
    if o.status == Status::Upcoming {
        if let Some(waits) = o.because.iter().find(|b| b.starts_with("waits for")) {
            row.notes.push(names.plain(waits));
        }
    }
    // A manual review is done by a `reviewed` event naming it, and the list is where the
    // one who does it looks (found by a docs-only tester: the id was only in the JSON).
    if o.action == crate::vocab::Action::ManualReview {
        row.notes.push(format!(
            "when done, record `kind: reviewed, duty: \"{}\"`",
            o.id
        ));
    }
    other_version(&mut row, o, d);
    row
}

/// Under versions side by side, a duty another version judges than the one the heading
/// names says so (found by a docs-only tester: nothing in the list told them apart).
fn other_version(row: &mut Row, o: &Obligation, d: &Decision) {
    if *o.version != *d.ruleset.version {
        row.notes.push(format!("under version {}", o.version));
    }
}

/// A finished duty, at the time it ended.
pub(super) fn done_row(
    o: &Obligation,
    d: &Decision,
    rs: &RuleSet,
    names: &Names,
    person: bool,
) -> Row {
    let at = o.done_at.map_or(String::new(), |t| clock(rs, t, d.as_of));
    let mut row = duty_row(o, state(o, d.as_of), at, names, person);
    other_version(&mut row, o, d);
    row
}

/// The decision as the duty manager's list: one list across people, then the duties no
/// longer required (named, not listed), the visits, and when the answer next changes.
pub fn decision(d: &Decision, rs: &RuleSet, view: &View<'_>) -> String {
    let mut out = String::new();
    header(&mut out, d, rs);
    let mut said = Said::default();
    let open_duties = to_do(d);
    let mut open: Vec<Row> = open_duties
        .iter()
        .map(|o| open_row(o, d, rs, (view.names, &mut said), true))
        .collect();
    distinguish(&mut open, &open_duties);
    let done_duties = finished(d);
    let mut done: Vec<Row> = done_duties
        .iter()
        .map(|o| done_row(o, d, rs, view.names, true))
        .collect();
    distinguish(&mut done, &done_duties);
    let widths = table::widths(open.iter().chain(&done));
    let overdue = d
        .obligations
        .iter()
        .filter(|o| o.status == Status::Overdue)
        .count();
    let title = match (open.len(), overdue) {
        (0, _) => "To do: nothing".to_string(),
        (n, 0) => format!("To do: {n}"),
        (n, k) if k == n => format!("To do: {n}, all overdue"),
        (n, k) => format!("To do: {n}, {k} overdue"),
    };
    section(&mut out, &title, &open, &widths, view.width);
    if !done.is_empty() {
        // A step that ended failed (a chain of contacts none answered) is finished, not
        // done: the heading says both when there are such (found by a docs-only tester).
        let failed = done_duties
            .iter()
            .filter(|o| o.status == Status::Failed)
            .count();
        let title = match failed {
            0 => format!("Done: {}", done.len()),
            f => format!("Done or ended: {} ({f} failed)", done.len()),
        };
        section(&mut out, &title, &done, &widths, view.width);
    }
    dropped(&mut out, d, view);
    visits(&mut out, d, rs, view.width);
    footer(&mut out, d, rs, view.width);
    out
}

/// Two lines of one list that would read the same (one notice discharging two steps that
/// both notify the duty manager) each name their step, so that neither looks like a repeat.
fn distinguish(rows: &mut [Row], duties: &[&Obligation]) {
    type Key = (Option<Vec<String>>, String);
    let key = |r: &Row| -> Key { (r.cells.get(2..).map(<[String]>::to_vec), r.text.clone()) };
    // For each way a line reads, the first step found reading so and whether another step
    // does too: looked up, not searched for, since a person refusing thousands of times
    // made a list whose every line was compared with every other.
    let mut steps: crate::hash::Map<Key, (&str, bool)> = crate::hash::Map::default();
    let keys: Vec<Key> = rows.iter().map(key).collect();
    for (k, o) in keys.iter().zip(duties) {
        let seen = steps.entry(k.clone()).or_insert((&o.rule.name, false));
        seen.1 |= seen.0 != &*o.rule.name;
    }
    for ((row, o), k) in rows.iter_mut().zip(duties).zip(&keys) {
        // A twin from another step: the same step in two episodes needs no naming.
        if steps.get(k).is_some_and(|(_, twin)| *twin) {
            row.text.push_str(&format!(" (step `{}`)", step_name(o)));
        }
    }
}

/// The name of the step a duty came from, as its pathway writes it (`report`, not
/// `refusal.report`).
fn step_name(o: &Obligation) -> &str {
    o.rule.name.rsplit('.').next().unwrap_or(&o.rule.name)
}

/// A heading and its rows.
fn section(out: &mut String, title: &str, rows: &[Row], widths: &[usize], width: usize) {
    let _ = writeln!(out, "\n{title}");
    for row in rows {
        table::write(out, row, widths, 2, width);
    }
}

/// The duties no longer required, named (the first four of each person, and how many more),
/// so a reader knows which lapsed; the audit gives the reasons.
fn dropped(out: &mut String, d: &Decision, view: &View<'_>) {
    let lapsed = by_person(
        d.obligations
            .iter()
            .filter(|o| o.status == Status::NotRequired),
        |o| &*o.person,
    );
    let rows: Vec<Row> = lapsed
        .into_iter()
        .map(|(person, duties)| {
            let plain: Vec<String> = duties
                .iter()
                .map(|o| view.names.plain(&o.summary))
                .collect();
            // Two steps reading the same each name their step, as in the lists above.
            let mut steps: crate::hash::Map<&str, &str> = crate::hash::Map::default();
            let mut twins: crate::hash::Set<&str> = crate::hash::Set::default();
            for (text, o) in plain.iter().zip(&duties) {
                if *steps.entry(text).or_insert(&o.rule.name) != &*o.rule.name {
                    twins.insert(text);
                }
            }
            let mut names: Vec<String> = plain
                .iter()
                .zip(&duties)
                .map(|(text, o)| {
                    if twins.contains(text.as_str()) {
                        format!("{text} (step `{}`)", step_name(o))
                    } else {
                        text.clone()
                    }
                })
                .collect();
            let more = names.len().saturating_sub(4);
            names.truncate(4);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Row {
                cells: vec![who(person).to_string()],
                text: format!("{}{tail}", names.join("; ")),
                notes: Vec::new(),
            }
        })
        .collect();
    if !rows.is_empty() {
        let widths = table::widths(&rows);
        section(
            out,
            "No longer required (`--audit` says why)",
            &rows,
            &widths,
            view.width,
        );
    }
}

/// Every watched visit, with the person it is for.
fn visits(out: &mut String, d: &Decision, rs: &RuleSet, width: usize) {
    let rows: Vec<Row> = d
        .visits
        .iter()
        .map(|v| {
            let (text, notes) = visit_words(rs, v, d.as_of);
            Row {
                cells: vec![who(&v.person).to_string(), v.id.clone()],
                text,
                notes,
            }
        })
        .collect();
    if !rows.is_empty() {
        section(out, "Visits", &rows, &table::widths(&rows), width);
    }
}

/// The decision as an audit: every obligation's outcome, person by person (each person's
/// story from start to end), including those done late and those no longer required, with
/// the reason for each.
pub fn audit(d: &Decision, rs: &RuleSet, view: &View<'_>) -> String {
    let mut out = String::new();
    header(&mut out, d, rs);
    let mut said = Said::default();
    // Each list is made and sorted once, then split by person: the audit's cost grows with
    // the number of duties, not with duties times people.
    let open = by_person(to_do(d), |o| &*o.person);
    let done = by_person(finished(d), |o| &*o.person);
    let lapsed = by_person(
        d.obligations
            .iter()
            .filter(|o| o.status == Status::NotRequired),
        |o| &*o.person,
    );
    let visits_of = by_person(d.visits.iter(), |v| v.person.as_str());
    let none = Vec::new();
    let blocks: Vec<(&str, Vec<Row>)> = persons(d)
        .into_iter()
        .map(|p| {
            let lists = [&open, &done, &lapsed].map(|l| l.get(p).unwrap_or(&none).as_slice());
            (p, audit_rows(d, rs, lists, (view.names, &mut said)))
        })
        .collect();
    let widths = table::widths(blocks.iter().flat_map(|(_, rows)| rows));
    for (person, rows) in &blocks {
        let label = if person.is_empty() {
            "Provider-wide"
        } else {
            person
        };
        let _ = writeln!(out, "\n{}", shown(label));
        for row in rows {
            table::write(&mut out, row, &widths, 2, view.width);
        }
        let visits: Vec<Row> = visits_of
            .get(person)
            .into_iter()
            .flatten()
            .map(|v| {
                let (text, notes) = visit_words(rs, v, d.as_of);
                Row {
                    cells: vec![format!("visit {}", v.id)],
                    text,
                    notes,
                }
            })
            .collect();
        let widths = table::widths(&visits);
        for row in &visits {
            table::write(&mut out, row, &widths, 2, view.width);
        }
    }
    footer(&mut out, d, rs, view.width);
    out
}

/// One person's lines in an audit: still open, then finished (with when each was due), then
/// no longer required (with why).
fn audit_rows(
    d: &Decision,
    rs: &RuleSet,
    [open, done, lapsed]: [&[&Obligation]; 3],
    (names, said): (&Names, &mut Said),
) -> Vec<Row> {
    let mut rows: Vec<Row> = open
        .iter()
        .map(|o| open_row(o, d, rs, (names, &mut *said), false))
        .collect();
    for o in done {
        let mut row = done_row(o, d, rs, names, false);
        if let Some(due) = o.due {
            row.notes.push(format!("(due {})", clock(rs, due, d.as_of)));
        }
        rows.push(row);
    }
    for o in lapsed {
        let due = o.due.map_or("--:--".to_string(), |t| clock(rs, t, d.as_of));
        let mut row = duty_row(o, state(o, d.as_of), due, names, false);
        if let Some(late) = o.late_by_seconds {
            let was = format!("was overdue by {} when it lapsed", span_words(late));
            row.notes.push(was);
        }
        let why = o
            .because
            .iter()
            .find(|b| b.starts_with("no longer") || b.starts_with("not required"));
        if let Some(why) = why {
            row.notes.push(names.plain(why));
        }
        rows.push(row);
    }
    rows
}

/// The framework, its version and the moment the decision is for, in the framework's zone.
fn header(out: &mut String, d: &Decision, rs: &RuleSet) {
    let zone = d
        .as_of
        .with_timezone(&rs.timezone())
        .format("%Z")
        .to_string();
    let when = local(rs, d.as_of);
    // In the repeated hour the time names its zone already ("01:30 GMT Sun 25 Oct").
    let suffix = if when.contains(&format!(" {zone} ")) {
        String::new()
    } else {
        format!(" ({zone})")
    };
    let _ = writeln!(
        out,
        "{} {}: as of {when}{suffix}",
        shown(&d.ruleset.framework),
        shown(&d.ruleset.version),
    );
}

/// `items` split by person (in the order given within each), in one pass.
fn by_person<'d, T: 'd>(
    items: impl IntoIterator<Item = &'d T>,
    person: impl Fn(&T) -> &str,
) -> std::collections::BTreeMap<&'d str, Vec<&'d T>> {
    let mut out: std::collections::BTreeMap<&'d str, Vec<&'d T>> = Default::default();
    for item in items {
        out.entry(person(item)).or_default().push(item);
    }
    out
}

/// Everyone with an obligation or a visit, once each, in order. Provider-wide obligations have
/// no person (an empty name), so they come first.
fn persons(d: &Decision) -> Vec<&str> {
    let mut persons: Vec<&str> = d.obligations.iter().map(|o| &*o.person).collect();
    persons.extend(d.visits.iter().map(|v| v.person.as_str()));
    persons.sort_unstable();
    persons.dedup();
    persons
}

/// A watched visit in words, after its id: how it stands, then where it comes from and
/// anything unusual about it (early, short, short of carers, cancelled).
pub(super) fn visit_words(rs: &RuleSet, v: &VisitReport, as_of: Instant) -> (String, Vec<String>) {
    let name = v
        .name
        .as_ref()
        .map(|n| format!("\"{n}\" "))
        .unwrap_or_default();
    let text = format!(
        "{name}({}), planned {}: {}",
        v.criticality,
        clock(rs, v.planned, as_of),
        visit_state(rs, v, as_of)
    );
    let mut notes = Vec::new();
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
    notes.extend(from);
    if let Some(s) = v.early_by_seconds {
        notes.push(format!("the first carer arrived {} early", span_words(s)));
    }
    if let Some(s) = v.short_by_seconds {
        notes.push(format!("{} shorter than planned", span_words(s)));
    }
    if let Some(c) = &v.cancelled {
        notes.push(format!(
            "cancelled at {} by {}: {}",
            clock(rs, c.at, as_of),
            c.by,
            c.reason
        ));
    }
    (text, notes)
}

/// How a visit stands: `LATE since 08:15 Tue 24 Nov`, `arrived on time`.
pub(super) fn visit_state(rs: &RuleSet, v: &VisitReport, as_of: Instant) -> String {
    let at = |t: Option<Instant>| t.map_or(String::new(), |t| clock(rs, t, as_of));
    // The worker came, but the visit did not happen: say that first, never "arrived on time".
    let came = match v.state {
        VisitState::Arrived => Some("on time"),
        VisitState::ArrivedLate => Some("late"),
        VisitState::ArrivedAfterMissed => Some("after it was missed"),
        _ => None,
    };
    if let (Some(t), Some(came)) = (v.no_answer_at, came) {
        return format!(
            "NO ANSWER at the door at {} (the worker came {came})",
            at(Some(t))
        );
    }
    match v.state {
        // Before its planned start a visit is not yet anything (found by a docs-only tester:
        // an 08:00 visit read "on time so far" at midnight).
        VisitState::Upcoming if as_of < v.planned => "upcoming".to_string(),
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
    }
}

/// When the decision next changes without new events, then the decision's notes.
fn footer(out: &mut String, d: &Decision, rs: &RuleSet, width: usize) {
    let _ = writeln!(out, "\n{}", next_change(d, rs));
    for n in &d.notes {
        let lines = table::wrap(&shown(n), width.saturating_sub(6).max(30));
        for (i, line) in lines.iter().enumerate() {
            let lead = if i == 0 { "Note: " } else { "      " };
            table::push_line(out, &format!("{lead}{line}"));
        }
    }
}

/// `Next change: 08:45:01 Tue 24 Nov (in 4 min)`.
///
/// In another year than the list's, the year is said (`00:00 Sat 01 Jan 2028`: without it,
/// the next new year's day was read); at the end of the bank-holiday data, that is said too
/// (found by a docs-only tester).
pub(super) fn next_change(d: &Decision, rs: &RuleSet) -> String {
    let Some(t) = d.next_change else {
        return "Next change: none without new events".to_string();
    };
    let civil = rs.civil();
    let (day, today) = (civil.local_date(t), civil.local_date(d.as_of));
    let mut when = local_to_the_second(rs, t);
    if chrono::Datelike::year(&day) != chrono::Datelike::year(&today) {
        when.push_str(&format!(" {}", chrono::Datelike::year(&day)));
    }
    let holidays = rs.holidays();
    let data_ends = !holidays.covers(day) && day.pred_opt().is_some_and(|p| holidays.covers(p));
    format!(
        "Next change: {when} (in {}{})",
        span_words((t - d.as_of).num_seconds()),
        if data_ends {
            ", when the bank-holiday data ends"
        } else {
            ""
        }
    )
}

/// A local time with its seconds shown when they are not zero.
pub(super) fn local_to_the_second(rs: &RuleSet, t: Instant) -> String {
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
