//! The theme: templates, static files and UI strings. The default theme is embedded in the
//! binary; a site overrides any file by putting one at the same path under `themes/<name>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Kwargs, State, StringInput, Tera};

use super::format::Formats;
use super::rewrite::{demote_headings, replace_all};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::Site;
use crate::sitefs::{Found, SiteFs};
use crate::validate::{is_safe_id, position};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Path under `static/` → bytes: the theme's, with the site's own `static/` over them.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Language code → UI strings.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads the theme: embedded default first, then the site's own files over it; and the site's
/// own `static/` over the theme's static files (read here, with the theme, so that what the
/// file policy skips there is reported with the build's other warnings).
pub fn load(site: &Site, diags: &mut Diagnostics) -> Theme {
    let reader = SiteFs::for_site(site);
    let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = DEFAULT_THEME
        .iter()
        .map(|(path, bytes)| ((*path).to_owned(), (PathBuf::from(format!("<embedded>/themes/default/{path}")), bytes.to_vec())))
        .collect();
    if let Some(dir) = site_theme_dir(site, &reader, diags) {
        for (rel, path, bytes) in reader.read_tree(&dir, diags) {
            files.insert(rel, (path, bytes));
        }
    }

    let mut theme = Theme { templates: BTreeMap::new(), statics: BTreeMap::new(), strings: embedded_strings() };
    for (rel, (path, bytes)) in files {
        if let Some(name) = rel.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    theme.templates.insert(name.to_owned(), (path, text));
                }
                Err(_) => diags.push(
                    Diagnostic::error("E-encoding", &path, Position::file(), "template is not valid UTF-8")
                        .help("save the template as UTF-8")
                        .zh("模板不是有效的 UTF-8 编码", Some("请把模板另存为 UTF-8 编码".to_owned())),
                ),
            }
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme.statics.insert(name.to_owned(), bytes);
        } else if let Some(lang) = rel.strip_prefix("i18n/").and_then(|n| n.strip_suffix(".yaml")) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match crate::content::yaml::parse::<BTreeMap<String, String>>(&path, &text, &text, 1) {
                // Key by key over the embedded strings: a site's copy of an older i18n file keeps
                // working when a new version of planpress adds strings.
                Ok(map) => theme.strings.entry(lang.to_owned()).or_default().extend(map),
                Err(d) => diags.push(d),
            }
        }
    }
    theme.statics.extend(super::assets::read_site_static(&reader, diags));
    theme.fill_missing_strings(site, diags);
    theme
}

/// The embedded default theme's UI strings, the base a site's i18n files are laid over.
fn embedded_strings() -> BTreeMap<String, BTreeMap<String, String>> {
    DEFAULT_THEME
        .iter()
        .filter_map(|(path, bytes)| {
            let lang = path.strip_prefix("i18n/")?.strip_suffix(".yaml")?;
            let text = std::str::from_utf8(bytes).ok()?;
            // The embedded files are checked by the tests; a parse error would show there.
            let map = crate::content::yaml::parse::<BTreeMap<String, String>>(Path::new(path), text, text, 1).ok()?;
            Some((lang.to_owned(), map))
        })
        .collect()
}

/// The site's theme folder, `themes/<name>/`, if the site has one that may be read. `theme:` is
/// a name, never a path: `/etc`, `/` or `../../x` would read (and publish) files from anywhere.
fn site_theme_dir(site: &Site, reader: &SiteFs, diags: &mut Diagnostics) -> Option<PathBuf> {
    let name = &site.config.theme;
    let source = || crate::content::source_of(&site.config_file);
    if !is_safe_id(&name.value) {
        diags.push(
            Diagnostic::error("E-theme", &site.config_file, position(name), format!("`theme: {}` is not a theme name", name.value))
                .with_source(&source())
                .help("a theme is a folder themes/<name>/ inside the site: write only its name (a-z, 0-9 and -), e.g. `theme: default`")
                .zh(
                    format!("`theme: {}` 不是有效的主题名称", name.value),
                    Some("主题是站点内的 themes/<名称>/ 文件夹：只写名称（a-z、0-9 和 -），例如 `theme: default`".to_owned()),
                ),
        );
        return None;
    }
    let (dir, found) = reader.top(&["themes", &name.value]);
    let skipped = match found {
        Found::Dir => return Some(dir),
        Found::Refused(d) => {
            diags.push(d);
            return None;
        }
        Found::Skipped(d) => {
            diags.push(d);
            true
        }
        Found::Missing | Found::File => false,
    };
    // The default theme is embedded: its folder only holds overrides.
    if name.value != "default" {
        let rel = format!("themes/{}", name.value);
        let (message, zh) = if skipped {
            (
                format!("theme `{}`: {rel} is skipped (see the warning on it)", name.value),
                format!("主题 `{}`：已跳过 {rel}（见关于它的警告）", name.value),
            )
        } else {
            (
                format!("theme `{}` not found: there is no folder {rel}", name.value),
                format!("找不到主题 `{}`：没有 {rel} 文件夹", name.value),
            )
        };
        diags.push(
            Diagnostic::error("E-theme", &site.config_file, position(name), message)
                .with_source(&source())
                .help("set `theme: default` or create the folder; a theme only needs the files it changes")
                .zh(zh, Some("请设置 `theme: default` 或创建该文件夹；主题只需包含它要修改的文件".to_owned())),
        );
    }
    None
}

