//! Markdown front door: any UTF-8 text as a Markdown body, rendered with raw HTML off and on,
//! then minified inside a page as `build` writes it. Must not panic, and (unless
//! PLANPRESS_FUZZ_PANIC_ONLY is set) must not produce script. See docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planpress::render::markdown::{render, MarkdownOptions};
use planpress::output::OutputFile;
use planpress_fuzz::check::{check_file, check_html_fragment};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // `build` renders and minifies on rayon's worker threads, whose stacks are 2 MiB; libFuzzer
    // calls us on the main thread (8 MiB), where a too-deep recursion would go unnoticed.
    std::thread::scope(|s| s.spawn(|| check(text)).join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
});

fn check(text: &str) {
    for allow_raw_html in [false, true] {
        let html = render(text, &MarkdownOptions { allow_raw_html, link_base: "../", withheld: &Default::default() });
        let page = format!("<!DOCTYPE html><html><head><title>t</title></head><body><main>{html}</main></body></html>");
        let mut file = OutputFile { path: "page.html".to_owned(), bytes: page.into_bytes(), is_html: true };
        let _ = planpress::output::minify_file(&mut file);
        if planpress_fuzz::panic_only() {
            continue;
        }
        let mut problems = check_html_fragment(&html);
        problems.extend(check_file(&file.path, &file.bytes));
        assert!(problems.is_empty(), "allow_raw_html: {allow_raw_html}\n{}\n--- rendered:\n{html}", problems.join("\n"));
    }
}
