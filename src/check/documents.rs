//! The first phase of checking: read each source into a syntax tree (reporting syntax errors
//! and misplaced items), then match each protocol with the framework it names.

use std::collections::BTreeMap;

use crate::hash::Map;

use super::diagnostic::{Code, Diagnostic};
use super::Ctx;
use crate::source::Source;
use crate::span::Loc;
use crate::syntax::ast::{Document, Head, Item, Str, Version};
use crate::wording::did_you_mean;

/// A document read from one source: its index among the sources, and its tree.
pub type Doc = (usize, Document);

/// Parse every source; report its syntax errors and items in the wrong kind of document (which
/// are dropped, so they are not reported again as anything else).
pub fn read(cx: &mut Ctx<'_>, sources: &[Source]) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (file, src) in sources.iter().enumerate() {
        // A line thousands of characters long is not a protocol (a minified or garbled
        // file): say so, rather than spend time and memory reading it.
        if !short_lines(cx, file, src.text()) {
            continue;
        }
        hidden_characters(cx, file, src.text());
        let parsed = crate::syntax::parse_within(src.text(), cx.limits.nesting());
        for e in parsed.errors {
            // A hidden character where the parser stopped is already E047, at the same place.
            let at_hidden = src
                .text()
                .get(e.span.start..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| crate::wording::hidden(c).is_some());
            if !at_hidden {
                cx.report(syntax_finding(file, src, sources, &e));
            }
        }
        if let Some(mut doc) = parsed.document {
            let in_framework = matches!(doc.head, Head::Framework { .. });
            doc.items.retain(|item| {
                let wrong = misplaced(item, in_framework);
                if wrong {
                    cx.report(misplaced_finding(file, item, in_framework));
                }
                !wrong
            });
            docs.push((file, doc));
        }
    }
    docs
}

/// Whether every line of `text` is within the limit on line length; if not, the finding
/// for the first that is not.
fn short_lines(cx: &mut Ctx<'_>, file: usize, text: &str) -> bool {
    let limit = cx.limits.line_chars;
    let mut start = 0;
    for (n, line) in text.split('\n').enumerate() {
        // Bytes bound characters from above: count characters only for a long line.
        if line.len() > limit && line.chars().count() > limit {
            let chars = line.chars().count();
            let end = line
                .char_indices()
                .nth(limit)
                .map_or(line.len(), |(i, _)| i);
            cx.report(Diagnostic::new(
                Code::LineTooLong,
                file,
                crate::span::Span::new(start + end, start + line.len()),
                format!(
                    "line {} is {chars} characters long, more than the {limit} a line may hold, so the file is not read",
                    n + 1
                ),
                "past the limit",
                "a protocol's lines are short: is this the right file? If it is, break the line, or raise the limit with --max-line-chars",
            ));
            return false;
        }
        start += line.len() + 1;
    }
    true
}

/// The most hidden characters reported one by one in a file; the last one reported counts
/// the rest.
const MAX_HIDDEN: usize = 20;

/// Every character of the file a reader cannot see (`wording::hidden`), anywhere, comments
/// included: a right-to-left override in a comment can make the rule after it read as
/// something else. A byte-order mark at the very start is how some editors begin a file.
fn hidden_characters(cx: &mut Ctx<'_>, file: usize, text: &str) {
    let found: Vec<(usize, char, &str)> = text
        .char_indices()
        .filter(|(i, c)| !(*i == 0 && *c == '\u{feff}'))
        .filter_map(|(i, c)| crate::wording::hidden(c).map(|name| (i, c, name)))
        .collect();
    let total = found.len();
    for (n, (at, c, name)) in found.into_iter().take(MAX_HIDDEN).enumerate() {
        let more = if n + 1 == MAX_HIDDEN && total > MAX_HIDDEN {
            format!(" (and {} more in this file)", total - MAX_HIDDEN)
        } else {
            String::new()
        };
        let what = if c.is_control() {
            "a control character, which can rewrite the screen it is shown on"
        } else {
            "an invisible character, which can make the text read differently from what it says"
        };
        cx.report(Diagnostic::new(
            Code::HiddenCharacter,
            file,
            crate::span::Span::new(at, at + c.len_utf8()),
            format!("the file holds {name}, {what}{more}"),
            "hidden character here",
            "delete it; if it came with pasted text, retype that text",
        ));
    }
}

