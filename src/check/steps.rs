//! Compiling steps, deadlines, actions and conditions for one pathway, against the framework
//! and (for a person) the protocol's declarations.

use super::conditions::CondX;
use super::diagnostic::{Code, Diagnostic};
use super::framework::FrameworkScope;
use super::literals;
use super::person::PersonScope;
use super::table::unknown;
use super::vocabulary::Kind;
use super::Ctx;
use crate::rules::{
    ActionDef, AliasId, Anchor, CascadeItem, ContactId, DeadlineAtomDef, DeadlineDef, LogId,
    Responsible, RoleId, StepDef,
};
use crate::span::Span;
use crate::syntax::ast::{
    Action, Branch, Condition, Deadline, DeadlineAtom, Ident, Step, StepClause,
};
use crate::vocab::{Capacity, EventKind};

/// One step to compile, with where it comes from.
#[derive(Debug, Clone)]
pub struct StepSrc<'a> {
    /// Source index.
    pub file: usize,
    /// The step.
    pub step: &'a Step,
    /// Its stage.
    pub stage: Option<String>,
    /// A condition added by its context (an absence window), and how it would be written
    /// (`during day_centre`), for the step's `when` as shown.
    pub extra: Option<(CondX, String)>,
    /// The framework step it replaces, if a protocol refinement.
    pub refines: Option<(usize, &'a Step)>,
}

/// Who is using what, for unused-declaration warnings.
#[derive(Debug, Default, Clone)]
pub struct Usage {
    /// Role indices referenced.
    pub roles: std::collections::BTreeSet<RoleId>,
    /// Alias indices referenced.
    pub aliases: std::collections::BTreeSet<AliasId>,
    /// Contact indices referenced (per protocol, reset for each).
    pub contacts: std::collections::BTreeSet<ContactId>,
}

/// A step's clauses as written, each at most once.
#[derive(Default)]
struct Clauses<'s> {
    role: Option<&'s Ident>,
    roles: Option<(bool, &'s [Ident], Span)>,
    deadline: Option<&'s Deadline>,
    after: Option<&'s Ident>,
    branch: Option<&'s Branch>,
    closure: Option<bool>,
    judged: Option<(bool, Span)>,
    until: Option<&'s Ident>,
    when: Option<&'s Condition>,
    when_span: Option<Span>,
    breach: Option<(&'s Ident, &'s Deadline)>,
    because: Option<String>,
    cites: Vec<String>,
}

impl<'s> Clauses<'s> {
    /// Sort a step's clauses; a clause written twice is reported (and the flag is false).
    fn gather(cx: &mut Ctx<'_>, file: usize, step: &'s Step) -> (Self, bool) {
        let mut c = Clauses::default();
        let mut ok = true;
        for clause in &step.clauses {
            let repeated = match clause {
                StepClause::Role(r) => c.role.replace(r).is_some() || c.roles.is_some(),
                StepClause::Roles(all, rs, sp) => {
                    c.roles.replace((*all, rs, sp.span())).is_some() || c.role.is_some()
                }
                StepClause::Deadline(d) => c.deadline.replace(d).is_some(),
                StepClause::After(a, b) => {
                    c.branch = b.as_ref();
                    c.after.replace(a).is_some()
                }
                StepClause::Closure(stays, _) => c.closure.replace(*stays).is_some(),
                StepClause::Judged(start, sp) => c.judged.replace((*start, sp.span())).is_some(),
                StepClause::Until(u) => c.until.replace(u).is_some(),
                StepClause::When(w, sp) => {
                    c.when_span = Some(sp.span());
                    c.when.replace(w).is_some()
                }
                StepClause::Breach(r, d, _) => c.breach.replace((r, d)).is_some(),
                StepClause::Because(b) => {
                    let again = c.because.is_some();
                    // A blank justification justifies nothing.
                    c.because = Some(b.value.clone()).filter(|v| !v.trim().is_empty());
                    again
                }
                StepClause::Cite(s) => {
                    c.cites.push(s.value.clone());
                    false
                }
            };
            if repeated {
                ok = false;
                cx.report(Diagnostic::new(
                    Code::BadClause,
                    file,
                    clause.span(),
                    format!("step `{}` says this twice", step.name.name),
                    "repeated clause",
                    "give each step one `by`, one deadline, one `after`, one `when`, one `on breach` and one `on closure`",
                ));
            }
        }
        (c, ok)
    }
}

