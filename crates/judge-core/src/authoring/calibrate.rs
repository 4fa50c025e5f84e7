//! `judge verify --calibrate`: proposes a problem's time limit from how long its accepted
//! programs take, the way the Kattis problem package format does, and checks that the
//! known-TLE submissions would still be too slow under it.
//!
//! The rule (Kattis problem package format, `limits.time_multipliers`, whose defaults are
//! `ac_to_time_limit = 2.0` and `time_limit_to_tle = 1.5`): the limit is the slowest accepted
//! case time times `AC_TO_TIME_LIMIT`, and every TLE submission must exceed the limit times
//! `TIME_LIMIT_TO_TLE`. Times here are CPU milliseconds per case, each the median of
//! `repeats` runs (this machine is noisy); the limit is rounded up to `RESOLUTION_MS` and is
//! at least `FLOOR_MS`, below which process start-up noise dominates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::authoring::verify::{known_submissions, shown};
use crate::authoring::AuthoringError;
use crate::judge::{Engine, Mode};
use crate::problem::spec::{self, Problem};
use crate::report::{Report, Verdict};

pub const AC_TO_TIME_LIMIT: f64 = 2.0;
pub const TIME_LIMIT_TO_TLE: f64 = 1.5;
pub const RESOLUTION_MS: u64 = 100;
pub const FLOOR_MS: u64 = 100;
/// Accepted programs are timed under this multiple of the current limit, so that a limit
/// that is too tight shows up as a time and not as TLE.
const TIMING_HEADROOM: u64 = 10;

pub struct Calibration {
    pub id: String,
    pub current_ms: u64,
    pub proposed_ms: u64,
    /// One line per program timed or checked.
    pub lines: Vec<String>,
    /// What an author must look at: a TLE submission that would pass, an accepted one that
    /// does not pass at all.
    pub warnings: Vec<String>,
}

/// The limit for a slowest accepted case of `slowest_ms`.
pub fn propose(slowest_ms: u64) -> u64 {
    let raw = (slowest_ms as f64 * AC_TO_TIME_LIMIT).ceil() as u64;
    (raw.div_ceil(RESOLUTION_MS) * RESOLUTION_MS).max(FLOOR_MS)
}

fn with_time_limit(problem: &Problem, time_ms: u64) -> Problem {
    let mut p = problem.clone();
    p.limits.time_ms = time_ms;
    p
}

/// (case name, CPU ms) of every case a report ran.
fn case_times(report: &Report) -> Vec<(String, u64)> {
    report
        .cases()
        .map(|c| (c.name.clone(), c.time_ms))
        .collect()
}

/// A known submission that failed while it was timed: its verdict and first failing case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", .verdict.code(), .case.as_ref().map(|c| format!(" on {c}")).unwrap_or_default())]
struct NotAccepted {
    verdict: Verdict,
    case: Option<String>,
}

/// The slowest case of `program` by the median of `repeats` runs, or the verdict that kept
/// it from being accepted.
fn slowest_case(
    engine: &Engine,
    problem: &Problem,
    program: &Path,
    repeats: usize,
) -> Result<Result<(String, u64), NotAccepted>, AuthoringError> {
    let reference = problem.reference_path();
    let mut runs: Vec<Vec<(String, u64)>> = Vec::new();
    for _ in 0..repeats.max(1) {
        let report = engine.judge(problem, &reference, program, Mode::Submit)?;
        if report.verdict != Verdict::AC {
            return Ok(Err(NotAccepted {
                verdict: report.verdict,
                case: report.first_failure().map(|(_, c)| c.name.clone()),
            }));
        }
        runs.push(case_times(&report));
    }
    let medians = (0..runs[0].len()).map(|i| {
        let mut times: Vec<u64> = runs.iter().map(|r| r[i].1).collect();
        times.sort_unstable();
        (runs[0][i].0.clone(), times[times.len() / 2])
    });
    Ok(Ok(medians
        .max_by_key(|(_, t)| *t)
        .unwrap_or_else(|| ("-".into(), 0))))
}

