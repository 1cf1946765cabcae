//! The typed site: what the loader produces and every later stage consumes.
//!
//! The `*File` structs mirror the YAML files one to one (`deny_unknown_fields`, so a typo is an
//! error with a "did you mean" hint); `Record` adds the Markdown bodies found beside them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

mod number;
mod review;
pub use number::{Number, NumberProblem};
pub use review::{Item, Review, State};

/// Short localised text: `{zh: …, en: …}`. Spanned so a missing translation can point at the map.
pub type Text = Spanned<BTreeMap<String, String>>;
/// An id or a reference to one, with its position for diagnostics.
pub type Id = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: Text,
    pub description: Text,
    pub organisation: Text,
    pub base_url: Spanned<String>,
    pub default_language: Id,
    pub languages: Vec<Language>,
    /// A theme name (`a-z0-9-`), resolved only under `themes/`; spanned so a bad one is
    /// reported at its line.
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    #[serde(default)]
    pub allow_raw_html: bool,
    #[serde(default)]
    pub current_year: Option<Spanned<u32>>,
    #[serde(default)]
    pub print: PrintConfig,
    #[serde(default)]
    pub typography: TypographyConfig,
    /// The two languages of the "bilingual" booklets, e.g. `[zh, en]`; the first two of
    /// `languages` when absent. A third language never adds a column.
    #[serde(default)]
    pub bilingual: Option<Spanned<Vec<Id>>>,
    /// The Atom feeds list the newest this many results; every result when absent (as Hugo's
    /// and Zola's feeds by default).
    #[serde(default)]
    pub feed_limit: Option<usize>,
    /// A year's results and a partner's results are split into pages of this many (default
    /// [`DEFAULT_PAGE_SIZE`]); a page of a thousand links helps nobody and costs every build.
    #[serde(default)]
    pub page_size: Option<Spanned<usize>>,
    /// Follow symbolic links under the site, and then only to targets inside the site folder
    /// (off by default: a link is skipped with a warning).
    #[serde(default)]
    pub follow_symlinks: bool,
    /// The largest file planpress reads, in MiB (default [`crate::sitefs::DEFAULT_MAX_FILE_MB`]).
    #[serde(default)]
    pub max_file_size_mb: Option<Spanned<u64>>,
    /// Tell visitors on a stale translated page that its source changed after it was
    /// translated (and when), off by default.
    #[serde(default)]
    pub stale_translation_note: bool,
    /// The state of a file without `review:` (default `approved`, so a site from before review
    /// stays published; `new site` writes `draft`, so nothing goes live unsigned).
    #[serde(default)]
    pub default_state: Option<Spanned<State>>,
    /// Who runs the site and the identifiers a Chinese government site shows in its footer.
    #[serde(default)]
    pub identity: Identity,
}

/// `identity:` of site.yaml. Every field is optional; `official` is false unless set, so only a
/// site that says it is the organisation's own presents the organisation as its publisher.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `true` only on the organisation's own site; otherwise every page says it is not.
    #[serde(default)]
    pub official: bool,
    /// 主办单位: who publishes the site.
    #[serde(default)]
    pub sponsor: Option<Text>,
    /// 承办单位: who runs it for the sponsor.
    #[serde(default)]
    pub operator: Option<Text>,
    /// 网站标识码: ten digits, or `bm` and eight digits for a central body.
    #[serde(default)]
    pub site_code: Option<Spanned<String>>,
    /// ICP备案号 as issued, e.g. `新ICP备05001234号-1`; linked to the MIIT record search.
    #[serde(default)]
    pub icp: Option<Spanned<String>>,
    /// 公安机关备案号, e.g. `{text: 新公网安备 65010202000123号, code: "65010202000123"}`.
    #[serde(default)]
    pub police_record: Option<PoliceRecord>,
    #[serde(default)]
    pub address: Option<Text>,
    #[serde(default)]
    pub phone: Option<Spanned<String>>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    /// Where visitors report an error on the site (我要纠错): a web or mailto: address.
    #[serde(default)]
    pub report_error: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceRecord {
    /// The number as the record shows it, e.g. `新公网安备 65010202000123号`.
    pub text: Spanned<String>,
    /// Its 14-digit code, for the link to the record.
    pub code: Spanned<String>,
}

/// The default `page_size`.
pub const DEFAULT_PAGE_SIZE: usize = 100;

impl SiteConfig {
    /// How many entries a page of a long list shows (`page_size`, at least 1).
    pub fn page_size(&self) -> usize {
        self.page_size.as_ref().map_or(DEFAULT_PAGE_SIZE, |n| n.value.max(1))
    }
}

