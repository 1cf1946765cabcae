//! Views: the site localised to one language, the data templates see. Built once per language
//! and shared by every page of it. Strings fall back to the default language, and each view
//! records whether it did, so the page can say "not yet translated".

use std::collections::BTreeMap;

use serde::Serialize;

use super::deps::{Key, Record};
use crate::model::{ActionKind, MetricKind, PartnerRole, Site};

mod build;
mod keys;
mod localise;

pub use build::build;
pub use keys::Shows;
use localise::{body_html, Localiser};
pub use localise::{localise, localised_string, marked_string, Fallback, LangMark, Localised, Translation};

#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub id: String,
    pub name: String,
    /// Its language when it fell back (see [`LangMark`]); templates print it with `lang_attrs`.
    pub mark: Option<LangMark>,
    pub unit: String,
    /// The unit's language when it fell back: a measure printed with it is marked so.
    pub unit_mark: Option<LangMark>,
    pub kind: MetricKind,
    /// Its record, `None` for a metric the site does not define.
    #[serde(skip)]
    pub record: Option<Record>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskRef {
    /// Its plan's year: lists of several years (a partner's) group by it.
    pub year: u32,
    pub number: u32,
    pub slug: String,
    pub title: String,
    /// Its language when it fell back (see [`LangMark`]); templates print it with `lang_attrs`.
    pub mark: Option<LangMark>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerRef {
    pub id: String,
    pub name: String,
    /// Its language when it fell back (see [`LangMark`]); templates print it with `lang_attrs`.
    pub mark: Option<LangMark>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRef {
    pub year: u32,
    pub slug: String,
    pub title: String,
    /// Its language when it fell back (see [`LangMark`]); templates print it with `lang_attrs`.
    pub mark: Option<LangMark>,
    pub date: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub kind: ActionKind,
    pub kind_label: String,
    pub name: String,
    /// Its language when it fell back (see [`LangMark`]); templates print it with `lang_attrs`.
    pub mark: Option<LangMark>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub metric: MetricView,
    pub value: f64,
    pub note: String,
    /// The note's language when it fell back.
    pub note_mark: Option<LangMark>,
    /// Sum of the values of this metric in the results that advance this task, if any.
    pub achieved: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    /// `updated:` of the record (front matter of a free page), YYYY-MM-DD.
    pub updated: Option<String>,
    pub number: u32,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub body_html: String,
    pub lead_bodies: Vec<String>,
    /// Each lead body's mark when it fell back, by index.
    pub lead_body_marks: Vec<Option<LangMark>>,
    pub actions: Vec<ActionView>,
    pub targets: Vec<TargetView>,
    pub partners: Vec<PartnerRef>,
    pub results: Vec<ResultRef>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of the records this view copies, its body excepted (see `deps.rs`).
    #[serde(skip)]
    pub deps: Vec<Key>,
    /// The key of the body it shows, in the language that body is written in (see `deps.rs`).
    #[serde(skip)]
    pub body_key: Option<Key>,
    #[serde(skip)]
    pub record: Record,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientView {
    pub name: String,
    /// The name's and prefecture's language when they fell back (they are translated together).
    pub mark: Option<LangMark>,
    pub prefecture: String,
    pub xpcc: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerView {
    /// `updated:` of the record (front matter of a free page), YYYY-MM-DD.
    pub updated: Option<String>,
    pub id: String,
    pub url: String,
    pub name: String,
    pub role: PartnerRole,
    pub order: u32,
    pub recipients: Vec<RecipientView>,
    pub sources: Vec<String>,
    pub note: String,
    /// The note's language when it fell back.
    pub note_mark: Option<LangMark>,
    pub body_html: String,
    pub tasks: Vec<TaskRef>,
    pub results: Vec<ResultRef>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of what it copies, its body and its results excepted (a summary's keys).
    #[serde(skip)]
    pub deps: Vec<Key>,
    /// The keys of its results.
    #[serde(skip)]
    pub results_deps: Vec<Key>,
    /// The key of the body it shows, in the language that body is written in (see `deps.rs`).
    #[serde(skip)]
    pub body_key: Option<Key>,
    #[serde(skip)]
    pub record: Record,
}

/// A partner as lists show it (home, the partner index, the plan booklet): its view without its
/// results (a site of many years gives each partner thousands) and its body.
#[derive(Serialize)]
pub struct PartnerSummary<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub name: &'a str,
    /// The name's language when it fell back.
    pub mark: &'a Option<LangMark>,
    pub role: PartnerRole,
    pub order: u32,
    pub recipients: &'a [RecipientView],
    pub sources: &'a [String],
    pub note: &'a str,
    pub note_mark: &'a Option<LangMark>,
    pub tasks: &'a [TaskRef],
    pub untranslated: bool,
    /// The keys of what it shows.
    #[serde(skip)]
    pub deps: &'a [Key],
}

impl<'a> From<&'a PartnerView> for PartnerSummary<'a> {
    fn from(p: &'a PartnerView) -> Self {
        PartnerSummary {
            id: &p.id,
            url: &p.url,
            name: &p.name,
            mark: &p.translation.fallback.title,
            role: p.role,
            order: p.order,
            recipients: &p.recipients,
            sources: &p.sources,
            note: &p.note,
            note_mark: &p.note_mark,
            tasks: &p.tasks,
            untranslated: p.untranslated,
            deps: &p.deps,
        }
    }
}

/// A partner as its own page shows it: the whole view but for `results`, which hold only the
/// page's share (the newest first). Serialising every result on each of a partner's pages made
/// a site of many years spend more on partner pages than on the results themselves.
#[derive(Serialize)]
pub struct PartnerPage<'a> {
    /// The fields lists show (its `mark` is `fallback.title` again, for lists' templates).
    #[serde(flatten)]
    pub summary: PartnerSummary<'a>,
    pub body_html: &'a str,
    pub results: Vec<&'a ResultRef>,
    #[serde(flatten)]
    pub translation: &'a Translation,
}

impl PartnerView {
    /// This partner as one of its pages shows it, with `results` that page's share.
    pub fn on_page<'a>(&'a self, results: Vec<&'a ResultRef>) -> PartnerPage<'a> {
        PartnerPage { summary: self.into(), body_html: &self.body_html, results, translation: &self.translation }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueView {
    pub metric: MetricView,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    /// `updated:` of the record (front matter of a free page), YYYY-MM-DD.
    pub updated: Option<String>,
    pub slug: String,
    pub year: u32,
    pub url: String,
    pub date: String,
    pub title: String,
    /// Empty in the views: a result's body is rendered from its Markdown where it is shown
    /// whole ([`ResultView::with_body`]). Kept for every result, the bodies were a third of the
    /// memory of a build of 100,000 results per language.
    pub body_html: String,
    /// The start of the body as plain text, for the Atom feed: set when the result's page is
    /// rendered, so the feed does not render every body again (see [`ResultView::feed_summary`]).
    #[serde(skip)]
    pub feed_summary: std::sync::OnceLock<String>,
    pub illustrative: bool,
    pub tasks: Vec<TaskRef>,
    pub partners: Vec<PartnerRef>,
    pub values: Vec<ValueView>,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The keys of the records this view copies, its body excepted (see `deps.rs`).
    #[serde(skip)]
    pub deps: Vec<Key>,
    /// The key of the body it shows, in the language that body is written in (see `deps.rs`).
    #[serde(skip)]
    pub body_key: Option<Key>,
    #[serde(skip)]
    pub record: Record,
}

impl ResultView {
    /// This result with its body as HTML (rendered from `site`'s Markdown), as its page, home,
    /// and the summary and period booklets show it. Notes the body's start for the feed.
    pub fn with_body(&self, site: &Site, lang: &str) -> ResultView {
        let body_html = result_body_html(site, lang, self.record);
        self.feed_summary.get_or_init(|| super::meta::plain_text(&body_html, FEED_SUMMARY));
        ResultView { body_html, ..self.clone() }
    }

    /// The start of the body as plain text (the Atom feed's summary): noted when the result's
    /// page was rendered, else rendered now.
    pub fn feed_summary(&self, site: &Site, lang: &str) -> &str {
        self.feed_summary.get_or_init(|| super::meta::plain_text(&result_body_html(site, lang, self.record), FEED_SUMMARY))
    }
}

/// Characters of a result's body in its feed entry.
const FEED_SUMMARY: usize = 280;

/// The body of the result `record` in `lang` as HTML (another language's after a fallback).
fn result_body_html(site: &Site, lang: &str, record: Record) -> String {
    let Record::Result { year, index } = record else { return String::new() };
    let Some(result) = site.results.get(&year).and_then(|r| r.get(index)) else { return String::new() };
    body_html(site, lang, Localiser::new(site, lang).body(&result.bodies))
}

/// A result as the year's list shows it: its view without the body.
#[derive(Serialize)]
pub struct ResultRow<'a> {
    pub slug: &'a str,
    pub year: u32,
    pub url: &'a str,
    pub date: &'a str,
    pub title: &'a str,
    /// The title's language when it fell back.
    pub mark: &'a Option<LangMark>,
    pub illustrative: bool,
    pub tasks: &'a [TaskRef],
    pub partners: &'a [PartnerRef],
    pub values: &'a [ValueView],
    pub untranslated: bool,
    /// The keys of what it shows.
    #[serde(skip)]
    pub deps: &'a [Key],
}

impl<'a> From<&'a ResultView> for ResultRow<'a> {
    fn from(r: &'a ResultView) -> Self {
        ResultRow {
            slug: &r.slug,
            year: r.year,
            url: &r.url,
            date: &r.date,
            title: &r.title,
            mark: &r.translation.fallback.title,
            illustrative: r.illustrative,
            tasks: &r.tasks,
            partners: &r.partners,
            values: &r.values,
            untranslated: r.untranslated,
            deps: &r.deps,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub year: u32,
    pub url: String,
    pub title: String,
    pub issuer: String,
    pub date: String,
    pub source_url: String,
    pub source_note: String,
    pub context: String,
    pub guided_by: Vec<String>,
    pub focuses: Vec<String>,
    /// The marks of the context line and of each guiding document and focus that fell back
    /// (the lists' marks by index: `plan.focus_marks[loop.index0]`).
    pub context_mark: Option<LangMark>,
    pub issuer_mark: Option<LangMark>,
    pub source_note_mark: Option<LangMark>,
    pub guided_by_marks: Vec<Option<LangMark>>,
    pub focus_marks: Vec<Option<LangMark>>,
    pub preamble_html: String,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The key of the body it shows, in the language that body is written in (see `deps.rs`).
    #[serde(skip)]
    pub body_key: Option<Key>,
    #[serde(skip)]
    pub record: Record,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    /// `date:` of the front matter, YYYY-MM-DD.
    pub date: Option<String>,
    /// `updated:` of the record (front matter of a free page), YYYY-MM-DD.
    pub updated: Option<String>,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub body_html: String,
    pub untranslated: bool,
    #[serde(flatten)]
    pub translation: Translation,
    /// The key of the body it shows, in the language that body is written in (see `deps.rs`).
    #[serde(skip)]
    pub body_key: Option<Key>,
    #[serde(skip)]
    pub record: Record,
}

/// The whole site in one language.
pub struct LangViews {
    pub plans: BTreeMap<u32, (PlanView, Vec<TaskView>)>,
    pub partners: Vec<PartnerView>,
    pub results: BTreeMap<u32, Vec<ResultView>>,
    pub pages: Vec<DocView>,
    /// In the order of metrics.yaml.
    pub metrics: Vec<MetricView>,
    /// Each period's text (in `site.periods` order) as HTML, with its language when it fell back.
    pub period_bodies: Vec<(String, Option<LangMark>)>,
    /// Each year-end summary's foreword as HTML, with the code of the language it is in (the
    /// page's, or the default after a fallback), by year: rendered once here.
    pub forewords: BTreeMap<u32, (String, String)>,
}

/// After a result's Markdown changed (and nothing else): its text in `lang`'s views.
pub fn refresh_result_body(site: &Site, lang: &str, views: &mut LangViews, year: u32, index: usize) {
    let l = Localiser::new(site, lang);
    let (Some(result), Some(view)) =
        (site.results.get(&year).and_then(|r| r.get(index)), views.results.get_mut(&year).and_then(|r| r.get_mut(index)))
    else {
        return;
    };
    l.text(&result.data.title);
    l.body(&result.bodies);
    // Its body is rendered when shown; the feed's summary of it, when asked again.
    view.feed_summary = Default::default();
    view.translation = l.translation(Some(&result.file), l.text_mark(&result.data.title), &result.bodies);
    view.untranslated = l.take();
}

/// After a partner's Markdown changed (and nothing else): its text in `lang`'s views.
pub fn refresh_partner_body(site: &Site, lang: &str, views: &mut LangViews, index: usize) {
    let l = Localiser::new(site, lang);
    let (Some(partner), Some(view)) = (site.partners.get(index), views.partners.get_mut(index)) else { return };
    let p = &partner.data;
    l.text(&p.name);
    for r in &p.recipients {
        l.text(&r.name);
        l.opt(r.prefecture.as_ref());
    }
    l.opt(p.note.as_ref());
    view.body_html = body_html(site, lang, l.body(&partner.bodies));
    view.translation = l.translation(Some(&partner.file), l.text_mark(&p.name), &partner.bodies);
    view.untranslated = l.take();
}

impl LangViews {
    /// The partners (of one role, or all) as lists show them, in order.
    pub fn partner_summaries(&self, role: Option<PartnerRole>) -> Vec<PartnerSummary<'_>> {
        self.partners.iter().filter(|p| role.is_none_or(|r| p.role == r)).map(PartnerSummary::from).collect()
    }

    pub fn supporters(&self) -> Vec<&PartnerView> {
        self.partners.iter().filter(|p| p.role == PartnerRole::Supporter).collect()
    }

    pub fn coordinators(&self) -> Vec<&PartnerView> {
        self.partners.iter().filter(|p| p.role == PartnerRole::Coordinator).collect()
    }
}
