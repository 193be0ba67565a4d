//! The framework's closed vocabularies: what staff may record seeing (and named groups of
//! observations, red flags among them), communication needs with the contact methods each
//! rules out, the results a record may carry, facts about a person's home and service, and the
//! risks a protocol may record.
//!
//! Each is declared once, in the framework. Every use (a person's facts, a condition, a
//! `check` step, a governance rule) is looked up here, and a name the framework does not
//! declare is E028 with "did you mean": a misspelt name would otherwise switch a check off
//! without a word. A framework that declares none of a kind has an empty vocabulary of that
//! kind, so every such name is refused (fail closed), with a help line saying where to declare
//! it.

use super::diagnostic::{Code, Diagnostic};
use super::table::{word, Table};
use super::Ctx;
use crate::rules::CalendarId;
use crate::span::Span;
use crate::syntax::ast::{CommunicationNeed, Ident, Observations, RedFlags, Results, WordList};
use crate::vocab::Method;
use crate::wording::did_you_mean;

/// The kinds of closed vocabulary, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Observations and groups of them.
    Observation,
    /// Communication needs.
    Need,
    /// Results a record may carry.
    Result,
    /// Facts about a person's home and service.
    Fact,
    /// Risks a protocol may record.
    Risk,
}

impl Kind {
    /// "observation", "communication need", ...
    fn what(self) -> &'static str {
        match self {
            Kind::Observation => "observation",
            Kind::Need => "communication need",
            Kind::Result => "result",
            Kind::Fact => "fact",
            Kind::Risk => "risk",
        }
    }

    /// "an observation", "a communication need", ...
    fn a(self) -> &'static str {
        match self {
            Kind::Observation => "an observation",
            Kind::Need => "a communication need",
            Kind::Result => "a result",
            Kind::Fact => "a fact",
            Kind::Risk => "a risk",
        }
    }

    /// How the framework declares one, for help lines.
    fn declare(self, name: &str) -> String {
        match self {
            Kind::Observation => format!("observations {name}"),
            Kind::Need => format!("communication {name} \"...\""),
            Kind::Result => format!("results {name}"),
            Kind::Fact => format!("facts {name}"),
            Kind::Risk => format!("risks {name}"),
        }
    }
}

/// A communication need: its name, and the contact methods it rules out (inside a calendar,
/// or at all times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// Identifier.
    pub name: String,
    /// Display name.
    pub display: String,
    /// The methods it rules out.
    pub rules_out: Vec<Method>,
    /// Only inside this calendar (its id and name); `None`: at all times.
    pub window: Option<(CalendarId, String)>,
}

/// A named group of observations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// Its observations, each once.
    pub members: Vec<String>,
}

/// The framework's closed vocabularies.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Observations staff may record, each once, in the order declared.
    pub observations: Vec<String>,
    /// Named groups of observations.
    pub groups: Vec<Group>,
    /// Red-flag observations (a group named in `red_flags` stands for its members).
    pub red_flags: Vec<String>,
    /// Communication needs.
    pub needs: Vec<Need>,
    /// Results a record may carry.
    pub results: Vec<String>,
    /// Named families of results (`results risk_level: red_risk, amber_risk`): a run of
    /// results is counted within its family. A result is in one family at most.
    pub result_families: Vec<Group>,
    /// Facts about a person's home and service.
    pub facts: Vec<String>,
    /// Risks a protocol may record.
    pub risks: Vec<String>,
    /// Where each name was declared, by kind, for duplicate findings.
    declared: Vec<(Kind, String, Span)>,
}

impl Vocabulary {
    /// `observations [GROUP:] A, B`: declares the observations, and the group if named. An
    /// observation may belong to several groups, so naming it again is not a duplicate.
    pub fn observations(&mut self, cx: &mut Ctx<'_>, file: usize, o: &Observations) {
        let members: Vec<String> = o.names.iter().map(|n| n.name.clone()).collect();
        for m in &members {
            if !self.observations.contains(m) {
                self.observations.push(m.clone());
            }
        }
        if let Some(g) = &o.group {
            if self.once(cx, file, Kind::Observation, g) {
                let mut unique = Vec::new();
                for m in members {
                    if !unique.contains(&m) {
                        unique.push(m);
                    }
                }
                self.groups.push(Group {
                    name: g.name.clone(),
                    members: unique,
                });
            }
        }
    }

