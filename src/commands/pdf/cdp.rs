//! One Chromium for every booklet, driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: the browser reads commands on fd 3 and writes answers on fd 4,
//! each a JSON message ended by a NUL byte). No WebSocket, no port, no protocol crate: the five
//! commands `pdf` needs are a few lines of serde_json, where `chromiumoxide` or `headless_chrome`
//! would bring an async runtime or a generated client of the whole protocol into the build.
//!
//! The booklets print in parallel tabs: every tab is opened and navigated, then every tab's
//! `Page.printToPDF` is sent before any answer is read, so the renderers lay out and print at once.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead as _, BufReader, Write as _};
use std::os::fd::{FromRawFd as _, RawFd};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The process group of the protocol's browser (0: none): the watchdog kills it only while it
/// is still this browser's.
static BROWSER_GROUP: AtomicI32 = AtomicI32::new(0);

pub struct Browser {
    child: Child,
    to: File,
    from: BufReader<File>,
    next_id: u64,
    /// Answers read while waiting for another, by id.
    answers: BTreeMap<u64, Value>,
    /// Events read so far: (session, method).
    events: Vec<(String, String)>,
    profile: PathBuf,
    /// The tabs opened so far, (target, session) with `Page` enabled: a later pass navigates
    /// them again rather than opening new ones.
    tabs: Vec<(String, String)>,
    /// Set by the watchdog thread's owner: after it, the browser is killed.
    deadline_guard: Option<std::thread::JoinHandle<()>>,
}

/// Two pipes: ours to write (the browser's fd 3) and ours to read (its fd 4).
fn pipes() -> std::io::Result<[(RawFd, RawFd); 2]> {
    let mut out = [(0, 0); 2];
    for pair in &mut out {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe2 fills the two descriptors; O_CLOEXEC keeps them out of other children.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // Above 10, so that placing them on 3 and 4 in the child never overwrites one another.
        for fd in &mut fds {
            // SAFETY: duplicates a descriptor we own, then closes the original.
            let high = unsafe { libc::fcntl(*fd, libc::F_DUPFD_CLOEXEC, 10) };
            unsafe { libc::close(*fd) };
            if high < 0 {
                return Err(std::io::Error::last_os_error());
            }
            *fd = high;
        }
        *pair = (fds[0], fds[1]);
    }
    Ok(out)
}

impl Browser {
    /// Starts the browser with its debugging pipe, in its own process group (as `print_one`).
    pub fn launch(chrome: &Path, work: &Path) -> std::io::Result<Browser> {
        let [(their_in, our_out), (our_in, their_out)] = pipes()?;
        let profile = work.join("browser-profile");
        let mut command = Command::new(chrome);
        command
            .args(super::HEADLESS)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        // SAFETY: only async-signal-safe calls (dup2) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(their_in, 3) < 0 || libc::dup2(their_out, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let spawned = command.spawn();
        // SAFETY: the child has its copies; ours of its ends are closed, ours are wrapped once.
        unsafe {
            libc::close(their_in);
            libc::close(their_out);
        }
        let (to, from) = unsafe { (File::from_raw_fd(our_out), File::from_raw_fd(our_in)) };
        let child = spawned?;
        BROWSER_GROUP.store(libc::pid_t::try_from(child.id()).unwrap_or(0), Ordering::SeqCst);
        Ok(Browser {
            child,
            to,
            from: BufReader::new(from),
            next_id: 0,
            answers: BTreeMap::new(),
            events: Vec::new(),
            profile,
            tabs: Vec::new(),
            deadline_guard: None,
        })
    }

