//! `vigil eval [PATHS]... --timeline FILE [--at INSTANT] [--person ID] [--role ROLE]
//! [--route ROUTE] [--audit | --watch] [--format text|json|csv|ndjson]`

use std::path::{Path, PathBuf};

use vigil::check::Severity;
use vigil::eval::Decision;
use vigil::render::diagnostics;
use vigil::render::plain::Names;
use vigil::rules::RuleSet;
use vigil::timeline::{Format, Timeline};

use super::{files, EvalFormat as Output, Exit};

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
    /// With `--redact`, the key: the timeline is pseudonymised as soon as it is read.
    pub redact: Option<&'a [u8]>,
    /// `--explain`: each duty's chain from trigger to due time, in words.
    pub explain: bool,
}

impl Args<'_> {
    /// Where this command's own errors go.
    pub(super) fn say(&self) -> super::say::Say {
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
    let versions = versions(args)?;
    // Read under every version: its events may fall under any of them.
    let timelines = timelines(args, &versions)?;
    let Some(latest) = timelines.last().cloned() else {
        return Err(Exit::Usage);
    };
    let as_of = as_of(args, &latest)?;
    let rs = versions.in_force(as_of);
    let index = versions
        .all()
        .iter()
        .position(|v| v.version() == rs.version());
    let timeline = index
        .and_then(|i| timelines.get(i).cloned())
        .unwrap_or(latest);
    let Some(both) = versions.timeline(timelines) else {
        return Err(Exit::Usage);
    };
    check_filters(args, rs, both.readings())?;
    within_watch_limit(
        args.say(),
        &args.timeline.display().to_string(),
        &versions,
        &both,
        as_of,
    )?;
    let mut decision = versions.evaluate(&both, as_of);
    if let Some(key) = args.redact {
        // Every version's protocols: a person's may be only in an older one.
        for version in versions.all() {
            redact_notes(&mut decision, version, key);
        }
    }
    let names = Names::new(&decision, rs, &timeline);
    apply_filters(args, rs, both.readings(), &mut decision);
    let rendered = render(args, &decision, (rs, &timeline), &names);
    write(args, &rendered)?;
    Ok(if decision.any_overdue() {
        Exit::Overdue
    } else {
        Exit::Ok
    })
}

/// The ids of people with protocols, where the decision quotes the rules rather than the
/// timeline (notes naming people the timeline does not mention, a consent record that names
/// its person), pseudonymised too; and the files of their protocols, named for them.
pub(super) fn redact_notes(d: &mut Decision, rs: &RuleSet, key: &[u8]) {
    let ids: Vec<(&str, String)> = rs
        .persons()
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                vigil::timeline::pseudonym(key, "person", &p.id),
            )
        })
        .collect();
    let hide = |text: &str| -> Option<String> {
        let mut changed = None::<String>;
        for (id, alias) in &ids {
            let current = changed.as_deref().unwrap_or(text);
            if current.contains(id) {
                changed = Some(whole_words(current, id, alias));
            }
        }
        changed
    };
    for note in &mut d.notes {
        if let Some(new) = hide(note) {
            *note = new;
        }
    }
    // A protocol's file is often named for its person and their care (`p-0217-capacity.vigil`):
    // a rule of a protocol is shown as written in the pseudonym's file, in the same folder.
    let files: Vec<(&str, String)> = rs
        .persons()
        .iter()
        .filter_map(|p| {
            let file = p.origin.as_ref()?.file.as_str();
            let alias = vigil::timeline::pseudonym(key, "person", &p.id);
            let shown = match file.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{alias}.vigil"),
                None => format!("{alias}.vigil"),
            };
            Some((file, shown))
        })
        .collect();
    for o in &mut d.obligations {
        for b in &mut o.because {
            if let Some(new) = hide(b) {
                *b = std::sync::Arc::from(new);
            }
        }
        if let Some((_, shown)) = files.iter().find(|(f, _)| *f == o.rule.file) {
            let mut rule = (*o.rule).clone();
            rule.file.clone_from(shown);
            o.rule = std::sync::Arc::new(rule);
        }
    }
}

