//! The pictures Vigil draws itself (SVG): a person's ladders and a decision on a time axis.
//! Their text is pinned here; each was rendered to PNG (rsvg-convert) and checked by eye when
//! written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use vigil::render::{show, svg};
use vigil::timeline::{Format, Timeline};

/// Every `<` opens a tag that closes, in order: enough to catch a broken picture.
fn balanced(svg: &str) {
    let mut open: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') && !tag.starts_with('?') {
            open.push(tag.split_whitespace().next().unwrap().to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "{open:?}");
}

#[test]
fn a_ladder_drawn() {
    let ar = common::rules_in("protocols/alarm-response");
    let v = show::view(&ar, Some("A-0102"), None).unwrap();
    let picture = svg::ladder(&v);
    balanced(&picture);
    // Every step is drawn, the emergency override in its own colour, branches labelled.
    for p in &v.pathways {
        for s in &p.steps {
            assert!(picture.contains(&format!(". {}<", s.name)), "{}", s.name);
        }
    }
    assert!(picture.contains("(the emergency override)") && picture.contains("#b00020"));
    assert!(picture.contains(">needed<") && picture.contains(">not_needed<"));
    insta::assert_snapshot!("svg_a0102_ladder", picture);
}

#[test]
fn an_episode_drawn() {
    let rs = common::rules_in("protocols/supported-living");
    let text = std::fs::read_to_string("examples/no-response-ladder.yaml").unwrap();
    let tl = Timeline::load(&text, Format::Yaml, "t", &rs).unwrap();
    let d = rs.evaluate(&tl, "2026-11-25T10:30:00Z".parse().unwrap());
    let picture = svg::timeline(&d, &rs, &tl);
    balanced(&picture);
    assert!(picture.contains(">now 10:30 Wed 25 Nov<"));
    assert!(
        picture.contains(">done 10:25 Wed 25 Nov<") && picture.contains(">due 10:55 Wed 25 Nov<")
    );
    // The agency contacted at 11:00 is after as_of: not drawn.
    assert!(!picture.contains("agency_contacted at"), "{picture}");
    insta::assert_snapshot!("svg_no_response_ladder_1030", picture);
}
