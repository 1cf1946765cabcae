//! `planpress serve` for real, on a free loopback port: pages over HTTP, a rebuild and reload
//! event after an edit, the error overlay while the last good page is still served, and no
//! way out of the site.

mod common;

use std::net::TcpListener;

use common::serve::{change, default_theme_file, events, get, partial, put, start, wait_for};

use std::time::{Duration, Instant};

#[test]
fn serves_rebuilds_reloads_and_shows_errors() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    let port = server.port;

    let (status, head, body) = get(port, "/zh/plan/2011/talent/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("/__planpress/reload.js"), "reload script injected in serve mode");
    // The stylesheet is fingerprinted: follow the page's own link to it.
    let at = body.find("static/style.").expect("a link to the stylesheet");
    let css = format!("/{}", &body[at..at + body[at..].find(".css").expect("a .css link") + 4]);
    let (status, head, _) = get(port, &css);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"), "{head}");
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("/zh/"), "the site's own 404 page");

    // Edit a task's Chinese text: the stream says reload and the page has the new text.
    let mut stream = events(port);
    let started = Instant::now();
    site.edit("content/plan/2011/tasks/talent.zh.md", "依托", "【已修改】依托");
    wait_for(&mut stream, "event: reload");
    assert!(started.elapsed() < Duration::from_secs(5), "reload took {:?}", started.elapsed());
    let (_, _, body) = get(port, "/zh/plan/2011/talent/");
    assert!(body.contains("【已修改】依托"), "rebuilt page served");

    // Break the YAML: an error event names the file; the last good page is still served.
    site.edit("content/partners/beijing.yaml", "\nrecipients:", "\n  recipients:");
    let seen = wait_for(&mut stream, "event: build-error");
    let data = wait_for(&mut stream, "data: ");
    assert!(format!("{seen}{data}").contains("content/partners/beijing.yaml:"), "{seen}{data}");
    let (status, _, body) = get(port, "/zh/plan/2011/talent/");
    assert_eq!(status, 200);
    assert!(body.contains("【已修改】依托"));
    // A page opened now learns of the error at once.
    let mut late = events(port);
    wait_for(&mut late, "event: build-error");
}

#[test]
fn an_edited_result_re_renders_only_what_shows_it() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    let built = server.line("built ");
    let mut stream = events(server.port);
    site.edit("content/results/2011/academician-workstations.zh.md", "本条为示例成果", "本条为【改过的】示例成果");
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert!(built.starts_with(&format!("built {total} pages")), "{built}");
    assert!(count > 0 && count < total / 2, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/results/2011/academician-workstations.zh.md");
    wait_for(&mut stream, "event: reload");
    let (_, _, body) = get(server.port, "/zh/results/2011/academician-workstations/");
    assert!(body.contains("本条为【改过的】示例成果"), "the page served has the new text");
    // The second step brings the search index up to date before the next rebuild.
    server.line("updated ");
    let (_, _, index) = get(server.port, "/zh/search-index.json");
    assert!(index.contains("【改过的】") || index.contains("改过"), "search index updated");
}

#[test]
fn an_edited_result_record_keeps_every_body() {
    // A YAML edit rebuilds the views but takes the Markdown's HTML over from the last build.
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    site.edit(
        "content/results/2011/academician-workstations.yaml",
        "en: \"Example: academician workstations,",
        "en: \"Example (edited): academician workstations,",
    );
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert!(count > 0 && count < total, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/results/2011/academician-workstations.yaml");
    let (_, _, page) = get(server.port, "/en/results/2011/academician-workstations/");
    assert!(page.contains("Example (edited): academician workstations"), "the new title");
    assert!(page.contains("8 new academician workstations for members of the two Academies"), "the body, unchanged");
    let (_, _, zh) = get(server.port, "/zh/results/2011/academician-workstations/");
    assert!(zh.contains("院士工作站"), "the Chinese body");
    // Its body edited afterwards still reaches the page.
    site.edit("content/results/2011/academician-workstations.en.md", "8 new academician", "Eight new academician");
    server.line("rebuilt ");
    let (_, _, page) = get(server.port, "/en/results/2011/academician-workstations/");
    assert!(page.contains("Eight new academician workstations") && page.contains("Example (edited)"), "both edits");
}

#[test]
fn an_edited_partner_re_renders_only_its_dependants() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    site.edit("content/partners/beijing.yaml", "en: \"Beijing Municipality\"", "en: \"Beijing Municipality (edited)\"");
    let (count, total, file) = partial(&server.line("rebuilt "));
    // In each language: the partner, the partner list, home, the one task and the one result
    // that involve Beijing, the plan and the year's results; and the data page (partners.csv).
    assert_eq!(count, 16, "{count} of {total} pages re-rendered");
    assert_eq!(file, "content/partners/beijing.yaml");
    let (_, _, body) = get(server.port, "/en/results/2011/st-aid-fair/");
    assert!(body.contains("Beijing Municipality (edited)"), "a dependant shows the new name");
}

