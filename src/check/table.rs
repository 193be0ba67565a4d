//! Name tables: declare once, look up by name, suggest the closest name on a miss.

use std::collections::HashMap;

use super::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::wording::did_you_mean;

/// One kind of declared name (roles, calendars, logs, ...), in declaration order.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// What the names are, for messages: `role`, `calendar`.
    pub kind: &'static str,
    names: Vec<String>,
    spans: Vec<(usize, Span)>,
    index: HashMap<String, usize>,
}

impl Table {
    /// An empty table of `kind`.
    pub fn new(kind: &'static str) -> Self {
        Table {
            kind,
            ..Table::default()
        }
    }

    /// Declare `name`; a second declaration is a finding that points at the first.
    pub fn declare(&mut self, name: &str, file: usize, span: Span) -> Result<usize, Diagnostic> {
        if let Some(&i) = self.index.get(name) {
            let (first_file, first) = self.spans.get(i).copied().unwrap_or((file, span));
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
        let i = self.names.len();
        self.names.push(name.to_string());
        self.spans.push((file, span));
        self.index.insert(name.to_string(), i);
        Ok(i)
    }

    /// The index of `name`.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The index of `name`, or an unknown-name finding with a suggestion.
    pub fn lookup(&self, name: &str, file: usize, span: Span) -> Result<usize, Diagnostic> {
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

    /// Names in declaration order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Where a name was declared.
    pub fn declared_at(&self, i: usize) -> Option<(usize, Span)> {
        self.spans.get(i).copied()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// An unknown-name finding for `name` of `kind`, suggesting the closest of `candidates`.
pub fn unknown<'a>(
    kind: &str,
    name: &str,
    file: usize,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let help = match did_you_mean(name, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                format!("no {kind} is declared; declare `{name}` first")
            } else {
                format!("known {kind} names: {}", all.join(", "))
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
