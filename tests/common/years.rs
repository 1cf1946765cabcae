//! The three-year fixture of the years tests: 2011 from the example, 2012 and 2013 made the
//! way an editor makes them (`planpress new plan <year> --from <year before>`, then edited), with
//! results, year-end summaries and a test period. Everything added is test data, not the
//! department's.

use super::{planpress, Site};

/// Slugs of the 2011 tasks that continue, unchanged, into 2012 and 2013.
pub const CONTINUING: &[&str] = &[
    "agriculture",
    "high-tech",
    "innovation-system",
    "international",
    "livelihoods",
    "major-projects",
    "resources-environment",
    "st-assistance",
    "talent",
];

/// The example plus 2012 (a task renamed: intellectual-property → patents; one dropped:
/// st-revitalisation; one new: digital) and 2013 (continuing 2012 unchanged), two results in
/// 2012 and one in 2013, summaries of 2011 and 2012, and `content/periods/test-period.yaml`
/// (2011–2013, an `events-held` total of 20 with a 2012 milestone of 8). `current_year` is
/// removed, so the newest plan (2013) is the current year.
pub fn three_years() -> Site {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    site.edit("content/site.yaml", "current_year: 2011\n", "");
    // A plan is dated in February of its own year (the example's 2011 plan: 12 February).
    let plan_date = |year: u32, day: u32| format!("{year}-02-{day:02}");
    planpress(&["new", "plan", "2012", "--from", "2011", "--root", &root]).assert_ok();
    // A new plan year starts as a draft: signed off here, like the example's 2011, on its own date.
    planpress(&["approve", "content/plan/2012/plan.yaml", "--by", "example", "--date", &plan_date(2012, 20), "--root", &root]).assert_ok();
    site.edit("content/plan/2012/plan.yaml", "date: 2012-01-01", &format!("date: {}", plan_date(2012, 20)));
    let tasks = "content/plan/2012/tasks";
    for ext in ["yaml", "zh.md", "en.md"] {
        std::fs::rename(site.path(&format!("{tasks}/intellectual-property.{ext}")), site.path(&format!("{tasks}/patents.{ext}"))).unwrap();
        std::fs::remove_file(site.path(&format!("{tasks}/st-revitalisation.{ext}"))).unwrap();
    }
    site.edit(&format!("{tasks}/patents.yaml"), "slug: intellectual-property\n", "slug: patents\n");
    site.write(
        &format!("{tasks}/digital.yaml"),
        "number: 12\nslug: digital\nnew: true\ntitle: {zh: 测试：推进信息化与科技融合, en: \"Test: bring IT and S&T together\"}\nactions: []\ntargets:\n  - {metric: events-held, value: 2}\npartners: [beijing]\n",
    );
    site.write(&format!("{tasks}/digital.zh.md"), "测试任务正文。\n");
    site.write(&format!("{tasks}/digital.en.md"), "Text of the test task.\n");
    planpress(&["new", "plan", "2013", "--from", "2012", "--root", &root]).assert_ok();
    planpress(&["approve", "content/plan/2013/plan.yaml", "--by", "example", "--date", &plan_date(2013, 25), "--root", &root]).assert_ok();
    site.edit("content/plan/2013/plan.yaml", "date: 2013-01-01", &format!("date: {}", plan_date(2013, 25)));
    result(&site, 2012, "fair-2012", "2012-06-10", "st-assistance", "events-held", 4);
    result(&site, 2012, "patents-2012", "2012-11-30", "patents", "patent-applications", 9000);
    result(&site, 2013, "fair-2013", "2013-06-12", "st-assistance", "events-held", 5);
    summary(&site, 2011, "2012-01-16");
    summary(&site, 2012, "2013-01-21");
    site.write(
        "content/periods/test-period.yaml",
        "id: test-period\ntitle: {zh: 测试规划期（2011—2013年）, en: Test period (2011–2013)}\nfirst_year: 2011\nlast_year: 2013\ntargets:\n  - metric: events-held\n    value: 20\n    illustrative: true\n    milestones:\n      - {year: 2012, value: 8}\n",
    );
    site
}

fn result(site: &Site, year: u32, slug: &str, date: &str, task: &str, metric: &str, value: u32) {
    let dir = format!("content/results/{year}");
    site.write(
        &format!("{dir}/{slug}.yaml"),
        &format!("slug: {slug}\ndate: {date}\ntitle: {{zh: 测试成果 {slug}, en: \"Test result {slug}\"}}\ntasks: [{task}]\npartners: [beijing]\nvalues:\n  - {{metric: {metric}, value: {value}}}\nillustrative: true\n"),
    );
    site.write(&format!("{dir}/{slug}.zh.md"), "测试成果说明。\n");
    site.write(&format!("{dir}/{slug}.en.md"), "What the test result achieved.\n");
}

fn summary(site: &Site, year: u32, date: &str) {
    let dir = format!("content/results/{year}");
    site.write(
        &format!("{dir}/summary.yaml"),
        &format!("title: {{zh: 测试：{year}年科技工作总结, en: \"Test: Summary of S&T Work {year}\"}}\nissuer: {{zh: 测试科技厅, en: Test Department}}\ndate: {date}\n"),
    );
    site.write(&format!("{dir}/summary.zh.md"), &format!("{year}年工作总结的前言（测试）。\n"));
    site.write(&format!("{dir}/summary.en.md"), &format!("Foreword of the {year} summary (test).\n"));
}
