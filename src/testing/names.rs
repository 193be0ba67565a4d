//! The names a test may use, from the rules: no name in a test is free text.

use crate::eval::Status;
use crate::rules::RuleSet;

/// The names a test about one person may use.
pub(super) struct Names {
    /// `pathway.step` and the bare step names, `governance.rule` and the bare rule names.
    pub steps: Vec<String>,
    pub pathways: Vec<String>,
    pub actions: Vec<String>,
    pub roles: Vec<String>,
    pub statuses: Vec<String>,
}

impl Names {
    /// Every step and pathway of the rule set, the framework's and every protocol's: a test
    /// may say that another person's step must not happen to its person.
    pub fn of(rs: &RuleSet) -> Names {
        let mut steps = Vec::new();
        let mut pathways = Vec::new();
        for p in rs.every_pathway() {
            pathways.push(p.name.clone());
            for s in p.steps.iter().chain(&p.after_closure) {
                steps.push(format!("{}.{}", p.name, s.name));
                steps.push(s.name.clone());
            }
        }
        for g in rs.governance() {
            steps.push(format!("governance.{}", g.name));
            steps.push(g.name.clone());
        }
        pathways.push("governance".into());
        steps.sort_unstable();
        steps.dedup();
        pathways.sort_unstable();
        pathways.dedup();
        Names {
            steps,
            pathways,
            actions: crate::vocab::Action::names().map(str::to_string).collect(),
            roles: rs.roles().iter().map(|r| r.name.to_string()).collect(),
            statuses: statuses(),
        }
    }
}

/// Every status, as written.
fn statuses() -> Vec<String> {
    [
        Status::Upcoming,
        Status::Open,
        Status::Due,
        Status::Overdue,
        Status::Done,
        Status::DoneLate,
        Status::Failed,
        Status::NotRequired,
    ]
    .iter()
    .map(|s| s.as_str().to_string())
    .collect()
}
