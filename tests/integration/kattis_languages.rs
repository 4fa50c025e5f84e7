//! Stdin/stdout problems in every language of the table (issue 28 item 2, issue 29): C,
//! C++, Python 3 and Java (Kotlin where kotlinc is installed) beside Rust, compiled once in
//! a box and cached, run in the same boxes with the same verdicts; the vendored packages'
//! own submissions each get the verdict their folder names.
//!
//! A test whose toolchain is missing says SKIPPED outside CI and fails under CI=true (.ci/run
//! installs gcc, g++, a JDK and Debian's kotlin, which compiles Kotlin 1.3).

use std::path::Path;

use crate::kattis::{sum_files, SUM_YAML};
use crate::{fixture, judge, judge_in, Run};

/// The program each language needs, found on PATH.
fn tools(id: &str) -> &'static [&'static str] {
    match id {
        "c" => &["gcc"],
        "cpp" => &["g++"],
        "python" => &["python3"],
        "java" => &["javac", "java"],
        "kotlin" => &["kotlinc", "java"],
        _ => &[],
    }
}

/// Whether every language of `ids` is installed; says SKIPPED (naming `test` and what is
/// missing) when not, and fails under CI=true.
pub fn installed(ids: &[&str], test: &str) -> bool {
    let missing: Vec<&str> = ids
        .iter()
        .flat_map(|id| tools(id).iter())
        .copied()
        .filter(|tool| !on_path(tool))
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none_or(|v| v != "true"),
        "{test}: {} not installed, and CI=true requires it (.ci/run installs it)",
        missing.join(", ")
    );
    eprintln!("SKIPPED {test}: {} not installed", missing.join(", "));
    false
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn add() -> String {
    fixture("kattis/add")
}

fn wild(name: &str) -> String {
    fixture(&format!("kattis/wild/{name}"))
}

/// `source` written as `name` in a temporary folder and submitted to `package` as JSON,
/// with `extra` arguments.
fn submit_as(package: &str, name: &str, source: &str, extra: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, source).unwrap();
    let mut args = vec!["submit", package, file.to_str().unwrap(), "--json"];
    args.extend(extra);
    let run = judge(&args);
    (dir, run)
}

/// `source` written as `name` and submitted to the `add` package, when language `id` is
/// installed here; else None, once `installed` said `test` skipped it.
fn submit_in(id: &str, test: &str, name: &str, source: &str) -> Option<(tempfile::TempDir, Run)> {
    installed(&[id], &format!("{test} ({id})")).then(|| submit_as(&add(), name, source, &[]))
}

fn verdict(run: &Run) -> String {
    run.json()["verdict"].as_str().unwrap_or("").to_string()
}

const ADD_C: &str = "#include <stdio.h>\nint main(void) { long long a, s = 0; while (scanf(\"%lld\", &a) == 1) s += a; printf(\"%lld\\n\", s); return 0; }\n";
const ADD_CPP: &str = "#include <iostream>\nint main() { long long a, s = 0; while (std::cin >> a) s += a; std::cout << s << '\\n'; }\n";
const ADD_PY: &str = "import sys\nprint(sum(int(w) for w in sys.stdin.read().split()))\n";
const ADD_JAVA: &str = "import java.util.*;\npublic class Adder {\n  public static void main(String[] args) {\n    Scanner in = new Scanner(System.in);\n    long s = 0;\n    while (in.hasNextLong()) s += in.nextLong();\n    System.out.println(s);\n  }\n}\n";
// Kotlin 1.3, as Debian packages it.
const ADD_KT: &str = "fun main() {\n    var total = 0L\n    while (true) {\n        val line = readLine() ?: break\n        for (w in line.split(' ')) if (w.isNotEmpty()) total += w.toLong()\n    }\n    println(total)\n}\n";

