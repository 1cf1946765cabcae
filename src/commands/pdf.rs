//! `planpress pdf`: print the booklets to PDF with the Chromium already on the machine.
//!
//! Chromium has no `target-counter()`, so contents page numbers take two passes: print once,
//! read each chapter's page from the PDF outline (`--generate-pdf-document-outline` makes one
//! from the headings), write the numbers into the contents, print again, and check that the
//! page count and every chapter's page stayed the same.

mod finish;
mod layout;
mod stop;
mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::build::{prepare, render_options, write, BuildReport, Prepared};
use crate::diagnostics::{Diagnostic, Diagnostics, MessageLang, Position};
use crate::model::Paper;
use crate::output;
use crate::output::OutputFile;
use crate::render::booklet::{self, BookletSpec};
use crate::render::{self, Print, RenderOptions};
pub use stop::interrupted;
use stop::{catch_interrupts, confine};

// The DevTools protocol over a pipe (the browser's fds 3 and 4): Linux. Elsewhere each
// booklet is printed by a browser run of its own (`print_one`).
#[cfg(target_os = "linux")]
mod cdp;
#[cfg(not(target_os = "linux"))]
#[path = "pdf/cdp_none.rs"]
mod cdp;

pub struct PdfOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    /// A language code, or `bilingual`.
    pub lang: Option<String>,
    pub year: Option<u32>,
    pub paper: Option<Paper>,
    pub profile: Option<crate::model::PrintProfile>,
    pub chrome: Option<PathBuf>,
    pub minify: bool,
    pub strict: bool,
    /// No progress bar (it is also hidden when stderr is not a terminal, and in CI).
    pub quiet: bool,
    /// Public (approved content only) or preview (everything, drafts watermarked).
    pub publication: crate::publish::Publication,
    /// The cover with 3 mm bleed, and TrimBox/BleedBox on every page.
    pub prepress: bool,
}

/// One printed booklet.
struct Printed {
    pages: usize,
    /// Chapter id → page.
    chapters: BTreeMap<String, u32>,
    /// Each page's fill (see `layout::page_fills`).
    fills: Vec<f32>,
    /// The rows that continue a table on a later page (see `tables`).
    continued: BTreeSet<String>,
    bytes: Vec<u8>,
}

/// Where one booklet stands between passes: the page numbers its contents carry, what was
/// mended, and, once a pass printed what it carried, that pass's PDF.
#[derive(Default)]
struct Progress {
    numbers: Option<BTreeMap<String, u32>>,
    repairs: booklet::Repairs,
    done: Option<Printed>,
}

/// At most this many passes: one without page numbers, one with them, one more after a repair.
const PASSES: usize = 4;

/// `PLANPRESS_PDF_TIMES=1`: where the time of a print goes, on stderr.
fn timed<T>(what: &str, started: Instant, value: T) -> T {
    if std::env::var_os("PLANPRESS_PDF_TIMES").is_some() {
        eprintln!("pdf: {what}: {:.2} s", started.elapsed().as_secs_f64());
    }
    value
}

/// How every browser `pdf` starts runs: headless, quiet, nothing fetched or synced.
const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    // Every booklet of a pass prints in its own tab at once: none is a background tab to be
    // throttled or given a lower priority while the others print.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
];

#[cfg(not(windows))]
const BROWSERS: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
#[cfg(windows)]
const BROWSERS: &[&str] = &["chrome.exe", "chromium.exe"];

/// The folders searched for a browser: `PATH`, then (Windows) Chrome's own install folders,
/// which its installer does not put on `PATH`.
fn browser_dirs() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    #[allow(unused_mut)]
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    #[cfg(windows)]
    for base in ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"] {
        if let Some(base) = std::env::var_os(base) {
            dirs.push(PathBuf::from(base).join("Google").join("Chrome").join("Application"));
        }
    }
    dirs
}

