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
    OUT.get_or_init(|| print_with("pdf", &[]))
}

/// The same booklets in the official profile (A4 always).
fn printed_official() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| print_with("pdf-official", &["--profile", "official"]))
}

/// The same booklets on A5.
fn printed_a5() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| print_with("pdf-a5", &["--size", "a5"]))
}

fn print_with(name: &str, extra: &[&str]) -> PathBuf {
    {
        let install =
            "apt-get install chromium poppler-utils fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fonts-dejavu (see .ci/run)";
        common::tool(&["chromium", "chromium-browser", "google-chrome"], install);
        for poppler in ["pdftotext", "pdffonts", "pdfinfo"] {
            common::tool(&[poppler], install);
        }
        let root = common::scratch_dir(name);
        common::copy_example(&root);
        let out = root.join("public");
        let mut args = vec!["pdf", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = common::planpress(&args);
        assert_eq!(run.code, 0, "planpress pdf failed:\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("printed 9 booklets"), "{}", run.stdout);
        out
    }
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
fn fonts_are_embedded_none_is_type3_and_chinese_is_set_in_song_in_every_profile_and_size() {
    for (profile, out) in [("booklet A4", printed()), ("booklet A5", printed_a5()), ("official", printed_official())] {
        for b in BOOKLETS {
            let report = Command::new("pdffonts").arg(out.join(b.pdf)).output().unwrap();
            let report = String::from_utf8_lossy(&report.stdout);
            assert!(report.lines().count() > 2, "{profile} {}: no fonts?\n{report}", b.pdf);
            assert!(!report.contains("Type 3"), "{profile} {}: Type 3 fonts:\n{report}", b.pdf);
            for line in report.lines().skip(2) {
                assert!(line.contains(" yes "), "{profile} {}: font not embedded: {line}", b.pdf);
            }
            // The Chinese body face is the Song/Ming one (AR PL UMing), headings Hei.
            if b.footer_zh {
                assert!(report.contains("UMing"), "{profile} {}: no Song body face:\n{report}", b.pdf);
                assert!(report.contains("WenQuanYiZenHei"), "{profile} {}: no Hei heading face:\n{report}", b.pdf);
            }
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn chinese_booklets_have_no_half_width_punctuation_between_hanzi() {
    let hanzi = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for b in BOOKLETS.iter().filter(|b| b.footer_zh) {
        let out = Command::new("pdftotext").args([printed().join(b.pdf).to_str().unwrap(), "-"]).output().unwrap();
        let text: Vec<char> = String::from_utf8_lossy(&out.stdout).chars().collect();
        let found: Vec<String> =
            text.windows(3).filter(|w| hanzi(w[0]) && matches!(w[1], ',' | '(' | ')') && hanzi(w[2])).map(|w| w.iter().collect()).collect();
        assert!(found.is_empty(), "{}: half-width punctuation between hanzi: {found:?}", b.pdf);
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn the_official_profile_has_folios_without_the_cover_and_contents_give_the_folio() {
    let out = printed_official();
    for b in BOOKLETS {
        let pdf = out.join(b.pdf);
        let n = page_count(&pdf);
        // (A period's cover reads "2011—2015 年": a dash, but no folio.)
        assert!(!squash(&page_text(&pdf, 1)).contains("—1—"), "{}: the cover has no folio", b.pdf);
        for page in 2..=n {
            let found = squash(&page_text(&pdf, page));
            let folio = format!("—{}—", page - 1);
            assert!(found.contains(&folio), "{} page {page}: no folio \"{folio}\" in\n{found}", b.pdf);
            assert!(!found.contains(&format!("第{page}页")), "{} page {page}: a booklet footer", b.pdf);
        }
        // Official headings are numbered from the structure (一、 in Chinese).
        if b.footer_zh {
            let html = std::fs::read_to_string(out.join(b.html)).unwrap();
            assert!(html.contains("profile-official"), "{}", b.html);
            let first = Html::parse_document(&html);
            let chapter = first.select(&sel("section.chapter[id]")).next().unwrap();
            let id = chapter.value().attr("id").unwrap();
            let page: usize =
                first.select(&sel(&format!("a[href=\"#{id}\"] .toc-page"))).map(text).find_map(|t| t.trim().parse().ok()).unwrap();
            let title = squash(&text(chapter.select(&sel("h1")).next().unwrap()));
            assert!(squash(&page_text(&pdf, page + 1)).contains(&title), "{}: contents folio {page} is not where \"{title}\" is", b.pdf);
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
