//! The in-page contents of a long page (plan, results, period: `partials/toc.html`), filled in
//! at render time from the page's own headings, so it is there without JavaScript. The partial
//! writes [`TOC_TOKEN`] inside the list of an element; a page with the token is parsed once
//! (html5ever, through scraper), and the token becomes one link per `h2` with an `id` inside
//! `<main>` (outside the contents themselves and anything `hidden`), in page order. A page with
//! fewer than [`MIN_HEADINGS`] such headings needs no contents: the element holding the token
//! (the partial's `<details>`) is left out. Only the pages whose template includes the partial
//! pay for the parse.

use std::fmt::Write as _;

use scraper::{CaseSensitivity, ElementRef, Html, Node, Selector};

use super::theme::escape_text as escape;

/// Stands for the contents' list items in a rendered page (see `partials/toc.html`).
pub const TOC_TOKEN: &str = "<!--planpress:toc-->";
/// Fewer headings than this, no contents.
pub const MIN_HEADINGS: usize = 3;

/// One entry: the heading's id, its text, and the language marks it stands under when they
/// differ from the page's (a heading of a body in the fallback language).
#[derive(Debug, PartialEq)]
struct Entry {
    id: String,
    text: String,
    lang: Option<(String, Option<String>)>,
}

/// `html` with its contents filled in (or left out), or `None` when it has no [`TOC_TOKEN`].
pub fn fill(html: &str) -> Option<String> {
    let at = memchr::memmem::find(html.as_bytes(), TOC_TOKEN.as_bytes())?;
    let entries = headings(html);
    if entries.len() < MIN_HEADINGS {
        let (start, end) = holder(html, at);
        return Some(format!("{}{}", html[..start].trim_end_matches([' ', '\t']), &html[end..]));
    }
    let mut items = String::new();
    for e in &entries {
        let _ = write!(items, "<li><a href=\"#{}\"", escape(&e.id));
        if let Some((lang, dir)) = &e.lang {
            let _ = write!(items, " lang=\"{}\"", escape(lang));
            if let Some(dir) = dir {
                let _ = write!(items, " dir=\"{}\"", escape(dir));
            }
        }
        let _ = write!(items, ">{}</a></li>", escape(&e.text));
    }
    Some(format!("{}{items}{}", &html[..at], &html[at + TOC_TOKEN.len()..]))
}

/// The byte range of the element around the token at `at`: from the last `<details` before it to
/// the end of the first `</details>` after it, with the line's end; the token alone when there is
/// no such element.
fn holder(html: &str, at: usize) -> (usize, usize) {
    let before = &html[..at];
    let after = &html[at..];
    match (memchr::memmem::rfind(before.as_bytes(), b"<details"), memchr::memmem::find(after.as_bytes(), b"</details>")) {
        (Some(start), Some(end)) => {
            let end = at + end + "</details>".len();
            let end = end + usize::from(html[end..].starts_with('\n'));
            (start, end)
        }
        _ => (at, at + TOC_TOKEN.len()),
    }
}

/// The `h2[id]` headings of the page's `<main>` that the contents list.
fn headings(html: &str) -> Vec<Entry> {
    let doc = Html::parse_document(html);
    let h2 = Selector::parse("main h2[id]").expect("selector");
    let page_lang = doc.root_element().value().attr("lang").unwrap_or("");
    doc.select(&h2)
        .filter(|h| {
            !h.ancestors().filter_map(ElementRef::wrap).any(|a| {
                a.value().attr("hidden").is_some()
                    || a.value().name() == "template"
                    || a.value().has_class("page-toc", CaseSensitivity::CaseSensitive)
            })
        })
        .filter_map(|h| {
            let text = squash(&visible_text(h));
            let id = h.value().attr("id")?.to_owned();
            if text.is_empty() || id.is_empty() {
                return None;
            }
            // The nearest language mark: the heading's own, or that of a body in another language.
            let marked = std::iter::once(h).chain(h.ancestors().filter_map(ElementRef::wrap)).find(|e| e.value().attr("lang").is_some());
            let lang = marked.filter(|e| e.value().name() != "html").and_then(|e| {
                let lang = e.value().attr("lang")?;
                (lang != page_lang).then(|| (lang.to_owned(), e.value().attr("dir").map(str::to_owned)))
            });
            Some(Entry { id, text, lang })
        })
        .collect()
}

/// The heading's text without its counts (`.count`: "(11)") and what only screen readers hear
/// (`.visually-hidden`).
fn visible_text(el: ElementRef) -> String {
    let mut out = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e)
                if e.has_class("count", CaseSensitivity::CaseSensitive)
                    || e.has_class("visually-hidden", CaseSensitivity::CaseSensitive) => {}
            Node::Element(_) => out.push_str(&visible_text(ElementRef::wrap(child).expect("an element"))),
            _ => {}
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTIAL: &str = "<details class=\"page-toc\" open>\n  <summary>目录</summary>\n  <nav aria-label=\"目录\"><ol><!--planpress:toc--></ol></nav>\n</details>\n";

    fn page(body: &str) -> String {
        format!("<!doctype html><html lang=\"zh-Hans\"><head><title>t</title></head><body><header><h2 id=\"no\">header</h2></header><main>{PARTIAL}{body}</main></body></html>")
    }

    #[test]
    fn lists_the_main_h2_with_ids_in_order_without_counts() {
        let html = page(concat!(
            "<h2 id=\"a\">甲 <span class=\"count\">(11)</span></h2><h2>no id</h2>",
            "<div lang=\"en\" dir=\"ltr\"><h2 id=\"b\">B &amp; <em>c</em></h2></div>",
            "<div hidden><h2 id=\"hid\">hidden</h2></div><h3 id=\"h3\">three</h3>",
            "<h2 id=\"d\" lang=\"en\">D<span class=\"visually-hidden\"> x</span></h2>",
        ));
        let out = fill(&html).unwrap();
        assert!(
            out.contains(concat!(
                "<ol><li><a href=\"#a\">甲</a></li><li><a href=\"#b\" lang=\"en\" dir=\"ltr\">B &amp; c</a></li>",
                "<li><a href=\"#d\" lang=\"en\">D</a></li></ol>"
            )),
            "{out}"
        );
        assert!(!out.contains(TOC_TOKEN));
        assert_eq!(fill(&out), None, "filled once");
    }

    #[test]
    fn fewer_than_three_headings_leave_the_contents_out() {
        let html = page("<h2 id=\"a\">一</h2><h2 id=\"b\">二</h2>");
        let out = fill(&html).unwrap();
        assert!(!out.contains("page-toc") && !out.contains(TOC_TOKEN), "{out}");
        assert!(out.contains("<main><h2 id=\"a\">一</h2>"), "{out}");
    }

    #[test]
    fn a_page_without_the_token_is_left_alone() {
        assert_eq!(fill("<main><h2 id=\"a\">x</h2></main>"), None);
    }
}
