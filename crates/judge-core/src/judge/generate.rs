//! Generated cases: the problem's generator run once per seed and size, its outputs kept in
//! the cache as the cases' stdin.

use std::borrow::Cow;
use std::path::PathBuf;

use serde_json::Value as Json;

use super::compile::{read_problem_file, GENERATOR_FILE};
use super::grade::panic_message;
use super::{runner, Engine, JudgeError};
use crate::build::harness::Entry;
use crate::cache::digest;
use crate::problem::spec::{Generate, Origin, Problem};
use judge_sandbox::{Cancel, Exit, Input, RunLimits};

impl Engine {
    /// The problem with every generated case's arguments filled in (made once per
    /// generator version, seed and size, then read from the cache).
    pub fn prepare<'p>(&self, problem: &'p Problem) -> Result<Cow<'p, Problem>, JudgeError> {
        self.prepare_with(problem, &Cancel::default())
    }

    /// `prepare`, stopped by `cancel`.
    pub(super) fn prepare_with<'p>(
        &self,
        problem: &'p Problem,
        cancel: &Cancel,
    ) -> Result<Cow<'p, Problem>, JudgeError> {
        let pending = || {
            problem
                .cases()
                .filter(|c| c.generate.is_some() && c.input.is_none())
        };
        if pending().next().is_none() {
            return Ok(Cow::Borrowed(problem));
        }
        let source = read_problem_file(&problem.dir.join(GENERATOR_FILE))?;
        let signature = Entry::Generator.signature(&problem.signature);
        let key = digest(&[
            source.as_bytes(),
            self.toolchain.key.as_bytes(),
            signature.to_string().as_bytes(),
        ]);
        let entry = |g: &Generate| {
            format!(
                "inputs/{}-{}/{}-{}.stdin",
                problem.id,
                &key[..24],
                g.seed,
                g.size
            )
        };
        let mut todo: Vec<Generate> = Vec::new();
        for g in pending().filter_map(|c| c.generate) {
            if !self.cache.hit(&entry(&g)) && !todo.contains(&g) {
                todo.push(g);
            }
        }
        if !todo.is_empty() {
            let outputs = self.run_generator(problem, &todo, cancel)?;
            for (g, stdin) in todo.iter().zip(outputs) {
                self.cache
                    .write(&entry(g), &stdin)
                    .map_err(|source| JudgeError::CacheWrite {
                        what: "input",
                        source,
                    })?;
            }
        }
        let mut filled = problem.clone();
        for case in filled.cases_mut() {
            if let Some(g) = case.generate {
                case.input = Some(self.cache.path(&entry(&g)));
            }
        }
        Ok(Cow::Owned(filled))
    }

    /// Runs the problem's generator once per entry of `todo` (not cached); each output is
    /// checked to be JSON and returned as a case's stdin (a JSON array of the arguments).
    fn run_generator(
        &self,
        problem: &Problem,
        todo: &[Generate],
        cancel: &Cancel,
    ) -> Result<Vec<Vec<u8>>, JudgeError> {
        let (path, build) =
            self.build_problem_file(problem, Entry::Generator, GENERATOR_FILE, cancel)?;
        let generator = build
            .program
            .ok_or_else(|| JudgeError::GeneratorDoesNotCompile {
                path: path.clone(),
                stderr: build.stderr,
            })?;
        let inputs = todo
            .iter()
            .map(|g| Input::Bytes(serde_json::to_vec(&[g.seed, g.size]).unwrap_or_default()))
            .collect();
        let limits = RunLimits {
            cpu_ms: 20_000,
            wall_ms: 60_000,
            address_space: 4 << 30,
            output_bytes: 1 << 30,
            file_bytes: 0,
            memory_bytes: 4 << 30,
            processes: runner::BOX_PROCESSES,
            disk: Some(runner::disk(16)),
        };
        let outcomes = runner::run_all(&generator.path, inputs, limits, self.runs(cancel));
        if cancel.is_cancelled() {
            return Err(JudgeError::Cancelled);
        }
        let mut made = Vec::with_capacity(todo.len());
        for (g, outcome) in todo.iter().zip(outcomes) {
            let fail = |why: String| JudgeError::GeneratorFailed {
                path: path.clone(),
                seed: g.seed,
                size: g.size,
                why,
            };
            let o = outcome.map_err(|e| fail(e.to_string()))?;
            if o.exit != Exit::Code(0) {
                let why = panic_message(&o.stderr)
                    .unwrap_or_else(|| String::from_utf8_lossy(&o.stderr).trim().to_string());
                return Err(fail(format!("{:?}: {why}", o.exit)));
            }
            let bytes = &o.answer[..];
            // The harness wrote it from a value of the arguments' exact types (a generator of
            // any other type does not compile), so being JSON is all there is to check; a
            // parsed tree of a large case would cost the judge ten times its size.
            serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
                .map_err(|e| fail(format!("its output is not JSON: {e}")))?;
            // One argument: the output is that argument, and stdin is the list of it.
            made.push(if problem.signature.args.len() == 1 {
                [b"[", bytes, b"]"].concat()
            } else {
                bytes.to_vec()
            });
        }
        Ok(made)
    }

    /// Generates the arguments of ad-hoc cases (for stress testing): not cached.
    pub fn generate(
        &self,
        problem: &Problem,
        todo: &[Generate],
    ) -> Result<Vec<Vec<Json>>, JudgeError> {
        self.run_generator(problem, todo, &Cancel::default())?
            .into_iter()
            .map(|stdin| {
                serde_json::from_slice(&stdin).map_err(JudgeError::GeneratedCaseUnreadable)
            })
            .collect()
    }

    /// Checks that the generator makes the same case twice from the same seed and size, in
    /// two processes: `Err` names the first case that came out differently.
    pub fn check_generator(
        &self,
        problem: &Problem,
    ) -> Result<Result<(), NotReproducible>, JudgeError> {
        let Some(case) = problem
            .cases()
            .filter(|c| c.generate.is_some())
            .min_by_key(|c| c.generate.map(|g| g.size))
        else {
            return Ok(Ok(()));
        };
        let g = case.generate.expect("filtered on generate");
        // A small size exercises the same code as a large one, at a fraction of the cost.
        let g = Generate {
            size: g.size.min(1000),
            ..g
        };
        let twice = self.run_generator(problem, &[g, g], &Cancel::default())?;
        if twice[0] == twice[1] {
            return Ok(Ok(()));
        }
        Ok(Err(NotReproducible {
            generator: problem.dir.join(GENERATOR_FILE),
            generate: g,
            case: case.name.clone(),
            origin: case.origin.clone(),
        }))
    }
}

/// A generator that made two different cases from one seed and size (verify's failure).
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{}: two runs for seed {} size {} (case {case}, {}:{}) made two different cases\n  help: a generator must draw every random number from `judge_rt::Rng::new(seed)`, never from the clock, a HashMap's iteration order or addresses",
    .generator.display(),
    .generate.seed,
    .generate.size,
    .origin.file.display(),
    .origin.line
)]
pub struct NotReproducible {
    pub generator: PathBuf,
    /// The seed and size run twice.
    pub generate: Generate,
    /// The case whose seed it was, and where that case is written.
    pub case: String,
    pub origin: Origin,
}
