//! Properties of every decision (issue 12, point 4), over timelines made from the examples:
//! each example with a random set of its events dropped (visit planning kept, so the rest still
//! names real visits), cut at a random instant, and shuffled. The bundled rule sets and the
//! examples between them reach every kind of trigger, pathway, step and governance rule, so
//! what holds here holds over the evaluator's whole surface, not over one hand-written case.
//!
//! - determinism: the same timeline decides the same bytes, loaded twice or evaluated twice;
//! - the order events are written in changes nothing;
//! - with no new events, as `as_of` grows, a duty never goes back (`due` to `upcoming`,
//!   `overdue` to `due`), never changes once settled, and never disappears;
//! - `next_change` is exact (notes and closure included);
//! - an event that discharges a duty adds no duty but after-closure ones, those it starts
//!   itself (as a trigger, or as what a step waited to observe: their reasons name it), and
//!   a hand-over's new episode;
//! - every duty is explained: a rule with a real place in a real rule file, and a reason;
//! - a rule set that checked clean never raises a manual review for its own failing (a due time
//!   it cannot find, a criticality with no thresholds): only for what the timeline lacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod common;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use vigil::eval::{Decision, Status};
use vigil::rules::RuleSet;
use vigil::time::Instant;
use vigil::timeline::{EventInput, Format, Timeline, TimelineInput};

/// One example: its name, its rules, its events as written, and the rule files' text (to
/// check that each duty's rule points into one).
struct Example {
    name: String,
    rules: Arc<RuleSet>,
    input: TimelineInput,
    rule_files: RuleTexts,
}

fn examples() -> &'static [Example] {
    static ALL: OnceLock<Vec<Example>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut by_dir: HashMap<String, (Arc<RuleSet>, RuleTexts)> = HashMap::new();
        common::example_timelines()
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.display().to_string();
                let dir = common::rules_dir(&text);
                let (rules, rule_files) = by_dir
                    .entry(dir.clone())
                    .or_insert_with(|| (Arc::new(common::rules_in(&dir)), rule_texts(&dir)))
                    .clone();
                let input = TimelineInput::read(&text, Format::from_name(&name), &name).unwrap();
                Example {
                    name,
                    rules,
                    input,
                    rule_files,
                }
            })
            .collect()
    })
}

/// Each rule file's text, by the name its rules give.
type RuleTexts = Arc<HashMap<String, String>>;

fn rule_texts(dir: &str) -> RuleTexts {
    let files = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.display().to_string(), text)
        });
    Arc::new(files.collect())
}

fn instant(e: &EventInput) -> Instant {
    e.at_text().unwrap().parse().unwrap()
}

/// A timeline made from `ex`: its header, and the events up to `cut` that `keep` says to
/// keep (and every visit's planning up to then, so that the rest still name real visits), in
/// `order`.
fn made(
    ex: &Example,
    keep: impl Fn(usize, &EventInput) -> bool,
    cut: Instant,
    order: u64,
) -> TimelineInput {
    let mut out = TimelineInput::new();
    if let Some(from) = ex.input.from_text() {
        out = out.from(from.parse().unwrap());
    }
    for p in ex.input.persons() {
        out = out.person(p.clone());
    }
    let mut events: Vec<EventInput> = ex
        .input
        .events()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            instant(e) <= cut && (e.kind_name() == Some("visit_planned") || keep(*i, e))
        })
        .map(|(_, e)| e.clone())
        .collect();
    shuffle(&mut events, order);
    events.into_iter().fold(out, TimelineInput::event)
}

/// Fisher-Yates under a small deterministic generator seeded by `seed`.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap();
        items.swap(i, j);
    }
}

/// A random case: an example, the events dropped (one bit each), an order, and a cut.
#[derive(Debug, Clone)]
struct Case {
    example: usize,
    dropped: u64,
    order: u64,
    /// Where the cut falls among the kept events' instants, as a fraction of 1,000.
    cut: u32,
}

