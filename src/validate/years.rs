//! The checks that span years: a task that continues one of an earlier year, the plan periods
//! and their targets, the year-end summaries' front matter, and the notices `check` gives about
//! years (a year without its summary, tasks of adjacent years not linked either way).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::{is_valid_date, position, Term, Validator};
use crate::diagnostics::{closest, Diagnostic};
use crate::model::{PeriodFile, Record, Site};

impl Validator<'_> {
    /// `continues:` names a task of the nearest earlier plan year; `new: true` says there is none.
    pub(super) fn continuations(&mut self) {
        for (&year, plan) in &self.site.plans {
            let previous = self.site.previous_plan_year(year);
            for task in &plan.tasks {
                let t = &task.data;
                if let (Some(continues), Some(is_new)) = (&t.continues, &t.is_new) {
                    if is_new.value {
                        self.push(
                            Diagnostic::error(
                                "E-continues",
                                &task.file,
                                position(is_new),
                                "a task cannot both continue another and be new",
                            )
                            .help(format!("keep `continues: {}` or `new: true`, not both", continues.value))
                            .zh(
                                "一项重点任务不能既接续往年任务又标为新任务",
                                Some(format!("`continues: {}` 与 `new: true` 只能保留一个", continues.value)),
                            ),
                        );
                    }
                }
                let Some(continues) = &t.continues else { continue };
                self.continued_task(continues, &task.file, year, previous);
            }
        }
    }

    fn continued_task(&mut self, continues: &Spanned<String>, file: &Path, year: u32, previous: Option<u32>) {
        let Some(previous) = previous else {
            self.push(
                Diagnostic::error("E-continues", file, position(continues), format!("no plan before {year} has a task to continue"))
                    .help("a task continues a task of the nearest earlier plan year; remove `continues:` or add that year's plan")
                    .zh(
                        format!("{year} 年之前没有年度计划，无任务可接续"),
                        Some("接续的是上一个有年度计划的年份中的重点任务；请删去 `continues:`，或先补上那一年的计划".to_owned()),
                    ),
            );
            return;
        };
        let slugs: Vec<&str> = self.site.plans[&previous].tasks.iter().map(|t| t.data.slug.value.as_str()).collect();
        if slugs.contains(&continues.value.as_str()) || self.site.broken.contains(&continues.value) {
            return;
        }
        let (help, help_zh) = match closest(&continues.value, slugs.iter().copied()) {
            Some(best) => (format!("did you mean `{best}`?"), format!("是不是要写 `{best}`？")),
            None => (format!("the tasks of {previous}: {}", slugs.join(", ")), format!("{previous} 年的任务标识：{}", slugs.join("、"))),
        };
        self.push(
            Diagnostic::error("E-ref", file, position(continues), format!("{previous} has no task `{}` to continue", continues.value))
                .help(help)
                .zh(format!("{previous} 年的年度计划中没有任务标识为 `{}` 的重点任务", continues.value), Some(help_zh)),
        );
    }

    pub(super) fn periods(&mut self) {
        let metric_ids = self.metric_ids();
        for period in &self.site.periods {
            self.period(period, &metric_ids);
        }
        self.unique(self.site.periods.iter().map(|p| (&p.data.id, p.file.as_path())), Term::PeriodId);
    }

    fn period(&mut self, period: &Record<PeriodFile>, metric_ids: &[&str]) {
        let (file, p) = (&period.file, &period.data);
        self.id(&p.id, file, Term::PeriodId, true);
        self.text(&p.title, file, Term::Title);
        let (first, last) = (p.first_year.value, p.last_year.value);
        if first > last {
            self.push(
                Diagnostic::error("E-period", file, position(&p.last_year), format!("last_year {last} is before first_year {first}"))
                    .help("a period runs from first_year to last_year, e.g. 2011 to 2015")
                    .zh(
                        format!("末年 last_year {last} 早于首年 first_year {first}"),
                        Some("规划期从首年 first_year 到末年 last_year，例如 2011 至 2015".to_owned()),
                    ),
            );
        }
        if let Some(source) = &p.source {
            self.source(source, file);
        }
        for target in &p.targets {
            self.reference(&target.metric, file, Term::Metric, metric_ids);
            self.number(&target.value, file);
            match &target.source {
                Some(source) => self.source(source, file),
                None if !target.illustrative => self.push(
                    Diagnostic::error(
                        "E-source",
                        file,
                        position(&target.metric),
                        format!("period target `{}` has no source", target.metric.value),
                    )
                    .help("give `source: {url: …}` where the figure is published, or mark it `illustrative: true`")
                    .zh(
                        format!("规划期目标 `{}` 没有注明来源", target.metric.value),
                        Some("请用 `source: {url: …}` 注明公开出处，或标注 `illustrative: true`（示例数据）".to_owned()),
                    ),
                ),
                None => {}
            }
            if let Some(note) = &target.note {
                self.text(note, file, Term::TargetNote);
            }
            let mut years = BTreeSet::new();
            for milestone in &target.milestones {
                self.number(&milestone.value, file);
                let year = milestone.year.value;
                if !(first..=last).contains(&year) || !years.insert(year) {
                    self.push(
                        Diagnostic::error(
                            "E-period",
                            file,
                            position(&milestone.year),
                            format!("milestone year {year} is not a year of {first}–{last}, or is repeated"),
                        )
                        .help(format!("give each milestone once, for a year from {first} to {last}"))
                        .zh(
                            format!("阶段目标年份 {year} 不在 {first}—{last} 年之内，或重复"),
                            Some(format!("每个阶段目标只写一次，年份在 {first} 至 {last} 之间")),
                        ),
                    );
                }
            }
        }
        self.unique(p.targets.iter().map(|t| (&t.metric, file.as_path())), Term::TargetMetric);
        self.bodies(&period.bodies, file, false);
    }

    /// A `source:` (plan, period, target, summary): its URL by the one policy, its note in every language.
    pub(super) fn source(&mut self, source: &crate::model::Source, file: &Path) {
        self.url(&source.url, file);
        if let Some(note) = &source.note {
            self.text(note, file, Term::SourceNote);
        }
    }

    pub(super) fn summaries(&mut self) {
        for (&year, summary) in &self.site.summaries {
            let (file, s) = (&summary.file, &summary.data);
            self.text(&s.title, file, Term::Title);
            self.text(&s.issuer, file, Term::Issuer);
            self.date(&s.date, file);
            if is_valid_date(&s.date.value) && s.date.value[..4].parse::<u32>().is_ok_and(|y| y < year) {
                self.push(
                    Diagnostic::warning(
                        "W-date",
                        file,
                        position(&s.date),
                        format!("the summary of {year} is dated {}, before the year it sums up", s.date.value),
                    )
                    .help("date the summary when it was issued, at the end of the year or after")
                    .zh(
                        format!("{year} 年的年终总结日期为 {}，早于所总结的年度", s.date.value),
                        Some("请写总结印发的日期，应在年末或之后".to_owned()),
                    ),
                );
            }
            if let Some(source) = &s.source {
                self.source(source, file);
            }
            self.bodies(&summary.bodies, file, false);
        }
    }
}

