//! Matching a test's partial descriptions of duties against a decision's obligations: each
//! description names only the fields it cares about, and each must match a different duty.

use crate::eval::Obligation;
use crate::time::Instant;

/// A duty description, checked and parsed.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub step: Option<String>,
    pub pathway: Option<String>,
    pub action: Option<String>,
    pub role: Option<String>,
    pub status: Option<String>,
    /// `Some(None)`: the duty must have no due time.
    pub due: Option<Option<Instant>>,
    pub visit: Option<String>,
    pub person: String,
    /// The line it is written on.
    pub line: usize,
}

/// One field of a duty, as expected and as found.
struct Field {
    name: &'static str,
    expected: String,
    found: String,
    same: bool,
}

impl Wanted {
    /// The fields this description gives, each against `o`.
    fn fields(&self, o: &Obligation, local: &dyn Fn(Option<Instant>) -> String) -> Vec<Field> {
        let rule = o.rule.name.as_str();
        let mut out = Vec::new();
        let mut push = |name, expected: &Option<String>, found: String, same: bool| {
            if let Some(e) = expected {
                out.push(Field {
                    name,
                    expected: e.clone(),
                    found,
                    same,
                });
            }
        };
        let step_same = self
            .step
            .as_deref()
            .is_some_and(|s| rule == s || rule.rsplit_once('.').is_some_and(|(_, step)| step == s));
        push("step", &self.step, rule.to_string(), step_same);
        let pathway = rule.split_once('.').map_or(rule, |(p, _)| p);
        let same = self.pathway.as_deref() == Some(pathway);
        push("pathway", &self.pathway, pathway.to_string(), same);
        let action = o.action.name();
        push(
            "action",
            &self.action,
            action.into(),
            self.action.as_deref() == Some(action),
        );
        let role = &*o.role;
        push(
            "role",
            &self.role,
            role.into(),
            self.role.as_deref() == Some(role),
        );
        let status = o.status.as_str();
        push(
            "status",
            &self.status,
            status.into(),
            self.status.as_deref() == Some(status),
        );
        let visit = o.visit.as_deref().unwrap_or("none");
        push(
            "visit",
            &self.visit,
            visit.into(),
            self.visit.as_deref() == Some(visit),
        );
        let due = self.due.map(|d| (local(d), d == o.due));
        if let Some((expected, same)) = due {
            push("due", &Some(expected), local(o.due), same);
        }
        out
    }

    /// True if `o` is a duty of this description.
    pub fn matches(&self, o: &Obligation, local: &dyn Fn(Option<Instant>) -> String) -> bool {
        *o.person == *self.person && self.fields(o, local).iter().all(|f| f.same)
    }

    /// The description in words: "step `notify_manager`, role duty_manager, status overdue".
    pub fn words(&self, local: &dyn Fn(Option<Instant>) -> String) -> String {
        let mut parts = Vec::new();
        let mut add = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{name} {v}"));
            }
        };
        add("step", &self.step.as_ref().map(|s| format!("`{s}`")));
        add("pathway", &self.pathway.as_ref().map(|s| format!("`{s}`")));
        add("action", &self.action);
        add("role", &self.role);
        add("status", &self.status);
        add("due", &self.due.map(local));
        add("visit", &self.visit);
        if parts.is_empty() {
            parts.push("any duty".into());
        }
        format!("{} ({})", parts.join(", "), self.person)
    }

    /// How the duty `o` differs from this description, field by field.
    pub fn differences(
        &self,
        o: &Obligation,
        local: &dyn Fn(Option<Instant>) -> String,
    ) -> Vec<String> {
        self.fields(o, local)
            .into_iter()
            .filter(|f| !f.same)
            .map(|f| format!("{}: expected {}, found {}", f.name, f.expected, f.found))
            .collect()
    }

    /// How near `o` is, to find the nearest duty to show: the step named outweighs every
    /// other field (a description naming a step is about that step's duty, whatever else it
    /// gets wrong), then how many of the given fields `o` matches.
    pub fn closeness(&self, o: &Obligation, local: &dyn Fn(Option<Instant>) -> String) -> usize {
        let fields = self.fields(o, local);
        let same = fields.iter().filter(|f| f.same).count();
        let step = fields.iter().any(|f| f.name == "step" && f.same);
        same + if step { fields.len() } else { 0 }
    }
}

/// A duty in words, for failures: its rule, then what a test can state about it.
pub fn duty_words(o: &Obligation, local: &dyn Fn(Option<Instant>) -> String) -> String {
    let mut s = format!(
        "`{}`: action {}, role {}, status {}, due {}",
        o.rule.name,
        o.action.name(),
        o.role,
        o.status.as_str(),
        local(o.due)
    );
    if let Some(v) = &o.visit {
        s.push_str(&format!(", visit {v}"));
    }
    s.push_str(&format!(" ({}, {}:{})", o.person, o.rule.file, o.rule.line));
    s
}

/// Each description matched to a different duty, as many as can be (Kuhn's augmenting
/// paths: descriptions are few, so the simple algorithm is plenty). `assigned[i]` is the
/// duty matched to description `i`.
pub fn assign(
    wanted: &[Wanted],
    duties: &[Obligation],
    local: &dyn Fn(Option<Instant>) -> String,
) -> Vec<Option<usize>> {
    let fits: Vec<Vec<usize>> = wanted
        .iter()
        .map(|w| {
            duties
                .iter()
                .enumerate()
                .filter(|(_, o)| w.matches(o, local))
                .map(|(j, _)| j)
                .collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; duties.len()];
    for i in 0..wanted.len() {
        let mut seen = vec![false; duties.len()];
        augment(i, &fits, &mut owner, &mut seen);
    }
    let mut assigned = vec![None; wanted.len()];
    for (j, w) in owner.iter().enumerate() {
        if let Some(i) = w {
            if let Some(slot) = assigned.get_mut(*i) {
                *slot = Some(j);
            }
        }
    }
    assigned
}

fn augment(i: usize, fits: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &j in fits.get(i).map_or(&[][..], |f| f.as_slice()) {
        if seen.get(j).copied().unwrap_or(true) {
            continue;
        }
        seen[j] = true;
        let free = match owner[j] {
            None => true,
            Some(other) => augment(other, fits, owner, seen),
        };
        if free {
            owner[j] = Some(i);
            return true;
        }
    }
    false
}
