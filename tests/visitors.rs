//! What visitors and web maintainers expect, tested on the example built into a temp dir:
//! fingerprinted assets with Subresource Integrity, sharing metadata and JSON-LD, Atom feeds, the
//! sitemap's `lastmod`, built-in search (the index in Rust, and search.js in headless Chromium),
//! the site served by nginx under `/kjt/`, axe-core and the Nu HTML checker.
//!
//! Browser, nginx, Node and Java tests are `#[ignore = "needs …"]`: `cargo test` lists them as
//! ignored, `cargo test -- --include-ignored` (what `.ci/run` runs) runs them, and then a missing
//! tool fails the test with what to install.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{html_files, tree, Site};
use scraper::{Html, Selector};
use sha2::{Digest, Sha384};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The example, built once for the tests of this file that only read the output.
fn built() -> &'static Path {
    &common::example_built(&[]).out
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn doc(out: &Path, rel: &str) -> Html {
    Html::parse_document(&read(out, rel))
}

/// Site pages (not booklets, not the 404 page): `(path, lang)`.
fn site_pages(out: &Path) -> Vec<(String, String)> {
    html_files(out)
        .into_iter()
        .filter(|p| !p.contains("/reports/") && !p.starts_with("reports/") && p != "404.html")
        .map(|p| {
            let lang = p.split_once('/').map_or("zh", |(l, _)| l).to_owned();
            (p, lang)
        })
        .collect()
}

const NPM_CI: &str = "npm ci --prefix tests/js (see .ci/run)";

fn node() -> PathBuf {
    common::tool(&["node", "nodejs"], "apt-get install nodejs")
}

/// Runs `cmd` with a deadline, killing it when late; returns its output.
fn run_with_timeout(cmd: &mut Command, secs: u64) -> Output {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output { status, stdout: out_thread.join().unwrap(), stderr: err_thread.join().unwrap() }
}

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

