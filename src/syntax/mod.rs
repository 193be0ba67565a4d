//! Stage one: text to syntax tree.
//!
//! [`parse`] reads a document item by item. When an item does not parse, the error is kept and
//! reading resumes at the next line that starts an item, so one typo does not hide the rest of
//! the file's problems. The tree says nothing about meaning; that is [`crate::check`]'s job.

pub mod ast;
mod error;
pub mod format;
mod grammar;
mod lower;

use pest::Parser;

pub use error::{Expected, Found, SyntaxError};
pub use grammar::Rule;
use grammar::VigilParser;

use crate::span::Span;
use ast::{Document, Item};

/// The most rule calls one parse may make: far above any real document, low enough that a
/// pathological input fails fast instead of hanging.
const CALL_LIMIT: usize = 5_000_000;

/// The offset of the first `(` that nests deeper than `limit`, or of the first `not` past
/// that many in a row, outside strings and comments. Both nest by recursion in the parser and
/// after it, so they are refused up front rather than risk the stack.
fn too_deep(src: &str, limit: usize) -> Option<(usize, Found)> {
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut word: Option<usize> = None;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut prev = '\0';
    for (i, c) in src.char_indices().chain(std::iter::once((src.len(), ' '))) {
        let in_word = c.is_alphanumeric() || c == '_';
        if !in_string && !in_comment {
            match (word, in_word) {
                (None, true) => word = Some(i),
                (Some(start), false) => {
                    word = None;
                    if src.get(start..i) == Some("not") {
                        nots += 1;
                        if nots > limit {
                            return Some((start, Found::NegatedTooDeep { limit }));
                        }
                    } else {
                        nots = 0;
                    }
                }
                _ => {}
            }
        }
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '/' if prev == '/' => in_comment = true,
                '(' => {
                    depth += 1;
                    if depth > limit {
                        return Some((i, Found::NestedTooDeep { limit }));
                    }
                }
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    None
}

/// The words that begin an item, reserved so that a clause left unfinished at the end of a
/// line does not swallow the next item (the grammar's `reserved` rule; docs/language.md §13).
const ITEM_WORDS: &[&str] = &[
    "timezone",
    "bank_holidays",
    "role",
    "alias",
    "calendar",
    "agency",
    "log",
    "threshold",
    "red_flags",
    "observations",
    "communication",
    "results",
    "facts",
    "risks",
    "class",
    "floors",
    "pathway",
    "governance",
    "person",
    "methods",
    "contact",
    "visit",
    "absence",
    "exception",
];

/// The words that give clauses their meaning, reserved too.
const CLAUSE_WORDS: &[&str] = &[
    "by",
    "within",
    "immediately",
    "after",
    "when",
    "cite",
    "because",
    "on",
    "and",
    "or",
    "not",
    "step",
    "stage",
    "end",
    "next",
    "earliest",
    "latest",
    "of",
    "then",
    "every",
    "times",
    "via",
    "otherwise",
    "in",
    "is",
    "to",
    "closure",
    "until",
    "if",
    "decision",
    "trigger",
];

/// Whether `word` cannot be a name (a test holds the two lists to the grammar's `reserved`
/// rule and to docs/language.md §13).
pub fn is_reserved(word: &str) -> bool {
    ITEM_WORDS.contains(&word) || CLAUSE_WORDS.contains(&word)
}

/// Whether the parser may resume at `word` after an error: an item's first word (`effective`
/// and `immediately` begin items too, though only `immediately` is reserved).
fn begins_item(word: &str) -> bool {
    ITEM_WORDS.contains(&word) || matches!(word, "effective" | "immediately")
}

/// The result of parsing one file: as much of the tree as could be read, and every error.
#[derive(Debug)]
pub struct Parsed {
    /// The document, if its head could be read. Items that failed to parse are missing.
    pub document: Option<Document>,
    /// Every syntax error, in source order.
    pub errors: Vec<SyntaxError>,
}

/// Parse one document.
///
/// ```
/// let parsed = vigil::syntax::parse(r#"framework "Acme" version 1 { role support_worker "Support worker" }"#);
/// assert!(parsed.errors.is_empty());
/// assert_eq!(parsed.document.unwrap().items.len(), 1);
/// ```
pub fn parse(src: &str) -> Parsed {
    parse_within(src, crate::limits::Limits::default().nesting())
}

/// [`parse`], refusing brackets nested deeper than `nesting` (and more `not`s in a row):
/// `Limits::nesting`, which never exceeds `Limits::NESTING_CEILING`.
pub fn parse_within(src: &str, nesting: usize) -> Parsed {
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    pest::set_error_detail(true);
    let mut errors = Vec::new();
    let nesting = nesting.min(crate::limits::Limits::NESTING_CEILING);
    let Some((head, head_end)) = parse_head(src, nesting, &mut errors) else {
        return Parsed {
            document: None,
            errors,
        };
    };
    let items = parse_items(src, head_end, &mut errors);
    let span = Span::new(0, src.len());
    Parsed {
        document: Some(Document {
            head,
            items,
            span: span.into(),
        }),
        errors,
    }
}

/// The document's first line, and where it ends; `None` (with the error) if it cannot be read.
fn parse_head(
    src: &str,
    nesting: usize,
    errors: &mut Vec<SyntaxError>,
) -> Option<(ast::Head, usize)> {
    // Brackets nest by recursion, in the parser and after it: refuse absurd depths up front
    // rather than risk the stack.
    if let Some((at, found)) = too_deep(src, nesting) {
        let len = if matches!(found, Found::NegatedTooDeep { .. }) {
            3
        } else {
            1
        };
        errors.push(SyntaxError {
            span: Span::new(at, at + len),
            expected: Vec::new(),
            found,
            context: Some("this condition"),
        });
        return None;
    }
    let head_pair = match VigilParser::parse(Rule::document_head, src) {
        Ok(mut pairs) => pairs.next()?,
        Err(e) => {
            errors.push(convert(src, 0, e, Some("the document's first line")));
            return None;
        }
    };
    let head_end = head_pair.as_span().end();
    match lower::head(head_pair, 0) {
        Ok(h) => Some((h, head_end)),
        Err(shape) => {
            errors.push(from_shape(src, shape));
            None
        }
    }
}

/// The items after the head, one at a time: an item that cannot be read is reported and
/// reading resumes at the next line that starts an item, so every error in the file is found.
fn parse_items(src: &str, head_end: usize, errors: &mut Vec<SyntaxError>) -> Vec<ast::Item> {
    let mut items = Vec::new();
    let mut pos = skip_trivia(src, head_end);
    let mut closed = false;
    while pos < src.len() {
        let rest = src.get(pos..).unwrap_or("");
        if rest.starts_with('}') {
            closed = true;
            let after = skip_trivia(src, pos + 1);
            if after < src.len() {
                errors.push(SyntaxError {
                    span: token_span(src, after),
                    expected: vec![Expected::EndOfFile],
                    found: describe_found(src, after),
                    context: Some("the text after the document's closing `}`"),
                });
            }
            break;
        }
        match VigilParser::parse(Rule::item_here, rest) {
            Ok(mut pairs) => {
                let Some(item_here) = pairs.next() else { break };
                let end = pos + item_here.as_span().end();
                if let Some(item_pair) = item_here.into_inner().next() {
                    match lower::item(item_pair, pos) {
                        Ok(item) => items.push(item),
                        Err(shape) => errors.push(from_shape(src, shape)),
                    }
                }
                pos = skip_trivia(src, end.max(pos + 1));
            }
            Err(e) => {
                let err = convert(src, pos, e, item_context(rest));
                let resume_from = err.span.start.max(pos + 1);
                errors.push(err);
                match resume_point(src, pos, resume_from) {
                    Some(next) => pos = next,
                    None => {
                        // No later item starts a line: the rest of the file belongs to the
                        // broken item, so there is nothing more to read safely.
                        closed = true;
                        break;
                    }
                }
            }
        }
    }
    if !closed {
        errors.push(SyntaxError {
            span: Span::new(src.len(), src.len()),
            expected: vec![Expected::DocumentClose],
            found: Found::EndOfFile,
            context: None,
        });
    }
    items
}

/// Parse a whole file with a single grammar rule, for grammar tests.
pub fn parses(rule: Rule, src: &str) -> bool {
    VigilParser::parse(rule, src).is_ok()
}

/// The first line after the failed item's start (`item`) whose first word starts an item, from
/// the line holding the error (`from`) on, or the document's closing brace on a line of its
/// own at the end.
fn resume_point(src: &str, item: usize, from: usize) -> Option<usize> {
    let line_of_error = src.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let mut offset = if line_of_error > item {
        line_of_error
    } else {
        src.get(from..)?.find('\n')? + from + 1
    };
    loop {
        let line_end = src
            .get(offset..)
            .and_then(|r| r.find('\n'))
            .map_or(src.len(), |i| offset + i);
        let line = src.get(offset..line_end).unwrap_or("");
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let word: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if begins_item(&word) {
            return Some(offset + indent);
        }
        if trimmed.trim_end() == "}" && src.get(line_end..).is_some_and(|r| r.trim().is_empty()) {
            return Some(offset + indent);
        }
        if line_end >= src.len() {
            return None;
        }
        offset = line_end + 1;
    }
}

/// Skip spaces and comments from `pos`.
fn skip_trivia(src: &str, mut pos: usize) -> usize {
    loop {
        let rest = src.get(pos..).unwrap_or("");
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            pos += trimmed.find('\n').unwrap_or(trimmed.len());
        } else {
            return pos;
        }
    }
}

