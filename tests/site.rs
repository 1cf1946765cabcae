//! The example site built end to end into a temp dir: page set, links, languages, sub-paths,
//! determinism, Chinese Markdown.

mod common;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use common::{html_files, tree, Site};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The example built once for the tests of this file that only read the output.
fn built() -> &'static Path {
    &common::example_built(&[]).out
}

fn doc(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

const TASKS: [&str; 11] = [
    "st-assistance",
    "major-projects",
    "high-tech",
    "agriculture",
    "livelihoods",
    "resources-environment",
    "innovation-system",
    "talent",
    "international",
    "st-revitalisation",
    "intellectual-property",
];

#[test]
fn builds_every_page_in_both_languages() {
    let built = common::example_built(&[]);
    let summary = built.run.stdout.lines().last().unwrap();
    assert!(summary.starts_with("built ") && summary.contains("(zh ") && summary.contains(", en ") && summary.contains(" ms"), "{summary}");
    let out = &built.out;
    let partners: Vec<String> = std::fs::read_dir(built.root.join("content/partners"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    assert_eq!(partners.len(), 21, "19 supporters + 2");
    let results: Vec<String> = std::fs::read_dir(built.root.join("content/results/2011"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    assert!(results.len() >= 5);
    for lang in ["zh", "en"] {
        let mut expected = vec![
            format!("{lang}/index.html"),
            format!("{lang}/plan/index.html"),
            format!("{lang}/plan/2011/index.html"),
            format!("{lang}/partners/index.html"),
            format!("{lang}/results/index.html"),
            format!("{lang}/results/2011/index.html"),
            format!("{lang}/about/index.html"),
            format!("{lang}/contact/index.html"),
            format!("{lang}/periods/12th-five-year/index.html"),
            format!("{lang}/data/index.html"),
        ];
        expected.extend(TASKS.iter().map(|t| format!("{lang}/plan/2011/{t}/index.html")));
        expected.extend(partners.iter().map(|p| format!("{lang}/partners/{p}/index.html")));
        expected.extend(results.iter().map(|r| format!("{lang}/results/2011/{r}/index.html")));
        for file in expected {
            assert!(out.join(&file).is_file(), "missing {file}");
        }
    }
    for file in ["index.html", "404.html", "sitemap.xml", "robots.txt"] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let fingerprinted: Vec<String> = std::fs::read_dir(out.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css") && n.len() == "style.12345678.css".len())
        .collect();
    assert_eq!(fingerprinted.len(), 1, "one fingerprinted stylesheet: {fingerprinted:?}");
    let pages = 2 * (10 + 11 + partners.len() + results.len());
    assert!(summary.starts_with(&format!("built {pages} pages")), "{summary}");
}

/// Resolves `href` found in `from` (a path relative to the output root) to a file.
fn resolve(from: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:") || href.starts_with("data:") {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap();
    let mut target = if path.is_empty() { PathBuf::from(from) } else { Path::new(from).parent().unwrap().join(path) };
    if path.ends_with('/') || path.is_empty() && from.ends_with('/') {
        target.push("index.html");
    }
    let mut parts: Vec<String> = Vec::new();
    for c in target.components() {
        match c {
            Component::ParentDir => {
                assert!(parts.pop().is_some(), "{href} in {from} escapes the site")
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    Some((parts.join("/"), fragment))
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let out = built();
    let files = tree(out);
    let mut checked = 0;
    for page in html_files(out) {
        if page == "404.html" {
            continue; // links from the base path; checked in `not_found_page_links_from_the_base_path`
        }
        let html = doc(out, &page);
        for (selector, attr) in [("a[href]", "href"), ("link[href]", "href"), ("img[src]", "src"), ("script[src]", "src")] {
            for el in html.select(&sel(selector)) {
                let href = el.value().attr(attr).unwrap();
                let rel = el.value().attr("rel").unwrap_or("");
                if rel == "canonical" || rel == "alternate" {
                    continue;
                }
                let Some((target, fragment)) = resolve(&page, href) else {
                    continue;
                };
                assert!(files.contains_key(&target), "{page}: link {href} → {target} does not exist");
                if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                    let target_doc = doc(out, &target);
                    let found = target_doc.select(&sel(&format!("[id=\"{id}\"]"))).next().is_some();
                    assert!(found, "{page}: anchor #{id} not found in {target}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn every_page_has_lang_dir_switch_and_hreflang() {
    let out = built();
    let tags = [("zh", "zh-Hans"), ("en", "en")];
    for page in html_files(out) {
        let Some((lang, rest)) = page.split_once('/') else {
            continue;
        };
        let html = doc(out, &page);
        let Some(&(_, tag)) = tags.iter().find(|(c, _)| *c == lang) else {
            // The bilingual booklets live outside the language folders and link to each language's edition.
            assert!(rest.ends_with("-bilingual/index.html"), "{page} is in no language folder");
            let kind = rest.trim_end_matches("-bilingual/index.html");
            for (code, other_tag) in tags {
                let edition = format!("{code}/reports/{kind}/index.html");
                let found = html
                    .select(&sel(&format!("a[hreflang=\"{other_tag}\"]")))
                    .filter_map(|a| resolve(&page, a.value().attr("href").unwrap()))
                    .any(|(t, _)| t == edition);
                assert!(found, "{page}: no link to the {code} edition {edition}");
            }
            continue;
        };
        let root = html.select(&sel("html")).next().unwrap();
        assert_eq!(root.value().attr("lang"), Some(tag), "{page}");
        assert_eq!(root.value().attr("dir"), Some("ltr"), "{page}");
        for (other, other_tag) in tags.iter().filter(|(c, _)| *c != lang) {
            let counterpart = format!("{other}/{rest}");
            assert!(out.join(&counterpart).is_file(), "{page} has no counterpart {counterpart}");
            let switch: Vec<_> = html
                .select(&sel(&format!("a[hreflang=\"{other_tag}\"]")))
                .filter_map(|a| resolve(&page, a.value().attr("href").unwrap()))
                .map(|(t, _)| t)
                .collect();
            assert!(switch.contains(&counterpart), "{page}: no language switch to {counterpart} (found {switch:?})");
        }
        let alternates: BTreeSet<String> =
            html.select(&sel("link[rel=alternate][hreflang]")).map(|l| l.value().attr("hreflang").unwrap().to_owned()).collect();
        assert_eq!(alternates, ["en", "x-default", "zh-Hans"].map(String::from).into_iter().collect(), "{page}");
        let canonical = html.select(&sel("link[rel=canonical]")).next().unwrap().value().attr("href").unwrap();
        assert_eq!(canonical, format!("https://example.org/kjt/{}", page.trim_end_matches("index.html")), "{page}");
        assert!(html.select(&sel("meta[name=description]")).next().is_some(), "{page}");
        assert!(html.select(&sel("title")).next().is_some_and(|t| !t.text().collect::<String>().trim().is_empty()), "{page}");
        assert!(
            html.select(&sel("a[href=\"#main\"]")).next().is_some() && html.select(&sel("main#main")).next().is_some(),
            "{page}: skip link"
        );
    }
}

#[test]
fn tasks_partners_and_results_link_both_ways() {
    let out = built();
    let links = |rel: &str| -> BTreeSet<String> {
        doc(out, rel).select(&sel("main a[href]")).filter_map(|a| resolve(rel, a.value().attr("href").unwrap())).map(|(t, _)| t).collect()
    };
    let home = links("en/index.html");
    for task in TASKS {
        assert!(home.contains(&format!("en/plan/2011/{task}/index.html")), "home misses task {task}");
    }
    assert!(links("en/plan/2011/st-assistance/index.html").contains("en/partners/beijing/index.html"));
    assert!(links("en/partners/beijing/index.html").contains("en/plan/2011/st-assistance/index.html"));
    // Every result links to its tasks, and every task page links back to its results.
    for (path, _) in tree(&out.join("en/results/2011")).iter().filter(|(p, _)| p.contains('/')) {
        let rel = format!("en/results/2011/{path}");
        for target in links(&rel).into_iter().filter(|t| t.starts_with("en/plan/2011/") && t != "en/plan/2011/index.html") {
            let back = links(&target);
            assert!(back.contains(&rel), "{target} does not link back to {rel}");
        }
    }
}

#[test]
fn results_are_marked_illustrative_wherever_they_appear() {
    let out = built();
    for lang in ["zh", "en"] {
        let mut pages = vec![format!("{lang}/index.html"), format!("{lang}/results/2011/index.html")];
        pages.extend(
            tree(&out.join(format!("{lang}/results/2011")))
                .into_keys()
                .filter(|p| p.contains('/'))
                .map(|p| format!("{lang}/results/2011/{p}")),
        );
        for page in pages {
            let html = doc(out, &page);
            assert!(html.select(&sel(".illustrative")).next().is_some(), "{page} has no illustrative note");
        }
    }
}

#[test]
fn localised_dates_and_money() {
    let out = built();
    let zh = std::fs::read_to_string(out.join("zh/plan/2011/index.html")).unwrap();
    let en = std::fs::read_to_string(out.join("en/plan/2011/index.html")).unwrap();
    assert!(zh.contains("2011年2月12日"), "zh date");
    assert!(en.contains("12 February 2011"), "en date");
    let zh_results = std::fs::read_to_string(out.join("zh/results/2011/index.html")).unwrap();
    let en_results = std::fs::read_to_string(out.join("en/results/2011/index.html")).unwrap();
    assert!(zh_results.contains("万元"), "zh money in 万元");
    assert!(en_results.contains("CNY ") && en_results.contains(" million"), "en money in CNY million");
}

/// The shared build against a build of another copy, in another folder: the output depends on
/// the site's content alone, not on the run or on where the site lies.
#[test]
fn two_builds_are_byte_identical() {
    let site = Site::example();
    let b = site.path("b");
    site.build_to(&b, &[]).assert_ok();
    let (ta, tb) = (tree(built()), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn base_url_override_and_sub_path() {
    let site = Site::example();
    site.build(&["--base-url", "https://preview.example.net/pr-7"]).assert_ok();
    let out = site.path("public");
    let html = std::fs::read_to_string(out.join("en/partners/index.html")).unwrap();
    assert!(html.contains("https://preview.example.net/pr-7/en/partners/"), "canonical from --base-url");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://preview.example.net/pr-7/zh/plan/2011/high-tech/</loc>"), "sitemap uses the base url");
    assert!(sitemap.contains("hreflang=\"en\""), "sitemap has hreflang alternates");
    assert!(std::fs::read_to_string(out.join("robots.txt")).unwrap().contains("Sitemap: https://preview.example.net/pr-7/sitemap.xml"));
}

#[test]
fn not_found_page_links_from_the_base_path() {
    let out = built();
    let html = doc(out, "404.html");
    let hrefs: Vec<&str> = html.select(&sel("a[href], link[rel=stylesheet]")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.iter().any(|h| h.starts_with("/kjt/static/style.") && h.ends_with(".css")), "{hrefs:?}");
    assert!(hrefs.contains(&"/kjt/zh/") && hrefs.contains(&"/kjt/en/"), "{hrefs:?}");
    // Bilingual: a visitor who mistyped an English address reads English too.
    let h1: String = html.select(&sel("h1")).next().unwrap().text().collect();
    assert!(h1.contains("页面未找到") && h1.contains("Page not found"), "{h1}");
    let english: Vec<String> = html.select(&sel("main [lang=en]")).map(|e| e.text().collect()).collect();
    assert!(english.iter().any(|t| t.contains("does not exist")), "{english:?}");
    let title: String = html.select(&sel("title")).next().unwrap().text().collect();
    assert!(title.starts_with("页面未找到 · Page not found · "), "{title}");
}

/// Chinese puts the year first: "2011年年终成果", not the English order "年终成果 2011".
#[test]
fn year_results_titles_follow_each_language() {
    let out = built();
    for (page, title) in [("zh/results/2011/index.html", "2011年年终成果"), ("en/results/2011/index.html", "Year-end results 2011")] {
        let html = doc(out, page);
        let h1: String = html.select(&sel("h1")).next().unwrap().text().collect();
        assert_eq!(h1.trim(), title, "{page}");
    }
}

#[test]
fn chinese_markdown_renders_right() {
    let site = Site::example();
    site.edit("content/pages/about.zh.md", "\n---\n", "\n---\n\n**重要。**然后\n\n第一行内容，\n第二行内容。\n\n");
    site.build(&["--no-minify"]).assert_ok();
    let html = site.read("public/zh/about/index.html");
    assert!(html.contains("<strong>重要。</strong>然后"), "CJK emphasis");
    assert!(html.contains("第一行内容，第二行内容。"), "no space between hanzi lines");
    // Minified output keeps it too.
    site.build(&[]).assert_ok();
    assert!(site.read("public/zh/about/index.html").contains("第一行内容，第二行内容。"));
}

#[test]
fn chinese_task_text_is_the_seed_verbatim() {
    let seed = std::fs::read_to_string(common::repo().join("seeds/000_f53abd037be63bad.txt")).unwrap();
    for task in TASKS {
        let body = std::fs::read_to_string(common::repo().join(format!("content/plan/2011/tasks/{task}.zh.md"))).unwrap();
        assert!(seed.contains(body.trim()), "{task}.zh.md is not verbatim from the seed");
    }
}

#[test]
fn raw_html_is_escaped_unless_allowed_then_sanitised() {
    let site = Site::example();
    site.edit("content/pages/about.en.md", "\n---\n", "\n---\n\n<script>alert(1)</script> <b onclick=\"x()\">bold</b>\n\n");
    site.build(&["--no-minify"]).assert_ok();
    let html = site.read("public/en/about/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped by default");
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: true");
    site.build(&["--no-minify"]).assert_ok();
    let html = site.read("public/en/about/index.html");
    assert!(html.contains("<b>bold</b>") && !html.contains("alert(1)") && !html.contains("onclick"), "sanitised when allowed");
}

#[test]
fn a_site_overrides_one_template_of_the_embedded_theme() {
    let site = Site::example();
    let base = std::fs::read_to_string(common::repo().join("themes/default/templates/page.html")).unwrap();
    site.write(
        "themes/default/templates/page.html",
        &base.replacen("{% block content %}", "{% block content %}<p id=\"custom-marker\">custom</p>", 1),
    );
    site.build(&[]).assert_ok();
    assert!(site.read("public/en/about/index.html").contains("custom-marker"));
    assert!(!site.read("public/en/plan/2011/index.html").contains("custom-marker"));
}

#[test]
fn a_sites_i18n_file_overrides_strings_one_by_one() {
    // A site's copy of an i18n file from an older planpress (here: one string only) is laid
    // over the embedded strings key by key: the build works, and the one string shows.
    let site = Site::example();
    site.write("themes/default/i18n/en.yaml", "plan: \"Annual plan\"\n");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("W-translation"), "{}", run.stderr);
    let home = site.read("public/en/index.html");
    assert!(home.contains(">Annual plan</a>"), "the override shows");
    assert!(home.contains(">“19+2” partners</a>"), "the other strings stay");
}

#[test]
fn a_third_right_to_left_language_works_from_data_alone() {
    let site = Site::example();
    site.edit("content/site.yaml", "languages:\n", "languages:\n  - {code: ar, name: العربية, tag: ar, dir: rtl}\n");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stderr.contains("W-translation"), "gaps are warnings: {}", run.stderr);
    let html = doc(&site.path("public"), "ar/plan/2011/high-tech/index.html");
    let root = html.select(&sel("html")).next().unwrap();
    assert_eq!((root.value().attr("lang"), root.value().attr("dir")), (Some("ar"), Some("rtl")));
    assert!(html.select(&sel(".untranslated")).next().is_some(), "fallback note shown");
    let strict = site.build(&["--strict"]);
    assert_eq!(strict.code, 1, "--strict makes gaps errors: {}", strict.stderr);
    assert!(strict.stderr.contains("high-tech.ar.md"), "lists the missing file: {}", strict.stderr);
}

/// The action bar of inner pages: the publication date, print, the booklet and the bilingual
/// edition where the page has them, and a citation with issuer, title, date and permanent URL.
#[test]
fn inner_pages_have_an_action_bar_with_a_citation() {
    let out = built();
    let plan = doc(out, "zh/plan/2011/index.html");
    let bar = plan.select(&sel("main .page-actions")).next().expect("an action bar");
    let date = bar.select(&sel("time")).next().unwrap();
    assert_eq!(date.value().attr("datetime"), Some("2011-02-12"));
    assert!(bar.select(&sel("button.action-print")).next().is_some(), "print (shown where scripts run)");
    let links: Vec<&str> = bar.select(&sel("a.action-link")).filter_map(|a| a.value().attr("href")).collect();
    assert!(links.iter().any(|h| h.ends_with("reports/plan-2011/")), "{links:?}");
    assert!(links.iter().any(|h| h.ends_with("reports/plan-2011-bilingual/")), "{links:?}");
    let cite: String = bar.select(&sel(".cite-text")).next().unwrap().text().collect();
    assert!(cite.starts_with("planpress 示例项目：《新疆维吾尔自治区2011年科技工作要点》，2011年2月12日。"), "{cite}");
    assert!(cite.ends_with("https://example.org/kjt/zh/plan/2011/"), "{cite}");
    let task = doc(out, "en/plan/2011/talent/index.html");
    let cite: String = task.select(&sel(".cite-text")).next().unwrap().text().collect();
    assert!(
        cite.starts_with("the planpress example project. “")
            && cite.contains("(2011).” 12 February 2011. https://example.org/kjt/en/plan/2011/talent/"),
        "{cite}"
    );
    assert!(doc(out, "zh/index.html").select(&sel(".page-actions")).next().is_none(), "not on the home page");
}

/// `updated:` of a record (a free page's `date:` and `updated:` in its front matter) shows under
/// the title beside the publication date, and is the sitemap's `lastmod`; a bad one is an error.
#[test]
fn last_updated_dates_come_from_the_content() {
    let site = Site::example();
    site.edit("content/results/2011/st-aid-fair.yaml", "date: 2011-07-12\n", "date: 2011-07-12\nupdated: 2012-01-15\n");
    site.edit("content/pages/about.en.md", "weight: 1\n", "weight: 1\ndate: 2011-03-01\nupdated: 2011-04-02\n");
    site.build(&["--no-minify"]).assert_ok();
    let result = site.read("public/zh/results/2011/st-aid-fair/index.html");
    assert!(
        result.contains(r#"发布日期：<time datetime="2011-07-12">"#)
            && result.contains(r#"更新日期：<time datetime="2012-01-15">2012年1月15日</time>"#),
        "{result}"
    );
    let about = site.read("public/en/about/index.html");
    assert!(
        about.contains(r#"Published: <time datetime="2011-03-01">"#)
            && about.contains(r#"Last updated: <time datetime="2011-04-02">2 April 2011</time>"#)
    );
    let sitemap = site.read("public/sitemap.xml");
    let entry = sitemap.split("<url>").find(|u| u.contains("/zh/results/2011/st-aid-fair/</loc>")).unwrap();
    assert!(entry.contains("<lastmod>2012-01-15</lastmod>"), "{entry}");
    site.edit("content/results/2011/st-aid-fair.yaml", "updated: 2012-01-15", "updated: 2012-13-15");
    let run = site.build(&[]);
    assert!(run.code == 1 && run.stderr.contains("E-date") && run.stderr.contains("2012-13-15"), "{}", run.stderr);
}
