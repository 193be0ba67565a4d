//! Plain words for the syntax errors authors make most, read from the text around where the
//! parser stopped: the parser knows what it expected, not what the author meant. Each hint
//! replaces the generic message and help of an E001 with what to write instead.

use crate::source::Source;
use crate::syntax::{Expected, Found, SyntaxError};

/// A better message and help for `e`, when the text shows what went wrong.
pub struct Hint {
    pub message: String,
    pub help: String,
    /// Where the mistake is, when that is not where the parser stopped (a number whose unit
    /// is missing, with the parser stopped on the next line).
    pub at: Option<crate::span::Span>,
    /// The label under `at`, when it is not a missing unit.
    pub label: Option<&'static str>,
}

/// The hint for `e` in `src`; `sources` are every file checked with it, to find the name a
/// quoted display wording belongs to.
pub fn hint(src: &Source, sources: &[Source], e: &SyntaxError) -> Option<Hint> {
    let text = src.text();
    let at = e.span.start;
    let before = text.get(..at).unwrap_or("");
    let after = text.get(at..).unwrap_or("");
    unit_apart(before, after)
        .or_else(|| no_unit(before, after))
        .or_else(|| decimal(before, after))
        .or_else(|| cut_short(before, e))
        .or_else(|| display_wording(sources, e))
        .or_else(|| only_comments(text, e))
        .or_else(|| article_as_name(before, after))
        .or_else(|| reserved_as_name(e))
        .or_else(|| words_apart(before, after))
}

