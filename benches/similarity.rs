//! `cargo bench --bench similarity`: what comparing a folder of submissions costs.
//!
//! The submissions are made from the bank's own Rust files (references and known
//! submissions, about a hundred): each is one of them with its names changed, its top-level
//! items shuffled, comments rewritten and a few lines dropped or doubled, so a folder holds
//! clusters of near-copies among independent code, as a class's does. Figures are medians
//! over BENCH_RUNS runs (default 5) on this shared machine: the library's comparison alone
//! (tokenising, winnowing, scoring every pair, the best pairs' regions) for 100 to 1000
//! submissions, and the whole `judge similarity DIR --json` on a folder of 500 files
//! (reading and printing included). The target: 500 submissions in under 5 s on 2 cores.
//! Results go to target/bench/similarity-latest.json; benches/similarity-baseline.json (an
//! earlier run, committed) is printed beside them.

mod common;
use common::{cores, median, repo, runs, Rng};

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use judge::similarity::{self, lexer, Options, Submission};

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");

/// Every Rust file of the bank: references and known submissions.
fn bank_files() -> Vec<String> {
    let mut paths = Vec::new();
    let mut stack = vec![repo().join("problems"), repo().join("reference")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("the bank").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path
                    .file_name()
                    .is_some_and(|n| n != "generator.rs" && n != "checker.rs")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect()
}

/// `text` disguised: its names changed, top-level items shuffled, comments rewritten, and a
/// few lines dropped or doubled.
fn disguise(text: &str, rng: &mut Rng) -> String {
    let mut items: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        let top = [
            "fn ", "pub fn ", "struct ", "enum ", "impl ", "const ", "use ",
        ]
        .iter()
        .any(|p| line.starts_with(p));
        if top && !items.last().is_some_and(Vec::is_empty) {
            items.push(Vec::new());
        }
        if let Some(item) = items.last_mut() {
            item.push(line);
        }
    }
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
    let suffix = rng.below(1000);
    let mut out = String::new();
    for item in items {
        let _ = writeln!(out, "// part {}", rng.below(100));
        for line in item {
            if line.trim_start().starts_with("//") {
                continue;
            }
            match rng.below(40) {
                0 => continue,
                1 => {
                    let _ = writeln!(out, "{line}");
                }
                _ => {}
            }
            let _ = writeln!(out, "{}", rename(line, suffix));
        }
    }
    out
}

/// Names that are not keywords or library names, with `_{suffix}` added.
fn rename(line: &str, suffix: usize) -> String {
    const KEEP: &[&str] = &[
        "fn",
        "pub",
        "let",
        "mut",
        "for",
        "in",
        "if",
        "else",
        "return",
        "match",
        "while",
        "loop",
        "struct",
        "enum",
        "impl",
        "const",
        "use",
        "as",
        "self",
        "Self",
        "true",
        "false",
        "usize",
        "u8",
        "u32",
        "u64",
        "i64",
        "f64",
        "bool",
        "String",
        "Vec",
        "Option",
        "Some",
        "None",
        "Array1",
        "Array2",
        "ArrayView1",
        "HashMap",
        "BTreeMap",
        "Box",
        "where",
        "break",
        "continue",
        "ref",
        "move",
        "str",
        "char",
        "std",
        "collections",
    ];
    let mut out = String::new();
    let mut word = String::new();
    let mut previous = ' ';
    let flush = |word: &mut String, out: &mut String, previous: char| {
        if !word.is_empty() {
            let keep = KEEP.contains(&word.as_str())
                || previous == '.'
                || previous == ':'
                || word
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            out.push_str(word);
            if !keep {
                let _ = write!(out, "_{suffix}");
            }
            word.clear();
        }
    };
    let mut in_string = false;
    for c in line.chars() {
        if c == '"' {
            in_string = !in_string;
        }
        if !in_string && (c.is_ascii_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out, previous);
        out.push(c);
        previous = c;
    }
    flush(&mut word, &mut out, previous);
    out
}

fn corpus(count: usize) -> Vec<Submission> {
    let bases = bank_files();
    let mut rng = Rng(31);
    (0..count)
        .map(|i| Submission {
            name: format!("s{i:04}.rs"),
            language: &lexer::RUST,
            text: disguise(&bases[rng.below(bases.len())], &mut rng),
        })
        .collect()
}

fn main() {
    let runs = runs();
    let mut results: BTreeMap<String, f64> = BTreeMap::new();
    let mut rows: Vec<(String, String, f64)> = Vec::new();
    for count in [100, 250, 500, 1000] {
        let subs = corpus(count);
        let tokens: usize = subs.iter().map(|s| s.language.tokens(&s.text).len()).sum();
        let mut times = Vec::new();
        let mut best = 0.0;
        for _ in 0..runs {
            let start = Instant::now();
            let report = similarity::compare(&subs, &Options::default());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            best = report.pairs.first().map_or(0.0, |p| p.score);
        }
        let ms = median(times);
        results.insert(format!("compare_{count}_ms"), ms);
        rows.push((
            format!(
                "compare {count} submissions ({} pairs, {} tokens; best pair {best:.2})",
                count * (count - 1) / 2,
                tokens
            ),
            format!("compare_{count}_ms"),
            ms,
        ));
    }
    let folder = repo().join("target/bench/similarity-500");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a bench folder");
    for s in corpus(500) {
        std::fs::write(folder.join(&s.name), &s.text).expect("written");
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(JUDGE)
            .args(["similarity", &folder.display().to_string(), "--json"])
            .output()
            .expect("the judge runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let ms = median(times);
    results.insert("cli_500_ms".into(), ms);
    rows.push((
        "judge similarity DIR --json, 500 files (target: < 5000 ms on 2 cores)".into(),
        "cli_500_ms".into(),
        ms,
    ));
    print_table(&rows, &common::baseline("similarity-baseline.json"), runs);
    let out = repo().join("target/bench/similarity-latest.json");
    let _ = std::fs::write(
        &out,
        serde_json::to_string_pretty(&results).unwrap_or_default(),
    );
    println!("\nwritten to {}", out.display());
}

fn print_table(rows: &[(String, String, f64)], baseline: &BTreeMap<String, f64>, runs: usize) {
    println!("similarity, medians of {runs} run(s), {} cores", cores());
    println!(
        "{:<78} {:>10} {:>10} {:>7}",
        "", "now (ms)", "base (ms)", "ratio"
    );
    for (what, key, ms) in rows {
        let (base, ratio) = match baseline.get(key) {
            Some(b) => (format!("{b:.1}"), format!("{:.2}", ms / b)),
            None => ("-".into(), "-".into()),
        };
        println!("{what:<78} {ms:>10.1} {base:>10} {ratio:>7}");
    }
}
