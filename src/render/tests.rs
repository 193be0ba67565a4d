//! `vigil test`'s report for people: each test ok or FAIL, each failure with what was
//! expected beside what was found, the totals, and (with `--coverage`) what no test reached.

use crate::rules::coverage::Point;
use crate::testing::{FileReport, Totals};
use crate::wording::shown;

/// The report: files in order, each test's line, failures in full.
pub fn to_text(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        out.push_str(&format!("{}\n", shown(&r.file)));
        for e in &r.errors {
            out.push_str(&format!("  {e}\n"));
        }
        for t in &r.tests {
            let instants = t.checks.len();
            if t.passed() {
                out.push_str(&format!(
                    "  ok    {} ({instants} instant{})\n",
                    shown(&t.name),
                    plural(instants)
                ));
                continue;
            }
            out.push_str(&format!("  FAIL  {} (line {})\n", shown(&t.name), t.line));
            if t.unchecked > 0 {
                out.push_str(&format!(
                    "        {} instant{} not checked, for the problems said above\n",
                    t.unchecked,
                    plural(t.unchecked)
                ));
            }
            for c in t.checks.iter().filter(|c| !c.failures.is_empty()) {
                out.push_str(&format!("        at {} (line {}):\n", c.at_local, c.line));
                for f in &c.failures {
                    out.push_str(&format!(
                        "          expected  {} (line {})\n",
                        shown(&f.expected),
                        f.line
                    ));
                    out.push_str(&format!("          found     {}\n", shown(&f.found)));
                    for d in &f.differs {
                        out.push_str(&format!("                    {}\n", shown(d)));
                    }
                }
            }
        }
    }
    out.push_str(&summary(&Totals::of(reports)));
    out
}

/// The totals in a line: "12 tests in 5 files: 11 passed, 1 failed (31 instants checked)".
pub fn summary(t: &Totals) -> String {
    let mut s = format!(
        "{} test{} in {} file{}: {} passed, {} failed ({} instant{} checked)",
        t.tests,
        plural(t.tests),
        t.files,
        plural(t.files),
        t.passed,
        t.failed,
        t.checks,
        plural(t.checks)
    );
    if t.errors > 0 {
        s.push_str(&format!(
            "; {} problem{} in the test files",
            t.errors,
            plural(t.errors)
        ));
    }
    s.push('\n');
    if t.tests == 0 {
        s.push_str("no test ran: a run must run at least one (check the paths and --filter)\n");
    }
    s
}

/// Coverage: how many points of each kind were reached, then every one that was not, with
/// where it is written.
pub fn coverage(all: &[Point], missed: &[&Point]) -> String {
    let kinds = ["pathway", "step", "branch", "condition"];
    let counts: Vec<String> = kinds
        .iter()
        .map(|k| {
            let total = all.iter().filter(|p| p.kind() == *k).count();
            let lost = missed.iter().filter(|p| p.kind() == *k).count();
            format!("{} {} of {total}", plural_kind(k), total - lost)
        })
        .collect();
    let reached = all.len() - missed.len();
    let mut out = format!(
        "coverage: {reached} of {} points reached ({}): {}\n",
        all.len(),
        percent(reached, all.len()),
        counts.join(", ")
    );
    if !missed.is_empty() {
        out.push_str("not reached by any test:\n");
    }
    for p in missed {
        // The same rule reached where a protocol refines it: this point is the framework's
        // text, which only a person who does not refine it runs.
        let refined = all.iter().any(|q| {
            q.rule == p.rule && q.probe == p.probe && q.file != p.file && !missed.contains(&q)
        });
        out.push_str(&format!(
            "  {}:{}:{}: {}{}\n",
            shown(&p.file),
            p.line,
            p.column,
            p.words(),
            if refined {
                " as written here (reached where a protocol refines it: a test for a person whose protocol does not refine it reaches this)"
            } else {
                ""
            }
        ));
    }
    out
}

/// A share as a whole percentage, rounded down, so that 99.9% never reads as 100%.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "nothing to reach".into();
    }
    format!("{}%", part * 100 / whole)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_kind(kind: &str) -> String {
    match kind {
        "branch" => "branches".into(),
        k => format!("{k}s"),
    }
}
