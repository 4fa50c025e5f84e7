//! The sandbox on cgroup v2, for real, in a VM booted with only the unified hierarchy (the
//! project's `cgroup2-vm` tool; this machine is cgroup v1): in the root cgroup, in a systemd
//! service's cgroup with and without `Delegate=yes`, and in a container's private cgroup
//! namespace, the judge judges an honest answer, a memory toucher, a fork bomb and a CPU
//! burner. Checked: the verdicts, the peak memory and CPU time reported, `judge doctor`'s
//! words, and that the judge leaves the cgroup tree as it found it (also after a judge
//! killed with SIGKILL, whose leftovers the next one sweeps). In the container, the image's
//! own command (deploy/Containerfile) serves a submission too.
//!
//! The guest emulates its CPU (10-45x slower than this machine, and its clock runs on while
//! this busy machine holds it back), so the programs are judged on copies of t-value with
//! one sample and limits made for them (`PROBLEMS`), every program is compiled on this side
//! first (the guest shares the judge's cache), and the guest judges with --fresh.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{judge_with_cache, repo, serve, shared_cache};

/// The copies of t-value judged, each with one sample and its own limits: `t-value` gives
/// little CPU time (the burner and the fork bomb run that long, in the guest), `t-value-mem`
/// much (so that under emulation on a busy machine the toucher still meets its memory limit
/// first). Both limit memory to `MEMORY_MB`; a box's cgroup allows 32 MiB more.
const PROBLEMS: [(&str, u64); 2] = [("t-value", TIME_MS), ("t-value-mem", 60_000)];
const TIME_MS: u64 = 2000;
const MEMORY_MB: u64 = 16;

/// The programs judged, as t-value solutions, with the copy each is judged on.
const PROGRAMS: [(&str, &str, &str); 4] = [
    (
        "ac",
        "t-value-mem",
        "let n = var.len() as f64; let m = var.iter().sum::<f64>() / n; \
         let s = (var.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt(); \
         (m - mu0) / (s / n.sqrt())",
    ),
    // Touches a MiB at a time until something stops it: the cgroup (at the limit and its
    // slack) or, without one, the address-space limit (at the limit and its 64 MiB slack).
    (
        "mle",
        "t-value-mem",
        "let _ = (var, mu0); let mut kept = Vec::new(); \
         for _ in 0..1024 { let mut block = vec![0u8; 1 << 20]; \
         for i in (0..block.len()).step_by(4096) { block[i] = 1; } kept.push(std::hint::black_box(block)); } \
         kept.len() as f64",
    ),
    (
        "fork",
        "t-value",
        "extern \"C\" { fn fork() -> i32; } let _ = (var, mu0); loop { unsafe { fork(); } }",
    ),
    (
        "burn",
        "t-value",
        "let _ = (var, mu0); let mut x = 0u64; loop { x = std::hint::black_box(x.wrapping_add(1)); }",
    ),
];

