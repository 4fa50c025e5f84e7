//! Languages on the service, as a client uses them: a submission names its language (Rust
//! when it names none), the server refuses one it does not know, has not installed, or the
//! problem's kind does not take, naming the field; a Kattis package is judged in C++ and
//! Python as in Rust; the submission carries its language wherever it is shown.

use serde_json::{json, Value};

use crate::serve::{add_user, data_dir, finished, post, source, Server, T_VALUE_AC};
use crate::serve_kattis::{bank_with_package, PACKAGE};

fn send(server: &Server, token: &str, body: &Value) -> (u16, Value) {
    post(&server.api("/submissions"), token, &body.to_string())
}

/// Sends `body` as a submission, which must be taken, and waits for its judging; fails on
/// a judge error, naming the body.
fn judged(server: &Server, token: &str, body: &Value) -> Value {
    let (status, made) = send(server, token, body);
    assert_eq!(status, 201, "{body}: {made}");
    let done = finished(server, token, made["id"].as_i64().unwrap());
    assert!(done["error"].is_null(), "{body}: a judge error: {done}");
    done
}

/// An answer that refuses the request's language, naming the field; its body.
#[track_caller]
fn refused_language((status, e): (u16, Value)) -> Value {
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("language")),
        "{e}"
    );
    e
}

