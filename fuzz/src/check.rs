//! The "no script in the output" property, shared by the fuzz targets and the property test
//! (tests/hostile/prop.rs includes this file by path).
//!
//! Files are parsed, not grepped: an HTML parser decodes entities and folds case exactly as a
//! browser does, so `&#106;avascript:` or `ONCLICK` cannot slip past, and harmless text that
//! merely mentions `javascript:` does not raise a false alarm.

use scraper::{ElementRef, Html};

/// Script files the theme ships (file stems under themes/default/static/); a `<script src>` may
/// only load one of these.
const THEME_SCRIPTS: &[&str] = &["search", "site"];

/// The inline scripts the theme writes (themes/default/templates/base.html: the `js` class and the
/// remembered reading modes before the first paint; the stylesheet's reload without its integrity
/// check when a page is opened from disk). Any other came from content.
const THEME_INLINE_SCRIPTS: &[&str] = &["(function(d){d.classList.add('js');try{for(const k of['text','contrast']){const v=localStorage.getItem('planpress-'+k);if(v)d.setAttribute('data-'+k,v)}}catch(e){}})(document.documentElement)", "if(location.protocol==='file:')for(const l of document.querySelectorAll('link[integrity][rel=stylesheet]')){const c=l.cloneNode();c.removeAttribute('integrity');l.after(c)}"];

/// Attributes whose value a browser treats as a URL (HTML, SVG and MathML).
const URL_ATTRIBUTES: &str = "href src action formaction poster data cite background ping lowsrc dynsrc manifest codebase \
    longdesc usemap icon profile archive classid xlink:href srcset imagesrcset";

/// Elements that embed another document or change every URL of the page; the theme uses none.
const FOREIGN_ELEMENTS: &[&str] = &["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"];

/// Whether a browser would run `url` as script: `javascript:` (and its old aliases),
/// `vbscript:`, or a `data:` URL that is not a raster image. `url` is an attribute value as a
/// parser gives it (entities decoded); the browser's own clean-up is applied here: leading and
/// trailing controls and spaces are dropped, tabs and newlines anywhere are ignored, case folds.
pub fn is_script_url(url: &str) -> bool {
    let cleaned: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect::<String>().to_ascii_lowercase();
    let Some((scheme, rest)) = cleaned.split_once(':') else { return false };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return false;
    }
    match scheme {
        "javascript" | "vbscript" | "livescript" | "mocha" => true,
        "data" => !["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"].iter().any(|t| rest.starts_with(t)),
        _ => false,
    }
}

/// Every rule an output file breaks, one line each, naming the file. Files that are neither
/// markup nor JSON (CSS, JS, images) come from the theme and are not checked.
pub fn check_file(path: &str, bytes: &[u8]) -> Vec<String> {
    let ext = path.rsplit('.').next().unwrap_or_default();
    let problems = match ext {
        "html" | "htm" | "xml" | "svg" | "json" => match std::str::from_utf8(bytes) {
            Ok(text) => match ext {
                "html" | "htm" => check_html(&Html::parse_document(text)),
                "json" => check_json(text),
                _ => check_xml(text),
            },
            Err(e) => vec![format!("not UTF-8: {e}")],
        },
        _ => Vec::new(),
    };
    problems.into_iter().map(|p| format!("{path}: {p}")).collect()
}

/// The rules for a piece of HTML such as rendered Markdown.
pub fn check_html_fragment(html: &str) -> Vec<String> {
    check_html(&Html::parse_fragment(html))
}

fn check_html(doc: &Html) -> Vec<String> {
    let mut problems = Vec::new();
    for node in doc.tree.nodes() {
        if let Some(element) = ElementRef::wrap(node) {
            check_element(element, &mut problems);
        }
    }
    problems
}

fn check_element(element: ElementRef, problems: &mut Vec<String>) {
    let name = element.value().name();
    if name == "script" {
        check_script(element, problems);
    }
    if FOREIGN_ELEMENTS.contains(&name) {
        problems.push(format!("<{name}> element"));
    }
    for (attr, value) in element.value().attrs() {
        let attr = attr.to_ascii_lowercase();
        check_attribute(name, &attr, value, problems);
    }
    let is_refresh = element.value().attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
    if let (true, Some(content)) = (is_refresh, element.value().attr("content")) {
        let target = content.to_ascii_lowercase().find("url=").map_or("", |i| &content[i + 4..]);
        if is_script_url(target.trim_matches(|c| c == '\'' || c == '"')) {
            problems.push(format!("<meta refresh> to a script URL: {content:?}"));
        }
    }
}

