//! The red-team suite in Python: hostile Python solutions of `t-value`, each judged for
//! real. An attack that works gives a wrong answer (1e300) or is caught by the test; one
//! that fails answers honestly, so each test fails if the protection it names is removed.

use std::time::Duration;

use crate::python::{judge_python, python_found};
use crate::{repo, Run};

/// The right answer, for attacks that should fail silently and then answer honestly.
const HONEST: &str = "    n = len(var)
    m = sum(var) / n
    s = (sum((x - m) ** 2 for x in var) / (n - 1)) ** 0.5
    return (m - mu0) / (s / n ** 0.5)
";

/// A t-value solution: `imports`, then `attack` (indented code in the function that returns
/// 1e300 when it succeeds), then the honest answer.
fn solution(imports: &str, attack: &str) -> String {
    format!("{imports}\n\ndef t_value(var, mu0):\n{attack}\n{HONEST}")
}

fn hostile(imports: &str, attack: &str) -> (tempfile::TempDir, Run) {
    judge_python("t-value", &solution(imports, attack), "submit")
}

fn verdict(run: &Run) -> String {
    run.json()["verdict"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

macro_rules! python_test {
    ($name:ident) => {
        if !python_found(stringify!($name)) {
            return;
        }
    };
}

#[test]
fn python_honest_solution_is_accepted() {
    // The control: the attacks below are AC only because they failed.
    python_test!(python_honest_solution_is_accepted);
    let (_d, run) = hostile("", "");
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_shell_and_other_programs_cannot_run() {
    python_test!(python_shell_and_other_programs_cannot_run);
    let (_d, run) = hostile(
        "import os, subprocess",
        "    ran = []
    for argv in (['/bin/sh', '-c', 'true'], ['/usr/bin/env'], ['/bin/true']):
        try:
            ran.append(subprocess.run(argv, capture_output=True).returncode == 0)
        except OSError:
            ran.append(False)
    if any(ran) or os.system('true') == 0:
        return 1e300",
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_subprocess_fork_bomb_is_contained() {
    python_test!(python_subprocess_fork_bomb_is_contained);
    // Copies of the interpreter (the one program a box may execute) started without end,
    // each starting more: the box's process limit (or, with many interpreters alive at
    // once, its memory limit) stops them, the judge reports, and none outlives the judging.
    // Each copy names itself, then starts copies of itself with its own code.
    let bomb = "import ctypes, subprocess, sys\nctypes.CDLL(None).prctl(15, b'judge-pybomb', 0, 0, 0)\nwhile True:\n    subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[1]])\n";
    let source = format!(
        "import subprocess, sys\n\nBOMB = {bomb:?}\n\ndef t_value(var, mu0):\n    while True:\n        subprocess.Popen([sys.executable, '-c', BOMB, BOMB])\n"
    );
    let (_d, run) = judge_python("t-value", &source, "run");
    let report = run.json();
    let first = &report["samples"][0];
    assert!(
        ["RE", "TLE", "MLE"].contains(&first["verdict"].as_str().unwrap_or_default()),
        "{}",
        run.stdout
    );
    let gone = wait_until(Duration::from_secs(10), || {
        !process_names()
            .iter()
            .any(|n| n.starts_with("judge-pybomb"))
    });
    assert!(gone, "a bomb process outlived its box");
}

#[test]
fn python_ctypes_cannot_make_code_the_box_would_execute() {
    python_test!(python_ctypes_cannot_make_code_the_box_would_execute);
    // memfd_create (an anonymous file one could write a program into and exec) is denied
    // by the box's seccomp filter, from ctypes as from anywhere; seccomp cannot be turned
    // off again (PR_GET_SECCOMP says it is on: 2, filter mode).
    let (_d, run) = hostile(
        "import ctypes",
        "    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    fd = libc.syscall(319, b'x', 0)
    if fd >= 0 or libc.prctl(21, 0, 0, 0, 0) != 2:
        return 1e300",
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_forged_answer_then_a_crash_is_not_accepted() {
    python_test!(python_forged_answer_then_a_crash_is_not_accepted);
    // The right answer written straight to the answer descriptor (with ctypes, past the
    // harness), then an exception: the run failed, whatever it wrote.
    let source = format!(
        "import ctypes, json\n\ndef right(var, mu0):\n{HONEST}\n\ndef t_value(var, mu0):\n    text = json.dumps(right(var, mu0)).encode()\n    ctypes.CDLL(None).write(3, text, len(text))\n    raise RuntimeError('after the forged answer')\n"
    );
    let (_d, run) = judge_python("t-value", &source, "submit");
    assert_eq!(verdict(&run), "RE", "{}", run.stdout);
    // The forged answer and then the harness's own: two values, not one answer.
    let source = format!(
        "import os, json\n\ndef right(var, mu0):\n{HONEST}\n\ndef t_value(var, mu0):\n    os.write(3, json.dumps(right(var, mu0)).encode())\n    return right(var, mu0)\n"
    );
    let (_d, run) = judge_python("t-value", &source, "submit");
    assert_eq!(verdict(&run), "WA", "{}", run.stdout);
}

#[test]
fn python_hidden_tests_and_references_are_not_readable() {
    python_test!(python_hidden_tests_and_references_are_not_readable);
    let tests = repo().join("problems/t-value/tests.toml");
    let reference = repo().join("reference/t_value.rs");
    // The expected answers the judge keeps in its cache, too.
    let answers = crate::shared_cache().join("answers");
    let (_d, run) = hostile(
        "import os",
        &format!(
            "    for path in ({:?}, {:?}):
        try:
            open(path, 'rb').read(1)
            return 1e300
        except OSError:
            pass
    try:
        os.listdir({:?})
        return 1e300
    except OSError:
        pass",
            tests.display().to_string(),
            reference.display().to_string(),
            answers.display().to_string()
        ),
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_writes_outside_the_work_dir_never_reach_the_host_or_the_next_case() {
    python_test!(python_writes_outside_the_work_dir_never_reach_the_host_or_the_next_case);
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    // The packages every case imports are read-only (a case that changed numpy would
    // change the next case's); /tmp and the work dir are the case's own (a file left
    // there by one case is never seen by the next: t-value has a dozen cases).
    let (_d, run) = hostile(
        "import os, json",
        &format!(
            "    for path in ({:?}, '/pwned', os.path.join(os.path.dirname(json.__file__), 'pwned.py')):
        try:
            open(path, 'w').write('x')
            return 1e300
        except OSError:
            pass
    for path in ('/tmp/seen', 'seen'):
        if os.path.exists(path):
            return 1e300
        open(path, 'w').write('x')",
            marker.display().to_string()
        ),
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    assert!(!marker.exists());
    assert!(!std::path::Path::new("/pwned").exists());
}

#[test]
fn python_numpy_is_read_only_to_a_case() {
    python_test!(python_numpy_is_read_only_to_a_case);
    let (_d, run) = hostile(
        "import os, numpy",
        "    try:
        open(os.path.join(os.path.dirname(numpy.__file__), 'pwned.py'), 'w').write('x')
        return 1e300
    except OSError:
        pass",
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_no_network_not_even_loopback() {
    python_test!(python_no_network_not_even_loopback);
    let (_d, run) = hostile(
        "import socket",
        "    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b'x', ('127.0.0.1', 9))
        return 1e300
    except OSError:
        pass
    try:
        socket.create_connection(('127.0.0.1', 22), timeout=1)
        return 1e300
    except OSError:
        pass",
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

#[test]
fn python_the_judges_environment_is_not_visible() {
    python_test!(python_the_judges_environment_is_not_visible);
    let (_d, run) = hostile(
        "import os",
        "    if any(k in os.environ for k in ('HOME', 'PATH', 'JUDGE_CACHE_DIR', 'CARGO_MANIFEST_DIR', 'USER')):
        return 1e300",
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
}

/// The names (comm) of every process on this machine.
fn process_names() -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("comm")).ok())
        .map(|c| c.trim().to_string())
        .collect()
}

fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + timeout;
    loop {
        if done() {
            return true;
        }
        if std::time::Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
