//! Helpers for integration tests: copy the example site into a temp dir, run the real binary,
//! read the output.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
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

/// A temp copy of the example site (content only: the default theme comes from the binary).
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        Site { dir }
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
