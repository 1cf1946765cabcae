//! How translation gaps are warned about: one `W-translation` per missing text, or, for a
//! language missing more than a few (one just added to site.yaml), a single line per language
//! that sends the editor to `planpress check`, which lists every one. A wall of hundreds of
//! warnings hides the one that matters; a handful is still worth showing where each one is.

use std::collections::BTreeMap;

use super::Gap;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::Site;

/// Whether each gap gets its own warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapList {
    /// Every gap (`check`, and `--strict`, where each one is an error the editor must find).
    Each,
    /// A language with more than [`LIST_AT_MOST`] gaps gets one summary line instead.
    Summarised,
}

/// The most gaps of one language listed one by one when summarising.
pub const LIST_AT_MOST: usize = 10;

/// The warnings for the gaps, each given with its language. A language's count is its
/// `gaps`, as `check` counts them (a record missing three recipient names is one gap).
pub(super) fn warnings(site: &Site, per_text: Vec<(String, Diagnostic)>, gaps: &[Gap], list: GapList) -> Vec<Diagnostic> {
    let mut by_lang: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for (lang, d) in per_text {
        by_lang.entry(lang).or_default().push(d);
    }
    let mut out = Vec::new();
    for (lang, each) in by_lang {
        let count = gaps.iter().filter(|g| g.lang == lang).count();
        if list == GapList::Each || count <= LIST_AT_MOST {
            out.extend(each);
        } else {
            out.push(summary(site, &lang, count));
        }
    }
    out
}

fn summary(site: &Site, lang: &str, count: usize) -> Diagnostic {
    let texts = if count == 1 { "text" } else { "texts" };
    Diagnostic::warning(
        "W-translation",
        &site.config_file,
        Position::file(),
        format!("{lang}: {count} {texts} to translate, see `planpress check`"),
    )
    .zh(format!("{lang}：{count} 处文字有待翻译，详见 `planpress check`"), None)
}
