//! The authors' commands: `verify` (and `verify --calibrate`), `new` and `stress`.

use std::path::{Path, PathBuf};

use super::flags::{BankChoice, JudgingFlags};
use super::kattis;
use crate::authoring::{calibrate, scaffold, stress, verify, AuthoringError};
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::{Engine, JudgeError};
use crate::languages::Languages;
use crate::problem::bank::Bank;
use crate::problem::spec;
use crate::report::text::escape_controls;

pub(super) enum Command {
    Verify {
        bank: BankChoice,
        jobs: usize,
        flags: JudgingFlags,
        problems: Vec<String>,
    },
    Calibrate {
        bank: BankChoice,
        flags: JudgingFlags,
        problems: Vec<String>,
        repeats: usize,
    },
    New {
        bank: BankChoice,
        id: String,
        kattis: bool,
    },
    Stress(Stress),
}

/// `judge stress` as asked.
pub(super) struct Stress {
    pub(super) bank: BankChoice,
    pub(super) jobs: usize,
    pub(super) flags: JudgingFlags,
    pub(super) problem: String,
    pub(super) solution: PathBuf,
    pub(super) options: stress::Options,
}

impl Command {
    pub(super) fn fills_cache(&self) -> bool {
        !matches!(self, Command::New { .. })
    }

    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            Command::Verify {
                bank,
                jobs,
                flags,
                problems,
            } => verify_all(&bank.locate()?, cache, jobs, flags, &problems),
            Command::Calibrate {
                bank,
                flags,
                problems,
                repeats,
            } => {
                // One program at a time, each case alone: timings are not disturbed by other
                // runs; and always run again, never taken from the report cache.
                let engine = flags.engine(cache, 1, false)?.fresh(true);
                calibrate_all(&bank.locate()?, &engine, &problems, repeats)
            }
            Command::New { bank, id, kattis } => new(&bank.for_new(), &id, kattis),
            Command::Stress(s) => {
                let engine = s.flags.engine(cache, s.jobs, false)?;
                stress_test(
                    &s.bank.locate()?,
                    &engine,
                    &s.problem,
                    &s.solution,
                    &s.options,
                )
            }
        }
    }
}

fn new(root: &Path, id: &str, kattis: bool) -> Result<i32, Error> {
    if kattis {
        return kattis::new(root, id);
    }
    for path in scaffold::create(root, id)? {
        println!("created {}", path.display());
    }
    let dir = root.join("problems").join(id);
    println!(
        "\nNext: edit {}/problem.toml, then `judge verify {}`.\nAUTHORING.md walks through every step.",
        dir.display(),
        dir.display()
    );
    Ok(0)
}

fn stress_test(
    bank: &Bank,
    engine: &Engine,
    problem: &str,
    solution: &Path,
    opts: &stress::Options,
) -> Result<i32, Error> {
    kattis::refuse(bank, problem, "judge stress")?;
    let problem = spec::load(&bank.resolve(problem)?)?;
    if !solution.is_file() {
        return Err(UsageError::NoSolution(solution.to_path_buf()).into());
    }
    let outcome = stress::stress(engine, &problem, &problem.reference_path(), solution, opts)?;
    print!(
        "{}",
        escape_controls(&stress::render(&problem, &outcome, opts))
    );
    Ok(match outcome {
        stress::Outcome::Agreed { .. } => 0,
        _ => 1,
    })
}

fn problem_dirs(bank: &Bank, problems: &[String]) -> Result<Vec<PathBuf>, Error> {
    let dirs: Vec<PathBuf> = if problems.is_empty() {
        bank.ids()
            .iter()
            .map(|id| bank.problems_dir().join(id))
            .collect()
    } else {
        problems
            .iter()
            .map(|p| bank.resolve(p))
            .collect::<Result<_, _>>()?
    };
    if dirs.is_empty() {
        return Err(UsageError::NoProblems(bank.problems_dir()).into());
    }
    Ok(dirs)
}

