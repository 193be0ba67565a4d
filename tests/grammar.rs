//! Grammar tests for the rules most likely to go wrong: keyword boundaries, reserved words,
//! clause ambiguity, windows, deadlines, precedence, recovery.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail loudly

use vigil::syntax::ast::{
    Action, Condition, Deadline, DeadlineAtom, Item, StepClause, Weekday, Window,
};
use vigil::syntax::{parse, parses, Found, Rule};

fn framework(body: &str) -> String {
    format!("framework \"T\" version 1 {{\n{body}\n}}")
}

fn only_item(body: &str) -> Item {
    let parsed = parse(&framework(body));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.document.unwrap().items.into_iter().next().unwrap()
}

fn first_step(body: &str) -> vigil::syntax::ast::Step {
    match only_item(&format!("pathway p on no_answer {{ {body} }}")) {
        Item::Pathway(p) => p
            .stages
            .into_iter()
            .next()
            .unwrap()
            .steps
            .into_iter()
            .next()
            .unwrap(),
        other => panic!("not a pathway: {other:?}"),
    }
}

#[test]
fn keywords_end_at_a_word_boundary() {
    assert!(parses(Rule::kw_role, "role"));
    assert!(!parses(Rule::kw_role, "roles"));
    assert!(parses(Rule::ident, "roles"));
    assert!(
        parses(Rule::ident, "end_of_shift"),
        "a reserved word may start a longer name"
    );
}

#[test]
fn reserved_words_are_not_names() {
    for word in [
        "by", "within", "end", "next", "after", "when", "closure", "to",
    ] {
        assert!(
            !parses(Rule::ident, word) || word.is_empty(),
            "`{word}` parsed as a name"
        );
    }
}

#[test]
fn by_a_time_is_a_deadline_and_by_a_name_is_a_role() {
    let step = first_step("step s: review records by manager by 17:00");
    assert!(matches!(&step.clauses[0], StepClause::Role(r) if r.name == "manager"));
    assert!(matches!(
        &step.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::ByClock(t, false, _))) if t.hour == 17
    ));
}

#[test]
fn end_of_day_and_working_day_deadlines_are_distinct() {
    let day = first_step("step s: review records by m by end of day");
    let working = first_step("step s: review records by m by end of working day");
    let next = first_step("step s: review records by m by next working day");
    let noon_next = first_step("step s: review records by m by 12:00 next working day");
    assert!(matches!(
        day.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::EndOfDay(_)))
    ));
    assert!(matches!(
        working.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::EndOfWorkingDay(_)))
    ));
    assert!(matches!(
        next.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::NextWorkingDay(_)))
    ));
    assert!(matches!(
        noon_next.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::ByClock(_, true, _)))
    ));
}

