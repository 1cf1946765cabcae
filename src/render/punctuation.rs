//! Chinese punctuation at render time (GB/T 15834): half-width `, ; : ? ! ( )` next to CJK
//! characters become `，；：？！（）`, straight quotes around CJK become `“”`/`‘’`. Never inside
//! code, URLs, numbers (`1,234`, `10:30`) or Latin-only runs, and only in text whose `lang` is
//! Chinese. The source stays as written; `check` lists each place ([`fixes`] on the source) so
//! editors can fix it there too.
//!
//! One rule set, [`fixes`], over a run of characters; [`normalise_html`] applies it to the text
//! of a rendered page (the tags between inline elements are transparent, so `<b>发展</b>,引导`
//! is one run), [`normalise_text`] to a plain string.

use std::borrow::Cow;

use super::markdown::is_cjk;

/// What becomes of one character of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Replaced by this full-width character.
    To(char),
    /// A space between full-width punctuation and CJK, removed.
    Drop,
}

/// The ASCII characters the rules may replace: a run without any needs no look.
fn candidate(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')' | '"' | '\'')
}

fn full_width(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => c,
    }
}

/// Han and the like, not the curly quotes and dashes that [`is_cjk`] also counts (they are
/// shared with Latin text and decide nothing here).
fn hanzi(c: Option<char>) -> bool {
    c.is_some_and(|c| is_cjk(c) && !matches!(c, '“' | '”' | '‘' | '’' | '…' | '—'))
}

/// The characters inside URLs (`https://…`, `www.…`), which are never touched.
fn url_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let url_char = |c: char| c.is_ascii_graphic() && c != '"' && c != '\'' && c != '<' && c != '>';
    let starts = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    for i in 0..chars.len() {
        if starts(i, "://") || (starts(i, "www.") && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())) {
            let mut start = i;
            while start > 0 && (chars[start - 1].is_ascii_alphanumeric() || matches!(chars[start - 1], '+' | '-' | '.')) {
                start -= 1;
            }
            let mut end = i;
            while end < chars.len() && url_char(chars[end]) {
                end += 1;
            }
            mask[start..end].iter_mut().for_each(|m| *m = true);
        }
    }
    mask
}

/// The fixes of one run of text, by index into `chars`, in order.
pub fn fixes(chars: &[char]) -> Vec<(usize, Fix)> {
    if !chars.iter().any(|c| candidate(*c)) || !chars.iter().any(|c| hanzi(Some(*c))) {
        return Vec::new();
    }
    let mask = url_mask(chars);
    let at = |i: usize| chars.get(i).copied();
    let before = |i: usize| i.checked_sub(1).and_then(at);
    // The nearest character that is not a space, before and after `i`, and where.
    let prev_solid = |i: usize| (0..i).rev().find(|&k| chars[k] != ' ');
    let next_solid = |i: usize| (i + 1..chars.len()).find(|&k| chars[k] != ' ');
    let mut out: Vec<(usize, Fix)> = Vec::new();
    let drop_spaces_after = |i: usize, out: &mut Vec<(usize, Fix)>| {
        if let Some(k) = next_solid(i) {
            if hanzi(at(k)) {
                out.extend((i + 1..k).map(|s| (s, Fix::Drop)));
            }
        }
    };
    // Parentheses by pairs, so both halves of one pair agree.
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut quotes: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if mask[i] {
            continue;
        }
        match c {
            '(' => open.push(i),
            ')' => pairs.push((open.pop(), Some(i))),
            '"' => quotes.push(i),
            ',' | ';' | ':' | '?' | '!' => {
                let (p, n) = (before(i), at(i + 1));
                // 1,234 and 10:30 are numbers.
                if p.is_some_and(|p| p.is_ascii_digit()) && n.is_some_and(|n| n.is_ascii_digit()) {
                    continue;
                }
                if hanzi(p) || hanzi(n) || (p.is_some_and(|p| !p.is_ascii_alphabetic()) && next_solid(i).is_some_and(|k| hanzi(at(k)))) {
                    out.push((i, Fix::To(full_width(c))));
                    drop_spaces_after(i, &mut out);
                }
            }
            _ => {}
        }
    }
    pairs.extend(open.into_iter().map(|o| (Some(o), None)));
    for (o, c) in pairs {
        let inside = match (o, c) {
            (Some(o), Some(c)) => chars[o + 1..c].iter().any(|x| hanzi(Some(*x))),
            _ => false,
        };
        let outside = o.is_some_and(|o| hanzi(prev_solid(o).and_then(at))) || c.is_some_and(|c| hanzi(next_solid(c).and_then(at)));
        // An unpaired half goes by its own neighbours.
        let lone = (o.is_none() && c.is_some_and(|c| hanzi(before(c)))) || (c.is_none() && o.is_some_and(|o| hanzi(at(o + 1))));
        if inside || outside || lone {
            if let Some(o) = o {
                out.push((o, Fix::To('（')));
                if let Some(p) = prev_solid(o).filter(|&p| hanzi(at(p))) {
                    out.extend((p + 1..o).map(|s| (s, Fix::Drop)));
                }
            }
            if let Some(c) = c {
                out.push((c, Fix::To('）')));
                drop_spaces_after(c, &mut out);
            }
        }
    }
    // Straight double quotes in pairs, in order; a pair around CJK becomes “”.
    for pair in quotes.chunks_exact(2) {
        let (o, c) = (pair[0], pair[1]);
        if chars[o + 1..c].iter().any(|x| hanzi(Some(*x))) {
            out.push((o, Fix::To('“')));
            out.push((c, Fix::To('”')));
        }
    }
    single_quotes(chars, &mask, &mut out);
    out.sort_unstable_by_key(|(i, _)| *i);
    out.dedup_by_key(|(i, _)| *i);
    out
}

