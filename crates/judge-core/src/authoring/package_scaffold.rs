//! `judge new --kattis <id>`: a complete, working Kattis package (the 2023-07 draft format)
//! to edit: problem.yaml with each key explained, a Markdown statement, samples and secret
//! cases, a Rust input validator, and accepted, wrong-answer and run-time-error
//! submissions. `judge verify` accepts it as written. Text only, like `scaffold`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::authoring::AuthoringError;

/// The format's rule for a package's folder name: lowercase letters and digits.
pub fn check_id(id: &str) -> Result<(), AuthoringError> {
    let shaped = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if shaped {
        Ok(())
    } else {
        Err(AuthoringError::BadPackageId { id: id.to_string() })
    }
}

/// The files of a new package, (path relative to the bank, text).
pub fn files(id: &str) -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from("problems").join(id);
    // A uuid the format wants, made from the id (any fixed, unique-enough value will do;
    // replace it if the problem goes to an archive).
    let digest = crate::cache::digest(&[b"judge new --kattis", id.as_bytes()]);
    let uuid = format!(
        "{}-{}-4{}-8{}-{}",
        &digest[0..8],
        &digest[8..12],
        &digest[13..16],
        &digest[17..20],
        &digest[20..32]
    );
    let fill = |t: &str| t.replace("{id}", id).replace("{uuid}", &uuid);
    let mut files = vec![
        (dir.join("problem.yaml"), fill(PROBLEM_YAML)),
        (dir.join("statement/problem.en.md"), STATEMENT.to_string()),
        (
            dir.join("input_validators/validate.rs"),
            VALIDATOR.to_string(),
        ),
        (
            dir.join("submissions/accepted/sum.rs"),
            ACCEPTED.to_string(),
        ),
        (
            dir.join("submissions/wrong_answer/i32.rs"),
            WRONG.to_string(),
        ),
        (
            dir.join("submissions/run_time_error/first_line.rs"),
            CRASH.to_string(),
        ),
    ];
    for (path, input, answer) in CASES {
        files.push((dir.join(format!("data/{path}.in")), (*input).to_string()));
        files.push((dir.join(format!("data/{path}.ans")), (*answer).to_string()));
    }
    files
}

/// Writes the new package under `bank`; refuses to overwrite anything.
pub fn create(bank: &Path, id: &str) -> Result<Vec<PathBuf>, AuthoringError> {
    check_id(id)?;
    let files = files(id);
    let root = bank.join("problems").join(id);
    if root.exists() {
        return Err(AuthoringError::Exists(root));
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
        fs::write(&full, text).map_err(|source| AuthoringError::Write {
            path: full.clone(),
            source,
        })?;
        written.push(full);
    }
    Ok(written)
}

const PROBLEM_YAML: &str = r"# A Kattis problem package (the 2023-07 draft format; `judge` also reads the legacy one).
# Edit a file at a time and keep `judge verify problems/{id}` passing.
problem_format_version: 2023-07-draft
# The title shown to candidates.
name: Sum of a List
# Tracks the problem across renames; keep it once the problem is shared.
uuid: {uuid}
# pass-fail (the default) or scoring; add `interactive` for a problem that talks with an
# output validator (put it in output_validator/).
type: pass-fail
license: cc0
rights_owner: the problem's author
limits:
  # No time_limit here: it is derived from the slowest accepted submission, times
  # ac_to_time_limit, rounded up to whole seconds. Time-limit-exceeded submissions must
  # still be too slow at the limit times time_limit_to_tle. Set `time_limit: 2` (seconds)
  # to fix it instead.
  time_multipliers:
    ac_to_time_limit: 2.0
    time_limit_to_tle: 1.5
  # MiB.
  memory: 256
# With no output_validator/ folder, the default validator compares the output with the
# .ans file token by token. Its flags (case_sensitive, space_change_sensitive,
# float_tolerance 1e-6, ...) go in data/testdata.yaml as output_validator_args.
";

const STATEMENT: &str = r"Given a list of integers, print their sum.

## Input

A line with an integer $n$ ($1 \le n \le 1000$), then a line with $n$ integers $a_i$
($|a_i| \le 10^{12}$).

## Output

The sum of the $a_i$.
";

const VALIDATOR: &str = r"// The input validator: reads one input on stdin and exits with 42 when it follows the
// statement to the letter (spaces and newlines included), 43 when it does not.
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    std::process::exit(if valid(&input) { 42 } else { 43 });
}

fn valid(input: &str) -> bool {
    let Some((first, rest)) = input.split_once('\n') else {
        return false;
    };
    let Ok(n) = first.parse::<usize>() else {
        return false;
    };
    let Some(values) = rest.strip_suffix('\n') else {
        return false;
    };
    let values: Vec<&str> = values.split(' ').collect();
    (1..=1000).contains(&n)
        && values.len() == n
        && values.iter().all(|v| {
            v.parse::<i64>()
                .is_ok_and(|x| x.abs() <= 1_000_000_000_000 && x.to_string() == *v)
        })
}
";

const ACCEPTED: &str = r#"// A whole program: read stdin, write stdout.
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let sum: i64 = input
        .split_ascii_whitespace()
        .skip(1)
        .map(|w| w.parse::<i64>().unwrap())
        .sum();
    println!("{sum}");
}
"#;

const WRONG: &str = r#"// 32-bit sums overflow on the large values.
use std::io::Read;

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let sum = input
        .split_ascii_whitespace()
        .skip(1)
        .map(|w| w.parse::<i64>().unwrap() as i32)
        .fold(0i32, i32::wrapping_add);
    println!("{sum}");
}
"#;

const CRASH: &str = r#"// Reads the first line only, then indexes past the end of what it read.
fn main() {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let values: Vec<i64> = Vec::new();
    let n: usize = line.trim().parse().unwrap();
    println!("{}", values[n - 1]);
}
"#;

/// (path under data/ without the extension, input, answer)
const CASES: &[(&str, &str, &str)] = &[
    ("sample/1", "3\n1 2 3\n", "6\n"),
    ("sample/2", "1\n-7\n", "-7\n"),
    ("secret/01-one", "1\n0\n", "0\n"),
    ("secret/02-mixed", "4\n5 -5 10 -20\n", "-10\n"),
    (
        "secret/03-large",
        "3\n1000000000000 1000000000000 -1\n",
        "1999999999999\n",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_format() {
        assert!(check_id("sumlist2").is_ok());
        assert!(check_id("sum-list").is_err());
        assert!(check_id("Sum").is_err());
        assert!(check_id("").is_err());
    }

    #[test]
    fn the_package_loads() {
        let dir = tempfile::tempdir().unwrap();
        create(dir.path(), "sumlist").unwrap();
        let p = crate::problem::package::load(&dir.path().join("problems/sumlist")).unwrap();
        assert_eq!(p.name, "Sum of a List");
        assert_eq!(p.cases().len(), 5);
        assert_eq!(p.submissions.len(), 3);
        assert_eq!(p.input_validators.len(), 1);
        assert!(create(dir.path(), "sumlist").is_err(), "never overwrites");
    }
}
