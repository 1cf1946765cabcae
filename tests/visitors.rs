//! What visitors and web maintainers expect, tested on the example built into a temp dir:
//! fingerprinted assets with Subresource Integrity, sharing metadata and JSON-LD, Atom feeds and
//! the sitemap's `lastmod`. Search is in `search.rs`, the pages in a browser in `browser.rs`,
//! nginx in `deploy.rs`.

mod common;
mod visit;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use common::{tree, Site};
use scraper::Html;
use sha2::{Digest, Sha384};
use visit::{built, doc, read, sel, site_pages};

// ---------- 4. assets ----------

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

#[test]
fn css_and_js_are_fingerprinted_with_integrity() {
    let out = built();
    let files = tree(out);
    let statics: Vec<&String> = files.keys().filter(|p| p.starts_with("static/")).collect();
    for name in ["static/style.css", "static/search.js", "static/print.css"] {
        assert!(!files.contains_key(name), "unhashed {name} is written");
    }
    let hashed = |stem: &str, ext: &str| -> Vec<&String> {
        statics
            .iter()
            .copied()
            .filter(|p| {
                p.strip_prefix(&format!("static/{stem}."))
                    .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                    .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            })
            .collect()
    };
    assert_eq!(hashed("style", "css").len(), 1, "{statics:?}");
    assert_eq!(hashed("search", "js").len(), 1, "{statics:?}");
    assert_eq!(hashed("print", "css").len(), 1, "{statics:?}");
    assert!(files.contains_key("static/favicon.svg") && files.contains_key("static/og-default.png"));

    let mut checked = 0;
    for (page, _) in site_pages(out).into_iter().chain([("404.html".to_owned(), "zh".to_owned())]) {
        let html = doc(out, &page);
        let css: Vec<_> = html.select(&sel("link[rel=stylesheet]")).collect();
        assert_eq!(css.len(), 1, "{page}");
        let mut refs: Vec<(String, String)> = css
            .iter()
            .map(|l| (l.value().attr("href").unwrap().to_owned(), l.value().attr("integrity").unwrap_or("").to_owned()))
            .collect();
        if page != "index.html" {
            let script = html.select(&sel("script[src]")).next().unwrap_or_else(|| panic!("{page}: no search script"));
            assert!(script.value().attr("defer").is_some(), "{page}");
            refs.push((script.value().attr("src").unwrap().to_owned(), script.value().attr("integrity").unwrap_or("").to_owned()));
        }
        for (href, integrity) in refs {
            let target = if page == "404.html" {
                href.strip_prefix("/kjt/").unwrap_or_else(|| panic!("404 links from the base path: {href}")).to_owned()
            } else {
                resolve(&page, &href)
            };
            let bytes = files.get(&target).unwrap_or_else(|| panic!("{page}: {href} → {target} missing"));
            assert_eq!(integrity, sri(bytes), "{page}: integrity of {href}");
            checked += 1;
        }
        let icon = html.select(&sel("link[rel=icon]")).next().unwrap_or_else(|| panic!("{page}: no favicon"));
        assert_eq!(icon.value().attr("type"), Some("image/svg+xml"));
    }
    assert!(checked > 150, "{checked}");
    let svg = read(out, "static/favicon.svg");
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "favicon is an SVG");
}

/// `href` in `page` (both relative to the output root) → the output path it names.
fn resolve(page: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().expect("link escapes the site");
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if href.ends_with('/') || target.is_empty() {
        target = if target.is_empty() { "index.html".to_owned() } else { format!("{target}/index.html") };
    }
    target
}

// ---------- 3. sharing metadata, JSON-LD, sitemap ----------

