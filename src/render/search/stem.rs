//! The Porter stemmer (M. F. Porter, 1980, the original rules), for English search terms;
//! `static/search.js` has the same. `tests/search.rs` checks both against an independent
//! implementation over 18,900 English words (`tests/search/porter-vocabulary.tsv`); the one
//! deliberate difference, words of one or two letters left whole as in Porter's reference program,
//! is explained there.

fn is_consonant(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_consonant(w, i - 1),
        _ => true,
    }
}

/// m: the number of vowel–consonant sequences in `w`.
fn measure(w: &[u8]) -> usize {
    let mut m = 0;
    let mut i = 0;
    while i < w.len() && is_consonant(w, i) {
        i += 1;
    }
    loop {
        while i < w.len() && !is_consonant(w, i) {
            i += 1;
        }
        if i >= w.len() {
            return m;
        }
        while i < w.len() && is_consonant(w, i) {
            i += 1;
        }
        m += 1;
    }
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !is_consonant(w, i))
}

fn double_consonant(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && is_consonant(w, n - 1)
}

/// *o: ends consonant–vowel–consonant, the last not w, x or y.
fn cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3 && is_consonant(w, n - 3) && !is_consonant(w, n - 2) && is_consonant(w, n - 1) && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

/// Applies the first rule whose suffix `w` ends with, if the rest has measure > `min_m`.
fn replace_first(w: &mut Vec<u8>, rules: &[(&str, &str)], min_m: usize) {
    for (suffix, replacement) in rules {
        if w.ends_with(suffix.as_bytes()) {
            let stem_len = w.len() - suffix.len();
            if measure(&w[..stem_len]) > min_m {
                w.truncate(stem_len);
                w.extend_from_slice(replacement.as_bytes());
            }
            return;
        }
    }
}

const STEP2: [(&str, &str); 20] = [
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("abli", "able"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
];
const STEP3: [(&str, &str); 7] =
    [("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")];
const STEP4: [&str; 19] = [
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
];

/// The Porter stem of a lower-case ASCII word (`intellectual` → `intellectu`).
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let mut w = word.as_bytes().to_vec();
    // Step 1a
    if w.ends_with(b"sses") || w.ends_with(b"ies") {
        w.truncate(w.len() - 2);
    } else if !w.ends_with(b"ss") && w.ends_with(b"s") {
        w.pop();
    }
    // Step 1b
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            w.pop();
        }
    } else {
        let cut = if w.ends_with(b"ed") && has_vowel(&w[..w.len() - 2]) {
            2
        } else if w.ends_with(b"ing") && has_vowel(&w[..w.len() - 3]) {
            3
        } else {
            0
        };
        if cut > 0 {
            w.truncate(w.len() - cut);
            if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
                w.push(b'e');
            } else if double_consonant(&w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
                w.pop();
            } else if measure(&w) == 1 && cvc(&w) {
                w.push(b'e');
            }
        }
    }
    // Step 1c
    if w.ends_with(b"y") && has_vowel(&w[..w.len() - 1]) {
        let n = w.len();
        w[n - 1] = b'i';
    }
    replace_first(&mut w, &STEP2, 0);
    replace_first(&mut w, &STEP3, 0);
    // Step 4: the first (longest listed) suffix decides; -ion only after s or t.
    if let Some(suffix) = STEP4.iter().find(|s| w.ends_with(s.as_bytes())) {
        let stem_len = w.len() - suffix.len();
        let ion_ok = *suffix != "ion" || (stem_len > 0 && matches!(w[stem_len - 1], b's' | b't'));
        if ion_ok && measure(&w[..stem_len]) > 1 {
            w.truncate(stem_len);
        }
    }
    // Step 5a
    if w.ends_with(b"e") {
        let stem_len = w.len() - 1;
        let m = measure(&w[..stem_len]);
        if m > 1 || (m == 1 && !cvc(&w[..stem_len])) {
            w.pop();
        }
    }
    // Step 5b
    if measure(&w) > 1 && w.ends_with(b"ll") {
        w.pop();
    }
    String::from_utf8(w).unwrap_or_else(|_| word.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porter_examples() {
        for (word, expected) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("caress", "caress"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("hopping", "hop"),
            ("falling", "fall"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("conditional", "condit"),
            ("generalization", "gener"),
            ("electrical", "electr"),
            ("hopeful", "hope"),
            ("goodness", "good"),
            ("adjustment", "adjust"),
            ("adoption", "adopt"),
            ("controlling", "control"),
            ("rate", "rate"),
            ("cease", "ceas"),
            ("roll", "roll"),
            ("intellectual", "intellectu"),
            ("property", "properti"),
            ("properties", "properti"),
            ("innovation", "innov"),
            ("innovative", "innov"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }
}
