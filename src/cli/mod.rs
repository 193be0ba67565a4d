//! The command line: argument parsing, file discovery, output and exit codes. The only part of
//! Vigil that knows about clap, terminals and processes.

/// `eprintln!` that never panics: a closed standard error (`2>&1 >/dev/null | head -1`)
/// must not turn an error report into a crash; the exit code still says what happened.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see `errln!`).
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod audit;
mod check;
mod diff;
mod eval;
mod explain;
mod explain_rules;
mod files;
mod fmt;
mod say;
mod show;
mod simulate;
mod test;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes, as documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Clean, or warnings only.
    Ok = 0,
    /// Bad input: errors in protocols or timelines.
    BadInput = 1,
    /// Usage or I/O problem.
    Usage = 2,
    /// `vigil eval`: something is overdue.
    Overdue = 3,
}

/// The limits on what is read, as the command line sets them.
fn limits_of(cli: &Cli) -> vigil::Limits {
    let mut limits = vigil::Limits::default();
    limits.line_chars = usize::try_from(cli.max_line_chars).unwrap_or(usize::MAX);
    limits.events = usize::try_from(cli.max_events).unwrap_or(usize::MAX);
    limits.nesting = usize::try_from(cli.max_nesting).unwrap_or(vigil::Limits::NESTING_CEILING);
    limits.deadline_days = cli.max_deadline_days;
    limits.roles = usize::try_from(cli.max_roles).unwrap_or(usize::MAX);
    limits.watched_visits = cli.max_watched_visits;
    limits.scheduled_duties = cli.max_scheduled_duties;
    limits
}

/// Write `bytes` to standard output. `Ok(false)` when the reader has stopped reading (`vigil
/// check | head -1`): that is not an error, and the rest is dropped quietly rather than
/// reported or panicked over.
pub fn to_stdout(bytes: &[u8]) -> std::io::Result<bool> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// How findings and results are printed: one vocabulary for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: findings with their source, a duty manager's list (`human` is the same).
    #[value(alias = "human")]
    Text,
    /// For machines: one JSON document on standard output.
    Json,
}

/// How `vigil eval` prints the decision: the same vocabulary as `--format`, and two formats
/// of its own for machines that read obligations one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The duty manager's list (`human` is the same).
    #[value(alias = "human")]
    Text,
    /// The decision: one JSON document (docs/decision.md).
    Json,
    /// For spreadsheets: a header row, then one row per obligation (RFC 4180, CRLF).
    Csv,
    /// One JSON object per obligation per line, each with `contract` and `as_of`.
    Ndjson,
    /// A picture: each episode's duties as bars on a time axis, events and "now" marked.
    Svg,
}

/// What `vigil audit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// The figures, the breaches worst first and each grouping, for a terminal.
    Text,
    /// The audit as one JSON document (docs/audit.md).
    Json,
    /// One row per duty (RFC 4180, CRLF), breaches first.
    Csv,
    /// The governance pack in Markdown, with the weekly chart as an embedded SVG image.
    Markdown,
    /// The governance pack as one HTML page, with the weekly chart drawn inline.
    Html,
    /// The chart alone: missed and late visits per week.
    Svg,
}

/// What `vigil simulate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// One JSON object per line: a header (`from`, `as_of`), then one event per line.
    Ndjson,
    /// One JSON document.
    Json,
    /// One YAML document.
    Yaml,
}

/// Whether findings are printed in colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    /// In colour on a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always in colour, even into a file or pipe.
    Always,
    /// Never in colour.
    Never,
}

impl Colour {
    /// Whether to print in colour on standard output.
    pub fn on_stdout(self) -> bool {
        use std::io::IsTerminal;
        self.on(std::io::stdout().is_terminal())
    }

    /// Whether to print in colour on standard error.
    pub fn on_stderr(self) -> bool {
        use std::io::IsTerminal;
        self.on(std::io::stderr().is_terminal())
    }

    /// The width to render findings at on standard output: the terminal's, else 100.
    pub fn width(self) -> usize {
        terminal_size::terminal_size_of(std::io::stdout()).map_or(100, |(w, _)| usize::from(w.0))
    }

