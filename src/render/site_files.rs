//! The files beside the pages: the language chooser, the 404 page, the sitemap, robots.txt and
//! each language's Atom feed.

use serde_json::{json, Value};
use tera::Context;

use super::context::{alternates, root_alternates, translations, PageKind, PageMeta};
use super::pages::PageSpec;
use super::shared::{t, template_error, Shared};
use super::{base_path, meta, views, OutputFile};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::routes::Route;

/// The root chooser, 404, sitemap and robots.txt.
pub(super) fn site_files(shared: &Shared, site: &Site, specs: &[PageSpec]) -> Result<Vec<OutputFile>, Diagnostic> {
    let default = site.default_language();
    let strings = shared.strings(default);
    let options = &shared.options;
    let base_path = base_path(&options.base_url);
    let mut files = Vec::new();
    // The 404 page is served at any depth, so it links from the base path, not relatively.
    let pages = [
        ("index.html", PageKind::Chooser, "language", Route::chooser().root(), Route::chooser()),
        ("404.html", PageKind::NotFound, "not_found_title", base_path, Route::not_found()),
    ];
    for (name, kind, title_key, root, route) in pages {
        let mut c = shared.bases[default].clone();
        c.insert("root", &root);
        c.insert("default_url", Route::home(default).url());
        let description = site.config.description.value.get(default).map_or("", String::as_str);
        let page = PageMeta {
            // Neither page is in one language: each translation is a language's home.
            translations: translations(site, None, |code| Route::home(code).into_url()),
            alternates: root_alternates(site, &options.base_url),
            ..PageMeta::at(&route, kind, t(strings, title_key), description, &options.base_url)
        };
        c.insert("page", &page);
        if kind == PageKind::NotFound {
            c.insert("not_found", &not_found_texts(shared, site));
        }
        let html = shared.tera.render(name, &c).map_err(|err| template_error(name, &err))?;
        files.push(OutputFile { path: route.output_path(), bytes: html.into_bytes(), is_html: true });
    }

    let mut c = Context::new();
    c.insert("sitemap_url", &Route::sitemap().absolute(&options.base_url));
    c.insert("base_url", &options.base_url);
    c.insert("preview", &options.publication.is_preview());
    // One entry at a time, so that a site of 100,000 pages per language never holds every
    // entry as JSON at once: a part of the sitemap is rendered and its entries dropped.
    let entries = specs
        .iter()
        .map(|spec| {
            // The later of the page's date and its `updated:` date.
            let lastmod = spec.updated.as_ref().filter(|u| spec.lastmod.as_ref().is_none_or(|d| u > &d)).or(spec.lastmod.as_ref());
            json!({"loc": spec.route.absolute(&options.base_url), "lastmod": lastmod, "alternates": alternates(site, &spec.route, &options.base_url)})
        })
        .chain(booklet_entries(shared, site));
    let render = |part: &[Value]| {
        let mut c = c.clone();
        c.insert("entries", part);
        shared.tera.render("sitemap.xml", &c).map_err(|err| template_error("sitemap.xml", &err))
    };
    files.extend(sitemaps(entries, SITEMAP_LIMIT, &options.base_url, render)?);
    let text = shared.tera.render("robots.txt", &c).map_err(|err| template_error("robots.txt", &err))?;
    files.push(OutputFile { path: Route::robots().output_path(), bytes: text.into_bytes(), is_html: false });
    if options.publication.is_preview() {
        files.push(OutputFile { path: Route::preview_marker().output_path(), bytes: PREVIEW_MARKER.as_bytes().to_vec(), is_html: false });
    }
    Ok(files)
}

/// The 404 page speaks every language (a visitor who mistyped an English address reads English):
/// each language's title, text and home, the default language first.
fn not_found_texts(shared: &Shared, site: &Site) -> Vec<Value> {
    site.config
        .languages
        .iter()
        .map(|l| {
            let s = shared.strings(&l.code.value);
            json!({
                "code": l.code.value, "tag": l.tag, "dir": l.dir.as_str(), "name": l.name,
                "title": t(s, "not_found_title"), "text": t(s, "not_found_text"), "home": t(s, "back_home"),
                "url": Route::home(&l.code.value).url(),
            })
        })
        .collect()
}

/// The most addresses one sitemap file may list (sitemaps.org; search engines ignore the rest).
const SITEMAP_LIMIT: usize = 50_000;

/// The sitemap of `entries`: `sitemap.xml` as the theme renders it when they fit one file;
/// otherwise parts of `limit` entries each (`sitemap-1.xml`, …), each rendered by the theme, and
/// `sitemap.xml` as their index (sitemaps.org's own format, which no theme needs to change).
/// One part's entries are held at a time.
fn sitemaps(
    entries: impl Iterator<Item = Value>,
    limit: usize,
    base_url: &str,
    render: impl Fn(&[Value]) -> Result<String, Diagnostic>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let file = |route: Route, text: String| OutputFile { path: route.output_path(), bytes: text.into_bytes(), is_html: false };
    let mut entries = entries.peekable();
    let mut part: Vec<Value> = entries.by_ref().take(limit).collect();
    if entries.peek().is_none() {
        return Ok(vec![file(Route::sitemap(), render(&part)?)]);
    }
    let mut files = Vec::new();
    let mut index =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    while !part.is_empty() {
        let route = Route::sitemap_part(files.len() + 1);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml_escape(&route.absolute(base_url))));
        files.push(file(route, render(&part)?));
        part = entries.by_ref().take(limit).collect();
    }
    index.push_str("</sitemapindex>\n");
    files.push(file(Route::sitemap(), index));
    Ok(files)
}

