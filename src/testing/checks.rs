//! One instant of a test: its descriptions checked against the rules (no name is free text),
//! then against the decision.

use super::duties::{assign, duty_words, Wanted};
use super::{duties_of, CheckReport, Failure, Runner};
use crate::eval::{Decision, Obligation};
use crate::time::Instant;
use crate::timeline::Timeline;

use super::spec::{Check, DutyMatch};

impl Runner<'_> {
    /// Check one instant; `None` if its descriptions name what the rules or the timeline do
    /// not have (the errors are noted).
    pub(super) fn check(
        &mut self,
        check: &Check,
        (field, from): (&str, usize),
        at: Instant,
        decision: &Decision,
        timeline: &Timeline,
    ) -> Option<CheckReport> {
        let errors = self.report.errors.len();
        let wanted = self.described(
            &check.duties,
            (&format!("{field}.duties"), from),
            decision,
            timeline,
        );
        let unwanted = self.described(
            &check.no_duties,
            (&format!("{field}.no_duties"), from),
            decision,
            timeline,
        );
        let next = match &check.next_change {
            Some(text) if text == "none" => Some(None),
            Some(text) => {
                let place = self.places.key(from, "next_change");
                Some(Some(self.instant(
                    text,
                    place,
                    format!("{field}.next_change"),
                )?))
            }
            None => None,
        };
        self.visit_names(check, (field, from), decision);
        if self.report.errors.len() > errors {
            return None;
        }
        let local = self.local();
        let mut failures = Vec::new();
        self.expected_duties(&wanted, decision, &mut failures);
        for w in &unwanted {
            for o in duties_of(decision, &w.person).filter(|o| w.matches(o, &local)) {
                failures.push(Failure {
                    line: w.line,
                    expected: format!("no duty like: {}", w.words(&local)),
                    found: duty_words(o, &local),
                    differs: Vec::new(),
                });
            }
        }
        self.visit_states(check, from, decision, &mut failures);
        if let Some(next) = next {
            if next != decision.next_change {
                failures.push(Failure {
                    line: self.places.line_col(self.places.key(from, "next_change")).0,
                    expected: next_words(next, &local),
                    found: next_words(decision.next_change, &local),
                    differs: Vec::new(),
                });
            }
        }
        Some(CheckReport {
            at: check.at.clone(),
            at_local: local(Some(at)),
            line: self.places.line_col(from).0,
            checked: wanted.len()
                + unwanted.len()
                + check.visits.len()
                + usize::from(next.is_some()),
            failures,
        })
    }

    /// Each wanted duty matched to a different duty of the decision; a failure for each that
    /// is not, with the nearest duty beside it.
    fn expected_duties(&self, wanted: &[Wanted], decision: &Decision, failures: &mut Vec<Failure>) {
        let local = self.local();
        let duties: Vec<_> = decision.obligations.clone();
        let assigned = assign(wanted, &duties, &local);
        let taken: Vec<usize> = assigned.iter().flatten().copied().collect();
        for (w, a) in wanted.iter().zip(&assigned) {
            if a.is_some() {
                continue;
            }
            let (found, differs) = nearest(w, (&duties, &taken), (wanted, &assigned), &local);
            failures.push(Failure {
                line: w.line,
                expected: format!("a duty: {}", w.words(&local)),
                found,
                differs,
            });
        }
    }

    /// Descriptions of duties, every name in them checked against the rules.
    fn described(
        &mut self,
        list: &[DutyMatch],
        (field, from): (&str, usize),
        decision: &Decision,
        timeline: &Timeline,
    ) -> Vec<Wanted> {
        let key = field.rsplit('.').next().unwrap_or(field);
        let items = self.places.items(self.places.key(from, key));
        let mut out = Vec::new();
        for (k, d) in list.iter().enumerate() {
            let field = format!("{field}[{k}]");
            let at = items.get(k).copied().unwrap_or(from);
            if let Some(w) = self.wanted(d, (&field, at), decision, timeline) {
                out.push(w);
            }
        }
        out
    }

    /// One description, checked.
    fn wanted(
        &mut self,
        d: &DutyMatch,
        (field, at): (&str, usize),
        decision: &Decision,
        timeline: &Timeline,
    ) -> Option<Wanted> {
        let names = super::names::Names::of(self.rs);
        let before = self.report.errors.len();
        let known =
            |this: &mut Self, key: &str, value: &Option<String>, list: &[String], what: &str| {
                if let Some(v) = value {
                    if !list.iter().any(|n| n == v) {
                        this.unknown(at, (field, key), v, list, what);
                    }
                }
            };
        known(self, "step", &d.step, &names.steps, "a step of these rules");
        known(
            self,
            "pathway",
            &d.pathway,
            &names.pathways,
            "a pathway of these rules",
        );
        known(self, "action", &d.action, &names.actions, "an action");
        known(
            self,
            "role",
            &d.role,
            &names.roles,
            "a role of the framework",
        );
        known(self, "status", &d.status, &names.statuses, "a status");
        let mut people: Vec<String> = timeline.persons.iter().map(|p| p.id.clone()).collect();
        people.push(self.spec.person.clone());
        known(
            self,
            "person",
            &d.person,
            &people,
            "a person in the timeline",
        );
        let mut visits: Vec<String> = decision.visits.iter().map(|v| v.id.clone()).collect();
        visits.extend(timeline.visits.iter().map(|v| v.id.clone()));
        visits.extend(
            decision
                .obligations
                .iter()
                .filter_map(|o| o.visit.as_deref().map(str::to_string)),
        );
        if !self.names_only {
            known(self, "visit", &d.visit, &visits, "a visit of the timeline");
        }
        let due = match d.due.as_deref() {
            None => None,
            Some("none") => Some(None),
            // Placed at the value, as an unknown name is (it was the entry's `{`).
            Some(text) => {
                let place = self.places.find(at, text);
                Some(Some(self.instant(text, place, format!("{field}.due"))?))
            }
        };
        if self.report.errors.len() > before {
            return None;
        }
        Some(Wanted {
            step: d.step.clone(),
            pathway: d.pathway.clone(),
            action: d.action.clone(),
            role: d.role.clone(),
            status: d.status.clone(),
            due,
            visit: d.visit.clone(),
            person: d.person.clone().unwrap_or_else(|| self.spec.person.clone()),
            line: self.places.line_col(at).0,
        })
    }

    /// A name the rules (or the timeline) do not have: an error with the nearest one.
    fn unknown(
        &mut self,
        at: usize,
        (field, key): (&str, &str),
        value: &str,
        list: &[String],
        what: &str,
    ) {
        let place = self.places.find(at, value);
        // Each name once, in the order first met: a visit is both in the decision and in the
        // timeline, and was listed as often as it was found.
        let mut seen = crate::hash::Set::default();
        let list: Vec<&str> = list
            .iter()
            .map(String::as_str)
            .filter(|n| seen.insert(*n))
            .collect();
        let near = crate::wording::did_you_mean(value, list.iter().copied());
        let help = match (near, key) {
            (Some(n), _) => format!("did you mean `{n}`?"),
            (None, "visit") if list.is_empty() => "the decision reports no visits here: a person's protocol visits are watched only when the timeline mentions the person (an event) or lists them under `persons`".into(),
            (None, _) if list.is_empty() => "there are none here".into(),
            (None, "role") => {
                "a duty names a role, not an alias: the role the alias stood for at the time".into()
            }
            (None, _) => format!(
                "one of: {}",
                crate::wording::listed(list.iter().copied(), crate::wording::MOST_LISTED)
            ),
        };
        self.error(
            place,
            format!("{field}.{key}"),
            format!("`{value}` is not {what}"),
            Some(help),
        );
    }

    /// Visits named by a check must be in the decision.
    fn visit_names(&mut self, check: &Check, (field, from): (&str, usize), decision: &Decision) {
        let ids: Vec<String> = decision.visits.iter().map(|v| v.id.clone()).collect();
        let states: Vec<String> = VISIT_STATES.iter().map(|s| s.to_string()).collect();
        for (k, v) in check.visits.iter().enumerate() {
            let at = self.places.find(from, &v.visit);
            if !self.names_only && !ids.contains(&v.visit) {
                self.unknown(
                    at,
                    (&format!("{field}.visits[{k}]"), "visit"),
                    &v.visit,
                    &ids,
                    "a visit the decision reports",
                );
            }
            if !states.contains(&v.state) {
                self.unknown(
                    at,
                    (&format!("{field}.visits[{k}]"), "state"),
                    &v.state,
                    &states,
                    "a visit state",
                );
            }
        }
    }

    /// Each visit's state against the one expected.
    fn visit_states(
        &self,
        check: &Check,
        from: usize,
        decision: &Decision,
        failures: &mut Vec<Failure>,
    ) {
        for v in &check.visits {
            let Some(found) = decision.visits.iter().find(|r| r.id == v.visit) else {
                continue;
            };
            let state = serde_json::to_value(found.state)
                .ok()
                .and_then(|s| s.as_str().map(str::to_string))
                .unwrap_or_default();
            if state != v.state {
                failures.push(Failure {
                    line: self.places.line_col(self.places.find(from, &v.visit)).0,
                    expected: format!("visit {} {}", v.visit, v.state),
                    found: format!("visit {} {state}", v.visit),
                    differs: vec![format!("state: expected {}, found {state}", v.state)],
                });
            }
        }
    }
}

