//! Embeds the default theme (`themes/default/**`) into the binary, so a site without a
//! `themes/` folder builds, and a site's own files override these by path; and the commit it
//! was built from (`planpress --version`), read from the files of `.git` (no git binary, no crate).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read themes/default").map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// `PLANPRESS_COMMIT` if set (a release build from a tarball), else the commit `.git` names
/// (a clone, a worktree, or a `cargo install --git` checkout), else the `sha1` cargo records in
/// `.cargo_vcs_info.json` of a packaged crate, else "unknown". Watches what it read.
fn commit(manifest: &Path) -> String {
    println!("cargo:rerun-if-env-changed=PLANPRESS_COMMIT");
    if let Ok(c) = std::env::var("PLANPRESS_COMMIT") {
        return c;
    }
    let vcs_info = manifest.join(".cargo_vcs_info.json");
    if let Some(sha) = git_commit(&manifest.join(".git")) {
        return sha;
    }
    if let Ok(text) = std::fs::read_to_string(&vcs_info) {
        if let Some(rest) = text.split("\"sha1\"").nth(1) {
            let sha: String = rest.chars().skip_while(|c| !c.is_ascii_hexdigit()).take_while(char::is_ascii_hexdigit).collect();
            if sha.len() == 40 {
                return sha;
            }
        }
    }
    "unknown".to_owned()
}

/// HEAD of the repository at `dot_git` (a folder, or a worktree's `gitdir:` file): a detached
/// commit, or the branch's loose ref (in the worktree's or the common folder) or packed ref.
fn git_commit(dot_git: &Path) -> Option<String> {
    let gitdir = if dot_git.is_file() {
        let text = std::fs::read_to_string(dot_git).ok()?;
        PathBuf::from(text.strip_prefix("gitdir:")?.trim())
    } else {
        dot_git.to_path_buf()
    };
    let common = match std::fs::read_to_string(gitdir.join("commondir")) {
        Ok(rel) => gitdir.join(rel.trim()),
        Err(_) => gitdir.clone(),
    };
    let head = gitdir.join("HEAD");
    let text = std::fs::read_to_string(&head).ok()?;
    println!("cargo:rerun-if-changed={}", head.display());
    let Some(reference) = text.trim().strip_prefix("ref:").map(str::trim) else {
        return Some(text.trim().to_owned());
    };
    for dir in [&gitdir, &common] {
        let loose = dir.join(reference);
        if let Ok(sha) = std::fs::read_to_string(&loose) {
            println!("cargo:rerun-if-changed={}", loose.display());
            return Some(sha.trim().to_owned());
        }
    }
    let packed = common.join("packed-refs");
    let text = std::fs::read_to_string(&packed).ok()?;
    println!("cargo:rerun-if-changed={}", packed.display());
    text.lines().find_map(|l| l.strip_suffix(reference).map(|sha| sha.trim().to_owned()))
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let sha = commit(&manifest);
    println!("cargo:rustc-env=PLANPRESS_COMMIT={}", &sha[..sha.len().min(12)]);
    let root = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut code =
        String::from("/// (path inside the theme, contents), sorted by path.\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root).expect("inside theme").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", file.display().to_string()).expect("write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("default_theme.rs");
    std::fs::write(out, code).expect("write default_theme.rs");
}
