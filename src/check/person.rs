//! A protocol's own declarations: the person, methods, contacts, visits, absences and
//! agreed exceptions, checked against the framework they are written under.

use super::conditions::Facts;
use super::diagnostic::{Code, Diagnostic};
use super::framework::{weekly_windows, FrameworkScope, Once};
use super::literals;
use super::table::{unknown, word, Table};
use super::vocabulary::{Kind, Need};
use super::Ctx;
use crate::rules::{
    AbsenceDef, AbsenceId, ContactDef, ContactId, ExceptionDef, ExceptionId, VisitDef, VisitId,
};
use crate::span::Span;
use crate::syntax::ast::{
    Absence, Document, Exception, Head, Item, Methods, Pathway, PersonFact, Threshold, Visit,
};
use crate::vocab::{Basis, Capacity, Method};

/// Contact kinds, and whether contacting them needs a consent or best-interests basis.
pub const CONTACT_KINDS: &[(&str, bool)] = &[
    ("family", true),
    ("friend", true),
    ("neighbour", true),
    ("advocate", true),
    ("representative", true),
    ("key_holder", false),
    ("housing", false),
    ("gp", false),
    ("health", false),
    ("faith_community", true),
    ("other", true),
];

/// A protocol, its tables filled and checked.
#[derive(Debug)]
pub struct PersonScope<'a> {
    /// Source index.
    pub file: usize,
    /// Pseudonymous identifier.
    pub id: String,
    /// Head span.
    pub head: Span,
    /// Risks.
    pub risks: Vec<String>,
    /// Capacity.
    pub capacity: Option<Capacity>,
    /// Communication needs, by name.
    pub communication: Vec<String>,
    /// The framework's definitions of the person's communication needs, in the order recorded.
    pub needs: Vec<Need>,
    /// Facts about the person's home and service.
    pub has: Vec<String>,
    /// Methods in order.
    pub methods: Vec<Method>,
    /// Where `methods` is written.
    pub methods_span: Option<Span>,
    /// Contacts.
    pub contacts: Table<ContactId>,
    /// Contact definitions, with the span of their `from stage` name.
    pub contact_defs: Vec<(ContactDef, Option<Span>)>,
    /// Where each contact's basis is written, beside `contact_defs`.
    pub basis_spans: Vec<Option<Span>>,
    /// Visits.
    pub visits: Table<VisitId>,
    /// Visit definitions.
    pub visit_defs: Vec<VisitDef>,
    /// Absences.
    pub absences: Table<AbsenceId>,
    /// Absence definitions and syntax (for their steps).
    pub absence_defs: Vec<(AbsenceDef, &'a Absence)>,
    /// Exceptions.
    pub exceptions: Table<ExceptionId>,
    /// Exception definitions (their pathway changes filled in once pathways are compiled).
    pub exception_defs: Vec<ExceptionDef>,
    /// Each exception's syntax, beside `exception_defs`.
    pub exception_syntax: Vec<&'a Exception>,
    /// Threshold overrides.
    pub thresholds: Vec<&'a Threshold>,
    /// Pathway refinements and additions.
    pub pathways: Vec<&'a Pathway>,
}

impl<'a> PersonScope<'a> {
    /// Read the protocol's declarations.
    pub fn build(
        cx: &mut Ctx<'_>,
        fw: &FrameworkScope<'_>,
        file: usize,
        doc: &'a Document,
    ) -> Option<Self> {
        let Head::Protocol { person, span, .. } = &doc.head else {
            return None;
        };
        let mut p = PersonScope {
            file,
            id: person.value.clone(),
            head: span.span(),
            risks: Vec::new(),
            capacity: None,
            communication: Vec::new(),
            needs: Vec::new(),
            has: Vec::new(),
            methods: Vec::new(),
            methods_span: None,
            contacts: Table::new("contact"),
            contact_defs: Vec::new(),
            basis_spans: Vec::new(),
            visits: Table::new("visit"),
            visit_defs: Vec::new(),
            absences: Table::new("absence"),
            absence_defs: Vec::new(),
            exceptions: Table::new("exception"),
            exception_defs: Vec::new(),
            exception_syntax: Vec::new(),
            thresholds: Vec::new(),
            pathways: Vec::new(),
        };
        let mut once = Once::default();
        // The person's facts first: contacts and methods are judged against them.
        for item in &doc.items {
            if let Item::Person(facts, span) = item {
                if once.see(cx, file, "person", *span) {
                    p.facts_block(cx, fw, facts);
                }
            }
        }
        for item in &doc.items {
            p.declaration(cx, fw, &mut once, item);
        }
        Some(p)
    }

