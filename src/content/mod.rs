//! Load: walk `content/` (through [`crate::sitefs`], which decides what may be read), read every
//! file as UTF-8, parse YAML and front matter into the typed [`Site`]. Structural problems become
//! diagnostics; cross-references are checked later by `validate`.

pub mod fields;
mod loader;
pub mod tracking;
pub mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{
    FieldHashes, MarkdownDoc, MetricsFile, PartnerFile, PeriodFile, PlanFile, ResultFile, SiteConfig, SummaryFile, TaskFile,
};

pub use crate::model::Site;
use crate::sitefs::{Found, SiteFs, DEFAULT_MAX_FILE_MB};
use loader::Loader;

/// Loads the site at `root`. Returns `None` (with diagnostics) when the site cannot be
/// assembled at all; otherwise the site and every problem found on the way.
pub fn load(root: &Path) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some((config, config_file, fs)) = load_config(root, &mut diags) else {
        return (None, diags);
    };
    let content = root.join("content");
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.value.clone()).collect();
    let (metrics, metrics_file) = load_metrics(&fs, &mut diags);

    // Walk in name order, read and parse the files in parallel (most of a large site's load),
    // then file them in walk order, so that the site and its diagnostics do not depend on timing.
    let walk = fs.walk(&content);
    // site.yaml and metrics.yaml were judged (and anything skipped named) above.
    walk.diags.into_iter().filter(|d| d.file != config_file && d.file != metrics_file).for_each(|d| diags.push(d));
    let items: Vec<Item> = walk.files.into_par_iter().map(|path| read_item(&fs, &content, path, &languages)).collect();
    let mut loader = Loader::new(&mut diags);
    for item in items {
        loader.accept(item);
    }
    let site = loader.assemble(root, config, config_file, metrics, metrics_file);
    (Some(site), diags)
}

/// Reads content/site.yaml, then judges `content/` and site.yaml again by the file policy that
/// it sets (see [`SiteFs::bootstrap`]), and checks the policy's own settings.
fn load_config(root: &Path, diags: &mut Diagnostics) -> Option<(SiteConfig, PathBuf, SiteFs)> {
    let boot = SiteFs::bootstrap(root);
    let config_file = root.join("content").join("site.yaml");
    let found = boot.top(&["content", "site.yaml"]).1;
    let found = match found {
        // Not readable even with links followed inside the site: say what the default policy
        // (no links followed) makes of it.
        Found::Skipped(_) | Found::Refused(_) => SiteFs::new(root, false, None).top(&["content", "site.yaml"]).1,
        found => found,
    };
    if !config_usable(root, &config_file, found, diags) {
        return None;
    }
    let config: SiteConfig = read_yaml(&boot, &config_file, diags)?;
    let fs = SiteFs::for_config(root, &config);
    if !config_usable(root, &config_file, fs.top(&["content", "site.yaml"]).1, diags) {
        return None;
    }
    if let Some(mb) = config.max_file_size_mb.as_ref().filter(|mb| mb.value == 0) {
        diags.push(
            Diagnostic::error("E-config", &config_file, crate::validate::position(mb), "max_file_size_mb must be at least 1")
                .with_source(&source_of(&config_file))
                .help(format!("the limit is in MiB; leave it out for the default of {DEFAULT_MAX_FILE_MB}"))
                .zh("max_file_size_mb 至少为 1", Some(format!("上限以 MiB 为单位；不写则使用默认值 {DEFAULT_MAX_FILE_MB}"))),
        );
    }
    Some((config, config_file, fs))
}

/// Whether site.yaml can be read; if not, says why.
fn config_usable(root: &Path, config_file: &Path, found: Found, diags: &mut Diagnostics) -> bool {
    let skipped = match found {
        Found::File => return true,
        Found::Skipped(d) | Found::Refused(d) => d,
        Found::Missing | Found::Dir => {
            diags.push(
                Diagnostic::error("E-no-site", config_file, Position::file(), "no content/site.yaml: this folder is not a planpress site")
                    .help("pass the site folder with --root DIR, or create one with `planpress new site DIR`")
                    .zh(
                        "没有 content/site.yaml：这个文件夹不是 planpress 站点",
                        Some("用 --root DIR 指定站点文件夹，或用 `planpress new site DIR` 新建一个".to_owned()),
                    ),
            );
            return false;
        }
    };
    let named = skipped.file.strip_prefix(root).unwrap_or(&skipped.file).display().to_string();
    diags.push(skipped);
    diags.push(
        Diagnostic::error(
            "E-no-site",
            config_file,
            Position::file(),
            format!("content/site.yaml cannot be read: `{named}` is skipped (see the warning on it)"),
        )
        .help("the site settings must be a regular file in the site's own content/ folder")
        .zh(
            format!("无法读取 content/site.yaml：已跳过 `{named}`（见关于它的警告）"),
            Some("站点设置必须是站点自己的 content/ 文件夹中的普通文件".to_owned()),
        ),
    );
    false
}

