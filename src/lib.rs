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
//! // Phone contact for a person who cannot use a phone is error E020, located in p-7.vigil.
//! let finding = &checked.diagnostics[0];
//! assert_eq!(finding.code.as_str(), "E020");
//! assert_eq!(finding.file, 1);
//! assert!(checked.rulesets.is_empty(), "no rule set is built while there are errors");
//! ```
//!
//! The stages are [`syntax`] (text to syntax tree), [`check`] (syntax tree to rule set, with
//! every finding) and [`render`] (findings as text or JSON). `ARCHITECTURE.md` has the map.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod check;
pub mod render;
pub mod rules;
pub mod source;
pub mod span;
pub mod syntax;
pub mod time;

pub use source::Source;
pub use span::Span;