/// A step's compiled parts, before it is built.
struct Parts {
    action: ActionDef,
    responsible: Responsible,
    deadline: Option<DeadlineDef>,
    after: Option<u16>,
    deciders: Option<crate::rules::flow::Deciders>,
    at_closure: Option<bool>,
    judged_at_start: bool,
    until: Option<crate::vocab::EventKind>,
    condition: crate::rules::Cond,
    when_text: Option<String>,
    breach: Option<(Responsible, DeadlineDef)>,
    because: Option<String>,
    cites: Vec<String>,
}

/// The event a step lasts until: `Some(None)` for a step with no `until`; `None` after
/// reporting a problem. Only a `stay` lasts until an event, and it must have one (it would
/// never end) and no deadline of its own (it ends when the event happens, not at a time).
fn until(
    cx: &mut Ctx<'_>,
    file: usize,
    step: &Step,
    clauses: &Clauses<'_>,
) -> Option<Option<crate::vocab::EventKind>> {
    let stay = matches!(step.action, Action::Stay(_));
    let problem = match (stay, clauses.until, clauses.deadline) {
        (false, None, _) => return Some(None),
        (true, Some(u), None) => {
            return super::table::word::<crate::vocab::EventKind>(cx, file, u).map(Some)
        }
        (true, None, _) => (
            step.action.span(),
            format!("step `{}` stays with no end", step.name.name),
            "stays until when?",
            "say what ends it, for example `until released` (the manager releases the worker) or `until agency_arrived`",
        ),
        (true, Some(_), Some(d)) => (
            d.span(),
            format!("step `{}` stays until an event, and has a deadline too", step.name.name),
            "a stay ends with its event, not at a time",
            "leave out the deadline; to raise the alarm if the stay runs long, add a timed step after it",
        ),
        (false, Some(u), _) => (
            u.span,
            format!("step `{}` is not a `stay`, so nothing lasts until `{}`", step.name.name, u.name),
            "only a stay lasts until an event",
            "a duty ends when it is done; write `step NAME: stay by ROLE until EVENT` for a duty that lasts",
        ),
    };
    cx.report(Diagnostic::new(
        Code::BadClause,
        file,
        problem.0,
        problem.1,
        problem.2,
        problem.3,
    ));
    None
}

/// The role written in `by` (the first, for a shared decision), or `None` after reporting a
/// step with none.
fn responsible_named<'s>(
    cx: &mut Ctx<'_>,
    file: usize,
    step: &Step,
    clauses: &Clauses<'s>,
) -> Option<&'s Ident> {
    let role = clauses.role.or(clauses.roles.and_then(|r| r.1.first()));
    if role.is_none() {
        cx.report(Diagnostic::new(
            Code::BadClause,
            file,
            step.name.span,
            format!("step `{}` has no responsible role", step.name.name),
            "who must do this?",
            "add `by` and a role or alias, for example `by support_worker`",
        ));
    }
    role
}

/// `judged at ...` says when a step's condition is judged: with no `when`, there is none.
/// False after reporting it.
fn judged_with_condition(
    cx: &mut Ctx<'_>,
    file: usize,
    step: &Step,
    clauses: &Clauses<'_>,
) -> bool {
    let Some((_, span)) = clauses.judged.filter(|_| clauses.when.is_none()) else {
        return true;
    };
    cx.report(Diagnostic::new(
        Code::BadClause,
        file,
        span,
        format!(
            "step `{}` says when its condition is judged, and has none",
            step.name.name
        ),
        "nothing to judge",
        "add the condition (`when out_of_hours`), or leave out `judged at`",
    ));
    false
}

/// The index of the step an `after` names, or `None` after reporting it.
fn after_index(cx: &mut Ctx<'_>, file: usize, a: &Ident, names: &[&str]) -> Option<u16> {
    match names.iter().position(|n| *n == a.name) {
        Some(i) => u16::try_from(i).ok(),
        None => {
            cx.report(unknown(
                "step",
                &a.name,
                file,
                a.span,
                names.iter().copied(),
            ));
            None
        }
    }
}

/// The pathway a list of steps belongs to, for what its steps cite.
pub struct PathwayCx<'a> {
    /// The pathway's name.
    pub name: &'a str,
    /// The pathway's citations, cited after each step's own.
    pub cites: &'a [String],
}

/// The checker's declarations, answering what an action's words need.
struct ScopeNames<'f, 'a> {
    fw: &'f FrameworkScope<'a>,
    symbols: &'f crate::rules::Interner,
}

