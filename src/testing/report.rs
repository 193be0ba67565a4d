//! What a test run found: per file, per test, per instant, each failure with what was
//! expected beside what was found, in plain words.

use serde::Serialize;

/// A problem with a test file itself (it cannot be read, or names something the rules or
/// the timeline do not have): the file, line and column, the field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TestError {
    /// The timeline error's code (`T003`) when the problem is in a test's timeline.
    pub code: Option<String>,
    /// The file as given.
    pub file: String,
    /// One-based line (0: no place in the file).
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// The field to blame (`tests[0].expect[1].duties[0].role`).
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::wording::shown;
        write!(f, "{}:{}:{}: error", self.file, self.line, self.column)?;
        if let Some(code) = &self.code {
            write!(f, "[{code}]")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "`{}`: ", shown(field))?;
        }
        f.write_str(&shown(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", shown(help))?;
        }
        Ok(())
    }
}

impl TestError {
    /// A problem with the file as a whole (it cannot be read), placed at its top.
    pub fn in_file(file: &str, message: String) -> TestError {
        TestError {
            code: None,
            file: file.to_string(),
            line: 1,
            column: 1,
            field: None,
            message,
            help: None,
        }
    }
}

/// One test file's results.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct FileReport {
    /// The file as given.
    pub file: String,
    /// Problems that stopped the file, or some of its tests, from running.
    pub errors: Vec<TestError>,
    /// The tests that ran (those `--filter` selected), in order.
    pub tests: Vec<TestReport>,
}

impl FileReport {
    /// A file that could not be run at all, for this one reason.
    pub fn failed(error: TestError) -> FileReport {
        FileReport::failed_with(&error.file.clone(), vec![error])
    }

    /// A file that could not be run at all, for these reasons.
    pub fn failed_with(file: &str, errors: Vec<TestError>) -> FileReport {
        FileReport {
            file: file.to_string(),
            errors,
            tests: Vec::new(),
        }
    }
}

/// One test's results.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct TestReport {
    /// Its name.
    pub name: String,
    /// The line its name is on.
    pub line: usize,
    /// Each instant checked.
    pub checks: Vec<CheckReport>,
    /// Instants that could not be checked, because they name what the rules or the timeline
    /// do not have (the file's errors say what): a test with any has not passed.
    pub unchecked: usize,
}

impl TestReport {
    /// True when every instant was checked and every check passed.
    pub fn passed(&self) -> bool {
        self.unchecked == 0 && self.checks.iter().all(|c| c.failures.is_empty())
    }
}

/// What was found at one instant.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct CheckReport {
    /// The instant, as written.
    pub at: String,
    /// The instant in the framework's local time, in words.
    pub at_local: String,
    /// The line its `at` is on.
    pub line: usize,
    /// How many things were checked at this instant (duties, absent duties, visits, the next
    /// change).
    pub checked: usize,
    /// What did not hold.
    pub failures: Vec<Failure>,
}

/// One expectation that did not hold.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Failure {
    /// The line the expectation is written on.
    pub line: usize,
    /// What was expected, in words ("a duty: step `notify_manager`, status overdue").
    pub expected: String,
    /// What was found instead, in words: the nearest duty, the visit's state, the next
    /// change; or that there was nothing.
    pub found: String,
    /// For a duty, how the nearest one differs, field by field ("role: expected
    /// duty_manager, found on_call_manager").
    pub differs: Vec<String>,
}

/// A whole run's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Test files read.
    pub files: usize,
    /// Tests run.
    pub tests: usize,
    /// Tests with every check passing.
    pub passed: usize,
    /// Tests with a failing check.
    pub failed: usize,
    /// Instants checked.
    pub checks: usize,
    /// Problems with the test files.
    pub errors: usize,
}

impl Totals {
    /// The counts over `reports`.
    pub fn of(reports: &[FileReport]) -> Totals {
        let mut t = Totals {
            files: reports.len(),
            ..Totals::default()
        };
        for r in reports {
            t.errors += r.errors.len();
            for test in &r.tests {
                t.tests += 1;
                t.checks += test.checks.len();
                if test.passed() {
                    t.passed += 1;
                } else {
                    t.failed += 1;
                }
            }
        }
        t
    }

    /// True when at least one test ran, every one passed, and no test file had a problem.
    pub fn ok(&self) -> bool {
        self.tests > 0 && self.failed == 0 && self.errors == 0
    }
}
