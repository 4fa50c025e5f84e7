//! A problem's statement as Markdown: what `judge show` prints and what an interview
//! workspace holds, one text for both.
//!
//! Invariant: pure formatting once the sample answers are known.

use std::collections::HashMap;
use std::fmt::Write;

use crate::problem::spec::record_declarations;
use crate::problem::spec::{Checker, CheckerKind, HiddenDetails, Problem};
use crate::problem::types::{IntKind, Signature, Ty};
use crate::problem::value;
use serde_json::Value as Json;

/// The statement, signature, types in scope, scoring (groups, points, limits, how answers are
/// checked) and samples.
#[expect(
    clippy::implicit_hasher,
    reason = "the sample answers are always a std HashMap"
)]
pub fn markdown(problem: &Problem, answers: &HashMap<String, Json>) -> String {
    markdown_in(problem, answers, &[])
}

/// A language whose limits on a function problem differ from the problem's own, which are
/// set for Rust (the languages table's `functions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled<'a> {
    /// The language's name, as people write it.
    pub language: &'a str,
    /// The time limit counts this many times.
    pub time_multiplier: u64,
    /// MiB more memory.
    pub memory_extra_mb: u64,
}

/// `markdown`, whose limits also say what they are in each of `scaled`.
#[expect(
    clippy::implicit_hasher,
    reason = "the sample answers are always a std HashMap"
)]
pub fn markdown_in(
    problem: &Problem,
    answers: &HashMap<String, Json>,
    scaled: &[Scaled<'_>],
) -> String {
    let mut out = String::new();
    let tags = if problem.tags.is_empty() {
        String::new()
    } else {
        format!(" · {}", problem.tags.join(", "))
    };
    let _ = writeln!(
        out,
        "# {}\n{} · {}{tags}\n",
        problem.title, problem.id, problem.difficulty
    );
    let _ = writeln!(out, "{}\n", problem.statement.trim_end());
    let _ = writeln!(out, "## Signature\n\n    pub {}", problem.signature);
    if !problem.records.is_empty() {
        let _ = writeln!(
            out,
            "\nwith these types in scope (provided by the judge):\n"
        );
        for line in record_declarations(&problem.records).lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    scoring(problem, scaled, &mut out);
    let _ = writeln!(out, "\n## Samples");
    let notes = notation(&problem.signature);
    if !notes.is_empty() {
        let _ = writeln!(out, "\nValues are shown as TOML: {}.", notes.join("; "));
    }
    let many_answers = problem.checker.kind == CheckerKind::Custom;
    for case in &problem.samples {
        let _ = writeln!(out, "\n{}:", case.name);
        for ((name, _), v) in problem.signature.args.iter().zip(&case.args) {
            let _ = writeln!(
                out,
                "    {name} = {}",
                value::render(v).replace('\n', "\n    ")
            );
        }
        if let Some(a) = answers.get(&case.name) {
            let _ = writeln!(
                out,
                "    returns {}",
                value::render(a).replace('\n', "\n    ")
            );
            if many_answers {
                let _ = writeln!(out, "    ({ONE_OF_MANY})");
            }
        }
    }
    out
}

/// "## Scoring": each group with its cases and points and the rule that scores it, the
/// limits per case, and how answers are checked, so that a candidate knows before submitting
/// what a submission is judged by.
fn scoring(problem: &Problem, scaled: &[Scaled<'_>], out: &mut String) {
    let _ = writeln!(out, "\n## Scoring\n");
    if problem.groups.is_empty() {
        let _ = writeln!(
            out,
            "This problem has no hidden cases: a submission is judged on the samples alone and \
             scores nothing."
        );
    } else {
        let _ = writeln!(
            out,
            "A submission is judged on the samples, then on hidden cases in groups. **A group \
             scores its points only if every one of its cases passes**; the samples score \
             nothing.\n"
        );
        let _ = writeln!(out, "| group | cases | points |\n|---|---:|---:|");
        for g in &problem.groups {
            let _ = writeln!(out, "| {} | {} | {} |", g.name, g.cases.len(), g.points);
        }
        let cases: usize = problem.groups.iter().map(|g| g.cases.len()).sum();
        let _ = writeln!(out, "| total | {cases} | {} |", problem.max_score());
    }
    let l = problem.limits;
    let _ = writeln!(
        out,
        "\nLimits per case: {} ms of CPU time (every thread counted), {} MiB of memory, {} KiB \
         of output (stdout and stderr together), a {} MiB disk.",
        l.time_ms, l.memory_mb, l.output_kb, l.disk_mb
    );
    for s in scaled
        .iter()
        .filter(|s| s.time_multiplier != 1 || s.memory_extra_mb != 0)
    {
        let _ = writeln!(
            out,
            "\nIn {}: {} ms of CPU time and {} MiB of memory per case (the time limit counts \
             {} times, and the interpreter gets {} MiB more).",
            s.language,
            l.time_ms * s.time_multiplier,
            l.memory_mb + s.memory_extra_mb,
            s.time_multiplier,
            s.memory_extra_mb
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        checking(&problem.checker, &problem.signature.ret)
    );
    if !problem.groups.is_empty() {
        let _ = writeln!(out, "\n{}", feedback(problem));
    }
}

/// What a failing hidden case shows, in words (`[feedback] hidden`, `reveal_hidden`).
pub fn feedback(problem: &Problem) -> String {
    if problem.reveal_hidden {
        return "A failing hidden case is shown whole, as a sample is: its input, the expected \
                and your answer, and what your solution printed."
            .to_string();
    }
    let shown = match problem.hidden_details {
        HiddenDetails::Verdict => "its verdict alone (no time, memory or message)",
        HiddenDetails::Outcome => {
            "its verdict, CPU time, peak memory and how it failed in words (\"wrong answer\", \
             \"panicked\"), never its input or answers"
        }
        HiddenDetails::Kind if problem.checker.kind == CheckerKind::Custom => {
            "its verdict, CPU time, peak memory and how it failed in words; for a wrong answer, \
             that the checker rejected it but not its reason (which may quote the case), never \
             its input or answers"
        }
        HiddenDetails::Kind => {
            "its verdict, CPU time, peak memory and how it failed in words; for a wrong answer, \
             also what kind of mismatch (a wrong length, the place of the first wrong element, \
             NaN where a number was expected, how far off a float is, the right elements in \
             another order), never its input or answers"
        }
        HiddenDetails::FirstFailure => {
            "what kind of mismatch, without data; and the first failing hidden case is shown \
             whole, as a sample is: its input, the expected and your answer, and what your \
             solution printed"
        }
    };
    format!("A failing hidden case shows {shown}.")
}

/// How answers of type `answer` are checked, in words: the checker and its tolerance.
pub fn checking(checker: &Checker, answer: &Ty) -> String {
    let mut types = Vec::new();
    collect(answer, &mut types);
    let has_floats = types
        .iter()
        .any(|t| matches!(t, Ty::F64 | Ty::Array1 | Ty::Array2));
    let tolerance = format!(
        "a float is accepted when |yours - expected| <= {} or |yours - expected| <= {} x \
         |expected|, NaN matches only NaN and an infinity only an infinity of the same sign",
        number(checker.abs_tol),
        number(checker.rel_tol)
    );
    match checker.kind {
        CheckerKind::Custom => "Answers are checked by the problem's checker: many answers are \
             right, so yours is checked against the rules above rather than compared with one \
             expected answer, and a rejection says why."
            .to_string(),
        CheckerKind::Exact if has_floats => "Answers are checked exactly: yours must equal the \
             expected answer, floats included (0.0 equals -0.0, NaN equals NaN)."
            .to_string(),
        CheckerKind::Float if has_floats => format!(
            "Answers are checked with a tolerance: {tolerance}; everything else (integers, \
             strings, lengths) must be equal."
        ),
        CheckerKind::Exact | CheckerKind::Float => {
            "Answers are checked exactly: yours must equal the expected answer.".to_string()
        }
        CheckerKind::Unordered => format!(
            "Answers are checked in any order: your list is compared with the expected one as a \
             multiset (every element as often as expected){}.",
            if has_floats {
                format!("; {tolerance}")
            } else {
                String::new()
            }
        ),
    }
}

/// A tolerance as people write it: `1e-6`, `0.5`.
fn number(v: f64) -> String {
    if v != 0.0 && !(1e-3..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The label of a sample's answer when the problem's checker accepts many (`kind =
/// "custom"`): the answer shown is the reference's, not the only right one.
pub const ONE_OF_MANY: &str = "one right answer; the checker accepts any valid one";

/// How the values of the signature's types are written in samples, where that is not plain
/// Rust: one note per kind of type the signature uses, in a fixed order.
fn notation(signature: &Signature) -> Vec<&'static str> {
    let mut types = Vec::new();
    for ty in signature
        .args
        .iter()
        .map(|(_, t)| t)
        .chain(std::iter::once(&signature.ret))
    {
        collect(ty, &mut types);
    }
    let has = |f: &dyn Fn(&Ty) -> bool| types.iter().any(|t| f(t));
    let mut notes = Vec::new();
    if has(&|t| matches!(t, Ty::Tuple(_))) {
        notes.push("a tuple is a list, so `(a, b)` is shown as `[a, b]`");
    }
    if has(&|t| matches!(t, Ty::Option(_))) {
        notes.push("`Some(x)` is shown as `x` and `None` as the string `\"None\"`");
    }
    if has(&|t| matches!(t, Ty::Record(_))) {
        notes.push("a record is an inline table, `{ field = value, ... }`");
    }
    if has(&|t| matches!(t, Ty::Array2)) {
        notes.push("an `Array2` is a list of rows");
    }
    if has(&|t| matches!(t, Ty::Int(IntKind::U64))) {
        notes.push("an integer above 9223372036854775807 is a string of digits");
    }
    notes
}

/// `ty` and every type inside it.
fn collect<'a>(ty: &'a Ty, out: &mut Vec<&'a Ty>) {
    out.push(ty);
    match ty {
        Ty::Vec(inner) | Ty::Option(inner) => collect(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|t| collect(t, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(kind: CheckerKind) -> Checker {
        Checker {
            kind,
            ..Checker::default()
        }
    }

    #[test]
    fn the_checker_in_words_follows_the_answer_type() {
        let ints = Ty::Vec(Box::new(Ty::Int(IntKind::I64)));
        let floats = Ty::Array1;
        let exact = checker(CheckerKind::Exact);
        assert_eq!(
            checking(&exact, &ints),
            "Answers are checked exactly: yours must equal the expected answer."
        );
        assert!(checking(&exact, &floats).contains("floats included"));
        // A float checker on an answer without floats compares exactly.
        assert!(!checking(&checker(CheckerKind::Float), &ints).contains("tolerance"));
        let float = checking(&checker(CheckerKind::Float), &floats);
        assert!(float.contains("<= 1e-6 or |yours - expected| <= 1e-6 x |expected|"));
        let unordered = checking(&checker(CheckerKind::Unordered), &ints);
        assert!(unordered.contains("any order") && !unordered.contains("float"));
    }

    #[test]
    fn tolerances_read_as_people_write_them() {
        assert_eq!(number(1e-6), "1e-6");
        assert_eq!(number(0.001), "0.001");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(2e7), "2e7");
    }

    #[test]
    fn notation_names_only_the_types_the_signature_uses() {
        let sig = |args: Vec<Ty>, ret: Ty| Signature {
            name: "f".into(),
            args: args.into_iter().map(|t| ("a".to_string(), t)).collect(),
            ret,
        };
        assert!(notation(&sig(vec![Ty::Int(IntKind::I64)], Ty::Str)).is_empty());
        let nested = Ty::Vec(Box::new(Ty::Tuple(vec![Ty::Int(IntKind::I64), Ty::F64])));
        let notes = notation(&sig(vec![Ty::Array1], nested));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("tuple"));
    }
}
