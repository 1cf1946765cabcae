//! Routes: every URL and output path of the output, in one place. A page, feed, index or booklet
//! gets its address from a typed constructor here ([`Route::task`], [`Route::booklet`], …) and
//! nowhere else, so "where does this URL come from?" has one answer. A new kind of page is a
//! [`Kind`] with its [`Pattern`] and one constructor.
//!
//! A route's URL is **root-relative** (`zh/plan/2011/`, no leading `/`; the chooser's is empty):
//! templates write `{{ root }}{{ url }}`, absolute addresses prefix the site's `base_url`. A URL
//! ending in `/` is a folder served by its `index.html`; any other names the file itself.
//!
//! This module depends on nothing else of planpress (not the model, not the renderer), so the
//! renderer, the link checker, `pdf` and `serve` can all share it. docs/routes.md shows [`table`],
//! and a test keeps the two equal.
//!
//! Invariants: every route of [`Languages::Each`] starts with `<lang>/`, so its language is its
//! first segment, and the same page in another language is the same pattern filled with that
//! language ([`Route::in_language`]); every kind a constructor fills is in [`Kind::ALL`], so in
//! the table (checked on every fill in debug builds).
//! Slugs and ids reach a route only after validation made them `a-z0-9-`, so a route never leaves
//! the output folder.

use std::fmt;

/// A kind of booklet: a year's plan or year-end summary, or a plan period ([`Route::period_booklet`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BookletKind {
    Plan,
    Summary,
    Period,
}

impl BookletKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BookletKind::Plan => "plan",
            BookletKind::Summary => "summary",
            BookletKind::Period => "period",
        }
    }
}

/// Which edition of a booklet: one language's, or the bilingual one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition<'a> {
    Language(&'a str),
    Bilingual,
}

/// In which languages a route exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages {
    /// Once per language, below `<lang>/`.
    Each,
    /// Once for the whole site, in no particular language.
    Site,
    /// Once, with every language side by side.
    Bilingual,
}

impl Languages {
    fn describe(self) -> &'static str {
        match self {
            Languages::Each => "each",
            Languages::Site => "—",
            Languages::Bilingual => "all, side by side",
        }
    }
}

/// Every kind of route. Adding one: a variant, its [`Pattern`] in [`Kind::pattern`], its place in
/// [`Kind::ALL`] (checked on every fill in debug builds) and a constructor on [`Route`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Chooser,
    Home,
    PlanIndex,
    Plan,
    Task,
    ResultsIndex,
    Results,
    ResultsPage,
    Result,
    Partners,
    Partner,
    PartnerPage,
    Page,
    Search,
    SearchIndex,
    Feed,
    Booklet,
    BookletPdf,
    BilingualBooklet,
    BilingualBookletPdf,
    Period,
    PeriodBooklet,
    PeriodBookletPdf,
    BilingualPeriodBooklet,
    BilingualPeriodBookletPdf,
    DataPage,
    DataFile,
    NotFound,
    Sitemap,
    SitemapPart,
    Robots,
    PreviewMarker,
    Asset,
}

/// What a kind of route looks like. `url` is the root-relative URL with the constructor's
/// arguments as `<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// Short name, unique: the first column of docs/routes.md.
    pub name: &'static str,
    pub url: &'static str,
    pub languages: Languages,
    /// What is there, for docs/routes.md.
    pub what: &'static str,
}

