//! Markdown to HTML with Chinese done right.
//!
//! pulldown-cmark follows CommonMark, whose emphasis rules were written for languages with
//! spaces: `**重要。**然后` stays literal because the closing `**` sits between punctuation and a
//! letter. And a line break inside a Chinese paragraph becomes a space. Both are fixed here on
//! the event stream, so the parser itself stays standard.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::url_policy::{self, Refusal};

/// Deepest nesting of blocks and spans a body may have. No real document comes near it (a list
/// ten levels deep with a link in it is about 25); 3,000 nested `>` in 3 KB would otherwise reach
/// every recursive stage after the parser (the minifier overflowed its stack on it).
pub const MAX_DEPTH: usize = 64;

/// Deepest element nesting of a body's raw HTML. The sanitiser's HTML parser checks the stack
/// of open elements at every tag, so its time grows with the square of the depth: 300,000
/// nested `<div>` in 3 MB took over five minutes.
pub const MAX_RAW_HTML_DEPTH: usize = 256;

pub struct MarkdownOptions<'a> {
    /// Keep raw HTML (then sanitised). Off by default: raw HTML is shown as text.
    pub allow_raw_html: bool,
    /// Prefix that `@/path` links resolve against, e.g. `../../zh/`.
    pub link_base: &'a str,
    /// `@/` paths whose pages a public build left out (see `crate::publish`): a link to one
    /// keeps its text and loses its link.
    pub withheld: &'a std::collections::BTreeSet<String>,
}

/// The one parser configuration, shared by [`render`] and [`check`] so both read the same document.
///
/// Heading attributes stay on: editors write `## 科技人才 {#talent}` to give a heading an id that
/// does not change when its text is edited, and link to it from other pages. Only `id` and
/// `class` with safe characters pass (see [`safe_heading`]); any other attribute is an error.
fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str, options: &MarkdownOptions) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut guard = Guard::default();
    for event in Parser::new_ext(markdown, parser_options()) {
        // Judged as written, before `@/` is resolved: a link that climbs out is refused too.
        let refused = match &event {
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.strip_prefix("@/").is_some_and(|p| crate::publish::is_withheld(options.withheld, p)) =>
            {
                true
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => !url_policy::permitted(dest_url),
            _ => false,
        };
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !options.allow_raw_html => Event::Text(html),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: resolve_link(dest_url, link_type, options.link_base), title, id })
            }
            Event::Start(Tag::Heading { level, id, classes, attrs: _ }) => {
                let (id, classes) = safe_heading(id, classes);
                Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() })
            }
            other => other,
        };
        if let Some(event) = guard.pass(event, refused) {
            events.push(event);
        }
    }
    let events = cjk_emphasis(drop_cjk_soft_breaks(events));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if options.allow_raw_html {
        if super::html_depth::nesting_depth(html.as_bytes()) > MAX_RAW_HTML_DEPTH {
            // Validation reports it (E-depth); whatever got here is shown as text, not parsed.
            return render(markdown, &MarkdownOptions { allow_raw_html: false, ..*options });
        }
        html = sanitize(&html);
    }
    html
}

/// The renderer's own line of defence, whatever validation said: a link or image whose URL the
/// policy refuses loses its tag (its text stays, with no `href`/`src`), and tags nested deeper
/// than [`MAX_DEPTH`] are dropped (their text stays), so nothing downstream recurses deeply.
#[derive(Default)]
struct Guard {
    /// One entry per open tag: whether its start was emitted (so is its end).
    open: Vec<bool>,
}

impl Guard {
    /// `refused`: the event starts a link or image whose URL the policy refuses.
    fn pass<'e>(&mut self, event: Event<'e>, refused: bool) -> Option<Event<'e>> {
        match &event {
            Event::Start(_) => {
                let keep = !refused && self.open.len() < MAX_DEPTH;
                self.open.push(keep);
                keep.then_some(event)
            }
            Event::End(_) => self.open.pop().unwrap_or(true).then_some(event),
            _ => Some(event),
        }
    }
}

