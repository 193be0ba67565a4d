//! Embeds every bundled rule set (`../protocols/<name>/*.vigil`) with `include_str!`, so the
//! targets read no file while fuzzing and stay in step with the protocols as they change.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocols");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("protocols/ is next to fuzz/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = String::from("&[\n");
    for dir in dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("a rule-set folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "vigil"))
            .collect();
        files.sort();
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let _ = writeln!(out, "  (\"{name}\", &[");
        for f in files {
            let canon = f.canonicalize().expect("a readable file");
            let file = f.file_name().unwrap_or_default().to_string_lossy();
            let _ = writeln!(
                out,
                "    (\"protocols/{name}/{file}\", include_str!({:?})),",
                canon.display().to_string()
            );
        }
        out.push_str("  ]),\n");
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("write bundled.rs");
}
