//! Stage two: syntax trees to checked rule sets, with every finding in every file.
//!
//! [`check`] parses each source, groups protocols under their framework (by name and
//! version), checks each framework once and each protocol against it, merges every protocol
//! into its person's effective pathways, and builds one [`RuleSet`] per framework whose files
//! have no errors. Findings never stop the run: all of them are collected.

mod clock_change;
mod conditions;
pub mod diagnostic;
mod framework;
mod literals;
mod person;
mod policy;
mod steps;
mod table;

use std::collections::{BTreeMap, HashMap};

pub use diagnostic::{Code, Diagnostic, Label, Severity};

use crate::rules::{
    GovRuleDef, Interner, MetricDef, Origin, PathwayDef, PersonRules, RoleDef, RuleSet, TriggerKind,
};
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::{Document, Head, Item, Metric, Pathway, StepClause};
use conditions::CondX;
use framework::FrameworkScope;
use person::PersonScope;
use steps::{StepCx, StepSrc, Usage};
use table::unknown;

/// What checking a set of sources produced.
#[derive(Debug)]
pub struct Checked {
    /// One rule set per framework whose files are free of errors.
    pub rulesets: Vec<RuleSet>,
    /// Every finding, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// How many frameworks were read.
    pub frameworks: usize,
    /// How many protocols were read.
    pub protocols: usize,
}

impl Checked {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Shared state while checking: the sources, the findings so far, interned names.
pub struct Ctx<'s> {
    sources: &'s [Source],
    diagnostics: Vec<Diagnostic>,
    muted: Option<usize>,
    symbols: Interner,
    fates: HashMap<(String, u32, u32), crate::time::Fate>,
}

impl<'s> Ctx<'s> {
    fn new(sources: &'s [Source]) -> Self {
        Ctx {
            sources,
            diagnostics: Vec::new(),
            muted: None,
            symbols: Interner::default(),
            fates: HashMap::new(),
        }
    }

    /// Record a finding (unless findings in its file are muted: a framework's steps are
    /// checked once, not again for every protocol that inherits them).
    pub fn report(&mut self, d: Diagnostic) {
        // Span equality ignores position by design, so compare places explicitly: the same
        // finding at two places is two findings.
        let same = |e: &Diagnostic| {
            e.code == d.code
                && e.file == d.file
                && (e.span.start, e.span.end) == (d.span.start, d.span.end)
                && e.message == d.message
        };
        if self.muted != Some(d.file) && !self.diagnostics.iter().any(same) {
            self.diagnostics.push(d);
        }
    }

    /// The value, or report the finding and give `None`.
    pub fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(d) => {
                self.report(d);
                None
            }
        }
    }

    /// The text a span covers, with line breaks and runs of spaces folded.
    pub fn slice(&self, file: usize, span: Span) -> String {
        let text = self.sources.get(file).map_or("", |s| s.slice(span));
        let text = text.strip_prefix("when").unwrap_or(text);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Where a span is, for provenance.
    pub fn origin(&self, file: usize, span: Span) -> Origin {
        let (name, (line, column)) = match self.sources.get(file) {
            Some(s) => (s.name().to_string(), s.line_col(span.start)),
            None => (String::new(), (0, 0)),
        };
        Origin {
            file: name,
            line,
            column,
            span,
            source: file,
        }
    }

    fn errors_in(&self, files: &[usize]) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error && files.contains(&d.file))
    }
}

/// Items a framework may hold and a protocol may not, and the reverse.
fn misplaced(item: &Item, in_framework: bool) -> bool {
    let framework_only = matches!(
        item,
        Item::Timezone(_)
            | Item::BankHolidays(_)
            | Item::Immediately(..)
            | Item::Role(_)
            | Item::Alias(_)
            | Item::Calendar(_)
            | Item::Agency(_)
            | Item::Log(_)
            | Item::RedFlags(_)
            | Item::Floors(..)
            | Item::Governance(_)
    );
    let protocol_only = matches!(
        item,
        Item::Person(..)
            | Item::Methods(_)
            | Item::Contact(_)
            | Item::Visit(_)
            | Item::Absence(_)
            | Item::Exception(_)
    );
    (in_framework && protocol_only) || (!in_framework && framework_only)
}

