//! The easy-read rules, each a test a document must pass (UK easy-read guidance: GOV.UK
//! accessible formats, the Department of Health's guidance for people with learning
//! disabilities, Mencap's "Am I making myself clear?").

use super::Doc;
use crate::rules::RuleSet;

/// Forms of "to be" that make a passive with a past participle after them ("will be told").
const BE: &[&str] = &["be", "been", "being", "is", "are", "was", "were"];

/// Past participles that do not end in "-ed".
const IRREGULAR: &[&str] = &[
    "told", "done", "seen", "found", "given", "taken", "made", "sent", "kept", "left", "brought",
    "known", "shown", "written", "hurt", "met", "put", "held", "got", "gone", "rung",
];

/// The passive, if the sentence has one: "be told", "was checked" (an adverb between allowed:
/// "is often checked").
fn passive(words: &[String]) -> Option<String> {
    for (i, w) in words.iter().enumerate() {
        if !BE.contains(&w.as_str()) {
            continue;
        }
        let mut next = words.get(i + 1);
        if next.is_some_and(|n| n.ends_with("ly")) {
            next = words.get(i + 2);
        }
        if let Some(n) = next {
            if (n.ends_with("ed") && n.len() > 3) || IRREGULAR.contains(&n.as_str()) {
                return Some(format!("{w} {n}"));
            }
        }
    }
    None
}

/// Every rule `doc` breaks, in words (empty when it keeps them all). `person` is who it is
/// for, so that their recorded communication needs are checked too.
///
/// The rules: at most 15 words and one idea per sentence (no `;`, no second clause joined by
/// `, and` or `but`); every sentence says "you" or "we" (or "your", "us", "our"), in the
/// active voice; no acronyms (two or more capitals together) and no capitals but a
/// sentence's first letter, names of days and months, and "I"; times as "8:30 in the
/// morning", never the 24-hour clock or a zone; no percentages or ranges; at most five
/// sentences to a block, and one picture (with alt text) to each; every hard word explained
/// in the sentence after it and in the glossary; every sentence traced to the rule it comes
/// from; the notice says it is a draft; a person whose protocol records that they cannot use
/// a phone is never told "we will phone you" (nor "the phone").
pub fn easy_read_problems(doc: &Doc, rs: &RuleSet, person: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !doc.notice.iter().any(|s| s.text.contains("draft")) {
        out.push("the notice does not say it is a draft".into());
    }
    let no_phone = rs
        .persons()
        .iter()
        .find(|p| p.id == person)
        .is_some_and(|p| p.communication.iter().any(|c| c.contains("phone")));
    for b in &doc.blocks {
        if b.sentences.len() > 5 {
            out.push(format!(
                "block `{}` has {} sentences (at most 5)",
                b.heading,
                b.sentences.len()
            ));
        }
        match b.picture {
            Some(p) if !p.alt().is_empty() && p.svg().contains("<title>") => {}
            _ => out.push(format!(
                "block `{}` has no picture with alt text",
                b.heading
            )),
        }
    }
    let all = doc
        .notice
        .iter()
        .chain(doc.blocks.iter().flat_map(|b| &b.sentences));
    for s in all {
        out.extend(
            sentence_problems(&s.text)
                .into_iter()
                .map(|p| format!("`{}`: {p}", s.text)),
        );
        if s.source.is_empty() {
            out.push(format!("`{}`: traces to no rule", s.text));
        }
        if no_phone && s.text.to_lowercase().contains("phone") {
            out.push(format!("`{}`: {person} cannot use a phone", s.text));
        }
    }
    for (word, meaning) in &doc.glossary {
        let explained = doc.blocks.iter().any(|b| {
            b.sentences
                .windows(2)
                .any(|w| w[0].text.to_lowercase().contains(word.as_str()) && w[1].text == *meaning)
        });
        if !explained {
            out.push(format!(
                "hard word `{word}` is not explained in the sentence after it"
            ));
        }
    }
    out
}

/// The most words an easy-read sentence may hold.
pub(super) const MAX_WORDS: usize = 15;

/// The rules one sentence breaks.
fn sentence_problems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > MAX_WORDS {
        out.push(format!("{} words (at most {MAX_WORDS})", words.len()));
    }
    if text.contains(';') || text.contains(", and ") || text.contains(" but ") {
        out.push("more than one idea".into());
    }
    let lower = format!(" {} ", text.to_lowercase().trim_end_matches('.'));
    if !["you", "your", "we", "us", "our"]
        .iter()
        .any(|w| lower.contains(&format!(" {w} ")))
    {
        out.push("says neither \"you\" nor \"we\"".into());
    }
    let plain: Vec<String> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    if let Some(p) = passive(&plain) {
        out.push(format!("passive (`{p}`): say who does it"));
    }
    for (i, w) in words.iter().enumerate() {
        let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
        let capitals = letters.chars().filter(|c| c.is_uppercase()).count();
        if capitals >= 2 {
            out.push(format!("`{w}` is an acronym or in capitals"));
        } else if capitals == 1 && i > 0 && !proper(&letters) {
            out.push(format!("`{w}` has a capital letter mid-sentence"));
        }
    }
    if has_clock(text) {
        out.push("a 24-hour or bare clock time (write \"8:30 in the morning\")".into());
    }
    for zone in ["GMT", "BST", "UTC"] {
        if text.contains(zone) {
            out.push(format!("names a time zone ({zone})"));
        }
    }
    if text.contains('%') || has_range(text) {
        out.push("a percentage or a range".into());
    }
    out
}

/// Days, months and "I" keep their capital.
fn proper(word: &str) -> bool {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    word == "I" || crate::time::WEEKDAYS.contains(&word) || MONTHS.contains(&word)
}

/// A time like `18:30`, or `8:30` not followed by "in the morning" (or afternoon, evening,
/// "at night").
fn has_clock(text: &str) -> bool {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c != ':' || i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let hour: String = text[..i]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let rest = &text[i + 1..];
        let minutes_ok = rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit);
        let after = rest.get(2..).unwrap_or("");
        let said = [
            "in the morning",
            "in the afternoon",
            "in the evening",
            "at night",
        ]
        .iter()
        .any(|p| after.trim_start().starts_with(p));
        let hour: u32 = hour.chars().rev().collect::<String>().parse().unwrap_or(99);
        if !minutes_ok || hour > 12 || !said {
            return true;
        }
    }
    false
}

/// Two numbers joined by `-`, `–` or `to`: "10-15", "2 to 3".
fn has_range(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let number = |w: &str| {
        w.trim_matches(|c: char| !c.is_ascii_digit())
            .chars()
            .all(|c| c.is_ascii_digit())
            && w.chars().any(|c| c.is_ascii_digit())
    };
    words
        .windows(3)
        .any(|w| number(w[0]) && (w[1] == "to" || w[1] == "-" || w[1] == "–") && number(w[2]))
        || words.iter().any(|w| {
            let parts: Vec<&str> = w.split(['-', '–']).collect();
            parts.len() == 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
}
