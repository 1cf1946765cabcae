//! The output folder, debris, processes and the smaller items: `--out` that is not a folder,
//! staging folders of killed builds, concurrent builds, a page too deep to minify, Chromium's
//! process group and temp folder, `@/` links out of the site, reserved page names.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, planpress, Site};

const MARKER: &str = ".planpress-output";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_planpress")
}

/// A PID no process has: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Names in `dir` that a build leaves only while it runs (staging, previous output, lock).
fn debris(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".planpress-"))
        .collect();
    names.sort();
    names
}

/// Every file under `dir` as path → (length, hash): a large output, compared cheaply.
fn fingerprint(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    common::tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (path, (bytes.len(), h.finish()))
        })
        .collect()
}

fn assert_refused(run: &common::Run, out: &Path, kind: &str) {
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let name = out.to_str().unwrap();
    assert!(run.stderr.contains(&format!("refusing to write the output to {name}: it is {kind}, not a folder")), "{}", run.stderr);
}

#[test]
fn out_a_fifo_is_refused_and_left_a_fifo() {
    let site = Site::example();
    let fifo = site.path("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let run = site.build_to(&fifo, &[]);
    assert_refused(&run, &fifo, "a named pipe (FIFO)");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(debris(site.root()), Vec::<String>::new());
}

#[test]
fn out_dev_null_is_refused_and_left_a_device() {
    let site = Site::example();
    let run = site.build_to(Path::new("/dev/null"), &[]);
    assert_refused(&run, Path::new("/dev/null"), "a device");
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    assert!(debris(Path::new("/dev")).is_empty());
}

#[test]
fn out_a_symlink_to_a_file_is_refused_and_both_untouched() {
    let site = Site::example();
    site.write("notes.txt", "keep me\n");
    let link = site.path("public");
    std::os::unix::fs::symlink(site.path("notes.txt"), &link).unwrap();
    let run = site.build(&[]);
    assert_refused(&run, &link, "a file");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(site.read("notes.txt"), "keep me\n");
}

#[test]
fn out_a_broken_symlink_is_refused() {
    let site = Site::example();
    let link = site.path("public");
    std::os::unix::fs::symlink(site.path("nowhere"), &link).unwrap();
    let run = site.build(&[]);
    assert_refused(&run, &link, "a broken symbolic link");
    assert!(!site.path("nowhere").exists());
}

#[test]
fn out_inside_content_is_still_refused() {
    let site = Site::example();
    let run = site.build_to(&site.path("content/public"), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("it is inside the site's sources"), "{}", run.stderr);
    assert!(!site.path("content/public").exists());
}

/// A staging folder as a build writes it: the marker and some pages.
fn fake_staging(dir: &Path) {
    fs::create_dir_all(dir.join("zh")).unwrap();
    fs::write(dir.join(MARKER), "x").unwrap();
    fs::write(dir.join("zh/index.html"), "<p>old</p>").unwrap();
}

#[test]
fn staging_folders_of_dead_builds_are_swept() {
    let site = Site::example();
    site.build(&[]).assert_ok();
    let pid = dead_pid();
    fake_staging(&site.path(&format!(".public.planpress-new-{pid}")));
    fake_staging(&site.path(&format!(".public.planpress-old-{pid}")));
    // A killed build that had not written its marker yet leaves an empty folder.
    fs::create_dir(site.path(&format!(".public.planpress-new-{}", dead_pid()))).unwrap();
    site.build(&[]).assert_ok();
    assert_eq!(debris(site.root()), Vec::<String>::new());
    assert!(site.path("public").join(MARKER).is_file());
}

#[test]
fn staging_folder_of_a_live_process_is_kept() {
    let site = Site::example();
    // This test's own PID: alive for the whole build.
    let live = site.path(&format!(".public.planpress-new-{}", std::process::id()));
    fake_staging(&live);
    site.build(&[]).assert_ok();
    assert_eq!(fs::read_to_string(live.join("zh/index.html")).unwrap(), "<p>old</p>");
}

#[test]
fn a_folder_not_written_by_planpress_is_never_swept() {
    let site = Site::example();
    let foreign = site.path(&format!(".public.planpress-new-{}", dead_pid()));
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("thesis.tex"), "mine").unwrap();
    site.build(&[]).assert_ok();
    assert_eq!(fs::read_to_string(foreign.join("thesis.tex")).unwrap(), "mine");
}

