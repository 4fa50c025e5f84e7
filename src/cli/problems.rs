//! The commands that read problems without judging a solution: `list`, `show`, `cases`,
//! and the two that compare solutions, `complexity` and `similarity`.

use super::args::{ComplexityArgs, SimilarityArgs};
use super::complexity;
use super::flags::{BankChoice, JudgingFlags};
use super::kattis;
use super::similarity;
use crate::cache::Cache;
use crate::error::{Error, UsageError};
use crate::judge::{history, Engine, JudgeError};
use crate::languages::Languages;
use crate::problem::bank::Bank;
use crate::problem::{spec, statement};
use crate::report::text::escape_controls;

pub(super) enum Command {
    List {
        bank: BankChoice,
        difficulty: Option<String>,
        tags: Vec<String>,
        json: bool,
    },
    Show {
        bank: BankChoice,
        jobs: usize,
        problem: String,
        stub: bool,
        lang: Option<String>,
    },
    Cases {
        bank: BankChoice,
        jobs: usize,
        problem: String,
    },
    Complexity {
        bank: BankChoice,
        jobs: usize,
        flags: JudgingFlags,
        args: ComplexityArgs,
    },
    Similarity {
        bank: BankChoice,
        args: SimilarityArgs,
    },
}

impl Command {
    pub(super) fn fills_cache(&self) -> bool {
        !matches!(self, Command::List { .. } | Command::Similarity { .. })
    }

    pub(super) fn run(self, cache: &Cache) -> Result<i32, Error> {
        match self {
            Command::List {
                bank,
                difficulty,
                tags,
                json,
            } => Ok(list(
                &bank.locate()?,
                cache,
                difficulty.as_deref(),
                &tags,
                json,
            )),
            Command::Show {
                bank,
                jobs,
                problem,
                stub,
                lang,
            } => show(
                &bank.locate()?,
                cache,
                jobs,
                &problem,
                (stub, lang.as_deref()),
            ),
            Command::Cases {
                bank,
                jobs,
                problem,
            } => cases(&bank.locate()?, cache, jobs, &problem),
            Command::Complexity {
                bank,
                jobs,
                flags,
                args,
            } => complexity::run(&bank.locate()?, cache, jobs, flags, &args),
            // The bank is located only for --problem.
            Command::Similarity { bank, args } => similarity::run(|| Ok(bank.locate()?), &args),
        }
    }
}

/// The bank, with the user's own state of each problem (not tried, tried, solved, best
/// score) from the record `submit` and `run` keep in the cache.
fn list(bank: &Bank, cache: &Cache, difficulty: Option<&str>, tags: &[String], json: bool) -> i32 {
    let mut code = 0;
    let mut rows = Vec::new();
    let (packages, ids): (Vec<String>, Vec<String>) = bank
        .ids()
        .into_iter()
        .partition(|id| crate::problem::package::is_package(&bank.problems_dir().join(id)));
    // Packages have no difficulty or tags: a filter on either leaves them out.
    let packages = if difficulty.is_none() && tags.is_empty() {
        packages
    } else {
        Vec::new()
    };
    let (package_rows, package_code) = kattis::list_rows(bank, &packages);
    code = code.max(package_code);
    for id in ids {
        match spec::load(&bank.problems_dir().join(&id)) {
            Ok(p) => rows.push(p),
            Err(e) => {
                let e = Error::from(e);
                code = code.max(e.exit_code());
                eprintln!("{id}: cannot load: {}", escape_controls(&e.to_string()));
            }
        }
    }
    rows.retain(|p| {
        difficulty.is_none_or(|d| p.difficulty.to_string().eq_ignore_ascii_case(d))
            && tags.iter().all(|t| p.tags.contains(t))
    });
    let own = history::load_all(cache, rows.iter().map(|p| p.id.as_str()));
    if json {
        let mut items: Vec<serde_json::Value> = rows
            .iter()
            .map(|p| {
                let record = own.get(&p.id);
                serde_json::json!({
                    "id": p.id, "title": p.title, "difficulty": p.difficulty.to_string(),
                    "tags": p.tags, "cases": p.cases().count(), "max_score": p.max_score(),
                    "state": history::Record::state(record).key(),
                    "best_score": record.filter(|r| r.submissions > 0).map(|r| r.best_score),
                    "submissions": record.map_or(0, |r| r.submissions),
                })
            })
            .collect();
        items.extend(kattis::list_json(
            &package_rows,
            &own_packages(cache, &package_rows),
        ));
        println!("{}", serde_json::Value::Array(items));
        return code;
    }
    // "solved 100/100", "tried 40/100", "tried" (practice runs only), "not tried".
    let states: Vec<String> = rows
        .iter()
        .map(|p| {
            let record = own.get(&p.id);
            let state = history::Record::state(record).name();
            match record {
                Some(r) if r.submissions > 0 => {
                    format!("{state} {}/{}", r.best_score, r.max_score)
                }
                _ => state.to_string(),
            }
        })
        .collect();
    let state_width = states.iter().map(String::len).max().unwrap_or(4).max(4);
    let id_width = rows.iter().map(|p| p.id.len()).max().unwrap_or(2).max(2);
    let title_width = rows
        .iter()
        .map(|p| p.title.chars().count())
        .max()
        .unwrap_or(5);
    // A bank of packages alone has no table of function problems to head.
    if !rows.is_empty() || package_rows.is_empty() {
        println!(
            "{:<id_width$}  {:<6}  {:<state_width$}  {:<title_width$}  tags",
            "id", "level", "yours", "title"
        );
    }
    for (p, state) in rows.iter().zip(&states) {
        println!(
            "{:<id_width$}  {:<6}  {:<state_width$}  {:<title_width$}  {}",
            p.id,
            p.difficulty.to_string(),
            state,
            p.title,
            p.tags.join(", ")
        );
    }
    print!(
        "{}",
        kattis::list_text(&package_rows, &own_packages(cache, &package_rows))
    );
    code
}

