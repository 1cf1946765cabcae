//! Diagnostics: every problem found in a build, with a code, the file, line and column, the
//! offending source line and what to do. All problems of a build are collected and reported
//! together, so an editor fixes them in one pass rather than one per run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar as _;

pub mod codes;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// For information only (`check`'s notes): never fails a build, not even with `--strict`.
    Info,
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

/// The language messages are shown in: Chinese when asked (`--lang zh`) or when the environment
/// asks for Chinese the way gettext reads it (see [`MessageLang::from_env`]), English otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageLang {
    #[default]
    En,
    Zh,
}

impl MessageLang {
    /// `--lang` wins; without it, the environment.
    pub fn detect(flag: Option<&str>) -> MessageLang {
        match flag {
            Some(flag) => MessageLang::from_tag(flag).unwrap_or_default(),
            None => MessageLang::from_env(|name| std::env::var(name).ok()),
        }
    }

    /// The environment read as gettext reads it. The locale is the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` (POSIX order). Unless that locale is `C` or `POSIX` (or unset,
    /// which is the C locale), `LANGUAGE` comes first: a colon-separated list of preferences
    /// such as `zh_CN:en`, of which the first language planpress speaks wins (English counts as
    /// spoken: it is the messages' own language, so `en:zh` means English, as the user meant);
    /// when it names none, messages stay English, as gettext falls back to the untranslated
    /// text. gettext ignores `LANGUAGE` in the C locale so that POSIX-specified output stays
    /// stable, and so do we.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> MessageLang {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        let Some(locale) = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set) else {
            return MessageLang::En;
        };
        if locale != "C" && locale != "POSIX" {
            if let Some(list) = set("LANGUAGE") {
                return list.split(':').find_map(MessageLang::from_tag).unwrap_or_default();
            }
        }
        MessageLang::from_tag(&locale).unwrap_or_default()
    }

    /// `zh`, `zh_CN.UTF-8`, `zh-Hans`, `en_GB@euro` …: the language part, if planpress has it.
    fn from_tag(tag: &str) -> Option<MessageLang> {
        let language = tag.split(['_', '-', '.', '@']).next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            "zh" => Some(MessageLang::Zh),
            "en" => Some(MessageLang::En),
            _ => None,
        }
    }

    /// The English or the Chinese text, whichever this language is.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            MessageLang::En => en,
            MessageLang::Zh => zh,
        }
    }
}

/// A line for people, in both languages of messages: a command's summary or its error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

impl Message {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Message { en: en.into(), zh: zh.into() }
    }

    pub fn in_lang(&self, lang: MessageLang) -> &str {
        lang.pick(&self.en, &self.zh)
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

    /// A note for information (`I-…`), e.g. `check`'s list of half-width punctuation.
    pub fn info(code: &'static str, file: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Info, ..Diagnostic::error(code, file, position, message) }
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
            (Severity::Info, MessageLang::En) => "note",
            (Severity::Info, MessageLang::Zh) => "说明",
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
            // Caret under the column: the text before it becomes blanks as wide as it is on a
            // terminal (two cells for a hanzi, none for a combining mark); tabs stay tabs.
            let indent: String = line
                .chars()
                .take(self.position.column.saturating_sub(1))
                .flat_map(|c| {
                    let (blank, width) = if c == '\t' { ('\t', 1) } else { (' ', c.width().unwrap_or(0)) };
                    std::iter::repeat_n(blank, width)
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

/// An I/O error in Chinese: its kind in words an editor knows, the system's own (English) text
/// kept in parentheses for whoever has to look it up.
pub fn zh_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let kind = match err.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是一个文件夹",
        K::NotADirectory => "路径中有一项不是文件夹",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::InvalidData => "数据无效",
        K::Interrupted => "操作被中断",
        K::TimedOut => "操作超时",
        K::Unsupported => "系统不支持该操作",
        _ => "读写出错",
    };
    format!("{kind}（{err}）")
}

/// The closest candidate by edit distance (Levenshtein, counted in characters), for "did you
/// mean" hints; none when even the closest differs in more than half its characters.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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

    fn env(pairs: &[(&str, &str)]) -> MessageLang {
        MessageLang::from_env(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn the_environment_is_read_as_gettext_reads_it() {
        use MessageLang::{En, Zh};
        assert_eq!(env(&[]), En);
        assert_eq!(env(&[("LANG", "zh_CN.UTF-8")]), Zh);
        // LC_ALL > LC_MESSAGES > LANG; an empty variable counts as unset.
        assert_eq!(env(&[("LANG", "zh_CN.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")]), En);
        assert_eq!(env(&[("LC_MESSAGES", "en_US.UTF-8"), ("LC_ALL", "zh_TW.UTF-8")]), Zh);
        assert_eq!(env(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")]), Zh);
        // LANGUAGE, a colon list, beats them all; its first language we speak wins.
        assert_eq!(env(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN:en")]), Zh);
        assert_eq!(env(&[("LC_ALL", "zh_CN.UTF-8"), ("LANGUAGE", "en:zh")]), En);
        assert_eq!(env(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "fr_FR:de:zh_CN")]), Zh);
        // Naming no language we have: English, the untranslated text, as in gettext.
        assert_eq!(env(&[("LANG", "zh_CN.UTF-8"), ("LANGUAGE", "fr")]), En);
        // In the C locale gettext ignores LANGUAGE; C.UTF-8 is not the C locale.
        assert_eq!(env(&[("LANGUAGE", "zh_CN")]), En);
        assert_eq!(env(&[("LANG", "C"), ("LANGUAGE", "zh_CN")]), En);
        assert_eq!(env(&[("LC_ALL", "POSIX"), ("LANGUAGE", "zh_CN")]), En);
        assert_eq!(env(&[("LANG", "C.UTF-8"), ("LANGUAGE", "zh_CN:en")]), Zh);
        assert_eq!(MessageLang::detect(Some("zh-Hans")), Zh);
        assert_eq!(MessageLang::detect(Some("en")), En);
    }

    #[test]
    fn the_caret_counts_terminal_cells() {
        // `标题` is four cells wide, the combining accent none: the caret sits under `x`.
        let d = Diagnostic::error("E-yaml", Path::new("/s/a.yaml"), Position::new(1, 8), "m").with_source("标题: e\u{301}\tx\n");
        let text = d.render(Path::new("/s"));
        assert!(text.contains("\n  |        \t^\n"), "{text:?}");
    }
}
