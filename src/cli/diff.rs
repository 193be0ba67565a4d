//! `vigil diff OLD NEW [--timelines DIR]` and `vigil migrate --to VERSION [PATHS]`.

use std::path::{Path, PathBuf};

use vigil::render::diff;
use vigil::Source;

use super::{files, Exit};

/// The sources under `path` and the one rule set they make; errors printed, exit 1.
fn one_framework(
    path: &Path,
    colour: super::Colour,
) -> Result<(Vec<Source>, vigil::rules::RuleSet), Exit> {
    let say = super::say::Say { json: false };
    let found = files::discover(&[path.to_path_buf()]).map_err(|e| {
        errln!("error: {e}");
        Exit::Usage
    })?;
    let (sources, _) = files::read(&found).map_err(|e| {
        errln!("error: {e}");
        Exit::Usage
    })?;
    let mut sets = files::rule_sets(&found, None, colour, say)?;
    if sets.len() != 1 {
        errln!(
            "error: `{}` holds {} frameworks; give the folder of one framework",
            path.display(),
            sets.len()
        );
        return Err(Exit::Usage);
    }
    Ok((sources, sets.remove(0)))
}

fn is_protocol(s: &Source) -> bool {
    diff::person_of(s.text()).is_some()
}

/// Compare two versions of a framework; say what each change does to the old protocols and,
/// with `timelines`, to the duties of each timeline there. Exit 0.
pub fn run(old: &Path, new: &Path, timelines: Option<&Path>, colour: super::Colour) -> Exit {
    let (old_sources, old_rs) = match one_framework(old, colour) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let (new_sources, new_rs) = match one_framework(new, colour) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let changed = diff::changes(&old_rs, &new_rs);
    let framework: Vec<Source> = new_sources
        .into_iter()
        .filter(|s| !is_protocol(s))
        .collect();
    let protocols: Vec<Source> = old_sources.into_iter().filter(is_protocol).collect();
    let impacts = diff::impact(&framework, &protocols, &new_rs, &changed);
    let mut text = diff::to_text(&old_rs, &new_rs, &changed, &impacts);
    if let Some(dir) = timelines {
        match duties(&old_rs, (&framework, &protocols, &impacts), dir) {
            Ok(t) => text.push_str(&t),
            Err(e) => return e,
        }
    }
    match super::to_stdout(text.as_bytes()) {
        Ok(_) => Exit::Ok,
        Err(e) => {
            errln!("error: cannot write: {e}");
            Exit::Usage
        }
    }
}

/// Each timeline under `dir`, evaluated under the old rules and under the new (with the
/// protocols that still check, moved), and the duties that change.
fn duties(
    old: &vigil::rules::RuleSet,
    (framework, protocols, impacts): (&[Source], &[Source], &[diff::Impact]),
    dir: &Path,
) -> Result<String, Exit> {
    let mut sources = framework.to_vec();
    let version = vigil::check::check(framework)
        .rulesets
        .first()
        .map(|r| r.version().to_string())
        .unwrap_or_default();
    for (p, i) in protocols.iter().zip(impacts) {
        if i.fails.is_empty() {
            sources.push(Source::new(
                p.name(),
                diff::moved_to(p.text(), &version).unwrap_or_else(|| p.text().to_string()),
            ));
        }
    }
    let Some(new) = vigil::check::check(&sources).rulesets.into_iter().next() else {
        errln!("error: the new framework with the moved protocols does not check");
        return Err(Exit::BadInput);
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            errln!("error: cannot read `{}`: {e}", dir.display());
            Exit::Usage
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            // Every ending `vigil eval` reads a timeline by (found by a docs-only tester:
            // `.yml` files were passed over without a word).
            p.extension().is_some_and(|e| {
                let e = e.to_string_lossy().to_ascii_lowercase();
                ["yaml", "yml", "json", "ndjson", "jsonl"].contains(&e.as_str())
            })
        })
        .collect();
    paths.sort();
    let failing: Vec<&str> = impacts
        .iter()
        .filter(|i| !i.fails.is_empty())
        .map(|i| i.person.as_str())
        .collect();
    let mut out = String::from("\nTimelines (evaluated at each one's as_of or last event):\n");
    for p in paths {
        let name = p.display().to_string();
        // One that cannot be read is said, as one that cannot be judged is (found by a
        // docs-only tester: a file over --max-file-mib was left out without a word).
        let text = files::why_not_ordinary(&p)
            .map_err(|why| format!("it {why}"))
            .and_then(|()| files::read_file(&p).map_err(|e| e.to_string()))
            .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()));
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                let said = format!("cannot be read: {e}");
                out.push_str(&format!("  {name}: {}\n", vigil::wording::shown(&said)));
                continue;
            }
        };
        match diff::duty_changes(old, &new, (&name, &text), &failing, &files::limits()) {
            Ok(lines) if lines.is_empty() => out.push_str(&format!("  {name}: no duty changes\n")),
            Ok(lines) => {
                out.push_str(&format!("  {name}:\n"));
                for l in lines {
                    out.push_str(&format!("      {}\n", vigil::wording::shown(&l)));
                }
            }
            // A timeline for another framework, or one the new rules refuse: said, not hidden.
            Err(e) => out.push_str(&format!("  {name}: {}\n", vigil::wording::shown(&e))),
        }
    }
    Ok(out)
}