fn syntax_finding(
    file: usize,
    src: &Source,
    sources: &[Source],
    e: &crate::syntax::SyntaxError,
) -> Diagnostic {
    if let Some(h) = super::syntax_hints::hint(src, sources, e) {
        let label = match (h.at, h.label) {
            (_, Some(label)) => label,
            (Some(_), None) => "no unit",
            (None, None) => "unexpected here",
        };
        return Diagnostic::new(
            Code::Syntax,
            file,
            h.at.unwrap_or(e.span),
            h.message,
            label,
            h.help,
        );
    }
    let mut help = match e.context {
        Some(c) => format!("the problem is in {c}; see docs/language.md for its form"),
        None => "see docs/language.md for the form of each item".to_string(),
    };
    if matches!(
        e.found,
        crate::syntax::Found::NestedTooDeep { .. } | crate::syntax::Found::NegatedTooDeep { .. }
    ) {
        help = format!(
            "write the condition with fewer brackets or `not`s; if it is meant, raise the limit with --max-nesting (at most {})",
            crate::limits::Limits::NESTING_CEILING
        );
    }
    // A new item's keyword where the last one's contents belong: the `}` closing the last
    // one is probably missing. Point at the `{` left open too, since the error's place is
    // only where the reading stopped.
    let opened = match &e.found {
        crate::syntax::Found::Token(t) if ITEM_KEYWORDS.contains(&t.as_str()) => {
            unclosed_brace(src.text(), e.span.start).map(|at| (at, t))
        }
        _ => None,
    };
    if let Some((at, keyword)) = opened {
        let (line, _) = src.line_col(at);
        help = format!(
            "is a `}}` missing before it? The `{{` at line {line} is not closed before this `{keyword}`"
        );
    }
    if e.found == crate::syntax::Found::EndOfFile {
        help = if src.text().trim().is_empty() {
            "the file is empty: a document starts `framework \"Name\" version 1 {` or `protocol \"ID\" under \"Framework\" version 1 {`".into()
        } else {
            "the file ends too early: is a `}` or a closing quote missing?".into()
        };
    }
    let finding = Diagnostic::new(
        Code::Syntax,
        file,
        e.span,
        e.message(),
        "unexpected here",
        help,
    );
    match opened {
        Some((at, _)) => finding.with(
            file,
            crate::span::Span::new(at, at + 1),
            "opened here, not closed",
        ),
        None => finding,
    }
}

/// The words that begin an item of a document or of a pathway.
const ITEM_KEYWORDS: &[&str] = &[
    "pathway",
    "stage",
    "role",
    "alias",
    "calendar",
    "log",
    "agency",
    "threshold",
    "contact",
    "visit",
    "absence",
    "exception",
    "governance",
    "floors",
    "trigger",
    "decision",
    "class",
    "person",
    "methods",
];

/// The innermost `{` still open at `end`, if it is inside an item (deeper than the
/// document's own): braces in texts and comments do not count.
fn unclosed_brace(text: &str, end: usize) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let (mut in_text, mut in_comment) = (false, false);
    for (i, c) in text.get(..end)?.char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '"' => in_text = !in_text,
            _ if in_text => {}
            '#' => in_comment = true,
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    (open.len() > 1).then(|| open.last().copied()).flatten()
}

/// Items a framework may hold and a protocol may not, and the reverse.
fn misplaced(item: &Item, in_framework: bool) -> bool {
    let framework_only = matches!(
        item,
        Item::Timezone(_)
            | Item::Effective(..)
            | Item::BankHolidays(_)
            | Item::Immediately(..)
            | Item::Role(_)
            | Item::Alias(_)
            | Item::Calendar(_)
            | Item::Agency(_)
            | Item::Log(_)
            | Item::RedFlags(_)
            | Item::Observations(_)
            | Item::Decision(_)
            | Item::Trigger(_)
            | Item::Communication(_)
            | Item::Results(_)
            | Item::Facts(_)
            | Item::Risks(_)
            | Item::Class(_)
            | Item::Floors(..)
            | Item::Governance(_)
    );
    let protocol_only = matches!(
        item,
        Item::Person(..)
            | Item::Methods(_)
            | Item::Contact(_)
            | Item::Visit(_)
            | Item::Absence(_)
            | Item::Exception(_)
    );
    (in_framework && protocol_only) || (!in_framework && framework_only)
}

