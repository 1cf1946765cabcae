//! What is stale: a translation whose source text in the default language changed after it was
//! translated. A Markdown translation records its source's hash as `translated_from`; a localised
//! YAML field has its own in `content/translations/<lang>.yaml` (see `content::tracking`).

use std::path::{Path, PathBuf};

use super::markdown::body_groups;
use super::position;
use crate::content::fields::localised_fields;
use crate::content::{lang_of, source_hash, tracking};
use crate::model::{MarkdownDoc, Site};

/// A translation whose source text changed after it was translated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Stale {
    pub lang: String,
    pub file: PathBuf,
    pub source: PathBuf,
    pub recorded: String,
    pub current: String,
    /// For a YAML field: which one, and where; `None` for a Markdown file.
    pub field: Option<FieldAt>,
}

/// A localised YAML field: its path in the file (`title`, `actions.tianshan-belt.name`) and
/// the position of its `{zh: …, en: …}` map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct FieldAt {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// One translated YAML field: its language, file, path and the hash of its source text now.
pub struct Translated<'s> {
    pub lang: &'s str,
    pub file: &'s Path,
    pub at: FieldAt,
    pub current: String,
}

/// Every Markdown translation paired with its source in the default language.
pub fn translation_pairs(site: &Site) -> Vec<(&MarkdownDoc, &MarkdownDoc)> {
    let default = site.default_language();
    let mut pairs = Vec::new();
    for docs in body_groups(site) {
        let Some(source) = docs.get(default) else { continue };
        for (lang, doc) in docs {
            if lang != default {
                pairs.push((doc, source));
            }
        }
    }
    pairs
}

/// Every localised YAML field translated from the default language (both texts present): what
/// `check --update-hashes` records and what can go stale.
pub fn translated_fields(site: &Site) -> Vec<Translated<'_>> {
    let default = site.default_language();
    let present = |s: &&String| !s.trim().is_empty();
    let mut out = Vec::new();
    for field in localised_fields(site) {
        let Some(source) = field.text.value.get(default).filter(present) else { continue };
        let current = source_hash(source);
        let (line, column) = {
            let p = position(field.text);
            (p.line, p.column)
        };
        for (lang, _) in field.text.value.iter().filter(|(lang, text)| *lang != default && present(text)) {
            let at = FieldAt { path: field.path.clone(), line, column };
            out.push(Translated { lang, file: field.file, at, current: current.clone() });
        }
    }
    out
}

/// Translations whose recorded hash differs from their source's text now: Markdown files by
/// `translated_from`, YAML fields by `content/translations/<lang>.yaml`. A translation with no
/// hash recorded is not reported (the example and `check --update-hashes` record them all).
pub fn stale_translations(site: &Site) -> Vec<Stale> {
    let markdown = translation_pairs(site).into_iter().filter_map(|(doc, source)| {
        let recorded = doc.front.translated_from.clone()?;
        let current = source_hash(&source.markdown);
        (recorded != current).then(|| Stale {
            lang: lang_of(&doc.file),
            file: doc.file.clone(),
            source: source.file.clone(),
            recorded,
            current,
            field: None,
        })
    });
    let fields = translated_fields(site).into_iter().filter_map(|t| {
        let record = tracking::record_key(&site.root, t.file);
        let recorded = site.field_hashes.get(t.lang)?.get(&record)?.get(&t.at.path)?.clone();
        (recorded != t.current).then(|| Stale {
            lang: t.lang.to_owned(),
            file: t.file.to_path_buf(),
            source: t.file.to_path_buf(),
            recorded,
            current: t.current,
            field: Some(t.at),
        })
    });
    let mut out: Vec<Stale> = markdown.chain(fields).collect();
    out.sort();
    out
}
