//! The easy-read pictures: a small set drawn for Vigil (plain shapes, black on white, no
//! text in them), each with the words a screen reader says for it.

/// One picture of the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Picture {
    /// A sheet of paper and a pen: a draft to talk about.
    Draft,
    /// A clock: when we visit.
    Clock,
    /// A front door: when you do not answer.
    Door,
    /// A speech bubble: a message, however it comes (no phone: not everyone can use one).
    Message,
    /// Two people, one with a badge: we tell our manager.
    Manager,
    /// A magnifying glass: we look for you.
    Search,
    /// A group of three people: your family and friends.
    Family,
    /// A building with a flag: the council.
    Council,
    /// An ambulance: an emergency.
    Ambulance,
    /// A suitcase: when you are away.
    Away,
    /// Two hands meeting: what you agreed.
    Agree,
    /// A book: words to know.
    Words,
}

impl Picture {
    /// What the picture shows, for a screen reader (`alt` text).
    pub fn alt(self) -> &'static str {
        match self {
            Picture::Draft => "A sheet of paper and a pen",
            Picture::Clock => "A clock",
            Picture::Door => "A front door",
            Picture::Message => "A speech bubble",
            Picture::Manager => "Two people talking; one wears a badge",
            Picture::Search => "A magnifying glass",
            Picture::Family => "Three people standing together",
            Picture::Council => "A building with a flag on top",
            Picture::Ambulance => "An ambulance",
            Picture::Away => "A suitcase",
            Picture::Agree => "Two hands shaking",
            Picture::Words => "An open book",
        }
    }

    /// A short name, for file names and CSS classes.
    pub fn name(self) -> &'static str {
        match self {
            Picture::Draft => "draft",
            Picture::Clock => "clock",
            Picture::Door => "door",
            Picture::Message => "message",
            Picture::Manager => "manager",
            Picture::Search => "search",
            Picture::Family => "family",
            Picture::Council => "council",
            Picture::Ambulance => "ambulance",
            Picture::Away => "away",
            Picture::Agree => "agree",
            Picture::Words => "words",
        }
    }

    /// The picture as SVG, 96 pixels square, with its `alt` as a title.
    pub fn svg(self) -> String {
        let body = match self {
            Picture::Draft => {
                r#"<rect x="18" y="10" width="44" height="60" rx="3"/><line x1="26" y1="24" x2="54" y2="24"/><line x1="26" y1="34" x2="54" y2="34"/><line x1="26" y1="44" x2="44" y2="44"/><path d="M50 62 L70 38 L76 44 L56 68 L48 70 Z"/>"#
            }
            Picture::Clock => {
                r#"<circle cx="40" cy="40" r="30"/><line x1="40" y1="40" x2="40" y2="20"/><line x1="40" y1="40" x2="54" y2="48"/>"#
            }
            Picture::Door => {
                r#"<rect x="22" y="8" width="36" height="66"/><circle cx="50" cy="44" r="3"/><line x1="12" y1="74" x2="68" y2="74"/>"#
            }
            Picture::Message => {
                r#"<rect x="14" y="18" width="26" height="50" rx="4"/><line x1="22" y1="60" x2="32" y2="60"/><path d="M46 10 H74 V32 H58 L50 40 V32 H46 Z"/>"#
            }
            Picture::Manager => {
                r#"<circle cx="24" cy="22" r="9"/><path d="M10 66 V44 Q24 30 38 44 V66"/><circle cx="56" cy="22" r="9"/><path d="M42 66 V44 Q56 30 70 44 V66"/><rect x="52" y="46" width="8" height="6"/>"#
            }
            Picture::Search => {
                r#"<circle cx="34" cy="34" r="20"/><line x1="48" y1="48" x2="70" y2="70"/>"#
            }
            Picture::Family => {
                r#"<circle cx="20" cy="26" r="8"/><circle cx="40" cy="20" r="9"/><circle cx="60" cy="26" r="8"/><path d="M8 70 V48 Q20 36 32 48 V70"/><path d="M28 70 V44 Q40 30 52 44 V70"/><path d="M48 70 V48 Q60 36 72 48 V70"/>"#
            }
            Picture::Council => {
                r#"<path d="M10 34 L40 14 L70 34 Z"/><line x1="40" y1="14" x2="40" y2="4"/><path d="M40 4 H52 V10 H40"/><line x1="18" y1="38" x2="18" y2="66"/><line x1="32" y1="38" x2="32" y2="66"/><line x1="48" y1="38" x2="48" y2="66"/><line x1="62" y1="38" x2="62" y2="66"/><line x1="8" y1="70" x2="72" y2="70"/>"#
            }
            Picture::Ambulance => {
                r#"<rect x="8" y="26" width="48" height="32"/><path d="M56 36 H68 L74 46 V58 H56 Z"/><circle cx="22" cy="62" r="6"/><circle cx="62" cy="62" r="6"/><line x1="32" y1="34" x2="32" y2="50"/><line x1="24" y1="42" x2="40" y2="42"/>"#
            }
            Picture::Away => {
                r#"<rect x="14" y="26" width="52" height="40" rx="4"/><path d="M30 26 V16 H50 V26"/><line x1="14" y1="42" x2="66" y2="42"/>"#
            }
            Picture::Agree => {
                r#"<path d="M6 40 L24 30 L40 38 L56 30 L74 40"/><path d="M24 30 L40 50 L56 30"/><line x1="6" y1="40" x2="6" y2="54"/><line x1="74" y1="40" x2="74" y2="54"/>"#
            }
            Picture::Words => {
                r#"<path d="M8 18 Q24 12 40 20 Q56 12 72 18 V66 Q56 60 40 68 Q24 60 8 66 Z"/><line x1="40" y1="20" x2="40" y2="68"/>"#
            }
        };
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 80 80" role="img" aria-label="{alt}"><title>{alt}</title><g fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">{body}</g></svg>"##,
            alt = self.alt()
        )
    }
}
