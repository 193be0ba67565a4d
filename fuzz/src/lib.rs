//! What the fuzz targets share: the bundled rule sets, compiled once, and the names each one
//! declares (roles, agencies, logs, ...), so that generated timelines name real things.

use std::sync::{Arc, OnceLock};

use vigil::rules::RuleSet;
use vigil::Source;

/// Every bundled rule set, as `(folder, [(path, text)])`, embedded at build time (build.rs).
pub const BUNDLED: &[(&str, &[(&str, &str)])] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The sources of one bundled rule set.
pub fn sources(folder: &str) -> Vec<Source> {
    BUNDLED
        .iter()
        .filter(|(name, _)| *name == folder)
        .flat_map(|(_, files)| files.iter())
        .map(|(path, text)| Source::new(*path, *text))
        .collect()
}

/// One bundled rule set, compiled, with the names it declares.
pub struct Bundled {
    /// The folder under `protocols/`.
    pub folder: &'static str,
    /// The compiled rules.
    pub rules: Arc<RuleSet>,
    /// The names the rules declare, by what they name.
    pub names: Names,
}

/// The names a rule set declares, found by reading every identifier of its sources and
/// asking the rule set which of them it knows (the rule set has no public list of agencies,
/// logs, criticalities or triggers). Never empty: a category with no name gets one that the
/// rule set does not know, so that refusals are exercised too.
#[derive(Debug, Default)]
pub struct Names {
    /// Person ids with a protocol, then two without one (covered by the framework alone).
    pub persons: Vec<String>,
    /// Roles (and a misspelt one).
    pub roles: Vec<String>,
    /// Agencies.
    pub agencies: Vec<String>,
    /// Logs.
    pub logs: Vec<String>,
    /// Criticalities.
    pub criticalities: Vec<String>,
    /// Observations and groups of observations.
    pub observations: Vec<String>,
    /// Results a record may carry.
    pub results: Vec<String>,
    /// Decisions, each with its outcomes.
    pub decisions: Vec<(String, Vec<String>)>,
    /// Declared triggers, each with its attributes and their values.
    pub triggers: Vec<(String, Vec<(String, Vec<String>)>)>,
    /// Per person (same index as `persons`): contacts.
    pub contacts: Vec<Vec<String>>,
    /// Per person: the names of the protocol's visits (`morning_meds`).
    pub slots: Vec<Vec<String>>,
}

/// Identifiers and commas of a source, skipping comments and quoted text.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            ',' => out.push(",".to_string()),
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut w = c.to_string();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        w.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(w);
            }
            _ => {}
        }
    }
    out
}

fn or_unknown(mut v: Vec<String>, unknown: &str) -> Vec<String> {
    v.sort();
    v.dedup();
    if v.is_empty() {
        v.push(unknown.to_string());
    }
    v
}

impl Names {
    fn of(rs: &RuleSet, sources: &[Source]) -> Names {
        let toks: Vec<String> = sources.iter().flat_map(|s| tokens(s.text())).collect();
        let mut words: Vec<&str> = toks.iter().map(String::as_str).collect();
        words.sort_unstable();
        words.dedup();
        let pick = |f: &dyn Fn(&str) -> bool| -> Vec<String> {
            words
                .iter()
                .filter(|w| f(w))
                .map(|w| w.to_string())
                .collect()
        };
        let mut roles = or_unknown(pick(&|w| rs.role_id(w).is_some()), "support_worker");
        roles.push("suport_worker".into());
        // Triggers: `trigger NAME "..." { attribute A "..." values v, w ... }`.
        let mut triggers: Vec<(String, Vec<(String, Vec<String>)>)> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if toks[i] == "trigger" && i + 1 < toks.len() {
                triggers.push((toks[i + 1].clone(), Vec::new()));
                i += 2;
                continue;
            }
            if toks[i] == "attribute" && i + 1 < toks.len() {
                if let Some(t) = triggers.last_mut() {
                    let mut values = Vec::new();
                    let mut j = i + 2;
                    if toks.get(j).map(String::as_str) == Some("values") {
                        j += 1;
                        while let Some(v) = toks.get(j) {
                            values.push(v.clone());
                            if toks.get(j + 1).map(String::as_str) != Some(",") {
                                break;
                            }
                            j += 2;
                        }
                    }
                    t.1.push((toks[i + 1].clone(), values));
                }
            }
            i += 1;
        }
        triggers.push(("referal".into(), Vec::new()));
        let mut persons: Vec<String> = rs.persons().iter().map(|p| p.id.clone()).collect();
        let contacts_of = |id: &str| -> Vec<String> {
            rs.persons()
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.contacts.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default()
        };
        let slots_of = |id: &str| -> Vec<String> {
            rs.persons()
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.visits.iter().map(|v| v.name.clone()).collect())
                .unwrap_or_default()
        };
        persons.push("P-1".into());
        persons.push("P-2".into());
        let contacts = persons
            .iter()
            .map(|p| or_unknown(contacts_of(p), "next_of_kin"))
            .collect();
        let slots = persons
            .iter()
            .map(|p| or_unknown(slots_of(p), "morning"))
            .collect();
        Names {
            roles,
            agencies: or_unknown(pick(&|w| rs.agency_id(w).is_some()), "police"),
            logs: or_unknown(pick(&|w| rs.log_id(w).is_some()), "missed_visit_log"),
            criticalities: or_unknown(pick(&|w| rs.criticality_id(w).is_some()), "critical"),
            observations: or_unknown(pick(&|w| rs.observation(w).is_some()), "lights_on"),
            results: or_unknown(pick(&|w| rs.result(w).is_some()), "found_well"),
            decisions: rs
                .decisions()
                .iter()
                .map(|d| (d.name.clone(), d.outcomes.clone()))
                .chain([("risk".to_string(), vec!["high".to_string()])])
                .collect(),
            triggers,
            persons,
            contacts,
            slots,
        }
    }
}

/// Every bundled rule set, compiled once per process.
pub fn bundled() -> &'static [Bundled] {
    static ALL: OnceLock<Vec<Bundled>> = OnceLock::new();
    ALL.get_or_init(|| {
        BUNDLED
            .iter()
            .map(|(folder, _)| {
                let sources = sources(folder);
                let rules = match vigil::compile(&sources) {
                    Ok(rules) => rules,
                    Err(e) => panic!("the bundled rule set {folder} does not compile:\n{e}"),
                };
                let names = Names::of(&rules, &sources);
                Bundled {
                    folder,
                    rules: Arc::new(rules),
                    names,
                }
            })
            .collect()
    })
}

/// `items[i % len]`, for picking a name by an arbitrary index.
pub fn nth<T>(items: &[T], i: usize) -> &T {
    &items[i % items.len()]
}
