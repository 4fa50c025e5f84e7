//! The report for a terminal: per-case lines, messages, inputs, diffs and what the
//! solution printed, then how the judging ended.

use std::fmt::Write;

use super::record::{CaseReport, InputReport, Report, RunResult, Verdict};
use crate::problem::value;
use crate::report::text::escape_controls;

impl InputReport {
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

impl Report {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{case, report};
    use crate::report::{json, GroupReport};

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
}
