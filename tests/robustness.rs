//! Bad input never panics: arbitrary text, and the bundled documents cut and spliced at random,
//! always come back as findings located inside the text.
#![allow(clippy::unwrap_used)]

mod common;

use proptest::prelude::*;
use vigil::check::check;
use vigil::Source;

fn framework() -> String {
    std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap()
}

/// The decision at `at` on a JSON timeline that must load.
fn decide_json(rules: &vigil::rules::RuleSet, json: &str, at: &str) -> vigil::eval::Decision {
    let timeline =
        vigil::timeline::Timeline::load(json, vigil::timeline::Format::Json, "t.json", rules)
            .unwrap();
    rules.evaluate(&timeline, at.parse().unwrap())
}

fn assert_located(texts: &[String]) {
    let sources: Vec<Source> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Source::new(format!("f{i}.vigil"), t.clone()))
        .collect();
    let checked = check(&sources);
    for d in &checked.diagnostics {
        let len = texts[d.file].len();
        assert!(
            d.span.start <= d.span.end && d.span.end <= len,
            "{d:?} outside {len}"
        );
        assert!(!d.message.is_empty() && !d.help.is_empty(), "{d:?}");
        for l in &d.related {
            assert!(l.span.end <= texts[l.file].len(), "{l:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_is_a_finding_not_a_panic(text in "\\PC{0,400}") {
        assert_located(&[text]);
    }

    #[test]
    fn cut_framework_text_is_located(cut in 0usize..12_000, len in 0usize..400) {
        let fw = framework();
        let mut at = cut.min(fw.len());
        while !fw.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(fw.len());
        while !fw.is_char_boundary(end) { end -= 1; }
        let spliced = format!("{}{}", &fw[..at], &fw[end..]);
        assert_located(&[spliced]);
    }

    #[test]
    fn repeated_punctuation_and_keywords_are_located(
        words in proptest::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("("), Just(")"), Just("step"), Just("when"),
                Just("not"), Just("within"), Just("5m"), Just("by"), Just("\""), Just(":"),
                Just("pathway"), Just("x"), Just("on"), Just("and"),
            ],
            0..300,
        )
    ) {
        let body = words.join(" ");
        assert_located(&[format!("framework \"F\" version 1 {{ {body} }}")]);
    }
}

#[test]
fn deeply_nested_brackets_are_a_finding_not_a_stack_overflow() {
    for depth in [64, 65, 500, 5_000] {
        let cond = format!("{}out_of_hours{}", "(".repeat(depth), ")".repeat(depth));
        let text = format!(
            "framework \"F\" version 1 {{ pathway p on no_answer {{ step s: check x by r when {cond} }} }}"
        );
        assert_located(&[text]);
    }
}

#[test]
fn a_finding_on_a_very_long_line_renders_without_a_snippet() {
    let text = format!(
        "framework \"F\" version 1 {{ role r \"{}\" role r \"again\" }}",
        "x".repeat(70_000)
    );
    let sources = vec![Source::new("long.vigil", text)];
    // Past the limit on line length, the file is not read at all (E048).
    assert_eq!(check(&sources).diagnostics[0].code.as_str(), "E048");
    let mut limits = vigil::Limits::default();
    limits.line_chars = 100_000;
    let checked = vigil::check::check_within(&sources, &limits);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E004")
        .unwrap();
    let shown = vigil::render::diagnostics::to_text(d, &sources);
    assert!(shown.contains("long.vigil:1:"), "{shown}");
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let checked = check(&[Source::new(
        "bom.vigil",
        "\u{feff}framework \"F\" version 1 { }",
    )]);
    assert!(
        checked
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() != "E001"),
        "{:?}",
        checked.diagnostics
    );
}

