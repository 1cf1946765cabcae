//! Who runs the site (`identity:` of site.yaml) as the templates see it: the "not the official
//! site" notice, the footer's sponsor, operator, contact and record numbers with their links, and
//! the publisher that metadata may name.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::shared::t;
use super::views;
use crate::model::{Site, Text};

/// The Ministry of Industry and Information Technology's ICP record search.
const ICP_RECORD_URL: &str = "https://beian.miit.gov.cn/";
/// The Ministry of Public Security's record search, with the record's code appended.
const POLICE_RECORD_URL: &str = "https://beian.mps.gov.cn/#/query/webSearch?code=";

/// The publisher that pages and metadata may name in `lang`: the sponsor, else on the official
/// site the organisation; empty on an unofficial site without a sponsor.
pub fn publisher(site: &Site, lang: &str) -> String {
    let id = &site.config.identity;
    let text = |t: &Text| views::localised_string(t, lang, site.default_language());
    match &id.sponsor {
        Some(sponsor) => text(sponsor),
        None if id.official => text(&site.config.organisation),
        None => String::new(),
    }
}

/// `identity` of every page's context (documented in docs/templates.md).
pub fn context(site: &Site, lang: &str, strings: &BTreeMap<String, String>) -> Value {
    let id = &site.config.identity;
    let field = |t: Option<&Text>| match t {
        Some(t) => {
            let (s, mark) = views::marked_string(site, t, lang);
            json!({"text": s, "mark": mark})
        }
        None => Value::Null,
    };
    let (organisation, organisation_mark) = views::marked_string(site, &site.config.organisation, lang);
    let notice = if id.official { String::new() } else { t(strings, "unofficial_notice").replace("{organisation}", &organisation) };
    // The notice around the organisation's name, so the name carries its language mark.
    let template = t(strings, "unofficial_notice");
    let (before, after) = template.split_once("{organisation}").unwrap_or((template, ""));
    // The official site without a sponsor of its own is sponsored by the organisation.
    let sponsor = match (&id.sponsor, id.official) {
        (None, true) => field(Some(&site.config.organisation)),
        (sponsor, _) => field(sponsor.as_ref()),
    };
    let string = |s: &Option<serde_saphyr::Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    json!({
        "official": id.official,
        "notice": notice,
        "notice_parts": {"before": before, "after": after, "organisation": organisation, "mark": organisation_mark},
        "sponsor": sponsor,
        "operator": field(id.operator.as_ref()),
        "address": field(id.address.as_ref()),
        "phone": string(&id.phone),
        "phone_url": id.phone.as_ref().map(|p| format!("tel:{}", p.value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())),
        "email": string(&id.email),
        "email_url": id.email.as_ref().map(|e| format!("mailto:{}", e.value)),
        "site_code": string(&id.site_code),
        "icp": string(&id.icp),
        "icp_url": id.icp.as_ref().map(|_| ICP_RECORD_URL),
        "police_record": id.police_record.as_ref().map(|r| json!({"text": r.text.value, "url": format!("{POLICE_RECORD_URL}{}", r.code.value)})),
        // Judged by the URL policy at validation; a refused one is not linked.
        "report_error_url": id.report_error.as_ref().map(|u| u.value.clone()).filter(|u| crate::url_policy::permitted(u)),
    })
}
