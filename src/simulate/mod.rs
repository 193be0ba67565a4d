//! A reproducible synthetic service: people, their visits for some days, and what happened at
//! each (on time, late, missed, no answer at the door, refusal), with hospital admissions and
//! days when a route's staff are off sick. The same settings and seed give the same timeline,
//! byte for byte, on every machine: it feeds tests, benchmarks and the README's demo of the
//! audit pack. The rates are documented in docs/simulation.md, and are the constants below.

mod random;

use chrono::{Duration, NaiveDate};

use crate::rules::RuleSet;
use crate::time::Instant;
use crate::timeline::{EventInput, TimelineInput};
use crate::vocab::{EventKind, Method, Outcome};

use random::Random;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// How many people.
    pub people: u32,
    /// How many days, from `start`.
    pub days: u32,
    /// The seed: the same seed, the same timeline.
    pub seed: u64,
    /// The first day (local, in the framework's zone).
    pub start: NaiveDate,
}

/// Per visit, in parts per thousand: no arrival at all.
pub const MISSED: u32 = 15;
/// No answer at the door.
pub const NO_ANSWER: u32 = 15;
/// The person refuses the support.
pub const REFUSAL: u32 = 10;
/// The worker arrives between the late and the missed threshold.
pub const LATE: u32 = 50;
/// On a route's sick day, the missed and late rates are this many times higher.
pub const SICK_FACTOR: u32 = 3;
/// Per route and day, in parts per thousand: the route's staff are off sick.
pub const SICK_DAY: u32 = 30;
/// Per person and day, in parts per thousand: admitted to hospital (for 3 to 10 days).
pub const ADMISSION: u32 = 2;
/// Of missed visits, in parts per thousand: the escalation is handled promptly (the rest
/// slowly).
pub const HANDLED_PROMPTLY: u32 = 750;
/// People per route, and per location.
pub const PER_ROUTE: u32 = 8;
/// People per location.
pub const PER_LOCATION: u32 = 20;

/// The names the simulated events use, which the rules must declare.
struct Names {
    worker: String,
    coordinator: String,
    /// The manager alias: its role inside its calendar, and otherwise.
    manager: Option<(usize, String, String)>,
    log: String,
    critical: String,
    standard: String,
}

impl Names {
    /// The names, or every one the rules lack.
    fn of(rs: &RuleSet) -> Result<Names, String> {
        let mut missing = Vec::new();
        for role in ["support_worker", "scheduling_coordinator"] {
            if rs.role_id(role).is_none() {
                missing.push(format!("role `{role}`"));
            }
        }
        if rs.log_id("missed_visit_log").is_none() {
            missing.push("log `missed_visit_log`".to_string());
        }
        let alias = rs.aliases.iter().find(|a| a.name == "manager");
        let role_name = |id| rs.role(id).map(|r| r.name.to_string());
        let manager = alias.and_then(|a| {
            Some((
                a.calendar.index(),
                role_name(a.inside)?,
                role_name(a.otherwise)?,
            ))
        });
        if manager.is_none() {
            missing.push("alias `manager`".to_string());
        }
        let critical = rs.criticalities.iter().find(|c| *c == "critical").cloned();
        let standard = rs
            .criticalities
            .iter()
            .find(|c| *c != "critical")
            .cloned()
            .or_else(|| critical.clone());
        if critical.is_none() {
            missing.push("threshold `critical`".to_string());
        }
        if !missing.is_empty() {
            return Err(format!(
                "the simulated service needs {} in the framework",
                crate::wording::and_list(&missing)
            ));
        }
        Ok(Names {
            worker: "support_worker".into(),
            coordinator: "scheduling_coordinator".into(),
            manager,
            log: "missed_visit_log".into(),
            critical: critical.unwrap_or_default(),
            standard: standard.unwrap_or_default(),
        })
    }
}

/// The local times of each person's visits: every person has the first three; one in five
/// has the fourth.
const SLOTS: [(u32, u32); 4] = [(8, 0), (13, 0), (18, 30), (21, 30)];

/// A simulation whose every instant Vigil reads: its first day's visits are planned the
/// evening before, and its `as_of` is the midnight after its last day, so both must fall in
/// [`crate::time::YEARS`] (found by a docs-only tester: `--start 2000-01-01` wrote a log the
/// audit then refused, planning at 1999-12-31T18:00Z).
fn within_years(settings: &Settings) -> Result<(), String> {
    use chrono::Datelike;
    let eve = settings.start.pred_opt();
    let end = settings
        .start
        .checked_add_days(chrono::Days::new(u64::from(settings.days)));
    let inside =
        |d: Option<chrono::NaiveDate>| d.is_some_and(|d| crate::time::YEARS.contains(&d.year()));
    if inside(eve) && inside(end) {
        return Ok(());
    }
    Err(format!(
        "a simulation of {} days from {} runs from the evening before it (when its first visits are planned) to the midnight after its last day, outside the years Vigil reads ({} to {}): start on {}-01-02 or later, and end by {}-12-30",
        settings.days,
        settings.start,
        crate::time::YEARS.start(),
        crate::time::YEARS.end(),
        crate::time::YEARS.start(),
        crate::time::YEARS.end(),
    ))
}

