//! `vigil test`: tests of a person's protocol, written beside it as `*.test.yaml`, run against
//! the checked rules. Each test gives a timeline (a file, or written in place) and, at one or
//! more instants, the duties that must be there (each stated only as far as it matters),
//! those that must not, visits' states and the next change. A failure shows what was expected
//! beside the nearest duty found, in plain words. The format is documented in
//! `docs/testing.md`.
//!
//! ```
//! # let fw = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
//! let rs = vigil::compile(&[vigil::Source::new("framework.vigil", fw)]).unwrap();
//! let text = r#"
//! framework: Example Supported Living
//! version: "2026.1"
//! person: P-1
//! tests:
//!   - name: no answer at the door
//!     timeline:
//!       events:
//!         - { at: "2026-11-24T17:00:00Z", person: P-1, kind: visit_planned, visit: V1,
//!             planned: "2026-11-25T10:00:00Z", criticality: critical }
//!         - { at: "2026-11-25T10:03:00Z", person: P-1, kind: no_answer, visit: V1 }
//!     expect:
//!       - at: 2026-11-25T10:20:00Z
//!         duties:
//!           - { step: contact_attempts, status: overdue }
//!         no_duties:
//!           - { step: escalate_out_of_hours, status: due }
//! "#;
//! let spec = vigil::testing::read(text, "p-1.test.yaml").unwrap();
//! let mut reached = Default::default();
//! let report = vigil::testing::run(
//!     ("p-1.test.yaml", text),
//!     &spec,
//!     (&rs, &vigil::Limits::default()),
//!     &mut |_| Err("no files here".into()),
//!     None,
//!     &mut reached,
//! );
//! assert!(report.errors.is_empty(), "{:?}", report.errors);
//! assert!(report.tests[0].passed());
//! ```

mod checks;
mod duties;
mod locate;
mod names;
mod report;
mod spec;
mod timelines;

pub use report::{CheckReport, Failure, FileReport, TestError, TestReport, Totals};
pub use spec::{Check, DutyMatch, TestCase, TestFile, TimelineSpec, VisitMatch};

use std::collections::BTreeSet;

use crate::eval::Decision;
use crate::rules::coverage::Point;
use crate::rules::RuleSet;
use crate::time::Instant;
use crate::timeline::Timeline;
use locate::Places;

/// Read a test file. Every problem serde finds is located; the names in it are checked
/// against the rules when it is [`run`].
pub fn read(text: &str, file: &str) -> Result<TestFile, Vec<TestError>> {
    serde_yaml::from_str::<TestFile>(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        // serde_yaml appends " at line L column C": the place is said once, first.
        let message = match message.find(" at line ") {
            Some(i) => message.get(..i).unwrap_or(&message).to_string(),
            None => message,
        };
        vec![TestError {
            code: None,
            file: file.to_string(),
            line,
            column,
            field: None,
            message,
            help: Some("a test file has `framework`, `version` (in quotes), `person` and `tests`; each test a `name`, a `timeline` and `expect` (docs/testing.md)".into()),
        }]
    })
}

/// Reads a timeline file a test names, as written (relative to the test file): its name for
/// errors and its text, or why it cannot be read.
pub type ReadTimeline<'a> = dyn FnMut(&str) -> Result<(String, String), String> + 'a;

