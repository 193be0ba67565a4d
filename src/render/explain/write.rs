//! Writing an explained document as text, Markdown or HTML.

use super::{Doc, Picture};
use crate::wording::shown;

/// The document as plain text; each sentence's source is listed at the end, for the member
/// of staff who goes through it with the person.
pub fn to_text(doc: &Doc) -> String {
    let mut out = format!("{}\n\n", shown(&doc.title));
    for s in &doc.notice {
        out.push_str(&format!("{}\n", shown(&s.text)));
    }
    for b in &doc.blocks {
        out.push_str(&format!("\n{}\n", shown(&b.heading)));
        if let Some(p) = b.picture {
            out.push_str(&format!("[picture: {}]\n", p.alt()));
        }
        for s in &b.sentences {
            out.push_str(&format!("  {}\n", shown(&s.text)));
        }
    }
    glossary_text(&mut out, doc);
    // The staff version says where each step is written in the step itself.
    if !doc.easy {
        return out;
    }
    out.push_str("\nWhere each sentence comes from:\n");
    for s in doc
        .notice
        .iter()
        .chain(doc.blocks.iter().flat_map(|b| &b.sentences))
    {
        out.push_str(&format!("  - {}: {}\n", shown(&s.text), shown(&s.source)));
    }
    out
}

fn glossary_text(out: &mut String, doc: &Doc) {
    if doc.glossary.is_empty() {
        return;
    }
    out.push_str("\nWords to know\n");
    for (word, meaning) in &doc.glossary {
        out.push_str(&format!("  {word}: {}\n", shown(meaning)));
    }
}

/// The document as Markdown; each sentence's source is an HTML comment after it.
pub fn to_markdown(doc: &Doc) -> String {
    let mut out = format!("# {}\n\n", md(&doc.title));
    for s in &doc.notice {
        out.push_str(&format!("**{}** ", md(&s.text)));
    }
    out.push('\n');
    for b in &doc.blocks {
        out.push_str(&format!("\n## {}\n\n", md(&b.heading)));
        if let Some(p) = b.picture {
            out.push_str(&format!("![{}](pictures/{}.svg)\n\n", p.alt(), p.name()));
        }
        for s in &b.sentences {
            out.push_str(&format!(
                "- {} <!-- from {} -->\n",
                md(&s.text),
                md(&s.source).replace("--", "- -")
            ));
        }
    }
    if !doc.glossary.is_empty() {
        out.push_str("\n## Words to know\n\n");
        for (word, meaning) in &doc.glossary {
            out.push_str(&format!("- **{}**: {}\n", md(word), md(meaning)));
        }
    }
    out
}

/// Text for Markdown: `|`, `*` and `_` escaped outside code spans (inside one a backslash
/// would show), and a leading "4." kept as text rather than read as a numbered list.
fn md(text: &str) -> String {
    let mut out = crate::wording::outside_quotes(&shown(text), |part| {
        part.replace('|', "\\|")
            .replace('*', "\\*")
            .replace('_', "\\_")
    });
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(". ") {
        out.insert(digits, '\\');
    }
    out
}

fn html(text: &str) -> String {
    shown(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The style sheet: sans-serif at 18 points (16 at least, as the guidance asks), line height
/// 1.5, black on white, no italics, no underlining, no capitals set by style.
const STYLE: &str = "body{font-family:Arial,Helvetica,sans-serif;font-size:18pt;line-height:1.5;color:#000;background:#fff;max-width:40em;margin:1em auto;padding:0 1em}\
h1,h2{font-size:20pt;font-weight:bold;font-style:normal;text-transform:none}\
.block{display:grid;grid-template-columns:112px 1fr;gap:1em;align-items:start;margin:1.5em 0}\
p{margin:0 0 .5em 0}a{text-decoration:none;color:#000}em,i{font-style:normal}";

/// The document as one HTML page, pictures inline: each block its picture on the left and
/// its words on the right; each sentence carries its source in `data-source`.
pub fn to_html(doc: &Doc) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        html(&doc.title),
        html(&doc.title)
    );
    let notice = doc.notice.iter().map(|s| (Some(Picture::Draft), s));
    if doc.easy {
        block(
            &mut out,
            "",
            Some(Picture::Draft),
            &notice.map(|(_, s)| s.clone()).collect::<Vec<_>>(),
        );
    } else {
        for (_, s) in notice {
            out.push_str(&format!(
                "<p data-source=\"{}\">{}</p>\n",
                html(&s.source),
                html(&s.text)
            ));
        }
    }
    for b in &doc.blocks {
        block(&mut out, &b.heading, b.picture, &b.sentences);
    }
    if !doc.glossary.is_empty() {
        let words: Vec<super::Sentence> = doc
            .glossary
            .iter()
            .map(|(w, m)| super::Sentence::new(format!("{w}: {m}"), "glossary"))
            .collect();
        block(
            &mut out,
            "Words to know",
            doc.easy.then_some(Picture::Words),
            &words,
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn block(out: &mut String, heading: &str, picture: Option<Picture>, sentences: &[super::Sentence]) {
    if !heading.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n", html(heading)));
    }
    match picture {
        Some(p) => out.push_str(&format!(
            "<div class=\"block\">\n<div>{}</div>\n<div>\n",
            p.svg()
        )),
        None => out.push_str("<div>\n<div>\n"),
    }
    for s in sentences {
        out.push_str(&format!(
            "<p data-source=\"{}\">{}</p>\n",
            html(&s.source),
            html(&s.text)
        ));
    }
    out.push_str("</div>\n</div>\n");
}
