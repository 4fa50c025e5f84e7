//! The load: the mix of AC, WA, TLE and CE sources on t-value and knn, each made a source
//! never seen before, and the judge command both sides run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use crate::cli_side::Judged;
use crate::common::{bench_dir, repo};

pub(crate) const JUDGE: &str = env!("CARGO_BIN_EXE_judge");

/// One kind of submission: a known solution of the bank, or one made not to compile.
pub(crate) struct Kind {
    pub(crate) problem: &'static str,
    pub(crate) file: &'static str,
    pub(crate) expect: &'static str,
}

pub(crate) const T_AC: &str = "problems/t-value/submissions/AC/two_pass.rs";

pub(crate) const T_WA_POP: &str = "problems/t-value/submissions/WA/population_std.rs";

pub(crate) const T_WA_ONE: &str = "problems/t-value/submissions/WA/one_pass_variance.rs";

pub(crate) const K_AC: &str = "problems/knn/submissions/AC/sort_all.rs";

pub(crate) const K_WA_MAN: &str = "problems/knn/submissions/WA/manhattan.rs";

pub(crate) const K_WA_TIE: &str = "problems/knn/submissions/WA/tie_smallest_label.rs";

pub(crate) const K_TLE: &str = "problems/knn/submissions/TLE/selection_sort.rs";

pub(crate) const fn kind(problem: &'static str, file: &'static str, expect: &'static str) -> Kind {
    Kind {
        problem,
        file,
        expect,
    }
}

/// Twenty submissions, repeated: 7 AC, 8 WA, 4 CE, 1 TLE (whose two large cases take
/// two seconds of CPU each).
pub(crate) const MIX: [Kind; 20] = [
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_POP, "WA"),
    kind("knn", K_WA_MAN, "WA"),
    kind("t-value", T_AC, "CE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_WA_TIE, "WA"),
    kind("t-value", T_WA_ONE, "WA"),
    kind("knn", K_AC, "CE"),
    kind("knn", K_TLE, "TLE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_POP, "WA"),
    kind("knn", K_WA_MAN, "WA"),
    kind("t-value", T_AC, "CE"),
    kind("t-value", T_AC, "AC"),
    kind("knn", K_AC, "AC"),
    kind("t-value", T_WA_ONE, "WA"),
    kind("knn", K_AC, "CE"),
    kind("knn", K_WA_TIE, "WA"),
];

pub(crate) fn cache() -> PathBuf {
    bench_dir().join("serve-cache")
}

/// The judge with the bench's cache and the repository's bank.
pub(crate) fn judge_command() -> Command {
    let mut c = Command::new(JUDGE);
    c.current_dir(repo())
        .env("JUDGE_CACHE_DIR", cache())
        .env("JUDGE_BANK", repo())
        .env("XDG_DATA_HOME", bench_dir().join("serve-xdg"))
        .env_remove("JUDGE_CACHE_MAX");
    c
}

/// Submission `i`'s source in `phase`: a known solution with a comment of its own (so its
/// build and report are new), made not to compile for a CE.
pub(crate) fn source(nonce: &str, phase: &str, i: usize) -> (&'static Kind, String) {
    let kind = &MIX[i % MIX.len()];
    let base = std::fs::read_to_string(repo().join(kind.file)).expect("a bank solution");
    let mut text = format!("// serve bench {nonce} {phase} {i}\n{base}");
    if kind.expect == "CE" {
        text.push_str("\npub fn bench_broken() -> u32 {\n    \"not a number\"\n}\n");
    }
    (kind, text)
}

/// "AC 70, WA 80, ..." and how many were not what their kind expects, or came cached.
pub(crate) fn mix(judged: &[Judged]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for j in judged {
        *counts.entry(j.verdict.as_str()).or_default() += 1;
    }
    let unexpected = judged.iter().filter(|j| j.verdict != j.expect).count();
    let cached = judged.iter().filter(|j| j.cached).count();
    let list: Vec<String> = counts.iter().map(|(v, n)| format!("{v} {n}")).collect();
    format!(
        "{} ({unexpected} not as expected, {cached} cached)",
        list.join(", ")
    )
}
