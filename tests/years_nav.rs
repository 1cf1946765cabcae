//! Year navigation (issue 12 items 1 and 4) on the three-year fixture: the indexes of every year,
//! the year switcher, breadcrumbs and menu of every year's pages, a task's lineage across a
//! rename, the new/continued/dropped marks of a plan, and what a page naming another year's task
//! is re-rendered for.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::years::{three_years, CONTINUING};
use common::{planpress, Site};
use planpress::model::Site as Model;
use planpress::render::deps::Record;

/// The fixture, built once (unminified, so attributes read as written) into `public/`.
fn built() -> &'static (Site, PathBuf) {
    static BUILT: OnceLock<(Site, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = three_years();
        site.build(&["--no-minify"]).assert_ok();
        let out = site.path("public");
        (site, out)
    })
}

fn page(url: &str) -> String {
    let (_, out) = built();
    std::fs::read_to_string(out.join(url).join("index.html")).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// The fixture's model, loaded as a build loads it: the test's own account of years and tasks.
fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| planpress::content::load(built().0.root()).0.expect("the fixture loads"))
}

/// The part of `html` from `start` up to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Every `href` of `html`, made root-relative (the pages link with `../` up to the root).
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).map(|h| h[..h.find('"').unwrap()].trim_start_matches("../").to_owned()).collect()
}

/// The same task in every year by the test's own reading of `continues:`: the chain through
/// 2011, 2012 and 2013 that holds `slug` of `year`, as (year, slug).
fn lineage(year: u32, slug: &str) -> Vec<(u32, String)> {
    let site = model();
    let continues = |y: u32, s: &str| site.task(y, s).and_then(|t| t.data.continues.as_ref()).map(|c| c.value.clone());
    let continued_by = |y: u32, s: &str| {
        site.plans
            .get(&(y + 1))?
            .tasks
            .iter()
            .find(|t| continues(y + 1, &t.data.slug.value).as_deref() == Some(s))
            .map(|t| t.data.slug.value.clone())
    };
    let mut chain = vec![(year, slug.to_owned())];
    while let Some(from) = continues(chain[0].0, &chain[0].1) {
        chain.insert(0, (chain[0].0 - 1, from));
    }
    while let Some(next) = continued_by(chain.last().unwrap().0, &chain.last().unwrap().1) {
        chain.push((chain.last().unwrap().0 + 1, next));
    }
    chain
}

#[test]
fn every_task_page_reaches_its_counterparts_both_ways() {
    let (_, out) = built();
    let site = model();
    for lang in ["zh", "en"] {
        for (year, plan) in &site.plans {
            for task in &plan.tasks {
                let slug = &task.data.slug.value;
                let url = format!("{lang}/plan/{year}/{slug}/");
                let html = page(&url);
                let line = lineage(*year, slug);
                let switch = hrefs(between(&html, "<nav class=\"year-switch", "</nav>"));
                for other in site.plans.keys().filter(|y| *y != year) {
                    let expected = match line.iter().find(|(y, _)| y == other) {
                        Some((y, s)) => format!("{lang}/plan/{y}/{s}/"),
                        None => format!("{lang}/plan/{other}/"),
                    };
                    assert!(switch.contains(&expected), "{url}: the switcher lacks {expected}: {switch:?}");
                }
                for target in &switch {
                    assert!(out.join(target).join("index.html").is_file(), "{url}: switcher target {target} is not in the output");
                }
                assert!(between(&html, "<nav class=\"year-switch", "</nav>").contains(&format!("aria-current=\"page\">{year}")));
                if line.len() > 1 {
                    let listed = hrefs(between(&html, "id=\"task-lineage\"", "</section>"));
                    let others: Vec<String> =
                        line.iter().filter(|(y, _)| y != year).map(|(y, s)| format!("{lang}/plan/{y}/{s}/")).collect();
                    assert_eq!(listed, others, "{url}: the lineage lists the task's other years, oldest first");
                } else {
                    assert!(!html.contains("id=\"task-lineage\""), "{url}: a task of one year has no lineage");
                }
            }
        }
    }
    // The fixture's continuing tasks run through the three years.
    for slug in CONTINUING {
        assert_eq!(lineage(2011, slug).len(), 3, "{slug}");
    }
}

