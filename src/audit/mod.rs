//! The audit: what happened to every duty over a period, as a registered manager hands it to
//! a quality lead. It reads a decision made at the period's end (so that every duty has
//! reached where it stands by then) and the timeline it was made from (for routes and
//! locations), and says for each duty whether it was done on time, done late and by how
//! much, never done, no longer required, or still open when the period ended; then the same
//! counted per role, person, route, location and review cycle, with compliance percentages,
//! and the visits missed and late in each week.
//!
//! Stage: after `eval`, before `render`. It judges nothing itself: every figure is counted
//! from the decision's own statuses, so an audit can never disagree with `vigil eval`.

mod groups;
mod stream;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::eval::{Decision, Obligation, Status, VisitState};
use crate::rules::RuleSet;
use crate::time::{utc, Instant};
use crate::timeline::Timeline;

pub use groups::Group;
pub use stream::{Dropped, Streamed};

/// The period an audit covers: from `from` up to (not including) `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first instant covered.
    pub from: Instant,
    /// The first instant after the period.
    pub to: Instant,
}

/// How a duty ended, or stood when the period ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Still not done when the period ended, and past its due time.
    NeverDone,
    /// No longer required (its episode closed, or its condition stopped holding), but only
    /// after it had gone past its due time undone.
    LapsedOverdue,
    /// Done after its due time.
    Late,
    /// Done by its due time (a step that ended in a failure the procedure provides for, such
    /// as no answer, was done).
    OnTime,
    /// Done, with no due time to meet (a hand-over, a stay, a duty with no deadline): not
    /// counted in compliance, which is about duties that fell due.
    Done,
    /// No longer required before it fell due.
    NotRequired,
    /// Not yet due when the period ended, or with no deadline.
    Open,
}

impl Outcome {
    /// A breach: a duty that went past its due time undone.
    pub fn is_breach(self) -> bool {
        matches!(
            self,
            Outcome::NeverDone | Outcome::LapsedOverdue | Outcome::Late
        )
    }

    /// The outcome in plain words, as the pack prints it.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::NeverDone => "never done",
            Outcome::LapsedOverdue => "overdue, then no longer required",
            Outcome::Late => "done late",
            Outcome::OnTime => "done on time",
            Outcome::Done => "done (no deadline)",
            Outcome::NotRequired => "no longer required",
            Outcome::Open => "open at the end",
        }
    }

    /// Where a decision's status puts a duty, given how late it was.
    fn of(o: &Obligation) -> Outcome {
        let late = o.late_by_seconds.is_some_and(|s| s > 0);
        match o.status {
            Status::Done | Status::Failed if o.due.is_none() => Outcome::Done,
            Status::Done => Outcome::OnTime,
            Status::DoneLate => Outcome::Late,
            Status::Failed if late => Outcome::Late,
            Status::Failed => Outcome::OnTime,
            Status::Overdue => Outcome::NeverDone,
            Status::NotRequired if late => Outcome::LapsedOverdue,
            Status::NotRequired => Outcome::NotRequired,
            _ => Outcome::Open,
        }
    }
}

/// One duty of the period, with its outcome and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AuditDuty {
    /// The obligation's id (stable, as in the decision).
    pub id: String,
    /// The person, empty for a provider-wide governance duty.
    pub person: Arc<str>,
    /// The visit, if any.
    pub visit: Option<Arc<str>>,
    /// The visit's route, if it has one.
    pub route: Option<String>,
    /// The visit's location, if it has one.
    pub location: Option<String>,
    /// What was to be done.
    pub summary: Arc<str>,
    /// The responsible role.
    pub role: Arc<str>,
    /// The role's display name.
    pub role_name: Arc<str>,
    /// For a decision several roles share (`decide D by any of A, B`): every one of them,
    /// resolved through aliases when it started (`role` is the first); the duty is counted
    /// under each in `by_role`. Absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deciders: Vec<Arc<str>>,
    /// When it came into being (UTC).
    pub opened_at: String,
    /// When it was due (UTC), if it had a deadline.
    pub due: Option<String>,
    /// When it was done (UTC), if it was.
    pub done_at: Option<String>,
    /// How it ended or stood when the period ended.
    pub outcome: Outcome,
    /// How late: done after its due time, or undone past it (at the period's end, or when it
    /// stopped being required).
    pub late_by_seconds: Option<i64>,
    /// How a step ended when the end has a name (`no_answer`).
    pub ended: Option<Arc<str>>,
    /// The rule: its name.
    pub rule: Arc<str>,
    /// Where the rule is written (`file:line:column`).
    pub source: Arc<str>,
    /// The version of the framework that judged it.
    pub version: Arc<str>,
    /// Citations, the framework's first.
    pub cites: Arc<[String]>,
    /// Why it was required.
    pub because: Vec<Arc<str>>,
    /// Whether a governance rule set it (provider-wide, or counted per person, route or
    /// location).
    pub governance: bool,
}

