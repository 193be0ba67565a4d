//! The framework's declarations: roles, aliases, calendars, agencies, logs, thresholds, red
//! flags and floors, each checked and resolved into tables that steps and protocols use.

use std::str::FromStr;

use super::diagnostic::{Code, Diagnostic};
use super::literals;
use super::table::{unknown, Table};
use super::vocabulary::Vocabulary;
use super::Ctx;
use crate::rules::flow::DecisionDef;
use crate::rules::{
    AgencyDef, AgencyId, AliasDef, AliasId, CalendarId, ClassDef, ClassId, CriticalityId, CycleId,
    DecisionId, Floors, Id, LogDef, LogId, PathwayId, RoleId, ThresholdDef,
};
use crate::span::Span;
use crate::syntax::ast::{
    Alias, BankHolidayRule, Calendar, ClockTime, Document, Floor, GovRule, Governance, Head, Ident,
    Item, Pathway, Role, Str, Threshold, Window,
};
use crate::time::{BankHolidays, CalendarDef, WeeklyWindow};
use crate::wording::did_you_mean;

/// Bank-holiday divisions and their names in the data.
pub const DIVISIONS: &[(&str, &str)] = &[
    ("england_and_wales", "england-and-wales"),
    ("scotland", "scotland"),
    ("northern_ireland", "northern-ireland"),
];

/// Where each floor is written, for secondary labels.
#[derive(Debug, Clone, Default)]
pub struct FloorSpans {
    /// `internal_escalation within ...`
    pub internal: Option<Span>,
    /// `contact_attempts at least ...`
    pub attempts: Option<Span>,
    /// `require emergency_override`
    pub emergency: Option<Span>,
    /// `require external_escalation`
    pub external: Option<Span>,
    /// `out_of_hours parity`
    pub parity: Option<Span>,
    /// The provider's citation on each floor, for help lines.
    pub cites: FloorCites,
}

/// The provider's own citation on each floor, so that a help line points the author at the
/// provider's policy rather than at a document they may not have.
#[derive(Debug, Clone, Default)]
pub struct FloorCites {
    /// On `internal_escalation`.
    pub internal: Option<String>,
    /// On `contact_attempts`.
    pub attempts: Option<String>,
    /// On `require emergency_override`.
    pub emergency: Option<String>,
    /// On `require external_escalation`.
    pub external: Option<String>,
    /// On `out_of_hours parity`.
    pub parity: Option<String>,
}

impl FloorCites {
    /// ` (the framework's policy: CITE)` for a cited floor, or nothing.
    pub fn note(cite: &Option<String>) -> String {
        cite.as_ref()
            .map(|c| format!(" (the framework's policy: {c})"))
            .unwrap_or_default()
    }
}

/// A framework, its tables filled and checked.
#[derive(Debug)]
pub struct FrameworkScope<'a> {
    /// Source index.
    pub file: usize,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Head span.
    pub head: Span,
    /// Time zone.
    pub timezone: chrono_tz::Tz,
    /// Bank-holiday division (data name).
    pub division: String,
    /// `immediately means`, seconds.
    pub immediately: Option<u64>,
    /// Whether `immediately means` is written, even with a value refused (zero, too long):
    /// then a use of `immediately` is not "undefined", only waiting for that value's fix.
    pub immediately_written: bool,
    /// The local date this version comes into force, if it says.
    pub effective: Option<chrono::NaiveDate>,
    /// Roles.
    pub roles: Table<RoleId>,
    /// Role display names and direct covers.
    pub role_info: Vec<(String, Vec<RoleId>)>,
    /// Aliases.
    pub aliases: Table<AliasId>,
    /// Names declared as both a role and an alias (E004): which one a step means is unknown.
    pub role_alias_clashes: Vec<String>,
    /// Alias definitions.
    pub alias_defs: Vec<AliasDef>,
    /// Calendars.
    pub calendars: Table<CalendarId>,
    /// Calendar definitions.
    pub calendar_defs: Vec<CalendarDef>,
    /// Agencies.
    pub agencies: Table<AgencyId>,
    /// Agency definitions.
    pub agency_defs: Vec<AgencyDef>,
    /// Logs.
    pub logs: Table<LogId>,
    /// Log definitions.
    pub log_defs: Vec<LogDef>,
    /// Contact classes.
    pub classes: Table<ClassId>,
    /// Contact class definitions.
    pub class_defs: Vec<ClassDef>,
    /// Criticalities (from thresholds).
    pub criticalities: Table<CriticalityId>,
    /// Thresholds, with their syntax for protocol comparisons.
    pub thresholds: Vec<(ThresholdDef, &'a Threshold)>,
    /// The closed vocabularies: observations (red flags among them), communication needs,
    /// results and facts.
    pub vocabulary: Vocabulary,
    /// Floors.
    pub floors: Floors,
    /// Where the floors are written.
    pub floor_spans: FloorSpans,
    /// The `require` floors as written, resolved against the triggers and agency kinds when
    /// ladders are checked ([`super::floors`]).
    pub requirements: Vec<&'a crate::syntax::ast::Requirement>,
    /// Decisions steps may ask for.
    pub decisions: Table<DecisionId>,
    /// Decision definitions.
    pub decision_defs: Vec<DecisionDef>,
    /// Declared triggers.
    pub triggers: Table<crate::rules::TriggerId>,
    /// Declared trigger definitions.
    pub trigger_defs: Vec<crate::rules::TriggerDef>,
    /// Pathways (syntax; compiled per person).
    pub pathways: Vec<&'a Pathway>,
    /// Pathway names.
    pub pathway_names: Table<PathwayId>,
    /// Review cycles (name, sorted local times, span).
    pub cycles: Table<CycleId>,
    /// Cycle times.
    pub cycle_times: Vec<Vec<(u32, u32)>>,
    /// Governance rules (syntax).
    pub gov_rules: Vec<&'a GovRule>,
    /// Document-level citations.
    pub cites: Vec<String>,
}

