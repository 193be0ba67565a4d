//! Finding and reading `.vigil` files.

use std::path::{Path, PathBuf};

use vigil::check::{Code, Diagnostic};
use vigil::{Source, Span};

/// Every `.vigil` file under the given paths: files as given, directories searched recursively,
/// each directory's entries in name order so output is the same on every machine.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            // The default folder, missing: say what to give instead of an OS error alone.
            if p.as_os_str() == "protocols" && !p.exists() {
                format!(
                    "no `protocols` folder here, where Vigil looks when no rules are named; give the framework and protocol files or folders, for example `vigil check path/to/rules` ({e})"
                )
            } else {
                format!("cannot read `{}`: {e}", p.display())
            }
        })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    // The same file named two ways (`.` and `framework.vigil`) is read once.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    walk_matching(dir, out, &|p| p.extension().is_some_and(|e| e == "vigil"))
}

/// Every file under `dir` that `wanted` accepts, each folder's entries in name order.
/// Linked folders are not followed: a link back up the tree would never end.
pub fn walk_matching(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    wanted: &dyn Fn(&Path) -> bool,
) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let linked = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if p.is_dir() && !linked {
            walk_matching(&p, out, wanted)?;
        } else if wanted(&p) {
            ordinary(&p)?;
            out.push(p);
        }
    }
    Ok(())
}

/// A file found in a folder is read only if it is an ordinary file (or a link to one):
/// opening a named pipe waits for a writer that never comes, and a device never ends (found
/// by a docs-only tester: a pipe named `x.vigil` in a folder hung `check`, `test` and
/// `diff`). A path named on the command line is read whatever it is, as a shell's `<(...)`
/// is a pipe.
pub fn ordinary(p: &Path) -> Result<(), String> {
    why_not_ordinary(p).map_err(|why| format!("`{}` {why}", p.display()))
}

/// [`ordinary`]'s reason, without the file it is about: "is not an ordinary file ...", for a
/// caller that names the file its own way.
pub fn why_not_ordinary(p: &Path) -> Result<(), String> {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err("is not an ordinary file (a named pipe, socket or device): a folder's files are read only when they are ordinary files; move it out of the folder, or name it on the command line to read it".into()),
        Err(e) => Err(format!("cannot be looked at: {e}")),
    }
}

/// The `.vigil` files under `paths`, or the reason there are none said on standard error
/// (exit 2): for the commands whose output is text only.
pub fn discovered(paths: &[PathBuf]) -> Result<Vec<PathBuf>, super::Exit> {
    match discover(paths) {
        Ok(f) if !f.is_empty() => Ok(f),
        Ok(_) => {
            errln!("error: no `.vigil` files found under the paths given");
            Err(super::Exit::Usage)
        }
        Err(e) => {
            errln!("error: {e}");
            Err(super::Exit::Usage)
        }
    }
}

/// The largest file read by default, in MiB: a timeline of a million events in compact JSON
/// is about 150 MiB.
pub const DEFAULT_MAX_MIB: u64 = 256;

/// The limit in force (`--max-file-mib`), set once when the command line is read.
static MAX_MIB: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(DEFAULT_MAX_MIB);

/// The other limits in force (`--max-line-chars`, `--max-events`, `--max-nesting`,
/// `--max-deadline-days`, `--max-roles`), set once when the command line is read.
static LIMITS: std::sync::OnceLock<vigil::Limits> = std::sync::OnceLock::new();

/// Set the limits on what is read: the largest file (in MiB) and the rest.
pub fn set_limits(mib: u64, limits: vigil::Limits) {
    MAX_MIB.store(mib, std::sync::atomic::Ordering::Relaxed);
    let mut limits = limits;
    limits.file_bytes = mib.saturating_mul(1024 * 1024);
    let _ = LIMITS.set(limits);
}

/// The limits in force.
pub fn limits() -> vigil::Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Read at most the limit from `from`, and refuse what is longer: a device or a runaway log
/// named by mistake is refused after the limit, never read to the end.
pub fn read_bounded(from: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mib = MAX_MIB.load(std::sync::atomic::Ordering::Relaxed);
    let limit = mib.saturating_mul(1024 * 1024);
    let mut bytes = Vec::new();
    from.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it is larger than {mib} MiB, the most Vigil reads (raise it with --max-file-mib)"
        )));
    }
    Ok(bytes)
}

/// Read the file at `path` with the limit in force.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_bounded(std::fs::File::open(path)?)
}

