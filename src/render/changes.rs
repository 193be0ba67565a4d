//! What changed between two decisions, for `vigil eval --watch`: a pure function of the two,
//! so the watch loop only reads the clock and the file, and this is tested on its own.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::table::{self, Row};
use super::text::{self as list, Said, View};
use crate::eval::{Decision, Obligation, Status, VisitReport, VisitState};
use crate::rules::RuleSet;

/// What changed from one decision to the next.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    /// Obligations new in the later decision, or whose standing changed, in the duty list's
    /// order (the most urgent first).
    pub obligations: Vec<Changed<'a>>,
    /// Obligations in the earlier decision and not the later (the timeline was edited).
    pub removed: Vec<&'a Obligation>,
    /// Visits new in the later decision, or whose state changed, with the state they had.
    pub visits: Vec<(&'a VisitReport, Option<VisitState>)>,
}

/// One obligation that is new or changed.
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    /// As it stands now.
    pub now: &'a Obligation,
    /// As it stood before; `None` if it is new.
    pub was: Option<&'a Obligation>,
}

impl Changes<'_> {
    /// True if nothing changed.
    pub fn is_empty(&self) -> bool {
        self.obligations.is_empty() && self.removed.is_empty() && self.visits.is_empty()
    }

    /// How many things changed.
    pub fn len(&self) -> usize {
        self.obligations.len() + self.removed.len() + self.visits.len()
    }
}

/// Whether a duty's standing differs: its status, due time, when it was done, how it ended,
/// who does it or what it says to do. How late an overdue duty is grows every second, and is
/// not a change.
fn differs(a: &Obligation, b: &Obligation) -> bool {
    a.status != b.status
        || a.due != b.due
        || a.done_at != b.done_at
        || a.outcome != b.outcome
        || a.role != b.role
        || a.summary != b.summary
}

/// What changed from `before` to `after`, obligations and visits matched by id.
pub fn between<'a>(before: &'a Decision, after: &'a Decision) -> Changes<'a> {
    let old: BTreeMap<&str, &Obligation> = before
        .obligations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let new: BTreeMap<&str, &Obligation> = after
        .obligations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let obligations = super::text::in_list_order(after)
        .into_iter()
        .filter_map(|now| match old.get(now.id.as_str()) {
            None => Some(Changed { now, was: None }),
            Some(was) if differs(was, now) => Some(Changed {
                now,
                was: Some(was),
            }),
            Some(_) => None,
        })
        .collect();
    let removed = before
        .obligations
        .iter()
        .filter(|o| !new.contains_key(o.id.as_str()))
        .collect();
    let seen: BTreeMap<(&str, &str), VisitState> = before
        .visits
        .iter()
        .map(|v| ((v.person.as_str(), v.id.as_str()), v.state))
        .collect();
    let visits = after
        .visits
        .iter()
        .filter_map(|v| match seen.get(&(v.person.as_str(), v.id.as_str())) {
            None => Some((v, None)),
            Some(s) if *s != v.state => Some((v, Some(*s))),
            Some(_) => None,
        })
        .collect();
    Changes {
        obligations,
        removed,
        visits,
    }
}

/// The changes as text: a heading with the instant and how many, each changed duty's line
/// as the duty list shows it with what it was before, each changed visit, and when the
/// answer next changes.
pub fn text(c: &Changes<'_>, d: &Decision, rs: &RuleSet, view: &View<'_>) -> String {
    let mut out = String::new();
    let n = c.len();
    let _ = writeln!(
        out,
        "\n{}: {n} {}",
        list::local_to_the_second(rs, d.as_of),
        if n == 1 { "change" } else { "changes" }
    );
    let mut said = Said::default();
    let mut rows: Vec<Row> = c
        .obligations
        .iter()
        .map(|ch| {
            let mut row = duty(ch.now, d, rs, (view, &mut said));
            let was = match ch.was {
                None => "new".to_string(),
                Some(w) => format!("was {}", w.status.as_str().replace('_', " ")),
            };
            row.notes.insert(0, was);
            row
        })
        .collect();
    for o in &c.removed {
        let mut row = list::duty_row(o, "removed".into(), String::new(), view.names, true);
        row.notes
            .push("no longer in the decision: the timeline changed".into());
        rows.push(row);
    }
    let widths = table::widths(&rows);
    for row in &rows {
        table::write(&mut out, row, &widths, 2, view.width);
    }
    let visits: Vec<Row> = c
        .visits
        .iter()
        .map(|(v, was)| {
            let (text, mut notes) = list::visit_words(rs, v, d.as_of);
            let was = was.map_or("new".to_string(), |w| format!("before: {}", visit_word(w)));
            notes.insert(0, was);
            Row {
                cells: vec![
                    "visit".into(),
                    list::who(&v.person).to_string(),
                    v.id.clone(),
                ],
                text,
                notes,
            }
        })
        .collect();
    let widths = table::widths(&visits);
    for row in &visits {
        table::write(&mut out, row, &widths, 2, view.width);
    }
    let _ = writeln!(out, "{}", list::next_change(d, rs));
    out
}

