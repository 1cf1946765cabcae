//! Review and sign-off: states validated where they are written, a public build that leaks
//! nothing of a draft, a preview that marks every state (pages and printed booklets), the
//! `check --review` trail (figures, git changes after sign-off), `approve` and `new`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{example_sign_off_date, planpress, planpress_with_locale, Site, EXAMPLE_SIGN_OFF};

const DRAFT: &str = "review: {state: draft}\n";

/// Appends a line to a file of the site.
fn append(site: &Site, rel: &str, line: &str) {
    let text = site.read(rel);
    site.write(rel, &format!("{text}{line}"));
}

/// The example with a draft of every kind, each renamed to a marker a leak would show: a task
/// (that an approved result names), a result (with a figure no other record has), a partner, the
/// period, a free page (that an approved page links to) and a whole plan year (2012).
fn drafts() -> Site {
    let site = Site::example();
    let task = "content/plan/2011/tasks/talent.yaml";
    site.edit(task, "  zh: 加大人才培养和激励力度,推进科技人才队伍建设", "  zh: 泄密标记任务");
    site.edit(task, "  en: Step up talent training", "  en: LEAKMARK task");
    append(&site, task, DRAFT);
    let result = "content/results/2011/agri-parks.yaml";
    site.edit(result, "  zh: 示例：农业科技园区建设与农村科技培训", "  zh: 泄密标记成果");
    site.edit(result, "  en: \"Example: agricultural", "  en: \"LEAKMARK result");
    site.edit(result, "value: 36000", "value: 97531");
    site.edit(result, EXAMPLE_SIGN_OFF, "review: {state: for-approval, drafter: 王某, reviewer: 李某}");
    let partner = "content/partners/shenzhen.yaml";
    site.edit(partner, "  zh: 深圳市", "  zh: 泄密标记省市");
    site.edit(partner, "  en: \"Shenzhen Municipality\"", "  en: \"LEAKMARK partner\"");
    site.edit(partner, EXAMPLE_SIGN_OFF, "review: {state: for-comment}");
    let period = "content/periods/12th-five-year.yaml";
    site.edit(period, "  zh: “十二五”时期（2011—2015年）", "  zh: 泄密标记规划期");
    site.edit(period, "  en: The 12th Five-Year Plan period", "  en: LEAKMARK period");
    site.edit(period, EXAMPLE_SIGN_OFF, "review: {state: draft}");
    site.edit("content/pages/contact.zh.md", "title: 联系方式", "title: 泄密标记页面\nreview: {state: for-comment}");
    site.edit("content/pages/contact.en.md", "title: Contact", "title: LEAKMARK page");
    let about = site.read("content/pages/about.zh.md");
    site.write("content/pages/about.zh.md", &format!("{about}\n联系方式见[联系页面](@/contact/)。\n"));
    let run = planpress(&["new", "plan", "2012", "--from", "2011", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(site.read("content/plan/2012/plan.yaml").contains("review: {state: draft}"), "new plan writes a draft");
    site
}

/// What a draft shows as: its markers, its figure and the paths of its pages and booklets.
const LEAKS: &[&str] = &[
    "泄密标记",
    "LEAKMARK",
    "97531",
    "97,531",
    "9.7531",
    "plan/2011/talent",
    "results/2011/agri-parks",
    "partners/shenzhen",
    "periods/12th-five-year",
    "period-12th-five-year",
    "contact/",
    "plan/2012",
    "plan-2012",
];

#[test]
fn a_public_build_leaks_nothing_of_a_draft() {
    let site = drafts();
    site.build(&[]).assert_ok();
    let out = site.path("public");
    assert!(!out.join("PREVIEW.txt").exists(), "a public build is not marked a preview");
    let files = common::tree(&out);
    assert!(files.len() > 50, "{}", files.len());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for leak in LEAKS {
            assert!(!text.contains(leak) && !path.contains(leak), "{path} reveals a draft: {leak}");
        }
    }
    // The approved result that names the draft task and partner keeps its page, without them.
    let result = String::from_utf8_lossy(&files["zh/results/2011/academician-workstations/index.html"]).into_owned();
    assert!(!result.contains("talent/"), "{result}");
    // The approved page that linked the draft page keeps the words, not the link.
    let about = String::from_utf8_lossy(&files["zh/about/index.html"]).into_owned();
    assert!(about.contains("联系页面"), "the link text stays");
    let robots = String::from_utf8_lossy(&files["robots.txt"]).into_owned();
    assert!(robots.contains("Allow: /") && !robots.contains("Disallow"), "{robots}");
    assert!(!String::from_utf8_lossy(&files["zh/index.html"]).contains("noindex"));
}

/// A draft result counts for nothing: the public build is byte for byte the build of the site
/// without it (totals, charts, the period's figures, search, feeds, sitemap).
#[test]
fn a_draft_counts_for_nothing() {
    let with = Site::example();
    with.edit("content/results/2011/agri-parks.yaml", EXAMPLE_SIGN_OFF, "review: {state: draft}");
    with.build(&[]).assert_ok();
    let without = Site::example();
    for ext in ["yaml", "zh.md", "en.md"] {
        fs::remove_file(without.path(&format!("content/results/2011/agri-parks.{ext}"))).unwrap();
    }
    without.build(&[]).assert_ok();
    let (a, b) = (common::tree(&with.path("public")), common::tree(&without.path("public")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs from the build without the draft");
    }
}

#[test]
fn a_preview_shows_every_state_plainly_and_is_never_indexed() {
    let site = drafts();
    let run = planpress(&["build", "--preview", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let out = site.path("public-preview");
    assert!(out.join("PREVIEW.txt").is_file(), "the preview's own default folder, with its marker");
    assert!(!site.path("public").exists(), "never the public folder by default");
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    for (page, label) in [
        ("zh/plan/2011/talent/index.html", "草稿"),
        ("en/plan/2011/talent/index.html", "Draft"),
        ("zh/results/2011/agri-parks/index.html", "送审稿"),
        ("en/results/2011/agri-parks/index.html", "Draft for approval"),
        ("zh/partners/shenzhen/index.html", "征求意见稿"),
        ("zh/periods/12th-five-year/index.html", "草稿"),
        ("zh/contact/index.html", "征求意见稿"),
        ("zh/plan/2012/index.html", "草稿"),
        ("zh/results/2011/index.html", "送审稿"),
    ] {
        let html = read(page);
        assert!(html.contains(&format!("<strong>{label}</strong>")), "{page}: no {label} banner");
        assert!(html.contains("review-banner"), "{page}");
    }
    let approved = read("zh/results/2011/academician-workstations/index.html");
    assert!(!approved.contains("review-banner"), "an approved page has no banner");
    assert!(approved.contains("talent/"), "the preview links the draft task");
    for page in common::html_files(&out) {
        assert!(read(&page).contains("noindex"), "{page} is indexable");
    }
    assert!(read("robots.txt").contains("Disallow: /"));
    let booklet = read("zh/reports/summary-2011/index.html");
    assert!(booklet.contains("review-watermark") && booklet.contains(">送审稿<"), "the summary booklet is watermarked");
    let bilingual = read("reports/plan-2012-bilingual/index.html");
    assert!(bilingual.contains(">草稿 · Draft<"), "the bilingual booklet says it in both languages");
}

#[test]
fn states_are_checked_where_they_are_written() {
    let site = Site::example();
    site.edit("content/results/2011/agri-parks.yaml", EXAMPLE_SIGN_OFF, "review: {state: approved, by: 张三}");
    append(&site, "content/partners/beijing.yaml", "");
    site.edit("content/partners/beijing.yaml", EXAMPLE_SIGN_OFF, "review: {state: for-comment, by: 张三, date: 2026-01-05}");
    site.edit("content/pages/about.en.md", "---\n", "---\nreview: {state: draft}\n");
    site.edit("content/periods/12th-five-year.yaml", EXAMPLE_SIGN_OFF, "review: {state: aproved}");
    let root = site.root().to_str().unwrap();
    let run = planpress_with_locale(&["build", "--root", root, "--lang", "zh"], "C.UTF-8");
    assert_eq!(run.code, 1, "{run:?}");
    let err = &run.stderr;
    for expected in [
        "content/results/2011/agri-parks.yaml:14:9",
        "状态为已签发（approved），但没有写签发日期（`date:`）",
        "content/partners/beijing.yaml",
        "状态为征求意见稿（for-comment），尚未签发，却写了签发人或签发日期",
        "content/pages/about.en.md:2:9",
        "译文没有自己的审核状态",
        "content/periods/12th-five-year.yaml",
        "E-yaml",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!site.path("public").exists(), "nothing written");
}

#[test]
fn approve_records_the_sign_off_and_nothing_else() {
    let site = Site::example();
    let root = site.root().to_str().unwrap();
    let result = "content/results/2011/agri-parks.yaml";
    site.edit(result, EXAMPLE_SIGN_OFF, "review:\n  state: for-approval\n  drafter: 王某   # 拟稿\n");
    let before = site.read(result);
    let partner_before = site.read("content/partners/beijing.yaml");
    site.edit("content/partners/beijing.yaml", &format!("{EXAMPLE_SIGN_OFF}\n"), "");
    let page = "content/pages/contact.zh.md";
    let page_before = site.read(page);
    // Signed off early in the year after the results' year (2011), whatever today is.
    let date = format!("{}-01-05", 2011 + 1);
    let run = planpress_with_locale(
        &["approve", result, "content/partners/beijing.yaml", page, "--by", "张三", "--date", &date, "--root", root, "--lang", "zh"],
        "C.UTF-8",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(&format!("已签发 content/partners/beijing.yaml（签发人：张三，签发日期：{date}）")), "{}", run.stdout);
    let signed = format!("review: {{state: approved, by: \"张三\", date: {date}}}");
    let signed = signed.as_str();
    let keep = before.split("review:").next().unwrap();
    // The block (with its comment) becomes one line; the blank line after it stays.
    assert_eq!(site.read(result), format!("{keep}review: {{state: approved, drafter: \"王某\", by: \"张三\", date: {date}}}\n\n"));
    assert_eq!(site.read("content/partners/beijing.yaml"), partner_before.replace(EXAMPLE_SIGN_OFF, signed));
    let (front, body) = page_before.split_at(page_before.find("---\n\n").unwrap());
    assert_eq!(site.read(page), format!("{front}{signed}\n{body}"));
    site.build(&[]).assert_ok();
    assert!(site.path("public/zh/results/2011/agri-parks/index.html").is_file());

    // A translation, a summary or a missing file: an error, and nothing is written.
    let before = site.read("content/partners/shanghai.yaml");
    for bad in ["content/pages/contact.en.md", "content/plan/2011/tasks/talent.zh.md", "content/nothing.yaml"] {
        let run = planpress(&["approve", "content/partners/shanghai.yaml", bad, "--by", "x", "--root", root]);
        assert_eq!(run.code, 1, "{bad}: {run:?}");
        assert!(run.stderr.contains(bad) && run.stderr.contains("nothing was signed off"), "{}", run.stderr);
    }
    assert_eq!(site.read("content/partners/shanghai.yaml"), before);
}

#[test]
fn new_files_start_as_drafts_and_stay_off_the_public_site() {
    let site = Site::example();
    let root = site.root().to_str().unwrap();
    for args in [["result", "new-result"], ["partner", "new-partner"], ["page", "new-page"], ["task", "new-task"]] {
        let run = planpress(&["new", args[0], args[1], "--root", root]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert!(site.read("content/results/2011/new-result.yaml").contains("review: {state: draft}"));
    assert!(site.read("content/pages/new-page.zh.md").contains("review: {state: draft}"));
    assert!(!site.read("content/pages/new-page.en.md").contains("review:"), "the state is in the default language's file");
    site.build(&[]).assert_ok();
    for gone in ["zh/results/2011/new-result", "zh/partners/new-partner", "zh/new-page", "zh/plan/2011/new-task"] {
        assert!(!site.path(&format!("public/{gone}")).exists(), "{gone} is published");
    }
}

/// The real example: the plan and the partners are signed off, the illustrative results out for
/// comment. Its public build shows the plan without results; its preview shows the results.
#[test]
fn the_example_publishes_its_plan_and_previews_its_results() {
    let root = common::scratch_dir("example-as-is");
    common::copy_dir(&common::repo().join("content"), &root.join("content"));
    let r = root.to_str().unwrap();
    assert_eq!(planpress(&["build", "--root", r]).code, 0);
    assert!(root.join("public/zh/plan/2011/talent/index.html").is_file());
    assert!(root.join("public/zh/partners/beijing/index.html").is_file());
    assert!(!root.join("public/zh/results/2011/agri-parks").exists(), "results are for comment");
    let year = fs::read_to_string(root.join("public/zh/results/2011/index.html")).unwrap();
    assert!(!year.contains("agri-parks"), "the year's results page lists none");
    assert_eq!(planpress(&["build", "--preview", "--root", r]).code, 0);
    let page = fs::read_to_string(root.join("public-preview/zh/results/2011/agri-parks/index.html")).unwrap();
    assert!(page.contains("<strong>征求意见稿</strong>"));
}

/// The trail's figures are exactly those of the approved files, each with its sign-off.
#[test]
fn the_trail_lists_every_published_figure_with_its_sign_off() {
    let site = drafts();
    let run = planpress(&["check", "--review", "--format", "json", "--root", site.root().to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    let trail = &json["review"];
    let entries = trail["entries"].as_array().unwrap();
    let state = |file: &str| entries.iter().find(|e| e["file"] == file).map(|e| e["state"].as_str().unwrap().to_owned());
    assert_eq!(state("content/results/2011/agri-parks.yaml").as_deref(), Some("for-approval"));
    assert_eq!(state("content/plan/2011/tasks/talent.yaml").as_deref(), Some("draft"));
    assert_eq!(state("content/plan/2011/tasks/high-tech.yaml").as_deref(), Some("approved"));
    let waiting = entries.iter().find(|e| e["file"] == "content/results/2011/agri-parks.yaml").unwrap();
    assert_eq!((waiting["drafter"].as_str(), waiting["reviewer"].as_str()), (Some("王某"), Some("李某")));
    // Expected: every value and target of an approved file, read from the files themselves.
    let (loaded, _) = planpress::content::load(site.root());
    let loaded = loaded.unwrap();
    let mut expected = Vec::new();
    for (year, plan) in &loaded.plans {
        for t in plan
            .tasks
            .iter()
            .filter(|t| loaded.state(planpress::model::Item::Task(*year, &t.data.slug.value)) == planpress::model::State::Approved)
        {
            expected.extend(t.data.targets.iter().map(|x| (t.file.clone(), x.metric.value.clone(), x.value.value.raw.clone())));
        }
    }
    for (year, list) in &loaded.results {
        for r in list
            .iter()
            .filter(|r| loaded.state(planpress::model::Item::Result(*year, &r.data.slug.value)) == planpress::model::State::Approved)
        {
            expected.extend(r.data.values.iter().map(|v| (r.file.clone(), v.metric.value.clone(), v.value.value.raw.clone())));
        }
    }
    let figures = trail["figures"].as_array().unwrap();
    let mut got: Vec<(std::path::PathBuf, String, String)> = figures
        .iter()
        .map(|f| {
            (
                site.root().join(f["file"].as_str().unwrap()),
                f["metric"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert!(!expected.is_empty() && figures.iter().all(|f| f["by"] == "example" && f["date"] == example_sign_off_date()), "{figures:?}");
    assert!(!run.stdout.contains("97531"), "a draft's figure is not a published one");
}

fn git(root: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// In a git repository, a file changed after its sign-off is warned about; a new sign-off (a
/// commit changing only `review:`) is no change.
#[test]
fn a_change_after_the_sign_off_is_warned_about() {
    let site = Site::example();
    let root = site.root();
    git(root, &["init", "-q"], "2020-01-01T00:00:00Z");
    git(root, &["add", "."], "2020-01-01T00:00:00Z");
    git(root, &["commit", "-q", "-m", "site"], "2020-01-01T00:00:00Z");
    let check = || planpress(&["check", "--review", "--root", root.to_str().unwrap()]);
    let run = check();
    assert!(!run.stderr.contains("W-review"), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "content/partners/beijing.yaml  signed off by example on {}  last changed 2020-01-01",
            example_sign_off_date()
        )),
        "{}",
        run.stdout
    );
    site.edit("content/partners/beijing.yaml", "order: 1", "order: 1   # moved");
    // Dates after the example's sign-off, taken from it rather than written out.
    let signed_year: u32 = EXAMPLE_SIGN_OFF.split("date: ").nth(1).unwrap()[..4].parse().unwrap();
    let later = |day: u32| format!("{}-01-{day:02}", signed_year + 4);
    git(root, &["commit", "-q", "-am", "edit"], &format!("{}T00:00:00Z", later(1)));
    let run = check();
    assert!(run.stderr.contains("warning[W-review]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/partners/beijing.yaml")
            && run.stderr.contains(&format!("after it was signed off on {}", example_sign_off_date())),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("W-review").count(), 1, "only the changed file: {}", run.stderr);
    let signed =
        planpress(&["approve", "content/partners/beijing.yaml", "--by", "example", "--date", &later(2), "--root", root.to_str().unwrap()]);
    assert_eq!(signed.code, 0, "{signed:?}");
    git(root, &["commit", "-q", "-am", "sign"], &format!("{}T00:00:00Z", later(3)));
    let run = check();
    assert!(!run.stderr.contains("W-review"), "signed off again: {}", run.stderr);
}

fn pdf_pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let pages: usize =
        String::from_utf8_lossy(&info.stdout).lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    (1..=pages)
        .map(|p| {
            let out = Command::new("pdftotext")
                .args(["-raw", "-f", &p.to_string(), "-l", &p.to_string(), pdf.to_str().unwrap(), "-"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
        })
        .collect()
}

/// A preview prints a booklet that is not approved with its state on every page (read in the
/// order of the page's content, `-raw`: the mark is set diagonally); the public
/// print and an approved booklet carry no mark.
#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn every_printed_page_of_a_draft_booklet_says_so() {
    let install = "apt-get install chromium poppler-utils fonts-wqy-zenhei fonts-dejavu (see .ci/run)";
    common::tool(&["chromium", "chromium-browser", "google-chrome"], install);
    common::tool(&["pdftotext"], install);
    common::tool(&["pdfinfo"], install);
    let site = Site::example();
    site.edit("content/results/2011/agri-parks.yaml", EXAMPLE_SIGN_OFF, "review: {state: for-comment}");
    let root = site.root().to_str().unwrap();
    let preview = site.path("preview");
    let run = planpress(&["pdf", "--preview", "--lang", "zh", "--year", "2011", "--root", root, "--out", preview.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let summary = pdf_pages(&preview.join("zh/reports/summary-2011/summary-2011-zh.pdf"));
    assert!(summary.len() > 3, "{}", summary.len());
    for (i, page) in summary.iter().enumerate() {
        assert!(page.contains("征求意见稿"), "page {} of the draft summary has no mark: {page}", i + 1);
    }
    for page in pdf_pages(&preview.join("zh/reports/plan-2011/plan-2011-zh.pdf")) {
        assert!(!page.contains("征求意见稿") && !page.contains("草稿"), "the approved plan is marked: {page}");
    }
    let public = site.path("public");
    let run = planpress(&["pdf", "--lang", "zh", "--year", "2011", "--root", root, "--out", public.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    for page in pdf_pages(&public.join("zh/reports/summary-2011/summary-2011-zh.pdf")) {
        assert!(!page.contains("征求意见稿"), "the public print is marked: {page}");
    }
}

/// A task signed off in a plan year that is not says it waits for its plan.
#[test]
fn a_task_signed_off_before_its_plan_says_so() {
    let site = Site::example();
    let root = site.root().to_str().unwrap();
    site.edit("content/plan/2011/plan.yaml", EXAMPLE_SIGN_OFF, "review: {state: for-approval}");
    let run = planpress_with_locale(
        &["approve", "content/plan/2011/tasks/talent.yaml", "--by", "张三", "--root", root, "--lang", "zh"],
        "C.UTF-8",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("要随年度计划 content/plan/2011/plan.yaml 一起发布，该计划目前是送审稿（for-approval）"), "{}", run.stdout);
    site.build(&[]).assert_ok();
    assert!(!site.path("public/zh/plan/2011/talent").exists(), "not before its plan");
    let both = planpress(&["approve", "content/plan/2011/plan.yaml", "content/plan/2011/tasks/talent.yaml", "--by", "x", "--root", root]);
    assert!(!both.stdout.contains("note:"), "{}", both.stdout);
}
