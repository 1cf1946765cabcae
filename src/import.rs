//! Import: year-end figures from the spreadsheets departments send, as results of the model.
//!
//! A sheet is read into a grid of typed cells (`sheet.rs`), its layout found (the columns of
//! `export-template` and of the `results-<year>` downloads, named in a header row, or those a
//! mapping file `import.yaml` names), and every row judged as hand-written YAML is: unknown
//! task, partner or metric (with the closest id), figures as text, full-width digits, `万元`,
//! thousands separators, dates as Excel serials, merged cells, totals rows, units that are not
//! the metric's. Every problem is a diagnostic naming the file, sheet and cell (`B17`), all at
//! once; rows of one result id make one result. Writing the files is `commands::import`'s.

pub mod cells;
pub mod sheet;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{closest, Diagnostic, Position};
use crate::model::{MetricKind, Number, Site};
use cells::CellProblem;
use sheet::{cell_ref, Grid, Raw};

/// One result read from the sheet, ready to be written.
#[derive(Debug, Clone)]
pub struct Imported {
    pub slug: String,
    pub date: String,
    /// Language → title.
    pub titles: BTreeMap<String, String>,
    pub tasks: Vec<String>,
    pub partners: Vec<String>,
    pub values: Vec<(String, Number)>,
    pub illustrative: bool,
    /// The sheet and 0-based row it starts on, for messages.
    pub sheet: String,
    pub row: usize,
}

/// `import.yaml`: where the columns are in a sheet of another layout. Each column is given by
/// its letter (`B`) or by the text of its header cell.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub sheet: Option<String>,
    /// The 1-based row of the headers (default: the first row naming the columns).
    #[serde(default)]
    pub header_row: Option<usize>,
    pub columns: MappedColumns,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedColumns {
    pub result: String,
    pub metric: String,
    pub value: String,
    #[serde(default)]
    pub date: Option<String>,
    /// Language → column.
    #[serde(default)]
    pub title: BTreeMap<String, String>,
    #[serde(default)]
    pub task: Option<String>,
    #[serde(default)]
    pub partner: Option<String>,
    /// The unit, in the site's default language.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub illustrative: Option<String>,
}

/// Where each field is: 0-based columns, and the header row.
#[derive(Debug, Default)]
struct Layout {
    header: usize,
    result: Option<usize>,
    date: Option<usize>,
    titles: Vec<(String, usize)>,
    tasks: Option<usize>,
    partners: Option<usize>,
    metric: Option<usize>,
    value: Option<usize>,
    /// Language → column of the unit.
    units: Vec<(String, usize)>,
    illustrative: Option<usize>,
    year: Option<usize>,
}

/// The columns the template and the downloads name, in any row of the first 30.
fn find_layout(grid: &Grid, langs: &[&str]) -> Option<Layout> {
    (0..grid.rows.len().min(30)).find_map(|r| {
        let mut l = Layout { header: r, ..Layout::default() };
        for (c, cell) in grid.rows[r].iter().enumerate() {
            let name = cell.text().to_ascii_lowercase();
            let lang_of = |prefix: &str| name.strip_prefix(prefix).filter(|l| langs.contains(l)).map(str::to_owned);
            match name.as_str() {
                "result_id" | "result" => l.result = Some(c),
                "date" => l.date = Some(c),
                "task_ids" | "task_id" => l.tasks = Some(c),
                "partner_ids" | "partner_id" => l.partners = Some(c),
                "metric_id" => l.metric = Some(c),
                "value" => l.value = Some(c),
                "illustrative" => l.illustrative = Some(c),
                "year" => l.year = Some(c),
                _ => {
                    if let Some(lang) = lang_of("title_") {
                        l.titles.push((lang, c));
                    } else if let Some(lang) = lang_of("unit_") {
                        l.units.push((lang, c));
                    }
                }
            }
        }
        (l.result.is_some() && l.metric.is_some() && l.value.is_some()).then_some(l)
    })
}

