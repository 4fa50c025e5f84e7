use super::*;

fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const MINIMAL: &[(&str, &str)] = &[
    ("problem.yaml", "name: Sum\n"),
    ("data/sample/1.in", "1 2\n"),
    ("data/sample/1.ans", "3\n"),
    ("data/secret/a.in", "5 5\n"),
    ("data/secret/a.ans", "10\n"),
];

#[test]
fn a_minimal_package_loads_with_the_legacy_defaults() {
    let dir = package(MINIMAL);
    let p = load(dir.path()).unwrap();
    assert_eq!(p.name, "Sum");
    assert_eq!(p.cases().len(), 2);
    assert_eq!(p.secret.cases()[0].name, "secret/a");
    assert_eq!(p.limits.time_ms, None);
    assert_eq!(p.version, FormatVersion::Legacy);
    assert!((p.limits.ac_to_time_limit - 5.0).abs() < 1e-9);
    assert!(!p.scoring && !p.interactive && p.output_validator.is_none());
}

#[test]
fn draft_limits_and_types_are_read() {
    let mut files = MINIMAL.to_vec();
    files[0] = (
        "problem.yaml",
        "problem_format_version: 2023-07-draft\nname:\n  en: Sum\ntype: [scoring]\nlimits:\n  time_limit: 1.5\n  memory: 64\n  time_multipliers:\n    ac_to_time_limit: 3\n",
    );
    let dir = package(&files);
    let p = load(dir.path()).unwrap();
    assert!(p.scoring);
    assert_eq!(p.limits.time_ms, Some(1500));
    assert_eq!(p.limits.memory_mb, 64);
    assert!((p.limits.ac_to_time_limit - 3.0).abs() < 1e-9);
    assert!((p.limits.time_limit_to_tle - 1.5).abs() < 1e-9);
}

#[test]
fn a_case_without_its_answer_is_named() {
    let mut files = MINIMAL.to_vec();
    files.push(("data/secret/b.in", "1\n"));
    let dir = package(&files);
    let e = load(dir.path()).unwrap_err();
    assert!(e.file.ends_with("data/secret/b.in"), "{e}");
    assert!(e.message.contains("no answer file b.ans"), "{e}");
}

#[test]
fn custom_validation_needs_a_validator() {
    let mut files = MINIMAL.to_vec();
    files[0] = ("problem.yaml", "name: Sum\nvalidation: custom\n");
    let dir = package(&files);
    let e = load(dir.path()).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("validation"));
    assert_eq!(e.line, Some(2));
}

#[test]
fn nested_groups_keep_their_order_and_grading() {
    let mut files = MINIMAL.to_vec();
    files.extend([
        ("problem.yaml", "name: Sum\ntype: scoring\n"),
        ("data/secret/g2/1.in", ""),
        ("data/secret/g2/1.ans", ""),
        (
            "data/secret/g1/testdata.yaml",
            "grader_flags: min\naccept_score: 30\non_reject: continue\n",
        ),
        ("data/secret/g1/1.in", ""),
        ("data/secret/g1/1.ans", ""),
    ]);
    files.remove(0);
    let dir = package(&files);
    let p = load(dir.path()).unwrap();
    let names: Vec<&str> = p.secret.cases().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["secret/a", "secret/g1/1", "secret/g2/1"]);
    let g1 = p.secret.group_of("secret/g1/1").unwrap();
    assert_eq!(g1.grading.score_mode, ScoreMode::Min);
    assert!(!g1.grading.on_reject_break);
    assert!((g1.grading.accept_score - 30.0).abs() < 1e-9);
    let g2 = p.secret.group_of("secret/g2/1").unwrap();
    assert_eq!(g2.grading, Grading::default());
}

#[test]
fn default_validator_flags_are_checked_where_written() {
    let mut files = MINIMAL.to_vec();
    files[0] = (
        "problem.yaml",
        "name: Sum\nvalidator_flags: float_tolerance x\n",
    );
    let dir = package(&files);
    let e = load(dir.path()).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("validator_flags"));
    assert!(e.message.contains("found `x`"), "{e}");
    let mut files = MINIMAL.to_vec();
    files.push((
        "data/secret/testdata.yaml",
        "output_validator_flags: casesensitive\n",
    ));
    let dir = package(&files);
    let e = load(dir.path()).unwrap_err();
    assert!(e.file.ends_with("data/secret/testdata.yaml"), "{e}");
    assert!(e.message.contains("unknown flag `casesensitive`"), "{e}");
    let mut files = MINIMAL.to_vec();
    files[0] = (
        "problem.yaml",
        "name: Sum\nvalidator_flags: case_sensitive float_tolerance 1e-6\n",
    );
    let p = load(package(&files).path()).unwrap();
    let flags = p.default_flags(p.cases()[0]);
    assert!(flags.case_sensitive && flags.floats());
}

