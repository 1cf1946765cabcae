//! Render: the validated site and the theme become the files of the output, in memory.
//! Every page exists in every language at the same path below `/<lang>/`, so the language
//! switch and the hreflang alternates are path substitutions.

pub mod assets;
pub mod booklet;
pub mod charts;
pub mod format;
pub mod markdown;
pub mod meta;
pub mod search;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Site;
use format::Formats;
use theme::Theme;
use views::{LangViews, ROOT_TOKEN};

/// One file of the output, path relative to the output folder with `/` separators.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML pages are minified by the write stage; other files are written as they are.
    pub is_html: bool,
}

pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Pages per language code.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Number of booklets (HTML editions).
    pub booklets: usize,
}

#[derive(Default)]
pub struct RenderOptions {
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// Booklet folder URL → chapter id → printed page, from the PDF's first pass.
    pub page_numbers: BTreeMap<String, BTreeMap<String, u32>>,
    /// Booklet folder URLs whose PDF is written with this build, so pages link to it.
    pub pdfs: std::collections::BTreeSet<String>,
    /// Overrides `print.paper` of site.yaml.
    pub paper: Option<crate::model::Paper>,
}

#[derive(Debug, Clone, Serialize)]
struct Crumb {
    title: String,
    url: String,
}

/// What one page is, before the common parts are added.
struct PageSpec {
    lang: String,
    /// Root-relative, `zh/plan/2011/`.
    url: String,
    template: &'static str,
    kind: &'static str,
    title: String,
    description: String,
    crumbs: Vec<Crumb>,
    untranslated: bool,
    lastmod: Option<String>,
    data: Value,
}

