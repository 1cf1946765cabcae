//! The site as `serve` keeps it: loaded, validated and rendered once, then brought up to date
//! file by file. An edit to a result's or a partner's Markdown or YAML reloads that one file and
//! renders only the pages that show it; anything else (templates, site.yaml, metrics.yaml, a new
//! or deleted file, several files at once) is a full rebuild.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::build::{normalise_base_url, prepare};
use crate::content::{self, stem};
use crate::diagnostics::Diagnostics;
use crate::model::{PartnerFile, ResultFile, Site};
use crate::render::theme::Theme;
use crate::render::Affected;
use crate::render::{Change, OutputFile, RenderOptions, Renderer};
use crate::sitefs::SiteFs;
use crate::validate;

pub struct Live {
    site: Site,
    theme: Theme,
    renderer: Renderer,
    /// The last update failed: the model may hold a record that does not validate, so the next
    /// change is a full rebuild.
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

fn collect(render: impl FnOnce(&(dyn Fn(OutputFile) + Sync)) -> Result<(), Diagnostics>) -> Result<Vec<OutputFile>, Diagnostics> {
    let files = Mutex::new(Vec::new());
    render(&|file| files.lock().expect("files lock").push(file))?;
    Ok(files.into_inner().expect("files lock"))
}

impl Live {
    pub fn load(root: &Path, base_url: &str) -> Result<Loaded, Diagnostics> {
        let prepared = prepare(root, None, false).map_err(|report| {
            let mut d = Diagnostics::default();
            report.diagnostics.into_iter().for_each(|item| d.push(item));
            d
        })?;
        let options = RenderOptions { base_url: normalise_base_url(base_url), ..RenderOptions::default() };
        let mut renderer = Renderer::new(&prepared.site, &prepared.theme, options)?;
        renderer.keep_search_parts();
        let mut pages = 0;
        let files = collect(|sink| {
            pages = renderer.render_all(&prepared.site, sink)?.pages_per_language.values().sum();
            Ok(())
        })?;
        let live = Live { site: prepared.site, theme: prepared.theme, renderer, broken: false };
        Ok(Loaded { live, files, warnings: prepared.diags, pages })
    }

    pub fn page_total(&self) -> usize {
        self.renderer.page_total()
    }

    /// Reloads the changed file into the model and renders the pages that show it. `None` when
    /// the change needs a full rebuild; `Some(Err(_))` when the file has errors.
    pub fn update(&mut self, changed: &[PathBuf]) -> Option<Result<(Update, Vec<OutputFile>), Diagnostics>> {
        let [path] = changed else { return None };
        if self.broken {
            return None;
        }
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
        let site = &self.site;
        let renderer = &self.renderer;
        Some(collect(|sink| renderer.render_pages(site, &affected, sink)).map(|files| (Update { affected, file: rel }, files)))
    }

    /// The second step of an update: booklets, feeds, search index, sitemap.
    pub fn update_rest(&self, update: &Update) -> Result<Vec<OutputFile>, Diagnostics> {
        collect(|sink| self.renderer.render_rest(&self.site, &update.affected, sink))
    }

    /// Reads `path` into the model if it is a result's or partner's file that the model already
    /// has; `Ok(None)` for any other file.
    fn reload(&mut self, path: &Path) -> Result<Option<Change>, Diagnostics> {
        let content = self.site.root.join("content");
        let rel: Vec<&str> = path.strip_prefix(&content).map_err(|_| Diagnostics::default())?.iter().filter_map(|c| c.to_str()).collect();
        let name = stem(path);
        let lang = content::lang_of(path);
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
                    Ok(Some(Change::ResultBody { year, index }))
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
                    Ok(Some(Change::PartnerBody { index }))
                } else {
                    Ok(None)
                }
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
