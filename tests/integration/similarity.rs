//! `judge similarity`: a copy disguised by renaming, reordering and rewritten comments is
//! found, independent solutions of the bank are not taken for copies, code everyone was
//! given or writes does not count, and every bad input is named.

use std::path::Path;

use serde_json::Value;

use crate::{fixture, judge, repo};

/// The score of the best pair of a `--json` comparison.
fn best(j: &Value) -> f64 {
    j["pairs"][0]["score"].as_f64().unwrap_or(0.0)
}

#[test]
fn a_disguised_copy_scores_high_and_shows_where() {
    // copy.rs is this bank submission with every variable and function renamed, the
    // functions in another order and the comments rewritten.
    let original = repo()
        .join("problems/decision-tree/submissions/AC/float_gini.rs")
        .display()
        .to_string();
    let copy = fixture("similarity/copied/copy.rs");
    let args = ["similarity", &original, &copy, "--problem", "decision-tree"];
    let r = judge(&[&args[..], &["--json"]].concat());
    r.code(0);
    let j = r.json();
    assert_eq!(j["schema"], 1);
    assert_eq!(j["pairs_compared"], 1);
    assert!(best(&j) >= 0.8, "{j:#}");
    let regions = j["pairs"][0]["regions"].as_array().unwrap();
    // The moved functions are found where each text has them: build/grow, the longest.
    assert!(
        regions
            .iter()
            .any(|r| r["a_from"] == 36 && r["b_from"] == 38),
        "{regions:#?}"
    );
    judge(&args)
        .code(0)
        .stdout_has("float_gini.rs ~ ")
        .stdout_has("fn build(x: &Array2<f64>, y: &[i64], idx: Vec<usize>, dep")
        .stdout_has(" | ")
        .stdout_has("fn grow(data: &Array2<f64>, target: &[i64], rows: Vec<usi");
}

