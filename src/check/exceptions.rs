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
use crate::rules::{ExceptionId, Id, PathwayChange, PathwayDef, TriggerOn};

const RED_FLAG: TriggerOn = TriggerOn::Builtin(crate::vocab::TriggerKind::RedFlag);
use crate::syntax::ast::{
    Deadline, DeadlineAtom, Exception, ExceptionChange, Ident, Pathway, Step, StepClause,
};

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
            if let Some(change) = change(cx, fw, p, usage, (e, id, name), pw, base) {
                mine.push(change);
            }
        }
        out.push(mine);
    }
    out
}

/// E038: two agreed exceptions whose windows overlap and that both change (or suspend) the
/// same pathway; which applies in the overlap cannot be guessed. `defs` and `syntax` are the
/// person's exceptions, side by side.
pub(super) fn overlapping(
    cx: &mut Ctx<'_>,
    file: usize,
    defs: &[crate::rules::ExceptionDef],
    syntax: &[&Exception],
) {
    for (j, (b, bs)) in defs.iter().zip(syntax).enumerate() {
        for (a, as_) in defs.iter().zip(syntax).take(j) {
            let overlap = a.from < b.until && b.from < a.until;
            let shared = touched(bs)
                .into_iter()
                .find(|n| touched(as_).iter().any(|m| m.name == n.name));
            let (true, Some(pathway)) = (overlap, shared) else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    Code::OverlappingExceptions,
                    file,
                    bs.name.span,
                    format!(
                        "agreed exceptions `{}` and `{}` overlap and both change pathway `{}`",
                        as_.name.name, b.name, pathway.name
                    ),
                    "overlaps the other",
                    "which change applies where they overlap cannot be guessed: end one before the other starts, or agree one exception with both changes",
                )
                .with(file, as_.name.span, "the other exception"),
            );
        }
    }
}

