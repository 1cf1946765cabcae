//! What spans years on the site's pages: the indexes of every year (`<lang>/plan/`,
//! `<lang>/results/`), the year switcher of a year's pages, a task's lineage (the same task in
//! every year, followed through `continues:` both ways) and, on a plan, which tasks are new,
//! continued or dropped against the previous plan year.
//!
//! Each piece goes through [`Out`] with the keys of the records it shows, so a page that names
//! another year's task is re-rendered when that task changes (see `deps.rs`).

use serde::Serialize;
use serde_json::{json, Value};

use super::Out;
use crate::model::Site;
use crate::render::deps::Key;
use crate::render::views::{LangViews, TaskView};
use crate::routes::Route;

/// One year of the switcher: its page of the same kind (or, for a task that year does not
/// continue, its plan), the page's own year marked `current`.
#[derive(Serialize)]
struct YearLink {
    year: u32,
    url: String,
    current: bool,
    /// The link goes to the same task that year, not only to its plan.
    same: bool,
}

/// Which page of each year the switcher leads to.
#[derive(Clone, Copy)]
pub(super) enum Switch<'a> {
    Plan,
    Results,
    Task(&'a str),
}

/// The same task in every plan year, oldest first, as (year, slug): back through each task's
/// `continues:` to the nearest earlier plan year, forward to the task of the next plan year
/// that continues it. Validation makes `continues:` name a task of the nearest earlier year.
pub(super) fn lineage<'s>(site: &'s Site, year: u32, slug: &'s str) -> Vec<(u32, &'s str)> {
    let mut back = vec![(year, slug)];
    let (mut y, mut s) = (year, slug);
    while let (Some(prev), Some(from)) = (site.previous_plan_year(y), site.task(y, s).and_then(|t| t.data.continues.as_ref())) {
        let Some(task) = site.task(prev, &from.value) else { break };
        (y, s) = (prev, &task.data.slug.value);
        back.push((y, s));
    }
    back.reverse();
    let (mut y, mut s) = (year, slug);
    while let Some(next) = site.next_plan_year(y) {
        let Some(plan) = site.plans.get(&next) else { break };
        let Some(task) = plan.tasks.iter().find(|t| t.data.continues.as_ref().is_some_and(|c| c.value == s)) else { break };
        (y, s) = (next, &task.data.slug.value);
        back.push((y, s));
    }
    back
}

/// The view of the task `slug` of `year`.
fn task_view<'v>(v: &'v LangViews, year: u32, slug: &str) -> Option<&'v TaskView> {
    v.plans.get(&year)?.1.iter().find(|t| t.slug == slug)
}

/// `year_switch`: every plan year, oldest first, each linked to the page of `switch`'s kind.
pub(super) fn switcher(c: &mut Out, site: &Site, v: &LangViews, lang: &str, year: u32, switch: Switch) {
    let line = match switch {
        Switch::Task(slug) => lineage(site, year, slug),
        Switch::Plan | Switch::Results => Vec::new(),
    };
    let links = || {
        let link = |y: u32| {
            let same = line.iter().find(|(ly, _)| *ly == y);
            let url = match (switch, same) {
                (Switch::Task(_), Some((_, slug))) => Route::task(lang, y, slug),
                (Switch::Task(_) | Switch::Plan, _) => Route::plan(lang, y),
                (Switch::Results, _) => Route::results(lang, y),
            };
            YearLink { year: y, url: url.into_url(), current: y == year, same: same.is_some() || !matches!(switch, Switch::Task(_)) }
        };
        let index = match switch {
            Switch::Results => Route::results_index(lang),
            Switch::Plan | Switch::Task(_) => Route::plan_index(lang),
        };
        json!({"years": v.plans.keys().map(|y| link(*y)).collect::<Vec<_>>(), "index_url": index.url()})
    };
    let keys: Vec<Key> = line.iter().filter_map(|(y, s)| task_view(v, *y, s)).map(|t| t.record.yaml()).collect();
    c.put("year_switch", links, keys);
}

