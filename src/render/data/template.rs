//! The workbook `planpress export-template` writes for divisions to fill in: one row per figure
//! the year's plan expects (its targets), in the columns of `results-<year>.csv`, so a filled-in
//! template and a results download import alike. Header rows are locked (the sheet is
//! protected, the cells to fill are not); task, partner and metric cells offer drop-down lists
//! of the ids with their Chinese names (sheet 代码); instructions in Chinese and English.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Worksheet, XlsxError};

use super::formats;
use super::tables::{self, Cell, Table};
use crate::model::Site;

/// Blank rows below the expected figures, for results nobody planned.
const SPARE_ROWS: u32 = 100;

/// The template's data table: the results columns, a row per target of `year`'s plan.
pub fn table(site: &Site, year: u32) -> Table {
    let columns = tables::results(site, year).columns;
    let (mut rows, mut units) = (Vec::new(), Vec::new());
    for task in site.plans.get(&year).into_iter().flat_map(|p| &p.tasks) {
        for target in &task.data.targets {
            let metric = site.metrics.iter().find(|m| m.id.value == target.metric.value);
            let mut row = Vec::new();
            for column in &columns {
                let text = |t: Option<&crate::model::Text>, prefix: &str| {
                    let lang = column.name.strip_prefix(prefix)?;
                    t?.value.get(lang).map(|s| Cell::Text(s.clone()))
                };
                let cell = match column.name.as_str() {
                    "year" => Some(Cell::Integer(year.into())),
                    "task_ids" => Some(Cell::Text(task.data.slug.value.clone())),
                    "metric_id" => Some(Cell::Text(target.metric.value.clone())),
                    name if name.starts_with("metric_name_") => text(metric.map(|m| &m.name), "metric_name_"),
                    name if name.starts_with("unit_") => text(metric.map(|m| &m.unit), "unit_"),
                    _ => None,
                };
                row.push(cell.unwrap_or(Cell::Empty));
            }
            rows.push(row);
            units.push(metric.and_then(|m| m.unit.value.get(site.default_language())).cloned().unwrap_or_default());
        }
    }
    Table { columns, rows, units }
}

/// The columns a division fills in (unlocked); the others are shown for reference.
fn is_input(name: &str) -> bool {
    matches!(name, "result_id" | "date" | "task_ids" | "partner_ids" | "metric_id" | "value" | "illustrative") || name.starts_with("title_")
}

/// The template workbook of `year`.
pub fn workbook(site: &Site, year: u32) -> Result<Vec<u8>, XlsxError> {
    let table = table(site, year);
    let mut book = formats::workbook(&format!("results-template-{year}"))?;
    let data = book.add_worksheet();
    data.set_name("填报")?;
    formats::write_table(data, &table)?;
    unlock_inputs(data, &table)?;
    let lists = lists(site, year);
    add_drop_downs(data, &table, &lists)?;
    data.protect();
    let sheet = book.add_worksheet();
    sheet.set_name("说明")?;
    instructions(sheet, site, year)?;
    let sheet = book.add_worksheet();
    sheet.set_name("代码")?;
    write_lists(sheet, &lists)?;
    sheet.protect();
    book.save_to_buffer()
}

fn unlock_inputs(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let open = Format::new().set_unlocked();
    let date = Format::new().set_unlocked().set_num_format("yyyy-mm-dd");
    let last = table.rows.len() as u32 + 2 + SPARE_ROWS;
    for (c, column) in table.columns.iter().enumerate().filter(|(_, c)| is_input(&c.name)) {
        let c = c as u16;
        for r in 2..last {
            let filled =
                table.rows.get(r as usize - 2).and_then(|row| row.get(c as usize)).is_some_and(|cell| !matches!(cell, Cell::Empty));
            let unit = table.units.get(r as usize - 2).filter(|u| !u.is_empty());
            match (column.name.as_str(), filled) {
                (_, true) => {
                    let text = match &table.rows[r as usize - 2][c as usize] {
                        Cell::Text(t) => t.clone(),
                        other => other.csv(),
                    };
                    sheet.write_string_with_format(r, c, &text, &open)?;
                }
                ("date", false) => {
                    sheet.write_blank(r, c, &date)?;
                }
                ("value", false) => {
                    let format = match unit {
                        Some(u) => open.clone().set_num_format(format!("General\" {}\"", u.replace('"', ""))),
                        None => open.clone(),
                    };
                    sheet.write_blank(r, c, &format)?;
                }
                (_, false) => {
                    sheet.write_blank(r, c, &open)?;
                }
            }
        }
    }
    Ok(())
}

