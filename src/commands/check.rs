//! `planpress check`: everything a build validates, plus every internal link and `#anchor` of
//! the rendered site (in memory; nothing is written) and a translation report: per language,
//! what is missing and what is stale (its source changed after it was translated).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

mod hashes;
mod review;

use super::build::{render_options, validate_site};
use crate::diagnostics::{Diagnostic, Message, MessageLang, Severity};
use crate::linkcheck::{self, BrokenLink};
use crate::validate::{self, Gap, GapList, Stale};
use crate::{content, render};
pub(super) use hashes::update_field_hashes;
use hashes::update_hashes;
pub use review::{Change, Entry, Figure, Trail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub struct CheckOptions {
    pub root: PathBuf,
    pub strict: bool,
    pub format: Format,
    /// Which translations to confirm first, by recording their source's current hash.
    pub update_hashes: UpdateHashes,
    /// Add the review trail (`--review`): states, sign-offs, published figures, git changes.
    pub review: bool,
}

/// `check --update-hashes`: which translations the editor confirms as up to date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UpdateHashes {
    /// Confirm none (a plain `check`).
    #[default]
    None,
    /// `--all`: every translation of the site.
    All,
    /// `PATH…`: these translation files only (relative to the site root, else to the working
    /// directory).
    Only(Vec<PathBuf>),
}

pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub links_checked: usize,
    pub broken_links: Vec<BrokenLink>,
    pub languages: Vec<String>,
    pub default_language: String,
    pub gaps: Vec<Gap>,
    pub stale: Vec<Stale>,
    pub hashes_updated: usize,
    /// What `check` tells about the years (no problem of any file; never fails the check).
    pub year_notices: Vec<validate::YearNotice>,
    /// With `--review`: the review trail.
    pub trail: Option<Trail>,
    /// Whether the check passes (with `--strict`, gaps and stale translations fail it too).
    pub ok: bool,
}

pub fn check(options: &CheckOptions) -> CheckReport {
    let mut report = CheckReport {
        diagnostics: Vec::new(),
        links_checked: 0,
        broken_links: Vec::new(),
        languages: Vec::new(),
        default_language: String::new(),
        gaps: Vec::new(),
        stale: Vec::new(),
        hashes_updated: 0,
        year_notices: Vec::new(),
        trail: None,
        ok: false,
    };
    // The stages of `build` (load → validate → render), the render kept in memory for the
    // link check; the site is loaded once, also with `--update-hashes`.
    let (site, mut diags) = content::load(&options.root);
    let Some(mut site) = site else {
        report.diagnostics = diags.sorted();
        return report;
    };
    if options.update_hashes != UpdateHashes::None {
        report.hashes_updated = update_hashes(&mut site, &options.root, &options.update_hashes, &mut diags);
    }
    let (theme, gaps) = validate_site(&site, &mut diags, GapList::Each);
    report.languages = site.language_codes().iter().map(|s| (*s).to_owned()).collect();
    report.default_language = site.default_language().to_owned();
    report.gaps = gaps;
    report.stale = validate::stale_translations(&site);
    report.year_notices = validate::year_notices(&site);
    if options.review {
        report.trail = Some(review::trail(&site, &mut diags));
    }
    let root = &options.root;
    // Notes, not problems: added after `--strict` has promoted the warnings.
    let punctuation = validate::punctuation_notes(&site);
    if !diags.has_errors() {
        let options = render_options(&site, None);
        let base_path = render::base_path(&options.base_url);
        match render::render(&site, &theme, &options) {
            Ok(rendered) => {
                let links = linkcheck::check(&rendered.files, &base_path);
                report.links_checked = links.checked;
                report.broken_links = links.broken;
            }
            Err(render_diags) => diags.extend(render_diags),
        }
        // The public build leaves out what is not approved: what linked to it must not break.
        if let Some(public) = public_site(root, &site) {
            match render::render(&public, &theme, &options) {
                Ok(rendered) => {
                    let links = linkcheck::check(&rendered.files, &base_path);
                    report.links_checked += links.checked;
                    for b in links.broken {
                        if !report.broken_links.iter().any(|seen| seen.page == b.page && seen.href == b.href) {
                            report.broken_links.push(b);
                        }
                    }
                }
                Err(render_diags) => diags.extend(render_diags),
            }
        }
    }
    if options.strict {
        diags.promote_warnings();
    }
    let translation_problems = !report.gaps.is_empty() || !report.stale.is_empty();
    report.ok = !diags.has_errors() && report.broken_links.is_empty() && !(options.strict && translation_problems);
    for note in punctuation {
        diags.push(note);
    }
    report.diagnostics = diags.sorted();
    report
}

