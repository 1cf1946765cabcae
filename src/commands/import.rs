//! `planpress import FILE --year Y`: year-end figures from a workbook or CSV become results
//! (`content/results/<year>/<slug>.yaml` and a text stub per language). Reading and judging
//! the sheet is `crate::import`'s; this front door loads the site, refuses to overwrite (an
//! existing result changes only with `--update`, after its figures' diff is shown), and writes
//! nothing when any row has a problem.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::build::{prepare, BuildReport};
use crate::diagnostics::{Diagnostic, Diagnostics, Message, Position};
use crate::import::{self, sheet, Imported, Mapping};
use crate::model::Site;

pub struct ImportOptions {
    pub root: PathBuf,
    /// The folder the files are written to; `None`: `ROOT/content/results/<year>`.
    pub out: Option<PathBuf>,
    pub file: PathBuf,
    pub year: u32,
    pub sheet: Option<String>,
    pub mapping: Option<PathBuf>,
    pub dry_run: bool,
    pub update: bool,
}

fn failed(diags: Vec<Diagnostic>, usage: bool) -> BuildReport {
    let mut all = Diagnostics::default();
    diags.into_iter().for_each(|d| all.push(d));
    BuildReport { usage_error: usage, ..BuildReport::failed(all) }
}

fn read_error(file: &Path, e: sheet::ReadError) -> Diagnostic {
    use sheet::ReadError as E;
    let (code, en, zh, help_en, help_zh) = match e {
        E::Format => (
            "E-import",
            "not a file planpress imports".to_owned(),
            "planpress 无法导入这种文件".to_owned(),
            "save it as .xlsx, .xls, .ods or .csv".to_owned(),
            "请另存为 .xlsx、.xls、.ods 或 .csv 文件".to_owned(),
        ),
        E::Io(err) => (
            "E-io",
            format!("cannot read the file: {err}"),
            format!("无法读取文件（{err}）"),
            "check that it is a workbook and not open elsewhere".to_owned(),
            "请确认文件是电子表格，且未损坏".to_owned(),
        ),
        E::NotUtf8 => (
            "E-encoding",
            "the CSV file is not UTF-8 (Excel saves “CSV” as GBK)".to_owned(),
            "CSV 文件不是 UTF-8 编码（Excel 另存的“CSV”是 GBK 编码）".to_owned(),
            "save it as “CSV UTF-8”, or import the .xlsx itself".to_owned(),
            "请另存为“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件".to_owned(),
        ),
        E::NoSheet(names) => (
            "E-import",
            format!("no such sheet; the sheets are: {}", names.join(", ")),
            format!("没有这个工作表；现有工作表：{}", names.join("、")),
            "name one of them with --sheet".to_owned(),
            "请用 --sheet 指定其中之一".to_owned(),
        ),
    };
    let d = Diagnostic::error("E-import", file, Position::file(), en).help(help_en).zh(zh, Some(help_zh));
    Diagnostic { code, ..d }
}

fn load_mapping(path: &Path) -> Result<Mapping, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error("E-io", path, Position::file(), format!("cannot read the mapping file: {e}"))
            .zh(format!("无法读取映射文件（{e}）"), None)
    })?;
    crate::content::yaml::parse(path, &text, &text, 1)
}

