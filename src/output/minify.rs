//! HTML minification with a depth guard: minify-html parses recursively and overflows the
//! stack on deeply nested markup (3,000 nested blockquotes abort the build), so a page nested
//! deeper than [`MAX_DEPTH`] is written as rendered, and the caller warns about it.

use rayon::prelude::*;

use crate::output::OutputFile;
pub use crate::render::html_depth::nesting_depth;

/// Deepest element nesting minified. Real pages are a few dozen deep; minify-html needs a few
/// kilobytes of stack per level, and the render threads have 2 MB.
pub const MAX_DEPTH: usize = 256;

/// A page left unminified: its output path and nesting depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    pub path: String,
    pub depth: usize,
}

fn cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    // The JS minifier breaks real scripts; CSS minification is safe.
    cfg.minify_js = false;
    cfg.minify_css = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg
}

fn minify_with(file: &mut OutputFile, cfg: &minify_html::Cfg) -> Option<TooDeep> {
    if !file.is_html {
        return None;
    }
    let depth = nesting_depth(&file.bytes);
    if depth > MAX_DEPTH {
        return Some(TooDeep { path: file.path.clone(), depth });
    }
    file.bytes = minify_html::minify(&file.bytes, cfg);
    None
}

/// Minifies every HTML file; returns the pages left as rendered because they nest too deep.
pub fn minify(files: &mut [OutputFile]) -> Vec<TooDeep> {
    let cfg = cfg();
    let mut deep: Vec<TooDeep> = files.par_iter_mut().filter_map(|f| minify_with(f, &cfg)).collect();
    deep.sort_by(|a, b| a.path.cmp(&b.path));
    deep
}

/// Minifies one file if it is HTML, unless it nests too deep (then says so).
pub fn minify_file(file: &mut OutputFile) -> Option<TooDeep> {
    minify_with(file, &cfg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_blockquotes_are_counted_and_left_unminified() {
        let body = format!("<body>{}x{}</body>", "<blockquote>\n".repeat(3000), "</blockquote>\n".repeat(3000));
        assert_eq!(nesting_depth(body.as_bytes()), 3001);
        let mut file = OutputFile { path: "zh/deep/index.html".into(), bytes: body.clone().into_bytes(), is_html: true };
        assert_eq!(minify_file(&mut file), Some(TooDeep { path: "zh/deep/index.html".into(), depth: 3001 }));
        assert_eq!(file.bytes, body.as_bytes());
    }

    #[test]
    fn pages_at_the_limit_are_minified_on_a_render_thread() {
        let body = format!("<body>{}x{}</body>", "<div>\n".repeat(MAX_DEPTH - 1), "</div>\n".repeat(MAX_DEPTH - 1));
        let mut files = vec![OutputFile { path: "a.html".into(), bytes: body.into_bytes(), is_html: true }];
        // A rayon worker has the same small stack as the render threads.
        let deep = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| minify(&mut files));
        assert!(deep.is_empty());
        assert!(!files[0].bytes.contains(&b'\n'));
    }
}
