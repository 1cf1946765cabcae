//! Built-in search: at build time, one JSON index per language (`/<lang>/search-index.json`) of
//! every page's title, headings and text; `static/search.js` loads it on first use in the browser.
//!
//! Tokens are language-independent, so a Chinese page that quotes English (or the reverse) is
//! found either way: a run of hanzi gives each pair of neighbouring characters (character bigrams:
//! 知识产权 → 知识 识产 产权), and a hanzi standing alone gives itself. A query of two or more hanzi
//! is looked up by its bigrams, all of which must match, so no dictionary is needed and terms such
//! as 援疆 are found wherever they occur (a word segmenter misses a term inside a longer word or
//! one split differently: measured below). A single-hanzi query is looked up by the bigrams that
//! begin or end with it (plus the character where it stands alone): every occurrence is found
//! without indexing each character, which would make the Chinese index about 40% larger. Any
//! other run of letters and digits is one word, lower-cased, and English words are Porter-stemmed
//! ("intellectual property" → `intellectu properti`) after dropping a few stop words.
//! `search.js` implements the same tokeniser and stemmer; the tests check they agree.
//!
//! Bigrams or words? 25 plausible queries (援疆, 知识产权, 科技特派员, 院士工作站, 人才, 专利,
//! 乌鲁木齐, 科技人才…) over the 1,175 Chinese HTML pages of a generated 1,000-result site: of the
//! 9,582 page–query pairs where the page's text contains the query, bigrams found all, and no page
//! without it. Word segmentation (jieba 0.42.1) found 91% with pages and queries both segmented in
//! its precise mode, 95% with pages in its search-engine mode (which adds the dictionary words
//! inside longer ones): it misses 乌鲁木齐 in 乌鲁木齐市 (0 of 345 pages), 科技人才 in
//! 科技/人才队伍 (20 of 170) and, in precise mode, 专利 in 专利申请 (20 of 213). On the example site
//! (48 Chinese HTML pages, 243 pairs) bigrams found all, precise mode 240.
//!
//! Index format (version 2):
//! ```json
//! {"version": 2, "lang": "zh", "rank": {"k1": 1.2, "b": 0.75, "title": 2.0, "heading": 0.6},
//!  "docs": [{"u": "zh/plan/2011/talent/", "t": "title", "h": ["heading"], "x": "text…", "n": 812, "w": 1.25}],
//!  "stop": ["科技", "项目"],
//!  "terms": {"援疆": [0, 7, 30, 10]}}
//! ```
//! `u` is root-relative, `x` the start of the page text for snippets ([`TEXT_WIDTH`] wide: about
//! 180 hanzi or 360 Latin characters; see [`snippet_text`]), `n` the number of tokens in the page
//! text, `w` the page's boost (see [`boost`]; absent when 1).
//!
//! `terms` maps a token to its postings, one per page that has it, in page order. A page's
//! posting is `tf << 2 | in_title << 1 | in_heading` (tf: occurrences in the page text, which
//! includes the headings but not the title, capped at [`TF_MAX`]). Each page is written as the
//! gap from the previous page's number (the first: its number) times 2, plus 1 when its posting
//! follows; otherwise the posting is the usual `1 << 2`. So `[0, 7, 30, 10]` is page 0 with
//! posting 4 (once in the text), page 3 with 30 (7 or more times, and in the title), page 8 with 4.
//!
//! `stop` lists the tokens left out of `terms` because they are in more than half the pages (on
//! a site of at least [`STOP_MIN_DOCS`] pages of the language; a smaller one keeps every token).
//! They tell search.js nothing about which page to show; it ignores them when matching (a single
//! hanzi in a stop bigram is a stop term too). A query made only of stop terms is matched by its
//! text instead: pages with it in the title first, then in a heading, then in `x`.
//!
//! Sizes (`gzip -9`, per language), before (version 1: absolute page numbers, no stop terms,
//! 1,200 characters of text) and after:
//!
//! | site (pages per language) | zh raw | zh gzip | en raw | en gzip |
//! |---|---|---|---|---|
//! | example (46) | 89,751 → 69,989 | 25,636 → 22,320 | 63,011 → 41,166 | 16,986 → 11,682 |
//! | 1,000 results (1,155) | 4,276,608 → 1,601,759 | 794,651 → 271,434 | 3,320,643 → 1,051,019 | 671,270 → 145,379 |
//! | 10,000 results (10,155) | 41,496,151 → 13,076,116 | 9,446,630 → 1,965,874 | 32,173,999 → 9,031,967 | 7,323,101 → 1,034,456 |
//!
//! At 1,000 results, gzip: zh terms 170 kB, `x` 72 kB, the rest 17 kB; en 72, 43 and 22 kB.
//! The gaps took the Chinese terms from 544 to 247 kB, the stop terms to 184, leaving out the
//! usual posting to 170 (the tf cap saves 0.2% of the Chinese terms, 1.3% of the English).
//!
//! Ranking (search.js, and the tests): a page's score for a query token is
//! `idf × (tf·(k1+1) / (tf + k1·(1 − b + b·n/avg_n)) + title·in_title + heading·in_heading)`
//! (BM25 with a title and heading bonus outside the saturation, so a page *about* a term wins over
//! a long page that mentions it often), summed over the query's tokens other than stop terms and
//! multiplied by the page's boost `w`; pages that contain every such token come first.