    /// `red_flags A, B`: each is an observation (declared here), or a group whose members
    /// are all red flags.
    /// A red flag no `observations` line names, but spelt like one that does, is warned of
    /// (W007): a misspelt red flag would quietly leave the real observation without the
    /// emergency override.
    pub fn red_flags(&mut self, cx: &mut Ctx<'_>, file: usize, r: &RedFlags) {
        for f in &r.flags {
            let members = match self.groups.iter().find(|g| g.name == f.name) {
                Some(g) => g.members.clone(),
                None => {
                    if !self.observations.contains(&f.name) {
                        self.near_miss(cx, file, f);
                        self.observations.push(f.name.clone());
                    }
                    vec![f.name.clone()]
                }
            };
            for m in members {
                if !self.red_flags.contains(&m) {
                    self.red_flags.push(m);
                }
            }
        }
    }

    /// Warn (W007) when red flag `f`, new to the vocabulary, is spelt like an observation or
    /// group already declared.
    fn near_miss(&self, cx: &mut Ctx<'_>, file: usize, f: &Ident) {
        let known = self
            .observations
            .iter()
            .chain(self.groups.iter().map(|g| &g.name))
            .map(|s| s.as_str());
        let Some(close) = did_you_mean(&f.name, known) else {
            return;
        };
        cx.report(Diagnostic::new(
            Code::RedFlagLikeObservation,
            file,
            f.span,
            format!(
                "red flag `{}` is not an observation declared elsewhere, but `{close}` is",
                f.name
            ),
            "a new observation, spelt like another",
            format!(
                "if `{close}` is meant, write it here: as written, recording `{close}` would not call anyone"
            ),
        ));
    }

    /// `communication NEED "Display" [rules out METHODS [in CALENDAR]]`.
    pub fn need(
        &mut self,
        cx: &mut Ctx<'_>,
        file: usize,
        calendars: &Table<CalendarId>,
        n: &CommunicationNeed,
    ) {
        if !self.once(cx, file, Kind::Need, &n.name) {
            return;
        }
        let rules_out = n
            .rules_out
            .iter()
            .filter_map(|m| word::<Method>(cx, file, m))
            .collect();
        // An unknown calendar is reported (and the rule set is then not built), so it never
        // silently widens into "at all times" or narrows into "never".
        let window = n.window.as_ref().and_then(|c| {
            Some((
                cx.ok(calendars.lookup(&c.name, file, c.span))?,
                c.name.clone(),
            ))
        });
        self.needs.push(Need {
            name: n.name.name.clone(),
            display: n
                .display
                .as_ref()
                .map_or_else(|| n.name.name.replace('_', " "), |d| d.value.clone()),
            rules_out,
            window,
        });
    }

    /// `results [FAMILY:] A, B`: declares the results, and the family if named. A result
    /// already in another family is refused (E004): its runs would be counted twice.
    pub fn results(&mut self, cx: &mut Ctx<'_>, file: usize, r: &Results) {
        let mut members = Vec::new();
        for n in &r.names {
            if self.once(cx, file, Kind::Result, n) {
                self.results.push(n.name.clone());
                members.push(n.name.clone());
            }
        }
        let Some(family) = &r.family else { return };
        if self.results.contains(&family.name)
            || self.result_families.iter().any(|f| f.name == family.name)
        {
            cx.report(Diagnostic::new(
                Code::Duplicate,
                file,
                family.span,
                format!(
                    "`{}` is already a result or a family of results",
                    family.name
                ),
                "declared again here",
                "give the family a name of its own, such as `risk_level`",
            ));
            return;
        }
        self.result_families.push(Group {
            name: family.name.clone(),
            members,
        });
    }

    /// The results a run of `result` is counted among: its family, or (in none) every
    /// result in no family.
    pub fn family_of(&self, result: &str) -> Vec<String> {
        match self
            .result_families
            .iter()
            .find(|f| f.members.iter().any(|m| m == result))
        {
            Some(f) => f.members.clone(),
            None => self
                .results
                .iter()
                .filter(|r| !self.result_families.iter().any(|f| f.members.contains(r)))
                .cloned()
                .collect(),
        }
    }

    /// What a governance count may name among the results: a result (itself), or a family
    /// (its members); `None`, without a report, if it is neither.
    pub fn results_named(&self, name: &str) -> Option<Vec<String>> {
        if self.results.iter().any(|r| r == name) {
            return Some(vec![name.to_string()]);
        }
        let family = self.result_families.iter().find(|f| f.name == name)?;
        Some(family.members.clone())
    }

    /// `facts A, B`.
    pub fn facts(&mut self, cx: &mut Ctx<'_>, file: usize, w: &WordList) {
        for n in &w.names {
            if self.once(cx, file, Kind::Fact, n) {
                self.facts.push(n.name.clone());
            }
        }
    }

