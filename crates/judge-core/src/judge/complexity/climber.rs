//! One program's climb up the sizes (`Climber`): what each size cost, when to stop, and the
//! curve fitted on the sizes past its start-up; and every program's climb (`Climb`).

use std::time::Duration;

use super::fit;
use crate::build::launch::Launch;
use crate::problem::spec::Problem;
use crate::report::complexity::{Cost, Stop};
use crate::report::Verdict;

/// Seeds of the hidden cases used per size, at most.
const MOST_SEEDS: usize = 3;
/// A size is fitted once it costs this many times start-up (the kernel's counters are
/// fine enough to tell a millisecond's work from a millisecond's start-up).
const ABOVE_STARTUP: f64 = 2.0;
/// The same for the box's account, whose milliseconds include the box's setup.
const ABOVE_STARTUP_ACCOUNTED: f64 = 4.0;
/// Nor under this much CPU time when the cost is the box's account in whole milliseconds.
const LEAST_ACCOUNTED_MS: f64 = 10.0;
/// A program costing less than this many times its start-up is still starting up.
const NEAR_STARTUP: f64 = 1.25;
/// Fitted sizes cost at least this fraction of the largest fitted cost (net of start-up).
const SPAN: f64 = 64.0;
/// The largest sizes fitted, at most.
const FITTED: usize = 5;
/// A box's own cost per run on an idle machine (making and taking down the box, the judge's
/// side of the run), in ms: the budget's estimate of a run beyond its CPU time.
pub(super) const BOX_MS: f64 = 10.0;
/// Runs per seed at a size that will be fitted, when the cost is a time.
pub(super) const REPEATS: usize = 3;

/// Every program's climb (index 0 the reference), and how it went.
pub(super) struct Climb {
    pub(super) climbers: Vec<Climber>,
    pub(super) largest: Option<u64>,
    pub(super) seeds: Vec<u64>,
    pub(super) stopped_early: Option<String>,
    pub(super) elapsed: Duration,
}

/// One program's climb.
pub(super) struct Climber {
    pub(super) binary: Launch,
    pub(super) stop: Option<Stop>,
    /// Passes over the next size (it still costs about its start-up).
    pub(super) skip: bool,
    pub(super) failure: Option<String>,
    pub(super) rungs: Vec<Measured>,
}

/// One size's measurement of one program.
#[derive(Debug, Clone)]
pub(super) struct Measured {
    pub(super) size: u64,
    pub(super) cost: f64,
    pub(super) cpu_ms: f64,
    pub(super) log_sd: f64,
    pub(super) runs: u32,
}

/// What a run cost (cost, CPU ms), or how it failed.
pub(super) type RunResult = Result<(f64, f64), RunFailure>;

/// How a measured run failed, which ends its program's climb.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum RunFailure {
    /// The program failed the run (its verdict and how).
    #[error("{}: {why}", .verdict.code())]
    Verdict { verdict: Verdict, why: String },
    /// Not the program's failure: the measurement could not be made here and now.
    #[error(
        "the machine is too busy to measure: three runs in a row were stopped by the wall clock ({wall_ms} ms) having used {cpu_ms} ms of CPU time"
    )]
    Starved { wall_ms: u64, cpu_ms: u64 },
}
/// Each program's results at one size: (seed index, result) per run.
pub(super) type RungResults = Vec<Vec<(usize, RunResult)>>;

impl Climber {
    pub(super) fn new(binary: &Launch) -> Climber {
        Climber {
            binary: binary.clone(),
            stop: None,
            skip: false,
            failure: None,
            rungs: Vec::new(),
        }
    }

