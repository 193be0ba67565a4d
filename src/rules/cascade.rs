//! Who a contact cascade tries, in order: the one rule for turning what a `contact` step names
//! (contacts and contact classes, mixed) into the person's contacts.
//!
//! A framework cannot know a person's contacts, so it names classes ("the key holders"), and
//! each protocol says which of its contacts are in each class. The checker (stage and basis
//! checks, W010, summaries) and the evaluator (what discharges a cascade, its reasons) all
//! expand a cascade here, so they never disagree about who is on the list.

use super::{ClassId, ContactDef, ContactId};

/// One name in a `contact A then B` cascade, as the checker resolved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CascadeItem {
    /// One of the person's contacts (`contact daughter`).
    Contact(ContactId),
    /// A contact class the framework declares (`contact key_holders`): the person's contacts
    /// in it, in the order the protocol writes them.
    Class(ClassId),
}

/// The contacts a cascade tries, in order: each item in turn, a class standing for the
/// person's contacts in it in protocol order. A contact met a second time keeps its first
/// place, so no one is tried twice. A cascade of classes the person has no one in expands to
/// nobody: a list that has run out at once.
///
/// ```
/// use vigil::rules::cascade::expand;
/// // With no contacts, a cascade of classes has nobody to try.
/// assert!(expand(&[], &[]).is_empty());
/// ```
pub fn expand(items: &[CascadeItem], contacts: &[ContactDef]) -> Vec<ContactId> {
    let mut out: Vec<ContactId> = Vec::new();
    let mut push = |c: ContactId| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for item in items {
        match item {
            CascadeItem::Contact(c) => push(*c),
            CascadeItem::Class(k) => contacts
                .iter()
                .enumerate()
                .filter(|(_, c)| c.classes.contains(k))
                .filter_map(|(i, _)| <ContactId as super::Id>::from_index(i))
                .for_each(&mut push),
        }
    }
    out
}

/// The contacts in class `class`, in protocol order.
pub fn members(class: ClassId, contacts: &[ContactDef]) -> Vec<ContactId> {
    expand(&[CascadeItem::Class(class)], contacts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Id;

    fn contact(name: &str, classes: &[usize]) -> ContactDef {
        ContactDef {
            name: name.into(),
            display: name.into(),
            kind: "key_holder".into(),
            from_stage: None,
            basis: None,
            classes: classes.iter().map(|i| class_id(*i)).collect(),
        }
    }

    fn class_id(i: usize) -> ClassId {
        ClassId::from_index(i).unwrap()
    }

    fn class(i: usize) -> CascadeItem {
        CascadeItem::Class(class_id(i))
    }

    fn person(i: usize) -> CascadeItem {
        CascadeItem::Contact(ContactId::from_index(i).unwrap())
    }

    fn names(ids: &[ContactId], contacts: &[ContactDef]) -> Vec<String> {
        ids.iter()
            .filter_map(|c| contacts.get(c.index()))
            .map(|c| c.name.clone())
            .collect()
    }

    /// daughter (next of kin), jim (key holder), warden (key holder and next of kin).
    fn household() -> Vec<ContactDef> {
        vec![
            contact("daughter", &[1]),
            contact("jim", &[0]),
            contact("warden", &[0, 1]),
        ]
    }

    #[test]
    fn a_class_expands_to_its_members_in_protocol_order() {
        let contacts = household();
        assert_eq!(
            names(&expand(&[class(0)], &contacts), &contacts),
            ["jim", "warden"]
        );
    }

    #[test]
    fn a_contact_met_again_keeps_its_first_place() {
        let contacts = household();
        // next of kin (daughter, warden), then key holders (jim; warden already listed).
        assert_eq!(
            names(&expand(&[class(1), class(0)], &contacts), &contacts),
            ["daughter", "warden", "jim"]
        );
    }

    #[test]
    fn contacts_and_classes_mix_in_the_order_written() {
        let contacts = household();
        // warden, then the key holders (jim; warden already listed), then the daughter.
        assert_eq!(
            names(
                &expand(&[person(2), class(0), person(0)], &contacts),
                &contacts
            ),
            ["warden", "jim", "daughter"]
        );
        // A contact named after the class that brought them is not tried twice.
        assert_eq!(
            names(&expand(&[class(0), person(1)], &contacts), &contacts),
            ["jim", "warden"]
        );
    }

    #[test]
    fn a_class_with_no_members_expands_to_nobody() {
        let contacts = household();
        assert!(expand(&[class(2)], &contacts).is_empty());
        assert!(expand(&[class(0)], &[]).is_empty());
        assert!(members(class_id(2), &contacts).is_empty());
    }
}
