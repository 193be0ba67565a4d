//! Findings about who decides and who is consulted: each contact's recorded basis against the
//! person's recorded capacity ([`crate::rules::standing`] holds the table).

use super::diagnostic::{Code, Diagnostic};
use super::Ctx;
use crate::rules::cascade::expand;
use crate::rules::standing::{standing, NoStanding, Standing};
use crate::rules::{ActionDef, ContactDef, StepDef};
use crate::span::Span;
use crate::vocab::{Basis, Capacity};

/// Where the Act is cited in help lines (public law; seed 002 §13 and §14 point to it).
const MCA: &str = "Mental Capacity Act 2005";

/// What a basis written at `at` says about the contact `name` for a person whose capacity is
/// `capacity`: consent without capacity (E026), best interests with capacity (W005), an
/// attorney or deputy whose power needs the person to lack capacity (E035). A basis that gives
/// no standing only when it is used (E034) is judged by [`used_without_standing`].
pub fn at_declaration(
    cx: &mut Ctx<'_>,
    file: usize,
    at: Span,
    name: &str,
    basis: Basis,
    capacity: Option<Capacity>,
) {
    let Standing::Neither(why) = standing(basis, capacity) else {
        return;
    };
    let d = match (why, basis) {
        (NoStanding::CannotConsent, _) => Diagnostic::new(
            Code::ConsentWithoutCapacity,
            file,
            at,
            format!("contact `{name}` rests on consent, but the person is recorded as lacking capacity"),
            "consent cannot be the basis here",
            format!("record a best-interests decision instead: `basis best_interests \"...\"`, or the attorney or deputy who decides ({MCA})"),
        ),
        (NoStanding::HasCapacity, Basis::BestInterests) => Diagnostic::new(
            Code::BestInterestsWithCapacity,
            file,
            at,
            format!("contact `{name}` rests on a best-interests decision, but the person is recorded as having capacity"),
            "best interests applies when capacity is lacking",
            format!("a person with capacity decides who is contacted: record their consent, or check the capacity record ({MCA})"),
        ),
        (NoStanding::HasCapacity, _) => return,
        (NoStanding::NeedsIncapacity(recorded), b) => needs_incapacity(file, at, name, b, recorded),
    };
    cx.report(d);
}

/// E035: an attorney or deputy recorded where the person's capacity does not let them act.
fn needs_incapacity(
    file: usize,
    at: Span,
    name: &str,
    basis: Basis,
    recorded: Option<Capacity>,
) -> Diagnostic {
    let who = basis.words().trim_start_matches("their ");
    let (message, label, help) = match recorded {
        Some(_) => (
            format!("contact `{name}` is recorded as the person's {who}, but the person is recorded as having capacity"),
            "an attorney or deputy cannot decide for a person who has capacity",
            format!("while the person has capacity they decide: record their consent with `basis consent \"...\"`, or, if a new assessment found they lack capacity, record it in `person {{ capacity ... }}` ({MCA} s.11(7), s.20(1))"),
        ),
        None => (
            format!("contact `{name}` is recorded as the person's {who}, but the person's capacity is not recorded"),
            "who decides depends on the person's capacity",
            format!("record the capacity assessment in `person {{ capacity lacking \"...\" }}` (or `fluctuating`): an attorney or deputy acts only while the person lacks capacity ({MCA} s.11(7), s.20(1))"),
        ),
    };
    Diagnostic::new(
        Code::RepresentativeWithoutIncapacity,
        file,
        at,
        message,
        label,
        help,
    )
}

/// A protocol's contacts, as the E034 check needs them (the checker's person scope lends them).
pub struct Contacts<'p> {
    /// The protocol's file.
    pub file: usize,
    /// Where the protocol starts, for a contact whose basis has no place of its own.
    pub head: Span,
    /// The person's recorded capacity.
    pub capacity: Option<Capacity>,
    /// The contacts, in declaration order.
    pub defs: &'p [(ContactDef, Option<Span>)],
    /// Where each contact's basis is written, beside `defs`.
    pub basis_spans: &'p [Option<Span>],
}

/// E034: a contact some step contacts, whose basis gives them no say about the person's
/// welfare: reported once per contact, at its basis, pointing at the first step that contacts
/// them (by name, or through a class they are in). `ladders` are the person's effective
/// ladders.
pub fn used_without_standing(cx: &mut Ctx<'_>, p: &Contacts<'_>, ladders: &[&[StepDef]]) {
    let contacts: Vec<ContactDef> = p.defs.iter().map(|(c, _)| c.clone()).collect();
    for (i, (def, _)) in p.defs.iter().enumerate() {
        let Some((basis, _)) = def.basis else {
            continue;
        };
        // Best interests for a person with capacity is W005, at the declaration already.
        if basis == Basis::BestInterests
            || standing(basis, p.capacity) != Standing::Neither(NoStanding::HasCapacity)
        {
            continue;
        }
        let tries = |s: &&StepDef| match &s.action {
            ActionDef::Contact(items) => expand(items, &contacts).iter().any(|c| c.index() == i),
            _ => false,
        };
        let Some(step) = ladders.iter().flat_map(|l| l.iter()).find(tries) else {
            continue;
        };
        let at = p.basis_spans.get(i).copied().flatten().unwrap_or(p.head);
        cx.report(
            Diagnostic::new(
                Code::NoStanding,
                p.file,
                at,
                format!(
                    "contact `{}` is contacted about the person's welfare as {}, but on that basis neither decides nor is consulted while the person has capacity",
                    def.name,
                    basis.words()
                ),
                "no say about welfare on this basis",
                format!("a person with capacity decides who is told about them: record their agreement with `basis consent \"...\"`, or check the capacity record ({MCA} s.1(2), s.4(7))"),
            )
            .with(step.origin.source, step.origin.span, "contacted here"),
        );
    }
}

/// W009: the advocate basis on a family member, friend or neighbour. An independent advocate
/// (an IMCA, Mental Capacity Act 2005 s.35; a Care Act 2014 s.67 advocate) is by definition
/// not someone close to the person; a relative is consulted on their own footing.
pub fn advocate_kind(cx: &mut Ctx<'_>, file: usize, at: Span, name: &str, kind: &str) {
    if !matches!(kind, "family" | "friend" | "neighbour") {
        return;
    }
    cx.report(Diagnostic::new(
        Code::AdvocateNotIndependent,
        file,
        at,
        format!("contact `{name}` is a {kind} contact recorded as the person's independent advocate"),
        "an independent advocate is not family, a friend or a neighbour",
        format!("record this {kind} contact on their own basis (`consent`, `best_interests`, or a power of attorney they hold), or, if they really are the advocate, use the contact kind `advocate` ({MCA} s.35; Care Act 2014 s.67)"),
    ));
}
