//! Vigil: no-response protocols and escalation thresholds for supported living, as code.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod check;
pub mod render;
pub mod rules;
pub mod source;
pub mod span;
pub mod syntax;

pub use source::Source;
pub use span::Span;
