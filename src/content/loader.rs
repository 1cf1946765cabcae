//! Files the parsed files of `content/` into the typed [`Site`]: each record takes its Markdown
//! bodies, lists are put in their published order, and files that belong to nothing (a task
//! without its plan, a body without its record) are reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{stem, BodyOwner, Item, Parsed};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{
    FieldHashes, MarkdownDoc, Page, PartnerFile, PeriodFile, Plan, PlanFile, Record, ResultFile, Site, SiteConfig, SummaryFile, TaskFile,
};

/// Files the parsed files into the site's parts.
pub(super) struct Loader<'a> {
    diags: &'a mut Diagnostics,
    plan_files: BTreeMap<u32, (PlanFile, PathBuf)>,
    tasks: BTreeMap<u32, Vec<(TaskFile, PathBuf)>>,
    partners: Vec<(PartnerFile, PathBuf)>,
    results: BTreeMap<u32, Vec<(ResultFile, PathBuf)>>,
    periods: Vec<(PeriodFile, PathBuf)>,
    summaries: BTreeMap<u32, (SummaryFile, PathBuf)>,
    pages: BTreeMap<String, BTreeMap<String, MarkdownDoc>>,
    bodies: BTreeMap<BodyOwner, BTreeMap<String, MarkdownDoc>>,
    /// Names of records whose YAML did not parse (see [`Parsed::Broken`]).
    broken: std::collections::BTreeSet<String>,
    field_hashes: BTreeMap<String, FieldHashes>,
}