/// `when out of hours`: a name of the language written as separate words. The parser stops
/// at the second word, saying only what it expected there (found by a docs-only tester:
/// "expected `is`, found `of`").
fn words_apart(before: &str, after: &str) -> Option<Hint> {
    const JOINED: &[&str] = &["out_of_hours", "bank_holidays", "red_flags", "next_of_kin"];
    JOINED.iter().find_map(|name| {
        let words: Vec<&str> = name.split('_').collect();
        // The stop falls at one of the words after the first: what is written before it
        // ends with the words before, and what follows starts with the rest.
        (1..words.len()).find_map(|k| {
            let head = words.get(..k)?.join(" ");
            let tail = words.get(k..)?.join(" ");
            let before = before.trim_end();
            let starts = before.len().checked_sub(head.len())?;
            let written_head = before.get(starts..)?;
            let boundary = before
                .get(..starts)
                .is_none_or(|b| b.is_empty() || b.ends_with(char::is_whitespace));
            let follows = after
                .get(..tail.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(&tail))
                && after
                    .get(tail.len()..)
                    .is_none_or(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'));
            (written_head.eq_ignore_ascii_case(&head) && boundary && follows).then(|| Hint {
                message: format!(
                    "`{head} {tail}` is written `{name}`, one word joined by underscores"
                ),
                help: format!("write `{name}`"),
                at: None,
                label: None,
            })
        })
    })
}

/// `step log: ...`: a reserved word where a name is expected. The parser says only that it
/// expected a name (and, for an item's keyword, asked whether a `}` was missing), not that
/// the word cannot be one (found by a docs-only tester).
fn reserved_as_name(e: &SyntaxError) -> Option<Hint> {
    let Found::Token(word) = &e.found else {
        return None;
    };
    let wants_name = e.expected.contains(&Expected::Phrase("a name"));
    if !wants_name || !crate::syntax::is_reserved(word) {
        return None;
    }
    Some(Hint {
        message: format!("`{word}` is a reserved word, so it cannot be a name"),
        help: format!(
            "choose another name, such as `{word}_step` or a word of its own; docs/language.md §13 lists the reserved words (a name may start with one: `{word}_check`)"
        ),
        at: Some(e.span),
        label: Some("reserved word"),
    })
}

/// `notify the office by support_worker`: `the` is read as the name the verb takes, and the
/// parser then stops at the next word, saying nothing of `the` (found by a docs-only tester:
/// "expected `step`, `}` or a step clause ..., found `office`").
fn article_as_name(before: &str, after: &str) -> Option<Hint> {
    let trimmed = before.trim_end();
    let mut words = trimmed.split_whitespace().rev();
    let article = words.next()?;
    let verb = words.next()?;
    let takes_name = matches!(
        verb,
        "notify" | "contact" | "by" | "to" | "record" | "review" | "decide" | "covers"
    );
    if !matches!(article, "the" | "a" | "an") || !takes_name {
        return None;
    }
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if next.is_empty() {
        return None;
    }
    let start = trimmed.len() - article.len();
    Some(Hint {
        message: format!(
            "`{article}` is read as the name after `{verb}`, so `{next}` cannot follow it"
        ),
        help: format!(
            "write the declared name alone, with no `{article}`: names are one word joined by `_` (`{verb} {next}`, or the role, contact or log as the framework declares it)"
        ),
        at: Some(crate::span::Span::new(start, trimmed.len())),
        label: Some("read as a name"),
    })
}

/// The digits `text` ends with (`"within 10"` gives `10`).
fn trailing_digits(text: &str) -> &str {
    let digits = text.bytes().rev().take_while(u8::is_ascii_digit).count();
    text.get(text.len() - digits..).unwrap_or("")
}

/// `within 10 m`, `within 10 minutes` or `within 20min`: the unit written apart from the
/// number, or in words; and `within 2w`, weeks, which are written in days.
fn unit_apart(before: &str, after: &str) -> Option<Hint> {
    // The reader stops after the number (`10 m`), or at the number itself when the word
    // follows it at once (`20min`).
    let (number, after) = match trailing_digits(before.trim_end()) {
        "" => {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            (after.get(..digits)?, after.get(digits..)?)
        }
        number => (number, after),
    };
    if number.is_empty() {
        return None;
    }
    // The reader may also stop at the number with its word after a space (`every 5
    // minutes`, where `every` takes only a duration: found by a docs-only tester).
    let apart = after.starts_with([' ', '\t']);
    let word: String = after
        .trim_start_matches([' ', '\t'])
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    if matches!(
        word.to_ascii_lowercase().as_str(),
        "w" | "wk" | "wks" | "week" | "weeks"
    ) {
        let days = number.parse::<u64>().ok()?.checked_mul(7)?;
        return Some(Hint {
            at: None,
            label: None,
            message: format!("a duration has no weeks: `{number}{word}` is `{days}d`"),
            help: format!(
                "write weeks as days: `{days}d` (units: `s`, `m`, `h`, `d`, the number and its letter together)"
            ),
        });
    }
    let unit = match word.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        _ => return None,
    };
    let run_on = trailing_digits(before.trim_end()).is_empty();
    // A duration written right (`10m`) where the reader stopped is not this mistake: the
    // error is about what comes before it (a space that is not a plain space, say).
    if run_on && word == unit {
        return None;
    }
    let spaced = (before.ends_with(char::is_whitespace) && !run_on) || apart;
    Some(Hint {
        at: None,
        label: None,
        message: if spaced {
            format!("a duration is written with no space before its unit: `{number}{unit}`, not `{number} {word}`")
        } else {
            format!("a duration's unit is one letter: `{number}{unit}`, not `{number}{word}`")
        },
        help: "write the number and its unit letter together: `30s`, `15m`, `2h`, `1d`".into(),
    })
}

/// `within 15` and nothing after the number: the unit left out. The reader stops at what
/// follows, often the next line's first word, expecting `working` (found by a docs-only
/// tester: "expected `working`, found `on`" told a manager nothing); the finding points at
/// the number.
fn no_unit(before: &str, after: &str) -> Option<Hint> {
    let trimmed = before.trim_end();
    let number = trailing_digits(trimmed);
    // A word run on to the number (`15min`, `1.5h`) is another hint's.
    let run_on = trimmed.len() == before.len()
        && after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.');
    if number.is_empty() || run_on {
        return None;
    }
    let head = trimmed.get(..trimmed.len() - number.len())?;
    let word = head.split_whitespace().last()?;
    if !head.ends_with(char::is_whitespace)
        || !matches!(word, "within" | "every" | "late" | "missed")
    {
        return None;
    }
    let start = trimmed.len() - number.len();
    Some(Hint {
        message: format!("`{number}` has no unit: a duration is a number and its unit letter"),
        help: format!(
            "write `{number}m` for minutes (or `{number}s`, `{number}h`, `{number}d`; `{number} working days` for working time)"
        ),
        at: Some(crate::span::Span::new(start, trimmed.len())),
        label: None,
    })
}

