//! Turning a finished run into the answer it gave, or the verdict that says why there is
//! none. Pure: decided by the run's outcome and the problem's limits and types alone.
//!
//! Every fact it decides by is the judge's own (exit status, CPU time, the cgroup's memory
//! account, the box's disk, the output's size), never something the program wrote, except
//! the answer itself and one claim: an abort whose message says an allocation failed is MLE,
//! not RE (both fail; the address-space limit leaves no other trace).
//!
//! Precedence, first match wins: OLE (output over its limit), TLE (wall clock), OLE (a file
//! over the disk, SIGXFSZ), TLE (CPU), MLE, OLE (disk full and the program failed), RE, then
//! the answer itself: WA when it is far too long, unreadable or of the wrong shape, RE when
//! there is none. A limit crossed explains a crash that follows from it, so limits come
//! before RE; output comes first because a flood is stopped by killing the program, which
//! then looks like a crash or a timeout.

use serde_json::Value as Json;

use crate::problem::spec::{Limits, Problem};
use crate::problem::value;
use crate::report::Verdict;
use judge_sandbox::{Exit, Outcome};

/// Why a run gave no answer that can be checked: its verdict and the reason in words.
pub type Failure = (Verdict, String);

/// The answer of a run of a solution to `problem` under a CPU budget of `time_ms`, or why
/// there is none.
pub fn read_answer(problem: &Problem, o: &Outcome, time_ms: u64) -> Result<Json, Failure> {
    if let Some(failure) = run_failure(&problem.limits, o, time_ms) {
        return Err(failure);
    }
    answer_of(problem, o)
}

