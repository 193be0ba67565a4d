//! The command line: argument parsing, file discovery, output and exit codes. The only part of
//! Vigil that knows about clap, terminals and processes.

mod check;
mod files;

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
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// How findings and results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: miette reports and a summary line.
    Human,
    /// For machines: one JSON document on standard output.
    Json,
}

/// Vigil: no-response protocols and escalation thresholds, checked and evaluated.
#[derive(Debug, Parser)]
#[command(name = "vigil", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check frameworks and protocols (files, or directories searched for *.vigil).
    Check {
        /// Files or directories; directories are searched recursively for `*.vigil`.
        #[arg(default_value = ".")]
        paths: Vec<std::path::PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
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
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    match cli.command {
        Command::Check {
            paths,
            format,
            bank_holidays,
        } => check::run(&paths, format, bank_holidays.as_deref()).into(),
    }
}