/// The layout a mapping file gives; `Err` names a column it cannot find.
fn mapped_layout(grid: &Grid, mapping: &Mapping, default_lang: &str) -> Result<Layout, String> {
    let m = &mapping.columns;
    let header = match mapping.header_row {
        Some(r) => r.saturating_sub(1),
        // The first row holding the result column's header text, else the first row.
        None => (0..grid.rows.len().min(30)).find(|r| grid.rows[*r].iter().any(|c| c.text() == m.result)).unwrap_or(0),
    };
    let find = |spec: &str| -> Result<usize, String> {
        if let Some(c) = sheet::column_index(spec).filter(|_| spec.len() <= 3) {
            return Ok(c);
        }
        grid.rows.get(header).and_then(|row| row.iter().position(|c| c.text() == spec)).ok_or_else(|| spec.to_owned())
    };
    let opt = |spec: &Option<String>| spec.as_deref().map(find).transpose();
    Ok(Layout {
        header,
        result: Some(find(&m.result)?),
        metric: Some(find(&m.metric)?),
        value: Some(find(&m.value)?),
        date: opt(&m.date)?,
        titles: m.title.iter().map(|(l, spec)| find(spec).map(|c| (l.clone(), c))).collect::<Result<_, _>>()?,
        tasks: opt(&m.task)?,
        partners: opt(&m.partner)?,
        units: opt(&m.unit)?.map(|c| vec![(default_lang.to_owned(), c)]).unwrap_or_default(),
        illustrative: opt(&m.illustrative)?,
        year: None,
    })
}

/// Words that make a row a totals row: planpress sums the figures itself.
fn is_total(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    ["合计", "总计", "小计", "total", "totals", "sum", "grandtotal"]
        .iter()
        .any(|w| t == *w || t.starts_with(&format!("{w}：")) || t.starts_with(&format!("{w}:")))
        || t.starts_with("合计")
        || t.starts_with("总计")
}

/// Reports problems at cells of one sheet.
struct Reporter<'a> {
    file: &'a Path,
    sheet: &'a str,
    diags: Vec<Diagnostic>,
}

impl Reporter<'_> {
    fn at(&mut self, row: usize, col: usize, code: &'static str, en: String, zh: String, help: Option<(String, String)>) {
        let cell = cell_ref(row, col);
        let sheet = self.sheet;
        let zh_help = help.as_ref().map(|(_, z)| z.clone());
        let position = Position::new(row + 1, col + 1);
        // Built with one code and given the problem's own (E-ref, E-date, E-number …).
        let d = Diagnostic::error("E-import", self.file, position, format!("sheet “{sheet}”, cell {cell}: {en}"))
            .zh(format!("工作表“{sheet}”单元格 {cell}：{zh}"), zh_help);
        let d = Diagnostic { code, help: help.map(|(en_help, _)| en_help), ..d };
        self.diags.push(d);
    }

    fn cell(&mut self, row: usize, col: usize, p: CellProblem) {
        self.at(row, col, p.code, p.en, p.zh, Some((p.help_en, p.help_zh)));
    }

    /// An id that names nothing: the closest one as the hint.
    fn unknown(&mut self, row: usize, col: usize, what: (&str, &str), id: &str, known: &[&str]) {
        let help = closest(id, known.iter().copied()).map(|c| (format!("did you mean `{c}`?"), format!("是不是要写 `{c}`？")));
        let help = help.or_else(|| Some((format!("use one of: {}", known.join(", ")), format!("可用的标识：{}", known.join("、")))));
        self.at(row, col, "E-ref", format!("no {} `{id}`", what.0), format!("找不到{} `{id}`", what.1), help);
    }
}

/// The site's ids an import may name.
struct Known<'s> {
    tasks: Vec<&'s str>,
    partners: Vec<&'s str>,
    metrics: Vec<(&'s str, MetricKind, &'s str)>,
}

