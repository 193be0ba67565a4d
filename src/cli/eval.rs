//! `vigil eval [PATHS]... --timeline FILE [--at INSTANT] [--person ID] [--format text|json]`

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use vigil::check::{check, Severity};
use vigil::render::diagnostics;
use vigil::timeline::{Format, Timeline};
use vigil::Source;

use super::{files, Exit, Format as Output};

/// The arguments of `vigil eval`.
pub struct Args<'a> {
    pub paths: &'a [PathBuf],
    pub timeline: &'a Path,
    pub at: Option<&'a str>,
    pub person: Option<&'a str>,
    pub role: Option<&'a str>,
    pub route: Option<&'a str>,
    pub audit: bool,
    pub format: Output,
    pub bank_holidays: Option<&'a Path>,
    /// Colour in the findings printed when the rules have errors.
    pub colour: super::Colour,
}

impl Args<'_> {
    /// Where this command's own errors go.
    fn say(&self) -> super::say::Say {
        super::say::Say {
            json: self.format == Output::Json,
        }
    }
}

/// Check the rules, load the timeline, evaluate, print; exit 3 if anything is overdue.
pub fn run(args: &Args<'_>) -> Exit {
    match evaluate(args) {
        Ok(exit) | Err(exit) => exit,
    }
}

/// The steps of `run`, each of which may end the command with its exit code.
fn evaluate(args: &Args<'_>) -> Result<Exit, Exit> {
    let rs = rules(args)?;
    let (name, text) = read_timeline(args.timeline, args.say())?;
    let format = if args.timeline == Path::new("-") {
        Format::from_text(&text)
    } else {
        Format::from_name(&name)
    };
    let timeline = match Timeline::load(&text, format, &name, &rs) {
        Ok(t) => t,
        Err(errors) => {
            print_timeline_errors(args, &errors);
            return Err(Exit::BadInput);
        }
    };
    let as_of = as_of(args, &timeline)?;
    let mut decision = rs.evaluate(&timeline, as_of);
    filter(args, &rs, &timeline, &mut decision)?;
    if let Some(p) = args.person {
        if timeline.person_index(p).is_none() {
            args.say()
                .error("usage", &format!("person `{p}` is not in the timeline"));
            return Err(Exit::Usage);
        }
        decision.obligations.retain(|o| &*o.person == p);
        decision.visits.retain(|v| v.person == p);
    }
    let rendered = match args.format {
        Output::Json => decision.to_json() + "\n",
        Output::Text if args.audit => vigil::render::text::audit(&decision, &rs),
        Output::Text => vigil::render::text::decision(&decision, &rs),
    };
    if let Err(e) = std::io::stdout().lock().write_all(rendered.as_bytes()) {
        args.say()
            .error("io", &format!("cannot write the decision: {e}"));
        return Err(Exit::Usage);
    }
    Ok(if decision.any_overdue() {
        Exit::Overdue
    } else {
        Exit::Ok
    })
}

/// `--role` and `--route`: only that role's obligations; only the obligations and visits
/// about visits on that route. An unknown role or route is a usage error naming the known.
fn filter(
    args: &Args<'_>,
    rs: &vigil::rules::RuleSet,
    timeline: &Timeline,
    decision: &mut vigil::eval::Decision,
) -> Result<(), Exit> {
    if let Some(role) = args.role {
        if !rs.roles().iter().any(|r| &*r.name == role) {
            let known: Vec<&str> = rs.roles().iter().map(|r| &*r.name).collect();
            args.say().error(
                "usage",
                &format!("no role `{role}` in the rules; roles: {}", known.join(", ")),
            );
            return Err(Exit::Usage);
        }
        decision.obligations.retain(|o| &*o.role == role);
    }
    if let Some(route) = args.route {
        let on_route: Vec<&str> = timeline
            .visits
            .iter()
            .filter(|v| v.route.as_deref() == Some(route))
            .map(|v| v.id.as_str())
            .collect();
        if on_route.is_empty() {
            args.say().error(
                "usage",
                &format!("no visit in the timeline is on route `{route}`"),
            );
            return Err(Exit::Usage);
        }
        let about = |v: Option<&str>| v.is_some_and(|v| on_route.contains(&v));
        decision.obligations.retain(|o| about(o.visit.as_deref()));
        decision
            .visits
            .retain(|v| on_route.contains(&v.id.as_str()));
    }
    Ok(())
}

