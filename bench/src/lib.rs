//! planpress benchmark corpus generator (library: also used by the micro-benchmarks in `benches/`).
//!
//! Writes a planpress site (`--out`) and/or the equivalent Hugo site (`--hugo`) with N year-end result
//! pages per language (zh and en), spread round-robin over the ten years starting at the example plan's
//! year (2011–2020), on top of a copy of the example site's settings, metrics, partners, pages and plan
//! (the plan copied to every year used). Output is a pure function of (N, seed, example content).

pub mod hugo;
pub mod rng;
pub mod text;
pub mod yamlx;

use rng::Rng;
use std::fs;
use std::path::{Path, PathBuf};
use text::{BodyInput, Metric, PartnerRef, TaskRef};

pub const LANGS: [&str; 2] = ["zh", "en"];
pub const YEARS: u32 = 10;

/// What the generator takes from the example site.
pub struct Example {
    pub dir: PathBuf,
    pub site_yaml: String,
    pub metrics_yaml: String,
    pub plan_year: u32,
    pub metrics: Vec<Metric>,
    pub tasks: Vec<TaskRef>,
    pub partners: Vec<PartnerRef>,
}

/// One generated result.
pub struct GenResult {
    pub year: u32,
    pub slug: String,
    pub date: String,
    pub title: (String, String),
    pub tasks: Vec<usize>,
    pub partners: Vec<usize>,
    pub values: Vec<(usize, f64)>,
    pub body: (String, String),
}

/// Generates `pages` results per language from the example content in `example` and writes the
/// planpress site to `out` and/or the Hugo site to `hugo` (each must not exist or be empty).
/// Returns the years the results are spread over.
pub fn gen(pages: usize, seed: u64, example: &Path, out: Option<&Path>, hugo: Option<&Path>) -> Result<Vec<u32>, String> {
    for dir in [out, hugo].into_iter().flatten() {
        if dir.exists() && fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.next().is_some() {
            return Err(format!("{} exists and is not empty", dir.display()));
        }
    }
    let ex = load_example(example)?;
    let results = generate(&ex, pages, seed);
    let years: Vec<u32> = used_years(&ex, pages);
    if let Some(out) = out {
        write_planpress(&ex, &years, &results, out)?;
    }
    if let Some(dir) = hugo {
        hugo::write_site(&ex, &years, &results, dir)?;
    }
    Ok(years)
}

pub fn read(p: &Path) -> Result<String, String> {
    fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

pub fn write(p: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
}

/// Files of `dir` (not recursive) with their names, sorted.
pub fn files(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for e in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        if e.file_type().map_err(|e| e.to_string())?.is_file() {
            out.push((e.file_name().to_string_lossy().into_owned(), e.path()));
        }
    }
    out.sort();
    Ok(out)
}

fn localised(text: &str, key: &str, file: &Path) -> Result<(String, String), String> {
    let pairs = yamlx::localised(text, key).ok_or(format!("{}: no localised `{key}`", file.display()))?;
    Ok((yamlx::pick(&pairs, "zh"), yamlx::pick(&pairs, "en")))
}

pub fn load_example(dir: &Path) -> Result<Example, String> {
    let site_yaml = read(&dir.join("site.yaml"))?;
    let metrics_yaml = read(&dir.join("metrics.yaml"))?;
    let mut metrics = Vec::new();
    for chunk in metrics_yaml.split("\n  - ").skip(1) {
        let chunk = format!("  - {chunk}");
        let id = yamlx::scalar_field(&chunk, "id").ok_or("metrics.yaml: entry without id")?;
        let kind = yamlx::scalar_field(&chunk, "kind").unwrap_or_else(|| "count".into());
        let f = dir.join("metrics.yaml");
        let (name_zh, name_en) = localised(&chunk, "name", &f)?;
        let (unit_zh, unit_en) = localised(&chunk, "unit", &f)?;
        metrics.push(Metric { id, kind, name_zh, name_en, unit_zh, unit_en });
    }
    if metrics.is_empty() {
        return Err(format!("{}: no metrics found", dir.join("metrics.yaml").display()));
    }
    let mut years: Vec<u32> = fs::read_dir(dir.join("plan"))
        .map_err(|e| format!("{}: {e}", dir.join("plan").display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    years.sort();
    let plan_year = *years.first().ok_or("the example has no plan/<year>/")?;
    let mut tasks = Vec::new();
    for (name, path) in files(&dir.join("plan").join(plan_year.to_string()).join("tasks"))? {
        if let Some(stem) = name.strip_suffix(".yaml") {
            let y = read(&path)?;
            let (title_zh, title_en) = localised(&y, "title", &path)?;
            tasks.push(TaskRef {
                slug: yamlx::scalar_field(&y, "slug").unwrap_or_else(|| stem.to_string()),
                number: yamlx::scalar_field(&y, "number").unwrap_or_default(),
                title_zh,
                title_en,
            });
        }
    }
    tasks.sort_by_key(|t| t.number.parse::<u32>().unwrap_or(u32::MAX));
    let mut partners = Vec::new();
    for (name, path) in files(&dir.join("partners"))? {
        if let Some(stem) = name.strip_suffix(".yaml") {
            let y = read(&path)?;
            let (name_zh, name_en) = localised(&y, "name", &path)?;
            partners.push(PartnerRef { id: yamlx::scalar_field(&y, "id").unwrap_or_else(|| stem.into()), name_zh, name_en });
        }
    }
    if tasks.is_empty() || partners.is_empty() {
        return Err(format!("{}: the example needs tasks and partners", dir.display()));
    }
    Ok(Example { dir: dir.to_path_buf(), site_yaml, metrics_yaml, plan_year, metrics, tasks, partners })
}

pub fn used_years(ex: &Example, pages: usize) -> Vec<u32> {
    (0..YEARS.min(pages.max(1) as u32)).map(|k| ex.plan_year + k).collect()
}

pub fn generate(ex: &Example, pages: usize, seed: u64) -> Vec<GenResult> {
    let mut out: Vec<GenResult> = Vec::with_capacity(pages);
    for i in 0..pages {
        let mut rng = Rng::derive(seed, 1, i as u64);
        let year = ex.plan_year + (i as u32 % YEARS);
        let place = rng.below(text::PLACES.len());
        let topic = rng.below(text::TOPICS.len());
        let slug = format!("{}-{:05}", text::TOPICS[topic].2, i);
        let date = format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28));
        let title = text::title(&mut rng, place, topic);
        let n_tasks = if rng.chance(0.8) { 1 } else { 2 };
        let tasks = rng.distinct(ex.tasks.len(), n_tasks);
        let n_partners = if rng.chance(0.25) { 0 } else { rng.range(1, 3) };
        let partners = rng.distinct(ex.partners.len(), n_partners);
        let n_values = rng.range(2, 4);
        let metric_idx = rng.distinct(ex.metrics.len(), n_values);
        let values: Vec<(usize, f64)> = metric_idx.iter().map(|&m| (m, text::value_for(&mut rng, &ex.metrics[m]))).collect();
        let see_also = (i >= YEARS as usize).then(|| {
            let prev = &out[i - YEARS as usize];
            (prev.slug.clone(), prev.title.0.clone(), prev.title.1.clone())
        });
        let inp = BodyInput {
            year,
            place,
            topic,
            tasks: tasks.iter().map(|&t| &ex.tasks[t]).collect(),
            partners: partners.iter().map(|&p| &ex.partners[p]).collect(),
            values: values.iter().map(|&(m, v)| (&ex.metrics[m], v)).collect(),
            see_also,
        };
        let body = (text::body_zh(&mut rng, &inp), text::body_en(&mut rng, &inp));
        out.push(GenResult { year, slug, date, title, tasks, partners, values, body });
    }
    out
}

