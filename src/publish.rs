//! Public or preview: what a build publishes. A public build renders the site with every record
//! that is not signed off ([`State::Approved`]) taken out of the model before anything renders,
//! so no renderer (pages, booklets, feeds, search, sitemap, data) can show one: there is nothing
//! to leak. References to what was taken out are dropped with it (a result's task, a task's
//! partner), figures and charts count only what is left, and `@/` links in Markdown to it lose
//! their link (their text stays; see [`Site::withheld`]).

use std::collections::BTreeSet;

use crate::model::{Item, Site, State};
use crate::routes::Route;

/// Which build this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Publication {
    /// Only approved content, for the public site.
    #[default]
    Public,
    /// Everything, every page not approved marked with its state, nothing indexed by search
    /// engines (`build --preview`, `serve`).
    Preview,
}

impl Publication {
    pub fn is_preview(self) -> bool {
        self == Publication::Preview
    }

    /// The site this build renders.
    pub fn site(self, site: Site) -> Site {
        match self {
            Publication::Public => public(site),
            Publication::Preview => site,
        }
    }
}

/// The site with only what is approved: unapproved plans (with their tasks), tasks, results,
/// partners, periods and pages removed, and every reference to them dropped.
pub fn public(mut site: Site) -> Site {
    let approved = |item: Item<'_>| site.state(item) == State::Approved;
    let plans: BTreeSet<u32> = site.plans.keys().copied().filter(|y| approved(Item::Plan(*y))).collect();
    let tasks: BTreeSet<(u32, String)> = site
        .plans
        .iter()
        .flat_map(|(y, p)| p.tasks.iter().map(move |t| (*y, t.data.slug.value.clone())))
        .filter(|(y, slug)| approved(Item::Task(*y, slug)))
        .collect();
    let results: BTreeSet<(u32, String)> = site
        .results
        .iter()
        // Each result's state from its own record: by slug (`Item::Result`) was quadratic.
        .flat_map(|(y, rs)| {
            rs.iter()
                .filter(|r| site.state_or_default(r.data.review.as_ref()) == State::Approved)
                .map(move |r| (*y, r.data.slug.value.clone()))
        })
        .collect();
    let partners: BTreeSet<String> =
        site.partners.iter().map(|p| p.data.id.value.clone()).filter(|id| approved(Item::Partner(id))).collect();
    let periods: BTreeSet<String> = site.periods.iter().map(|p| p.data.id.value.clone()).filter(|id| approved(Item::Period(id))).collect();
    let pages: BTreeSet<String> = site.pages.iter().map(|p| p.slug.clone()).filter(|s| approved(Item::Page(s))).collect();

    let withheld = withheld_paths(&site, &plans, &tasks, &results, &partners, &periods, &pages);
    // The year each plan's tasks continue from, before any year goes.
    let previous: Vec<(u32, Option<u32>)> = site.plans.keys().map(|y| (*y, site.previous_plan_year(*y))).collect();

    site.plans.retain(|y, _| plans.contains(y));
    for (year, plan) in &mut site.plans {
        plan.tasks.retain(|t| tasks.contains(&(*year, t.data.slug.value.clone())));
        let from = previous.iter().find(|(y, _)| y == year).and_then(|(_, p)| *p);
        for task in &mut plan.tasks {
            task.data.partners.retain(|p| partners.contains(&p.value));
            // A task carried on from one that is not published starts, as far as the public
            // site knows, this year.
            let kept = |slug: &str| from.is_some_and(|f| plans.contains(&f) && tasks.contains(&(f, slug.to_owned())));
            if task.data.continues.as_ref().is_some_and(|c| !kept(&c.value)) {
                task.data.continues = None;
            }
        }
    }
    for (year, list) in &mut site.results {
        list.retain(|r| results.contains(&(*year, r.data.slug.value.clone())));
        for r in list.iter_mut() {
            r.data.tasks.retain(|t| tasks.contains(&(*year, t.value.clone())));
            r.data.partners.retain(|p| partners.contains(&p.value));
        }
    }
    site.results.retain(|_, list| !list.is_empty());
    site.partners.retain(|p| partners.contains(&p.data.id.value));
    site.periods.retain(|p| periods.contains(&p.data.id.value));
    site.pages.retain(|p| pages.contains(&p.slug));
    // A year-end summary sums up the year's results: with none published, it has nothing to say.
    let years_with_results: BTreeSet<u32> = site.results.keys().copied().collect();
    site.summaries.retain(|y, _| years_with_results.contains(y));
    if site.config.current_year.as_ref().is_some_and(|y| !site.plans.contains_key(&y.value)) {
        site.config.current_year = None;
    }
    site.withheld = withheld;
    site
}

