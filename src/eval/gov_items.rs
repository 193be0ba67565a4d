//! What governance rules count and group: the items they could not judge, their firings,
//! the group an item belongs to (person, route, location, provider) and the window a count
//! is kept in (a review cycle, a day, a week, a span, the whole record).

use std::sync::Arc;

use chrono::Datelike;

use super::Eval;
use crate::rules::WindowDef;
use crate::time::Instant;
use crate::timeline::EventData;
use crate::vocab::Grouping;

/// An item a rule could not judge: an episode or record with no value for the rule's grouping
/// (a visit with no route, for a rule counted per route). It is never left out silently: it
/// becomes a manual review.
pub(super) struct Gap {
    pub at: Instant,
    /// The episode's or the event's id.
    pub key: Arc<str>,
    pub person: usize,
    pub visit: Option<usize>,
    pub reason: String,
}

/// What a grouping needs that an item may lack, in words.
pub(super) fn lacks(per: Grouping) -> &'static str {
    match per {
        Grouping::Route => "a visit with a route",
        Grouping::Location => "a visit with a location",
        Grouping::Person | Grouping::Provider => "a group",
    }
}

/// One firing of a rule.
pub(super) struct Firing {
    /// When the rule fires: its duty is opened then, and its deadline counts from then.
    pub at: Instant,
    /// When the firing is known: `at` itself, except for a rule that something was not done
    /// within a time, which is known only once that time has passed (a step done at the
    /// very second is done in time, as everywhere else).
    pub known: Instant,
    /// Unique among the rule's firings.
    pub key: String,
    /// The person it is about, or empty for a group of people.
    pub person: String,
    /// The visit it is about: a firing about one episode is about that episode's visit, so
    /// that `--route` keeps it and a host can place it (found by a docs-only tester: a duty
    /// about a missed visit's welfare check named no visit, and `--route` hid it overdue).
    pub visit: Option<usize>,
    /// The group counted over, for a rule that counts per person, route or location: held
    /// apart, not read back from `key` (a route written `North/East` was read as `North`).
    pub group: Option<String>,
    /// Why, in words.
    pub because: String,
}

/// The group an item about `person` (and `visit`) falls in, or `None` when it has no value
/// for the grouping: an item the rule cannot judge. A record that names its own route or
/// location (`own`) is in that one; otherwise the visit's.
pub(super) fn group(
    ev: &Eval<'_>,
    per: Grouping,
    (person, visit): (usize, Option<usize>),
    own: Option<&EventData>,
) -> Option<String> {
    let v = visit.and_then(|v| ev.visit(v));
    let (own_route, own_location) = match own {
        Some(EventData::RecordMade {
            route, location, ..
        }) => (route.clone(), location.clone()),
        _ => (None, None),
    };
    match per {
        Grouping::Person => Some(ev.person_id(person).to_string()),
        Grouping::Route => own_route.or_else(|| v.and_then(|v| v.route.clone())),
        Grouping::Location => own_location.or_else(|| v.and_then(|v| v.location.clone())),
        Grouping::Provider => Some("provider".to_string()),
    }
}

/// The start of the fixed window holding `t` (for a span, `None`: it has no fixed start; for
/// the whole record, the earliest instant).
pub(super) fn window_start(ev: &Eval<'_>, window: WindowDef, t: Instant) -> Option<Instant> {
    match window {
        WindowDef::Cycle(c) => ev.rs.cycles.get(c.index())?.start_of(&ev.civil, t),
        WindowDef::Day => Some(ev.civil.at(ev.civil.local_date(t), 0, 0)),
        WindowDef::Week => {
            let d = ev.civil.local_date(t);
            let back = u64::from(d.weekday().num_days_from_monday());
            Some(
                ev.civil
                    .at(d.checked_sub_days(chrono::Days::new(back))?, 0, 0),
            )
        }
        WindowDef::Rolling(_) => None,
        WindowDef::Record => Some(Instant::MIN_UTC),
    }
}
