//! `vigil eval --watch`: the duty list kept up to date. It evaluates at the clock (the one
//! place besides a default `as_of` where Vigil reads it; the evaluator stays a pure function
//! of the instant it is given), prints the list, then sleeps until the decision's
//! `next_change`, the next event the timeline holds for later, or a change to the timeline
//! file (read every second), whichever comes first, and prints only what changed
//! (`vigil::render::changes`). Ctrl-C stops it cleanly, with exit code 0.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use vigil::eval::{Decision, VersionedTimeline};
use vigil::render::changes;
use vigil::render::plain::Names;
use vigil::render::{ndjson, text};
use vigil::rules::{RuleSet, Versions};
use vigil::time::Instant;
use vigil::timeline::Timeline;

use super::eval::{self, Args};
use super::{EvalFormat, Exit};

/// How often the loop wakes to see whether Ctrl-C was pressed.
const TICK: Duration = Duration::from_millis(100);
/// How often the timeline file is read again.
const POLL: Duration = Duration::from_secs(1);

/// Whether `--watch` can do what the rest of the command line asks: it re-reads a file, and
/// prints changes as text or ndjson. (`--at` and `--audit` are refused by the parser.)
fn usable(args: &Args<'_>) -> Result<(), Exit> {
    let problem = if args.timeline == std::path::Path::new("-") {
        Some("--watch reads the timeline file again when it changes, so it needs a file, not `-`")
    } else if matches!(
        args.format,
        EvalFormat::Json | EvalFormat::Csv | EvalFormat::Svg
    ) {
        Some("--watch prints what changed as text or ndjson; use --format text or --format ndjson")
    } else {
        None
    };
    match problem {
        Some(p) => {
            args.say().error("usage", p);
            Err(Exit::Usage)
        }
        None => Ok(()),
    }
}

/// One evaluation as shown: the decision after the filters, and the names its reasons use.
struct Shown {
    decision: Decision,
    names: Names,
}

/// Evaluate at the clock (each episode by the version in force when it opened), and keep
/// what the filters allow.
fn decide(args: &Args<'_>, versions: &Versions, timeline: &VersionedTimeline) -> Shown {
    let now = chrono::Utc::now();
    let mut decision = versions.evaluate(timeline, now);
    let (rs, reading) = in_force(versions, timeline, now);
    if let Some(key) = args.redact {
        eval::redact_notes(&mut decision, rs, key);
    }
    let names = Names::new(&decision, rs, reading);
    eval::apply_filters(args, rs, timeline.readings(), &mut decision);
    Shown { decision, names }
}

/// The version in force at `t`, and the timeline as it reads it.
fn in_force<'v>(
    versions: &'v Versions,
    timeline: &'v VersionedTimeline,
    t: Instant,
) -> (&'v RuleSet, &'v Timeline) {
    let rs = versions.in_force(t);
    let i = versions
        .all()
        .iter()
        .position(|v| v.version() == rs.version());
    let empty: &Timeline = timeline.latest().unwrap_or_else(|| empty_timeline());
    let reading = i.and_then(|i| timeline.readings().get(i)).unwrap_or(empty);
    (rs, reading)
}

/// A timeline with nothing in it, for a reading that is not there.
fn empty_timeline() -> &'static Timeline {
    static EMPTY: std::sync::OnceLock<Timeline> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Timeline::default)
}

