//! Translations: the example ships tracked, `check --update-hashes` confirms what it is told to,
//! `--strict` counts what is stale, and `new` never publishes placeholder text as a translation.

mod common;

use common::{planpress, Site};

/// Every `.md` file of the example outside the default language (zh).
fn translations(site: &Site) -> Vec<String> {
    walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(site.root()).unwrap().to_str().unwrap().to_owned())
        .filter(|p| p.ends_with(".md") && !p.ends_with(".zh.md"))
        .collect()
}

#[test]
fn the_example_ships_tracked_so_editing_chinese_is_reported_at_once() {
    let site = Site::example();
    let all = translations(&site);
    assert!(all.len() >= 20, "{all:?}");
    for file in &all {
        let text = site.read(file);
        let front = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(f, _)| f).unwrap_or_default();
        assert!(front.lines().any(|l| l.starts_with("translated_from: ")), "{file} has no translated_from");
    }
    let root = site.root().to_str().unwrap();
    let clean = planpress(&["check", "--root", root]);
    assert!(clean.stdout.contains("en: complete, nothing stale"), "{}", clean.stdout);

    site.edit("content/results/2011/agri-parks.zh.md", "。", "。新增一句。");
    let run = planpress(&["check", "--root", root]);
    assert!(run.stdout.contains("en: 0 missing, 1 stale"), "{}", run.stdout);
    assert!(
        run.stdout.contains("stale    content/results/2011/agri-parks.en.md (its source content/results/2011/agri-parks.zh.md changed"),
        "{}",
        run.stdout
    );
}

#[test]
fn update_hashes_confirms_only_the_named_files_and_all_confirms_every_one() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    site.edit("content/results/2011/agri-parks.zh.md", "。", "。新增一句。");
    site.edit("content/plan/2011/tasks/talent.zh.md", "。", "。新增一句。");
    let before = planpress(&["check", "--root", &root]);
    assert!(before.stdout.contains("en: 0 missing, 2 stale"), "{}", before.stdout);

    // Nothing named and no --all: say what to do, exit 2, touch nothing.
    let bare = planpress(&["check", "--root", &root, "--update-hashes"]);
    assert_eq!(bare.code, 2, "{}\n{}", bare.stdout, bare.stderr);
    assert!(bare.stderr.contains("name the ones you checked") && bare.stderr.contains("--all"), "{}", bare.stderr);
    let zh = common::planpress_with_locale(&["check", "--root", &root, "--update-hashes"], "zh_CN.UTF-8");
    assert_eq!(zh.code, 2);
    assert!(zh.stderr.contains("或加 --all 确认全部译文"), "{}", zh.stderr);

    // A named file, relative to the site root: only it is confirmed.
    let one = planpress(&["check", "--root", &root, "--update-hashes", "content/results/2011/agri-parks.en.md"]);
    assert!(one.stdout.contains("recorded the source hash in 1 translation(s)"), "{}", one.stdout);
    assert!(one.stdout.contains("en: 0 missing, 1 stale"), "{}", one.stdout);
    assert!(one.stdout.contains("stale    content/plan/2011/tasks/talent.en.md"), "{}", one.stdout);

    // A path that is no translation (here a source text) is an error, and confirms nothing.
    let source = site.path("content/plan/2011/tasks/talent.zh.md");
    let wrong = planpress(&["check", "--root", &root, "--update-hashes", source.to_str().unwrap()]);
    assert_eq!(wrong.code, 1, "{}", wrong.stdout);
    assert!(wrong.stderr.contains("not a translation"), "{}", wrong.stderr);
    assert!(wrong.stdout.contains("en: 0 missing, 1 stale"), "{}", wrong.stdout);

    // --all: today's behaviour, every stale translation is confirmed.
    let all = planpress(&["check", "--root", &root, "--update-hashes", "--all"]);
    assert_eq!(all.code, 0, "{}\n{}", all.stdout, all.stderr);
    assert!(all.stdout.contains("recorded the source hash in 1 translation(s)"), "{}", all.stdout);
    assert!(all.stdout.contains("en: complete, nothing stale"), "{}", all.stdout);

    // Paths without --update-hashes, or with --all, are refused by the argument parser.
    assert_eq!(planpress(&["check", "--root", &root, "content/pages/about.en.md"]).code, 2);
    assert_eq!(planpress(&["check", "--root", &root, "--update-hashes", "--all", "content/pages/about.en.md"]).code, 2);
}

