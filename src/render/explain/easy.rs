//! The easy-read draft for the person: what staff will do if you do not answer, who they will
//! contact and when, how to tell us you will be away, what you agreed. Short sentences, "you"
//! and "we", times as "8:30 in the morning", hard words explained at once and in a glossary,
//! and only the ways of reaching the person their protocol allows (a person who cannot use a
//! phone is never told "we will phone you").

use super::pictures::Picture;
use super::{Block, Doc, Sentence};
use crate::rules::{ActionDef, PathwayDef, PersonRules, RuleSet, StepDef, TriggerOn};
use crate::vocab::{AgencyKind, Capacity, Method, TriggerKind};

/// Hard words the easy-read version may use, each with what it means.
const HARD: &[(&str, &str)] = &[
    (
        "key holder",
        "A key holder is someone who has a key to your home.",
    ),
    (
        "council",
        "The council is the local government where you live.",
    ),
    (
        "alarm pendant",
        "Your alarm pendant is the button you wear to call for help.",
    ),
    ("notes", "Your notes are what we write about your support."),
];

/// The easy-read draft of `person`'s protocol. `Err` if the person has no protocol.
///
/// ```
/// # let dir = "protocols/supported-living";
/// # let mut sources = Vec::new();
/// # for f in ["framework.vigil", "p-0421-deaf.vigil"] { sources.push(vigil::Source::new(format!("{dir}/{f}"), std::fs::read_to_string(format!("{dir}/{f}")).unwrap())); }
/// let rs = vigil::compile(&sources).unwrap();
/// let doc = vigil::render::explain::easy_read(&rs, "P-0421").unwrap();
/// assert!(vigil::render::explain::easy_read_problems(&doc, &rs, "P-0421").is_empty());
/// assert!(!vigil::render::explain::to_text(&doc).contains("phone you"));
/// ```
pub fn easy_read(rs: &RuleSet, person: &str) -> Result<Doc, String> {
    let rules = rs
        .persons()
        .iter()
        .find(|p| p.id == person)
        .ok_or_else(|| format!("`{person}` has no protocol in these rules"))?;
    let here = rules.origin.as_ref().map_or_else(
        || "the protocol".to_string(),
        |o| format!("{}:{}", o.file, o.line),
    );
    let mut w = Writer {
        rs,
        rules,
        blocks: Vec::new(),
        glossary: Vec::new(),
    };
    w.visits(&here);
    for p in &rules.pathways {
        w.pathway(p);
    }
    w.contacts();
    w.away(&here);
    w.agreed(&here);
    let mut glossary = w.glossary;
    glossary.sort_by_key(|(word, _)| HARD.iter().position(|(h, _)| h == word));
    Ok(Doc {
        title: "What we will do if you do not answer".into(),
        notice: vec![
            Sentence::new("This is a draft of your plan.", here.clone()),
            Sentence::new("We will read it with you.", here.clone()),
            Sentence::new("You can ask us to change it.", here),
        ],
        blocks: w.blocks,
        glossary,
        easy: true,
    })
}

struct Writer<'a> {
    rs: &'a RuleSet,
    rules: &'a PersonRules,
    blocks: Vec<Block>,
    glossary: Vec<(String, String)>,
}

