//! What a candidate reads of a package before writing a solution: the statement as
//! Markdown with the limits and samples around it (`judge show`, the service's problem
//! document), and the whole program to start from.

use std::path::{Path, PathBuf};

use super::Package;

/// A whole program to start from: it reads all of stdin and writes through one buffer.
pub const STUB: &str = r"use std::io::{self, BufWriter, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut words = input.split_ascii_whitespace();
    let mut out = BufWriter::new(io::stdout().lock());
    // Read each value with `words.next().unwrap().parse::<i64>().unwrap()` and write the
    // answer with `writeln!(out, ...)`: `out` is flushed when it goes out of scope.
    let _ = (&mut words, &mut out);
    todo!()
}
";

/// The statement as Markdown, with what the package says of itself around it.
pub fn statement(package: &Package) -> String {
    use std::fmt::Write;
    let mut out = format!("# {}\n\n", package.name);
    match &package.statement {
        Some((_, text)) => {
            out.push_str(text.trim_end());
            out.push_str("\n\n");
        }
        None => {
            out.push_str("(the package has no statement in problem_statement/ or statement/)\n\n");
        }
    }
    let limits = &package.limits;
    let time = limits.time_ms.map_or_else(
        || {
            format!(
                "derived from the accepted submissions ({} × the slowest)",
                limits.ac_to_time_limit
            )
        },
        |ms| format!("{ms} ms"),
    );
    let _ = writeln!(
        out,
        "## Limits\n\n- time: {time} (CPU, per test case)\n- memory: {} MiB\n- output: {} KiB\n",
        limits.memory_mb, limits.output_kb
    );
    let _ = writeln!(
        out,
        "A solution is a whole Rust program: `fn main` reads the input on stdin and writes the answer on stdout.\n"
    );
    if package.interactive {
        let _ = writeln!(
            out,
            "This problem is interactive: your program talks with the judge's validator through stdin and stdout (flush after each line).\n"
        );
    }
    if package.scoring {
        let _ = writeln!(
            out,
            "This is a scoring problem: accepted submissions get a score.\n"
        );
    }
    if package.interactive {
        // The format's sample interactions (`>` the program's lines, `<` the validator's):
        // an interactive problem's .in and .ans files are the judge's, never shown.
        let mut logs: Vec<PathBuf> = std::fs::read_dir(package.dir.join("data/sample"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "interaction"))
            .collect();
        logs.sort();
        for (i, log) in logs.iter().enumerate() {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let _ = writeln!(
                out,
                "## Sample interaction {}\n\n(`>` your program writes, `<` the judge answers)\n\n```\n{}```\n",
                i + 1,
                with_newline(text)
            );
        }
    } else {
        for (i, case) in package.samples.cases().iter().enumerate() {
            let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
            let _ = writeln!(
                out,
                "## Sample {}\n\nInput:\n\n```\n{}```\n\nOutput:\n\n```\n{}```\n",
                i + 1,
                with_newline(read(&case.input)),
                with_newline(read(&case.answer))
            );
        }
    }
    out
}

fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
