//! The climb: the reference and every solution run at growing sizes until each stops, within
//! the time budget, then each solution's report concluded against the reference.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::climber::{hidden_sizes, Climb, Climber, BOX_MS};
use super::conclude::{conclude, not_compiled};
use super::rung::{invalid, Sized};
use super::source::{sources, Source};
use super::{fit, Options};
use crate::build::launch::Launch;
use crate::build::toolchain::Program;
use crate::judge::compile::GENERATOR_FILE;
use crate::judge::{Engine, JudgeError, MeasureError};
use crate::problem::spec::{Case, Generate, Group, Origin, Problem};
use crate::report::complexity::{Complexity, Stop};
use judge_sandbox::counter::CounterError;
use judge_sandbox::Cancel;

/// A solution measured: its program's index among the climbers, or the first line of why
/// it did not compile.
enum Compiled {
    At(usize),
    Not { first_line: String },
}

/// The largest size climbed to when the problem has no generated hidden case to say it.
const DEFAULT_LARGEST: u64 = 1 << 20;

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
            .ok_or(JudgeError::Measure(MeasureError::Nothing))
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
        let mut compiled: Vec<Compiled> = Vec::new();
        let mut programs: Vec<Program> = vec![reference];
        for (source, path) in solutions {
            let build = self.build(problem, source, path, &never, &|| {})?;
            if let Some(program) = build.program {
                compiled.push(Compiled::At(binaries.len()));
                binaries.push(self.launch_of(problem, path, &program.path)?);
                programs.push(program);
            } else {
                let first = build.stderr.lines().next().unwrap_or("").to_string();
                compiled.push(Compiled::Not { first_line: first });
            }
        }
        let mut sources = sources().into_iter();
        let mut failed: Option<CounterError> = None;
        let climbed = loop {
            let mut source = sources
                .next()
                .ok_or(JudgeError::Measure(MeasureError::NoCost))?;
            if let Some(why) = &failed {
                source.note = Some(format!("{why} in a box; measured by CPU time instead"));
            }
            match self.climb(problem, &binaries, &source, options)? {
                Ok(climbed) => break (climbed, source),
                // A counter that works in the judge but not in a box: the next source.
                Err(why) if sources.len() > 0 => failed = Some(why),
                Err(why) => return Err(MeasureError::Counter(why).into()),
            }
        };
        // The programs (and their temporary binaries) lived until every run was made.
        drop(programs);
        let (climb, source) = climbed;
        Ok(compiled
            .into_iter()
            .map(|c| match c {
                Compiled::At(i) => conclude(problem, &source, options, &climb, i),
                Compiled::Not { first_line } => not_compiled(problem, options, &first_line),
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
    ) -> Result<Result<Climb, CounterError>, JudgeError> {
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
