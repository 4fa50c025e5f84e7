//! `run_counted` end to end: a box run with a performance counter over it, whose reading
//! covers the program and its children (the counter's own parts are tested in
//! `counter.rs`).

use crate::counter::{probe, CounterError, Event};
use crate::{Input, Job, Mount, RunLimits, TOOLCHAIN_PATHS};

/// Runs `script` in a box with `event` counted.
fn counted(script: &str, event: Event) -> (crate::Outcome, Result<u64, CounterError>) {
    let work = tempfile::tempdir().unwrap();
    let job = Job {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), script.into()],
        env: vec![("PATH".into(), "/usr/bin:/bin".into())],
        cwd: work.path().to_path_buf(),
        stdin: Input::default(),
        answer_pipe: true,
        mounts: TOOLCHAIN_PATHS.iter().map(Mount::read_only).collect(),
        executables: None,
    };
    let limits = RunLimits {
        cpu_ms: 10_000,
        wall_ms: 20_000,
        address_space: 1 << 30,
        output_bytes: 1 << 16,
        file_bytes: 1 << 20,
        memory_bytes: 256 << 20,
        processes: 64,
        disk: None,
    };
    let cancel = crate::Cancel::default();
    crate::run_counted(&job, &limits, &cancel, event).unwrap()
}

/// A fixed amount of CPU work (counting to `n` in a shell) in a grandchild of the box's
/// program: a shell in a shell.
fn work_in_a_child(n: u64) -> String {
    format!("sh -c 'i=0; while [ $i -lt {n} ]; do i=$((i+1)); done'; echo done >&3")
}

#[test]
fn the_task_clock_counts_the_program_and_its_children() {
    if let Err(e) = probe(Event::TaskClock) {
        eprintln!("SKIPPED: no task-clock counter here: {e}");
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must have perf events"
        );
        return;
    }
    let (outcome, count) = counted(&work_in_a_child(200_000), Event::TaskClock);
    assert_eq!(outcome.answer, b"done\n");
    let ns = count.expect("a task-clock reading");
    // Counting to 200000 in a shell takes tens of milliseconds of CPU at least, all of it
    // in a child of a child.
    assert!(ns >= 20_000_000, "{ns} ns");
    // It agrees with the box's own CPU account within its millisecond ticks and the
    // box's setup, which the counter leaves out.
    let counted_ms = ns / 1_000_000;
    assert!(
        counted_ms <= outcome.cpu_ms + 20,
        "{counted_ms} ms counted, {} ms by the box",
        outcome.cpu_ms
    );
    assert!(
        counted_ms * 2 >= outcome.cpu_ms,
        "{counted_ms} ms counted, {} ms by the box",
        outcome.cpu_ms
    );
}

#[test]
fn instructions_are_counted_or_their_absence_is_said() {
    let (outcome, count) = counted("echo 1 >&3", Event::Instructions);
    assert_eq!(outcome.answer, b"1\n");
    match (probe(Event::Instructions), count) {
        // A shell's start alone retires hundreds of thousands of instructions.
        (Ok(()), Ok(n)) => assert!(n > 100_000, "{n}"),
        (Err(here), Err(boxed)) => assert_eq!(here.to_string(), boxed.to_string()),
        (here, boxed) => panic!("the probe says {here:?}, the box {boxed:?}"),
    }
}
