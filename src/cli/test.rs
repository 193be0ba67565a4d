//! `vigil test [PATHS]...`: run the `*.test.yaml` files under the paths against the rules
//! beside them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vigil::rules::coverage::Point;
use vigil::testing::{FileReport, TestError, Totals};

use super::{files, Exit, Format};

/// What `vigil test` was asked.
pub struct Args<'a> {
    pub paths: &'a [PathBuf],
    pub filter: Option<&'a str>,
    pub coverage: bool,
    pub format: Format,
    pub bank_holidays: Option<&'a Path>,
    pub colour: super::Colour,
}

/// Run the tests and print the report; exit 0 only when at least one test ran and all
/// passed.
pub fn run(args: &Args<'_>) -> Exit {
    let say = super::say::Say {
        json: args.format == Format::Json,
    };
    let (rules, tests) = match found(args.paths) {
        Ok(f) => f,
        Err(e) => {
            say.error("io", &e);
            return Exit::Usage;
        }
    };
    if rules.is_empty() {
        say.error(
            "usage",
            "no `.vigil` files found under the paths given, or beside the test files",
        );
        return Exit::Usage;
    }
    let rulesets = match files::rule_sets(&rules, args.bank_holidays, args.colour, say) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let mut reached = BTreeSet::new();
    let reports: Vec<FileReport> = tests
        .iter()
        .map(|t| one_file(t, &rulesets, args.filter, &mut reached))
        .collect();
    let all: Vec<Point> = rulesets.iter().flat_map(|r| r.coverage_points()).collect();
    let missed: Vec<&Point> = all.iter().filter(|p| !reached.contains(*p)).collect();
    let totals = Totals::of(&reports);
    let text = match args.format {
        Format::Text => {
            let mut text = vigil::render::tests::to_text(&reports);
            if args.coverage {
                text.push_str(&vigil::render::tests::coverage(&all, &missed));
            }
            text
        }
        Format::Json => json(&reports, &totals, args.coverage.then_some((&all, &missed))),
    };
    if let Err(e) = super::to_stdout(text.as_bytes()) {
        say.write_failed("the report", &e);
        return Exit::Usage;
    }
    if totals.ok() {
        Exit::Ok
    } else {
        Exit::BadInput
    }
}

/// The `.vigil` files and the test files under the paths. A test file named alone brings
/// the rules in its own folder.
fn found(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let mut rules = Vec::new();
    let mut tests = Vec::new();
    for p in paths {
        if p.is_dir() {
            tests.extend(test_files(p)?);
            rules.extend(files::discover(std::slice::from_ref(p))?);
        } else if is_test_file(p) {
            tests.push(p.clone());
            let folder = p.parent().filter(|d| !d.as_os_str().is_empty());
            let folder = folder.unwrap_or(Path::new(".")).to_path_buf();
            rules.extend(files::discover(&[folder])?);
        } else {
            rules.extend(files::discover(std::slice::from_ref(p))?);
        }
    }
    let mut seen = BTreeSet::new();
    rules.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    let mut seen = BTreeSet::new();
    tests.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok((rules, tests))
}

/// Every test file under `paths` (folders searched, files taken if they are test files).
pub(super) fn test_files_under(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(test_files(p)?);
        } else if is_test_file(p) {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_test_file(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// Every test file under `dir`, in name order, not following linked folders.
fn test_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    files::walk_matching(dir, &mut out, &is_test_file)?;
    Ok(out)
}

/// Read and run one test file.
fn one_file(
    path: &Path,
    rulesets: &[vigil::rules::RuleSet],
    filter: Option<&str>,
    reached: &mut BTreeSet<Point>,
) -> FileReport {
    let name = path.display().to_string();
    let failed = |message: String| FileReport::failed(TestError::in_file(&name, message));
    let text = match files::read_file(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return failed("the test file is not UTF-8 text; save it as UTF-8".into()),
        Err(e) => return failed(format!("cannot read the test file: {e}")),
    };
    let spec = match vigil::testing::read(&text, &name) {
        Ok(s) => s,
        Err(errors) => return FileReport::failed_with(&name, errors),
    };
    let rs = match vigil::testing::pick(rulesets, &spec, (&name, &text)) {
        Ok(rs) => rs,
        Err(e) => return FileReport::failed_with(&name, vec![e]),
    };
    let folder = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut read_timeline = |written: &str| -> Result<(String, String), String> {
        let p = folder.join(written);
        files::ordinary(&p)?;
        let bytes = files::read_file(&p)
            .map_err(|e| format!("cannot read the timeline `{}`: {e}", p.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("the timeline `{}` is not UTF-8 text", p.display()))?;
        Ok((p.display().to_string(), text))
    };
    vigil::testing::run(
        (&name, &text),
        &spec,
        (rs, &files::limits()),
        &mut read_timeline,
        filter,
        reached,
    )
}

/// The report as one JSON document.
fn json(
    reports: &[FileReport],
    totals: &Totals,
    coverage: Option<(&Vec<Point>, &Vec<&Point>)>,
) -> String {
    let coverage = coverage.map(|(all, missed)| {
        serde_json::json!({
            "points": all.len(),
            "reached": all.len() - missed.len(),
            "missed": missed.iter().map(|p| serde_json::json!({
                "file": p.file, "line": p.line, "column": p.column,
                "rule": p.rule, "kind": p.kind(), "words": p.words(),
            })).collect::<Vec<_>>(),
        })
    });
    let doc = serde_json::json!({
        "contract": vigil::CONTRACT,
        "totals": totals,
        "files": reports,
        "coverage": coverage,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