#[test]
fn a_right_program_is_accepted_in_every_language() {
    for (id, name, source) in [
        ("c", "add.c", ADD_C),
        ("cpp", "add.cpp", ADD_CPP),
        ("python", "add.py", ADD_PY),
        // The file's name is not its class's: javac gets it as Adder.java.
        ("java", "solution.java", ADD_JAVA),
        ("kotlin", "add.kt", ADD_KT),
    ] {
        let Some((_d, run)) = submit_in(
            id,
            "a_right_program_is_accepted_in_every_language",
            name,
            source,
        ) else {
            continue;
        };
        run.code(0);
        assert_eq!(verdict(&run), "AC", "{id}: {}", run.stdout);
        assert_eq!(
            run.json()["groups"][0]["cases"].as_array().unwrap().len(),
            3
        );
    }
}

#[test]
fn lang_names_a_language_the_extension_does_not() {
    if !installed(
        &["cpp", "c"],
        "lang_names_a_language_the_extension_does_not",
    ) {
        return;
    }
    let (_d, run) = submit_as(&add(), "add.txt", ADD_CPP, &["--lang", "cpp"]);
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    // C++ judged as C is C's compile error, never quietly C++.
    let (_d, run) = submit_as(&add(), "add.cpp", ADD_CPP, &["--lang", "c"]);
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
    assert!(run.json()["compile"]["stderr"]
        .as_str()
        .unwrap()
        .contains("iostream"));
}

#[test]
fn a_compile_error_is_ce_with_the_compilers_own_message() {
    for (id, name, source, said) in [
        (
            "c",
            "bad.c",
            "int main(void) { return x; }\n",
            "'x' undeclared",
        ),
        ("cpp", "bad.cpp", "int main( {\n", "error: expected"),
        // An interpreter's syntax error is found before any case runs.
        (
            "python",
            "bad.py",
            "print(1\n",
            "SyntaxError: '(' was never closed",
        ),
        (
            "java",
            "Bad.java",
            "public class Bad { void f() { int x = \"s\"; } }\n",
            "incompatible types: String cannot be converted to int",
        ),
    ] {
        let Some((_d, run)) = submit_in(
            id,
            "a_compile_error_is_ce_with_the_compilers_own_message",
            name,
            source,
        ) else {
            continue;
        };
        run.code(1);
        let json = run.json();
        assert_eq!(json["verdict"], "CE", "{id}: {}", run.stdout);
        let stderr = json["compile"]["stderr"].as_str().unwrap();
        assert!(stderr.contains(said), "{id}: {stderr}");
        assert!(
            stderr.contains(name),
            "the message names the file: {stderr}"
        );
        assert!(json["groups"].as_array().unwrap().is_empty(), "nothing ran");
    }
}

#[test]
fn runtime_failures_get_the_same_verdicts_in_every_language() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("python", "raise.py", "raise ValueError('no')\n", "RE"),
        ("python", "spin.py", "while True:\n    pass\n", "TLE"),
        ("python", "wrong.py", "print(0)\n", "WA"),
        ("java", "Main.java", "public class Main { public static void main(String[] a) { System.out.println(1 / (a.length - a.length)); } }\n", "RE"),
        ("java", "Spin.java", "public class Spin { public static void main(String[] a) { long x = 0; while (x >= 0) x = (x * 31 + 7) % 1000003; } }\n", "TLE"),
        ("c", "abort.c", "#include <stdlib.h>\nint main(void) { abort(); }\n", "RE"),
        ("cpp", "spin.cpp", "int main() { volatile unsigned long x = 0; for (;;) x++; }\n", "TLE"),
    ];
    for (id, name, source, expected) in cases {
        let Some((_d, run)) = submit_in(
            id,
            "runtime_failures_get_the_same_verdicts_in_every_language",
            name,
            source,
        ) else {
            continue;
        };
        assert_eq!(&verdict(&run), expected, "{id} {name}: {}", run.stdout);
    }
}

#[test]
fn a_build_is_cached_by_its_content() {
    if !installed(&["java"], "a_build_is_cached_by_its_content") {
        return;
    }
    // A source no other test compiles, so the first build is this test's.
    let source = format!("{ADD_JAVA}// {}\n", std::process::id());
    let (_d, first) = submit_as(&add(), "Adder.java", &source, &["--fresh"]);
    assert_eq!(first.json()["compile"]["cached"], false, "{}", first.stdout);
    let (_d, second) = submit_as(&add(), "Adder.java", &source, &["--fresh"]);
    assert_eq!(
        second.json()["compile"]["cached"],
        true,
        "{}",
        second.stdout
    );
    assert_eq!(verdict(&second), "AC");
}

