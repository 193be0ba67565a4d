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

#[test]
fn deeply_nested_brackets_are_a_finding_not_a_stack_overflow() {
    for depth in [64, 65, 500, 5_000] {
        let cond = format!("{}out_of_hours{}", "(".repeat(depth), ")".repeat(depth));
        let text = format!(
            "framework \"F\" version 1 {{ pathway p on no_answer {{ step s: check x by r when {cond} }} }}"
        );
        assert_located(&[text]);
    }
}

#[test]
fn a_finding_on_a_very_long_line_renders_without_a_snippet() {
    let text = format!(
        "framework \"F\" version 1 {{ role r \"{}\" role r \"again\" }}",
        "x".repeat(70_000)
    );
    let sources = vec![Source::new("long.vigil", text)];
    let checked = check(&sources);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E004")
        .unwrap();
    let shown = vigil::render::diagnostics::to_text(d, &sources);
    assert!(shown.contains("long.vigil:1:"), "{shown}");
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let checked = check(&[Source::new(
        "bom.vigil",
        "\u{feff}framework \"F\" version 1 { }",
    )]);
    assert!(
        checked
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() != "E001"),
        "{:?}",
        checked.diagnostics
    );
}
