//! Tokens, the same for pages and queries in every language: hanzi bigrams (a lone hanzi by
//! itself) and words, lower-cased and Porter-stemmed (see the module above for why bigrams).

use rustc_hash::FxHashMap;

use super::stem::stem;

const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or",
    "that", "the", "their", "this", "to", "was", "were", "which", "will", "with", "within", "s", "t",
];

/// Han characters (CJK Unified Ideographs, extension A, compatibility, and the supplementary planes).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Splits text into runs: `(true, hanzi run)` or `(false, word)`.
fn runs(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    each_run(text, |han, run| out.push((han, run)));
    out
}

/// Calls `f` with each run of `text`, in order: `(true, hanzi run)` or `(false, word)`.
fn each_run<'t>(text: &'t str, mut f: impl FnMut(bool, &'t str)) {
    // The current run: (kind, start byte).
    let mut current: Option<(bool, usize)> = None;
    for (i, c) in text.char_indices() {
        // ASCII first: most characters of an English page, and every space and tag-free mark.
        let kind = if c.is_ascii() {
            c.is_ascii_alphanumeric().then_some(false)
        } else if is_han(c) {
            Some(true)
        } else {
            (c.is_alphabetic() || c.is_numeric()).then_some(false)
        };
        match (kind, current) {
            (Some(k), Some((ck, _))) if ck == k => {}
            (Some(k), _) => {
                if let Some((ck, start)) = current.take() {
                    f(ck, &text[start..i]);
                }
                current = Some((k, i));
            }
            (None, _) => {
                if let Some((ck, start)) = current.take() {
                    f(ck, &text[start..i]);
                }
            }
        }
    }
    if let Some((ck, start)) = current {
        f(ck, &text[start..]);
    }
}

/// A word as indexed: lower-cased, stemmed if plain ASCII letters, `None` for stop words and
/// single letters.
fn word_token(word: &str) -> Option<String> {
    let lower = if word.is_ascii() { word.to_ascii_lowercase() } else { word.to_lowercase() };
    if STOP_WORDS.contains(&lower.as_str()) || (lower.chars().count() == 1 && !lower.chars().all(|c| c.is_numeric())) {
        return None;
    }
    if lower.bytes().all(|b| b.is_ascii_lowercase()) {
        Some(stem(&lower))
    } else {
        Some(lower)
    }
}

/// Calls `f` with the [`word_token`] of `word`, remembered per thread: a site's vocabulary is
/// small next to its text, and lower-casing and stemming every occurrence was a large part of a
/// build.
fn with_word_token<R>(word: &str, f: impl FnOnce(Option<&str>) -> R) -> R {
    thread_local! {
        static TOKENS: std::cell::RefCell<FxHashMap<String, Option<String>>> = std::cell::RefCell::new(FxHashMap::default());
    }
    TOKENS.with(|tokens| {
        let mut tokens = tokens.borrow_mut();
        if let Some(token) = tokens.get(word) {
            return f(token.as_deref());
        }
        let token = word_token(word);
        let result = f(token.as_deref());
        // Bounded, so that a site of many distinct words (numbers, names) cannot grow it without end.
        if tokens.len() < 200_000 {
            tokens.insert(word.to_owned(), token);
        }
        result
    })
}

/// A token as [`each_token`] gives it: a hanzi bigram (or lone hanzi) is a slice of the text,
/// a word is lent for the call only.
pub(super) enum Token<'t, 'w> {
    Han(&'t str),
    Word(&'w str),
}

/// Calls `f` with every token of `text`, in order: hanzi bigrams (a lone hanzi by itself), words.
pub(super) fn each_token<'t>(text: &'t str, mut f: impl FnMut(Token<'t, '_>)) {
    each_run(text, |han, run| {
        if !han {
            with_word_token(run, |t| t.map(|t| f(Token::Word(t))));
            return;
        }
        // Each bigram runs from one character's start to the start of the character after next.
        let mut starts = run.char_indices().map(|(i, _)| i).skip(1);
        let Some(mut second) = starts.next() else {
            f(Token::Han(run));
            return;
        };
        let mut first = 0;
        loop {
            let end = starts.next().unwrap_or(run.len());
            f(Token::Han(&run[first..end]));
            if end == run.len() {
                break;
            }
            (first, second) = (second, end);
        }
    });
}

/// Every token of `text`, in order, for the index: hanzi bigrams (a lone hanzi by itself), words.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, |t| {
        out.push(match t {
            Token::Han(s) | Token::Word(s) => s.to_owned(),
        })
    });
    out
}

/// The tokens a query is looked up by: a hanzi run of two or more characters by its bigrams
/// (all must match), a single hanzi by itself (search.js then gathers the bigrams that begin or
/// end with it), words as in [`tokenize`]. Deduplicated.
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (han, run) in runs(query) {
        let chars: Vec<char> = run.chars().collect();
        let tokens: Vec<String> = if !han {
            word_token(run).into_iter().collect()
        } else if chars.len() == 1 {
            vec![run.to_owned()]
        } else {
            chars.windows(2).map(|w| w.iter().collect()).collect()
        };
        for t in tokens {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(tokenize("知识产权"), ["知识", "识产", "产权"]);
        assert_eq!(tokenize("省、市"), ["省", "市"]);
        assert_eq!(tokenize("The Intellectual-Property work, 2011"), ["intellectu", "properti", "work", "2011"]);
        assert_eq!(tokenize("科技援疆 S&T"), ["科技", "技援", "援疆"]);
        assert_eq!(query_tokens("知识产权"), ["知识", "识产", "产权"]);
        assert_eq!(query_tokens("疆"), ["疆"]);
        assert_eq!(query_tokens("intellectual property properties"), ["intellectu", "properti"]);
    }
}
