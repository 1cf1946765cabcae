//! `planpress approve PATH… --by NAME [--date D]`: records the sign-off (签发) of records: sets
//! `review: {state: approved, by: NAME, date: D}` in each record's YAML (a free page's: in the
//! front matter of its default-language file), keeping the drafter and reviewer it names. Only
//! the `review:` lines change: every other byte of the file stays as it was.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::yaml;
use crate::diagnostics::Message;
use crate::model::{PartnerFile, PeriodFile, PlanFile, ResultFile, Review, TaskFile};
use crate::validate::is_valid_date;

pub struct ApproveOptions {
    pub root: PathBuf,
    /// Record files, relative to the site root or to the working directory.
    pub paths: Vec<PathBuf>,
    /// Who signs off (签发人).
    pub by: String,
    /// YYYY-MM-DD; today (UTC) when absent.
    pub date: Option<String>,
}

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plan,
    Task,
    Partner,
    Result,
    Period,
    /// A free page's default-language Markdown: the state is in its front matter.
    Page,
}

/// Signs off every named record, or none: every path is checked before any file is written.
/// Returns one line per record.
pub fn approve(options: &ApproveOptions) -> Result<Vec<Message>, Vec<Message>> {
    let by = options.by.trim();
    let mut errors = Vec::new();
    if by.is_empty() {
        errors.push(Message::new("--by needs the name of who signs off", "--by 后面要写签发人的姓名"));
    }
    let date = options.date.clone().unwrap_or_else(super::new::today);
    if !is_valid_date(&date) {
        errors.push(Message::new(
            format!("--date {date}: not a valid YYYY-MM-DD date"),
            format!("--date {date}：不是有效的日期，请写成 YYYY-MM-DD"),
        ));
    }
    let site = crate::content::load(&options.root).0;
    let Some(default_lang) = site.as_ref().map(|s| s.default_language().to_owned()) else {
        return Err(vec![Message::new(
            format!("{} is not a planpress site (no content/site.yaml, or it cannot be read)", options.root.display()),
            format!("{} 不是 planpress 站点（没有 content/site.yaml，或无法读取）", options.root.display()),
        )]);
    };
    let mut edits = Vec::new();
    for path in &options.paths {
        match edit(&options.root, path, &default_lang, by, &date) {
            Ok(edit) => edits.push(edit),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut done = Vec::new();
    let signed: Vec<PathBuf> = edits.iter().filter_map(|(file, _, _)| std::fs::canonicalize(file).ok()).collect();
    for (file, text, shown) in edits {
        if let Err(e) = std::fs::write(&file, text) {
            return Err(vec![Message::new(format!("{shown}: cannot write: {e}"), format!("{shown}：无法写入：{e}"))]);
        }
        done.push(Message::new(
            format!("approved {shown} (signed off by {by} on {date})"),
            format!("已签发 {shown}（签发人：{by}，签发日期：{date}）"),
        ));
        if let Some(note) = site.as_ref().and_then(|site| plan_not_approved(site, &file, &shown, &signed)) {
            done.push(note);
        }
    }
    Ok(done)
}

/// A task is published only with its plan: says so when the plan of a task just signed off is not.
fn plan_not_approved(site: &crate::model::Site, file: &Path, shown: &str, signed: &[PathBuf]) -> Option<Message> {
    use crate::model::{Item, State};
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let file = canonical(file)?;
    let (year, plan) = site.plans.iter().find(|(_, p)| p.tasks.iter().any(|t| canonical(&t.file).as_ref() == Some(&file)))?;
    let state = site.state(Item::Plan(*year));
    if canonical(&plan.record.file).is_some_and(|p| signed.contains(&p)) {
        return None;
    }
    let plan_file = plan.record.file.strip_prefix(&site.root).unwrap_or(&plan.record.file).display().to_string();
    (state != State::Approved).then(|| {
        Message::new(
            format!("  note: {shown} is published only with its plan, {plan_file}, which is `{}`", state.as_str()),
            format!("  注意：{shown} 要随年度计划 {plan_file} 一起发布，该计划目前是{}（{}）", state.zh(), state.as_str()),
        )
    })
}

/// The new text of the record `path` names: (file, text, the path as shown).
fn edit(root: &Path, path: &Path, default_lang: &str, by: &str, date: &str) -> Result<(PathBuf, String, String), Message> {
    let shown = path.display().to_string();
    let file = [root.join(path), path.to_path_buf()]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| Message::new(format!("{shown}: no such file"), format!("{shown}：文件不存在")))?;
    let content = std::fs::canonicalize(root.join("content")).map_err(|_| {
        Message::new(format!("{}: no content/ folder", root.display()), format!("{}：没有 content/ 文件夹", root.display()))
    })?;
    let canonical = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
    let rel: Vec<String> = match canonical.strip_prefix(&content) {
        Ok(rel) => rel.iter().map(|c| c.to_string_lossy().into_owned()).collect(),
        Err(_) => {
            return Err(Message::new(
                format!("{shown}: not a file of this site's content/ (pass the site with --root DIR)"),
                format!("{shown}：不是本站 content/ 中的文件（用 --root DIR 指定站点）"),
            ))
        }
    };
    let kind = kind_of(&rel, default_lang).map_err(|(en, zh)| Message::new(format!("{shown}: {en}"), format!("{shown}：{zh}")))?;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Message::new(format!("{shown}: cannot read: {e}"), format!("{shown}：无法读取：{e}")))?;
    let updated = match kind {
        Kind::Page => {
            let (Some(front), _) = yaml::split_front_matter(&text) else {
                return Err(Message::new(format!("{shown}: a page needs front matter"), format!("{shown}：页面缺少前置元数据")));
            };
            let start = front.as_ptr() as usize - text.as_ptr() as usize;
            let end = start + front.len();
            let review = existing(front);
            format!("{}{}{}", &text[..start], with_review(front, &line(review.as_ref(), by, date)), &text[end..])
        }
        _ => with_review(&text, &line(existing(&text).as_ref(), by, date)),
    };
    check_parses(kind, &file, &updated).map_err(|d| {
        let at = format!("{}:{}:{}", shown, d.position.line, d.position.column);
        Message::new(
            format!("{at}: {} (nothing was changed)", d.message),
            format!("{at}：{}（没有改动任何文件）", d.zh.as_ref().map_or(&d.message, |z| &z.message)),
        )
    })?;
    Ok((file, updated, shown))
}

