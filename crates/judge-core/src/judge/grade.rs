//! Grading one case: its run's verdict (see `verdict`), the answer checked against the
//! expected one (or the custom checker's word), and what the report may show of it. Pure:
//! no process is started here.

use std::io;
use std::sync::Arc;

use serde_json::Value as Json;

use super::checker::{self, Mismatch};
use super::streamed;
use super::verdict::{peak_kb, read_candidate, Answer};
use crate::problem::spec::{Case, CheckerKind, Group, Problem};
use crate::problem::value;
use crate::report::{CaseReport, Fault, GroupReport, Report, Verdict};
use judge_sandbox::{Exit, Outcome};

/// How much of a solution's output a report keeps for a visible case.
const SHOWN_OUTPUT_BYTES: usize = 2000;

/// How much of each side a diff with a streamed answer renders, and how many of its values
/// are kept for it: enough that the kept ones render past the budget (a value renders as a
/// byte at least), so the rendering is the whole answer's, cut at the same place.
const STREAMED_DIFF_BYTES: usize = 64 << 10;
const STREAMED_DIFF_VALUES: usize = 2 * STREAMED_DIFF_BYTES + 1024;

/// How much of one argument a report shows.
const SHOWN_ARGUMENT_BYTES: usize = 16 * 1024;

/// A generated case's arguments larger than this are not read back to be shown: the judge
/// never holds a large case in memory.
const SHOWN_GENERATED_BYTES: u64 = 1 << 20;

/// How much a case's report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Everything: the input, what the solution printed, a diff, messages that quote values
    /// (samples, practice runs, `reveal_hidden`, and the first failing hidden case under
    /// `[feedback] hidden = "first-failure"`).
    All,
    /// How it failed in words and, for a wrong answer, the kind of mismatch without data
    /// (`checker::Mismatch::kind_words`).
    Kind,
    /// How it failed in words ("wrong answer", "panicked").
    Words,
}

/// What a custom checker said of one answer: `Ok(None)` accepted, `Ok(Some(why))` rejected,
/// `Err(why)` the checker itself failed.
pub type CheckerResult = Result<Option<String>, CheckerError>;

/// Why the problem's custom checker gave no word on an answer (the problem's fault: JE).
#[derive(Debug, Clone, thiserror::Error)]
pub enum CheckerError {
    /// Its box could not be run (shared: a case's result is graded twice).
    #[error("{0}")]
    Run(Arc<io::Error>),
    /// It ended otherwise than with 0, or ran out of time or output: its panic message,
    /// else its stderr.
    #[error("{exit:?}: {why}")]
    Failed { exit: Exit, why: String },
    #[error("it wrote no verdict")]
    NoVerdict,
}

/// One case's run, its expected answer, and the custom checker's word if there is one.
pub struct Judged<'a> {
    pub expected: &'a Json,
    pub outcome: &'a io::Result<Outcome>,
    pub custom: Option<CheckerResult>,
}

/// A hidden case reduced to its name and verdict.
pub fn withhold(report: &mut CaseReport) {
    report.time_ms = 0;
    report.memory_kb = 0;
    report.message = None;
    report.withheld = true;
}

