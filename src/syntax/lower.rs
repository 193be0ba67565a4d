//! Lowering: pest pairs to the syntax tree.
//!
//! The grammar guarantees the shape of every pair, but the lowering never relies on that with
//! a panic: a pair of an unexpected shape becomes a [`Shape`] error, reported as a syntax
//! error, so a grammar change that forgets the lowering shows up as a diagnostic, not a crash.

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use crate::span::Loc;

/// The lowering met a tree it did not expect (a grammar/lowering mismatch).
#[derive(Debug)]
pub struct Shape(pub Loc, pub &'static str);

type R<T> = Result<T, Shape>;

/// The children of one pair, with keyword pairs set aside.
struct Kids<'i> {
    data: Vec<Pair<'i, Rule>>,
    kws: Vec<Rule>,
    at: usize,
    off: usize,
    span: Loc,
}

/// Keywords and punctuation: structure the lowering reads from rule names, not data.
fn is_kw(rule: Rule) -> bool {
    let name = format!("{rule:?}");
    name.starts_with("kw_") || name.starts_with("p_")
}

/// The span of a pair, ending at its last token. Pest keeps the whitespace and comments it
/// skipped before an optional part that then did not match; they are not part of the item.
fn span_of(p: &Pair<'_, Rule>, off: usize) -> Loc {
    let s = p.as_span();
    Loc::new(s.start() + off, tight_end(p) + off)
}

fn tight_end(p: &Pair<'_, Rule>) -> usize {
    match p.clone().into_inner().last() {
        Some(last) => tight_end(&last),
        None => p.as_span().end(),
    }
}

impl<'i> Kids<'i> {
    fn of(p: Pair<'i, Rule>, off: usize) -> Self {
        let span = span_of(&p, off);
        let mut data = Vec::new();
        let mut kws = Vec::new();
        for c in p.into_inner() {
            if is_kw(c.as_rule()) {
                kws.push(c.as_rule());
            } else {
                data.push(c);
            }
        }
        Kids {
            data,
            kws,
            at: 0,
            off,
            span,
        }
    }

    fn has(&self, rule: Rule) -> bool {
        self.kws.contains(&rule)
    }

    fn peek(&self) -> Option<Rule> {
        self.data.get(self.at).map(|p| p.as_rule())
    }

    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        let p = self.data.get(self.at).cloned();
        if p.is_some() {
            self.at += 1;
        }
        p
    }

    fn expect(&mut self, rule: Rule, what: &'static str) -> R<Pair<'i, Rule>> {
        match self.next() {
            Some(p) if p.as_rule() == rule => Ok(p),
            _ => Err(Shape(self.span, what)),
        }
    }

    fn opt(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek() == Some(rule) {
            self.next()
        } else {
            None
        }
    }

    fn ident(&mut self) -> R<Ident> {
        let p = self.expect(Rule::ident, "a name")?;
        Ok(ident(&p, self.off))
    }

    fn opt_ident(&mut self) -> Option<Ident> {
        self.opt(Rule::ident).map(|p| ident(&p, self.off))
    }

    fn string(&mut self) -> R<Str> {
        let p = self.expect(Rule::string, "a quoted text")?;
        Ok(string(p, self.off))
    }

    fn opt_string(&mut self) -> Option<Str> {
        self.opt(Rule::string).map(|p| string(p, self.off))
    }

    fn duration(&mut self) -> R<DurationLit> {
        let p = self.expect(Rule::duration, "a duration")?;
        duration(&p, self.off)
    }

    fn cite(&mut self) -> R<Option<Str>> {
        match self.opt(Rule::cite_clause) {
            Some(p) => Ok(Some(Kids::of(p, self.off).string()?)),
            None => Ok(None),
        }
    }

    fn because(&mut self) -> R<Option<Str>> {
        match self.opt(Rule::because_clause) {
            Some(p) => Ok(Some(Kids::of(p, self.off).string()?)),
            None => Ok(None),
        }
    }

    /// Every child of `rule` from here on, in order, each lowered by `lower`.
    fn many<T>(&mut self, rule: Rule, lower: impl Fn(Pair<'i, Rule>, usize) -> R<T>) -> R<Vec<T>> {
        let mut out = Vec::new();
        while let Some(p) = self.opt(rule) {
            out.push(lower(p, self.off)?);
        }
        Ok(out)
    }
}

fn ident(p: &Pair<'_, Rule>, off: usize) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span_of(p, off),
    }
}

fn string(p: Pair<'_, Rule>, off: usize) -> Str {
    let span = span_of(&p, off);
    let raw = p.into_inner().next().map(|i| i.as_str()).unwrap_or("");
    let mut value = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some(other) => value.push(other),
                None => {}
            }
        } else {
            value.push(c);
        }
    }
    Str { value, span }
}

fn duration(p: &Pair<'_, Rule>, off: usize) -> R<DurationLit> {
    let text = p.as_str();
    let span = span_of(p, off);
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let unit = match body.chars().last() {
        Some('s') => Unit::Seconds,
        Some('m') => Unit::Minutes,
        Some('h') => Unit::Hours,
        Some('d') => Unit::Days,
        _ => return Err(Shape(span, "a duration unit")),
    };
    let digits = body.get(..body.len().saturating_sub(1)).unwrap_or("");
    Ok(DurationLit {
        negative,
        digits: digits.to_string(),
        unit,
        span,
    })
}

fn int_lit(p: &Pair<'_, Rule>, off: usize) -> IntLit {
    IntLit {
        digits: p.as_str().to_string(),
        span: span_of(p, off),
    }
}

fn clock(p: &Pair<'_, Rule>, off: usize) -> ClockTime {
    let text = p.as_str();
    let mut parts = text.split(':').map(|s| s.parse::<u32>().unwrap_or(99));
    ClockTime {
        hour: parts.next().unwrap_or(99),
        minute: parts.next().unwrap_or(99),
        span: span_of(p, off),
    }
}

