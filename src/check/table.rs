//! Name tables: declare once, look up by name, suggest the closest name on a miss.

use crate::hash::Map;

use super::diagnostic::{Code, Diagnostic};
use crate::rules::Id;
use crate::span::Span;
use crate::wording::did_you_mean;

/// One kind of declared name (roles, calendars, logs, ...), in declaration order. The table
/// issues each name's typed index `I`, and is the one place the limit on how many names of a
/// kind a rule set holds is checked.
#[derive(Debug, Clone)]
pub struct Table<I> {
    /// What the names are, for messages: `role`, `calendar`.
    pub kind: &'static str,
    names: Vec<String>,
    spans: Vec<(usize, Span)>,
    index: Map<String, I>,
}

impl<I: Id> Table<I> {
    /// An empty table of `kind`.
    pub fn new(kind: &'static str) -> Self {
        Table {
            kind,
            names: Vec::new(),
            spans: Vec::new(),
            index: Map::default(),
        }
    }

    /// Declare `name`; a second declaration is a finding that points at the first.
    pub fn declare(
        &mut self,
        name: &str,
        file: usize,
        span: impl Into<Span>,
    ) -> Result<I, Diagnostic> {
        let span: Span = span.into();
        if let Some(&i) = self.index.get(name) {
            let (first_file, first) = self.spans.get(i.index()).copied().unwrap_or((file, span));
            return Err(Diagnostic::new(
                Code::Duplicate,
                file,
                span,
                format!("{} `{name}` is declared twice", self.kind),
                "declared again here",
                format!(
                    "give each {} its own name, or remove one of the two",
                    self.kind
                ),
            )
            .with(first_file, first, "first declared here"));
        }
        let Some(i) = I::from_index(self.names.len()) else {
            return Err(Diagnostic::new(
                Code::AbsurdValue,
                file,
                span,
                format!("more than {} {} names", self.names.len(), self.kind),
                "one too many",
                "a rule set holds at most 65,536 names of each kind; split the document",
            ));
        };
        self.names.push(name.to_string());
        self.spans.push((file, span));
        self.index.insert(name.to_string(), i);
        Ok(i)
    }

    /// The index of `name`.
    pub fn get(&self, name: &str) -> Option<I> {
        self.index.get(name).copied()
    }

    /// The index of `name`, or an unknown-name finding with a suggestion.
    pub fn lookup(&self, name: &str, file: usize, span: impl Into<Span>) -> Result<I, Diagnostic> {
        let span: Span = span.into();
        self.get(name).ok_or_else(|| {
            unknown(
                self.kind,
                name,
                file,
                span,
                self.names.iter().map(|s| s.as_str()),
            )
        })
    }

    /// Every id the table issued, in declaration order, with its name.
    pub fn iter(&self) -> impl Iterator<Item = (I, &str)> + '_ {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((I::from_index(i)?, n.as_str())))
    }

    /// Names in declaration order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Where a name was declared.
    pub fn declared_at(&self, i: I) -> Option<(usize, Span)> {
        self.spans.get(i.index()).copied()
    }
}

/// An unknown-name finding for `name` of `kind`, suggesting the closest of `candidates`.
pub fn unknown<'a>(
    kind: &str,
    name: &str,
    file: usize,
    span: impl Into<Span>,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let help = match did_you_mean(name, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let mut all = candidates.into_iter().peekable();
            if all.peek().is_none() {
                format!("no {kind} is declared; declare `{name}` first")
            } else {
                format!(
                    "known {kind} names: {}",
                    crate::wording::listed(all, crate::wording::MOST_LISTED)
                )
            }
        }
    };
    Diagnostic::new(
        Code::UnknownName,
        file,
        span,
        format!("unknown {kind} `{name}`"),
        format!("no {kind} of this name"),
        help,
    )
}

/// The word of vocabulary `V` written as `name`, or an unknown-name finding reported (with
/// "did you mean" among the vocabulary's words).
pub fn word<V: crate::vocab::Vocabulary>(
    cx: &mut super::Ctx<'_>,
    file: usize,
    name: &crate::syntax::ast::Ident,
) -> Option<V> {
    let v = V::from_name(&name.name);
    if v.is_none() {
        cx.report(unknown(
            V::WHAT,
            &name.name,
            file,
            name.span,
            V::ALL.iter().map(|v| v.name()),
        ));
    }
    v
}
