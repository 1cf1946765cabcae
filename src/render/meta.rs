//! Sharing and search-engine metadata: Open Graph locales, JSON-LD (`GovernmentOrganization` for
//! the home pages of an official site, `WebSite` for others, `Report` for the booklets) and the Atom feed of the results.

use serde_json::{json, Value};

use std::collections::BTreeMap;

use super::shared::t;
use super::views::ResultView;
use crate::model::Site;
use crate::routes;

/// `title` with its year, in the words of the language (`title_with_year`): what titles of
/// tasks and results carry wherever two years' pages could share one (page titles, search
/// entries, feed entries).
pub fn with_year(strings: &BTreeMap<String, String>, title: &str, year: u32) -> String {
    t(strings, "title_with_year").replace("{title}", title).replace("{year}", &year.to_string())
}

/// A string of `strings` with `{year}` filled in.
pub fn year_string(strings: &BTreeMap<String, String>, key: &str, year: u32) -> String {
    t(strings, key).replace("{year}", &year.to_string())
}

/// The Open Graph locale (`language_TERRITORY`) of a BCP 47 language tag: the region subtag if
/// there is one, else the usual territory of the language (`zh-Hans` → `zh_CN`, `zh-Hant` →
/// `zh_TW`, `en` → `en_US`), else the language alone.
pub fn og_locale(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or_default().to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest
        .iter()
        .find(|p| (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic())) || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit())));
    if let Some(r) = region {
        return format!("{lang}_{}", r.to_ascii_uppercase());
    }
    let script = rest.iter().find(|p| p.len() == 4).map(|s| s.to_ascii_lowercase());
    let territory = match (lang.as_str(), script.as_deref()) {
        ("zh", Some("hant")) => "TW",
        ("zh" | "ug" | "bo" | "ii", _) => "CN",
        ("en", _) => "US",
        ("kk", _) => "KZ",
        ("ky", _) => "KG",
        ("ru", _) => "RU",
        ("fr", _) => "FR",
        ("de", _) => "DE",
        ("ja", _) => "JP",
        ("ko", _) => "KR",
        ("ar", _) => "SA",
        _ => "",
    };
    if territory.is_empty() {
        lang
    } else {
        format!("{lang}_{territory}")
    }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are escaped so the text
/// can never close the script element.
pub fn script_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// `GovernmentOrganization` for a language's home page: the organisation's name in that language,
/// its names in the others as `alternateName`.
pub fn organisation(name: &str, other_names: &[String], home_url: &str, base_url: &str, description: &str) -> String {
    let mut org = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "@id": format!("{base_url}#organisation"),
        "name": name,
        "url": home_url,
    });
    let others: Vec<&String> = other_names.iter().filter(|n| n.as_str() != name && !n.is_empty()).collect();
    if !others.is_empty() {
        org["alternateName"] = json!(others);
    }
    if !description.is_empty() {
        org["description"] = json!(description);
    }
    script_json(&org)
}

/// `WebSite` for a language's home page on a site that is not the organisation's own: its title,
/// and as publisher the sponsor of `identity:` when there is one (never the organisation).
pub fn website(title: &str, home_url: &str, description: &str, publisher: &str) -> String {
    let mut site = json!({"@context": "https://schema.org", "@type": "WebSite", "name": title, "url": home_url});
    if !description.is_empty() {
        site["description"] = json!(description);
    }
    if !publisher.is_empty() {
        site["publisher"] = json!({"@type": "Organization", "name": publisher});
    }
    script_json(&site)
}

/// `Report` for a booklet: its title, language(s), URL, publication date and publisher.
/// The publisher is the organisation of the site's `GovernmentOrganization` only on its official
/// site; elsewhere a plain `Organization` (the issuer of the document, not of the site).
pub fn report(title: &str, in_language: &[&str], url: &str, date: &str, publisher: &str, base_url: &str, official: bool) -> String {
    let publisher = if official {
        json!({"@type": "GovernmentOrganization", "@id": format!("{base_url}#organisation"), "name": publisher})
    } else {
        json!({"@type": "Organization", "name": publisher})
    };
    let mut report = json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "name": title,
        "url": url,
        "inLanguage": if in_language.len() == 1 { json!(in_language[0]) } else { json!(in_language) },
        "publisher": publisher,
    });
    if !date.is_empty() {
        report["datePublished"] = json!(date);
    }
    script_json(&report)
}

/// `2011-07-12` → `2011-07-12T00:00:00Z` (Atom wants a full RFC 3339 date-time).
pub fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.to_owned()
    }
}

/// The plain text of an HTML fragment, whitespace collapsed, at most `limit` characters
/// (cut at a character boundary, with `…`).
pub fn plain_text(html: &str, limit: usize) -> String {
    // Read only as far as the summary needs: a feed summarises every result.
    match super::html_text::fragment_text(html, limit) {
        Ok(text) => text,
        Err(longer) => format!("{}…", longer.chars().take(limit).collect::<String>().trim_end()),
    }
}

/// The entries of a language's feed: the newest `limit` results (all without one), newest first.
pub fn feed_entries(
    site: &Site,
    lang: &str,
    results: &[&ResultView],
    strings: &BTreeMap<String, String>,
    base_url: &str,
    limit: Option<usize>,
) -> Vec<Value> {
    let mut sorted: Vec<&&ResultView> = results.iter().collect();
    sorted.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    sorted
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .map(|r| {
            json!({
                "id": routes::absolute(base_url, &r.url),
                "link": routes::absolute(base_url, &r.url),
                "title": with_year(strings, &r.title, r.year),
                "updated": rfc3339(&r.date),
                "published": rfc3339(&r.date),
                "summary": r.feed_summary(site, lang),
                "illustrative": r.illustrative,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("zh-Hant-HK"), "zh_HK");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("ug"), "ug_CN");
        assert_eq!(og_locale("es-419"), "es_419");
        assert_eq!(og_locale("xx"), "xx");
    }

    #[test]
    fn json_ld_cannot_close_the_script() {
        let s = script_json(&json!({"name": "</script><b>&"}));
        assert!(!s.contains('<') && !s.contains('&'), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><b>&");
    }

    #[test]
    fn plain_text_of_html() {
        assert_eq!(plain_text("<p>a <b>b</b></p>\n<p>c &amp; d</p>", 100), "a b c & d");
        assert_eq!(plain_text("<p>加强<strong>知识</strong>产权</p>", 100), "加强知识产权");
        assert_eq!(plain_text("<p>一二三四五</p>", 3), "一二三…");
    }
}
