//! Stage two: syntax trees to checked rule sets, with every finding in every file.
//!
//! [`check`] parses each source, groups protocols under their framework (by name and
//! version), checks each framework once and each protocol against it, merges every protocol
//! into its person's effective pathways, and builds one [`RuleSet`] per framework whose files
//! have no errors. Findings never stop the run: all of them are collected.

mod assemble;
mod classes;
mod clock_change;
mod clocks;
mod conditions;
pub mod diagnostic;
mod documents;
mod exception_window;
mod exceptions;
mod floors;
mod flow;
mod framework;
mod governance;
mod literals;
mod paths;
mod pathways;
mod person;
mod policy;
mod refine;
mod spread;
mod standing;
mod steps;
mod syntax_hints;
mod table;
mod trigger_decl;
mod triggers;
mod vocabulary;
mod worst;

pub use worst::{worst_cases, worst_from_firing};

pub use diagnostic::{Code, Diagnostic, Label, Severity};

use crate::hash::Map;

use crate::rules::{Interner, Origin, RuleSet};
use crate::source::Source;
use crate::span::Span;
use crate::syntax::ast::Head;

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
    /// Pathways left incomplete by errors in their steps, in order: the framework's floors
    /// and the escalation policy were not proved on them, which a reader must be told (fixing
    /// the errors may bring more findings), never left as a silent gap.
    pub unproved: Vec<Unproved>,
}

/// A pathway whose floors and policy were not checked because some of its steps have errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unproved {
    /// The pathway's name.
    pub pathway: String,
    /// Where it is written (for a person's refinement, the refinement).
    pub origin: Origin,
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
    /// What makes each finding in `diagnostics` the same finding: looked up, not searched
    /// for, so a file with thousands of findings is not checked in their number squared.
    reported: crate::hash::Set<(Code, usize, Span, String)>,
    muted: Option<usize>,
    /// While one person's rules are checked, their protocol: a finding that lands in another
    /// file (the framework) then points at the protocol too, since the protocol caused it.
    person: Option<(usize, Span)>,
    symbols: Interner,
    fates: Map<(String, u32, u32), crate::time::Fate>,
    /// The bounds on what is read (line length, nesting, deadlines).
    limits: crate::limits::Limits,
    /// Pathways whose floors and policy could not be checked ([`Checked::unproved`]).
    unproved: Vec<Unproved>,
}

impl<'s> Ctx<'s> {
    fn new(sources: &'s [Source], limits: crate::limits::Limits) -> Self {
        Ctx {
            limits,
            sources,
            diagnostics: Vec::new(),
            reported: crate::hash::Set::default(),
            unproved: Vec::new(),
            muted: None,
            person: None,
            symbols: Interner::default(),
            fates: Map::default(),
        }
    }

    /// Record a finding (unless findings in its file are muted: a framework's steps are
    /// checked once, not again for every protocol that inherits them).
    pub fn report(&mut self, d: Diagnostic) {
        let d = if self.muted == Some(d.file) {
            match self.unmuted(d) {
                Some(d) => d,
                None => return,
            }
        } else {
            d
        };
        // The same finding at two places is two findings.
        if self
            .reported
            .insert((d.code, d.file, d.span, d.message.clone()))
        {
            let d = match self.person {
                Some((file, head)) if file != d.file => {
                    d.with(file, head, "while checking this protocol")
                }
                _ => d,
            };
            self.diagnostics.push(d);
        }
    }

    /// A finding in the framework's file, met while a protocol's changes to it are checked:
    /// one the framework alone raised was reported then, and is left; an error it did not
    /// raise comes of the protocol's changes (a branch that leaves one of the framework
    /// step's failures with nowhere to go), so it is said on the protocol, pointing at the
    /// framework's line. It was muted, and the pathway then left out of the person's rules
    /// with `check` clean (found by a docs-only tester: a refinement dropped the whole
    /// no-response ladder).
    fn unmuted(&self, d: Diagnostic) -> Option<Diagnostic> {
        let (file, head) = self.person?;
        let known = self
            .reported
            .contains(&(d.code, d.file, d.span, d.message.clone()));
        if known || d.severity() != Severity::Error {
            return None;
        }
        let mut said = Diagnostic::new(
            d.code,
            file,
            head,
            format!("with this protocol's changes, {}", d.message),
            "this protocol changes the framework's pathway",
            d.help,
        )
        .with(d.file, d.span, d.label);
        said.related.extend(d.related);
        Some(said)
    }

    /// Seconds in a duration literal (`what` names it in a finding), within the limit on
    /// deadlines; or report the finding and give `None`.
    pub fn duration(
        &mut self,
        lit: &crate::syntax::ast::DurationLit,
        file: usize,
        what: &str,
    ) -> Option<u64> {
        let r = literals::duration(lit, file, what, &self.limits);
        self.ok(r)
    }

