//! Pictures, written as SVG by Vigil itself: a person's ladders (`vigil show --format svg`) and
//! the duties of a decision on a time axis (`vigil eval --format svg`).
//!
//! Nothing depends on colour alone: every state is also written in words beside its mark, and
//! the drawing is black, grey and one red for what is overdue or the emergency override.

use std::fmt::Write as _;

use crate::eval::{Decision, Obligation, Status};
use crate::render::show::{PathwayView, PersonView};
use crate::rules::RuleSet;
use crate::time::Instant;

const FONT: &str = "font-family=\"Arial, Helvetica, sans-serif\"";
const RED: &str = "#b00020";

/// Text for SVG: the five XML characters escaped, hidden characters shown.
fn esc(text: &str) -> String {
    crate::wording::shown(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// At most `n` characters, with an ellipsis when cut (a box holds a line).
fn fit(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let cut: String = text.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

const BOX_W: i64 = 250;
const BOX_H: i64 = 84;
const COL: i64 = 300;
const ROW: i64 = 104;

/// The ladders of a person's view: each pathway a panel; each step a box (its name, who, by
/// when) in a column by how many steps it waits for, and a row by its order; an arrow from
/// the step it follows, labelled with the end it takes; the trigger a circle at the top left.
pub fn ladder(v: &PersonView) -> String {
    let mut body = String::new();
    let mut y = 20;
    let mut width = 600;
    let title = super::show::heading_line(v);
    let _ = writeln!(
        body,
        "<text x=\"20\" y=\"{y}\" {FONT} font-size=\"16\" font-weight=\"bold\">{}</text>",
        esc(&title)
    );
    y += 20;
    width = width.max(40 + 11 * title.chars().count() as i64);
    for p in &v.pathways {
        let (panel, w, h) = pathway_panel(p, y);
        body.push_str(&panel);
        width = width.max(w);
        y += h + 20;
    }
    wrap(&body, width, y)
}

fn wrap(body: &str, width: i64, height: i64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 Z\" fill=\"#000\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n{body}</svg>\n"
    )
}

/// One pathway's panel at `top`: its SVG, width and height.
fn pathway_panel(p: &PathwayView, top: i64) -> (String, i64, i64) {
    let steps = &p.steps;
    // Column: how many `after`s lead back to the trigger.
    let mut depth = vec![0i64; steps.len()];
    for (i, s) in steps.iter().enumerate() {
        if let Some((before, _)) = &s.after {
            if let Some(b) = steps.iter().position(|x| &x.name == before) {
                depth[i] = depth.get(b).copied().unwrap_or(0) + 1;
            }
        }
    }
    let cols = depth.iter().max().copied().unwrap_or(0) + 1;
    let width = 60 + cols * COL;
    let height = 70 + steps.len() as i64 * ROW;
    let stroke = if p.emergency { RED } else { "#000" };
    let mut out = String::new();
    let label = if p.emergency {
        format!("{} (the emergency override)", p.display)
    } else {
        p.display.clone()
    };
    let _ = writeln!(out, "<g>\n<rect x=\"10\" y=\"{top}\" width=\"{}\" height=\"{height}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\" rx=\"8\"/>", width - 20);
    let _ = writeln!(out, "<text x=\"24\" y=\"{}\" {FONT} font-size=\"15\" font-weight=\"bold\" fill=\"{stroke}\">{}</text>", top + 22, esc(&label));
    let _ = writeln!(
        out,
        "<text x=\"24\" y=\"{}\" {FONT} font-size=\"12\">{}</text>",
        top + 40,
        esc(&fit(&p.trigger, 90))
    );
    let at = |i: usize| {
        (
            30 + depth.get(i).copied().unwrap_or(0) * COL,
            top + 56 + i as i64 * ROW,
        )
    };
    for (i, s) in steps.iter().enumerate() {
        let (x, y) = at(i);
        step_box(&mut out, (i, s), (x, y));
        if let Some((before, how)) = &s.after {
            if let Some(b) = steps.iter().position(|x| &x.name == before) {
                let (bx, by_) = at(b);
                let (x1, y1) = (bx + BOX_W, by_ + BOX_H / 2);
                let (x2, y2) = (x, y + BOX_H / 2);
                let _ = writeln!(out, "<path d=\"M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}\" fill=\"none\" stroke=\"#000\" marker-end=\"url(#arrow)\"/>", x1 + 30, x2 - 30);
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"11\" fill=\"#444\" text-anchor=\"end\">{}</text>",
                    x2 - 8,
                    y2 - 8,
                    esc(&fit(how, 16))
                );
            }
        }
    }
    out.push_str("</g>\n");
    (out, width, height)
}

/// One step's box at `(x, y)`: its number and name, who, by when, and when it applies.
fn step_box(out: &mut String, (i, s): (usize, &crate::render::show::StepView), (x, y): (i64, i64)) {
    let by = s.by.as_deref().unwrap_or("no deadline");
    let _ = writeln!(out, "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" fill=\"#fff\" stroke=\"#000\" rx=\"4\"/>");
    for (k, line) in [
        format!("{}. {}", i + 1, s.name),
        // An alias's name alone: who it stands for is in `vigil show`'s text.
        fit(s.who.split(" (").next().unwrap_or(&s.who), 40),
        fit(by, 40),
        // When it applies, so that twins (in hours, out of hours) do not look as if both
        // always happen.
        s.when
            .as_ref()
            .map_or_else(String::new, |w| fit(&format!("when {w}"), 40)),
    ]
    .iter()
    .enumerate()
    {
        let weight = if k == 0 { " font-weight=\"bold\"" } else { "" };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"12\"{weight}>{}</text>",
            x + 8,
            y + 18 + k as i64 * 18,
            esc(line)
        );
    }
}