fn meta(html: &Html, attr: &str, name: &str) -> Vec<String> {
    html.select(&sel(&format!("meta[{attr}=\"{name}\"]"))).filter_map(|m| m.value().attr("content").map(str::to_owned)).collect()
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn open_graph_and_twitter_cards_on_every_page() {
    let out = built();
    let (w, h) = png_size(&std::fs::read(out.join("static/og-default.png")).unwrap());
    assert_eq!((w, h), (1200, 630), "og-default.png is 1200×630");
    let locales = BTreeMap::from([("zh", ("zh_CN", "en_US")), ("en", ("en_US", "zh_CN"))]);
    for (page, lang) in site_pages(out) {
        let html = doc(out, &page);
        let one = |attr: &str, name: &str| -> String {
            let v = meta(&html, attr, name);
            assert_eq!(v.len(), 1, "{page}: {name} {v:?}");
            assert!(!v[0].trim().is_empty(), "{page}: empty {name}");
            v[0].clone()
        };
        let title = one("property", "og:title");
        one("property", "og:description");
        one("property", "og:site_name");
        let canonical = html.select(&sel("link[rel=canonical]")).next().unwrap().value().attr("href").unwrap().to_owned();
        assert_eq!(one("property", "og:url"), canonical, "{page}");
        let (locale, alternate) = locales[lang.as_str()];
        assert_eq!(one("property", "og:locale"), locale, "{page}");
        assert_eq!(meta(&html, "property", "og:locale:alternate"), [alternate], "{page}");
        assert_eq!(one("property", "og:image"), "https://example.org/kjt/static/og-default.png", "{page}");
        assert_eq!(one("property", "og:image:width"), "1200");
        assert_eq!(one("property", "og:image:height"), "630");
        assert_eq!(one("name", "twitter:card"), "summary_large_image");
        assert_eq!(one("name", "twitter:title"), title);
        one("name", "twitter:image");
        if page.ends_with("plan/2011/talent/index.html") {
            assert!(title.contains(if lang == "zh" { "人才" } else { "talent" }), "{page}: {title}");
        }
        // The results feed of the page's language, from every page head.
        let feeds: Vec<String> = html
            .select(&sel("link[rel=alternate][type=\"application/atom+xml\"]"))
            .map(|l| resolve(&page, l.value().attr("href").unwrap()))
            .collect();
        if page == "index.html" {
            assert_eq!(feeds, ["zh/atom.xml", "en/atom.xml"], "{page}");
        } else {
            assert_eq!(feeds, [format!("{lang}/atom.xml")], "{page}");
        }
    }
}

fn json_ld(html: &Html) -> Vec<serde_json::Value> {
    html.select(&sel("script[type=\"application/ld+json\"]"))
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
        .collect()
}

/// The example is not the Department's site (`official: false`): its home pages describe a
/// `WebSite` published by the example's sponsor, never a `GovernmentOrganization`
/// (tests/identity.rs checks an official site).
#[test]
fn home_pages_describe_the_site_in_json_ld() {
    let out = built();
    for (lang, sponsor) in [("zh", "planpress 示例项目"), ("en", "the planpress example project")] {
        let ld = json_ld(&doc(out, &format!("{lang}/index.html")));
        assert_eq!(ld.len(), 1, "{lang}");
        let website = &ld[0];
        assert_eq!(website["@context"], "https://schema.org");
        assert_eq!(website["@type"], "WebSite");
        assert_eq!(website["publisher"]["@type"], "Organization");
        assert_eq!(website["publisher"]["name"], sponsor);
        assert_eq!(website["url"], format!("https://example.org/kjt/{lang}/"));
        assert!(json_ld(&doc(out, &format!("{lang}/plan/2011/index.html"))).is_empty(), "only the home page");
    }
}

/// The booklet templates belong to another part of the theme; the data they need is in their
/// context: `report_jsonld` (a `Report`) and `assets["print.css"]`. Checked with stand-in templates.
#[test]
fn booklets_get_report_json_ld_and_the_print_stylesheet() {
    let site = Site::example();
    let stand_in = r#"<!doctype html><html lang="{{ lang.tag }}"><head><meta charset="utf-8"><title>{{ booklet.title }}</title>
<link rel="stylesheet" href="{{ root }}{{ assets["print.css"].url }}" integrity="{{ assets["print.css"].integrity }}">
<script type="application/ld+json">{{ report_jsonld | safe }}</script></head><body><main><h1>{{ booklet.title }}</h1></main></body></html>"#;
    for name in ["plan", "summary", "plan-bilingual", "summary-bilingual"] {
        site.write(&format!("themes/default/templates/booklet/{name}.html"), stand_in);
    }
    site.build(&[]).assert_ok();
    let out = site.path("public");
    let files = tree(&out);
    for (page, kind, langs, date) in [
        ("zh/reports/plan-2011/index.html", "plan", vec!["zh-Hans"], "2011-02-12"),
        ("en/reports/summary-2011/index.html", "summary", vec!["en"], "2011-12-20"),
        ("reports/plan-2011-bilingual/index.html", "plan", vec!["zh-Hans", "en"], "2011-02-12"),
    ] {
        let html = doc(&out, page);
        let ld = json_ld(&html);
        assert_eq!(ld.len(), 1, "{page}");
        let report = &ld[0];
        assert_eq!(report["@type"], "Report", "{page}");
        assert!(report["name"].as_str().is_some_and(|n| n.contains("2011")), "{page}: {report}");
        assert_eq!(report["datePublished"], date, "{page} ({kind})");
        let in_language = if langs.len() == 1 { serde_json::json!(langs[0]) } else { serde_json::json!(langs) };
        assert_eq!(report["inLanguage"], in_language, "{page}");
        assert_eq!(report["url"], format!("https://example.org/kjt/{}", page.trim_end_matches("index.html")));
        // The issuer of the document, not claimed as the site's organisation (`official: false`).
        assert_eq!(report["publisher"]["@type"], "Organization");
        let css = html.select(&sel("link[rel=stylesheet]")).next().unwrap();
        let target = resolve(page, css.value().attr("href").unwrap());
        assert!(target.starts_with("static/print.") && target.ends_with(".css"), "{target}");
        assert_eq!(css.value().attr("integrity").unwrap(), sri(&files[&target]));
    }
}

#[test]
fn sitemap_has_hreflang_alternates_and_lastmod() {
    let out = built();
    let text = read(out, "sitemap.xml");
    let xml = roxmltree::Document::parse(&text).expect("sitemap.xml parses");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(xml.root_element().tag_name().namespace(), Some(ns));
    let mut lastmods: BTreeMap<String, Option<String>> = BTreeMap::new();
    for url in xml.root_element().children().filter(|n| n.has_tag_name((ns, "url"))) {
        let child = |name: &str| url.children().find(|n| n.has_tag_name((ns, name))).and_then(|n| n.text()).map(str::to_owned);
        let loc = child("loc").unwrap();
        let alternates = url
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .filter_map(|n| n.attribute("hreflang"))
            .count();
        // A bilingual booklet is in no one language: it has no alternates.
        let expected = if loc.contains("-bilingual/") { 0 } else { 3 };
        assert_eq!(alternates, expected, "{loc}: zh-Hans, en, x-default");
        lastmods.insert(loc.trim_start_matches("https://example.org/kjt/").to_owned(), child("lastmod"));
    }
    let lastmod = |p: &str| lastmods.get(p).unwrap_or_else(|| panic!("{p} not in sitemap")).clone();
    for lang in ["zh", "en"] {
        assert_eq!(lastmod(&format!("{lang}/plan/2011/")).as_deref(), Some("2011-02-12"), "plan date");
        assert_eq!(lastmod(&format!("{lang}/plan/2011/talent/")).as_deref(), Some("2011-02-12"), "task: plan date");
        assert_eq!(lastmod(&format!("{lang}/results/2011/st-aid-fair/")).as_deref(), Some("2011-07-12"), "result date");
        assert_eq!(lastmod(&format!("{lang}/results/2011/")).as_deref(), Some("2011-12-20"), "latest result");
        assert_eq!(lastmod(&format!("{lang}/")), None, "no date for the home page");
        assert_eq!(lastmod(&format!("{lang}/partners/beijing/")), None);
    }
    assert!(!lastmods.keys().any(|k| k.contains("search")), "the search page is not in the sitemap");
}

// ---------- 2. feeds ----------

#[test]
fn feed_limit_keeps_the_newest_results() {
    let site = common::Site::example();
    site.edit("content/site.yaml", "print: {paper: a4}", "print: {paper: a4}\nfeed_limit: 3");
    site.build(&[]).assert_ok();
    let full = built();
    let atom = "http://www.w3.org/2005/Atom";
    let updated = |text: &str| -> Vec<String> {
        let xml = roxmltree::Document::parse(text).unwrap();
        let feed = xml.root_element();
        feed.children()
            .filter(|n| n.has_tag_name((atom, "entry")))
            .map(|e| e.children().find(|n| n.has_tag_name((atom, "id"))).and_then(|n| n.text()).unwrap().to_owned())
            .collect()
    };
    for lang in ["zh", "en"] {
        let all = updated(&read(full, &format!("{lang}/atom.xml")));
        let limited = updated(&site.read(&format!("public/{lang}/atom.xml")));
        assert!(all.len() > 3, "the example has more than three results");
        assert_eq!(limited, all[..3], "{lang}: the three newest, in the same order");
    }
}

#[test]
fn atom_feed_per_language_is_valid_and_lists_the_results() {
    let out = built();
    let atom = "http://www.w3.org/2005/Atom";
    for (lang, note) in [("zh", "成果数据均为示例"), ("en", "Result figures are illustrative")] {
        let text = read(out, &format!("{lang}/atom.xml"));
        let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{lang}/atom.xml does not parse: {e}"));
        let feed = xml.root_element();
        assert!(feed.has_tag_name((atom, "feed")), "root is atom:feed");
        assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(if lang == "zh" { "zh-Hans" } else { "en" }));
        let child_text = |node: roxmltree::Node, name: &str| {
            node.children().find(|n| n.has_tag_name((atom, name))).and_then(|n| n.text()).map(str::to_owned)
        };
        for required in ["id", "title", "updated"] {
            assert!(child_text(feed, required).is_some_and(|t| !t.trim().is_empty()), "feed {required}");
        }
        assert!(child_text(feed, "subtitle").unwrap().contains(note), "the illustrative note in the subtitle");
        assert!(feed.descendants().any(|n| n.has_tag_name((atom, "author"))), "feed author");
        let self_link = feed.children().find(|n| n.has_tag_name((atom, "link")) && n.attribute("rel") == Some("self")).unwrap();
        assert_eq!(self_link.attribute("href"), Some(format!("https://example.org/kjt/{lang}/atom.xml").as_str()));
        let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name((atom, "entry"))).collect();
        let results = std::fs::read_dir(common::repo().join("content/results/2011"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".yaml"))
            .count();
        assert_eq!(entries.len(), results, "{lang}: one entry per result");
        let mut ids = BTreeSet::new();
        let mut previous = String::from("9999");
        for e in &entries {
            let id = child_text(*e, "id").unwrap();
            assert!(ids.insert(id.clone()), "duplicate id {id}");
            let updated = child_text(*e, "updated").unwrap();
            assert!(updated.len() == 20 && updated.ends_with("T00:00:00Z"), "RFC 3339: {updated}");
            assert!(updated <= previous, "newest first");
            previous = updated.clone();
            assert!(child_text(*e, "title").is_some_and(|t| !t.is_empty()));
            assert!(child_text(*e, "summary").is_some_and(|t| t.len() > 20));
            let link = e.children().find(|n| n.has_tag_name((atom, "link"))).unwrap().attribute("href").unwrap();
            let rel = link.strip_prefix("https://example.org/kjt/").unwrap();
            assert!(rel.starts_with(&format!("{lang}/results/2011/")) && out.join(rel).join("index.html").is_file(), "{link}");
        }
        let st_aid = entries.iter().find(|e| child_text(**e, "id").unwrap().ends_with("/st-aid-fair/")).unwrap();
        assert_eq!(child_text(*st_aid, "updated").unwrap(), "2011-07-12T00:00:00Z", "updated from the result date");
        assert_eq!(child_text(feed, "updated").unwrap(), "2011-12-20T00:00:00Z", "feed updated: the newest result");
    }
}

