//! Loading a package: problem.yaml read as its version says, the statement, the test data,
//! the validators and grader, the known submissions, and the default validator's flags
//! checked, every mistake a `SpecError` naming file and key.

use std::path::{Path, PathBuf};

use super::yaml::Doc;
use super::{
    expectations, latex, metadata, read_text, testdata, DefaultFlags, Expected, Grading,
    KnownSubmission, Model, Package, Program, TestGroup, PROBLEM_YAML,
};
use crate::problem::spec::SpecError;

/// With the default validator, every group's flags must be ones it takes.
fn check_default_flags(package: &Package, doc: Doc<'_>) -> Result<(), SpecError> {
    if package.output_validator.is_some() {
        return Ok(());
    }
    DefaultFlags::parse(&package.validator_flags)
        .map_err(|e| doc.error("validator_flags", e.to_string()))?;
    for group in package.groups() {
        let own = &group.grading.output_validator_flags;
        if let Err(e) = DefaultFlags::parse(own) {
            let dir = package.dir.join("data").join(&group.name);
            // The group's own file, else the ancestor's it inherits.
            let file = dir
                .ancestors()
                .take_while(|d| d.starts_with(package.dir.join("data")))
                .flat_map(|d| [d.join("testdata.yaml"), d.join("test_group.yaml")])
                .find(|f| f.is_file())
                .unwrap_or(dir);
            return Err(SpecError {
                file,
                line: None,
                key: Some("output_validator_flags".into()),
                message: e.to_string(),
                snippet: None,
                help: None,
            });
        }
    }
    Ok(())
}

