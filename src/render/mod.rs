//! Stage four: turning findings and decisions into text for people and JSON for machines.

pub mod diagnostics;
pub mod text;

/// A duration in plain words: `15 minutes`, `1 hour 30 minutes`, `2 days`.
///
/// ```
/// assert_eq!(vigil::render::duration_words(5400), "1 hour 30 minutes");
/// assert_eq!(vigil::render::duration_words(90), "1 minute 30 seconds");
/// ```
pub fn duration_words(secs: u64) -> String {
    let parts = [
        (secs / 86_400, "day"),
        (secs % 86_400 / 3600, "hour"),
        (secs % 3600 / 60, "minute"),
        (secs % 60, "second"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "0 seconds".into()
    } else {
        words.join(" ")
    }
}
