//! An advisory lock beside the output (`.<name>.planpress-lock`): two builds into the same
//! folder take turns instead of racing their renames ("Directory not empty"). The holder
//! removes the lock file before it lets go, so a build leaves nothing beside its output.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use super::OutputError;

/// The held lock; dropping it removes the lock file, then releases the lock. (The kernel also
/// drops the lock when the process dies, so a killed build never blocks the next.)
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Still holding the lock: a build that waits on this file finds it unlinked and retries.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Takes the lock for output `out` (whose folder is `parent` and name `name`), waiting for
/// another build that holds it.
pub fn lock_output(parent: &Path, name: &str, out: &Path) -> Result<OutputLock, OutputError> {
    let path = parent.join(format!(".{name}.planpress-lock"));
    let mut said = false;
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
                if !said {
                    eprintln!("waiting for another build into {} to finish…", out.display());
                    said = true;
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
fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn lock_error(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::new(
        format!("cannot lock {}: {e}", path.display()),
        "the file system may not support locks; build into a local folder",
        format!("无法锁定 {}：{}", path.display(), crate::diagnostics::zh_io(&e)),
        "该文件系统可能不支持文件锁；请输出到本地文件夹",
    )
}
