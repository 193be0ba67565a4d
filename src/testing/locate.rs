//! Where things are written in a test file, for errors and failures found after serde read
//! it: a forward search from the start of the test (or check) the thing belongs to, so that
//! each place found is the first after the one before. Never fails: the fallback is the
//! place searched from.

/// A test file's text, indexed by line.
#[derive(Debug, Clone)]
pub struct Places {
    source: crate::source::Source,
}

impl Places {
    pub fn new(text: &str) -> Self {
        Places {
            source: crate::source::Source::new("", text),
        }
    }

    /// The offset of the first `needle` at or after `from` (as written, or in quotes), or
    /// `from` if there is none.
    pub fn find(&self, from: usize, needle: &str) -> usize {
        if needle.is_empty() {
            return from;
        }
        self.source
            .text()
            .get(from..)
            .and_then(|rest| rest.find(needle))
            .map_or(from, |i| from + i)
    }

    /// The offset of the value of `key:` at or after `from`: the first `key:` there, then
    /// its value's first character.
    pub fn key(&self, from: usize, key: &str) -> usize {
        let Some(rest) = self.source.text().get(from..) else {
            return from;
        };
        let mut search = 0;
        while let Some(i) = rest.get(search..).and_then(|r| r.find(key)) {
            let at = search + i;
            let before_ok = at == 0
                || rest[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_whitespace() || c == '{' || c == ',' || c == '-');
            let after = &rest[at + key.len()..];
            if before_ok && after.starts_with(':') {
                let value = after[1..].len() - after[1..].trim_start_matches([' ', '\t']).len();
                return from + at + key.len() + 1 + value;
            }
            search = at + key.len();
        }
        from
    }

    /// Where each item of a block list starts, for the key whose value is at `offset`: the
    /// lines after the key's, indented more than it, whose text starts with `- `, at the
    /// list's own indentation. Empty for a list written on the key's line (`[...]`): the
    /// key's place then stands for every item.
    pub fn items(&self, offset: usize) -> Vec<usize> {
        let text = self.source.text();
        let line_start = text
            .get(..offset)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(offset..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |i| offset + i);
        let key_indent = indent(text.get(line_start..line_end).unwrap_or(""));
        let mut out = Vec::new();
        let mut level = None;
        let mut at = line_end + 1;
        for l in text.get(at.min(text.len())..).unwrap_or("").split('\n') {
            let here = at;
            at += l.len() + 1;
            let trimmed = l.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if indent(l) <= key_indent && !(indent(l) == key_indent && trimmed.starts_with("- ")) {
                break;
            }
            if trimmed.starts_with("- ") && level.is_none_or(|n| n == indent(l)) {
                level = Some(indent(l));
                out.push(here + indent(l) + 2);
            }
        }
        out
    }

    /// One-based line and column of an offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.source.line_col(offset)
    }

    /// The block a key starts at `offset` (the offset of its value, as [`Places::key`] gives
    /// it): the rest of its line if the value is written there (`timeline: {events: []}`), else
    /// the lines after it indented more than the key, with that indentation taken off. With
    /// the line and column the block's first character has in the file, so that errors in
    /// it can be placed in the file.
    ///
    /// A YAML anchor before a block (`timeline: &day`) is passed over, and an alias
    /// (`timeline: *day`) is the block its anchor names, as the YAML reader reads them (found
    /// by a docs-only tester: a timeline shared by two tests was refused, its anchor taken
    /// for the whole value).
    pub fn block(&self, offset: usize) -> (String, usize, usize) {
        let text = self.source.text();
        let (_, same_line) = self.rest_of_line(offset);
        let alone = |sigil: char| {
            let word = same_line.split('#').next().unwrap_or("").trim_end();
            let name = word.strip_prefix(sigil)?;
            (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
        };
        if let Some(name) = alone('*') {
            if let Some(at) = anchor(text, name) {
                return self.block_at(at, true);
            }
        }
        self.block_at(offset, alone('&').is_some())
    }

    /// Where the line holding `offset` ends, and what is written on it from `offset` on,
    /// trimmed.
    fn rest_of_line(&self, offset: usize) -> (usize, &str) {
        let text = self.source.text();
        let line_end = text
            .get(offset..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |i| offset + i);
        (line_end, text.get(offset..line_end).unwrap_or("").trim())
    }

    /// [`Places::block`] at `offset`, with what is written on the key's line passed over
    /// when `anchored` (it is only the block's anchor).
    fn block_at(&self, offset: usize, anchored: bool) -> (String, usize, usize) {
        let (line, column) = self.line_col(offset);
        let text = self.source.text();
        let (line_end, same_line) = self.rest_of_line(offset);
        if !anchored && !same_line.is_empty() && !same_line.starts_with('#') {
            return (
                text.get(offset..line_end).unwrap_or("").to_string(),
                line,
                column,
            );
        }
        let line_start = text
            .get(..offset)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        let key_indent = indent(text.get(line_start..line_end).unwrap_or(""));
        let mut lines = Vec::new();
        for l in text.get(line_end..).unwrap_or("").split('\n').skip(1) {
            if !l.trim().is_empty() && indent(l) <= key_indent {
                break;
            }
            lines.push(l);
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let cut = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| indent(l))
            .min()
            .unwrap_or(0);
        let body: Vec<&str> = lines.iter().map(|l| l.get(cut..).unwrap_or("")).collect();
        (body.join("\n") + "\n", line + 1, cut + 1)
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Where the anchor `&name` is written in `text` (a word of its own, after a key or a list's
/// dash), if it is.
fn anchor(text: &str, name: &str) -> Option<usize> {
    let token = format!("&{name}");
    text.match_indices(&token).map(|(i, _)| i).find(|&i| {
        let before = text.get(..i).and_then(|b| b.chars().next_back());
        let after = text.get(i + token.len()..).and_then(|a| a.chars().next());
        before.is_some_and(char::is_whitespace) && after.is_none_or(char::is_whitespace)
    })
}