impl Kind {
    /// Every kind, in the order of docs/routes.md.
    pub const ALL: &'static [Kind] = &[
        Kind::Chooser,
        Kind::Home,
        Kind::PlanIndex,
        Kind::Plan,
        Kind::Task,
        Kind::ResultsIndex,
        Kind::Results,
        Kind::ResultsPage,
        Kind::Result,
        Kind::Partners,
        Kind::Partner,
        Kind::PartnerPage,
        Kind::Page,
        Kind::Search,
        Kind::SearchIndex,
        Kind::Feed,
        Kind::Booklet,
        Kind::BookletPdf,
        Kind::BilingualBooklet,
        Kind::BilingualBookletPdf,
        Kind::Period,
        Kind::PeriodBooklet,
        Kind::PeriodBookletPdf,
        Kind::BilingualPeriodBooklet,
        Kind::BilingualPeriodBookletPdf,
        Kind::DataPage,
        Kind::DataFile,
        Kind::NotFound,
        Kind::Sitemap,
        Kind::SitemapPart,
        Kind::Robots,
        Kind::PreviewMarker,
        Kind::Asset,
    ];

    pub fn pattern(self) -> Pattern {
        use Languages::{Bilingual, Each, Site};
        let (name, url, languages, what) = match self {
            Kind::Chooser => ("chooser", "", Site, "language chooser"),
            Kind::Home => ("home", "<lang>/", Each, "home page"),
            Kind::PlanIndex => ("plan-index", "<lang>/plan/", Each, "every year's plan, newest first"),
            Kind::Plan => ("plan", "<lang>/plan/<year>/", Each, "a year's plan"),
            Kind::Task => ("task", "<lang>/plan/<year>/<task>/", Each, "a key task"),
            Kind::ResultsIndex => ("results-index", "<lang>/results/", Each, "every year's results, newest first"),
            Kind::Results => ("results", "<lang>/results/<year>/", Each, "a year's results"),
            Kind::ResultsPage => ("results-page", "<lang>/results/<year>/page/<n>/", Each, "page n (from 2) of a long year's results"),
            Kind::Result => ("result", "<lang>/results/<year>/<result>/", Each, "one result"),
            Kind::Partners => ("partners", "<lang>/partners/", Each, "the partners"),
            Kind::Partner => ("partner", "<lang>/partners/<partner>/", Each, "one partner"),
            Kind::PartnerPage => ("partner-page", "<lang>/partners/<partner>/page/<n>/", Each, "page n (from 2) of a partner's results"),
            Kind::Page => ("page", "<lang>/<page>/", Each, "a free page (content/pages/)"),
            Kind::Search => ("search", "<lang>/search/", Each, "search page"),
            Kind::SearchIndex => ("search-index", "<lang>/search-index.json", Each, "search index"),
            Kind::Feed => ("feed", "<lang>/atom.xml", Each, "Atom feed of the results"),
            Kind::Booklet => ("booklet", "<lang>/reports/<booklet>-<year>/", Each, "booklet (`<booklet>`: plan or summary)"),
            Kind::BookletPdf => {
                ("booklet-pdf", "<lang>/reports/<booklet>-<year>/<booklet>-<year>-<lang>.pdf", Each, "its PDF (`planpress pdf`)")
            }
            Kind::BilingualBooklet => (
                "bilingual-booklet",
                "reports/<booklet>-<year>-bilingual/",
                Bilingual,
                "bilingual booklet (sites of two or more languages)",
            ),
            Kind::BilingualBookletPdf => (
                "bilingual-booklet-pdf",
                "reports/<booklet>-<year>-bilingual/<booklet>-<year>-bilingual.pdf",
                Bilingual,
                "its PDF (`planpress pdf`)",
            ),
            Kind::Period => ("period", "<lang>/periods/<period>/", Each, "a plan period: its targets year by year"),
            Kind::PeriodBooklet => ("period-booklet", "<lang>/reports/period-<period>/", Each, "booklet of a plan period"),
            Kind::PeriodBookletPdf => ("period-booklet-pdf", "<lang>/reports/period-<period>/period-<period>-<lang>.pdf", Each, "its PDF"),
            Kind::BilingualPeriodBooklet => {
                ("bilingual-period-booklet", "reports/period-<period>-bilingual/", Bilingual, "its pair edition")
            }
            Kind::BilingualPeriodBookletPdf => (
                "bilingual-period-booklet-pdf",
                "reports/period-<period>-bilingual/period-<period>-bilingual.pdf",
                Bilingual,
                "its PDF (`planpress pdf`)",
            ),
            Kind::DataPage => ("data", "<lang>/data/", Each, "the open-data downloads, each with its size, format and rows"),
            Kind::DataFile => ("data-file", "data/<file>", Site, "an open-data download, schema, column dictionary or catalog.json"),
            Kind::NotFound => ("not-found", "404.html", Site, "the 404 page"),
            Kind::Sitemap => ("sitemap", "sitemap.xml", Site, "sitemap of the pages (above 50,000 addresses, the index of its parts)"),
            Kind::SitemapPart => ("sitemap-part", "sitemap-<n>.xml", Site, "part n (from 1) of a sitemap of over 50,000 addresses"),
            Kind::Robots => ("robots", "robots.txt", Site, "robots.txt"),
            Kind::PreviewMarker => ("preview-marker", "PREVIEW.txt", Site, "only in a preview build (`--preview`, `serve`): says so"),
            Kind::Asset => ("asset", "static/<file>", Site, "CSS, JS, images (CSS and JS named by content hash)"),
        };
        Pattern { name, url, languages, what }
    }
}

