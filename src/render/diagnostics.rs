//! Findings for people (miette reports against the whole named source) and for machines
//! (JSON objects with file, line and column).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use crate::check::{Diagnostic, Severity};
use crate::source::Source;

/// A finding made ready for miette: owned, with its source attached.
#[derive(Debug)]
struct Report<'s> {
    code: &'static str,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Quoted<'s>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'s>>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
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

fn named(sources: &[Source], file: usize) -> Quoted<'_> {
    match sources.get(file) {
        Some(s) => Quoted {
            name: crate::wording::shown(s.name()).into_owned(),
            source: Some(s),
        },
        None => Quoted {
            name: "<unknown>".to_string(),
            source: None,
        },
    }
}

/// A source as a finding quotes it ([`Source::shown`]), read only near the places quoted:
/// miette's own reading scans a text from its start for every quote, so a file with many
/// findings took time in their number times its length. Columns count characters, as every
/// other column Vigil prints does (`--format json`, timeline errors); miette's own count bytes,
/// so a line holding "§" or "é" before the finding put its heading a column or two to the
/// right.
#[derive(Debug)]
struct Quoted<'s> {
    name: String,
    source: Option<&'s Source>,
}

impl Quoted<'_> {
    fn name(&self) -> &str {
        &self.name
    }
}

impl miette::SourceCode for Quoted<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // miette reads from the start of the text it is given and stops `after` lines past
        // the span, so it is given the text from `before` lines above the span (where its
        // quote begins) to a few lines past where it stops: the same quote, with its line
        // numbers counted from there. (Carriage returns ending no line are shown as `?`, so
        // miette's lines are the source's.)
        let text = self.source.map_or("", Source::shown);
        let line_start = |index: usize| self.source.and_then(|s| s.line_start(index));
        let line_index = |offset: usize| self.source.map_or(0, |s| s.line_of(offset) - 1);
        let (first, last) = (
            line_index(span.offset()),
            line_index(span.offset().saturating_add(span.len())),
        );
        let skipped = first.saturating_sub(before);
        let from = line_start(skipped).unwrap_or(0).min(text.len());
        let to = line_start(last.saturating_add(after).saturating_add(3))
            .unwrap_or(text.len())
            .clamp(from, text.len());
        // An empty span at the very start of the window reads differently from the same span
        // after a line break (miette quotes the line it starts for the one, nothing for the
        // other: found by the property test below), so such a span is read from the text
        // before it, one line earlier, with that line counted.
        let (skipped, from) = if span.is_empty() && span.offset() == from && skipped > 0 {
            let earlier = skipped - 1;
            (earlier, line_start(earlier).unwrap_or(0).min(from))
        } else {
            (skipped, from)
        };
        let window = text.as_bytes().get(from..to).unwrap_or_default();
        let inner = miette::SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let contents = window.read_span(&inner, before, after)?;
        let start = from + contents.span().offset();
        let column = text
            .get(line_start(line_index(start)).unwrap_or(0)..start)
            .map_or(contents.column(), |t| t.chars().count());
        let (data, span, line, lines) = (
            contents.data(),
            miette::SourceSpan::new(start.into(), contents.span().len()),
            contents.line() + skipped,
            contents.line_count() + skipped,
        );
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            span,
            line,
            column,
            lines,
        )))
    }
}

/// How many lines apart a second place in the same file may be and still share the finding's
/// snippet: further, and every line between would be shown (a framework's calendar a hundred
/// lines below the step that counts in it), so it gets a snippet of its own.
const NEAR_LINES: usize = 8;

fn report<'s>(d: &Diagnostic, sources: &'s [Source]) -> Report<'s> {
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

#[cfg(test)]
mod tests {
    use miette::SourceCode;
    use proptest::prelude::*;

    use super::*;

    /// What miette's own reading of the whole shown text gives, columns in characters: what
    /// [`Quoted`] gave before it read only near the span.
    fn whole(
        source: &Source,
        span: miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<(Vec<u8>, usize, usize, usize, usize, usize)> {
        let text = source.shown();
        let c = text.as_bytes().read_span(&span, before, after).ok()?;
        let start = c.span().offset();
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count();
        Some((
            c.data().to_vec(),
            start,
            c.span().len(),
            c.line(),
            column,
            c.line_count(),
        ))
    }

    fn windowed(
        source: &Source,
        span: miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<(Vec<u8>, usize, usize, usize, usize, usize)> {
        let q = Quoted {
            name: "f".into(),
            source: Some(source),
        };
        let c = q.read_span(&span, before, after).ok()?;
        Some((
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        ))
    }

    /// The case the property test found: an empty span at the start of a line, no context.
    #[test]
    fn an_empty_span_at_a_line_start_quotes_its_line() {
        let source = Source::new("f", "a a\r\na");
        for before in 0..3 {
            let span = miette::SourceSpan::new(5.into(), 0);
            assert_eq!(
                windowed(&source, span, before, 0),
                whole(&source, span, before, 0)
            );
        }
    }

    proptest! {
        /// Reading only near a span quotes exactly what reading the whole text did: the
        /// same lines, numbered and placed the same, for any span and context.
        #[test]
        fn a_quote_read_near_its_span_is_the_quote_of_the_whole_text(
            text in "([a-zé§ \t]{0,6}(\n|\r\n|\r|\u{1b})){0,30}[a-z]{0,4}",
            at in 0usize..400,
            len in 0usize..40,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            let source = Source::new("f", text);
            let n = source.text().len();
            let at = at.min(n);
            // Spans the checker makes lie on character boundaries.
            let at = (0..=at).rev().find(|&i| source.text().is_char_boundary(i)).unwrap_or(0);
            let end = (at + len).min(n);
            let end = (end..=n).find(|&i| source.text().is_char_boundary(i)).unwrap_or(n);
            let span = miette::SourceSpan::new(at.into(), end - at);
            prop_assert_eq!(
                windowed(&source, span, before, after),
                whole(&source, span, before, after)
            );
        }
    }

    #[test]
    fn a_carriage_return_ending_no_line_is_quoted_within_its_line() {
        let source = Source::new("f", "a\rb\nc\r\nd");
        assert_eq!(source.shown(), "a?b\nc\r\nd");
        assert_eq!(source.line_of(7), 3);
        let q = Quoted {
            name: "f".into(),
            source: Some(&source),
        };
        // "d" is on the third line for Vigil and for the quote.
        let c = q
            .read_span(&miette::SourceSpan::new(7.into(), 1), 0, 0)
            .map(|c| c.line());
        assert_eq!(c.ok(), Some(2));
    }
}
