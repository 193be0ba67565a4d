//! What a test run can exercise in a rule set: each pathway, each step, each way into a step
//! (the branch it follows), and each outcome of a condition. `vigil test --coverage` lists
//! those no test reached, as `opa test --coverage` lists unexercised lines.
//!
//! A point is keyed on where its rule is written (file, line, column), not on a person: a
//! framework step every person inherits is covered once any test reaches it for anyone; a
//! protocol's refinement of it is a point of its own, in the protocol, since it is the text
//! that ran. The evaluator reports the points it reaches ([`RuleSet::evaluate_traced`]);
//! [`RuleSet::coverage_points`] lists all there are.
//!
//! [`RuleSet::evaluate_traced`]: crate::rules::RuleSet::evaluate_traced

use std::collections::BTreeSet;

use super::flow::{Follow, Takes};
use super::{ActionDef, Cond, Origin, PathwayDef, RuleSet, StepDef};

/// One thing a test can exercise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Point {
    /// The file the rule is written in, as given.
    pub file: String,
    /// One-based line of the rule.
    pub line: usize,
    /// One-based column of the rule.
    pub column: usize,
    /// `pathway` or `pathway.step`, as decisions name rules.
    pub rule: String,
    /// What about the rule.
    pub probe: Probe,
}

/// What about a rule a test exercised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Probe {
    /// The pathway opened an episode.
    Pathway,
    /// The pathway's `when` held (true) or did not (false) for a trigger of its kind.
    Takes(bool),
    /// The step started and fired: it became a duty.
    Step,
    /// The step's `when` held (true) or did not (false) when it was judged.
    Condition(bool),
    /// The step started by this way out of the step it follows: `done`, `overdue`, a
    /// failure outcome (`no_answer`), a decision's outcome, `failed` or `otherwise`.
    Branch(String),
}

impl Point {
    fn at(origin: &Origin, rule: String, probe: Probe) -> Point {
        Point {
            file: origin.file.clone(),
            line: origin.line,
            column: origin.column,
            rule,
            probe,
        }
    }

    /// The point for step `step` of `pathway`.
    pub(crate) fn step(pathway: &PathwayDef, step: &StepDef, probe: Probe) -> Point {
        Point::at(
            &step.origin,
            format!("{}.{}", pathway.name, step.name),
            probe,
        )
    }

    /// The point for `pathway` itself.
    pub(crate) fn pathway(pathway: &PathwayDef, probe: Probe) -> Point {
        Point::at(&pathway.origin, pathway.name.clone(), probe)
    }

    /// What was not exercised, in words: "step `no_response.wider_checks` never became a
    /// duty".
    pub fn words(&self) -> String {
        let r = &self.rule;
        match &self.probe {
            Probe::Pathway => format!("pathway `{r}` never opened an episode"),
            Probe::Takes(true) => format!("pathway `{r}`: its `when` never held for a trigger"),
            Probe::Takes(false) => {
                format!("pathway `{r}`: its `when` never failed to hold for a trigger")
            }
            Probe::Step => format!("step `{r}` never became a duty"),
            Probe::Condition(true) => format!("step `{r}`: its `when` never held"),
            Probe::Condition(false) => format!("step `{r}`: its `when` never failed to hold"),
            Probe::Branch(way) => format!("step `{r}` never started by the `{way}` branch"),
        }
    }

    /// The kind of point, for counts: `pathway`, `step`, `branch` or `condition`.
    pub fn kind(&self) -> &'static str {
        match self.probe {
            Probe::Pathway => "pathway",
            Probe::Step => "step",
            Probe::Branch(_) => "branch",
            Probe::Takes(_) | Probe::Condition(_) => "condition",
        }
    }
}

/// The name of a branch label for one way a step follows another.
pub(crate) fn takes_label(rs: &RuleSet, before: Option<&StepDef>, t: Takes) -> String {
    match t {
        Takes::Done => "done".into(),
        Takes::Failed => "failed".into(),
        Takes::Overdue => "overdue".into(),
        Takes::Outcome(o) => o.name().into(),
        Takes::Decided(k) => match before.map(|s| &s.action) {
            Some(ActionDef::Decide(d)) => rs
                .decision(*d)
                .map_or_else(|| format!("outcome {k}"), |d| d.outcome_name(k).to_string()),
            _ => format!("outcome {k}"),
        },
    }
}

impl RuleSet {
    /// Every point a test could exercise in these rules: each pathway of the framework and of
    /// every protocol (and of every agreed exception's changed ladder), each step, each way
    /// into a step that follows another, and each outcome of every `when` that is not
    /// settled when the rules are checked.
    ///
    /// ```
    /// # let sources = vec![vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())];
    /// let rs = vigil::compile(&sources).unwrap();
    /// let points = rs.coverage_points();
    /// assert!(points.iter().any(|p| p.rule == "no_response.wider_checks" && p.kind() == "step"));
    /// ```
    pub fn coverage_points(&self) -> Vec<Point> {
        let mut out = BTreeSet::new();
        for pathway in self.every_pathway() {
            self.pathway_points(pathway, &mut out);
        }
        out.into_iter().collect()
    }

    /// Every pathway the rules hold: the framework's own (for a person with no protocol),
    /// every protocol's, and every agreed exception's changed ladder. A framework pathway a
    /// protocol does not refine comes once per person who runs it.
    pub fn every_pathway(&self) -> impl Iterator<Item = &PathwayDef> + '_ {
        std::iter::once(&self.default_person)
            .chain(&self.persons)
            .flat_map(|person| {
                let exceptions = person
                    .exceptions
                    .iter()
                    .flat_map(|e| &e.changes)
                    .filter_map(|c| c.ladder.as_ref());
                person.pathways.iter().chain(exceptions)
            })
    }

    fn pathway_points(&self, pathway: &PathwayDef, out: &mut BTreeSet<Point>) {
        out.insert(Point::pathway(pathway, Probe::Pathway));
        if !matches!(pathway.when, Cond::Const(_)) {
            out.insert(Point::pathway(pathway, Probe::Takes(true)));
            out.insert(Point::pathway(pathway, Probe::Takes(false)));
        }
        for steps in [&pathway.steps, &pathway.after_closure] {
            for step in steps.iter() {
                out.insert(Point::step(pathway, step, Probe::Step));
                if !matches!(step.condition, Cond::Const(_)) {
                    out.insert(Point::step(pathway, step, Probe::Condition(true)));
                    out.insert(Point::step(pathway, step, Probe::Condition(false)));
                }
                let before = step.after.and_then(|a| steps.get(usize::from(a)));
                for way in self.ways_in(step, before) {
                    out.insert(Point::step(pathway, step, Probe::Branch(way)));
                }
            }
        }
    }

    /// The branches into a step that follows another: for a plain `after`, the step before
    /// done and (if it has a deadline) overdue; for `after X if ...`, each end named; for
    /// `otherwise`, that.
    fn ways_in(&self, step: &StepDef, before: Option<&StepDef>) -> Vec<String> {
        let Some(before) = before else {
            return Vec::new();
        };
        match &step.follows {
            Follow::Any => {
                let mut ways = vec!["done".to_string()];
                if before.deadline.is_some() {
                    ways.push("overdue".into());
                }
                ways
            }
            Follow::On(takes) => takes
                .iter()
                .map(|t| takes_label(self, Some(before), *t))
                .collect(),
            Follow::Otherwise => vec!["otherwise".into()],
        }
    }
}
