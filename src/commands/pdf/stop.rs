//! Stopping the browser `pdf` starts, with every process it starts in turn: on Unix its own
//! process group, signalled as a whole; on Windows a Job object, terminated as a whole.

use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C (SIGINT) or SIGTERM while printing: the browser runs in its own process
/// group, out of reach of the terminal's Ctrl-C, so planpress stops it and cleans up itself.
/// (Never set on Windows: Ctrl-C reaches the browser too, and the Job object stops whatever is
/// left when planpress exits.)
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether `pdf` stopped because it was interrupted (the caller exits with 130).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(unix)]
pub use on_unix::{catch_interrupts, confine, Group};
#[cfg(windows)]
pub use on_windows::{catch_interrupts, confine, Group};

#[cfg(unix)]
mod on_unix {
    use super::*;
    use std::os::unix::process::CommandExt as _;
    use std::sync::atomic::AtomicI32;

    /// The process group of the running browser (0: none), for a second Ctrl-C to stop at once.
    static BROWSER_GROUP: AtomicI32 = AtomicI32::new(0);

    extern "C" fn on_signal(_: libc::c_int) {
        // A second Ctrl-C while cleaning up means "now": exit at once (async-signal-safe).
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            let group = BROWSER_GROUP.load(Ordering::SeqCst);
            // SAFETY: kill and _exit are async-signal-safe; the temp folder is removed by the next run.
            unsafe {
                if group > 0 {
                    libc::kill(-group, libc::SIGKILL);
                }
                libc::_exit(130);
            }
        }
    }

    pub fn catch_interrupts() {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: the handler only touches an atomic and calls _exit.
            unsafe { libc::signal(signal, on_signal as *const () as libc::sighandler_t) };
        }
    }

    /// Its own process group, so the watchdog can stop the browser with all its children.
    pub fn confine(command: &mut Command) {
        command.process_group(0);
    }

    /// The browser's process group (the child's id: `process_group(0)` made it the group id).
    pub struct Group(libc::pid_t);

    impl Group {
        pub fn of(child: &Child) -> Group {
            let pgid = libc::pid_t::try_from(child.id()).unwrap_or(0);
            BROWSER_GROUP.store(pgid, Ordering::SeqCst);
            Group(pgid)
        }

        pub fn kill(&self) {
            if self.0 > 0 {
                // SAFETY: signals the process group the child leads; ESRCH when it is already
                // gone is harmless.
                unsafe { libc::kill(-self.0, libc::SIGKILL) };
            }
        }
    }

    impl Drop for Group {
        fn drop(&mut self) {
            BROWSER_GROUP.store(0, Ordering::SeqCst);
        }
    }
}

/// Windows: not compiled or run here (Linux); checked against the std and windows-sys 0.61
/// signatures by reading, and built by the Windows CI job.
#[cfg(windows)]
mod on_windows {
    use super::*;
    use std::os::windows::io::AsRawHandle as _;
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation, SetInformationJobObject, TerminateJobObject,
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    };

    /// Ctrl-C goes to every process of the console, the browser included; planpress exits at
    /// once and the Job object's kill-on-close stops what is left.
    pub fn catch_interrupts() {}

    pub fn confine(_: &mut Command) {}

    /// A Job object holding the browser, terminated as a whole (null: none could be made, and
    /// only the browser's own process is killed, by the caller). Helpers the browser started in
    /// the instant before it was assigned escape the job; the browser itself does not.
    pub struct Group(HANDLE);

    impl Group {
        pub fn of(child: &Child) -> Group {
            // SAFETY: plain Win32 calls on a handle this function owns and on the child's
            // process handle, which `child` keeps open for the whole call.
            unsafe {
                let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
                if job.is_null() {
                    return Group(job);
                }
                let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
                limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
                let size = std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32;
                let limited = SetInformationJobObject(job, JobObjectExtendedLimitInformation, (&raw const limits).cast(), size);
                if limited == 0 || AssignProcessToJobObject(job, child.as_raw_handle()) == 0 {
                    CloseHandle(job);
                    return Group(std::ptr::null_mut());
                }
                Group(job)
            }
        }

        pub fn kill(&self) {
            if !self.0.is_null() {
                // SAFETY: a job handle this value owns.
                unsafe { TerminateJobObject(self.0, 1) };
            }
        }
    }

    impl Drop for Group {
        fn drop(&mut self) {
            if !self.0.is_null() {
                // SAFETY: closed once, here; kill-on-close stops anything still in the job.
                unsafe { CloseHandle(self.0) };
            }
        }
    }
}