impl<'a> FrameworkScope<'a> {
    /// Read the framework's declarations, reporting every problem found.
    pub fn build(cx: &mut Ctx<'_>, file: usize, doc: &'a Document) -> Option<Self> {
        let Head::Framework {
            name,
            version,
            span: head,
        } = &doc.head
        else {
            return None;
        };
        let mut fw = FrameworkScope {
            file,
            name: name.value.clone(),
            version: version.text.clone(),
            head: head.span(),
            timezone: chrono_tz::Europe::London,
            division: "england-and-wales".into(),
            immediately: None,
            immediately_written: false,
            effective: None,
            roles: Table::new("role"),
            role_info: Vec::new(),
            aliases: Table::new("alias"),
            role_alias_clashes: Vec::new(),
            alias_defs: Vec::new(),
            calendars: Table::new("calendar"),
            calendar_defs: Vec::new(),
            agencies: Table::new("agency"),
            agency_defs: Vec::new(),
            logs: Table::new("log"),
            log_defs: Vec::new(),
            classes: Table::new("contact class"),
            class_defs: Vec::new(),
            criticalities: Table::new("visit criticality"),
            thresholds: Vec::new(),
            vocabulary: Vocabulary::default(),
            decisions: Table::new("decision"),
            decision_defs: Vec::new(),
            triggers: Table::new("trigger"),
            trigger_defs: Vec::new(),
            floors: Floors::default(),
            floor_spans: FloorSpans::default(),
            requirements: Vec::new(),
            pathways: Vec::new(),
            pathway_names: Table::new("pathway"),
            cycles: Table::new("review cycle"),
            cycle_times: Vec::new(),
            gov_rules: Vec::new(),
            cites: Vec::new(),
        };
        let mut once = Once::default();
        // Three passes: roles and the time zone first (covers refer to roles declared anywhere
        // in the file, and every local time is judged in the framework's zone), then covers,
        // calendars (aliases and communication needs name calendars) and observations (red
        // flags may name a group), then everything else.
        for item in &doc.items {
            match item {
                Item::Role(r) => fw.role(cx, r),
                Item::Timezone(tz) if once.see(cx, file, "timezone", tz.span) => {
                    fw.timezone(cx, tz);
                }
                _ => {}
            }
        }
        for item in &doc.items {
            match item {
                Item::Role(r) => fw.covers(cx, r),
                Item::Calendar(c) => fw.calendar(cx, c),
                Item::Observations(o) => fw.vocabulary.observations(cx, file, o),
                _ => {}
            }
        }
        for item in &doc.items {
            fw.declaration(cx, &mut once, item);
        }
        fw.vocabulary.finish(cx, file);
        fw.check_cover_cycles(cx);
        Some(fw)
    }