    /// Any item but the person's facts.
    fn declaration(
        &mut self,
        cx: &mut Ctx<'_>,
        fw: &FrameworkScope<'_>,
        once: &mut Once,
        item: &'a Item,
    ) {
        match item {
            Item::Methods(m) if once.see(cx, self.file, "methods", m.span) => self.methods(cx, m),
            Item::Contact(c) => self.contact(cx, fw, c),
            Item::Visit(v) => self.visit(cx, fw, v),
            Item::Absence(a) => self.absence(cx, fw, a),
            Item::Exception(e) => self.exception(cx, fw, e),
            Item::Threshold(t) => self.threshold(cx, fw, t),
            Item::Pathway(pw) => {
                if self.pathways.iter().any(|x| x.name.name == pw.name.name) {
                    cx.report(Diagnostic::new(
                        Code::Duplicate,
                        self.file,
                        pw.name.span,
                        format!(
                            "pathway `{}` is written twice in this protocol",
                            pw.name.name
                        ),
                        "written again here",
                        "put all of the person's refinements of a pathway in one block",
                    ));
                } else {
                    self.pathways.push(pw);
                }
            }
            _ => {}
        }
    }

    /// `methods text, door`: contact methods in order, none the person cannot receive.
    fn methods(&mut self, cx: &mut Ctx<'_>, m: &Methods) {
        for name in &m.methods {
            let Some(x) = word::<Method>(cx, self.file, name) else {
                continue;
            };
            self.methods.push(x);
            if let Some(need) = self.ruled_out_always(x) {
                cx.report(self.ruled_out_finding(
                    name.span,
                    &format!("the person's contact methods include `{x}`"),
                    need,
                    x,
                ));
            }
        }
        self.methods_span = Some(m.span.span());
    }

    /// `visit NAME "Display" DAYS HH:MM CRITICALITY`.
    fn visit(&mut self, cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, v: &Visit) {
        let file = self.file;
        if cx
            .ok(self.visits.declare(&v.name.name, file, v.name.span))
            .is_none()
        {
            return;
        }
        let at = cx.ok(literals::clock(&v.at, file));
        super::clock_change::note(cx, fw.timezone, file, &v.at);
        let end = match &v.end {
            Some(e) => {
                super::clock_change::note(cx, fw.timezone, file, e);
                cx.ok(visit_end(file, at, e)).map(Some)
            }
            None => Some(None),
        };
        let staff = match &v.staff {
            Some(n) => cx.ok(literals::staff(n, file)),
            None => Some(1),
        };
        let crit = cx.ok(fw
            .criticalities
            .lookup(&v.criticality.name, file, v.criticality.span));
        if let (Some(at), Some(end), Some(staff), Some(c)) = (at, end, staff, crit) {
            self.visit_defs.push(VisitDef {
                name: v.name.name.clone(),
                display: v
                    .display
                    .as_ref()
                    .map_or_else(|| v.name.name.replace('_', " "), |d| d.value.clone()),
                at,
                end,
                days: v.days.days.clone(),
                criticality: c,
                staff,
                origin: cx.origin(file, v.span),
            });
        }
    }

    /// `absence NAME "Display" WINDOW { steps }`: a known weekly absence.
    fn absence(&mut self, cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, a: &'a Absence) {
        let file = self.file;
        if cx
            .ok(self.absences.declare(&a.name.name, file, a.name.span))
            .is_none()
        {
            return;
        }
        let windows = weekly_windows(cx, fw, file, &a.window);
        self.absence_defs.push((
            AbsenceDef {
                name: a.name.name.clone(),
                display: a
                    .display
                    .as_ref()
                    .map_or_else(|| a.name.name.replace('_', " "), |d| d.value.clone()),
                windows,
            },
            a,
        ));
    }

    /// `exception NAME "Display" from WHEN to WHEN because "..." { ... }`: an agreed
    /// exception, which must record why; its window is checked in `exception_window`, its changes
    /// once the person's pathways are compiled.
    fn exception(&mut self, cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, e: &'a Exception) {
        let file = self.file;
        for t in std::iter::once(&e.from)
            .chain(&e.to)
            .filter_map(|w| w.time.as_ref())
        {
            super::clock_change::note(cx, fw.timezone, file, t);
        }
        if cx
            .ok(self.exceptions.declare(&e.name.name, file, e.name.span))
            .is_none()
        {
            return;
        }
        if e.because.as_ref().is_none_or(|b| b.value.trim().is_empty()) {
            cx.report(Diagnostic::new(
                Code::UnjustifiedException,
                file,
                e.name.span,
                format!("agreed exception `{}` records no justification", e.name.name),
                "why was this agreed?",
                "add `because \"...\"` with who agreed it and when, so the record shows the decision",
            ));
        }
        let Some((from, until)) = super::exception_window::window(cx, file, e) else {
            return;
        };
        self.exception_defs.push(ExceptionDef {
            name: e.name.name.clone(),
            display: e
                .display
                .as_ref()
                .map_or_else(|| e.name.name.replace('_', " "), |d| d.value.clone()),
            from,
            until,
            suspend_visits: e.suspend_visits,
            because: e.because.as_ref().map(|b| b.value.clone()),
            cites: e.cites.iter().map(|c| c.value.clone()).collect(),
            changes: Vec::new(),
            window_text: ExceptionDef::words_for(from, until).into(),
        });
        self.exception_syntax.push(e);
    }