#[test]
fn earliest_of_two_deadlines() {
    let step =
        first_step("step s: review records by m earliest of (by end of working day, within 24h)");
    match &step.clauses[1] {
        StepClause::Deadline(Deadline::Pick { latest, a, b, .. }) => {
            assert!(!latest);
            assert!(matches!(a, DeadlineAtom::EndOfWorkingDay(_)));
            assert!(matches!(b, DeadlineAtom::Within(d, None, _) if d.digits == "24"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn within_can_be_anchored_on_a_step_or_event() {
    let step = first_step("step s: review records by m within 30m of arrived");
    assert!(matches!(
        &step.clauses[1],
        StepClause::Deadline(Deadline::Atom(DeadlineAtom::Within(_, Some(a), _))) if a.name == "arrived"
    ));
}

#[test]
fn and_binds_tighter_than_or() {
    let step = first_step("step s: check x by m when risk a or risk b and not out_of_hours");
    let StepClause::When(cond, _) = &step.clauses[1] else {
        panic!()
    };
    match cond {
        Condition::Or(parts) => {
            assert!(matches!(parts[0], Condition::Risk(_)));
            assert!(
                matches!(&parts[1], Condition::And(inner) if matches!(inner[1], Condition::Not(..)))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cascades_list_contacts_in_order() {
    let step = first_step("step s: contact sister then neighbour then key_holder by m");
    match step.action {
        Action::Contact(names, _) => {
            let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
            assert_eq!(names, ["sister", "neighbour", "key_holder"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn day_ranges_wrap_past_sunday() {
    match only_item("calendar c { Fri-Mon 20:00-07:00 }") {
        Item::Calendar(c) => match &c.windows[0] {
            Window::Daily { days, from, to, .. } => {
                assert_eq!(
                    days.days,
                    [Weekday::Fri, Weekday::Sat, Weekday::Sun, Weekday::Mon]
                );
                assert_eq!((from.hour, to.hour), (20, 7));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn span_windows_run_across_days() {
    match only_item("calendar weekend { Fri 17:00 to Mon 09:00 }") {
        Item::Calendar(c) => assert!(matches!(
            c.windows[0],
            Window::Span {
                from_day: Weekday::Fri,
                to_day: Weekday::Mon,
                ..
            }
        )),
        other => panic!("{other:?}"),
    }
}

#[test]
fn strings_resolve_escapes() {
    match only_item(r#"role r "The \"duty\" manager \\ on call""#) {
        Item::Role(r) => assert_eq!(r.display.value, r#"The "duty" manager \ on call"#),
        other => panic!("{other:?}"),
    }
}

#[test]
fn negative_durations_parse_for_the_checker_to_judge() {
    match only_item("immediately means -5m") {
        Item::Immediately(d, _) => assert!(d.negative),
        other => panic!("{other:?}"),
    }
}

#[test]
fn both_comment_styles_are_ignored() {
    let parsed = parse(&framework(
        "# hash comment\n// slash comment\nrole r \"R\" # trailing",
    ));
    assert!(parsed.errors.is_empty());
    assert_eq!(parsed.items().len(), 1);
}

#[test]
fn an_error_inside_a_block_is_reported_inside_it() {
    let parsed = parse(
        "protocol \"P\" under \"F\" version 1 {\n  contact s \"S\" family { basis consent }\n}",
    );
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].found, Found::Token("}".into()));
}

#[test]
fn parsing_resumes_at_the_next_item() {
    let src =
        framework("role a \"A\" covers\nrole b \"B\"\nthreshold x late 5 missed 10m\nrole c \"C\"");
    let parsed = parse(&src);
    assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
    let names: Vec<String> = parsed
        .items()
        .iter()
        .filter_map(|i| match i {
            Item::Role(r) => Some(r.name.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["b", "c"]);
}

#[test]
fn a_missing_closing_brace_is_reported_at_the_end() {
    let parsed = parse("framework \"T\" version 1 {\n role r \"R\"\n");
    assert_eq!(parsed.errors.len(), 1);
    assert!(parsed.errors[0]
        .message()
        .contains("`}` to close the document"));
}

#[test]
fn the_whole_file_rule_accepts_the_bundled_framework() {
    let text = std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap();
    assert!(parses(Rule::file, &text));
}

#[test]
fn governance_can_count_per_person_though_person_is_an_item_keyword() {
    let item = only_item(
        "governance { rule r: when consecutive 2 red_risk per person then notify x by y }",
    );
    assert!(matches!(item, Item::Governance(g) if g.rules.len() == 1));
}

#[test]
fn trees_that_differ_only_in_layout_compare_equal_and_spans_do_not() {
    let a = vigil::syntax::parse(r#"framework "A" version 1 { role lead "Lead" }"#);
    let b = vigil::syntax::parse("framework \"A\" version 1 {\n\n   role   lead   \"Lead\"\n}\n");
    let c = vigil::syntax::parse(r#"framework "A" version 1 { role lead "Leader" }"#);
    assert!(a.errors.is_empty() && b.errors.is_empty());
    assert_eq!(a.document, b.document, "layout is not structure");
    assert_ne!(a.document, c.document, "a changed display name is");
    let (da, db) = (a.document.unwrap(), b.document.unwrap());
    assert_ne!(
        da.span.span(),
        db.span.span(),
        "the spans themselves differ"
    );
}

#[test]
fn an_observations_line_names_a_group_before_a_colon_or_none() {
    match only_item("observations surroundings: lights_on, post_piling_up cite \"002 §20.1\"") {
        Item::Observations(o) => {
            assert_eq!(o.group.map(|g| g.name).as_deref(), Some("surroundings"));
            let names: Vec<String> = o.names.into_iter().map(|n| n.name).collect();
            assert_eq!(names, ["lights_on", "post_piling_up"]);
            assert!(o.cite.is_some());
        }
        other => panic!("not observations: {other:?}"),
    }
    match only_item("observations appears_unwell, fall_detector_alarm") {
        Item::Observations(o) => {
            assert!(o.group.is_none());
            assert_eq!(o.names.len(), 2);
        }
        other => panic!("not observations: {other:?}"),
    }
}

#[test]
fn a_communication_need_may_rule_out_methods_inside_a_calendar() {
    match only_item(
        "communication no_calls \"No calls at night\" rules out phone, video in night_time",
    ) {
        Item::Communication(n) => {
            assert_eq!(n.name.name, "no_calls");
            let methods: Vec<String> = n.rules_out.into_iter().map(|m| m.name).collect();
            assert_eq!(methods, ["phone", "video"]);
            assert_eq!(n.window.map(|w| w.name).as_deref(), Some("night_time"));
        }
        other => panic!("not a need: {other:?}"),
    }
    match only_item("communication uses_bsl \"Uses BSL\"") {
        Item::Communication(n) => assert!(n.rules_out.is_empty() && n.window.is_none()),
        other => panic!("not a need: {other:?}"),
    }
}

#[test]
fn vocabulary_words_start_items_so_they_are_not_names() {
    for word in ["observations", "communication", "results", "facts", "risks"] {
        assert!(!parses(Rule::ident, word), "`{word}` parsed as a name");
    }
    // An unfinished list stops at the next item instead of swallowing it.
    let parsed = parse(&framework("results red_risk,\n  facts key_safe"));
    assert!(!parsed.errors.is_empty());
}

#[test]
fn has_is_a_person_fact_and_a_condition() {
    let step = first_step("step s: check key_safe_contents by w when has key_safe");
    assert!(step.clauses.iter().any(|c| matches!(
        c,
        StepClause::When(Condition::Has(f), _) if f.name == "key_safe"
    )));
}

#[test]
fn an_exception_may_give_times_of_day_and_change_a_pathway() {
    // Items are placed by the checker, so the syntax reads an exception in any document.
    let item = only_item(
        "exception away \"Away\" from 2026-12-04 14:00 to 2026-12-06
           because \"agreed\" {
           suspend visits
           suspend pathway at_alert
           pathway no_response {
             replace step look with step call_son: contact son by support_worker within 5m
             suspend step wider_checks
           }
         }",
    );
    let Item::Exception(e) = item else {
        panic!("not an exception: {item:?}");
    };
    assert_eq!(e.from.time.map(|t| (t.hour, t.minute)), Some((14, 0)));
    assert_eq!(e.to.and_then(|t| t.time), None, "a date alone has no time");
    assert!(e.suspend_visits);
    assert_eq!(e.changes.len(), 3);
    match &e.changes[1] {
        vigil::syntax::ast::ExceptionChange::ReplaceStep { step, with, .. } => {
            assert_eq!(step.name, "look");
            assert_eq!(with.name.name, "call_son");
            assert!(matches!(with.action, Action::Contact(..)));
        }
        other => panic!("not a replacement: {other:?}"),
    }
}

#[test]
fn an_exception_with_no_end_parses_for_the_checker_to_report() {
    let item = only_item("exception away from 2026-12-04 14:00 because \"agreed\"");
    let Item::Exception(e) = item else {
        panic!("not an exception: {item:?}");
    };
    assert!(e.to.is_none());
}

#[test]
fn a_contact_class_reads_with_and_without_its_minimum() {
    match only_item(r#"class key_holders "Key holders" at least 3 cite "7.1""#) {
        Item::Class(c) => {
            assert_eq!(c.name.name, "key_holders");
            assert_eq!(c.at_least.map(|n| n.digits).as_deref(), Some("3"));
            assert_eq!(c.cite.map(|s| s.value).as_deref(), Some("7.1"));
        }
        other => panic!("not a class: {other:?}"),
    }
    match only_item(r#"class next_of_kin "Next of kin""#) {
        Item::Class(c) => assert!(c.at_least.is_none()),
        other => panic!("not a class: {other:?}"),
    }
    // `class` starts an item, so it is not a name (a half-written line cannot swallow it).
    assert!(!parses(Rule::ident, "class"));
    assert!(parses(Rule::ident, "classes"));
    // Once `at` is written, `least` and a number must follow.
    assert!(!parse(&framework(r#"class k "K" at 3"#)).errors.is_empty());
}

#[test]
fn a_contact_joins_classes_with_in_and_a_cascade_keeps_its_names_as_written() {
    let parsed = parse(
        r#"protocol "P" under "T" version 1 {
  contact warden "Warden" key_holder { in key_holders, next_of_kin  methods phone }
}"#,
    );
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    match parsed.items().first() {
        Some(Item::Contact(c)) => {
            let names: Vec<&str> = c.classes.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names, ["key_holders", "next_of_kin"]);
            assert!(c.repeated.is_empty());
        }
        other => panic!("not a contact: {other:?}"),
    }
    let step = first_step("step s: contact daughter then key_holders by manager within 30m");
    match step.action {
        Action::Contact(names, _) => {
            let names: Vec<&str> = names.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names, ["daughter", "key_holders"]);
        }
        other => panic!("not a cascade: {other:?}"),
    }
}

#[test]
fn working_time_deadlines() {
    let deadline = |s: &str| {
        first_step(&format!("step a: notify m by w {s}"))
            .clauses
            .into_iter()
            .find_map(|c| match c {
                StepClause::Deadline(d) => Some(d),
                _ => None,
            })
            .unwrap()
    };
    for (text, n) in [
        ("within 2 working days", "2"),
        ("within 1 working day", "1"),
    ] {
        assert!(
            matches!(deadline(text), Deadline::Atom(DeadlineAtom::WorkingDays(ref k, _)) if k.digits == n),
            "{text}"
        );
    }
    // A calendar after `of` reads as an anchor; the checker tells it from a step or event.
    assert!(matches!(
        deadline("within 24h of office_hours"),
        Deadline::Atom(DeadlineAtom::Within(_, Some(ref a), _)) if a.name == "office_hours"
    ));
    assert!(matches!(
        deadline("earliest of (within 2 working days, by end of working day)"),
        Deadline::Pick {
            a: DeadlineAtom::WorkingDays(..),
            b: DeadlineAtom::EndOfWorkingDay(_),
            ..
        }
    ));
    // `days` ends at a word boundary, and the unit-less number needs `working`.
    assert!(!parse(&framework(
        "pathway p on no_answer { step a: notify m by w within 2 working daysx }"
    ))
    .errors
    .is_empty());
    assert!(!parse(&framework(
        "pathway p on no_answer { step a: notify m by w within 2 days }"
    ))
    .errors
    .is_empty());
}