/// Verify on a vendored package: it passes, and each submission gets what `expected` says
/// (its line in the output).
fn verify_as_downloaded(package: &str, expected: &[&str]) {
    let run = judge(&["verify", &wild(package)]);
    // The failures come first after FAILED: shown alone, so that a long log cut short
    // still shows them.
    let failed: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("FAILED"))
        .take_while(|l| !l.contains("checked:"))
        .collect();
    assert!(failed.is_empty(), "{package}:\n{}", failed.join("\n"));
    run.code(0);
    for line in expected {
        run.stdout_has(line);
    }
    run.stdout_lacks("SKIPPED");
}

#[test]
fn the_vendored_packages_verify_as_downloaded() {
    if !installed(
        &["c", "cpp", "python", "java"],
        "the_vendored_packages_verify_as_downloaded",
    ) || !crate::kattis::checktestdata_installed("the_vendored_packages_verify_as_downloaded")
    {
        return;
    }
    // BAPCtools' `different`: accepted in C, C++, Java and Python; TLE and WA in C++.
    verify_as_downloaded(
        "bapctools/different",
        &[
            "ok      different",
            "time limit 1000 ms (derived: 2 × accepted/",
            "submissions/accepted/Different.java: AC as expected",
            "submissions/accepted/different.c: AC as expected",
            "submissions/accepted/different.cc: AC as expected",
            "submissions/accepted/different.py: AC as expected",
            "submissions/accepted/different_py3.py: AC as expected",
            "submissions/accepted/different_stdio.cc: AC as expected",
            "submissions/time_limit_exceeded/different_linear_search.cc: TLE as expected",
            "submissions/wrong_answer/different_int.cc: WA as expected",
            "submissions/wrong_answer/different_no_abs.cc: WA as expected",
        ],
    );
    // problemtools' interactive `guess`: a validator's WA decides though the program then
    // spins (guess_tle.cc), a program that never flushes is TLE (guess_no_flush.cc).
    verify_as_downloaded(
        "problemtools/guess",
        &[
            "ok      guess",
            "submissions/accepted/guess.cc: AC as expected",
            "submissions/accepted/guess.java: AC as expected",
            "submissions/run_time_error/guess_rte.c: RE as expected",
            "submissions/run_time_error/guess_rte_after_correct.cc: RE as expected",
            "submissions/time_limit_exceeded/guess_no_flush.cc: TLE as expected",
            "submissions/time_limit_exceeded/guess_tle_after_correct.cc: TLE as expected",
            "submissions/wrong_answer/GuessCrash.java: WA as expected",
            "submissions/wrong_answer/guess.py: WA as expected",
            "submissions/wrong_answer/guess_0.cc: WA as expected",
            "submissions/wrong_answer/guess_modulo.py: WA as expected",
            "submissions/wrong_answer/guess_random.cc: WA as expected",
            "submissions/wrong_answer/guess_tle.cc: WA as expected",
        ],
    );
    // The format's own examples, in Python.
    verify_as_downloaded(
        "format/passfail",
        &[
            "ok      passfail",
            "submissions/accepted/solution.py: AC as expected",
            "submissions/wrong_answer/constant.py: WA as expected",
            "submissions/wrong_answer/wrong.py: WA as expected",
        ],
    );
    verify_as_downloaded(
        "format/scoring",
        &[
            "ok      scoring",
            "submissions/accepted/solution.py: AC with 100/100 as expected",
            "submissions/partially_accepted/partial_solution.py: AC with 30/100 as expected",
            "submissions/wrong_answer/constant.py: WA as expected",
        ],
    );
}

/// A package in a bank of its own (`<bank>/problems/pkg`), with the bank's `languages.toml`
/// when given.
fn banked_package(files: &[(&str, &str)], languages: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("problems/pkg").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    if let Some(text) = languages {
        std::fs::write(dir.path().join("languages.toml"), text).unwrap();
    }
    dir
}