fn misplaced_finding(file: usize, item: &Item, in_framework: bool) -> Diagnostic {
    let (here, there) = if in_framework {
        ("a framework", "the person's protocol")
    } else {
        ("a protocol", "the provider's framework")
    };
    // A person's need is written in their `person` block; only its declaration is the
    // framework's, so say both.
    let help = match item {
        Item::Communication(c) if !in_framework => format!(
            "to record the person's need, write `communication {}` inside `person {{ ... }}`; to declare it, move this line to the provider's framework",
            c.name.name
        ),
        _ => format!("move it to {there}"),
    };
    Diagnostic::new(
        Code::Misplaced,
        file,
        item.span(),
        format!("`{}` does not belong in {here}", item.keyword()),
        "misplaced item",
        help,
    )
}

/// Frameworks by name and version; a second copy of one is reported and left out.
pub struct Frameworks<'d> {
    /// `(name, version)` to the framework's source index.
    pub by_key: BTreeMap<(String, String), usize>,
    /// Each framework once, in source order.
    pub unique: Vec<(usize, &'d Document)>,
}

/// Index the frameworks among `docs`.
pub fn frameworks<'d>(cx: &mut Ctx<'_>, docs: &[&'d Doc]) -> Frameworks<'d> {
    let mut out = Frameworks {
        by_key: BTreeMap::new(),
        unique: Vec::new(),
    };
    for (file, doc) in docs {
        let Head::Framework {
            name,
            version,
            span,
        } = &doc.head
        else {
            continue;
        };
        let key = (name.value.clone(), version.text.clone());
        if let Some(&first) = out.by_key.get(&key) {
            let first_span = docs
                .iter()
                .find(|(f, _)| *f == first)
                .map_or(*span, |(_, d)| d.head.span());
            cx.report(
                Diagnostic::new(
                    Code::DuplicateDocument,
                    *file,
                    *span,
                    format!(
                        "framework `{}` version {} is declared in two files",
                        name.value, version.text
                    ),
                    "declared again here",
                    "keep one copy of each framework version among the files checked",
                )
                .with(first, first_span, "first declared here"),
            );
            continue;
        }
        out.by_key.insert(key, *file);
        out.unique.push((*file, doc));
    }
    versions_in_force(cx, &out.unique);
    out
}

/// A date as written, to compare versions' `effective` dates.
type YearMonthDay = (i32, u32, u32);

/// Versions of one framework side by side must say when each comes into force, each on a
/// day of its own, so that exactly one is in force at any instant; only one may leave its
/// `effective` date out (it is in force until the first that gives one).
fn versions_in_force(cx: &mut Ctx<'_>, frameworks: &[(usize, &Document)]) {
    let mut by_name: BTreeMap<&str, Vec<(usize, &Document)>> = BTreeMap::new();
    for (file, doc) in frameworks {
        if let Head::Framework { name, .. } = &doc.head {
            by_name
                .entry(name.value.as_str())
                .or_default()
                .push((*file, *doc));
        }
    }
    for (name, docs) in by_name.into_iter().filter(|(_, d)| d.len() > 1) {
        let mut seen: BTreeMap<Option<YearMonthDay>, (usize, Loc, String)> = BTreeMap::new();
        for (file, doc) in docs {
            let effective = doc.items.iter().find_map(|i| match i {
                Item::Effective(d, _, span) => Some((d, *span)),
                _ => None,
            });
            let version = match &doc.head {
                Head::Framework { version, .. } => version.text.clone(),
                _ => String::new(),
            };
            let key = effective.map(|(d, _)| (d.year, d.month, d.day));
            let span = effective.map_or(doc.head.span(), |(_, s)| s);
            let Some((first, first_span, first_version)) = seen.get(&key).cloned() else {
                seen.insert(key, (file, span, version));
                continue;
            };
            let (message, help) = match effective {
                Some((d, _)) => (
                    format!(
                        "versions {first_version} and {version} of framework `{name}` both come into force on {:04}-{:02}-{:02}",
                        d.year, d.month, d.day
                    ),
                    "give each version its own `effective` date".to_string(),
                ),
                None => (
                    format!(
                        "versions {first_version} and {version} of framework `{name}` both leave out their `effective` date"
                    ),
                    "say when the later version comes into force: `effective 2027-01-04`".to_string(),
                ),
            };
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    file,
                    span,
                    message,
                    "in force at the same time",
                    help,
                )
                .with(first, first_span, "the other version"),
            );
        }
    }
}