fn date(p: &Pair<'_, Rule>, off: usize) -> DateLit {
    let mut parts = p.as_str().split('-');
    let mut num = || {
        parts
            .next()
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let year = num();
    let month = num();
    let day = num();
    DateLit {
        year: i32::try_from(year).unwrap_or(0),
        month,
        day,
        span: span_of(p, off),
    }
}

fn weekday(p: &Pair<'_, Rule>, off: usize) -> R<Weekday> {
    Ok(match p.as_str() {
        "Mon" => Weekday::Mon,
        "Tue" => Weekday::Tue,
        "Wed" => Weekday::Wed,
        "Thu" => Weekday::Thu,
        "Fri" => Weekday::Fri,
        "Sat" => Weekday::Sat,
        "Sun" => Weekday::Sun,
        _ => return Err(Shape(span_of(p, off), "a weekday")),
    })
}

fn day_set(p: Pair<'_, Rule>, off: usize) -> R<DaySet> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let days = if k.has(Rule::kw_daily) {
        Weekday::ALL.to_vec()
    } else if k.has(Rule::kw_weekdays) {
        Weekday::ALL.get(..5).unwrap_or(&[]).to_vec()
    } else if k.has(Rule::kw_weekends) {
        vec![Weekday::Sat, Weekday::Sun]
    } else {
        let inner = k.next().ok_or(Shape(span, "days"))?;
        let is_range = inner.as_rule() == Rule::day_range;
        let ds = inner
            .into_inner()
            .filter(|d| d.as_rule() == Rule::weekday)
            .map(|d| weekday(&d, off))
            .collect::<R<Vec<_>>>()?;
        if is_range {
            match ds.as_slice() {
                [a, b] => {
                    let mut out = vec![*a];
                    let mut i = a.index();
                    while i != b.index() {
                        i = (i + 1) % 7;
                        out.push(Weekday::ALL.get(i).copied().unwrap_or(Weekday::Mon));
                    }
                    out
                }
                _ => return Err(Shape(span, "a day range")),
            }
        } else {
            ds
        }
    };
    Ok(DaySet { days, span })
}

fn window(p: Pair<'_, Rule>, off: usize) -> R<Window> {
    let span = span_of(&p, off);
    let rule = p.as_rule();
    let mut k = Kids::of(p, off);
    match rule {
        Rule::day_window => {
            let days = day_set(k.expect(Rule::day_set, "days")?, off)?;
            let from = clock(&k.expect(Rule::clock_time, "a time")?, off);
            let to = clock(&k.expect(Rule::clock_time, "a time")?, off);
            Ok(Window::Daily {
                days,
                from,
                to,
                span,
            })
        }
        Rule::span_window => {
            let from_day = weekday(&k.expect(Rule::weekday, "a weekday")?, off)?;
            let from = clock(&k.expect(Rule::clock_time, "a time")?, off);
            let to_day = weekday(&k.expect(Rule::weekday, "a weekday")?, off)?;
            let to = clock(&k.expect(Rule::clock_time, "a time")?, off);
            Ok(Window::Span {
                from_day,
                from,
                to_day,
                to,
                span,
            })
        }
        _ => Err(Shape(span, "a window")),
    }
}

/// `, each unanswered then send text`: the follow-up the grammar's closed set names.
fn follow_up(p: Pair<'_, Rule>) -> crate::vocab::FollowUp {
    let text = p
        .into_inner()
        .flatten()
        .any(|c| c.as_rule() == Rule::follow_send_text);
    if text {
        crate::vocab::FollowUp::SendText
    } else {
        crate::vocab::FollowUp::LeaveMessage
    }
}

fn ident_list(p: Pair<'_, Rule>, off: usize) -> Vec<Ident> {
    p.into_inner()
        .filter(|c| c.as_rule() == Rule::ident)
        .map(|c| ident(&c, off))
        .collect()
}

/// The head of a document (`document_head` pair).
pub fn head(p: Pair<'_, Rule>, off: usize) -> R<Head> {
    let mut k = Kids::of(p, off);
    let h = k.next().ok_or(Shape(k.span, "a document head"))?;
    let span = span_of(&h, off);
    let rule = h.as_rule();
    let mut k = Kids::of(h, off);
    match rule {
        Rule::framework_head => Ok(Head::Framework {
            name: k.string()?,
            version: version(k.expect(Rule::version, "a version")?, off),
            span,
        }),
        Rule::protocol_head => Ok(Head::Protocol {
            person: k.string()?,
            framework: k.string()?,
            version: version(k.expect(Rule::version, "a version")?, off),
            span,
        }),
        _ => Err(Shape(span, "a document head")),
    }
}

fn version(p: Pair<'_, Rule>, off: usize) -> Version {
    Version {
        text: p.as_str().to_string(),
        span: span_of(&p, off),
    }
}

/// One item (`item` pair), handed to the function named for its kind. The one-line docs on
/// those functions leave out the trailing `cite "..."` that most items accept.
pub fn item(p: Pair<'_, Rule>, off: usize) -> R<Item> {
    let outer = span_of(&p, off);
    let inner = p.into_inner().next().ok_or(Shape(outer, "an item"))?;
    let span = span_of(&inner, off);
    let rule = inner.as_rule();
    let k = Kids::of(inner, off);
    match rule {
        Rule::timezone_item => timezone_item(k),
        Rule::bank_holidays_item => bank_holidays_item(k),
        Rule::immediately_item => immediately_item(k, span),
        Rule::effective_item => effective_item(k, span),
        Rule::role_item => role_item(k, span),
        Rule::alias_item => alias_item(k, span),
        Rule::calendar_item => calendar_item(k, span),
        Rule::agency_item => agency_item(k, span),
        Rule::log_item => log_item(k, span),
        Rule::threshold_item => threshold_item(k, span),
        Rule::red_flags_item => red_flags_item(k, span),
        Rule::observations_item => observations_item(k, span),
        Rule::decision_item => decision_item(k, span),
        Rule::trigger_item => trigger_item(k, span),
        Rule::communication_item => communication_item(k, span),
        Rule::results_item => results_item(k, span),
        Rule::facts_item => word_list(k, span).map(Item::Facts),
        Rule::risks_item => word_list(k, span).map(Item::Risks),
        Rule::class_item => class_item(k, span),
        Rule::floors_item => floors_item(k, span),
        Rule::pathway_item => pathway_item(k, span),
        Rule::governance_item => governance_item(k, span),
        Rule::person_item => person_item(k, span),
        Rule::methods_item => methods_item(k, span),
        Rule::contact_item => contact_item(k, span),
        Rule::visit_item => visit_item(k, span),
        Rule::absence_item => absence_item(k, span),
        Rule::exception_item => exception_item(k, span),
        Rule::cite_clause => cite_item(k),
        _ => Err(Shape(span, "an item")),
    }
}

