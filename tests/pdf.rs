//! Real PDFs printed by Chromium: page counts, contents page numbers against the pages where
//! pdftotext finds each chapter title, footers, fonts, extractable task titles.
//!
//! Every test needs Chromium and poppler-utils, so each is `#[ignore = "needs …"]`: `cargo test`
//! lists them as ignored, `cargo test -- --include-ignored` (what `.ci/run` runs) runs them, and
//! then a missing tool fails the test with what to install.

mod common;
// The printed size of chart text.
#[path = "pdf/chart_text.rs"]
mod chart_text;
// Tables that go on to a new page: continuation labels, bilingual rows kept whole.
#[path = "pdf/continued.rs"]
mod continued;

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

/// The Chinese booklets with `--prepress` and `print: {pad: 4}`.
fn printed_prepress() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        print_edited("pdf-prepress", &["--prepress", "--lang", "zh"], |yaml| {
            yaml.replace("print: {paper: a4}", "print: {paper: a4, pad: 4}")
        })
    })
}

fn print_with(name: &str, extra: &[&str]) -> PathBuf {
    print_edited(name, extra, |yaml| yaml)
}

fn print_edited(name: &str, extra: &[&str], site_yaml: impl Fn(String) -> String) -> PathBuf {
    print_site(name, extra, |root| {
        let yaml = root.join("content/site.yaml");
        std::fs::write(&yaml, site_yaml(std::fs::read_to_string(&yaml).unwrap())).unwrap();
    })
}