/// The duties of a decision on a time axis, episode by episode: each duty a bar from when it
/// started to its due time, its outcome marked and written; the events of the episode as
/// ticks on the axis; `as_of` a vertical line marked "now".
pub fn timeline(d: &Decision, rs: &RuleSet, tl: &crate::timeline::Timeline) -> String {
    let shown: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| o.due.is_some() || o.status != Status::NotRequired)
        .collect();
    let start = shown
        .iter()
        .map(|o| o.opened_at)
        .min()
        .unwrap_or(d.as_of)
        .min(d.as_of);
    let end = shown
        .iter()
        .filter_map(|o| o.due.max(o.done_at))
        .max()
        .unwrap_or(d.as_of)
        .max(d.as_of);
    let span = (end - start).num_seconds().max(60) as f64;
    let (left, plot) = (330.0, 700.0);
    let x = |t: Instant| left + plot * ((t - start).num_seconds() as f64 / span);
    let clock = |t: Instant| {
        t.with_timezone(&rs.timezone())
            .format("%H:%M %a %-d %b")
            .to_string()
    };
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<text x=\"20\" y=\"24\" {FONT} font-size=\"16\" font-weight=\"bold\">Duties at {}</text>",
        esc(&clock(d.as_of))
    );
    let mut y = 50.0;
    let mut episode = "";
    for o in &shown {
        if *o.episode != *episode {
            episode = &o.episode;
            y += 14.0;
            let _ =
                writeln!(
                body,
                "<text x=\"20\" y=\"{y}\" {FONT} font-size=\"13\" font-weight=\"bold\">{}</text>",
                // The person and what started it, in words: ids stay out of what people read.
                esc(&fit(&format!("{}: {}", o.person, o.because.first().map_or("", |b| &**b)), 110))
            );
            y += 18.0;
            events(
                &mut body,
                tl,
                (&o.person, y),
                (start, end, d.as_of),
                &x,
                &clock,
            );
            y += 10.0;
        }
        y += 26.0;
        body.push_str(&bar(o, y, &x, &clock));
    }
    let height = y + 60.0;
    axis(&mut body, (start, end), (left, plot, height), &clock);
    // "Now" is drawn first, under the bars and their words, so that it never hides them.
    let now = x(d.as_of);
    let mut under = String::new();
    let _ = writeln!(
        under,
        "<line x1=\"{now:.1}\" y1=\"40\" x2=\"{now:.1}\" y2=\"{:.1}\" stroke=\"{RED}\" stroke-width=\"2\"/>",
        height - 40.0
    );
    let _ = writeln!(
        under,
        "<text x=\"{:.1}\" y=\"38\" {FONT} font-size=\"12\" fill=\"{RED}\">now {}</text>",
        now + 4.0,
        esc(&clock(d.as_of))
    );
    under.push_str(&body);
    wrap(&under, (left + plot + 180.0) as i64, height as i64)
}

