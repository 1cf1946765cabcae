//! Property tests: random Markdown and YAML built from hostile fragments never make planpress
//! panic and never put script into an output file.
//!
//! Markdown goes straight through the renderer (thousands of cases a second); YAML records, with
//! Markdown bodies beside them, go through load, validate, render and minify of a small site in
//! memory, as `build` does. Each output file is parsed as a browser would parse it and checked:
//! no `on*` handler, no script URL in any URL attribute, no `<script>` but the theme's. The
//! checker and the small site are shared with the cargo-fuzz targets (fuzz/src/, see
//! docs/fuzzing.md). Set PROPTEST_CASES to run more (or fewer) cases.

#[allow(dead_code)]
#[path = "../../fuzz/src/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../../fuzz/src/site.rs"]
mod site;

use planpress::output::OutputFile;
use planpress::render::markdown::{render, MarkdownOptions};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

use crate::common;
use site::{MiniSite, Outcome};

/// `cases` unless PROPTEST_CASES says otherwise; no regression files are written.
fn config(cases: u32, max_shrink_iters: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    Config { cases, max_shrink_iters, failure_persistence: None, ..Config::default() }
}

/// URLs as an attacker and a careless editor write them: script schemes in every disguise the
/// issue lists (case, entities, controls, base64), and the ordinary kinds that must keep working.
fn url() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "javascript&#58;alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;vascript:alert(1)",
        "&#0000106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "java&#x09;script:alert(1)",
        "java&Tab;script:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#x01;javascript:alert(1)",
        "javascript:/*--></script>*/alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "livescript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:TEXT/HTML,<b>x</b>",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "%6Aavascript:alert(1)",
        "https://example.org/",
        "http://example.org/a?b=javascript:x",
        "mailto:office@example.org",
        "tel:+86-991-1234567",
        "../partners/p/",
        "@/partners/p/",
        "@/../../../etc/passwd",
        "#top",
        "//example.net/x",
        "",
    ])
    .prop_map(str::to_owned);
    prop_oneof![4 => fixed, 1 => "[a-zA-Z]{1,10}:[ -~]{0,12}"]
}

/// Text with CJK, markup characters and template syntax.
fn text() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "对口支援省市",
        "**重要。**然后",
        "第一行，\n第二行。",
        "Beijing & Hotan",
        "</script><script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "]]><script>alert(1)</script>",
        "{{ 7 * 7 }} {% raw %}",
        "javascript:alert(1)",
        "&#106;avascript:",
        "<!-- x -->",
        "a\u{202e}b",
    ])
    .prop_map(str::to_owned);
    prop_oneof![3 => fixed, 1 => "[a-z 重要任务。<>&\"'*_\\[\\]()#{}=:/-]{0,16}"]
}

/// Raw HTML that a sanitiser must neutralise (or, by default, show as text).
fn raw_html() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<svg onload=alert(1)><circle/></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<details open ontoggle=alert(1)>x</details>",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
        "<base href=\"javascript:/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<scr<script>ipt>alert(1)</script>",
        "<b onclick=\"alert(1)\">b</b>",
        "<p>ok <em>fine</em></p>",
        "<!--<script>alert(1)</script>-->",
    ])
    .prop_map(str::to_owned);
    prop_oneof![fixed, url().prop_map(|u| format!("<a href=\"{u}\">x</a>"))]
}

/// One inline piece: text, a link of every kind, an image, a footnote or inline HTML.
fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text(),
        1 => url().prop_map(|u| format!("[链接]({u})")),
        1 => url().prop_map(|u| format!("[x](<{u}> \"title\")")),
        1 => url().prop_map(|u| format!("<{u}>")),
        1 => url().prop_map(|u| format!("![图]({u})")),
        1 => url().prop_map(|u| format!("[x][r]\n\n[r]: {u}\n")),
        1 => url().prop_map(|u| format!("[x]\n\n[x]: <{u}>\n")),
        1 => raw_html(),
        1 => Just("[^1]\n\n[^1]: 注 ~~删~~ `<code>`".to_owned()),
    ]
}

/// Heading attributes: the safe `#id .class` and what the issue saw abused.
fn heading_attributes() -> impl Strategy<Value = String> {
    let attr = select(vec![
        "#id",
        ".class",
        "onfocus=alert(1)",
        "autofocus",
        "onclick=\"alert(1)\"",
        "ONMOUSEOVER=alert(1)",
        "onfocus='alert(1)'",
        "style=\"x:expression(alert(1))\"",
        "href=javascript:alert(1)",
        "data-x=1",
        "tabindex=1",
        "id=\"a\" onblur=b",
        "class=\"c\"",
    ]);
    prop::collection::vec(attr, 1..4).prop_map(|a| a.join(" "))
}