    /// Any declaration but roles, covers, the time zone and calendars.
    fn declaration(&mut self, cx: &mut Ctx<'_>, once: &mut Once, item: &'a Item) {
        let file = self.file;
        match item {
            Item::BankHolidays(d) if once.see(cx, file, "bank_holidays", d.span) => {
                self.bank_holidays(cx, d);
            }
            Item::Immediately(d, span) if once.see(cx, file, "immediately means", *span) => {
                self.immediately = cx.duration(d, file, "`immediately`");
                self.immediately_written = true;
            }
            Item::Effective(d, _, span) if once.see(cx, file, "effective", *span) => {
                self.effective = cx.ok(literals::date(d, file));
            }
            Item::Alias(a) => self.alias(cx, a),
            Item::Agency(a)
                if cx
                    .ok(self.agencies.declare(&a.name.name, file, a.name.span))
                    .is_some() =>
            {
                self.agency_defs.push(AgencyDef {
                    name: a.name.name.clone(),
                    display: a.display.value.clone(),
                    kind: a.kind,
                });
            }
            Item::Log(l)
                if cx
                    .ok(self.logs.declare(&l.name.name, file, l.name.span))
                    .is_some() =>
            {
                self.log_defs.push(LogDef {
                    name: l.name.name.clone(),
                    display: l.display.value.clone(),
                });
            }
            Item::Threshold(t) => self.threshold(cx, t),
            Item::Decision(d) => self.decision(cx, d),
            Item::Trigger(t) => {
                if let Some(def) = super::trigger_decl::declare(cx, self.file, t) {
                    if cx
                        .ok(self.triggers.declare(&def.name, self.file, t.name.span))
                        .is_some()
                    {
                        self.trigger_defs.push(def);
                    }
                }
            }
            Item::Class(c) => self.class(cx, c),
            Item::RedFlags(r) if once.see(cx, file, "red_flags", r.span) => {
                self.vocabulary.red_flags(cx, file, r);
            }
            Item::Communication(n) => self.vocabulary.need(cx, file, &self.calendars, n),
            Item::Results(w) => self.vocabulary.results(cx, file, w),
            Item::Facts(w) => self.vocabulary.facts(cx, file, w),
            Item::Risks(w) => self.vocabulary.risks(cx, file, w),
            Item::Floors(floors, span) if once.see(cx, file, "floors", *span) => {
                self.floors(cx, floors);
            }
            Item::Pathway(p)
                if cx
                    .ok(self.pathway_names.declare(&p.name.name, file, p.name.span))
                    .is_some() =>
            {
                self.pathways.push(p);
            }
            Item::Governance(g) => self.governance(cx, g),
            Item::Cite(c) => self.cites.push(c.value.clone()),
            _ => {}
        }
    }

