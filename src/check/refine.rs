//! A person's effective pathways: the framework's, refined by the protocol, plus its own.

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::pathways::{compile_pathway, flatten, Compiled, Merged};
use super::person::PersonScope;
use super::steps::{StepSrc, Usage};
use super::table::unknown;
use super::{policy, Ctx};
use crate::rules::{PathwayDef, StepDef};
use crate::syntax::ast::{Ident, Pathway};

/// What compiling a person's pathways gave: the complete ones, and the compiled steps of those
/// with an error (still checked person by person).
type Effective = (Vec<PathwayDef>, Vec<Vec<StepDef>>);

/// A person's effective pathways: the framework's, refined by the protocol, plus its own.
pub(super) fn person_pathways(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    base: &[PathwayDef],
) -> Effective {
    let mut out: Effective = (Vec::new(), Vec::new());
    let mut absences_placed = p.absence_defs.iter().all(|(_, a)| a.steps.is_empty());
    for fp in &fw.pathways {
        if let Some(pp) = p.pathways.iter().find(|pp| pp.name.name == fp.name.name) {
            check_refinement(cx, fw, p, fp, pp);
        }
        absences_placed |= takes_absences(fp);
        let merged = merged(fw.file, p, fp);
        // The framework's own findings were reported once already; mute its file here.
        cx.muted = Some(fw.file);
        let compiled = compile_pathway(cx, fw, Some(p), usage, fp, Some(merged));
        cx.muted = None;
        let base_pw = base.iter().find(|b| b.name == fp.name.name);
        keep(cx, fw, compiled, base_pw, &mut out);
    }
    if !absences_placed {
        absence_steps_nowhere(cx, p);
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
        let compiled = compile_pathway(cx, fw, Some(p), usage, pp, None);
        keep(cx, fw, compiled, None, &mut out);
    }
    out
}

/// A framework pathway as this person has it, before compiling: the framework's steps, the
/// protocol's refinement merged in, and on the no-answer ladder the absence steps.
pub(super) fn merged<'a>(fw_file: usize, p: &'a PersonScope<'a>, fp: &'a Pathway) -> Merged<'a> {
    let refinement = p.pathways.iter().find(|pp| pp.name.name == fp.name.name);
    let mut merged = Merged {
        steps: flatten(fw_file, fp),
        closure: closure_steps(fw_file, fp),
        cites: Vec::new(),
        decl_file: fw_file,
        refined_at: refinement.map(|pp| (p.file, pp.name.span.span())),
    };
    if let Some(pp) = refinement {
        merge(&mut merged, p.file, pp);
    }
    if takes_absences(fp) {
        merged.steps.extend(absence_steps(p, first_stage(fp)));
    }
    merged
}

/// The no-answer ladder is where absence steps go.
fn takes_absences(fp: &Pathway) -> bool {
    fp.trigger
        .as_ref()
        .is_some_and(|t| t.event.name == "no_answer")
}

/// Check a complete pathway as a ladder and keep it; keep a partial one's steps.
fn keep(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    compiled: Option<Compiled>,
    base: Option<&PathwayDef>,
    out: &mut Effective,
) {
    match compiled {
        Some(Compiled::Complete(pw)) => {
            policy::ladder(cx, fw, &pw, base);
            out.0.push(*pw);
        }
        Some(Compiled::Partial(steps)) => out.1.push(steps),
        None => {}
    }
}

pub(super) fn closure_steps(file: usize, p: &Pathway) -> Vec<StepSrc<'_>> {
    p.after_closure
        .iter()
        .map(|step| StepSrc {
            file,
            step,
            stage: None,
            extra: None,
            refines: None,
        })
        .collect()
}

fn first_stage(p: &Pathway) -> Option<String> {
    p.stages
        .first()
        .and_then(|s| s.name.as_ref())
        .map(|n| n.name.clone())
}

/// Absence steps ("verify whereabouts first") belong to the first stage of the ladder, and
/// apply only inside their absence window.
fn absence_steps<'a>(p: &'a PersonScope<'a>, first_stage: Option<String>) -> Vec<StepSrc<'a>> {
    p.absence_defs
        .iter()
        .zip(p.absences.iter())
        .flat_map(|((_, a), (i, _))| {
            let stage = first_stage.clone();
            a.steps.iter().map(move |step| StepSrc {
                file: p.file,
                step,
                stage: stage.clone(),
                extra: Some((CondX::DuringAbsence(i), format!("during {}", a.name.name))),
                refines: None,
            })
        })
        .collect()
}