/// The pages from disk (file://) are styled although Chromium refuses integrity-checked files
/// there: the stylesheet falls back to a plain load, only for file://.
#[test]
#[ignore = "needs Chromium"]
fn pages_opened_from_disk_are_styled() {
    let chrome = chromium();
    // A copy of the shared build: the page gets a probe script.
    let out = common::output_copy(common::example_built(&[]));
    let page = out.path().join("zh/plan/2011/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let probe = r#"<script>addEventListener("load",function(){setTimeout(function(){document.documentElement.setAttribute("data-nav-bg",getComputedStyle(document.querySelector(".main-nav")).backgroundColor)},300)})</script></body>"#;
    std::fs::write(&page, html.replace("</body>", probe)).unwrap();
    let dom = dump_dom(&chrome, &format!("file://{}", page.display()), 3000);
    let html = Html::parse_document(&dom);
    let bg = html.select(&sel("html")).next().unwrap().value().attr("data-nav-bg").map(str::to_owned);
    assert_eq!(bg.as_deref(), Some("rgb(11, 74, 139)"), "the stylesheet applies from disk");
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

#[test]
fn home_pages_describe_the_organisation_in_json_ld() {
    let out = built();
    for (lang, name, other) in [
        ("zh", "新疆维吾尔自治区科学技术厅", "Department of Science and Technology of Xinjiang Uygur Autonomous Region"),
        ("en", "Department of Science and Technology of Xinjiang Uygur Autonomous Region", "新疆维吾尔自治区科学技术厅"),
    ] {
        let ld = json_ld(&doc(out, &format!("{lang}/index.html")));
        assert_eq!(ld.len(), 1, "{lang}");
        let org = &ld[0];
        assert_eq!(org["@context"], "https://schema.org");
        assert_eq!(org["@type"], "GovernmentOrganization");
        assert_eq!(org["name"], name);
        assert_eq!(org["alternateName"], serde_json::json!([other]));
        assert_eq!(org["url"], format!("https://example.org/kjt/{lang}/"));
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
        assert_eq!(report["publisher"]["@type"], "GovernmentOrganization");
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
        assert_eq!(alternates, 3, "{loc}: zh-Hans, en, x-default");
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

// ---------- 1. search: the index, in Rust ----------

#[derive(Debug)]
struct Hit {
    url: String,
    score: f64,
}

/// A minimal re-implementation of search.js's ranking over the generated index: BM25 over the
/// page text, a bonus for a title or heading match, the page's boost, pages with every token first.
/// Stop terms are ignored (a query of nothing else: see [`rank_query`]).
fn rank(index: &serde_json::Value, tokens: &[String]) -> Vec<Hit> {
    let docs = index["docs"].as_array().unwrap();
    let n_docs = docs.len() as f64;
    let avg = docs.iter().map(|d| d["n"].as_f64().unwrap()).sum::<f64>() / n_docs;
    let p = &index["rank"];
    let (k1, b, title, heading) =
        (p["k1"].as_f64().unwrap(), p["b"].as_f64().unwrap(), p["title"].as_f64().unwrap(), p["heading"].as_f64().unwrap());
    let mut scores: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for token in tokens.iter().filter(|t| !is_stop(index, t)) {
        let list = postings(index, token);
        if list.is_empty() {
            continue;
        }
        let df = list.len() as f64;
        let idf = (1.0 + (n_docs - df + 0.5) / (df + 0.5)).ln();
        for (d, v) in list {
            let tf = (v >> 2) as f64;
            let norm = 1.0 - b + b * docs[d]["n"].as_f64().unwrap() / avg;
            let s = tf * (k1 + 1.0) / (tf + k1 * norm) + if v & 2 != 0 { title } else { 0.0 } + if v & 1 != 0 { heading } else { 0.0 };
            let boost = docs[d].get("w").and_then(|w| w.as_f64()).unwrap_or(1.0);
            let e = scores.entry(d).or_default();
            e.0 += 1;
            e.1 += idf * s * boost;
        }
    }
    let mut hits: Vec<(usize, usize, f64)> = scores.into_iter().map(|(d, (n, s))| (d, n, s)).collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    hits.into_iter().map(|(d, _, score)| Hit { url: docs[d]["u"].as_str().unwrap().to_owned(), score }).collect()
}

/// Ranks a query as search.js does: by its tokens, or, when every token is a stop term, by
/// where its text is found: pages with it in the title first, then in a heading, then in the
/// snippet text (hanzi runs as written, words by their token); then by boost and site order.
fn rank_query(index: &serde_json::Value, query: &str) -> Vec<Hit> {
    let tokens = planpress::render::search::query_tokens(query);
    if tokens.is_empty() || tokens.iter().any(|t| !is_stop(index, t)) {
        return rank(index, &tokens);
    }
    use planpress::render::search::{is_han, tokenize};
    // The hanzi runs of the query, and its words (the tokens of the rest).
    let (mut hanzi, mut rest, mut in_run): (Vec<String>, String, bool) = (Vec::new(), String::new(), false);
    for c in query.chars() {
        match (is_han(c), in_run) {
            (true, true) => hanzi.last_mut().unwrap().push(c),
            (true, false) => hanzi.push(c.to_string()),
            (false, _) => rest.push(c),
        }
        in_run = is_han(c);
    }
    let words = tokenize(&rest);
    let contains = |text: &str| {
        let found = tokenize(&text.chars().map(|c| if is_han(c) { ' ' } else { c }).collect::<String>());
        hanzi.iter().all(|h| text.contains(h.as_str())) && words.iter().all(|w| found.contains(w))
    };
    let docs = index["docs"].as_array().unwrap();
    let mut hits: Vec<(u32, f64, usize)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let tier = if contains(d["t"].as_str().unwrap()) {
            3
        } else if d["h"].as_array().unwrap().iter().any(|h| contains(h.as_str().unwrap())) {
            2
        } else if contains(d["x"].as_str().unwrap()) {
            1
        } else {
            continue;
        };
        hits.push((tier, d.get("w").and_then(|w| w.as_f64()).unwrap_or(1.0), i));
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    hits.into_iter().map(|(tier, w, d)| Hit { url: docs[d]["u"].as_str().unwrap().to_owned(), score: tier as f64 * w }).collect()
}

/// Whether a token is one of the index's stop terms (a single hanzi: or in a stop bigram).
fn is_stop(index: &serde_json::Value, token: &str) -> bool {
    let stop: Vec<&str> = index["stop"].as_array().map(|s| s.iter().map(|t| t.as_str().unwrap()).collect()).unwrap_or_default();
    let mut chars = token.chars();
    stop.contains(&token)
        || match (chars.next(), chars.next()) {
            (Some(c), None) if planpress::render::search::is_han(c) => {
                stop.iter().any(|t| t.chars().count() == 2 && (t.starts_with(c) || t.ends_with(c)))
            }
            _ => false,
        }
}

/// `(doc, posting)` of an indexed term, decoded: gaps to the previous doc times 2, plus 1 when the
/// posting follows (otherwise it is `1 << 2`).
fn term_postings(index: &serde_json::Value, term: &str) -> Vec<(usize, u64)> {
    let Some(list) = index["terms"].get(term) else { return Vec::new() };
    let raw: Vec<u64> = list.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    let (mut out, mut doc, mut i) = (Vec::new(), 0, 0);
    while i < raw.len() {
        doc += (raw[i] / 2) as usize;
        if raw[i] % 2 == 1 {
            i += 1;
            out.push((doc, raw[i]));
        } else {
            out.push((doc, 4));
        }
        i += 1;
    }
    out
}

/// `(doc, posting)` of a token; for a single hanzi, gathered from the bigrams that begin or end
/// with it (tf: the larger count) plus its lone occurrences, as search.js does.
fn postings(index: &serde_json::Value, token: &str) -> Vec<(usize, u64)> {
    let mut chars = token.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return term_postings(index, token);
    };
    if !planpress::render::search::is_han(c) {
        return term_postings(index, token);
    }
    let mut by_doc: BTreeMap<usize, [u64; 4]> = BTreeMap::new();
    let mut add = |list: Vec<(usize, u64)>, slot: usize| {
        for (d, v) in list {
            let e = by_doc.entry(d).or_default();
            e[slot] += v >> 2;
            e[3] |= v & 3;
        }
    };
    add(term_postings(index, token), 2);
    for key in index["terms"].as_object().unwrap().keys() {
        let k: Vec<char> = key.chars().collect();
        if k.len() == 2 {
            if k[0] == c {
                add(term_postings(index, key), 0);
            }
            if k[1] == c {
                add(term_postings(index, key), 1);
            }
        }
    }
    by_doc.into_iter().map(|(d, e)| (d, ((e[0].max(e[1]) + e[2]) << 2) | e[3])).collect()
}

/// Query tokens for Chinese, written out here: the bigrams of a run of hanzi.
fn bigrams(q: &str) -> Vec<String> {
    let chars: Vec<char> = q.chars().collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

fn gzip_size(path: &Path) -> Option<usize> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(path).output().ok()?;
    out.status.success().then_some(out.stdout.len())
}

#[test]
fn search_index_finds_the_right_task() {
    let out = built();
    for lang in ["zh", "en"] {
        let path = out.join(format!("{lang}/search-index.json"));
        let bytes = std::fs::read(&path).unwrap();
        let index: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(index["version"], 2);
        assert_eq!(index["stop"], serde_json::json!([]), "{lang}: a small site keeps every term");
        assert_eq!(index["lang"], lang);
        // Every page of the language is in the index (the search page itself is not).
        let urls: BTreeSet<String> = index["docs"].as_array().unwrap().iter().map(|d| d["u"].as_str().unwrap().to_owned()).collect();
        let pages: BTreeSet<String> = site_pages(out)
            .into_iter()
            .filter(|(p, l)| l == lang && p.starts_with(&format!("{lang}/")) && !p.contains("/search/"))
            .map(|(p, _)| p.trim_end_matches("index.html").to_owned())
            .collect();
        assert_eq!(urls, pages, "{lang}: every page indexed");
        for d in index["docs"].as_array().unwrap() {
            assert!(!d["t"].as_str().unwrap().is_empty(), "{d}");
        }
        println!(
            "search index {lang}: {} docs, {} terms, {} bytes raw, {} bytes gzip -9",
            urls.len(),
            index["terms"].as_object().unwrap().len(),
            bytes.len(),
            gzip_size(&path).map_or("?".to_owned(), |n| n.to_string())
        );
    }
    let zh: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("zh/search-index.json")).unwrap()).unwrap();
    let en: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("en/search-index.json")).unwrap()).unwrap();
    for (index, tokens, expected) in [
        (&zh, bigrams("援疆"), "zh/plan/2011/st-assistance/"),
        (&zh, bigrams("知识产权"), "zh/plan/2011/intellectual-property/"),
        (&zh, bigrams("院士工作站"), "zh/results/2011/academician-workstations/"),
        (&en, vec!["intellectu".to_owned(), "properti".to_owned()], "en/plan/2011/intellectual-property/"),
        (&en, planpress::render::search::query_tokens("Intellectual Property"), "en/plan/2011/intellectual-property/"),
        (&en, planpress::render::search::query_tokens("talents"), "en/plan/2011/talent/"),
    ] {
        let hits = rank(index, &tokens);
        assert!(!hits.is_empty(), "{tokens:?}: no hits");
        assert_eq!(hits[0].url, expected, "{tokens:?}: {:?}", &hits[..hits.len().min(4)]);
        if hits.len() > 1 {
            assert!(hits[0].score > hits[1].score, "{tokens:?}: a clear first: {:?}", &hits[..2]);
        }
    }
    // A single hanzi is found through the bigrams around it; a word that is nowhere finds nothing.
    let single = rank(&zh, &["疆".to_owned()]);
    assert!(single.len() >= 10, "{single:?}");
    assert_eq!(rank(&zh, &["权".to_owned()])[0].url, "zh/plan/2011/intellectual-property/");
    assert!(rank(&en, &planpress::render::search::query_tokens("zzzxq")).is_empty());
}

