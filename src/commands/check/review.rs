//! `check --review`: the review trail. Per state, what waits for whom (a draft for its drafter,
//! 拟稿; a text out for comment for its reviewer, 审核; one for approval for the sign-off, 签发);
//! every published figure with the approved file it comes from and who signed it off when; and,
//! when the site is a git repository, each approved file's last change beside its sign-off, with
//! a warning (`W-review`) for a file changed after it was signed off.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{Item, Number, Review, Site, State};

/// One record in the trail.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `plan`, `task`, `result`, `partner`, `period`, `page`.
    pub kind: &'static str,
    #[serde(skip)]
    pub kind_zh: &'static str,
    pub file: PathBuf,
    pub state: State,
    /// The file whose `review:` decides the state: the record's own, its plan's (a task
    /// without one), or `None` when site.yaml's `default_state` does.
    pub review_file: Option<PathBuf>,
    pub drafter: Option<String>,
    pub reviewer: Option<String>,
    pub by: Option<String>,
    pub date: Option<String>,
    /// The last commit that changed the file's content (not only its `review:`), if git knows.
    pub last_change: Option<Change>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// YYYY-MM-DD (committer date); today for changes not committed yet.
    pub date: String,
    /// Short hash; empty for changes not committed yet.
    pub commit: String,
}

/// A figure the public site shows.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub metric: String,
    /// As written in the file.
    pub value: String,
    /// `result`, `task target`, `period target`.
    pub role: &'static str,
    pub file: PathBuf,
    pub by: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Trail {
    pub entries: Vec<Entry>,
    pub figures: Vec<Figure>,
    /// Whether the site is in a git repository (then `last_change` is filled in).
    pub git: bool,
}

/// The trail of `site`, and a `W-review` warning for each approved file changed after its sign-off.
pub fn trail(site: &Site, diags: &mut Diagnostics) -> Trail {
    let mut entries = Vec::new();
    let mut push = |kind, kind_zh, item: Item, file: &Path| {
        let review = site.review_of(item);
        let review_file = match item {
            Item::Task(year, slug) if site.task(year, slug).is_some_and(|t| t.data.review.is_none()) => {
                review.map(|_| site.plans[&year].record.file.clone())
            }
            _ => review.map(|_| file.to_path_buf()),
        };
        let r = review.map(|r| &r.value);
        let name = |f: Option<&Option<Spanned<String>>>| f.and_then(|n| n.as_ref()).map(|n| n.value.clone());
        entries.push(Entry {
            kind,
            kind_zh,
            file: file.to_path_buf(),
            state: site.state(item),
            review_file,
            drafter: name(r.map(|r| &r.drafter)),
            reviewer: name(r.map(|r| &r.reviewer)),
            by: name(r.map(|r| &r.by)),
            date: name(r.map(|r| &r.date)),
            last_change: None,
        });
    };
    for (year, plan) in &site.plans {
        push("plan", "年度计划", Item::Plan(*year), &plan.record.file);
        for t in &plan.tasks {
            push("task", "重点任务", Item::Task(*year, &t.data.slug.value), &t.file);
        }
    }
    for p in &site.partners {
        push("partner", "对口支援省市", Item::Partner(&p.data.id.value), &p.file);
    }
    for (year, list) in &site.results {
        for r in list {
            push("result", "年度成果", Item::Result(*year, &r.data.slug.value), &r.file);
        }
    }
    for p in &site.periods {
        push("period", "规划期", Item::Period(&p.data.id.value), &p.file);
    }
    let default = site.default_language();
    for p in &site.pages {
        if let Some(doc) = p.docs.get(default) {
            push("page", "页面", Item::Page(&p.slug), &doc.file);
        }
    }
    let git = in_git(&site.root);
    if git {
        for e in entries.iter_mut().filter(|e| e.state == State::Approved) {
            e.last_change = last_change(&site.root, &e.file);
            changed_after(site, e, diags);
        }
    }
    Trail { figures: figures(site, &entries), entries, git }
}

/// Every figure of an approved record.
fn figures(site: &Site, entries: &[Entry]) -> Vec<Figure> {
    let signed = |file: &Path| entries.iter().find(|e| e.file == file && e.state == State::Approved);
    let mut out = Vec::new();
    let mut add = |role, file: &Path, metric: &Spanned<String>, value: &Spanned<Number>| {
        if let Some(e) = signed(file) {
            out.push(Figure {
                metric: metric.value.clone(),
                value: value.value.raw.clone(),
                role,
                file: file.to_path_buf(),
                by: e.by.clone(),
                date: e.date.clone(),
            });
        }
    };
    for plan in site.plans.values() {
        for t in &plan.tasks {
            t.data.targets.iter().for_each(|x| add("task target", &t.file, &x.metric, &x.value));
        }
    }
    for r in site.results.values().flatten() {
        r.data.values.iter().for_each(|v| add("result", &r.file, &v.metric, &v.value));
    }
    for p in &site.periods {
        p.data.targets.iter().for_each(|x| add("period target", &p.file, &x.metric, &x.value));
    }
    out
}

