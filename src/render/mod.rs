//! Stage four: turning findings and decisions into text for people and JSON for machines.

pub mod audit;
pub mod changes;
pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod ndjson;
pub mod plain;
pub mod show;
pub mod svg;
mod table;
pub mod tests;
pub mod text;
pub mod why;
