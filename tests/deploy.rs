//! Deploying: the example built with a base URL and served by nginx under `/kjt/`, crawled for
//! broken links and assets; the deploy doc's workflows run the README's build.
//!
//! The nginx test is `#[ignore = "needs nginx"]`: `cargo test` lists it as
//! ignored, `cargo test -- --include-ignored` (what `.ci/run` runs) runs it, and then a missing
//! tool fails the test with what to install.

mod common;
mod visit;

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;
use scraper::Html;
use visit::sel;

// ---------- 5. deploy: nginx under /kjt/ ----------

/// nginx is often in an `sbin` folder that is not on a user's `PATH`.
fn nginx() -> PathBuf {
    common::tool(&["nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx"], "apt-get install nginx (see .ci/run)")
}

struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    /// SIGTERM lets the master stop its workers (SIGKILL would leave them running); SIGKILL only
    /// if it has not exited after 10 s.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 GET: (status, headers lower-cased, body).
fn http_get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

/// Resolves `href` found at URL path `base` (e.g. `/kjt/zh/`) to a path on the same server,
/// or `None` for other sites and non-HTTP links.
fn resolve_url(base: &str, href: &str, origin: &str) -> Option<String> {
    let href = href.split('#').next().unwrap();
    if href.is_empty() || href.starts_with("mailto:") || href.starts_with("data:") || href.starts_with("tel:") {
        return None;
    }
    let joined = if let Some(rest) = href.strip_prefix(origin) {
        rest.to_owned()
    } else if href.contains("://") || href.starts_with("//") {
        return None;
    } else if href.starts_with('/') {
        href.to_owned()
    } else {
        format!("{}{href}", &base[..=base.rfind('/').unwrap()])
    };
    let (path, query) = joined.split_once('?').map_or((joined.as_str(), None), |(p, q)| (p, Some(q)));
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/').skip(1) {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if let Some(q) = query {
        out = format!("{out}?{q}");
    }
    Some(out)
}

