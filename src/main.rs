//! The `vigil` command: check protocols, evaluate timelines.

mod cli;

/// mimalloc in place of the system's allocator: reading a log makes and frees several small
/// strings for every event, and the system's allocator was a fifth of a year's audit
/// (callgrind). It costs some resident memory that it keeps for reuse; transparent huge
/// pages are off for this process (Cargo.toml says why; docs/performance.md). The library
/// leaves the choice to its host.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack the command runs on: reading a condition nested as deep as `--max-nesting`
/// allows (256) takes several MiB in a debug build, more than a main thread may have.
const STACK_BYTES: usize = 64 << 20;

fn main() -> std::process::ExitCode {
    let worker = std::thread::Builder::new()
        .name("vigil".into())
        .stack_size(STACK_BYTES)
        .spawn(cli::run);
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        // A panic has printed its message; the thread could not start only for want of memory.
        Ok(Err(_)) => std::process::ExitCode::from(101),
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
