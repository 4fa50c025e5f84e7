//! `judge new <id>`: a complete, working problem to edit instead of a blank page. Every file
//! the judge reads is there (problem.toml with each field explained, tests.toml with hand
//! written and generated groups, generator.rs, a reference, known right and wrong
//! submissions), and `judge verify <id>` accepts it as written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::authoring::AuthoringError;

/// Checks an id: lowercase words joined by single hyphens, whose function name
/// (hyphens as underscores) is a Rust identifier and not a keyword.
pub fn check_id(id: &str) -> Result<(), AuthoringError> {
    let shaped = id.split('-').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && id.starts_with(|c: char| c.is_ascii_lowercase());
    if !shaped {
        return Err(AuthoringError::BadId { id: id.to_string() });
    }
    let function = id.replace('-', "_");
    if syn::parse_str::<syn::Ident>(&function).is_err() {
        return Err(AuthoringError::KeywordId {
            id: id.to_string(),
            function,
        });
    }
    Ok(())
}

/// The files of a new problem, (path relative to the bank, text).
pub fn files(id: &str) -> Vec<(PathBuf, String)> {
    let function = id.replace('-', "_");
    let dir = PathBuf::from("problems").join(id);
    let fill = |t: &str| t.replace("{id}", id).replace("{function}", &function);
    vec![
        (dir.join("problem.toml"), fill(PROBLEM_TOML)),
        (dir.join("tests.toml"), fill(TESTS_TOML)),
        (dir.join("generator.rs"), fill(GENERATOR)),
        (dir.join("submissions/AC/iterator.rs"), fill(AC_SUBMISSION)),
        (
            dir.join("submissions/WA/swapped_bounds.rs"),
            fill(WA_SUBMISSION),
        ),
        (
            PathBuf::from("reference").join(format!("{function}.rs")),
            fill(REFERENCE),
        ),
    ]
}