/// Check every source together: frameworks and the protocols written under them.
///
/// ```
/// use vigil::{check::check, Source};
/// let fw = Source::new("fw.vigil", r#"framework "Acme" version 1 { role lead "Lead" }"#);
/// let checked = check(&[fw]);
/// // A framework with no emergency override is an error (E016).
/// assert!(checked.diagnostics.iter().any(|d| d.code.as_str() == "E016"));
/// ```
pub fn check(sources: &[Source]) -> Checked {
    let mut cx = Ctx::new(sources);
    let mut docs: Vec<(usize, Document)> = Vec::new();
    for (file, src) in sources.iter().enumerate() {
        let parsed = crate::syntax::parse(src.text());
        for e in parsed.errors {
            let mut help = match e.context {
                Some(c) => format!("the problem is in {c}; see docs/language.md for its form"),
                None => "see docs/language.md for the form of each item".to_string(),
            };
            if e.found == crate::syntax::Found::EndOfFile {
                help = if src.text().trim().is_empty() {
                    "the file is empty: a document starts `framework \"Name\" version 1 {` or `protocol \"ID\" under \"Framework\" version 1 {`".into()
                } else {
                    "the file ends too early: is a `}` or a closing quote missing?".into()
                };
            }
            cx.report(Diagnostic::new(
                Code::Syntax,
                file,
                e.span,
                e.message(),
                "unexpected here",
                help,
            ));
        }
        if let Some(mut doc) = parsed.document {
            let in_framework = matches!(doc.head, Head::Framework { .. });
            doc.items.retain(|item| {
                if misplaced(item, in_framework) {
                    let (here, there) = if in_framework {
                        ("a framework", "the person's protocol")
                    } else {
                        ("a protocol", "the provider's framework")
                    };
                    cx.report(Diagnostic::new(
                        Code::Misplaced,
                        file,
                        item.span(),
                        format!("`{}` does not belong in {here}", item.keyword()),
                        "misplaced item",
                        format!("move it to {there}"),
                    ));
                    false
                } else {
                    true
                }
            });
            docs.push((file, doc));
        }
    }

    let frameworks: Vec<&(usize, Document)> = docs
        .iter()
        .filter(|(_, d)| matches!(d.head, Head::Framework { .. }))
        .collect();
    let protocols: Vec<&(usize, Document)> = docs
        .iter()
        .filter(|(_, d)| matches!(d.head, Head::Protocol { .. }))
        .collect();

    // Group protocols under frameworks by (name, version).
    let mut by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut unique_frameworks = Vec::new();
    for (file, doc) in &frameworks {
        if let Head::Framework {
            name,
            version,
            span,
        } = &doc.head
        {
            let key = (name.value.clone(), version.text.clone());
            if let Some(&first) = by_key.get(&key) {
                cx.report(
                    Diagnostic::new(
                        Code::DuplicateDocument,
                        *file,
                        *span,
                        format!(
                            "framework `{}` version {} is declared in two files",
                            name.value, version.text
                        ),
                        "declared again here",
                        "keep one copy of each framework version among the files checked",
                    )
                    .with(
                        first,
                        frameworks
                            .iter()
                            .find(|(f, _)| *f == first)
                            .map_or(*span, |(_, d)| d.head.span()),
                        "first declared here",
                    ),
                );
                continue;
            }
            by_key.insert(key, *file);
            unique_frameworks.push((*file, doc));
        }
    }

    let mut grouped: BTreeMap<usize, Vec<(usize, &Document)>> = BTreeMap::new();
    let mut seen_people: HashMap<(usize, String), usize> = HashMap::new();
    for (file, doc) in &protocols {
        let Head::Protocol {
            person,
            framework,
            version,
            span,
        } = &doc.head
        else {
            continue;
        };
        let key = (framework.value.clone(), version.text.clone());
        let Some(&fw_file) = by_key.get(&key) else {
            let versions: Vec<&str> = by_key
                .keys()
                .filter(|(n, _)| *n == framework.value)
                .map(|(_, v)| v.as_str())
                .collect();
            if versions.is_empty() {
                let names: Vec<&str> = by_key.keys().map(|(n, _)| n.as_str()).collect();
                let help = match diagnostic::did_you_mean(&framework.value, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if names.is_empty() => {
                        "no framework was found among the files given; check the framework file too, for example `vigil check protocols/`".into()
                    }
                    None => format!("frameworks found: {}", names.join(", ")),
                };
                cx.report(Diagnostic::new(
                    Code::MissingFramework,
                    *file,
                    framework.span,
                    format!(
                        "framework `{}` is not among the files checked",
                        framework.value
                    ),
                    "no such framework",
                    help,
                ));
            } else {
                cx.report(Diagnostic::new(
                    Code::FrameworkVersion,
                    *file,
                    version.span,
                    format!(
                        "framework `{}` has no version {}",
                        framework.value, version.text
                    ),
                    "version not found",
                    match diagnostic::did_you_mean(&version.text, versions.iter().copied()) {
                        Some(v) => format!("did you mean version {v}?"),
                        None => format!(
                            "versions available: {}; review the protocol against the new version, then update this line",
                            versions.join(", ")
                        ),
                    },
                ));
            }
            continue;
        };
        if let Some(&first) = seen_people.get(&(fw_file, person.value.clone())) {
            let first_span = protocols
                .iter()
                .find(|(f, _)| *f == first)
                .map_or(*span, |(_, d)| d.head.span());
            cx.report(
                Diagnostic::new(
                    Code::DuplicateDocument,
                    *file,
                    person.span,
                    format!("person `{}` has two protocols", person.value),
                    "second protocol",
                    "each person has one protocol under a framework; merge the two",
                )
                .with(first, first_span, "first protocol"),
            );
            continue;
        }
        seen_people.insert((fw_file, person.value.clone()), *file);
        grouped.entry(fw_file).or_default().push((*file, doc));
    }

    let mut rulesets = Vec::new();
    for (fw_file, fw_doc) in unique_frameworks {
        let people = grouped.remove(&fw_file).unwrap_or_default();
        if let Some(rs) = check_group(&mut cx, fw_file, fw_doc, &people) {
            rulesets.push(rs);
        }
    }

    let mut diagnostics = cx.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start, a.code, &a.message).cmp(&(b.file, b.span.start, b.code, &b.message))
    });
    Checked {
        rulesets,
        diagnostics,
        frameworks: frameworks.len(),
        protocols: protocols.len(),
    }
}