/// The guest judges Rust only, and `judge doctor` asks every language of the table for its
/// version: emulated, a JVM's `javac -version`, `kotlinc -version` and pyenv's shell shims
/// took about 170 of doctor's 180 s on a busy machine (11 s without them). So the bank names
/// the other languages' tools as absent, which doctor reports without running anything.
const RUST_ONLY: &str = "\
[c]
tools.gcc = { program = \"absent-in-the-cgroup2-tests\" }
[cpp]
tools.gxx = { program = \"absent-in-the-cgroup2-tests\" }
[python]
tools.python = { program = \"absent-in-the-cgroup2-tests\" }
[java]
tools.javac = { program = \"absent-in-the-cgroup2-tests\" }
tools.java = { program = \"absent-in-the-cgroup2-tests\" }
[kotlin]
tools.kotlinc = { program = \"absent-in-the-cgroup2-tests\" }
tools.java = { program = \"absent-in-the-cgroup2-tests\" }
";

/// What runs in the guest, as root, in the mode's cgroup: `judge doctor`, the honest answer,
/// the toucher and the burner side by side (the judges share the delegation), then the fork
/// bomb alone (without cgroups its RLIMIT_NPROC counts every box's uid: a neighbour's exec
/// would fail), then, with KILL=1, a judge killed with SIGKILL mid-case and one judging
/// after it. The cgroup tree is listed before and after each step.
const SCRIPT: &str = r#"set -u
cg=/sys/fs/cgroup
own=$cg$(sed -n 's/^0:://p' /proc/self/cgroup)
tree() { find "$cg" -type d | sort; }
judge() { "$J" run "$(cat "$SUBS/$1.problem")" "$SUBS/$1.rs" --bank "$BANK" --fresh --json; }
tree > "$OUT/before"
"$J" doctor > "$OUT/doctor.txt" 2>&1
for s in ac mle burn; do judge "$s" > "$OUT/$s.json" 2> "$OUT/$s.err" & done
wait
judge fork > "$OUT/fork.json" 2> "$OUT/fork.err"
tree > "$OUT/after"
for p in $(cat "$own/cgroup.procs"); do tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null; echo; done > "$OUT/procs"
if [ "$KILL" = 1 ]; then
  # The judge itself in the background (not a function's subshell), so that $! is its pid.
  "$J" run "$(cat "$SUBS/burn.problem")" "$SUBS/burn.rs" --bank "$BANK" --fresh > /dev/null 2>&1 &
  victim=$!
  while kill -0 "$victim" 2>/dev/null && ! tree | grep -q '/run-'; do sleep 0.05; done
  kill -9 "$victim"
  wait "$victim"
  tree > "$OUT/killed"
  judge ac > "$OUT/after-kill.json" 2> "$OUT/after-kill.err"
  tree > "$OUT/swept"
fi
if [ "$SERVE" = 1 ]; then
  data=$OUT/data
  mkdir -p "$data"
  "$J" user add ada --role candidate --data "$data" | sed -n 's/^token.*: //p' > "$OUT/token"
  mapfile -t entry < "$OUT/entry"
  "${entry[@]}" > "$OUT/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1200); do curl -sf http://127.0.0.1:8080/healthz > /dev/null && break; sleep 0.1; done
  curl -s -H "Authorization: Bearer $(cat "$OUT/token")" -H 'Content-Type: application/json' \
    --data-binary @"$OUT/submission.json" 'http://127.0.0.1:8080/api/v1/submissions?wait=true' \
    > "$OUT/submitted.json"
  tree > "$OUT/serving"
  kill -TERM "$server"
  wait "$server"
  echo $? > "$OUT/serve.rc"
  tree > "$OUT/served"
fi
"#;

/// The VM tool: `$CGROUP2_VM`, else the shared tools beside this repository's folder (or
/// the project's machines' copy), else `cgroup2-vm` on the PATH.
fn vm_tool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CGROUP2_VM") {
        // Absolute: the tool runs in another folder.
        return std::fs::canonicalize(path).ok();
    }
    let beside = repo().join("../shared/tools/cgroup2-vm");
    let machine = PathBuf::from("/work/shared/tools/cgroup2-vm");
    [beside, machine]
        .into_iter()
        .find(|p| p.is_file())
        .and_then(|p| std::fs::canonicalize(p).ok())
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("cgroup2-vm"))
                .find(|p| p.is_file())
        })
}

/// The toolchain's own rustc, not rustup's proxy: the guest's judges ask it for its sysroot
/// without the proxy's exec (each exec costs seconds when emulated).
fn direct_rustc() -> &'static Path {
    static RUSTC: OnceLock<PathBuf> = OnceLock::new();
    RUSTC.get_or_init(|| {
        let out = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .expect("rustc runs");
        let sysroot = String::from_utf8(out.stdout).expect("the sysroot is UTF-8");
        Path::new(sysroot.trim()).join("bin/rustc")
    })
}

/// Says loudly that the VM tests did not run, or fails under CI=true.
fn skipped(why: &str) {
    assert!(
        std::env::var_os("CI").is_none_or(|v| v != "true"),
        "{why}, and CI=true requires the cgroup v2 tests to run"
    );
    eprintln!("SKIPPED: {why}; the cgroup v2 tests (tests/integration/cgroup2.rs) did not run");
}

/// The folder the guest works in (shared read-write): the tests' target tmp, which holds the
/// judge's cache, so the guest reuses what this side compiled.
/// Removes the folders under `root` named by the pid of a process that no longer runs.
fn remove_ended(root: &Path) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            // A folder of the layout before folders were per process.
            let _ = std::fs::remove_dir_all(entry.path());
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// The bank copy and the programs, made once per test process, every program compiled (and
/// judged once) on this side. Returns the folder holding `bank/` and `subs/`: one per
/// process, since a runner may run each test in a process of its own (cargo-nextest) and
/// two processes must not remake each other's folder while a VM reads it. The folders of
/// processes that have ended are removed first.
fn prepared() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = shared().join("cgroup2-vm");
        remove_ended(&root);
        let dir = root.join(std::process::id().to_string());
        let bank = dir.join("bank");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(bank.join("reference")).unwrap();
        std::fs::create_dir_all(bank.join("problems")).unwrap();
        std::fs::copy(
            repo().join("problems/bank.toml"),
            bank.join("problems/bank.toml"),
        )
        .unwrap();
        std::fs::write(bank.join("languages.toml"), RUST_ONLY).unwrap();
        let original = repo().join("problems/t-value");
        for (id, time_ms) in PROBLEMS {
            let copy = bank.join("problems").join(id);
            std::fs::create_dir_all(&copy).unwrap();
            // Its files (not its known submissions, which the judge does not need here).
            for file in std::fs::read_dir(&original).unwrap().flatten() {
                if file.path().is_file() {
                    std::fs::copy(file.path(), copy.join(file.file_name())).unwrap();
                }
            }
            let toml = std::fs::read_to_string(original.join("problem.toml")).unwrap();
            std::fs::write(copy.join("problem.toml"), roomy(&toml, time_ms)).unwrap();
            std::fs::copy(
                repo().join("reference/t_value.rs"),
                bank.join("reference")
                    .join(format!("{}.rs", id.replace('-', "_"))),
            )
            .unwrap();
        }
        let subs = dir.join("subs");
        std::fs::create_dir(&subs).unwrap();
        let handles: Vec<_> = PROGRAMS
            .iter()
            .map(|(name, problem, body)| {
                let file = subs.join(format!("{name}.rs"));
                std::fs::write(subs.join(format!("{name}.problem")), problem).unwrap();
                std::fs::write(
                    &file,
                    format!("pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n{body}\n}}\n"),
                )
                .unwrap();
                let bank = bank.clone();
                std::thread::spawn(move || {
                    let args = ["run", problem, file.to_str().unwrap(), "--bank"];
                    let mut args = args.to_vec();
                    args.push(bank.to_str().unwrap());
                    let run = judge_with_cache(&shared_cache(), &args, &[]);
                    assert!(
                        run.stdout.contains("sample-1"),
                        "{}\n{}",
                        run.stdout,
                        run.stderr
                    );
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        // The service compiles against the problem version it publishes: judged once here
        // too, so that the guest's service finds it compiled.
        let data = tempfile::tempdir().unwrap();
        let token = serve::add_user(data.path(), "ada", "candidate");
        let server = serve::Server::start_on_bank(data.path(), &["--workers", "1"], &bank);
        let (status, done) = serve::post(
            &server.api("/submissions?wait=true"),
            &token,
            &served_submission(&subs),
        );
        assert_eq!(status, 201, "{done}");
        server.kill();
        dir
    })
}

/// What the guest's service is sent: the honest answer, as a practice run.
fn served_submission(subs: &Path) -> String {
    let source = std::fs::read_to_string(subs.join("ac.rs")).unwrap();
    serde_json::json!({"problem": "t-value-mem", "source": source, "mode": "run"}).to_string()
}

/// t-value's problem.toml with `time_ms`, `MEMORY_MB` and its first sample only.
fn roomy(toml: &str, time_ms: u64) -> String {
    let mut out = String::new();
    let mut samples = 0;
    let mut skipping = false;
    for line in toml.lines() {
        if line.starts_with("[[sample]]") {
            samples += 1;
            skipping = samples > 1;
        } else if line.starts_with('[') {
            skipping = false;
        }
        if skipping {
            continue;
        }
        let line = if line.starts_with("time_ms") {
            format!("time_ms = {time_ms}")
        } else if line.starts_with("memory_mb") {
            format!("memory_mb = {MEMORY_MB}")
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// What the guest left in the mode's output folder.
struct Guest {
    out: PathBuf,
}

impl Guest {
    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e} (the guest did not write it)"))
    }

    fn report(&self, name: &str) -> Value {
        let text = self.text(&format!("{name}.json"));
        serde_json::from_str(&text).unwrap_or_else(|e| {
            let err =
                std::fs::read_to_string(self.out.join(format!("{name}.err"))).unwrap_or_default();
            panic!("{name}: not a JSON report ({e}):\n{text}\nstderr:\n{err}")
        })
    }

    /// The report's one case (the copy's one sample): verdict, time_ms, memory_kb.
    fn case(&self, name: &str) -> (String, u64, u64) {
        let report = self.report(name);
        let case = &report["samples"][0];
        (
            case["verdict"].as_str().unwrap_or("?").to_string(),
            case["time_ms"].as_u64().unwrap_or(0),
            case["memory_kb"].as_u64().unwrap_or(0),
        )
    }
}

/// What the guest does besides judging: kill a judge mid-case (`Kill`), or serve with the
/// container image's command (`Serve`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra {
    Nothing,
    Kill,
    Serve,
}

/// The container image's command (deploy/Containerfile's ENTRYPOINT and CMD), with this
/// build's judge for the image's and a folder of the guest's for its data volume.
fn container_command(data: &Path) -> Vec<String> {
    let file = std::fs::read_to_string(repo().join("deploy/Containerfile")).unwrap();
    let array = |key: &str| -> Vec<String> {
        let line = file
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("deploy/Containerfile has no {key}"));
        serde_json::from_str(line.trim()).unwrap()
    };
    let mut command = array("ENTRYPOINT ");
    assert_eq!(command, ["/usr/local/bin/judge"]);
    command[0] = env!("CARGO_BIN_EXE_judge").to_string();
    let mut args = array("CMD ");
    let at = args
        .iter()
        .position(|a| a == "--data")
        .expect("CMD names --data")
        + 1;
    args[at] = data.display().to_string();
    command.extend(args);
    command
}

/// Runs the script in a VM in `mode`; `None` when the VM cannot run here (and not under CI).
fn in_vm(mode: &str, extra: Extra) -> Option<Guest> {
    let Some(tool) = vm_tool() else {
        skipped("the cgroup2-vm tool was not found (set CGROUP2_VM, or see the shared tools)");
        return None;
    };
    let dir = prepared();
    let out = dir.join(format!("out{mode}"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir(&out).unwrap();
    let script = out.join("script.sh");
    std::fs::write(&script, SCRIPT).unwrap();
    if extra == Extra::Serve {
        std::fs::write(
            out.join("entry"),
            container_command(&out.join("data")).join("\n"),
        )
        .unwrap();
        std::fs::write(
            out.join("submission.json"),
            served_submission(&dir.join("subs")),
        )
        .unwrap();
    }
    let env = |name: &str, value: &Path| format!("{name}={}", value.display());
    let vm = || {
        Command::new(&tool)
            .args([mode, "--timeout", "900", "-e"])
            .arg(env("J", Path::new(env!("CARGO_BIN_EXE_judge"))))
            .arg("-e")
            .arg(env("BANK", &dir.join("bank")))
            .arg("-e")
            .arg(env("SUBS", &dir.join("subs")))
            .arg("-e")
            .arg(env("OUT", &out))
            .arg("-e")
            .arg(env("JUDGE_CACHE_DIR", &shared_cache()))
            .arg("-e")
            .arg(format!("KILL={}", u8::from(extra == Extra::Kill)))
            .arg("-e")
            .arg(format!("SERVE={}", u8::from(extra == Extra::Serve)))
            .arg("-e")
            .arg(env("JUDGE_BANK", &dir.join("bank")))
            .arg("-e")
            .arg(env("JUDGE_RUSTC", direct_rustc()))
            .args(["--", "bash"])
            .arg(&script)
            .current_dir(shared())
            .output()
            .expect("the cgroup2-vm tool runs")
    };
    // Emulated on a busy machine, the guest kernel's early timer check can fail and it
    // panics before the command starts ("IO-APIC + timer doesn't work"): booted again then.
    let mut result = vm();
    for _ in 0..2 {
        let said = String::from_utf8_lossy(&result.stderr);
        if result.status.code() != Some(125) || !said.contains("Kernel panic") {
            break;
        }
        eprintln!("cgroup2-vm: the guest did not boot ({mode}), booting it again");
        result = vm();
    }
    let stderr = String::from_utf8_lossy(&result.stderr);
    match result.status.code() {
        Some(0) => Some(Guest { out }),
        Some(125) if stderr.contains("is missing") || stderr.contains("cannot download") => {
            skipped(&format!("the VM cannot be set up here: {}", stderr.trim()));
            None
        }
        code => panic!("the VM ended with {code:?}:\n{stderr}"),
    }
}

/// The judge's view of a cgroup mode that works: every verdict from the box's own cgroup,
/// and the tree as it was.
fn judged_with_cgroups(guest: &Guest) {
    let doctor = guest.text("doctor.txt");
    assert!(
        doctor.contains("  yes  cgroups: memory limit (OOM kill -> MLE)")
            && doctor.contains("(cgroup v2, one per box under"),
        "{doctor}"
    );
    let (verdict, _, memory_kb) = guest.case("ac");
    assert_eq!(verdict, "AC");
    assert!(
        memory_kb > 0,
        "the honest run's memory is measured:\n{}\n{}\ncgroups before:\n{}\nafter:\n{}",
        guest.text("ac.json"),
        guest.text("ac.err"),
        guest.text("before"),
        guest.text("after")
    );
    let (verdict, _, memory_kb) = guest.case("mle");
    assert_eq!(verdict, "MLE", "{}", guest.text("mle.json"));
    assert!(
        memory_kb >= MEMORY_MB << 10,
        "the toucher's peak, {memory_kb} KiB, is at least the {MEMORY_MB} MiB limit: {}\n{}",
        guest.text("mle.json"),
        guest.text("mle.err")
    );
    for name in ["burn", "fork"] {
        let (verdict, time_ms, _) = guest.case(name);
        assert_eq!(verdict, "TLE", "{}", guest.text(&format!("{name}.json")));
        assert!(time_ms >= TIME_MS, "{name}: {time_ms} ms of CPU accounted");
    }
    assert!(
        guest.report("ac")["warnings"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{}",
        guest.text("ac.json")
    );
    left_as_found(guest, "after");
}

fn left_as_found(guest: &Guest, after: &str) {
    assert_eq!(
        guest.text("before"),
        guest.text(after),
        "the cgroup tree before the judges (left) and after them (right)"
    );
}

#[test]
fn a_delegated_service_judges_with_a_cgroup_per_box_and_sweeps_a_killed_judge() {
    let Some(guest) = in_vm("--delegate", Extra::Kill) else {
        return;
    };
    judged_with_cgroups(&guest);
    // The service's own process is back in the service's cgroup.
    assert!(
        guest.text("procs").contains("cg2vm-service-main"),
        "{}",
        guest.text("procs")
    );
    let killed = guest.text("killed");
    assert!(
        killed.contains("judge.service/judge-self") && killed.contains("/judge/run-"),
        "a judge killed with SIGKILL leaves its delegation and its box's cgroup:\n{killed}"
    );
    assert_eq!(guest.case("after-kill").0, "AC");
    left_as_found(&guest, "swept");
}

#[test]
fn the_root_cgroup_judges_with_a_cgroup_per_box() {
    if let Some(guest) = in_vm("--root", Extra::Nothing) {
        judged_with_cgroups(&guest);
    }
}

#[test]
fn a_container_with_a_private_cgroup_namespace_judges_and_serves_with_a_cgroup_per_box() {
    let Some(guest) = in_vm("--container", Extra::Serve) else {
        return;
    };
    judged_with_cgroups(&guest);
    // The image's own command: the service answers, judges in boxes of their own, and on
    // SIGTERM ends well and leaves the container's cgroup as it found it.
    let submitted: Value =
        serde_json::from_str(&guest.text("submitted.json")).unwrap_or_else(|e| {
            panic!(
                "{e}: {}\n{}",
                guest.text("submitted.json"),
                guest.text("serve.log")
            )
        });
    let sample = &submitted["report"]["samples"][0];
    assert_eq!(sample["verdict"], "AC", "{submitted}");
    assert!(sample["memory_kb"].as_u64() > Some(0), "{submitted}");
    let serving = guest.text("serving");
    assert!(serving.contains("/sys/fs/cgroup/judge-self"), "{serving}");
    assert_eq!(
        guest.text("serve.rc").trim(),
        "0",
        "{}",
        guest.text("serve.log")
    );
    left_as_found(&guest, "served");
}

#[test]
fn a_service_without_delegation_judges_with_rlimits_and_says_how_to_fix_it() {
    let Some(guest) = in_vm("--no-delegate", Extra::Nothing) else {
        return;
    };
    let why = "cgroup v2: the cgroup of judge.service has no memory or pids controller to hand \
               down (it is not delegated): add Delegate=yes to the [Service] section of \
               judge.service";
    let doctor = guest.text("doctor.txt");
    assert!(
        doctor.contains("  NO   cgroups: ") && doctor.contains(&format!("       why: {why}")),
        "{doctor}"
    );
    assert!(!doctor.contains("not root"), "{doctor}");
    // The first judging says it too, with what limits the box instead.
    let warnings = guest.report("ac")["warnings"].to_string();
    assert!(
        warnings.contains(why) && warnings.contains("memory is limited by address space"),
        "{warnings}"
    );
    assert_eq!(guest.case("ac").0, "AC");
    let (verdict, _, memory_kb) = guest.case("mle");
    assert_eq!(verdict, "MLE", "{}", guest.text("mle.json"));
    assert_eq!(
        memory_kb, 0,
        "no cgroup: memory is not measured, not made up"
    );
    let message = guest.report("mle")["samples"][0]["message"].to_string();
    assert!(
        message.contains("peak memory is not measured here"),
        "{message}"
    );
    // The CPU watch stops these: a time limit, never "killed by signal 9".
    for name in ["burn", "fork"] {
        let (verdict, time_ms, _) = guest.case(name);
        assert_eq!(verdict, "TLE", "{}", guest.text(&format!("{name}.json")));
        assert!(time_ms >= TIME_MS, "{name}: {time_ms} ms of CPU accounted");
    }
    left_as_found(&guest, "after");
}
