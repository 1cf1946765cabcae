//! An advisory lock beside the output (`.<name>.planpress-lock`): two builds into the same
//! folder take turns instead of racing their renames ("Directory not empty").

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::OutputError;

/// Takes the lock for output `out` (whose folder is `parent` and name `name`), waiting for
/// another build that holds it. Released when the returned file is dropped (or the process
/// dies: the kernel drops the lock, so a killed build never blocks the next).
pub fn lock_output(parent: &Path, name: &str, out: &Path) -> Result<File, OutputError> {
    let path = parent.join(format!(".{name}.planpress-lock"));
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| {
        OutputError::new(format!("cannot create the lock file {}: {e}", path.display()), "check permissions on the output's parent folder")
            .zh(format!("无法创建锁文件 {}：{e}", path.display()), "检查输出文件夹所在目录的权限")
    })?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into {} to finish…", out.display());
        }
        Err(TryLockError::Error(e)) => return Err(lock_error(&path, e)),
    }
    file.lock().map_err(|e| lock_error(&path, e))?;
    Ok(file)
}

fn lock_error(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::new(format!("cannot lock {}: {e}", path.display()), "the file system may not support locks; build into a local folder")
        .zh(format!("无法锁定 {}：{e}", path.display()), "该文件系统可能不支持文件锁；请输出到本地文件夹")
}
