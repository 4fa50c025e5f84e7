//! The engine as a long-running server drives it, through the library: one `Engine` shared
//! by judgings side by side, each judging's stream of events, and cancelling one.
//!
//! Its own test binary: the cancelling tests count this process's descendants, which no
//! other suite's boxes may add to; within it, the tests take turns (`one_at_a_time`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use judge::cache::Cache;
use judge::judge::package::PackageSubmission;
use judge::judge::{Engine, Event, JudgeError, Judging, Mode, Submission};
use judge::problem::spec;
use judge::report::Verdict;

fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn engine() -> Engine {
    engine_with_jobs(2)
}

fn engine_with_jobs(jobs: usize) -> Engine {
    // The integration suite's cache: the solution runtime is built there once.
    let cache = Cache::at(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("judge-cache"));
    Engine::new(cache, jobs).expect("an engine on this machine")
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// A copy of the fixture problem `base` (add one to every element) with `limits` added to
/// its problem.toml, in a temp dir.
fn base_problem(limits: &str) -> (tempfile::TempDir, PathBuf) {
    let keep = tempfile::tempdir().unwrap();
    let dir = keep.path().join("add-one");
    std::fs::create_dir(&dir).unwrap();
    for file in ["problem.toml", "tests.toml", "reference.rs"] {
        std::fs::copy(fixture("problems/base").join(file), dir.join(file)).unwrap();
    }
    let toml = std::fs::read_to_string(dir.join("problem.toml")).unwrap();
    std::fs::write(dir.join("problem.toml"), format!("{toml}\n{limits}")).unwrap();
    (keep, dir)
}

fn submission(dir: &Path, source: &str, mode: Mode) -> Submission {
    let problem = spec::load(dir).expect("the problem loads");
    Submission {
        reference: problem.reference_path(),
        problem,
        source: source.to_string(),
        solution: PathBuf::from("add_one.rs"),
        mode,
    }
}

const GOOD: &str =
    "pub fn add_one(xs: Vec<i64>) -> Vec<i64> { xs.into_iter().map(|x| x + 1).collect() }";

/// Burns CPU until killed: only the time limit or a cancel ends it.
const SPINS: &str = "pub fn add_one(xs: Vec<i64>) -> Vec<i64> { let mut n = 0u64; loop { n = std::hint::black_box(n.wrapping_add(1)); if n == u64::MAX { return xs; } } }";

fn name(event: &Event) -> &'static str {
    match event {
        Event::Queued => "queued",
        Event::Compiling => "compiling",
        Event::Compiled { .. } => "compiled",
        Event::Running { .. } => "running",
        Event::CaseStarted { .. } => "case-started",
        Event::CaseFinished { .. } => "case-finished",
        Event::GroupFinished { .. } => "group-finished",
        Event::Done { .. } => "done",
    }
}

/// Checks the order the events promise, and returns the report `Done` carried.
fn check_order(events: &[Event]) -> judge::report::Report {
    let names: Vec<&str> = events.iter().map(name).collect();
    assert_eq!(names[0], "queued", "{names:?}");
    assert_eq!(*names.last().unwrap(), "done", "{names:?}");
    let compiled = names
        .iter()
        .position(|n| *n == "compiled")
        .expect("compiled");
    let running = names.iter().position(|n| *n == "running").expect("running");
    assert!(compiled < running, "{names:?}");
    let Event::Running { cases } = &events[running] else {
        unreachable!()
    };
    let finished: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::CaseFinished { .. }))
        .collect();
    assert_eq!(finished.len(), *cases, "{names:?}");
    for (i, e) in events.iter().enumerate() {
        if let Event::CaseFinished { name, .. } = e {
            let started = events[..i]
                .iter()
                .any(|s| matches!(s, Event::CaseStarted { name: n } if n == name));
            assert!(started, "{name} finished before it started: {names:?}");
        }
    }
    let first_group = names.iter().position(|n| *n == "group-finished");
    let last_case = names.iter().rposition(|n| *n == "case-finished");
    assert!(
        first_group > last_case,
        "groups end after their cases: {names:?}"
    );
    let Some(Event::Done { report }) = events.last() else {
        unreachable!()
    };
    (**report).clone()
}

