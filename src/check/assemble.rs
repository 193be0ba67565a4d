//! Assembling one framework and its protocols into a rule set.

use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::governance::compile_governance;
use super::pathways::{compile_pathway, Compiled};
use super::person::PersonScope;
use super::refine::person_pathways;
use super::steps::Usage;
use super::table::{unknown, Table};
use super::{framework, policy, Ctx};
use crate::rules::{
    CriticalityId, PathwayDef, PersonRules, RoleDef, RuleSet, RuledOut, ThresholdDef,
};
use crate::syntax::ast::Document;

/// Check one framework and the protocols written under it, and build their rule set if none
/// of their files has an error.
pub(super) fn check_group(
    cx: &mut Ctx<'_>,
    fw_file: usize,
    fw_doc: &Document,
    people: &[(usize, &Document)],
) -> Option<RuleSet> {
    let fw = FrameworkScope::build(cx, fw_file, fw_doc)?;
    let mut usage = Usage::default();
    let base = framework_pathways(cx, &fw, &mut usage);
    let required = super::floors::required(cx, &fw);
    super::floors::framework(cx, &fw, &required, &base);
    let governance = compile_governance(cx, &fw, &mut usage);
    let persons: Vec<PersonRules> = people
        .iter()
        .filter_map(|(file, doc)| person(cx, &fw, &mut usage, (&base, &required), *file, doc))
        .collect();
    unused_roles(cx, &fw, &usage);
    let mut files = vec![fw_file];
    files.extend(people.iter().map(|(f, _)| *f));
    if cx.errors_in(&files) {
        return None;
    }
    Some(build(cx, &fw, &files, base, persons, governance))
}

/// The framework's own ladders, as a person with no protocol gets them.
fn framework_pathways(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
) -> Vec<PathwayDef> {
    let mut base = Vec::new();
    for p in &fw.pathways {
        if let Some(Compiled::Complete(def)) = compile_pathway(cx, fw, None, usage, p, None) {
            policy::ladder(cx, fw, &def, None);
            base.push(*def);
        }
    }
    across_pathways(cx, fw, usage, &base, (fw.file, true));
    base
}

/// One person's effective rules, with every finding about their protocol reported.
fn person(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
    (base, required): (&[PathwayDef], &[super::floors::Required]),
    file: usize,
    doc: &Document,
) -> Option<PersonRules> {
    let p = PersonScope::build(cx, fw, file, doc)?;
    usage.contacts.clear();
    cx.person = Some((file, p.head));
    let rules = person_rules(cx, fw, usage, (base, required), &p);
    cx.person = None;
    rules
}

/// One person's effective rules from their protocol's scope (see [`person`]).
fn person_rules(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
    (base, required): (&[PathwayDef], &[super::floors::Required]),
    p: &PersonScope<'_>,
) -> Option<PersonRules> {
    let file = p.file;
    let (pathways, partial) = person_pathways(cx, fw, p, usage, base);
    across_pathways(cx, fw, usage, &pathways, (file, false));
    let exceptions = exceptions(cx, fw, p, usage, &pathways);
    excepted_ladders(cx, fw, required, &pathways, &exceptions);
    // The ladders an agreed exception runs in its window are the person's ladders too: the
    // same phone, stage and basis checks hold for them.
    let ladders: Vec<&[crate::rules::StepDef]> = pathways
        .iter()
        .map(|pw| &pw.steps[..])
        .chain(partial.iter().map(|steps| &steps[..]))
        .chain(
            exceptions
                .iter()
                .flat_map(|x| x.changes.iter())
                .filter_map(|c| c.ladder.as_ref().map(|l| &l.steps[..])),
        )
        .collect();
    policy::person(cx, fw, p, &ladders);
    let listed = p.contact_list();
    let protocol = super::classes::Protocol {
        file: p.file,
        head: p.head,
        contacts: &listed,
    };
    super::classes::empty_cascades(cx, fw, &protocol, &ladders);
    super::classes::minimums(cx, fw, &protocol);
    let contacts_lent = super::standing::Contacts {
        file: p.file,
        head: p.head,
        capacity: p.capacity,
        defs: &p.contact_defs,
        basis_spans: &p.basis_spans,
    };
    super::standing::used_without_standing(cx, &contacts_lent, &ladders);
    contacts(cx, fw, p, usage);
    let thresholds = person_thresholds(cx, fw, p);
    visits_with_an_end(cx, file, &p.visit_defs, &thresholds, &fw.criticalities);
    Some(PersonRules {
        id: p.id.clone(),
        origin: Some(cx.origin(file, p.head)),
        risks: p.risks.clone(),
        capacity: p.capacity,
        communication: p.communication.clone(),
        has: p.has.clone(),
        ruled_out: p
            .needs
            .iter()
            .flat_map(|n| {
                n.rules_out.iter().map(|m| RuledOut {
                    method: *m,
                    need: n.name.clone(),
                    window: n.window.as_ref().map(|(c, _)| *c),
                })
            })
            .collect(),
        methods: p.methods.clone(),
        contacts: p.contact_list(),
        visits: p.visit_defs.clone(),
        absences: p.absence_defs.iter().map(|(a, _)| a.clone()).collect(),
        exceptions,
        thresholds,
        pathways,
    })
}