/// `text` with every whole-word `id` replaced by `alias`.
fn whole_words(text: &str, id: &str, alias: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || "-_".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(id) {
        let end = at + id.len();
        let whole = !rest[..at].ends_with(word) && !rest[end..].starts_with(word);
        out.push_str(&rest[..at]);
        out.push_str(if whole { alias } else { id });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The decision in the format asked for.
fn render(args: &Args<'_>, d: &Decision, (rs, tl): (&RuleSet, &Timeline), names: &Names) -> String {
    use vigil::render::{csv, ndjson, text};
    let view = text::View {
        names,
        width: args.colour.width(),
    };
    match args.format {
        Output::Json => d.to_json() + "\n",
        Output::Csv => csv::decision(d, rs),
        Output::Ndjson => ndjson::decision(d),
        Output::Svg => vigil::render::svg::timeline(d, rs, tl),
        Output::Text if args.explain => vigil::render::why::to_text(d, rs),
        Output::Text if args.audit => text::audit(d, rs, &view),
        Output::Text => text::decision(d, rs, &view),
    }
}

/// Write to standard output; a failure says so and ends the command. A reader that has
/// stopped reading is not a failure: the answer keeps its exit code.
pub(super) fn write(args: &Args<'_>, text: &str) -> Result<(), Exit> {
    written(args, text).map(|_| ())
}

/// [`write`] for a watch, which ends quietly (exit 0) when its reader stops reading.
pub(super) fn write_watched(args: &Args<'_>, text: &str) -> Result<(), Exit> {
    match written(args, text)? {
        true => Ok(()),
        false => Err(Exit::Ok),
    }
}

/// Write `text`: whether the reader still reads, or the failure said.
fn written(args: &Args<'_>, text: &str) -> Result<bool, Exit> {
    match super::to_stdout(text.as_bytes()) {
        Ok(reading) => Ok(reading),
        Err(e) => {
            args.say().write_failed("the decision", &e);
            Err(Exit::Usage)
        }
    }
}

/// The timeline read under each version, each event checked by the version in force at its
/// instant; its errors are printed.
pub(super) fn load_versions(
    args: &Args<'_>,
    versions: &vigil::rules::Versions,
    name: &str,
    text: &str,
) -> Result<Vec<Timeline>, Exit> {
    let limits = super::files::limits();
    let timelines =
        Timeline::load_versions(text, format(args, text, name), name, versions, &limits).map_err(
            |errors| {
                print_timeline_errors(args, &errors);
                Exit::BadInput
            },
        )?;
    Ok(redacted(args, timelines))
}

/// The timeline read under every version: an NDJSON file on disk as a stream, a line at a
/// time; anything else, or a log the stream leaves to it, whole.
pub(super) fn timelines(
    args: &Args<'_>,
    versions: &vigil::rules::Versions,
) -> Result<Vec<Timeline>, Exit> {
    if let Some(timelines) = stream_versions(args, versions) {
        return Ok(timelines);
    }
    timelines_whole(args, versions)
}

/// The timeline's name, and the file opened, if it is an NDJSON file that may be read as a
/// stream: a regular file (through a symlink or not), never standard input, a pipe or a
/// device. A stream that gives up leaves the file to the whole read, which opens it again; a
/// pipe would then give nothing, or other bytes, and the answer would not be the file's.
fn streamable(args: &Args<'_>) -> Option<(String, std::io::BufReader<std::fs::File>)> {
    let name = args.timeline.display().to_string();
    let regular = std::fs::metadata(args.timeline).is_ok_and(|m| m.is_file());
    if !regular || args.timeline == Path::new("-") || Format::from_name(&name) != Format::Ndjson {
        return None;
    }
    let file = std::fs::File::open(args.timeline).ok()?;
    Some((name, std::io::BufReader::with_capacity(1 << 16, file)))
}

/// The timeline read whole under every version (its errors reported).
pub(super) fn timelines_whole(
    args: &Args<'_>,
    versions: &vigil::rules::Versions,
) -> Result<Vec<Timeline>, Exit> {
    let (name, text) = read_timeline(args.timeline, args.say())?;
    load_versions(args, versions, &name, &text)
}

/// An NDJSON log file read for an audit ending at `until` as a stream that drops visits as
/// they go as planned ([`vigil::audit::Audit::stream`]); `None` as for [`stream_versions`].
pub(super) fn stream_audit(
    args: &Args<'_>,
    versions: &vigil::rules::Versions,
    until: Option<vigil::time::Instant>,
) -> Option<vigil::audit::Streamed> {
    let (name, reader) = streamable(args)?;
    let limits = super::files::limits();
    let mut log = vigil::audit::Audit::stream(reader, &name, versions, &limits, until).ok()??;
    log.readings = redacted(args, std::mem::take(&mut log.readings));
    Some(log)
}

/// An NDJSON timeline file read as a stream under every version (docs/audit.md): neither
/// its text nor its parsed events are held whole. `None` for standard input, another format,
/// or a log the stream leaves to the whole read ([`Timeline::stream_versions`]), which then
/// reads it and reports whatever is wrong.
fn stream_versions(args: &Args<'_>, versions: &vigil::rules::Versions) -> Option<Vec<Timeline>> {
    let (name, reader) = streamable(args)?;
    let limits = super::files::limits();
    let timelines = Timeline::stream_versions(reader, &name, versions, &limits).ok()??;
    Some(redacted(args, timelines))
}

/// The timelines with person ids pseudonymised and free text dropped, under `--redact`.
fn redacted(args: &Args<'_>, timelines: Vec<Timeline>) -> Vec<Timeline> {
    match args.redact {
        Some(key) => timelines.into_iter().map(|t| t.redacted(key)).collect(),
        None => timelines,
    }
}

/// The format of the timeline `name` holding `text`: from its name's ending, or, for
/// standard input and a name with no ending a timeline has (`/dev/fd/63` from a shell's
/// `<(...)`, found by a docs-only tester to be read as YAML), from its text.
fn format(args: &Args<'_>, text: &str, name: &str) -> Format {
    if read_by_text(args) {
        Format::from_text(text)
    } else {
        Format::from_name(name)
    }
}

/// Whether the timeline's format is judged from its text: standard input, or a path with no
/// ending a timeline has.
fn read_by_text(args: &Args<'_>) -> bool {
    let lower = args.timeline.to_string_lossy().to_ascii_lowercase();
    let named = [".yaml", ".yml", ".json", ".ndjson", ".jsonl"]
        .iter()
        .any(|e| lower.ends_with(e));
    args.timeline == Path::new("-") || !named
}

/// `--person`, `--role` and `--route` checked against the timeline and the rules: an
/// unknown one is a usage error naming the known ones.
pub(super) fn check_filters(
    args: &Args<'_>,
    rs: &RuleSet,
    readings: &[Timeline],
) -> Result<(), Exit> {
    let unknown = |what: &str| {
        args.say().error("usage", what);
        Err(Exit::Usage)
    };
    if let Some(p) = args.person {
        if readings.iter().all(|t| t.person_index(p).is_none()) {
            let mut ids: Vec<&str> = readings
                .iter()
                .flat_map(|t| t.persons.iter().map(|p| p.id.as_str()))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            // Never a guess or a list of other people's ids: a usage error names no one else.
            return unknown(&format!(
                "no person `{p}` in the timeline (it names {}); give the id exactly as the timeline writes it",
                match ids.len() {
                    1 => "1 person".to_string(),
                    n => format!("{n} people"),
                }
            ));
        }
    }
    if let Some(role) = args.role {
        if roles_meant(rs, role).is_empty() {
            let known: Vec<&str> = rs
                .roles()
                .iter()
                .map(|r| &*r.name)
                .chain(rs.aliases().iter().map(|a| a.name.as_str()))
                .collect();
            return unknown(&format!(
                "no role `{role}` in the rules{}; roles: {}",
                guess(role, &known),
                vigil::wording::listed(known.iter().copied(), vigil::wording::MOST_LISTED)
            ));
        }
    }
    if let Some(route) = args.route {
        let mut known: Vec<&str> = readings
            .iter()
            .flat_map(|t| t.visits.iter())
            .filter_map(|v| v.route.as_deref())
            .collect();
        known.sort_unstable();
        known.dedup();
        if !known.contains(&route) {
            return unknown(&format!(
                "no visit in the timeline is on route `{route}`{}; routes: {}",
                guess(route, &known),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    vigil::wording::listed(known.iter().copied(), vigil::wording::MOST_LISTED)
                }
            ));
        }
    }
    Ok(())
}

/// The roles `--role NAME` keeps: the role of that name, or for an alias (`manager`, the duty
/// manager in office hours and the on-call manager otherwise) both roles it stands for, since
/// a duty given to the alias is held by whichever of them was in post when it fired. Empty
/// when the rules have no role or alias of that name.
pub(super) fn roles_meant<'r>(rs: &'r RuleSet, name: &str) -> Vec<&'r str> {
    if let Some(r) = rs.role_id(name).and_then(|id| rs.role(id)) {
        return vec![&*r.name];
    }
    let Some(a) = rs.aliases().iter().find(|a| a.name == name) else {
        return Vec::new();
    };
    [a.inside, a.otherwise]
        .into_iter()
        .filter_map(|id| rs.role(id))
        .map(|r| &*r.name)
        .collect()
}