/// Adds `n` results (each with its two texts) to the example site's 2011.
fn add_results(site: &Site, n: usize) {
    let yaml = site.read("content/results/2011/agri-parks.yaml");
    let zh = site.read("content/results/2011/agri-parks.zh.md");
    let en = site.read("content/results/2011/agri-parks.en.md");
    for i in 0..n {
        let slug = format!("generated-{i}");
        site.write(&format!("content/results/2011/{slug}.yaml"), &yaml.replacen("slug: agri-parks", &format!("slug: {slug}"), 1));
        site.write(&format!("content/results/2011/{slug}.zh.md"), &zh);
        site.write(&format!("content/results/2011/{slug}.en.md"), &en);
    }
}

/// Starts a build into `site/public` in the background.
fn spawn_build(site: &Site) -> Child {
    Command::new(bin())
        .args(["build", "--quiet", "--root", site.root().to_str().unwrap(), "--out", site.path("public").to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `path` exists, for at most `limit`.
fn wait_for(path: &Path, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if path.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn a_build_killed_midway_keeps_the_previous_output_and_the_next_removes_its_debris() {
    let site = Site::example();
    add_results(&site, 3000);
    site.build(&["--quiet"]).assert_ok();
    let before = fingerprint(&site.path("public"));
    let mut child = spawn_build(&site);
    let staging = site.path(&format!(".public.planpress-new-{}", child.id()));
    // Pages are being written once the results' folder exists in the staging folder.
    assert!(wait_for(&staging.join("zh/results/2011/generated-1"), Duration::from_secs(300)), "the build never wrote its pages");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "the build finished before it was killed");
    assert!(staging.is_dir(), "a killed build leaves its staging folder");
    assert!(fingerprint(&site.path("public")) == before, "the previous output changed");
    site.build(&["--quiet"]).assert_ok();
    assert_eq!(debris(site.root()), Vec::<String>::new());
}

#[test]
fn concurrent_builds_into_one_folder_take_turns() {
    let site = Site::example();
    for _ in 0..4 {
        let builds: Vec<Child> = (0..3).map(|_| spawn_build(&site)).collect();
        for child in builds {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{stderr}");
            assert!(!stderr.contains("Directory not empty") && !stderr.contains("error"), "{stderr}");
        }
        assert!(site.path("public").join(MARKER).is_file());
        assert!(site.path("public/zh/index.html").is_file());
        assert_eq!(debris(site.root()), Vec::<String>::new());
    }
}

#[test]
fn three_thousand_nested_quotes_do_not_crash_the_minifier() {
    let site = Site::example();
    site.write("content/pages/deep.zh.md", &format!("---\ntitle: 深\n---\n{} 引文\n", ">".repeat(3000)));
    site.write("content/pages/deep.en.md", "---\ntitle: Deep\n---\nShallow.\n");
    let run = site.build(&[]);
    assert_ne!(run.code, 134, "crashed: {}", run.stderr);
    if run.code == 0 {
        // Defence in depth: the page is written as rendered, with a warning naming it.
        assert!(run.stderr.contains("warning[W-minify]: zh/deep/index.html nests"), "{}", run.stderr);
        let page = site.read("public/zh/deep/index.html");
        assert!(page.contains("<blockquote>\n<blockquote>"), "the page was minified");
        // The other pages are still minified.
        assert!(!site.read("public/en/deep/index.html").contains("<html lang=\"en\" dir=\"ltr\">\n"));
    } else {
        // Or validation rejects the text first, naming the file.
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("content/pages/deep.zh.md"), "{}", run.stderr);
    }
}

#[test]
fn check_rejects_an_at_link_that_climbs_out_of_the_site() {
    let site = Site::example();
    site.write("content/pages/leak.zh.md", "---\ntitle: 泄露\n---\n第一段。\n\n见 [密码](@/../../etc/passwd)。\n");
    site.write("content/pages/leak.en.md", "---\ntitle: Leak\n---\nSee [x](@/%2e%2E/%2E%2e/etc/passwd) and [ok](@/../en/).\n");
    let run = planpress(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E-link]: link `@/../../etc/passwd` climbs out of the site"), "{}", run.stderr);
    assert!(run.stderr.contains("--> content/pages/leak.zh.md:6:3"), "{}", run.stderr);
    assert!(run.stderr.contains("--> content/pages/leak.en.md:4:5"), "{}", run.stderr);
    // One URL policy (src/url_policy.rs) judges every link once: `@/` is the language's root and
    // no `..` may climb above it, not even to the other language (which `@/` links never need).
    assert!(run.stderr.contains("--> content/pages/leak.en.md:4:41"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[E-link]").count(), 3, "{}", run.stderr);
}

fn assert_new_page_refused(name: &str) {
    let site = Site::example();
    let before = common::tree(site.root());
    let run = planpress(&["new", "page", name, "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("error: `{name}` is a reserved page name")), "{}", run.stderr);
    assert!(common::tree(site.root()) == before, "files were created");
}

#[test]
fn new_page_search_is_refused() {
    assert_new_page_refused("search");
}

#[test]
fn new_page_named_like_a_language_is_refused() {
    assert_new_page_refused("en");
}

/// A stand-in for Chromium: runs `body` as a shell script.
fn fake_chrome(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("chromium");
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn spawn_pdf(site: &Site, chrome: &Path, tmp: &Path, env: &[(&str, &Path)]) -> Child {
    let mut command = Command::new(bin());
    command
        .args(["pdf", "--quiet", "--root", site.root().to_str().unwrap(), "--chrome", chrome.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

/// Gone, or a zombie nobody has reaped yet (a container's init may not).
fn process_gone(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(true, |stat| stat.rsplit_once(')').is_some_and(|(_, s)| s.trim_start().starts_with('Z')))
}

#[test]
fn pdf_interrupted_stops_the_browser_group_and_removes_its_temp_folder() {
    let site = Site::example();
    let tools = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // The "browser" starts a helper of its own, as Chromium does, and hangs.
    let chrome = fake_chrome(tools.path(), "sleep 600 &\necho $! > \"$HELPER_PID.tmp\"\nmv \"$HELPER_PID.tmp\" \"$HELPER_PID\"\nwait");
    let pid_file = tools.path().join("helper.pid");
    let child = spawn_pdf(&site, &chrome, tmp.path(), &[("HELPER_PID", &pid_file)]);
    assert!(wait_for(&pid_file, Duration::from_secs(300)), "the browser never started");
    let helper = fs::read_to_string(&pid_file).unwrap().trim().to_owned();
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: the browser was stopped and its temporary files removed"), "{stderr}");
    let start = Instant::now();
    while !process_gone(&helper) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(process_gone(&helper), "the browser's helper {helper} survived");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0, "temp folder left behind");
    assert!(!site.path("public").exists());
}

#[test]
fn pdf_removes_the_temp_folder_of_a_killed_run_and_its_own_on_error() {
    let site = Site::example();
    let tools = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let stale = tmp.path().join(format!("planpress-pdf-{}", dead_pid()));
    fs::create_dir_all(stale.join("pass1/zh")).unwrap();
    fs::write(stale.join("pass1/zh/index.html"), "x").unwrap();
    let live = tmp.path().join(format!("planpress-pdf-{}", std::process::id()));
    fs::create_dir_all(&live).unwrap();
    let chrome = fake_chrome(tools.path(), "exit 0");
    let out = spawn_pdf(&site, &chrome, tmp.path(), &[]).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Chromium exited without writing the PDF"), "{stderr}");
    let left: Vec<String> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, [format!("planpress-pdf-{}", std::process::id())], "only the live process's folder stays");
}
