//! `planpress import` and `planpress export-template` (issue 15): a filled-in template imports
//! to exactly the expected YAML; a messy workbook reports every problem with its cell and
//! writes nothing; nothing is overwritten without --update; and the example's 2011 results,
//! exported and imported into a fresh site, come back with the same values.

mod common;

use std::fs;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::{example_built, planpress, planpress_with_locale, Site};
use rust_xlsxwriter::{Format, Workbook};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The example without its 2011 results (the summary and its foreword stay).
fn fresh_site() -> Site {
    let site = Site::example();
    for entry in fs::read_dir(site.path("content/results/2011")).unwrap() {
        let path = entry.unwrap().path();
        if !path.file_name().unwrap().to_string_lossy().starts_with("summary") {
            fs::remove_file(path).unwrap();
        }
    }
    site
}

/// The template's two header rows, read back from the file `export-template` wrote.
fn template_header(site: &Site) -> (Vec<String>, Vec<String>, usize) {
    let path = site.path("tpl.xlsx");
    planpress(&["export-template", "--year", "2011", "--root", s(site.root()), "--out", s(&path)]).assert_ok();
    let mut book = open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names(), ["填报", "说明", "代码"]);
    let range = book.worksheet_range("填报").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let filled = rows[2..].iter().filter(|r| r.iter().any(|c| !c.is_empty())).count();
    (rows[0].clone(), rows[1].clone(), filled)
}

#[test]
fn the_template_lists_every_target_of_the_year() {
    let site = Site::example();
    let (zh, names, rows) = template_header(&site);
    let targets: usize = fs::read_dir(site.path("content/plan/2011/tasks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| fs::read_to_string(p).unwrap().matches("- metric:").count())
        .sum();
    assert_eq!(rows, targets, "one row per target of the plan");
    for column in ["result_id", "date", "title_zh", "title_en", "task_ids", "partner_ids", "metric_id", "value", "unit_zh"] {
        assert!(names.contains(&column.to_owned()), "{column} in {names:?}");
    }
    assert!(zh.contains(&"成果标识".to_owned()), "Chinese headers above the names: {zh:?}");
}

/// A workbook in the template's layout, written by the test: a filled-in template.
fn write_book(path: &Path, names: &[String], rows: &[Vec<(&str, Data)>], merge: Option<(u32, u16, u32, u16)>) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("填报").unwrap();
    for (c, name) in names.iter().enumerate() {
        sheet.write_string(0, c as u16, format!("表头{c}")).unwrap();
        sheet.write_string(1, c as u16, name).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (name, value) in row {
            let c = names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no column {name}")) as u16;
            match value {
                Data::String(t) => sheet.write_string(r, c, t).map(|_| ()).unwrap(),
                Data::Float(f) => sheet.write_number(r, c, *f).map(|_| ()).unwrap(),
                Data::DateTimeIso(d) => {
                    let date = rust_xlsxwriter::ExcelDateTime::parse_from_str(d).unwrap();
                    sheet.write_datetime_with_format(r, c, &date, &date_format).map(|_| ()).unwrap()
                }
                _ => {}
            }
        }
    }
    if let Some((r1, c1, r2, c2)) = merge {
        sheet.merge_range(r1, c1, r2, c2, "合并", &Format::new()).unwrap();
    }
    book.save(path).unwrap();
}

fn text(t: &str) -> Data {
    Data::String(t.to_owned())
}

#[test]
fn a_filled_in_template_imports_to_the_expected_yaml() {
    let site = fresh_site();
    let (_, names, _) = template_header(&site);
    let book = site.path("filled.xlsx");
    let rows = vec![
        vec![
            ("result_id", text("workstations")),
            ("date", Data::DateTimeIso("2011-10-18".into())),
            ("title_zh", text("院士工作站")),
            ("title_en", text("Academician workstations")),
            ("task_ids", text("talent 人才队伍建设")),
            ("partner_ids", text("shanghai")),
            ("metric_id", text("academician-workstations")),
            ("value", Data::Float(8.0)),
        ],
        vec![("result_id", text("workstations")), ("metric_id", text("persons-trained")), ("value", Data::Float(2400.0))],
        // A template row nobody filled in.
        vec![("task_ids", text("talent")), ("metric_id", text("events-held"))],
    ];
    write_book(&book, &names, &rows, None);
    let run = planpress(&["import", s(&book), "--year", "2011", "--root", s(site.root())]);
    run.assert_ok();
    assert_eq!(
        site.read("content/results/2011/workstations.yaml"),
        "slug: workstations\ndate: 2011-10-18\ntitle:\n  zh: \"院士工作站\"\n  en: \"Academician workstations\"\ntasks: [talent]\npartners: [shanghai]\nvalues:\n  - metric: academician-workstations\n    value: 8\n  - metric: persons-trained\n    value: 2400\n"
    );
    assert!(site.path("content/results/2011/workstations.zh.md").is_file());
    assert!(site.read("content/results/2011/workstations.en.md").contains("untranslated: true"));
    site.build(&[]).assert_ok();

    // Never overwritten: the same import again is refused, and writes nothing.
    let again = planpress_with_locale(&["import", s(&book), "--year", "2011", "--root", s(site.root())], "zh_CN.UTF-8");
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("成果 `workstations` 已存在"), "{}", again.stderr);
    // With --update, the changed figure is shown, then written.
    let mut changed = rows.clone();
    changed[1][2] = ("value", Data::Float(2500.0));
    write_book(&book, &names, &changed, None);
    let update = planpress(&["import", s(&book), "--year", "2011", "--root", s(site.root()), "--update"]);
    update.assert_ok();
    assert!(update.stdout.contains("persons-trained: 2400 -> 2500"), "{}", update.stdout);
    assert!(site.read("content/results/2011/workstations.yaml").contains("value: 2500"));
}