/// Duties counted by outcome, with the share of those that fell due that were done on time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Tally {
    /// Every duty counted.
    pub duties: usize,
    /// Done by their due time.
    pub on_time: usize,
    /// Done, with no due time to meet (not counted in compliance).
    pub done_no_deadline: usize,
    /// Done after it.
    pub late: usize,
    /// Never done, past their due time at the period's end.
    pub never_done: usize,
    /// No longer required, but only after going past their due time undone.
    pub lapsed_overdue: usize,
    /// No longer required before they fell due.
    pub not_required: usize,
    /// Not yet due (or with no deadline) at the period's end.
    pub open: usize,
    /// On time, as a percentage of the duties that fell due (on time, late, never done,
    /// lapsed overdue), to one decimal place; `None` when none fell due.
    pub compliance_percent: Option<f64>,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.duties += 1;
        match outcome {
            Outcome::OnTime => self.on_time += 1,
            Outcome::Done => self.done_no_deadline += 1,
            Outcome::Late => self.late += 1,
            Outcome::NeverDone => self.never_done += 1,
            Outcome::LapsedOverdue => self.lapsed_overdue += 1,
            Outcome::NotRequired => self.not_required += 1,
            Outcome::Open => self.open += 1,
        }
        let fell_due = self.on_time + self.late + self.never_done + self.lapsed_overdue;
        self.compliance_percent = (fell_due > 0).then(|| {
            // Rounded to one decimal place, half away from zero, from whole numbers.
            let tenths = (self.on_time * 2000 + fell_due) / (fell_due * 2);
            tenths as f64 / 10.0
        });
    }

    /// Duties that went past their due time undone (late, never done, lapsed overdue).
    pub fn breaches(&self) -> usize {
        self.late + self.never_done + self.lapsed_overdue
    }
}

/// Visits planned to start in the period, by what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct VisitTally {
    /// Every visit planned to start in the period.
    pub planned: usize,
    /// Arrived before the late threshold (and answered).
    pub on_time: usize,
    /// Arrived after the late threshold, before the missed one (and answered).
    pub late: usize,
    /// The worker arrived and no one answered the door: counted apart, since the visit did
    /// not happen (its no-response procedure is among the duties).
    pub no_answer: usize,
    /// Missed: no arrival by the missed threshold (later arrivals included).
    pub missed: usize,
    /// Needing several carers, only some of whom came by the missed threshold.
    pub partly_attended: usize,
    /// Cancelled.
    pub cancelled: usize,
    /// Suspended by an agreed exception.
    pub suspended: usize,
    /// Not yet late, or late with no arrival yet, when the period ended.
    pub pending: usize,
}

impl VisitTally {
    /// Count `n` visits that went as `state` (`unanswered`: no one answered the door).
    fn add(&mut self, state: VisitState, unanswered: bool, n: usize) {
        self.planned += n;
        *match state {
            VisitState::Arrived | VisitState::ArrivedLate if unanswered => &mut self.no_answer,
            VisitState::Arrived => &mut self.on_time,
            VisitState::ArrivedLate => &mut self.late,
            VisitState::Missed | VisitState::ArrivedAfterMissed => &mut self.missed,
            VisitState::PartlyAttended => &mut self.partly_attended,
            VisitState::Cancelled => &mut self.cancelled,
            VisitState::Suspended => &mut self.suspended,
            _ => &mut self.pending,
        } += n;
    }
}

/// One local week (Monday to Sunday) of visits, for the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Week {
    /// The Monday it starts on (local date, `YYYY-MM-DD`).
    pub starts: String,
    /// Its visits.
    pub visits: VisitTally,
}

