//! The charts of the site and the booklets, read from a real build (the preview: every result,
//! so every chart): no text outside its box by the chart font's metrics, every chart's table
//! with the chart's numbers and labels, each unit group on its own scale, the theme's chart
//! colours at 3:1 or more; and in headless Chromium, the text as drawn fits and is 12 px or more
//! on a 390 px phone, and the charts take the dark palette in the dark scheme.

mod common;
mod visit;

use std::collections::BTreeMap;
use std::path::Path;

use planpress::render::charts::for_fonts;
use scraper::{ElementRef, Html};
use visit::{chromium, dump_dom_sized, dump_dom_with, sel};

const SIZE: f64 = 12.0;

fn built() -> &'static Path {
    &common::example_built(&["--preview"]).out
}

/// Every page and booklet with a chart.
fn chart_pages(out: &Path) -> Vec<String> {
    let pages: Vec<String> =
        common::html_files(out).into_iter().filter(|p| std::fs::read_to_string(out.join(p)).unwrap().contains("chart-figure")).collect();
    for must in [
        "en/results/2011/index.html",
        "zh/index.html",
        "en/reports/summary-2011/index.html",
        "reports/summary-2011-bilingual/index.html",
        "en/periods/12th-five-year/index.html",
    ] {
        assert!(pages.iter().any(|p| p == must), "no chart in {must}: {pages:?}");
    }
    pages
}

fn attr<'a>(el: ElementRef<'a>, name: &str) -> &'a str {
    el.value().attrs().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v)
}

fn num(el: ElementRef, name: &str) -> f64 {
    attr(el, name).parse().unwrap_or_else(|_| panic!("{name} of {}", el.html()))
}

/// The font list of an element's `style` (the charts set their font there, so that no rule of
/// the stylesheets by `lang` changes it).
fn font_of(el: ElementRef<'_>) -> Option<&str> {
    attr(el, "style").split(';').find_map(|d| d.trim().strip_prefix("font-family:"))
}

fn text(el: ElementRef) -> String {
    el.text().collect()
}

/// A chart's value as a number (`38,400`, `85%`); `None` for `—`.
fn value(s: &str) -> Option<f64> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    digits.parse().ok()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '/').collect()
}

/// By the chart font's metrics (the code that laid the chart out), no line of text runs out of
/// the drawing, and the labels of the wide drawing end before the bars start.
#[test]
fn no_chart_text_is_wider_than_its_box() {
    let out = built();
    let mut checked = 0;
    for page in chart_pages(out) {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(&page)).unwrap());
        for svg in html.select(&sel("svg.chart")) {
            let view: Vec<f64> = attr(svg, "viewBox").split(' ').map(|v| v.parse().unwrap()).collect();
            let width = view[2];
            let root_font = font_of(svg).expect("the chart's font");
            let plot_x = svg.select(&sel("line.axis-line")).next().map(|l| num(l, "x1"));
            for t in svg.select(&sel("text")) {
                let anchor = attr(t, "text-anchor");
                for span in t.select(&sel("tspan")) {
                    let font = font_of(span).unwrap_or(root_font);
                    let w = for_fonts(font).width(&text(span), SIZE);
                    let x = num(span, "x");
                    let (left, right) = if anchor == "end" { (x - w, x) } else { (x, x + w) };
                    assert!(left >= 0.0 && right <= width, "{page}: {:?} spans {left:.1}..{right:.1} of 0..{width}", text(span));
                    // (A chart's part of lone rows only has no bars, and no axis, to reach.)
                    if let (true, Some(plot_x)) = (attr(t, "class") == "label" && anchor == "end", plot_x) {
                        assert!(right < plot_x, "{page}: label {:?} reaches the bars at {plot_x:.1}", text(span));
                    }
                    assert!(!text(span).contains('…'), "{page}: a truncated label {:?}", text(span));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked} lines checked");
}

/// The rows of the table after a chart: (label, values) in order.
fn table_rows(table: ElementRef) -> Vec<(String, Vec<String>)> {
    table
        .select(&sel("tbody tr"))
        .filter(|tr| tr.select(&sel("th[scope=row]")).next().is_some())
        .map(|tr| (text(tr.select(&sel("th")).next().unwrap()), tr.select(&sel("td")).map(text).collect()))
        .collect()
}

/// The labels and values of a drawing, in order: each row's label lines joined, its values.
fn svg_rows(svg: ElementRef) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for t in svg.select(&sel("text")) {
        match attr(t, "class") {
            "label" => rows.push((text(t), Vec::new())),
            "value" => rows.last_mut().expect("a value before any label").1.push(text(t)),
            _ => {}
        }
    }
    rows
}

