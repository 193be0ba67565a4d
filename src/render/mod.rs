//! Stage four: turning findings and decisions into text for people and JSON for machines.

pub mod audit;
pub mod changes;
pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod ndjson;
pub mod plain;
pub mod show;
pub mod svg;
mod table;
pub mod tests;
pub mod text;
pub mod why;

/// Text for Markdown (a table cell or a line): pipes, `<` and `&` escaped, line breaks and
/// hidden characters shown, and the marks that would set a name in italics, bold,
/// strikethrough or a link escaped (a location named `*L1*` was shown as an italic L1:
/// found by a docs-only tester). An
/// underscore inside a word emphasises nothing (`duty_manager`), so only one at a word's
/// edge is escaped; backquotes are left, as Vigil's own words quote names with them.
pub(crate) fn markdown_text(text: &str) -> String {
    let shown = crate::wording::shown(text);
    let chars: Vec<char> = shown.chars().collect();
    let mut out = String::with_capacity(shown.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\\' | '|' | '*' | '~' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            // `L&amp;1` written as it is shows as `L&1` (found by a docs-only tester).
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}
