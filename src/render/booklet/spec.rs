//! What booklets a site has and what they are made of: the specs (kind × year or period ×
//! edition), the bilingual pair, the chapters as data with their page CSS, and the `across`
//! filter the chapter pieces pair their rows with.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::BookletKind;
use crate::model::{Paper, PrintProfile, Site};
use crate::render::punctuation::normalise_text;
use crate::render::shared::t;
use crate::routes::{Edition, Route};

impl BookletKind {
    /// (chapter id, i18n key of its title), in order.
    fn chapters(self) -> &'static [(&'static str, &'static str)] {
        match self {
            BookletKind::Plan => &[
                ("preamble", "booklet_chapter_preamble"),
                ("tasks", "booklet_chapter_tasks"),
                ("partners", "booklet_chapter_partners"),
                ("colophon", "booklet_chapter_colophon"),
            ],
            BookletKind::Summary => &[
                ("overview", "booklet_chapter_overview"),
                ("results-by-task", "booklet_chapter_results_by_task"),
                ("partners", "booklet_chapter_contributions"),
                ("results", "booklet_chapter_results"),
                ("annex", "booklet_chapter_annex"),
            ],
            // Then one chapter per year of the period (see [`chapters`]).
            BookletKind::Period => &[("targets", "booklet_chapter_period_targets")],
        }
    }
}

/// One booklet to render.
pub struct BookletSpec {
    pub kind: BookletKind,
    pub year: u32,
    /// `None` for the bilingual edition.
    pub lang: Option<String>,
    /// Its folder, e.g. `zh/reports/plan-2011/`.
    pub route: Route,
    /// The bilingual edition's two languages (`None` for a language's own edition).
    pub pair: Option<Pair>,
    /// A period booklet's period id (its `year` is the period's first).
    pub period: Option<String>,
}

/// The two languages of the bilingual booklets (the site's `bilingual:` pair), with their
/// names, which a booklet's title says.
#[derive(Debug, Clone)]
pub struct Pair {
    codes: [String; 2],
    names: [String; 2],
}

impl Pair {
    pub fn of(site: &Site) -> Option<Pair> {
        let [a, b] = site.bilingual_pair()?;
        let name = |code: &str| site.config.languages.iter().find(|l| l.code.value == code).map_or(code.to_owned(), |l| l.name.clone());
        Some(Pair { codes: [a.to_owned(), b.to_owned()], names: [name(a), name(b)] })
    }

    /// The edition's name in the language of `strings`: the theme's `booklet_bilingual_<a>_<b>`
    /// (中英对照版 for zh and en), else `booklet_bilingual_pair` with the two languages' names.
    pub fn title(&self, strings: &BTreeMap<String, String>) -> String {
        let [a, b] = &self.codes;
        if let Some(own) = strings.get(&format!("booklet_bilingual_{a}_{b}")) {
            return own.clone();
        }
        t(strings, "booklet_bilingual_pair").replace("{first}", &self.names[0]).replace("{second}", &self.names[1])
    }
}

impl BookletSpec {
    pub fn template(&self) -> String {
        match self.lang {
            Some(_) => format!("booklet/{}.html", self.kind.as_str()),
            None => format!("booklet/{}-bilingual.html", self.kind.as_str()),
        }
    }

    /// The languages of its editions: its own, or the site's bilingual pair.
    pub fn edition_langs<'a>(&'a self, site: &'a Site) -> Vec<&'a str> {
        match &self.lang {
            Some(l) => vec![l.as_str()],
            None => site.bilingual_pair().map(Vec::from).unwrap_or_default(),
        }
    }

