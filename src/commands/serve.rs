//! `planpress serve`: build in memory, serve over HTTP, rebuild when `content/`, `themes/` or
//! `static/` change, and reload open pages. A failed rebuild keeps serving the last good build
//! and shows the error over the page and on the terminal.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rayon::prelude::*;
use tokio::sync::broadcast;

use notify_debouncer_full::DebounceEventResult;

use super::live::Live;
use crate::diagnostics::{Diagnostic, MessageLang, Severity};
use crate::render::OutputFile;
use crate::sitefs::{Found, SiteFs};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub lang: MessageLang,
}

/// What the server answers with: the last good build, and the current error if the latest
/// rebuild failed.
#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    error: Option<String>,
}

#[derive(Clone)]
struct AppState {
    snapshot: Arc<RwLock<Snapshot>>,
    events: broadcast::Sender<Event>,
}

#[derive(Clone, Debug)]
enum Event {
    Reload,
    Error(String),
}

const RELOAD_PATH: &str = "/__planpress/reload.js";
const EVENTS_PATH: &str = "/__planpress/events";

/// The live-reload client: reloads on a rebuild, shows build errors over the page.
const RELOAD_JS: &str = r#"(function () {
  var box = null;
  function overlay(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "planpress-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
  var source = new EventSource("/__planpress/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("build-error", function (e) { overlay(JSON.parse(e.data)); });
})();
"#;

fn render_errors(root: &Path, lang: MessageLang, diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<String> = diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.render_in(root, lang)).collect();
    let head = match lang {
        MessageLang::Zh => format!("构建失败（{} 个错误）。修正后保存，页面会自动刷新；在此之前仍显示上一次成功的版本。\n\n", errors.len()),
        MessageLang::En => format!(
            "Build failed ({} error{}). Fix and save: the page reloads by itself; until then the last good build is served.\n\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ),
    };
    head + &errors.join("\n")
}

/// The served files by URL path, shared with the request handlers.
type ServedFiles = HashMap<String, Arc<Vec<u8>>>;

/// The files as served: the reload script injected before the end of every HTML page.
fn served(files: Vec<OutputFile>) -> impl Iterator<Item = (String, Arc<Vec<u8>>)> {
    let script = format!("<script src=\"{RELOAD_PATH}\"></script>");
    // On all cores, searching from the end: at scale this is hundreds of megabytes.
    let files: Vec<(String, Arc<Vec<u8>>)> = files
        .into_par_iter()
        .map(|f| {
            let bytes = match memchr::memmem::rfind(&f.bytes, b"</body>").filter(|_| f.is_html) {
                Some(at) => [&f.bytes[..at], script.as_bytes(), &f.bytes[at..]].concat(),
                None => f.bytes,
            };
            (f.path, Arc::new(bytes))
        })
        .collect();
    files.into_iter()
}

/// A full build in memory: the live model, the files, the page and warning counts, or the
/// error text.
fn rebuild(options: &ServeOptions, base_url: &str) -> Result<(Live, ServedFiles, usize, usize), String> {
    match Live::load(&options.root, base_url) {
        Ok(loaded) => {
            for d in loaded.warnings.iter() {
                eprint!("{}", d.render_in(&options.root, options.lang));
            }
            Ok((loaded.live, served(loaded.files).collect(), loaded.pages, loaded.warnings.warning_count()))
        }
        Err(diags) => Err(render_errors(&options.root, options.lang, &diags.sorted())),
    }
}

