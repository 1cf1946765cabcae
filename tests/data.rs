//! The open-data downloads under /data/ (issue 15): every file a build writes, read back and
//! compared with the content; the data pages listing them; byte-identical rebuilds; and, with
//! Python's csv, openpyxl and jsonschema, every file read by an independent reader.

mod common;

use std::fs;

use common::{example_built, planpress, tool, Site};

const DATA: &[&str] = &[
    "plan-2011.json",
    "targets-2011.csv",
    "results-2011.csv",
    "results-2011.xlsx",
    "period-12th-five-year.csv",
    "partners.csv",
    "metrics.csv",
    "all.json",
    "plan.schema.json",
    "all.schema.json",
    "targets.columns.csv",
    "results.columns.csv",
    "partners.columns.csv",
    "metrics.columns.csv",
    "period.columns.csv",
    "catalog.json",
];

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a CSV for Excel starts with a BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends only");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// `page` links `url` (minified, an attribute loses its quotes).
fn links(page: &str, url: &str) -> bool {
    page.contains(&format!("href={url}>")) || page.contains(&format!("href=\"{url}\"")) || page.contains(&format!("href={url} "))
}

#[test]
fn every_download_is_written_and_listed_on_the_data_pages() {
    let built = example_built(&[]);
    for name in DATA {
        assert!(built.out.join("data").join(name).is_file(), "data/{name} is missing");
    }
    for (lang, title, csv_link) in [("zh", "开放数据", "下载数据 CSV"), ("en", "Open data", "Download CSV")] {
        let page = fs::read_to_string(built.out.join(lang).join("data/index.html")).unwrap();
        assert!(page.contains(title), "{lang}/data/ has its title");
        for name in DATA.iter().filter(|n| !n.contains(".columns.") && !n.contains(".schema.") && **n != "catalog.json") {
            assert!(links(&page, &format!("../../data/{name}")), "{lang}/data/ links {name}");
        }
        assert!(links(&page, "../../data/catalog.json"));
        assert!(page.contains("application/ld+json") && page.contains("DataCatalog"), "the data page carries Dataset JSON-LD");
        // Linked from every page's footer, and the results table links its CSV.
        let home = fs::read_to_string(built.out.join(lang).join("index.html")).unwrap();
        assert!(links(&home, &format!("../{lang}/data/")), "footer links the data page");
        let results = fs::read_to_string(built.out.join(lang).join("results/2011/index.html")).unwrap();
        assert!(links(&results, "../../../data/results-2011.csv") && results.contains(csv_link));
    }
}

