//! Reasons in the words staff use. The decision's reasons name events and episodes by their ids
//! (`(event na1)`, `P-0005/missed_visit/missed:V51`), so that an auditor can find them: JSON,
//! CSV and ndjson keep them as the evaluator wrote them. The duty list names people, visits and
//! times instead. [`Names`] looks the ids up in the decision and the timeline that produced it
//! (exact ids the evaluator was given, never a guessed pattern) and rewrites the few frames
//! the evaluator writes them in; an id it does not know is left as written.

use crate::hash::Map;

use crate::eval::Decision;
use crate::rules::RuleSet;
use crate::timeline::Timeline;
use crate::wording::lower_first;

/// The ids a decision's reasons may name, with the words to show instead.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Event id and its local time, sorted by id.
    events: Vec<(String, String)>,
    /// Episode id and its words: looked up for each whole id-like word of a text, so the cost
    /// of a reason does not grow with the number of episodes.
    episodes: Map<String, String>,
}

impl Names {
    /// The names in `decision` (take it before any filter, so that an episode of someone not
    /// shown is still named) and in the timeline it was made from.
    pub fn new(decision: &Decision, rs: &RuleSet, timeline: &Timeline) -> Names {
        let civil = rs.civil();
        let mut events: Vec<(String, String)> = timeline
            .events
            .iter()
            .map(|e| (e.id.clone(), civil.short_local(e.at)))
            .collect();
        events.sort();
        events.dedup_by(|a, b| a.0 == b.0);
        let mut episodes: Map<String, String> = Map::default();
        for o in &decision.obligations {
            let person = &*o.person;
            let Some(rest) = o
                .episode
                .strip_prefix(person)
                .and_then(|r| r.strip_prefix('/'))
            else {
                continue; // provider-wide: governance ids never appear in a reason
            };
            if person.is_empty() || episodes.contains_key(&*o.episode) {
                continue;
            }
            let pathway = rest.split('/').next().unwrap_or(rest);
            let what = rs
                .person(person)
                .pathways
                .iter()
                .find(|p| p.name == pathway)
                .map_or_else(|| pathway.replace('_', " "), |p| lower_first(&p.display));
            let words = match &o.visit {
                Some(v) => format!("{person} ({what}, visit {v})"),
                None => format!("{person} ({what})"),
            };
            episodes.insert(o.episode.to_string(), words);
        }
        Names { events, episodes }
    }

    /// `text` with the ids it names put in plain words.
    pub fn plain(&self, text: &str) -> String {
        let text = self.without_events(text);
        self.episodes_in_words(&text)
    }

    fn event_time(&self, id: &str) -> Option<&str> {
        self.events
            .binary_search_by(|(e, _)| e.as_str().cmp(id))
            .ok()
            .and_then(|i| self.events.get(i))
            .map(|(_, t)| t.as_str())
    }

