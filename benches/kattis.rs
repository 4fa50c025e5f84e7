//! `cargo bench --bench kattis`: what judging a C++ program on a stdin/stdout problem costs,
//! against its floor.
//!
//! The problem is a Kattis package made here: ten secret cases of 200 000 numbers to sum
//! (about 1.3 MB each) and two samples. The floor is what the work needs without a judge:
//! `g++ -std=gnu++20 -O2 -pipe` building the solution (the languages table's own command),
//! then the binary run outside any box on every case's input, one after another, its output
//! kept. The judge's figures: a cold submit (a source it never saw: the compile in a box,
//! every case in a box of its own), a warm submit of the same source with `--fresh` (the
//! build taken from the cache, every case run again) and a warm submit from the report
//! cache. Every figure is a median over BENCH_RUNS runs (default 5) of this program on this
//! shared machine. Results are written to target/bench/kattis-latest.json;
//! `benches/kattis-baseline.json` (an earlier run, committed) is printed beside them.

mod common;
use common::{cache, median, runs, Rng};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const CASES: usize = 10;
const NUMBERS: usize = 200_000;

const SOLUTION: &str = "#include <cstdio>\nint main() {\n    long long x, sum = 0;\n    while (std::scanf(\"%lld\", &x) == 1) sum += x;\n    std::printf(\"%lld\\n\", sum);\n}\n";

/// The package, in `dir/sum`: its inputs and answers, a given time limit.
fn package(dir: &Path) -> PathBuf {
    let root = dir.join("sum");
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("problem.yaml", "name: Sum\nlimits:\n  time_limit: 2\n");
    write("data/sample/1.in", "1 2\n");
    write("data/sample/1.ans", "3\n");
    write("data/sample/2.in", "-5 5 7\n");
    write("data/sample/2.ans", "7\n");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..CASES {
        let mut text = String::with_capacity(NUMBERS * 7);
        let mut sum: i64 = 0;
        for i in 0..NUMBERS {
            let v = (rng.next() % 2_000_001) as i64 - 1_000_000;
            sum += v;
            let _ = write!(text, "{v}{}", if i % 16 == 15 { '\n' } else { ' ' });
        }
        write(&format!("data/secret/{case:02}.in"), &text);
        write(&format!("data/secret/{case:02}.ans"), &format!("{sum}\n"));
    }
    root
}

/// Seconds for one `judge submit`; its stdout.
fn submit(package: &Path, solution: &Path, extra: &[&str]) -> (f64, String) {
    let start = Instant::now();
    let out = Command::new(JUDGE)
        .arg("submit")
        .arg(package)
        .arg(solution)
        .args(extra)
        .env("JUDGE_CACHE_DIR", cache())
        .stderr(Stdio::null())
        .output()
        .expect("the judge runs");
    let t = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("verdict: AC"), "not accepted:\n{text}");
    (t, text)
}

/// The floor: g++ as the table runs it, then the binary on every input outside any box.
/// Returns (compile seconds, run seconds).
fn floor(dir: &Path, package: &Path, source: &str) -> (f64, f64) {
    let src = dir.join("floor.cpp");
    std::fs::write(&src, source).unwrap();
    let start = Instant::now();
    let ok = Command::new("g++")
        .args(["-std=gnu++20", "-O2", "-pipe", "-o"])
        .arg(dir.join("floor"))
        .arg(&src)
        .status()
        .expect("g++ runs");
    assert!(ok.success(), "the floor does not build");
    let compile = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for input in inputs(package) {
        let out = Command::new(dir.join("floor"))
            .stdin(std::fs::File::open(&input).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    (compile, start.elapsed().as_secs_f64())
}

/// Every case's input, samples first, as the judge runs them.
fn inputs(package: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for group in ["sample", "secret"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(package.join("data").join(group))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "in"))
            .collect();
        found.sort();
        all.extend(found);
    }
    all
}

