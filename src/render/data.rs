//! The open-data downloads under `/data/`: a third renderer over the one model, beside the
//! website and the booklets (see `outputs.rs`). Per plan year the plan as JSON, its targets as
//! CSV, its results as CSV and as a workbook; for the site the partners, the metrics, every
//! period's targets and everything in one JSON file; beside them a JSON Schema for each JSON
//! file, a column dictionary for each kind of CSV and a catalogue (schema.org `DataCatalog`).
//!
//! The files are made once per render ([`files`]), because the data page lists each one with
//! its size and row count. They depend on the content only (no clock, no thread order), so a
//! rebuild gives byte-identical files. Published figures keep their marks: results and period
//! targets say `illustrative`, plans and period targets carry their source.

pub mod formats;
pub mod json;
pub mod tables;
pub mod template;

use serde::Serialize;
use serde_json::{json, Value};

use crate::model::Site;
use crate::routes::Route;
use tables::Table;

/// One kind of download, and for which year or period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dataset {
    Plan(u32),
    Targets(u32),
    Results(u32),
    ResultsBook(u32),
    Period(usize),
    Partners,
    Metrics,
    All,
}

/// A file format of the downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Json,
    Xlsx,
}

impl FileFormat {
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Json => "JSON",
            FileFormat::Xlsx => "XLSX",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv",
            FileFormat::Json => "application/json",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

impl Dataset {
    /// Its file name under `data/`.
    pub fn file_name(self, site: &Site) -> String {
        match self {
            Dataset::Plan(y) => format!("plan-{y}.json"),
            Dataset::Targets(y) => format!("targets-{y}.csv"),
            Dataset::Results(y) => format!("results-{y}.csv"),
            Dataset::ResultsBook(y) => format!("results-{y}.xlsx"),
            Dataset::Period(i) => format!("period-{}.csv", site.periods[i].data.id.value),
            Dataset::Partners => "partners.csv".to_owned(),
            Dataset::Metrics => "metrics.csv".to_owned(),
            Dataset::All => "all.json".to_owned(),
        }
    }

    pub fn format(self) -> FileFormat {
        match self {
            Dataset::Plan(_) | Dataset::All => FileFormat::Json,
            Dataset::ResultsBook(_) => FileFormat::Xlsx,
            _ => FileFormat::Csv,
        }
    }

    /// The interface string (`data_<key>`) that names it, `{year}` and `{title}` filled in.
    pub fn title_key(self) -> &'static str {
        match self {
            Dataset::Plan(_) => "data_plan",
            Dataset::Targets(_) => "data_targets",
            Dataset::Results(_) => "data_results",
            Dataset::ResultsBook(_) => "data_results_book",
            Dataset::Period(_) => "data_period",
            Dataset::Partners => "data_partners",
            Dataset::Metrics => "data_metrics",
            Dataset::All => "data_all",
        }
    }

    /// The file that describes it: the JSON Schema or the CSV's column dictionary.
    pub fn described_by(self) -> Option<&'static str> {
        match self {
            Dataset::Plan(_) => Some("plan.schema.json"),
            Dataset::All => Some("all.schema.json"),
            Dataset::Targets(_) => Some("targets.columns.csv"),
            Dataset::Results(_) => Some("results.columns.csv"),
            Dataset::Period(_) => Some("period.columns.csv"),
            Dataset::Partners => Some("partners.columns.csv"),
            Dataset::Metrics => Some("metrics.columns.csv"),
            Dataset::ResultsBook(_) => Some("results.columns.csv"),
        }
    }

    pub fn year(self) -> Option<u32> {
        match self {
            Dataset::Plan(y) | Dataset::Targets(y) | Dataset::Results(y) | Dataset::ResultsBook(y) => Some(y),
            _ => None,
        }
    }
}

/// Every dataset of the site, in the order of the data page: per plan year (newest first), then
/// the periods and the site-wide files.
pub fn datasets(site: &Site) -> Vec<Dataset> {
    let mut out = Vec::new();
    for year in site.plans.keys().rev() {
        out.extend([Dataset::Plan(*year), Dataset::Targets(*year)]);
        if site.results.get(year).is_some_and(|r| !r.is_empty()) {
            out.extend([Dataset::Results(*year), Dataset::ResultsBook(*year)]);
        }
    }
    out.extend((0..site.periods.len()).map(Dataset::Period));
    out.extend([Dataset::Partners, Dataset::Metrics, Dataset::All]);
    out
}

/// A written download with what the data page says of it.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub dataset: Option<Dataset>,
    pub name: String,
    pub bytes: Vec<u8>,
    /// Data rows (CSV and workbook), or records (JSON: tasks of a plan, results of `all.json`).
    pub rows: Option<usize>,
    /// The newest date of what it holds (YYYY-MM-DD), empty if none.
    pub modified: String,
}

impl DataFile {
    pub fn route(&self) -> Route {
        Route::data_file(&self.name)
    }
}

/// The newest of some dates (`YYYY-MM-DD` compares as text).
fn newest<'a>(dates: impl IntoIterator<Item = &'a str>) -> String {
    dates.into_iter().filter(|d| !d.is_empty()).max().unwrap_or_default().to_owned()
}

fn year_dates(site: &Site, year: u32) -> String {
    let plan = site.plans.get(&year).map(|p| p.record.data.date.value.as_str());
    let results = site.results.get(&year).into_iter().flatten().map(|r| r.data.date.value.as_str());
    newest(plan.into_iter().chain(results))
}

