//! Timeline errors: a stable code, the place, the field, what is wrong and what to do.
//!
//! The codes are one table, `error_codes!`, so that the list, the names, the titles and the
//! explanations cannot drift apart; `docs/diagnostics.md` is generated from it and from one
//! fixture per code in `tests/fixtures/timeline/`.

use super::chars::shown;
use std::fmt;

/// Builds [`ErrorCode`] from one table: each line gives the variant, the code as printed, a
/// short name, a one-line title and a longer explanation.
macro_rules! error_codes {
    ($($variant:ident = $code:literal, $slug:literal, $title:literal, $explanation:literal;)*) => {
        /// Every timeline error's stable code. Codes are never reused or renumbered; see
        /// `docs/diagnostics.md` for each one's meaning, smallest example and fix.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "` ", $slug, ": ", $title, ".")]
                #[doc = ""]
                #[doc = $explanation]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code, in order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as printed: `T003`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// A short name for the code: `no-utc-offset`.
            pub fn slug(self) -> &'static str {
                match self { $(ErrorCode::$variant => $slug,)* }
            }

            /// What the code means, in one line: `a timestamp has no UTC offset`.
            pub fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title,)* }
            }

            /// Why Vigil refuses it and what to write instead, in a few sentences.
            pub fn explanation(self) -> &'static str {
                match self { $(ErrorCode::$variant => $explanation,)* }
            }
        }
    };
}