/// An audit of a period: every duty, counted every way, and the visits week by week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Audit {
    /// The framework.
    pub framework: String,
    /// The version in force in the period's last second (a version that comes into force
    /// at its end is the next period's).
    pub version: String,
    /// Every version that judged a duty of the period, earliest first.
    pub versions: Vec<String>,
    /// The framework's time zone.
    pub zone: String,
    /// The period's first instant (UTC).
    pub from: String,
    /// The first instant after the period (UTC).
    pub to: String,
    /// Every duty, breaches first (worst first), then the rest by due time.
    pub duties: Vec<AuditDuty>,
    /// All duties.
    pub totals: Tally,
    /// By responsible role.
    pub by_role: Vec<Group>,
    /// By person ("provider" for provider-wide duties).
    pub by_person: Vec<Group>,
    /// By the route of the duty's visit ("no route" for none).
    pub by_route: Vec<Group>,
    /// By the location of the duty's visit ("no location" for none).
    pub by_location: Vec<Group>,
    /// By review cycle: each cycle the framework declares, each of its windows in the period
    /// that opened a duty.
    pub by_cycle: Vec<Group>,
    /// The duties governance rules set, alone.
    pub governance: Tally,
    /// Visits planned to start in the period.
    pub visits: VisitTally,
    /// The same, week by week (every week of the period, empty ones included).
    pub weeks: Vec<Week>,
    /// The decision's notes at the period's end, in its words: what the rules could not
    /// judge or judged with a caveat (a week that began before the record, a review naming
    /// no manual review), which the pack must carry, never drop.
    pub notes: Vec<String>,
}

impl Audit {
    /// The audit of `period`, from `d` (a decision made at `period.to`, or later) and the
    /// timeline `tl` it was made from, under `rs` (the version in force at the end, for its
    /// calendar and review cycles).
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::audit::{Audit, Outcome, Period};
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "events:
    ///   - { at: 2026-11-23T18:00:00Z, person: P-1, kind: visit_planned, visit: V1,
    ///       planned: 2026-11-24T08:00:00Z, criticality: critical, route: R1 }
    /// ";
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    /// let period = Period { from: at("2026-11-24T00:00:00Z"), to: at("2026-11-25T00:00:00Z") };
    /// let audit = Audit::of(&rs.evaluate(&tl, period.to), &tl, &rs, period);
    /// // V1 was missed at 08:30 and nothing was done: every duty of its ladder is a breach.
    /// assert_eq!(audit.visits.missed, 1);
    /// assert!(audit.duties.iter().all(|d| d.outcome == Outcome::NeverDone));
    /// assert_eq!(audit.totals.compliance_percent, Some(0.0));
    /// assert_eq!(audit.by_route[0].key, "R1");
    /// ```
    pub fn of(d: &Decision, tl: &Timeline, rs: &RuleSet, period: Period) -> Audit {
        Audit::of_readings(d, std::slice::from_ref(tl), rs, period)
    }

    /// [`Audit::of`] for a decision made under versions side by side
    /// ([`crate::rules::Versions`]), from every version's reading of the timeline
    /// ([`crate::eval::VersionedTimeline::readings`]): a person whose protocol only an older
    /// version holds is in that version's reading alone, with their visits' routes.
    pub fn of_readings(d: &Decision, readings: &[Timeline], rs: &RuleSet, period: Period) -> Audit {
        Audit::of_stream(d, readings, &Dropped::default(), rs, period)
    }

    /// [`Audit::of_readings`] for a log read as a stream ([`Audit::stream`]): `readings` are
    /// [`Streamed::readings`], and the visits it dropped as they went as planned or were
    /// called off ([`Streamed::dropped`]: when each was planned, and how it went) are counted
    /// as they went.
    pub fn of_stream(
        d: &Decision,
        readings: &[Timeline],
        dropped: &Dropped,
        rs: &RuleSet,
        period: Period,
    ) -> Audit {
        let period = whole_seconds(period);
        let kept = kept_in_order(d, period);
        let read = Read::of(d, &kept, readings, dropped, rs, period);
        Audit::of_read(d, &kept, read, rs, period)
    }