/// What a description no duty was left for is shown beside: when duties match it but each
/// is matched by another description, which lines those are; else the nearest duty of the
/// person (the one matching most of the fields given), how it differs, and which
/// description has it if one does.
fn nearest(
    w: &Wanted,
    (duties, taken): (&[Obligation], &[usize]),
    (wanted, assigned): (&[Wanted], &[Option<usize>]),
    local: &dyn Fn(Option<Instant>) -> String,
) -> (String, Vec<String>) {
    let fitting: Vec<usize> = (0..duties.len())
        .filter(|j| duties.get(*j).is_some_and(|o| w.matches(o, local)))
        .collect();
    if !fitting.is_empty() {
        let lines: Vec<String> = (wanted.iter().zip(assigned))
            .filter(|(_, a)| a.is_some_and(|j| fitting.contains(&j)))
            .map(|(x, _)| x.line.to_string())
            .collect();
        let n = fitting.len();
        return (
            format!(
                "{n} dut{} like it, each already matched by another description (line {}): each description needs a duty of its own",
                if n == 1 { "y" } else { "ies" },
                lines.join(", ")
            ),
            Vec::new(),
        );
    }
    // The nearest duty of the person (matching most of the fields given; a free one before a
    // taken one as near), and how it differs. One another description has is still shown,
    // with that description's line (found by a docs-only tester: a wrong role was hidden
    // once a vaguer description took the duty it was meant for).
    let nearest = duties
        .iter()
        .enumerate()
        .filter(|(_, o)| *o.person == *w.person)
        .max_by_key(|(j, o)| {
            (
                w.closeness(o, local),
                !taken.contains(j),
                std::cmp::Reverse(*j),
            )
        });
    let Some((j, o)) = nearest else {
        return (format!("no duty of {} at all", w.person), Vec::new());
    };
    let by = (wanted.iter().zip(assigned))
        .find(|(_, a)| **a == Some(j))
        .map_or_else(String::new, |(x, _)| {
            format!(" (already matched by the description on line {})", x.line)
        });
    (
        format!("{}{by}", duty_words(o, local)),
        w.differences(o, local),
    )
}

/// Every visit state, as written.
const VISIT_STATES: &[&str] = &[
    "upcoming",
    "late",
    "missed",
    "arrived",
    "arrived_late",
    "arrived_after_missed",
    "suspended",
    "partly_attended",
    "cancelled",
];

/// A next change in words: when, or that there is none (not "the next change at none").
fn next_words(next: Option<Instant>, local: &dyn Fn(Option<Instant>) -> String) -> String {
    match next {
        Some(_) => format!("the next change at {}", local(next)),
        None => "no next change (nothing pending)".into(),
    }
}