#[test]
fn independent_solutions_of_the_bank_score_low() {
    // Each problem's reference and its accepted submissions were written apart.
    let bank = repo();
    let mut checked = 0;
    for entry in std::fs::read_dir(bank.join("problems")).unwrap() {
        let dir = entry.unwrap().path();
        let accepted = dir.join("submissions/AC");
        if !accepted.is_dir() {
            continue;
        }
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        let reference = bank
            .join("reference")
            .join(format!("{}.rs", id.replace('-', "_")));
        let r = judge(&[
            "similarity",
            &reference.display().to_string(),
            &accepted.display().to_string(),
            "--problem",
            &id,
            "--json",
        ]);
        r.code(0);
        let j = r.json();
        for pair in j["pairs"].as_array().unwrap() {
            let score = pair["score"].as_f64().unwrap();
            assert!(
                score < 0.3,
                "{id}: {} ~ {} score {score}",
                pair["a"],
                pair["b"]
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} problems");
}

#[test]
fn the_stub_everyone_is_given_does_not_count() {
    let stub = judge(&["show", "knn", "--stub"]);
    stub.code(0);
    let dir = tempfile::tempdir().unwrap();
    // Two submissions that are the stub and nothing else of their own.
    for name in ["a.rs", "b.rs"] {
        std::fs::write(dir.path().join(name), &stub.stdout).unwrap();
    }
    let path = dir.path().display().to_string();
    let without = judge(&["similarity", &path, "--json"]);
    assert!(best(&without.json()) > 0.9, "{}", without.stdout);
    let with = judge(&["similarity", &path, "--problem", "knn", "--json"]);
    let j = with.json();
    assert_eq!(j["pairs"], serde_json::json!([]), "{j:#}");
    assert!(j["ignored"]["base"].as_u64().unwrap() > 0, "{j:#}");
    judge(&["similarity", &path, "--problem", "knn"])
        .code(0)
        .stdout_has("no two submissions share a fingerprint that counts");
}

#[test]
fn code_most_submissions_share_does_not_count() {
    // Four submissions share a long helper (as if handed out); two of them also share
    // their own code. Only the pair that copied is found.
    let dir = tempfile::tempdir().unwrap();
    let helper = std::fs::read_to_string(repo().join("reference/knn.rs")).unwrap();
    let own = std::fs::read_to_string(repo().join("reference/kmeans.rs")).unwrap();
    let others = [
        std::fs::read_to_string(repo().join("reference/t_value.rs")).unwrap(),
        std::fs::read_to_string(repo().join("reference/fill_none.rs")).unwrap(),
    ];
    let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
    write("a.rs", format!("{helper}\n{own}"));
    write("b.rs", format!("{own}\n{helper}"));
    write("c.rs", format!("{helper}\n{}", others[0]));
    write("d.rs", format!("{}\n{helper}", others[1]));
    let j = judge(&["similarity", &dir.path().display().to_string(), "--json"]).json();
    assert!(j["ignored"]["common"].as_u64().unwrap() > 0, "{j:#}");
    let pairs = j["pairs"].as_array().unwrap();
    assert!(pairs[0]["a"].as_str().unwrap().ends_with("a.rs"), "{j:#}");
    assert!(pairs[0]["b"].as_str().unwrap().ends_with("b.rs"), "{j:#}");
    assert!(best(&j) > 0.8, "{j:#}");
    // The others share only the helper, which does not count (and where it meets their
    // own code, a fingerprint or so).
    for p in &pairs[1..] {
        assert!(p["score"].as_f64().unwrap() < 0.05, "{pairs:#?}");
    }
}

#[test]
fn languages_are_told_apart_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let squares = "#include <stdio.h>\nint main(void) {\n  int total = 0;\n  for (int i = 0; i < 10; i++) {\n    total += i * i;\n  }\n  printf(\"%d\\n\", total);\n  return 0;\n}\n";
    let renamed = "#include <stdio.h>\n\n/* sum of squares */\nint main(void)\n{\n    int acc = 0;\n    for (int k = 0; k < 10; k++)\n        { acc += k * k; }\n    printf(\"%d\\n\", acc);\n    return 0;\n}\n";
    let python = "import sys\n\ndef main():\n    total = 0\n    for i in range(10):\n        total += i * i  # squares\n    print(total)\n\nmain()\n";
    std::fs::write(dir.path().join("one.c"), squares).unwrap();
    std::fs::write(dir.path().join("two.c"), renamed).unwrap();
    std::fs::write(dir.path().join("three.py"), python).unwrap();
    std::fs::write(
        dir.path().join("four.py"),
        python.replace("total", "s").replace("# squares", ""),
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "not code").unwrap();
    let run = judge(&[
        "similarity",
        &dir.path().display().to_string(),
        "--json",
        "--k",
        "8",
        "--window",
        "4",
    ]);
    run.code(0);
    let j = run.json();
    let languages: Vec<&str> = j["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["Python", "C", "Python", "C"], "{j:#}");
    assert_eq!(
        j["skipped"][0]["why"],
        "not a language the comparison knows"
    );
    let pairs = j["pairs"].as_array().unwrap();
    let pair_of = |a: &str, b: &str| {
        pairs.iter().find(|p| {
            let (x, y) = (p["a"].as_str().unwrap(), p["b"].as_str().unwrap());
            (x.ends_with(a) && y.ends_with(b)) || (x.ends_with(b) && y.ends_with(a))
        })
    };
    assert_eq!(
        pair_of("one.c", "two.c").map(|p| p["score"].as_f64()),
        Some(Some(1.0)),
        "{j:#}"
    );
    assert_eq!(
        pair_of("four.py", "three.py").map(|p| p["score"].as_f64()),
        Some(Some(1.0)),
        "{j:#}"
    );
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    std::fs::write(dir.path().join("a.rs"), "fn main() {}").unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/README.md"), "# docs").unwrap();
    judge(&["similarity", &path("a.rs"), &path("notes.txt")])
        .code(2)
        .stderr_has(&format!(
            "error: {}: not a language the comparison knows (it knows files ending in .rs, .c, .h, .cc, .cpp",
            path("notes.txt")
        ));
    judge(&["similarity", &path("a.rs"), &path("empty")])
        .code(2)
        .stderr_has(&format!(
            "error: {} holds no submissions: no file ending in .rs",
            path("empty")
        ));
    judge(&["similarity", &path("a.rs"), &path("docs")])
        .code(2)
        .stderr_has(&format!("error: {} holds no submissions", path("docs")));
    judge(&["similarity", &path("a.rs")])
        .code(2)
        .stderr_has("error: nothing to compare: 1 submission(s) found, at least two are needed");
    judge(&["similarity", &path("a.rs"), &path("missing.rs")])
        .code(2)
        .stderr_has(&format!(
            "error: {}: no such file or folder",
            path("missing.rs")
        ));
    judge(&[
        "similarity",
        &path("a.rs"),
        &path("a.rs"),
        "--base",
        &path("nothing.rs"),
    ])
    .code(2)
    .stderr_has(&format!(
        "error: cannot read the base file {}",
        path("nothing.rs")
    ));
    judge(&[
        "similarity",
        &path("a.rs"),
        &path("a.rs"),
        "--problem",
        "no-such-problem",
    ])
    .code(2)
    .stderr_has("no-such-problem");
    judge(&[
        "similarity",
        &path("a.rs"),
        &path("a.rs"),
        "--common",
        "1.5",
    ])
    .code(2)
    .stderr_has("1.5 is not a share between 0 (excluded) and 1");
    judge(&["similarity"]).code(2).stderr_has("<FILE|DIR>");
    std::fs::write(dir.path().join("huge.rs"), "x".repeat((1 << 20) + 1)).unwrap();
    judge(&["similarity", &path("a.rs"), &path("huge.rs")])
        .code(2)
        .stderr_has(&format!(
            "error: {} is larger than 1024 KiB: not a submission",
            path("huge.rs")
        ));
}

#[test]
fn a_folder_is_walked_without_following_links_or_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("alice")).unwrap();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    let code = std::fs::read_to_string(repo().join("reference/knn.rs")).unwrap();
    std::fs::write(d.join("alice/main.rs"), &code).unwrap();
    std::fs::write(d.join("bob.rs"), &code).unwrap();
    std::fs::write(d.join(".git/hidden.rs"), &code).unwrap();
    std::os::unix::fs::symlink(d.join("bob.rs"), d.join("link.rs")).unwrap();
    std::os::unix::fs::symlink(d, d.join("alice/loop")).unwrap();
    let j = judge(&["similarity", &d.display().to_string(), "--json"]).json();
    let names: Vec<String> = j["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let name = s["name"].as_str().unwrap();
            Path::new(name)
                .strip_prefix(d)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["alice/main.rs", "bob.rs"], "{j:#}");
    assert!((best(&j) - 1.0).abs() < 1e-9, "{j:#}");
}