/// content/metrics.yaml, if there is one: the metrics and the file's path.
fn load_metrics(fs: &SiteFs, diags: &mut Diagnostics) -> (Vec<crate::model::Metric>, PathBuf) {
    let file = fs.root().join("content").join("metrics.yaml");
    let found = fs.top(&["content", "metrics.yaml"]).1;
    let metrics = match found {
        Found::File => read_yaml::<MetricsFile>(fs, &file, diags).map(|m| m.metrics).unwrap_or_default(),
        Found::Skipped(d) | Found::Refused(d) => {
            diags.push(d);
            Vec::new()
        }
        Found::Missing | Found::Dir => Vec::new(),
    };
    (metrics, file)
}

fn read_text(fs: &SiteFs, file: &Path, diags: &mut Diagnostics) -> Option<String> {
    let bytes = match fs.read(file) {
        Ok(bytes) => bytes,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text)),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diags.push(
                Diagnostic::error("E-encoding", file, Position::new(line, column), "file is not valid UTF-8")
                    .help("save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8); GBK/GB2312 files must be converted")
                    .zh(
                        "文件不是有效的 UTF-8 编码",
                        Some("请把文件另存为 UTF-8 编码（多数编辑器：另存为… → 编码：UTF-8）；GBK/GB2312 文件需要转换".to_owned()),
                    ),
            );
            None
        }
    }
}

fn read_yaml<T: DeserializeOwned>(fs: &SiteFs, file: &Path, diags: &mut Diagnostics) -> Option<T> {
    let text = read_text(fs, file, diags)?;
    match yaml::parse::<T>(file, &text, &text, 1) {
        Ok(value) => Some(value),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// What a file under `content/` is, by its path.
enum Kind {
    PlanData(u32),
    Preamble(u32, String),
    Task(u32),
    TaskBody(u32, String, String),
    Partner,
    PartnerBody(String, String),
    Result(u32),
    ResultBody(u32, String, String),
    PageBody(String, String),
    Period,
    PeriodBody(String, String),
    Summary(u32),
    SummaryBody(u32, String),
    Static,
    FieldHashes(String),
    Unknown,
}

/// `name.<lang>.md` → (name, lang).
fn split_lang(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".md")?;
    let (name, lang) = stem.rsplit_once('.')?;
    Some((name, lang))
}

fn classify(rel: &[&str]) -> Kind {
    let year = |s: &str| s.parse::<u32>().ok();
    match rel {
        ["site.yaml"] | ["metrics.yaml"] => Kind::Static,
        ["plan", y, "plan.yaml"] => year(y).map_or(Kind::Unknown, Kind::PlanData),
        ["plan", y, name] => match (year(y), split_lang(name)) {
            (Some(y), Some(("preamble", lang))) => Kind::Preamble(y, lang.to_owned()),
            _ => Kind::Unknown,
        },
        ["plan", y, "tasks", name] => match (year(y), name.strip_suffix(".yaml"), split_lang(name)) {
            (Some(y), Some(_), _) => Kind::Task(y),
            (Some(y), None, Some((slug, lang))) => Kind::TaskBody(y, slug.to_owned(), lang.to_owned()),
            _ => Kind::Unknown,
        },
        ["partners", name] => match (name.strip_suffix(".yaml"), split_lang(name)) {
            (Some(_), _) => Kind::Partner,
            (None, Some((id, lang))) => Kind::PartnerBody(id.to_owned(), lang.to_owned()),
            _ => Kind::Unknown,
        },
        ["results", y, "summary.yaml"] => year(y).map_or(Kind::Unknown, Kind::Summary),
        ["results", y, name] => match (year(y), name.strip_suffix(".yaml"), split_lang(name)) {
            (Some(y), None, Some(("summary", lang))) => Kind::SummaryBody(y, lang.to_owned()),
            (Some(y), Some(_), _) => Kind::Result(y),
            (Some(y), None, Some((slug, lang))) => Kind::ResultBody(y, slug.to_owned(), lang.to_owned()),
            _ => Kind::Unknown,
        },
        // The hashes the translated YAML fields were made from (see `tracking.rs`).
        ["translations", name] => name.strip_suffix(".yaml").map_or(Kind::Unknown, |lang| Kind::FieldHashes(lang.to_owned())),
        ["periods", name] => match (name.strip_suffix(".yaml"), split_lang(name)) {
            (Some(_), _) => Kind::Period,
            (None, Some((id, lang))) => Kind::PeriodBody(id.to_owned(), lang.to_owned()),
            _ => Kind::Unknown,
        },
        ["pages", name] => split_lang(name).map_or(Kind::Unknown, |(slug, lang)| Kind::PageBody(slug.to_owned(), lang.to_owned())),
        _ => Kind::Unknown,
    }
}

/// Key of a Markdown body: which record it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum BodyOwner {
    Preamble(u32),
    Task(u32, String),
    Partner(String),
    Result(u32, String),
    Period(String),
    Summary(u32),
}