/// `timezone "Europe/London"`
fn timezone_item(mut k: Kids<'_>) -> R<Item> {
    Ok(Item::Timezone(k.string()?))
}

/// `bank_holidays DIVISION`
fn bank_holidays_item(mut k: Kids<'_>) -> R<Item> {
    Ok(Item::BankHolidays(k.ident()?))
}

/// `effective DATE`
fn effective_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let d = date(&k.expect(Rule::date, "a date")?, off);
    Ok(Item::Effective(d, k.cite()?, span))
}

/// `immediately means DURATION`
fn immediately_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    Ok(Item::Immediately(k.duration()?, span))
}

/// `role NAME "Display" [covers A, B]`
fn role_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.string()?;
    let covers = k
        .opt(Rule::covers_clause)
        .and_then(|c| c.into_inner().find(|x| x.as_rule() == Rule::ident_list))
        .map(|l| ident_list(l, off))
        .unwrap_or_default();
    Ok(Item::Role(Role {
        name,
        display,
        covers,
        cite: k.cite()?,
        span,
    }))
}

/// `alias NAME "Display" is ROLE in CALENDAR otherwise ROLE`
fn alias_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.string()?;
    let mut arm = Kids::of(k.expect(Rule::alias_arm, "an alias choice")?, off);
    let role = arm.ident()?;
    let calendar = arm.ident()?;
    let otherwise = k.ident()?;
    Ok(Item::Alias(Alias {
        name,
        display,
        role,
        calendar,
        otherwise,
        cite: k.cite()?,
        span,
    }))
}

/// `calendar NAME ["Display"] { WINDOW ... [except bank_holidays | bank_holidays all day] }`
fn calendar_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let mut windows = Vec::new();
    let mut bank_holidays = Vec::new();
    while let Some(e) = k.opt(Rule::calendar_entry) {
        let e_span = span_of(&e, off);
        let c = e.into_inner().next().ok_or(Shape(e_span, "a window"))?;
        match c.as_rule() {
            Rule::bank_holiday_rule => {
                let r = c.into_inner().next().map(|x| x.as_rule());
                let rule = if r == Some(Rule::bh_all_day) {
                    BankHolidayRule::AllDay
                } else {
                    BankHolidayRule::Except
                };
                bank_holidays.push((rule, e_span));
            }
            _ => windows.push(window(c, off)?),
        }
    }
    Ok(Item::Calendar(Calendar {
        name,
        display,
        windows,
        bank_holidays,
        span,
    }))
}

/// The names in a clause holding one list (`on a, b`, `to c, d`).
fn list_of(p: Pair<'_, Rule>, off: usize) -> R<Vec<Ident>> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let list = k
        .expect(Rule::ident_list, "names")
        .map_err(|_| Shape(span, "names"))?;
    Ok(ident_list(list, off))
}

/// `agency NAME "Display" statutory|emergency|non_emergency`
fn agency_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.string()?;
    let kind_pair = k.expect(Rule::agency_kind, "an agency kind")?;
    let kids = Kids::of(kind_pair, off);
    let kind = if kids.has(Rule::kw_emergency) {
        AgencyKind::Emergency
    } else if kids.has(Rule::kw_non_emergency) {
        AgencyKind::NonEmergency
    } else {
        AgencyKind::Statutory
    };
    Ok(Item::Agency(Agency {
        name,
        display,
        kind,
        cite: k.cite()?,
        span,
    }))
}

/// `log NAME "Display"`
fn log_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    Ok(Item::Log(Log {
        name: k.ident()?,
        display: k.string()?,
        cite: k.cite()?,
        span,
    }))
}

/// `threshold CRIT late D missed D [after planned start|end] [out_of_hours late D missed D]`
fn threshold_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let criticality = k.ident()?;
    let late = k.duration()?;
    let missed = k.duration()?;
    let anchor = match k.opt(Rule::threshold_anchor) {
        Some(a) if Kids::of(a.clone(), off).has(Rule::kw_end) => ThresholdAnchor::PlannedEnd,
        _ => ThresholdAnchor::PlannedStart,
    };
    let out_of_hours = match k.opt(Rule::ooh_threshold) {
        Some(o) => {
            let o_span = span_of(&o, off);
            let mut ok = Kids::of(o, off);
            Some((ok.duration()?, ok.duration()?, o_span))
        }
        None => None,
    };
    let because = k.because()?;
    Ok(Item::Threshold(Threshold {
        criticality,
        late,
        missed,
        anchor,
        out_of_hours,
        because,
        cite: k.cite()?,
        span,
    }))
}

/// `red_flags FLAG, FLAG`
fn red_flags_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    Ok(Item::RedFlags(RedFlags {
        flags: ident_list(k.expect(Rule::ident_list, "names")?, off),
        cite: k.cite()?,
        span,
    }))
}

/// `observations [GROUP:] NAME, NAME`
fn observations_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let group = match k.opt(Rule::observation_group) {
        Some(g) => Some(Kids::of(g, off).ident()?),
        None => None,
    };
    Ok(Item::Observations(Observations {
        group,
        names: ident_list(k.expect(Rule::ident_list, "names")?, off),
        cite: k.cite()?,
        span,
    }))
}

/// `results [FAMILY:] NAME, NAME`
fn results_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let family = match k.opt(Rule::observation_group) {
        Some(g) => Some(Kids::of(g, off).ident()?),
        None => None,
    };
    Ok(Item::Results(Results {
        family,
        names: ident_list(k.expect(Rule::ident_list, "names")?, off),
        cite: k.cite()?,
        span,
    }))
}

