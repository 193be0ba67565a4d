//! A YAML or JSON reader's error in words a registered manager can act on: where it is, what
//! is wrong and what to write. The readers speak of their own types (`expected struct
//! EventInput`), say nothing on what to do, and some give no place at all (a NUL byte "at
//! position 137", a second document); each message is matched here and said again plainly,
//! with a help line, and a message not matched keeps its words with a general help line.

use super::error::{ErrorCode, TimelineError};
use super::input::{Format, BLANK_LIST};
use super::wrong_type::{general_help, wrong_type, SHAPE_DOC};
use crate::source::Source;

/// What a reader's error becomes, before it is given the file's name.
struct Said {
    code: ErrorCode,
    place: (usize, usize),
    field: Option<String>,
    message: String,
    help: String,
}

impl Said {
    fn new(place: (usize, usize), message: impl Into<String>, help: impl Into<String>) -> Said {
        Said {
            code: ErrorCode::Unreadable,
            place,
            field: None,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The reader's error `raw` (at `place`, if it gave one) on `text`, said plainly.
pub(super) fn explain(
    text: &str,
    format: Format,
    file: &str,
    raw: &str,
    place: Option<(usize, usize)>,
) -> TimelineError {
    let (main, context) = split_context(raw);
    let main = strip_place(main);
    // The YAML reader names the field it was reading before its message: `events[0].person:`.
    let (field, body) = match main.split_once(": ") {
        Some((path, rest)) if is_path(path) => (Some(path.to_string()), rest),
        _ => (None, main),
    };
    let place = place.unwrap_or((1, 1));
    let r = Reading {
        text,
        format,
        place,
        field: field.as_deref(),
        context,
    };
    let mut said = r
        .placed(body)
        .or_else(|| r.top_level_list())
        .or_else(|| r.broken(body))
        .or_else(|| r.misshapen(body))
        .or_else(|| r.wrong_type(body))
        .unwrap_or_else(|| Said::new(place, body, general_help()));
    said.field = said.field.or(field);
    TimelineError {
        code: said.code,
        file: file.to_string(),
        line: said.place.0,
        column: said.place.1,
        field: said.field,
        message: said.message,
        help: Some(said.help),
    }
}

/// One reader's error being read.
struct Reading<'a> {
    text: &'a str,
    format: Format,
    place: (usize, usize),
    field: Option<&'a str>,
    /// What the YAML reader says it was in the middle of: `while scanning a quoted scalar at
    /// line 6 column 11`.
    context: Option<&'a str>,
}

impl Reading<'_> {
    /// Errors whose place the reader does not give, found in the text.
    fn placed(&self, body: &str) -> Option<Said> {
        if let Some(key) = body.strip_prefix(BLANK_LIST) {
            return Some(self.blank(key));
        }
        // The YAML reader's own bound on nesting by indentation (128 levels), which the
        // bracket count before it does not see (found by a docs-only tester: it was said in
        // the reader's words, with no flag to name).
        if body.contains("recursion limit exceeded") {
            return Some(Said::new(
                self.place,
                "the file nests more than 128 levels deep, by indentation",
                "a timeline needs a few levels at most, so this is not a timeline; the YAML reader follows at most 128 levels of indentation, whatever --max-nesting says (that limit counts brackets)",
            ));
        }
        if body.contains("more than one document") {
            let place = second_document(self.text).unwrap_or(self.place);
            return Some(Said::new(
                place,
                "the file holds more than one YAML document: a second starts here",
                "a timeline is one document: two exports joined together? put every event under one `events:`",
            ));
        }
        let position = body.strip_prefix("control characters are not allowed at position ")?;
        let offset: usize = position.trim().parse().ok()?;
        let source = Source::new("", self.text);
        let c = self.text.get(offset..).and_then(|t| t.chars().next());
        Some(Said::new(
            source.line_col(offset.min(self.text.len())),
            format!(
                "the file holds a control character ({}), which YAML does not allow",
                c.map_or_else(
                    || "unreadable".to_string(),
                    |c| format!("U+{:04X}", u32::from(c))
                )
            ),
            "a damaged file? remove the character, or export the timeline again",
        ))
    }

    /// `events:` or `persons:` with nothing after it.
    fn blank(&self, key: &str) -> Said {
        let place = key_place(self.text, self.format, key).unwrap_or(self.place);
        let mut said = if key == "events" {
            Said::new(
                place,
                "nothing is written after `events:`, so the timeline may have been cut short",
                "write `events: []` for a timeline in which nothing has happened yet",
            )
        } else {
            Said::new(
                place,
                format!("nothing is written after `{key}:`"),
                format!("list them (`{key}: [P-0001]`), or leave `{key}` out"),
            )
        };
        // A blank `events` is a timeline with nothing in it: never "nothing happened".
        if key == "events" {
            said.code = ErrorCode::Empty;
        }
        said.field = Some(key.to_string());
        said
    }

    /// A list at the top of the file, where a timeline is a map with `events:`.
    fn top_level_list(&self) -> Option<Said> {
        let first = first_content(self.text)?;
        let list = first.starts_with('[')
            || (self.format == Format::Yaml
                && (first == "-" || first.starts_with("- ") || first.starts_with("-\t")));
        if !list {
            return None;
        }
        let help = match self.format {
            Format::Json | Format::Ndjson => "a timeline is a map with `events:`, a list of events: write `{\"events\": [...]}` around the list",
            Format::Yaml => "a timeline is a map with `events:`, a list of events: write `events:` above the list, and indent the list under it",
        };
        Some(Said::new(
            self.place,
            "the file is a list, not a timeline",
            help,
        ))
    }

    /// Text the reader cannot read at all: broken syntax, a cut-off file.
    fn broken(&self, body: &str) -> Option<Said> {
        let line = self
            .text
            .lines()
            .nth(self.place.0.saturating_sub(1))
            .unwrap_or("");
        let here = line.get(self.place.1.saturating_sub(1)..).unwrap_or("");
        // A tab before a flow item (`\t- { ... }`) is refused as a character that cannot
        // start a token, not as a tab: it is the same mistake, said the same way.
        let indent = &line[..line.len() - line.trim_start().len()];
        let tab_first = body.contains("cannot start any token")
            && (here.starts_with('\t') || indent.contains('\t'));
        let (message, help): (String, String) = if body.contains("tab character") || tab_first {
            (
                "a tab is used to indent".into(),
                "indent with spaces, not tabs".into(),
            )
        } else if body.contains("EOF while parsing") || body.contains("end of stream") {
            let what = match self.context {
                Some(c) if c.contains("quoted scalar") => {
                    format!("the file ends inside a quoted text (opened {})", opened(c))
                }
                _ => "the file ends in the middle of the timeline".into(),
            };
            (what, "the file ends early: was it cut short?".into())
        } else if body.contains("did not find expected")
            && self.context.is_some_and(|c| c.contains("flow"))
        {
            let c = self.context.unwrap_or_default();
            let bracket = if c.contains("flow mapping") {
                ("{", "}")
            } else {
                ("[", "]")
            };
            (
                format!("a `{}` opened {} is not closed", bracket.0, opened(c)),
                format!("close it with `{}` after its last item", bracket.1),
            )
        } else if body.starts_with("trailing comma") {
            (
                "a comma after the last item".into(),
                "remove the comma after the last item".into(),
            )
        } else if body.starts_with("key must be a string")
            && (here.starts_with("//") || here.starts_with("/*"))
        {
            (
                "a comment, which JSON does not allow".into(),
                "JSON has no comments; remove them or write YAML".into(),
            )
        } else if body.starts_with("key must be a string") && here.starts_with('\'') {
            (
                "a key in single quotes, which JSON does not allow".into(),
                "JSON takes double quotes: write \"at\", not 'at'".into(),
            )
        } else if body.starts_with("expected value")
            && ["NaN", "Infinity", "-Infinity"]
                .iter()
                .any(|n| here.starts_with(n))
        {
            (
                "a value JSON does not have (NaN or Infinity)".into(),
                "write a number".into(),
            )
        } else if body.contains("cannot start any token") && line.trim_start().starts_with("```") {
            (
                "a Markdown fence (```), which is not YAML".into(),
                "remove the fence lines: the file is the YAML alone".into(),
            )
        } else {
            return None;
        };
        Some(Said::new(self.place, message, help))
    }

    /// Text that reads, but not as a timeline: a number too large, a key twice, a key missing
    /// or unknown.
    fn misshapen(&self, body: &str) -> Option<Said> {
        let (message, help): (String, String) = if body.contains("number out of range") {
            let key = self.field.map_or("", |f| f.rsplit('.').next().unwrap_or(f));
            let help = if key == "staff" {
                format!(
                    "write a whole number of carers from 1 to {}",
                    super::plan::MAX_STAFF
                )
            } else {
                "numbers in a timeline are small whole numbers, such as `staff: 2`".into()
            };
            ("a number too large to read".into(), help)
        } else if body.starts_with("duplicate") {
            if let Some(said) = self.written_twice(body) {
                return Some(said);
            }
            (plain_duplicate(body), "write each field once".into())
        } else if body.starts_with("missing field `events`") {
            (
                "the timeline has no `events` list".into(),
                format!("a timeline is a map with `events:`, a list of events (see {SHAPE_DOC}); write `events: []` if nothing has happened yet"),
            )
        } else if body.starts_with("unknown field") {
            (plain_unknown_field(body), known_fields_help(body))
        } else {
            return None;
        };
        Some(Said::new(self.place, message, help))
    }

    /// A value of the wrong kind: a list where one value goes, text where a list goes.
    fn wrong_type(&self, body: &str) -> Option<Said> {
        let json = self.format != Format::Yaml;
        let (message, help) = wrong_type(body, self.field.unwrap_or(""), json)?;
        Some(Said::new(self.place, message, help))
    }
}

impl Reading<'_> {
    /// A key written twice in a YAML event, said at the second writing of it: the reader
    /// names the event and gives its start (found by a docs-only tester: the event's first
    /// line was all it said).
    fn written_twice(&self, body: &str) -> Option<Said> {
        if self.format != Format::Yaml {
            return None;
        }
        let path = self.field?;
        let name = body
            .strip_prefix("duplicate field `")
            .or_else(|| body.strip_prefix("duplicate attribute `"))?
            .split('`')
            .next()?;
        let source = Source::new("", self.text);
        let start = source.line_start(self.place.0.checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let first = super::locate::find_yaml_key(rest, name)?;
        let second = first + super::locate::find_yaml_key(rest.get(first..)?, name)?;
        // The key itself, not the colon after it.
        let key_at = rest.get(..second)?.rfind(name)?;
        let mut said = Said::new(
            source.line_col(start + key_at),
            plain_duplicate(body),
            "write each field once",
        );
        said.field = Some(format!("{path}.{name}"));
        Some(said)
    }
}

/// "`kind` is written twice", from `duplicate field `kind``.
fn plain_duplicate(body: &str) -> String {
    match body.split('`').nth(1) {
        Some(name) => format!("`{name}` is written twice"),
        None => body.to_string(),
    }
}

/// "unknown key `timezone`", from `unknown field `timezone`, expected one of ...`.
fn plain_unknown_field(body: &str) -> String {
    match body.split('`').nth(1) {
        Some(name) => format!("unknown key `{name}`"),
        None => body.to_string(),
    }
}

/// The keys the reader says it expected, as a help line.
fn known_fields_help(body: &str) -> String {
    let known: Vec<&str> = body
        .split_once("expected")
        .map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    if known.is_empty() {
        return general_help();
    }
    let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "the keys a timeline may have: {}",
        crate::wording::either(&known).replacen(" or ", " and ", 1)
    )
}