fn collect(mut judging: Judging) -> (Vec<Event>, Result<judge::report::Report, JudgeError>) {
    let mut events = Vec::new();
    while let Some(event) = judging.next_blocking() {
        events.push(event);
    }
    (events, judging.wait())
}

#[test]
fn a_judging_tells_each_step_in_order_and_a_cached_one_replays_them() {
    let _turn = one_at_a_time();
    let (_keep, dir) = base_problem("");
    let engine = engine().fresh(true);
    let (events, result) = collect(engine.start(submission(&dir, GOOD, Mode::Submit)));
    let report = result.expect("judged");
    let told = check_order(&events);
    assert_eq!(report.verdict, Verdict::AC);
    assert_eq!(told.verdict, report.verdict);
    assert_eq!(told.score, report.score);
    let groups: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::GroupFinished { .. }))
        .collect();
    assert_eq!(groups.len(), report.groups.len());
    // From the cache: nothing runs, and the same steps are told.
    let (again, result) = collect(
        engine
            .fresh(false)
            .start(submission(&dir, GOOD, Mode::Submit)),
    );
    assert!(
        result.expect("judged").cached,
        "the second judging came from the cache"
    );
    assert_eq!(check_order(&again).score, report.score);
}

#[test]
fn a_compile_error_ends_after_compiled() {
    let _turn = one_at_a_time();
    let (_keep, dir) = base_problem("");
    let (events, result) = collect(engine().start(submission(&dir, "pub fn add_one(", Mode::Run)));
    assert_eq!(result.expect("judged").verdict, Verdict::CE);
    let names: Vec<&str> = events.iter().map(name).collect();
    assert_eq!(names, ["queued", "compiling", "compiled", "done"]);
}