pub fn find_chrome(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return if path.is_file() { Ok(path.to_path_buf()) } else { Err(format!("--chrome {}: no such file", path.display())) };
    }
    for dir in browser_dirs() {
        for name in BROWSERS {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(format!("no Chromium or Chrome found on PATH (looked for {})", BROWSERS.join(", ")))
}

/// An `E-pdf` error, in English and Chinese.
fn error(out: &Path, message: impl Into<String>, help: impl Into<String>, zh: impl Into<String>, zh_help: impl Into<String>) -> Diagnostic {
    Diagnostic::error("E-pdf", out, Position::file(), message).help(help).zh(zh, Some(zh_help.into()))
}

fn interrupted_error(out: &Path) -> Diagnostic {
    error(
        out,
        "interrupted: the browser was stopped and its temporary files removed",
        "the output folder was left as it was",
        "已中断：浏览器已停止，临时文件已删除",
        "输出文件夹保持原样",
    )
}

/// The temp folder of one `pdf` run (`planpress-pdf-<pid>`), removed on every way out of
/// `pdf`; one left by a killed run is removed by the next.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create() -> WorkDir {
        let temp = std::env::temp_dir();
        for stale in output::stale_folders(&temp, "planpress-pdf-") {
            output::remove_if_ours(&stale, None);
        }
        WorkDir(temp.join(format!("planpress-pdf-{}", std::process::id())))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn pdf(options: &PdfOptions) -> BuildReport {
    let started = Instant::now();
    let chrome = match find_chrome(options.chrome.as_deref()) {
        Ok(c) => c,
        Err(message) => {
            let mut diags = Diagnostics::default();
            let zh = format!("找不到可用的 Chromium 或 Chrome 浏览器（原文：{message}）");
            diags.push(error(
                &options.out,
                message,
                "install Chromium (Debian/Ubuntu: apt-get install chromium) or pass --chrome PATH; `planpress build` still writes the HTML booklets, which any browser prints",
                zh,
                "请安装 Chromium（Debian/Ubuntu：apt-get install chromium）或用 --chrome 指定浏览器路径；`planpress build` 仍会生成 HTML 小册子，任何浏览器都能打印",
            ));
            return BuildReport::failed(diags);
        }
    };
    // The browser starts while the site loads and renders: its start-up is the first pass's
    // longest wait.
    catch_interrupts();
    let work_dir = WorkDir::create();
    let browser = start_browser(&chrome, &work_dir.0);
    let Prepared { site, theme, mut diags } = match prepare(&options.root, Some(&options.out), options.strict) {
        Ok(p) => p,
        Err(report) => return report,
    };
    let site = options.publication.site(site);
    let selected: Vec<BookletSpec> = booklet::specs(&site)
        .into_iter()
        // A period booklet is printed for any year of its period.
        .filter(|b| options.year.is_none_or(|y| b.years(&site).contains(&y)))
        .filter(|b| match options.lang.as_deref() {
            None => true,
            Some("bilingual") => b.lang.is_none(),
            Some(l) => b.lang.as_deref() == Some(l),
        })
        .collect();
    if selected.is_empty() {
        diags.push(error(
            &options.out,
            "no booklet matches --lang/--year",
            format!("languages: {}, or bilingual; years: {:?}", site.language_codes().join(", "), site.plans.keys().collect::<Vec<_>>()),
            "没有符合 --lang/--year 的小册子",
            format!(
                "语言：{}，或 bilingual（双语版）；年份：{:?}",
                site.language_codes().join("、"),
                site.plans.keys().collect::<Vec<_>>()
            ),
        ));
        return BuildReport::failed(diags);
    }
    let render_options = RenderOptions { publication: options.publication, ..render_options(&site, options.base_url.as_deref()) };
    let result = print_twice(&site, &theme, &selected, (&chrome, browser), options, render_options, &work_dir.0);
    drop(work_dir);
    let result = result.and_then(|r| if interrupted() { Err(interrupted_error(&options.out)) } else { Ok(r) });
    let (files, pages) = match result {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return BuildReport::failed(diags);
        }
    };
    match write(&options.out, files, options.minify) {
        Ok(warnings) => warnings.into_iter().for_each(|w| diags.push(w)),
        Err(d) => {
            diags.push(d);
            return BuildReport::failed(diags);
        }
    }
    let (booklets, out, seconds) = (selected.len(), options.out.display(), started.elapsed().as_secs_f64());
    let summary = crate::diagnostics::Message::new(
        format!("printed {booklets} booklets ({pages} pages) into {out} in {seconds:.1} s"),
        format!("已打印 {booklets} 本小册子（共 {pages} 页），输出到 {out}，用时 {seconds:.1} 秒"),
    );
    BuildReport { diagnostics: diags.sorted(), summary: Some(summary), usage_error: false }
}

