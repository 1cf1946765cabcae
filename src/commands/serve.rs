//! `planpress serve`: build in memory, serve over HTTP, rebuild when `content/`, `themes/` or
//! `static/` change, and reload open pages. A failed rebuild keeps serving the last good build
//! and shows the error over the page and on the terminal.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{self, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{Stream, StreamExt};
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use tokio::sync::broadcast;

use super::live::{Live, Outcome, Update};
use crate::diagnostics::{Diagnostic, Diagnostics, MessageLang, Severity};
use crate::output::OutputFile;
use crate::render::Step;

mod terminal;
mod watch;

use watch::SourceWatcher;

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
    /// The output paths of the pages to reload, or every page (`None`).
    Reload(Option<Vec<String>>),
    Error(String),
}

const RELOAD_PATH: &str = "/__planpress/reload.js";
const EVENTS_PATH: &str = "/__planpress/events";

/// The live-reload client: reloads when its page is rebuilt (or all are), shows build errors
/// over the page.
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
  // This page's output path, as the server names the files it reloads.
  function file() {
    var path = location.pathname.replace(/^\//, "");
    try { path = decodeURI(path); } catch (e) { /* left encoded */ }
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }
  var source = new EventSource("/__planpress/events");
  source.addEventListener("reload", function (e) {
    var files = JSON.parse(e.data).files;
    if (!files || files.indexOf(file()) >= 0) location.reload();
  });
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
            print_warnings(options, &loaded.warnings);
            Ok((loaded.live, served(loaded.files).collect(), loaded.pages, loaded.warnings.warning_count()))
        }
        Err(diags) => Err(render_errors(&options.root, options.lang, &diags.sorted())),
    }
}

fn print_warnings(options: &ServeOptions, warnings: &Diagnostics) {
    for d in warnings.iter() {
        eprint!("{}", d.render_in(&options.root, options.lang));
    }
}

/// Watches the sources and keeps the snapshot up to date: an edit to one result or partner
/// re-renders its own page, then its dependants, then (a third step) the booklets, feeds,
/// search index and sitemap; a theme edit re-renders everything or copies a static file (see
/// [`Live::update`]); anything else rebuilds everything.
fn watch(options: &ServeOptions, base_url: &str, state: &AppState, mut live: Option<Live>, mut watcher: SourceWatcher, rx: watch::Events) {
    while let Some(changed) = watch::next_change(&rx, &options.root) {
        let started = Instant::now();
        // A source folder made since the last batch: its files were written before it was
        // watched, so only a full rebuild is sure to have them.
        let new_folder = watcher.watch_new().unwrap_or_else(|e| {
            eprintln!("{e}");
            false
        });
        match live.as_mut().filter(|_| !new_folder).and_then(|l| l.update(&changed)) {
            Some(Ok(outcome)) => {
                let what = terminal::changed_files(options.lang, &options.root, &changed);
                publish(options, state, live.as_ref().expect("live site"), outcome, &what, started);
            }
            Some(Err(diags)) => report_error(options, state, diags),
            None => live = rebuild_everything(options, base_url, state, started),
        }
    }
}

/// Serves what an update produced and says on the terminal what was done and why.
fn publish(options: &ServeOptions, state: &AppState, live: &Live, outcome: Outcome, what: &str, started: Instant) {
    match outcome {
        Outcome::Pages(update, files) => publish_pages(options, state, live, &update, files, started),
        Outcome::Rerendered { reason, files, pages, warnings } => {
            print_warnings(options, &warnings);
            replace_files(state, served(files).collect());
            println!("{}", terminal::rerendered(options.lang, pages, started.elapsed().as_millis(), &reason, what));
            let _ = state.events.send(Event::Reload(None));
        }
        Outcome::Copied(files) => {
            let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            add_files(state, files);
            println!("{}", terminal::copied(options.lang, &paths, started.elapsed().as_millis(), what));
            let _ = state.events.send(Event::Reload(None));
        }
        Outcome::Unchanged => println!("{}", terminal::unchanged(options.lang, what)),
    }
}

/// An incremental update in three steps, each served as soon as it is rendered: the edited
/// record's own pages (the one its editor looks at), the other pages that show it, then the
/// booklets, feeds, search index and sitemap. Each step's reload names its pages, so an open
/// page reloads once, when its own step is served.
fn publish_pages(options: &ServeOptions, state: &AppState, live: &Live, update: &Update, own: Vec<OutputFile>, started: Instant) {
    let own_pages = html_paths(&own);
    add_files(state, own);
    if !own_pages.is_empty() {
        println!("{}", terminal::served_own(options.lang, &own_pages, started.elapsed().as_millis()));
        let _ = state.events.send(Event::Reload(Some(own_pages)));
    }
    match live.render_step(update, Step::Dependants) {
        Ok(files) => {
            let pages = html_paths(&files);
            add_files(state, files);
            let count = update.affected.pages();
            println!("{}", terminal::rebuilt_some(options.lang, count, live.page_total(), started.elapsed().as_millis(), &update.file));
            if !pages.is_empty() {
                let _ = state.events.send(Event::Reload(Some(pages)));
            }
        }
        Err(diags) => return report_error(options, state, diags),
    }
    // The slow part follows; a page reloaded meanwhile shows the new text already.
    let rest_started = Instant::now();
    match live.update_rest(update) {
        Ok(files) => {
            let pages = html_paths(&files);
            state.snapshot.write().expect("snapshot lock").files.extend(served(files));
            println!("{}", terminal::updated_rest(options.lang, update.affected.booklets(), rest_started.elapsed().as_millis()));
            if !pages.is_empty() {
                let _ = state.events.send(Event::Reload(Some(pages)));
            }
        }
        Err(diags) => report_error(options, state, diags),
    }
}

