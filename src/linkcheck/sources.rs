//! `@/` links in the Markdown sources that climb out of the site (`@/../../etc/passwd`), named
//! with their file, line and column: the rendered link only says which page it is on.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostics::{Diagnostic, Position};
use crate::model::{MarkdownDoc, Site};

/// Whether the path of an `@/` link (relative to a language's root, one level below the
/// site's) climbs above the site root. Browsers read `%2e%2e` as `..` and `\` as `/`.
fn climbs_out(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut depth: i64 = 1;
    for segment in path.split(['/', '\\']) {
        let dots = segment.to_ascii_lowercase().replace("%2e", ".");
        match dots.as_str() {
            "" | "." => {}
            ".." => depth -= 1,
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// Line and column (1-based, in characters) of byte `at` of `text`.
fn position(text: &str, at: usize) -> Position {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

fn doc_links(doc: &MarkdownDoc, out: &mut Vec<Diagnostic>) {
    // Positions are in the file as written: the body is its tail, after any front matter.
    let full = std::fs::read_to_string(&doc.file).unwrap_or_default();
    let start = if full.ends_with(&doc.markdown) { full.len() - doc.markdown.len() } else { 0 };
    let (full, start) = if full.is_empty() { (doc.markdown.clone(), 0) } else { (full, start) };
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(&full[start..], options).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
        let Some(path) = dest_url.strip_prefix("@/") else { continue };
        if !climbs_out(path) {
            continue;
        }
        out.push(link_error(&doc.file, position(&full, start + range.start), &dest_url).with_source(&full));
    }
}

fn link_error(file: &Path, at: Position, dest: &str) -> Diagnostic {
    Diagnostic::error("E-link", file, at, format!("link `{dest}` climbs out of the site"))
        .help("`@/` links start at the language's root, e.g. `@/partners/beijing/`; remove the `..`")
        .zh(format!("链接 `{dest}` 指向站点之外"), Some("`@/` 链接从该语言的首页算起，例如 `@/partners/beijing/`；请删去 `..`".to_owned()))
}

/// Every `@/` link of every Markdown text of `site` that leads outside the site.
pub fn climbing_links(site: &Site) -> Vec<Diagnostic> {
    let docs = site
        .plans
        .values()
        .flat_map(|p| p.record.bodies.values().chain(p.tasks.iter().flat_map(|t| t.bodies.values())))
        .chain(site.partners.iter().flat_map(|p| p.bodies.values()))
        .chain(site.results.values().flatten().flat_map(|r| r.bodies.values()))
        .chain(site.pages.iter().flat_map(|p| p.docs.values()));
    let mut out = Vec::new();
    for doc in docs {
        doc_links(doc, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_means_above_the_site_root() {
        assert!(!climbs_out("partners/beijing/"));
        assert!(!climbs_out("../en/partners/"));
        assert!(climbs_out("../../etc/passwd"));
        assert!(climbs_out("%2E%2e/%2e%2E/x"));
        assert!(climbs_out("..\\..\\x"));
        assert!(!climbs_out("a/../../en/"));
        assert!(climbs_out("a/../../../x"));
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(position("ab\n链接 [x](y)", 10), Position::new(2, 4));
    }
}
