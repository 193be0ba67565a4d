//! The path (`events[2].reason`) of the value a JSON text's reader stopped at, for an error
//! the reader gives with a line and column only. The YAML reader names the path itself, and
//! an NDJSON line is one event; a whole JSON file said "where text is expected" and no field
//! (found by a docs-only tester). Read only when there is an error, so it costs a loaded
//! timeline nothing.

/// One container open at the point: an object (with the key whose value is being read, once
/// one is), or a list (with the index of the item being read).
enum Frame<'a> {
    Object(Option<&'a str>),
    List(usize),
}

/// The path of the value being read at byte `end` of `text`, as `events[2].reason`; empty at
/// the top level. Keys are given as written (an escape in one is left as it is).
pub(super) fn at(text: &str, end: usize) -> String {
    let b = text.as_bytes();
    let end = end.min(b.len());
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // In an object, whether the next string is a key (just after `{` or `,`).
    let mut key_next = false;
    let mut i = 0;
    while i < end {
        match b[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                key_next = true;
            }
            b'[' => {
                stack.push(Frame::List(0));
                key_next = false;
            }
            b'}' | b']' => {
                stack.pop();
                key_next = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::List(n)) => *n += 1,
                Some(Frame::Object(key)) => {
                    *key = None;
                    key_next = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < b.len() && b[i] != b'"' {
                    // An escaped character, the quote included, is part of the string.
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if key_next {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = text.get(start..i.min(b.len()));
                    }
                    key_next = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => break,
            Frame::List(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::at;

    #[test]
    fn the_path_of_the_value_being_read() {
        let text =
            r#"{"as_of": "x", "events": [{"at": "y", "kind": "k"}, {"reason": 42, "by": true}]}"#;
        let after = |s: &str| text.find(s).unwrap() + s.len();
        assert_eq!(at(text, after("42")), "events[1].reason");
        assert_eq!(at(text, after("true")), "events[1].by");
        assert_eq!(at(text, after(r#""kind""#)), "events[0].kind");
        assert_eq!(at(text, after(r#""as_of": "x""#)), "as_of");
        assert_eq!(at(text, 0), "");
        // A key with a quote escaped in it, and a string holding brackets and commas.
        let tricky = r#"{"events": [{"note": "a, [b] {c}", "w\"x": 1}]}"#;
        assert_eq!(
            at(tricky, tricky.find('1').unwrap() + 1),
            r#"events[0].w\"x"#
        );
    }
}
