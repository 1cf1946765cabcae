//! Long lists (issue 17 items 2 and 3): a year's results and a partner's results split into
//! pages of `page_size`, with `rel=prev/next` and the first page at the list's own address; the
//! summary booklet of a year of more results than `print.summary_full_texts` lists them instead
//! of reprinting every text.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::Site;

/// The example with one result a page and the booklet listing above three results; Shanghai
/// given a second 2011 result so that a partner has two pages. Built once, unminified.
fn paged() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = Site::example();
        site.edit("content/site.yaml", "print: {paper: a4}", "print: {paper: a4, summary_full_texts: 3}\npage_size: 1");
        site.edit(
            "content/results/2011/st-aid-fair.yaml",
            "partners: [beijing, jiangsu, guangdong]",
            "partners: [beijing, jiangsu, guangdong, shanghai]",
        );
        site.build(&["--no-minify"]).assert_ok();
        site
    })
}

fn page(site: &Site, url: &str) -> String {
    std::fs::read_to_string(site.path("public").join(url).join("index.html")).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// The links of the rows of a results table (`<th scope="row"><a href="…">`).
fn row_links(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_owned()).collect()
}

fn results_2011() -> BTreeSet<String> {
    std::fs::read_dir(common::repo().join("content/results/2011"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_owned))
        .filter(|n| n != "summary")
        .collect()
}

#[test]
fn a_years_results_are_split_into_pages_with_prev_and_next() {
    let site = paged();
    let slugs = results_2011();
    assert_eq!(slugs.len(), 8, "the example's 2011 results changed: update this test");
    let mut listed = BTreeSet::new();
    for n in 1..=8 {
        let url = if n == 1 { "zh/results/2011".to_owned() } else { format!("zh/results/2011/page/{n}") };
        let html = page(site, &url);
        let links = row_links(&html);
        assert_eq!(links.len(), 1, "{url} lists {links:?}");
        listed.extend(links.iter().map(|l| l.trim_end_matches('/').rsplit('/').next().unwrap().to_owned()));
        // rel=prev/next in the head and in the page links, page 1 at the list's own address.
        let prev = match n {
            1 => None,
            2 => Some("zh/results/2011/".to_owned()),
            _ => Some(format!("zh/results/2011/page/{}/", n - 1)),
        };
        let next = (n < 8).then(|| format!("zh/results/2011/page/{}/", n + 1));
        for (rel, want) in [("prev", prev), ("next", next)] {
            let head = format!("<link rel=\"{rel}\" href=\"");
            let nav = format!("<a rel=\"{rel}\" href=\"");
            match want {
                Some(target) => {
                    for tag in [&head, &nav] {
                        let at = html.find(tag.as_str()).unwrap_or_else(|| panic!("{url}: no {tag}"));
                        let href = &html[at + tag.len()..];
                        assert!(href[..href.find('"').unwrap()].ends_with(&target), "{url}: {rel} is {}", &href[..60]);
                    }
                }
                None => assert!(!html.contains(&head) && !html.contains(&nav), "{url} has a {rel} link"),
            }
        }
        assert!(html.contains(&format!("第 {n}–{n} 条，共 8 条")), "{url}: no status line");
        // The year's sums and charts are on its first page only.
        assert_eq!(html.contains("id=\"totals\""), n == 1, "{url}: totals");
        if n > 1 {
            assert!(html.contains(&format!("（第 {n} 页）")), "{url}: the title does not name its page");
        }
    }
    assert_eq!(listed, slugs, "the pages together list every result once");
    assert!(!site.path("public/zh/results/2011/page/9").exists());
    assert!(!site.path("public/zh/results/2011/page/1").exists(), "page 1 is the list's own address, not page/1/");
    let sitemap = std::fs::read_to_string(site.path("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/kjt/en/results/2011/page/8/"));
    let en = page(site, "en/results/2011/page/2");
    assert!(en.contains("<title>Year-end results 2011 (page 2) · "), "English title of page 2");
    assert!(en.contains("2–2 of 8"));
}

#[test]
fn a_partners_results_are_split_with_its_tasks_on_the_first_page() {
    let site = paged();
    let first = page(site, "zh/partners/shanghai");
    let second = page(site, "zh/partners/shanghai/page/2");
    assert!(first.contains("<a rel=\"next\" href=\"../../../zh/partners/shanghai/page/2/\""), "first page's next link");
    assert!(second.contains("<a rel=\"prev\" href=\"../../../../../zh/partners/shanghai/\""), "second page's prev link");
    assert!(first.contains("id=\"related-tasks-2011\""), "tasks on the first page");
    assert!(!second.contains("id=\"related-tasks-2011\""), "tasks only on the first page");
    let count = |html: &str| html.matches("<time datetime=\"2011-").count();
    assert_eq!((count(&first), count(&second)), (1, 1));
    assert!(!site.path("public/zh/partners/shanghai/page/3").exists());
    // A partner of one result has one page and no page links.
    let jiangsu = page(site, "zh/partners/jiangsu");
    assert!(!jiangsu.contains("class=\"pagination\"") && !site.path("public/zh/partners/jiangsu/page").exists());
}

#[test]
fn a_summary_of_more_results_than_it_reprints_lists_them_with_their_addresses() {
    let site = paged();
    let body_line = "academician-workstations";
    let listed = page(site, "zh/reports/summary-2011");
    assert!(listed.contains("class=\"data result-list"), "no result list");
    assert!(listed.contains("本年度共有 8 项成果"), "the lead does not say how many");
    for slug in results_2011() {
        assert!(listed.contains(&format!("<tr id=\"result-{slug}\">")), "{slug}: no row with its anchor");
        assert!(listed.contains(&format!("https://example.org/kjt/zh/results/2011/{slug}/")), "{slug}: no address");
    }
    assert!(!listed.contains("<article class=\"result\""), "texts reprinted although listed");
    let bilingual = page(site, "reports/summary-2011-bilingual");
    assert!(bilingual.contains("class=\"data result-list bilingual-table\""));
    // One address a row, the first language's, as its title comes first.
    assert!(bilingual.contains(&format!("https://example.org/kjt/zh/results/2011/{body_line}/")));

    // The example itself (8 results, default 100) reprints every text, and so does `all`.
    let full = common::example_built(&[]);
    let html = std::fs::read_to_string(full.out.join("zh/reports/summary-2011/index.html")).unwrap();
    // (minified: attributes may lose their quotes)
    assert!(html.matches("<article ").count() >= 8 && !html.contains("result-list"), "the example's summary lists its results");
    let all = Site::example();
    all.edit("content/site.yaml", "print: {paper: a4}", "print: {paper: a4, summary_full_texts: all}\npage_size: 1");
    all.build(&["--no-minify"]).assert_ok();
    let html = all.read("public/zh/reports/summary-2011/index.html");
    assert!(html.contains("<article class=\"result\"") && !html.contains("class=\"data result-list"));
}

#[test]
fn bad_list_settings_are_errors_at_their_line() {
    for (setting, needle) in [("page_size: 0", "page_size"), ("print: {paper: a4, summary_full_texts: some}", "summary_full_texts")] {
        let site = Site::example();
        let text = site.read("content/site.yaml").replace("print: {paper: a4}", &format!("{setting}\n"));
        site.write("content/site.yaml", &text);
        let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let run = site.build(&["--lang", "en"]);
        assert_eq!(run.code, 1, "{setting}: {run:?}");
        assert!(run.stderr.contains(&format!("content/site.yaml:{line}:")), "{setting}: no file:line in {}", run.stderr);
    }
}
