//! The Markdown bodies: refused URLs, unsafe heading attributes and too-deep nesting, each an
//! error positioned in its file (front matter included).

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::source_of;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{MarkdownDoc, Site};
use crate::render::markdown::{self, Found, Problem};

/// Every Markdown body of the site, grouped by the record or page it belongs to.
pub(super) fn body_groups(site: &Site) -> Vec<&BTreeMap<String, MarkdownDoc>> {
    let mut groups: Vec<&BTreeMap<String, MarkdownDoc>> = Vec::new();
    for plan in site.plans.values() {
        groups.push(&plan.record.bodies);
        groups.extend(plan.tasks.iter().map(|t| &t.bodies));
    }
    groups.extend(site.partners.iter().map(|p| &p.bodies));
    groups.extend(site.results.values().flatten().map(|r| &r.bodies));
    groups.extend(site.pages.iter().map(|p| &p.docs));
    groups.extend(site.periods.iter().map(|p| &p.bodies));
    groups.extend(site.summaries.values().map(|s| &s.bodies));
    groups
}

/// Refused URLs, unsafe heading attributes and too-deep nesting in every Markdown body. Parsed
/// on all cores: on a large site this is one more pass over all the text.
pub(super) fn markdown_problems(site: &Site) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let docs: Vec<&MarkdownDoc> = body_groups(site).into_iter().flat_map(|g| g.values()).collect();
    docs.par_iter().flat_map_iter(|doc| markdown_diagnostics(doc)).collect()
}

/// The problems of one Markdown body, positioned in its file (front matter included).
pub fn markdown_diagnostics(doc: &MarkdownDoc) -> Vec<Diagnostic> {
    diagnostics_and_source(doc).0
}

/// [`markdown_diagnostics`] and, when there are any, the file's text they were positioned in.
fn diagnostics_and_source(doc: &MarkdownDoc) -> (Vec<Diagnostic>, String) {
    let found = markdown::check(&doc.markdown);
    if found.is_empty() {
        return (Vec::new(), String::new());
    }
    // The body is the end of the file; the lines before it are the front matter.
    let source = source_of(&doc.file);
    let lines_before = match source.strip_suffix(doc.markdown.as_str()) {
        Some(front) => front.matches('\n').count(),
        None => 0,
    };
    let diags = found
        .into_iter()
        .map(|Found { offset, problem }| {
            let before = doc.markdown.get(..offset).unwrap_or(&doc.markdown);
            let line = lines_before + before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            markdown_diagnostic(&doc.file, Position::new(line, column), problem)
        })
        .collect();
    (diags, source)
}

/// One reloaded Markdown body (serve's incremental rebuild): its problems as errors, with the
/// offending lines, or `Ok` when it is safe to render.
pub fn check_markdown(doc: &MarkdownDoc) -> Result<(), Diagnostics> {
    let (found, source) = diagnostics_and_source(doc);
    if found.is_empty() {
        return Ok(());
    }
    let mut diags = Diagnostics::default();
    for d in found {
        diags.push(d.with_source(&source));
    }
    Err(diags)
}

fn markdown_diagnostic(file: &Path, at: Position, problem: Problem) -> Diagnostic {
    match problem {
        Problem::Url { url, refusal } => {
            let (message, help, zh, zh_help) = refusal.texts(&url);
            Diagnostic::error("E-link", file, at, message).help(help).zh(zh, Some(zh_help))
        }
        Problem::HeadingAttribute(attr) => {
            let shown: String = attr.chars().take(60).flat_map(char::escape_debug).collect();
            Diagnostic::error("E-heading-attribute", file, at, format!("heading attribute `{shown}` is not allowed"))
                .help("a heading may carry only `{#id}` and `{.class}` made of letters, digits, `-` and `_`, e.g. `## 科技人才 {#talent}`")
                .zh(
                    format!("标题属性 `{shown}` 不允许使用"),
                    Some("标题只能带 `{#id}` 和 `{.class}`，且只能由字母、数字、`-` 和 `_` 组成，例如 `## 科技人才 {#talent}`".to_owned()),
                )
        }
        Problem::RawHtmlTooDeep => Diagnostic::error(
            "E-depth",
            file,
            at,
            format!("the raw HTML of this text nests elements more than {} deep", markdown::MAX_RAW_HTML_DEPTH),
        )
        .help("close the HTML elements you open, or write the text in Markdown; no real page needs this depth")
        .zh(
            format!("此正文中的 HTML 元素嵌套超过 {} 层", markdown::MAX_RAW_HTML_DEPTH),
            Some("请关闭打开的 HTML 元素，或改用 Markdown 书写；正常页面用不到这么深的嵌套".to_owned()),
        ),
        Problem::TooDeep => Diagnostic::error(
            "E-depth",
            file,
            at,
            format!("the text is nested more than {} levels deep here (quotes, lists or emphasis inside one another)", markdown::MAX_DEPTH),
        )
        .help("remove the extra `>` or list indentation; no real document needs this depth")
        .zh(
            format!("此处正文嵌套超过 {} 层（引用、列表或强调层层套叠）", markdown::MAX_DEPTH),
            Some("去掉多余的 `>` 或列表缩进；正常文件用不到这么深的嵌套".to_owned()),
        ),
    }
}
