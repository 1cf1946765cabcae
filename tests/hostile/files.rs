//! The file-system boundary: no file from outside the site is read or published, whatever the
//! links, the `theme:` setting or the special files under the site; no input hangs the build or
//! is read whole when it is over the size limit; `serve` answers only with what the build made.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{tree, Run, Site};

const SECRET: &str = "SECRET-7f3a-outside-the-site";

/// A folder outside the site holding a secret file (and, under `static/`, another).
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/secret.css"), format!("/* {SECRET} */")).unwrap();
    dir
}

/// No file of the output carries the secret or a secret file's name.
fn assert_no_secret(out: &Path) {
    let files = tree(out);
    assert!(!files.is_empty(), "nothing was built into {}", out.display());
    for (name, bytes) in &files {
        assert!(!name.contains("secret"), "{name} published");
        assert!(!String::from_utf8_lossy(bytes).contains(SECRET), "{name} carries the secret");
    }
}

/// The diagnostic block of `kind[code]` that points at `file` (relative to the site).
fn assert_diagnostic(run: &Run, head: &str, file: &str) {
    let wanted = format!("--> {file}\n");
    let found = run.stderr.split("\n\n").any(|block| block.contains(head) && block.contains(&wanted));
    assert!(found, "no {head} naming {file}:\n{}", run.stderr);
}