/// The user's own record of each package listed.
fn own_packages(
    cache: &Cache,
    rows: &[(String, String, usize)],
) -> std::collections::HashMap<String, history::Record> {
    history::load_all(cache, rows.iter().map(|(id, _, _)| id.as_str()))
}

fn cases(bank: &Bank, cache: &Cache, jobs: usize, problem: &str) -> Result<i32, Error> {
    use std::io::Write;
    kattis::refuse(bank, problem, "judge cases")?;

    let problem = spec::load(&bank.resolve(problem)?)?;
    let engine = Engine::new(cache.clone(), jobs)?;
    let problem = engine.prepare(&problem)?;
    let answers = engine.answers(&problem, &problem.reference_path())?;
    let groups = std::iter::once(("sample", &problem.samples))
        .chain(problem.groups.iter().map(|g| (g.name.as_str(), &g.cases)));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (group, cases) in groups {
        for case in cases {
            let args: serde_json::Map<String, serde_json::Value> = problem
                .signature
                .args
                .iter()
                .map(|(name, _)| name.clone())
                .zip(case.arguments().map_err(|e| JudgeError::CaseInput {
                    case: case.name.clone(),
                    why: e.to_string(),
                })?)
                .collect();
            let line = serde_json::json!({
                "name": case.name, "group": group, "args": args, "expected": answers.expected(&case.name),
            });
            match writeln!(out, "{line}") {
                // A reader that stops early (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
                other => other.map_err(UsageError::Output)?,
            }
        }
    }
    Ok(0)
}

fn show(
    bank: &Bank,
    cache: &Cache,
    jobs: usize,
    problem: &str,
    (stub, lang): (bool, Option<&str>),
) -> Result<i32, Error> {
    if let Some(dir) = kattis::package_dir(bank, problem) {
        return kattis::show(bank, &dir, (stub, lang));
    }
    let problem = spec::load(&bank.resolve(problem)?)?;
    let languages = Languages::load(Some(&bank.root))?;
    if stub {
        let language = languages.get(lang.unwrap_or("rust"))?;
        let Some(text) = crate::build::function_stub(&problem, language) else {
            return Err(UsageError::LanguageNotJudged {
                path: problem.dir.clone(),
                language: language.name.clone(),
                kind: "function-signature",
                takes: "Rust and Python",
            }
            .into());
        };
        print!("{text}");
        return Ok(0);
    }
    let answers = crate::judge::sample_answers(&problem, || Engine::new(cache.clone(), jobs))?;
    // The limits as they are in each language that has its own (Python's 5x time).
    let scaled = crate::build::scaled_limits(languages.all());
    print!("{}", statement::markdown_in(&problem, &answers, &scaled));
    Ok(0)
}