/// The ids of the languages a problem's document offers, in its order.
fn offered(doc: &Value) -> Vec<&str> {
    doc["languages"]
        .as_array()
        .unwrap_or_else(|| panic!("no languages: {doc}"))
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_submission_names_its_language_and_a_wrong_one_is_refused_by_name() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let code = source(T_VALUE_AC);
    let e = refused_language(send(
        &server,
        &ada,
        &json!({"problem": "t-value", "source": code, "language": "cobol"}),
    ));
    assert!(
        e["error"].as_str().unwrap().contains("rust"),
        "lists the known ones: {e}"
    );
    // C++ is for whole programs: a function problem says which languages it takes (Rust
    // and Python).
    let e = refused_language(send(
        &server,
        &ada,
        &json!({"problem": "t-value", "source": code, "language": "cpp"}),
    ));
    assert!(e["error"].as_str().unwrap().contains("Rust"), "{e}");
    refused_language(send(
        &server,
        &ada,
        &json!({"problem": "t-value", "source": code, "language": 3}),
    ));

    // Named or not, Rust is Rust, and the submission says so.
    for body in [
        json!({"problem": "t-value", "source": code}),
        json!({"problem": "t-value", "source": code, "language": "rust"}),
    ] {
        let (status, made) = send(&server, &ada, &body);
        assert_eq!(status, 201, "{made}");
        assert_eq!(made["language"], "rust", "{made}");
    }
    let (status, list) = crate::serve::get(&server.api("/submissions"), &ada);
    assert_eq!(status, 200);
    assert!(
        list["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["language"] == "rust"),
        "{list}"
    );
}

#[test]
fn a_kattis_package_is_judged_in_cpp_and_python_on_the_service() {
    let (keep, data) = data_dir();
    let bank = keep.path().join("bank");
    bank_with_package(&bank);
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_on_bank(&data, &["--rate", "1000000", "--workers", "2"], &bank);
    let cpp = "#include <iostream>\nint main() { long long n, x, s = 0; std::cin >> n; while (std::cin >> x) s += x; std::cout << s << '\\n'; }\n";
    let python =
        "import sys\nwords = sys.stdin.read().split()\nprint(sum(int(w) for w in words[1:]))\n";
    let wrong_cpp = "#include <iostream>\nint main() { int n, x, s = 0; std::cin >> n; while (std::cin >> x) s += x; std::cout << s << '\\n'; }\n";
    // A scoring package: a partial score is accepted with its points (the int sum
    // overflows on the large group).
    for (language, code, verdict, score) in [
        ("cpp", cpp, "AC", 100),
        ("python", python, "AC", 100),
        ("cpp", wrong_cpp, "AC", 30),
        ("cpp", "int main( {", "CE", 0),
    ] {
        let done = judged(
            &server,
            &ada,
            &json!({"problem": PACKAGE, "source": code, "language": language}),
        );
        assert_eq!(done["language"], language, "{done}");
        assert_eq!(done["report"]["verdict"], verdict, "{language}: {done}");
        assert_eq!(done["report"]["score"], score, "{language}: {done}");
    }
    // Its page says which language it was judged in.
    let page = ureq::get(&format!("{}/submissions/1", server.url))
        .set("Authorization", &format!("Bearer {ada}"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains("Submission in C++"), "{page}");
}

#[test]
fn a_function_problem_is_judged_in_python_on_the_service() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    for (path, verdict) in [
        ("problems/t-value/submissions/AC/numpy_std.py", "AC"),
        ("problems/t-value/submissions/WA/population_std.py", "WA"),
    ] {
        let body = json!({"problem": "t-value", "source": source(path), "language": "python"});
        let done = judged(&server, &ada, &body);
        assert_eq!(done["language"], "python", "{done}");
        assert_eq!(done["report"]["verdict"], verdict, "{path}: {done}");
    }
}

#[test]
fn a_packages_include_files_sit_beside_a_submission_on_the_service() {
    let test = "a_packages_include_files_sit_beside_a_submission_on_the_service";
    if !crate::kattis_languages::installed(&["cpp", "python"], test) {
        return;
    }
    let bank = crate::kattis_languages::sum_bank(
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
        ],
    );
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_on_bank(&data, &["--rate", "1000000"], bank.path());
    let uses_header = "#include <iostream>\n#include \"sum.h\"\nint main() { long long a, b; std::cin >> a >> b; std::cout << sum(a, b) << '\\n'; }\n";
    let uses_helper = "import helper\nprint(helper.total(input()))\n";
    for (language, code) in [("cpp", uses_header), ("python", uses_helper)] {
        let body = json!({"problem": "pkg", "source": code, "language": language});
        let done = judged(&server, &ada, &body);
        assert_eq!(done["report"]["verdict"], "AC", "{language}: {done}");
    }
    // The files are the package's own, for its language only: a C program finds no sum.h.
    if crate::kattis_languages::installed(&["c"], test) {
        let c = "#include <stdio.h>\n#include \"sum.h\"\nint main(void) { return 0; }\n";
        let (status, made) = send(
            &server,
            &ada,
            &json!({"problem": "pkg", "source": c, "language": "c"}),
        );
        assert_eq!(status, 201, "{made}");
        let done = finished(&server, &ada, made["id"].as_i64().unwrap());
        assert_eq!(done["report"]["verdict"], "CE", "{done}");
    }
}

fn put_draft(server: &Server, token: &str, body: &Value) -> (u16, Value) {
    let response = ureq::put(&server.api("/problems/t-value/draft"))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body.clone());
    match response {
        Ok(r) | Err(ureq::Error::Status(_, r)) => {
            (r.status(), r.into_json().unwrap_or(Value::Null))
        }
        Err(e) => panic!("{e}"),
    }
}

