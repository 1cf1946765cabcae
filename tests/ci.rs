//! The tests that need an external tool are `#[ignore = "needs …"]`, so a plain `cargo test`
//! leaves them out; CI is where they must run. `.ci/run` must therefore pass `--include-ignored`
//! and install every tool an ignore reason names, or those tests would silently never run.

// The generated CI steps run under bash and sh; Unix only (the Windows job runs tests/site.rs).
#![cfg(unix)]

use std::path::{Path, PathBuf};

/// Each tool an ignore reason may name, and what `.ci/run` must contain to provide it.
const PROVIDERS: &[(&str, &str)] = &[
    ("Chromium", "need+=(chromium)"),
    ("poppler-utils", "need+=(poppler-utils)"),
    ("nginx", "need+=(nginx)"),
    ("OpenSSH server", "need+=(openssh-server)"),
    ("rsync", "need+=(rsync)"),
    ("Java", "need+=(default-jre-headless)"),
    // Python's own readers of the open-data downloads (tests/data.rs).
    ("openpyxl", "need+=(python3-openpyxl)"),
    ("jsonschema", "need+=(python3-jsonschema)"),
    // Node comes with npm, which `.ci/run` uses to install axe-core and the Nu HTML checker.
    ("Node.js", "npm ci --prefix tests/js"),
    ("axe-core", "npm ci --prefix tests/js"),
    ("vnu-jar", "npm ci --prefix tests/js"),
];

/// The reasons of every `#[ignore = "…"]` in the Rust files under `dir` (not in `node_modules`).
fn ignore_reasons(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "node_modules") {
            found.extend(ignore_reasons(&path));
            continue;
        }
        if path.is_dir() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().map(str::trim) {
            if let Some(reason) = line.strip_prefix("#[ignore = \"").and_then(|r| r.strip_suffix("\"]")) {
                found.push((path.display().to_string(), reason.to_owned()));
            }
        }
    }
    found
}

#[test]
fn ci_runs_the_ignored_tests_and_installs_what_they_need() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::fs::read_to_string(repo.join(".ci/run")).unwrap();
    let test_line = ci.lines().find(|l| l.trim_start().starts_with("cargo test")).expect("a cargo test line in .ci/run");
    assert!(test_line.contains(" -- --include-ignored"), "CI must run the ignored tests: {test_line}");

    let reasons = ignore_reasons(&repo.join("tests"));
    assert!(reasons.len() >= 13, "the tests that need a tool are ignored: {reasons:?}");
    for (file, reason) in reasons {
        let needs = reason.strip_prefix("needs ").unwrap_or_else(|| panic!("{file}: an ignore reason says what it needs: {reason:?}"));
        // "Chromium and axe-core (npm ci --prefix tests/js)" → Chromium, axe-core.
        let needs = needs.split(" (").next().unwrap();
        for tool in needs.split(" and ") {
            let (_, provided_by) = PROVIDERS
                .iter()
                .find(|(name, _)| *name == tool)
                .unwrap_or_else(|| panic!("{file}: `{tool}` is not in PROVIDERS: add it, and install it in .ci/run"));
            assert!(ci.contains(provided_by), ".ci/run does not provide {tool} (no {provided_by:?}) for {file}");
        }
    }
}

// ---------- the CI that `new site` writes, run here step by step ----------
//
// The generated workflows' own shell steps run in order against a fresh `new site` folder, as
// the platform would run them: GitHub's `run:` steps under `bash -eo pipefail` with
// `$GITHUB_PATH`, GitLab's `before_script` + `script` under `sh -e`. Only the platforms' own
// actions (checkout, cache, Pages upload and deploy) are left out. The "release" the install
// step downloads is served from 127.0.0.1 and stands the binary under test in for the
// published one, so a broken step fails here, not in a department's CI.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;

use serde_json::Value;

