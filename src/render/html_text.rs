//! The text of a rendered page's `<main>`, for the search index, read by a small scanner instead
//! of a full HTML parser: planpress writes the pages itself (templates, pulldown-cmark and
//! ammonia all close their elements), and building a DOM for every page was most of a build's
//! time. The rules are those of `search`: some elements are skipped (see [`SKIP`]), links only
//! count inside running text (`.prose`), block elements separate words, and `h2`–`h4` are also
//! collected as headings. A test in `search` checks the scanner against html5ever.

use std::borrow::Cow;

/// Elements whose text is not part of the page's own content (or is counted elsewhere).
pub const SKIP: [&str; 10] = ["script", "style", "svg", "nav", "noscript", "template", "form", "h1", "button", "select"];
/// Elements that do not separate words.
pub const INLINE: [&str; 18] =
    ["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "time"];
const VOID: [&str; 14] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
/// Elements whose content is text up to their end tag, never markup.
const RAW: [&str; 7] = ["script", "style", "textarea", "title", "noscript", "xmp", "iframe"];

/// One open element.
struct Frame<'a> {
    name: Cow<'a, str>,
    /// Its text is left out (it or an ancestor is skipped).
    skipped: bool,
    in_prose: bool,
    block: bool,
    /// Index in `headings` of the heading this element is.
    heading: Option<usize>,
    /// Inside a table: searchable, but no part of the snippet text.
    in_table: bool,
}

struct Scan<'a> {
    text: String,
    /// The text outside tables, its first [`SNIPPET_BYTES`] or so: what a search result quotes
    /// (a flattened table reads as noise: "受援地 (2) 受援地 所属地州 兵团 …").
    snippet: String,
    headings: Vec<String>,
    /// Text of the open headings, by index in `headings`.
    open_headings: Vec<(usize, String)>,
    stack: Vec<Frame<'a>>,
}

impl<'a> Scan<'a> {
    fn push_text(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        for (_, h) in &mut self.open_headings {
            h.push_str(&decoded);
        }
        if self.stack.last().is_some_and(|f| f.skipped) {
            return;
        }
        self.text.push_str(&decoded);
        if !self.stack.last().is_some_and(|f| f.in_table) && self.snippet.len() < SNIPPET_BYTES {
            self.snippet.push_str(&decoded);
        }
    }

