//! The judging report: verdicts, scores, per-case time and memory, diffs. `Report` is the
//! engine's record of a judging (what the report cache stores and the interview journal
//! embeds); `json::JsonReport` is the stable `--json` schema built from it
//! (docs/report-schema.md); the text rendering for terminals lives here too.
//!
//! Invariant: no IO beyond formatting; the engine fills a `Report`, the CLI prints it.

pub mod complexity;
pub mod json;
pub mod markdown;
pub mod text;

use std::fmt::Write;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::problem::value;
use crate::report::text::escape_controls;

/// The `--json` schema (`json::JsonReport`, docs/report-schema.md). Bumped when a field
/// changes meaning or shape or disappears; adding fields does not bump it. 2: a run is no
/// longer a submission (no `AC`, no score or groups; `result` says what it came to), and a
/// withheld case's time and memory are null instead of a made-up 0.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    AC,
    WA,
    TLE,
    MLE,
    RE,
    OLE,
    CE,
    JE,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::AC => "AC",
            Verdict::WA => "WA",
            Verdict::TLE => "TLE",
            Verdict::MLE => "MLE",
            Verdict::RE => "RE",
            Verdict::OLE => "OLE",
            Verdict::CE => "CE",
            Verdict::JE => "JE",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::AC => "accepted",
            Verdict::WA => "wrong answer",
            Verdict::TLE => "time limit exceeded",
            Verdict::MLE => "memory limit exceeded",
            Verdict::RE => "runtime error",
            Verdict::OLE => "output limit exceeded",
            Verdict::CE => "compile error",
            Verdict::JE => "judge error",
        }
    }

    /// Reads a verdict from a submissions folder name: the code (any case) or Kattis's word.
    pub fn from_folder(name: &str) -> Option<Verdict> {
        Some(match name.to_ascii_lowercase().as_str() {
            "ac" | "accepted" => Verdict::AC,
            "wa" | "wrong_answer" => Verdict::WA,
            "tle" | "time_limit_exceeded" => Verdict::TLE,
            "mle" | "memory_limit_exceeded" => Verdict::MLE,
            "re" | "run_time_error" | "runtime_error" => Verdict::RE,
            "ole" | "output_limit_exceeded" => Verdict::OLE,
            "ce" | "compile_error" => Verdict::CE,
            _ => return None,
        })
    }
}

/// What a practice run (`judge run`: the samples only) came to. A run is not a submission,
/// so it is never "accepted": passing the samples says nothing of the hidden cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunResult {
    SamplesPassed,
    SamplesFailed,
    CompileError,
    JudgeError,
}

impl RunResult {
    pub fn of(verdict: Verdict) -> RunResult {
        match verdict {
            Verdict::AC => RunResult::SamplesPassed,
            Verdict::CE => RunResult::CompileError,
            Verdict::JE => RunResult::JudgeError,
            Verdict::WA | Verdict::TLE | Verdict::MLE | Verdict::RE | Verdict::OLE => {
                RunResult::SamplesFailed
            }
        }
    }

    /// The run's last line of text.
    pub fn words(self) -> &'static str {
        match self {
            RunResult::SamplesPassed => "samples passed (not a submission)",
            RunResult::SamplesFailed => "samples failed (not a submission)",
            RunResult::CompileError => "samples not run (not a submission)",
            RunResult::JudgeError => "samples not judged (not a submission)",
        }
    }
}

/// A practice run on one input the candidate wrote (`judge run --input`, or the service's
/// `mode: "run"` with `input`): the candidate's answer beside the reference's, as LeetCode's
/// "run code" shows them. Its JSON is part of the `--json` schema (docs/report-schema.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputReport {
    pub schema: u32,
    pub problem: String,
    /// Always "input".
    pub mode: String,
    /// The arguments, rendered as TOML.
    pub input: String,
    pub compile: CompileReport,
    /// The reference failed on the input: it breaks the problem's rules (why, in words).
    /// Then nothing else was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The solution's verdict on the input against the reference's answer (absent when it
    /// did not compile or the input is invalid), with its time, memory, message and diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseReport>,
    /// The solution's answer, when it gave one of the return type.
    pub answer: Option<serde_json::Value>,
    /// The reference's answer.
    pub expected: Option<serde_json::Value>,
}

