//! Measured complexity (`judge complexity`, and the opt-in section of a submission's report):
//! the solution and the reference run on generated inputs of growing size, each run's cost
//! measured, the growth fitted on a log-log scale (`fit.rs`) and compared.
//!
//! The sizes are the generator's `size` argument, halved down from the largest hidden case's
//! (`fit::ladder`), climbed from the smallest; each program climbs until one of its runs takes
//! about `Options::target_ms` of CPU time, a run fails, or it reaches the largest size. Every
//! size is run on each seed of the hidden generated cases and costs as much as its slowest
//! seed (a solution slow only on some inputs is slow). The smallest size's cost is start-up
//! (exec, reading the input), subtracted; only sizes that cost well above it are fitted, and
//! only the largest few (the asymptote, not the start). Costs are instructions retired where
//! the host has the counter (`sandbox::counter`), else CPU time by the kernel's task clock,
//! else the box's CPU account; CPU time is measured three times per size (five when those
//! disagree) and its median taken. Runs use the same box and limits as judging, every
//! program's runs side by side on the engine's slots. The whole climb is bounded by
//! `Options::budget`.

pub mod fit;

use crate::build::launch::Launch;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::compile::GENERATOR_FILE;
use super::verdict::run_failure;
use super::{runner, Engine, JudgeError};
use crate::build::toolchain::Program;
use crate::problem::spec::{Case, Generate, Group, Origin, Problem};
use crate::report::complexity::{
    AtLargest, Complexity, Cost, Curve, Model, Rung, Stop, COMPLEXITY_SCHEMA,
};
use judge_sandbox::counter::{self, Event};
use judge_sandbox::{Cancel, Input};

/// How a measurement is bounded.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The whole climb's wall-clock time (compiling aside).
    pub budget: Duration,
    /// A program stops climbing once a run takes this much CPU time.
    pub target_ms: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            budget: Duration::from_secs(20),
            target_ms: 200.0,
        }
    }
}

/// The largest size climbed to when the problem has no generated hidden case to say it.
const DEFAULT_LARGEST: u64 = 1 << 20;
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
const BOX_MS: f64 = 10.0;
/// Runs per seed at a size that will be fitted, when the cost is a time.
const REPEATS: usize = 3;
/// Runs added when those disagree by more than `SPREAD` (a busy machine).
const MORE_REPEATS: usize = 2;
const SPREAD: f64 = 1.2;

/// Where a run's cost comes from, with why a better one is not used.
#[derive(Debug, Clone)]
struct Source {
    cost: Cost,
    event: Option<Event>,
    note: Option<String>,
}

/// The best cost this host gives: instructions, else the task clock, else the box's account.
fn sources() -> Vec<Source> {
    let mut found = Vec::new();
    let mut why_not = Vec::new();
    for (event, cost) in [
        (Event::Instructions, Cost::Instructions),
        (Event::TaskClock, Cost::TaskClock),
    ] {
        match counter::probe(event) {
            Ok(()) => found.push(Source {
                cost,
                event: Some(event),
                note: None,
            }),
            Err(e) => why_not.push(e.to_string()),
        }
    }
    found.push(Source {
        cost: Cost::CpuTime,
        event: None,
        note: None,
    });
    if !why_not.is_empty() {
        let note = format!("{}; measured by CPU time instead", why_not.join("; "));
        for s in &mut found {
            if s.cost != Cost::Instructions {
                s.note = Some(note.clone());
            }
        }
    }
    found
}

/// Every program's climb (index 0 the reference), and how it went.
struct Climb {
    climbers: Vec<Climber>,
    largest: Option<u64>,
    seeds: Vec<u64>,
    stopped_early: Option<String>,
    elapsed: Duration,
}

/// One program's climb.
struct Climber {
    binary: Launch,
    stop: Option<Stop>,
    /// Passes over the next size (it still costs about its start-up).
    skip: bool,
    failure: Option<String>,
    rungs: Vec<Measured>,
}

/// One size's measurement of one program.
#[derive(Debug, Clone)]
struct Measured {
    size: u64,
    cost: f64,
    cpu_ms: f64,
    log_sd: f64,
    runs: u32,
}

/// One run of a batch: which program, which seed's input.
struct Run {
    who: usize,
    seed: usize,
    input: PathBuf,
}

/// What a run cost (cost, CPU ms), or how it failed.
type RunResult = Result<(f64, f64), String>;
/// Each program's results at one size: (seed index, result) per run.
type RungResults = Vec<Vec<(usize, RunResult)>>;

