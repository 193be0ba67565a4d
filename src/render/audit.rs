//! An audit ([`crate::audit::Audit`]) as text for a terminal, CSV (one row per duty), JSON,
//! and a governance pack in Markdown or HTML, with the chart of missed and late visits per
//! week ([`super::svg::weekly_chart`]).

use std::fmt::Write as _;

use crate::audit::{Audit, AuditDuty, Group, Tally};
use crate::rules::RuleSet;
use crate::time::Instant;
use crate::wording::{duration_words, shown};

/// `2026-11-24T08:00:00Z` as the framework's wall clock, with its zone's abbreviation (the
/// hour the clocks go back happens twice): `08:00 GMT Tue 24 Nov 2026`; with its seconds when
/// it has any.
fn local(rs: &RuleSet, utc: &str) -> String {
    match utc.parse::<Instant>() {
        Ok(t) => {
            let layout = if chrono::Timelike::second(&t) == 0 {
                "%H:%M %Z %a %d %b %Y"
            } else {
                "%H:%M:%S %Z %a %d %b %Y"
            };
            t.with_timezone(&rs.timezone()).format(layout).to_string()
        }
        Err(_) => utc.to_string(),
    }
}

/// Which versions judged the period's duties, and which was in force at its end.
fn versions(a: &Audit) -> String {
    let judged = match a.versions.as_slice() {
        [] => "no duty fell in the period".to_string(),
        [one] => format!("every duty judged by version {one}"),
        more => format!("duties judged by versions {}", more.join(", ")),
    };
    format!(
        "{judged}; version {} in force in the period's last second",
        a.version
    )
}

/// The period in words.
fn period(a: &Audit, rs: &RuleSet) -> String {
    format!(
        "{} to {} ({})",
        local(rs, &a.from),
        local(rs, &a.to),
        a.zone
    )
}

/// How late, in words ("2 h 5 min"), or empty.
fn late(d: &AuditDuty) -> String {
    d.late_by_seconds
        .filter(|s| *s > 0)
        .map_or(String::new(), |s| duration_words(s.unsigned_abs()))
}

/// The outcome with how late: "never done, overdue by 2 h".
fn outcome(d: &AuditDuty) -> String {
    let by = late(d);
    match (d.outcome, by.is_empty()) {
        (_, true) => d.outcome.words().to_string(),
        (crate::audit::Outcome::Late, false) => format!("done {by} late"),
        (crate::audit::Outcome::LapsedOverdue, false) => {
            format!("no longer required, after {by} overdue")
        }
        (_, false) => format!("{}, overdue by {by}", d.outcome.words()),
    }
}

/// A tally in one line of words.
fn tally_words(t: &Tally) -> String {
    let mut out = format!(
        "{} dut{}: {} on time, {} late, {} never done",
        t.duties,
        if t.duties == 1 { "y" } else { "ies" },
        t.on_time,
        t.late,
        t.never_done
    );
    let _ = write!(
        out,
        ", {} overdue then no longer required",
        t.lapsed_overdue
    );
    // Always said, as every other outcome is, so that the counts add up to the duties.
    let _ = write!(out, ", {} done with no deadline", t.done_no_deadline);
    let _ = write!(
        out,
        ", {} no longer required, {} open at the end",
        t.not_required, t.open
    );
    out
}

/// "87.5% on time (of 8 that fell due)", or that none fell due.
fn compliance(t: &Tally) -> String {
    let fell_due = t.on_time + t.late + t.never_done + t.lapsed_overdue;
    match t.compliance_percent {
        Some(p) => format!("{p:.1}% on time (of {fell_due} that fell due)"),
        None => "none fell due".to_string(),
    }
}

/// The duty's citations for a reader: one that a more specific one of the same list begins
/// with (the pathway's "000 ex1" beside its step's "000 ex1 s3") is left out. (The CSV and
/// JSON keep every citation.)
fn cites(d: &AuditDuty) -> String {
    crate::wording::citations(&d.cites)
}

/// The duty's person, or "provider".
fn who(d: &AuditDuty) -> &str {
    if d.person.is_empty() {
        "provider"
    } else {
        &d.person
    }
}

