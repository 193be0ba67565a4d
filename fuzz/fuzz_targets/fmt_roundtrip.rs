//! Arbitrary text, formatted with `vigil fmt`'s layout: never a panic; a text that parses
//! formats to one that parses to the same syntax tree (the tree's equality ignores where
//! nodes sit), keeps every comment, and formats to itself again (idempotent); a text that
//! does not parse is refused as a syntax error, and one holding a character no one can see
//! (E047) as such, never rewritten.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil::syntax::format::{format, FormatError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = vigil::syntax::parse(text);
    match format(text) {
        Ok(out) => {
            assert!(parsed.errors.is_empty(), "a text with syntax errors was formatted");
            let again = vigil::syntax::parse(&out);
            assert!(again.errors.is_empty(), "the formatted text does not parse:\n{out}");
            assert_eq!(again.document, parsed.document, "the tree changed:\n{out}");
            assert_eq!(format(&out).as_deref(), Ok(out.as_str()), "not idempotent:\n{out}");
        }
        Err(FormatError::Hidden) => {
            assert!(text.chars().any(|c| vigil::wording::hidden(c).is_some()), "refused as hidden");
        }
        Err(FormatError::Syntax) => {
            assert!(!parsed.errors.is_empty() || parsed.document.is_none(), "a clean text was refused");
        }
        // Refusing is the safe answer; it must be rare, and each one is worth a look, so
        // the fuzzer stops on it.
        Err(e) => panic!("{e}:\n{text}"),
    }
});