fn item_context(rest: &str) -> Option<&'static str> {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Some(match word.as_str() {
        "timezone" => "this `timezone` line",
        "effective" => "this `effective` line",
        "bank_holidays" => "this `bank_holidays` line",
        "immediately" => "this `immediately means` line",
        "role" => "this role",
        "alias" => "this alias",
        "calendar" => "this calendar",
        "agency" => "this agency",
        "log" => "this log",
        "threshold" => "this threshold",
        "red_flags" => "this `red_flags` list",
        "observations" => "this `observations` list",
        "communication" => "this communication need",
        "results" => "this `results` list",
        "facts" => "this `facts` list",
        "risks" => "this `risks` list",
        "class" => "this contact class",
        "floors" => "the floors",
        "pathway" => "this pathway",
        "governance" => "the governance block",
        "person" => "the person block",
        "methods" => "the contact methods",
        "contact" => "this contact",
        "visit" => "this visit",
        "absence" => "this absence",
        "exception" => "this exception",
        "cite" => "this citation",
        _ => return None,
    })
}

fn convert(
    src: &str,
    off: usize,
    e: pest::error::Error<Rule>,
    context: Option<&'static str>,
) -> SyntaxError {
    let at = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((a, _)) => a,
    } + off;
    let at = skip_trivia(src, at.min(src.len()));
    let mut expected: Vec<Expected> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        // Pest's own limits (nesting depth, call count) are the only custom errors.
        pest::error::ErrorVariant::CustomError { .. } => {
            return SyntaxError {
                span: token_span(src, at),
                expected: Vec::new(),
                found: Found::TooComplex,
                context,
            };
        }
    };
    if let Some(attempts) = e.parse_attempts() {
        for token in attempts.expected_tokens() {
            // Punctuation only: keywords already come through their `kw_*` rules, and the
            // token type itself is not public, so its display form is what we can read.
            let token = token.to_string();
            let punctuation = ["{", "}", "(", ")", ":", ",", "-"];
            if let Some(p) = punctuation.iter().find(|p| **p == token) {
                expected.push(Expected::Punctuation(p));
            }
        }
    }
    // In the order the words sort, as the message lists them; no two different expectations
    // read the same (a test below holds `describe` to that), so equal words are adjacent.
    expected.sort_by_cached_key(Expected::to_string);
    expected.dedup();
    if expected.len() > 8 {
        let items = expected.iter().filter(|e| e.is_quoted()).count();
        expected = if items > 8 {
            vec![Expected::AnyItem]
        } else {
            expected.into_iter().take(8).collect()
        };
    }
    SyntaxError {
        span: token_span(src, at),
        expected,
        found: describe_found(src, at),
        context,
    }
}

