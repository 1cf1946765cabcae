//! What a printed pass tells about its pages, and what to mend before the next one.
//!
//! Each page's fill is measured from the text positions of the printed PDF (its content
//! streams, read with lopdf: the lowest baseline inside the type area, as a share of the type
//! area's height). A short chapter after a page left nearly empty runs on after the chapter
//! before instead of opening a page of its own ([`plan_run_in`]); `print.pad` adds blank pages
//! before the back cover ([`blanks`]).

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::Content;
use lopdf::{Document, Object};

use crate::model::PrintProfile;

/// Under this share of the type area a page counts as nearly empty (the 25 %).
pub const NEARLY_EMPTY: f32 = 0.25;
/// A chapter runs on only where the two fit on one page with this much to spare.
const FITS: f32 = 0.92;
/// The space a run-on chapter's opening takes above its title, as a share of the type area.
const GAP: f32 = 0.06;

/// The top and bottom margins of a booklet page in points (print.css and `chapter_css`).
pub fn margins(profile: PrintProfile) -> (f32, f32) {
    let mm = |v: f32| v * 72.0 / 25.4;
    match profile {
        PrintProfile::Booklet => (mm(20.0), mm(22.0)),
        PrintProfile::Official => (mm(37.0), mm(35.0)),
    }
}

type Matrix = [f32; 6];

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

fn numbers(operands: &[Object]) -> Vec<f32> {
    operands.iter().filter_map(|o| o.as_float().ok()).collect()
}

/// The heights (from the page's foot, in points) of every run of text shown on a page.
fn text_heights(doc: &Document, page: lopdf::ObjectId) -> Vec<f32> {
    let bytes = doc.get_page_content(page);
    let Ok(content) = Content::decode(&bytes) else { return Vec::new() };
    const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let (mut ctm, mut stack) = (IDENTITY, Vec::new());
    let (mut tm, mut tlm, mut leading) = (IDENTITY, IDENTITY, 0.0);
    let mut out = Vec::new();
    for op in &content.operations {
        let n = numbers(&op.operands);
        let next_line = |tlm: &mut Matrix, tm: &mut Matrix, tx: f32, ty: f32| {
            *tlm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], tlm);
            *tm = *tlm;
        };
        match (op.operator.as_str(), n.as_slice()) {
            ("q", _) => stack.push(ctm),
            ("Q", _) => ctm = stack.pop().unwrap_or(IDENTITY),
            ("cm", [a, b, c, d, e, f]) => ctm = multiply(&[*a, *b, *c, *d, *e, *f], &ctm),
            ("BT", _) => (tm, tlm) = (IDENTITY, IDENTITY),
            ("Tm", [a, b, c, d, e, f]) => (tm, tlm) = ([*a, *b, *c, *d, *e, *f], [*a, *b, *c, *d, *e, *f]),
            ("Td", [tx, ty]) => next_line(&mut tlm, &mut tm, *tx, *ty),
            ("TD", [tx, ty]) => {
                leading = -ty;
                next_line(&mut tlm, &mut tm, *tx, *ty);
            }
            ("TL", [l]) => leading = *l,
            ("T*", _) => next_line(&mut tlm, &mut tm, 0.0, -leading),
            ("Tj" | "TJ", _) => out.push(multiply(&tm, &ctm)[5]),
            ("'" | "\"", _) => {
                next_line(&mut tlm, &mut tm, 0.0, -leading);
                out.push(multiply(&tm, &ctm)[5]);
            }
            _ => {}
        }
    }
    out
}

