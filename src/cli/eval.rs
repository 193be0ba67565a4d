//! `vigil eval [PATHS]... --timeline FILE [--at INSTANT] [--person ID] [--format text|json]`

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use vigil::check::{check, Severity};
use vigil::render::diagnostics;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

use super::{files, EvalFormat, Exit};

/// The arguments of `vigil eval`.
pub struct Args<'a> {
    pub paths: &'a [PathBuf],
    pub timeline: &'a Path,
    pub at: Option<&'a str>,
    pub person: Option<&'a str>,
    pub audit: bool,
    pub format: EvalFormat,
    pub bank_holidays: Option<&'a Path>,
}

/// Check the rules, load the timeline, evaluate, print; exit 3 if anything is overdue.
pub fn run(args: &Args<'_>) -> Exit {
    let (sources, mut findings) = match files::load(args.paths) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let mut checked = check(&sources);
    findings.extend(checked.diagnostics.iter().cloned());
    if findings.iter().any(|d| d.severity() == Severity::Error) {
        let mut text = String::new();
        for d in findings.iter().filter(|d| d.severity() == Severity::Error) {
            text.push_str(&diagnostics::to_text(d, &sources));
        }
        eprint!("{text}");
        eprintln!("error: the rules have errors; fix them (see `vigil check`) before evaluating");
        return Exit::BadInput;
    }
    if let Some(path) = args.bank_holidays {
        if let Err(e) = files::holidays(path, &mut checked.rulesets) {
            return e;
        }
    }
    let rs = match checked.rulesets.len() {
        1 => checked.rulesets.remove(0),
        n => {
            eprintln!(
                "error: the paths given hold {n} frameworks; give one framework and its protocols"
            );
            return Exit::Usage;
        }
    };
    let (name, text) = if args.timeline == Path::new("-") {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("error: cannot read the timeline from standard input: {e}");
            return Exit::Usage;
        }
        ("<stdin>".to_string(), s)
    } else {
        match std::fs::read(args.timeline) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => (args.timeline.display().to_string(), s),
                Err(e) => {
                    // The text up to the first bad byte is valid UTF-8 by definition, so the
                    // place is found the way every other place is.
                    let valid = e
                        .as_bytes()
                        .get(..e.utf8_error().valid_up_to())
                        .and_then(|v| std::str::from_utf8(v).ok())
                        .unwrap_or("");
                    let (line, column) = Source::new("", valid).line_col(valid.len());
                    eprintln!(
                        "error: {}:{line}:{column}: the timeline is not UTF-8 text; save it as UTF-8",
                        args.timeline.display(),
                    );
                    return Exit::BadInput;
                }
            },
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.timeline.display());
                return Exit::Usage;
            }
        }
    };
    let format = if args.timeline == Path::new("-") {
        Format::Json
    } else {
        Format::from_name(&name)
    };
    let timeline = match Timeline::load(&text, format, &name, &rs) {
        Ok(t) => t,
        Err(errors) => {
            match args.format {
                EvalFormat::Json => {
                    let list: Vec<serde_json::Value> = errors
                        .iter()
                        .map(|e| {
                            serde_json::json!({
                                "code": e.code.as_str(),
                                "file": e.file, "line": e.line, "column": e.column,
                                "field": e.field, "message": e.message, "help": e.help,
                            })
                        })
                        .collect();
                    let doc = serde_json::json!({ "errors": list });
                    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
                }
                EvalFormat::Text => {
                    // Each error says `error[T003]` after its place, as compilers do.
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    if args.timeline == Path::new("-") {
                        eprintln!("note: standard input is read as JSON");
                    }
                }
            }
            return Exit::BadInput;
        }
    };
    let as_of = match args.at {
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(_) => {
                eprintln!(
                    "error: --at `{text}` is not an RFC 3339 instant with an offset, such as 2026-11-24T08:41:00Z"
                );
                return Exit::Usage;
            }
        },
        // An audit replays what the timeline holds; otherwise the command line is the one
        // place allowed to read the clock.
        None if args.audit => timeline
            .as_of
            .or_else(|| timeline.events.last().map(|e| e.at))
            .unwrap_or_default(),
        None => timeline.as_of.unwrap_or_else(chrono::Utc::now),
    };
    let mut decision = rs.evaluate(&timeline, as_of);
    if let Some(p) = args.person {
        if timeline.person_index(p).is_none() {
            eprintln!("error: person `{p}` is not in the timeline");
            return Exit::Usage;
        }
        decision.obligations.retain(|o| &*o.person == p);
        decision.visits.retain(|v| v.person == p);
    }
    let rendered = match args.format {
        EvalFormat::Json => decision.to_json() + "\n",
        EvalFormat::Text if args.audit => vigil::render::text::audit(&decision, &rs),
        EvalFormat::Text => vigil::render::text::decision(&decision, &rs),
    };
    if std::io::stdout()
        .lock()
        .write_all(rendered.as_bytes())
        .is_err()
    {
        return Exit::Usage;
    }
    if decision.any_overdue() {
        Exit::Overdue
    } else {
        Exit::Ok
    }
}