/// Watches the sources and keeps the snapshot up to date: an edit to one result or partner
/// re-renders its dependants (then, as a second step, the booklets, feeds, search index and
/// sitemap); anything else rebuilds everything.
fn watch(
    options: &ServeOptions,
    base_url: &str,
    state: &AppState,
    mut live: Option<Live>,
    rx: std::sync::mpsc::Receiver<DebounceEventResult>,
) {
    for result in rx {
        let Ok(events) = result else { continue };
        if events.iter().all(|e| e.kind.is_access()) {
            continue;
        }
        let started = Instant::now();
        // Reading a folder is reported too (as an access); only changed files count.
        let mut changed: Vec<PathBuf> =
            events.iter().filter(|e| !e.kind.is_access()).flat_map(|e| e.paths.iter().cloned()).filter(|p| !p.is_dir()).collect();
        changed.sort();
        changed.dedup();
        let update = live.as_mut().and_then(|l| l.update(&changed));
        match update {
            Some(Ok((update, files))) => {
                let live = live.as_ref().expect("live site");
                let count = update.affected.pages();
                let mut snapshot = state.snapshot.write().expect("snapshot lock");
                snapshot.files.extend(served(files));
                snapshot.error = None;
                drop(snapshot);
                println!(
                    "rebuilt {count} of {} pages in {} ms ({})",
                    live.page_total(),
                    started.elapsed().as_millis(),
                    update.file.display()
                );
                let _ = state.events.send(Event::Reload);
                // The slow part follows; a page reloaded meanwhile shows the new text already.
                let rest_started = Instant::now();
                match live.update_rest(&update) {
                    Ok(files) => {
                        state.snapshot.write().expect("snapshot lock").files.extend(served(files));
                        println!(
                            "updated {} booklets, the feeds, the search index and the sitemap in {} ms",
                            update.affected.booklets(),
                            rest_started.elapsed().as_millis()
                        );
                    }
                    Err(diags) => report_error(options, state, diags),
                }
            }
            Some(Err(diags)) => report_error(options, state, diags),
            None => match rebuild(options, base_url) {
                Ok((new_live, files, pages, warnings)) => {
                    live = Some(new_live);
                    let mut snapshot = state.snapshot.write().expect("snapshot lock");
                    snapshot.files = files;
                    snapshot.error = None;
                    drop(snapshot);
                    println!(
                        "rebuilt {pages} pages in {} ms{}",
                        started.elapsed().as_millis(),
                        if warnings > 0 { format!(", {warnings} warnings") } else { String::new() }
                    );
                    let _ = state.events.send(Event::Reload);
                }
                Err(text) => {
                    live = None;
                    eprintln!("{text}");
                    state.snapshot.write().expect("snapshot lock").error = Some(text.clone());
                    let _ = state.events.send(Event::Error(text));
                }
            },
        }
    }
}

fn report_error(options: &ServeOptions, state: &AppState, diags: crate::diagnostics::Diagnostics) {
    let text = render_errors(&options.root, options.lang, &diags.sorted());
    eprintln!("{text}");
    state.snapshot.write().expect("snapshot lock").error = Some(text.clone());
    let _ = state.events.send(Event::Error(text));
}

/// Watches the site's source folders. Links are not followed, and a top folder is watched only
/// if it lies inside the site (a `static/` linked to `/` would otherwise watch the whole disk);
/// what a build may read is decided by [`crate::sitefs`], and the server answers only with what
/// the build produced.
fn watch_sources(root: &Path, tx: std::sync::mpsc::Sender<DebounceEventResult>) -> Result<SourceWatcher, String> {
    use notify_debouncer_full::notify::{Config, RecursiveMode};
    let config = Config::default().with_follow_symlinks(false);
    let mut debouncer = notify_debouncer_full::new_debouncer_opt(
        Duration::from_millis(100),
        None,
        tx,
        notify_debouncer_full::RecommendedCache::new(),
        config,
    )
    .map_err(|e| format!("cannot watch files: {e}"))?;
    // Inside the site only, whatever site.yaml says: watching costs nothing to publish.
    let inside = SiteFs::new(root, true, None);
    for dir in ["content", "themes", "static"] {
        let (path, found) = inside.top(&[dir]);
        if matches!(found, Found::Dir) {
            debouncer.watch(&path, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok(debouncer)
}

type SourceWatcher =
    notify_debouncer_full::Debouncer<notify_debouncer_full::notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>;

pub fn serve(mut options: ServeOptions) -> Result<(), String> {
    // Absolute, so that watched paths and the model's paths compare.
    options.root = std::fs::canonicalize(&options.root).unwrap_or(options.root);
    let addr = SocketAddr::new(options.bind, options.port);
    let base_url = format!("http://{addr}/");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("cannot start: {e}"))?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} on {} is already in use (another `planpress serve`?); try --port {}",
                options.port,
                options.bind,
                options.port.saturating_add(1)
            )
        } else {
            format!("cannot listen on {addr}: {e}")
        }
    })?;

    let (events, _) = broadcast::channel(16);
    let state = AppState { snapshot: Arc::new(RwLock::new(Snapshot::default())), events };
    // Watch the sources (from before the first build, so no edit is missed); rebuild on a
    // debounced change, 100 ms after the last event.
    let (tx, rx) = std::sync::mpsc::channel();
    let debouncer = watch_sources(&options.root, tx)?;
    let started = Instant::now();
    let live = match rebuild(&options, &base_url) {
        Ok((live, files, pages, _)) => {
            state.snapshot.write().expect("snapshot lock").files = files;
            println!("built {pages} pages in {} ms", started.elapsed().as_millis());
            Some(live)
        }
        Err(text) => {
            eprintln!("{text}");
            state.snapshot.write().expect("snapshot lock").error = Some(text);
            None
        }
    };

    let watcher_state = state.clone();
    let watch_base = base_url.clone();
    let options = Arc::new(options);
    let watch_options = options.clone();
    std::thread::spawn(move || watch(&watch_options, &watch_base, &watcher_state, live, rx));

    let app = Router::new()
        .route(RELOAD_PATH, get(reload_script))
        .route(EVENTS_PATH, get(event_stream))
        .fallback(get(serve_file))
        .with_state(state);
    println!("serving {} at {base_url} (Ctrl-C to stop)", options.root.display());
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&base_url).spawn();
    }
    runtime
        .block_on(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        })
        .map_err(|e| format!("server error: {e}"))?;
    drop(debouncer);
    Ok(())
}

