//! A small two-language site in a temp folder, built in memory through the same stages as
//! `planpress build` (load, validate, theme, render, minify) without spawning the binary or
//! swapping an output folder, so that one case takes milliseconds. Shared by the fuzz targets
//! and the property test (tests/hostile/prop.rs includes this file by path).

use std::fs;
use std::path::{Path, PathBuf};

use planpress::commands::build::{normalise_base_url, prepare};
use planpress::diagnostics::{Diagnostic, Severity};
use planpress::output::OutputFile;
use planpress::render::{self, RenderOptions};

/// The files a case may replace, relative to the site root.
pub const SITE: &str = "content/site.yaml";
pub const METRICS: &str = "content/metrics.yaml";
pub const PLAN: &str = "content/plan/2011/plan.yaml";
pub const TASK: &str = "content/plan/2011/tasks/t.yaml";
pub const TASK_BODY: &str = "content/plan/2011/tasks/t.zh.md";
pub const PARTNER: &str = "content/partners/p.yaml";
pub const PARTNER_BODY: &str = "content/partners/p.zh.md";
pub const RESULT: &str = "content/results/2011/r.yaml";
pub const RESULT_BODY: &str = "content/results/2011/r.zh.md";
pub const PAGE: &str = "content/pages/about.en.md";

/// `site.yaml` with `allow_raw_html` set as given.
pub fn site_yaml(allow_raw_html: bool) -> String {
    format!(
        "title: {{zh: 计划, en: Plan}}\ndescription: {{zh: 说明, en: About}}\norganisation: {{zh: 科技厅, en: Department}}\n\
         base_url: https://example.org/kjt/\ndefault_language: zh\nlanguages:\n  - {{code: zh, name: 中文, tag: zh-Hans}}\n\
         \x20 - {{code: en, name: English, tag: en}}\ncurrent_year: 2011\nallow_raw_html: {allow_raw_html}\n"
    )
}

const BASE: &[(&str, &str)] = &[
    (
        METRICS,
        "metrics:\n  - {id: projects, name: {zh: 项目, en: Projects}, unit: {zh: 项, en: projects}, unit_one: {en: project}, kind: count}\n\
         \x20 - {id: funds, name: {zh: 资金, en: Funds}, unit: {zh: 元, en: yuan}, kind: money}\n\
         \x20 - {id: share, name: {zh: 比例, en: Share}, unit: {zh: '%', en: '%'}, kind: percent}\n",
    ),
    (
        PLAN,
        "year: 2011\ntitle: {zh: 要点, en: Key points}\nissuer: {zh: 科技厅, en: Department}\ndate: 2011-02-12\n\
         source: {url: 'https://example.gov.cn/plan.html'}\n",
    ),
    (
        TASK,
        "number: 1\nslug: t\ntitle: {zh: 任务, en: Task}\nactions:\n  - {id: a, kind: project, name: {zh: 行动, en: Action}}\n\
         targets:\n  - {metric: projects, value: 3}\npartners: [p]\n",
    ),
    (TASK_BODY, "任务正文。\n"),
    ("content/plan/2011/tasks/t.en.md", "Task text.\n"),
    (PARTNER, "id: p\nrole: supporter\norder: 1\nname: {zh: 北京市, en: Beijing}\nsources: ['https://example.org/source']\n"),
    (PARTNER_BODY, "对口支援省市。\n"),
    (
        RESULT,
        "slug: r\ndate: 2011-08-23\ntitle: {zh: 结果, en: Result}\ntasks: [t]\npartners: [p]\n\
         values:\n  - {metric: projects, value: 2}\nillustrative: true\n",
    ),
    (RESULT_BODY, "结果正文。\n"),
    ("content/results/2011/r.en.md", "Result text.\n"),
    (PAGE, "---\ntitle: About\n---\nAbout this site.\n"),
    ("content/pages/about.zh.md", "---\ntitle: 关于\n---\n关于本站。\n"),
];

/// What building the site gave.
pub enum Outcome {
    /// The build stopped with these diagnostics (at least one error).
    Failed(Vec<Diagnostic>),
    /// Every output file, HTML minified as `build` writes it.
    Built(Vec<OutputFile>),
}

pub struct MiniSite {
    dir: tempfile::TempDir,
}

impl Default for MiniSite {
    fn default() -> Self {
        Self::new()
    }
}

impl MiniSite {
    pub fn new() -> MiniSite {
        let site = MiniSite { dir: tempfile::tempdir().expect("temp dir") };
        site.reset(false);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Back to the benign site, with `allow_raw_html` as given.
    pub fn reset(&self, allow_raw_html: bool) {
        for (rel, text) in BASE {
            self.put(rel, text.as_bytes());
        }
        self.put(SITE, site_yaml(allow_raw_html).as_bytes());
    }

    pub fn put(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
        fs::write(path, bytes).expect("write file");
    }

    /// Loads, validates, renders and minifies, as `planpress build` does before writing.
    pub fn build(&self) -> Outcome {
        let prepared = match prepare(self.root(), None, false) {
            Ok(p) => p,
            Err(report) => return Outcome::Failed(report.diagnostics),
        };
        let base_url = normalise_base_url(&prepared.site.config.base_url.value);
        match render::render(&prepared.site, &prepared.theme, &RenderOptions { base_url, publication: Default::default() }) {
            Ok(rendered) => {
                let mut files = rendered.files;
                // On a 2 MiB stack like the build's rayon workers, so a too-deep recursion in the
                // minifier shows here as it would in `build`.
                std::thread::scope(|s| {
                    s.spawn(|| {
                        for file in files.iter_mut() {
                            // A page too deep to minify is kept as rendered (build warns); fine here.
                            let _ = planpress::output::minify_file(file);
                        }
                    })
                    .join()
                })
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Outcome::Built(files)
            }
            Err(diags) => Outcome::Failed(diags.sorted()),
        }
    }
}

/// Whether a failed build names a file of the site among its errors (not just "it failed").
pub fn names_a_file(diagnostics: &[Diagnostic], root: &Path) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error && d.file.starts_with(root) && d.file.is_file())
}
