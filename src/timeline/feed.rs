//! A timeline that grows one event at a time, for a host that takes events as they happen:
//! each event is checked alone against the rules and what came before it, never the whole
//! log again, and the log is what the host persists to restart from.

use crate::hash::Map;
use std::sync::Arc;

use super::error::TimelineErrors;
use super::input::{EventInput, TimelineInput};
use super::load::{checked_event, header};
use super::loader::Loader;
use super::locate::Locator;
use super::plan::{Added, Plan};
use super::Timeline;
use crate::rules::RuleSet;

/// The name errors about pushed events give as their file: there is no text to point into,
/// so each names its event (`events[12].visit`) and has no line (0).
const FEED: &str = "<feed>";

/// A checked timeline taking one event at a time.
///
/// [`Feed::push`] checks the new event alone (its names, its visit, its id against those
/// taken) and files it in time order; an event with errors is refused whole and leaves the
/// feed as it was. `Feed::decision` (with the evaluator) evaluates at the host's instant. [`Feed::log`] is every
/// event taken, in the order taken: persist it (as JSON, one event per line, or as one
/// timeline document), and after a restart [`Feed::restore`] replays it into the same feed.
///
/// An event may name only visits planned by events taken before it, as happens when events
/// are taken as they happen. Events may arrive out of time order (a call logged late): each
/// is filed at its instant, after any taken earlier with the same instant.
///
/// ```
/// use std::sync::Arc;
/// use vigil::timeline::{EventInput, Feed};
/// use vigil::vocab::EventKind;
/// let rules = Arc::new(vigil::compile(&[vigil::Source::new(
///     "framework.vigil",
///     std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
/// )]).unwrap());
/// let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
/// let mut feed = Feed::new(rules.clone());
/// feed.push(
///     EventInput::new(at("2026-11-23T18:00:00Z"), "P-1", EventKind::VisitPlanned)
///         .visit("V1")
///         .planned(at("2026-11-24T08:00:00Z"))
///         .criticality("critical"),
/// )?;
/// let d = feed.decision(at("2026-11-24T08:41:00Z"));
/// assert!(d.any_overdue());
///
/// // A misspelt visit is refused, located, and the feed is unchanged.
/// let bad = EventInput::new(at("2026-11-24T08:45:00Z"), "P-1", EventKind::Arrived).visit("V2");
/// let err = feed.push(bad).unwrap_err();
/// assert_eq!(err.problems()[0].field.as_deref(), Some("events[1].visit"));
/// assert_eq!(feed.log().events().len(), 1);
///
/// // Restarted from its log, it is the same feed.
/// let saved = serde_json::to_string(feed.log()).unwrap();
/// let again = Feed::restore(rules, serde_json::from_str(&saved).unwrap())?;
/// assert_eq!(again.decision(at("2026-11-24T08:41:00Z")), d);
/// # Ok::<(), vigil::timeline::TimelineErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct Feed {
    rules: Arc<RuleSet>,
    log: TimelineInput,
    timeline: Timeline,
    plan: Plan,
    ids: super::resolve::Ids,
}

impl Feed {
    /// An empty feed for these rules.
    pub fn new(rules: Arc<RuleSet>) -> Feed {
        Feed {
            rules,
            log: TimelineInput::default(),
            timeline: Timeline::default(),
            plan: Plan::default(),
            ids: Map::default(),
        }
    }

