//! The version of the JSON contract: what a host reads and writes (decisions, timelines, the
//! check report, error documents), named in each as `contract`.

/// The version of the JSON contract this Vigil writes and reads: `MAJOR.MINOR`. A minor step
/// only adds (a new field; a new value where the docs say values may grow); anything else is
/// a major step. CHANGELOG.md lists each.
///
/// ```
/// assert!(vigil::CONTRACT.starts_with("1."));
/// ```
pub const CONTRACT: &str = "1.0";
