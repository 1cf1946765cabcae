//! Every message in both languages: each diagnostic code is registered with an English and a
//! Chinese wording, each place that builds a diagnostic gives it a Chinese one, the Chinese uses
//! the editors' words (no English noun pasted into a sentence), YAML parser errors are named in
//! Chinese with the parser's own text kept, `check`'s report speaks Chinese, and the language is
//! chosen the way gettext chooses it.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::Site;
use planpress::diagnostics::codes::{lookup, CODES};

/// One `Diagnostic::error(`/`warning(` in the source: where, its code, and whether the
/// expression that builds it adds a Chinese wording.
#[derive(Debug)]
struct Construction {
    place: String,
    warning: bool,
    code: Option<String>,
    has_zh: bool,
}

/// The source with comments, string and char literals blanked to spaces (same byte offsets),
/// so brackets and `.zh(` are found only in code.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        let rest = &src[i..];
        // Where the comment or literal starting here ends, if one does.
        let end = if rest.starts_with("//") {
            Some(i + rest.find('\n').unwrap_or(rest.len()))
        } else if rest.starts_with("/*") {
            Some(i + rest.find("*/").map_or(rest.len(), |e| e + 2))
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&c| c == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            Some(i + body + rest[body..].find(&close).map_or(rest.len() - body, |e| e + close.len()))
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            Some(j + 1)
        } else if b[i] == b'\'' {
            // A char literal ('x', '"', '\'', '\u{3000}'), not a lifetime ('a).
            let close = if rest[1..].starts_with('\\') {
                rest.get(3..).and_then(|r| r.find('\'')).map(|k| k + 3)
            } else {
                rest[1..].char_indices().nth(1).filter(|(_, c)| *c == '\'').map(|(k, _)| k + 1)
            };
            close.map(|k| i + k + 1)
        } else {
            None
        };
        match end {
            Some(end) => {
                let end = end.min(b.len());
                blank(&mut out, i, end);
                i = end;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The end of the expression that starts at `from`: the first `,` `;` or unmatched closing
/// bracket at depth zero.
fn expression_end(code: &str, from: usize) -> usize {
    let mut depth = 0i32;
    for (k, c) in code[from..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return from + k,
            ')' | ']' | '}' => depth -= 1,
            ',' | ';' if depth == 0 => return from + k,
            _ => {}
        }
    }
    code.len()
}

/// Every place in `src/` that builds a diagnostic (unit tests left out).
fn diagnostic_sites() -> Vec<Construction> {
    let mut sites = Vec::new();
    for entry in walkdir::WalkDir::new(common::repo().join("src")) {
        let entry = entry.unwrap();
        let path = entry.path();
        // diagnostics.rs defines the constructors (`warning` calls `error`).
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("src/diagnostics.rs") {
            continue;
        }
        let src = std::fs::read_to_string(path).unwrap();
        let src = match src.find("#[cfg(test)]\nmod tests") {
            Some(i) => &src[..i],
            None => &src[..],
        };
        let code = code_only(src);
        // A note (`Diagnostic::info`, code `I-…`) is neither: it counts as "not a warning".
        for (kind, warning) in [("Diagnostic::error(", false), ("Diagnostic::warning(", true), ("Diagnostic::info(", false)] {
            for (at, _) in code.match_indices(kind) {
                let args = at + kind.len();
                let literal = src[args..].trim_start();
                let code_lit = literal.strip_prefix('"').and_then(|l| l.split_once('"')).map(|(c, _)| c.to_owned());
                let end = expression_end(&code, at);
                let line = src[..at].matches('\n').count() + 1;
                sites.push(Construction {
                    place: format!("{}:{line}", path.strip_prefix(common::repo()).unwrap().display()),
                    warning,
                    code: code_lit,
                    has_zh: code[at..end].contains(".zh("),
                });
            }
        }
    }
    sites
}

#[test]
fn every_diagnostic_is_built_with_a_registered_code_and_a_chinese_wording() {
    let sites = diagnostic_sites();
    // The scan itself works: the tree has dozens of diagnostics.
    assert!(sites.len() >= 40, "only {} diagnostic sites found: {sites:#?}", sites.len());
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    for s in &sites {
        let Some(code) = &s.code else {
            problems.push(format!("{}: the code is not a string literal, so it cannot be checked against the table", s.place));
            continue;
        };
        used.insert(code.clone());
        if lookup(code).is_none() {
            problems.push(format!("{}: code `{code}` is not in src/diagnostics/codes.rs", s.place));
        }
        if code.starts_with("W-") != s.warning {
            problems.push(format!("{}: `{code}` built as {}", s.place, if s.warning { "a warning" } else { "an error" }));
        }
        if !s.has_zh {
            problems.push(format!("{}: `{code}` has no Chinese wording (`.zh(…)`)", s.place));
        }
    }
    for c in CODES {
        if !used.contains(c.id) {
            problems.push(format!("`{}` is in the table but no diagnostic uses it", c.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_sees_through_strings_comments_and_nesting() {
    let src = r#"
    // Diagnostic::error("E-fake", p, q, "commented out")
    let a = Diagnostic::error("E-io", p, Position::file(), format!("a ( {x}; b")).help("x, y");
    let b = f(Diagnostic::warning("W-date", p, q, ')', '\'', b'"').zh("中", None), 2);
    fn g<'a>(x: &'a str) -> &'a str { x }
    "#;
    let code = code_only(src);
    assert_eq!(code.matches("Diagnostic::").count(), 2, "{code}");
    let at = code.find("Diagnostic::error(").unwrap();
    assert!(src[at..expression_end(&code, at)].ends_with(".help(\"x, y\")"));
    let at = code.find("Diagnostic::warning(").unwrap();
    assert!(src[at..expression_end(&code, at)].ends_with(".zh(\"中\", None)"));
}

fn has_hanzi(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words that would mean a Chinese sentence was left half English ("重复的task slug").
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "not",
    "of",
    "to",
    "and",
    "in",
    "has",
    "no",
    "for",
    "with",
    "cannot",
    "task",
    "slug",
    "partner",
    "metric",
    "result",
    "id",
    "language",
    "text",
    "file",
    "folder",
    "missing",
    "unknown",
    "duplicate",
    "invalid",
    "error",
    "warning",
];

/// The English words left in a Chinese line once code (in backticks), paths and the parser's
/// original text (kept on purpose, after `原文：`) are set aside.
fn english_words(line: &str) -> Vec<String> {
    let line = line.split("原文：").next().unwrap_or(line);
    let mut kept = String::new();
    for (k, part) in line.split('`').enumerate() {
        if k % 2 == 0 {
            kept.push_str(part);
            kept.push(' ');
        }
    }
    kept.split(|c: char| !c.is_ascii_alphanumeric() && !"/._-<>".contains(c))
        .filter(|w| !w.contains('/') && !w.contains('.'))
        .map(str::to_ascii_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

#[test]
fn the_table_speaks_both_languages() {
    for c in CODES {
        assert!(c.en.split(' ').count() >= 3, "{c:?}");
        assert!(has_hanzi(c.zh), "{c:?}");
        assert!(english_words(c.zh).is_empty(), "{c:?}: {:?}", english_words(c.zh));
    }
}

/// The example site with one problem per file, so that none hides another.
fn broken_site() -> Site {
    let site = Site::example();
    // YAML: a tab, a duplicate key, a wrong type, an unknown field.
    site.edit("content/partners/tianjin.yaml", "\nrecipients:", "\n\trecipients:");
    site.edit("content/partners/hebei.yaml", "order: 3\n", "order: 3\norder: 4\n");
    site.edit("content/partners/jiangsu.yaml", "\nname:\n", "\nname: [a, b]\nnmae:\n");
    site.edit("content/partners/anhui.yaml", "\nrole:", "\nrloe:");
    // References, ids, dates, figures, translations.
    site.edit("content/results/2011/academician-workstations.yaml", "partners: [shanghai]", "partners: [shanghia]");
    site.edit("content/results/2011/academician-workstations.yaml", "value: 2400", "value: 12345678901234567");
    site.edit("content/results/2011/academician-workstations.yaml", "date: 2011-10-18", "date: 2010-10-18");
    site.edit("content/plan/2011/plan.yaml", "date: 2011-02-12", "date: 2011-02-30");
    site.edit("content/plan/2011/tasks/talent.yaml", "slug: talent", "slug: talent-x");
    let high_tech = site.read("content/plan/2011/tasks/high-tech.yaml");
    let en = high_tech.lines().find(|l| l.trim_start().starts_with("en:")).unwrap().to_owned();
    site.write("content/plan/2011/tasks/high-tech.yaml", &high_tech.replacen(&format!("{en}\n"), "", 1));
    site.edit("content/partners/beijing.yaml", "\nname:\n", "\nname:\n  fr: Pékin\n");
    let talent = site.read("content/plan/2011/tasks/talent.yaml");
    site.write("content/plan/2011/tasks/talent-copy.yaml", &talent.replace("slug: talent-x", "slug: talent-copy"));
    site.write("content/plan/2012/tasks/early.yaml", &talent.replace("slug: talent-x", "slug: early"));
    site.edit("content/site.yaml", "base_url: https://example.org/kjt/", "base_url: example.org/kjt/");
    // Files and pages.
    site.write("content/notes.txt", "to do\n");
    site.write("content/pages/about.fr.md", "---\ntitle: À propos\n---\n");
    site.write("content/plan/2011/tasks/ghost.zh.md", "无主正文。\n");
    for lang in ["zh", "en"] {
        site.write(&format!("content/pages/faq.{lang}.md"), "---\nweight: 3\n---\ntext\n");
        site.write(&format!("content/pages/search.{lang}.md"), "---\ntitle: s\n---\ntext\n");
    }
    site.edit("content/pages/about.zh.md", "\n---\n", "\n---\n\n[点此](javascript:alert(1))\n\n## 标题 {onclick=x}\n");
    site
}

/// Runs planpress with exactly these locale variables.
fn run_with(args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_planpress"));
    command.args(args).env("NO_COLOR", "1");
    for var in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let out = command.output().unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The codes of the diagnostics in `stderr`, whose headers start with `head` (`错误`, `error` …).
fn codes_in(stderr: &str, heads: &[&str]) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| heads.iter().find_map(|h| l.strip_prefix(h)?.strip_prefix('[')))
        .filter_map(|l| l.split_once(']').map(|(code, _)| code.to_owned()))
        .collect()
}

#[test]
fn a_broken_site_is_reported_wholly_in_chinese() {
    let site = broken_site();
    let root = site.root().to_str().unwrap();
    let zh = run_with(&["check", "--root", root], &[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN:en")]);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    let codes = codes_in(&zh.stderr, &["错误", "警告"]);
    let expected = [
        "E-base-url",
        "E-date",
        "E-duplicate",
        "E-front-matter",
        "E-heading-attribute",
        "E-id",
        "E-id-file",
        "E-language",
        "E-link",
        "E-no-plan",
        "E-number",
        "E-orphan-body",
        "E-ref",
        "E-yaml",
        "W-date",
        "W-language",
        "W-translation",
        "W-unknown-file",
    ];
    for code in expected {
        assert!(codes.contains(code), "no {code} among {codes:?}:\n{}", zh.stderr);
    }
    // The same problems in English, with `--lang` over the environment.
    let en = run_with(&["check", "--root", root, "--lang", "en"], &[("LANGUAGE", "zh_CN"), ("LANG", "zh_CN.UTF-8")]);
    assert_eq!(codes_in(&en.stderr, &["error", "warning"]), codes, "{}", en.stderr);
    assert!(!has_hanzi(&en.stdout), "{}", en.stdout);
    let mut lines = 0;
    for line in zh.stderr.lines() {
        let text = if line.starts_with("错误[") || line.starts_with("警告[") {
            line.split_once("]: ").map(|(_, m)| m)
        } else {
            line.strip_prefix("  = 提示: ")
        };
        let Some(text) = text else { continue };
        lines += 1;
        assert!(has_hanzi(text), "not Chinese: {line}");
        assert!(english_words(text).is_empty(), "English words {:?} in: {line}", english_words(text));
    }
    assert!(lines >= 2 * expected.len(), "{lines} message lines:\n{}", zh.stderr);
    // The report and summary too.
    assert!(zh.stdout.contains("译文：\n  zh（默认语言）："), "{}", zh.stdout);
    assert!(zh.stdout.contains("  en：缺少 "), "{}", zh.stdout);
    assert!(zh.stdout.contains("content/plan/2011/tasks/high-tech.yaml：标题"), "{}", zh.stdout);
    assert!(zh.stdout.lines().last().unwrap().starts_with("检查未通过："), "{}", zh.stdout);
    // JSON carries both wordings of every diagnostic, whatever the locale.
    let json = run_with(&["check", "--root", root, "--format", "json"], &[]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let diagnostics = value["diagnostics"].as_array().unwrap();
    // Notes (`说明[I-punctuation]`: the example's half-width punctuation) are diagnostics too.
    let heads = zh.stderr.lines().filter(|l| l.starts_with("错误[") || l.starts_with("警告[") || l.starts_with("说明[")).count();
    assert_eq!(diagnostics.len(), heads);
    for d in diagnostics {
        assert!(d["zh"]["message"].as_str().is_some_and(has_hanzi), "{d}");
        assert_ne!(d["message"], d["zh"]["message"], "{d}");
    }
}

#[test]
fn yaml_errors_are_named_in_chinese_with_the_parser_text_kept() {
    let site = broken_site();
    let zh = run_with(&["check", "--root", site.root().to_str().unwrap(), "--lang", "zh"], &[]);
    let yaml_line = |file: &str| -> String {
        let lines: Vec<&str> = zh.stderr.lines().collect();
        let at = lines.iter().position(|l| l.contains(&format!("--> content/partners/{file}:"))).expect(file);
        lines[at - 1].to_owned()
    };
    for (file, category) in [
        ("tianjin.yaml", "错误[E-yaml]: YAML 格式错误：缩进错误"),
        ("hebei.yaml", "错误[E-yaml]: YAML 格式错误：重复的键"),
        ("jiangsu.yaml", "错误[E-yaml]: YAML 格式错误：类型不符"),
        ("anhui.yaml", "错误[E-yaml]: YAML 格式错误：未知字段 `rloe`"),
    ] {
        let line = yaml_line(file);
        assert!(line.starts_with(category), "{file}: {line}");
        // The parser's own words stay, in parentheses, for searching and bug reports.
        let original = line.split_once("（原文：").and_then(|(_, o)| o.strip_suffix('）')).unwrap_or_default();
        assert!(original.is_ascii() && original.len() > 5, "{file}: {line}");
    }
}

#[test]
fn the_language_is_chosen_as_gettext_chooses_it() {
    let site = Site::example();
    site.edit("content/results/2011/academician-workstations.yaml", "partners: [shanghai]", "partners: [shanghia]");
    let root = site.root().to_str().unwrap();
    let build = |env: &[(&str, &str)]| {
        let run = run_with(&["build", "--root", root, "--out", site.path("public").to_str().unwrap()], env);
        assert_eq!(run.code, 1, "{}", run.stderr);
        if run.stderr.starts_with("错误[E-ref]: 找不到对口支援省市 `shanghia`") {
            "zh"
        } else if run.stderr.starts_with("error[E-ref]: unknown partner `shanghia`") {
            "en"
        } else {
            panic!("{}", run.stderr)
        }
    };
    assert_eq!(build(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN:en")]), "zh", "LANGUAGE beats LANG");
    assert_eq!(build(&[("LC_ALL", "zh_CN.UTF-8"), ("LANGUAGE", "en:zh_CN")]), "en", "LANGUAGE beats LC_ALL");
    assert_eq!(build(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "fr:zh_TW")]), "zh", "the first language we speak");
    assert_eq!(build(&[("LANG", "C"), ("LANGUAGE", "zh_CN")]), "en", "the C locale ignores LANGUAGE");
    assert_eq!(build(&[("LANG", "zh_CN.UTF-8"), ("LC_MESSAGES", "en_GB.UTF-8")]), "en", "LC_MESSAGES beats LANG");
    assert_eq!(build(&[("LC_MESSAGES", "en_GB.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]), "zh", "LC_ALL beats LC_MESSAGES");
    assert_eq!(build(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN"), ("LC_ALL", "")]), "zh", "empty is unset");
}

#[test]
fn summaries_and_new_speak_chinese() {
    let site = Site::example();
    let root = site.root().to_str().unwrap();
    let out = site.path("public");
    let zh = run_with(&["build", "--root", root, "--out", out.to_str().unwrap()], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    let summary = zh.stdout.lines().last().unwrap();
    assert!(summary.starts_with("已生成 ") && summary.contains("（zh ") && summary.contains(" 毫秒"), "{summary}");
    let created = run_with(&["new", "task", "water", "--root", root], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stdout.lines().all(|l| l.starts_with("已创建 ")), "{}", created.stdout);
    let again = run_with(&["new", "task", "water", "--root", root], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.starts_with("错误: 拒绝覆盖已有文件："), "{}", again.stderr);
    assert!(site.path("content/plan/2011/tasks/water.yaml").is_file());
}
