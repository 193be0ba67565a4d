//! Stage three: a rule set, a timeline and an instant in; the required actions out.
//!
//! [`RuleSet::evaluate`] is a pure function: it never reads the clock, and the same inputs give
//! the same [`Decision`], byte for byte. The semantics are documented in `docs/decision.md`;
//! in short:
//!
//! - **episodes** are opened by a no-answer, by a visit passing its missed threshold with no
//!   arrival (at exactly that instant), by a refusal (or the Nth in a window, for pattern
//!   pathways), by an assistive-technology alert, and by a red-flag observation (the emergency
//!   override). A terminal event (contact established, whereabouts confirmed, escalation
//!   resolved) closes the person's open no-answer, missed-visit and alert episodes: their
//!   pending steps become no longer required and the after-closure duties begin;
//! - each **step** starts at the trigger, or for `after X` when X was done or went overdue;
//!   it fires when its condition holds (calendar and absence conditions are judged at the
//!   trigger; `observed` ones when the observation arrives); its role is resolved through
//!   aliases at that instant; its due time is counted from its anchor;
//! - a step is **done** by the first matching event, at or after the trigger, by the
//!   responsible role or a role covering it; a step with `on breach` creates a duty for the
//!   named role at the instant it goes overdue.

mod attempts;
mod counts;
mod decision;
mod discharge;
mod episodes;
mod follow_up;
mod gov_duty;
mod gov_items;
mod governance;
mod ladder;
mod obligation;
mod periodic;
#[cfg(test)]
mod split;
mod versions;
mod visits;
mod watch;
mod words;

pub use crate::vocab::Action;
pub use decision::{
    Cancellation, Decision, Obligation, RuleRef, RulesetRef, Status, VisitReport, VisitSource,
    VisitState,
};
pub use versions::VersionedTimeline;

use std::sync::Arc;

use crate::rules::TriggerOn;
use crate::rules::{Cond, PathwayDef, PersonRules, Responsible, RoleId, RuleSet};
use crate::time::{Civil, Instant};
use crate::timeline::{EventData, Timeline};

/// What opened (or may open) an episode.
#[derive(Debug, Clone)]
struct Trigger {
    kind: TriggerOn,
    /// Who reported it: for a declared trigger, the role in the event's `by`.
    by: Option<RoleId>,
    /// A declared trigger's attribute values (indices, in the order declared).
    attributes: Arc<[u16]>,
    at: Instant,
    visit: Option<usize>,
    /// Stable key: the event's id, or `missed:VISIT`.
    key: String,
    /// The trigger in plain words (shared by every obligation it opens).
    text: Arc<str>,
    /// For a trigger whose episode ends without a closing event (a late visit, which ends
    /// when the visit is attended, missed or cancelled): when and why, if by `as_of`.
    ends: Option<(Instant, String)>,
    /// The instant whose version of the rules judges the episode, when not `at`: the
    /// visit's planned start for an episode its thresholds opened (a visit is judged by the
    /// version in force when it was planned, so its missed-visit episode opens at the
    /// instant its report says it was missed), the first episode's for one handed over.
    judged_by: Option<Instant>,
}

/// An episode being evaluated.
#[derive(Debug, Clone)]
struct Episode<'r> {
    id: Arc<str>,
    person: usize,
    pathway: &'r PathwayDef,
    trigger: Trigger,
    /// The agreed exception whose changed ladder this episode runs, in words.
    exception: Option<Arc<str>>,
    closed: Option<(Instant, String)>,
    /// From when observations and the work of clocked steps count: the trigger, or for a
    /// pattern the first trigger in its window, or for a red flag during an open episode the
    /// start of that episode (999 called moments before the observation still counts).
    since: Instant,
    /// The episode that handed over to this one, if one did.
    from: Option<Arc<str>>,
    /// Part of a search for a person whose safety is unconfirmed: an episode of such a
    /// trigger (no answer, a missed visit, an alarm), or one such an episode handed over to
    /// before it closed. Not one a refusal handed over to (the person was seen), nor one an
    /// `after closure` step started (the search was over): their run-outs are not a person
    /// left unfound.
    search: bool,
}

impl Episode<'_> {
    /// From when observations count for a condition with a look-back of `back` seconds: the
    /// episode's start, or that long before it.
    fn looked_back(&self, back: u64) -> Instant {
        let secs = i64::try_from(back).unwrap_or(i64::MAX / 2);
        self.since
            .checked_sub_signed(chrono::Duration::seconds(secs))
            .unwrap_or(self.since)
    }

    /// The id of the episode a `hand over` step of this one starts on pathway `to`.
    fn handover_id(&self, ev: &Eval<'_>, to: &str, step: &str) -> Arc<str> {
        Arc::from(format!(
            "{}/{to}/{}>{step}",
            ev.person_id(self.person),
            self.trigger.key
        ))
    }
}