/// One browser for every pass over the DevTools protocol; without it (it failed to start, or
/// PLANPRESS_PDF_SPAWN is set), `None`: one browser run per booklet as before.
fn start_browser(chrome: &Path, work: &Path) -> Option<cdp::Browser> {
    if std::env::var_os("PLANPRESS_PDF_SPAWN").is_some() {
        return None;
    }
    let _ = std::fs::create_dir_all(work);
    let mut browser = cdp::Browser::launch(chrome, work)
        .inspect_err(|e| {
            if std::env::var_os("PLANPRESS_PDF_DEBUG").is_some() {
                eprintln!("DevTools protocol: the browser did not start: {e}");
            }
        })
        .ok()?;
    browser.watch(300);
    Some(browser)
}

/// The progress bar's line, in the language of `pdf`'s other messages (the environment's, as
/// gettext reads it: `pdf --lang` picks booklets, not messages).
fn progress_template(lang: MessageLang) -> &'static str {
    lang.pick("printing {bar:30} {pos}/{len} {msg}", "正在打印 {bar:30} {pos}/{len} {msg}")
}

/// Prints the selected booklets until their contents' page numbers are the printed ones and
/// nothing is left to mend (see `layout`): the first pass has no page numbers; each later pass
/// carries the pages and repairs of the pass before and reprints only the booklets that are not
/// settled. Returns the files of the site that links to the PDFs (the last pass's render) and
/// the page count.
fn print_twice(
    site: &crate::model::Site,
    theme: &render::theme::Theme,
    selected: &[BookletSpec],
    (chrome, mut browser): (&Path, Option<cdp::Browser>),
    options: &PdfOptions,
    render_options: RenderOptions,
    work: &Path,
) -> Result<(Vec<OutputFile>, usize), Diagnostic> {
    let progress = super::progress::bar(selected.len() as u64 * 2, progress_template(MessageLang::detect(None)), options.quiet);
    // Every pass's pages link to the PDFs: only the last pass's render is written out.
    let pdfs = selected.iter().map(|b| b.route.url().to_owned()).collect::<BTreeSet<_>>();
    let profile = options.profile.unwrap_or(site.config.print.profile);
    let mut print = Print { paper: options.paper, profile: options.profile, prepress: options.prepress, pdfs, ..Print::default() };
    let browser = &mut browser;
    let mut states: Vec<Progress> = selected.iter().map(|_| Progress::default()).collect();
    let mut files = Vec::new();
    for pass in 1..=PASSES {
        let todo: Vec<usize> = (0..selected.len()).filter(|&i| states[i].done.is_none()).collect();
        if todo.is_empty() {
            break;
        }
        if pass > 2 {
            progress.inc_length(todo.len() as u64);
        }
        for (b, state) in selected.iter().zip(&states) {
            let url = b.route.url().to_owned();
            match &state.numbers {
                Some(numbers) => print.page_numbers.insert(url.clone(), numbers.clone()),
                None => print.page_numbers.remove(&url),
            };
            print.repairs.insert(url, state.repairs.clone());
        }
        let started = Instant::now();
        let (printed, rendered) = print_all(
            site,
            theme,
            (&render_options, &print),
            selected,
            &todo,
            (chrome, browser),
            &work.join(format!("pass{pass}")),
            &progress,
        )?;
        timed(&format!("pass {pass}: {} booklets rendered and printed", todo.len()), started, ());
        files = rendered;
        for (i, printed) in todo.into_iter().zip(printed) {
            let (b, state) = (&selected[i], &mut states[i]);
            let mut next = state.repairs.clone();
            next.continued.clone_from(&printed.continued);
            let mut next_numbers = None;
            if pass == 1 {
                let ids: Vec<String> = booklet::chapters(b.kind, &[], None, &b.years(site)).into_iter().map(|c| c.id).collect();
                // The last page of text: before the back cover or the end matter.
                let after = usize::from(site.config.print.pad > 1 || profile == crate::model::PrintProfile::Official);
                let last = printed.pages.saturating_sub(after) as u32;
                next.run_in = layout::plan_run_in(&ids, &printed.chapters, last, &printed.fills);
                // The next pass's contents carry where the chapters will be once run on.
                let predicted = layout::predict_starts(&ids, &printed.chapters, last, &next.run_in);
                next_numbers = Some(predicted);
            }
            // The official end matter is on a left-hand page: an even page count.
            let pad = if profile == crate::model::PrintProfile::Official { 2 } else { site.config.print.pad };
            next.blanks = layout::blanks(printed.pages - state.repairs.blanks as usize, pad);
            if state.numbers.as_ref() == Some(&printed.chapters) && next == state.repairs {
                state.done = Some(printed);
            } else if pass == PASSES {
                let before = state.numbers.as_ref().map_or(0, |n| n.values().copied().max().unwrap_or(0));
                return Err(error(
                    &options.out,
                    format!("{}: the page numbers did not settle in {PASSES} passes (a chapter on page {before} moved)", b.route),
                    "a chapter title or contents entry wraps differently once numbered; shorten it or report this as a bug",
                    format!("{}：{PASSES} 次排版后页码仍不一致（第 {before} 页的章节发生了移动）", b.route),
                    "加上页码后，某个章节标题或目录条目的换行发生了变化；请缩短它，或作为缺陷报告",
                ));
            } else {
                state.numbers = Some(next_numbers.unwrap_or(printed.chapters));
                state.repairs = next;
            }
        }
    }
    progress.finish_and_clear();
    let finishing = Instant::now();
    let done: Vec<Option<Printed>> = states.into_iter().map(|s| s.done).collect();
    let pages = finish::finish_all(site, selected, done, &mut files, options)?;
    timed("PDFs finished (page mode, language, boxes)", finishing, ());
    Ok((files, pages))
}