/// Every chart has its numbers as a table, the same numbers in the same order, with every label
/// in full (so nothing was cut from a label in either drawing); a page's own table of them stands
/// in for a period chart's.
#[test]
fn every_chart_has_a_table_with_the_same_numbers_and_labels() {
    let out = built();
    let mut tables = 0;
    for page in chart_pages(out) {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(&page)).unwrap());
        for figure in html.select(&sel("figure.chart-figure")) {
            let id = attr(figure, "id");
            let wide = svg_rows(figure.select(&sel(".chart-wide svg")).next().unwrap());
            let narrow = svg_rows(figure.select(&sel(".chart-narrow svg")).next().unwrap());
            let squashed = |rows: &[(String, Vec<String>)]| rows.iter().map(|(l, v)| (squash(l), v.clone())).collect::<Vec<_>>();
            assert_eq!(squashed(&wide), squashed(&narrow), "{page} #{id}: the two drawings differ");
            if attr(figure, "class").contains("period-chart") {
                // Its table (more columns) follows in the same target.
                continue;
            }
            let table = html.select(&sel(&format!("details.chart-data table[data-chart=\"{id}\"]"))).next();
            let table = table.unwrap_or_else(|| panic!("{page}: chart #{id} has no table"));
            let rows = table_rows(table);
            assert_eq!(rows.len(), wide.len(), "{page} #{id}: rows");
            for ((tl, tv), (cl, cv)) in rows.iter().zip(&wide) {
                assert_eq!(squash(tl), squash(cl), "{page} #{id}: label in table and chart");
                assert_eq!(tv, cv, "{page} #{id}: the numbers of {tl:?}");
            }
            if page.contains("reports/") {
                let details = html.select(&sel("details.chart-data")).next().unwrap();
                assert!(details.value().attr("open").is_some(), "{page}: a booklet's chart table is open (printed)");
            }
            tables += 1;
        }
    }
    assert!(tables >= 8, "{tables} chart tables");
}

/// A unit group as drawn: axis label, (bar width, value) of each bar, axis end, plot width.
type UnitGroup = (String, Vec<(f64, f64)>, f64, f64);

/// Rows of one unit share a scale (bars proportional to their values), and each unit group is
/// scaled to itself, to a round axis end it names, under an axis label naming the unit.
#[test]
fn each_unit_group_has_its_own_scale_and_axis_label() {
    let out = built();
    let mut groups = 0;
    for page in ["en/results/2011/index.html", "zh/results/2011/index.html", "reports/summary-2011-bilingual/index.html"] {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap());
        for svg in html.select(&sel(".chart-wide svg.chart")) {
            let mut current: Option<UnitGroup> = None;
            let mut done = Vec::new();
            let mut pending: Option<f64> = None;
            let mut plot_x = 0.0;
            for el in svg.descendants().filter_map(ElementRef::wrap) {
                let class = attr(el, "class");
                match (el.value().name(), class) {
                    ("text", "axis") => {
                        done.extend(current.take());
                        current = Some((text(el), Vec::new(), 0.0, 0.0));
                    }
                    ("rect", c) if c.starts_with("bar ") && current.is_some() => pending = Some(num(el, "width")),
                    ("text", "value") => {
                        if let (Some(v), Some(w)) = (value(&text(el)), pending.take()) {
                            current.as_mut().unwrap().1.push((w, v));
                        }
                    }
                    ("line", "axis-line") if attr(el, "x1") == attr(el, "x2") => plot_x = num(el, "x1"),
                    ("line", "axis-line") => current.as_mut().unwrap().3 = num(el, "x2") - plot_x,
                    ("text", "tick") if attr(el, "text-anchor") == "end" => current.as_mut().unwrap().2 = value(&text(el)).unwrap(),
                    _ => {}
                }
            }
            done.extend(current.take());
            for (axis, bars, end, plot) in done {
                assert!(axis.contains("Unit: ") || axis.contains("单位："), "{page}: axis label {axis:?}");
                let max = bars.iter().map(|b| b.1).fold(0.0, f64::max);
                assert!(end >= max && (max == 0.0 || max / end > 0.5), "{page} {axis}: axis end {end} for {max}");
                for (w, v) in &bars {
                    let expected = v / end * plot;
                    assert!(
                        (w - expected).abs() < 0.2 || (*v > 0.0 && expected < 1.0 && *w == 1.0),
                        "{page} {axis}: {v} drawn {w}, not {expected:.1}"
                    );
                }
                groups += 1;
            }
        }
    }
    assert!(groups >= 10, "{groups} unit groups");
}

fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let hex: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_owned() };
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The `--chart-*` custom properties of each block of a stylesheet that sets them (`:root`,
/// and any dark scheme), as written.
fn chart_palettes(css: &str) -> Vec<BTreeMap<String, String>> {
    let mut plain = String::new();
    let mut rest = css;
    while let Some(at) = rest.find("/*") {
        plain.push_str(&rest[..at]);
        rest = rest[at..].split_once("*/").map_or("", |(_, after)| after);
    }
    plain.push_str(rest);
    plain
        .split('}')
        .map(|block| {
            block
                .split(';')
                .filter_map(|decl| {
                    let (name, value) = decl.rsplit('{').next().unwrap().split_once(':')?;
                    let name = name.trim().strip_prefix("--chart-")?;
                    let value = value.trim();
                    value.starts_with('#').then(|| (name.to_owned(), value.to_owned()))
                })
                .collect::<BTreeMap<_, _>>()
        })
        .filter(|p| p.contains_key("bg"))
        .collect()
}

/// WCAG 1.4.11: every series colour 3:1 against the chart's background, the text 4.5:1, in
/// every palette of both stylesheets (a dark scheme's too, once a theme has one).
#[test]
fn chart_colours_contrast_with_the_background() {
    for name in ["style.css", "print.css"] {
        let css = std::fs::read_to_string(common::repo().join("themes/default/static").join(name)).unwrap();
        let palettes = chart_palettes(&css);
        assert!(!palettes.is_empty(), "{name}: no --chart-bg");
        for p in palettes {
            let bg = &p["bg"];
            for series in ["1", "2", "3"] {
                let c = contrast(&p[series], bg);
                assert!(c >= 3.0, "{name}: --chart-{series} {} is {c:.2}:1 on {bg}", p[series]);
            }
            let c = contrast(&p["text"], bg);
            assert!(c >= 4.5, "{name}: --chart-text is {c:.2}:1 on {bg}");
        }
    }
    assert!(contrast("#d9822b", "#fff") < 3.0, "the computation agrees with the old orange's 2.93:1");
}

/// One chart per kind in the bilingual summary, its labels in both languages, each in its lang.
#[test]
fn the_bilingual_booklet_draws_one_bilingual_chart() {
    let out = built();
    let html = Html::parse_document(&std::fs::read_to_string(out.join("reports/summary-2011-bilingual/index.html")).unwrap());
    let ids: Vec<&str> = html.select(&sel("figure.chart-figure")).map(|f| attr(f, "id")).collect();
    // One figure a chart, or a chart in parts of whole unit groups (`chart-totals-2`, …) where
    // it is too tall to print whole at 7 pt or more.
    let whole: Vec<&str> = ids.iter().copied().filter(|id| !id.rsplit('-').next().unwrap().bytes().all(|b| b.is_ascii_digit())).collect();
    assert_eq!(whole, ["chart-targets", "chart-partners", "chart-totals"], "one figure a chart: {ids:?}");
    assert!(ids.contains(&"chart-totals-2"), "the bilingual totals chart is in parts: {ids:?}");
    let svg = html.select(&sel("#chart-targets .chart-wide svg")).next().unwrap();
    let label = svg.select(&sel("text.label")).next().unwrap();
    let langs: Vec<&str> = label.select(&sel("tspan")).map(|s| attr(s, "lang")).collect();
    assert!(langs.contains(&"en") && langs.contains(&""), "a Chinese line and an English one: {}", label.html());
    assert!(text(label).contains("Events held"), "{}", label.html());
    // A period booklet: one chart a target, as many as a single-language edition has.
    let figures = |page: &str| {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap());
        let ids: Vec<String> = html.select(&sel("figure.chart-figure")).map(|f| attr(f, "id").to_owned()).collect();
        let english = html.select(&sel("figure.chart-figure .chart-wide tspan[lang=en]")).count();
        (ids, english)
    };
    let (single, _) = figures("zh/reports/period-12th-five-year/index.html");
    let (both, english) = figures("reports/period-12th-five-year-bilingual/index.html");
    assert!(!single.is_empty());
    assert_eq!(both, single, "the bilingual period booklet draws each target's chart once");
    assert!(english > 0, "its lines in English too");
}

// ---------- in Chromium ----------

