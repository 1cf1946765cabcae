//! Years do not mix (issue 12, items 2, 3, 6 and 8) on the three-year fixture: the home page is
//! the newest plan's and counts its year only, titles carry their year wherever two years could
//! share one, partner pages group by year, the summary booklets carry their own front matter
//! (or the year's name and its newest result's date), and the sitemap lists the booklets.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::years::three_years;
use scraper::{ElementRef, Html, Selector};

/// The three-year fixture built once for all tests of this file: (site folder, output).
fn built() -> &'static (PathBuf, PathBuf) {
    static BUILT: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = three_years();
        let root = common::scratch_dir("years-mix");
        common::copy_dir(&site.path("content"), &root.join("content"));
        let out = root.join("public");
        let run = common::planpress(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-minify"]);
        run.assert_ok();
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        (root, out)
    })
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page(rel: &str) -> Html {
    let path = built().1.join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&sel(selector)).map(text).collect()
}

fn one(html: &Html, selector: &str) -> String {
    let found = texts(html, selector);
    assert_eq!(found.len(), 1, "{selector}: {found:?}");
    found.into_iter().next().unwrap()
}

fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    html.select(&sel(selector)).filter_map(|e| e.value().attr(attr)).map(str::to_owned).collect()
}

/// The home page's stats, label → number.
fn stats(html: &Html) -> BTreeMap<String, String> {
    html.select(&sel(".stats li")).map(|li| (one_in(li, ".stat-label"), one_in(li, ".stat-num"))).collect()
}

fn one_in(el: ElementRef, selector: &str) -> String {
    el.select(&sel(selector)).map(text).next().unwrap()
}

#[test]
fn home_is_the_newest_plans_and_counts_its_year_only() {
    let (root, _) = built();
    let tasks_2013 = std::fs::read_dir(root.join("content/plan/2013/tasks"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".yaml"))
        .count();
    assert_eq!(tasks_2013, 11);
    for (lang, heading, results, tasks, note) in [
        ("zh", "2013年计划概览", "年终成果", "重点任务", "重点任务、工作举措和年终成果为2013年的数据"),
        ("en", "The 2013 plan at a glance", "Year-end results", "Key tasks", "Key tasks, actions and year-end results are those of 2013"),
    ] {
        let home = page(&format!("{lang}/index.html"));
        assert_eq!(one(&home, "#plan-at-a-glance"), heading);
        assert_eq!(attrs(&home, ".glance-title a", "href"), [format!("../{lang}/plan/2013/")]);
        let stats = stats(&home);
        // 2013 has one result (fair-2013); all years together have 11.
        assert_eq!(stats[results], "1", "{stats:?}");
        assert_eq!(stats[tasks], tasks_2013.to_string(), "{stats:?}");
        assert!(one(&home, ".stats-note").starts_with(note));
        assert_eq!(home.select(&sel(".task-grid > li")).count(), tasks_2013);
        assert!(texts(&home, ".task-grid a").iter().all(|href| !href.contains("2011")));
        assert!(attrs(&home, ".task-grid a", "href").iter().all(|href| href.contains("/plan/2013/")));
        assert!(one(&home, "#key-tasks").ends_with(if lang == "zh" { "2013年" } else { "2013" }));
    }
}

/// Every HTML file's `<title>` (and `og:title`), path → title.
fn titles(out: &Path) -> BTreeMap<String, (String, Option<String>)> {
    common::html_files(out)
        .into_iter()
        .map(|rel| {
            let html = Html::parse_document(&std::fs::read_to_string(out.join(&rel)).unwrap());
            let og = attrs(&html, r#"meta[property="og:title"]"#, "content").into_iter().next();
            (rel, (one(&html, "head > title"), og))
        })
        .collect()
}

#[test]
fn no_two_pages_share_a_title_and_tasks_and_results_carry_their_year() {
    let out = &built().1;
    let titles = titles(out);
    assert!(titles.len() > 150, "{}", titles.len());
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    // The root chooser redirects at once to the default language's home and shares its title
    // by design: it is no page of a year.
    for (rel, (title, _)) in titles.iter().filter(|(rel, _)| rel.as_str() != "index.html") {
        if let Some(other) = seen.insert(title, rel) {
            panic!("{rel} and {other} share the title {title:?}");
        }
    }
    let title = |rel: &str| titles[rel].clone();
    let (zh, og) = title("zh/plan/2012/agriculture/index.html");
    assert!(zh.starts_with("加快农业科技创新，推进社会主义新农村建设（2012年） · "), "{zh}");
    assert_eq!(og.as_deref(), zh.split(" · ").next());
    let (en, _) = title("en/plan/2013/agriculture/index.html");
    assert!(en.contains(" (2013) · "), "{en}");
    let (result, og) = title("en/results/2012/fair-2012/index.html");
    assert!(result.starts_with("Test result fair-2012 (2012) · "), "{result}");
    assert_eq!(og.as_deref(), Some("Test result fair-2012 (2012)"));
}

#[test]
fn search_entries_and_feed_entries_carry_their_year() {
    let out = &built().1;
    let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("zh/search-index.json")).unwrap()).unwrap();
    let docs = index["docs"].as_array().unwrap();
    let title_of = |url: &str| docs.iter().find(|d| d["u"] == url).map(|d| d["t"].as_str().unwrap().to_owned());
    let agriculture: Vec<String> =
        [2011, 2012, 2013].iter().map(|y| title_of(&format!("zh/plan/{y}/agriculture/")).expect("indexed")).collect();
    let name = "加快农业科技创新,推进社会主义新农村建设";
    assert_eq!(agriculture, [format!("{name}（2011年）"), format!("{name}（2012年）"), format!("{name}（2013年）")]);
    let feed = std::fs::read_to_string(out.join("en/atom.xml")).unwrap();
    assert!(feed.contains("<title>Test result fair-2013 (2013)</title>"), "{feed}");
    assert!(feed.contains("<title>Test result patents-2012 (2012)</title>"), "{feed}");
    let zh_feed = std::fs::read_to_string(out.join("zh/atom.xml")).unwrap();
    assert!(zh_feed.contains("<title>测试成果 fair-2012（2012年）</title>"), "{zh_feed}");
}