/// `trigger NAME ["Display"] { attribute ... safety unconfirmed cite ... }`
fn trigger_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let mut t = TriggerItem {
        name,
        display,
        attributes: Vec::new(),
        unconfirmed: None,
        cites: Vec::new(),
        span,
    };
    while let Some(entry) = k.opt(Rule::trigger_entry) {
        let inner = entry
            .into_inner()
            .next()
            .ok_or(Shape(span, "an attribute"))?;
        let espan = span_of(&inner, off);
        let rule = inner.as_rule();
        let mut ek = Kids::of(inner, off);
        match rule {
            Rule::trigger_attribute => {
                let name = ek.ident()?;
                let display = ek.opt_string();
                let values = ident_list(ek.expect(Rule::ident_list, "values")?, off);
                t.attributes.push(TriggerAttribute {
                    name,
                    display,
                    values,
                    cite: ek.cite()?,
                    span: espan,
                });
            }
            Rule::trigger_unconfirmed => {
                t.unconfirmed = Some(espan);
                if let Some(c) = ek.cite()? {
                    t.cites.push(c);
                }
            }
            Rule::cite_clause => t.cites.push(ek.string()?),
            _ => return Err(Shape(espan, "an attribute")),
        }
    }
    Ok(Item::Trigger(t))
}

/// `decision NAME ["Question"] outcomes A, B`
fn decision_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    Ok(Item::Decision(DecisionItem {
        name,
        display,
        outcomes: ident_list(k.expect(Rule::ident_list, "outcomes")?, off),
        cite: k.cite()?,
        span,
    }))
}

/// `communication NEED ["Display"] [rules out METHOD, METHOD [in CALENDAR]]`
fn communication_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let (rules_out, window) = match k.opt(Rule::rules_out) {
        Some(r) => {
            let mut r = Kids::of(r, off);
            let methods = ident_list(r.expect(Rule::ident_list, "methods")?, off);
            (methods, r.opt_ident())
        }
        None => (Vec::new(), None),
    };
    Ok(Item::Communication(CommunicationNeed {
        name,
        display,
        rules_out,
        window,
        cite: k.cite()?,
        span,
    }))
}

/// `results NAME, NAME`, `facts NAME, NAME` and `risks NAME, NAME`
fn word_list(mut k: Kids<'_>, span: Loc) -> R<WordList> {
    let off = k.off;
    Ok(WordList {
        names: ident_list(k.expect(Rule::ident_list, "names")?, off),
        cite: k.cite()?,
        span,
    })
}

/// `floors { FLOOR ... }`
fn floors_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    Ok(Item::Floors(k.many(Rule::floor, floor)?, span))
}

/// `person { risk R ["..."]  capacity LEVEL ["..."]  communication C ["..."] }`
fn person_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    Ok(Item::Person(k.many(Rule::person_fact, person_fact)?, span))
}

/// `methods METHOD, METHOD`
fn methods_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    Ok(Item::Methods(Methods {
        methods: ident_list(k.expect(Rule::ident_list, "methods")?, off),
        cite: k.cite()?,
        span,
    }))
}

/// `visit NAME ["Display"] DAYS HH:MM[-HH:MM] CRITICALITY [staff N]`
fn visit_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    Ok(Item::Visit(Visit {
        name: k.ident()?,
        display: k.opt_string(),
        days: day_set(k.expect(Rule::day_set, "days")?, off)?,
        at: clock(&k.expect(Rule::clock_time, "a time")?, off),
        end: match k.opt(Rule::visit_end) {
            Some(p) => Some(clock(
                &Kids::of(p, off).expect(Rule::clock_time, "an end time")?,
                off,
            )),
            None => None,
        },
        criticality: k.ident()?,
        staff: k
            .opt(Rule::visit_staff)
            .and_then(|p| p.into_inner().find(|c| c.as_rule() == Rule::integer))
            .map(|p| int_lit(&p, off)),
        cite: k.cite()?,
        span,
    }))
}

/// `absence NAME ["Display"] DAYS HH:MM-HH:MM [{ step ... }]`
fn absence_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let w = window(k.expect(Rule::day_window, "a window")?, off)?;
    let mut steps = Vec::new();
    let mut cites = Vec::new();
    while let Some(e) = k.opt(Rule::absence_entry) {
        let e_span = span_of(&e, off);
        let c = e.into_inner().next().ok_or(Shape(e_span, "a step"))?;
        match c.as_rule() {
            Rule::step => steps.push(step(c, off)?),
            _ => cites.push(Kids::of(c, off).string()?),
        }
    }
    Ok(Item::Absence(Absence {
        name,
        display,
        window: w,
        steps,
        cites,
        span,
    }))
}

/// `exception NAME ["Display"] from WHEN [to WHEN] [because "..."] [{ changes }]`
fn exception_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let from = date_time(k.expect(Rule::date_time, "a date")?, off)?;
    let to = match k.opt(Rule::date_time) {
        Some(p) => Some(date_time(p, off)?),
        None => None,
    };
    let because = k.because()?;
    let mut cites: Vec<Str> = k.cite()?.into_iter().collect();
    let mut suspend_visits = false;
    let mut changes = Vec::new();
    while let Some(e) = k.opt(Rule::exception_entry) {
        let e_span = span_of(&e, off);
        let c = e.into_inner().next().ok_or(Shape(e_span, "an entry"))?;
        match c.as_rule() {
            Rule::suspend_visits => suspend_visits = true,
            Rule::suspend_pathway => {
                changes.push(ExceptionChange::SuspendPathway(Kids::of(c, off).ident()?))
            }
            Rule::exception_pathway => exception_pathway(c, off, &mut changes)?,
            _ => cites.push(Kids::of(c, off).string()?),
        }
    }
    Ok(Item::Exception(Exception {
        name,
        display,
        from,
        to,
        because,
        cites,
        suspend_visits,
        changes,
        span,
    }))
}

/// `2026-12-04` or `2026-12-04 14:00`.
fn date_time(p: Pair<'_, Rule>, off: usize) -> R<DateTimeLit> {
    let mut k = Kids::of(p, off);
    let d = date(&k.expect(Rule::date, "a date")?, off);
    let time = k.opt(Rule::clock_time).map(|t| clock(&t, off));
    Ok(DateTimeLit { date: d, time })
}

