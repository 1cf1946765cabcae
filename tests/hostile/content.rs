//! Content trust: URLs (Markdown and YAML), heading attributes, numbers, Markdown depth, and raw
//! HTML when a site allows it. A refused input fails the build (exit 1) with an error naming the
//! file, line and column; an accepted one builds and no output file carries script.

use std::path::Path;

use crate::common::{self, Run, Site};

const PAGE: &str = "content/pages/about.zh.md";
/// The heading `about.zh.md` has on line 7; text written after it starts on line 9.
const HEADING: &str = "## 本站是什么\n";
const PARTNER: &str = "content/partners/beijing.yaml";
/// Line 37 of beijing.yaml, the first of its `sources:`, at column 5.
const PARTNER_SOURCE: &str = "  - http://103.249.53.35/zt/szzt/xjgz_1/lgwsm4/xjgz_7/201005/t20100528_1391410.htm";
const PLAN: &str = "content/plan/2011/plan.yaml";
/// Line 10 of plan.yaml, its `source.url`, value at column 8.
const PLAN_URL: &str = "  url: https://most.gov.cn/ztzl/qgkjgzhy/2011/2011zw/201102/t20110212_84745.html";
const RESULT: &str = "content/results/2011/revitalisation-conference.yaml";
const TASK: &str = "content/plan/2011/tasks/high-tech.yaml";

/// The example site with `text` written into the page body on line 9, built.
/// Unminified, so attributes keep the quotes the assertions look for.
fn build_with_body(text: &str) -> (Site, Run) {
    build_with_body_args(text, &["--no-minify"])
}

fn build_with_body_args(text: &str, args: &[&str]) -> (Site, Run) {
    let site = Site::example();
    site.edit(PAGE, HEADING, &format!("{HEADING}\n{text}"));
    let run = site.build(args);
    (site, run)
}

