//! Agreed exceptions: the pathways they suspend or change for their window, compiled and
//! held to the same floors as any ladder (the window itself is `exception_window`).

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::pathways::{compile_pathway, flatten, Compiled, Merged};
use super::person::PersonScope;
use super::refine::{closure_steps, merged};
use super::steps::{StepSrc, Usage};
use super::table::unknown;
use super::{policy, Ctx};
use crate::rules::{ExceptionId, Id, PathwayChange, PathwayDef};
use crate::syntax::ast::{Exception, ExceptionChange, Ident, Pathway};

/// Each exception's pathway changes, compiled against the person's ladders (`ladders`, the
/// compiled ones by name) and checked: the floors hold for a changed ladder, and nothing
/// removes the emergency override (E037). Returns the changes, beside `p.exception_defs`.
pub(super) fn changes(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    ladders: &[PathwayDef],
) -> Vec<Vec<PathwayChange>> {
    let mut out = Vec::new();
    for (i, e) in p.exception_syntax.iter().enumerate() {
        let id = ExceptionId::from_index(i);
        let mut mine: Vec<PathwayChange> = Vec::new();
        for name in touched(e) {
            let Some(pw) = pathway_syntax(cx, fw, p, name) else {
                continue;
            };
            let base = ladders.iter().find(|l| l.name == name.name);
            if let Some(change) = change(cx, fw, p, usage, (e, id), pw, base) {
                mine.push(change);
            }
        }
        out.push(mine);
    }
    out
}

/// The pathways an exception names, each once, in the order first written.
fn touched(e: &Exception) -> Vec<&Ident> {
    let mut out: Vec<&Ident> = Vec::new();
    for c in &e.changes {
        let name = match c {
            ExceptionChange::SuspendPathway(n) => n,
            ExceptionChange::SuspendStep { pathway, .. }
            | ExceptionChange::ReplaceStep { pathway, .. } => pathway,
        };
        if !out.iter().any(|x| x.name == name.name) {
            out.push(name);
        }
    }
    out
}

/// The pathway called `name` as written: the framework's, or the protocol's own.
fn pathway_syntax<'a>(
    cx: &mut Ctx<'_>,
    fw: &'a FrameworkScope<'a>,
    p: &'a PersonScope<'a>,
    name: &Ident,
) -> Option<&'a Pathway> {
    let found = fw
        .pathways
        .iter()
        .copied()
        .chain(p.pathways.iter().copied().filter(|pp| pp.trigger.is_some()))
        .find(|pw| pw.name.name == name.name);
    if found.is_none() {
        cx.report(unknown(
            "pathway",
            &name.name,
            p.file,
            name.span,
            fw.pathways.iter().map(|pw| pw.name.name.as_str()),
        ));
    }
    found
}

/// What one exception does to one pathway, compiled and checked.
fn change(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    (e, id): (&Exception, Option<ExceptionId>),
    pw: &Pathway,
    base: Option<&PathwayDef>,
) -> Option<PathwayChange> {
    let suspends = e.changes.iter().find_map(|c| match c {
        ExceptionChange::SuspendPathway(n) if n.name == pw.name.name => Some(n),
        _ => None,
    });
    if let Some(n) = suspends {
        if base.is_some_and(|b| b.trigger == crate::vocab::TriggerKind::RedFlag) {
            cx.report(removes_override(
                p.file,
                e,
                n,
                "suspends the emergency override",
            ));
        }
        return Some(PathwayChange {
            pathway: pw.name.name.clone(),
            ladder: None,
        });
    }
    let is_framework = fw.pathways.iter().any(|f| std::ptr::eq(*f, pw));
    let mut m = if is_framework {
        merged(fw.file, p, pw)
    } else {
        Merged {
            steps: flatten(p.file, pw),
            closure: closure_steps(p.file, pw),
            cites: Vec::new(),
            decl_file: p.file,
            refined_at: None,
        }
    };
    apply(cx, p.file, e, id, &pw.name.name, &mut m)?;
    m.cites.extend(e.cites.iter().map(|c| c.value.clone()));
    // The framework's own findings were reported once already; mute its file here.
    cx.muted = Some(fw.file);
    let compiled = compile_pathway(cx, fw, Some(p), usage, pw, Some(m));
    cx.muted = None;
    let Some(Compiled::Complete(ladder)) = compiled else {
        return None;
    };
    policy::ladder(cx, fw, &ladder, None);
    if let Some(b) = base {
        keeps_override(cx, fw, p.file, e, b, &ladder);
    }
    Some(PathwayChange {
        pathway: pw.name.name.clone(),
        ladder: Some(ladder),
    })
}

