//! Whose site it is (`identity:` of site.yaml): the example says on every page that it is not the
//! Department's site and claims no `GovernmentOrganization`; an official site shows its sponsor,
//! operator, contact and record numbers in the footer, in the conventional order, with links;
//! malformed numbers are errors at their line.

mod common;

use common::{html_files, Site};

const OFFICIAL: &str = r#"identity:
  official: true
  sponsor: {zh: 新疆维吾尔自治区科学技术厅, en: Department of Science and Technology of Xinjiang Uygur Autonomous Region}
  operator: {zh: 自治区科技信息中心, en: the Autonomous Region's S&T Information Centre}
  site_code: "6500000001"
  icp: 新ICP备05001234号-1
  police_record: {text: 新公网安备 65010202000123号, code: "65010202000123"}
  address: {zh: 乌鲁木齐市示例路 1 号, en: "1 Example Road, Urumqi"}
  phone: 0991-1234567
  email: office@example.org
  report_error: https://example.org/jiucuo/
"#;

fn with_identity(identity: &str) -> Site {
    let site = Site::example();
    let config = site.read("content/site.yaml");
    let start = config.find("identity:").expect("the example has identity:");
    site.write("content/site.yaml", &format!("{}{identity}", &config[..start]));
    site
}

#[test]
fn the_example_says_on_every_page_it_is_not_the_official_site() {
    let out = &common::example_built(&[]).out;
    for rel in html_files(out) {
        if rel.contains("/reports/") || rel.starts_with("reports/") {
            continue; // booklets: their cover is the print renderer's
        }
        let html = std::fs::read_to_string(out.join(&rel)).unwrap();
        let notice = if html.contains(" lang=en><head>") {
            "Example site, not the official site of the <span>Department"
        } else {
            "示例网站，非<span>新疆维吾尔自治区科学技术厅</span>官方网站"
        };
        assert!(html.contains("site-notice") && html.contains(notice), "{rel}: no unofficial notice");
        assert!(!html.contains("GovernmentOrganization"), "{rel} claims the Department as its publisher");
    }
}

#[test]
fn an_official_site_shows_its_identity_in_the_footer_in_order() {
    let site = with_identity(OFFICIAL);
    site.build(&[]).assert_ok();
    let zh = site.read("public/zh/index.html");
    assert!(!zh.contains("site-notice"), "an official site carries no notice");
    assert!(zh.contains("\"@type\":\"GovernmentOrganization\""));
    let footer = &zh[zh.find("<footer").unwrap()..];
    let order = [
        "主办单位：<span>新疆维吾尔自治区科学技术厅",
        "承办单位：<span>自治区科技信息中心",
        "地址：<span>乌鲁木齐市示例路 1 号",
        "电话：<a href=tel:09911234567>0991-1234567</a>",
        "电子邮箱：<a href=mailto:office@example.org>office@example.org</a>",
        "网站标识码：6500000001",
        "<a href=https://beian.miit.gov.cn/ lang=zh-Hans>新ICP备05001234号-1</a>",
        "<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=65010202000123\" lang=zh-Hans>新公网安备 65010202000123号</a>",
        "<a href=https://example.org/jiucuo/>我要纠错</a>",
    ];
    let mut at = 0;
    for item in order {
        let found = footer[at..].find(item).unwrap_or_else(|| panic!("footer lacks {item:?} after byte {at}:\n{footer}"));
        at += found + item.len();
    }
    let en = site.read("public/en/partners/index.html");
    assert!(en.contains("Sponsor: <span>Department of Science and Technology") && en.contains("Report an error on this site"));
}

#[test]
fn malformed_record_numbers_are_errors_at_their_line() {
    let bad = OFFICIAL
        .replace("\"6500000001\"", "\"65000\"")
        .replace("新ICP备05001234号-1", "ICP 05001234")
        .replace("code: \"65010202000123\"", "code: \"6501\"")
        .replace("office@example.org", "office")
        .replace("https://example.org/jiucuo/", "javascript:alert(1)");
    let site = with_identity(&bad);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (needle, line) in [
        ("site_code (网站标识码) `65000`", 5),
        ("icp (ICP备案号) `ICP 05001234`", 6),
        ("police_record.code", 7),
        ("email `office`", 10),
        ("javascript:", 11),
    ] {
        let at = run.stderr.find(needle).unwrap_or_else(|| panic!("no error about {needle}:\n{}", run.stderr));
        let before = &run.stderr[..at];
        let header = &before[before.rfind("E-").unwrap()..];
        let after = &run.stderr[at..];
        assert!(
            header.contains(&format!("site.yaml:{}", 23 + line))
                || after[..after.find("\n\n").unwrap_or(after.len())].contains(&format!("site.yaml:{}", 23 + line)),
            "{needle}: not at line {}:\n{}",
            23 + line,
            run.stderr
        );
    }
}
