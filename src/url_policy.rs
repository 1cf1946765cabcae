//! The one judge of every URL that content can put into a page: Markdown links, images,
//! autolinks and reference definitions, and every URL field of the YAML files.
//!
//! Validation reports a refused URL as an error naming file, line and column; the renderer asks
//! the same question again and emits no `href`/`src` at all for a refused URL, so that no path
//! (a skipped validation, `serve`'s incremental rebuild) can publish one. In raw-HTML mode the
//! sanitiser is given [`ALLOWED_SCHEMES`] too, so both halves of a page follow one list.

/// The schemes a public page may link to. Everything else (`javascript:`, `vbscript:`, `data:`,
/// `file:`, unknown schemes) is refused.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A scheme outside [`ALLOWED_SCHEMES`], lower-cased as a browser would read it.
    Scheme(String),
    /// An `@/` link whose `..` segments climb out of the site.
    ClimbsOut,
}

impl Refusal {
    /// The English message, the help line and their Chinese wording, for a diagnostic.
    pub fn texts(&self, url: &str) -> (String, String, String, String) {
        let shown = shorten(url);
        match self {
            Refusal::Scheme(scheme) => (
                format!("link `{shown}` uses the `{scheme}:` scheme, which a public site must not publish"),
                format!("links may only be http:, https:, mailto:, tel:, a relative path, a #fragment or an @/ link; remove this link or point it at a web address (`{scheme}:` links can run script in the reader's browser)"),
                format!("链接 `{shown}` 使用了 `{scheme}:` 协议，公开站点不能发布这种链接"),
                format!("链接只能是 http:、https:、mailto:、tel:、相对路径、#锚点或 @/ 站内链接；请删除该链接或改为网址（`{scheme}:` 链接可能在读者的浏览器里运行脚本）"),
            ),
            Refusal::ClimbsOut => (
                format!("link `{shown}` climbs out of the site"),
                "an @/ link names a page of this site, e.g. `@/partners/beijing/`; remove the `..` segments".to_owned(),
                format!("链接 `{shown}` 指向站点之外"),
                "@/ 链接应指向本站点的页面，例如 `@/partners/beijing/`；请去掉其中的 `..`".to_owned(),
            ),
        }
    }
}

/// A hostile URL can be long; a diagnostic shows its start.
fn shorten(url: &str) -> String {
    const MAX: usize = 60;
    let escaped: String = url.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() <= MAX {
        escaped
    } else {
        format!("{}…", escaped.chars().take(MAX).collect::<String>())
    }
}

/// Judges `url` as a browser would read it: after decoding HTML character references and
/// percent-escapes, and after dropping the ASCII whitespace and control characters that URL
/// parsers ignore (`java\tscript:` is `javascript:`), case-insensitively.
pub fn judge(url: &str) -> Result<(), Refusal> {
    let normal = normalise(url);
    if let Some(path) = normal.strip_prefix("@/") {
        return if climbs_out(path) { Err(Refusal::ClimbsOut) } else { Ok(()) };
    }
    match scheme(&normal) {
        Some(s) if ALLOWED_SCHEMES.contains(&s) => Ok(()),
        Some(s) => Err(Refusal::Scheme(s.to_owned())),
        None => Ok(()),
    }
}

/// `judge(url).is_ok()`, for the renderer.
pub fn permitted(url: &str) -> bool {
    judge(url).is_ok()
}

/// Decodes until nothing changes (a few rounds: `&amp;#106;` and `%2536` hide one layer in
/// another), lower-cased, with whitespace and control characters removed.
fn normalise(url: &str) -> String {
    let mut text: String = url.to_owned();
    for _ in 0..4 {
        let next: String = percent_decode(&decode_entities(&text)).chars().filter(|c| !(c.is_ascii_control() || *c == ' ')).collect();
        if next == text {
            break;
        }
        text = next;
    }
    text.to_ascii_lowercase()
}

/// The text before the first `:` when it comes before any `/`, `?` or `#`. A relative path
/// cannot have a colon in its first segment (RFC 3986 §4.2), so whatever stands there is read as
/// a scheme: allowed or refused, never waved through as "relative".
fn scheme(normal: &str) -> Option<&str> {
    let end = normal.find([':', '/', '?', '#', '\\'])?;
    (normal.as_bytes()[end] == b':').then(|| &normal[..end])
}

/// Whether the `..` segments of an `@/` path climb above the site root.
fn climbs_out(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut depth: usize = 0;
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// Numeric character references (`&#106;`, `&#x6A`, with or without the `;`, as browsers accept
/// them) and the named ones that can spell a scheme's punctuation or whitespace.
fn decode_entities(text: &str) -> String {
    const NAMED: &[(&str, char)] =
        &[("colon", ':'), ("tab", '\t'), ("newline", '\n'), ("amp", '&'), ("sol", '/'), ("num", '#'), ("quest", '?'), ("period", '.')];
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some((c, used)) = numeric_reference(rest) {
            out.push(c);
            rest = &rest[used..];
            continue;
        }
        let named = NAMED
            .iter()
            .find(|(name, _)| rest.get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name)) && rest[name.len()..].starts_with(';'));
        match named {
            Some((name, c)) => {
                out.push(*c);
                rest = &rest[name.len() + 1..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// `#106;` or `#x6a` after an `&`: the character and the bytes it took.
fn numeric_reference(rest: &str) -> Option<(char, usize)> {
    let body = rest.strip_prefix('#')?;
    let (radix, digits_at) = if body.starts_with(['x', 'X']) { (16, 2) } else { (10, 1) };
    let digits = rest[digits_at..].bytes().take_while(|b| b.is_ascii_alphanumeric() && char::from(*b).is_digit(radix)).count();
    if digits == 0 {
        return None;
    }
    let value =
        u32::from_str_radix(&rest[digits_at..digits_at + digits].trim_start_matches('0').chars().take(8).collect::<String>(), radix)
            .unwrap_or(0);
    let c = char::from_u32(value).unwrap_or('\u{fffd}');
    let mut used = digits_at + digits;
    if rest[used..].starts_with(';') {
        used += 1;
    }
    Some((c, used))
}

/// `%6A` → `j`; a malformed escape stays as it is. Bytes that do not form UTF-8 become U+FFFD.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed() {
        for ok in [
            "https://example.org/a?b#c",
            "http://x",
            "mailto:a@b.org",
            "tel:+86-991-1234567",
            "../partners/",
            "/kjt/zh/",
            "#section",
            "",
            "@/partners/beijing/",
            "@/a/../b",
            "files/report:2011.pdf",
            "a@b.org",
            "HTTPS://X",
        ] {
            assert_eq!(judge(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refused() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "\u{1}javascript:x",
            "&#106;avascript:x",
            "&#x6A;avascript:x",
            "&#106avascript:x",
            "java&#x09;script:x",
            "javascript&colon;x",
            "&amp;#106;avascript:x",
            "%6Aavascript:x",
            "java%09script:x",
            "%256Aavascript:x",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "foo:bar",
        ] {
            assert!(matches!(judge(bad), Err(Refusal::Scheme(_))), "{bad:?}");
        }
        assert_eq!(judge("JaVa\tScRiPt:x"), Err(Refusal::Scheme("javascript".to_owned())));
        for out in ["@/../x", "@/a/../../x", "@/%2e%2e/x", "@/..\\x"] {
            assert_eq!(judge(out), Err(Refusal::ClimbsOut), "{out}");
        }
    }

    #[test]
    fn decoding_is_bounded_and_total() {
        assert_eq!(decode_entities("&#99999999999;&"), "\u{fffd}&");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("a%41"), "aA");
    }
}