fn check_group(
    cx: &mut Ctx<'_>,
    fw_file: usize,
    fw_doc: &Document,
    people: &[(usize, &Document)],
) -> Option<RuleSet> {
    let fw = FrameworkScope::build(cx, fw_file, fw_doc)?;
    let mut usage = Usage::default();

    // The framework's own ladders, as a person with no protocol gets them.
    let mut base: Vec<PathwayDef> = Vec::new();
    for p in &fw.pathways {
        if let Some((def, complete)) = compile_pathway(cx, &fw, None, &mut usage, p, None) {
            if complete {
                policy::ladder(cx, &fw, &def, None);
            }
            base.push(def);
        }
    }
    policy::emergency_override(cx, &fw);
    let governance = compile_governance(cx, &fw, &mut usage, &base);

    let mut persons = Vec::new();
    for (file, doc) in people {
        let Some(p) = PersonScope::build(cx, &fw, *file, doc) else {
            continue;
        };
        usage.contacts.clear();
        let pathways = person_pathways(cx, &fw, &p, &mut usage, &base);
        policy::person(cx, &p, &pathways);
        for (c, (def, stage_span)) in p.contact_defs.iter().enumerate() {
            if let (Some(stage), Some(span)) = (&def.from_stage, stage_span) {
                let known = fw.pathways.iter().chain(p.pathways.iter()).any(|pw| {
                    pw.stages
                        .iter()
                        .any(|s| s.name.as_ref().is_some_and(|n| &n.name == stage))
                });
                if !known {
                    let all: Vec<&str> = fw
                        .pathways
                        .iter()
                        .flat_map(|pw| pw.stages.iter())
                        .filter_map(|s| s.name.as_ref().map(|n| n.name.as_str()))
                        .collect();
                    cx.report(unknown("stage", stage, *file, *span, all));
                }
            }
            if !usage.contacts.contains(&c) {
                if let Some((cf, cs)) = p.contacts.declared_at(c) {
                    cx.report(Diagnostic::new(
                        Code::UnusedContact,
                        cf,
                        cs,
                        format!("contact `{}` is never contacted by any step", def.name),
                        "unused contact",
                        format!("add a step such as `step call_{0}: contact {0} by manager within 30m`, or remove the contact", def.name),
                    ));
                }
            }
        }
        let thresholds = person_thresholds(cx, &fw, &p);
        persons.push(PersonRules {
            id: p.id.clone(),
            origin: Some(cx.origin(*file, p.head)),
            risks: p.risks.clone(),
            capacity: p.capacity,
            communication: p.communication.clone(),
            methods: p.methods.clone(),
            contacts: p.contact_list(),
            visits: p.visit_defs.clone(),
            absences: p.absence_defs.iter().map(|(a, _)| a.clone()).collect(),
            exceptions: p.exception_defs.clone(),
            thresholds,
            pathways,
        });
    }

    // Unused roles: referenced nowhere and covering nobody.
    for (i, name) in fw.roles.names().iter().enumerate() {
        let covers_someone = fw.role_info.get(i).is_some_and(|(_, c)| !c.is_empty());
        if !usage.roles.contains(&i) && !covers_someone {
            if let Some((f, s)) = fw.roles.declared_at(i) {
                cx.report(Diagnostic::new(
                    Code::UnusedRole,
                    f,
                    s,
                    format!("role `{name}` is never given anything to do"),
                    "unused role",
                    "name it as `by` on a step or rule, or remove it",
                ));
            }
        }
    }

    let mut files = vec![fw_file];
    files.extend(people.iter().map(|(f, _)| *f));
    if cx.errors_in(&files) {
        return None;
    }
    let roles = (0..fw.roles.len())
        .map(|i| RoleDef {
            name: std::sync::Arc::from(fw.roles.names().get(i).map_or("", |s| s.as_str())),
            display: std::sync::Arc::from(fw.role_info.get(i).map_or("", |(d, _)| d.as_str())),
            covers: fw.covers_closure(i),
            origin: fw
                .roles
                .declared_at(i)
                .map_or_else(|| cx.origin(fw_file, fw.head), |(f, s)| cx.origin(f, s)),
        })
        .collect();
    let mut hash_inputs: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| cx.sources.get(*f))
        .map(|s| (s.name(), s.text()))
        .collect();
    hash_inputs.sort_unstable();
    let mut rs = RuleSet {
        framework: fw.name.clone(),
        version: fw.version.clone(),
        hash: fnv_hex(hash_inputs.iter().map(|(_, t)| *t)),
        timezone: fw.timezone,
        bank_holidays: fw.division.clone(),
        holidays: crate::time::Holidays::embedded(&fw.division)
            .unwrap_or_else(|_| crate::time::Holidays::none()),
        immediately: fw.immediately.unwrap_or(300),
        roles,
        aliases: fw.alias_defs.clone(),
        calendars: fw.calendar_defs.clone(),
        office_hours: fw.office_hours(),
        agencies: fw.agency_defs.clone(),
        logs: fw.log_defs.clone(),
        criticalities: fw.criticalities.names().to_vec(),
        red_flags: fw.red_flags.iter().map(|r| cx.symbols.intern(r)).collect(),
        floors: fw.floors.clone(),
        default_person: PersonRules {
            id: String::new(),
            origin: None,
            risks: Vec::new(),
            capacity: None,
            communication: Vec::new(),
            methods: Vec::new(),
            contacts: Vec::new(),
            visits: Vec::new(),
            absences: Vec::new(),
            exceptions: Vec::new(),
            thresholds: fw.thresholds.iter().map(|(t, _)| t.clone()).collect(),
            pathways: base,
        },
        persons,
        cycles: fw
            .cycles
            .names()
            .iter()
            .zip(&fw.cycle_times)
            .map(|(n, t)| crate::rules::CycleDef {
                name: n.clone(),
                at: t.clone(),
            })
            .collect(),
        governance,
        symbols: cx.symbols.clone(),
        origin: cx.origin(fw_file, fw.head),
    };
    rs.fill_summaries();
    Some(rs)
}

