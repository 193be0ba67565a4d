//! Who decides and who is consulted: a contact's standing on the person's welfare, from the
//! basis recorded for them and the person's recorded capacity.
//!
//! Every contact a no-response protocol makes is about the person's welfare: whether they are
//! safe, where they are, what is shared about them. Seed 002 §13 and §14 say how that is
//! settled, following the Mental Capacity Act 2005 and its Code of Practice: a person with
//! capacity decides for themselves who is involved; where they lack capacity, involving
//! representatives is part of a best-interests decision. The Act then says who decides and
//! who is consulted:
//!
//! - an attorney under a lasting power of attorney for health and welfare decides welfare
//!   matters within the power, and only while the person lacks capacity (s.9, s.11(7)(a));
//! - a deputy appointed by the Court of Protection decides within the order, and has no power
//!   where the person has capacity (s.16, s.20(1));
//! - whoever makes a best-interests decision consults those the person named, those caring for
//!   them or interested in their welfare, any attorney and any deputy (s.4(7)); an attorney or
//!   deputy for property and finance is consulted about welfare in this way, not a decider;
//! - an independent advocate (an IMCA under s.35-s.39, or a Care Act 2014 s.67 advocate)
//!   represents and supports the person: consulted, never the decider.
//!
//! This module is the one home of that table: the checker reports from it and the evaluator
//! words each contact's basis from it.

use super::ContactDef;
use crate::vocab::{Basis, Capacity};

/// What a contact may do about the person's welfare, on their recorded basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The person, able to decide, agreed to their involvement: the person decided.
    Agreed,
    /// Decides welfare matters for the person while they lack capacity.
    Decides,
    /// Consulted in a best-interests decision about the person's welfare.
    Consulted,
    /// Neither decides nor is consulted, and why.
    Neither(NoStanding),
}

/// Why a basis gives a contact no standing on the person's welfare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoStanding {
    /// Consent recorded for a person who lacks capacity to give it.
    CannotConsent,
    /// The person has capacity, so they decide; nobody decides for them or is consulted.
    HasCapacity,
    /// An attorney or deputy whose power over welfare needs the person to lack capacity, for a
    /// person not recorded as lacking it (`None`: capacity not recorded).
    NeedsIncapacity(Option<Capacity>),
}

/// The contact's standing on the person's welfare. Capacity that fluctuates allows every
/// basis: each holds at the times its condition does (consent while the person can decide,
/// a decider or best interests while they cannot).
pub fn standing(basis: Basis, capacity: Option<Capacity>) -> Standing {
    use Capacity::{Fluctuating, Full, Lacking};
    match (basis, capacity) {
        (Basis::Consent, Some(Lacking)) => Standing::Neither(NoStanding::CannotConsent),
        (Basis::Consent, _) => Standing::Agreed,
        (
            Basis::AttorneyHealthWelfare | Basis::DeputyHealthWelfare,
            Some(Lacking | Fluctuating),
        ) => Standing::Decides,
        (Basis::AttorneyHealthWelfare | Basis::DeputyHealthWelfare, other) => {
            Standing::Neither(NoStanding::NeedsIncapacity(other))
        }
        // A property-and-finance attorney's power may be used while the person has capacity,
        // but only over money and property; about welfare they are consulted, and only in a
        // best-interests decision, which a person with capacity does not need.
        (_, Some(Full)) => Standing::Neither(NoStanding::HasCapacity),
        (Basis::AttorneyPropertyFinance | Basis::DeputyPropertyFinance, None) => {
            Standing::Neither(NoStanding::NeedsIncapacity(None))
        }
        (
            Basis::BestInterests
            | Basis::AttorneyPropertyFinance
            | Basis::DeputyPropertyFinance
            | Basis::Advocate,
            _,
        ) => Standing::Consulted,
    }
}

/// On what basis a contact is contacted, in plain words for a decision's reasons: "Daughter
/// decides about the person's welfare while they lack capacity, as their attorney for health
/// and welfare (registered ...)". `None` for a contact with no recorded basis (a key holder).
pub fn words(contact: &ContactDef, capacity: Option<Capacity>) -> Option<String> {
    let (basis, record) = contact.basis.as_ref()?;
    let who = &contact.display;
    let how = match (standing(*basis, capacity), basis) {
        (Standing::Agreed, _) => format!("{who} is contacted with the person's consent"),
        (Standing::Decides, b) => format!(
            "{who} decides about the person's welfare while they lack capacity, as {}",
            b.words()
        ),
        (Standing::Consulted, Basis::BestInterests) => {
            format!("{who} is consulted under a best-interests decision")
        }
        (Standing::Consulted, b) => format!(
            "{who} is consulted in a best-interests decision, as {}",
            b.words()
        ),
        // Only a warning can leave one of these in a rule set (best interests recorded for a
        // person with capacity): say so rather than dress it up.
        (Standing::Neither(_), b) => format!(
            "{who} is contacted on {}, although the person's capacity does not support it",
            b.words()
        ),
    };
    Some(format!("{how} (recorded: \"{record}\")"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attorney_for_welfare_decides_only_while_the_person_lacks_capacity() {
        let b = Basis::AttorneyHealthWelfare;
        assert_eq!(standing(b, Some(Capacity::Lacking)), Standing::Decides);
        assert_eq!(standing(b, Some(Capacity::Fluctuating)), Standing::Decides);
        assert_eq!(
            standing(b, Some(Capacity::Full)),
            Standing::Neither(NoStanding::NeedsIncapacity(Some(Capacity::Full)))
        );
        assert_eq!(
            standing(b, None),
            Standing::Neither(NoStanding::NeedsIncapacity(None))
        );
    }

    #[test]
    fn a_person_with_capacity_decides_for_themselves() {
        assert_eq!(
            standing(Basis::Consent, Some(Capacity::Full)),
            Standing::Agreed
        );
        for b in [
            Basis::BestInterests,
            Basis::AttorneyPropertyFinance,
            Basis::DeputyPropertyFinance,
            Basis::Advocate,
        ] {
            assert_eq!(
                standing(b, Some(Capacity::Full)),
                Standing::Neither(NoStanding::HasCapacity)
            );
        }
    }

    #[test]
    fn others_are_consulted_when_the_person_lacks_capacity() {
        for b in [
            Basis::BestInterests,
            Basis::AttorneyPropertyFinance,
            Basis::DeputyPropertyFinance,
            Basis::Advocate,
        ] {
            assert_eq!(standing(b, Some(Capacity::Lacking)), Standing::Consulted);
        }
        assert_eq!(
            standing(Basis::Consent, Some(Capacity::Lacking)),
            Standing::Neither(NoStanding::CannotConsent)
        );
    }
}
