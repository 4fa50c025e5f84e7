//! The red-team suite: hostile solutions, one per attack kind of docs/threat-model.md, each
//! judged for real on `t-value`, with its verdict asserted and the host checked untouched.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{judge, repo, Run};

/// The right answer, for attacks that should fail silently and then answer honestly.
const HONEST: &str = "let n = var.len() as f64; let m = var.iter().sum::<f64>() / n; \
    let s = (var.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt(); (m - mu0) / (s / n.sqrt())";

fn hostile(body: &str) -> (tempfile::TempDir, Run) {
    attack(&[], "submit", body)
}

/// Judges `body` as a t-value solution with `command` (submit or run), global `flags` first.
fn attack(flags: &[&str], command: &str, body: &str) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attack.rs");
    std::fs::write(
        &file,
        format!("pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n{body}\n}}\n"),
    )
    .unwrap();
    // --fresh: the judge's report cache outlives test runs, and an attack must really run.
    let mut args = flags.to_vec();
    args.extend([
        command,
        "t-value",
        file.to_str().unwrap(),
        "--json",
        "--fresh",
    ]);
    let run = judge(&args);
    (dir, run)
}

/// Code that names the process running it (prctl PR_SET_NAME; at most 15 bytes), so that the
/// test can find it in the host's /proc. Children it forks inherit the name.
fn named(name: &str) -> String {
    format!(
        "{{ extern \"C\" {{ fn prctl(op: i32, arg: *const u8) -> i32; }} unsafe {{ prctl(15, b\"{name}\\0\".as_ptr()); }} }}"
    )
}

/// The names (comm) of every process on this machine.
fn process_names() -> HashSet<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("comm")).ok())
        .map(|c| c.trim().to_string())
        .collect()
}

/// Polls `done` until it holds (true) or `timeout` passes (false).
fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs `during` while watching /proc; also says whether processes named `a` and `b` were
/// ever seen alive at once. A concurrency attack proves nothing unless they were.
fn watch_overlap<T>(a: &str, b: &str, during: impl FnOnce() -> T) -> (T, bool) {
    let stop = AtomicBool::new(false);
    let seen = AtomicBool::new(false);
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) && !seen.load(Ordering::Relaxed) {
                let names = process_names();
                if names.contains(a) && names.contains(b) {
                    seen.store(true, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let out = during();
        stop.store(true, Ordering::Relaxed);
        out
    });
    (out, seen.load(Ordering::Relaxed))
}

/// Starts the judging `attacker` on a thread and returns once processes named `name` run
/// (it must name its processes so); panics if its judging ended before any was seen.
fn start_attack(
    name: &str,
    attacker: impl FnOnce() -> (tempfile::TempDir, Run) + Send + 'static,
) -> std::thread::JoinHandle<(tempfile::TempDir, Run)> {
    let handle = std::thread::spawn(attacker);
    let running = wait_until(Duration::from_mins(5), || {
        process_names().contains(name) || handle.is_finished()
    });
    assert!(
        running && !handle.is_finished(),
        "the attack never ran: {}",
        handle
            .join()
            .map_or_else(|_| "it panicked".to_string(), |(_, r)| r.stdout)
    );
    handle
}

/// The report's verdict; a practice run that passed every sample has none (it is not a
/// submission), and reads "AC" here.
fn verdict(run: &Run) -> String {
    let report = run.json();
    match report["verdict"].as_str() {
        Some(verdict) => verdict.to_string(),
        None if report["result"] == "samples-passed" => "AC".to_string(),
        None => String::new(),
    }
}

