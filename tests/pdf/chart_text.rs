//! Chart text as printed: every text run drawn inside a chart (the content the structure tree
//! marks as a `Figure` itself, not its caption), at its size on paper: the font size times the
//! text and graphics matrices' vertical scale.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};

use super::{print_with, printed, BOOKLETS};

/// The preview on A5: every result, so every chart of the summary (the totals chart, the
/// tallest, only has the results still in review to count in the example).
fn printed_a5_preview() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| print_with("pdf-a5-preview", &["--size", "a5", "--preview"]))
}

/// (page from 1, MCID) of the content marked directly in a `Figure` element.
fn figure_content(doc: &Document) -> HashSet<(u32, i64)> {
    let pages: BTreeMap<ObjectId, u32> = doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut out = HashSet::new();
    let mut seen = HashSet::new();
    fn visit(
        doc: &Document,
        pages: &BTreeMap<ObjectId, u32>,
        object: &Object,
        (page, figure): (Option<u32>, bool),
        out: &mut HashSet<(u32, i64)>,
        seen: &mut HashSet<ObjectId>,
    ) {
        let object = match object {
            Object::Reference(id) if seen.insert(*id) => doc.get_object(*id).unwrap(),
            Object::Reference(_) => return,
            o => o,
        };
        match object {
            Object::Integer(mcid) => {
                if let (Some(page), true) = (page, figure) {
                    out.insert((page, *mcid));
                }
            }
            Object::Array(items) => items.iter().for_each(|o| visit(doc, pages, o, (page, figure), out, seen)),
            Object::Dictionary(dict) => {
                let page = dict.get(b"Pg").ok().and_then(|p| p.as_reference().ok()).and_then(|id| pages.get(&id).copied()).or(page);
                let figure = match dict.get(b"S").ok().and_then(|s| s.as_name().ok()) {
                    Some(kind) => kind == b"Figure",
                    None => figure,
                };
                if let (Ok(mcid), Some(page), true) = (dict.get(b"MCID").and_then(Object::as_i64), page, figure) {
                    out.insert((page, mcid));
                }
                if let Ok(kids) = dict.get(b"K") {
                    visit(doc, pages, kids, (page, figure), out, seen);
                }
            }
            _ => {}
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").expect("a tagged PDF").clone();
    visit(doc, &pages, &root, (None, false), &mut out, &mut seen);
    out
}

type Matrix = [f64; 6];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// The printed size in points of every text run inside a chart, per page.
fn chart_text_sizes(pdf: &Path) -> Vec<(u32, f64)> {
    let doc = Document::load(pdf).unwrap();
    let figures = figure_content(&doc);
    let mut sizes = Vec::new();
    for (number, page) in doc.get_pages() {
        let content = Content::decode(&doc.get_page_content(page)).unwrap();
        const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
        let (mut ctm, mut stack, mut tm, mut size) = (IDENTITY, Vec::new(), IDENTITY, 0.0);
        let mut marked: Vec<Option<i64>> = Vec::new();
        for op in &content.operations {
            let n: Vec<f64> = op.operands.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
            match (op.operator.as_str(), n.as_slice()) {
                ("q", _) => stack.push(ctm),
                ("Q", _) => ctm = stack.pop().unwrap_or(IDENTITY),
                ("cm", [a, b, c, d, e, f]) => ctm = multiply(&[*a, *b, *c, *d, *e, *f], &ctm),
                ("BT", _) => tm = IDENTITY,
                ("Tm", [a, b, c, d, e, f]) => tm = [*a, *b, *c, *d, *e, *f],
                ("Td" | "TD", [x, y]) => tm = multiply(&[1.0, 0.0, 0.0, 1.0, *x, *y], &tm),
                ("Tf", [s]) => size = *s,
                ("BDC", _) => {
                    let mcid =
                        op.operands.get(1).and_then(|o| o.as_dict().ok()).and_then(|d| d.get(b"MCID").ok()).and_then(|m| m.as_i64().ok());
                    marked.push(mcid);
                }
                ("BMC", _) => marked.push(None),
                ("EMC", _) => {
                    marked.pop();
                }
                ("Tj" | "TJ" | "'" | "\"", _) => {
                    let in_chart = marked.iter().rev().find_map(|m| *m).is_some_and(|mcid| figures.contains(&(number, mcid)));
                    if in_chart {
                        let m = multiply(&tm, &ctm);
                        sizes.push((number, size * (m[2] * m[2] + m[3] * m[3]).sqrt()));
                    }
                }
                _ => {}
            }
        }
    }
    sizes
}

/// On A5 (and A4) no chart of any booklet prints text under 7 pt: a chart taller than its place
/// prints in parts rather than shrunk.
#[test]
#[ignore = "needs Chromium and poppler-utils"]
fn chart_text_prints_at_7_pt_or_more_in_every_booklet_on_a5_and_a4() {
    for (paper, out) in [("A5 preview", printed_a5_preview()), ("A4", printed())] {
        let mut charts = 0;
        for b in BOOKLETS {
            let sizes = chart_text_sizes(&out.join(b.pdf));
            if b.pdf.contains("summary-") {
                assert!(!sizes.is_empty(), "{paper} {}: no chart text found", b.pdf);
            }
            charts += sizes.len();
            let small: Vec<&(u32, f64)> = sizes.iter().filter(|(_, s)| *s < 7.0).collect();
            assert!(small.is_empty(), "{paper} {}: chart text under 7 pt (page, size): {small:.2?}", b.pdf);
        }
        assert!(charts > 50, "{paper}: {charts} runs of chart text");
    }
}
