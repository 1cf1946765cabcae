//! Validate: every id is safe and unique, every cross-reference resolves, every localised field
//! and Markdown file exists in every language. Produces diagnostics only; never changes the site.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::Spanned;

use crate::content::{source_of, stem};
use crate::diagnostics::{closest, Diagnostic, Diagnostics, Position};
use crate::model::{MarkdownDoc, Number, NumberProblem, Site, Text};
use crate::url_policy;

mod config;
mod gaps;
mod identity;
mod markdown;
mod punctuation;
mod review;
mod stale;
mod terms;
mod years;

use markdown::markdown_problems;
pub use markdown::{check_markdown, markdown_diagnostics};
pub use punctuation::punctuation_notes;
use terms::Term;
pub use years::{year_notices, YearNotice};

pub use crate::content::fields::{localised_fields, Field};
pub use gaps::{GapList, LIST_AT_MOST};
pub use stale::{stale_translations, translated_fields, translation_pairs, FieldAt, Stale, Translated};

pub fn validate(site: &Site) -> Diagnostics {
    validate_with_report(site).0
}

/// One missing translation: a field of a YAML record, or a whole Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Gap {
    pub lang: String,
    pub file: std::path::PathBuf,
    /// `title`, `recipient name`, … or `text` for a missing Markdown file.
    pub field: String,
    /// The same in Chinese: 标题, 受援地名称, … or 正文.
    pub field_zh: &'static str,
}

/// Diagnostics plus the translation gaps behind the `W-translation` warnings (one each).
pub fn validate_with_report(site: &Site) -> (Diagnostics, Vec<Gap>) {
    validate_listing(site, GapList::Each)
}

/// [`validate_with_report`], with the gaps warned about as `list` says.
pub fn validate_listing(site: &Site, list: GapList) -> (Diagnostics, Vec<Gap>) {
    let mut v = Validator { site, diags: Diagnostics::default(), sources: BTreeMap::new(), gaps: Vec::new(), gap_warnings: Vec::new() };
    v.config();
    v.identity();
    v.metrics();
    v.plans();
    v.partners();
    v.results();
    v.continuations();
    v.periods();
    v.summaries();
    v.pages();
    v.reviews();
    for d in markdown_problems(site) {
        v.push(d);
    }
    let mut gaps = std::mem::take(&mut v.gaps);
    gaps.sort();
    gaps.dedup();
    for d in gaps::warnings(site, std::mem::take(&mut v.gap_warnings), &gaps, list) {
        v.push(d);
    }
    (v.finish(), gaps)
}