pub fn render(site: &Site, theme: &Theme, options: &RenderOptions) -> Result<Rendered, Diagnostics> {
    let mut diags = Diagnostics::default();
    let formats: BTreeMap<String, Formats> = theme
        .strings
        .iter()
        .map(|(lang, t)| {
            let units_one = site.metrics.iter().filter_map(|m| {
                let one = m.unit_one.as_ref()?.value.get(lang)?;
                Some((m.unit.value.get(lang)?.clone(), one.clone()))
            });
            (lang.clone(), Formats::from_strings(t).with_units_one(units_one))
        })
        .collect();
    let Some(mut tera) = theme.tera(&formats, &mut diags) else {
        return Err(diags);
    };
    // Static files, CSS and JS fingerprinted: every template sees `assets` (name → {url, integrity}).
    let assets = match assets::collect(site, &theme.statics) {
        Ok(statics) => assets::build(&statics),
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    tera.global_context().insert("assets", &assets.map);
    let languages = site.language_codes();
    let views: BTreeMap<&str, LangViews> =
        languages.par_iter().map(|lang| (*lang, views::build(site, lang, &theme.strings[*lang]))).collect();

    let booklets = booklet::specs(site);
    let mut specs = Vec::new();
    for lang in &languages {
        specs.extend(page_specs(site, lang, &views[lang], &theme.strings[*lang], &formats[*lang], &booklets, options));
    }
    let bases: BTreeMap<&str, Context> =
        languages.iter().map(|lang| (*lang, base_context(site, lang, &views[lang], &theme.strings[*lang], options))).collect();

    let results: Vec<Result<OutputFile, Diagnostic>> =
        specs.par_iter().map(|spec| render_page(&tera, site, spec, &bases[spec.lang.as_str()], options)).collect();
    let mut files = Vec::with_capacity(results.len() + 8);
    let mut pages_per_language: BTreeMap<String, usize> = BTreeMap::new();
    let mut indexed: Vec<(&PageSpec, usize)> = Vec::with_capacity(specs.len());
    for (result, spec) in results.into_iter().zip(&specs) {
        match result {
            Ok(file) => {
                *pages_per_language.entry(spec.lang.clone()).or_default() += 1;
                indexed.push((spec, files.len()));
                files.push(file);
            }
            Err(d) => diags.push(d),
        }
    }
    // Search: one index per language of the pages above, and the search page (not counted as a page).
    for lang in &languages {
        let pages: Vec<search::Page> = indexed
            .iter()
            .filter(|(spec, _)| spec.lang == *lang)
            .map(|(spec, i)| search::Page { url: &spec.url, title: &spec.title, html: &files[*i].bytes, boost: search::boost(spec.kind) })
            .collect();
        let index = search::build_index(lang, &pages);
        files.push(OutputFile { path: format!("{lang}/search-index.json"), bytes: index, is_html: false });
        match render_page(&tera, site, &search_spec(lang, &theme.strings[*lang]), &bases[lang], options) {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
        match atom_feed(&tera, lang, &views[lang], &theme.strings[*lang], &bases[lang], options) {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    let booklet_results: Vec<Result<OutputFile, Diagnostic>> =
        booklets.par_iter().map(|b| render_booklet(&tera, site, b, &views, theme, &formats, &bases, options)).collect();
    for result in booklet_results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    match site_files(&tera, site, &specs, theme, assets.files, options) {
        Ok(extra) => files.extend(extra),
        Err(d) => diags.push(d),
    }
    if diags.has_errors() {
        return Err(diags);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files, pages_per_language, booklets: booklets.len() })
}

fn t<'a>(strings: &'a BTreeMap<String, String>, key: &'a str) -> &'a str {
    strings.get(key).map(String::as_str).unwrap_or(key)
}

/// Links to the booklets of one kind and year that a reader of `lang` can use.
fn booklet_links(
    booklets: &[booklet::BookletSpec],
    kind: booklet::BookletKind,
    year: u32,
    lang: &str,
    s: &BTreeMap<String, String>,
    options: &RenderOptions,
) -> Vec<Value> {
    booklets
        .iter()
        .filter(|b| b.kind == kind && b.year == year && b.lang.as_deref().is_none_or(|l| l == lang))
        .map(|b| {
            let title = match (kind, &b.lang) {
                (booklet::BookletKind::Plan, Some(_)) => t(s, "booklet_plan").to_owned(),
                (booklet::BookletKind::Summary, Some(_)) => t(s, "booklet_summary").to_owned(),
                (booklet::BookletKind::Plan, None) => format!("{} · {}", t(s, "booklet_plan"), t(s, "booklet_bilingual")),
                (booklet::BookletKind::Summary, None) => format!("{} · {}", t(s, "booklet_summary"), t(s, "booklet_bilingual")),
            };
            let pdf_url = if options.pdfs.contains(&b.url) { format!("{}{}", b.url, b.pdf_name()) } else { String::new() };
            json!({"title": title, "url": b.url, "pdf_url": pdf_url, "bilingual": b.lang.is_none()})
        })
        .collect()
}

fn page_specs(
    site: &Site,
    lang: &str,
    v: &LangViews,
    s: &BTreeMap<String, String>,
    formats: &Formats,
    booklets: &[booklet::BookletSpec],
    options: &RenderOptions,
) -> Vec<PageSpec> {
    let home = Crumb { title: t(s, "home").to_owned(), url: format!("{lang}/") };
    let site_description = site
        .config
        .description
        .value
        .get(lang)
        .or_else(|| site.config.description.value.get(site.default_language()))
        .cloned()
        .unwrap_or_default();
    let spec = |url: String, template, kind, title: String, description: String, crumbs: Vec<Crumb>, untranslated, data: Value| PageSpec {
        lang: lang.to_owned(),
        url,
        template,
        kind,
        title,
        description,
        crumbs,
        untranslated,
        lastmod: None,
        data,
    };
    let mut out = Vec::new();
    let year = site.current_year();
    let current = year.and_then(|y| v.plans.get(&y));
    let latest: Vec<&views::ResultView> = v.results.values().flatten().rev().take(5).collect();
    let recipients: usize = v.partners.iter().map(|p| p.recipients.len()).sum();
    out.push(spec(
        format!("{lang}/"),
        "home.html",
        "home",
        t(s, "home").to_owned(),
        site_description.clone(),
        vec![],
        current.is_some_and(|(p, _)| p.untranslated),
        json!({
            "plan": current.map(|(p, _)| p),
            "tasks": current.map(|(_, t)| t),
            "partners": v.partners,
            "supporters": v.supporters(),
            "coordinators": v.coordinators(),
            "results": latest,
            "stats": {
                "tasks": current.map_or(0, |(_, t)| t.len()),
                "actions": current.map_or(0, |(_, t)| t.iter().map(|t| t.actions.len()).sum::<usize>()),
                "partners": v.partners.len(),
                "supporters": v.supporters().len(),
                "coordinators": v.coordinators().len(),
                "recipients": recipients,
                "results": v.results.values().map(Vec::len).sum::<usize>(),
            },
        }),
    ));
    for (year, (plan, tasks)) in &v.plans {
        let plan_crumb = Crumb { title: plan.title.clone(), url: plan.url.clone() };
        out.push(spec(
            plan.url.clone(),
            "plan.html",
            "plan",
            plan.title.clone(),
            plan.context.clone(),
            vec![home.clone()],
            plan.untranslated,
            json!({"plan": plan, "tasks": tasks, "booklets": booklet_links(booklets, booklet::BookletKind::Plan, *year, lang, s, options)}),
        ));
        for (i, task) in tasks.iter().enumerate() {
            let as_ref = |t: &views::TaskView| json!({"number": t.number, "slug": t.slug, "title": t.title, "url": t.url});
            out.push(spec(
                task.url.clone(),
                "task.html",
                "task",
                task.title.clone(),
                format!("{} · {}", plan.title, task.title),
                vec![home.clone(), plan_crumb.clone()],
                task.untranslated,
                json!({"plan": plan, "task": task, "prev": i.checked_sub(1).map(|j| as_ref(&tasks[j])), "next": tasks.get(i + 1).map(as_ref), "year": year}),
            ));
        }
        let results = v.results.get(year).cloned().unwrap_or_default();
        let totals = booklet::totals_json(&booklet::year_totals(v, *year));
        let charts = booklet::site_charts(site, *year, lang, v, s, formats);
        let summary_booklets = booklet_links(booklets, booklet::BookletKind::Summary, *year, lang, s, options);
        let results_title = format!("{} {year}", t(s, "results"));
        let results_url = format!("{lang}/results/{year}/");
        let results_crumb = Crumb { title: results_title.clone(), url: results_url.clone() };
        out.push(spec(
            results_url,
            "results.html",
            "results",
            results_title.clone(),
            t(s, "illustrative").to_owned(),
            vec![home.clone()],
            results.iter().any(|r| r.untranslated),
            json!({"plan": plan, "results": results, "totals": totals, "year": year, "charts": charts, "booklets": summary_booklets}),
        ));
        for r in &results {
            let mut page = spec(
                r.url.clone(),
                "result.html",
                "result",
                r.title.clone(),
                t(s, "illustrative").to_owned(),
                vec![home.clone(), results_crumb.clone()],
                r.untranslated,
                json!({"plan": plan, "result": r}),
            );
            page.lastmod = Some(r.date.clone());
            out.push(page);
        }
    }
    out.push(spec(
        format!("{lang}/partners/"),
        "partners.html",
        "partners",
        t(s, "partners").to_owned(),
        t(s, "partners_description").to_owned(),
        vec![home.clone()],
        v.partners.iter().any(|p| p.untranslated),
        json!({"supporters": v.supporters(), "coordinators": v.coordinators()}),
    ));
    let partners_crumb = Crumb { title: t(s, "partners").to_owned(), url: format!("{lang}/partners/") };
    for p in &v.partners {
        out.push(spec(
            p.url.clone(),
            "partner.html",
            "partner",
            p.name.clone(),
            p.note.clone(),
            vec![home.clone(), partners_crumb.clone()],
            p.untranslated,
            json!({"partner": p}),
        ));
    }
    for doc in &v.pages {
        out.push(spec(
            doc.url.clone(),
            "page.html",
            "page",
            doc.title.clone(),
            doc.description.clone(),
            vec![home.clone()],
            doc.untranslated,
            json!({"doc": doc}),
        ));
    }
    // Sitemap `lastmod`: the plan's date for the plan and its tasks, the latest result's for a
    // year's results (results themselves carry their own date, above).
    for page in &mut out {
        if page.lastmod.is_none() {
            page.lastmod = match page.kind {
                "plan" | "task" => page.data.pointer("/plan/date").and_then(Value::as_str).map(str::to_owned),
                "results" => page
                    .data
                    .pointer("/results")
                    .and_then(Value::as_array)
                    .and_then(|rs| rs.iter().filter_map(|r| r.get("date").and_then(Value::as_str)).max().map(str::to_owned)),
                _ => None,
            }
            .filter(|d| !d.is_empty());
        }
    }
    // The home page describes the organisation (JSON-LD `GovernmentOrganization`).
    if let Some(Value::Object(data)) = out.first_mut().filter(|p| p.kind == "home").map(|p| &mut p.data) {
        let text = |t: &crate::model::Text, l: &str| t.value.get(l).cloned().unwrap_or_default();
        let name = text(&site.config.organisation, lang);
        let name = if name.is_empty() { text(&site.config.organisation, site.default_language()) } else { name };
        let others: Vec<String> =
            site.language_codes().iter().filter(|l| **l != lang).map(|l| text(&site.config.organisation, l)).collect();
        let jsonld = meta::organisation(&name, &others, &format!("{}{lang}/", options.base_url), &options.base_url, &site_description);
        data.insert("jsonld".to_owned(), Value::String(jsonld));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn render_booklet(
    tera: &Tera,
    site: &Site,
    spec: &booklet::BookletSpec,
    views: &BTreeMap<&str, LangViews>,
    theme: &Theme,
    formats: &BTreeMap<String, Formats>,
    bases: &BTreeMap<&str, Context>,
    options: &RenderOptions,
) -> Result<OutputFile, Diagnostic> {
    let page_lang = spec.lang.clone().unwrap_or_else(|| site.default_language().to_owned());
    let edition_langs: Vec<&str> = match &spec.lang {
        Some(l) => vec![l.as_str()],
        None => site.language_codes(),
    };
    let strings: Vec<&BTreeMap<String, String>> = edition_langs.iter().map(|l| &theme.strings[*l]).collect();
    let chapters = booklet::chapters(spec.kind, &strings, options.page_numbers.get(&spec.url));
    let paper = options.paper.unwrap_or(site.config.print.paper);
    let page_strings = &theme.strings[&page_lang];
    let chapter_css = booklet::chapter_css(&chapters, page_strings, paper);
    let editions: Vec<Value> = edition_langs
        .iter()
        .map(|l| booklet::edition(site, spec.kind, spec.year, l, &views[*l], &theme.strings[*l], &formats[*l]))
        .collect();
    let root = relative_root(&spec.url);
    let mut context = bases[page_lang.as_str()].clone();
    context.insert("root", &root);
    let title = match (&views[page_lang.as_str()].plans.get(&spec.year), spec.kind) {
        (Some((plan, _)), booklet::BookletKind::Plan) => plan.title.clone(),
        (Some((plan, _)), booklet::BookletKind::Summary) => format!("{} · {}", plan.title, t(page_strings, "booklet_summary")),
        (None, _) => String::new(),
    };
    let translations: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "url": format!("{}/reports/{}-{}/", l.code.value, spec.kind.as_str(), spec.year), "current": spec.lang.as_deref() == Some(l.code.value.as_str())}))
        .collect();
    context.insert(
        "page",
        &json!({
            "kind": format!("booklet_{}{}", spec.kind.as_str(), if spec.lang.is_none() { "_bilingual" } else { "" }),
            "title": title, "description": title, "url": spec.url,
            "canonical": format!("{}{}", options.base_url, spec.url), "untranslated": false, "breadcrumbs": [],
            "translations": translations,
            "alternates": spec.lang.as_deref().map(|l| alternates(site, &spec.url, l, &options.base_url)).unwrap_or_default(),
        }),
    );
    let pdf_url = if options.pdfs.contains(&spec.url) { format!("{}{}", spec.url, spec.pdf_name()) } else { String::new() };
    context.insert(
        "booklet",
        &json!({"kind": spec.kind.as_str(), "year": spec.year, "paper": match paper { crate::model::Paper::A4 => "a4", crate::model::Paper::A5 => "a5" }, "title": title, "subtitle": t(page_strings, if spec.kind == booklet::BookletKind::Plan { "booklet_plan" } else { "booklet_summary" }), "pdf_url": pdf_url}),
    );
    context.insert("chapters", &chapters);
    context.insert("chapter_css", &chapter_css);
    // JSON-LD `Report` for the booklet: `<script type="application/ld+json">{{ report_jsonld | safe }}</script>`.
    let page_views = &views[page_lang.as_str()];
    let date = match spec.kind {
        booklet::BookletKind::Plan => page_views.plans.get(&spec.year).map(|(p, _)| p.date.clone()),
        booklet::BookletKind::Summary => page_views.results.get(&spec.year).and_then(|rs| rs.iter().map(|r| r.date.clone()).max()),
    }
    .unwrap_or_default();
    let tags: Vec<&str> =
        site.config.languages.iter().filter(|l| edition_langs.contains(&l.code.value.as_str())).map(|l| l.tag.as_str()).collect();
    let publisher = site.config.organisation.value.get(&page_lang).cloned().unwrap_or_default();
    let report_jsonld = meta::report(&title, &tags, &format!("{}{}", options.base_url, spec.url), &date, &publisher, &options.base_url);
    context.insert("report_jsonld", &report_jsonld);
    context.insert("editions", &editions);
    if let Some(Value::Object(map)) = editions.first() {
        for (key, value) in map {
            if key != "lang" && key != "t" {
                context.insert(key.clone(), value);
            }
        }
    }
    let template = spec.template();
    let html = tera.render(&template, &context).map_err(|err| template_error(&template, &err))?;
    Ok(OutputFile { path: format!("{}index.html", spec.url), bytes: html.replace(ROOT_TOKEN, &root).into_bytes(), is_html: true })
}

/// The part of the context shared by every page of one language.
fn base_context(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>, options: &RenderOptions) -> Context {
    let language = site.config.languages.iter().find(|l| l.code.value == lang).expect("language of the site");
    let text = |t: &crate::model::Text| t.value.get(lang).or_else(|| t.value.get(site.default_language())).cloned().unwrap_or_default();
    let mut c = Context::new();
    c.insert("lang_code", lang);
    c.insert("lang", &json!({"code": lang, "name": language.name, "tag": language.tag, "dir": language.dir.as_str()}));
    c.insert("languages", &languages_json(site));
    c.insert(
        "site",
        &json!({
            "title": text(&site.config.title),
            "description": text(&site.config.description),
            "organisation": text(&site.config.organisation),
            "base_url": options.base_url,
            "default_language": site.default_language(),
        }),
    );
    c.insert("t", strings);
    c.insert(
        "social",
        &json!({
            "og_locale": meta::og_locale(&language.tag),
            "og_locale_alternates": site.config.languages.iter().filter(|l| l.code.value != lang).map(|l| meta::og_locale(&l.tag)).collect::<Vec<_>>(),
            "feed_url": format!("{lang}/atom.xml"),
            "search_url": format!("{lang}/search/"),
            "search_index_url": format!("{lang}/search-index.json"),
        }),
    );
    c.insert("illustrative_note", t(strings, "illustrative"));
    let year = site.current_year();
    c.insert("year", &year);
    c.insert("years", &site.plans.keys().collect::<Vec<_>>());
    let mut nav = vec![json!({"title": t(strings, "home"), "url": format!("{lang}/"), "section": "home"})];
    if let Some(y) = year {
        nav.push(json!({"title": t(strings, "plan"), "url": format!("{lang}/plan/{y}/"), "section": "plan"}));
    }
    nav.push(json!({"title": t(strings, "partners"), "url": format!("{lang}/partners/"), "section": "partners"}));
    if let Some(y) = year.filter(|y| site.plans.contains_key(y)) {
        nav.push(json!({"title": t(strings, "results"), "url": format!("{lang}/results/{y}/"), "section": "results"}));
    }
    for doc in &v.pages {
        nav.push(json!({"title": doc.title, "url": doc.url, "section": doc.slug}));
    }
    c.insert("nav", &nav);
    c
}

fn languages_json(site: &Site) -> Value {
    Value::Array(
        site.config
            .languages
            .iter()
            .map(
                |l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "dir": l.dir.as_str(), "url": format!("{}/", l.code.value)}),
            )
            .collect(),
    )
}

