//! Similarity and measured complexity on the service, as clients use them: the real server
//! on 127.0.0.1, real HTTP, the real database. Similarity: who may compare whose code, one
//! submission per person, a disguised copy ranked first, the page showing the shared code
//! side by side. Complexity: asked for in a submission or by an interview, measured after
//! the verdict, shown in the report, withheld from a candidate while hidden cases are.

use serde_json::{json, Value};

use crate::interviews_served::join;
use crate::serve::{add_user, data_dir, get, post, source, Server, T_VALUE_AC};

const KNN_AC: &str = "problems/knn/submissions/AC/sort_all.rs";
const KNN_TLE: &str = "problems/knn/submissions/TLE/selection_sort.rs";

/// `KNN_AC` as someone hiding a copy would: names changed, comment rewritten, lines
/// joined differently.
fn disguised_copy() -> String {
    source(KNN_AC)
        .replace("counts", "votes")
        .replace("tied", "winners")
        .replace("diff", "delta")
        .replace("let max", "let most")
        .replace("== max", "== most")
        .replace(
            "// Squared distances: roots would make some different distances equal.",
            "// no sqrt needed, ordering is the same",
        )
        .replace("        .collect();\n", "        .collect\n        ();\n")
}

fn page(url: &str, token: &str) -> (u16, String) {
    match ureq::get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

fn submit(server: &Server, token: &str, problem: &str, code: &str) -> i64 {
    let body = json!({ "problem": problem, "source": code }).to_string();
    let (status, made) = post(&server.api("/submissions"), token, &body);
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

#[test]
fn a_disguised_copy_ranks_first_and_only_staff_compare_everyone() {
    let (_keep, data) = data_dir();
    let ann = add_user(&data, "ann", "author");
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let cy = add_user(&data, "cy", "candidate");
    // Similarity reads the stored sources, judged or not (one worker: the test does not
    // wait for it).
    let server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    let ada_first = submit(&server, &ada, "knn", &source(KNN_TLE));
    let ada_last = submit(&server, &ada, "knn", &source(KNN_AC));
    let bob_copy = submit(&server, &bob, "knn", &disguised_copy());
    let cy_own = submit(&server, &cy, "knn", &source(KNN_TLE));

    let (status, found) = get(&server.api("/problems/knn/similarity"), &ann);
    assert_eq!(status, 200, "{found}");
    let ids: Vec<i64> = found["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    // One per person, their latest.
    assert_eq!(ids, [cy_own, bob_copy, ada_last], "{found}");
    assert!(!ids.contains(&ada_first));
    let pairs = found["comparison"]["pairs"].as_array().unwrap();
    let best = &pairs[0];
    let names = [best["a"].as_str().unwrap(), best["b"].as_str().unwrap()];
    assert!(
        names.contains(&format!("#{ada_last} ada").as_str())
            && names.contains(&format!("#{bob_copy} bob").as_str()),
        "{found}"
    );
    assert!(best["score"].as_f64().unwrap() >= 0.8, "{best}");
    assert!(!best["regions"].as_array().unwrap().is_empty(), "{best}");
    for other in &pairs[1..] {
        assert!(other["score"].as_f64() < best["score"].as_f64(), "{found}");
    }

    // The page: the pair ranked, its shared lines side by side.
    let (status, html) = page(&format!("{}/problems/knn/similarity", server.url), &ann);
    assert_eq!(status, 200);
    assert!(html.contains("Similar submissions to"), "{html}");
    assert!(html.contains("id=\"pair-1\""), "{html}");
    assert!(
        html.contains("votes"),
        "the copy's own lines are shown: {html}"
    );

    // A candidate compares nobody's code, by the API or the page.
    let (status, e) = get(&server.api("/problems/knn/similarity"), &ada);
    assert_eq!(status, 403, "{e}");
    assert_eq!(
        page(&format!("{}/problems/knn/similarity", server.url), &ada).0,
        403
    );
    let (status, _) = get(&server.api("/problems/no-such/similarity"), &ann);
    assert_eq!(status, 404);
}

#[test]
fn an_interviewer_compares_their_own_candidates_only() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let ian = add_user(&data, "ian", "interviewer");
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    // Someone outside any interview: never shown to an interviewer.
    submit(&server, &ada, "knn", &source(KNN_AC));
    let mut candidates = Vec::new();
    for (who, code) in [
        (&ivy, source(KNN_AC)),
        (&ivy, disguised_copy()),
        (&ian, source(KNN_AC)),
    ] {
        let body = json!({ "pick": ["knn"], "minutes": 30 }).to_string();
        let (status, made) = post(&server.api("/interviews"), who, &body);
        assert_eq!(status, 201, "{made}");
        let id = made["id"].as_i64().unwrap();
        let link = made["candidate_path"].as_str().unwrap();
        let token = link.split("token=").nth(1).unwrap().to_string();
        join(&server, id, &token);
        candidates.push((id, submit(&server, &token, "knn", &code)));
    }
    let (status, found) = get(&server.api("/interviews/similarity?problem=knn"), &ivy);
    assert_eq!(status, 200, "{found}");
    let mut shown: Vec<(i64, i64)> = found["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["interview"].as_i64().unwrap(), s["id"].as_i64().unwrap()))
        .collect();
    shown.sort_unstable();
    assert_eq!(shown, candidates[..2], "ivy's two sessions only: {found}");
    assert!(found["comparison"]["pairs"][0]["score"].as_f64().unwrap() >= 0.8);
    // A candidate holds no interviews.
    let (status, _) = get(&server.api("/interviews/similarity?problem=knn"), &ada);
    assert_eq!(status, 403);
    let (status, html) = page(
        &format!("{}/interviews/similarity?problem=knn", server.url),
        &ian,
    );
    assert_eq!(status, 200);
    assert!(
        html.contains("(1)") && html.contains("No two submissions share code."),
        "ian has one candidate, nobody to compare with: {html}"
    );
}

#[test]
fn complexity_is_asked_for_checked_and_measured_after_the_verdict() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let bad = |body: Value| post(&server.api("/submissions"), &ada, &body.to_string());
    let code = source(T_VALUE_AC);
    let (status, e) = bad(json!({"problem": "t-value", "source": code, "complexity": "yes"}));
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("complexity")),
        "{e}"
    );
    let (status, e) =
        bad(json!({"problem": "t-value", "source": code, "mode": "run", "complexity": true}));
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("complexity")),
        "{e}"
    );
    assert!(e["error"].as_str().unwrap().contains("not a run"), "{e}");

    let body = json!({"problem": "t-value", "source": code, "complexity": true});
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &ada,
        &body.to_string(),
    );
    assert_eq!(status, 201, "{done}");
    let report = &done["report"];
    assert_eq!(report["verdict"], "AC", "{done}");
    let measured = &report["complexity"];
    assert_eq!(measured["problem"], "t-value", "{report}");
    assert!(
        measured["summary"]
            .as_str()
            .unwrap()
            .starts_with("your solution grows like"),
        "{measured}"
    );
    assert!(measured["solution"]["points"].as_array().unwrap().len() >= 2);
    let id = done["id"].as_i64().unwrap();
    let (status, html) = page(&format!("{}/submissions/{id}", server.url), &ada);
    assert_eq!(status, 200);
    assert!(html.contains("Cost by input size"), "{html}");

    // Not asked for: no section.
    let plain = json!({"problem": "t-value", "source": code});
    let (_, done) = post(
        &server.api("/submissions?wait=true"),
        &ada,
        &plain.to_string(),
    );
    assert!(done["report"].get("complexity").is_none(), "{done}");
}