#[test]
fn never_serves_a_file_outside_the_output() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2Fcontent%2Fsite.yaml",
        "/zh/..%2f..%2fcontent/site.yaml",
        "/..\\content\\site.yaml",
    ] {
        let (status, _, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked a source file");
    }
    let (status, _, _) = get(server.port, "/content/site.yaml");
    assert_eq!(status, 404, "sources are not served");
}

#[test]
fn error_overlay_is_in_chinese_under_a_chinese_locale() {
    let site = common::Site::example();
    site.edit("content/partners/beijing.yaml", "\nrecipients:", "\n  recipients:");
    let server = start(&site, &[("LANG", "zh_CN.UTF-8")]);
    let mut stream = events(server.port);
    let seen = wait_for(&mut stream, "data: ");
    assert!(seen.contains("构建失败") && seen.contains("content/partners/beijing.yaml:"), "{seen}");
}

/// `LANGUAGE` outranks `LANG` as gettext has it: the terminal lines are Chinese, with the same
/// counts as the English ones.
#[test]
fn terminal_lines_are_in_chinese_when_language_asks_for_it() {
    let site = common::Site::example();
    let server = start(&site, &[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN:en")]);
    let built = server.line("已构建 ");
    let total: usize = built.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{built}"));
    assert!(built.ends_with(" 毫秒") && total > 50, "{built}");
    site.edit("content/results/2011/academician-workstations.zh.md", "本条为示例成果", "本条为【改过的】示例成果");
    let line = server.line("已重新构建 ");
    assert!(
        line.starts_with(&format!("已重新构建 {total} 个页面中的 "))
            && line.ends_with("（content/results/2011/academician-workstations.zh.md）"),
        "{line}"
    );
    assert!(server.line("已更新 ").contains("本小册子、订阅源、搜索索引和站点地图"));
}

#[test]
fn a_busy_port_gives_a_clear_message() {
    let site = common::Site::example();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = common::planpress(&["serve", "--root", site.root().to_str().unwrap(), "--port", &port]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already in use") && run.stderr.contains("--port"), "{}", run.stderr);
    let run = common::planpress_with_locale(&["serve", "--root", site.root().to_str().unwrap(), "--port", &port], "zh_CN.UTF-8");
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with(&format!("错误：127.0.0.1 上的端口 {port} 已被占用")), "{}", run.stderr);
}

// --- Theme and static edits (issue 11). Self-contained: only `common::Site::example` and the
// helpers above; files are written directly.

/// The pages of the sitemap, as request paths (`/zh/plan/2011/`).
fn sitemap_paths(port: u16) -> Vec<String> {
    let (status, _, sitemap) = get(port, "/sitemap.xml");
    assert_eq!(status, 200);
    let base = format!("http://127.0.0.1:{port}");
    let paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| rest[..rest.find("</loc>").expect("</loc>")].strip_prefix(&base).expect("a URL of this server").to_owned())
        .collect();
    assert!(paths.len() > 40, "{} pages in the sitemap", paths.len());
    paths
}

/// The oracle of incremental rebuilds: a theme whose every page template prints its whole
/// context shows more than any theme can, so after each edit every page served must be the
/// page a fresh start serves. A page left stale by the dependency rules fails here.
#[test]
fn incremental_rebuilds_match_a_fresh_start_whatever_the_theme_shows() {
    let site = common::Site::example();
    for template in ["home", "plan", "task", "results", "result", "partners", "partner", "page"] {
        put(&site, &format!("themes/default/templates/{template}.html"), "<!doctype html>\n<body><pre>{{ __tera_context }}</pre></body>\n");
    }
    // Partner bodies, so that editing one is an incremental rebuild too.
    put(&site, "content/partners/beijing.zh.md", "北京市的对口支援。\n");
    put(&site, "content/partners/beijing.en.md", "Beijing's support.\n");
    let server = start(&site, &[]);
    server.line("built ");
    let mut paths = sitemap_paths(server.port);
    // What the second step renders: booklets (in the default templates), feeds, search, sitemap.
    for lang in ["zh", "en"] {
        for file in ["reports/plan-2011/", "reports/summary-2011/", "atom.xml", "search-index.json", "search/"] {
            paths.push(format!("/{lang}/{file}"));
        }
    }
    paths.extend(["/reports/plan-2011-bilingual/", "/reports/summary-2011-bilingual/", "/sitemap.xml"].map(String::from));
    let edits = [
        ("content/results/2011/academician-workstations.zh.md", "本条为示例成果", "本条为【改过的】示例成果"),
        ("content/results/2011/academician-workstations.yaml", "value: 2400", "value: 2500"),
        ("content/results/2011/academician-workstations.yaml", "partners: [shanghai]", "partners: [shanghai, beijing]"),
        // A partner's page that no longer lists the result must be rendered again too.
        ("content/results/2011/academician-workstations.yaml", "partners: [shanghai, beijing]", "partners: [beijing]"),
        ("content/partners/beijing.en.md", "Beijing's support.", "Beijing's support, edited."),
        ("content/partners/beijing.yaml", "en: \"Beijing Municipality\"", "en: \"Beijing (edited)\""),
    ];
    for (file, from, to) in edits {
        change(&site, file, from, to);
        let line = server.line("rebuilt ");
        assert!(line.split_whitespace().nth(2) == Some("of"), "{file}: not an incremental rebuild: {line}");
        server.line("updated ");
        let fresh = start(&site, &[]);
        fresh.line("built ");
        let mut stale = Vec::new();
        for path in &paths {
            let (_, _, served) = get(server.port, path);
            let (status, _, expected) = get(fresh.port, path);
            assert_eq!(status, 200, "{path}");
            if served.replace(&format!("127.0.0.1:{}", server.port), "HOST")
                != expected.replace(&format!("127.0.0.1:{}", fresh.port), "HOST")
            {
                stale.push(path.as_str());
            }
        }
        assert!(stale.is_empty(), "after editing {file} ({line}), stale pages: {stale:?}");
    }
}

#[test]
fn a_themes_folder_made_while_serving_is_watched() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    let built = server.line("built ");
    let total = built.split_whitespace().nth(1).unwrap().to_owned();
    // The editor's first override, in a folder that did not exist: everything is rebuilt.
    let task = default_theme_file("templates/task.html");
    put(
        &site,
        "themes/default/templates/task.html",
        &task.replacen("<article class=\"task\">", "<article class=\"task\"><p>first override</p>", 1),
    );
    assert!(server.line("rebuilt ").starts_with(&format!("rebuilt {total} pages")));
    let (_, _, page) = get(server.port, "/en/plan/2011/talent/");
    assert!(page.contains("<p>first override</p>"), "the new template is used");
    // And the folder is watched from now on.
    change(&site, "themes/default/templates/task.html", "first override", "second override");
    assert!(server.line("re-rendered all ").contains("a template changed"));
    let (_, _, page) = get(server.port, "/en/plan/2011/talent/");
    assert!(page.contains("<p>second override</p>"));
}