/// ` (did you mean `X`?)`, when one of `known` is close.
fn guess(wanted: &str, known: &[&str]) -> String {
    vigil::wording::did_you_mean(wanted, known.iter().copied())
        .map(|g| format!(" (did you mean `{g}`?)"))
        .unwrap_or_default()
}

/// Keep what every filter given allows: that person's obligations and visits; that role's
/// obligations; the obligations and visits about visits on that route. The exit code follows
/// what is kept; `next_change` and `notes` stay those of the whole timeline. A route's visits
/// are those of any reading (under versions side by side, each version's reading of the
/// timeline).
pub(super) fn apply_filters(
    args: &Args<'_>,
    rs: &RuleSet,
    readings: &[Timeline],
    decision: &mut Decision,
) {
    if let Some(p) = args.person {
        decision.obligations.retain(|o| &*o.person == p);
        decision.visits.retain(|v| v.person == p);
    }
    if let Some(role) = args.role {
        let meant = roles_meant(rs, role);
        // A decision several roles share is each one's (found by a docs-only tester: the
        // duty manager's list left out a decision they shared with the worker).
        decision.obligations.retain(|o| {
            meant
                .iter()
                .any(|r| **r == *o.role || o.deciders.iter().any(|d| **r == **d))
        });
    }
    if let Some(route) = args.route {
        let on_route: Vec<&str> = readings
            .iter()
            .flat_map(|t| t.visits.iter())
            .filter(|v| v.route.as_deref() == Some(route))
            .map(|v| v.id.as_str())
            .collect();
        let about = |v: Option<&str>| v.is_some_and(|v| on_route.contains(&v));
        // A governance duty counted per route names no visit, yet is that route's.
        decision.obligations.retain(|o| {
            about(o.visit.as_deref()) || vigil::audit::counted_route(o).as_deref() == Some(route)
        });
        decision
            .visits
            .retain(|v| on_route.contains(&v.id.as_str()));
    }
}