/// `pathway P { suspend step S  replace step S with step T: ... }` inside an exception.
fn exception_pathway(p: Pair<'_, Rule>, off: usize, changes: &mut Vec<ExceptionChange>) -> R<()> {
    let mut k = Kids::of(p, off);
    let pathway = k.ident()?;
    while let Some(c) = k.opt(Rule::exception_change) {
        let c_span = span_of(&c, off);
        let x = c.into_inner().next().ok_or(Shape(c_span, "a change"))?;
        let rule = x.as_rule();
        let mut xk = Kids::of(x, off);
        let step_name = xk.ident()?;
        changes.push(match rule {
            Rule::suspend_step => ExceptionChange::SuspendStep {
                pathway: pathway.clone(),
                step: step_name,
            },
            _ => ExceptionChange::ReplaceStep {
                pathway: pathway.clone(),
                step: step_name,
                with: Box::new(step(xk.expect(Rule::step, "a step")?, off)?),
            },
        });
    }
    Ok(())
}

/// `cite "..."` standing as an item of its own.
fn cite_item(mut k: Kids<'_>) -> R<Item> {
    Ok(Item::Cite(k.string()?))
}

fn floor(p: Pair<'_, Rule>, off: usize) -> R<Floor> {
    let outer = span_of(&p, off);
    let f = p.into_inner().next().ok_or(Shape(outer, "a floor"))?;
    let span = span_of(&f, off);
    let rule = f.as_rule();
    let mut k = Kids::of(f, off);
    Ok(match rule {
        Rule::floor_internal => Floor::InternalEscalation(k.duration()?, k.cite()?, span),
        Rule::floor_attempts => {
            let n = int_lit(&k.expect(Rule::integer, "a number")?, off);
            Floor::ContactAttempts(n, k.cite()?, span)
        }
        Rule::floor_require => {
            let what = k.ident()?;
            let on = k.opt(Rule::floor_on).map(|p| list_of(p, off)).transpose()?;
            let to = k.opt(Rule::floor_to).map(|p| list_of(p, off)).transpose()?;
            Floor::Require(Requirement {
                what,
                on,
                to,
                cite: k.cite()?,
                span,
            })
        }
        Rule::floor_parity => Floor::OutOfHoursParity(k.cite()?, span),
        _ => return Err(Shape(span, "a floor")),
    })
}

/// `pathway NAME ["Display"] [on EVENT [repeated N times within D]] { ENTRY ... }`
fn pathway_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.opt_string();
    let trigger = match k.opt(Rule::trigger) {
        Some(t) => Some(trigger(t, off)?),
        None => None,
    };
    let mut cites = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut after_closure = Vec::new();
    while let Some(e) = k.opt(Rule::pathway_entry) {
        let e_span = span_of(&e, off);
        let c = e.into_inner().next().ok_or(Shape(e_span, "a step"))?;
        match c.as_rule() {
            Rule::cite_clause => cites.push(Kids::of(c, off).string()?),
            Rule::stage => stages.push(stage(c, off)?),
            Rule::after_closure => after_closure.extend(Kids::of(c, off).many(Rule::step, step)?),
            Rule::step => loose_step(&mut stages, step(c, off)?),
            _ => return Err(Shape(e_span, "a pathway entry")),
        }
    }
    Ok(Item::Pathway(Pathway {
        name,
        display,
        trigger,
        cites,
        stages,
        after_closure,
        span,
    }))
}

/// `on EVENT [repeated N times within D] [when CONDITION]`
fn trigger(p: Pair<'_, Rule>, off: usize) -> R<Trigger> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let event = k.ident()?;
    let repeat = match k.opt(Rule::repeat) {
        Some(r) => {
            let mut rk = Kids::of(r, off);
            let n = int_lit(&rk.expect(Rule::integer, "a number")?, off);
            Some((n, rk.duration()?))
        }
        None => None,
    };
    let when = match k.opt(Rule::trigger_when) {
        Some(w) => {
            let wspan = span_of(&w, off);
            let mut wk = Kids::of(w, off);
            Some((
                condition(wk.expect(Rule::condition, "a condition")?, off)?,
                wspan,
            ))
        }
        None => None,
    };
    Ok(Trigger {
        event,
        repeat,
        when,
        span,
    })
}

/// `stage NAME { step ... }`
fn stage(p: Pair<'_, Rule>, off: usize) -> R<Stage> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let name = k.ident()?;
    Ok(Stage {
        name: Some(name),
        steps: k.many(Rule::step, step)?,
        span,
    })
}

/// A step written outside any `stage` joins the unnamed stage just before it, or opens one,
/// so that loose steps and named stages stay in the order they were written.
fn loose_step(stages: &mut Vec<Stage>, st: Step) {
    match stages.last_mut() {
        Some(s) if s.name.is_none() => {
            s.span = s.span.to(st.span);
            s.steps.push(st);
        }
        _ => stages.push(Stage {
            name: None,
            span: st.span,
            steps: vec![st],
        }),
    }
}

fn step(p: Pair<'_, Rule>, off: usize) -> R<Step> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let name = k.ident()?;
    let action = action(k.expect(Rule::action, "an action")?, off)?;
    Ok(Step {
        name,
        action,
        clauses: k.many(Rule::step_clause, step_clause)?,
        span,
    })
}

