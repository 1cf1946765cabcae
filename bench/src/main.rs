//! `bench gen`: the command line of the corpus generator (see the library and bench/README.md).
//!
//! ```text
//! cargo run --release -p bench -- gen --pages N [--out DIR] [--hugo DIR] [--seed S] [--example DIR]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: bench gen --pages N [--out DIR] [--hugo DIR] [--seed S] [--example CONTENT_DIR]

  --pages N      result pages per language (zh and en)
  --out DIR      write a planpress site (DIR/content/...)
  --hugo DIR     write the equivalent Hugo site
  --seed S       PRNG seed (default 2011)
  --example DIR  the example site's content/ folder to copy (default: the repository's content/)
DIR must not exist or be empty.";

struct Args {
    pages: usize,
    out: Option<PathBuf>,
    hugo: Option<PathBuf>,
    seed: u64,
    example: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    match it.next().as_deref() {
        Some("gen") => {}
        Some("-h") | Some("--help") => return Err(String::new()),
        other => return Err(format!("expected the subcommand `gen`, got {other:?}")),
    }
    let mut pages = None;
    let mut out = None;
    let mut hugo = None;
    let mut seed = 2011;
    let mut example = bench::example_dir();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--pages" => pages = Some(val("--pages")?.parse::<usize>().map_err(|e| format!("--pages: {e}"))?),
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--hugo" => hugo = Some(PathBuf::from(val("--hugo")?)),
            "--seed" => seed = val("--seed")?.parse::<u64>().map_err(|e| format!("--seed: {e}"))?,
            "--example" => example = PathBuf::from(val("--example")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let pages = pages.ok_or("--pages is required")?;
    if out.is_none() && hugo.is_none() {
        return Err("give --out DIR, --hugo DIR or both".into());
    }
    Ok(Args { pages, out, hugo, seed, example })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match bench::gen(args.pages, args.seed, &args.example, args.out.as_deref(), args.hugo.as_deref()) {
        Ok(years) => {
            if let Some(out) = &args.out {
                eprintln!("planpress site: {} ({} results per language, years {:?})", out.display(), args.pages, years);
            }
            if let Some(dir) = &args.hugo {
                eprintln!("Hugo site: {} ({} results per language)", dir.display(), args.pages);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