/// The report of `case`, showing as much as `shown` says.
pub fn grade(problem: &Problem, case: &Case, judged: Judged<'_>, shown: Shown) -> CaseReport {
    let visible = shown == Shown::All;
    let Judged {
        expected,
        outcome,
        custom,
    } = judged;
    let mut report = CaseReport {
        name: case.name.clone(),
        verdict: Verdict::AC,
        time_ms: 0,
        memory_kb: 0,
        message: None,
        diff: None,
        input: None,
        output: None,
        withheld: false,
        fault: None,
    };
    let o = match outcome {
        Ok(o) => o,
        Err(e) => {
            report.verdict = Verdict::JE;
            report.fault = Some(Fault::Run);
            report.message = Some(format!("the judge could not run the case: {e}"));
            return report;
        }
    };
    report.time_ms = o.cpu_ms;
    report.memory_kb = peak_kb(o);
    let builtin = (problem.checker.kind != CheckerKind::Custom).then_some(expected);
    match read_candidate(problem, o, problem.limits.time_ms, builtin) {
        Err((verdict, why)) => {
            report.verdict = verdict;
            let detail = if visible && verdict == Verdict::RE {
                panic_message(&o.stderr)
            } else {
                None
            };
            report.message = Some(match detail {
                Some(d) => format!("{why}: {d}"),
                None => why,
            });
        }
        Ok(_) if matches!(custom, Some(Err(_))) => {
            let why = custom
                .and_then(Result::err)
                .map_or_else(String::new, |e| e.to_string());
            report.verdict = Verdict::JE;
            report.fault = Some(Fault::Checker);
            report.message = Some(format!("the problem's checker failed: {why}"));
        }
        Ok(answer) if custom.is_some() => {
            if let Some(why) = custom.and_then(Result::ok).flatten() {
                report.verdict = Verdict::WA;
                // Many answers are right, so a diff against the reference's would mislead:
                // the checker's reason and the answer itself say more.
                // A checker's reason may quote the case (expected 5 rows): only for cases
                // that may be shown.
                report.message = Some(match shown {
                    Shown::All => format!(
                        "wrong answer: {why}\nthe answer was: {}",
                        value::render_short(&shown_answer(answer, o), SHOWN_OUTPUT_BYTES)
                    ),
                    Shown::Kind => "wrong answer: the problem's checker rejected it".to_string(),
                    Shown::Words => "wrong answer".to_string(),
                });
            }
        }
        Ok(Answer::Tree(answer)) => {
            if let Err(m) = checker::compare(expected, &answer, &problem.checker) {
                wrong(&mut report, &m, shown);
                if visible {
                    report.diff = Some(crate::report::diff_values(expected, &answer));
                }
            }
        }
        Ok(Answer::Streamed) => {
            let m = streamed::compare(expected, &o.answer, &problem.checker)
                .err()
                .unwrap_or_else(more_values);
            wrong(&mut report, &m, shown);
            if visible {
                report.diff = Some(crate::report::diff_values_limited(
                    expected,
                    &streamed::prefix(&o.answer, STREAMED_DIFF_VALUES),
                    STREAMED_DIFF_BYTES,
                ));
            }
        }
    }
    if visible && report.verdict != Verdict::AC {
        report.input = Some(render_input(problem, case));
        report.output = shown_output(o);
    }
    report
}

/// A wrong answer's verdict and words, as much as `shown` allows.
fn wrong(report: &mut CaseReport, m: &Mismatch, shown: Shown) {
    report.verdict = Verdict::WA;
    report.message = Some(match shown {
        Shown::All => {
            let at = if m.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", m.path)
            };
            format!("wrong answer{at}: {}", m.detail)
        }
        Shown::Kind => format!("wrong answer: {}", m.kind_words()),
        Shown::Words => "wrong answer".to_string(),
    });
}

/// The mismatch of a streamed answer where reading it found none to name: it holds more
/// values than the expected answer, so it cannot be the same.
fn more_values() -> Mismatch {
    Mismatch {
        path: String::new(),
        detail: "the answer holds more values than the expected one".into(),
        kind: checker::MismatchKind::Value,
    }
}

/// An answer to quote: the tree, or a streamed answer's first values.
fn shown_answer(answer: Answer, o: &Outcome) -> Json {
    match answer {
        Answer::Tree(answer) => answer,
        Answer::Streamed => streamed::prefix(&o.answer, 2 * SHOWN_OUTPUT_BYTES),
    }
}

