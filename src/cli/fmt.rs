//! `vigil fmt [--check] [PATHS]...`: rewrite `.vigil` files in the canonical layout.

use std::path::PathBuf;

use vigil::syntax::format::format;

use super::{files, Exit};

/// Format (or with `check`, only look at) every `.vigil` file under `paths`. Exit 0 when all
/// are formatted (or were just formatted), 1 when `--check` finds one that is not or a file
/// cannot be formatted, 2 when a file cannot be read or written.
pub fn run(paths: &[PathBuf], check: bool) -> Exit {
    match formatted(paths, check) {
        Ok(exit) | Err(exit) => exit,
    }
}

/// What became of one file.
enum Done {
    Same,
    Changed,
    Refused,
}

/// Format (or look at) one file, saying what happened in `report`; `Err` for a file that
/// cannot be read or written.
fn one(path: &std::path::Path, check: bool, report: &mut String) -> Result<Done, Exit> {
    let name = path.display().to_string();
    let text = match files::read_file(path).map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            report.push_str(&format!(
                "{name}: not formatted: the file is not UTF-8 text\n"
            ));
            return Ok(Done::Refused);
        }
        Err(e) => {
            errln!("error: cannot read `{name}`: {e}");
            return Err(Exit::Usage);
        }
    };
    let formatted = match format(&text) {
        Ok(f) => f,
        Err(e) => {
            report.push_str(&format!("{name}: not formatted: {e}\n"));
            return Ok(Done::Refused);
        }
    };
    if formatted == text {
        return Ok(Done::Same);
    }
    if check {
        report.push_str(&format!(
            "{name}: not formatted{}\n",
            first_difference(&text, &formatted)
        ));
    } else if let Err(e) = std::fs::write(path, formatted.as_bytes()) {
        errln!("error: cannot write `{name}`: {e}");
        return Err(Exit::Usage);
    } else {
        report.push_str(&format!("{name}: formatted\n"));
    }
    Ok(Done::Changed)
}

fn formatted(paths: &[PathBuf], check: bool) -> Result<Exit, Exit> {
    let found = files::discovered(paths)?;
    let mut report = String::new();
    let (mut changed, mut refused) = (0, 0);
    for path in &found {
        match one(path, check, &mut report)? {
            Done::Same => {}
            Done::Changed => changed += 1,
            Done::Refused => refused += 1,
        }
    }
    let files = found.len();
    // Every file is counted: one that could not be formatted (syntax errors, not text) is
    // said apart, never folded into "all formatted".
    let same = files - changed - refused;
    let unreadable = if refused > 0 {
        format!(", {refused} could not be formatted (see above)")
    } else {
        String::new()
    };
    report.push_str(&match (check, changed, refused) {
        (true, 0, 0) => format!("{files} file{} checked: all formatted\n", plural(files)),
        (true, n, _) => {
            format!(
            "{files} file{} checked: {same} already formatted, {n} not formatted{}{unreadable}\n",
            plural(files),
            if n > 0 { " (`vigil fmt` rewrites them)" } else { "" }
        )
        }
        (false, n, _) => format!(
            "{files} file{} read: {n} formatted, {same} already were{unreadable}\n",
            plural(files)
        ),
    });
    if let Err(e) = super::to_stdout(report.as_bytes()) {
        errln!("error: cannot write the report: {e}");
        return Err(Exit::Usage);
    }
    Ok(if refused > 0 || (check && changed > 0) {
        Exit::BadInput
    } else {
        Exit::Ok
    })
}

/// Where a file first differs from its formatted self: " (line N: `as written` would be
/// `formatted`)".
fn first_difference(text: &str, formatted: &str) -> String {
    let mut a = text.lines();
    let mut b = formatted.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(x), Some(y)) => {
                return format!(
                    " (line {n}: `{}` would be `{}`)",
                    vigil::wording::shown(x.trim_end()),
                    vigil::wording::shown(y.trim_end())
                )
            }
            (None, None) => return " (line endings)".into(),
            _ => return format!(" (from line {n}: blank lines at the end)"),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