#[test]
fn a_renamed_task_is_one_task_across_the_rename() {
    let old = page("en/plan/2011/intellectual-property/");
    let lineage = between(&old, "id=\"task-lineage\"", "</section>");
    assert_eq!(hrefs(lineage), ["en/plan/2012/patents/", "en/plan/2013/patents/"]);
    assert!(lineage.contains("2012") && lineage.contains("2013"), "{lineage}");
    let new = page("en/plan/2013/patents/");
    let lineage = between(&new, "id=\"task-lineage\"", "</section>");
    assert_eq!(hrefs(lineage), ["en/plan/2011/intellectual-property/", "en/plan/2012/patents/"]);
    // Each year's title, in the page's language.
    let title_2011 = between(&page("en/plan/2011/intellectual-property/"), "<h1", "</h1>").rsplit("</span> ").next().unwrap().to_owned();
    assert!(lineage.contains(&title_2011), "{lineage} lacks {title_2011}");
    // The 2012 plan says where `patents` comes from.
    let plan = page("zh/plan/2012/");
    let card = between(&plan, "id=\"task-patents\"", "</li>");
    assert!(card.contains("延续2011年任务：") && card.contains("href=\"../../../zh/plan/2011/intellectual-property/\""), "{card}");
    let unchanged = between(&plan, "id=\"task-talent\"", "</li>");
    assert!(unchanged.contains(">延续<") && !unchanged.contains("延续2011年任务"), "{unchanged}");
}

#[test]
fn each_plan_marks_new_and_continued_tasks_and_lists_the_dropped() {
    let plan = page("en/plan/2012/");
    assert!(between(&plan, "id=\"task-digital\"", "</li>").contains("tag-new\">New<"));
    let dropped = between(&plan, "id=\"dropped-tasks\"", "</section>");
    assert!(dropped.contains("Not continued from 2011"), "{dropped}");
    assert_eq!(hrefs(dropped), ["en/plan/2011/st-revitalisation/"]);
    // 2013 continues all of 2012: nothing dropped, nothing new; 2011 has no year before it.
    let plan_2013 = page("en/plan/2013/");
    assert!(!plan_2013.contains("dropped-tasks") && !plan_2013.contains("tag-new"));
    assert_eq!(plan_2013.matches("tag-continued").count(), 11);
    let plan_2011 = page("en/plan/2011/");
    assert!(!plan_2011.contains("year-mark") && !plan_2011.contains("dropped-tasks"));
    // The dropped task's own switcher goes to the plans of the years it is not in.
    let gone = page("zh/plan/2011/st-revitalisation/");
    let switch = hrefs(between(&gone, "<nav class=\"year-switch", "</nav>"));
    assert_eq!(switch, ["zh/plan/2012/", "zh/plan/2013/", "zh/plan/"]);
}

/// (year, tasks, actions, results) of each row of an index, in page order.
fn rows(html: &str) -> Vec<(u32, usize, usize, usize)> {
    // The text of a `<dd>`, its link's tags left out.
    let number = |dd: &str| {
        let dd = &dd[..dd.find("</dd>").unwrap()];
        let text: String = dd.split('<').map(|part| part.split_once('>').map_or(part, |(_, text)| text)).collect();
        text.trim().parse::<usize>().unwrap_or_else(|_| panic!("not a count: {dd}"))
    };
    html.split("<li class=\"card year-item\" id=\"year-")
        .skip(1)
        .map(|row| {
            let dds: Vec<usize> = row.split("<dd>").skip(1).map(number).collect();
            (row[..4].parse().unwrap(), dds[0], dds[1], dds[2])
        })
        .collect()
}

#[test]
fn the_indexes_list_every_year_newest_first_with_that_years_counts() {
    let site = model();
    // Counted from the model by hand: each year's own tasks, actions and results.
    let expected: Vec<(u32, usize, usize, usize)> = site
        .plans
        .iter()
        .rev()
        .map(|(year, plan)| {
            let actions = plan.tasks.iter().map(|t| t.data.actions.len()).sum();
            (*year, plan.tasks.len(), actions, site.results.get(year).map_or(0, Vec::len))
        })
        .collect();
    assert_eq!(expected.iter().map(|r| (r.0, r.3)).collect::<Vec<_>>(), [(2013, 1), (2012, 2), (2011, 8)]);
    for lang in ["zh", "en"] {
        let plans = page(&format!("{lang}/plan/"));
        assert_eq!(rows(&plans), expected, "{lang}/plan/");
        let results = page(&format!("{lang}/results/"));
        assert_eq!(rows(&results), expected, "{lang}/results/");
        assert!(
            plans.contains(&format!("href=\"../../{lang}/plan/2012/\""))
                && results.contains(&format!("href=\"../../{lang}/results/2012/\""))
        );
    }
    let zh = page("zh/plan/");
    assert!(zh.contains("<title>历年工作要点") && zh.contains(">2013年</a>"), "{zh}");
    let context = site.plans[&2011].record.data.context.as_ref().expect("2011 has a context line");
    let line = format!("<p class=\"year-item-context\">{}</p>", context.value["en"].replace('&', "&amp;"));
    assert!(page("en/plan/").contains(&line), "the 2011 context line is shown: {line}");
}

