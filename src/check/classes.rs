//! Contact classes: the framework's names for contacts each protocol supplies its own of
//! (`class key_holders "Key holders" at least 3`), a protocol contact's `in key_holders`, the
//! names a `contact` cascade may give, and the findings about them: too few contacts in a
//! class (E042) and a cascade with nobody in it (W010). Who a cascade tries is
//! [`crate::rules::cascade::expand`]'s answer; this file only checks what is written.

use super::diagnostic::{Code, Diagnostic};
use super::framework::{FloorCites, FrameworkScope};
use super::table::{unknown, Table};
use super::Ctx;
use crate::rules::cascade::{expand, members, CascadeItem};
use crate::rules::{ActionDef, ClassDef, ClassId, ContactDef, ContactId, StepDef};
use crate::span::Span;
use crate::syntax::ast::{Contact, ContactClass, Ident, IntLit};
use crate::wording::did_you_mean;

/// The largest `at least` a class may ask for: far above any real list of key holders, low
/// enough that a slip (`at least 300`) is caught.
const MAX_MINIMUM: u64 = 100;

impl FrameworkScope<'_> {
    /// `class NAME "Display" [at least N]`. A class with a minimum out of range is still
    /// declared (without it), so that its uses are not reported as unknown as well.
    pub(super) fn class(&mut self, cx: &mut Ctx<'_>, c: &ContactClass) {
        let file = self.file;
        let at_least = c
            .at_least
            .as_ref()
            .and_then(|n| cx.ok(minimum(n, file, &c.name.name)));
        if cx
            .ok(self.classes.declare(&c.name.name, file, c.name.span))
            .is_none()
        {
            return;
        }
        self.class_defs.push(ClassDef {
            name: c.name.name.clone(),
            display: c.display.value.clone(),
            at_least,
            cites: c.cite.iter().map(|s| s.value.clone()).collect(),
        });
    }
}

/// A class's `at least N`: a whole number from 1 to [`MAX_MINIMUM`] (E010 otherwise).
fn minimum(n: &IntLit, file: usize, class: &str) -> Result<u32, Diagnostic> {
    match n.digits.parse::<u64>() {
        Ok(v) if (1..=MAX_MINIMUM).contains(&v) => Ok(u32::try_from(v).unwrap_or(u32::MAX)),
        _ => Err(Diagnostic::new(
            Code::AbsurdValue,
            file,
            n.span,
            format!(
                "the minimum for class `{class}` `{}` is not between 1 and {MAX_MINIMUM}",
                n.digits
            ),
            "out of range",
            format!(
                "write a whole number of contacts from 1 to {MAX_MINIMUM}, or leave out `at least`"
            ),
        )),
    }
}

/// The classes a protocol contact's `in` entry puts it in: each must be declared (E003) and
/// listed once (E004). A contact may not share a class's name (E004): a cascade naming it
/// could not say which was meant.
pub(super) fn contact_classes(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    c: &Contact,
) -> Vec<ClassId> {
    if let Some(k) = fw.classes.get(&c.name.name) {
        let mut d = Diagnostic::new(
            Code::Duplicate,
            file,
            c.name.span,
            format!("contact `{}` has the name of a contact class", c.name.name),
            "same name as the framework's class",
            format!(
                "a cascade naming `{0}` could mean the contact or the class: rename the contact (and put it in the class with `in {0}` if it belongs there)",
                c.name.name
            ),
        );
        if let Some((f, s)) = fw.classes.declared_at(k) {
            d = d.with(f, s, "the class");
        }
        cx.report(d);
    }
    let mut out: Vec<ClassId> = Vec::new();
    for name in &c.classes {
        let Some(k) = cx.ok(fw.classes.lookup(&name.name, file, name.span)) else {
            continue;
        };
        if out.contains(&k) {
            cx.report(Diagnostic::new(
                Code::Duplicate,
                file,
                name.span,
                format!(
                    "contact `{}` is put in class `{}` twice",
                    c.name.name, name.name
                ),
                "listed again here",
                "list each class once",
            ));
            continue;
        }
        out.push(k);
    }
    out
}

/// One name of a `contact A then B` cascade: in a protocol step (`own` holds the person's
/// contacts), the person's contact of that name, else the class; in a framework step, which
/// cannot know anyone's contacts, a class only (E002 for any other name, unless it looks like
/// a misspelt class: E003).
pub(super) fn cascade_item(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    own: Option<&Table<ContactId>>,
    file: usize,
    n: &Ident,
) -> Option<CascadeItem> {
    if let Some(c) = own.and_then(|contacts| contacts.get(&n.name)) {
        return Some(CascadeItem::Contact(c));
    }
    if let Some(k) = fw.classes.get(&n.name) {
        return Some(CascadeItem::Class(k));
    }
    let class_names = fw.classes.names().iter().map(String::as_str);
    let finding = match own {
        Some(contacts) => {
            let all = contacts.names().iter().map(String::as_str);
            unknown(
                "contact or contact class",
                &n.name,
                file,
                n.span,
                all.chain(class_names),
            )
        }
        None if did_you_mean(&n.name, class_names.clone()).is_some() => {
            unknown("contact class", &n.name, file, n.span, class_names)
        }
        None => framework_names_contact(file, n),
    };
    cx.report(finding);
    None
}

