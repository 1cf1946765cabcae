//! Half-width punctuation in the Chinese source: every place the renderer prints full-width
//! (`render::punctuation`), listed by `check` as information, so editors can fix the source
//! too. Never a warning: the printed text is right either way, and `--strict` does not fail.

use std::path::Path;

use crate::content::fields::localised_fields;
use crate::content::source_of;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::Site;
use crate::render::markdown::text_ranges;
use crate::render::punctuation::{fixes, Fix};

/// The notes, one per character the renderer replaces, in the source of every Chinese text.
pub fn punctuation_notes(site: &Site) -> Vec<Diagnostic> {
    let chinese: Vec<&str> = site.language_codes().into_iter().filter(|code| is_chinese(site, code)).collect();
    if chinese.is_empty() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    for group in super::markdown::body_groups(site) {
        for (lang, doc) in group {
            if !chinese.contains(&lang.as_str()) {
                continue;
            }
            let ranges = text_ranges(&doc.markdown);
            let found: Vec<(usize, char, char)> = ranges
                .iter()
                .flat_map(|r| found_in(&doc.markdown[r.clone()]).into_iter().map(move |(k, a, b)| (r.start + k, a, b)))
                .collect();
            if found.is_empty() {
                continue;
            }
            // The body is the end of the file; the front matter comes before it.
            let source = source_of(&doc.file);
            let body_start = source.len().saturating_sub(doc.markdown.len());
            let in_file = if source.ends_with(doc.markdown.as_str()) { body_start } else { 0 };
            notes.extend(found.into_iter().map(|(at, from, to)| note(&doc.file, &source, in_file + at, from, to)));
        }
    }
    let mut sources: std::collections::BTreeMap<&Path, String> = std::collections::BTreeMap::new();
    for field in localised_fields(site) {
        for lang in &chinese {
            let Some(text) = field.text.value.get(*lang) else { continue };
            let found = found_in(text);
            if found.is_empty() {
                continue;
            }
            let source = sources.entry(field.file).or_insert_with(|| source_of(field.file));
            // The string as written, searched from its map's line (a quoted or folded one that
            // is not verbatim is placed at the map).
            let from_line = field.text.referenced.line() as usize;
            let line_start = source.split_inclusive('\n').take(from_line.saturating_sub(1)).map(str::len).sum::<usize>();
            let at = source.get(line_start..).and_then(|rest| rest.find(text.as_str())).map(|k| line_start + k);
            for (k, from, to) in found {
                notes.push(match at {
                    Some(at) => note(field.file, source, at + k, from, to),
                    None => note_at(field.file, source, Position::new(from_line, field.text.referenced.column() as usize), from, to),
                });
            }
        }
    }
    notes
}

fn is_chinese(site: &Site, code: &str) -> bool {
    let tag = site.config.languages.iter().find(|l| l.code.value == code).map_or(code, |l| l.tag.as_str());
    tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh"))
}

/// The replaced characters of `text`: byte offset, what is written, what is printed.
fn found_in(text: &str) -> Vec<(usize, char, char)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let plain: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    fixes(&plain)
        .into_iter()
        .filter_map(|(i, fix)| match fix {
            Fix::To(to) => Some((chars[i].0, chars[i].1, to)),
            Fix::Drop => None,
        })
        .collect()
}

fn note(file: &Path, source: &str, at: usize, from: char, to: char) -> Diagnostic {
    let before = source.get(..at).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    note_at(file, source, Position::new(line, column), from, to)
}

fn note_at(file: &Path, source: &str, at: Position, from: char, to: char) -> Diagnostic {
    Diagnostic::info("I-punctuation", file, at, format!("half-width `{from}` in Chinese text, printed as `{to}`"))
        .help(format!(
            "write `{to}` here so the source reads as printed; `typography: {{normalise_punctuation: false}}` in site.yaml prints text as written"
        ))
        .zh(
            format!("中文里的半角“{from}”，排印时改为“{to}”"),
            Some(format!("可在此处改为“{to}”，使原文与排印一致；在 site.yaml 中设置 `typography: {{normalise_punctuation: false}}` 则按原文排印")),
        )
        .with_source(source)
}
