//! The two result models' keys of a settings file: the legacy graders' (`on_reject`,
//! `grader_flags`, scores and range) and 2023-07 and 2025-09's aggregation (`max_score`,
//! `score_aggregation`, `require_pass`).

use super::grading::{Aggregation, Grading, ScoreMode, VerdictMode};
use super::Reading;
use crate::problem::package::yaml::Map;
use crate::problem::spec::SpecError;

/// The legacy graders' keys.
pub(super) fn grader_keys(
    top: &Map<'_>,
    g: &mut Grading,
    scoring: bool,
    root: bool,
) -> Result<(), SpecError> {
    if let Some(on_reject) = top.string("on_reject")? {
        g.on_reject_break = match on_reject.as_str() {
            "break" => true,
            "continue" => false,
            other => {
                return Err(top.error(
                    "on_reject",
                    format!("expected `break` or `continue`, found `{other}`"),
                ))
            }
        };
    }
    if let Some(grading) = top.string("grading")? {
        g.custom_grader = match grading.as_str() {
            "default" => false,
            "custom" => true,
            other => {
                return Err(top.error(
                    "grading",
                    format!("expected `default` or `custom`, found `{other}`"),
                ))
            }
        };
    }
    if let Some(flags) = top.words("grader_flags")? {
        g.grader_flags.clone_from(&flags);
        if !g.custom_grader {
            default_grader_flags(top, g, &flags, root)?;
        }
    }
    for key in ["accept_score", "reject_score", "range"] {
        if top.get(key).is_some() && !scoring {
            return Err(top.error(
                key,
                format!("`{key}` may only be given for scoring problems (`type: scoring` in problem.yaml)"),
            ));
        }
    }
    if let Some(score) = top.number("accept_score", f64::NEG_INFINITY)? {
        g.accept_score = score;
    }
    if let Some(score) = top.number("reject_score", f64::NEG_INFINITY)? {
        g.reject_score = score;
    }
    if let Some(range) = top.string("range")? {
        g.range = parse_range(&range).ok_or_else(|| {
            top.error(
                "range",
                format!("expected two numbers, the lower first (like `0 100` or `-inf +inf`), found `{range}`"),
            )
        })?;
    }
    Ok(())
}

/// The default grader's flags.
fn default_grader_flags(
    top: &Map<'_>,
    g: &mut Grading,
    flags: &[String],
    root: bool,
) -> Result<(), SpecError> {
    for flag in flags {
        match flag.as_str() {
            "worst_error" => g.verdict_mode = VerdictMode::WorstError,
            "first_error" => g.verdict_mode = VerdictMode::FirstError,
            "always_accept" => g.verdict_mode = VerdictMode::AlwaysAccept,
            "sum" => g.score_mode = ScoreMode::Sum,
            "avg" => g.score_mode = ScoreMode::Avg,
            "min" => g.score_mode = ScoreMode::Min,
            "max" => g.score_mode = ScoreMode::Max,
            "accept_if_any_accepted" => g.accept_if_any_accepted = true,
            "ignore_sample" if root => g.ignore_sample = true,
            "ignore_sample" => {
                return Err(top.error(
                    "grader_flags",
                    "`ignore_sample` may only be used in data/testdata.yaml (the root)",
                ))
            }
            other => {
                return Err(top
                    .error("grader_flags", format!("unknown grader flag `{other}`"))
                    .help("the default grader takes worst_error, first_error, always_accept, sum, avg, min, max, accept_if_any_accepted, ignore_sample"))
            }
        }
    }
    Ok(())
}

/// 2023-07 and 2025-09's result aggregation keys (and the early draft's `scoring` map).
pub(super) fn aggregation_keys(
    top: &Map<'_>,
    g: &mut Grading,
    reading: &Reading<'_>,
) -> Result<(), SpecError> {
    let version = reading.version;
    for key in [
        "static_validation",
        "static_validation_score",
        "static_validator_args",
    ] {
        if top.get(key).is_some() {
            return Err(top
                .error(
                    key,
                    format!("static validation is not supported (format {version})"),
                )
                .help("the judge runs no static validator; remove the key"));
        }
    }
    for key in ["max_score", "score_aggregation", "require_pass", "scoring"] {
        if top.get(key).is_some() && !reading.scoring {
            return Err(top.error(
                key,
                format!("`{key}` may only be given for scoring problems (`type: scoring` in problem.yaml; format {version})"),
            ));
        }
    }
    if let Some(scoring) = top.map("scoring", &["score", "aggregation", "require_pass"])? {
        match scoring.get("score") {
            Some(yaml_rust2::Yaml::String(s)) if s == "unbounded" => g.max_score = None,
            Some(_) => g.max_score = scoring.number("score", 0.0)?,
            None => {}
        }
        if let Some(groups) = scoring.words("require_pass")? {
            g.require_pass = groups;
        }
        if let Some(aggregation) = scoring.string("aggregation")? {
            g.aggregation = parse_aggregation(&scoring, "aggregation", &aggregation)?;
        }
    }
    match top.get("max_score") {
        Some(yaml_rust2::Yaml::String(s)) if s == "unbounded" => g.max_score = None,
        Some(_) => g.max_score = top.number("max_score", 0.0)?,
        None => {}
    }
    if let Some(aggregation) = top.string("score_aggregation")? {
        g.aggregation = parse_aggregation(top, "score_aggregation", &aggregation)?;
    }
    if let Some(groups) = top.words("require_pass")? {
        g.require_pass = groups;
    }
    Ok(())
}

fn parse_aggregation(map: &Map<'_>, key: &str, value: &str) -> Result<Aggregation, SpecError> {
    match value {
        "pass-fail" => Ok(Aggregation::PassFail),
        "sum" => Ok(Aggregation::Sum),
        "min" => Ok(Aggregation::Min),
        other => Err(map.error(
            key,
            format!("expected `pass-fail`, `sum` or `min`, found `{other}`"),
        )),
    }
}

pub(super) fn parse_range(range: &str) -> Option<(f64, f64)> {
    let ends: Vec<Option<f64>> = range
        .split_whitespace()
        .map(|w| w.trim_start_matches('+').parse::<f64>().ok())
        .collect();
    match ends.as_slice() {
        [Some(low), Some(high)] if low <= high => Some((*low, *high)),
        _ => None,
    }
}