/// Shared state for one evaluation.
struct Eval<'a> {
    rs: &'a RuleSet,
    tl: &'a Timeline,
    civil: Civil<'a>,
    as_of: Instant,
    /// Events at or before `as_of` are `tl.events[..considered]`.
    considered: usize,
    obligations: Vec<Obligation>,
    visits: Vec<VisitReport>,
    changes: Vec<Instant>,
    notes: Vec<String>,
    /// Episodes opened, for governance.
    episodes: Vec<EpisodeSummary<'a>>,
    /// For a version after the first of several side by side: when it came into force, where
    /// its schedules start.
    in_force_since: Option<Instant>,
    /// Each person's events (indices into `tl.events`, in time order).
    events_by_person: Vec<Vec<usize>>,
    /// The same, by kind of event as well (`EventKind as usize`): a duty is ended only by
    /// events of the kinds that can do what it asks, and a duty never done would otherwise
    /// read the rest of the record for each (quadratic in a long log).
    /// Built when first asked for: a look at visits' states alone never asks.
    events_by_person_kind: std::cell::OnceCell<Vec<Vec<Vec<usize>>>>,
    /// Every considered event's index, by kind, in time order: for duties about no one.
    /// Built when first asked for, as the one above.
    events_by_kind: std::cell::OnceCell<Vec<Vec<usize>>>,
    /// Each person's events that close an episode (see [`Eval::closing_event`]): those that
    /// confirm safety, and the escalation resolved. Found once, when first asked for: read
    /// from each trigger on, a person with thousands of triggers and nothing closing them
    /// read their record once for each.
    closing: std::cell::OnceCell<Vec<[Vec<usize>; 2]>>,
    /// Indices into the considered events, for each visit the timeline holds, in time order:
    /// what happened at a visit is found without reading the person's whole record again.
    events_by_visit: Vec<Vec<usize>>,
    /// Each person's index in `tl.persons`, by id: found at once, not by a scan of every
    /// person for each duty.
    person_by_id: crate::hash::Map<&'a str, usize>,
    /// Each person's visits (indices into `tl.visits`, then into `extra_visits` after them).
    visits_by_person: Vec<Vec<usize>>,
    /// Protocol visits watched though the timeline neither plans nor names them.
    extra_visits: Vec<crate::timeline::VisitRef>,
    /// "The manager is the duty manager: inside office hours at 08:02", shared by every
    /// obligation of an episode that names the alias.
    alias_texts: std::cell::RefCell<Vec<(AliasKey, Arc<str>)>>,
    /// The framework version, shared by every obligation.
    version: Arc<str>,
    /// People's and visits' ids, shared by every obligation that names them.
    person_ids: Vec<Arc<str>>,
    visit_ids: Vec<Arc<str>>,
    /// Calendar answers already worked out: every step of an episode asks about the same
    /// trigger instant, and each answer costs several time-zone conversions.
    calendar_cache: CalendarCache<bool>,
    /// When a calendar next turns, from an instant (see `calendar_turn`).
    turn_cache: CalendarCache<Option<Instant>>,
    /// For a traced evaluation ([`RuleSet::evaluate_traced`]), the coverage points reached.
    trace: Option<std::cell::RefCell<Vec<crate::rules::coverage::Point>>>,
    /// The `decided` events some decision step took (by event id): any other decided
    /// nothing, which a note says, since whoever recorded it believes it counts.
    decisions_taken: std::cell::RefCell<crate::hash::Set<Arc<str>>>,
    /// The ends of single-event duties, listed once for all of a person's duties that ask
    /// the same of the same role (see [`discharge::candidates`]).
    endings: std::cell::RefCell<crate::hash::Map<EndingsKey, std::rc::Rc<[discharge::Candidate]>>>,
    /// The events (indices, in time order) of the kinds that may end a duty, recorded by
    /// someone who may do it: listed once for all of a person's duties asking the same of
    /// the same role (see [`Eval::acted_of`]).
    acted: std::cell::RefCell<crate::hash::Map<ActedKey, std::rc::Rc<[usize]>>>,
    /// The first observation answering what a condition waits for, by person, what it waits
    /// for and from when (see [`Eval::first_observed`]).
    observed:
        std::cell::RefCell<crate::hash::Map<(usize, crate::rules::Sym, Instant), Option<Instant>>>,
}

/// What the events that may do a duty depend on besides when it starts: the person, the
/// action (by its place in the rule set) and who it fell to.
type ActedKey = (usize, usize, Option<RoleId>, crate::rules::Responsible);

/// What a single-event duty's ends depend on besides when it starts: the person, the action
/// (by its place in the rule set), who must be told, and who it fell to.
type EndingsKey = (
    usize,
    usize,
    Option<RoleId>,
    Option<RoleId>,
    crate::rules::Responsible,
);

/// A calendar answer at an instant, cached for one evaluation: every step of an episode asks
/// about the same instants, and each answer costs several time-zone conversions. Small, and
/// cleared when full, since the same few instants recur.
type CalendarCache<T> = std::cell::RefCell<Vec<(crate::rules::CalendarId, Instant, T)>>;

/// The cached answer for `key`, or `compute`d and kept.
fn cached<T: Copy>(
    cache: &CalendarCache<T>,
    key: (crate::rules::CalendarId, Instant),
    compute: impl FnOnce() -> T,
) -> T {
    if let Some(hit) = cache.borrow().iter().find(|(c, t, _)| (*c, *t) == key) {
        return hit.2;
    }
    let answer = compute();
    let mut cache = cache.borrow_mut();
    if cache.len() >= 64 {
        cache.clear();
    }
    cache.push((key.0, key.1, answer));
    answer
}