/// One block: a paragraph, a heading with attributes, nested quotes or lists, a table, raw HTML.
/// A line of one to three inline pieces.
fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..4).prop_map(|p| p.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => line(),
        1 => (1..4usize, line(), heading_attributes()).prop_map(|(n, t, a)| format!("{} {t} {{{a}}}", "#".repeat(n))),
        1 => (1..30usize, line()).prop_map(|(d, t)| format!("{}{t}", "> ".repeat(d))),
        1 => (1..12usize, line()).prop_map(|(d, t)| (0..d).map(|i| format!("{}- {t}", "  ".repeat(i))).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(line(), 2..5)
            .prop_map(|cells| format!("| 任务 | 结果 |\n|---|---|\n{}", cells.iter().map(|c| format!("| {c} | x |")).collect::<Vec<_>>().join("\n"))),
        1 => raw_html(),
        1 => line().prop_map(|t| format!("```html\n{t}\n```")),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    (prop::collection::vec(block(), 1..6), select(vec!["\n\n", "\n", " "])).prop_map(|(blocks, sep)| blocks.join(sep))
}

/// Renders Markdown as the site's pages do (the one place that knows the renderer's signature).
fn render_markdown(markdown: &str, allow_raw_html: bool) -> String {
    render(markdown, &MarkdownOptions { allow_raw_html, link_base: "../", withheld: &Default::default() })
}

/// The rendered body alone and minified inside a page, as `build` writes it.
fn markdown_problems(html: &str) -> Vec<String> {
    let page = format!("<!DOCTYPE html><html><head><title>t</title></head><body><main>{html}</main></body></html>");
    let mut file = OutputFile { path: "page.html".to_owned(), bytes: page.into_bytes(), is_html: true };
    planpress::output::minify_file(&mut file);
    let mut problems = check::check_html_fragment(html);
    problems.extend(check::check_file(&file.path, &file.bytes));
    problems
}

proptest! {
    #![proptest_config(config(3000, 2048))]

    #[test]
    fn markdown_never_renders_script(markdown in markdown(), allow_raw_html in any::<bool>()) {
        let html = render_markdown(&markdown, allow_raw_html);
        let problems = markdown_problems(&html);
        prop_assert!(problems.is_empty(), "allow_raw_html: {}\n{}\n--- rendered:\n{}", allow_raw_html, problems.join("\n"), html);
    }
}

/// A YAML scalar: mostly JSON-quoted (valid YAML, any content), sometimes written plain so the
/// YAML parser sees the raw characters.
fn scalar(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (s, prop::bool::weighted(0.8)).prop_map(|(s, quoted)| if quoted { serde_json::to_string(&s).expect("json string") } else { s })
}

fn localised() -> impl Strategy<Value = String> {
    (scalar(text()), scalar(text())).prop_map(|(zh, en)| format!("{{zh: {zh}, en: {en}}}"))
}

fn number() -> impl Strategy<Value = String> {
    select(vec!["5", "0", "-1", "1.5", "36000", "1e308", "123456789012345678901234567890", ".nan", ".inf", "-.inf", "0x1F", "\"7\""])
        .prop_map(str::to_owned)
}

fn partner_yaml() -> impl Strategy<Value = String> {
    let id = select(vec!["p", "p", "p", "P", "../p", "<p>"]);
    let sources = prop::collection::vec(scalar(url()), 0..4);
    (id, localised(), localised(), sources, prop::option::of(localised())).prop_map(|(id, name, recipient, sources, note)| {
        let mut y = format!("id: {id}\nrole: supporter\norder: 1\nname: {name}\nrecipients:\n  - name: {recipient}\n    xpcc: true\n");
        y += &format!("sources: [{}]\n", sources.join(", "));
        if let Some(note) = note {
            y += &format!("note: {note}\n");
        }
        y
    })
}

fn result_yaml() -> impl Strategy<Value = String> {
    let date = select(vec!["2011-08-23", "2011-08-23", "2011-02-30", "2012-01-01", "\"<b>\""]);
    (localised(), date, number(), number()).prop_map(|(title, date, a, b)| {
        format!(
            "slug: r\ndate: {date}\ntitle: {title}\ntasks: [t]\npartners: [p]\nvalues:\n  - {{metric: projects, value: {a}}}\n  - {{metric: funds, value: {b}}}\nillustrative: true\n"
        )
    })
}

fn plan_yaml() -> impl Strategy<Value = String> {
    (localised(), scalar(url()), localised()).prop_map(|(title, url, note)| {
        format!(
            "year: 2011\ntitle: {title}\nissuer: {{zh: 科技厅, en: Department}}\ndate: 2011-02-12\nsource:\n  url: {url}\n  note: {note}\n"
        )
    })
}

/// A page's front matter: title and description are shown in `<title>`, meta tags and JSON-LD.
fn page_md() -> impl Strategy<Value = String> {
    (scalar(text()), scalar(text()), markdown())
        .prop_map(|(title, description, body)| format!("---\ntitle: {title}\ndescription: {description}\n---\n{body}\n"))
}

/// One random site: which records are hostile is random too, the rest stay benign.
#[derive(Debug, Clone)]
struct Case {
    allow_raw_html: bool,
    files: Vec<(&'static str, String)>,
}

fn site_case() -> impl Strategy<Value = Case> {
    let partner = (Just(site::PARTNER), partner_yaml());
    let result = (Just(site::RESULT), result_yaml());
    let plan = (Just(site::PLAN), plan_yaml());
    let body = (select(vec![site::PARTNER_BODY, site::RESULT_BODY, site::TASK_BODY]), markdown());
    let page = (Just(site::PAGE), page_md());
    let file = prop_oneof![partner, result, plan, body, page];
    (any::<bool>(), prop::collection::vec(file, 1..4)).prop_map(|(allow_raw_html, files)| Case { allow_raw_html, files })
}

proptest! {
    #![proptest_config(config(200, 256))]

    #[test]
    fn yaml_and_bodies_never_publish_script(case in site_case()) {
        let site = MiniSite::new();
        site.reset(case.allow_raw_html);
        for (rel, text) in &case.files {
            site.put(rel, text.as_bytes());
        }
        match site.build() {
            Outcome::Failed(diags) => {
                prop_assert!(site::names_a_file(&diags, site.root()), "failed without naming a file: {:#?}", diags);
            }
            Outcome::Built(files) => {
                let problems: Vec<String> = files.iter().flat_map(|f| check::check_file(&f.path, &f.bytes)).collect();
                prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
            }
        }
    }
}

/// The benign small site builds and passes the checker: the property above is not vacuous.
#[test]
fn the_small_site_builds_clean() {
    let site = MiniSite::new();
    let Outcome::Built(files) = site.build() else { panic!("the benign small site does not build") };
    let problems: Vec<String> = files.iter().flat_map(|f| check::check_file(&f.path, &f.bytes)).collect();
    assert_eq!(problems, Vec::<String>::new());
    for page in ["zh/partners/p/index.html", "en/results/2011/r/index.html", "zh/plan/2011/index.html", "en/about/index.html"] {
        assert!(files.iter().any(|f| f.path == page), "no {page} among {:?}", files.iter().map(|f| &f.path).collect::<Vec<_>>());
    }
    assert!(files.iter().any(|f| f.path.starts_with("zh/reports/") && f.is_html), "the booklets are rendered too");
}

/// The checker catches what the issue reported, in the forms the output takes.
#[test]
fn the_checker_sees_script_in_every_output_kind() {
    let cases: [(&str, &str); 6] = [
        ("a.html", "<h1 autofocus onfocus=\"alert(1)\">Hi</h1>"),
        ("a.html", "<a href=\" JaVa&#x09;Script:alert(1)\">x</a>"),
        ("a.html", "<script type=\"application/ld+json\">{\"name\": \"</script><script>alert(1)</script>"),
        ("atom.xml", "<feed><entry><content type=\"html\">&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt;</content></entry></feed>"),
        ("c.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"vbscript:x\"/></svg>"),
        ("i.json", "{\"u\": \"data:text/html,<script>alert(1)</script>\"}"),
    ];
    for (path, text) in cases {
        assert!(!check::check_file(path, text.as_bytes()).is_empty(), "{path}: {text}");
    }
}

/// The real build of the example site, every file as written: the checker has no false alarm
/// on the theme's own output (its stylesheet retry handler, JSON-LD, search script, charts).
#[test]
fn the_example_site_output_passes_the_checker() {
    let site = common::Site::example();
    site.build(&[]).assert_ok();
    let files = common::tree(&site.path("public"));
    assert!(files.keys().any(|p| p.contains("reports/")) && files.keys().any(|p| p.ends_with("atom.xml")), "{:?}", files.keys());
    let problems: Vec<String> = files.iter().flat_map(|(path, bytes)| check::check_file(path, bytes)).collect();
    assert_eq!(problems, Vec::<String>::new());
}
