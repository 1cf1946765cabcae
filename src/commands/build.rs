//! `planpress build`: load → validate → render → write.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use super::progress::Delayed;
use crate::diagnostics::{Diagnostic, Diagnostics, Message, MessageLang};
use crate::model::Site;
use crate::output::OutputFile;
use crate::publish::Publication;
use crate::render::theme::Theme;
use crate::render::{self, RenderOptions, Renderer};
use crate::validate::{self, Gap, GapList};
use crate::{content, output};

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    pub minify: bool,
    pub strict: bool,
    /// No progress bar (it is also hidden when stderr is not a terminal, and in CI).
    pub quiet: bool,
    /// The language of the progress bar.
    pub lang: MessageLang,
    /// Public (approved content only) or preview (everything, marked).
    pub publication: Publication,
}

pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the command failed and nothing was written.
    pub summary: Option<Message>,
    /// The failure was in how planpress was called (e.g. a refused `--out`), not in the content.
    pub usage_error: bool,
}

impl BuildReport {
    pub fn failed(diags: Diagnostics) -> BuildReport {
        BuildReport { diagnostics: diags.sorted(), summary: None, usage_error: false }
    }
}

/// With `PLANPRESS_MEMORY_TRACE` set (to anything), prints the resident and peak memory after
/// `stage` (Linux: from /proc): to see which stage a large site's memory goes to.
fn memory_trace(stage: &str) {
    if std::env::var_os("PLANPRESS_MEMORY_TRACE").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |field: &str| status.lines().find_map(|l| l.strip_prefix(field)).map_or("?", str::trim).to_owned();
    eprintln!("memory after {stage}: resident {}, peak {}", kb("VmRSS:"), kb("VmHWM:"));
}

/// Normalises a base URL to end with exactly one `/`.
pub fn normalise_base_url(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

/// The loaded, validated site and its theme, ready to render.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
    pub diags: Diagnostics,
}

/// Checks the output folder (if any), loads and validates the site and its theme.
pub fn prepare(root: &Path, out: Option<&Path>, strict: bool) -> Result<Prepared, BuildReport> {
    if let Some(out) = out {
        if let Err(e) = output::check_target(root, out) {
            let mut diags = Diagnostics::default();
            diags.push(e.diagnostic(out));
            return Err(BuildReport { usage_error: true, ..BuildReport::failed(diags) });
        }
    }
    let (site, mut diags) = content::load(root);
    memory_trace("loaded");
    let Some(site) = site else { return Err(BuildReport::failed(diags)) };
    // Under --strict each gap is an error the editor must find; otherwise a language missing
    // many texts (one just added) is one line pointing to `check`.
    let list = if strict { GapList::Each } else { GapList::Summarised };
    let (theme, _gaps) = validate_site(&site, &mut diags, list);
    if strict {
        diags.promote_warnings();
    }
    if diags.has_errors() {
        return Err(BuildReport::failed(diags));
    }
    memory_trace("validated");
    Ok(Prepared { site, theme, diags })
}

/// The validate stage on a loaded site, for every command: its problems (added to `diags`),
/// its theme (loading it is validated too) and the translation gaps behind the
/// `W-translation` warnings, for `check`'s report.
pub fn validate_site(site: &Site, diags: &mut Diagnostics, list: GapList) -> (Theme, Vec<Gap>) {
    let (validation, gaps) = validate::validate_listing(site, list);
    diags.extend(validation);
    let theme = render::theme::load(site, diags);
    (theme, gaps)
}

/// The options of a whole-site render: `base_url` (a command's `--base-url`) overrides
/// site.yaml's.
pub fn render_options(site: &Site, base_url: Option<&str>) -> RenderOptions {
    RenderOptions { base_url: normalise_base_url(base_url.unwrap_or(&site.config.base_url.value)), publication: Publication::Public }
}

/// Minifies (if asked) and swaps the files in as the new output. Returns the warnings (pages
/// too deeply nested to minify).
pub fn write(out: &Path, mut files: Vec<OutputFile>, minify: bool) -> Result<Vec<Diagnostic>, Diagnostic> {
    let deep = if minify { output::minify(&mut files) } else { Vec::new() };
    output::write_atomically(out, &files).map_err(|e| e.diagnostic(out))?;
    Ok(deep.iter().map(|page| output::too_deep_warning(out, page)).collect())
}

pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let Prepared { site, theme, mut diags } = match prepare(&options.root, Some(&options.out), options.strict) {
        Ok(p) => p,
        Err(report) => return report,
    };
    let site = options.publication.site(site);
    let render_options = RenderOptions { publication: options.publication, ..render_options(&site, options.base_url.as_deref()) };
    let renderer = match Renderer::new(&site, &theme, render_options) {
        Ok(r) => r,
        Err(render_diags) => {
            diags.extend(render_diags);
            return BuildReport::failed(diags);
        }
    };
    memory_trace("renderer made");
    let staging = match output::Staging::create(&options.out) {
        Ok(s) => s,
        Err(e) => {
            diags.push(e.diagnostic(&options.out));
            return BuildReport::failed(diags);
        }
    };
    // Files are minified and written as they are rendered, on the render's threads.
    let template = options.lang.pick("rendering {bar:30} {pos}/{len} pages", "正在渲染 {bar:30} {pos}/{len} 个页面");
    let progress = Delayed::new(renderer.html_files() as u64, template, options.quiet);
    let write_error = Mutex::new(None);
    let too_deep = Mutex::new(Vec::new());
    let rendered = renderer.render_all(&site, &|mut file| {
        if file.is_html {
            progress.inc();
        }
        if let Some(page) = options.minify.then(|| output::minify_file(&mut file)).flatten() {
            too_deep.lock().expect("minify lock").push(page);
        }
        if let Err(e) = staging.write(&file) {
            write_error.lock().expect("error lock").get_or_insert(e);
        }
    });
    progress.finish();
    memory_trace("rendered and written");
    let summary = match rendered {
        Ok(s) => s,
        Err(render_diags) => {
            diags.extend(render_diags);
            return BuildReport::failed(diags);
        }
    };
    let written = match write_error.into_inner().expect("error lock") {
        Some(e) => Err(e),
        None => staging.commit(),
    };
    let mut too_deep = too_deep.into_inner().expect("minify lock");
    too_deep.sort_by(|a, b| a.path.cmp(&b.path));
    for page in &too_deep {
        diags.push(output::too_deep_warning(&options.out, page));
    }
    if let Err(e) = written {
        diags.push(e.diagnostic(&options.out));
        return BuildReport::failed(diags);
    }
    let total: usize = summary.pages_per_language.values().sum();
    let per_language: Vec<String> =
        site.language_codes().iter().map(|l| format!("{l} {}", summary.pages_per_language.get(*l).copied().unwrap_or(0))).collect();
    let warnings = diags.warning_count();
    let (booklets, out, ms) = (summary.booklets, options.out.display(), started.elapsed().as_millis());
    let warning_note = if warnings > 0 { format!(", {warnings} warning{}", if warnings == 1 { "" } else { "s" }) } else { String::new() };
    let warning_note_zh = if warnings > 0 { format!("，{warnings} 个警告") } else { String::new() };
    let summary = Message::new(
        format!("built {total} pages ({}) and {booklets} booklets into {out} in {ms} ms{warning_note}", per_language.join(", ")),
        format!(
            "已生成 {total} 个页面（{}）和 {booklets} 本小册子，输出到 {out}，用时 {ms} 毫秒{warning_note_zh}",
            per_language.join("，")
        ),
    );
    BuildReport { diagnostics: diags.sorted(), summary: Some(summary), usage_error: false }
}