fn from_shape(src: &str, shape: lower::Shape) -> SyntaxError {
    SyntaxError {
        span: shape.0.span(),
        expected: vec![Expected::Phrase(shape.1)],
        found: describe_found(src, shape.0.start),
        context: None,
    }
}

fn token_span(src: &str, at: usize) -> Span {
    let rest = src.get(at..).unwrap_or("");
    let word = rest
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map(|(i, c)| i + c.len_utf8());
    let len = match word {
        Some(n) => n,
        None => rest.chars().next().map_or(0, |c| c.len_utf8()),
    };
    Span::new(at, at + len)
}

fn describe_found(src: &str, at: usize) -> Found {
    // A space that is not one (a no-break space pasted from a word processor) reads as
    // nothing at all: what follows it is then found where it does not belong, and only the
    // odd space explains why.
    let odd_space = |c: char| c.is_whitespace() && !matches!(c, ' ' | '\t' | '\n' | '\r');
    let before = src.get(..at).and_then(|s| s.chars().next_back());
    let here = src.get(at..).and_then(|s| s.chars().next());
    if let Some(c) = here
        .filter(|c| odd_space(*c))
        .or(before.filter(|c| odd_space(*c)))
    {
        return Found::OddSpace(c);
    }
    let span = token_span(src, at);
    let text = src.get(span.start..span.end).unwrap_or("");
    let mut chars = text.chars();
    let (first, single) = (chars.next(), chars.next().is_none());
    match first {
        None => Found::EndOfFile,
        Some('\n') if single => Found::EndOfLine,
        Some('"') if single => {
            // A text closed on the same line was written whole, where it does not belong.
            let line = src.get(at + 1..).unwrap_or("").lines().next().unwrap_or("");
            match line.find('"') {
                Some(end) => Found::Text(line.get(..end).unwrap_or("").to_string()),
                None => Found::StrayQuote,
            }
        }
        Some(c @ ('\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}')) if single => {
            Found::CurlyQuote(c)
        }
        Some(c @ ('\u{2013}' | '\u{2014}')) if single => Found::LongDash(c),
        _ if text.chars().all(|c| c.is_control()) => Found::ControlCharacter,
        _ => Found::Token(text.to_string()),
    }
}