/// The `@/` paths (below a language's home, as Markdown links write them) of everything left out.
fn withheld_paths(
    site: &Site,
    plans: &BTreeSet<u32>,
    tasks: &BTreeSet<(u32, String)>,
    results: &BTreeSet<(u32, String)>,
    partners: &BTreeSet<String>,
    periods: &BTreeSet<String>,
    pages: &BTreeSet<String>,
) -> BTreeSet<String> {
    let lang = site.default_language();
    let mut routes = Vec::new();
    for (year, plan) in &site.plans {
        if !plans.contains(year) {
            routes.push(Route::plan(lang, *year));
        }
        for t in &plan.tasks {
            if !tasks.contains(&(*year, t.data.slug.value.clone())) {
                routes.push(Route::task(lang, *year, &t.data.slug.value));
            }
        }
    }
    for (year, list) in &site.results {
        // A year's results page stays while its plan does (it then says there are none yet).
        if !plans.contains(year) && !list.iter().any(|r| results.contains(&(*year, r.data.slug.value.clone()))) {
            routes.push(Route::results(lang, *year));
        }
        for r in list.iter().filter(|r| !results.contains(&(*year, r.data.slug.value.clone()))) {
            routes.push(Route::result(lang, *year, &r.data.slug.value));
        }
    }
    routes.extend(site.partners.iter().filter(|p| !partners.contains(&p.data.id.value)).map(|p| Route::partner(lang, &p.data.id.value)));
    routes.extend(site.periods.iter().filter(|p| !periods.contains(&p.data.id.value)).map(|p| Route::period(lang, &p.data.id.value)));
    routes.extend(site.pages.iter().filter(|p| !pages.contains(&p.slug)).map(|p| Route::page(lang, &p.slug)));
    let home = Route::home(lang);
    routes.iter().filter_map(|r| r.url().strip_prefix(home.url())).map(str::to_owned).collect()
}

/// Whether a Markdown link to `@/path` (as written after `@/`) leads to something withheld.
pub fn is_withheld(withheld: &BTreeSet<String>, path: &str) -> bool {
    if withheld.is_empty() {
        return false;
    }
    let path = path.split(['#', '?']).next().unwrap_or_default().trim_start_matches('/');
    let with_slash = if path.ends_with('/') { path.to_owned() } else { format!("{path}/") };
    // The page, or anything below it (a withheld plan year's tasks).
    withheld.iter().any(|w| with_slash.starts_with(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withheld_links_are_matched_with_or_without_their_slash_and_anchor() {
        let w: BTreeSet<String> = ["results/2011/draft/".to_owned(), "plan/2012/".to_owned()].into();
        assert!(is_withheld(&w, "results/2011/draft/"));
        assert!(is_withheld(&w, "results/2011/draft#x"));
        assert!(is_withheld(&w, "plan/2012/high-tech/"));
        assert!(!is_withheld(&w, "results/2011/drafted/"));
        assert!(!is_withheld(&w, "plan/2011/"));
        assert!(!is_withheld(&BTreeSet::new(), "plan/2012/"));
    }
}
