//! The decision: what must be done, by whom, by when, and why. Its JSON form is the contract
//! documented in `docs/decision.md` and `schema/decision.schema.json`.

use serde::{Deserialize, Serialize, Serializer};

pub use crate::timeline::VisitSource;

use crate::time::Instant;

pub(crate) use crate::time::utc;

fn ser_instant<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&utc(t))
}

fn ser_opt_instant<S: Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&utc(t)),
        None => s.serialize_none(),
    }
}

/// A decision written to another major version of the contract is not read as this one: its
/// fields may mean something else.
fn same_major<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let written = String::deserialize(d)?;
    let major = |v: &str| v.split('.').next().map(str::to_string);
    if major(&written) == major(crate::contract::CONTRACT) && written.contains('.') {
        Ok(written)
    } else {
        Err(serde::de::Error::custom(format!(
            "contract `{written}` is not one this Vigil reads (it reads {})",
            crate::contract::CONTRACT
        )))
    }
}

/// Where an obligation stands at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Required, but not started yet (waiting for the step before it) or its due time is not
    /// yet known (anchored on an event that has not happened).
    Upcoming,
    /// Started, with no deadline: still to be done, never overdue ("as soon as practicable",
    /// "stay with the person"); it ends, no longer required, when the episode closes.
    Open,
    /// Not done, and `as_of` is at or before the due time.
    Due,
    /// Not done, and `as_of` is after the due time.
    Overdue,
    /// Done on or before the due time.
    Done,
    /// Done after the due time (`late_by_seconds` says by how much).
    DoneLate,
    /// Ended without success: the event that ended it recorded a failure (`outcome` says
    /// which: nobody answered, not available, refused, no key, not applicable). It is no
    /// longer to do; the steps that follow that failure start. `late_by_seconds` says how
    /// late, if it ended after its due time.
    Failed,
    /// No longer required: the episode closed first, or its condition did not hold.
    NotRequired,
}

impl Status {
    /// The one rule for where a duty stands at `as_of`, and how late it is: done by its due
    /// second is on time; not done is `due` through its due second and `overdue` from the
    /// next; with no due time it is `upcoming`.
    ///
    /// ```
    /// use vigil::eval::Status;
    /// let t = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    /// let due = Some(t("2026-11-24T08:35:00Z"));
    /// assert_eq!(Status::at(None, due, t("2026-11-24T08:35:00Z")), (Status::Due, None));
    /// assert_eq!(Status::at(None, due, t("2026-11-24T08:41:00Z")), (Status::Overdue, Some(360)));
    /// assert_eq!(Status::at(Some(t("2026-11-24T08:35:00Z")), due, t("2026-11-24T09:00:00Z")), (Status::Done, None));
    /// ```
    pub fn at(
        done: Option<Instant>,
        due: Option<Instant>,
        as_of: Instant,
    ) -> (Status, Option<i64>) {
        match (done, due) {
            (Some(d), Some(u)) if d > u => (Status::DoneLate, Some((d - u).num_seconds())),
            (Some(_), _) => (Status::Done, None),
            (None, None) => (Status::Upcoming, None),
            (None, Some(u)) if as_of <= u => (Status::Due, None),
            (None, Some(u)) => (Status::Overdue, Some((as_of - u).num_seconds())),
        }
    }

    /// The status of a started duty with no deadline: `open` until it is done, never
    /// overdue.
    ///
    /// ```
    /// use vigil::eval::Status;
    /// assert_eq!(Status::untimed(None), Status::Open);
    /// assert_eq!(Status::untimed(Some("2026-11-24T08:35:00Z".parse().unwrap())), Status::Done);
    /// ```
    pub fn untimed(done: Option<Instant>) -> Status {
        match done {
            Some(_) => Status::Done,
            None => Status::Open,
        }
    }

    /// True while the duty is still to be done (its status will change when its due time
    /// passes).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Upcoming | Status::Due)
    }

    /// The status as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Open => "open",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::Done => "done",
            Status::DoneLate => "done_late",
            Status::Failed => "failed",
            Status::NotRequired => "not_required",
        }
    }
}

pub use crate::rules::RuleRef;
use std::sync::Arc;

