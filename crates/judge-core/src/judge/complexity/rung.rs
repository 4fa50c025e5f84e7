//! One size's runs: every program's runs on the seeds its plan lists, side by side on the
//! engine's box slots, repeated where a time will be fitted or runs disagree.

use std::path::{Path, PathBuf};

use super::climber::{Climber, RunFailure, RunResult, RungResults, REPEATS};
use super::source::Source;
use crate::build::launch::Launch;
use crate::judge::verdict::run_failure;
use crate::judge::{compile, runner, Engine, JudgeError, MeasureError};
use crate::problem::spec::Problem;
use crate::report::complexity::Cost;
use crate::report::Verdict;
use judge_sandbox::counter::{CounterError, Event};
use judge_sandbox::{Cancel, Input};

/// Runs added when those disagree by more than `SPREAD` (a busy machine).
const MORE_REPEATS: usize = 2;
const SPREAD: f64 = 1.2;

/// One run of a batch: which program, which seed's input.
struct Run {
    who: usize,
    seed: usize,
    input: PathBuf,
}

impl Engine {
    /// The runs at one size of each program on the seeds its `plan` lists, `repeats` per
    /// seed, side by side; each program's results as (seed index, cost and CPU ms, or how
    /// the run failed).
    fn rung(
        &self,
        at: &Sized<'_>,
        plan: &[Vec<usize>],
        repeats: usize,
    ) -> Result<Result<RungResults, CounterError>, JudgeError> {
        let mut runs = Vec::new();
        for _ in 0..repeats {
            for (who, seeds) in plan.iter().enumerate() {
                for &seed in seeds {
                    runs.push(Run {
                        who,
                        seed,
                        input: at.inputs[seed].clone(),
                    });
                }
            }
        }
        let outcomes = self.run_side_by_side(at.problem, at.climbers, &runs, at.source.event);
        let mut results: RungResults = at.climbers.iter().map(|_| Vec::new()).collect();
        for (run, outcome) in runs.iter().zip(outcomes) {
            match outcome {
                RunOutcome::Cost(cost, cpu_ms) => {
                    results[run.who].push((run.seed, Ok((cost, cpu_ms))));
                }
                RunOutcome::Failed(why) => results[run.who].push((run.seed, Err(why))),
                RunOutcome::CounterFailed(why) => return Ok(Err(why)),
                RunOutcome::NotRun(why) => return Err(why.into()),
            }
        }
        Ok(Ok(results))
    }

    /// Runs `runs` on the engine's slots, `jobs` at once; results in `runs`' order.
    fn run_side_by_side(
        &self,
        problem: &Problem,
        climbers: &[Climber],
        runs: &[Run],
        event: Option<Event>,
    ) -> Vec<RunOutcome> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::Mutex::new(
            (0..runs.len())
                .map(|_| RunOutcome::NotRun(MeasureError::NoSlot))
                .collect::<Vec<_>>(),
        );
        let never = Cancel::default();
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.min(runs.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(run) = runs.get(i) else { break };
                    let Some(_slot) = self.slots.take(&never) else {
                        break;
                    };
                    let outcome =
                        self.measure_run(problem, &climbers[run.who].binary, &run.input, event);
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = outcome;
                });
            }
        });
        done.into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Engine {
    /// One run of `binary` on `input` under the problem's limits (its language's), and what
    /// it cost. A run
    /// the wall clock stopped while it had used little CPU time was starved by a busy
    /// machine, not slow: it is made again (twice at most) before it counts as a failure.
    fn measure_run(
        &self,
        problem: &Problem,
        binary: &Launch,
        input: &Path,
        event: Option<Event>,
    ) -> RunOutcome {
        let problem = &*compile::limits_for(problem, binary);
        let limits = runner::run_limits(&problem.limits, 1);
        let never = Cancel::default();
        let mut tries = 0;
        loop {
            tries += 1;
            let measured = runner::run_measured(
                binary,
                Input::File(input.to_path_buf()),
                limits,
                &self.cache,
                &never,
                event,
            );
            let (outcome, count) = match measured {
                Err(e) => return RunOutcome::NotRun(e.into()),
                Ok(measured) => measured,
            };
            let starved = outcome.wall_exceeded && outcome.cpu_ms < problem.limits.time_ms;
            if starved && tries < 3 {
                continue;
            }
            if starved {
                // Not the program's verdict: the measurement could not be made here and now.
                return RunOutcome::Failed(RunFailure::Starved {
                    wall_ms: outcome.wall_ms,
                    cpu_ms: outcome.cpu_ms,
                });
            }
            return match (
                run_failure(&problem.limits, &outcome, problem.limits.time_ms),
                count,
            ) {
                (Some((verdict, why)), _) => {
                    RunOutcome::Failed(RunFailure::Verdict { verdict, why })
                }
                (None, None) => RunOutcome::Cost(outcome.cpu_ms as f64, outcome.cpu_ms as f64),
                (None, Some(Ok(n))) => {
                    let (cost, cpu_ms) = cost_and_cpu(event, n, outcome.cpu_ms);
                    RunOutcome::Cost(cost, cpu_ms)
                }
                (None, Some(Err(e))) => RunOutcome::CounterFailed(e),
            };
        }
    }
}