fn check_attribute(element: &str, attr: &str, value: &str, problems: &mut Vec<String>) {
    if attr.starts_with("on") {
        problems.push(format!("event-handler attribute <{element} {attr}={value:?}>"));
    }
    if URL_ATTRIBUTES.split_whitespace().any(|a| a == attr) {
        let urls: Vec<&str> = if attr.ends_with("srcset") {
            value.split(',').map(|c| c.split_whitespace().next().unwrap_or_default()).collect()
        } else {
            vec![value]
        };
        if urls.iter().any(|u| is_script_url(u)) {
            problems.push(format!("script URL <{element} {attr}={value:?}>"));
        }
    }
    if attr == "style" {
        let lower = value.to_ascii_lowercase();
        if lower.contains("javascript:") || lower.contains("expression(") {
            problems.push(format!("script in a style attribute: {value:?}"));
        }
    }
}

/// A `<script>` is the theme's: either `src` naming one of its script files (and no inline
/// text), or JSON-LD whose text is one JSON value (so nothing broke out of it).
fn check_script(element: ElementRef, problems: &mut Vec<String>) {
    let text: String = element.text().collect();
    match (element.value().attr("src"), element.value().attr("type")) {
        (Some(src), _) => {
            let file = src.rsplit('/').next().unwrap_or_default();
            let ours = !src.contains(':') && file.ends_with(".js") && THEME_SCRIPTS.iter().any(|s| file.starts_with(&format!("{s}.")));
            if !ours || !text.trim().is_empty() {
                problems.push(format!("<script src={src:?}> is not a theme script"));
            }
        }
        (None, Some(t)) if t.eq_ignore_ascii_case("application/ld+json") => {
            if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                problems.push(format!("JSON-LD <script> is not one JSON value: {text:?}"));
            } else {
                problems.extend(check_json(&text));
            }
        }
        (None, None) if THEME_INLINE_SCRIPTS.contains(&text.as_str()) => {}
        _ => problems.push(format!("inline <script>: {text:?}")),
    }
}

/// Atom feeds, the sitemap and SVG: well-formed, no script element or handler, no script URL,
/// and HTML carried as text (Atom `type="html"`) obeys the HTML rules.
fn check_xml(text: &str) -> Vec<String> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not well-formed XML: {e}")],
    };
    let mut problems = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name == "script" || FOREIGN_ELEMENTS.contains(&name) {
            problems.push(format!("<{name}> element"));
        }
        for attr in node.attributes() {
            check_attribute(name, &attr.name().to_ascii_lowercase(), attr.value(), &mut problems);
        }
        if node.attribute("type").is_some_and(|t| t == "html" || t == "xhtml") {
            let inner: String = node.descendants().filter_map(|n| n.text()).collect();
            problems.extend(check_html_fragment(&inner).into_iter().map(|p| format!("in <{name} type=html>: {p}")));
        }
    }
    problems
}

/// Keys whose string values are URLs: the search index's `u`, and JSON-LD's links.
fn is_url_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(key.as_str(), "u" | "@id" | "sameas" | "image" | "logo" | "href" | "src") || key.ends_with("url")
}

/// JSON files (the search index) and JSON-LD: valid, and no URL in them is a script URL. Text
/// values are not judged: the search page shows them with `textContent`, never as markup.
fn check_json(text: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, url: bool, problems: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if url && is_script_url(s) => problems.push(format!("script URL in JSON: {s:?}")),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, url, problems)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, is_url_key(k), problems)),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => {
            let mut problems = Vec::new();
            walk(&value, false, &mut problems);
            problems
        }
        Err(e) => vec![format!("not valid JSON: {e}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls() {
        for bad in ["javascript:x", " JaVaScRiPt:x", "java\tscript:x", "\u{1}vbscript:x", "data:text/html,<b>", "DATA:image/svg+xml,<svg>"]
        {
            assert!(is_script_url(bad), "{bad:?}");
        }
        for good in ["https://a/javascript:x", "../x", "mailto:a@b", "data:image/png;base64,AA", "#javascript:x", "x?javascript:"] {
            assert!(!is_script_url(good), "{good:?}");
        }
    }

    #[test]
    fn html_rules() {
        assert!(check_html_fragment("<p>javascript:alert(1) onclick=x</p>").is_empty());
        assert_eq!(check_html_fragment(r#"<h1 ONFOCUS="x">a</h1>"#).len(), 1);
        assert_eq!(check_html_fragment(r#"<a href="&#106;avascript:x">a</a>"#).len(), 1);
        assert_eq!(check_html_fragment("<script>alert(1)</script>").len(), 1);
        assert!(check_html_fragment(r#"<script type="application/ld+json">{"a":"\u003c/script\u003e"}</script>"#).is_empty());
    }

    #[test]
    fn json_urls_but_not_json_text() {
        assert!(check_json(r#"{"docs": [{"u": "zh/", "t": "javascript:alert(1)"}]}"#).is_empty());
        assert_eq!(check_json(r#"{"docs": [{"u": " javascript:alert(1)"}]}"#).len(), 1);
        assert_eq!(check_json(r#"{"sameAs": ["https://a/", "vbscript:x"]}"#).len(), 1);
        assert_eq!(check_json("{").len(), 1);
    }
}