/// The person's events in the window, as small marks on the episode's heading line, each
/// named (a label where there is room, and always as the mark's title).
fn events(
    out: &mut String,
    tl: &crate::timeline::Timeline,
    (person, y): (&str, f64),
    (start, end, as_of): (Instant, Instant, Instant),
    x: &dyn Fn(Instant) -> f64,
    clock: &dyn Fn(Instant) -> String,
) {
    let Some(who) = tl.person_index(person) else {
        return;
    };
    let mut last_label = f64::MIN;
    // The events considered: those after `as_of` are not part of the answer.
    let until = end.min(as_of);
    for e in tl
        .events
        .iter()
        .filter(|e| e.person == who && e.at >= start && e.at <= until)
    {
        let kind = e.data.event_kind().map_or("event", |k| k.name());
        let px = x(e.at);
        let _ = writeln!(
            out,
            "<path d=\"M{px:.1} {:.1} l-4 -8 h8 Z\" fill=\"#000\"><title>{} at {}</title></path>",
            y + 2.0,
            esc(kind),
            esc(&clock(e.at))
        );
        if px - last_label > 70.0 {
            let _ = writeln!(out, "<text x=\"{px:.1}\" y=\"{:.1}\" {FONT} font-size=\"9\" text-anchor=\"middle\">{}</text>", y - 10.0, esc(&fit(kind, 14)));
            last_label = px;
        }
    }
}

/// One duty's row: its name on the left, its bar, its outcome in words on the right.
fn bar(
    o: &Obligation,
    y: f64,
    x: &dyn Fn(Instant) -> f64,
    clock: &dyn Fn(Instant) -> String,
) -> String {
    let mut out = String::new();
    let name = o.id.rsplit('/').next().unwrap_or(&o.id);
    let _ = writeln!(
        out,
        "<text x=\"20\" y=\"{:.1}\" {FONT} font-size=\"12\">{}</text>",
        y + 4.0,
        esc(&fit(&format!("{name}: {}", o.role_name), 48))
    );
    let x0 = x(o.opened_at);
    let Some(due) = o.due else {
        let _ = writeln!(
            out,
            "<circle cx=\"{x0:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"none\" stroke=\"#000\"/>"
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\">{}</text>",
            x0 + 10.0,
            y + 4.0,
            esc(o.status.as_str())
        );
        return out;
    };
    let x1 = x(due).max(x0 + 2.0);
    let (fill, dash) = match o.status {
        Status::Done | Status::DoneLate => ("#000", ""),
        Status::Overdue => (RED, ""),
        Status::NotRequired => ("#bbb", " stroke-dasharray=\"4 3\""),
        _ => ("#fff", ""),
    };
    let _ = writeln!(out, "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{fill}\" stroke=\"#000\"{dash}/>", y - 6.0, x1 - x0);
    let outcome = match (o.status, o.done_at) {
        (Status::Done | Status::DoneLate, Some(t)) => {
            let dx = x(t);
            let _ = writeln!(out, "<path d=\"M{:.1} {:.1} l4 6 l8 -12\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/>", dx - 6.0, y - 14.0);
            format!("{} {}", o.status.as_str().replace('_', " "), clock(t))
        }
        (Status::Overdue, _) => format!("OVERDUE, due {}", clock(due)),
        (Status::Due, _) => format!("due {}", clock(due)),
        (s, _) => format!("{}, due {}", s.as_str().replace('_', " "), clock(due)),
    };
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\">{}</text>",
        x1 + 6.0,
        y + 4.0,
        esc(&outcome)
    );
    out
}