/// Something `check` tells the editors about the years, which is not a problem of any one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearNotice {
    pub file: PathBuf,
    pub en: String,
    pub zh: String,
}

/// Years with a plan but no year-end summary (`summary.yaml`), and tasks of a plan year after
/// the first that neither continue a task of the year before nor say `new: true`.
pub fn year_notices(site: &Site) -> Vec<YearNotice> {
    let mut notices = Vec::new();
    let content = site.root.join("content");
    for &year in site.plans.keys() {
        if !site.summaries.contains_key(&year) {
            notices.push(YearNotice {
                file: content.join("results").join(year.to_string()).join("summary.yaml"),
                en: format!("{year} has no year-end summary yet (its booklet's cover reads \"{year} year-end summary\")"),
                zh: format!("{year} 年尚无年终总结（总结小册子封面暂用“{year}年年终总结”）"),
            });
        }
    }
    for (&year, plan) in &site.plans {
        let Some(previous) = site.previous_plan_year(year) else { continue };
        for task in &plan.tasks {
            if task.data.continues.is_none() && !task.data.is_new.as_ref().is_some_and(|n| n.value) {
                notices.push(YearNotice {
                    file: task.file.clone(),
                    en: format!(
                        "task `{}` neither continues a task of {previous} (`continues: <slug>`) nor says `new: true`",
                        task.data.slug.value
                    ),
                    zh: format!(
                        "重点任务 `{}` 既未接续 {previous} 年的任务（`continues: 任务标识`），也未标为新任务（`new: true`）",
                        task.data.slug.value
                    ),
                });
            }
        }
    }
    notices.sort();
    notices
}
