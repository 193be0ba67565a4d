//! Errors the command line reports itself (usage, files it cannot read, bank-holiday data, rules
//! with errors): as a line on standard error for people, or, with `--format json`, as one JSON
//! document on standard output in the shape of timeline errors:
//! `{"contract", "errors": [{"code", "file", "line", "column", "message", ...}]}` (docs/decision.md).

use serde_json::{json, Value};

/// Where the command's own errors go.
#[derive(Debug, Clone, Copy)]
pub struct Say {
    /// With `--format json`: one JSON document on standard output.
    pub json: bool,
}

impl Say {
    /// An error with no place in a file; `code` names its kind (`usage`, `io`, ...).
    pub fn error(self, code: &str, message: &str) {
        if self.json {
            self.document(vec![json!({ "code": code, "message": message })]);
        } else {
            errln!("error: {message}");
        }
    }

    /// Standard output could not be written: said on standard error whatever the format, since
    /// a JSON error document would go where the writing just failed.
    pub fn write_failed(self, what: &str, e: &std::io::Error) {
        errln!("error: cannot write {what}: {e}");
    }

    /// An error at a place in a file.
    pub fn error_at(self, code: &str, (file, line, column): (&str, usize, usize), message: &str) {
        if self.json {
            self.document(vec![json!({
                "code": code,
                "file": file,
                "line": line,
                "column": column,
                "message": message,
            })]);
        } else {
            errln!("error: {file}:{line}:{column}: {message}");
        }
    }

    /// Several errors, already in their JSON form, as one document.
    pub fn document(self, errors: Vec<Value>) {
        let doc = json!({ "contract": vigil::CONTRACT, "errors": errors });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        // Nowhere left to say it if standard output fails too.
        let _ = super::to_stdout(text.as_bytes());
    }
}
