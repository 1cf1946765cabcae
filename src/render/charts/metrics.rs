//! Text widths for the charts, from the advance widths of the chart's font file (read with
//! ttf-parser), and line wrapping by those widths. One measure serves print and screen, so it
//! is an upper bound: per character the larger of the face's advance and the bundled DejaVu Sans
//! advance (among the widest common sans faces, so a visitor's Arial, Helvetica, Liberation
//! Sans, PingFang or YaHei Latin is narrower), and a full em for a wide (CJK) character the
//! face does not have. Without the font file (another machine) the bundled widths alone are
//! used: labels then wrap the same or earlier, never later. See docs/templates.md, "Charts".

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use unicode_width::UnicodeWidthChar;

/// DejaVu Sans (Book) advance widths of U+0020..=U+007E in units of 1/2048 em, from
/// DejaVuSans.ttf (a test checks them against the file where it is installed).
const DEJAVU_ASCII: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
    1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532,
    1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260,
    721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,
    1303, 1716,
];

/// The width of a character with no entry above and no glyph in the face: narrow characters
/// (accented Latin, `·`, dashes) stay under DejaVu's widest capital, wide ones take an em.
fn bundled(c: char) -> f64 {
    match c as u32 {
        0x20..=0x7E => f64::from(DEJAVU_ASCII[c as usize - 0x20]) / 2048.0,
        _ if c.width() == Some(2) || crate::render::markdown::is_cjk(c) => 1.0,
        _ if c.is_whitespace() => 0.32,
        _ => 0.9,
    }
}

/// The metrics of one chart font: the first family of a CSS font list whose file is found.
pub struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    /// The file read, for the docs and the tests.
    pub file: Option<PathBuf>,
}

impl Metrics {
    /// The advance of `c` in em (see the module's note: never less than the bundled width).
    pub fn advance(&self, c: char) -> f64 {
        let own = self.face.as_ref().and_then(|f| {
            let gid = f.glyph_index(c)?;
            Some(f64::from(f.glyph_hor_advance(gid)?) / f64::from(f.units_per_em()))
        });
        own.map_or(bundled(c), |w| w.max(bundled(c)))
    }

    /// The width of `s` set at `size`.
    pub fn width(&self, s: &str, size: f64) -> f64 {
        s.chars().map(|c| self.advance(c)).sum::<f64>() * size
    }

    /// `s` broken into lines no wider than `max` at `size`: at spaces, and between CJK
    /// characters except before closing and after opening punctuation; a word longer than a
    /// line is broken between characters. Nothing is dropped.
    pub fn wrap(&self, s: &str, size: f64, max: f64) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for piece in pieces(s) {
            let candidate = format!("{line}{piece}");
            if !line.is_empty() && self.width(candidate.trim_end(), size) > max {
                lines.push(line.trim_end().to_owned());
                line = piece.trim_start().to_owned();
            } else {
                line = candidate;
            }
            // A word wider than the whole line: break it between characters.
            while self.width(line.trim_end(), size) > max && line.trim_end().chars().count() > 1 {
                let mut head = String::new();
                for c in line.chars() {
                    if !head.is_empty() && self.width(&format!("{head}{c}"), size) > max {
                        break;
                    }
                    head.push(c);
                }
                line = line[head.len()..].to_owned();
                lines.push(head);
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

/// Characters a line must not start with (closing punctuation, GB/T 15834 kinsoku) or end with.
const NO_START: &str = "，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}";
const NO_END: &str = "（《「『【〔〈“‘([{";

/// The unbreakable pieces of `s`, each with the spaces after it.
fn pieces(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let cjk = crate::render::markdown::is_cjk(c);
        let break_before = match prev {
            None => false,
            Some(p) if p.is_whitespace() => !c.is_whitespace(),
            Some(p) => (cjk || crate::render::markdown::is_cjk(p)) && !c.is_whitespace() && !NO_START.contains(c) && !NO_END.contains(p),
        };
        if break_before && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The metrics for a CSS font-family list, loaded once per process.
pub fn for_fonts(list: &str) -> &'static Metrics {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static Metrics>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = cache.get(list) {
        return m;
    }
    let found = list.split(',').map(|f| f.trim().trim_matches(['"', '\'']).to_owned()).find_map(|family| load(&family));
    let metrics: &'static Metrics = Box::leak(Box::new(match found {
        Some((face, file)) => Metrics { face: Some(face), file: Some(file) },
        None => Metrics { face: None, file: None },
    }));
    cache.insert(list.to_owned(), metrics);
    metrics
}

