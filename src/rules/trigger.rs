//! What opens an episode: one of the built-in triggers, or one the framework declares
//! (`trigger referral "Referral received" { ... }`) with its attributes and their closed
//! values.

use super::{Id, Origin, RuleSet, TriggerId};
use crate::vocab::TriggerKind;

/// What opens a pathway's episodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerOn {
    /// A built-in trigger (`on no_answer`, `on refusal`, ...).
    Builtin(TriggerKind),
    /// A trigger the framework declares (`on referral`).
    Declared(TriggerId),
}

/// A trigger the framework declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerDef {
    /// Identifier: what timelines write as the event's `kind`.
    pub name: String,
    /// Display name ("Referral received").
    pub display: String,
    /// Its attributes, in the order written; every event of the trigger gives each one.
    pub attributes: Vec<AttributeDef>,
    /// The person's safety is unconfirmed until they are found (`safety unconfirmed`): its
    /// episodes close when they are, and the safety floors apply to its ladders.
    pub unconfirmed: bool,
    /// Citations.
    pub cites: Vec<String>,
    /// Where declared.
    pub origin: Origin,
}

/// One attribute of a declared trigger: a name and its closed list of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeDef {
    /// Identifier, as timelines write it under `attributes`.
    pub name: String,
    /// Display name ("Call type").
    pub display: String,
    /// The values it may take, in the order written.
    pub values: Vec<String>,
}

impl TriggerDef {
    /// The index of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a.name == name)
    }
}

impl RuleSet {
    /// The triggers the framework declares.
    pub fn declared_triggers(&self) -> &[TriggerDef] {
        &self.triggers
    }

    /// The declared trigger `id`.
    pub fn trigger(&self, id: TriggerId) -> Option<&TriggerDef> {
        self.triggers.get(id.index())
    }

    /// The declared trigger called `name`.
    pub fn trigger_id(&self, name: &str) -> Option<TriggerId> {
        TriggerId::from_index(self.triggers.iter().position(|t| t.name == name)?)
    }

    /// The trigger's name as a pathway's `on` writes it.
    pub fn trigger_name(&self, t: TriggerOn) -> &str {
        match t {
            TriggerOn::Builtin(k) => k.name(),
            TriggerOn::Declared(id) => self.trigger(id).map_or("", |d| d.name.as_str()),
        }
    }

    /// The trigger as an adjective or noun for sentences: "no-answer", "referral received".
    pub fn trigger_words(&self, t: TriggerOn) -> String {
        match t {
            TriggerOn::Builtin(k) => k.words().to_string(),
            TriggerOn::Declared(id) => self
                .trigger(id)
                .map_or_else(String::new, |d| crate::wording::lower_first(&d.display)),
        }
    }

    /// True where the person's safety is unconfirmed until someone finds them.
    pub fn safety_unconfirmed(&self, t: TriggerOn) -> bool {
        match t {
            TriggerOn::Builtin(k) => k.safety_unconfirmed(),
            TriggerOn::Declared(id) => self.trigger(id).is_some_and(|d| d.unconfirmed),
        }
    }

    /// True for the triggers a person must act on: with no pathway for one, the evaluator
    /// raises a manual review. Every declared trigger is: the framework declared it to act on.
    pub fn must_be_handled(&self, t: TriggerOn) -> bool {
        match t {
            TriggerOn::Builtin(k) => k.must_be_handled(),
            TriggerOn::Declared(_) => true,
        }
    }
}
