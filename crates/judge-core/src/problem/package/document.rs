//! What a candidate reads of a package before writing a solution: the statement as
//! Markdown with the limits and samples around it (`judge show`, the service's problem
//! document), and the whole program to start from.

use std::path::{Path, PathBuf};

use super::Package;

/// A whole Rust program to start from: it reads all of stdin and writes through one buffer.
/// The same text as the languages table's `rust.stub` (a unit test in `service::kattis`
/// checks it), which is where the other languages' are.
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
    // Samples placed by the statement ({{nextsample}}, {{remainingsamples}}) are shown
    // there; the rest after the limits.
    let mut samples = sample_blocks(package).into_iter();
    match &package.statement {
        Some(statement) => {
            out.push_str(place_samples(&statement.text, &mut samples).trim_end());
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
    let _ = match &package.languages {
        None => writeln!(
            out,
            "A solution is a whole program, in any language the judge runs: it reads the input on stdin and writes the answer on stdout.\n"
        ),
        Some(codes) => writeln!(
            out,
            "A solution is a whole program, in a language the package allows ({}): it reads the input on stdin and writes the answer on stdout.\n",
            codes.join(", ")
        ),
    };
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
    for block in samples {
        out.push_str(&block);
    }
    out
}

/// The statement as `judge show` prints it in a terminal: the Markdown, then where each
/// image it shows is (a terminal cannot show them).
pub fn terminal(package: &Package) -> String {
    use std::fmt::Write;
    let mut out = statement(package);
    let images = package
        .statement
        .as_ref()
        .map_or(&[][..], |s| &s.images[..]);
    if !images.is_empty() {
        out.push_str("## Images\n\n");
        for image in images {
            let caption = if image.caption.is_empty() || image.caption == image.reference {
                String::new()
            } else {
                format!(" ({})", image.caption)
            };
            let _ = match &image.file {
                Some(file) => writeln!(out, "- {}{caption}: {}", image.reference, file.display()),
                None => writeln!(
                    out,
                    "- {}{caption}: not a file in the statement's folder",
                    image.reference
                ),
            };
        }
        out.push('\n');
    }
    out
}

/// `{{nextsample}}` takes the next sample block, `{{remainingsamples}}` the rest.
fn place_samples(text: &str, samples: &mut impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.trim() {
            "{{nextsample}}" => out.extend(samples.next()),
            "{{remainingsamples}}" => out.extend(samples.by_ref()),
            _ => out.push_str(line),
        }
    }
    out
}

/// Each sample as Markdown: an interactive problem's interactions (`>` the program's
/// lines, `<` the validator's; its .in and .ans files are the judge's, never shown), else
/// input and output.
fn sample_blocks(package: &Package) -> Vec<String> {
    if package.interactive {
        let mut logs: Vec<PathBuf> = std::fs::read_dir(package.dir.join("data/sample"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "interaction"))
            .collect();
        logs.sort();
        return logs
            .iter()
            .enumerate()
            .map(|(i, log)| {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                format!(
                    "## Sample interaction {}\n\n(`>` your program writes, `<` the judge answers)\n\n```\n{}```\n\n",
                    i + 1,
                    with_newline(text)
                )
            })
            .collect();
    }
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    package
        .samples
        .cases()
        .iter()
        .enumerate()
        .map(|(i, case)| {
            // What the statement shows may be other files than the judge's (2023-07).
            let shown = |extension: &str, fallback: &Path| {
                let other = case.input.with_extension(extension);
                if other.is_file() {
                    read(&other)
                } else {
                    read(fallback)
                }
            };
            format!(
                "## Sample {}\n\nInput:\n\n```\n{}```\n\nOutput:\n\n```\n{}```\n\n",
                i + 1,
                with_newline(shown("in.statement", &case.input)),
                with_newline(shown("ans.statement", &case.answer))
            )
        })
        .collect()
}

fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
