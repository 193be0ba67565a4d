//! Watched visits: late and missed at exact instants, partly attended when a visit needing
//! several carers has only some, cancelled, early and short; and the triggers they raise.
//!
//! A visit is **attended** when as many carers have arrived as it needs (`staff`; a no-answer
//! at the door counts: the worker was there). Late and missed are deadlines for that: with
//! no attendance by the late instant the visit is late from that instant, and with none by
//! the missed instant it is missed at exactly that instant. Attendance at the very second is
//! in time, as work done at its due second is. A visit with some of its carers by the missed
//! instant is partly attended instead of missed.

use std::sync::Arc;

use super::decision::{Cancellation, VisitReport, VisitState};
use super::obligation::{InTime, Unjudged};
use super::{watch, words, Eval, Trigger};
use crate::rules::deadline;
use crate::rules::TriggerOn;
use crate::rules::{Anchor, DeadlineAtomDef, DeadlineDef};
use crate::rules::{PersonRules, ThresholdDef};
use crate::time::Instant;
use crate::timeline::{EventData, VisitRef};
use crate::vocab::ThresholdAnchor;
use crate::vocab::TriggerKind;

/// Report every visit of `person` watched at `as_of`; return the triggers they raise.
pub(super) fn run(ev: &mut Eval<'_>, person: usize, rules: &PersonRules) -> Vec<Trigger> {
    let mine = ev.visits_by_person.get(person).cloned().unwrap_or_default();
    // The visits are read while the evaluation is written to: the timeline's are borrowed
    // from it, and the protocol's added ones are lent out of the evaluation meanwhile (no
    // event names those, so nothing looks them up), rather than each visit being copied.
    let extra = std::mem::take(&mut ev.extra_visits);
    let tl = ev.tl;
    let held = tl.visits.len();
    let first_report = ev.visits.len();
    let mut out = Vec::new();
    for vi in mine {
        let v = match vi.checked_sub(held) {
            None => tl.visits.get(vi),
            Some(k) => extra.get(k),
        };
        if let Some(v) = v {
            out.extend(visit(ev, person, rules, vi, v));
        }
    }
    ev.extra_visits = extra;
    // A person's visits in the decision run in time order, whichever kind each is.
    if let Some(mine) = ev.visits.get_mut(first_report..) {
        mine.sort_by(|a, b| (a.planned, &a.id).cmp(&(b.planned, &b.id)));
    }
    out
}

impl crate::rules::RuleSet {
    /// The state at `as_of` of each visit of `timeline` that `which` marks (`None` for the
    /// others, and for one not yet watched), judged as an evaluation judges it, and nothing
    /// else evaluated: what a stream asks of the visits it may let go. A visit's state is its
    /// own (its events, the thresholds and exceptions, the calendars), so it is the state the
    /// whole evaluation gives it.
    ///
    /// A visit that arrived late is given as such only where nothing reads its lateness: no
    /// pathway of its person's is `on late_visit`. Its late-visit trigger then opens no
    /// episode, needs no one to act on it (a late visit may be left to the missed threshold,
    /// language.md §6.1), and so is counted by no governance rule (they count episodes); else
    /// `None`, as for a visit a stream must keep.
    pub(crate) fn visit_states(
        &self,
        timeline: &crate::timeline::Timeline,
        as_of: Instant,
        which: &[bool],
    ) -> Vec<Option<VisitState>> {
        let ev = self.start(timeline, as_of, false, None);
        let tl = ev.tl;
        tl.visits
            .iter()
            .enumerate()
            .map(|(vi, v)| {
                if !which.get(vi).copied().unwrap_or(false) {
                    return None;
                }
                // Only the state is wanted: not the report (its words, ids and times were
                // most of a look's work), nor the triggers, which open episodes only in an
                // evaluation (a visit that raised one is not arrived on time anyway).
                if !watch::watched(&ev, v) {
                    return None;
                }
                let seen = Attendance::of(&ev, v.person, vi, v.slot);
                let rules = ev.rules(v.person);
                let state = match judge(&ev, rules, v, &seen) {
                    Judged::Suspended => VisitState::Suspended,
                    Judged::Unjudged(_) => VisitState::Upcoming,
                    Judged::Limited(_, _, state) => state,
                };
                let lateness_read = || {
                    rules
                        .pathways
                        .iter()
                        .any(|p| p.trigger == TriggerOn::Builtin(TriggerKind::LateVisit))
                };
                (state != VisitState::ArrivedLate || !lateness_read()).then_some(state)
            })
            .collect()
    }
}

