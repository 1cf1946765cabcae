//! docs/deploy-atomic.sh against a real OpenSSH server and nginx on loopback: releases uploaded
//! over SSH with the host key pinned, `current` switched while a visitor polls (no request may
//! fail), the old release's assets carried over one deploy and pruned after, the newest KEEP
//! releases kept, rollback, and a deploy refused when the host key is not the pinned one.
//!
//! `#[ignore = "needs …"]`: `.ci/run` installs the tools and runs it with `--include-ignored`.

// OpenSSH, nginx and symlinked releases: Unix only.
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A server process stopped (SIGTERM, then SIGKILL after 10 s) when the test ends, even on a panic.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(mut command: Command, port: u16, what: &str) -> Server {
    let mut server = Server(command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.0.try_wait() {
            let mut err = String::new();
            let _ = server.0.stderr.take().unwrap().read_to_string(&mut err);
            panic!("{what} exited ({status}): {err}");
        }
        assert!(Instant::now() < deadline, "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn run(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

/// sshd on a loopback port with its own host key, letting in `client_key` for this user.
fn sshd(tmp: &Path) -> (Server, u16) {
    let sshd = common::tool(&["/usr/sbin/sshd", "sshd"], "apt-get install openssh-server (see .ci/run)");
    for key in ["host_key", "client_key", "other_host_key"] {
        run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f"]).arg(tmp.join(key)));
    }
    std::fs::copy(tmp.join("client_key.pub"), tmp.join("authorized_keys")).unwrap();
    let port = free_port();
    let config = format!(
        "ListenAddress 127.0.0.1\nPort {port}\nHostKey {t}/host_key\nAuthorizedKeysFile {t}/authorized_keys\nPidFile {t}/sshd.pid\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n",
        t = tmp.display()
    );
    std::fs::write(tmp.join("sshd_config"), config).unwrap();
    // Run as root, sshd wants its privilege-separation folder (the package's service makes it).
    assert!(!nix_is_root() || Path::new("/run/sshd").is_dir(), "sshd needs /run/sshd: mkdir -p /run/sshd (see .ci/run)");
    let mut command = Command::new(sshd);
    command.arg("-D").arg("-e").arg("-f").arg(tmp.join("sshd_config"));
    (start(command, port, "sshd"), port)
}

fn nix_is_root() -> bool {
    String::from_utf8_lossy(&run(Command::new("id").arg("-u")).stdout).trim() == "0"
}

/// nginx on a loopback port serving `root/current/` under `/kjt/`, with the `location` block of
/// docs/deploy.md.
fn nginx(tmp: &Path, root: &Path) -> (Server, u16) {
    let nginx = common::tool(&["nginx", "/usr/sbin/nginx"], "apt-get install nginx (see .ci/run)");
    let doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    let location = doc.split("```nginx\n").nth(1).and_then(|b| b.split("```").next()).expect("an nginx block in docs/deploy.md");
    let location = location.replace("alias /srv/www/kjt/;", &format!("alias {}/current/;", root.display()));
    let port = free_port();
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {t}/nginx.pid;\nerror_log {t}/nginx-error.log warn;\nevents {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path {t}/body;\n  proxy_temp_path {t}/proxy;\n\
           fastcgi_temp_path {t}/fastcgi;\n  uwsgi_temp_path {t}/uwsgi;\n  scgi_temp_path {t}/scgi;\n\
           server {{\n    listen 127.0.0.1:{port};\n    {location}\n  }}\n}}\n",
        t = tmp.display()
    );
    std::fs::write(tmp.join("nginx.conf"), conf).unwrap();
    let mut command = Command::new(nginx);
    command.arg("-p").arg(tmp).arg("-e").arg(tmp.join("nginx-error.log")).arg("-c").arg(tmp.join("nginx.conf"));
    (start(command, port, "nginx"), port)
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default())
}

/// The stylesheet a page links to (relative in the page), as a path under `/kjt/`.
fn stylesheet(page: &str) -> String {
    let at = page.find("static/style.").expect("a stylesheet link");
    let end = at + page[at..].find(['"', ' ', '>']).unwrap();
    format!("/kjt/{}", &page[at..end])
}

struct Deploy {
    tmp: PathBuf,
    site: PathBuf,
    target: String,
    ssh_port: u16,
    known_hosts: PathBuf,
}

impl Deploy {
    fn run(&self, args: &[&str], keep: &str) -> Output {
        Command::new("sh")
            .arg(common::repo().join("docs/deploy-atomic.sh"))
            .args(args)
            .env("SSH_KNOWN_HOSTS", &self.known_hosts)
            .env("SSH_KEY", self.tmp.join("client_key"))
            .env("SSH_PORT", self.ssh_port.to_string())
            .env("KEEP", keep)
            .output()
            .unwrap()
    }

