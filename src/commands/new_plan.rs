//! `planpress new plan <year> [--from <year>]`: start a plan year. With `--from`, the earlier
//! plan's tasks are copied as tasks that continue them (`continues: <slug>`), text and
//! translation hashes included, ready to edit; without it, an empty plan.

use std::fs;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use super::new::write_all;
use crate::content::{self, tracking};
use crate::diagnostics::{zh_io, Message, MessageLang};
use crate::model::Site;
use crate::validate;

pub fn new_plan(root: &Path, year: u32, from: Option<u32>) -> Result<Vec<PathBuf>, Message> {
    let (site, diags) = content::load(root);
    let site = site.ok_or_else(|| match diags.iter().next() {
        Some(d) => Message::new(d.render(root).trim_end(), d.render_in(root, MessageLang::Zh).trim_end()),
        None => Message::new("cannot load the site", "无法读取站点"),
    })?;
    if site.plans.contains_key(&year) {
        return Err(Message::new(
            format!("{year} has a plan already: content/plan/{year}/plan.yaml"),
            format!("{year} 年已有年度计划：content/plan/{year}/plan.yaml"),
        ));
    }
    let dir = root.join("content").join("plan").join(year.to_string());
    let files = match from {
        Some(from) => copied_plan(&site, &dir, year, from)?,
        None => vec![(dir.join("plan.yaml"), empty_plan(&site, year))],
    };
    let written = write_all(&files)?;
    if let Some(from) = from {
        carry_field_hashes(root, year, from)?;
    }
    Ok(written)
}

/// The copied YAML fields keep the translation status of their originals: a field whose
/// translation was up to date in `from` is recorded up to date in `year` (the year in the titles
/// was replaced in every language alike); a stale or untracked one stays so.
fn carry_field_hashes(root: &Path, year: u32, from: u32) -> Result<(), Message> {
    let (Some(site), _) = content::load(root) else { return Ok(()) };
    let (old_prefix, new_prefix) = (format!("plan/{from}/"), format!("plan/{year}/"));
    let translated = validate::translated_fields(&site);
    let current: BTreeMap<(&str, String, &str), &str> =
        translated.iter().map(|t| ((t.lang, tracking::record_key(root, t.file), t.at.path.as_str()), t.current.as_str())).collect();
    let mut hashes = site.field_hashes.clone();
    for ((lang, key, path), hash) in &current {
        let Some(rest) = key.strip_prefix(&new_prefix) else { continue };
        let old_key = format!("{old_prefix}{rest}");
        let recorded = site.field_hashes.get(*lang).and_then(|h| h.get(&old_key)).and_then(|f| f.get(*path));
        if recorded.is_some_and(|r| current.get(&(*lang, old_key.clone(), *path)) == Some(&r.as_str())) {
            hashes.entry((*lang).to_owned()).or_default().entry(key.clone()).or_default().insert((*path).to_owned(), (*hash).to_owned());
        }
    }
    for (lang, hashes) in &hashes {
        tracking::write_hashes(root, lang, site.default_language(), hashes).map_err(|e| {
            let file = tracking::hashes_file(root, lang);
            Message::new(format!("cannot write {}: {e}", file.display()), format!("无法写入 {}：{}", file.display(), zh_io(&e)))
        })?;
    }
    Ok(())
}

/// plan.yaml for a year without a plan to start from.
fn empty_plan(site: &Site, year: u32) -> String {
    let organisation = &site.config.organisation.value;
    let mut yaml = format!("year: {year}\ntitle:\n");
    for lang in site.language_codes() {
        let title =
            if lang == "zh" { format!("{year}年科技工作要点") } else { format!("Key Points of Science and Technology Work {year}") };
        yaml.push_str(&format!("  {lang}: \"{title}\"\n"));
    }
    yaml.push_str("issuer:\n");
    for (lang, name) in organisation {
        yaml.push_str(&format!("  {lang}: \"{}\"\n", name.replace('"', "\\\"")));
    }
    yaml.push_str(&format!("date: {year}-01-01   # the date the plan was issued\n"));
    yaml.push_str(super::new::DRAFT);
    yaml
}