/// The one rule set the paths hold, with newer bank holidays if given.
fn rules(args: &Args<'_>) -> Result<vigil::rules::RuleSet, Exit> {
    let (sources, mut findings) = files::load(args.paths, args.say())?;
    let mut checked = check(&sources);
    findings.extend(checked.diagnostics.iter().cloned());
    if findings.iter().any(|d| d.severity() == Severity::Error) {
        let errors = findings.iter().filter(|d| d.severity() == Severity::Error);
        if args.say().json {
            let list = errors
                .map(|d| serde_json::to_value(diagnostics::to_json(d, &sources)))
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_default();
            args.say().document(list);
        } else {
            let mut text = String::new();
            for d in errors {
                text.push_str(&diagnostics::render(d, &sources, args.colour.on_stderr()));
            }
            eprint!("{text}");
            eprintln!(
                "error: the rules have errors; fix them (see `vigil check`) before evaluating"
            );
        }
        return Err(Exit::BadInput);
    }
    if let Some(path) = args.bank_holidays {
        files::holidays(path, &mut checked.rulesets, args.say())?;
    }
    match checked.rulesets.len() {
        1 => Ok(checked.rulesets.remove(0)),
        n => {
            args.say().error(
                "usage",
                &format!(
                    "the paths given hold {n} frameworks; give one framework and its protocols"
                ),
            );
            Err(Exit::Usage)
        }
    }
}

/// The timeline's name and text: a file, or standard input for `-`.
fn read_timeline(path: &Path, say: super::say::Say) -> Result<(String, String), Exit> {
    if path == Path::new("-") {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            say.error(
                "io",
                &format!("cannot read the timeline from standard input: {e}"),
            );
            return Err(Exit::Usage);
        }
        return Ok(("<stdin>".to_string(), s));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            say.error("io", &format!("cannot read `{}`: {e}", path.display()));
            return Err(Exit::Usage);
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok((path.display().to_string(), s)),
        Err(e) => {
            // The text up to the first bad byte is valid UTF-8 by definition, so the place is
            // found the way every other place is.
            let valid = e
                .as_bytes()
                .get(..e.utf8_error().valid_up_to())
                .and_then(|v| std::str::from_utf8(v).ok())
                .unwrap_or("");
            let (line, column) = Source::new("", valid).line_col(valid.len());
            say.error_at(
                "T002",
                (&path.display().to_string(), line, column),
                "the timeline is not UTF-8 text; save it as UTF-8",
            );
            Err(Exit::BadInput)
        }
    }
}

/// Every timeline error: as JSON on standard output with `--format json`, else on standard
/// error, each saying `error[T003]` after its place, as compilers do.
fn print_timeline_errors(args: &Args<'_>, errors: &[vigil::timeline::TimelineError]) {
    match args.format {
        Output::Json => {
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
            args.say().document(list);
        }
        Output::Text => {
            for e in errors {
                eprintln!("{e}");
            }
            if args.timeline == Path::new("-") {
                eprintln!("note: standard input is read as JSON when it opens with `{{`, as YAML otherwise");
            }
        }
    }
}

/// The instant to evaluate at: `--at`, else the timeline's `as_of`; an audit replays to the
/// last event, and otherwise the command line is the one place allowed to read the clock.
fn as_of(args: &Args<'_>, timeline: &Timeline) -> Result<vigil::time::Instant, Exit> {
    match args.at {
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => Ok(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                args.say().error(
                    "usage",
                    &format!("--at `{text}` is not an RFC 3339 instant with an offset, such as 2026-11-24T08:41:00Z"),
                );
                Err(Exit::Usage)
            }
        },
        None if args.audit => Ok(timeline
            .as_of
            .or_else(|| timeline.events.last().map(|e| e.at))
            .unwrap_or_default()),
        None => Ok(timeline.as_of.unwrap_or_else(chrono::Utc::now)),
    }
}