#[test]
fn csv_files_hold_the_content_with_units_and_marks() {
    let built = example_built(&[]);
    let results = csv_rows(&fs::read(built.out.join("data/results-2011.csv")).unwrap());
    let header = &results[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let row = results
        .iter()
        .find(|r| r[col("result_id")] == "academician-workstations" && r[col("metric_id")] == "persons-trained")
        .expect("the persons-trained value of academician-workstations");
    assert_eq!(row[col("value")], "2400");
    assert_eq!(row[col("unit_zh")], "人次");
    assert_eq!(row[col("illustrative")], "true", "illustrative results say so in the data");
    assert_eq!(row[col("date")], "2011-10-18");
    // Every value of every result: one row each.
    let values: usize = fs::read_dir(built.root.join("content/results/2011"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("summary.yaml"))
        .map(|p| fs::read_to_string(p).unwrap().matches("- metric:").count().max(1))
        .sum();
    assert_eq!(results.len() - 1, values);

    let period = csv_rows(&fs::read(built.out.join("data/period-12th-five-year.csv")).unwrap());
    let pcol = |name: &str| period[0].iter().position(|h| h == name).unwrap();
    let rd = period.iter().find(|r| r[pcol("metric_id")] == "rd-intensity").unwrap();
    assert_eq!(rd[pcol("value")], "1.8");
    assert!(rd[pcol("source_url")].starts_with("https://"), "a sourced period target keeps its source");
    assert_eq!(rd[pcol("illustrative")], "false");

    let targets = csv_rows(&fs::read(built.out.join("data/targets-2011.csv")).unwrap());
    assert!(targets[0].contains(&"source_url".to_owned()) && targets.len() > 1);
    let dictionary = csv_rows(&fs::read(built.out.join("data/results.columns.csv")).unwrap());
    let names: Vec<&str> = dictionary[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, header.iter().map(String::as_str).collect::<Vec<_>>(), "the dictionary lists every column, in order");
}

#[test]
fn json_files_keep_the_figures_as_written() {
    let built = example_built(&[]);
    let all: serde_json::Value = serde_json::from_slice(&fs::read(built.out.join("data/all.json")).unwrap()).unwrap();
    let result = all["results"].as_array().unwrap().iter().find(|r| r["id"] == "academician-workstations").unwrap();
    assert_eq!(result["illustrative"], true);
    assert_eq!(serde_json::to_string(&result["values"][2]["value"]).unwrap(), "2400", "integers stay integers");
    let plan: serde_json::Value = serde_json::from_slice(&fs::read(built.out.join("data/plan-2011.json")).unwrap()).unwrap();
    assert_eq!(plan["tasks"].as_array().unwrap().len(), 11);
    assert!(plan["source"]["url"].as_str().unwrap().starts_with("http"));
    let catalog: serde_json::Value = serde_json::from_slice(&fs::read(built.out.join("data/catalog.json")).unwrap()).unwrap();
    assert_eq!(catalog["@type"], "DataCatalog");
    let sets = catalog["dataset"].as_array().unwrap();
    assert_eq!(sets.len(), 8);
    let xlsx = sets.iter().find(|d| d["name"] == "results-2011.xlsx").unwrap();
    let size = fs::metadata(built.out.join("data/results-2011.xlsx")).unwrap().len();
    assert_eq!(xlsx["distribution"][0]["contentSize"], format!("{size} B"));
}

#[test]
fn data_files_are_byte_identical_on_rebuild() {
    let site = Site::example();
    let (a, b) = (site.path("a"), site.path("b"));
    site.build_to(&a, &[]).assert_ok();
    // A second later: a clock in the workbook would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build_to(&b, &[]).assert_ok();
    for name in DATA {
        assert_eq!(fs::read(a.join("data").join(name)).unwrap(), fs::read(b.join("data").join(name)).unwrap(), "data/{name} differs");
    }
}

/// Python's csv (utf-8-sig), openpyxl and jsonschema read every file (Debian:
/// python3-openpyxl python3-jsonschema, installed by .ci/run).
#[test]
#[ignore = "needs openpyxl and jsonschema (Python 3: apt-get install python3-openpyxl python3-jsonschema)"]
fn an_independent_reader_reads_every_download() {
    // Debian's own Python, where apt installs the modules (a python3 earlier on PATH may lack them).
    let python = tool(&["/usr/bin/python3", "python3"], "apt-get install python3 python3-openpyxl python3-jsonschema");
    let built = example_built(&[]);
    let template = built.root.join("template.xlsx");
    let run =
        planpress(&["export-template", "--year", "2011", "--root", built.root.to_str().unwrap(), "--out", template.to_str().unwrap()]);
    run.assert_ok();
    let script = common::repo().join("tests/data/read_downloads.py");
    let out = std::process::Command::new(python).arg(script).arg(built.out.join("data")).arg(&template).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let results_csv = csv_rows(&fs::read(built.out.join("data/results-2011.csv")).unwrap()).len() - 1;
    assert!(stdout.contains(&format!("results-2011.csv rows {results_csv}")), "{stdout}");
    assert!(stdout.contains(&format!("results-2011.xlsx rows {results_csv}")), "{stdout}");
    assert!(stdout.contains("all.json valid") && stdout.contains("plan-2011.json valid"), "{stdout}");
    assert!(stdout.contains("template protected True") && stdout.contains("template validations 3"), "{stdout}");
}
