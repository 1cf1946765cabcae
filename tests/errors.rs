//! Bad input: a clear error with file:line, exit 1, and the previous output left untouched.

mod common;

use common::{tree, Site};

/// Starts from a good output (the file's shared build, copied), breaks the site with
/// `breakage`, builds: must fail with every `expected` text in stderr and leave that output byte
/// for byte as it was.
fn fails_cleanly(breakage: impl FnOnce(&Site), expected: &[&str]) -> String {
    let site = Site::example_prebuilt();
    let before = tree(&site.path("public"));
    breakage(&site);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "expected exit 1, got {}:\n{}", run.code, run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "stderr lacks {text:?}:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(tree(&site.path("public")), before, "previous output was changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("planpress-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
    run.stderr
}

#[test]
fn broken_yaml_indentation() {
    let stderr = fails_cleanly(
        |s| s.edit("content/partners/beijing.yaml", "\nrecipients:", "\n  recipients:"),
        &["error[E-yaml]", "content/partners/beijing.yaml:"],
    );
    // The offending line is shown under its number.
    assert!(stderr.lines().any(|l| l.contains(" | ")), "{stderr}");
}

#[test]
fn unknown_partner_in_a_result_suggests_the_right_id() {
    let site = Site::example();
    let file = std::fs::read_dir(site.path("content/results/2011"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml") && std::fs::read_to_string(p).unwrap().contains("beijing"))
        .expect("a result involving beijing");
    let rel = format!("content/results/2011/{}", file.file_name().unwrap().to_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().position(|l| l.contains("beijing")).unwrap() + 1;
    drop(site);
    let stderr = fails_cleanly(
        |s| s.edit(&rel, "beijing", "bejing"),
        &["error[E-ref]: unknown partner `bejing`", &format!("{rel}:{line}:"), "did you mean `beijing`?"],
    );
    assert!(stderr.contains("bejing"), "{stderr}");
}

#[test]
fn missing_english_title_is_a_warning_then_an_error_with_strict() {
    let site = Site::example();
    let text = site.read("content/plan/2011/tasks/high-tech.yaml");
    let en_line = text.lines().find(|l| l.trim_start().starts_with("en:")).unwrap().to_owned();
    site.write("content/plan/2011/tasks/high-tech.yaml", &text.replacen(&format!("{en_line}\n"), "", 1));
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains("warning[W-translation]: `title` has no `en` text")
            && run.stderr.contains("content/plan/2011/tasks/high-tech.yaml:"),
        "{}",
        run.stderr
    );
    let page = site.read("public/en/plan/2011/high-tech/index.html");
    let note = scraper::Selector::parse(".untranslated").unwrap();
    assert!(scraper::Html::parse_document(&page).select(&note).next().is_some(), "fallback note on the page");
    let before = tree(&site.path("public"));
    let strict = site.build(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("error[W-translation]"), "{}", strict.stderr);
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn duplicate_slug() {
    fails_cleanly(
        |s| {
            let text = s.read("content/plan/2011/tasks/talent.yaml");
            s.write("content/plan/2011/tasks/talent-copy.yaml", &text.replace("number: 8", "number: 12"));
        },
        &["duplicate task slug `talent`", "content/plan/2011/tasks/talent"],
    );
}

#[test]
fn file_that_is_not_utf8() {
    fails_cleanly(
        |s| {
            // "科技" in GBK.
            let mut bytes = b"---\ntitle: x\n---\n".to_vec();
            bytes.extend_from_slice(&[0xBF, 0xC6, 0xBC, 0xBC]);
            std::fs::write(s.path("content/pages/about.zh.md"), bytes).unwrap();
        },
        &["error[E-encoding]: file is not valid UTF-8", "content/pages/about.zh.md:4:1", "UTF-8"],
    );
}

#[test]
fn unknown_field_gets_a_did_you_mean() {
    fails_cleanly(
        |s| s.edit("content/plan/2011/tasks/talent.yaml", "\nactions:", "\nactoins:"),
        &["unknown field `actoins`", "did you mean `actions`?", "talent.yaml:"],
    );
}

#[test]
fn unsafe_id_cannot_escape_the_output() {
    fails_cleanly(
        |s| s.edit("content/plan/2011/tasks/talent.yaml", "slug: talent", "slug: ../../etc"),
        &["error[E-id]", "is not a safe id"],
    );
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let stderr = fails_cleanly(
        |s| {
            s.edit("content/plan/2011/tasks/talent.yaml", "\nactions:", "\nactoins:");
            s.edit("content/partners/tianjin.yaml", "\nrecipients:", "\n  recipients:");
        },
        &["talent.yaml", "tianjin.yaml", "failed: 2 errors"],
    );
    assert!(stderr.contains("the output folder was left as it was"));
}

#[test]
fn refuses_dangerous_output_folders() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    for out in [root.clone(), format!("{root}/content")] {
        let run = common::planpress(&["build", "--root", &root, "--out", &out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    site.write("mine/notes.txt", "keep me");
    let run = site.build_to(&site.path("mine"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not written by planpress"), "{}", run.stderr);
    assert_eq!(site.read("mine/notes.txt"), "keep me");
}

#[test]
fn not_a_site_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::planpress(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no content/site.yaml"), "{}", run.stderr);
    assert_eq!(common::planpress(&["build", "--no-such-flag"]).code, 2);
}

#[test]
fn diagnostics_in_chinese_under_a_chinese_locale() {
    let site = Site::example();
    site.edit("content/results/2011/academician-workstations.yaml", "tasks: [talent]", "tasks: [talnet]");
    let root = site.root().to_str().unwrap();
    let zh = common::planpress_with_locale(&["build", "--root", root], "zh_CN.UTF-8");
    assert_eq!(zh.code, 1);
    assert!(zh.stderr.contains("错误[E-ref]: 找不到任务 `talnet`"), "{}", zh.stderr);
    assert!(zh.stderr.contains("提示: 是不是要写 `talent`？"), "{}", zh.stderr);
    assert!(zh.stderr.contains("content/results/2011/academician-workstations.yaml:"), "{}", zh.stderr);
    assert!(zh.stderr.contains("失败：1 个错误"), "{}", zh.stderr);
    // --lang overrides the locale both ways.
    let en = common::planpress_with_locale(&["build", "--root", root, "--lang", "en"], "zh_CN.UTF-8");
    assert!(en.stderr.contains("error[E-ref]: unknown task `talnet`"), "{}", en.stderr);
    let zh_flag = common::planpress(&["build", "--root", root, "--lang", "zh"]);
    assert!(zh_flag.stderr.contains("找不到任务"), "{}", zh_flag.stderr);
}

#[test]
fn a_broken_metrics_file_is_one_error_not_one_per_reference() {
    let stderr = fails_cleanly(
        |s| s.edit("content/metrics.yaml", "    kind: count\n", "    kind: count\n    colour: blue\n"),
        &["error[E-yaml]", "content/metrics.yaml:", "unknown field `colour`"],
    );
    assert!(!stderr.contains("unknown metric"), "references to metrics cascade:\n{stderr}");
    assert!(stderr.contains("failed: 1 error;"), "{stderr}");
}
