//! `planpress new`: start a site, or a task, result, partner or page in every language of a
//! site, with the front matter filled in. Never overwrites a file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::{self, source_hash};
use crate::diagnostics::{zh_io, Message, MessageLang};
use crate::model::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Task,
    Result,
    Partner,
    Page,
}

pub struct NewOptions {
    pub root: PathBuf,
    pub kind: Kind,
    /// Slug or id of the new record.
    pub name: String,
    pub year: Option<u32>,
    pub date: Option<String>,
}

/// The state every file `new` writes starts in: nothing goes live before it is signed off.
pub const DRAFT: &str = "review: {state: draft}   # draft | for-comment | for-approval | approved (`planpress approve`)\n";

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    crate::content::tracking::date_of(std::time::SystemTime::now())
}

/// Files to write: path → contents. Fails if any exists, before writing anything.
pub(super) fn write_all(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Message> {
    let existing: Vec<String> = files.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.display().to_string()).collect();
    if !existing.is_empty() {
        return Err(Message::new(
            format!("refusing to overwrite: {}", existing.join(", ")),
            format!("拒绝覆盖已有文件：{}", existing.join("、")),
        ));
    }
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Message::new(format!("cannot create {}: {e}", parent.display()), format!("无法创建 {}：{}", parent.display(), zh_io(&e)))
            })?;
        }
        fs::write(path, text).map_err(|e| {
            Message::new(format!("cannot write {}: {e}", path.display()), format!("无法写入 {}：{}", path.display(), zh_io(&e)))
        })?;
    }
    Ok(files.iter().map(|(p, _)| p.clone()).collect())
}

/// Front matter lines of a placeholder translation: the hash of the default text it is to
/// translate, and the mark that makes it count as missing until a translator removes it.
fn untranslated(source: &str) -> String {
    format!("translated_from: {}\nuntranslated: true   # delete this line once the text is translated\n", source_hash(source))
}

/// A localised placeholder map, one line per language: the default language's entry, and for
/// each other language a commented-out line to translate (missing until then, so it falls back
/// and is reported, never published as a translation).
fn placeholder(site: &Site, indent: &str, zh: &str, en: &str) -> String {
    let default = site.default_language();
    site.language_codes()
        .iter()
        .map(|l| {
            let text = match *l {
                "zh" => zh,
                "en" => en,
                _ => en,
            };
            if *l == default {
                format!("{indent}  {l}: \"{text}\"\n")
            } else {
                format!("{indent}  # {l}: \"{text}\"   # to translate: remove the #\n")
            }
        })
        .collect()
}

/// Markdown bodies in every language: the default language first; the others record the hash
/// of the default text they are to translate, and are marked `untranslated`.
pub(super) fn bodies(site: &Site, dir: &Path, name: &str, front: &str, zh: &str, en: &str) -> Vec<(PathBuf, String)> {
    let default = site.default_language();
    let body_for = |l: &str| if l == "zh" { zh.to_owned() } else { en.to_owned() };
    let source = body_for(default);
    site.language_codes()
        .iter()
        .map(|l| {
            let mut fm = front.to_owned();
            if *l != default {
                fm.push_str(&untranslated(&source));
            }
            let text = if fm.is_empty() { body_for(l) } else { format!("---\n{fm}---\n{}", body_for(l)) };
            (dir.join(format!("{name}.{l}.md")), text)
        })
        .collect()
}

