//! A partner whose rows take more than a page: the example keeps every group on one page, so
//! this site gives one partner (Anhui) more areas than a page holds, in every edition.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{page_count, print_site, squash};

/// A page's text line by line as laid out (a table row is a line, its cells in order).
fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let out =
        std::process::Command::new("pdftotext").args(["-layout", "-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The areas of the long group: (Chinese, English) names, each in one row.
const AREAS: usize = 56;

fn area(i: usize) -> (String, String) {
    (format!("长表县{i:02}"), format!("Long County {i:02}"))
}

fn printed_long() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        print_site("pdf-continued", &[], |root| {
            let mut yaml =
                String::from("id: anhui\nrole: supporter\norder: 19\nname:\n  zh: 安徽省\n  en: \"Anhui Province\"\nrecipients:\n");
            for i in 1..=AREAS {
                let (zh, en) = area(i);
                yaml.push_str(&format!("  - name:\n      zh: {zh}\n      en: \"{en}\"\n"));
            }
            yaml.push_str(crate::common::EXAMPLE_SIGN_OFF);
            yaml.push('\n');
            std::fs::write(root.join("content/partners/anhui.yaml"), yaml).unwrap();
        })
    })
}

struct Edition {
    pdf: &'static str,
    /// What the continued group and the continued table read, in each language printed.
    group: &'static [&'static str],
    table: &'static [&'static str],
}

const EDITIONS: &[Edition] = &[
    Edition { pdf: "zh/reports/plan-2011/plan-2011-zh.pdf", group: &["安徽省（续）"], table: &["续表：对口支援省市"] },
    Edition {
        pdf: "en/reports/plan-2011/plan-2011-en.pdf",
        group: &["Anhui Province (continued)"],
        table: &["Supporting provinces and municipalities (continued)"],
    },
    Edition {
        pdf: "reports/plan-2011-bilingual/plan-2011-bilingual.pdf",
        group: &["安徽省（续）", "Anhui Province (continued)"],
        table: &["续表：对口支援省市", "Supporting provinces and municipalities (continued)"],
    },
];

/// The pages (from 1) on which each area's names are, per language: (zh, en).
fn area_pages(pdf: &Path) -> Vec<(Vec<usize>, Vec<usize>)> {
    let pages: Vec<String> = (1..=page_count(pdf)).map(|p| squash(&page_text(pdf, p))).collect();
    (1..=AREAS)
        .map(|i| {
            let (zh, en) = area(i);
            let on = |name: &str| -> Vec<usize> {
                let name = squash(name);
                pages.iter().enumerate().filter(|(_, text)| text.contains(&name)).map(|(k, _)| k + 1).collect()
            };
            (on(&zh), on(&en))
        })
        .collect()
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn a_group_that_goes_on_to_a_new_page_repeats_its_name_and_the_table_its_caption_as_continued() {
    let out = printed_long();
    for e in EDITIONS {
        let pdf = out.join(e.pdf);
        let en_only = e.pdf.starts_with("en/");
        // The page of each area's row (in the language printed first).
        let pages: Vec<usize> = area_pages(&pdf)
            .into_iter()
            .enumerate()
            .map(|(i, (zh, en))| {
                let on = if en_only { en } else { zh };
                assert_eq!(on.len(), 1, "{}: area {} is on pages {on:?}", e.pdf, i + 1);
                on[0]
            })
            .collect();
        let (first, last) = (pages[0], pages[AREAS - 1]);
        assert!(last > first, "{}: the long group fits on page {first}; the fixture needs more areas", e.pdf);
        // The group begins on its first page (the table may go on there: the group is kept
        // whole where it fits, and this one does not, so it starts a page of its own).
        let first_text = squash(&page_text(&pdf, first));
        for label in e.group {
            assert!(!first_text.contains(&squash(label)), "{} page {first}: \"{label}\" on the group's first page", e.pdf);
        }
        for page in first + 1..=last {
            let lines: Vec<String> = page_text(&pdf, page).lines().map(squash).collect();
            // The first area on this page, and the line its row begins on.
            let area_here = pages.iter().position(|&p| p == page).unwrap_or_else(|| panic!("{} page {page}: no area", e.pdf));
            let (zh, en) = area(area_here + 1);
            let name = squash(if en_only { &en } else { &zh });
            let at = lines.iter().position(|l| l.contains(&name)).unwrap();
            // The table's name "continued": a line of its own, once, above the rows.
            for label in e.table {
                let found: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.contains(&squash(label))).map(|(k, _)| k).collect();
                assert!(
                    found.len() == 1 && found[0] < at,
                    "{} page {page}: \"{label}\" not once above line {at}:\n{}",
                    e.pdf,
                    lines.join("\n")
                );
            }
            // The group's name "continued" in the first row's cell (it may wrap: the row's lines
            // without the areas' names read it).
            let mut cell: String = lines[at..(at + 4).min(lines.len())].concat().replace('—', "");
            for i in 1..=AREAS {
                let (zh, en) = area(i);
                cell = cell.replace(&squash(&zh), "").replace(&squash(&en), "");
            }
            for label in e.group {
                assert!(cell.contains(&squash(label)), "{} page {page}: no \"{label}\" in the first row:\n{cell}", e.pdf);
            }
        }
    }
}

#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn a_bilingual_row_is_never_split_between_pages() {
    let out = printed_long();
    let pdf = out.join(EDITIONS[2].pdf);
    let pages = area_pages(&pdf);
    let spread: Vec<usize> = pages.iter().flat_map(|(zh, _)| zh.clone()).collect();
    // The group spans pages, so rows do fall at page feet.
    assert!(spread.iter().max() > spread.iter().min(), "the bilingual long group is on one page: {spread:?}");
    for (i, (zh, en)) in pages.iter().enumerate() {
        assert!(zh.len() == 1 && zh == en, "area {}: its Chinese half is on pages {zh:?}, its English half on {en:?}", i + 1);
    }
}
