//! Bank holidays: loaded from data in GOV.UK's shape, never derived from rules.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;

/// The embedded copy of GOV.UK's bank-holiday data (see `src/time/data/README.md`).
const EMBEDDED: &str = include_str!("data/uk-bank-holidays.json");

/// The bank holidays of one division (`england-and-wales`, `scotland`, `northern-ireland`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holidays {
    division: String,
    dates: BTreeSet<NaiveDate>,
    /// Each holiday's name as the data gives it ("Early May bank holiday"), where it does.
    titles: BTreeMap<NaiveDate, String>,
    last: Option<NaiveDate>,
    first: Option<NaiveDate>,
}

/// Why bank-holiday data could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidayError {
    /// The text is not JSON of the expected shape; line and column are one-based.
    Malformed {
        /// What is wrong.
        message: String,
        /// Line of the problem.
        line: usize,
        /// Column of the problem.
        column: usize,
    },
    /// The data has no such division.
    NoDivision {
        /// The division asked for.
        wanted: String,
        /// The divisions the data has.
        available: Vec<String>,
    },
    /// An event's date is not a real `YYYY-MM-DD` date.
    BadDate {
        /// The division.
        division: String,
        /// The text found.
        date: String,
    },
}

impl fmt::Display for HolidayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HolidayError::Malformed {
                message,
                line,
                column,
            } => write!(f, "line {line}, column {column}: {message}"),
            HolidayError::NoDivision { wanted, available } => write!(
                f,
                "no division `{wanted}` in the data (it has: {})",
                available.join(", ")
            ),
            HolidayError::BadDate { division, date } => {
                write!(f, "division `{division}`: `{date}` is not a date")
            }
        }
    }
}

impl std::error::Error for HolidayError {}

#[derive(serde::Deserialize)]
struct Division {
    events: Vec<Event>,
}

#[derive(serde::Deserialize)]
struct Event {
    date: String,
    #[serde(default)]
    title: Option<String>,
}

impl Holidays {
    /// The embedded data for a division.
    ///
    /// ```
    /// let h = vigil::time::Holidays::embedded("england-and-wales").unwrap();
    /// let boxing_day = chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(); // substitute day
    /// assert!(h.contains(boxing_day));
    /// ```
    pub fn embedded(division: &str) -> Result<Holidays, HolidayError> {
        // Parsed once per process: checking many documents should not re-read 30 KB of JSON.
        static PARSED: std::sync::OnceLock<
            std::collections::BTreeMap<String, Result<Holidays, HolidayError>>,
        > = std::sync::OnceLock::new();
        let all = PARSED.get_or_init(|| {
            ["england-and-wales", "scotland", "northern-ireland"]
                .iter()
                .map(|d| (d.to_string(), Holidays::from_json(EMBEDDED, d)))
                .collect()
        });
        match all.get(division) {
            Some(r) => r.clone(),
            None => Holidays::from_json(EMBEDDED, division),
        }
    }

    /// Data in GOV.UK's shape (`{division: {division, events: [{date, ...}]}}`) for a division.
    pub fn from_json(text: &str, division: &str) -> Result<Holidays, HolidayError> {
        let all: std::collections::BTreeMap<String, Division> = serde_json::from_str(text)
            .map_err(|e| HolidayError::Malformed {
                message: e.to_string(),
                line: e.line(),
                column: e.column(),
            })?;
        let Some(d) = all.get(division) else {
            return Err(HolidayError::NoDivision {
                wanted: division.to_string(),
                available: all.keys().cloned().collect(),
            });
        };
        let mut dates = BTreeSet::new();
        let mut titles = BTreeMap::new();
        for e in &d.events {
            let date = NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").map_err(|_| {
                HolidayError::BadDate {
                    division: division.to_string(),
                    date: e.date.clone(),
                }
            })?;
            dates.insert(date);
            if let Some(t) = e.title.as_deref().filter(|t| !t.trim().is_empty()) {
                titles.insert(date, t.trim().to_string());
            }
        }
        let last = dates.iter().next_back().copied();
        let first = dates.iter().next().copied();
        Ok(Holidays {
            division: division.to_string(),
            dates,
            titles,
            last,
            first,
        })
    }

    /// No bank holidays at all (for tests and for providers that work through them).
    pub fn none() -> Holidays {
        Holidays {
            division: String::new(),
            dates: BTreeSet::new(),
            titles: BTreeMap::new(),
            last: None,
            first: None,
        }
    }

    /// True if `date` is a bank holiday.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.dates.contains(&date)
    }

    /// The holiday's name on `date`, as the data gives it.
    ///
    /// ```
    /// let h = vigil::time::Holidays::embedded("england-and-wales").unwrap();
    /// let may_day = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    /// assert_eq!(h.title(may_day), Some("Early May bank holiday"));
    /// ```
    pub fn title(&self, date: NaiveDate) -> Option<&str> {
        self.titles.get(&date).map(String::as_str)
    }

    /// The data in a fixed byte form, for the rule-set hash: the division, then each date
    /// with its title, in date order.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = self.division.as_bytes().to_vec();
        for d in &self.dates {
            out.push(0);
            out.extend_from_slice(d.to_string().as_bytes());
            out.push(b' ');
            out.extend_from_slice(self.titles.get(d).map_or("", String::as_str).as_bytes());
        }
        out
    }

    /// The division's name in the data.
    pub fn division(&self) -> &str {
        &self.division
    }

    /// The last date the data lists; after the end of its year the data says nothing.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.last
    }

    /// The first date the data lists; before the start of its year the data says nothing.
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.first
    }

    /// True if `date` falls before the 1 January of the data's first year, where the data
    /// cannot speak for it.
    pub fn before(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.first
            .and_then(|f| NaiveDate::from_ymd_opt(f.year(), 1, 1))
            .is_some_and(|start| date < start)
    }

    /// True if the data can speak for `date`: on or before the 31 December of its last year.
    pub fn covers(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.last
            .and_then(|l| NaiveDate::from_ymd_opt(l.year(), 12, 31))
            .is_some_and(|end| date <= end)
    }
}