#[test]
fn a_submission_the_judge_cannot_run_is_named_as_skipped_never_passing() {
    let bank = banked_package(
        &sum_files(
            SUM_YAML,
            &[
                ("submissions/accepted/add.sh", "read a b; echo $((a+b))\n"),
                ("submissions/accepted/add.lua", "print(1)\n"),
            ],
        ),
        // A language this machine lacks, as a bank may add one.
        Some("[lua]\nname = \"Lua\"\nextensions = [\"lua\"]\nbuild = \"none\"\nrun = [\"{lua}\", \"{source}\"]\nversion = [\"{lua}\", \"-v\"]\ntools.lua = { program = \"no-such-lua-here\" }\n"),
    );
    let run = judge_in(bank.path(), &["verify", "pkg"]);
    run.code(0)
        .stdout_has("ok      pkg (")
        .stdout_has("; 2 skipped, not run here)")
        .stdout_has("submissions/accepted/add.rs: AC as expected")
        .stdout_has("SKIPPED submissions/accepted/add.sh: not run (")
        .stdout_has("no language of the table has its extension (.sh)")
        .stdout_has("SKIPPED submissions/accepted/add.lua: not run (Lua is not installed here: no `no-such-lua-here` on PATH), so its verdict is unchecked");
    assert!(
        !run.stdout.contains("add.sh: AC") && !run.stdout.contains("add.lua: AC"),
        "{}",
        run.stdout
    );
    // Submitting in that language names why it cannot run.
    let lua = bank
        .path()
        .join("problems/pkg/submissions/accepted/add.lua");
    judge_in(bank.path(), &["submit", "pkg", lua.to_str().unwrap()])
        .code(2)
        .stderr_has("Lua is not installed here: no `no-such-lua-here` on PATH");
}

#[test]
fn the_time_limit_is_derived_from_accepted_submissions_in_every_language() {
    if !installed(
        &["python"],
        "the_time_limit_is_derived_from_accepted_submissions_in_every_language",
    ) {
        return;
    }
    // Only a Python submission is accepted: it alone sets the limit.
    let bank = banked_package(
        &[
            (
                "problem.yaml",
                "problem_format_version: 2023-07-draft\nname: Sum\n",
            ),
            ("data/sample/1.in", "1 2\n"),
            ("data/sample/1.ans", "3\n"),
            ("data/secret/1.in", "5 6\n"),
            ("data/secret/1.ans", "11\n"),
            ("submissions/accepted/add.py", ADD_PY),
        ],
        None,
    );
    judge_in(bank.path(), &["verify", "pkg"])
        .code(0)
        .stdout_has("time limit 1000 ms (derived: 2 × accepted/add.py's slowest case (")
        .stdout_has("submissions/accepted/add.py: AC as expected");
}

/// The entry of a folder program is its `main` file; other files are beside it.
#[test]
fn a_folder_program_is_built_from_all_its_files() {
    if !installed(
        &["cpp", "python"],
        "a_folder_program_is_built_from_all_its_files",
    ) {
        return;
    }
    let bank = banked_package(
        &[
            ("problem.yaml", "name: Sum\nlimits:\n  time_limit: 1\n"),
            ("data/sample/1.in", "1 2\n"),
            ("data/sample/1.ans", "3\n"),
            ("data/secret/1.in", "5 6\n"),
            ("data/secret/1.ans", "11\n"),
            ("submissions/accepted/cpp/main.cpp", "#include <iostream>\n#include \"sum.h\"\nint main() { long long a, b; std::cin >> a >> b; std::cout << sum(a, b) << '\\n'; }\n"),
            ("submissions/accepted/cpp/sum.h", "long long sum(long long a, long long b);\n"),
            ("submissions/accepted/cpp/sum.cpp", "#include \"sum.h\"\nlong long sum(long long a, long long b) { return a + b; }\n"),
            ("submissions/accepted/py/main.py", "import helper\nprint(helper.total(input()))\n"),
            ("submissions/accepted/py/helper.py", "def total(line):\n    return sum(int(w) for w in line.split())\n"),
        ],
        None,
    );
    judge_in(bank.path(), &["verify", "pkg"])
        .code(0)
        .stdout_has("submissions/accepted/cpp: AC as expected")
        .stdout_has("submissions/accepted/py: AC as expected");
}

