//! Conditions between parsing and the rule set: person facts are still variables here, so the
//! checker can ask "can this ever hold?" for the framework (facts free) and for one person
//! (facts known), then fold the facts away for the evaluator.

use crate::rules::{AbsenceId, CalendarId, Cond, CriticalityId, ExceptionId, Sym};
use crate::vocab::Capacity;

/// A condition with person facts not yet folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondX {
    /// Always this value.
    Const(bool),
    /// All hold.
    And(Vec<CondX>),
    /// Any holds.
    Or(Vec<CondX>),
    /// Does not hold.
    Not(Box<CondX>),
    /// Outside office hours.
    OutOfHours,
    /// Inside a calendar (never `office_hours`: that is `Not(OutOfHours)`).
    InCalendar(CalendarId),
    /// Inside an absence window.
    DuringAbsence(AbsenceId),
    /// Inside an agreed exception.
    DuringException(ExceptionId),
    /// An observation so far.
    Observed(Sym, u64),
    /// The visit's criticality.
    Visit(CriticalityId),
    /// A declared trigger's attribute has a value: attribute, value, and how many values the
    /// attribute has (exactly one of them holds).
    Attribute(u16, u16, u16),
    /// The trigger was reported by a role.
    ReportedBy(crate::rules::RoleId),
    /// The person has this risk.
    Risk(String),
    /// The person's capacity is this.
    Capacity(Capacity),
    /// The person has this communication need.
    Communication(String),
    /// This fact about the person's home or service is recorded.
    Has(String),
}

/// What is known about the person when a condition is judged.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// Risks recorded.
    pub risks: &'a [String],
    /// Capacity recorded.
    pub capacity: Option<Capacity>,
    /// Communication needs recorded.
    pub communication: &'a [String],
    /// Facts about the home and service recorded.
    pub has: &'a [String],
}

impl CondX {
    /// Fold known person facts into constants; the result is what the evaluator runs.
    pub fn fold(&self, facts: &Facts<'_>) -> Cond {
        match self {
            CondX::Const(b) => Cond::Const(*b),
            CondX::And(cs) => Cond::And(cs.iter().map(|c| c.fold(facts)).collect()),
            CondX::Or(cs) => Cond::Or(cs.iter().map(|c| c.fold(facts)).collect()),
            CondX::Not(c) => Cond::Not(Box::new(c.fold(facts))),
            CondX::OutOfHours => Cond::OutOfHours,
            CondX::InCalendar(c) => Cond::InCalendar(*c),
            CondX::DuringAbsence(a) => Cond::DuringAbsence(*a),
            CondX::DuringException(e) => Cond::DuringException(*e),
            CondX::Observed(s, b) => Cond::Observed(*s, *b),
            CondX::Visit(c) => Cond::Visit(*c),
            CondX::Attribute(a, v, n) => Cond::Attribute(*a, *v, *n),
            CondX::ReportedBy(r) => Cond::ReportedBy(*r),
            CondX::Risk(r) => Cond::Const(facts.risks.contains(r)),
            CondX::Capacity(c) => Cond::Const(facts.capacity == Some(*c)),
            CondX::Communication(n) => Cond::Const(facts.communication.contains(n)),
            CondX::Has(f) => Cond::Const(facts.has.contains(f)),
        }
    }

    /// Can the condition ever hold? With `facts`, person facts are fixed; without, they are
    /// free. Atoms that depend on time or the episode are always free. Exhaustive over the
    /// atoms; a condition with more than 14 distinct atoms is assumed satisfiable.
    /// A compiled condition, back in the checker's form (to prove things about it).
    pub fn from_cond(c: &crate::rules::Cond) -> CondX {
        use crate::rules::Cond;
        match c {
            Cond::Const(b) => CondX::Const(*b),
            Cond::And(cs) => CondX::And(cs.iter().map(CondX::from_cond).collect()),
            Cond::Or(cs) => CondX::Or(cs.iter().map(CondX::from_cond).collect()),
            Cond::Not(c) => CondX::Not(Box::new(CondX::from_cond(c))),
            Cond::OutOfHours => CondX::OutOfHours,
            Cond::InCalendar(x) => CondX::InCalendar(*x),
            Cond::DuringAbsence(x) => CondX::DuringAbsence(*x),
            Cond::DuringException(x) => CondX::DuringException(*x),
            Cond::Observed(x, b) => CondX::Observed(*x, *b),
            Cond::Visit(x) => CondX::Visit(*x),
            Cond::Attribute(a, v, n) => CondX::Attribute(*a, *v, *n),
            Cond::ReportedBy(r) => CondX::ReportedBy(*r),
        }
    }