/// `zh/plan/2011/` → `../../../`; the site root → `./`.
fn relative_root(url: &str) -> String {
    let depth = url.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

fn with_lang(url: &str, from: &str, to: &str) -> String {
    format!("{to}/{}", url.strip_prefix(&format!("{from}/")).unwrap_or(url))
}

fn alternates(site: &Site, url: &str, lang: &str, base_url: &str) -> Vec<Value> {
    let mut out: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| json!({"tag": l.tag, "href": format!("{base_url}{}", with_lang(url, lang, &l.code.value))}))
        .collect();
    out.push(json!({"tag": "x-default", "href": format!("{base_url}{}", with_lang(url, lang, site.default_language()))}));
    out
}

fn render_page(tera: &Tera, site: &Site, spec: &PageSpec, base: &Context, options: &RenderOptions) -> Result<OutputFile, Diagnostic> {
    let root = relative_root(&spec.url);
    let mut context = base.clone();
    let translations: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "url": with_lang(&spec.url, &spec.lang, &l.code.value), "current": l.code.value == spec.lang}))
        .collect();
    let nav_active: Vec<Value> = base
        .get("nav")
        .and_then(|n| n.as_array())
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let url = item.get_from_path("url").and_then(|u| u.as_str()).unwrap_or_default();
                    let active = if url == format!("{}/", spec.lang) {
                        spec.url == url
                    } else {
                        spec.url.starts_with(url) || (url.contains("/plan/") && spec.kind == "task")
                    };
                    json!({"title": item.get_from_path("title").and_then(|u| u.as_str()), "url": url, "active": active})
                })
                .collect()
        })
        .unwrap_or_default();
    context.insert("nav", &nav_active);
    context.insert("root", &root);
    context.insert(
        "page",
        &json!({
            "kind": spec.kind,
            "title": spec.title,
            "description": spec.description,
            "url": spec.url,
            "canonical": format!("{}{}", options.base_url, spec.url),
            "untranslated": spec.untranslated,
            "breadcrumbs": spec.crumbs,
            "translations": translations,
            "alternates": alternates(site, &spec.url, &spec.lang, &options.base_url),
        }),
    );
    if let Value::Object(map) = &spec.data {
        for (key, value) in map {
            context.insert(key.clone(), value);
        }
    }
    let html = tera.render(spec.template, &context).map_err(|err| template_error(spec.template, &err))?;
    Ok(OutputFile { path: format!("{}index.html", spec.url), bytes: html.replace(ROOT_TOKEN, &root).into_bytes(), is_html: true })
}

