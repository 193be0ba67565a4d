//! Contact classes: a framework names "the key holders", each protocol says who they are, and
//! a cascade tries them in protocol order, each contact once. What the checker accepts and
//! refuses (framework and protocol rules, E042, W010, the stage and basis rules for members a
//! class brings), what the words say, and what discharges a cascade over classes.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // tests fail loudly

use vigil::check::check;
use vigil::eval::Status;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

/// A framework whose no-answer ladder reaches the next of kin, then the key holders.
const FRAMEWORK: &str = r#"
framework "Classes" version 1 {
  immediately means 5m
  role support_worker "Support worker"
  role manager "Manager" covers support_worker
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  threshold routine late 15m missed 30m
  red_flags person_seen_on_floor
  class next_of_kin "Next of kin"
  class key_holders "Key holders" cite "Policy 7.1"
  pathway no_response on no_answer {
    stage checks {
      step tell: notify manager by support_worker within 15m
    }
    stage wider_contact {
      step family: contact next_of_kin then key_holders by manager within 30m
    }
    stage external {
      step out: escalate to adult_social_care by manager within 1h
    }
  }
  pathway emergency on red_flag {
    step call_999: escalate to emergency_services by support_worker immediately
  }
}
"#;

/// A protocol putting the daughter among the next of kin, and Jim and the warden (in that
/// order) among the key holders.
const PROTOCOL: &str = r#"
protocol "P-1" under "Classes" version 1 {
  person { capacity full "assessed 2026-09-14" }
  contact jim "Jim Brown" key_holder { in key_holders }
  contact daughter "Daughter" family {
    basis consent "agreed by the person on 2026-09-14"
    in next_of_kin
  }
  contact warden "Warden" key_holder { in key_holders }
}
"#;

/// The codes and messages of every finding for a framework and a protocol.
fn findings(framework: &str, protocol: &str) -> Vec<(String, String, String)> {
    let mut sources = vec![Source::new("f.vigil", framework)];
    if !protocol.is_empty() {
        sources.push(Source::new("p.vigil", protocol));
    }
    check(&sources)
        .diagnostics
        .iter()
        .map(|d| {
            let file = if d.file == 0 { "f" } else { "p" };
            (
                d.code.as_str().to_string(),
                file.to_string(),
                d.message.clone() + " | " + &d.help,
            )
        })
        .collect()
}

/// The codes found, in order.
fn codes(framework: &str, protocol: &str) -> Vec<String> {
    findings(framework, protocol)
        .into_iter()
        .map(|(c, _, _)| c)
        .collect()
}

fn rules(protocol: &str) -> vigil::rules::RuleSet {
    vigil::compile(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", protocol),
    ])
    .unwrap_or_else(|e| panic!("rules check: {:?}", e.findings))
}

/// The words of step `step` for `person` (`""`: a person with no protocol).
fn summary(rs: &vigil::rules::RuleSet, person: &str, step: &str) -> String {
    rs.person(person)
        .pathways
        .iter()
        .flat_map(|p| p.steps.iter())
        .find(|s| s.name == step)
        .map(|s| s.summaries[0].to_string())
        .unwrap_or_else(|| panic!("no step `{step}`"))
}

/// Who a step's cascade tries for `person`, by contact name.
fn tried(rs: &vigil::rules::RuleSet, person: &str, step: &str) -> Vec<String> {
    let rules = rs.person(person);
    let step = rules
        .pathways
        .iter()
        .flat_map(|p| p.steps.iter())
        .find(|s| s.name == step)
        .unwrap_or_else(|| panic!("no step `{step}`"));
    let vigil::rules::ActionDef::Contact(items) = &step.action else {
        panic!("not a cascade");
    };
    rules
        .cascade(items)
        .iter()
        .map(|c| rules.contacts[c.index()].name.clone())
        .collect()
}