error_codes! {
    Empty = "T001", "empty-timeline",
        "the timeline is empty",
        "A file with nothing in it is a truncated or missing timeline, never a record that \
         nothing happened, so it is refused rather than reported as all clear; so is a YAML file \
         of comments alone, and `events:` with nothing after it (which YAML reads as null, not \
         as an empty list), and an NDJSON log of a header line alone. A timeline in which \
         nothing has happened yet is written `events: []` (in an NDJSON log, `\"events\": []` \
         in its header).";
    Unreadable = "T002", "unreadable",
        "the text is not a timeline",
        "The YAML or JSON does not parse, or its shape is not a timeline's: a top-level key \
         other than `as_of`, `from`, `persons` and `events`, no `events` list, or a value of the wrong type. The \
         message says in plain words what the reader found where it stopped (a tab used to \
         indent, a comment in JSON, a file cut short, two YAML documents in one file), and \
         the help what to write.";
    NoUtcOffset = "T003", "no-utc-offset",
        "a timestamp has no UTC offset",
        "A local time such as `2026-11-24T08:05:00` means a different instant in winter and in \
         summer, and two instants in the hour the clocks go back, so it is refused, never \
         guessed. Write the offset: `Z` for UTC, `+01:00` for British Summer Time.";
    BadTimestamp = "T004", "bad-timestamp",
        "a timestamp is not RFC 3339, or not from 2000 to 2099",
        "Instants (`at`, `as_of`, `from`, `planned`, `planned_end`) are RFC 3339 dates and \
         times with an offset, like `2026-11-24T08:00:00Z`. A date alone, a time alone, or \
         another layout is refused, and so is a 60th second (`23:59:60`: Vigil's clock has no \
         leap seconds). The year, as written, is from 2000 to 2099: a blank date exported as a \
         default (`0000-01-01`, `1900-01-01`, `1970-01-01`) or a year typed past 2099 would make \
         every duty since overdue, or none due for centuries.";
    MissingField = "T005", "missing-field",
        "an event lacks a field it needs",
        "Every event has `at`, `person` and `kind`, and each kind has attributes it cannot do \
         without: a `visit_planned` event needs `visit`, `planned` and a `criticality` (unless \
         its `slot` gives one), a `visit_cancelled` event the `reason` and who cancelled \
         (`by`), a \
         `notified` event the `role` told and who told them (`by`). `docs/decision.md` lists \
         what each kind requires.";
    UnknownKind = "T006", "unknown-kind",
        "an event's kind is not one Vigil knows",
        "The `kind` says what happened, from a fixed list (`visit_planned`, `arrived`, \
         `no_answer`, `notified`, ...). A misspelt kind is refused with the nearest known one, \
         never read as another.";
    UnknownAttribute = "T007", "unknown-attribute",
        "an event has an attribute no event takes",
        "An attribute Vigil does not know is usually a misspelling of one it does, and \
         ignoring it would lose what it records. Free text for people goes in `note`, which \
         every event accepts and Vigil never reads.";
    NotForKind = "T008", "attribute-not-for-kind",
        "an attribute does not apply to this kind of event",
        "Each kind takes its own attributes: a `criticality` belongs on `visit_planned`, an \
         `outcome` on `contact_attempt` or `contact_made`. An attribute on the wrong kind \
         usually means the kind is wrong, so it is refused rather than ignored.";
    UnknownPerson = "T009", "unknown-person",
        "an event is about a person no rule covers",
        "A person is known if a protocol covers them or the timeline plans a visit for them. \
         Otherwise no rule applies to their events, and a misspelt id would silently leave \
         them out of the decision.";
    UnknownVisit = "T010", "unknown-visit",
        "an event names a visit that is not planned",
        "An event's `visit` refers to a `visit_planned` event with that id anywhere in the \
         timeline. Plan the visit, or correct the id.";
    OtherPersonsVisit = "T011", "visit-of-another-person",
        "an event names a visit planned for someone else",
        "An event about one person cannot belong to a visit planned for another: the event's \
         `person` or its `visit` is wrong.";
    DuplicateId = "T012", "duplicate-id",
        "an event id or visit id is used twice",
        "Ids tie events to each other and to the reasons in a decision, so each is unique: \
         each planned visit has its own visit id and each event its own id. An event without \
         an id is named `kind@instant`, so two events of one kind at one instant need ids.";
    VisitEndsBeforeStart = "T013", "visit-ends-before-start",
        "a planned visit ends before it starts",
        "A visit's `planned_end` comes after its `planned` start. One of the two is wrong, \
         often in its date or its offset.";
    UnknownRole = "T014", "unknown-role",
        "an event names a role the framework does not declare",
        "`by` and `role` name roles declared in the framework. An alias such as `manager` \
         stands for different roles at different times, so a timeline names the role itself.";
    UnknownContact = "T015", "unknown-contact",
        "an event names a contact the person's protocol does not declare",
        "A `contact_made` event names one of the contacts declared in that person's protocol; \
         a person covered by no protocol has none.";
    UnknownValue = "T016", "unknown-value",
        "a value is not one the rules or the timeline format allow",
        "An `agency` or `log` names one the framework declares, a `criticality` one its \
         thresholds use, a `method` one of the contact methods (phone, text, door, at_alert, \
         video, email, intercom), and an `outcome` one that kind of event can record (`reached`, \
         `no_answer`, `not_available`, `refused`, `no_key`, `not_applicable`, `needs_help`, \
         `message_left`: docs/decision.md lists which apply where) or, on `decided`, one of \
         the decision's outcomes. An \
         observation's `what` is an observation the framework declares (not a group: record \
         which of its members was seen), and a record's `result` a result it declares: a \
         misspelt red flag would call no one, and a misspelt result would break a run of \
         `consecutive` results. No text may hold a control character (an escape sequence, a \
         carriage return; free text such as a `reason` may hold line breaks and tabs): \
         printed, it could rewrite the screen of whoever reads the duty list. No text may hold \
         a bidirectional control (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C), \
         which reorders what is shown, and no id or name a zero-width or invisible character \
         (U+200B to U+200D, U+2060, U+FEFF), which makes it a different name from the one it \
         looks like: retype the value.";
    UnknownSlot = "T017", "unknown-protocol-visit",
        "an event names a protocol visit the person does not have on that day",
        "A `slot` on a `visit_planned` event, or a visit id written `NAME@DATE`, names a \
         `visit` line of the person's protocol and a local date it runs on: \
         `morning@2026-11-24`. A misspelt name, a date the visit does not run on, or a person \
         with no protocol would leave the protocol's visit unwatched, so it is refused.";
    ConflictsWithProtocol = "T018", "conflicts-with-protocol",
        "a planned visit is less than its protocol visit asks",
        "A `visit_planned` event for a protocol visit may move it, but may not lower what the \
         person's protocol sets: a different `criticality`, or fewer carers (`staff`) than \
         the protocol's. Leave them out to take the protocol's, or change the protocol.";
    FarFromVisit = "T019", "far-from-its-visit",
        "an instant is implausibly far from the visit it belongs to",
        "A slip in a date or a year would move a visit out of sight or let one arrival count for \
         another day's visit, so these are refused: a visit planned more than a year after it \
         was planned (`2062` for `2026`) or more than a month before (last year's rota \
         copied), a protocol visit moved by more than a day (cancel \
         it and plan a visit of its own instead), and an arrival, no-answer or departure \
         recorded more than 6 hours before the visit's planned start or after its planned end \
         (its start, if it has none): usually the wrong visit, or a slip of the day or the \
         year.";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with a timeline: its code, the file, line and column, the field, and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TimelineError {
    /// Stable code.
    pub code: ErrorCode,
    /// The file as given.
    pub file: String,
    /// One-based line; 0 when there is no text to point into (a timeline built in code, a
    /// feed's event), and the field names the event.
    pub line: usize,
    /// One-based column (0 with line 0).
    pub column: usize,
    /// The field (`events[3].visit`), when one is to blame.
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
}

impl TimelineError {
    /// The error for a timeline `file` whose `bytes` are not UTF-8 text: T002, placed at the
    /// first byte that is not (the text before it is UTF-8, so its place is found the way
    /// every other place is).
    ///
    /// ```
    /// let e = vigil::timeline::TimelineError::not_utf8("t.ndjson", b"{}\n{\"at\": \"\xff\"}\n");
    /// assert_eq!((e.line, e.column), (2, 9));
    /// assert_eq!(e.to_string(), "t.ndjson:2:9: error[T002]: the timeline is not UTF-8 text (save it as UTF-8)");
    /// ```
    pub fn not_utf8(file: &str, bytes: &[u8]) -> TimelineError {
        let valid = match std::str::from_utf8(bytes) {
            Ok(all) => all,
            Err(e) => bytes
                .get(..e.valid_up_to())
                .and_then(|v| std::str::from_utf8(v).ok())
                .unwrap_or(""),
        };
        let (line, column) = crate::source::Source::new("", valid).line_col(valid.len());
        TimelineError {
            code: ErrorCode::Unreadable,
            file: file.to_string(),
            line,
            column,
            field: None,
            message: "the timeline is not UTF-8 text".into(),
            help: Some("save it as UTF-8".into()),
        }
    }
}

/// ``t.yaml:9:9: error[T003]: `events[1].at`: timestamp ... (write it with its offset ...)``:
/// the place first, as compilers print it, so editors can jump to it.
impl fmt::Display for TimelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: no text to point into (a timeline built in code, a feed's event); the
        // field names the event.
        if self.line == 0 {
            write!(f, "{}: error[{}]: ", self.file, self.code)?;
        } else {
            write!(
                f,
                "{}:{}:{}: error[{}]: ",
                self.file, self.line, self.column, self.code
            )?;
        }
        // Messages quote what the timeline says; a control character, a bidirectional control
        // or an invisible character in it is shown as an escape, never sent raw to the
        // terminal.
        if let Some(field) = &self.field {
            write!(f, "`{}`: ", shown(field))?;
        }
        f.write_str(&shown(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", shown(help))?;
        }
        Ok(())
    }
}

impl std::error::Error for TimelineError {}

/// Every problem found in one timeline (or one event given to a [`super::Feed`]), in the
/// order found: never only the first. Reads as a slice of [`TimelineError`]s, and is an
/// [`std::error::Error`] whose text is one error per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineErrors(pub Vec<TimelineError>);

impl TimelineErrors {
    /// `errors`, each said once, in the order first found: a planning event's instant is read
    /// by the plan and again by the shape check, and the same problem was printed twice
    /// (found by a docs-only tester).
    pub(super) fn said_once(errors: Vec<TimelineError>) -> TimelineErrors {
        let mut seen = crate::hash::set_with_capacity(errors.len());
        let keep: Vec<bool> = errors.iter().map(|e| seen.insert(e)).collect();
        let mut keep = keep.into_iter();
        let mut errors = errors;
        errors.retain(|_| keep.next().unwrap_or(true));
        TimelineErrors(errors)
    }
}

impl std::ops::Deref for TimelineErrors {
    type Target = [TimelineError];
    fn deref(&self) -> &[TimelineError] {
        &self.0
    }
}

impl IntoIterator for TimelineErrors {
    type Item = TimelineError;
    type IntoIter = std::vec::IntoIter<TimelineError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a TimelineErrors {
    type Item = &'a TimelineError;
    type IntoIter = std::slice::Iter<'a, TimelineError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<TimelineError>> for TimelineErrors {
    fn from(errors: Vec<TimelineError>) -> Self {
        TimelineErrors(errors)
    }
}

impl fmt::Display for TimelineErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TimelineErrors {}

impl TimelineErrors {
    /// Every error in the flat shape of the command line's JSON error document.
    pub fn problems(&self) -> Vec<crate::contract::Problem> {
        self.0.iter().map(crate::contract::Problem::from).collect()
    }
}

impl From<&TimelineError> for crate::contract::Problem {
    fn from(e: &TimelineError) -> crate::contract::Problem {
        crate::contract::Problem {
            code: e.code.as_str().to_string(),
            message: e.message.clone(),
            file: Some(e.file.clone()),
            line: Some(e.line).filter(|&l| l > 0),
            column: Some(e.column).filter(|&c| c > 0),
            field: e.field.clone(),
            help: e.help.clone(),
        }
    }
}