const PROBE: &str = r#"<script>addEventListener("load", function () { setTimeout(function () {
  var out = [];
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    if (box.width === 0) return;
    var vb = svg.viewBox.baseVal, scale = box.width / vb.width;
    svg.querySelectorAll("tspan").forEach(function (t) {
      var b = t.parentNode.getBBox();
      out.push({ text: t.textContent, font: getComputedStyle(t).fontFamily,
        length: t.getComputedTextLength(), px: parseFloat(getComputedStyle(t).fontSize) * scale,
        left: b.x, right: b.x + b.width, width: vb.width, svg: svg.getAttribute("class") });
    });
  });
  document.documentElement.setAttribute("data-charts", JSON.stringify(out));
}, 300); });</script></body>"#;

#[derive(serde::Deserialize, Debug)]
struct Drawn {
    text: String,
    font: String,
    length: f64,
    px: f64,
    left: f64,
    right: f64,
    width: f64,
    svg: String,
}

/// As Chromium draws them, at 1280 and 390 px: no text outside its drawing, no line longer than
/// the metrics said (so the layout's measure is an upper bound of the real one), the stacked
/// drawing on the phone, and text of 12 px or more there.
#[test]
#[ignore = "needs Chromium"]
fn charts_fit_and_read_at_12_px_on_a_phone_in_chromium() {
    let chrome = chromium();
    let copy = common::output_copy(common::example_built(&["--preview"]));
    for page in ["en/results/2011/index.html", "zh/results/2011/index.html", "en/periods/12th-five-year/index.html", "en/index.html"] {
        let path = copy.path().join(page);
        let html = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, html.replacen("</body>", PROBE, 1)).unwrap();
        for width in [1280, 390] {
            let dom = dump_dom_sized(&chrome, &format!("file://{}", path.display()), 3000, width);
            let html = Html::parse_document(&dom);
            let data = html.select(&sel("html")).next().unwrap().value().attr("data-charts").unwrap_or_else(|| panic!("{page}: no probe"));
            let drawn: Vec<Drawn> = serde_json::from_str(data).unwrap();
            assert!(drawn.len() >= 10, "{page} at {width}: {} lines", drawn.len());
            for d in &drawn {
                assert!(d.left >= -0.5 && d.right <= d.width + 0.5, "{page} at {width}: {d:?} outside its drawing");
                let measured = for_fonts(&d.font).width(&d.text, SIZE);
                assert!(d.length <= measured + 0.5, "{page} at {width}: {:?} drawn {:.1} wide, measured {measured:.1}", d.text, d.length);
                let kind = if width == 390 { "chart-narrow" } else { "chart-wide" };
                assert!(d.svg.contains(kind), "{page} at {width}: the {} drawing shows", d.svg);
                if width == 390 {
                    assert!(d.px >= 12.0, "{page} at 390 px: {:?} at {:.1} px", d.text, d.px);
                }
            }
        }
    }
}

/// axe-core finds nothing on the pages with every kind of chart (the preview build: the results
/// chart, the partners' and the totals'), at 1280 and 390 px.
#[test]
#[ignore = "needs Chromium and axe-core (npm ci --prefix tests/js)"]
fn axe_core_finds_no_violations_on_pages_with_charts() {
    let chrome = chromium();
    let axe = common::tool_file("tests/js/node_modules/axe-core/axe.min.js", visit::NPM_CI);
    let copy = common::output_copy(common::example_built(&["--preview"]));
    let run = r#"<script>addEventListener("load", function () { setTimeout(function () {
  axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
    document.documentElement.setAttribute("data-axe", JSON.stringify(r.violations.map(function (v) {
      return v.id + ": " + v.help + " " + v.nodes.map(function (n) { return n.target.join(" "); }).join(", ");
    })));
  }, function (e) { document.documentElement.setAttribute("data-axe", JSON.stringify(["axe failed: " + e])); });
}, 200); });</script></body>"#;
    let mut problems = Vec::new();
    for page in [
        "en/results/2011/index.html",
        "zh/results/2011/index.html",
        "reports/summary-2011-bilingual/index.html",
        "zh/periods/12th-five-year/index.html",
    ] {
        let path = copy.path().join(page);
        let html = std::fs::read_to_string(&path).unwrap();
        let inject = format!("<script src=\"file://{}\"></script>{run}", axe.display());
        std::fs::write(&path, html.replacen("</body>", &inject, 1)).unwrap();
        for width in [1280, 390] {
            let dom = dump_dom_sized(&chrome, &format!("file://{}", path.display()), 15000, width);
            let html = Html::parse_document(&dom);
            let result = html.select(&sel("html")).next().unwrap().value().attr("data-axe").map(str::to_owned);
            let result = result.unwrap_or_else(|| panic!("{page} at {width}: axe did not finish"));
            let violations: Vec<String> = serde_json::from_str(&result).unwrap();
            problems.extend(violations.into_iter().map(|v| format!("{page} at {width}: {v}")));
        }
    }
    assert!(problems.is_empty(), "axe-core violations:\n{}", problems.join("\n"));
}

