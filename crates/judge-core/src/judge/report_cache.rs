//! Reports kept for the next judging of the same source on the same problem version, so
//! that judging again what was judged before costs nothing.

use super::compile::{box_file_name, entry_root, GENERATOR_FILE};
use super::{Engine, Request};
use crate::build::harness::Entry;
use crate::cache::digest;
use crate::problem::spec::CHECKER_FILE;
use crate::report::{Report, Verdict};

impl Engine {
    /// What decides a report: the toolchain and box, the harness and the source, every file
    /// of the problem that shapes cases and answers, the mode, and which isolation layers
    /// are missing here. `None` when a file cannot be read (then nothing is cached).
    pub(super) fn report_key(&self, request: &Request<'_>) -> Option<String> {
        let Request {
            problem,
            reference,
            source,
            solution,
            mode,
            stop_early,
            lang,
        } = *request;
        // The language, and for Python its interpreter, packages and harness.
        let language = self.language_of(lang, solution).ok()?;
        let language_key = self.language_key(language).ok()?;
        let (root, _) = entry_root(problem, Entry::Solution, source, &box_file_name(solution));
        let reference = std::fs::read(reference).ok()?;
        let optional = |name: &str| std::fs::read(problem.dir.join(name)).unwrap_or_default();
        let warnings = judge_sandbox::layers::missing_isolation().join("\n");
        Some(digest(&[
            judge_identity().as_bytes(),
            self.toolchain.key.as_bytes(),
            language_key.as_bytes(),
            root.as_bytes(),
            source.as_bytes(),
            problem.id.as_bytes(),
            &problem.source_digest_input,
            &reference,
            &optional(GENERATOR_FILE),
            &optional(CHECKER_FILE),
            mode.name().as_bytes(),
            &[u8::from(stop_early)],
            // The level applied, which problem.toml alone does not decide (the bank's
            // default, an interview's cap).
            self.hidden_details_of(problem).name().as_bytes(),
            warnings.as_bytes(),
        ]))
    }

    pub(super) fn cached_report(&self, key: &str) -> Option<Report> {
        if self.fresh {
            return None;
        }
        let bytes = self.cache.read(&format!("reports/{key}.json"))?;
        let mut report: Report = serde_json::from_slice(&bytes).ok()?;
        report.cached = true;
        report.compile.cached = true;
        report.compile.time_ms = 0;
        Some(report)
    }

    /// Keeps a report for the next judging of the same source, unless the judge failed
    /// somewhere in it (a judge error may not happen again), it did not compile (a compile
    /// stopped by its limits may pass with others; the build cache keeps real errors), or a
    /// case was stopped by the wall clock within its CPU budget (`time_ms`): that depends on
    /// how loaded the machine was.
    pub(super) fn store_report(&self, key: &str, report: &Report, time_ms: u64) {
        let judge_failed = report.verdict == Verdict::JE
            || !report.compile.ok
            || report.cases().any(|c| c.verdict == Verdict::JE);
        let stopped_by_wall_clock = report
            .cases()
            .any(|c| c.verdict == Verdict::TLE && c.time_ms <= time_ms);
        if judge_failed || stopped_by_wall_clock {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(report) {
            // A report that cannot be cached is only judged again next time.
            let _ = self.cache.write(&format!("reports/{key}.json"), &bytes);
        }
    }
}

/// This judge build: its version, and its executable's size and time, so that a rebuilt judge
/// (which may judge differently) never reuses an older one's reports.
pub(super) fn judge_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}
