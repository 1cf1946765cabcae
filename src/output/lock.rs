//! An advisory lock beside the output (`.<name>.planpress-lock`): two builds into the same
//! folder take turns instead of racing their renames ("Directory not empty"). The holder
//! removes the lock file before it lets go, so a build leaves nothing beside its output.
//!
//! On Windows the lock file stays: std has no stable file identity there (`file_index` is
//! unstable), so a waiting build could not tell the file it opened from one made after a
//! removal, and two builds could each hold a lock on a different file. Never removed, the file
//! opened is always the one there.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::OutputError;
use crate::diagnostics::MessageLang;

/// The held lock; dropping it removes the lock file, then releases the lock. (The kernel also
/// drops the lock when the process dies, so a killed build never blocks the next.)
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

/// Whether the holder removes the lock file (see the module's comment).
const REMOVE_ON_UNLOCK: bool = cfg!(unix);

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Still holding the lock: a build that waits on this file finds it unlinked and retries.
        if REMOVE_ON_UNLOCK {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// Takes the lock for output `out` (whose folder is `parent` and name `name`), waiting for
/// another build that holds it, and saying so once on stderr. The line follows the
/// environment's language (`LANGUAGE`, `LC_ALL`, … as gettext reads them): the write stage is
/// not told the command's `--lang`.
pub fn lock_output(parent: &Path, name: &str, out: &Path) -> Result<OutputLock, OutputError> {
    lock_output_then(parent, name, || eprintln!("{}", waiting_line(MessageLang::detect(None), out)))
}

/// What a build says while another build into the same output holds the lock.
fn waiting_line(lang: MessageLang, out: &Path) -> String {
    match lang {
        MessageLang::En => format!("waiting for another build into {} to finish…", out.display()),
        MessageLang::Zh => format!("正在等待另一个输出到 {} 的构建完成…", out.display()),
    }
}

/// [`lock_output`], calling `on_wait` (at most once) when the lock is held by another build.
fn lock_output_then(parent: &Path, name: &str, on_wait: impl FnOnce()) -> Result<OutputLock, OutputError> {
    let mut on_wait = Some(on_wait);
    let path = parent.join(format!(".{name}.planpress-lock"));
    loop {
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| {
            OutputError::new(
                format!("cannot create the lock file {}: {e}", path.display()),
                "check permissions on the output's parent folder",
                format!("无法创建锁文件 {}：{}", path.display(), crate::diagnostics::zh_io(&e)),
                "请检查输出文件夹所在目录的权限",
            )
        })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if let Some(say) = on_wait.take() {
                    say();
                }
                file.lock().map_err(|e| lock_error(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(lock_error(&path, e)),
        }
        if still_at(&file, &path) {
            return Ok(OutputLock { file, path });
        }
        // The previous holder removed this file as it finished: lock the current one.
    }
}

/// Whether `file` is still the file at `path` (not unlinked or replaced since it was opened).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Never removed there, the lock file opened is the one at `path`.
#[cfg(not(unix))]
fn still_at(_: &File, _: &Path) -> bool {
    true
}

fn lock_error(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::new(
        format!("cannot lock {}: {e}", path.display()),
        "the file system may not support locks; build into a local folder",
        format!("无法锁定 {}：{}", path.display(), crate::diagnostics::zh_io(&e)),
        "该文件系统可能不支持文件锁；请输出到本地文件夹",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_waits_says_so_once_and_gets_the_lock_when_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_output(dir.path(), "public", &dir.path().join("public")).unwrap();
        let (said, heard) = std::sync::mpsc::channel();
        let parent = dir.path().to_path_buf();
        let second = std::thread::spawn(move || lock_output_then(&parent, "public", move || said.send(()).unwrap()).map(|_| ()));
        heard.recv_timeout(std::time::Duration::from_secs(10)).expect("the second build says it waits");
        assert!(!second.is_finished(), "it waits while the first holds the lock");
        drop(first);
        second.join().unwrap().unwrap();
        assert!(heard.try_recv().is_err(), "said once");
        assert_eq!(dir.path().join(".public.planpress-lock").exists(), !REMOVE_ON_UNLOCK, "no lock file left (but on Windows)");
    }

    #[test]
    fn the_waiting_line_is_worded_in_both_languages() {
        let out = Path::new("/srv/site/public");
        assert_eq!(waiting_line(MessageLang::En, out), "waiting for another build into /srv/site/public to finish…");
        assert_eq!(waiting_line(MessageLang::Zh, out), "正在等待另一个输出到 /srv/site/public 的构建完成…");
    }
}