fn case() -> impl Strategy<Value = Case> {
    (0..examples().len(), any::<u64>(), any::<u64>(), 0u32..=1000).prop_map(
        |(example, dropped, order, cut)| Case {
            example,
            dropped: dropped & dropped.rotate_left(17), // drop about one event in four
            order,
            cut,
        },
    )
}

impl Case {
    fn ex(&self) -> &'static Example {
        &examples()[self.example]
    }

    fn kept(&self, i: usize) -> bool {
        self.dropped >> (i % 64) & 1 == 0
    }

    /// The instant of the cut: between the first and last kept event.
    fn cut_at(&self) -> Instant {
        let at: Vec<Instant> = (self.ex().input.events().iter().enumerate())
            .filter(|(i, _)| self.kept(*i))
            .map(|(_, e)| instant(e))
            .collect();
        let (Some(first), Some(last)) = (at.iter().min(), at.iter().max()) else {
            return "2026-11-24T08:00:00Z".parse().unwrap();
        };
        let span = (*last - *first).num_seconds();
        *first + chrono::Duration::seconds(span * i64::from(self.cut) / 1000)
    }

    /// The timeline of the kept events up to the cut, in this case's order.
    fn timeline(&self) -> Option<Timeline> {
        let cut = self.cut_at();
        let input = made(self.ex(), |i, _| self.kept(i), cut, self.order);
        // Dropping an event may leave one naming what only it introduced (a declared
        // trigger's person): such a timeline is refused, rightly, and is not a case.
        Timeline::from_input(&input, &self.ex().rules).ok()
    }

    fn decide(&self, tl: &Timeline, at: Instant) -> Decision {
        self.ex().rules.evaluate(tl, at)
    }
}

/// Where a duty stands, as far as moving forward goes: once settled (done, failed, no longer
/// required) it never changes with time alone; otherwise it may only climb
/// upcoming < open, due < overdue, or settle.
fn moved_forward(before: Status, after: Status) -> bool {
    let rank = |s: Status| match s {
        Status::Upcoming => Some(0),
        Status::Open | Status::Due => Some(1),
        Status::Overdue => Some(2),
        _ => None,
    };
    match (rank(before), rank(after)) {
        (None, _) => before == after,
        (Some(_), None) => true,
        (Some(a), Some(b)) => a < b || before == after,
    }
}

