//! Arbitrary text, checked as Vigil sources: never a panic, and every finding located inside
//! the text it is about.
//!
//! The input is split on lines holding only `---` into up to eight sources (the first is
//! usually a framework, the rest protocols under it; the seed corpus is written that way, so
//! protocols are checked against a real framework). Each finding must name one of those
//! sources, with a span inside it on character boundaries (so it can be shown), a message and
//! a help; each related label likewise. Every finding is rendered as the command line prints
//! it. A rule set that checks clean is evaluated once, on a small timeline for every person it
//! has a protocol for, which must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil::check::check;
use vigil::timeline::{EventInput, Feed, TimelineInput};
use vigil::vocab::EventKind;
use vigil::{Source, Span};

/// The line that separates sources in one input.
const MARKER: &str = "\n---\n";

fn located(sources: &[Source], file: usize, span: Span, what: &dyn std::fmt::Debug) {
    let Some(source) = sources.get(file) else {
        panic!("finding names file {file} of {}: {what:?}", sources.len());
    };
    let text = source.text();
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside a text of {} bytes: {what:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} not on character boundaries: {what:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources: Vec<Source> = text
        .splitn(8, MARKER)
        .enumerate()
        .map(|(i, t)| Source::new(format!("f{i}.vigil"), t))
        .collect();
    let checked = check(&sources);
    for d in &checked.diagnostics {
        located(&sources, d.file, d.span, d);
        assert!(!d.message.is_empty() && !d.help.is_empty(), "{d:?}");
        for l in &d.related {
            located(&sources, l.file, l.span, l);
        }
        let shown = vigil::render::diagnostics::to_text(d, &sources);
        assert!(shown.contains(d.code.as_str()), "{shown}");
    }
    // A rule set the checker built must evaluate: one no-answer per person with a protocol, a
    // day of watched visits, evaluated at the end of it.
    for rs in checked.rulesets {
        let rs = std::sync::Arc::new(rs);
        let start: vigil::time::Instant = "2026-11-23T12:00:00Z".parse().unwrap_or_default();
        let mut header = TimelineInput::new().from(start);
        for p in rs.persons() {
            header = header.person(p.id.clone());
        }
        let Ok(mut feed) = Feed::restore(rs.clone(), header) else {
            continue;
        };
        for p in rs.persons().iter().take(4) {
            let e = EventInput::new(
                start + chrono::Duration::hours(20),
                p.id.clone(),
                EventKind::NoAnswer,
            );
            let _ = feed.push(e);
        }
        let d = feed.decision(start + chrono::Duration::hours(22));
        assert_eq!(d.to_json(), feed.decision(d.as_of).to_json());
    }
});