/// When to evaluate again with no change to the file: the decision's next change, or the
/// next event the timeline records for later (it counts once the clock passes it), in any
/// version's reading of it.
fn wake_at(d: &Decision, timeline: &VersionedTimeline) -> Option<Instant> {
    let next_event = timeline
        .readings()
        .iter()
        .filter_map(|t| t.events.iter().map(|e| e.at).find(|t| *t > d.as_of))
        .min();
    match (d.next_change, next_event) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Check the rules, then watch the timeline until Ctrl-C.
pub fn run(args: &Args<'_>) -> Exit {
    let watched = usable(args)
        .and_then(|()| eval::versions(args))
        .and_then(|versions| watch(args, &versions));
    match watched {
        Ok(exit) | Err(exit) => exit,
    }
}

/// Watch until Ctrl-C.
fn watch(args: &Args<'_>, versions: &Versions) -> Result<Exit, Exit> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        args.say()
            .error("io", &format!("cannot catch Ctrl-C to stop cleanly: {e}"));
        return Err(Exit::Usage);
    }
    let (name, text) = eval::read_timeline(args.timeline, args.say())?;
    let readings = eval::load_versions(args, versions, &name, &text)?;
    let mut timeline = versions.timeline(readings).ok_or(Exit::Usage)?;
    let mut seen = Seen {
        text,
        unreadable: false,
    };
    let rs = versions.in_force(chrono::Utc::now());
    eval::check_filters(args, rs, timeline.readings())?;
    eval::within_watch_limit(args.say(), &name, versions, &timeline, chrono::Utc::now())?;
    let mut shown = decide(args, versions, &timeline);
    eval::write_watched(args, &first(args, rs, &shown, &name))?;
    let mut wake = wake_at(&shown.decision, &timeline);
    let mut last_read = std::time::Instant::now();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(TICK);
        let mut edited = false;
        if last_read.elapsed() >= POLL {
            last_read = std::time::Instant::now();
            // An edit past the limit is said, and the last good list kept, as for any bad
            // edit.
            if let Some(t) = reread(args, versions, &mut seen).filter(|t| {
                eval::within_watch_limit(args.say(), &name, versions, t, chrono::Utc::now()).is_ok()
            }) {
                timeline = t;
                edited = true;
            }
        }
        if !edited && wake.is_none_or(|w| chrono::Utc::now() < w) {
            continue;
        }
        let next = decide(args, versions, &timeline);
        let rs = versions.in_force(next.decision.as_of);
        let found = changes::between(&shown.decision, &next.decision);
        if !found.is_empty() {
            let out = match args.format {
                EvalFormat::Ndjson => changes::ndjson(&found, &next.decision),
                _ => changes::text(&found, &next.decision, rs, &view(args, &next)),
            };
            eval::write_watched(args, &out)?;
        }
        wake = wake_at(&next.decision, &timeline);
        shown = next;
    }
    let now = chrono::Utc::now();
    let at = now
        .with_timezone(&versions.in_force(now).timezone())
        .format("%H:%M:%S %a %d %b");
    match args.format {
        EvalFormat::Ndjson => errln!("stopped watching at {at}"),
        _ => eval::write_watched(args, &format!("\nStopped watching at {at}.\n"))?,
    }
    Ok(Exit::Ok)
}

fn view<'a>(args: &Args<'_>, shown: &'a Shown) -> text::View<'a> {
    text::View {
        names: &shown.names,
        width: args.colour.width(),
    }
}

/// What is printed first: the whole list (or every obligation's line), as `eval` prints it.
fn first(args: &Args<'_>, rs: &RuleSet, shown: &Shown, name: &str) -> String {
    match args.format {
        EvalFormat::Ndjson => ndjson::decision(&shown.decision),
        _ => format!(
            "Watching {}: the list at the clock, then what changes; Ctrl-C stops.\n\n{}",
            vigil::wording::shown(name),
            text::decision(&shown.decision, rs, &view(args, shown))
        ),
    }
}

/// What the watch last read of the timeline file.
struct Seen {
    text: String,
    /// The file could not be read at the last look (said once, not every second).
    unreadable: bool,
}

/// The timeline again if its file changed and still loads. A file that cannot be read is
/// said once; one that does not load has its errors printed; either way the last good
/// timeline stands.
fn reread(args: &Args<'_>, versions: &Versions, seen: &mut Seen) -> Option<VersionedTimeline> {
    let Ok(now) = std::fs::read_to_string(args.timeline) else {
        if !seen.unreadable {
            seen.unreadable = true;
            let _ = eval::read_timeline(args.timeline, args.say());
            errln!("note: watching on with the timeline as last read");
        }
        return None;
    };
    seen.unreadable = false;
    if now == seen.text {
        return None;
    }
    seen.text = now;
    let name = args.timeline.display().to_string();
    let readings = eval::load_versions(args, versions, &name, &seen.text).ok()?;
    versions.timeline(readings)
}