    fn open(&mut self, name: Cow<'a, str>, attrs: &str) {
        let parent_skipped = self.stack.last().is_some_and(|f| f.skipped);
        let parent_prose = self.stack.last().is_some_and(|f| f.in_prose);
        let class = attr(attrs, "class").unwrap_or_default();
        let has_class = |c: &str| class.split_ascii_whitespace().any(|x| x == c);
        let skipped = parent_skipped
            || SKIP.contains(&name.as_ref())
            || (name == "a" && !parent_prose)
            || attr(attrs, "aria-hidden").as_deref() == Some("true")
            || attr(attrs, "hidden").is_some()
            || has_class("notice")
            // The page's tools (date, print, booklets, citation) and its contents list say
            // nothing a search should find the page by.
            || has_class("page-actions")
            || has_class("page-toc")
            || has_class("visually-hidden");
        let block = !INLINE.contains(&name.as_ref());
        let in_table = self.stack.last().is_some_and(|f| f.in_table) || name == "table";
        let mut heading = None;
        if !skipped {
            if block {
                self.text.push(' ');
                self.snippet_space();
            }
            if matches!(name.as_ref(), "h2" | "h3" | "h4") {
                heading = Some(self.headings.len());
                self.headings.push(String::new());
                self.open_headings.push((self.headings.len() - 1, String::new()));
            }
        }
        self.stack.push(Frame { name, skipped, in_prose: parent_prose || has_class("prose"), block, heading, in_table });
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else { return };
        if frame.skipped {
            return;
        }
        if let Some(i) = frame.heading {
            if let Some(at) = self.open_headings.iter().position(|(j, _)| *j == i) {
                let (_, text) = self.open_headings.remove(at);
                self.headings[i] = text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
        if frame.block {
            self.text.push(' ');
            self.snippet_space();
        }
    }

    fn snippet_space(&mut self) {
        if self.snippet.len() < SNIPPET_BYTES {
            self.snippet.push(' ');
        }
    }
}

/// How much snippet text the scanner keeps: more than a snippet's width (`search::TEXT_WIDTH`
/// characters, at most 4 bytes each) so its white space can still collapse.
const SNIPPET_BYTES: usize = 4096;

/// A page's `<main>` as the search index reads it.
#[derive(Default)]
pub struct MainText {
    /// Its text (tables included): what the page is found by.
    pub text: String,
    /// Its `h2`–`h4` headings.
    pub headings: Vec<String>,
    /// The start of its text outside tables: what a result quotes.
    pub snippet: String,
}

/// The text of the first `<main>` element and its headings, or `None` if there is none.
#[cfg(test)]
pub fn main_text(html: &str) -> Option<(String, Vec<String>)> {
    scan_main(html).map(|m| (m.text, m.headings))
}

/// The text, headings and snippet text of the first `<main>` element, or `None`.
pub fn main_text_and_snippet(html: &str) -> Option<MainText> {
    scan_main(html)
}

fn scan_main<'a>(html: &'a str) -> Option<MainText> {
    let start = find_tag(html, "main")?;
    let body = &html[start..];
    let open_end = body.find('>')? + 1;
    let mut scan = Scan { text: String::new(), snippet: String::new(), headings: Vec::new(), open_headings: Vec::new(), stack: Vec::new() };
    let mut rest = &body[open_end..];
    while !rest.is_empty() {
        let Some(lt) = find_byte(rest, b'<') else {
            scan.push_text(rest);
            break;
        };
        scan.push_text(&rest[..lt]);
        rest = &rest[lt..];
        let next = rest.as_bytes().get(1).copied().unwrap_or(b' ');
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]);
        } else if next == b'!' || next == b'?' {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        } else if next == b'/' {
            let end = find_byte(rest, b'>').unwrap_or(rest.len() - 1);
            let name = rest[2..end].trim().to_ascii_lowercase();
            rest = &rest[end + 1..];
            if name == "main" && !scan.stack.iter().any(|f| f.name == "main") {
                break;
            }
            // Close up to the matching element; an end tag with no open element is ignored.
            if let Some(depth) = scan.stack.iter().rposition(|f| f.name == name) {
                while scan.stack.len() > depth {
                    scan.close();
                }
            }
        } else if next.is_ascii_alphabetic() {
            let end = tag_end(rest);
            let inner = &rest[1..end];
            let name_len = inner.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(inner.len());
            let raw_name = &inner[..name_len];
            let name: Cow<'a, str> = if raw_name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(raw_name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(raw_name)
            };
            let attrs = &inner[name_len..];
            let self_closing = attrs.trim_end().ends_with('/');
            rest = &rest[end + 1..];
            let raw = RAW.contains(&name.as_ref());
            let void = self_closing || VOID.contains(&name.as_ref());
            let close_name = if raw { name.to_string() } else { String::new() };
            scan.open(name, attrs);
            if raw {
                let close = find_end_tag(rest, &close_name).unwrap_or(rest.len());
                scan.push_text(&rest[..close]);
                rest = &rest[close..];
                rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
                scan.close();
            } else if void {
                scan.close();
            }
        } else {
            scan.push_text("<");
            rest = &rest[1..];
        }
    }
    while !scan.stack.is_empty() {
        scan.close();
    }
    Some(MainText { text: scan.text, headings: scan.headings, snippet: scan.snippet })
}

