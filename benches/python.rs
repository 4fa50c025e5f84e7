//! `cargo bench --bench python`: what judging a Python solution costs, against its floor.
//!
//! The floor is the bare interpreter doing the same work outside any box: for every case of
//! `knn` (samples and hidden cases, the generated ones included), a fresh `python3 -I -S -B`
//! process that imports numpy (the same packages the judge uses), reads the case's
//! arguments as JSON from stdin, makes the arrays, calls the same solution's function and
//! prints the answer, with the environment the judge's boxes have (one BLAS thread); as
//! many at once as the judge runs cases. A fresh process per case is
//! the contract (nothing of one case reaches the next), so the floor pays the interpreter's
//! start-up per case too. Beside it: the same work in one process for all cases, which no
//! judge may do, to show what the per-case start-up costs.
//!
//! Cold submit: a new source (compiled to bytecode in a box, then every case). Warm submit:
//! the same source judged again with `--fresh` (its bytecode cached, every case run again).
//! Cached: the same source judged again without `--fresh` (the report comes from the
//! cache). Medians of BENCH_RUNS runs (default 5); written to target/bench/python.json and
//! printed beside `benches/python-baseline.json` when it exists.

mod common;
use common::{cache, median, repo, runs};

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const SOLUTION: &str = "problems/knn/submissions/AC/argsort.py";

fn judge(args: &[&str]) -> (f64, std::process::Output) {
    let start = Instant::now();
    let out = Command::new(JUDGE)
        .args(args)
        .current_dir(repo())
        .env("JUDGE_CACHE_DIR", cache())
        .env("JUDGE_BANK", repo())
        .output()
        .expect("the judge runs");
    (start.elapsed().as_secs_f64(), out)
}

/// Every case's arguments, in signature order, as the judge's stdin: JSON arrays.
fn cases() -> Vec<Vec<u8>> {
    let (_, out) = judge(&["cases", "knn"]);
    assert!(out.status.success(), "judge cases knn failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let a = &case["args"];
            serde_json::to_vec(&[&a["k"], &a["data"], &a["labels"], &a["new_point"]]).unwrap()
        })
        .collect()
}

/// The interpreter and the folder holding numpy, as the judge's environment has them.
fn interpreter() -> (PathBuf, PathBuf) {
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, sys; print(os.path.realpath(sys.executable))",
        ])
        .output()
        .expect("python3 runs");
    let exe = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let ready = std::fs::read_dir(cache().join("runtime"))
        .expect("the judge made its runtime")
        .flatten()
        .map(|e| e.path().join("ready.json"))
        .find(|p| p.is_file())
        .expect("the judge set up numpy and pandas");
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(ready).unwrap()).unwrap();
    let site = PathBuf::from(record["paths"][0].as_str().expect("a packages folder"));
    (exe, site)
}

const FLOOR_CASE: &str = "import json, sys
sys.path.append(sys.argv[1]); sys.path.insert(0, sys.argv[2])
import numpy as np
from argsort import knn
k, data, labels, point = json.load(sys.stdin)
print(json.dumps(int(knn(k, np.array(data, dtype=float), labels, np.array(point, dtype=float)))))
";

const FLOOR_ALL: &str = "import json, sys
sys.path.append(sys.argv[1]); sys.path.insert(0, sys.argv[2])
import numpy as np
from argsort import knn
for line in sys.stdin:
    k, data, labels, point = json.loads(line)
    print(json.dumps(int(knn(k, np.array(data, dtype=float), labels, np.array(point, dtype=float)))))
";

/// What the judge's boxes set, so that the floor does the same work: one BLAS thread (with
/// one per core, numpy's import alone starts threads and takes twice as long), one malloc
/// arena.
const SAME_ENV: [(&str, &str); 2] = [("OPENBLAS_NUM_THREADS", "1"), ("MALLOC_ARENA_MAX", "1")];

/// Seconds for the floor: one bare interpreter per case, `jobs` at a time.
fn floor(exe: &Path, site: &Path, cases: &[Vec<u8>], jobs: usize) -> f64 {
    let dir = repo().join("problems/knn/submissions/AC");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let mut child = Command::new(exe)
                    .envs(SAME_ENV)
                    .args(["-I", "-S", "-B", "-c", FLOOR_CASE])
                    .arg(site)
                    .arg(&dir)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("python runs");
                child.stdin.take().unwrap().write_all(case).unwrap();
                let out = child.wait_with_output().unwrap();
                assert!(out.status.success(), "the floor failed on case {i}");
            });
        }
    });
    start.elapsed().as_secs_f64()
}