/// The case's arguments as TOML, each cut at `SHOWN_ARGUMENT_BYTES`; a large generated case
/// is named by its seed and size instead of read back.
pub fn render_input(problem: &Problem, case: &Case) -> String {
    if let (Some(g), Some(path)) = (case.generate, &case.input) {
        let bytes = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
        if bytes > SHOWN_GENERATED_BYTES {
            return format!(
                "(made by the problem's generator from seed {} and size {}: {bytes} bytes of \
                 arguments, too large to show)",
                g.seed, g.size
            );
        }
    }
    let args = case.arguments().unwrap_or_default();
    problem
        .signature
        .args
        .iter()
        .zip(&args)
        .map(|((name, _), v)| {
            format!(
                "{name} = {}",
                value::render_limited(v, SHOWN_ARGUMENT_BYTES)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a crash said last: a Rust panic's message, or the exception a Python solution
/// raised (its last line, and where in the solution it was raised).
pub fn panic_message(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    if let Some(raised) = python_exception(&text) {
        return Some(raised);
    }
    let line = text
        .lines()
        .find(|l| l.contains("panicked at"))
        .map(str::to_string)?;
    let mut lines = text
        .lines()
        .skip_while(|l| !l.contains("panicked at"))
        .skip(1);
    Some(match lines.next() {
        Some(msg) if !msg.starts_with("note:") => format!("{line} {msg}"),
        _ => line,
    })
}

/// The exception of the last Python traceback in `text`: `ZeroDivisionError: division by
/// zero (knn.py, line 12, in knn)`.
fn python_exception(text: &str) -> Option<String> {
    let (_, after) = text.rsplit_once("Traceback (most recent call last):\n")?;
    let lines: Vec<&str> = after.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| !l.starts_with(' ') && !l.trim().is_empty())?;
    let place = lines[..last]
        .iter()
        .rev()
        .find_map(|l| l.trim_start().strip_prefix("File "))
        .map(|p| format!(" ({})", p.replace('"', "")));
    Some(format!(
        "{}{}",
        lines[last].trim_end(),
        place.unwrap_or_default()
    ))
}

fn shown_output(o: &Outcome) -> Option<String> {
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    if text.trim().is_empty() {
        return None;
    }
    Some(shorten(&text, SHOWN_OUTPUT_BYTES, "\n[... cut]"))
}

/// `text` cut to at most `max` bytes (on a character boundary), with `marker` when cut.
fn shorten(text: &str, max: usize, marker: &str) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{marker}", &text[..cut])
}

/// Whether a run failed in a way seen without the custom checker (which runs in a batch
/// afterwards): no answer, or an answer the built-in checker rejects.
pub fn plainly_failed(problem: &Problem, expected: &Json, outcome: &io::Result<Outcome>) -> bool {
    let Ok(o) = outcome else {
        return true;
    };
    if problem.checker.kind == CheckerKind::Custom {
        return read_candidate(problem, o, problem.limits.time_ms, None).is_err();
    }
    match read_candidate(problem, o, problem.limits.time_ms, Some(expected)) {
        Err(_) | Ok(Answer::Streamed) => true,
        Ok(Answer::Tree(answer)) => checker::compare(expected, &answer, &problem.checker).is_err(),
    }
}

/// What a custom checker's run says: it exits 0 and writes `null` (accepted) or a string
/// (the reason it rejects); anything else is the checker failing.
pub fn checker_result(outcome: io::Result<Outcome>) -> CheckerResult {
    let o = outcome.map_err(|e| CheckerError::Run(Arc::new(e)))?;
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.exit != Exit::Code(0) || o.wall_exceeded || o.output_exceeded {
        let why = panic_message(&o.stderr).unwrap_or_else(|| stderr.trim().to_string());
        return Err(CheckerError::Failed { exit: o.exit, why });
    }
    match serde_json::from_slice::<Json>(&o.answer) {
        Ok(Json::Null) => Ok(None),
        Ok(Json::String(why)) => Ok(Some(why)),
        _ => Err(CheckerError::NoVerdict),
    }
}

/// A group's result from its cases' reports: its points only when every one of its cases
/// was judged and accepted.
pub fn score_group(group: &Group, cases: Vec<CaseReport>) -> GroupReport {
    let verdict = Report::overall(&cases, &[]);
    let complete = cases.len() == group.cases.len();
    let score = if verdict == Verdict::AC && complete {
        group.points
    } else {
        0
    };
    GroupReport {
        name: group.name.clone(),
        verdict,
        score,
        max_score: group.points,
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_python_exception_is_named_with_its_place() {
        let stderr = b"printed first\nTraceback (most recent call last):\n  File \"knn.py\", line 9, in knn\n    return helper(k)\n           ^^^^^^^^^\n  File \"knn.py\", line 3, in helper\n    return 1 // 0\n           ~~^^~~\nZeroDivisionError: integer division or modulo by zero\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some(
                "ZeroDivisionError: integer division or modulo by zero (knn.py, line 3, in helper)"
            )
        );
        let panic = b"thread 'main' panicked at solution.rs:2:5:\nboom\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(panic).as_deref(),
            Some("thread 'main' panicked at solution.rs:2:5: boom")
        );
        assert_eq!(panic_message(b"nothing to see\n"), None);
    }
}