/// A YAML double-quoted string.
pub fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for (name, path) in files(from)? {
        write(&to.join(&name), &read(&path)?)?;
    }
    Ok(())
}

pub fn write_planpress(ex: &Example, years: &[u32], results: &[GenResult], out: &Path) -> Result<(), String> {
    let c = out.join("content");
    // Without the example's `current_year`, the home page shows the newest generated year, as
    // a site of many years does (keeping it would only add a W-current-year warning).
    let site_yaml: String = ex.site_yaml.lines().filter(|l| !l.starts_with("current_year:")).map(|l| format!("{l}\n")).collect();
    write(&c.join("site.yaml"), &site_yaml)?;
    write(&c.join("metrics.yaml"), &ex.metrics_yaml)?;
    copy_dir(&ex.dir.join("partners"), &c.join("partners"))?;
    copy_dir(&ex.dir.join("pages"), &c.join("pages"))?;
    let src = ex.dir.join("plan").join(ex.plan_year.to_string());
    for &y in years {
        let dst = c.join("plan").join(y.to_string());
        for (name, path) in files(&src)? {
            let mut t = read(&path)?;
            if name == "plan.yaml" {
                t = t.replace(&ex.plan_year.to_string(), &y.to_string());
            }
            write(&dst.join(&name), &t)?;
        }
        copy_dir(&src.join("tasks"), &dst.join("tasks"))?;
    }
    for r in results {
        let dir = c.join("results").join(r.year.to_string());
        let mut y = format!(
            "slug: {}\ndate: {}\ntitle:\n  zh: {}\n  en: {}\ntasks: [{}]\npartners: [{}]\nvalues:\n",
            r.slug,
            r.date,
            q(&r.title.0),
            q(&r.title.1),
            r.tasks.iter().map(|&t| ex.tasks[t].slug.as_str()).collect::<Vec<_>>().join(", "),
            r.partners.iter().map(|&p| ex.partners[p].id.as_str()).collect::<Vec<_>>().join(", "),
        );
        for &(m, v) in &r.values {
            y += &format!("  - metric: {}\n    value: {}\n", ex.metrics[m].id, v);
        }
        y += "illustrative: true\n";
        write(&dir.join(format!("{}.yaml", r.slug)), &y)?;
        write(&dir.join(format!("{}.zh.md", r.slug)), &r.body.0)?;
        write(&dir.join(format!("{}.en.md", r.slug)), &r.body.1)?;
    }
    Ok(())
}

/// The repository's example content (`content/`), which the generator copies by default.
pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("content")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Example {
        load_example(&example_dir()).expect("example content")
    }

    #[test]
    fn deterministic_and_independent_of_size() {
        let ex = example();
        let a = generate(&ex, 30, 5);
        let b = generate(&ex, 40, 5);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.slug, &x.body, &x.date), (&y.slug, &y.body, &y.date));
        }
        let c = generate(&ex, 30, 6);
        assert_ne!(a[0].body, c[0].body);
    }

    #[test]
    fn results_spread_over_ten_years() {
        let ex = example();
        let r = generate(&ex, 100, 1);
        let years: std::collections::BTreeSet<u32> = r.iter().map(|r| r.year).collect();
        assert_eq!(years.len(), 10);
        assert!(r.iter().all(|r| r.date.starts_with(&r.year.to_string())));
    }
}