    fn on(self, terminal: bool) -> bool {
        match self {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// Vigil: no-response protocols and escalation thresholds, checked and evaluated.
#[derive(Debug, Parser)]
#[command(name = "vigil", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour in findings: `auto` (on a terminal, unless NO_COLOR is set), `always`, `never`.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: Colour,
    /// The largest file Vigil reads, in MiB (protocols, timelines, bank-holiday data): a larger
    /// one, or a path to something endless, is refused before it fills memory.
    #[arg(long, global = true, default_value_t = files::DEFAULT_MAX_MIB, value_name = "MIB",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_file_mib: u64,
    /// The longest line of a `.vigil` file, or of a YAML or NDJSON timeline, in characters.
    #[arg(long, global = true, default_value_t = 10_000, value_name = "CHARS",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_line_chars: u64,
    /// The most events a timeline may hold.
    #[arg(long, global = true, default_value_t = 2_000_000, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_events: u64,
    /// The deepest brackets may nest in a condition or a timeline (at most 256).
    #[arg(long, global = true, default_value_t = 64, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=256))]
    max_nesting: u64,
    /// The longest deadline, threshold or window a rule may state, in days (at most 366).
    #[arg(long, global = true, default_value_t = vigil::Limits::default().deadline_days, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=366))]
    max_deadline_days: u32,
    /// The most roles one framework may declare.
    #[arg(long, global = true, default_value_t = vigil::Limits::default().roles as u64, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_roles: u64,
    /// The most occurrences of protocol visits one evaluation watches: they are made from the
    /// record's length (from its start to the instant evaluated), so a slip of the year in
    /// `from` or `--at` could otherwise make millions.
    #[arg(long, global = true, default_value_t = vigil::Limits::default().watched_visits, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_watched_visits: u64,
    /// The most scheduled governance duties (`daily at`, `times each week`) one evaluation
    /// opens: they are made from the record's length too.
    #[arg(long, global = true, default_value_t = vigil::Limits::default().scheduled_duties, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    max_scheduled_duties: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a timeline: what must be done next, by whom, by when, and why.
    /// Exits 3 when something is overdue.
    Eval {
        /// Framework and protocol files, or directories searched for `*.vigil`.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
        /// The timeline (YAML; JSON for `.json`; NDJSON, one event a line, for `.ndjson` and
        /// `.jsonl`; `-` reads standard input, NDJSON if each line is one JSON object, JSON if it
        /// opens with `{`, YAML otherwise).
        #[arg(long, value_name = "FILE")]
        timeline: std::path::PathBuf,
        /// The instant to evaluate at (RFC 3339 with an offset); default: the timeline's
        /// `as_of`, else now.
        #[arg(long, value_name = "INSTANT")]
        at: Option<String>,
        /// Only this person's obligations and visits (with --role and --route, what all of
        /// them allow).
        #[arg(long, value_name = "ID")]
        person: Option<String>,
        /// Only the obligations of this role (`duty_manager`): one worker's list. An alias
        /// (`manager`) keeps those of both roles it stands for.
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// Only the obligations and visits about visits on this route (as the timeline's
        /// `visit_planned` events name it), and the governance duties counted per that route.
        #[arg(long, value_name = "ROUTE")]
        route: Option<String>,
        /// Replay the whole timeline and report every obligation's outcome (done, done late,
        /// no longer required and why); without --at, evaluate at the timeline's as_of or its
        /// last event, never the clock.
        #[arg(long)]
        audit: bool,
        /// Keep watching: evaluate at the clock, again at each next change and whenever the
        /// timeline file changes (read every second), and print only what changed, as text or
        /// ndjson; Ctrl-C stops (exit 0). Not with --at, --audit or --timeline -.
        #[arg(long, conflicts_with_all = ["at", "audit"])]
        watch: bool,
        /// Output format; every filter applies to each.
        #[arg(long, value_enum, default_value = "text")]
        format: EvalFormat,
        /// Bank-holiday data in GOV.UK's JSON shape, replacing the embedded copy.
        #[arg(long, value_name = "FILE")]
        bank_holidays: Option<std::path::PathBuf>,
        /// Share the output outside the provider: person ids, event ids, routes and
        /// locations become stable keyed pseudonyms and free text `[redacted]`. KEYFILE holds
        /// the secret key (at least 16 bytes: `head -c 32 /dev/urandom > vigil.key`); the same
        /// key gives the same pseudonyms. `--person` and `--route` take the real ids, or the
        /// pseudonyms a redacted output showed.
        #[arg(long, value_name = "KEYFILE")]
        redact: Option<std::path::PathBuf>,
        /// For each duty, the chain from the event that triggered it through its rule and
        /// conditions to the arithmetic of its due time, in words (text only).
        #[arg(long, conflicts_with = "watch")]
        explain: bool,
    },
    /// Audit a period: every duty's outcome (done on time, done late and by how much, never
    /// done, no longer required) with its rule and citations, counted per role, person,
    /// route, location and review cycle, with compliance percentages, and the visits missed
    /// and late in each week. Exits 3 when a duty went past its due time undone.
    Audit {
        /// Framework and protocol files, or directories searched for `*.vigil`; several
        /// versions of one framework judge each episode by the version in force when it opened.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
        /// The timeline (YAML, JSON, or NDJSON for `.ndjson` and `.jsonl`; `-` reads standard
        /// input).
        #[arg(long, value_name = "FILE")]
        timeline: std::path::PathBuf,
        /// The period's first day (`2027-01-04`, a whole local day) or instant; default: the
        /// timeline's `from`, else its first event.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// The period's last day (included) or the instant it ends; default: the timeline's
        /// `as_of`, else just after its last event.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Output format: text, json, csv, or the governance pack as markdown or html (svg:
        /// the weekly chart alone).
        #[arg(long, value_enum, default_value = "text")]
        format: AuditFormat,
        /// Bank-holiday data in GOV.UK's JSON shape, replacing the embedded copy.
        #[arg(long, value_name = "FILE")]
        bank_holidays: Option<std::path::PathBuf>,
        /// Share the audit outside the provider: person ids, event ids, routes and locations
        /// become stable keyed pseudonyms and free text `[redacted]` (as for `eval`).
        #[arg(long, value_name = "KEYFILE")]
        redact: Option<std::path::PathBuf>,
    },
    /// Write a reproducible synthetic service timeline: visits by criticality, lateness,
    /// missed visits, no answer at the door, refusals, hospital admissions and days a
    /// route's staff are off sick, at the rates docs/simulation.md gives. The same
    /// arguments give the same file, byte for byte.
    Simulate {
        /// The framework (and protocols) the events are written for; it must declare the
        /// roles `support_worker` and `scheduling_coordinator`, the alias `manager`, the log
        /// `missed_visit_log` and a `critical` threshold, as the supported-living one does.
        #[arg(default_value = "protocols/supported-living")]
        paths: Vec<std::path::PathBuf>,
        /// How many people.
        #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        people: u32,
        /// How many days.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3_660))]
        days: u32,
        /// The seed: the same seed, the same timeline.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The first day (local date, `2026-01-05`).
        #[arg(long, default_value = "2026-01-05", value_name = "DATE")]
        start: chrono::NaiveDate,
        /// Output format.
        #[arg(long, value_enum, default_value = "ndjson")]
        format: SimulateFormat,
    },
    /// Print a completion script for a shell (`vigil completions bash > /etc/bash_completion.d/vigil`).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`vigil man > vigil.1; man ./vigil.1`).
    Man,
    /// Print a finding's page of the diagnostics reference: what it means, its smallest
    /// example and how to fix it (`vigil explain-code E017`).
    ExplainCode {
        /// The code, as a finding shows it: `E017`, `W003`, `T003`.
        code: String,
    },
    /// Run the tests written beside the protocols (`*.test.yaml`): at each instant a test
    /// names, the duties it expects must be there and those it rules out must not. Exits 1
    /// if a test fails, a test file has a problem, or no test ran.
    Test {
        /// Folders searched for `*.vigil` and `*.test.yaml`, or files; a test file named
        /// alone is run against the rules in its own folder.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
        /// Run only the tests whose name contains this text.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// Also list every pathway, step, branch and condition outcome no test reached.
        #[arg(long)]
        coverage: bool,
        /// Output format: text (for people) or json (one document).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Bank-holiday data in GOV.UK's JSON shape, replacing the embedded copy.
        #[arg(long, value_name = "FILE")]
        bank_holidays: Option<std::path::PathBuf>,
    },
    /// Rewrite `.vigil` files in the one canonical layout (comments kept, meaning unchanged);
    /// with --check, only list the files that are not in it (exit 1 if any).
    Fmt {
        /// Files, or folders searched for `*.vigil`.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
        /// Change nothing: list the files not formatted, and exit 1 if there are any.
        #[arg(long)]
        check: bool,
    },
    /// Show a person's effective rules after refinement: each ladder in order with who acts
    /// in and out of hours, deadlines (and their worst case), where each step is written and
    /// its citations; then contacts, visit thresholds (the person's own where their protocol sets them), visits, absences and exceptions.
    Show {
        /// The person (their protocol's id); leave out with --no-protocol.
        #[arg(required_unless_present = "no_protocol")]
        person: Option<String>,
        /// Only this pathway (`no_response`).
        pathway: Option<String>,
        /// The framework's own rules, which apply to a person with no protocol.
        #[arg(long, conflicts_with = "person")]
        no_protocol: bool,
        /// Files or folders of rules (searched for `*.vigil`); the framework holding the
        /// person is used.
        #[arg(long = "rules", value_name = "PATH", default_value = "protocols")]
        rules: Vec<std::path::PathBuf>,
        /// text, markdown or mermaid.
        #[arg(long, value_enum, default_value = "text")]
        format: show::ShowFormat,
    },
    /// A person's protocol in words: for staff (each step: when, who, by when, why, the
    /// citation), or for the person (an easy-read draft to go through with them).
    Explain {
        /// The person (their protocol's id).
        person: String,
        /// `staff` or `person`.
        #[arg(long, value_enum, default_value = "staff")]
        audience: explain_rules::Audience,
        /// text, markdown or html.
        #[arg(long, value_enum, default_value = "text")]
        format: explain_rules::ExplainFormat,
        /// Files or folders of rules (searched for `*.vigil`).
        #[arg(long = "rules", value_name = "PATH", default_value = "protocols")]
        rules: Vec<std::path::PathBuf>,
    },
    /// What changed between two versions of a framework, rule by rule, and what it does to
    /// each protocol written under the old one (inherits the change, now fails and why, or
    /// keeps its own stricter step); with --timelines, the duties that change.
    Diff {
        /// The old framework's folder (with its protocols).
        old: std::path::PathBuf,
        /// The new framework's folder (or file).
        new: std::path::PathBuf,
        /// Evaluate every timeline in this folder under both and list the duties that change.
        #[arg(long, value_name = "DIR")]
        timelines: Option<std::path::PathBuf>,
    },
    /// Move protocols to a framework version (rewriting their `version`), each only when it
    /// still checks against that version; the rest are left and the reasons given.
    Migrate {
        /// The version to move to; its framework must be under the paths.
        #[arg(long, value_name = "VERSION")]
        to: String,
        /// Files, or folders searched for `*.vigil`.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
    },
    /// Check frameworks and protocols (files, or directories searched for *.vigil).
    Check {
        /// Files or directories; directories are searched recursively for `*.vigil`.
        #[arg(default_value = "protocols")]
        paths: Vec<std::path::PathBuf>,
        /// Output format: text (findings with their source) or json (one document); csv and
        /// ndjson are for `eval`'s obligations only.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Bank-holiday data in GOV.UK's JSON shape, replacing the embedded copy (which ends
        /// with 2027).
        #[arg(long, value_name = "FILE")]
        bank_holidays: Option<std::path::PathBuf>,
    },
}

/// Run the command line and give the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() && json_asked() {
                // The whole of what clap says up to its usage line, on one line: the first
                // line alone was "the following required arguments were not provided:" and
                // no argument (found by a docs-only tester).
                let message = e.render().to_string();
                let said: Vec<&str> = message
                    .lines()
                    .take_while(|l| !l.trim().is_empty())
                    .map(str::trim)
                    .collect();
                let said = said.join(" ");
                say::Say { json: true }.error("usage", said.trim_start_matches("error: "));
                return Exit::Usage.into();
            }
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    let colour = cli.color;
    files::set_limits(cli.max_file_mib, limits_of(&cli));
    match cli.command {
        Command::ExplainCode { code } => explain::run(&code).into(),
        Command::Completions { shell } => completions(shell).into(),
        Command::Man => man().into(),
        Command::Check {
            paths,
            format,
            bank_holidays,
        } => check::run(&paths, format, bank_holidays.as_deref(), colour).into(),
        Command::Show {
            person,
            pathway,
            rules,
            format,
            ..
        } => show::run(&show::Args {
            person: person.as_deref(),
            pathway: pathway.as_deref(),
            rules: &rules,
            format,
            colour,
        })
        .into(),
        Command::Explain {
            person,
            audience,
            format,
            rules,
        } => explain_rules::run(&person, &rules, (audience, format), colour).into(),
        Command::Diff {
            old,
            new,
            timelines,
        } => diff::run(&old, &new, timelines.as_deref(), colour).into(),
        Command::Migrate { to, paths } => diff::migrate(&paths, &to).into(),
        Command::Fmt { paths, check } => fmt::run(&paths, check).into(),
        Command::Test {
            paths,
            filter,
            coverage,
            format,
            bank_holidays,
        } => test::run(&test::Args {
            paths: &paths,
            filter: filter.as_deref(),
            coverage,
            format,
            bank_holidays: bank_holidays.as_deref(),
            colour,
        })
        .into(),
        command @ Command::Eval { .. } => eval_command(command, colour),
        command @ Command::Audit { .. } => audit_command(command, colour),
        Command::Simulate {
            paths,
            people,
            days,
            seed,
            start,
            format,
        } => {
            let args = eval::Args {
                paths: &paths,
                timeline: std::path::Path::new("-"),
                at: None,
                person: None,
                role: None,
                route: None,
                audit: false,
                format: EvalFormat::Text,
                bank_holidays: None,
                colour,
                redact: None,
                explain: false,
            };
            if !vigil::time::YEARS.contains(&chrono::Datelike::year(&start)) {
                say::Say { json: false }.error("usage", "--start must be a date from 2000 to 2099");
                return Exit::Usage.into();
            }
            let settings = vigil::simulate::Settings {
                people,
                days,
                seed,
                start,
            };
            simulate::run(&args, &settings, format).into()
        }
    }
}