/// What a grammar rule means in an "expected ..." list; `None` hides internal rules.
fn describe(rule: Rule) -> Option<Expected> {
    let name = format!("{rule:?}");
    if let Some(kw) = name.strip_prefix("kw_") {
        return Some(Expected::Keyword(kw.to_string()));
    }
    let punct = match rule {
        Rule::p_lbrace => Some("{"),
        Rule::p_rbrace => Some("}"),
        Rule::p_colon => Some(":"),
        Rule::p_comma => Some(","),
        Rule::p_lparen => Some("("),
        Rule::p_rparen => Some(")"),
        Rule::p_dash => Some("-"),
        _ => None,
    };
    if let Some(p) = punct {
        return Some(Expected::Punctuation(p));
    }
    // Rules that read as one keyword are that keyword, so that they and the keyword are one
    // expectation, not two that read the same.
    let keyword = match rule {
        Rule::step
        | Rule::pathway_entry
        | Rule::stage
        | Rule::after_closure
        | Rule::absence_entry => Some("step"),
        Rule::covers_clause => Some("covers"),
        Rule::cite_clause => Some("cite"),
        Rule::because_clause => Some("because"),
        Rule::per_clause => Some("per"),
        Rule::when_clause => Some("when"),
        Rule::after_clause => Some("after"),
        _ => None,
    };
    if let Some(k) = keyword {
        return Some(Expected::Keyword(k.to_string()));
    }
    if rule == Rule::EOI {
        return Some(Expected::EndOfFile);
    }
    phrase(rule).map(Expected::Phrase)
}

