//! YAML front door: the first byte picks the file (site.yaml, metrics.yaml, a plan, task,
//! partner or result record, or a page's front matter) and whether raw HTML is allowed; the
//! rest is that file's bytes. A small site is then loaded, validated, rendered and minified
//! exactly as `build` does. Must not panic; a failure must name a file of the site; a success
//! must not contain script (unless PLANPRESS_FUZZ_PANIC_ONLY is set). See docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;
use planpress_fuzz::check::check_file;
use planpress_fuzz::site::{self, MiniSite, Outcome};

const FILES: &[&str] = &[site::SITE, site::METRICS, site::PLAN, site::TASK, site::PARTNER, site::RESULT, site::PAGE];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let file = FILES[usize::from(selector & 0x7f) % FILES.len()];
    let site = MiniSite::new();
    site.reset(selector & 0x80 != 0);
    site.put(file, bytes);
    let outcome = site.build();
    if planpress_fuzz::panic_only() {
        return;
    }
    match outcome {
        Outcome::Failed(diags) => {
            assert!(site::names_a_file(&diags, site.root()), "the build failed without naming a file of the site: {diags:#?}");
        }
        Outcome::Built(files) => {
            let problems: Vec<String> = files.iter().flat_map(|f| check_file(&f.path, &f.bytes)).collect();
            assert!(problems.is_empty(), "{file}:\n{}", problems.join("\n"));
        }
    }
});