impl<'a> Loader<'a> {
    pub(super) fn new(diags: &'a mut Diagnostics) -> Loader<'a> {
        Loader {
            diags,
            plan_files: BTreeMap::new(),
            tasks: BTreeMap::new(),
            partners: Vec::new(),
            results: BTreeMap::new(),
            periods: Vec::new(),
            summaries: BTreeMap::new(),
            pages: BTreeMap::new(),
            bodies: BTreeMap::new(),
            broken: Default::default(),
            field_hashes: BTreeMap::new(),
        }
    }

    pub(super) fn accept(&mut self, item: Item) {
        let Item { path, parsed, diags } = item;
        self.diags.extend(diags);
        match parsed {
            Parsed::Nothing => {}
            Parsed::Broken => {
                self.broken.insert(stem(&path));
            }
            Parsed::Plan(year, plan) => {
                self.plan_files.insert(year, (*plan, path));
            }
            Parsed::Task(year, task) => self.tasks.entry(year).or_default().push((task, path)),
            Parsed::Partner(partner) => self.partners.push((partner, path)),
            Parsed::Result(year, result) => self.results.entry(year).or_default().push((result, path)),
            Parsed::Period(period) => self.periods.push((period, path)),
            Parsed::Summary(year, summary) => {
                self.summaries.insert(year, (summary, path));
            }
            Parsed::FieldHashes(lang, hashes) => {
                self.field_hashes.insert(lang, hashes);
            }
            Parsed::Body(owner, lang, doc) => {
                self.bodies.entry(owner).or_default().insert(lang, doc);
            }
            Parsed::Page(slug, lang, doc) => {
                self.pages.entry(slug).or_default().insert(lang, doc);
            }
        }
    }

    fn take_bodies(&mut self, owner: BodyOwner) -> BTreeMap<String, MarkdownDoc> {
        self.bodies.remove(&owner).unwrap_or_default()
    }

    /// Tasks left over once every plan took its own: their year has no plan.yaml.
    fn report_tasks_without_plan(&mut self) {
        for (year, tasks) in std::mem::take(&mut self.tasks) {
            for (_, file) in tasks {
                self.diags.push(
                    Diagnostic::error(
                        "E-no-plan",
                        &file,
                        Position::file(),
                        format!("task for {year}, but there is no content/plan/{year}/plan.yaml"),
                    )
                    .help(format!("create content/plan/{year}/plan.yaml with the plan's title, issuer and date"))
                    .zh(
                        format!("这是 {year} 年的重点任务，但没有 content/plan/{year}/plan.yaml 年度计划"),
                        Some(format!("请新建 content/plan/{year}/plan.yaml，写明计划的标题、印发单位和日期")),
                    ),
                );
            }
        }
    }

    /// Markdown bodies left over once every record took its own: no record beside them (unless
    /// the record is there but broken, which is reported already).
    fn report_orphan_bodies(&mut self) {
        for (owner, docs) in std::mem::take(&mut self.bodies) {
            let name = match &owner {
                BodyOwner::Preamble(_) => "plan".to_owned(),
                BodyOwner::Task(_, n) | BodyOwner::Partner(n) | BodyOwner::Result(_, n) | BodyOwner::Period(n) => n.clone(),
                BodyOwner::Summary(_) => "summary".to_owned(),
            };
            if self.broken.contains(&name) {
                continue;
            }
            for doc in docs.values() {
                self.diags.push(
                    Diagnostic::error(
                        "E-orphan-body",
                        &doc.file,
                        Position::file(),
                        format!("Markdown text without its record: no {name}.yaml beside it"),
                    )
                    .help("every NAME.<lang>.md needs NAME.yaml beside it (preamble.<lang>.md needs plan.yaml); check the file name")
                    .zh(
                        format!("这篇 Markdown 正文没有对应的记录：旁边没有 {name}.yaml"),
                        Some("每个 名称.<语言>.md 旁边都要有 名称.yaml（preamble.<语言>.md 需要 plan.yaml）；请检查文件名".to_owned()),
                    ),
                );
            }
        }
    }

    pub(super) fn assemble(
        mut self,
        root: &Path,
        config: SiteConfig,
        config_file: PathBuf,
        metrics: Vec<crate::model::Metric>,
        metrics_file: PathBuf,
    ) -> Site {
        let mut plans = BTreeMap::new();
        for (year, (data, file)) in std::mem::take(&mut self.plan_files) {
            let bodies = self.take_bodies(BodyOwner::Preamble(year));
            let mut tasks: Vec<Record<TaskFile>> = self
                .tasks
                .remove(&year)
                .unwrap_or_default()
                .into_iter()
                .map(|(data, file)| {
                    let bodies = self.take_bodies(BodyOwner::Task(year, stem(&file)));
                    Record { data, file, bodies }
                })
                .collect();
            tasks.sort_by(|a, b| (a.data.number.value, &a.data.slug.value).cmp(&(b.data.number.value, &b.data.slug.value)));
            plans.insert(year, Plan { record: Record { data, file, bodies }, tasks });
        }
        self.report_tasks_without_plan();
        let mut partners: Vec<Record<PartnerFile>> = std::mem::take(&mut self.partners)
            .into_iter()
            .map(|(data, file)| {
                let bodies = self.take_bodies(BodyOwner::Partner(stem(&file)));
                Record { data, file, bodies }
            })
            .collect();
        partners.sort_by(|a, b| (a.data.order, &a.data.id.value).cmp(&(b.data.order, &b.data.id.value)));
        let mut results = BTreeMap::new();
        for (year, list) in std::mem::take(&mut self.results) {
            let mut records: Vec<Record<ResultFile>> = list
                .into_iter()
                .map(|(data, file)| {
                    let bodies = self.take_bodies(BodyOwner::Result(year, stem(&file)));
                    Record { data, file, bodies }
                })
                .collect();
            records.sort_by(|a, b| (&a.data.date.value, &a.data.slug.value).cmp(&(&b.data.date.value, &b.data.slug.value)));
            results.insert(year, records);
        }
        let mut periods: Vec<Record<PeriodFile>> = std::mem::take(&mut self.periods)
            .into_iter()
            .map(|(data, file)| {
                let bodies = self.take_bodies(BodyOwner::Period(stem(&file)));
                Record { data, file, bodies }
            })
            .collect();
        periods.sort_by(|a, b| (a.data.first_year.value, &a.data.id.value).cmp(&(b.data.first_year.value, &b.data.id.value)));
        let summaries = std::mem::take(&mut self.summaries)
            .into_iter()
            .map(|(year, (data, file))| (year, Record { data, file, bodies: self.take_bodies(BodyOwner::Summary(year)) }))
            .collect();
        self.report_orphan_bodies();
        let mut pages: Vec<Page> = std::mem::take(&mut self.pages).into_iter().map(|(slug, docs)| Page { slug, docs }).collect();
        let default = config.default_language.value.clone();
        pages.sort_by_key(|p| {
            let weight = p.docs.get(&default).or_else(|| p.docs.values().next()).and_then(|d| d.front.weight).unwrap_or(0);
            (weight, p.slug.clone())
        });
        Site {
            root: root.to_path_buf(),
            config,
            config_file,
            metrics,
            metrics_file,
            plans,
            partners,
            results,
            pages,
            periods,
            summaries,
            broken: self.broken,
            withheld: Default::default(),
            field_hashes: self.field_hashes,
        }
    }
}
