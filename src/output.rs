//! Write: minify, stage the whole output beside the target, then swap it in. A failed build
//! never touches the previous output, and planpress never deletes a folder it did not write.
//!
//! Beside an output `public/` live, for the length of a build, `.public.planpress-new-<pid>`
//! (the output being written) and, on file systems without an atomic exchange,
//! `.public.planpress-old-<pid>` (the previous one, while it is removed); they carry the PID of
//! the build, so the next build removes those of a build that was killed. The lock file
//! `.public.planpress-lock`, there while a build writes, makes two builds into the same folder
//! take turns.
//!
//! Windows (read, not run here): no atomic exchange, so the swap is the two renames; the lock
//! file stays beside the output (see `lock`).

mod lock;
mod minify;
mod stale;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Position};

pub use minify::{minify, minify_file, nesting_depth, TooDeep, MAX_DEPTH};
pub use stale::{process_alive, remove_if_ours, stale_folders};

/// One file of the output, path relative to the output folder with `/` separators.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// HTML pages are minified by the write stage; other files are written as they are.
    pub is_html: bool,
}

/// Receives every rendered file, from any thread, in no particular order.
pub type Sink<'a> = dyn Fn(OutputFile) + Sync + 'a;

/// Written into every output so a later build knows the folder is its own to replace.
pub const MARKER: &str = ".planpress-output";

#[derive(Debug)]
pub struct OutputError {
    pub message: String,
    pub help: String,
    /// Chinese message and help: required, so no output error reaches a Chinese editor in English.
    pub zh: (String, String),
}

impl OutputError {
    fn new(message: impl Into<String>, help: impl Into<String>, zh: impl Into<String>, zh_help: impl Into<String>) -> Self {
        OutputError { message: message.into(), help: help.into(), zh: (zh.into(), zh_help.into()) }
    }

    /// The error as a diagnostic about the output folder `out`.
    pub fn diagnostic(self, out: &Path) -> Diagnostic {
        let (zh, zh_help) = self.zh;
        Diagnostic::error("E-output", out, Position::file(), self.message).help(self.help).zh(zh, Some(zh_help))
    }
}

/// The warning for a page written unminified because it nests too deep.
pub fn too_deep_warning(out: &Path, page: &TooDeep) -> Diagnostic {
    Diagnostic::warning(
        "W-minify",
        &out.join(&page.path),
        Position::file(),
        format!("{} nests {} elements deep (more than {MAX_DEPTH}): written without minifying", page.path, page.depth),
    )
    .help("a Markdown text with very deeply nested quotes (`>`) or lists; flatten it")
    .zh(
        format!("{} 的元素嵌套了 {} 层（超过 {MAX_DEPTH} 层）：未经压缩直接输出", page.path, page.depth),
        Some("某篇 Markdown 正文的引用（`>`）或列表嵌套过深；请减少嵌套层数".to_owned()),
    )
}

fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    // Canonicalise what exists, so `./public/..` and symlinks compare equal.
    let mut existing = path.clone();
    let mut rest = Vec::new();
    while fs::symlink_metadata(&existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// What `path` is, in English and Chinese, if it exists and is not a folder (symlinks followed).
fn not_a_folder(path: &Path) -> Option<(&'static str, &'static str)> {
    let kind = match fs::metadata(path) {
        Ok(m) => m.file_type(),
        Err(_) if fs::symlink_metadata(path).is_ok() => return Some(("a broken symbolic link", "一个失效的符号链接")),
        Err(_) => return None,
    };
    Some(if kind.is_dir() {
        return None;
    } else if kind.is_file() {
        ("a file", "一个文件")
    } else {
        special_kind(kind)
    })
}

#[cfg(unix)]
fn special_kind(kind: fs::FileType) -> (&'static str, &'static str) {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_fifo() {
        ("a named pipe (FIFO)", "一个命名管道（FIFO）")
    } else if kind.is_char_device() || kind.is_block_device() {
        ("a device", "一个设备")
    } else if kind.is_socket() {
        ("a socket", "一个套接字")
    } else {
        ("not a folder", "不是文件夹")
    }
}

#[cfg(not(unix))]
fn special_kind(_: fs::FileType) -> (&'static str, &'static str) {
    ("not a folder", "不是文件夹")
}

/// Refuses an output folder whose replacement would destroy something that is not ours.
pub fn check_target(root: &Path, out: &Path) -> Result<(), OutputError> {
    if let Some((kind, kind_zh)) = not_a_folder(out) {
        return Err(OutputError::new(
            format!("refusing to write the output to {}: it is {kind}, not a folder", out.display()),
            "choose another --out: planpress only replaces a folder it wrote",
            format!("拒绝输出到 {}：它是{kind_zh}，不是文件夹", out.display()),
            "请用 --out 另选文件夹：planpress 只替换它自己写出的文件夹",
        ));
    }
    let root = absolute(root);
    let out = absolute(out);
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return Err(OutputError::new(
            format!("refusing to write the output to {}: it is (or contains) the site folder", out.display()),
            "choose an output folder such as public/ with --out",
            format!("拒绝输出到 {}：它就是（或包含）站点文件夹", out.display()),
            "请用 --out 指定输出文件夹，例如 public/",
        ));
    }
    if out.starts_with(&content) || out.starts_with(root.join("themes")) {
        return Err(OutputError::new(
            format!("refusing to write the output to {}: it is inside the site's sources", out.display()),
            "choose an output folder outside content/ and themes/, such as public/",
            format!("拒绝输出到 {}：它位于站点的源文件之中", out.display()),
            "请选择 content/ 和 themes/ 之外的输出文件夹，例如 public/",
        ));
    }
    if out.is_dir() && !out.join(MARKER).is_file() && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(OutputError::new(
            format!("refusing to replace {}: it is not empty and was not written by planpress", out.display()),
            "empty or remove the folder yourself, or choose another --out",
            format!("拒绝替换 {}：它不是空文件夹，也不是 planpress 写出的", out.display()),
            "请自行清空或删除该文件夹，或用 --out 另选文件夹",
        ));
    }
    Ok(())
}

/// Writes `files` to a staging folder, then swaps it with `out`. The previous output is
/// removed only after the new one is complete and in place.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(out)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    staging.commit()
}

/// A new output being written beside the target, file by file (from any thread), swapped in by
/// [`Staging::commit`]. Dropped without a commit, it removes itself and leaves the target as it
/// was. It holds the output's lock for its whole life.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
    _lock: lock::OutputLock,
}

