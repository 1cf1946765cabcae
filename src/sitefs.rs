//! The site's files as planpress reads them: the one place that walks folders and opens files
//! under the site root (`content/`, `static/`, `themes/<name>/`), so one policy holds everywhere.
//!
//! - The site root is the boundary. A symbolic link is not followed — the top folders
//!   (`content`, `static`, `themes`, `themes/<name>`) included — unless site.yaml says
//!   `follow_symlinks: true`, and then only when its target lies inside the site root; a link
//!   out of the site is then an error naming the link and its target. On Windows, symbolic
//!   links and junctions are links (std's `is_symlink`); see `open` for how a link swapped in
//!   is refused there.
//! - Only regular files and folders are read. A FIFO, socket or device node is skipped with a
//!   warning naming it and is never opened for reading (opening a FIFO blocks until a writer
//!   comes): its type is checked without opening it, and files are opened non-blocking and
//!   checked again on the open handle, so a file swapped in between is not read either.
//! - No file is read past the size limit (`max_file_size_mb`, 4 MiB by default): the size is
//!   checked first and the read itself is bounded, so a huge or growing file costs no more than
//!   the limit.

use std::fs::{self, File, FileType};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{Site, SiteConfig};

/// The per-file size limit when site.yaml sets none, in MiB.
pub const DEFAULT_MAX_FILE_MB: u64 = 4;
const MIB: u64 = 1024 * 1024;
/// Showing a source line in a diagnostic reads the file again: never more than this.
const MAX_SOURCE_BYTES: u64 = 256 * MIB;

/// How the files of one site are read.
#[derive(Debug, Clone)]
pub struct SiteFs {
    /// The site root, as given: paths in diagnostics stay under it.
    root: PathBuf,
    /// The root with every link resolved, to judge where a followed link ends up.
    real_root: PathBuf,
    follow: bool,
    max_bytes: u64,
}

/// What a path under the site turned out to be, by the policy.
#[derive(Debug)]
pub enum Found {
    Missing,
    /// A regular file (or a followed link to one): read it at the path as given.
    File,
    /// A folder (or a followed link to one): walk it at the path as given.
    Dir,
    /// Not read, with a warning naming it: a link not followed, a FIFO, a socket, a device.
    Skipped(Diagnostic),
    /// Not read, with an error: a link out of the site, a broken link, an unreadable path.
    Refused(Diagnostic),
}

/// The regular files under a folder, in name order (depth first), and what was skipped.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub diags: Vec<Diagnostic>,
}

impl SiteFs {
    /// `max_file_mb` of `None` (or 0, which site.yaml may not set) is the default limit.
    pub fn new(root: &Path, follow_symlinks: bool, max_file_mb: Option<u64>) -> SiteFs {
        let mb = max_file_mb.filter(|&mb| mb > 0).unwrap_or(DEFAULT_MAX_FILE_MB);
        SiteFs {
            root: root.to_path_buf(),
            real_root: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            follow: follow_symlinks,
            max_bytes: mb.saturating_mul(MIB),
        }
    }

    /// The policy site.yaml asks for.
    pub fn for_config(root: &Path, config: &SiteConfig) -> SiteFs {
        SiteFs::new(root, config.follow_symlinks, config.max_file_size_mb.as_ref().map(|mb| mb.value))
    }

    pub fn for_site(site: &Site) -> SiteFs {
        SiteFs::for_config(&site.root, &site.config)
    }

    /// For reading site.yaml itself, before its settings are known: links are followed, but
    /// only inside the site, so nothing from outside is read; the caller checks the path again
    /// with the policy site.yaml then sets.
    pub fn bootstrap(root: &Path) -> SiteFs {
        SiteFs::new(root, true, None)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path under the site root, e.g. `["themes", "custom"]`: every folder on the way is
    /// judged too, so a linked `themes/` is caught as well as a linked `themes/custom`. Returns
    /// the path where the judgement stopped (the linked `themes`, say) and what it is.
    pub fn top(&self, parts: &[&str]) -> (PathBuf, Found) {
        let mut path = self.root.clone();
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            let found = self.probe(&path);
            let last = i + 1 == parts.len();
            match found {
                Found::Dir if !last => {}
                Found::File if !last => return (path, Found::Missing),
                found => return (path, found),
            }
        }
        (path, Found::Dir)
    }