#[test]
#[allow(clippy::vec_init_then_push)] // one push a row, each with the problem it carries
fn a_messy_workbook_reports_every_problem_by_cell_and_writes_nothing() {
    let site = fresh_site();
    let (_, names, _) = template_header(&site);
    let book = site.path("messy.xlsx");
    let col = |name: &str| names.iter().position(|n| n == name).unwrap();
    let letter = |name: &str| char::from(b'A' + col(name) as u8);
    let base = |id: &'static str| vec![("result_id", text(id)), ("title_zh", text("成果")), ("date", text("2011-05-01"))];
    let mut rows = Vec::new();
    // Row 3: a misspelt task.
    rows.push([base("a"), vec![("task_ids", text("talnet")), ("metric_id", text("events-held")), ("value", Data::Float(1.0))]].concat());
    // Row 4: a number stored as text.
    rows.push([base("b"), vec![("metric_id", text("events-held")), ("value", text("12"))]].concat());
    // Row 5: full-width digits.
    rows.push([base("c"), vec![("metric_id", text("persons-trained")), ("value", text("１２３"))]].concat());
    // Row 6: money in 万元.
    rows.push([base("d"), vec![("metric_id", text("st-aid-funds")), ("value", Data::Float(12.5)), ("unit_zh", text("万元"))]].concat());
    // Row 7: an Excel serial where the date goes.
    rows.push(vec![
        ("result_id", text("e")),
        ("title_zh", text("成果")),
        ("date", Data::Float(40834.0)),
        ("metric_id", text("events-held")),
        ("value", Data::Float(2.0)),
    ]);
    // Row 8: thousands separators.
    rows.push([base("f"), vec![("metric_id", text("persons-trained")), ("value", text("1,234"))]].concat());
    // Row 9: a totals row.
    rows.push(vec![("result_id", text("合计")), ("value", Data::Float(99.0))]);
    // Rows 10-11: merged cells (the result id over two rows).
    rows.push([base("g"), vec![("metric_id", text("events-held")), ("value", Data::Float(1.0))]].concat());
    rows.push(vec![("metric_id", text("events-held")), ("value", Data::Float(1.0))]);
    let r = col("result_id") as u16;
    write_book(&book, &names, &rows, Some((9, r, 10, r)));

    let run = planpress_with_locale(&["import", s(&book), "--year", "2011", "--root", s(site.root())], "zh_CN.UTF-8");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    let expect = [
        format!("工作表“填报”单元格 {}3：找不到任务 `talnet`", letter("task_ids")),
        "是不是要写 `talent`？".to_owned(),
        format!("单元格 {}4：数值 `12` 以文本形式保存", letter("value")),
        format!("单元格 {}5：`１２３` 使用了全角数字", letter("value")),
        "请改用半角数字：123".to_owned(),
        format!("单元格 {}6：单位“万元”与指标的单位“元”不符", letter("unit_zh")),
        "请填写 125000".to_owned(),
        format!("单元格 {}7：`40834` 是 Excel 日期序列号", letter("date")),
        "2011-10-18".to_owned(),
        format!("单元格 {}8：`1,234` 带有千位分隔符", letter("value")),
        format!("单元格 {}9：第 9 行是合计行", letter("result_id")),
        format!("单元格 {}10：单元格 {}10:{}11 是合并单元格", letter("result_id"), letter("result_id"), letter("result_id")),
    ];
    for e in &expect {
        assert!(err.contains(e.as_str()), "missing {e:?} in:\n{err}");
    }
    assert!(err.contains("--> ") && err.contains("messy.xlsx:3:"), "the file and row are named: {err}");
    assert!(err.contains("未写入任何文件"), "{err}");
    let left: Vec<_> = fs::read_dir(site.path("content/results/2011")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| n.to_string_lossy().starts_with("summary")), "nothing written: {left:?}");
}

#[test]
fn dry_run_prints_and_writes_nothing_and_csv_imports_too() {
    let built = example_built(&[]);
    let site = fresh_site();
    let csv = built.out.join("data/results-2011.csv");
    let run = planpress(&["import", s(&csv), "--year", "2011", "--root", s(site.root()), "--dry-run"]);
    run.assert_ok();
    assert!(run.stdout.contains("slug: academician-workstations") && run.stdout.contains("nothing was written"), "{}", run.stdout);
    assert!(!site.path("content/results/2011/academician-workstations.yaml").exists());
    planpress(&["import", s(&csv), "--year", "2011", "--root", s(site.root())]).assert_ok();
    assert!(site.path("content/results/2011/academician-workstations.yaml").exists());
}

/// The example's 2011 results: the results workbook of the data downloads, imported into a site
/// without them, give the same data (all.json's results) as the original.
#[test]
fn export_then_import_reproduces_the_2011_results() {
    let built = example_built(&[]);
    let site = fresh_site();
    let book = built.out.join("data/results-2011.xlsx");
    planpress(&["import", s(&book), "--year", "2011", "--root", s(site.root())]).assert_ok();
    site.build(&[]).assert_ok();
    let results = |dir: &Path| {
        let all: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("data/all.json")).unwrap()).unwrap();
        all["results"].clone()
    };
    assert_eq!(results(&site.path("public")), results(&built.out));
    assert_eq!(fs::read(site.path("public/data/results-2011.csv")).unwrap(), fs::read(built.out.join("data/results-2011.csv")).unwrap());
}
