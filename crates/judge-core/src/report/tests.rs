//! Helpers other modules' tests build reports with, and the record's own tests.

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

#[test]
fn verdict_folders() {
    assert_eq!(Verdict::from_folder("wrong_answer"), Some(Verdict::WA));
    assert_eq!(Verdict::from_folder("TLE"), Some(Verdict::TLE));
    assert_eq!(Verdict::from_folder("partial"), None);
}