pub fn new_record(options: &NewOptions) -> Result<Vec<PathBuf>, Message> {
    if !crate::validate::is_safe_id(&options.name) {
        let name = &options.name;
        return Err(Message::new(
            format!("`{name}` is not a safe id: use lower-case letters a-z, digits and single hyphens"),
            format!("`{name}` 不是安全的标识：只能用小写字母 a-z、数字和单个连字符"),
        ));
    }
    let (site, diags) = content::load(&options.root);
    let site = site.ok_or_else(|| match diags.iter().next() {
        Some(d) => Message::new(d.render(&options.root).trim_end(), d.render_in(&options.root, MessageLang::Zh).trim_end()),
        None => Message::new("cannot load the site", "无法读取站点"),
    })?;
    let content = options.root.join("content");
    let year = options
        .year
        .or_else(|| site.current_year())
        .ok_or_else(|| Message::new("the site has no plan year: pass --year", "站点还没有任何年度计划：请用 --year 指定年份"))?;
    let name = &options.name;
    let files = match options.kind {
        Kind::Task => task_files(&site, &content, year, name)?,
        Kind::Result => result_files(&site, &content, year, name, options.date.clone())?,
        Kind::Partner => {
            let order = site.partners.iter().map(|p| p.data.order).max().unwrap_or(0) + 1;
            let yaml = format!(
                "id: {name}\nrole: supporter   # supporter | coordinator\norder: {order}\nname:\n{}recipients: []    # - name: {{zh: …, en: …}}\n                  #   prefecture: {{zh: …, en: …}}\nsources: []       # public sources for the pairings\n{DRAFT}",
                placeholder(&site, "", "合作方名称", "Partner name"),
            );
            vec![(content.join(format!("partners/{name}.yaml")), yaml)]
        }
        Kind::Page => {
            refuse_reserved_page(&site, name)?;
            let dir = content.join("pages");
            let weight = site.pages.len() + 1;
            let default = site.default_language();
            let source = if default == "zh" { "页面正文。\n" } else { "Text of the page.\n" };
            site.language_codes()
                .iter()
                .map(|l| {
                    let (title, body) =
                        if *l == "zh" { ("页面标题", "页面正文。\n") } else { ("Page title", "Text of the page.\n") };
                    // The page's state is in its default-language file.
                    let hash = if *l == default { DRAFT.to_owned() } else { untranslated(source) };
                    (dir.join(format!("{name}.{l}.md")), format!("---\ntitle: \"{title}\"\nweight: {weight}\n{hash}---\n{body}"))
                })
                .collect()
        }
    };
    write_all(&files)
}

/// A task's YAML and its text in every language, numbered after the plan's last task.
fn task_files(site: &Site, content: &Path, year: u32, name: &str) -> Result<Vec<(PathBuf, String)>, Message> {
    let plan = site.plans.get(&year).ok_or_else(|| {
        Message::new(
            format!("there is no plan for {year}: create content/plan/{year}/plan.yaml first"),
            format!("{year} 年没有年度计划：请先新建 content/plan/{year}/plan.yaml"),
        )
    })?;
    let number = plan.tasks.iter().map(|t| t.data.number.value).max().unwrap_or(0) + 1;
    let dir = content.join(format!("plan/{year}/tasks"));
    let yaml = format!(
        "number: {number}\nslug: {name}\ntitle:\n{}lead_bodies: []\nactions:\n  - id: first-action\n    kind: programme\n    name:\n{}targets: []      # e.g. - {{metric: events-held, value: 1}}\npartners: []     # partner ids, e.g. [beijing]\n{DRAFT}",
        placeholder(site, "", "任务标题", "Task title"),
        placeholder(site, "    ", "举措名称", "Action name"),
    );
    let mut files = vec![(dir.join(format!("{name}.yaml")), yaml)];
    files.extend(bodies(site, &dir, name, "", "任务正文。\n", "Text of the task.\n"));
    Ok(files)
}

/// A result's YAML and its text in every language, dated `date` (default: today in its year,
/// else the year's last day).
fn result_files(site: &Site, content: &Path, year: u32, name: &str, date: Option<String>) -> Result<Vec<(PathBuf, String)>, Message> {
    if !site.plans.contains_key(&year) {
        return Err(Message::new(
            format!("there is no plan for {year}: results belong to a plan year"),
            format!("{year} 年没有年度计划：年度成果必须属于某个计划年度"),
        ));
    }
    let date = date.unwrap_or_else(|| {
        let today = today();
        if today.starts_with(&year.to_string()) {
            today
        } else {
            format!("{year}-12-31")
        }
    });
    if !crate::validate::is_valid_date(&date) {
        return Err(Message::new(format!("`{date}` is not a date: use YYYY-MM-DD"), format!("`{date}` 不是日期：请写成 YYYY-MM-DD")));
    }
    let dir = content.join(format!("results/{year}"));
    let yaml = format!(
        "slug: {name}\ndate: {date}\ntitle:\n{}tasks: []        # task slugs of {year}, e.g. [high-tech]\npartners: []     # partner ids, e.g. [beijing]\nvalues: []       # e.g. - {{metric: events-held, value: 1}}\nillustrative: true\n{DRAFT}",
        placeholder(site, "", "成果标题", "Result title"),
    );
    let mut files = vec![(dir.join(format!("{name}.yaml")), yaml)];
    files.extend(bodies(site, &dir, name, "", "成果说明。\n", "What was achieved.\n"));
    Ok(files)
}

