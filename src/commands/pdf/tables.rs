//! Where a table goes on to the next page: the rows of every table, the page each starts on
//! (from the printed PDF's structure tree: Chromium tags every table, row and cell, each with
//! the pages its content is marked on), matched with the booklet's HTML, where a row that may
//! carry a continuation label names itself with `data-row`. A keyed row that starts a later
//! page than the keyed row before it continues its table (and, past its group's first row, its
//! group): the next render labels it (`booklet.continued`, see `booklet/_partners.html`).
//!
//! CSS cannot do this in Chromium: a repeated `<thead>` repeats as it is, the same on the first
//! page as on the continuation, and there is no `string-set` for a running group name.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use lopdf::{Document, Object, ObjectId};
use scraper::{Html, Selector};

/// Per table in document order, per row: its key (`data-row`), if any.
pub fn keyed_rows(html: &str) -> Vec<Vec<Option<String>>> {
    let doc = Html::parse_document(html);
    let (Ok(tables), Ok(rows)) = (Selector::parse("table"), Selector::parse("tr")) else { return Vec::new() };
    doc.select(&tables)
        .map(|table| {
            table
                .select(&rows)
                // A nested table's rows are its own.
                .filter(|tr| {
                    tr.ancestors().find(|a| a.value().as_element().is_some_and(|e| e.name() == "table")).map(|a| a.id()) == Some(table.id())
                })
                .map(|tr| tr.value().attr("data-row").map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Per table of the structure tree (pre-order: document order), per row (`TR`): the first page
/// (from 1) any of its content is marked on.
pub fn row_pages(doc: &Document) -> Vec<Vec<Option<u32>>> {
    let pages: BTreeMap<ObjectId, u32> = doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut walk = Walk { doc, pages, tables: Vec::new(), seen: HashSet::new() };
    let root = doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()).cloned();
    if let Some(root) = root {
        walk.visit(&root, None, (None, None), 0);
    }
    walk.tables
}

struct Walk<'a> {
    doc: &'a Document,
    pages: BTreeMap<ObjectId, u32>,
    tables: Vec<Vec<Option<u32>>>,
    seen: HashSet<ObjectId>,
}

impl Walk<'_> {
    /// `page`: the page inherited from the nearest element with `/Pg`; `table`, `row`: where
    /// the content belongs (a row is an index into its table's rows).
    fn visit(&mut self, object: &Object, page: Option<u32>, (table, row): (Option<usize>, Option<usize>), depth: usize) {
        let doc = self.doc;
        if depth > 256 {
            return;
        }
        let object = match object {
            Object::Reference(id) => {
                if !self.seen.insert(*id) {
                    return;
                }
                match doc.get_object(*id) {
                    Ok(o) => o,
                    Err(_) => return,
                }
            }
            o => o,
        };
        match object {
            Object::Integer(_) => self.mark(table, row, page),
            Object::Array(items) => items.iter().for_each(|item| self.visit(item, page, (table, row), depth + 1)),
            Object::Dictionary(dict) => {
                let page = dict.get(b"Pg").ok().and_then(|p| p.as_reference().ok()).and_then(|id| self.pages.get(&id).copied()).or(page);
                let kind = dict.get(b"S").ok().and_then(|s| s.as_name().ok()).unwrap_or_default();
                let (table, row) = match (kind, table) {
                    (b"Table", _) => {
                        self.tables.push(Vec::new());
                        (Some(self.tables.len() - 1), None)
                    }
                    (b"TR", Some(t)) => {
                        self.tables[t].push(None);
                        (Some(t), Some(self.tables[t].len() - 1))
                    }
                    _ => (table, row),
                };
                // A marked-content reference (`/MCID` with its page) is content; an object
                // reference (a link's annotation) is not.
                if dict.has(b"MCID") {
                    self.mark(table, row, page);
                }
                if let Ok(kids) = dict.get(b"K") {
                    self.visit(kids, page, (table, row), depth + 1);
                }
            }
            _ => {}
        }
    }

    fn mark(&mut self, table: Option<usize>, row: Option<usize>, page: Option<u32>) {
        if let (Some(t), Some(r), Some(page)) = (table, row, page) {
            let slot = &mut self.tables[t][r];
            *slot = Some(slot.map_or(page, |p| p.min(page)));
        }
    }
}

/// The keys of the rows that continue their table on a later page than the keyed row before
/// them. Nothing when the HTML's tables and rows are not the PDF's (a table not printed): a
/// label in the wrong row would be worse than none.
pub fn continued(keys: &[Vec<Option<String>>], pages: &[Vec<Option<u32>>]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if keys.len() != pages.len() || keys.iter().zip(pages).any(|(k, p)| k.len() != p.len()) {
        if std::env::var_os("PLANPRESS_PDF_DEBUG").is_some() {
            let rows = |t: &[usize]| t.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
            let (html, pdf): (Vec<usize>, Vec<usize>) = (keys.iter().map(Vec::len).collect(), pages.iter().map(Vec::len).collect());
            eprintln!("continued tables: the HTML's rows per table ({}) are not the PDF's ({})", rows(&html), rows(&pdf));
        }
        return out;
    }
    for (keys, pages) in keys.iter().zip(pages) {
        let mut before = None;
        for (key, page) in keys.iter().zip(pages) {
            let (Some(key), Some(page)) = (key, page) else { continue };
            if before.is_some_and(|b| *page > b) {
                out.insert(key.clone());
            }
            before = Some(*page);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_rows_are_per_table_and_a_nested_table_has_its_own() {
        let html = r#"<table><tr data-row="a"><td><table><tr data-row="x"></tr></table></td></tr><tr></tr><tr data-row="b"></tr></table>"#;
        assert_eq!(keyed_rows(html), vec![vec![Some("a".to_owned()), None, Some("b".to_owned())], vec![Some("x".to_owned())]]);
    }

    #[test]
    fn a_keyed_row_on_a_later_page_continues_and_a_mismatch_gives_nothing() {
        let k = |s: &str| Some(s.to_owned());
        let keys = vec![vec![None, k("a"), k("b"), None, k("c"), k("d")]];
        // The head on 3 (repeated), a and b on 3, a label row and c on 4, d on 4.
        let pages = vec![vec![Some(3), Some(3), Some(3), Some(4), Some(4), Some(4)]];
        assert_eq!(continued(&keys, &pages), BTreeSet::from(["c".to_owned()]));
        assert!(continued(&keys, &[vec![Some(3)]]).is_empty());
        assert!(continued(&keys, &[]).is_empty());
    }
}