    /// A feed with a header: `from` (when the record starts, so protocol visits from then
    /// on are watched), `persons` (people whose protocol visits are watched) and `as_of`,
    /// from `saved`; then every event of `saved`, pushed in order. This is how a host
    /// restarts from the log it persisted.
    ///
    /// Errors: the header's own (a bad instant, a listed person with no protocol), or the
    /// first event refused, with its index in the log. Like every error of the library, they
    /// convert into [`crate::Error`] with `?`.
    pub fn restore(rules: Arc<RuleSet>, saved: TimelineInput) -> Result<Feed, TimelineErrors> {
        let mut feed = Feed::new(rules);
        let events = std::mem::take(&mut feed.log.events);
        let TimelineInput {
            contract,
            as_of,
            from,
            persons,
            events: given,
        } = saved;
        feed.log = TimelineInput {
            contract,
            as_of,
            from,
            persons,
            events,
        };
        let rules = feed.rules.clone();
        let mut ld = loader(&rules);
        feed.timeline = header(&mut ld, &feed.log);
        feed.plan
            .covered_persons(&mut ld, &feed.log, &mut feed.timeline);
        feed.plan.know(&feed.timeline, 0, &[]);
        if !ld.errors.is_empty() {
            return Err(TimelineErrors::said_once(ld.errors));
        }
        for e in given {
            feed.push(e)?;
        }
        Ok(feed)
    }

    /// Check `event` against the rules and the events taken so far, and take it; or refuse
    /// it, with every problem found in it, leaving the feed unchanged.
    pub fn push(&mut self, event: EventInput) -> Result<&super::Event, TimelineErrors> {
        let rules = self.rules.clone();
        let mut ld = loader(&rules);
        let i = self.log.events.len();
        let mark = Mark::of(self);
        self.log.events.push(event);
        let added = self
            .plan
            .add_event(&mut ld, &self.log, &mut self.timeline, i);
        let checked = checked_event(
            &mut ld,
            &self.timeline,
            &self.plan,
            &mut self.ids,
            &self.log,
            i,
        );
        match checked {
            Some(e) if ld.errors.is_empty() => {
                let at = self.timeline.events.partition_point(|x| x.at <= e.at);
                self.timeline.events.insert(at, e);
                let taken = self.timeline.events.get(at);
                taken.ok_or_else(|| TimelineErrors(Vec::new()))
            }
            _ => {
                mark.undo(self, i, added);
                Err(TimelineErrors::said_once(ld.errors))
            }
        }
    }

    /// The checked timeline so far.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Every event taken, in the order taken, with the header: what to persist.
    pub fn log(&self) -> &TimelineInput {
        &self.log
    }

    /// The rules the feed checks against.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }
}

fn loader(rules: &RuleSet) -> Loader<'_> {
    Loader {
        file: FEED.to_string(),
        locator: Locator::new("", super::input::Format::Json),
        rs: rules,
        errors: Vec::new(),
        foreign: Default::default(),
    }
}

/// How big the feed was before an event, so that a refused event is taken back out.
struct Mark {
    persons: usize,
    visits: usize,
}

impl Mark {
    fn of(feed: &Feed) -> Mark {
        Mark {
            persons: feed.timeline.persons.len(),
            visits: feed.timeline.visits.len(),
        }
    }

    /// Take event `i` back out: the people, visits and ids it added, the people it made
    /// known and the named occurrence it replaced (`added`). Only a refused event pays for
    /// the maps' scan.
    fn undo(self, feed: &mut Feed, i: usize, added: Added) {
        feed.log.events.truncate(i);
        feed.timeline.persons.truncate(self.persons);
        feed.timeline.visits.truncate(self.visits);
        let plan = &mut feed.plan;
        if let Some((k, occurrence)) = added.replaced {
            // The slot still points at `k`; only the planned visit's id goes.
            plan.visit_index.retain(|_, v| *v != k);
            plan.start_unknown.remove(&k);
            if let Some(v) = feed.timeline.visits.get_mut(k) {
                *v = occurrence;
            }
        }
        plan.person_of_event.truncate(i);
        plan.known.truncate(self.persons);
        for &p in &added.flipped {
            if let Some(k) = plan.known.get_mut(p) {
                *k = false;
            }
        }
        plan.person_index.retain(|_, p| *p < self.persons);
        plan.visit_index.retain(|_, v| *v < self.visits);
        plan.slot_index.retain(|_, v| *v < self.visits);
        plan.start_unknown.retain(|v| *v < self.visits);
        plan.visit_event.retain(|_, e| *e < i);
        feed.ids.retain(|_, e| e.0 < i);
    }
}