    /// Seconds in a late threshold (zero allowed), as [`Ctx::duration`].
    pub fn late_threshold(
        &mut self,
        lit: &crate::syntax::ast::DurationLit,
        file: usize,
        what: &str,
    ) -> Option<u64> {
        let r = literals::late_threshold(lit, file, what, &self.limits);
        self.ok(r)
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
    pub fn slice(&self, file: usize, span: impl Into<Span>) -> String {
        let span: Span = span.into();
        let text = self.sources.get(file).map_or("", |s| s.slice(span));
        let text = text.strip_prefix("when").unwrap_or(text);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Pathway `name`, written at `span` of `file`, is left incomplete by errors in its
    /// steps, so its floors and policy are not checked.
    pub(super) fn unproved(&mut self, file: usize, span: impl Into<Span>, name: &str) {
        let origin = self.origin(file, span);
        self.unproved.push(Unproved {
            pathway: name.to_string(),
            origin,
        });
    }

    /// Where a span is, for provenance.
    pub fn origin(&self, file: usize, span: impl Into<Span>) -> Origin {
        let span: Span = span.into();
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

    /// The names of the files given that could not be read as a document at all (a line
    /// too long, a syntax error in the document's head), other than `read`.
    fn unread_files(&self, read: &[usize]) -> Vec<String> {
        let mut out: Vec<String> = self
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code, Code::Syntax | Code::LineTooLong))
            .filter(|d| !read.contains(&d.file))
            .filter_map(|d| self.sources.get(d.file).map(|s| s.name().to_string()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `file` has a syntax error, which drops the item it is in: a finding that
    /// something is missing from the file may be about that item.
    fn syntax_error_in(&self, file: usize) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code == Code::Syntax && d.file == file)
    }
}

/// A syntax error drops the item it is in, declaration and all: an unknown name elsewhere,
/// with no close name read, may be that declaration's, so its help says to fix the syntax
/// error first (rather than only listing the names that were read).
fn unread_declarations(diagnostics: &mut [Diagnostic], sources: &[Source]) {
    let mut broken: Vec<usize> = diagnostics
        .iter()
        .filter(|d| d.code == Code::Syntax)
        .map(|d| d.file)
        .collect();
    broken.sort_unstable();
    broken.dedup();
    if broken.is_empty() {
        return;
    }
    let names: Vec<String> = broken
        .iter()
        .filter_map(|f| sources.get(*f))
        .map(|s| format!("`{}`", crate::wording::shown(s.name())))
        .collect();
    let note = format!(
        "; the syntax error in {} may have kept its declaration from being read: fix that first",
        crate::wording::either(&names)
    );
    // Not where a close name was read: the name is then most likely a slip of the pen, and
    // the note would send the author to a file that may declare nothing of the kind (found by
    // a docs-only tester).
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.code == Code::UnknownName && !d.help.contains("did you mean"))
    {
        d.help.push_str(&note);
    }
}

/// Check every source together: frameworks and the protocols written under them.
///
/// ```
/// use vigil::{check::check, Source};
/// let fw = Source::new(
///     "fw.vigil",
///     r#"framework "Acme" version 1 { role lead "Lead" floors { require emergency_override } }"#,
/// );
/// let checked = check(&[fw]);
/// // A framework that requires an emergency override and has none is an error (E016).
/// assert!(checked.diagnostics.iter().any(|d| d.code.as_str() == "E016"));
/// ```
pub fn check(sources: &[Source]) -> Checked {
    check_within(sources, &crate::limits::Limits::default())
}

/// [`check`], within `limits` (the longest line, the deepest nesting, the longest deadline)
/// rather than the defaults.
///
/// ```
/// use vigil::{check::check_within, Limits, Source};
/// let fw = Source::new("fw.vigil", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap());
/// let mut limits = Limits::default();
/// limits.line_chars = 40;
/// let checked = check_within(&[fw], &limits);
/// assert_eq!(checked.diagnostics[0].code.as_str(), "E048");
/// ```
pub fn check_within(sources: &[Source], limits: &crate::limits::Limits) -> Checked {
    let mut cx = Ctx::new(sources, *limits);
    let docs = documents::read(&mut cx, sources);
    let (frameworks, protocols): (Vec<&documents::Doc>, Vec<&documents::Doc>) = docs
        .iter()
        .partition(|(_, d)| matches!(d.head, Head::Framework { .. }));
    let index = documents::frameworks(&mut cx, &frameworks);
    let mut grouped = documents::group_protocols(&mut cx, &index, &protocols);
    let mut rulesets = Vec::new();
    for (fw_file, fw_doc) in &index.unique {
        let people = grouped.remove(fw_file).unwrap_or_default();
        if let Some(rs) = assemble::check_group(&mut cx, *fw_file, fw_doc, &people) {
            rulesets.push(rs);
        }
    }
    let mut diagnostics = cx.diagnostics;
    unread_declarations(&mut diagnostics, sources);
    // A role, contact or trigger that seems unused may be used by an item an error dropped
    // (a syntax error drops the item; an unknown trigger, its whole pathway): say so only
    // once the rules check clean.
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        diagnostics.retain(|d| {
            !matches!(
                d.code,
                Code::UnusedRole | Code::UnusedContact | Code::UntakenTrigger
            )
        });
    }
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start, a.code, &a.message).cmp(&(b.file, b.span.start, b.code, &b.message))
    });
    let mut unproved = cx.unproved;
    unproved.sort_by(|a, b| {
        (a.origin.source, a.origin.span.start, &a.pathway).cmp(&(
            b.origin.source,
            b.origin.span.start,
            &b.pathway,
        ))
    });
    unproved.dedup();
    Checked {
        rulesets,
        diagnostics,
        frameworks: frameworks.len(),
        protocols: protocols.len(),
        unproved,
    }
}
