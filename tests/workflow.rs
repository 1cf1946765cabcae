//! The editor's workflow: `check` (links, anchors, translation report), `new`.

mod common;

use common::{planpress, Site};

#[test]
fn check_is_green_on_the_example_even_strict() {
    let site = Site::example();
    let run = planpress(&["check", "--root", site.root().to_str().unwrap(), "--strict"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("en: complete, nothing stale"), "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap();
    assert!(last.starts_with("check passed: 0 errors, 0 warnings;") && last.ends_with(", 0 broken"), "{last}");
    let checked: usize = last.split("; ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(checked > 1000, "{last}");
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn check_reports_broken_link_missing_anchor_missing_and_stale_translation() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    // A broken link and a missing anchor in Markdown.
    site.edit(
        "content/pages/about.en.md",
        "\n---\n",
        "\n---\n\n[gone](@/plan/2011/no-such-task/) and [anchor](@/plan/2011/#no-such-anchor)\n\n",
    );
    // A result with no English text.
    std::fs::remove_file(site.path("content/results/2011/academician-workstations.en.md")).unwrap();
    // A stale translation: the example ships with its hashes recorded; change the Chinese source.
    assert!(site.read("content/plan/2011/tasks/talent.en.md").starts_with("---\ntranslated_from: "));
    site.edit("content/plan/2011/tasks/talent.zh.md", "。", "。新增一句。");

    let run = planpress(&["check", "--root", &root]);
    assert_eq!(run.code, 1, "broken links fail even without --strict:\n{}", run.stdout);
    let out = &run.stdout;
    assert!(out.contains("broken link: en/about/index.html → ../../en/plan/2011/no-such-task/ (missing page)"), "{out}");
    assert!(out.contains("(missing anchor)") && out.contains("#no-such-anchor"), "{out}");
    assert!(out.contains("missing  content/results/2011/academician-workstations.en.md"), "{out}");
    assert!(
        out.contains("stale    content/plan/2011/tasks/talent.en.md (its source content/plan/2011/tasks/talent.zh.md changed"),
        "{out}"
    );
    assert!(out.contains("en: 1 missing, 1 stale"), "{out}");

    let json = planpress(&["check", "--root", &root, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["ok"], false);
    assert_eq!(value["links"]["broken"].as_array().unwrap().len(), 2);
    assert_eq!(value["translations"]["en"]["stale"][0]["file"], "content/plan/2011/tasks/talent.en.md");
    assert_eq!(value["translations"]["en"]["missing"][0]["file"], "content/results/2011/academician-workstations.en.md");
}

#[test]
fn check_strict_fails_on_one_untranslated_result_only_with_strict() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    std::fs::remove_file(site.path("content/results/2011/academician-workstations.en.md")).unwrap();
    assert_eq!(planpress(&["check", "--root", &root]).code, 0, "gaps are warnings");
    let strict = planpress(&["check", "--root", &root, "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stdout.contains("en: 1 missing, 0 stale"), "{}", strict.stdout);
    assert!(strict.stderr.contains("academician-workstations.en.md"), "{}", strict.stderr);
}

#[test]
fn new_site_then_each_kind_then_a_clean_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let s = site.to_str().unwrap();
    let run = planpress(&["new", "site", s]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The new site's plan is for the year it was made in; the result must fall in that year, so
    // the date is derived from the plan folder rather than written here (no date that expires).
    let year = std::fs::read_dir(site.join("content/plan")).unwrap().next().unwrap().unwrap().file_name();
    let date = format!("{}-05-01", year.to_str().unwrap());
    for args in [
        vec!["new", "task", "second-task", "--root", s],
        vec!["new", "result", "second-result", "--root", s, "--date", &date],
        vec!["new", "partner", "second-partner", "--root", s],
        vec!["new", "page", "contact", "--root", s],
    ] {
        let run = planpress(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("created "), "{}", run.stdout);
    }
    let again = planpress(&["new", "page", "contact", "--root", s]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("refusing to overwrite"), "{}", again.stderr);
    assert_eq!(planpress(&["new", "site", s]).code, 1, "new site refuses an existing site");
    // What `new` wrote in English is placeholder text: missing (reported) until translated.
    let check = planpress(&["check", "--root", s, "--strict"]);
    assert_eq!(check.code, 1, "{}\n{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("missing  content/pages/contact.en.md"), "{}", check.stdout);
    // Everything `new` writes is a draft: off the public site until signed off.
    let build = planpress(&["build", "--root", s]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.join("public/zh/index.html").is_file(), "the starter content is published");
    assert!(!site.join("public/en/contact/index.html").exists());
    let approve = planpress(&["approve", "content/pages/contact.zh.md", "content/partners/second-partner.yaml", "--by", "t", "--root", s]);
    assert_eq!(approve.code, 0, "{}", approve.stderr);
    let build = planpress(&["build", "--root", s]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.join("public/en/contact/index.html").is_file());
    assert!(site.join("public/zh/partners/second-partner/index.html").is_file());
}

/// `new result` without `--date` dates the result today when its plan year is this year, else on
/// the year's last day. Every expected date comes from the plan year under test, none is written
/// here, so the test holds in any year (even across a New Year's midnight).
#[test]
fn new_result_without_a_date_falls_in_its_plan_year() {
    let example = Site::example();
    let root = example.root().to_str().unwrap().to_owned();
    let run = planpress(&["new", "result", "undated", "--root", &root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = example.read("content/results/2011/undated.yaml");
    assert!(yaml.contains("\ndate: 2011-12-31\n"), "a past plan year: its last day\n{yaml}");

    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert_eq!(planpress(&["new", "site", site.to_str().unwrap()]).code, 0);
    let year = std::fs::read_dir(site.join("content/plan")).unwrap().next().unwrap().unwrap().file_name().into_string().unwrap();
    let run = planpress(&["new", "result", "undated", "--root", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = std::fs::read_to_string(site.join(format!("content/results/{year}/undated.yaml"))).unwrap();
    let date = yaml.lines().find_map(|l| l.strip_prefix("date: ")).unwrap_or_else(|| panic!("no date in\n{yaml}"));
    assert!(date.len() == 10 && date.starts_with(&format!("{year}-")), "{date}: in the plan year {year}");
}
