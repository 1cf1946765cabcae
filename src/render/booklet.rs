//! Booklets: the plan and the year-end summary as single print-ready HTML files, per language
//! and bilingual. Chapters get one named page each (Chromium has no `string-set`, so the running
//! head is a literal per chapter) and, after the PDF's first pass, their page numbers.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use super::context::{alternates, translations, LangMeta, PageKind, PageMeta};
use super::figures::{self, partner_results, year_totals};
use super::shared::{t, template_error, Shared};
use super::views::{
    localised_string, marked_string, ActionView, Fallback, LangMark, LangViews, PartnerRef, PartnerSummary, PlanView, ResultRef, ResultRow,
    ResultView, TargetView, TaskRef, TaskView,
};
use super::{meta, OutputFile, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::{MetricKind, Paper, PartnerRole, PrintProfile, Site};
use crate::routes;
// The kind lives with the routes (a booklet's URL names it); its chapters are the booklet's own.
pub use crate::routes::BookletKind;

mod period;
mod spec;
use period::{period_edition, period_title};
pub use spec::{across, chapter_css, chapters, register_filters, specs, BookletSpec, Chapter, Pair};

/// What `pdf` mends in a booklet after a printed pass (see `commands/pdf/layout.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Chapters that run on after the one before (on its named page) instead of opening a
    /// page: a short chapter after a page left nearly empty.
    pub run_in: std::collections::BTreeSet<String>,
    /// Blank pages before the back cover (`print.pad`), or in the official profile before the
    /// end matter (so that it is on a left-hand page).
    pub blanks: u32,
    /// The rows (`data-row` keys) that continue a table on a later page: the next render
    /// labels them with the table's and the group's name and "continued".
    pub continued: std::collections::BTreeSet<String>,
}

fn status(target: f64, achieved: Option<f64>) -> &'static str {
    match achieved {
        None => "no_data",
        Some(a) if a >= target => "met",
        Some(a) if a > 0.0 => "partly",
        Some(_) => "not_met",
    }
}

#[derive(Serialize)]
struct PlanEdition<'a> {
    lang: LangMeta<'a>,
    t: &'a BTreeMap<String, String>,
    pair_title: String,
    plan: &'a PlanView,
    tasks: Vec<PlanTask<'a>>,
    supporters: Vec<PartnerSummary<'a>>,
    coordinators: Vec<PartnerSummary<'a>>,
}

/// A task as the plan booklet has it: its page's view without the results, which a plan does
/// not print (and which a site of many years has many of).
#[derive(Serialize)]
struct PlanTask<'a> {
    number: u32,
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    body_html: &'a str,
    lead_bodies: &'a [String],
    lead_body_marks: &'a [Option<LangMark>],
    /// The title's and body's marks when they fell back.
    fallback: &'a Fallback,
    actions: &'a [ActionView],
    targets: &'a [TargetView],
    partners: &'a [PartnerRef],
    untranslated: bool,
}

impl<'a> From<&'a TaskView> for PlanTask<'a> {
    fn from(t: &'a TaskView) -> Self {
        PlanTask {
            number: t.number,
            slug: &t.slug,
            url: &t.url,
            title: &t.title,
            body_html: &t.body_html,
            lead_bodies: &t.lead_bodies,
            lead_body_marks: &t.lead_body_marks,
            fallback: &t.translation.fallback,
            actions: &t.actions,
            targets: &t.targets,
            partners: &t.partners,
            untranslated: t.untranslated,
        }
    }
}

/// The front matter of a year-end summary in one language: its own (`summary.yaml` and the
/// foreword of `summary.<lang>.md`), or, without one, the year's name, the organisation and the
/// date of the year's newest result. Never the plan's title or date: no office signs a year-end
/// summary with the date of its spring plan.
#[derive(Serialize)]
pub struct SummaryFront<'a> {
    pub title: String,
    pub issuer: String,
    /// The title's and issuer's marks when they fell back.
    pub title_mark: Option<LangMark>,
    pub issuer_mark: Option<LangMark>,
    pub date: String,
    pub foreword_html: String,
    /// The foreword's language when it is not the edition's (its `lang`/`dir`).
    pub foreword_lang: Option<LangMeta<'a>>,
    /// Whether the year has its own front matter.
    pub own: bool,
}