impl InputReport {
    /// The run's verdict: CE, the case's, or none for an invalid input.
    pub fn verdict(&self) -> Option<Verdict> {
        if !self.compile.ok {
            return Some(Verdict::CE);
        }
        self.case.as_ref().map(|c| c.verdict)
    }

    /// For people: the input, both answers, and the verdict.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let shown = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .map_or_else(|| "(none)".to_string(), |v| value::render_short(v, 2000))
        };
        let _ = writeln!(out, "input:\n{}", indent(&self.input, "  "));
        if !self.compile.ok {
            let _ = writeln!(out, "compile error:\n{}", self.compile.stderr.trim_end());
            let _ = writeln!(
                out,
                "verdict: CE (compile error); an input run, not a submission"
            );
            return escape_controls(&out).into_owned();
        }
        if let Some(why) = &self.invalid {
            let _ = writeln!(
                out,
                "the reference fails on this input, so it breaks the problem's rules: {why}"
            );
            return escape_controls(&out).into_owned();
        }
        let _ = writeln!(out, "your answer:      {}", shown(&self.answer));
        let _ = writeln!(out, "reference answer: {}", shown(&self.expected));
        if let Some(case) = &self.case {
            let _ = writeln!(
                out,
                "time: {} ms, memory: {} KiB",
                case.time_ms, case.memory_kb
            );
            if let Some(message) = &case.message {
                let _ = writeln!(out, "{message}");
            }
            if let Some(output) = &case.output {
                let _ = writeln!(out, "output:\n{}", indent(output, "  "));
            }
            let _ = writeln!(
                out,
                "verdict: {} ({}); an input run, not a submission",
                case.verdict.code(),
                case.verdict.meaning()
            );
        }
        escape_controls(&out).into_owned()
    }
}

/// What a judging is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Samples and hidden cases, scored.
    Submit,
    /// Samples only, everything shown: practice, not a submission.
    Run,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Submit => "submit",
            Mode::Run => "run",
        }
    }
}