/// Each page's fill: how far down the type area its lowest line of text reaches (0 for a page
/// without text in it), from the page's text positions; the running head and folio are outside
/// the type area and not counted.
pub fn page_fills(doc: &Document, profile: PrintProfile) -> Vec<f32> {
    let (top, bottom) = margins(profile);
    doc.get_pages()
        .values()
        .map(|&page| {
            let height = doc
                .get_dictionary(page)
                .ok()
                .and_then(|d| d.get(b"MediaBox").ok())
                .and_then(|b| b.as_array().ok())
                .and_then(|b| b.get(3))
                .and_then(|h| h.as_float().ok())
                .unwrap_or(842.0);
            let area = (height - top - bottom).max(1.0);
            let lowest = text_heights(doc, page).into_iter().filter(|y| *y > bottom && *y < height - top).fold(f32::INFINITY, f32::min);
            if lowest.is_finite() {
                ((height - top - lowest) / area).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// The chapters (in order) that should run on after the chapter before, so that as few pages
/// as possible are left nearly empty, then as few pages as possible are printed: any chapter of
/// one page may run on where, with the page the chapter before ends on, it fits on one page.
/// `starts` are the chapters' first pages in order, `last` the last page of the last chapter;
/// pages count from 1. Every choice of run-ons is tried (a booklet has a handful of chapters;
/// past `MOST` candidates only the first ones are).
pub fn plan_run_in(ids: &[String], starts: &BTreeMap<String, u32>, last: u32, fills: &[f32]) -> BTreeSet<String> {
    const MOST: usize = 12;
    let fill = |page: u32| fills.get(page as usize - 1).copied().unwrap_or(1.0);
    // Each chapter: (its first page's fill, its last page's fill, whether it is one page).
    let mut chapters = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(&start) = starts.get(id) else { return BTreeSet::new() };
        let end = ids.get(i + 1).and_then(|next| starts.get(next)).map_or(last, |next| next.saturating_sub(1)).max(start);
        chapters.push((fill(start), fill(end), end == start));
    }
    let candidates: Vec<usize> = (1..chapters.len()).filter(|&i| chapters[i].2).take(MOST).collect();
    // (pages left nearly empty, pages, run-ons) of a choice; None if a run-on does not fit.
    let cost = |choice: u32| -> Option<(u32, u32, u32)> {
        let (mut empty, mut pages, mut current) = (0, 0, None::<f32>);
        for (i, &(first, end, _)) in chapters.iter().enumerate() {
            let runs_on = candidates.iter().position(|&c| c == i).is_some_and(|k| choice & (1 << k) != 0);
            current = match (runs_on, current) {
                (true, Some(page)) if page + GAP + first <= FITS => Some(page + GAP + first),
                (true, _) => return None,
                (false, page) => {
                    empty += u32::from(page.is_some_and(|p| p < NEARLY_EMPTY));
                    pages += 1;
                    Some(end)
                }
            };
        }
        empty += u32::from(current.is_some_and(|p| p < NEARLY_EMPTY));
        Some((empty, pages, choice.count_ones()))
    };
    let best = (0..1u32 << candidates.len()).filter_map(|c| cost(c).map(|k| (k, c))).min().map_or(0, |(_, c)| c);
    candidates.iter().enumerate().filter(|(k, _)| best & (1 << k) != 0).map(|(_, &i)| ids[i].clone()).collect()
}

/// Where the chapters will start once `run_in` ran on: each of those (one page, fitting beside
/// the chapter before) starts on the page the chapter before ends on, and takes its own page
/// out, so every later chapter starts that much earlier. The next pass carries these numbers,
/// and a third is printed only if they did not hold.
pub fn predict_starts(ids: &[String], starts: &BTreeMap<String, u32>, last: u32, run_in: &BTreeSet<String>) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let (mut removed, mut before_end) = (0u32, 0u32);
    for (i, id) in ids.iter().enumerate() {
        let Some(&start) = starts.get(id) else { return starts.clone() };
        let end = ids.get(i + 1).and_then(|next| starts.get(next)).map_or(last, |next| next.saturating_sub(1)).max(start);
        let start = if run_in.contains(id) && i > 0 {
            removed += 1;
            before_end
        } else {
            start - removed
        };
        before_end = end - removed;
        out.insert(id.clone(), start);
    }
    out
}

/// The blank pages that bring `pages` (the back cover included) to a multiple of `pad`.
pub fn blanks(pages: usize, pad: u32) -> u32 {
    let pad = pad as usize;
    if pad < 2 {
        0
    } else {
        ((pad - pages % pad) % pad) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn short_chapters_share_pages_so_that_none_is_left_nearly_empty() {
        let ids = ids(5);
        // c1: pages 3–4; c2 … c5: one page each, about a fifth full (a period's years).
        let starts: BTreeMap<String, u32> = [("c1", 3), ("c2", 5), ("c3", 6), ("c4", 7), ("c5", 8)].map(|(k, v)| (k.to_owned(), v)).into();
        let fills = [0.5, 0.3, 1.0, 0.72, 0.21, 0.21, 0.21, 0.21];
        // Greedy would put c2 … c4 together and leave c5 alone at 0.21; two pairs leave none.
        assert_eq!(plan_run_in(&ids, &starts, 8, &fills), BTreeSet::from(["c3", "c5"].map(str::to_owned)));
    }

    #[test]
    fn a_long_chapter_or_full_pages_never_run_on() {
        let ids = ids(3);
        let starts: BTreeMap<String, u32> = [("c1", 3), ("c2", 4), ("c3", 6)].map(|(k, v)| (k.to_owned(), v)).into();
        // c2 is two pages long; c3 follows a full page.
        let fills = [0.5, 0.3, 0.9, 0.9, 0.95, 0.5];
        assert!(plan_run_in(&ids, &starts, 6, &fills).is_empty());
    }

    #[test]
    fn the_pages_after_a_run_on_are_predicted() {
        let ids = ids(5);
        let starts: BTreeMap<String, u32> = [("c1", 3), ("c2", 5), ("c3", 6), ("c4", 7), ("c5", 8)].map(|(k, v)| (k.to_owned(), v)).into();
        let run_in = BTreeSet::from(["c3", "c5"].map(str::to_owned));
        let expected: BTreeMap<String, u32> =
            [("c1", 3), ("c2", 5), ("c3", 5), ("c4", 6), ("c5", 6)].map(|(k, v)| (k.to_owned(), v)).into();
        assert_eq!(predict_starts(&ids, &starts, 8, &run_in), expected);
    }

    #[test]
    fn padding_reaches_the_next_multiple() {
        assert_eq!(blanks(13, 4), 3);
        assert_eq!(blanks(16, 4), 0);
        assert_eq!(blanks(13, 0), 0);
        assert_eq!(blanks(13, 1), 0);
    }
}
