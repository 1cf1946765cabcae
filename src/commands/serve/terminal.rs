//! What `serve` says on the terminal, in the language of its other messages: `--lang`, else the
//! environment as gettext reads it ([`MessageLang`]). Kept apart from the server so that every
//! line has its two wordings side by side, and a test can check each has both.

use std::fmt::Display;
use std::path::{Path, PathBuf};

use crate::commands::live::ThemeChange;
use crate::diagnostics::{zh_io, MessageLang};

fn pick(lang: MessageLang, en: String, zh: String) -> String {
    match lang {
        MessageLang::En => en,
        MessageLang::Zh => zh,
    }
}

/// The first build, before serving.
pub fn built(lang: MessageLang, pages: usize, ms: u128) -> String {
    pick(lang, format!("built {pages} pages in {ms} ms"), format!("已构建 {pages} 个页面，用时 {ms} 毫秒"))
}

pub fn serving(lang: MessageLang, root: &Path, url: &str) -> String {
    let root = root.display();
    pick(lang, format!("serving {root} at {url} (Ctrl-C to stop)"), format!("正在 {url} 预览 {root}（按 Ctrl-C 停止）"))
}

/// A full rebuild after an edit the live site could not take in part.
pub fn rebuilt_all(lang: MessageLang, pages: usize, ms: u128, warnings: usize) -> String {
    match lang {
        MessageLang::En => {
            let warnings = if warnings > 0 { format!(", {warnings} warnings") } else { String::new() };
            format!("rebuilt {pages} pages in {ms} ms{warnings}")
        }
        MessageLang::Zh => {
            let warnings = if warnings > 0 { format!("，{warnings} 个警告") } else { String::new() };
            format!("已重新构建 {pages} 个页面，用时 {ms} 毫秒{warnings}")
        }
    }
}

/// Every page rendered again after a theme edit; `what` names the changed files.
pub fn rerendered(lang: MessageLang, pages: usize, ms: u128, reason: &ThemeChange, what: &str) -> String {
    let reason = theme_change(lang, reason);
    pick(
        lang,
        format!("re-rendered all {pages} pages in {ms} ms: {reason} ({what})"),
        format!("已重新渲染全部 {pages} 个页面，用时 {ms} 毫秒：{reason}（{what}）"),
    )
}

pub fn copied(lang: MessageLang, paths: &[String], ms: u128, what: &str) -> String {
    pick(
        lang,
        format!("copied {} in {ms} ms, no page changes ({what})", paths.join(", ")),
        format!("已复制 {}，用时 {ms} 毫秒，页面无需改动（{what}）", paths.join("、")),
    )
}

pub fn unchanged(lang: MessageLang, what: &str) -> String {
    pick(lang, format!("nothing to update: the output stays the same ({what})"), format!("无需更新：输出保持不变（{what}）"))
}

/// The edited record's own pages, served before its dependants: `/zh/results/2011/x/` and
/// how many more (its page in another language that shows the same body or record).
pub fn served_own(lang: MessageLang, files: &[String], ms: u128) -> String {
    let first = files.first().map(|f| format!("/{}", f.strip_suffix("index.html").unwrap_or(f))).unwrap_or_default();
    let more = files.len().saturating_sub(1);
    pick(
        lang,
        format!("served the edited page first in {ms} ms: {first}{}", if more > 0 { format!(" and {more} more") } else { String::new() }),
        format!("已先提供所编辑的页面，用时 {ms} 毫秒：{first}{}", if more > 0 { format!(" 等 {} 个", more + 1) } else { String::new() }),
    )
}

/// The pages an edit of one record showed in; the booklets and the rest follow.
pub fn rebuilt_some(lang: MessageLang, count: usize, total: usize, ms: u128, file: &Path) -> String {
    let file = file.display();
    pick(
        lang,
        format!("rebuilt {count} of {total} pages in {ms} ms ({file})"),
        format!("已重新构建 {total} 个页面中的 {count} 个，用时 {ms} 毫秒（{file}）"),
    )
}

pub fn updated_rest(lang: MessageLang, booklets: usize, ms: u128) -> String {
    pick(
        lang,
        format!("updated {booklets} booklets, the feeds, the search index and the sitemap in {ms} ms"),
        format!("已更新 {booklets} 本小册子、订阅源、搜索索引和站点地图，用时 {ms} 毫秒"),
    )
}

/// The changed files, relative to the site: one path, or the first and a count.
pub fn changed_files(lang: MessageLang, root: &Path, changed: &[PathBuf]) -> String {
    let rel = |p: &PathBuf| p.strip_prefix(root).unwrap_or(p).display().to_string();
    match (changed, lang) {
        ([], MessageLang::En) => "a folder".to_owned(),
        ([], MessageLang::Zh) => "一个文件夹".to_owned(),
        ([one], _) => rel(one),
        ([first, rest @ ..], MessageLang::En) => format!("{} and {} more", rel(first), rest.len()),
        ([first, rest @ ..], MessageLang::Zh) => format!("{} 等 {} 个文件", rel(first), rest.len() + 1),
    }
}

