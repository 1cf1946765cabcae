//! The publication states (`review:`): a sign-off names who and when, and only a signed-off
//! record has one; the state lives in the record's YAML (a free page's: its default-language
//! front matter), never in a translation or a record's Markdown text.

use std::path::Path;

use serde_saphyr::Spanned;

use super::{position, Validator};
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{MarkdownDoc, Review, State};

impl Validator<'_> {
    pub(super) fn reviews(&mut self) {
        let site = self.site;
        for plan in site.plans.values() {
            self.review(plan.record.data.review.as_ref(), &plan.record.file, 0);
            self.no_review_in_bodies(plan.record.bodies.values(), &plan.record.file);
            for task in &plan.tasks {
                self.review(task.data.review.as_ref(), &task.file, 0);
                self.no_review_in_bodies(task.bodies.values(), &task.file);
            }
        }
        for p in &site.partners {
            self.review(p.data.review.as_ref(), &p.file, 0);
            self.no_review_in_bodies(p.bodies.values(), &p.file);
        }
        for r in site.results.values().flatten() {
            self.review(r.data.review.as_ref(), &r.file, 0);
            self.no_review_in_bodies(r.bodies.values(), &r.file);
        }
        for p in &site.periods {
            self.review(p.data.review.as_ref(), &p.file, 0);
            self.no_review_in_bodies(p.bodies.values(), &p.file);
        }
        for s in site.summaries.values() {
            self.no_review_in_bodies(s.bodies.values(), &s.file);
        }
        let default = site.default_language();
        for page in &site.pages {
            for (lang, doc) in &page.docs {
                if lang == default {
                    // Front matter is parsed from its second line: its spans are one line up.
                    self.review(doc.front.review.as_ref(), &doc.file, 1);
                } else if let Some(review) = &doc.front.review {
                    let source = page.docs.get(default).map_or_else(|| format!("{}.{default}.md", page.slug), |d| file_name(&d.file));
                    self.push(
                        Diagnostic::error("E-review", &doc.file, shifted(review, 1), "a translation has no state of its own")
                            .help(format!("the page's state is in its {default} file, {source}: move `review:` there"))
                            .zh(
                                "译文没有自己的审核状态",
                                Some(format!("页面的审核状态写在源语言文件 {source} 的前置元数据中：请把 `review:` 移到那里")),
                            ),
                    );
                }
            }
        }
    }

    /// A record's `review:`: an approval names who and when; a draft names neither.
    fn review(&mut self, review: Option<&Spanned<Review>>, file: &Path, offset: usize) {
        let Some(review) = review else { return };
        let r = &review.value;
        let state = r.state.value;
        let shown = file.strip_prefix(&self.site.root).unwrap_or(file).display().to_string();
        if state == State::Approved {
            let example = "review: {state: approved, by: 签发人, date: YYYY-MM-DD}";
            for (missing, en, zh) in [
                (r.by.is_none(), "who signed it off (`by:`)", "签发人（`by:`）"),
                (r.date.is_none(), "when (`date:`)", "签发日期（`date:`）"),
            ] {
                if missing {
                    self.push(
                        Diagnostic::error("E-review", file, shifted(review, offset), format!("`state: approved` without {en}"))
                            .help(format!("record the sign-off: `{example}`, or run `planpress approve {shown} --by NAME`"))
                            .zh(
                                format!("状态为已签发（approved），但没有写{zh}"),
                                Some(format!("请写明签发信息：`{example}`，或运行 `planpress approve {shown} --by 签发人`")),
                            ),
                    );
                }
            }
        } else {
            for field in [&r.by, &r.date].into_iter().flatten() {
                self.push(
                    Diagnostic::error("E-review", file, shifted(field, offset), format!("a sign-off (`by:`, `date:`) on a record in state `{}`", state.as_str()))
                        .help("only an approved record has a sign-off: set `state: approved` when it is signed off (or run `planpress approve`), else delete `by:` and `date:`")
                        .zh(
                            format!("状态为{}（{}），尚未签发，却写了签发人或签发日期", state.zh(), state.as_str()),
                            Some("只有已签发的内容才有签发人和签发日期：签发后把状态改为 approved（或运行 `planpress approve`），否则删去 `by:` 和 `date:`".to_owned()),
                        ),
                );
            }
        }
        for name in [&r.by, &r.drafter, &r.reviewer].into_iter().flatten() {
            if name.value.trim().is_empty() {
                self.push(
                    Diagnostic::error("E-review", file, shifted(name, offset), "an empty name")
                        .help("write the person's name, or delete the line")
                        .zh("姓名为空", Some("请写上姓名，或删去这一行".to_owned())),
                );
            }
        }
        if let Some(date) = &r.date {
            if offset == 0 {
                self.date(date, file);
            } else if !super::is_valid_date(&date.value) {
                self.push(
                    Diagnostic::error("E-date", file, shifted(date, offset), format!("`{}` is not a valid date", date.value))
                        .help("write dates as YYYY-MM-DD, e.g. 2011-03-05")
                        .zh(format!("`{}` 不是有效日期", date.value), Some("日期写成 YYYY-MM-DD，例如 2011-03-05".to_owned())),
                );
            }
        }
    }

    /// The Markdown text of a record: its state is in the record's YAML.
    fn no_review_in_bodies<'d>(&mut self, docs: impl Iterator<Item = &'d MarkdownDoc>, record: &Path) {
        for doc in docs {
            if let Some(review) = &doc.front.review {
                let record = file_name(record);
                self.push(
                    Diagnostic::error("E-review", &doc.file, shifted(review, 1), "a record's text has no state of its own")
                        .help(format!("the state is in the record's YAML file, {record}: move `review:` there"))
                        .zh("正文没有自己的审核状态", Some(format!("审核状态写在记录文件 {record} 中：请把 `review:` 移到那里"))),
                );
            }
        }
    }
}

fn shifted<T>(s: &Spanned<T>, lines: usize) -> Position {
    let p = position(s);
    Position::new(p.line + lines, p.column)
}

fn file_name(file: &Path) -> String {
    file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