/// The audit for a terminal: the figures, the breaches worst first, each grouping.
pub fn text(a: &Audit, rs: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Audit: {}", shown(&a.framework));
    let _ = writeln!(out, "Period: {}", period(a, rs));
    let _ = writeln!(out, "Versions: {}", versions(a));
    for n in &a.notes {
        let _ = writeln!(out, "Note: {}", shown(n));
    }
    let _ = writeln!(out, "\n{}", tally_words(&a.totals));
    let _ = writeln!(out, "Compliance: {}", compliance(&a.totals));
    let _ = writeln!(
        out,
        "Governance: {}; {}",
        tally_words(&a.governance),
        compliance(&a.governance)
    );
    let v = &a.visits;
    let _ = writeln!(
        out,
        "Visits: {} planned: {} on time, {} late, {} no answer at the door, {} missed, {} partly attended, {} cancelled, {} suspended, {} pending",
        v.planned, v.on_time, v.late, v.no_answer, v.missed, v.partly_attended, v.cancelled, v.suspended, v.pending
    );
    let breaches: Vec<&AuditDuty> = a.breaches().collect();
    let _ = writeln!(out, "\nBreaches, worst first ({})", breaches.len());
    for d in &breaches {
        let _ = writeln!(
            out,
            "  {}: {} [{}]{}{}; due {}; {}; rule {} ({}), version {}{}",
            who(d),
            shown(&d.summary),
            shown(&d.role_name),
            d.visit
                .as_deref()
                .map_or(String::new(), |v| format!(" visit {}", shown(v))),
            place(d),
            d.due.as_deref().map_or("-".into(), |t| local(rs, t)),
            outcome(d),
            d.rule,
            d.source,
            d.version,
            if d.cites.is_empty() {
                String::new()
            } else {
                format!("; cites {}", cites(d))
            }
        );
    }
    for (title, groups) in groupings(a) {
        let _ = writeln!(out, "\n{title}");
        for g in groups {
            let _ = writeln!(
                out,
                "  {}: {}; {}",
                shown(&g.label),
                tally_words(&g.tally),
                compliance(&g.tally)
            );
        }
    }
    let _ = writeln!(out, "\nVisits by week (Monday)");
    for w in &a.weeks {
        let _ = writeln!(
            out,
            "  {}: {} planned, {} missed, {} late",
            w.starts, w.visits.planned, w.visits.missed, w.visits.late
        );
    }
    out
}

/// " route R2", " location L1", both or neither: what a breach is about beside its visit, so
/// that two per-location duties for different locations do not read the same.
fn place(d: &AuditDuty) -> String {
    let mut out = String::new();
    if let Some(r) = d.route.as_deref() {
        out.push_str(&format!(" route {}", shown(r)));
    }
    if let Some(l) = d.location.as_deref() {
        out.push_str(&format!(" location {}", shown(l)));
    }
    out
}

