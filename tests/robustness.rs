//! Bad input never panics: arbitrary text, and the bundled documents cut and spliced at random,
//! always come back as findings located inside the text.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use vigil::check::check;
use vigil::Source;

fn framework() -> String {
    std::fs::read_to_string("protocols/framework.vigil").unwrap()
}

fn assert_located(texts: &[String]) {
    let sources: Vec<Source> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Source::new(format!("f{i}.vigil"), t.clone()))
        .collect();
    let checked = check(&sources);
    for d in &checked.diagnostics {
        let len = texts[d.file].len();
        assert!(
            d.span.start <= d.span.end && d.span.end <= len,
            "{d:?} outside {len}"
        );
        assert!(!d.message.is_empty() && !d.help.is_empty(), "{d:?}");
        for l in &d.related {
            assert!(l.span.end <= texts[l.file].len(), "{l:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_is_a_finding_not_a_panic(text in "\\PC{0,400}") {
        assert_located(&[text]);
    }

    #[test]
    fn cut_framework_text_is_located(cut in 0usize..12_000, len in 0usize..400) {
        let fw = framework();
        let mut at = cut.min(fw.len());
        while !fw.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(fw.len());
        while !fw.is_char_boundary(end) { end -= 1; }
        let spliced = format!("{}{}", &fw[..at], &fw[end..]);
        assert_located(&[spliced]);
    }

    #[test]
    fn repeated_punctuation_and_keywords_are_located(
        words in proptest::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("("), Just(")"), Just("step"), Just("when"),
                Just("not"), Just("within"), Just("5m"), Just("by"), Just("\""), Just(":"),
                Just("pathway"), Just("x"), Just("on"), Just("and"),
            ],
            0..300,
        )
    ) {
        let body = words.join(" ");
        assert_located(&[format!("framework \"F\" version 1 {{ {body} }}")]);
    }
}