    /// [`Audit::of_stream`], owning what it reads, for a long log: what the audit needs of
    /// the timelines and of the visit reports is read first and they are let go, before the
    /// duties' lines are made, so that the three are never held at once (the same audit,
    /// with less memory at its peak).
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::audit::{Audit, Period};
    /// use vigil::timeline::{Format, Timeline};
    /// let text = std::fs::read_to_string("examples/audit-day.yaml").unwrap();
    /// let tl = Timeline::load(&text, Format::Yaml, "audit-day.yaml", &rs).unwrap();
    /// let period = Period { from: tl.from.unwrap(), to: tl.as_of.unwrap() };
    /// let d = rs.evaluate(&tl, period.to);
    /// let borrowed = Audit::of(&d, &tl, &rs, period);
    /// let none = vigil::audit::Dropped::default();
    /// assert_eq!(Audit::of_owned(d, vec![tl], none, &rs, period), borrowed);
    /// ```
    pub fn of_owned(
        mut d: Decision,
        readings: Vec<Timeline>,
        dropped: Dropped,
        rs: &RuleSet,
        period: Period,
    ) -> Audit {
        let period = whole_seconds(period);
        let kept = kept_in_order(&d, period);
        let read = Read::of(&d, &kept, &readings, &dropped, rs, period);
        drop((readings, dropped, std::mem::take(&mut d.visits)));
        Audit::of_read(&d, &kept, read, rs, period)
    }

    /// The audit of the obligations `kept` (indices into `d`'s, in the audit's order), with
    /// what was `read` of the timelines and visits.
    fn of_read(d: &Decision, kept: &[usize], read: Read, rs: &RuleSet, period: Period) -> Audit {
        let opened: Vec<Instant> = kept
            .iter()
            .filter_map(|i| d.obligations.get(*i))
            .map(|o| o.opened_at)
            .collect();
        // Sized once: a filtered iterator cannot tell its length, and the list would grow by
        // doubling to half again what it holds (10 MB at four simulated years).
        let mut duties: Vec<AuditDuty> = Vec::with_capacity(kept.len());
        let mut rules = Rules::default();
        duties.extend(kept.iter().zip(read.places).filter_map(|(i, place)| {
            Some(duty(d.obligations.get(*i)?, place.as_ref(), &mut rules))
        }));
        let mut totals = Tally::default();
        let mut governance = Tally::default();
        for duty in &duties {
            totals.add(duty.outcome);
            if duty.governance {
                governance.add(duty.outcome);
            }
        }
        let mut versions: Vec<String> = duties.iter().map(|d| d.version.to_string()).collect();
        versions.sort();
        versions.dedup();
        Audit {
            framework: d.ruleset.framework.clone(),
            version: rs.version().to_string(),
            versions,
            zone: rs.timezone.name().to_string(),
            from: utc(&period.from),
            to: utc(&period.to),
            by_role: groups::by_role(&duties, rs),
            by_person: groups::by(&duties, |d| match &*d.person {
                "" => ("provider".into(), "Provider-wide".into()),
                p => (p.into(), p.into()),
            }),
            by_route: groups::by(&duties, |d| {
                let r = d.route.clone().unwrap_or_default();
                let label = if r.is_empty() {
                    "no route".into()
                } else {
                    r.clone()
                };
                (r, label)
            }),
            by_location: groups::by(&duties, |d| {
                let l = d.location.clone().unwrap_or_default();
                let label = if l.is_empty() {
                    "no location".into()
                } else {
                    l.clone()
                };
                (l, label)
            }),
            by_cycle: groups::by_cycle(&duties, &opened, rs),
            duties,
            totals,
            governance,
            visits: read.visits,
            weeks: read.weeks,
            notes: notes(d, read.record_end, rs, period),
        }
    }

    /// The duties that went past their due time undone, worst first.
    pub fn breaches(&self) -> impl Iterator<Item = &AuditDuty> {
        self.duties.iter().filter(|d| d.outcome.is_breach())
    }
}

/// Decisions are to the second (an `as_of` with a fraction is its whole second), and so is
/// the period: a duty opened at 09:30:00 is not inside a period ending 09:30:00.9.
fn whole_seconds(period: Period) -> Period {
    let whole = |t: Instant| chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t);
    Period {
        from: whole(period.from),
        to: whole(period.to),
    }
}