/// What a decision says, less the count of events after `as_of` (about the input).
fn answer(d: &Decision) -> Vec<String> {
    let mut out: Vec<String> = d
        .obligations
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?}",
                o.id, o.status, o.due, o.done_at, o.role, o.outcome, o.because
            )
        })
        .collect();
    out.extend(d.visits.iter().map(|v| format!("{} {:?}", v.id, v.state)));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The same timeline, loaded twice and evaluated twice, gives the same bytes; and so does
    /// the same set of events written in any other order.
    #[test]
    fn deterministic_and_order_independent(c in case(), other in any::<u64>(), later in 0i64..7200) {
        let Some(tl) = c.timeline() else { return Ok(()) };
        let at = c.cut_at() + chrono::Duration::seconds(later);
        let first = c.decide(&tl, at).to_json();
        prop_assert_eq!(&c.decide(&tl, at).to_json(), &first, "{}", c.ex().name);
        let again = c.timeline().unwrap();
        prop_assert_eq!(&c.decide(&again, at).to_json(), &first);
        let reordered = Case { order: other, ..c.clone() };
        let reordered = reordered.timeline().unwrap();
        prop_assert_eq!(&c.decide(&reordered, at).to_json(), &first, "{}: order changed the decision", c.ex().name);
    }

    /// With no new events, time only moves duties forward, and none disappears.
    #[test]
    fn statuses_only_move_forward(c in case(), a in 0i64..14_400, b in 0i64..172_800) {
        let Some(tl) = c.timeline() else { return Ok(()) };
        let t1 = c.cut_at() + chrono::Duration::seconds(a);
        let t2 = t1 + chrono::Duration::seconds(b);
        let (d1, d2) = (c.decide(&tl, t1), c.decide(&tl, t2));
        let later: HashMap<&str, Status> =
            d2.obligations.iter().map(|o| (o.id.as_str(), o.status)).collect();
        for o in &d1.obligations {
            let Some(&now) = later.get(o.id.as_str()) else {
                return Err(TestCaseError::fail(format!(
                    "{}: {} ({:?} at {t1}) is gone at {t2}", c.ex().name, o.id, o.status
                )));
            };
            prop_assert!(
                moved_forward(o.status, now),
                "{}: {} went from {:?} at {} to {:?} at {}", c.ex().name, o.id, o.status, t1, now, t2
            );
        }
    }

    /// `next_change` is exact on every made timeline.
    #[test]
    fn next_change_is_exact(c in case(), a in 0i64..14_400) {
        let Some(tl) = c.timeline() else { return Ok(()) };
        let now = c.cut_at() + chrono::Duration::seconds(a);
        let checked = common::next_change_is_exact(
            |at| c.decide(&tl, at.parse().unwrap()),
            answer,
            &now.to_rfc3339(),
        );
        prop_assert!(checked.is_ok(), "{}: {:?}", c.ex().name, checked);
    }

    /// An event that discharges a duty (it is done at the event's instant) adds no duty that
    /// was not already there, but the after-closure duties its closing starts (and the next
    /// of a periodic duty due every D, which opens when the last is done).
    #[test]
    fn discharging_adds_only_after_closure_duties(c in case()) {
        let Some(with) = c.timeline() else { return Ok(()) };
        // The last kept event up to the cut, and the timeline without it.
        let cut = c.cut_at();
        let ex = c.ex();
        let last = (ex.input.events().iter().enumerate())
            .filter(|(i, e)| c.kept(*i) && instant(e) <= cut && e.kind_name() != Some("visit_planned"))
            .max_by_key(|(i, e)| (instant(e), *i));
        let Some((li, le)) = last else { return Ok(()) };
        let at = instant(le);
        let input = made(ex, |i, _| c.kept(i) && i != li, cut, c.order);
        let Ok(without) = Timeline::from_input(&input, &ex.rules) else { return Ok(()) };
        let (before, after) = (c.decide(&without, at), c.decide(&with, at));
        let was: HashMap<&str, &vigil::eval::Obligation> =
            before.obligations.iter().map(|o| (o.id.as_str(), o)).collect();
        let discharged = after.obligations.iter().any(|o| {
            matches!(o.status, Status::Done | Status::DoneLate)
                && o.done_at == Some(at)
                && was.get(o.id.as_str()).is_some_and(|b| b.done_at.is_none())
        });
        if !discharged {
            return Ok(());
        }
        // What the event starts names it: the episode it triggers (a red flag observed),
        // or a step that waited for what it observed.
        let names = le.id_text().map(|id| [format!("event {id})"), format!("event {id},")]);
        let started_by_it = |o: &vigil::eval::Obligation| {
            names.as_ref().is_some_and(|names| {
                o.because.iter().any(|b| names.iter().any(|n| b.contains(n.as_str())))
            })
        };
        // A hand-over the event's decision led to opens a new episode.
        let episodes: std::collections::HashSet<&str> =
            before.obligations.iter().map(|o| &*o.episode).collect();
        let handed_over = |o: &vigil::eval::Obligation| {
            !episodes.contains(&*o.episode)
                && o.because.first().is_some_and(|b| b.starts_with("handed over at"))
        };
        // A periodic duty due `every` D opens again when it is done (language.md §11.3): the
        // next of the same rule, opening at the instant the last was done.
        let next_periodic = |o: &vigil::eval::Obligation| {
            o.id.starts_with("governance/") && o.opened_at == at && after.obligations.iter().any(|p| {
                p.rule.name == o.rule.name && p.id != o.id && p.done_at == Some(at)
            })
        };
        for o in &after.obligations {
            prop_assert!(
                was.contains_key(o.id.as_str()) || o.id.contains("/after-closure/") || started_by_it(o) || handed_over(o) || next_periodic(o),
                "{}: the {} at {} discharged a duty and added {}", ex.name,
                le.kind_name().unwrap_or("?"), at, o.id
            );
        }
    }

    /// A traced evaluation (`vigil test --coverage`) decides exactly as a plain one, and
    /// every point it reports reaching is one of the points the rules list: coverage can
    /// neither change an answer nor count what it cannot show.
    #[test]
    fn tracing_changes_nothing_and_reaches_only_listed_points(c in case(), a in 0i64..86_400) {
        let Some(tl) = c.timeline() else { return Ok(()) };
        let at = c.cut_at() + chrono::Duration::seconds(a);
        let rules = &c.ex().rules;
        let (traced, reached) = rules.evaluate_traced(&tl, at);
        prop_assert_eq!(traced.to_json(), c.decide(&tl, at).to_json());
        let points = rules.coverage_points();
        for p in &reached {
            prop_assert!(points.contains(p), "{}: reached {:?}, which is not listed", c.ex().name, p);
        }
        // Each duty that started (it has a due time, or is open or settled by its work)
        // reached its step's point.
        for o in traced.obligations.iter().filter(|o| matches!(o.status, Status::Due | Status::Overdue | Status::Open)) {
            let found = reached.iter().any(|p| p.kind() == "step" && p.file == o.rule.file && p.line == o.rule.line);
            prop_assert!(found || o.id.contains("/breach") || o.id.contains("/follow-up/") || o.rule.name.starts_with("governance.") || o.rule.name == "visit_thresholds",
                "{}: {} is {:?} but its step was not reached", c.ex().name, o.id, o.status);
        }
    }

    /// Every duty names the rule it comes from, at a real line and column of a rule file,
    /// with a reason; and no duty of a clean rule set is a due time Vigil could not find.
    #[test]
    fn every_duty_is_explained(c in case(), a in 0i64..86_400) {
        let Some(tl) = c.timeline() else { return Ok(()) };
        let d = c.decide(&tl, c.cut_at() + chrono::Duration::seconds(a));
        let ex = c.ex();
        for o in &d.obligations {
            let text = ex.rule_files.get(&o.rule.file);
            let line = text.and_then(|t| t.lines().nth(o.rule.line.wrapping_sub(1)));
            prop_assert!(
                line.is_some_and(|l| o.rule.column >= 1 && o.rule.column <= l.chars().count() + 1),
                "{}: {} points at {}:{}:{}, not into a rule file", ex.name, o.id,
                o.rule.file, o.rule.line, o.rule.column
            );
            prop_assert!(!o.rule.name.is_empty() && !o.because.is_empty() && !o.summary.is_empty(),
                "{}: {} is not explained: {:?}", ex.name, o.id, o);
            prop_assert!(!o.id.contains("/no-due-time/"),
                "{}: a clean rule set left a due time unfound: {}", ex.name, o.id);
            // Every criticality is declared by its threshold, so no visit lacks one.
            prop_assert!(!o.summary.contains("no late or missed threshold"),
                "{}: a clean rule set left a criticality without thresholds: {}", ex.name, o.id);
        }
    }
}

/// The cases reach far: across them, every example is used and duties of every status appear.
#[test]
fn the_made_timelines_reach_every_example_and_status() {
    let mut seen = std::collections::BTreeSet::new();
    for (example, ex) in examples().iter().enumerate() {
        for cut in [250, 600, 1000] {
            let c = Case {
                example,
                dropped: 0x0101_0101_0101_0101 << (cut % 7),
                order: 7,
                cut,
            };
            let tl = c
                .timeline()
                .unwrap_or_else(|| panic!("{}: does not load", ex.name));
            for o in c.decide(&tl, c.cut_at()).obligations {
                seen.insert(format!("{:?}", o.status));
            }
        }
    }
    assert!(seen.len() >= 7, "{seen:?}");
}
