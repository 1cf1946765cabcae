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
    /// A plan period (`content/periods/`), by its position in `site.periods`.
    Period {
        index: usize,
    },
}

/// One language of the site, by its position in site.yaml's `languages`: a position, not the
/// code, so that keys stay `Copy` and cheap to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(u16);

impl Lang {
    /// A code the site does not list (a stray file): every such body shares this one, erring
    /// on the side of re-rendering too much rather than serving a stale page.
    const OTHER: Lang = Lang(u16::MAX);

    /// The language whose code is `code`.
    pub fn of(site: &crate::model::Site, code: &str) -> Lang {
        site.config.languages.iter().position(|l| l.code.value == code).and_then(|i| u16::try_from(i).ok()).map_or(Lang::OTHER, Lang)
    }
}

/// Which part of a record: its YAML (titles, names, figures, references) or its Markdown body
/// in one language. A body key names the language the body is written in, not the page's: a
/// page that falls back to another language's body shows that body, and an edit of a Chinese
/// body leaves the English pages alone. Whether a body exists (the `untranslated` flags) is
/// structural: adding or removing a file is a full rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Yaml,
    Body(Lang),
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

    /// Its body written in `lang`.
    pub fn body(self, lang: Lang) -> Key {
        Key { record: self, part: Part::Body(lang) }
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
    fn a_records_yaml_and_bodies_are_different_keys() {
        let r = Record::Result { year: 2026, index: 3 };
        let (en, zh) = (Lang(0), Lang(1));
        assert_ne!(r.yaml(), r.body(en));
        assert_ne!(r.body(en), r.body(zh), "a body key carries its language");
        assert_eq!(r.yaml().record, r.body(zh).record);
        let keys: Keys = [r.yaml(), r.yaml(), r.body(en), r.body(zh), r.body(en)].into_iter().collect();
        assert_eq!(keys.len(), 3);
    }

    #[test]
    fn the_index_lists_the_pages_that_show_a_key() {
        let (a, b) = (Record::Partner { index: 0 }, Record::Result { year: 2026, index: 1 });
        let en = Lang(0);
        let index = PageIndex::new([Keys::from([a.yaml()]), Keys::from([a.yaml(), b.body(en)]), Keys::new(), Keys::from([b.yaml()])]);
        assert_eq!(index.pages(a.yaml()), [0, 1]);
        assert_eq!(index.pages(b.body(en)), [1]);
        assert!(index.pages(b.body(Lang(1))).is_empty(), "the other language's body is another key");
        assert_eq!(index.pages(b.yaml()), [3]);
        assert!(index.pages(a.body(en)).is_empty());
    }
}