#[test]
fn a_framework_cascade_reads_each_class_with_the_persons_members_in_protocol_order() {
    let rs = rules(PROTOCOL);
    assert_eq!(tried(&rs, "P-1", "family"), ["daughter", "jim", "warden"]);
    assert_eq!(
        summary(&rs, "P-1", "family"),
        "Contact the next of kin (Daughter), then the key holders (Jim Brown, Warden)"
    );
}

#[test]
fn a_person_with_no_protocol_has_nobody_in_any_class() {
    let rs = rules(PROTOCOL);
    assert!(tried(&rs, "P-2", "family").is_empty());
    assert_eq!(
        summary(&rs, "P-2", "family"),
        "Contact the next of kin (none recorded), then the key holders (none recorded)"
    );
    // The framework alone is clean: W010 is about a protocol's people.
    assert!(codes(FRAMEWORK, "").is_empty());
}

#[test]
fn contacts_and_classes_mix_and_a_contact_is_tried_once_in_its_first_place() {
    let protocol = PROTOCOL.replace(
        "\n}\n",
        r#"
  pathway no_response {
    stage wider_contact {
      step keys_first: contact warden then key_holders then daughter then warden
           by manager within 30m
    }
  }
}
"#,
    );
    let rs = rules(&protocol);
    assert_eq!(
        tried(&rs, "P-1", "keys_first"),
        ["warden", "jim", "daughter"]
    );
    assert_eq!(
        summary(&rs, "P-1", "keys_first"),
        "Contact Warden, then the key holders (Jim Brown), then Daughter"
    );
    // A class that brings no one new still shows, so the reader sees it added nobody.
    let protocol = PROTOCOL.replace(
        "\n}\n",
        r#"
  pathway no_response {
    stage wider_contact {
      step again: contact jim then warden then key_holders by manager within 30m
    }
  }
}
"#,
    );
    assert_eq!(
        summary(&rules(&protocol), "P-1", "again"),
        "Contact Jim Brown, then Warden, then the key holders (no one else)"
    );
    // Contacts alone read as they always have.
    let protocol = PROTOCOL.replace(
        "\n}\n",
        r#"
  pathway no_response {
    stage wider_contact {
      step named: contact daughter then jim by manager within 30m
    }
  }
}
"#,
    );
    assert_eq!(
        summary(&rules(&protocol), "P-1", "named"),
        "Contact Daughter (then Jim Brown)"
    );
}

/// No answer at 10:00 on Tuesday 24 November 2026 for P-1, then `more`; the decision at `at`.
fn decision(more: &str, at: &str) -> vigil::eval::Decision {
    let rs = rules(PROTOCOL);
    let text = format!(
        "events:\n  - {{ id: plan, at: \"2026-11-24T08:00:00Z\", person: P-1, kind: visit_planned, visit: V1, planned: \"2026-11-24T10:00:00Z\", criticality: routine }}\n  - {{ id: na, at: \"2026-11-24T10:00:00Z\", person: P-1, visit: V1, kind: no_answer, by: support_worker }}\n{more}"
    );
    let tl = Timeline::load(&text, Format::Yaml, "t.yaml", &rs).expect("timeline loads");
    rs.evaluate(&tl, at.parse().expect("instant"))
}

fn family(d: &vigil::eval::Decision) -> &vigil::eval::Obligation {
    d.obligations
        .iter()
        .find(|o| o.id.ends_with("/family"))
        .unwrap_or_else(|| panic!("no family duty in {:#?}", d.obligations))
}

#[test]
fn a_member_a_class_brings_does_the_cascade() {
    let d = decision(
        "  - { id: c1, at: \"2026-11-24T10:05:00Z\", person: P-1, kind: contact_made, contact: daughter, outcome: no_answer, by: manager }\n  - { id: c2, at: \"2026-11-24T10:09:00Z\", person: P-1, kind: contact_made, contact: warden, outcome: reached, by: manager }\n",
        "2026-11-24T10:10:00Z",
    );
    assert_eq!(family(&d).status, Status::Done);
}