/// A ladder where each step waits for and counts from the one before: 1,000 steps. The
/// checker's worst case and the evaluator's timings are each worked out once per step, so this
/// checks and evaluates in time proportional to its length (it once took exponential time).
#[test]
fn a_thousand_step_chain_checks_proves_its_floor_and_evaluates() {
    let n = 1000;
    let mut steps = vec!["    step s0: notify manager by support_worker within 1m".to_string()];
    for i in 1..n {
        steps.push(format!(
            "    step s{i}: notify manager by support_worker within 1m of s{} after s{}",
            i - 1,
            i - 1
        ));
    }
    let framework = format!(
        r#"framework "Chain" version 1 {{
  immediately means 5m
  role support_worker "Support worker"
  role duty_manager "Duty manager" covers support_worker
  role on_call_manager "On-call manager" covers support_worker
  calendar office_hours "Office hours" {{ Mon-Fri 08:00-18:00 }}
  alias manager "The manager" is duty_manager in office_hours otherwise on_call_manager
  agency emergency_services "Emergency services (999)" emergency
  agency adult_social_care "Adult social care" statutory
  red_flags person_seen_on_floor
  threshold routine late 15m missed 30m after planned start
  floors {{
    require external_escalation
    require emergency_override
  }}
  pathway no_response on no_answer {{
{}
    step out: escalate to adult_social_care by manager within 1h after s{}
  }}
  pathway emergency on red_flag {{
    step call_999: escalate to emergency_services by support_worker immediately
    step tell: notify manager by support_worker immediately
  }}
}}"#,
        steps.join("\n"),
        n - 1
    );
    // The floor is proved along the whole chain: each step reached by done or overdue alike
    // is played once, not once per way of reaching it (2^1000).
    let rules = vigil::compile(&[Source::new("chain.vigil", framework)]).unwrap();
    let decision = decide_json(
        &rules,
        r#"{"events": [
            {"id": "plan", "at": "2026-11-24T12:00:00Z", "person": "P-1", "kind": "visit_planned",
             "visit": "V1", "planned": "2026-11-24T22:00:00Z", "criticality": "routine"},
            {"id": "na", "at": "2026-11-24T22:00:00Z", "person": "P-1", "visit": "V1",
             "kind": "no_answer", "by": "support_worker"}]}"#,
        "2026-11-25T03:00:00Z",
    );
    // Nobody acts: each step falls due a minute after the one before went overdue, so step
    // 299 is due at 03:00, five hours after the 22:00 no-answer.
    let s299 = decision
        .obligations
        .iter()
        .find(|o| o.id.ends_with("/s299"))
        .unwrap();
    assert_eq!(s299.due_local.as_deref(), Some("2026-11-25T03:00:00+00:00"));
}

/// Thousands of steps side by side in one stage, and thousands of branches after one step,
/// check and evaluate: the floors' proofs found each step's followers by a scan of every
/// step and proved each notice on its own (4,000 notices: 117 s), and the evaluator looked
/// through every step for each step's branches.
#[test]
fn thousands_of_steps_side_by_side_check_and_evaluate() {
    let n = 3_000;
    let protocol =
        std::fs::read_to_string("protocols/supported-living/p-0308-prayers.vigil").unwrap();
    let mut steps = String::new();
    for i in 0..n {
        steps.push_str(&format!(
            "      step x{i}: notify manager by support_worker within {}m\n",
            i % 50 + 1
        ));
    }
    steps.push_str("      step y0: notify manager by support_worker within 10m\n");
    for i in 1..n {
        steps.push_str(&format!(
            "      step y{i}: notify manager by support_worker within 10m after y0 {}\n",
            match i {
                1 => "if overdue",
                2 => "otherwise",
                _ => "",
            }
        ));
    }
    let protocol = protocol.replacen(
        "    stage wider_contact {\n",
        &format!("    stage wider_contact {{\n{steps}"),
        1,
    );
    let sources = [
        Source::new("framework.vigil", framework()),
        Source::new("p.vigil", protocol),
    ];
    let checked = check(&sources);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity() == vigil::check::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let rules = vigil::compile(&sources).unwrap();
    let decision = decide_json(
        &rules,
        r#"{"events": [
            {"id": "na", "at": "2026-11-24T22:00:00Z", "person": "P-0308",
             "kind": "no_answer", "by": "support_worker"}]}"#,
        "2026-11-25T03:00:00Z",
    );
    assert!(
        decision.obligations.len() > 2 * n,
        "{}",
        decision.obligations.len()
    );
}

