//! `judge verify` on a Kattis package: it loads; every input validator accepts every test
//! input (exit 42), the failing file named; the time limit is given or derived from the
//! accepted submissions; and every Rust submission under `submissions/<expected>/` gets the
//! verdict its folder names (time-limit-exceeded ones judged under the limit times the
//! safety margin, so they are too slow by a margin, as problemtools checks). Submissions in
//! other languages are listed as not judged, never counted as passing.

use std::path::Path;

use super::verification::Verification;
use super::AuthoringError;
use crate::judge::package::{submission_source, PackageRun};
use crate::judge::package_programs::{self, Built, ValidatorCall, ACCEPT};
use crate::judge::{Engine, JudgeError, Mode};
use crate::problem::package::expectations::{self, Outcome, Rule};
use crate::problem::package::{self, Expected, KnownSubmission, Package};
use crate::report::{Report, Verdict};
use judge_sandbox::{Cancel, Exit, Input, Streams};

pub fn verify(engine: &Engine, dir: &Path) -> Result<Verification, AuthoringError> {
    let started = std::time::Instant::now();
    let package = package::load(dir)?;
    let mut v = Verification {
        id: package.id.clone(),
        seconds: 0.0,
        failures: Vec::new(),
        notes: Vec::new(),
        skipped: Vec::new(),
    };
    v.notes.push(format!("format {}", package.version));
    for warning in &package.warnings {
        v.notes.push(format!("warning: {warning}"));
    }
    let cancel = Cancel::default();
    let validators = input_validators(engine, &package, &cancel, &mut v)?;
    check_inputs(engine, &package, &validators, &cancel, &mut v)?;
    check_validation_data(engine, &package, &validators, &cancel, &mut v)?;
    check_answers(engine, &package, &cancel, &mut v)?;
    if !package
        .submissions
        .iter()
        .any(|s| s.expected == Expected::Accepted)
    {
        v.failures
            .push("no accepted submission: put at least one under submissions/accepted/".into());
    }
    match engine.package_time_limit(&package, &cancel) {
        Ok(limit) => {
            let how = match &limit.derived_from {
                None => package
                    .limits
                    .time_from
                    .map_or("given", package::TimeLimitFrom::describe)
                    .to_string(),
                Some((name, slowest)) => format!(
                    "derived: {} × {name}'s slowest case ({slowest} ms), rounded up to a multiple of {} ms",
                    package.limits.ac_to_time_limit, package.limits.resolution_ms
                ),
            };
            v.notes.push(format!("time limit {} ms ({how})", limit.ms));
            for known in &package.submissions {
                check_submission(engine, &package, known, limit.ms, &cancel, &mut v)?;
            }
        }
        Err(
            e @ (JudgeError::NoTimeLimit { .. }
            | JudgeError::TimeLimitFromFailing { .. }
            | JudgeError::ValidatorDoesNotCompile { .. }),
        ) => {
            // A validator that does not build is named by check_answers already.
            if !matches!(e, JudgeError::ValidatorDoesNotCompile { .. }) || v.failures.is_empty() {
                v.failures.push(e.to_string());
            }
        }
        Err(e) => return Err(e.into()),
    }
    v.seconds = started.elapsed().as_secs_f64();
    Ok(v)
}

/// An input validator the judge could build.
struct InputValidator<'a> {
    program: &'a package::Program,
    runnable: package_programs::Runnable,
}

/// What an input validator said of one input.
enum InputVerdict {
    Valid,
    /// Rejected: how (exit code, what means valid) and what it printed.
    Invalid {
        how: String,
        printed: String,
    },
    /// The validator itself failed (checktestdata's own error), in words.
    Broken(String),
}

