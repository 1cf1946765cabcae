//! The element nesting depth of HTML by one linear scan of its tags, without building a tree:
//! the guard in front of every stage that recurses per level (the minifier, the raw-HTML
//! sanitiser), so that deep markup is caught before it costs a stack overflow or minutes.
//!
//! The claim, checked against html5ever in the tests below: on markup that closes what it opens
//! (every page planpress writes) the depth is html5ever's exactly; on any other markup it is at
//! least html5ever's, so hostile markup cannot slip past the guard. The scanner follows the
//! parts of the HTML tree-building rules that can make html5ever's tree deeper than the tags
//! look: an end tag closes only an element that is open, and never across a block (`</li>`
//! after an unclosed `<ul>` closes nothing); `/>` closes only in SVG and MathML; raw text ends only at its
//! own end tag, in any case; the `tbody` and `tr` a table gets implicitly; formatting elements
//! (`<b>`, `<em>`, …) closed by a block's end are re-opened by html5ever, so they still count.
//! The `html` and `body` a document without them gets are not counted (two levels at most).

use std::collections::HashMap;

const VOID: [&[u8]; 14] =
    [b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"source", b"track", b"wbr"];
/// Elements whose content is text up to their end tag (outside SVG and MathML).
const RAW: [&[u8]; 9] = [b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript"];
/// The HTML spec's "special" elements that can hold other elements: an end tag does not close
/// across one of them.
const SPECIAL: [&[u8]; 58] = [
    b"address",
    b"applet",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"button",
    b"caption",
    b"center",
    b"colgroup",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"frameset",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hgroup",
    b"html",
    b"iframe",
    b"li",
    b"listing",
    b"main",
    b"marquee",
    b"menu",
    b"nav",
    b"noembed",
    b"noframes",
    b"object",
    b"ol",
    b"p",
    b"plaintext",
    b"pre",
    b"search",
    b"section",
    b"select",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"template",
    b"tfoot",
    b"th",
    b"thead",
];
/// Special elements too (kept apart to keep the list above readable).
const SPECIAL_MORE: [&[u8]; 3] = [b"tr", b"ul", b"xmp"];
/// Formatting elements: html5ever re-opens those a block's end closed.
const FORMATTING: [&[u8]; 14] =
    [b"a", b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike", b"strong", b"tt", b"u"];
/// HTML elements that end SVG or MathML content where they appear (`<svg><div>` is an HTML div).
const BREAKOUT: [&[u8]; 44] = [
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];
/// Table parts: html5ever drops them outside a table.
const TABLE_PARTS: [&[u8]; 9] = [b"table", b"tbody", b"thead", b"tfoot", b"tr", b"td", b"th", b"caption", b"colgroup"];

fn is(list: &[&[u8]], name: &[u8]) -> bool {
    list.contains(&name)
}

fn special(name: &[u8]) -> bool {
    is(&SPECIAL, name) || is(&SPECIAL_MORE, name)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

/// One open element. The indexes let an end tag be checked in O(1) however deep the stack.
struct Open {
    name: Vec<u8>,
    ns: Ns,
    /// 1 + the index of the nearest special (or foreign) element at or below this one (0: none).
    last_special: usize,
}

impl Open {
    /// Whether its content is HTML again (an HTML element, or an integration point).
    fn holds_html(&self) -> bool {
        match self.ns {
            Ns::Html => true,
            Ns::Svg => matches!(self.name.as_slice(), b"foreignobject" | b"desc" | b"title"),
            Ns::MathMl => matches!(self.name.as_slice(), b"mi" | b"mo" | b"mn" | b"ms" | b"mtext" | b"annotation-xml"),
        }
    }
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Open>,
    /// Name → the stack indexes of the open elements of that name, innermost last.
    by_name: HashMap<Vec<u8>, Vec<usize>>,
    /// Formatting elements closed by another element's end tag: html5ever re-opens them at the
    /// next content, so they count as open (`reopened_total`) and are pushed again at the next
    /// start tag; their own end tag before that removes one (`reopened`: name → how many).
    reopened_order: Vec<Vec<u8>>,
    reopened: HashMap<Vec<u8>, usize>,
    reopened_total: usize,
    max: usize,
}

impl Scanner {
    fn note(&mut self, depth: usize) {
        self.max = self.max.max(depth + self.reopened_total);
    }

    /// Whether the current element's content is SVG or MathML.
    fn foreign_here(&self) -> bool {
        self.stack.last().is_some_and(|top| !top.holds_html())
    }

    fn push(&mut self, name: Vec<u8>, ns: Ns) {
        let index = self.stack.len();
        let below = self.stack.last().map_or(0, |t| t.last_special);
        // Foreign elements block too: an HTML end tag does not close across SVG or MathML;
        // nor does a foreign end tag close across HTML that broke out of it (`<svg><span>`).
        let blocks = ns != Ns::Html || special(&name) || self.foreign_here();
        let last_special = if blocks { index + 1 } else { below };
        self.by_name.entry(name.clone()).or_default().push(index);
        self.stack.push(Open { name, ns, last_special });
        self.note(self.stack.len());
    }

    /// Pops the elements above index `keep` (`keep` stays); formatting ones count on, as
    /// html5ever will re-open them.
    fn pop_above(&mut self, keep: usize, closing: &[u8]) {
        while self.stack.len() > keep {
            let Some(open) = self.stack.pop() else { break };
            let index = self.stack.len();
            if let Some(indexes) = self.by_name.get_mut(&open.name).filter(|v| v.last() == Some(&index)) {
                indexes.pop();
            }
            if open.ns == Ns::Html && is(&FORMATTING, &open.name) && open.name != closing {
                *self.reopened.entry(open.name.clone()).or_default() += 1;
                self.reopened_order.push(open.name);
                self.reopened_total += 1;
            }
        }
    }

    /// Pushes the re-opened formatting elements again, outermost first.
    fn reopen(&mut self) {
        let order = std::mem::take(&mut self.reopened_order);
        for name in order.into_iter().rev() {
            if let Some(n) = self.reopened.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                self.reopened_total -= 1;
                self.push(name, Ns::Html);
            }
        }
    }

    fn start_tag(&mut self, name: Vec<u8>, self_closing: bool) {
        self.reopen();
        let ns = match self.stack.last() {
            Some(top) if !top.holds_html() && !is(&BREAKOUT, &name) => top.ns,
            _ if name == b"svg" => Ns::Svg,
            _ if name == b"math" => Ns::MathMl,
            _ => Ns::Html,
        };
        if ns == Ns::Html {
            if is(&TABLE_PARTS, &name) && name != b"table" && self.by_name.get(b"table".as_slice()).is_none_or(|v| v.is_empty()) {
                return; // a cell with no table: html5ever ignores the tag
            }
            self.implied_table_parts(&name);
        }
        if (ns == Ns::Html && is(&VOID, &name)) || (self_closing && ns != Ns::Html) {
            return;
        }
        self.push(name, ns);
    }

    /// `<tr>` in a `<table>` gets a `tbody`, a cell a `tbody` and a `tr`, a `<col>` a
    /// `colgroup`: html5ever adds them below the innermost table part, wherever the tag is.
    fn implied_table_parts(&mut self, name: &[u8]) {
        let cell = name == b"td" || name == b"th";
        if !(cell || name == b"tr" || name == b"col") {
            return;
        }
        let innermost = TABLE_PARTS.iter().filter_map(|p| Some((*self.by_name.get(*p)?.last()?, *p))).max().map(|(_, p)| p);
        match innermost {
            Some(b"table") if name == b"col" => self.note(self.stack.len() + 1),
            Some(b"table") => {
                self.push(b"tbody".to_vec(), Ns::Html);
                if cell {
                    self.push(b"tr".to_vec(), Ns::Html);
                }
            }
            Some(b"tbody" | b"thead" | b"tfoot") if cell => self.push(b"tr".to_vec(), Ns::Html),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        let Some(&at) = self.by_name.get(name).and_then(|v| v.last()) else {
            if let Some(n) = self.reopened.get_mut(name).filter(|n| **n > 0) {
                *n -= 1;
                self.reopened_total -= 1;
            } else if name == b"p" {
                self.note(self.stack.len() + 1); // `</p>` with no `<p>` makes an empty one
            }
            return;
        };
        // html5ever closes across a block only in some cases (and then had often closed the
        // element already, implicitly, which the scanner does not model): never doing it keeps
        // the depth an upper bound, and well-formed markup always finds its element on top.
        let blocked = self.stack.last().is_some_and(|t| t.last_special > at + 1);
        if !blocked {
            self.pop_above(at, name);
            return;
        }
        // html5ever may have closed it after all: it stays counted, but no later end tag may
        // close others by reaching it.
        if let Some(indexes) = self.by_name.get_mut(name) {
            indexes.pop();
        }
        if name == b"p" {
            self.note(self.stack.len() + 1); // a `<p>` out of reach: html5ever makes an empty one
        }
    }
}

/// Index just past the end tag of the raw text element `name` whose content starts at `from`
/// (`</name` in any case, then white space, `/` or `>`), or the end of `html`.
fn skip_raw(html: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(at) = memchr::memmem::find(&html[i..], b"</") {
        let after = i + at + 2;
        let end = after + name.len();
        if html.get(after..end).is_some_and(|n| n.eq_ignore_ascii_case(name))
            && html.get(end).is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return tag_end(html, end);
        }
        i = after;
    }
    html.len()
}

/// Index just past the `>` that ends the tag whose name ends at `from`: a quoted attribute
/// value may hold `>`; an unterminated one runs to the end, as in html5ever.
fn tag_end(html: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < html.len() {
        match html[i] {
            b'>' => return i + 1,
            b'"' | b'\'' if after_equals => {
                let quote = html[i];
                i = memchr::memchr(quote, &html[i + 1..]).map_or(html.len(), |q| i + 1 + q + 1);
                after_equals = false;
                continue;
            }
            b'=' => after_equals = true,
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    html.len()
}

/// Index just past a comment starting at `from` (just after `<!--`): it ends at `-->`, at
/// `--!>`, or at once as `<!-->` / `<!--->`.
fn comment_end(html: &[u8], from: usize) -> usize {
    let rest = &html[from..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let close = memchr::memmem::find(rest, b"-->").map(|i| i + 3);
    let bang = memchr::memmem::find(rest, b"--!>").map(|i| i + 4);
    from + close.into_iter().chain(bang).min().unwrap_or(rest.len())
}

/// The tag name starting at `from`, lower-cased: up to white space, `/` or `>`.
fn tag_name(html: &[u8], from: usize) -> (Vec<u8>, usize) {
    let len = html[from..].iter().position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>')).unwrap_or(html.len() - from);
    (html[from..from + len].to_ascii_lowercase(), from + len)
}

/// The deepest element nesting of `html`, by a linear scan of its tags (see the module's
/// claim). Linear however hostile the markup: each end tag is checked against the open
/// elements through indexes, not by walking them.
pub fn nesting_depth(html: &[u8]) -> usize {
    let mut scan = Scanner::default();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &html[i..]) {
        let start = i + at + 1;
        let rest = &html[start..];
        if rest.starts_with(b"!--") {
            i = comment_end(html, start + 3);
        } else if rest.first() == Some(&b'/') && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let (name, end) = tag_name(html, start + 1);
            i = tag_end(html, end);
            scan.end_tag(&name);
        } else if rest.first() == Some(&b'/') || rest.first() == Some(&b'!') || rest.first() == Some(&b'?') {
            // `</>`, `</ x>`, `<!DOCTYPE …>`, `<?…>`: ignored, or a comment to the next `>`.
            i = memchr::memchr(b'>', rest).map_or(html.len(), |e| start + e + 1);
        } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
            let (name, end) = tag_name(html, start);
            i = tag_end(html, end);
            let self_closing = i >= 2 && html[i - 2] == b'/' && html[i - 1] == b'>';
            if name == b"plaintext" && !scan.foreign_here() {
                scan.start_tag(name, false);
                break; // The rest of the document is text.
            }
            let raw = is(&RAW, &name) && !scan.foreign_here();
            if raw {
                i = skip_raw(html, i, &name);
                continue;
            }
            scan.start_tag(name, self_closing);
        } else {
            i = start;
        }
    }
    scan.max
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
}

#[cfg(test)]
mod oracle;
