//! Findings for people (miette reports against the whole named source) and for machines
//! (JSON objects with file, line and column).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::check::{Diagnostic, Severity};
use crate::source::Source;

/// A finding made ready for miette: owned, with its source attached.
#[derive(Debug)]
struct Report {
    code: &'static str,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: CharColumns,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(self.code))
        }
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn named(sources: &[Source], file: usize) -> CharColumns {
    CharColumns(match sources.get(file) {
        Some(s) => s.to_named(),
        None => NamedSource::new("<unknown>", String::new()),
    })
}

/// A named source whose columns count characters, as every other column Vigil prints does
/// (`--format json`, timeline errors): miette's own count bytes, so a line holding "§" or
/// "é" before the finding put its heading a column or two to the right.
#[derive(Debug)]
struct CharColumns(NamedSource<String>);

impl CharColumns {
    fn name(&self) -> &str {
        self.0.name()
    }
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.0.read_span(span, before, after)?;
        let text = self.0.inner().as_str();
        let start = contents.span().offset();
        let line_start = text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let column = text
            .get(line_start..start)
            .map_or(contents.column(), |t| t.chars().count());
        let (data, span, line, lines) = (
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.line_count(),
        );
        Ok(Box::new(match contents.name() {
            Some(name) => miette::MietteSpanContents::new_named(
                name.to_string(),
                data,
                span,
                line,
                column,
                lines,
            ),
            None => miette::MietteSpanContents::new(data, span, line, column, lines),
        }))
    }
}

/// How many lines apart a second place in the same file may be and still share the finding's
/// snippet: further, and every line between would be shown (a framework's calendar a hundred
/// lines below the step that counts in it), so it gets a snippet of its own.
const NEAR_LINES: usize = 8;

fn report(d: &Diagnostic, sources: &[Source]) -> Report {
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(d.label.clone()),
        d.span,
    )];
    let mut related = Vec::new();
    let line = |span: crate::span::Span| sources.get(d.file).map_or(0, |s| s.line_of(span.start));
    for l in &d.related {
        if l.file == d.file && line(l.span).abs_diff(line(d.span)) <= NEAR_LINES {
            labels.push(LabeledSpan::new_with_span(Some(l.text.clone()), l.span));
        } else {
            related.push(Report {
                code: "",
                message: format!("see {}", named(sources, l.file).name()),
                severity: Severity::Warning,
                help: None,
                source: named(sources, l.file),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(l.text.clone()),
                    l.span,
                )],
                related: Vec::new(),
            });
        }
    }
    Report {
        code: d.code.as_str(),
        message: d.message.clone(),
        severity: d.severity(),
        help: Some(d.help.clone()),
        source: named(sources, d.file),
        labels,
        related,
    }
}

/// One finding as plain text (no colour), the way `vigil check` prints it.
pub fn to_text(d: &Diagnostic, sources: &[Source]) -> String {
    render(d, sources, false)
}

/// One finding rendered for a terminal, in colour when `colour` is set, 100 columns wide.
pub fn render(d: &Diagnostic, sources: &[Source], colour: bool) -> String {
    render_width(d, sources, colour, 100)
}

/// One finding rendered `width` columns wide (a terminal's own width; at least 60, so that a
/// narrow window still shows the snippet and its labels).
pub fn render_width(d: &Diagnostic, sources: &[Source], colour: bool, width: usize) -> String {
    // miette shows each labelled line with a line of context either side, whole; when any
    // of them is thousands of characters long (a minified or garbled file), say where the
    // finding is instead of echoing it.
    let too_long = std::iter::once((d.file, d.span))
        .chain(d.related.iter().map(|l| (l.file, l.span)))
        .any(|(file, span)| {
            sources.get(file).is_some_and(|s| {
                let (first, last) = (s.line_of(span.start), s.line_of(span.end));
                (first.saturating_sub(1)..=last + 1)
                    .any(|n| s.line(n).is_some_and(|l| l.len() > 2_000))
            })
        });
    if too_long {
        let (name, (line, column)) = sources.get(d.file).map_or((String::new(), (0, 0)), |s| {
            (s.name().to_string(), s.line_col(d.span.start))
        });
        return format!(
            "{}\n\n  x {}\n  at {name}:{line}:{column} ({})\n  help: {}\n",
            d.code, d.message, d.label, d.help
        );
    }
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width.max(60))
        .with_links(false)
        .with_show_related_as_nested(true);
    let mut out = String::new();
    if handler
        .render_report(&mut out, &report(d, sources))
        .is_err()
    {
        out = format!("{}: {}\n", d.code, d.message);
    }
    out
}

/// A finding as a JSON object.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JsonDiagnostic {
    /// Stable code (`E003`).
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The file as given.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// One-based line of the end.
    pub end_line: usize,
    /// One-based column of the end.
    pub end_column: usize,
    /// The message.
    pub message: String,
    /// What the primary place is.
    pub label: String,
    /// What to do.
    pub help: String,
    /// Other places.
    pub related: Vec<JsonLabel>,
}

/// A secondary place as JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JsonLabel {
    /// The file.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column.
    pub column: usize,
    /// What the place is.
    pub label: String,
}

/// A finding for JSON output.
pub fn to_json(d: &Diagnostic, sources: &[Source]) -> JsonDiagnostic {
    let src = sources.get(d.file);
    let (line, column) = src.map_or((0, 0), |s| s.line_col(d.span.start));
    let (end_line, end_column) = src.map_or((0, 0), |s| s.line_col(d.span.end));
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity(),
        file: src.map_or_else(String::new, |s| s.name().to_string()),
        line,
        column,
        end_line,
        end_column,
        message: d.message.clone(),
        label: d.label.clone(),
        help: d.help.clone(),
        related: d
            .related
            .iter()
            .map(|l| {
                let s = sources.get(l.file);
                let (line, column) = s.map_or((0, 0), |s| s.line_col(l.span.start));
                JsonLabel {
                    file: s.map_or_else(String::new, |s| s.name().to_string()),
                    line,
                    column,
                    label: l.text.clone(),
                }
            })
            .collect(),
    }
}