/// Loads and checks the package in `dir`.
pub fn load(dir: &Path) -> Result<Package, SpecError> {
    // Absolute: the package's files are bound into boxes (validators, inputs) by path.
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let dir = absolute.as_path();
    let path = dir.join(PROBLEM_YAML);
    let text = read_text(&path)?;
    let doc = Doc {
        path: &path,
        text: &text,
    };
    let meta = metadata::read(doc)?;
    let id = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("problem")
        .to_string();
    let statement = latex::statement(dir, &meta.constants)?;
    let name = meta
        .name
        .clone()
        .or_else(|| statement.as_ref().and_then(|s| s.title.clone()))
        .unwrap_or_else(|| id.clone());
    let mut limits = meta.limits;
    if limits.time_ms.is_none() {
        if let Some((ms, from)) = metadata::outside_time_limit(dir)? {
            limits.time_ms = Some(ms);
            limits.time_from = Some(from);
        }
    }
    let data = dir.join("data");
    let secret_dir = data.join("secret");
    if !secret_dir.is_dir() {
        return Err(SpecError {
            file: secret_dir,
            line: None,
            key: None,
            message: "a package needs its secret test data here".into(),
            snippet: None,
            help: Some("put each test case in data/secret/ as a NAME.in and NAME.ans pair".into()),
        });
    }
    let mut reading = testdata::Reading {
        version: meta.version,
        scoring: meta.scoring,
        model: testdata::model(&data, meta.version)?,
        constants: &meta.constants,
        warnings: meta.warnings.clone(),
    };
    if reading.model == Model::Grader && meta.version.is_modern() {
        reading.warnings.push(format!(
            "the test data files use the legacy graders' keys (on_reject, grader_flags, ...): graded by them, as problemtools grades a {} package that uses them",
            meta.version
        ));
    }
    let root_grading = testdata::root_grading(&data, &mut reading, &meta.legacy_grading)?;
    let samples = if data.join("sample").is_dir() {
        testdata::load_group(
            &data.join("sample"),
            "sample",
            &root_grading,
            testdata::Place::Sample,
            &mut reading,
        )?
    } else {
        TestGroup {
            name: "sample".into(),
            grading: root_grading.clone(),
            items: Vec::new(),
        }
    };
    let secret = testdata::load_group(
        &secret_dir,
        "secret",
        &root_grading,
        testdata::Place::Secret,
        &mut reading,
    )?;
    if secret.cases().is_empty() {
        // Packages whose data a generator makes (BAPCtools' generators.yaml) ship an empty
        // data/secret: still a package to read and show; verify says what it lacks.
        reading.warnings.push(format!(
            "{}: no test cases (the judge runs no generators): submissions are judged on the samples alone",
            secret_dir.display()
        ));
    }
    let validation = testdata::validation_cases(&data, &mut reading)?;
    let mut warnings = reading.warnings;
    for folder in std::fs::read_dir(dir.join("submissions"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for program in programs_in(&folder.path()) {
            if program.is_disabled() {
                warnings.push(format!(
                    "submissions/{}: turned off by its name (.disabled), not judged",
                    program.name()
                ));
            }
        }
    }
    // Said of the package's own files, by their place in it.
    let prefix = format!("{}/", dir.display());
    let mut warnings: Vec<String> = warnings.iter().map(|w| w.replace(&prefix, "")).collect();
    warnings.sort();
    let expectations = expectations::load(dir, meta.version)?;
    let output_validator = output_validator(dir, &meta, doc)?;
    let grader = grader(dir, &data, &root_grading, &samples, &secret, meta.scoring)?;
    let package = Package {
        id,
        dir: dir.to_path_buf(),
        name,
        version: meta.version,
        statement,
        scoring: meta.scoring,
        interactive: meta.interactive,
        output_validator,
        grader,
        validator_flags: meta.validator_flags,
        input_validators: programs_in(&dir.join("input_validators"))
            .into_iter()
            .chain(programs_in(&dir.join("input_format_validators")))
            .collect(),
        limits,
        languages: meta.languages,
        constants: meta.constants,
        root_grading,
        samples,
        secret,
        validation,
        submissions: submissions(dir, &expectations),
        expectations,
        warnings,
    };
    check_default_flags(&package, doc)?;
    Ok(package)
}

/// The output validator: `output_validators/` (legacy: one program inside it) or
/// `output_validator/` (2023-07 and later: the folder is the program, or holds it one
/// folder down, as problemtools' own example does). Required by custom validation and
/// interactive problems, and only used with them.
fn output_validator(
    dir: &Path,
    meta: &metadata::Metadata,
    doc: Doc<'_>,
) -> Result<Option<Program>, SpecError> {
    let modern = dir.join("output_validator");
    let legacy = dir.join("output_validators");
    let program = if modern.is_dir() {
        Some(one_folder_down(&modern))
    } else {
        let mut found = programs_in(&legacy);
        if found.len() > 1 {
            return Err(SpecError {
                file: legacy,
                line: None,
                key: None,
                message: format!(
                    "{} output validators; the judge runs one (every one must accept, and one program can check all)",
                    found.len()
                ),
                snippet: None,
                help: None,
            });
        }
        found.pop()
    };
    // 2023-07 and later have no `validation` key: a package with an output_validator/
    // uses it.
    let custom = meta.custom_validation || modern.is_dir();
    match (custom, program) {
        (true, None) => Err(doc
            .error(
                if meta.interactive && doc.text.contains("type:") {
                    "type"
                } else {
                    "validation"
                },
                "custom validation needs an output validator, and the package has none",
            )
            .help("put the validator program in output_validators/ (or output_validator/ from 2023-07 on)")),
        (true, Some(p)) if p.language.is_none() && !p.has_build_or_run() => Err(SpecError {
            file: p.path,
            line: None,
            key: None,
            message: "the output validator is in no language the judge builds, and has no build or run script".into(),
            snippet: None,
            help: Some("write it in C++ (.cpp, .cc), C, Rust (.rs) or Python 3 (.py), or give its folder a `build` or `run` script".into()),
        }),
        (true, p) => Ok(p),
        (false, _) => Ok(None),
    }
}

/// The program in `folder`: the folder itself, or, when it holds no file of its own but
/// one folder, that folder.
fn one_folder_down(folder: &Path) -> Program {
    match program_paths(folder).as_slice() {
        [only] if only.is_dir() => Program::at(only),
        _ => Program::at(folder),
    }
}

/// Notes and leftovers beside programs: hidden files, READMEs, Markdown.
fn is_note(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.')
        || name.to_ascii_uppercase().starts_with("README")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("txt"))
}