/// FNV-1a 64 over the texts, as 16 hex digits: stable across runs and platforms.
fn fnv_hex<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in texts {
        for b in t.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The steps of a pathway in order, with their stage names.
fn flatten<'a>(file: usize, p: &'a Pathway) -> Vec<StepSrc<'a>> {
    p.stages
        .iter()
        .flat_map(|s| {
            s.steps.iter().map(move |step| StepSrc {
                file,
                step,
                stage: s.name.as_ref().map(|n| n.name.clone()),
                extra: None,
                refines: None,
            })
        })
        .collect()
}

fn trigger_of(
    cx: &mut Ctx<'_>,
    file: usize,
    p: &Pathway,
) -> Option<(TriggerKind, Option<(u32, u64)>)> {
    let Some(t) = &p.trigger else {
        cx.report(Diagnostic::new(
            Code::MissingItem,
            file,
            p.name.span,
            format!("pathway `{}` has no trigger", p.name.name),
            "when does this pathway start?",
            "add `on` and an event after the name, for example `pathway no_response on no_answer { ... }`",
        ));
        return None;
    };
    let Some(kind) = TriggerKind::from_name(&t.event.name) else {
        cx.report(unknown(
            "trigger",
            &t.event.name,
            file,
            t.event.span,
            TriggerKind::ALL.iter().map(|(n, _)| *n),
        ));
        return None;
    };
    let repeat = match &t.repeat {
        Some((n, d)) => {
            let n = cx.ok(literals::count(n, file, "the repeat count"));
            let d = cx.ok(literals::duration(d, file, "the repeat window"));
            Some((n?, d?))
        }
        None => None,
    };
    Some((kind, repeat))
}