/// "at line 3, column 5", from the reader's `while parsing a flow mapping at line 3 column 5`.
fn opened(context: &str) -> String {
    match context.split_once(" at line ") {
        Some((_, place)) => format!("at line {}", place.replacen(" column ", ", column ", 1)),
        None => "earlier".into(),
    }
}

/// The reader's message, and what it says it was in the middle of (`while scanning ...`).
fn split_context(raw: &str) -> (&str, Option<&str>) {
    match raw.split_once(", while ") {
        Some((main, context)) => (main, Some(context)),
        None => (raw, None),
    }
}

/// The message without the place the reader appends (`at line 3 column 5`): the error gives
/// it as its line and column.
fn strip_place(message: &str) -> &str {
    match message.rsplit_once(" at line ") {
        Some((before, after))
            if after
                .split_once(" column ")
                .is_some_and(|(l, c)| is_number(l) && is_number(c)) =>
        {
            before
        }
        _ => message,
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True for a field path as the YAML reader writes one: `events[0].person`.
fn is_path(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

/// The text's first line with something in it, past a byte-order mark, blank lines and YAML
/// comments.
fn first_content(text: &str) -> Option<&str> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Where the second YAML document starts: the `---` after the first document's content, or
/// after a first document written as one JSON-like `{...}` (or `[...]`), the next line that
/// opens another at its first column (two JSON exports joined: YAML reads each as a
/// document of its own, with no `---` between them).
fn second_document(text: &str) -> Option<(usize, usize)> {
    let mut first: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        let starts_document = line == "---" || line.starts_with("--- ");
        let opens_flow = line.starts_with('{') || line.starts_with('[');
        let flow_first = first.is_some_and(|f| f.starts_with('{') || f.starts_with('['));
        if first.is_some() && (starts_document || (flow_first && opens_flow)) {
            return Some((n + 1, 1));
        }
        let t = line.trim();
        if first.is_none()
            && !starts_document
            && !t.is_empty()
            && !t.starts_with('#')
            && !t.starts_with('%')
        {
            first = Some(line.trim_start_matches('\u{feff}'));
        }
    }
    None
}

/// Where the top-level `key` is written: its own line and column.
fn key_place(text: &str, format: Format, key: &str) -> Option<(usize, usize)> {
    let offset = match format {
        Format::Json | Format::Ndjson => text.find(&format!("\"{key}\"")),
        Format::Yaml => {
            let mut offset = 0;
            let mut found = None;
            for line in text.split_inclusive('\n') {
                let unquoted = line.trim_start_matches(['"', '\'', '\u{feff}']);
                let after = unquoted.strip_prefix(key);
                if after.is_some_and(|a| a.trim_start_matches(['"', '\'']).starts_with(':')) {
                    found = Some(offset);
                    break;
                }
                offset += line.len();
            }
            found
        }
    }?;
    Some(Source::new("", text).line_col(offset))
}