/// Where one page or file is: its root-relative URL and, from it, its output path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    kind: Kind,
    url: String,
}

impl Route {
    /// The site root (an empty URL, `index.html`): the language chooser.
    pub fn chooser() -> Route {
        Kind::Chooser.fill(&[])
    }

    /// `404.html`.
    pub fn not_found() -> Route {
        Kind::NotFound.fill(&[])
    }

    /// `sitemap.xml`.
    pub fn sitemap() -> Route {
        Kind::Sitemap.fill(&[])
    }

    /// `sitemap-<n>.xml`: part `n` (from 1) of a sitemap too long for one file.
    pub fn sitemap_part(n: usize) -> Route {
        Kind::SitemapPart.fill(&[("n", &n.to_string())])
    }

    /// `robots.txt`.
    pub fn robots() -> Route {
        Kind::Robots.fill(&[])
    }

    /// `PREVIEW.txt`: a preview build's marker, which CI tests before deploying to production.
    pub fn preview_marker() -> Route {
        Kind::PreviewMarker.fill(&[])
    }

    /// `static/<file>`, `file` the name under `static/` as written (fingerprinted or not).
    pub fn asset(file: &str) -> Route {
        Kind::Asset.fill(&[("file", file)])
    }

    /// `zh/data/`: the open-data downloads.
    pub fn data_page(lang: &str) -> Route {
        Kind::DataPage.fill(&[("lang", lang)])
    }

    /// `data/<file>`: a download (`results-2011.csv`), its schema or dictionary, the catalogue.
    pub fn data_file(file: &str) -> Route {
        Kind::DataFile.fill(&[("file", file)])
    }

    /// `zh/`.
    pub fn home(lang: &str) -> Route {
        Kind::Home.fill(&[("lang", lang)])
    }

    /// `zh/plan/`: the plans of every year.
    pub fn plan_index(lang: &str) -> Route {
        Kind::PlanIndex.fill(&[("lang", lang)])
    }

    /// `zh/plan/2011/`.
    pub fn plan(lang: &str, year: u32) -> Route {
        Kind::Plan.fill(&[("lang", lang), ("year", &year.to_string())])
    }

    /// `zh/plan/2011/high-tech/`.
    pub fn task(lang: &str, year: u32, slug: &str) -> Route {
        Kind::Task.fill(&[("lang", lang), ("year", &year.to_string()), ("task", slug)])
    }

    /// `zh/results/`: the results of every year.
    pub fn results_index(lang: &str) -> Route {
        Kind::ResultsIndex.fill(&[("lang", lang)])
    }

    /// `zh/results/2011/`.
    pub fn results(lang: &str, year: u32) -> Route {
        Kind::Results.fill(&[("lang", lang), ("year", &year.to_string())])
    }

    /// Page `n` of a year's results: `zh/results/2011/` for the first, `zh/results/2011/page/2/`
    /// after it (so the first page keeps the address every link has).
    pub fn results_page(lang: &str, year: u32, n: usize) -> Route {
        match n {
            0 | 1 => Route::results(lang, year),
            _ => Kind::ResultsPage.fill(&[("lang", lang), ("year", &year.to_string()), ("n", &n.to_string())]),
        }
    }

    /// `zh/results/2011/xj-ip-pilot/`.
    pub fn result(lang: &str, year: u32, slug: &str) -> Route {
        Kind::Result.fill(&[("lang", lang), ("year", &year.to_string()), ("result", slug)])
    }

    /// `zh/partners/`.
    pub fn partners(lang: &str) -> Route {
        Kind::Partners.fill(&[("lang", lang)])
    }

    /// `zh/partners/beijing/`.
    pub fn partner(lang: &str, id: &str) -> Route {
        Kind::Partner.fill(&[("lang", lang), ("partner", id)])
    }

    /// Page `n` of a partner's results: `zh/partners/beijing/` for the first,
    /// `zh/partners/beijing/page/2/` after it.
    pub fn partner_page(lang: &str, id: &str, n: usize) -> Route {
        match n {
            0 | 1 => Route::partner(lang, id),
            _ => Kind::PartnerPage.fill(&[("lang", lang), ("partner", id), ("n", &n.to_string())]),
        }
    }

    /// `zh/about/`: a free page of `content/pages/`.
    pub fn page(lang: &str, slug: &str) -> Route {
        Kind::Page.fill(&[("lang", lang), ("page", slug)])
    }

    /// `zh/search/`.
    pub fn search(lang: &str) -> Route {
        Kind::Search.fill(&[("lang", lang)])
    }

