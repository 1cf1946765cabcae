//! Micro-benchmarks of planpress's rendering, so that regressions show:
//!
//! - `markdown`: one generated result body (zh: ~750 characters, en: ~1,000 words) through
//!   `planpress::render::markdown::render` (pulldown-cmark plus the CJK fixes); throughput in bytes.
//! - `load_and_validate`: `commands::build::prepare` (load the content, validate it, load the theme)
//!   on a generated site with 50 results per language.
//! - `render_page`: one page of that site through `Renderer::render_page_at` (the shared views and
//!   context are built once, as in a build): a result, a key task, a year's list of results and
//!   the home page, in Chinese.
//! - `render_site`: `render::render` of that site in memory (pages, booklets, search index; no
//!   minification, no writing); throughput in HTML pages, so 1/throughput is the cost of one page
//!   (on all cores: rayon renders pages in parallel).
//!
//! Run with `cargo bench -p bench` (add `-- markdown` to pick one). The site is generated once into
//! a temporary folder, removed at the end.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use planpress::commands::build::{prepare, Prepared};
use planpress::render::markdown::{self, MarkdownOptions};
use planpress::render::{self, RenderOptions, Renderer};

const SITE_PAGES: usize = 50;
const SEED: u64 = 2011;

fn main() {
    divan::main();
    if let Some(dir) = SITE.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A generated result body: result 10 has tasks, partners, metric values and a see-also link.
fn body(lang: &str) -> &'static str {
    static BODIES: OnceLock<(String, String)> = OnceLock::new();
    let (zh, en) = BODIES.get_or_init(|| {
        let ex = bench::load_example(&bench::example_dir()).expect("example content");
        bench::generate(&ex, 11, SEED).swap_remove(10).body
    });
    if lang == "zh" {
        zh
    } else {
        en
    }
}

#[divan::bench(args = ["zh", "en"])]
fn markdown(bencher: Bencher, lang: &str) {
    let text = body(lang);
    let options = MarkdownOptions { allow_raw_html: false, link_base: "../../../../zh/" };
    bencher.counter(BytesCount::of_str(text)).bench(|| markdown::render(black_box(text), &options));
}

static SITE: OnceLock<PathBuf> = OnceLock::new();

/// The generated site's root (generated on first use).
fn site_root() -> &'static PathBuf {
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("planpress-divan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        bench::gen(SITE_PAGES, SEED, &bench::example_dir(), Some(&dir), None).expect("generate the site");
        dir
    })
}

fn prepared() -> Prepared {
    match prepare(site_root(), None, false) {
        Ok(p) => p,
        Err(report) => panic!("the generated site does not load: {} diagnostics", report.diagnostics.len()),
    }
}

#[divan::bench(sample_count = 20)]
fn load_and_validate(bencher: Bencher) {
    let root = site_root();
    bencher.bench(|| prepare(black_box(root), None, false).is_ok());
}

#[divan::bench(sample_count = 20)]
fn render_site(bencher: Bencher) {
    let Prepared { site, theme, .. } = prepared();
    let options = RenderOptions { base_url: "https://example.org/kjt/".into() };
    let html = render::render(&site, &theme, &options)
        .unwrap_or_else(|_| panic!("the generated site does not render"))
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .count();
    bencher.counter(ItemsCount::new(html)).bench(|| render::render(&site, &theme, black_box(&options)).is_ok());
}

/// A page of each kind, by the start of its URL and its depth in folders.
const PAGES: [&str; 4] = ["result", "task", "results", "home"];

#[divan::bench(args = PAGES, sample_count = 50)]
fn render_page(bencher: Bencher, kind: &str) {
    let Prepared { site, theme, .. } = prepared();
    let options = RenderOptions { base_url: "https://example.org/kjt/".into() };
    let renderer = Renderer::new(&site, &theme, options).unwrap_or_else(|_| panic!("the generated site does not render"));
    let depth = |url: &str| url.trim_end_matches('/').split('/').count();
    let url = renderer
        .page_urls()
        .find(|url| match kind {
            "result" => url.starts_with("zh/results/") && depth(url) == 4,
            "task" => url.starts_with("zh/plan/") && depth(url) == 4,
            "results" => url.starts_with("zh/results/") && depth(url) == 3,
            _ => *url == "zh/",
        })
        .unwrap_or_else(|| panic!("the generated site has no {kind} page"))
        .to_owned();
    bencher.bench(|| renderer.render_page_at(&site, black_box(&url)).map(|r| r.is_ok()));
}
