//! A function problem as the API and the pages give it to a candidate: the statement, the
//! signature and a stub, the samples with their answers, the limits and the groups.

use serde_json::{json, Value};

use crate::http::ApiError;
use judge_core::problem::spec;

/// What a candidate needs before submitting: the statement, the signature and a stub, the
/// samples with their answers, the limits, and the groups with their points.
pub(crate) fn problem_document(
    problem: &spec::Problem,
    engine: judge_core::judge::Engine,
) -> Result<Value, ApiError> {
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
        "statement": judge_core::problem::statement::markdown(problem, &answers),
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