pub fn summary_front<'a>(site: &'a Site, year: u32, lang: &str, views: &LangViews, strings: &BTreeMap<String, String>) -> SummaryFront<'a> {
    let default = site.default_language();
    let Some(summary) = site.summaries.get(&year) else {
        return SummaryFront {
            title: meta::year_string(strings, "summary_default_title", year),
            issuer: localised_string(&site.config.organisation, lang, default),
            title_mark: None,
            issuer_mark: marked_string(site, &site.config.organisation, lang).1,
            date: site.results.get(&year).and_then(|rs| rs.iter().map(|r| r.data.date.value.clone()).max()).unwrap_or_default(),
            foreword_html: String::new(),
            foreword_lang: None,
            own: false,
        };
    };
    let (foreword_html, from) = views.forewords.get(&year).map_or(("", ""), |(html, from)| (html.as_str(), from.as_str()));
    let (title, title_mark) = marked_string(site, &summary.data.title, lang);
    let (issuer, issuer_mark) = marked_string(site, &summary.data.issuer, lang);
    SummaryFront {
        title,
        issuer,
        title_mark,
        issuer_mark,
        date: summary.data.date.value.clone(),
        foreword_html: foreword_html.to_owned(),
        foreword_lang: (!from.is_empty() && from != lang).then(|| LangMeta::of(site, from)),
        own: true,
    }
}

#[derive(Serialize)]
struct SummaryEdition<'a> {
    lang: LangMeta<'a>,
    summary: SummaryFront<'a>,
    t: &'a BTreeMap<String, String>,
    pair_title: String,
    plan: &'a PlanView,
    tasks: &'a [TaskView],
    results: SummaryResults<'a>,
    /// Whether `results` are listed rather than reprinted (`print.summary_full_texts`).
    results_listed: bool,
    totals: Vec<Value>,
    partner_rows: Vec<Value>,
    charts: Value,
    headline: Vec<Value>,
    task_rows: Vec<Value>,
}

/// The results of a summary: reprinted with their texts, or, for a year of many, listed.
#[derive(Serialize)]
#[serde(untagged)]
enum SummaryResults<'a> {
    /// With their bodies, rendered for the booklet.
    Full(Vec<ResultView>),
    Listed(Vec<ListedResult<'a>>),
}

/// A result as a summary lists it: its row of the year's list, with the full address of its
/// page, which a printed list gives instead of the text.
#[derive(Serialize)]
struct ListedResult<'a> {
    #[serde(flatten)]
    row: ResultRow<'a>,
    address: String,
}

