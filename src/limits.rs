//! The bounds Vigil keeps to on what it reads, so that no file (a garbled export, a runaway
//! script, a hostile one) can hang it, exhaust memory or overflow its stack. Each is far
//! beyond any real provider's files, is refused with a clear, located error naming the limit,
//! and can be raised: on the command line by the flag each field names, in the library by
//! setting the field. docs/reliability.md lists them with their costs.

/// The limits in force.
///
/// ```
/// let mut limits = vigil::Limits::default();
/// assert_eq!(limits.events, 2_000_000);
/// limits.events = 5_000_000; // a provider's whole year in one file
/// assert_eq!(limits.nesting(), 64);
/// assert_eq!(limits.roles, 200);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest file read, in bytes (`--max-file-mib`, in MiB).
    pub file_bytes: u64,
    /// The longest line of a `.vigil` file, or of a YAML or NDJSON timeline, in characters
    /// (`--max-line-chars`). A JSON timeline written on one line is not held to it.
    pub line_chars: usize,
    /// The most events one timeline may hold (`--max-events`).
    pub events: usize,
    /// The deepest brackets may nest, in a condition or in a timeline, and the most `not`s in
    /// a row (`--max-nesting`); never more than [`Limits::NESTING_CEILING`].
    pub nesting: usize,
    /// The longest deadline, threshold or window a rule may state, in days
    /// (`--max-deadline-days`); never more than [`Limits::DEADLINE_CEILING_DAYS`].
    pub deadline_days: u32,
    /// The most roles one framework may declare (`--max-roles`). Who may act for whom is
    /// worked out for every pair of roles, so the cost grows with their number squared: a
    /// file declaring 16,000 roles, each covering the one before, took 375 MB.
    pub roles: usize,
    /// The most occurrences of the people's protocol visits one evaluation may watch
    /// (`--max-watched-visits`; [`crate::rules::RuleSet::protocol_visits_watched`]). They are
    /// made from the record's length, not read from the file, so a few lines naming a century
    /// would otherwise make millions of visits, each missed, with its duties.
    pub watched_visits: u64,
    /// The most scheduled governance duties (`daily at 17:00`, `3 times each week`) one
    /// evaluation may open (`--max-scheduled-duties`;
    /// [`crate::rules::RuleSet::scheduled_duties`]): made from the record's length as the
    /// protocol visits are, a century of a check every five minutes is ten million duties.
    pub scheduled_duties: u64,
}

impl Limits {
    /// The deepest nesting ever followed, whatever is asked. The default (64) reads safely on
    /// any thread Rust starts (2 MiB of stack); nesting up to this ceiling needs more (the
    /// `vigil` command runs on 64 MiB), so a host raising `nesting` past 64 should check and
    /// load on a thread with as much.
    pub const NESTING_CEILING: usize = 256;
    /// The longest deadline ever allowed, whatever is asked: a deadline counted in a
    /// calendar's open time is searched for within 400 days.
    pub const DEADLINE_CEILING_DAYS: u32 = 366;

    /// The nesting limit in force (at most [`Limits::NESTING_CEILING`]).
    pub fn nesting(&self) -> usize {
        self.nesting.min(Self::NESTING_CEILING)
    }

    /// The longest deadline in force, in seconds (at most [`Limits::DEADLINE_CEILING_DAYS`]).
    pub fn deadline_secs(&self) -> u64 {
        u64::from(self.deadline_days.min(Self::DEADLINE_CEILING_DAYS)) * 86_400
    }

    /// The longest deadline in force, in days.
    pub fn deadline_days(&self) -> u32 {
        self.deadline_days.min(Self::DEADLINE_CEILING_DAYS)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 256 << 20,
            line_chars: 10_000,
            events: 2_000_000,
            nesting: 64,
            deadline_days: 90,
            roles: 200,
            watched_visits: 25_000,
            scheduled_duties: 25_000,
        }
    }
}