use std::borrow::Cow;
use std::collections::BTreeMap;

mod stem;
mod tokens;

use crate::routes::Kind;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
#[cfg(test)]
use scraper::{ElementRef, Node};
use serde::Serialize;

/// Width of page text kept in the index for snippets (the terms cover the whole page): a hanzi
/// counts 2, any other character 1, so a Chinese page keeps about 180 characters and a Latin one
/// about 360 (Chinese says as much in about half the characters).
pub const TEXT_WIDTH: usize = 360;
/// Term frequencies are capped here: BM25 saturates (with k1 = 1.2, tf 7 already scores 85% of
/// the limit), and small numbers compress better.
pub const TF_MAX: u32 = 7;
/// A term in more than half the documents of a language is a stop term, left out of `terms`
/// (listed in `stop`), but only from this many documents on: a small site keeps every term.
pub const STOP_MIN_DOCS: usize = 50;
/// Ranking parameters, written into the index for search.js.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
pub const TITLE_BONUS: f64 = 2.0;
pub const HEADING_BONUS: f64 = 0.6;

pub use stem::stem;
use tokens::{each_token, Token};
pub use tokens::{is_han, query_tokens, tokenize};

/// One page to index: its root-relative URL, title, rendered HTML, and boost.
pub struct Page<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub html: &'a [u8],
    pub boost: f64,
}

/// The ranking boost of a page kind: the plan's key tasks are the site's substance and come
/// first among equals; hubs that list everything (home, the partner and result indexes, the
/// indexes of every year) last.
pub fn boost(kind: Kind) -> f64 {
    match kind {
        Kind::Task => 1.25,
        Kind::Home | Kind::Partners | Kind::Results | Kind::ResultsPage | Kind::PlanIndex | Kind::ResultsIndex => 0.8,
        _ => 1.0,
    }
}

#[derive(Serialize)]
struct Doc {
    u: String,
    t: String,
    h: Vec<String>,
    x: String,
    n: usize,
    #[serde(skip_serializing_if = "is_one")]
    w: f64,
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

#[derive(Serialize)]
struct Rank {
    k1: f64,
    b: f64,
    title: f64,
    heading: f64,
}

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    lang: &'a str,
    rank: Rank,
    docs: Vec<Doc>,
    stop: Vec<String>,
    terms: BTreeMap<String, Vec<u32>>,
}

#[cfg(test)]
use super::html_text::{INLINE, SKIP};