/// A framework pathway's steps with a protocol's refinements applied.
struct Merged<'a> {
    steps: Vec<StepSrc<'a>>,
    closure: Vec<StepSrc<'a>>,
    cites: Vec<String>,
    decl_file: usize,
}

/// Compile one pathway from its step sources.
fn compile_pathway(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    person: Option<&PersonScope<'_>>,
    usage: &mut Usage,
    p: &Pathway,
    merged: Option<Merged<'_>>,
) -> Option<(PathwayDef, bool)> {
    let own_file = person.map_or(fw.file, |x| x.file);
    let decl_file = merged.as_ref().map_or(own_file, |m| m.decl_file);
    let (trigger, repeat) = trigger_of(cx, decl_file, p)?;
    let (steps, closure, extra_cites) = match merged {
        Some(m) => (m.steps, m.closure, m.cites),
        None => (
            flatten(own_file, p),
            p.after_closure
                .iter()
                .map(|step| StepSrc {
                    file: own_file,
                    step,
                    stage: None,
                    extra: None,
                    refines: None,
                })
                .collect(),
            Vec::new(),
        ),
    };
    let scx = StepCx { fw, person };
    let mut names = Table2::default();
    for s in steps.iter().chain(closure.iter()) {
        names.declare(cx, s);
    }
    let (compiled, steps_ok) = scx.compile_steps(cx, usage, &steps);
    let (after_closure, closure_ok) = scx.compile_steps(cx, usage, &closure);
    let mut cites: Vec<String> = p.cites.iter().map(|c| c.value.clone()).collect();
    for c in extra_cites {
        if !cites.contains(&c) {
            cites.push(c);
        }
    }
    let mut def = PathwayDef {
        name: p.name.name.clone(),
        display: p
            .display
            .as_ref()
            .map_or_else(|| p.name.name.replace('_', " "), |d| d.value.clone()),
        trigger,
        repeat,
        steps: compiled,
        after_closure,
        cites,
        origin: cx.origin(decl_file, p.name.span),
    };
    // What decisions cite for each step: where it is written, its citations then the
    // pathway's. Shared by every obligation the step produces.
    let pathway_cites = def.cites.clone();
    for step in def.steps.iter_mut().chain(def.after_closure.iter_mut()) {
        step.provenance = std::sync::Arc::new(crate::rules::RuleRef {
            name: format!("{}.{}", def.name, step.name),
            file: step.origin.file.clone(),
            line: step.origin.line,
            column: step.origin.column,
        });
        let mut cites = step.cites.clone();
        for c in &pathway_cites {
            if !cites.contains(c) {
                cites.push(c.clone());
            }
        }
        step.all_cites = std::sync::Arc::from(cites);
    }
    Some((def, steps_ok && closure_ok))
}

/// Duplicate step names within one pathway (framework and protocol steps together).
#[derive(Default)]
struct Table2 {
    seen: Vec<(String, usize, Span)>,
}

impl Table2 {
    fn declare(&mut self, cx: &mut Ctx<'_>, s: &StepSrc<'_>) {
        let name = &s.step.name;
        if let Some((_, f, first)) = self.seen.iter().find(|(n, _, _)| *n == name.name) {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    s.file,
                    name.span,
                    format!("step `{}` is declared twice in this pathway", name.name),
                    "declared again here",
                    "give each step in a pathway its own name",
                )
                .with(*f, *first, "first declared here"),
            );
        } else {
            self.seen.push((name.name.clone(), s.file, name.span));
        }
    }
}