/// The drop-down lists: (column name, the list's header, entries `id 中文名`).
struct Lists {
    columns: Vec<(&'static str, &'static str, Vec<String>)>,
}

fn lists(site: &Site, year: u32) -> Lists {
    let zh = |t: &crate::model::Text| t.value.get("zh").or_else(|| t.value.get(site.default_language())).cloned().unwrap_or_default();
    let tasks =
        site.plans.get(&year).into_iter().flat_map(|p| &p.tasks).map(|t| format!("{} {}", t.data.slug.value, zh(&t.data.title))).collect();
    let partners = site.partners.iter().map(|p| format!("{} {}", p.data.id.value, zh(&p.data.name))).collect();
    let metrics = site.metrics.iter().map(|m| format!("{} {}（{}）", m.id.value, zh(&m.name), zh(&m.unit))).collect();
    Lists {
        columns: vec![
            ("task_ids", "重点任务 task", tasks),
            ("partner_ids", "合作方 partner", partners),
            ("metric_id", "指标 metric", metrics),
        ],
    }
}

fn write_lists(sheet: &mut Worksheet, lists: &Lists) -> Result<(), XlsxError> {
    let head = Format::new().set_bold();
    for (c, (_, header, entries)) in lists.columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *header, &head)?;
        sheet.set_column_width(c, 48)?;
        for (r, entry) in entries.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c, entry)?;
        }
    }
    Ok(())
}

fn add_drop_downs(sheet: &mut Worksheet, table: &Table, lists: &Lists) -> Result<(), XlsxError> {
    let last = table.rows.len() as u32 + 1 + SPARE_ROWS;
    for (i, (name, _, entries)) in lists.columns.iter().enumerate() {
        let Some(c) = table.columns.iter().position(|col| col.name == *name) else { continue };
        if entries.is_empty() {
            continue;
        }
        let letter = (b'A' + i as u8) as char;
        let range = format!("='代码'!${letter}$2:${letter}${}", entries.len() + 1);
        // Tasks and partners may be several ids in one cell: a warning, not a refusal.
        let style = if *name == "metric_id" { DataValidationErrorStyle::Stop } else { DataValidationErrorStyle::Information };
        let validation = DataValidation::new().allow_list_formula(Formula::new(range)).set_error_style(style);
        sheet.add_data_validation(2, c as u16, last, c as u16, &validation)?;
    }
    Ok(())
}

fn instructions(sheet: &mut Worksheet, site: &Site, year: u32) -> Result<(), XlsxError> {
    let wrap = Format::new().set_text_wrap();
    let default = site.default_language();
    let lines = [
        format!("{year} 年年终成果填报模板 / Year-end results template {year}"),
        String::new(),
        "1. 在“填报”工作表中，每行填写一项成果的一个指标数值。已列出本年度计划的全部目标，各行已填好重点任务和指标。".to_owned(),
        "   On the sheet 填报 (data), each row is one figure of one result. The rows list the targets of the year's plan, with their key task and metric filled in.".to_owned(),
        "2. result_id：成果标识，只用小写字母、数字和连字符，同一成果的各行相同；date：日期（YYYY-MM-DD）；title_*：成果标题。".to_owned(),
        "   result_id: the result's id (a-z, 0-9, -), the same on every row of one result; date: YYYY-MM-DD; title_*: its title in each language.".to_owned(),
        "3. value：只填数字，不带单位和千位分隔符；金额一律以元为单位（不是万元）；百分比填 1.8 表示 1.8%。".to_owned(),
        "   value: the figure alone, no unit, no thousands separators; money in yuan (not 万元); a percentage of 1.8% is 1.8.".to_owned(),
        "4. 重点任务、合作方和指标可从下拉列表选择（见“代码”工作表）；多个标识之间用空格分隔。不要合并单元格，不要添加合计行。".to_owned(),
        "   Pick key tasks, partners and metrics from the drop-down lists (sheet 代码); separate several ids with spaces. Do not merge cells or add totals rows.".to_owned(),
        "5. illustrative：填 true 表示示例数据（并非实际统计）。没有成果的行留空即可。".to_owned(),
        "   illustrative: true marks illustrative figures (not official statistics). Leave rows without a result empty.".to_owned(),
        format!("6. 导入 / Import: planpress import results-template-{year}.xlsx --year {year} --dry-run"),
        String::new(),
        format!("默认语言 / default language: {default}"),
    ];
    sheet.set_column_width(0, 120)?;
    for (r, line) in lines.iter().enumerate() {
        sheet.write_string_with_format(r as u32, 0, line, &wrap)?;
    }
    Ok(())
}