/// Collects the text of `el` into `text` and its `h2`–`h4` headings into `headings`. Links
/// outside running text (`.prose`) are skipped: they are cross-references (a result's related
/// tasks, a hub's lists), whose words are about the page they point to. The build reads pages
/// with the faster `html_text` scanner; this is the reference it is tested against.
#[cfg(test)]
pub(super) fn collect_text(el: ElementRef, in_prose: bool, text: &mut String, headings: &mut Vec<String>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => text.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name)
                    || (name == "a" && !in_prose)
                    || e.attr("aria-hidden") == Some("true")
                    || e.attr("hidden").is_some()
                    || e.classes().any(|c| ["notice", "visually-hidden", "page-actions", "page-toc"].contains(&c))
                {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else { continue };
                let block = !INLINE.contains(&name);
                if block {
                    text.push(' ');
                }
                if matches!(name, "h2" | "h3" | "h4") {
                    headings.push(normalise(&child_el.text().collect::<String>()));
                }
                collect_text(child_el, in_prose || e.classes().any(|c| c == "prose"), text, headings);
                if block {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of `s` with its white space collapsed (as [`normalise`] does), at least `chars`
/// characters long when `s` has that many.
fn normalised_prefix(s: &str, chars: usize) -> String {
    let mut out = String::with_capacity(chars * 3);
    let mut count = 0;
    for word in s.split_whitespace() {
        if count >= chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        out.push_str(word);
        count += word.chars().count();
    }
    out
}

/// A hanzi bigram (or lone hanzi) as a number, its first character's code in the high bits
/// and the second's (0 for a lone hanzi) in the low 21: hashing and comparing a number is much
/// cheaper than a string, and Chinese pages are almost all bigrams.
fn han_key(s: &str) -> u64 {
    let mut chars = s.chars();
    let first = chars.next().map_or(0, u64::from);
    let second = chars.next().map_or(0, u64::from);
    first << 21 | second
}

/// The bigram (or lone hanzi) of a [`han_key`].
fn han_term(key: u64) -> String {
    [key >> 21, key & 0x1F_FFFF].into_iter().filter(|&c| c != 0).filter_map(|c| char::from_u32(c as u32)).collect()
}

/// Term → count of one page: hanzi bigrams by [`han_key`], words as text (borrowed from the
/// page, or owned).
struct Counts<'t> {
    han: FxHashMap<u64, u32>,
    words: FxHashMap<Cow<'t, str>, u32>,
}

/// Counts each token of `text` into `counts`, changing its count with `update`; returns how many
/// tokens there were. A word is copied only the first time the page has it.
fn count_tokens<'t>(text: &'t str, counts: &mut Counts<'t>, update: impl Fn(&mut u32)) -> usize {
    let mut n = 0;
    each_token(text, |token| {
        n += 1;
        match token {
            Token::Han(s) => update(counts.han.entry(han_key(s)).or_default()),
            Token::Word(w) => match counts.words.get_mut(w) {
                Some(count) => update(count),
                None => update(counts.words.entry(Cow::Owned(w.to_owned())).or_default()),
            },
        }
    });
    n
}

/// A page's posting from its count: `tf << 2 | in_title << 1 | in_heading`, tf capped.
fn posting(count: u32) -> u32 {
    (count >> 2).min(TF_MAX) << 2 | (count & 3)
}

/// The entries of one language, added in any order (one collector per thread, then merged) with
/// their position in the site, which orders the index's docs; [`Collector::finish`] writes the
/// index. Pages are folded in as they come, so only the postings are kept, not every page's.
#[derive(Default)]
pub struct Collector {
    docs: Vec<(usize, Doc)>,
    /// Term → (position, posting), in any order: hanzi bigrams by [`han_key`], words by text.
    /// A page's posting is `tf << 2 | in_title << 1 | in_heading`, tf capped at [`TF_MAX`].
    han: FxHashMap<u64, Postings>,
    words: FxHashMap<String, Postings>,
}

/// Bits of a posting (`tf << 2 | in_title << 1 | in_heading`, tf capped at [`TF_MAX`]).
const POSTING_BITS: u32 = 5;
const _: () = assert!(TF_MAX < 1 << (POSTING_BITS - 2), "tf and its two flags fit in a posting");

/// One term's pages and postings as a collector gathers them, compressed: these lists are most
/// of the memory of a large build's pages (as (position, posting) pairs, 0.9 GB at 100,000
/// results per language). Each page is a LEB128 varint of its posting in the low
/// [`POSTING_BITS`] bits, then a bit set when its position is not past the previous page's (the
/// first page's: 0), then the distance from there (less one when past it). A thread's pages come
/// in order, so a term on most pages takes a byte a page; lists are out of order only where
/// two threads' lists were joined.
#[derive(Default)]
struct Postings {
    bytes: Vec<u8>,
    /// The position of the last page added.
    last: u32,
}