/// A person refusing support thousands of times (a pattern pathway counts refusals within a
/// week; every refusal is an episode) is evaluated and listed in time that grows with the
/// log: each refusal counted the refusals before it, each episode looked for what closes it
/// from its trigger on, and the duty list compared each line with every other (5,000
/// refusals: 35 s; 80,000: minutes).
#[test]
fn thousands_of_refusals_are_evaluated_and_listed() {
    let n = 3_000;
    let mut log = String::from("{\"as_of\": \"2026-11-06T12:00:00Z\"}\n");
    let start: vigil::time::Instant = "2026-11-01T00:00:00Z".parse().unwrap();
    for i in 0..n {
        let at = start + chrono::Duration::minutes(2 * i);
        log.push_str(&format!(
            "{{\"id\": \"r{i}\", \"at\": \"{}\", \"person\": \"P-0308\", \"kind\": \"refusal\", \"by\": \"support_worker\", \"reason\": \"no\"}}\n",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    let path = std::env::temp_dir().join(format!("vigil-refusals-{}.ndjson", std::process::id()));
    std::fs::write(&path, log).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["eval", "protocols/supported-living", "--timeline"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    // Overdue duties: exit 3, and one line for each refusal's first step at least.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.lines().count() > n as usize,
        "{} lines",
        text.lines().count()
    );
}

/// A person with thousands of no-response episodes, each closed minutes after it opens, with
/// one phone call in each: each episode's attempts duty is done by the next episodes' calls,
/// and once done read no further (it read every later call of the person, for each episode:
/// 20,000 episodes took 5.8 s, now 2.3 s, in a release build).
#[test]
fn thousands_of_closed_episodes_with_attempts_are_evaluated() {
    let n = 2_000;
    let mut log = String::from("{\"as_of\": \"2026-11-20T12:00:00Z\"}\n");
    let start: vigil::time::Instant = "2026-11-01T00:00:00Z".parse().unwrap();
    for i in 0..n {
        let at = |m: i64| {
            (start + chrono::Duration::minutes(10 * i + m))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        };
        for (id, m, rest) in [
            ("x", 0, "\"kind\": \"no_answer\""),
            (
                "t",
                1,
                "\"kind\": \"contact_attempt\", \"method\": \"phone\", \"outcome\": \"no_answer\"",
            ),
            ("c", 3, "\"kind\": \"contact_established\""),
        ] {
            log.push_str(&format!(
                "{{\"id\": \"{id}{i}\", \"at\": \"{}\", \"person\": \"P-0308\", \"by\": \"support_worker\", {rest}}}\n",
                at(m)
            ));
        }
    }
    let d = eval_log_json(&log, "attempts");
    let attempts = d["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["action"] == "attempt_contact")
        .count();
    // One attempts duty an episode at least.
    assert!(attempts >= n as usize, "{attempts} attempts duties");
}

/// A person whose safety stays unconfirmed while they are observed thousands of times: a step
/// waiting on an observation asked, at each one, whether one had been seen, and each asking
/// read the record from the look-back on (20,000 observations: 4.2 s, now 0.11 s, in a
/// release build); the first observation answering is now found once.
#[test]
fn thousands_of_observations_in_an_open_episode_are_evaluated() {
    let n = 3_000;
    let mut log = String::from("{\"as_of\": \"2026-11-20T12:00:00Z\"}\n");
    let start: vigil::time::Instant = "2026-11-01T00:00:00Z".parse().unwrap();
    let at = |m: i64| {
        (start + chrono::Duration::minutes(m))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    for i in 0..n {
        log.push_str(&format!(
            "{{\"id\": \"x{i}\", \"at\": \"{}\", \"person\": \"P-0308\", \"kind\": \"no_answer\", \"by\": \"support_worker\"}}\n",
            at(2 * i)
        ));
    }
    for i in 0..n {
        log.push_str(&format!(
            "{{\"id\": \"o{i}\", \"at\": \"{}\", \"person\": \"P-0308\", \"kind\": \"observation\", \"what\": \"person_seen_on_floor\", \"by\": \"support_worker\"}}\n",
            at(2 * n + 2 * i + 1)
        ));
    }
    let (d, stderr) = eval_log_json_with_errors(&log, "observed");
    assert!(
        d["obligations"].as_array().is_some_and(|o| !o.is_empty()),
        "{stderr}"
    );
}

/// The decision `vigil eval --format json` makes of the NDJSON `log` under the bundled rules,
/// written to a temporary file named for `name`, with what it wrote on standard error.
fn eval_log_json_with_errors(log: &str, name: &str) -> (serde_json::Value, String) {
    let path = std::env::temp_dir().join(format!("vigil-{name}-{}.ndjson", std::process::id()));
    std::fs::write(&path, log).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "eval",
            "protocols/supported-living",
            "--format",
            "json",
            "--timeline",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let d = serde_json::from_slice(&out.stdout).unwrap();
    (d, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// [`eval_log_json_with_errors`], the decision alone.
fn eval_log_json(log: &str, name: &str) -> serde_json::Value {
    eval_log_json_with_errors(log, name).0
}

/// The limits, with lines of any length read: for the defences behind that limit.
fn unlimited_lines() -> vigil::Limits {
    let mut limits = vigil::Limits::default();
    limits.line_chars = usize::MAX;
    limits
}

/// The deepest nesting any limit allows (`--max-nesting` at its ceiling) is read by the
/// parser and the checker alike on the command's stack: the ceiling is safe, not only the
/// default.
#[test]
fn nesting_at_the_ceiling_is_read_without_overflowing_the_stack() {
    // On a stack the size the command gives itself (the library's docs say a host reading
    // past the default nesting needs as much).
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(nesting_at_the_ceiling)
        .unwrap()
        .join()
        .unwrap();
}

/// The default nesting reads safely on a test thread's own stack (2 MiB), as the docs promise
/// a host's threads.
#[test]
fn nesting_at_the_default_is_read_on_a_small_stack() {
    let depth = vigil::Limits::default().nesting();
    for cond in [
        format!("{}out_of_hours{}", "(".repeat(depth), ")".repeat(depth)),
        format!("{}out_of_hours", "not ".repeat(depth)),
    ] {
        let text = framework().replacen(
            "pathway no_response",
            &format!("pathway deep on no_answer {{\n    step s: check surroundings by support_worker within 5m when {cond}\n  }}\n  pathway no_response"),
            1,
        );
        let checked = check(&[Source::new("deep.vigil", text)]);
        assert!(!checked
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "E001"));
    }
}

fn nesting_at_the_ceiling() {
    let mut limits = vigil::Limits::default();
    limits.nesting = 10_000; // asked for; the ceiling (256) is what is followed
    let ceiling = vigil::Limits::NESTING_CEILING;
    assert_eq!(limits.nesting(), ceiling);
    for cond in [
        format!("{}out_of_hours{}", "(".repeat(ceiling), ")".repeat(ceiling)),
        format!("{}out_of_hours", "not ".repeat(ceiling)),
    ] {
        let text = framework().replacen(
            "pathway no_response",
            &format!("pathway deep on no_answer {{\n    step s: check surroundings by support_worker within 5m when {cond}\n  }}\n  pathway no_response"),
            1,
        );
        let sources = [Source::new("deep.vigil", text)];
        let checked = vigil::check::check_within(&sources, &limits);
        assert!(
            !checked
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == "E001"),
            "{:?}",
            checked.diagnostics
        );
        // One more is refused, naming the flag that raises the limit.
        limits.nesting = ceiling - 1;
        let refused = vigil::check::check_within(&sources, &limits);
        let d = refused
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "E001")
            .unwrap();
        let below = (ceiling - 1).to_string();
        assert!(
            d.message.contains(&below) && d.help.contains("--max-nesting"),
            "{d:?}"
        );
        limits.nesting = ceiling;
    }
}

/// `not` nests by recursion like a bracket, so a long run of them is refused up front with a
/// located syntax error (20,000 once overflowed the stack and aborted the process).
#[test]
fn a_long_run_of_not_is_a_located_error_not_a_crash() {
    let nots = "not ".repeat(20_000);
    let text = framework().replacen(
        "pathway no_response",
        &format!("pathway deep on no_answer {{\n    step s: check surroundings by support_worker within 5m when {nots}out_of_hours\n  }}\n  pathway no_response"),
        1,
    );
    let checked = vigil::check::check_within(
        &[Source::new("deep.vigil", text.clone())],
        &unlimited_lines(),
    );
    let finding = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E001")
        .unwrap();
    assert!(
        finding
            .message
            .contains("`not` is repeated more than 64 times"),
        "{}",
        finding.message
    );
    // At the 65th `not` of the run.
    let at = text.find("when not").unwrap() + "when ".len() + 64 * "not ".len();
    assert_eq!(finding.span.start, at);
}

/// A megabyte-long name is quoted short in every finding (and a line of context that long is
/// not echoed), and "did you mean" does not compare it character by character with every
/// candidate: the whole report stays small, and comes at once.
#[test]
fn a_megabyte_long_name_is_never_echoed_whole() {
    let long = |c: &str| c.repeat(1_000_000);
    let text = format!(
        "framework \"A\" version 1 {{\n  role {} \"R\"\n  role m \"M\" covers {}\n}}\n",
        long("r"),
        long("q")
    );
    let sources = vec![Source::new("long.vigil", text)];
    // With the limit on line length raised past it, as a host may raise it.
    let checked = vigil::check::check_within(&sources, &unlimited_lines());
    assert!(checked
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "E003"));
    let shown: String = checked
        .diagnostics
        .iter()
        .map(|d| vigil::render::diagnostics::to_text(d, &sources))
        .collect();
    assert!(shown.len() < 4_000, "{} bytes", shown.len());
    assert!(shown.contains("(1000000 characters)"), "{shown}");

    let rules = vigil::compile(&[Source::new(
        "f.vigil",
        std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
    )])
    .unwrap();
    let timeline = format!(
        "events:\n  - {{ at: \"2026-11-24T08:00:00Z\", person: P-{}, kind: arrived, visit: V9 }}\n",
        long("x")
    );
    let errors =
        vigil::timeline::Timeline::load(&timeline, vigil::timeline::Format::Yaml, "t.yaml", &rules)
            .unwrap_err();
    let text = errors.to_string();
    assert!(text.len() < 2_000, "{} bytes", text.len());
}

/// A file with thousands of findings: each finding's help lists a few of the file's names,
/// not all of them (it listed all 3,000 under each of 3,000 findings: 27 MB of help), so the
/// report grows with the file, not with its square.
#[test]
fn thousands_of_findings_each_say_little() {
    let n = 3_000;
    let mut text = String::from("framework \"A\" version 1 {\n  timezone \"Europe/London\"\n");
    for i in 0..n {
        text.push_str(&format!("  role r{i} \"R\" covers nobody{i}\n"));
    }
    text.push_str("}\n");
    let sources = vec![Source::new("many.vigil", text)];
    let mut limits = vigil::Limits::default();
    limits.roles = n;
    let checked = vigil::check::check_within(&sources, &limits);
    let unknown: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E003")
        .collect();
    assert_eq!(unknown.len(), n, "every finding is reported");
    assert!(
        unknown[0].help.ends_with(&format!("and {} more", n - 20)),
        "{}",
        unknown[0].help
    );
    let shown: usize = unknown
        .iter()
        .map(|d| vigil::render::diagnostics::to_text(d, &sources).len())
        .sum();
    assert!(shown < n * 1_000, "{shown} bytes for {n} findings");
}

/// A role hierarchy past the limit on roles is one finding, and who covers whom is not
/// worked out (each of 20,000 roles covering the one before took time and memory in their
/// number squared: 375 MB for 16,000).
#[test]
fn a_runaway_role_hierarchy_is_one_finding() {
    let n = 20_000;
    let mut text = String::from("framework \"A\" version 1 {\n  role r0 \"R\"\n");
    for i in 1..n {
        text.push_str(&format!("  role r{i} \"R\" covers r{}\n", i - 1));
    }
    text.push_str("}\n");
    let sources = vec![Source::new("roles.vigil", text)];
    let checked = check(&sources);
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E049"], "{:?}", checked.diagnostics);
    let d = &checked.diagnostics[0];
    // At the first role past the limit.
    assert_eq!(sources[0].line_of(d.span.start), 202);
    assert!(d.help.contains("--max-roles"), "{}", d.help);
}

/// Brackets nested a hundred thousand deep inside one event are refused before the YAML
/// reader sees them (it took half a minute to refuse them itself), located, as T002.
#[test]
fn deeply_nested_yaml_is_refused_before_it_is_parsed() {
    let rules = vigil::compile(&[Source::new(
        "f.vigil",
        std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
    )])
    .unwrap();
    let d = 100_000;
    let text = format!(
        "events:\n  - {{ at: \"2026-11-24T08:00:00Z\", person: P-1, kind: arrived, visit: V9, note: {}{} }}\n",
        "[".repeat(d),
        "]".repeat(d)
    );
    let errors =
        vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Yaml, "t.yaml", &rules)
            .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, vigil::timeline::ErrorCode::Unreadable);
    assert_eq!(errors[0].line, 2);
    assert!(
        errors[0].message.contains("nested more than 64"),
        "{}",
        errors[0]
    );
    // Brackets inside quotes and comments are text, not nesting.
    let quoted = format!("# {}\nevents: []\n", "[".repeat(100));
    assert!(vigil::timeline::Timeline::load(
        &quoted,
        vigil::timeline::Format::Yaml,
        "t.yaml",
        &rules
    )
    .is_ok());
}

/// What the coverage-guided fuzzers found (fuzz/README.md, docs/reliability.md), kept as
/// inputs in `tests/fixtures/fuzz-regressions/`: each loads, read as YAML and as JSON, within a
/// few seconds (an empty key once hung the locator; a year typed 1013 once made a thousand
/// years of visits to watch), and every error is placed on a line the text has (a lone
/// carriage return once moved the reader's lines past the end).
#[test]
fn what_the_fuzzers_found_stays_fixed() {
    let rules = std::sync::Arc::new(
        vigil::compile(&[Source::new(
            "f.vigil",
            std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap(),
        )])
        .unwrap(),
    );
    let mut read = 0;
    for entry in std::fs::read_dir("tests/fixtures/fuzz-regressions").unwrap() {
        let path = entry.unwrap().path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = text.split('\n').count();
        for format in [vigil::timeline::Format::Yaml, vigil::timeline::Format::Json] {
            let (rules, text2) = (rules.clone(), text.clone());
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(vigil::timeline::Timeline::load(&text2, format, "t", &rules).err());
            });
            let errors = rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("{} as {format:?}: no answer in 10 s", path.display()));
            for e in errors.iter().flat_map(|e| e.iter()) {
                assert!(e.line <= lines && e.column >= 1, "{}: {e}", path.display());
            }
        }
        read += 1;
    }
    assert!(read >= 6, "{read}");

    let all = common::bundled_rules();
    let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    // Each kept timeline, evaluated at the instant its finding was about.
    let decide = |name: &str, as_of: &str| {
        let path = format!("tests/fixtures/fuzz-regressions/{name}.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let tl = vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Yaml, "t", &all)
            .unwrap();
        let d = all.evaluate(&tl, at(as_of));
        (tl.from, d)
    };
    // A record that starts after `as_of` changes the answer when it starts.
    let (from, d) = decide(
        "eval_structured-next-change-misses-a-later-from",
        "2027-12-30T00:00:00Z",
    );
    assert_eq!(d.next_change, from, "{:?}", d.notes);
    // One that covers no one with protocol visits changes nothing when it starts.
    let (from, d) = decide(
        "eval_structured-from-after-as-of-covering-no-one",
        "2026-10-23T23:00:00Z",
    );
    assert_ne!(d.next_change, from, "{:?}", d.notes);
    // One whose person's visit that day is earlier changes at `from`: it is named then.
    let (from, d) = decide(
        "eval_structured-from-after-as-of-visit-earlier-that-day",
        "2027-12-30T00:00:00Z",
    );
    assert_eq!(d.next_change, from, "{:?}", d.notes);
    // A protocol visit an event names joins at the start of its day.
    let (_, d) = decide(
        "eval_structured-named-visit-joins-at-midnight",
        "2027-12-30T19:51:00Z",
    );
    assert_eq!(
        d.next_change,
        Some(at("2027-12-31T00:00:00Z")),
        "{:?}",
        d.notes
    );
    // Nor one whose person's visits that day an event names already: they are watched from
    // the day's start, and the record's start adds nothing.
    let (from, d) = decide(
        "eval_structured-from-after-named-visit",
        "2026-12-24T00:00:00Z",
    );
    assert_ne!(d.next_change, from, "{:?}", d.notes);
    // Nor one whose people have no protocol visit that day: the next day's midnight is.
    let (from, d) = decide(
        "eval_structured-from-after-as-of-no-visit-that-day",
        "2027-12-30T00:00:00Z",
    );
    let next = d.next_change.unwrap();
    assert!(Some(next) > from, "{next}");
    let (_, there) = decide(
        "eval_structured-from-after-as-of-no-visit-that-day",
        &next.to_rfc3339(),
    );
    assert_ne!(
        there.visits.len(),
        d.visits.len(),
        "nothing joined at {next}"
    );
    // Finding 14: under version 2027.1, whose impact audit is due every 48 hours, a record
    // starting after `as_of` changes the answer when it starts (the first audit opens then).
    let v2027 = common::rules_in("protocols/supported-living-2027");
    let text = std::fs::read_to_string(
        "tests/fixtures/fuzz-regressions/eval_structured-every-before-record-starts.json",
    )
    .unwrap();
    let tl =
        vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Json, "t", &v2027).unwrap();
    let d = v2027.evaluate(&tl, at("2026-10-23T23:00:00Z"));
    assert_eq!(d.next_change, tl.from, "{:?}", d.notes);
}