impl Staging {
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out);
        let parent = out.parent().ok_or_else(|| {
            OutputError::new("output folder has no parent", "choose another --out", "输出文件夹没有上级文件夹", "请用 --out 另选文件夹")
        })?;
        fs::create_dir_all(parent).map_err(|e| {
            OutputError::new(
                format!("cannot create {}: {e}", parent.display()),
                "check permissions",
                format!("无法创建 {}：{}", parent.display(), crate::diagnostics::zh_io(&e)),
                "请检查权限",
            )
        })?;
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public").to_owned();
        let lock = lock::lock_output(parent, &name, &out)?;
        // Under the lock, no other build is using its folders: those of dead builds are debris.
        sweep(parent, &name, &out);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.planpress-new-{pid}"));
        let old = parent.join(format!(".{name}.planpress-old-{pid}"));
        let staging = Staging { out, dir, old, committed: false, _lock: lock };
        fs::create_dir_all(&staging.dir)
            .and_then(|()| fs::write(staging.dir.join(MARKER), "This folder is written by planpress and replaced on every build.\n"))
            .map_err(|e| staging.error(&staging.dir, e))?;
        Ok(staging)
    }

    fn error(&self, path: &Path, e: std::io::Error) -> OutputError {
        OutputError::new(
            format!("cannot write {}: {e}", path.display()),
            "check free disk space and permissions; the previous output is unchanged",
            format!("无法写入 {}：{}", path.display(), crate::diagnostics::zh_io(&e)),
            "请检查磁盘空间和权限；原有输出保持不变",
        )
    }

    pub fn write(&self, file: &OutputFile) -> Result<(), OutputError> {
        let path = self.dir.join(&file.path);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let mut f = std::io::BufWriter::new(fs::File::create(&path)?);
            f.write_all(&file.bytes)?;
            f.flush()
        };
        write().map_err(|e| self.error(&path, e))
    }

    /// Swaps the new output in and removes the previous one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if fs::symlink_metadata(&self.out).is_err() {
            rename(&self.dir, &self.out).map_err(|e| swap_error("move the new output", &self.dir, &self.out, e, None))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.dir, &self.out) {
            // The staging folder now holds the previous output.
            Ok(true) => {
                self.committed = true;
                let _ = fs::remove_dir_all(&self.dir);
                return Ok(());
            }
            Ok(false) => {}
            Err(e) => return Err(swap_error("swap the new output", &self.dir, &self.out, e, None)),
        }
        rename(&self.out, &self.old).map_err(|e| swap_error("move the previous output", &self.out, &self.old, e, None))?;
        if let Err(e) = rename(&self.dir, &self.out) {
            // Put the previous output back before reporting.
            let restored = rename(&self.old, &self.out).is_ok();
            return Err(swap_error("move the new output", &self.dir, &self.out, e, Some((restored, &self.old))));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Exchanges two folders in one step where the file system can (Linux `renameat2`), so no
/// instant exists without an output. `Ok(false)`: not supported here, rename in two steps.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Moves a folder to a name that does not exist (so also on Windows, where a folder cannot be
/// renamed over another).
#[cfg(not(windows))]
fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::rename(from, to)
}

/// Windows refuses to move a folder while any program holds a file in it open, and a virus
/// scanner or the search indexer opens the files just written for a moment: retry for about
/// two and a half seconds in all on "access denied" (5) or "sharing violation" (32).
#[cfg(windows)]
fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut wait = std::time::Duration::from_millis(10);
    loop {
        match fs::rename(from, to) {
            Err(e) if matches!(e.raw_os_error(), Some(5 | 32)) && wait.as_millis() <= 1280 => {
                std::thread::sleep(wait);
                wait *= 2;
            }
            result => return result,
        }
    }
}

/// Which step of the swap failed, from where to where, and why; `put_back` says whether the
/// previous output was moved back after a failure halfway.
fn swap_error(what: &str, from: &Path, to: &Path, e: std::io::Error, put_back: Option<(bool, &Path)>) -> OutputError {
    let (help, zh_help) = match put_back {
        Some((false, old)) => (
            format!("the previous output could not be put back: it is in {}", old.display()),
            format!("原有输出未能恢复，现位于 {}", old.display()),
        ),
        _ => ("the previous output is unchanged".to_owned(), "原有输出保持不变".to_owned()),
    };
    OutputError::new(
        format!("cannot {what} from {} to {}: {e}", from.display(), to.display()),
        help,
        format!("无法将 {} 移动到 {}：{}", from.display(), to.display(), crate::diagnostics::zh_io(&e)),
        zh_help,
    )
}

/// Removes the staging folders of builds into `out` that were killed; a previous output that a
/// killed build had moved aside is put back if the output is missing.
fn sweep(parent: &Path, name: &str, out: &Path) {
    for old in stale_folders(parent, &format!(".{name}.planpress-old-")) {
        if fs::symlink_metadata(out).is_err() && rename(&old, out).is_ok() {
            continue;
        }
        remove_if_ours(&old, Some(MARKER));
    }
    for new in stale_folders(parent, &format!(".{name}.planpress-new-")) {
        remove_if_ours(&new, Some(MARKER));
    }
}