/// search.js's tokeniser and stemmer agree with the Rust ones that built the index.
#[test]
#[ignore = "needs Node.js"]
fn search_js_tokenises_like_the_index() {
    let node = node();
    let out = built();
    let script = std::fs::read_dir(out.join("static"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("search."))
        .unwrap();
    let mut texts: Vec<String> = Vec::new();
    for lang in ["zh", "en"] {
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{lang}/search-index.json"))).unwrap()).unwrap();
        for d in index["docs"].as_array().unwrap() {
            texts.push(d["t"].as_str().unwrap().to_owned());
            texts.push(d["x"].as_str().unwrap().to_owned());
        }
    }
    texts.push("Caresses ponies, agreed; hopping, filing, generalization — relational conditional electrical adjustment".to_owned());
    let words: Vec<String> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let searches = [
        ("zh", "援疆"),
        ("zh", "知识产权"),
        ("zh", "疆"),
        ("zh", "权"),
        ("zh", "科技 人才"),
        ("en", "intellectual property"),
        ("en", "talents"),
    ];
    let indexes: BTreeMap<&str, String> =
        ["zh", "en"].into_iter().map(|l| (l, out.join(format!("{l}/search-index.json")).display().to_string())).collect();
    let input = serde_json::json!({"texts": texts, "words": words, "searches": searches, "indexes": indexes});
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("input.json"), input.to_string()).unwrap();
    let js = format!(
        "const s = require({:?}); const i = JSON.parse(require('fs').readFileSync({:?}, 'utf8'));\
         const ix = {{}}; for (const l in i.indexes) ix[l] = JSON.parse(require('fs').readFileSync(i.indexes[l], 'utf8'));\
         const ranks = i.searches.map(([l, q]) => s.rank(ix[l], q).slice(0, 5).map(r => r.doc.u));\
         process.stdout.write(JSON.stringify({{tokens: i.texts.map(s.tokenize), stems: i.words.map(s.stem), queries: i.texts.slice(0, 40).map(s.queryTokens), ranks}}));",
        script.display().to_string(),
        dir.path().join("input.json").display().to_string()
    );
    let output = Command::new(node).args(["-e", &js]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for (i, text) in texts.iter().enumerate() {
        let rust = planpress::render::search::tokenize(text);
        assert_eq!(result["tokens"][i], serde_json::json!(rust), "tokens of {text:?}");
    }
    for (i, word) in words.iter().enumerate() {
        assert_eq!(result["stems"][i], planpress::render::search::stem(word), "stem of {word}");
    }
    for (i, text) in texts.iter().take(40).enumerate() {
        assert_eq!(result["queries"][i], serde_json::json!(planpress::render::search::query_tokens(text)), "query {text:?}");
    }
    assert!(words.len() > 300, "{} words compared", words.len());
    // search.js ranks as the re-implementation above does.
    for (i, (lang, q)) in searches.iter().enumerate() {
        let index: serde_json::Value = serde_json::from_slice(&std::fs::read(&indexes[lang]).unwrap()).unwrap();
        let rust: Vec<String> = rank_query(&index, q).into_iter().take(5).map(|h| h.url).collect();
        assert_eq!(result["ranks"][i], serde_json::json!(rust), "ranking of {q:?}");
    }
}

/// A site large enough for stop terms: `STOP_MIN_DOCS + 10` pages per language where "科技" and
/// "technology" are on every page; its two indexes written to a temp dir.
struct StopSite {
    /// Pages per language.
    n: usize,
    dir: tempfile::TempDir,
}

impl StopSite {
    fn build() -> StopSite {
        use planpress::render::search::{build_index, Page, STOP_MIN_DOCS};
        let n = STOP_MIN_DOCS + 10;
        let dir = tempfile::tempdir().unwrap();
        for lang in ["zh", "en"] {
            let pages: Vec<(String, String, String)> = (0..n).map(|i| Self::page(lang == "zh", i)).collect();
            let pages: Vec<Page> = pages.iter().map(|(title, html, url)| Page { url, title, html: html.as_bytes(), boost: 1.0 }).collect();
            std::fs::write(dir.path().join(format!("{lang}.json")), build_index(lang, &pages)).unwrap();
        }
        StopSite { n, dir }
    }

    /// Page `i`: (title, HTML, URL). Page 17 has the stop term in its title, page 23 in a heading.
    fn page(zh: bool, i: usize) -> (String, String, String) {
        let (title, heading, text) = if zh {
            let title = if i == 17 { "科技特派员".to_owned() } else { format!("第{i}项成果") };
            let heading = if i == 23 { "科技合作" } else { "工作举措" };
            (title, heading, format!("推进科技创新，第{i}项。{}", if i.is_multiple_of(3) { "对口援疆。" } else { "" }))
        } else {
            let title = if i == 17 { "Science and technology commissioners".to_owned() } else { format!("Result {i}") };
            let heading = if i == 23 { "Technology cooperation" } else { "Actions" };
            (title, heading, format!("Advancing technology, item {i}. {}", if i.is_multiple_of(3) { "Aid to Xinjiang." } else { "" }))
        };
        (title, format!("<main><h2>{heading}</h2><p>{text}</p></main>"), format!("x/{i}/"))
    }

    fn path(&self, lang: &str) -> PathBuf {
        self.dir.path().join(format!("{lang}.json"))
    }

    fn index(&self, lang: &str) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.path(lang)).unwrap()).unwrap()
    }

    /// (language, query, first hit, number of hits).
    fn searches(&self) -> [(&'static str, &'static str, &'static str, usize); 6] {
        let n = self.n;
        [
            ("zh", "科技", "x/17/", n),
            ("zh", "技", "x/17/", n),
            ("zh", "科技 援疆", "x/0/", n.div_ceil(3)),
            ("en", "technology", "x/17/", n),
            ("en", "Technologies", "x/17/", n),
            ("en", "technology Xinjiang", "x/0/", n.div_ceil(3)),
        ]
    }
}