/// One thing that must be (or had to be) done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required_but_endings))]
pub struct Obligation {
    /// Stable across evaluations of a growing timeline.
    pub id: String,
    /// The person (empty for provider-wide governance duties).
    pub person: Arc<str>,
    /// The visit, if any.
    pub visit: Option<Arc<str>>,
    /// The episode it belongs to.
    pub episode: Arc<str>,
    /// What kind of action (`notify`, `record`, `escalate`, ...).
    pub action: crate::vocab::Action,
    /// The action in plain words.
    pub summary: Arc<str>,
    /// The responsible role, resolved through aliases at the moment the rule fired.
    pub role: Arc<str>,
    /// The role's display name.
    pub role_name: Arc<str>,
    /// When the obligation came into being.
    #[serde(serialize_with = "ser_instant")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::contract::InstantText"))]
    pub opened_at: Instant,
    /// When it is due (`null`: not yet known, or no deadline).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub due: Option<Instant>,
    /// The due instant in the framework's zone, with its offset.
    pub due_local: Option<String>,
    /// Where it stands at `as_of`.
    pub status: Status,
    /// When it was done, if it was.
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub done_at: Option<Instant>,
    /// How late: done after the due time, overdue at `as_of`, or overdue when no longer
    /// required.
    pub late_by_seconds: Option<i64>,
    /// The rule it came from.
    pub rule: Arc<RuleRef>,
    /// The version of the framework whose rules made it: the one in force when its episode
    /// opened (contract 1.1).
    pub version: Arc<str>,
    /// Citations, the framework's first.
    pub cites: Arc<[String]>,
    /// The facts that made it fire, in plain words.
    pub because: Vec<Arc<str>>,
    /// How it ended, when the end has a name: a failure (`no_answer`, `refused`, ...) or a
    /// decision's outcome. Absent while it is still to do, and when it was simply done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Arc<str>>,
    /// For a `hand over` duty: the episode it started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handed_over_to: Option<Arc<str>>,
    /// For a duty of an episode another pathway handed over to: that episode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handed_over_from: Option<Arc<str>>,
    /// For a decision several roles share (`decide D by any of A, B`): every one of them,
    /// resolved through aliases when it started (`role` is the first). Absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deciders: Vec<Arc<str>>,
    /// For a governance duty a rule counted per route: the route, as the timeline writes it
    /// (contract 1.1). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_route: Option<Arc<str>>,
    /// For a governance duty a rule counted per location: the location, as the timeline
    /// writes it (contract 1.1). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_location: Option<Arc<str>>,
}

/// A planned visit's state at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VisitState {
    /// Not yet late.
    Upcoming,
    /// No arrival, past the late threshold.
    Late,
    /// No arrival by the missed threshold.
    Missed,
    /// Arrived before the late threshold.
    Arrived,
    /// Arrived after the late threshold, before the missed one.
    ArrivedLate,
    /// Arrived after the missed threshold.
    ArrivedAfterMissed,
    /// Suspended by an agreed exception.
    Suspended,
    /// Needs several carers; only some had arrived by the missed threshold.
    PartlyAttended,
    /// Cancelled (by the missed threshold at the latest).
    Cancelled,
}

/// Who cancelled a visit, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required))]
pub struct Cancellation {
    /// When.
    #[serde(serialize_with = "ser_instant")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::contract::InstantText"))]
    pub at: Instant,
    /// The role who cancelled it.
    pub by: String,
    /// The reason recorded.
    pub reason: String,
    /// The `visit_cancelled` event.
    pub event: String,
}

/// A visit in the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required))]
pub struct VisitReport {
    /// Visit id.
    pub id: String,
    /// Person.
    pub person: String,
    /// The protocol visit's display name, for an occurrence of one.
    pub name: Option<String>,
    /// Where the visit comes from: the timeline, the protocol, or the protocol confirmed or
    /// moved by the timeline.
    pub source: VisitSource,
    /// The protocol visit's occurrence it is (`morning@2026-11-24`), if any.
    pub slot: Option<String>,
    /// Criticality.
    pub criticality: String,
    /// Planned start.
    #[serde(serialize_with = "ser_instant")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::contract::InstantText"))]
    pub planned: Instant,
    /// Planned end, if known.
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub planned_end: Option<Instant>,
    /// How many carers it needs.
    pub staff: u32,
    /// State at `as_of`.
    pub state: VisitState,
    /// Late from this instant (no arrival by then).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub late_at: Option<Instant>,
    /// Missed at this instant (no arrival by then).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub missed_at: Option<Instant>,
    /// When the first carer arrived (or reported no answer at the door).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub arrived_at: Option<Instant>,
    /// When the worker at the door first found no answer, if they did: the visit did not take
    /// place, although `state` and `arrived_at` count the worker as there (they came, and
    /// when they came decides whether the visit was late or missed).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub no_answer_at: Option<Instant>,
    /// How many carers had arrived by `as_of`.
    pub carers_arrived: u32,
    /// When the last carer left.
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub departed_at: Option<Instant>,
    /// How long before its planned start the first carer arrived, if early.
    pub early_by_seconds: Option<i64>,
    /// How much shorter than planned the visit was, if shorter (needs a planned end and a
    /// departure).
    pub short_by_seconds: Option<i64>,
    /// The cancellation, if the visit was cancelled.
    pub cancelled: Option<Cancellation>,
}

/// The rule set a decision was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required))]
pub struct RulesetRef {
    /// Framework name.
    pub framework: String,
    /// Framework version.
    pub version: String,
    /// Hash of the sources.
    pub hash: String,
}