/// What the timeline says happened at a visit, up to `as_of`.
struct Attendance {
    /// Each carer's arrival (or a no-answer at the door before anyone arrived), in time
    /// order.
    arrivals: Vec<Instant>,
    /// No-answers at the door, until they are folded into the arrivals.
    at_door: Vec<Instant>,
    /// When the last carer left.
    departed: Option<Instant>,
    /// The first cancellation: when, by whom, why and which event.
    cancelled: Option<Cancellation>,
}

impl Attendance {
    /// What happened at visit `vi`, which events name directly or (for a protocol visit's
    /// occurrence) through another visit standing for the same occurrence: one a planning
    /// event after `as_of` will confirm or move.
    fn of(
        ev: &Eval<'_>,
        person: usize,
        vi: usize,
        slot: Option<crate::timeline::Slot>,
    ) -> Attendance {
        let mut a = Attendance {
            arrivals: Vec::new(),
            at_door: Vec::new(),
            departed: None,
            cancelled: None,
        };
        for e in ev.events_at_visit(person, vi, slot) {
            match &e.data {
                EventData::Arrived => a.arrivals.push(e.at),
                EventData::NoAnswer => a.at_door.push(e.at),
                EventData::Departed => a.departed = Some(e.at),
                EventData::VisitCancelled { reason } if a.cancelled.is_none() => {
                    a.cancelled = Some(Cancellation {
                        at: e.at,
                        by: e
                            .by
                            .and_then(|r| ev.rs.role(r))
                            .map_or_else(String::new, |r| r.name.to_string()),
                        reason: reason.clone(),
                        event: e.id.clone(),
                    });
                }
                _ => {}
            }
        }
        // A worker who found no answer at the door was there: the first no-answer counts as
        // one carer arriving, unless a carer had arrived already (then it is that carer
        // reporting it). Further no-answers are the same worker trying again.
        if let Some(t) = a.at_door.first().copied() {
            if a.arrivals.first().is_none_or(|first| *first > t) {
                a.arrivals.insert(0, t);
            }
        }
        a
    }

    /// When the visit was attended: the arrival of the last carer it needs.
    fn attended(&self, staff: u32) -> Option<Instant> {
        let n = usize::try_from(staff.max(1)).unwrap_or(usize::MAX);
        self.arrivals.get(n - 1).copied()
    }

    /// How many carers had arrived by `t`.
    fn by(&self, t: Instant) -> usize {
        self.arrivals.iter().filter(|a| **a <= t).count()
    }
}

/// One visit's report, and the triggers it raises by `as_of`.
fn visit(
    ev: &mut Eval<'_>,
    person: usize,
    rules: &PersonRules,
    vi: usize,
    v: &VisitRef,
) -> Vec<Trigger> {
    if !watch::watched(ev, v) {
        return Vec::new();
    }
    let seen = Attendance::of(ev, person, vi, v.slot);
    let mut report = report(ev, person, rules, v, &seen);
    let (th, limits, state) = match judge(ev, rules, v, &seen) {
        Judged::Limited(th, limits, state) => (th, limits, state),
        Judged::Suspended => {
            report.state = VisitState::Suspended;
            ev.visits.push(report);
            return Vec::new();
        }
        Judged::Unjudged(reason) => {
            manual_review(ev, person, vi, reason, v.planned_at.min(v.planned));
            ev.visits.push(report);
            return Vec::new();
        }
    };
    report.late_at = Some(limits.late_at);
    report.missed_at = Some(limits.missed_at);
    report.state = state;
    let attended = seen.attended(v.staff);
    if report.state != VisitState::Cancelled && attended.is_none() {
        ev.change_at(Some(limits.late_at));
        ev.change_at(Some(limits.missed_at));
    }
    ev.visits.push(report);
    triggers(ev, vi, v, th, &seen, &limits)
}

/// How a visit stands against its thresholds at `as_of`.
enum Judged<'r> {
    /// An agreed exception suspends it.
    Suspended,
    /// Its thresholds cannot be judged, for this reason: a duty for a person.
    Unjudged(String),
    /// Its threshold, the instants it is late and missed, and its state.
    Limited(&'r ThresholdDef, Limits, VisitState),
}

/// How visit `v`, with what was `seen` of it, stands against `rules`' thresholds: what a look
/// for visits to drop asks, and what an evaluation builds a visit's report around.
fn judge<'r>(ev: &Eval<'_>, rules: &'r PersonRules, v: &VisitRef, seen: &Attendance) -> Judged<'r> {
    let suspended = rules
        .exceptions
        .iter()
        .any(|x| x.suspend_visits && x.covers(ev.civil, v.planned));
    if suspended {
        return Judged::Suspended;
    }
    let criticality = v
        .criticality
        .and_then(|c| ev.rs.criticalities.get(c.index()))
        .map_or("", |c| c.as_str());
    let (th, anchor) = match threshold_and_anchor(rules, v, criticality) {
        Ok(found) => found,
        Err(reason) => return Judged::Unjudged(reason),
    };
    let (late, missed) = thresholds_at(ev, th, anchor);
    let limits = Limits {
        late_at: within(ev, anchor, late),
        missed_at: within(ev, anchor, missed),
        late,
        missed,
        anchor,
    };
    let state = state(ev, v, seen, &limits);
    Judged::Limited(th, limits, state)
}

