//! The site as `serve` keeps it: loaded, validated and rendered once, then brought up to date
//! file by file. An edit to a result's or a partner's Markdown or YAML reloads that one file and
//! renders only the pages that show it. An edit under `themes/` or `static/` reloads the theme:
//! a changed template or interface string renders every page again with the model kept; a static
//! file is copied, and every page is rendered again only if its output name changed (a new
//! fingerprint, or a file added or removed). Anything else (site.yaml, metrics.yaml, a new or
//! deleted content file, several content files at once) is a full rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::build::{normalise_base_url, prepare};
use crate::content::{self, stem};
use crate::diagnostics::Diagnostics;
use crate::model::{PartnerFile, PeriodFile, ResultFile, Site};
use crate::output::OutputFile;
use crate::render::theme::{self, Theme};
use crate::render::Affected;
use crate::render::{assets, Change, RenderOptions, Renderer, Step};
use crate::sitefs::SiteFs;
use crate::validate;

pub struct Live {
    site: Site,
    theme: Theme,
    renderer: Renderer,
    /// Kept for a full re-render after a theme edit.
    options: RenderOptions,
    /// The last update failed: the model may hold a record that does not validate, or the theme
    /// may not load, so the next change is a full rebuild.
    broken: bool,
}

/// A full build: the model and every file, with the warnings.
pub struct Loaded {
    pub live: Live,
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    pub pages: usize,
}

/// What an update re-rendered.
pub struct Update {
    pub affected: Affected,
    /// The changed file, relative to the site root.
    pub file: PathBuf,
}

/// What an update did.
pub enum Outcome {
    /// A result's, partner's or period's file changed: its own pages. The other pages that show
    /// it follow with [`Live::render_step`], then the booklets, feeds, search index and sitemap
    /// with [`Live::update_rest`].
    Pages(Update, Vec<OutputFile>),
    /// The theme changed in a way any page may show: every file, rendered again. They replace
    /// the served files (an asset's old fingerprinted name must stop being served).
    Rerendered { reason: ThemeChange, files: Vec<OutputFile>, pages: usize, warnings: Diagnostics },
    /// Static files whose output name did not change: their new bytes, nothing else to render.
    Copied(Vec<OutputFile>),
    /// The output stays as it is: a file of another theme, or a save without a change.
    Unchanged,
}

/// Why a theme edit renders every page again (worded for the terminal by `serve::terminal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeChange {
    Templates,
    /// The UI strings of `i18n/<lang>.yaml`.
    Strings,
    /// Static files (names under `static/`) with a new output name: a fingerprinted file
    /// edited, or a file added or removed. Templates reach them through `assets`.
    Renamed(Vec<String>),
}

fn collect(render: impl FnOnce(&(dyn Fn(OutputFile) + Sync)) -> Result<(), Diagnostics>) -> Result<Vec<OutputFile>, Diagnostics> {
    let files = Mutex::new(Vec::new());
    render(&|file| files.lock().expect("files lock").push(file))?;
    Ok(files.into_inner().expect("files lock"))
}

/// Every file of `site` with `theme`, and the renderer that keeps what a partial render needs.
fn render_everything(site: &Site, theme: &Theme, options: RenderOptions) -> Result<(Renderer, Vec<OutputFile>, usize), Diagnostics> {
    let mut renderer = Renderer::new(site, theme, options)?;
    renderer.keep_search_parts();
    let mut pages = 0;
    let files = collect(|sink| {
        pages = renderer.render_all(site, sink)?.pages_per_language.values().sum();
        Ok(())
    })?;
    Ok((renderer, files, pages))
}

impl Live {
    pub fn load(root: &Path, base_url: &str) -> Result<Loaded, Diagnostics> {
        let prepared = prepare(root, None, false).map_err(|report| {
            let mut d = Diagnostics::default();
            report.diagnostics.into_iter().for_each(|item| d.push(item));
            d
        })?;
        let options = RenderOptions { base_url: normalise_base_url(base_url), publication: crate::publish::Publication::Preview };
        let (renderer, files, pages) = render_everything(&prepared.site, &prepared.theme, options.clone())?;
        let live = Live { site: prepared.site, theme: prepared.theme, renderer, options, broken: false };
        Ok(Loaded { live, files, warnings: prepared.diags, pages })
    }

