//! Progress bars, on a terminal only: `--quiet`, CI logs and redirected output get the summary
//! line alone.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether a bar may be drawn at all.
fn wanted(quiet: bool) -> bool {
    !quiet && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// A bar of `total` steps drawn from the start, e.g. `printing {bar:30} {pos}/{len} {msg}`.
pub fn bar(total: u64, template: &str, quiet: bool) -> ProgressBar {
    if !wanted(quiet) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// A bar that appears only once the work has taken longer than [`Delayed::AFTER`]: a fast build
/// prints its summary line and nothing else.
pub struct Delayed {
    bar: ProgressBar,
    enabled: bool,
    shown: AtomicBool,
    started: Instant,
}

impl Delayed {
    pub const AFTER: Duration = Duration::from_secs(1);

    pub fn new(total: u64, template: &str, quiet: bool) -> Delayed {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Delayed { bar, enabled: wanted(quiet), shown: AtomicBool::new(false), started: Instant::now() }
    }

    /// One step done (from any thread).
    pub fn inc(&self) {
        self.bar.inc(1);
        if self.enabled && self.started.elapsed() > Self::AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
