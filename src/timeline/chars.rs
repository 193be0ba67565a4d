//! Characters a reader cannot see or cannot tell apart: what a timeline's values may not
//! hold (T016), and what to say when a name that is not known holds a look-alike.
//!
//! - Bidirectional controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C)
//!   reorder how the text around them is shown ("Trojan Source"): a duty list could show a
//!   manager something other than what the file says. Refused in every value.
//! - Zero-width and invisible characters (U+200B to U+200D, U+2060, U+FEFF) make a name differ
//!   from the one it looks like. Refused in ids and names; harmless in free text, which is
//!   only shown (and a zero-width joiner is part of how some scripts and emoji are written).
//! - Look-alikes (Cyrillic and Greek letters that look Latin, a no-break space, full-width
//!   ASCII, dashes) are not refused, since a name may be written in any script; but a name
//!   that is not known is shown with the look-alikes in it named, since the name on screen
//!   and the one in the rules can look identical.

use std::borrow::Cow;

/// Is `c` a bidirectional control? (Its name is `wording::hidden`'s, as for every file.)
fn bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Is `c` a zero-width or invisible character? A line or paragraph separator too: no name
/// holds one, and most screens show it as nothing (found by a docs-only tester, in an id).
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// A character a value may not hold, found in it.
struct Hidden {
    /// Which character of the value it is (1 for the first).
    position: usize,
    /// `U+202E RIGHT-TO-LEFT OVERRIDE`.
    named: String,
    /// What it does, for the message.
    why: &'static str,
}

/// The first bidirectional control in `text`, or, unless it is free text (`free`), the first
/// zero-width or invisible character.
fn hidden(text: &str, free: bool) -> Option<Hidden> {
    text.chars().enumerate().find_map(|(i, c)| {
        let why = if bidi(c) {
            "unseen in print, it reorders the text around it, so what is shown is not what is written"
        } else if invisible(c) && !free {
            "unseen in print, it makes this a different name from the one it looks like"
        } else {
            return None;
        };
        Some(Hidden {
            position: i + 1,
            named: crate::wording::hidden(c)
                .map_or_else(|| format!("U+{:04X}", u32::from(c)), str::to_string),
            why,
        })
    })
}

/// Whether every character of `text` is printable ASCII (nothing to refuse in any value).
/// Every byte is looked at, without stopping at the first odd one, so that the compiler
/// checks many at a time.
pub(super) fn printable_ascii(text: &str) -> bool {
    !text
        .bytes()
        .fold(false, |odd, b| odd | (b.wrapping_sub(0x20) >= 0x5f))
}

/// What is wrong with `text` (free text if `free`) and what to do, for a message that goes on
/// "`note` holds ...": its first control character (a free text may hold line breaks and
/// tabs), bidirectional control, or, in a name, invisible character; `None` if nothing.
pub(super) fn refused(text: &str, free: bool) -> Option<(String, &'static str)> {
    // Most values are printable ASCII (ids, names, instants): nothing to refuse, and no need
    // to look at them character by character. A tab or line break in free text is allowed.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || (free && (b == b'\n' || b == b'\t'));
    if printable_ascii(text) || text.bytes().all(plain) {
        return None;
    }
    let control = text
        .chars()
        .find(|&c| c.is_control() && !(free && (c == '\n' || c == '\t')));
    if let Some(c) = control {
        // A tab or a line break in a name breaks no screen: it is simply not in any name
        // (found by a docs-only tester: "could rewrite the screen" was an odd reason for a tab).
        let layout = match c {
            '\t' => Some("a tab (U+0009)"),
            '\n' => Some("a line break (U+000A)"),
            '\r' if !free => Some("a carriage return (U+000D)"),
            _ => None,
        };
        if let Some(layout) = layout {
            return Some((
                format!("holds {layout}, which no name, id or instant holds"),
                "remove it: names, ids and instants are one line of plain text",
            ));
        }
        // Named when it has a name; else by its code point ("a control character" would
        // say nothing the message does not: found by a docs-only tester, for U+0085).
        let named = crate::wording::hidden(c)
            .filter(|n| n.starts_with("U+"))
            .map_or_else(|| format!("U+{:04X}", u32::from(c)), str::to_string);
        return Some((
            format!(
                "holds a control character ({named}), which could rewrite the screen of whoever reads the list"
            ),
            if free {
                "remove it: free text may hold line breaks and tabs, and no other control character"
            } else {
                "remove it: names, ids and instants are plain text"
            },
        ));
    }
    let h = hidden(text, free)?;
    Some((
        format!(
            "holds {} as its {} character: {}",
            h.named,
            crate::wording::ordinal(h.position),
            h.why
        ),
        "retype the value by hand: text copied from a document, a spreadsheet or a web page can bring characters that cannot be seen",
    ))
}