/// The known Rust submissions that must get `verdict` (any folder name verify accepts for
/// it). A problem's limit is set for Rust; other languages' limits are scaled from it
/// (`build::launch::Launch::time_percent`), so their times would mislead here.
fn submissions(problem: &Problem, verdict: Verdict) -> Vec<PathBuf> {
    known_submissions(problem)
        .0
        .into_iter()
        .filter(|(v, p)| *v == verdict && p.extension().is_some_and(|e| e == "rs"))
        .map(|(_, p)| p)
        .collect()
}

pub fn calibrate(
    engine: &Engine,
    dir: &Path,
    repeats: usize,
) -> Result<Calibration, AuthoringError> {
    let problem = engine.prepare(&spec::load(dir)?)?.into_owned();
    let current_ms = problem.limits.time_ms;
    let timing = with_time_limit(&problem, current_ms * TIMING_HEADROOM);
    let mut c = Calibration {
        id: problem.id.clone(),
        current_ms,
        proposed_ms: 0,
        lines: Vec::new(),
        warnings: Vec::new(),
    };
    let mut accepted = vec![problem.reference_path()];
    accepted.extend(submissions(&problem, Verdict::AC));
    let mut slowest = 0;
    for program in &accepted {
        let name = if *program == accepted[0] {
            "reference".to_string()
        } else {
            shown(&problem, program)
        };
        match slowest_case(engine, &timing, program, repeats)? {
            Ok((case, ms)) => {
                c.lines.push(format!(
                    "{name}: slowest case {case}, {ms} ms (median of {repeats})"
                ));
                slowest = slowest.max(ms);
            }
            Err(verdict) => c.warnings.push(format!(
                "{name} is not accepted even with {} ms: {verdict}",
                timing.limits.time_ms
            )),
        }
    }
    c.proposed_ms = propose(slowest);
    let tle_limit = (c.proposed_ms as f64 * TIME_LIMIT_TO_TLE).ceil() as u64;
    let strict = with_time_limit(&problem, tle_limit);
    for program in submissions(&problem, Verdict::TLE) {
        let name = shown(&problem, &program);
        let report = engine.judge_until_failure(&strict, &problem.reference_path(), &program)?;
        let slowest_seen = report.slowest_ms();
        match report.verdict {
            Verdict::TLE => c.lines.push(format!(
                "{name}: TLE even at {tle_limit} ms ({TIME_LIMIT_TO_TLE} x the proposed limit), as it must"
            )),
            Verdict::AC if slowest_seen <= c.proposed_ms => c.warnings.push(format!(
                "{name} would pass under the proposed {} ms (slowest case {slowest_seen} ms): the hidden cases do not catch it; add larger cases",
                c.proposed_ms
            )),
            Verdict::AC => c.warnings.push(format!(
                "{name} fails the proposed {} ms only narrowly (slowest case {slowest_seen} ms, under {tle_limit} ms): a faster machine would accept it; add larger cases",
                c.proposed_ms
            )),
            other => c.warnings.push(format!(
                "{name} gets {} at {tle_limit} ms, not TLE",
                other.code()
            )),
        }
    }
    Ok(c)
}

pub fn render(c: &Calibration) -> String {
    let mut out = format!("calibrate {}\n", c.id);
    for line in &c.lines {
        let _ = writeln!(out, "          {line}");
    }
    let _ = writeln!(
        out,
        "          proposed time_ms = {} ({AC_TO_TIME_LIMIT} x the slowest accepted case, rounded up to {RESOLUTION_MS} ms, at least {FLOOR_MS}); now {}",
        c.proposed_ms, c.current_ms
    );
    for w in &c.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_follow_the_multiplier_and_round_up() {
        assert_eq!(propose(0), 100);
        assert_eq!(propose(30), 100);
        assert_eq!(propose(51), 200);
        assert_eq!(propose(160), 400);
        assert_eq!(propose(1000), 2000);
    }
}