/// `[A-Za-z0-9_-]+`: an id or class that cannot leave its attribute or smuggle markup.
fn is_safe_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A heading's id and classes with the unsafe ones removed.
fn safe_heading<'e>(id: Option<CowStr<'e>>, classes: Vec<CowStr<'e>>) -> (Option<CowStr<'e>>, Vec<CowStr<'e>>) {
    (id.filter(|i| is_safe_token(i)), classes.into_iter().filter(|c| is_safe_token(c)).collect())
}

/// What [`check`] found wrong in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A link, image or reference definition whose URL the policy refuses.
    Url { url: String, refusal: Refusal },
    /// A heading attribute other than a safe `#id` or `.class`, as written (`onfocus`, `#a"b`).
    HeadingAttribute(String),
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Raw HTML nested deeper than [`MAX_RAW_HTML_DEPTH`] (judged in either mode: no real text
    /// comes near it).
    RawHtmlTooDeep,
}

/// A problem and the byte offset in the body where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub offset: usize,
    pub problem: Problem,
}

/// Every refused URL, unsafe heading attribute and excessive nesting in `markdown`, with byte
/// offsets into it. Reference links are judged once, at their definition (used or not).
pub fn check(markdown: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut too_deep = false;
    let (mut raw_html, mut raw_html_at) = (String::new(), None);
    let parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    for (_, def) in parser.reference_definitions().iter() {
        if let Err(refusal) = url_policy::judge(&def.dest) {
            found.push(Found { offset: def.span.start, problem: Problem::Url { url: def.dest.to_string(), refusal } });
        }
    }
    for (event, range) in parser {
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > MAX_DEPTH && !too_deep {
                    too_deep = true;
                    found.push(Found { offset: range.start, problem: Problem::TooDeep });
                }
                found.extend(tag_problems(&tag).into_iter().map(|problem| Found { offset: range.start, problem }));
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                raw_html_at.get_or_insert(range.start);
                raw_html.push_str(&html);
            }
            _ => {}
        }
    }
    if let Some(offset) = raw_html_at.filter(|_| super::html_depth::nesting_depth(raw_html.as_bytes()) > MAX_RAW_HTML_DEPTH) {
        found.push(Found { offset, problem: Problem::RawHtmlTooDeep });
    }
    found.sort_by_key(|f| f.offset);
    found
}

/// The byte ranges of `markdown`'s running text as written (not code, not URLs, not text
/// that escapes or entities changed), for notes positioned in the source.
pub fn text_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    let mut in_code = 0usize;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(text) if in_code == 0 && markdown.get(range.clone()) == Some(&*text) => out.push(range),
            _ => {}
        }
    }
    out
}

fn tag_problems(tag: &Tag) -> Vec<Problem> {
    match tag {
        Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. } if !is_reference(*link_type) => {
            url_policy::judge(dest_url).err().map(|refusal| Problem::Url { url: dest_url.to_string(), refusal }).into_iter().collect()
        }
        Tag::Heading { id, classes, attrs, .. } => {
            let id = id.iter().filter(|i| !is_safe_token(i)).map(|i| format!("#{i}"));
            let classes = classes.iter().filter(|c| !is_safe_token(c)).map(|c| format!(".{c}"));
            let attrs = attrs.iter().map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k.to_string(),
            });
            id.chain(classes).chain(attrs).map(Problem::HeadingAttribute).collect()
        }
        _ => Vec::new(),
    }
}

/// Links whose URL comes from a reference definition (judged there).
fn is_reference(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
    )
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