/// Renders the site into `dir` and prints the booklets of `selected` whose indexes are in
/// `todo` from there: the printed booklets (in the order of `todo`) and the rendered files.
#[allow(clippy::too_many_arguments)]
fn print_all(
    site: &crate::model::Site,
    theme: &render::theme::Theme,
    (options, print): (&RenderOptions, &Print),
    selected: &[BookletSpec],
    todo: &[usize],
    (chrome, browser): (&Path, &mut Option<cdp::Browser>),
    dir: &Path,
    progress: &indicatif::ProgressBar,
) -> Result<(Vec<Printed>, Vec<OutputFile>), Diagnostic> {
    let started = Instant::now();
    let rendered = render::render_printed(site, theme, options, print.clone()).map_err(|d| {
        d.sorted().into_iter().next().unwrap_or_else(|| {
            error(dir, "render failed", "run `planpress build` to see why", "渲染失败", "运行 `planpress build` 查看原因")
        })
    })?;
    timed("  render", started, ());
    let started = Instant::now();
    let _ = std::fs::remove_dir_all(dir);
    for file in &rendered.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).and_then(|()| std::fs::write(&path, &file.bytes)).map_err(|e| {
            let zh = format!("无法写入：{}", crate::diagnostics::zh_io(&e));
            error(&path, format!("cannot write: {e}"), "check free space in the temp folder", zh, "请检查临时文件夹的剩余空间")
        })?;
    }
    timed("  written to the temp folder", started, ());
    let started = Instant::now();
    let selected: Vec<&BookletSpec> = todo.iter().map(|&i| &selected[i]).collect();
    let pages: Vec<PathBuf> = selected.iter().map(|b| dir.join(b.route.output_path())).collect();
    let profile = print.profile.unwrap_or(site.config.print.profile);
    let mut by_protocol = match browser.as_mut().map(|b| b.print(&pages)) {
        Some(Ok(printed)) => {
            progress.inc(printed.len() as u64);
            printed.into_iter().map(Some).collect()
        }
        Some(Err(e)) => {
            if std::env::var_os("PLANPRESS_PDF_DEBUG").is_some() {
                eprintln!("DevTools protocol failed, printing one booklet at a time: {e}");
            }
            // The protocol failed: stop that browser and print each booklet on its own.
            *browser = None;
            Vec::new()
        }
        None => Vec::new(),
    };
    by_protocol.resize_with(selected.len(), || None);
    timed("  printed", started, ());
    let started = Instant::now();
    let printed = selected
        .iter()
        .zip(by_protocol)
        .map(|(b, by_protocol)| {
            let html = dir.join(b.route.output_path());
            let pdf = dir.join(b.pdf_route().output_path());
            let bytes = match by_protocol {
                Some(bytes) => Ok(bytes),
                None => {
                    progress.set_message(b.route.url().to_owned());
                    print_one(chrome, &html, &pdf)?;
                    progress.inc(1);
                    std::fs::read(&pdf)
                }
            };
            let bytes = bytes.map_err(|e| {
                let zh = format!("Chromium 没有生成 PDF：{}", crate::diagnostics::zh_io(&e));
                error(
                    &pdf,
                    format!("Chromium wrote no PDF: {e}"),
                    "run the same page in Chromium by hand to see why",
                    zh,
                    "请在 Chromium 中手动打开该页面查看原因",
                )
            })?;
            let chapters_wanted: Vec<(String, String)> = {
                let strings: Vec<&BTreeMap<String, String>> = b.edition_langs(site).iter().map(|l| &theme.strings[*l]).collect();
                booklet::chapters(b.kind, &strings, None, &b.years(site)).into_iter().map(|c| (c.id, c.title)).collect()
            };
            let read = lopdf::Document::load_mem(&bytes).map_err(|e| format!("cannot read the printed PDF: {e}"));
            let doc = read.as_ref().ok();
            let (pages, chapters, fills) = read
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|doc| read_outline(doc, &chapters_wanted).map(|(p, c)| (p, c, layout::page_fills(doc, profile))))
                .map_err(|m| {
                    let zh = format!("PDF 目录与小册子的章节不符（原文：{m}）");
                    error(
                        &pdf,
                        m,
                        "each chapter must be a heading whose text is its title in the contents",
                        zh,
                        "每一章都必须是一个标题，且标题文字与目录中的章节名一致",
                    )
                })?;
            // The HTML this PDF was printed from, for the rows that continue a table.
            let html = rendered.files.iter().find(|f| f.path == b.route.output_path());
            let continued = match (&doc, html) {
                (Some(doc), Some(html)) => {
                    tables::continued(&tables::keyed_rows(&String::from_utf8_lossy(&html.bytes)), &tables::row_pages(doc))
                }
                _ => BTreeSet::new(),
            };
            Ok(Printed { pages, chapters, fills, continued, bytes })
        })
        .collect::<Result<Vec<Printed>, Diagnostic>>()?;
    timed("  outlines and page fills read", started, ());
    Ok((printed, rendered.files))
}