/// An alias, the role it resolved to, when, and whether that is "for now".
type AliasKey = (crate::rules::AliasId, RoleId, Instant, bool);

/// What governance needs to know about an episode.
#[derive(Debug, Clone)]
struct EpisodeSummary<'a> {
    id: Arc<str>,
    person: usize,
    trigger: TriggerOn,
    at: Instant,
    visit: Option<usize>,
    closed: Option<Instant>,
    /// When every required duty of its ladder was done, if they all were.
    complete: Option<Instant>,
    /// For each ladder step of the episode's pathway (in order), when it was done.
    done: Vec<Option<Instant>>,
    /// The pathway's ladder steps, for their names.
    steps: &'a [crate::rules::StepDef],
    /// The instant whose version judges it, under versions side by side ([`Trigger`]).
    judged_by: Instant,
}

impl RuleSet {
    /// Evaluate a timeline at `as_of`: every obligation, its status, and when to ask again.
    ///
    /// ```
    /// use vigil::timeline::{Format, Timeline};
    /// # let sources = vec![vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())];
    /// let rs = vigil::compile(&sources).unwrap();
    /// let text = r#"
    /// events:
    ///   - { at: "2026-11-23T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
    ///       planned: "2026-11-24T08:00:00Z", criticality: critical }
    /// "#;
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let at = "2026-11-24T08:20:00Z".parse().unwrap();
    /// let decision = rs.evaluate(&tl, at);
    /// assert_eq!(decision.visits[0].state, vigil::eval::VisitState::Late);
    /// assert_eq!(decision.next_change.unwrap().to_rfc3339(), "2026-11-24T08:30:00+00:00");
    /// ```
    pub fn evaluate(&self, timeline: &Timeline, as_of: Instant) -> Decision {
        self.evaluation(timeline, as_of, false).decision
    }

    /// [`RuleSet::evaluate`], and the coverage points the evaluation reached: each pathway
    /// that opened an episode, each step that became a duty, each branch a step started by,
    /// each outcome of a `when` (see [`crate::rules::coverage`]). The decision is the same as
    /// `evaluate`'s, byte for byte.
    ///
    /// ```
    /// use vigil::timeline::{Format, Timeline};
    /// # let sources = vec![vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())];
    /// let rs = vigil::compile(&sources).unwrap();
    /// let text = r#"
    /// events:
    ///   - { at: "2026-11-23T18:00:00Z", person: P-1, kind: visit_planned, visit: V1,
    ///       planned: "2026-11-24T09:00:00Z", criticality: critical }
    ///   - { at: "2026-11-24T09:00:00Z", person: P-1, kind: no_answer, visit: V1 }
    /// "#;
    /// let tl = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap();
    /// let at = "2026-11-24T09:20:00Z".parse().unwrap();
    /// let (decision, reached) = rs.evaluate_traced(&tl, at);
    /// assert_eq!(decision, rs.evaluate(&tl, at));
    /// assert!(reached.iter().any(|p| p.rule == "no_response.contact_attempts" && p.kind() == "step"));
    /// ```
    pub fn evaluate_traced(
        &self,
        timeline: &Timeline,
        as_of: Instant,
    ) -> (Decision, Vec<crate::rules::coverage::Point>) {
        let e = self.evaluation(timeline, as_of, true);
        (e.decision, e.reached)
    }

    /// The evaluation, with what only the crate needs: the coverage points reached (when
    /// `traced`) and when each episode opened (so that versions side by side can each keep
    /// the episodes opened while they were in force).
    pub(crate) fn evaluation(
        &self,
        timeline: &Timeline,
        as_of: Instant,
        traced: bool,
    ) -> Evaluated {
        self.evaluation_since(timeline, as_of, traced, None)
    }

    /// [`RuleSet::evaluation`] for a version that came into force at `since` after an earlier
    /// one: its schedules (periodic duties) start then, not when the record starts, since
    /// before then the earlier version's schedules ran.
    pub(crate) fn evaluation_since(
        &self,
        timeline: &Timeline,
        as_of: Instant,
        traced: bool,
        since: Option<Instant>,
    ) -> Evaluated {
        let mut ev = self.start(timeline, as_of, traced, since);
        ev.notes.extend(later_note(timeline, ev.considered));
        watch::expand(&mut ev);
        for p in 0..timeline.persons.len() {
            episodes::run(&mut ev, p);
        }
        governance::run(&mut ev);
        let mut reached = ev.trace.take().map(|t| t.into_inner()).unwrap_or_default();
        reached.sort_unstable();
        reached.dedup();
        let opened = ev
            .episodes
            .iter()
            .map(|e| (e.id.clone(), e.judged_by))
            .collect();
        Evaluated {
            decision: ev.finish(),
            reached,
            opened,
        }
    }