    /// `decision NAME "Question" outcomes A, B`: outcomes unique, at least two (a decision
    /// with one outcome decides nothing), each a name timelines record.
    fn decision(&mut self, cx: &mut Ctx<'_>, d: &crate::syntax::ast::DecisionItem) {
        let file = self.file;
        let mut outcomes: Vec<String> = Vec::new();
        for o in &d.outcomes {
            if outcomes.contains(&o.name) {
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    o.span,
                    format!(
                        "decision `{}` lists the outcome `{}` twice",
                        d.name.name, o.name
                    ),
                    "listed already",
                    "list each outcome once",
                ));
            } else {
                outcomes.push(o.name.clone());
            }
        }
        if outcomes.len() < 2 {
            cx.report(Diagnostic::new(
                Code::AbsurdValue,
                file,
                d.span,
                format!("decision `{}` has only one outcome", d.name.name),
                "a decision with one outcome decides nothing",
                "list every outcome staff may record, for example `outcomes needed, not_needed`",
            ));
            // Still declared, so that the steps and branches naming it are checked as written
            // rather than each reported as naming an unknown decision (found by a docs-only
            // tester: E010 was followed by an E003 whose help said to declare it).
        }
        if cx
            .ok(self.decisions.declare(&d.name.name, file, d.name.span))
            .is_some()
        {
            self.decision_defs.push(DecisionDef {
                name: d.name.name.clone(),
                display: d.display.as_ref().map_or_else(
                    || crate::wording::humanise(&d.name.name),
                    |s| s.value.clone(),
                ),
                outcomes,
                cites: d.cite.iter().map(|c| c.value.clone()).collect(),
                origin: cx.origin(file, d.span),
            });
        }
    }

    /// `role NAME "Display"`: declared in the first pass, so covers may name any role.
    fn role(&mut self, cx: &mut Ctx<'_>, r: &Role) {
        let limit = cx.limits.roles;
        if self.role_info.len() == limit {
            cx.report(Diagnostic::new(
                Code::TooManyRoles,
                self.file,
                r.name.span,
                format!("this framework declares more than the {limit} roles a framework may hold"),
                "one role too many",
                "a framework's roles are job roles, a few dozen at most: is this the right file? If it is, raise the limit with --max-roles",
            ));
        }
        if cx
            .ok(self.roles.declare(&r.name.name, self.file, r.name.span))
            .is_some()
        {
            self.role_info.push((r.display.value.clone(), Vec::new()));
        }
    }

    /// `role NAME ... covers A, B`: the roles it may act for directly.
    fn covers(&mut self, cx: &mut Ctx<'_>, r: &Role) {
        // Past the limit, no role covers another: working out who may act for whom is what
        // grows with the roles' number squared (the finding above has been made).
        if self.role_info.len() > cx.limits.roles {
            return;
        }
        let Some(i) = self.roles.get(&r.name.name) else {
            return;
        };
        let covers: Vec<RoleId> = r
            .covers
            .iter()
            .filter_map(|c| cx.ok(self.roles.lookup(&c.name, self.file, c.span)))
            .collect();
        if let Some(info) = self.role_info.get_mut(i.index()) {
            if info.1.is_empty() {
                info.1 = covers;
            }
        }
    }

    /// `timezone "Europe/London"`: an IANA zone.
    fn timezone(&mut self, cx: &mut Ctx<'_>, tz: &Str) {
        match chrono_tz::Tz::from_str(&tz.value) {
            Ok(z) => self.timezone = z,
            Err(_) => {
                let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
                let help = match did_you_mean(&tz.value, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "use an IANA zone name such as `Europe/London`".into(),
                };
                cx.report(Diagnostic::new(
                    Code::UnknownTimezone,
                    self.file,
                    tz.span,
                    format!("unknown time zone `{}`", tz.value),
                    "not an IANA time zone",
                    help,
                ));
            }
        }
    }

    /// `bank_holidays scotland`: whose bank holidays apply.
    fn bank_holidays(&mut self, cx: &mut Ctx<'_>, d: &Ident) {
        match DIVISIONS.iter().find(|(n, _)| *n == d.name) {
            Some((_, data)) => self.division = (*data).to_string(),
            None => cx.report(unknown(
                "bank-holiday division",
                &d.name,
                self.file,
                d.span,
                DIVISIONS.iter().map(|(n, _)| *n),
            )),
        }
    }

    /// `alias NAME "Display" is ROLE in CALENDAR otherwise ROLE`.
    fn alias(&mut self, cx: &mut Ctx<'_>, a: &Alias) {
        let file = self.file;
        let calendar = cx.ok(self
            .calendars
            .lookup(&a.calendar.name, file, a.calendar.span));
        let inside = cx.ok(self.roles.lookup(&a.role.name, file, a.role.span));
        let otherwise = cx.ok(self.roles.lookup(&a.otherwise.name, file, a.otherwise.span));
        if let Some(role) = self.roles.get(&a.name.name) {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    file,
                    a.name.span,
                    format!("alias `{}` has the same name as a role", a.name.name),
                    "alias declared here",
                    "an alias and a role cannot share a name; rename the alias",
                )
                .with(
                    file,
                    self.roles
                        .declared_at(role)
                        .map_or(a.name.span, |x| x.1.into()),
                    "role declared here",
                ),
            );
            self.role_alias_clashes.push(a.name.name.clone());
            return;
        }
        if let (Some(c), Some(i), Some(o), Some(_)) = (
            calendar,
            inside,
            otherwise,
            cx.ok(self.aliases.declare(&a.name.name, file, a.name.span)),
        ) {
            self.alias_defs.push(AliasDef {
                name: a.name.name.clone(),
                display: a.display.value.clone(),
                inside: i,
                calendar: c,
                otherwise: o,
            });
        }
    }

    /// `threshold CRITICALITY late D missed D ...`: declares the criticality.
    fn threshold(&mut self, cx: &mut Ctx<'_>, t: &'a Threshold) {
        let file = self.file;
        if cx
            .ok(self
                .criticalities
                .declare(&t.criticality.name, file, t.criticality.span))
            .is_none()
        {
            return;
        }
        if let Some(b) = &t.because {
            cx.report(Diagnostic::new(
                Code::BadClause,
                file,
                b.span,
                "a framework threshold cannot take `because`",
                "nothing to justify here",
                "`because` records why a protocol overrides the framework; remove it here",
            ));
        }
        if let Some(def) = threshold(cx, file, t) {
            self.thresholds.push((def, t));
        }
    }

    fn calendar(&mut self, cx: &mut Ctx<'_>, c: &Calendar) {
        let file = self.file;
        if cx
            .ok(self.calendars.declare(&c.name.name, file, c.name.span))
            .is_none()
        {
            return;
        }
        let mut windows = Vec::new();
        for w in &c.windows {
            windows.extend(weekly_windows(cx, self, file, w));
        }
        let mut bank_holidays = BankHolidays::AsUsual;
        for (i, (rule, span)) in c.bank_holidays.iter().enumerate() {
            if i > 0 {
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    *span,
                    "the calendar says twice what happens on bank holidays",
                    "said again here",
                    "keep one of `except bank_holidays` and `bank_holidays all day`",
                ));
                continue;
            }
            bank_holidays = match rule {
                BankHolidayRule::Except => BankHolidays::Closed,
                BankHolidayRule::AllDay => BankHolidays::AllDay,
            };
        }
        self.calendar_defs.push(CalendarDef {
            name: c.name.name.clone(),
            display: c
                .display
                .as_ref()
                .map_or_else(|| c.name.name.replace('_', " "), |d| d.value.clone()),
            windows,
            bank_holidays,
        });
    }

    fn floors(&mut self, cx: &mut Ctx<'_>, floors: &'a [Floor]) {
        let file = self.file;
        for f in floors {
            match f {
                Floor::InternalEscalation(d, cite, span) => {
                    self.floors.internal_escalation =
                        cx.duration(d, file, "the internal-escalation floor");
                    self.floor_spans.internal = Some(span.span());
                    self.floor_spans.cites.internal = cite.as_ref().map(|c| c.value.clone());
                }
                Floor::ContactAttempts(n, cite, span) => {
                    self.floors.contact_attempts =
                        cx.ok(literals::count(n, file, "the contact-attempts floor"));
                    self.floor_spans.attempts = Some(span.span());
                    self.floor_spans.cites.attempts = cite.as_ref().map(|c| c.value.clone());
                }
                Floor::Require(r) => match r.what.name.as_str() {
                    "emergency_override" => {
                        self.floors.emergency_override = true;
                        self.floor_spans.emergency = Some(r.span.span());
                        self.floor_spans.cites.emergency = r.cite.as_ref().map(|c| c.value.clone());
                        self.requirements.push(r);
                    }
                    "external_escalation" => {
                        self.floors.external_escalation = true;
                        self.floor_spans.external = Some(r.span.span());
                        self.floor_spans.cites.external = r.cite.as_ref().map(|c| c.value.clone());
                        self.requirements.push(r);
                    }
                    other => cx.report(unknown(
                        "floor requirement",
                        other,
                        file,
                        r.what.span,
                        ["emergency_override", "external_escalation"],
                    )),
                },
                Floor::OutOfHoursParity(cite, span) => {
                    self.floors.out_of_hours_parity = true;
                    self.floor_spans.parity = Some(span.span());
                    self.floor_spans.cites.parity = cite.as_ref().map(|c| c.value.clone());
                }
            }
        }
    }

    fn governance(&mut self, cx: &mut Ctx<'_>, g: &'a Governance) {
        let file = self.file;
        for c in &g.cycles {
            if cx
                .ok(self.cycles.declare(&c.name.name, file, c.name.span))
                .is_none()
            {
                continue;
            }
            let mut times: Vec<(u32, u32)> = Vec::new();
            for t in &c.at {
                if let Some(hm) = cx.ok(literals::clock(t, file)) {
                    super::clock_change::note(cx, self.timezone, file, t);
                    times.push(hm);
                }
            }
            times.sort_unstable();
            let before = times.len();
            times.dedup();
            if times.len() < before {
                cx.report(Diagnostic::new(
                    Code::Duplicate,
                    file,
                    c.span,
                    format!("review cycle `{}` lists the same time twice", c.name.name),
                    "repeated time",
                    "list each review time once",
                ));
            }
            self.cycle_times.push(times);
        }
        self.gov_rules.extend(g.rules.iter());
    }

    fn check_cover_cycles(&mut self, cx: &mut Ctx<'_>) {
        // A role that covers itself through others makes "who may act" meaningless.
        let n = self.role_info.len();
        for start in 0..n {
            // A role covering none is in no circle (and past the limit on roles none covers
            // any): only the others need a look at every role.
            if self.role_info.get(start).is_none_or(|(_, c)| c.is_empty()) {
                continue;
            }
            let mut seen = vec![false; n];
            let mut stack: Vec<usize> = self.direct_covers(start);
            while let Some(r) = stack.pop() {
                if r == start {
                    let (file, span) = RoleId::from_index(start)
                        .and_then(|id| self.roles.declared_at(id))
                        .unwrap_or((self.file, self.head));
                    let name = self.roles.names().get(start).cloned().unwrap_or_default();
                    cx.report(Diagnostic::new(
                        Code::Cycle,
                        file,
                        span,
                        format!("role `{name}` covers itself through the roles it covers"),
                        "this role is in a covering circle",
                        "seniority must run one way: remove one `covers` in the circle",
                    ));
                    // Break the circle so later stages terminate.
                    if let Some(info) = self.role_info.get_mut(start) {
                        info.1.clear();
                    }
                    break;
                }
                if let Some(s) = seen.get_mut(r) {
                    if *s {
                        continue;
                    }
                    *s = true;
                }
                stack.extend(self.direct_covers(r));
            }
        }
    }

    fn direct_covers(&self, r: usize) -> Vec<usize> {
        self.role_info
            .get(r)
            .map(|(_, c)| c.iter().map(|x| x.index()).collect())
            .unwrap_or_default()
    }

    /// Every role `r` covers, directly or transitively (not itself).
    pub fn covers_closure(&self, r: usize) -> Vec<RoleId> {
        let n = self.role_info.len();
        if self.role_info.get(r).is_none_or(|(_, c)| c.is_empty()) {
            return Vec::new();
        }
        let mut seen = vec![false; n];
        let mut stack = self.direct_covers(r);
        let mut out = Vec::new();
        while let Some(x) = stack.pop() {
            if x == r {
                continue;
            }
            if let Some(s) = seen.get_mut(x) {
                if *s {
                    continue;
                }
                *s = true;
            }
            out.extend(RoleId::from_index(x));
            stack.extend(self.direct_covers(x));
        }
        out.sort_unstable();
        out
    }

    /// The `office_hours` calendar, if declared.
    pub fn office_hours(&self) -> Option<CalendarId> {
        self.calendars.get("office_hours")
    }
}