/// The output paths of the HTML files among `files`, sorted.
fn html_paths(files: &[OutputFile]) -> Vec<String> {
    let mut paths: Vec<String> = files.iter().filter(|f| f.is_html).map(|f| f.path.clone()).collect();
    paths.sort();
    paths
}

/// A full rebuild after an edit: the new live site, or `None` (and the error shown) if it failed.
fn rebuild_everything(options: &ServeOptions, base_url: &str, state: &AppState, started: Instant) -> Option<Live> {
    match rebuild(options, base_url) {
        Ok((live, files, pages, warnings)) => {
            replace_files(state, files);
            println!("{}", terminal::rebuilt_all(options.lang, pages, started.elapsed().as_millis(), warnings));
            let _ = state.events.send(Event::Reload(None));
            Some(live)
        }
        Err(text) => {
            show_error(state, text);
            None
        }
    }
}

/// Adds (or overwrites) files of the last good build; the build is good again.
fn add_files(state: &AppState, files: Vec<OutputFile>) {
    let mut snapshot = state.snapshot.write().expect("snapshot lock");
    snapshot.files.extend(served(files));
    snapshot.error = None;
}

/// Serves exactly `files` from now on; the build is good again.
fn replace_files(state: &AppState, files: ServedFiles) {
    let mut snapshot = state.snapshot.write().expect("snapshot lock");
    snapshot.files = files;
    snapshot.error = None;
}

fn report_error(options: &ServeOptions, state: &AppState, diags: Diagnostics) {
    show_error(state, render_errors(&options.root, options.lang, &diags.sorted()));
}

/// On the terminal and over every open page, until a good build.
fn show_error(state: &AppState, text: String) {
    eprintln!("{text}");
    state.snapshot.write().expect("snapshot lock").error = Some(text.clone());
    let _ = state.events.send(Event::Error(text));
}

pub fn serve(mut options: ServeOptions) -> Result<(), String> {
    // Absolute, so that watched paths and the model's paths compare.
    options.root = std::fs::canonicalize(&options.root).unwrap_or(options.root);
    let addr = SocketAddr::new(options.bind, options.port);
    let base_url = format!("http://{addr}/");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| terminal::cannot_start(options.lang, &e))?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            terminal::port_in_use(options.lang, options.port, options.bind)
        } else {
            terminal::cannot_listen(options.lang, addr, &e)
        }
    })?;

    let (events, _) = broadcast::channel(16);
    let state = AppState { snapshot: Arc::new(RwLock::new(Snapshot::default())), events };
    // Watch the sources (from before the first build, so no edit is missed); rebuild once a
    // change is over (see `watch.rs`).
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = SourceWatcher::new(&options.root, options.lang, tx)?;
    let started = Instant::now();
    let live = match rebuild(&options, &base_url) {
        Ok((live, files, pages, _)) => {
            state.snapshot.write().expect("snapshot lock").files = files;
            println!("{}", terminal::built(options.lang, pages, started.elapsed().as_millis()));
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
    // The watcher lives with the thread that reads its events, for as long as the process.
    std::thread::spawn(move || watch(&watch_options, &watch_base, &watcher_state, live, watcher, rx));

    let app = Router::new()
        .route(RELOAD_PATH, get(reload_script))
        .route(EVENTS_PATH, get(event_stream))
        .fallback(get(serve_file))
        .with_state(state);
    println!("{}", terminal::serving(options.lang, &options.root, &base_url));
    if options.open {
        open_in_browser(&base_url);
    }
    runtime
        .block_on(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        })
        .map_err(|e| terminal::server_error(options.lang, &e))?;
    Ok(())
}

/// Opens the address in the desktop's browser, as far as the desktop lets it (any failure is
/// ignored: the address is printed). Windows and macOS not run here.
fn open_in_browser(url: &str) {
    #[cfg(windows)]
    let opener = "explorer";
    #[cfg(target_os = "macos")]
    let opener = "open";
    #[cfg(not(any(windows, target_os = "macos")))]
    let opener = "xdg-open";
    let _ = std::process::Command::new(opener).arg(url).spawn();
}