fn default_theme() -> Spanned<String> {
    let unknown = serde_saphyr::Location::UNKNOWN;
    Spanned::new("default".to_owned(), unknown, unknown)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub code: Id,
    pub name: String,
    /// BCP 47 tag for `<html lang>`, e.g. `zh-Hans`.
    pub tag: String,
    #[serde(default)]
    pub dir: Direction,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintConfig {
    #[serde(default)]
    pub paper: Paper,
    /// Up to how many results of a year the summary booklet reprints in full; above, it lists
    /// them (title, date, figures, address), since a thousand reprinted texts make a booklet
    /// nobody prints.
    #[serde(default)]
    pub summary_full_texts: FullTexts,
    #[serde(default)]
    pub profile: PrintProfile,
    /// Pad a printed booklet with blank pages to a multiple of this many pages, the last one
    /// a back cover (`pad: 4` for saddle-stitched sheets); 0 or 1: no padding, no back cover.
    #[serde(default)]
    pub pad: u32,
}

/// How a booklet is set: `booklet` (a report's design) or `official` (after GB/T 9704-2012:
/// A4, a 156 × 225 mm type area, 16 pt body on a 28 × 22 grid, headings 一、（一）1.（1）,
/// black text, folios `— n —`, end matter).
#[derive(Debug, Default, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PrintProfile {
    #[default]
    Booklet,
    Official,
}

impl PrintProfile {
    pub fn as_str(self) -> &'static str {
        match self {
            PrintProfile::Booklet => "booklet",
            PrintProfile::Official => "official",
        }
    }
}

/// `print.summary_full_texts`: a number of results, or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullTexts {
    UpTo(u32),
    All,
}

impl Default for FullTexts {
    fn default() -> Self {
        FullTexts::UpTo(100)
    }
}

impl FullTexts {
    /// Whether a summary of `results` results reprints their texts.
    pub fn reprints(self, results: usize) -> bool {
        match self {
            FullTexts::All => true,
            FullTexts::UpTo(n) => results <= n as usize,
        }
    }
}

