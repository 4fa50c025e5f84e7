//! The report of a package judging, put together from its cases' results: cases into the
//! groups that hold them, each group graded, scores as points; the report of a program that
//! does not compile; and the digest of what in a package decides a report (its cache key).

use std::collections::HashMap;

use crate::judge::package_grade::{self, CaseResult, Graded};
use crate::problem::package::{Item, Package, TestCase, TestGroup};
use crate::report::{CaseReport, CompileReport, GroupReport, Mode, Report, Verdict};
use judge_sandbox as sandbox;

/// The groups of the report: every test group that holds cases directly, depth first.
fn case_groups(group: &TestGroup) -> Vec<&TestGroup> {
    group
        .groups()
        .into_iter()
        .filter(|g| g.items.iter().any(|i| matches!(i, Item::Case(_))))
        .collect()
}

fn points(score: f64) -> u32 {
    score.max(0.0).round() as u32
}

/// The report of a judging from its cases' results and reports.
pub(super) fn package_report(
    package: &Package,
    mode: Mode,
    compile: CompileReport,
    mut judged: HashMap<String, (CaseResult, CaseReport)>,
    grader: &mut dyn FnMut(&TestGroup, &[Graded]) -> Graded,
) -> Report {
    let results: HashMap<String, CaseResult> = judged
        .iter()
        .map(|(name, (r, _))| (name.clone(), *r))
        .collect();
    let sample = package_grade::grade_group_with(&package.samples, &results, grader);
    let secret = match mode {
        Mode::Run => None,
        Mode::Submit => package_grade::grade_group_with(&package.secret, &results, grader),
    };
    let overall = package_grade::overall(&package.root_grading, package.scoring, sample, secret);
    let mut take = |case: &TestCase| judged.remove(&case.name).map(|(_, report)| report);
    let samples: Vec<CaseReport> = package
        .samples
        .cases()
        .into_iter()
        .filter_map(&mut take)
        .collect();
    let scored = |s: f64| if package.scoring { points(s) } else { 0 };
    let groups: Vec<GroupReport> = match mode {
        Mode::Run => Vec::new(),
        Mode::Submit => case_groups(&package.secret)
            .into_iter()
            .filter_map(|g| {
                let cases: Vec<CaseReport> = g
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Case(c) => take(c),
                        Item::Group(_) => None,
                    })
                    .collect();
                let Graded { verdict, score } =
                    package_grade::grade_group_with(g, &results, grader)?;
                Some(GroupReport {
                    name: g.name.clone(),
                    verdict,
                    score: scored(score),
                    max_score: scored(package_grade::max_score(g)),
                    cases,
                })
            })
            .collect(),
    };
    Report {
        problem: package.id.clone(),
        mode,
        verdict: overall.verdict,
        score: match mode {
            Mode::Run => 0,
            Mode::Submit => scored(overall.score),
        },
        max_score: match mode {
            Mode::Run => 0,
            Mode::Submit => scored(package_grade::max_score(&package.secret)),
        },
        compile,
        groups,
        samples,
        warnings: sandbox::layers::missing_isolation(),
        cached: false,
    }
}

/// The report of a program that does not compile.
pub(super) fn compile_error(package: &Package, mode: Mode, compile: CompileReport) -> Report {
    let max = if package.scoring && mode == Mode::Submit {
        points(package_grade::max_score(&package.secret))
    } else {
        0
    };
    Report {
        problem: package.id.clone(),
        mode,
        verdict: Verdict::CE,
        score: 0,
        max_score: max,
        compile,
        groups: Vec::new(),
        samples: Vec::new(),
        warnings: sandbox::layers::missing_isolation(),
        cached: false,
    }
}

/// The contents of a package that judging a program reads: problem.yaml, every case, every
/// group's grading and the output validator's files (headers too).
pub(in crate::judge) fn package_digest(package: &Package) -> String {
    let mut parts: Vec<Vec<u8>> =
        vec![
            std::fs::read(package.dir.join(crate::problem::package::PROBLEM_YAML))
                .unwrap_or_default(),
        ];
    for case in package.cases() {
        parts.push(case.name.as_bytes().to_vec());
        // Its own settings (args, validator args) decide its runs too.
        parts.push(format!("{:?}", case.settings).into_bytes());
        parts.push(std::fs::read(&case.input).unwrap_or_default());
        parts.push(std::fs::read(&case.answer).unwrap_or_default());
    }
    for group in package.groups() {
        parts.push(format!("{:?}", group.grading).into_bytes());
    }
    for v in package.output_validator.iter().chain(&package.grader) {
        let mut files: Vec<std::path::PathBuf> = if v.path.is_dir() {
            std::fs::read_dir(&v.path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .collect()
        } else {
            vec![v.path.clone()]
        };
        files.sort();
        for f in files {
            parts.push(f.as_os_str().as_encoded_bytes().to_vec());
            parts.push(std::fs::read(&f).unwrap_or_default());
        }
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    crate::cache::digest(&refs)
}
