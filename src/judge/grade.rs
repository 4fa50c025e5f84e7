//! Grading one case: its run's verdict (see `verdict`), the answer checked against the
//! expected one (or the custom checker's word), and what the report may show of it. Pure:
//! no process is started here.

use std::io;

use serde_json::Value as Json;

use super::checker;
use super::verdict::{peak_kb, read_answer};
use crate::problem::spec::{Case, CheckerKind, Group, Problem};
use crate::problem::value;
use crate::report::{CaseReport, Fault, GroupReport, Report, Verdict};
use crate::sandbox::{Exit, Outcome};

/// How much of a solution's output a report keeps for a visible case.
const SHOWN_OUTPUT_BYTES: usize = 2000;

/// What a custom checker said of one answer: `Ok(None)` accepted, `Ok(Some(why))` rejected,
/// `Err(why)` the checker itself failed.
pub type CheckerResult = Result<Option<String>, String>;

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

/// The report of `case`, showing its input, output and diff only when `visible`.
pub fn grade(problem: &Problem, case: &Case, judged: Judged<'_>, visible: bool) -> CaseReport {
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
    match read_answer(problem, o, problem.limits.time_ms) {
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
            let why = custom.and_then(Result::err).unwrap_or_default();
            report.verdict = Verdict::JE;
            report.fault = Some(Fault::Checker);
            report.message = Some(format!("the problem's checker failed: {why}"));
        }
        Ok(answer) if custom.is_some() => {
            if let Some(why) = custom.and_then(Result::ok).flatten() {
                report.verdict = Verdict::WA;
                // Many answers are right, so a diff against the reference's would mislead:
                // the checker's reason and the answer itself say more.
                report.message = Some(if visible {
                    format!(
                        "wrong answer: {why}\nthe answer was: {}",
                        value::render_short(&answer, SHOWN_OUTPUT_BYTES)
                    )
                } else {
                    "wrong answer".to_string()
                });
            }
        }
        Ok(answer) => {
            if let Err(m) = checker::compare(expected, &answer, &problem.checker) {
                report.verdict = Verdict::WA;
                report.message = Some(if visible {
                    let at = if m.path.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", m.path)
                    };
                    format!("wrong answer{at}: {}", m.detail)
                } else {
                    "wrong answer".to_string()
                });
                if visible {
                    report.diff = Some(crate::report::diff_values(expected, &answer));
                }
            }
        }
    }
    if visible && report.verdict != Verdict::AC {
        report.input = Some(render_input(problem, case));
        report.output = shown_output(o);
    }
    report
}

pub fn render_input(problem: &Problem, case: &Case) -> String {
    let args = case.arguments().unwrap_or_default();
    problem
        .signature
        .args
        .iter()
        .zip(&args)
        .map(|((name, _), v)| format!("{name} = {}", value::render(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn panic_message(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
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
    match read_answer(problem, o, problem.limits.time_ms) {
        Err(_) => true,
        Ok(answer) => {
            problem.checker.kind != CheckerKind::Custom
                && checker::compare(expected, &answer, &problem.checker).is_err()
        }
    }
}

/// What a custom checker's run says: it exits 0 and writes `null` (accepted) or a string
/// (the reason it rejects); anything else is the checker failing.
pub fn checker_result(outcome: io::Result<Outcome>) -> CheckerResult {
    let o = outcome.map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.exit != Exit::Code(0) || o.wall_exceeded || o.output_exceeded {
        let why = panic_message(&o.stderr).unwrap_or_else(|| stderr.trim().to_string());
        return Err(format!("{:?}: {why}", o.exit));
    }
    match serde_json::from_slice::<Json>(&o.answer) {
        Ok(Json::Null) => Ok(None),
        Ok(Json::String(why)) => Ok(Some(why)),
        _ => Err("it wrote no verdict".into()),
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