fn step_clause(p: Pair<'_, Rule>, off: usize) -> R<StepClause> {
    let outer = span_of(&p, off);
    let c = p.into_inner().next().ok_or(Shape(outer, "a clause"))?;
    let span = span_of(&c, off);
    let rule = c.as_rule();
    let mut k = Kids::of(c, off);
    Ok(match rule {
        Rule::deadline_clause => {
            StepClause::Deadline(deadline(k.expect(Rule::deadline, "a deadline")?, off)?)
        }
        Rule::role_clause => match k.opt(Rule::role_group) {
            Some(g) => {
                let mut g = Kids::of(g, off);
                let all = g.has(Rule::kw_all);
                let roles = ident_list(g.expect(Rule::ident_list, "roles")?, off);
                StepClause::Roles(all, roles, span)
            }
            None => StepClause::Role(k.ident()?),
        },
        Rule::after_clause => {
            let step = k.ident()?;
            let branch = match k.opt(Rule::branch) {
                Some(b) => {
                    let bspan = span_of(&b, off);
                    let mut b = Kids::of(b, off);
                    match b.opt(Rule::ident_list) {
                        Some(l) => Some(Branch::If(ident_list(l, off), bspan)),
                        None => Some(Branch::Otherwise(bspan)),
                    }
                }
                None => None,
            };
            StepClause::After(step, branch)
        }
        Rule::closure_clause => StepClause::Closure(k.has(Rule::kw_stays), span),
        Rule::judged_clause => StepClause::Judged(k.has(Rule::kw_start), span),
        Rule::until_clause => StepClause::Until(k.ident()?),
        Rule::when_clause => StepClause::When(
            condition(k.expect(Rule::condition, "a condition")?, off)?,
            span,
        ),
        Rule::breach_clause => {
            let role = k.ident()?;
            let d = deadline(k.expect(Rule::deadline, "a deadline")?, off)?;
            StepClause::Breach(role, d, span)
        }
        Rule::because_clause => StepClause::Because(k.string()?),
        Rule::cite_clause => StepClause::Cite(k.string()?),
        _ => return Err(Shape(span, "a clause")),
    })
}

fn action(p: Pair<'_, Rule>, off: usize) -> R<Action> {
    let outer = span_of(&p, off);
    let a = p.into_inner().next().ok_or(Shape(outer, "an action"))?;
    let span = span_of(&a, off);
    let rule = a.as_rule();
    let mut k = Kids::of(a, off);
    Ok(match rule {
        Rule::attempt_action => {
            let methods = k
                .opt(Rule::ident_list)
                .map(|l| ident_list(l, off))
                .unwrap_or_default();
            let times = int_lit(&k.expect(Rule::integer, "a number")?, off);
            let every = match k.opt(Rule::duration) {
                Some(d) => Some(duration(&d, off)?),
                None => None,
            };
            let covering = match k.opt(Rule::attempt_covering) {
                Some(c) => ident_list(c, off),
                None => Vec::new(),
            };
            let follow_up = k.opt(Rule::attempt_follow_up).map(follow_up);
            Action::Attempt {
                methods,
                times,
                every,
                covering,
                follow_up,
                span,
            }
        }
        Rule::notify_action => Action::Notify(k.ident()?, span),
        Rule::contact_action => {
            let mut names = vec![k.ident()?];
            while let Some(i) = k.opt_ident() {
                names.push(i);
            }
            Action::Contact(names, span)
        }
        Rule::record_action => Action::Record(k.ident()?, span),
        Rule::escalate_action => Action::Escalate(k.ident()?, span),
        Rule::refer_action => Action::ReferSafeguarding(span),
        Rule::verify_action => Action::VerifyWhereabouts(span),
        Rule::stay_action => Action::Stay(span),
        Rule::decide_action => Action::Decide(k.ident()?, span),
        Rule::hand_over_action => Action::HandOver(k.ident()?, span),
        Rule::check_action => Action::Check(k.ident()?, span),
        Rule::review_action => {
            let verb = if k.has(Rule::kw_assess) {
                ReviewVerb::Assess
            } else if k.has(Rule::kw_explore) {
                ReviewVerb::Explore
            } else if k.has(Rule::kw_update) {
                ReviewVerb::Update
            } else {
                ReviewVerb::Review
            };
            Action::Review(verb, k.ident()?, span)
        }
        _ => return Err(Shape(span, "an action")),
    })
}

fn deadline(p: Pair<'_, Rule>, off: usize) -> R<Deadline> {
    let outer = span_of(&p, off);
    let d = p.into_inner().next().ok_or(Shape(outer, "a deadline"))?;
    let span = span_of(&d, off);
    match d.as_rule() {
        Rule::deadline_pick => {
            let mut k = Kids::of(d, off);
            let latest = k.has(Rule::kw_latest);
            let a = deadline_atom(k.expect(Rule::deadline_atom, "a deadline")?, off)?;
            let b = deadline_atom(k.expect(Rule::deadline_atom, "a deadline")?, off)?;
            Ok(Deadline::Pick { latest, a, b, span })
        }
        Rule::deadline_atom => Ok(Deadline::Atom(deadline_atom(d, off)?)),
        _ => Err(Shape(span, "a deadline")),
    }
}

fn deadline_atom(p: Pair<'_, Rule>, off: usize) -> R<DeadlineAtom> {
    let outer = span_of(&p, off);
    let a = p.into_inner().next().ok_or(Shape(outer, "a deadline"))?;
    let span = span_of(&a, off);
    let rule = a.as_rule();
    let mut k = Kids::of(a, off);
    let anchor = |k: &mut Kids<'_>| -> R<Option<Ident>> {
        match k.opt(Rule::anchor) {
            Some(a) => {
                let mut ak = Kids::of(a, off);
                // `trigger` is reserved, so it has its own rule; it reads as the name.
                match ak.opt(Rule::anchor_trigger) {
                    Some(t) => Ok(Some(ident(&t, off))),
                    None => Ok(Some(ak.ident()?)),
                }
            }
            None => Ok(None),
        }
    };
    Ok(match rule {
        Rule::within => {
            let d = k.duration()?;
            DeadlineAtom::Within(d, anchor(&mut k)?, span)
        }
        Rule::immediately => DeadlineAtom::Immediately(anchor(&mut k)?, span),
        Rule::by_clock => {
            let t = clock(&k.expect(Rule::clock_time, "a time")?, off);
            let next = k.opt(Rule::next_working_day).is_some();
            DeadlineAtom::ByClock(t, next, span)
        }
        Rule::by_end_of_day => DeadlineAtom::EndOfDay(span),
        Rule::by_end_of_working_day => DeadlineAtom::EndOfWorkingDay(span),
        Rule::by_next_working_day => DeadlineAtom::NextWorkingDay(span),
        Rule::within_working_days => {
            DeadlineAtom::WorkingDays(int_lit(&k.expect(Rule::integer, "a number")?, off), span)
        }
        _ => return Err(Shape(span, "a deadline")),
    })
}

