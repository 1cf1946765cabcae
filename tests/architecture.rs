//! ARCHITECTURE.md against the code: every module of `src/` is in its code map, and the import
//! rules it states for the leaves and for the write stage hold (read from the `crate::` paths).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files of a module: `src/NAME.rs` and everything under `src/NAME/`.
fn module_files(name: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src().join(format!("{name}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let dir = src().join(name);
    if dir.is_dir() {
        sources(&dir, &mut files);
    }
    assert!(!files.is_empty(), "no module {name}");
    files
}

/// The planpress modules a file names (`crate::NAME`), outside its tests.
fn crate_paths(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .flat_map(|l| l.match_indices("crate::").map(move |(i, _)| &l[i + "crate::".len()..]))
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect::<String>())
        .collect()
}

#[test]
fn the_code_map_names_every_source_file() {
    let map = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let missing: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(src()).unwrap().to_string_lossy().into_owned())
        .filter(|rel| {
            let name = Path::new(rel).file_name().unwrap().to_string_lossy().into_owned();
            let stem = Path::new(rel).file_stem().unwrap().to_string_lossy().into_owned();
            // `views.rs`, `output/{lock,…}.rs`, `search/` (for a folder's `mod.rs`) or the module's name in backticks.
            let folder = Path::new(rel).parent().and_then(|p| p.file_name()).map(|p| p.to_string_lossy().into_owned());
            !(map.contains(&format!("{stem}.rs"))
                || map.contains(&format!("`{stem}`"))
                || map.contains(&format!("{stem},"))
                || map.contains(&format!(",{stem}}}"))
                || (name == "mod.rs" && folder.is_some_and(|d| map.contains(&format!("{d}/")))))
        })
        .collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md does not name {missing:?}");
}

#[test]
fn leaves_import_nothing_of_planpress() {
    for leaf in ["routes", "url_policy", "diagnostics"] {
        for file in module_files(leaf) {
            let paths: Vec<String> = crate_paths(&file).into_iter().filter(|p| !p.starts_with(&format!("{leaf}::"))).collect();
            assert!(paths.is_empty(), "{} imports {paths:?}", file.display());
        }
    }
}

#[test]
fn the_write_stage_does_not_depend_on_the_renderer() {
    for file in module_files("output") {
        for path in crate_paths(&file) {
            let top = path.split("::").next().unwrap_or_default();
            let allowed = top == "output" || top == "diagnostics" || path.starts_with("render::html_depth");
            assert!(allowed, "{} names crate::{path}", file.display());
        }
    }
}

#[test]
fn nothing_imports_the_commands() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    for file in files.iter().filter(|f| !f.starts_with(src().join("commands")) && !f.ends_with("main.rs")) {
        let paths = crate_paths(file);
        assert!(!paths.iter().any(|p| p.starts_with("commands")), "{} names the commands", file.display());
    }
}

#[test]
fn linkcheck_and_routes_know_nothing_of_the_model() {
    for module in ["linkcheck", "routes"] {
        for file in module_files(module) {
            let paths = crate_paths(&file);
            assert!(!paths.iter().any(|p| p.starts_with("model") || p.starts_with("render")), "{} names {paths:?}", file.display());
        }
    }
}

/// The `use` lines of a file outside its tests, joined (a `use` may span lines).
fn use_items(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
    code.split(';')
        .map(str::trim)
        .filter(|s| s.starts_with("use ") || s.starts_with("pub use ") || s.starts_with("pub(super) use "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_render_submodules_take_the_shared_context_from_its_module() {
    let render = src().join("render");
    let own = [render.join("mod.rs"), render.join("shared.rs")];
    let mut checked = 0;
    for file in module_files("render").into_iter().filter(|f| !own.contains(f)) {
        for item in use_items(&file) {
            for name in ["Shared", "template_error", "plan_values"] {
                let named = item.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(|w| w == name);
                assert!(!named || item.contains("shared::"), "{} takes {name} from elsewhere than render::shared: {item}", file.display());
                checked += usize::from(named);
            }
        }
    }
    assert!(checked >= 3, "pages, booklets and site files import the shared context ({checked} imports seen)");
}

#[test]
fn the_views_and_the_page_context_know_nothing_of_pages_or_booklets() {
    let render = src().join("render");
    let mut files = vec![render.join("views.rs"), render.join("context.rs")];
    sources(&render.join("views"), &mut files);
    for file in files {
        for item in use_items(&file) {
            for other in ["pages", "booklet", "site_files", "incremental", "shared"] {
                let named = item.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(|w| w == other);
                assert!(!named, "{} imports render::{other}: {item}", file.display());
            }
        }
    }
}