/// The site a public build renders, when it differs from the whole site (loaded again: the
/// public site is the whole one with records taken out).
fn public_site(root: &Path, site: &content::Site) -> Option<content::Site> {
    use crate::model::{Item, State};
    let approved = |item| site.state(item) == State::Approved;
    let all_approved =
        site.plans.iter().all(|(y, p)| approved(Item::Plan(*y)) && p.tasks.iter().all(|t| approved(Item::Task(*y, &t.data.slug.value))))
            && site.results.iter().all(|(y, rs)| rs.iter().all(|r| approved(Item::Result(*y, &r.data.slug.value))))
            && site.partners.iter().all(|p| approved(Item::Partner(&p.data.id.value)))
            && site.periods.iter().all(|p| approved(Item::Period(&p.data.id.value)))
            && site.pages.iter().all(|p| approved(Item::Page(&p.slug)));
    if all_approved {
        return None;
    }
    content::load(root).0.map(crate::publish::public)
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

impl CheckReport {
    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// The translation report and summary, for people, in English. Diagnostics are printed
    /// separately.
    pub fn text(&self, root: &Path) -> String {
        self.text_in(root, MessageLang::En)
    }

    /// The translation report and summary in the language of messages.
    pub fn text_in(&self, root: &Path, lang: MessageLang) -> String {
        let zh = lang == MessageLang::Zh;
        let mut out = String::new();
        if self.hashes_updated > 0 {
            let n = self.hashes_updated;
            let line =
                Message::new(format!("recorded the source hash in {n} translation(s)"), format!("已在 {n} 个译文中记录原文的哈希值"));
            let _ = writeln!(out, "{}", line.in_lang(lang));
        }
        for b in &self.broken_links {
            let (page, href, problem) = (&b.page, &b.href, &b.problem);
            let line = Message::new(format!("broken link: {page} → {href} ({problem})"), format!("失效链接：{page} → {href}（{problem}）"));
            let _ = writeln!(out, "{}", line.in_lang(lang));
        }
        if !self.year_notices.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("years (for information):", "年度（供参考）："));
            for n in &self.year_notices {
                let _ = writeln!(out, "  {}: {}", rel(root, &n.file), if zh { &n.zh } else { &n.en });
            }
        }
        if let Some(trail) = &self.trail {
            trail.write(&mut out, root, lang);
        }
        let _ = writeln!(out, "{}", lang.pick("translations:", "译文："));
        for code in &self.languages {
            self.language_report(&mut out, root, code, zh);
        }
        let (errors, warnings, checked, broken) = (self.errors(), self.warnings(), self.links_checked, self.broken_links.len());
        // Stale translations are no diagnostics, yet fail `--strict`: the summary counts them,
        // so a failed check never reads "0 errors, 0 warnings" alone.
        let stale = self.stale.len();
        let summary = if zh {
            let verdict = if self.ok { "检查通过" } else { "检查未通过" };
            let stale = if stale > 0 { format!("，{stale} 个过期译文") } else { String::new() };
            format!("{verdict}：{errors} 个错误，{warnings} 个警告{stale}；已检查 {checked} 个站内链接，{broken} 个失效")
        } else {
            let verdict = if self.ok { "passed" } else { "failed" };
            let stale = match stale {
                0 => String::new(),
                1 => ", 1 stale translation".to_owned(),
                n => format!(", {n} stale translations"),
            };
            format!("check {verdict}: {errors} errors, {warnings} warnings{stale}; {checked} internal links checked, {broken} broken")
        };
        let _ = writeln!(out, "{summary}");
        out
    }

    /// One language's lines of the translation report.
    fn language_report(&self, out: &mut String, root: &Path, lang: &str, zh: bool) {
        let gaps: Vec<&Gap> = self.gaps.iter().filter(|g| g.lang == lang).collect();
        let stale: Vec<&Stale> = self.stale.iter().filter(|s| s.lang == lang).collect();
        let default = match (lang == self.default_language, zh) {
            (false, _) => "",
            (true, false) => " (default)",
            (true, true) => "（默认语言）",
        };
        let (missing, outdated) = (gaps.len(), stale.len());
        let _ = match (missing + outdated, zh) {
            (0, false) => writeln!(out, "  {lang}{default}: complete, nothing stale"),
            (0, true) => writeln!(out, "  {lang}{default}：齐全，没有过期的译文"),
            (_, false) => writeln!(out, "  {lang}{default}: {missing} missing, {outdated} stale"),
            (_, true) => writeln!(out, "  {lang}{default}：缺少 {missing} 处，过期 {outdated} 处"),
        };
        for g in gaps {
            let file = rel(root, &g.file);
            let _ = match (g.field == "text", zh) {
                (true, false) => writeln!(out, "    missing  {file}"),
                (true, true) => writeln!(out, "    缺少  {file}"),
                (false, false) => writeln!(out, "    missing  {file}: {}", g.field),
                (false, true) => writeln!(out, "    缺少  {file}：{}", g.field_zh),
            };
        }
        for s in stale {
            let (file, source) = (rel(root, &s.file), rel(root, &s.source));
            let source_lang = &self.default_language;
            let _ = match (&s.field, zh) {
                (None, true) => writeln!(out, "    过期  {file}（翻译之后，原文 {source} 有改动）"),
                (None, false) => writeln!(out, "    stale    {file} (its source {source} changed since it was translated)"),
                // Where the field is, as a diagnostic says it, so an editor can jump to it.
                (Some(f), true) => {
                    writeln!(out, "    过期  {file}:{}:{}：{}（翻译之后，{source_lang} 原文有改动）", f.line, f.column, f.path)
                }
                (Some(f), false) => writeln!(
                    out,
                    "    stale    {file}:{}:{}: {} (its {source_lang} text changed since it was translated)",
                    f.line, f.column, f.path
                ),
            };
        }
    }

    pub fn json(&self, root: &Path) -> String {
        let diagnostics: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                json!({
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" },
                    "code": d.code,
                    "file": rel(root, &d.file),
                    "line": d.position.line,
                    "column": d.position.column,
                    "message": d.message,
                    "help": d.help,
                    // The Chinese wording, for dashboards that editors read.
                    "zh": d.zh.as_ref().map(|z| json!({"message": z.message, "help": z.help})),
                })
            })
            .collect();
        let mut translations = BTreeMap::new();
        for lang in &self.languages {
            let missing: Vec<serde_json::Value> =
                self.gaps.iter().filter(|g| &g.lang == lang).map(|g| json!({"file": rel(root, &g.file), "field": g.field})).collect();
            let stale: Vec<serde_json::Value> = self
                .stale
                .iter()
                .filter(|s| &s.lang == lang)
                .map(|s| {
                    json!({"file": rel(root, &s.file), "source": rel(root, &s.source), "recorded": s.recorded, "current": s.current, "field": s.field})
                })
                .collect();
            translations.insert(lang.clone(), json!({"missing": missing, "stale": stale}));
        }
        let value = json!({
            "ok": self.ok,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "stale": self.stale.len(),
            "diagnostics": diagnostics,
            "links": {"checked": self.links_checked, "broken": self.broken_links},
            "translations": translations,
            "hashes_updated": self.hashes_updated,
            "review": self.trail.as_ref().map(|t| t.json(root)),
            "years": self.year_notices.iter().map(|n| json!({"file": rel(root, &n.file), "message": n.en, "zh": n.zh})).collect::<Vec<_>>(),
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}
