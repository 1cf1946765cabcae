//! The Hugo equivalent of a generated planpress site: the same plan, task, partner, free and result
//! pages with the same Markdown bodies, multilingual by file name (`*.zh.md` / `*.en.md`), a minimal
//! layout set (baseof / single / list) with a language switch, and taxonomies `tasks` and `partners`.
//! planpress's `[text](@/path/)` links become `{{< relref "/path" >}}`, which Hugo resolves and checks.

use crate::{files, q, write, Example, GenResult, LANGS};
use std::fs;
use std::path::Path;

/// `[t](@/a/b/#x)` → `[t]({{< relref "/a/b#x" >}})`.
pub fn convert_links(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 64);
    let mut rest = md;
    while let Some(p) = rest.find("](@/") {
        out.push_str(&rest[..p + 2]);
        let after = &rest[p + 3..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target, String::new()),
        };
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() { "/" } else { path };
        out.push_str(&format!("{{{{< relref \"{path}{anchor}\" >}}}}"));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The Markdown text of a file without its front matter.
fn body_of(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

fn page(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{}", convert_links(body))
}

fn read(p: &Path) -> Result<String, String> {
    fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

const UI: [(&str, [&str; 2]); 10] = [
    ("plan", ["工作要点", "Plans"]),
    ("results", ["年终成果", "Results"]),
    ("partners", ["合作伙伴", "Partners"]),
    ("tasks", ["重点任务", "Key tasks"]),
    ("metric", ["指标", "Indicator"]),
    ("value", ["数值", "Value"]),
    ("latest", ["最新成果", "Latest results"]),
    ("related", ["相关成果", "Related results"]),
    ("illustrative", ["本页数字为示例，不是官方统计。", "The figures on this page are examples, not official statistics."]),
    ("home", ["首页", "Home"]),
];

const BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.Language.Params.tag }}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Params.tag }}" href="{{ .Permalink }}">
{{ end }}<style>
body{max-width:48rem;margin:0 auto;padding:0 1rem;font:16px/1.7 system-ui,sans-serif;color:#222}
header,footer{display:flex;gap:1rem;flex-wrap:wrap;align-items:baseline;border-bottom:1px solid #ddd;padding:.5rem 0}
footer{border:0;border-top:1px solid #ddd;margin-top:2rem;color:#666}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}
.crumbs{font-size:.9rem;color:#666}.note{background:#fff6d5;padding:.3rem .6rem}
</style>
</head>
<body>
<header>
<a href="{{ .Site.Home.RelPermalink }}"><strong>{{ .Site.Title }}</strong></a>
<nav>{{ range slice "plan" "results" "partners" "tasks" }}{{ with site.GetPage (printf "/%s" .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}{{ end }}</nav>
<nav class="lang">{{ range .AllTranslations }}{{ if eq .Lang $.Lang }}<span>{{ .Language.LanguageName }}</span>{{ else }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Params.tag }}" lang="{{ .Language.Params.tag }}">{{ .Language.LanguageName }}</a>{{ end }} {{ end }}</nav>
</header>
<nav class="crumbs">{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}{{ .Title }}</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>© {{ .Site.Params.organisation }}</footer>
</body>
</html>
"#;

const SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ if eq .Section "results" }}<p class="note">{{ i18n "illustrative" }}</p>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>{{ end }}
{{ .Content }}
{{ with .Params.values }}
<table><thead><tr><th>{{ i18n "metric" }}</th><th>{{ i18n "value" }}</th></tr></thead><tbody>
{{ range . }}{{ $m := index (where site.Data.metrics.metrics "id" .metric) 0 }}<tr><td>{{ index $m.name $.Lang }}</td><td>{{ if eq $m.kind "money" }}{{ if eq $.Lang "zh" }}{{ lang.FormatNumber 1 (div .value 10000.0) }} 万元{{ else }}CNY {{ lang.FormatNumber 1 (div .value 1000000.0) }} million{{ end }}{{ else if eq $m.kind "percent" }}{{ lang.FormatNumber 1 .value }}%{{ else }}{{ lang.FormatNumber 0 .value }} {{ index $m.unit $.Lang }}{{ end }}</td></tr>
{{ end }}</tbody></table>
{{ end }}
{{ with .GetTerms "tasks" }}<h2>{{ i18n "tasks" }}</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .GetTerms "partners" }}<h2>{{ i18n "partners" }}</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .Params.taskterm }}{{ with index site.Taxonomies.tasks . }}<h2>{{ i18n "related" }}</h2><ul>{{ range .Pages.ByDate }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}{{ end }}
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}
<h2>{{ i18n "latest" }}</h2>
<ul>{{ range first 10 (where site.RegularPages "Section" "results").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ else }}
<ul>{{ range .Pages.ByDate }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ if not .Date.IsZero }} <time>{{ .Date.Format "2006-01-02" }}</time>{{ end }}</li>{{ end }}</ul>
{{ end }}
{{ end }}
"#;