/// A timeline's instants are read to the second, as decisions are: a notice at 08:35:00.999
/// for a duty due 08:35:00 is done at its due second (on time, no breach), and a visit
/// planned for 08:00:00.9 is missed at 08:30:00, announced as a change after an as_of of
/// 08:29:59 and shown missed at 08:30:00 (found by a docs-only tester: it was "done late by
/// 0 s" with a breach, and a next_change equal to as_of).
#[test]
fn a_fraction_of_a_second_in_a_timeline_is_dropped() {
    let rs = common::rules_in("protocols/supported-living");
    let load = |text: &str| {
        vigil::timeline::Timeline::load(text, vigil::timeline::Format::Yaml, "t.yaml", &rs).unwrap()
    };
    let at = |s: &str| s.parse::<vigil::time::Instant>().unwrap();
    let plan = "  - {id: vp, at: \"2026-11-23T18:00:00Z\", person: P-0001, kind: visit_planned, visit: V1, planned: \"2026-11-24T08:00:00Z\", criticality: critical}\n";
    let notice = "  - {id: t, at: \"2026-11-24T08:35:00.999Z\", person: P-0001, kind: notified, role: duty_manager, by: scheduling_coordinator, visit: V1}\n";
    let d = rs.evaluate(
        &load(&format!("events:\n{plan}{notice}")),
        at("2026-11-24T08:50:00Z"),
    );
    let notify = d
        .obligations
        .iter()
        .find(|o| o.id.ends_with("/notify_manager"))
        .unwrap();
    assert_eq!(notify.status, vigil::eval::Status::Done, "{notify:?}");
    assert!(d.obligations.iter().all(|o| !o.id.ends_with("/breach")));
    let fractional = plan.replace("08:00:00Z", "08:00:00.9Z");
    let tl = load(&format!("events:\n{fractional}"));
    let before = rs.evaluate(&tl, at("2026-11-24T08:29:59Z"));
    assert_eq!(before.next_change, Some(at("2026-11-24T08:30:00Z")));
    let missed = rs.evaluate(&tl, at("2026-11-24T08:30:00Z"));
    assert_eq!(missed.visits[0].state, vigil::eval::VisitState::Missed);
    assert!(missed.next_change > Some(at("2026-11-24T08:30:00Z")));
}