/// The data of one language's edition of a booklet, serialised once for Tera (an edition is
/// both in `editions` and, for the first, at the top level of the context).
pub(super) fn edition(shared: &Shared, site: &Site, kind: BookletKind, year: u32, lang: &str) -> tera::Value {
    let (views, strings, formats) = (&shared.views[lang], shared.strings(lang), &shared.formats[lang]);
    let lang_json = LangMeta::of(site, lang);
    let Some((plan, tasks)) = views.plans.get(&year) else { return tera::Value::from(BTreeMap::<String, tera::Value>::new()) };
    match kind {
        BookletKind::Plan => tera::Value::from_serializable(&PlanEdition {
            lang: lang_json,
            t: strings,
            pair_title: Pair::of(site).map(|p| p.title(strings)).unwrap_or_default(),
            plan,
            tasks: tasks.iter().map(PlanTask::from).collect(),
            supporters: views.partner_summaries(Some(PartnerRole::Supporter)),
            coordinators: views.partner_summaries(Some(PartnerRole::Coordinator)),
        }),
        BookletKind::Summary => {
            let results: &[ResultView] = views.results.get(&year).map_or(&[], Vec::as_slice);
            let results_listed = !site.config.print.summary_full_texts.reprints(results.len());
            let totals = year_totals(views, year);
            let task_rows: Vec<Value> = tasks
                .iter()
                .map(|task| {
                    let targets: Vec<Value> = task
                        .targets
                        .iter()
                        .map(|x| json!({"metric": x.metric, "target": x.value, "achieved": x.achieved, "status": status(x.value, x.achieved), "variance": x.achieved.map(|a| a - x.value)}))
                        .collect();
                    json!({"task": TaskRef { year, number: task.number, slug: task.slug.clone(), title: task.title.clone(), mark: task.translation.fallback.title.clone(), url: task.url.clone() }, "targets": targets, "results": task.results})
                })
                .collect();
            let partner_rows: Vec<Value> = partner_results(views, results)
                .into_iter()
                .map(|(p, own)| {
                    let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
                    for r in &own {
                        for v in &r.values {
                            *sums.entry(v.metric.id.as_str()).or_default() += v.value;
                        }
                    }
                    let values: Vec<Value> =
                        views.metrics.iter().filter_map(|m| sums.get(m.id.as_str()).map(|v| json!({"metric": m, "value": v}))).collect();
                    let refs: Vec<ResultRef> = own
                        .iter()
                        .map(|r| ResultRef { year, slug: r.slug.clone(), title: r.title.clone(), mark: r.translation.fallback.title.clone(), date: r.date.clone(), url: r.url.clone() })
                        .collect();
                    json!({"partner": PartnerRef { id: p.id.clone(), name: p.name.clone(), mark: p.translation.fallback.title.clone(), url: p.url.clone() }, "results": refs, "values": values})
                })
                .collect();
            let headline: Vec<Value> = totals
                .iter()
                .filter(|x| x.metric.kind != MetricKind::Percent)
                .take(6)
                .map(|x| json!({"metric": x.metric, "value": x.value}))
                .collect();
            tera::Value::from_serializable(&SummaryEdition {
                lang: lang_json,
                summary: summary_front(site, year, lang, views, strings),
                t: strings,
                pair_title: Pair::of(site).map(|p| p.title(strings)).unwrap_or_default(),
                plan,
                tasks,
                results: if results_listed {
                    let base_url = &shared.options.base_url;
                    SummaryResults::Listed(
                        results
                            .iter()
                            .map(|r| ListedResult { row: ResultRow::from(r), address: routes::absolute(base_url, &r.url) })
                            .collect(),
                    )
                } else {
                    SummaryResults::Full(results.iter().map(|r| r.with_body(site, lang)).collect())
                },
                results_listed,
                totals: figures::totals_json(&totals),
                partner_rows,
                charts: figures::site_charts(site, year, lang, views, strings, formats),
                headline,
                task_rows,
            })
        }
        // A period's edition is `period_edition`'s, by the period's id.
        BookletKind::Period => tera::Value::from(BTreeMap::<String, tera::Value>::new()),
    }
}

/// Renders `specs` into `sink`, returning the errors. The booklets of one kind and year share
/// their editions: each language's is serialised once for its own booklet and the bilingual one
/// (an edition of a summary holds every result of the year, bodies included).
pub(super) fn render_all(shared: &Shared, site: &Site, specs: &[&BookletSpec], sink: &Sink) -> Vec<Diagnostic> {
    let mut groups: Vec<Vec<&BookletSpec>> = Vec::new();
    for spec in specs {
        match groups.iter_mut().find(|g| g[0].kind == spec.kind && g[0].year == spec.year && g[0].period == spec.period) {
            Some(group) => group.push(spec),
            None => groups.push(vec![spec]),
        }
    }
    groups
        .par_iter()
        .flat_map_iter(|group| {
            let (kind, year) = (group[0].kind, group[0].year);
            let mut langs: Vec<&str> = Vec::new();
            for spec in group {
                for l in spec.edition_langs(site) {
                    if !langs.contains(&l) {
                        langs.push(l);
                    }
                }
            }
            let editions: BTreeMap<&str, tera::Value> = langs
                .par_iter()
                .map(|l| {
                    let (v, s, f) = (&shared.views[*l], shared.strings(l), &shared.formats[*l]);
                    let edition = match &group[0].period {
                        Some(id) => period_edition(site, id, l, v, s, f),
                        None => edition(shared, site, kind, year, l),
                    };
                    (*l, edition)
                })
                .collect();
            let errors: Vec<Diagnostic> = group
                .par_iter()
                .filter_map(|spec| match render(shared, site, spec, &editions) {
                    Ok(file) => {
                        sink(file);
                        None
                    }
                    Err(d) => Some(d),
                })
                .collect();
            errors
        })
        .collect()
}

