//! The one localised-text lookup: a language's string or Markdown body, with fallback to the
//! default language, returning the text and the language it came from. Views, booklets and the
//! pages' metadata all pick through [`localise`]; the views' [`Localiser`] adds the page's
//! "not yet translated" flag and the `lang`/`dir` marks of fallback text on top of it.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::fields::localised_fields;
use crate::content::{source_hash, tracking};
use crate::model::{MarkdownDoc, Site, Text};
use crate::render::markdown::{self, MarkdownOptions};
use crate::render::rewrite::ROOT_TOKEN;
use crate::routes::Route;

/// A text in the language it was found in (`lang` is a language code of the site).
#[derive(Debug, PartialEq, Eq)]
pub struct Localised<'t, T: ?Sized> {
    pub text: &'t T,
    pub lang: &'t str,
}

// By hand: the derives would ask `T: Copy`, and `str` is not.
impl<T: ?Sized> Clone for Localised<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for Localised<'_, T> {}

/// `lang`'s entry of `map` if it `has` one, else the default language's, else the first: what
/// every localised string and body of the site is looked up with. `None` only for an empty map.
pub fn localise_by<'t, V>(map: &'t BTreeMap<String, V>, lang: &str, default: &str, has: impl Fn(&V) -> bool) -> Option<Localised<'t, V>> {
    let entry = |code: &str| map.get_key_value(code).filter(|(_, v)| has(v));
    let (code, text) = entry(lang).or_else(|| map.get_key_value(default)).or_else(|| map.iter().next())?;
    Some(Localised { text, lang: code })
}

/// A localised string: a blank one counts as missing (the loader keeps what the YAML says).
pub fn localise<'t>(text: &'t Text, lang: &str, default: &str) -> Option<Localised<'t, str>> {
    localise_by(&text.value, lang, default, |s| !s.trim().is_empty()).map(|l| Localised { text: l.text.as_str(), lang: l.lang })
}

/// [`localise`]'s text, empty when the field has none.
pub fn localised_string(text: &Text, lang: &str, default: &str) -> String {
    localise(text, lang, default).map(|l| l.text.to_owned()).unwrap_or_default()
}

/// A string of `lang`'s pages that is not a view's (the site's title, a period's): its text
/// and, when it fell back, its mark.
pub fn marked_string(site: &Site, text: &Text, lang: &str) -> (String, Option<LangMark>) {
    Localiser::new(site, lang).marked(text)
}

/// The language a text shown on another language's page is in, for its element's `lang` and
/// `dir` (so Chinese inside a right-to-left page keeps its punctuation and its voice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LangMark {
    /// The BCP 47 tag, as `<html lang>` has it.
    pub lang: String,
    pub dir: &'static str,
}

/// The marks of a view's fallback title and body (`None`: in the page's language). Templates
/// print them as attributes, so escaping stays in the templates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Fallback {
    pub title: Option<LangMark>,
    pub body: Option<LangMark>,
}

/// How a view's text stands as a translation; flattened into the view, so templates read
/// `task.fallback.title` and `task.stale_since`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Translation {
    /// Where the title (a partner's name) and the body fell back: their `lang` and `dir`.
    pub fallback: Fallback,
    /// With `stale_translation_note`: when the source of its stale translation changed.
    pub stale_since: Option<String>,
}

/// Picks one language's text with fallback, remembering whether it fell back.
pub(super) struct Localiser<'a> {
    site: &'a Site,
    lang: &'a str,
    fell_back: std::cell::Cell<bool>,
    /// The record files with a stale YAML field in this language, and when their source
    /// changed: made on first use (only a site that shows the stale note asks).
    stale_fields: OnceCell<BTreeMap<PathBuf, String>>,
}

impl<'a> Localiser<'a> {
    pub(super) fn new(site: &'a Site, lang: &'a str) -> Self {
        Localiser { site, lang, fell_back: std::cell::Cell::new(false), stale_fields: OnceCell::new() }
    }

    /// The translation state of a record's view: its title's mark (`text_mark`, or for a free
    /// page its document's), its body's, and since when it is stale.
    pub(super) fn translation(
        &self,
        record: Option<&Path>,
        title: Option<LangMark>,
        bodies: &BTreeMap<String, MarkdownDoc>,
    ) -> Translation {
        Translation { fallback: Fallback { title, body: self.body_mark(bodies) }, stale_since: self.stale_since(record, bodies) }
    }

    /// With `stale_translation_note: true`: the date the source of a stale translation shown
    /// here changed (its default-language body, or the YAML record of `record` with a stale
    /// field), for the note that tells visitors. `None` when nothing shown is stale.
    pub(super) fn stale_since(&self, record: Option<&Path>, bodies: &BTreeMap<String, MarkdownDoc>) -> Option<String> {
        let default = self.site.default_language();
        if !self.site.config.stale_translation_note || self.lang == default {
            return None;
        }
        let body = bodies.get(self.lang).zip(bodies.get(default)).and_then(|(doc, source)| {
            let recorded = doc.front.translated_from.as_ref()?;
            (*recorded != source_hash(&source.markdown)).then(|| modified(&source.file))
        });
        let field = record.and_then(|file| self.stale_fields.get_or_init(|| self.find_stale_fields()).get(file).cloned());
        // The later change, if both are stale (dates compare as text).
        body.into_iter().chain(field).max()
    }