impl Theme {
    /// Every language gets every UI string: a missing one falls back to the default language's
    /// (then English's) and is reported, so a third language can start with a partial file.
    fn fill_missing_strings(&mut self, site: &Site, diags: &mut Diagnostics) {
        let default = site.default_language();
        let base = self.strings.get(default).or_else(|| self.strings.get("en")).cloned().unwrap_or_default();
        for lang in site.language_codes() {
            let file = site.root.join("themes").join(&site.config.theme.value).join("i18n").join(format!("{lang}.yaml"));
            let strings = self.strings.entry(lang.to_owned()).or_default();
            let missing: Vec<&String> = base.keys().filter(|k| !strings.contains_key(*k)).collect();
            if !missing.is_empty() {
                let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                diags.push(
                    Diagnostic::warning(
                        "W-translation",
                        &file,
                        Position::file(),
                        format!("{} interface strings have no `{lang}` translation: {}", list.len(), list.join(", ")),
                    )
                    .help(format!(
                        "add them to themes/{}/i18n/{lang}.yaml; until then the {default} strings are shown",
                        site.config.theme.value
                    ))
                    .zh(
                        format!("有 {} 条界面文字缺少 `{lang}` 译文：{}", list.len(), list.join("、")),
                        Some(format!("请把它们加到 themes/{}/i18n/{lang}.yaml；补上之前显示 {default} 文字", site.config.theme.value)),
                    ),
                );
                for key in missing {
                    strings.insert(key.clone(), base[key].clone());
                }
            }
        }
    }

    /// One Tera instance for the whole build, with the localised filters registered.
    pub fn tera(&self, formats: &BTreeMap<String, Formats>, diags: &mut Diagnostics) -> Option<Tera> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let formats = Arc::new(formats.clone());
        register_filters(&mut tera, &formats);
        super::booklet::register_filters(&mut tera);
        super::charts::register_filters(&mut tera);
        let compact: Vec<(&str, String)> = self
            .templates
            .iter()
            .map(|(name, (_, text))| (name.as_str(), if name.ends_with(".html") { dedent(text) } else { text.clone() }))
            .collect();
        if let Err(err) = tera.add_raw_templates(compact.iter().map(|(name, text)| (*name, text.as_str()))) {
            diags.push(
                Diagnostic::error("E-template", Path::new("themes"), Position::file(), format!("template error:\n{err}"))
                    .help("fix the template named in the message (a site's own templates live in themes/<name>/templates/)")
                    .zh(
                        format!("模板有误（原文：{err}）"),
                        Some("请修改信息中指出的模板（站点自己的模板在 themes/<名称>/templates/ 中）".to_owned()),
                    ),
            );
            return None;
        }
        Some(tera)
    }
}

/// Tera's escaping (the same five characters: `&<>"'`), written a run at a time: Tera's own
/// writes each byte through a `dyn Write` call, which was a tenth of a large build.
/// Text or a double-quoted attribute value written by Rust rather than a template (the charts'
/// SVG, the in-page contents): `& < > "` escaped, as their output has always been.
pub(crate) fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

fn formats_for<'a>(formats: &'a BTreeMap<String, Formats>, state: &State) -> tera::TeraResult<&'a Formats> {
    let lang: String = state.get("lang_code")?.unwrap_or_default();
    formats.get(&lang).ok_or_else(|| tera::Error::message(format!("no formats for language `{lang}`")))
}

/// The `lang_attrs` filter: the attributes of a `LangMark`, escaped (the tags come from the
/// site's config, but a filter marked safe should not rely on that).
fn lang_attrs(mark: &tera::Value) -> tera::Value {
    let field = |name| mark.get_from_path(name).and_then(|v| v.as_str().map(str::to_owned));
    let (Some(lang), Some(dir)) = (field("lang"), field("dir")) else { return tera::Value::safe_string("") };
    let mut out = Vec::new();
    for (name, value) in [("lang", lang), ("dir", dir)] {
        out.extend_from_slice(format!(" {name}=\"").as_bytes());
        // Writing to a Vec cannot fail.
        let _ = escape_html(&value, &mut out);
        out.push(b'"');
    }
    tera::Value::safe_string(&String::from_utf8_lossy(&out))
}