fn condition(p: Pair<'_, Rule>, off: usize) -> R<Condition> {
    let span = span_of(&p, off);
    match p.as_rule() {
        Rule::condition | Rule::cond_and => {
            let is_or = p.as_rule() == Rule::condition;
            let parts = p
                .into_inner()
                .filter(|c| !is_kw(c.as_rule()))
                .map(|c| condition(c, off))
                .collect::<R<Vec<_>>>()?;
            Ok(match parts.len() {
                1 => parts.into_iter().next().ok_or(Shape(span, "a condition"))?,
                _ if is_or => Condition::Or(parts),
                _ => Condition::And(parts),
            })
        }
        Rule::cond_not | Rule::cond_atom => {
            let c = p
                .into_inner()
                .find(|c| !is_kw(c.as_rule()))
                .ok_or(Shape(span, "a condition"))?;
            condition(c, off)
        }
        Rule::negation => {
            let c = p
                .into_inner()
                .find(|c| !is_kw(c.as_rule()))
                .ok_or(Shape(span, "a condition"))?;
            Ok(Condition::Not(Box::new(condition(c, off)?), span))
        }
        Rule::cond_out_of_hours => Ok(Condition::OutOfHours(span)),
        Rule::cond_reported => Ok(Condition::ReportedBy(Kids::of(p, off).ident()?)),
        Rule::cond_attribute => {
            let mut k = Kids::of(p, off);
            let attribute = k.ident()?;
            Ok(Condition::Attribute(attribute, k.ident()?))
        }
        rule => {
            let mut k = Kids::of(p, off);
            let name = match k.next() {
                Some(x) if x.as_rule() == Rule::capacity_level => Kids::of(x, off).ident()?,
                Some(x) if x.as_rule() == Rule::ident => ident(&x, off),
                _ => return Err(Shape(span, "a condition")),
            };
            Ok(match rule {
                Rule::cond_in => Condition::In(name),
                Rule::cond_during => Condition::During(name),
                Rule::cond_risk => Condition::Risk(name),
                Rule::cond_capacity => Condition::Capacity(name),
                Rule::cond_communication => Condition::Communication(name),
                Rule::cond_observed => Condition::Observed(
                    name,
                    match k.opt(Rule::duration) {
                        Some(d) => Some(duration(&d, off)?),
                        None => None,
                    },
                ),
                Rule::cond_has => Condition::Has(name),
                Rule::cond_visit => Condition::Visit(name),
                _ => return Err(Shape(span, "a condition")),
            })
        }
    }
}

/// `governance { cycle ... rule ... }`
fn governance_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let mut g = Governance {
        cycles: Vec::new(),
        rules: Vec::new(),
        cites: Vec::new(),
        span,
    };
    while let Some(e) = k.opt(Rule::governance_entry) {
        let e_span = span_of(&e, off);
        let c = e
            .into_inner()
            .next()
            .ok_or(Shape(e_span, "a governance entry"))?;
        let c_span = span_of(&c, off);
        match c.as_rule() {
            Rule::cycle => g.cycles.push(cycle(c, off)?),
            Rule::gov_rule => g.rules.push(gov_rule(c, off)?),
            Rule::cite_clause => g.cites.push(Kids::of(c, off).string()?),
            _ => return Err(Shape(c_span, "a governance entry")),
        }
    }
    Ok(Item::Governance(g))
}

/// `cycle NAME at HH:MM, HH:MM`
fn cycle(p: Pair<'_, Rule>, off: usize) -> R<Cycle> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let name = k.ident()?;
    let mut at = Vec::new();
    while let Some(t) = k.opt(Rule::clock_time) {
        at.push(clock(&t, off));
    }
    Ok(Cycle {
        name,
        at,
        cite: k.cite()?,
        span,
    })
}

/// `rule NAME: when METRIC then ACTION [CLAUSE ...]`
fn gov_rule(p: Pair<'_, Rule>, off: usize) -> R<GovRule> {
    let span = span_of(&p, off);
    let mut k = Kids::of(p, off);
    let name = k.ident()?;
    let metric = match k.opt(Rule::schedule) {
        Some(s) => schedule(s, off)?,
        None => metric(k.expect(Rule::metric, "a metric")?, off)?,
    };
    let action = action(k.expect(Rule::action, "an action")?, off)?;
    Ok(GovRule {
        name,
        metric,
        action,
        clauses: k.many(Rule::step_clause, step_clause)?,
        span,
    })
}

fn metric(p: Pair<'_, Rule>, off: usize) -> R<Metric> {
    let outer = span_of(&p, off);
    let m = p.into_inner().next().ok_or(Shape(outer, "a metric"))?;
    let span = span_of(&m, off);
    let rule = m.as_rule();
    let mut k = Kids::of(m, off);
    let per = |k: &mut Kids<'_>| -> R<Option<Ident>> {
        match k.opt(Rule::per_clause) {
            Some(p) => {
                let mut pk = Kids::of(p, off);
                let scope = pk.expect(Rule::per_scope, "a grouping")?;
                Ok(Some(ident(&scope, off)))
            }
            None => Ok(None),
        }
    };
    Ok(match rule {
        Rule::metric_count => {
            let what = counted(k.expect(Rule::counted, "what is counted")?, off)?;
            let at_least = int_lit(&k.expect(Rule::integer, "a number")?, off);
            let window = Some(count_window(k.expect(Rule::window, "a window")?, off)?);
            Metric::Count {
                what,
                at_least,
                window,
                per: per(&mut k)?,
                first: false,
                span,
            }
        }
        Rule::metric_first => {
            let what = counted(k.expect(Rule::counted, "what is counted")?, off)?;
            let window = match k.opt(Rule::window) {
                Some(w) => Some(count_window(w, off)?),
                None => None,
            };
            Metric::Count {
                what,
                at_least: IntLit {
                    digits: "1".into(),
                    span,
                },
                window,
                per: per(&mut k)?,
                first: true,
                span,
            }
        }
        Rule::metric_unresolved => Metric::UnresolvedBeyondSameDay {
            trigger: k.opt(Rule::ident).map(|t| ident(&t, off)),
            per: per(&mut k)?,
            span,
        },
        Rule::metric_consecutive => {
            let count = int_lit(&k.expect(Rule::integer, "a number")?, off);
            let what = k.ident()?;
            Metric::Consecutive {
                count,
                what,
                per: per(&mut k)?,
                span,
            }
        }
        Rule::metric_without => Metric::Without {
            event: k.ident()?,
            criticality: k.ident()?,
            step: k.ident()?,
            within: k.duration()?,
            span,
        },
        _ => return Err(Shape(span, "a metric")),
    })
}