#[test]
fn partner_pages_group_tasks_and_results_by_year_newest_first() {
    let beijing = page("en/partners/beijing/index.html");
    assert_eq!(texts(&beijing, ".partner-year > h2"), ["2013", "2012", "2011"]);
    let year = |y: u32| beijing.select(&sel(&format!(r#"section[aria-labelledby="year-{y}"]"#))).next().unwrap();
    let hrefs = |y: u32, list: &str| -> Vec<String> {
        year(y).select(&sel(&format!("{list} a"))).filter_map(|a| a.value().attr("href")).map(str::to_owned).collect()
    };
    // Beijing is a partner of the new 2012 task `digital`, and of both 2012 test results.
    assert!(hrefs(2012, ".link-list").iter().any(|h| h.ends_with("en/plan/2012/digital/")), "{:?}", hrefs(2012, ".link-list"));
    assert!(hrefs(2012, ".link-list").iter().all(|h| h.contains("/plan/2012/")));
    assert!(hrefs(2013, ".link-list").iter().all(|h| h.contains("/plan/2013/")));
    let results_2012 = hrefs(2012, ".result-list");
    assert_eq!(results_2012.len(), 2, "{results_2012:?}");
    assert!(results_2012.iter().all(|h| h.contains("/results/2012/")));
    assert_eq!(hrefs(2013, ".result-list").len(), 1);
    for y in [2013, 2012, 2011] {
        assert_eq!(hrefs(y, ".more"), [format!("../../../en/results/{y}/")]);
    }
    let zh = page("zh/partners/beijing/index.html");
    assert_eq!(texts(&zh, ".partner-year > h2"), ["2013年", "2012年", "2011年"]);
    assert_eq!(texts(&zh, r#"section[aria-labelledby="year-2012"] .more"#), ["查看2012年全部成果"]);
}

/// The JSON-LD `Report` of a booklet.
fn report(html: &Html) -> serde_json::Value {
    serde_json::from_str(&one(html, r#"script[type="application/ld+json"]"#)).unwrap()
}

#[test]
fn summary_booklets_carry_their_own_front_matter_and_foreword() {
    let zh = page("zh/reports/summary-2012/index.html");
    assert_eq!(one(&zh, "head > title"), "测试：2012年科技工作总结");
    assert_eq!(one(&zh, ".cover-title"), "测试：2012年科技工作总结");
    assert_eq!(texts(&zh, ".cover-facts dd"), ["测试科技厅", "2013年1月21日"]);
    assert!(!text(zh.root_element()).contains("2012年2月20日"), "never the plan's date");
    let ld = report(&zh);
    assert_eq!((ld["name"].as_str(), ld["datePublished"].as_str()), (Some("测试：2012年科技工作总结"), Some("2013-01-21")));
    assert_eq!(ld["publisher"]["name"], "测试科技厅");
    // The foreword follows the cover, before the contents.
    assert_eq!(one(&zh, ".foreword-text"), "2012年工作总结的前言（测试）。");
    let body = zh.root_element().html();
    let (cover, foreword, contents) = (
        body.find("class=\"cover ").unwrap(),
        body.find("class=\"foreword\"").unwrap(),
        body.find("class=\"contents").unwrap_or(usize::MAX),
    );
    assert!(cover < foreword && foreword < contents, "{cover} {foreword} {contents}");
    let en = page("en/reports/summary-2011/index.html");
    assert_eq!(one(&en, ".cover-title"), "Test: Summary of S&T Work 2011");
    assert_eq!(one(&en, ".foreword-text"), "Foreword of the 2011 summary (test).");
    let bilingual = page("reports/summary-2012-bilingual/index.html");
    assert_eq!(texts(&bilingual, ".cover-title"), ["测试：2012年科技工作总结", "Test: Summary of S&T Work 2012"]);
    assert_eq!(attrs(&bilingual, ".foreword-text", "lang"), ["zh-Hans", "en"]);
    // The results page links the booklet by its title.
    let results = page("en/results/2012/index.html");
    assert!(texts(&results, "a").iter().any(|a| a == "Test: Summary of S&T Work 2012"), "{:?}", texts(&results, "a"));
}

#[test]
fn a_summary_without_front_matter_is_the_years_dated_by_its_newest_result() {
    let zh = page("zh/reports/summary-2013/index.html");
    assert_eq!(one(&zh, "head > title"), "2013年年终总结");
    assert_eq!(one(&zh, ".cover-title"), "2013年年终总结");
    // fair-2013 (2013-06-12) is the year's only result: never the plan's 2013-02-25.
    assert_eq!(texts(&zh, ".cover-facts dd")[1], "2013年6月12日");
    assert_eq!(report(&zh)["datePublished"], "2013-06-12");
    assert!(zh.select(&sel(".foreword")).next().is_none());
    let en = page("en/reports/summary-2013/index.html");
    assert_eq!(one(&en, ".cover-title"), "2013 year-end summary");
    assert!(!one(&en, "head > title").contains("plan"));
    let plan_title = one(&page("en/plan/2013/index.html"), "h1");
    assert!(!text(en.root_element()).contains(&format!("{plan_title} ·")), "the plan's title is not the summary's");
}

/// The `<loc>`s of a sitemap.
fn locs(sitemap: &str) -> Vec<String> {
    sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap().to_owned()).collect()
}

#[test]
fn the_sitemap_lists_every_booklet() {
    let (root, out) = built();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let base = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    let base = base.lines().find_map(|l| l.strip_prefix("base_url:")).unwrap().trim().trim_matches('"').trim_end_matches('/').to_owned();
    let locs = locs(&sitemap);
    for year in [2011, 2012, 2013] {
        for kind in ["plan", "summary"] {
            for lang in ["zh", "en"] {
                let loc = format!("{base}/{lang}/reports/{kind}-{year}/");
                assert!(locs.contains(&loc), "{loc} not in {locs:?}");
            }
            let loc = format!("{base}/reports/{kind}-{year}-bilingual/");
            assert!(locs.contains(&loc), "{loc} not in {locs:?}");
        }
    }
    // A language's edition names its counterpart; no PDF was printed by `build`.
    assert!(sitemap.contains(&format!(r#"hreflang="en" href="{base}/en/reports/summary-2012/""#)));
    assert!(!sitemap.contains(".pdf"));
}

fn pdf_title(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap_or_else(|| panic!("no Title in {info}")).trim().to_owned()
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn printed_summaries_are_titled_by_their_front_matter_and_listed_in_the_sitemap() {
    let install = "apt-get install chromium poppler-utils fonts-wqy-zenhei fonts-dejavu (see .ci/run)";
    common::tool(&["chromium", "chromium-browser", "google-chrome"], install);
    common::tool(&["pdfinfo"], install);
    common::tool(&["pdftotext"], install);
    let root = &built().0;
    for (year, lang, pdf, title) in [
        ("2012", "zh", "zh/reports/summary-2012/summary-2012-zh.pdf", "测试：2012年科技工作总结"),
        ("2013", "en", "en/reports/summary-2013/summary-2013-en.pdf", "2013 year-end summary"),
    ] {
        let out = root.join(format!("pdf-{year}"));
        let run =
            common::planpress(&["pdf", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--year", year, "--lang", lang]);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(pdf_title(&out.join(pdf)), title);
        // The foreword (2012 has one) has the page after the cover; 2013 goes on to the contents.
        let second = Command::new("pdftotext").args(["-f", "2", "-l", "2"]).arg(out.join(pdf)).arg("-").output().unwrap();
        let second = String::from_utf8_lossy(&second.stdout).into_owned();
        let expected = if year == "2012" { "2012年工作总结的前言（测试）。" } else { "Contents" };
        assert!(second.replace(' ', "").contains(&expected.replace(' ', "")), "page 2 of {pdf}:\n{second}");
        let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
        let file = pdf.rsplit('/').next().unwrap();
        assert!(locs(&sitemap).iter().any(|l| l.ends_with(&format!("/{pdf}"))), "{file} not in the sitemap");
    }
}