/// A finding that follows from another is not reported beside it (found by a docs-only
/// tester): an emergency pathway with an error in it is not also "missing" (E016), a refused
/// `immediately means 0m` does not make every use of `immediately` "undefined" (E024), and a
/// role used only in a pathway whose trigger is misspelt is not "never used" (W001).
#[test]
fn a_finding_that_follows_from_another_is_not_reported_beside_it() {
    let codes = |fw: &str| {
        let mut c: Vec<String> = check(&[Source::new("f.vigil", fw)])
            .diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        c.sort();
        c
    };
    let base = |immediately: &str, emergency: &str, refusal_on: &str| {
        format!(
            r#"framework "Mini" version 1 {{
  immediately means {immediately}
  role worker "Worker"
  role manager "Manager" covers worker
  agency ems "Emergency services" emergency
  agency asc "Adult social care" statutory
  red_flags person_seen_on_floor
  observations person_seen_on_floor
  log records "Records"
  threshold standard late 15m missed 30m
  pathway no_response on no_answer {{
    step tell: notify manager by worker immediately
    step out: escalate to asc by manager within 1h
  }}
  pathway emergency on red_flag {{
    step call: escalate to ems by worker {emergency}
  }}
  pathway refusal_path on {refusal_on} {{
    step write: record records by worker within 1h
  }}
}}"#
        )
    };
    assert!(codes(&base("5m", "immediately", "refusal")).is_empty());
    assert_eq!(codes(&base("5m", "immediatly", "refusal")), ["E001"]);
    assert_eq!(codes(&base("0m", "immediately", "refusal")), ["E008"]);
    assert_eq!(codes(&base("5m", "immediately", "refusl")), ["E003"]);
    // A role and an alias of one name: the clash, not findings about the role guessed.
    let clash = base("5m", "immediately", "refusal").replace(
        "  role manager \"Manager\" covers worker\n",
        "  role manager \"Manager\"\n  role duty \"Duty\" covers worker\n  calendar office_hours \"Office\" { Mon-Fri 09:00-17:00 }\n  alias manager \"The manager\" is duty in office_hours otherwise duty\n  floors {\n    internal_escalation within 15m\n  }\n",
    );
    assert_eq!(codes(&clash), ["E004"]);
}

