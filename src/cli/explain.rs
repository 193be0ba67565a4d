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
            errln!(
                "error: no code `{code}`; the codes are {}",
                codes.join(", ")
            );
            Exit::Usage
        }
    }
}

#[cfg(test)]
mod tests {
    use super::page;

    #[test]
    fn a_page_runs_from_its_heading_to_the_next() {
        let p = page("e017").expect("E017 has a page");
        assert!(p.starts_with("## E017 laxer-than-floor (error)"), "{p}");
        assert!(!p.contains("\n## E018"), "{p}");
        assert!(page("T003").is_some_and(|p| p.contains("no-utc-offset")));
        assert!(page("E999").is_none());
    }
}