/// Everything required at `as_of`, and when to ask again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(transform = crate::contract::all_required))]
pub struct Decision {
    /// The contract version ([`crate::contract::CONTRACT`]), first in the JSON so a reader can check it
    /// first.
    #[serde(deserialize_with = "same_major")]
    pub contract: String,
    /// The instant the decision is for.
    #[serde(serialize_with = "ser_instant")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::contract::InstantText"))]
    pub as_of: Instant,
    /// The rules used.
    pub ruleset: RulesetRef,
    /// Every obligation, sorted by person, due time and id.
    pub obligations: Vec<Obligation>,
    /// Every watched visit, by planned start, then person and id.
    pub visits: Vec<VisitReport>,
    /// The earliest instant after `as_of` at which this decision would change with no new
    /// events (`null`: never).
    #[serde(serialize_with = "ser_opt_instant")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::contract::InstantText>")
    )]
    pub next_change: Option<Instant>,
    /// Things the reader should know (events after `as_of`, bank-holiday data running out).
    pub notes: Vec<String>,
}

impl Decision {
    /// True if any obligation is overdue.
    pub fn any_overdue(&self) -> bool {
        self.obligations.iter().any(|o| o.status == Status::Overdue)
    }

    /// The decision as pretty JSON (deterministic: same input, same bytes).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Visits by planned start, then person and id, whatever order they were planned in.
pub(crate) fn sort_visits(visits: &mut [VisitReport]) {
    sort_in_place(visits, |a, b| {
        (a.planned, &a.person, &a.id).cmp(&(b.planned, &b.person, &b.id))
    });
}

/// Duties by person; those with a due time by it, then by id; those with none (open, or
/// waiting) after them in the order they were made, which is ladder order (a stable sort
/// keeps it).
pub(crate) fn sort_obligations(obligations: &mut [Obligation]) {
    fn key(o: &Obligation) -> (&str, bool, Option<Instant>, Option<&str>) {
        (
            &o.person,
            o.due.is_none(),
            o.due,
            o.due.map(|_| o.id.as_str()),
        )
    }
    sort_in_place(obligations, |a, b| key(a).cmp(&key(b)));
}

/// The stable sort of `items` by `cmp`, without a second list of them: a report or a duty is
/// large, and the standard stable sort borrows room for half of them (at the end of a long
/// audit, a tenth of the peak each: docs/performance.md). Their places are sorted instead,
/// and each item is then moved to its place by swaps.
fn sort_in_place<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => a.cmp(&b),
    });
    let mut place = vec![0; order.len()];
    for (to, &from) in order.iter().enumerate() {
        if let Some(p) = place.get_mut(from) {
            *p = to;
        }
    }
    for i in 0..items.len() {
        // `place[i]` is where the item now at `i` belongs; each swap settles one item.
        while let Some(&to) = place.get(i).filter(|&&to| to != i) {
            items.swap(i, to);
            place.swap(i, to);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests fail loudly
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn report(minutes: i64, person: u8, id: u8) -> VisitReport {
        VisitReport {
            id: format!("V{id}"),
            person: format!("P-{person}"),
            name: None,
            source: VisitSource::Timeline,
            slot: None,
            criticality: "standard".into(),
            planned: "2026-11-24T08:00:00Z".parse::<Instant>().unwrap()
                + chrono::TimeDelta::minutes(minutes),
            planned_end: None,
            staff: 1,
            state: VisitState::Upcoming,
            late_at: None,
            missed_at: None,
            arrived_at: None,
            no_answer_at: None,
            carers_arrived: 0,
            departed_at: None,
            early_by_seconds: None,
            short_by_seconds: None,
            cancelled: None,
        }
    }

    proptest! {
        /// Sorting in place by swaps gives the stable sort by planned start, person and id.
        #[test]
        fn visits_sort_in_place_as_a_stable_sort_would(
            keys in proptest::collection::vec((0i64..5, 0u8..3, 0u8..4), 0..40),
        ) {
            let mut visits: Vec<VisitReport> = keys
                .iter()
                .enumerate()
                .map(|(n, &(m, p, i))| VisitReport {
                    // Tells apart reports whose keys are equal, so that stability is seen.
                    staff: u32::try_from(n).unwrap(),
                    ..report(m, p, i)
                })
                .collect();
            let mut expected = visits.clone();
            expected.sort_by(|a, b| (a.planned, &a.person, &a.id).cmp(&(b.planned, &b.person, &b.id)));
            sort_visits(&mut visits);
            prop_assert_eq!(visits, expected);
        }

        /// The same for any items and order: equal items keep the order they came in.
        #[test]
        fn sorting_in_place_is_the_stable_sort(keys in proptest::collection::vec(0u8..6, 0..60)) {
            let mut items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            sort_in_place(&mut items, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(items, expected);
        }
    }
}