impl crate::rules::describe::Names for ScopeNames<'_, '_> {
    fn role_display(&self, role: RoleId) -> &str {
        self.fw
            .role_info
            .get(role.index())
            .map_or("", |(d, _)| d.as_str())
    }
    fn alias_def(&self, alias: AliasId) -> Option<&crate::rules::AliasDef> {
        self.fw.alias_defs.get(alias.index())
    }
    fn log_def(&self, log: crate::rules::LogId) -> Option<&crate::rules::LogDef> {
        self.fw.log_defs.get(log.index())
    }
    fn agency_def(&self, agency: crate::rules::AgencyId) -> Option<&crate::rules::AgencyDef> {
        self.fw.agency_defs.get(agency.index())
    }
    fn symbol(&self, sym: crate::rules::Sym) -> &str {
        self.symbols.name(sym)
    }
    fn decision_def(
        &self,
        decision: crate::rules::DecisionId,
    ) -> Option<&crate::rules::flow::DecisionDef> {
        self.fw.decision_defs.get(decision.index())
    }

    fn class_def(&self, class: crate::rules::ClassId) -> Option<&crate::rules::ClassDef> {
        self.fw.class_defs.get(class.index())
    }

    fn calendar_display(&self, cal: crate::rules::CalendarId) -> &str {
        self.fw
            .calendar_defs
            .get(cal.index())
            .map_or("", |c| c.display.as_str())
    }
}

/// The context steps are compiled in.
pub struct StepCx<'f, 'a> {
    /// The framework.
    pub fw: &'f FrameworkScope<'a>,
    /// The person, when compiling a protocol's effective pathways.
    pub person: Option<&'f PersonScope<'a>>,
    /// The pathway's trigger, for conditions on a declared trigger's attributes and reporter
    /// (`None` for governance rules, which have no trigger of their own).
    pub on: Option<crate::rules::TriggerOn>,
}