    pub fn edition(&self) -> Edition<'_> {
        self.lang.as_deref().map_or(Edition::Bilingual, Edition::Language)
    }

    /// What a link to it says after the booklet's name: the pair's, or nothing.
    pub fn pair_title(&self, strings: &BTreeMap<String, String>) -> String {
        self.pair.as_ref().map(|p| p.title(strings)).unwrap_or_default()
    }

    /// The printed PDF, inside the booklet's folder.
    pub fn pdf_route(&self) -> Route {
        match &self.period {
            Some(id) => Route::period_booklet_pdf(id, self.edition()),
            None => Route::booklet_pdf(self.kind, self.year, self.edition()),
        }
    }

    /// The same booklet in `lang`'s edition.
    pub fn route_in(&self, lang: &str) -> Route {
        match &self.period {
            Some(id) => Route::period_booklet(id, Edition::Language(lang)),
            None => Route::booklet(self.kind, self.year, Edition::Language(lang)),
        }
    }

    /// Its years: the period's for a period booklet, else its own.
    pub fn years(&self, site: &Site) -> Vec<u32> {
        match site.periods.iter().find(|p| Some(&p.data.id.value) == self.period.as_ref()) {
            Some(p) => (p.data.first_year.value..=p.data.last_year.value).collect(),
            None => vec![self.year],
        }
    }

    /// The booklet's date (sitemap, JSON-LD, cover): its plan's, its summary's own (else the year's newest result's), or for a
    /// period the newest plan or result of its years.
    pub fn date(&self, site: &Site) -> Option<String> {
        let date = match self.kind {
            BookletKind::Plan => site.plans.get(&self.year).map(|p| p.record.data.date.value.clone()),
            BookletKind::Summary => site
                .summaries
                .get(&self.year)
                .map(|s| s.data.date.value.clone())
                .or_else(|| site.results.get(&self.year).and_then(|rs| rs.iter().map(|r| r.data.date.value.clone()).max())),
            // The newest plan or result of its years.
            BookletKind::Period => self
                .years(site)
                .iter()
                .flat_map(|y| {
                    let plan = site.plans.get(y).map(|p| p.record.data.date.value.clone());
                    plan.into_iter().chain(site.results.get(y).into_iter().flatten().map(|r| r.data.date.value.clone()))
                })
                .max(),
        };
        date.filter(|d| !d.is_empty())
    }
}

/// Every booklet of the site, in a stable order.
pub fn specs(site: &Site) -> Vec<BookletSpec> {
    let mut out = Vec::new();
    for year in site.plans.keys() {
        for kind in [BookletKind::Plan, BookletKind::Summary] {
            for lang in site.language_codes() {
                let route = Route::booklet(kind, *year, Edition::Language(lang));
                out.push(BookletSpec { kind, year: *year, lang: Some(lang.to_owned()), route, pair: None, period: None });
            }
            if let Some(pair) = Pair::of(site) {
                let route = Route::booklet(kind, *year, Edition::Bilingual);
                out.push(BookletSpec { kind, year: *year, lang: None, route, pair: Some(pair), period: None });
            }
        }
    }
    for p in &site.periods {
        let (id, year, kind) = (&p.data.id.value, p.data.first_year.value, BookletKind::Period);
        for lang in site.language_codes() {
            let route = Route::period_booklet(id, Edition::Language(lang));
            out.push(BookletSpec { kind, year, lang: Some(lang.to_owned()), route, pair: None, period: Some(id.clone()) });
        }
        if let Some(pair) = Pair::of(site) {
            let route = Route::period_booklet(id, Edition::Bilingual);
            out.push(BookletSpec { kind, year, lang: None, route, pair: Some(pair), period: Some(id.clone()) });
        }
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub page: Option<u32>,
    /// Its partial, `booklet/<kind>/<id>.html`: the one template of the chapter for every
    /// edition (each language's and the bilingual one), so a theme overrides it once.
    pub template: String,
    /// The partial rendered, set just before the booklet's page is (empty until then).
    pub html: String,
    /// The year of a period booklet's chapter of one year.
    pub year: Option<u32>,
    /// Its named page (`chapter-<page_name>`): its own id, or the chapter's before it when
    /// it runs on (`run_in`, a repair of `pdf`).
    pub page_name: String,
    pub run_in: bool,
}

/// Chapter titles: the language's own, or all languages' joined for the bilingual edition. A
/// period booklet has one more chapter per year of `years` (`booklet/period/year.html`).
pub fn chapters(
    kind: BookletKind,
    langs: &[&BTreeMap<String, String>],
    pages: Option<&BTreeMap<String, u32>>,
    years: &[u32],
) -> Vec<Chapter> {
    let fixed = kind.chapters().iter().map(|(id, key)| {
        let title = langs.iter().map(|s| t(s, key).to_owned()).collect::<Vec<_>>().join(" / ");
        ((*id).to_owned(), title, format!("booklet/{}/{id}.html", kind.as_str()), None)
    });
    let yearly = years.iter().filter(|_| kind == BookletKind::Period).map(|y| {
        let title = langs.iter().map(|s| t(s, "period_year").replace("{year}", &y.to_string())).collect::<Vec<_>>().join(" / ");
        (format!("year-{y}"), title, "booklet/period/year.html".to_owned(), Some(*y))
    });
    fixed
        .chain(yearly)
        .enumerate()
        .map(|(i, (id, title, template, year))| Chapter {
            page: pages.and_then(|p| p.get(&id).copied()),
            page_name: id.clone(),
            run_in: false,
            id,
            number: i + 1,
            title,
            template,
            html: String::new(),
            year,
        })
        .collect()
}

fn css_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " "))
}

