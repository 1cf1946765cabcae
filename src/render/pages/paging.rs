//! Long lists split into pages: a year's results and a partner's results, `page_size`
//! (site.yaml) entries a page, the first page at the list's own address and the others at
//! `…/page/<n>/` (see `routes`). `pagination` in templates.

use serde::Serialize;

/// How many pages a list of `len` entries takes (at least one: an empty list has its page).
pub(in crate::render) fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// The entries of page `n` (1-based) of `items`.
pub(in crate::render) fn slice<T>(items: &[T], n: usize, size: usize) -> &[T] {
    let size = size.max(1);
    let start = (n.max(1) - 1).saturating_mul(size).min(items.len());
    &items[start..(start + size).min(items.len())]
}

/// Where a page is among the pages of its list.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(in crate::render) struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    pub total: usize,
    /// Entries in the whole list, and the first and last of this page (from 1; 0 when empty).
    pub items: usize,
    pub first: usize,
    pub last: usize,
    /// The previous and next page's root-relative URLs.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbered links: the first and last pages and two either side of this one, with a
    /// gap where pages are left out (a year of 100,000 results has no 1,000 links a page).
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(in crate::render) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out before this one.
    pub gap_before: bool,
}

impl Pagination {
    /// Page `current` of a list of `items` entries, `size` a page, `url` the address of page n.
    pub fn new(current: usize, items: usize, size: usize, url: impl Fn(usize) -> String) -> Pagination {
        let total = page_count(items, size);
        let current = current.clamp(1, total);
        let shown = |n: usize| n == 1 || n == total || n.abs_diff(current) <= 2;
        let mut pages = Vec::new();
        let mut previous = 0;
        for n in (1..=total).filter(|&n| shown(n)) {
            pages.push(PageLink { number: n, url: url(n), current: n == current, gap_before: n > previous + 1 });
            previous = n;
        }
        let first = if items == 0 { 0 } else { (current - 1) * size.max(1) + 1 };
        Pagination {
            current,
            total,
            items,
            first,
            last: (current * size.max(1)).min(items),
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_into_pages_of_size_with_the_first_at_its_own_address() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        let items: Vec<usize> = (1..=250).collect();
        assert_eq!(slice(&items, 1, 100), &items[..100]);
        assert_eq!(slice(&items, 3, 100), &items[200..]);
        assert!(slice(&items, 4, 100).is_empty());
        let url = |n: usize| if n == 1 { "zh/results/2011/".to_owned() } else { format!("zh/results/2011/page/{n}/") };
        let p = Pagination::new(2, 250, 100, url);
        assert_eq!((p.current, p.total, p.first, p.last), (2, 3, 101, 200));
        assert_eq!(p.prev.as_deref(), Some("zh/results/2011/"));
        assert_eq!(p.next.as_deref(), Some("zh/results/2011/page/3/"));
        assert_eq!(p.pages.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn many_pages_show_the_ends_and_two_either_side_with_gaps() {
        let p = Pagination::new(50, 10_000, 100, |n| n.to_string());
        let shown: Vec<(usize, bool)> = p.pages.iter().map(|l| (l.number, l.gap_before)).collect();
        assert_eq!(shown, [(1, false), (48, true), (49, false), (50, false), (51, false), (52, false), (100, true)]);
        assert!(p.pages.iter().filter(|l| l.current).map(|l| l.number).eq([50]));
        let empty = Pagination::new(1, 0, 100, |n| n.to_string());
        assert_eq!((empty.total, empty.first, empty.last, empty.prev, empty.next), (1, 0, 0, None, None));
    }
}