/// Runs Chromium headless with a watchdog: it can write the PDF and never exit.
fn print_one(chrome: &Path, html: &Path, pdf: &Path) -> Result<(), Diagnostic> {
    if interrupted() {
        return Err(interrupted_error(pdf));
    }
    let profile = pdf.with_extension("profile");
    let url = file_url(html);
    let mut command = Command::new(chrome);
    confine(&mut command);
    let child = command
        .args(HEADLESS)
        .args(["--no-pdf-header-footer", "--generate-pdf-document-outline", "--run-all-compositor-stages-before-draw"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            let zh = format!("无法启动 {}：{}", chrome.display(), crate::diagnostics::zh_io(&e));
            error(
                chrome,
                format!("cannot start {}: {e}", chrome.display()),
                "pass a working browser with --chrome PATH",
                zh,
                "请用 --chrome 指定一个能正常运行的浏览器",
            )
        })?;
    let finished = watch(child);
    let _ = std::fs::remove_dir_all(&profile);
    match finished {
        Finished::Interrupted => Err(interrupted_error(pdf)),
        _ if pdf.is_file() => Ok(()),
        Finished::TimedOut => Err(error(
            pdf,
            "Chromium did not finish printing within 120 s",
            "try again; if it persists, print the HTML booklet from a browser",
            "Chromium 在 120 秒内没有完成打印",
            "请重试；如果仍然失败，请在浏览器中打印 HTML 小册子",
        )),
        Finished::Exited => Err(error(
            pdf,
            "Chromium exited without writing the PDF",
            "check that the browser runs headless on this machine",
            "Chromium 已退出，但没有生成 PDF",
            "请检查这台机器上的浏览器能否以无界面（headless）方式运行",
        )),
    }
}

