//! Loading a timeline: the entry points, and the phases in the order they run.
//!
//! 1. `read.rs`: the text to a [`TimelineInput`] (an empty text, or one that is not YAML or
//!    JSON of a timeline's shape, stops here);
//! 2. `plan.rs`: the people mentioned and the visits planned, since an event may name a visit
//!    planned anywhere in the file;
//! 3. `shape.rs`: each event's attributes, kind and instant;
//! 4. `resolve.rs`: the names in each well-shaped event, against the rule set and the planned
//!    visits, and its id;
//! 5. time order, stable for equal instants.
//!
//! Every phase reports into one list, so a run names every problem in the file; an event
//! with a problem goes no further, so that its problem is not reported again as others.

use super::error::{ErrorCode, TimelineErrors};
use super::input::{Format, TimelineInput};
use super::loader::Loader;
use super::locate::Locator;
use super::resolve::Checked;
use super::{plan, read, resolve, shape, Timeline};
use crate::rules::RuleSet;

impl Timeline {
    /// Read and check a timeline written in `format`, called `file` in messages, against the
    /// rule set whose people, roles, contacts, logs and agencies it names.
    ///
    /// ```
    /// # let rs = vigil::check::check(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).rulesets.remove(0);
    /// use vigil::timeline::{ErrorCode, Format, Timeline};
    /// let text = "events:
    ///   - { at: 2026-11-23T18:00:00Z, person: P-1, kind: visit_planned, visit: V1,
    ///       planned: 2026-11-24T08:00:00Z, criticality: critical }
    ///   - at: 2026-11-24T08:05:00
    ///     person: P-1
    ///     kind: no_answer
    /// ";
    /// let errors = Timeline::load(text, Format::Yaml, "t.yaml", &rs).unwrap_err();
    /// assert!(errors[0].to_string().starts_with("t.yaml:4:9: error[T003]: `events[1].at`: "));
    /// assert_eq!(errors[0].code, ErrorCode::NoUtcOffset);
    /// ```
    pub fn load(
        text: &str,
        format: Format,
        file: &str,
        rs: &RuleSet,
    ) -> Result<Timeline, TimelineErrors> {
        Timeline::load_within(text, format, file, rs, &crate::limits::Limits::default())
    }

    /// [`Timeline::load`] within `limits`: the most events, the longest line of a YAML or
    /// NDJSON timeline, the deepest nesting.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{Format, Timeline};
    /// let text = "{\"from\": \"2026-11-24T00:00:00Z\"}\n\
    ///     {\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-0142\", \"kind\": \"no_answer\"}\n\
    ///     {\"at\": \"2026-11-24T08:06:00Z\", \"person\": \"P-0142\", \"kind\": \"no_answer\"}\n";
    /// let mut limits = vigil::Limits::default();
    /// limits.events = 1;
    /// let errors = Timeline::load_within(text, Format::Ndjson, "log.ndjson", &rs, &limits).unwrap_err();
    /// assert!(errors[0].message.contains("past the 1 events"));
    /// assert_eq!(errors[0].line, 3); // the first event past the limit
    /// assert!(errors[0].help.as_deref().unwrap().contains("--max-events"));
    /// ```
    pub fn load_within(
        text: &str,
        format: Format,
        file: &str,
        rs: &RuleSet,
        limits: &crate::limits::Limits,
    ) -> Result<Timeline, TimelineErrors> {
        let raw = read::read_within(text, format, file, limits).map_err(TimelineErrors)?;
        Timeline::check_input(&raw, Locator::new(text, format), file, rs)
    }

    /// Check a timeline built in code (a host's own events) against the rule set. Errors
    /// name the event and field (`events[3].visit`); with no text to point into, they have
    /// no line (0) and print without one.
    ///
    /// ```
    /// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
    /// use vigil::timeline::{EventInput, Timeline, TimelineInput};
    /// use vigil::vocab::EventKind;
    /// let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    /// let input = TimelineInput::new().event(
    ///     EventInput::new(at("2026-11-23T18:00:00Z"), "P-1", EventKind::VisitPlanned)
    ///         .visit("V1")
    ///         .planned(at("2026-11-24T08:00:00Z"))
    ///         .criticality("critical"),
    /// );
    /// let timeline = Timeline::from_input(&input, &rs).unwrap();
    /// assert_eq!(timeline.visits.len(), 1);
    ///
    /// // A misspelt role is the same located error as in a file.
    /// let bad = input.clone().event(
    ///     EventInput::new(at("2026-11-24T08:05:00Z"), "P-1", EventKind::NoAnswer).by("suport_worker"),
    /// );
    /// let errors = Timeline::from_input(&bad, &rs).unwrap_err();
    /// assert_eq!(errors[0].field.as_deref(), Some("events[1].by"));
    /// ```
    pub fn from_input(input: &TimelineInput, rs: &RuleSet) -> Result<Timeline, TimelineErrors> {
        Timeline::check_input(input, Locator::new("", Format::Json), "<input>", rs)
    }