/// The custom grader in `graders/` (legacy format), required when a group says
/// `grading: custom`, which only scoring problems may.
fn grader(
    dir: &Path,
    data: &Path,
    root: &Grading,
    samples: &TestGroup,
    secret: &TestGroup,
    scoring: bool,
) -> Result<Option<Program>, SpecError> {
    let mut found = programs_in(&dir.join("graders"));
    if found.len() > 1 {
        return Err(SpecError {
            file: dir.join("graders"),
            line: None,
            key: None,
            message: format!("{} graders; the format allows one", found.len()),
            snippet: None,
            help: None,
        });
    }
    let grader = found.pop();
    let custom = std::iter::once(("", root))
        .chain(
            samples
                .groups()
                .into_iter()
                .chain(secret.groups())
                .map(|g| (g.name.as_str(), &g.grading)),
        )
        .find(|(_, g)| g.custom_grader);
    let Some((name, _)) = custom else {
        return Ok(grader);
    };
    // The settings file that says it: the group's own, else the closest ancestor's.
    let file = Path::new(name)
        .ancestors()
        .map(|a| data.join(a))
        .flat_map(|d| [d.join("testdata.yaml"), d.join("test_group.yaml")])
        .find(|f| f.is_file())
        .unwrap_or_else(|| data.join("testdata.yaml"));
    let text = read_text(&file).unwrap_or_default();
    let doc = Doc {
        path: &file,
        text: &text,
    };
    if !scoring {
        return Err(doc.error(
            "grading",
            "`grading: custom` is for scoring problems (`type: scoring`): a pass-fail problem's verdict is the default grader's",
        ));
    }
    match grader {
        None => Err(doc
            .error(
                "grading",
                "`grading: custom` needs a grader program in graders/, and the package has none",
            )
            .help("put the grader in graders/, or set the default grader's modes with `grader_flags`")),
        Some(g) if g.language.is_none() && !g.has_build_or_run() => Err(SpecError {
            file: g.path,
            line: None,
            key: None,
            message: "the grader is in no language the judge builds, and has no build or run script".into(),
            snippet: None,
            help: Some("write it in C++, C, Rust or Python 3, or give its folder a `build` or `run` script".into()),
        }),
        some => Ok(some),
    }
}

/// The programs in a folder of programs: each file or folder is one.
fn programs_in(dir: &Path) -> Vec<Program> {
    program_paths(dir).iter().map(|p| Program::at(p)).collect()
}

/// The entries of a folder of programs, in name order; notes and build leftovers are not
/// programs.
fn program_paths(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !is_note(p))
        .collect();
    entries.sort();
    entries
}

/// Every program under `submissions/<expected>/`, in folder then name order (from 2023-07
/// on also the folders submissions.yaml gives requirements); folders of other names are
/// not known submissions.
fn submissions(dir: &Path, expectations: &expectations::Expectations) -> Vec<KnownSubmission> {
    let mut folders: Vec<(Expected, PathBuf)> = std::fs::read_dir(dir.join("submissions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let expected = Expected::from_folder(&name).or_else(|| {
                (!expectations.applying(&format!("{name}/x")).rules.is_empty())
                    .then_some(Expected::Other)
            })?;
            Some((expected, e.path()))
        })
        .collect();
    folders.sort_by(|a, b| a.1.cmp(&b.1));
    folders
        .into_iter()
        .flat_map(|(expected, folder)| {
            programs_in(&folder)
                .into_iter()
                .filter(|p| !p.is_disabled())
                .map(move |program| KnownSubmission { program, expected })
        })
        .collect()
}