/// The official folio: 4 号 (14 pt) Song, one character in from the outer edge of the type area.
const FOLIO: &str = "font-family:'PP Latin Serif','PP Song',serif;font-size:14pt;color:#000;vertical-align:top;padding:7mm 14pt 0";

/// Page size, the footer (the localised `page x / y`, or the official profile's folio) and one
/// named page per chapter with its head (its title as printed: `punctuation` normalised).
pub fn chapter_css(
    chapters: &[Chapter],
    strings: &BTreeMap<String, String>,
    paper: Paper,
    profile: PrintProfile,
    punctuation: bool,
) -> String {
    let size = match paper {
        Paper::A4 => "A4",
        Paper::A5 => "A5",
    };
    let mut css = match profile {
        PrintProfile::Booklet => format!(
            "@page{{size:{size};@bottom-center{{content:{} counter(page) {} counter(pages) {}}}}}\n",
            css_string(t(strings, "booklet_page_before")),
            css_string(t(strings, "booklet_page_middle")),
            css_string(t(strings, "booklet_page_after"))
        ),
        // GB/T 9704: `— 1 —` at the outer foot, the cover not counted (Chromium takes
        // `counter-increment: page 0` on the named cover page; `none` or `:first` it ignores).
        PrintProfile::Official => format!(
            "@page{{size:{size};margin:37mm 26mm 35mm 28mm;@bottom-center{{content:none}}}}\n@page cover{{margin:0;counter-increment:page 0;@bottom-left{{content:none}}@bottom-right{{content:none}}}}\n\
             @page :right{{margin-left:28mm;margin-right:26mm;@bottom-right{{content:\"— \" counter(page) \" —\";{FOLIO}}}}}\n\
             @page :left{{margin-left:26mm;margin-right:28mm;@bottom-left{{content:\"— \" counter(page) \" —\";{FOLIO}}}}}\n\
             @page imprint{{@top-center{{content:none}}@bottom-left{{content:none}}@bottom-right{{content:none}}}}\n"
        ),
    };
    for c in chapters {
        let title = if punctuation { normalise_text(&c.title) } else { Cow::Borrowed(c.title.as_str()) };
        css.push_str(&format!("@page chapter-{}{{@top-center{{content:{}}}}}\n", c.id, css_string(&title)));
    }
    css
}

/// The `across` filter of the booklet templates: `editions | across(key="tasks")` is the list of
/// tasks, each as the list of that task in every edition (`[[task in zh, task in en], …]`), and
/// `ts | across(key="actions")` goes one level down. A piece written once pairs its rows over one
/// edition or two this way, with no index into another edition's lists. An edition whose list is
/// shorter (validation keeps them equal) gives `none` there.
pub fn across(editions: &tera::Value, key: &str) -> tera::Value {
    let lists: Vec<&[tera::Value]> = editions
        .as_array()
        .unwrap_or_default()
        .iter()
        .map(|e| e.get_from_path(key).and_then(tera::Value::as_array).unwrap_or_default())
        .collect();
    let rows = lists.first().map_or(0, |l| l.len());
    let row = |i: usize| tera::Value::from(lists.iter().map(|l| l.get(i).cloned().unwrap_or_else(tera::Value::none)).collect::<Vec<_>>());
    tera::Value::from((0..rows).map(row).collect::<Vec<_>>())
}

/// Registers the booklet templates' own filters (`across`).
pub fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter("across", |value: &tera::Value, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("key")?;
        Ok(across(value, key))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn across_pairs_rows_by_position_and_pads_a_short_edition_with_none() {
        let editions = tera::Value::from_serializable(&json!([
            {"tasks": [{"n": 1}, {"n": 2}]},
            {"tasks": [{"n": 10}]},
        ]));
        let rows = across(&editions, "tasks");
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 2, "one row per item of the first edition");
        let first: Vec<Option<i64>> =
            rows[0].as_array().unwrap().iter().map(|t| t.get_from_path("n").and_then(tera::Value::as_i64)).collect();
        assert_eq!(first, [Some(1), Some(10)]);
        assert!(rows[1].as_array().unwrap()[1].is_none(), "the short edition gives none");
        assert_eq!(across(&tera::Value::from_serializable(&json!({"tasks": []})), "tasks").len(), Some(0), "not a list of editions");
    }
}
