//! Helpers for integration tests: copy the example site into a temp dir, run the real binary,
//! read the output; the example built once per test binary for the tests that only read it;
//! the external tools (Chromium, nginx, …) that `#[ignore]`d tests need.

#![allow(dead_code)]

pub mod serve;
pub mod years;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, PoisonError};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the tree `from` into `to` (created as needed).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The sign-off the example's plan and partners carry.
pub const EXAMPLE_SIGN_OFF: &str = "review: {state: approved, by: \"example\", date: 2026-12-02}";

/// The date of [`EXAMPLE_SIGN_OFF`], for the tests that read it back.
#[allow(dead_code)]
pub fn example_sign_off_date() -> &'static str {
    EXAMPLE_SIGN_OFF.split("date: ").nth(1).and_then(|d| d.strip_suffix('}')).unwrap()
}

/// Copies the example's content/ into `to`, its illustrative results signed off like the rest:
/// in the repository they are `for-comment` (so the public build shows the plan and the preview
/// the results), and most tests read the whole example as one published site.
pub fn copy_example(to: &Path) {
    copy_dir(&repo().join("content"), &to.join("content"));
    for entry in walkdir::WalkDir::new(to.join("content/results")).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(path).unwrap();
            fs::write(path, text.replace("review: {state: for-comment}", EXAMPLE_SIGN_OFF)).unwrap();
        }
    }
}

/// A temp copy of the example site (content only: the default theme comes from the binary).
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_example(dir.path());
        Site { dir }
    }

    /// A copy of the example whose `public/` is already a good build of it (a copy of
    /// [`example_built`]'s, byte for byte, marker file included), for tests that break the site
    /// and need a previous output: one run of the binary fewer per test.
    pub fn example_prebuilt() -> Site {
        let site = Site::example();
        copy_dir(&example_built(&[]).out, &site.path("public"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Replaces the first occurrence of `from` in a file, failing if it is absent.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub fn build(&self, extra: &[&str]) -> Run {
        let out = self.path("public");
        self.build_to(&out, extra)
    }

    pub fn build_to(&self, out: &Path, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--root", self.root().to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        planpress(&args)
    }
}

#[derive(Debug, Clone)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, 0, "build failed:\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

pub fn planpress(args: &[&str]) -> Run {
    planpress_with_locale(args, "C.UTF-8")
}

/// Runs planpress with `LANG` set to `locale` (and no other locale variable, `LANGUAGE` included).
pub fn planpress_with_locale(args: &[&str], locale: &str) -> Run {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_planpress"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", locale)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        // LANGUAGE outranks LANG (gettext's rule): a developer's own must not change the messages.
        .env_remove("LANGUAGE")
        .output()
        .unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Every file under `dir`, relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), fs::read(e.path()).unwrap()))
        .collect()
}

pub fn html_files(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().filter(|p| p.ends_with(".html")).collect()
}

/// The example site built once, with `build` and the flags `extra`.
#[derive(Debug)]
pub struct Built {
    /// The site's folder (a copy of the example's `content/`).
    pub root: PathBuf,
    /// Its output: `root/public`. Read it only; a test that changes it works on a copy.
    pub out: PathBuf,
    /// The build's run (its summary line, its warnings).
    pub run: Run,
}

/// The example built once per test binary for each set of flags, shared by every test that only
/// reads the output: one run of the debug binary instead of one per test. The build fails the
/// calling test if it fails. It lives under Cargo's temp folder for tests, named after this
/// process; those of earlier, finished runs are removed first.
pub fn example_built(extra: &'static [&'static str]) -> &'static Built {
    static BUILDS: Mutex<Vec<(&[&str], &Built)>> = Mutex::new(Vec::new());
    // Held while building, so two tests asking at once share one build.
    let mut builds = BUILDS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&(_, built)) = builds.iter().find(|(flags, _)| *flags == extra) {
        return built;
    }
    let root = scratch_dir(&format!("build{}", builds.len()));
    copy_example(&root);
    let out = root.join("public");
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = planpress(&args);
    run.assert_ok();
    let built: &'static Built = Box::leak(Box::new(Built { root, out, run }));
    builds.push((extra, built));
    built
}

/// A fresh folder `shared-<pid>-<name>` in Cargo's temp folder for integration tests, for what a
/// static keeps for the whole run (a shared build). A static is never dropped, so nothing removes
/// it at the end of the run: the next run removes the folders of processes that are gone (where
/// `/proc` tells; elsewhere they stay until `cargo clean`).
pub fn scratch_dir(name: &str) -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    if Path::new("/proc/self").exists() {
        for entry in fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix("shared-").and_then(|rest| rest.split('-').next()).and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = tmp.join(format!("shared-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of a shared build's output in a temp dir, for a test that adds or changes a file of it.
pub fn output_copy(built: &Built) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&built.out, dir.path());
    dir
}

/// The external program a test needs: the first of `names` found (a bare name on `PATH`, a path
/// as it is). Only `#[ignore = "needs …"]` tests call this: they run when asked for
/// (`cargo test -- --include-ignored`, as `.ci/run` does), and then a missing tool is a failure
/// that says what to install, never a test that passes without having run.
pub fn tool(names: &[&str], install: &str) -> PathBuf {
    names.iter().find_map(|name| which(name)).unwrap_or_else(|| {
        panic!("this test needs {} and found none on PATH: {install} (or leave out --include-ignored)", names.join(" or "))
    })
}

/// A file the test needs that an installer provides (axe-core, vnu.jar under `tests/js`).
pub fn tool_file(rel: &str, install: &str) -> PathBuf {
    let path = repo().join(rel);
    assert!(path.is_file(), "this test needs {rel}: {install} (or leave out --include-ignored)");
    path
}

/// `name` if it is a path to an executable file, else its first executable on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    #[cfg(unix)]
    let executable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    // No execute bit on Windows: a file is as far as this goes (the tests that need tools run on Linux).
    #[cfg(not(unix))]
    let executable = |p: &Path| p.is_file();
    if name.contains('/') {
        return Some(PathBuf::from(name)).filter(|p| executable(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| executable(p))
}