/// Find and read the `.vigil` files under `paths`, or say why not (a usage or I/O problem).
pub fn load(
    paths: &[PathBuf],
    say: super::say::Say,
) -> Result<(Vec<Source>, Vec<Diagnostic>), super::Exit> {
    let found = match discover(paths) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            say.error("usage", "no `.vigil` files found under the paths given");
            return Err(super::Exit::Usage);
        }
        Err(e) => {
            say.error("io", &e);
            return Err(super::Exit::Usage);
        }
    };
    read(&found).map_err(|e| {
        say.error("io", &e);
        super::Exit::Usage
    })
}

/// Read files as sources. Text that is not UTF-8 is read with replacement characters and a
/// finding at the first bad byte, so the rest of the file is still checked.
pub fn read(paths: &[PathBuf]) -> Result<(Vec<Source>, Vec<Diagnostic>), String> {
    let mut sources = Vec::new();
    let mut findings = Vec::new();
    for p in paths {
        let bytes = read_file(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        let name = p.display().to_string();
        match String::from_utf8(bytes) {
            Ok(text) => sources.push(Source::new(name, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                findings.push(Diagnostic::new(
                    Code::Syntax,
                    sources.len(),
                    // The bad byte reads as one replacement character in the text.
                    Span::new(valid, valid + '\u{fffd}'.len_utf8()),
                    "the file is not UTF-8 text",
                    "not UTF-8",
                    "save the file as UTF-8 (plain text)",
                ));
                sources.push(Source::new(name, text));
            }
        }
    }
    Ok((sources, findings))
}

/// Replace each rule set's bank holidays with the data in `path`. An unreadable file is a
/// usage error; a malformed one, or one without a framework's division, is bad input,
/// reported with the file, line and column.
pub fn holidays(
    path: &Path,
    rulesets: &mut [vigil::rules::RuleSet],
    say: super::say::Say,
) -> Result<(), super::Exit> {
    let text = read_file(path)
        .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        .map_err(|e| {
            say.error("io", &format!("cannot read `{}`: {e}", path.display()));
            super::Exit::Usage
        })?;
    let name = path.display().to_string();
    for rs in rulesets {
        if let Err(e) = rs.set_holidays_json(&text) {
            match e {
                vigil::time::HolidayError::BadDate { ref date, .. } => {
                    let at = text.find(&format!("\"{date}\"")).unwrap_or(0);
                    let line = text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
                    let column = at
                        - text
                            .get(..at)
                            .and_then(|t| t.rfind('\n'))
                            .map_or(0, |i| i + 1)
                        + 1;
                    say.error_at(
                        "bank-holidays",
                        (&name, line, column),
                        &format!("bank-holiday data: {e}"),
                    );
                }
                vigil::time::HolidayError::Malformed {
                    message,
                    line,
                    column,
                } => say.error_at(
                    "bank-holidays",
                    (&name, line, column),
                    &format!("bank-holiday data is not in GOV.UK's shape: {message}"),
                ),
                other => say.error_at(
                    "bank-holidays",
                    (&name, 1, 1),
                    &format!(
                        "bank-holiday data for framework `{}`: {other}",
                        rs.framework()
                    ),
                ),
            }
            return Err(super::Exit::BadInput);
        }
    }
    Ok(())
}

/// The checked rule sets of the `.vigil` files `rules` (newer bank holidays if given), or the
/// rules' errors printed and exit 1.
pub fn rule_sets(
    rules: &[PathBuf],
    bank_holidays: Option<&Path>,
    colour: super::Colour,
    say: super::say::Say,
) -> Result<Vec<vigil::rules::RuleSet>, super::Exit> {
    use super::Exit;
    use vigil::check::Severity;
    use vigil::render::diagnostics;
    let (sources, mut findings) = read(rules).map_err(|e| {
        say.error("io", &e);
        Exit::Usage
    })?;
    let mut checked = vigil::check::check_within(&sources, &limits());
    findings.extend(checked.diagnostics.iter().cloned());
    let errors: Vec<_> = findings
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    if !errors.is_empty() {
        if say.json {
            let list = errors
                .iter()
                .filter_map(|d| serde_json::to_value(diagnostics::to_json(d, &sources)).ok())
                .collect();
            say.document(list);
        } else {
            for d in errors {
                err!("{}", diagnostics::render(d, &sources, colour.on_stderr()));
            }
            errln!("error: the rules have errors; fix them (see `vigil check`) before using them");
        }
        return Err(Exit::BadInput);
    }
    if let Some(path) = bank_holidays {
        holidays(path, &mut checked.rulesets, say)?;
    }
    Ok(checked.rulesets)
}