    /// `zh/search-index.json`.
    pub fn search_index(lang: &str) -> Route {
        Kind::SearchIndex.fill(&[("lang", lang)])
    }

    /// `zh/atom.xml`.
    pub fn feed(lang: &str) -> Route {
        Kind::Feed.fill(&[("lang", lang)])
    }

    /// `zh/reports/plan-2011/`, or `reports/plan-2011-bilingual/` for the bilingual edition.
    pub fn booklet(kind: BookletKind, year: u32, edition: Edition) -> Route {
        let year = year.to_string();
        match edition {
            Edition::Language(lang) => Kind::Booklet.fill(&[("lang", lang), ("booklet", kind.as_str()), ("year", &year)]),
            Edition::Bilingual => Kind::BilingualBooklet.fill(&[("booklet", kind.as_str()), ("year", &year)]),
        }
    }

    /// The booklet's PDF, in its folder: `zh/reports/plan-2011/plan-2011-zh.pdf`.
    pub fn booklet_pdf(kind: BookletKind, year: u32, edition: Edition) -> Route {
        let year = year.to_string();
        match edition {
            Edition::Language(lang) => Kind::BookletPdf.fill(&[("lang", lang), ("booklet", kind.as_str()), ("year", &year)]),
            Edition::Bilingual => Kind::BilingualBookletPdf.fill(&[("booklet", kind.as_str()), ("year", &year)]),
        }
    }

    /// `zh/periods/12th-five-year/`.
    pub fn period(lang: &str, id: &str) -> Route {
        Kind::Period.fill(&[("lang", lang), ("period", id)])
    }

    /// `zh/reports/period-12th-five-year/`, or `reports/period-12th-five-year-bilingual/`.
    pub fn period_booklet(id: &str, edition: Edition) -> Route {
        match edition {
            Edition::Language(lang) => Kind::PeriodBooklet.fill(&[("lang", lang), ("period", id)]),
            Edition::Bilingual => Kind::BilingualPeriodBooklet.fill(&[("period", id)]),
        }
    }

    /// The period booklet's PDF, in its folder.
    pub fn period_booklet_pdf(id: &str, edition: Edition) -> Route {
        match edition {
            Edition::Language(lang) => Kind::PeriodBookletPdf.fill(&[("lang", lang), ("period", id)]),
            Edition::Bilingual => Kind::BilingualPeriodBookletPdf.fill(&[("period", id)]),
        }
    }

    /// Root-relative URL: `zh/plan/2011/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn into_url(self) -> String {
        self.url
    }

    /// Path of the file in the output folder, `/`-separated: `zh/plan/2011/index.html`.
    pub fn output_path(&self) -> String {
        output_path(&self.url)
    }

    /// The full address below `base_url` (absolute, ending in `/`): canonical links, feeds, sitemap.
    pub fn absolute(&self, base_url: &str) -> String {
        absolute(base_url, &self.url)
    }

    /// The relative path from this route's folder up to the site root: `zh/plan/2011/` →
    /// `../../../`, the root → `./`. Pages link with it, so the output works from any folder.
    pub fn root(&self) -> String {
        let folder = self.url.rsplit_once('/').map_or("", |(folder, _)| folder);
        let depth = folder.split('/').filter(|s| !s.is_empty()).count();
        if depth == 0 {
            "./".to_owned()
        } else {
            "../".repeat(depth)
        }
    }

    /// Its language, for the routes of [`Languages::Each`].
    pub fn lang(&self) -> Option<&str> {
        (self.kind.pattern().languages == Languages::Each).then(|| self.url.split('/').next().unwrap_or_default())
    }

    /// The same page in language `to` (the language switch, `hreflang`); a route of no language
    /// is the same in all.
    pub fn in_language(&self, to: &str) -> Route {
        if self.lang().is_none() {
            return self.clone();
        }
        let mut args = self.args();
        args.iter_mut().filter(|(name, _)| *name == "lang").for_each(|(_, value)| *value = to);
        self.kind.fill(&args)
    }

    /// The arguments the route was made with, read back from its URL: each value ends where the
    /// pattern's next literal text first occurs (no value contains it: slugs and ids are
    /// `a-z0-9-` without `/`, years and booklet kinds have no `-`; the unit tests try every kind).
    /// A name met again (`period-<period>/period-<period>-<lang>.pdf`) takes the value read first.
    fn args(&self) -> Vec<(&'static str, &str)> {
        let mut args: Vec<(&'static str, &str)> = Vec::new();
        let mut pattern = self.kind.pattern().url;
        let mut url = self.url.as_str();
        while let Some((literal, after)) = pattern.split_once('<') {
            url = url.get(literal.len()..).unwrap_or_default();
            let (name, tail) = after.split_once('>').unwrap_or((after, ""));
            let next = tail.split_once('<').map_or(tail, |(literal, _)| literal);
            let seen = args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.len());
            let end = seen.unwrap_or_else(|| if next.is_empty() { url.len() } else { url.find(next).unwrap_or(url.len()) }).min(url.len());
            args.push((name, &url[..end]));
            url = &url[end..];
            pattern = tail;
        }
        args
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl Kind {
    /// The route of this kind: its pattern with each `<name>` replaced by the value `args` gives.
    fn fill(self, args: &[(&str, &str)]) -> Route {
        debug_assert!(Kind::ALL.contains(&self), "route {self:?} is missing from Kind::ALL");
        let pattern = self.pattern().url;
        let mut url = String::with_capacity(pattern.len() + 24);
        let mut rest = pattern;
        while let Some((before, after)) = rest.split_once('<') {
            url.push_str(before);
            // Patterns are this module's own and checked by its tests: each `<` has its `>`.
            let (name, tail) = after.split_once('>').unwrap_or((after, ""));
            let value = args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            debug_assert!(value.is_some(), "route {self:?} has no argument {name}");
            url.push_str(value.unwrap_or_default());
            rest = tail;
        }
        url.push_str(rest);
        Route { kind: self, url }
    }
}

/// The file that serves `url`: a folder URL (empty or ending in `/`) is its `index.html`.
pub fn output_path(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        index_file(url)
    } else {
        url.to_owned()
    }
}