/// Renders one booklet: the page around it and one edition per language (from `editions`).
fn render(shared: &Shared, site: &Site, spec: &BookletSpec, editions: &BTreeMap<&str, tera::Value>) -> Result<OutputFile, Diagnostic> {
    let options = &shared.options;
    let edition_langs = spec.edition_langs(site);
    // The bilingual booklet's page is in the first language of its pair.
    let page_lang = edition_langs.first().map_or_else(|| site.default_language().to_owned(), |l| (*l).to_owned());
    let strings: Vec<&BTreeMap<String, String>> = edition_langs.iter().map(|l| shared.strings(l)).collect();
    let profile = shared.print.profile.unwrap_or(site.config.print.profile);
    let mut chapters = chapters(spec.kind, &strings, shared.print.page_numbers.get(spec.route.url()), &spec.years(site));
    let repairs = shared.print.repairs.get(spec.route.url()).cloned().unwrap_or_default();
    // A chapter run on takes the named page (and so the running head) of the one before:
    // Chromium breaks the page wherever the page name changes.
    for i in 1..chapters.len() {
        if repairs.run_in.contains(&chapters[i].id) {
            chapters[i].run_in = true;
            chapters[i].page_name = chapters[i - 1].page_name.clone();
        }
    }
    if profile == PrintProfile::Official {
        // Official folios count neither the cover nor the blank back of its sheet: the
        // contents give the folio, not the sheet.
        chapters.iter_mut().for_each(|c| c.page = c.page.map(|p| p.saturating_sub(2)));
    }
    // GB/T 9704 is an A4 standard.
    let paper = if profile == PrintProfile::Official { Paper::A4 } else { shared.print.paper.unwrap_or(site.config.print.paper) };
    let page_strings = shared.strings(&page_lang);
    let mut chapter_css = chapter_css(&chapters, page_strings, paper, profile, site.config.typography.normalise_punctuation);
    if shared.print.prepress {
        // 3 mm bleed around the cover: a larger sheet, its TrimBox set by `pdf` afterwards.
        let (w, h) = match paper {
            Paper::A4 => (210, 297),
            Paper::A5 => (148, 210),
        };
        chapter_css.push_str(&format!("@page cover{{size:{}mm {}mm}}\n", w + 2 * BLEED_MM, h + 2 * BLEED_MM));
    }
    let editions: Vec<tera::Value> = edition_langs.iter().map(|l| editions[*l].clone()).collect();
    let root = spec.route.root();
    let mut context = shared.bases[page_lang.as_str()].clone();
    context.insert("root", &root);
    let page_views = &shared.views[page_lang.as_str()];
    // A summary is titled and dated by its own front matter (the PDF's Title is the `<title>`).
    let summary = (spec.kind == BookletKind::Summary).then(|| summary_front(site, spec.year, &page_lang, page_views, page_strings));
    let title = match (page_views.plans.get(&spec.year), spec.kind, &summary) {
        (_, _, Some(front)) => front.title.clone(),
        (_, BookletKind::Period, None) => period_title(site, spec, &page_lang),
        (Some((plan, _)), _, None) => plan.title.clone(),
        (None, _, None) => String::new(),
    };
    context.insert("page", &page_meta(shared, site, spec, &title));
    let date = spec.date(site).unwrap_or_default();
    let pdf_url = if shared.print.pdfs.contains(spec.route.url()) { spec.pdf_route().into_url() } else { String::new() };
    let paper_name = match paper {
        Paper::A4 => "a4",
        Paper::A5 => "a5",
    };
    let subtitle = t(
        page_strings,
        match spec.kind {
            BookletKind::Plan => "booklet_plan",
            BookletKind::Summary => "booklet_summary",
            BookletKind::Period => "booklet_period",
        },
    );
    context.insert(
        "booklet",
        &json!({"kind": spec.kind.as_str(), "year": spec.year, "paper": paper_name, "profile": profile.as_str(), "date": date, "title": title, "subtitle": subtitle, "pdf_url": pdf_url,
            "foreword": summary.as_ref().is_some_and(|f| !f.foreword_html.is_empty()),
            "back_cover": site.config.print.pad > 1 && profile == PrintProfile::Booklet, "blanks": (0..repairs.blanks).collect::<Vec<u32>>(), "prepress": shared.print.prepress,
            "continued": repairs.continued}),
    );
    context.insert("chapter_css", &chapter_css);
    context.insert("cover_notices", &cover_notices(shared, site, &edition_langs));
    // Partials are written once for one edition or two; this tells them which.
    context.insert("bilingual", &(spec.lang.is_none()));
    // JSON-LD `Report` for the booklet: `<script type="application/ld+json">{{ report_jsonld | safe }}</script>`.
    let tags: Vec<&str> =
        site.config.languages.iter().filter(|l| edition_langs.contains(&l.code.value.as_str())).map(|l| l.tag.as_str()).collect();
    let publisher = match &summary {
        Some(front) => front.issuer.clone(),
        None => localised_string(&site.config.organisation, &page_lang, site.default_language()),
    };
    let report_jsonld = meta::report(
        &title,
        &tags,
        &spec.route.absolute(&options.base_url),
        &date,
        &publisher,
        &options.base_url,
        site.config.identity.official,
    );
    context.insert("report_jsonld", &report_jsonld);
    // The first edition's data is also at the top level, for the single-language templates.
    if let Some(map) = editions.first().and_then(tera::Value::as_map) {
        for (key, value) in map {
            let key = key.to_string();
            if key != "lang" && key != "t" {
                context.insert_value(key, value.clone());
            }
        }
    }
    context.insert_value("editions", tera::Value::from(editions));
    let chapters = render_chapters(shared, chapters, &mut context)?;
    context.insert("chapters", &chapters);
    let template = spec.template();
    // The page is its chapters and a little more: sized up front, a large summary (megabytes) is
    // not copied over and over as the buffer grows.
    let size = chapters.iter().map(|c| c.html.len()).sum::<usize>() + (64 << 10);
    let html = render_sized(shared, &template, &context, size)?;
    Ok(OutputFile {
        path: spec.route.output_path(),
        bytes: super::rewrite::finish_page(html, &root, site.config.typography.normalise_punctuation),
        is_html: true,
    })
}

