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

    let mut entries: Vec<Value> = specs
        .iter()
        .map(|spec| json!({"loc": spec.route.absolute(&options.base_url), "lastmod": spec.updated.as_ref().filter(|u| spec.lastmod.as_ref().is_none_or(|d| u > &d)).or(spec.lastmod.as_ref()), "alternates": alternates(site, &spec.route, &options.base_url)}))
        .collect();
    entries.extend(booklet_entries(shared, site));
    let mut c = Context::new();
    c.insert("entries", &entries);
    c.insert("sitemap_url", &Route::sitemap().absolute(&options.base_url));
    c.insert("base_url", &options.base_url);
    c.insert("preview", &options.publication.is_preview());
    for (name, route) in [("sitemap.xml", Route::sitemap()), ("robots.txt", Route::robots())] {
        let text = shared.tera.render(name, &c).map_err(|err| template_error(name, &err))?;
        files.push(OutputFile { path: route.output_path(), bytes: text.into_bytes(), is_html: false });
    }
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
    let entries = meta::feed_entries(&results, s, base_url, site.config.feed_limit);
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
