//! Translations: the example ships tracked, `check --update-hashes` confirms what it is told to,
//! `--strict` counts what is stale, and `new` never publishes placeholder text as a translation.

mod common;

use common::{planpress, Site};

/// Every `.md` file of the example outside the default language (zh).
fn translations(site: &Site) -> Vec<String> {
    walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(site.root()).unwrap().to_str().unwrap().to_owned())
        .filter(|p| p.ends_with(".md") && !p.ends_with(".zh.md"))
        .collect()
}

#[test]
fn the_example_ships_tracked_so_editing_chinese_is_reported_at_once() {
    let site = Site::example();
    let all = translations(&site);
    assert!(all.len() >= 20, "{all:?}");
    for file in &all {
        let text = site.read(file);
        let front = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(f, _)| f).unwrap_or_default();
        assert!(front.lines().any(|l| l.starts_with("translated_from: ")), "{file} has no translated_from");
    }
    let root = site.root().to_str().unwrap();
    let clean = planpress(&["check", "--root", root]);
    assert!(clean.stdout.contains("en: complete, nothing stale"), "{}", clean.stdout);

    site.edit("content/results/2011/agri-parks.zh.md", "。", "。新增一句。");
    let run = planpress(&["check", "--root", root]);
    assert!(run.stdout.contains("en: 0 missing, 1 stale"), "{}", run.stdout);
    assert!(
        run.stdout.contains("stale    content/results/2011/agri-parks.en.md (its source content/results/2011/agri-parks.zh.md changed"),
        "{}",
        run.stdout
    );
}
