//! What an action asks, in plain words: "Notify the duty manager", "Record in the missed-visit
//! escalation log". The checker works each step's words out once, as it builds the step, and
//! the evaluator uses the same function for breach and governance duties.

use std::sync::Arc;

use super::cascade::{expand, CascadeItem};
use super::{
    ActionDef, AgencyDef, AliasDef, ClassDef, ClassId, ContactDef, ContactId, LogDef, Responsible,
    RoleId, Sym,
};
use crate::wording::{duration_words, humanise, lower_first, upper_first};

/// The declarations an action's words need: whoever holds them (the finished rule set, or the
/// checker while it builds one) answers.
pub trait Names {
    /// A role's display name.
    fn role_display(&self, role: RoleId) -> &str;
    /// An alias.
    fn alias_def(&self, alias: super::AliasId) -> Option<&AliasDef>;
    /// A log.
    fn log_def(&self, log: super::LogId) -> Option<&LogDef>;
    /// An agency.
    fn agency_def(&self, agency: super::AgencyId) -> Option<&AgencyDef>;
    /// A contact class.
    fn class_def(&self, class: ClassId) -> Option<&ClassDef>;
    /// An interned name.
    fn symbol(&self, sym: Sym) -> &str;
    /// A decision.
    fn decision_def(&self, decision: super::DecisionId) -> Option<&super::flow::DecisionDef>;
    /// A calendar's display name.
    fn calendar_display(&self, cal: super::CalendarId) -> &str;
}

/// What an action asks, in plain words. `told` is the role a notice goes to (an alias already
/// resolved); `contacts` are the person's, for a cascade.
pub fn describe(
    names: &impl Names,
    contacts: &[ContactDef],
    action: &ActionDef,
    told: Option<RoleId>,
) -> String {
    match action {
        ActionDef::Attempt { .. } => attempt_words(names, action),
        ActionDef::Notify(_) => format!(
            "Notify the {}",
            lower_first(told.map_or("", |r| names.role_display(r)))
        ),
        ActionDef::Contact(items) => cascade_words(names, contacts, items),
        ActionDef::Record(l) => {
            let log = lower_first(names.log_def(*l).map_or("", |x| x.display.as_str()));
            if log.starts_with("the ") {
                format!("Record in {log}")
            } else {
                format!("Record in the {log}")
            }
        }
        ActionDef::Review(verb, l) => {
            let log = names.log_def(*l);
            let name = humanise(log.map_or("", |x| x.name.as_str()));
            let display = lower_first(log.map_or("", |x| x.display.as_str()));
            // "Review the review log", not "Review review log (review log)": a log named for
            // the verb takes an article, and a display name that only repeats it is left out.
            let article = if name.starts_with(&format!("{} ", verb.name())) {
                "the "
            } else {
                ""
            };
            // A display name that only spells the name otherwise ("Missed-visit log" for
            // `missed_visit_log`) is said once, as written: "Review the missed-visit log",
            // not "Review missed visit log (missed-visit log)" (found by a docs-only tester).
            let letters = |t: &str| -> String {
                t.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect()
            };
            if display.is_empty() || display.eq_ignore_ascii_case(&name) {
                format!("{} {article}{name}", upper_first(verb.name()))
            } else if letters(&display) == letters(&name) {
                let the = if display.starts_with("the ") {
                    ""
                } else {
                    "the "
                };
                format!("{} {the}{display}", upper_first(verb.name()))
            } else {
                format!("{} {article}{name} ({display})", upper_first(verb.name()))
            }
        }
        ActionDef::Escalate(a) => format!(
            "Escalate to {}",
            names.agency_def(*a).map_or("", |x| x.display.as_str())
        ),
        ActionDef::ReferSafeguarding => "Make a safeguarding referral".into(),
        ActionDef::VerifyWhereabouts => "Verify the person's whereabouts".into(),
        // Where depends on the procedure (with the person, at the door, on the line); the
        // step's `until` completes the words.
        ActionDef::Stay => "Stay".into(),
        ActionDef::Check(what) => format!("Check {}", humanise(names.symbol(*what))),
        ActionDef::Decide(d) => {
            let d = names.decision_def(*d);
            format!(
                "Decide: {} ({})",
                d.map_or("", |x| x.display.as_str()),
                d.map_or(String::new(), |x| x
                    .outcomes
                    .iter()
                    .map(|o| humanise(o))
                    .collect::<Vec<_>>()
                    .join(" or "))
            )
        }
        ActionDef::HandOver(p) => format!("Hand over to the {} pathway", humanise(p)),
    }
}