fn absence_steps_nowhere(cx: &mut Ctx<'_>, p: &PersonScope<'_>) {
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

/// What a refinement may not do: change the trigger, name a stage the framework's pathway does
/// not have, or write a step twice (it would silently replace itself).
fn check_refinement(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    fp: &Pathway,
    pp: &Pathway,
) {
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
    near_framework_steps(cx, fw, p, fp, pp);
    let mut written: Vec<&Ident> = Vec::new();
    for step in written_steps(pp) {
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
}

/// Apply a refinement: a step of the same name replaces the framework's (keeping its stage if
/// the refinement names none, and remembering what it refines); a new step goes at the end of
/// its stage, or of the ladder.
fn merge<'a>(m: &mut Merged<'a>, file: usize, pp: &'a Pathway) {
    for src in flatten(file, pp) {
        let name = &src.step.name.name;
        if let Some(slot) = m.steps.iter_mut().find(|s| &s.step.name.name == name) {
            let stage = src.stage.clone().or_else(|| slot.stage.clone());
            *slot = StepSrc {
                stage,
                refines: Some((slot.file, slot.step)),
                ..src
            };
        } else if let Some(slot) = m.closure.iter_mut().find(|s| &s.step.name.name == name) {
            *slot = StepSrc {
                refines: Some((slot.file, slot.step)),
                ..src
            };
        } else {
            let at = src
                .stage
                .as_ref()
                .and_then(|st| m.steps.iter().rposition(|s| s.stage.as_ref() == Some(st)))
                .map_or(m.steps.len(), |i| i + 1);
            m.steps.insert(at, src);
        }
    }
    for src in closure_steps(file, pp) {
        match m
            .closure
            .iter_mut()
            .find(|s| s.step.name.name == src.step.name.name)
        {
            Some(slot) => {
                *slot = StepSrc {
                    refines: Some((slot.file, slot.step)),
                    ..src
                }
            }
            None => m.closure.push(src),
        }
    }
    m.cites.extend(pp.cites.iter().map(|c| c.value.clone()));
}

/// A protocol step with a new name adds a step (language.md §10.1); one whose name is a slip
/// of a framework step's, doing the same kind of thing, was most likely meant to refine it
/// (found by a docs-only tester: `notify_manger ... within 10m` checked clean and the person
/// kept the framework's 15 minutes beside it). A warning, since a step so named is allowed.
fn near_framework_steps(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    fp: &Pathway,
    pp: &Pathway,
) {
    let framework = written_steps(fp);
    for step in written_steps(pp) {
        let name = step.name.name.as_str();
        if framework.iter().any(|f| f.name.name == name) {
            continue;
        }
        let near = framework.iter().find(|f| {
            let theirs = f.name.name.as_str();
            std::mem::discriminant(&f.action) == std::mem::discriminant(&step.action)
                && name.len() > 3
                && theirs.len() > 3
                && name.len().abs_diff(theirs.len()) <= 2
                && strsim::levenshtein(name, theirs) <= 2
        });
        if let Some(f) = near {
            let theirs = &f.name.name;
            cx.report(
                Diagnostic::new(
                    Code::NearFrameworkStep,
                    p.file,
                    step.name.span,
                    format!(
                        "step `{name}` is a new step beside the framework's `{theirs}`, whose name it nearly shares"
                    ),
                    "a new step, not a refinement",
                    format!(
                        "to refine the framework's step, write its name as the framework does (`{theirs}`); to add a step, give it a name of its own"
                    ),
                )
                .with(fw.file, f.name.span, "the framework's step"),
            );
        }
    }
}

/// Every step a pathway writes, in its stages and after closure.
fn written_steps(pw: &Pathway) -> Vec<&crate::syntax::ast::Step> {
    pw.stages
        .iter()
        .flat_map(|s| s.steps.iter())
        .chain(pw.after_closure.iter())
        .collect()
}
