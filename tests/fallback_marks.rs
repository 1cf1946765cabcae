//! Fallback text carries its own `lang` and `dir` (issue 11, item 5): on the pages and booklets
//! of a language with no texts of its own, every run of Chinese shown in its stead is marked
//! Chinese, left to right, below the right-to-left page.

mod common;

use common::Site;
use scraper::{Html, Node};

/// The example with Uyghur (right to left) added and not a word of its content translated.
/// Its interface strings are the English ones: the theme's strings falling back one by one
/// (reported by `W-translation`) is another matter than the content's, and unmarked yet.
fn with_uyghur() -> Site {
    let site = Site::example();
    site.edit(
        "content/site.yaml",
        "  - {code: en, name: English, tag: en, dir: ltr}\n",
        "  - {code: en, name: English, tag: en, dir: ltr}\n  - {code: ug, name: ئۇيغۇرچە, tag: ug, dir: rtl}\n",
    );
    let english = std::fs::read_to_string(common::repo().join("themes/default/i18n/en.yaml")).unwrap();
    site.write("themes/default/i18n/ug.yaml", &english);
    site
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Each text run with Chinese in it whose nearest `lang` (the element's own or an ancestor's,
/// `<html>` included) is not `zh-Hans`, or whose nearest `dir` is not `ltr`: with the path of
/// element names down to it, for the failure message. Scripts and styles are data, not text.
fn unmarked_chinese(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Text(text) = node.value() else { continue };
        if !text.chars().any(is_cjk) {
            continue;
        }
        let elements: Vec<&scraper::node::Element> = node.ancestors().filter_map(|n| n.value().as_element()).collect();
        // Charts (SVG drawn in Rust, with the page's `lang`) are not marked yet; `<title>` is
        // checked on its own (it has one `lang` for the page's title and the site's).
        if elements.iter().any(|e| matches!(e.name(), "script" | "style" | "svg" | "title")) {
            continue;
        }
        let nearest = |attr| elements.iter().find_map(|e| e.attr(attr));
        if nearest("lang") != Some("zh-Hans") || nearest("dir") != Some("ltr") {
            let path: Vec<&str> = elements.iter().rev().map(|e| e.name()).collect();
            out.push(format!("{} > {:?}", path.join(" > "), text.trim()));
        }
    }
    out
}

#[test]
fn the_scan_finds_unmarked_chinese_and_accepts_marked() {
    let page = |body: &str| format!("<!doctype html><html lang=\"ug\" dir=\"rtl\"><head><title>t</title></head><body>{body}</body></html>");
    assert_eq!(unmarked_chinese(&page("<p>ئۇيغۇرچە <a href=\"x\">知识产权</a></p>")).len(), 1);
    assert_eq!(unmarked_chinese(&page("<p>ok <a lang=\"zh-Hans\" dir=\"ltr\">知识产权</a></p>")), Vec::<String>::new());
    assert_eq!(unmarked_chinese(&page("<p lang=\"zh-Hans\">知识产权</p>")).len(), 1, "dir is still rtl");
}

/// Every HTML file below `dir`, relative.
fn html_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    files
}

#[test]
fn chinese_fallback_on_uyghur_pages_and_booklets_is_marked() {
    let site = with_uyghur();
    let out = site.path("public");
    site.build_to(&out, &[]).assert_ok();
    let mut failures = Vec::new();
    let pages = html_under(&out.join("ug"));
    assert!(pages.len() > 30, "{} ug pages", pages.len());
    for file in &pages {
        let html = std::fs::read_to_string(file).unwrap();
        let root = Html::parse_document(&html).root_element().value().clone();
        assert_eq!((root.attr("lang"), root.attr("dir")), (Some("ug"), Some("rtl")), "{}", file.display());
        for run in unmarked_chinese(&html) {
            failures.push(format!("{}: {run}", file.strip_prefix(&out).unwrap().display()));
        }
    }
    assert!(failures.is_empty(), "{} unmarked runs:\n{}", failures.len(), failures.join("\n"));
    let booklets = pages.iter().filter(|p| p.starts_with(out.join("ug/reports"))).count();
    assert_eq!(booklets, 3, "the ug plan, summary and period booklets were scanned");

    // `<title>` takes the fallen-back title's language itself; a page titled by an interface
    // string (English here) is not marked.
    let title = |rel: &str| {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
        let title = html.select(&scraper::Selector::parse("title").unwrap()).next().unwrap().value().clone();
        (title.attr("lang").map(str::to_owned), title.attr("dir").map(str::to_owned))
    };
    let zh = (Some("zh-Hans".to_owned()), Some("ltr".to_owned()));
    assert_eq!(title("ug/plan/2011/high-tech/index.html"), zh);
    assert_eq!(title("ug/partners/beijing/index.html"), zh);
    assert_eq!(title("ug/search/index.html"), (None, None));
}