/// A problem keeps a draft per language, and its document and page offer each language it
/// takes with the stub in it, with JavaScript or without.
#[test]
fn a_problem_keeps_a_draft_per_language_and_offers_each_languages_stub() {
    let test = "a_problem_keeps_a_draft_per_language_and_offers_each_languages_stub";
    if !crate::kattis_languages::installed(&["python"], test) {
        return;
    }
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);

    // The document lists Rust and Python (a function problem), each with its stub.
    let (status, doc) = crate::serve::get(&server.api("/problems/t-value"), &ada);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(offered(&doc), ["rust", "python"], "{doc}");
    assert!(doc["languages"][0]["stub"]
        .as_str()
        .unwrap()
        .contains("pub fn t_value("));
    assert!(doc["languages"][1]["stub"]
        .as_str()
        .unwrap()
        .contains("def t_value("));
    assert_eq!(doc["stub"], doc["languages"][0]["stub"]);
    assert!(
        doc["statement"].as_str().unwrap().contains("In Python 3: "),
        "the limits in Python: {doc}"
    );

    // Two drafts side by side; without a language, the newest.
    let rust = json!({"source": "// rust draft\n"});
    let python = json!({"source": "# python draft\n", "language": "python"});
    assert_eq!(put_draft(&server, &ada, &rust).0, 200);
    let (status, saved) = put_draft(&server, &ada, &python);
    assert_eq!((status, saved["language"].as_str()), (200, Some("python")));
    let draft = |query: &str| {
        crate::serve::get(
            &server.api(&format!("/problems/t-value/draft{query}")),
            &ada,
        )
    };
    assert_eq!(draft("?language=rust").1["source"], "// rust draft\n");
    assert_eq!(draft("?language=python").1["source"], "# python draft\n");
    assert_eq!(draft("").1["language"], "python", "the newest");
    let e = refused_language(put_draft(
        &server,
        &ada,
        &json!({"source": "x", "language": "cpp"}),
    ));
    assert!(
        e["error"].as_str().unwrap().contains("python (Python 3)"),
        "{e}"
    );
    assert_eq!(draft("?language=cpp").0, 400);

    // The page, as a browser without JavaScript gets it: in the newest draft's language,
    // a picker holding both, and any language by the picker's GET form.
    let page = |query: &str| {
        let response = ureq::get(&format!("{}/problems/t-value{query}", server.url))
            .set("Authorization", &format!("Bearer {ada}"))
            .call();
        match response {
            Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
            Err(e) => panic!("{e}"),
        }
    };
    let (status, html) = page("");
    assert_eq!(status, 200);
    assert!(html.contains("data-language=\"python\""), "{html}");
    assert!(html.contains("# python draft"), "{html}");
    assert!(
        html.contains(
            "<form class=\"language-picker\" method=\"get\" action=\"/problems/t-value\">"
        ),
        "{html}"
    );
    assert!(html.contains("<option value=\"python\""), "{html}");
    assert!(html.contains(">Python 3</option>"), "{html}");
    let (_, html) = page("?language=rust");
    assert!(
        html.contains("data-language=\"rust\"") && html.contains("// rust draft"),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"rust\"") && html.contains("selected>Rust</option>"),
        "{html}"
    );
    let (status, html) = page("?language=cobol");
    assert_eq!(status, 400);
    assert!(html.contains("takes Rust, Python 3"), "{html}");
}

/// A package's document offers each language it allows that is installed here, with the
/// languages table's stub.
#[test]
fn a_packages_document_offers_the_languages_it_allows() {
    let test = "a_packages_document_offers_the_languages_it_allows";
    if !crate::kattis_languages::installed(&["cpp", "python"], test) {
        return;
    }
    let bank = crate::kattis_languages::sum_bank(
        "problem_format_version: 2023-07-draft\nname: Sum\nlanguages: [cpp, python3]\nlimits:\n  time_limit: 1\n",
        &[],
    );
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_on_bank(&data, &[], bank.path());
    let (status, doc) = crate::serve::get(&server.api("/problems/pkg"), &ada);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(offered(&doc), ["cpp", "python"], "{doc}");
    assert!(
        doc["stub"].as_str().unwrap().contains("int main()"),
        "{doc}"
    );
    assert!(doc["languages"][1]["stub"]
        .as_str()
        .unwrap()
        .contains("sys.stdin.read()"));
    // A language the package does not allow is refused when submitted, naming the field.
    let e = refused_language(send(
        &server,
        &ada,
        &json!({"problem": "pkg", "source": "fn main() {}", "language": "rust"}),
    ));
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("allows submissions in cpp, python3 only"),
        "{e}"
    );
}
