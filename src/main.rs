//! The `planpress` command line. Exit codes: 0 success, 1 content errors, 2 usage errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use planpress::commands::build::{build, BuildOptions, BuildReport};
use planpress::commands::pdf::{pdf, PdfOptions};
use planpress::diagnostics::Severity;
use planpress::model::Paper;

#[derive(Parser)]
#[command(
    name = "planpress",
    version,
    about = "Bilingual static website and print-ready booklets for an annual science-and-technology plan"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder (the one containing content/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Say nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Treat warnings (missing translations) as errors.
    #[arg(long)]
    strict: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override base_url of site.yaml, e.g. for a preview deploy.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Write HTML as rendered, without minifying.
        #[arg(long)]
        no_minify: bool,
    },
    /// Build the site, then print the booklets to PDF with Chromium (two passes, so the
    /// contents carry the right page numbers).
    Pdf {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site and the PDFs [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override base_url of site.yaml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Only this language's booklets (a language code, or `bilingual`).
        #[arg(long, value_name = "L")]
        lang: Option<String>,
        /// Only this year's booklets.
        #[arg(long, value_name = "Y")]
        year: Option<u32>,
        /// Paper size, overriding print.paper of site.yaml.
        #[arg(long, value_enum)]
        size: Option<Size>,
        /// The browser to print with [default: chromium or google-chrome on PATH].
        #[arg(long, value_name = "PATH")]
        chrome: Option<PathBuf>,
        /// Write HTML as rendered, without minifying.
        #[arg(long)]
        no_minify: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Size {
    A4,
    A5,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let (site, report) = match cli.command {
        Command::Build { site, out, base_url, no_minify } => {
            let out = out.unwrap_or_else(|| site.root.join("public"));
            let report = build(&BuildOptions { root: site.root.clone(), out, base_url, minify: !no_minify, strict: site.strict });
            (site, report)
        }
        Command::Pdf { site, out, base_url, lang, year, size, chrome, no_minify } => {
            let out = out.unwrap_or_else(|| site.root.join("public"));
            let paper = size.map(|s| match s {
                Size::A4 => Paper::A4,
                Size::A5 => Paper::A5,
            });
            let report = pdf(&PdfOptions { root: site.root.clone(), out, base_url, lang, year, paper, chrome, minify: !no_minify });
            (site, report)
        }
    };
    report_and_exit(&site, report)
}

fn report_and_exit(site: &SiteArgs, report: BuildReport) -> ExitCode {
    // Colour only on a terminal; plain text in CI and in files.
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in &report.diagnostics {
        if site.quiet && d.severity == Severity::Warning {
            continue;
        }
        let text = d.render(&site.root);
        if color {
            let start = match d.severity {
                Severity::Error => "\x1b[1;31m",
                Severity::Warning => "\x1b[1;33m",
            };
            let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
            eprintln!("{start}{head}\x1b[0m\n{rest}");
        } else {
            eprintln!("{text}");
        }
    }
    match report.summary {
        Some(summary) => {
            if !site.quiet {
                println!("{summary}");
            }
            ExitCode::SUCCESS
        }
        None => {
            let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            eprintln!("failed: {errors} error{}; the output folder was left as it was", if errors == 1 { "" } else { "s" });
            ExitCode::from(if report.usage_error { 2 } else { 1 })
        }
    }
}
