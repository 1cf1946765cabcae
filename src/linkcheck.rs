//! Internal links and `#anchors` of a rendered site, checked in memory before anything is
//! written: every `href`/`src` that points inside the site must name a file that exists, and
//! every fragment an element id in it.

use std::collections::{BTreeMap, BTreeSet};

use scraper::{Html, Selector};
use serde::Serialize;

use crate::output::OutputFile;
use crate::routes;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BrokenLink {
    /// Output path of the page with the link, e.g. `zh/plan/2011/index.html`.
    pub page: String,
    pub href: String,
    /// `missing page`, `missing anchor` or `outside the site`.
    pub problem: &'static str,
}

pub struct LinkReport {
    pub checked: usize,
    pub broken: Vec<BrokenLink>,
}

/// Where an internal link points: a path in the output tree (`None`: above its root, outside
/// the site) and its fragment.
struct Target {
    path: Option<String>,
    fragment: Option<String>,
}

/// Resolves `href` found in `page` against the output tree; `base_path` (e.g. `/kjt/`) maps
/// root-absolute links back into the tree. `None` for external links.
fn resolve(page: &str, href: &str, base_path: &str) -> Option<Target> {
    if href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("data:")
        || href.starts_with("tel:")
        || href.starts_with("//")
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let joined = if path.is_empty() {
        page.to_owned()
    } else if let Some(abs) = path.strip_prefix('/') {
        let base = base_path.trim_start_matches('/');
        abs.strip_prefix(base).unwrap_or(abs).to_owned()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            path.to_owned()
        } else {
            format!("{dir}/{path}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Target { path: None, fragment });
                }
            }
            p => parts.push(p),
        }
    }
    let mut target = parts.join("/");
    if joined.ends_with('/') || target.is_empty() {
        // A folder is served by its index.html, as routes writes it.
        target = routes::index_file(&target);
    }
    Some(Target { path: Some(target), fragment })
}

pub fn check(files: &[OutputFile], base_path: &str) -> LinkReport {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: Vec<(&str, Html)> =
        files.iter().filter(|f| f.is_html).map(|f| (f.path.as_str(), Html::parse_document(&String::from_utf8_lossy(&f.bytes)))).collect();
    let id_selector = Selector::parse("[id]").expect("selector");
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| (*path, html.select(&id_selector).filter_map(|e| e.value().id().map(str::to_owned)).collect()))
        .collect();
    let link_selector = Selector::parse("a[href], link[href], img[src], script[src], iframe[src], source[src]").expect("selector");
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, html) in &pages {
        for el in html.select(&link_selector) {
            let v = el.value();
            if matches!(v.attr("rel"), Some("canonical" | "alternate")) {
                continue;
            }
            let Some(href) = v.attr("href").or_else(|| v.attr("src")) else { continue };
            let Some(Target { path, fragment }) = resolve(page, href, base_path) else { continue };
            checked += 1;
            let Some(target) = path else {
                broken.push(BrokenLink { page: (*page).to_owned(), href: href.to_owned(), problem: "outside the site" });
                continue;
            };
            if !paths.contains(target.as_str()) {
                broken.push(BrokenLink { page: (*page).to_owned(), href: href.to_owned(), problem: "missing page" });
            } else if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                if !ids.get(target.as_str()).is_some_and(|set| set.contains(&id)) {
                    broken.push(BrokenLink { page: (*page).to_owned(), href: href.to_owned(), problem: "missing anchor" });
                }
            }
        }
    }
    broken.sort();
    broken.dedup();
    LinkReport { checked, broken }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(path: &str, body: &str) -> OutputFile {
        OutputFile { path: path.to_owned(), bytes: body.as_bytes().to_vec(), is_html: true }
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let files = vec![
            html(
                "zh/index.html",
                r#"<a href="plan/">ok</a><a href="plan/#t1">ok</a><a href="plan/#nope">bad anchor</a><a href="gone/">bad</a><a href="https://x.org/">ext</a><a href="../../etc/passwd">out</a>"#,
            ),
            html("zh/plan/index.html", r#"<h2 id="t1">t</h2><a href="../">up</a>"#),
            html("404.html", r#"<a href="/kjt/zh/">home</a><a href="/kjt/en/">missing</a>"#),
        ];
        let report = check(&files, "/kjt/");
        let problems: Vec<(&str, &str)> = report.broken.iter().map(|b| (b.href.as_str(), b.problem)).collect();
        assert_eq!(
            problems,
            [
                ("/kjt/en/", "missing page"),
                ("../../etc/passwd", "outside the site"),
                ("gone/", "missing page"),
                ("plan/#nope", "missing anchor")
            ]
        );
        assert_eq!(report.checked, 8);
    }
}