fn template_error(template: &str, err: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        "E-template",
        std::path::Path::new(&format!("themes/<theme>/templates/{template}")),
        Position::file(),
        format!("cannot render {template}:\n{err}"),
    )
    .help("the message above names the template line; check variable names against docs/templates.md")
}

/// The root chooser, 404, sitemap, robots.txt and static files.
fn site_files(
    tera: &Tera,
    site: &Site,
    specs: &[PageSpec],
    theme: &Theme,
    static_files: Vec<OutputFile>,
    options: &RenderOptions,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let default = site.default_language();
    let strings = &theme.strings[default];
    let language = site.config.languages.iter().find(|l| l.code.value == default).expect("default language");
    let base_path = base_path(&options.base_url);
    let mut files = Vec::new();
    for (name, kind, root, url) in
        [("index.html", "chooser", "./".to_owned(), ""), ("404.html", "not_found", base_path.clone(), "404.html")]
    {
        let mut c = base_context(site, default, &views::build(site, default, strings), strings, options);
        c.insert("root", &root);
        c.insert("default_url", &format!("{default}/"));
        c.insert(
            "page",
            &json!({
                "kind": kind, "title": t(strings, if kind == "chooser" { "language" } else { "not_found_title" }), "description": site.config.description.value.get(default),
                "url": url, "canonical": format!("{}{url}", options.base_url), "untranslated": false, "breadcrumbs": [],
                "translations": site.config.languages.iter().map(|l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "url": format!("{}/", l.code.value), "current": false})).collect::<Vec<_>>(),
                "alternates": alternates_root(site, &options.base_url),
            }),
        );
        let _ = language;
        let html = tera.render(name, &c).map_err(|err| template_error(name, &err))?;
        files.push(OutputFile { path: name.to_owned(), bytes: html.into_bytes(), is_html: true });
    }

    let mut entries = Vec::new();
    for spec in specs {
        entries.push(json!({"loc": format!("{}{}", options.base_url, spec.url), "lastmod": spec.lastmod, "alternates": alternates(site, &spec.url, &spec.lang, &options.base_url)}));
    }
    let mut c = Context::new();
    c.insert("entries", &entries);
    c.insert("sitemap_url", &format!("{}sitemap.xml", options.base_url));
    c.insert("base_url", &options.base_url);
    for name in ["sitemap.xml", "robots.txt"] {
        let text = tera.render(name, &c).map_err(|err| template_error(name, &err))?;
        files.push(OutputFile { path: name.to_owned(), bytes: text.into_bytes(), is_html: false });
    }
    // The theme's and the site's static files (merged in `assets::collect`), CSS/JS fingerprinted.
    files.extend(static_files);
    Ok(files)
}

