//! Real PDFs printed by Chromium: page counts, contents page numbers against the pages where
//! pdftotext finds each chapter title, footers, fonts, extractable task titles.
//!
//! Every test needs Chromium and poppler-utils, so each is `#[ignore = "needs …"]`: `cargo test`
//! lists them as ignored, `cargo test -- --include-ignored` (what `.ci/run` runs) runs them, and
//! then a missing tool fails the test with what to install.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use scraper::{Html, Selector};

/// Prints the example's booklets once for all tests of this file.
fn printed() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let install = "apt-get install chromium poppler-utils fonts-wqy-zenhei fonts-dejavu (see .ci/run)";
        common::tool(&["chromium", "chromium-browser", "google-chrome"], install);
        for poppler in ["pdftotext", "pdffonts", "pdfinfo"] {
            common::tool(&[poppler], install);
        }
        let root = common::scratch_dir("pdf");
        common::copy_example(&root);
        let out = root.join("public");
        let run = common::planpress(&["pdf", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "planpress pdf failed:\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("printed 9 booklets"), "{}", run.stdout);
        out
    })
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: scraper::ElementRef) -> String {
    el.text().collect::<String>()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let out =
        Command::new("pdftotext").args(["-f", &page.to_string(), "-l", &page.to_string(), pdf.to_str().unwrap(), "-"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

struct Booklet {
    html: &'static str,
    pdf: &'static str,
    footer_zh: bool,
    pages: std::ops::RangeInclusive<usize>,
}

const BOOKLETS: &[Booklet] = &[
    Booklet { html: "zh/reports/plan-2011/index.html", pdf: "zh/reports/plan-2011/plan-2011-zh.pdf", footer_zh: true, pages: 10..=40 },
    Booklet { html: "en/reports/plan-2011/index.html", pdf: "en/reports/plan-2011/plan-2011-en.pdf", footer_zh: false, pages: 10..=40 },
    Booklet {
        html: "reports/plan-2011-bilingual/index.html",
        pdf: "reports/plan-2011-bilingual/plan-2011-bilingual.pdf",
        footer_zh: true,
        pages: 14..=70,
    },
    Booklet {
        html: "zh/reports/summary-2011/index.html",
        pdf: "zh/reports/summary-2011/summary-2011-zh.pdf",
        footer_zh: true,
        pages: 6..=40,
    },
    Booklet {
        html: "en/reports/summary-2011/index.html",
        pdf: "en/reports/summary-2011/summary-2011-en.pdf",
        footer_zh: false,
        pages: 6..=40,
    },
    Booklet {
        html: "reports/summary-2011-bilingual/index.html",
        pdf: "reports/summary-2011-bilingual/summary-2011-bilingual.pdf",
        footer_zh: true,
        pages: 8..=70,
    },
    Booklet {
        html: "zh/reports/period-12th-five-year/index.html",
        pdf: "zh/reports/period-12th-five-year/period-12th-five-year-zh.pdf",
        footer_zh: true,
        pages: 6..=40,
    },
    Booklet {
        html: "en/reports/period-12th-five-year/index.html",
        pdf: "en/reports/period-12th-five-year/period-12th-five-year-en.pdf",
        footer_zh: false,
        pages: 6..=40,
    },
    Booklet {
        html: "reports/period-12th-five-year-bilingual/index.html",
        pdf: "reports/period-12th-five-year-bilingual/period-12th-five-year-bilingual.pdf",
        footer_zh: true,
        pages: 8..=60,
    },
];

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn page_counts_are_within_bounds_and_linked_from_the_site() {
    let out = printed();
    for b in BOOKLETS {
        let n = page_count(&out.join(b.pdf));
        assert!(b.pages.contains(&n), "{}: {n} pages, expected {:?}", b.pdf, b.pages);
    }
    let plan_page = std::fs::read_to_string(out.join("zh/plan/2011/index.html")).unwrap();
    assert!(plan_page.contains("plan-2011-zh.pdf") && plan_page.contains("plan-2011-bilingual.pdf"), "plan page links the PDFs");
    let results_page = std::fs::read_to_string(out.join("en/results/2011/index.html")).unwrap();
    assert!(results_page.contains("summary-2011-en.pdf"), "results page links the summary PDF");
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn contents_page_numbers_match_where_chapters_start() {
    let out = printed();
    for b in BOOKLETS {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(b.html)).unwrap());
        let pdf = out.join(b.pdf);
        let chapters: Vec<_> = html.select(&sel("section.chapter[id]")).collect();
        assert!(chapters.len() >= 4, "{}: chapters", b.html);
        for chapter in chapters {
            let id = chapter.value().attr("id").unwrap();
            let title = text(chapter.select(&sel("h1")).next().unwrap_or_else(|| panic!("{}: #{id} has no h1", b.html)));
            // The number in the entry's page cell (a title may end in digits itself: "2011").
            let page: usize = html
                .select(&sel(&format!("a[href=\"#{id}\"] .toc-page")))
                .map(text)
                .find_map(|t| t.trim().parse().ok())
                .unwrap_or_else(|| panic!("{}: no numbered contents entry for #{id}", b.html));
            let found = squash(&page_text(&pdf, page));
            assert!(
                found.contains(&squash(&title)),
                "{}: contents says \"{title}\" is on page {page}, but that page reads:\n{found}",
                b.pdf
            );
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn every_page_but_the_cover_has_its_number_in_the_footer() {
    let out = printed();
    for b in BOOKLETS {
        let pdf = out.join(b.pdf);
        let n = page_count(&pdf);
        assert!(!squash(&page_text(&pdf, 1)).contains("第1页"), "{}: the cover has no page number", b.pdf);
        for page in 2..=n {
            let found = squash(&page_text(&pdf, page));
            let expected = if b.footer_zh { format!("第{page}页/共{n}页") } else { format!("Page{page}of{n}") };
            assert!(found.contains(&expected), "{} page {page}: no \"{expected}\" in\n{found}", b.pdf);
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn fonts_are_embedded_and_none_is_type3() {
    let out = printed();
    for b in BOOKLETS {
        let report = Command::new("pdffonts").arg(out.join(b.pdf)).output().unwrap();
        let report = String::from_utf8_lossy(&report.stdout);
        assert!(report.lines().count() > 2, "{}: no fonts?\n{report}", b.pdf);
        assert!(!report.contains("Type 3"), "{}: Type 3 fonts:\n{report}", b.pdf);
        for line in report.lines().skip(2) {
            assert!(line.contains(" yes "), "{}: font not embedded: {line}", b.pdf);
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn every_task_title_is_extractable() {
    let out = printed();
    let titles = |lang: &str| -> Vec<String> {
        let tasks: Vec<String> = std::fs::read_dir(common::repo().join("content/plan/2011/tasks"))
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().unwrap().strip_suffix(".yaml").map(str::to_owned))
            .collect();
        assert_eq!(tasks.len(), 11);
        tasks
            .iter()
            .map(|slug| {
                let page = Html::parse_document(&std::fs::read_to_string(out.join(format!("{lang}/plan/2011/{slug}/index.html"))).unwrap());
                let h1 = page.select(&sel("main h1")).next().map(text).unwrap();
                h1.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace()).trim().to_owned()
            })
            .collect()
    };
    for (lang, pdf) in [("zh", "zh/reports/plan-2011/plan-2011-zh.pdf"), ("en", "en/reports/plan-2011/plan-2011-en.pdf")] {
        let out_text = Command::new("pdftotext").args([out.join(pdf).to_str().unwrap(), "-"]).output().unwrap();
        let all = squash(&String::from_utf8_lossy(&out_text.stdout));
        for title in titles(lang) {
            assert!(all.contains(&squash(&title)), "{pdf}: task title not extractable: {title}");
        }
    }
}
