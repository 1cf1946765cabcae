//! `planpress serve` and the theme: template, interface-string and static edits, and a
//! themes/ folder made while serving.

mod common;

use std::time::Duration;

use std::io::BufRead;

use common::serve::{change, default_theme_file, events, get, put, start, stylesheet, wait_for};

#[test]
fn a_template_edit_re_renders_every_page() {
    let site = common::Site::example();
    put(&site, "themes/default/templates/task.html", &default_theme_file("templates/task.html"));
    let server = start(&site, &[]);
    let built = server.line("built ");
    let total = built.split_whitespace().nth(1).unwrap().to_owned();
    let mut stream = events(server.port);
    let marker = "<p id=\"edited\">An edited task template</p>";
    change(&site, "themes/default/templates/task.html", "<article class=\"task\">", &format!("<article class=\"task\">{marker}"));
    let line = server.line("re-rendered all ");
    assert!(line.starts_with(&format!("re-rendered all {total} pages in ")), "{line} (first: {built})");
    assert!(line.contains("a template changed") && line.ends_with("(themes/default/templates/task.html)"), "{line}");
    wait_for(&mut stream, "event: reload");
    for lang in ["en", "zh"] {
        let (status, _, page) = get(server.port, &format!("/{lang}/plan/2011/talent/"));
        assert_eq!(status, 200);
        assert!(page.contains(marker), "{lang}: the task page shows the edited template");
    }
    let (_, _, partner) = get(server.port, "/en/partners/beijing/");
    assert!(!partner.contains(marker), "other templates unchanged");

    // A broken template: the error names it and the last good page is still served.
    change(&site, "themes/default/templates/task.html", "{% block content %}", "{% block content %}{% if %}");
    let seen = wait_for(&mut stream, "event: build-error");
    let data = wait_for(&mut stream, "data: ");
    assert!(format!("{seen}{data}").contains("task.html"), "{seen}{data}");
    let (status, _, page) = get(server.port, "/en/plan/2011/talent/");
    assert_eq!(status, 200);
    assert!(page.contains(marker));
    // Fixed: a full rebuild, and the error is gone.
    change(&site, "themes/default/templates/task.html", "{% if %}", "");
    assert!(server.line("rebuilt ").starts_with(&format!("rebuilt {total} pages")));
    wait_for(&mut stream, "event: reload");
    let mut late = events(server.port);
    let (_, _, page) = get(server.port, "/zh/plan/2011/talent/");
    assert!(page.contains(marker));
    // A page opened now gets no error: only the retry hint, then silence.
    late.get_ref().set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut line = String::new();
    while late.read_line(&mut line).is_ok_and(|n| n > 0) {}
    assert!(!line.contains("build-error"), "{line}");
}

#[test]
fn an_interface_string_edit_re_renders_every_page() {
    let site = common::Site::example();
    put(&site, "themes/default/i18n/en.yaml", &default_theme_file("i18n/en.yaml"));
    let server = start(&site, &[]);
    server.line("built ");
    let (_, _, before) = get(server.port, "/en/");
    assert!(before.contains("Work plan") && !before.contains("Work plan (edited)"));
    change(&site, "themes/default/i18n/en.yaml", "\nplan: \"Work plan\"", "\nplan: \"Work plan (edited)\"");
    let line = server.line("re-rendered all ");
    assert!(line.contains("an interface string changed") && line.ends_with("(themes/default/i18n/en.yaml)"), "{line}");
    let (_, _, en) = get(server.port, "/en/results/2011/");
    assert!(en.contains("Work plan (edited)"), "the navigation of an English page");
    let (_, _, zh) = get(server.port, "/zh/results/2011/");
    assert!(!zh.contains("(edited)"), "Chinese strings unchanged");
}

#[test]
fn a_static_edit_copies_the_file() {
    let site = common::Site::example();
    put(&site, "static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>first</title></svg>");
    let module = "export const answer = 42;\n";
    put(&site, "static/app.mjs", module);
    std::fs::create_dir_all(site.root().join("themes/unused/templates")).unwrap();
    let server = start(&site, &[]);
    server.line("built ");
    let (status, head, body) = get(server.port, "/static/img/logo.svg");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: image/svg+xml"), "{head}");
    assert!(body.contains("first"));
    // A module is JavaScript (browsers refuse one served as anything else).
    let name = planpress::render::assets::fingerprinted_name("app.mjs", module.as_bytes());
    let (status, head, body) = get(server.port, &format!("/static/{name}"));
    assert_eq!(status, 200, "/static/{name}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/javascript"), "{head}");
    assert_eq!(body, module);

    let mut stream = events(server.port);
    change(&site, "static/img/logo.svg", "first", "second");
    let line = server.line("copied ");
    assert!(line.starts_with("copied static/img/logo.svg in ") && line.ends_with("no page changes (static/img/logo.svg)"), "{line}");
    wait_for(&mut stream, "event: reload");
    let (_, _, body) = get(server.port, "/static/img/logo.svg");
    assert!(body.contains("second"), "the new bytes are served: {body}");

    // A file of a theme the site does not use changes nothing.
    put(&site, "themes/unused/templates/task.html", "unused");
    let line = server.line("nothing to update");
    assert!(line.ends_with("(themes/unused/templates/task.html)"), "{line}");
}

#[test]
fn a_fingerprinted_static_edit_renames_it_and_re_renders_every_page() {
    let site = common::Site::example();
    let css = default_theme_file("static/style.css");
    put(&site, "static/style.css", &css);
    let server = start(&site, &[]);
    server.line("built ");
    let (_, _, page) = get(server.port, "/en/partners/");
    let old = stylesheet(&page);
    put(&site, "static/style.css", &format!("{css}\n.edited-marker {{ color: red; }}\n"));
    let line = server.line("re-rendered all ");
    assert!(line.contains("new output name for static/style.css") && line.ends_with("(static/style.css)"), "{line}");
    let (_, _, page) = get(server.port, "/en/partners/");
    let new = stylesheet(&page);
    assert_ne!(new, old, "a new fingerprint");
    let (status, head, body) = get(server.port, &new);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/css") && body.contains(".edited-marker"), "{head}");
    let (status, _, _) = get(server.port, &old);
    assert_eq!(status, 404, "the old name is no longer served");
}