/// The protocols under each framework (by the framework's source index). A protocol whose
/// framework is missing or of another version, or a second protocol for one person, is
/// reported and left out.
pub fn group_protocols<'d>(
    cx: &mut Ctx<'_>,
    frameworks: &Frameworks<'_>,
    protocols: &[&'d Doc],
) -> BTreeMap<usize, Vec<(usize, &'d Document)>> {
    let mut grouped: BTreeMap<usize, Vec<(usize, &Document)>> = BTreeMap::new();
    let mut seen_people: Map<(usize, String), usize> = Map::default();
    // A file given but refused before it could be read may be the framework looked for.
    let read: Vec<usize> = frameworks
        .by_key
        .values()
        .copied()
        .chain(protocols.iter().map(|(f, _)| *f))
        .collect();
    let unread = cx.unread_files(&read);
    for (file, doc) in protocols {
        let Head::Protocol {
            person,
            framework,
            version,
            span,
        } = &doc.head
        else {
            continue;
        };
        let key = (framework.value.clone(), version.text.clone());
        let Some(&fw_file) = frameworks.by_key.get(&key) else {
            cx.report(no_such_framework(
                *file,
                &frameworks.by_key,
                framework,
                version,
                &unread,
            ));
            continue;
        };
        if let Some(&first) = seen_people.get(&(fw_file, person.value.clone())) {
            let first_span = protocols
                .iter()
                .find(|(f, _)| *f == first)
                .map_or(*span, |(_, d)| d.head.span());
            cx.report(
                Diagnostic::new(
                    Code::DuplicateDocument,
                    *file,
                    person.span,
                    format!("person `{}` has two protocols", person.value),
                    "second protocol",
                    "each person has one protocol under a framework; merge the two",
                )
                .with(first, first_span, "first protocol"),
            );
            continue;
        }
        seen_people.insert((fw_file, person.value.clone()), *file);
        grouped.entry(fw_file).or_default().push((*file, doc));
    }
    grouped
}

/// A protocol names a framework that is not among the files, or a version it does not have.
fn no_such_framework(
    file: usize,
    by_key: &BTreeMap<(String, String), usize>,
    framework: &Str,
    version: &Version,
    unread: &[String],
) -> Diagnostic {
    let versions: Vec<&str> = by_key
        .keys()
        .filter(|(n, _)| *n == framework.value)
        .map(|(_, v)| v.as_str())
        .collect();
    if !versions.is_empty() {
        return Diagnostic::new(
            Code::FrameworkVersion,
            file,
            version.span,
            format!(
                "framework `{}` has no version {}",
                framework.value, version.text
            ),
            "version not found",
            match did_you_mean(&version.text, versions.iter().copied()) {
                // A slip of the keyboard, or a protocol written for another version: the
                // second is moved only once it checks against the new one.
                Some(v) => format!(
                    "did you mean version {v}? If the protocol was written for another version, do not just change the number: `vigil diff` shows what changed and what it does to this protocol, and `vigil migrate --to {v}` moves it when it still checks"
                ),
                None => format!(
                    "versions available: {}; `vigil diff OLD NEW` shows what changed and what it does to this protocol, and `vigil migrate --to VERSION` moves it when it still checks",
                    crate::wording::listed(versions.iter().copied(), crate::wording::MOST_LISTED)
                ),
            },
        );
    }
    let names: Vec<&str> = by_key.keys().map(|(n, _)| n.as_str()).collect();
    let help = match did_you_mean(&framework.value, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if !unread.is_empty() => format!(
            "{} could not be read at all (see {} errors): if the framework is there, fix that first",
            crate::wording::listed(
                unread
                    .iter()
                    .map(|f| format!("`{}`", crate::wording::shown(f)))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
                crate::wording::MOST_LISTED
            ),
            if unread.len() == 1 { "its" } else { "their" }
        ),
        None if names.is_empty() => {
            "no framework was found among the files given; check the framework file too, for example `vigil check protocols/supported-living/`".into()
        }
        None => format!(
            "frameworks found: {}",
            crate::wording::listed(names.iter().copied(), crate::wording::MOST_LISTED)
        ),
    };
    Diagnostic::new(
        Code::MissingFramework,
        file,
        framework.span,
        format!(
            "framework `{}` is not among the files checked",
            framework.value
        ),
        "no such framework",
        help,
    )
}