fn register_filters(tera: &mut Tera, formats: &Arc<BTreeMap<String, Formats>>) {
    // Tera's own `replace`, with a SIMD search and no copy when there is nothing to replace (the
    // booklets demote the headings of every body with a chain of six).
    tera.register_filter("replace", |val: StringInput, kwargs: Kwargs, state: &State| -> tera::TeraResult<tera::Value> {
        let from = kwargs.must_get::<&str>("from")?;
        let to = kwargs.must_get::<StringInput>("to")?;
        if state.autoescaping_enabled() && (val.is_safe() || to.is_safe()) {
            let rendered = val.rendered(state)?;
            let to = to.rendered(state)?;
            Ok(tera::Value::safe_string(&replace_all(&rendered, from, &to).unwrap_or_else(|| rendered.into_owned())))
        } else {
            Ok(match replace_all(val.as_str(), from, to.as_str()) {
                Some(out) => tera::Value::from(out),
                // Unsafe (or not autoescaping): the result is a plain string, like the input.
                None if !val.is_safe() => val.into_value(),
                None => tera::Value::from(val.as_str()),
            })
        }
    });
    // Headings one level down, for a body placed under a page's own headings (the booklets).
    tera.register_filter("demote_headings", |val: StringInput, _: Kwargs, _: &State| -> tera::Value {
        match demote_headings(val.as_str()) {
            Some(out) => val.inherit_safety(out),
            None => val.into_value(),
        }
    });
    // ` lang=".." dir=".."` for a text that fell back to another language (a view's `LangMark`),
    // nothing for one in the page's: `<p{{ x.mark | lang_attrs }}>` keeps templates readable.
    tera.register_filter("lang_attrs", |val: tera::Value, _: Kwargs, _: &State| -> tera::Value { lang_attrs(&val) });
    let f = formats.clone();
    tera.register_filter("date", move |value: String, _: Kwargs, state: &State| -> tera::TeraResult<String> {
        Ok(formats_for(&f, state)?.date(&value))
    });
    let f = formats.clone();
    tera.register_filter("number", move |value: f64, _: Kwargs, state: &State| -> tera::TeraResult<String> {
        Ok(formats_for(&f, state)?.number(value))
    });
    let f = formats.clone();
    tera.register_filter("money", move |value: f64, _: Kwargs, state: &State| -> tera::TeraResult<String> {
        Ok(formats_for(&f, state)?.money(value))
    });
    let f = formats.clone();
    tera.register_filter("measure", move |value: f64, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let kind: String = kwargs.get("kind")?.unwrap_or_else(|| "count".to_owned());
        let unit: String = kwargs.get("unit")?.unwrap_or_default();
        Ok(formats_for(&f, state)?.measure_named(value, &kind, &unit))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_tera_does() {
        for text in ["", "plain", "a & b <c> \"d\" 'e'", "知识产权 & “援疆”", "<<&&>>", "end&"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap(), "{text}");
        }
    }

    #[test]
    fn lang_attrs_prints_a_mark_and_nothing_for_none() {
        let mark = tera::Value::from_serializable(&serde_json::json!({"lang": "zh-Hans", "dir": "ltr"}));
        assert_eq!(lang_attrs(&mark).as_str(), Some(" lang=\"zh-Hans\" dir=\"ltr\""));
        let odd = tera::Value::from_serializable(&serde_json::json!({"lang": "x\"y", "dir": "rtl"}));
        assert_eq!(lang_attrs(&odd).as_str(), Some(" lang=\"x&quot;y\" dir=\"rtl\""));
        assert_eq!(lang_attrs(&tera::Value::none()).as_str(), Some(""));
    }
}

/// An HTML template without the indentation of its lines: the markup a
/// template indents for its reader is most of the whitespace of a page, and a browser reads a line
/// break alone as it reads a line break and spaces. Done once when the theme loads, it spares
/// minifying every page (see `output::minify`). Lines inside `<pre>` and `<textarea>`, where
/// spaces show, are kept as written; line numbers stay, so Tera's errors point at the source line.
pub fn dedent(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut verbatim = false;
    for line in template.split_inclusive('\n') {
        let kept = if verbatim { line } else { line.trim_start_matches([' ', '\t']) };
        // A blank line keeps its line break, so that line numbers stay the source's.
        out.push_str(kept);
        let lower = line.to_ascii_lowercase();
        let opens = lower.rfind("<pre").max(lower.rfind("<textarea"));
        let closes = lower.rfind("</pre").max(lower.rfind("</textarea"));
        verbatim = match (opens, closes) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => verbatim,
        };
    }
    out
}

#[cfg(test)]
mod dedent_tests {
    use super::dedent;

    #[test]
    fn indentation_goes_line_numbers_and_preformatted_text_stay() {
        let src = "<ul>\n    <li>a</li>\n\n  <pre>  x\n    y</pre>\n    <p>z</p>\n";
        assert_eq!(dedent(src), "<ul>\n<li>a</li>\n\n<pre>  x\n    y</pre>\n<p>z</p>\n");
        assert_eq!(dedent(src).lines().count(), src.lines().count());
        assert_eq!(dedent("\t<TEXTAREA>\n  a\n  </textarea>\n  b"), "<TEXTAREA>\n  a\n  </textarea>\nb");
    }
}