/// The instants a visit is late and missed, and what they count from.
struct Limits {
    late_at: Instant,
    missed_at: Instant,
    late: u64,
    missed: u64,
    anchor: Instant,
}

/// The visit's report before its thresholds are applied: where it comes from, what it
/// needs, and what happened.
fn report(
    ev: &Eval<'_>,
    person: usize,
    rules: &PersonRules,
    v: &VisitRef,
    seen: &Attendance,
) -> VisitReport {
    let criticality = v
        .criticality
        .and_then(|c| ev.rs.criticalities.get(c.index()))
        .cloned()
        .unwrap_or_default();
    let def = v
        .slot
        .and_then(|s| rules.visits.get(s.visit).map(|d| (d, s)));
    let first = seen.arrivals.first().copied();
    let attended = seen.attended(v.staff);
    let seconds = |d: chrono::Duration| Some(d.num_seconds()).filter(|s| *s > 0);
    VisitReport {
        id: v.id.clone(),
        person: ev.person_id(person).to_string(),
        name: def.map(|(d, _)| d.display.clone()),
        source: v.source,
        // A protocol visit nobody planned is named by its occurrence already.
        slot: def.map(|(d, s)| match v.source {
            crate::timeline::VisitSource::Protocol => v.id.clone(),
            _ => d.occurrence_id(s.date),
        }),
        criticality,
        planned: v.planned,
        planned_end: v.planned_end,
        staff: v.staff,
        state: VisitState::Upcoming,
        late_at: None,
        missed_at: None,
        arrived_at: first,
        no_answer_at: seen.at_door.first().copied(),
        carers_arrived: u32::try_from(seen.arrivals.len()).unwrap_or(u32::MAX),
        departed_at: seen.departed,
        early_by_seconds: first.and_then(|a| seconds(v.planned - a)),
        short_by_seconds: match (v.planned_end, attended.or(first), seen.departed) {
            (Some(end), Some(a), Some(d)) => seconds((end - v.planned) - (d - a)),
            _ => None,
        },
        cancelled: seen.cancelled.clone(),
    }
}

/// The visit's state at `as_of`.
fn state(ev: &Eval<'_>, v: &VisitRef, seen: &Attendance, l: &Limits) -> VisitState {
    if seen.cancelled.as_ref().is_some_and(|c| c.at <= l.missed_at) {
        return VisitState::Cancelled;
    }
    match seen.attended(v.staff) {
        Some(a) if a <= l.late_at => VisitState::Arrived,
        Some(a) if a <= l.missed_at => VisitState::ArrivedLate,
        Some(_) => VisitState::ArrivedAfterMissed,
        None if ev.as_of < l.late_at => VisitState::Upcoming,
        None if ev.as_of < l.missed_at => VisitState::Late,
        None if seen.by(l.missed_at) > 0 => VisitState::PartlyAttended,
        None => VisitState::Missed,
    }
}

/// The triggers a visit raises by `as_of`: late (with no attendance by the late instant),
/// then missed (nobody by the missed instant) or partly attended (some of its carers). A
/// cancellation stops those after it, and ends a late-visit episode.
fn triggers(
    ev: &Eval<'_>,
    vi: usize,
    v: &VisitRef,
    th: &ThresholdDef,
    seen: &Attendance,
    l: &Limits,
) -> Vec<Trigger> {
    let cancelled = seen.cancelled.as_ref().map(|c| c.at);
    let live = |t: Instant| ev.as_of >= t && cancelled.is_none_or(|c| c > t);
    let attended = seen.attended(v.staff);
    let words = Words {
        ev,
        v,
        th,
        anchor: l.anchor,
    };
    let mut out = Vec::new();
    if attended.is_none_or(|a| a > l.late_at) && live(l.late_at) {
        // The late-visit episode ends when the visit is attended, missed or cancelled.
        let ends = [
            attended.map(|a| (a, "the visit was attended".to_string())),
            Some(l.missed_at)
                .filter(|m| *m <= ev.as_of)
                .map(|m| (m, "the visit reached its missed threshold".to_string())),
            seen.cancelled
                .as_ref()
                .map(|c| (c.at, format!("the visit was cancelled (event {})", c.event))),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|(t, _)| *t);
        out.push(Trigger {
            kind: TriggerOn::Builtin(TriggerKind::LateVisit),
            by: None,
            attributes: Arc::from(Vec::new()),
            at: l.late_at,
            visit: Some(vi),
            key: format!("late:{}", v.id),
            text: words.text("late", l.late_at, seen.by(l.late_at), l.late),
            ends,
            judged_by: Some(v.planned),
        });
    }
    if attended.is_none_or(|a| a > l.missed_at) && live(l.missed_at) {
        let some = seen.by(l.missed_at);
        let (kind, key, word) = if some == 0 {
            (TriggerKind::MissedVisit, "missed", "missed")
        } else {
            (TriggerKind::PartlyAttended, "partly", "partly attended")
        };
        out.push(Trigger {
            kind: TriggerOn::Builtin(kind),
            by: None,
            attributes: Arc::from(Vec::new()),
            at: l.missed_at,
            visit: Some(vi),
            key: format!("{key}:{}", v.id),
            text: words.text(word, l.missed_at, some, l.missed),
            ends: None,
            judged_by: Some(v.planned),
        });
    }
    out
}