    /// Builds the site with `about` as its Chinese about text (plus `extra_asset`), deploys it.
    fn release(&self, about: &str, extra_asset: Option<&str>) -> String {
        let page = self.site.join("content/pages/about.zh.md");
        let text = std::fs::read_to_string(&page).unwrap();
        let body_start = text.rfind("---\n").unwrap() + 4;
        std::fs::write(&page, format!("{}{about}\n", &text[..body_start])).unwrap();
        let public = self.site.join("public");
        run(Command::new(env!("CARGO_BIN_EXE_planpress"))
            .args(["build", "-q", "--base-url", "http://localhost/kjt/", "--root"])
            .arg(&self.site));
        if let Some(name) = extra_asset {
            std::fs::write(public.join("static").join(name), "body{}").unwrap();
        }
        let out = self.run(&[public.to_str().unwrap(), &self.target], "3");
        assert!(out.status.success(), "deploy failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Polls a page, its stylesheet and the first release's extra asset from another thread while
/// `action` runs: (polls, the first failed polls, whether the second release was seen).
fn poll_during(port: u16, action: impl FnOnce()) -> (usize, Vec<String>, bool) {
    let stop = Arc::new(AtomicBool::new(false));
    let poller = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut polls, mut failures, mut saw_new) = (0, Vec::new(), false);
            while !stop.load(Ordering::Relaxed) {
                let (status, page) = get(port, "/kjt/zh/about/");
                let css = if status == 200 { get(port, &stylesheet(&page)).0 } else { 0 };
                let old_asset = get(port, "/kjt/static/legacy.0123abcd.css").0;
                // The first few failures say enough; a broken switch fails thousands of polls.
                if (status != 200 || css != 200 || old_asset != 200) && failures.len() < 5 {
                    failures.push(format!("page {status}, stylesheet {css}, legacy asset {old_asset}"));
                }
                saw_new |= page.contains("第二版");
                polls += 1;
            }
            (polls, failures, saw_new)
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    action();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    poller.join().unwrap()
}

fn releases(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".assets"))
        .collect();
    names.sort();
    names
}

#[test]
#[ignore = "needs OpenSSH server and rsync and nginx"]
fn atomic_deploy_over_ssh_switches_keeps_prunes_and_rolls_back() {
    common::tool(&["rsync"], "apt-get install rsync (see .ci/run)");
    let tmp_dir = tempfile::tempdir().unwrap();
    let tmp = tmp_dir.path().to_path_buf();
    // nginx's workers run unprivileged: let them through to the releases.
    std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let (_sshd, ssh_port) = sshd(&tmp);
    let host_key = std::fs::read_to_string(tmp.join("host_key.pub")).unwrap();
    let pin = |key: &str| format!("[127.0.0.1]:{ssh_port} {}\n", key.split(' ').take(2).collect::<Vec<_>>().join(" "));
    std::fs::write(tmp.join("known_hosts"), pin(&host_key)).unwrap();
    let root = tmp.join("srv/kjt");
    let user = String::from_utf8(run(Command::new("id").arg("-un")).stdout).unwrap();
    let site = tmp.join("site");
    run(Command::new(env!("CARGO_BIN_EXE_planpress")).args(["new", "site", "--ci", "none"]).arg(&site));
    let deploy = Deploy {
        tmp: tmp.clone(),
        site,
        target: format!("{}@127.0.0.1:{}", user.trim(), root.display()),
        ssh_port,
        known_hosts: tmp.join("known_hosts"),
    };

    assert!(deploy.release("第一版。", Some("legacy.0123abcd.css")).contains("deployed 000001-"));
    let (_nginx, port) = nginx(&tmp, &root);
    let (status, page) = get(port, "/kjt/zh/about/");
    assert_eq!(status, 200);
    assert!(page.contains("第一版"), "{page}");

    // A visitor polls a page and its stylesheet while the second release goes up and is switched to.
    let (polls, failures, saw_new) = poll_during(port, || {
        deploy.release("第二版。", None);
    });
    println!("{polls} polls across the switch");
    assert!(failures.is_empty(), "a visitor saw a missing file during the switch ({polls} polls): {failures:?}");
    assert!(polls >= 10 && saw_new, "the poller ran across the switch ({polls} polls, new release seen: {saw_new})");

    // The old release's own asset was carried over one deploy; the next prunes it.
    deploy.release("第三版。", None);
    assert_eq!(get(port, "/kjt/static/legacy.0123abcd.css").0, 404, "an asset two releases old is pruned");
    deploy.release("第四版。", None);
    let kept = releases(&root);
    assert_eq!(kept.len(), 3, "KEEP=3 releases kept: {kept:?}");
    assert!(kept[0].starts_with("000002-") && kept[2].starts_with("000004-"), "{kept:?}");
    assert!(get(port, "/kjt/zh/about/").1.contains("第四版"));

    // Rollback: back to the third release, at once.
    let out = deploy.run(&["--rollback", &deploy.target], "3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(get(port, "/kjt/zh/about/").1.contains("第三版"));

    // A server whose key is not the pinned one: refused, nothing changes.
    std::fs::write(&deploy.known_hosts, pin(&std::fs::read_to_string(tmp.join("other_host_key.pub")).unwrap())).unwrap();
    let out = deploy.run(&[deploy.site.join("public").to_str().unwrap(), &deploy.target], "3");
    assert!(!out.status.success(), "a changed host key must stop the deploy");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("REMOTE HOST IDENTIFICATION HAS CHANGED"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(releases(&root), kept);
    assert!(get(port, "/kjt/zh/about/").1.contains("第三版"));
}