/// A judging as the engine records it: what the report cache stores, the interview journal
/// embeds, and both renderings are made from. Not itself a schema: `json::JsonReport` is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub problem: String,
    pub mode: Mode,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    pub compile: CompileReport,
    pub groups: Vec<GroupReport>,
    pub samples: Vec<CaseReport>,
    /// Isolation that is not enforced on this machine, said in every report.
    pub warnings: Vec<String>,
    /// Taken from the cache: this exact source was judged before on this problem version.
    #[serde(default)]
    pub cached: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompileReport {
    pub ok: bool,
    pub time_ms: u64,
    pub cached: bool,
    pub stderr: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupReport {
    pub name: String,
    pub verdict: Verdict,
    pub score: u32,
    pub max_score: u32,
    pub cases: Vec<CaseReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseReport {
    pub name: String,
    pub verdict: Verdict,
    pub time_ms: u64,
    pub memory_kb: u64,
    /// How the case failed, in words safe to show for a hidden case.
    pub message: Option<String>,
    /// Unified diff, expected against actual; only where the case may be shown.
    pub diff: Option<String>,
    /// The arguments, rendered as TOML; only where the case may be shown.
    pub input: Option<String>,
    /// What the solution printed (stdout then stderr), trimmed; only where the case may be shown.
    pub output: Option<String>,
    /// A hidden case under `HiddenDetails::Verdict`: its time, memory and message are not
    /// shown (the figures read 0).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
    /// Which part of the judge failed, for a JE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// What failed when a case is JE: never the candidate's program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// The judge could not run the case (the sandbox failed to start it).
    Run,
    /// The problem's custom checker crashed or said nothing on this answer.
    Checker,
}

impl Report {
    /// A practice run on the samples, not a submission.
    pub fn is_run(&self) -> bool {
        self.mode == Mode::Run
    }

    /// Every case that was judged, samples first, in case order.
    pub fn cases(&self) -> impl Iterator<Item = &CaseReport> {
        self.samples
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.cases))
    }

    /// The CPU time of the slowest case that was judged (0 when none was).
    pub fn slowest_ms(&self) -> u64 {
        self.cases().map(|c| c.time_ms).max().unwrap_or(0)
    }

    /// The first failing case's verdict in case order (samples first), else AC.
    pub fn overall(samples: &[CaseReport], groups: &[GroupReport]) -> Verdict {
        samples
            .iter()
            .chain(groups.iter().flat_map(|g| &g.cases))
            .map(|c| c.verdict)
            .find(|v| *v != Verdict::AC)
            .unwrap_or(Verdict::AC)
    }

    pub fn first_failure(&self) -> Option<(&str, &CaseReport)> {
        let samples = self.samples.iter().map(|c| ("samples", c));
        let hidden = self
            .groups
            .iter()
            .flat_map(|g| g.cases.iter().map(move |c| (g.name.as_str(), c)));
        samples
            .chain(hidden)
            .find(|(_, c)| c.verdict != Verdict::AC)
    }

    /// The report for a terminal. Solution-controlled text (prints, panic messages, answers,
    /// rustc's echo of the source) is all over it, so control characters are escaped in
    /// the whole text at once: no field can be forgotten.
    pub fn to_text(&self, title: &str) -> String {
        escape_controls(&self.raw_text(title)).into_owned()
    }

    fn raw_text(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} — {title}", self.problem);
        for w in &self.warnings {
            let _ = writeln!(out, "warning: {w}");
        }
        if !self.compile.ok {
            let _ = writeln!(
                out,
                "\ncompile error:\n{}",
                indent(&self.compile.stderr, "  ")
            );
        } else if self.cached {
            let _ = writeln!(
                out,
                "cached result: this exact source was judged before on this problem version (--fresh judges it again)"
            );
        } else {
            let how = if self.compile.cached {
                "cached build"
            } else {
                "compiled"
            };
            let _ = writeln!(out, "{how} in {} ms", self.compile.time_ms);
        }
        if !self.samples.is_empty() {
            let _ = writeln!(out, "\nsamples (not scored)");
            self.samples.iter().for_each(|c| case_text(c, &mut out));
        }
        for g in &self.groups {
            // A pass-fail problem (a Kattis package's) has no points to show.
            let points = if self.max_score == 0 {
                String::new()
            } else {
                format!(" ({}/{} points)", g.score, g.max_score)
            };
            let _ = writeln!(out, "\ngroup {}: {}{points}", g.name, g.verdict.code());
            g.cases.iter().for_each(|c| case_text(c, &mut out));
        }
        if self.is_run() {
            self.run_ending(&mut out);
        } else {
            self.submission_ending(&mut out);
        }
        out
    }

    /// "verdict: WA (wrong answer) on basic-3, group basic" and the score.
    fn submission_ending(&self, out: &mut String) {
        let _ = write!(
            out,
            "\nverdict: {} ({})",
            self.verdict.code(),
            self.verdict.meaning()
        );
        // A graded problem may accept a submission with failing cases (a Kattis scoring
        // problem's always_accept): then no case is "the" failure.
        if let Some((group, case)) = self.first_failure().filter(|_| self.verdict != Verdict::AC) {
            let where_ = if group == "samples" {
                String::new()
            } else {
                format!(", group {group}")
            };
            let _ = write!(out, " on {}{where_}", case.name);
        }
        if self.max_score == 0 {
            out.push('\n');
        } else {
            let _ = writeln!(out, "\nscore: {}/{}", self.score, self.max_score);
        }
    }

    /// A run is not a submission and never says "accepted": it names the sample that
    /// failed with that sample's verdict, then what the run came to ("samples passed (not a
    /// submission)").
    fn run_ending(&self, out: &mut String) {
        out.push('\n');
        if self.verdict != Verdict::AC {
            let what = match self.first_failure() {
                Some((_, case)) if case.verdict == Verdict::JE => {
                    format!("{} could not be judged", case.name)
                }
                Some((_, case)) => format!("{} failed", case.name),
                None if self.verdict == Verdict::CE => "did not compile".to_string(),
                None => "the judge failed".to_string(),
            };
            let _ = writeln!(
                out,
                "{what}, verdict: {} ({})",
                self.verdict.code(),
                self.verdict.meaning()
            );
        }
        let _ = writeln!(out, "{}", RunResult::of(self.verdict).words());
    }
}

