//! `vigil explain`: the staff version, and the easy-read version held to each easy-read rule
//! for every shipped protocol.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use vigil::render::explain::{self, easy_read, easy_read_problems};

const FOLDERS: [&str; 3] = [
    "protocols/supported-living",
    "protocols/alarm-response",
    "protocols/welfare-calls",
];

/// Every person with a protocol gets an easy read that keeps every rule.
#[test]
fn every_shipped_easy_read_keeps_the_rules() {
    let mut people = 0;
    for dir in FOLDERS {
        let rs = common::rules_in(dir);
        for p in rs.persons() {
            let doc = easy_read(&rs, &p.id).unwrap();
            let problems = easy_read_problems(&doc, &rs, &p.id);
            assert!(problems.is_empty(), "{}:\n{}", p.id, problems.join("\n"));
            assert!(doc.blocks.len() >= 4, "{}", p.id);
            people += 1;
        }
    }
    assert!(people >= 15, "{people}");
}

/// A person who cannot use a phone is never told "we will phone you"; one whose protocol
/// tries the phone is told so.
#[test]
fn a_recorded_communication_need_is_respected() {
    let rs = common::rules_in("protocols/supported-living");
    let deaf = explain::to_text(&easy_read(&rs, "P-0421").unwrap());
    let words = deaf
        .split("Where each sentence comes from")
        .next()
        .unwrap()
        .to_lowercase();
    assert!(!words.contains("phone"), "{deaf}");
    assert!(words.contains("text messages"), "{deaf}");
    let other = explain::to_text(&easy_read(&rs, "P-0142").unwrap()).to_lowercase();
    assert!(other.contains("the phone"), "{other}");
}

/// Each rule catches what breaks it: a sentence put in by hand is reported.
#[test]
fn each_rule_catches_a_sentence_that_breaks_it() {
    let rs = common::rules_in("protocols/supported-living");
    let doc = easy_read(&rs, "P-0421").unwrap();
    let broken = |text: &str| {
        let mut d = doc.clone();
        let mut s = d.blocks[0].sentences[0].clone();
        s.text = text.to_string();
        d.blocks[0].sentences = vec![s];
        easy_read_problems(&d, &rs, "P-0421").join("\n")
    };
    assert!(broken(
        "We will visit you and then we will check your home and your garden and call your family."
    )
    .contains("words"));
    assert!(broken("We will visit you; we will call.").contains("more than one idea"));
    assert!(broken("The door is checked.").contains("neither"));
    assert!(broken("You will be told by the manager.").contains("passive"));
    assert!(broken("We will call your GP.").contains("acronym"));
    assert!(broken("We will call the Duty Manager.").contains("capital"));
    assert!(broken("We visit you at 18:30.").contains("24-hour"));
    assert!(broken("We visit you at 8:30 GMT in the morning.").contains("time zone"));
    assert!(broken("We come 10 to 15 minutes late.").contains("range"));
    assert!(broken("We reach you 90% of the time.").contains("percentage"));
    assert!(broken("We will phone you.").contains("cannot use a phone"));
    let fine = broken("We visit you at 8:30 in the morning.");
    assert!(fine.is_empty(), "{fine}");
    let mut d = doc.clone();
    d.blocks[0].sentences = d
        .blocks
        .iter()
        .flat_map(|b| b.sentences.clone())
        .take(6)
        .collect();
    assert!(easy_read_problems(&d, &rs, "P-0421")
        .join("\n")
        .contains("at most 5"));
    let mut d = doc.clone();
    d.notice.clear();
    assert!(easy_read_problems(&d, &rs, "P-0421")
        .join("\n")
        .contains("draft"));
}

/// The HTML page: sans-serif at 16 points or more, line height 1.5, black on white, no
/// italics or underlining, a picture with alt text beside each block's words.
#[test]
fn the_easy_read_page_is_laid_out_as_the_guidance_asks() {
    let rs = common::rules_in("protocols/supported-living");
    let page = explain::to_html(&easy_read(&rs, "P-0644").unwrap());
    assert!(page.contains("font-family:Arial,Helvetica,sans-serif"));
    let size: u32 = page
        .split("font-size:")
        .nth(1)
        .unwrap()
        .split("pt")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(size >= 16, "{size}");
    assert!(page.contains("line-height:1.5") && page.contains("color:#000;background:#fff"));
    for tag in [
        "<i>",
        "<em>",
        "<u>",
        "text-transform:uppercase",
        "text-decoration:underline",
    ] {
        assert!(!page.contains(tag), "{tag}");
    }
    let blocks = page.matches("<div class=\"block\">").count();
    assert_eq!(
        blocks,
        page.matches("<title>").count() - 1,
        "one picture per block"
    );
    insta::assert_snapshot!("explain_p0644_person_html", page);
}

#[test]
fn the_versions_of_real_protocols() {
    let rs = common::rules_in("protocols/supported-living");
    insta::assert_snapshot!(
        "explain_p0421_person_text",
        explain::to_text(&easy_read(&rs, "P-0421").unwrap())
    );
    let v = vigil::render::show::view(&rs, Some("P-0142"), None).unwrap();
    insta::assert_snapshot!(
        "explain_p0142_staff_markdown",
        explain::to_markdown(&explain::for_staff(&v))
    );
}

