//! A quick reader for the event lines nearly every log writes: one flat JSON object whose
//! values are all plain strings (no escape, no control character), each attribute once, none
//! unknown. Such a line is read straight into an [`EventInput`]; any other line (a list of
//! staff, attributes, a number, `null`, an escape, a repeated or unknown key, anything not
//! JSON) is left to serde, which reads it or says what is wrong with it. So the quick reader
//! changes how fast a line is read, never what is read or what an error says: a property
//! test holds it to serde's reading on every line it takes.
//!
//! Why: serde's general reader was about a quarter of a streamed audit (a simulated year,
//! docs/performance.md), most of it in machinery a flat line of strings does not need.

use super::input::EventInput;

/// The event `line` holds, when it is such a flat line; `None` leaves it to serde.
pub(super) fn event(line: &str) -> Option<EventInput> {
    let b = line.as_bytes();
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(b, i + 1);
    let mut out = EventInput::default();
    // An empty object is serde's to read (an event with nothing: its errors say so).
    if b.get(i) == Some(&b'}') {
        return None;
    }
    let mut seen = 0u32;
    loop {
        let (key, after) = string(line, i)?;
        i = skip_space(b, after);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(b, i + 1);
        let (value, after) = string(line, i)?;
        let bit = slot(&mut out, key, value)?;
        // A key given twice is serde's to refuse.
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        i = skip_space(b, after);
        match b.get(i) {
            Some(b',') => i = skip_space(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    // Nothing but white space after the object.
    (skip_space(b, i + 1) == b.len()).then_some(out)
}

/// The index of the first byte from `i` on that is not JSON white space.
fn skip_space(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The plain string opening at byte `i` of `line`, and the index just after its closing
/// quote; `None` if there is no string there, or it holds an escape or a control character.
fn string(line: &str, i: usize) -> Option<(&str, usize)> {
    let b = line.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    // An escape, or a raw control character (which JSON refuses), is serde's.
    let len = stop(b.get(i + 1..)?)?;
    if b.get(i + 1 + len) != Some(&b'"') {
        return None;
    }
    // Both ends are ASCII quotes, so the slice is on character boundaries.
    Some((line.get(i + 1..i + 1 + len)?, i + 2 + len))
}

/// The index of the first quote, backslash or control character in `b`. Eight bytes at a
/// time: log strings are short (ids, names, instants), too short for a vector search's set-up
/// to pay, and a byte at a time was a third of reading a line.
fn stop(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte that is zero, below the first such byte exact (a borrow can
    // only mark bytes above a true one, which the lowest marked byte is not).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let found = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            // Below 0x20: the high bit set by taking 0x20 from a byte that had it clear.
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|p| at + p)
}

/// Put `value` in the attribute `key` names; the attribute's bit (to find a key given twice),
/// or `None` for a key the quick reader leaves to serde (unknown, or `attributes`, whose
/// value is never a string).
fn slot(out: &mut EventInput, key: &str, value: &str) -> Option<u32> {
    let text = || Some(Box::<str>::from(value));
    let (bit, field) = match key {
        "id" => (0, &mut out.id),
        "at" => (1, &mut out.at),
        "person" => (2, &mut out.person),
        "kind" => (3, &mut out.kind),
        "visit" => (4, &mut out.visit),
        "by" => (5, &mut out.by),
        "planned" => (6, &mut out.planned),
        "planned_end" => (7, &mut out.planned_end),
        "criticality" => (8, &mut out.criticality),
        "slot" => (9, &mut out.slot),
        "route" => (10, &mut out.route),
        "location" => (11, &mut out.location),
        "method" => (12, &mut out.method),
        "outcome" => (13, &mut out.outcome),
        "what" => (14, &mut out.what),
        "role" => (15, &mut out.role),
        "contact" => (16, &mut out.contact),
        "agency" => (17, &mut out.agency),
        "log" => (18, &mut out.log),
        "result" => (19, &mut out.result),
        "task" => (20, &mut out.task),
        "reason" => (21, &mut out.reason),
        "alert" => (22, &mut out.alert),
        "duty" => (23, &mut out.duty),
        "decision" => (24, &mut out.decision),
        "where" => (25, &mut out.place),
        "note" => {
            out.note = Some(serde_json::Value::String(value.to_string()));
            return Some(1 << 26);
        }
        "staff" => {
            out.staff = Some(serde_json::Value::String(value.to_string()));
            return Some(1 << 27);
        }
        _ => return None,
    };
    *field = text();
    Some(1 << bit)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests fail loudly
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What serde reads from `line`, as the log readers ask it.
    fn serde(line: &str) -> Option<EventInput> {
        serde_json::from_str::<EventInput>(line).ok()
    }

    #[test]
    fn a_simulated_line_is_read_quickly_and_the_same() {
        let line = r#"{"id":"S0001D001V1-1-plan","at":"2026-01-04T18:00:00Z","person":"S-0001","kind":"visit_planned","visit":"S0001D001V1","by":"scheduling_coordinator","planned":"2026-01-05T08:00:00Z","planned_end":"2026-01-05T08:44:00Z","criticality":"critical","route":"R1","location":"L1"}"#;
        assert!(event(line).is_some());
        assert_eq!(event(line), serde(line));
        let spaced = "  { \"at\" : \"2026-11-24T08:05:00Z\",\t\"kind\":\"arrived\", \"where\": \"the flat\", \"note\": \"café\" }  ";
        assert_eq!(event(spaced), serde(spaced));
        assert!(event(spaced).is_some());
    }

    proptest! {
        /// Eight bytes at a time finds what one at a time finds.
        #[test]
        fn the_word_search_finds_the_first_stop(b in prop::collection::vec(any::<u8>(), 0..40)) {
            let one_by_one = b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
            prop_assert_eq!(stop(&b), one_by_one);
        }
    }

    #[test]
    fn lines_it_does_not_take_are_left_to_serde() {
        for line in [
            r#"{"at": "2026-11-24T08:05:00Z", "kind": "arrived", "at": "2026-11-24T08:06:00Z"}"#,
            r#"{"at": "2026-11-24T08:05:00Z", "kind": "arrived", "colour": "blue"}"#,
            r#"{"at": "2026-11-24T08:05:00Z", "kind": "arrived\u0007"}"#,
            r#"{"at": "2026-11-24T08:05:00Z", "kind": null}"#,
            r#"{"at": "2026-11-24T08:05:00Z", "staff": ["a", "b"]}"#,
            r#"{"at": "2026-11-24T08:05:00Z", "attributes": {"urgency": "high"}}"#,
            "{\"kind\": \"arr\tived\"}",
            r#"{"kind": "arrived"} x"#,
            r#"{"kind": "arrived",}"#,
            r#"{}"#,
            r#"["kind"]"#,
        ] {
            assert_eq!(event(line), None, "{line}");
        }
    }

    /// Pieces a line is made of, right and wrong.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("null".to_string()),
            Just("12".to_string()),
            Just("[\"a\"]".to_string()),
            // Every attribute there is, and two there are not.
            prop::sample::select(
                super::super::input::attribute_names()
                    .into_iter()
                    .chain(["colour", "Kind"])
                    .collect::<Vec<_>>()
            )
            .prop_map(|k| format!("\"{k}\"")),
            "\"[ -~éß\u{7f}\\\\\u{1}\u{202e}]{0,8}\"",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever line the quick reader takes, serde reads the same event from it.
        #[test]
        fn the_quick_reader_agrees_with_serde(pieces in prop::collection::vec(piece(), 0..30)) {
            let line = pieces.concat();
            if let Some(e) = event(&line) {
                prop_assert_eq!(Some(e), serde(&line));
            }
        }

        /// Flat lines of known keys, the common case: taken, and read as serde reads them.
        #[test]
        fn flat_lines_are_taken(
            pairs in prop::collection::btree_map(
                prop::sample::select(vec!["id", "at", "person", "kind", "visit", "by", "note", "where", "staff", "reason"]),
                "[ -!#-\\[\\]-~é]{0,12}",
                1..8,
            ),
        ) {
            let line = format!(
                "{{{}}}",
                pairs.iter().map(|(k, v)| format!("\"{k}\": \"{v}\"")).collect::<Vec<_>>().join(", ")
            );
            let quick = event(&line);
            prop_assert!(quick.is_some(), "{}", line);
            prop_assert_eq!(quick, serde(&line));
        }
    }
}
