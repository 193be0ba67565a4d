//! `vigil simulate [PATHS]... --people N --days D --seed S [--start DATE]
//! [--format ndjson|json|yaml]`: a reproducible synthetic service timeline (docs/simulation.md).

use vigil::simulate::{simulate, Settings};
use vigil::timeline::TimelineInput;

use super::eval::{self, Args};
use super::{Exit, SimulateFormat};

/// Write the simulated timeline to standard output (or `--output`).
pub fn run(args: &Args<'_>, settings: &Settings, format: SimulateFormat) -> Exit {
    let rs = match eval::rules(args) {
        Ok(rs) => rs,
        Err(exit) => return exit,
    };
    let input = match simulate(&rs, settings) {
        Ok(input) => input,
        Err(message) => {
            args.say().error("usage", &message);
            return Exit::Usage;
        }
    };
    let text = match format {
        SimulateFormat::Ndjson => ndjson(&input),
        SimulateFormat::Json => serde_json::to_string_pretty(&input)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        SimulateFormat::Yaml => serde_yaml::to_string(&input).unwrap_or_default(),
    };
    match eval::write(args, &text) {
        Ok(()) => Exit::Ok,
        Err(exit) => exit,
    }
}

/// One line for the header (`from`, `as_of`), then one per event.
fn ndjson(input: &TimelineInput) -> String {
    let mut out = String::new();
    let header = serde_json::json!({
        "from": input.from_text(),
        "as_of": input.as_of_text(),
    });
    out.push_str(&header.to_string());
    out.push('\n');
    for e in input.events() {
        if let Ok(line) = serde_json::to_string(e) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