/// A person's effective pathways: the framework's, refined by the protocol, plus its own.
fn person_pathways(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    base: &[PathwayDef],
) -> Vec<PathwayDef> {
    let mut out = Vec::new();
    // Absence steps ("verify whereabouts first") belong to the first stage of the ladder.
    let absence_steps = |first_stage: Option<String>| -> Vec<StepSrc<'_>> {
        p.absence_defs
            .iter()
            .enumerate()
            .flat_map(|(i, (_, a))| {
                let stage = first_stage.clone();
                a.steps.iter().map(move |step| StepSrc {
                    file: p.file,
                    step,
                    stage: stage.clone(),
                    extra: Some(CondX::DuringAbsence(u16::try_from(i).unwrap_or(0))),
                    refines: None,
                })
            })
            .collect()
    };
    let mut absences_placed = p.absence_defs.iter().all(|(_, a)| a.steps.is_empty());
    for fp in &fw.pathways {
        let refinement = p.pathways.iter().find(|pp| pp.name.name == fp.name.name);
        let mut steps = flatten(fw.file, fp);
        let mut closure: Vec<StepSrc<'_>> = fp
            .after_closure
            .iter()
            .map(|step| StepSrc {
                file: fw.file,
                step,
                stage: None,
                extra: None,
                refines: None,
            })
            .collect();
        let mut cites = Vec::new();
        if let Some(pp) = refinement {
            if let (Some(pt), Some(ft)) = (&pp.trigger, &fp.trigger) {
                if pt.event.name != ft.event.name {
                    cx.report(
                        Diagnostic::new(
                            Code::Duplicate,
                            p.file,
                            pt.span,
                            format!(
                                "pathway `{}` already exists in the framework with trigger `{}`",
                                pp.name.name, ft.event.name
                            ),
                            "different trigger",
                            "to refine the framework's pathway, leave out the trigger; to add a new pathway, give it a new name",
                        )
                        .with(fw.file, ft.span, "the framework's trigger"),
                    );
                }
            }
            let fw_stages: Vec<&str> = fp
                .stages
                .iter()
                .filter_map(|s| s.name.as_ref().map(|n| n.name.as_str()))
                .collect();
            for stage in pp.stages.iter().filter_map(|s| s.name.as_ref()) {
                if !fw_stages.contains(&stage.name.as_str()) {
                    cx.report(unknown(
                        "stage",
                        &stage.name,
                        p.file,
                        stage.span,
                        fw_stages.iter().copied(),
                    ));
                }
            }
            // A step written twice in the refinement would silently replace itself.
            let mut written: Vec<&crate::syntax::ast::Ident> = Vec::new();
            for step in pp
                .stages
                .iter()
                .flat_map(|s| s.steps.iter())
                .chain(pp.after_closure.iter())
            {
                if let Some(first) = written.iter().find(|w| w.name == step.name.name) {
                    cx.report(
                        Diagnostic::new(
                            Code::Duplicate,
                            p.file,
                            step.name.span,
                            format!("step `{}` is written twice in this refinement", step.name.name),
                            "written again here",
                            "keep one: only one of the two could apply, and which was meant cannot be guessed",
                        )
                        .with(p.file, first.span, "first written here"),
                    );
                } else {
                    written.push(&step.name);
                }
            }
            for src in flatten(p.file, pp) {
                let name = &src.step.name.name;
                if let Some(pos) = steps.iter().position(|s| &s.step.name.name == name) {
                    if let Some(slot) = steps.get_mut(pos) {
                        let stage = src.stage.clone().or_else(|| slot.stage.clone());
                        *slot = StepSrc {
                            stage,
                            refines: Some((slot.file, slot.step)),
                            ..src
                        };
                    }
                } else if let Some(pos) = closure.iter().position(|s| &s.step.name.name == name) {
                    if let Some(slot) = closure.get_mut(pos) {
                        *slot = StepSrc {
                            refines: Some((slot.file, slot.step)),
                            ..src
                        };
                    }
                } else {
                    let at = src
                        .stage
                        .as_ref()
                        .and_then(|st| steps.iter().rposition(|s| s.stage.as_ref() == Some(st)))
                        .map_or(steps.len(), |i| i + 1);
                    steps.insert(at, src);
                }
            }
            for step in &pp.after_closure {
                let src = StepSrc {
                    file: p.file,
                    step,
                    stage: None,
                    extra: None,
                    refines: None,
                };
                match closure
                    .iter()
                    .position(|s| s.step.name.name == step.name.name)
                {
                    Some(pos) => {
                        if let Some(slot) = closure.get_mut(pos) {
                            *slot = StepSrc {
                                refines: Some((slot.file, slot.step)),
                                ..src
                            };
                        }
                    }
                    None => closure.push(src),
                }
            }
            cites.extend(pp.cites.iter().map(|c| c.value.clone()));
        }
        let is_no_answer = fp
            .trigger
            .as_ref()
            .is_some_and(|t| t.event.name == "no_answer");
        if is_no_answer {
            let first = fp
                .stages
                .first()
                .and_then(|s| s.name.as_ref())
                .map(|n| n.name.clone());
            steps.extend(absence_steps(first));
            absences_placed = true;
        }
        // The framework's own findings were reported once already; mute its file here.
        cx.muted = Some(fw.file);
        let compiled = compile_pathway(
            cx,
            fw,
            Some(p),
            usage,
            fp,
            Some(Merged {
                steps,
                closure,
                cites,
                decl_file: fw.file,
            }),
        );
        cx.muted = None;
        if let Some((mut pw, complete)) = compiled {
            if let Some(pp) = refinement {
                pw.origin = cx.origin(p.file, pp.name.span);
            }
            if complete {
                let base_pw = base.iter().find(|b| b.name == pw.name);
                policy::ladder(cx, fw, &pw, base_pw);
            }
            out.push(pw);
        }
    }
    if !absences_placed {
        if let Some((_, a)) = p.absence_defs.iter().find(|(_, a)| !a.steps.is_empty()) {
            cx.report(Diagnostic::new(
                Code::MissingItem,
                p.file,
                a.name.span,
                format!(
                    "absence `{}` has steps, but the framework has no `no_answer` pathway for them",
                    a.name.name
                ),
                "nowhere to put these steps",
                "add a pathway `on no_answer` to the framework",
            ));
        }
    }
    for pp in &p.pathways {
        if fw.pathways.iter().any(|fp| fp.name.name == pp.name.name) {
            continue;
        }
        if pp.trigger.is_none() {
            cx.report(unknown(
                "pathway",
                &pp.name.name,
                p.file,
                pp.name.span,
                fw.pathways.iter().map(|fp| fp.name.name.as_str()),
            ));
            continue;
        }
        if let Some((pw, complete)) = compile_pathway(cx, fw, Some(p), usage, pp, None) {
            if complete {
                policy::ladder(cx, fw, &pw, None);
            }
            out.push(pw);
        }
    }
    out
}