impl Postings {
    fn push(&mut self, position: u32, posting: u32) {
        let (distance, back) =
            if position > self.last { (u64::from(position - self.last - 1), 0) } else { (u64::from(self.last - position), 1) };
        let mut v = (distance << 1 | back) << POSTING_BITS | u64::from(posting);
        while v >= 0x80 {
            self.bytes.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
        self.last = position;
    }

    /// The varints of `bytes`, each with the bytes after it.
    fn next(bytes: &[u8]) -> Option<(u64, &[u8])> {
        let (mut v, mut shift) = (0u64, 0);
        for (i, b) in bytes.iter().enumerate() {
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some((v, &bytes[i + 1..]));
            }
            shift += 7;
        }
        None
    }

    /// The position and posting of a varint, from the previous position.
    fn decode(v: u64, previous: u32) -> (u32, u32) {
        let posting = (v & ((1 << POSTING_BITS) - 1)) as u32;
        let (distance, back) = ((v >> (POSTING_BITS + 1)) as u32, v >> POSTING_BITS & 1 == 1);
        (if back { previous - distance } else { previous + distance + 1 }, posting)
    }

    /// Appends `other`'s pages: its first is re-encoded as a gap from this list's last.
    fn append(&mut self, other: Postings) {
        let Some((v, rest)) = Self::next(&other.bytes) else { return };
        let (position, posting) = Self::decode(v, 0);
        self.push(position, posting);
        self.bytes.extend_from_slice(rest);
        self.last = other.last;
    }

    /// How many pages have the term.
    fn len(&self) -> usize {
        self.bytes.iter().filter(|b| **b < 0x80).count()
    }

    /// Every (position, posting), in the order they were added.
    fn pairs(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.len());
        let (mut rest, mut previous) = (self.bytes.as_slice(), 0);
        while let Some((v, tail)) = Self::next(rest) {
            let pair = Self::decode(v, previous);
            previous = pair.0;
            out.push(pair);
            rest = tail;
        }
        out
    }
}

impl Collector {
    /// Indexes the page at `position` (done as each page is rendered).
    pub fn add(&mut self, position: usize, page: &Page) {
        let main = main_part(page.html);
        let main = match std::str::from_utf8(main) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(main),
        };
        let super::html_text::MainText { text, headings, snippet } = super::html_text::main_text_and_snippet(&main).unwrap_or_default();
        let mut counts =
            Counts { han: FxHashMap::with_capacity_and_hasher(text.len() / 8, Default::default()), words: FxHashMap::default() };
        let n = count_tokens(&text, &mut counts, |c| *c += 4);
        for h in &headings {
            count_tokens(h, &mut counts, |c| *c |= 1);
        }
        count_tokens(page.title, &mut counts, |c| *c |= 2);
        let position = position as u32;
        for (key, count) in counts.han {
            self.han.entry(key).or_default().push(position, posting(count));
        }
        for (term, count) in counts.words {
            match self.words.get_mut(term.as_ref()) {
                Some(list) => list.push(position, posting(count)),
                None => self.words.entry(term.into_owned()).or_default().push(position, posting(count)),
            }
        }
        // Tokens do not depend on how words are spaced; the snippet is the start of the text
        // outside tables with its white space collapsed, so only that much is collapsed.
        let x = snippet_text(&normalised_prefix(&snippet, TEXT_WIDTH + 1));
        self.docs.push((position as usize, Doc { u: page.url.to_owned(), t: page.title.to_owned(), h: headings, x, n, w: page.boost }));
    }

    pub fn merge(mut self, mut other: Collector) -> Collector {
        if self.han.len() + self.words.len() < other.han.len() + other.words.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.docs.extend(other.docs);
        for (key, list) in other.han {
            self.han.entry(key).or_default().append(list);
        }
        for (term, list) in other.words {
            self.words.entry(term).or_default().append(list);
        }
        self
    }

    /// The JSON index (format version 2) of the entries, in position order.
    pub fn finish(mut self, lang: &str) -> Vec<u8> {
        self.docs.sort_unstable_by_key(|(position, _)| *position);
        let positions: Vec<usize> = self.docs.iter().map(|(position, _)| *position).collect();
        let doc_number = |position: u32| positions.binary_search(&(position as usize)).map_or(0, |i| i as u32);
        let mut lists: Vec<(String, Postings)> = self.han.into_iter().map(|(key, list)| (han_term(key), list)).chain(self.words).collect();
        lists.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let docs: Vec<Doc> = self.docs.into_iter().map(|(_, doc)| doc).collect();
        let mut stop = Vec::new();
        let mut terms = BTreeMap::new();
        for (term, list) in lists {
            if docs.len() >= STOP_MIN_DOCS && list.len() * 2 > docs.len() {
                stop.push(term);
            } else {
                let mut pairs = list.pairs();
                pairs.sort_unstable_by_key(|(position, _)| *position);
                let numbered: Vec<(u32, u32)> = pairs.into_iter().map(|(position, posting)| (doc_number(position), posting)).collect();
                terms.insert(term, encode_postings(&numbered));
            }
        }
        let rank = Rank { k1: K1, b: B, title: TITLE_BONUS, heading: HEADING_BONUS };
        let index = Index { version: 2, lang, rank, docs, stop, terms };
        serde_json::to_vec(&index).unwrap_or_default()
    }
}