/// The time axis at the bottom, with a tick at each hour (or each day, for long spans).
fn axis(
    out: &mut String,
    (start, end): (Instant, Instant),
    (left, plot, height): (f64, f64, f64),
    clock: &dyn Fn(Instant) -> String,
) {
    let y = height - 30.0;
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#000\"/>",
        left + plot
    );
    let span = (end - start).num_seconds().max(60);
    let step = [900, 1800, 3600, 3 * 3600, 6 * 3600, 86_400]
        .into_iter()
        .find(|s| span / s <= 8)
        .unwrap_or(7 * 86_400);
    let first = start.timestamp() / step * step + step;
    let mut t = first;
    while t <= end.timestamp() {
        if let Some(at) = chrono::DateTime::from_timestamp(t, 0) {
            let px = left + plot * ((t - start.timestamp()) as f64 / span as f64);
            let _ = writeln!(
                out,
                "<line x1=\"{px:.1}\" y1=\"{y}\" x2=\"{px:.1}\" y2=\"{}\" stroke=\"#000\"/>",
                y + 5.0
            );
            let _ = writeln!(out, "<text x=\"{px:.1}\" y=\"{}\" {FONT} font-size=\"10\" text-anchor=\"middle\">{}</text>", y + 18.0, esc(&clock(at)));
        }
        t += step;
    }
}

/// The chart of a governance pack: missed and late visits in each week of an audit, one
/// pair of bars per week, each bar labelled with its number and what it counts (missed in
/// red, late in grey, so the words carry it without the colours).
pub fn weekly_chart(a: &crate::audit::Audit) -> String {
    let weeks = &a.weeks;
    let most = weeks
        .iter()
        .map(|w| w.visits.missed.max(w.visits.late))
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, top, plot_h, slot) = (60_i64, 50_i64, 200_i64, 90_i64);
    let width = left + slot * (weeks.len().max(1) as i64) + 20;
    let height = top + plot_h + 60;
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<text x=\"20\" y=\"24\" {FONT} font-size=\"16\" font-weight=\"bold\">Missed and late visits per week</text>"
    );
    // The axis, with its greatest value.
    let base = top + plot_h;
    let _ = writeln!(
        body,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\" stroke=\"black\"/>\n<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"black\"/>\n<text x=\"{}\" y=\"{}\" {FONT} font-size=\"11\" text-anchor=\"end\">{most}</text>\n<text x=\"{}\" y=\"{base}\" {FONT} font-size=\"11\" text-anchor=\"end\">0</text>",
        width - 10,
        left - 6,
        top + 4,
        left - 6
    );
    for (i, w) in weeks.iter().enumerate() {
        let x0 = left + 10 + slot * i as i64;
        for (j, (n, what, colour)) in [
            (w.visits.missed, "missed", RED),
            (w.visits.late, "late", "#777777"),
        ]
        .into_iter()
        .enumerate()
        {
            let h = plot_h * n as i64 / most as i64;
            let x = x0 + 36 * j as i64;
            let _ = writeln!(
                body,
                "<rect x=\"{x}\" y=\"{}\" width=\"30\" height=\"{h}\" fill=\"{colour}\"><title>{n} {what} in the week of {}</title></rect>\n<text x=\"{}\" y=\"{}\" {FONT} font-size=\"11\" text-anchor=\"middle\">{n} {what}</text>",
                base - h,
                esc(&w.starts),
                x + 15,
                base - h - 4
            );
        }
        let _ = writeln!(
            body,
            "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x0 + 33,
            base + 16,
            esc(&w.starts)
        );
    }
    let _ = writeln!(
        body,
        "<text x=\"{left}\" y=\"{}\" {FONT} font-size=\"11\">Weeks start on Monday ({}); {} visits planned in all, {} missed, {} late.</text>",
        base + 40,
        esc(&a.zone),
        a.visits.planned,
        a.visits.missed,
        a.visits.late
    );
    wrap(&body, width.max(420), height)
}
