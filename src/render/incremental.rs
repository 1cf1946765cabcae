//! Partial renders for `serve`: after one record changed, only the pages that show it. A changed
//! Markdown body patches the views in place; a changed YAML record rebuilds them (records show
//! each other's names and figures) but still renders only its dependants. Booklets, feeds, the
//! search index and the sitemap take longest at scale, so they are a second step
//! ([`Renderer::render_rest`]) after the pages are served.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::booklet::BookletKind;
use super::pages::{self, PageData};
use super::theme::Theme;
use super::{booklet, views, Diagnostics, Renderer, Sink, Site};

/// One record that changed, by its position in the site model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A Markdown file of a result.
    ResultBody { year: u32, index: usize },
    /// A result's YAML (same slug and date, so it keeps its place).
    Result { year: u32, index: usize },
    /// A Markdown file of a partner.
    PartnerBody { index: usize },
    /// A partner's YAML (same id and order).
    Partner { index: usize },
}

/// What a change makes stale: pages by position, booklets by position.
pub struct Affected {
    pages: Vec<usize>,
    booklets: Vec<usize>,
}

impl Affected {
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    pub fn booklets(&self) -> usize {
        self.booklets.len()
    }
}

impl Renderer {
    /// Keeps the searchable part of every page after [`Renderer::render_all`], so that
    /// [`Renderer::render_rest`] can rebuild the search index without rendering every page.
    pub fn keep_search_parts(&mut self) {
        self.search_parts = Some(std::sync::Mutex::new(Vec::new()));
    }

    /// The number of pages of a full render.
    pub fn page_total(&self) -> usize {
        self.specs.len()
    }

    /// Brings the views up to date with `site` after `change` and says what to render again.
    pub fn apply(&mut self, site: &Site, theme: &Theme, change: Change) -> Affected {
        match change {
            Change::ResultBody { year, index } => {
                for (lang, v) in &mut self.shared.views {
                    views::refresh_result_body(site, lang, v, year, index);
                }
            }
            Change::PartnerBody { index } => {
                for (lang, v) in &mut self.shared.views {
                    views::refresh_partner_body(site, lang, v, index);
                }
            }
            Change::Result { .. } | Change::Partner { .. } => {
                // The YAML changed, not the Markdown: the results' HTML is taken over.
                let mut previous = std::mem::take(&mut self.shared.views);
                self.shared.views = previous
                    .par_iter_mut()
                    .map(|(lang, old)| (lang.clone(), views::build(site, lang, &theme.strings[lang], Some(old))))
                    .collect();
                self.shared.plan_values = super::plan_values(&self.shared.views);
                let languages = site.language_codes();
                self.specs =
                    languages.iter().flat_map(|lang| pages::specs(site, lang, &self.shared.views[*lang], &theme.strings[*lang])).collect();
            }
        }
        self.affected(site, change)
    }