/// `&`, `<`, `>` and quotes as XML entities.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// `PREVIEW.txt`, in a preview build only: CI deploying to production refuses a folder with it.
const PREVIEW_MARKER: &str = "planpress preview build: every publication state, drafts marked, not for the public site.\n\
planpress 预览版：包含所有审核状态的内容（草稿已标注），不得作为正式网站发布。\n";

/// The sitemap's booklets: each one's HTML (a language's edition with its counterparts in the
/// other languages; the bilingual one has none), and its PDF when `pdf` printed it.
fn booklet_entries(shared: &Shared, site: &Site) -> Vec<Value> {
    let base_url = &shared.options.base_url;
    let mut entries = Vec::new();
    for b in &shared.booklets {
        let alternates = if b.lang.is_some() { alternates(site, &b.route, base_url) } else { Vec::new() };
        entries.push(json!({"loc": b.route.absolute(base_url), "lastmod": b.date(site), "alternates": alternates}));
        if shared.print.pdfs.contains(b.route.url()) {
            entries.push(json!({"loc": b.pdf_route().absolute(base_url), "alternates": []}));
        }
    }
    entries
}

/// The Atom feed of one language's results (`/<lang>/atom.xml`, template `atom.xml`).
pub(super) fn atom_feed(shared: &Shared, site: &Site, lang: &str) -> Result<OutputFile, Diagnostic> {
    let v = &shared.views[lang];
    let s = shared.strings(lang);
    let base = &shared.bases[lang];
    let base_url = &shared.options.base_url;
    let results: Vec<&views::ResultView> = v.results.values().flatten().collect();
    let entries = meta::feed_entries(site, lang, &results, s, base_url, site.config.feed_limit);
    let plan_date = v.plans.values().next_back().map(|(p, _)| p.date.clone()).unwrap_or_default();
    let updated = results.iter().map(|r| r.date.as_str()).max().map(str::to_owned).unwrap_or(plan_date);
    let mut c = base.clone();
    c.insert("root", base_url);
    c.insert(
        "feed",
        &json!({
            "id": Route::feed(lang).absolute(base_url),
            "self_url": Route::feed(lang).absolute(base_url),
            "alternate_url": Route::home(lang).absolute(base_url),
            "title": format!("{} · {}", base.get("site").and_then(|s| s.get_from_path("title")).and_then(|v| v.as_str()).unwrap_or_default(), t(s, "results")),
            "subtitle": t(s, "illustrative"),
            "updated": meta::rfc3339(&updated),
        }),
    );
    c.insert("entries", &entries);
    let text = shared.tera.render("atom.xml", &c).map_err(|err| template_error("atom.xml", &err))?;
    Ok(OutputFile { path: Route::feed(lang).output_path(), bytes: text.into_bytes(), is_html: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(part: &[Value]) -> Result<String, Diagnostic> {
        Ok(part.iter().map(|e| e["loc"].as_str().unwrap_or_default()).collect::<Vec<_>>().join(" "))
    }

    fn entries(n: usize) -> impl Iterator<Item = Value> {
        (1..=n).map(|i| json!({ "loc": format!("https://example.org/a&b/{i}/") }))
    }

    fn text(f: &OutputFile) -> (&str, &str) {
        (f.path.as_str(), std::str::from_utf8(&f.bytes).unwrap_or_default())
    }

    #[test]
    fn a_sitemap_that_fits_is_one_file() {
        let files = sitemaps(entries(3), 3, "https://example.org/", render).expect("rendered");
        assert_eq!(
            files.iter().map(text).collect::<Vec<_>>(),
            [("sitemap.xml", "https://example.org/a&b/1/ https://example.org/a&b/2/ https://example.org/a&b/3/")]
        );
    }

    #[test]
    fn a_longer_sitemap_is_split_under_an_index() {
        let files = sitemaps(entries(5), 2, "https://example.org/", render).expect("rendered");
        let texts: Vec<(&str, &str)> = files.iter().map(text).collect();
        assert_eq!(
            texts[..3],
            [
                ("sitemap-1.xml", "https://example.org/a&b/1/ https://example.org/a&b/2/"),
                ("sitemap-2.xml", "https://example.org/a&b/3/ https://example.org/a&b/4/"),
                ("sitemap-3.xml", "https://example.org/a&b/5/"),
            ]
        );
        let (path, index) = texts[3];
        assert_eq!(path, "sitemap.xml");
        assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "), "{index}");
        assert!(index.contains("<sitemap><loc>https://example.org/sitemap-3.xml</loc></sitemap>\n</sitemapindex>\n"), "{index}");
        assert_eq!(index.matches("<sitemap>").count(), 3);
    }
}