/// True if `text` can be a name: no control character, bidirectional control or invisible
/// character (each refused where it is read, so that it is not reported again as unknown).
pub(super) fn is_plain_name(text: &str) -> bool {
    refused(text, false).is_none()
}

/// Text as shown in an error: control characters, bidirectional controls and invisible
/// characters escaped ([`crate::wording::shown`]), so that a message quoting a value cannot
/// be reordered on screen or hide what makes the value wrong.
pub(super) fn shown(text: &str) -> Cow<'_, str> {
    crate::wording::shown(text)
}

/// A look-alike character's name and what it looks like (`` `o` ``, "a space"), or `None`.
fn look_alike(c: char) -> Option<(String, String)> {
    let space = |name: &str| Some((name.to_string(), "a space".to_string()));
    let (name, like): (&'static str, char) = match c {
        '\u{0430}' => ("CYRILLIC SMALL LETTER A", 'a'),
        '\u{0435}' => ("CYRILLIC SMALL LETTER IE", 'e'),
        '\u{043E}' => ("CYRILLIC SMALL LETTER O", 'o'),
        '\u{0440}' => ("CYRILLIC SMALL LETTER ER", 'p'),
        '\u{0441}' => ("CYRILLIC SMALL LETTER ES", 'c'),
        '\u{0443}' => ("CYRILLIC SMALL LETTER U", 'y'),
        '\u{0445}' => ("CYRILLIC SMALL LETTER HA", 'x'),
        '\u{0455}' => ("CYRILLIC SMALL LETTER DZE", 's'),
        '\u{0456}' => ("CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I", 'i'),
        '\u{0458}' => ("CYRILLIC SMALL LETTER JE", 'j'),
        '\u{0410}' => ("CYRILLIC CAPITAL LETTER A", 'A'),
        '\u{0412}' => ("CYRILLIC CAPITAL LETTER VE", 'B'),
        '\u{0415}' => ("CYRILLIC CAPITAL LETTER IE", 'E'),
        '\u{041A}' => ("CYRILLIC CAPITAL LETTER KA", 'K'),
        '\u{041C}' => ("CYRILLIC CAPITAL LETTER EM", 'M'),
        '\u{041D}' => ("CYRILLIC CAPITAL LETTER EN", 'H'),
        '\u{041E}' => ("CYRILLIC CAPITAL LETTER O", 'O'),
        '\u{0420}' => ("CYRILLIC CAPITAL LETTER ER", 'P'),
        '\u{0421}' => ("CYRILLIC CAPITAL LETTER ES", 'C'),
        '\u{0422}' => ("CYRILLIC CAPITAL LETTER TE", 'T'),
        '\u{0425}' => ("CYRILLIC CAPITAL LETTER HA", 'X'),
        '\u{0406}' => ("CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I", 'I'),
        '\u{03B1}' => ("GREEK SMALL LETTER ALPHA", 'a'),
        '\u{03B9}' => ("GREEK SMALL LETTER IOTA", 'i'),
        '\u{03BD}' => ("GREEK SMALL LETTER NU", 'v'),
        '\u{03BF}' => ("GREEK SMALL LETTER OMICRON", 'o'),
        '\u{03C1}' => ("GREEK SMALL LETTER RHO", 'p'),
        '\u{0391}' => ("GREEK CAPITAL LETTER ALPHA", 'A'),
        '\u{0392}' => ("GREEK CAPITAL LETTER BETA", 'B'),
        '\u{0395}' => ("GREEK CAPITAL LETTER EPSILON", 'E'),
        '\u{0397}' => ("GREEK CAPITAL LETTER ETA", 'H'),
        '\u{0399}' => ("GREEK CAPITAL LETTER IOTA", 'I'),
        '\u{039A}' => ("GREEK CAPITAL LETTER KAPPA", 'K'),
        '\u{039C}' => ("GREEK CAPITAL LETTER MU", 'M'),
        '\u{039D}' => ("GREEK CAPITAL LETTER NU", 'N'),
        '\u{039F}' => ("GREEK CAPITAL LETTER OMICRON", 'O'),
        '\u{03A1}' => ("GREEK CAPITAL LETTER RHO", 'P'),
        '\u{03A4}' => ("GREEK CAPITAL LETTER TAU", 'T'),
        '\u{03A5}' => ("GREEK CAPITAL LETTER UPSILON", 'Y'),
        '\u{03A7}' => ("GREEK CAPITAL LETTER CHI", 'X'),
        '\u{00A0}' => return space("NO-BREAK SPACE"),
        '\u{202F}' => return space("NARROW NO-BREAK SPACE"),
        '\u{2007}' => return space("FIGURE SPACE"),
        '\u{2010}' => ("HYPHEN", '-'),
        '\u{2011}' => ("NON-BREAKING HYPHEN", '-'),
        '\u{2012}' => ("FIGURE DASH", '-'),
        '\u{2013}' => ("EN DASH", '-'),
        '\u{2014}' => ("EM DASH", '-'),
        '\u{2212}' => ("MINUS SIGN", '-'),
        '\u{2018}' | '\u{2019}' => ("CURLY SINGLE QUOTATION MARK", '\''),
        '\u{201C}' | '\u{201D}' => ("CURLY DOUBLE QUOTATION MARK", '"'),
        '\u{FF01}'..='\u{FF5E}' => return full_width(c),
        _ => return None,
    };
    Some((name.to_string(), format!("`{like}`")))
}