async fn reload_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], RELOAD_JS)
}

async fn event_stream(State(state): State<AppState>) -> impl IntoResponse {
    event_response(&state, KEEP_ALIVE)
}

/// How long the event stream may stay silent: a comment then keeps proxies and browsers from
/// closing an idle connection (and a closed tab is noticed on the next write).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The reload stream: a retry hint, the current build error if any (a page opened while the
/// build is broken learns of it at once), then every rebuild and error as it happens.
fn event_response(state: &AppState, keep_alive: Duration) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let current = state.snapshot.read().expect("snapshot lock").error.clone().map(Event::Error);
    let updates = futures_util::stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((event, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let retry = sse::Event::default().retry(Duration::from_secs(1));
    let events = futures_util::stream::iter(current).chain(updates).map(|event| match event {
        Event::Reload(None) => sse::Event::default().event("reload").data("{}"),
        Event::Reload(Some(files)) => sse::Event::default().event("reload").data(serde_json::json!({ "files": files }).to_string()),
        // As JSON: one `data:` line whatever the text, parsed back by the client.
        Event::Error(text) => sse::Event::default().event("build-error").data(serde_json::to_string(&text).unwrap_or_default()),
    });
    let stream = futures_util::stream::once(std::future::ready(retry)).chain(events).map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(keep_alive))
}

/// The output path a request maps to, or `Err(status)` for a path that tries to leave the site
/// or is not UTF-8 once decoded.
pub fn request_path(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.contains('\0') || decoded.contains('\\') || decoded.split('/').any(|segment| segment == "..") {
        return Err(StatusCode::BAD_REQUEST);
    }
    Ok(crate::routes::output_path(decoded.trim_start_matches('/')))
}

/// By extension, for what a theme ships. A small table rather than `mime_guess`, which is not
/// in the dependency tree (`mime`, which axum brings, has constants but no lookup by extension).
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        // ES modules must be JavaScript: browsers refuse a module served as anything else.
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
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
    if snapshot.files.contains_key(&crate::routes::index_file(&path)) {
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
        // Not an escape: a literal `%` that starts no escape stays as it is.
        assert_eq!(request_path("/100%.html"), Ok("100%.html".to_owned()));
    }

    #[test]
    fn content_types() {
        for (path, expected) in [
            ("static/app.1a2b3c4d.mjs", "text/javascript; charset=utf-8"),
            ("static/LIB.MJS", "text/javascript; charset=utf-8"),
            ("static/search.1a2b3c4d.js", "text/javascript; charset=utf-8"),
            ("static/style.1a2b3c4d.css", "text/css; charset=utf-8"),
            ("zh/index.html", "text/html; charset=utf-8"),
            ("zh/search-index.json", "application/json"),
            ("static/font.woff2", "font/woff2"),
            ("static/data.v2/LICENSE", "application/octet-stream"),
            ("static/archive.tar.gz", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    /// The next chunk of an event stream as text; fails after five seconds without one.
    async fn next_chunk(body: &mut axum::body::BodyDataStream) -> String {
        let chunk = tokio::time::timeout(Duration::from_secs(5), body.next()).await.expect("a chunk within 5 s");
        String::from_utf8(chunk.expect("the stream is open").expect("a chunk").to_vec()).expect("UTF-8")
    }

    #[test]
    fn event_stream_sends_retry_current_error_keep_alive_and_reload() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let (events, _) = broadcast::channel(4);
            let snapshot = Snapshot { files: HashMap::new(), error: Some("bad \"file\"\nline 2".to_owned()) };
            let state = AppState { snapshot: Arc::new(RwLock::new(snapshot)), events };
            let response = event_response(&state, Duration::from_millis(50)).into_response();
            assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
            let mut body = response.into_body().into_data_stream();
            assert_eq!(next_chunk(&mut body).await, "retry: 1000\n\n");
            // The error as one JSON line, whatever its newlines and quotes.
            assert_eq!(next_chunk(&mut body).await, "event: build-error\ndata: \"bad \\\"file\\\"\\nline 2\"\n\n");
            // Nothing happens for 50 ms: a keep-alive comment.
            assert_eq!(next_chunk(&mut body).await, ":\n\n");
            state.events.send(Event::Reload(None)).expect("a subscriber");
            let mut chunk = next_chunk(&mut body).await;
            while chunk == ":\n\n" {
                chunk = next_chunk(&mut body).await;
            }
            assert_eq!(chunk, "event: reload\ndata: {}\n\n");
            // A step of an update names its pages, so that only those reload.
            state.events.send(Event::Reload(Some(vec!["zh/关于/index.html".to_owned()]))).expect("a subscriber");
            let mut chunk = next_chunk(&mut body).await;
            while chunk == ":\n\n" {
                chunk = next_chunk(&mut body).await;
            }
            assert_eq!(chunk, "event: reload\ndata: {\"files\":[\"zh/关于/index.html\"]}\n\n");
        });
    }
}