/// The groupings, titled, in the order the pack prints them.
fn groupings(a: &Audit) -> [(&'static str, &[Group]); 5] {
    [
        ("By role", &a.by_role),
        ("By person", &a.by_person),
        ("By route", &a.by_route),
        ("By location", &a.by_location),
        ("By review cycle", &a.by_cycle),
    ]
}

/// The columns of the CSV: one row per duty.
const COLUMNS: [&str; 19] = [
    "id",
    "person",
    "visit",
    "route",
    "location",
    "summary",
    "role",
    "role_name",
    "opened_at",
    "due",
    "done_at",
    "outcome",
    "late_by_seconds",
    "ended",
    "rule",
    "rule_at",
    "version",
    "cites",
    "because",
];

/// Every duty, one row each, breaches first (worst first); RFC 4180, CRLF.
pub fn csv(a: &Audit) -> String {
    let mut out = String::new();
    super::csv::record(&mut out, &COLUMNS.map(String::from));
    for d in &a.duties {
        let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
        super::csv::record(
            &mut out,
            &[
                d.id.clone(),
                d.person.to_string(),
                opt(d.visit.as_deref()),
                opt(d.route.as_deref()),
                opt(d.location.as_deref()),
                d.summary.to_string(),
                d.role.to_string(),
                d.role_name.to_string(),
                d.opened_at.clone(),
                opt(d.due.as_deref()),
                opt(d.done_at.as_deref()),
                serde_json::to_value(d.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                d.late_by_seconds.map_or(String::new(), |s| s.to_string()),
                opt(d.ended.as_deref()),
                d.rule.to_string(),
                d.source.to_string(),
                d.version.to_string(),
                d.cites.join("; "),
                d.because.join("; "),
            ],
        );
    }
    out
}

/// Text for a Markdown table cell ([`super::markdown_text`]).
fn md(text: &str) -> String {
    super::markdown_text(text)
}

/// Text for HTML.
fn html_text(text: &str) -> String {
    shown(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Prose for HTML: as [`html_text`], with each name Vigil quotes between backquotes set as
/// code, as Markdown shows it (the backquotes were printed as they are). Unpaired backquotes
/// are left as written.
fn html_prose(text: &str) -> String {
    let escaped = html_text(text);
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len() % 2 == 0 {
        return escaped;
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("<code>{p}</code>")
            } else {
                (*p).to_string()
            }
        })
        .collect()
}

/// A table: a header row and rows of cells, as Markdown or HTML.
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn markdown(&self, out: &mut String) {
        let row = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| md(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&row(&self.head));
        out.push_str(&format!("|{}\n", "---|".repeat(self.head.len())));
        for r in &self.rows {
            out.push_str(&row(r));
        }
    }

    fn html(&self, out: &mut String) {
        out.push_str("<table>\n<thead><tr>");
        for h in &self.head {
            let _ = write!(out, "<th scope=\"col\">{}</th>", html_text(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            out.push_str("<tr>");
            for c in r {
                let _ = write!(out, "<td>{}</td>", html_text(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
}

/// The title of the pack's section on visits, which the chart follows.
const VISITS: &str = "Visits";

/// The pack's sections, each a title, a paragraph and a table, whatever it is written as.
fn sections(a: &Audit, rs: &RuleSet) -> Vec<(String, String, Table)> {
    let tally_head = || {
        [
            "",
            "duties",
            "on time",
            "late",
            "never done",
            "overdue, then not required",
            "done, no deadline",
            "no longer required",
            "open at the end",
            "compliance",
        ]
        .map(String::from)
        .to_vec()
    };
    let tally_row = |label: &str, t: &Tally| {
        vec![
            label.to_string(),
            t.duties.to_string(),
            t.on_time.to_string(),
            t.late.to_string(),
            t.never_done.to_string(),
            t.lapsed_overdue.to_string(),
            t.done_no_deadline.to_string(),
            t.not_required.to_string(),
            t.open.to_string(),
            t.compliance_percent
                .map_or("-".into(), |p| format!("{p:.1}%")),
        ]
    };
    let mut out = Vec::new();
    out.push((
        "Summary".to_string(),
        format!(
            "Compliance is the share of duties that fell due in the period and were done by their due time. All duties: {}. Governance duties: {}.",
            compliance(&a.totals),
            compliance(&a.governance)
        ),
        Table {
            head: tally_head(),
            rows: vec![
                tally_row("All duties", &a.totals),
                tally_row("Governance duties", &a.governance),
            ],
        },
    ));
    let v = &a.visits;
    out.push((
        VISITS.to_string(),
        "Visits planned to start in the period, by what became of them (a visit arrived at after its missed threshold counts as missed; one past its late threshold with no arrival yet when the period ended is pending).".to_string(),
        Table {
            head: [
                "week (Monday)", "planned", "on time", "late", "no answer", "missed",
                "partly attended", "cancelled", "suspended", "pending",
            ]
            .map(String::from)
            .to_vec(),
            rows: a
                .weeks
                .iter()
                .map(|w| (w.starts.clone(), &w.visits))
                .chain(std::iter::once(("All".to_string(), v)))
                .map(|(label, v)| {
                    vec![
                        label,
                        v.planned.to_string(),
                        v.on_time.to_string(),
                        v.late.to_string(),
                        v.no_answer.to_string(),
                        v.missed.to_string(),
                        v.partly_attended.to_string(),
                        v.cancelled.to_string(),
                        v.suspended.to_string(),
                        v.pending.to_string(),
                    ]
                })
                .collect(),
        },
    ));
    let duty_rows = |duties: &mut dyn Iterator<Item = &AuditDuty>| -> Vec<Vec<String>> {
        duties
            .map(|d| {
                vec![
                    who(d).to_string(),
                    d.visit.as_deref().unwrap_or_default().to_string(),
                    // A duty counted per route or location (two missed visits on R3) is that
                    // route's, though it is the provider's to do; the word says which.
                    place(d).trim_start().to_string(),
                    d.summary.to_string(),
                    d.role_name.to_string(),
                    d.due.as_deref().map_or("-".into(), |t| local(rs, t)),
                    outcome(d),
                    format!("{} ({}), version {}", d.rule, d.source, d.version),
                    cites(d),
                ]
            })
            .collect()
    };
    let duty_head = || {
        [
            "person",
            "visit",
            "route or location",
            "duty",
            "role",
            "due",
            "outcome",
            "rule",
            "cites",
        ]
        .map(String::from)
        .to_vec()
    };
    let breaches = duty_rows(&mut a.breaches());
    out.push((
        "Breaches, worst first".to_string(),
        format!(
            "{} duties went past their due time undone: never done, done late, or no longer required only after they were overdue.",
            breaches.len()
        ),
        Table {
            head: duty_head(),
            rows: breaches,
        },
    ));
    out.push((
        "Governance duties".to_string(),
        "The duties the framework's governance rules set (over many visits, or on a schedule), and whether each was met."
            .to_string(),
        Table {
            head: duty_head(),
            rows: duty_rows(&mut a.duties.iter().filter(|d| d.governance)),
        },
    ));
    for (title, groups) in groupings(a) {
        let order = if std::ptr::eq(groups, a.by_cycle.as_slice()) {
            "Each review cycle's windows in time order: a duty belongs to the window it came into being in."
        } else {
            "Worst first: the most breaches, then the lowest compliance."
        };
        out.push((
            title.to_string(),
            order.to_string(),
            Table {
                head: tally_head(),
                rows: groups
                    .iter()
                    .map(|g| tally_row(&g.label, &g.tally))
                    .collect(),
            },
        ));
    }
    out.push((
        "Every duty".to_string(),
        "Every duty of the period, breaches first.".to_string(),
        Table {
            head: duty_head(),
            rows: duty_rows(&mut a.duties.iter()),
        },
    ));
    out
}

/// The governance pack as Markdown, the weekly chart embedded as an SVG image.
pub fn markdown(a: &Audit, rs: &RuleSet) -> String {
    let mut out = format!(
        "# Governance pack: {}\n\nPeriod: {}. Versions: {}.\n\n",
        md(&a.framework),
        period(a, rs),
        versions(a)
    );
    if !a.notes.is_empty() {
        out.push_str("## Notes\n\n");
        for n in &a.notes {
            let _ = writeln!(out, "- {}", md(n));
        }
        out.push('\n');
    }
    for (title, text, table) in sections(a, rs) {
        let _ = writeln!(out, "## {title}\n\n{text}\n");
        table.markdown(&mut out);
        out.push('\n');
        if title == VISITS {
            let chart = super::svg::weekly_chart(a);
            let _ = writeln!(
                out,
                "![Missed and late visits per week](data:image/svg+xml;base64,{})\n",
                base64(chart.as_bytes())
            );
        }
    }
    out
}

/// The governance pack as one HTML page, the weekly chart drawn inline.
pub fn html(a: &Audit, rs: &RuleSet) -> String {
    let title = format!("Governance pack: {}", html_text(&a.framework));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody {{ font-family: Arial, Helvetica, sans-serif; margin: 2em; }}\ntable {{ border-collapse: collapse; margin-bottom: 1.5em; }}\nth, td {{ border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>Period: {}. Versions: {}.</p>\n",
        html_text(&period(a, rs)),
        html_text(&versions(a))
    );
    if !a.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ul>\n");
        for n in &a.notes {
            let _ = writeln!(out, "<li>{}</li>", html_prose(n));
        }
        out.push_str("</ul>\n");
    }
    for (title, text, table) in sections(a, rs) {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<p>{}</p>",
            html_text(&title),
            html_text(&text)
        );
        table.html(&mut out);
        if title == VISITS {
            out.push_str("<figure>\n");
            out.push_str(&super::svg::weekly_chart(a));
            out.push_str("<figcaption>Missed and late visits per week</figcaption>\n</figure>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Standard base64 (RFC 4648, with padding), for the chart inside a Markdown image.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod test {
    #[test]
    fn base64_matches_rfc_4648() {
        // RFC 4648 §10's test vectors.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(plain.as_bytes()), coded);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_names_are_code_in_html_prose() {
        assert_eq!(
            super::html_prose("list them under `persons` & <b>"),
            "list them under <code>persons</code> &amp; &lt;b&gt;"
        );
        assert_eq!(super::html_prose("one ` alone"), "one ` alone");
    }

    #[test]
    fn a_markdown_cell_shows_names_as_written() {
        assert_eq!(super::md("*L1*"), "\\*L1\\*");
        assert_eq!(super::md("duty_manager"), "duty_manager");
        assert_eq!(
            super::md("_L2_ and ~x~ [y]"),
            "\\_L2\\_ and \\~x\\~ \\[y\\]"
        );
        assert_eq!(super::md("a|b c <d>"), "a\\|b c &lt;d>");
        assert_eq!(super::md("`name`"), "`name`");
        assert_eq!(super::md("L&amp;1"), "L&amp;amp;1");
    }
}
