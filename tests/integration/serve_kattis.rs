//! `judge serve` on a bank holding a Kattis package (the `subtasks` fixture: a scoring
//! problem with two groups of 30 and 70 points and a Markdown statement): listed, its
//! document read, submissions judged through the package path (AC with full score, WA, CE,
//! a run on the samples) with live events, and custom input refused naming the field.

use std::path::Path;

use serde_json::{json, Value};

use crate::kattis::copy_dir;
use crate::repo;
use crate::serve::{add_user, data_dir, events, finished, get, post, Server};

pub(crate) const PACKAGE: &str = "subtasks";

/// A bank whose only problem is the fixture package, with a file that is not UTF-8 beside
/// its statement (a problem version must carry it).
pub(crate) fn bank_with_package(root: &Path) {
    let dir = root.join("problems").join(PACKAGE);
    copy_dir(&repo().join("tests/fixtures/kattis").join(PACKAGE), &dir);
    std::fs::write(
        dir.join("problem_statement/figure.bin"),
        [0xff, 0xfe, 0x00, 0x80],
    )
    .unwrap();
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        repo()
            .join("tests/fixtures/kattis")
            .join(PACKAGE)
            .join(path),
    )
    .unwrap()
}

/// Posts `body` and waits for the submission to be judged; its report.
fn judged(server: &Server, token: &str, body: &Value) -> Value {
    let (status, created) = post(&server.api("/submissions"), token, &body.to_string());
    assert_eq!(status, 201, "{created}");
    let done = finished(server, token, created["id"].as_i64().unwrap());
    assert!(done["error"].is_null(), "a judge error: {done}");
    done["report"].clone()
}

#[test]
fn the_service_lists_documents_and_judges_a_kattis_package() {
    let (keep, data) = data_dir();
    let bank = keep.path().join("bank");
    bank_with_package(&bank);
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start_on_bank(&data, &["--rate", "1000000", "--workers", "2"], &bank);

    // Listed, in the TOML problems' shape.
    let (status, list) = get(&server.api("/problems"), &token);
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["problems"],
        json!([{ "id": PACKAGE, "title": "Big Sum", "difficulty": "unrated", "tags": [], "format": "kattis" }])
    );
    let (_, unrated) = get(&server.api("/problems?difficulty=unrated"), &token);
    assert_eq!(unrated["problems"].as_array().unwrap().len(), 1);
    let (_, easy) = get(&server.api("/problems?difficulty=easy"), &token);
    assert_eq!(easy["problems"].as_array().unwrap().len(), 0);

    // Its document: the Markdown statement, samples as text, limits, groups, a fn main stub.
    let (status, doc) = get(&server.api(&format!("/problems/{PACKAGE}")), &token);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["format"], "kattis");
    assert!(doc["signature"].is_null(), "{doc}");
    let statement = doc["statement"].as_str().unwrap();
    assert!(
        statement.contains("Subtask 1 (30 points)"),
        "the package's Markdown as is: {statement}"
    );
    assert!(doc["stub"].as_str().unwrap().contains("fn main()"), "{doc}");
    assert_eq!(
        doc["samples"],
        json!([{ "name": "sample/1", "input": fixture("data/sample/1.in"), "answer": fixture("data/sample/1.ans") }])
    );
    assert_eq!(doc["limits"]["time_ms"], 2000, "{doc}");
    let points: Vec<(String, u64)> = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["points"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            ("secret/1-small".to_string(), 30),
            ("secret/2-large".to_string(), 70)
        ]
    );
    assert_eq!(doc["max_score"], 100);

    // Accepted, with every point; its events came live, through the package path. A
    // comment no other test's source has keeps the report cache out of it.
    let nonce = format!(
        "// serve_kattis {:?}\n",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
    );
    let accepted = nonce + &fixture("submissions/accepted/i64.rs");
    let body = json!({ "problem": PACKAGE, "source": accepted });
    let (status, created) = post(&server.api("/submissions"), &token, &body.to_string());
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let told = events(&server.api(&format!("/submissions/{id}/events")), &token);
    let names: Vec<&str> = told.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    assert!(names.contains(&"compiling"), "live events: {names:?}");
    assert!(names.contains(&"case-finished"), "live events: {names:?}");
    let done = finished(&server, &token, id);
    let report = &done["report"];
    assert_eq!(report["verdict"], "AC", "{done}");
    assert_eq!(report["mode"], "submit");
    assert_eq!(
        (report["score"].as_u64(), report["max_score"].as_u64()),
        (Some(100), Some(100))
    );
    assert_eq!(report["groups"].as_array().unwrap().len(), 2, "{report}");
    assert!(
        done["problem_version"]
            .as_str()
            .is_some_and(|v| !v.is_empty()),
        "{done}"
    );

    // Wrong: it fails the sample.
    let wrong = fixture("submissions/wrong_answer/zero.rs");
    let report = judged(
        &server,
        &token,
        &json!({ "problem": PACKAGE, "source": wrong }),
    );
    assert_eq!(report["verdict"], "WA", "{report}");

    // A partial one scores the small group only.
    let partial = fixture("submissions/partially_accepted/i32.rs");
    let report = judged(
        &server,
        &token,
        &json!({ "problem": PACKAGE, "source": partial }),
    );
    assert_eq!(report["score"], 30, "{report}");

    // Does not compile: rustc's message, on the name the editor marks.
    let broken = "fn main() {\n    let x: i32 = \"no\";\n}\n";
    let report = judged(
        &server,
        &token,
        &json!({ "problem": PACKAGE, "source": broken }),
    );
    assert_eq!(report["verdict"], "CE", "{report}");
    let stderr = report["compile"]["stderr"].as_str().unwrap_or_default();
    assert!(stderr.contains("solution.rs"), "{report}");

    // A run judges the samples only.
    let source = fixture("submissions/accepted/i64.rs");
    let report = judged(
        &server,
        &token,
        &json!({ "problem": PACKAGE, "source": source, "mode": "run" }),
    );
    assert_eq!(report["mode"], "run", "{report}");
    assert_eq!(report["result"], "samples-passed", "{report}");
    assert_eq!(report["samples"].as_array().unwrap().len(), 1, "{report}");
    assert!(report.get("groups").is_none(), "{report}");

    // Custom input is refused, naming the field.
    let body =
        json!({ "problem": PACKAGE, "source": source, "mode": "run", "input": "3\n1 2 3\n" });
    let (status, e) = post(&server.api("/submissions"), &token, &body.to_string());
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["field"], "input", "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("Kattis package"),
        "{e}"
    );
}