#[test]
fn strict_summary_counts_stale_translations() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    site.edit("content/results/2011/agri-parks.zh.md", "。", "。新增一句。");
    site.edit("content/plan/2011/tasks/talent.zh.md", "。", "。新增一句。");

    let strict = planpress(&["check", "--root", &root, "--strict"]);
    assert_eq!(strict.code, 1, "stale translations fail --strict:\n{}", strict.stdout);
    let last = strict.stdout.lines().last().unwrap();
    assert!(last.starts_with("check failed: 0 errors, 0 warnings, 2 stale translations; "), "{last}");

    let zh = common::planpress_with_locale(&["check", "--root", &root, "--strict"], "zh_CN.UTF-8");
    let last = zh.stdout.lines().last().unwrap();
    assert!(last.starts_with("检查未通过：0 个错误，0 个警告，2 个过期译文；"), "{last}");

    // Without --strict staleness does not fail the check, but is still counted.
    let plain = planpress(&["check", "--root", &root]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert!(plain.stdout.lines().last().unwrap().starts_with("check passed: 0 errors, 0 warnings, 2 stale translations; "));

    let json = planpress(&["check", "--root", &root, "--strict", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!((value["ok"].clone(), value["stale"].clone()), (serde_json::json!(false), serde_json::json!(2)));
}

/// `new` writes the languages other than the default as placeholders: commented-out YAML
/// entries and Markdown marked `untranslated: true` (with the hash of the text to translate).
/// They count as missing, so they are reported and the pages fall back to the Chinese text;
/// once translated and unmarked, the text is published and tracked.
#[test]
fn new_marks_placeholders_untranslated_so_they_fall_back_and_are_reported() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    for kind in ["task", "page"] {
        let run = planpress(&["new", kind, "water", "--root", &root]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let yaml = site.read("content/plan/2011/tasks/water.yaml");
    assert!(yaml.contains("  zh: \"任务标题\"\n  # en: \"Task title\""), "{yaml}");
    let en = site.read("content/plan/2011/tasks/water.en.md");
    assert!(en.contains("\ntranslated_from: ") && en.contains("\nuntranslated: true"), "{en}");

    let check = planpress(&["check", "--root", &root]);
    for missing in [
        "missing  content/plan/2011/tasks/water.en.md",
        "missing  content/plan/2011/tasks/water.yaml: title",
        "missing  content/plan/2011/tasks/water.yaml: action name",
        "missing  content/pages/water.en.md",
    ] {
        assert!(check.stdout.contains(missing), "{missing}:\n{}", check.stdout);
    }
    assert!(check.stderr.contains("then delete its `untranslated: true` line"), "{}", check.stderr);
    assert_eq!(planpress(&["check", "--root", &root, "--strict"]).code, 1);

    // New records are drafts: the preview shows them.
    let out = site.path("public");
    site.build_to(&out, &["--preview"]).assert_ok();
    let task = site.read("public/en/plan/2011/water/index.html");
    let page = site.read("public/en/water/index.html");
    for (what, html) in [("task", &task), ("page", &page)] {
        assert!(!html.contains("Text of the") && !html.contains("Task title") && !html.contains("Page title"), "{what}: {html}");
    }
    assert!(task.contains("任务正文") && task.contains("任务标题"), "the task falls back to Chinese: {task}");
    assert!(page.contains("页面正文"), "the page falls back to Chinese: {page}");

    // Translated: the mark removed, the text is published, and is tracked (not stale).
    site.edit("content/plan/2011/tasks/water.en.md", "untranslated: true", "");
    site.edit("content/plan/2011/tasks/water.en.md", "Text of the task.", "Water-saving irrigation.");
    site.build_to(&out, &["--preview"]).assert_ok();
    assert!(site.read("public/en/plan/2011/water/index.html").contains("Water-saving irrigation."));
    let check = planpress(&["check", "--root", &root]);
    assert!(!check.stdout.contains("tasks/water.en.md"), "{}", check.stdout);
    assert!(check.stdout.contains("missing  content/pages/water.en.md"), "{}", check.stdout);
}

fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

/// `lang` and `dir` of the first element matching `selector` on `page`.
fn lang_dir(html: &scraper::Html, selector: &str) -> (Option<String>, Option<String>) {
    let element = html.select(&sel(selector)).next().unwrap_or_else(|| panic!("no {selector}"));
    let attr = |name| element.value().attr(name).map(str::to_owned);
    (attr("lang"), attr("dir"))
}

/// The example with Uyghur (right to left) added and not a word of it translated.
fn with_uyghur() -> Site {
    let site = Site::example();
    site.edit(
        "content/site.yaml",
        "  - {code: en, name: English, tag: en, dir: ltr}\n",
        "  - {code: en, name: English, tag: en, dir: ltr}\n  - {code: ug, name: ئۇيغۇرچە, tag: ug, dir: rtl}\n",
    );
    site
}

/// Chinese shown on a Uyghur page is marked as Chinese, left to right, where it is shown; the
/// page's own language (and an English page's text) carries no mark.
#[test]
fn fallback_text_carries_its_own_lang_and_dir() {
    let site = with_uyghur();
    let out = site.path("public");
    site.build_to(&out, &[]).assert_ok();
    let page = |rel: &str| scraper::Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
    let zh = (Some("zh-Hans".to_owned()), Some("ltr".to_owned()));

    let task = page("ug/plan/2011/high-tech/index.html");
    assert_eq!(lang_dir(&task, "html"), (Some("ug".to_owned()), Some("rtl".to_owned())));
    assert_eq!(lang_dir(&task, "h1 span[lang]"), zh, "the task title");
    let title = task.select(&sel("h1 span[lang]")).next().unwrap().text().collect::<String>();
    assert!(title.starts_with("强化高新技术"), "{title}");
    assert_eq!(lang_dir(&task, ".prose"), zh, "the task body");
    for rel in ["ug/about/index.html", "ug/plan/2011/index.html", "ug/results/2011/agri-parks/index.html"] {
        let html = page(rel);
        assert_eq!((lang_dir(&html, "h1"), lang_dir(&html, ".prose")), (zh.clone(), zh.clone()), "{rel}");
    }
    // The example's partners have no Markdown body: their name only.
    assert_eq!(lang_dir(&page("ug/partners/beijing/index.html"), "h1"), zh);

    let en = page("en/plan/2011/high-tech/index.html");
    assert_eq!(en.select(&sel("h1 [lang], .prose[lang], .prose[dir]")).count(), 0, "translated text is not marked");
}

/// A language just added is one summary line in `build` (its count as `check` reports it);
/// `check` still lists each gap, and a language missing only a few texts lists them in `build`.
#[test]
fn a_new_language_is_one_summary_line_and_check_lists_each_gap() {
    let site = with_uyghur();
    let root = site.root().to_str().unwrap().to_owned();
    let check = planpress(&["check", "--root", &root]);
    let missing: usize = check
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  ug: ")?.strip_suffix(" missing, 0 stale")?.parse().ok())
        .unwrap_or_else(|| panic!("{}", check.stdout));
    assert!(missing > 100, "{missing}");
    let each = check.stderr.matches("warning[W-translation]: `").count() + check.stderr.matches("missing `ug` text: ").count();
    assert!(each >= missing, "check lists each gap ({each} of {missing}):\n{}", check.stderr);

    let build = site.build(&[]);
    build.assert_ok();
    let translation_lines: Vec<&str> = build.stderr.lines().filter(|l| l.starts_with("warning[W-translation]")).collect();
    let summary = format!("warning[W-translation]: ug: {missing} texts to translate, see `planpress check`");
    assert!(translation_lines.contains(&summary.as_str()), "{}", build.stderr);
    assert!(!build.stderr.contains("has no `ug` text") && !build.stderr.contains("missing `ug` text"), "{}", build.stderr);
    let zh = common::planpress_with_locale(&["build", "--root", &root], "zh_CN.UTF-8");
    assert!(zh.stderr.contains(&format!("ug：{missing} 处文字有待翻译，详见 `planpress check`")), "{}", zh.stderr);

    // One English title missing: still shown where it is.
    site.edit("content/plan/2011/tasks/high-tech.yaml", "  en: Strengthen high technology", "  # en: Strengthen high technology");
    let one = site.build(&[]);
    assert!(one.stderr.contains("`title` has no `en` text\n  --> content/plan/2011/tasks/high-tech.yaml:4:3\n"), "{}", one.stderr);
}

/// Localised YAML fields are tracked one by one in content/translations/<lang>.yaml: a changed
/// Chinese title makes its English field stale, reported where the field is; naming the record
/// confirms its fields, and only its.
#[test]
fn a_changed_chinese_yaml_field_is_stale_until_its_record_is_confirmed() {
    let site = Site::example();
    let root = site.root().to_str().unwrap().to_owned();
    let hashes = site.read("content/translations/en.yaml");
    assert!(hashes.contains("\nplan/2011/tasks/high-tech.yaml:\n  actions.high-tech-enterprises.name: \""), "{hashes}");
    assert!(hashes.contains("\n  actions.tianshan-belt.name: \""), "{hashes}");
    assert!(hashes.contains("\npartners/beijing.yaml:\n  name: \""), "the example ships tracked");

    site.edit("content/plan/2011/tasks/high-tech.yaml", "  zh: 强化高新技术及其产业化", "  zh: 强化高新技术及产业化");
    site.edit("content/results/2011/agri-parks.yaml", "  zh: ", "  zh: 新");
    let run = planpress(&["check", "--root", &root, "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("  en: 0 missing, 2 stale\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("    stale    content/plan/2011/tasks/high-tech.yaml:4:3: title (its zh text changed since it was translated)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("    stale    content/results/2011/agri-parks.yaml:"), "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&planpress(&["check", "--root", &root, "--format", "json"]).stdout).unwrap();
    let first = &json["translations"]["en"]["stale"][0];
    assert_eq!(
        (first["field"]["path"].clone(), first["field"]["line"].clone()),
        (serde_json::json!("title"), serde_json::json!(4)),
        "{first}"
    );

    let confirm = planpress(&["check", "--root", &root, "--update-hashes", "content/plan/2011/tasks/high-tech.yaml"]);
    assert!(confirm.stdout.starts_with("recorded the source hash in 1 translation(s)\n"), "{}", confirm.stdout);
    assert!(confirm.stdout.contains("  en: 0 missing, 1 stale\n"), "only the named record: {}", confirm.stdout);
    assert!(!confirm.stdout.contains("high-tech.yaml:4:3"), "{}", confirm.stdout);
    // What was confirmed is on disk: a fresh check agrees.
    assert!(planpress(&["check", "--root", &root]).stdout.contains("  en: 0 missing, 1 stale\n"));
    planpress(&["check", "--root", &root, "--update-hashes", "--all"]);
    assert!(planpress(&["check", "--root", &root]).stdout.contains("  en: complete, nothing stale\n"));
}

/// Sets a file's modification time to midnight UTC of `days` after 1970-01-01.
fn set_modified(path: &std::path::Path, days: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(days * 86_400)).unwrap();
}

/// With `stale_translation_note: true`, a page whose translation is stale (its body, or a YAML
/// field of its record) tells visitors, with the date the Chinese source was saved; without
/// it (the default), nothing is shown.
#[test]
fn stale_pages_tell_visitors_only_when_the_site_asks() {
    let site = Site::example();
    site.edit("content/results/2011/agri-parks.zh.md", "。", "。新增一句。");
    site.edit("content/plan/2011/tasks/high-tech.yaml", "  zh: 强化高新技术及其产业化", "  zh: 强化高新技术及产业化");
    // 2026-05-01 and 2026-06-15: the days since 1970-01-01.
    set_modified(&site.path("content/results/2011/agri-parks.zh.md"), 20_574);
    set_modified(&site.path("content/plan/2011/tasks/high-tech.yaml"), 20_619);
    let notes = |rel: &str| -> Vec<String> {
        let html = scraper::Html::parse_document(&site.read(rel));
        html.select(&sel(".notice.stale")).map(|n| n.text().collect()).collect()
    };

    site.build(&[]).assert_ok();
    assert_eq!(notes("public/en/results/2011/agri-parks/index.html"), Vec::<String>::new(), "off by default");

    site.edit("content/site.yaml", "allow_raw_html: false\n", "allow_raw_html: false\nstale_translation_note: true\n");
    site.build(&[]).assert_ok();
    let note = |date: &str| vec![format!("The Chinese original changed after this translation was made ({date}).")];
    assert_eq!(notes("public/en/results/2011/agri-parks/index.html"), note("1 May 2026"), "a stale body");
    assert_eq!(notes("public/en/plan/2011/high-tech/index.html"), note("15 June 2026"), "a stale YAML field");
    assert_eq!(notes("public/en/plan/2011/talent/index.html"), Vec::<String>::new(), "up to date");
    assert_eq!(notes("public/zh/results/2011/agri-parks/index.html"), Vec::<String>::new(), "the source itself");
}

/// `new site` ships tracked like the example: its YAML fields' hashes are recorded, so editing
/// a Chinese title of the new site is reported stale at once.
#[test]
fn a_new_site_ships_its_yaml_fields_tracked() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let s = site.to_str().unwrap();
    let run = planpress(&["new", "site", s]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("content/translations/en.yaml"), "{}", run.stdout);
    let clean = planpress(&["check", "--root", s, "--strict"]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);

    let year = std::fs::read_dir(site.join("content/plan")).unwrap().next().unwrap().unwrap().file_name();
    let task = site.join(format!("content/plan/{}/tasks/first-task.yaml", year.to_str().unwrap()));
    let text = std::fs::read_to_string(&task).unwrap();
    std::fs::write(&task, text.replace("第一项重点任务", "第一项重点工作")).unwrap();
    let run = planpress(&["check", "--root", s]);
    assert!(run.stdout.contains("  en: 0 missing, 1 stale\n"), "{}", run.stdout);
    assert!(run.stdout.contains("/tasks/first-task.yaml:3:8: title (its zh text changed"), "{}", run.stdout);
}
