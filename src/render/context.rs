//! The shape every rendered HTML file's context shares, typed once: `lang` (the language a page
//! or an edition is in), `page` (what the page is, its crumbs, the same page in each language and
//! its `hreflang` alternates). The site's pages, the booklets, the language chooser and the 404
//! page all build `page` here, so templates see one shape (docs/templates.md) and no renderer
//! assembles it from `json!` by hand.

use serde::{Serialize, Serializer};

use crate::model::{Direction, Site};
use crate::render::views::LangMark;
use crate::routes::{BookletKind, Kind as RouteKind, Route};

/// A language of the site as templates see it (`lang`, and each edition's `lang`).
#[derive(Debug, Clone, Serialize)]
pub struct LangMeta<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub tag: &'a str,
    pub dir: Direction,
}

impl<'a> LangMeta<'a> {
    /// The site's language `code`.
    ///
    /// # Panics
    /// If the site has no such language: callers pass one of `site.language_codes()`.
    pub fn of(site: &'a Site, code: &str) -> LangMeta<'a> {
        let l = site.config.languages.iter().find(|l| l.code.value == code).expect("a language of the site");
        LangMeta { code: &l.code.value, name: &l.name, tag: &l.tag, dir: l.dir }
    }
}

/// One step of a page's breadcrumbs.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// The same page in one of the site's languages (the language switch).
#[derive(Serialize)]
pub struct Translation<'a> {
    code: &'a str,
    name: &'a str,
    tag: &'a str,
    /// For the switch's link: a language's name keeps its own direction inside another's page.
    dir: &'a str,
    url: String,
    current: bool,
}

/// The page in each of the site's languages: `url` gives its URL in a language code, `current`
/// is the page's own language (`None` where no language is the page's, as on the chooser).
pub fn translations<'a>(site: &'a Site, current: Option<&str>, url: impl Fn(&str) -> String) -> Vec<Translation<'a>> {
    site.config
        .languages
        .iter()
        .map(|l| Translation {
            code: &l.code.value,
            name: &l.name,
            tag: &l.tag,
            dir: l.dir.as_str(),
            url: url(&l.code.value),
            current: current == Some(l.code.value.as_str()),
        })
        .collect()
}

/// One `hreflang` alternate of a page: the language tag (or `x-default`) and the absolute URL.
#[derive(Serialize)]
pub struct Alternate<'a> {
    tag: &'a str,
    href: String,
}

/// The `hreflang` alternates of the page at `route`: the same route in each language, and the
/// default language's as `x-default`.
pub fn alternates<'a>(site: &'a Site, route: &Route, base_url: &str) -> Vec<Alternate<'a>> {
    alternates_by(site, |code| route.in_language(code).absolute(base_url), route.in_language(site.default_language()).absolute(base_url))
}

/// The alternates of the root chooser: each language's home, and the chooser as `x-default`.
pub fn root_alternates<'a>(site: &'a Site, base_url: &str) -> Vec<Alternate<'a>> {
    alternates_by(site, |code| Route::home(code).absolute(base_url), Route::chooser().absolute(base_url))
}

fn alternates_by<'a>(site: &'a Site, href: impl Fn(&str) -> String, default: String) -> Vec<Alternate<'a>> {
    let mut out: Vec<Alternate> = site.config.languages.iter().map(|l| Alternate { tag: &l.tag, href: href(&l.code.value) }).collect();
    out.push(Alternate { tag: "x-default", href: default });
    out
}

/// What a page is, as `page.kind` names it for templates: a site page by its route's kind
/// (`home`, `task`, … as the routes table names them), a booklet (`booklet_plan`,
/// `booklet_summary_bilingual`, …), the language chooser or the 404 page. An enum up to the
/// template, so Rust never compares the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Route(RouteKind),
    Booklet { kind: BookletKind, bilingual: bool },
    Chooser,
    NotFound,
}

impl Serialize for PageKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // The names are the routes table's, not serde's: one list of page kinds.
            PageKind::Route(kind) => s.serialize_str(kind.pattern().name),
            PageKind::Booklet { kind, bilingual } => {
                s.collect_str(&format_args!("booklet_{}{}", kind.as_str(), if *bilingual { "_bilingual" } else { "" }))
            }
            PageKind::Chooser => s.serialize_str("chooser"),
            PageKind::NotFound => s.serialize_str("not_found"),
        }
    }
}

/// `page` of a context (docs/templates.md), serialised straight into Tera's values.
#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub kind: PageKind,
    pub title: &'a str,
    /// The title's language when it fell back: `<title>` and the last crumb take it.
    pub title_mark: Option<&'a LangMark>,
    pub description: &'a str,
    pub url: &'a str,
    pub canonical: String,
    pub untranslated: bool,
    pub breadcrumbs: &'a [Crumb],
    pub translations: Vec<Translation<'a>>,
    pub alternates: Vec<Alternate<'a>>,
    /// In a preview, the mark of a page or booklet that is not approved (see `review.rs`).
    pub review: Option<ReviewMark>,
    /// The date the page's content was published (its sitemap `lastmod`: a plan's for the plan
    /// and its tasks, a result's own, a year's latest result), from the content only.
    pub date: Option<&'a str>,
    /// When it last changed (`updated:` of its record), only when later than `date`.
    pub updated: Option<&'a str>,
}

/// The state mark of a page or booklet that is not approved, in its language(s).
#[derive(Debug, Clone, Serialize)]
pub struct ReviewMark {
    /// `draft`, `for-comment`, `for-approval`.
    pub state: crate::model::State,
    /// 草稿, 征求意见稿, 送审稿 (theme strings `review_draft`, `review_for_comment`, `review_for_approval`).
    pub label: String,
    /// What the banner says (theme string `review_note`).
    pub note: String,
}

impl<'a> PageMeta<'a> {
    /// The page at `route` with no crumbs and nothing untranslated; `translations` and
    /// `alternates` are to be filled by the caller (they differ by kind of page).
    pub fn at(route: &'a Route, kind: PageKind, title: &'a str, description: &'a str, base_url: &str) -> PageMeta<'a> {
        PageMeta {
            kind,
            title,
            title_mark: None,
            description,
            url: route.url(),
            canonical: route.absolute(base_url),
            untranslated: false,
            breadcrumbs: &[],
            translations: Vec::new(),
            alternates: Vec::new(),
            review: None,
            date: None,
            updated: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(kind: PageKind) -> serde_json::Value {
        serde_json::to_value(kind).unwrap()
    }

    #[test]
    fn page_kinds_serialise_to_the_names_templates_test() {
        assert_eq!(name(PageKind::Route(RouteKind::Task)), "task");
        assert_eq!(name(PageKind::Route(RouteKind::Home)), "home");
        assert_eq!(name(PageKind::Booklet { kind: BookletKind::Plan, bilingual: false }), "booklet_plan");
        assert_eq!(name(PageKind::Booklet { kind: BookletKind::Summary, bilingual: true }), "booklet_summary_bilingual");
        assert_eq!(name(PageKind::Chooser), "chooser");
        assert_eq!(name(PageKind::NotFound), "not_found");
    }
}