/// With `--redact`, its key, and the `--person` and `--route` filters as the redacted
/// timeline names them (the user gives the real ids, or the pseudonyms an output showed; the
/// timeline holds pseudonyms).
type Redaction = (Option<Vec<u8>>, Option<String>, Option<String>);

fn redaction(
    keyfile: Option<&std::path::Path>,
    person: Option<String>,
    route: Option<String>,
) -> Result<Redaction, (&'static str, String)> {
    let Some(key) = keyfile.map(redact_key).transpose()? else {
        return Ok((None, person, route));
    };
    // A pseudonym given as it was shown (`person-9018216653ac`, read off a redacted output)
    // is taken as it is, not hashed again into one no output ever showed.
    let hide = |kind: &str, given: Option<String>| {
        given.map(|g| {
            let shown = g
                .strip_prefix(kind)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit()));
            if shown {
                g
            } else {
                vigil::timeline::pseudonym(&key, kind, &g)
            }
        })
    };
    let (person, route) = (hide("person", person), hide("route", route));
    Ok((Some(key), person, route))
}

/// The secret key in `path` for `--redact`: at least 16 bytes, so that pseudonyms cannot be
/// reversed by trying every likely id.
/// A key that cannot be read is an `io` error, as any path is; one too short, `usage` (found
/// by a docs-only tester: both were `usage`).
fn redact_key(path: &std::path::Path) -> Result<Vec<u8>, (&'static str, String)> {
    let key = files::read_file(path).map_err(|e| {
        (
            "io",
            format!("cannot read the key `{}`: {e}", path.display()),
        )
    })?;
    if key.len() < 16 {
        return Err((
            "usage",
            format!(
                "the key in `{}` has {} bytes; --redact needs at least 16 (make one with `head -c 32 /dev/urandom > vigil.key`)",
                path.display(),
                key.len()
            ),
        ));
    }
    Ok(key)
}