    /// About how long its runs at `size` will take on an idle machine (CPU time and the
    /// box's own), from its last two sizes' growth.
    pub(super) fn next_cost_ms(&self, size: u64, seeds: usize) -> f64 {
        if seeds == 0 {
            return 0.0;
        }
        let runs = (seeds * REPEATS) as f64;
        let Some(last) = self.rungs.last() else {
            return runs * BOX_MS;
        };
        // The last step's growth, carried over the next step's share of the same distance
        // on a log scale (a doubling ladder's next step is as long; a counting one's shorter).
        let growth = match self.rungs.len() {
            0 | 1 => 4.0,
            n => {
                let before = &self.rungs[n - 2];
                let ratio = last.cpu_ms.max(0.1) / before.cpu_ms.max(0.1);
                let steps = (size as f64 / last.size as f64).ln()
                    / (last.size as f64 / before.size as f64).ln();
                ratio.max(1.0).powf(steps).clamp(1.0, 64.0)
            }
        };
        runs * (last.cpu_ms * growth + BOX_MS)
    }

    /// Whether this size is worth measuring again: it is the first (start-up, subtracted
    /// from every other), or it will be fitted.
    pub(super) fn worth_repeating(&self, results: &[(usize, RunResult)], cost: Cost) -> bool {
        if self.stop.is_some() || results.is_empty() {
            return false;
        }
        let Some(startup) = self.rungs.first().map(|r| r.cost) else {
            return results.iter().all(|(_, r)| r.is_ok());
        };
        results.iter().all(|(_, r)| r.is_ok())
            && results.iter().any(|(_, r)| match r {
                Ok((c, cpu)) => fitted(*c, *cpu, startup, cost),
                Err(_) => false,
            })
    }

    /// Takes one size's results: its cost (the slowest seed's median), or the failure that
    /// ends the climb; stops at the target time or the largest size.
    pub(super) fn record(
        &mut self,
        size: u64,
        results: &[(usize, RunResult)],
        seeds: &[u64],
        target_ms: f64,
        largest: Option<u64>,
    ) {
        if let Some((seed, Err(why))) = results.iter().find(|(_, r)| r.is_err()) {
            self.stop = Some(Stop::Failed);
            self.failure = Some(format!(
                "n = {size} (seed {}): {why}",
                seeds.get(*seed).copied().unwrap_or_default()
            ));
            return;
        }
        let mut slowest: Option<Measured> = None;
        for seed in 0..seeds.len() {
            let mut costs: Vec<f64> = Vec::new();
            let mut cpus: Vec<f64> = Vec::new();
            for (s, r) in results {
                if let (true, Ok((c, cpu))) = (*s == seed, r) {
                    costs.push(*c);
                    cpus.push(*cpu);
                }
            }
            if costs.is_empty() {
                continue;
            }
            let log_sd = fit::log_sd_of_median(&costs);
            let m = Measured {
                size,
                cost: fit::median(&mut costs.clone()),
                cpu_ms: fit::median(&mut cpus),
                log_sd,
                runs: costs.len() as u32,
            };
            let total_runs = slowest.as_ref().map_or(0, |s| s.runs) + m.runs;
            slowest = Some(match slowest {
                Some(s) if s.cost >= m.cost => Measured {
                    runs: total_runs,
                    ..s
                },
                _ => Measured {
                    runs: total_runs,
                    ..m
                },
            });
        }
        let Some(m) = slowest else { return };
        self.rungs.push(m);
        if self.reached(target_ms) {
            self.stop = Some(Stop::TargetTime);
        } else if Some(size) >= largest && largest.is_some() {
            self.stop = Some(Stop::LargestSize);
        }
    }

    /// Whether its last size took about the target time: at least the target, or half of
    /// it when the next size would take more than four times the target (a run of a second
    /// and more says no more than one of 0.2 s, and costs its repeats five times over).
    fn reached(&self, target_ms: f64) -> bool {
        let Some(last) = self.rungs.last() else {
            return false;
        };
        if last.cpu_ms >= target_ms {
            return true;
        }
        let before = self.rungs.len().checked_sub(2).map(|i| &self.rungs[i]);
        let growth = before.map_or(2.0, |b| last.cpu_ms / b.cpu_ms.max(0.001));
        last.cpu_ms >= target_ms / 2.0 && last.cpu_ms * growth > 4.0 * target_ms
    }