/// Apply an exception's step changes to a pathway's merged steps: a replacement takes the
/// replaced step's place and stage; a suspended step stays in its place, applying only
/// outside the exception (so, in its window, never). `None` if a named step is not there.
fn apply<'a>(
    cx: &mut Ctx<'_>,
    file: usize,
    e: &'a Exception,
    id: Option<ExceptionId>,
    pathway: &str,
    m: &mut Merged<'a>,
) -> Option<()> {
    let mut ok = true;
    for c in &e.changes {
        let (target, with) = match c {
            ExceptionChange::SuspendStep { pathway: pn, step } if pn.name == pathway => {
                (step, None)
            }
            ExceptionChange::ReplaceStep {
                pathway: pn,
                step,
                with,
            } if pn.name == pathway => (step, Some(&**with)),
            _ => continue,
        };
        let Some(slot) = m.steps.iter_mut().find(|s| s.step.name.name == target.name) else {
            cx.report(unknown(
                "step",
                &target.name,
                file,
                target.span,
                std::iter::empty::<&str>(),
            ));
            ok = false;
            continue;
        };
        match (with, id) {
            (Some(step), _) => {
                *slot = StepSrc {
                    file,
                    step,
                    stage: slot.stage.clone(),
                    extra: None,
                    refines: None,
                }
            }
            (None, Some(id)) => {
                let outside = CondX::Not(Box::new(CondX::DuringException(id)));
                slot.extra = Some(match slot.extra.take() {
                    Some(x) => CondX::And(vec![x, outside]),
                    None => outside,
                });
            }
            (None, None) => ok = false,
        }
    }
    ok.then_some(())
}

/// E037 when a red-flag ladder that called an emergency service without condition no longer
/// does for the exception's window.
fn keeps_override(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    e: &Exception,
    base: &PathwayDef,
    changed: &PathwayDef,
) {
    if base.trigger != crate::vocab::TriggerKind::RedFlag {
        return;
    }
    let calls_999 = |l: &PathwayDef| {
        l.steps.iter().any(|s| {
            s.condition == crate::rules::Cond::Const(true)
                && matches!(s.action, crate::rules::ActionDef::Escalate(a)
                    if fw.agency_defs.get(a.index()).is_some_and(|d| d.kind == crate::vocab::AgencyKind::Emergency))
        })
    };
    if calls_999(base) && !calls_999(changed) {
        let at = e
            .changes
            .iter()
            .find_map(|c| match c {
                ExceptionChange::SuspendStep { pathway, step }
                | ExceptionChange::ReplaceStep { pathway, step, .. }
                    if pathway.name == base.name =>
                {
                    Some(step)
                }
                _ => None,
            })
            .unwrap_or(&e.name);
        cx.report(removes_override(
            file,
            e,
            at,
            "removes the call to emergency services",
        ));
    }
}

/// E037 at `at`.
fn removes_override(file: usize, e: &Exception, at: &Ident, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ExceptionRemovesOverride,
        file,
        at.span,
        format!(
            "agreed exception `{}` {what} for its window",
            e.name.name
        ),
        "the emergency override must stay",
        "at any point, risk to life means emergency services are called at once, and the framework requires it (`require emergency_override`); no agreement can suspend that: change other steps instead",
    )
}
