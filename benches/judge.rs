//! `cargo bench --bench judge`: what judging costs, against the naive floor, side by side with
//! a baseline run.
//!
//! The floor is bare `rustc -C opt-level=2` building one crate that holds the knn solution and
//! a serde_json main, against the same prebuilt ndarray and serde_json the judge links. Every
//! figure is a median over several runs (this machine is shared and noisy), in one run of this
//! program, so the ratios compare like with like. Results are written to
//! target/bench/latest.json; `benches/baseline.json` (an earlier run, committed) is printed
//! beside them. BENCH_RUNS sets the runs per figure (default 5); BENCH_SKIP_VERIFY=1 leaves out
//! the whole-bank verify.

mod common;
use common::{cache, median, repo, runs};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use judge::problem::spec::Limits;
use judge::sandbox::{self, Job, Mount};

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const SOLUTION: &str = "problems/knn/submissions/AC/sort_all.rs";

/// A hostile fill-none submission: sixteen million values (32 MB of `0,`, within the
/// problem's output limit) written straight to the answer pipe on every case. Parsed into a
/// tree, each large case's answer cost the judge over half a gigabyte.
const HOSTILE: &str = "pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {
    use std::io::Write;
    use std::os::fd::FromRawFd;
    let _ = input_list;
    let mut text = Vec::with_capacity(32 << 20);
    text.push(b'[');
    for _ in 0..15_999_999 {
        text.extend_from_slice(b\"0,\");
    }
    text.extend_from_slice(b\"0]\");
    let mut answer = unsafe { std::fs::File::from_raw_fd(3) };
    let _ = answer.write_all(&text);
    std::process::exit(0)
}
";

/// Runs the judge; returns wall seconds and the judge's own peak RSS (VmHWM, KiB), sampled
/// from /proc while it runs (children are separate processes and not counted).
fn judge(args: &[&str], cwd: &Path) -> (f64, u64, String) {
    let start = Instant::now();
    let mut child = Command::new(JUDGE)
        .args(args)
        .current_dir(cwd)
        .env("JUDGE_CACHE_DIR", cache())
        .env("JUDGE_BANK", repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the judge runs");
    let status = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = 0;
    let stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    loop {
        if let Some(kb) = std::fs::read_to_string(&status)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(str::to_string)
            })
            .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        {
            peak = peak.max(kb);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = reader.join().unwrap_or_default();
    (start.elapsed().as_secs_f64(), peak, out)
}

fn rustc() -> PathBuf {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin/rustc")
}

/// The runtime's prebuilt dependencies (built by the judge's first run into the cache).
fn deps_dir() -> PathBuf {
    let runtime = cache().join("runtime");
    let dir = std::fs::read_dir(&runtime)
        .expect("the runtime is built")
        .flatten()
        .next()
        .expect("one runtime")
        .path();
    dir.join("target/release/deps")
}

#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "cargo names its rlibs `.rlib`, lowercase"
)]
fn rlib(deps: &Path, name: &str) -> PathBuf {
    std::fs::read_dir(deps)
        .expect("deps")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let f = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            f.starts_with(&format!("lib{name}-")) && f.ends_with(".rlib")
        })
        .unwrap_or_else(|| panic!("no {name} rlib in {}", deps.display()))
}

const FLOOR_MAIN: &str = r#"
use ndarray::{Array1, Array2};
include!("solution.rs");
fn main() {
    let v: serde_json::Value = serde_json::from_reader(std::io::stdin().lock()).unwrap();
    let k = v[0].as_u64().unwrap() as usize;
    let rows: Vec<Vec<f64>> = serde_json::from_value(v[1].clone()).unwrap();
    let cols = rows.first().map_or(0, |r| r.len());
    let data = Array2::from_shape_vec((rows.len(), cols), rows.concat()).unwrap();
    let labels: Vec<i64> = serde_json::from_value(v[2].clone()).unwrap();
    let point: Vec<f64> = serde_json::from_value(v[3].clone()).unwrap();
    let answer = knn(k, data, labels, Array1::from(point));
    println!("{}", serde_json::to_string(&answer).unwrap());
}
"#;

