//! The HTML booklets: every task, partner and metric value present, in order, with `lang` set.

mod common;

use std::collections::BTreeMap;

use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The example built once (unminified) for every test of this file: they only read it.
fn built() -> &'static std::path::Path {
    &common::example_built(&["--no-minify"]).out
}

fn page(out: &std::path::Path, rel: &str) -> (String, Html) {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let html = Html::parse_document(&text);
    (text, html)
}

/// Text of the page with tags and whitespace removed, for "appears in order" checks.
fn flat(html: &Html) -> String {
    html.root_element().text().collect::<String>().chars().filter(|c| !c.is_whitespace()).collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_in_order(haystack: &str, needles: &[String], what: &str) {
    let mut from = 0;
    for n in needles {
        let n = squash(n);
        match haystack[from..].find(&n) {
            Some(i) => from += i + n.len(),
            None => panic!("{what}: {n:?} missing or out of order"),
        }
    }
}

/// Task titles of a language, in plan order, from the site's own plan page.
fn task_titles(out: &std::path::Path, lang: &str) -> Vec<String> {
    let (_, html) = page(out, &format!("{lang}/plan/2011/index.html"));
    let mut titles = Vec::new();
    for slug in [
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
    ] {
        let (_, task) = page(out, &format!("{lang}/plan/2011/{slug}/index.html"));
        let h1: String = task.select(&sel("main h1")).next().unwrap().text().collect();
        titles.push(h1.trim().trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace()).to_owned());
    }
    assert!(html.select(&sel("main")).next().is_some());
    titles
}

fn partner_names(out: &std::path::Path, lang: &str) -> Vec<String> {
    let dir = common::repo().join("content/partners");
    let mut ids: Vec<(u32, String)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let id = name.strip_suffix(".yaml")?.to_owned();
            let text = std::fs::read_to_string(common::repo().join("content/partners").join(&name)).unwrap();
            let order = text.lines().find_map(|l| l.strip_prefix("order:")).unwrap().trim().parse().unwrap();
            Some((order, id))
        })
        .collect();
    ids.sort();
    ids.into_iter()
        .map(|(_, id)| {
            let (_, p) = page(out, &format!("{lang}/partners/{id}/index.html"));
            p.select(&sel("main h1")).next().unwrap().text().collect::<String>().trim().to_owned()
        })
        .collect()
}

#[test]
fn plan_booklets_have_every_task_and_partner_in_order() {
    let out = built();
    for (lang, tag) in [("zh", "zh-Hans"), ("en", "en")] {
        let rel = format!("{lang}/reports/plan-2011/index.html");
        let (_, html) = page(out, &rel);
        assert_eq!(html.select(&sel("html")).next().unwrap().value().attr("lang"), Some(tag), "{rel}");
        let text = flat(&html);
        assert_in_order(&text, &task_titles(out, lang), &rel);
        assert_in_order(&text, &partner_names(out, lang), &rel);
        let ids: Vec<&str> = html.select(&sel("section.chapter[id]")).map(|s| s.value().attr("id").unwrap()).collect();
        assert_eq!(ids, ["preamble", "tasks", "partners", "colophon"], "{rel}");
        for id in &ids {
            assert!(html.select(&sel(&format!("a[href=\"#{id}\"]"))).next().is_some(), "{rel}: contents entry for #{id}");
        }
        assert!(html.select(&sel("[style*=\"page: cover\"], .cover")).next().is_some(), "{rel}: cover");
    }
}

#[test]
fn bilingual_booklet_pairs_languages_task_by_task_each_with_its_lang() {
    let out = built();
    let rel = "reports/plan-2011-bilingual/index.html";
    let (_, html) = page(out, rel);
    let zh = task_titles(out, "zh");
    let en = task_titles(out, "en");
    let interleaved: Vec<String> = zh.iter().zip(&en).flat_map(|(a, b)| [a.clone(), b.clone()]).collect();
    assert_in_order(&flat(&html), &interleaved, rel);
    // Each title sits inside an element whose lang is its language.
    for (titles, tag) in [(&zh, "zh-Hans"), (&en, "en")] {
        let runs: String = html.select(&sel(&format!("[lang=\"{tag}\"]"))).flat_map(|e| e.text()).collect();
        let runs = squash(&runs);
        for t in titles {
            assert!(runs.contains(&squash(t)), "{rel}: {t} not inside lang={tag}");
        }
    }
}

