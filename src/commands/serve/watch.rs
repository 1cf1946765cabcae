//! Watching the sources for `serve`: which folders, and when a change is over. A single save
//! is acted on 10 ms after its last event (most editors write a file at once, and an editor
//! waits for that page); a file still open for writing gets longer to be closed, and a burst
//! of files (a checkout, a copy, a generator) is gathered until it has been quiet for 100 ms,
//! so that it makes one rebuild and never a half-written site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify_debouncer_full::notify::{self, Config, Event, RecommendedWatcher, RecursiveMode, Watcher};

use super::terminal;
use crate::diagnostics::MessageLang;
use crate::sitefs::{Found, SiteFs};

/// The folders of the site that a build reads.
pub const SOURCES: [&str; 3] = ["content", "themes", "static"];

/// Quiet after the last event of a save whose files are all closed.
pub const QUICK: Duration = Duration::from_millis(10);
/// Quiet after the last event while a file is still open for writing (written in parts, or a
/// writer descheduled on a busy machine): its close ends the wait sooner.
pub const WRITING: Duration = Duration::from_millis(50);
/// Quiet after the last event of a burst.
pub const BURST: Duration = Duration::from_millis(100);
/// More files than this in one batch make a burst. An editor's save touches up to three (the
/// file, a backup, a test file that vim writes to check the folder).
const BURST_FILES: usize = 3;

pub type Events = Receiver<notify::Result<Event>>;

/// The events of one change, gathered until it is over.
#[derive(Default)]
pub struct Batch {
    events: Vec<Event>,
    /// Each path touched, and whether it is still open for writing.
    writing: BTreeMap<PathBuf, bool>,
}

impl Batch {
    /// Adds a watcher's report; a read (a build reads every file) or an error is left out.
    pub fn add(&mut self, reported: notify::Result<Event>) {
        let Ok(event) = reported else { return };
        let writing = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(false),
            EventKind::Access(_) => return,
            EventKind::Create(CreateKind::Folder) => Some(false),
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => Some(true),
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => Some(false),
            _ => None,
        };
        for path in &event.paths {
            let entry = self.writing.entry(path.clone()).or_default();
            if let Some(writing) = writing {
                *entry = writing;
            }
        }
        self.events.push(event);
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How long to wait for another event before the change is taken as over.
    pub fn quiet(&self) -> Duration {
        if self.writing.len() > BURST_FILES {
            BURST
        } else if self.writing.values().any(|&w| w) {
            WRITING
        } else {
            QUICK
        }
    }

    /// The changed files in the source folders, sorted; `None` if the batch changed nothing
    /// there (it only read files, or changed other files of the site's folder).
    pub fn changed_files(&self, root: &Path) -> Option<Vec<PathBuf>> {
        let in_sources = |p: &PathBuf| {
            p.strip_prefix(root).ok().and_then(|rel| rel.components().next()).is_some_and(|c| SOURCES.iter().any(|s| c.as_os_str() == *s))
        };
        // A close after writing says the file is complete, not that it changed: its writes did.
        let changes: Vec<_> = self.events.iter().filter(|e| !e.kind.is_access() && e.paths.iter().any(in_sources)).collect();
        if changes.is_empty() {
            return None;
        }
        // Folders that exist are left out (one just made holds no file yet); a removed folder is
        // kept, and rebuilds everything.
        let mut changed: Vec<PathBuf> =
            changes.iter().flat_map(|e| e.paths.iter()).filter(|p| in_sources(p) && !p.is_dir()).cloned().collect();
        changed.sort();
        changed.dedup();
        Some(changed)
    }
}

