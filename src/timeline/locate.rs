//! Finding where an event and its fields are written, so that errors found after parsing
//! (an unknown visit, a duplicate id) still name a line and column.
//!
//! serde reports positions only for errors it raises itself. For the rest, this scans the text
//! for the start of each element of the `events` list (block or flow YAML, or JSON) and then
//! for a field's key inside that element. It never fails: the fallback is the element's start,
//! then the `events` key, then the top of the file.

use crate::source::Lines;

/// Where the events of a timeline text start.
#[derive(Debug, Clone)]
pub struct Locator<'t> {
    source: Lines<'t>,
    json: bool,
    starts: Vec<usize>,
}

impl<'t> Locator<'t> {
    /// Index a timeline text written in `format`.
    pub fn new(text: &'t str, format: super::input::Format) -> Self {
        use super::input::Format;
        let source = Lines::new(text);
        let starts = match format {
            Format::Json => json_event_starts(text),
            Format::Ndjson => line_starts(text),
            Format::Yaml => yaml_event_starts(text),
        };
        Locator {
            source,
            json: format != Format::Yaml,
            starts,
        }
    }

    /// The same text with only the events at `kept` (indices in the file, in order): event
    /// `i` is then the file's `kept[i]`, found where the file writes it.
    pub fn keeping(&self, kept: &[usize]) -> Self {
        Locator {
            source: self.source.clone(),
            json: self.json,
            starts: kept
                .iter()
                .map(|&k| self.starts.get(k).copied().unwrap_or(0))
                .collect(),
        }
    }

    /// One-based line and column of a byte offset: [`Source::line_col`], the one place
    /// Vigil turns offsets into lines and columns.
    /// With no text (a timeline built in code, a feed's event), there is no place to name:
    /// 0:0, which errors show as no line at all.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if self.source.text().is_empty() {
            return (0, 0);
        }
        self.source.line_col(offset)
    }

    /// The line event `i` (in file order) starts on (0 with no text): what every checked
    /// event records, so it is found without counting columns.
    pub fn event_line(&self, i: usize) -> usize {
        if self.source.text().is_empty() {
            return 0;
        }
        self.source
            .line_of(self.starts.get(i).copied().unwrap_or(0))
    }

    /// Where event `i` (in file order) starts.
    pub fn event(&self, i: usize) -> (usize, usize) {
        self.line_col(self.starts.get(i).copied().unwrap_or(0))
    }

    /// Where the value of `field` in event `i` is written (or the event's start).
    pub fn field(&self, i: usize, field: &str) -> (usize, usize) {
        let Some(&start) = self.starts.get(i) else {
            return self.line_col(0);
        };
        match self.key_in(i, field) {
            Some((body, after_key)) => {
                self.line_col(start + after_key + value_offset(body, after_key))
            }
            None => self.line_col(start),
        }
    }

    /// Whether event `i` writes the key `field` (with a blank value, if it reads as not
    /// given): an attribute written `null` is not one left out.
    pub fn writes(&self, i: usize, field: &str) -> bool {
        self.key_in(i, field).is_some()
    }

    /// Event `i`'s text, and where in it the key `field` ends, if it is written.
    fn key_in(&self, i: usize, field: &str) -> Option<(&str, usize)> {
        let &start = self.starts.get(i)?;
        let text = self.source.text();
        let end = self.starts.get(i + 1).copied().unwrap_or(text.len());
        let body = text.get(start..end).unwrap_or("");
        let find = |body: &str, field: &str| {
            if self.json {
                let key = format!("\"{field}\"");
                body.find(&key).map(|k| k + key.len())
            } else {
                find_yaml_key(body, field)
            }
        };
        // A trigger's attribute (`attributes.urgency`) is its key within `attributes` (found
        // by a docs-only tester: an error in one was said at the event's start).
        let found = match field.split_once('.') {
            Some((parent, child)) if parent == "attributes" => find(body, parent).and_then(|p| {
                let rest = body.get(p..)?;
                Some(p + find(rest, child)?)
            }),
            _ => find(body, field),
        };
        found.map(|after_key| (body, after_key))
    }

    /// Where a top-level key such as `as_of` is written.
    pub fn top_level(&self, key: &str) -> (usize, usize) {
        let text = self.source.text();
        let found = if self.json {
            let k = format!("\"{key}\"");
            text.find(&k).map(|i| i + k.len())
        } else {
            find_yaml_key(text, key)
        };
        match found {
            Some(k) => self.line_col(k + value_offset(text, k)),
            None => self.line_col(0),
        }
    }
}