/// `within 1.5h`: durations are whole numbers.
fn decimal(before: &str, after: &str) -> Option<Hint> {
    let whole = trailing_digits(before);
    let rest = after.strip_prefix('.')?;
    let fraction: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let unit = rest.get(fraction.len()..)?.chars().next()?;
    if whole.is_empty() || fraction.is_empty() {
        return None;
    }
    let written = format!("{whole}.{fraction}{unit}");
    let smaller = match unit {
        'd' => Some((24.0, 'h')),
        'h' => Some((60.0, 'm')),
        'm' => Some((60.0, 's')),
        _ => None,
    };
    let instead = format!("{whole}.{fraction}")
        .parse::<f64>()
        .ok()
        .zip(smaller)
        .map(|(n, (per, u))| (n * per, u))
        .filter(|(n, _)| n.fract() == 0.0 && *n < 1e9)
        .map_or(String::new(), |(n, u)| format!(": write `{n}{u}`"));
    Some(Hint {
        at: None,
        label: None,
        message: format!(
            "a duration is a whole number of its unit, so `{written}` cannot be read{instead}"
        ),
        help: "count in a smaller unit: `90m` for an hour and a half, `36h` for a day and a half"
            .into(),
    })
}

/// A condition that stops after `and`, `or` or `not`.
fn cut_short(before: &str, e: &SyntaxError) -> Option<Hint> {
    let last = before.split_whitespace().last()?;
    let too_deep = matches!(
        e.found,
        Found::NestedTooDeep { .. } | Found::NegatedTooDeep { .. } | Found::TooComplex
    );
    if too_deep || !matches!(last, "and" | "or" | "not") {
        return None;
    }
    // Whatever the parser expected there (it lists nothing once it has given up on the
    // clause), what stands after `and` is not a condition: one was left out.
    let found = match &e.found {
        Found::Token(t) => format!(" (`{t}` is not one)"),
        _ => String::new(),
    };
    Some(Hint {
        at: None,
        label: None,
        message: format!(
            "the condition stops after `{last}`, which needs a condition after it{found}"
        ),
        help: format!("finish the condition after `{last}` (`out_of_hours`, `risk is high`, ...), or remove `{last}`"),
    })
}

/// `by "Support worker"`: a display wording where the name belongs.
fn display_wording(sources: &[Source], e: &SyntaxError) -> Option<Hint> {
    let Found::Text(wording) = &e.found else {
        return None;
    };
    let wants_name = e
        .expected
        .iter()
        .any(|x| matches!(x, Expected::Phrase(p) if p.contains("a name")));
    if !wants_name {
        return None;
    }
    let declared = sources.iter().find_map(|s| named_by(s.text(), wording));
    let help = match &declared {
        Some(name) => format!("write `{name}`, the name declared with the wording \"{wording}\""),
        None => "write the name it was declared with (`role support_worker \"Support worker\"` is written `support_worker`)".into(),
    };
    Some(Hint {
        at: None,
        label: None,
        message: format!(
            "expected a name, found the text `\"{wording}\"`: things are named by their name, not by the wording people see"
        ),
        help,
    })
}

/// The name declared just before `"wording"` in `text` (`role support_worker "Support
/// worker"` gives `support_worker`).
fn named_by(text: &str, wording: &str) -> Option<String> {
    let quoted = format!("\"{wording}\"");
    text.match_indices(&quoted).find_map(|(i, _)| {
        let name = text
            .get(..i)?
            .trim_end()
            .rsplit(char::is_whitespace)
            .next()?;
        let ok = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        ok.then(|| name.to_string())
    })
}

/// A file of comments alone ends before any document starts.
fn only_comments(text: &str, e: &SyntaxError) -> Option<Hint> {
    if e.found != Found::EndOfFile || text.trim().is_empty() {
        return None;
    }
    let all_comments = text
        .lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l.starts_with("//"));
    all_comments.then(|| Hint {
        at: None,
        label: None,
        message: "the file holds only comments: no framework or protocol is written in it".into(),
        help: "a document starts `framework \"Name\" version 1 {` or `protocol \"ID\" under \"Framework\" version 1 {`".into(),
    })
}