/// On a site large enough for stop terms (in more than half the pages, left out of the index),
/// a query made only of them still finds pages, by their text, titles first, then headings;
/// beside other terms they are ignored (the Rust re-implementation of search.js's ranking).
#[test]
fn search_stop_terms_are_ignored_but_a_query_of_them_still_finds_pages() {
    let site = StopSite::build();
    let (zh, en) = (site.index("zh"), site.index("en"));
    let technology = planpress::render::search::tokenize("technology").remove(0);
    for (index, stop) in [(&zh, "科技"), (&en, technology.as_str())] {
        assert!(index["stop"].as_array().unwrap().iter().any(|t| t == stop), "{stop} in {}", index["stop"]);
        assert!(index["terms"].get(stop).is_none(), "{stop} not indexed");
    }
    for (lang, q, first, count) in site.searches() {
        let hits = rank_query(if lang == "zh" { &zh } else { &en }, q);
        assert_eq!(hits.len(), count, "{q}: {hits:?}");
        assert_eq!(hits[0].url, first, "{q}: {hits:?}");
        if !q.contains(' ') {
            assert_eq!(hits[1].url, "x/23/", "{q}: a heading match next: {hits:?}");
        }
    }
}

/// search.js ranks the stop-term queries above as the Rust re-implementation does.
#[test]
#[ignore = "needs Node.js"]
fn search_js_ranks_stop_term_queries_like_the_re_implementation() {
    let node = node();
    let site = StopSite::build();
    let (zh, en) = (site.index("zh"), site.index("en"));
    let searches = site.searches();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let js = format!(
        "const s = require({:?}); const fs = require('fs'); const ix = {{zh: JSON.parse(fs.readFileSync({:?}, 'utf8')), en: JSON.parse(fs.readFileSync({:?}, 'utf8'))}};\
         process.stdout.write(JSON.stringify({}.map(([l, q]) => s.rank(ix[l], q).map(r => r.doc.u))));",
        script.display().to_string(),
        site.path("zh").display().to_string(),
        site.path("en").display().to_string(),
        serde_json::json!(searches.iter().map(|(l, q, _, _)| [l, q]).collect::<Vec<_>>())
    );
    let output = Command::new(node).args(["-e", &js]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for (i, (lang, q, _, _)) in searches.iter().enumerate() {
        let rust: Vec<String> = rank_query(if *lang == "zh" { &zh } else { &en }, q).into_iter().map(|h| h.url).collect();
        assert_eq!(result[i], serde_json::json!(rust), "search.js ranks {q:?} as the re-implementation does");
    }
}

// ---------- a static file server and Chromium ----------

/// A small static HTTP server on a free loopback port, serving `dir`; with `?__axe` in the URL
/// an HTML page gets axe-core injected (and the chooser's meta refresh removed).
struct StaticServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

const AXE_RUN: &str = r#"window.addEventListener("load", function () {
  setTimeout(function () {
    axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
      document.documentElement.setAttribute("data-axe", JSON.stringify(r.violations.map(function (v) {
        return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(" ") + " :: " + n.failureSummary; }) };
      })));
    }, function (e) { document.documentElement.setAttribute("data-axe-error", String(e)); });
  }, 200);
});"#;

