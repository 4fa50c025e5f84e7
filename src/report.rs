//! The judging report: verdicts, scores, per-case time and memory, diffs. These serde types
//! are the stable JSON schema of `--json` (DESIGN.md), kept apart from the engine's own
//! types; the text rendering for terminals lives here too.
//!
//! Invariant: no IO beyond formatting; the engine fills a `Report`, the CLI prints it.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    pub problem: String,
    pub mode: String,
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
}

/// What a report shows of a hidden case (`[feedback] hidden` in problem.toml, or an
/// interview's `--verdicts-only`). Every figure a hidden case shows is a channel: a
/// solution can encode bits of a hidden input in the CPU time it burns or the memory it
/// takes, one case at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenDetails {
    /// The verdict, CPU time, peak memory and how it failed in words ("wrong answer",
    /// "panicked"); never the input, the expected answer or the output.
    #[default]
    Outcome,
    /// The verdict alone.
    Verdict,
}

impl Report {
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

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The report for a terminal.
    pub fn to_text(&self, title: &str) -> String {
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
            let _ = writeln!(
                out,
                "\ngroup {}: {} ({}/{} points)",
                g.name,
                g.verdict.code(),
                g.score,
                g.max_score
            );
            g.cases.iter().for_each(|c| case_text(c, &mut out));
        }
        let _ = write!(
            out,
            "\nverdict: {} ({})",
            self.verdict.code(),
            self.verdict.meaning()
        );
        if let Some((group, case)) = self.first_failure() {
            let where_ = if group == "samples" {
                String::new()
            } else {
                format!(", group {group}")
            };
            let _ = write!(out, " on {}{where_}", case.name);
        }
        if self.mode == "submit" {
            let _ = write!(out, "\nscore: {}/{}", self.score, self.max_score);
        }
        out.push('\n');
        out
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

/// A unified line diff of two renderings.
pub fn diff(expected: &str, actual: &str) -> String {
    let expected = format!("{}\n", expected.trim_end());
    let actual = format!("{}\n", actual.trim_end());
    similar::TextDiff::from_lines(&expected, &actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, verdict: Verdict) -> CaseReport {
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

    #[test]
    fn verdict_folders() {
        assert_eq!(Verdict::from_folder("wrong_answer"), Some(Verdict::WA));
        assert_eq!(Verdict::from_folder("TLE"), Some(Verdict::TLE));
        assert_eq!(Verdict::from_folder("partial"), None);
    }
}