impl StepCx<'_, '_> {
    /// Compile a list of steps that may refer to each other by name. The flag is false when
    /// any step had an error of its own: ladder-wide checks are then skipped, so one mistake
    /// is reported once rather than again as a missing escalation.
    pub fn compile_steps(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        pathway: &PathwayCx<'_>,
        srcs: &[StepSrc<'_>],
    ) -> Result<Vec<StepDef>, Vec<StepDef>> {
        let names: Vec<&str> = srcs.iter().map(|s| s.step.name.name.as_str()).collect();
        // Steps refer to each other by a 16-bit index; the limit is checked here, once.
        if let Some(extra) = srcs.get(usize::from(u16::MAX) + 1) {
            cx.report(Diagnostic::new(
                Code::AbsurdValue,
                extra.file,
                extra.step.name.span,
                format!("pathway `{}` has more than 65,536 steps", pathway.name),
                "one too many",
                "split the pathway",
            ));
            return Err(Vec::new());
        }
        // A step that fails to compile keeps its place (as `None`), so that `after` and anchors
        // elsewhere still resolve as written while the rest are checked.
        let mut out: Vec<Option<StepDef>> = srcs
            .iter()
            .enumerate()
            .map(|(i, src)| self.compile_step(cx, usage, pathway, src, i, &names))
            .collect();
        let circular = report_after_cycles(cx, srcs, &out);
        let plain: Vec<(usize, &Step)> = srcs.iter().map(|s| (s.file, s.step)).collect();
        let branched = super::flow::branches(cx, &plain, &mut out, &self.fw.decision_defs);
        if !circular && branched && out.iter().all(Option::is_some) {
            Ok(out.into_iter().flatten().collect())
        } else {
            Err(out.into_iter().flatten().collect())
        }
    }

    /// One step, whole, or `None` after reporting why it cannot be compiled. Every part is
    /// checked (so every finding is reported) before any is given up on.
    fn compile_step(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        pathway: &PathwayCx<'_>,
        src: &StepSrc<'_>,
        index: usize,
        names: &[&str],
    ) -> Option<StepDef> {
        let file = src.file;
        let step = src.step;
        let (clauses, mut ok) = Clauses::gather(cx, file, step);
        // With no role, the step's other clauses are still checked, so that one run reports
        // every slip in it (found by a docs-only tester: a zero deadline and a misspelt
        // `after` showed only once `by` was added).
        let role = responsible_named(cx, file, step, &clauses);
        let responsible = role.and_then(|role| self.responsible(cx, usage, file, role));
        let deciders = self.deciders(cx, usage, file, step, &clauses);
        ok &= deciders.is_some();
        let action = self.action(cx, usage, file, &step.action);
        let until = until(cx, file, step, &clauses);
        ok &= until.is_some() && judged_with_condition(cx, file, step, &clauses);
        let deadline = clauses
            .deadline
            .map(|d| self.deadline(cx, file, d, index, names));
        let after = clauses.after.map(|a| after_index(cx, file, a, names));
        ok &= after.is_none_or(|a| a.is_some());
        let after = after.flatten();
        let mut condition = match clauses.when {
            Some(c) => self.condition(cx, file, c),
            None => Some(CondX::Const(true)),
        };
        if let (Some((extra, _)), Some(c)) = (&src.extra, &condition) {
            condition = Some(CondX::And(vec![extra.clone(), c.clone()]));
        }
        // The step shows the condition its context adds, as if written: a step of an absence
        // applies only during it, and `show` says so.
        let written = clauses.when_span.map(|sp| cx.slice(file, sp));
        let when_text = match (src.extra.as_ref().map(|(_, w)| w), written) {
            (Some(e), Some(w)) => Some(format!("{e} and ({w})")),
            (Some(e), None) => Some(e.clone()),
            (None, w) => w,
        };
        let breach = match clauses.breach {
            Some((r, d)) => {
                let r = self.responsible(cx, usage, file, r);
                let d = self.deadline(cx, file, d, index, names);
                ok &= r.is_some() && d.is_some();
                r.zip(d)
            }
            None => None,
        };
        let (responsible, action, condition) = (responsible?, action?, condition?);
        let deadline = match deadline {
            Some(Some(d)) => Some(d),
            Some(None) => return None,
            None => None,
        };
        ok &= !self.never_fires(cx, file, step, &condition);
        super::spread::windows_fit(
            cx,
            self.fw,
            file,
            step,
            (&action, deadline, after.is_some()),
        );
        if !ok {
            return None;
        }
        let facts = self.person.map(|p| p.facts()).unwrap_or_default();
        let parts = Parts {
            action,
            responsible,
            deadline,
            after,
            deciders: deciders.flatten(),
            at_closure: clauses.closure,
            judged_at_start: clauses.judged.is_some_and(|j| j.0),
            until: until.flatten(),
            condition: condition.fold(&facts),
            when_text,
            breach,
            because: clauses.because,
            cites: clauses.cites,
        };
        Some(self.step_def(cx, pathway, src, parts))
    }

    /// A step whose condition cannot hold: a contradiction, or (given the person's recorded
    /// facts) a step written for someone else. Reported; true if so.
    fn never_fires(&self, cx: &mut Ctx<'_>, file: usize, step: &Step, condition: &CondX) -> bool {
        let own_facts = self.person.filter(|p| p.file == file).map(|p| p.facts());
        let why = if !condition.satisfiable(None) {
            "at any time"
        } else if own_facts
            .as_ref()
            .is_some_and(|f| !condition.satisfiable(Some(f)))
        {
            "for this person"
        } else {
            return false;
        };
        let span = step
            .clauses
            .iter()
            .find(|c| matches!(c, StepClause::When(..)))
            .map_or(step.name.span, |c| c.span());
        cx.report(Diagnostic::new(
            Code::NeverFires,
            file,
            span,
            format!(
                "step `{}` can never fire: its condition cannot hold {why}",
                step.name.name
            ),
            "this condition is always false",
            "check the condition against the person's recorded facts, or remove the step",
        ));
        true
    }

    /// The step, built whole: its citations (the framework rule's first when a protocol refines
    /// it, then its own, then the pathway's), where it is written as decisions cite it, and
    /// what it asks in words, all shared by every obligation it produces.
    fn step_def(
        &self,
        cx: &mut Ctx<'_>,
        pathway: &PathwayCx<'_>,
        src: &StepSrc<'_>,
        parts: Parts,
    ) -> StepDef {
        let step = src.step;
        let mut cites = Vec::new();
        if let Some((_, base)) = src.refines {
            cites.extend(base.clauses.iter().filter_map(|c| match c {
                StepClause::Cite(s) => Some(s.value.clone()),
                _ => None,
            }));
        }
        for c in parts.cites {
            if !cites.contains(&c) {
                cites.push(c);
            }
        }
        let mut with_pathway = cites.clone();
        for c in pathway.cites {
            if !with_pathway.contains(c) {
                with_pathway.push(c.clone());
            }
        }
        let origin = cx.origin(src.file, step.span);
        let provenance = std::sync::Arc::new(crate::rules::RuleRef {
            name: format!("{}.{}", pathway.name, step.name.name),
            file: origin.file.clone(),
            line: origin.line,
            column: origin.column,
        });
        let contacts = self.person.map(|p| p.contact_list()).unwrap_or_default();
        let mut summaries = crate::rules::describe::summaries(
            &ScopeNames {
                fw: self.fw,
                symbols: &cx.symbols,
            },
            &contacts,
            &parts.action,
        );
        if let Some(kind) = parts.until {
            let ends = crate::wording::humanise(crate::vocab::Vocabulary::name(kind));
            summaries = summaries.map(|s| std::sync::Arc::from(format!("{s} until {ends}")));
        }
        StepDef {
            name: step.name.name.clone(),
            stage: src.stage.clone(),
            action: parts.action,
            responsible: parts.responsible,
            deadline: parts.deadline,
            after: parts.after,
            follows: crate::rules::flow::Follow::Any,
            deciders: parts.deciders,
            at_closure: parts.at_closure,
            judged_at_start: parts.judged_at_start,
            until: parts.until,
            condition: parts.condition,
            when_text: parts.when_text,
            breach: parts.breach,
            cites,
            origin,
            refines: src.refines.map(|(f, s)| cx.origin(f, s.span)),
            because: parts.because,
            provenance,
            all_cites: std::sync::Arc::from(with_pathway),
            summaries,
        }
    }

    /// `by any of A, B` / `by all of A, B`: only a decision is shared, and by roles that
    /// exist, each named once. `Some(None)` for a step with one role; `None` after reporting.
    fn deciders(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        file: usize,
        step: &Step,
        clauses: &Clauses<'_>,
    ) -> Option<Option<crate::rules::flow::Deciders>> {
        let Some((all, names, span)) = clauses.roles else {
            return Some(None);
        };
        if !matches!(step.action, Action::Decide(..)) {
            cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                span,
                format!(
                    "step `{}` is given to several roles, and is not a decision",
                    step.name.name
                ),
                "only a decision is shared",
                "give the duty to one role (or an alias); several roles may share a `decide` step",
            ));
            return None;
        }
        let mut roles = Vec::new();
        for n in names {
            let r = self.responsible(cx, usage, file, n)?;
            if roles.contains(&r) {
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    n.span,
                    format!("step `{}` names `{}` twice", step.name.name, n.name),
                    "named already",
                    "name each role once",
                ));
                return None;
            }
            roles.push(r);
        }
        Some(Some(crate::rules::flow::Deciders { all, roles }))
    }

    /// A role or alias.
    pub fn responsible(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        file: usize,
        who: &Ident,
    ) -> Option<Responsible> {
        let role = self.fw.roles.get(&who.name);
        // A name that is both a role and an alias (E004, reported where declared): which one
        // a step means cannot be known, and guessing the role brings findings about a role
        // the author never meant (it outranks no one). The step waits for the rename.
        if self.fw.role_alias_clashes.contains(&who.name) {
            if let Some(r) = role {
                usage.roles.insert(r);
            }
            return None;
        }
        if let Some(i) = role {
            usage.roles.insert(i);
            return Some(Responsible::Role(i));
        }
        if let Some(i) = self.fw.aliases.get(&who.name) {
            usage.aliases.insert(i);
            if let Some(a) = self.fw.alias_defs.get(i.index()) {
                usage.roles.insert(a.inside);
                usage.roles.insert(a.otherwise);
            }
            return Some(Responsible::Alias(i));
        }
        let candidates: Vec<&str> = self
            .fw
            .roles
            .names()
            .iter()
            .chain(self.fw.aliases.names())
            .map(|s| s.as_str())
            .collect();
        cx.report(unknown("role", &who.name, file, who.span, candidates));
        None
    }

    /// An action.
    pub fn action(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        file: usize,
        action: &Action,
    ) -> Option<ActionDef> {
        let fw = self.fw;
        match action {
            Action::Attempt {
                methods,
                times,
                every,
                covering,
                follow_up,
                span,
            } => {
                let mut ms = Vec::new();
                let mut ok = true;
                for m in methods {
                    match super::table::word::<crate::vocab::Method>(cx, file, m) {
                        Some(x) => ms.push(x),
                        None => ok = false,
                    }
                }
                if ms.is_empty() {
                    if let Some(p) = self.person {
                        ms = p.methods.clone();
                    }
                }
                let times_lit = times;
                let times = cx.ok(literals::count(times, file, "the number of attempts"));
                let every = match every {
                    Some(d) => Some(cx.duration(d, file, "the spacing of attempts")?),
                    None => None,
                };
                let written = super::spread::Written {
                    covering,
                    times: (times_lit, times),
                    follow_up: *follow_up,
                    span: (*span).into(),
                };
                let covering = super::spread::windows(cx, fw, file, &written);
                if !ok {
                    return None;
                }
                Some(ActionDef::Attempt {
                    methods: ms,
                    times: times?,
                    every,
                    covering: covering?,
                    follow_up: *follow_up,
                })
            }
            Action::Notify(who, _) => self
                .responsible(cx, usage, file, who)
                .map(ActionDef::Notify),
            Action::Contact(names, _) => self.cascade(cx, usage, file, names),
            Action::Record(log, _) => self.log(cx, file, log).map(ActionDef::Record),
            Action::Review(verb, log, _) => {
                self.log(cx, file, log).map(|l| ActionDef::Review(*verb, l))
            }
            Action::Escalate(a, _) => cx
                .ok(fw.agencies.lookup(&a.name, file, a.span))
                .map(ActionDef::Escalate),
            Action::ReferSafeguarding(_) => Some(ActionDef::ReferSafeguarding),
            Action::VerifyWhereabouts(_) => Some(ActionDef::VerifyWhereabouts),
            Action::Stay(_) => Some(ActionDef::Stay),
            Action::Decide(d, _) => cx
                .ok(fw.decisions.lookup(&d.name, file, d.span))
                .map(ActionDef::Decide),
            Action::HandOver(p, _) => self.hand_over(cx, file, p),
            Action::Check(what, _) => self.check_target(cx, file, what),
        }
    }

    /// `contact A then B ...`: each name one of the person's contacts (in a protocol step) or
    /// one of the framework's contact classes ([`super::classes::cascade_item`]).
    fn cascade(
        &self,
        cx: &mut Ctx<'_>,
        usage: &mut Usage,
        file: usize,
        names: &[Ident],
    ) -> Option<ActionDef> {
        // Every name is looked up (and every unknown one reported) before giving up.
        let own = self.person.filter(|p| p.file == file).map(|p| &p.contacts);
        let items: Vec<Option<CascadeItem>> = names
            .iter()
            .map(|n| super::classes::cascade_item(cx, self.fw, own, file, n))
            .collect();
        let items: Vec<CascadeItem> = items.into_iter().collect::<Option<_>>()?;
        // Whoever the cascade reaches for this person is contacted (W002).
        if let Some(p) = self.person {
            usage
                .contacts
                .extend(crate::rules::cascade::expand(&items, &p.contact_list()));
        }
        Some(ActionDef::Contact(items))
    }

    /// `check WHAT`: an observation or a group the framework declares (E028 otherwise), so
    /// that only an observation of it can do the step.
    fn check_target(&self, cx: &mut Ctx<'_>, file: usize, what: &Ident) -> Option<ActionDef> {
        self.fw
            .vocabulary
            .observation(cx, file, what)
            .then(|| ActionDef::Check(cx.symbols.intern(&what.name)))
    }

    /// `hand over to P`: a pathway of the framework or of this person's protocol.
    fn hand_over(&self, cx: &mut Ctx<'_>, file: usize, p: &Ident) -> Option<ActionDef> {
        let own = self
            .person
            .map(|x| {
                x.pathways
                    .iter()
                    .map(|w| w.name.name.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if self.fw.pathway_names.get(&p.name).is_some() || own.contains(&p.name.as_str()) {
            return Some(ActionDef::HandOver(p.name.clone()));
        }
        let names: Vec<&str> = self
            .fw
            .pathway_names
            .names()
            .iter()
            .map(|s| s.as_str())
            .chain(own.iter().copied())
            .collect();
        cx.report(unknown("pathway", &p.name, file, p.span, names));
        None
    }

    fn log(&self, cx: &mut Ctx<'_>, file: usize, log: &Ident) -> Option<LogId> {
        cx.ok(self.fw.logs.lookup(&log.name, file, log.span))
    }

    /// A deadline; `Some(None)` is never returned: `None` means a finding was reported.
    pub fn deadline(
        &self,
        cx: &mut Ctx<'_>,
        file: usize,
        d: &Deadline,
        index: usize,
        names: &[&str],
    ) -> Option<DeadlineDef> {
        match d {
            Deadline::Atom(a) => self.atom(cx, file, a, index, names).map(DeadlineDef::Atom),
            Deadline::Pick { latest, a, b, .. } => {
                let a = self.atom(cx, file, a, index, names);
                let b = self.atom(cx, file, b, index, names);
                let (a, b) = (a?, b?);
                Some(if *latest {
                    DeadlineDef::Latest(a, b)
                } else {
                    DeadlineDef::Earliest(a, b)
                })
            }
        }
    }

    fn atom(
        &self,
        cx: &mut Ctx<'_>,
        file: usize,
        a: &DeadlineAtom,
        index: usize,
        names: &[&str],
    ) -> Option<DeadlineAtomDef> {
        match a {
            DeadlineAtom::Within(d, anchor, _) => {
                let secs = cx.duration(d, file, "the deadline");
                let fw = self.fw;
                if let Some(cal) =
                    super::clocks::calendar_anchor(cx, fw, file, anchor.as_ref(), names)
                {
                    let (secs, calendar) = (secs?, cal?);
                    let named = (d, anchor.as_ref()?);
                    return super::clocks::open_long_enough(cx, fw, file, named, calendar, secs)
                        .then_some(DeadlineAtomDef::InCalendar { secs, calendar });
                }
                let anchor = self.anchor(cx, file, anchor.as_ref(), index, names);
                Some(DeadlineAtomDef::Within {
                    secs: secs?,
                    anchor: anchor?,
                })
            }
            DeadlineAtom::Immediately(anchor, span) => {
                let anchor = self.anchor(cx, file, anchor.as_ref(), index, names);
                let Some(secs) = self.fw.immediately else {
                    // Written with a value refused: that finding is the one to fix.
                    if self.fw.immediately_written {
                        return None;
                    }
                    cx.report(
                        Diagnostic::new(
                            Code::MissingItem,
                            file,
                            *span,
                            "`immediately` is used but the framework does not say what it means",
                            "how long is immediately?",
                            "add `immediately means 5m` (or the provider's own figure) to the framework",
                        )
                        .with(self.fw.file, self.fw.head, "the framework"),
                    );
                    return None;
                };
                Some(DeadlineAtomDef::Within {
                    secs,
                    anchor: anchor?,
                })
            }
            DeadlineAtom::ByClock(t, next, _) => {
                let (hour, minute) = cx.ok(literals::clock(t, file))?;
                super::clock_change::note(cx, self.fw.timezone, file, t);
                Some(DeadlineAtomDef::ByClock {
                    hour,
                    minute,
                    next_working_day: *next,
                })
            }
            DeadlineAtom::EndOfDay(_) => Some(DeadlineAtomDef::EndOfDay),
            DeadlineAtom::EndOfWorkingDay(_) => Some(DeadlineAtomDef::EndOfWorkingDay),
            DeadlineAtom::NextWorkingDay(_) => Some(DeadlineAtomDef::NextWorkingDay),
            DeadlineAtom::WorkingDays(n, _) => cx
                .ok(super::clocks::working_days(n, file))
                .map(|days| DeadlineAtomDef::WorkingDays { days }),
        }
    }

    fn anchor(
        &self,
        cx: &mut Ctx<'_>,
        file: usize,
        anchor: Option<&Ident>,
        index: usize,
        names: &[&str],
    ) -> Option<Anchor> {
        let Some(a) = anchor else {
            return Some(Anchor::Start);
        };
        if a.name == "trigger" {
            return Some(Anchor::Trigger);
        }
        if let Some(i) = names.iter().position(|n| *n == a.name) {
            if i == index {
                cx.report(Diagnostic::new(
                    Code::Cycle,
                    file,
                    a.span,
                    format!("step `{}` is due relative to its own completion", a.name),
                    "a step cannot wait for itself",
                    "anchor the deadline on the trigger, another step or an event",
                ));
                return None;
            }
            return u16::try_from(i).ok().map(Anchor::Step);
        }
        if let Some(e) = EventKind::from_name(&a.name) {
            return Some(Anchor::Event(e));
        }
        let mut candidates: Vec<&str> = names.to_vec();
        candidates.push("trigger");
        candidates.extend(EventKind::ALL.iter().map(|e| -> &str { e.name() }));
        candidates.extend(self.fw.calendars.names().iter().map(String::as_str));
        cx.report(unknown(
            "step, event or calendar",
            &a.name,
            file,
            a.span,
            candidates,
        ));
        None
    }

    /// A condition, person facts kept as variables.
    pub fn condition(&self, cx: &mut Ctx<'_>, file: usize, c: &Condition) -> Option<CondX> {
        let fw = self.fw;
        Some(match c {
            Condition::And(cs) => CondX::And(
                cs.iter()
                    .map(|c| self.condition(cx, file, c))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Condition::Or(cs) => CondX::Or(
                cs.iter()
                    .map(|c| self.condition(cx, file, c))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Condition::Not(c, _) => CondX::Not(Box::new(self.condition(cx, file, c)?)),
            Condition::OutOfHours(span) => {
                self.require_office_hours(cx, file, *span)?;
                CondX::OutOfHours
            }
            Condition::In(cal) => {
                if cal.name == "office_hours" {
                    self.require_office_hours(cx, file, cal.span)?;
                    CondX::Not(Box::new(CondX::OutOfHours))
                } else {
                    let i = cx.ok(fw.calendars.lookup(&cal.name, file, cal.span))?;
                    CondX::InCalendar(i)
                }
            }
            Condition::During(x) => self.during(cx, file, x)?,
            Condition::Risk(r) => {
                if !fw.vocabulary.declares(cx, file, Kind::Risk, r) {
                    return None;
                }
                CondX::Risk(r.name.clone())
            }
            Condition::Capacity(level) => {
                CondX::Capacity(super::table::word::<Capacity>(cx, file, level)?)
            }
            Condition::Communication(_) | Condition::Observed(..) | Condition::Has(_) => {
                return self.word_condition(cx, file, c);
            }
            Condition::Visit(c) => {
                let i = cx.ok(fw.criticalities.lookup(&c.name, file, c.span))?;
                CondX::Visit(i)
            }
            Condition::Attribute(a, v) => super::triggers::attribute(cx, fw, self.on, file, a, v)?,
            Condition::ReportedBy(r) => super::triggers::reporter(cx, fw, self.on, file, r)?,
        })
    }

    /// `during NAME`: one of the person's absences or agreed exceptions; in a framework, E002.
    fn during(&self, cx: &mut Ctx<'_>, file: usize, x: &Ident) -> Option<CondX> {
        let Some(p) = self.person else {
            cx.report(Diagnostic::new(
                Code::Misplaced,
                file,
                x.span,
                format!("a framework rule cannot test `during {}`", x.name),
                "absences and exceptions belong to protocols",
                "write this condition in the person's protocol",
            ));
            return None;
        };
        if let Some(i) = p.absences.get(&x.name) {
            Some(CondX::DuringAbsence(i))
        } else if let Some(i) = p.exceptions.get(&x.name) {
            Some(CondX::DuringException(i))
        } else {
            let candidates: Vec<&str> = p
                .absences
                .names()
                .iter()
                .chain(p.exceptions.names())
                .map(|s| s.as_str())
                .collect();
            cx.report(unknown(
                "absence or exception",
                &x.name,
                file,
                x.span,
                candidates,
            ));
            None
        }
    }

    /// A condition on a word of the framework's closed vocabularies: a communication need, an
    /// observation (or group), a fact; E028 if the framework does not declare it.
    fn word_condition(&self, cx: &mut Ctx<'_>, file: usize, c: &Condition) -> Option<CondX> {
        let v = &self.fw.vocabulary;
        match c {
            Condition::Communication(n) => {
                v.find_need(cx, file, n)?;
                Some(CondX::Communication(n.name.clone()))
            }
            Condition::Observed(o, before) => {
                let back = match before {
                    Some(d) => cx.duration(d, file, "the look-back before the trigger")?,
                    None => 0,
                };
                v.observation(cx, file, o)
                    .then(|| CondX::Observed(cx.symbols.intern(&o.name), back))
            }
            Condition::Has(f) => v
                .declares(cx, file, Kind::Fact, f)
                .then(|| CondX::Has(f.name.clone())),
            _ => None,
        }
    }

    fn require_office_hours(
        &self,
        cx: &mut Ctx<'_>,
        file: usize,
        span: impl Into<Span>,
    ) -> Option<()> {
        let span: Span = span.into();
        if self.fw.office_hours().is_some() {
            return Some(());
        }
        cx.report(
            Diagnostic::new(
                Code::MissingItem,
                file,
                span,
                "out of hours is tested but the framework declares no `office_hours` calendar",
                "out of hours compared with what?",
                "declare `calendar office_hours { Mon-Fri 09:00-17:00  except bank_holidays }` (with the provider's hours)",
            )
            .with(self.fw.file, self.fw.head, "the framework"),
        );
        None
    }
}

/// Report each circle of steps waiting for each other once, at the first step in it; true if
/// there is one.
fn report_after_cycles(cx: &mut Ctx<'_>, srcs: &[StepSrc<'_>], steps: &[Option<StepDef>]) -> bool {
    let mut in_circle = vec![false; steps.len()];
    for start in 0..steps.len() {
        if in_circle.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        let mut hops = 0;
        let mut path = vec![start];
        while let Some(next) = steps.get(at).and_then(|s| s.as_ref()).and_then(|s| s.after) {
            at = next as usize;
            hops += 1;
            path.push(at);
            if at == start {
                for p in &path {
                    if let Some(c) = in_circle.get_mut(*p) {
                        *c = true;
                    }
                }
                if let Some(src) = srcs.get(start) {
                    let span = src
                        .step
                        .clauses
                        .iter()
                        .find(|c| matches!(c, StepClause::After(..)))
                        .map_or(src.step.name.span, |c| c.span());
                    cx.report(Diagnostic::new(
                        Code::Cycle,
                        src.file,
                        span,
                        format!(
                            "step `{}` waits, through `after`, for itself",
                            src.step.name.name
                        ),
                        "this `after` closes a circle",
                        "steps that wait for each other never start: remove one `after` in the circle",
                    ));
                }
                break;
            }
            if hops > steps.len() {
                break;
            }
        }
    }
    in_circle.contains(&true)
}