/// Seconds for bare rustc to build the floor crate.
fn floor(dir: &Path) -> f64 {
    let deps = deps_dir();
    std::fs::copy(repo().join(SOLUTION), dir.join("solution.rs")).unwrap();
    std::fs::write(dir.join("floor.rs"), FLOOR_MAIN).unwrap();
    let start = Instant::now();
    let ok = Command::new(rustc())
        .args([
            "--edition=2021",
            "-C",
            "opt-level=2",
            "-C",
            "debuginfo=0",
            "-L",
        ])
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!(
            "serde_json={}",
            rlib(&deps, "serde_json").display()
        ))
        .arg("--extern")
        .arg(format!("ndarray={}", rlib(&deps, "ndarray").display()))
        .arg("floor.rs")
        .args(["-o", "floor"])
        .current_dir(dir)
        .status()
        .expect("rustc runs");
    assert!(ok.success(), "the floor does not build");
    start.elapsed().as_secs_f64()
}

/// Wall milliseconds of one sandboxed run and one bare run of a program doing nothing.
fn per_case(dir: &Path) -> (f64, f64) {
    let src = dir.join("noop.rs");
    std::fs::write(&src, "fn main() {}").unwrap();
    let bin = dir.join("noop");
    let ok = Command::new(rustc())
        .args(["-C", "opt-level=2", "-o"])
        .arg(&bin)
        .arg(&src)
        .status()
        .unwrap();
    assert!(ok.success());
    let limits = judge::judge::runner::run_limits(&Limits::default(), 1);
    let (mut boxed, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..(runs() * 20) {
        let work = tempfile::tempdir().unwrap();
        let job = Job {
            program: bin.clone(),
            args: vec![],
            env: vec![],
            cwd: work.path().to_path_buf(),
            stdin: judge::sandbox::Input::default(),
            answer_pipe: true,
            mounts: vec![Mount::read_only(&bin)],
            executables: Some(vec![bin.clone()]),
        };
        let t = Instant::now();
        sandbox::run(&job, &limits).expect("the box runs");
        boxed.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        Command::new(&bin).status().unwrap();
        bare.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (median(boxed), median(bare))
}

/// A problem with `n` small hidden cases (for how cost grows with the number of cases) or
/// one generated case of `size` values (for how it grows with input size).
fn synthetic(bank: &Path, id: &str, cases: usize, size: Option<usize>) {
    let dir = bank.join("problems").join(id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(bank.join("reference")).unwrap();
    let function = id.replace('-', "_");
    std::fs::write(
        dir.join("problem.toml"),
        format!(
            "title = \"Sum\"\ndifficulty = \"easy\"\nsignature = \"fn {function}(xs: Vec<f64>) -> f64\"\nstatement = \"Sum.\"\n\n[[sample]]\nxs = [1.0]\n\n[[sample]]\nxs = [2.0, 3.0]\n"
        ),
    )
    .unwrap();
    let mut tests = String::from("[[group]]\nname = \"all\"\npoints = 1\n");
    match size {
        Some(size) => {
            let _ = writeln!(
                tests,
                "\n[[group.case]]\ngenerate = {{ seed = 1, size = {size} }}"
            );
        }
        None => {
            for i in 0..cases {
                let _ = writeln!(tests, "\n[[group.case]]\nxs = [{i}.5, 1.0]");
            }
        }
    }
    std::fs::write(dir.join("tests.toml"), tests).unwrap();
    std::fs::write(
        dir.join("generator.rs"),
        "fn generate(seed: u64, size: usize) -> Vec<f64> { let mut r = judge_rt::Rng::new(seed); (0..size).map(|_| r.unit()).collect() }\n",
    )
    .unwrap();
    let body = format!("pub fn {function}(xs: Vec<f64>) -> f64 {{ xs.iter().sum() }}\n");
    std::fs::write(bank.join("reference").join(format!("{function}.rs")), &body).unwrap();
    std::fs::write(bank.join(format!("{function}.rs")), &body).unwrap();
}

/// Median wall seconds of submitting the synthetic problem's solution (build cached).
fn synthetic_submit(bank: &Path, id: &str) -> (f64, String) {
    let function = id.replace('-', "_");
    let solution = bank.join(format!("{function}.rs"));
    let dir = bank.join("problems").join(id);
    let args = [
        "submit",
        dir.to_str().unwrap(),
        solution.to_str().unwrap(),
        "--json",
        "--fresh",
    ];
    judge(&args, bank); // builds and computes answers
    let mut last = String::new();
    let times = (0..runs())
        .map(|_| {
            let (t, _, out) = judge(&args, bank);
            last = out;
            t
        })
        .collect();
    (median(times), last)
}

fn case_cpu_ms(report: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(report).unwrap_or_default();
    v["groups"][0]["cases"][0]["time_ms"]
        .as_f64()
        .unwrap_or(f64::NAN)
}

struct Row {
    key: String,
    label: String,
    value: f64,
    unit: &'static str,
    /// Compared with the floor, where that means something.
    vs_floor: bool,
    goal: &'static str,
}

fn main() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let n = runs();
    println!(
        "judge bench: knn with its full hidden set, medians of {n} runs, {} CPUs",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    // Warm-up: the runtime, knn's generated inputs and answers exist before anything is timed.
    judge(&["submit", "knn", SOLUTION], &repo());

    let floor_s = median((0..n).map(|_| floor(w)).collect());
    let mut cold = Vec::new();
    let mut cold_peak = 0;
    for i in 0..n {
        let file = w.join(format!("cold{i}.rs"));
        let source = std::fs::read_to_string(repo().join(SOLUTION)).unwrap();
        let stamp = format!("// bench {} {i}\n", std::process::id());
        std::fs::write(&file, format!("{stamp}{source}")).unwrap();
        let (t, peak, _) = judge(&["submit", "knn", file.to_str().unwrap()], &repo());
        cold.push(t);
        cold_peak = cold_peak.max(peak);
    }
    let warm_file = w.join("cold0.rs");
    let warm: Vec<f64> = (0..n)
        .map(|_| judge(&["submit", "knn", warm_file.to_str().unwrap()], &repo()).0)
        .collect();
    let (boxed_ms, bare_ms) = per_case(w);
    let hostile = w.join("hostile.rs");
    std::fs::write(&hostile, HOSTILE).unwrap();
    let hostile_args = ["submit", "fill-none", hostile.to_str().unwrap(), "--fresh"];
    judge(&hostile_args, &repo()); // builds it
    let hostile_peak = median(
        (0..n)
            .map(|_| judge(&hostile_args, &repo()).1 as f64 / 1024.0)
            .collect(),
    );

    let bank = w.join("bank");
    let mut scale = Vec::new();
    for cases in [10, 100, 1000] {
        let id = format!("sum-{cases}");
        synthetic(&bank, &id, cases, None);
        scale.push((cases, synthetic_submit(&bank, &id).0));
    }
    let mut sizes = Vec::new();
    for size in [1_000, 100_000, 1_000_000] {
        let id = format!("size-{size}");
        synthetic(&bank, &id, 0, Some(size));
        let (t, report) = synthetic_submit(&bank, &id);
        sizes.push((size, t, case_cpu_ms(&report)));
    }
    let verify = if std::env::var_os("BENCH_SKIP_VERIFY").is_some() {
        None
    } else {
        // Cold: every compile, generated input, answer and report made again (the runtime,
        // built once per toolchain, is kept). Then warm: all of it cached.
        for dir in ["builds", "harness", "answers", "inputs", "reports"] {
            let _ = std::fs::remove_dir_all(cache().join(dir));
        }
        let (cold_t, cold_peak, _) = judge(&["verify"], &repo());
        let (t, _, _) = judge(&["verify"], &repo());
        Some((cold_t, cold_peak, t))
    };

    let mut rows = vec![
        Row {
            key: "floor_s".into(),
            label: "floor: bare rustc -O2, solution + serde_json main".into(),
            value: floor_s,
            unit: "s",
            vs_floor: true,
            goal: "",
        },
        Row {
            key: "cold_submit_s".into(),
            label: "cold submit (new source, full hidden set)".into(),
            value: median(cold),
            unit: "s",
            vs_floor: true,
            goal: "<= 0.60 x floor",
        },
        Row {
            key: "warm_submit_s".into(),
            label: "warm submit (unchanged source)".into(),
            value: median(warm),
            unit: "s",
            vs_floor: true,
            goal: "<= 0.10 x floor",
        },
        Row {
            key: "box_run_ms".into(),
            label: "one boxed run of a no-op program".into(),
            value: boxed_ms,
            unit: "ms",
            vs_floor: false,
            goal: "",
        },
        Row {
            key: "bare_run_ms".into(),
            label: "one bare run of the same program".into(),
            value: bare_ms,
            unit: "ms",
            vs_floor: false,
            goal: "",
        },
        Row {
            key: "box_overhead_ms".into(),
            label: "isolation cost per case (boxed - bare)".into(),
            value: boxed_ms - bare_ms,
            unit: "ms",
            vs_floor: false,
            goal: "<= 5 ms",
        },
        Row {
            key: "judge_peak_mib".into(),
            label: "judge's own peak memory, cold submit".into(),
            value: cold_peak as f64 / 1024.0,
            unit: "MiB",
            vs_floor: false,
            goal: "< 64 MiB",
        },
        Row {
            key: "hostile_answer_peak_mib".into(),
            label: "judge's own peak memory, 16M-value wrong answers".into(),
            value: hostile_peak,
            unit: "MiB",
            vs_floor: false,
            goal: "< 256 MiB",
        },
    ];
    for (cases, t) in &scale {
        rows.push(Row {
            key: format!("cases_{cases}_s"),
            label: format!("submit, {cases} small cases (build cached)"),
            value: *t,
            unit: "s",
            vs_floor: true,
            goal: "",
        });
    }
    if let [(_, t10), .., (_, t1000)] = scale.as_slice() {
        rows.push(Row {
            key: "per_case_ms".into(),
            label: "  cost per added case (10 -> 1000 cases)".into(),
            value: (t1000 - t10) * 1000.0 / 990.0,
            unit: "ms",
            vs_floor: false,
            goal: "",
        });
    }
    for (size, t, cpu) in &sizes {
        rows.push(Row {
            key: format!("size_{size}_s"),
            label: format!("submit, one case of {size} floats"),
            value: *t,
            unit: "s",
            vs_floor: true,
            goal: "",
        });
        rows.push(Row {
            key: format!("size_{size}_case_ms"),
            label: "  that case's CPU time".to_string(),
            value: *cpu,
            unit: "ms",
            vs_floor: false,
            goal: "",
        });
    }
    if let Some((cold_t, peak, t)) = verify {
        rows.push(Row {
            key: "verify_cold_s".into(),
            label: "judge verify, whole bank, nothing cached".into(),
            value: cold_t,
            unit: "s",
            vs_floor: true,
            goal: "<= 60 s",
        });
        rows.push(Row {
            key: "verify_s".into(),
            label: "judge verify, whole bank, cached".into(),
            value: t,
            unit: "s",
            vs_floor: true,
            goal: "<= 60 s",
        });
        rows.push(Row {
            key: "verify_peak_mib".into(),
            label: "judge's own peak memory, verify".into(),
            value: peak as f64 / 1024.0,
            unit: "MiB",
            vs_floor: false,
            goal: "",
        });
    }
    print_table(&rows, floor_s);
    save(&rows);
}

fn print_table(rows: &[Row], floor_s: f64) {
    let base = common::baseline("baseline.json");
    println!(
        "\n{:<52} {:>10} {:>9} {:>11} {:>9}  goal",
        "measure", "median", "x floor", "baseline", "x base"
    );
    for r in rows {
        let shown = |v: f64| match r.unit {
            "s" => format!("{v:.3} s"),
            "ms" => format!("{v:.2} ms"),
            _ => format!("{v:.1} {}", r.unit),
        };
        let vs_floor = if r.vs_floor {
            format!("{:.2}", r.value / floor_s)
        } else {
            String::new()
        };
        let (b, vs_base) = match base.get(&r.key) {
            Some(b) => (shown(*b), format!("{:.2}", r.value / b)),
            None => (String::new(), String::new()),
        };
        println!(
            "{:<52} {:>10} {:>9} {:>11} {:>9}  {}",
            r.label,
            shown(r.value),
            vs_floor,
            b,
            vs_base,
            r.goal
        );
    }
}

fn save(rows: &[Row]) {
    common::save(
        rows.iter().map(|r| (r.key.as_ref(), r.value)),
        "latest.json",
        "baseline.json",
    );
}