/// The text of an HTML fragment with white space collapsed (as `split_whitespace` + `join(" ")`),
/// read only as far as needed: `Err` as soon as it is longer than `limit` characters, with
/// its first `limit + 1` characters, so the caller can cut it.
pub fn fragment_text(html: &str, limit: usize) -> Result<String, String> {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    let mut push = |text: &str, out: &mut String| -> bool {
        for c in decode_entities(text).chars() {
            if c.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                count += 1;
                pending_space = false;
            }
            out.push(c);
            count += 1;
            if count > limit {
                return false;
            }
        }
        true
    };
    let mut rest = html;
    while !rest.is_empty() {
        let lt = find_byte(rest, b'<').unwrap_or(rest.len());
        if !push(&rest[..lt], &mut out) {
            return Err(out);
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        let next = rest.as_bytes().get(1).copied().unwrap_or(b' ');
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]);
        } else if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?') {
            let end = tag_end(rest);
            rest = &rest[end + 1..];
        } else {
            if !push("<", &mut out) {
                return Err(out);
            }
            rest = &rest[1..];
        }
    }
    Ok(out)
}

/// Index of `<name` followed by whitespace or `>`.
/// Index of an ASCII byte in `text` (SIMD; `str::find` with a char was a tenth of indexing).
fn find_byte(text: &str, byte: u8) -> Option<usize> {
    memchr::memchr(byte, text.as_bytes())
}

fn find_tag(html: &str, name: &str) -> Option<usize> {
    let needle = format!("<{name}");
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let at = from + i;
        match html.as_bytes().get(at + needle.len()) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => return Some(at),
            _ => from = at + needle.len(),
        }
    }
    None
}

/// Index of `</name` (any case) in `text`.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i;
        if text.get(at + 2..at + 2 + name.len()).is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Index of the `>` that ends the tag starting at `s[0]`, skipping quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i,
            _ => {}
        }
    }
    s.len() - 1
}

/// The value of attribute `name` in a tag's attribute text (`Some("")` for a bare attribute).
fn attr(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'/' {
            i += 1;
        }
        if start == i {
            break;
        }
        let key = &attrs[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                let vend = attrs[vstart..].find(q as char).map_or(attrs.len(), |j| vstart + j);
                value = &attrs[vstart..vend];
                i = vend + 1;
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &attrs[vstart..i];
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(decode_entities(value));
        }
    }
    None
}

/// Decodes character references: numeric ones and the named ones planpress's writers use.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = find_byte(rest, b'&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|j| j + 1);
        let decoded = end.filter(|&e| rest.as_bytes().get(e) == Some(&b';')).and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => match name.strip_prefix('#') {
                    Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok().and_then(char::from_u32),
                    Some(dec) => dec.parse::<u32>().ok().and_then(char::from_u32),
                    None => None,
                },
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_headings_and_skips() {
        let html = r##"<html><main class="x"><h1>T</h1><h2 id="a">Goals <a class="anchor" aria-hidden="true" href="#a">#</a></h2>
            <p>One&amp;two <em>three</em><br>four</p><nav>no</nav><ul><li><a href="x">cross</a></li></ul>
            <div class="prose"><p>see <a href="y">this</a> &#x27;q&#39;</p></div><svg><text>n</text><path d="M0"/></svg>
            <script>if (a < b) {}</script><p hidden>h</p><span class="visually-hidden">v</span></main><footer>f</footer>"##;
        let (text, headings) = main_text(html).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(text, "Goals One&two three four see this 'q'");
        assert_eq!(headings, ["Goals #"]);
    }
}

/// Every HTML page of the example site (this repository's own `content/`), rendered in memory
/// once: the pages the oracles below and in `html_depth` compare with html5ever.
#[cfg(test)]
pub(crate) fn example_pages() -> &'static [(String, String)] {
    static PAGES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        use crate::commands::build::{prepare, render_options};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Ok(prepared) = prepare(root, None, false) else { panic!("the example site loads") };
        let renderer = super::Renderer::new(&prepared.site, &prepared.theme, render_options(&prepared.site, None)).expect("renderer");
        let files = std::sync::Mutex::new(Vec::new());
        renderer.render_all(&prepared.site, &|f| files.lock().expect("files").push(f)).expect("the example renders");
        let mut pages: Vec<(String, String)> = files
            .into_inner()
            .expect("files")
            .into_iter()
            .filter(|f| f.is_html)
            .map(|f| (f.path, String::from_utf8(f.bytes).expect("UTF-8 page")))
            .collect();
        pages.sort();
        assert!(pages.len() > 90, "{} pages", pages.len());
        pages
    })
}