    /// Which pages and booklets hold data of the changed record: a table of what each page's
    /// context takes from the views (see `pages::insert_data`), so it must follow any change
    /// there. It errs on the side of too many pages; tests/serve.rs checks it against a theme
    /// whose templates print their whole context
    /// (`incremental_rebuilds_match_a_fresh_start_whatever_the_theme_shows`).
    fn affected(&self, site: &Site, change: Change) -> Affected {
        let partner_position = |id: &str| site.partners.iter().position(|p| p.data.id.value == id);
        let wanted: Box<dyn Fn(&PageData) -> bool> = match change {
            Change::ResultBody { year, index } | Change::Result { year, index } => {
                let result = &site.results[&year][index].data;
                let slugs: BTreeSet<&str> = result.tasks.iter().map(|t| t.value.as_str()).collect();
                let tasks: BTreeSet<usize> = site.plans.get(&year).map_or_else(BTreeSet::new, |p| {
                    p.tasks.iter().enumerate().filter(|(_, t)| slugs.contains(t.data.slug.value.as_str())).map(|(i, _)| i).collect()
                });
                let partners: BTreeSet<usize> = result.partners.iter().filter_map(|p| partner_position(&p.value)).collect();
                // A YAML edit may also move figures between tasks and partners: all of the year's.
                let all = matches!(change, Change::Result { .. });
                Box::new(move |d: &PageData| match *d {
                    PageData::Result { year: y, index: i } => y == year && i == index,
                    PageData::Results { year: y } => y == year,
                    PageData::Home => true,
                    PageData::Plan { year: y } => all && y == year,
                    PageData::Task { year: y, index: i } => y == year && (all || tasks.contains(&i)),
                    PageData::Partner { index: i } => all || partners.contains(&i),
                    _ => false,
                })
            }
            Change::PartnerBody { index } => {
                Box::new(move |d: &PageData| matches!(*d, PageData::Home | PageData::Partners) || *d == PageData::Partner { index })
            }
            Change::Partner { index } => {
                // Its name is on every task and result that involves it.
                let id = site.partners[index].data.id.value.as_str();
                let tasks: BTreeSet<(u32, usize)> = site
                    .plans
                    .iter()
                    .flat_map(|(y, p)| p.tasks.iter().enumerate().map(move |(i, t)| (*y, i, t)))
                    .filter(|(_, _, t)| t.data.partners.iter().any(|p| p.value == id))
                    .map(|(y, i, _)| (y, i))
                    .collect();
                let results: BTreeSet<(u32, usize)> = site
                    .results
                    .iter()
                    .flat_map(|(y, rs)| rs.iter().enumerate().map(move |(i, r)| (*y, i, r)))
                    .filter(|(_, _, r)| r.data.partners.iter().any(|p| p.value == id))
                    .map(|(y, i, _)| (y, i))
                    .collect();
                let years: BTreeSet<u32> = results.iter().map(|(y, _)| *y).chain(tasks.iter().map(|(y, _)| *y)).collect();
                Box::new(move |d: &PageData| match *d {
                    PageData::Home | PageData::Partners => true,
                    PageData::Partner { index: i } => i == index,
                    PageData::Task { year, index } => tasks.contains(&(year, index)),
                    PageData::Result { year, index } => results.contains(&(year, index)),
                    PageData::Results { year } | PageData::Plan { year } => years.contains(&year),
                    _ => false,
                })
            }
        };
        let pages = self.specs.iter().enumerate().filter(|(_, s)| wanted(&s.data)).map(|(i, _)| i).collect();
        let booklets = self
            .shared
            .booklets
            .iter()
            .enumerate()
            .filter(|(_, b)| match change {
                Change::ResultBody { year, .. } | Change::Result { year, .. } => b.kind == BookletKind::Summary && b.year == year,
                Change::PartnerBody { .. } => b.kind == BookletKind::Plan,
                Change::Partner { .. } => true,
            })
            .map(|(i, _)| i)
            .collect();
        Affected { pages, booklets }
    }

    /// Renders the pages of `affected` into `sink`.
    pub fn render_pages(&self, site: &Site, affected: &Affected, sink: &Sink) -> Result<(), Diagnostics> {
        let errors: Vec<_> = affected
            .pages
            .par_iter()
            .filter_map(|&position| match pages::render_page(&self.shared, site, &self.specs[position]) {
                Ok(file) => {
                    if let Some(parts) = &self.search_parts {
                        let part = super::search::main_part(&file.bytes).to_vec();
                        let mut parts = parts.lock().expect("search parts lock");
                        match parts.binary_search_by_key(&position, |(p, _)| *p) {
                            Ok(i) => parts[i].1 = part,
                            Err(i) => parts.insert(i, (position, part)),
                        }
                    }
                    sink(file);
                    None
                }
                Err(d) => Some(d),
            })
            .collect();
        into_result(errors)
    }

    /// The second step: the booklets of `affected`, the feeds, the search index and the sitemap.
    pub fn render_rest(&self, site: &Site, affected: &Affected, sink: &Sink) -> Result<(), Diagnostics> {
        let shared = &self.shared;
        let specs: Vec<&booklet::BookletSpec> = affected.booklets.iter().map(|&i| &shared.booklets[i]).collect();
        let indexes = || {
            let parts = self.search_parts.as_ref().map(|p| p.lock().expect("search parts lock"));
            self.indexes_from_parts(site, parts.as_deref().map_or(&[], |p| p.as_slice()))
        };
        let errors = self.render_after_pages(site, indexes, &specs, sink);
        into_result(errors)
    }
}

fn into_result(errors: Vec<crate::diagnostics::Diagnostic>) -> Result<(), Diagnostics> {
    if errors.is_empty() {
        return Ok(());
    }
    let mut diags = Diagnostics::default();
    for d in errors {
        diags.push(d);
    }
    Err(diags)
}