fn serve_static(dir: PathBuf) -> StaticServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let axe = common::repo().join("tests/js/node_modules/axe-core/axe.min.js");
    let thread = std::thread::spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let dir = dir.clone();
                    let axe = axe.clone();
                    std::thread::spawn(move || handle(stream, &dir, &axe));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    StaticServer { port, stop, thread: Some(thread) }
}

fn handle(mut stream: TcpStream, dir: &Path, axe: &Path) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request).into_owned();
    let target = request.split(' ').nth(1).unwrap_or("/").to_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let inject = query.contains("__axe");
    let (status, ctype, body): (u16, &str, Vec<u8>) = if path == "/__axe/axe.min.js" {
        (200, "text/javascript", std::fs::read(axe).unwrap_or_default())
    } else if path == "/__axe/run.js" {
        (200, "text/javascript", AXE_RUN.as_bytes().to_vec())
    } else if path.split('/').any(|s| s == "..") {
        (400, "text/plain", b"bad path".to_vec())
    } else {
        let mut rel = path.trim_start_matches('/').to_owned();
        if rel.is_empty() || rel.ends_with('/') {
            rel.push_str("index.html");
        }
        match std::fs::read(dir.join(&rel)) {
            Ok(mut bytes) => {
                if inject && rel.ends_with(".html") {
                    let mut html = String::from_utf8_lossy(&bytes).into_owned();
                    if let Some(at) = html.find("http-equiv=refresh").or_else(|| html.find("http-equiv=\"refresh\"")) {
                        let start = html[..at].rfind('<').unwrap();
                        let end = at + html[at..].find('>').unwrap() + 1;
                        html.replace_range(start..end, "");
                    }
                    html = html
                        .replace("</body>", "<script src=\"/__axe/axe.min.js\"></script><script src=\"/__axe/run.js\"></script></body>");
                    bytes = html.into_bytes();
                }
                (200, content_type(&rel), bytes)
            }
            Err(_) => (404, "text/plain", b"not found".to_vec()),
        }
    };
    let head = format!("HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn chromium() -> PathBuf {
    common::tool(&["chromium", "chromium-browser", "google-chrome"], "apt-get install chromium (see .ci/run)")
}