/// A changed duty's line, as the duty list shows one of its status.
fn duty(o: &Obligation, d: &Decision, rs: &RuleSet, (view, said): (&View<'_>, &mut Said)) -> Row {
    match o.status {
        Status::NotRequired => {
            let due = o
                .due
                .map_or("--:--".to_string(), |t| rs.civil().short_local(t));
            let mut row = list::duty_row(o, list::state(o, d.as_of), due, view.names, true);
            let why = o
                .because
                .iter()
                .find(|b| b.starts_with("no longer") || b.starts_with("not required"));
            row.notes.extend(why.map(|w| view.names.plain(w)));
            row
        }
        Status::Done | Status::DoneLate | Status::Failed => {
            list::done_row(o, d, rs, view.names, true)
        }
        Status::Overdue | Status::Due | Status::Open | Status::Upcoming => {
            list::open_row(o, d, rs, (view.names, said), true)
        }
    }
}

/// A visit's state in a word or two, for what it was before.
fn visit_word(s: VisitState) -> &'static str {
    match s {
        VisitState::Upcoming => "on time so far",
        VisitState::Late => "late",
        VisitState::Missed => "missed",
        VisitState::Arrived => "arrived on time",
        VisitState::ArrivedLate => "arrived late",
        VisitState::ArrivedAfterMissed => "arrived after it was missed",
        VisitState::Suspended => "suspended",
        VisitState::PartlyAttended => "partly attended",
        VisitState::Cancelled => "cancelled",
    }
}

/// The changes as ndjson: a line for each new or changed obligation, and one for each
/// removed.
pub fn ndjson(c: &Changes<'_>, d: &Decision) -> String {
    let mut out: String = c
        .obligations
        .iter()
        .map(|ch| super::ndjson::line(d, ch.now))
        .collect();
    for o in &c.removed {
        out.push_str(&super::ndjson::removed(d, &o.id));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::eval::Status;

    fn decision_at(at: &str, extra: &str) -> Decision {
        let rs = crate::check::check(&[crate::source::Source::new(
            "framework.vigil",
            std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
        )])
        .rulesets
        .remove(0);
        let text = format!("events:\n  - {{ id: p1, at: \"2026-11-23T18:00:00Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical }}\n{extra}");
        let tl = crate::timeline::Timeline::load(&text, crate::timeline::Format::Yaml, "t", &rs)
            .unwrap();
        rs.evaluate(&tl, at.parse().unwrap())
    }

    #[test]
    fn the_same_decision_later_changes_only_where_a_status_turns() {
        // 08:36 and 08:38: the notice is overdue at both, by more at the later; the log is
        // due at both. Nothing changed, though the overdue one is later by two minutes.
        let a = decision_at("2026-11-24T08:36:00Z", "");
        let b = decision_at("2026-11-24T08:38:00Z", "");
        assert!(between(&a, &b).is_empty());
        // At 08:41 the log (due 08:40) has gone overdue: one change, from due.
        let c = decision_at("2026-11-24T08:41:00Z", "");
        let changes = between(&b, &c);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let one = changes.obligations[0];
        assert_eq!(one.now.status, Status::Overdue);
        assert_eq!(one.was.unwrap().status, Status::Due);
    }

    #[test]
    fn new_duties_visits_and_removed_ones_are_changes() {
        // Before 08:15 there is nothing but the visit, on time; at 08:31 the visit is
        // missed and its ladder's duties are new.
        let a = decision_at("2026-11-24T08:10:00Z", "");
        let b = decision_at("2026-11-24T08:31:00Z", "");
        let changes = between(&a, &b);
        assert!(changes.obligations.iter().all(|c| c.was.is_none()));
        assert!(!changes.obligations.is_empty());
        assert_eq!(changes.visits.len(), 1);
        assert_eq!(changes.visits[0].1, Some(VisitState::Upcoming));
        // Going back, every one of them is removed.
        let back = between(&b, &a);
        assert_eq!(back.removed.len(), changes.obligations.len());
        // A notice recorded: done, and so a change.
        let told = decision_at(
            "2026-11-24T08:31:00Z",
            "  - { at: \"2026-11-24T08:31:00Z\", person: P-0001, kind: notified, role: duty_manager, by: scheduling_coordinator, visit: V1 }\n",
        );
        let changes = between(&b, &told);
        assert!(changes
            .obligations
            .iter()
            .any(|c| c.now.status == Status::Done && c.was.is_some()));
    }
}
