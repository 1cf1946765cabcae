//! Chinese punctuation: half-width `, ( )` next to hanzi in the example's Chinese source are
//! printed full-width on the site and in the booklets, `check` lists each place in the source
//! as a note (never failing `--strict`), and `typography: {normalise_punctuation: false}` prints
//! the text as written.

mod common;

use common::Site;

/// Half-width `,` or `(` between two hanzi, as the issue counts them.
fn half_width_between_hanzi(text: &str) -> Vec<String> {
    let hanzi = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).filter(|w| hanzi(w[0]) && matches!(w[1], ',' | '(' | ')' | ';') && hanzi(w[2])).map(|w| w.iter().collect()).collect()
}

#[test]
fn the_built_chinese_pages_and_booklets_have_full_width_punctuation() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let task = site.read("public/zh/plan/2011/talent/index.html");
    // The source reads "重大科研基地等,引进" (content/plan/2011/tasks/talent.zh.md).
    assert!(task.contains("重大科研基地等，引进"), "the task page is normalised");
    for page in
        ["public/zh/plan/2011/talent/index.html", "public/zh/reports/plan-2011/index.html", "public/reports/plan-2011-bilingual/index.html"]
    {
        let html = site.read(page);
        let found = half_width_between_hanzi(&html);
        assert!(found.is_empty(), "{page}: half-width punctuation between hanzi: {found:?}");
    }
    // English is left as written.
    let en = site.read("public/en/plan/2011/talent/index.html");
    assert!(en.contains(", "), "English keeps its commas");
}

#[test]
fn check_lists_each_place_in_the_source_as_a_note_and_strict_still_passes() {
    let site = Site::example();
    let run = common::planpress(&["check", "--strict", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "check --strict fails on notes:\n{}\n{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("note[I-punctuation]: half-width `,` in Chinese text, printed as `，`"), "{all}");
    let talent = all.find("content/plan/2011/tasks/talent.zh.md:").expect("a note in talent.zh.md");
    let after = &all[talent..];
    assert!(after.lines().take(5).any(|l| l.trim_start().starts_with("| ") && l.trim_end().ends_with('^')), "caret:\n{after}");
    // A YAML field is positioned at its text, not at its map.
    assert!(all.contains("content/plan/2011/plan.yaml:"), "{all}");
}

#[test]
fn normalisation_can_be_turned_off() {
    let site = Site::example();
    site.edit("content/site.yaml", "print: {paper: a4}", "print: {paper: a4}\ntypography: {normalise_punctuation: false}");
    site.build(&[]).assert_ok();
    let task = site.read("public/zh/plan/2011/talent/index.html");
    assert!(task.contains("重大科研基地等,引进"), "printed as written");
}