/// A minimal HTTP/1.1 file server for `root` on a loopback port, in a thread that lives as long
/// as the test. Missing files answer 404, as a release page does.
fn serve_files(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap();
            let path = line.split(' ').nth(1).unwrap_or("/").trim_start_matches('/').to_owned();
            let head = match std::fs::read(root.join(&path)).ok().filter(|_| !path.contains("..")) {
                Some(body) => {
                    let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    let _ = stream.write_all(&body);
                    continue;
                }
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            };
            let _ = stream.write_all(head.as_bytes());
        }
    });
    url
}

/// The `run:` script of the step `name` of `job` in planpress's own release workflow.
fn release_step(job: &str, name: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&text).unwrap();
    let steps = workflow["jobs"][job]["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("release.yml: no step {name}"));
    step["run"].as_str().unwrap().to_owned()
}

/// A release folder made by .github/workflows/release.yml's own steps (the tag checked against
/// Cargo.toml, the archive, SHA256SUMS; not the build, nor `gh release create`), served on
/// loopback as `v<version>/…`. Its `planpress` is a script that runs the binary under test.
fn fake_release(dir: &Path) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let arch = String::from_utf8(Command::new("uname").arg("-m").output().unwrap().stdout).unwrap();
    let target = format!("{}-unknown-linux-musl", arch.trim());
    let bin_dir = dir.join(format!("target/{target}/release"));
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    let stand_in = bin_dir.join("planpress");
    std::fs::write(&stand_in, format!("#!/bin/sh\nexec '{}' \"$@\"\n", env!("CARGO_BIN_EXE_planpress"))).unwrap();
    std::fs::set_permissions(&stand_in, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let github_env = dir.join("github_env");
    std::fs::write(&github_env, "").unwrap();
    let run = |script: &str, cwd: &Path| {
        let env = read(&github_env);
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(cwd)
            .envs(env.lines().filter_map(|l| l.split_once('=')))
            .env("GITHUB_ENV", &github_env)
            .env("GITHUB_REF_NAME", format!("v{version}"))
            .env("TARGET", &target)
            .output()
            .unwrap();
        assert!(out.status.success(), "release step failed:\n{script}\n{}", String::from_utf8_lossy(&out.stderr));
    };
    run(&release_step("build", "The tag is the crate's version"), dir);
    assert_eq!(read(&github_env).trim(), format!("VERSION={version}"));
    run(&release_step("build", "Archive"), dir);
    let published = dir.join(format!("v{version}"));
    std::fs::create_dir(&published).unwrap();
    std::fs::rename(
        dir.join(format!("planpress-{version}-{target}.tar.gz")),
        published.join(format!("planpress-{version}-{target}.tar.gz")),
    )
    .unwrap();
    let publish = release_step("publish", "Checksums and the release");
    let (sums, upload) = publish.trim_end().rsplit_once('\n').unwrap();
    assert!(upload.starts_with("gh release create"), "{publish}");
    run(sums, &published);
    serve_files(dir.to_owned())
}

/// A fresh site repository from `new site` (a git repository, as a department's would be).
fn new_site_repo(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_planpress")).arg("new").arg("site").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let git = Command::new("git").args(["init", "-q"]).current_dir(&site).status();
    assert!(git.is_ok_and(|s| s.success()), "git init");
    site
}

/// One scenario's values: `${{ … }}` expressions and `if:`/`rules:` conditions → their value.
struct Platform {
    values: BTreeMap<&'static str, String>,
    /// Variables every step sees (HOME, the release address, the platform's own).
    env: Vec<(String, String)>,
}

impl Platform {
    fn value(&self, expr: &str) -> &str {
        self.values.get(expr.trim()).unwrap_or_else(|| panic!("the test does not know `{}`: add it to the scenario", expr.trim()))
    }