/// `planpress import`.
pub fn import(options: &ImportOptions) -> BuildReport {
    let prepared = match prepare(&options.root, None, false) {
        Ok(p) => p,
        Err(report) => return report,
    };
    let site = &prepared.site;
    let year = options.year;
    if !site.plans.contains_key(&year) {
        let d = Diagnostic::error(
            "E-no-plan",
            &options.file,
            Position::file(),
            format!("there is no plan for {year}: results belong to a plan year"),
        )
        .help(format!("start it with `planpress new plan {year}`, or import with the --year of the figures"))
        .zh(
            format!("{year} 年没有年度计划：年度成果必须属于某个计划年度"),
            Some(format!("请先用 `planpress new plan {year}` 建立计划，或用正确的 --year 导入")),
        );
        return failed(vec![d], true);
    }
    let mapping = match options.mapping.as_deref().map(load_mapping).transpose() {
        Ok(m) => m,
        Err(d) => return failed(vec![d], false),
    };
    let sheet_name = options.sheet.as_deref().or(mapping.as_ref().and_then(|m| m.sheet.as_deref()));
    let grids = match sheet::read(&options.file, sheet_name) {
        Ok(g) => g,
        Err(e) => return failed(vec![read_error(&options.file, e)], false),
    };
    let (imported, mut diags) = match import::results(site, year, &options.file, &grids, mapping.as_ref()) {
        Ok(r) => r,
        Err(d) => return failed(vec![d], false),
    };
    diags.extend(import::complete(site, &options.file, &imported));
    let dir = options.out.clone().unwrap_or_else(|| options.root.join(format!("content/results/{year}")));
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut updates: Vec<(PathBuf, String)> = Vec::new();
    let mut diff = String::new();
    for i in &imported {
        let path = dir.join(format!("{}.yaml", i.slug));
        let yaml = result_yaml(site, i);
        match site.results.get(&year).and_then(|rs| rs.iter().find(|r| r.data.slug.value == i.slug)) {
            Some(existing) if options.update => {
                let _ = writeln!(diff, "{}", path.strip_prefix(&options.root).unwrap_or(&path).display());
                diff.push_str(&values_diff(existing, i));
                updates.push((path, yaml));
            }
            Some(_) => diags.push(exists(&options.file, i, &path)),
            None if path.exists() => diags.push(exists(&options.file, i, &path)),
            None => {
                files.push((path, yaml));
                files.extend(super::new::bodies(site, &dir, &i.slug, "", "（成果说明待补充。）\n", "What was achieved (to be written).\n"));
            }
        }
    }
    if diags.iter().any(|d| d.severity == crate::diagnostics::Severity::Error) {
        return failed(diags, false);
    }
    let mut listing = String::new();
    for (path, text) in files.iter().chain(&updates) {
        let _ = writeln!(listing, "--- {}", path.strip_prefix(&options.root).unwrap_or(path).display());
        if path.extension().is_some_and(|e| e == "yaml") {
            listing.push_str(text);
        }
    }
    if !diff.is_empty() {
        listing = format!("{diff}{listing}");
    }
    let (results, n_files) = (imported.len(), files.len() + updates.len());
    if options.dry_run {
        let summary = Message::new(
            format!("{listing}dry run: {results} results, {n_files} files would be written; nothing was written"),
            format!("{listing}试运行：将写入 {results} 项成果、{n_files} 个文件；未写入任何文件"),
        );
        return BuildReport { diagnostics: diags, summary: Some(summary), usage_error: false };
    }
    if let Err(m) = super::new::write_all(&files) {
        return message_failure(&options.file, m);
    }
    for (path, text) in &updates {
        if let Err(e) = std::fs::write(path, text) {
            return message_failure(
                &options.file,
                Message::new(format!("cannot write {}: {e}", path.display()), format!("无法写入 {}（{e}）", path.display())),
            );
        }
    }
    let summary = Message::new(
        format!("{diff}imported {results} results of {year} from {}: {n_files} files written", options.file.display()),
        format!("{diff}已从 {} 导入 {year} 年成果 {results} 项，写入 {n_files} 个文件", options.file.display()),
    );
    BuildReport { diagnostics: diags, summary: Some(summary), usage_error: false }
}

fn message_failure(file: &Path, m: Message) -> BuildReport {
    failed(vec![Diagnostic::error("E-io", file, Position::file(), m.en).zh(m.zh, None)], false)
}

fn exists(file: &Path, i: &Imported, path: &Path) -> Diagnostic {
    let cell = sheet::cell_ref(i.row, 0);
    Diagnostic::error(
        "E-import",
        file,
        Position::new(i.row + 1, 1),
        format!("sheet “{}”, cell {cell}: result `{}` exists already ({})", i.sheet, i.slug, path.display()),
    )
    .help("import never overwrites: add --update to change its figures (the changes are shown first), or give the row another id")
    .zh(
        format!("工作表“{}”单元格 {cell}：成果 `{}` 已存在（{}）", i.sheet, i.slug, path.display()),
        Some("导入不会覆盖已有文件：如需更新其数值，请加 --update（会先列出改动）；否则请换一个成果标识".to_owned()),
    )
}

/// The figures of an existing result against the imported ones, one line each that changes.
fn values_diff(existing: &crate::model::Record<crate::model::ResultFile>, new: &Imported) -> String {
    let old: Vec<(String, String)> =
        existing.data.values.iter().map(|v| (v.metric.value.clone(), crate::render::data::tables::plain_number(&v.value.value))).collect();
    let new: Vec<(String, String)> = new.values.iter().map(|(m, n)| (m.clone(), crate::render::data::tables::plain_number(n))).collect();
    let mut out = String::new();
    for (m, v) in &old {
        match new.iter().find(|(n, _)| n == m) {
            Some((_, nv)) if nv != v => {
                let _ = writeln!(out, "  {m}: {v} -> {nv}");
            }
            None => {
                let _ = writeln!(out, "- {m}: {v}");
            }
            _ => {}
        }
    }
    for (m, v) in new.iter().filter(|(m, _)| !old.iter().any(|(o, _)| o == m)) {
        let _ = writeln!(out, "+ {m}: {v}");
    }
    out
}

/// A quoted YAML scalar (JSON's string syntax is YAML's double-quoted one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The YAML of an imported result, as `new result` lays one out.
pub fn result_yaml(site: &Site, i: &Imported) -> String {
    let mut y = format!("slug: {}\ndate: {}\ntitle:\n", i.slug, i.date);
    for lang in site.language_codes() {
        match i.titles.get(lang) {
            Some(t) => {
                let _ = writeln!(y, "  {lang}: {}", quoted(t));
            }
            None => {
                let _ = writeln!(y, "  # {lang}: \"\"   # to translate: remove the #");
            }
        }
    }
    let list = |ids: &[String]| format!("[{}]", ids.join(", "));
    let _ = writeln!(y, "tasks: {}\npartners: {}", list(&i.tasks), list(&i.partners));
    if i.values.is_empty() {
        y.push_str("values: []\n");
    } else {
        y.push_str("values:\n");
        for (metric, n) in &i.values {
            let _ = writeln!(y, "  - metric: {metric}\n    value: {}", crate::render::data::tables::plain_number(n));
        }
    }
    if i.illustrative {
        y.push_str("illustrative: true\n");
    }
    y
}