    /// An evaluation's shared state before anything is evaluated: `timeline` indexed by
    /// person and by visit, at `as_of` (to the second).
    fn start<'a>(
        &'a self,
        timeline: &'a Timeline,
        as_of: Instant,
        traced: bool,
        since: Option<Instant>,
    ) -> Eval<'a> {
        // Decisions are to the second: an `as_of` with a fraction of a second is read as its
        // whole second, so that a duty is never `overdue` by 0 seconds.
        let as_of = chrono::Timelike::with_nanosecond(&as_of, 0).unwrap_or(as_of);
        let considered = timeline.events.partition_point(|e| e.at <= as_of);
        // One pass to index by person, so that each person's work is proportional to their
        // own events, not the whole day's.
        let people = timeline.persons.len();
        let considered_events = timeline.events.get(..considered).unwrap_or(&[]);
        let events_by_person = by_person(people, considered_events.iter().map(|e| e.person));
        let events_by_visit = by_person(
            timeline.visits.len(),
            considered_events
                .iter()
                .map(|e| e.visit.unwrap_or(usize::MAX)),
        );
        let visits_by_person = by_person(people, timeline.visits.iter().map(|v| v.person));
        Eval {
            rs: self,
            tl: timeline,
            civil: self.civil(),
            as_of,
            considered,
            obligations: Vec::new(),
            visits: Vec::new(),
            changes: Vec::new(),
            notes: Vec::new(),
            episodes: Vec::new(),
            events_by_person,
            events_by_person_kind: std::cell::OnceCell::new(),
            events_by_kind: std::cell::OnceCell::new(),
            closing: std::cell::OnceCell::new(),
            events_by_visit,
            person_by_id: timeline
                .persons
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect(),
            visits_by_person,
            extra_visits: Vec::new(),
            calendar_cache: std::cell::RefCell::new(Vec::new()),
            turn_cache: std::cell::RefCell::new(Vec::new()),
            endings: std::cell::RefCell::default(),
            acted: std::cell::RefCell::default(),
            observed: std::cell::RefCell::default(),
            trace: traced.then(|| std::cell::RefCell::new(Vec::new())),
            decisions_taken: std::cell::RefCell::new(crate::hash::Set::default()),
            alias_texts: std::cell::RefCell::new(Vec::new()),
            version: Arc::from(self.version.as_str()),
            in_force_since: since,
            person_ids: timeline
                .persons
                .iter()
                .map(|p| Arc::from(p.id.as_str()))
                .collect(),
            visit_ids: timeline
                .visits
                .iter()
                .map(|v| Arc::from(v.id.as_str()))
                .collect(),
        }
    }
}

/// An evaluation, with what the crate needs beside the decision.
pub(crate) struct Evaluated {
    pub decision: Decision,
    /// The coverage points reached, when traced.
    pub reached: Vec<crate::rules::coverage::Point>,
    /// The instant whose version judges each episode, by id: when it opened, but for an
    /// episode a visit's thresholds opened the visit's planned start, and for one handed
    /// over the first episode's.
    pub opened: crate::hash::Map<Arc<str>, Instant>,
}

/// Several lists of event indices, each in order, read as one in order (the events of the
/// few kinds that can end a duty).
struct Merged<'a, 's> {
    tl: &'a Timeline,
    heads: Vec<&'s [usize]>,
}

impl<'a> Iterator for Merged<'a, '_> {
    type Item = &'a crate::timeline::Event;

    fn next(&mut self) -> Option<Self::Item> {
        // A duty reads one or two kinds: the smallest head is found by looking at each.
        let (h, i) = self
            .heads
            .iter()
            .enumerate()
            .filter_map(|(h, list)| list.first().map(|i| (h, *i)))
            .min_by_key(|(_, i)| *i)?;
        if let Some(list) = self.heads.get_mut(h) {
            *list = list.get(1..).unwrap_or(&[]);
        }
        self.tl.events.get(i)
    }
}

/// The indices of the items of each of `people` people, in order, given each item's person.
fn by_person(people: usize, items: impl Iterator<Item = usize> + Clone) -> Vec<Vec<usize>> {
    // Counted first, so that no list grows by copies (a year is 3,600 events a person).
    let mut counts = vec![0usize; people];
    for person in items.clone() {
        if let Some(c) = counts.get_mut(person) {
            *c += 1;
        }
    }
    let mut out: Vec<Vec<usize>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (i, person) in items.enumerate() {
        if let Some(list) = out.get_mut(person) {
            list.push(i);
        }
    }
    out
}

/// The kind of an event as an index (`EventKind as usize`), or past every kind.
fn kind_index(e: &crate::timeline::Event) -> usize {
    e.data.event_kind().map_or(usize::MAX, |k| k as usize)
}

