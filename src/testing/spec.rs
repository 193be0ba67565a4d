//! A test file as written: `*.test.yaml`, read with serde and then checked against the rules,
//! every problem located at its line in the file.

use serde::Deserialize;

/// A test file: the rules it is for, and its tests.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The framework's name, as its `framework "..."` line writes it.
    pub framework: String,
    /// The framework's version, in quotes (`"2026.1"`): as a bare number YAML would read
    /// `2026.10` as `2026.1`.
    pub version: Version,
    /// The person the tests are about: their duties are the ones checked.
    pub person: String,
    /// The tests, in order.
    pub tests: Vec<TestCase>,
}

/// A version, which must be written as text.
#[derive(Debug, Clone)]
pub struct Version(pub Result<String, String>);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let value = serde_yaml::Value::deserialize(d)?;
        Ok(Version(match value {
            serde_yaml::Value::String(s) => Ok(s),
            other => Err(serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_string()),
        }))
    }
}

/// One test: a timeline, and what must hold at one or more instants.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// What the test is about, in words; `--filter` selects on it.
    pub name: String,
    /// A timeline file (relative to the test file), or a timeline written in place.
    pub timeline: TimelineSpec,
    /// What must hold, instant by instant.
    pub expect: Vec<Check>,
}

/// Where a test's timeline is.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TimelineSpec {
    /// A file, relative to the test file.
    File(String),
    /// Written in place, as a timeline file would be.
    Inline(serde_yaml::Value),
}

/// What must hold at one instant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The instant, RFC 3339 with its offset.
    pub at: String,
    /// Duties that must be there: each matches a different one of the person's duties.
    #[serde(default)]
    pub duties: Vec<DutyMatch>,
    /// Duties that must not be there: none of the person's duties may match any of these.
    #[serde(default)]
    pub no_duties: Vec<DutyMatch>,
    /// Visits and the state each must be in.
    #[serde(default)]
    pub visits: Vec<VisitMatch>,
    /// When the decision next changes with no new events, or `none`.
    #[serde(default)]
    pub next_change: Option<String>,
}

/// A partial description of a duty: only the fields given must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyMatch {
    /// `pathway.step` (or the step alone, or `governance.rule`), as the duty's `rule` names it.
    pub step: Option<String>,
    /// The pathway the duty's episode runs.
    pub pathway: Option<String>,
    /// The action (`notify`, `escalate`, ...).
    pub action: Option<String>,
    /// The role that must act, as declared (`duty_manager`): an alias names the role it
    /// stood for.
    pub role: Option<String>,
    /// `upcoming`, `open`, `due`, `overdue`, `done`, `done_late`, `failed`, `not_required`.
    pub status: Option<String>,
    /// The due time, RFC 3339 with its offset, or `none`.
    pub due: Option<String>,
    /// The visit the duty is about.
    pub visit: Option<String>,
    /// Another person's duty (the test's person by default).
    pub person: Option<String>,
}

/// A visit's expected state.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitMatch {
    /// The visit's id, as the decision reports it.
    pub visit: String,
    /// `upcoming`, `late`, `missed`, `arrived`, ...
    pub state: String,
}