/// One file of `content/`, read and parsed on its own (in parallel with the others).
struct Item {
    path: PathBuf,
    parsed: Parsed,
    diags: Diagnostics,
}

/// What a file turned out to hold.
enum Parsed {
    /// Nothing to file: `site.yaml`, `metrics.yaml` (read before), an ignored or unreadable file.
    Nothing,
    /// A YAML record that did not parse: its own error is reported, so references to it and
    /// its Markdown files do not repeat it.
    Broken,
    Plan(u32, Box<PlanFile>),
    Task(u32, TaskFile),
    Partner(PartnerFile),
    Result(u32, ResultFile),
    Period(PeriodFile),
    Summary(u32, SummaryFile),
    Body(BodyOwner, String, MarkdownDoc),
    Page(String, String, MarkdownDoc),
    FieldHashes(String, FieldHashes),
}

/// Reads and parses one file of `content/` by what its path says it is.
fn read_item(fs: &SiteFs, content: &Path, path: PathBuf, languages: &[String]) -> Item {
    let mut diags = Diagnostics::default();
    let rel: Vec<&str> = path.strip_prefix(content).unwrap_or(&path).iter().filter_map(|c| c.to_str()).collect();
    let record = |parsed: Option<Parsed>| parsed.unwrap_or(Parsed::Broken);
    let parsed = match classify(&rel) {
        Kind::Static => Parsed::Nothing,
        Kind::Unknown => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if !name.starts_with('.') {
                diags.push(
                    Diagnostic::warning("W-unknown-file", &path, Position::file(), "file is not part of the content model and is ignored")
                        .help("see the content model in README.md: e.g. tasks go in content/plan/<year>/tasks/<slug>.yaml with <slug>.<lang>.md beside it")
                        .zh(
                            "这个文件不属于内容模型，已忽略",
                            Some("内容模型见 README.md：例如重点任务放在 content/plan/<年份>/tasks/<任务标识>.yaml，旁边是 <任务标识>.<语言>.md".to_owned()),
                        ),
                );
            }
            Parsed::Nothing
        }
        Kind::PlanData(year) => record(read_yaml::<PlanFile>(fs, &path, &mut diags).map(|plan| {
            if plan.year.value != year {
                diags.push(
                    Diagnostic::error(
                        "E-year",
                        &path,
                        Position::new(plan.year.referenced.line() as usize, plan.year.referenced.column() as usize),
                        format!("`year: {}` does not match the folder plan/{year}/", plan.year.value),
                    )
                    .help("the folder name and the year in plan.yaml must agree")
                    .zh(
                        format!("`year: {}` 与所在文件夹 plan/{year}/ 不一致", plan.year.value),
                        Some("文件夹名称与 plan.yaml 中的年份必须一致".to_owned()),
                    ),
                );
            }
            Parsed::Plan(year, Box::new(plan))
        })),
        Kind::FieldHashes(lang) => read_yaml(fs, &path, &mut diags).map_or(Parsed::Nothing, |h| Parsed::FieldHashes(lang, h)),
        Kind::Task(year) => record(read_yaml(fs, &path, &mut diags).map(|task| Parsed::Task(year, task))),
        Kind::Partner => record(read_yaml(fs, &path, &mut diags).map(Parsed::Partner)),
        Kind::Result(year) => record(read_yaml(fs, &path, &mut diags).map(|r| Parsed::Result(year, r))),
        Kind::Period => record(read_yaml(fs, &path, &mut diags).map(Parsed::Period)),
        Kind::Summary(year) => record(read_yaml(fs, &path, &mut diags).map(|s| Parsed::Summary(year, s))),
        Kind::PeriodBody(id, lang) => body(fs, BodyOwner::Period(id), &path, lang, languages, &mut diags),
        Kind::SummaryBody(year, lang) => body(fs, BodyOwner::Summary(year), &path, lang, languages, &mut diags),
        Kind::Preamble(year, lang) => body(fs, BodyOwner::Preamble(year), &path, lang, languages, &mut diags),
        Kind::TaskBody(year, slug, lang) => body(fs, BodyOwner::Task(year, slug), &path, lang, languages, &mut diags),
        Kind::PartnerBody(id, lang) => body(fs, BodyOwner::Partner(id), &path, lang, languages, &mut diags),
        Kind::ResultBody(year, slug, lang) => body(fs, BodyOwner::Result(year, slug), &path, lang, languages, &mut diags),
        Kind::PageBody(slug, lang) => match markdown(fs, &path, &lang, languages, &mut diags) {
            Some(doc) => Parsed::Page(slug, lang, doc),
            None => Parsed::Nothing,
        },
    };
    Item { path, parsed, diags }
}

