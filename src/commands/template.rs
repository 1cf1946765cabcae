//! `planpress export-template --year Y`: the workbook divisions fill in with the year's
//! figures (`render::data::template`), written as `results-template-<year>.xlsx` into `--out`
//! (a folder, default the site folder; or the `.xlsx` path itself).

use std::path::{Path, PathBuf};

use super::build::{prepare, BuildReport};
use crate::diagnostics::{Diagnostic, Diagnostics, Message, Position};

pub struct TemplateOptions {
    pub root: PathBuf,
    /// A folder to write `results-template-<year>.xlsx` into, or the `.xlsx` file itself.
    pub out: PathBuf,
    pub year: u32,
}

/// The file a template of `year` is written to, for `out`.
pub fn template_path(out: &Path, year: u32) -> PathBuf {
    if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        out.to_path_buf()
    } else {
        out.join(format!("results-template-{year}.xlsx"))
    }
}

fn failure(path: &Path, en: String, zh: String, usage: bool) -> BuildReport {
    let mut diags = Diagnostics::default();
    let d = Diagnostic::error("E-io", path, Position::file(), en).zh(zh, None);
    diags.push(Diagnostic { code: if usage { "E-no-plan" } else { "E-io" }, ..d });
    BuildReport { usage_error: usage, ..BuildReport::failed(diags) }
}

pub fn export_template(options: &TemplateOptions) -> BuildReport {
    let prepared = match prepare(&options.root, None, false) {
        Ok(p) => p,
        Err(report) => return report,
    };
    let (site, year) = (&prepared.site, options.year);
    let path = template_path(&options.out, year);
    if !site.plans.contains_key(&year) {
        return failure(
            &path,
            format!("there is no plan for {year}: the template lists its targets"),
            format!("{year} 年没有年度计划：模板按计划目标逐项列出"),
            true,
        );
    }
    let bytes = match crate::render::data::template::workbook(site, year) {
        Ok(b) => b,
        Err(e) => return failure(&path, format!("cannot make the workbook: {e}"), format!("无法生成工作簿（{e}）"), false),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(parent) {
            return failure(
                &path,
                format!("cannot create {}: {e}", parent.display()),
                format!("无法创建 {}（{e}）", parent.display()),
                false,
            );
        }
    }
    if let Err(e) = std::fs::write(&path, bytes) {
        return failure(&path, format!("cannot write {}: {e}", path.display()), format!("无法写入 {}（{e}）", path.display()), false);
    }
    let rows = crate::render::data::template::table(site, year).rows.len();
    let summary = Message::new(
        format!(
            "wrote {} ({rows} expected figures of {year}); fill it in and run `planpress import {} --year {year}`",
            path.display(),
            path.display()
        ),
        format!(
            "已写入 {}（{year} 年应填报的数值 {rows} 项）；填好后运行 `planpress import {} --year {year}`",
            path.display(),
            path.display()
        ),
    );
    BuildReport { diagnostics: prepared.diags.sorted(), summary: Some(summary), usage_error: false }
}
