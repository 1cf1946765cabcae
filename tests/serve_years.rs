//! `planpress serve` across years (issue 12 item 9): a new year folder made while serving, and
//! an edit of a task that a later year continues.

mod common;

use std::time::{Duration, Instant};

use common::serve::{get, start};

/// Asks for `path` until `done` holds of its body (a change reaches the pages in one or more
/// rebuilds as its files arrive); the last body.
fn served_when(port: u16, path: &str, done: impl Fn(u16, &str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, _, body) = get(port, path);
        if done(status, &body) {
            return body;
        }
        assert!(Instant::now() < deadline, "{path} never got there: {status}\n{body}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The year switcher of a served page (`<nav class="year-switch …">…</nav>`).
fn year_switch(page: &str) -> &str {
    let start = page.find("year-switch").unwrap_or_else(|| panic!("no year switcher:\n{page}"));
    let end = start + page[start..].find("</nav>").unwrap();
    &page[start..end]
}

/// Issue 12 item 9: a year folder made while serving (`planpress new plan 2012 --from 2011`, as
/// an editor starts a year) gives that year's pages, and the 2011 pages' year switcher links it.
#[test]
fn a_new_year_made_while_serving_gets_its_pages_and_the_old_years_switch_to_it() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    let (_, _, before) = get(server.port, "/en/plan/2011/");
    assert!(!year_switch(&before).contains("plan/2012/"), "{}", year_switch(&before));
    assert_eq!(get(server.port, "/en/plan/2012/").0, 404);
    let root = site.root().to_str().unwrap().to_owned();
    common::planpress(&["new", "plan", "2012", "--from", "2011", "--root", &root]).assert_ok();

    let plan = served_when(server.port, "/en/plan/2012/", |status, _| status == 200);
    assert!(plan.contains("2012"), "{plan}");
    let task = served_when(server.port, "/zh/plan/2012/high-tech/", |status, _| status == 200);
    assert!(task.contains("强化高新技术及其产业化"), "the copied task, in Chinese");
    // The 2011 pages switch to 2012: the plan to the plan, a continuing task to its 2012 self.
    served_when(server.port, "/en/plan/2011/", |_, body| year_switch(body).contains("en/plan/2012/"));
    served_when(server.port, "/en/plan/2011/high-tech/", |_, body| year_switch(body).contains("en/plan/2012/high-tech/"));
}

/// Issue 12 item 9: a 2012 task's page shows the titles of the task in every year it runs (its
/// lineage): editing the 2011 title re-renders the 2012 page, which shows the new one.
#[test]
fn editing_a_continued_tasks_old_title_re_renders_the_new_years_page() {
    let site = common::years::three_years();
    let server = start(&site, &[]);
    server.line("built ");
    let old = "en: Strengthen high technology and its industrialisation,";
    let (_, _, before) = get(server.port, "/en/plan/2012/high-tech/");
    assert!(before.contains("task-lineage") && !before.contains("Edited 2011 title"), "a lineage, before the edit");
    site.edit(
        "content/plan/2011/tasks/high-tech.yaml",
        old,
        "en: Edited 2011 title, strengthen high technology and its industrialisation,",
    );
    // A task's YAML is not among the records serve re-renders piece by piece: all is rebuilt.
    server.line("rebuilt ");
    let (_, _, after) = get(server.port, "/en/plan/2012/high-tech/");
    let lineage = &after[after.find("task-lineage").unwrap()..];
    let lineage = &lineage[..lineage.find("</section>").unwrap()];
    assert!(lineage.contains("Edited 2011 title"), "the 2012 page's lineage shows the new 2011 title:\n{lineage}");
    let (_, _, later) = get(server.port, "/en/plan/2013/high-tech/");
    assert!(later.contains("Edited 2011 title"), "and so does 2013's");
    let (_, _, zh) = get(server.port, "/zh/plan/2012/high-tech/");
    assert!(!zh.contains("Edited 2011 title"), "the Chinese page keeps the Chinese title");
}