/// The `index.html` of a folder given with or without its final `/` (`""` is the root).
pub fn index_file(folder: &str) -> String {
    let folder = folder.trim_end_matches('/');
    if folder.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{folder}/index.html")
    }
}

/// `url` (root-relative) below `base_url` (absolute, ending in `/`).
pub fn absolute(base_url: &str, url: &str) -> String {
    format!("{base_url}{url}")
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

/// The fixed folders right below `<lang>/` (`plan`, `partners`, `reports`, …): a free page
/// (`<lang>/<page>/`) named like one would hide it, so validation must refuse those names.
pub fn folders_below_lang() -> Vec<&'static str> {
    let mut folders: Vec<&str> = Kind::ALL
        .iter()
        .filter_map(|k| k.pattern().url.strip_prefix("<lang>/")?.split_once('/'))
        .map(|(first, _)| first)
        .filter(|first| !first.contains('<'))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    folders
}

/// Page names (`content/pages/<name>.*`) the site's own pages take: the folders its routes put
/// below `<lang>/` and at the top of the output (a free page there would shadow them, or be shadowed
/// as theirs), and `index` (a folder called like the file that serves every folder). Derived
/// from the routes, so a new kind of page is refused by `new` and by validation the day it is added.
pub fn reserved_page_names() -> Vec<&'static str> {
    let top_folders = Kind::ALL.iter().filter_map(|k| k.pattern().url.split_once('/')).map(|(first, _)| first);
    let mut names: Vec<&str> = folders_below_lang();
    names.extend(top_folders.filter(|first| !first.contains('<')));
    names.push("index");
    names.sort_unstable();
    names.dedup();
    names
}

/// One row of docs/routes.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: &'static str,
    /// Below `base_url`, with a leading `/`: `/<lang>/plan/<year>/`.
    pub url: String,
    /// In the output folder: `<lang>/plan/<year>/index.html`.
    pub output: String,
    pub languages: &'static str,
    pub what: &'static str,
}

/// Every kind of route as docs/routes.md lists it.
pub fn table() -> Vec<Row> {
    Kind::ALL
        .iter()
        .map(|k| k.pattern())
        .map(|p| Row {
            kind: p.name,
            url: format!("/{}", p.url),
            output: output_path(p.url),
            languages: p.languages.describe(),
            what: p.what,
        })
        .collect()
}

/// [`table`] as the Markdown table of docs/routes.md.
pub fn markdown_table() -> String {
    let mut out = String::from("| kind | URL | output file | languages | what |\n|---|---|---|---|---|\n");
    for row in table() {
        out.push_str(&format!("| {} | `{}` | `{}` | {} | {} |\n", row.kind, row.url, row.output, row.languages, row.what));
    }
    out
}

#[cfg(test)]
mod tests;