#[test]
fn a_python_program_sees_only_its_own_folder_and_the_interpreter() {
    if !installed(
        &["python"],
        "a_python_program_sees_only_its_own_folder_and_the_interpreter",
    ) {
        return;
    }
    // The package's answers and the judge's cache are not in the box.
    let answer = Path::new(&add()).join("data/secret/01-big.ans");
    let source = format!(
        "import os\nprint(os.path.exists({:?}), os.path.exists(os.path.expanduser('~')), os.path.exists('/usr/bin'))\n",
        answer.display().to_string()
    );
    let (_d, run) = submit_as(&add(), "peek.py", &source, &[]);
    let output = run.json()["samples"][0]["output"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(output.starts_with("False False False"), "{output}");
}

/// A sum package in a bank of its own, with `extra` files (replacing any of the same path).
pub(crate) fn sum_bank(problem_yaml: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    banked_package(&sum_files(problem_yaml, extra), None)
}

#[test]
fn include_files_sit_beside_every_submission_of_their_language() {
    if !installed(
        &["cpp", "python"],
        "include_files_sit_beside_every_submission_of_their_language",
    ) {
        return;
    }
    let uses_header = "#include <iostream>\n#include \"sum.h\"\nint main() { long long a, b; std::cin >> a >> b; std::cout << sum(a, b) << '\\n'; }\n";
    let bank = sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlimits:\n  time_limit: 1\n",
        &[
            (
                "include/cpp/sum.h",
                "inline long long sum(long long a, long long b) { return a + b; }\n",
            ),
            // The format names Python 3's folder by its code.
            (
                "include/python3/helper.py",
                "def total(line):\n    return sum(int(w) for w in line.split())\n",
            ),
            ("submissions/accepted/uses_header.cpp", uses_header),
            (
                "submissions/accepted/uses_helper.py",
                "import helper\nprint(helper.total(input()))\n",
            ),
        ],
    );
    judge_in(bank.path(), &["verify", "pkg"])
        .code(0)
        .stdout_has("submissions/accepted/uses_header.cpp: AC as expected")
        .stdout_has("submissions/accepted/uses_helper.py: AC as expected");
    // A candidate's submission gets them too.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.cpp");
    std::fs::write(&file, uses_header).unwrap();
    let run = judge_in(
        bank.path(),
        &["submit", "pkg", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(verdict(&run), "AC", "{}", run.stdout);
    // Without the package's files, the same program does not compile: the test can fail.
    std::fs::remove_dir_all(bank.path().join("problems/pkg/include")).unwrap();
    let run = judge_in(
        bank.path(),
        &["submit", "pkg", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(verdict(&run), "CE", "{}", run.stdout);
}

#[test]
fn a_packages_languages_key_refuses_other_languages_by_name() {
    if !installed(
        &["python"],
        "a_packages_languages_key_refuses_other_languages_by_name",
    ) {
        return;
    }
    let bank = sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlanguages: [rust, cpp]\nlimits:\n  time_limit: 1\n",
        &[("submissions/accepted/add.py", ADD_PY)],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("add.py");
    std::fs::write(&file, ADD_PY).unwrap();
    judge_in(bank.path(), &["submit", "pkg", file.to_str().unwrap()])
        .code(2)
        .stderr_has("problem.yaml allows submissions in rust, cpp only (its `languages`), and this one is Python 3 (`python3`)");
    judge_in(bank.path(), &["verify", "pkg"])
        .code(0)
        .stdout_has("submissions/accepted/add.rs: AC as expected")
        .stdout_has("SKIPPED submissions/accepted/add.py: not run (")
        .stdout_has("and this one is Python 3 (`python3`)), so its verdict is unchecked");
    // Allowed, it runs.
    let open = sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlanguages: [python3, rust]\nlimits:\n  time_limit: 1\n",
        &[("submissions/accepted/add.py", ADD_PY)],
    );
    judge_in(open.path(), &["verify", "pkg"])
        .code(0)
        .stdout_has("submissions/accepted/add.py: AC as expected");
}

#[test]
fn python2_submissions_are_refused_by_name_never_run_as_python3() {
    // Both would pass as Python 3: refusing them is the judge's rule, not their failure.
    let py2 = "print(sum(int(w) for w in input().split()))\n";
    let bank = sum_bank(
        "name: Sum\nlimits:\n  time_limit: 1\n",
        &[
            ("submissions/accepted/old.py2", py2),
            (
                "submissions/accepted/shebang.py",
                &format!("#!/usr/bin/env python2\n{py2}"),
            ),
        ],
    );
    let said = "is Python 2 (a .py2 file, or a first line naming python2), which the judge does not run: python2 is not installed here, and Python 2 is never run as Python 3";
    let run = judge_in(bank.path(), &["verify", "pkg"]);
    run.code(0)
        .stdout_has("; 2 skipped, not run here)")
        .stdout_has("SKIPPED submissions/accepted/old.py2: not run (")
        .stdout_has("SKIPPED submissions/accepted/shebang.py: not run (")
        .stdout_has(said);
    let file = bank
        .path()
        .join("problems/pkg/submissions/accepted/old.py2");
    judge_in(bank.path(), &["submit", "pkg", file.to_str().unwrap()])
        .code(2)
        .stderr_has(said);
}

/// `judge show <package> --stub --lang <id>` for every installed language: the table's
/// stub, which compiles and runs (it writes nothing yet: WA; Rust's `todo!()`: RE).
#[test]
fn show_prints_a_packages_stub_in_each_language() {
    let bank = sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlimits:\n  time_limit: 1\n",
        &[],
    );
    let test = "show_prints_a_packages_stub_in_each_language";
    let stub = |lang: &str| {
        let run = judge_in(bank.path(), &["show", "pkg", "--stub", "--lang", lang]);
        run.code(0);
        run.stdout.clone()
    };
    assert_eq!(
        judge_in(bank.path(), &["show", "pkg", "--stub"]).stdout,
        stub("rust"),
        "Rust when no language is named"
    );
    for (lang, file, looks_like, verdict) in [
        ("rust", "main.rs", "fn main()", "RE"),
        ("c", "main.c", "int main(void)", "WA"),
        ("cpp", "main.cpp", "int main()", "WA"),
        ("python", "main.py", "sys.stdin.read()", "WA"),
        ("java", "Main.java", "public class Main", "WA"),
        ("kotlin", "main.kt", "fun main()", "WA"),
    ] {
        if !installed(&[lang], test) {
            continue;
        }
        let text = stub(lang);
        assert!(text.contains(looks_like), "{lang}: {text}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, &text).unwrap();
        let run = judge_in(
            bank.path(),
            &["submit", "pkg", path.to_str().unwrap(), "--json"],
        );
        assert_eq!(
            crate::kattis_languages::verdict(&run),
            verdict,
            "{lang}: {}",
            run.stdout
        );
    }
    judge_in(bank.path(), &["show", "pkg", "--stub", "--lang", "cobol"])
        .code(2)
        .stderr_has("unknown language `cobol`");
    // A package that allows C++ alone: its stub by default, another language refused.
    let cpp_only = sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlanguages: [cpp]\nlimits:\n  time_limit: 1\n",
        &[("submissions/accepted/add.cpp", ADD_CPP)],
    );
    judge_in(cpp_only.path(), &["show", "pkg", "--stub"])
        .code(0)
        .stdout_has("int main()");
    judge_in(
        cpp_only.path(),
        &["show", "pkg", "--stub", "--lang", "python"],
    )
    .code(2)
    .stderr_has("allows submissions in cpp only (its `languages`), and this one is Python 3");
    judge_in(cpp_only.path(), &["show", "pkg"])
        .code(0)
        .stdout_has("A solution is a whole program, in a language the package allows (cpp)");
}
