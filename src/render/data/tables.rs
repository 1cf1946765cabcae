//! The tables of the open-data downloads, made from the model: one row per metric, partner,
//! plan target, result value or period target. A table knows its columns (name, type, meaning in
//! both languages: the column dictionary published beside each CSV), so the CSV, the workbook
//! and the dictionary cannot disagree. Text columns of a localised field come once per site
//! language (`name_zh`, `name_en`); a missing translation is an empty cell, never a fallback.

use crate::model::{Number, Site, Text};

/// A cell: numbers keep the text they were written with, so no figure changes on its way out.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(Number),
    Integer(u64),
    Bool(bool),
    Empty,
}

impl Cell {
    /// The cell as CSV text: numbers unformatted, as written in the YAML. A text that a
    /// spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or a tab or carriage return
    /// first) is written after a `'`, so opening the download in Excel runs nothing from content.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => plain_number(n),
            Cell::Integer(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A number as a plain decimal, without YAML's `_` separators (`1_000` → `1000`); `12e3` stays.
pub fn plain_number(n: &Number) -> String {
    n.raw.replace('_', "").trim_start_matches('+').to_owned()
}

/// What a column holds (the dictionary's `type`, and how the workbook writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    Url,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
            ColumnType::Url => "url",
        }
    }
}

/// One column: its machine name (the CSV header), type and meaning in Chinese and English.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: ColumnType,
    pub zh: String,
    pub en: String,
}

/// A table of one download.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Each row's unit in the default language, for the workbook's number format (`8 项`);
    /// empty when the table has no unit per row.
    pub units: Vec<String>,
}

impl Table {
    fn new(columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Table {
        Table { columns, rows, units: Vec::new() }
    }
}

/// The unit of metric `id` in the default language.
fn unit_of(site: &Site, id: &str) -> String {
    metric(site, id).and_then(|m| m.unit.value.get(site.default_language())).cloned().unwrap_or_default()
}

/// Builds a table's columns and rows side by side, so a row cannot have a column too few.
struct Builder<'a> {
    langs: Vec<&'a str>,
    columns: Vec<Column>,
}

impl<'a> Builder<'a> {
    fn new(site: &'a Site) -> Self {
        Builder { langs: site.language_codes(), columns: Vec::new() }
    }

    fn col(mut self, name: &str, kind: ColumnType, zh: &str, en: &str) -> Self {
        self.columns.push(Column { name: name.to_owned(), kind, zh: zh.to_owned(), en: en.to_owned() });
        self
    }

    /// A localised text column, once per site language: `name_zh`, `name_en`.
    fn text_col(mut self, name: &str, zh: &str, en: &str) -> Self {
        for lang in self.langs.clone() {
            self.columns.push(Column {
                name: format!("{name}_{lang}"),
                kind: ColumnType::Text,
                zh: format!("{zh}（{lang}）"),
                en: format!("{en} ({lang})"),
            });
        }
        self
    }
}

/// The cells of a localised text, one per site language (empty where it has no translation).
fn texts(langs: &[&str], text: Option<&Text>) -> impl Iterator<Item = Cell> {
    let cells: Vec<Cell> =
        langs.iter().map(|l| text.and_then(|t| t.value.get(*l)).map_or(Cell::Empty, |s| Cell::Text(s.clone()))).collect();
    cells.into_iter()
}

/// The cells of one figure: its metric's id and name, the value, the unit.
fn figure_cells(row: &mut Vec<Cell>, langs: &[&str], m: Option<&crate::model::Metric>, id: &str, value: &Number) {
    row.push(Cell::Text(id.to_owned()));
    row.extend(texts(langs, m.map(|m| &m.name)));
    row.push(Cell::Number(value.clone()));
    row.extend(texts(langs, m.map(|m| &m.unit)));
}

fn metric<'s>(site: &'s Site, id: &str) -> Option<&'s crate::model::Metric> {
    site.metrics.iter().find(|m| m.id.value == id)
}

/// `metrics.csv`: every indicator, its kind and unit.
pub fn metrics(site: &Site) -> Table {
    let b = Builder::new(site)
        .col("metric_id", ColumnType::Text, "指标标识", "metric id")
        .col("kind", ColumnType::Text, "类型：count 计数、money 金额（元）、percent 百分比", "kind: count, money (yuan) or percent")
        .text_col("name", "指标名称", "metric name")
        .text_col("unit", "计量单位", "unit");
    let rows = site
        .metrics
        .iter()
        .map(|m| {
            let mut row = vec![Cell::Text(m.id.value.clone()), Cell::Text(m.kind.as_str().to_owned())];
            row.extend(texts(&b.langs, Some(&m.name)));
            row.extend(texts(&b.langs, Some(&m.unit)));
            row
        })
        .collect();
    Table::new(b.columns, rows)
}

