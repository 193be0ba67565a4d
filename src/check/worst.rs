//! The checker's worst case: the latest offset from the trigger at which each step of a
//! ladder can fall due, measured with the same deadline rules the evaluator uses
//! ([`crate::rules::deadline::due`]).
//!
//! A `by 17:00` counts as up to a day, `by end of working day` as up to five (a long weekend
//! with bank holidays), and `by next working day` as up to six: a floor is only met when it is
//! met on the worst day. A deadline anchored on an event that may never happen is unbounded.
//! Working-time clocks (`within 2 working days`, `within 24h of office_hours`) take the
//! longest real time they take from any start in the years the bank-holiday data covers
//! ([`super::clocks`]).
//! Each step is worked out once, so a long chain of steps each counted from the one before
//! costs time in proportion to its length.

use super::clocks::Clocks;
use crate::rules::deadline::{due, Measure};
use crate::rules::{Anchor, CalendarId, DeadlineDef, StepDef};

const DAY: u64 = 86_400;

/// Worst-case offsets for one ladder, each worked out once.
pub struct Worst<'a> {
    steps: &'a [StepDef],
    clocks: Clocks<'a>,
    memo: Vec<Option<Option<u64>>>,
    busy: Vec<bool>,
}

impl<'a> Worst<'a> {
    /// The worst cases of `steps`, under the framework's `clocks`, worked out as they are
    /// asked for.
    pub fn new(steps: &'a [StepDef], clocks: Clocks<'a>) -> Self {
        Worst {
            steps,
            clocks,
            memo: vec![None; steps.len()],
            busy: vec![false; steps.len()],
        }
    }

    /// Latest offset from the trigger at which step `i` can fall due; `None` when unbounded
    /// (no deadline, anchored on an event that may never happen, or a circle of steps, which
    /// the checker reports on its own).
    pub fn of(&mut self, i: usize) -> Option<u64> {
        if let Some(Some(known)) = self.memo.get(i) {
            return *known;
        }
        if self.busy.get(i).copied().unwrap_or(true) {
            return None;
        }
        if let Some(b) = self.busy.get_mut(i) {
            *b = true;
        }
        let found = self.compute(i);
        if let Some(slot) = self.memo.get_mut(i) {
            *slot = Some(found);
        }
        found
    }

    fn compute(&mut self, i: usize) -> Option<u64> {
        let step = self.steps.get(i)?;
        // A step whose condition waits for an observation fires when it is seen, which may
        // be any time after the trigger: no worst case counted from the trigger.
        if step.condition.waits_for_observation() {
            return None;
        }
        let start = match step.after {
            Some(a) => self.of(a as usize)?,
            None => 0,
        };
        due(self, step.deadline?, start)
    }
}

/// The worst case of each of `steps` (one ladder, or one list of after-closure duties) under
/// `rs`'s calendars and bank holidays: the latest offset from the trigger (or closure) at
/// which each can fall due, `None` where unbounded. What `vigil show` prints.
///
/// ```
/// # let sources = vec![vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())];
/// let rs = vigil::compile(&sources).unwrap();
/// let ladder = &rs.person("P-0002").pathways[0];
/// let worst = vigil::check::worst_cases(&rs, &ladder.steps);
/// assert_eq!(worst.len(), ladder.steps.len());
/// ```
pub fn worst_cases(rs: &crate::rules::RuleSet, steps: &[StepDef]) -> Vec<Option<u64>> {
    let clocks = Clocks {
        tz: rs.timezone,
        division: &rs.bank_holidays,
        calendars: &rs.calendars,
    };
    let mut w = Worst::new(steps, clocks);
    (0..steps.len()).map(|i| w.of(i)).collect()
}

/// The worst case of `d` counted from the instant its step fires, under `rs`'s calendars and
/// bank holidays: for a step that fires on an observation, what `vigil show` can say.
pub fn worst_from_firing(rs: &crate::rules::RuleSet, d: DeadlineDef) -> Option<u64> {
    let clocks = Clocks {
        tz: rs.timezone,
        division: &rs.bank_holidays,
        calendars: &rs.calendars,
    };
    of_deadline(d, clocks)
}

/// The worst case of a deadline counted from the instant it starts (a breach escalation's).
pub fn of_deadline(d: DeadlineDef, clocks: Clocks<'_>) -> Option<u64> {
    due(&mut Worst::new(&[], clocks), d, 0)
}

impl Measure for Worst<'_> {
    type At = u64;

    fn after(&mut self, from: u64, secs: u64) -> u64 {
        from.saturating_add(secs)
    }

    fn anchor(&mut self, anchor: Anchor, start: u64) -> Option<u64> {
        match anchor {
            Anchor::Start => Some(start),
            Anchor::Trigger => Some(0),
            Anchor::Step(s) => self.of(s as usize),
            Anchor::Event(_) => None,
        }
    }

    fn by_clock(&mut self, from: u64, _: u32, _: u32, next_working_day: bool) -> u64 {
        from.saturating_add(if next_working_day { 6 * DAY } else { DAY })
    }

    fn end_of_day(&mut self, from: u64) -> u64 {
        from.saturating_add(DAY)
    }

    fn end_of_working_day(&mut self, from: u64) -> u64 {
        from.saturating_add(5 * DAY)
    }

    fn end_of_next_working_day(&mut self, from: u64) -> u64 {
        from.saturating_add(6 * DAY)
    }

    fn working_days(&mut self, from: u64, days: u32) -> u64 {
        from.saturating_add(self.clocks.working_days(days))
    }

    fn in_calendar(&mut self, from: u64, secs: u64, calendar: CalendarId) -> Option<u64> {
        Some(from.saturating_add(self.clocks.in_calendar(calendar, secs)?))
    }
}