    /// Replaces every `${{ … }}` of a GitHub value.
    fn substitute(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            let end = rest[start..].find("}}").unwrap() + start;
            out.push_str(&rest[..start]);
            out.push_str(self.value(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out + rest
    }

    /// Runs `script` with `shell` in `dir`; its output is returned, a failure fails the test.
    fn run(&self, shell: &[&str], script: &str, dir: &Path, env: &[(String, String)], path: &str, name: &str) -> String {
        let out = Command::new(shell[0])
            .args(&shell[1..])
            .arg(script)
            .current_dir(dir)
            .env_clear()
            .envs(self.env.iter().cloned())
            .envs(env.iter().cloned())
            .env("PATH", path)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "step `{name}` failed ({}):\n{script}\n---\n{text}", out.status);
        text
    }
}

/// The platform actions a generated workflow may use: everything else must be a `run:` step.
const GITHUB_ACTIONS: &[&str] = &[
    "actions/checkout@v4",
    "actions/cache@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/upload-artifact@v4",
    "actions/deploy-pages@v4",
];

/// Runs the `run:` steps of `.github/workflows/publish.yml` in `site`, job after job; returns
/// each step's name and output.
fn run_github(site: &Path, platform: &Platform) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&text).unwrap();
    let env_of = |v: &Value| -> Vec<(String, String)> {
        v["env"].as_object().into_iter().flatten().map(|(k, v)| (k.clone(), platform.substitute(v.as_str().unwrap()))).collect()
    };
    let github_path = site.parent().unwrap().join("github_path");
    let mut ran = Vec::new();
    for (job_name, job) in workflow["jobs"].as_object().unwrap() {
        if job["if"].as_str().is_some_and(|c| platform.value(c) != "true") {
            continue;
        }
        std::fs::write(&github_path, "").unwrap();
        for step in job["steps"].as_array().unwrap() {
            let name = step["name"].as_str().or(step["uses"].as_str()).unwrap_or(job_name).to_owned();
            if step["if"].as_str().is_some_and(|c| platform.value(c) != "true") {
                continue;
            }
            if let Some(action) = step["uses"].as_str() {
                assert!(GITHUB_ACTIONS.contains(&action), "{name}: only the platform's own actions, not {action}");
                continue;
            }
            let script = step["run"].as_str().unwrap_or_else(|| panic!("{name}: a step is an action or a run"));
            let mut env = env_of(&workflow);
            env.extend(env_of(job));
            env.extend(env_of(step));
            env.push(("GITHUB_PATH".into(), github_path.display().to_string()));
            let added: Vec<String> = std::fs::read_to_string(&github_path).unwrap().lines().rev().map(str::to_owned).collect();
            let path = added.into_iter().chain([system_path()]).collect::<Vec<_>>().join(":");
            let out = platform.run(&["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"], script, site, &env, &path, &name);
            ran.push((name, out));
        }
    }
    ran
}

/// The system's PATH without any folder that has a `planpress`: the steps must use the one
/// they install.
fn system_path() -> String {
    let path = std::env::var_os("PATH").unwrap();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).filter(|d| !d.join("planpress").exists()).collect();
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

/// `$NAME` and `${NAME}` of a GitLab variable's value, from the platform's variables.
fn expand(value: &str, vars: &[(String, String)]) -> String {
    let mut out = value.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}