    pub fn page_total(&self) -> usize {
        self.renderer.page_total()
    }

    /// Brings the model and the output up to date with the changed files. `None` when the change
    /// needs a full rebuild; `Some(Err(_))` when the changed file (or the theme) has errors.
    pub fn update(&mut self, changed: &[PathBuf]) -> Option<Result<Outcome, Diagnostics>> {
        if self.broken {
            return None;
        }
        if !changed.is_empty() && changed.iter().all(|p| self.is_theme_file(p)) {
            return Some(self.update_theme());
        }
        let [path] = changed else { return None };
        let rel = path.strip_prefix(&self.site.root).ok()?.to_path_buf();
        let change = match self.reload(path) {
            Ok(Some(change)) => change,
            Ok(None) => return None,
            Err(diags) => {
                self.broken = true;
                return Some(Err(diags));
            }
        };
        let affected = self.renderer.apply(&self.site, &self.theme, change);
        let update = Update { affected, file: rel };
        Some(self.render_step(&update, Step::Own).map(|files| Outcome::Pages(update, files)))
    }

    /// The pages of one step of an update: the record's own pages first (what [`Live::update`]
    /// returns), then, with [`Step::Dependants`], the other pages that show it.
    pub fn render_step(&self, update: &Update, step: Step) -> Result<Vec<OutputFile>, Diagnostics> {
        collect(|sink| self.renderer.render_pages(&self.site, &update.affected, step, sink))
    }

    /// Under `themes/` or the site's own `static/`: what [`theme::load`] reads.
    fn is_theme_file(&self, path: &Path) -> bool {
        let top = path.strip_prefix(&self.site.root).ok().and_then(|rel| rel.components().next());
        top.is_some_and(|c| c.as_os_str() == "themes" || c.as_os_str() == "static")
    }

    /// Reloads the theme and compares it with the one in use, so that what decides the work is
    /// what changed in the theme, not which file was saved (a file of another theme changes
    /// nothing; a site file in `static/` may hide the theme's file of the same name).
    fn update_theme(&mut self) -> Result<Outcome, Diagnostics> {
        let mut diags = Diagnostics::default();
        let theme = theme::load(&self.site, &mut diags);
        if diags.has_errors() {
            self.broken = true;
            return Err(diags);
        }
        let (old_assets, new_assets) = (assets::build(&self.theme.statics), assets::build(&theme.statics));
        let reason = if theme.templates != self.theme.templates {
            Some(ThemeChange::Templates)
        } else if theme.strings != self.theme.strings {
            Some(ThemeChange::Strings)
        } else {
            let names: BTreeSet<&String> = old_assets.map.keys().chain(new_assets.map.keys()).collect();
            let renamed: Vec<String> = names.into_iter().filter(|n| old_assets.map.get(*n) != new_assets.map.get(*n)).cloned().collect();
            (!renamed.is_empty()).then_some(ThemeChange::Renamed(renamed))
        };
        if let Some(reason) = reason {
            let (renderer, files, pages) =
                render_everything(&self.site, &theme, self.options.clone()).inspect_err(|_| self.broken = true)?;
            self.renderer = renderer;
            self.theme = theme;
            return Ok(Outcome::Rerendered { reason, files, pages, warnings: diags });
        }
        // Same names: only the bytes of some files differ, and no page changes.
        let edited: BTreeSet<&str> = new_assets
            .map
            .iter()
            .filter(|(name, _)| theme.statics.get(*name) != self.theme.statics.get(*name))
            .map(|(_, asset)| asset.url.as_str())
            .collect();
        let files: Vec<OutputFile> = new_assets.files.into_iter().filter(|f| edited.contains(f.path.as_str())).collect();
        self.theme = theme;
        Ok(if files.is_empty() { Outcome::Unchanged } else { Outcome::Copied(files) })
    }

    /// The second step of an update: booklets, feeds, search index, sitemap.
    pub fn update_rest(&self, update: &Update) -> Result<Vec<OutputFile>, Diagnostics> {
        collect(|sink| self.renderer.render_rest(&self.site, &update.affected, sink))
    }

