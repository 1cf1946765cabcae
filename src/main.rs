//! The `planpress` command line. Exit codes: 0 success, 1 content errors, 2 usage errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use planpress::commands::build::{build, BuildOptions, BuildReport};
use planpress::commands::check::{check, CheckOptions, Format, UpdateHashes};
use planpress::commands::pdf::{pdf, PdfOptions};
use planpress::diagnostics::{MessageLang, Severity};
use planpress::model::{Paper, PrintProfile};
use planpress::publish::Publication;

// A build allocates many short-lived strings and template values on every core; mimalloc
// keeps them in per-thread pages, where glibc malloc spent about a sixth of the CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `planpress --version`: the version and the commit it was built from (build.rs), so a CI log
/// or a bug report says exactly which planpress ran: `planpress 0.1.0 (commit 7a31825abcde)`.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("PLANPRESS_COMMIT"), ")");

#[derive(Parser)]
#[command(
    name = "planpress",
    version = VERSION,
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

#[derive(Args)]
struct MessageArgs {
    /// Language of messages, `zh` or `en` [default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG as
    /// gettext reads them: Chinese for zh_*, else English].
    #[arg(long, value_name = "L")]
    lang: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        messages: MessageArgs,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Override base_url of site.yaml, e.g. for a preview deploy.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Write HTML as rendered, without minifying.
        #[arg(long)]
        no_minify: bool,
        /// Build the preview: every state (drafts marked as drafts, not indexed) into
        /// ROOT/public-preview unless --out says where; without it, only approved content.
        #[arg(long)]
        preview: bool,
    },
    /// Check everything a build checks, every internal link and anchor, and the translations
    /// (missing and stale), without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        messages: MessageArgs,
        /// `json` for CI dashboards.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// First record the current source hash (`translated_from`) in the front matter of the
        /// translations named (PATH…), or of every translation with `--all`: say so when they
        /// are up to date.
        #[arg(long)]
        update_hashes: bool,
        /// With `--update-hashes`: confirm every translation at once.
        #[arg(long, requires = "update_hashes", conflicts_with = "paths")]
        all: bool,
        /// With `--update-hashes`: the translations (e.g. content/pages/about.en.md) to confirm.
        #[arg(value_name = "PATH", requires = "update_hashes")]
        paths: Vec<PathBuf>,
        /// Add the review trail: per state what waits for whom, every published figure with
        /// the file and sign-off it comes from, and (in a git repository) changes after sign-off.
        #[arg(long)]
        review: bool,
    },
    /// Serve the site over HTTP, rebuild when a file changes, and reload open pages.
    Serve {
        /// The site folder (the one containing content/).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default serves this machine only.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        messages: MessageArgs,
    },
    /// Sign off records (签发): set `review: {state: approved, by: NAME, date: D}` in each file
    /// named, changing nothing else in it.
    Approve {
        /// The site folder (the one containing content/).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Record files: a plan.yaml, a task, result, partner or period YAML, or a page's
        /// default-language Markdown (relative to the site root or the working directory).
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
        /// Who signs off (签发人).
        #[arg(long, value_name = "NAME")]
        by: String,
        /// The date of the sign-off, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "D")]
        date: Option<String>,
        #[command(flatten)]
        messages: MessageArgs,
    },
    /// Create a new site, or a task, result, partner or page in every language of a site.
    New {
        #[command(subcommand)]
        what: NewCommand,
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
        /// Print profile, overriding print.profile of site.yaml (official: after GB/T 9704, always A4).
        #[arg(long, value_enum)]
        profile: Option<ProfileArg>,
        /// The browser to print with [default: chromium or google-chrome on PATH].
        #[arg(long, value_name = "PATH")]
        chrome: Option<PathBuf>,
        /// Write HTML as rendered, without minifying.
        #[arg(long)]
        no_minify: bool,
        /// Print the preview: every state, drafts watermarked, into ROOT/public-preview unless
        /// --out says where; without it, only approved content.
        #[arg(long)]
        preview: bool,
        /// For a print shop: the cover with 3 mm bleed, TrimBox and BleedBox on every page.
        #[arg(long)]
        prepress: bool,
    },
    /// Import year-end figures from a workbook or CSV (the layout of `export-template`, or one
    /// described by --mapping) as results: content/results/<year>/<slug>.yaml and a text stub
    /// per language. Never overwrites; writes nothing if any row has a problem.
    Import {
        /// The .xlsx, .xls, .ods or .csv file.
        file: PathBuf,
        /// The year of the figures (a plan year).
        #[arg(long)]
        year: u32,
        /// Read only this sheet [default: every sheet with the columns].
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// A mapping file (import.yaml) naming the columns of another layout.
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Print what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Change the figures of results that exist (their changes are shown).
        #[arg(long)]
        update: bool,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        messages: MessageArgs,
        /// The folder the result files are written to [default: ROOT/content/results/YEAR].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write the workbook divisions fill in with a year's figures: one row per target of the
    /// year's plan, drop-down lists of ids, instructions in Chinese and English.
    ExportTemplate {
        /// The plan year.
        #[arg(long)]
        year: u32,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        messages: MessageArgs,
        /// A folder to write results-template-<year>.xlsx into, or the .xlsx path [default: ROOT].
        #[arg(long, value_name = "DIR|FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// A minimal bilingual site in DIR that builds at once, with the CI that checks, builds and
    /// publishes it (GitHub Actions and GitLab CI unless --ci says which).
    Site {
        dir: PathBuf,
        /// Which CI files to write [default: both].
        #[arg(long, value_enum)]
        ci: Option<Ci>,
    },
    /// A plan year: content/plan/<year>/plan.yaml; with --from, the tasks of that year copied
    /// as tasks that continue them (text and translation hashes included).
    Plan {
        year: u32,
        /// Start from this year's plan.
        #[arg(long, value_name = "YEAR")]
        from: Option<u32>,
        /// The site folder (the one containing content/).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A key task of a plan year: content/plan/<year>/tasks/<slug>.yaml and its text per language.
    Task {
        slug: String,
        #[command(flatten)]
        at: NewArgs,
    },
    /// A year-end result: content/results/<year>/<slug>.yaml and its text per language.
    Result {
        slug: String,
        #[command(flatten)]
        at: NewArgs,
        /// Date of the result, YYYY-MM-DD [default: today, or the year's last day].
        #[arg(long)]
        date: Option<String>,
    },
    /// A partner: content/partners/<id>.yaml.
    Partner {
        id: String,
        #[command(flatten)]
        at: NewArgs,
    },
    /// A free page: content/pages/<slug>.<lang>.md per language.
    Page {
        slug: String,
        #[command(flatten)]
        at: NewArgs,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Ci {
    Github,
    Gitlab,
    None,
}

#[derive(Args)]
struct NewArgs {
    /// The site folder (the one containing content/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Plan year [default: current_year of site.yaml, else the latest plan].
    #[arg(long)]
    year: Option<u32>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Size {
    A4,
    A5,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ProfileArg {
    Booklet,
    Official,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    // `output`: the command writes an output folder (its failure leaves it as it was).
    let (site, lang, report, output) = match cli.command {
        Command::New { what } => return run_new(what),
        Command::Approve { root, paths, by, date, messages } => return run_approve(root, paths, by, date, messages),
        Command::Serve { root, port, bind, open, messages } => return run_serve(root, port, bind, open, messages),
        Command::Check { site, messages, format, update_hashes, all, paths, review } => {
            return run_check(site, messages, format, update_hashes, all, paths, review);
        }
        Command::Build { site, messages, out, base_url, no_minify, preview } => {
            let lang = MessageLang::detect(messages.lang.as_deref());
            let (publication, out) = publication(&site, out, preview);
            let report = build(&BuildOptions {
                root: site.root.clone(),
                out,
                base_url,
                minify: !no_minify,
                strict: site.strict,
                quiet: site.quiet,
                lang,
                publication,
            });
            (site, lang, report, true)
        }
        Command::Import { file, year, sheet, mapping, dry_run, update, site, messages, out } => {
            let lang = MessageLang::detect(messages.lang.as_deref());
            use planpress::commands::import::{import, ImportOptions};
            let report = import(&ImportOptions { root: site.root.clone(), out, file, year, sheet, mapping, dry_run, update });
            (site, lang, report, false)
        }
        Command::ExportTemplate { year, site, messages, out } => {
            let lang = MessageLang::detect(messages.lang.as_deref());
            use planpress::commands::template::{export_template, TemplateOptions};
            let out = out.unwrap_or_else(|| site.root.clone());
            let report = export_template(&TemplateOptions { root: site.root.clone(), out, year });
            (site, lang, report, false)
        }
        Command::Pdf { site, out, base_url, lang, year, size, profile, chrome, no_minify, preview, prepress } => {
            let (publication, out) = publication(&site, out, preview);
            let paper = size.map(|s| match s {
                Size::A4 => Paper::A4,
                Size::A5 => Paper::A5,
            });
            // `--lang` picks the booklets here; messages follow the environment.
            let messages = MessageLang::detect(None);
            let report = pdf(&PdfOptions {
                strict: site.strict,
                quiet: site.quiet,
                root: site.root.clone(),
                out,
                base_url,
                lang,
                year,
                paper,
                profile: profile.map(|p| match p {
                    ProfileArg::Booklet => PrintProfile::Booklet,
                    ProfileArg::Official => PrintProfile::Official,
                }),
                chrome,
                minify: !no_minify,
                publication,
                prepress,
            });
            let failed = report.summary.is_none();
            let code = report_and_exit(&site, messages, report, true);
            // Stopped by Ctrl-C: the conventional 128 + SIGINT.
            return if failed && planpress::commands::pdf::interrupted() { ExitCode::from(130) } else { code };
        }
    };
    report_and_exit(&site, lang, report, output)
}

/// Public or preview, and where it goes: a preview has its own default folder, so it is never
/// mistaken for (or deployed as) the public site.
fn publication(site: &SiteArgs, out: Option<PathBuf>, preview: bool) -> (Publication, PathBuf) {
    let (publication, folder) = if preview { (Publication::Preview, "public-preview") } else { (Publication::Public, "public") };
    (publication, out.unwrap_or_else(|| site.root.join(folder)))
}

/// `planpress serve`: runs until stopped; a start-up problem (a busy port) exits 2.
fn run_serve(root: PathBuf, port: u16, bind: std::net::IpAddr, open: bool, messages: MessageArgs) -> ExitCode {
    let lang = MessageLang::detect(messages.lang.as_deref());
    match planpress::commands::serve::serve(planpress::commands::serve::ServeOptions { root, bind, port, open, lang }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}{message}", lang.pick("error: ", "错误："));
            ExitCode::from(2)
        }
    }
}

/// `planpress check`, its report as text or JSON.
fn run_check(
    site: SiteArgs,
    messages: MessageArgs,
    format: OutputFormat,
    update_hashes: bool,
    all: bool,
    paths: Vec<PathBuf>,
    review: bool,
) -> ExitCode {
    let lang = MessageLang::detect(messages.lang.as_deref());
    let format = match format {
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
    };
    let update_hashes = match (update_hashes, all) {
        (false, _) => UpdateHashes::None,
        (true, true) => UpdateHashes::All,
        (true, false) if paths.is_empty() => {
            eprintln!(
                "{}",
                lang.pick(
                    "error: --update-hashes confirms translations as up to date: name the ones you checked \
                     (`planpress check --update-hashes content/pages/about.en.md …`), or add --all to confirm every one",
                    "错误：--update-hashes 用于确认译文已与原文一致：请写出已核对的译文文件\
                     （`planpress check --update-hashes content/pages/about.en.md …`），或加 --all 确认全部译文",
                )
            );
            return ExitCode::from(2);
        }
        (true, false) => UpdateHashes::Only(paths),
    };
    let report = check(&CheckOptions { root: site.root.clone(), strict: site.strict, format, update_hashes, review });
    if format == Format::Json {
        println!("{}", report.json(&site.root));
    } else {
        print_diagnostics(&site, lang, &report.diagnostics);
        print!("{}", report.text_in(&site.root, lang));
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn report_and_exit(site: &SiteArgs, lang: MessageLang, report: BuildReport, output: bool) -> ExitCode {
    print_diagnostics(site, lang, &report.diagnostics);
    match report.summary {
        Some(summary) => {
            if !site.quiet {
                println!("{}", summary.in_lang(lang));
            }
            ExitCode::SUCCESS
        }
        None => {
            let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            let s = if errors == 1 { "" } else { "s" };
            match (lang, output) {
                (MessageLang::Zh, true) => eprintln!("失败：{errors} 个错误；输出文件夹保持原样"),
                (MessageLang::Zh, false) => eprintln!("失败：{errors} 个错误；未写入任何文件"),
                (MessageLang::En, true) => eprintln!("failed: {errors} error{s}; the output folder was left as it was"),
                (MessageLang::En, false) => eprintln!("failed: {errors} error{s}; nothing was written"),
            }
            ExitCode::from(if report.usage_error { 2 } else { 1 })
        }
    }
}

fn print_diagnostics(site: &SiteArgs, lang: MessageLang, diagnostics: &[planpress::diagnostics::Diagnostic]) {
    // Colour only on a terminal; plain text in CI and in files.
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        if site.quiet && d.severity != Severity::Error {
            continue;
        }
        let text = d.render_in(&site.root, lang);
        if color {
            let start = match d.severity {
                Severity::Error => "\x1b[1;31m",
                Severity::Warning => "\x1b[1;33m",
                Severity::Info => "\x1b[1;36m",
            };
            let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
            eprintln!("{start}{head}\x1b[0m\n{rest}");
        } else {
            eprintln!("{text}");
        }
    }
}

/// `planpress approve`: every file signed off, or (on any problem) none.
fn run_approve(root: PathBuf, paths: Vec<PathBuf>, by: String, date: Option<String>, messages: MessageArgs) -> ExitCode {
    use planpress::commands::approve::{approve, ApproveOptions};
    let lang = MessageLang::detect(messages.lang.as_deref());
    match approve(&ApproveOptions { root, paths, by, date }) {
        Ok(lines) => {
            lines.iter().for_each(|l| println!("{}", l.in_lang(lang)));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            errors.iter().for_each(|e| eprintln!("{}{}", lang.pick("error: ", "错误："), e.in_lang(lang)));
            eprintln!("{}", lang.pick("nothing was signed off", "没有签发任何文件"));
            ExitCode::from(1)
        }
    }
}

fn run_new(what: NewCommand) -> ExitCode {
    // `new` has no `--lang`: its few lines follow the environment.
    let lang = MessageLang::detect(None);
    use planpress::commands::new::{new_record, new_site, CiFiles, Kind, NewOptions};
    let record = |kind, name: String, at: NewArgs, date| new_record(&NewOptions { root: at.root, kind, name, year: at.year, date });
    let result = match what {
        NewCommand::Site { dir, ci } => {
            let ci = match ci {
                None => CiFiles { github: true, gitlab: true },
                Some(Ci::Github) => CiFiles { github: true, gitlab: false },
                Some(Ci::Gitlab) => CiFiles { github: false, gitlab: true },
                Some(Ci::None) => CiFiles { github: false, gitlab: false },
            };
            new_site(&dir, ci)
        }
        NewCommand::Plan { year, from, root } => planpress::commands::new_plan::new_plan(&root, year, from),
        NewCommand::Task { slug, at } => record(Kind::Task, slug, at, None),
        NewCommand::Result { slug, at, date } => record(Kind::Result, slug, at, date),
        NewCommand::Partner { id, at } => record(Kind::Partner, id, at, None),
        NewCommand::Page { slug, at } => record(Kind::Page, slug, at, None),
    };
    match result {
        Ok(files) => {
            for f in &files {
                println!("{} {}", lang.pick("created", "已创建"), f.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{}: {}", lang.pick("error", "错误"), message.in_lang(lang));
            ExitCode::from(1)
        }
    }
}