/// This process's descendants (every process of every box it started), from /proc.
fn descendants() -> Vec<i32> {
    let me = std::process::id() as i32;
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // The fields after the command name, which is in parentheses and may hold spaces.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let mut found = vec![me];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// Waits until `done()` holds, or fails after `seconds` naming `what`.
fn wait_for(what: &str, seconds: u64, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts the spinning solution on a problem whose limit is far away, and waits until its
/// boxes run.
fn spinning() -> (tempfile::TempDir, Judging) {
    let (keep, dir) = base_problem("[limits]\ntime_ms = 60000\n");
    let mut judging = engine()
        .fresh(true)
        .start(submission(&dir, SPINS, Mode::Submit));
    loop {
        match judging.next_blocking() {
            Some(Event::CaseStarted { .. }) => break,
            Some(Event::Done { .. }) | None => panic!("the judging ended before a case started"),
            Some(_) => {}
        }
    }
    // Started means handed to the sandbox; the box's processes show up a moment later.
    wait_for("a box to run", 60, || !descendants().is_empty());
    (keep, judging)
}

/// Waits for the judging to end, on another thread, failing after `seconds`.
fn wait_at_most(judging: Judging, seconds: u64) -> Result<judge::report::Report, JudgeError> {
    let (send, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(judging.wait());
    });
    ended
        .recv_timeout(Duration::from_secs(seconds))
        .expect("the judging ended in time")
}

#[test]
fn cancelling_a_judging_kills_its_boxes_and_ends_it() {
    let _turn = one_at_a_time();
    let (_keep, judging) = spinning();
    judging.cancel();
    // The limit is a minute away: only the cancel can stop the boxes this soon.
    wait_for("every box to be gone", 10, || descendants().is_empty());
    match wait_at_most(judging, 10) {
        Err(JudgeError::Cancelled) => {}
        other => panic!("expected a cancelled judging, got {other:?}"),
    }
}

#[test]
fn dropping_a_judging_leaves_nothing_running() {
    let _turn = one_at_a_time();
    let (_keep, judging) = spinning();
    drop(judging);
    wait_for("every box to be gone", 10, || descendants().is_empty());
}

/// Takes the compiler minutes: a constant evaluated by a long loop.
const SLOW_TO_COMPILE: &str = "#[allow(long_running_const_eval)] const SPIN: u64 = { let mut i = 0u64; while i < 1u64 << 40 { i += 1; } i }; pub fn add_one(xs: Vec<i64>) -> Vec<i64> { let _ = SPIN; xs }";

#[test]
fn cancelling_a_compile_kills_the_compiler() {
    let _turn = one_at_a_time();
    let (_keep, dir) = base_problem("");
    // The problem's harness library is built first, so that the compiler found running
    // below is the solution's.
    let warm = engine()
        .fresh(true)
        .start(submission(&dir, GOOD, Mode::Run));
    assert_eq!(warm.wait().expect("judged").verdict, Verdict::AC);
    let mut judging = engine()
        .fresh(true)
        .start(submission(&dir, SLOW_TO_COMPILE, Mode::Submit));
    loop {
        match judging.next_blocking() {
            Some(Event::Compiling) => break,
            Some(Event::Done { .. }) | None => panic!("the judging ended before compiling"),
            Some(_) => {}
        }
    }
    wait_for("the compiler to run", 60, || !descendants().is_empty());
    judging.cancel();
    wait_for("the compiler to be gone", 10, || descendants().is_empty());
    match wait_at_most(judging, 10) {
        Err(JudgeError::Cancelled) => {}
        other => panic!("expected a cancelled judging, got {other:?}"),
    }
}

#[test]
fn one_engine_judges_side_by_side() {
    let _turn = one_at_a_time();
    let (_keep, dir) = base_problem("");
    let engine = engine().fresh(true);
    let wrong = "pub fn add_one(xs: Vec<i64>) -> Vec<i64> { xs }";
    let judgings = [GOOD, wrong].map(|source| {
        let engine = engine.clone();
        let submission = submission(&dir, source, Mode::Submit);
        std::thread::spawn(move || engine.start(submission).wait())
    });
    let [good, wrong] = judgings.map(|t| t.join().unwrap().expect("judged").verdict);
    assert_eq!(good, Verdict::AC);
    assert_eq!(wrong, Verdict::WA);
}

#[test]
fn judgings_of_one_engine_wait_for_its_slots() {
    let _turn = one_at_a_time();
    // One slot: the spinning judging holds it with its case.
    let (keep, dir) = base_problem("[limits]\ntime_ms = 60000\n");
    let engine = engine_with_jobs(1).fresh(true);
    let mut first = engine.start(submission(&dir, SPINS, Mode::Submit));
    while !matches!(first.next_blocking(), Some(Event::CaseStarted { .. })) {}
    let mut second = engine.start(submission(&dir, GOOD, Mode::Submit));
    assert!(matches!(second.next_blocking(), Some(Event::Queued)));
    // Queued it stays: no compiler starts while the only slot is taken. (Were slots per
    // judging, it would compile at once.)
    let (told, events) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Some(e) = second.next_blocking() {
            if told.send(e).is_err() {
                break;
            }
        }
    });
    assert!(
        events.recv_timeout(Duration::from_secs(2)).is_err(),
        "the second judging went on while the only slot was taken"
    );
    first.cancel();
    let next = events
        .recv_timeout(Duration::from_mins(1))
        .expect("it goes on");
    assert!(matches!(next, Event::Compiling), "{next:?}");
    drop(keep);
}

#[test]
fn withheld_cases_tell_no_start_and_finish_last() {
    let _turn = one_at_a_time();
    let (_keep, dir) = base_problem("[feedback]\nhidden = \"verdict\"\n");
    let (events, result) = collect(engine().fresh(true).start(submission(
        &dir,
        GOOD,
        Mode::Submit,
    )));
    let report = result.expect("judged");
    let hidden: Vec<&str> = report
        .groups
        .iter()
        .flat_map(|g| &g.cases)
        .map(|c| c.name.as_str())
        .collect();
    assert!(!hidden.is_empty());
    let mut seen_withheld = false;
    for event in &events {
        match event {
            Event::CaseStarted { name } => {
                assert!(!hidden.contains(&name.as_str()), "{name} told started");
            }
            Event::CaseFinished {
                name,
                withheld,
                time_ms,
                memory_kb,
                ..
            } => {
                if hidden.contains(&name.as_str()) {
                    assert!(*withheld && *time_ms == 0 && *memory_kb == 0, "{event:?}");
                    seen_withheld = true;
                } else {
                    assert!(!seen_withheld, "a shown case finished after a withheld one");
                }
            }
            _ => {}
        }
    }
    assert!(seen_withheld);
}