fn ui(k: &str, li: usize) -> &'static str {
    UI.iter().find(|(key, _)| *key == k).map(|(_, v)| v[li]).unwrap_or("")
}

pub fn write_site(ex: &Example, years: &[u32], results: &[GenResult], dir: &Path) -> Result<(), String> {
    let site_title = crate::yamlx::localised(&ex.site_yaml, "title").unwrap_or_default();
    let org = crate::yamlx::localised(&ex.site_yaml, "organisation").unwrap_or_default();
    let desc = crate::yamlx::localised(&ex.site_yaml, "description").unwrap_or_default();
    let base = crate::yamlx::scalar_field(&ex.site_yaml, "base_url").unwrap_or_else(|| "https://example.org/".into());
    let mut cfg = format!(
        "baseURL = {}\ndefaultContentLanguage = \"zh\"\ndefaultContentLanguageInSubdir = true\nhasCJKLanguage = true\nenableRobotsTXT = true\n\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n\n[taxonomies]\ntask = \"tasks\"\npartner = \"partners\"\n\n[markup.goldmark.renderer]\nunsafe = false\n",
        q(&base)
    );
    for (w, (lang, name, code)) in [("zh", "中文", "zh-Hans"), ("en", "English", "en")].iter().enumerate() {
        cfg += &format!(
            "\n[languages.{lang}]\nlanguageName = {}\nlanguageCode = {}\nweight = {}\ntitle = {}\n[languages.{lang}.params]\ntag = {}\norganisation = {}\n",
            q(name),
            q(code),
            w + 1,
            q(&crate::yamlx::pick(&site_title, lang)),
            q(code),
            q(&crate::yamlx::pick(&org, lang)),
        );
    }
    write(&dir.join("hugo.toml"), &cfg)?;
    write(&dir.join("data").join("metrics.yaml"), &ex.metrics_yaml)?;
    for (li, lang) in LANGS.iter().enumerate() {
        let i18n: String = UI.iter().map(|(k, v)| format!("{k}: {}\n", q(v[li]))).collect();
        write(&dir.join("i18n").join(format!("{lang}.yaml")), &i18n)?;
    }
    let layouts = dir.join("layouts").join("_default");
    write(&layouts.join("baseof.html"), BASEOF)?;
    write(&layouts.join("single.html"), SINGLE)?;
    write(&layouts.join("list.html"), LIST)?;

    let c = dir.join("content");
    for (li, lang) in LANGS.iter().enumerate() {
        let l = *lang;
        write(
            &c.join(format!("_index.{l}.md")),
            &page(&format!("title: {}\n", q(&crate::yamlx::pick(&site_title, l))), &crate::yamlx::pick(&desc, l)),
        )?;
        for (section, weight) in [("plan", 1), ("results", 2), ("partners", 3), ("tasks", 4)] {
            write(
                &c.join(section).join(format!("_index.{l}.md")),
                &page(&format!("title: {}\nweight: {weight}\n", q(ui(section, li))), ""),
            )?;
        }
        // Free pages keep their front matter (title, description, weight), which Hugo reads as is.
        for (name, path) in files(&ex.dir.join("pages"))? {
            if name.ends_with(&format!(".{l}.md")) {
                write(&c.join(&name), &convert_links(&read(&path)?))?;
            }
        }
        // Plan of every year, and its tasks (with a term page per year and task for the `tasks` taxonomy).
        let src = ex.dir.join("plan").join(ex.plan_year.to_string());
        let plan_yaml = read(&src.join("plan.yaml"))?;
        let plan_title = crate::yamlx::localised(&plan_yaml, "title").unwrap_or_default();
        let preamble = read(&src.join(format!("preamble.{l}.md"))).unwrap_or_default();
        for &y in years {
            let title = crate::yamlx::pick(&plan_title, l).replace(&ex.plan_year.to_string(), &y.to_string());
            let pd = c.join("plan").join(y.to_string());
            write(&pd.join(format!("_index.{l}.md")), &page(&format!("title: {}\nweight: {y}\n", q(&title)), body_of(&preamble)))?;
            let rd = c.join("results").join(y.to_string());
            let rt = if l == "zh" { format!("{y}年年终成果") } else { format!("Results {y}") };
            write(&rd.join(format!("_index.{l}.md")), &page(&format!("title: {}\n", q(&rt)), ""))?;
            for t in &ex.tasks {
                let title = if l == "zh" { &t.title_zh } else { &t.title_en };
                let text = read(&src.join("tasks").join(format!("{}.{l}.md", t.slug))).unwrap_or_default();
                write(
                    &pd.join(format!("{}.{l}.md", t.slug)),
                    &page(
                        &format!("title: {}\nweight: {}\ndate: {y}-01-01\ntaskterm: \"{y}-{}\"\n", q(title), t.number, t.slug),
                        body_of(&text),
                    ),
                )?;
                write(
                    &c.join("tasks").join(format!("{y}-{}", t.slug)).join(format!("_index.{l}.md")),
                    &page(&format!("title: {}\n", q(&format!("{y} · {}. {title}", t.number))), ""),
                )?;
            }
        }
        for (order, p) in ex.partners.iter().enumerate() {
            let name = if l == "zh" { &p.name_zh } else { &p.name_en };
            let text = read(&ex.dir.join("partners").join(format!("{}.{l}.md", p.id))).unwrap_or_default();
            write(
                &c.join("partners").join(&p.id).join(format!("_index.{l}.md")),
                &page(&format!("title: {}\nweight: {}\n", q(name), order + 1), body_of(&text)),
            )?;
        }
        for r in results {
            let title = if l == "zh" { &r.title.0 } else { &r.title.1 };
            let body = if l == "zh" { &r.body.0 } else { &r.body.1 };
            let mut front = format!(
                "title: {}\ndate: {}\ntasks: [{}]\npartners: [{}]\nvalues:\n",
                q(title),
                r.date,
                r.tasks.iter().map(|&t| format!("\"{}-{}\"", r.year, ex.tasks[t].slug)).collect::<Vec<_>>().join(", "),
                r.partners.iter().map(|&p| format!("\"{}\"", ex.partners[p].id)).collect::<Vec<_>>().join(", "),
            );
            for &(m, v) in &r.values {
                front += &format!("  - {{metric: {}, value: {}}}\n", ex.metrics[m].id, v);
            }
            write(&c.join("results").join(r.year.to_string()).join(format!("{}.{l}.md", r.slug)), &page(&front, body))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(
            convert_links("见[北京](@/partners/beijing/)和[任务](@/plan/2011/talent/#x)。[外](https://a.b/)"),
            "见[北京]({{< relref \"/partners/beijing\" >}})和[任务]({{< relref \"/plan/2011/talent#x\" >}})。[外](https://a.b/)"
        );
        assert_eq!(body_of("---\ntitle: x\n---\nbody"), "body");
    }
}