/// A full-width form of an ASCII character (U+FF01 to U+FF5E): its name and what it looks like.
fn full_width(c: char) -> Option<(String, String)> {
    const DIGITS: [&str; 10] = [
        "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
    ];
    let ascii = char::from_u32(u32::from(c).checked_sub(0xFEE0)?)?;
    let name = match ascii.to_digit(10) {
        Some(d) => format!(
            "FULLWIDTH DIGIT {}",
            DIGITS.get(d as usize).copied().unwrap_or_default()
        ),
        None => match ascii {
            'A'..='Z' => format!("FULLWIDTH LATIN CAPITAL LETTER {ascii}"),
            'a'..='z' => format!(
                "FULLWIDTH LATIN SMALL LETTER {}",
                ascii.to_ascii_uppercase()
            ),
            _ => "FULLWIDTH FORM".to_string(),
        },
    };
    Some((name, format!("`{ascii}`")))
}

/// True for a letter of a script whose letters are only suspicious beside Latin ones.
fn is_script_letter(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}')
}

/// "it contains U+043E CYRILLIC SMALL LETTER O, which looks like `o`", for a name that is not
/// known; `None` if it holds no look-alike. A Cyrillic or Greek letter is named only beside
/// Latin letters or digits: a name written wholly in its own script is not a look-alike.
pub(super) fn look_alikes(text: &str) -> Option<String> {
    let mixed = text.chars().any(|c| c.is_ascii_alphanumeric());
    let mut seen: Vec<char> = Vec::new();
    let mut said: Vec<String> = Vec::new();
    for c in text.chars() {
        if seen.contains(&c) || (is_script_letter(c) && !mixed) {
            continue;
        }
        if let Some((name, like)) = look_alike(c) {
            seen.push(c);
            said.push(format!(
                "U+{:04X} {name}, which looks like {like}",
                u32::from(c)
            ));
        }
        // Three say enough; a long value could hold hundreds.
        if said.len() == 3 {
            break;
        }
    }
    (!said.is_empty()).then(|| format!("it contains {}", crate::wording::either(&said)))
}

/// `message` with each quoted value's look-alikes named after it: "unknown kind `nо_answer`
/// (it contains U+043E CYRILLIC SMALL LETTER O, which looks like `o`)".
pub(super) fn with_look_alikes(message: String) -> String {
    let notes: Vec<String> = message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(look_alikes)
        .collect();
    if notes.is_empty() {
        return message;
    }
    format!("{message} ({})", notes.join("; "))
}

/// `text` with each look-alike replaced by what it looks like, for "did you mean": `suppоrt`
/// with a Cyrillic `о` is one step from nothing, not one letter away.
pub(super) fn unconfused(text: &str) -> String {
    text.chars()
        .map(|c| match look_alike(c) {
            Some((_, like)) if like.starts_with('`') => like.chars().nth(1).unwrap_or(c),
            Some(_) => ' ',
            None => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The quick test of printable ASCII is the plain one.
        #[test]
        fn printable_ascii_is_space_to_tilde(text in "[\\x00-\\x7f\\x{80}-\\x{10ffff}]{0,40}") {
            let plain = text.bytes().all(|b| (0x20..0x7f).contains(&b));
            prop_assert_eq!(printable_ascii(&text), plain);
        }
    }

    #[test]
    fn every_byte_is_told_apart() {
        for b in 0u8..=0x7f {
            let text = char::from(b).to_string();
            assert_eq!(printable_ascii(&text), (0x20..0x7f).contains(&b), "{b:#x}");
        }
        assert!(!printable_ascii("caf\u{e9}"));
    }

    /// A control character with no name of its own is named by its code point.
    #[test]
    fn a_control_character_is_named_by_its_code_point() {
        let (what, _) = refused("tea\u{86}time", true).unwrap();
        assert!(what.contains("(U+0086)"), "{what}");
        let (what, _) = refused("tea\u{85}time", true).unwrap();
        assert!(what.contains("(U+0085 NEXT LINE)"), "{what}");
        let (what, _) = refused("tea\u{1b}time", true).unwrap();
        assert!(what.contains("(U+001B ESCAPE)"), "{what}");
        // A tab or a line break in a name is said as such; in free text it is kept.
        let (what, _) = refused("P-1\t", false).unwrap();
        assert!(what.contains("a tab (U+0009), which no name"), "{what}");
        assert!(refused("first\tsecond\nthird", true).is_none());
    }
}