/// Warns when an approved file's content changed after the day it was signed off.
fn changed_after(site: &Site, e: &Entry, diags: &mut Diagnostics) {
    let (Some(change), Some(date)) = (&e.last_change, &e.date) else { return };
    if change.date <= *date {
        return;
    }
    let review_file = e.review_file.as_deref().unwrap_or(&e.file);
    let position = review_position(site, e).unwrap_or_default();
    let commit = if change.commit.is_empty() { "not committed yet".to_owned() } else { format!("commit {}", change.commit) };
    let commit_zh = if change.commit.is_empty() { "尚未提交".to_owned() } else { format!("提交 {}", change.commit) };
    diags.push(
        Diagnostic::warning(
            "W-review",
            &e.file,
            if review_file == e.file { position } else { Position::file() },
            format!("changed on {} ({commit}), after it was signed off on {date}", change.date),
        )
        .help(format!(
            "have the change signed off again (`planpress approve {} --by NAME`), or set its state back to `for-approval`",
            review_file.display()
        ))
        .zh(
            format!("签发日期为 {date}，但 {}（{commit_zh}）又有改动，尚未重新签发", change.date),
            Some(format!("请重新签发（`planpress approve {} --by 签发人`），或把状态改回送审稿（for-approval）", review_file.display())),
        ),
    );
}

fn review_position(site: &Site, e: &Entry) -> Option<Position> {
    let (review, offset): (&Spanned<Review>, usize) = match e.kind {
        "page" => (site.pages.iter().flat_map(|p| p.docs.values()).find(|d| d.file == e.file)?.front.review.as_ref()?, 1),
        _ => (own_review(site, &e.file)?, 0),
    };
    let p = crate::validate::position(review);
    Some(Position::new(p.line + offset, p.column))
}

fn own_review<'a>(site: &'a Site, file: &Path) -> Option<&'a Spanned<Review>> {
    let plans = site
        .plans
        .values()
        .flat_map(|p| std::iter::once((&p.record.file, &p.record.data.review)).chain(p.tasks.iter().map(|t| (&t.file, &t.data.review))));
    let partners = site.partners.iter().map(|p| (&p.file, &p.data.review));
    let results = site.results.values().flatten().map(|r| (&r.file, &r.data.review));
    let periods = site.periods.iter().map(|p| (&p.file, &p.data.review));
    plans.chain(partners).chain(results).chain(periods).find(|(f, _)| f.as_path() == file).and_then(|(_, r)| r.as_ref())
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn in_git(root: &Path) -> bool {
    git(root, &["rev-parse", "--is-inside-work-tree"]).is_some_and(|s| s.trim() == "true")
}

/// Whether a diff (`-U0`) changes nothing but `review:` lines: a sign-off, not a change.
fn only_review(diff: &str) -> bool {
    diff.lines()
        .filter(|l| (l.starts_with('+') && !l.starts_with("+++")) || (l.starts_with('-') && !l.starts_with("---")))
        .all(|l| l[1..].starts_with("review:") || l[1..].trim().is_empty())
}

/// The last change of `file`'s content: not yet committed, else the newest commit whose diff
/// is more than a sign-off.
fn last_change(root: &Path, file: &Path) -> Option<Change> {
    let path = file.to_str()?;
    let pending = git(root, &["diff", "-U0", "--no-color", "HEAD", "--", path]).unwrap_or_default();
    if !pending.trim().is_empty() && !only_review(&pending) {
        return Some(Change { date: super::super::new::today(), commit: String::new() });
    }
    let log = git(root, &["log", "--no-color", "-U0", "-p", "--format=%x00%h %cs", "--", path])?;
    log.split('\0').filter(|c| !c.trim().is_empty()).find_map(|commit| {
        let (head, diff) = commit.split_once('\n').unwrap_or((commit, ""));
        let (hash, date) = head.trim().split_once(' ')?;
        (!only_review(diff)).then(|| Change { date: date.to_owned(), commit: hash.to_owned() })
    })
}