/// "Make 3 contact attempts by phone, 5 minutes apart covering morning and evening; leave a
/// message after each unanswered one".
fn attempt_words(names: &impl Names, action: &ActionDef) -> String {
    let ActionDef::Attempt {
        methods,
        times,
        every,
        covering,
        follow_up,
    } = action
    else {
        return String::new();
    };
    let how = if methods.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = methods.iter().map(|m| m.words()).collect();
        format!(" by {}", names.join(", "))
    };
    let spacing = every
        .map(|e| format!(", {} apart", duration_words(e)))
        .unwrap_or_default();
    let mut out = format!(
        "Make {times} contact attempt{}{how}{spacing}",
        if *times == 1 { "" } else { "s" }
    );
    if !covering.is_empty() {
        let windows: Vec<String> = covering
            .iter()
            .map(|c| lower_first(names.calendar_display(*c)))
            .collect();
        out.push_str(&format!(" covering {}", and_list(&windows)));
    }
    if let Some(f) = follow_up {
        out.push_str(&format!("; {} after each unanswered one", f.words()));
    }
    out
}

/// A cascade in words. Contacts alone read as before: "Contact Daughter (then Son)". With a
/// class, each item in turn, the class with whom it brings for this person: "Contact the next
/// of kin (Daughter), then the key holders (Jim Brown, Warden)". Who is tried is
/// [`expand`]'s answer, so a contact already listed is not listed again.
fn cascade_words(names: &impl Names, contacts: &[ContactDef], items: &[CascadeItem]) -> String {
    let display = |c: &ContactId| contacts.get(c.index()).map(|x| x.display.as_str());
    if items.iter().all(|i| matches!(i, CascadeItem::Contact(_))) {
        let tried: Vec<&str> = expand(items, contacts).iter().filter_map(display).collect();
        return match tried.split_first() {
            Some((first, rest)) if !rest.is_empty() => {
                format!("Contact {first} (then {})", rest.join(", then "))
            }
            Some((first, _)) => format!("Contact {first}"),
            None => "Contact the person's contacts".into(),
        };
    }
    let mut listed: Vec<ContactId> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    for item in items {
        let brought = expand(std::slice::from_ref(item), contacts);
        let new: Vec<ContactId> = brought
            .iter()
            .copied()
            .filter(|c| !listed.contains(c))
            .collect();
        listed.extend(&new);
        let who: Vec<&str> = new.iter().filter_map(display).collect();
        match item {
            CascadeItem::Contact(_) => parts.extend(who.iter().map(|w| w.to_string())),
            CascadeItem::Class(k) => {
                let class = the(names.class_def(*k).map_or("", |d| d.display.as_str()));
                // A class is shown even when it brings nobody, so the reader sees the gap.
                let members = match (who.is_empty(), brought.is_empty()) {
                    (false, _) => who.join(", "),
                    (true, true) => "none recorded".into(),
                    (true, false) => "no one else".into(),
                };
                parts.push(format!("{class} ({members})"));
            }
        }
    }
    format!("Contact {}", parts.join(", then "))
}

/// "the key holders" for a display name "Key holders" (one that starts "The" keeps it).
fn the(display: &str) -> String {
    let lower = lower_first(display);
    if lower.starts_with("the ") {
        lower
    } else {
        format!("the {lower}")
    }
}

/// A step's words, worked out once: for a notice to an alias, for each side of it (inside the
/// alias's calendar, then otherwise); otherwise the same words twice.
pub fn summaries(names: &impl Names, contacts: &[ContactDef], action: &ActionDef) -> [Arc<str>; 2] {
    let (inside, otherwise) = match action {
        ActionDef::Notify(Responsible::Alias(a)) => names
            .alias_def(*a)
            .map_or((None, None), |d| (Some(d.inside), Some(d.otherwise))),
        ActionDef::Notify(Responsible::Role(r)) => (Some(*r), Some(*r)),
        _ => (None, None),
    };
    [
        Arc::from(describe(names, contacts, action, inside)),
        Arc::from(describe(names, contacts, action, otherwise)),
    ]
}

impl Names for super::RuleSet {
    fn role_display(&self, role: RoleId) -> &str {
        self.role(role).map_or("", |r| &*r.display)
    }
    fn alias_def(&self, alias: super::AliasId) -> Option<&AliasDef> {
        self.alias(alias)
    }
    fn log_def(&self, log: super::LogId) -> Option<&LogDef> {
        self.logs.get(log.index())
    }
    fn agency_def(&self, agency: super::AgencyId) -> Option<&AgencyDef> {
        self.agencies.get(agency.index())
    }
    fn class_def(&self, class: ClassId) -> Option<&ClassDef> {
        self.class(class)
    }
    fn symbol(&self, sym: Sym) -> &str {
        self.symbols.name(sym)
    }
    fn decision_def(&self, decision: super::DecisionId) -> Option<&super::flow::DecisionDef> {
        self.decision(decision)
    }
    fn calendar_display(&self, cal: super::CalendarId) -> &str {
        self.calendars.get(cal.index()).map_or("", |c| &*c.display)
    }
}

/// "a, b and c".
pub(crate) fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