/// Runs planpress with a deadline, killing it when the deadline passes: (run, time taken).
fn planpress_within(args: &[&str], limit: Duration) -> (Run, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_planpress"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drained on their own threads, so a full pipe cannot pass for a hang.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("planpress {args:?} still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run { code: status.code().unwrap_or(-1), stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() };
    (run, started.elapsed())
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn build_within(site: &Site, extra: &[&str]) -> Run {
    let out = site.path("public");
    let mut args = vec!["build", "--root", site.root().to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    planpress_within(&args, Duration::from_secs(120)).0
}

#[test]
fn static_linked_out_of_the_site_is_skipped_with_a_warning() {
    let site = Site::example();
    let secret = outside();
    symlink(secret.path(), site.path("static")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-symlink]", "static");
    assert!(run.stderr.contains(&format!("symbolic link to `{}` skipped", secret.path().display())), "{}", run.stderr);
    assert_no_secret(&site.path("public"));
}

#[test]
fn content_linked_out_of_the_site_is_not_read() {
    let site = Site::example();
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("content");
    std::fs::rename(site.path("content"), &moved).unwrap();
    std::fs::write(moved.join("pages/about.en.md"), format!("---\ntitle: About\n---\n{SECRET}\n")).unwrap();
    symlink(&moved, site.path("content")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "warning[W-symlink]", "content");
    assert_diagnostic(&run, "error[E-no-site]", "content/site.yaml");
    assert!(run.stderr.contains("content/site.yaml cannot be read: `content` is skipped"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn theme_folder_linked_out_of_the_site_is_not_read() {
    let site = Site::example();
    let secret = outside();
    std::fs::create_dir(site.path("themes")).unwrap();
    symlink(secret.path(), site.path("themes/custom")).unwrap();
    site.edit("content/site.yaml", "theme: default", "theme: custom");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "warning[W-symlink]", "themes/custom");
    assert!(run.stderr.contains("error[E-theme]: theme `custom`: themes/custom is skipped"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn themes_folder_linked_out_of_the_site_is_skipped() {
    let site = Site::example();
    let secret = outside();
    std::fs::create_dir(secret.path().join("default")).unwrap();
    std::fs::rename(secret.path().join("static"), secret.path().join("default/static")).unwrap();
    symlink(secret.path(), site.path("themes")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-symlink]", "themes");
    assert_no_secret(&site.path("public"));
}

#[test]
fn file_link_inside_static_is_skipped_with_a_warning() {
    let site = Site::example();
    let secret = outside();
    site.write("static/own.txt", "our own file");
    symlink(secret.path().join("secret.txt"), site.path("static/shadow.txt")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-symlink]", "static/shadow.txt");
    assert_eq!(site.read("public/static/own.txt"), "our own file");
    assert!(!site.path("public/static/shadow.txt").exists());
    assert_no_secret(&site.path("public"));
}

#[test]
fn file_link_inside_content_is_skipped_with_a_warning_also_in_chinese() {
    let site = Site::example();
    let secret = outside();
    let leak = secret.path().join("leak.md");
    std::fs::write(&leak, format!("---\ntitle: Leak\n---\n{SECRET}\n")).unwrap();
    symlink(&leak, site.path("content/pages/leak.en.md")).unwrap();
    symlink(&leak, site.path("content/pages/leak.zh.md")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-symlink]", "content/pages/leak.en.md");
    assert_diagnostic(&run, "warning[W-symlink]", "content/pages/leak.zh.md");
    assert_no_secret(&site.path("public"));
    let zh = site.build(&["--lang", "zh"]);
    zh.assert_ok();
    assert!(zh.stderr.contains(&format!("警告[W-symlink]: 已跳过指向 `{}` 的符号链接", leak.display())), "{}", zh.stderr);
}

#[test]
fn followed_link_inside_the_site_is_published() {
    let site = Site::example();
    site.write("assets/logo.txt", "logo inside the site");
    symlink("assets", site.path("static")).unwrap();
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: false\nfollow_symlinks: true");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("W-symlink"), "{}", run.stderr);
    assert_eq!(site.read("public/static/logo.txt"), "logo inside the site");
}

#[test]
fn followed_link_out_of_the_site_is_an_error_naming_link_and_target() {
    let site = Site::example();
    let secret = outside();
    symlink(secret.path(), site.path("static")).unwrap();
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: false\nfollow_symlinks: true");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "error[E-symlink]", "static");
    let real = std::fs::canonicalize(secret.path()).unwrap();
    assert!(run.stderr.contains(&format!("symbolic link points outside the site, to `{}`", real.display())), "{}", run.stderr);
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn followed_link_looping_back_is_skipped_not_walked_for_ever() {
    let site = Site::example();
    site.write("static/own.txt", "ours");
    symlink(".", site.path("static/again")).unwrap();
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: false\nfollow_symlinks: true");
    let run = build_within(&site, &[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-symlink]", "static/again");
    assert!(!site.path("public/static/again").exists());
}

/// `theme: <value>` is refused at its line (16 in the example's site.yaml), fast, and nothing is
/// written.
fn assert_theme_refused(value: &str) {
    let site = Site::example();
    site.edit("content/site.yaml", "theme: default", &format!("theme: {value}"));
    let line = site.read("content/site.yaml").lines().position(|l| l.starts_with("theme:")).unwrap() + 1;
    let out = site.path("public");
    let args = ["build", "--root", site.root().to_str().unwrap(), "--out", out.to_str().unwrap()];
    let (run, took) = planpress_within(&args, Duration::from_secs(60));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("error[E-theme]: `theme: {value}` is not a theme name")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> content/site.yaml:{line}:8")), "{}", run.stderr);
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn theme_etc_is_an_error_at_the_theme_line() {
    assert_theme_refused("/etc");
}

#[test]
fn theme_root_is_an_error_at_the_theme_line() {
    assert_theme_refused("/");
}

#[test]
fn theme_dotdot_is_an_error_at_the_theme_line() {
    assert_theme_refused("../../x");
}

#[test]
fn fifo_as_metrics_yaml_is_named_and_never_opened() {
    let site = Site::example();
    std::fs::remove_file(site.path("content/metrics.yaml")).unwrap();
    mkfifo(&site.path("content/metrics.yaml"));
    let run = build_within(&site, &[]);
    // The metrics are missing, so the references to them are errors; the pipe is named.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "warning[W-special-file]", "content/metrics.yaml");
    assert!(run.stderr.contains("named pipe (FIFO) skipped"), "{}", run.stderr);
}

#[test]
fn fifo_as_site_yaml_is_named_and_never_opened() {
    let site = Site::example();
    std::fs::remove_file(site.path("content/site.yaml")).unwrap();
    mkfifo(&site.path("content/site.yaml"));
    let run = build_within(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "warning[W-special-file]", "content/site.yaml");
    assert!(run.stderr.contains("error[E-no-site]: content/site.yaml cannot be read: `content/site.yaml` is skipped"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn fifo_and_socket_in_static_are_named_and_skipped() {
    let site = Site::example();
    site.write("static/own.txt", "ours");
    mkfifo(&site.path("static/pipe"));
    let _socket = std::os::unix::net::UnixListener::bind(site.path("static/sock")).unwrap();
    let run = build_within(&site, &[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-special-file]", "static/pipe");
    assert_diagnostic(&run, "warning[W-special-file]", "static/sock");
    assert!(run.stderr.contains("socket skipped"), "{}", run.stderr);
    assert!(!site.path("public/static/pipe").exists() && !site.path("public/static/sock").exists());
    assert_eq!(site.read("public/static/own.txt"), "ours");
}

#[test]
fn fifo_as_a_theme_template_is_named_and_skipped() {
    let site = Site::example();
    std::fs::create_dir_all(site.path("themes/default/templates")).unwrap();
    mkfifo(&site.path("themes/default/templates/extra.html"));
    let run = build_within(&site, &[]);
    run.assert_ok();
    assert_diagnostic(&run, "warning[W-special-file]", "themes/default/templates/extra.html");
}

#[test]
fn oversize_markdown_is_a_clear_error_and_fast() {
    let site = Site::example();
    let big = "一二三四五六七八九十 lorem ipsum\n".repeat(5 * 1024 * 1024 / 40 + 1);
    site.write("content/pages/about.en.md", &format!("---\ntitle: About\n---\n{big}"));
    let size = std::fs::metadata(site.path("content/pages/about.en.md")).unwrap().len();
    let (run, took) = planpress_within(
        &["build", "--root", site.root().to_str().unwrap(), "--out", site.path("public").to_str().unwrap()],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "error[E-file-size]", "content/pages/about.en.md");
    let mib = format!("{:.1} MiB ({size} bytes)", size as f64 / 1048576.0);
    assert!(run.stderr.contains(&format!("file is too large: {mib}, over the limit of 4 MiB per file")), "{}", run.stderr);
    assert!(run.stderr.contains("`max_file_size_mb: N`"), "{}", run.stderr);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn size_limit_is_configurable_and_checked() {
    let site = Site::example();
    site.write("static/big.bin", &"x".repeat(1024 * 1024 + 1));
    site.edit("content/site.yaml", "allow_raw_html: false", "allow_raw_html: false\nmax_file_size_mb: 1");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_diagnostic(&run, "error[E-file-size]", "static/big.bin");
    assert!(run.stderr.contains("over the limit of 1 MiB per file"), "{}", run.stderr);

    site.edit("content/site.yaml", "max_file_size_mb: 1", "max_file_size_mb: 0");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = site.read("content/site.yaml").lines().position(|l| l.starts_with("max_file_size_mb:")).unwrap() + 1;
    assert!(
        run.stderr.contains(&format!("error[E-config]: max_file_size_mb must be at least 1\n  --> content/site.yaml:{line}:19")),
        "{}",
        run.stderr
    );

    site.edit("content/site.yaml", "max_file_size_mb: 0", "max_file_size_mb: 2");
    site.build(&[]).assert_ok();
    assert_eq!(std::fs::metadata(site.path("public/static/big.bin")).unwrap().len(), 1024 * 1024 + 1);
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `planpress serve` on a free loopback port, once it has built (it prints "built … pages").
fn serve(site: &Site) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_planpress"))
        .args(["serve", "--root", site.root().to_str().unwrap(), "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server { child, port };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.starts_with("serving ") => return server,
            _ => {}
        }
    }
    panic!("serve did not start on port {port}");
}

/// A raw GET (the path sent exactly as given): (status, head, body).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let at = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..at]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, response[at + 4..].to_vec())
}

#[test]
fn serve_never_returns_a_file_from_outside_the_site() {
    let site = Site::example();
    let secret = outside();
    symlink(secret.path(), site.path("static")).unwrap();
    let server = serve(&site);
    for path in ["/static/secret.txt", "/static/static/secret.css", "/secret.txt"] {
        let (status, _, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains(SECRET), "{path}");
    }
    for path in ["/../secret.txt", "/static/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fsecret.txt"] {
        assert_eq!(get(server.port, path).0, 400, "{path}");
    }
    let (status, _, body) = get(server.port, "/zh/");
    assert_eq!(status, 200);
    assert!(!String::from_utf8_lossy(&body).contains(SECRET));
}

#[test]
fn serve_answers_mjs_as_javascript() {
    let site = Site::example();
    let module = b"export const answer = 42;\n";
    site.write("static/app.mjs", std::str::from_utf8(module).unwrap());
    let server = serve(&site);
    let name = planpress::render::assets::fingerprinted_name("app.mjs", module);
    let (status, head, body) = get(server.port, &format!("/static/{name}"));
    assert_eq!(status, 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/javascript; charset=utf-8"), "{head}");
    assert_eq!(body, module);
}