/// A synthetic timeline for `settings` under `rs` (a framework declaring the roles
/// `support_worker` and `scheduling_coordinator`, the alias `manager`, the log
/// `missed_visit_log` and a `critical` threshold), in time order, with its `from` and
/// `as_of` (the end of the last day).
///
/// ```
/// # let rs = vigil::compile(&[vigil::Source::new("f", std::fs::read_to_string("protocols/supported-living/framework.vigil").unwrap())]).unwrap();
/// use vigil::simulate::{simulate, Settings};
/// let settings = Settings { people: 3, days: 2, seed: 7, start: "2026-11-23".parse().unwrap() };
/// let a = simulate(&rs, &settings).unwrap();
/// let b = simulate(&rs, &settings).unwrap();
/// assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
/// assert!(vigil::timeline::Timeline::from_input(&a, &rs).is_ok());
/// ```
pub fn simulate(rs: &RuleSet, settings: &Settings) -> Result<TimelineInput, String> {
    within_years(settings)?;
    let names = Names::of(rs)?;
    let civil = rs.civil();
    let mut random = Random::new(settings.seed);
    let routes = settings.people.div_ceil(PER_ROUTE).max(1);
    let mut events: Vec<EventInput> = Vec::new();
    // Each person's hospital stay, as (first day, days).
    let mut away: Vec<Option<(u32, u32)>> = vec![None; settings.people as usize];
    for day in 0..settings.days {
        let date = settings.start + chrono::Days::new(u64::from(day));
        let sick: Vec<bool> = (0..routes).map(|_| random.chance(SICK_DAY)).collect();
        for p in 0..settings.people {
            let person = format!("S-{:04}", p + 1);
            let route = format!("R{}", p / PER_ROUTE + 1);
            let location = format!("L{}", p / PER_LOCATION + 1);
            let stay = &mut away[p as usize];
            if stay.is_some_and(|(first, days)| day >= first + days) {
                *stay = None;
            }
            if stay.is_none() && random.chance(ADMISSION) {
                *stay = Some((day, 3 + random.below(8)));
            }
            let admitted = stay.filter(|(first, _)| *first == day).is_some();
            let in_hospital = stay.is_some();
            let slots = if p % 5 == 0 { 4 } else { 3 };
            for (s, (h, m)) in SLOTS.iter().take(slots).enumerate() {
                let visit = format!("S{:04}D{:03}V{}", p + 1, day + 1, s + 1);
                let planned = civil.at(date, *h, *m);
                let critical = s == 0 && p % 4 == 0;
                let ids = Ids::new(&visit);
                let plan = EventInput::new(
                    civil.at(date - chrono::Days::new(1), 18, 0),
                    &person,
                    EventKind::VisitPlanned,
                )
                .id(ids.next("plan"))
                .visit(&visit)
                .planned(planned)
                .planned_end(planned + Duration::minutes(30 + i64::from(random.below(16))))
                .criticality(if critical {
                    &names.critical
                } else {
                    &names.standard
                })
                .route(&route)
                .location(&location)
                .by(&names.coordinator);
                events.push(plan);
                if in_hospital {
                    // Cancelled when the admission is known (10:00 on its first day), or the
                    // evening before a later day's visits.
                    let known = if admitted {
                        civil.at(date, 10, 0).min(planned - Duration::minutes(30))
                    } else {
                        civil.at(date - chrono::Days::new(1), 18, 5)
                    };
                    events.push(
                        EventInput::new(known, &person, EventKind::VisitCancelled)
                            .id(ids.next("cancel"))
                            .visit(&visit)
                            .reason("hospital admission")
                            .by(&names.coordinator),
                    );
                    continue;
                }
                let factor = if sick[(p / PER_ROUTE) as usize] {
                    SICK_FACTOR
                } else {
                    1
                };
                let draw = random.below(1000);
                let at = |minutes: i64| planned + Duration::minutes(minutes);
                let missed = MISSED * factor;
                if draw < missed {
                    handle_missed(
                        &mut events,
                        &mut random,
                        (&person, &visit, &ids),
                        at(30),
                        &names,
                        rs,
                    );
                    continue;
                }
                let draw = draw - missed;
                if draw < NO_ANSWER {
                    no_answer(
                        &mut events,
                        &mut random,
                        (&person, &visit, &ids),
                        at(2),
                        &names,
                        rs,
                    );
                    continue;
                }
                let draw = draw - NO_ANSWER;
                let arrival = if draw < LATE * factor {
                    at(16 + i64::from(random.below(14)))
                } else {
                    at(i64::from(random.below(18)) - 5)
                };
                events.push(
                    EventInput::new(arrival, &person, EventKind::Arrived)
                        .id(ids.next("in"))
                        .visit(&visit)
                        .by(&names.worker),
                );
                if random.chance(REFUSAL) {
                    events.push(
                        EventInput::new(
                            arrival + Duration::minutes(5),
                            &person,
                            EventKind::Refusal,
                        )
                        .id(ids.next("refusal"))
                        .visit(&visit)
                        .task("personal care")
                        .by(&names.worker),
                    );
                }
                events.push(
                    EventInput::new(
                        arrival + Duration::minutes(25 + i64::from(random.below(20))),
                        &person,
                        EventKind::Departed,
                    )
                    .id(ids.next("out"))
                    .visit(&visit)
                    .by(&names.worker),
                );
            }
        }
    }
    // Time order, stable: the file reads as the day went.
    events.sort_by_key(|e| e.at_text().and_then(|t| t.parse::<Instant>().ok()));
    let from = civil.at(settings.start, 0, 0);
    let end = civil.at(
        settings.start + chrono::Days::new(u64::from(settings.days)),
        0,
        0,
    );
    let mut input = TimelineInput::new().from(from).as_of(end);
    for e in events {
        input = input.event(e);
    }
    Ok(input)
}