/// A page name the site already uses for its own pages (or a language code) would be rejected
/// by every build: refuse it here, before any file is written.
fn refuse_reserved_page(site: &Site, name: &str) -> Result<(), Message> {
    let languages = site.language_codes();
    let reserved = crate::routes::reserved_page_names();
    if !reserved.contains(&name) && !languages.contains(&name) {
        return Ok(());
    }
    Err(Message::new(
        format!(
            "`{name}` is a reserved page name (the site uses it for its own pages): choose another name; reserved: {}, and the language codes {}",
            reserved.join(", "),
            languages.join(", ")
        ),
        format!(
            "`{name}` 是保留的页面名称（站点自己的页面要用）：请换一个名称；保留的名称有 {}，以及语言代码 {}",
            reserved.join("、"),
            languages.join("、")
        ),
    ))
}

/// Which CI files `new site` writes for the site's own repository.
#[derive(Debug, Clone, Copy)]
pub struct CiFiles {
    pub github: bool,
    pub gitlab: bool,
}

/// Where the generated CI downloads the pinned release from: `v<version>/` holds
/// `planpress-<version>-<arch>-unknown-linux-musl.tar.gz` and `SHA256SUMS`, as
/// .github/workflows/release.yml publishes them. A department without access to it mirrors
/// the two files and points `PLANPRESS_RELEASES` of its CI file at the mirror.
pub const RELEASES: &str = "https://github.com/planpress/planpress/releases/download";