#[cfg(test)]
mod against_html5ever {
    use scraper::{Html, Selector};

    /// The scanner and html5ever (with the rules in `search`) read the same text from pages
    /// shaped like planpress's: nested prose, skipped parts, tables, entities, void elements.
    /// The text and headings html5ever reads from `page`'s first `<main>` with `search`'s rules,
    /// against the scanner's; `None` if the page has no `<main>`.
    fn compare(page: &str) -> Option<Result<(), String>> {
        let html = Html::parse_document(page);
        let main = html.select(&Selector::parse("main").unwrap()).next()?;
        let (mut text, mut headings) = (String::new(), Vec::new());
        crate::render::search::collect_text(main, false, &mut text, &mut headings);
        let (scanned, scanned_headings) = super::main_text(page).unwrap_or_default();
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if norm(&scanned) != norm(&text) {
            return Some(Err(format!("text:\n  scanner:   {}\n  html5ever: {}", norm(&scanned), norm(&text))));
        }
        if scanned_headings != headings {
            return Some(Err(format!("headings: scanner {scanned_headings:?}, html5ever {headings:?}")));
        }
        Some(Ok(()))
    }

    /// Every page the example site renders, booklets included.
    #[test]
    fn same_text_on_every_page_of_the_example() {
        let pages = super::example_pages();
        let compared: Vec<(&String, Result<(), String>)> = pages.iter().filter_map(|(path, html)| Some((path, compare(html)?))).collect();
        let wrong: Vec<String> = compared.iter().filter_map(|(path, r)| r.as_ref().err().map(|e| format!("{path}: {e}"))).collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(compared.len() + 5 > pages.len(), "{} of {} pages have a <main>", compared.len(), pages.len());
    }

    /// A fixed-seed xorshift: the same pages every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Markup shaped like planpress's (every element closed, each where HTML allows it: no
    /// block in a paragraph or heading, no link in a link) with what a hand-written template
    /// or raw HTML in Markdown may bring: quoted `>` and `/>`, upper-case tags, entities,
    /// comments and raw text holding tags, skipped and hidden parts, links in and out of prose.
    const LEAVES: [&str; 12] = [
        "知识产权",
        " plain words ",
        "a &lt; b &amp; c",
        "x&nbsp;y",
        "&#x27;q&#39;",
        "<br>",
        "<!-- <p>gone</p> -->",
        "<script>x('<p>no</p>')</SCRIPT>",
        "<img alt='a>b' src=x>",
        "1 < 2",
        "<code>&lt;div&gt;</code>",
        "<wbr>",
    ];

    /// Flow content: blocks, or phrasing.
    fn flow(rng: &mut Rng, depth: usize, out: &mut String) {
        // (No `<form>`: HTML ignores a form in a form, and planpress nests none.)
        const BLOCKS: [(&str, &str); 8] = [
            ("<DIV class=\"prose\">", "</DIV>"),
            ("<section data-x='/>'>", "</section>"),
            ("<nav>", "</nav>"),
            ("<div hidden>", "</div>"),
            ("<ul><li>", "</li></ul>"),
            ("<table><tbody><tr><td>", "</td></tr></tbody></table>"),
            ("<div class=notice>", "</div>"),
            ("<div role=search><label>", "</label></div>"),
        ];
        const PHRASING_BLOCKS: [(&str, &str); 5] =
            [("<p title=\"a>b\">", "</p>"), ("<h2 id=x>", "</h2>"), ("<H3>", "</h3>"), ("<h1>", "</h1>"), ("<h4>", "</h4>")];
        for _ in 0..1 + rng.below(3) {
            match rng.below(4) {
                _ if depth == 0 => phrasing(rng, 0, false, out),
                0 | 1 => {
                    let (open, close) = BLOCKS[rng.below(BLOCKS.len())];
                    out.push_str(open);
                    flow(rng, depth - 1, out);
                    out.push_str(close);
                }
                2 => {
                    let (open, close) = PHRASING_BLOCKS[rng.below(PHRASING_BLOCKS.len())];
                    out.push_str(open);
                    phrasing(rng, depth - 1, false, out);
                    out.push_str(close);
                }
                _ => phrasing(rng, depth - 1, false, out),
            }
        }
    }