/// The easy read never promises what the protocol does only sometimes: a step on a branch
/// ("if her mother does not answer, the key holders"), or after one, is said "If needed", and
/// a hand-over names the plan it starts. P-0720's calls to her mother and her key holders, and
/// the hand-over to her missing-person pathway, are each on a branch.
#[test]
fn steps_on_a_branch_are_said_if_needed() {
    let rs = common::rules_in("protocols/supported-living");
    let text = explain::to_text(&easy_read(&rs, "P-0720").unwrap());
    for line in [
        "If needed, we will contact your mother.",
        "If needed, we will contact your housing officer.",
        "If needed, we will start our missing person plan.",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(!text.contains("If needed, if"), "{text}");
    assert!(!text.contains("stay with you"), "{text}");
}

/// What a step checks or reviews decides its words: P-0142's dose check is not "looking at
/// your home from outside", and her continuity review (`assess risk` within 90 minutes) is
/// not "looking at your notes", with no time.
#[test]
fn checks_and_reviews_say_what_they_are() {
    let rs = common::rules_in("protocols/supported-living");
    let text = explain::to_text(&easy_read(&rs, "P-0142").unwrap());
    for line in [
        "If needed, we will check your dose status within 30 minutes.",
        "If needed, we will think about how safe you are within 90 minutes.",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

/// The easy read says when each contact may be tried, from the pathways that reach them: a
/// contact only a refusal's hand-over reaches is never "if we cannot find you", and a missed
/// visit is the worker not coming, not the person lost.
#[test]
fn a_contact_is_told_the_situations_it_is_tried_in() {
    let fw = r#"
framework "Situations" version 1 {
  role worker "Worker"
  role manager "Manager" covers worker
  agency asc "Adult social care" statutory
  threshold standard late 15m missed 30m
  decision risk "At risk?" outcomes at_risk, not_at_risk
  pathway no_response on no_answer {
    step tell: notify manager by worker within 15m
    step out: escalate to asc by manager within 1h
  }
  pathway refusal on refusal {
    step judge: decide risk by worker within 15m
    step worried: hand over to refusal_at_risk by worker after judge if at_risk, overdue
  }
  pathway refusal_at_risk on hand_over {
    step family: notify manager by worker within 15m
  }
  pathway missed on missed_visit {
    step tell: notify manager by worker within 15m
  }
  trigger missing "Reported missing" {
    safety unconfirmed
  }
  pathway search on missing {
    step tell: notify manager by worker within 15m
    step out: escalate to asc by manager within 1h
  }
}
"#;
    let protocol = r#"
protocol "P-1" under "Situations" version 1 {
  person {
    capacity full "assessed 2026-06-01"
  }
  contact sister "Sister" family {
    basis consent "agreed at the review on 2026-06-01"
  }
  contact gp "GP practice" gp {
  }
  pathway refusal_at_risk {
    step call: contact sister by manager within 30m
  }
  pathway missed {
    step doctor: contact gp by manager within 30m
  }
  contact friend "Friend" friend {
    basis consent "agreed at the review on 2026-06-01"
  }
  pathway search {
    step ask: contact friend by manager within 30m
  }
}
"#;
    let rs = vigil::compile(&[
        vigil::Source::new("f.vigil", fw),
        vigil::Source::new("p.vigil", protocol),
    ])
    .expect("the rules check");
    let doc = easy_read(&rs, "P-1").unwrap();
    assert!(easy_read_problems(&doc, &rs, "P-1").is_empty());
    let text = explain::to_text(&doc);
    assert!(
        text.contains("If you say no to your support, we may contact your sister."),
        "{text}"
    );
    assert!(
        text.contains("If we miss a visit to you, we may contact your doctor's practice."),
        "{text}"
    );
    // A declared trigger written `safety unconfirmed` is not finding the person.
    assert!(
        text.contains("If we cannot find you, we may contact your friend."),
        "{text}"
    );
    assert!(
        !text.contains("If we cannot find you, we may contact your sister"),
        "{text}"
    );
}

/// Each step is said as what it is (found by a docs-only tester on the alarm-response
/// protocols): a notice to the mobile responder tells the responder, not "our manager"; the
/// operator staying on the line is "we will not leave until help arrives", not "we will stay
/// at your home"; a check named by when it is made is not "your on arrival".
#[test]
fn alarm_response_steps_are_said_as_they_are() {
    let rs = common::rules_in("protocols/alarm-response");
    let text = explain::to_text(&easy_read(&rs, "A-0101").unwrap());
    for said in [
        "we will tell our mobile responder",
        "we will check on arrival",
        "we will not leave until help arrives",
    ] {
        assert!(text.to_lowercase().contains(said), "{said}:\n{text}");
    }
    for wrong in ["stay at your home", "check your on arrival"] {
        assert!(!text.contains(wrong), "{wrong}:\n{text}");
    }
}

/// An agreed exception and a known absence are said with their ends (found by a docs-only
/// tester: "we know you are away from Tuesday 1 December" read as for good).
#[test]
fn absences_and_exceptions_are_said_with_their_ends() {
    let rs = common::rules_in("protocols/supported-living");
    let hospital = explain::to_text(&easy_read(&rs, "P-0142").unwrap());
    assert!(
        hospital.contains("We know you are away from Tuesday 1 December."),
        "{hospital}"
    );
    assert!(
        hospital.contains("You will be away until Monday 14 December."),
        "{hospital}"
    );
    let prayers = explain::to_text(&easy_read(&rs, "P-0308").unwrap());
    assert!(
        prayers.contains("We know you are often out on Friday."),
        "{prayers}"
    );
    assert!(
        prayers.contains("You are out from 12 noon to 2:30 in the afternoon."),
        "{prayers}"
    );
}
