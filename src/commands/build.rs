//! `planpress build`: load → validate → render → write.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::render::{self, RenderOptions};
use crate::{content, output, validate};

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    pub minify: bool,
    pub strict: bool,
}

pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the build failed and nothing was written.
    pub summary: Option<String>,
    /// The failure was in how planpress was called (e.g. a refused `--out`), not in the content.
    pub usage_error: bool,
}

/// Normalises a base URL to end with exactly one `/`.
pub fn normalise_base_url(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let fail = |diags: Diagnostics| BuildReport {
        diagnostics: diags.sorted(),
        summary: None,
        usage_error: false,
    };

    if let Err(e) = output::check_target(&options.root, &options.out) {
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error("E-output", &options.out, Position::file(), e.message).help(e.help),
        );
        return BuildReport {
            usage_error: true,
            ..fail(diags)
        };
    }
    let (site, mut diags) = content::load(&options.root);
    let Some(site) = site else { return fail(diags) };
    diags.extend(validate::validate(&site));
    let theme = render::theme::load(&site, &mut diags);
    if options.strict {
        diags.promote_warnings();
    }
    if diags.has_errors() {
        return fail(diags);
    }
    let base_url = normalise_base_url(
        options
            .base_url
            .as_deref()
            .unwrap_or(&site.config.base_url.value),
    );
    let rendered = match render::render(&site, &theme, &RenderOptions { base_url }) {
        Ok(r) => r,
        Err(render_diags) => {
            diags.extend(render_diags);
            return fail(diags);
        }
    };
    let mut files = rendered.files;
    if options.minify {
        output::minify(&mut files);
    }
    if let Err(e) = output::write_atomically(&options.out, &files) {
        diags.push(
            Diagnostic::error("E-output", &options.out, Position::file(), e.message).help(e.help),
        );
        return fail(diags);
    }
    let total: usize = rendered.pages_per_language.values().sum();
    let per_language: Vec<String> = site
        .language_codes()
        .iter()
        .map(|l| {
            format!(
                "{l} {}",
                rendered.pages_per_language.get(*l).copied().unwrap_or(0)
            )
        })
        .collect();
    let warnings = diags.warning_count();
    let warning_note = if warnings > 0 {
        format!(
            ", {warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let summary = format!(
        "built {total} pages ({}) into {} in {} ms{warning_note}",
        per_language.join(", "),
        display_path(&options.out),
        started.elapsed().as_millis()
    );
    BuildReport {
        diagnostics: diags.sorted(),
        summary: Some(summary),
        usage_error: false,
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}