/// The `<main>` element of a page (the whole page if it has none): all that search indexes, and
/// all that `serve` keeps of each page to rebuild the index. The head, header and footer are
/// most of a short page.
pub fn main_part(html: &[u8]) -> &[u8] {
    match (memchr::memmem::find(html, b"<main"), memchr::memmem::rfind(html, b"</main>")) {
        (Some(start), Some(end)) if start < end => &html[start..end + b"</main>".len()],
        _ => html,
    }
}

/// The start of `text` kept for snippets: [`TEXT_WIDTH`] wide (a hanzi counts 2), cut after a
/// word rather than inside one when there is a space in the last 30 characters.
pub fn snippet_text(text: &str) -> String {
    let mut width = 0;
    for (i, c) in text.char_indices() {
        width += if is_han(c) { 2 } else { 1 };
        if width > TEXT_WIDTH {
            let cut = &text[..i];
            let space = cut.rfind(' ').filter(|&s| cut[s..].chars().count() <= 30);
            return cut[..space.unwrap_or(cut.len())].trim_end().to_owned();
        }
    }
    text.to_owned()
}

/// Encodes one term's postings, `(doc, posting)` in ascending doc order: for each, the gap to
/// the previous doc (the first: its id) times 2, plus 1 when the posting differs from the common
/// `1 << 2` (once in the text, not in the title or a heading), in which case the posting follows.
fn encode_postings(list: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(list.len() + list.len() / 4);
    let mut prev = 0;
    for &(doc, posting) in list {
        let gap = doc - prev;
        prev = doc;
        if posting == 1 << 2 {
            out.push(gap * 2);
        } else {
            out.push(gap * 2 + 1);
            out.push(posting);
        }
    }
    out
}

