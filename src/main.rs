//! The `vigil` command: check protocols, evaluate timelines.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