/// `partners.csv`: the partners, their role and the public sources of their pairings.
pub fn partners(site: &Site) -> Table {
    let b = Builder::new(site)
        .col("partner_id", ColumnType::Text, "伙伴标识", "partner id")
        .col("role", ColumnType::Text, "角色：supporter 援疆省市、coordinator 协调方", "role: supporter or coordinator")
        .col("order", ColumnType::Integer, "排序", "order")
        .text_col("name", "名称", "name")
        .text_col("recipients", "受援地（以；分隔）", "recipients (separated by ；)")
        .col("sources", ColumnType::Url, "结对关系的公开来源（以空格分隔）", "public sources of the pairings (space-separated)");
    let rows = site
        .partners
        .iter()
        .map(|p| {
            let d = &p.data;
            let mut row = vec![Cell::Text(d.id.value.clone()), Cell::Text(d.role.as_str().to_owned()), Cell::Integer(d.order.into())];
            row.extend(texts(&b.langs, Some(&d.name)));
            for lang in &b.langs {
                let names: Vec<&str> = d.recipients.iter().filter_map(|r| r.name.value.get(*lang)).map(String::as_str).collect();
                row.push(if names.is_empty() { Cell::Empty } else { Cell::Text(names.join("；")) });
            }
            let sources: Vec<&str> = d.sources.iter().map(|s| s.value.as_str()).collect();
            row.push(if sources.is_empty() { Cell::Empty } else { Cell::Text(sources.join(" ")) });
            row
        })
        .collect();
    Table::new(b.columns, rows)
}

/// `targets-<year>.csv`: each target of each task of the year's plan, with the plan's source.
pub fn targets(site: &Site, year: u32) -> Table {
    let b = Builder::new(site)
        .col("year", ColumnType::Integer, "计划年度", "plan year")
        .col("task_number", ColumnType::Integer, "重点任务序号", "key task number")
        .col("task_id", ColumnType::Text, "重点任务标识", "key task id")
        .text_col("task_title", "重点任务", "key task")
        .col("metric_id", ColumnType::Text, "指标标识", "metric id")
        .text_col("metric_name", "指标名称", "metric name")
        .col("value", ColumnType::Number, "目标值（按本行单位；金额以元计）", "target value (in the row's unit; money in yuan)")
        .text_col("unit", "计量单位", "unit")
        .text_col("note", "说明", "note")
        .col("source_url", ColumnType::Url, "出处：计划原文", "source: the plan document");
    let (mut rows, mut units) = (Vec::new(), Vec::new());
    if let Some(plan) = site.plans.get(&year) {
        let source = plan.record.data.source.as_ref().map_or(Cell::Empty, |s| Cell::Text(s.url.value.clone()));
        for task in &plan.tasks {
            let t = &task.data;
            for target in &t.targets {
                let m = metric(site, &target.metric.value);
                let mut row = vec![Cell::Integer(year.into()), Cell::Integer(t.number.value.into()), Cell::Text(t.slug.value.clone())];
                row.extend(texts(&b.langs, Some(&t.title)));
                figure_cells(&mut row, &b.langs, m, &target.metric.value, &target.value.value);
                row.extend(texts(&b.langs, target.note.as_ref()));
                row.push(source.clone());
                rows.push(row);
                units.push(unit_of(site, &target.metric.value));
            }
        }
    }
    Table { columns: b.columns, rows, units }
}

/// `results-<year>.csv`: one row per result and metric value (a result without values has one
/// row with an empty metric), each marked illustrative or not.
pub fn results(site: &Site, year: u32) -> Table {
    let b = Builder::new(site)
        .col("year", ColumnType::Integer, "年度", "year")
        .col("result_id", ColumnType::Text, "成果标识", "result id")
        .col("date", ColumnType::Date, "日期", "date")
        .text_col("title", "成果", "result")
        .col("task_ids", ColumnType::Text, "相关重点任务标识（以空格分隔）", "key task ids (space-separated)")
        .col("partner_ids", ColumnType::Text, "相关伙伴标识（以空格分隔）", "partner ids (space-separated)")
        .col("metric_id", ColumnType::Text, "指标标识", "metric id")
        .text_col("metric_name", "指标名称", "metric name")
        .col("value", ColumnType::Number, "数值（按本行单位；金额以元计）", "value (in the row's unit; money in yuan)")
        .text_col("unit", "计量单位", "unit")
        .col(
            "illustrative",
            ColumnType::Boolean,
            "true 表示示例数据，并非实际统计",
            "true: an illustrative figure, not an official statistic",
        );
    let (mut rows, mut units) = (Vec::new(), Vec::new());
    for r in site.results.get(&year).into_iter().flatten() {
        let d = &r.data;
        let ids = |ids: &[crate::model::Id]| ids.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join(" ");
        let head = |row: &mut Vec<Cell>| {
            row.extend([Cell::Integer(year.into()), Cell::Text(d.slug.value.clone()), Cell::Text(d.date.value.clone())]);
            row.extend(texts(&b.langs, Some(&d.title)));
            row.extend([Cell::Text(ids(&d.tasks)), Cell::Text(ids(&d.partners))]);
        };
        if d.values.is_empty() {
            let mut row = Vec::new();
            head(&mut row);
            row.push(Cell::Empty);
            row.extend(b.langs.iter().map(|_| Cell::Empty));
            row.push(Cell::Empty);
            row.extend(b.langs.iter().map(|_| Cell::Empty));
            row.push(Cell::Bool(d.illustrative));
            rows.push(row);
            units.push(String::new());
        }
        for v in &d.values {
            let m = metric(site, &v.metric.value);
            let mut row = Vec::new();
            head(&mut row);
            figure_cells(&mut row, &b.langs, m, &v.metric.value, &v.value.value);
            row.push(Cell::Bool(d.illustrative));
            rows.push(row);
            units.push(unit_of(site, &v.metric.value));
        }
    }
    Table { columns: b.columns, rows, units }
}