fn body(fs: &SiteFs, owner: BodyOwner, path: &Path, lang: String, languages: &[String], diags: &mut Diagnostics) -> Parsed {
    match markdown(fs, path, &lang, languages, diags) {
        Some(doc) => Parsed::Body(owner, lang, doc),
        None => Parsed::Nothing,
    }
}

fn markdown(fs: &SiteFs, path: &Path, lang: &str, languages: &[String], diags: &mut Diagnostics) -> Option<MarkdownDoc> {
    if !languages.iter().any(|l| l == lang) {
        diags.push(
            Diagnostic::warning(
                "W-language",
                path,
                Position::file(),
                format!("language `{lang}` is not listed in site.yaml; file ignored"),
            )
            .help(format!("name the file NAME.<lang>.md with one of: {}", languages.join(", ")))
            .zh(
                format!("site.yaml 中没有 `{lang}` 这种语言，文件已忽略"),
                Some(format!("文件请命名为 名称.<语言>.md，语言可用：{}", languages.join("、"))),
            ),
        );
        return None;
    }
    let text = read_text(fs, path, diags)?;
    match yaml::parse_front_matter(path, &text) {
        // A placeholder is no translation: the text is missing (it falls back, and is reported).
        Ok((front, _)) if front.untranslated => None,
        Ok((front, markdown)) => Some(MarkdownDoc { file: path.to_path_buf(), front: Box::new(front), markdown }),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The record name a file belongs to: `a/b/high-tech.yaml` → `high-tech`.
pub fn stem(file: &Path) -> String {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.split('.').next().unwrap_or_default().to_owned()
}

/// The full text of a file, for showing a source line in a diagnostic produced after loading.
pub fn source_of(file: &Path) -> String {
    crate::sitefs::read_source(file)
}

/// Hash of a source text, recorded as `translated_from` in its translations: FNV-1a 64 over the
/// text with line endings and surrounding blank space normalised, so re-saving a file with other
/// line endings does not make its translations stale.
pub fn source_hash(markdown: &str) -> String {
    let normalised = markdown.replace("\r\n", "\n");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in normalised.trim().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `about.en.md` → `en`.
pub fn lang_of(file: &Path) -> String {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    split_lang(name).map(|(_, lang)| lang.to_owned()).unwrap_or_default()
}

/// Writes `translated_from: <hash>` into a Markdown file's front matter, adding front matter
/// if there is none. Returns whether the file changed.
pub fn record_translated_from(file: &Path, hash: &str) -> std::io::Result<bool> {
    let text = fs::read_to_string(file)?;
    let line = format!("translated_from: {hash}");
    let updated = match yaml::split_front_matter(&text) {
        (Some(front), body) => {
            let mut lines: Vec<String> = front.lines().filter(|l| !l.starts_with("translated_from:")).map(str::to_owned).collect();
            lines.push(line);
            format!("---\n{}\n---\n{body}", lines.join("\n"))
        }
        (None, body) => format!("---\n{line}\n---\n{body}"),
    };
    if updated == text {
        return Ok(false);
    }
    fs::write(file, updated)?;
    Ok(true)
}

/// Reads one Markdown file again (for `serve`): its front matter and text, or the diagnostics
/// a full load would give for it.
pub fn reload_markdown(fs: &SiteFs, path: &Path) -> Result<MarkdownDoc, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(text) = read_text(fs, path, &mut diags) else { return Err(diags) };
    match yaml::parse_front_matter(path, &text) {
        // Marked (or no longer marked) a placeholder: the site changes shape, so no error and
        // no document: the caller rebuilds in full.
        Ok((front, _)) if front.untranslated => Err(diags),
        Ok((front, markdown)) => Ok(MarkdownDoc { file: path.to_path_buf(), front: Box::new(front), markdown }),
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// Reads one YAML record again (for `serve`).
pub fn reload_yaml<T: DeserializeOwned>(fs: &SiteFs, path: &Path) -> Result<T, Diagnostics> {
    let mut diags = Diagnostics::default();
    read_yaml::<T>(fs, path, &mut diags).ok_or(diags)
}