/// One size's measurement in the making: what every round of its runs needs.
pub(super) struct Sized<'a> {
    pub(super) problem: &'a Problem,
    pub(super) climbers: &'a [Climber],
    pub(super) inputs: &'a [PathBuf],
    pub(super) source: &'a Source,
}

impl Sized<'_> {
    /// The planned runs, once each; then, for a program probed on one seed that turned out
    /// past its start-up, the other seeds; then the runs again where they will be fitted
    /// (a time: `REPEATS` in all); then again where they disagree (`MORE_REPEATS`).
    pub(super) fn measure(
        &self,
        engine: &Engine,
        plan: &[Vec<usize>],
    ) -> Result<Result<RungResults, CounterError>, JudgeError> {
        let seeds = self.inputs.len();
        let mut results = match engine.rung(self, plan, 1)? {
            Ok(results) => results,
            Err(why) => return Ok(Err(why)),
        };
        let rest: Vec<Vec<usize>> = self
            .climbers
            .iter()
            .zip(plan)
            .zip(&results)
            .map(|((c, p), r)| {
                if p.len() == 1 && seeds > 1 && !c.near_startup_with(r) {
                    (1..seeds).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        let ran: Vec<Vec<usize>> = plan
            .iter()
            .zip(&rest)
            .map(|(p, r)| {
                if r.is_empty() {
                    p.clone()
                } else {
                    (0..seeds).collect()
                }
            })
            .collect();
        for round in 0..3 {
            let (again, repeats): (Vec<Vec<usize>>, usize) = match round {
                0 => (rest.clone(), 1),
                _ if self.source.cost == Cost::Instructions => break,
                1 => (
                    where_ran(&ran, |who| {
                        self.climbers[who].worth_repeating(&results[who], self.source.cost)
                    }),
                    REPEATS - 1,
                ),
                _ => (
                    where_ran(&ran, |who| spread(&results[who]) > SPREAD),
                    MORE_REPEATS,
                ),
            };
            if again.iter().all(Vec::is_empty) {
                continue;
            }
            let more = match engine.rung(self, &again, repeats)? {
                Ok(more) => more,
                Err(why) => return Ok(Err(why)),
            };
            for (r, m) in results.iter_mut().zip(more) {
                r.extend(m);
            }
        }
        Ok(Ok(results))
    }
}

/// The seeds each program `ran` on, for the programs `chosen` says; none for the others.
fn where_ran(ran: &[Vec<usize>], chosen: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    ran.iter()
        .enumerate()
        .map(|(who, seeds)| {
            if chosen(who) {
                seeds.clone()
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// What one run came to.
enum RunOutcome {
    /// Its cost and CPU time in ms.
    Cost(f64, f64),
    Failed(RunFailure),
    /// Its counter could not be read.
    CounterFailed(CounterError),
    /// The box could not run it.
    NotRun(MeasureError),
}

/// A counted run's cost and CPU time in ms: the task clock is both (in ns).
fn cost_and_cpu(event: Option<Event>, count: u64, cpu_ms: u64) -> (f64, f64) {
    match event {
        Some(Event::TaskClock) => (count as f64, count as f64 / 1e6),
        _ => (count as f64, cpu_ms as f64),
    }
}

/// Whether the reference failed at a size: its rules refuse the generated input there
/// (a runtime error, its asserts), so the size says nothing of either program.
pub(super) fn invalid(results: &[(usize, RunResult)]) -> bool {
    results.iter().any(|(_, r)| {
        matches!(
            r,
            Err(RunFailure::Verdict {
                verdict: Verdict::RE,
                ..
            })
        )
    })
}

/// The largest ratio of two runs' costs on one seed (1 with fewer than two runs).
fn spread(results: &[(usize, RunResult)]) -> f64 {
    let seeds = results.iter().map(|(s, _)| *s).max().map_or(0, |s| s + 1);
    (0..seeds)
        .map(|seed| {
            let costs = results
                .iter()
                .filter(|(s, _)| *s == seed)
                .filter_map(|(_, r)| r.as_ref().ok().map(|(c, _)| *c));
            let (lo, hi) = costs.fold((f64::INFINITY, 0.0f64), |(lo, hi), c| {
                (lo.min(c), hi.max(c))
            });
            if lo > 0.0 && hi.is_finite() {
                hi / lo
            } else {
                1.0
            }
        })
        .fold(1.0, f64::max)
}