/// The build failed on content (exit 1), with an error `code` at `at` (`file:line:col`), and
/// wrote no output.
fn assert_refused(site: &Site, run: &Run, code: &str, at: &str) {
    assert_eq!(run.code, 1, "expected a content error\nstdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stderr.contains(&format!("error[{code}]")), "no error[{code}] in:\n{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> {at}\n")), "no error at {at} in:\n{}", run.stderr);
    assert!(!site.path("public").exists(), "a failed build wrote output");
}

fn assert_link_refused_in_body(text: &str, at_line: usize, scheme: &str) {
    let (site, run) = build_with_body(text);
    assert_refused(&site, &run, "E-link", &format!("{PAGE}:{at_line}:1"));
    assert!(run.stderr.contains(&format!("`{scheme}:` scheme")), "scheme {scheme} not named in:\n{}", run.stderr);
}

#[test]
fn markdown_inline_javascript_link_is_refused() {
    assert_link_refused_in_body("[点此](javascript:alert(document.cookie))", 9, "javascript");
}

#[test]
fn markdown_image_with_javascript_source_is_refused() {
    assert_link_refused_in_body("![图](javascript:alert(1))", 9, "javascript");
}

#[test]
fn markdown_autolink_with_javascript_is_refused() {
    assert_link_refused_in_body("<javascript:alert(1)>", 9, "javascript");
}

#[test]
fn markdown_reference_definition_is_judged_where_it_is_written() {
    // The link is on line 9, its definition on line 11: the error points at the definition.
    assert_link_refused_in_body("[点此][x]\n\n[x]: javascript:alert(1)", 11, "javascript");
    // A definition that no link uses is judged all the same.
    assert_link_refused_in_body("文字\n\n[unused]: vbscript:msgbox(1)", 11, "vbscript");
}

#[test]
fn markdown_encoded_and_mixed_case_schemes_are_refused() {
    for (text, scheme) in [
        ("[x](&#106;avascript:alert(1))", "javascript"),
        ("[x](&#x6A;avascript:alert(1))", "javascript"),
        ("[x](JaVaScRiPt:alert(1))", "javascript"),
        ("[x](java&#x09;script:alert(1))", "javascript"),
        ("[x](javascript&colon;alert(1))", "javascript"),
        ("[x](%6Aavascript:alert(1))", "javascript"),
        ("[x](java%09script:alert(1))", "javascript"),
        ("[x](<java\tscript:alert(1)>)", "javascript"),
    ] {
        assert_link_refused_in_body(text, 9, scheme);
    }
}

#[test]
fn markdown_vbscript_data_and_file_links_are_refused() {
    for (text, scheme) in [
        ("[x](vbscript:msgbox(1))", "vbscript"),
        ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data"),
        ("![x](data:image/svg+xml,<svg/onload=alert(1)>)", "data"),
        ("[x](file:///etc/passwd)", "file"),
        ("[x](chrome://settings)", "chrome"),
    ] {
        assert_link_refused_in_body(text, 9, scheme);
    }
}

#[test]
fn markdown_at_link_that_climbs_out_is_refused() {
    let (site, run) = build_with_body("[x](@/../../etc/passwd)");
    assert_refused(&site, &run, "E-link", &format!("{PAGE}:9:1"));
    assert!(run.stderr.contains("climbs out of the site"), "{}", run.stderr);
}

#[test]
fn markdown_error_column_counts_characters_after_text() {
    // `说明：` is three characters: the link starts at column 4.
    let (site, run) = build_with_body("说明：[x](javascript:alert(1))");
    assert_refused(&site, &run, "E-link", &format!("{PAGE}:9:4"));
}

#[test]
fn chinese_message_for_a_refused_link() {
    let site = Site::example();
    site.edit(PAGE, HEADING, &format!("{HEADING}\n[x](javascript:alert(1))"));
    let run = site.build(&["--lang", "zh"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("使用了 `javascript:` 协议"), "{}", run.stderr);
}

#[test]
fn good_links_still_work() {
    let body = "[站](https://example.org/a?b=1#c) [邮](mailto:kjt@example.org) [电](tel:+86-991-1234567) \
                [相对](../contact/) [锚](#内容) [北京](@/partners/beijing/) [根](/kjt/zh/) <https://example.org/auto>";
    let (_site, run) = build_with_body(body);
    run.assert_ok();
    let html = _site.read("public/zh/about/index.html");
    for href in [
        "href=\"https://example.org/a?b=1#c\"",
        "href=\"mailto:kjt@example.org\"",
        "href=\"tel:+86-991-1234567\"",
        "href=\"../contact/\"",
        "href=\"../../zh/partners/beijing/\"",
        "href=\"/kjt/zh/\"",
        "href=\"https://example.org/auto\"",
    ] {
        assert!(html.contains(href), "{href} missing from the page");
    }
}

/// Replaces line `from` of `file` and builds.
fn build_with_yaml(file: &str, from: &str, to: &str) -> (Site, Run) {
    let site = Site::example();
    site.edit(file, from, to);
    let run = site.build(&[]);
    (site, run)
}

const HOSTILE_URLS: &[(&str, &str)] = &[
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("\"&#106;avascript:alert(1)\"", "javascript"),
    ("\"java&#x09;script:alert(1)\"", "javascript"),
    ("\"java\\tscript:alert(1)\"", "javascript"),
    ("\"%6Aavascript:alert(1)\"", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("\"data:text/html,<script>alert(1)</script>\"", "data"),
];

#[test]
fn partner_sources_with_script_urls_are_refused() {
    for (url, scheme) in HOSTILE_URLS {
        let (site, run) = build_with_yaml(PARTNER, PARTNER_SOURCE, &format!("  - {url}"));
        assert_refused(&site, &run, "E-link", &format!("{PARTNER}:37:5"));
        assert!(run.stderr.contains(&format!("`{scheme}:` scheme")), "{url}: {}", run.stderr);
    }
}

#[test]
fn plan_source_url_with_script_urls_is_refused() {
    for (url, scheme) in HOSTILE_URLS {
        let (site, run) = build_with_yaml(PLAN, PLAN_URL, &format!("  url: {url}"));
        assert_refused(&site, &run, "E-link", &format!("{PLAN}:10:8"));
        assert!(run.stderr.contains(&format!("`{scheme}:` scheme")), "{url}: {}", run.stderr);
    }
}

#[test]
fn good_yaml_urls_still_work() {
    let site = Site::example();
    site.edit(PARTNER, PARTNER_SOURCE, "  - mailto:kjt@example.org\n  - ../../static/sources/beijing.pdf");
    site.build(&["--no-minify"]).assert_ok();
    let html = site.read("public/zh/partners/beijing/index.html");
    assert!(html.contains("href=\"mailto:kjt@example.org\""), "mailto source missing");
    assert!(html.contains("href=\"../../static/sources/beijing.pdf\""), "relative source missing");
    assert!(site.read("public/zh/plan/2011/index.html").contains("href=\"https://most.gov.cn/"), "plan source missing");
}

#[test]
fn heading_event_handler_attribute_is_refused() {
    let (site, run) = build_with_body("# 标题 {autofocus onfocus=alert(1)}");
    assert_refused(&site, &run, "E-heading-attribute", &format!("{PAGE}:9:1"));
    assert!(run.stderr.contains("`onfocus=alert(1)`"), "{}", run.stderr);
    assert!(run.stderr.contains("`autofocus`"), "{}", run.stderr);
}

#[test]
fn heading_style_and_unsafe_id_are_refused() {
    for text in ["## 标题 {style=color:red}", "## 标题 {#a\"onmouseover=\"x}", "## 标题 {.ok data-x=1}"] {
        let (site, run) = build_with_body(text);
        assert_refused(&site, &run, "E-heading-attribute", &format!("{PAGE}:9:1"));
    }
}

#[test]
fn heading_safe_id_and_class_are_kept() {
    let (site, run) = build_with_body("## 科技人才 {#talent-2011 .lead_in}\n\n[同页](#talent-2011)");
    run.assert_ok();
    let html = site.read("public/zh/about/index.html");
    assert!(html.contains("id=\"talent-2011\""), "id missing");
    assert!(html.contains("class=\"lead_in\""), "class missing");
}

#[test]
fn nan_and_infinite_values_name_the_yaml_file() {
    for value in [".nan", ".NaN", ".inf", "-.inf", "1e400"] {
        let (site, run) = build_with_yaml(RESULT, "    value: 1\n  - metric: policy", &format!("    value: {value}\n  - metric: policy"));
        assert_refused(&site, &run, "E-number", &format!("{RESULT}:10:12"));
        assert!(run.stderr.contains("is not a finite number"), "{value}: {}", run.stderr);
        assert!(!run.stderr.contains(".html"), "{value}: reported against a template: {}", run.stderr);
    }
    let (site, run) = build_with_yaml(TASK, "    value: 1", "    value: .inf");
    assert_refused(&site, &run, "E-number", &format!("{TASK}:35:12"));
}

#[test]
fn values_that_cannot_be_shown_exactly_are_refused() {
    for (value, what) in [
        ("123456789012345678901234567890", "larger than 2^53"),
        ("9007199254740993", "larger than 2^53"),
        ("1234567890.123456789", "significant digits"),
        ("0.1234567890123456", "significant digits"),
    ] {
        let (site, run) = build_with_yaml(TASK, "    value: 1", &format!("    value: {value}"));
        assert_refused(&site, &run, "E-number", &format!("{TASK}:35:12"));
        assert!(run.stderr.contains(what), "{value}: {}", run.stderr);
    }
}

#[test]
fn a_value_that_is_not_a_number_names_the_yaml_file() {
    let (site, run) = build_with_yaml(TASK, "    value: 1", "    value: 12abc");
    assert_refused(&site, &run, "E-yaml", &format!("{TASK}:35:12"));
    assert!(run.stderr.contains("expected a number, found `12abc`"), "{}", run.stderr);
    assert!(run.stderr.contains("plain number"), "{}", run.stderr);
}

#[test]
fn exact_values_are_accepted() {
    for value in ["9007199254740992", "123456789.012345", "0.5", "1e6", "-3", "1_000"] {
        let (_site, run) = build_with_yaml(TASK, "    value: 1", &format!("    value: {value}"));
        assert_eq!(run.code, 0, "{value}: {}", run.stderr);
    }
}

#[test]
fn deeply_nested_quotes_are_refused_not_crashed() {
    // Minified, as by default: the minifier is where 3,000 levels overflowed the stack.
    let (site, run) = build_with_body_args(&format!("{} 深", ">".repeat(3000)), &[]);
    // The 65th `>` opens the quote one level too deep.
    assert_refused(&site, &run, "E-depth", &format!("{PAGE}:9:65"));
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
}

#[test]
fn deeply_nested_raw_html_is_refused_fast_in_either_mode() {
    // 300,000 nested <div> (3 MB, under the size limit) kept the sanitiser busy for over five
    // minutes: its parser's work grows with the square of the depth.
    let deep = format!("{}深{}", "<div>".repeat(300_000), "</div>".repeat(300_000));
    for raw_html in [true, false] {
        let site = Site::example();
        if raw_html {
            site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: true");
        }
        site.edit(PAGE, HEADING, &format!("{HEADING}\n{deep}\n"));
        let started = std::time::Instant::now();
        let run = site.build(&[]);
        assert_refused(&site, &run, "E-depth", &format!("{PAGE}:9:1"));
        assert!(run.stderr.contains("raw HTML"), "{}", run.stderr);
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "took {:?}", started.elapsed());
    }
}

#[test]
fn moderately_nested_raw_html_still_builds() {
    let site = Site::example();
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: true");
    site.edit(PAGE, HEADING, &format!("{HEADING}\n{}深{}\n", "<div>".repeat(40), "</div>".repeat(40)));
    site.build(&[]).assert_ok();
    assert!(site.read("public/zh/about/index.html").contains(&"<div>".repeat(40)));
}

#[test]
fn deeply_nested_lists_are_refused() {
    let body: String = (0..120).map(|i| format!("{}- 第{i}层\n", "  ".repeat(i))).collect();
    let (site, run) = build_with_body(&body);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E-depth]"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> {PAGE}:")), "{}", run.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn moderate_nesting_still_builds() {
    let (site, run) = build_with_body_args(&format!("{} 引用", ">".repeat(20)), &[]);
    run.assert_ok();
    assert_eq!(site.read("public/zh/about/index.html").matches("<blockquote>").count(), 20);
}

/// Output files a browser or a feed reader interprets.
fn interpreted_files(dir: &Path) -> Vec<(String, String)> {
    common::tree(dir)
        .into_iter()
        .filter(|(p, _)| [".html", ".xml", ".json", ".svg"].iter().any(|e| p.ends_with(e)))
        .map(|(p, bytes)| (p, String::from_utf8_lossy(&bytes).to_lowercase()))
        .collect()
}

/// Every `on…` attribute of every element, as `name=value`: of an HTML or SVG file, of an XML
/// file, and of the HTML inside an XML file's `type="html"` elements (what a feed reader shows).
fn event_handlers(path: &str, text: &str) -> Vec<String> {
    if path.ends_with(".xml") {
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut found = Vec::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            found.extend(node.attributes().filter(|a| a.name().starts_with("on")).map(|a| format!("{}={}", a.name(), a.value())));
            if node.attribute("type") == Some("html") {
                found.extend(html_handlers(&scraper::Html::parse_fragment(node.text().unwrap_or_default())));
            }
        }
        found
    } else {
        html_handlers(&scraper::Html::parse_document(text))
    }
}