    /// Phases two to five, for a timeline read from text or built in code.
    pub(super) fn check_input(
        raw: &TimelineInput,
        locator: Locator<'_>,
        file: &str,
        rs: &RuleSet,
    ) -> Result<Timeline, TimelineErrors> {
        Timeline::check_foreign(raw, locator, file, rs, Default::default())
    }

    /// [`Timeline::check_input`], reading the `foreign` events' unknown `by` and `result` as
    /// none ([`super::versioned`]).
    pub(super) fn check_foreign(
        raw: &TimelineInput,
        locator: Locator<'_>,
        file: &str,
        rs: &RuleSet,
        foreign: crate::hash::Set<usize>,
    ) -> Result<Timeline, TimelineErrors> {
        let mut ld = Loader {
            file: file.to_string(),
            locator,
            rs,
            errors: Vec::new(),
            foreign,
        };
        let mut tl = header(&mut ld, raw);
        let plan = plan::people_and_visits(&mut ld, raw, &mut tl);
        let mut ids: resolve::Ids = crate::hash::map_with_capacity(raw.events.len());
        tl.events.reserve_exact(raw.events.len());
        for index in 0..raw.events.len() {
            if let Some(event) = checked_event(&mut ld, &tl, &plan, &mut ids, raw, index) {
                tl.events.push(event);
            }
        }
        if !ld.errors.is_empty() {
            return Err(TimelineErrors::said_once(ld.errors));
        }
        // Time order, stable for equal instants (file order breaks ties). A log is usually
        // written in time order already: then the sort, and the copy it works in, are skipped.
        if !tl.events.is_sorted_by_key(|e| e.at) {
            tl.events.sort_by_key(|e| e.at);
        }
        Ok(tl)
    }
}

/// The timeline's header (its contract, `as_of` and `from`), as an empty timeline.
pub(super) fn header(ld: &mut Loader<'_>, raw: &TimelineInput) -> Timeline {
    if let Some(c) = raw.contract.as_deref() {
        contract(ld, c);
    }
    let as_of = match &raw.as_of {
        Some(t) => ld.instant(None, "as_of", t),
        None => None,
    };
    let from = match &raw.from {
        Some(t) => ld.instant(None, "from", t),
        None => None,
    };
    Timeline {
        as_of,
        from,
        ..Timeline::default()
    }
}

/// Phases three and four for event `index`, whose people and visits phase two has planned:
/// the event, or `None` after reporting what is wrong with it. `ids` holds the ids taken.
pub(super) fn checked_event(
    ld: &mut Loader<'_>,
    tl: &Timeline,
    plan: &plan::Plan,
    ids: &mut resolve::Ids,
    raw: &TimelineInput,
    index: usize,
) -> Option<super::Event> {
    let input = raw.events.get(index)?;
    let person = plan.person_of_event.get(index).copied().flatten();
    // The shape first, so that a misspelt kind is named even when it is the reason the
    // person is not known (a declared trigger introduces its person).
    let shaped = shape::check(ld, index, input);
    // A person's id holding a character it may not was reported by the shape: not again as
    // unknown, which it is only because of that character.
    let plain = input
        .person
        .as_deref()
        .is_none_or(super::chars::is_plain_name);
    let known = !plain || person.is_none_or(|p| resolve::known_person(ld, tl, plan, index, p));
    let shaped = shaped.filter(|_| known)?;
    // An event naming no person was reported in phase two.
    let person = person?;
    let checked = Checked {
        index,
        input,
        shaped,
        person,
    };
    resolve::event(ld, tl, plan, ids, checked)
}

/// A timeline written to another major version of the contract cannot be read as this one.
fn contract(ld: &mut Loader<'_>, written: &str) {
    let major = |v: &str| v.split('.').next().map(str::to_string);
    if major(written) != major(crate::contract::CONTRACT) || !written.contains('.') {
        ld.error(
            ErrorCode::UnknownValue,
            None,
            "contract",
            format!(
                "contract `{written}` is not one this Vigil reads (it reads {}.x)",
                major(crate::contract::CONTRACT).unwrap_or_default()
            ),
            Some(format!(
                "write `contract: \"{}\"`, or leave it out",
                crate::contract::CONTRACT
            )),
        );
    }
}
