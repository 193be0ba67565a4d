//! How a host builds a rule set: its sources, and the bank-holiday data in force, through one
//! documented builder rather than fields to set afterwards.

use crate::rules::RuleSet;
use crate::{Error, Source};

/// Builds a [`RuleSet`] from a framework and its protocols, with the bank-holiday data to
/// use (the copy embedded in Vigil unless given). Made by [`RuleSet::builder`].
///
/// ```
/// use vigil::rules::RuleSet;
/// let framework = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
/// let rules = RuleSet::builder()
///     .source(vigil::Source::new("framework.vigil", framework))
///     .bank_holidays_json(r#"{"england-and-wales": {"events": [{"date": "2028-01-03"}]}}"#)
///     .build()?;
/// assert!(rules.holidays().covers(chrono::NaiveDate::from_ymd_opt(2028, 6, 1).unwrap()));
///
/// // Bad data is refused with the rules, never half-applied.
/// let err = RuleSet::builder()
///     .source(vigil::Source::new("framework.vigil", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap()))
///     .bank_holidays_json("{")
///     .build()
///     .unwrap_err();
/// assert_eq!(err.problems()[0].code, "bank-holidays");
/// # Ok::<(), vigil::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct RuleSetBuilder {
    sources: Vec<Source>,
    holidays: Option<String>,
}

impl RuleSetBuilder {
    /// One more source: the framework, or a protocol written under it.
    pub fn source(mut self, source: Source) -> Self {
        self.sources.push(source);
        self
    }

    /// More sources, in order.
    pub fn sources(mut self, sources: impl IntoIterator<Item = Source>) -> Self {
        self.sources.extend(sources);
        self
    }

    /// Bank-holiday data in GOV.UK's JSON shape (`https://www.gov.uk/bank-holidays.json`),
    /// replacing the embedded copy for the framework's division. The rule-set hash covers it.
    pub fn bank_holidays_json(mut self, json: impl Into<String>) -> Self {
        self.holidays = Some(json.into());
        self
    }

    /// Check the sources and build the rule set: every finding if any is an error (or there
    /// is not exactly one framework), or the bank-holiday data's problem.
    pub fn build(self) -> Result<RuleSet, Error> {
        let mut rules = crate::compile(&self.sources)?;
        if let Some(json) = &self.holidays {
            rules.set_holidays_json(json)?;
        }
        Ok(rules)
    }
}

impl RuleSet {
    /// A builder for a rule set (see [`RuleSetBuilder`]).
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }
}