/// The verdict of a run that broke a limit or did not end well, from the judge's own
/// account of it; `None` when it exited 0 within every limit.
pub fn run_failure(limits: &Limits, o: &Outcome, time_ms: u64) -> Option<Failure> {
    if o.output_exceeded {
        return Some((
            Verdict::OLE,
            format!("printed more than {} KiB", limits.output_kb),
        ));
    }
    if o.wall_exceeded {
        return Some((
            Verdict::TLE,
            format!(
                "still running after {} ms of wall-clock time (CPU {} ms)",
                o.wall_ms, o.cpu_ms
            ),
        ));
    }
    if o.exit == Exit::Signal(libc::SIGXFSZ) {
        return Some((Verdict::OLE, disk_message(limits)));
    }
    if o.cpu_ms > time_ms || o.exit == Exit::Signal(libc::SIGXCPU) {
        return Some((
            Verdict::TLE,
            format!(
                "used {} ms of CPU time; the limit is {} ms",
                o.cpu_ms, time_ms
            ),
        ));
    }
    if o.memory_exceeded || peak_kb(o) > limits.memory_mb * 1024 || allocation_failed(o) {
        let how = match o.cgroup_peak_bytes {
            Some(_) => format!("peak {} MiB", peak_kb(o) / 1024),
            // No cgroup: an allocation failed under the address-space limit, and no peak
            // was measured to quote (a made-up 0 would mislead).
            None => "an allocation failed; peak memory is not measured here, see `judge doctor`"
                .to_string(),
        };
        return Some((
            Verdict::MLE,
            format!(
                "used more than the {} MiB memory limit ({how})",
                limits.memory_mb
            ),
        ));
    }
    if o.disk_full && o.exit != Exit::Code(0) {
        return Some((Verdict::OLE, disk_message(limits)));
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    match o.exit {
        Exit::Code(0) => None,
        Exit::Code(101) => Some((Verdict::RE, "panicked".into())),
        Exit::Code(c) => Some((Verdict::RE, format!("exited with code {c}"))),
        Exit::Signal(s) if s == libc::SIGABRT && stderr.contains("overflowed its stack") => {
            Some((Verdict::RE, "stack overflow".into()))
        }
        Exit::Signal(s) => Some((
            Verdict::RE,
            format!("killed by signal {s} ({})", signal_name(s)),
        )),
    }
}

/// A candidate's answer of the problem's return type, as `read_candidate` holds it.
#[derive(Debug)]
pub enum Answer {
    /// Parsed: small, or holding no more values than the expected answer.
    Tree(Json),
    /// Left as text in the run's outcome (`Outcome::answer`), to be read as a stream
    /// (`streamed`): it holds more values than the expected answer, so it is wrong, or a
    /// custom checker takes it and it is too large to hold as a tree.
    Streamed,
}

/// Answers longer than this are checked as a stream before anything is parsed: a tree costs
/// about 32 bytes a value however short the text.
const TREE_BYTES: usize = 1 << 20;

/// `read_answer` for a candidate's run, whose answer may be megabytes of small values: the
/// judge holds no tree larger than `expected`'s (the built-in checkers' expected answer;
/// `None` under a custom checker, when a large answer stays text).
pub fn read_candidate(
    problem: &Problem,
    o: &Outcome,
    time_ms: u64,
    expected: Option<&Json>,
) -> Result<Answer, Failure> {
    if let Some(failure) = run_failure(&problem.limits, o, time_ms) {
        return Err(failure);
    }
    if o.answer.len() <= TREE_BYTES {
        return answer_of(problem, o).map(Answer::Tree);
    }
    kept_answer(o)?;
    let values = super::streamed::shape(&o.answer, &problem.signature.ret, problem).map_err(
        |why| match why {
            Some(why) => (Verdict::WA, format!("malformed answer: {why}")),
            None => (Verdict::WA, "the answer could not be read".to_string()),
        },
    )?;
    match expected {
        Some(e) if values <= super::streamed::values(e) => answer_of(problem, o).map(Answer::Tree),
        _ => Ok(Answer::Streamed),
    }
}

/// That the run left an answer whole to read.
fn kept_answer(o: &Outcome) -> Result<(), Failure> {
    if (o.answer.len() as u64) < o.answer_bytes {
        // Dropped on arrival (`drop_overlong_answer`), never parsed: a wrong answer of
        // millions of elements would cost the judge many times its size as a tree.
        return Err((
            Verdict::WA,
            format!(
                "the answer is far longer than the expected one ({} bytes)",
                o.answer_bytes
            ),
        ));
    }
    if o.answer.is_empty() {
        return Err((Verdict::RE, "exited without returning an answer".into()));
    }
    Ok(())
}

/// The answer a run that ended well wrote on its answer pipe, checked to be JSON of the
/// problem's return type.
pub fn answer_of(problem: &Problem, o: &Outcome) -> Result<Json, Failure> {
    kept_answer(o)?;
    let answer: Json = serde_json::from_slice(&o.answer)
        .map_err(|_| (Verdict::WA, "the answer could not be read".to_string()))?;
    if let Some(why) = wrong_type(&answer) {
        return Err((Verdict::WA, format!("wrong return type: {why}")));
    }
    value::check_json(&answer, &problem.signature.ret, problem)
        .map_err(|e| (Verdict::WA, format!("malformed answer: {e}")))?;
    Ok(answer)
}

/// What a Python solution's harness answers when the returned value does not fit the
/// return type: `{"$wrong_type": "<expected, got>"}`, no value of any type (record fields
/// are identifiers). Its words are cut short: like any answer, the program wrote them.
fn wrong_type(answer: &Json) -> Option<String> {
    let map = answer.as_object().filter(|m| m.len() == 1)?;
    let words = map.get(WRONG_TYPE_KEY)?.as_str()?;
    let mut cut = words.len().min(400);
    while !words.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(words[..cut].to_string())
}

/// The key of a Python harness's wrong-type answer (`runtime/judge_py.py`).
pub const WRONG_TYPE_KEY: &str = "$wrong_type";

fn disk_message(limits: &Limits) -> String {
    format!(
        "filled the {} MiB disk a case may write to (its work dir and /tmp)",
        limits.disk_mb
    )
}

/// Rust's allocation failure handler prints this and aborts; with an address-space limit,
/// an allocation past it fails at once and leaves no other sign.
fn allocation_failed(o: &Outcome) -> bool {
    o.exit == Exit::Signal(libc::SIGABRT) && {
        let stderr = String::from_utf8_lossy(&o.stderr);
        stderr.contains("memory allocation of") && stderr.contains("failed")
    }
}

/// Peak memory of the whole box (every process of it), from its cgroup; 0 where there are
/// no cgroups (doctor and every report say memory is not measured then). Never a figure
/// the program reports itself: that would let it hide its use, or carry data out.
pub fn peak_kb(o: &Outcome) -> u64 {
    o.cgroup_peak_bytes.map_or(0, |b| b / 1024)
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGSEGV => "SIGSEGV, a memory fault",
        libc::SIGKILL => "SIGKILL",
        libc::SIGFPE => "SIGFPE, an arithmetic fault",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        _ => "a signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that exited 0 within every limit, having answered `[1, 2]`.
    fn clean() -> Outcome {
        Outcome {
            exit: Exit::Code(0),
            cpu_ms: 10,
            wall_ms: 12,
            stdout: Vec::new(),
            stderr: Vec::new(),
            answer: b"[1,2]".to_vec(),
            answer_bytes: 5,
            output_exceeded: false,
            wall_exceeded: false,
            cgroup_peak_bytes: Some(8 << 20),
            memory_exceeded: false,
            disk_full: false,
            ended_at: None,
        }
    }

    fn limits() -> Limits {
        Limits {
            time_ms: 1000,
            memory_mb: 64,
            output_kb: 100,
            disk_mb: 16,
        }
    }

    const TIME_MS: u64 = 1000;

    /// Each row: what went wrong with the run, and the verdict it must get. Rows that break
    /// several limits at once pin the precedence.
    #[test]
    fn each_run_gets_its_verdict_in_order_of_precedence() {
        type Change = fn(&mut Outcome);
        let rows: &[(&str, Change, Option<Verdict>)] = &[
            ("clean exit", |_| {}, None),
            ("panic", |o| o.exit = Exit::Code(101), Some(Verdict::RE)),
            ("exit 3", |o| o.exit = Exit::Code(3), Some(Verdict::RE)),
            // The runtime's own "harness failed" code is a plain RE for a solution.
            ("exit 86", |o| o.exit = Exit::Code(86), Some(Verdict::RE)),
            (
                "SIGSEGV",
                |o| o.exit = Exit::Signal(libc::SIGSEGV),
                Some(Verdict::RE),
            ),
            (
                "CPU over the limit",
                |o| o.cpu_ms = TIME_MS + 1,
                Some(Verdict::TLE),
            ),
            ("CPU at the limit", |o| o.cpu_ms = TIME_MS, None),
            (
                "SIGXCPU",
                |o| o.exit = Exit::Signal(libc::SIGXCPU),
                Some(Verdict::TLE),
            ),
            (
                "wall clock",
                |o| {
                    o.wall_exceeded = true;
                    o.exit = Exit::Signal(libc::SIGKILL);
                },
                Some(Verdict::TLE),
            ),
            (
                "cgroup OOM kill",
                |o| {
                    o.memory_exceeded = true;
                    o.exit = Exit::Signal(libc::SIGKILL);
                },
                Some(Verdict::MLE),
            ),
            (
                "peak over the limit, exit 0",
                |o| o.cgroup_peak_bytes = Some(65 << 20),
                Some(Verdict::MLE),
            ),
            (
                "allocation failure abort",
                |o| {
                    o.exit = Exit::Signal(libc::SIGABRT);
                    o.stderr = b"memory allocation of 1000000 bytes failed".to_vec();
                },
                Some(Verdict::MLE),
            ),
            (
                "MLE before RE: OOM-killed and a panic code",
                |o| {
                    o.memory_exceeded = true;
                    o.exit = Exit::Code(101);
                },
                Some(Verdict::MLE),
            ),
            (
                "TLE by CPU before MLE",
                |o| {
                    o.cpu_ms = TIME_MS + 1;
                    o.memory_exceeded = true;
                },
                Some(Verdict::TLE),
            ),
            (
                "wall clock before CPU",
                |o| {
                    o.wall_exceeded = true;
                    o.cpu_ms = TIME_MS + 500;
                },
                Some(Verdict::TLE),
            ),
            (
                "output flood before everything",
                |o| {
                    o.output_exceeded = true;
                    o.wall_exceeded = true;
                    o.memory_exceeded = true;
                    o.exit = Exit::Signal(libc::SIGKILL);
                },
                Some(Verdict::OLE),
            ),
            (
                "a file over the disk (SIGXFSZ)",
                |o| o.exit = Exit::Signal(libc::SIGXFSZ),
                Some(Verdict::OLE),
            ),
            (
                "disk full and a crash",
                |o| {
                    o.disk_full = true;
                    o.exit = Exit::Code(101);
                },
                Some(Verdict::OLE),
            ),
            ("disk full but a clean exit", |o| o.disk_full = true, None),
            (
                "stack overflow",
                |o| {
                    o.exit = Exit::Signal(libc::SIGABRT);
                    o.stderr = b"thread 'main' has overflowed its stack".to_vec();
                },
                Some(Verdict::RE),
            ),
        ];
        for (what, change, want) in rows {
            let mut o = clean();
            change(&mut o);
            let got = run_failure(&limits(), &o, TIME_MS).map(|(v, _)| v);
            assert_eq!(got, *want, "{what}");
        }
    }

    #[test]
    fn messages_name_the_limit_that_was_broken() {
        let mut o = clean();
        o.cpu_ms = 1500;
        let (_, why) = run_failure(&limits(), &o, TIME_MS).unwrap();
        assert_eq!(why, "used 1500 ms of CPU time; the limit is 1000 ms");
        let mut o = clean();
        o.memory_exceeded = true;
        o.cgroup_peak_bytes = Some(70 << 20);
        let (_, why) = run_failure(&limits(), &o, TIME_MS).unwrap();
        assert_eq!(why, "used more than the 64 MiB memory limit (peak 70 MiB)");
        let unmeasured = Outcome {
            exit: Exit::Signal(libc::SIGABRT),
            stderr: b"memory allocation of 1048576 bytes failed\n".to_vec(),
            cgroup_peak_bytes: None,
            ..clean()
        };
        let (verdict, why) = run_failure(&limits(), &unmeasured, TIME_MS).unwrap();
        assert_eq!(verdict, Verdict::MLE);
        assert!(
            why.ends_with(
                "(an allocation failed; peak memory is not measured here, see `judge doctor`)"
            ),
            "{why}"
        );
        let mut o = clean();
        o.exit = Exit::Signal(libc::SIGSEGV);
        let (_, why) = run_failure(&limits(), &o, TIME_MS).unwrap();
        assert_eq!(why, "killed by signal 11 (SIGSEGV, a memory fault)");
    }

    /// A problem returning `Vec<i64>`, for the answer's own checks.
    fn problem() -> Problem {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/problems/base");
        crate::problem::spec::load(&dir).expect("the fixture problem loads")
    }

    #[test]
    fn each_answer_gets_its_verdict() {
        // What the run wrote on its answer pipe, how many bytes it wrote in all, the result.
        type Row<'a> = (&'a str, &'a [u8], u64, Result<Json, Verdict>);
        let problem = problem();
        let rows: &[Row] = &[
            ("right shape", b"[1,2]", 5, Ok(serde_json::json!([1, 2]))),
            ("no answer", b"", 0, Err(Verdict::RE)),
            ("not JSON", b"[1,", 3, Err(Verdict::WA)),
            ("wrong type", b"\"text\"", 6, Err(Verdict::WA)),
            ("a float for an integer", b"[1.5]", 5, Err(Verdict::WA)),
            // Dropped on arrival: fewer bytes kept than written.
            ("dropped as far too long", b"", 1 << 30, Err(Verdict::WA)),
        ];
        for (what, answer, written, want) in rows {
            let mut o = clean();
            o.answer = answer.to_vec();
            o.answer_bytes = *written;
            let got = answer_of(&problem, &o).map_err(|(v, _)| v);
            assert_eq!(&got, want, "{what}");
        }
    }

    #[test]
    fn a_python_wrong_type_answer_is_wa_with_its_words() {
        let problem = problem();
        let mut o = clean();
        o.answer = br#"{"$wrong_type": "expected list[int (i64)] at [2], got str"}"#.to_vec();
        o.answer_bytes = o.answer.len() as u64;
        let (verdict, why) = answer_of(&problem, &o).unwrap_err();
        assert_eq!(verdict, Verdict::WA);
        assert_eq!(
            why,
            "wrong return type: expected list[int (i64)] at [2], got str"
        );
        // Its words are cut, on a character boundary.
        let long = format!(r#"{{"$wrong_type": "{}"}}"#, "é".repeat(300));
        o.answer = long.into_bytes();
        o.answer_bytes = o.answer.len() as u64;
        let (_, why) = answer_of(&problem, &o).unwrap_err();
        assert_eq!(why.len(), "wrong return type: ".len() + 400);
        // An object with another key, or more keys, is only a malformed answer.
        o.answer = br#"{"$wrong_type": "x", "y": 1}"#.to_vec();
        o.answer_bytes = o.answer.len() as u64;
        let (_, why) = answer_of(&problem, &o).unwrap_err();
        assert!(why.starts_with("malformed answer"), "{why}");
    }

    #[test]
    fn a_limit_comes_before_the_answer() {
        let problem = problem();
        let mut o = clean();
        o.cpu_ms = 5000;
        assert_eq!(
            read_answer(&problem, &o, TIME_MS).unwrap_err().0,
            Verdict::TLE
        );
        assert_eq!(
            read_answer(&problem, &clean(), TIME_MS).unwrap(),
            serde_json::json!([1, 2])
        );
    }
}
