//! Small pieces of plain English shared by every stage: durations in words, ordinals, names
//! made readable, and "did you mean". A leaf module: it names no other part of Vigil.

/// A duration in plain words: `15 minutes`, `1 hour 30 minutes`, `2 days`.
///
/// ```
/// assert_eq!(vigil::wording::duration_words(5400), "1 hour 30 minutes");
/// assert_eq!(vigil::wording::duration_words(90), "1 minute 30 seconds");
/// ```
pub fn duration_words(secs: u64) -> String {
    let parts = [
        (secs / 86_400, "day"),
        (secs % 86_400 / 3600, "hour"),
        (secs % 3600 / 60, "minute"),
        (secs % 60, "second"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "0 seconds".into()
    } else {
        words.join(" ")
    }
}

/// A list in plain English: `12:00`, `12:00 and 18:00`, `Mon, Wed and Fri`.
///
/// ```
/// let l = |x: &[&str]| vigil::wording::and_list(&x.iter().map(|s| s.to_string()).collect::<Vec<_>>());
/// assert_eq!(l(&["12:00"]), "12:00");
/// assert_eq!(l(&["12:00", "18:00"]), "12:00 and 18:00");
/// assert_eq!(l(&["Monday", "Wednesday", "Friday"]), "Monday, Wednesday and Friday");
/// ```
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Items joined as alternatives: "phone", "phone or text", "phone, text or the door".
///
/// ```
/// let l = |x: &[&str]| vigil::wording::or_list(&x.iter().map(|s| s.to_string()).collect::<Vec<_>>());
/// assert_eq!(l(&["phone"]), "phone");
/// assert_eq!(l(&["phone", "text", "the door"]), "phone, text or the door");
/// ```
pub fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Names for a help line: the first `most` of them joined by `, `, and how many more after
/// them. A finding about one name never lists every name of its file: a file declaring
/// thousands would print thousands of names under each of its thousands of findings.
///
/// ```
/// let names = ["a", "b", "c", "d"];
/// assert_eq!(vigil::wording::listed(names, 4), "a, b, c, d");
/// assert_eq!(vigil::wording::listed(names, 2), "a, b and 2 more");
/// ```
pub fn listed<'n>(names: impl IntoIterator<Item = &'n str>, most: usize) -> String {
    let mut shown = String::new();
    let mut more = 0usize;
    for (i, name) in names.into_iter().enumerate() {
        if i >= most {
            more += 1;
        } else {
            if i > 0 {
                shown.push_str(", ");
            }
            shown.push_str(name);
        }
    }
    match more {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// `text` with `f` applied to what lies outside its quotations (text between backquotes),
/// the quotations kept as written, backquotes and all.
///
/// ```
/// let up = vigil::wording::outside_quotes("a `b` c", |p| p.to_uppercase());
/// assert_eq!(up, "A `b` C");
/// ```
pub fn outside_quotes(text: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, part) in text.split('`').enumerate() {
        if n > 0 {
            out.push('`');
        }
        if n % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&f(part));
        }
    }
    out
}

/// How many names a help line lists before "and N more" ([`listed`]).
pub const MOST_LISTED: usize = 20;

/// `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `21st`.
///
/// ```
/// assert_eq!(vigil::wording::ordinal(12), "12th");
/// assert_eq!(vigil::wording::ordinal(22), "22nd");
/// ```
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "a `referral` event", "an `arrived` event": the article for a name or word, by its first
/// letter.
///
/// ```
/// assert_eq!(vigil::wording::a_or_an("arrived"), "an");
/// assert_eq!(vigil::wording::a_or_an("referral"), "a");
/// ```
pub fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// The text with its first letter in lower case (`Duty manager` -> `duty manager`).
///
/// ```
/// assert_eq!(vigil::wording::lower_first("Duty manager"), "duty manager");
/// ```
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The text with its first letter in upper case (`review` -> `Review`).
pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// An identifier made readable: `key_safe` -> `key safe`.
pub fn humanise(name: &str) -> String {
    name.replace('_', " ")
}