    fn find_stale_fields(&self) -> BTreeMap<PathBuf, String> {
        let (site, default) = (self.site, self.site.default_language());
        let Some(recorded) = site.field_hashes.get(self.lang) else { return BTreeMap::new() };
        let mut out = BTreeMap::new();
        for field in localised_fields(site) {
            let (Some(source), Some(_)) = (field.text.value.get(default), field.text.value.get(self.lang)) else { continue };
            let hash = recorded.get(&tracking::record_key(&site.root, field.file)).and_then(|f| f.get(&field.path));
            if hash.is_some_and(|h| *h != source_hash(source)) {
                out.entry(field.file.to_path_buf()).or_insert_with(|| modified(field.file));
            }
        }
        out
    }

    fn pick<'t>(&self, text: &'t Text) -> Option<Localised<'t, str>> {
        let found = localise(text, self.lang, self.site.default_language());
        if found.is_some_and(|f| f.lang != self.lang) {
            self.fell_back.set(true);
        }
        found
    }

    pub(super) fn text(&self, text: &Text) -> String {
        self.pick(text).map(|l| l.text.to_owned()).unwrap_or_default()
    }

    pub(super) fn opt(&self, text: Option<&Text>) -> String {
        text.map(|t| self.text(t)).unwrap_or_default()
    }

    /// A string with its mark when it fell back: what a reference or list item shows.
    pub(super) fn marked(&self, text: &Text) -> (String, Option<LangMark>) {
        self.pick(text).map(|l| (l.text.to_owned(), self.mark(l.lang))).unwrap_or_default()
    }

    /// [`Self::marked`] of an optional field.
    pub(super) fn opt_marked(&self, text: Option<&Text>) -> (String, Option<LangMark>) {
        text.map(|t| self.marked(t)).unwrap_or_default()
    }

    pub(super) fn body<'d>(&self, bodies: &'d BTreeMap<String, MarkdownDoc>) -> Option<&'d MarkdownDoc> {
        let found = localise_by(bodies, self.lang, self.site.default_language(), |_| true)?;
        if found.lang != self.lang {
            self.fell_back.set(true);
        }
        Some(found.text)
    }

    /// The mark of a string shown in another language than the page's (no flag set: the
    /// view's own lookup sets it).
    pub(super) fn text_mark(&self, text: &Text) -> Option<LangMark> {
        self.mark(localise(text, self.lang, self.site.default_language())?.lang)
    }

    /// The mark of a body shown in another language than the page's.
    pub(super) fn body_mark(&self, bodies: &BTreeMap<String, MarkdownDoc>) -> Option<LangMark> {
        self.mark(localise_by(bodies, self.lang, self.site.default_language(), |_| true)?.lang)
    }

    fn mark(&self, from: &str) -> Option<LangMark> {
        if from == self.lang {
            return None;
        }
        let language = self.site.config.languages.iter().find(|l| l.code.value == from);
        Some(LangMark {
            lang: language.map_or_else(|| from.to_owned(), |l| l.tag.clone()),
            dir: language.map_or("ltr", |l| l.dir.as_str()),
        })
    }

    /// Takes the fallback flag, resetting it for the next view.
    pub(super) fn take(&self) -> bool {
        self.fell_back.replace(false)
    }
}

/// When a source file was last saved (UTC date), the closest planpress has to when the source
/// changed; empty (and so no note) where the file system does not say.
fn modified(file: &Path) -> String {
    std::fs::metadata(file).and_then(|m| m.modified()).map(tracking::date_of).unwrap_or_default()
}

/// A Markdown body as HTML for `lang`'s pages (links resolve below `/<lang>/`).
pub(super) fn body_html(site: &Site, lang: &str, doc: Option<&MarkdownDoc>) -> String {
    // The language's home, behind the placeholder each page replaces with its own way up to the root.
    let link_base = format!("{ROOT_TOKEN}{}", Route::home(lang));
    let md_options = MarkdownOptions { allow_raw_html: site.config.allow_raw_html, link_base: &link_base, withheld: &site.withheld };
    doc.map(|d| markdown::render(&d.markdown, &md_options)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_lookup_returns_the_text_and_the_language_it_came_from() {
        let m = map(&[("en", "Title"), ("ug", "  "), ("zh", "标题")]);
        let present = |s: &String| !s.trim().is_empty();
        let found = |lang| localise_by(&m, lang, "zh", present).map(|l| (l.text.as_str(), l.lang));
        assert_eq!(found("en"), Some(("Title", "en")));
        assert_eq!(found("ug"), Some(("标题", "zh")), "blank falls back to the default language");
        assert_eq!(found("fr"), Some(("标题", "zh")));
        let no_default = map(&[("en", "Title")]);
        assert_eq!(localise_by(&no_default, "ug", "zh", present).map(|l| l.lang), Some("en"), "then the first");
        assert_eq!(localise_by(&BTreeMap::<String, String>::new(), "ug", "zh", present).map(|l| l.lang), None);
    }
}