/// The one rule set the paths hold, with newer bank holidays if given; of a framework in
/// several versions, the latest (for commands that judge by one set of rules).
pub(super) fn rules(args: &Args<'_>) -> Result<vigil::rules::RuleSet, Exit> {
    let versions = versions(args)?;
    let mut all = versions.all().to_vec();
    all.pop().ok_or(Exit::Usage)
}

/// The versions of the one framework the paths hold (often just one), with newer bank
/// holidays if given.
pub(super) fn versions(args: &Args<'_>) -> Result<vigil::rules::Versions, Exit> {
    let (sources, mut findings) = files::load(args.paths, args.say())?;
    let mut checked = vigil::check::check_within(&sources, &super::files::limits());
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
            err!("{text}");
            errln!("error: the rules have errors; fix them (see `vigil check`) before evaluating");
        }
        return Err(Exit::BadInput);
    }
    if let Some(path) = args.bank_holidays {
        files::holidays(path, &mut checked.rulesets, args.say())?;
    }
    vigil::rules::Versions::new(checked.rulesets).map_err(|e| {
        args.say().error("usage", &e.to_string());
        Exit::Usage
    })
}

/// The timeline's name and text: a file, or standard input for `-`.
pub(super) fn read_timeline(path: &Path, say: super::say::Say) -> Result<(String, String), Exit> {
    let (name, read) = if path == Path::new("-") {
        let read = super::files::read_bounded(std::io::stdin().lock());
        ("<stdin>".to_string(), read)
    } else {
        (path.display().to_string(), super::files::read_file(path))
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) if path == Path::new("-") => {
            say.error(
                "io",
                &format!("cannot read the timeline from standard input: {e}"),
            );
            return Err(Exit::Usage);
        }
        Err(e) => {
            say.error("io", &format!("cannot read `{}`: {e}", path.display()));
            return Err(Exit::Usage);
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok((name, s)),
        // The same located error from a file and from standard input (it was a usage error
        // with no place from standard input, found by a docs-only tester).
        Err(e) => {
            let error = vigil::timeline::TimelineError::not_utf8(&name, e.as_bytes());
            if say.json {
                let problem = serde_json::to_value(vigil::Problem::from(&error));
                say.document(problem.into_iter().collect());
            } else {
                errln!("{error}");
            }
            Err(Exit::BadInput)
        }
    }
}