/// The JSON index of `pages` (one language), in their order.
pub fn build_index(lang: &str, pages: &[Page]) -> Vec<u8> {
    pages
        .par_iter()
        .enumerate()
        .fold(Collector::default, |mut c, (position, page)| {
            c.add(position, page);
            c
        })
        .reduce(Collector::default, Collector::merge)
        .finish(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_weights_title_headings_and_text() {
        let html = r#"<html><body><nav>援疆</nav><main><h1>知识产权</h1><p>加强知识产权工作</p><h2>目标</h2><nav class="pager">援疆</nav><ul><li><a href="../x/">援疆</a></li></ul></main></body></html>"#;
        let json = build_index("zh", &[Page { url: "zh/x/", title: "知识产权", html: html.as_bytes(), boost: 1.25 }]);
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["docs"][0]["x"], "加强知识产权工作 目标");
        assert_eq!(v["docs"][0]["h"][0], "目标");
        assert_eq!(v["docs"][0]["w"], 1.25);
        assert_eq!(v["version"], 2);
        assert_eq!(v["terms"]["产权"], serde_json::json!([1, (1 << 2) | 2]), "once in the text, and in the title");
        assert_eq!(v["terms"]["目标"], serde_json::json!([1, (1 << 2) | 1]), "once in the text, in a heading");
        assert_eq!(v["terms"]["加强"], serde_json::json!([0]), "once in the text only: the posting is left out");
        assert!(v["terms"].get("援疆").is_none(), "navigation and cross-reference links are not indexed");
        let prose = r#"<main><div class="prose"><p>见<a href="x">援疆</a>规划</p></div></main>"#;
        let json = build_index("zh", &[Page { url: "zh/y/", title: "", html: prose.as_bytes(), boost: 1.0 }]);
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["docs"][0]["x"], "见援疆规划", "links in running text are part of it");
    }

    /// A table is found by its words but not quoted: a flattened table reads as noise.
    #[test]
    fn snippets_leave_tables_out() {
        let html = r#"<main><h2>受援地</h2><table><tr><th>所属地州</th><th>兵团</th></tr></table><p>喀什地区</p></main>"#;
        let json = build_index("zh", &[Page { url: "zh/x/", title: "", html: html.as_bytes(), boost: 1.0 }]);
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["docs"][0]["x"], "受援地 喀什地区");
        assert!(v["terms"].get("兵团").is_some(), "the table is still searched");
    }

    #[test]
    fn postings_keep_their_pages_in_any_order() {
        let pairs = [(3, 4), (4, 31), (1, 0), (200_000, 9), (7, 4)];
        let (mut a, mut b) = (Postings::default(), Postings::default());
        pairs[..2].iter().for_each(|&(p, x)| a.push(p, x));
        pairs[2..].iter().for_each(|&(p, x)| b.push(p, x));
        a.append(b);
        a.append(Postings::default());
        assert_eq!(a.pairs(), pairs);
        assert_eq!(a.len(), pairs.len());
        let mut dense = Postings::default();
        (0..100).for_each(|p| dense.push(p, 31));
        assert_eq!((dense.len(), dense.bytes.len()), (100, 100), "a byte a page for a term on most pages");
        assert_eq!(dense.pairs()[99], (99, 31));
    }

    #[test]
    fn postings_are_gap_encoded() {
        assert_eq!(encode_postings(&[(3, 4), (4, 4), (10, 9), (11, 4)]), [6, 2, 13, 9, 2]);
        assert_eq!(encode_postings(&[(0, 2)]), [1, 2]);
    }

    #[test]
    fn snippet_text_is_shorter_for_hanzi() {
        let zh = "知识产权".repeat(100);
        assert_eq!(snippet_text(&zh).chars().count(), TEXT_WIDTH / 2);
        let en = "intellectual property ".repeat(40);
        let cut = snippet_text(&en);
        assert!(cut.len() <= TEXT_WIDTH && cut.len() > TEXT_WIDTH - 30, "{cut}");
        assert!(cut.ends_with("intellectual") || cut.ends_with("property"), "cut after a word: {cut}");
        assert_eq!(snippet_text("short"), "short");
    }

    #[test]
    fn frequent_terms_become_stop_terms_on_larger_sites() {
        let page = |i: usize| format!("<main><p>科技项目{i} 成果{}</p></main>", if i.is_multiple_of(3) { "转化" } else { "" });
        let htmls: Vec<String> = (0..STOP_MIN_DOCS).map(page).collect();
        let urls: Vec<String> = (0..STOP_MIN_DOCS).map(|i| format!("zh/{i}/")).collect();
        let pages: Vec<Page> =
            htmls.iter().zip(&urls).map(|(h, u)| Page { url: u, title: "成果", html: h.as_bytes(), boost: 1.0 }).collect();
        let v: serde_json::Value = serde_json::from_slice(&build_index("zh", &pages)).unwrap();
        assert_eq!(v["stop"], serde_json::json!(["成果", "技项", "科技", "项目"]));
        assert!(v["terms"].get("科技").is_none());
        assert_eq!(v["terms"]["转化"].as_array().unwrap().len(), STOP_MIN_DOCS.div_ceil(3), "in a third of the pages: kept");
        let v: serde_json::Value = serde_json::from_slice(&build_index("zh", &pages[..STOP_MIN_DOCS - 1])).unwrap();
        assert_eq!(v["stop"], serde_json::json!([]), "a small site keeps every term");
        assert!(v["terms"].get("科技").is_some());
    }
}