/// Dependencies follow the data, not the default templates: a theme whose home page prints the
/// bodies of the latest results and whose partner page prints each result's date (the default
/// theme shows neither) is served fresh after editing them, and a page that lost the record is
/// rendered again too.
#[test]
fn a_theme_that_shows_more_is_not_served_stale() {
    let site = common::Site::example();
    let home = default_theme_file("templates/home.html").replacen(
        "{% block content %}",
        "{% block content %}<div id=\"bodies\">{% for r in results %}{{ r.body_html | safe }}{% endfor %}</div>",
        1,
    );
    put(&site, "themes/default/templates/home.html", &home);
    let partner = default_theme_file("templates/partner.html").replacen(
        "{% block content %}",
        "{% block content %}<ul id=\"dated\">{% for r in partner.results %}<li>{{ r.date }} {{ r.title }}</li>{% endfor %}</ul>",
        1,
    );
    put(&site, "themes/default/templates/partner.html", &partner);
    let server = start(&site, &[]);
    server.line("built ");
    let (_, _, page) = get(server.port, "/en/");
    assert!(page.contains("<div id=\"bodies\">") && page.contains("8 new academician workstations"), "the override is used");

    // A body the default home page does not show.
    change(&site, "content/results/2011/academician-workstations.en.md", "8 new academician", "Eight new academician");
    server.line("rebuilt ");
    let (_, _, page) = get(server.port, "/en/");
    assert!(page.contains("Eight new academician workstations"), "home shows the new body");

    // A result's title, and a partner taken off it: both partner pages are rendered again.
    change(&site, "content/results/2011/st-aid-fair.yaml", "partners: [beijing, jiangsu, guangdong]", "partners: [beijing]");
    server.line("rebuilt ");
    let (_, _, beijing) = get(server.port, "/en/partners/beijing/");
    assert!(beijing.contains("<ul id=\"dated\"><li>2011-07-12 "), "{beijing}");
    let (_, _, jiangsu) = get(server.port, "/en/partners/jiangsu/");
    assert!(jiangsu.contains("<ul id=\"dated\"></ul>"), "jiangsu no longer lists the result");
}

