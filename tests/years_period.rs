//! Plan periods (issue 12): the period page's figures for the three-year fixture's test period,
//! computed here by hand from the fixture's results; the example's period, which has almost no
//! results, told honestly; the plan pages linking their periods; the period booklet; `serve`
//! re-rendering a period after its file changed; and `pdf` printing a period booklet.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::years::three_years;
use common::{planpress, Site};
use scraper::{ElementRef, Html, Selector};

/// The three-year fixture, built once for the tests that only read its output.
fn built() -> &'static (Site, std::path::PathBuf) {
    static BUILT: OnceLock<(Site, std::path::PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = three_years();
        // A text about the period in English only: the Chinese page shows it, marked as English.
        site.write("content/periods/test-period.en.md", "Why the test period **exists**.\n");
        let out = site.path("public");
        site.build_to(&out, &["--no-minify"]).assert_ok();
        (site, out)
    })
}

fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of a table, each as the texts of its cells.
fn rows(table: ElementRef) -> Vec<Vec<String>> {
    table.select(&sel("tbody tr")).map(|tr| tr.select(&sel("th, td")).map(text).collect()).collect()
}

/// The values of one metric in the example's 2011 results, read from the YAML files.
fn example_2011_sum(metric: &str) -> f64 {
    let dir = common::repo().join("content/results/2011");
    let mut sum = 0.0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") || path.file_name().is_some_and(|n| n == "summary.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() == format!("- metric: {metric}") {
                let value = lines.next().unwrap().trim().strip_prefix("value:").unwrap().trim();
                sum += value.parse::<f64>().unwrap();
            }
        }
    }
    sum
}