#[test]
fn the_words_of_a_cascade_over_classes_name_who_is_next() {
    let d = decision(
        "  - { id: c1, at: \"2026-11-24T10:05:00Z\", person: P-1, kind: contact_made, contact: daughter, outcome: no_answer, by: manager }\n",
        "2026-11-24T10:06:00Z",
    );
    let duty = family(&d);
    assert_eq!(duty.status, Status::Due);
    let reasons = duty.because.join("\n");
    assert!(reasons.contains("next: Jim Brown"), "{reasons}");
}

#[test]
fn a_class_is_declared_in_a_framework_once_with_a_sensible_minimum() {
    let protocol_class = PROTOCOL.replace("\n}\n", "\n  class friends \"Friends\"\n}\n");
    assert_eq!(codes(FRAMEWORK, &protocol_class), ["E002"]);
    let twice = FRAMEWORK.replace(
        "class next_of_kin \"Next of kin\"",
        "class next_of_kin \"Next of kin\"\n  class next_of_kin \"Family\"",
    );
    assert_eq!(codes(&twice, ""), ["E004"]);
    for (n, want) in [("0", vec!["E010"]), ("101", vec!["E010"]), ("100", vec![])] {
        let fw = FRAMEWORK.replace(
            "class next_of_kin \"Next of kin\"",
            &format!("class next_of_kin \"Next of kin\" at least {n}"),
        );
        assert_eq!(codes(&fw, ""), want, "at least {n}");
    }
}

#[test]
fn a_contacts_classes_are_checked_by_name_and_given_once() {
    // Jim, in no class now, would also be never contacted, but that W002 is only the
    // misspelling's echo: unused-declaration warnings wait until the rules check clean.
    let misspelt = PROTOCOL.replacen("{ in key_holders }", "{ in key_holdrs }", 1);
    let found = findings(FRAMEWORK, &misspelt);
    let got: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(got, ["E003"], "{found:?}");
    assert!(
        found[0].2.contains("did you mean `key_holders`?"),
        "{found:?}"
    );

    let in_twice = PROTOCOL.replacen(
        "{ in key_holders }",
        "{ in key_holders  in next_of_kin }",
        1,
    );
    assert_eq!(codes(FRAMEWORK, &in_twice), ["E004"]);
    let listed_twice =
        PROTOCOL.replacen("{ in key_holders }", "{ in key_holders, key_holders }", 1);
    assert_eq!(codes(FRAMEWORK, &listed_twice), ["E004"]);
    let same_name = PROTOCOL.replace("contact jim \"Jim", "contact key_holders \"Jim");
    assert_eq!(codes(FRAMEWORK, &same_name), ["E004"]);
}

#[test]
fn a_framework_cascade_names_classes_only() {
    let contact = FRAMEWORK.replace("contact next_of_kin then", "contact daughter then");
    let found = findings(&contact, "");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "E002");
    assert!(found[0].2.contains("declare a contact class"), "{found:?}");

    let misspelt = FRAMEWORK.replace("contact next_of_kin then", "contact next_of_kn then");
    let found = findings(&misspelt, "");
    assert_eq!(found[0].0, "E003");
    assert!(
        found[0].2.contains("did you mean `next_of_kin`?"),
        "{found:?}"
    );

    let governance = FRAMEWORK.replace(
        "\n}\n",
        "\n  governance {\n    rule keys: when unresolved beyond same day then contact key_holders by manager within 1h\n  }\n}\n",
    );
    assert_eq!(codes(&governance, ""), ["E002"]);
}

#[test]
fn a_protocol_cascade_names_its_contacts_or_classes() {
    let protocol = PROTOCOL.replace(
        "\n}\n",
        r#"
  pathway no_response {
    stage wider_contact {
      step keys: contact warde then key_holders by manager within 30m
    }
  }
}
"#,
    );
    let found = findings(FRAMEWORK, &protocol);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "E003");
    assert!(
        found[0]
            .2
            .contains("unknown contact or contact class `warde`")
            && found[0].2.contains("did you mean `warden`?"),
        "{found:?}"
    );
}