impl Writer<'_> {
    /// Add sentences under a heading, at most five to a block, each block its picture.
    fn add(&mut self, heading: &str, picture: Picture, sentences: Vec<Sentence>) {
        let sentences = self.explained(sentences);
        for (k, chunk) in chunks(sentences).into_iter().enumerate() {
            self.blocks.push(Block {
                heading: if k == 0 {
                    heading.to_string()
                } else {
                    format!("{heading} (more)")
                },
                picture: Some(picture),
                sentences: chunk,
            });
        }
    }

    /// After the first sentence using a hard word, the sentence saying what it means; each
    /// hard word joins the glossary.
    fn explained(&mut self, sentences: Vec<Sentence>) -> Vec<Sentence> {
        let mut out = Vec::new();
        for s in sentences {
            let lower = s.text.to_lowercase();
            let new: Vec<(&str, &str)> = HARD
                .iter()
                .filter(|(w, _)| lower.contains(w) && !self.glossary.iter().any(|(g, _)| g == w))
                .copied()
                .collect();
            let source = s.source.clone();
            out.push(s);
            for (word, meaning) in new {
                out.push(Sentence::new(meaning, source.clone()));
                self.glossary.push((word.to_string(), meaning.to_string()));
            }
        }
        out
    }

    fn visits(&mut self, here: &str) {
        let mut sentences = Vec::new();
        for v in &self.rules.visits {
            let days = days_words(&v.days.iter().map(|d| d.index()).collect::<Vec<_>>());
            let at = clock(v.at.0, v.at.1);
            let source = format!("{}:{}", v.origin.file, v.origin.line);
            sentences.push(Sentence::new(
                format!("We visit you {days} at {at}."),
                source,
            ));
        }
        if !sentences.is_empty() {
            let _ = here;
            self.add("When we visit you", Picture::Clock, sentences);
        }
    }

    fn pathway(&mut self, p: &PathwayDef) {
        let (heading, picture, opening) = match p.trigger {
            TriggerOn::Builtin(TriggerKind::NoAnswer) => (
                "If you do not answer the door",
                Picture::Door,
                "Sometimes you may not answer when we visit.",
            ),
            TriggerOn::Builtin(TriggerKind::MissedVisit) => (
                "If we do not get to you",
                Picture::Clock,
                "Sometimes we may not get to your visit.",
            ),
            // Only for a person with an alarm: no one else is told about one.
            TriggerOn::Builtin(TriggerKind::AtAlert) if !self.has_alarm() => return,
            TriggerOn::Builtin(TriggerKind::AtAlert) => (
                "If your alarm calls us",
                Picture::Message,
                "Sometimes your alarm pendant may call us.",
            ),
            TriggerOn::Builtin(TriggerKind::RedFlag) => (
                "If you are badly hurt",
                Picture::Ambulance,
                "You may get badly hurt or very ill.",
            ),
            _ => return,
        };
        let source = format!("{}:{}", p.origin.file, p.origin.line);
        let mut sentences = vec![Sentence::new(opening, source)];
        let mut said: Vec<String> = Vec::new();
        // How long after the start of it all each step is due at worst: a step after
        // another is due that long after the trigger, not its own minutes after it.
        let worst = crate::check::worst_cases(self.rs, &p.steps);
        let branched = on_a_branch(&p.steps);
        for ((s, worst), branched) in p.steps.iter().zip(worst).zip(branched) {
            // A step that runs only on a finding or a fact (not just the time of day, whose
            // twins say the same), or only when an earlier step ended one way, is said as
            // "if needed".
            let sometimes = branched || !calendar_only(&s.condition);
            let office = office_hours(&s.condition);
            for (k, mut text) in self.step_words(s, worst).into_iter().enumerate() {
                // The step's first sentence says it may not happen; the rest (how, who next)
                // go with it.
                if sometimes && k == 0 {
                    text = format!("If needed, {}", crate::wording::lower_first(&text));
                } else if let Some(open) = office {
                    // Twins for office hours and out of hours saying the same are said once.
                    let twin = format!(
                        "{}, {}",
                        office_words(!open),
                        crate::wording::lower_first(&text)
                    );
                    if let Some(i) = said.iter().position(|t| *t == twin) {
                        said[i] = text.clone();
                        if let Some(s) = sentences.iter_mut().find(|s| s.text == twin) {
                            s.text = text.clone();
                        }
                        continue;
                    }
                    if said.contains(&text) {
                        continue;
                    }
                    text = format!(
                        "{}, {}",
                        office_words(open),
                        crate::wording::lower_first(&text)
                    );
                }
                if !said.contains(&text) {
                    said.push(text.clone());
                    sentences.push(Sentence::new(
                        text,
                        format!(
                            "{}:{} ({})",
                            s.origin.file,
                            s.origin.line,
                            crate::wording::citations(&s.all_cites)
                        ),
                    ));
                }
            }
        }
        self.add(heading, picture, sentences);
    }

    /// What one step means for the person, in one or two short sentences.
    fn step_words(&self, s: &StepDef, worst: Option<u64>) -> Vec<String> {
        let soon = s
            .deadline
            .and(worst)
            .and_then(minutes)
            .map_or_else(String::new, |m| format!(" within {m}"));
        match &s.action {
            // What is checked decides the words: the surroundings are seen from outside;
            // anything else (a dose, food and drink) is checked by name.
            ActionDef::Check(what) => match self.rs.symbols.name(*what) {
                "surroundings" => vec![format!("We will look at your home from outside{soon}.")],
                // A check named by when it is made (`on_arrival`) is not a thing of theirs
                // (found by a docs-only tester: "we will check your on arrival").
                other => {
                    let words = other.replace('_', " ");
                    let when = ["on ", "at ", "in ", "after ", "before ", "during ", "with "]
                        .iter()
                        .any(|p| words.starts_with(p));
                    let your = if when { "" } else { "your " };
                    vec![format!("We will check {your}{words}{soon}.")]
                }
            },
            ActionDef::Attempt { methods, times, .. } => {
                let ways: Vec<&str> = methods
                    .iter()
                    .filter(|m| self.may_use(**m))
                    .map(|m| method_words(*m))
                    .collect();
                if ways.is_empty() {
                    return Vec::new();
                }
                let n = if *times == 1 {
                    "once".to_string()
                } else {
                    format!("{times} times")
                };
                vec![
                    format!("We will try to reach you {n}{soon}."),
                    format!("We will use {}.", either(&ways)),
                ]
            }
            // Whom the notice goes to, by the framework's name for the role: a notice to a
            // mobile responder sends them, it tells no manager (found by a docs-only tester).
            ActionDef::Notify(to) => vec![format!("We will tell our {}{soon}.", self.told(to))],
            ActionDef::Review(verb, _) => vec![match verb {
                crate::vocab::ReviewVerb::Assess => {
                    format!("We will think about how safe you are{soon}.")
                }
                crate::vocab::ReviewVerb::Update => format!("We will update your plan{soon}."),
                _ => format!("Our manager will look at your notes{soon}."),
            }],
            ActionDef::VerifyWhereabouts => {
                vec![format!("We will look for you{soon}.")]
            }
            ActionDef::Contact(items) => {
                let who: Vec<String> = self
                    .rules
                    .cascade(items)
                    .iter()
                    .filter_map(|c| self.rules.contacts.get(c.index()))
                    .map(contact_words)
                    .collect();
                match who.as_slice() {
                    [] => Vec::new(),
                    [one] => vec![format!("We will contact {one}{soon}.")],
                    [first, rest @ ..] => {
                        // One person to a sentence: a long list is hard to hold in mind.
                        let mut out = vec![format!("We will contact {first}{soon}.")];
                        out.extend(
                            rest.iter()
                                .map(|w| format!("If we need to, we will then contact {w}.")),
                        );
                        out
                    }
                }
            }
            // Each service by the name the framework gives it: a statutory agency may be the
            // police as well as the council, an emergency one the fire service as well as an
            // ambulance (found by a docs-only tester: a police welfare check read "the
            // council").
            ActionDef::Escalate(a) => match self.rs.agencies.get(a.index()) {
                Some(d) if d.kind == AgencyKind::Emergency => {
                    vec![format!("We will call 999 for {}.", plain_name(&d.display))]
                }
                Some(d) => vec![format!("We will contact {}{soon}.", plain_name(&d.display))],
                None => vec!["We will ask another service for help.".into()],
            },
            ActionDef::ReferSafeguarding => {
                vec!["We will tell the council we are worried about you.".into()]
            }
            // A stay is where its role is (a worker at the door, an operator on the line),
            // so the words say until when, not where (found by a docs-only tester: an
            // operator staying on the line read "we will stay at your home").
            ActionDef::Stay => vec![match s.until {
                Some(crate::vocab::EventKind::AgencyArrived) => {
                    "We will not leave until help arrives.".into()
                }
                Some(crate::vocab::EventKind::Released) => {
                    "We will not leave until our manager says we can go.".into()
                }
                _ => "We will not leave until it is sorted out.".into(),
            }],
            ActionDef::HandOver(to) => {
                let plan = self
                    .rules
                    .pathways
                    .iter()
                    .find(|q| q.name == *to)
                    .map_or_else(|| to.replace('_', " "), |q| q.display.to_lowercase());
                vec![format!("We will start our {plan} plan.")]
            }
            _ => Vec::new(),
        }
    }

    /// The role a notice goes to, as the framework names it, lower case (an alias by its
    /// own name: "manager").
    fn told(&self, to: &crate::rules::Responsible) -> String {
        let name = match to {
            crate::rules::Responsible::Role(r) => {
                self.rs.roles.get(r.index()).map(|d| d.display.to_string())
            }
            crate::rules::Responsible::Alias(a) => {
                self.rs.aliases.get(a.index()).map(|d| d.display.clone())
            }
        };
        let name = name.map_or_else(|| "manager".into(), |n| n.to_lowercase());
        // "our the manager": an alias's name may carry its article.
        match name.strip_prefix("the ") {
            Some(rest) => rest.to_string(),
            None => name,
        }
    }

    /// Whether the person has an alarm to call us: the protocol reaches them through it, or
    /// records that they have one.
    fn has_alarm(&self) -> bool {
        self.rules.methods.contains(&Method::AtAlert)
            || self.rules.has.iter().any(|h| {
                ["pendant", "alarm", "telecare", "fall"]
                    .iter()
                    .any(|w| h.contains(w))
            })
    }

    /// Whether the easy read may say we reach the person this way: one of their methods, and
    /// never the phone for a person with a recorded need against it.
    fn may_use(&self, m: Method) -> bool {
        let no_phone = self.rules.communication.iter().any(|c| c.contains("phone"))
            || self
                .rules
                .ruled_out
                .iter()
                .any(|r| r.method == Method::Phone && r.window.is_none());
        !(m == Method::Phone && no_phone)
    }

    fn contacts(&mut self) {
        let file = self.rules.origin.as_ref().map_or("", |o| o.file.as_str());
        // One sentence a situation, naming everyone tried in it: short sentences, and never
        // "if we cannot find you" for a contact only a refusal reaches.
        let when: Vec<Vec<&'static str>> = (0..self.rules.contacts.len())
            .map(|i| self.situations(i))
            .collect();
        let mut sentences = Vec::new();
        for situation in SITUATIONS {
            let those: Vec<&crate::rules::ContactDef> = self
                .rules
                .contacts
                .iter()
                .zip(&when)
                .filter(|(_, w)| w.contains(&situation))
                .map(|(c, _)| c)
                .collect();
            if those.is_empty() {
                continue;
            }
            // As many to a sentence as keep it within the easy-read length.
            let say = |group: &[&crate::rules::ContactDef]| {
                let names: Vec<String> = group.iter().map(|c| contact_words(c)).collect();
                format!("If {situation}, we may contact {}.", either(&names))
            };
            let mut group: Vec<&crate::rules::ContactDef> = Vec::new();
            let mut flush = |group: &mut Vec<&crate::rules::ContactDef>| {
                if group.is_empty() {
                    return;
                }
                let ids: Vec<String> = group.iter().map(|c| format!("`{}`", c.name)).collect();
                let which = if ids.len() == 1 {
                    "contact"
                } else {
                    "contacts"
                };
                sentences.push(Sentence::new(
                    say(group),
                    format!("{file} {which} {}", ids.join(", ")),
                ));
                group.clear();
            };
            for c in those {
                group.push(c);
                if group.len() > 1
                    && say(&group).split_whitespace().count() > super::rules::MAX_WORDS
                {
                    group.pop();
                    flush(&mut group);
                    group.push(c);
                }
            }
            flush(&mut group);
        }
        for (c, w) in self.rules.contacts.iter().zip(&when) {
            if w.is_empty() {
                sentences.push(Sentence::new(
                    format!("We may contact {}.", contact_words(c)),
                    format!("{file} contact `{}`", c.name),
                ));
            }
        }
        if !sentences.is_empty() {
            self.add("Who we will contact", Picture::Family, sentences);
        }
    }

    /// When contact `i` is tried, in the person's words: the situations of the pathways with
    /// a step reaching them ("we cannot find you", "you say no to your support and we are
    /// worried"), a pathway handed over to taking those of the pathways handing over to it.
    /// Never "if we cannot find you" for a contact only a refusal reaches.
    fn situations(&self, i: usize) -> Vec<&'static str> {
        let pathways = &self.rules.pathways;
        let reaches = |p: &PathwayDef| {
            p.steps
                .iter()
                .chain(&p.after_closure)
                .any(|s| match &s.action {
                    ActionDef::Contact(items) => {
                        self.rules.cascade(items).iter().any(|c| c.index() == i)
                    }
                    _ => false,
                })
        };
        let mut out: Vec<&'static str> = Vec::new();
        // Pathways to read, each with the pathway whose trigger it stands in for: a pathway
        // handed over to is reached through those that hand over to it (no circles: E043).
        let mut todo: Vec<(&PathwayDef, usize)> = pathways
            .iter()
            .filter(|p| reaches(p))
            .map(|p| (p, 0))
            .collect();
        while let Some((p, depth)) = todo.pop() {
            match p.trigger {
                TriggerOn::Builtin(TriggerKind::HandOver) => {
                    if depth < 16 {
                        for q in pathways.iter().filter(|q| hands_over_to(q, &p.name)) {
                            todo.push((q, depth + 1));
                        }
                    }
                }
                t => {
                    let words = situation(self.rs, t);
                    if !out.contains(&words) {
                        out.push(words);
                    }
                }
            }
        }
        out.sort_by_key(|w| SITUATIONS.iter().position(|s| s == w));
        out
    }

    fn away(&mut self, here: &str) {
        let mut sentences = vec![
            Sentence::new("Please tell us when you go away.", here),
            Sentence::new("Then we know where you are.", here),
        ];
        for a in &self.rules.absences {
            for w in a.windows.iter().take(2) {
                let day = crate::time::WEEKDAYS
                    .get((w.start / 1440) as usize % 7)
                    .copied()
                    .unwrap_or("");
                let at = clock(w.start % 1440 / 60, w.start % 60);
                // Until when, too (found by a docs-only tester: "out on Friday at 12 noon" of
                // a window to 14:30).
                let end = w.end % 1440;
                let until = clock(end / 60, end % 60);
                sentences.push(Sentence::new(
                    format!("We know you are often out on {day}."),
                    here,
                ));
                sentences.push(Sentence::new(
                    format!("You are out from {at} to {until}."),
                    here,
                ));
            }
        }
        for e in &self.rules.exceptions {
            let from = e.from.format("%A %-d %B").to_string();
            // And when it ends: the last day, for one ending at a midnight (found by a
            // docs-only tester: "away from Tuesday 1 December" read as for good).
            let back = if e.until.time() == chrono::NaiveTime::MIN {
                let last = e.until.date().pred_opt().unwrap_or(e.until.date());
                format!("You will be away until {}.", last.format("%A %-d %B"))
            } else {
                let t = e.until.time();
                let at = clock(chrono::Timelike::hour(&t), chrono::Timelike::minute(&t));
                format!(
                    "You will be back by {at} on {}.",
                    e.until.format("%A %-d %B")
                )
            };
            sentences.push(Sentence::new(
                format!("We know you are away from {from}."),
                format!("{here} exception `{}`", e.name),
            ));
            sentences.push(Sentence::new(
                back,
                format!("{here} exception `{}`", e.name),
            ));
            // What the agreed exception changes: who we contact first while you are away.
            let first_contact = e
                .changes
                .iter()
                .filter_map(|c| c.ladder.as_ref())
                .flat_map(|l| &l.steps)
                .find_map(|s| match &s.action {
                    ActionDef::Contact(items) => self.rules.cascade(items).first().copied(),
                    _ => None,
                })
                .and_then(|c| self.rules.contacts.get(c.index()));
            if let Some(c) = first_contact {
                sentences.push(Sentence::new(
                    format!(
                        "While you are away, we will contact {} first.",
                        contact_words(c)
                    ),
                    format!("{here} exception `{}`", e.name),
                ));
            }
            if e.suspend_visits {
                sentences.push(Sentence::new(
                    "While you are away, we will not visit you.",
                    format!("{here} exception `{}`", e.name),
                ));
            }
        }
        self.add("When you are away", Picture::Away, sentences);
    }

    fn agreed(&mut self, here: &str) {
        let mut sentences = Vec::new();
        match self.rules.capacity {
            Some(Capacity::Lacking) => sentences.push(Sentence::new(
                "People who know you well helped us make this plan.",
                here,
            )),
            _ => sentences.push(Sentence::new("You helped us make this plan.", here)),
        }
        for c in self
            .rules
            .contacts
            .iter()
            .filter(|c| matches!(c.basis, Some((crate::vocab::Basis::Consent, _))))
        {
            sentences.push(Sentence::new(
                format!("You said we can contact {}.", contact_words(c)),
                here,
            ));
        }
        let reviewed = self
            .rules
            .pathways
            .iter()
            .flat_map(|p| &p.after_closure)
            .any(|s| matches!(s.action, ActionDef::Review(..)));
        if reviewed {
            sentences.push(Sentence::new(
                "After each time, we will look at this plan again.",
                here,
            ));
        }
        self.add("What you agreed", Picture::Agree, sentences);
    }
}