/// The framework's thresholds with the person's overrides, laxer ones reported.
fn person_thresholds(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
) -> Vec<crate::rules::ThresholdDef> {
    let mut out = Vec::new();
    for (base, base_syntax) in &fw.thresholds {
        let Some(t) = p
            .thresholds
            .iter()
            .find(|t| t.criticality.name == base.criticality)
        else {
            out.push(base.clone());
            continue;
        };
        let Some(mut def) = framework::threshold(cx, p.file, t) else {
            out.push(base.clone());
            continue;
        };
        let ooh = |d: &crate::rules::ThresholdDef| d.out_of_hours.unwrap_or((d.late, d.missed));
        // Counting from the planned end waits longer than counting from the planned start.
        let later_anchor = def.anchor == crate::syntax::ast::ThresholdAnchor::PlannedEnd
            && base.anchor == crate::syntax::ast::ThresholdAnchor::PlannedStart;
        let laxer = later_anchor
            || def.late > base.late
            || def.missed > base.missed
            || ooh(&def).0 > ooh(base).0
            || ooh(&def).1 > ooh(base).1;
        if laxer {
            let message = format!(
                "this person's `{}` visits are late after {} and missed after {}, laxer than the framework's {} and {}",
                base.criticality,
                crate::render::duration_words(def.late),
                crate::render::duration_words(def.missed),
                crate::render::duration_words(base.late),
                crate::render::duration_words(base.missed)
            );
            let d = match t.because.as_ref().filter(|b| !b.value.trim().is_empty()) {
                Some(why) => Diagnostic::new(
                    Code::JustifiedOverride,
                    p.file,
                    t.span,
                    message,
                    "laxer, with a recorded justification",
                    format!(
                        "accepted because: \"{}\"; review it at the next protocol review",
                        why.value
                    ),
                ),
                None => Diagnostic::new(
                    Code::LaxerThanFloor,
                    p.file,
                    t.span,
                    message,
                    "laxer than the framework",
                    "make the override at least as strict, or record why with `because \"...\"`",
                ),
            };
            cx.report(d.with(fw.file, base_syntax.span, "the framework's threshold"));
        }
        if def.out_of_hours.is_none() {
            def.out_of_hours = base
                .out_of_hours
                .map(|(l, m)| (l.min(def.late), m.min(def.missed)));
        }
        def.because = t.because.as_ref().map(|b| b.value.clone());
        def.cites = base.cites.iter().cloned().chain(def.cites).collect();
        out.push(def);
    }
    out
}