#[test]
fn every_protocol_is_held_to_a_class_minimum_whether_or_not_a_step_names_it() {
    let fw = FRAMEWORK.replace(
        "class key_holders \"Key holders\"",
        "class friends \"Friends\" at least 1 cite \"Policy 7.2\"\n  class key_holders \"Key holders\" at least 3",
    );
    let found = findings(&fw, PROTOCOL);
    let got: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(got, ["E042", "E042"], "{found:?}");
    assert!(found.iter().all(|(_, file, _)| file == "p"));
    assert!(found.iter().any(|(_, _, m)| m.contains(
        "puts 2 contacts in class `key_holders`, but the framework requires at least 3"
    )));
    assert!(found
        .iter()
        .any(|(_, _, m)| m.contains("puts no contact in class `friends`")));
    let enough = PROTOCOL.replace("{ in key_holders }", "{ in key_holders, friends }");
    let enough = enough.replace(
        "\n}\n",
        "\n  contact porter \"Porter\" key_holder { in key_holders }\n}\n",
    );
    assert!(
        codes(&fw, &enough).is_empty(),
        "{:?}",
        findings(&fw, &enough)
    );
}

#[test]
fn a_cascade_with_nobody_in_it_for_this_person_is_a_warning_in_the_protocol() {
    let nobody = r#"
protocol "P-3" under "Classes" version 1 {
  contact porter "Porter" housing
  pathway no_response {
    stage external {
      step porter: contact porter by manager within 1h
    }
  }
}
"#;
    let found = findings(FRAMEWORK, nobody);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, file, message) = &found[0];
    assert_eq!((code.as_str(), file.as_str()), ("W010", "p"));
    assert!(
        message.contains(
            "the framework's step `family` contacts classes `next_of_kin` and `key_holders`"
        ),
        "{message}"
    );
    // A warning: the rule set is still built, and the cascade runs out at once.
    assert!(vigil::compile(&[Source::new("f", FRAMEWORK), Source::new("p", nobody)]).is_ok());
}

#[test]
fn the_stage_rule_holds_for_every_member_a_class_brings() {
    let protocol = PROTOCOL.replace(
        "contact warden \"Warden\" key_holder { in key_holders }",
        "contact warden \"Warden\" key_holder { in key_holders  from stage external }",
    );
    let found = findings(FRAMEWORK, &protocol);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, file, message) = &found[0];
    assert_eq!((code.as_str(), file.as_str()), ("E021", "p"));
    assert!(
        message.contains(
            "the framework's step `family` contacts `warden` (in class `key_holders`) at stage `wider_contact`, before the stage `external`"
        ),
        "{message}"
    );
    assert!(
        message.contains("take `warden` out of class `key_holders`"),
        "{message}"
    );
}

#[test]
fn the_basis_rule_holds_for_every_member_a_class_brings() {
    let protocol = PROTOCOL.replace(
        "contact warden \"Warden\" key_holder { in key_holders }",
        "contact warden \"Warden\" other { basis attorney_property_finance \"registered 2024\"  in key_holders }",
    );
    let rs = check(&[
        Source::new("f.vigil", FRAMEWORK),
        Source::new("p.vigil", protocol.as_str()),
    ]);
    let e034: Vec<_> = rs
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E034")
        .collect();
    assert_eq!(e034.len(), 1, "{:?}", rs.diagnostics);
    // Pointing at the framework's step that reaches the warden through the class.
    assert!(e034[0]
        .related
        .iter()
        .any(|l| l.file == 0 && l.text == "contacted here"));
}

#[test]
fn a_contact_reached_only_through_a_class_is_contacted() {
    // Jim is contacted only as a key holder: no W002. A contact in a class no step names is.
    let protocol = PROTOCOL.replace(
        "\n}\n",
        "\n  contact friend \"Friend\" friend { basis consent \"agreed 2026-09-14\" }\n}\n",
    );
    let found = findings(FRAMEWORK, &protocol);
    let got: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(got, ["W002"], "{found:?}");
    assert!(found[0].2.contains("`friend`"));
}
