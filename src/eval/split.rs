//! The evaluator's two halves apart, the ground a streamed audit is to stand on (docs/audit.md,
//! step 2 of the plan): each person's episodes, which read only that person's events, and
//! governance, which reads the episodes' summaries and only some events (records,
//! notifications, reviews: never the visits' own events, whose part in governance is through
//! the episodes they open). Governance run over a timeline holding only the events it reads,
//! and the episodes the whole evaluation found, makes exactly the duties the whole evaluation
//! makes: the test below checks it on every example and on simulated months, at the end of
//! each record and part-way through, so that a stream may keep, for governance, only those
//! events and the summaries. (Test-only until the streamed evaluation uses it.)
#![cfg(test)]

use super::decision::Obligation;
use super::{governance, watch, EpisodeSummary};
use crate::rules::RuleSet;
use crate::time::Instant;
use crate::timeline::{EventData, Timeline};

/// Whether governance may read an event: what a governance duty could be done by, and the
/// records it counts. Not a visit's planning, arrival or departure, a cancellation, a refusal
/// or no answer at the door: governance learns of those only through the episodes they open
/// (and no governance action is done by one: language.md §9).
fn governance_reads(data: &EventData) -> bool {
    !matches!(
        data,
        EventData::VisitPlanned
            | EventData::Arrived
            | EventData::Departed
            | EventData::VisitCancelled { .. }
            | EventData::NoAnswer
            | EventData::Refusal { .. }
    )
}

impl RuleSet {
    /// The per-person half at `as_of`: every episode's summary, as governance reads them.
    fn episodes_of<'a>(
        &'a self,
        timeline: &'a Timeline,
        as_of: Instant,
    ) -> Vec<EpisodeSummary<'a>> {
        let mut ev = self.start(timeline, as_of, false, None);
        watch::expand(&mut ev);
        for p in 0..timeline.persons.len() {
            super::episodes::run(&mut ev, p);
        }
        ev.episodes
    }

    /// When `timeline`'s record starts at `as_of` (its `from`, else its first event, else
    /// `as_of`'s day): what a timeline holding only some of its events must say as its `from`.
    fn record_start(&self, timeline: &Timeline, as_of: Instant) -> Instant {
        watch::record_start(&self.start(timeline, as_of, false, None))
    }

    /// The governance half at `as_of`, over `timeline` (its people and visits as in the whole
    /// timeline, its events those governance reads, its `from` the whole record's start) and
    /// the `episodes` the per-person half found: the duties governance makes.
    fn governance_over<'a>(
        &'a self,
        timeline: &'a Timeline,
        episodes: Vec<EpisodeSummary<'a>>,
        as_of: Instant,
    ) -> Vec<Obligation> {
        let mut ev = self.start(timeline, as_of, false, None);
        // The protocol visits watched, so that an episode's visit number means the same visit
        // as in the whole evaluation (they follow the timeline's own).
        watch::expand(&mut ev);
        ev.episodes = episodes;
        governance::run(&mut ev);
        ev.obligations
    }
}

#[allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly
mod tests {
    use super::*;
    use crate::timeline::Format;

    use crate::rules_in as rules;

    /// A simulated month of 16 people under `rs`, loaded.
    fn month(rs: &RuleSet, seed: u64) -> Timeline {
        let settings = crate::simulate::Settings {
            people: 16,
            days: 28,
            seed,
            start: "2026-11-02".parse().unwrap(),
        };
        let input = crate::simulate::simulate(rs, &settings).unwrap();
        Timeline::from_input(&input, rs).unwrap()
    }

    /// Governance over the events it reads and the whole evaluation's episodes makes the
    /// whole evaluation's governance duties, at `as_of`. Returns how many there were.
    fn same_governance(rs: &RuleSet, tl: &Timeline, as_of: Instant) -> usize {
        let whole = rs.evaluate(tl, as_of);
        let mut expected: Vec<Obligation> = whole
            .obligations
            .into_iter()
            .filter(|o| o.id.starts_with("governance/"))
            .collect();
        let mut kept = tl.clone();
        kept.events.retain(|e| governance_reads(&e.data));
        kept.from = Some(rs.record_start(tl, as_of));
        let episodes = rs.episodes_of(tl, as_of);
        let mut got = rs.governance_over(&kept, episodes, as_of);
        super::super::decision::sort_obligations(&mut expected);
        super::super::decision::sort_obligations(&mut got);
        assert_eq!(got, expected);
        expected.len()
    }

