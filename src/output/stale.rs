//! Folders left by a build or a print that was killed: named `<prefix><pid>`, they are stale
//! once that process is gone, and only then removed (never one of a live process).

use std::fs;
use std::path::{Path, PathBuf};

/// Whether process `pid` exists (it may belong to another user: then it is alive too).
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return false };
    if pid <= 0 {
        return false;
    }
    alive(pid)
}

#[cfg(unix)]
fn alive(pid: i32) -> bool {
    // Signal 0 checks existence and permission without sending anything.
    // SAFETY: kill with signal 0 has no effect on the target.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Windows (read, not run here): a process that opens and has not exited; one that may not be
/// opened (another user's) is alive too, and so is one whose state cannot be read.
#[cfg(windows)]
fn alive(pid: i32) -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, GetLastError, ERROR_ACCESS_DENIED, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION};
    let Ok(pid) = u32::try_from(pid) else { return false };
    // SAFETY: plain Win32 calls; the process handle is closed once, here.
    unsafe {
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if process.is_null() {
            return GetLastError() == ERROR_ACCESS_DENIED;
        }
        let mut code = 0u32;
        let read = GetExitCodeProcess(process, &mut code);
        CloseHandle(process);
        read == 0 || code == STILL_ACTIVE as u32
    }
}

#[cfg(not(any(unix, windows)))]
fn alive(_pid: i32) -> bool {
    // No check: treat every folder as a live process's, i.e. never sweep.
    true
}

/// The PID a folder name `<prefix><pid>` carries, if it has that form.
fn pid_of(name: &str, prefix: &str) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Real folders (not symlinks) in `parent` named `<prefix><pid>` whose process is gone.
pub fn stale_folders(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_str().and_then(|n| pid_of(n, prefix)).is_some_and(|pid| !process_alive(pid)))
        .map(|e| e.path())
        .collect()
}

/// Removes a stale folder if it is ours: it carries `marker`, or it is empty (a build killed
/// before writing the marker). Anything else is left alone.
pub fn remove_if_ours(dir: &Path, marker: Option<&str>) -> bool {
    match marker {
        Some(m) if dir.join(m).is_file() => fs::remove_dir_all(dir).is_ok(),
        Some(_) => fs::remove_dir(dir).is_ok(),
        None => fs::remove_dir_all(dir).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pid_only_from_the_exact_form() {
        assert_eq!(pid_of(".public.planpress-new-42", ".public.planpress-new-"), Some(42));
        assert_eq!(pid_of(".public.planpress-new-", ".public.planpress-new-"), None);
        assert_eq!(pid_of(".public.planpress-new-4x", ".public.planpress-new-"), None);
        assert_eq!(pid_of(".other.planpress-new-42", ".public.planpress-new-"), None);
    }

    #[test]
    fn this_process_is_alive_and_pid_zero_is_not() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(0));
        assert!(!process_alive(u32::MAX));
    }
}