/// The bleed of `pdf --prepress` around the cover, in millimetres.
pub const BLEED_MM: u32 = 3;

/// The "example site, not the official site of …" notice of an unofficial site, in each
/// edition's language, for the cover (empty on the official site).
fn cover_notices(shared: &Shared, site: &Site, langs: &[&str]) -> Vec<Value> {
    if site.config.identity.official {
        return Vec::new();
    }
    langs
        .iter()
        .map(|l| {
            let strings = shared.strings(l);
            let mut parts = super::identity::context(site, l, strings)["notice_parts"].take();
            parts["lang"] = json!(LangMeta::of(site, l));
            parts["tag"] = json!(t(strings, "unofficial_tag"));
            parts
        })
        .collect()
}

/// The `page` of a booklet's context, as site pages have it.
fn page_meta<'a>(shared: &'a Shared, site: &'a Site, spec: &'a BookletSpec, title: &'a str) -> PageMeta<'a> {
    let base_url = &shared.options.base_url;
    let kind = PageKind::Booklet { kind: spec.kind, bilingual: spec.lang.is_none() };
    PageMeta {
        translations: translations(site, spec.lang.as_deref(), |code| spec.route_in(code).into_url()),
        // The bilingual edition has no counterpart in another language.
        alternates: spec.lang.as_ref().map(|_| alternates(site, &spec.route, base_url)).unwrap_or_default(),
        review: super::review::mark(shared, &review_langs(site, spec), super::review::booklet_state(site, spec)),
        ..PageMeta::at(&spec.route, kind, title, title, base_url)
    }
}

/// The languages a booklet's state mark is written in: its own, or the bilingual pair's.
fn review_langs<'a>(site: &'a Site, spec: &'a BookletSpec) -> Vec<&'a str> {
    match &spec.lang {
        Some(lang) => vec![lang.as_str()],
        None => site.bilingual_pair().map(|pair| pair.to_vec()).unwrap_or_default(),
    }
}

/// The chapters are data: each renders from its own partial (with the booklet's context and
/// `c`, itself), and the page template only places them.
fn render_chapters(shared: &Shared, mut chapters: Vec<Chapter>, context: &mut tera::Context) -> Result<Vec<Chapter>, Diagnostic> {
    for c in &mut chapters {
        context.insert("c", &*c);
        c.html = render_sized(shared, &c.template, context, 256 << 10)?;
    }
    context.remove("c");
    Ok(chapters)
}

/// Renders `template` into a buffer of `size` bytes to start with.
fn render_sized(shared: &Shared, template: &str, context: &tera::Context, size: usize) -> Result<String, Diagnostic> {
    let mut buffer = Vec::with_capacity(size);
    shared.tera.render_to(template, context, &mut buffer).map_err(|err| template_error(template, &err))?;
    // Tera writes what templates and values hold, all UTF-8; a failure here would be its bug.
    String::from_utf8(buffer).map_err(|err| template_error(template, &tera::Error::message(err.to_string())))
}