/// Why a theme edit renders every page again.
pub fn theme_change(lang: MessageLang, change: &ThemeChange) -> String {
    match change {
        ThemeChange::Templates => lang.pick("a template changed", "模板有改动").to_owned(),
        ThemeChange::Strings => lang.pick("an interface string changed", "界面文字有改动").to_owned(),
        ThemeChange::Renamed(names) => {
            let names: Vec<String> = names.iter().map(|n| format!("static/{n}")).collect();
            pick(lang, format!("new output name for {}", names.join(", ")), format!("{} 的输出文件名变了", names.join("、")))
        }
    }
}

// ---------- errors (returned to `main`, which prints them after "error:") ----------

pub fn cannot_start(lang: MessageLang, e: &std::io::Error) -> String {
    pick(lang, format!("cannot start: {e}"), format!("无法启动：{}", zh_io(e)))
}

pub fn port_in_use(lang: MessageLang, port: u16, bind: impl Display) -> String {
    let next = port.saturating_add(1);
    pick(
        lang,
        format!("port {port} on {bind} is already in use (another `planpress serve`?); try --port {next}"),
        format!("{bind} 上的端口 {port} 已被占用（另一个 `planpress serve` 还在运行？）；请改用 --port {next}"),
    )
}

pub fn cannot_listen(lang: MessageLang, addr: impl Display, e: &std::io::Error) -> String {
    pick(lang, format!("cannot listen on {addr}: {e}"), format!("无法在 {addr} 上监听：{}", zh_io(e)))
}

/// The file watcher's own error stays as it is (in parentheses in Chinese): it names the
/// system's limit or call that failed.
pub fn cannot_watch(lang: MessageLang, path: Option<&Path>, e: impl Display) -> String {
    match (path, lang) {
        (None, MessageLang::En) => format!("cannot watch files: {e}"),
        (None, MessageLang::Zh) => format!("无法监视文件的改动（{e}）"),
        (Some(path), MessageLang::En) => format!("cannot watch {}: {e}", path.display()),
        (Some(path), MessageLang::Zh) => format!("无法监视 {} 的改动（{e}）", path.display()),
    }
}

pub fn server_error(lang: MessageLang, e: &std::io::Error) -> String {
    pick(lang, format!("server error: {e}"), format!("服务器出错：{}", zh_io(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageLang::{En, Zh};

    /// Every line in both languages, with the same numbers and names in each.
    fn both(line: impl Fn(MessageLang) -> String) -> (String, String) {
        (line(En), line(Zh))
    }

    #[test]
    fn every_line_has_an_english_and_a_chinese_wording() {
        let root = Path::new("/site");
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let files = [root.join("content/a.zh.md"), root.join("themes/x/b.html")];
        let renamed = ThemeChange::Renamed(vec!["app.js".to_owned()]);
        let lines: Vec<(String, String)> = vec![
            both(|l| built(l, 52, 900)),
            both(|l| serving(l, root, "http://127.0.0.1:8000/")),
            both(|l| rebuilt_all(l, 52, 900, 3)),
            both(|l| rerendered(l, 52, 900, &renamed, "static/app.js")),
            both(|l| copied(l, &["static/img/logo.svg".to_owned()], 4, "static/img/logo.svg")),
            both(|l| unchanged(l, "themes/other/x.html")),
            both(|l| rebuilt_some(l, 14, 52, 30, Path::new("content/a.zh.md"))),
            both(|l| updated_rest(l, 6, 800)),
            both(|l| changed_files(l, root, &files)),
            both(|l| theme_change(l, &ThemeChange::Templates)),
            both(|l| theme_change(l, &ThemeChange::Strings)),
            both(|l| cannot_start(l, &io)),
            both(|l| port_in_use(l, 8000, "127.0.0.1")),
            both(|l| cannot_listen(l, "127.0.0.1:8000", &io)),
            both(|l| cannot_watch(l, Some(root), "inotify limit")),
            both(|l| server_error(l, &io)),
        ];
        for (en, zh) in &lines {
            assert!(en.is_ascii(), "{en}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "no Chinese in {zh:?} ({en})");
            // No English words pasted into the Chinese sentence: only paths, options and the
            // system's own error text (none of which is in these examples' words below).
            for word in ["pages", "built", "rebuilt", "copied", "updated", "cannot", "template", "more", "warnings"] {
                assert!(!zh.contains(word), "{word:?} in {zh:?}");
            }
            // The numbers each wording reports are the same.
            let digits = |s: &str| {
                let mut d: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
                d.sort_unstable();
                d
            };
            if !en.contains("and 1 more") {
                assert_eq!(digits(en), digits(zh), "{en} / {zh}");
            }
        }
        assert_eq!(changed_files(Zh, root, &files), "content/a.zh.md 等 2 个文件");
        assert_eq!(changed_files(En, root, &files), "content/a.zh.md and 1 more");
        assert_eq!(
            rebuilt_some(Zh, 14, 52, 30, Path::new("content/a.zh.md")),
            "已重新构建 52 个页面中的 14 个，用时 30 毫秒（content/a.zh.md）"
        );
    }
}