/// The rule set among `rulesets` a test file is for, by its framework's name and version.
pub fn pick<'r>(
    rulesets: &'r [RuleSet],
    spec: &TestFile,
    (file, text): (&str, &str),
) -> Result<&'r RuleSet, TestError> {
    let places = Places::new(text);
    let error = |key: &str, message: String, help: String| {
        let (line, column) = places.line_col(places.key(0, key));
        TestError {
            code: None,
            file: file.to_string(),
            line,
            column,
            field: Some(key.to_string()),
            message,
            help: Some(help),
        }
    };
    let version = spec.version.0.as_ref().map_err(|written| {
        error(
            "version",
            format!("the version `{written}` is not in quotes"),
            format!("write it as text, `version: \"{written}\"`: as a number YAML reads 2026.10 as 2026.1"),
        )
    })?;
    let known = || {
        rulesets
            .iter()
            .map(|r| format!("\"{}\" version {}", r.framework(), r.version()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(named) = rulesets.iter().find(|r| r.framework() == spec.framework) else {
        return Err(error(
            "framework",
            format!(
                "no framework called \"{}\" is among the rules given",
                spec.framework
            ),
            format!("the rules given hold {}", known()),
        ));
    };
    let picked = rulesets
        .iter()
        .find(|r| r.framework() == spec.framework && r.version() == version);
    // The person's protocol moved to another version (`vigil migrate`) but the test did not.
    let has = |r: &RuleSet| r.persons().iter().any(|p| p.id == spec.person);
    if let Some(rs) = picked.filter(|r| !has(r)) {
        if let Some(other) = rulesets
            .iter()
            .find(|r| r.framework() == spec.framework && has(r))
        {
            return Err(error(
                "version",
                format!(
                    "{}'s protocol is written under version {}, not {}",
                    spec.person,
                    other.version(),
                    rs.version()
                ),
                format!(
                    "test it under the version it is written for: `version: \"{}\"`",
                    other.version()
                ),
            ));
        }
    }
    picked.ok_or_else(|| {
        error(
            "version",
            format!(
                "\"{}\" is given at version {}, not {version}",
                spec.framework,
                named.version()
            ),
            "name the version the protocols are written under, or move them to this one".into(),
        )
    })
}

/// Run the tests of one file (those whose name contains `filter`, if given) against `rs`,
/// within `limits`, adding the coverage points every evaluation reached to `reached`. `read_timeline` reads
/// a timeline file named by a test, as written (relative to the test file): its name for
/// errors, and its text.
pub fn run(
    (file, text): (&str, &str),
    spec: &TestFile,
    (rs, limits): (&RuleSet, &crate::limits::Limits),
    read_timeline: &mut ReadTimeline<'_>,
    filter: Option<&str>,
    reached: &mut BTreeSet<Point>,
) -> FileReport {
    let mut runner = Runner {
        file,
        places: Places::new(text),
        rs,
        limits: *limits,
        spec,
        report: FileReport {
            file: file.to_string(),
            ..FileReport::default()
        },
        names_only: false,
    };
    let mut from = 0;
    for (i, test) in spec.tests.iter().enumerate() {
        from = runner.places.key(from, "name");
        let start = from;
        from = runner.places.find(from, &test.name);
        if filter.is_some_and(|f| !test.name.contains(f)) {
            continue;
        }
        runner.test(i, test, start, read_timeline, reached);
    }
    runner.report
}

/// One file's run.
struct Runner<'a> {
    file: &'a str,
    places: Places,
    rs: &'a RuleSet,
    /// The bounds on what a test's timeline may hold and what one evaluation may watch.
    limits: crate::limits::Limits,
    spec: &'a TestFile,
    report: FileReport,
    /// While the names of a check whose instant cannot be read are checked: against the
    /// rules and the timeline, not the visits a decision at that instant would list.
    names_only: bool,
}

impl Runner<'_> {
    fn error(&mut self, at: usize, field: String, message: String, help: Option<String>) {
        let (line, column) = self.places.line_col(at);
        self.report.errors.push(TestError {
            code: None,
            file: self.file.to_string(),
            line,
            column,
            field: Some(field),
            message,
            help,
        });
    }

    /// Run test `i`, whose `name` is at offset `start`.
    fn test(
        &mut self,
        i: usize,
        test: &TestCase,
        start: usize,
        read_timeline: &mut ReadTimeline<'_>,
        reached: &mut BTreeSet<Point>,
    ) {
        let Some(timeline) = self.timeline(i, test, start, read_timeline) else {
            return;
        };
        if !self.person_known(&timeline, start) {
            return;
        }
        let mut report = TestReport {
            name: test.name.clone(),
            line: self.places.line_col(start).0,
            checks: Vec::new(),
            unchecked: 0,
        };
        // Past the test's own timeline (whose events have `at:` keys too), to its checks.
        let mut from = self.places.key(start, "expect");
        for (j, check) in test.expect.iter().enumerate() {
            from = self.places.key(from, "at");
            let field = format!("tests[{i}].expect[{j}]");
            let at = self.instant(&check.at, from, format!("{field}.at"));
            // A check far from its timeline's start would watch years of protocol visits: said
            // at its `at`, as `vigil eval` says it, not evaluated (a hostile test file must not
            // run the command out of memory).
            if let Some((why, flag)) =
                at.and_then(|at| self.rs.over_record_limits(&timeline, at, &self.limits))
            {
                self.error(
                    from,
                    format!("{field}.at"),
                    format!("this check is not evaluated: {why}"),
                    Some(format!("if a year is mistyped, correct it: the timeline's `from`, its first event, or this `at`; if the span is meant, check a shorter part of it or raise the limit with {flag}")),
                );
                report.unchecked += 1;
                continue;
            }
            let Some(at) = at else {
                // Every name is still checked, so that one run reports every slip (found by
                // a docs-only tester: a misspelt step under a bad `at` showed only once the
                // `at` was mended). The decision at the timeline's last event stands in.
                let stand_in = timeline
                    .events
                    .last()
                    .map_or(chrono::DateTime::UNIX_EPOCH, |e| e.at);
                // Within the record's limits only: the unreadable `at` is reported already.
                if self
                    .rs
                    .over_record_limits(&timeline, stand_in, &self.limits)
                    .is_none()
                {
                    let decision = self.rs.evaluate(&timeline, stand_in);
                    self.names_only = true;
                    let _ = self.check(check, (&field, from), stand_in, &decision, &timeline);
                    self.names_only = false;
                }
                report.unchecked += 1;
                continue;
            };
            let (decision, points) = self.rs.evaluate_traced(&timeline, at);
            reached.extend(points);
            match self.check(check, (&field, from), at, &decision, &timeline) {
                Some(c) => report.checks.push(c),
                None => report.unchecked += 1,
            }
        }
        self.report.tests.push(report);
    }

    /// The test's person must have a protocol among the rules, or be in its timeline (the
    /// framework's rules alone apply to them): anything else is a slip.
    fn person_known(&mut self, timeline: &Timeline, start: usize) -> bool {
        let person = &self.spec.person;
        let has_protocol = self.rs.persons().iter().any(|p| &p.id == person);
        if has_protocol || timeline.person_index(person).is_some() {
            return true;
        }
        let ids: Vec<&str> = self.rs.persons().iter().map(|p| p.id.as_str()).collect();
        let help = match crate::wording::did_you_mean(person, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "name a person with a protocol, or one the timeline mentions".into(),
        };
        let at = self.places.key(0, "person");
        self.error(
            at,
            "person".into(),
            format!("`{person}` has no protocol in these rules and the test's timeline does not mention them"),
            Some(help),
        );
        let _ = start;
        false
    }

    /// An instant as a test writes it: RFC 3339 with an offset.
    fn instant(&mut self, text: &str, at: usize, field: String) -> Option<Instant> {
        match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => Some(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                // `next_change` may also be `none` (found by a docs-only tester: `never` was
                // refused with no word of it).
                let none = if field.ends_with("next_change") {
                    ", or `none` when nothing is pending"
                } else {
                    ""
                };
                self.error(
                    at,
                    field,
                    format!("`{text}` is not an instant with its offset"),
                    Some(format!(
                        "write it as RFC 3339 with an offset, such as 2026-11-24T08:41:00Z{none}"
                    )),
                );
                None
            }
        }
    }

    /// The instant in the framework's local time: "19:05 Tue 24 Nov 2026", or "none".
    fn local(&self) -> impl Fn(Option<Instant>) -> String + '_ {
        let tz = self.rs.timezone();
        move |t: Option<Instant>| match t {
            // Seconds only when there are some: a duty is overdue from the second after
            // its due time, and "00:00" for 00:00:01 would hide that.
            Some(t) if chrono::Timelike::second(&t) == 0 => t
                .with_timezone(&tz)
                .format("%H:%M %a %-d %b %Y")
                .to_string(),
            Some(t) => t
                .with_timezone(&tz)
                .format("%H:%M:%S %a %-d %b %Y")
                .to_string(),
            None => "none".to_string(),
        }
    }
}

/// The decision's duties of `person`.
fn duties_of<'d>(
    decision: &'d Decision,
    person: &'d str,
) -> impl Iterator<Item = &'d crate::eval::Obligation> {
    decision
        .obligations
        .iter()
        .filter(move |o| &*o.person == person)
}