impl<'s> Known<'s> {
    fn of(site: &'s Site, year: u32) -> Known<'s> {
        let default = site.default_language();
        Known {
            tasks: site.plans.get(&year).map(|p| p.tasks.iter().map(|t| t.data.slug.value.as_str()).collect()).unwrap_or_default(),
            partners: site.partners.iter().map(|p| p.data.id.value.as_str()).collect(),
            metrics: site
                .metrics
                .iter()
                .map(|m| (m.id.value.as_str(), m.kind, m.unit.value.get(default).map_or("", String::as_str)))
                .collect(),
        }
    }
}

/// Reads the results of `year` from the sheets of `grids`: those that have the layout (or the
/// mapping's), every problem reported. `Err` when no sheet has the layout.
pub fn results(
    site: &Site,
    year: u32,
    file: &Path,
    grids: &[Grid],
    mapping: Option<&Mapping>,
) -> Result<(Vec<Imported>, Vec<Diagnostic>), Diagnostic> {
    let langs = site.language_codes();
    let known = Known::of(site, year);
    let mut out: Vec<Imported> = Vec::new();
    let mut diags = Vec::new();
    let mut found = false;
    for grid in grids {
        let layout = match mapping {
            Some(m) => match mapped_layout(grid, m, site.default_language()) {
                Ok(l) => l,
                Err(column) => return Err(no_column(file, &grid.sheet, &column)),
            },
            None => match find_layout(grid, &langs) {
                Some(l) => l,
                None => continue,
            },
        };
        found = true;
        let mut rep = Reporter { file, sheet: &grid.sheet, diags: Vec::new() };
        read_rows(grid, &layout, year, &known, site.default_language(), &mut rep, &mut out);
        diags.extend(rep.diags);
    }
    if !found {
        return Err(no_layout(file));
    }
    Ok((out, diags))
}

fn no_column(file: &Path, sheet: &str, column: &str) -> Diagnostic {
    Diagnostic::error("E-import", file, Position::file(), format!("sheet “{sheet}” has no column `{column}` (named in import.yaml)"))
        .help("name a column by its letter (B) or by the exact text of its header cell")
        .zh(
            format!("工作表“{sheet}”中找不到 import.yaml 指定的列 `{column}`"),
            Some("请用列字母（如 B）或表头单元格的原文指定列".to_owned()),
        )
}

fn no_layout(file: &Path) -> Diagnostic {
    Diagnostic::error("E-import", file, Position::file(), "no sheet has the columns result_id, metric_id and value in a header row")
        .help("fill in the template of `planpress export-template`, or describe the layout in a mapping file (--mapping import.yaml)")
        .zh(
            "没有哪个工作表的表头行含有 result_id、metric_id 和 value 列",
            Some("请使用 `planpress export-template` 生成的模板填报，或用映射文件（--mapping import.yaml）说明表格的列".to_owned()),
        )
}

/// Every data row of one sheet below its header.
fn read_rows(grid: &Grid, l: &Layout, year: u32, known: &Known, default: &str, rep: &mut Reporter, out: &mut Vec<Imported>) {
    let columns: Vec<usize> = [l.result, l.date, l.tasks, l.partners, l.metric, l.value, l.illustrative]
        .into_iter()
        .flatten()
        .chain(l.titles.iter().map(|(_, c)| *c))
        .collect();
    for m in &grid.merged {
        if m.last.0 >= l.header {
            let range = format!("{}:{}", cell_ref(m.first.0, m.first.1), cell_ref(m.last.0, m.last.1));
            rep.at(
                m.first.0,
                m.first.1,
                "E-import",
                format!("cells {range} are merged"),
                format!("单元格 {range} 是合并单元格"),
                Some(("unmerge them and give each row its own value".into(), "请取消合并，每行单元格各填各的值".into())),
            );
        }
    }
    for r in l.header + 1..grid.rows.len() {
        if columns.iter().all(|c| grid.get(r, *c).is_empty()) {
            continue;
        }
        if let Some(c) = (0..grid.rows[r].len()).find(|c| matches!(grid.get(r, *c), Raw::Text(t) if is_total(t))) {
            rep.at(
                r,
                c,
                "E-import",
                format!("row {} is a totals row (`{}`)", r + 1, grid.get(r, c).text()),
                format!("第 {} 行是合计行（`{}`）", r + 1, grid.get(r, c).text()),
                Some(("delete it: planpress adds the figures up itself".into(), "请删除该行：planpress 会自行汇总".into())),
            );
            continue;
        }
        read_row(grid, l, r, year, known, default, rep, out);
    }
}

#[allow(clippy::too_many_arguments)]
fn read_row(grid: &Grid, l: &Layout, r: usize, year: u32, known: &Known, default: &str, rep: &mut Reporter, out: &mut Vec<Imported>) {
    let cell = |c: Option<usize>| c.map_or(&Raw::Empty, |c| grid.get(r, c));
    let (result_col, metric_col, value_col) = (l.result.unwrap_or(0), l.metric.unwrap_or(0), l.value.unwrap_or(0));
    let slug = cell(l.result).text();
    let metric = cell(l.metric).text();
    let value = cell(l.value);
    // A template row nobody filled in: no result, no figure.
    if slug.is_empty() && value.is_empty() {
        return;
    }
    if slug.is_empty() {
        let help = (
            "give the result an id of a-z, 0-9 and -, the same on every row of the result".into(),
            "请填写成果标识（小写字母、数字和连字符），同一成果各行相同".into(),
        );
        rep.at(r, result_col, "E-import", "the result id is missing".into(), "缺少成果标识".into(), Some(help));
    } else if !crate::validate::is_safe_id(&slug) {
        let help = (
            "use lower-case letters a-z, digits and single hyphens, e.g. academician-workstations".into(),
            "只能用小写字母 a-z、数字和单个连字符，例如 academician-workstations".into(),
        );
        rep.at(r, result_col, "E-id", format!("`{slug}` is not a safe id"), format!("`{slug}` 不是安全的标识"), Some(help));
    }
    if let Some(c) = l.year {
        let y = cell(Some(c)).text();
        if !y.is_empty() && y != year.to_string() {
            rep.at(r, c, "E-year", format!("the row is of {y}, not {year}"), format!("该行属于 {y} 年，而不是 {year} 年"), None);
        }
    }
    let date = match l.date.map(|c| (c, grid.get(r, c))) {
        Some((c, raw)) if !raw.is_empty() => match cells::date(raw) {
            Ok(d) if !d.starts_with(&year.to_string()) => {
                let help = (format!("import it with --year {}", &d[..4]), format!("请用 --year {} 导入", &d[..4]));
                rep.at(r, c, "E-date", format!("{d} is not in {year}"), format!("{d} 不在 {year} 年内"), Some(help));
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                rep.cell(r, c, p);
                None
            }
        },
        _ => None,
    };
    let mut ids = |col: Option<usize>, list: &[&str], what: (&str, &str)| -> Vec<String> {
        let Some(c) = col else { return Vec::new() };
        let found = cells::ids(grid.get(r, c));
        for id in &found {
            if !list.contains(&id.as_str()) {
                rep.unknown(r, c, what, id, list);
            }
        }
        found
    };
    let tasks = ids(l.tasks, &known.tasks, ("task", "任务"));
    let partners = ids(l.partners, &known.partners, ("partner", "合作方"));
    let mut values = Vec::new();
    if metric.is_empty() && !value.is_empty() {
        rep.at(r, metric_col, "E-import", "a figure without its metric".into(), "有数值但缺少指标标识".into(), None);
    } else if !metric.is_empty() {
        match known.metrics.iter().find(|(id, _, _)| *id == metric) {
            None => {
                let ids: Vec<&str> = known.metrics.iter().map(|(id, _, _)| *id).collect();
                rep.unknown(r, metric_col, ("metric", "指标"), &metric, &ids);
            }
            Some((_, kind, unit)) => {
                check_unit(grid, l, r, default, unit, value, rep);
                if value.is_empty() {
                    rep.at(r, value_col, "E-import", format!("no figure for `{metric}`"), format!("指标 `{metric}` 缺少数值"), None);
                } else {
                    match cells::figure(value, grid.typed, *kind == MetricKind::Money) {
                        Ok(n) => values.push((metric.clone(), n)),
                        Err(p) => rep.cell(r, value_col, p),
                    }
                }
            }
        }
    }
    let titles: BTreeMap<String, String> =
        l.titles.iter().map(|(lang, c)| (lang.clone(), grid.get(r, *c).text())).filter(|(_, t)| !t.is_empty()).collect();
    let illustrative = l.illustrative.is_some_and(|c| matches!(grid.get(r, c).text().to_lowercase().as_str(), "true" | "1" | "是" | "yes"));
    merge(
        out,
        Imported { slug, date: date.unwrap_or_default(), titles, tasks, partners, values, illustrative, sheet: grid.sheet.clone(), row: r },
        rep,
    );
}

/// A unit column that names another unit than the metric's (`万元` for yuan).
fn check_unit(grid: &Grid, l: &Layout, r: usize, default: &str, unit: &str, value: &Raw, rep: &mut Reporter) {
    let Some((_, c)) = l.units.iter().find(|(lang, _)| lang == default) else { return };
    let written = grid.get(r, *c).text();
    if written.is_empty() || written == unit {
        return;
    }
    let help = match (written.as_str(), value) {
        ("万元", Raw::Number(n)) => Some((
            format!("figures of money are in yuan: write {} and {unit}", sheet::number_text(n * 10_000.0)),
            format!("金额一律以元为单位：请填写 {} 并把单位改为{unit}", sheet::number_text(n * 10_000.0)),
        )),
        _ => Some((format!("give the figure in {unit}"), format!("请按“{unit}”填写数值"))),
    };
    rep.at(
        r,
        *c,
        "E-import",
        format!("unit `{written}` is not the metric's `{unit}`"),
        format!("单位“{written}”与指标的单位“{unit}”不符"),
        help,
    );
}

/// Adds a row to its result (rows of one id make one result), reporting a date or title that
/// disagrees with the result's first row.
fn merge(out: &mut Vec<Imported>, row: Imported, rep: &mut Reporter) {
    if row.slug.is_empty() {
        return;
    }
    let Some(first) = out.iter_mut().find(|i| i.slug == row.slug) else {
        out.push(row);
        return;
    };
    if !row.date.is_empty() && !first.date.is_empty() && row.date != first.date {
        let (slug, d1, d2) = (&row.slug, &first.date, &row.date);
        rep.at(
            row.row,
            0,
            "E-import",
            format!("result `{slug}` is dated {d1} on an earlier row and {d2} here"),
            format!("成果 `{slug}` 在前面的行中日期为 {d1}，此处为 {d2}"),
            None,
        );
    }
    if first.date.is_empty() {
        first.date = row.date;
    }
    for (lang, t) in row.titles {
        first.titles.entry(lang).or_insert(t);
    }
    for t in row.tasks {
        if !first.tasks.contains(&t) {
            first.tasks.push(t);
        }
    }
    for p in row.partners {
        if !first.partners.contains(&p) {
            first.partners.push(p);
        }
    }
    first.values.extend(row.values);
    first.illustrative |= row.illustrative;
}

/// What each imported result still lacks (a date, a title in the default language), reported at
/// the row it starts on.
pub fn complete(site: &Site, file: &Path, imported: &[Imported]) -> Vec<Diagnostic> {
    let default = site.default_language();
    let mut rep_diags = Vec::new();
    for i in imported {
        let mut rep = Reporter { file, sheet: &i.sheet, diags: Vec::new() };
        if i.date.is_empty() {
            rep.at(i.row, 0, "E-date", format!("result `{}` has no date", i.slug), format!("成果 `{}` 缺少日期", i.slug), None);
        }
        if !i.titles.contains_key(default) {
            let col = format!("title_{default}");
            rep.at(i.row, 0, "E-import", format!("result `{}` has no {col}", i.slug), format!("成果 `{}` 缺少标题（{col}）", i.slug), None);
        }
        rep_diags.extend(rep.diags);
    }
    rep_diags
}