#[test]
fn summary_booklets_have_every_metric_value_and_the_illustrative_note() {
    let out = built();
    for lang in ["zh", "en"] {
        let rel = format!("{lang}/reports/summary-2011/index.html");
        let (_, html) = page(out, &rel);
        let text = flat(&html);
        // The site's results page lists every metric total; the booklet's annex must show each.
        let (_, results) = page(out, &format!("{lang}/results/2011/index.html"));
        let mut rows = 0;
        for row in results.select(&sel("main table tr")) {
            let cells: Vec<String> = row.select(&sel("th, td")).map(|c| squash(&c.text().collect::<String>())).collect();
            if cells.len() == 2 && cells[1].chars().any(|c| c.is_ascii_digit()) {
                assert!(text.contains(&cells[0]) && text.contains(&cells[1]), "{rel}: metric {} = {} missing", cells[0], cells[1]);
                rows += 1;
            }
        }
        assert!(rows >= 10, "{rel}: only {rows} metric rows checked");
        assert!(html.select(&sel(".illustrative")).next().is_some(), "{rel}: illustrative note");
        assert!(html.select(&sel("figure svg title")).count() >= 3, "{rel}: charts with titles");
        assert_in_order(&text, &task_titles(out, lang), &rel);
    }
}

#[test]
fn booklets_are_linked_from_plan_and_results_pages() {
    let out = built();
    let (plan, _) = page(out, "en/plan/2011/index.html");
    assert!(plan.contains("reports/plan-2011/") && plan.contains("reports/plan-2011-bilingual/"));
    let (results, _) = page(out, "zh/results/2011/index.html");
    assert!(results.contains("reports/summary-2011/") && results.contains("reports/summary-2011-bilingual/"));
}

#[test]
fn home_and_results_pages_show_the_charts_with_their_numbers() {
    let out = built();
    for lang in ["zh", "en"] {
        for rel in [format!("{lang}/index.html"), format!("{lang}/results/2011/index.html")] {
            let (_, html) = page(out, &rel);
            let svg = html.select(&sel("figure svg[role=img]")).next().unwrap_or_else(|| panic!("{rel}: no chart"));
            let title: String = svg.select(&sel("title")).flat_map(|t| t.text()).collect();
            assert!(!title.trim().is_empty(), "{rel}: chart without a title");
            assert!(svg.select(&sel("desc")).next().is_some(), "{rel}: chart without a description");
            // In `style`, so that no stylesheet rule by `lang` replaces the font it was measured in.
            assert!(svg.value().attr("style").is_some_and(|f| f.contains("font-family:") && f.len() > 14), "{rel}: chart fonts not named");
            assert!(svg.value().attr("lang").is_some_and(|l| l.starts_with(lang)), "{rel}: chart without its lang");
        }
    }
}

/// The languages (`lang` tags) of the cover's editions of a built booklet.
fn cover_langs(out: &std::path::Path, rel: &str) -> Vec<String> {
    let (_, html) = page(out, rel);
    html.select(&sel(".cover-edition")).map(|e| e.value().attr("lang").unwrap().to_owned()).collect()
}

fn title_of(out: &std::path::Path, rel: &str) -> String {
    let (_, html) = page(out, rel);
    html.select(&sel("title")).next().unwrap().text().collect()
}

const UG: &str = "  - {code: ug, name: ئۇيغۇرچە, tag: ug, dir: rtl}\n";
const EN_LINE: &str = "  - {code: en, name: English, tag: en, dir: ltr}\n";

#[test]
fn a_third_language_never_adds_a_column_to_the_bilingual_booklets() {
    let site = common::Site::example();
    site.edit("content/site.yaml", EN_LINE, &format!("{EN_LINE}{UG}"));
    site.edit("content/site.yaml", "bilingual: [zh, en]\n", "");
    site.build(&[]).assert_ok();
    let out = site.path("public");
    for rel in ["reports/plan-2011-bilingual/index.html", "reports/summary-2011-bilingual/index.html"] {
        // Without `bilingual:`, the pair is the first two languages.
        assert_eq!(cover_langs(&out, rel), ["zh-Hans", "en"], "{rel}");
        assert!(title_of(&out, rel).contains("中英对照版"), "{rel}: {}", title_of(&out, rel));
        let (text, _) = page(&out, rel);
        assert!(!text.contains("lang=\"ug\""), "{rel}: the third language is in the bilingual booklet");
    }
}