fn compile_governance(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
    base: &[PathwayDef],
) -> Vec<GovRuleDef> {
    let file = fw.file;
    let scx = StepCx { fw, person: None };
    let mut out = Vec::new();
    let mut names = table::Table::new("governance rule");
    for r in &fw.gov_rules {
        if cx
            .ok(names.declare(&r.name.name, file, r.name.span))
            .is_none()
        {
            continue;
        }
        let per = |cx: &mut Ctx<'_>, per: &Option<crate::syntax::ast::Ident>| {
            let name = per.as_ref().map_or("person", |p| p.name.as_str());
            if !["person", "route", "location", "provider"].contains(&name) {
                if let Some(p) = per {
                    cx.report(unknown(
                        "grouping",
                        name,
                        file,
                        p.span,
                        ["person", "route", "location", "provider"],
                    ));
                }
                return None;
            }
            Some(cx.symbols.intern(name))
        };
        let trigger = |cx: &mut Ctx<'_>, e: &crate::syntax::ast::Ident| {
            let t = TriggerKind::from_name(&e.name);
            if t.is_none() {
                cx.report(unknown(
                    "trigger",
                    &e.name,
                    file,
                    e.span,
                    TriggerKind::ALL.iter().map(|(n, _)| *n),
                ));
            }
            t
        };
        let metric = match &r.metric {
            Metric::Count {
                event,
                at_least,
                cycle,
                per: p,
                ..
            } => {
                let t = trigger(cx, event);
                let n = cx.ok(literals::count(at_least, file, "the count"));
                let c = cx.ok(fw.cycles.lookup(&cycle.name, file, cycle.span));
                let g = per(cx, p);
                match (t, n, c, g) {
                    (Some(trigger), Some(at_least), Some(c), Some(per)) => Some(MetricDef::Count {
                        trigger,
                        at_least,
                        cycle: u16::try_from(c).unwrap_or(0),
                        per,
                    }),
                    _ => None,
                }
            }
            Metric::UnresolvedBeyondSameDay { per: p, .. } => {
                per(cx, p).map(|per| MetricDef::UnresolvedBeyondSameDay { per })
            }
            Metric::Consecutive {
                count,
                what,
                per: p,
                ..
            } => {
                let n = cx.ok(literals::count(count, file, "the count"));
                let g = per(cx, p);
                match (n, g) {
                    (Some(count), Some(per)) => Some(MetricDef::Consecutive {
                        count,
                        what: cx.symbols.intern(&what.name),
                        per,
                    }),
                    _ => None,
                }
            }
            Metric::Without {
                event,
                criticality,
                step,
                within,
                ..
            } => {
                let t = trigger(cx, event);
                let c = cx.ok(fw
                    .criticalities
                    .lookup(&criticality.name, file, criticality.span));
                let d = cx.ok(literals::duration(within, file, "the time allowed"));
                let step_known = base
                    .iter()
                    .any(|p| Some(p.trigger) == t && p.steps.iter().any(|s| s.name == step.name));
                if t.is_some() && !step_known {
                    let candidates: Vec<&str> = base
                        .iter()
                        .filter(|p| Some(p.trigger) == t)
                        .flat_map(|p| p.steps.iter().map(|s| s.name.as_str()))
                        .collect();
                    cx.report(unknown("step", &step.name, file, step.span, candidates));
                }
                match (t, c, d, step_known) {
                    (Some(trigger), Some(c), Some(within), true) => Some(MetricDef::Without {
                        trigger,
                        criticality: crate::rules::CriticalityId(u16::try_from(c).unwrap_or(0)),
                        step: step.name.clone(),
                        within,
                    }),
                    _ => None,
                }
            }
        };
        let mut role = None;
        let mut deadline = None;
        let mut cites = Vec::new();
        for c in &r.clauses {
            match c {
                StepClause::Role(who) => {
                    if role.is_some() {
                        cx.report(Diagnostic::new(
                            Code::BadClause,
                            file,
                            who.span,
                            format!("rule `{}` names two roles", r.name.name),
                            "repeated clause",
                            "give the rule one responsible role",
                        ));
                    }
                    role = scx.responsible(cx, usage, file, who);
                }
                StepClause::Deadline(d) => deadline = scx.deadline(cx, file, d, usize::MAX, &[]),
                StepClause::Cite(s) => cites.push(s.value.clone()),
                other => cx.report(Diagnostic::new(
                    Code::BadClause,
                    file,
                    other.span(),
                    format!("governance rule `{}` cannot take this clause", r.name.name),
                    "not allowed on a governance rule",
                    "a governance rule takes `by ROLE`, a deadline and `cite`",
                )),
            }
        }
        if !r.clauses.iter().any(|c| matches!(c, StepClause::Role(_))) {
            cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                r.name.span,
                format!("governance rule `{}` has no responsible role", r.name.name),
                "who must act?",
                "add `by` and a role, for example `by registered_manager`",
            ));
        }
        let action = scx.action(cx, usage, file, &r.action);
        if let (Some(metric), Some(responsible), Some(action)) = (metric, role, action) {
            out.push(GovRuleDef {
                name: r.name.name.clone(),
                metric,
                action,
                responsible,
                deadline,
                cites,
                origin: cx.origin(file, r.span),
            });
        }
    }
    out
}
