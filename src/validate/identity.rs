//! The checks of `identity:` in content/site.yaml: the formats of the identifiers a Chinese
//! government site shows in its footer, and its URLs by the one URL policy.

use serde_saphyr::Spanned;

use super::{position, Term, Validator};
use crate::diagnostics::Diagnostic;

impl Validator<'_> {
    pub(super) fn identity(&mut self) {
        let id = &self.site.config.identity;
        let file = self.site.config_file.clone();
        for (text, term) in [(&id.sponsor, Term::Sponsor), (&id.operator, Term::Operator), (&id.address, Term::Address)] {
            if let Some(text) = text {
                self.text(text, &file, term);
            }
        }
        if let Some(code) = &id.site_code {
            self.identifier(
                code,
                is_site_code(&code.value),
                ("site_code (网站标识码)", "网站标识码"),
                (
                    "ten digits, e.g. 6500000001, or bm and eight digits for a central body",
                    "10 位数字，例如 6500000001；中央部门为 bm 加 8 位数字",
                ),
            );
        }
        if let Some(icp) = &id.icp {
            self.identifier(
                icp,
                is_icp(&icp.value),
                ("icp (ICP备案号)", "ICP 备案号"),
                ("the number as issued, e.g. 新ICP备05001234号-1", "按备案通知照写，例如 新ICP备05001234号-1"),
            );
        }
        if let Some(record) = &id.police_record {
            let code = &record.code;
            self.identifier(
                code,
                is_police_code(&code.value),
                ("police_record.code (公安机关备案号)", "公安机关备案编号"),
                ("the record's 14 digits, in quotes, e.g. \"65010202000123\"", "备案号中的 14 位数字，加引号，例如 \"65010202000123\""),
            );
            if is_police_code(&code.value) && !record.text.value.contains(code.value.as_str()) {
                self.identifier(
                    &record.text,
                    false,
                    ("police_record.text", "公安机关备案号文字"),
                    (
                        "the record as shown, containing its code, e.g. 新公网安备 65010202000123号",
                        "照写备案号，须包含上面的编号，例如 新公网安备 65010202000123号",
                    ),
                );
            }
        }
        if let Some(phone) = &id.phone {
            self.identifier(
                phone,
                is_phone(&phone.value),
                ("phone", "联系电话"),
                ("digits with spaces, +, - or parentheses, e.g. 0991-1234567", "数字，可含空格、+、- 或括号，例如 0991-1234567"),
            );
        }
        if let Some(email) = &id.email {
            self.identifier(
                email,
                is_email(&email.value),
                ("email", "电子邮箱"),
                ("an address such as office@example.org", "例如 office@example.org"),
            );
        }
        if let Some(url) = &id.report_error {
            self.url(url, &file);
        }
    }

    /// An error at `value` unless `ok`: `what` names the field, `form` says what it should be
    /// (each in English and Chinese).
    fn identifier(&mut self, value: &Spanned<String>, ok: bool, what: (&str, &str), form: (&str, &str)) {
        if ok {
            return;
        }
        let file = &self.site.config_file;
        let shown = &value.value;
        self.push(
            Diagnostic::error("E-identity", file, position(value), format!("{} `{shown}` is not in the usual form", what.0))
                .help(format!("write {}", form.0))
                .zh(format!("{} `{shown}` 格式不对", what.1), Some(format!("应写为{}", form.1))),
        );
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// 网站标识码: ten digits, or `bm` and eight digits.
pub(crate) fn is_site_code(s: &str) -> bool {
    digits(s, 10) || s.strip_prefix("bm").is_some_and(|rest| digits(rest, 8))
}

/// ICP备案号: a province's one-character abbreviation, `ICP备` (or `ICP证` for a licence), the
/// digits, `号`, and an optional `-N` for one site of the record.
pub(crate) fn is_icp(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(province) = chars.next() else { return false };
    let rest = chars.as_str();
    let Some(rest) = rest.strip_prefix("ICP备").or_else(|| rest.strip_prefix("ICP证")) else { return false };
    let Some((number, site)) = rest.split_once('号') else { return false };
    let site_ok =
        site.is_empty() || site.strip_prefix('-').is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
    ('\u{4e00}'..='\u{9fff}').contains(&province)
        && (5..=10).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && site_ok
}

pub(crate) fn is_police_code(s: &str) -> bool {
    digits(s, 14)
}

fn is_phone(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) && s.chars().filter(char::is_ascii_digit).count() >= 3
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let plain = |p: &str| !p.is_empty() && p.chars().all(|c| !c.is_whitespace() && !"@<>\"'()[],;:\\".contains(c));
    plain(local) && plain(domain) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_forms() {
        assert!(is_site_code("6500000001") && is_site_code("bm04000001"));
        assert!(!is_site_code("650000000") && !is_site_code("bm0400000x"));
        assert!(is_icp("新ICP备05001234号-1") && is_icp("京ICP证030173号") && is_icp("新ICP备05001234号"));
        assert!(!is_icp("ICP备05001234号") && !is_icp("新ICP备0500123x号") && !is_icp("新ICP备05001234号-") && !is_icp("新ICP备05001234"));
        assert!(is_police_code("65010202000123") && !is_police_code("6501020200012"));
        assert!(is_phone("0991-1234567") && is_phone("+86 (991) 123 4567") && !is_phone("call us"));
        assert!(is_email("office@example.org") && !is_email("office@example") && !is_email("a b@example.org") && !is_email("<x>@e.org"));
    }
}