/// The plan of `from` as the start of `year`: plan.yaml with the year changed (its source and
/// context, which describe `from`, dropped) and every task continuing its counterpart of `from`.
fn copied_plan(site: &Site, dir: &Path, year: u32, from: u32) -> Result<Vec<(PathBuf, String)>, Message> {
    let plan = site.plans.get(&from).ok_or_else(|| {
        Message::new(
            format!("there is no plan for {from} to copy: content/plan/{from}/plan.yaml"),
            format!("{from} 年没有年度计划可复制：content/plan/{from}/plan.yaml"),
        )
    })?;
    if from >= year {
        return Err(Message::new(format!("--from {from} must be a year before {year}"), format!("--from {from} 必须早于 {year} 年")));
    }
    let plan_text = read(&plan.record.file)?;
    // The preamble is not copied: it speaks of its own year ("2011 is the first year of …"), and
    // a copy left unedited would publish that under the new year.
    // A new year starts as a draft (its tasks with it), whatever the year before was.
    let mut files = vec![(dir.join("plan.yaml"), plan_yaml(&plan_text, year, from) + super::new::DRAFT)];
    let tasks = dir.join("tasks");
    for task in &plan.tasks {
        let slug = &task.data.slug.value;
        let text = continuing_task(&read(&task.file)?, slug);
        // A task's own sign-off was for last year's text: the copy is a draft.
        let text = if text.lines().any(|l| l.starts_with("review:")) {
            super::approve::with_review(&text, super::new::DRAFT.trim_end())
        } else {
            text
        };
        files.push((tasks.join(format!("{slug}.yaml")), text));
        for doc in task.bodies.values() {
            files.push((tasks.join(file_name(&doc.file)), read(&doc.file)?));
        }
    }
    Ok(files)
}

fn read(file: &Path) -> Result<String, Message> {
    fs::read_to_string(file)
        .map_err(|e| Message::new(format!("cannot read {}: {e}", file.display()), format!("无法读取 {}：{}", file.display(), zh_io(&e))))
}

fn file_name(file: &Path) -> String {
    file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned()
}

/// Top-level keys of plan.yaml that describe one year only and are not carried over.
const YEAR_ONLY_KEYS: &[&str] = &["source", "context", "review"];

/// plan.yaml of `from`, rewritten for `year`: the year and the date changed, the year in the
/// titles replaced, the blocks of [`YEAR_ONLY_KEYS`] dropped. Works on the text, so the
/// editors' comments and layout survive.
fn plan_yaml(text: &str, year: u32, from: u32) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let top_key = (!line.starts_with([' ', '\t', '#', '-'])).then(|| line.split(':').next().unwrap_or_default().trim());
        if let Some(key) = top_key.filter(|k| !k.is_empty()) {
            skipping = YEAR_ONLY_KEYS.contains(&key);
            if skipping {
                continue;
            }
            match key {
                "year" => out.push_str(&format!("year: {year}\n")),
                "date" => out.push_str(&format!("date: {year}-01-01   # the date the plan was issued\n")),
                _ => out.push_str(&format!("{}\n", line.replace(&from.to_string(), &year.to_string()))),
            }
            continue;
        }
        if skipping {
            continue;
        }
        out.push_str(&format!("{}\n", line.replace(&from.to_string(), &year.to_string())));
    }
    out
}

/// A task's YAML with `continues: <slug>` after its `slug:` line (and any `continues:` or
/// `new:` of the original left out: they described the year before).
fn continuing_task(text: &str, slug: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("continues:") || line.starts_with("new:") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("slug:") {
            out.push_str(&format!("continues: {slug}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_yaml_is_rewritten_for_the_new_year() {
        let text = "year: 2011\ntitle:\n  zh: 2011年科技工作要点\n  en: \"Key Points 2011\"\nissuer: {zh: 厅, en: Dept}\ndate: 2011-02-12\nsource:\n  url: https://example.org/2011\n  note: {zh: 注, en: note}\ncontext:\n  zh: 开局之年\nfocuses:\n  - {zh: 着力, en: Focus}\n";
        let out = plan_yaml(text, 2012, 2011);
        assert_eq!(
            out,
            "year: 2012\ntitle:\n  zh: 2012年科技工作要点\n  en: \"Key Points 2012\"\nissuer: {zh: 厅, en: Dept}\ndate: 2012-01-01   # the date the plan was issued\nfocuses:\n  - {zh: 着力, en: Focus}\n"
        );
    }

    #[test]
    fn a_copied_task_continues_its_original() {
        let out = continuing_task(
            "number: 3\nslug: agriculture\ncontinues: older\nnew: true\ntitle: {zh: 农业, en: Agriculture}\n",
            "agriculture",
        );
        assert_eq!(out, "number: 3\nslug: agriculture\ncontinues: agriculture\ntitle: {zh: 农业, en: Agriculture}\n");
    }
}
