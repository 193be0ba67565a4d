//! The pest parser generated from `grammar/vigil.pest`.

#![allow(missing_docs)] // pest_derive generates the `Rule` enum; the grammar file documents it.

/// The parser for the Vigil language.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/vigil.pest"]
pub struct VigilParser;