/// Weekly windows for one written window; an empty window is a finding.
pub fn weekly_windows(
    cx: &mut Ctx<'_>,
    fw: &FrameworkScope<'_>,
    file: usize,
    w: &Window,
) -> Vec<WeeklyWindow> {
    match w {
        Window::Daily { from, to, .. } | Window::Span { from, to, .. } => {
            super::clock_change::note(cx, fw.timezone, file, from);
            super::clock_change::note(cx, fw.timezone, file, to);
        }
    }
    const DAY: u32 = 1440;
    const WEEK: u32 = 7 * DAY;
    let empty = |cx: &mut Ctx<'_>, span| {
        cx.report(Diagnostic::new(
            Code::EmptyWindow,
            file,
            span,
            "this window starts and ends at the same time",
            "empty window",
            "give the window different start and end times (a window from a time to the same time would be empty)",
        ));
    };
    // Both ends as minutes after midnight, each checked (and reported) on its own.
    let minutes = |cx: &mut Ctx<'_>, from: &ClockTime, to: &ClockTime| {
        let f = cx.ok(literals::clock(from, file));
        let t = cx.ok(literals::clock(to, file));
        Some((f?.0 * 60 + f?.1, t?.0 * 60 + t?.1))
    };
    match w {
        Window::Daily {
            days,
            from,
            to,
            span,
        } => {
            let Some((f, t)) = minutes(cx, from, to) else {
                return Vec::new();
            };
            if f == t {
                empty(cx, *span);
                return Vec::new();
            }
            days.days
                .iter()
                .map(|d| {
                    let base = d.number() * DAY;
                    let end = if t > f { base + t } else { base + DAY + t };
                    WeeklyWindow {
                        start: base + f,
                        end,
                    }
                })
                .collect()
        }
        Window::Span {
            from_day,
            from,
            to_day,
            to,
            span,
        } => {
            let Some((f, t)) = minutes(cx, from, to) else {
                return Vec::new();
            };
            let start = from_day.number() * DAY + f;
            let mut end = to_day.number() * DAY + t;
            if end == start {
                empty(cx, *span);
                return Vec::new();
            }
            if end < start {
                end += WEEK;
            }
            vec![WeeklyWindow { start, end }]
        }
    }
}

