//! [`Error`]: every way Vigil refuses what it is given, as one type a host can match, print
//! or turn into JSON.

use crate::contract::Problem;
use crate::time::HolidayError;
use crate::timeline::TimelineErrors;
use crate::Diagnostics;

/// Why Vigil refused its input: the rules, a timeline (or an event given to a feed), or
/// bank-holiday data. Each variant keeps every problem found, never only the first; see
/// [`Error::problems`] for them in one flat shape, with codes and places.
///
/// Every fallible function in the library returns this type or one that converts into it
/// with `?`:
///
/// ```
/// fn rules() -> Result<vigil::rules::RuleSet, vigil::Error> {
///     let framework = vigil::Source::new("f.vigil", "framework \"Acme\" version 1 { role x \"X\" }");
///     let rules = vigil::compile(&[framework])?; // Diagnostics -> Error
///     Ok(rules)
/// }
/// let err = vigil::compile(&[vigil::Source::new("bad.vigil", "framework {")]).map_err(vigil::Error::from).unwrap_err();
/// let first = &err.problems()[0];
/// assert_eq!(first.code, "E001");
/// assert_eq!((first.file.as_deref(), first.line), (Some("bad.vigil"), Some(1)));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The framework and protocols have errors (or there is not exactly one framework):
    /// every finding, with the sources it points into.
    Rules(Diagnostics),
    /// A timeline, or an event given to a feed, has errors: every one, located.
    Timeline(TimelineErrors),
    /// Bank-holiday data cannot be used.
    Holidays(HolidayError),
}

impl Error {
    /// Every problem, errors before warnings for rules, each with its code and place.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Rules(d) => d
                .findings
                .iter()
                .map(|f| {
                    let j = crate::render::diagnostics::to_json(f, &d.sources);
                    Problem {
                        code: j.code.to_string(),
                        message: j.message,
                        file: Some(j.file).filter(|f| !f.is_empty()),
                        line: Some(j.line).filter(|&l| l > 0),
                        column: Some(j.column).filter(|&c| c > 0),
                        field: None,
                        help: Some(j.help).filter(|h| !h.is_empty()),
                    }
                })
                .collect(),
            Error::Timeline(errors) => errors.problems(),
            Error::Holidays(e) => {
                let (line, column) = match e {
                    HolidayError::Malformed { line, column, .. } => (Some(*line), Some(*column)),
                    _ => (None, None),
                };
                vec![Problem {
                    code: "bank-holidays".into(),
                    message: e.to_string(),
                    file: None,
                    line,
                    column,
                    field: None,
                    help: None,
                }]
            }
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Rules(d) => write!(f, "{d}"),
            Error::Timeline(e) => write!(f, "{e}"),
            Error::Holidays(e) => write!(f, "bank-holiday data: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Rules(d) => Some(d),
            Error::Timeline(e) => Some(e),
            Error::Holidays(e) => Some(e),
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Error {
        Error::Rules(d)
    }
}

impl From<TimelineErrors> for Error {
    fn from(e: TimelineErrors) -> Error {
        Error::Timeline(e)
    }
}

impl From<HolidayError> for Error {
    fn from(e: HolidayError) -> Error {
        Error::Holidays(e)
    }
}