/// A CI file, pinned to this planpress: the shared shell pieces indented into the YAML block
/// where their `@NAME@` line stands (one source for both platforms, so they cannot drift).
fn ci_file(template: &str) -> String {
    let indent = |script: &str, line: &str| {
        let pad = &line[..line.len() - line.trim_start().len()];
        script.lines().map(|l| if l.is_empty() { "\n".to_owned() } else { format!("{pad}{l}\n") }).collect::<String>()
    };
    let mut out = String::new();
    for line in template.lines() {
        match line.trim() {
            "@INSTALL@" => out.push_str(&indent(include_str!("new_ci/install.sh"), line)),
            "@FONTS@" => out.push_str(&indent(include_str!("new_ci/fonts.sh"), line)),
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.replace("@VERSION@", env!("CARGO_PKG_VERSION")).replace("@RELEASES@", RELEASES)
}

/// The CI files `ci` asks for: `.github/workflows/publish.yml`, `.gitlab-ci.yml`.
fn ci_files(dir: &Path, ci: CiFiles) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    if ci.github {
        files.push((dir.join(".github/workflows/publish.yml"), ci_file(include_str!("new_ci/publish.yml"))));
    }
    if ci.gitlab {
        files.push((dir.join(".gitlab-ci.yml"), ci_file(include_str!("new_ci/gitlab-ci.yml"))));
    }
    files
}

/// A minimal bilingual site that builds at once, with the CI files `ci` asks for.
pub fn new_site(dir: &Path, ci: CiFiles) -> Result<Vec<PathBuf>, Message> {
    if dir.join("content").exists() {
        return Err(Message::new(
            format!("refusing to overwrite: {} already has a content/ folder", dir.display()),
            format!("拒绝覆盖：{} 中已经有 content/ 文件夹", dir.display()),
        ));
    }
    let c = dir.join("content");
    let year = &today()[..4];
    let preamble_zh = "本年度科技工作的总体要求。\n";
    let task_zh = "任务正文。\n";
    let result_zh = "成果说明（示例数据）。\n";
    let about_zh = "本站发布年度科技工作计划、对口合作方和年终成果。\n";
    // The starter content is signed off by planpress itself, so the new site's public build
    // shows something at once; `default_state: draft` keeps every file added later unpublished
    // until someone signs it off.
    let signed = format!("review: {{state: approved, by: \"planpress new site\", date: {}}}\n", today());
    let files: Vec<(PathBuf, String)> = vec![
        (
            c.join("site.yaml"),
            "title: {zh: 科技工作年度计划, en: Science and Technology Work Plan}\ndescription: {zh: 年度科技工作计划与成果, en: The annual science and technology work plan and its results}\norganisation: {zh: 科学技术厅, en: Department of Science and Technology}\nbase_url: https://example.org/\ndefault_language: zh\nlanguages:\n  - {code: zh, name: 中文, tag: zh-Hans, dir: ltr}\n  - {code: en, name: English, tag: en, dir: ltr}\ntheme: default\nallow_raw_html: false\nprint: {paper: a4}\n# A file without `review:` is a draft: nothing goes live before it is signed off (`planpress approve`).\ndefault_state: draft\n".to_owned(),
        ),
        (c.join("metrics.yaml"), "metrics:\n  - id: events-held\n    name: {zh: 举办活动数, en: Events held}\n    unit: {zh: 场, en: events}\n    kind: count\n".to_owned()),
        (
            c.join(format!("plan/{year}/plan.yaml")),
            format!("year: {year}\ntitle: {{zh: {year}年科技工作要点, en: Key Points of Science and Technology Work {year}}}\nissuer: {{zh: 科学技术厅, en: Department of Science and Technology}}\ndate: {year}-01-01\n{signed}"),
        ),
        (c.join(format!("plan/{year}/preamble.zh.md")), preamble_zh.to_owned()),
        (c.join(format!("plan/{year}/preamble.en.md")), format!("---\ntranslated_from: {}\n---\nThe general requirements of the year's work.\n", source_hash(preamble_zh))),
        (
            c.join(format!("plan/{year}/tasks/first-task.yaml")),
            "number: 1\nslug: first-task\ntitle: {zh: 第一项重点任务, en: The first key task}\nlead_bodies: []\nactions:\n  - id: fair\n    kind: event\n    name: {zh: 举办科技合作洽谈会, en: Hold the S&T cooperation fair}\ntargets:\n  - metric: events-held\n    value: 1\npartners: [first-partner]\n".to_owned(),
        ),
        (c.join(format!("plan/{year}/tasks/first-task.zh.md")), task_zh.to_owned()),
        (c.join(format!("plan/{year}/tasks/first-task.en.md")), format!("---\ntranslated_from: {}\n---\nText of the task.\n", source_hash(task_zh))),
        (
            c.join("partners/first-partner.yaml"),
            "id: first-partner\nrole: supporter\norder: 1\nname: {zh: 支援省市, en: Supporting province}\nrecipients:\n  - name: {zh: 受援县, en: Supported county}\nsources: []\n".to_owned() + &signed,
        ),
        (
            c.join(format!("results/{year}/first-result.yaml")),
            format!("slug: first-result\ndate: {year}-06-30\ntitle: {{zh: 示例：科技合作洽谈会举办, en: \"Example: the S&T cooperation fair held\"}}\ntasks: [first-task]\npartners: [first-partner]\nvalues:\n  - metric: events-held\n    value: 1\nillustrative: true\n{signed}"),
        ),
        (c.join(format!("results/{year}/first-result.zh.md")), result_zh.to_owned()),
        (c.join(format!("results/{year}/first-result.en.md")), format!("---\ntranslated_from: {}\n---\nWhat was achieved (illustrative figures).\n", source_hash(result_zh))),
        (c.join("pages/about.zh.md"), format!("---\ntitle: 关于本站\nweight: 1\n{signed}---\n{about_zh}")),
        (
            c.join("pages/about.en.md"),
            format!("---\ntitle: About this site\nweight: 1\ntranslated_from: {}\n---\nThis site publishes the annual science and technology work plan, its partners and its results.\n", source_hash(about_zh)),
        ),
        // The output, the CI's preview build and its cached planpress (GitLab caches inside the project).
        (dir.join(".gitignore"), "public/\npublic-preview/\npreview/\n.planpress/\n".to_owned()),
    ];
    let files: Vec<(PathBuf, String)> = files.into_iter().chain(ci_files(dir, ci)).collect();
    let mut written = write_all(&files)?;
    // Shipped tracked, as the example is: the YAML fields' hashes too, so editing a Chinese
    // title is reported stale from the start.
    if let (Some(mut site), mut diags) = crate::content::load(dir) {
        super::check::update_field_hashes(&mut site, dir, None, &mut diags);
        written.extend(site.field_hashes.keys().map(|lang| crate::content::tracking::hashes_file(dir, lang)));
    }
    Ok(written)
}
