//! Versions of one framework side by side, each in force from its `effective` date until the
//! next one's: last month is judged by last month's rules. An episode follows the version in
//! force when it opened, as an incident follows the policy it was opened under (the
//! evaluator's side is in [`crate::eval`]).

use super::RuleSet;
use crate::time::Instant;

/// The checked versions of one framework, earliest first.
///
/// ```
/// # let text = |v: &str, eff: &str| format!(r#"framework "Acme" version {v} {{ {eff} role support_worker "Support worker" }}"#);
/// let checked = vigil::check::check(&[
///     vigil::Source::new("2026.vigil", text("2026.1", "")),
///     vigil::Source::new("2027.vigil", text("2027.1", "effective 2027-01-04")),
/// ]);
/// let versions = vigil::rules::Versions::new(checked.rulesets).unwrap();
/// let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
/// assert_eq!(versions.in_force(at("2027-01-03T23:59:59Z")).version(), "2026.1");
/// assert_eq!(versions.in_force(at("2027-01-04T00:00:00Z")).version(), "2027.1");
/// ```
#[derive(Debug, Clone)]
pub struct Versions {
    sets: Vec<RuleSet>,
}

/// Why rule sets cannot stand side by side as versions of one framework.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersionsError {
    /// No rule set was given.
    Empty,
    /// They are different frameworks.
    Frameworks(Vec<String>),
    /// Two versions come into force at the same instant (or both leave `effective` out), so
    /// which is in force cannot be told.
    SameStart(String, String),
}

impl std::fmt::Display for VersionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionsError::Empty => write!(f, "no framework was given"),
            VersionsError::Frameworks(names) => write!(
                f,
                "the rules hold {} frameworks ({}); give one framework and its protocols",
                names.len(),
                names.join(", ")
            ),
            VersionsError::SameStart(a, b) => write!(
                f,
                "versions {a} and {b} come into force at the same time; give each its own `effective` date"
            ),
        }
    }
}

impl std::error::Error for VersionsError {}

impl Versions {
    /// The versions, ordered by when each comes into force (one with no `effective` date
    /// first). They must be versions of one framework, each starting on a day of its own.
    pub fn new(mut sets: Vec<RuleSet>) -> Result<Versions, VersionsError> {
        let mut names: Vec<String> = sets.iter().map(|s| s.framework.clone()).collect();
        names.sort();
        names.dedup();
        match names.len() {
            0 => return Err(VersionsError::Empty),
            1 => {}
            _ => return Err(VersionsError::Frameworks(names)),
        }
        sets.sort_by_key(RuleSet::effective);
        for pair in sets.windows(2) {
            if let [a, b] = pair {
                if a.effective() == b.effective() {
                    return Err(VersionsError::SameStart(
                        a.version.clone(),
                        b.version.clone(),
                    ));
                }
            }
        }
        Ok(Versions { sets })
    }

    /// Every version, earliest first.
    pub fn all(&self) -> &[RuleSet] {
        &self.sets
    }

    /// The version in force at `t`: the latest that came into force at or before it; before
    /// any did, the earliest (whose rules then judge what came before it, as
    /// [`Versions::before_any`] says).
    pub fn in_force(&self, t: Instant) -> &RuleSet {
        let i = self.index_at(t);
        &self.sets[i.min(self.sets.len() - 1)]
    }

    /// The index of the version in force at `t` (see [`Versions::in_force`]).
    pub(crate) fn index_at(&self, t: Instant) -> usize {
        let started = self
            .sets
            .iter()
            .take_while(|s| s.effective().is_none_or(|e| e <= t))
            .count();
        started.saturating_sub(1)
    }

    /// When the earliest version comes into force, if anything before it must be judged by
    /// it all the same (no version was in force then).
    pub fn before_any(&self) -> Option<Instant> {
        self.sets.first().and_then(RuleSet::effective)
    }
}