    /// What `path` is, judged without opening it.
    pub fn probe(&self, path: &Path) -> Found {
        match fs::symlink_metadata(path) {
            Ok(meta) => self.judge(path, meta.file_type()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Found::Missing,
            Err(err) => Found::Refused(io_error(path, &err)),
        }
    }

    /// What `path` is, given its own type (a link not yet followed).
    fn judge(&self, path: &Path, file_type: FileType) -> Found {
        if file_type.is_symlink() {
            self.probe_link(path)
        } else {
            kind(path, file_type)
        }
    }

    fn probe_link(&self, path: &Path) -> Found {
        let target = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
        if !self.follow {
            return Found::Skipped(link_skipped(path, &target));
        }
        let Ok(real) = fs::canonicalize(path) else { return Found::Refused(link_broken(path, &target)) };
        if !real.starts_with(&self.real_root) {
            return Found::Refused(link_outside(path, &real));
        }
        match fs::metadata(&real) {
            Ok(meta) => kind(path, meta.file_type()),
            Err(err) => Found::Refused(io_error(path, &err)),
        }
    }

    /// The regular files under `dir` (which the caller has probed), by the policy.
    pub fn walk(&self, dir: &Path) -> Walk {
        let mut walk = Walk::default();
        // The folders being walked, resolved: a followed link back up to one of them would
        // walk for ever.
        let mut ancestors: Vec<PathBuf> = if self.follow { fs::canonicalize(dir).into_iter().collect() } else { Vec::new() };
        self.walk_into(dir, &mut ancestors, &mut walk);
        walk
    }

    fn walk_into(&self, dir: &Path, ancestors: &mut Vec<PathBuf>, walk: &mut Walk) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return walk.diags.push(io_error(dir, &err)),
        };
        // The type as the folder listing gives it (no system call per entry on most file
        // systems): a large site has tens of thousands of files.
        let mut listed = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => listed.push((entry.path(), entry.file_type().ok())),
                Err(err) => walk.diags.push(io_error(dir, &err)),
            }
        }
        listed.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
        for (path, file_type) in listed {
            let found = match file_type {
                Some(file_type) => self.judge(&path, file_type),
                None => self.probe(&path),
            };
            match found {
                Found::Missing => {}
                Found::File => walk.files.push(path),
                Found::Dir if !self.follow => self.walk_into(&path, ancestors, walk),
                Found::Dir => {
                    let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    if ancestors.contains(&real) {
                        walk.diags.push(link_loop(&path, &real));
                        continue;
                    }
                    ancestors.push(real);
                    self.walk_into(&path, ancestors, walk);
                    ancestors.pop();
                }
                Found::Skipped(d) | Found::Refused(d) => walk.diags.push(d),
            }
        }
    }

    /// Walks `dir` and reads every file: (path relative to `dir` with `/`, path, bytes).
    /// Skipped files and read errors go to `diags`.
    pub fn read_tree(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, Vec<u8>)> {
        let walk = self.walk(dir);
        walk.diags.into_iter().for_each(|d| diags.push(d));
        let mut files = Vec::new();
        for path in walk.files {
            match self.read(&path) {
                Ok(bytes) => {
                    let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    files.push((rel, path, bytes));
                }
                Err(d) => diags.push(d),
            }
        }
        files
    }

    /// The bytes of a regular file under the site, by the policy. The error is a warning when
    /// the file was skipped (a link not followed, a FIFO…), an error otherwise.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        // A followed link is judged by where it leads before it is opened. Otherwise opening
        // refuses a link by itself (O_NOFOLLOW), and the open handle is judged below; Windows
        // has no such open, so the path is judged first there too.
        if self.follow || cfg!(not(unix)) {
            not_a_file(path, self.probe(path))?;
        }
        let file = match open(path, self.follow) {
            Ok(file) => file,
            // Say why as the policy does (a link not followed fails to open).
            Err(err) => return Err(not_a_file(path, self.probe(path)).err().unwrap_or_else(|| io_error(path, &err))),
        };
        let meta = file.metadata().map_err(|err| io_error(path, &err))?;
        if meta.file_type().is_symlink() {
            // Windows only (a Unix handle is never a link): a link swapped in since the check,
            // opened as the link itself (see `open`), not followed.
            let target = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            return Err(link_skipped(path, &target));
        }
        // A FIFO is opened without blocking and never read; nor is anything swapped in since
        // the walk.
        not_a_file(path, kind(path, meta.file_type()))?;
        if meta.len() > self.max_bytes {
            return Err(self.too_large(path, meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(self.max_bytes + 1).read_to_end(&mut bytes).map_err(|err| io_error(path, &err))?;
        if bytes.len() as u64 > self.max_bytes {
            // It grew while being read.
            return Err(self.too_large(path, bytes.len() as u64));
        }
        Ok(bytes)
    }

    fn too_large(&self, path: &Path, size: u64) -> Diagnostic {
        let (size, limit) = (mib(size), self.max_bytes / MIB);
        Diagnostic::error(
            "E-file-size",
            path,
            Position::file(),
            format!("file is too large: {size}, over the limit of {limit} MiB per file"),
        )
        .help("split the text into several files, or raise the limit in content/site.yaml with `max_file_size_mb: N` (in MiB)")
        .zh(
            format!("文件过大：{size}，超过每个文件 {limit} MiB 的上限"),
            Some("请把内容拆分成几个文件，或在 content/site.yaml 中用 `max_file_size_mb: N`（单位 MiB）提高上限".to_owned()),
        )
    }
}

/// The text of a file for showing a source line in a diagnostic: empty for anything that is not
/// a regular file or is too large, never blocking on a FIFO.
pub fn read_source(path: &Path) -> String {
    let read = || -> io::Result<Vec<u8>> {
        let file = open(path, true)?;
        if !file.metadata()?.is_file() {
            return Ok(Vec::new());
        }
        let mut bytes = Vec::new();
        file.take(MAX_SOURCE_BYTES).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    read().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
}

/// Opens for reading without blocking (a FIFO would wait for a writer), and without following a
/// link in the last component unless links are followed.
#[cfg(unix)]
fn open(path: &Path, follow: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let no_follow = if follow { 0 } else { libc::O_NOFOLLOW };
    fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | no_follow).open(path)
}

/// Windows (read, not run here): no FIFO lives in the file system, so nothing blocks. Unless
/// links are followed, the file is opened with FILE_FLAG_OPEN_REPARSE_POINT: a link (symbolic
/// link or junction) swapped in since `read` judged the path is opened as the link itself and
/// refused, not followed out of the site. A reparse point that is not a link (a OneDrive or
/// other cloud placeholder) is opened as usual, so its content is fetched and read.
#[cfg(windows)]
fn open(path: &Path, follow: bool) -> io::Result<File> {
    use std::os::windows::fs::{MetadataExt as _, OpenOptionsExt as _};
    const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x0000_0400;
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    let placeholder =
        || fs::symlink_metadata(path).is_ok_and(|m| m.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 && !m.file_type().is_symlink());
    let mut options = fs::OpenOptions::new();
    options.read(true);
    if !follow && !placeholder() {
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    options.open(path)
}

#[cfg(not(any(unix, windows)))]
fn open(path: &Path, _follow: bool) -> io::Result<File> {
    File::open(path)
}

/// What a path is by its type, links already followed (or judged).
fn kind(path: &Path, file_type: FileType) -> Found {
    if file_type.is_file() {
        Found::File
    } else if file_type.is_dir() {
        Found::Dir
    } else {
        Found::Skipped(special(path, file_type))
    }
}

/// `Ok` for a regular file, else the diagnostic that says why it is not read.
fn not_a_file(path: &Path, found: Found) -> Result<(), Diagnostic> {
    match found {
        Found::File => Ok(()),
        Found::Missing => Err(io_error(path, &io::Error::from(io::ErrorKind::NotFound))),
        Found::Dir => Err(io_error(path, &io::Error::new(io::ErrorKind::IsADirectory, "it is a folder"))),
        Found::Skipped(d) | Found::Refused(d) => Err(d),
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB ({bytes} bytes)", bytes as f64 / MIB as f64)
}

/// The warning for a file that is neither a regular file nor a folder.
fn special(path: &Path, file_type: FileType) -> Diagnostic {
    let (en, zh) = special_kind(file_type);
    Diagnostic::warning("W-special-file", path, Position::file(), format!("{en} skipped: planpress reads only regular files and folders"))
        .help("replace it with a regular file, or move it out of the site folder")
        .zh(format!("已跳过{zh}：planpress 只读取普通文件和文件夹"), Some("请换成普通文件，或把它移出站点文件夹".to_owned()))
}

#[cfg(unix)]
fn special_kind(t: FileType) -> (&'static str, &'static str) {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        ("named pipe (FIFO)", "命名管道（FIFO）")
    } else if t.is_socket() {
        ("socket", "套接字")
    } else if t.is_block_device() || t.is_char_device() {
        ("device node", "设备文件")
    } else {
        ("special file", "特殊文件")
    }
}

#[cfg(not(unix))]
fn special_kind(_: FileType) -> (&'static str, &'static str) {
    ("special file", "特殊文件")
}

fn link_skipped(path: &Path, target: &str) -> Diagnostic {
    Diagnostic::warning("W-symlink", path, Position::file(), format!("symbolic link to `{target}` skipped: links are not followed"))
        .help("planpress reads only the site's own files: copy the files in, or, for a link to a place inside the site folder, set `follow_symlinks: true` in content/site.yaml")
        .zh(
            format!("已跳过指向 `{target}` 的符号链接：默认不跟随链接"),
            Some("planpress 只读取站点自己的文件：请把文件复制进来；如果链接指向站点文件夹内，也可以在 content/site.yaml 中设置 `follow_symlinks: true`".to_owned()),
        )
}

fn link_outside(path: &Path, real: &Path) -> Diagnostic {
    let target = real.display();
    Diagnostic::error("E-symlink", path, Position::file(), format!("symbolic link points outside the site, to `{target}`"))
        .help("`follow_symlinks: true` follows only links to places inside the site folder: copy the files in, or remove the link")
        .zh(
            format!("符号链接指向站点之外：`{target}`"),
            Some("`follow_symlinks: true` 只跟随指向站点文件夹内的链接：请把文件复制进来，或删除该链接".to_owned()),
        )
}

fn link_broken(path: &Path, target: &str) -> Diagnostic {
    Diagnostic::error("E-symlink", path, Position::file(), format!("symbolic link is broken: `{target}` does not exist"))
        .help("fix or remove the link")
        .zh(format!("符号链接已失效：`{target}` 不存在"), Some("请修正或删除该链接".to_owned()))
}

fn link_loop(path: &Path, real: &Path) -> Diagnostic {
    let target = real.display();
    Diagnostic::warning(
        "W-symlink",
        path,
        Position::file(),
        format!("symbolic link skipped: it leads back to `{target}`, a folder that contains it"),
    )
    .help("remove the link; a folder cannot contain itself")
    .zh(format!("已跳过符号链接：它指回包含它的文件夹 `{target}`"), Some("请删除该链接；文件夹不能包含它自己".to_owned()))
}

fn io_error(path: &Path, err: &io::Error) -> Diagnostic {
    Diagnostic::error("E-io", path, Position::file(), format!("cannot read: {err}"))
        .help("check that the file exists and that you may read it")
        .zh(format!("无法读取文件：{}", crate::diagnostics::zh_io(err)), Some("请检查文件是否存在、是否有读取权限".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success());
    }

    #[test]
    #[cfg(unix)]
    fn reading_a_fifo_directly_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("metrics.yaml");
        mkfifo(&fifo);
        for follow in [false, true] {
            let d = SiteFs::new(dir.path(), follow, None).read(&fifo).unwrap_err();
            assert_eq!((d.code, d.severity), ("W-special-file", crate::diagnostics::Severity::Warning), "{d:?}");
        }
    }

    #[test]
    #[cfg(unix)]
    fn reading_a_link_directly_is_the_policy_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("real.md"), "text").unwrap();
        std::os::unix::fs::symlink("real.md", dir.path().join("link.md")).unwrap();
        let d = SiteFs::new(dir.path(), false, None).read(&dir.path().join("link.md")).unwrap_err();
        assert_eq!(d.code, "W-symlink", "{d:?}");
        assert_eq!(SiteFs::new(dir.path(), true, None).read(&dir.path().join("link.md")).unwrap(), b"text");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.md");
        fs::write(&big, vec![b'x'; MIB as usize + 1]).unwrap();
        let d = SiteFs::new(dir.path(), false, Some(1)).read(&big).unwrap_err();
        assert_eq!(d.code, "E-file-size");
        assert_eq!(SiteFs::new(dir.path(), false, Some(2)).read(&big).unwrap().len(), MIB as usize + 1);
    }

    #[test]
    fn sizes_read_in_mib() {
        assert_eq!(mib(5 * MIB), "5.0 MiB (5242880 bytes)");
        let fs = SiteFs::new(Path::new("."), false, Some(0));
        assert_eq!(fs.max_bytes, DEFAULT_MAX_FILE_MB * MIB, "0 falls back to the default");
    }
}
