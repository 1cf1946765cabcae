//! What each page shows, as keys of the records it was built from, so that `serve` re-renders
//! exactly the pages whose context used a changed record (see `incremental.rs`).
//!
//! The views record the keys next to the data they copy from a record (`views::build`); a page's
//! keys are the union of the keys of the view pieces its context takes (`pages::insert_data`,
//! which picks the pieces once for both rendering and collecting keys). No table says which page
//! kind shows which record: a theme that prints more of its context is still served fresh.

/// One record of the site model, by its position (positions are stable across the changes
/// `serve` applies in place; anything that moves a record is a full rebuild).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Record {
    Plan {
        year: u32,
    },
    Task {
        year: u32,
        index: usize,
    },
    Result {
        year: u32,
        index: usize,
    },
    Partner {
        index: usize,
    },
    Metric {
        index: usize,
    },
    /// A free page (`content/pages/`): it has only a body.
    Page {
        index: usize,
    },
}

/// Which part of a record: its YAML (titles, names, figures, references) or its Markdown body.
/// A body is one key whatever its language: `serve` reports a changed Markdown file by record,
/// and a language's view may show another language's body as a fallback. Whether a body exists
/// (the `untranslated` flags) is structural: adding or removing a file is a full rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Yaml,
    Body,
}

/// One thing a page can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub record: Record,
    pub part: Part,
}

impl Record {
    pub fn yaml(self) -> Key {
        Key { record: self, part: Part::Yaml }
    }

    pub fn body(self) -> Key {
        Key { record: self, part: Part::Body }
    }
}

/// The keys a page's context was built from.
pub type Keys = std::collections::BTreeSet<Key>;

/// Which pages show each key: every page's keys, inverted. Made from the views as they are, so
/// it is made again whenever a YAML record changes (a body never changes what shows what).
#[derive(Debug, Default)]
pub struct PageIndex {
    pages: std::collections::BTreeMap<Key, Vec<usize>>,
}

impl PageIndex {
    /// From the keys of each page, in page order.
    pub fn new(page_keys: impl IntoIterator<Item = Keys>) -> PageIndex {
        let mut pages: std::collections::BTreeMap<Key, Vec<usize>> = std::collections::BTreeMap::new();
        for (position, keys) in page_keys.into_iter().enumerate() {
            for key in keys {
                pages.entry(key).or_default().push(position);
            }
        }
        PageIndex { pages }
    }

    /// The positions of the pages that show `key`, in order.
    pub fn pages(&self, key: Key) -> &[usize] {
        self.pages.get(&key).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_records_yaml_and_body_are_different_keys() {
        let r = Record::Result { year: 2026, index: 3 };
        assert_ne!(r.yaml(), r.body());
        assert_eq!(r.yaml().record, r.body().record);
        let keys: Keys = [r.yaml(), r.yaml(), r.body()].into_iter().collect();
        assert_eq!(keys.len(), 2);
    }

    #[test]
    fn the_index_lists_the_pages_that_show_a_key() {
        let (a, b) = (Record::Partner { index: 0 }, Record::Result { year: 2026, index: 1 });
        let index = PageIndex::new([Keys::from([a.yaml()]), Keys::from([a.yaml(), b.body()]), Keys::new(), Keys::from([b.yaml()])]);
        assert_eq!(index.pages(a.yaml()), [0, 1]);
        assert_eq!(index.pages(b.body()), [1]);
        assert_eq!(index.pages(b.yaml()), [3]);
        assert!(index.pages(a.body()).is_empty());
    }
}
