//! Stage four: turning findings and decisions into text for people and JSON for machines.

pub mod diagnostics;
pub mod plain;
mod table;
pub mod text;
