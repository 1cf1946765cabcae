//! `content/translations/<lang>.yaml`: for each localised YAML field translated into `<lang>`,
//! the hash of the default language's text it was translated from, the way a Markdown
//! translation records `translated_from`. Kept beside the records rather than in them: the
//! records stay as editors write them, and a hash per field would double every map.
//!
//! ```yaml
//! plan/2011/tasks/high-tech.yaml:
//!   actions.tianshan-belt.name: "4b3f567215761a0f"
//!   title: "b1e39cb060b8a9b3"
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::FieldHashes;

/// Where `lang`'s field hashes are kept.
pub fn hashes_file(root: &Path, lang: &str) -> PathBuf {
    root.join("content").join("translations").join(format!("{lang}.yaml"))
}

/// How a record file is named in the hashes: its path below `content/`, with `/`.
pub fn record_key(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root.join("content")).unwrap_or(file);
    rel.iter().filter_map(|c| c.to_str()).collect::<Vec<_>>().join("/")
}

/// Writes `lang`'s field hashes (sorted, so a re-run changes nothing). Returns whether the
/// file changed.
pub fn write_hashes(root: &Path, lang: &str, default: &str, hashes: &FieldHashes) -> std::io::Result<bool> {
    let file = hashes_file(root, lang);
    let mut text = format!(
        "# For each YAML field translated into `{lang}`, the hash of the `{default}` text it was translated\n\
         # from: `planpress check` reports the field stale once that text changes. Written by\n\
         # `planpress check --update-hashes` (see docs/content-model.md); not edited by hand.\n"
    );
    for (record, fields) in hashes.iter().filter(|(_, fields)| !fields.is_empty()) {
        text.push_str(&format!("{}:\n", key(record)));
        for (path, hash) in fields {
            // Quoted: a hash of digits alone (or `1e5…`) would read back as a number.
            text.push_str(&format!("  {}: {}\n", key(path), serde_json::Value::String(hash.clone())));
        }
    }
    if fs::read_to_string(&file).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(&file, text)?;
    Ok(true)
}

/// A time as its date (UTC), YYYY-MM-DD: when a source changed, for the note on a stale page.
pub fn date_of(time: std::time::SystemTime) -> String {
    let days = time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A YAML key: plain when it is made of safe characters (ids and paths, each with a letter in a
/// name such as `.yaml` or `.name`, so never read as a number), else a JSON string, which YAML
/// reads as a double-quoted scalar.
fn key(s: &str) -> String {
    let plain = !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"./_-".contains(&b)) && !s.starts_with(['-', '.']);
    if plain {
        s.to_owned()
    } else {
        serde_json::Value::String(s.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_dates() {
        let at = |secs| date_of(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
        assert_eq!((at(0), at(951_782_400), at(1_798_675_200)), ("1970-01-01".into(), "2000-02-29".into(), "2026-12-31".into()));
    }

    #[test]
    fn hashes_are_written_sorted_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut hashes = FieldHashes::new();
        hashes.entry("plan/2011/plan.yaml".into()).or_default().insert("title".into(), "00ff".into());
        hashes.entry("partners/odd name.yaml".into()).or_default().insert("recipients.0.name".into(), "01".into());
        assert!(write_hashes(dir.path(), "en", "zh", &hashes).unwrap());
        assert!(!write_hashes(dir.path(), "en", "zh", &hashes).unwrap(), "unchanged: not written");
        let text = fs::read_to_string(hashes_file(dir.path(), "en")).unwrap();
        assert!(
            text.contains("\"partners/odd name.yaml\":\n  recipients.0.name: \"01\"\nplan/2011/plan.yaml:\n  title: \"00ff\"\n"),
            "{text}"
        );
        let back: FieldHashes = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, hashes);
    }
}
