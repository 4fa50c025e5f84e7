//! The command line: clap's parsed arguments become calls into the engine; exit codes are
//! decided here and only here (0 accepted or all fine, 1 judged but not accepted, 2 the
//! judge could not judge).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::bank::Bank;
use crate::cache::Cache;
use crate::engine::{reference_path, Engine, Mode};
use crate::error::Error;
use crate::report::Verdict;
use crate::{doctor, harness, spec, value, verify};

#[derive(Parser)]
#[command(
    name = "judge",
    version,
    about = "Grades Rust solutions to machine-learning interview problems"
)]
struct Args {
    /// The bank folder (holding problems/ and reference/); default: $JUDGE_BANK, ./, or the built-in bank
    #[arg(long, global = true, value_name = "DIR")]
    bank: Option<PathBuf>,
    /// Cases run at once (default: the number of CPUs)
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Judge a solution on the samples and the hidden cases; print the verdict and score
    Submit {
        /// A problem id, or a path to a problem folder
        problem: String,
        solution: PathBuf,
        /// Print the report as one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Judge a solution on the samples only, with full diffs (practice)
    Run {
        problem: String,
        solution: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List the bank: id, title, difficulty, tags
    List,
    /// Print a problem's statement, or a stub solution that compiles
    Show {
        problem: String,
        /// Print a compilable stub instead of the statement
        #[arg(long)]
        stub: bool,
    },
    /// Check problems: spec, reference, known submissions (all problems when none is named)
    Verify { problems: Vec<String> },
    /// Show the toolchain and which sandbox layers this machine enforces
    Doctor,
}

pub fn run(argv: Vec<std::ffi::OsString>) -> i32 {
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn dispatch(args: Args) -> Result<i32, Error> {
    let bank = Bank::locate(args.bank.as_deref());
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let cache = Cache::from_env();
    match args.command {
        Cmd::Submit {
            problem,
            solution,
            json,
        } => judge(&bank, &cache, jobs, &problem, &solution, json, Mode::Submit),
        Cmd::Run {
            problem,
            solution,
            json,
        } => judge(&bank, &cache, jobs, &problem, &solution, json, Mode::Run),
        Cmd::List => Ok(list(&bank)),
        Cmd::Show { problem, stub } => show(&bank, &cache, jobs, &problem, stub),
        Cmd::Verify { problems } => verify_all(&bank, &cache, jobs, problems),
        Cmd::Doctor => {
            let (text, ok) = doctor::report(&cache);
            print!("{text}");
            Ok(if ok { 0 } else { 2 })
        }
    }
}

fn judge(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    problem: &str,
    solution: &Path,
    json: bool,
    mode: Mode,
) -> Result<i32, Error> {
    let problem = spec::load(&bank.resolve(problem)?)?;
    if !solution.is_file() {
        return Err(Error::Input(format!(
            "no solution file at {}",
            solution.display()
        )));
    }
    let engine = Engine::new(cache.clone(), jobs)?;
    let report = engine.judge(&problem, &reference_path(&problem), solution, mode)?;
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text(&problem.title));
    }
    Ok(match report.verdict {
        Verdict::AC => 0,
        Verdict::JE => 2,
        _ => 1,
    })
}

fn list(bank: &Bank) -> i32 {
    let mut code = 0;
    println!("{:<22} {:<8} {:<34} tags", "id", "level", "title");
    for id in bank.ids() {
        match spec::load(&bank.problems_dir().join(&id)) {
            Ok(p) => println!(
                "{:<22} {:<8} {:<34} {}",
                p.id,
                p.difficulty.to_string(),
                p.title,
                p.tags.join(", ")
            ),
            Err(e) => {
                code = 2;
                eprintln!("{id}: cannot load: {e}");
            }
        }
    }
    code
}

fn show(bank: &Bank, cache: &Cache, jobs: usize, problem: &str, stub: bool) -> Result<i32, Error> {
    let problem = spec::load(&bank.resolve(problem)?)?;
    if stub {
        print!("{}", harness::stub(&problem.signature, &problem.records));
        return Ok(0);
    }
    let needs_reference = problem.samples.iter().any(|c| c.expected.is_none());
    let answers = if needs_reference {
        Engine::new(cache.clone(), jobs)?.answers(&problem, &reference_path(&problem))?
    } else {
        problem
            .samples
            .iter()
            .filter_map(|c| Some((c.name.clone(), c.expected.clone()?)))
            .collect()
    };
    let tags = if problem.tags.is_empty() {
        String::new()
    } else {
        format!(" · {}", problem.tags.join(", "))
    };
    println!(
        "# {}\n{} · {}{tags}\n",
        problem.title, problem.id, problem.difficulty
    );
    println!("{}\n", problem.statement.trim_end());
    println!("## Signature\n\n    pub {}", problem.signature);
    if !problem.records.is_empty() {
        println!("\nwith these types in scope (provided by the judge):\n");
        for line in harness::record_declarations(&problem.records).lines() {
            println!("    {line}");
        }
    }
    let l = problem.limits;
    println!(
        "\nLimits per case: {} ms CPU time, {} MiB memory, {} KiB output.",
        l.time_ms, l.memory_mb, l.output_kb
    );
    println!("\n## Samples");
    for case in &problem.samples {
        println!("\n{}:", case.name);
        for ((name, _), v) in problem.signature.args.iter().zip(&case.args) {
            println!("    {name} = {}", value::render(v).replace('\n', "\n    "));
        }
        if let Some(a) = answers.get(&case.name) {
            println!("    returns {}", value::render(a).replace('\n', "\n    "));
        }
    }
    Ok(0)
}

fn verify_all(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    problems: Vec<String>,
) -> Result<i32, Error> {
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
        return Err(Error::Input(format!(
            "no problems under {}",
            bank.problems_dir().display()
        )));
    }
    let engine = Engine::new(cache.clone(), jobs)?;
    let mut worst = 0;
    for dir in dirs {
        match verify::verify(&engine, &dir) {
            Ok(v) if v.failures.is_empty() => {
                println!("ok      {}", v.id);
                v.notes.iter().for_each(|n| println!("          {n}"));
            }
            Ok(v) => {
                worst = worst.max(1);
                println!("FAILED  {}", v.id);
                v.failures.iter().for_each(|f| println!("          {f}"));
            }
            Err(e) => {
                worst = 2;
                println!(
                    "ERROR   {}\n          {}",
                    dir.display(),
                    e.to_string().replace('\n', "\n          ")
                );
            }
        }
    }
    Ok(worst)
}