#[test]
fn the_bilingual_pair_comes_from_site_yaml_and_names_the_booklet() {
    let site = common::Site::example();
    site.edit("content/site.yaml", EN_LINE, &format!("{EN_LINE}{UG}"));
    site.edit("content/site.yaml", "bilingual: [zh, en]", "bilingual: [zh, ug]");
    site.build(&[]).assert_ok();
    let out = site.path("public");
    let rel = "reports/plan-2011-bilingual/index.html";
    assert_eq!(cover_langs(&out, rel), ["zh-Hans", "ug"]);
    let (text, html) = page(&out, rel);
    let title = title_of(&out, rel);
    assert!(title.contains("中文—ئۇيغۇرچە对照版") && !title.contains("中英"), "{title}");
    let chapters: Vec<String> = html.select(&sel(".toc-title .title-part")).map(|p| p.value().attr("lang").unwrap().to_owned()).collect();
    assert_eq!(&chapters[..2], ["zh-Hans", "ug"], "each chapter title in the pair's languages");
    assert!(!text.contains("lang=\"en\""), "English is not in a zh+ug booklet");
    // The site's links to it say the pair too.
    let (plan, _) = page(&out, "zh/plan/2011/index.html");
    assert!(plan.contains("年度计划手册 · 中文—ئۇيغۇرچە对照版") && !plan.contains("中英对照版"), "zh/plan/2011: link titles");
}

#[test]
fn a_bad_bilingual_pair_is_reported_in_english_and_chinese() {
    for (pair, en, zh) in [
        ("[zh, fr]", "unknown language `fr`", "找不到语言 `fr`"),
        ("[zh, zh]", "`bilingual` names `zh` twice", "对照版语言 `bilingual` 两次写了 `zh`"),
        ("[zh]", "`bilingual` must name two languages, not 1", "对照版语言 `bilingual` 列了 1 种语言，应为两种"),
    ] {
        let site = common::Site::example();
        site.edit("content/site.yaml", "bilingual: [zh, en]", &format!("bilingual: {pair}"));
        let run = site.build(&[]);
        assert_ne!(run.code, 0, "{pair} accepted");
        assert!(run.stderr.contains(en) && run.stderr.contains("site.yaml"), "{pair}: {}", run.stderr);
        let args = ["build", "--root", site.root().to_str().unwrap()];
        let run = common::planpress_with_locale(&args, "zh_CN.UTF-8");
        assert!(run.stderr.contains(zh), "{pair}: {}", run.stderr);
    }
}

/// `--name: value` of the first `:root { … }` block of a stylesheet, and the text outside it.
fn palette(css: &str) -> (BTreeMap<String, String>, String) {
    let start = css.find(":root {").expect(":root block");
    let end = start + css[start..].find('}').unwrap();
    let vars = css[start..end]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--"))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.split(';').next().unwrap().trim().to_owned()))
        .collect();
    (vars, format!("{}{}", &css[..start], &css[end..]))
}

/// Raw colours written in CSS: `#rgb`… `#rrggbbaa`, `rgb()`/`rgba()`, `hsl()`/`hsla()`, comments left out.
fn raw_colours(css: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    text.push_str(rest);
    let mut found = Vec::new();
    for (i, _) in text.match_indices('#') {
        let hex: String = text[i + 1..].chars().take_while(char::is_ascii_hexdigit).collect();
        if [3, 4, 6, 8].contains(&hex.len()) {
            found.push(format!("#{hex}"));
        }
    }
    for f in ["rgb(", "rgba(", "hsl(", "hsla("] {
        found.extend(text.match_indices(f).filter(|(i, _)| !text[..*i].ends_with(char::is_alphanumeric)).map(|(_, m)| m.to_owned()));
    }
    found
}