/// Each event of one visit gets its own id: `VISIT-1-plan`, `VISIT-2-in`, ...
struct Ids {
    visit: String,
    n: std::cell::Cell<u32>,
}

impl Ids {
    fn new(visit: &str) -> Ids {
        Ids {
            visit: visit.to_string(),
            n: std::cell::Cell::new(0),
        }
    }

    fn next(&self, what: &str) -> String {
        self.n.set(self.n.get() + 1);
        format!("{}-{}-{what}", self.visit, self.n.get())
    }
}

/// The manager's role at `t`: the alias's role inside its calendar, or otherwise.
fn manager(names: &Names, rs: &RuleSet, t: Instant) -> String {
    match &names.manager {
        Some((calendar, inside, otherwise)) => {
            let open = rs
                .calendars
                .get(*calendar)
                .is_some_and(|c| rs.civil().in_calendar(c, t));
            if open { inside } else { otherwise }.clone()
        }
        None => names.coordinator.clone(),
    }
}

/// A visit no one arrived at, missed at `missed`: promptly handled (the manager told within
/// 6 minutes, the log within 12, two welfare calls, the person reached within the hour) or
/// slowly (told after 15 minutes, logged after 30, reached after two hours).
fn handle_missed(
    events: &mut Vec<EventInput>,
    random: &mut Random,
    (person, visit, ids): (&str, &str, &Ids),
    missed: Instant,
    names: &Names,
    rs: &RuleSet,
) {
    let prompt = random.chance(HANDLED_PROMPTLY);
    let after = |m: u32| missed + Duration::minutes(i64::from(m));
    let (told, logged, found) = if prompt {
        (
            after(2 + random.below(5)),
            after(4 + random.below(9)),
            after(20 + random.below(41)),
        )
    } else {
        (after(15), after(30), after(120))
    };
    let boss = manager(names, rs, told);
    events.push(
        EventInput::new(told, person, EventKind::Notified)
            .id(ids.next("told"))
            .visit(visit)
            .role(&boss)
            .by(&names.coordinator),
    );
    events.push(
        EventInput::new(logged, person, EventKind::RecordMade)
            .id(ids.next("log"))
            .visit(visit)
            .log(&names.log)
            .by(manager(names, rs, logged)),
    );
    for (k, m) in [5, 10].into_iter().enumerate() {
        let reached = prompt && k == 1;
        events.push(
            EventInput::new(after(m), person, EventKind::ContactAttempt)
                .id(ids.next("call"))
                .visit(visit)
                .method(Method::Phone)
                .outcome(if reached {
                    Outcome::Reached
                } else {
                    Outcome::NoAnswer
                })
                .by(&names.coordinator),
        );
    }
    events.push(
        EventInput::new(found.max(after(11)), person, EventKind::ContactEstablished)
            .id(ids.next("found"))
            .visit(visit)
            .by(&names.worker),
    );
}

/// No answer at the door at `at`: two calls, the manager told, and the person found within
/// 25 to 90 minutes.
fn no_answer(
    events: &mut Vec<EventInput>,
    random: &mut Random,
    (person, visit, ids): (&str, &str, &Ids),
    at: Instant,
    names: &Names,
    rs: &RuleSet,
) {
    let after = |m: u32| at + Duration::minutes(i64::from(m));
    events.push(
        EventInput::new(at, person, EventKind::NoAnswer)
            .id(ids.next("no-answer"))
            .visit(visit)
            .by(&names.worker),
    );
    for m in [3, 8] {
        events.push(
            EventInput::new(after(m), person, EventKind::ContactAttempt)
                .id(ids.next("call"))
                .visit(visit)
                .method(Method::Phone)
                .outcome(Outcome::NoAnswer)
                .by(&names.worker),
        );
    }
    let told = after(10);
    events.push(
        EventInput::new(told, person, EventKind::Notified)
            .id(ids.next("told"))
            .visit(visit)
            .role(manager(names, rs, told))
            .by(&names.worker),
    );
    events.push(
        EventInput::new(
            after(25 + random.below(66)),
            person,
            EventKind::ContactEstablished,
        )
        .id(ids.next("found"))
        .visit(visit)
        .by(&names.worker),
    );
}