/// The candidate closest to `wanted`, if one is close enough to be a likely typo.
///
/// ```
/// let roles = ["duty_manager", "on_call_manager"];
/// assert_eq!(vigil::wording::did_you_mean("duty_manger", roles).as_deref(), Some("duty_manager"));
/// assert_eq!(vigil::wording::did_you_mean("gardener", roles), None);
/// ```
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // Names are short; comparing a megabyte-long one with each candidate would take
    // minutes (edit distance is quadratic), and no such name is a slip of the keyboard.
    if wanted.len() > MAX_SUGGESTED {
        return None;
    }
    let wanted_chars = wanted.chars().count();
    let mut best: Option<(f64, &str)> = None;
    // A file may declare thousands of names and misspell each: comparing every one with
    // every other is quadratic, so a suggestion is looked for among the first
    // [`MAX_COMPARED`] of them (more than any real file declares of one kind).
    for c in candidates
        .into_iter()
        .take(MAX_COMPARED)
        .filter(|c| c.len() <= MAX_SUGGESTED)
    {
        let score = strsim::jaro_winkler(wanted, c);
        // Two edits cannot bridge lengths three or more characters apart.
        let near = c.chars().count().abs_diff(wanted_chars) <= 2;
        let close =
            score >= 0.85 || (near && wanted.len() > 3 && strsim::levenshtein(wanted, c) <= 2);
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// How many names of one kind "did you mean" compares a misspelt name with.
pub const MAX_COMPARED: usize = 500;

/// The longest name "did you mean" compares, in bytes.
const MAX_SUGGESTED: usize = 128;

/// The longest quotation a message keeps whole, in characters.
const MAX_QUOTED: usize = 200;

/// A message with every quotation (text between backquotes) longer than 200 characters cut to
/// its start and its length, so that a megabyte-long name in a file is never echoed whole
/// into an error.
///
/// ```
/// let long = format!("unknown role `{}`", "r".repeat(1000));
/// assert_eq!(
///     vigil::wording::excerpted(&long),
///     format!("unknown role `{}…` (1000 characters)", "r".repeat(60))
/// );
/// assert_eq!(vigil::wording::excerpted("unknown role `x`"), "unknown role `x`");
/// ```
pub fn excerpted(message: &str) -> String {
    if message.len() <= MAX_QUOTED {
        return message.to_string();
    }
    // Split at backquotes: odd parts are quotations.
    let mut parts: Vec<String> = message.split('`').map(str::to_string).collect();
    for i in (1..parts.len()).step_by(2) {
        let n = parts[i].chars().count();
        if n > MAX_QUOTED {
            parts[i] = parts[i].chars().take(60).chain(['…']).collect();
            if let Some(after) = parts.get_mut(i + 1) {
                after.insert_str(0, &format!(" ({n} characters)"));
            }
        }
    }
    let quoted = parts.join("`");
    // A long name listed without quotes (in a help's list of known names) is cut the same way.
    if !quoted
        .split(' ')
        .any(|w| w.chars().count() > MAX_QUOTED + 20)
    {
        return quoted;
    }
    quoted
        .split(' ')
        .map(|w| {
            let n = w.chars().count();
            if n > MAX_QUOTED + 20 {
                let start: String = w.chars().take(60).collect();
                format!("{start}… ({n} characters)")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Items in words with a final "or": "`text`, `door` or `at_alert`".
///
/// ```
/// assert_eq!(vigil::wording::either(&["a", "b", "c"]), "a, b or c");
/// assert_eq!(vigil::wording::either(&["a"]), "a");
/// ```
pub fn either<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Text from a timeline or a document as it may be shown on a terminal: control characters
/// (a line break, a bell, an escape sequence that could clear or overwrite the OVERDUE lines)
/// and the invisible characters that reorder or hide text ([`hidden`]) are written as escapes
/// such as `\u{1b}`, never sent raw.
///
/// ```
/// assert_eq!(vigil::wording::shown("P-1\u{1b}[2J"), "P-1\\u{1b}[2J");
/// assert_eq!(vigil::wording::shown("abc\u{202e}"), "abc\\u{202e}");
/// assert_eq!(vigil::wording::shown("Support worker"), "Support worker");
/// // A joiner inside an emoji is part of it; one beside ASCII hides a join.
/// assert_eq!(vigil::wording::shown("\u{1f469}\u{200d}\u{1f467}"), "\u{1f469}\u{200d}\u{1f467}");
/// assert_eq!(vigil::wording::shown("P\u{200d}1"), "P\\u{200d}1");
/// ```
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    escaped_where(text, |c| c.is_control() || hidden(c).is_some())
}

/// A message as it may be printed: [`shown`], but its own line breaks kept.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escaped_where(text, |c| {
        c != '\n' && (c.is_control() || hidden(c).is_some())
    })
}

fn escaped_where(text: &str, escape: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    // Nearly all text has nothing to escape: said so without a copy.
    if !text.chars().any(&escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    // A zero-width joiner between two characters outside ASCII joins them (an emoji of a
    // family, a conjunct of an Indic script): shown as written, as decision.md says free
    // text may hold it (found by a docs-only tester: "👩\u{200d}👩\u{200d}👧"). It
    // reorders nothing and hides nothing; ids refuse it when the timeline is read.
    let joins = |i: usize| {
        let outside = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| !c.is_ascii() && !escape(*c))
        };
        chars.get(i) == Some(&'\u{200d}') && outside(i.checked_sub(1)) && outside(Some(i + 1))
    };
    let escaped = |i: usize, c: char| escape(c) && !joins(i);
    if !chars.iter().enumerate().any(|(i, c)| escaped(i, *c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if escaped(i, c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The name of a character that changes what a reader sees without being seen itself: a
/// control character other than a tab or a line break (an escape sequence can rewrite a
/// terminal), a bidirectional control (it can make text read in another order than it is
/// written: "Trojan Source"), or a zero-width character (it makes two different names look
/// the same). `None` for any other character.
///
/// ```
/// assert_eq!(vigil::wording::hidden('\u{202e}'), Some("U+202E RIGHT-TO-LEFT OVERRIDE"));
/// assert_eq!(vigil::wording::hidden('\u{1b}'), Some("U+001B ESCAPE"));
/// assert_eq!(vigil::wording::hidden('\t'), None);
/// assert_eq!(vigil::wording::hidden('e'), None);
/// ```
pub fn hidden(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' | '\n' | '\r' => return None,
        '\0' => "U+0000 NULL",
        '\u{7}' => "U+0007 BELL",
        '\u{8}' => "U+0008 BACKSPACE",
        '\u{b}' => "U+000B LINE TABULATION",
        '\u{c}' => "U+000C FORM FEED",
        '\u{1b}' => "U+001B ESCAPE",
        '\u{7f}' => "U+007F DELETE",
        '\u{85}' => "U+0085 NEXT LINE",
        '\u{9b}' => "U+009B CONTROL SEQUENCE INTRODUCER",
        c if c.is_control() => "a control character",
        '\u{61c}' => "U+061C ARABIC LETTER MARK",
        '\u{200b}' => "U+200B ZERO WIDTH SPACE",
        '\u{200c}' => "U+200C ZERO WIDTH NON-JOINER",
        '\u{200d}' => "U+200D ZERO WIDTH JOINER",
        '\u{200e}' => "U+200E LEFT-TO-RIGHT MARK",
        '\u{200f}' => "U+200F RIGHT-TO-LEFT MARK",
        '\u{202a}' => "U+202A LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "U+202B RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "U+202C POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "U+202D LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "U+202E RIGHT-TO-LEFT OVERRIDE",
        '\u{2028}' => "U+2028 LINE SEPARATOR",
        '\u{2029}' => "U+2029 PARAGRAPH SEPARATOR",
        '\u{2060}' => "U+2060 WORD JOINER",
        '\u{2066}' => "U+2066 LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "U+2067 RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "U+2068 FIRST STRONG ISOLATE",
        '\u{2069}' => "U+2069 POP DIRECTIONAL ISOLATE",
        '\u{feff}' => "U+FEFF ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// `text` with each [`hidden`] character replaced by a visible one of the same length in
/// UTF-8 (`?`, `¿` or `�`), so that byte offsets into it still point at the same places: how
/// a file is quoted under a finding.
///
/// ```
/// assert_eq!(vigil::wording::masked("a\u{1b}[2Jb\u{202e}c\n"), "a?[2Jb\u{fffd}c\n");
/// ```
pub fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| hidden(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match (hidden(c), c.len_utf8()) {
                (None, _) => c,
                (Some(_), 1) => '?',
                (Some(_), 2) => '\u{bf}',
                (Some(_), _) => '\u{fffd}',
            })
            .collect(),
    )
}

/// Citations for a reader, joined by `; `: one that a more specific one of the same list
/// begins with (a pathway's "000 ex1" beside its step's "000 ex1 s3") is left out, and each
/// is said once. (JSON and CSV keep every citation as written.)
///
/// ```
/// let c = |x: &[&str]| vigil::wording::citations(&x.iter().map(|s| s.to_string()).collect::<Vec<_>>());
/// assert_eq!(c(&["002 §20.1, §12", "002 §20.1"]), "002 §20.1, §12");
/// assert_eq!(c(&["000 ex1", "000 ex1 s3", "Reg 17", "Reg 17"]), "000 ex1 s3; Reg 17");
/// assert_eq!(c(&["002 §2", "002 §20"]), "002 §2; 002 §20");
/// ```
pub fn citations(cites: &[String]) -> String {
    let kept = cites.iter().map(String::as_str).filter(|c| {
        !cites.iter().any(|other| {
            other.len() > c.len()
                && other.starts_with(c)
                && other[c.len()..].starts_with([' ', ','])
        })
    });
    let mut unique: Vec<&str> = Vec::new();
    for c in kept {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    unique.join("; ")
}