impl InputValidator<'_> {
    /// Runs on `input` with `args` (none for checktestdata: the script is the whole
    /// check): exit 42 valid, checktestdata's 0 valid and 1 invalid.
    fn judge(
        &self,
        engine: &Engine,
        package: &Package,
        (input, args): (&Path, Vec<String>),
        cancel: &Cancel,
    ) -> Result<InputVerdict, AuthoringError> {
        let ctd = self.program.is_checktestdata();
        let args = if ctd { Vec::new() } else { args };
        let call = ValidatorCall {
            runnable: &self.runnable,
            input,
            answer: input,
            args: &args,
            stdin: Input::File(input.to_path_buf()),
            streams: Streams::default(),
            limits: package_programs::validator_limits(&package.limits, 0),
        };
        // An input validator takes the input on stdin and arguments alone: its three
        // leading arguments are an output validator's.
        let run = package_programs::run_input_validator(call, engine.cache(), cancel)
            .map_err(JudgeError::ValidatorRun)?;
        let said = |bytes: &[&Vec<u8>]| {
            bytes
                .iter()
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
                .lines()
                .take(5)
                .collect::<Vec<_>>()
                .join("\n  ")
        };
        // Checktestdata says valid with 0 and invalid with 1; anything else (or its module
        // missing in the box) is its failure, not the input's.
        if ctd
            && (!matches!(run.exit, Exit::Code(0 | 1))
                || String::from_utf8_lossy(&run.stderr).contains("No module named"))
        {
            return Ok(InputVerdict::Broken(format!(
                "{:?}: {}",
                run.exit,
                said(&[&run.stderr])
            )));
        }
        let valid = if ctd {
            Exit::Code(0)
        } else {
            Exit::Code(ACCEPT)
        };
        if run.exit == valid {
            return Ok(InputVerdict::Valid);
        }
        let how = match run.exit {
            Exit::Code(c) => format!("exit code {c}"),
            Exit::Signal(s) => format!("killed by signal {s}"),
        };
        Ok(InputVerdict::Invalid {
            how: format!(
                "{how}; {} means valid",
                if ctd { "0, for checktestdata," } else { "42" }
            ),
            printed: said(&[&run.stdout, &run.stderr]),
        })
    }
}

/// Every input validator built, the ones it could not build or run named as failures.
fn input_validators<'a>(
    engine: &Engine,
    package: &'a Package,
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<Vec<InputValidator<'a>>, AuthoringError> {
    if package.input_validators.is_empty() {
        v.notes
            .push("no input validators: the test inputs are not checked".into());
    }
    let mut ready = Vec::new();
    for validator in &package.input_validators {
        let name = validator.name();
        if validator.is_viva() {
            v.failures.push(format!(
                "input validator {name}: not run (VIVA validators need Java and VIVA, which the judge does not run), so the inputs are unchecked by it"
            ));
            continue;
        }
        if validator.language.is_none()
            && !validator.has_build_or_run()
            && !validator.is_checktestdata()
        {
            v.failures.push(format!(
                "input validator {name}: not run (in no language the judge builds: C++, C, Rust, Python 3, checktestdata, or a folder with build/run scripts), so the inputs are unchecked by it"
            ));
            continue;
        }
        match engine.build_package_program(validator, &package.constants, cancel)? {
            Built::Ready(runnable) => ready.push(InputValidator {
                program: validator,
                runnable,
            }),
            Built::Failed(stderr) => v.failures.push(format!(
                "input validator {name} could not be built, so the inputs are unchecked by it:\n{}",
                stderr.trim_end()
            )),
        }
    }
    Ok(ready)
}