/// A result's body is shown on its own page (and on home while it is among the latest): editing
/// it re-renders no task, partner or results page, which show only its title and figures.
#[test]
fn a_result_body_edit_re_renders_only_the_pages_that_show_the_body() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    // st-aid-fair is older than the five results on home; it advances a task and has three partners.
    change(&site, "content/results/2011/st-aid-fair.en.md", "Example data:", "Example data (edited):");
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert_eq!(file, "content/results/2011/st-aid-fair.en.md");
    // Its English page only: the Chinese page shows the Chinese body.
    assert_eq!(count, 1, "{count} of {total} pages re-rendered");
    let (_, _, page) = get(server.port, "/en/results/2011/st-aid-fair/");
    assert!(page.contains("Example data (edited):"), "the new body is served");
    // The booklets that show the English body: the English summary and the bilingual one.
    assert_eq!(updated_booklets(&server.line("updated ")), 2);
}

/// `updated 2 booklets, the feeds, …` → 2.
fn updated_booklets(line: &str) -> usize {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(words.len() > 2 && words[2] == "booklets,", "not a second step: {line}");
    words[1].parse().unwrap()
}

/// A body key carries its language: a Chinese edit re-renders the Chinese page and the
/// booklets whose editions show the Chinese body (the Chinese summary and the bilingual one),
/// never the English page, the English summary or a plan booklet (no plan booklet shows a
/// result's body). A later English edit is kept apart the same way.
#[test]
fn a_body_edit_re_renders_only_its_languages_pages_and_booklets() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    let zh = "content/results/2011/st-aid-fair.zh.md";
    change(&site, zh, "示例数据：", "示例数据（已改）：");
    let (count, total, file) = partial(&server.line("rebuilt "));
    assert_eq!(file, zh);
    assert_eq!(count, 1, "{count} of {total} pages re-rendered");
    assert_eq!(updated_booklets(&server.line("updated ")), 2);
    let (_, _, page) = get(server.port, "/zh/results/2011/st-aid-fair/");
    assert!(page.contains("示例数据（已改）："), "the new body is served");
    let (_, _, summary) = get(server.port, "/zh/reports/summary-2011/");
    assert!(summary.contains("示例数据（已改）："), "the Chinese summary shows the new body");
    let (_, _, en_page) = get(server.port, "/en/results/2011/st-aid-fair/");
    assert!(!en_page.contains("已改"), "the English page is untouched");
}