    /// The evaluator's frames for an event: `X (event ID)` and `(Y, event ID)`, where the
    /// words around already say what and when, lose the id; `recorded by event ID` says when.
    fn without_events(&self, text: &str) -> String {
        if !text.contains("event ") {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("event ") {
            let (before, after) = rest.split_at(at);
            let after = &after["event ".len()..];
            if let Some((skip, keep)) = self.event_frame(before, after) {
                out.push_str(&before[..before.len() - skip]);
                out.push_str(&keep.0);
                rest = &after[keep.1..];
            } else {
                out.push_str(before);
                out.push_str("event ");
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    /// For `event ` found after `before` with `after` following it: how many bytes of
    /// `before` to drop, what to write instead, and how many bytes of `after` it replaces.
    fn event_frame(&self, before: &str, after: &str) -> Option<(usize, (String, usize))> {
        let known = |end: usize| after.get(..end).filter(|id| self.event_time(id).is_some());
        if before.ends_with(" (") || before.ends_with(", ") {
            let close = after.find(')')?;
            known(close)?;
            // ` (event ID)` goes whole; `, event ID)` keeps the bracket it closes.
            return Some(if before.ends_with(" (") {
                (2, (String::new(), close + 1))
            } else {
                (2, (String::new(), close))
            });
        }
        if before.ends_with("by ") {
            let end = after.find(' ').unwrap_or(after.len());
            let id = known(end)?;
            let time = self.event_time(id)?;
            return Some((3, (format!("at {time}"), end)));
        }
        None
    }

    /// Each known episode id, where it stands whole, in words: every whole id-like word of
    /// the text is looked up, once.
    fn episodes_in_words(&self, text: &str) -> String {
        if !text.contains('/') || self.episodes.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| joined(c)) {
            let (before, from) = rest.split_at(start);
            out.push_str(before);
            let end = word_end(from);
            let (word, after) = from.split_at(end);
            match self.episodes.get(word) {
                Some(words) => out.push_str(words),
                None => out.push_str(word),
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// A character an id is made of: `P-0005/missed_visit/missed:V51` reads as one word.
fn joined(c: char) -> bool {
    c.is_alphanumeric() || "_-/@>".contains(c)
}

/// Where the id-like word at the start of `text` ends: a run of id characters, through a `:`
/// only when an id character follows it (`missed:V1` goes on; `episode ID: ...` ends).
fn word_end(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let goes_on = joined(c) || (c == ':' && chars.peek().is_some_and(|&(_, n)| joined(n)));
        if !goes_on {
            return i;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            events: vec![
                ("found".into(), "10:10 Thu 26 Nov".into()),
                ("na1".into(), "10:00 Thu 26 Nov".into()),
                ("r 7".into(), "09:00 Thu 26 Nov".into()),
            ],
            episodes: [
                (
                    "P-0005/missed_visit/missed:V51".into(),
                    "P-0005 (missed visit, visit V51)".into(),
                ),
                ("P-1/no_response/na1".into(), "P-1 (no response)".into()),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn event_ids_leave_the_words_around_them() {
        let n = names();
        assert_eq!(
            n.plain("no answer at the door at 10:00 Thu 26 Nov (event na1)"),
            "no answer at the door at 10:00 Thu 26 Nov"
        );
        assert_eq!(
            n.plain("the episode closed (contact established at 10:10, event found)"),
            "the episode closed (contact established at 10:10)"
        );
        assert_eq!(
            n.plain("seen (lights on, event na1), then"),
            "seen (lights on), then"
        );
        assert_eq!(
            n.plain("the result recorded by event r 7 is not about a visit"),
            "the result recorded by event r 7 is not about a visit",
            "an id with a space is left as written rather than guessed"
        );
        assert_eq!(
            n.plain("the result recorded by event na1 is not about a visit"),
            "the result recorded at 10:00 Thu 26 Nov is not about a visit"
        );
        // An unknown id, or a word `event` elsewhere, stays.
        assert_eq!(n.plain("alarm (event zz9)"), "alarm (event zz9)");
        assert_eq!(
            n.plain("1 event after as_of was not considered"),
            "1 event after as_of was not considered"
        );
    }

    #[test]
    fn episode_ids_read_as_person_what_and_visit() {
        let n = names();
        assert_eq!(
            n.plain("2 missed-visit episodes for route R3: P-0005/missed_visit/missed:V51, P-0006/missed_visit/missed:V61"),
            "2 missed-visit episodes for route R3: P-0005 (missed visit, visit V51), P-0006/missed_visit/missed:V61"
        );
        assert_eq!(
            n.plain("episode P-1/no_response/na1: `call` was not done"),
            "episode P-1 (no response): `call` was not done"
        );
        // A longer id that starts with a known one is not cut.
        assert_eq!(
            n.plain("episode P-1/no_response/na10 opened"),
            "episode P-1/no_response/na10 opened"
        );
        assert_eq!(
            n.plain("of episode P-1/no_response/na1 (no answer (event na1))"),
            "of episode P-1 (no response) (no answer)"
        );
    }
}