/// Move each protocol under `paths` to framework version `to`, when it still checks against
/// that version's framework (also under `paths`); leave the rest, saying why. Exit 0 when
/// every protocol is at `to` afterwards, 1 when some could not be moved.
pub fn migrate(paths: &[PathBuf], to: &str) -> Exit {
    let found = match files::discover(paths) {
        Ok(f) => f,
        Err(e) => {
            errln!("error: {e}");
            return Exit::Usage;
        }
    };
    let (sources, _) = match files::read(&found) {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return Exit::Usage;
        }
    };
    let frameworks: Vec<&Source> = sources
        .iter()
        .filter(|s| !is_protocol(s) && framework_version(s).as_deref() == Some(to))
        .collect();
    if frameworks.is_empty() {
        errln!("error: no framework at version {to} under the paths given; give the folder that holds it too");
        return Exit::Usage;
    }
    let mut report = String::new();
    let (mut moved, mut stuck) = (0, 0);
    for (path, p) in found.iter().zip(&sources).filter(|(_, s)| is_protocol(s)) {
        let Some(text) = diff::moved_to(p.text(), to).filter(|t| t != p.text()) else {
            continue;
        };
        let mut set: Vec<Source> = frameworks.iter().map(|s| (*s).clone()).collect();
        set.push(Source::new(p.name(), text.clone()));
        let checked = vigil::check::check(&set);
        let errors: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.file == set.len() - 1 && d.severity() == vigil::check::Severity::Error)
            .map(|d| format!("{}: {} (help: {})", d.code.as_str(), d.message, d.help))
            .collect();
        if errors.is_empty() {
            if let Err(e) = write_moved(path, &text, (paths, p, to), &mut report) {
                errln!("error: {e}");
                return Exit::Usage;
            }
            moved += 1;
        } else {
            stuck += 1;
            report.push_str(&format!(
                "{}: not moved: under version {to}, {}\n",
                p.name(),
                errors.join("; ")
            ));
        }
    }
    report.push_str(&format!("{moved} moved, {stuck} left as they were\n"));
    let owned: Vec<Source> = frameworks.iter().map(|s| (*s).clone()).collect();
    let effective = vigil::check::check(&owned).rulesets.first().and_then(|rs| {
        rs.effective()
            .map(|t| (rs.civil().local_date(t), rs.version().to_string()))
    });
    if let (true, Some((date, version))) = (moved > 0, effective) {
        // A protocol moved to a version not yet in force is held by no version before then.
        report.push_str(&format!(
            "version {version} comes into force on {date}: before then, events about the people moved are judged by the version in force, which no longer holds their protocols (eval refuses them as unknown people); keep a copy of each protocol at the old version until then if your timelines reach back before it\n"
        ));
    }
    if moved > 0 {
        report.push_str("run `vigil test` on them: a stricter version can change the duties their tests expect\n");
    }
    let shown: String = report
        .lines()
        .map(|l| format!("{}\n", vigil::wording::shown(l)))
        .collect();
    let _ = super::to_stdout(shown.as_bytes());
    if stuck > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}

/// Write a protocol moved to `to`, and move its person's test files with it, saying so.
fn write_moved(
    path: &Path,
    text: &str,
    (paths, p, to): (&[PathBuf], &Source, &str),
    report: &mut String,
) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    report.push_str(&format!("{}: moved to version {to}\n", p.name()));
    let person = diff::person_of(p.text()).unwrap_or_default();
    for t in tests_follow(paths, &person, to)? {
        report.push_str(&format!(
            "{t}: its `version` moved to {to} with the protocol\n"
        ));
    }
    Ok(())
}

/// The test files under `paths` about `person`: their `version:` line moved to `to`, so that
/// they go on testing the protocol they were written for. The names of those changed.
fn tests_follow(paths: &[PathBuf], person: &str, to: &str) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for path in super::test::test_files_under(paths)? {
        let Ok(Ok(text)) = files::read_file(&path).map(String::from_utf8) else {
            continue;
        };
        let about = text.lines().any(|l| {
            l.strip_prefix("person:")
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == person)
        });
        if !about {
            continue;
        }
        let new: String = text
            .split_inclusive('\n')
            .map(|l| match l.strip_prefix("version:") {
                Some(_) => format!(
                    "version: \"{to}\"{}",
                    if l.ends_with('\n') { "\n" } else { "" }
                ),
                None => l.to_string(),
            })
            .collect();
        if new != text {
            std::fs::write(&path, new)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            changed.push(path.display().to_string());
        }
    }
    Ok(changed)
}

fn framework_version(s: &Source) -> Option<String> {
    match vigil::syntax::parse(s.text()).document?.head {
        vigil::syntax::ast::Head::Framework { version, .. } => Some(version.text),
        _ => None,
    }
}
