//! A solution's report from the climb: its curve and the reference's, compared and carried
//! to the largest hidden size.

use super::climber::{hidden_sizes, Climb, Climber};
use super::source::Source;
use super::{fit, Options};
use crate::problem::spec::Problem;
use crate::report::complexity::{
    AtLargest, Complexity, Cost, Curve, Model, Rung, Stop, COMPLEXITY_SCHEMA,
};

/// The report for a solution that does not compile: nothing measured.
pub(super) fn not_compiled(problem: &Problem, options: &Options, first_line: &str) -> Complexity {
    let (largest, seeds) = hidden_sizes(problem);
    let unmeasured = |failure: Option<String>| Curve {
        model: None,
        exponent: None,
        uncertainty: None,
        fitted_from: None,
        fitted_to: None,
        left_out: None,
        startup: 0.0,
        stopped: Stop::NotRun,
        failure,
        points: Vec::new(),
    };
    let mut c = Complexity {
        schema: COMPLEXITY_SCHEMA,
        problem: problem.id.clone(),
        cost: Cost::CpuTime,
        cost_note: None,
        largest_size: largest,
        seeds,
        time_limit_ms: problem.limits.time_ms,
        solution: unmeasured(Some(format!("it does not compile ({first_line})"))),
        reference: unmeasured(None),
        comparison: None,
        at_largest: None,
        stopped_early: None,
        elapsed_ms: 0,
        budget_ms: options.budget.as_millis() as u64,
        summary: String::new(),
    };
    c.summary = c.sentence();
    c
}

/// Solution `i`'s result: its curve and the reference's fitted, compared, and carried to
/// the largest size.
pub(super) fn conclude(
    problem: &Problem,
    source: &Source,
    options: &Options,
    climb: &Climb,
    i: usize,
) -> Complexity {
    let (solution, reference) = (&climb.climbers[i], &climb.climbers[0]);
    let (solution_fit, solution_why) = solution.fitted(source.cost);
    let (reference_fit, reference_why) = reference.fitted(source.cost);
    let comparison = match (&solution_fit, &reference_fit) {
        (Some(s), Some(r)) => Some(fit::compare(s, r)),
        _ => None,
    };
    let at_largest = match (climb.largest, &solution_fit, &reference_fit) {
        (Some(size), Some(s), Some(r)) => {
            let (solution_cost, solution_ms) = carried(solution, s, size);
            let (reference_cost, reference_ms) = carried(reference, r, size);
            Some(AtLargest {
                size,
                ratio: solution_cost / reference_cost.max(f64::MIN_POSITIVE),
                solution_ms,
                reference_ms,
                over_limit: solution_ms > problem.limits.time_ms as f64,
            })
        }
        _ => None,
    };
    let mut c = Complexity {
        schema: COMPLEXITY_SCHEMA,
        problem: problem.id.clone(),
        cost: source.cost,
        cost_note: source.note.clone(),
        largest_size: climb.largest,
        seeds: climb.seeds.clone(),
        time_limit_ms: problem.limits.time_ms,
        solution: curve(solution, solution_fit, solution_why),
        reference: curve(reference, reference_fit, reference_why),
        comparison,
        at_largest,
        // Said where it cut this comparison short.
        stopped_early: climb.stopped_early.clone().filter(|_| {
            solution.stop == Some(Stop::Budget) || reference.stop == Some(Stop::Budget)
        }),
        elapsed_ms: climb.elapsed.as_millis() as u64,
        budget_ms: options.budget.as_millis() as u64,
        summary: String::new(),
    };
    c.summary = c.sentence();
    c
}

/// A climber's cost and CPU time at `size`: measured there, else carried from its largest
/// measured size along its curve (start-up added back).
fn carried(climber: &Climber, fit: &fit::Fit, size: u64) -> (f64, f64) {
    let startup = climber.rungs.first().map_or(0.0, |r| r.cost);
    let startup_ms = climber.rungs.first().map_or(0.0, |r| r.cpu_ms);
    let Some(last) = climber.rungs.last() else {
        return (0.0, 0.0);
    };
    if last.size == size {
        return (last.cost, last.cpu_ms);
    }
    let cost = startup + fit.extrapolate(last.cost - startup, last.size, size);
    let ms = startup_ms + fit.extrapolate(last.cpu_ms - startup_ms, last.size, size);
    (cost, ms)
}

fn curve(climber: &Climber, fitted: Option<fit::Fit>, why: Option<String>) -> Curve {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let (exponent, uncertainty) = match fitted {
        Some(f) if f.model == Model::Exponential => {
            let base = f.slope.exp();
            (Some(round(base)), Some(round(base * f.sd)))
        }
        Some(f) => (Some(round(f.slope)), Some(round(f.sd))),
        None => (None, None),
    };
    Curve {
        model: fitted.map(|f| f.model),
        exponent,
        uncertainty,
        fitted_from: fitted.map(|f| f.sizes.0),
        fitted_to: fitted.map(|f| f.sizes.1),
        left_out: fitted.and_then(|f| f.dropped),
        startup: climber.rungs.first().map_or(0.0, |r| r.cost),
        stopped: climber.stop.unwrap_or(Stop::LargestSize),
        failure: climber
            .failure
            .clone()
            .or(if fitted.is_none() { why } else { None }),
        points: climber
            .rungs
            .iter()
            .map(|r| Rung {
                size: r.size,
                cost: r.cost,
                cpu_ms: (r.cpu_ms * 1000.0).round() / 1000.0,
                runs: r.runs,
            })
            .collect(),
    }
}