/// Runs the jobs of `.gitlab-ci.yml` in `site`, stage after stage, whose `rules:` match.
fn run_gitlab(site: &Path, platform: &Platform) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
    let ci: Value = serde_saphyr::from_str(&text).unwrap();
    let mut env: Vec<(String, String)> = Vec::new();
    for (k, v) in ci["variables"].as_object().unwrap() {
        let value = expand(v.as_str().unwrap(), &platform.env);
        env.push((k.clone(), value));
    }
    let lines = |v: &Value| -> Vec<String> { v.as_array().into_iter().flatten().map(|l| l.as_str().unwrap().to_owned()).collect() };
    let before = lines(&ci["default"]["before_script"]);
    let mut ran = Vec::new();
    for stage in ci["stages"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()) {
        for (name, job) in ci.as_object().unwrap().iter().filter(|(_, j)| j["stage"].as_str() == Some(stage)) {
            let rules: Vec<&str> = job["rules"].as_array().unwrap().iter().map(|r| r["if"].as_str().unwrap()).collect();
            if !rules.iter().any(|r| platform.value(r) == "true") {
                continue;
            }
            let script = before.iter().chain(&lines(&job["script"])).cloned().collect::<Vec<_>>().join("\n");
            let out = platform.run(&["sh", "-ec"], &script, site, &env, &system_path(), name);
            ran.push((name.clone(), out));
        }
    }
    ran
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh `new site` repository whose CI files download from the stand-in release (what a
/// department with a mirror of the releases does), and a home folder for the cache.
fn setup() -> (tempfile::TempDir, PathBuf, Vec<(String, String)>) {
    let tmp = tempfile::tempdir().unwrap();
    let url = fake_release(&tmp.path().join("releases"));
    let site = new_site_repo(tmp.path());
    for file in [".github/workflows/publish.yml", ".gitlab-ci.yml"] {
        let text = read(&site.join(file));
        let releases = planpress::commands::new::RELEASES;
        assert!(text.contains(&format!("PLANPRESS_RELEASES: \"{releases}\"")), "{file} pins the release address");
        assert!(text.contains(&format!("PLANPRESS_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))), "{file} pins this version");
        std::fs::write(site.join(file), text.replace(releases, &url)).unwrap();
    }
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let env = vec![("HOME".to_owned(), home.display().to_string()), ("LANG".to_owned(), "C.UTF-8".to_owned())];
    (tmp, site, env)
}

fn github(event: &str, pdf: bool, env: &[(String, String)]) -> Platform {
    let pr = event == "pull_request";
    let values = BTreeMap::from([
        ("github.event_name != 'pull_request'", (!pr).to_string()),
        ("github.event_name == 'pull_request'", pr.to_string()),
        ("vars.PLANPRESS_PDF == 'true' && github.event_name != 'pull_request'", (pdf && !pr).to_string()),
        ("vars.PLANPRESS_PDF", if pdf { "true" } else { "" }.to_owned()),
        ("steps.pages.outputs.base_url", "https://example.github.io/site".to_owned()),
        ("vars.PREVIEW_URL || 'https://preview.example.org/'", "https://preview.example.org/".to_owned()),
        ("github.event.number", "7".to_owned()),
    ]);
    Platform { values, env: env.to_vec() }
}

fn step<'a>(ran: &'a [(String, String)], name: &str) -> &'a str {
    &ran.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("step {name} did not run: {ran:?}")).1
}

#[test]
fn the_github_workflow_of_a_new_site_checks_builds_and_previews() {
    let (tmp, site, env) = setup();
    let ran = run_github(&site, &github("push", false, &env));
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Install planpress", "Check the content", "Build the site"]);
    assert!(step(&ran, "Install planpress").contains(": OK"), "the archive's checksum is checked: {ran:?}");
    assert!(step(&ran, "Install planpress").contains(&format!("planpress {} (commit ", env!("CARGO_PKG_VERSION"))));
    assert!(step(&ran, "Check the content").contains("check passed"), "{ran:?}");
    let home = read(&site.join("public/zh/index.html"));
    assert!(home.contains("https://example.github.io/site/zh/") && !home.contains("https://example.org/"), "base URL from Pages");
    assert!(!site.join("preview").exists());

    // The next run finds planpress in the cache: with the release gone, it must not download.
    std::fs::remove_dir_all(tmp.path().join(format!("releases/v{}", env!("CARGO_PKG_VERSION")))).unwrap();
    let ran = run_github(&site, &github("pull_request", false, &env));
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Install planpress", "Check the content", "Build the preview"]);
    assert!(!step(&ran, "Install planpress").contains(": OK"), "cached, not downloaded again: {ran:?}");
    let preview = read(&site.join("preview/en/index.html"));
    assert!(preview.contains("https://preview.example.org/pr-7/en/"), "the preview's own base URL");
}

#[test]
fn the_github_workflow_fails_on_a_stale_translation_and_a_bad_checksum() {
    let (tmp, site, env) = setup();
    let about = site.join("content/pages/about.zh.md");
    std::fs::write(&about, read(&about).replace("本站发布", "本网站发布")).unwrap();
    let failed = std::panic::catch_unwind(|| run_github(&site, &github("push", false, &env)));
    let message = *failed.expect_err("check --strict stops the workflow").downcast::<String>().unwrap();
    assert!(message.contains("step `Check the content` failed") && message.contains("stale"), "{message}");

    // A tampered archive: the checksum step refuses it and nothing is installed.
    let release = tmp.path().join(format!("releases/v{}", env!("CARGO_PKG_VERSION")));
    let sums = release.join("SHA256SUMS");
    let text = read(&sums);
    let flipped = if text.starts_with('0') { "1" } else { "0" };
    std::fs::write(&sums, format!("{flipped}{}", &text[1..])).unwrap();
    let home = tempfile::tempdir().unwrap();
    let env = vec![("HOME".to_owned(), home.path().display().to_string())];
    let failed = std::panic::catch_unwind(|| run_github(&site, &github("push", false, &env)));
    let message = *failed.expect_err("a bad checksum stops the install").downcast::<String>().unwrap();
    assert!(message.contains("step `Install planpress` failed") && message.contains("FAILED"), "{message}");
}

#[test]
#[ignore = "needs Chromium"]
fn the_github_workflow_prints_the_pdfs_when_asked() {
    let (_tmp, site, env) = setup();
    let ran = run_github(&site, &github("push", true, &env));
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Install planpress", "Check the content", "Install Chromium and the print fonts", "Build the site"]);
    let year = &planpress::commands::new::today()[..4];
    let pdf = std::fs::read(site.join(format!("public/zh/reports/plan-{year}/plan-{year}-zh.pdf"))).unwrap_or_default();
    assert!(pdf.starts_with(b"%PDF"), "the plan's Chinese booklet printed: {ran:?}");
}

fn gitlab(source: &str, env: &[(String, String)], site: &Path) -> Platform {
    let mr = source == "merge_request_event";
    let values = BTreeMap::from([
        ("$CI_PIPELINE_SOURCE == \"merge_request_event\"", mr.to_string()),
        ("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", (!mr).to_string()),
    ]);
    let mut env = env.to_vec();
    for (k, v) in [
        ("CI_PROJECT_DIR", site.display().to_string().as_str()),
        ("CI_PAGES_URL", "https://example.gitlab.io/site"),
        ("CI_PROJECT_ROOT_NAMESPACE", "example"),
        ("CI_PAGES_DOMAIN", "gitlab.io"),
        ("CI_PROJECT_NAME", "site"),
        ("CI_JOB_ID", "42"),
        ("CI_MERGE_REQUEST_IID", "7"),
    ] {
        env.push((k.to_owned(), v.to_owned()));
    }
    Platform { values, env }
}

#[test]
fn the_gitlab_pipeline_of_a_new_site_checks_builds_and_previews() {
    let (tmp, site, env) = setup();
    let ran = run_gitlab(&site, &gitlab("push", &env, &site));
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["check", "pages"]);
    assert!(step(&ran, "check").contains(": OK") && step(&ran, "check").contains("check passed"), "{ran:?}");
    assert!(site.join(".planpress").is_dir(), "GitLab caches inside the project");
    let home = read(&site.join("public/en/index.html"));
    assert!(home.contains("https://example.gitlab.io/site/en/") && !home.contains("https://example.org/"), "base URL from Pages");

    std::fs::remove_dir_all(tmp.path().join(format!("releases/v{}", env!("CARGO_PKG_VERSION")))).unwrap();
    let ran = run_gitlab(&site, &gitlab("merge_request_event", &env, &site));
    let names: Vec<&str> = ran.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["check", "preview"]);
    let preview = read(&site.join("preview/zh/index.html"));
    assert!(preview.contains("https://example.gitlab.io/-/site/-/jobs/42/artifacts/preview/zh/"), "the preview's base URL");
}