/// A completion script for `shell`, generated from the same parser as `--help`.
fn completions(shell: clap_complete::Shell) -> Exit {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "vigil", &mut script);
    match to_stdout(&script) {
        Ok(_) => Exit::Ok,
        Err(e) => {
            errln!("error: cannot write the completion script: {e}");
            Exit::Usage
        }
    }
}

/// The manual page, generated from the same parser as `--help`.
fn man() -> Exit {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
        errln!("error: cannot write the manual page: {e}");
        return Exit::Usage;
    }
    match to_stdout(&out) {
        Ok(_) => Exit::Ok,
        Err(e) => {
            errln!("error: cannot write the manual page: {e}");
            Exit::Usage
        }
    }
}

/// Whether the command line asks for `--format json`, read from the raw arguments, for the
/// usage errors found before they could be parsed.
fn json_asked() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json")
}

/// `vigil audit`, from its arguments.
fn audit_command(command: Command, colour: Colour) -> ExitCode {
    let Command::Audit {
        paths,
        timeline,
        from,
        to,
        format,
        bank_holidays,
        redact,
    } = command
    else {
        return Exit::Usage.into();
    };
    let say = say::Say {
        json: format == AuditFormat::Json,
    };
    let key = match redaction(redact.as_deref(), None, None) {
        Ok((key, _, _)) => key,
        Err((code, message)) => {
            say.error(code, &message);
            return Exit::Usage.into();
        }
    };
    let args = eval::Args {
        paths: &paths,
        timeline: &timeline,
        at: None,
        person: None,
        role: None,
        route: None,
        audit: true,
        // Only where its own errors go: JSON for a JSON audit.
        format: if say.json {
            EvalFormat::Json
        } else {
            EvalFormat::Text
        },
        bank_holidays: bank_holidays.as_deref(),
        colour,
        redact: key.as_deref(),
        explain: false,
    };
    let bounds = audit::Bounds {
        from: from.as_deref(),
        to: to.as_deref(),
    };
    audit::run(&args, &bounds, format).into()
}

/// `vigil eval`, from its arguments.
fn eval_command(command: Command, colour: Colour) -> ExitCode {
    let Command::Eval {
        paths,
        timeline,
        at,
        person,
        role,
        route,
        audit,
        watch,
        format,
        bank_holidays,
        redact,
        explain,
    } = command
    else {
        return Exit::Usage.into();
    };
    let say = say::Say {
        json: format == EvalFormat::Json,
    };
    let (key, person, route) = match redaction(redact.as_deref(), person, route) {
        Ok(r) => r,
        Err((code, message)) => {
            say.error(code, &message);
            return Exit::Usage.into();
        }
    };
    let args = eval::Args {
        paths: &paths,
        timeline: &timeline,
        at: at.as_deref(),
        person: person.as_deref(),
        role: role.as_deref(),
        route: route.as_deref(),
        audit,
        format,
        bank_holidays: bank_holidays.as_deref(),
        colour,
        redact: key.as_deref(),
        explain,
    };
    if explain && format != EvalFormat::Text {
        say.error(
            "usage",
            "--explain writes text; leave out --format, or use --format text",
        );
        return Exit::Usage.into();
    }
    if watch {
        watch::run(&args).into()
    } else {
        eval::run(&args).into()
    }
}