/// The floors on the person's ladders and on each ladder an agreed exception changes, and
/// out-of-hours parity with each changed ladder standing, in its window, beside the person's
/// other pathways.
fn excepted_ladders(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    required: &[super::floors::Required],
    pathways: &[PathwayDef],
    exceptions: &[crate::rules::ExceptionDef],
) {
    let changed = exceptions
        .iter()
        .flat_map(|x| x.changes.iter())
        .filter_map(|c| c.ladder.as_ref());
    for ladder in changed.clone() {
        let beside: Vec<PathwayDef> = pathways
            .iter()
            .map(|q| if q.name == ladder.name { ladder } else { q })
            .cloned()
            .collect();
        policy::pathway_parity(cx, fw, &beside);
    }
    super::floors::ladders(cx, fw, required, pathways, pathways.iter().chain(changed));
}

/// The person's agreed exceptions, each with the pathways it changes compiled. A protocol with
/// errors of its own is not compiled again for its exceptions' windows: its findings would
/// only be reported twice.
fn exceptions(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    pathways: &[PathwayDef],
) -> Vec<crate::rules::ExceptionDef> {
    let mut out = p.exception_defs.clone();
    super::exceptions::overlapping(cx, p.file, &out, &p.exception_syntax);
    if !cx.errors_in(&[p.file]) {
        let changes = super::exceptions::changes(cx, fw, p, usage, pathways);
        for (x, c) in out.iter_mut().zip(changes) {
            x.changes = c;
        }
    }
    out
}

/// Each contact's `from stage` names a stage some ladder has, and each contact is used.
fn contacts(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, p: &PersonScope<'_>, usage: &Usage) {
    for ((c, _), (def, stage_span)) in p.contacts.iter().zip(&p.contact_defs) {
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
                cx.report(unknown("stage", stage, p.file, *span, all));
            }
        }
        // Named in an exception's replacement step, or through a class it is in.
        let names: Vec<&str> = std::iter::once(def.name.as_str())
            .chain(
                def.classes
                    .iter()
                    .filter_map(|k| fw.class_defs.get(k.index()).map(|d| d.name.as_str())),
            )
            .collect();
        let in_exception = p
            .exception_syntax
            .iter()
            .any(|e| super::exceptions::names_contact(e, &names));
        if usage.contacts.contains(&c) || in_exception {
            continue;
        }
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

/// Roles referenced nowhere and covering nobody.
/// The checks over a whole set of pathways (the framework's, or one person's): hand-over
/// circles, twin pathways for each side of the clock, triggers no pathway takes, and the
/// roles conditions name as reporters. `file` is where hand-over circles are reported;
/// `framework` is true for the framework's own set.
fn across_pathways(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    usage: &mut Usage,
    pathways: &[PathwayDef],
    (file, framework): (usize, bool),
) {
    super::flow::hand_over_cycles(cx, pathways, file);
    policy::pathway_parity(cx, fw, pathways);
    policy::trigger_coverage(cx, fw, pathways, framework);
    reporters_used(usage, pathways);
}

/// A role a condition names as the reporter of a trigger (`reported by night_worker`) is
/// used: removing it would break the condition.
fn reporters_used(usage: &mut Usage, pathways: &[PathwayDef]) {
    fn walk(c: &crate::rules::Cond, usage: &mut Usage) {
        use crate::rules::Cond;
        match c {
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| walk(c, usage)),
            Cond::Not(c) => walk(c, usage),
            Cond::ReportedBy(r) => {
                usage.roles.insert(*r);
            }
            _ => {}
        }
    }
    for p in pathways {
        walk(&p.when, usage);
        for s in p.steps.iter().chain(&p.after_closure) {
            walk(&s.condition, usage);
        }
    }
}

