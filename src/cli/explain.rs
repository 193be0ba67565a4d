//! `vigil explain-code CODE`: a code's page of docs/diagnostics.md, built into the binary so
//! that it is there wherever Vigil runs, and always the page of the version that reported it.

use super::Exit;

/// The diagnostics reference, as generated from the codes and their fixtures.
const PAGES: &str = include_str!("../../docs/diagnostics.md");

/// The page of `code` (`E017`, `w003`, `T003`): from its heading to the next.
pub fn page(code: &str) -> Option<&'static str> {
    let wanted = code.trim().to_ascii_uppercase();
    let start = PAGES.match_indices("\n## ").map(|(i, _)| i + 1).find(|i| {
        PAGES
            .get(i + 3..)
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|c| c == wanted)
    })?;
    let body = PAGES.get(start..)?;
    let end = body
        .get(1..)
        .and_then(|b| b.find("\n## "))
        .map_or(body.len(), |e| e + 2);
    body.get(..end).map(str::trim_end)
}

/// Print the page, or say the code is unknown with every code there is.
pub fn run(code: &str) -> Exit {
    match page(code) {
        Some(p) => match super::to_stdout(format!("{p}\n").as_bytes()) {
            Ok(_) => Exit::Ok,
            Err(e) => {
                errln!("error: cannot write the page: {e}");
                Exit::Usage
            }
        },
        None => {
            let codes: Vec<&str> = PAGES
                .lines()
                .filter_map(|l| l.strip_prefix("## "))
                .filter_map(|l| l.split_whitespace().next())
                .filter(|c| c.len() == 4 && c.chars().skip(1).all(|d| d.is_ascii_digit()))
                .collect();
            match unused(code, &codes) {
                Some(gap) => errln!(
                    "error: no code `{code}`: {gap} never given out, and codes are never renumbered or reused; the codes are {}",
                    codes.join(", ")
                ),
                None => errln!(
                    "error: no code `{code}`; the codes are {}",
                    codes.join(", ")
                ),
            }
            Exit::Usage
        }
    }
}

/// For a code inside the numbers given out but not itself one (`E030`), the run of unused
/// numbers it falls in, in words ("the numbers E029 to E033 were"); `None` for any other
/// text.
fn unused(code: &str, codes: &[&str]) -> Option<String> {
    let number = |c: &str| -> Option<(char, u32)> {
        let mut chars = c.chars();
        let letter = chars.next()?.to_ascii_uppercase();
        let digits = chars.as_str();
        (digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
            .map(|n| (letter, n))
    };
    let (letter, n) = number(code)?;
    let given: Vec<u32> = codes
        .iter()
        .filter_map(|c| number(c))
        .filter(|(l, _)| *l == letter)
        .map(|(_, n)| n)
        .collect();
    let below = given.iter().copied().filter(|g| *g < n).max()?;
    let above = given.iter().copied().filter(|g| *g > n).min()?;
    let (first, last) = (below + 1, above - 1);
    Some(if first == last {
        format!("the number {letter}{first:03} was")
    } else {
        format!("the numbers {letter}{first:03} to {letter}{last:03} were")
    })
}

#[cfg(test)]
mod tests {
    use super::{page, unused};

    #[test]
    fn a_number_never_given_out_is_named_as_such() {
        let codes = ["E028", "E034", "W001", "W013"];
        assert_eq!(
            unused("e030", &codes).as_deref(),
            Some("the numbers E029 to E033 were")
        );
        assert_eq!(
            unused("E030", &["E029", "E031"]).as_deref(),
            Some("the number E030 was")
        );
        // Past the last code, in another letter's range, or not a code at all: no gap.
        assert_eq!(unused("E099", &codes), None);
        assert_eq!(unused("W014", &codes), None);
        assert_eq!(unused("X030", &codes), None);
        assert_eq!(unused("E30", &codes), None);
    }

    #[test]
    fn a_page_runs_from_its_heading_to_the_next() {
        let p = page("e017").expect("E017 has a page");
        assert!(p.starts_with("## E017 laxer-than-floor (error)"), "{p}");
        assert!(!p.contains("\n## E018"), "{p}");
        assert!(page("T003").is_some_and(|p| p.contains("no-utc-offset")));
        assert!(page("E999").is_none());
    }
}