/// The words for a rule that is neither a keyword nor punctuation: one table, a row per rule
/// (long, but a table reads better whole than split).
fn phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::ident_list | Rule::capacity_level => "a name",
        Rule::string => "a quoted text",
        Rule::version => "a version like `2026.1`",
        Rule::duration => "a duration like `15m`",
        Rule::integer => "a whole number",
        Rule::clock_time => "a time like `17:00`",
        Rule::date => "a date like `2026-11-24`",
        Rule::weekday | Rule::day_set | Rule::day_list | Rule::day_range => "days like `Mon-Fri`",
        Rule::deadline | Rule::deadline_atom | Rule::deadline_clause => "a deadline",
        Rule::condition | Rule::cond_atom => "a condition",
        Rule::action => "an action such as `notify`",
        Rule::item | Rule::item_here => {
            "an item such as `role`, `calendar`, `pathway` or `contact`"
        }
        Rule::step_clause => "a step clause such as `within` or `when`",
        Rule::role_clause => "`by` and a role",
        Rule::calendar_entry | Rule::day_window | Rule::span_window => {
            "a window like `Mon-Fri 08:00-18:00`"
        }
        Rule::bank_holiday_rule | Rule::bh_except | Rule::bh_all_day => {
            "`except bank_holidays` or `bank_holidays all day`"
        }
        Rule::person_fact | Rule::fact_risk | Rule::fact_capacity => "a person fact such as `risk`",
        Rule::class_minimum => "`at least` and a number",
        Rule::contact_entry | Rule::contact_stage | Rule::contact_basis => {
            "a contact detail such as `basis`"
        }
        Rule::exception_entry | Rule::suspend_visits => "`suspend visits`",
        Rule::governance_entry | Rule::cycle | Rule::gov_rule => "`cycle` or `rule`",
        Rule::floor
        | Rule::floor_internal
        | Rule::floor_attempts
        | Rule::floor_require
        | Rule::floor_parity => "a floor such as `internal_escalation`",
        Rule::metric
        | Rule::metric_count
        | Rule::metric_unresolved
        | Rule::metric_consecutive
        | Rule::metric_without => "a measure such as `count`",
        Rule::trigger => "`on` and an event",
        Rule::repeat => "`repeated N times within D`",
        Rule::threshold_anchor => "`after planned start` or `after planned end`",
        Rule::ooh_threshold => "`out_of_hours late ... missed ...`",
        Rule::agency_kind => "`statutory` or `emergency`",
        Rule::anchor => "`of` and what the deadline counts from",
        Rule::next_working_day => "`next working day`",
        Rule::per_scope => "`person`, `route`, `location` or `provider`",
        Rule::alias_arm => "a role and `in` a calendar",
        Rule::breach_clause => "`on breach`",
        Rule::framework_head | Rule::protocol_head | Rule::document_head => {
            "`framework` or `protocol`"
        }
        _ => return None,
    })
}

impl Parsed {
    /// The items that did parse.
    pub fn items(&self) -> &[Item] {
        self.document.as_ref().map_or(&[], |d| &d.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists the hints use, the grammar's `reserved` rule and docs/language.md §13 name
    /// the same words (§13 had left out `decision`, `if` and `trigger`).
    #[test]
    #[allow(clippy::unwrap_used)] // the files are the crate's own
    fn reserved_words_are_the_same_in_the_grammar_the_code_and_the_docs() {
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v.dedup();
            v
        };
        let ours = sorted(
            ITEM_WORDS
                .iter()
                .chain(CLAUSE_WORDS)
                .map(|w| w.to_string())
                .collect(),
        );
        assert!(ours.iter().all(|w| is_reserved(w)));
        let grammar = std::fs::read_to_string("grammar/vigil.pest").unwrap();
        let rule = grammar.split("reserved = _{").nth(1).unwrap();
        let rule = rule.split('}').next().unwrap();
        let quoted = |text: &str, q: char| -> Vec<String> {
            text.split(q)
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        assert_eq!(
            sorted(quoted(rule, '"')),
            ours,
            "the grammar's `reserved` rule"
        );
        let docs = std::fs::read_to_string("docs/language.md").unwrap();
        let section = docs.split("## 13. Reserved words").nth(1).unwrap();
        let section = section.split("(`per person`").next().unwrap();
        assert_eq!(sorted(quoted(section, '`')), ours, "docs/language.md §13");
    }

    #[test]
    fn no_two_different_expectations_read_the_same() {
        // Expectations are sorted by their words and then deduplicated as values: two values
        // with the same words would be listed twice.
        let mut seen: Vec<(String, Expected)> = Vec::new();
        let extra = [
            Expected::EndOfFile,
            Expected::DocumentClose,
            Expected::AnyItem,
        ];
        let all = Rule::all_rules()
            .iter()
            .filter_map(|r| describe(*r))
            .chain(extra);
        for e in all {
            let words = e.to_string();
            if let Some((_, other)) = seen.iter().find(|(w, _)| *w == words) {
                assert_eq!(*other, e, "`{words}` is said by two different expectations");
            }
            seen.push((words, e));
        }
    }
}
