//! `judge similarity <files or folders...>`: pairs of submissions ranked by how much code
//! they share (`similarity`), as text with the best pairs side by side, or `--json`
//! (docs/similarity.md).

use std::path::PathBuf;

use super::{emit, kattis};
use crate::error::{Error, UsageError};
use crate::problem::bank::Bank;
use crate::problem::{package, spec};
use crate::similarity::{self, lexer, Options, Submission, DEFAULT_K, DEFAULT_WINDOW};

#[derive(clap::Args)]
pub(super) struct Args {
    /// Submission files, or folders walked for them (files ending in .rs, .c, .cpp, .java,
    /// .py, ...)
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// The problem they answer (an id or a folder): its stub is code everyone was given and
    /// does not count
    #[arg(long)]
    problem: Option<String>,
    /// A file of code everyone was given (a template): none of it counts; repeat for more
    #[arg(long, value_name = "FILE")]
    base: Vec<PathBuf>,
    /// Print the comparison as one JSON object
    #[arg(long)]
    json: bool,
    /// Pairs listed, best first
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Pairs whose shared code is shown side by side (text only)
    #[arg(long, value_name = "N", default_value_t = 3)]
    show: usize,
    /// Tokens in a k-gram: no shorter match is seen
    #[arg(long, value_name = "N", default_value_t = DEFAULT_K, value_parser = clap::value_parser!(u16).range(2..=200))]
    k: u16,
    /// Hashes in a winnowing window: any match of window + k - 1 tokens is seen
    #[arg(long, value_name = "N", default_value_t = DEFAULT_WINDOW, value_parser = clap::value_parser!(u16).range(1..=200))]
    window: u16,
    /// Fingerprints in more than this share of the submissions (and in at least three) are
    /// code everyone writes, and do not count
    #[arg(long, value_name = "SHARE", default_value_t = 0.5, value_parser = share)]
    common: f64,
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(format!("{text} is not a share between 0 (excluded) and 1")),
    }
}

pub(super) fn run(bank: impl Fn() -> Result<Bank, Error>, args: &Args) -> Result<i32, Error> {
    let (submissions, skipped) = similarity::collect(&args.paths)?;
    let mut base = Vec::new();
    if let Some(problem) = &args.problem {
        base.push(stub(&bank()?, problem)?);
    }
    for path in &args.base {
        let text =
            std::fs::read_to_string(path).map_err(|_| UsageError::NoBaseFile(path.clone()))?;
        let language = lexer::language_for(&path.to_string_lossy())
            .ok_or_else(|| similarity::SimilarityError::UnknownType(path.clone()))?;
        base.push(Submission {
            name: path.to_string_lossy().into_owned(),
            language,
            text,
        });
    }
    let options = Options {
        k: usize::from(args.k),
        window: usize::from(args.window),
        base,
        common: args.common,
        top: args.top,
    };
    let mut report = similarity::compare(&submissions, &options);
    report.skipped = skipped;
    if args.json {
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        emit(format_args!("{json}\n"));
    } else {
        emit(format_args!(
            "{}",
            similarity::render::text(&report, &submissions, args.show)
        ));
    }
    Ok(0)
}

/// The stub a problem hands out: a function problem's signature, or a package's `main`.
fn stub(bank: &Bank, problem: &str) -> Result<Submission, Error> {
    let text = if let Some(dir) = kattis::package_dir(bank, problem) {
        let _ = package::load(&dir)?;
        package::document::STUB.to_string()
    } else {
        let p = spec::load(&bank.resolve(problem)?)?;
        crate::build::harness::stub(&p.signature, &p.records)
    };
    Ok(Submission {
        name: format!("the stub of {problem}"),
        language: &lexer::RUST,
        text,
    })
}
