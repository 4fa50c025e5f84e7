//! Kattis problem packages in the service: their rows in the problem list, their problem
//! document, and which bank problems are packages. Judging goes through
//! `Engine::start_package` (`worker.rs`), and their versions travel as any problem's
//! (`packages.rs`).

use std::path::Path;

use super::openapi::StatementImage;
use super::openapi::{
    GroupSummary, Limits, ProblemDocument, ProblemFormat, ProblemSummary, Sample,
};
use judge_core::judge::package_grade;
use judge_core::problem::package::{self, document, Item, Package, TestGroup};
use judge_core::problem::spec::SpecError;

/// A package's difficulty: the format gives none.
pub const UNRATED: &str = "unrated";

/// The package in `dir`, when `dir` holds one (rather than a TOML problem).
pub fn load(dir: &Path) -> Option<Result<Package, SpecError>> {
    package::is_package(dir).then(|| package::load(dir))
}

/// The package's row of `GET /api/v1/problems`, in the TOML problems' shape.
pub fn summary(package: &Package) -> ProblemSummary {
    ProblemSummary {
        id: package.id.clone(),
        title: package.name.clone(),
        difficulty: UNRATED.into(),
        tags: Vec::new(),
        format: ProblemFormat::Kattis,
    }
}

/// What a candidate needs before submitting: the statement (Markdown as the package has
/// it, with the limits and samples), the samples as text, the limits, the groups and how
/// they score, and a whole program to start from (no signature: stdin to stdout).
pub fn document(package: &Package) -> ProblemDocument {
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    // An interactive problem's sample files are the validator's, never shown.
    let samples = if package.interactive {
        Vec::new()
    } else {
        package
            .samples
            .cases()
            .iter()
            .map(|c| Sample::Package {
                name: c.name.clone(),
                input: read(&c.input),
                answer: read(&c.answer),
            })
            .collect()
    };
    let points = |g: &TestGroup| {
        if package.scoring {
            package_grade::max_score(g).max(0.0).round() as u32
        } else {
            0
        }
    };
    let groups = case_groups(&package.secret)
        .into_iter()
        .map(|g| {
            let cases = g
                .items
                .iter()
                .filter(|i| matches!(i, Item::Case(_)))
                .count();
            GroupSummary {
                name: g.name.clone(),
                points: points(g),
                cases,
            }
        })
        .collect();
    let scoring = if package.scoring {
        "a scoring problem: each group scores as the package's testdata.yaml says (the format's default grader), the submission's score is the secret groups' together; samples score nothing"
    } else {
        "accepted when every secret case is (the first rejected case decides the verdict); no points"
    };
    let images = package
        .statement
        .iter()
        .flat_map(|s| &s.images)
        .map(|i| StatementImage {
            reference: i.reference.clone(),
            caption: i.caption.clone(),
            available: i.file.is_some(),
        })
        .collect();
    let program = if package.interactive {
        "a whole program talking with the judge's validator over stdin and stdout (flush after each line)"
    } else {
        "a whole program: it reads the input on stdin and writes the answer on stdout"
    };
    ProblemDocument {
        id: package.id.clone(),
        title: package.name.clone(),
        difficulty: UNRATED.into(),
        tags: Vec::new(),
        format: ProblemFormat::Kattis,
        statement: document::statement(package),
        images: Some(images),
        signature: None,
        program: Some(program.into()),
        interactive: Some(package.interactive),
        // Rust's; the languages' own are put beside it with the list of languages.
        stub: document::STUB.into(),
        languages: Vec::new(),
        samples,
        limits: Limits {
            // None: derived from the package's accepted submissions when first judged.
            time_ms: package.limits.time_ms,
            memory_mb: package.limits.memory_mb,
            output_kb: package.limits.output_kb,
        },
        groups,
        max_score: points(&package.secret),
        scoring: scoring.into(),
    }
}

/// The groups under `group` that hold cases, in order: the groups a report shows.
fn case_groups(group: &TestGroup) -> Vec<&TestGroup> {
    group
        .groups()
        .into_iter()
        .filter(|g| g.items.iter().any(|i| matches!(i, Item::Case(_))))
        .collect()
}

#[cfg(test)]
mod tests {
    /// `document::STUB` (similarity's base for a package) is the table's Rust stub.
    #[test]
    fn the_packages_rust_stub_is_the_languages_tables() {
        let table = judge_core::languages::Languages::builtin();
        assert_eq!(
            table.get("rust").unwrap().stub.as_deref(),
            Some(judge_core::problem::package::document::STUB)
        );
    }
}