impl Engine {
    /// Measures how `source` (the solution, judged as the file at `path`) and the reference
    /// grow with the generator's size on `problem`.
    pub fn complexity(
        &self,
        problem: &Problem,
        reference: &Path,
        source: &str,
        path: &Path,
        options: &Options,
    ) -> Result<Complexity, JudgeError> {
        let mut found = self.complexities(problem, reference, &[(source, path)], options)?;
        found
            .pop()
            .ok_or(JudgeError::Measure("nothing was measured".into()))
    }

    /// Measures several solutions (source, the file it is judged as) against one climb of
    /// the reference: one report per solution, in order.
    pub fn complexities(
        &self,
        problem: &Problem,
        reference: &Path,
        solutions: &[(&str, &Path)],
        options: &Options,
    ) -> Result<Vec<Complexity>, JudgeError> {
        if !problem.dir.join(GENERATOR_FILE).is_file() {
            return Err(JudgeError::NoGenerator {
                dir: problem.dir.clone(),
            });
        }
        let never = Cancel::default();
        let reference = self.reference_program(problem, reference, &never)?;
        // Index 0 is the reference; a solution that does not compile climbs no ladder.
        let mut binaries = vec![Launch::binary(&reference.path)];
        let mut compiled: Vec<Result<usize, String>> = Vec::new();
        let mut programs: Vec<Program> = vec![reference];
        for (source, path) in solutions {
            let build = self.build(problem, source, path, &never, &|| {})?;
            if let Some(program) = build.program {
                compiled.push(Ok(binaries.len()));
                binaries.push(self.launch_of(problem, path, &program.path)?);
                programs.push(program);
            } else {
                let first = build.stderr.lines().next().unwrap_or("").to_string();
                compiled.push(Err(first));
            }
        }
        let mut sources = sources().into_iter();
        let mut failed: Option<String> = None;
        let climbed = loop {
            let mut source = sources
                .next()
                .ok_or(JudgeError::Measure("no way to measure a run's cost".into()))?;
            if let Some(why) = &failed {
                source.note = Some(format!("{why} in a box; measured by CPU time instead"));
            }
            match self.climb(problem, &binaries, &source, options)? {
                Ok(climbed) => break (climbed, source),
                // A counter that works in the judge but not in a box: the next source.
                Err(why) if sources.len() > 0 => failed = Some(why),
                Err(why) => return Err(JudgeError::Measure(why)),
            }
        };
        // The programs (and their temporary binaries) lived until every run was made.
        drop(programs);
        let (climb, source) = climbed;
        Ok(compiled
            .into_iter()
            .map(|c| match c {
                Ok(i) => conclude(problem, &source, options, &climb, i),
                Err(first_line) => not_compiled(problem, options, &first_line),
            })
            .collect())
    }