fn html_handlers(html: &scraper::Html) -> Vec<String> {
    html.tree
        .values()
        .filter_map(|node| node.as_element())
        .flat_map(|e| e.attrs().filter(|(name, _)| name.to_ascii_lowercase().starts_with("on")).map(|(n, v)| format!("{n}={v}")))
        .collect()
}

/// Event handlers of a file a browser or feed reader reads as markup (JSON is data: none).
fn markup_handlers(path: &str, text: &str) -> Vec<String> {
    if path.ends_with(".json") {
        Vec::new()
    } else {
        event_handlers(path, text)
    }
}

/// No `javascript:`/`vbscript:` anywhere and no event-handler attribute in any file: the theme
/// writes none either, so any handler found came from content.
fn assert_no_script_from_content(site: &Site) {
    let files = interpreted_files(&site.path("public"));
    assert!(files.len() > 50, "only {} files", files.len());
    for (path, text) in &files {
        assert!(!text.contains("javascript:"), "javascript: in {path}");
        assert!(!text.contains("vbscript:"), "vbscript: in {path}");
        assert_eq!(markup_handlers(path, text), Vec::<String>::new(), "event handler in {path}");
    }
}

#[test]
fn raw_html_mode_publishes_no_script_anywhere() {
    let site = Site::example();
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: true");
    let hostile = [
        r#"<a href="javascript:alert(1)">a</a>"#,
        r#"<a href="java&#x09;script:alert(1)">b</a>"#,
        r#"<a href="&#106;avascript:alert(1)">c</a>"#,
        r#"<a href="vbscript:msgbox(1)">d</a>"#,
        r#"<img src="x" onerror="alert(1)">"#,
        r#"<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">e</a></svg>"#,
        r#"<iframe srcdoc="<script>alert(1)</script>"></iframe>"#,
        r#"<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">f</div>"#,
        r#"<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">g</button></form>"#,
        r#"<details open ontoggle="alert(1)">h</details>"#,
        r#"<object data="data:text/html,x"></object><embed src="javascript:alert(1)">"#,
        r#"<math><a href="javascript:alert(1)">i</a></math>"#,
        r#"<p id="x" class="y" lang="zh" dir="ltr">j</p>"#,
    ]
    .join("\n\n");
    site.edit(PAGE, HEADING, &format!("{HEADING}\n{hostile}\n\n[k](https://example.org/)\n"));
    // After its front matter (`translated_from`), which ends at the first "\n---\n".
    site.edit("content/results/2011/revitalisation-conference.en.md", "\n---\n", &format!("\n---\n\n{hostile}\n\n"));
    site.build(&[]).assert_ok();
    assert_no_script_from_content(&site);
    for (path, text) in interpreted_files(&site.path("public")) {
        assert!(!text.contains("<iframe") && !text.contains("<object") && !text.contains("<embed"), "embedded frame in {path}");
    }
    // The harmless attributes survive the sanitiser.
    let page = scraper::Html::parse_document(&site.read("public/zh/about/index.html"));
    let kept = scraper::Selector::parse(r#"p#x.y[lang="zh"][dir="ltr"]"#).unwrap();
    assert_eq!(page.select(&kept).count(), 1);
}

#[test]
fn event_handler_detector_is_not_blind() {
    assert_eq!(event_handlers("a.html", r#"<img src=x ONERROR="a">"#), ["onerror=a"]);
    assert_eq!(event_handlers("a.svg", "<svg/onload =a>"), ["onload=a"]);
    assert!(event_handlers("a.html", "<p>the button is on = off, onerror=x</p>").is_empty());
    let feed = r#"<feed><entry><content type="html">&lt;img src=x onerror=y&gt;</content></entry></feed>"#;
    assert_eq!(event_handlers("atom.xml", feed), ["onerror=y"]);
}

#[test]
fn default_mode_shows_hostile_markdown_without_script() {
    let body = "<img src=x onerror=alert(1)> [ok](https://example.org/) ![pic](photo.png)";
    let (site, run) = build_with_body(body);
    run.assert_ok();
    assert_no_script_from_content(&site);
    assert!(site.read("public/zh/about/index.html").contains("&lt;img src=x onerror=alert(1)&gt;"));
}