impl Trail {
    /// The trail for people, in the language of messages.
    pub fn write(&self, out: &mut String, root: &Path, lang: crate::diagnostics::MessageLang) {
        use std::fmt::Write as _;
        let zh = lang == crate::diagnostics::MessageLang::Zh;
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        let _ = writeln!(out, "{}", lang.pick("review (what waits for whom, and who signed off):", "审核与签发（待办及签发记录）："));
        for state in State::ALL {
            let entries: Vec<&Entry> = self.entries.iter().filter(|e| e.state == state).collect();
            let (waiting, waiting_zh) = match state {
                State::Draft => ("waiting for its drafter", "待拟稿人完成"),
                State::ForComment => ("out for comment, waiting for the reviewer", "征求意见中，待审核"),
                State::ForApproval => ("waiting for sign-off", "待签发"),
                State::Approved => ("published", "已发布"),
            };
            let _ = if zh {
                writeln!(out, "  {}（{waiting_zh}）：{}", state.zh(), entries.len())
            } else {
                writeln!(out, "  {} ({waiting}): {}", state.as_str(), entries.len())
            };
            for e in entries {
                let mut line = format!("    {}", rel(&e.file));
                let who = |en: &str, zh_word: &str, name: &Option<String>| {
                    name.as_ref().map(|n| if zh { format!("  {zh_word}：{n}") } else { format!("  {en}: {n}") }).unwrap_or_default()
                };
                line.push_str(&who("drafter", "拟稿", &e.drafter));
                line.push_str(&who("reviewer", "审核", &e.reviewer));
                if state == State::Approved {
                    match (&e.by, &e.date) {
                        (Some(by), Some(date)) => {
                            let _ =
                                if zh { write!(line, "  签发：{by}，{date}") } else { write!(line, "  signed off by {by} on {date}") };
                        }
                        _ => line.push_str(
                            lang.pick("  (approved by default_state: no sign-off recorded)", "  （按站点默认状态发布，没有签发记录）"),
                        ),
                    }
                }
                if let Some(from) = e.review_file.as_ref().filter(|f| **f != e.file) {
                    let _ =
                        if zh { write!(line, "  （状态取自 {}）", rel(from)) } else { write!(line, "  (state from {})", rel(from)) };
                }
                if let Some(c) = &e.last_change {
                    let commit = if c.commit.is_empty() { lang.pick("not committed", "未提交").to_owned() } else { c.commit.clone() };
                    let _ = if zh {
                        write!(line, "  最后改动：{} {commit}", c.date)
                    } else {
                        write!(line, "  last changed {} {commit}", c.date)
                    };
                }
                let _ = writeln!(out, "{line}");
            }
        }
        let _ = if zh {
            writeln!(out, "已发布的数据（{} 项，每项注明来源文件和签发记录）：", self.figures.len())
        } else {
            writeln!(out, "published figures ({}, each with its file and sign-off):", self.figures.len())
        };
        for f in &self.figures {
            let role = match (f.role, zh) {
                (r, false) => r,
                ("result", true) => "成果",
                ("task target", true) => "任务目标",
                (_, true) => "规划期目标",
            };
            let signed = match (&f.by, &f.date, zh) {
                (Some(by), Some(date), true) => format!("签发：{by}，{date}"),
                (Some(by), Some(date), false) => format!("signed off by {by} on {date}"),
                (_, _, true) => "没有签发记录".to_owned(),
                (_, _, false) => "no sign-off recorded".to_owned(),
            };
            let _ = writeln!(out, "  {}  {role} {} = {}  {signed}", rel(&f.file), f.metric, f.value);
        }
    }

    pub fn json(&self, root: &Path) -> serde_json::Value {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        let entries: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "kind": e.kind, "file": rel(&e.file), "state": e.state,
                    "review_file": e.review_file.as_deref().map(rel),
                    "drafter": e.drafter, "reviewer": e.reviewer, "by": e.by, "date": e.date,
                    "last_change": e.last_change,
                })
            })
            .collect();
        let figures: Vec<serde_json::Value> = self
            .figures
            .iter()
            .map(|f| serde_json::json!({"metric": f.metric, "value": f.value, "role": f.role, "file": rel(&f.file), "by": f.by, "date": f.date}))
            .collect();
        serde_json::json!({"git": self.git, "entries": entries, "figures": figures})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_off_is_not_a_change() {
        assert!(only_review(
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -9 +9 @@\n-review: {state: draft}\n+review: {state: approved, by: x, date: 2026-01-02}\n"
        ));
        assert!(!only_review("--- a/x.yaml\n+++ b/x.yaml\n@@ -3 +3 @@\n-    value: 1\n+    value: 2\n"));
    }
}