#[test]
#[ignore = "needs nginx"]
fn nginx_serves_the_site_under_kjt_with_no_broken_link_or_asset() {
    let nginx_bin = nginx();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let origin = format!("http://127.0.0.1:{port}");
    let site = Site::example();
    site.build(&["--base-url", &format!("{origin}/kjt/")]).assert_ok();
    let out = site.path("public");
    // nginx's workers run as an unprivileged user: let them read the output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let conf_dir = tempfile::tempdir().unwrap();
    let tmp = conf_dir.path();
    let mime = if Path::new("/etc/nginx/mime.types").is_file() {
        "include /etc/nginx/mime.types;".to_owned()
    } else {
        "types { text/html html; text/css css; text/javascript js; application/json json; application/xml xml; image/svg+xml svg; image/png png; }".to_owned()
    };
    // The `location` block of docs/deploy.md, as documented, with the alias pointed at this build.
    let deploy_doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    let location = deploy_doc.split("```nginx\n").nth(1).and_then(|b| b.split("```").next()).expect("an nginx block in docs/deploy.md");
    assert!(location.contains("alias /srv/www/kjt/;"), "{location}");
    let location = location.replace("alias /srv/www/kjt/;", &format!("alias {}/;", out.display()));
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\nevents {{ worker_connections 64; }}\n\
         http {{\n  {mime}\n  default_type application/octet-stream;\n  access_log off;\n\
           client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;\n\
           uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;\n\
           server {{\n    listen 127.0.0.1:{port};\n    server_name localhost;\n\
             {location}\n  }}\n}}\n",
        tmp = tmp.display(),
    );
    std::fs::write(tmp.join("nginx.conf"), conf).unwrap();
    let child = Command::new(&nginx_bin)
        .args(["-p", tmp.to_str().unwrap(), "-e", tmp.join("error.log").to_str().unwrap(), "-c", tmp.join("nginx.conf").to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nginx");
    let mut server = Nginx { child };
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.child.try_wait() {
            let mut err = String::new();
            let _ = server.child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("nginx exited ({status}): {err}\n{}", std::fs::read_to_string(tmp.join("error.log")).unwrap_or_default());
        }
        assert!(Instant::now() < deadline, "nginx did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Crawl every page from the root and both homes, and every URL of the sitemap.
    let mut queue: VecDeque<(String, String)> = ["/kjt/", "/kjt/zh/", "/kjt/en/", "/kjt/sitemap.xml", "/kjt/robots.txt"]
        .iter()
        .map(|p| (p.to_string(), "start".to_owned()))
        .collect();
    let mut seen: BTreeSet<String> = queue.iter().map(|(p, _)| p.clone()).collect();
    let mut broken = Vec::new();
    let mut fetched = 0;
    let link_selector = sel("a[href], link[href], script[src], img[src], form[action], [data-index], meta[property=\"og:image\"]");
    while let Some((path, from)) = queue.pop_front() {
        let (status, head, body) = http_get(port, &path);
        fetched += 1;
        if status != 200 {
            broken.push(format!("{status} {path} (linked from {from})"));
            continue;
        }
        let mut found: Vec<String> = Vec::new();
        if head.contains("content-type: text/html") {
            let html = Html::parse_document(&String::from_utf8_lossy(&body));
            for el in html.select(&link_selector) {
                let v = el.value();
                found.extend(["href", "src", "action", "data-index", "content"].iter().filter_map(|a| v.attr(a)).map(str::to_owned));
            }
        } else if path.ends_with(".xml") || path.ends_with(".txt") {
            let text = String::from_utf8_lossy(&body);
            for piece in text.split(['<', '>', '"', ' ', '\n']) {
                if piece.starts_with(&origin) {
                    found.push(piece.to_owned());
                }
            }
        } else if path.contains("/static/") && path.ends_with(".css") {
            assert!(head.contains("content-type: text/css"), "{path}: {head}");
        }
        for href in found {
            if let Some(target) = resolve_url(&path, &href, &origin) {
                if target.starts_with("/kjt/") && seen.insert(target.clone()) {
                    queue.push_back((target, path.clone()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links or assets under /kjt/:\n{}", broken.join("\n"));
    let pages = seen.iter().filter(|p| p.ends_with('/')).count();
    assert!(pages >= 95, "crawled only {pages} pages ({fetched} URLs)");
    for needed in ["/kjt/zh/search-index.json", "/kjt/en/atom.xml", "/kjt/static/og-default.png", "/kjt/static/favicon.svg"] {
        assert!(seen.contains(needed), "{needed} not reached by the crawl");
    }
    let css = seen.iter().find(|p| p.starts_with("/kjt/static/style.") && p.ends_with(".css")).expect("fingerprinted CSS fetched");
    // The documented cache headers: fingerprinted files for a year, pages revalidated.
    assert!(http_get(port, css).1.contains("cache-control: public, max-age=31536000, immutable"), "{css}");
    assert!(http_get(port, "/kjt/zh/").1.contains("cache-control: no-cache"));
    assert!(http_get(port, "/kjt/static/favicon.svg").1.contains("cache-control: public, max-age=86400"), "not fingerprinted: a day");
    // A missing page: the site's 404 page, whose stylesheet loads from the base path.
    let (status, _, body) = http_get(port, "/kjt/no/such/page/");
    assert_eq!(status, 404);
    let html = Html::parse_document(&String::from_utf8_lossy(&body));
    let css = html.select(&sel("link[rel=stylesheet]")).next().unwrap().value().attr("href").unwrap().to_owned();
    assert!(css.starts_with("/kjt/static/style."), "{css}");
    assert_eq!(http_get(port, &css).0, 200, "{css}");
    println!("nginx under /kjt/: {fetched} URLs fetched, {pages} pages, none broken");
    drop(server);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "nginx (master and workers) stopped");
}

/// docs/deploy.md is written for a department's own repository, where there is no Cargo.toml:
/// no `cargo run`. Every section that shows a command says what of it is tested (and by which
/// test) or that it is not tested here; its YAML snippets parse.
#[test]
fn deploy_doc_marks_every_command_tested_or_not() {
    let doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    assert!(!doc.contains("cargo run"), "a site repository cannot `cargo run` planpress");
    let sections: Vec<&str> = doc.split("\n## ").skip(1).collect();
    assert!(sections.len() >= 7, "install, CI, previews, server, object storage, sub-path, cache");
    for section in sections {
        let title = section.lines().next().unwrap();
        if !section.contains("```") {
            continue;
        }
        assert!(section.contains("Tested") || section.contains("ot tested here"), "{title}: say what is tested");
        for test in section.split('`').filter(|w| w.starts_with("tests/") && w.ends_with(".rs")) {
            assert!(common::repo().join(test).is_file(), "{title}: names {test}, which does not exist");
        }
        for block in section.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap()) {
            let _: serde_json::Value = serde_saphyr::from_str(block).unwrap_or_else(|e| panic!("{title}: invalid YAML: {e}\n{block}"));
        }
    }
}