/// The long pages carry their in-page contents in the HTML (no script needed): an open
/// `<details>` whose links are the page's `h2` headings with an id, in order, with their text
/// (without counts); nothing of the build's token is left in any page.
#[test]
fn long_pages_have_their_contents_in_the_html() {
    let out = built();
    for lang in ["zh", "en"] {
        for page in ["plan/2011/index.html", "results/2011/index.html", "periods/12th-five-year/index.html"] {
            let rel = format!("{lang}/{page}");
            let html = doc(out, &rel);
            let tocs: Vec<_> = html.select(&sel("main details.page-toc")).collect();
            assert_eq!(tocs.len(), 1, "{rel}: one contents");
            let toc = tocs[0];
            assert!(toc.value().attr("open").is_some() && toc.value().attr("hidden").is_none(), "{rel}: open, not hidden");
            let links: Vec<(String, String)> = toc
                .select(&sel("nav ol > li > a"))
                .map(|a| (a.value().attr("href").unwrap().to_owned(), a.text().collect::<String>()))
                .collect();
            let headings: Vec<(String, String)> = html
                .select(&sel("main h2[id]"))
                .map(|h| {
                    let text: String = h
                        .children()
                        .filter_map(|c| match c.value() {
                            scraper::Node::Text(t) => Some(t.to_string()),
                            scraper::Node::Element(e) if !e.has_class("count", scraper::CaseSensitivity::CaseSensitive) => {
                                Some(scraper::ElementRef::wrap(c).unwrap().text().collect())
                            }
                            _ => None,
                        })
                        .collect();
                    (format!("#{}", h.value().attr("id").unwrap()), text.split_whitespace().collect::<Vec<_>>().join(" "))
                })
                .collect();
            assert!(headings.len() >= 3, "{rel}: {headings:?}");
            assert_eq!(links, headings, "{rel}: the contents list the headings");
        }
    }
    let plan = read(out, "zh/plan/2011/index.html");
    assert!(plan.contains("href=#key-tasks>") || plan.contains("href=\"#key-tasks\">"), "the plan's key tasks are listed");
    for (page, _) in site_pages(out) {
        let text = read(out, &page);
        assert!(!text.contains("planpress:toc"), "{page}: the token is left");
    }
}