struct Row {
    key: &'static str,
    label: &'static str,
    value: f64,
    vs_floor: bool,
    goal: &'static str,
}

fn main() {
    if Command::new("g++").arg("--version").output().is_err() {
        println!("SKIPPED: g++ is not installed; the C++ bench did not run");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let n = runs();
    println!(
        "kattis bench: a C++ sum on {CASES} cases of {NUMBERS} numbers, medians of {n} runs, {} CPUs",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let pkg = package(w);
    // Warm-up: the judge's runtime and the toolchain found once before anything is timed.
    let first = w.join("first.cpp");
    std::fs::write(&first, SOLUTION).unwrap();
    submit(&pkg, &first, &[]);

    let mut floors = Vec::new();
    let mut floor_runs = Vec::new();
    let mut cold = Vec::new();
    for i in 0..n {
        // A source neither the judge nor g++ saw: nothing is cached.
        let source = format!("// bench {} {i}\n{SOLUTION}", std::process::id());
        let (compile, run) = floor(w, &pkg, &source);
        floors.push(compile + run);
        floor_runs.push(run);
        let file = w.join(format!("cold{i}.cpp"));
        std::fs::write(&file, &source).unwrap();
        cold.push(submit(&pkg, &file, &[]).0);
    }
    let warm_file = w.join("cold0.cpp");
    let warm_fresh: Vec<f64> = (0..n)
        .map(|_| submit(&pkg, &warm_file, &["--fresh"]).0)
        .collect();
    let (_, text) = submit(&pkg, &warm_file, &[]);
    assert!(
        text.contains("cached"),
        "the report cache was not used:\n{text}"
    );
    let warm_cached: Vec<f64> = (0..n).map(|_| submit(&pkg, &warm_file, &[]).0).collect();

    let floor_s = median(floors);
    let rows = [
        Row {
            key: "floor_s",
            label: "floor: g++ -O2, then the binary on every input, bare",
            value: floor_s,
            vs_floor: true,
            goal: "",
        },
        Row {
            key: "floor_run_s",
            label: "  of which running the binary on every input",
            value: median(floor_runs),
            vs_floor: true,
            goal: "",
        },
        Row {
            key: "cold_submit_s",
            label: "cold submit (new source: compile boxed, cases boxed)",
            value: median(cold),
            vs_floor: true,
            goal: "",
        },
        Row {
            key: "warm_fresh_submit_s",
            label: "warm submit --fresh (build cached, every case run)",
            value: median(warm_fresh),
            vs_floor: true,
            goal: "<= 1.2 x floor",
        },
        Row {
            key: "warm_submit_s",
            label: "warm submit (unchanged source, report cached)",
            value: median(warm_cached),
            vs_floor: true,
            goal: "<= 1.2 x floor",
        },
    ];
    print_table(&rows, floor_s);
    save(&rows);
}

fn print_table(rows: &[Row], floor_s: f64) {
    let base = common::baseline("kattis-baseline.json");
    println!(
        "\n{:<56} {:>10} {:>9} {:>11} {:>9}  goal",
        "measure", "median", "x floor", "baseline", "x base"
    );
    for r in rows {
        let vs_floor = if r.vs_floor {
            format!("{:.2}", r.value / floor_s)
        } else {
            String::new()
        };
        let (b, vs_base) = match base.get(r.key) {
            Some(b) => (format!("{b:.3} s"), format!("{:.2}", r.value / b)),
            None => (String::new(), String::new()),
        };
        println!(
            "{:<56} {:>10} {:>9} {:>11} {:>9}  {}",
            r.label,
            format!("{:.3} s", r.value),
            vs_floor,
            b,
            vs_base,
            r.goal
        );
    }
}

fn save(rows: &[Row]) {
    common::save(
        rows.iter().map(|r| (r.key, r.value)),
        "kattis-latest.json",
        "kattis-baseline.json",
    );
}