#[test]
fn new_site_writes_the_ci_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    for (ci, github, gitlab) in [("github", true, false), ("gitlab", false, true), ("none", false, false)] {
        let site = tmp.path().join(ci);
        let out = Command::new(env!("CARGO_BIN_EXE_planpress")).args(["new", "site", site.to_str().unwrap(), "--ci", ci]).output().unwrap();
        assert!(out.status.success());
        assert_eq!(site.join(".github/workflows/publish.yml").exists(), github, "{ci}");
        assert_eq!(site.join(".gitlab-ci.yml").exists(), gitlab, "{ci}");
    }
    let version = Command::new(env!("CARGO_BIN_EXE_planpress")).arg("--version").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    let commit =
        version.trim().strip_prefix(&format!("planpress {} (commit ", env!("CARGO_PKG_VERSION"))).and_then(|c| c.strip_suffix(')'));
    assert!(commit.is_some_and(|c| c == "unknown" || (c.len() == 12 && c.chars().all(|c| c.is_ascii_hexdigit()))), "{version}");
}

/// The ```sh block of docs/deploy.md that starts with `start`.
fn doc_block(start: &str) -> String {
    let doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md"));
    let block = doc.split("```sh\n").skip(1).find(|b| b.starts_with(start));
    block.and_then(|b| b.split("```").next()).unwrap_or_else(|| panic!("docs/deploy.md: no sh block starts with {start}")).to_owned()
}