/// A protocol whose framework file was refused before it could be read (a line too long) is
/// not told the framework "was not found among the files": its help names the file refused.
#[test]
fn a_framework_refused_unread_is_named_not_missing() {
    let fw = format!(
        "framework \"Mini\" version 1 {{\n  role worker \"Worker {}\"\n}}\n",
        "x".repeat(200)
    );
    let protocol = "protocol \"P-1\" under \"Mini\" version 1 {\n}\n";
    let mut limits = vigil::Limits::default();
    limits.line_chars = 100;
    let checked = vigil::check::check_within(
        &[
            Source::new("fw.vigil", fw),
            Source::new("p.vigil", protocol),
        ],
        &limits,
    );
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E005")
        .expect("E005 for the protocol");
    assert!(
        missing
            .help
            .contains("`fw.vigil` could not be read at all (see its errors)"),
        "{missing:?}"
    );
}

/// The JSON reader refuses a 128th level itself, in its own words ("recursion limit
/// exceeded"): the nesting check stops at 127, so a timeline one level too deep gets Vigil's
/// message whatever `--max-nesting` asks (found by a docs-only tester: the docs said 128).
#[test]
fn json_nesting_stops_where_the_reader_does_with_vigils_message() {
    let rs = common::bundled_rules();
    let mut limits = vigil::Limits::default();
    limits.nesting = 256;
    // The event's object is the first level; the rest are arrays in an unknown field.
    let event = |depth: usize| {
        format!(
            "{{\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-1\", \"kind\": \"no_answer\", \"x\": {}{}}}\n",
            "[".repeat(depth - 1),
            "]".repeat(depth - 1)
        )
    };
    for format in [
        vigil::timeline::Format::Ndjson,
        vigil::timeline::Format::Json,
    ] {
        let load = |depth: usize| {
            let text = match format {
                vigil::timeline::Format::Ndjson => event(depth),
                _ => format!("{{\"events\": [{}]}}", event(depth - 2).trim_end()),
            };
            let errors = vigil::timeline::Timeline::load_within(&text, format, "t", &rs, &limits)
                .unwrap_err();
            errors[0].message.clone()
        };
        assert_eq!(
            load(128),
            "brackets nested more than 127 deep",
            "{format:?}"
        );
        let at_limit = load(127);
        assert!(
            !at_limit.contains("nested") && !at_limit.contains("recursion"),
            "{format:?}: {at_limit}"
        );
    }
}

