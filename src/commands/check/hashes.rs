//! `check --update-hashes`: records the source's current hash in the translations the editor
//! confirms: `translated_from` in a Markdown translation's front matter, and for a YAML record
//! named (or `--all`), every translated field of it in `content/translations/<lang>.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::UpdateHashes;
use crate::content::{self, tracking};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{FieldHashes, MarkdownDoc, Site};
use crate::validate;

/// Records the current source hash in the chosen translations (`--all`, or the named files: a
/// Markdown translation, or a YAML record for all its translated fields), on disk and in `site`
/// (so the site need not be loaded again). Returns how many translations changed.
pub(super) fn update_hashes(site: &mut Site, root: &Path, which: &UpdateHashes, diags: &mut Diagnostics) -> usize {
    // A named YAML record confirms its fields; any other path must name a Markdown translation.
    let records: BTreeSet<PathBuf> = validate::translated_fields(site).iter().filter_map(|t| canonical(t.file)).collect();
    let (yaml, markdown): (Vec<PathBuf>, Vec<PathBuf>) = match which {
        UpdateHashes::Only(paths) => paths.iter().cloned().partition(|p| resolve(root, p).is_some_and(|c| records.contains(&c))),
        _ => (Vec::new(), Vec::new()),
    };
    let fields_updated = match which {
        UpdateHashes::All => update_field_hashes(site, root, None, diags),
        _ if !yaml.is_empty() => {
            let named: BTreeSet<PathBuf> = yaml.iter().filter_map(|p| resolve(root, p)).collect();
            update_field_hashes(site, root, Some(&named), diags)
        }
        _ => 0,
    };
    let pairs = validate::translation_pairs(site);
    let chosen = match which {
        UpdateHashes::Only(_) => named_pairs(root, &pairs, &markdown, diags),
        _ => pairs,
    };
    let hashes: BTreeMap<PathBuf, String> =
        chosen.into_iter().map(|(doc, source)| (doc.file.clone(), content::source_hash(&source.markdown))).collect();
    let mut updated = 0;
    let mut recorded = BTreeMap::new();
    for (file, hash) in hashes {
        match content::record_translated_from(&file, &hash) {
            Ok(changed) => {
                updated += usize::from(changed);
                recorded.insert(file, hash);
            }
            Err(e) => diags.push(write_error(&file, &e)),
        }
    }
    // What loading the site again would read: the recorded hash, the body as it was (the
    // rewrite keeps it byte for byte); a file that could not be written keeps its old hash.
    for doc in docs_mut(site) {
        if let Some(hash) = recorded.remove(&doc.file) {
            doc.front.translated_from = Some(hash);
        }
    }
    updated + fields_updated
}

/// The file a path names, relative to the site root or else to the working directory.
fn resolve(root: &Path, path: &Path) -> Option<PathBuf> {
    [root.join(path), path.to_path_buf()].iter().find_map(|p| canonical(p))
}

fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Records the hashes of the translated fields of the `named` records (canonical paths), or of
/// every record (then the files are written afresh: a field that no longer exists drops out).
/// Returns how many fields got a new hash.
pub(in crate::commands) fn update_field_hashes(
    site: &mut Site,
    root: &Path,
    named: Option<&BTreeSet<PathBuf>>,
    diags: &mut Diagnostics,
) -> usize {
    let mut next: BTreeMap<String, FieldHashes> = match named {
        Some(_) => site.field_hashes.clone(),
        None => site.field_hashes.keys().map(|lang| (lang.clone(), FieldHashes::new())).collect(),
    };
    for t in validate::translated_fields(site) {
        if named.is_some_and(|named| canonical(t.file).is_none_or(|c| !named.contains(&c))) {
            continue;
        }
        let record = tracking::record_key(root, t.file);
        next.entry(t.lang.to_owned()).or_default().entry(record).or_default().insert(t.at.path, t.current);
    }
    let default = site.default_language().to_owned();
    let mut updated = 0;
    for (lang, hashes) in next {
        let before = site.field_hashes.get(&lang);
        let changed = hashes
            .iter()
            .flat_map(|(record, fields)| fields.iter().map(move |(path, hash)| (record, path, hash)))
            .filter(|(record, path, hash)| before.and_then(|b| b.get(*record)?.get(*path)) != Some(*hash))
            .count();
        match tracking::write_hashes(root, &lang, &default, &hashes) {
            Ok(_) => {
                updated += changed;
                site.field_hashes.insert(lang, hashes);
            }
            Err(e) => diags.push(write_error(&tracking::hashes_file(root, &lang), &e)),
        }
    }
    updated
}

fn write_error(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("E-io", file, Default::default(), format!("cannot update: {e}"))
        .help("check that you may write the file")
        .zh(format!("无法更新：{}", crate::diagnostics::zh_io(e)), Some("请检查是否有写入该文件的权限".to_owned()))
}

/// Every Markdown document of the site.
fn docs_mut(site: &mut Site) -> impl Iterator<Item = &mut MarkdownDoc> {
    let plans =
        site.plans.values_mut().flat_map(|p| p.record.bodies.values_mut().chain(p.tasks.iter_mut().flat_map(|t| t.bodies.values_mut())));
    plans
        .chain(site.partners.iter_mut().flat_map(|p| p.bodies.values_mut()))
        .chain(site.results.values_mut().flatten().flat_map(|r| r.bodies.values_mut()))
        .chain(site.pages.iter_mut().flat_map(|p| p.docs.values_mut()))
}

/// The translation pairs whose translation is one of `paths`; an error for each path that names
/// no translation (a source text, a file of no record, a file that does not exist).
fn named_pairs<'a>(
    root: &Path,
    pairs: &[(&'a MarkdownDoc, &'a MarkdownDoc)],
    paths: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<(&'a MarkdownDoc, &'a MarkdownDoc)> {
    let mut chosen = Vec::new();
    for path in paths {
        let found = [root.join(path), path.clone()]
            .iter()
            .find_map(|p| canonical(p))
            .and_then(|wanted| pairs.iter().find(|(doc, _)| canonical(&doc.file).as_deref() == Some(wanted.as_path())));
        match found {
            Some(pair) if !chosen.iter().any(|(doc, _): &(&MarkdownDoc, _)| std::ptr::eq(*doc, pair.0)) => chosen.push(*pair),
            Some(_) => {}
            None => diags.push(
                Diagnostic::error("E-ref", path, Default::default(), "not a translation: nothing to confirm")
                    .help(
                        "name a translation's Markdown file, e.g. content/pages/about.en.md (not its source text in the default language), or a YAML record with translated fields",
                    )
                    .zh(
                        "不是译文：无可确认".to_owned(),
                        Some("请写出译文的 Markdown 文件，例如 content/pages/about.en.md（不是默认语言的原文），或含有译文字段的 YAML 记录".to_owned()),
                    ),
            ),
        }
    }
    chosen
}