/// `lineage`: the same task in every year it runs, oldest first, each with that year's title.
pub(super) fn task_lineage(c: &mut Out, site: &Site, v: &LangViews, year: u32, slug: &str) {
    let views: Vec<(u32, &TaskView)> = lineage(site, year, slug).into_iter().filter_map(|(y, s)| Some((y, task_view(v, y, s)?))).collect();
    let value = || {
        let entry = |(y, t): &(u32, &TaskView)| json!({"year": y, "number": t.number, "slug": t.slug, "title": t.title, "mark": t.translation.fallback.title, "url": t.url, "current": *y == year});
        views.iter().map(entry).collect::<Vec<Value>>()
    };
    let keys: Vec<Key> = views.iter().map(|(_, t)| t.record.yaml()).collect();
    c.put("lineage", value, keys);
}

/// `continuity` (task slug → `{status: new|continued, from}`) and `dropped` (the previous plan
/// year's tasks no task of `year` continues), against the previous plan year; both empty for
/// the first year, where nothing is new against anything.
pub(super) fn plan_continuity(c: &mut Out, site: &Site, v: &LangViews, year: u32) {
    let Some(prev) = site.previous_plan_year(year) else {
        c.put("continuity", || json!({}), []);
        c.put("dropped", Vec::<Value>::new, []);
        return;
    };
    let tasks = v.plans.get(&year).map_or(&[][..], |(_, t)| t.as_slice());
    let previous = v.plans.get(&prev).map_or(&[][..], |(_, t)| t.as_slice());
    let from_of = |t: &TaskView| {
        let continues = site.task(year, &t.slug)?.data.continues.as_ref()?;
        previous.iter().find(|p| p.slug == continues.value)
    };
    let continuity = || {
        let mark = |t: &TaskView| match from_of(t) {
            Some(p) => {
                json!({"status": "continued", "from": {"year": prev, "slug": p.slug, "title": p.title, "url": p.url, "renamed": p.slug != t.slug}})
            }
            None => json!({"status": "new", "from": null}),
        };
        Value::Object(tasks.iter().map(|t| (t.slug.clone(), mark(t))).collect())
    };
    let continued: Vec<&str> = tasks.iter().filter_map(from_of).map(|p| p.slug.as_str()).collect();
    let dropped: Vec<&TaskView> = previous.iter().filter(|p| !continued.contains(&p.slug.as_str())).collect();
    let dropped_value = || {
        let entry = |t: &&TaskView| json!({"year": prev, "number": t.number, "slug": t.slug, "title": t.title, "url": t.url});
        dropped.iter().map(entry).collect::<Vec<Value>>()
    };
    let keys: Vec<Key> = tasks.iter().chain(previous).map(|t| t.record.yaml()).collect();
    c.put("continuity", continuity, keys.clone());
    c.put("dropped", dropped_value, keys);
}

/// `year_rows`: every plan year, newest first, with its plan's context line and the counts of
/// that year (tasks, actions, results), linked to its plan or its results.
pub(super) fn index_rows(c: &mut Out, v: &LangViews, lang: &str, results: bool) {
    let rows = || {
        let row = |(year, (plan, tasks)): (&u32, &(crate::render::views::PlanView, Vec<TaskView>))| {
            let url = if results { Route::results(lang, *year) } else { Route::plan(lang, *year) };
            json!({
                "year": year,
                "title": plan.title,
                "context": plan.context,
                "mark": plan.translation.fallback.title,
                "context_mark": plan.context_mark,
                "url": url.url(),
                "plan_url": plan.url,
                "results_url": Route::results(lang, *year).url(),
                "tasks": tasks.len(),
                "actions": tasks.iter().map(|t| t.actions.len()).sum::<usize>(),
                "results": v.results.get(year).map_or(0, Vec::len),
            })
        };
        v.plans.iter().rev().map(row).collect::<Vec<Value>>()
    };
    // Counts of records are structural (a new record is a full rebuild); titles, context lines
    // and actions are in the plans' and tasks' YAML.
    let keys = v.plans.values().flat_map(|(p, t)| p.keys().chain(t.iter().map(|t| t.record.yaml())));
    c.put("year_rows", rows, keys.collect::<Vec<Key>>());
}
