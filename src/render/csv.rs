//! The decision as CSV (RFC 4180) for spreadsheets: a header row, then one row per
//! obligation, in the duty list's order (most urgent first, then finished, then no longer
//! required). Records end with CRLF, as RFC 4180 and spreadsheets expect; a field holding a
//! comma, a double quote, a CR or an LF is quoted, its quotes doubled (the reasons, one per
//! line, are one such field). A field that would begin with `=`, `+`, `-` or `@` is written
//! with a `'` before it, so that a spreadsheet shows it as text and never runs it as a
//! formula (a person or visit id comes from the timeline, as written by whoever wrote it).
//!
//! The columns are in docs/decision.md ("CSV"). Ids and reasons are as in the JSON decision,
//! ids included, for auditors.

use crate::eval::{Decision, Obligation};
use crate::rules::RuleSet;
use crate::time::utc;

use super::text::{in_list_order, span_words};

/// The header row's names, in order.
pub const COLUMNS: [&str; 18] = [
    "as_of",
    "id",
    "person",
    "visit",
    "status",
    "due_local",
    "late_by",
    "late_by_seconds",
    "done_local",
    "summary",
    "role_name",
    "role",
    "episode",
    "because",
    "rule",
    "rule_at",
    "cites",
    // Added last, as a minor step may: under versions side by side the duties of one list
    // follow different versions (found by a docs-only tester: only `rule_at` told them apart).
    "version",
];

/// One field, quoted where RFC 4180 needs it, and kept from being read as a formula.
pub fn field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One record: the fields, separated by commas, ended by CRLF.
pub(super) fn record(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// The header row.
pub fn header() -> String {
    let mut out = String::new();
    record(&mut out, &COLUMNS.map(String::from));
    out
}

/// One obligation's row.
pub fn row(d: &Decision, rs: &RuleSet, o: &Obligation) -> String {
    let civil = rs.civil();
    let fields = [
        utc(&d.as_of),
        o.id.clone(),
        o.person.to_string(),
        o.visit.as_deref().unwrap_or("").to_string(),
        o.status.as_str().to_string(),
        o.due_local.clone().unwrap_or_default(),
        o.late_by_seconds.map(span_words).unwrap_or_default(),
        o.late_by_seconds.map(|s| s.to_string()).unwrap_or_default(),
        o.done_at
            .map(|t| civil.local_rfc3339(t))
            .unwrap_or_default(),
        o.summary.to_string(),
        o.role_name.to_string(),
        o.role.to_string(),
        o.episode.to_string(),
        o.because.join("\n"),
        o.rule.name.clone(),
        format!("{}:{}:{}", o.rule.file, o.rule.line, o.rule.column),
        o.cites.join("; "),
        o.version.to_string(),
    ];
    let mut out = String::new();
    record(&mut out, &fields);
    out
}

/// The decision as CSV: the header, then every obligation in the duty list's order.
pub fn decision(d: &Decision, rs: &RuleSet) -> String {
    let mut out = header();
    for o in in_list_order(d) {
        out.push_str(&row(d, rs, o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("one\ntwo"), "\"one\ntwo\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn a_field_is_never_a_formula() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-2"), "'-2");
    }

    #[test]
    fn the_header_names_every_column_once() {
        let h = header();
        assert!(h.ends_with("\r\n"));
        assert_eq!(h.trim_end().split(',').count(), COLUMNS.len());
    }
}