/// `period-<id>.csv`: a plan period's targets, each with its source or marked illustrative,
/// and its milestones as rows of their own (`year` set).
pub fn period(site: &Site, index: usize) -> Table {
    let b = Builder::new(site)
        .col("period_id", ColumnType::Text, "规划期标识", "period id")
        .col("first_year", ColumnType::Integer, "起始年", "first year")
        .col("last_year", ColumnType::Integer, "终止年", "last year")
        .col("metric_id", ColumnType::Text, "指标标识", "metric id")
        .text_col("metric_name", "指标名称", "metric name")
        .col("year", ColumnType::Integer, "里程碑年份（空：整个规划期的目标）", "milestone year (empty: the target for the whole period)")
        .col("value", ColumnType::Number, "目标值（按本行单位；金额以元计）", "target value (in the row's unit; money in yuan)")
        .text_col("unit", "计量单位", "unit")
        .col(
            "measure",
            ColumnType::Text,
            "计算方式：total 逐年累计、level 末年水平",
            "measure: total (summed over the years) or level (the last year's)",
        )
        .text_col("note", "说明", "note")
        .col("source_url", ColumnType::Url, "出处", "source")
        .col(
            "illustrative",
            ColumnType::Boolean,
            "true 表示示例数据，并无公开出处",
            "true: an illustrative figure without a public source",
        );
    let p = &site.periods[index].data;
    let mut rows = Vec::new();
    for target in &p.targets {
        let m = metric(site, &target.metric.value);
        let measure = match m.map(|m| target.measure_for(m.kind)) {
            Some(crate::model::Measure::Total) => Cell::Text("total".to_owned()),
            Some(crate::model::Measure::Level) => Cell::Text("level".to_owned()),
            None => Cell::Empty,
        };
        let source = target.source.as_ref().map_or(Cell::Empty, |s| Cell::Text(s.url.value.clone()));
        let whole = std::iter::once((None, &target.value.value));
        for (year, value) in whole.chain(target.milestones.iter().map(|ms| (Some(ms.year.value), &ms.value.value))) {
            let mut row = vec![
                Cell::Text(p.id.value.clone()),
                Cell::Integer(p.first_year.value.into()),
                Cell::Integer(p.last_year.value.into()),
                Cell::Text(target.metric.value.clone()),
            ];
            row.extend(texts(&b.langs, m.map(|m| &m.name)));
            row.push(year.map_or(Cell::Empty, |y| Cell::Integer(y.into())));
            row.push(Cell::Number(value.clone()));
            row.extend(texts(&b.langs, m.map(|m| &m.unit)));
            row.push(measure.clone());
            row.extend(texts(&b.langs, target.note.as_ref()));
            row.push(source.clone());
            row.push(Cell::Bool(target.illustrative));
            rows.push(row);
        }
    }
    Table::new(b.columns, rows)
}

#[cfg(test)]
mod formula_tests {
    use super::Cell;

    #[test]
    fn text_a_spreadsheet_would_run_is_quoted_and_numbers_are_not() {
        assert_eq!(Cell::Text("=HYPERLINK(\"http://x\")".into()).csv(), "'=HYPERLINK(\"http://x\")");
        assert_eq!(Cell::Text("-1+1".into()).csv(), "'-1+1");
        assert_eq!(Cell::Text("@SUM(A1)".into()).csv(), "'@SUM(A1)");
        assert_eq!(Cell::Text("示例：成果".into()).csv(), "示例：成果");
        assert_eq!(Cell::Integer(5).csv(), "5");
    }
}