/// `missed_visit critical out_of_hours`: what a count counts.
fn counted(p: Pair<'_, Rule>, off: usize) -> R<Counted> {
    let mut k = Kids::of(p, off);
    let name = k.ident()?;
    let criticality = match k.opt(Rule::counted_criticality) {
        Some(c) => Some(Kids::of(c, off).ident()?),
        None => None,
    };
    Ok(Counted {
        name,
        criticality,
        out_of_hours: k.opt(Rule::counted_out_of_hours).is_some(),
    })
}

/// `cycle attendance`, `day`, `week`, `48h`: where a count is kept.
fn count_window(p: Pair<'_, Rule>, off: usize) -> R<CountWindow> {
    let outer = span_of(&p, off);
    let w = p.into_inner().next().ok_or(Shape(outer, "a window"))?;
    let span = span_of(&w, off);
    Ok(match w.as_rule() {
        Rule::window_cycle => CountWindow::Cycle(Kids::of(w, off).ident()?),
        Rule::window_day => CountWindow::Day(span),
        Rule::window_week => CountWindow::Week(span),
        Rule::duration => CountWindow::Rolling(duration(&w, off)?),
        _ => return Err(Shape(span, "a window")),
    })
}

/// `every 48h`, `3 times each week`, `daily at 12:00, 18:00`: when a periodic duty is due.
fn schedule(p: Pair<'_, Rule>, off: usize) -> R<Metric> {
    let outer = span_of(&p, off);
    let m = p.into_inner().next().ok_or(Shape(outer, "a schedule"))?;
    let span = span_of(&m, off);
    let rule = m.as_rule();
    let mut k = Kids::of(m, off);
    Ok(match rule {
        Rule::schedule_every => Metric::Every {
            every: k.duration()?,
            span,
        },
        Rule::schedule_weekly => Metric::TimesEachWeek {
            times: match k.opt(Rule::integer) {
                Some(n) => int_lit(&n, off),
                None => IntLit {
                    digits: "1".into(),
                    span,
                },
            },
            span,
        },
        Rule::schedule_at => {
            let days = day_set(k.expect(Rule::day_set, "days")?, off)?;
            let mut at = Vec::new();
            while let Some(t) = k.opt(Rule::clock_time) {
                at.push(clock(&t, off));
            }
            Metric::At { days, at, span }
        }
        _ => return Err(Shape(span, "a schedule")),
    })
}

fn person_fact(p: Pair<'_, Rule>, off: usize) -> R<PersonFact> {
    let outer = span_of(&p, off);
    let f = p.into_inner().next().ok_or(Shape(outer, "a fact"))?;
    let span = span_of(&f, off);
    let rule = f.as_rule();
    let mut k = Kids::of(f, off);
    Ok(match rule {
        Rule::fact_risk => PersonFact::Risk(k.ident()?, k.opt_string(), span),
        Rule::fact_capacity => {
            let level = Kids::of(k.expect(Rule::capacity_level, "a capacity")?, off).ident()?;
            PersonFact::Capacity(level, k.opt_string(), span)
        }
        Rule::fact_communication => PersonFact::Communication(k.ident()?, k.opt_string(), span),
        Rule::fact_has => PersonFact::Has(k.ident()?, k.opt_string(), span),
        Rule::cite_clause => PersonFact::Cite(k.string()?),
        _ => return Err(Shape(span, "a fact")),
    })
}

/// `contact NAME "Display" KIND [{ from stage S  basis B "..."  methods M, M }]`
fn contact_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.string()?;
    let kind = k.ident()?;
    let mut c = Contact {
        name,
        display,
        kind,
        from_stage: None,
        basis: None,
        methods: Vec::new(),
        classes: Vec::new(),
        cites: Vec::new(),
        repeated: Vec::new(),
        span,
    };
    while let Some(e) = k.opt(Rule::contact_entry) {
        let e_span = span_of(&e, off);
        let x = e
            .into_inner()
            .next()
            .ok_or(Shape(e_span, "a contact entry"))?;
        let rule = x.as_rule();
        let mut xk = Kids::of(x, off);
        match rule {
            Rule::contact_stage => {
                if c.from_stage.is_some() {
                    c.repeated.push(("from stage", e_span));
                }
                c.from_stage = Some(xk.ident()?);
            }
            Rule::contact_basis => {
                if c.basis.is_some() {
                    c.repeated.push(("basis", e_span));
                }
                c.basis = Some((xk.ident()?, xk.string()?));
            }
            Rule::contact_methods => {
                if !c.methods.is_empty() {
                    c.repeated.push(("methods", e_span));
                }
                c.methods = ident_list(xk.expect(Rule::ident_list, "methods")?, off)
            }
            Rule::contact_classes => {
                if !c.classes.is_empty() {
                    c.repeated.push(("in", e_span));
                }
                c.classes = ident_list(xk.expect(Rule::ident_list, "contact classes")?, off)
            }
            Rule::cite_clause => c.cites.push(xk.string()?),
            _ => return Err(Shape(e_span, "a contact entry")),
        }
    }
    Ok(Item::Contact(c))
}

/// `class NAME "Display" [at least N]`
fn class_item(mut k: Kids<'_>, span: Loc) -> R<Item> {
    let off = k.off;
    let name = k.ident()?;
    let display = k.string()?;
    let at_least = match k.opt(Rule::class_minimum) {
        Some(m) => {
            let mut mk = Kids::of(m, off);
            Some(int_lit(&mk.expect(Rule::integer, "a number")?, off))
        }
        None => None,
    };
    Ok(Item::Class(ContactClass {
        name,
        display,
        at_least,
        cite: k.cite()?,
        span,
    }))
}