/// Raw HTML (when the site allows it) through ammonia, with the same scheme list as Markdown links.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(url_policy::ALLOWED_SCHEMES.iter().copied().collect())
        .add_generic_attributes(["id", "class", "lang", "dir"])
        .clean(html)
        .to_string()
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
        render(s, &MarkdownOptions { allow_raw_html: false, link_base: "../", withheld: &Default::default() })
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
        let allowed = render(
            "<b onclick=\"x()\">b</b><script>alert(1)</script>",
            &MarkdownOptions { allow_raw_html: true, link_base: "", withheld: &Default::default() },
        );
        assert!(allowed.contains("<b>b</b>"), "{allowed}");
        assert!(!allowed.contains("script") && !allowed.contains("onclick"), "{allowed}");
    }

    #[test]
    fn refused_urls_lose_their_tag_even_unvalidated() {
        for text in ["[a](javascript:x)", "![a](data:text/html,x)", "<vbscript:x>", "[a][r]\n\n[r]: JaVaScript:x", "[a](@/../x)"] {
            let html = md(text);
            assert!(!html.contains("href") && !html.contains("src"), "{text}: {html}");
            assert!(html.contains('a') || html.contains("vbscript"), "{text}: text lost: {html}");
        }
        assert_eq!(md("[**a**](javascript:x) [b](https://b.org/)"), "<p><strong>a</strong> <a href=\"https://b.org/\">b</a></p>\n");
    }

    #[test]
    fn heading_attributes_other_than_safe_id_and_class_are_dropped() {
        assert_eq!(md("# Hi {#top .lead}"), "<h1 id=\"top\" class=\"lead\">Hi</h1>\n");
        assert_eq!(md("# Hi {autofocus onfocus=alert(1) #a\"b .c}"), "<h1 class=\"c\">Hi</h1>\n");
    }

    #[test]
    fn deep_nesting_is_flattened_and_reported() {
        let html = md(&">".repeat(3000));
        assert_eq!(html.matches("<blockquote>").count(), MAX_DEPTH);
        assert_eq!(html.matches("</blockquote>").count(), MAX_DEPTH);
        let found = check(&format!("{} x", ">".repeat(100)));
        assert_eq!(found, [Found { offset: MAX_DEPTH, problem: Problem::TooDeep }]);
    }

    #[test]
    fn check_reports_offsets() {
        let found = check("ok [a](javascript:x)\n\n# H {onclick=y}\n\n[r]: data:x\n");
        let offsets: Vec<usize> = found.iter().map(|f| f.offset).collect();
        assert_eq!(offsets, [3, 22, 39], "{found:?}");
        assert_eq!(found[1].problem, Problem::HeadingAttribute("onclick=y".to_owned()));
        assert!(check("[a](https://x.org/) <mailto:a@b.org> <a@b.org> {#x}\n# T {#t .u}").is_empty());
    }

    #[test]
    fn sanitiser_uses_the_same_schemes() {
        let allowed = |s| render(s, &MarkdownOptions { allow_raw_html: true, link_base: "", withheld: &Default::default() });
        assert!(!allowed("<a href=\"ftp://x.org/\">a</a>").contains("href"));
        assert!(!allowed("<a href=\"java&#x09;script:x\">a</a>").contains("href"));
        assert!(allowed("<a href=\"tel:+1\">a</a>").contains("href=\"tel:+1\""));
    }

    #[test]
    fn raw_html_too_deep_to_sanitise_is_shown_as_text() {
        let deep = format!("{}x{}", "<div>".repeat(MAX_RAW_HTML_DEPTH + 1), "</div>".repeat(MAX_RAW_HTML_DEPTH + 1));
        let html = render(&deep, &MarkdownOptions { allow_raw_html: true, link_base: "", withheld: &Default::default() });
        assert!(html.starts_with("&lt;div&gt;"), "{}", &html[..40]);
        assert_eq!(check(&deep), [Found { offset: 0, problem: Problem::RawHtmlTooDeep }]);
        let fine = format!("{}x{}", "<div>".repeat(MAX_RAW_HTML_DEPTH), "</div>".repeat(MAX_RAW_HTML_DEPTH));
        assert!(render(&fine, &MarkdownOptions { allow_raw_html: true, link_base: "", withheld: &Default::default() }).starts_with("<div>"));
        assert!(check(&fine).is_empty());
    }

    #[test]
    fn at_links_resolve_against_the_language_root() {
        assert!(md("[x](@/partners/beijing/)").contains("href=\"../partners/beijing/\""));
    }
}
