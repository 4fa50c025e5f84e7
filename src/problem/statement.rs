//! A problem's statement as Markdown: what `judge show` prints and what an interview
//! workspace holds, one text for both.
//!
//! Invariant: pure formatting once the sample answers are known.

use std::collections::HashMap;
use std::fmt::Write;

use crate::problem::spec::record_declarations;
use crate::problem::spec::{CheckerKind, Problem};
use crate::problem::types::{IntKind, Signature, Ty};
use crate::problem::value;
use serde_json::Value as Json;

/// The statement, signature, types in scope, limits and samples.
#[expect(
    clippy::implicit_hasher,
    reason = "the sample answers are always a std HashMap"
)]
pub fn markdown(problem: &Problem, answers: &HashMap<String, Json>) -> String {
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
    let l = problem.limits;
    let _ = writeln!(
        out,
        "\nLimits per case: {} ms CPU time, {} MiB memory, {} KiB output.",
        l.time_ms, l.memory_mb, l.output_kb
    );
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