/// Writes the new problem under `bank`; refuses to overwrite anything.
pub fn create(bank: &Path, id: &str) -> Result<Vec<PathBuf>, AuthoringError> {
    check_id(id)?;
    let files = files(id);
    for (path, _) in &files {
        let full = bank.join(path);
        if full.exists() {
            return Err(AuthoringError::Exists(full));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let full = bank.join(&path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|source| AuthoringError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        if let Err(source) = fs::write(&full, text) {
            return Err(AuthoringError::Write { path: full, source });
        }
        written.push(full);
    }
    Ok(written)
}

const PROBLEM_TOML: &str = r#"# A problem of the judge's bank. Every key is explained; AUTHORING.md walks through the rest.
# `judge verify {id}` checks this folder; `judge show {id}` prints the statement.

# Shown in listings and reports.
title = "Clip values to a range"
# easy, medium or hard.
difficulty = "easy"
# Free-form words; `judge list --tag T` and `judge interview start --tags T` filter on them.
tags = ["pre-processing", "numpy"]

# The function a solution defines, with its exact types. Supported: bool, i32, i64, u8, u32,
# u64, usize, f64, String, Vec<T>, Option<T>, tuples, Array1<f64>, Array2<f64>, and record
# types declared under [records] below.
signature = "fn {function}(values: Vec<f64>, low: f64, high: f64) -> Vec<f64>"

# Markdown. Say every rule a solution needs (ties, empty inputs, tolerances, sizes): hidden
# cases may test only what the statement promises.
statement = """
Clip every value into the range [`low`, `high`], as `numpy.clip(values, low, high)` does: a
value below `low` becomes `low`, a value above `high` becomes `high`, and the others stay as
they are. The order of the values is kept.

`low <= high` always holds, and `values` may be empty. Floats are compared with an absolute or
relative tolerance of 1e-6. Lists can hold a million values.

### Example

```
values = [-3.0, 0.5, 7.0],  low = 0.0,  high = 1.0
```

returns `[0.0, 0.5, 1.0]`.
"""

# Whether reports may show hidden cases' inputs and diffs to candidates (default false).
reveal_hidden = false

# What a failing hidden case shows otherwise: "verdict", "outcome", "kind" (its kind of
# mismatch without data) or "first-failure" (the first one shown whole). Without this, the
# bank's problems/bank.toml decides, else "kind". AUTHORING.md says what each reveals.
# [feedback]
# hidden = "kind"

# Record types (rows of a table), used in the signature by name. For example:
# [records.RainDay]
# day = "String"
# rainfall = "f64"

# Per case. time_ms is CPU time summed over threads, with a wall-clock backstop;
# `judge verify --calibrate {id}` proposes a value from the accepted submissions' times.
[limits]
time_ms = 1000
memory_mb = 256
# Answer plus anything printed, in KiB.
output_kb = 65536

# How answers are compared: "exact", "float" (accept when |s-a| <= abs_tol or
# |s-a| <= rel_tol * |a|, inside lists and records too), "unordered" (the answer list as a
# multiset), or "custom" (this folder's checker.rs decides; see AUTHORING.md).
[checker]
kind = "float"
abs_tol = 1e-6
rel_tol = 1e-6

# Samples: shown to candidates and judged on every run, never scored. One key per argument;
# `expected` is optional (without it the reference's answer is used). None is written "None".
[[sample]]
values = [-3.0, 0.5, 7.0]
low = 0.0
high = 1.0
expected = [0.0, 0.5, 1.0]

[[sample]]
values = []
low = -1.0
high = 1.0
expected = []
"#;

const TESTS_TOML: &str = r#"# Hidden cases, in groups. A group's points are scored only when all its cases pass.
# Cases need no `expected`: the reference's answers are computed once and cached, and
# `judge verify` checks any `expected` written here against the reference.

[[group]]
name = "basic"
points = 60

[[group.case]]
values = [1.0, 2.0, 3.0]
low = 1.5
high = 2.5

[[group.case]]
values = [5.0, -5.0]
low = 0.0
high = 0.0

[[group.case]]
values = [0.25]
low = -1.0
high = 1.0
expected = [0.25]

# Large cases come from generator.rs: `generate(seed, size)` makes all the arguments.
[[group]]
name = "large"
points = 40

[[group.case]]
generate = { seed = 1, size = 1_000_000 }

[[group.case]]
generate = { seed = 2, size = 500_000 }
"#;

const GENERATOR: &str = r"// Cases for {id}: `size` values spread over [-100, 100], and bounds inside that range.
// Draw every random number from `judge_rt::Rng::new(seed)`: the same seed must make the same
// case (`judge verify` checks). Every size from 1 up must give a case within the rules, since
// `judge stress` starts small.
fn generate(seed: u64, size: usize) -> (Vec<f64>, f64, f64) {
    let mut rng = judge_rt::Rng::new(seed);
    let values = (0..size).map(|_| rng.unit() * 200.0 - 100.0).collect();
    let a = rng.unit() * 200.0 - 100.0;
    let b = rng.unit() * 200.0 - 100.0;
    (values, a.min(b), a.max(b))
}
";

const REFERENCE: &str = r#"/// The reference for {id}: what every answer is compared with. It may assert the problem's
/// rules, so that `judge stress` never shrinks a case outside them.
pub fn {function}(values: Vec<f64>, low: f64, high: f64) -> Vec<f64> {
    assert!(low <= high, "low <= high");
    values.into_iter().map(|v| v.max(low).min(high)).collect()
}
"#;

const AC_SUBMISSION: &str = r"// A right answer written another way: `judge verify` checks that it is accepted.
pub fn {function}(values: Vec<f64>, low: f64, high: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        out.push(if v < low {
            low
        } else if v > high {
            high
        } else {
            v
        });
    }
    out
}
";

const WA_SUBMISSION: &str = r"// A likely mistake: `judge verify` checks that it gets WA, so the cases catch it.
pub fn {function}(values: Vec<f64>, low: f64, high: f64) -> Vec<f64> {
    values.into_iter().map(|v| v.min(low).max(high)).collect()
}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(check_id("column-median").is_ok());
        assert!(check_id("knn2").is_ok());
        for bad in ["", "Column", "a--b", "-a", "a-", "2fast", "a_b", "a b"] {
            assert!(check_id(bad).is_err(), "{bad:?} accepted");
        }
        let e = check_id("type").unwrap_err().to_string();
        assert!(e.contains("keyword"), "{e}");
    }

    #[test]
    fn every_file_names_the_function() {
        for (path, text) in files("clip-it") {
            assert!(
                !text.contains("{id}") && !text.contains("{function}"),
                "{}",
                path.display()
            );
        }
        let files = files("clip-it");
        assert!(files
            .iter()
            .any(|(p, _)| p.ends_with("reference/clip_it.rs")));
        assert!(files[0]
            .1
            .contains("signature = \"fn clip_it(values: Vec<f64>"));
    }
}