/// `'中文'` → `‘中文’`: only a quote that opens before a hanzi (not after a letter, which is an
/// apostrophe) and the next one that closes after a hanzi.
fn single_quotes(chars: &[char], mask: &[bool], out: &mut Vec<(usize, Fix)>) {
    let mut i = 0;
    while i < chars.len() {
        let opens = chars[i] == '\'' && !mask[i] && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) && hanzi(chars.get(i + 1).copied());
        if opens {
            let close = (i + 1..chars.len()).find(|&k| chars[k] == '\'');
            if let Some(k) = close.filter(|&k| hanzi(Some(chars[k - 1])) && !chars.get(k + 1).is_some_and(char::is_ascii_alphanumeric)) {
                out.push((i, Fix::To('‘')));
                out.push((k, Fix::To('’')));
                i = k;
            }
        }
        i += 1;
    }
}

/// `text` with the fixes applied (a plain string: a title, an outline entry).
pub fn normalise_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(candidate) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let found = fixes(&chars);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2 * found.len());
    let mut next = found.iter().peekable();
    for (i, c) in chars.iter().enumerate() {
        match next.next_if(|(k, _)| *k == i) {
            Some((_, Fix::To(to))) => out.push(*to),
            Some((_, Fix::Drop)) => {}
            None => out.push(*c),
        }
    }
    Cow::Owned(out)
}

/// Elements whose content is never touched: code, preformatted text, scripts and styles.
const SKIP: [&str; 9] = ["code", "pre", "kbd", "samp", "script", "style", "textarea", "template", "var"];
/// Elements that do not break a run of text (their tags are transparent).
const INLINE: [&str; 19] =
    ["a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time"];
const VOID: [&str; 14] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// One character of a page's text: where it is in the HTML (an entity is one character).
struct Unit {
    start: usize,
    end: usize,
    c: char,
}

/// A run of text as the page holds it: pieces of Chinese text, and placeholders for text the run
/// cannot see. Characters are decoded only when the run holds a candidate for a fix, which most
/// runs of most pages do not.
#[derive(Default)]
struct Run {
    pieces: Vec<Piece>,
    has_candidate: bool,
}

enum Piece {
    /// `html[start..end]`, Chinese text.
    Text(usize, usize),
    /// Text that is not Chinese or not seen (one placeholder character).
    Hidden(usize),
}

impl Run {
    fn push_text(&mut self, html: &str, start: usize, end: usize) {
        // Entities may decode to quotes.
        self.has_candidate |=
            html.as_bytes()[start..end].iter().any(|b| matches!(b, b',' | b';' | b':' | b'?' | b'!' | b'(' | b')' | b'"' | b'\'' | b'&'));
        self.pieces.push(Piece::Text(start, end));
    }

    /// The run's fixes as edits of the page, and the run emptied.
    fn flush(&mut self, html: &str, edits: &mut Vec<(usize, usize, Fix)>) {
        if self.has_candidate {
            let mut units = Vec::new();
            for piece in &self.pieces {
                match *piece {
                    Piece::Text(start, end) => push_units(html, start, end, &mut units),
                    Piece::Hidden(at) => units.push(Unit { start: at, end: at, c: '\u{FFFC}' }),
                }
            }
            flush(&mut units, edits);
        }
        self.pieces.clear();
        self.has_candidate = false;
    }
}

