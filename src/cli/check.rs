//! `vigil check [PATHS]...`

use std::path::PathBuf;

use vigil::check::Severity;
use vigil::render::diagnostics;

use super::{files, Colour, Exit, Format};

/// Check the files under `paths` and print findings and a summary.
pub fn run(
    paths: &[PathBuf],
    format: Format,
    bank_holidays: Option<&std::path::Path>,
    colour: Colour,
) -> Exit {
    let say = super::say::Say {
        json: format == Format::Json,
    };
    let (sources, mut findings) = match files::load(paths, say) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let mut checked = vigil::check::check_within(&sources, &super::files::limits());
    if let Some(path) = bank_holidays {
        match files::holidays(path, &mut checked.rulesets, say) {
            Ok(()) => {}
            Err(e) => return e,
        }
    }
    findings.extend(checked.diagnostics.iter().cloned());
    let errors = findings
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let written = match format {
        Format::Text => {
            let counts = (checked.frameworks, checked.protocols, errors, warnings);
            let style = (colour.on_stdout(), colour.width());
            let mut out = text(&findings, &sources, counts, style);
            out.push_str(&unproved_text(&checked.unproved));
            super::to_stdout(out.as_bytes())
        }
        Format::Json => {
            let doc = JsonReport {
                contract: vigil::CONTRACT,
                files: sources.len(),
                frameworks: checked.frameworks,
                protocols: checked.protocols,
                errors,
                warnings,
                diagnostics: findings
                    .iter()
                    .map(|d| diagnostics::to_json(d, &sources))
                    .collect(),
                unproved: checked
                    .unproved
                    .iter()
                    .map(|u| JsonUnproved {
                        pathway: u.pathway.clone(),
                        file: u.origin.file.clone(),
                        line: u.origin.line,
                    })
                    .collect(),
            };
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
            super::to_stdout(text.as_bytes())
        }
    };
    if let Err(e) = written {
        say.write_failed("the findings", &e);
        return Exit::Usage;
    }
    if errors > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}

/// The findings for people, each with its source (in colour and at the terminal's width, as
/// `style` says), then a summary line and where each code's page is. `counts`: frameworks,
/// protocols, errors, warnings.
fn text(
    findings: &[vigil::check::Diagnostic],
    sources: &[vigil::Source],
    (frameworks, protocols, errors, warnings): (usize, usize, usize, usize),
    (colour, width): (bool, usize),
) -> String {
    let mut text = String::new();
    for d in findings {
        text.push_str(&diagnostics::render_width(d, sources, colour, width));
        text.push('\n');
    }
    text.push_str(&format!(
        "checked {} file{}: {} framework{}, {} protocol{}; {} error{}, {} warning{}\n",
        sources.len(),
        plural(sources.len()),
        frameworks,
        plural(frameworks),
        protocols,
        plural(protocols),
        errors,
        plural(errors),
        warnings,
        plural(warnings)
    ));
    // The first error's page, the one to read first; a warning's only when there is no error.
    let first = findings
        .iter()
        .find(|d| d.severity() == vigil::check::Severity::Error)
        .or_else(|| findings.first());
    if let Some(first) = first {
        text.push_str(&format!(
            "each code's page, with its smallest example and the fix: `vigil explain-code {}`\n",
            first.code.as_str()
        ));
    }
    text
}

/// The JSON document `vigil check --format json` prints.
#[derive(serde::Serialize)]
struct JsonReport {
    contract: &'static str,
    files: usize,
    frameworks: usize,
    protocols: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<diagnostics::JsonDiagnostic>,
    /// Pathways whose floors and policy were not checked, for errors in their steps.
    unproved: Vec<JsonUnproved>,
}

#[derive(serde::Serialize)]
struct JsonUnproved {
    pathway: String,
    file: String,
    line: usize,
}

/// The pathways left unchecked against the floors and the policy, for errors in their steps:
/// said after the summary, so that fixing the errors bringing new findings is no surprise.
fn unproved_text(unproved: &[vigil::check::Unproved]) -> String {
    let mut out = String::new();
    if unproved.is_empty() {
        return out;
    }
    out.push_str(
        "not yet checked against the framework's floors and escalation policy, because steps in them have errors (fix those, then check again):\n",
    );
    for u in unproved {
        out.push_str(&format!(
            "  - pathway `{}` ({}:{})\n",
            u.pathway, u.origin.file, u.origin.line
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