/// One headless Chromium at a time: the machine has two cores.
fn chromium_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The DOM of `url` after its scripts ran for `budget_ms` of virtual time.
fn dump_dom(chrome: &Path, url: &str, budget_ms: u32) -> String {
    let _guard = chromium_lock();
    let profile = tempfile::tempdir().unwrap();
    let output = run_with_timeout(
        Command::new(chrome)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--virtual-time-budget={budget_ms}"))
            .arg("--dump-dom")
            .arg(url),
        120,
    );
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(dom.contains("<html"), "Chromium returned no DOM for {url}: {}", String::from_utf8_lossy(&output.stderr));
    dom
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

// ---------- 1. search: in a real browser ----------

#[test]
#[ignore = "needs Chromium"]
fn search_page_in_headless_chromium_lands_on_the_right_task() {
    let chrome = chromium();
    let out = built();
    let server = serve_static(out.to_path_buf());
    for (lang, query, expected, mark) in [
        ("zh", "知识产权", "plan/2011/intellectual-property/", "知识产权"),
        ("zh", "援疆", "plan/2011/st-assistance/", "援疆"),
        ("en", "intellectual property", "plan/2011/intellectual-property/", "Intellectual Property"),
    ] {
        let url = format!("http://127.0.0.1:{}/{lang}/search/?q={}", server.port, percent_encode(query));
        let dom = dump_dom(&chrome, &url, 5000);
        let html = Html::parse_document(&dom);
        let root = html.select(&sel("html")).next().unwrap();
        assert_eq!(root.value().attr("data-search-state"), Some("done"), "{query}: search did not finish");
        let links: Vec<String> = html.select(&sel("#search-page-results a")).map(|a| a.value().attr("href").unwrap().to_owned()).collect();
        assert!(!links.is_empty(), "{query}: no results in {dom}");
        assert_eq!(links[0], format!("../../{lang}/{expected}"), "{query}: first result {links:?}");
        let first = html.select(&sel("#search-page-results li")).next().unwrap();
        let marks: Vec<String> = first.select(&sel("mark")).map(|m| m.text().collect()).collect();
        assert!(marks.iter().any(|m| m.eq_ignore_ascii_case(mark) || mark.contains(m.as_str())), "{query}: highlighted {marks:?}");
        assert!(first.select(&sel(".search-result-snippet")).next().is_some(), "{query}: a snippet");
        let status: String = html.select(&sel("#search-page-status")).next().unwrap().text().collect();
        assert!(status.contains(query), "{query}: status {status:?}");
        assert_eq!(html.select(&sel(".search-nojs")).next().unwrap().value().attr("hidden"), Some(""), "the no-JS note is hidden");
    }
}

/// The header box: type, ↓ into the results, ↓/↑ between them, ↑ back to the box, Esc closes;
/// Enter (the form) goes to the search page with the query.
#[test]
#[ignore = "needs Chromium"]
fn header_search_box_works_by_keyboard() {
    let chrome = chromium();
    // A copy of the shared build: the test page is added to it.
    let copy = common::output_copy(common::example_built(&[]));
    let out = copy.path().to_path_buf();
    std::fs::write(
        out.join("keyboard-test.html"),
        r##"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>keyboard</title></head><body>
<iframe id="f" src="/zh/plan/2011/" style="width:1200px;height:800px"></iframe><pre id="log"></pre>
<script>
var log = [];
function note(k, v) { log.push([k, v]); document.getElementById("log").textContent = JSON.stringify(log); }
function key(el, k) { el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true })); }
document.getElementById("f").addEventListener("load", function once() {
  this.removeEventListener("load", once);
  var w = this.contentWindow, d = this.contentDocument;
  var input = d.getElementById("site-search-q"), form = input.form, popup = form.querySelector(".search-popup");
  input.focus();
  input.value = "援疆";
  input.dispatchEvent(new w.Event("input", { bubbles: true }));
  setTimeout(function () {
    var links = form.querySelectorAll(".search-results a");
    note("open", !popup.hidden);
    note("count", links.length);
    note("first", links.length ? links[0].getAttribute("href") : null);
    note("status", form.querySelector(".search-status").textContent);
    key(input, "ArrowDown");
    note("down1", d.activeElement === links[0]);
    key(d.activeElement, "ArrowDown");
    note("down2", d.activeElement === links[1]);
    key(d.activeElement, "ArrowUp");
    key(d.activeElement, "ArrowUp");
    note("up", d.activeElement === input);
    key(links[0], "Escape");
    note("closed", popup.hidden && d.activeElement === input);
    form.submit();
    setTimeout(function () {
      var sd = document.getElementById("f").contentDocument;
      note("page", sd.location.pathname + sd.location.search);
      var r = sd.querySelectorAll("#search-page-results a");
      note("page_first", r.length ? r[0].getAttribute("href") : null);
      document.documentElement.setAttribute("data-done", "1");
    }, 1500);
  }, 1500);
});
</script></body></html>"##,
    )
    .unwrap();
    let server = serve_static(out.clone());
    let dom = dump_dom(&chrome, &format!("http://127.0.0.1:{}/keyboard-test.html", server.port), 8000);
    let html = Html::parse_document(&dom);
    let log: String = html.select(&sel("#log")).next().unwrap().text().collect();
    let log: Vec<(String, serde_json::Value)> = serde_json::from_str(&log).unwrap_or_else(|e| panic!("{e}: {log}"));
    let get = |k: &str| log.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no {k} in {log:?}"));
    assert_eq!(get("open"), true, "{log:?}");
    assert!(get("count").as_u64().unwrap() >= 2, "{log:?}");
    assert_eq!(get("first"), "../../../zh/plan/2011/st-assistance/", "{log:?}");
    assert!(get("status").as_str().unwrap().contains("援疆"), "{log:?}");
    for step in ["down1", "down2", "up", "closed"] {
        assert_eq!(get(step), true, "{step}: {log:?}");
    }
    assert_eq!(get("page"), format!("/zh/search/?q={}", percent_encode("援疆")), "{log:?}");
    assert_eq!(get("page_first"), "../../zh/plan/2011/st-assistance/", "{log:?}");
}

// ---------- 5. deploy: nginx under /kjt/ ----------

/// nginx is often in an `sbin` folder that is not on a user's `PATH`.
fn nginx() -> PathBuf {
    common::tool(&["nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx"], "apt-get install nginx (see .ci/run)")
}

struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    /// SIGTERM lets the master stop its workers (SIGKILL would leave them running); SIGKILL only
    /// if it has not exited after 10 s.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 GET: (status, headers lower-cased, body).
fn http_get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