pub fn position<T>(s: &Spanned<T>) -> Position {
    Position::new(s.referenced.line() as usize, s.referenced.column() as usize)
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`: safe as a path segment on every file system and in URLs.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

pub fn is_valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    if !(1000..=9999).contains(&y) || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]
}

struct Validator<'a> {
    site: &'a Site,
    diags: Diagnostics,
    sources: BTreeMap<std::path::PathBuf, String>,
    gaps: Vec<Gap>,
    /// The `W-translation` warning of each gap, with its language (see `gaps.rs`).
    gap_warnings: Vec<(String, Diagnostic)>,
}

impl<'a> Validator<'a> {
    fn finish(mut self) -> Diagnostics {
        // Attach the offending source line to every positioned diagnostic, reading each file once.
        let mut out = Diagnostics::default();
        for d in std::mem::take(&mut self.diags).sorted() {
            if d.position.line > 0 && d.source_line.is_none() {
                let source = self.sources.entry(d.file.clone()).or_insert_with(|| source_of(&d.file));
                out.push(d.clone().with_source(source));
            } else {
                out.push(d);
            }
        }
        out
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn languages(&self) -> Vec<&'a str> {
        self.site.language_codes()
    }

    /// A localised text must have every language, and only known ones.
    fn text(&mut self, text: &Text, file: &Path, term: Term) {
        let (field, field_zh) = (term.en(), term.zh());
        let languages = self.languages();
        for lang in &languages {
            let present = text.value.get(*lang).is_some_and(|s| !s.trim().is_empty());
            if !present {
                self.gaps.push(Gap { lang: (*lang).to_owned(), file: file.to_path_buf(), field: field.to_owned(), field_zh });
                self.gap_warnings.push((
                    (*lang).to_owned(),
                    Diagnostic::warning("W-translation", file, position(text), format!("`{field}` has no `{lang}` text"))
                        .help(format!(
                            "add `{lang}: …` to this map; until then the page shows the {} text with a \"not yet translated\" note",
                            self.site.default_language()
                        ))
                        .zh(
                            format!("{field_zh}缺少 `{lang}` 语言的文字"),
                            Some(format!(
                                "在这一项下加上 `{lang}: …`；补上之前，页面显示 {} 文字并注明“尚未翻译”",
                                self.site.default_language()
                            )),
                        ),
                ));
            }
        }
        for key in text.value.keys() {
            if !languages.contains(&key.as_str()) {
                let hint = match closest(key, languages.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? Languages of this site: {}", languages.join(", ")),
                    None => format!("languages of this site: {}; add the language to site.yaml first", languages.join(", ")),
                };
                self.push(
                    Diagnostic::error(
                        "E-language",
                        file,
                        position(text),
                        format!("`{field}` has text for `{key}`, which is not a language of this site"),
                    )
                    .help(hint)
                    .zh(
                        format!("{field_zh}写了 `{key}` 语言的文字，但本站没有这种语言"),
                        Some(match closest(key, languages.iter().copied()) {
                            Some(best) => format!("是不是要写 `{best}`？本站的语言：{}", languages.join("、")),
                            None => format!("本站的语言：{}；请先在 site.yaml 中加上这种语言", languages.join("、")),
                        }),
                    ),
                );
            }
        }
    }

    fn id(&mut self, id: &Spanned<String>, file: &Path, term: Term, must_match_file: bool) {
        let (what, what_zh) = (term.en(), term.zh());
        if !is_safe_id(&id.value) {
            self.push(
                Diagnostic::error("E-id", file, position(id), format!("{what} `{}` is not a safe id", id.value))
                    .help("use lower-case letters a-z, digits and single hyphens, e.g. `high-tech-zones`")
                    .zh(
                        format!("{what_zh} `{}` 不是安全的标识", id.value),
                        Some("只能用小写字母 a-z、数字和单个连字符，例如 `high-tech-zones`".to_owned()),
                    ),
            );
        } else if must_match_file && stem(file) != id.value {
            self.push(
                Diagnostic::error(
                    "E-id-file",
                    file,
                    position(id),
                    format!("{what} `{}` does not match the file name `{}`", id.value, stem(file)),
                )
                .help(format!("rename the file to `{}.yaml` (and its .md files), or change the {what}", id.value))
                .zh(
                    format!("{what_zh} `{}` 与文件名 `{}` 不一致", id.value, stem(file)),
                    Some(format!("请把文件（及其 .md 文件）改名为 `{}.yaml`，或修改{what_zh}", id.value)),
                ),
            );
        }
    }

    fn date(&mut self, date: &Spanned<String>, file: &Path) {
        if !is_valid_date(&date.value) {
            self.push(
                Diagnostic::error("E-date", file, position(date), format!("`{}` is not a valid date", date.value))
                    .help("write dates as YYYY-MM-DD, e.g. 2011-03-05")
                    .zh(format!("`{}` 不是有效日期", date.value), Some("日期写成 YYYY-MM-DD，例如 2011-03-05".to_owned())),
            );
        }
    }

    /// A URL field of a YAML file, judged by the one URL policy.
    fn url(&mut self, url: &Spanned<String>, file: &Path) {
        if let Err(refusal) = url_policy::judge(&url.value) {
            let (message, help, zh, zh_help) = refusal.texts(&url.value);
            self.push(Diagnostic::error("E-link", file, position(url), message).help(help).zh(zh, Some(zh_help)));
        }
    }

    /// A figure: finite, and published exactly as written.
    fn number(&mut self, n: &Spanned<Number>, file: &Path) {
        let Some(problem) = n.value.problem() else { return };
        let raw = &n.value.raw;
        let (message, zh) = match problem {
            NumberProblem::NotFinite => (format!("`{raw}` is not a finite number"), format!("`{raw}` 不是有限的数值")),
            NumberProblem::TooLargeInteger => (
                format!("`{raw}` is larger than 2^53 (9007199254740992) and cannot be shown exactly"),
                format!("`{raw}` 超过 2^53（9007199254740992），无法准确显示"),
            ),
            NumberProblem::TooManyDigits => (
                format!("`{raw}` has more than {} significant digits and cannot be shown exactly", Number::MAX_DIGITS),
                format!("`{raw}` 的有效数字超过 {} 位，无法准确显示", Number::MAX_DIGITS),
            ),
        };
        self.push(
            Diagnostic::error("E-number", file, position(n), message)
                .help(format!(
                    "write the figure as a plain number (at most {} significant digits, integers up to 9007199254740992), e.g. `value: 1250` or `value: 3.5`",
                    Number::MAX_DIGITS
                ))
                .zh(zh, Some(format!("请写成普通数值（有效数字不超过 {} 位，整数不超过 9007199254740992），例如 `value: 1250` 或 `value: 3.5`", Number::MAX_DIGITS))),
        );
    }

    fn reference(&mut self, r: &Spanned<String>, file: &Path, term: Term, known: &[&str]) {
        let (what, what_zh) = (term.en(), term.zh());
        // metrics.yaml is there but gave no metric: it failed to parse, and that error is already
        // reported; one error per reference to it would bury it.
        // (Judged without following a link: a linked metrics.yaml is skipped, not broken.)
        if term == Term::Metric && known.is_empty() && std::fs::symlink_metadata(&self.site.metrics_file).is_ok_and(|m| m.is_file()) {
            return;
        }
        if !known.contains(&r.value.as_str()) && !self.site.broken.contains(&r.value) {
            let best = closest(&r.value, known.iter().copied());
            let help = match best {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known {what} ids: {}", known.join(", ")),
            };
            let help_zh = match best {
                Some(best) => format!("是不是要写 `{best}`？"),
                None => format!("可用的{what_zh}标识：{}", known.join("、")),
            };
            self.push(
                Diagnostic::error("E-ref", file, position(r), format!("unknown {what} `{}`", r.value))
                    .help(help)
                    .zh(format!("找不到{what_zh} `{}`", r.value), Some(help_zh)),
            );
        }
    }

    /// Markdown bodies: `required` means every record of this kind has text in every language;
    /// otherwise a record with text in one language needs it in all.
    fn bodies(&mut self, bodies: &BTreeMap<String, MarkdownDoc>, record_file: &Path, required: bool) {
        if !required && bodies.is_empty() {
            return;
        }
        let name = stem(record_file);
        for lang in self.languages() {
            if !bodies.contains_key(lang) {
                let dir = record_file.parent().unwrap_or(Path::new(""));
                let missing = dir.join(format!("{name}.{lang}.md"));
                self.gaps.push(Gap { lang: lang.to_owned(), file: missing.clone(), field: "text".to_owned(), field_zh: "正文" });
                let default = self.site.default_language();
                // A file that is there yet missing is a placeholder (`untranslated: true`).
                let (help, help_zh) = if missing.is_file() {
                    (
                        format!(
                            "translate {}, then delete its `untranslated: true` line (the page shows the {default} text until then)",
                            missing.display()
                        ),
                        format!("翻译 {}，然后删去其中 `untranslated: true` 这一行（此前页面显示 {default} 文字）", missing.display()),
                    )
                } else {
                    (
                        format!("create {} (the page shows the {default} text until then)", missing.display()),
                        format!("新建 {}（补上之前页面显示 {default} 文字）", missing.display()),
                    )
                };
                self.gap_warnings.push((
                    lang.to_owned(),
                    Diagnostic::warning("W-translation", &missing, Position::file(), format!("missing `{lang}` text: {name}.{lang}.md"))
                        .help(help)
                        .zh(format!("缺少 `{lang}` 语言的正文：{name}.{lang}.md"), Some(help_zh)),
                ));
            }
        }
    }

    fn unique<'s>(&mut self, items: impl IntoIterator<Item = (&'s Spanned<String>, &'s Path)>, term: Term) {
        let (what, what_zh) = (term.en(), term.zh());
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        for (id, file) in items {
            if let Some(first) = seen.insert(&id.value, file) {
                self.push(
                    Diagnostic::error("E-duplicate", file, position(id), format!("duplicate {what} `{}`", id.value))
                        .help(format!("already used in {}; every {what} must be unique", first.display()))
                        .zh(
                            format!("重复的{what_zh} `{}`", id.value),
                            Some(format!("已在 {} 中使用；每个{what_zh}都必须唯一", first.display())),
                        ),
                );
            }
        }
    }

    fn metrics(&mut self) {
        let file = &self.site.metrics_file;
        for m in &self.site.metrics {
            self.id(&m.id, file, Term::MetricId, false);
            self.text(&m.name, file, Term::Name);
            self.text(&m.unit, file, Term::Unit);
        }
        self.unique(self.site.metrics.iter().map(|m| (&m.id, file.as_path())), Term::MetricId);
    }

    fn metric_ids(&self) -> Vec<&'a str> {
        self.site.metrics.iter().map(|m| m.id.value.as_str()).collect()
    }

    fn partner_ids(&self) -> Vec<&'a str> {
        self.site.partners.iter().map(|p| p.data.id.value.as_str()).collect()
    }

    fn plans(&mut self) {
        let metric_ids = self.metric_ids();
        let partner_ids = self.partner_ids();
        for plan in self.site.plans.values() {
            let file = &plan.record.file;
            let p = &plan.record.data;
            self.text(&p.title, file, Term::Title);
            self.text(&p.issuer, file, Term::Issuer);
            self.date(&p.date, file);
            if let Some(source) = &p.source {
                self.source(source, file);
            }
            if let Some(context) = &p.context {
                self.text(context, file, Term::Context);
            }
            for t in p.guided_by.iter().chain(&p.focuses) {
                self.text(t, file, Term::GuidedByItem);
            }
            let preamble_anchor = file.with_file_name("preamble.yaml");
            self.bodies(&plan.record.bodies, &preamble_anchor, false);
            let mut numbers: BTreeMap<u32, &Path> = BTreeMap::new();
            for task in &plan.tasks {
                let file = &task.file;
                let t = &task.data;
                self.id(&t.slug, file, Term::TaskSlug, true);
                if let Some(first) = numbers.insert(t.number.value, file) {
                    self.push(
                        Diagnostic::error("E-duplicate", file, position(&t.number), format!("duplicate task number {}", t.number.value))
                            .help(format!("already used by {}", first.display()))
                            .zh(format!("重复的任务编号 {}", t.number.value), Some(format!("已被 {} 使用", first.display()))),
                    );
                }
                self.text(&t.title, file, Term::Title);
                if let Some(updated) = &t.updated {
                    self.date(updated, file);
                }
                for body in &t.lead_bodies {
                    self.text(body, file, Term::LeadBodiesItem);
                }
                for a in &t.actions {
                    self.id(&a.id, file, Term::ActionId, false);
                    self.text(&a.name, file, Term::ActionName);
                }
                self.unique(t.actions.iter().map(|a| (&a.id, file.as_path())), Term::ActionId);
                for target in &t.targets {
                    self.reference(&target.metric, file, Term::Metric, &metric_ids);
                    self.number(&target.value, file);
                    if let Some(note) = &target.note {
                        self.text(note, file, Term::TargetNote);
                    }
                }
                self.unique(t.targets.iter().map(|x| (&x.metric, file.as_path())), Term::TargetMetric);
                for p in &t.partners {
                    self.reference(p, file, Term::Partner, &partner_ids);
                }
                self.bodies(&task.bodies, file, true);
            }
            self.unique(plan.tasks.iter().map(|t| (&t.data.slug, t.file.as_path())), Term::TaskSlug);
        }
    }

    fn partners(&mut self) {
        for partner in &self.site.partners {
            let file = &partner.file;
            let p = &partner.data;
            self.id(&p.id, file, Term::PartnerId, true);
            self.text(&p.name, file, Term::Name);
            if let Some(updated) = &p.updated {
                self.date(updated, file);
            }
            for r in &p.recipients {
                self.text(&r.name, file, Term::RecipientName);
                if let Some(pref) = &r.prefecture {
                    self.text(pref, file, Term::RecipientPrefecture);
                }
            }
            if let Some(note) = &p.note {
                self.text(note, file, Term::Note);
            }
            for source in &p.sources {
                self.url(source, file);
            }
            self.bodies(&partner.bodies, file, false);
        }
        self.unique(self.site.partners.iter().map(|p| (&p.data.id, p.file.as_path())), Term::PartnerId);
    }

    fn results(&mut self) {
        let metric_ids = self.metric_ids();
        let partner_ids = self.partner_ids();
        for (year, results) in &self.site.results {
            let task_slugs: Vec<&str> =
                self.site.plans.get(year).map(|p| p.tasks.iter().map(|t| t.data.slug.value.as_str()).collect()).unwrap_or_default();
            for result in results {
                let file = &result.file;
                let r = &result.data;
                self.id(&r.slug, file, Term::ResultSlug, true);
                self.date(&r.date, file);
                if let Some(updated) = &r.updated {
                    self.date(updated, file);
                }
                if is_valid_date(&r.date.value) && !r.date.value.starts_with(&year.to_string()) {
                    self.push(
                        Diagnostic::warning(
                            "W-date",
                            file,
                            position(&r.date),
                            format!("date {} is not in {year}, the year of its folder", r.date.value),
                        )
                        .help(format!("a result of {year} goes in content/results/{year}/; check the date or move the file"))
                        .zh(
                            format!("日期 {} 不在所属文件夹的年度 {year} 年内", r.date.value),
                            Some(format!("{year} 年的年度成果应放在 content/results/{year}/ 中；请核对日期或移动文件")),
                        ),
                    );
                }
                self.text(&r.title, file, Term::Title);
                for t in &r.tasks {
                    self.reference(t, file, Term::Task, &task_slugs);
                }
                for p in &r.partners {
                    self.reference(p, file, Term::Partner, &partner_ids);
                }
                for v in &r.values {
                    self.reference(&v.metric, file, Term::Metric, &metric_ids);
                    self.number(&v.value, file);
                }
                self.bodies(&result.bodies, file, true);
            }
            self.unique(results.iter().map(|r| (&r.data.slug, r.file.as_path())), Term::ResultSlug);
        }
    }

    fn pages(&mut self) {
        let languages = self.languages();
        let reserved = crate::routes::reserved_page_names();
        for page in &self.site.pages {
            let any = page.docs.values().next().map(|d| d.file.clone()).unwrap_or_default();
            if !is_safe_id(&page.slug) {
                self.push(
                    Diagnostic::error("E-id", &any, Position::file(), format!("page name `{}` is not a safe id", page.slug))
                        .help("name pages like `about.zh.md`: lower-case letters, digits, hyphens")
                        .zh(
                            format!("页面名称 `{}` 不是安全的标识", page.slug),
                            Some("页面文件请命名为 `about.zh.md` 这样的形式：小写字母、数字和连字符".to_owned()),
                        ),
                );
            } else if reserved.contains(&page.slug.as_str()) || languages.contains(&page.slug.as_str()) {
                self.push(
                    Diagnostic::error("E-id", &any, Position::file(), format!("page name `{}` is reserved", page.slug))
                        .help(format!("choose another name; reserved: {} and the language codes", reserved.join(", ")))
                        .zh(
                            format!("页面名称 `{}` 已被保留", page.slug),
                            Some(format!("请换一个名称；保留的名称有 {} 以及各语言代码", reserved.join("、"))),
                        ),
                );
            }
            for doc in page.docs.values() {
                for date in [&doc.front.date, &doc.front.updated].into_iter().flatten() {
                    if !is_valid_date(date) {
                        self.push(
                            Diagnostic::error(
                                "E-date",
                                &doc.file,
                                Position::new(1, 1),
                                format!("`{date}` in the front matter is not a valid date"),
                            )
                            .help("write dates as YYYY-MM-DD, e.g. 2011-03-05")
                            .zh(format!("前置元数据中的 `{date}` 不是有效日期"), Some("日期写成 YYYY-MM-DD，例如 2011-03-05".to_owned())),
                        );
                    }
                }
                if doc.front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    self.push(
                        Diagnostic::error("E-front-matter", &doc.file, Position::new(1, 1), "page has no `title` in its front matter")
                            .help("start the file with:\n---\ntitle: Page title\n---")
                            .zh("页面的前置元数据中没有 `title`（标题）", Some("请在文件开头写上：\n---\ntitle: 页面标题\n---".to_owned())),
                    );
                }
            }
            let anchor = any.with_file_name(format!("{}.yaml", page.slug));
            self.bodies(&page.docs, &anchor, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids() {
        assert!(is_safe_id("high-tech"));
        assert!(is_safe_id("a1"));
        for bad in ["", "A", "a--b", "-a", "a-", "../x", "a/b", "科技", "a_b", "a.b"] {
            assert!(!is_safe_id(bad), "{bad}");
        }
    }

    #[test]
    fn reloaded_markdown_is_checked_with_positions() {
        let dir = std::env::temp_dir().join(format!("planpress-check-markdown-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("r.zh.md");
        let text = "---\ntitle: t\n---\n正文\n\n说明：[a](<JAVA\tSCRIPT:x>)\n";
        std::fs::write(&file, text).unwrap();
        let doc = MarkdownDoc { file: file.clone(), front: Default::default(), markdown: text[text.find("正文").unwrap()..].to_owned() };
        let diags = check_markdown(&doc).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        let d = diags.iter().next().unwrap();
        assert_eq!((d.code, d.position.line, d.position.column), ("E-link", 6, 4));
        assert_eq!(d.source_line.as_deref(), Some("说明：[a](<JAVA\tSCRIPT:x>)"));
        let clean = MarkdownDoc { file, front: Default::default(), markdown: "[a](https://x.org/)".to_owned() };
        assert!(check_markdown(&clean).is_ok());
    }

    #[test]
    fn dates() {
        assert!(is_valid_date("2011-02-12"));
        assert!(is_valid_date("2012-02-29"));
        assert!(!is_valid_date("2011-02-29"));
        assert!(!is_valid_date("2011-2-1"));
        assert!(!is_valid_date("March 5"));
    }
}