fn calibrate_all(
    bank: &Bank,
    engine: &Engine,
    problems: &[String],
    repeats: usize,
) -> Result<i32, Error> {
    for problem in problems {
        kattis::refuse(bank, problem, "judge verify --calibrate")?;
    }
    let dirs = problem_dirs(bank, problems)?;
    let mut code = 0;
    for dir in dirs {
        let c = calibrate::calibrate(engine, &dir, repeats)?;
        print!("{}", calibrate::render(&c));
        if !c.warnings.is_empty() {
            code = 1;
        }
    }
    Ok(code)
}

fn verify_all(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    flags: JudgingFlags,
    problems: &[String],
) -> Result<i32, Error> {
    let dirs = problem_dirs(bank, problems)?;
    // Problems are verified side by side, each worker running its cases one at a time: while
    // one compiles (single-threaded rustc), another runs. The first engine builds the runtime.
    let workers = jobs.clamp(1, dirs.len());
    // Known submissions' languages come from the bank's own table, as a judging's do.
    let languages = Languages::load(Some(&bank.root))?;
    let engines: Vec<Engine> = (0..workers)
        .map(|_| {
            let engine = flags.engine(cache, (jobs / workers).max(1), false)?;
            Ok::<_, JudgeError>(engine.with_languages(languages.clone()))
        })
        .collect::<Result<_, _>>()?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<Result<verify::Verification, AuthoringError>>>> =
        std::sync::Mutex::new((0..dirs.len()).map(|_| None).collect());
    let printed = std::sync::Mutex::new((0usize, 0i32));
    std::thread::scope(|scope| {
        for engine in &engines {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(dir) = dirs.get(i) else { break };
                let result = verify::verify(engine, dir);
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some(result);
                print_finished(&dirs, &done, &printed);
            });
        }
    });
    let worst = printed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .1;
    Ok(worst)
}

/// Prints, in bank order, every verification that is finished and not yet printed; returns
/// through `printed` (count printed, worst exit code so far).
fn print_finished(
    dirs: &[PathBuf],
    done: &std::sync::Mutex<Vec<Option<Result<verify::Verification, AuthoringError>>>>,
    printed: &std::sync::Mutex<(usize, i32)>,
) {
    let mut printed = printed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut done = done
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    while let Some(result) = done.get_mut(printed.0).and_then(Option::take) {
        let code = print_verification(&dirs[printed.0], result);
        printed.1 = printed.1.max(code);
        printed.0 += 1;
    }
}

/// What a verify could not check here, never counted as passing.
fn print_skipped(skipped: &[String]) {
    for s in skipped {
        println!("        SKIPPED {}", escape_controls(s));
    }
}

fn print_verification(dir: &Path, result: Result<verify::Verification, AuthoringError>) -> i32 {
    match result {
        Ok(v) if v.failures.is_empty() => {
            let skipped = match v.skipped.len() {
                0 => String::new(),
                n => format!("; {n} skipped, not run here"),
            };
            println!("ok      {} ({:.1} s{skipped})", v.id, v.seconds);
            v.notes.iter().for_each(|n| println!("          {n}"));
            print_skipped(&v.skipped);
            0
        }
        Ok(v) => {
            println!("FAILED  {} ({:.1} s)", v.id, v.seconds);
            v.failures
                .iter()
                .map(|f| escape_controls(f).replace('\n', "\n          "))
                .for_each(|f| println!("          {f}"));
            // What did pass is worth knowing too.
            if !v.notes.is_empty() {
                println!("        checked:");
                v.notes
                    .iter()
                    .for_each(|n| println!("          {}", escape_controls(n)));
            }
            print_skipped(&v.skipped);
            1
        }
        Err(e) => {
            let e = Error::from(e);
            println!(
                "ERROR   {}\n          {}",
                dir.display(),
                escape_controls(&e.to_string()).replace('\n', "\n          ")
            );
            e.exit_code()
        }
    }
}