/// Prints a copy of the example, edited by `edit` (given the site's root) first.
fn print_site(name: &str, extra: &[&str], edit: impl Fn(&Path)) -> PathBuf {
    {
        let install =
            "apt-get install chromium poppler-utils fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fonts-dejavu (see .ci/run)";
        common::tool(&["chromium", "chromium-browser", "google-chrome"], install);
        for poppler in ["pdftotext", "pdffonts", "pdfinfo"] {
            common::tool(&[poppler], install);
        }
        let root = common::scratch_dir(name);
        common::copy_example(&root);
        edit(&root);
        let out = root.join("public");
        let mut args = vec!["pdf", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = common::planpress(&args);
        assert_eq!(run.code, 0, "planpress pdf failed:\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains(if extra.contains(&"zh") { "printed 3 booklets" } else { "printed 9 booklets" }), "{}", run.stdout);
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
        // The last page is the end matter (版记) alone at its foot, without a folio, as is a
        // blank page before it (GB/T 9704 §7.4); it is an even page.
        let last = squash(&page_text(&pdf, n));
        assert!(!last.contains(&format!("—{}—", n - 2)), "{}: the end matter's page has no folio:\n{last}", b.pdf);
        assert!(
            last.contains("印发") || last.contains("issued") || last.contains("Issued"),
            "{}: no end matter on the last page:\n{last}",
            b.pdf
        );
        assert_eq!(n % 2, 0, "{}: the end matter is on a left-hand page ({n} with the cover)", b.pdf);
        assert!(squash(&page_text(&pdf, 2)).is_empty(), "{}: the back of the cover is blank", b.pdf);
        for page in 3..n {
            let found = squash(&page_text(&pdf, page));
            if found.is_empty() {
                continue; // the blank before the end matter
            }
            let folio = format!("—{}—", page - 2);
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
            assert!(squash(&page_text(&pdf, page + 2)).contains(&title), "{}: contents folio {page} is not where \"{title}\" is", b.pdf);
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

/// Each page's fill from pdftotext's word boxes: how far down the type area (the page less
/// `top` and `bottom`, in points) its lowest word reaches; `None` for a page without a word.
fn page_fills(pdf: &Path, top: f64, bottom: f64) -> Vec<Option<f64>> {
    let out = Command::new("pdftotext").args(["-bbox", pdf.to_str().unwrap(), "-"]).output().unwrap();
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let height = attr(page, "height");
            let words: Vec<f64> = page.split("<word ").skip(1).map(|w| attr(w, "yMax")).collect();
            if words.is_empty() {
                return None;
            }
            let body: Vec<f64> = words.into_iter().filter(|y| *y > top && *y < height - bottom + 2.0).collect();
            Some((body.into_iter().fold(top, f64::max) - top) / (height - top - bottom))
        })
        .collect()
}

/// The first page of each chapter, from the contents (official folios do not count the cover).
fn chapter_starts(html: &Path, folio_offset: usize) -> Vec<usize> {
    let html = Html::parse_document(&std::fs::read_to_string(html).unwrap());
    let mut starts: Vec<usize> =
        html.select(&sel(".toc-page")).filter_map(|p| text(p).trim().parse::<usize>().ok()).map(|p| p + folio_offset).collect();
    starts.sort_unstable();
    starts
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn no_page_is_left_nearly_empty_in_any_profile_or_size() {
    let mm = |v: f64| v * 72.0 / 25.4;
    for (profile, out, (top, bottom), offset) in [
        ("booklet A4", printed(), (mm(20.0), mm(22.0)), 0),
        ("booklet A5", printed_a5(), (mm(20.0), mm(22.0)), 0),
        ("official", printed_official(), (mm(37.0), mm(35.0)), 2),
    ] {
        for b in BOOKLETS {
            let pdf = out.join(b.pdf);
            let fills = page_fills(&pdf, top, bottom);
            let starts = chapter_starts(&out.join(b.html), offset);
            let n = fills.len();
            for (i, fill) in fills.iter().enumerate().skip(1) {
                let page = i + 1;
                // A blank page (print.pad, or before the official end matter) has no word.
                let Some(fill) = fill else { continue };
                // A chapter's last page before a chapter of several pages ends where its text
                // ends (a short chapter after it runs on instead where it fits: `pdf`'s repair).
                let next = starts.iter().position(|&s| s == page + 1);
                // A chapter's last page before a chapter of one page that does not fit beside
                // it, the same.
                let before_long = next.is_some_and(|k| {
                    starts.get(k + 1).copied().unwrap_or(n + 1) > page + 2 || fills[i + 1].is_some_and(|f| fill + 0.06 + f > 0.92)
                });
                // So does the booklet's last page of text (an end matter or back cover may follow).
                let rest = &fills[i + 1..];
                let after_text =
                    if offset == 2 { rest.iter().rev().skip(1).all(Option::is_none) } else { rest.iter().all(Option::is_none) };
                let last_text = starts.last().is_some_and(|&s| s <= page) && after_text;
                if before_long || last_text {
                    continue;
                }
                assert!(*fill >= 0.25, "{profile} {} page {page} of {n}: {:.0} % filled", b.pdf, fill * 100.0);
            }
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn every_cover_says_the_example_is_not_the_official_site_and_the_pdf_opens_with_its_bookmarks() {
    let out = printed();
    for b in BOOKLETS {
        let pdf = out.join(b.pdf);
        let cover = squash(&page_text(&pdf, 1));
        if b.footer_zh {
            assert!(cover.contains("示例网站，非新疆维吾尔自治区科学技术厅官方网站"), "{}: no notice on the cover:\n{cover}", b.pdf);
        }
        if !b.footer_zh || b.html.starts_with("reports/") {
            assert!(cover.contains("Examplesite,nottheofficialsiteofthe"), "{}: no notice on the cover:\n{cover}", b.pdf);
        }
        let doc = lopdf::Document::load(&pdf).unwrap();
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"PageMode").unwrap().as_name().unwrap(), b"UseOutlines", "{}", b.pdf);
        let lang = catalog.get(b"Lang").unwrap().as_str().unwrap();
        let expected = if b.footer_zh { "zh-Hans" } else { "en" };
        assert_eq!(String::from_utf8_lossy(lang), expected, "{}", b.pdf);
    }
    let html = std::fs::read_to_string(out.join(BOOKLETS[0].html)).unwrap();
    assert!(html.contains("rel=icon") || html.contains("rel=\"icon\""), "a booklet page names its icon (no request for /favicon.ico)");
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn prepress_gives_the_cover_bleed_and_every_page_its_trim_and_a_padded_booklet_a_back_cover() {
    let out = printed_prepress();
    for b in BOOKLETS.iter().filter(|b| b.pdf.starts_with("zh/")) {
        let pdf = out.join(b.pdf);
        let n = page_count(&pdf);
        assert_eq!(n % 4, 0, "{}: {n} pages, not a multiple of 4", b.pdf);
        let back = squash(&page_text(&pdf, n));
        assert!(back.contains("新疆维吾尔自治区科学技术厅") && back.contains("示例网站"), "{}: back cover:\n{back}", b.pdf);
        let boxes = Command::new("pdfinfo").args(["-box", "-f", "1", "-l", "2", pdf.to_str().unwrap()]).output().unwrap();
        let boxes = String::from_utf8_lossy(&boxes.stdout).into_owned();
        let get = |page: usize, name: &str| -> Vec<f64> {
            let line =
                boxes.lines().find(|l| l.starts_with(&format!("Page    {page} {name}"))).unwrap_or_else(|| panic!("{name}:\n{boxes}"));
            line.split_whitespace().skip(3).map(|v| v.parse().unwrap()).collect()
        };
        let (media, trim, bleed) = (get(1, "MediaBox:"), get(1, "TrimBox:"), get(1, "BleedBox:"));
        assert_eq!(bleed, media, "{}: the cover's BleedBox is its sheet", b.pdf);
        let bleed_pt = 3.0 * 72.0 / 25.4;
        for k in 0..4 {
            let inset = if k < 2 { trim[k] - media[k] } else { media[k] - trim[k] };
            assert!((inset - bleed_pt).abs() < 0.2, "{}: the cover's TrimBox {trim:?} is not 3 mm inside {media:?}", b.pdf);
        }
        // The trimmed cover is A4 (595 × 842 pt), as the other pages are.
        assert!((trim[2] - trim[0] - 595.3).abs() < 1.0 && (trim[3] - trim[1] - 841.9).abs() < 1.0, "{}: {trim:?}", b.pdf);
        assert_eq!(get(2, "TrimBox:"), get(2, "MediaBox:"), "{}: page 2 is not bled", b.pdf);
        // The back cover is bled as the front one is; the blanks before it have no folio.
        let last =
            Command::new("pdfinfo").args(["-box", "-f", &n.to_string(), "-l", &n.to_string(), pdf.to_str().unwrap()]).output().unwrap();
        let last = String::from_utf8_lossy(&last.stdout).into_owned();
        let trim_line = last.lines().find(|l| l.contains("TrimBox:")).unwrap();
        assert!(trim_line.contains("8.50"), "{}: the back cover's TrimBox: {trim_line}", b.pdf);
        for page in 2..n {
            let text = squash(&page_text(&pdf, page));
            assert_ne!(text, format!("第{page}页/共{n}页"), "{} page {page}: a blank page with a folio", b.pdf);
        }
    }
}