/// Whether `name` is one of `names`, ignoring ASCII case (no lowercase copy per tag).
fn one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Where the end tag `</name` of a raw text element starts in `html[from..]`, ignoring case.
fn end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(&bytes[from..], b"</")
        .map(|k| from + k)
        .find(|&k| bytes.get(k + 2..k + 2 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())))
}

/// One open element: its name and whether its text is Chinese and not skipped.
struct Open<'a> {
    name: &'a str,
    zh: bool,
    skip: bool,
}

/// A rendered page with the punctuation of its Chinese text normalised, or `None` when
/// nothing changes (nothing copied). Attributes are left as written.
pub fn normalise_html(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut run = Run::default();
    let mut edits: Vec<(usize, usize, Fix)> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|k| pos + k) else {
            text_units(html, pos, bytes.len(), &stack, &mut run);
            break;
        };
        text_units(html, pos, lt, &stack, &mut run);
        // A comment, doctype or processing instruction: skipped whole.
        if html[lt..].starts_with("<!--") {
            pos = html[lt..].find("-->").map_or(bytes.len(), |k| lt + k + 3);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', &bytes[lt..]).map(|k| lt + k) else { break };
        let tag = &html[lt + 1..gt];
        pos = gt + 1;
        let closing = tag.starts_with('/');
        let name_end = tag.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').filter(|&k| k > 0 || closing);
        let name = if closing { tag[1..].trim() } else { &tag[..name_end.unwrap_or(tag.len())] };
        if name.is_empty() || name.starts_with('!') || name.starts_with('?') {
            continue;
        }
        if !one_of(name, &INLINE) {
            run.flush(html, &mut edits);
        }
        if closing {
            if let Some(k) = stack.iter().rposition(|o| o.name.eq_ignore_ascii_case(name)) {
                stack.truncate(k);
            }
            continue;
        }
        let parent = stack.last();
        let zh = match lang_attr(tag) {
            Some(lang) => lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")),
            None => parent.is_some_and(|p| p.zh),
        };
        let skip = parent.is_some_and(|p| p.skip) || one_of(name, &SKIP) || tag.contains("translate=\"no\"");
        if zh && !skip {
            attribute_edits(html, lt + 1, tag, &mut edits);
        }
        if one_of(name, &VOID) || tag.ends_with('/') {
            continue;
        }
        stack.push(Open { name, zh, skip });
        // Raw text elements end at their end tag, whatever they hold.
        if one_of(name, &["script", "style", "textarea"]) {
            pos = end_tag(html, pos, name).unwrap_or(bytes.len());
        }
    }
    run.flush(html, &mut edits);
    if edits.is_empty() {
        return None;
    }
    // A run of text flushes at the next block tag, after the attributes of inline tags inside it.
    edits.sort_unstable_by_key(|(start, _, _)| *start);
    let mut out = String::with_capacity(html.len() + 2 * edits.len());
    let mut last = 0;
    for (start, end, fix) in edits {
        out.push_str(&html[last..start]);
        if let Fix::To(c) = fix {
            out.push(c);
        }
        last = end;
    }
    out.push_str(&html[last..]);
    Some(out)
}

/// The units of `html[from..to]`, text of the innermost open element, onto `run` when that
/// element's text is Chinese (else the run ends there: Latin text between is no context).
fn text_units(html: &str, from: usize, to: usize, stack: &[Open], run: &mut Run) {
    if from >= to {
        return;
    }
    if !stack.last().is_some_and(|o| o.zh && !o.skip) {
        // A run never reaches over text it cannot see.
        if !html[from..to].trim().is_empty() {
            run.pieces.push(Piece::Hidden(from));
        }
        return;
    }
    run.push_text(html, from, to);
}

/// The characters of `html[from..to]` (text, entities decoded) onto `run`.
fn push_units(html: &str, from: usize, to: usize, run: &mut Vec<Unit>) {
    let text = &html[from..to];
    let mut chars = text.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        if c == '&' {
            if let Some(semi) = text[k..].find(';').filter(|&s| s <= 10) {
                let entity = &text[k + 1..k + semi];
                let decoded = match entity {
                    "quot" | "#34" | "#x22" => '"',
                    "#39" | "#x27" | "apos" => '\'',
                    "#x2F" | "#x2f" | "#47" => '/',
                    "amp" => '&',
                    "nbsp" => '\u{a0}',
                    _ => '\u{FFFC}',
                };
                run.push(Unit { start: from + k, end: from + k + semi + 1, c: decoded });
                while chars.next_if(|(j, _)| *j <= k + semi).is_some() {}
                continue;
            }
        }
        // Line breaks inside text are spaces as far as the rules go.
        let c = if c.is_ascii_whitespace() { ' ' } else { c };
        run.push(Unit { start: from + k, end: from + k + c.len_utf8().max(1), c });
    }
}