/// E002: a framework step naming what can only be one person's contact.
fn framework_names_contact(file: usize, n: &Ident) -> Diagnostic {
    Diagnostic::new(
        Code::Misplaced,
        file,
        n.span,
        format!("a framework step cannot name a person's contact `{}`", n.name),
        "contacts belong to protocols",
        format!(
            "to reach each person's own contacts, declare a contact class (`class {0} \"...\"`), name it here, and put the contacts in it in each protocol (`in {0}`); or move this step into the person's protocol",
            n.name
        ),
    )
}

/// The class through which a cascade brings contact `c`, when it does not name them itself:
/// for the words of a finding about them.
pub(super) fn via_class<'f>(
    fw: &'f FrameworkScope<'_>,
    items: &[CascadeItem],
    c: ContactId,
    contacts: &[ContactDef],
) -> Option<&'f str> {
    if items.contains(&CascadeItem::Contact(c)) {
        return None;
    }
    items.iter().find_map(|i| match i {
        CascadeItem::Class(k) if members(*k, contacts).contains(&c) => {
            fw.class_defs.get(k.index()).map(|d| d.name.as_str())
        }
        _ => None,
    })
}

/// A protocol as the class findings need it (the checker's person scope lends it, so that
/// this file and the person's declarations do not import each other).
pub(super) struct Protocol<'p> {
    /// The protocol's file.
    pub file: usize,
    /// Its head line, where a finding about the whole protocol points.
    pub head: Span,
    /// Its contacts, in the order written.
    pub contacts: &'p [ContactDef],
}

/// E042: a class the protocol puts fewer contacts in than the framework's `at least`. Every
/// protocol is held to it, whether or not a step names the class: like the floors, it is a
/// minimum the provider set for everyone.
pub(super) fn minimums(cx: &mut Ctx<'_>, fw: &FrameworkScope<'_>, p: &Protocol<'_>) {
    let contacts = p.contacts;
    for ((k, _), def) in fw.classes.iter().zip(&fw.class_defs) {
        let Some(min) = def.at_least else {
            continue;
        };
        let has = members(k, contacts).len();
        if has >= min as usize {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::ClassBelowMinimum,
            p.file,
            p.head,
            format!(
                "the protocol puts {} in class `{}`, but the framework requires at least {min}",
                count(has),
                def.name
            ),
            format!(
                "{has} of {min} {} recorded{}",
                crate::wording::lower_first(&def.display),
                FloorCites::note(&def.cites.first().cloned())
            ),
            format!(
                "put {} more of the person's contacts in the class by writing `in {}` in their braces, declaring the contacts the protocol does not list yet",
                min as usize - has,
                def.name
            ),
        );
        if let Some((f, s)) = fw.classes.declared_at(k) {
            d = d.with(f, s, format!("at least {min} required here"));
        }
        cx.report(d);
    }
}

/// "no contact", "1 contact", "2 contacts".
fn count(n: usize) -> String {
    match n {
        0 => "no contact".into(),
        1 => "1 contact".into(),
        n => format!("{n} contacts"),
    }
}

/// W010: a step whose cascade, for this person, has nobody in it (every name a class the
/// protocol puts no one in). It can only fail at once: the list has run out before anyone is
/// tried, and the next step starts.
pub(super) fn empty_cascades(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    p: &Protocol<'_>,
    ladders: &[&[StepDef]],
) {
    let contacts = p.contacts;
    for s in ladders.iter().flat_map(|l| l.iter()) {
        let ActionDef::Contact(items) = &s.action else {
            continue;
        };
        if !expand(items, contacts).is_empty() {
            continue;
        }
        let classes: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                CascadeItem::Class(k) => fw.class_defs.get(k.index()).map(|d| d.name.clone()),
                CascadeItem::Contact(_) => None,
            })
            .collect();
        cx.report(empty_cascade(p, s, &classes));
    }
}

/// W010 for step `s`, which names only `classes`: at the step in the protocol, or for a
/// framework step at the protocol's head, with the step beside it.
fn empty_cascade(p: &Protocol<'_>, s: &StepDef, classes: &[String]) -> Diagnostic {
    let (file, span): (usize, Span) = (s.origin.source, s.origin.span);
    let own = file == p.file;
    let step = if own {
        format!("step `{}`", s.name)
    } else {
        format!("the framework's step `{}`", s.name)
    };
    let d = Diagnostic::new(
        Code::EmptyCascade,
        p.file,
        if own { span } else { p.head },
        format!(
            "{step} contacts {} {}, and this protocol puts no one in {}",
            if classes.len() == 1 { "class" } else { "classes" },
            quoted(classes),
            if classes.len() == 1 { "it" } else { "them" }
        ),
        "nobody to contact",
        format!(
            "as written there is nobody to try: a step after it `if failed` starts at once, and without one the duty can never be done and goes overdue; put the person's contacts in the class with `in {}` in their braces, or name a contact",
            classes.first().map_or("CLASS", String::as_str)
        ),
    );
    if own {
        d
    } else {
        d.with(file, span, "the framework's step")
    }
}

/// `` `a` `` or `` `a` and `b` `` or `` `a`, `b` and `c` ``.
fn quoted(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
