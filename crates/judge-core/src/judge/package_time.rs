//! A package's time limit: given (problem.yaml, `.timelimit`, `domjudge-problem.ini`), or
//! derived as the format says from its accepted submissions, in every language the table
//! has and this machine runs: the slowest one's slowest case times `ac_to_time_limit`,
//! rounded up to `time_resolution`. Cached by the package's contents, the accepted
//! submissions and the toolchains that build them.

use super::package::{package_digest, submission_source, PackageRun, ProgramSource};
use super::{Engine, JudgeError};
use crate::problem::package::Package;
use crate::report::{Mode, Verdict};
use judge_sandbox::Cancel;

/// A package's time limit and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLimit {
    pub ms: u64,
    /// Derived: the slowest accepted submission's name and CPU time on its slowest case.
    pub derived_from: Option<(String, u64)>,
}

/// The CPU limit accepted submissions are judged under while the time limit is derived.
const DERIVING_LIMIT_MS: u64 = 10_000;

impl Engine {
    /// The package's time limit: `limits.time_limit`, else derived as the format says
    /// (the slowest accepted submission's slowest case times `ac_to_time_limit`, rounded up
    /// to `time_resolution`, whole seconds by default). A derived limit is cached by the
    /// package's contents and the toolchain, so only the first judging pays for it.
    pub fn package_time_limit(
        &self,
        package: &Package,
        cancel: &Cancel,
    ) -> Result<TimeLimit, JudgeError> {
        if let Some(ms) = package.limits.time_ms {
            return Ok(TimeLimit {
                ms,
                derived_from: None,
            });
        }
        let mut skipped = Vec::new();
        let accepted: Vec<(&crate::problem::package::Program, ProgramSource)> = package
            .submissions
            .iter()
            .filter(|s| s.expected == crate::problem::package::Expected::Accepted)
            .map(|s| &s.program)
            // `use_for_time_limit: false` (submissions.yaml) takes one out of the bounds.
            .filter(|p| {
                !package
                    .expectations
                    .applying(&p.name())
                    .rules
                    .iter()
                    .any(|r| r.use_for_time_limit == Some(false))
            })
            // Every language installed here counts; one that is not cannot be timed.
            .filter_map(|p| match submission_source(self.languages(), package, p) {
                Ok(source) => Some((p, source)),
                Err(why) => {
                    skipped.push(format!("submissions/{}: not run ({why})", p.name()));
                    None
                }
            })
            .collect();
        if accepted.is_empty() {
            return Err(JudgeError::NoTimeLimit {
                dir: package.dir.clone(),
                skipped,
            });
        }
        let key = self.time_limit_key(package, &accepted);
        let entry = format!("answers/kattis-time-{}", &key[..32]);
        if let Some(cached) = self.cache.read(&entry) {
            let text = String::from_utf8_lossy(&cached);
            let mut words = text.splitn(3, ' ');
            if let (Some(ms), Some(slowest), Some(name)) =
                (words.next(), words.next(), words.next())
            {
                if let (Ok(ms), Ok(slowest)) = (ms.parse(), slowest.parse()) {
                    return Ok(TimeLimit {
                        ms,
                        derived_from: Some((name.to_string(), slowest)),
                    });
                }
            }
        }
        let mut slowest: Option<(String, u64)> = None;
        for (program, found) in accepted {
            let run = PackageRun {
                package,
                language: &found.language,
                source: &found.source,
                solution: &found.entry,
                modules: &found.modules,
                mode: Mode::Submit,
                time_ms: DERIVING_LIMIT_MS,
                all_cases: false,
            };
            let report = self.judge_package(&run, cancel)?;
            if report.verdict != Verdict::AC {
                return Err(JudgeError::TimeLimitFromFailing {
                    name: program.name(),
                    verdict: report.verdict.code().to_string(),
                    limit_ms: DERIVING_LIMIT_MS,
                });
            }
            let ms = report.slowest_ms();
            if slowest.as_ref().is_none_or(|(_, s)| ms > *s) {
                slowest = Some((program.name(), ms));
            }
        }
        let (name, slowest_ms) = slowest.unwrap_or_default();
        let ms = derive(
            slowest_ms,
            package.limits.ac_to_time_limit,
            package.limits.resolution_ms,
        );
        let _ = self
            .cache
            .write(&entry, format!("{ms} {slowest_ms} {name}").as_bytes());
        Ok(TimeLimit {
            ms,
            derived_from: Some((name, slowest_ms)),
        })
    }

    /// What a derived time limit depends on: the package's contents, the accepted
    /// submissions and the toolchain that builds them.
    fn time_limit_key(
        &self,
        package: &Package,
        accepted: &[(&crate::problem::package::Program, ProgramSource)],
    ) -> String {
        let mut parts: Vec<Vec<u8>> = vec![
            b"kattis-time-3".to_vec(),
            self.toolchain.key.as_bytes().to_vec(),
            package_digest(package).into_bytes(),
        ];
        for (_, found) in accepted {
            let language = found
                .language
                .build_key()
                .unwrap_or_else(|_| found.language.entry_key());
            parts.push(language.into_bytes());
            parts.push(found.entry.as_os_str().as_encoded_bytes().to_vec());
            parts.push(found.source.clone().into_bytes());
            parts.push(format!("{:?}", found.modules).into_bytes());
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        crate::cache::digest(&refs)
    }
}

/// The smallest multiple of `resolution_ms` that is at least `slowest_ms × multiplier`
/// (and at least one resolution step).
pub fn derive(slowest_ms: u64, multiplier: f64, resolution_ms: u64) -> u64 {
    let wanted = (slowest_ms as f64 * multiplier).ceil() as u64;
    let steps = wanted.div_ceil(resolution_ms.max(1)).max(1);
    steps * resolution_ms.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_limit_is_rounded_up_to_the_resolution() {
        assert_eq!(derive(0, 5.0, 1000), 1000);
        assert_eq!(derive(150, 5.0, 1000), 1000);
        assert_eq!(derive(201, 5.0, 1000), 2000);
        assert_eq!(derive(300, 2.0, 100), 600);
        assert_eq!(derive(301, 2.0, 100), 700);
    }
}