/// Resolves `href` found at URL path `base` (e.g. `/kjt/zh/`) to a path on the same server,
/// or `None` for other sites and non-HTTP links.
fn resolve_url(base: &str, href: &str, origin: &str) -> Option<String> {
    let href = href.split('#').next().unwrap();
    if href.is_empty() || href.starts_with("mailto:") || href.starts_with("data:") || href.starts_with("tel:") {
        return None;
    }
    let joined = if let Some(rest) = href.strip_prefix(origin) {
        rest.to_owned()
    } else if href.contains("://") || href.starts_with("//") {
        return None;
    } else if href.starts_with('/') {
        href.to_owned()
    } else {
        format!("{}{href}", &base[..=base.rfind('/').unwrap()])
    };
    let (path, query) = joined.split_once('?').map_or((joined.as_str(), None), |(p, q)| (p, Some(q)));
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/').skip(1) {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if let Some(q) = query {
        out = format!("{out}?{q}");
    }
    Some(out)
}

#[test]
#[ignore = "needs nginx"]
fn nginx_serves_the_site_under_kjt_with_no_broken_link_or_asset() {
    let nginx_bin = nginx();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let origin = format!("http://127.0.0.1:{port}");
    let site = Site::example();
    site.build(&["--base-url", &format!("{origin}/kjt/")]).assert_ok();
    let out = site.path("public");
    // nginx's workers run as an unprivileged user: let them read the output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let conf_dir = tempfile::tempdir().unwrap();
    let tmp = conf_dir.path();
    let mime = if Path::new("/etc/nginx/mime.types").is_file() {
        "include /etc/nginx/mime.types;".to_owned()
    } else {
        "types { text/html html; text/css css; text/javascript js; application/json json; application/xml xml; image/svg+xml svg; image/png png; }".to_owned()
    };
    // The `location` block of docs/deploy.md, as documented, with the alias pointed at this build.
    let deploy_doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    let location = deploy_doc.split("```nginx\n").nth(1).and_then(|b| b.split("```").next()).expect("an nginx block in docs/deploy.md");
    assert!(location.contains("alias /srv/www/kjt/;"), "{location}");
    let location = location.replace("alias /srv/www/kjt/;", &format!("alias {}/;", out.display()));
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\nevents {{ worker_connections 64; }}\n\
         http {{\n  {mime}\n  default_type application/octet-stream;\n  access_log off;\n\
           client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;\n\
           uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;\n\
           server {{\n    listen 127.0.0.1:{port};\n    server_name localhost;\n\
             {location}\n  }}\n}}\n",
        tmp = tmp.display(),
    );
    std::fs::write(tmp.join("nginx.conf"), conf).unwrap();
    let child = Command::new(&nginx_bin)
        .args(["-p", tmp.to_str().unwrap(), "-e", tmp.join("error.log").to_str().unwrap(), "-c", tmp.join("nginx.conf").to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nginx");
    let mut server = Nginx { child };
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.child.try_wait() {
            let mut err = String::new();
            let _ = server.child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("nginx exited ({status}): {err}\n{}", std::fs::read_to_string(tmp.join("error.log")).unwrap_or_default());
        }
        assert!(Instant::now() < deadline, "nginx did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Crawl every page from the root and both homes, and every URL of the sitemap.
    let mut queue: VecDeque<(String, String)> = ["/kjt/", "/kjt/zh/", "/kjt/en/", "/kjt/sitemap.xml", "/kjt/robots.txt"]
        .iter()
        .map(|p| (p.to_string(), "start".to_owned()))
        .collect();
    let mut seen: BTreeSet<String> = queue.iter().map(|(p, _)| p.clone()).collect();
    let mut broken = Vec::new();
    let mut fetched = 0;
    let link_selector = sel("a[href], link[href], script[src], img[src], form[action], [data-index], meta[property=\"og:image\"]");
    while let Some((path, from)) = queue.pop_front() {
        let (status, head, body) = http_get(port, &path);
        fetched += 1;
        if status != 200 {
            broken.push(format!("{status} {path} (linked from {from})"));
            continue;
        }
        let mut found: Vec<String> = Vec::new();
        if head.contains("content-type: text/html") {
            let html = Html::parse_document(&String::from_utf8_lossy(&body));
            for el in html.select(&link_selector) {
                let v = el.value();
                found.extend(["href", "src", "action", "data-index", "content"].iter().filter_map(|a| v.attr(a)).map(str::to_owned));
            }
        } else if path.ends_with(".xml") || path.ends_with(".txt") {
            let text = String::from_utf8_lossy(&body);
            for piece in text.split(['<', '>', '"', ' ', '\n']) {
                if piece.starts_with(&origin) {
                    found.push(piece.to_owned());
                }
            }
        } else if path.contains("/static/") && path.ends_with(".css") {
            assert!(head.contains("content-type: text/css"), "{path}: {head}");
        }
        for href in found {
            if let Some(target) = resolve_url(&path, &href, &origin) {
                if target.starts_with("/kjt/") && seen.insert(target.clone()) {
                    queue.push_back((target, path.clone()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links or assets under /kjt/:\n{}", broken.join("\n"));
    let pages = seen.iter().filter(|p| p.ends_with('/')).count();
    assert!(pages >= 95, "crawled only {pages} pages ({fetched} URLs)");
    for needed in ["/kjt/zh/search-index.json", "/kjt/en/atom.xml", "/kjt/static/og-default.png", "/kjt/static/favicon.svg"] {
        assert!(seen.contains(needed), "{needed} not reached by the crawl");
    }
    let css = seen.iter().find(|p| p.starts_with("/kjt/static/style.") && p.ends_with(".css")).expect("fingerprinted CSS fetched");
    // The documented cache headers: fingerprinted files for a year, pages revalidated.
    assert!(http_get(port, css).1.contains("cache-control: public, max-age=31536000, immutable"), "{css}");
    assert!(http_get(port, "/kjt/zh/").1.contains("cache-control: no-cache"));
    // A missing page: the site's 404 page, whose stylesheet loads from the base path.
    let (status, _, body) = http_get(port, "/kjt/no/such/page/");
    assert_eq!(status, 404);
    let html = Html::parse_document(&String::from_utf8_lossy(&body));
    let css = html.select(&sel("link[rel=stylesheet]")).next().unwrap().value().attr("href").unwrap().to_owned();
    assert!(css.starts_with("/kjt/static/style."), "{css}");
    assert_eq!(http_get(port, &css).0, 200, "{css}");
    println!("nginx under /kjt/: {fetched} URLs fetched, {pages} pages, none broken");
    drop(server);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "nginx (master and workers) stopped");
}

/// The example workflows of docs/deploy.md are valid YAML, and each runs the README's build
/// command (with a `--base-url`) and publishes what it builds.
#[test]
fn deploy_doc_workflows_run_the_readme_build() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let build = "cargo run --release -- build";
    assert!(readme.contains(build), "the README's build command changed: update docs/deploy.md");
    let doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    let blocks: Vec<&str> = doc.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    assert_eq!(blocks.len(), 3, "GitHub Pages, GitLab Pages, rsync/S3");
    for block in blocks {
        let yaml: serde_json::Value = serde_saphyr::from_str(block).unwrap_or_else(|e| panic!("invalid YAML: {e}\n{block}"));
        let text = serde_json::to_string(&yaml).unwrap();
        assert!(text.contains(&format!("{build} --base-url")), "runs the README's build with a base URL: {block}");
        assert!(text.contains("public"), "publishes public/: {block}");
    }
}

// ---------- 6. accessibility and validity ----------

fn axe() -> PathBuf {
    common::tool_file("tests/js/node_modules/axe-core/axe.min.js", NPM_CI)
}

/// One page of each type in both languages: the chooser, 404, every page template, search with
/// results, and the booklets (single-language and bilingual).
fn page_types() -> Vec<String> {
    let mut pages = vec!["index.html".to_owned(), "404.html".to_owned()];
    for lang in ["zh", "en"] {
        for p in [
            "",
            "plan/2011/",
            "plan/2011/talent/",
            "partners/",
            "partners/beijing/",
            "results/2011/",
            "results/2011/st-aid-fair/",
            "about/",
            "search/",
        ] {
            pages.push(format!("{lang}/{p}"));
        }
        pages.push(format!("{lang}/search/?q={}", percent_encode(if lang == "zh" { "知识产权" } else { "intellectual property" })));
        pages.push(format!("{lang}/reports/plan-2011/"));
        pages.push(format!("{lang}/reports/summary-2011/"));
    }
    pages.push("reports/plan-2011-bilingual/".to_owned());
    pages.push("reports/summary-2011-bilingual/".to_owned());
    pages
}

#[test]
#[ignore = "needs Chromium and axe-core (npm ci --prefix tests/js)"]
fn axe_core_finds_no_violations_in_headless_chromium() {
    let chrome = chromium();
    axe();
    let out = built();
    let server = serve_static(out.to_path_buf());
    let mut problems = Vec::new();
    for page in page_types() {
        let sep = if page.contains('?') { '&' } else { '?' };
        let url = format!("http://127.0.0.1:{}/{page}{sep}__axe", server.port);
        let dom = dump_dom(&chrome, &url, 15000);
        let html = Html::parse_document(&dom);
        let root = html.select(&sel("html")).next().unwrap();
        if let Some(err) = root.value().attr("data-axe-error") {
            problems.push(format!("{page}: axe failed: {err}"));
            continue;
        }
        let Some(result) = root.value().attr("data-axe") else {
            problems.push(format!("{page}: axe did not finish"));
            continue;
        };
        let violations: Vec<serde_json::Value> = serde_json::from_str(result).unwrap();
        for v in violations {
            problems.push(format!("{page}: {} ({}) {}\n    {}", v["id"], v["impact"], v["help"], v["nodes"]));
        }
    }
    assert!(problems.is_empty(), "axe-core violations:\n{}", problems.join("\n"));
}

#[test]
#[ignore = "needs Java and vnu-jar (npm ci --prefix tests/js)"]
fn nu_html_checker_finds_no_errors() {
    let jar = common::tool_file("tests/js/node_modules/vnu-jar/build/dist/vnu.jar", NPM_CI);
    let java = common::tool(&["java"], "apt-get install default-jre-headless (see .ci/run)");
    let out = built();
    let pages: Vec<PathBuf> = html_files(out).into_iter().map(|p| out.join(p)).collect();
    assert!(pages.len() > 90);
    let output = run_with_timeout(Command::new(java).arg("-jar").arg(&jar).args(["--errors-only", "--format", "gnu"]).args(&pages), 300);
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && report.trim().is_empty(), "Nu HTML checker errors:\n{report}");
}