/// Seconds for every case in one interpreter (what no judge may do).
fn one_process(exe: &Path, site: &Path, cases: &[Vec<u8>]) -> f64 {
    let dir = repo().join("problems/knn/submissions/AC");
    let start = Instant::now();
    let mut child = Command::new(exe)
        .envs(SAME_ENV)
        .args(["-I", "-S", "-B", "-c", FLOOR_ALL])
        .arg(site)
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut stdin = child.stdin.take().unwrap();
    for case in cases {
        stdin.write_all(case).unwrap();
        stdin.write_all(b"\n").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    start.elapsed().as_secs_f64()
}

struct Row {
    key: &'static str,
    label: &'static str,
    value: f64,
    goal: &'static str,
}

fn main() {
    let n = runs();
    let jobs = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("python bench: knn with its full hidden set, medians of {n} runs, {jobs} CPUs");
    // Warm-up: the runtime, numpy and pandas, knn's inputs and answers exist before anything
    // is timed.
    let solution = repo().join(SOLUTION);
    let (_, out) = judge(&["submit", "knn", solution.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let cases = cases();
    let (exe, site) = interpreter();

    let floor_s = median((0..n).map(|_| floor(&exe, &site, &cases, jobs)).collect());
    let one_s = median((0..n).map(|_| one_process(&exe, &site, &cases)).collect());
    let work = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(&solution).unwrap();
    let cold: Vec<f64> = (0..n)
        .map(|i| {
            let file = work.path().join(format!("cold{i}.py"));
            std::fs::write(
                &file,
                format!("# bench {} {i}\n{source}", std::process::id()),
            )
            .unwrap();
            judge(&["submit", "knn", file.to_str().unwrap()]).0
        })
        .collect();
    let warm_file = work.path().join("cold0.py");
    let warm_file = warm_file.to_str().unwrap();
    let warm: Vec<f64> = (0..n)
        .map(|_| judge(&["submit", "knn", warm_file, "--fresh"]).0)
        .collect();
    let cached: Vec<f64> = (0..n)
        .map(|_| judge(&["submit", "knn", warm_file]).0)
        .collect();

    let rows = [
        Row {
            key: "floor_s",
            label: "floor: a bare python3 per case, numpy, same function",
            value: floor_s,
            goal: "",
        },
        Row {
            key: "one_process_s",
            label: "  every case in one interpreter (no judge may)",
            value: one_s,
            goal: "",
        },
        Row {
            key: "cold_submit_s",
            label: "cold submit (new source: bytecode, then every case)",
            value: median(cold),
            goal: "",
        },
        Row {
            key: "warm_submit_s",
            label: "warm submit (--fresh: bytecode cached, every case)",
            value: median(warm),
            goal: "<= 1.3 x floor",
        },
        Row {
            key: "cached_submit_s",
            label: "cached submit (unchanged source: the report's cache)",
            value: median(cached),
            goal: "",
        },
    ];
    print_table(&rows, floor_s, cases.len());
    save(&rows);
}

fn print_table(rows: &[Row], floor_s: f64, cases: usize) {
    let base = common::baseline("python-baseline.json");
    println!("{cases} cases\n");
    println!(
        "{:<56} {:>9} {:>8} {:>10} {:>7}  goal",
        "measure", "median", "x floor", "baseline", "x base"
    );
    for r in rows {
        let (b, x) = base.get(r.key).map_or((String::new(), String::new()), |b| {
            (format!("{b:.3} s"), format!("{:.2}", r.value / b))
        });
        println!(
            "{:<56} {:>9} {:>8.2} {:>10} {:>7}  {}",
            r.label,
            format!("{:.3} s", r.value),
            r.value / floor_s,
            b,
            x,
            r.goal
        );
    }
}

fn save(rows: &[Row]) {
    common::save(
        rows.iter().map(|r| (r.key, r.value)),
        "python.json",
        "python-baseline.json",
    );
}