    /// `threshold CRITICALITY ...`: an override of one of the framework's, at most one each.
    fn threshold(&mut self, cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, t: &'a Threshold) {
        if fw.criticalities.get(&t.criticality.name).is_none() {
            cx.report(unknown(
                "visit criticality",
                &t.criticality.name,
                self.file,
                t.criticality.span,
                fw.criticalities.names().iter().map(|s| s.as_str()),
            ));
        } else if self
            .thresholds
            .iter()
            .any(|x| x.criticality.name == t.criticality.name)
        {
            cx.report(Diagnostic::new(
                Code::Duplicate,
                self.file,
                t.criticality.span,
                format!("the `{}` threshold is overridden twice", t.criticality.name),
                "overridden again here",
                "keep one override per criticality",
            ));
        } else {
            self.thresholds.push(t);
        }
    }

    fn facts_block(&mut self, cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, facts: &[PersonFact]) {
        let file = self.file;
        let mut cap_span: Option<Span> = None;
        for f in facts {
            match f {
                PersonFact::Risk(r, _, _) => {
                    if fw.vocabulary.declares(cx, file, Kind::Risk, r)
                        && !self.risks.contains(&r.name)
                    {
                        self.risks.push(r.name.clone());
                    }
                }
                PersonFact::Capacity(level, _, span) => {
                    if let Some(first) = cap_span {
                        cx.report(
                            Diagnostic::new(
                                Code::Duplicate,
                                file,
                                *span,
                                "capacity is recorded twice",
                                "recorded again here",
                                "record one capacity; if it varies, write `capacity fluctuating`",
                            )
                            .with(file, first, "first recorded here"),
                        );
                        continue;
                    }
                    cap_span = Some(span.span());
                    self.capacity = word::<Capacity>(cx, file, level);
                }
                PersonFact::Communication(n, _, _) => {
                    let Some(need) = fw.vocabulary.find_need(cx, file, n) else {
                        continue;
                    };
                    if !self.communication.contains(&n.name) {
                        self.communication.push(n.name.clone());
                        self.needs.push(need.clone());
                    }
                }
                PersonFact::Has(f, _, _) => {
                    if fw.vocabulary.declares(cx, file, Kind::Fact, f)
                        && !self.has.contains(&f.name)
                    {
                        self.has.push(f.name.clone());
                    }
                }
                PersonFact::Cite(_) => {}
            }
        }
    }

