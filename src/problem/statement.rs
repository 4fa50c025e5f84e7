//! A problem's statement as Markdown: what `judge show` prints and what an interview
//! workspace holds, one text for both.
//!
//! Invariant: pure formatting once the sample answers are known.

use std::collections::HashMap;
use std::fmt::Write;

use crate::problem::spec::record_declarations;
use crate::problem::spec::Problem;
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
        }
    }
    out
}