#[test]
fn print_css_colours_all_come_from_the_palette_shared_with_style_css_and_the_charts() {
    let theme = common::repo().join("themes/default/static");
    let print = std::fs::read_to_string(theme.join("print.css")).unwrap();
    let style = std::fs::read_to_string(theme.join("style.css")).unwrap();
    let (print_palette, print_rest) = palette(&print);
    let (style_palette, _) = palette(&style);
    assert!(print_palette.len() >= 30, "palette of print.css: {print_palette:?}");
    assert_eq!(raw_colours(&print_rest), Vec::<String>::new(), "raw colours in print.css outside its palette");
    assert!(raw_colours(&print).len() >= print_palette.len(), "the counter finds the palette's own colours");
    for (name, value) in &print_palette {
        assert_eq!(style_palette.get(name), Some(value), "--{name} differs between print.css and style.css");
        assert!(print_rest.contains(&format!("var(--{name})")), "--{name} is never used in print.css");
    }
    // The charts draw with classes that both stylesheets colour from the palette.
    let chart = &common::example_built(&["--no-minify"]).out;
    let (svg, _) = page(chart, "zh/reports/summary-2011/index.html");
    for class in ["series-0", "series-1", "hatch-line", "axis-line", "scale-rule"] {
        assert!(svg.contains(&format!("class=\"{class}\"")) || svg.contains(&format!("class=\"bar {class}\"")), "charts have no .{class}");
        for (name, css) in [("print.css", &print), ("style.css", &style)] {
            assert!(css.contains(&format!(".chart .{class} {{")), "{name} does not colour .{class}");
        }
    }
}

/// The booklets of `kind` in every edition: each language's and the bilingual one.
fn editions_of(kind: &str) -> [String; 3] {
    [
        format!("zh/reports/{kind}-2011/index.html"),
        format!("en/reports/{kind}-2011/index.html"),
        format!("reports/{kind}-2011-bilingual/index.html"),
    ]
}

#[test]
fn overriding_one_block_or_one_chapter_changes_it_in_every_edition() {
    let site = common::Site::example();
    let default = common::repo().join("themes/default/templates/booklet");
    // One block: the task of the plan, with a marker naming the task.
    let task = std::fs::read_to_string(default.join("_task.html")).unwrap();
    let marked = task.replacen("<article class=\"task\"", "<p class=\"own-task\">{{ task.slug }}</p>\n<article class=\"task\"", 1);
    assert_ne!(task, marked, "_task.html has its article");
    site.write("themes/default/templates/booklet/_task.html", &marked);
    // One chapter: the summary's annex, replaced outright.
    site.write("themes/default/templates/booklet/summary/annex.html", "<p class=\"own-annex\">{{ editions | length }}</p>\n");
    site.build(&[]).assert_ok();
    let out = site.path("public");
    let tasks = task_titles(&out, "zh").len();
    for rel in editions_of("plan") {
        let (_, html) = page(&out, &rel);
        let marks: Vec<String> = html.select(&sel(".own-task")).map(|p| p.text().collect()).collect();
        assert_eq!(marks.len(), tasks, "{rel}: the overridden task block in every task");
        assert_eq!(marks.first().map(String::as_str), Some("st-assistance"), "{rel}");
        assert_eq!(html.select(&sel("article.task")).count(), tasks, "{rel}: the rest of the block kept");
    }
    for (rel, editions) in editions_of("summary").iter().zip(["1", "1", "2"]) {
        let (_, html) = page(&out, rel);
        let annex = html.select(&sel("section#annex")).next().unwrap_or_else(|| panic!("{rel}: no annex"));
        let own: Vec<String> = annex.select(&sel(".own-annex")).map(|p| p.text().collect()).collect();
        assert_eq!(own, [editions], "{rel}: the overridden chapter, given its editions");
        assert!(annex.select(&sel("figure")).next().is_none(), "{rel}: the default annex is gone");
        assert!(html.select(&sel("section#results article.result")).count() > 5, "{rel}: other chapters kept");
    }
}

#[test]
fn the_across_filter_pairs_rows_of_the_editions_without_indexing() {
    let site = common::Site::example();
    site.write("themes/default/templates/booklet/plan/colophon.html", "<p class=\"pairs\">{% for ts in editions | across(key=\"tasks\") %}{% set a = ts | first %}{% set b = ts | last %}{{ ts | length }}{{ a.slug == b.slug and a.number == loop.index }};{% endfor %}</p>\n");
    site.build(&[]).assert_ok();
    let out = site.path("public");
    for (rel, n) in editions_of("plan").iter().zip([1, 1, 2]) {
        let (_, html) = page(&out, rel);
        let text: String = html.select(&sel(".pairs")).next().unwrap().text().collect();
        assert_eq!(text, format!("{n}true;").repeat(11), "{rel}: one row per task, the same task in each edition");
    }
}