    /// Kills the browser's group after `seconds` (or at Ctrl-C), so that no read waits forever:
    /// the pipe closes and the read fails.
    pub fn watch(&mut self, seconds: u64) {
        let group = libc::pid_t::try_from(self.child.id()).unwrap_or(0);
        let deadline = Instant::now() + Duration::from_secs(seconds);
        self.deadline_guard = Some(std::thread::spawn(move || {
            while Instant::now() < deadline && !super::stop::interrupted() {
                std::thread::sleep(Duration::from_millis(100));
                // The browser is gone (closed normally): nothing to watch.
                if BROWSER_GROUP.load(Ordering::SeqCst) != group {
                    return;
                }
            }
            if BROWSER_GROUP.load(Ordering::SeqCst) == group && group > 0 {
                // SAFETY: signals the group the browser leads.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
        }));
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<u64, String> {
        self.next_id += 1;
        let mut message = json!({"id": self.next_id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).map_err(|e| e.to_string())?;
        bytes.push(0);
        self.to.write_all(&bytes).map_err(|e| format!("DevTools pipe: {e}"))?;
        Ok(self.next_id)
    }

    /// Reads one message, filing an answer or an event.
    fn read_one(&mut self) -> Result<(), String> {
        let mut buffer = Vec::new();
        let n = self.from.read_until(0, &mut buffer).map_err(|e| format!("DevTools pipe: {e}"))?;
        if n == 0 || buffer.last() != Some(&0) {
            return Err("the browser closed the DevTools pipe".to_owned());
        }
        buffer.pop();
        let message: Value = serde_json::from_slice(&buffer).map_err(|e| format!("DevTools message: {e}"))?;
        if let Some(id) = message.get("id").and_then(Value::as_u64) {
            self.answers.insert(id, message);
        } else if let Some(method) = message.get("method").and_then(Value::as_str) {
            let session = message.get("sessionId").and_then(Value::as_str).unwrap_or_default();
            self.events.push((session.to_owned(), method.to_owned()));
        }
        Ok(())
    }

    fn answer(&mut self, id: u64) -> Result<Value, String> {
        loop {
            if let Some(mut message) = self.answers.remove(&id) {
                if let Some(error) = message.get("error") {
                    return Err(format!("DevTools: {error}"));
                }
                return Ok(message["result"].take());
            }
            self.read_one()?;
        }
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let id = self.send(session, method, params)?;
        self.answer(id)
    }

    fn wait_event(&mut self, session: &str, method: &str) -> Result<(), String> {
        loop {
            if let Some(k) = self.events.iter().position(|(s, m)| s == session && m == method) {
                self.events.remove(k);
                return Ok(());
            }
            self.read_one()?;
        }
    }

    /// Prints `pages` (HTML files) in parallel tabs: the PDFs' bytes, in order.
    pub fn print(&mut self, pages: &[PathBuf]) -> Result<Vec<Vec<u8>>, String> {
        let started = Instant::now();
        while self.tabs.len() < pages.len() {
            let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
            let target_id = target["targetId"].as_str().unwrap_or_default().to_owned();
            let attached = self.call(None, "Target.attachToTarget", json!({"targetId": target_id, "flatten": true}))?;
            let session = attached["sessionId"].as_str().unwrap_or_default().to_owned();
            self.call(Some(&session), "Page.enable", json!({}))?;
            self.tabs.push((target_id, session));
        }
        let sessions: Vec<(String, String)> = self.tabs[..pages.len()].to_vec();
        // Events of an earlier pass are of pages printed already.
        self.events.clear();
        let navigations: Vec<u64> = sessions
            .iter()
            .zip(pages)
            .map(|((_, session), page)| self.send(Some(session), "Page.navigate", json!({"url": format!("file://{}", page.display())})))
            .collect::<Result<_, _>>()?;
        for id in navigations {
            self.answer(id)?;
        }
        super::timed("    tabs opened (the first pass: the browser's start)", started, ());
        for (_, session) in &sessions {
            self.wait_event(session, "Page.loadEventFired")?;
        }
        super::timed("    pages loaded", started, ());
        // Fonts loaded in every tab, then every print sent before any answer is read.
        let fonts: Vec<u64> = sessions
            .iter()
            .map(|(_, s)| {
                self.send(Some(s), "Runtime.evaluate", json!({"expression": "document.fonts.ready.then(() => true)", "awaitPromise": true}))
            })
            .collect::<Result<_, _>>()?;
        for id in fonts {
            self.answer(id)?;
        }
        let params = json!({
            "printBackground": true,
            "preferCSSPageSize": true,
            "displayHeaderFooter": false,
            "generateDocumentOutline": true,
            "generateTaggedPDF": true,
        });
        super::timed("    fonts ready", started, ());
        let prints: Vec<u64> =
            sessions.iter().map(|(_, s)| self.send(Some(s), "Page.printToPDF", params.clone())).collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, page) in prints.into_iter().zip(pages) {
            let printed = self.answer(id)?;
            let name = page.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            super::timed(&format!("    {name} printed"), started, ());
            let data = printed["data"].as_str().ok_or("Page.printToPDF gave no data")?;
            out.push(base64::engine::general_purpose::STANDARD.decode(data).map_err(|e| format!("Page.printToPDF data: {e}"))?);
        }
        super::timed("    printed to PDF", started, ());
        Ok(out)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.send(None, "Browser.close", json!({}));
        // Nothing is left to save in its throwaway profile: a short grace, then the group is
        // killed (a clean exit took a second or more of the run's time).
        let deadline = Instant::now() + Duration::from_millis(200);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: the group the browser leads; ESRCH when gone is harmless.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
        BROWSER_GROUP.store(0, Ordering::SeqCst);
        if let Some(guard) = self.deadline_guard.take() {
            let _ = guard.join();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