/// Attributes whose value is text for people (a page's description, a link's title).
const TEXT_ATTRIBUTES: [&str; 5] = ["content", "title", "alt", "aria-label", "placeholder"];

/// The edits of the text attributes of one start tag (`tag` starts at `at` in `html`).
fn attribute_edits(html: &str, at: usize, tag: &str, edits: &mut Vec<(usize, usize, Fix)>) {
    let mut rest = tag;
    let mut offset = at;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].rsplit(|c: char| c.is_ascii_whitespace()).next().unwrap_or_default();
        let value = &rest[eq + 1..];
        let Some(quote @ ('"' | '\'')) = value.chars().next() else {
            offset += eq + 1;
            rest = value;
            continue;
        };
        let Some(len) = value[1..].find(quote) else { break };
        let start = offset + eq + 2;
        if one_of(name, &TEXT_ATTRIBUTES) {
            let mut run = Run::default();
            run.push_text(html, start, start + len);
            run.flush(html, edits);
        }
        let used = eq + 2 + len + 1;
        offset += used;
        rest = &rest[used..];
    }
}

fn flush(run: &mut Vec<Unit>, edits: &mut Vec<(usize, usize, Fix)>) {
    if run.iter().any(|u| candidate(u.c)) {
        let chars: Vec<char> = run.iter().map(|u| u.c).collect();
        for (i, fix) in fixes(&chars) {
            let u = &run[i];
            // A placeholder for hidden text is never edited.
            if u.start < u.end {
                edits.push((u.start, u.end, fix));
            }
        }
    }
    run.clear();
}

/// The `lang` attribute of a start tag's text (`p lang="zh-Hans" class=…`).
fn lang_attr(tag: &str) -> Option<&str> {
    let mut rest = tag;
    while let Some(k) = rest.find("lang=") {
        let before = rest[..k].chars().last();
        let value = &rest[k + 5..];
        if before.is_some_and(|c| c.is_ascii_whitespace()) {
            let (quote, value) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
                _ => (None, value),
            };
            let end =
                value.find(|c: char| Some(c) == quote || (quote.is_none() && (c.is_ascii_whitespace() || c == '/'))).unwrap_or(value.len());
            return Some(&value[..end]);
        }
        rest = &rest[k + 5..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_punctuation_next_to_hanzi_becomes_full_width() {
        assert_eq!(normalise_text("发展,引导"), "发展，引导");
        assert_eq!(normalise_text("全委(扩大)会议"), "全委（扩大）会议");
        assert_eq!(normalise_text("注:见下; 是吗? 好!"), "注：见下；是吗？好！");
        assert_eq!(normalise_text("“19+2”合作伙伴 (19+2) 名单"), "“19+2”合作伙伴（19+2）名单");
        assert_eq!(normalise_text("他说\"十二五\"规划"), "他说“十二五”规划");
        assert_eq!(normalise_text("所谓'双创'工作"), "所谓‘双创’工作");
        assert_eq!(normalise_text("2011年,全区"), "2011年，全区");
    }

    #[test]
    fn numbers_urls_and_latin_runs_stay_as_written() {
        for kept in [
            "共1,234项，10:30开会",
            "见 https://example.org/a,b(c) 网站",
            "Xinjiang (XJ), China: yes? no!",
            "Xinjiang's \"plan\"",
            "Hello, world",
        ] {
            assert_eq!(normalise_text(kept), kept);
        }
    }

    #[test]
    fn html_is_normalised_in_chinese_text_only_and_across_inline_tags() {
        let html = "<html lang=\"zh-Hans\"><title>计划(草案)</title><p><b>发展</b>,引导&quot;十二五&quot;</p>\
                    <p lang=\"en\">Plan (draft), 新疆</p><code>a(新)</code><p title=\"x,中\">中,文</p><meta content=\"发展,引导\"></html>";
        let out = normalise_html(html).unwrap();
        assert_eq!(
            out,
            "<html lang=\"zh-Hans\"><title>计划（草案）</title><p><b>发展</b>，引导“十二五”</p>\
             <p lang=\"en\">Plan (draft), 新疆</p><code>a(新)</code><p title=\"x，中\">中，文</p><meta content=\"发展，引导\"></html>"
        );
        assert_eq!(normalise_html("<p lang=\"zh\">全文，无误</p>"), None);
    }
}