    /// Every program climbed with costs from `source` (index 0 the reference); `Ok(Err(_))`
    /// when a counter failed in a box (the caller measures again without it).
    fn climb(
        &self,
        problem: &Problem,
        binaries: &[Launch],
        source: &Source,
        options: &Options,
    ) -> Result<Result<Climb, String>, JudgeError> {
        let started = Instant::now();
        let (largest, seeds) = hidden_sizes(problem);
        let mut climbers: Vec<Climber> = binaries.iter().map(Climber::new).collect();
        let mut stopped_early = None;
        // How much longer than their CPU time and the box's own setup the last size's runs
        // took: the machine's load, carried into the next size's estimate.
        let mut stretch = 2.0;
        let ladder = fit::ladder(largest.unwrap_or(DEFAULT_LARGEST));
        for (rung, &size) in ladder.iter().enumerate() {
            let last_rung = rung + 1 == ladder.len();
            let mut plan = plan(&mut climbers, last_rung, seeds.len());
            if plan.iter().all(Vec::is_empty) {
                if climbers.iter().all(|c| c.stop.is_some()) {
                    break;
                }
                continue;
            }
            let left_ms = (options.budget.as_secs_f64() - started.elapsed().as_secs_f64()) * 1000.0;
            let estimate = |c: &Climber, seeds: usize| {
                c.next_cost_ms(size, seeds) * stretch / self.jobs as f64
            };
            if trim_to_budget(&mut climbers, &mut plan, left_ms, estimate) {
                stopped_early.get_or_insert_with(|| {
                    format!(
                        "the time budget of {} s would have run out at n = {size}",
                        options.budget.as_secs()
                    )
                });
            }
            if plan.iter().all(Vec::is_empty) {
                break;
            }
            let inputs = match self.inputs(problem, &seeds, size) {
                Ok(inputs) => inputs,
                // A generator written for large cases may fail at small sizes: skipped.
                Err(JudgeError::GeneratorFailed { .. }) if !last_rung => continue,
                Err(e) => return Err(e),
            };
            let rung_started = Instant::now();
            let at_size = Sized {
                problem,
                climbers: &climbers,
                inputs: &inputs,
                source,
            };
            let results = match at_size.measure(self, &plan)? {
                Ok(results) => results,
                Err(why) => return Ok(Err(why)),
            };
            let runs = results.iter().map(Vec::len).sum::<usize>().max(1);
            let cpu: f64 = results
                .iter()
                .flatten()
                .filter_map(|(_, r)| r.as_ref().ok().map(|(_, cpu)| *cpu))
                .sum();
            let wall = rung_started.elapsed().as_secs_f64() * 1000.0 * self.jobs as f64;
            stretch = (wall / (cpu + runs as f64 * BOX_MS)).clamp(1.0, 50.0);
            // The reference refusing a size's input (its asserts) makes the size say nothing.
            if invalid(&results[0]) {
                continue;
            }
            for (c, r) in climbers.iter_mut().zip(results) {
                if c.stop.is_none() && !r.is_empty() {
                    c.record(size, &r, &seeds, options.target_ms, largest);
                    c.skip = size > fit::CONSECUTIVE_UP_TO && c.near_startup();
                }
            }
        }
        for c in &mut climbers {
            c.stop.get_or_insert(Stop::LargestSize);
        }
        Ok(Ok(Climb {
            climbers,
            largest,
            seeds,
            stopped_early,
            elapsed: started.elapsed(),
        }))
    }

    /// Each seed's input at `size`, generated once and kept in the cache.
    fn inputs(
        &self,
        problem: &Problem,
        seeds: &[u64],
        size: u64,
    ) -> Result<Vec<PathBuf>, JudgeError> {
        let origin = Origin {
            file: problem.dir.join(GENERATOR_FILE),
            line: 0,
        };
        let cases = seeds
            .iter()
            .map(|&seed| Case {
                name: format!("complexity-{seed}-{size}"),
                args: Vec::new(),
                generate: Some(Generate { seed, size }),
                input: None,
                expected: None,
                origin: origin.clone(),
            })
            .collect();
        let sized = Problem {
            samples: Vec::new(),
            groups: vec![Group {
                name: "complexity".into(),
                points: 0,
                cases,
            }],
            ..problem.clone()
        };
        let prepared = self.prepare(&sized)?;
        Ok(prepared.cases().filter_map(|c| c.input.clone()).collect())
    }

    /// The runs at one size of each program on the seeds its `plan` lists, `repeats` per
    /// seed, side by side; each program's results as (seed index, cost and CPU ms, or how
    /// the run failed).
    fn rung(
        &self,
        at: &Sized<'_>,
        plan: &[Vec<usize>],
        repeats: usize,
    ) -> Result<Result<RungResults, String>, JudgeError> {
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
                RunOutcome::NotRun(why) => return Err(JudgeError::Measure(why)),
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
                .map(|_| RunOutcome::NotRun("no box slot".into()))
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
        let problem = &*super::compile::limits_for(problem, binary);
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
                Err(e) => return RunOutcome::NotRun(e.to_string()),
                Ok(measured) => measured,
            };
            let starved = outcome.wall_exceeded && outcome.cpu_ms < problem.limits.time_ms;
            if starved && tries < 3 {
                continue;
            }
            if starved {
                // Not the program's verdict: the measurement could not be made here and now.
                return RunOutcome::Failed(format!(
                    "the machine is too busy to measure: three runs in a row were stopped by the wall clock ({} ms) having used {} ms of CPU time",
                    outcome.wall_ms, outcome.cpu_ms
                ));
            }
            return match (
                run_failure(&problem.limits, &outcome, problem.limits.time_ms),
                count,
            ) {
                (Some((verdict, why)), _) => {
                    RunOutcome::Failed(format!("{}: {why}", verdict.code()))
                }
                (None, None) => RunOutcome::Cost(outcome.cpu_ms as f64, outcome.cpu_ms as f64),
                (None, Some(Ok(n))) => {
                    let (cost, cpu_ms) = cost_and_cpu(event, n, outcome.cpu_ms);
                    RunOutcome::Cost(cost, cpu_ms)
                }
                (None, Some(Err(e))) => RunOutcome::CounterFailed(e.to_string()),
            };
        }
    }
}

