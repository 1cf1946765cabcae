//! The typed site: what the loader produces and every later stage consumes.
//!
//! The `*File` structs mirror the YAML files one to one (`deny_unknown_fields`, so a typo is an
//! error with a "did you mean" hint); `Record` adds the Markdown bodies found beside them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

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
    /// The Atom feeds list the newest this many results; every result when absent (as Hugo's
    /// and Zola's feeds by default).
    #[serde(default)]
    pub feed_limit: Option<usize>,
    /// Follow symbolic links under the site, and then only to targets inside the site folder
    /// (off by default: a link is skipped with a warning).
    #[serde(default)]
    pub follow_symlinks: bool,
    /// The largest file planpress reads, in MiB (default [`crate::sitefs::DEFAULT_MAX_FILE_MB`]).
    #[serde(default)]
    pub max_file_size_mb: Option<Spanned<u64>>,
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

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
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
}

#[derive(Debug, Default, Clone, Copy, Deserialize, PartialEq, Eq)]
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

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    pub number: Spanned<u32>,
    pub slug: Id,
    pub title: Text,
    #[serde(default)]
    pub lead_bodies: Vec<Text>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub partners: Vec<Id>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: Id,
    pub kind: ActionKind,
    pub name: Text,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
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
    pub value: f64,
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
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
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
    #[serde(default)]
    pub tasks: Vec<Id>,
    #[serde(default)]
    pub partners: Vec<Id>,
    #[serde(default)]
    pub values: Vec<MetricValue>,
    #[serde(default)]
    pub illustrative: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricValue {
    pub metric: Id,
    pub value: f64,
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
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// One `NAME.<lang>.md` file.
#[derive(Debug)]
pub struct MarkdownDoc {
    pub file: PathBuf,
    pub front: FrontMatter,
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
    /// Names of records that failed to parse (already reported); references to them are not
    /// reported again.
    pub broken: std::collections::BTreeSet<String>,
}

impl Site {
    pub fn language_codes(&self) -> Vec<&str> {
        self.config.languages.iter().map(|l| l.code.value.as_str()).collect()
    }

    pub fn default_language(&self) -> &str {
        &self.config.default_language.value
    }

    /// The site with every Markdown body emptied (front matter kept), for a build that has
    /// rendered them already: a large site's text is much of its memory.
    pub fn without_markdown(mut self) -> Site {
        let docs = self
            .plans
            .values_mut()
            .flat_map(|p| p.record.bodies.values_mut().chain(p.tasks.iter_mut().flat_map(|t| t.bodies.values_mut())))
            .chain(self.partners.iter_mut().flat_map(|p| p.bodies.values_mut()))
            .chain(self.results.values_mut().flatten().flat_map(|r| r.bodies.values_mut()))
            .chain(self.pages.iter_mut().flat_map(|p| p.docs.values_mut()));
        for doc in docs {
            doc.markdown = String::new();
        }
        self
    }

    /// The year the home page shows: `current_year`, else the latest plan.
    pub fn current_year(&self) -> Option<u32> {
        self.config.current_year.as_ref().map(|y| y.value).or_else(|| self.plans.keys().next_back().copied())
    }
}
