//! Diagnostics: every problem found in a build, with a code, the file, line and column, the
//! offending source line and what to do. All problems of a build are collected and reported
//! together, so an editor fixes them in one pass rather than one per run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file, 1-based. `line == 0` means "the whole file".
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
    pub fn file() -> Self {
        Position::default()
    }
}

/// The language diagnostics are shown in: Chinese when asked (`--lang zh`) or when the
/// environment's locale is Chinese (`LANG=zh_CN.UTF-8`), English otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageLang {
    #[default]
    En,
    Zh,
}

impl MessageLang {
    pub fn detect(flag: Option<&str>) -> MessageLang {
        let chinese = |s: &str| s.to_ascii_lowercase().starts_with("zh");
        if let Some(flag) = flag {
            return if chinese(flag) { MessageLang::Zh } else { MessageLang::En };
        }
        // LC_ALL overrides LC_MESSAGES, which overrides LANG (POSIX).
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                return if chinese(&value) { MessageLang::Zh } else { MessageLang::En };
            }
        }
        MessageLang::En
    }
}

/// The Chinese wording of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localised {
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E-yaml`, `E-ref`, `W-translation`.
    pub code: &'static str,
    pub file: PathBuf,
    pub position: Position,
    pub message: String,
    pub help: Option<String>,
    /// The offending source line.
    pub source_line: Option<String>,
    /// Chinese message and help, shown with [`MessageLang::Zh`].
    pub zh: Option<Box<Localised>>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_path_buf(),
            position,
            message: message.into(),
            help: None,
            source_line: None,
            zh: None,
        }
    }

    /// Adds the Chinese wording.
    pub fn zh(mut self, message: impl Into<String>, help: Option<String>) -> Self {
        self.zh = Some(Box::new(Localised { message: message.into(), help }));
        self
    }

    pub fn warning(code: &'static str, file: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, position, message) }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_source(mut self, source: &str) -> Self {
        if self.position.line > 0 {
            self.source_line = source.lines().nth(self.position.line - 1).map(str::to_owned);
        }
        self
    }

    /// rustc-style text: `error[E-ref]: message`, ` --> file:line:col`, the line, a caret, help.
    pub fn render(&self, root: &Path) -> String {
        self.render_in(root, MessageLang::En)
    }

    pub fn render_in(&self, root: &Path, lang: MessageLang) -> String {
        let mut out = String::new();
        let zh = self.zh.as_deref().filter(|_| lang == MessageLang::Zh);
        let kind = match (self.severity, lang) {
            (Severity::Error, MessageLang::En) => "error",
            (Severity::Warning, MessageLang::En) => "warning",
            (Severity::Error, MessageLang::Zh) => "错误",
            (Severity::Warning, MessageLang::Zh) => "警告",
        };
        let message = zh.map_or(self.message.as_str(), |z| z.message.as_str());
        let help = zh.and_then(|z| z.help.as_ref()).or(self.help.as_ref());
        let file = self.file.strip_prefix(root).unwrap_or(&self.file);
        let _ = writeln!(out, "{kind}[{}]: {message}", self.code);
        if self.position.line > 0 {
            let _ = writeln!(out, "  --> {}:{}:{}", file.display(), self.position.line, self.position.column);
        } else {
            let _ = writeln!(out, "  --> {}", file.display());
        }
        if let Some(line) = &self.source_line {
            let number = self.position.line.to_string();
            let pad = " ".repeat(number.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {line}");
            // Caret under the column, counting characters (not bytes) so CJK lines line up in
            // terminals that render wide characters as two cells.
            let indent: String = line
                .chars()
                .take(self.position.column.saturating_sub(1))
                .map(|c| {
                    if c == '\t' {
                        '\t'
                    } else if is_wide(c) {
                        '\u{3000}'
                    } else {
                        ' '
                    }
                })
                .collect();
            let _ = writeln!(out, "{pad} | {indent}^");
        }
        if let Some(help) = help {
            let label = if lang == MessageLang::Zh { "提示" } else { "help" };
            let _ = writeln!(out, "  = {label}: {help}");
        }
        out
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The problems of one build.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// With `--strict`, warnings (translation gaps) become errors.
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Sorted by file and position so output is stable across runs and threads.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| (&a.file, &a.position, a.code, &a.message).cmp(&(&b.file, &b.position, b.code, &b.message)));
        self.items.dedup();
        self.items
    }
}

/// The closest candidate by edit distance, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_id() {
        assert_eq!(closest("bejing", ["beijing", "tianjin", "hebei"]), Some("beijing"));
        assert_eq!(closest("zzzzzz", ["beijing", "tianjin"]), None);
    }

    #[test]
    fn renders_file_line_and_caret() {
        let d = Diagnostic::error("E-ref", Path::new("/s/content/a.yaml"), Position::new(2, 3), "unknown partner `x`")
            .with_source("a: 1\nb: x\n")
            .help("use one of …");
        let text = d.render(Path::new("/s"));
        assert!(text.contains("error[E-ref]: unknown partner `x`"), "{text}");
        assert!(text.contains("--> content/a.yaml:2:3"), "{text}");
        assert!(text.contains("2 | b: x"), "{text}");
        assert!(text.contains("  |   ^"), "{text}");
    }
}