    pub fn satisfiable(&self, facts: Option<&Facts<'_>>) -> bool {
        let mut atoms = Vec::new();
        self.collect_atoms(facts, &mut atoms);
        if atoms.len() > 14 {
            return true;
        }
        let n = atoms.len();
        (0u32..(1 << n)).any(|bits| {
            let value = |a: &CondX| {
                atoms
                    .iter()
                    .position(|x| x == a)
                    .is_some_and(|i| bits & (1 << i) != 0)
            };
            consistent(&atoms, &value) && self.eval(facts, &value)
        })
    }

    fn is_person_atom(&self) -> bool {
        matches!(
            self,
            CondX::Risk(_) | CondX::Capacity(_) | CondX::Communication(_) | CondX::Has(_)
        )
    }

    fn collect_atoms(&self, facts: Option<&Facts<'_>>, out: &mut Vec<CondX>) {
        match self {
            CondX::Const(_) => {}
            CondX::And(cs) | CondX::Or(cs) => cs.iter().for_each(|c| c.collect_atoms(facts, out)),
            CondX::Not(c) => c.collect_atoms(facts, out),
            atom => {
                if (facts.is_none() || !atom.is_person_atom()) && !out.contains(atom) {
                    out.push(atom.clone());
                }
            }
        }
    }

    fn eval(&self, facts: Option<&Facts<'_>>, value: &dyn Fn(&CondX) -> bool) -> bool {
        match self {
            CondX::Const(b) => *b,
            CondX::And(cs) => cs.iter().all(|c| c.eval(facts, value)),
            CondX::Or(cs) => cs.iter().any(|c| c.eval(facts, value)),
            CondX::Not(c) => !c.eval(facts, value),
            atom if atom.is_person_atom() => match facts {
                Some(f) => matches!(atom.fold(f), Cond::Const(true)),
                None => value(atom),
            },
            atom => value(atom),
        }
    }
}

/// Atoms that exclude each other: one capacity, one visit criticality, one reporter, one
/// value of each trigger attribute (and, where every value is named, exactly one).
pub(super) fn consistent(atoms: &[CondX], value: &dyn Fn(&CondX) -> bool) -> bool {
    let count = |f: &dyn Fn(&CondX) -> bool| atoms.iter().filter(|a| f(a) && value(a)).count();
    let capacities = count(&|a| matches!(a, CondX::Capacity(_)));
    let visits = count(&|a| matches!(a, CondX::Visit(_)));
    let reporters = count(&|a| matches!(a, CondX::ReportedBy(_)));
    let attributes_ok = atoms.iter().all(|a| {
        let CondX::Attribute(attr, _, of) = a else {
            return true;
        };
        let same = |x: &CondX| matches!(x, CondX::Attribute(b, _, _) if b == attr);
        let named = atoms.iter().filter(|x| same(x)).count();
        let held = count(&same);
        held <= 1 && (held == 1 || named < usize::from(*of))
    });
    capacities <= 1 && visits <= 1 && reporters <= 1 && attributes_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contradiction_is_unsatisfiable() {
        let c = CondX::And(vec![
            CondX::OutOfHours,
            CondX::Not(Box::new(CondX::OutOfHours)),
        ]);
        assert!(!c.satisfiable(None));
    }

    #[test]
    fn two_capacities_exclude_each_other() {
        let c = CondX::And(vec![
            CondX::Capacity(Capacity::Full),
            CondX::Capacity(Capacity::Lacking),
        ]);
        assert!(!c.satisfiable(None));
    }

    #[test]
    fn person_facts_decide_when_known() {
        let c = CondX::Risk("falls".into());
        assert!(c.satisfiable(None));
        let none: Vec<String> = Vec::new();
        let facts = Facts {
            risks: &none,
            ..Facts::default()
        };
        assert!(!c.satisfiable(Some(&facts)));
        let falls = vec!["falls".to_string()];
        let facts = Facts {
            risks: &falls,
            ..Facts::default()
        };
        assert!(c.satisfiable(Some(&facts)));
    }
}