    #[test]
    fn governance_needs_only_the_episodes_and_the_events_it_reads() {
        let mut duties = 0;
        let mut paths: Vec<_> = std::fs::read_dir("examples")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let dir = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("# rules:"))
                .map_or("protocols/supported-living", str::trim);
            let rs = rules(dir);
            let Ok(tl) = Timeline::load(&text, Format::Yaml, "t", &rs) else {
                continue;
            };
            let Some(end) = tl.default_as_of(true) else {
                continue;
            };
            // At the end, and in the middle of the record (duties still open).
            let start = tl.events.first().map_or(end, |e| e.at);
            for as_of in [end, start + (end - start) / 2] {
                duties += same_governance(&rs, &tl, as_of);
            }
        }
        for dir in [
            "protocols/supported-living",
            "protocols/supported-living-2027",
        ] {
            let rs = rules(dir);
            let tl = month(&rs, 11);
            let end = tl.as_of.unwrap();
            for days in [3, 10, 28] {
                let as_of = tl.from.unwrap() + chrono::Duration::days(days);
                duties += same_governance(&rs, &tl, as_of.min(end));
            }
        }
        // Not a comparison of nothing: the examples and the months make governance duties.
        assert!(duties > 50, "only {duties} governance duties compared");
    }

    /// `tl` without the visits that went as planned or were called off, at `as_of` (their
    /// report `arrived` or `cancelled`, or `arrived_late` too when `late` is true; their only
    /// events their planning, arrival, departure and cancellation, none a protocol visit's
    /// occurrence) and without those visits' events; with the ids of the visits left out.
    fn without_uneventful(
        tl: &Timeline,
        whole: &crate::eval::Decision,
        late: bool,
    ) -> (Timeline, crate::hash::Set<(String, String)>) {
        use crate::eval::VisitState;
        let arrived: crate::hash::Set<(&str, &str)> = whole
            .visits
            .iter()
            .filter(|v| {
                matches!(v.state, VisitState::Arrived | VisitState::Cancelled)
                    || (late && v.state == VisitState::ArrivedLate)
            })
            .map(|v| (v.person.as_str(), v.id.as_str()))
            .collect();
        let mut eventful = vec![false; tl.visits.len()];
        for e in &tl.events {
            let plain = matches!(
                e.data,
                EventData::VisitPlanned
                    | EventData::Arrived
                    | EventData::Departed
                    | EventData::VisitCancelled { .. }
            );
            if let (Some(v), false) = (e.visit, plain) {
                eventful[v] = true;
            }
        }
        let dropped: Vec<bool> = tl
            .visits
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let person = tl.persons.get(v.person).map_or("", |p| p.id.as_str());
                !eventful[i]
                    && v.slot.is_none()
                    && v.source == crate::timeline::VisitSource::Timeline
                    && arrived.contains(&(person, v.id.as_str()))
            })
            .collect();
        let mut kept = tl.clone();
        let mut renumbered = Vec::with_capacity(tl.visits.len());
        let mut next = 0;
        for d in &dropped {
            renumbered.push((!d).then_some(next));
            next += usize::from(!d);
        }
        kept.visits = tl
            .visits
            .iter()
            .zip(&dropped)
            .filter(|(_, d)| !**d)
            .map(|(v, _)| v.clone())
            .collect();
        kept.events = tl
            .events
            .iter()
            .filter(|e| e.visit.is_none_or(|v| !dropped[v]))
            .cloned()
            .map(|mut e| {
                e.visit = e.visit.and_then(|v| renumbered[v]);
                e
            })
            .collect();
        kept.from = Some(tl.from.unwrap_or_else(|| tl.events[0].at));
        let left_out = tl
            .visits
            .iter()
            .zip(&dropped)
            .filter(|(_, d)| **d)
            .map(|(v, _)| (tl.persons[v.person].id.clone(), v.id.clone()))
            .collect();
        (kept, left_out)
    }

    /// The ground of step 3 of docs/audit.md's plan: a visit that went as planned, once
    /// final, can be counted and dropped with its events, and nothing else changes. That is
    /// one that arrived on time, or late where no pathway is `on late_visit` (as under the
    /// bundled rules): its late-visit trigger then opens nothing. (With such a pathway, a late
    /// arrival's episode makes duties: the next test.) So can one called off (a hospital
    /// admission's), with nothing else recorded against it: no trigger is a cancellation,
    /// and governance reads none.
    #[test]
    fn a_visit_that_went_as_planned_can_be_dropped_with_its_events() {
        let mut dropped_in_all = 0;
        for dir in [
            "protocols/supported-living",
            "protocols/supported-living-2027",
        ] {
            let rs = rules(dir);
            // Seed 5: a month with hospital admissions, so visits called off (seed 7 has none).
            let tl = month(&rs, 5);
            let as_of = tl.as_of.unwrap();
            let whole = rs.evaluate(&tl, as_of);
            let late = whole
                .visits
                .iter()
                .filter(|v| v.state == crate::eval::VisitState::ArrivedLate)
                .count();
            assert!(late > 20, "{dir}: only {late} late arrivals to drop");
            let cancelled = whole
                .visits
                .iter()
                .filter(|v| v.state == crate::eval::VisitState::Cancelled)
                .count();
            assert!(
                cancelled > 10,
                "{dir}: only {cancelled} cancelled visits to drop"
            );
            let (kept, left_out) = without_uneventful(&tl, &whole, true);
            dropped_in_all += left_out.len();
            let part = rs.evaluate(&kept, as_of);
            assert_eq!(part.obligations, whole.obligations, "{dir}: the duties");
            let expected: Vec<_> = whole
                .visits
                .iter()
                .filter(|v| !left_out.contains(&(v.person.clone(), v.id.clone())))
                .collect();
            let got: Vec<_> = part.visits.iter().collect();
            assert_eq!(got, expected, "{dir}: the visits");
            assert_eq!(part.notes, whole.notes, "{dir}: the notes");
            assert_eq!(
                part.next_change, whole.next_change,
                "{dir}: the next change"
            );
            // The comparison can tell: without their arrivals, visits are missed, and the
            // duties differ.
            let mut unattended = tl.clone();
            unattended
                .events
                .retain(|e| !matches!(e.data, EventData::Arrived));
            assert_ne!(
                rs.evaluate(&unattended, as_of).obligations,
                whole.obligations
            );
            // Nor are the cancellations idle: without them, the visits called off are missed.
            let kept_on = tl
                .events
                .iter()
                .filter(|e| !matches!(e.data, EventData::VisitCancelled { .. }))
                .cloned()
                .collect();
            let kept_on = Timeline {
                events: kept_on,
                ..tl.clone()
            };
            assert_ne!(rs.evaluate(&kept_on, as_of).obligations, whole.obligations);
        }
        // Most visits go as planned: that is what makes dropping them worth it.
        assert!(
            dropped_in_all > 2000,
            "only {dropped_in_all} visits dropped"
        );
    }

    /// Where a pathway is `on late_visit`, a late arrival opens an episode with its duties:
    /// dropping it would lose them, which is why a stream keeps such visits
    /// (`RuleSet::visit_states`).
    #[test]
    fn a_late_arrival_is_kept_where_a_pathway_acts_on_it() {
        let text = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
        let end = text.rfind('}').unwrap();
        let late =
            "  pathway late_visit \"Late visit\" on late_visit {\n    step tell_coordinator: \
                    notify manager by support_worker within 15m\n  }\n";
        let text = format!("{}{late}{}", &text[..end], &text[end..]);
        let rs = crate::compile(&[crate::Source::new("framework.vigil", text)]).unwrap();
        let tl = month(&rs, 7);
        let as_of = tl.as_of.unwrap();
        let whole = rs.evaluate(&tl, as_of);
        let (on_time, _) = without_uneventful(&tl, &whole, false);
        assert_eq!(rs.evaluate(&on_time, as_of).obligations, whole.obligations);
        let (late, _) = without_uneventful(&tl, &whole, true);
        assert_ne!(rs.evaluate(&late, as_of).obligations, whole.obligations);
        // And the stream is told so: no late arrival is given as one it may drop.
        let all = vec![true; tl.visits.len()];
        let states = rs.visit_states(&tl, as_of, &all);
        assert!(!states.contains(&Some(crate::eval::VisitState::ArrivedLate)));
        assert!(states.contains(&Some(crate::eval::VisitState::Arrived)));
    }

    /// The ends of single-event duties, listed once per person and looked up from each
    /// duty's start (`Eval::candidates_of`), and the events attempts and cascades read,
    /// listed once per person and role (`Eval::acted_of`), give every duty the end that
    /// reading its later events gives: on simulated months (where much follow-up work is never done) under
    /// both versions, and on every example, at its end and part-way through.
    #[test]
    fn ends_listed_once_are_those_a_scan_finds() {
        let both = |rs: &RuleSet, tl: &Timeline, at: Instant, what: &str| {
            let listed = rs.evaluate(tl, at);
            super::super::ladder::SCAN_ENDINGS.with(|s| s.set(true));
            let scanned = rs.evaluate(tl, at);
            super::super::ladder::SCAN_ENDINGS.with(|s| s.set(false));
            assert_eq!(listed, scanned, "{what} at {at}");
            listed.obligations.len()
        };
        let mut duties = 0;
        for dir in [
            "protocols/supported-living",
            "protocols/supported-living-2027",
        ] {
            let rs = rules(dir);
            let tl = month(&rs, 11);
            for at in tl.events.iter().step_by(1500).map(|e| e.at).chain(tl.as_of) {
                duties += both(&rs, &tl, at, dir);
            }
        }
        // Red flags, each escalated at the very second it was seen, a notice to the duty
        // manager a minute later and the person found safe: many episodes of one person, with
        // work done at a duty's first instant, and a notice no one gave.
        let rs = rules("protocols/supported-living");
        let mut log = String::from("{\"as_of\": \"2026-11-02T12:00:00Z\"}\n");
        let start: Instant = "2026-11-01T00:00:00Z".parse().unwrap();
        for i in 0..60 {
            let at = |m: i64| crate::time::utc(&(start + chrono::Duration::minutes(10 * i + m)));
            let line = |id: &str, m: i64, rest: &str| {
                format!(
                    "{{\"id\": \"{id}{i}\", \"at\": \"{}\", \"person\": \"P-0308\", \"by\": \"support_worker\", {rest}}}\n",
                    at(m)
                )
            };
            log.push_str(&line(
                "o",
                0,
                "\"kind\": \"observation\", \"what\": \"person_seen_on_floor\"",
            ));
            log.push_str(&line(
                "a",
                0,
                "\"kind\": \"agency_contacted\", \"agency\": \"emergency_services\"",
            ));
            log.push_str(&line(
                "n",
                1,
                "\"kind\": \"notified\", \"role\": \"duty_manager\"",
            ));
            log.push_str(&line("c", 2, "\"kind\": \"contact_established\""));
        }
        let tl = Timeline::load(&log, Format::Ndjson, "red-flags.ndjson", &rs).unwrap();
        for at in tl.events.iter().step_by(7).map(|e| e.at).chain(tl.as_of) {
            duties += both(&rs, &tl, at, "red flags");
        }
        let mut examples = 0;
        for entry in std::fs::read_dir("examples").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let dir = text
                .lines()
                .find_map(|l| l.strip_prefix("# rules:"))
                .map_or("protocols/supported-living", str::trim);
            let rs = rules(dir);
            let name = path.display().to_string();
            let Ok(tl) = Timeline::load(&text, crate::timeline::Format::Yaml, &name, &rs) else {
                continue;
            };
            let Some(last) = tl.events.last().map(|e| e.at) else {
                continue;
            };
            let end = tl.as_of.unwrap_or(last);
            for e in &tl.events {
                duties += both(&rs, &tl, e.at, &name);
            }
            duties += both(&rs, &tl, end, &name);
            examples += 1;
        }
        assert!(examples > 20, "only {examples} examples read");
        assert!(duties > 5_000, "only {duties} duties compared");
    }

    /// The events a duty reads, found by kind (`events_of_kinds_from`), are exactly the
    /// person's (or everyone's) events of those kinds from that instant on, in order: the
    /// index changes what is read, never what is found.
    #[test]
    fn events_found_by_kind_are_those_a_scan_finds() {
        use crate::vocab::EventKind;
        let rs = rules("protocols/supported-living");
        let tl = month(&rs, 3);
        let as_of = tl.as_of.unwrap();
        let ev = rs.start(&tl, as_of, false, None);
        let mut sets: Vec<Vec<EventKind>> = EventKind::ALL.iter().map(|k| vec![*k]).collect();
        sets.push(vec![
            EventKind::WhereaboutsConfirmed,
            EventKind::ContactEstablished,
        ]);
        sets.push(vec![
            EventKind::RecordMade,
            EventKind::Arrived,
            EventKind::Notified,
        ]);
        let froms: Vec<Instant> = tl.events.iter().step_by(97).map(|e| e.at).collect();
        let ids = |it: &mut dyn Iterator<Item = &crate::timeline::Event>| -> Vec<String> {
            it.map(|e| e.id.clone()).collect()
        };
        let mut found = 0;
        for kinds in &sets {
            let of = |e: &&crate::timeline::Event| {
                e.data.event_kind().is_some_and(|k| kinds.contains(&k))
            };
            for &from in &froms {
                for p in 0..tl.persons.len() {
                    let by_kind = ids(&mut ev.events_of_kinds_from(Some(p), kinds, from));
                    let scanned = ids(&mut ev.events_of_from(p, from).filter(of));
                    assert_eq!(by_kind, scanned, "{kinds:?} of person {p} from {from}");
                    found += by_kind.len();
                }
                let everyone = ids(&mut ev.events_of_kinds_from(None, kinds, from));
                let considered = tl.events.get(..ev.considered).unwrap();
                let scanned = ids(&mut considered.iter().filter(|e| e.at >= from).filter(of));
                assert_eq!(everyone, scanned, "{kinds:?} of everyone from {from}");
            }
        }
        assert!(
            found > 10_000,
            "only {found} events found: the month is too thin"
        );
    }
}
