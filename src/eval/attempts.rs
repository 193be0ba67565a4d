//! Attempts to reach the person: how many count, which windows of a spread they covered, and
//! the follow-up recorded after each one nobody answered.
//!
//! An attempt counts when it is by one of the step's methods, by someone who may do the step,
//! at a time the person can receive that method, and (with `every D`) at least D after the
//! last one counted. A window is covered by a counted attempt made inside it, judged at the
//! attempt's instant in local time. A spread's step is done, with outcome `no_answer`, at the
//! first counted attempt by which the count is reached and every window covered; the person
//! answering ends it at once, as for every attempt step.
//!
//! A `message_left` attempt made while the last counted unanswered attempt still waits for
//! its follow-up is that follow-up, not a new attempt; one made with nothing waiting is an
//! unanswered attempt that carries its own follow-up. A follow-up belongs to the attempt
//! before it: once the next attempt is counted, a missed one can no longer be made up.

use std::sync::Arc;

use super::Eval;
use crate::rules::flow::End;
use crate::rules::CalendarId;
use crate::time::Instant;
use crate::timeline::{Event, EventData, Outcome};
use crate::vocab::{FollowUp, Method};
use crate::wording::{lower_first, or_list};

/// What an `attempt contact` step asks.
pub(super) struct Spec<'a> {
    /// Methods that count (any, if none).
    pub methods: &'a [Method],
    /// Attempts required.
    pub times: u32,
    /// Spacing in seconds.
    pub every: Option<u64>,
    /// Windows that must each hold an attempt.
    pub covering: &'a [CalendarId],
    /// What must follow each unanswered attempt.
    pub follow_up: Option<FollowUp>,
}

/// A counted attempt nobody answered, and when its follow-up was recorded, if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unanswered {
    /// When the attempt was made.
    pub at: Instant,
    /// The event that recorded it, named in its follow-up's reason.
    pub event: Arc<str>,
    /// When its follow-up was recorded.
    pub followed: Option<Instant>,
    /// When the next attempt was counted: after that, this one's follow-up can no longer
    /// be made.
    pub next: Option<Instant>,
}

/// The communication need, if one rules a method out at an instant (the one rule is
/// `discharge::ruled_out_at`).
pub(super) type RuledOut<'r> = dyn Fn(Method, Instant) -> Option<&'r str> + 'r;

/// How far the attempts have got.
pub(super) struct Tally {
    /// When and how the step ended, if it has.
    pub ended: Option<(Instant, End)>,
    /// How far it got, in words.
    pub progress: String,
    /// Every counted attempt nobody answered, in order.
    pub unanswered: Vec<Unanswered>,
}