    /// Whether its last size cost little more than its first (start-up); true before any.
    pub(super) fn near_startup(&self) -> bool {
        match (self.rungs.first(), self.rungs.last()) {
            (Some(first), Some(last)) => last.cost < NEAR_STARTUP * first.cost,
            _ => true,
        }
    }

    /// Whether these results, the next size's, still cost about its start-up.
    pub(super) fn near_startup_with(&self, results: &[(usize, RunResult)]) -> bool {
        let Some(first) = self.rungs.first() else {
            return true;
        };
        results
            .iter()
            .all(|(_, r)| matches!(r, Ok((c, _)) if *c < NEAR_STARTUP * first.cost))
    }

    /// The fitted curve and the points it was fitted on.
    pub(super) fn fitted(&self, cost: Cost) -> (Option<fit::Fit>, Option<String>) {
        let Some(startup) = self.rungs.first().map(|r| r.cost) else {
            return (None, Some("no size was measured".into()));
        };
        let mut points: Vec<fit::Point> = self
            .rungs
            .iter()
            .skip(1)
            .filter(|r| fitted(r.cost, r.cpu_ms, startup, cost))
            .map(|r| fit::Point {
                size: r.size,
                cost: r.cost - startup,
                log_sd: point_sd(r, startup, cost),
            })
            .collect();
        // The asymptote, not the start: sizes within `SPAN` of the largest cost (three
        // doublings of a quadratic, which by then has overtaken reading its input), and at
        // most the largest `FITTED`.
        let most = points.iter().map(|p| p.cost).fold(0.0, f64::max);
        points.retain(|p| p.cost * SPAN >= most);
        if points.len() > FITTED {
            points.drain(..points.len() - FITTED);
        }
        if points.len() < 2 {
            let most = self.rungs.iter().map(|r| r.cost).fold(0.0, f64::max);
            return (
                None,
                Some(format!(
                    "too few sizes cost well above start-up ({} at the smallest size, at most {} at any)",
                    cost.show(startup),
                    cost.show(most)
                )),
            );
        }
        (fit::fit(&points), None)
    }
}

/// Whether a size's cost is far enough above start-up to be fitted.
fn fitted(cost: f64, cpu_ms: f64, startup: f64, kind: Cost) -> bool {
    match kind {
        Cost::CpuTime => cost >= ABOVE_STARTUP_ACCOUNTED * startup && cpu_ms >= LEAST_ACCOUNTED_MS,
        Cost::Instructions | Cost::TaskClock => cost >= ABOVE_STARTUP * startup,
    }
}

/// The standard deviation of ln(cost - startup) at a rung: its repeats' spread, and for the
/// box's millisecond account, half a millisecond of rounding.
fn point_sd(r: &Measured, startup: f64, cost: Cost) -> f64 {
    let net = (r.cost - startup).max(f64::MIN_POSITIVE);
    let spread = r.log_sd * r.cost / net;
    let rounding = if cost == Cost::CpuTime {
        0.5 / net
    } else {
        0.0
    };
    spread.hypot(rounding)
}

/// The largest size of the problem's generated hidden cases, and their seeds (in case
/// order, each once, at most `MOST_SEEDS`; seed 1 when there is none).
pub(super) fn hidden_sizes(problem: &Problem) -> (Option<u64>, Vec<u64>) {
    let generated = problem
        .groups
        .iter()
        .flat_map(|g| &g.cases)
        .filter_map(|c| c.generate);
    let mut largest = None;
    let mut seeds: Vec<u64> = Vec::new();
    for g in generated {
        largest = largest.max(Some(g.size));
        if !seeds.contains(&g.seed) && seeds.len() < MOST_SEEDS {
            seeds.push(g.seed);
        }
    }
    if seeds.is_empty() {
        seeds.push(1);
    }
    (largest, seeds)
}