/// The indices of `d`'s obligations that belong to `period`, in the audit's order. Ordered
/// before any line is made: indices sort cheaply, and no second list of whole lines is held
/// to sort (it was the largest part of a long log's peak memory).
fn kept_in_order(d: &Decision, period: Period) -> Vec<usize> {
    let mut kept: Vec<(usize, &Obligation)> = d
        .obligations
        .iter()
        .enumerate()
        .filter(|(_, o)| in_period(o, period))
        .collect();
    kept.sort_by(|(_, a), (_, b)| {
        let (a_key, b_key) = (order_key(a), order_key(b));
        a_key.cmp(&b_key).then_with(|| a.id.cmp(&b.id))
    });
    kept.into_iter().map(|(i, _)| i).collect()
}

/// What an audit needs of the timelines and the visit reports: each kept duty's place, and
/// the visits' tallies.
struct Read {
    /// The route and location of each kept duty, in their order.
    places: Vec<Option<Place>>,
    /// Visits planned in the period.
    visits: VisitTally,
    /// The same, week by week.
    weeks: Vec<Week>,
    /// The record's own end (its `as_of`), if it gives one.
    record_end: Option<Instant>,
}

impl Read {
    fn of(
        d: &Decision,
        kept: &[usize],
        readings: &[Timeline],
        dropped: &Dropped,
        rs: &RuleSet,
        period: Period,
    ) -> Read {
        let duties: Vec<&Obligation> = kept.iter().filter_map(|i| d.obligations.get(*i)).collect();
        let at = places(readings, &duties);
        let places = duties
            .iter()
            .map(|o| {
                o.visit
                    .as_deref()
                    .and_then(|v| at.get(&(&*o.person, v)))
                    .cloned()
                    .or_else(|| counted_over(o))
            })
            .collect();
        let unanswered = unanswered(readings);
        let (visits, weeks) = groups::visits(d, dropped, rs, period, &unanswered);
        Read {
            places,
            visits,
            weeks,
            record_end: readings.iter().filter_map(|t| t.as_of).max(),
        }
    }
}

/// Where a duty comes in the audit: breaches first, the latest first, then by due time (or
/// when it came into being, with no deadline); ties by id.
fn order_key(o: &Obligation) -> (bool, std::cmp::Reverse<Option<i64>>, Instant) {
    let outcome = Outcome::of(o);
    let late = o.late_by_seconds.filter(|_| outcome.is_breach());
    (
        !outcome.is_breach(),
        std::cmp::Reverse(late),
        o.due.unwrap_or(o.opened_at),
    )
}

/// Whether an obligation belongs to the period: it came into being before the period ended,
/// and either fell due in it (or after it) or, with no deadline, came into being in it.
fn in_period(o: &Obligation, p: Period) -> bool {
    o.opened_at < p.to
        && match o.due {
            Some(due) => due >= p.from,
            None => o.opened_at >= p.from,
        }
}

/// A duty's route and location, if it has them.
type Place = (Option<String>, Option<String>);

/// Each visit's route and location, by person and visit id, from every reading.
fn places<'t>(
    readings: &'t [Timeline],
    duties: &[&Obligation],
) -> BTreeMap<(&'t str, &'t str), Place> {
    // Only the visits the duties name: a year plans tens of thousands, and few have a duty.
    let named: crate::hash::Set<(&str, &str)> = duties
        .iter()
        .filter_map(|o| Some((&*o.person, o.visit.as_deref()?)))
        .collect();
    let mut out = BTreeMap::new();
    for tl in readings {
        for v in &tl.visits {
            if let Some(person) = tl.persons.get(v.person) {
                let key = (person.id.as_str(), v.id.as_str());
                if named.contains(&key) {
                    out.entry(key)
                        .or_insert_with(|| (v.route.clone(), v.location.clone()));
                }
            }
        }
    }
    out
}

/// The visits (by person and visit id) at which the worker found no answer at the door.
fn unanswered(readings: &[Timeline]) -> std::collections::BTreeSet<(String, String)> {
    let mut out = std::collections::BTreeSet::new();
    for tl in readings {
        for e in &tl.events {
            if let (crate::timeline::EventData::NoAnswer, Some(v)) = (&e.data, e.visit) {
                if let (Some(p), Some(v)) = (tl.persons.get(e.person), tl.visits.get(v)) {
                    out.insert((p.id.clone(), v.id.clone()));
                }
            }
        }
    }
    out
}

