//! `judge similarity <files or folders...>`: pairs of submissions ranked by how much code
//! they share (`similarity`), as text with the best pairs side by side, or `--json`
//! (docs/similarity.md).

use super::args::SimilarityArgs;
use super::emit;
use super::kattis;
use crate::error::{Error, UsageError};
use crate::problem::bank::Bank;
use crate::problem::{package, spec};
use crate::similarity::{self, lexer, Options, Submission};

pub(super) fn run(
    bank: impl Fn() -> Result<Bank, Error>,
    args: &SimilarityArgs,
) -> Result<i32, Error> {
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
