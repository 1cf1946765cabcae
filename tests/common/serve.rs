//! Driving `planpress serve` in tests: a server on a free loopback port, HTTP gets, its
//! reload events and terminal lines.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Lines the server prints on stdout.
    pub stdout: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits for a line of stdout that starts with `prefix`.
    pub fn line(&self, prefix: &str) -> String {
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

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn start(site: &super::Site, extra_env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planpress"));
    cmd.args(["serve", "--root", site.root().to_str().unwrap(), "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        // The terminal lines follow the messages' language: a developer's own must not change them.
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
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
pub fn get(port: u16, path: &str) -> (u16, String, String) {
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
pub fn events(port: u16) -> BufReader<TcpStream> {
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
pub fn wait_for(reader: &mut BufReader<TcpStream>, needle: &str) -> String {
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

/// `rebuilt 14 of 52 pages in 3 ms (content/…)` → (14, 52, file).
pub fn partial(line: &str) -> (usize, usize, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(words.len() >= 9 && words[2] == "of", "not a partial rebuild: {line}");
    (words[1].parse().unwrap(), words[3].parse().unwrap(), words[8].trim_matches(|c| c == '(' || c == ')').to_owned())
}

/// The default theme's own `rel` (under `themes/default/`), to override in a site.
pub fn default_theme_file(rel: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default").join(rel)).unwrap()
}

/// Writes `text` to the site's file `rel`, creating its folders.
pub fn put(site: &super::Site, rel: &str, text: &str) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Replaces the first `from` in the site's file `rel` with `to`, as an editor saves it.
pub fn change(site: &super::Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    put(site, rel, &text.replacen(from, to, 1));
}

/// The root-relative URL of the stylesheet a page links to.
pub fn stylesheet(page: &str) -> String {
    let at = page.find("static/style.").expect("a link to the stylesheet");
    format!("/{}", &page[at..at + page[at..].find(".css").expect("a .css link") + 4])
}