/// What kind of record a path below `content/` is, or why it cannot be approved.
fn kind_of(rel: &[String], default_lang: &str) -> Result<Kind, (String, String)> {
    let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
    let yaml = |name: &str| name.ends_with(".yaml");
    match rel.as_slice() {
        ["plan", _, "plan.yaml"] => Ok(Kind::Plan),
        ["plan", _, "tasks", name] if yaml(name) => Ok(Kind::Task),
        ["partners", name] if yaml(name) => Ok(Kind::Partner),
        ["results", _, "summary.yaml"] => Err((
            "a year-end summary has no state of its own: it publishes the year's approved results".to_owned(),
            "年终总结没有单独的审核状态：它汇总该年度已签发的成果".to_owned(),
        )),
        ["results", _, name] if yaml(name) => Ok(Kind::Result),
        ["periods", name] if yaml(name) => Ok(Kind::Period),
        ["pages", name] if name.ends_with(&format!(".{default_lang}.md")) => Ok(Kind::Page),
        ["pages", name] => Err((
            format!(
                "a page's state is in its {default_lang} file: approve {}.{default_lang}.md",
                name.split('.').next().unwrap_or_default()
            ),
            format!("页面的审核状态写在源语言文件中：请签发 {}.{default_lang}.md", name.split('.').next().unwrap_or_default()),
        )),
        [.., name] if name.ends_with(".md") => Err((
            format!("a record's text has no state of its own: approve its {}.yaml", name.split('.').next().unwrap_or_default()),
            format!("正文没有单独的审核状态：请签发对应的记录文件 {}.yaml", name.split('.').next().unwrap_or_default()),
        )),
        _ => Err((
            "not a plan, task, result, partner, period or page file".to_owned(),
            "不是年度计划、重点任务、年度成果、对口支援省市、规划期或页面的文件".to_owned(),
        )),
    }
}

