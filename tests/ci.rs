//! The tests that need an external tool are `#[ignore = "needs …"]`, so a plain `cargo test`
//! leaves them out; CI is where they must run. `.ci/run` must therefore pass `--include-ignored`
//! and install every tool an ignore reason names, or those tests would silently never run.

use std::path::Path;

/// Each tool an ignore reason may name, and what `.ci/run` must contain to provide it.
const PROVIDERS: &[(&str, &str)] = &[
    ("Chromium", "need+=(chromium)"),
    ("poppler-utils", "need+=(poppler-utils)"),
    ("nginx", "need+=(nginx)"),
    ("Java", "need+=(default-jre-headless)"),
    // Node comes with npm, which `.ci/run` uses to install axe-core and the Nu HTML checker.
    ("Node.js", "npm ci --prefix tests/js"),
    ("axe-core", "npm ci --prefix tests/js"),
    ("vnu-jar", "npm ci --prefix tests/js"),
];

/// The reasons of every `#[ignore = "…"]` in the Rust files under `dir` (not in `node_modules`).
fn ignore_reasons(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "node_modules") {
            found.extend(ignore_reasons(&path));
            continue;
        }
        if path.is_dir() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().map(str::trim) {
            if let Some(reason) = line.strip_prefix("#[ignore = \"").and_then(|r| r.strip_suffix("\"]")) {
                found.push((path.display().to_string(), reason.to_owned()));
            }
        }
    }
    found
}

#[test]
fn ci_runs_the_ignored_tests_and_installs_what_they_need() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = std::fs::read_to_string(repo.join(".ci/run")).unwrap();
    let test_line = ci.lines().find(|l| l.trim_start().starts_with("cargo test")).expect("a cargo test line in .ci/run");
    assert!(test_line.contains(" -- --include-ignored"), "CI must run the ignored tests: {test_line}");

    let reasons = ignore_reasons(&repo.join("tests"));
    assert!(reasons.len() >= 13, "the tests that need a tool are ignored: {reasons:?}");
    for (file, reason) in reasons {
        let needs = reason.strip_prefix("needs ").unwrap_or_else(|| panic!("{file}: an ignore reason says what it needs: {reason:?}"));
        // "Chromium and axe-core (npm ci --prefix tests/js)" → Chromium, axe-core.
        let needs = needs.split(" (").next().unwrap();
        for tool in needs.split(" and ") {
            let (_, provided_by) = PROVIDERS
                .iter()
                .find(|(name, _)| *name == tool)
                .unwrap_or_else(|| panic!("{file}: `{tool}` is not in PROVIDERS: add it, and install it in .ci/run"));
            assert!(ci.contains(provided_by), ".ci/run does not provide {tool} (no {provided_by:?}) for {file}");
        }
    }
}
