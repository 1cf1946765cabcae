//! What the renderers share, computed once per render (mdBook's `RenderContext`): one Tera, each
//! language's views, formats and interface strings, the context common to a language's pages,
//! its navigation, the booklets to make, the options and the print. The site's pages, the
//! booklets and the files beside them read it through this module's small surface: [`Shared`],
//! [`t`] for an interface string and [`template_error`] for a failed template; nothing else of
//! `render/mod.rs` is theirs to import.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{json, Value};
use tera::{Context, Tera};

use super::format::Formats;
use super::theme::Theme;
use super::views::{self, LangMark, LangViews};
use super::{assets, booklet, context, data, meta, Print, RenderOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Site;
use crate::output::OutputFile;
use crate::routes::Route;

/// What the pages of a render share.
pub(super) struct Shared {
    pub(super) tera: Tera,
    pub(super) formats: BTreeMap<String, Formats>,
    pub(super) strings: BTreeMap<String, BTreeMap<String, String>>,
    pub(super) views: BTreeMap<String, LangViews>,
    /// The context common to every page of a language.
    pub(super) bases: BTreeMap<String, Context>,
    /// Navigation (title, url, mark of a fallen-back title) per language; each page marks its active entry.
    pub(super) navs: BTreeMap<String, Vec<(String, Route, Option<LangMark>)>>,
    pub(super) booklets: Vec<booklet::BookletSpec>,
    pub(super) options: RenderOptions,
    pub(super) print: Print,
    /// Each language's plans as Tera values, serialised once: most pages show their plan.
    pub(super) plan_values: BTreeMap<String, BTreeMap<u32, tera::Value>>,
    /// The open-data downloads, made up front: the data pages list their sizes and rows.
    pub(super) data: Vec<data::DataFile>,
}

impl Shared {
    pub(super) fn strings(&self, lang: &str) -> &BTreeMap<String, String> {
        &self.strings[lang]
    }

    /// The plan of `year` in `lang` as a Tera value (none if there is no such plan).
    pub(super) fn plan_value(&self, lang: &str, year: u32) -> tera::Value {
        self.plan_values.get(lang).and_then(|p| p.get(&year)).cloned().unwrap_or_else(tera::Value::none)
    }
}

/// Every language's plans as Tera values (see [`Shared::plan_values`]).
pub(super) fn plan_values(views: &BTreeMap<String, LangViews>) -> BTreeMap<String, BTreeMap<u32, tera::Value>> {
    views
        .iter()
        .map(|(lang, v)| (lang.clone(), v.plans.iter().map(|(year, (plan, _))| (*year, tera::Value::from_serializable(plan))).collect()))
        .collect()
}

impl Shared {
    /// Everything a render shares, from the site and the theme, and the theme's static files
    /// (CSS and JS fingerprinted). Errors are the theme's templates'.
    pub(super) fn new(site: &Site, theme: &Theme, options: RenderOptions) -> Result<(Shared, Vec<OutputFile>), Diagnostics> {
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
        // Every template sees `assets` (name → {url, integrity}).
        let assets = assets::build(&theme.statics);
        tera.global_context().insert("assets", &assets.map);
        // A preview (`build --preview`, `serve`) is never indexed, and marks what is not approved.
        tera.global_context().insert("preview", &options.publication.is_preview());
        let languages = site.language_codes();
        // The downloads before the views, not beside them: what making them holds for a moment
        // (all.json as a JSON tree) is then not on top of the views (each is parallel already).
        let data = data::files(site, &options.base_url);
        let views: BTreeMap<String, LangViews> =
            languages.par_iter().map(|lang| (lang.to_string(), views::build(site, lang, &theme.strings[*lang], None))).collect();
        let bases = languages
            .iter()
            .map(|lang| (lang.to_string(), base_context(site, lang, &views[*lang], &theme.strings[*lang], &options)))
            .collect();
        let navs = languages.iter().map(|lang| (lang.to_string(), nav(site, lang, &views[*lang], &theme.strings[*lang]))).collect();
        let plan_values = plan_values(&views);
        let shared = Shared {
            tera,
            formats,
            strings: theme.strings.clone(),
            views,
            bases,
            navs,
            booklets: booklet::specs(site),
            options,
            print: Print::default(),
            plan_values,
            data,
        };
        Ok((shared, assets.files))
    }
}

pub(super) fn t<'a>(strings: &'a BTreeMap<String, String>, key: &'a str) -> &'a str {
    strings.get(key).map(String::as_str).unwrap_or(key)
}

/// The navigation of one language: (title, url, section), and the title's mark when a free
/// page's title fell back.
fn nav_items(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>) -> Vec<(String, Route, String, Option<LangMark>)> {
    let year = site.current_year();
    let mut nav = vec![(t(strings, "home").to_owned(), Route::home(lang), "home".to_owned(), None)];
    if let Some(y) = year {
        nav.push((t(strings, "plan").to_owned(), Route::plan(lang, y), "plan".to_owned(), None));
    }
    nav.push((t(strings, "partners").to_owned(), Route::partners(lang), "partners".to_owned(), None));
    if let Some(y) = year.filter(|y| site.plans.contains_key(y)) {
        nav.push((t(strings, "results").to_owned(), Route::results(lang, y), "results".to_owned(), None));
    }
    for doc in &v.pages {
        nav.push((doc.title.clone(), Route::page(lang, &doc.slug), doc.slug.clone(), doc.translation.fallback.title.clone()));
    }
    nav
}

fn nav(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>) -> Vec<(String, Route, Option<LangMark>)> {
    nav_items(site, lang, v, strings).into_iter().map(|(title, route, _, mark)| (title, route, mark)).collect()
}

/// The part of the context shared by every page of one language.
fn base_context(site: &Site, lang: &str, v: &LangViews, strings: &BTreeMap<String, String>, options: &RenderOptions) -> Context {
    let language = site.config.languages.iter().find(|l| l.code.value == lang).expect("language of the site");
    let text = |t: &crate::model::Text| views::localised_string(t, lang, site.default_language());
    let mark = |t: &crate::model::Text| views::marked_string(site, t, lang).1;
    let mut c = Context::new();
    c.insert("lang_code", lang);
    c.insert("lang", &context::LangMeta::of(site, lang));
    c.insert("languages", &languages_json(site));
    c.insert(
        "site",
        &json!({
            "title": text(&site.config.title),
            "description": text(&site.config.description),
            "organisation": text(&site.config.organisation),
            // Their marks when they fell back (see `LangMark`).
            "title_mark": mark(&site.config.title),
            "description_mark": mark(&site.config.description),
            "organisation_mark": mark(&site.config.organisation),
            "base_url": options.base_url,
            "default_language": site.default_language(),
            "publisher": super::identity::publisher(site, lang),
        }),
    );
    c.insert("identity", &super::identity::context(site, lang, strings));
    c.insert("t", strings);
    c.insert(
        "social",
        &json!({
            "og_locale": meta::og_locale(&language.tag),
            "og_locale_alternates": site.config.languages.iter().filter(|l| l.code.value != lang).map(|l| meta::og_locale(&l.tag)).collect::<Vec<_>>(),
            "feed_url": Route::feed(lang).url(),
            "data_url": Route::data_page(lang).url(),
            "search_url": Route::search(lang).url(),
            "search_index_url": Route::search_index(lang).url(),
        }),
    );
    c.insert("illustrative_note", t(strings, "illustrative"));
    // Every plan period, so any page can link the periods of its year (partials/period_links.html).
    let periods: Vec<Value> = site
        .periods
        .iter()
        .map(|p| {
            let (title, mark) = views::marked_string(site, &p.data.title, lang);
            let url = Route::period(lang, &p.data.id.value).into_url();
            json!({"id": p.data.id.value, "title": title, "mark": mark, "url": url, "first_year": p.data.first_year.value, "last_year": p.data.last_year.value})
        })
        .collect();
    c.insert("periods", &periods);
    let year = site.current_year();
    c.insert("year", &year);
    c.insert("years", &site.plans.keys().collect::<Vec<_>>());
    let nav: Vec<Value> = nav_items(site, lang, v, strings)
        .into_iter()
        .map(|(title, route, section, mark)| json!({"title": title, "url": route.url(), "section": section, "mark": mark}))
        .collect();
    c.insert("nav", &nav);
    c
}

fn languages_json(site: &Site) -> Value {
    Value::Array(
        site.config
            .languages
            .iter()
            .map(
                |l| json!({"code": l.code.value, "name": l.name, "tag": l.tag, "dir": l.dir.as_str(), "url": Route::home(&l.code.value).url()}),
            )
            .collect(),
    )
}

pub(super) fn template_error(template: &str, err: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        "E-template",
        std::path::Path::new(&format!("themes/<theme>/templates/{template}")),
        Position::file(),
        format!("cannot render {template}:\n{err}"),
    )
    .help("the message above names the template line; check variable names against docs/templates.md")
    .zh(
        format!("无法渲染模板 {template}（原文：\n{err}）"),
        Some("上面的信息指出了出错的模板行；请对照 docs/templates.md 检查变量名".to_owned()),
    )
}