#[test]
fn legacy_group_files_inherit_key_by_key() {
    let mut files = MINIMAL.to_vec();
    files.extend([
        ("problem.yaml", "name: Sum\ntype: scoring\n"),
        (
            "data/secret/testdata.yaml",
            "on_reject: continue\ngrader_flags: min\naccept_score: 40\n",
        ),
        (
            "data/secret/a/testdata.yaml",
            "output_validator_flags: case_sensitive\n",
        ),
        ("data/secret/a/1.in", ""),
        ("data/secret/a/1.ans", ""),
        ("data/secret/b/testdata.yaml", "grader_flags: max\n"),
        ("data/secret/b/1.in", ""),
        ("data/secret/b/1.ans", ""),
    ]);
    files.remove(0);
    let p = load(package(&files).path()).unwrap();
    assert_eq!(p.version, FormatVersion::Legacy);
    let a = &p.secret.group_of("secret/a/1").unwrap().grading;
    assert!(!a.on_reject_break, "inherited from the parent's file");
    assert_eq!(a.score_mode, ScoreMode::Min);
    assert!((a.accept_score - 40.0).abs() < 1e-9);
    assert_eq!(a.output_validator_flags, ["case_sensitive"]);
    let b = &p.secret.group_of("secret/b/1").unwrap().grading;
    assert!(!b.on_reject_break, "the legacy spec inherits each key, too");
    assert_eq!(b.score_mode, ScoreMode::Max);
    assert!((b.accept_score - 40.0).abs() < 1e-9);
}

#[test]
fn draft_groups_use_the_result_aggregation_and_do_not_inherit_it() {
    let files = [
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\nname: Sum\ntype: scoring\n",
        ),
        ("data/sample/1.in", "1\n"),
        ("data/sample/1.ans", "1\n"),
        (
            "data/secret/1-small/test_group.yaml",
            "scoring:\n  score: 30\n  aggregation: min\noutput_validator_args: [case_sensitive]\n",
        ),
        ("data/secret/1-small/1.in", ""),
        ("data/secret/1-small/1.ans", ""),
        ("data/secret/2-large/test_group.yaml", "max_score: 70\n"),
        ("data/secret/2-large/sub/1.in", ""),
        ("data/secret/2-large/sub/1.ans", ""),
        ("data/secret/2-large/1.yaml", "args: [big]\n"),
        ("data/secret/2-large/1.in", ""),
        ("data/secret/2-large/1.ans", ""),
    ];
    let p = load(package(&files).path()).unwrap();
    assert_eq!(p.root_grading.model, Model::Aggregation);
    assert_eq!(p.secret.grading.aggregation, Aggregation::Sum);
    assert_eq!(p.secret.grading.max_score, Some(100.0));
    let small = &p.secret.group_of("secret/1-small/1").unwrap().grading;
    assert_eq!(small.aggregation, Aggregation::Min);
    assert_eq!(small.max_score, Some(30.0));
    let large = p.secret.group_of("secret/2-large/1").unwrap();
    assert_eq!(large.grading.aggregation, Aggregation::PassFail);
    assert_eq!(large.grading.max_score, Some(70.0));
    // A folder inside a group is no group: its cases are the group's.
    assert!(std::ptr::eq(
        large,
        p.secret.group_of("secret/2-large/sub/1").unwrap()
    ));
    let case = p.secret.cases()[1];
    assert_eq!(p.case_args(case), ["big"]);
    let e = load(
        package(&[
            files[0],
            ("data/secret/g/test_group.yaml", "on_reject: continue\n"),
            ("data/secret/g/1.in", ""),
            ("data/secret/g/1.ans", ""),
            ("data/secret/h/test_group.yaml", "max_score: 5\n"),
            ("data/secret/h/1.in", ""),
            ("data/secret/h/1.ans", ""),
        ])
        .path(),
    )
    .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("on_reject"));
    assert!(e.message.contains("one or the other"), "{e}");
}

#[test]
fn ignore_sample_belongs_to_the_root() {
    let mut files = MINIMAL.to_vec();
    files.push(("data/testdata.yaml", "grader_flags: ignore_sample\n"));
    let p = load(package(&files).path()).unwrap();
    assert!(p.root_grading.ignore_sample);
    assert!(!p.secret.grading.ignore_sample);
    let mut files = MINIMAL.to_vec();
    files.push(("data/secret/testdata.yaml", "grader_flags: ignore_sample\n"));
    let e = load(package(&files).path()).unwrap_err();
    assert!(
        e.message.contains("only be used in data/testdata.yaml"),
        "{e}"
    );
}

#[test]
fn scores_need_a_scoring_problem() {
    let mut files = MINIMAL.to_vec();
    files.push(("data/secret/testdata.yaml", "accept_score: 3\n"));
    let dir = package(&files);
    let e = load(dir.path()).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("accept_score"));
    assert!(e.file.ends_with("data/secret/testdata.yaml"));
}

#[test]
fn submissions_are_found_by_folder_and_language() {
    let mut files = MINIMAL.to_vec();
    files.extend([
        ("submissions/accepted/a.rs", "fn main() {}"),
        ("submissions/accepted/b.py", ""),
        ("submissions/wrong_answer/dir/main.rs", "fn main() {}"),
        ("submissions/notes/x.rs", ""),
    ]);
    let dir = package(&files);
    let p = load(dir.path()).unwrap();
    let seen: Vec<(String, Expected, Option<Language>)> = p
        .submissions
        .iter()
        .map(|s| (s.program.name(), s.expected, s.program.language))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "accepted/a.rs".into(),
                Expected::Accepted,
                Some(Language::Rust)
            ),
            (
                "accepted/b.py".into(),
                Expected::Accepted,
                Some(Language::Python)
            ),
            (
                "wrong_answer/dir".into(),
                Expected::WrongAnswer,
                Some(Language::Rust)
            ),
        ]
    );
}