/// Every input validator on every test input, with the case's or group's
/// `input_validator_args`.
fn check_inputs(
    engine: &Engine,
    package: &Package,
    validators: &[InputValidator<'_>],
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<(), AuthoringError> {
    for validator in validators {
        let name = validator.program.name();
        let mut rejected = 0;
        for case in package.cases() {
            let args = package.input_validator_args(case, &validator_base_name(validator.program));
            let input = relative(package, &case.input);
            match validator.judge(engine, package, (&case.input, args), cancel)? {
                InputVerdict::Valid => {}
                InputVerdict::Broken(why) => {
                    rejected += 1;
                    v.failures
                        .push(format!("input validator {name} failed on {input} ({why})"));
                }
                InputVerdict::Invalid { how, printed } => {
                    rejected += 1;
                    let said = if printed.is_empty() {
                        String::new()
                    } else {
                        format!(":\n  {printed}")
                    };
                    v.failures.push(format!(
                        "{input}: rejected by input validator {name} ({how}){said}"
                    ));
                }
            }
        }
        if rejected == 0 {
            v.notes.push(format!(
                "input validator {name}: all {} inputs valid",
                package.cases().len()
            ));
        }
    }
    Ok(())
}

/// The validation test data (2023-07 and later): each `invalid_input` rejected by some
/// input validator, each `invalid_output` rejected and each `valid_output` accepted by the
/// output validator (the default one, or the package's).
fn check_validation_data(
    engine: &Engine,
    package: &Package,
    validators: &[InputValidator<'_>],
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<(), AuthoringError> {
    use package::ValidationKind;
    if package.validation.is_empty() {
        return Ok(());
    }
    let output_validator = match &package.output_validator {
        Some(p) if !package.interactive => {
            match engine.build_package_program(p, &package.constants, cancel)? {
                Built::Ready(r) => Some(r),
                // Named by check_answers already.
                Built::Failed(_) => return Ok(()),
            }
        }
        _ => None,
    };
    let mut checked = 0;
    for case in &package.validation {
        let shown = relative(package, &case.input);
        match case.kind {
            ValidationKind::InvalidInput => {
                if validators.is_empty() {
                    v.failures.push(format!(
                        "{shown}: no input validator runs to reject it, as data/invalid_input asks"
                    ));
                    continue;
                }
                let mut rejected = false;
                for validator in validators {
                    let base = validator_base_name(validator.program);
                    let args = case
                        .settings
                        .input_validator_args
                        .as_ref()
                        .map(|a| a.for_validator(&base))
                        .unwrap_or_default();
                    match validator.judge(engine, package, (&case.input, args), cancel)? {
                        InputVerdict::Invalid { .. } => rejected = true,
                        InputVerdict::Broken(why) => v.failures.push(format!(
                            "input validator {} failed on {shown} ({why})",
                            validator.program.name()
                        )),
                        InputVerdict::Valid => {}
                    }
                }
                if !rejected {
                    v.failures.push(format!(
                        "{shown}: every input validator accepts it, and data/invalid_input says it is invalid"
                    ));
                }
            }
            ValidationKind::InvalidOutput | ValidationKind::ValidOutput => {
                if package.interactive {
                    v.notes.push(format!(
                        "{shown}: not checked (an interactive problem's output is an interaction)"
                    ));
                    continue;
                }
                let Some(output) = &case.output else {
                    continue;
                };
                let Some(accepted) =
                    output_accepted(engine, package, output_validator.as_ref(), case, cancel)?
                else {
                    v.failures.push(format!(
                        "{shown}: the output validator failed on its .out (it must exit with 42 or 43)"
                    ));
                    continue;
                };
                let wanted = case.kind == ValidationKind::ValidOutput;
                if accepted != wanted {
                    v.failures.push(format!(
                        "{}: the output validator {} it, and data/{} says it must {}",
                        relative(package, output),
                        if accepted { "accepts" } else { "rejects" },
                        case.kind.folder(),
                        if wanted { "be accepted" } else { "be rejected" }
                    ));
                    continue;
                }
            }
        }
        checked += 1;
    }
    v.notes.push(format!(
        "validation test data: {checked} of {} cases as data/ says",
        package.validation.len()
    ));
    Ok(())
}

/// Whether the output validator (the package's, else the default one) accepts a
/// validation case's `.out` against its `.ans`; `None` when the validator failed.
fn output_accepted(
    engine: &Engine,
    package: &Package,
    validator: Option<&package_programs::Runnable>,
    case: &package::ValidationCase,
    cancel: &Cancel,
) -> Result<Option<bool>, AuthoringError> {
    let (Some(answer), Some(output)) = (&case.answer, &case.output) else {
        return Ok(None);
    };
    let mut args = package.validator_flags.clone();
    args.extend(
        case.settings
            .output_validator_args
            .clone()
            .unwrap_or_default(),
    );
    let Some(runnable) = validator else {
        let flags = package::DefaultFlags::parse(&args).unwrap_or_default();
        let read = |p: &Path| std::fs::read(p).unwrap_or_default();
        let verdict =
            crate::judge::default_validator::validate(&read(answer), &read(output), &flags);
        return Ok(Some(verdict.is_ok()));
    };
    let call = ValidatorCall {
        runnable,
        input: &case.input,
        answer,
        args: &args,
        stdin: Input::File(output.clone()),
        streams: Streams::default(),
        limits: package_programs::validator_limits(&package.limits, 0),
    };
    let run = package_programs::run_validator(call, engine.cache(), cancel)
        .map_err(JudgeError::ValidatorRun)?;
    Ok(match run.outcome.exit {
        Exit::Code(ACCEPT) => Some(true),
        Exit::Code(package_programs::REJECT) => Some(false),
        _ => None,
    })
}

/// A custom output validator must accept each answer file as an output (problemtools checks
/// the same): one that rejects the judges' own answer would reject right submissions.
/// Interactive validators are left out (an answer file is not an interaction).
fn check_answers(
    engine: &Engine,
    package: &Package,
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<(), AuthoringError> {
    let Some(validator) = package
        .output_validator
        .as_ref()
        .filter(|_| !package.interactive)
    else {
        return Ok(());
    };
    let runnable = match engine.build_package_program(validator, &package.constants, cancel)? {
        Built::Ready(r) => r,
        Built::Failed(stderr) => {
            v.failures.push(format!(
                "the output validator {} does not compile:\n{}",
                validator.name(),
                stderr.trim_end()
            ));
            return Ok(());
        }
    };
    for case in package.cases() {
        let call = ValidatorCall {
            runnable: &runnable,
            input: &case.input,
            answer: &case.answer,
            args: &package.validator_args(case),
            stdin: Input::File(case.answer.clone()),
            streams: Streams::default(),
            limits: package_programs::validator_limits(&package.limits, 0),
        };
        let run = package_programs::run_validator(call, engine.cache(), cancel)
            .map_err(JudgeError::ValidatorRun)?;
        if run.outcome.exit != judge_sandbox::Exit::Code(ACCEPT) {
            let said = run
                .feedback
                .team_message
                .or(run.feedback.judge_message)
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            let how = match run.outcome.exit {
                judge_sandbox::Exit::Code(c) => format!("exit code {c}"),
                judge_sandbox::Exit::Signal(s) => format!("killed by signal {s}"),
            };
            v.failures.push(format!(
                "{}: the output validator does not accept the answer file as an output ({how}){said}",
                relative(package, &case.answer)
            ));
        }
    }
    Ok(())
}

fn relative(package: &Package, path: &Path) -> String {
    path.strip_prefix(&package.dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Judges one known submission and checks it got what its folder (and submissions.yaml)
/// says. A submission the judge cannot run is a failure naming it: a verify that skipped
/// a check never passes.
fn check_submission(
    engine: &Engine,
    package: &Package,
    known: &KnownSubmission,
    time_ms: u64,
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<(), AuthoringError> {
    let program = &known.program;
    let shown = format!("submissions/{}", program.name());
    // A language the table lacks, or one not installed here: named as skipped, never
    // counted as passing.
    let found = match submission_source(engine.languages(), package, program) {
        Ok(found) => found,
        Err(why) => {
            v.skipped.push(format!(
                "{shown}: not run ({why}), so its verdict is unchecked"
            ));
            return Ok(());
        }
    };
    let applying = package.expectations.applying(&program.name());
    // An upper bound of the time limit (it must be too slow somewhere) is judged under the
    // limit times the safety margin, so it is too slow by that margin.
    let upper_bound = applying
        .rules
        .iter()
        .any(|r| r.required.as_deref() == Some(&[Outcome::TLE][..]));
    let limit = if upper_bound {
        (time_ms as f64 * package.limits.time_limit_to_tle).ceil() as u64
    } else {
        time_ms
    };
    let run = PackageRun {
        package,
        language: &found.language,
        source: &found.source,
        solution: &found.entry,
        modules: &found.modules,
        mode: Mode::Submit,
        time_ms: limit,
        // The rules speak of every case (only AC or WA, ...): judge them all. Not on an
        // interactive problem: which of two joined boxes ended first decides a crash
        // against a rejection, and after the first failure that order is the boxes' race,
        // not the submission's doing.
        all_cases: package.version.is_modern() && !package.interactive,
    };
    let Some(report) = judged(engine, &run, cancel, v)? else {
        return Ok(());
    };
    let broken_by = |report: &Report| {
        let mut broken = rules_broken(&applying.rules, report);
        if let Err(wanted) = score_expectation(package, known.expected, report) {
            broken.push(format!("expected {wanted}"));
        }
        broken
    };
    let mut broken = broken_by(&report);
    let mut report = report;
    // A time limit missed or kept by a noisy machine (a busy host slows a JVM's start or a
    // loop by more than the margin) is judged once more before it fails the package; the
    // second judging decides, and the note says the first disagreed.
    if !broken.is_empty() && timing_decided(&report, upper_bound) {
        let first = describe(package, &report);
        let again = engine.clone().fresh(true);
        if let Some(second) = judged(&again, &run, cancel, v)? {
            broken = broken_by(&second);
            if broken.is_empty() {
                v.judged_again(&shown, &first);
            }
            report = second;
        }
    }
    let at = report
        .first_failure()
        .map(|(_, c)| format!(" on {}", c.name))
        .unwrap_or_default();
    let got = describe(package, &report);
    if broken.is_empty() {
        v.notes.push(format!(
            "{shown}: {got} as expected{at}{}",
            if report.verdict == Verdict::AC {
                format!(", slowest case {} ms", report.slowest_ms())
            } else {
                String::new()
            }
        ));
    } else {
        v.failures
            .push(format!("{shown}: got {got}{at}: {}", broken.join("; ")));
    }
    // The format asks for slowest accepted × ac_to_time_limit <= the limit: an explicit
    // limit with less margin passes here and may fail on a slower judge.
    let wanted_ms = report.slowest_ms() as f64 * package.limits.ac_to_time_limit;
    if known.expected == Expected::Accepted
        && package.limits.time_ms.is_some()
        && wanted_ms > time_ms as f64
    {
        v.notes.push(format!(
            "warning: {shown}'s slowest case ({} ms) × {} is over the time limit of {time_ms} ms: the limit leaves less margin than the package asks",
            report.slowest_ms(),
            package.limits.ac_to_time_limit
        ));
    }
    Ok(())
}

/// Judges `run`; `None` when the package's own validator does not compile (named once in
/// `v` for all its submissions).
fn judged(
    engine: &Engine,
    run: &PackageRun<'_>,
    cancel: &Cancel,
    v: &mut Verification,
) -> Result<Option<Report>, AuthoringError> {
    match engine.judge_package(run, cancel) {
        Err(e @ JudgeError::ValidatorDoesNotCompile { .. }) => {
            let said = e.to_string();
            if !v.failures.contains(&said) {
                v.failures.push(said);
            }
            Ok(None)
        }
        other => Ok(Some(other?)),
    }
}

/// Whether the clock may have decided a verdict that breaks the rules: it is TLE, or the
/// submission had to be too slow and was not.
fn timing_decided(report: &Report, must_be_too_slow: bool) -> bool {
    must_be_too_slow || report.cases().any(|c| c.verdict == Verdict::TLE)
}

fn describe(package: &Package, report: &Report) -> String {
    if package.scoring && report.verdict == Verdict::AC {
        format!("AC with {}/{}", report.score, report.max_score)
    } else {
        report.verdict.code().to_string()
    }
}

/// A case's verdict as the rules name it; `None` for a judge error (never expected).
fn outcome(verdict: Verdict) -> Option<Outcome> {
    match verdict {
        Verdict::AC => Some(Outcome::AC),
        Verdict::WA => Some(Outcome::WA),
        Verdict::TLE => Some(Outcome::TLE),
        Verdict::RE | Verdict::MLE | Verdict::OLE => Some(Outcome::RTE),
        Verdict::CE | Verdict::JE => None,
    }
}

/// Each rule `report` breaks, in words.
fn rules_broken(rules: &[Rule], report: &Report) -> Vec<String> {
    if report.verdict == Verdict::CE {
        return vec!["it does not compile".into()];
    }
    let cases: Vec<&crate::report::CaseReport> = report
        .samples
        .iter()
        .chain(report.groups.iter().flat_map(|g| g.cases.iter()))
        .collect();
    let mut broken = Vec::new();
    for case in &cases {
        if case.verdict == Verdict::JE {
            broken.push(format!("a judge error on {}", case.name));
        }
    }
    let names = |list: &[Outcome]| list.iter().map(|o| o.name()).collect::<Vec<_>>().join(", ");
    for rule in rules {
        let scope: Vec<&&crate::report::CaseReport> = cases
            .iter()
            .filter(|c| {
                rule.cases
                    .as_deref()
                    .is_none_or(|p| expectations::case_in_scope(p, &c.name))
            })
            .collect();
        let within = rule
            .cases
            .as_deref()
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();
        if let Some(permitted) = &rule.permitted {
            if let Some(case) = scope
                .iter()
                .find(|c| outcome(c.verdict).is_some_and(|o| !permitted.contains(&o)))
            {
                broken.push(format!(
                    "{} on {}, where {} permits only {}",
                    case.verdict.code(),
                    case.name,
                    rule.source,
                    names(permitted)
                ));
            }
        }
        if let Some(required) = &rule.required {
            if !scope
                .iter()
                .any(|c| outcome(c.verdict).is_some_and(|o| required.contains(&o)))
            {
                broken.push(format!(
                    "no case{within} got {} ({} requires one)",
                    names(required),
                    rule.source
                ));
            }
        }
        if let Some((low, high)) = rule.score {
            let score = match &rule.cases {
                None => Some(f64::from(report.score)),
                Some(p) => report
                    .groups
                    .iter()
                    .find(|g| g.name == *p)
                    .map(|g| f64::from(g.score)),
            };
            if score.is_none_or(|s| s < low - 0.5 || s > high + 0.5) {
                broken.push(format!(
                    "score{within} {} is not in {low}..={high} ({})",
                    score.map_or("unknown".to_string(), |s| s.to_string()),
                    rule.source
                ));
            }
        }
        if let Some(message) = &rule.message {
            if !scope.iter().any(|c| {
                c.message
                    .as_deref()
                    .is_some_and(|m| m.contains(message.as_str()))
            }) {
                broken.push(format!(
                    "no case{within} said {message:?} ({})",
                    rule.source
                ));
            }
        }
    }
    broken
}

/// The score part of a folder's meaning: accepted submissions of a scoring problem get
/// the full score, partially accepted ones are accepted with less.
fn score_expectation(
    package: &Package,
    expected: Expected,
    report: &Report,
) -> Result<(), ScoreWanted> {
    let full = report.score >= report.max_score;
    match expected {
        Expected::Accepted if package.scoring && !full => Err(ScoreWanted::Full(report.max_score)),
        Expected::PartiallyAccepted if !package.scoring => Err(ScoreWanted::PartialUnscored),
        Expected::PartiallyAccepted if report.verdict != Verdict::AC || full => {
            Err(ScoreWanted::LessThan(report.max_score))
        }
        _ => Ok(()),
    }
}

/// The score a known submission's folder wanted and its report did not have ("expected ...").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum ScoreWanted {
    #[error("AC with {0}/{0}")]
    Full(u32),
    #[error("AC with a partial score, which only a scoring problem (type: scoring) has")]
    PartialUnscored,
    #[error("AC with less than {0}")]
    LessThan(u32),
}

/// A program's name as the format uses it: its file's base name, or its folder's name.
fn validator_base_name(program: &package::Program) -> String {
    let name = program
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if program.path.is_dir() {
        name.to_string()
    } else {
        name.rsplit_once('.')
            .map_or(name, |(base, _)| base)
            .to_string()
    }
}
