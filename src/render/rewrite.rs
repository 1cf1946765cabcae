//! Rewriting rendered HTML as text: the root placeholder of every page, heading demotion for
//! bodies placed under a page's own headings, and a substring replacement that copies nothing
//! when there is nothing to replace. All of them pass over every byte of the site, so they
//! search with SIMD (memchr).

/// Stands for the relative path to the site root inside rendered Markdown; replaced per page,
/// since the same body appears on pages of different depth.
pub const ROOT_TOKEN: &str = "__planpress_root__/";

/// `text` with every `from` replaced by `to`, as [`str::replace`] does, or `None` when `from`
/// does not occur (nothing copied): `str::replace` was 5% of a build.
pub fn replace_all(text: &str, from: &str, to: &str) -> Option<String> {
    if from.is_empty() {
        return (!text.is_empty() || !to.is_empty()).then(|| text.replace(from, to));
    }
    let finder = memchr::memmem::Finder::new(from.as_bytes());
    let mut matches = finder.find_iter(text.as_bytes()).peekable();
    matches.peek()?;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for start in matches {
        out.push_str(&text[last..start]);
        out.push_str(to);
        last = start + from.len();
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// `html` with every heading one level down (`<h1>` → `<h2>`, …, `<h5>` → `<h6>`; `<h6>` stays),
/// or `None` when it has none: a body's sections sit below the headings of the page that holds
/// it (the booklets). One pass over the text, which a chain of `replace` filters made six.
pub fn demote_headings(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let digits: Vec<usize> = memchr::memchr_iter(b'<', bytes)
        .filter_map(|lt| {
            let name = lt + 1 + usize::from(bytes.get(lt + 1) == Some(&b'/'));
            match bytes.get(name..name + 3)? {
                [b'h' | b'H', b'1'..=b'5', b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'] => Some(name + 1),
                _ => None,
            }
        })
        .collect();
    if digits.is_empty() {
        return None;
    }
    // A digit for the next digit: the text keeps its length and stays UTF-8.
    let mut out = bytes.to_vec();
    for i in digits {
        out[i] += 1;
    }
    String::from_utf8(out).ok()
}

/// A rendered page with its Chinese punctuation normalised (when the site wants it, see
/// `super::punctuation`) and [`ROOT_TOKEN`] replaced by the page's relative `root`.
pub fn finish_page(html: String, root: &str, normalise_punctuation: bool) -> Vec<u8> {
    let html = match normalise_punctuation.then(|| super::punctuation::normalise_html(&html)).flatten() {
        Some(normalised) => normalised,
        None => html,
    };
    with_root(html, root)
}

/// A rendered page with [`ROOT_TOKEN`] replaced by the page's relative `root`.
pub fn with_root(html: String, root: &str) -> Vec<u8> {
    match replace_all(&html, ROOT_TOKEN, root) {
        Some(replaced) => replaced.into_bytes(),
        None => html.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_go_one_level_down() {
        let html = "<h2 id=\"a\">二</h2><p>x<h3>三</h3><h5>五</h5><h6>六</h6><hr><header>h2</header></p><H4>IV</H4>";
        assert_eq!(
            demote_headings(html).unwrap(),
            "<h3 id=\"a\">二</h3><p>x<h4>三</h4><h6>五</h6><h6>六</h6><hr><header>h2</header></p><H5>IV</H5>"
        );
        assert_eq!(demote_headings("<p>no headings, <hr> only</p>"), None);
    }
}
