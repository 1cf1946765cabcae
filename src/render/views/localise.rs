//! Picking one language's strings and Markdown bodies, with fallback to the default language,
//! and a body as HTML for that language's pages.

use std::collections::BTreeMap;

use crate::model::{MarkdownDoc, Site, Text};
use crate::render::markdown::{self, MarkdownOptions};
use crate::render::rewrite::ROOT_TOKEN;
use crate::routes::Route;

/// Picks one language's text with fallback, remembering whether it fell back.
pub(super) struct Localiser<'a> {
    pub(super) lang: &'a str,
    pub(super) default: &'a str,
    pub(super) fell_back: std::cell::Cell<bool>,
}

impl Localiser<'_> {
    pub(super) fn text(&self, text: &Text) -> String {
        let map = &text.value;
        match map.get(self.lang).filter(|s| !s.trim().is_empty()) {
            Some(s) => s.clone(),
            None => {
                self.fell_back.set(true);
                map.get(self.default).or_else(|| map.values().next()).cloned().unwrap_or_default()
            }
        }
    }

    pub(super) fn opt(&self, text: Option<&Text>) -> String {
        text.map(|t| self.text(t)).unwrap_or_default()
    }

    pub(super) fn body<'d>(&self, bodies: &'d BTreeMap<String, MarkdownDoc>) -> Option<&'d MarkdownDoc> {
        match bodies.get(self.lang) {
            Some(doc) => Some(doc),
            None if bodies.is_empty() => None,
            None => {
                self.fell_back.set(true);
                bodies.get(self.default).or_else(|| bodies.values().next())
            }
        }
    }

    /// Takes the fallback flag, resetting it for the next view.
    pub(super) fn take(&self) -> bool {
        self.fell_back.replace(false)
    }
}

/// A Markdown body as HTML for `lang`'s pages (links resolve below `/<lang>/`).
pub(super) fn body_html(site: &Site, lang: &str, doc: Option<&MarkdownDoc>) -> String {
    // The language's home, behind the placeholder each page replaces with its own way up to the root.
    let link_base = format!("{ROOT_TOKEN}{}", Route::home(lang));
    let md_options = MarkdownOptions { allow_raw_html: site.config.allow_raw_html, link_base: &link_base };
    doc.map(|d| markdown::render(&d.markdown, &md_options)).unwrap_or_default()
}
