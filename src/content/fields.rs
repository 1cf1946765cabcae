//! Every localised YAML field of the site, named by its file and a path inside it, so each can
//! be tracked as a translation of its own (`content/translations/<lang>.yaml`).

use std::path::Path;

use crate::model::{Site, Text};

/// One localised field: `{zh: …, en: …}` at `path` (`title`, `actions.tianshan-belt.name`,
/// `recipients.0.name`) of `file`.
pub struct Field<'s> {
    pub file: &'s Path,
    pub path: String,
    pub text: &'s Text,
}

/// The fields of one file as they are found.
struct Fields<'s, 'o> {
    file: &'s Path,
    out: &'o mut Vec<Field<'s>>,
}

impl<'s> Fields<'s, '_> {
    fn add(&mut self, path: impl Into<String>, text: &'s Text) {
        self.out.push(Field { file: self.file, path: path.into(), text });
    }

    fn opt(&mut self, path: impl Into<String>, text: Option<&'s Text>) {
        if let Some(text) = text {
            self.add(path, text);
        }
    }

    fn list(&mut self, name: &str, texts: &'s [Text]) {
        for (i, text) in texts.iter().enumerate() {
            self.add(format!("{name}.{i}"), text);
        }
    }
}

/// The site's localised YAML fields, file by file. Lists are named by index, except actions and
/// metrics (by id: one moved within its list keeps its translation's hash).
pub fn localised_fields(site: &Site) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut f = Fields { file: &site.config_file, out: &mut out };
    let c = &site.config;
    f.add("title", &c.title);
    f.add("description", &c.description);
    f.add("organisation", &c.organisation);
    f.opt("identity.sponsor", c.identity.sponsor.as_ref());
    f.opt("identity.operator", c.identity.operator.as_ref());
    f.opt("identity.address", c.identity.address.as_ref());
    let mut f = Fields { file: &site.metrics_file, out: &mut out };
    for m in &site.metrics {
        let id = &m.id.value;
        f.add(format!("{id}.name"), &m.name);
        f.add(format!("{id}.unit"), &m.unit);
        f.opt(format!("{id}.unit_one"), m.unit_one.as_ref());
    }
    for plan in site.plans.values() {
        let p = &plan.record.data;
        let mut f = Fields { file: &plan.record.file, out: &mut out };
        f.add("title", &p.title);
        f.add("issuer", &p.issuer);
        f.opt("source.note", p.source.as_ref().and_then(|s| s.note.as_ref()));
        f.opt("context", p.context.as_ref());
        f.list("guided_by", &p.guided_by);
        f.list("focuses", &p.focuses);
        for task in &plan.tasks {
            let t = &task.data;
            let mut f = Fields { file: &task.file, out: &mut out };
            f.add("title", &t.title);
            f.list("lead_bodies", &t.lead_bodies);
            for a in &t.actions {
                f.add(format!("actions.{}.name", a.id.value), &a.name);
            }
            for (i, target) in t.targets.iter().enumerate() {
                f.opt(format!("targets.{i}.note"), target.note.as_ref());
            }
        }
    }
    for partner in &site.partners {
        let p = &partner.data;
        let mut f = Fields { file: &partner.file, out: &mut out };
        f.add("name", &p.name);
        for (i, r) in p.recipients.iter().enumerate() {
            f.add(format!("recipients.{i}.name"), &r.name);
            f.opt(format!("recipients.{i}.prefecture"), r.prefecture.as_ref());
        }
        f.opt("note", p.note.as_ref());
    }
    for result in site.results.values().flatten() {
        Fields { file: &result.file, out: &mut out }.add("title", &result.data.title);
    }
    for summary in site.summaries.values() {
        let s = &summary.data;
        let mut f = Fields { file: &summary.file, out: &mut out };
        f.add("title", &s.title);
        f.add("issuer", &s.issuer);
        f.opt("source.note", s.source.as_ref().and_then(|x| x.note.as_ref()));
    }
    for period in &site.periods {
        let p = &period.data;
        let mut f = Fields { file: &period.file, out: &mut out };
        f.add("title", &p.title);
        f.opt("source.note", p.source.as_ref().and_then(|x| x.note.as_ref()));
        // By metric, as a period has one target per metric: a moved target keeps its hash.
        for target in &p.targets {
            f.opt(format!("targets.{}.note", target.metric.value), target.note.as_ref());
            f.opt(format!("targets.{}.source.note", target.metric.value), target.source.as_ref().and_then(|x| x.note.as_ref()));
        }
    }
    out
}