/// Every timeline error: as JSON on standard output with `--format json`, else on standard
/// error, each saying `error[T003]` after its place, as compilers do.
fn print_timeline_errors(args: &Args<'_>, errors: &[vigil::timeline::TimelineError]) {
    // Under `--redact` the errors are an output to share too: what their messages quote of
    // the timeline (an unknown person's id, a duplicate event id) is redacted; where each is,
    // its field and its help (Vigil's own words and the rules' names) stay (found by a
    // docs-only tester: `unknown person` quoted the id).
    let redacted: Vec<vigil::timeline::TimelineError>;
    let errors = if args.redact.is_some() {
        redacted = errors
            .iter()
            .cloned()
            .map(|mut e| {
                e.message = quoted_redacted(&e.message);
                e
            })
            .collect();
        &redacted[..]
    } else {
        errors
    };
    match args.format {
        Output::Json => {
            // The library's one shape for a problem (`vigil::Problem`), as a host gets it.
            let list: Vec<serde_json::Value> = errors
                .iter()
                .filter_map(|e| serde_json::to_value(vigil::Problem::from(e)).ok())
                .collect();
            args.say().document(list);
        }
        Output::Text | Output::Csv | Output::Ndjson | Output::Svg => {
            for e in errors {
                errln!("{e}");
            }
            if read_by_text(args) {
                let what = if args.timeline == Path::new("-") {
                    "standard input"
                } else {
                    "a timeline whose name has no `.yaml`, `.json` or `.ndjson` ending"
                };
                errln!("note: {what} is read as NDJSON when its first line is a whole JSON object and more follow, as JSON when it opens with `{{`, as YAML otherwise");
            }
        }
    }
}

/// `text` with every value it quotes between backquotes replaced by `[redacted]`.
fn quoted_redacted(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { "[redacted]" } else { part })
        .collect::<Vec<_>>()
        .join("`")
}

/// Refuse, before evaluating, a record whose protocol visits would be more than
/// `--max-watched-visits` ([`vigil::Limits::watched_visits`]): they are made from the record's
/// length, so a slip of the year (`from: 2000-...`, `--at 2099-...`) would otherwise make
/// millions of visits and duties, and run out of memory rather than say so (found by a
/// docs-only tester).
pub(super) fn within_watch_limit(
    say: super::say::Say,
    file: &str,
    versions: &vigil::rules::Versions,
    both: &vigil::eval::VersionedTimeline,
    as_of: vigil::time::Instant,
) -> Result<(), Exit> {
    let limits = super::files::limits();
    let Some((why, flag)) = versions
        .all()
        .iter()
        .zip(both.readings())
        .find_map(|(rs, tl)| rs.over_record_limits(tl, as_of, &limits))
    else {
        return Ok(());
    };
    say.error(
        "limit",
        &format!(
            "{file}: {why}; if a year is mistyped, correct it (the timeline's `from`, its first event, or --at); if the span is meant, evaluate a shorter part of it or raise the limit with {flag}"
        ),
    );
    Err(Exit::BadInput)
}

/// The instant to evaluate at: `--at`, else the timeline's `as_of`; an audit replays to the
/// last event, and otherwise the command line is the one place allowed to read the clock.
fn as_of(args: &Args<'_>, timeline: &Timeline) -> Result<vigil::time::Instant, Exit> {
    match args.at {
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            // A 60th second is refused, as in a timeline (T004), rather than read as the 59th
            // (found by a docs-only tester: `--at 08:41:60Z` evaluated at 08:41:59).
            Ok(t) if chrono::Timelike::nanosecond(&t) >= 1_000_000_000 => {
                args.say().error(
                    "usage",
                    &format!("--at `{text}` has a 60th second, which UTC instants here never have: give the next minute's first second, such as 2026-11-24T08:42:00Z"),
                );
                Err(Exit::Usage)
            }
            Ok(t) if vigil::time::YEARS.contains(&chrono::Datelike::year(&t)) => {
                Ok(t.with_timezone(&chrono::Utc))
            }
            Ok(t) => {
                args.say().error(
                    "usage",
                    &format!(
                        "--at `{text}` is in the year {:04}, outside the years Vigil reads ({} to {}): give the instant to evaluate at, such as 2026-11-24T08:41:00Z",
                        chrono::Datelike::year(&t),
                        vigil::time::YEARS.start(),
                        vigil::time::YEARS.end()
                    ),
                );
                Err(Exit::Usage)
            }
            Err(_) => {
                args.say().error(
                    "usage",
                    &format!("--at `{text}` is not an RFC 3339 instant with an offset, such as 2026-11-24T08:41:00Z"),
                );
                Err(Exit::Usage)
            }
        },
        // The library's default (the timeline's `as_of`; an audit's last event), else the
        // clock: the one place a decision's instant is read from it. An audit never reads it.
        None => Ok(match timeline.default_as_of(args.audit) {
            Some(t) => t,
            None if args.audit => vigil::time::Instant::default(),
            None => chrono::Utc::now(),
        }),
    }
}