/// A checked threshold.
pub fn threshold(cx: &mut Ctx<'_>, file: usize, t: &Threshold) -> Option<ThresholdDef> {
    let late = cx.late_threshold(&t.late, file, "the late threshold");
    let missed = cx.duration(&t.missed, file, "the missed threshold");
    let ooh = match &t.out_of_hours {
        Some((l, m, span)) => {
            let l = cx.late_threshold(l, file, "the out-of-hours late threshold");
            let m = cx.duration(m, file, "the out-of-hours missed threshold");
            match (l, m) {
                (Some(l), Some(m)) => Some(Some((l, m, *span))),
                _ => None,
            }
        }
        None => Some(None),
    };
    let (late, missed, ooh) = (late?, missed?, ooh?);
    if late > missed {
        cx.report(Diagnostic::new(
            Code::DeadlineBeforePredecessor,
            file,
            t.missed.span,
            format!(
                "a `{}` visit would be missed before it is late",
                t.criticality.name
            ),
            "missed threshold shorter than the late threshold",
            "the missed threshold must be at least the late threshold",
        ));
    }
    if let (Some((ol, om, _)), Some((ol_lit, om_lit, _))) = (ooh, &t.out_of_hours) {
        // Name each laxer threshold and point at it and at its office-hours twin, so the
        // reader sees which number to change.
        let laxer: Vec<(
            &str,
            &crate::syntax::ast::DurationLit,
            &crate::syntax::ast::DurationLit,
            u64,
            u64,
        )> = [
            ("late", ol_lit, &t.late, ol, late),
            ("missed", om_lit, &t.missed, om, missed),
        ]
        .into_iter()
        .filter(|(_, _, _, out, office)| out > office)
        .collect();
        if let Some((_, first, ..)) = laxer.first() {
            let said: Vec<String> = laxer
                .iter()
                .map(|(what, _, _, out, office)| {
                    format!(
                        "{what} only after {} ({} in office hours)",
                        crate::wording::duration_words(*out),
                        crate::wording::duration_words(*office)
                    )
                })
                .collect();
            let mut d = Diagnostic::new(
                Code::OutOfHoursLaxer,
                file,
                first.span,
                format!(
                    "out of hours, a `{}` visit is {}",
                    t.criticality.name,
                    said.join(" and ")
                ),
                "laxer out of hours",
                "out-of-hours thresholds may be equal or stricter, never laxer",
            );
            for (k, (what, out_lit, office_lit, ..)) in laxer.iter().enumerate() {
                if k > 0 {
                    d = d.with(file, out_lit.span, "laxer out of hours");
                }
                d = d.with(
                    file,
                    office_lit.span,
                    format!("the office-hours {what} threshold"),
                );
            }
            cx.report(d);
        }
    }
    let mut cites = Vec::new();
    if let Some(c) = &t.cite {
        cites.push(c.value.clone());
    }
    Some(ThresholdDef {
        criticality: t.criticality.name.clone(),
        late,
        missed,
        out_of_hours: ooh.map(|(l, m, _)| (l, m)),
        anchor: t.anchor,
        cites,
        origin: cx.origin(file, t.span),
        because: None,
    })
}

/// Items that may be given once per document.
#[derive(Default)]
pub struct Once {
    seen: Vec<(&'static str, Span)>,
}

impl Once {
    /// True the first time `what` is seen; later times are duplicate findings.
    pub fn see(
        &mut self,
        cx: &mut Ctx<'_>,
        file: usize,
        what: &'static str,
        span: impl Into<Span>,
    ) -> bool {
        let span: Span = span.into();
        if let Some((_, first)) = self.seen.iter().find(|(w, _)| *w == what) {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    file,
                    span,
                    format!("`{what}` is given twice"),
                    "given again here",
                    format!("a document says `{what}` once; remove one"),
                )
                .with(file, *first, "first given here"),
            );
            return false;
        }
        self.seen.push((what, span));
        true
    }
}