/// Whatever a problem's `[feedback] hidden` says, a case's events carry no more than its
/// report: the same verdict, time, memory and `withheld`, and no words, input or answer at
/// all (a first failure shown whole is shown in the report, never in an event).
#[test]
fn events_carry_no_more_than_the_report_at_every_feedback_level() {
    let _turn = one_at_a_time();
    let wrong = "pub fn add_one(xs: Vec<i64>) -> Vec<i64> { xs.into_iter().map(|x| if x > 4 { x + 2 } else { x + 1 }).collect() }";
    for level in ["verdict", "outcome", "kind", "first-failure"] {
        let (_keep, dir) = base_problem(&format!("[feedback]\nhidden = \"{level}\"\n"));
        let (events, result) = collect(engine().start(submission(&dir, wrong, Mode::Submit)));
        let report = result.expect("judged");
        assert_eq!(report.verdict, Verdict::WA, "{level}");
        let hidden = &report.groups[0].cases[0];
        assert_eq!(
            hidden.input.is_some(),
            level == "first-failure",
            "{level}: {hidden:?}"
        );
        for event in &events {
            let json = serde_json::to_value(event).unwrap();
            if let Event::CaseFinished {
                name,
                verdict,
                time_ms,
                memory_kb,
                withheld,
            } = event
            {
                let case = report.cases().find(|c| &c.name == name).expect("reported");
                assert_eq!(
                    (*verdict, *time_ms, *memory_kb, *withheld),
                    (case.verdict, case.time_ms, case.memory_kb, case.withheld),
                    "{level}: {event:?}"
                );
                let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
                assert!(
                    keys.iter().all(|k| [
                        "event",
                        "name",
                        "verdict",
                        "time_ms",
                        "memory_kb",
                        "withheld"
                    ]
                    .contains(&k.as_str())),
                    "{level}: {json}"
                );
            }
        }
    }
}

/// Reads its input: on `slow`, burns about a second of CPU and answers wrong; on anything
/// else, panics at once.
const SLOW_WRONG_OR_PANIC: &str = r#"use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    if s.trim() != "slow" {
        panic!("a failure of another kind");
    }
    let mut n = 0u64;
    for i in 0..1_500_000_000u64 {
        n = std::hint::black_box(n ^ i);
    }
    println!("{}", n % 2 + 100);
}
"#;

/// A package judging that stops at the first failure counts no case after it, even one that
/// ran beside it: judged one at a time, case 2 would never have run. Case 1 is slow and
/// wrong, case 2 panics at once while case 1 still runs; the report names case 1 only.
#[test]
fn cases_that_ran_beside_a_packages_first_failure_do_not_count() {
    let _turn = one_at_a_time();
    let keep = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("problem.yaml", "name: Beside\nlimits:\n  time_limit: 20\n"),
        ("data/secret/1.in", "slow\n"),
        ("data/secret/1.ans", "1\n"),
        ("data/secret/2.in", "fast\n"),
        ("data/secret/2.ans", "2\n"),
    ] {
        let file = keep.path().join("pkg").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let package = judge::problem::package::load(&keep.path().join("pkg")).expect("it loads");
    let engine = engine_with_jobs(2).fresh(true);
    let language = engine.languages().get("rust").expect("rust").clone();
    let (events, result) = collect(engine.start_package(PackageSubmission {
        package,
        language,
        source: SLOW_WRONG_OR_PANIC.to_string(),
        solution: PathBuf::from("main.rs"),
        mode: Mode::Submit,
    }));
    let report = result.expect("judged");
    let started = |case: &str| {
        events
            .iter()
            .any(|e| matches!(e, Event::CaseStarted { name } if name == case))
    };
    // Two jobs: case 2 started beside case 1, before case 1's second of CPU ended.
    assert!(started("secret/1") && started("secret/2"), "{events:?}");
    let named: Vec<(&str, Verdict)> = report
        .cases()
        .map(|c| (c.name.as_str(), c.verdict))
        .collect();
    assert_eq!(named, [("secret/1", Verdict::WA)], "{report:?}");
    assert_eq!(report.verdict, Verdict::WA);
}