#[test]
fn hidden_tests_and_references_are_not_readable_at_run_time() {
    let tests = repo().join("problems/t-value/tests.toml");
    let reference = repo().join("reference/t_value.rs");
    let (_d, run) = hostile(&format!(
        "if std::fs::read({tests:?}).is_ok() || std::fs::read({reference:?}).is_ok() {{ return 1e300; }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn including_host_files_at_compile_time_is_a_compile_error() {
    let tests = repo().join("problems/t-value/tests.toml");
    let (_d, run) = hostile(&format!("let _ = include_str!({tests:?}); {HONEST}"));
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
}

#[test]
fn the_judges_environment_is_not_visible() {
    let (_d, run) = hostile(&format!(
        "if std::env::vars().any(|(k, _)| k != \"MALLOC_ARENA_MAX\") || option_env!(\"HOME\").is_some() {{ return 1e300; }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn no_network_not_even_loopback() {
    let (_d, run) = hostile(&format!(
        "if std::net::TcpStream::connect(\"127.0.0.1:22\").is_ok() || std::net::UdpSocket::bind(\"127.0.0.1:0\").and_then(|s| s.send_to(b\"x\", \"127.0.0.1:9\")).is_ok() {{ return 1e300; }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn a_thread_bomb_is_contained() {
    let (_d, run) = hostile(
        "let _ = (var, mu0); let mut n = 0u64; loop { match std::thread::Builder::new().spawn(|| loop { std::thread::sleep(std::time::Duration::from_secs(100)) }) { Ok(_) => n += 1, Err(_) => panic!(\"stopped after {n} threads\") } }",
    );
    let v = verdict(&run);
    assert!(v == "RE" || v == "TLE", "{v}: {}", run.stdout);
}

#[test]
fn a_heap_bomb_is_a_memory_limit() {
    let (_d, run) = hostile("let _ = (var, mu0); let mut v: Vec<Vec<u8>> = Vec::new(); loop { v.push(vec![1u8; 1 << 24]); }");
    assert_eq!(verdict(&run), "MLE", "{}", run.stdout);
}

#[test]
fn a_stack_overflow_is_a_runtime_error() {
    let (_d, run) = hostile("fn deep(n: u64) -> u64 { let a = std::hint::black_box([n; 1000]); a[(n % 7) as usize] + deep(n + 1) } let _ = (var, mu0); deep(0) as f64");
    assert_eq!(verdict(&run), "RE", "{}", run.stdout);
}

#[test]
fn endless_stderr_is_an_output_limit() {
    let (_d, run) =
        hostile("let _ = (var, mu0); loop { eprintln!(\"{}\", \"x\".repeat(1 << 16)); }");
    assert_eq!(verdict(&run), "OLE", "{}", run.stdout);
}

#[test]
fn sleeping_is_a_time_limit_by_the_wall_clock() {
    let (_d, run) =
        hostile("let _ = (var, mu0); std::thread::sleep(std::time::Duration::from_secs(60)); 0.0");
    assert_eq!(verdict(&run), "TLE", "{}", run.stdout);
}

#[test]
fn threads_burning_cpu_are_a_time_limit_on_total_cpu() {
    let (_d, run) = hostile(
        "let _ = (var, mu0); for _ in 0..4 { std::thread::spawn(|| { let mut x = 0u64; loop { x = x.wrapping_add(1); std::hint::black_box(x); } }); } loop { std::hint::black_box(0); }",
    );
    assert_eq!(verdict(&run), "TLE", "{}", run.stdout);
}

#[test]
fn nothing_written_outside_the_box_appears_on_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let (_d, run) = hostile(&format!(
        "let _ = std::fs::write({marker:?}, \"x\"); let _ = std::fs::write(\"/pwned\", \"x\"); {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    assert!(!marker.exists());
    assert!(!std::path::Path::new("/pwned").exists());
}

#[test]
fn there_is_no_shell_and_written_files_do_not_execute() {
    let (_d, run) = hostile(&format!(
        "use std::os::unix::fs::PermissionsExt; let _ = std::fs::write(\"run.sh\", \"#!/bin/sh\\nexit 0\\n\"); let _ = std::fs::set_permissions(\"run.sh\", std::fs::Permissions::from_mode(0o755)); \
         if std::process::Command::new(\"/bin/sh\").arg(\"-c\").arg(\"true\").status().is_ok() || std::process::Command::new(\"./run.sh\").status().is_ok() {{ return 1e300; }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn killing_everything_hurts_only_the_box() {
    let (_d, run) = hostile(
        "extern \"C\" { fn kill(pid: i32, sig: i32) -> i32; } let _ = (var, mu0); unsafe { kill(-1, 9); kill(1, 9); } std::thread::sleep(std::time::Duration::from_millis(200)); 0.0",
    );
    // The judge (and this test) survived to report.
    let v = verdict(&run);
    assert!(["RE", "WA"].contains(&v.as_str()), "{v}: {}", run.stdout);
}

#[test]
fn proc_shows_nothing_of_the_judge() {
    let (_d, run) = hostile(&format!(
        "let pids = std::fs::read_dir(\"/proc\").unwrap().flatten().filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok()).count(); \
         let cmd = std::fs::read_to_string(\"/proc/1/cmdline\").unwrap_or_default() + &std::fs::read_to_string(\"/proc/1/environ\").unwrap_or_default(); \
         if pids > 1 || cmd.contains(\"submit\") || cmd.contains(\"t-value\") || cmd.contains(\"PATH\") {{ return 1e300; }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn a_process_left_behind_dies_with_the_box() {
    // The orphan names itself so that it can be looked for on the host.
    let (_d, run) = hostile(&format!(
        "extern \"C\" {{ fn fork() -> i32; fn setsid() -> i32; }} \
         if unsafe {{ fork() }} == 0 {{ unsafe {{ setsid(); }} {} loop {{ std::hint::black_box(0); }} }} {HONEST}",
        named("judge-orphan")
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    // The kernel reaps a killed box's processes soon, not at once; a loaded machine may take
    // a while, but one that outlives its box for seconds is a leak.
    let gone = wait_until(Duration::from_secs(10), || {
        !process_names().contains("judge-orphan")
    });
    assert!(gone, "a box process outlived its case");
}

#[test]
fn exiting_early_is_never_accepted() {
    let (_d, run) = hostile("let _ = (var, mu0); std::process::exit(0)");
    assert_eq!(verdict(&run), "RE", "{}", run.stdout);
}

fn hostile_with(body: &str, extra: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attack.rs");
    std::fs::write(&file, body).unwrap();
    let mut args = vec![
        "submit",
        "t-value",
        file.to_str().unwrap(),
        "--json",
        "--fresh",
    ];
    args.extend_from_slice(extra);
    let run = judge(&args);
    (dir, run)
}

#[test]
fn a_compile_time_loop_is_stopped_by_the_compile_limit() {
    let (_d, run) = hostile_with(
        &format!(
            "#[allow(long_running_const_eval)]\nconst SPIN: u64 = {{ let mut i = 0u64; while i < u64::MAX {{ i += 1; }} i }};\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{ let _ = SPIN; {HONEST} }}\n"
        ),
        &["--compile-seconds", "3"],
    );
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
    assert!(
        run.json()["compile"]["stderr"]
            .as_str()
            .unwrap_or_default()
            .contains("compilation took longer than the limit of 3 s"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_flood_of_compiler_errors_is_cut_at_the_output_limit() {
    let mut body = format!("pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{ {HONEST} }}\n");
    for i in 0..20_000 {
        let _ = writeln!(body, "compile_error!(\"{i} {}\");", "x".repeat(60));
    }
    let (_d, run) = hostile_with(&body, &[]);
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
    let stderr = run.json()["compile"]["stderr"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        stderr.contains("the compiler printed more than 1024 KiB"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
}

#[test]
fn a_compile_time_memory_bomb_is_a_compile_error() {
    let (_d, run) = hostile_with(
        &format!(
            "static BIG: [u8; 1 << 33] = [1; 1 << 33];\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{ let _ = BIG[7]; {HONEST} }}\n"
        ),
        &[],
    );
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
}

#[test]
fn stopping_itself_is_a_time_limit() {
    let (_d, run) = hostile(
        "extern \"C\" { fn raise(sig: i32) -> i32; } let _ = (var, mu0); unsafe { raise(19); } 0.0",
    );
    assert_eq!(verdict(&run), "TLE", "{}", run.stdout);
}

#[test]
fn a_fork_bomb_is_contained() {
    // An honest judging at the same time must not notice it (boxes share a uid, so a
    // per-uid process limit would let one box starve the other). The honest solution is
    // built beforehand and judged once the bomb is seen running; each of its cases lingers
    // a little, and the two must be seen running at once, or the test proves nothing.
    let honest_body = format!(
        "{} std::thread::sleep(std::time::Duration::from_millis(300)); {HONEST}",
        named("judge-honest")
    );
    let (_b, built) = attack(&[], "run", &honest_body);
    assert_eq!(verdict(&built), "AC", "{}", built.stdout);
    let bomb_body = format!(
        "extern \"C\" {{ fn fork() -> i32; }} let _ = (var, mu0); {} loop {{ unsafe {{ fork(); }} }}",
        named("judge-bomb")
    );
    // One case at a time: the bomb lasts through all of the honest judging.
    let bomb = start_attack("judge-bomb", move || {
        attack(&["--jobs", "1"], "submit", &bomb_body)
    });
    let ((_h, honest), overlapped) =
        watch_overlap("judge-bomb", "judge-honest", || hostile(&honest_body));
    let (_d, run) = bomb.join().unwrap();
    let v = verdict(&run);
    assert!(v == "RE" || v == "TLE", "{v}: {}", run.stdout);
    assert_eq!(verdict(&honest), "AC", "{}", honest.stdout);
    assert!(overlapped, "the honest cases never ran beside the bomb");
}

#[test]
fn a_huge_static_array_is_a_memory_limit() {
    let (_d, run) = hostile(
        "static mut BIG: [u8; 1 << 30] = [0; 1 << 30]; let _ = (var, mu0); \
         let p = std::ptr::addr_of_mut!(BIG) as *mut u8; \
         for i in (0..(1usize << 30)).step_by(4096) { unsafe { p.add(i).write_volatile(1); } } 0.0",
    );
    assert_eq!(verdict(&run), "MLE", "{}", run.stdout);
}

#[test]
fn a_huge_file_is_an_output_limit() {
    let (_d, run) = hostile(
        "use std::io::Write; let _ = (var, mu0); let mut f = std::fs::File::create(\"big.bin\").unwrap(); \
         let block = vec![7u8; 1 << 16]; loop { f.write_all(&block).unwrap(); }",
    );
    assert_eq!(verdict(&run), "OLE", "{}", run.stdout);
}

#[test]
fn signalling_other_runs_does_not_reach_them() {
    // Two judgings at once: one kills everything it can see for a while, the other sleeps
    // a little and answers. Each box has its own pid namespace. As with the fork bomb, the
    // victim is built first, judged once the killer runs, and must be seen running with it.
    let victim_body = format!(
        "{} std::thread::sleep(std::time::Duration::from_millis(300)); {HONEST}",
        named("judge-victim")
    );
    let (_b, built) = attack(&[], "run", &victim_body);
    assert_eq!(verdict(&built), "AC", "{}", built.stdout);
    let killer_body = format!(
        "extern \"C\" {{ fn kill(pid: i32, sig: i32) -> i32; fn getpid() -> i32; }} let _ = (var, mu0); {} \
         let me = unsafe {{ getpid() }}; \
         let end = std::time::Instant::now() + std::time::Duration::from_millis(800); \
         while std::time::Instant::now() < end {{ unsafe {{ for pid in (1..4096).filter(|p| *p != me) {{ kill(pid, 9); }} kill(-1, 9); }} \
         std::thread::sleep(std::time::Duration::from_millis(5)); }} 0.0",
        named("judge-killer")
    );
    let attacker = start_attack("judge-killer", move || {
        attack(&["--jobs", "1"], "submit", &killer_body)
    });
    let ((_d, victim), overlapped) =
        watch_overlap("judge-killer", "judge-victim", || hostile(&victim_body));
    let (_a, attack) = attacker.join().unwrap();
    assert_eq!(verdict(&victim), "AC", "{}", victim.stdout);
    assert_eq!(verdict(&attack), "WA", "{}", attack.stdout);
    assert!(overlapped, "the victim's cases never ran beside the killer");
}

#[test]
fn symlinks_planted_in_the_work_dir_never_lead_the_judge_out() {
    // The judge removes each case's work dir afterwards; links in it must be removed as
    // links, never followed into the host.
    let host = tempfile::tempdir().unwrap();
    let keep = host.path().join("keep.txt");
    std::fs::write(&keep, "precious").unwrap();
    let (_d, run) = hostile(&format!(
        "let _ = std::os::unix::fs::symlink({h:?}, \"dir-link\"); \
         let _ = std::os::unix::fs::symlink({k:?}, \"file-link\"); \
         let _ = std::fs::create_dir(\"sub\"); let _ = std::os::unix::fs::symlink({h:?}, \"sub/inner\"); {HONEST}",
        h = host.path(),
        k = keep
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious");
    assert!(host.path().is_dir());
}

#[test]
fn the_box_holds_for_root_and_for_an_unprivileged_user() {
    let run = judge(&["doctor", "--selftest"]);
    run.code(0)
        .stdout_has("ok      host files are out of sight");
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    // SAFETY: geteuid only reads this process's credentials.
    if unsafe { libc::geteuid() } != 0 {
        assert!(run.stdout.contains("(not root)"), "{}", run.stdout);
        return;
    }
    // As root, the same checks as an unprivileged user (a user namespace instead of root's
    // powers), with a copy of the judge that user may run and a cache it owns.
    let stdout = selftest_as_nobody(&[]);
    assert!(stdout.contains("sandbox self-test (not root)"), "{stdout}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
}

/// `judge doctor --selftest` as uid 65534, run by root through setpriv with `restrictions`
/// besides (`--no-new-privs`, ...), from a copy of the judge that user may run and with a
/// cache it owns; its stdout, once it passed every check.
pub(crate) fn selftest_as_nobody(restrictions: &[&str]) -> String {
    use std::os::unix::fs::PermissionsExt;

    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = tmp.path().join("judge");
    std::fs::copy(env!("CARGO_BIN_EXE_judge"), &exe).unwrap();
    let cache = tmp.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    std::os::unix::fs::chown(&cache, Some(65534), Some(65534)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .args(restrictions)
        .arg(&exe)
        .args(["doctor", "--selftest"])
        .env("JUDGE_CACHE_DIR", &cache)
        .current_dir(tmp.path())
        .output()
        .expect("setpriv (util-linux) runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && !stdout.contains("FAILED"),
        "{restrictions:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Runs `judge submit t-value` on `source` with extra descriptors inherited by the judge,
/// none of them close-on-exec, as a careless caller (a shell, a service manager) leaves
/// them: 7 reads a hidden test file, 8 appends to a log, 9 is the repository's folder.
fn judge_with_inherited_descriptors(source: &str, log: &std::path::Path) -> Run {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attack.rs");
    std::fs::write(&file, source).unwrap();
    let secret = std::fs::File::open(repo().join("problems/t-value/tests.toml")).unwrap();
    let append = std::fs::OpenOptions::new().append(true).open(log).unwrap();
    let folder = std::fs::File::open(repo()).unwrap();
    let fds = [secret.as_raw_fd(), append.as_raw_fd(), folder.as_raw_fd()];
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_judge"));
    cmd.args([
        "submit",
        "t-value",
        file.to_str().unwrap(),
        "--json",
        "--fresh",
    ])
    .current_dir(repo())
    .env("JUDGE_CACHE_DIR", cache);
    // SAFETY: dup2 only, between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Out of the way first: an original may itself sit on 7, 8 or 9.
            let mut high = [0; 3];
            for (i, fd) in fds.into_iter().enumerate() {
                high[i] = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 100);
            }
            for (target, fd) in [7, 8, 9].into_iter().zip(high) {
                if fd < 0 || libc::dup2(fd, target) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn descriptors_the_judge_inherited_never_reach_a_box() {
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("judge.log");
    std::fs::write(&log, "before\n").unwrap();
    let source = format!(
        "pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{\n\
         use std::io::{{Read, Write}}; use std::os::fd::FromRawFd;\n\
         let mut seen = false;\n\
         for fd in 3..64 {{ let mut f = std::mem::ManuallyDrop::new(unsafe {{ std::fs::File::from_raw_fd(fd) }}); \
            let mut s = String::new(); if f.read_to_string(&mut s).is_ok() && !s.is_empty() {{ seen = true; }} \
            if fd != 3 && f.write_all(b\"pwned\\n\").is_ok() {{ seen = true; }} }}\n\
         for p in [\"/proc/self/fd/7\", \"/proc/self/fd/9/problems/t-value/tests.toml\"] {{ if std::fs::read(p).is_ok() {{ seen = true; }} }}\n\
         if seen {{ return 1e300; }}\n{HONEST}\n}}\n"
    );
    let run = judge_with_inherited_descriptors(&source, &log);
    assert_eq!(verdict(&run), "AC", "{}\n{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "before\n");
}

#[test]
fn descriptors_the_judge_inherited_never_reach_the_compiler() {
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("judge.log");
    std::fs::write(&log, "").unwrap();
    // A source never seen before: a compile error is cached by source, and this one must
    // really be compiled with the descriptors around.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let source = format!(
        "// {nonce}\nconst LEAK: &str = include_str!(\"/proc/self/fd/9/problems/t-value/tests.toml\");\n\
         pub fn t_value(var: Vec<f64>, mu0: f64) -> f64 {{ let _ = LEAK; {HONEST} }}\n"
    );
    let run = judge_with_inherited_descriptors(&source, &log);
    assert_eq!(verdict(&run), "CE", "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn a_forged_memory_figure_decides_nothing() {
    // Over the limit (256 MiB) but under the box's kill line (32 MiB above it), then the
    // right answer written straight to the answer pipe with a small "peak memory" after
    // it, as the harness once did, and a clean exit.
    let (_d, run) = hostile(&format!(
        "use std::io::Write; use std::os::fd::FromRawFd; \
         let big = vec![1u8; 270 << 20]; std::hint::black_box(&big); \
         let answer: f64 = {{ {HONEST} }}; \
         let mut pipe = unsafe {{ std::fs::File::from_raw_fd(3) }}; \
         let _ = write!(pipe, \"{{}}\\n1\", answer); std::process::exit(0)"
    ));
    assert_eq!(verdict(&run), "MLE", "{}", run.stdout);
}

#[test]
fn memory_split_with_a_forked_child_is_counted_whole() {
    // Each process stays under the limit; the box as a whole goes over it (not so far
    // that the kernel kills it, which would be MLE for another reason). The child holds its
    // part until the parent says it holds its own: a pipe, not a sleep that a busy machine
    // can outlast.
    let (_d, run) = hostile(&format!(
        "extern \"C\" {{ fn fork() -> i32; fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32; \
            fn pipe(fds: *mut i32) -> i32; fn read(fd: i32, buf: *mut u8, n: usize) -> isize; fn write(fd: i32, buf: *const u8, n: usize) -> isize; }} \
         let mut fds = [0i32; 2]; unsafe {{ pipe(fds.as_mut_ptr()); }} \
         let child = unsafe {{ fork() }}; \
         let part = vec![1u8; 135 << 20]; std::hint::black_box(&part); \
         if child == 0 {{ let mut byte = 0u8; unsafe {{ read(fds[0], &mut byte, 1); }} std::process::exit(0); }} \
         unsafe {{ write(fds[1], b\"x\".as_ptr(), 1); }} \
         let mut status = 0; unsafe {{ waitpid(child, &mut status, 0); }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "MLE", "{}", run.stdout);
}

#[test]
fn the_memory_shown_is_the_judges_measure_not_the_programs() {
    // An extra line on the answer pipe must not become the report's memory figure: that
    // would be a channel for 64 bits of a hidden input per case. It only spoils the answer.
    let (_d, run) = hostile(&format!(
        "use std::io::Write; use std::os::fd::FromRawFd; let answer: f64 = {{ {HONEST} }}; \
         let mut pipe = unsafe {{ std::fs::File::from_raw_fd(3) }}; \
         let _ = write!(pipe, \"{{}}\\n123456789\", answer); std::process::exit(0)"
    ));
    assert_eq!(verdict(&run), "WA", "{}", run.stdout);
    assert!(!run.stdout.contains("123456789"), "{}", run.stdout);
}

#[test]
fn a_forged_harness_failure_is_the_solutions_runtime_error() {
    let (_d, run) = hostile(
        "let _ = (var, mu0); eprintln!(\"judge-harness: bad case JSON: forged\"); std::process::exit(86)",
    );
    run.code(1);
    assert_eq!(verdict(&run), "RE", "{}", run.stdout);
}

#[test]
fn a_deep_folder_tree_neither_crashes_nor_outlives_the_judging() {
    // Nested until the box's disk refuses (its inode limit), then an honest answer.
    let (_d, run) = hostile(&format!(
        "let mut depth = 0; while depth < 20_000 && std::fs::create_dir(\"d\").is_ok() && std::env::set_current_dir(\"d\").is_ok() {{ depth += 1; }} \
         {HONEST}"
    ));
    run.code(0);
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn filling_the_disk_is_an_output_limit_that_says_so() {
    let (_d, run) = hostile(
        "use std::io::Write; let _ = (var, mu0); let block = vec![7u8; 1 << 16]; \
         for i in 0.. { let mut f = std::fs::File::create(format!(\"/tmp/f{i}\")).unwrap(); \
         for _ in 0..8 { f.write_all(&block).unwrap(); } } 0.0",
    );
    assert_eq!(verdict(&run), "OLE", "{}", run.stdout);
    assert!(
        run.stdout.contains("filled the 16 MiB disk"),
        "{}",
        run.stdout
    );
}

#[test]
fn code_the_box_wrote_or_found_does_not_execute() {
    // A host executable the box can see, its own binary copied to /tmp or a memfd, and
    // execveat: each refused (Landlock's execute right, noexec mounts, seccomp).
    let host_exe = ["/usr/lib/systemd/systemd-sleep", "/usr/lib/apt/apt-helper"]
        .into_iter()
        .chain(["/usr/lib/x86_64-linux-gnu/libc.so.6"])
        .find(|p| std::path::Path::new(p).is_file())
        .unwrap();
    let (_d, run) = hostile(&format!(
        "extern \"C\" {{ fn memfd_create(name: *const u8, flags: u32) -> i32; \
            fn execveat(dirfd: i32, path: *const u8, argv: *const *const u8, envp: *const *const u8, flags: i32) -> i32; }} \
         let mut ran = Vec::new(); \
         if std::process::Command::new({host_exe:?}).status().is_ok() {{ ran.push(\"host\"); }} \
         if std::fs::copy(\"/proc/self/exe\", \"/tmp/me\").is_ok() {{ \
            use std::os::unix::fs::PermissionsExt; let _ = std::fs::set_permissions(\"/tmp/me\", std::fs::Permissions::from_mode(0o755)); \
            if std::process::Command::new(\"/tmp/me\").status().is_ok() {{ ran.push(\"tmp\"); }} }} \
         let fd = unsafe {{ memfd_create(b\"x\\0\".as_ptr(), 0) }}; \
         if fd >= 0 {{ ran.push(\"memfd\"); }} \
         let argv = [b\"x\\0\".as_ptr(), std::ptr::null()]; let envp = [std::ptr::null()]; \
         if unsafe {{ execveat(-100, b\"/proc/self/exe\\0\".as_ptr(), argv.as_ptr(), envp.as_ptr(), 0) }} == 0 || \
            std::io::Error::last_os_error().raw_os_error() != Some(1) {{ ran.push(\"execveat\"); }} \
         if !ran.is_empty() {{ panic!(\"ran: {{ran:?}}\"); }} {HONEST}"
    ));
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

/// Judges `body` as a fill-none solution and returns its report with the judge's own peak
/// resident memory (VmHWM, read until the judge exits), in MiB.
fn judge_peak_mib(command: &str, body: &str) -> (serde_json::Value, u64) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attack.rs");
    std::fs::write(
        &file,
        format!("pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {{\n{body}\n}}\n"),
    )
    .unwrap();
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_judge"))
        .args([
            command,
            "fill-none",
            file.to_str().unwrap(),
            "--json",
            "--fresh",
        ])
        .current_dir(repo())
        .env("JUDGE_CACHE_DIR", cache)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        let hwm = std::fs::read_to_string(&status)
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        peak_kb = peak_kb.max(hwm.unwrap_or(0));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (report, peak_kb / 1024)
}

#[test]
fn a_huge_wrong_answer_on_a_sample_costs_the_judge_little() {
    // 1.5M elements (32 MB of JSON, within the problem's output limit) where a few are
    // expected: diffed whole, it would take minutes and gigabytes.
    let (report, peak) = judge_peak_mib("run", "let _ = input_list; vec![i64::MIN; 1_500_000]");
    assert_eq!(report["verdict"], "WA", "{report}");
    assert!(peak < 256, "the judge peaked at {peak} MiB");
}

#[test]
fn sixteen_million_values_written_straight_to_the_answer_pipe_cost_the_judge_little() {
    // 32 MB of `0,` (within fill-none's output limit, and short enough for a large case's
    // expected answer to keep it), written on fd 3 past the harness: as a tree, half a
    // gigabyte a case, and two cases run at once.
    let (report, peak) = judge_peak_mib(
        "submit",
        "use std::io::Write; use std::os::fd::FromRawFd; let _ = input_list; \
         let mut text = Vec::with_capacity(32 << 20); text.push(b'['); \
         for _ in 0..15_999_999 { text.extend_from_slice(b\"0,\"); } text.extend_from_slice(b\"0]\"); \
         let mut answer = unsafe { std::fs::File::from_raw_fd(3) }; let _ = answer.write_all(&text); \
         std::process::exit(0)",
    );
    assert_eq!(report["verdict"], "WA", "{report}");
    let large = report["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["name"] == "large"))
        .unwrap_or_else(|| panic!("no large group: {report}"));
    assert_eq!(large["cases"][0]["verdict"], "WA", "{report}");
    assert!(peak < 256, "the judge peaked at {peak} MiB");
}

#[test]
fn flooding_every_channel_on_every_case_costs_the_judge_little() {
    let (report, peak) = judge_peak_mib(
        "submit",
        "use std::io::Write; let _ = input_list; let block = vec![b'x'; 1 << 20]; \
         for _ in 0..40 { let _ = std::io::stdout().write_all(&block); let _ = std::io::stderr().write_all(&block); } \
         vec![i64::MIN; 1_500_000]",
    );
    assert_eq!(report["verdict"], "OLE", "{report}");
    assert!(peak < 256, "the judge peaked at {peak} MiB");
}