/// The route a governance duty counted `per route` is about (`two_missed_in_cycle` for R3),
/// for a filter by route: such a duty names no visit, yet it is that route's
/// ([`Obligation::counted_route`]).
///
/// ```
/// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
/// # let text = std::fs::read_to_string("examples/governance-no-route.yaml").unwrap();
/// # let tl = vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Yaml, "t.yaml", &rs).unwrap();
/// let d = rs.evaluate(&tl, "2026-11-24T15:36:00Z".parse().unwrap());
/// let counted = d.obligations.iter().find(|o| o.id.starts_with("governance/two_missed_in_cycle/")).unwrap();
/// assert_eq!(vigil::audit::counted_route(counted).as_deref(), Some("R3"));
/// assert_eq!(counted.counted_route.as_deref(), Some("R3"));
/// ```
pub fn counted_route(o: &Obligation) -> Option<String> {
    counted_over(o).and_then(|p| p.0)
}

/// The route or location a governance duty was counted over, as a visit's would be.
fn counted_over(o: &Obligation) -> Option<Place> {
    // A manual review says a rule could not count something: it is about no route.
    if o.action == crate::vocab::Action::ManualReview {
        return None;
    }
    // Held on the duty, not read back from its id: a route written `North/East` was read
    // from `governance/RULE/North/East/...` as `North` (found by a docs-only tester).
    match (&o.counted_route, &o.counted_location) {
        (None, None) => None,
        (r, l) => Some((
            r.as_deref().map(String::from),
            l.as_deref().map(String::from),
        )),
    }
}

/// Each rule's name and `file:line:column`, made once for all the duties it set (a year's
/// audit has thousands of duties and a few dozen rules).
#[derive(Default)]
struct Rules(crate::hash::Map<*const crate::rules::RuleRef, (Arc<str>, Arc<str>)>);

impl Rules {
    fn of(&mut self, rule: &Arc<crate::rules::RuleRef>) -> (Arc<str>, Arc<str>) {
        // Keyed by where the shared rule is: the decision holds it, and so every key, for as
        // long as this lives.
        self.0
            .entry(Arc::as_ptr(rule))
            .or_insert_with(|| {
                let source = format!("{}:{}:{}", rule.file, rule.line, rule.column);
                (Arc::from(rule.name.as_str()), Arc::from(source))
            })
            .clone()
    }
}

/// The audit's line for an obligation. What it shares with the decision (names, words,
/// citations) it shares, not copies: a long audit holds many lines.
fn duty(o: &Obligation, place: Option<&Place>, rules: &mut Rules) -> AuditDuty {
    let outcome = Outcome::of(o);
    let (rule, source) = rules.of(&o.rule);
    AuditDuty {
        id: o.id.clone(),
        person: o.person.clone(),
        visit: o.visit.clone(),
        route: place.and_then(|p| p.0.clone()),
        location: place.and_then(|p| p.1.clone()),
        summary: o.summary.clone(),
        role: o.role.clone(),
        role_name: o.role_name.clone(),
        deciders: o.deciders.clone(),
        opened_at: utc(&o.opened_at),
        due: o.due.as_ref().map(utc),
        done_at: o.done_at.as_ref().map(utc),
        late_by_seconds: o.late_by_seconds.filter(|_| outcome.is_breach()),
        outcome,
        ended: o.outcome.clone(),
        rule,
        source,
        version: o.version.clone(),
        cites: o.cites.clone(),
        because: o.because.clone(),
        governance: o.id.starts_with("governance/"),
    }
}

/// The decision's notes, in the audit's terms: the decision is made at the period's end, so
/// its "after as_of" is after the period's end; and a period that runs past the record's own
/// end says so, since what fell due after it is judged as if nothing more was recorded (found
/// by a docs-only tester: four "never done" checks after the record had ended, and no word).
fn notes(d: &Decision, record_end: Option<Instant>, rs: &RuleSet, period: Period) -> Vec<String> {
    let mut notes: Vec<String> = d
        .notes
        .iter()
        .map(|n| crate::eval::in_period_terms(n))
        .collect();
    if let Some(end) = record_end.filter(|e| *e < period.to) {
        notes.push(format!(
            "the period ends after the record does (its as_of, {}): what fell due after that is judged as if nothing more was recorded",
            rs.civil().short_local(end)
        ));
    }
    notes
}