/// The data of the next reload event: the files it names, or `None` for every page.
fn next_reload(stream: &mut std::io::BufReader<std::net::TcpStream>) -> Option<Vec<String>> {
    wait_for(stream, "event: reload");
    let data = wait_for(stream, "data: ");
    let json: serde_json::Value = serde_json::from_str(data.trim().trim_start_matches("data: ")).expect("JSON data");
    json.get("files").map(|files| files.as_array().expect("a list").iter().map(|f| f.as_str().expect("a path").to_owned()).collect())
}

/// The edited record's own page is rendered and served first, with a reload naming it alone;
/// the pages that list the record follow, then the booklets. Timing is left loose (a loaded CI
/// machine), the order is not.
#[test]
fn an_edited_result_is_served_before_its_dependants() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    let mut stream = events(server.port);
    let own = ["en/results/2011/st-aid-fair/index.html", "zh/results/2011/st-aid-fair/index.html"];
    let started = Instant::now();
    change(&site, "content/results/2011/st-aid-fair.yaml", "partners: [beijing, jiangsu, guangdong]", "partners: [beijing, jiangsu]");
    assert_eq!(next_reload(&mut stream), Some(own.map(str::to_owned).to_vec()), "the result's own pages alone, first");
    let served = started.elapsed();
    // On the terminal: the page first, then the count of every page rendered again.
    let mut lines = Vec::new();
    while !lines.last().is_some_and(|l: &String| l.starts_with("rebuilt ")) {
        let line = server.stdout.recv_timeout(Duration::from_secs(30)).expect("a rebuilt line");
        if line.starts_with("served ") || line.starts_with("rebuilt ") {
            lines.push(line);
        }
    }
    assert!(
        lines[0].starts_with("served the edited page first in ") && lines[0].ends_with(": /en/results/2011/st-aid-fair/ and 1 more"),
        "{lines:?}"
    );
    let dependants = next_reload(&mut stream).expect("named pages");
    assert!(dependants.iter().all(|f| !own.contains(&f.as_str())), "the own pages are not reloaded twice: {dependants:?}");
    // guangdong's page no longer lists the result; the year's list shows its partners.
    assert!(dependants.contains(&"en/partners/guangdong/index.html".to_owned()), "{dependants:?}");
    let (count, _, _) = partial(lines.last().expect("a line"));
    assert_eq!(count, dependants.len() + own.len(), "every page rendered again was reloaded once");
    // The booklets follow, with a reload of their own.
    server.line("updated ");
    let booklets = next_reload(&mut stream).expect("named booklets");
    assert!(booklets.contains(&"zh/reports/summary-2011/index.html".to_owned()), "{booklets:?}");
    assert!(booklets.iter().all(|f| !own.contains(&f.as_str()) && !dependants.contains(f)), "{booklets:?}");
    assert!(served < Duration::from_secs(10), "the edited page took {served:?}");
}

/// Saved once, as most editors save: the new text is served after a short quiet time, not the
/// burst debounce's.
#[test]
fn an_edited_result_body_is_served_quickly() {
    let site = common::Site::example();
    let server = start(&site, &[]);
    server.line("built ");
    let started = Instant::now();
    site.edit("content/results/2011/st-aid-fair.zh.md", "示例数据：", "示例数据（马上）：");
    let deadline = started + Duration::from_secs(10);
    loop {
        let (_, _, page) = get(server.port, "/zh/results/2011/st-aid-fair/");
        if page.contains("示例数据（马上）：") {
            break;
        }
        assert!(Instant::now() < deadline, "the edit was not served in 10 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    let line = server.line("served the edited page first in ");
    let ms: u64 = line.split_whitespace().nth(6).and_then(|ms| ms.parse().ok()).unwrap_or_else(|| panic!("{line}"));
    // The serve's own time from the change being over to the page served; loose for a busy box.
    assert!(ms < 5_000, "{line}");
}