/// Where fonts are installed (fontconfig's usual folders, macOS and Windows).
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts", "C:\\Windows\\Fonts"]
            .iter()
            .map(PathBuf::from)
            .collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs
}

fn squash(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The file names some families are installed under, where they differ from the family.
const ALIASES: &[(&str, &str)] = &[
    ("wenquanyizenhei", "wqyzenhei"),
    ("wenquanyimicrohei", "wqymicrohei"),
    ("arpluming", "uming"),
    ("arplukai", "ukai"),
    ("notosanscjksc", "notosanscjk"),
];

/// The regular face of `family`: files whose name starts like the family (shortest first, so
/// `DejaVuSans.ttf` before `DejaVuSans-Bold.ttf`), confirmed by the face's own family name.
/// Generic families (`sans-serif`) and faces not installed give `None`.
fn load(family: &str) -> Option<(ttf_parser::Face<'static>, PathBuf)> {
    let key = squash(family);
    if key.is_empty() || matches!(family, "sans-serif" | "serif" | "monospace" | "system-ui") {
        return None;
    }
    let stem_key = ALIASES.iter().find(|(f, _)| *f == key).map_or(key.as_str(), |(_, file)| file);
    let mut files: Vec<(usize, PathBuf)> = font_dirs()
        .into_iter()
        .flat_map(|d| walkdir::WalkDir::new(d).follow_links(false).into_iter().filter_map(Result::ok))
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let path = e.into_path();
            let ext = path.extension()?.to_str()?.to_ascii_lowercase();
            let stem = squash(path.file_stem()?.to_str()?);
            (matches!(ext.as_str(), "ttf" | "otf" | "ttc") && stem.starts_with(stem_key)).then_some((stem.len(), path))
        })
        .collect();
    files.sort();
    files.into_iter().find_map(|(_, path)| {
        let data: &'static [u8] = Box::leak(std::fs::read(&path).ok()?.into_boxed_slice());
        let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
        (0..count)
            .filter_map(|i| ttf_parser::Face::parse(data, i).ok())
            .find(|face| {
                !face.is_bold()
                    && !face.is_italic()
                    && face
                        .names()
                        .into_iter()
                        .any(|n| n.name_id == ttf_parser::name_id::FAMILY && n.to_string().is_some_and(|s| squash(&s) == key))
            })
            .map(|face| (face, path.clone()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_only() -> Metrics {
        Metrics { face: None, file: None }
    }

    #[test]
    fn wraps_latin_at_spaces_and_cjk_between_characters_never_dropping_text() {
        let m = bundled_only();
        let lines = m.wrap("Applications for technology transfer", 12.0, 120.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), "Applications for technology transfer");
        assert!(lines.iter().all(|l| m.width(l, 12.0) <= 120.0), "{lines:?}");
        let zh = m.wrap("科技人才培训人次（万），合计", 12.0, 60.0);
        assert_eq!(zh.concat(), "科技人才培训人次（万），合计");
        assert!(zh.iter().all(|l| m.width(l, 12.0) <= 60.0), "{zh:?}");
        assert!(zh.iter().all(|l| !l.starts_with('，') && !l.starts_with('）')), "kinsoku: {zh:?}");
        // A word longer than the line is broken, not cut.
        let long = m.wrap("Supercalifragilistic", 12.0, 50.0);
        assert_eq!(long.concat(), "Supercalifragilistic");
        assert!(long.iter().all(|l| m.width(l, 12.0) <= 50.0), "{long:?}");
    }

    /// The bundled table is DejaVu Sans's own, where the font is installed.
    #[test]
    fn bundled_widths_are_dejavu_sans_and_the_face_is_read() {
        let m = for_fonts("DejaVu Sans, sans-serif");
        let Some(face) = &m.face else {
            assert!(std::env::var_os("CI").is_none(), "DejaVu Sans is not installed (fonts-dejavu-core, see .ci/run)");
            return;
        };
        let actual: Vec<u16> = (' '..='~').map(|c| face.glyph_hor_advance(face.glyph_index(c).unwrap()).unwrap()).collect();
        assert_eq!(actual, DEJAVU_ASCII, "the bundled table differs from {:?}", m.file);
        assert_eq!(face.units_per_em(), 2048);
        let zh = for_fonts("WenQuanYi Zen Hei, sans-serif");
        assert!(zh.file.is_some() || std::env::var_os("CI").is_none(), "WenQuanYi Zen Hei not found");
        assert!((zh.width("目标值", 12.0) - 36.0).abs() < 0.01);
        assert!(zh.width("38,400", 12.0) >= m.width("38,400", 12.0), "an upper bound of both faces");
    }
}