fn site_dates(site: &Site) -> String {
    newest(site.years().iter().map(|y| year_dates(site, *y)).collect::<Vec<_>>().iter().map(String::as_str))
}

/// The table behind a CSV or workbook dataset.
fn table(site: &Site, dataset: Dataset) -> Option<Table> {
    Some(match dataset {
        Dataset::Targets(y) => tables::targets(site, y),
        Dataset::Results(y) | Dataset::ResultsBook(y) => tables::results(site, y),
        Dataset::Period(i) => tables::period(site, i),
        Dataset::Partners => tables::partners(site),
        Dataset::Metrics => tables::metrics(site),
        Dataset::Plan(_) | Dataset::All => return None,
    })
}

/// The results workbook of a year: a sheet per table (results, the plan's targets, metrics),
/// headers in Chinese and by column name, units in the numbers' formats.
pub fn results_book(site: &Site, year: u32) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = formats::workbook(&format!("results-{year}"))?;
    for (name, table) in [
        ("成果 results", tables::results(site, year)),
        ("目标 targets", tables::targets(site, year)),
        ("指标 metrics", tables::metrics(site)),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        formats::write_table(sheet, &table)?;
    }
    book.save_to_buffer()
}

/// One dataset's file.
fn dataset_file(site: &Site, dataset: Dataset) -> DataFile {
    let modified = match dataset.year() {
        Some(y) => year_dates(site, y),
        None => site_dates(site),
    };
    let (bytes, rows) = match dataset {
        Dataset::Plan(y) => (json::bytes(&json::plan(site, y)), site.plans.get(&y).map(|p| p.tasks.len())),
        Dataset::All => (json::bytes(&json::all(site)), Some(site.results.values().map(Vec::len).sum())),
        // A workbook that cannot be written (a sheet name too long) is a bug, not content's.
        Dataset::ResultsBook(y) => (results_book(site, y).expect("results workbook"), Some(tables::results(site, y).rows.len())),
        _ => {
            let table = table(site, dataset).unwrap_or_else(|| Table { columns: Vec::new(), rows: Vec::new(), units: Vec::new() });
            (formats::csv(&table), Some(table.rows.len()))
        }
    };
    DataFile { dataset: Some(dataset), name: dataset.file_name(site), bytes, rows, modified }
}

/// Every file under `data/`: the datasets, their schemas and dictionaries, the catalogue.
pub fn files(site: &Site, base_url: &str) -> Vec<DataFile> {
    use rayon::prelude::*;
    let sets = datasets(site);
    let mut out: Vec<DataFile> = sets.par_iter().map(|d| dataset_file(site, *d)).collect();
    let support =
        |name: &str, bytes: Vec<u8>| DataFile { dataset: None, name: name.to_owned(), bytes, rows: None, modified: String::new() };
    let id = |name: &str| Route::data_file(name).absolute(base_url);
    out.push(support("plan.schema.json", json::bytes(&json::plan_schema(&id("plan.schema.json")))));
    out.push(support("all.schema.json", json::bytes(&json::all_schema(&id("all.schema.json")))));
    let year = site.plans.keys().next_back().copied().unwrap_or_default();
    let dictionaries = [
        ("targets.columns.csv", tables::targets(site, year)),
        ("results.columns.csv", tables::results(site, year)),
        ("partners.columns.csv", tables::partners(site)),
        ("metrics.columns.csv", tables::metrics(site)),
    ];
    for (name, table) in dictionaries {
        out.push(support(name, formats::dictionary(&table)));
    }
    if !site.periods.is_empty() {
        out.push(support("period.columns.csv", formats::dictionary(&tables::period(site, 0))));
    }
    let catalog = catalog(site, &out, base_url);
    out.push(support("catalog.json", json::bytes(&catalog)));
    out
}

/// The catalogue of the downloads (schema.org `DataCatalog`, JSON-LD): each dataset with its
/// distribution, size, modified date and the file that describes it; also the data pages' JSON-LD.
pub fn catalog(site: &Site, files: &[DataFile], base_url: &str) -> Value {
    let lang = site.default_language();
    let text = |t: &crate::model::Text| t.value.get(lang).cloned().unwrap_or_default();
    // The organisation only on its own site; else the sponsor of `identity:`, as every page says.
    let name = super::identity::publisher(site, lang);
    let publisher = match (site.config.identity.official, name.is_empty()) {
        (true, _) => json!({"@type": "GovernmentOrganization", "name": name, "url": base_url}),
        (false, false) => json!({"@type": "Organization", "name": name}),
        (false, true) => Value::Null,
    };
    let datasets: Vec<Value> = files
        .iter()
        .filter_map(|f| Some((f, f.dataset?)))
        .map(|(f, d)| {
            let described = d.described_by().map(|n| Route::data_file(n).absolute(base_url));
            json!({
                "@type": "Dataset",
                "name": f.name,
                "identifier": f.route().absolute(base_url),
                "dateModified": f.modified,
                "isAccessibleForFree": true,
                "publisher": publisher,
                "inLanguage": site.language_codes(),
                "distribution": [{
                    "@type": "DataDownload",
                    "encodingFormat": d.format().media_type(),
                    "contentUrl": f.route().absolute(base_url),
                    "contentSize": format!("{} B", f.bytes.len()),
                }],
                "subjectOf": described,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": text(&site.config.title),
        "publisher": publisher,
        "url": Route::data_page(lang).absolute(base_url),
        "dateModified": site_dates(site),
        "dataset": datasets,
    })
}