#[test]
fn an_interview_measures_for_the_interviewer_and_withholds_from_the_candidate() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let body = json!({"pick": ["t-value"], "minutes": 30, "hide_hidden": true, "complexity": true});
    let (status, made) = post(&server.api("/interviews"), &ivy, &body.to_string());
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["complexity"], true);
    let id = made["id"].as_i64().unwrap();
    let token = made["candidate_path"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let key = made["interviewer_path"]
        .as_str()
        .unwrap()
        .split("key=")
        .nth(1)
        .unwrap()
        .to_string();
    join(&server, id, &token);
    // The candidate did not ask; the interview measures all the same.
    let plain = json!({"problem": "t-value", "source": source(T_VALUE_AC)});
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &token,
        &plain.to_string(),
    );
    assert_eq!(status, 201, "{done}");
    assert!(done["report"].get("complexity").is_none(), "{done}");
    assert!(
        done["report"]["complexity_unavailable"]
            .as_str()
            .unwrap()
            .contains("withheld"),
        "{done}"
    );
    let report_url = format!(
        "{}/api/v1/interviews/{id}/report?format=markdown&key={key}",
        server.url
    );
    // The verdict waited for the measurement: the interviewer's report has it already.
    let markdown = ureq::get(&report_url)
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(markdown.contains("## t-value"), "{markdown}");
    assert!(
        markdown.contains("Measured complexity: your solution grows like"),
        "{markdown}"
    );
}

#[test]
fn comparing_interviews_needs_a_problem() {
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let (status, e) = get(&server.api("/interviews/similarity"), &ivy);
    assert_eq!((status, e["field"].as_str()), (400, Some("problem")), "{e}");
}

/// Python submissions are compared with the Python stub as code everyone was given: the
/// record class both copied from it does not count.
#[test]
fn the_stub_in_each_language_is_code_everyone_was_given() {
    if !crate::kattis_languages::installed(
        &["python"],
        "the_stub_in_each_language_is_code_everyone_was_given",
    ) {
        return;
    }
    let (_keep, data) = data_dir();
    let ann = add_user(&data, "ann", "author");
    let bob = add_user(&data, "bob", "candidate");
    let cy = add_user(&data, "cy", "candidate");
    let server = Server::start_with(&data, &["--rate", "1000000", "--workers", "1"]);
    let (_, doc) = get(&server.api("/problems/median-rainfall"), &ann);
    let stub = doc["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "python")
        .unwrap()["stub"]
        .as_str()
        .unwrap()
        .replace("    raise NotImplementedError\n", "");
    let mine = format!("{stub}    values = sorted(d.rainfall for d in df_rain)\n    if not values:\n        return None\n    middle = len(values) // 2\n    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2\n");
    let theirs = format!("{stub}    import statistics\n    return statistics.median([r.rainfall for r in df_rain]) if df_rain else None\n");
    for (token, code) in [(&bob, &mine), (&cy, &theirs)] {
        let body = json!({"problem": "median-rainfall", "source": code, "language": "python"});
        let (status, made) = post(&server.api("/submissions"), token, &body.to_string());
        assert_eq!(status, 201, "{made}");
    }
    let (status, found) = get(&server.api("/problems/median-rainfall/similarity"), &ann);
    assert_eq!(status, 200, "{found}");
    assert!(
        found["comparison"]["ignored"]["base"].as_u64().unwrap() > 0,
        "the stub's fingerprints are the base's: {found}"
    );
    let score = found["comparison"]["pairs"][0]["score"]
        .as_f64()
        .unwrap_or(0.0);
    assert!(score < 0.5, "two different bodies under one stub: {found}");
}