/// Waits for the next change to the sources and returns its files once it is over (see
/// [`Batch::quiet`]); `None` when the watcher is gone.
pub fn next_change(events: &Events, root: &Path) -> Option<Vec<PathBuf>> {
    loop {
        let mut batch = Batch::default();
        while batch.is_empty() {
            batch.add(events.recv().ok()?);
        }
        loop {
            match events.recv_timeout(batch.quiet()) {
                Ok(reported) => batch.add(reported),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        if let Some(changed) = batch.changed_files(root) {
            return Some(changed);
        }
    }
}

/// Watches the site's source folders. Links are not followed, and a top folder is watched only
/// if it lies inside the site (a `static/` linked to `/` would otherwise watch the whole disk);
/// what a build may read is decided by [`crate::sitefs`], and the server answers only with what
/// the build produced. The site's own folder is watched too, not recursively, so that a
/// `themes/` or `static/` made while serving is noticed and watched in turn.
pub struct SourceWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: Vec<&'static str>,
    lang: MessageLang,
}

impl SourceWatcher {
    pub fn new(root: &Path, lang: MessageLang, tx: Sender<notify::Result<Event>>) -> Result<SourceWatcher, String> {
        let config = Config::default().with_follow_symlinks(false);
        let mut watcher = RecommendedWatcher::new(tx, config).map_err(|e| terminal::cannot_watch(lang, None, e))?;
        watcher.watch(root, RecursiveMode::NonRecursive).map_err(|e| terminal::cannot_watch(lang, Some(root), e))?;
        let mut watcher = SourceWatcher { watcher, root: root.to_path_buf(), watched: Vec::new(), lang };
        watcher.watch_new()?;
        Ok(watcher)
    }

    /// Starts watching the source folders that exist now and were not watched; true if any.
    pub fn watch_new(&mut self) -> Result<bool, String> {
        // Inside the site only, whatever site.yaml says: watching costs nothing to publish.
        let inside = SiteFs::new(&self.root, true, None);
        let mut added = false;
        for dir in SOURCES {
            if self.watched.contains(&dir) {
                continue;
            }
            let (path, found) = inside.top(&[dir]);
            if matches!(found, Found::Dir) {
                self.watcher.watch(&path, RecursiveMode::Recursive).map_err(|e| terminal::cannot_watch(self.lang, Some(&path), e))?;
                self.watched.push(dir);
                added = true;
            }
        }
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{DataChange, RemoveKind, RenameMode};

    fn event(kind: EventKind, path: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Content));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn a_saved_file_is_acted_on_quickly_once_closed() {
        let mut batch = Batch::default();
        batch.add(event(WRITE, "/s/content/results/2011/a.zh.md"));
        assert_eq!(batch.quiet(), WRITING, "still open for writing");
        batch.add(event(CLOSE, "/s/content/results/2011/a.zh.md"));
        assert_eq!(batch.quiet(), QUICK);
        assert_eq!(batch.changed_files(Path::new("/s")), Some(vec![PathBuf::from("/s/content/results/2011/a.zh.md")]));
    }

    #[test]
    fn an_atomic_save_is_quick_too() {
        // Written to a temporary file, closed, renamed over the file: vim, VS Code, most IDEs.
        let mut batch = Batch::default();
        batch.add(event(EventKind::Create(CreateKind::File), "/s/content/partners/.beijing.yaml.tmp"));
        batch.add(event(WRITE, "/s/content/partners/.beijing.yaml.tmp"));
        batch.add(event(CLOSE, "/s/content/partners/.beijing.yaml.tmp"));
        batch.add(Ok(Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/s/content/partners/.beijing.yaml.tmp"))
            .add_path(PathBuf::from("/s/content/partners/beijing.yaml"))));
        assert_eq!(batch.quiet(), QUICK);
    }

    #[test]
    fn a_burst_waits_until_it_is_over() {
        let mut batch = Batch::default();
        for i in 0..BURST_FILES {
            batch.add(event(EventKind::Remove(RemoveKind::File), &format!("/s/content/results/2011/{i}.zh.md")));
        }
        assert_eq!(batch.quiet(), QUICK);
        batch.add(event(EventKind::Remove(RemoveKind::File), "/s/content/results/2011/last.zh.md"));
        assert_eq!(batch.quiet(), BURST, "more files than a save touches");
        assert!(QUICK < WRITING && WRITING < BURST);
    }

    #[test]
    fn reads_and_errors_are_not_changes() {
        let mut batch = Batch::default();
        batch.add(event(EventKind::Access(AccessKind::Open(AccessMode::Read)), "/s/content/site.yaml"));
        batch.add(Err(notify::Error::generic("lost")));
        assert!(batch.is_empty());
        // Outside the source folders: nothing to rebuild.
        batch.add(event(WRITE, "/s/notes.txt"));
        assert_eq!(batch.changed_files(Path::new("/s")), None);
    }
}