/// The record's `review:` as it is (to keep its drafter and reviewer), if it parses.
fn existing(yaml: &str) -> Option<Review> {
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        review: Option<Review>,
    }
    serde_saphyr::from_str::<Only>(yaml).ok()?.review
}

/// `review: {state: approved, …}` on one line, names quoted.
fn line(old: Option<&Review>, by: &str, date: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut parts = vec!["state: approved".to_owned()];
    if let Some(r) = old {
        for (key, name) in [("drafter", &r.drafter), ("reviewer", &r.reviewer)] {
            if let Some(name) = name {
                parts.push(format!("{key}: {}", quote(&name.value)));
            }
        }
    }
    parts.push(format!("by: {}", quote(by)));
    parts.push(format!("date: {date}"));
    format!("review: {{{}}}", parts.join(", "))
}

/// `yaml` with its top-level `review:` (the key and its indented lines) replaced by `line`, or
/// `line` added at its end; every other byte kept.
pub fn with_review(yaml: &str, line: &str) -> String {
    let newline = if yaml.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("review:")) else {
        let sep = if yaml.is_empty() || yaml.ends_with('\n') { "" } else { newline };
        return format!("{yaml}{sep}{line}{newline}");
    };
    let mut end = start + 1;
    // The block's own lines are indented; a blank line inside it belongs to it only if an
    // indented line follows.
    while end < lines.len() {
        let rest = &lines[end..];
        let next_content = rest.iter().position(|l| !l.trim().is_empty());
        match next_content {
            Some(i) if rest[i].starts_with([' ', '\t']) => end += i + 1,
            _ => break,
        }
    }
    let ending = if lines[end - 1].ends_with("\r\n") {
        "\r\n"
    } else if lines[end - 1].ends_with('\n') {
        "\n"
    } else {
        ""
    };
    format!("{}{line}{ending}{}", lines[..start].concat(), lines[end..].concat())
}

/// The edited file must still be the record it was.
fn check_parses(kind: Kind, file: &Path, text: &str) -> Result<(), crate::diagnostics::Diagnostic> {
    match kind {
        Kind::Plan => yaml::parse::<PlanFile>(file, text, text, 1).map(drop),
        Kind::Task => yaml::parse::<TaskFile>(file, text, text, 1).map(drop),
        Kind::Partner => yaml::parse::<PartnerFile>(file, text, text, 1).map(drop),
        Kind::Result => yaml::parse::<ResultFile>(file, text, text, 1).map(drop),
        Kind::Period => yaml::parse::<PeriodFile>(file, text, text, 1).map(drop),
        Kind::Page => yaml::parse_front_matter(file, text).map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "review: {state: approved, by: \"x\", date: 2026-01-02}";

    #[test]
    fn a_review_is_added_at_the_end_keeping_every_byte() {
        assert_eq!(with_review("a: 1\n# note\n", LINE), format!("a: 1\n# note\n{LINE}\n"));
        assert_eq!(with_review("a: 1", LINE), format!("a: 1\n{LINE}\n"));
        assert_eq!(with_review("a: 1\r\nb: 2\r\n", LINE), format!("a: 1\r\nb: 2\r\n{LINE}\r\n"));
    }

    #[test]
    fn a_review_block_is_replaced_in_place() {
        let text = "a: 1\nreview:\n  state: draft\n\n  drafter: 李\n\nb: 2 # keep\n";
        assert_eq!(with_review(text, LINE), format!("a: 1\n{LINE}\n\nb: 2 # keep\n"));
        let flow = "a: 1\nreview: {state: for-approval}\nb: [x]\n";
        assert_eq!(with_review(flow, LINE), format!("a: 1\n{LINE}\nb: [x]\n"));
        assert_eq!(with_review("review: {state: draft}", LINE), LINE);
    }

    #[test]
    fn the_drafter_and_reviewer_are_kept() {
        let old = existing("title: x\nreview: {state: for-approval, drafter: 王, reviewer: \"李\"}\n");
        assert_eq!(
            line(old.as_ref(), "张", "2026-01-02"),
            "review: {state: approved, drafter: \"王\", reviewer: \"李\", by: \"张\", date: 2026-01-02}"
        );
    }
}
