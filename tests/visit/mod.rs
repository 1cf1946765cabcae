//! Helpers shared by the visitor-facing test files (`visitors`, `search`, `browser`, `deploy`):
//! the example built once per test binary, reading its pages, and the external tools (Node,
//! Chromium) that their `#[ignore]`d tests drive.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

use crate::common::{self, html_files};

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The example, built once for the tests of this file that only read the output.
pub fn built() -> &'static Path {
    &common::example_built(&[]).out
}

pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn doc(out: &Path, rel: &str) -> Html {
    Html::parse_document(&read(out, rel))
}

/// Site pages (not booklets, not the 404 page): `(path, lang)`.
pub fn site_pages(out: &Path) -> Vec<(String, String)> {
    html_files(out)
        .into_iter()
        .filter(|p| !p.contains("/reports/") && !p.starts_with("reports/") && p != "404.html")
        .map(|p| {
            let lang = p.split_once('/').map_or("zh", |(l, _)| l).to_owned();
            (p, lang)
        })
        .collect()
}

pub const NPM_CI: &str = "npm ci --prefix tests/js (see .ci/run)";

pub fn node() -> PathBuf {
    common::tool(&["node", "nodejs"], "apt-get install nodejs")
}

/// Runs `cmd` with a deadline, killing it when late; returns its output.
pub fn run_with_timeout(cmd: &mut Command, secs: u64) -> Output {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output { status, stdout: out_thread.join().unwrap(), stderr: err_thread.join().unwrap() }
}

pub fn chromium() -> PathBuf {
    common::tool(&["chromium", "chromium-browser", "google-chrome"], "apt-get install chromium (see .ci/run)")
}

/// One headless Chromium at a time: the machine has two cores.
pub fn chromium_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The DOM of `url` after its scripts ran for `budget_ms` of virtual time.
pub fn dump_dom(chrome: &Path, url: &str, budget_ms: u32) -> String {
    dump_dom_with(chrome, url, budget_ms, &[])
}

/// [`dump_dom`] in a window `width` CSS pixels wide (a phone's 390, a desktop's 1280).
pub fn dump_dom_sized(chrome: &Path, url: &str, budget_ms: u32, width: u32) -> String {
    dump_dom_with(chrome, url, budget_ms, &[&format!("--window-size={width},900")])
}

/// [`dump_dom`] with more Chromium flags (`--accept-lang=…`: what `navigator.languages` says;
/// `--lang` alone does not change it in headless mode; `--window-size=…` overrides the default,
/// the last of a switch winning).
pub fn dump_dom_with(chrome: &Path, url: &str, budget_ms: u32, flags: &[&str]) -> String {
    let _guard = chromium_lock();
    let profile = tempfile::tempdir().unwrap();
    let output = run_with_timeout(
        Command::new(chrome)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
            ])
            .arg("--window-size=1280,900")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(flags)
            .arg(format!("--virtual-time-budget={budget_ms}"))
            .arg("--dump-dom")
            .arg(url),
        120,
    );
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(dom.contains("<html"), "Chromium returned no DOM for {url}: {}", String::from_utf8_lossy(&output.stderr));
    dom
}
