//! Markdown to HTML with Chinese done right.
//!
//! pulldown-cmark follows CommonMark, whose emphasis rules were written for languages with
//! spaces: `**重要。**然后` stays literal because the closing `**` sits between punctuation and a
//! letter. And a line break inside a Chinese paragraph becomes a space. Both are fixed here on
//! the event stream, so the parser itself stays standard.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

pub struct MarkdownOptions<'a> {
    /// Keep raw HTML (then sanitised). Off by default: raw HTML is shown as text.
    pub allow_raw_html: bool,
    /// Prefix that `@/path` links resolve against, e.g. `../../zh/`.
    pub link_base: &'a str,
}

pub fn render(markdown: &str, options: &MarkdownOptions) -> String {
    let parser_options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, parser_options) {
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !options.allow_raw_html => Event::Text(html),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: resolve_link(dest_url, link_type, options.link_base), title, id })
            }
            other => other,
        };
        events.push(event);
    }
    let events = cjk_emphasis(drop_cjk_soft_breaks(events));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if options.allow_raw_html {
        html = sanitize(&html);
    }
    html
}

/// `@/partners/beijing/` → `<link_base>partners/beijing/`: links between pages that keep working
/// under any base path and in every language.
fn resolve_link<'a>(dest: CowStr<'a>, link_type: LinkType, link_base: &str) -> CowStr<'a> {
    match dest.strip_prefix("@/") {
        Some(path) if matches!(link_type, LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut) => {
            format!("{link_base}{path}").into()
        }
        _ => dest,
    }
}

fn sanitize(html: &str) -> String {
    ammonia::Builder::default().add_generic_attributes(["id", "class", "lang", "dir"]).clean(html).to_string()
}

/// Han, kana, hangul, CJK punctuation and full-width forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3134F)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

fn last_char(events: &[Event]) -> Option<char> {
    match events.last()? {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    }
}

fn first_char(event: Option<&Event>) -> Option<char> {
    match event? {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    }
}

/// A source line break between two CJK characters is not a space in Chinese.
fn drop_cjk_soft_breaks(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        if matches!(event, Event::SoftBreak) && last_char(&out).is_some_and(is_cjk) && first_char(iter.peek()).is_some_and(is_cjk) {
            continue;
        }
        out.push(event);
    }
    out
}

/// Pairs of `**`/`*` that CommonMark left literal next to CJK text become strong/emphasis.
fn cjk_emphasis(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    fn flush<'e>(run: &mut String, out: &mut Vec<Event<'e>>) {
        if !run.is_empty() {
            split_emphasis(std::mem::take(run), out);
        }
    }
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut run = String::new();
    for event in events {
        match event {
            Event::Text(t) => run.push_str(&t),
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

fn split_emphasis<'e>(text: String, out: &mut Vec<Event<'e>>) {
    if !text.contains('*') {
        out.push(Event::Text(text.into()));
        return;
    }
    let mut rest: &str = &text;
    while let Some((before, marker, inner, after)) = find_pair(rest) {
        if !before.is_empty() {
            out.push(Event::Text(before.to_owned().into()));
        }
        let tag = if marker == 2 { Tag::Strong } else { Tag::Emphasis };
        let end = if marker == 2 { TagEnd::Strong } else { TagEnd::Emphasis };
        out.push(Event::Start(tag));
        out.push(Event::Text(inner.to_owned().into()));
        out.push(Event::End(end));
        rest = after;
    }
    if !rest.is_empty() {
        out.push(Event::Text(rest.to_owned().into()));
    }
}

/// Finds the first `**inner**` (or `*inner*`) whose delimiters touch CJK text.
fn find_pair(text: &str) -> Option<(&str, usize, &str, &str)> {
    for marker in [2usize, 1] {
        let delim = &"**"[..marker];
        let mut search = 0;
        while let Some(open_rel) = text[search..].find(delim) {
            let open = search + open_rel;
            let inner_start = open + marker;
            let Some(close_rel) = text[inner_start..].find(delim) else {
                break;
            };
            let close = inner_start + close_rel;
            let inner = &text[inner_start..close];
            let before = text[..open].chars().last();
            let after = text[close + marker..].chars().next();
            let touches_cjk = [before, inner.chars().next(), inner.chars().last(), after].into_iter().flatten().any(is_cjk);
            let inner_ok = !inner.is_empty()
                && !inner.starts_with(char::is_whitespace)
                && !inner.ends_with(char::is_whitespace)
                && !inner.contains(delim);
            if touches_cjk && inner_ok {
                return Some((&text[..open], marker, inner, &text[close + marker..]));
            }
            search = open + marker;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        render(s, &MarkdownOptions { allow_raw_html: false, link_base: "../" })
    }

    #[test]
    fn cjk_strong_before_hanzi() {
        assert_eq!(md("**重要。**然后"), "<p><strong>重要。</strong>然后</p>\n");
        assert_eq!(md("这是**“引号”**内容"), "<p>这是<strong>“引号”</strong>内容</p>\n");
        assert_eq!(md("a **b** c"), "<p>a <strong>b</strong> c</p>\n");
        assert_eq!(md("2*3*4"), "<p>2<em>3</em>4</p>\n");
    }

    #[test]
    fn no_space_between_hanzi_lines() {
        assert_eq!(md("第一行内容，\n第二行内容。"), "<p>第一行内容，第二行内容。</p>\n");
        assert_eq!(md("first line\nsecond"), "<p>first line\nsecond</p>\n");
    }

    #[test]
    fn raw_html_is_escaped_by_default_and_sanitised_when_allowed() {
        assert!(md("<script>alert(1)</script>").contains("&lt;script&gt;"));
        let allowed = render("<b onclick=\"x()\">b</b><script>alert(1)</script>", &MarkdownOptions { allow_raw_html: true, link_base: "" });
        assert!(allowed.contains("<b>b</b>"), "{allowed}");
        assert!(!allowed.contains("script") && !allowed.contains("onclick"), "{allowed}");
    }

    #[test]
    fn at_links_resolve_against_the_language_root() {
        assert!(md("[x](@/partners/beijing/)").contains("href=\"../partners/beijing/\""));
    }
}