/// docs/deploy.md's install lines fetch, check and install a release (served on loopback; its
/// `sudo install … /usr/local/bin/` into a folder of the test), and its three lines that start
/// a site repository (not `serve`, which waits) make one with its CI, committed; the README's
/// first section shows the same three lines.
#[test]
fn the_deploy_doc_installs_planpress_and_starts_a_site_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fake_release(&tmp.path().join("releases"));
    let releases = planpress::commands::new::RELEASES;
    let install = doc_block("v=");
    assert!(install.contains(releases) && install.contains("sudo install planpress /usr/local/bin/"), "{install}");
    let install = install.replace(releases, &url).replace("sudo install planpress /usr/local/bin/", "install planpress \"$BIN/\"");
    let bin = tmp.path().join("bin");
    let download = tmp.path().join("download");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&download).unwrap();
    let env = [("BIN".to_owned(), bin.display().to_string()), ("HOME".to_owned(), tmp.path().display().to_string())];
    let platform = Platform { values: BTreeMap::new(), env: env.to_vec() };
    let out = platform.run(&["bash", "-eo", "pipefail", "-c"], &install, &download, &[], &system_path(), "install");
    assert!(out.contains(": OK"), "{out}");

    let start = doc_block("planpress new site kjt-site && cd kjt-site ");
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    assert!(readme.split("\n## ").nth(1).is_some_and(|first| first.contains(&start)), "README's first section shows:\n{start}");
    let script: String = start.lines().filter(|l| !l.starts_with("planpress serve")).map(|l| format!("{l}\n")).collect();
    let git = [
        ("GIT_AUTHOR_NAME", "kjt"),
        ("GIT_AUTHOR_EMAIL", "kjt@example.org"),
        ("GIT_COMMITTER_NAME", "kjt"),
        ("GIT_COMMITTER_EMAIL", "kjt@example.org"),
    ];
    let git: Vec<(String, String)> = git.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let path = format!("{}:{}", bin.display(), system_path());
    platform.run(&["sh", "-ec"], &script, tmp.path(), &git, &path, "start a site repository");
    let site = tmp.path().join("kjt-site");
    let tracked = Command::new("git").args(["ls-files"]).current_dir(&site).output().unwrap();
    let tracked = String::from_utf8(tracked.stdout).unwrap();
    for file in [".github/workflows/publish.yml", ".gitlab-ci.yml", ".gitignore", "content/site.yaml"] {
        assert!(tracked.lines().any(|l| l == file), "{file} committed: {tracked}");
    }
}