/// "When our office is open" or "At other times": short, so that the sentence stays short.
fn office_words(open: bool) -> &'static str {
    if open {
        "When our office is open"
    } else {
        "At other times"
    }
}

/// Whether a condition asks for office hours (`Some(true)`), for out of hours (`Some(false)`),
/// or neither.
fn office_hours(c: &crate::rules::Cond) -> Option<bool> {
    use crate::rules::Cond;
    match c {
        Cond::OutOfHours => Some(false),
        Cond::Not(inner) if **inner == Cond::OutOfHours => Some(true),
        Cond::And(all) => {
            let found: Vec<bool> = all.iter().filter_map(office_hours).collect();
            let rest_true = all
                .iter()
                .all(|x| office_hours(x).is_some() || *x == Cond::Const(true));
            match found.as_slice() {
                [one] if rest_true => Some(*one),
                _ => None,
            }
        }
        _ => None,
    }
}

/// True for a condition about nothing but the time: office hours, calendars.
/// For each step, whether it runs only when an earlier step ended one way: it is on a branch
/// (`after X if ...`, `after X otherwise`), or follows, however far back, a step that is.
fn on_a_branch(steps: &[StepDef]) -> Vec<bool> {
    let mut out: Vec<bool> = steps
        .iter()
        .map(|s| s.follows != crate::rules::flow::Follow::Any)
        .collect();
    // Each pass carries the mark one `after` further; a ladder is no longer than its steps.
    for _ in 0..steps.len() {
        let mut changed = false;
        for (i, s) in steps.iter().enumerate() {
            let inherited = s
                .after
                .and_then(|a| out.get(usize::from(a)).copied())
                .unwrap_or(false);
            if inherited && out.get(i) == Some(&false) {
                if let Some(mark) = out.get_mut(i) {
                    *mark = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    out
}

fn calendar_only(c: &crate::rules::Cond) -> bool {
    use crate::rules::Cond;
    match c {
        Cond::Const(_) | Cond::OutOfHours | Cond::InCalendar(_) => true,
        Cond::Not(inner) => calendar_only(inner),
        Cond::And(all) | Cond::Or(all) => all.iter().all(calendar_only),
        _ => false,
    }
}

/// At most five sentences to a block, a hard word's meaning kept with the sentence before it.
fn chunks(sentences: Vec<Sentence>) -> Vec<Vec<Sentence>> {
    let mut out: Vec<Vec<Sentence>> = Vec::new();
    let mut current: Vec<Sentence> = Vec::new();
    let meaning = |s: &Sentence| HARD.iter().any(|(_, m)| *m == s.text);
    for s in sentences {
        if current.len() >= 5 {
            if meaning(&s) {
                // Keep the explanation with its word: the word's sentence moves on with it.
                let word = current.pop();
                out.push(std::mem::take(&mut current));
                current.extend(word);
            } else {
                out.push(std::mem::take(&mut current));
            }
        }
        current.push(s);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// "every day", "on Monday, Wednesday and Friday".
fn days_words(days: &[usize]) -> String {
    if days.len() == 7 {
        return "every day".into();
    }
    let names: Vec<String> = days
        .iter()
        .filter_map(|d| crate::time::WEEKDAYS.get(*d))
        .map(|d| d.to_string())
        .collect();
    format!("on {}", and(&names))
}

/// "8 in the morning", "8:30 in the morning", "12 noon", "6:30 in the evening", "midnight".
pub(super) fn clock(h: u32, m: u32) -> String {
    let part = match h {
        0 if m == 0 => return "midnight".into(),
        12 if m == 0 => return "12 noon".into(),
        0..=4 => "at night",
        5..=11 => "in the morning",
        12..=17 => "in the afternoon",
        18..=20 => "in the evening",
        _ => "at night",
    };
    let hour = match h % 12 {
        0 => 12,
        x => x,
    };
    if m == 0 {
        format!("{hour} {part}")
    } else {
        format!("{hour}:{m:02} {part}")
    }
}

/// A short time after the trigger, in minutes or hours ("45 minutes"); none past four hours
/// (a day's deadline is not a promise to make in minutes).
fn minutes(worst: u64) -> Option<String> {
    // Under two hours, one number: "90 minutes" reads more easily than "1 hour 30 minutes",
    // and keeps the sentence short.
    (worst <= 4 * 3600 && worst % 60 == 0).then(|| {
        if worst < 2 * 3600 && worst % 3600 != 0 {
            format!("{} minutes", worst / 60)
        } else {
            crate::wording::duration_words(worst)
        }
    })
}
fn method_words(m: Method) -> &'static str {
    match m {
        Method::Phone => "the phone",
        Method::Text => "text messages",
        Method::Door => "your door",
        Method::AtAlert => "your alarm pendant",
        Method::Video => "a video call",
        Method::Email => "email",
        Method::Intercom => "the door speaker",
    }
}

/// A contact as the person knows them: "your sister", "your key holder".
fn contact_words(c: &crate::rules::ContactDef) -> String {
    let shown = c.display.split('(').next().unwrap_or("").trim();
    let plain = simple(shown);
    match c.kind.as_str() {
        "key_holder" => "your key holder".into(),
        _ if plain.is_empty() => "someone you know".into(),
        _ => format!("your {}", plain.to_lowercase()),
    }
}

/// Words with any acronym taken out (an easy read uses none): "GP" is "doctor" ("GP
/// practice" the "doctor's practice").
fn simple(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| match *w {
            "GP" if words
                .get(i + 1)
                .is_some_and(|n| ["practice", "surgery"].contains(&n.to_lowercase().as_str())) =>
            {
                "doctor's"
            }
            "GP" => "doctor",
            "BSL" => "sign language",
            w if w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()) => "",
            w => w,
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn either<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| s.as_ref().to_string()).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The situations a contact may be tried in, in the order the easy read says them.
const SITUATIONS: [&str; 5] = [
    "we cannot find you",
    "we miss a visit to you",
    "you are in danger",
    "you say no to your support",
    "we are worried about you",
];

/// The situation a pathway's trigger is, in the person's words: a declared trigger written
/// `safety unconfirmed` (a missing-person report) is not finding them, like a no-answer.
fn situation(rs: &RuleSet, t: TriggerOn) -> &'static str {
    match t {
        TriggerOn::Declared(_) if rs.safety_unconfirmed(t) => SITUATIONS[0],
        TriggerOn::Builtin(TriggerKind::NoAnswer | TriggerKind::AtAlert) => SITUATIONS[0],
        // The worker did not come: the person was not lost.
        TriggerOn::Builtin(
            TriggerKind::MissedVisit | TriggerKind::LateVisit | TriggerKind::PartlyAttended,
        ) => SITUATIONS[1],
        TriggerOn::Builtin(TriggerKind::RedFlag) => SITUATIONS[2],
        TriggerOn::Builtin(TriggerKind::Refusal) => SITUATIONS[3],
        _ => SITUATIONS[4],
    }
}

/// Whether a step of `p` hands over to the pathway called `to`.
fn hands_over_to(p: &PathwayDef, to: &str) -> bool {
    p.steps
        .iter()
        .chain(&p.after_closure)
        .any(|s| matches!(&s.action, ActionDef::HandOver(t) if t == to))
}

/// A service's name as a sentence carries it: what it adds in brackets left out (an easy read
/// keeps sentences short), and a capital only where the name needs one (`Adult social care`
/// reads `adult social care`, `NHS 111` stays as it is).
fn plain_name(display: &str) -> String {
    let name = display.split(" (").next().unwrap_or(display).trim();
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            crate::wording::lower_first(name)
        }
        _ => name.to_string(),
    }
}