fn case_text(c: &CaseReport, out: &mut String) {
    if c.withheld {
        let _ = writeln!(
            out,
            "  {:<12} {:<4} {:>9} {:>9}",
            c.name,
            c.verdict.code(),
            "-",
            "-"
        );
        return;
    }
    let _ = writeln!(
        out,
        "  {:<12} {:<4} {:>6} ms {:>9}",
        c.name,
        c.verdict.code(),
        c.time_ms,
        format!("{:.1} MiB", c.memory_kb as f64 / 1024.0)
    );
    if let Some(m) = &c.message {
        let _ = writeln!(out, "{}", indent(m, "      "));
    }
    if let Some(input) = &c.input {
        let _ = writeln!(out, "      input:\n{}", indent(input, "        "));
    }
    if let Some(d) = &c.diff {
        let _ = writeln!(
            out,
            "      diff (- expected, + actual):\n{}",
            indent(d, "        ")
        );
    }
    if let Some(o) = &c.output {
        let _ = writeln!(out, "      printed:\n{}", indent(o, "        "));
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines of equal context shown before the first difference (and around each hunk).
const CONTEXT: usize = 3;
/// Lines shown from the first difference on; the rest is left out.
const WINDOW: usize = 200;
/// How long `similar` may search the window for a minimal diff before it settles for a
/// coarser one.
const DIFF_DEADLINE: Duration = Duration::from_millis(200);
/// How much of each value's rendering a diff looks at.
pub const DIFF_RENDER_BYTES: usize = 1 << 20;

/// The diff of an expected and an actual value, each rendered at most `DIFF_RENDER_BYTES`
/// long, so that a huge wrong answer costs no more than a small one.
pub fn diff_values(expected: &serde_json::Value, actual: &serde_json::Value) -> String {
    diff_values_limited(expected, actual, DIFF_RENDER_BYTES)
}

/// `diff_values` with each side rendered at most `bytes` long.
pub fn diff_values_limited(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    bytes: usize,
) -> String {
    let d = diff(
        &value::render_limited(expected, bytes),
        &value::render_limited(actual, bytes),
    );
    if d.is_empty() {
        // The values differ past the rendered part, or only where rendering hides it.
        return "(no difference in the part of the values rendered here; the message says where they differ)\n".into();
    }
    d
}

/// A unified line diff of two renderings, bounded in time and size whatever the inputs:
/// only a window from a few lines before the first differing line is diffed (the equal
/// prefix and suffix are found in linear time), with a note of what was left out. Equal
/// texts give an empty diff.
pub fn diff(expected: &str, actual: &str) -> String {
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    let totals = (expected.lines().count(), actual.lines().count());
    let prefix = expected
        .lines()
        .zip(actual.lines())
        .take_while(|(e, a)| e == a)
        .count();
    if prefix == totals.0 && prefix == totals.1 {
        return String::new();
    }
    let suffix = expected
        .lines()
        .rev()
        .zip(actual.lines().rev())
        .take(totals.0.min(totals.1) - prefix)
        .take_while(|(e, a)| e == a)
        .count();
    let start = prefix.saturating_sub(CONTEXT);
    // Each side's window ends a little after its differing lines, or WINDOW lines in.
    let end = |total: usize| (total - suffix + CONTEXT).min(total).min(prefix + WINDOW);
    let window = |text: &'_ str, total| -> Vec<String> {
        text.lines()
            .skip(start)
            .take(end(total) - start)
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let old = window(expected, totals.0);
    let new = window(actual, totals.1);
    let mut out = String::from("--- expected\n+++ actual\n");
    let left_out = (start, totals.0 - end(totals.0), totals.1 - end(totals.1));
    if left_out != (0, 0, 0) {
        let _ = writeln!(
            out,
            "(showing expected lines {}-{} of {}, actual lines {}-{} of {}; left out: {} equal lines before, {} expected and {} actual lines after)",
            start + 1,
            end(totals.0),
            totals.0,
            start + 1,
            end(totals.1),
            totals.1,
            left_out.0,
            left_out.1,
            left_out.2
        );
    }
    hunks(&old, &new, start, &mut out);
    out
}

/// Appends the unified hunks of two windows that start at line `offset` (0-based) of
/// their texts, numbered as lines of the whole texts.
fn hunks(old: &[String], new: &[String], offset: usize, out: &mut String) {
    let old: Vec<&str> = old.iter().map(String::as_str).collect();
    let new: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure()
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_slices(&old, &new);
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let range = |from: usize, to: usize| {
            let len = to - from;
            let at = if len == 0 {
                from + offset
            } else {
                from + offset + 1
            };
            format!("{at},{len}")
        };
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(first.old_range().start, last.old_range().end),
            range(first.new_range().start, last.new_range().end)
        );
        for change in group.iter().flat_map(|op| diff.iter_changes(op)) {
            let _ = write!(out, "{}{}", change.tag(), change.value());
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn case(name: &str, verdict: Verdict) -> CaseReport {
        CaseReport {
            name: name.into(),
            verdict,
            time_ms: 1,
            memory_kb: 2048,
            message: None,
            diff: None,
            input: None,
            output: None,
            withheld: false,
            fault: None,
        }
    }

    #[test]
    fn overall_verdict_is_the_first_failure_in_case_order() {
        let groups = vec![
            GroupReport {
                name: "a".into(),
                verdict: Verdict::TLE,
                score: 0,
                max_score: 1,
                cases: vec![case("a-1", Verdict::AC), case("a-2", Verdict::TLE)],
            },
            GroupReport {
                name: "b".into(),
                verdict: Verdict::WA,
                score: 0,
                max_score: 1,
                cases: vec![case("b-1", Verdict::WA)],
            },
        ];
        assert_eq!(
            Report::overall(&[case("s", Verdict::AC)], &groups),
            Verdict::TLE
        );
        assert_eq!(
            Report::overall(&[case("s", Verdict::RE)], &groups),
            Verdict::RE
        );
        assert_eq!(Report::overall(&[], &[]), Verdict::AC);
    }

    #[test]
    fn diff_marks_the_changed_line() {
        let d = diff("[\n  1,\n  2,\n]", "[\n  1,\n  3,\n]");
        assert!(d.contains("-  2,") && d.contains("+  3,"), "{d}");
        assert!(d.starts_with("--- expected\n+++ actual\n"), "{d}");
    }

    fn numbered(lines: usize, changed: Option<usize>) -> String {
        (0..lines)
            .map(|i| match changed {
                Some(c) if c == i => "  changed,\n".to_string(),
                _ => format!("  {i},\n"),
            })
            .collect()
    }

    #[test]
    fn diff_of_huge_texts_shows_a_small_window_at_the_difference() {
        let d = diff(
            &numbered(1_000_000, None),
            &numbered(1_000_000, Some(500_000)),
        );
        assert!(d.len() < 2_000, "{} bytes:\n{d}", d.len());
        assert!(d.contains("-  500000,\n+  changed,\n"), "{d}");
        assert!(d.contains("@@ -499998,7 +499998,7 @@"), "{d}");
        assert!(d.contains("left out: 499997 equal lines before"), "{d}");
    }

    #[test]
    fn diff_of_huge_texts_differing_everywhere_stops_after_the_window() {
        let expected = numbered(1_000_000, None);
        let mut actual = String::new();
        for i in 0..1_000_000 {
            let _ = writeln!(actual, "  x{i},");
        }
        let d = diff(&expected, &actual);
        assert!(d.len() < 40 * WINDOW, "{} bytes", d.len());
        assert!(d.contains("-  0,") && d.contains("+  x0,"), "{d}");
        assert!(
            d.contains("999800 expected and 999800 actual lines after"),
            "{d}"
        );
    }

    #[test]
    fn diff_with_equal_prefix_and_suffix_shows_only_the_middle() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\nh", "a\nb\nc\nd\nX\nY\nf\ng\nh");
        assert!(d.contains("-e\n+X\n+Y\n"), "{d}");
        assert!(d.contains("@@ -2,7 +2,8 @@"), "{d}");
        assert!(d.contains("left out: 1 equal lines before"), "{d}");
        assert_eq!(diff("same\ntext", "same\ntext\n"), "");
        // An appended tail: the prefix is everything that one side has.
        let d = diff("1\n2", "1\n2\n3");
        assert!(d.contains("@@ -1,2 +1,3 @@\n 1\n 2\n+3\n"), "{d}");
    }

    #[test]
    fn value_diffs_are_bounded_and_never_silently_empty() {
        let big = |last: i64| {
            serde_json::Value::Array((0..10_000_000).chain([last]).map(Into::into).collect())
        };
        let d = diff_values(&big(1), &big(2));
        assert!(
            d.contains("no difference in the part of the values rendered"),
            "{d}"
        );
        let d = diff_values(&serde_json::json!([1, 2]), &serde_json::json!([1, 3]));
        assert!(d.contains("-[1, 2]\n+[1, 3]"), "{d}");
    }

    #[test]
    fn text_report_escapes_what_the_solution_printed() {
        let mut c = case("sample-1", Verdict::WA);
        c.output = Some("\x1b[2J\x1b[Hverdict: AC\r...".into());
        c.message = Some("wrong answer: \u{202e}CA".into());
        let mut report = report("run", vec![c], vec![]);
        report.verdict = Verdict::WA;
        let text = report.to_text("P");
        assert!(!text.contains(['\x1b', '\r', '\u{202e}']), "{text:?}");
        assert!(
            text.contains("\\u{1b}[2J\\u{1b}[Hverdict: AC\\u{d}..."),
            "{text}"
        );
        // JSON needs no escaping of its own: serde escapes control characters.
        let json = json::JsonReport::new(&report).to_pretty();
        assert!(!json.contains(['\x1b', '\r']), "{json:?}");
        assert!(
            json.contains(r"\u001b[2J\u001b[Hverdict: AC\r..."),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back["samples"][0]["output"].as_str(),
            report.samples[0].output.as_deref()
        );
    }

    /// A report of `mode` ("run" or "submit") that passed, with these cases.
    pub(crate) fn report(mode: &str, samples: Vec<CaseReport>, groups: Vec<GroupReport>) -> Report {
        Report {
            problem: "p".into(),
            mode: if mode == "run" {
                Mode::Run
            } else {
                Mode::Submit
            },
            verdict: Verdict::AC,
            score: groups.iter().map(|g| g.score).sum(),
            max_score: groups.iter().map(|g| g.max_score).sum(),
            compile: CompileReport {
                ok: true,
                time_ms: 1,
                cached: false,
                stderr: String::new(),
            },
            groups,
            samples,
            warnings: vec![],
            cached: false,
        }
    }

    fn last_lines(text: &str, n: usize) -> Vec<&str> {
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].to_vec()
    }

    #[test]
    fn a_passed_run_says_it_is_not_a_submission() {
        let report = report("run", vec![case("sample-1", Verdict::AC)], vec![]);
        let text = report.to_text("P");
        assert_eq!(last_lines(&text, 1), ["samples passed (not a submission)"]);
        assert!(
            !text.contains("verdict") && !text.contains("accepted"),
            "{text}"
        );
    }

    #[test]
    fn a_failed_run_names_the_failing_sample_and_its_verdict() {
        let samples = vec![case("sample-1", Verdict::AC), case("sample-2", Verdict::WA)];
        let mut run = report("run", samples, vec![]);
        run.verdict = Verdict::WA;
        assert_eq!(
            last_lines(&run.to_text("P"), 2),
            [
                "sample-2 failed, verdict: WA (wrong answer)",
                "samples failed (not a submission)"
            ]
        );
        run.samples[1].verdict = Verdict::JE;
        run.verdict = Verdict::JE;
        assert_eq!(
            last_lines(&run.to_text("P"), 2),
            [
                "sample-2 could not be judged, verdict: JE (judge error)",
                "samples not judged (not a submission)"
            ]
        );
        let mut ce = report("run", vec![], vec![]);
        ce.verdict = Verdict::CE;
        ce.compile.ok = false;
        assert_eq!(
            last_lines(&ce.to_text("P"), 2),
            [
                "did not compile, verdict: CE (compile error)",
                "samples not run (not a submission)"
            ]
        );
    }

    #[test]
    fn a_submission_ends_with_its_verdict_and_score() {
        let group = GroupReport {
            name: "basic".into(),
            verdict: Verdict::WA,
            score: 0,
            max_score: 10,
            cases: vec![case("basic-1", Verdict::WA)],
        };
        let mut submit = report("submit", vec![case("sample-1", Verdict::AC)], vec![group]);
        submit.verdict = Verdict::WA;
        assert_eq!(
            last_lines(&submit.to_text("P"), 2),
            [
                "verdict: WA (wrong answer) on basic-1, group basic",
                "score: 0/10"
            ]
        );
    }

    #[test]
    fn verdict_folders() {
        assert_eq!(Verdict::from_folder("wrong_answer"), Some(Verdict::WA));
        assert_eq!(Verdict::from_folder("TLE"), Some(Verdict::TLE));
        assert_eq!(Verdict::from_folder("partial"), None);
    }
}
