//! What a candidate reads of a problem before submitting (`GET /api/v1/problems/{id}` and
//! the problem page): a function problem's document, and for any problem the languages it
//! takes here with the stub in each.

use serde_json::Value;

use super::http::ApiError;
use super::intake::{Loaded, DEFAULT_LANGUAGE};
use super::openapi::{GroupSummary, LanguageStub, Limits, ProblemDocument, ProblemFormat, Sample};
use super::Service;
use judge_core::problem::spec;

/// A problem document's `languages` (each the problem takes here: id, name and the stub in
/// it) and its `stub` (Rust's, else the first language's).
pub(crate) fn with_languages(document: &mut ProblemDocument, service: &Service, loaded: &Loaded) {
    let languages = loaded.languages(service);
    let list = languages
        .iter()
        .map(|l| LanguageStub {
            id: l.id.clone(),
            name: l.name.clone(),
            stub: loaded.stub(l),
        })
        .collect();
    let first = languages
        .iter()
        .find(|l| l.id == DEFAULT_LANGUAGE)
        .or(languages.first());
    if let Some(first) = first {
        document.stub = loaded.stub(first);
    }
    document.languages = list;
}

/// What a candidate needs before submitting: the statement, the signature and a stub, the
/// samples with their answers, the limits, and the groups with their points.
pub(crate) fn problem_document(
    problem: &spec::Problem,
    engine: judge_core::judge::Engine,
) -> Result<ProblemDocument, ApiError> {
    // The limits in each language installed here that has its own (Python's 5x time).
    let languages = engine.languages().clone();
    let installed = languages.all().iter().filter(|l| l.installed().is_ok());
    let scaled = judge_core::build::scaled_limits(installed);
    let answers =
        judge_core::judge::sample_answers(problem, || Ok(engine)).map_err(ApiError::internal)?;
    let samples = problem
        .samples
        .iter()
        .map(|c| {
            let args: serde_json::Map<String, Value> = problem
                .signature
                .args
                .iter()
                .map(|(name, _)| name.clone())
                .zip(c.args.iter().cloned())
                .collect();
            Sample::Function {
                name: c.name.clone(),
                args,
                expected: answers.get(&c.name).cloned(),
            }
        })
        .collect();
    let groups = problem
        .groups
        .iter()
        .map(|g| GroupSummary {
            name: g.name.clone(),
            points: g.points,
            cases: g.cases.len(),
        })
        .collect();
    Ok(ProblemDocument {
        id: problem.id.clone(),
        title: problem.title.clone(),
        difficulty: problem.difficulty.to_string(),
        tags: problem.tags.clone(),
        format: ProblemFormat::Function,
        statement: judge_core::problem::statement::markdown_in(problem, &answers, &scaled),
        images: None,
        signature: Some(problem.signature.to_string()),
        program: None,
        interactive: None,
        stub: judge_core::build::harness::stub(&problem.signature, &problem.records),
        // Put beside the stub by `with_languages`, which knows the server's languages.
        languages: Vec::new(),
        samples,
        limits: Limits {
            time_ms: Some(problem.limits.time_ms),
            memory_mb: problem.limits.memory_mb,
            output_kb: problem.limits.output_kb,
        },
        groups,
        max_score: problem.max_score(),
        scoring:
            "a group scores its points only if every one of its cases passes; samples score nothing"
                .into(),
    })
}