/// Whether one of the exception's replacement steps names one of `names` (a contact, or a
/// class it is in), so that a contact used only there is not reported unused when the changed
/// ladder was not built.
pub(super) fn names_contact(e: &Exception, names: &[&str]) -> bool {
    e.changes.iter().any(|c| {
        matches!(c, ExceptionChange::ReplaceStep { with, .. }
            if matches!(&with.action, crate::syntax::ast::Action::Contact(written, _)
                if written.iter().any(|n| names.contains(&n.name.as_str()))))
    })
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

/// An exception's changed ladder that cannot be built, though nothing in the protocol was
/// reported: never dropped in silence.
fn unbuildable(cx: &mut Ctx<'_>, file: usize, e: &Exception, pw: &Pathway) {
    cx.report(Diagnostic::new(
        Code::MissingItem,
        file,
        e.name.span,
        format!(
            "the ladder agreed exception `{}` makes of pathway `{}` cannot be built",
            e.name.name, pw.name.name
        ),
        "its changes break a step of the framework's ladder",
        "a step of the framework's ladder relies on one this exception takes away; replace or suspend that step too, or change the exception",
    ));
}

/// What one exception does to one pathway, compiled and checked.
fn change(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &PersonScope<'_>,
    usage: &mut Usage,
    (e, id, at): (&Exception, Option<ExceptionId>, &Ident),
    pw: &Pathway,
    base: Option<&PathwayDef>,
) -> Option<PathwayChange> {
    let suspends = e.changes.iter().find_map(|c| match c {
        ExceptionChange::SuspendPathway(n) if n.name == pw.name.name => Some(n),
        _ => None,
    });
    if let Some(n) = suspends {
        suspended_pathway(cx, fw, p.file, e, n, base);
        return Some(PathwayChange {
            pathway: pw.name.name.clone(),
            ladder: None,
        });
    }
    if base.is_some_and(|b| touches_override(cx, p.file, e, b)) {
        return None;
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
    // A step that waited for (or counted from) a replaced step waits for its replacement.
    let arena = rewired(&m, &renames(e, &pw.name.name));
    let mut m: Merged<'_> = m;
    for (in_closure, i, step) in &arena {
        let list = if *in_closure {
            &mut m.closure
        } else {
            &mut m.steps
        };
        if let Some(src) = list.get_mut(*i) {
            src.step = step;
        }
    }
    // The framework's own findings were reported once already; mute its file here.
    let before = cx.errors_in(&[p.file]);
    cx.muted = Some(fw.file);
    let compiled = compile_pathway(cx, fw, Some(p), usage, pw, Some(m));
    cx.muted = None;
    let Some(Compiled::Complete(ladder)) = compiled else {
        // Fail closed: a changed ladder that cannot be built is never dropped in silence.
        if !before && !cx.errors_in(&[p.file]) {
            unbuildable(cx, p.file, e, pw);
        }
        return None;
    };
    // Findings about the changed ladder as a whole belong where the change is written.
    let mut ladder = *ladder;
    ladder.origin = cx.origin(p.file, at.span);
    policy::ladder(cx, fw, &ladder, None);
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
        let clash = with.and_then(|w| {
            m.steps
                .iter()
                .chain(m.closure.iter())
                .find(|s| s.step.name.name == w.name.name && s.step.name.name != target.name)
        });
        if let (Some(w), Some(_)) = (with, clash) {
            cx.report(Diagnostic::new(
                Code::Duplicate,
                file,
                w.name.span,
                format!(
                    "the replacement step `{}` has the name of another step of pathway `{pathway}`",
                    w.name.name
                ),
                "name taken",
                "give the replacement a name of its own",
            ));
            ok = false;
            continue;
        }
        let known: Vec<String> = m.steps.iter().map(|s| s.step.name.name.clone()).collect();
        let Some(slot) = m.steps.iter_mut().find(|s| s.step.name.name == target.name) else {
            cx.report(unknown(
                "step",
                &target.name,
                file,
                target.span,
                known.iter().map(|k| k.as_str()),
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
                let words = format!("not during {}", e.name.name);
                slot.extra = Some(match slot.extra.take() {
                    Some((x, w)) => (CondX::And(vec![x, outside]), format!("{w} and {words}")),
                    None => (outside, words),
                });
            }
            (None, None) => ok = false,
        }
    }
    ok.then_some(())
}

/// The steps an exception replaces in `pathway`, each with the name of its replacement.
fn renames<'e>(e: &'e Exception, pathway: &str) -> Vec<(&'e str, &'e Ident)> {
    e.changes
        .iter()
        .filter_map(|c| match c {
            ExceptionChange::ReplaceStep {
                pathway: pn,
                step,
                with,
            } if pn.name == pathway => Some((step.name.as_str(), &with.name)),
            _ => None,
        })
        .collect()
}

/// Copies of the steps that name a replaced step (`after X`, `within D of X`), renamed to
/// its replacement: (in after closure, index, the copy).
fn rewired(m: &Merged<'_>, renames: &[(&str, &Ident)]) -> Vec<(bool, usize, Step)> {
    let lists = [(false, &m.steps), (true, &m.closure)];
    let mut out = Vec::new();
    for (in_closure, list) in lists {
        for (i, src) in list.iter().enumerate() {
            let mut step = src.step.clone();
            if rename_refs(&mut step, renames) {
                out.push((in_closure, i, step));
            }
        }
    }
    out
}

/// Rename the step names a step waits for or counts from; true if any was renamed.
fn rename_refs(step: &mut Step, renames: &[(&str, &Ident)]) -> bool {
    let mut changed = false;
    let mut fix = |id: &mut Ident| {
        if let Some((_, to)) = renames.iter().find(|(from, _)| *from == id.name) {
            id.name.clone_from(&to.name);
            changed = true;
        }
    };
    for c in &mut step.clauses {
        let atoms: Vec<&mut DeadlineAtom> = match c {
            StepClause::After(id, _) => {
                fix(id);
                Vec::new()
            }
            StepClause::Deadline(Deadline::Atom(a)) => vec![a],
            StepClause::Deadline(Deadline::Pick { a, b, .. }) => vec![a, b],
            _ => Vec::new(),
        };
        for a in atoms {
            if let DeadlineAtom::Within(_, Some(id), _) | DeadlineAtom::Immediately(Some(id), _) = a
            {
                fix(id);
            }
        }
    }
    changed
}

/// What suspending a whole pathway is reported as: E037 for the emergency override, W008
/// (repeated at every check, with the reason) for a ladder whose trigger leaves the person's
/// safety unconfirmed, and E004 for step changes to a pathway suspended anyway.
fn suspended_pathway(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    e: &Exception,
    n: &Ident,
    base: Option<&PathwayDef>,
) {
    let trigger = base.map(|b| b.trigger);
    if trigger == Some(RED_FLAG) {
        cx.report(removes_override(
            file,
            e,
            n,
            "suspends the emergency override",
        ));
    } else if trigger.is_some_and(|t| fw.unconfirmed(t)) {
        cx.report(Diagnostic::new(
            Code::SuspendedSafetyLadder,
            file,
            n.span,
            format!(
                "agreed exception `{}` suspends pathway `{}`: a {} in its window gets no response",
                e.name.name,
                n.name,
                trigger.map_or_else(String::new, |t| fw.trigger_words(t))
            ),
            "suspended for the window",
            format!(
                "accepted because: \"{}\"; if the person might still be at home, replace or suspend single steps instead",
                e.because.as_ref().map_or("", |b| b.value.as_str())
            ),
        ));
    }
    for c in &e.changes {
        if let ExceptionChange::SuspendStep { pathway, step }
        | ExceptionChange::ReplaceStep { pathway, step, .. } = c
        {
            if pathway.name == n.name {
                cx.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        file,
                        step.span,
                        format!(
                            "agreed exception `{}` changes step `{}` of pathway `{}`, which it also suspends",
                            e.name.name, step.name, n.name
                        ),
                        "changed here",
                        "keep one: the suspension, or the changes to its steps",
                    )
                    .with(file, n.span, "suspended here"),
                );
            }
        }
    }
}

/// E037 for each step of a red-flag ladder an exception suspends or replaces: the emergency
/// override (999 and the on-call manager at once, seed 002 §20.4 and BRIEF §2) is the same
/// whatever was agreed. Returns whether any was reported.
fn touches_override(cx: &mut Ctx<'_>, file: usize, e: &Exception, base: &PathwayDef) -> bool {
    if base.trigger != RED_FLAG {
        return false;
    }
    let mut any = false;
    for c in &e.changes {
        if let ExceptionChange::SuspendStep { pathway, step }
        | ExceptionChange::ReplaceStep { pathway, step, .. } = c
        {
            if pathway.name == base.name {
                let what = if matches!(c, ExceptionChange::SuspendStep { .. }) {
                    "suspends"
                } else {
                    "replaces"
                };
                cx.report(removes_override(
                    file,
                    e,
                    step,
                    &format!("{what} step `{}` of the emergency override", step.name),
                ));
                any = true;
            }
        }
    }
    any
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
        "at any point, risk to life means the emergency response starts at once, as the framework requires (`require emergency_override`); no agreement can change it: change steps of other pathways instead",
    )
}
