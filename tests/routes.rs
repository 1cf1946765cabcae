//! The routes module against its documentation and the real output: docs/routes.md shows exactly
//! `routes::markdown_table()`, every file of the example site's output is one of its routes, and
//! the pages link to the addresses the constructors give.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use planpress::commands::build::prepare;
use planpress::output::OutputFile;
use planpress::render::{render, RenderOptions};
use planpress::routes::{self, BookletKind, Edition, Kind, Route};
use scraper::{Html, Selector};

const BASE_URL: &str = "https://example.org/kjt/";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example site rendered in memory, once for this file: no test here changes it.
fn example() -> &'static [OutputFile] {
    static FILES: OnceLock<Vec<OutputFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let Ok(prepared) = prepare(repo(), None, false) else { panic!("the example site does not load") };
        let options = RenderOptions { base_url: BASE_URL.to_owned(), publication: Default::default() };
        let Ok(rendered) = render(&prepared.site, &prepared.theme, &options) else { panic!("the example site does not render") };
        rendered.files
    })
}

fn file(route: &Route) -> &'static OutputFile {
    let path = route.output_path();
    example().iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no file {path} for route {route}"))
}

/// The values of `attr` of the elements `selector` selects in the page at `route`, unescaped.
fn attrs(route: &Route, selector: &str, attr: &str) -> Vec<String> {
    let html = Html::parse_document(&String::from_utf8_lossy(&file(route).bytes));
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector).filter_map(|e| e.value().attr(attr)).map(str::to_owned).collect()
}

/// Whether `path` is an output file of `pattern`: a `<name>` stands for a non-empty part of one
/// path segment, `<file>` for any non-empty path.
fn matches(pattern: &str, path: &str) -> bool {
    let Some((literal, rest)) = pattern.split_once('<') else { return pattern == path };
    let Some(path) = path.strip_prefix(literal) else { return false };
    let Some((name, after)) = rest.split_once('>') else { return false };
    (1..=path.len())
        .filter(|&n| path.is_char_boundary(n))
        .any(|n| (name == "file" || !path[..n].contains('/')) && matches(after, &path[n..]))
}

#[test]
fn docs_table_is_the_modules() {
    let doc = std::fs::read_to_string(repo().join("docs/routes.md")).expect("docs/routes.md");
    let open = doc.find("<!-- routes:table").expect("the table's opening marker");
    let start = open + doc[open..].find('\n').expect("a line after the marker") + 1;
    let end = doc.find("<!-- /routes:table -->").expect("the table's closing marker");
    let table = routes::markdown_table();
    assert_eq!(&doc[start..end], table, "docs/routes.md is out of date: put this between its markers:\n{table}");
    assert_eq!(routes::table().len(), Kind::ALL.len());
}

#[test]
fn every_output_file_is_a_route() {
    let mut seen = BTreeSet::new();
    for f in example() {
        let kinds: Vec<Kind> = Kind::ALL.iter().copied().filter(|k| matches(&routes::output_path(k.pattern().url), &f.path)).collect();
        assert!(!kinds.is_empty(), "{} is no route of docs/routes.md", f.path);
        seen.extend(kinds);
    }
    // Only `planpress pdf` writes the PDFs, only a preview its marker, the example's lists fit
    // one page (tests/lists.rs has the pages after the first) and its sitemap one file (a unit
    // test of site_files.rs splits one); the example shows every other kind of route.
    let unseen: Vec<Kind> = Kind::ALL.iter().copied().filter(|k| !seen.contains(k)).collect();
    assert_eq!(
        unseen,
        [
            Kind::ResultsPage,
            Kind::PartnerPage,
            Kind::BookletPdf,
            Kind::BilingualBookletPdf,
            Kind::PeriodBookletPdf,
            Kind::BilingualPeriodBookletPdf,
            Kind::SitemapPart,
            Kind::PreviewMarker
        ]
    );
}

#[test]
fn free_pages_cannot_take_a_routes_folder() {
    let folders = routes::folders_below_lang();
    assert_eq!(folders, ["data", "partners", "periods", "plan", "reports", "results", "search"]);
    let reserved = routes::reserved_page_names();
    for folder in folders.iter().chain(&["static", "index"]) {
        assert!(reserved.contains(folder), "a free page may be called {folder}");
    }
    // And validation refuses one so named (the list it uses is this one).
    let site = common::Site::example();
    site.write("content/pages/search.zh.md", "---\ntitle: 搜索\n---\n正文。\n");
    site.write("content/pages/search.en.md", "---\ntitle: Search\n---\nText.\n");
    let run = common::planpress(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E-id]") && run.stderr.contains("page name `search` is reserved"), "{}", run.stderr);
}

#[test]
fn the_matcher_tells_routes_apart() {
    assert!(matches("<lang>/plan/<year>/<task>/index.html", "zh/plan/2011/high-tech/index.html"));
    assert!(!matches("<lang>/plan/<year>/<task>/index.html", "zh/plan/2011/index.html"));
    assert!(!matches("<lang>/atom.xml", "zh/plan/atom.xml"));
    assert!(matches("static/<file>", "static/img/og.png"));
}

#[test]
fn pages_name_their_routes() {
    let task = Route::task("zh", 2011, "high-tech");
    assert_eq!(attrs(&task, "link[rel=canonical]", "href"), [task.absolute(BASE_URL)]);
    // The language switch: the same route in English, relative to the page.
    let english = format!("{}{}", task.root(), task.in_language("en").url());
    assert_eq!(english, "../../../../en/plan/2011/high-tech/");
    assert!(attrs(&task, "a[hreflang=en]", "href").contains(&english), "zh task page links {english}");
    let alternates = attrs(&task, "link[rel=alternate][hreflang]", "href");
    for lang in ["zh", "en"] {
        assert!(alternates.contains(&task.in_language(lang).absolute(BASE_URL)), "hreflang {lang} in {alternates:?}");
    }

    // The plan page links its booklets, in its language and bilingual.
    let plan = Route::plan("en", 2011);
    let links = attrs(&plan, "a", "href");
    for booklet in
        [Route::booklet(BookletKind::Plan, 2011, Edition::Language("en")), Route::booklet(BookletKind::Plan, 2011, Edition::Bilingual)]
    {
        file(&booklet);
        assert!(links.contains(&format!("{}{}", plan.root(), booklet.url())), "{plan} links {booklet}");
    }

    // A result: its page, its place in the sitemap and in the feed.
    let result = Route::result("en", 2011, "academician-workstations");
    file(&result);
    let sitemap = String::from_utf8_lossy(&file(&Route::sitemap()).bytes).into_owned();
    assert!(sitemap.contains(&format!("<loc>{}</loc>", result.absolute(BASE_URL))));
    let feed = String::from_utf8_lossy(&file(&Route::feed("en")).bytes).into_owned();
    assert!(feed.contains(&result.absolute(BASE_URL)), "the English feed links {result}");
    assert!(feed.contains(&format!("href=\"{}\"", Route::feed("en").absolute(BASE_URL))), "the feed names itself");
    file(&Route::search_index("zh"));
    file(&Route::partner("zh", "beijing"));
    file(&Route::page("en", "about"));
}