/// `n events`, as the English pages write a count of events (two decimals at most).
fn events(n: f64) -> String {
    let rounded = format!("{n:.2}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    format!("{trimmed} event{}", if trimmed == "1" { "" } else { "s" })
}

#[test]
fn the_test_period_adds_up_its_years_against_the_straight_path() {
    let (_, out) = built();
    let html = page(out, "en/periods/test-period/index.html");
    assert_eq!(text(html.select(&sel("h1")).next().unwrap()), "Test period (2011–2013)");
    let prose = html.select(&sel("article.period .prose")).next().expect("the period's text");
    assert_eq!(prose.inner_html().trim(), "<p>Why the test period <strong>exists</strong>.</p>");
    let zh = page(out, "zh/periods/test-period/index.html");
    let fallback = zh.select(&sel("article.period .prose")).next().expect("the English text on the Chinese page");
    assert_eq!(fallback.value().attr("lang"), Some("en"));
    let target = html.select(&sel("article#target-events-held")).next().expect("the events-held target");
    // By hand: 2011 is the example's own results, 2012 and 2013 the fixture's (4 and 5); a total
    // of 20 over three years has a straight path of 20/3 a year; the 2012 milestone is 8.
    let first = example_2011_sum("events-held");
    assert!(first > 0.0, "the example reports events held in 2011");
    let yearly = [first, 4.0, 5.0];
    let mut cumulative = 0.0;
    let mut expected = Vec::new();
    for (i, (year, result)) in [2011, 2012, 2013].into_iter().zip(yearly).enumerate() {
        cumulative += result;
        let path = 20.0 * (i + 1) as f64 / 3.0;
        let milestone = if year == 2012 { events(8.0) } else { "—".to_owned() };
        expected.push(vec![year.to_string(), format!("{} Illustrative", events(result)), events(cumulative), events(path), milestone]);
    }
    let table = target.select(&sel("table.period-table")).next().expect("a data table");
    assert_eq!(rows(table), expected);
    let facts = text(target.select(&sel("dl.facts")).next().unwrap());
    assert!(facts.contains("20 events (the years' results added up)"), "{facts}");
    assert!(facts.contains("2012: 8 events"), "{facts}");
    assert!(text(target).contains("Illustrative"), "the target is marked illustrative");
    // The chart: one row a year, labelled, with the path, the cumulative result and the milestone,
    // the numbers bare beside the bars and the unit on the axis.
    let svg = target.select(&sel("figure.period-chart svg.chart")).next().expect("an inline chart");
    assert_eq!(text(svg.select(&sel("title")).next().unwrap()), "Events held: results against the target");
    let labels: Vec<String> = svg.select(&sel("text")).map(text).collect();
    for label in [
        "2011",
        "2012",
        "2013",
        "Straight path to the target",
        "Cumulative",
        "Milestone",
        &format!("{}", first + 9.0),
        "6.67",
        "Unit: events",
    ] {
        assert!(labels.iter().any(|l| l == label), "no chart label {label:?} in {labels:?}");
    }
    assert!(svg.select(&sel("rect.series-2")).count() >= 2, "a milestone swatch and its bar");
}

#[test]
fn the_test_period_says_what_each_year_has() {
    let (_, out) = built();
    let html = page(out, "zh/periods/test-period/index.html");
    let years = html.select(&sel("table.period-years")).next().expect("the years table");
    let rows = rows(years);
    assert_eq!(rows.len(), 3);
    assert!(rows[0][1].contains("2011年科技工作要点") && rows[0][3].contains("测试：2011年科技工作总结"), "{:?}", rows[0]);
    assert!(rows[1][2].contains("年终成果") || rows[1][2].contains("2012"), "{:?}", rows[1]);
    assert_eq!(rows[2][3], "尚无年度总结", "2013 has no summary yet");
    let links: Vec<&str> = years.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(links.contains(&"../../../zh/plan/2013/") && links.contains(&"../../../zh/results/2013/"), "{links:?}");
    assert!(links.contains(&"../../../zh/reports/summary-2012/") && !links.contains(&"../../../zh/reports/summary-2013/"), "{links:?}");
}

#[test]
fn the_examples_period_is_honest_about_missing_results() {
    let (_, out) = built();
    let html = page(out, "zh/periods/12th-five-year/index.html");
    let source: Vec<&str> = html.select(&sel("header dl.facts a[rel=external]")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(source, ["https://most.gov.cn/dfkj/xj/zxdt/201111/t20111103_90667.html"]);
    assert!(text(html.select(&sel("header .source-note")).next().unwrap()).contains("规划全文、印发单位和文号未能查到"));
    let targets: Vec<ElementRef> = html.select(&sel("article.period-target")).collect();
    assert_eq!(targets.len(), 5, "five level targets");
    for target in &targets {
        let table = rows(target.select(&sel("table.period-table")).next().unwrap());
        assert_eq!(table.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["2011", "2012", "2013", "2014", "2015"]);
        // Levels are never summed: no cumulative column.
        assert_eq!(table[0].len(), 4, "{table:?}");
        for row in &table[1..] {
            assert_eq!(row[1], "尚未报告成果", "{row:?}");
        }
        assert!(text(*target).contains("（达到的水平，不累加）"));
        // A chart only where something was reported: otherwise it would repeat the target.
        let unreported = text(*target).contains("本规划期内各年度均尚未报告该指标的成果");
        assert_eq!(target.select(&sel("svg.chart title")).next().is_some(), !unreported);
    }
    let unreported = targets.iter().filter(|t| text(**t).contains("本规划期内各年度均尚未报告该指标的成果")).count();
    // The example reports one of the five indicators (R&D intensity) in 2011, illustratively.
    assert_eq!(unreported, 4);
}

#[test]
fn plan_pages_link_their_periods() {
    let (_, out) = built();
    for (year, periods) in [(2011, vec!["12th-five-year", "test-period"]), (2013, vec!["12th-five-year", "test-period"])] {
        let html = page(out, &format!("en/plan/{year}/index.html"));
        let links: Vec<&str> = html.select(&sel(".period-links a")).filter_map(|a| a.value().attr("href")).collect();
        let expected: Vec<String> = periods.iter().map(|p| format!("../../../en/periods/{p}/")).collect();
        assert_eq!(links, expected, "{year}");
    }
    let period = page(out, "en/periods/test-period/index.html");
    let booklets: Vec<&str> = period.select(&sel(".booklets a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(booklets, ["../../../en/reports/period-test-period/", "../../../reports/period-test-period-bilingual/"]);
}

#[test]
fn the_period_booklet_has_its_targets_and_a_chapter_a_year() {
    let (_, out) = built();
    let html = page(out, "en/reports/period-test-period/index.html");
    let chapters: Vec<String> = html.select(&sel("section.chapter h1.chapter-title")).map(text).collect();
    assert_eq!(chapters, ["Targets of the period", "2011", "2012", "2013"]);
    assert_eq!(text(html.select(&sel(".cover-year")).next().unwrap()), "2011–2013");
    let table = html.select(&sel("#targets table.period-table")).next().expect("the targets table");
    assert_eq!(rows(table)[1][2], events(example_2011_sum("events-held") + 4.0));
    let y2012 = text(html.select(&sel("section#year-2012")).next().unwrap());
    assert!(y2012.contains("Test: bring IT and S&T together") && y2012.contains("Test result fair-2012"), "{y2012}");
    let y2013 = text(html.select(&sel("section#year-2013")).next().unwrap());
    assert!(y2013.contains("Test result fair-2013") && !y2013.contains("fair-2012"), "{y2013}");
    let pair = page(out, "reports/period-test-period-bilingual/index.html");
    let titles: Vec<String> = pair.select(&sel(".cover-title")).map(text).collect();
    assert_eq!(titles, ["测试规划期（2011—2013年）", "Test period (2011–2013)"]);
    let ids: Vec<&str> = pair.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an id twice in the bilingual booklet");
}

#[test]
fn serve_re_renders_a_period_after_its_file_changed() {
    use planpress::commands::live::{Live, Outcome};
    let site = three_years();
    let mut live = Live::load(site.root(), "http://127.0.0.1:1/").unwrap_or_else(|_| panic!("the fixture loads")).live;
    site.edit("content/periods/test-period.yaml", "    value: 20\n", "    value: 30\n");
    let changed = [site.path("content/periods/test-period.yaml")];
    let Some(Ok(Outcome::Pages(update, mut files))) = live.update(&changed) else { panic!("a period edit is a partial update") };
    // Its own pages first, served before its dependants.
    let mut own: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    own.sort_unstable();
    assert_eq!(own, ["en/periods/test-period/index.html", "zh/periods/test-period/index.html"]);
    files.extend(live.render_step(&update, planpress::render::Step::Dependants).unwrap_or_else(|_| panic!("the dependants render")));
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    // The period's pages, and the data pages, which list its targets' download.
    assert_eq!(
        paths,
        ["en/data/index.html", "en/periods/test-period/index.html", "zh/data/index.html", "zh/periods/test-period/index.html"]
    );
    let en = String::from_utf8_lossy(&files.iter().find(|f| f.path == "en/periods/test-period/index.html").unwrap().bytes).into_owned();
    assert!(en.contains("10 events") && en.contains("30 events"), "the new path, 30/3 a year");
    let rest = live.update_rest(&update).unwrap_or_else(|_| panic!("the booklets render"));
    let booklets: Vec<&str> = rest.iter().map(|f| f.path.as_str()).filter(|p| p.contains("reports/")).collect();
    assert_eq!(booklets.len(), 3, "the period's booklets, and no other: {booklets:?}");
    assert!(booklets.iter().all(|p| p.contains("period-test-period")), "{booklets:?}");
    // A new title is on other pages (the plans' links): a full rebuild.
    site.edit("content/periods/test-period.yaml", "Test period (2011–2013)", "Test period renamed");
    let again = live.update(&changed);
    assert!(again.is_none(), "a renamed period is a full rebuild, not {:?}", again.map(|r| r.is_ok()));
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn pdf_prints_the_period_booklets_of_a_year() {
    common::tool(&["chromium", "chromium-browser", "google-chrome"], "apt-get install chromium (see .ci/run)");
    let site = three_years();
    let out = site.path("printed");
    let run =
        planpress(&["pdf", "--root", site.root().to_str().unwrap(), "--out", out.to_str().unwrap(), "--year", "2012", "--lang", "en"]);
    run.assert_ok();
    for pdf in ["en/reports/period-test-period/period-test-period-en.pdf", "en/reports/period-12th-five-year/period-12th-five-year-en.pdf"]
    {
        let bytes = std::fs::read(out.join(pdf)).unwrap_or_else(|e| panic!("{pdf}: {e}"));
        assert!(bytes.starts_with(b"%PDF"), "{pdf}");
    }
    assert!(out.join("en/reports/plan-2012/plan-2012-en.pdf").exists());
    assert!(!out.join("en/reports/plan-2011/plan-2011-en.pdf").exists(), "--year 2012 prints no other year's plan");
}
