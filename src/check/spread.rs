//! Spreads of attempts (`attempt contact 3 times covering morning, afternoon, evening, each
//! unanswered then leave message`): the windows each named once and declared, enough
//! attempts to put one in each (E045), a follow-up that can be timed (E024), and windows that
//! can open within the step's deadline whenever it starts (W011).

use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::Ctx;
use crate::rules::deadline::{self, Measure};
use crate::rules::{ActionDef, Anchor, CalendarId, DeadlineDef};
use crate::span::Span;
use crate::syntax::ast::{Action, Ident, IntLit, Step};
use crate::vocab::FollowUp;
use crate::wording::duration_words;

/// What a spread is written with, for its findings.
pub(super) struct Written<'s> {
    /// The windows named after `covering`.
    pub covering: &'s [Ident],
    /// The number of attempts, as written and as read (if it was a valid count).
    pub times: (&'s IntLit, Option<u32>),
    /// The follow-up, if any.
    pub follow_up: Option<FollowUp>,
    /// Where the action is written.
    pub span: Span,
}

/// The calendars a spread must cover, each declared and named once, with at least as many
/// attempts as windows, and a follow-up only where `immediately` says when it is due.
/// `None` after reporting.
pub(super) fn windows(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    w: &Written<'_>,
) -> Option<Vec<CalendarId>> {
    let mut ok = true;
    let mut ids: Vec<CalendarId> = Vec::with_capacity(w.covering.len());
    for name in w.covering {
        let Some(id) = cx.ok(fw.calendars.lookup(&name.name, file, name.span)) else {
            ok = false;
            continue;
        };
        if ids.contains(&id) {
            cx.report(Diagnostic::new(
                Code::Duplicate,
                file,
                name.span,
                format!("the window `{}` is named twice", name.name),
                "named again here",
                "name each window once",
            ));
            ok = false;
            continue;
        }
        ids.push(id);
    }
    if let (Some(n), true) = (w.times.1, w.covering.len() > 1) {
        let needed = u32::try_from(w.covering.len()).unwrap_or(u32::MAX);
        if n < needed {
            let mut d = Diagnostic::new(
                Code::TooFewAttemptsForWindows,
                file,
                w.times.0.span,
                format!(
                    "{n} attempt{} cannot cover {needed} windows",
                    if n == 1 { "" } else { "s" }
                ),
                format!("{n} attempts"),
                format!(
                    "each window needs an attempt of its own: ask for at least {needed} attempts, or name fewer windows"
                ),
            );
            for name in w.covering {
                d = d.with(file, name.span, "a window to cover");
            }
            cx.report(d);
            ok = false;
        }
    }
    if w.follow_up.is_some() && fw.immediately.is_none() {
        cx.report(
            Diagnostic::new(
                Code::MissingItem,
                file,
                w.span,
                "a follow-up after each unanswered attempt is due `immediately`, but the framework does not say what that means",
                "when is the follow-up due?",
                "add `immediately means 5m` (or the provider's own figure) to the framework",
            )
            .with(fw.file, fw.head, "the framework"),
        );
        ok = false;
    }
    ok.then_some(ids)
}

/// W011: a window of the spread can stay closed longer than the step's deadline gives it, so
/// a step that starts just after that window closes cannot be done in time. A deadline that
/// counts from another step or an event is not judged: when it falls is not known here.
pub(super) fn windows_fit(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    step: &Step,
    (action, deadline, after): (&ActionDef, Option<DeadlineDef>, bool),
) {
    let (
        ActionDef::Attempt { covering, .. },
        Action::Attempt {
            covering: names, ..
        },
    ) = (action, &step.action)
    else {
        return;
    };
    let Some(period) = deadline.and_then(|d| shortest(d, after)) else {
        return;
    };
    for (id, name) in covering.iter().zip(names) {
        let Some(cal) = fw.calendar_defs.get(id.index()) else {
            continue;
        };
        let (closed, from) = cal.longest_closed_minutes();
        if period >= u64::from(closed) * 60 {
            continue;
        }
        let d = Diagnostic::new(
            Code::WindowMayNotOpen,
            file,
            name.span,
            format!(
                "step `{}` may not be able to cover `{}`: the window can stay closed for {}, longer than the step's {}",
                step.name.name,
                name.name,
                duration_words(u64::from(closed) * 60),
                duration_words(period)
            ),
            format!(
                "closed for {} at a stretch, {}",
                duration_words(u64::from(closed) * 60),
                stretch(from, closed)
            ),
            "if the step starts just after this window closes, it cannot be done in time and goes overdue: give the step a longer deadline, or cover fewer windows",
        );
        cx.report(d);
    }
}

/// The shortest time a deadline can give from the step's start, measured by the one rule
/// ([`deadline::due`]); `None` where it counts from a step or event the checker cannot place.
fn shortest(d: DeadlineDef, after: bool) -> Option<u64> {
    deadline::due(&mut Shortest { after }, d, 0)
}

/// Deadlines at their shortest, in seconds from the step's start: a clock deadline can fall a
/// moment after the step starts (`by end of day` at 23:59), `by HH:MM next working day` no
/// sooner than HH:MM after a midnight, the end of the next working day a day after.
struct Shortest {
    /// The step starts after another: its start is not the trigger.
    after: bool,
}

impl Measure for Shortest {
    type At = u64;

    fn after(&mut self, from: u64, secs: u64) -> u64 {
        from.saturating_add(secs)
    }

    fn anchor(&mut self, anchor: Anchor, start: u64) -> Option<u64> {
        match anchor {
            Anchor::Start => Some(start),
            Anchor::Trigger => (!self.after).then_some(start),
            Anchor::Step(_) | Anchor::Event(_) => None,
        }
    }

    fn by_clock(&mut self, from: u64, hour: u32, minute: u32, next_working_day: bool) -> u64 {
        let clock = u64::from(hour) * 3600 + u64::from(minute) * 60;
        from.saturating_add(if next_working_day { clock } else { 0 })
    }

    fn end_of_day(&mut self, from: u64) -> u64 {
        from
    }

    fn end_of_working_day(&mut self, from: u64) -> u64 {
        from
    }

    fn end_of_next_working_day(&mut self, from: u64) -> u64 {
        from.saturating_add(86_400)
    }

    /// Never sooner than N whole days: working days run back to back at best.
    fn working_days(&mut self, from: u64, days: u32) -> u64 {
        from.saturating_add(u64::from(days) * 86_400)
    }

    /// Never sooner than the open time asked for, with the calendar open throughout.
    fn in_calendar(
        &mut self,
        from: u64,
        secs: u64,
        _calendar: crate::rules::CalendarId,
    ) -> Option<u64> {
        Some(from.saturating_add(secs))
    }
}

/// A closed stretch of `len` minutes from `from` (minutes from Monday 00:00) in words: "from
/// 12:00 to 08:00", with the days when it is a day or longer ("from Friday 17:00 to Monday
/// 09:00").
fn stretch(from: u32, len: u32) -> String {
    let to = from + len;
    if len < 1440 {
        format!("from {} to {}", clock(from), clock(to))
    } else {
        format!("from {} to {}", week_minute(from), week_minute(to))
    }
}

/// Minutes as "22:00" on the clock.
fn clock(m: u32) -> String {
    format!("{:02}:{:02}", m % 1440 / 60, m % 60)
}

/// Minutes from Monday 00:00 as "Monday 22:00".
fn week_minute(m: u32) -> String {
    let day = crate::time::WEEKDAYS
        .get((m / 1440) as usize % 7)
        .copied()
        .unwrap_or("");
    format!("{day} {}", clock(m))
}