    /// Phrasing content; `in_link`: inside an `<a>` (no link or button in it).
    fn phrasing(rng: &mut Rng, depth: usize, in_link: bool, out: &mut String) {
        const INLINE: [(&str, &str); 6] = [
            ("<span>", "</span>"),
            ("<em>", "</EM>"),
            ("<span class=\"visually-hidden\">", "</span>"),
            ("<span aria-hidden=\"true\">", "</span>"),
            ("<strong>", "</strong>"),
            ("<svg><text>", "</text></svg>"),
        ];
        for _ in 0..1 + rng.below(3) {
            let pick = rng.below(INLINE.len() + 2);
            if depth == 0 || pick == INLINE.len() {
                out.push_str(LEAVES[rng.below(LEAVES.len())]);
            } else if pick < INLINE.len() {
                let (open, close) = INLINE[pick];
                out.push_str(open);
                // SVG text holds text only here: an HTML tag in it would leave the SVG.
                if open.starts_with("<svg") {
                    out.push_str(LEAVES[0]);
                } else {
                    phrasing(rng, depth - 1, in_link, out);
                }
                out.push_str(close);
            } else if !in_link {
                let (open, close) =
                    if rng.below(2) == 0 { ("<a href=\"x?a=1&amp;b=2\">", "</a>") } else { ("<button type=button>", "</button>") };
                out.push_str(open);
                phrasing(rng, depth - 1, true, out);
                out.push_str(close);
            }
        }
    }

    #[test]
    fn same_text_on_generated_planpress_shaped_pages() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut wrong = Vec::new();
        for _ in 0..2_000 {
            let mut page = String::from("<!DOCTYPE html><html><body><main id=content>");
            let depth = 1 + rng.below(6);
            flow(&mut rng, depth, &mut page);
            page.push_str("</main><footer>f</footer></body></html>");
            if let Some(Err(e)) = compare(&page) {
                wrong.push(format!("{page}\n  {e}"));
            }
        }
        assert!(wrong.is_empty(), "{} pages differ:\n{}", wrong.len(), wrong[..wrong.len().min(5)].join("\n"));
    }

    #[test]
    fn same_text_as_a_full_parser() {
        let pages = [
            r#"<main id="content"><h1>标题</h1><div class="prose"><p>加强<strong>知识</strong>产权&nbsp;工作。<a href="../x/">援疆</a></p>
               <h3>目标 <small>2011</small></h3><table><thead><tr><th>指标</th></tr></thead><tbody><tr><td>1,234.5 万元</td></tr></tbody></table>
               <pre><code>a &lt; b</code></pre><img src="x.png" alt="图"><hr/></div>
               <section aria-labelledby="r"><h2 id="r">Results &amp; partners</h2><ul><li><a href="y">Beijing</a> · <time datetime="2011-03-05">5 March</time></li></ul></section>
               <form><input name="q"><button>Go</button></form><p class="notice">Illustrative</p><svg viewBox="0 0 1 1"><title>c</title><rect/></svg></main>"#,
            "<main><p>One<br>two<wbr>three</p><p>four</p><ol><li>five</li><li>six</li></ol><details><summary>seven</summary>eight</details></main>",
        ];
        for page in pages {
            let html = Html::parse_document(page);
            let main = html.select(&Selector::parse("main").unwrap()).next().unwrap();
            let (mut text, mut headings) = (String::new(), Vec::new());
            crate::render::search::collect_text(main, false, &mut text, &mut headings);
            let (scanned, scanned_headings) = super::main_text(page).unwrap();
            let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(norm(&scanned), norm(&text), "{page}");
            assert_eq!(scanned_headings, headings, "{page}");
        }
    }
}