/// Count the attempts among `events` (already limited to those by someone who may act).
pub(super) fn tally<'e, 'r>(
    ev: &Eval<'_>,
    ruled_out: &RuledOut<'r>,
    spec: &Spec<'_>,
    events: impl Iterator<Item = &'e Event>,
) -> Tally {
    let mut made = 0u32;
    let mut covered: Vec<Option<Instant>> = vec![None; spec.covering.len()];
    let mut refused: Option<(Method, &'r str)> = None;
    let mut not_counted = NotCounted::default();
    let mut last: Option<Instant> = None;
    let mut unanswered: Vec<Unanswered> = Vec::new();
    let mut ended: Option<(Instant, End)> = None;
    for e in events {
        // Once ended, only the last attempt's follow-up can still change anything: with none
        // to look for, the rest of the record is not read (an attempt duty done early in a
        // long record read every later attempt of the person, for each episode).
        if ended.is_some()
            && (spec.follow_up.is_none() || unanswered.last().is_none_or(|u| u.followed.is_some()))
        {
            break;
        }
        let EventData::ContactAttempt { method, outcome } = e.data else {
            continue;
        };
        let waiting = unanswered.last_mut().filter(|u| u.followed.is_none());
        if let (Some(u), Some(f)) = (waiting, spec.follow_up) {
            if f.done_by(method, outcome) {
                u.followed = Some(e.at);
                continue;
            }
        }
        // Once ended, only the last attempt's follow-up is still looked for.
        if ended.is_some() {
            continue;
        }
        // An attempt by a method the step does not use is no step done, and is said: a worker
        // who recorded two phone calls sees why the duty still asks for them.
        if !(spec.methods.is_empty() || spec.methods.contains(&method)) {
            if !not_counted.methods.contains(&method) {
                not_counted.methods.push(method);
            }
            continue;
        }
        // A method the person cannot receive at that moment is no attempt to reach them: it
        // does not count, and the duty can go overdue (fail closed).
        if let Some(need) = ruled_out(method, e.at) {
            refused = Some((method, need));
            continue;
        }
        // The person answering ends the attempts, whatever the spacing or the windows:
        // reached is done, refused is a failure the procedure may follow.
        if !outcome.unanswered() {
            let end = End::Done(Some(outcome).filter(|o| o.is_failure()));
            return Tally {
                ended: Some((e.at, end)),
                progress: words(ev, spec, (made, &covered), refused, &not_counted),
                unanswered,
            };
        }
        // Attempts closer together than the spacing count as one.
        let spaced = match (last, spec.every) {
            (Some(l), Some(gap)) => e.at >= ev.civil.after(l, gap),
            _ => true,
        };
        if !spaced {
            not_counted.too_soon += 1;
            continue;
        }
        made += 1;
        last = Some(e.at);
        for (slot, cal) in covered.iter_mut().zip(spec.covering) {
            if slot.is_none() && ev.in_calendar(*cal, e.at) {
                *slot = Some(e.at);
            }
        }
        if let Some(prev) = unanswered.last_mut() {
            prev.next = Some(e.at);
        }
        let own = spec.follow_up.filter(|f| f.done_by(method, outcome));
        unanswered.push(Unanswered {
            at: e.at,
            event: Arc::from(e.id.as_str()),
            followed: own.map(|_| e.at),
            next: None,
        });
        if made >= spec.times && covered.iter().all(Option::is_some) {
            ended = Some((e.at, End::Done(Some(Outcome::NoAnswer))));
        }
    }
    Tally {
        ended,
        progress: words(ev, spec, (made, &covered), refused, &not_counted),
        unanswered,
    }
}

/// Attempts recorded that did not count, other than by a method the person cannot receive.
#[derive(Default)]
struct NotCounted {
    /// Methods the step does not use, in the order first met.
    methods: Vec<Method>,
    /// Attempts made sooner after the last counted one than the step's spacing.
    too_soon: u32,
}

/// "2 of 3 attempts made; covered: morning at 09:40 Sat 24 Oct; still to cover: afternoon,
/// evening", with a note of attempts not counted because the person cannot receive them.
fn words(
    ev: &Eval<'_>,
    spec: &Spec<'_>,
    (made, covered): (u32, &[Option<Instant>]),
    refused: Option<(Method, &str)>,
    not_counted: &NotCounted,
) -> String {
    let times = spec.times;
    let mut out = if made > times {
        format!("{made} attempts made ({times} asked for)")
    } else {
        format!("{made} of {times} attempts made")
    };
    let name = |c: &CalendarId| {
        ev.rs
            .calendars
            .get(c.index())
            .map_or(String::new(), |d| lower_first(&d.display))
    };
    let done: Vec<String> = spec
        .covering
        .iter()
        .zip(covered)
        .filter_map(|(c, at)| at.map(|t| format!("{} at {}", name(c), ev.civil.short_local(t))))
        .collect();
    let to_do: Vec<String> = spec
        .covering
        .iter()
        .zip(covered)
        .filter(|(_, at)| at.is_none())
        .map(|(c, _)| name(c))
        .collect();
    if !done.is_empty() {
        out.push_str(&format!("; covered: {}", done.join(", ")));
    }
    if !to_do.is_empty() {
        out.push_str(&format!("; still to cover: {}", to_do.join(", ")));
    }
    if !not_counted.methods.is_empty() {
        let words =
            |ms: &[Method]| -> Vec<String> { ms.iter().map(|m| m.words().into()).collect() };
        out.push_str(&format!(
            "; attempts by {} were not counted: this step's attempts are by {}",
            or_list(&words(&not_counted.methods)),
            or_list(&words(spec.methods))
        ));
    }
    if let (n @ 1.., Some(gap)) = (not_counted.too_soon, spec.every) {
        out.push_str(&format!(
            "; {n} attempt{} less than {} after the one before counted with it",
            if n == 1 { "" } else { "s" },
            crate::wording::duration_words(gap)
        ));
    }
    if let Some((m, need)) = refused {
        out.push_str(&format!(
            "; attempts by {m} were not counted: the person's communication need `{need}` rules {m} out at that time"
        ));
    }
    out
}
