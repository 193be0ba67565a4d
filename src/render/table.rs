//! Columns measured over the rows shown, and text wrapped at the terminal's width: the duty
//! list's layout, apart from what it says.

use crate::wording::shown;
use unicode_width::UnicodeWidthStr;

/// How many terminal columns `text` takes: a wide character (CJK, most emoji) takes two, so
/// counting characters let lines run past the edge (found by a docs-only tester).
fn columns(text: &str) -> usize {
    text.width()
}

/// The narrowest the free column is ever wrapped to, however wide the fixed columns are.
const NARROWEST: usize = 30;

/// One line of a table: fixed cells, each padded to its column's widest; then free text,
/// wrapped; then notes under the free text, each wrapped the same way.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    pub cells: Vec<String>,
    pub text: String,
    pub notes: Vec<String>,
}

/// How wide each fixed column is over `rows`: its widest cell (as shown, control characters
/// escaped). A column empty in every row takes no room at all.
pub(super) fn widths<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let w = columns(&shown(cell));
            match widths.get_mut(i) {
                Some(old) => *old = (*old).max(w),
                None => widths.push(w),
            }
        }
    }
    widths
}

/// Write `row` indented by `indent`, its cells padded to `widths`, its text and notes wrapped
/// so that lines end by column `width` where the words allow.
pub(super) fn write(out: &mut String, row: &Row, widths: &[usize], indent: usize, width: usize) {
    let mut line = " ".repeat(indent);
    for (i, w) in widths.iter().enumerate() {
        if *w == 0 {
            continue;
        }
        let cell = shown(row.cells.get(i).map_or("", String::as_str));
        line.push_str(&cell);
        line.push_str(&" ".repeat(w.saturating_sub(columns(&cell)) + 2));
    }
    let start = columns(&line);
    let room = width.saturating_sub(start).max(NARROWEST);
    let mut lines = wrap(&shown(&row.text), room).into_iter();
    line.push_str(&lines.next().unwrap_or_default());
    push_line(out, &line);
    let pad = " ".repeat(start);
    for rest in lines {
        push_line(out, &format!("{pad}{rest}"));
    }
    for note in &row.notes {
        for part in wrap(&shown(note), room) {
            push_line(out, &format!("{pad}{part}"));
        }
    }
}

/// A line with no trailing spaces.
pub(super) fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}

/// `text` in lines of at most `room` columns, broken at spaces (the spaces at a break go;
/// runs of spaces elsewhere stay, as in `summary  [role]`); a word longer than that has a line
/// of its own.
pub(super) fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    let mut spaces = 0;
    for word in text.split(' ') {
        if word.is_empty() {
            spaces += 1;
            continue;
        }
        let w = columns(word);
        if len > 0 && len + spaces + w > room {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push_str(&" ".repeat(spaces));
            len += spaces;
        }
        line.push_str(word);
        len += w;
        spaces = 1;
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str], text: &str) -> Row {
        Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            text: text.into(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let rows = [
            row(&["OVERDUE by 1 h 1 min", "14:35", ""], "Notify"),
            row(&["due in 4 min", "15:40", ""], "Record"),
        ];
        let w = widths(&rows);
        assert_eq!(w, [20, 5, 0]);
        let mut out = String::new();
        for r in &rows {
            write(&mut out, r, &w, 2, 100);
        }
        assert_eq!(
            out,
            "  OVERDUE by 1 h 1 min  14:35  Notify\n  due in 4 min          15:40  Record\n"
        );
    }

    /// A wide character takes two columns: lines end at the edge, and cells line up.
    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(wrap("訪問 訪問 訪問", 9), ["訪問 訪問", "訪問"]);
        let rows = [row(&["訪問", "x"], "a"), row(&["abcd", "y"], "b")];
        let w = widths(&rows);
        assert_eq!(w, [4, 1]);
        let mut out = String::new();
        for r in &rows {
            write(&mut out, r, &w, 0, 100);
        }
        assert_eq!(out, "訪問  x  a\nabcd  y  b\n");
    }

    #[test]
    fn text_and_notes_wrap_under_the_free_column() {
        let mut r = row(
            &["due"],
            "one two three four five six seven eight nine ten eleven",
        );
        r.notes
            .push("because alpha beta gamma delta epsilon zeta eta theta".into());
        let mut out = String::new();
        write(&mut out, &r, &widths([&r]), 2, 40);
        assert_eq!(
            out,
            "  due  one two three four five six seven\n       eight nine ten eleven\n       because alpha beta gamma delta\n       epsilon zeta eta theta\n"
        );
    }

    #[test]
    fn a_long_word_keeps_its_own_line() {
        assert_eq!(wrap("a bbbbbbbbbb c", 5), ["a", "bbbbbbbbbb", "c"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(
            wrap("Notify  [Duty manager]", 40),
            ["Notify  [Duty manager]"]
        );
        assert_eq!(
            wrap("Notify  [Duty manager]", 8),
            ["Notify", "[Duty", "manager]"]
        );
    }
}
