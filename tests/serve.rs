//! `planpress serve` for real, on a free loopback port: pages over HTTP, a rebuild and reload
//! event after an edit, the error overlay while the last good page is still served, and no
//! way out of the site.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    /// Lines the server prints on stdout.
    stdout: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(site: &common::Site, extra_env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planpress"));
    cmd.args(["serve", "--root", site.root().to_str().unwrap(), "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let (tx, stdout) = std::sync::mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let server = Server { child, port, stdout };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("serve did not start on port {port}");
}

/// A raw HTTP/1.1 GET (the path is sent exactly as given): (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

/// Opens the event stream and returns a reader positioned after the response head.
fn events(port: u16) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(stream, "GET /__planpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            return reader;
        }
    }
}

/// Reads the stream until a line containing `needle`; returns what was read.
fn wait_for(reader: &mut BufReader<TcpStream>, needle: &str) -> String {
    let mut seen = String::new();
    let mut line = String::new();
    while !seen.contains(needle) {
        line.clear();
        let n = reader.read_line(&mut line).unwrap_or_else(|e| panic!("no {needle:?} in the event stream: {e}\n{seen}"));
        assert!(n > 0, "stream closed before {needle:?}:\n{seen}");
        seen.push_str(&line);
    }
    seen
}

#[test]
fn serves_rebuilds_reloads_and_shows_errors() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    let port = server.port;

    let (status, head, body) = get(port, "/zh/plan/2011/talent/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("/__planpress/reload.js"), "reload script injected in serve mode");
    // The stylesheet is fingerprinted: follow the page's own link to it.
    let at = body.find("static/style.").expect("a link to the stylesheet");
    let css = format!("/{}", &body[at..at + body[at..].find(".css").expect("a .css link") + 4]);
    let (status, head, _) = get(port, &css);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"), "{head}");
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("/zh/"), "the site's own 404 page");

    // Edit a task's Chinese text: the stream says reload and the page has the new text.
    let mut stream = events(port);
    let started = Instant::now();
    site.edit("content/plan/2011/tasks/talent.zh.md", "依托", "【已修改】依托");
    wait_for(&mut stream, "event: reload");
    assert!(started.elapsed() < Duration::from_secs(5), "reload took {:?}", started.elapsed());
    let (_, _, body) = get(port, "/zh/plan/2011/talent/");
    assert!(body.contains("【已修改】依托"), "rebuilt page served");

    // Break the YAML: an error event names the file; the last good page is still served.
    site.edit("content/partners/beijing.yaml", "\nrecipients:", "\n  recipients:");
    let seen = wait_for(&mut stream, "event: build-error");
    let data = wait_for(&mut stream, "data: ");
    assert!(format!("{seen}{data}").contains("content/partners/beijing.yaml:"), "{seen}{data}");
    let (status, _, body) = get(port, "/zh/plan/2011/talent/");
    assert_eq!(status, 200);
    assert!(body.contains("【已修改】依托"));
    // A page opened now learns of the error at once.
    let mut late = events(port);
    wait_for(&mut late, "event: build-error");
}

impl Server {
    /// Waits for a line of stdout that starts with `prefix`.
    fn line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("serve printed no line starting with {prefix:?}");
    }
}

/// `rebuilt 14 of 52 pages in 3 ms (content/…)` → (14, 52, file).
fn partial(line: &str) -> (usize, usize, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(words.len() >= 9 && words[2] == "of", "not a partial rebuild: {line}");
    (words[1].parse().unwrap(), words[3].parse().unwrap(), words[8].trim_matches(|c| c == '(' || c == ')').to_owned())
}

#[test]
fn an_edited_result_re_renders_only_what_shows_it() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    let built = server.line("built ");
    let mut stream = events(server.port);
    site.edit("content/results/2011/academician-workstations.zh.md", "本条为示例成果", "本条为【改过的】示例成果");
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert!(built.starts_with(&format!("built {total} pages")), "{built}");
    assert!(count > 0 && count < total / 2, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/results/2011/academician-workstations.zh.md");
    wait_for(&mut stream, "event: reload");
    let (_, _, body) = get(server.port, "/zh/results/2011/academician-workstations/");
    assert!(body.contains("本条为【改过的】示例成果"), "the page served has the new text");
    // The second step brings the search index up to date before the next rebuild.
    server.line("updated ");
    let (_, _, index) = get(server.port, "/zh/search-index.json");
    assert!(index.contains("【改过的】") || index.contains("改过"), "search index updated");
}

#[test]
fn an_edited_result_record_keeps_every_body() {
    // A YAML edit rebuilds the views but takes the Markdown's HTML over from the last build.
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    site.edit(
        "content/results/2011/academician-workstations.yaml",
        "en: \"Example: academician workstations,",
        "en: \"Example (edited): academician workstations,",
    );
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert!(count > 0 && count < total, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/results/2011/academician-workstations.yaml");
    let (_, _, page) = get(server.port, "/en/results/2011/academician-workstations/");
    assert!(page.contains("Example (edited): academician workstations"), "the new title");
    assert!(page.contains("8 new academician workstations for members of the two Academies"), "the body, unchanged");
    let (_, _, zh) = get(server.port, "/zh/results/2011/academician-workstations/");
    assert!(zh.contains("院士工作站"), "the Chinese body");
    // Its body edited afterwards still reaches the page.
    site.edit("content/results/2011/academician-workstations.en.md", "8 new academician", "Eight new academician");
    server.line("rebuilt ");
    let (_, _, page) = get(server.port, "/en/results/2011/academician-workstations/");
    assert!(page.contains("Eight new academician workstations") && page.contains("Example (edited)"), "both edits");
}

#[test]
fn an_edited_partner_re_renders_only_its_dependants() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    site.edit("content/partners/beijing.yaml", "en: \"Beijing Municipality\"", "en: \"Beijing Municipality (edited)\"");
    let (count, total, file) = partial(&server.line("rebuilt "));
    // In each language: the partner, the partner list, home, the one task and the one result
    // that involve Beijing, the plan and the year's results.
    assert_eq!(count, 14, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/partners/beijing.yaml");
    let (_, _, body) = get(server.port, "/en/results/2011/st-aid-fair/");
    assert!(body.contains("Beijing Municipality (edited)"), "a dependant shows the new name");
}

#[test]
fn never_serves_a_file_outside_the_output() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2Fcontent%2Fsite.yaml",
        "/zh/..%2f..%2fcontent/site.yaml",
        "/..\\content\\site.yaml",
    ] {
        let (status, _, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked a source file");
    }
    let (status, _, _) = get(server.port, "/content/site.yaml");
    assert_eq!(status, 404, "sources are not served");
}

#[test]
fn error_overlay_is_in_chinese_under_a_chinese_locale() {
    let site = common::Site::example();
    site.edit("content/partners/beijing.yaml", "\nrecipients:", "\n  recipients:");
    let server = start(&site, &[("LANG", "zh_CN.UTF-8")]);
    let mut stream = events(server.port);
    let seen = wait_for(&mut stream, "data: ");
    assert!(seen.contains("构建失败") && seen.contains("content/partners/beijing.yaml:"), "{seen}");
}

#[test]
fn a_busy_port_gives_a_clear_message() {
    let site = common::Site::example();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = common::planpress(&["serve", "--root", site.root().to_str().unwrap(), "--port", &port]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already in use") && run.stderr.contains("--port"), "{}", run.stderr);
}
