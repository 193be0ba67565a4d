//! The decision as ndjson: one JSON object per obligation, one per line, each carrying the
//! `contract` and the `as_of` it was decided at before the obligation's own fields (as in the
//! JSON decision), so that a line stands alone in a log or a queue. In the duty list's order.
//! `vigil eval --watch` writes the same lines for the obligations that changed, and one
//! `{"contract", "as_of", "id", "removed": true}` for an obligation no longer in the decision
//! (the timeline was edited). The shapes are in docs/decision.md ("ndjson").

use serde::Serialize;

use crate::eval::{Decision, Obligation};
use crate::time::utc;

/// One line: the contract, the instant, then the obligation's fields.
#[derive(Serialize)]
struct Line<'a> {
    contract: &'a str,
    as_of: String,
    #[serde(flatten)]
    obligation: &'a Obligation,
}

/// An obligation no longer in the decision.
#[derive(Serialize)]
struct Removed<'a> {
    contract: &'a str,
    as_of: String,
    id: &'a str,
    removed: bool,
}

fn to_line<T: Serialize>(value: &T) -> String {
    let mut line = serde_json::to_string(value)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    line.push('\n');
    line
}

/// One obligation's line, with the contract and instant of decision `d`.
pub fn line(d: &Decision, o: &Obligation) -> String {
    to_line(&Line {
        contract: &d.contract,
        as_of: utc(&d.as_of),
        obligation: o,
    })
}

/// The line for an obligation that is no longer in decision `d`.
pub fn removed(d: &Decision, id: &str) -> String {
    to_line(&Removed {
        contract: &d.contract,
        as_of: utc(&d.as_of),
        id,
        removed: true,
    })
}

/// Every obligation of the decision, a line each, in the duty list's order.
pub fn decision(d: &Decision) -> String {
    super::text::in_list_order(d)
        .into_iter()
        .map(|o| line(d, o))
        .collect()
}