/// What a visit's triggers say in words.
struct Words<'e, 'a> {
    ev: &'e Eval<'a>,
    v: &'e VisitRef,
    th: &'e ThresholdDef,
    anchor: Instant,
}

impl Words<'_, '_> {
    /// "visit V1 (critical) missed at 08:30 Tue 24 Nov: no arrival 30 minutes after its
    /// planned start at 08:00 Tue 24 Nov", with how many carers had come if it needs several.
    fn text(&self, word: &str, at: Instant, arrived: usize, secs: u64) -> Arc<str> {
        let (ev, v) = (self.ev, self.v);
        let criticality = v
            .criticality
            .and_then(|c| ev.rs.criticalities.get(c.index()))
            .map_or("", |c| c.as_str());
        let who = if v.staff > 1 {
            format!("only {arrived} of {} carers there", v.staff)
        } else {
            "no arrival".into()
        };
        Arc::from(format!(
            "visit {} ({criticality}) {word} at {}: {who} {} after its {} at {}",
            v.id,
            words::clock(ev, at),
            crate::wording::duration_words(secs),
            self.th.anchor.words(),
            words::clock(ev, self.anchor)
        ))
    }
}

/// The thresholds for a visit's criticality and the instant they count from, or why they
/// cannot be judged (which becomes a manual review).
fn threshold_and_anchor<'r>(
    rules: &'r PersonRules,
    v: &VisitRef,
    criticality: &str,
) -> Result<(&'r ThresholdDef, Instant), String> {
    let Some(th) = rules
        .thresholds
        .iter()
        .find(|t| t.criticality == criticality)
    else {
        return Err(format!(
            "visit {} has criticality `{criticality}`, which has no late or missed threshold",
            v.id
        ));
    };
    let anchor = match th.anchor {
        ThresholdAnchor::PlannedStart => Some(v.planned),
        ThresholdAnchor::PlannedEnd => v.planned_end,
    };
    match anchor {
        Some(a) => Ok((th, a)),
        None => Err(format!(
            "visit {} has no planned end, but `{criticality}` thresholds count from the planned end",
            v.id
        )),
    }
}

/// Late and missed are deadlines for attendance, counted from the anchor by the one deadline
/// rule.
fn within(ev: &Eval<'_>, anchor: Instant, secs: u64) -> Instant {
    let mut measure = InTime::new(ev.civil, &ev.rs.calendars, |_: Anchor, start| Some(start));
    let d = DeadlineDef::Atom(DeadlineAtomDef::Within {
        secs,
        anchor: Anchor::Start,
    });
    deadline::due(&mut measure, d, anchor).unwrap_or(anchor)
}

/// The late and missed thresholds that apply to a visit: out-of-hours ones when its anchor
/// falls out of hours (they are never laxer; the checker sees to that).
fn thresholds_at(ev: &Eval<'_>, th: &ThresholdDef, anchor: Instant) -> (u64, u64) {
    // Out-of-hours values equal to the office-hours ones need no calendar answer.
    match th.out_of_hours {
        Some(ooh) if ooh != (th.late, th.missed) && ev.out_of_hours(anchor) => ooh,
        _ => (th.late, th.missed),
    }
}

/// A visit whose thresholds cannot be judged becomes a duty for a person to judge it.
fn manual_review(ev: &mut Eval<'_>, person: usize, visit: usize, reason: String, at: Instant) {
    let person_id = ev.person_arc(person);
    let visit_id = ev.visit_id(Some(visit));
    let unjudged = Unjudged {
        id: format!(
            "{person_id}/manual-review/{}",
            visit_id.as_deref().unwrap_or_default()
        ),
        person: person_id,
        visit: visit_id,
        reason,
        at,
        rule: ev.rs.threshold_provenance.clone(),
        cites: Arc::from(Vec::new()),
    };
    ev.manual_review(unjudged);
}