impl<'de> Deserialize<'de> for FullTexts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = FullTexts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of results, or `all`")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<FullTexts, E> {
                u32::try_from(n).map(FullTexts::UpTo).map_err(|_| E::custom("a number of results up to 4294967295, or `all`"))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<FullTexts, E> {
                u64::try_from(n).map_err(|_| E::custom("a number of results (0 or more), or `all`")).and_then(|n| self.visit_u64(n))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<FullTexts, E> {
                match s {
                    "all" => Ok(FullTexts::All),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(s), &self)),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `typography:` in site.yaml: how text is set on every page and in the booklets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypographyConfig {
    /// Half-width punctuation next to CJK in Chinese text printed full-width (GB/T 15834),
    /// on by default; the source stays as written.
    #[serde(default = "yes")]
    pub normalise_punctuation: bool,
}

impl Default for TypographyConfig {
    fn default() -> Self {
        TypographyConfig { normalise_punctuation: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    A5,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsFile {
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: Id,
    pub name: Text,
    pub unit: Text,
    /// The unit after the number 1, for languages that inflect it (`{en: event}` beside
    /// `unit: {en: events}`); languages without it use `unit`.
    #[serde(default)]
    pub unit_one: Option<Text>,
    pub kind: MetricKind,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    Count,
    Money,
    Percent,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Count => "count",
            MetricKind::Money => "money",
            MetricKind::Percent => "percent",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub year: Spanned<u32>,
    pub title: Text,
    pub issuer: Text,
    pub date: Spanned<String>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub context: Option<Text>,
    #[serde(default)]
    pub guided_by: Vec<Text>,
    #[serde(default)]
    pub focuses: Vec<Text>,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Judged by [`crate::url_policy`]; spanned so a refused URL is reported where it is written.
    pub url: Spanned<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    pub number: Spanned<u32>,
    pub slug: Id,
    pub title: Text,
    /// When the record last changed in substance (YYYY-MM-DD), shown beside its publication
    /// date: a field, not the file's history, so a build depends on the content alone.
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    #[serde(default)]
    pub lead_bodies: Vec<Text>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub partners: Vec<Id>,
    /// The slug of the task this one carries on from, in the nearest earlier plan year.
    #[serde(default)]
    pub continues: Option<Id>,
    /// Says the task starts this year (so `check` does not ask whether it continues one).
    #[serde(default, rename = "new")]
    pub is_new: Option<Spanned<bool>>,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: Id,
    pub kind: ActionKind,
    pub name: Text,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Plan,
    Programme,
    Project,
    Event,
    Platform,
    Institution,
    Policy,
    Reform,
    Evaluation,
    Campaign,
    Target,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Plan => "plan",
            ActionKind::Programme => "programme",
            ActionKind::Project => "project",
            ActionKind::Event => "event",
            ActionKind::Platform => "platform",
            ActionKind::Institution => "institution",
            ActionKind::Policy => "policy",
            ActionKind::Reform => "reform",
            ActionKind::Evaluation => "evaluation",
            ActionKind::Campaign => "campaign",
            ActionKind::Target => "target",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub metric: Id,
    pub value: Spanned<Number>,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerFile {
    pub id: Id,
    pub role: PartnerRole,
    pub order: u32,
    pub name: Text,
    /// When the record last changed in substance (YYYY-MM-DD), shown beside its publication
    /// date: a field, not the file's history, so a build depends on the content alone.
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Public sources of the pairings, judged by [`crate::url_policy`].
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    #[serde(default)]
    pub note: Option<Text>,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PartnerRole {
    Supporter,
    Coordinator,
}

impl PartnerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRole::Supporter => "supporter",
            PartnerRole::Coordinator => "coordinator",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: Text,
    #[serde(default)]
    pub prefecture: Option<Text>,
    #[serde(default)]
    pub xpcc: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultFile {
    pub slug: Id,
    pub date: Spanned<String>,
    pub title: Text,
    /// When the record last changed in substance (YYYY-MM-DD), shown beside its publication
    /// date: a field, not the file's history, so a build depends on the content alone.
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    #[serde(default)]
    pub tasks: Vec<Id>,
    #[serde(default)]
    pub partners: Vec<Id>,
    #[serde(default)]
    pub values: Vec<MetricValue>,
    #[serde(default)]
    pub illustrative: bool,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricValue {
    pub metric: Id,
    pub value: Spanned<Number>,
}

/// `content/periods/<id>.yaml`: a plan period (the 12th Five-Year Plan, 2011–2015) and its
/// targets for the whole period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodFile {
    pub id: Id,
    pub title: Text,
    pub first_year: Spanned<u32>,
    pub last_year: Spanned<u32>,
    /// The document the period's targets come from.
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub targets: Vec<PeriodTarget>,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

/// One period target: the figure for the whole period (summed over its years for counts and
/// money, the level reached by the last year for percentages), with optional milestones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodTarget {
    pub metric: Id,
    pub value: Spanned<Number>,
    /// Where the figure is published; a target without one must say `illustrative: true`.
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub illustrative: bool,
    /// How the years' results add up to the target; by default [`Measure::Level`] for a
    /// percentage and [`Measure::Total`] otherwise.
    #[serde(default)]
    pub measure: Option<Measure>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// How a period target is reached.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// The results of all the period's years, summed (projects started, funds raised).
    Total,
    /// The level a year reaches (a share, a ratio such as "per 10,000 employed"): the latest
    /// year's value is compared with the target, never a sum.
    Level,
}

impl PeriodTarget {
    /// The measure this target uses: its own, else the one its metric's kind implies.
    pub fn measure_for(&self, kind: MetricKind) -> Measure {
        self.measure.unwrap_or(if kind == MetricKind::Percent { Measure::Level } else { Measure::Total })
    }
}

/// The figure a period target should have reached by the end of a year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub year: Spanned<u32>,
    pub value: Spanned<Number>,
}

/// `content/results/<year>/summary.yaml`: the front matter of a year-end summary, which its
/// booklet's cover, title page and PDF metadata carry (never the plan's title or date).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryFile {
    pub title: Text,
    pub issuer: Text,
    pub date: Spanned<String>,
    #[serde(default)]
    pub source: Option<Source>,
}

/// Front matter of a Markdown file. Pages need `title`; records only use `translated_from`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    /// Publication and last-change dates of a free page (YYYY-MM-DD), shown under its title.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Placeholder text (as `new` writes it for the languages other than the default): loaded
    /// as if the file were missing, so the page falls back and the gap is reported.
    #[serde(default)]
    pub untranslated: bool,
    /// Publication state and sign-off (see [`Review`]).
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
}

/// One `NAME.<lang>.md` file.
#[derive(Debug)]
pub struct MarkdownDoc {
    pub file: PathBuf,
    /// Boxed: most bodies have no front matter, and inline (about 600 bytes, most of it the
    /// spans of `review:`) it filled each of the 11 slots of the B-tree node that holds a
    /// record's one or two bodies: 7 kB a record, 0.7 GB at 100,000 results per language.
    pub front: Box<FrontMatter>,
    pub markdown: String,
}

/// A YAML record plus its Markdown bodies keyed by language code.
#[derive(Debug)]
pub struct Record<T> {
    pub data: T,
    pub file: PathBuf,
    pub bodies: BTreeMap<String, MarkdownDoc>,
}

#[derive(Debug)]
pub struct Plan {
    pub record: Record<PlanFile>,
    /// Ordered by task number.
    pub tasks: Vec<Record<TaskFile>>,
}

#[derive(Debug)]
pub struct Page {
    pub slug: String,
    /// Keyed by language code.
    pub docs: BTreeMap<String, MarkdownDoc>,
}

/// One language's tracked YAML fields: record file (relative to `content/`, with `/`) → field
/// path (`title`, `actions.tianshan-belt.name`, `lead_bodies.0`) → hash of the source text.
pub type FieldHashes = BTreeMap<String, BTreeMap<String, String>>;

/// Everything loaded from one site folder.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub config_file: PathBuf,
    pub metrics: Vec<Metric>,
    pub metrics_file: PathBuf,
    /// Keyed by year.
    pub plans: BTreeMap<u32, Plan>,
    /// Ordered by `order`.
    pub partners: Vec<Record<PartnerFile>>,
    /// Keyed by year, each ordered by date then slug.
    pub results: BTreeMap<u32, Vec<Record<ResultFile>>>,
    /// Ordered by weight then slug.
    pub pages: Vec<Page>,
    /// Per language, content/translations/<lang>.yaml: the source hash each localised YAML
    /// field was translated from (see `content::tracking`).
    pub field_hashes: BTreeMap<String, FieldHashes>,
    /// Ordered by first year, then id.
    pub periods: Vec<Record<PeriodFile>>,
    /// Year-end summaries' front matter (and forewords as bodies), keyed by year.
    pub summaries: BTreeMap<u32, Record<SummaryFile>>,
    /// Names of records that failed to parse (already reported); references to them are not
    /// reported again.
    pub broken: std::collections::BTreeSet<String>,
    /// The `@/` link paths (`results/2011/fair-held/`) of what a public build left out (see
    /// `crate::publish`): a Markdown link to one keeps its text and loses its link.
    pub withheld: std::collections::BTreeSet<String>,
}

impl Site {
    pub fn language_codes(&self) -> Vec<&str> {
        self.config.languages.iter().map(|l| l.code.value.as_str()).collect()
    }

    pub fn default_language(&self) -> &str {
        &self.config.default_language.value
    }

    /// The two languages of the bilingual booklets: `bilingual:` of site.yaml when it names two
    /// distinct site languages (validation reports it otherwise), else the first two languages;
    /// `None` for a site of one language.
    pub fn bilingual_pair(&self) -> Option<[&str; 2]> {
        let codes = self.language_codes();
        if let Some(pair) = &self.config.bilingual {
            if let [a, b] = pair.value.as_slice() {
                let (a, b) = (a.value.as_str(), b.value.as_str());
                if a != b && codes.contains(&a) && codes.contains(&b) {
                    return Some([a, b]);
                }
            }
        }
        match codes.as_slice() {
            [a, b, ..] => Some([*a, *b]),
            _ => None,
        }
    }

    /// The year the home page shows: `current_year`, else the latest plan.
    pub fn current_year(&self) -> Option<u32> {
        self.config.current_year.as_ref().map(|y| y.value).or_else(|| self.newest_plan_year())
    }

    pub fn newest_plan_year(&self) -> Option<u32> {
        self.plans.keys().next_back().copied()
    }

    /// The nearest plan year before `year`: the one a task of `year` can continue from.
    pub fn previous_plan_year(&self, year: u32) -> Option<u32> {
        self.plans.range(..year).next_back().map(|(y, _)| *y)
    }

    /// The nearest plan year after `year`.
    pub fn next_plan_year(&self, year: u32) -> Option<u32> {
        self.plans.range(year + 1..).next().map(|(y, _)| *y)
    }

    /// Every year with a plan, a result or a summary, oldest first.
    pub fn years(&self) -> Vec<u32> {
        let mut years: Vec<u32> = self.plans.keys().chain(self.results.keys()).chain(self.summaries.keys()).copied().collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The task `slug` of the plan of `year`.
    pub fn task(&self, year: u32, slug: &str) -> Option<&Record<TaskFile>> {
        self.plans.get(&year)?.tasks.iter().find(|t| t.data.slug.value == slug)
    }
}
