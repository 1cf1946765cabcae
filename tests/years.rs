//! Years and periods (issue 12): the three-year fixture made with `new plan --from`, the checks
//! of continuations, periods and summaries, and what `check` tells about the years.

mod common;

use common::years::{three_years, CONTINUING};
use common::{planpress, Site};

fn check(site: &Site) -> common::Run {
    planpress(&["check", "--root", site.root().to_str().unwrap()])
}

#[test]
fn new_plan_from_copies_every_task_as_a_continuation() {
    let site = Site::example();
    let root = site.root().to_str().unwrap();
    let run = planpress(&["new", "plan", "2012", "--from", "2011", "--root", root]);
    run.assert_ok();
    // plan.yaml and 11 tasks of three files each; not the preamble, which speaks of 2011.
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("created ")).count(), 1 + 33, "{}", run.stdout);
    assert!(!site.path("content/plan/2012/preamble.zh.md").exists());
    let plan = site.read("content/plan/2012/plan.yaml");
    assert!(plan.starts_with("year: 2012\n"), "{plan}");
    assert!(plan.contains("新疆维吾尔自治区2012年科技工作要点") && !plan.contains("2011"), "{plan}");
    assert!(!plan.contains("source:") && !plan.contains("context:"), "the 2011 source and context stay with 2011:\n{plan}");
    let task = site.read("content/plan/2012/tasks/agriculture.yaml");
    assert!(task.contains("slug: agriculture\ncontinues: agriculture\n"), "{task}");
    // The text and its translation hash are copied as they are: nothing is stale.
    assert_eq!(site.read("content/plan/2012/tasks/agriculture.en.md"), site.read("content/plan/2011/tasks/agriculture.en.md"));
    let checked = check(&site);
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
    assert!(checked.stdout.contains("en: complete, nothing stale"), "{}", checked.stdout);
    // The YAML fields keep their translation status: the 2012 title is tracked, and goes stale
    // when its Chinese text changes.
    assert!(site.read("content/translations/en.yaml").contains("plan/2012/plan.yaml:\n"));
    site.edit("content/plan/2012/plan.yaml", "新疆维吾尔自治区2012年科技工作要点", "新疆维吾尔自治区2012年科技工作要点（修订）");
    let stale = check(&site);
    assert!(stale.stdout.contains("content/plan/2012/plan.yaml:3:3: title"), "{}", stale.stdout);
    // A second run refuses to overwrite the year.
    let again = planpress(&["new", "plan", "2012", "--from", "2011", "--root", root]);
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("2012 has a plan already"), "{}", again.stderr);
}

#[test]
fn the_three_year_fixture_checks_clean_and_reports_its_years() {
    let site = three_years();
    let run = check(&site);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("warning"), "the fixture builds with no warning:\n{}", run.stderr);
    // 2013 has no summary yet: told, as information.
    assert!(run.stdout.contains("content/results/2013/summary.yaml: 2013 has no year-end summary yet"), "{}", run.stdout);
    assert!(!run.stdout.contains("2012 has no year-end summary"), "{}", run.stdout);
    // Every 2012 and 2013 task continues or is new: no notice about tasks.
    assert!(!run.stdout.contains("neither continues"), "{}", run.stdout);
    for slug in CONTINUING {
        assert!(site.read(&format!("content/plan/2013/tasks/{slug}.yaml")).contains(&format!("continues: {slug}\n")));
    }
}

#[test]
fn a_task_that_neither_continues_nor_is_new_is_reported() {
    let site = three_years();
    site.edit("content/plan/2012/tasks/talent.yaml", "continues: talent\n", "");
    let run = planpress(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "information, not a failure: {}", run.stderr);
    assert!(run.stdout.contains("task `talent` neither continues a task of 2011"), "{}", run.stdout);
    let zh = common::planpress_with_locale(&["check", "--root", site.root().to_str().unwrap()], "zh_CN.UTF-8");
    assert!(zh.stdout.contains("重点任务 `talent` 既未接续 2011 年的任务"), "{}", zh.stdout);
}

/// Breaks the fixture, expects `check` to fail with every `expected` text.
fn fails(breakage: impl FnOnce(&Site), expected: &[&str]) {
    let site = three_years();
    breakage(&site);
    let run = check(&site);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "stderr lacks {text:?}:\n{}", run.stderr);
    }
}

#[test]
fn a_continuation_names_a_task_of_the_year_before() {
    fails(
        |s| s.edit("content/plan/2012/tasks/talent.yaml", "continues: talent", "continues: talents"),
        &["error[E-ref]: 2011 has no task `talents` to continue", "content/plan/2012/tasks/talent.yaml:3:12", "did you mean `talent`?"],
    );
    // 2013 continues 2012, where intellectual-property is now `patents`.
    fails(
        |s| s.edit("content/plan/2013/tasks/patents.yaml", "continues: patents", "continues: intellectual-property"),
        &["2012 has no task `intellectual-property` to continue"],
    );
    fails(
        |s| s.edit("content/plan/2011/tasks/talent.yaml", "slug: talent\n", "slug: talent\ncontinues: talent\n"),
        &["error[E-continues]: no plan before 2011 has a task to continue"],
    );
    fails(
        |s| s.edit("content/plan/2012/tasks/talent.yaml", "continues: talent\n", "continues: talent\nnew: true\n"),
        &["error[E-continues]: a task cannot both continue another and be new"],
    );
}

#[test]
fn periods_are_checked() {
    fails(
        |s| s.edit("content/periods/test-period.yaml", "last_year: 2013", "last_year: 2010"),
        &["error[E-period]: last_year 2010 is before first_year 2011", "content/periods/test-period.yaml:4:12"],
    );
    fails(
        |s| s.edit("content/periods/test-period.yaml", "{year: 2012,", "{year: 2014,"),
        &["milestone year 2014 is not a year of 2011–2013"],
    );
    fails(
        |s| s.edit("content/periods/test-period.yaml", "    illustrative: true\n", ""),
        &["error[E-source]: period target `events-held` has no source", "illustrative: true"],
    );
    fails(
        |s| s.edit("content/periods/test-period.yaml", "metric: events-held", "metric: event-held"),
        &["unknown metric `event-held`", "did you mean `events-held`?"],
    );
    fails(|s| s.edit("content/periods/test-period.yaml", "id: test-period", "id: other"), &["error[E-id-file]"]);
}

#[test]
fn summaries_are_checked_and_the_current_year_follows_the_newest_plan() {
    let site = three_years();
    site.edit("content/results/2012/summary.yaml", "date: 2013-01-21", "date: 2011-12-01");
    site.edit("content/site.yaml", "print:", "current_year: 2012\nprint:");
    let run = check(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W-date]: the summary of 2012 is dated 2011-12-01"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[W-current-year]: current_year 2012 is older than the newest plan, 2013"), "{}", run.stderr);
    fails(
        |s| s.edit("content/results/2011/summary.yaml", "date: 2012-01-16", "date: 2012-13-01"),
        &["error[E-date]", "content/results/2011/summary.yaml:3:7"],
    );
}
