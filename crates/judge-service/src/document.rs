//! What a candidate reads of a problem before submitting (`GET /api/v1/problems/{id}` and
//! the problem page): a function problem's document, and for any problem the languages it
//! takes here with the stub in each.

use serde_json::{json, Value};

use super::http::ApiError;
use super::intake::{Loaded, DEFAULT_LANGUAGE};
use super::Service;
use judge_core::problem::spec;

/// A problem document's `languages` (each the problem takes here: id, name and the stub in
/// it) and its `stub` (Rust's, else the first language's).
pub(crate) fn with_languages(document: &mut Value, service: &Service, loaded: &Loaded) {
    let languages = loaded.languages(service);
    let list: Vec<Value> = languages
        .iter()
        .map(|l| json!({ "id": l.id, "name": l.name, "stub": loaded.stub(l) }))
        .collect();
    let first = languages
        .iter()
        .find(|l| l.id == DEFAULT_LANGUAGE)
        .or(languages.first());
    if let Some(first) = first {
        document["stub"] = Value::String(loaded.stub(first));
    }
    document["languages"] = Value::Array(list);
}

/// What a candidate needs before submitting: the statement, the signature and a stub, the
/// samples with their answers, the limits, and the groups with their points.
pub(crate) fn problem_document(
    problem: &spec::Problem,
    engine: judge_core::judge::Engine,
) -> Result<Value, ApiError> {
    // The limits in each language installed here that has its own (Python's 5x time).
    let languages = engine.languages().clone();
    let installed = languages.all().iter().filter(|l| l.installed().is_ok());
    let scaled = judge_core::build::scaled_limits(installed);
    let answers =
        judge_core::judge::sample_answers(problem, || Ok(engine)).map_err(ApiError::internal)?;
    let samples: Vec<Value> = problem
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
            json!({ "name": c.name, "args": args, "expected": answers.get(&c.name) })
        })
        .collect();
    let groups: Vec<Value> = problem
        .groups
        .iter()
        .map(|g| json!({ "name": g.name, "points": g.points, "cases": g.cases.len() }))
        .collect();
    Ok(json!({
        "id": problem.id,
        "title": problem.title,
        "difficulty": problem.difficulty.to_string(),
        "tags": problem.tags,
        "format": "function",
        "statement": judge_core::problem::statement::markdown_in(problem, &answers, &scaled),
        "signature": problem.signature.to_string(),
        "stub": judge_core::build::harness::stub(&problem.signature, &problem.records),
        "samples": samples,
        "limits": {
            "time_ms": problem.limits.time_ms,
            "memory_mb": problem.limits.memory_mb,
            "output_kb": problem.limits.output_kb,
        },
        "groups": groups,
        "max_score": problem.max_score(),
        "scoring": "a group scores its points only if every one of its cases passes; samples score nothing",
    }))
}
