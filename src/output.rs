//! Write: minify, stage the whole output beside the target, then swap it in. A failed build
//! never touches the previous output, and planpress never deletes a folder it did not write.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

/// Written into every output so a later build knows the folder is its own to replace.
pub const MARKER: &str = ".planpress-output";

#[derive(Debug)]
pub struct OutputError {
    pub message: String,
    pub help: String,
}

impl OutputError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        OutputError { message: message.into(), help: help.into() }
    }
}

fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    // Canonicalise what exists, so `./public/..` and symlinks compare equal.
    let mut existing = path.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
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

/// Refuses an output folder whose replacement would destroy something that is not ours.
pub fn check_target(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root = absolute(root);
    let out = absolute(out);
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return Err(OutputError::new(
            format!("refusing to write the output to {}: it is (or contains) the site folder", out.display()),
            "choose an output folder such as public/ with --out",
        ));
    }
    if out.starts_with(&content) || out.starts_with(root.join("themes")) {
        return Err(OutputError::new(
            format!("refusing to write the output to {}: it is inside the site's sources", out.display()),
            "choose an output folder outside content/ and themes/, such as public/",
        ));
    }
    if out.is_file() {
        return Err(OutputError::new(format!("{} is a file, not a folder", out.display()), "choose another --out"));
    }
    if out.is_dir() && !out.join(MARKER).is_file() && fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(OutputError::new(
            format!("refusing to replace {}: it is not empty and was not written by planpress", out.display()),
            "empty or remove the folder yourself, or choose another --out",
        ));
    }
    Ok(())
}

fn minify_cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    // The JS minifier breaks real scripts; CSS minification is safe.
    cfg.minify_js = false;
    cfg.minify_css = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg
}

pub fn minify(files: &mut [OutputFile]) {
    let cfg = minify_cfg();
    files.par_iter_mut().filter(|f| f.is_html).for_each(|f| f.bytes = minify_html::minify(&f.bytes, &cfg));
}

/// Minifies one file if it is HTML.
pub fn minify_file(file: &mut OutputFile) {
    if file.is_html {
        file.bytes = minify_html::minify(&file.bytes, &minify_cfg());
    }
}

/// Writes `files` to `<out>.tmp-…`, then swaps it with `out`. The previous output is removed
/// only after the new one is complete and in place.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(out)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    staging.commit()
}

/// A new output being written beside the target, file by file (from any thread), swapped in by
/// [`Staging::commit`]. Dropped without a commit, it removes itself and leaves the target as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out);
        let parent = out.parent().ok_or_else(|| OutputError::new("output folder has no parent", "choose another --out"))?;
        fs::create_dir_all(parent)
            .map_err(|e| OutputError::new(format!("cannot create {}: {e}", parent.display()), "check permissions"))?;
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let dir = parent.join(format!(".{name}.planpress-new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.planpress-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let staging = Staging { out: out.clone(), dir, old, committed: false };
        fs::create_dir_all(&staging.dir)
            .and_then(|()| fs::write(staging.dir.join(MARKER), "This folder is written by planpress and replaced on every build.\n"))
            .map_err(|e| staging.error(e))?;
        Ok(staging)
    }

    fn error(&self, e: std::io::Error) -> OutputError {
        OutputError::new(
            format!("cannot write the output to {}: {e}", self.out.display()),
            "check free disk space and permissions; the previous output is unchanged",
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
        write().map_err(|e| self.error(e))
    }

    /// Swaps the new output in and removes the previous one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if self.out.exists() {
            fs::rename(&self.out, &self.old).map_err(|e| self.error(e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous output back before reporting.
            if self.old.exists() {
                let _ = fs::rename(&self.old, &self.out);
            }
            return Err(self.error(e));
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
