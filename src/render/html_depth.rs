//! The element nesting depth of HTML by one linear scan of its tags, without building a tree:
//! the guard in front of every stage that recurses per level (the minifier, the raw-HTML
//! sanitiser), so that deep markup is caught before it costs a stack overflow or minutes.

const VOID: [&[u8]; 14] =
    [b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"source", b"track", b"wbr"];
const RAW: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Index just past the end of the raw text element `name` whose content starts at `from`.
fn skip_raw(html: &[u8], from: usize, name: &[u8]) -> usize {
    let mut close = b"</".to_vec();
    close.extend_from_slice(name);
    // Templates write these tags in lower case; an upper-case one only makes the depth larger.
    find(&html[from..], &close).map_or(html.len(), |at| from + at + close.len())
}

/// The deepest element nesting of `html`, by a linear scan of its tags (an upper bound: an
/// omitted end tag counts as still open, which can only keep a page unminified).
pub fn nesting_depth(html: &[u8]) -> usize {
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = memchr::memchr(b'<', &html[i..]) {
        let start = i + at + 1;
        let rest = &html[start..];
        if rest.starts_with(b"!--") {
            i = find(&rest[3..], b"-->").map_or(html.len(), |e| start + 3 + e + 3);
            continue;
        }
        if rest.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i = start + 1;
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            i = start;
            continue;
        }
        let name_len = rest.iter().position(|b| !b.is_ascii_alphanumeric() && *b != b'-').unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        i = (start + end).min(html.len());
        if VOID.contains(&name.as_slice()) || (end > 0 && rest[end - 1] == b'/') {
            continue;
        }
        if RAW.contains(&name.as_slice()) {
            i = skip_raw(html, i, &name);
            continue;
        }
        depth += 1;
        max = max.max(depth);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_void_self_closing_comments_and_raw_text() {
        let html = b"<!DOCTYPE html><html><head><meta charset=utf-8><script>if (a<b) { x = '<div>'; }</script></head>\
            <body><!-- <div><div> --><p>a<br>b<img src=x></p><svg><path d=\"M0\"/></svg></body></html>";
        assert_eq!(nesting_depth(html), 3);
    }

    /// The deepest nesting html5ever builds, counted as the scanner counts: void elements,
    /// raw-text ones and childless foreign ones (`<path/>` in SVG) are not levels.
    fn html5ever_depth(html: &str) -> usize {
        use scraper::{ElementRef, Html};
        let doc = Html::parse_document(html);
        let counted = |el: ElementRef| {
            let name = el.value().name().as_bytes();
            let foreign = &*el.value().name.ns != "http://www.w3.org/1999/xhtml";
            !VOID.contains(&name) && !RAW.contains(&name) && !(foreign && !el.has_children())
        };
        doc.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|el| counted(*el))
            .map(|el| 1 + el.ancestors().filter_map(ElementRef::wrap).filter(|a| counted(*a)).count())
            .max()
            .unwrap_or(0)
    }

    /// Every page the example site renders: the scanner's depth is exactly html5ever's (the
    /// pages close every element they open).
    #[test]
    fn same_depth_as_html5ever_on_every_page_of_the_example() {
        let mut wrong = Vec::new();
        for (path, html) in crate::render::html_text::example_pages() {
            let (scanned, parsed) = (nesting_depth(html.as_bytes()), html5ever_depth(html));
            if scanned != parsed {
                wrong.push(format!("{path}: scanner {scanned}, html5ever {parsed}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
