//! Just enough YAML reading to pick a few fields out of the example site's files (the bench crate has
//! no dependencies). It understands the shapes the example uses: `key: scalar`, localised maps in
//! flow form `key: {zh: …, en: …}` and in block form (`key:` then indented `zh: …` lines).

/// The localised text `key` (at any indentation, first occurrence) as (language, text) pairs.
pub fn localised(text: &str, key: &str) -> Option<Vec<(String, String)>> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let Some(rest) = strip_key(line.trim_start().trim_start_matches("- "), key) else { continue };
        let rest = rest.trim();
        if rest.starts_with('{') {
            return Some(flow_map(rest));
        }
        if rest.is_empty() || rest.starts_with('#') {
            let mut out = Vec::new();
            for next in &lines[i + 1..] {
                let t = next.trim_start();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                let ind = next.len() - t.len();
                if ind <= indent {
                    break;
                }
                if let Some((k, v)) = t.split_once(':') {
                    out.push((k.trim().to_string(), scalar(v.trim())));
                }
            }
            return if out.is_empty() { None } else { Some(out) };
        }
    }
    None
}

/// The plain scalar `key` (first occurrence, any indentation).
pub fn scalar_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| strip_key(l.trim_start().trim_start_matches("- "), key).map(|v| scalar(v.trim())))
}

/// Text of `lang` in a localised value, or the first language's.
pub fn pick(pairs: &[(String, String)], lang: &str) -> String {
    pairs.iter().find(|(l, _)| l == lang).or(pairs.first()).map(|(_, t)| t.clone()).unwrap_or_default()
}

fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?;
    rest.strip_prefix(':')
}

fn scalar(v: &str) -> String {
    if let Some(inner) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => {}
                },
                c => out.push(c),
            }
        }
        out
    } else if let Some(inner) = v.strip_prefix('\'') {
        let end = inner.rfind('\'').unwrap_or(inner.len());
        inner[..end].replace("''", "'")
    } else {
        match v.find(" #") {
            Some(p) => v[..p].trim().to_string(),
            None => v.to_string(),
        }
    }
}

fn flow_map(s: &str) -> Vec<(String, String)> {
    let s = s.trim().trim_start_matches('{');
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start().trim_start_matches(',').trim_start();
        if rest.is_empty() || rest.starts_with('}') {
            break;
        }
        let Some((k, after)) = rest.split_once(':') else { break };
        let after = after.trim_start();
        let (value, remaining) = if after.starts_with('"') || after.starts_with('\'') {
            let q = after.chars().next().unwrap();
            let mut end = 1;
            let bytes = after.as_bytes();
            while end < bytes.len() {
                if bytes[end] == b'\\' && q == '"' {
                    end += 2;
                    continue;
                }
                if bytes[end] == q as u8 {
                    if q == '\'' && bytes.get(end + 1) == Some(&b'\'') {
                        end += 2;
                        continue;
                    }
                    break;
                }
                end += 1;
            }
            let end = end.min(after.len().saturating_sub(1));
            (scalar(&after[..=end]), &after[end + 1..])
        } else {
            let end = after.find([',', '}']).unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((k.trim().to_string(), value));
        rest = remaining;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_and_block() {
        let y = "name: {zh: 北京市, en: \"Beijing, Municipality\"}\ntitle:\n  zh: 标题\n  en: \"A \\\"title\\\"\"\nkind: count  # c\n";
        assert_eq!(pick(&localised(y, "name").unwrap(), "en"), "Beijing, Municipality");
        assert_eq!(pick(&localised(y, "title").unwrap(), "zh"), "标题");
        assert_eq!(pick(&localised(y, "title").unwrap(), "en"), "A \"title\"");
        assert_eq!(scalar_field(y, "kind").unwrap(), "count");
        let u = "  unit: {zh: \"%\", en: '%'}";
        assert_eq!(localised(u, "unit").unwrap(), vec![("zh".into(), "%".into()), ("en".into(), "%".into())]);
    }
}