/// How far past a key's end its value starts (over the colon and spaces).
fn value_offset(text: &str, after_key: usize) -> usize {
    let rest = text.get(after_key..).unwrap_or("");
    rest.char_indices()
        .find(|(_, c)| !matches!(c, ':' | ' ' | '\t'))
        .map_or(rest.len(), |(i, _)| i)
}

/// The offset just after `key` where it is written as a mapping key (`key:`), at a word
/// boundary.
pub(super) fn find_yaml_key(body: &str, key: &str) -> Option<usize> {
    // An empty name (`"": x`, or `perso.` split at its dot) is found everywhere and nowhere:
    // the event's start stands for it.
    if key.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = body.get(from..).and_then(|r| r.find(key)) {
        let at = from + i;
        let before = body.get(..at).and_then(|b| b.chars().next_back());
        let after = body.get(at + key.len()..).unwrap_or("");
        let boundary_before =
            before.is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '{' | ',' | '-' | '"' | '\''));
        let key_end = after.trim_start_matches(['"', '\'']);
        if boundary_before && key_end.trim_start_matches([' ', '\t']).starts_with(':') {
            return Some(at + key.len() + (after.len() - key_end.len()));
        }
        from = at + key.len();
    }
    None
}

/// Starts of the event lines of an NDJSON text: every line that is not blank, but a first
/// line that is a header (one with no `kind`).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut first = true;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            // The reader skips a byte-order mark before the header, and so must this, or
            // every event is placed on the line before its own.
            let header =
                first && super::ndjson::is_header(line.trim().trim_start_matches('\u{feff}'));
            first = false;
            if !header {
                starts.push(offset + (line.len() - line.trim_start().len()));
            }
        }
        offset += line.len();
    }
    starts
}

/// Starts of the elements of the top-level `events` list in block or flow YAML.
fn yaml_event_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut in_events = false;
    let mut item_indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("events:") && indent == 0 {
            in_events = true;
            let rest = trimmed.trim_start_matches("events:").trim_start();
            if rest.starts_with('[') {
                starts.extend(flow_elements(text, offset + (line.len() - rest.len())));
                return starts;
            }
        } else if in_events && !trimmed.is_empty() && !trimmed.starts_with('#') {
            if indent == 0 && !trimmed.starts_with('-') {
                break;
            }
            if trimmed.starts_with('-') && item_indent.is_none_or(|i| i == indent) {
                item_indent = Some(indent);
                starts.push(offset + indent);
            }
        }
        offset += line.len();
    }
    starts
}

/// Starts of the `{` elements of a flow sequence beginning at `open` (a `[`).
fn flow_elements(text: &str, open: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut in_string: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.get(open..).unwrap_or("").char_indices() {
        if let Some(q) = in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                in_string = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => in_string = Some(c),
            '[' | '{' => {
                depth += 1;
                if depth == 2 && c == '{' {
                    starts.push(open + i);
                }
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    starts
}

/// Starts of the elements of the top-level `"events"` array in JSON.
fn json_event_starts(text: &str) -> Vec<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0;
    let mut last_key: Option<&str> = None;
    for (i, c) in text.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                if depth == 1 {
                    last_key = text.get(string_start + 1..i);
                }
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                string_start = i;
            }
            '{' | '[' => {
                if depth == 1 && c == '[' && last_key == Some("events") {
                    return flow_elements(text, i);
                }
                depth += 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::super::input::Format;
    use super::*;

    #[test]
    fn block_yaml_events_and_fields() {
        let text = "as_of: x\nevents:\n  - at: a\n    kind: no_answer\n  - at: b\n    visit: V9\n";
        let l = Locator::new(text, Format::Yaml);
        assert_eq!(l.event(1), (5, 3));
        assert_eq!(l.field(1, "visit"), (6, 12));
        assert_eq!(l.field(0, "kind"), (4, 11));
        assert_eq!(l.top_level("as_of"), (1, 8));
    }

    #[test]
    fn json_events_and_fields() {
        let text = "{\"events\": [\n {\"at\": \"a\"},\n {\"kind\": \"x\", \"visit\": \"V9\"}\n]}";
        let l = Locator::new(text, Format::Json);
        assert_eq!(l.event(1), (3, 2));
        assert_eq!(l.field(1, "visit"), (3, 25));
    }

    #[test]
    fn flow_yaml_events() {
        let text = "events: [{at: a, kind: x}, {at: b, visit: V1}]";
        let l = Locator::new(text, Format::Yaml);
        assert_eq!(l.field(1, "visit"), (1, 43));
    }
}