impl<'a> Eval<'a> {
    /// Each person's considered events by kind (see the field).
    fn by_person_kind(&self) -> &Vec<Vec<Vec<usize>>> {
        self.events_by_person_kind.get_or_init(|| {
            let kinds = crate::vocab::EventKind::ALL.len();
            self.events_by_person
                .iter()
                .map(|mine| {
                    let of = |i: &usize| self.tl.events.get(*i).map_or(usize::MAX, kind_index);
                    by_person(kinds, mine.iter().map(of))
                        .into_iter()
                        .map(|list| {
                            list.into_iter()
                                .filter_map(|j| mine.get(j).copied())
                                .collect()
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Every considered event by kind (see the field).
    fn by_kind(&self) -> &Vec<Vec<usize>> {
        self.events_by_kind.get_or_init(|| {
            let considered = self.tl.events.get(..self.considered).unwrap_or(&[]);
            by_person(
                crate::vocab::EventKind::ALL.len(),
                considered.iter().map(kind_index),
            )
        })
    }

    fn rules(&self, person: usize) -> &'a PersonRules {
        match self.tl.persons.get(person).and_then(|p| p.protocol) {
            Some(i) => self.rs.persons.get(i).unwrap_or(&self.rs.default_person),
            None => &self.rs.default_person,
        }
    }

    /// Note a coverage point reached, when the evaluation is traced.
    fn reached(&self, point: impl FnOnce() -> crate::rules::coverage::Point) {
        if let Some(trace) = &self.trace {
            trace.borrow_mut().push(point());
        }
    }

    fn person_id(&self, person: usize) -> &'a str {
        self.tl.persons.get(person).map_or("", |p| p.id.as_str())
    }

    fn visit_id(&self, visit: Option<usize>) -> Option<Arc<str>> {
        visit.and_then(|v| self.visit_ids.get(v)).cloned()
    }

    /// Visit number `i`: one the timeline holds, or a protocol visit added for this
    /// evaluation.
    fn visit(&self, i: usize) -> Option<&crate::timeline::VisitRef> {
        let held = self.tl.visits.len();
        if i < held {
            self.tl.visits.get(i)
        } else {
            self.extra_visits.get(i - held)
        }
    }

    /// Watch a protocol visit the timeline does not hold.
    fn add_visit(&mut self, v: crate::timeline::VisitRef) {
        let i = self.tl.visits.len() + self.extra_visits.len();
        if let Some(list) = self.visits_by_person.get_mut(v.person) {
            list.push(i);
        }
        self.visit_ids.push(Arc::from(v.id.as_str()));
        self.extra_visits.push(v);
    }

    /// Who an alias stood for at `at`, and why, in words (cached).
    fn alias_text(
        &self,
        alias: crate::rules::AliasId,
        role: RoleId,
        at: Instant,
        now: bool,
    ) -> Arc<str> {
        let key = (alias, role, at, now);
        if let Some((_, text)) = self.alias_texts.borrow().iter().find(|(k, _)| *k == key) {
            return text.clone();
        }
        let text: Arc<str> = match self.rs.alias(alias) {
            Some(def) => Arc::from(words::alias_resolution(self, def, role, at, now)),
            None => Arc::from(""),
        };
        let mut cache = self.alias_texts.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.push((key, text.clone()));
        text
    }

    /// A person's id, shared.
    fn person_arc(&self, person: usize) -> Arc<str> {
        self.person_ids
            .get(person)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// Notes when the decision reaches past the bank-holiday data (or before it), and the
    /// instant the data runs out as a change the decision announces.
    fn note_holiday_coverage(&mut self) {
        // Coverage runs up to a date, so the latest instant the decision depends on decides.
        let latest = self
            .obligations
            .iter()
            .filter_map(|o| o.due)
            .max()
            .map_or(self.as_of, |d| d.max(self.as_of));
        // While the data covers the decision, the note appears as time passes its end with no
        // new event: at the first local midnight it cannot speak for, which `next_change`
        // announces.
        let year = |d: Option<chrono::NaiveDate>| d.map(|d| chrono::Datelike::year(&d));
        let last = year(self.rs.holidays.last_date());
        if self.civil.holidays_cover(latest) {
            let runs_out = last
                .and_then(|y| chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1))
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|wall| self.civil.at_local(wall));
            self.change_at(runs_out);
        } else {
            let last = last.map_or_else(|| "none".into(), |y| y.to_string());
            self.notes.push(format!(
                "the bank-holiday data ({}) ends with {last}: later dates are treated as having no bank holidays; give newer data with --bank-holidays",
                self.rs.bank_holidays
            ));
        }
        // Coverage starts at a year too: the earliest instant the decision depends on decides.
        let earliest = self
            .obligations
            .iter()
            .map(|o| o.opened_at)
            .min()
            .map_or(self.as_of, |t| t.min(self.as_of));
        if self.civil.before_holidays(earliest) {
            let first = year(self.rs.holidays.first_date())
                .map_or_else(|| "none".into(), |y| y.to_string());
            self.notes.push(format!(
                "the bank-holiday data ({}) starts with {first}: earlier dates are treated as having no bank holidays; give older data with --bank-holidays",
                self.rs.bank_holidays
            ));
        }
    }

    /// The index of the person called `id` in the timeline.
    fn person_at(&self, id: &str) -> Option<usize> {
        self.person_by_id.get(id).copied()
    }

    /// Events considered that name visit `vi` of `person`, or (for a protocol visit's
    /// occurrence, `slot`) any visit of theirs standing for the same occurrence, in time
    /// order.
    fn events_at_visit(
        &self,
        person: usize,
        vi: usize,
        slot: Option<crate::timeline::Slot>,
    ) -> Vec<&'a crate::timeline::Event> {
        let tl: &'a Timeline = self.tl;
        let mut indices: Vec<usize> = self.events_by_visit.get(vi).cloned().unwrap_or_default();
        if slot.is_some() {
            for other in self.visits_by_person.get(person).into_iter().flatten() {
                let same = *other != vi
                    && self
                        .visit(*other)
                        .is_some_and(|o| o.person == person && o.slot == slot);
                if same {
                    indices.extend(self.events_by_visit.get(*other).into_iter().flatten());
                }
            }
            indices.sort_unstable();
        }
        indices.iter().filter_map(|i| tl.events.get(*i)).collect()
    }

    /// Events considered for one person, from `from` on: found by a binary search of the
    /// person's events (in time order), not by reading their whole record from its start for
    /// every step of every episode.
    fn events_of_from(
        &self,
        person: usize,
        from: Instant,
    ) -> impl Iterator<Item = &'a crate::timeline::Event> + '_ {
        let tl: &'a Timeline = self.tl;
        let mine = self
            .events_by_person
            .get(person)
            .map_or(&[][..], |v| v.as_slice());
        let start = mine.partition_point(|i| tl.events.get(*i).is_some_and(|e| e.at < from));
        mine.get(start..)
            .unwrap_or(&[])
            .iter()
            .filter_map(move |i| tl.events.get(*i))
    }

    /// Events considered of the given kinds, from `from` on, in time order: one person's, or
    /// for a duty about no one (`None`), everyone's. Found by kind, so that what a duty reads
    /// is the events that could end it, not the rest of the record.
    fn events_of_kinds_from(
        &self,
        person: Option<usize>,
        kinds: &[crate::vocab::EventKind],
        from: Instant,
    ) -> Merged<'a, '_> {
        let tl: &'a Timeline = self.tl;
        let lists = match person {
            Some(p) => self.by_person_kind().get(p).map_or(&[][..], Vec::as_slice),
            None => self.by_kind().as_slice(),
        };
        let heads = kinds
            .iter()
            .filter_map(|k| lists.get(*k as usize))
            .map(|list| {
                let start =
                    list.partition_point(|i| tl.events.get(*i).is_some_and(|e| e.at < from));
                list.get(start..).unwrap_or(&[])
            })
            .collect();
        Merged { tl, heads }
    }

    /// The ends of `duty`, a single-event duty of `person`'s, listed once for every duty of
    /// theirs that asks the same of the same role.
    fn candidates_of(
        &self,
        person: usize,
        duty: &discharge::Duty<'_>,
    ) -> std::rc::Rc<[discharge::Candidate]> {
        let key = (
            person,
            std::ptr::from_ref(duty.action).addr(),
            duty.told,
            duty.role,
            duty.responsible,
        );
        if let Some(found) = self.endings.borrow().get(&key) {
            return found.clone();
        }
        let kinds = discharge::ending_kinds(duty.action);
        let all = self.events_of_kinds_from(Some(person), kinds, Instant::MIN_UTC);
        let found: std::rc::Rc<[discharge::Candidate]> =
            discharge::candidates(self, duty, all).into();
        self.endings.borrow_mut().insert(key, found.clone());
        found
    }

    /// The events of `person`'s (indices, in time order) of the kinds that may end `duty`,
    /// recorded by someone who may do it: listed once for every duty of theirs that asks the
    /// same of the same role, so that a duty nobody able to do it ever did (calls made by a
    /// worker, where the coordinator must call) does not read every later event of its kinds.
    fn acted_of(&self, person: usize, duty: &discharge::Duty<'_>) -> std::rc::Rc<[usize]> {
        let key = (
            person,
            std::ptr::from_ref(duty.action).addr(),
            duty.role,
            duty.responsible,
        );
        if let Some(found) = self.acted.borrow().get(&key) {
            return found.clone();
        }
        let kinds = discharge::ending_kinds(duty.action);
        let lists = self
            .by_person_kind()
            .get(person)
            .map_or(&[][..], Vec::as_slice);
        let mut found: Vec<usize> = kinds
            .iter()
            .filter_map(|k| lists.get(*k as usize))
            .flatten()
            .copied()
            .filter(|i| {
                self.tl
                    .events
                    .get(*i)
                    .is_some_and(|e| discharge::may_act(self, duty.role, duty.responsible, e))
            })
            .collect();
        // Indices into a timeline in time order: in index order is in time order.
        found.sort_unstable();
        let found: std::rc::Rc<[usize]> = found.into();
        self.acted.borrow_mut().insert(key, found.clone());
        found
    }

    /// When `person` was first seen, from `from` on, in a state answering `wanted` (an
    /// observation of it, or of one its group holds), if ever. Found once for each: a step
    /// waiting on an observation asks at every later observation, and each asking read the
    /// record from the look-back on (a person observed thousands of times cost the square).
    fn first_observed(
        &self,
        person: usize,
        wanted: crate::rules::Sym,
        from: Instant,
    ) -> Option<Instant> {
        let key = (person, wanted, from);
        if let Some(found) = self.observed.borrow().get(&key) {
            return *found;
        }
        let found = self
            .events_of_kinds_from(Some(person), &[crate::vocab::EventKind::Observation], from)
            .find(|e| {
                matches!(&e.data, EventData::Observation { sym, .. }
                    if self.rs.observation_answers(*sym, wanted))
            })
            .map(|e| e.at);
        self.observed.borrow_mut().insert(key, found);
        found
    }

    /// Events considered, for one person.
    fn events_of(&self, person: usize) -> impl Iterator<Item = &'a crate::timeline::Event> + '_ {
        let tl: &'a Timeline = self.tl;
        self.events_by_person
            .get(person)
            .map_or(&[][..], |v| v.as_slice())
            .iter()
            .filter_map(move |i| tl.events.get(*i))
    }

    /// The first instant after `at` at which calendar `cal` opens or closes, if it does
    /// within a year. (Cached: every duty not started asks it at `as_of`.)
    fn calendar_turn(&self, cal: crate::rules::CalendarId, at: Instant) -> Option<Instant> {
        cached(&self.turn_cache, (cal, at), || {
            self.rs
                .calendars
                .get(cal.index())
                .and_then(|c| self.civil.calendar_next_change(c, at))
        })
    }

    /// When whoever `who` names at `at` next changes: the turn of an alias's calendar.
    fn alias_turn(&self, who: Responsible, at: Instant) -> Option<Instant> {
        match who {
            Responsible::Role(_) => None,
            Responsible::Alias(a) => self.calendar_turn(self.rs.alias(a)?.calendar, at),
        }
    }

    /// Is `at` inside calendar `cal`? (Cached for this evaluation.)
    fn in_calendar(&self, cal: crate::rules::CalendarId, at: Instant) -> bool {
        cached(&self.calendar_cache, (cal, at), || {
            self.rs
                .calendars
                .get(cal.index())
                .is_some_and(|c| self.civil.in_calendar(c, at))
        })
    }

    /// The event that closes an episode opened at `at`: for one where the person's safety is
    /// unconfirmed, finding them (or resolving the escalation); for any other, the escalation
    /// being resolved.
    fn closing_event(
        &self,
        person: usize,
        at: Instant,
        unconfirmed: bool,
    ) -> Option<&'a crate::timeline::Event> {
        let tl: &'a Timeline = self.tl;
        let closing = self.closing.get_or_init(|| {
            self.events_by_person
                .iter()
                .map(|mine| {
                    let of = |close: fn(&EventData) -> bool| -> Vec<usize> {
                        mine.iter()
                            .copied()
                            .filter(|i| tl.events.get(*i).is_some_and(|e| close(&e.data)))
                            .collect()
                    };
                    [
                        of(EventData::is_terminal),
                        of(|d| *d == EventData::EscalationResolved),
                    ]
                })
                .collect()
        });
        let list = closing
            .get(person)
            .map_or(&[][..], |c| c[usize::from(!unconfirmed)].as_slice());
        let first = list.partition_point(|i| tl.events.get(*i).is_some_and(|e| e.at < at));
        list.get(first).and_then(|i| tl.events.get(*i))
    }

    /// The role an alias or role stands for at `at` (`None` only for an alias of another
    /// rule set, which a checked rule set never holds).
    fn resolve(&self, who: Responsible, at: Instant) -> Option<RoleId> {
        match who {
            Responsible::Role(r) => Some(r),
            Responsible::Alias(a) => {
                let def = self.rs.alias(a)?;
                Some(if self.in_calendar(def.calendar, at) {
                    def.inside
                } else {
                    def.otherwise
                })
            }
        }
    }

    /// True if `t` is out of office hours (false when the framework has no office hours).
    fn out_of_hours(&self, t: Instant) -> bool {
        match self.rs.office_hours {
            Some(cal) => !self.in_calendar(cal, t),
            None => false,
        }
    }

    /// An obligation due at `due` is `due` through that second and `overdue` from the next:
    /// that is when the answer changes (decisions are to the second).
    fn falls_overdue_at(&mut self, due: Option<Instant>) {
        self.change_at(due.map(|d| d + chrono::Duration::seconds(1)));
    }

    fn change_at(&mut self, t: Option<Instant>) {
        if let Some(t) = t {
            if t > self.as_of {
                self.changes.push(t);
            }
        }
    }

    /// A review naming no manual review of this decision did nothing: say so, since the
    /// reviewer believes a duty is done.
    fn note_stray_reviews(&mut self) {
        for e in self.tl.events.get(..self.considered).unwrap_or(&[]) {
            if let EventData::Reviewed { duty } = &e.data {
                let found = self.obligations.iter().any(|o| {
                    &*o.id == duty.as_str() && o.action == crate::vocab::Action::ManualReview
                });
                if !found {
                    self.notes.push(format!(
                        "event {} records a review of `{duty}`, which is not a manual review in this decision: check the duty's id",
                        e.id
                    ));
                }
            }
        }
    }

    /// A decision recorded that no decision step took decided nothing: a second, different
    /// judgement after the first (the first counts, language.md §7.10), or one no step was
    /// waiting for. Say so, since whoever recorded it believes it counts.
    fn note_stray_decisions(&mut self) {
        let taken = self.decisions_taken.borrow();
        for e in self.tl.events.get(..self.considered).unwrap_or(&[]) {
            let EventData::Decided { decision, outcome } = e.data else {
                continue;
            };
            if taken.contains(e.id.as_str()) {
                continue;
            }
            let def = self.rs.decision(decision);
            let name = def.map_or("", |d| d.name.as_str());
            let said = def
                .map_or("", |d| d.outcome_name(outcome))
                .replace('_', " ");
            // The decision this person's episode had already taken, if one had: the latest
            // record taken before this one, which for a decision several share is the voice
            // that decided it, not the first voice (found by a docs-only tester).
            let earlier = self
                .tl
                .events
                .get(..self.considered)
                .unwrap_or(&[])
                .iter()
                .rev()
                .filter(|x| x.person == e.person && x.at <= e.at && taken.contains(x.id.as_str()))
                .find(
                    |x| matches!(x.data, EventData::Decided { decision: d, .. } if d == decision),
                );
            let note = match earlier {
                Some(x) => format!(
                    "event {} records `{name}` as {said} at {}, after event {} had decided it at {}: the first record decides (language.md §7.10), so this one changes nothing; if the first was wrong, act on it by hand",
                    e.id,
                    words::clock(self, e.at),
                    x.id,
                    words::clock(self, x.at)
                ),
                None => match self.waiting_decision(e, decision) {
                    // A step was waiting, but not for this recorder (found by a docs-only
                    // tester: "no step was waiting" sent the manager after the wrong fault).
                    Some((step, owner)) => format!(
                        "event {} records `{name}` as {said} at {}, but `{step}`, waiting for that decision then, is the {owner}'s to take, and {} does not cover the {owner}: it decides nothing",
                        e.id,
                        words::clock(self, e.at),
                        e.by
                            .and_then(|r| self.rs.role(r))
                            .map_or("whoever recorded it".to_string(), |r| format!("the {}", r.display.to_lowercase())),
                    ),
                    None => format!(
                        "event {} records `{name}` as {said} at {}, but no step of an episode of {} was waiting for that decision then: it decides nothing",
                        e.id,
                        words::clock(self, e.at),
                        self.person_id(e.person)
                    ),
                },
            };
            self.notes.push(note);
        }
    }

    /// A step of `e`'s person waiting at `e`'s instant for `decision` to be taken (opened and
    /// not yet done): its name and its role's name.
    fn waiting_decision(
        &self,
        e: &crate::timeline::Event,
        decision: crate::rules::DecisionId,
    ) -> Option<(String, String)> {
        let person = self.person_id(e.person);
        let decides = |o: &Obligation| {
            self.rs.every_pathway().any(|p| {
                p.steps.iter().chain(&p.after_closure).any(|s| {
                    *s.provenance == *o.rule
                        && matches!(s.action, crate::rules::ActionDef::Decide(d) if d == decision)
                })
            })
        };
        let o = self.obligations.iter().find(|o| {
            &*o.person == person
                && o.action == crate::vocab::Action::Decide
                && o.opened_at <= e.at
                && o.done_at.is_none_or(|d| d > e.at)
                && decides(o)
        })?;
        let step = o.rule.name.rsplit('.').next().unwrap_or(&o.rule.name);
        Some((step.to_string(), o.role_name.to_lowercase()))
    }

    fn finish(mut self) -> Decision {
        self.note_holiday_coverage();
        // By id, not by first mention: the order events are written in changes nothing.
        let mut unprotocolled: Vec<&str> = self
            .tl
            .persons
            .iter()
            .filter(|p| p.protocol.is_none())
            .map(|p| p.id.as_str())
            .collect();
        unprotocolled.sort_unstable();
        for id in unprotocolled {
            self.notes.push(format!(
                "{id} has no protocol: the framework's rules alone apply"
            ));
        }
        self.note_stray_reviews();
        self.note_stray_decisions();
        decision::sort_visits(&mut self.visits);
        let mut obligations = self.obligations;
        decision::sort_obligations(&mut obligations);
        let next_change = self.changes.into_iter().filter(|t| *t > self.as_of).min();

        Decision {
            contract: crate::contract::CONTRACT.to_string(),
            as_of: self.as_of,
            ruleset: RulesetRef {
                framework: self.rs.framework.clone(),
                version: self.rs.version.clone(),
                hash: self.rs.hash.clone(),
            },
            obligations,
            visits: self.visits,
            next_change,
            notes: self.notes,
        }
    }
}

/// True if the condition mentions an observation (its firing waits for observations).
fn mentions_observation(c: &Cond) -> bool {
    match c {
        Cond::Observed(..) => true,
        Cond::And(cs) | Cond::Or(cs) => cs.iter().any(mentions_observation),
        Cond::Not(c) => mentions_observation(c),
        _ => false,
    }
}

impl crate::timeline::Feed {
    /// The decision at `as_of` over the events the feed has taken: [`RuleSet::evaluate`].
    pub fn decision(&self, as_of: Instant) -> Decision {
        self.rules().evaluate(self.timeline(), as_of)
    }
}

/// The note that events of `timeline` after `as_of` (all past the first `considered`) were
/// not considered, if any were.
pub(crate) fn later_note(timeline: &Timeline, considered: usize) -> Option<String> {
    let later = timeline.events.len().saturating_sub(considered);
    (later > 0).then(|| {
        // The instant is the decision's own `as_of`, shown in its heading in local time:
        // said again here in UTC, it read as a stray raw instant in a local list.
        format!(
            "{later} event{} {LATER} {} not considered",
            if later == 1 { "" } else { "s" },
            if later == 1 { "was" } else { "were" }
        )
    })
}

/// Where [`later_note`] says the events it did not consider lie.
const LATER: &str = "after as_of";

/// A decision's note as an audit says it: the decision is made at the period's end, so
/// events "after as_of" are after the period's end.
pub(crate) fn in_period_terms(note: &str) -> String {
    match note.split_once(LATER) {
        Some((count, rest)) if rest.ends_with("not considered") => {
            format!("{count}after the period's end{rest}")
        }
        _ => note.to_string(),
    }
}