enum Finished {
    Exited,
    TimedOut,
    Interrupted,
}

/// Waits for the browser, for at most 120 s or until interrupted; then stops its whole process
/// group or Job object (a browser that exited can leave helpers behind) and reaps it.
fn watch(mut child: Child) -> Finished {
    let group = stop::Group::of(&child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let finished = loop {
        match child.try_wait() {
            Ok(Some(_)) => break Finished::Exited,
            _ if interrupted() => break Finished::Interrupted,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => break Finished::TimedOut,
        }
    };
    group.kill();
    let _ = child.kill();
    let _ = child.wait();
    drop(group);
    finished
}

/// The `file:` URL of a local file for the browser's command line.
#[cfg(not(windows))]
fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Windows: `file:///C:/dir/page.html` (a drive path, forward slashes).
#[cfg(windows)]
fn file_url(path: &Path) -> String {
    format!("file:///{}", path.display().to_string().replace('\\', "/"))
}

/// Page count and, for each wanted chapter (id, title), the page of the outline entry whose
/// title matches.
fn read_outline(doc: &lopdf::Document, wanted: &[(String, String)]) -> Result<(usize, BTreeMap<String, u32>), String> {
    let pages = doc.get_pages().len();
    let toc = doc.get_toc().map_err(|e| format!("the PDF has no outline: {e}"))?;
    // Titles as printed: the page's Chinese punctuation was normalised after the strings.
    let normalise = |s: &str| render::punctuation::normalise_text(s).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found = BTreeMap::new();
    for (id, title) in wanted {
        let title = normalise(title);
        match toc.toc.iter().find(|entry| normalise(&entry.title) == title) {
            Some(entry) => {
                found.insert(id.clone(), entry.page as u32);
            }
            None => return Err(format!("chapter \"{title}\" is not in the PDF outline")),
        }
    }
    Ok((pages, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_is_worded_in_both_languages_and_both_are_valid_templates() {
        for (lang, word) in [(MessageLang::En, "printing "), (MessageLang::Zh, "正在打印 ")] {
            let template = progress_template(lang);
            assert!(template.starts_with(word), "{template}");
            assert!(indicatif::ProgressStyle::with_template(template).is_ok(), "{template}");
        }
    }
}