/// The colours a chart is drawn in, as Chromium computes them: the first bar of each series, the
/// text, and the background it shows on (the nearest ancestor with one), in the page as loaded
/// and then in high contrast.
const COLOURS: &str = r#"<script>addEventListener("load", function () { setTimeout(function () {
  function bg(el) {
    for (; el && el.nodeType === 1; el = el.parentNode) {
      var c = getComputedStyle(el).backgroundColor;
      if (c && c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return "rgb(255, 255, 255)";
  }
  function measure() {
    var out = [];
    document.querySelectorAll(".chart-wide svg.chart").forEach(function (svg) {
      var pick = function (sel, prop) { var el = svg.querySelector(sel); return el ? getComputedStyle(el)[prop] : null; };
      out.push({ id: svg.closest("figure").id, bg: bg(svg), text: pick("text", "fill"),
        series: [pick(".series-0", "fill"), pick(".series-1", "fill"), pick(".series-2", "stroke")].filter(Boolean) });
    });
    return out;
  }
  var plain = measure();
  document.documentElement.setAttribute("data-contrast", "high");
  document.documentElement.setAttribute("data-colours", JSON.stringify({ plain: plain, high: measure() }));
}, 300); });</script></body>"#;

#[derive(serde::Deserialize, Debug)]
struct Colours {
    id: String,
    bg: String,
    text: String,
    series: Vec<String>,
}

/// `rgb(r, g, b)` as `#rrggbb`.
fn hex(rgb: &str) -> String {
    let inner = rgb.trim().trim_start_matches("rgba(").trim_start_matches("rgb(").trim_end_matches(')');
    let c: Vec<u8> = inner.split(',').take(3).map(|c| c.trim().parse().unwrap_or_else(|_| panic!("{rgb}"))).collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// In the dark scheme the charts draw on the page's dark background (no white card) in the dark
/// palette: every series 3:1 or more against it, the text 4.5:1 or more, also in high contrast;
/// in the light scheme, on white with the light palette.
#[test]
#[ignore = "needs Chromium"]
fn charts_take_the_dark_palette_in_the_dark_scheme() {
    let chrome = chromium();
    let copy = common::output_copy(common::example_built(&["--preview"]));
    for page in ["en/results/2011/index.html", "zh/periods/12th-five-year/index.html"] {
        let path = copy.path().join(page);
        let html = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, html.replacen("</body>", COLOURS, 1)).unwrap();
        for dark in [true, false] {
            let flags: &[&str] = if dark { &["--force-dark-mode"] } else { &[] };
            let dom = dump_dom_with(&chrome, &format!("file://{}", path.display()), 3000, flags);
            let html = Html::parse_document(&dom);
            let data = html.select(&sel("html")).next().unwrap().value().attr("data-colours").map(str::to_owned);
            let data = data.unwrap_or_else(|| panic!("{page}: no probe"));
            let modes: BTreeMap<String, Vec<Colours>> = serde_json::from_str(&data).unwrap();
            for (mode, charts) in &modes {
                assert!(!charts.is_empty(), "{page} {mode}: no chart measured");
                assert!(charts.iter().any(|c| c.series.len() >= 2), "{page} {mode}: a chart with two series: {charts:?}");
                for c in charts {
                    let (bg, text) = (hex(&c.bg), hex(&c.text));
                    let what = format!("{page} dark={dark} {mode} #{}: {c:?}", c.id);
                    assert_eq!(luminance(&bg) < 0.05, dark, "{what}: background {bg}");
                    assert!(!c.series.is_empty(), "{what}: series");
                    for s in &c.series {
                        let ratio = contrast(&hex(s), &bg);
                        assert!(ratio >= 3.0, "{what}: a series {} is {ratio:.2}:1 on {bg}", hex(s));
                    }
                    let ratio = contrast(&text, &bg);
                    assert!(ratio >= 4.5, "{what}: text {text} is {ratio:.2}:1 on {bg}");
                }
            }
        }
    }
}
