//! Static assets: the theme's `static/` files with the site's own `static/` over them (both read
//! with the theme). CSS and JavaScript are fingerprinted by content hash
//! (`static/style.3f9a1c2b.css`) and carry a Subresource Integrity hash; their unhashed names are
//! not written. Templates reach every asset through the `assets` map of their context:
//! `{{ root }}{{ assets["style.css"].url }}` and `integrity="{{ assets["style.css"].integrity }}"`
//! (empty for files that are not fingerprinted).

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384};

use super::OutputFile;
use crate::diagnostics::Diagnostics;
use crate::routes::Route;
use crate::sitefs::{Found, SiteFs};

/// Extensions whose files get a content hash in their name and an integrity hash.
const FINGERPRINTED: [&str; 3] = ["css", "js", "mjs"];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Asset {
    /// Root-relative, e.g. `static/style.3f9a1c2b.css`: write it as `{{ root }}{{ asset.url }}`.
    pub url: String,
    /// `sha384-…` for fingerprinted files, empty otherwise.
    pub integrity: String,
}

#[derive(Debug, Default)]
pub struct Assets {
    /// Name under `static/` (`style.css`, `img/logo.svg`) → where it is written.
    pub map: BTreeMap<String, Asset>,
    /// The files to write, at their (possibly fingerprinted) paths.
    pub files: Vec<OutputFile>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha384-<base64>` as used by the `integrity` attribute.
pub fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// `style.css` + bytes → `style.3f9a1c2b.css` (the first 8 hex digits of the SHA-256).
pub fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let hash = hex(&Sha256::digest(bytes)[..4]);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

fn is_fingerprinted(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| FINGERPRINTED.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The site's own `static/` folder, by path under it, read by the site's file policy (no file
/// from outside the site, nothing but regular files). [`super::theme::load`] lays it over the
/// theme's static files.
pub fn read_site_static(reader: &SiteFs, diags: &mut Diagnostics) -> BTreeMap<String, Vec<u8>> {
    let (dir, found) = reader.top(&["static"]);
    match found {
        Found::Dir => reader.read_tree(&dir, diags).into_iter().map(|(rel, _, bytes)| (rel, bytes)).collect(),
        Found::Skipped(d) | Found::Refused(d) => {
            diags.push(d);
            BTreeMap::new()
        }
        Found::Missing | Found::File => BTreeMap::new(),
    }
}

pub fn build(statics: &BTreeMap<String, Vec<u8>>) -> Assets {
    let mut assets = Assets::default();
    for (name, bytes) in statics {
        let minified;
        let bytes = if name.to_ascii_lowercase().ends_with(".css") {
            minified = minify_css(bytes);
            &minified
        } else {
            bytes
        };
        let (route, integrity) = if is_fingerprinted(name) {
            (Route::asset(&fingerprinted_name(name, bytes)), integrity(bytes))
        } else {
            (Route::asset(name), String::new())
        };
        assets.files.push(OutputFile { path: route.output_path(), bytes: bytes.clone(), is_html: false });
        assets.map.insert(name.clone(), Asset { url: route.into_url(), integrity });
    }
    assets
}

/// A stylesheet minified by the minifier the HTML goes through (minify-html minifies a `<style>`
/// with lightningcss, which it already brings: no new dependency, and a stylesheet costs one
/// parse per build). Comments and white space go; what lightningcss cannot parse, or a sheet that
/// would end the `<style>` early, is kept as written. JavaScript is not minified: see
/// `output/minify.rs` (the Rust minifiers break real scripts).
fn minify_css(css: &[u8]) -> Vec<u8> {
    if std::str::from_utf8(css).is_err() || css.windows(7).any(|w| w.eq_ignore_ascii_case(b"</style")) {
        return css.to_vec();
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let mut wrapped = Vec::with_capacity(css.len() + 15);
    wrapped.extend_from_slice(b"<style>");
    wrapped.extend_from_slice(css);
    wrapped.extend_from_slice(b"</style>");
    let out = minify_html::minify(&wrapped, &cfg);
    match out.strip_prefix(b"<style>").and_then(|o| o.strip_suffix(b"</style>")) {
        Some(min) if min.len() < css.len() => min.to_vec(),
        _ => css.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_are_minified() {
        let css = b"/* a comment */\n:root {\n  --accent: #0b4a8b;\n}\n@media (prefers-color-scheme: dark) {\n  :root { --accent: #8ab8f0; }\n}\n";
        let min = String::from_utf8(minify_css(css)).unwrap();
        assert_eq!(min, ":root{--accent:#0b4a8b}@media (prefers-color-scheme:dark){:root{--accent:#8ab8f0}}");
        assert_eq!(minify_css(b"a{content:\"</style>\"}"), b"a{content:\"</style>\"}", "kept as written");
        assert_eq!(minify_css(b"}}} not css {{{"), b"}}} not css {{{");
    }

    #[test]
    fn fingerprints_css_and_js_only() {
        let mut statics = BTreeMap::new();
        // Already minified: the integrity is that of these bytes.
        statics.insert("style.css".to_owned(), b"body{color:red}".to_vec());
        statics.insert("js/search.js".to_owned(), b"1".to_vec());
        statics.insert("favicon.svg".to_owned(), b"<svg/>".to_vec());
        let assets = build(&statics);
        let css = &assets.map["style.css"];
        assert!(css.url.starts_with("static/style.") && css.url.ends_with(".css") && css.url.len() == "static/style.12345678.css".len());
        // echo -n 'body{color:red}' | openssl dgst -sha384 -binary | base64
        assert_eq!(css.integrity, "sha384-8U9HYzsHbf55cFZyiWIE29+QPYQ9WO+U5uT/ViFw0TOwM2Fbbb74ZegzRV/nvwrD");
        assert!(assets.map["js/search.js"].url.starts_with("static/js/search."));
        assert_eq!(assets.map["favicon.svg"], Asset { url: "static/favicon.svg".to_owned(), integrity: String::new() });
        assert!(!assets.files.iter().any(|f| f.path == "static/style.css"), "unhashed name not written");
    }

    #[test]
    fn names_without_extension() {
        assert_eq!(fingerprinted_name("LICENSE", b"x").len(), "LICENSE.".len() + 8);
        assert!(fingerprinted_name("a.b.css", b"x").starts_with("a.b."));
    }
}