    /// Reads `path` into the model if it is a result's or partner's file that the model already
    /// has; `Ok(None)` for any other file.
    fn reload(&mut self, path: &Path) -> Result<Option<Change>, Diagnostics> {
        let content = self.site.root.join("content");
        // Not under content/, so not a record's file: a full rebuild, not an error (an empty
        // error read "Build failed (0 errors)" on the terminal).
        let Ok(rel) = path.strip_prefix(&content) else { return Ok(None) };
        let rel: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
        let name = stem(path);
        let lang = content::lang_of(path);
        let written_in = crate::render::deps::Lang::of(&self.site, &lang);
        // Read by the same file policy as a full build (no link out of the site, no FIFO).
        let reader = SiteFs::for_site(&self.site);
        let is_yaml = path.extension().is_some_and(|e| e == "yaml");
        match rel.as_slice() {
            ["results", year, _] => {
                let Ok(year) = year.parse::<u32>() else { return Ok(None) };
                let Some(index) = self.site.results.get(&year).and_then(|rs| rs.iter().position(|r| stem(&r.file) == name)) else {
                    return Ok(None);
                };
                let record = &mut self.site.results.get_mut(&year).expect("year")[index];
                if is_yaml {
                    let Some(data) = or_rebuild(content::reload_yaml::<ResultFile>(&reader, path))? else { return Ok(None) };
                    // A new slug or date moves the result: a full rebuild places it.
                    if data.slug.value != record.data.slug.value || data.date.value != record.data.date.value {
                        return Ok(None);
                    }
                    record.data = data;
                    self.validate()?;
                    Ok(Some(Change::Result { year, index }))
                } else if let Some(body) = record.bodies.get_mut(&lang) {
                    let Some(doc) = or_rebuild(content::reload_markdown(&reader, path))? else { return Ok(None) };
                    validate::check_markdown(&doc)?;
                    *body = doc;
                    Ok(Some(Change::ResultBody { year, index, lang: written_in }))
                } else {
                    Ok(None)
                }
            }
            ["partners", _] => {
                let Some(index) = self.site.partners.iter().position(|p| stem(&p.file) == name) else { return Ok(None) };
                let record = &mut self.site.partners[index];
                if is_yaml {
                    let Some(data) = or_rebuild(content::reload_yaml::<PartnerFile>(&reader, path))? else { return Ok(None) };
                    if data.id.value != record.data.id.value || data.order != record.data.order || data.role != record.data.role {
                        return Ok(None);
                    }
                    record.data = data;
                    self.validate()?;
                    Ok(Some(Change::Partner { index }))
                } else if let Some(body) = record.bodies.get_mut(&lang) {
                    let Some(doc) = or_rebuild(content::reload_markdown(&reader, path))? else { return Ok(None) };
                    validate::check_markdown(&doc)?;
                    *body = doc;
                    Ok(Some(Change::PartnerBody { index, lang: written_in }))
                } else {
                    Ok(None)
                }
            }
            ["periods", _] if is_yaml => {
                let Some(index) = self.site.periods.iter().position(|p| stem(&p.file) == name) else { return Ok(None) };
                let Some(data) = or_rebuild(content::reload_yaml::<PeriodFile>(&reader, path))? else { return Ok(None) };
                let old = &self.site.periods[index].data;
                // Its id, title and years are on other pages (links, routes, booklets): a full rebuild.
                fn shown(d: &PeriodFile) -> (&String, &std::collections::BTreeMap<String, String>, u32, u32) {
                    (&d.id.value, &d.title.value, d.first_year.value, d.last_year.value)
                }
                if shown(&data) != shown(old) {
                    return Ok(None);
                }
                self.site.periods[index].data = data;
                self.validate()?;
                Ok(Some(Change::Period { index }))
            }
            _ => Ok(None),
        }
    }

    /// The cross-references of a changed YAML record: the whole site is checked, as in a build.
    fn validate(&self) -> Result<(), Diagnostics> {
        let diags = validate::validate(&self.site);
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(())
        }
    }
}

/// A file that the file policy skipped (it became a link or a FIFO) is not an error of the
/// file: a full rebuild names it, with the build's other warnings.
fn or_rebuild<T>(read: Result<T, Diagnostics>) -> Result<Option<T>, Diagnostics> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(diags) if !diags.has_errors() => Ok(None),
        Err(diags) => Err(diags),
    }
}