fn unused_roles(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, usage: &Usage) {
    for (i, name) in fw.roles.iter() {
        let covers_someone = fw
            .role_info
            .get(i.index())
            .is_some_and(|(_, c)| !c.is_empty());
        if usage.roles.contains(&i) || covers_someone {
            continue;
        }
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

/// The rule set, from a framework and protocols free of errors: built once, whole.
fn build(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    files: &[usize],
    base: Vec<PathwayDef>,
    persons: Vec<PersonRules>,
    governance: Vec<crate::rules::GovRuleDef>,
) -> RuleSet {
    let roles = roles(cx, fw);
    let review_role = review_role(fw, &roles);
    let origin = cx.origin(fw.file, fw.head);
    let sources = sources_digest(cx, files);
    let holidays = crate::time::Holidays::embedded(&fw.division)
        .unwrap_or_else(|_| crate::time::Holidays::none());
    RuleSet {
        framework: fw.name.clone(),
        version: fw.version.clone(),
        hash: crate::rules::rule_set_hash(&sources, &holidays),
        sources_digest: sources,
        timezone: fw.timezone,
        bank_holidays: fw.division.clone(),
        holidays,
        immediately: fw.immediately.unwrap_or(300),
        effective: fw.effective,
        roles,
        aliases: fw.alias_defs.clone(),
        calendars: fw.calendar_defs.clone(),
        office_hours: fw.office_hours(),
        agencies: fw.agency_defs.clone(),
        logs: fw.log_defs.clone(),
        classes: fw.class_defs.clone(),
        criticalities: fw.criticalities.names().to_vec(),
        red_flags: intern_all(cx, &fw.vocabulary.red_flags),
        observations: intern_all(cx, &fw.vocabulary.observations),
        observation_groups: groups(cx, fw),
        results: intern_all(cx, &fw.vocabulary.results),
        risks_and_facts: (fw.vocabulary.risks.clone(), fw.vocabulary.facts.clone()),
        needs: fw
            .vocabulary
            .needs
            .iter()
            .map(|n| crate::rules::NeedDef {
                name: n.name.clone(),
                display: n.display.clone(),
                rules_out: n.rules_out.clone(),
                window: n.window.as_ref().map(|(id, _)| *id),
            })
            .collect(),
        triggers: fw.trigger_defs.clone(),
        decisions: fw.decision_defs.clone(),
        floors: fw.floors.clone(),
        default_person: PersonRules {
            id: String::new(),
            origin: None,
            risks: Vec::new(),
            capacity: None,
            communication: Vec::new(),
            has: Vec::new(),
            ruled_out: Vec::new(),
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
        threshold_provenance: std::sync::Arc::new(crate::rules::RuleRef {
            name: "visit_thresholds".into(),
            file: origin.file.clone(),
            line: origin.line,
            column: origin.column,
        }),
        origin,
        review_role,
    }
}

/// The roles, each with every role it covers.
fn roles(cx: &Ctx<'_>, fw: &FrameworkScope<'_>) -> Vec<RoleDef> {
    fw.roles
        .iter()
        .map(|(i, name)| RoleDef {
            name: std::sync::Arc::from(name),
            display: std::sync::Arc::from(
                fw.role_info.get(i.index()).map_or("", |(d, _)| d.as_str()),
            ),
            covers: fw.covers_closure(i.index()),
            origin: fw
                .roles
                .declared_at(i)
                .map_or_else(|| cx.origin(fw.file, fw.head), |(f, s)| cx.origin(f, s)),
        })
        .collect()
}

/// Who a manual review goes to: the framework's `manager` alias if it has one, else the
/// registered manager, else the role covering the most others (the first such declared).
fn review_role(fw: &FrameworkScope<'_>, roles: &[RoleDef]) -> Option<crate::rules::Responsible> {
    use crate::rules::Responsible;
    if let Some(a) = fw.aliases.get("manager") {
        return Some(Responsible::Alias(a));
    }
    if let Some(r) = fw.roles.get("registered_manager") {
        return Some(Responsible::Role(r));
    }
    let most = fw
        .roles
        .iter()
        .zip(roles)
        .max_by_key(|((i, _), r)| (r.covers.len(), std::cmp::Reverse(*i)))
        .map(|((i, _), _)| i)?;
    Some(Responsible::Role(most))
}

/// The groups of observations, each with its members.
fn groups(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
) -> Vec<(crate::rules::Sym, Vec<crate::rules::Sym>)> {
    fw.vocabulary
        .groups
        .iter()
        .map(|g| (cx.symbols.intern(&g.name), intern_all(cx, &g.members)))
        .collect()
}

/// The symbols for `names`, in order.
fn intern_all(cx: &mut Ctx<'_>, names: &[String]) -> Vec<crate::rules::Sym> {
    names.iter().map(|n| cx.symbols.intern(n)).collect()
}

/// SHA-256 over the sources' texts in the order of their names, each with its length so
/// that no two sets of texts run together alike. The names themselves are left out: the same
/// rules read through another path are the same rules.
fn sources_digest(cx: &Ctx<'_>, files: &[usize]) -> [u8; 32] {
    use sha2::Digest;
    let mut sources: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| cx.sources.get(*f))
        .map(|s| (s.name(), s.text()))
        .collect();
    sources.sort_unstable();
    let mut h = sha2::Sha256::new();
    for (_, text) in sources {
        h.update((text.len() as u64).to_be_bytes());
        h.update(text.as_bytes());
    }
    h.finalize().into()
}

/// The framework's thresholds with the person's overrides, laxer ones reported.
/// A protocol visit whose thresholds count from its planned end needs one: without it the
/// visit could never be judged, day after day (E024).
fn visits_with_an_end(
    cx: &mut Ctx<'_>,
    file: usize,
    visits: &[crate::rules::VisitDef],
    thresholds: &[ThresholdDef],
    criticalities: &Table<CriticalityId>,
) {
    for v in visits.iter().filter(|v| v.end.is_none()) {
        let name = criticalities
            .names()
            .get(v.criticality.index())
            .map_or("", |s| s.as_str());
        let from_end = thresholds.iter().any(|t| {
            t.criticality == name && t.anchor == crate::vocab::ThresholdAnchor::PlannedEnd
        });
        if from_end {
            cx.report(Diagnostic::new(
                Code::MissingItem,
                file,
                v.origin.span,
                format!(
                    "visit `{}` has no planned end, but `{name}` visits are late and missed counting from their planned end",
                    v.name
                ),
                "no planned end",
                format!("write its end: `{} ... 08:00-08:45 {name}`", v.name),
            ));
        }
    }
}

pub(super) fn person_thresholds(
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
        // With no `out_of_hours` part of its own, the override keeps the framework's out of
        // hours where that is stricter (language.md §9.8): so that is what is compared, not
        // its in-hours values (found by a docs-only tester: `late 5m missed 9m` under a
        // framework of 15m/30m, out of hours 5m/8m, was refused as laxer).
        if def.out_of_hours.is_none() {
            def.out_of_hours = base
                .out_of_hours
                .map(|(l, m)| (l.min(def.late), m.min(def.missed)));
        }
        let ooh = |d: &crate::rules::ThresholdDef| d.out_of_hours.unwrap_or((d.late, d.missed));
        // Counting from the planned end waits longer than counting from the planned start.
        let later_anchor = def.anchor == crate::vocab::ThresholdAnchor::PlannedEnd
            && base.anchor == crate::vocab::ThresholdAnchor::PlannedStart;
        let laxer_in_hours = def.late > base.late || def.missed > base.missed;
        let laxer_out_of_hours = ooh(&def).0 > ooh(base).0 || ooh(&def).1 > ooh(base).1;
        if later_anchor || laxer_in_hours || laxer_out_of_hours {
            let words = crate::wording::duration_words;
            let message = if laxer_out_of_hours && !laxer_in_hours && !later_anchor {
                format!(
                    "out of hours, this person's `{}` visits are late after {} and missed after {}, laxer than the framework's {} and {} out of hours",
                    base.criticality,
                    words(ooh(&def).0),
                    words(ooh(&def).1),
                    words(ooh(base).0),
                    words(ooh(base).1)
                )
            } else {
                format!(
                    "this person's `{}` visits are late after {} and missed after {}, laxer than the framework's {} and {}",
                    base.criticality,
                    words(def.late),
                    words(def.missed),
                    words(base.late),
                    words(base.missed)
                )
            };
            super::policy::laxer(
                cx,
                super::policy::Laxer {
                    file: p.file,
                    span: *t.span,
                    message,
                    because: t.because.as_ref().map(|b| b.value.as_str()),
                    floor: (fw.file, *base_syntax.span, "the framework's threshold"),
                },
            );
        }
        def.because = t.because.as_ref().map(|b| b.value.clone());
        def.cites = base.cites.iter().cloned().chain(def.cites).collect();
        out.push(def);
    }
    out
}
