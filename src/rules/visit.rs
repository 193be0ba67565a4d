//! A protocol's weekly visits, day by day: which days they run on, and the instants a day's
//! occurrence starts and ends, by the one local-time rule of docs/time.md.

use chrono::{Datelike, NaiveDate};

use super::VisitDef;
use crate::time::{Civil, Instant};

impl VisitDef {
    /// True if the visit is planned on the local date `date`.
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        let day = date.weekday().num_days_from_monday() as usize;
        self.days.iter().any(|d| d.index() == day)
    }

    /// The planned start and end of the occurrence on `date`. An end not after the start
    /// is on the next day (`22:00-07:00`). On the nights the clocks change, an end that the
    /// one rule would put before the start (`01:30-02:00` on the spring-forward night) is
    /// the written length after the start instead, so a visit never ends before it starts.
    pub fn on(&self, civil: &Civil<'_>, date: NaiveDate) -> (Instant, Option<Instant>) {
        let start = civil.at(date, self.at.0, self.at.1);
        let end = self.end.map(|(h, m)| {
            let (sh, sm) = self.at;
            let overnight = (h, m) <= (sh, sm);
            let day = if overnight {
                date.succ_opt().unwrap_or(date)
            } else {
                date
            };
            let end = civil.at(day, h, m);
            if end > start {
                end
            } else {
                let wall = (h * 60 + m + if overnight { 24 * 60 } else { 0 }) - (sh * 60 + sm);
                civil.after(start, u64::from(wall) * 60)
            }
        });
        (start, end)
    }

    /// The id of the occurrence on `date`: `morning@2026-11-24`.
    pub fn occurrence_id(&self, date: NaiveDate) -> String {
        let mut id = String::with_capacity(self.name.len() + 11);
        id.push_str(&self.name);
        id.push('@');
        crate::time::push_date(&mut id, date);
        id
    }

    /// The days it runs on, in words: `on Tue, Fri`, `on weekdays` or `every day`.
    pub fn days_words(&self) -> String {
        use crate::vocab::Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};
        let mut days: Vec<usize> = self.days.iter().map(|d| d.index()).collect();
        days.sort_unstable();
        days.dedup();
        let is = |set: &[crate::vocab::Weekday]| {
            days == set.iter().map(|d| d.index()).collect::<Vec<_>>()
        };
        if days.len() == 7 {
            return "every day".into();
        }
        if is(&[Mon, Tue, Wed, Thu, Fri]) {
            return "on weekdays".into();
        }
        if is(&[Sat, Sun]) {
            return "at weekends".into();
        }
        let names: Vec<&str> = self
            .days
            .iter()
            .map(|d| crate::vocab::Vocabulary::name(*d))
            .collect();
        format!("on {}", names.join(", "))
    }
}