#[test]
fn breadcrumbs_carry_the_year_and_the_menu_its_section_in_every_year() {
    let task = page("en/plan/2012/patents/");
    let crumbs = between(&task, "<nav class=\"breadcrumbs", "</nav>");
    assert_eq!(hrefs(crumbs), ["en/", "en/plan/", "en/plan/2012/"]);
    assert!(crumbs.contains(">Work plan<") && crumbs.contains(">2012<"), "{crumbs}");
    let result = page("zh/results/2012/fair-2012/");
    assert_eq!(hrefs(between(&result, "<nav class=\"breadcrumbs", "</nav>")), ["zh/", "zh/results/", "zh/results/2012/"]);
    assert!(between(&result, "<nav class=\"breadcrumbs", "</nav>").contains(">2012年<"));
    // The current year is 2013; the menu still knows where a 2011 page belongs.
    let active = |url: &str| {
        let html = page(url);
        let nav = between(&html, "<nav class=\"main-nav", "</nav>");
        nav.split("<li>").filter(|li| li.contains("aria-current=\"page\"")).map(|li| hrefs(li).remove(0)).collect::<Vec<_>>()
    };
    for url in ["en/plan/2011/", "en/plan/2011/talent/", "en/plan/", "en/plan/2013/"] {
        assert_eq!(active(url), ["en/plan/2013/"], "{url}");
    }
    for url in ["en/results/2011/", "en/results/2011/st-aid-fair/", "en/results/"] {
        assert_eq!(active(url), ["en/results/2013/"], "{url}");
    }
    assert_eq!(active("en/partners/beijing/"), ["en/partners/"]);
    assert_eq!(active("en/about/"), ["en/about/"]);
}

#[test]
fn results_pages_switch_between_the_years_results() {
    let html = page("en/results/2012/");
    let switch = between(&html, "<nav class=\"year-switch", "</nav>");
    assert!(switch.contains("aria-label=\"Year\"") && switch.contains("aria-current=\"page\">2012<"), "{switch}");
    assert_eq!(hrefs(switch), ["en/results/2011/", "en/results/2013/", "en/results/"]);
    // A single result has no counterpart in another year: no switcher; its breadcrumbs lead to
    // its year's results, which switch.
    let result = page("en/results/2013/fair-2013/");
    assert!(!result.contains("year-switch"), "{result}");
    let crumbs = hrefs(between(&result, "<nav class=\"breadcrumbs", "</nav>"));
    assert!(crumbs.contains(&"en/results/2013/".to_owned()), "{crumbs:?}");
}

#[test]
fn check_finds_no_broken_link() {
    let (site, _) = built();
    let run = planpress(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" internal links checked, 0 broken"), "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_page_naming_another_years_task_is_re_rendered_when_that_task_changes() {
    let site = model();
    let mut diags = planpress::diagnostics::Diagnostics::default();
    let theme = planpress::render::theme::load(site, &mut diags);
    let options = planpress::commands::build::render_options(site, None);
    let renderer = planpress::render::Renderer::new(site, &theme, options).expect("renders");
    let index = site.plans[&2012].tasks.iter().position(|t| t.data.slug.value == "patents").unwrap();
    let showing = renderer.page_urls_showing(site, Record::Task { year: 2012, index }.yaml());
    for url in ["zh/plan/2011/intellectual-property/", "en/plan/2013/patents/", "en/plan/2012/", "en/plan/2013/", "en/plan/"] {
        assert!(showing.contains(&url), "{url} names the 2012 task but is not keyed by it: {showing:?}");
    }
    // A task of a lineage it is not in is not its business.
    assert!(!showing.contains(&"en/plan/2013/talent/"), "{showing:?}");
}