/// Who runs at a size, on which seeds (indices): a program still at about its start-up
/// runs every other size of a geometric ladder, on one seed, which is enough to find where
/// start-up ends. The reference (index 0) runs whenever anyone does: it decides whether a
/// size's input is valid.
fn plan(climbers: &mut [Climber], last_rung: bool, seeds: usize) -> Vec<Vec<usize>> {
    let mut plan: Vec<Vec<usize>> = climbers
        .iter_mut()
        .map(|c| {
            if c.stop.is_some() || (std::mem::take(&mut c.skip) && !last_rung) {
                Vec::new()
            } else if c.near_startup() && !last_rung {
                vec![0]
            } else {
                (0..seeds).collect()
            }
        })
        .collect();
    let anyone = plan.iter().any(|p| !p.is_empty());
    if anyone && plan[0].is_empty() && climbers[0].stop.is_none() {
        plan[0] = vec![0];
    }
    plan
}

/// Stops the dearest programs (by `estimate`, in ms) until the size's runs fit in `left_ms`,
/// so the cheap reference every comparison needs climbs on; whether any was stopped.
fn trim_to_budget(
    climbers: &mut [Climber],
    plan: &mut [Vec<usize>],
    left_ms: f64,
    estimate: impl Fn(&Climber, usize) -> f64,
) -> bool {
    let mut trimmed = false;
    loop {
        let total: f64 = climbers
            .iter()
            .zip(plan.iter())
            .map(|(c, p)| estimate(c, p.len()))
            .sum();
        if total <= left_ms {
            return trimmed;
        }
        let dearest = (0..climbers.len())
            .filter(|&i| !plan[i].is_empty())
            .max_by(|&a, &b| {
                estimate(&climbers[a], plan[a].len())
                    .total_cmp(&estimate(&climbers[b], plan[b].len()))
            });
        let Some(dearest) = dearest else {
            return trimmed;
        };
        climbers[dearest].stop = Some(Stop::Budget);
        plan[dearest].clear();
        trimmed = true;
    }
}

/// One size's measurement in the making: what every round of its runs needs.
struct Sized<'a> {
    problem: &'a Problem,
    climbers: &'a [Climber],
    inputs: &'a [PathBuf],
    source: &'a Source,
}

impl Sized<'_> {
    /// The planned runs, once each; then, for a program probed on one seed that turned out
    /// past its start-up, the other seeds; then the runs again where they will be fitted
    /// (a time: `REPEATS` in all); then again where they disagree (`MORE_REPEATS`).
    fn measure(
        &self,
        engine: &Engine,
        plan: &[Vec<usize>],
    ) -> Result<Result<RungResults, String>, JudgeError> {
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
    /// It failed (verdict: why).
    Failed(String),
    /// Its counter could not be read.
    CounterFailed(String),
    /// The box could not run it.
    NotRun(String),
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
fn invalid(results: &[(usize, RunResult)]) -> bool {
    results
        .iter()
        .any(|(_, r)| matches!(r, Err(why) if why.starts_with("RE")))
}

impl Climber {
    fn new(binary: &Launch) -> Climber {
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
    fn next_cost_ms(&self, size: u64, seeds: usize) -> f64 {
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
    fn worth_repeating(&self, results: &[(usize, RunResult)], cost: Cost) -> bool {
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
    fn record(
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
    fn near_startup(&self) -> bool {
        match (self.rungs.first(), self.rungs.last()) {
            (Some(first), Some(last)) => last.cost < NEAR_STARTUP * first.cost,
            _ => true,
        }
    }

    /// Whether these results, the next size's, still cost about its start-up.
    fn near_startup_with(&self, results: &[(usize, RunResult)]) -> bool {
        let Some(first) = self.rungs.first() else {
            return true;
        };
        results
            .iter()
            .all(|(_, r)| matches!(r, Ok((c, _)) if *c < NEAR_STARTUP * first.cost))
    }

    /// The fitted curve and the points it was fitted on.
    fn fitted(&self, cost: Cost) -> (Option<fit::Fit>, Option<String>) {
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
fn hidden_sizes(problem: &Problem) -> (Option<u64>, Vec<u64>) {
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

/// The report for a solution that does not compile: nothing measured.
fn not_compiled(problem: &Problem, options: &Options, first_line: &str) -> Complexity {
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
fn conclude(
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