/// The search page of one language (`/<lang>/search/`): rendered like a page but not counted,
/// not indexed and not in the sitemap.
fn search_spec(lang: &str, s: &BTreeMap<String, String>) -> PageSpec {
    PageSpec {
        lang: lang.to_owned(),
        url: format!("{lang}/search/"),
        template: "search.html",
        kind: "search",
        title: t(s, "search_title").to_owned(),
        description: t(s, "search_description").to_owned(),
        crumbs: vec![Crumb { title: t(s, "home").to_owned(), url: format!("{lang}/") }],
        untranslated: false,
        lastmod: None,
        data: json!({"index_url": format!("{lang}/search-index.json")}),
    }
}

/// The Atom feed of one language's results (`/<lang>/atom.xml`, template `atom.xml`).
fn atom_feed(
    tera: &Tera,
    lang: &str,
    v: &LangViews,
    s: &BTreeMap<String, String>,
    base: &Context,
    options: &RenderOptions,
) -> Result<OutputFile, Diagnostic> {
    let results: Vec<&views::ResultView> = v.results.values().flatten().collect();
    let entries = meta::feed_entries(&results, &options.base_url);
    let plan_date = v.plans.values().next_back().map(|(p, _)| p.date.clone()).unwrap_or_default();
    let updated = results.iter().map(|r| r.date.as_str()).max().map(str::to_owned).unwrap_or(plan_date);
    let mut c = base.clone();
    c.insert("root", &options.base_url);
    c.insert(
        "feed",
        &json!({
            "id": format!("{}{lang}/atom.xml", options.base_url),
            "self_url": format!("{}{lang}/atom.xml", options.base_url),
            "alternate_url": format!("{}{lang}/", options.base_url),
            "title": format!("{} · {}", base.get("site").and_then(|s| s.get_from_path("title")).and_then(|v| v.as_str()).unwrap_or_default(), t(s, "results")),
            "subtitle": t(s, "illustrative"),
            "updated": meta::rfc3339(&updated),
        }),
    );
    c.insert("entries", &entries);
    let text = tera.render("atom.xml", &c).map_err(|err| template_error("atom.xml", &err))?;
    Ok(OutputFile { path: format!("{lang}/atom.xml"), bytes: text.into_bytes(), is_html: false })
}

fn alternates_root(site: &Site, base_url: &str) -> Vec<Value> {
    let mut out: Vec<Value> =
        site.config.languages.iter().map(|l| json!({"tag": l.tag, "href": format!("{base_url}{}/", l.code.value)})).collect();
    out.push(json!({"tag": "x-default", "href": base_url}));
    out
}

/// `https://example.org/kjt/` → `/kjt/`: the 404 page is served at any depth, so it links from
/// the site's base path rather than relatively.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots_and_base_paths() {
        assert_eq!(relative_root("zh/plan/2011/"), "../../../");
        assert_eq!(relative_root(""), "./");
        assert_eq!(base_path("https://example.org/kjt/"), "/kjt/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(with_lang("zh/plan/2011/", "zh", "en"), "en/plan/2011/");
    }
}
