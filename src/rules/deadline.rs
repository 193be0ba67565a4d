//! What a deadline means: the one definition of `within`, `by HH:MM`, `end of day`,
//! `earliest of` and `latest of`, shared by everything that works out a due time.
//!
//! The evaluator measures a deadline in instants (ladders, breaches, governance duties); the
//! checker measures it as the latest possible offset from the trigger (floors, parity,
//! refinements). Both go through [`due`], each with its own [`Measure`], so the two can never
//! disagree about which part of a deadline counts from what, or how two parts combine.

use super::{Anchor, CalendarId, DeadlineAtomDef, DeadlineDef};

/// How the parts of a deadline are measured.
pub trait Measure {
    /// A point in time: an instant, or seconds after the trigger.
    type At: Copy + Ord;

    /// `secs` after `from`.
    fn after(&mut self, from: Self::At, secs: u64) -> Self::At;

    /// Where a `within ... of ANCHOR` deadline counts from, for a step that started at
    /// `start`; `None` while (or if ever) it is unknown, such as an event not yet recorded.
    fn anchor(&mut self, anchor: Anchor, start: Self::At) -> Option<Self::At>;

    /// `by HH:MM` (or `by HH:MM next working day`) for a step that started at `from`.
    fn by_clock(
        &mut self,
        from: Self::At,
        hour: u32,
        minute: u32,
        next_working_day: bool,
    ) -> Self::At;

    /// `by end of day`: the next local midnight.
    fn end_of_day(&mut self, from: Self::At) -> Self::At;

    /// `by end of working day`.
    fn end_of_working_day(&mut self, from: Self::At) -> Self::At;

    /// `by next working day`: the end of the next working day.
    fn end_of_next_working_day(&mut self, from: Self::At) -> Self::At;

    /// `within N working days` for a step that started at `from`.
    fn working_days(&mut self, from: Self::At, days: u32) -> Self::At;

    /// `within D of CALENDAR`: `secs` of the calendar's open time from `from`; `None` if the
    /// calendar is not open for that long within the search (the measure says why).
    fn in_calendar(&mut self, from: Self::At, secs: u64, calendar: CalendarId) -> Option<Self::At>;
}

/// When a deadline falls for a step that started at `start`; `None` while it cannot be known.
///
/// `earliest of` with one part unknown takes the known part: the unknown one can only bring
/// the deadline earlier once it is known, and until then the known one holds. `latest of`
/// with one part unknown is unknown.
///
/// ```
/// use vigil::rules::deadline::{due, Measure};
/// use vigil::rules::{Anchor, CalendarId, DeadlineAtomDef, DeadlineDef};
///
/// /// Seconds after the trigger, with every day a flat 24 hours.
/// struct Flat;
/// impl Measure for Flat {
///     type At = u64;
///     fn after(&mut self, from: u64, secs: u64) -> u64 { from + secs }
///     fn anchor(&mut self, a: Anchor, start: u64) -> Option<u64> {
///         match a { Anchor::Start => Some(start), Anchor::Trigger => Some(0), _ => None }
///     }
///     fn by_clock(&mut self, from: u64, _: u32, _: u32, _: bool) -> u64 { from + 86_400 }
///     fn end_of_day(&mut self, from: u64) -> u64 { from + 86_400 }
///     fn end_of_working_day(&mut self, from: u64) -> u64 { from + 86_400 }
///     fn end_of_next_working_day(&mut self, from: u64) -> u64 { from + 2 * 86_400 }
///     fn working_days(&mut self, from: u64, days: u32) -> u64 { from + u64::from(days) * 86_400 }
///     fn in_calendar(&mut self, from: u64, secs: u64, _: CalendarId) -> Option<u64> { Some(from + secs) }
/// }
///
/// let ten = DeadlineAtomDef::Within { secs: 600, anchor: Anchor::Start };
/// let hour = DeadlineAtomDef::Within { secs: 3600, anchor: Anchor::Trigger };
/// assert_eq!(due(&mut Flat, DeadlineDef::Earliest(ten, hour), 300), Some(900));
/// assert_eq!(due(&mut Flat, DeadlineDef::Latest(ten, hour), 300), Some(3600));
/// ```
pub fn due<M: Measure>(m: &mut M, deadline: DeadlineDef, start: M::At) -> Option<M::At> {
    match deadline {
        DeadlineDef::Atom(a) => atom(m, a, start),
        DeadlineDef::Earliest(a, b) => match (atom(m, a, start), atom(m, b, start)) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        },
        DeadlineDef::Latest(a, b) => Some(atom(m, a, start)?.max(atom(m, b, start)?)),
    }
}

fn atom<M: Measure>(m: &mut M, a: DeadlineAtomDef, start: M::At) -> Option<M::At> {
    Some(match a {
        DeadlineAtomDef::Within { secs, anchor } => {
            let from = m.anchor(anchor, start)?;
            m.after(from, secs)
        }
        DeadlineAtomDef::ByClock {
            hour,
            minute,
            next_working_day,
        } => m.by_clock(start, hour, minute, next_working_day),
        DeadlineAtomDef::EndOfDay => m.end_of_day(start),
        DeadlineAtomDef::EndOfWorkingDay => m.end_of_working_day(start),
        DeadlineAtomDef::NextWorkingDay => m.end_of_next_working_day(start),
        DeadlineAtomDef::WorkingDays { days } => m.working_days(start, days),
        DeadlineAtomDef::InCalendar { secs, calendar } => m.in_calendar(start, secs, calendar)?,
    })
}

/// The anchors a deadline names, so that a rule with no step or episode of its own (a
/// governance rule) can be refused anchors it cannot honour.
pub fn anchors(deadline: &DeadlineDef) -> Vec<Anchor> {
    let of = |a: &DeadlineAtomDef| match a {
        DeadlineAtomDef::Within { anchor, .. } => Some(*anchor),
        _ => None,
    };
    match deadline {
        DeadlineDef::Atom(a) => of(a).into_iter().collect(),
        DeadlineDef::Earliest(a, b) | DeadlineDef::Latest(a, b) => {
            of(a).into_iter().chain(of(b)).collect()
        }
    }
}
