//! Vigil: no-response protocols and escalation thresholds for supported living, as code.
//!
//! A provider writes a **framework** (roles, office hours, thresholds, escalation ladders,
//! floors); a registered manager writes each person's **protocol** on top of it. Vigil reads
//! both, checks them, and builds a [`rules::RuleSet`]:
//!
//! ```
//! use vigil::{check::check, Source};
//!
//! let framework = Source::new("framework.vigil", r#"
//! framework "Acme Support" version 1 {
//!   immediately means 5m
//!   role support_worker "Support worker"
//!   role on_call_manager "On-call manager" covers support_worker
//!   agency emergency_services "Emergency services (999)" emergency
//!   red_flags person_seen_on_floor
//!   communication no_phone "Cannot use a phone" rules out phone
//!   pathway emergency on red_flag {
//!     step call_999: escalate to emergency_services by support_worker immediately
//!     step tell: notify on_call_manager by support_worker immediately
//!   }
//! }"#);
//! let protocol = Source::new("p-7.vigil", r#"
//! protocol "P-7" under "Acme Support" version 1 {
//!   person { communication no_phone "deaf" }
//!   methods phone, text
//! }"#);
//!
//! let checked = check(&[framework, protocol]);
//! // Phone contact for a person whose communication need rules it out is error E020, located
//! // in p-7.vigil.
//! let finding = &checked.diagnostics[0];
//! assert_eq!(finding.code.as_str(), "E020");
//! assert_eq!(finding.file, 1);
//! assert!(checked.rulesets.is_empty(), "no rule set is built while there are errors");
//! ```
//!
//! With the rules checked, a host evaluates a timeline at an instant of its choosing (the
//! evaluator never reads the clock) and gets every obligation, its status, and when to ask
//! again:
//!
//! ```
//! use vigil::timeline::{Format, Timeline};
//!
//! let rules = vigil::compile(&[vigil::Source::new(
//!     "framework.vigil",
//!     std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
//! )])
//! .unwrap();
//! // A critical visit planned for 08:00 on Tuesday 24 November 2026, and no arrival.
//! let timeline = Timeline::load(
//!     r#"{"events": [{"at": "2026-11-23T18:00:00Z", "person": "P-1", "kind": "visit_planned",
//!        "visit": "V1", "planned": "2026-11-24T08:00:00Z", "criticality": "critical"}]}"#,
//!     Format::Json,
//!     "timeline.json",
//!     &rules,
//! )
//! .unwrap();
//! let decision = rules.evaluate(&timeline, "2026-11-24T08:41:00Z".parse().unwrap());
//! let notify = decision.obligations.iter().find(|o| o.action == vigil::eval::Action::Notify).unwrap();
//! assert_eq!(&*notify.summary, "Notify the duty manager");
//! assert_eq!(notify.due_local.as_deref(), Some("2026-11-24T08:35:00+00:00"));
//! assert_eq!(notify.status, vigil::eval::Status::Overdue);
//! ```
//!
//! The stages are [`syntax`] (text to syntax tree), [`check`] (syntax tree to rule set, with
//! every finding), [`timeline`] (events, checked), [`eval`] (the decision), [`time`] (civil
//! time) and [`render`] (text and JSON). `ARCHITECTURE.md` has the map.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod audit;
pub mod check;
pub mod contract;
mod error;
pub mod eval;
mod hash;
pub mod limits;
mod options;
pub mod render;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod simulate;
pub mod source;
pub mod span;
pub mod syntax;
pub mod testing;
pub mod time;
pub mod timeline;
pub mod vocab;
pub mod wording;

pub use source::Source;
pub use span::Span;

pub use contract::Problem;
pub use contract::CONTRACT;
pub use error::Error;
pub use limits::Limits;
pub use options::RuleSetBuilder;

/// Every finding from checking a set of sources, with the sources, ready to show.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    /// The findings, errors and warnings.
    pub findings: Vec<check::Diagnostic>,
    /// The sources they point into.
    pub sources: Vec<Source>,
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.findings {
            f.write_str(&render::diagnostics::to_text(d, &self.sources))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Check a framework and its protocols and return the rule set they make, or every finding if
/// there is any error (or not exactly one framework).
///
/// ```
/// let sources = vec![vigil::Source::new(
///     "framework.vigil",
///     std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
/// )];
/// let rs = vigil::compile(&sources).unwrap();
/// assert_eq!(rs.framework(), "Example Supported Living");
/// ```
pub fn compile(sources: &[Source]) -> Result<rules::RuleSet, Diagnostics> {
    let mut checked = check::check(sources);
    let fail =
        |mut findings: Vec<check::Diagnostic>, extra: Option<check::Diagnostic>| Diagnostics {
            findings: {
                findings.extend(extra);
                findings
            },
            sources: sources.to_vec(),
        };
    if checked.errors() > 0 {
        return Err(fail(checked.diagnostics, None));
    }
    match checked.rulesets.len() {
        1 => Ok(checked.rulesets.remove(0)),
        n => {
            let (code, message) = if n == 0 {
                (
                    check::Code::MissingFramework,
                    "no framework among the sources".to_string(),
                )
            } else {
                (
                    check::Code::DuplicateDocument,
                    format!("{n} frameworks among the sources; compile one at a time"),
                )
            };
            let d = check::Diagnostic::new(
                code,
                0,
                Span::default(),
                message,
                "here",
                "give compile one framework and the protocols written under it",
            );
            Err(fail(checked.diagnostics, Some(d)))
        }
    }
}

/// For the crate's own tests: the rules of one folder of `protocols/` (its `.vigil` files in
/// name order), compiled.
#[cfg(test)]
#[allow(clippy::unwrap_used)] // a fixture that cannot be read should fail the test loudly
pub(crate) fn rules_in(dir: &str) -> rules::RuleSet {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .collect();
    files.sort();
    let sources: Vec<Source> = files
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    compile(&sources).unwrap()
}