    /// `risks A, B`.
    pub fn risks(&mut self, cx: &mut Ctx<'_>, file: usize, w: &WordList) {
        for n in &w.names {
            if self.once(cx, file, Kind::Risk, n) {
                self.risks.push(n.name.clone());
            }
        }
    }

    /// Once every line is read: a group may not share its name with an observation, nor a
    /// family of results with a result, or the name would mean two things.
    pub fn finish(&self, cx: &mut Ctx<'_>, file: usize) {
        for f in &self.result_families {
            if self.results.contains(&f.name) {
                let span = self
                    .declared
                    .iter()
                    .find(|(k, n, _)| *k == Kind::Result && *n == f.name)
                    .map_or(Span::new(0, 0), |d| d.2);
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    span,
                    format!("`{}` is both a family of results and a result", f.name),
                    "result declared here",
                    "give the family a name of its own, such as `risk_level`",
                ));
            }
        }
        for g in &self.groups {
            if self.observations.contains(&g.name) {
                let span = self
                    .declared
                    .iter()
                    .find(|(k, n, _)| *k == Kind::Observation && *n == g.name)
                    .map_or(Span::new(0, 0), |d| d.2);
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    span,
                    format!(
                        "`{}` is both a group of observations and an observation",
                        g.name
                    ),
                    "group declared here",
                    "give the group a name of its own, such as `signs_of_occupancy`",
                ));
            }
        }
    }

    /// True the first time `name` of `kind` is declared; later times are E004.
    fn once(&mut self, cx: &mut Ctx<'_>, file: usize, kind: Kind, name: &Ident) -> bool {
        let span: Span = name.span.into();
        if let Some((_, _, first)) = self
            .declared
            .iter()
            .find(|(k, n, _)| *k == kind && *n == name.name)
        {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    file,
                    span,
                    format!("{} `{}` is declared twice", kind.what(), name.name),
                    "declared again here",
                    "declare each name once",
                )
                .with(file, *first, "first declared here"),
            );
            return false;
        }
        self.declared.push((kind, name.name.clone(), span));
        true
    }

    /// An observation or a group, as `check` and `observed` name it; E028 if undeclared.
    pub fn observation(&self, cx: &mut Ctx<'_>, file: usize, name: &Ident) -> bool {
        let known = self.observations.contains(&name.name)
            || self.groups.iter().any(|g| g.name == name.name);
        if !known {
            let names = self
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .chain(self.observations.iter().map(String::as_str));
            cx.report(undeclared(Kind::Observation, name, file, names));
        }
        known
    }

    /// The communication need called `name`; E028 if undeclared.
    pub fn find_need(&self, cx: &mut Ctx<'_>, file: usize, name: &Ident) -> Option<&Need> {
        let found = self.needs.iter().find(|n| n.name == name.name);
        if found.is_none() {
            let names = self.needs.iter().map(|n| n.name.as_str());
            cx.report(undeclared(Kind::Need, name, file, names));
        }
        found
    }

    /// True if `name` is a declared result, fact or risk (`kind`); E028 if not.
    pub fn declares(&self, cx: &mut Ctx<'_>, file: usize, kind: Kind, name: &Ident) -> bool {
        let list: &[String] = match kind {
            Kind::Result => &self.results,
            Kind::Fact => &self.facts,
            Kind::Risk => &self.risks,
            // Observations and needs have their own lookups, which know groups and rules.
            Kind::Observation | Kind::Need => &[],
        };
        let known = list.contains(&name.name);
        if !known {
            cx.report(undeclared(
                kind,
                name,
                file,
                list.iter().map(String::as_str),
            ));
        }
        known
    }
}

/// E028: `name` is not in the framework's vocabulary of `kind`.
fn undeclared<'a>(
    kind: Kind,
    name: &Ident,
    file: usize,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let what = kind.what();
    let help = match did_you_mean(&name.name, names.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let all: Vec<&str> = names.collect();
            let declare = kind.declare(&name.name);
            if all.is_empty() {
                format!(
                    "the framework declares no {what}s, so none can be used; declare it there first: `{declare}`"
                )
            } else {
                let shown: Vec<&str> = all.iter().take(12).copied().collect();
                let more = if all.len() > shown.len() { ", ..." } else { "" };
                format!(
                    "the framework declares: {}{more}; if `{}` is meant, declare it there: `{declare}`",
                    shown.join(", "),
                    name.name
                )
            }
        }
    };
    Diagnostic::new(
        Code::UndeclaredWord,
        file,
        name.span,
        format!("`{}` is not {} the framework declares", name.name, kind.a()),
        format!("undeclared {what}"),
        help,
    )
}