    fn contact(
        &mut self,
        cx: &mut Ctx<'_>,
        fw: &FrameworkScope<'_>,
        c: &crate::syntax::ast::Contact,
    ) {
        let file = self.file;
        if cx
            .ok(self.contacts.declare(&c.name.name, file, c.name.span))
            .is_none()
        {
            return;
        }
        for (what, span) in &c.repeated {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    file,
                    *span,
                    format!("contact `{}` gives `{what}` twice", c.name.name),
                    "given again here",
                    format!("give `{what}` once; which one was meant cannot be guessed"),
                )
                .with(file, c.name.span, "the contact"),
            );
        }
        let needs_basis = match CONTACT_KINDS.iter().find(|(k, _)| *k == c.kind.name) {
            Some((_, needs)) => *needs,
            None => {
                cx.report(unknown(
                    "contact kind",
                    &c.kind.name,
                    file,
                    c.kind.span,
                    CONTACT_KINDS.iter().map(|(k, _)| *k),
                ));
                true
            }
        };
        let basis = self.basis(cx, c, needs_basis);
        for m in &c.methods {
            word::<Method>(cx, file, m);
        }
        let classes = super::classes::contact_classes(cx, fw, file, c);
        self.basis_spans
            .push(c.basis.as_ref().map(|(kind, _)| kind.span.span()));
        self.contact_defs.push((
            ContactDef {
                name: c.name.name.clone(),
                display: c.display.value.clone(),
                kind: c.kind.name.clone(),
                from_stage: c.from_stage.as_ref().map(|s| s.name.clone()),
                basis,
                classes,
            },
            c.from_stage.as_ref().map(|s| s.span.span()),
        ));
    }

    /// A contact's recorded basis, checked against the person's capacity; a contact of a kind
    /// that needs one and has none is reported.
    fn basis(
        &self,
        cx: &mut Ctx<'_>,
        c: &crate::syntax::ast::Contact,
        needs_basis: bool,
    ) -> Option<(Basis, String)> {
        let file = self.file;
        match c
            .basis
            .as_ref()
            .filter(|(_, record)| !record.value.trim().is_empty())
        {
            Some((kind, record)) => {
                let b = word::<Basis>(cx, file, kind);
                if b == Some(Basis::Advocate) {
                    super::standing::advocate_kind(
                        cx,
                        file,
                        kind.span.span(),
                        &c.name.name,
                        &c.kind.name,
                    );
                }
                if let Some(b) = b {
                    super::standing::at_declaration(
                        cx,
                        file,
                        kind.span.span(),
                        &c.name.name,
                        b,
                        self.capacity,
                    );
                }
                b.map(|b| (b, record.value.clone()))
            }
            None => {
                if needs_basis {
                    cx.report(Diagnostic::new(
                        Code::NoContactBasis,
                        file,
                        c.name.span,
                        format!(
                            "contact `{}` ({}) may be contacted with no recorded basis",
                            c.name.name, c.kind.name
                        ),
                        "on what basis is information shared?",
                        // A person recorded as lacking capacity cannot consent: offering it
                        // led straight to E026 (found by a docs-only tester).
                        if self.capacity == Some(crate::vocab::Capacity::Lacking) {
                            "add `basis best_interests \"...\"` (the person is recorded as lacking capacity, so not consent), or the attorney, deputy or advocate the person has (`basis attorney_health_welfare \"...\"`), recording when and by whom it was decided or registered"
                        } else {
                            "add `basis consent \"...\"`, `basis best_interests \"...\"`, or the attorney, deputy or advocate the person has (`basis attorney_health_welfare \"...\"`), recording when and by whom it was agreed or registered"
                        },
                    ));
                }
                None
            }
        }
    }

    /// The person's communication need that rules out `m` at all times, if any.
    pub fn ruled_out_always(&self, m: Method) -> Option<&Need> {
        self.needs
            .iter()
            .find(|n| n.window.is_none() && n.rules_out.contains(&m))
    }

    /// The person's communication need that rules out `m` inside a calendar, if any (and
    /// none rules it out at all times).
    pub fn ruled_out_at_times(&self, m: Method) -> Option<&Need> {
        if self.ruled_out_always(m).is_some() {
            return None;
        }
        self.needs
            .iter()
            .find(|n| n.window.is_some() && n.rules_out.contains(&m))
    }

    /// E020 at `span`: contact by `m`, which `need` rules out at all times.
    pub fn ruled_out_finding(
        &self,
        span: impl Into<Span>,
        what: &str,
        need: &Need,
        m: Method,
    ) -> Diagnostic {
        let can: Vec<String> = Method::ALL
            .iter()
            .filter(|x| !self.needs.iter().any(|n| n.rules_out.contains(x)))
            .take(3)
            .map(|x| format!("`{x}`"))
            .collect();
        Diagnostic::new(
            Code::PhoneForNoPhone,
            self.file,
            span,
            format!("{what}, but the person's need `{}` rules out `{m}`", need.name),
            format!("{m} contact planned here"),
            format!(
                "the framework says `{}` means: {}; use methods the person can receive, such as {} (Equality Act 2010)",
                need.name,
                crate::wording::lower_first(&need.display),
                crate::wording::either(&can)
            ),
        )
    }

    /// The person's facts, for conditions.
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            risks: &self.risks,
            capacity: self.capacity,
            communication: &self.communication,
            has: &self.has,
        }
    }

    /// Contact definitions without spans.
    pub fn contact_list(&self) -> Vec<ContactDef> {
        self.contact_defs.iter().map(|(c, _)| c.clone()).collect()
    }
}

/// A visit's planned end, which may not be its start (a visit of no length, or of a whole
/// day, is a slip).
fn visit_end(
    file: usize,
    start: Option<(u32, u32)>,
    end: &crate::syntax::ast::ClockTime,
) -> Result<(u32, u32), Diagnostic> {
    let e = literals::clock(end, file)?;
    if start == Some(e) {
        return Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            end.span,
            format!("the visit ends at `{:02}:{:02}`, when it starts", e.0, e.1),
            "ends when it starts",
            "write the planned end after the start (`08:00-08:45`); an end before the start is on the next day",
        ));
    }
    Ok(e)
}