async fn reload_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], RELOAD_JS)
}

async fn event_stream(State(state): State<AppState>) -> impl IntoResponse {
    let receiver = state.events.subscribe();
    // A page opened while the build is broken learns of it at once.
    let current = state.snapshot.read().expect("snapshot lock").error.clone().map(Event::Error);
    let initial = futures_util::stream::iter(current);
    let updates = futures_util::stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((event, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    use futures_util::StreamExt;
    let stream = initial.chain(updates).map(|event| {
        let chunk = match event {
            Event::Reload => "event: reload\ndata: {}\n\n".to_owned(),
            Event::Error(text) => format!("event: build-error\ndata: {}\n\n", serde_json::to_string(&text).unwrap_or_default()),
        };
        Ok::<_, std::convert::Infallible>(chunk)
    });
    let retry = futures_util::stream::once(async { Ok::<_, std::convert::Infallible>("retry: 1000\n\n".to_owned()) });
    ([(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-store")], Body::from_stream(retry.chain(stream)))
}

/// Percent-decodes a URL path; `None` if it is not valid UTF-8 after decoding.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output path a request maps to, or `Err(status)` for a path that tries to leave the site.
pub fn request_path(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_decode(raw).ok_or(StatusCode::BAD_REQUEST)?;
    if decoded.contains('\0') || decoded.contains('\\') || decoded.split('/').any(|segment| segment == "..") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        Ok(format!("{trimmed}index.html"))
    } else {
        Ok(trimmed.to_owned())
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Answers from the in-memory build only: the file system is never consulted, so no request,
/// however encoded, can reach a file the build did not produce.
async fn serve_file(State(state): State<AppState>, uri: Uri) -> Response {
    let path = match request_path(uri.path()) {
        Ok(p) => p,
        Err(status) => return (status, "bad request\n").into_response(),
    };
    let snapshot = state.snapshot.read().expect("snapshot lock");
    if let Some(bytes) = snapshot.files.get(&path) {
        return ([(header::CONTENT_TYPE, content_type(&path)), (header::CACHE_CONTROL, "no-store")], Body::from(bytes.as_ref().clone()))
            .into_response();
    }
    // A folder requested without its trailing slash: redirect, as static hosts do.
    if snapshot.files.contains_key(&format!("{path}/index.html")) {
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, format!("/{path}/"))]).into_response();
    }
    match snapshot.files.get("404.html") {
        Some(page) => {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from(page.as_ref().clone())).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths() {
        assert_eq!(request_path("/"), Ok("index.html".to_owned()));
        assert_eq!(request_path("/zh/plan/2011/"), Ok("zh/plan/2011/index.html".to_owned()));
        assert_eq!(request_path("/static/style.css"), Ok("static/style.css".to_owned()));
        assert_eq!(request_path("/zh/%E5%85%B3%E4%BA%8E/"), Ok("zh/关于/index.html".to_owned()));
        for bad in
            ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/%2E%2E%2FCargo.toml", "/a/..%2f..%2fetc/passwd", "/a%5c..%5cb", "/%00", "/%ff"]
        {
            assert_eq!(request_path(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
    }
}