/// A YAML timeline nested past the limit asked is told the limit may be raised, never the
/// JSON reader's own 127 (found by a docs-only tester: YAML at `--max-nesting 200` was told
/// JSON's limit); a JSON one past 127 is told that limit.
#[test]
fn the_nesting_help_names_the_limit_of_the_files_format() {
    let rs = common::bundled_rules();
    let mut limits = vigil::Limits::default();
    limits.nesting = 200;
    let deep = format!("{}{}", "[".repeat(201), "]".repeat(201));
    let yaml = format!(
        "events:\n  - {{ at: \"2026-11-24T08:05:00Z\", person: P-1, kind: no_answer, note: {deep} }}\n"
    );
    let json = format!(
        "{{\"events\": [{{\"at\": \"2026-11-24T08:05:00Z\", \"person\": \"P-1\", \"kind\": \"no_answer\", \"note\": {deep}}}]}}"
    );
    let help = |text: &str, format| {
        let errors =
            vigil::timeline::Timeline::load_within(text, format, "t", &rs, &limits).unwrap_err();
        errors[0].help.clone().unwrap_or_default()
    };
    let yaml_help = help(&yaml, vigil::timeline::Format::Yaml);
    assert!(yaml_help.contains("--max-nesting"), "{yaml_help}");
    assert!(!yaml_help.contains("127"), "{yaml_help}");
    let json_help = help(&json, vigil::timeline::Format::Json);
    assert!(json_help.contains("127"), "{json_help}");
}

/// A garbled NDJSON log is reported line by line up to 100 errors, then one more says where
/// reading stopped: the lines after are never passed over in silence (found by a docs-only
/// tester: 101 were reported and the rest dropped unsaid).
#[test]
fn a_garbled_log_says_where_reading_stopped() {
    let rs = common::bundled_rules();
    let text: String = (1..=150).map(|i| format!("garbage {i}\n")).collect();
    let errors = vigil::timeline::Timeline::load(&text, vigil::timeline::Format::Ndjson, "t", &rs)
        .unwrap_err();
    assert_eq!(errors.len(), 101);
    assert!(errors
        .iter()
        .take(100)
        .enumerate()
        .all(|(i, e)| e.line == i + 1));
    assert_eq!(errors[100].line, 101);
    assert!(
        errors[100].message.contains("not read"),
        "{}",
        errors[100].message
    );
}
