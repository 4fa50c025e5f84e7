//! The OpenAPI document against the real server: every documented route called, each
//! answering a status its document lists, with a body of the documented content type and,
//! for JSON, of the documented schema (`schema.rs`), so the document cannot drift from what
//! the handlers answer.

use serde_json::{json, Value};

use super::schema::departure;
use super::server::{add_user, answer, data_dir, post, source, submission, Server, T_VALUE_AC};

#[test]
fn the_openapi_document_lists_every_route_as_it_answers() {
    let (_keep, data) = data_dir();
    let author = add_user(&data, "ann", "author");
    let candidate = add_user(&data, "cy", "candidate");
    let server = Server::start(&data);
    let (status, doc) = answer(ureq::get(&server.api("/openapi.json")).call());
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let (_, made) = post(
        &server.api("/submissions?wait=true"),
        &author,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let (status, session) = post(&server.api("/interviews"), &author, &new_interview());
    assert_eq!(status, 201, "{session}");
    let ids = Ids {
        submission: made["id"].to_string(),
        interview: session["id"].to_string(),
    };
    let mut seen = walk(&doc, &server, &ids, Some(&author));
    // Their refusals are documented too: a candidate may not do what an author may, an
    // interview's candidate works on its session's problems alone, and a caller without a
    // token may do nothing but read the health and metrics.
    walk(&doc, &server, &ids, Some(&candidate));
    let interviewee = session["candidate_path"]
        .as_str()
        .and_then(|link| link.split("token=").nth(1))
        .unwrap();
    walk(&doc, &server, &ids, Some(interviewee));
    walk(&doc, &server, &ids, None);
    // The interview report's other documented content type.
    let path = "/api/v1/interviews/{id}/report";
    let markdown = ureq::get(&format!(
        "{}{}?format=markdown",
        server.url,
        ids.concrete(path)
    ))
    .set("Authorization", &format!("Bearer {author}"));
    let operation = &doc["paths"][path]["get"];
    let content_type = check_answer(&doc, operation, path, markdown.call());
    assert_eq!(content_type, "text/markdown");
    seen.sort();
    assert_eq!(
        seen,
        [
            "GET /api/v1/interviews/similarity",
            "GET /api/v1/interviews/{id}",
            "GET /api/v1/interviews/{id}/report",
            "GET /api/v1/problems",
            "GET /api/v1/problems/{id}",
            "GET /api/v1/problems/{id}/draft",
            "GET /api/v1/problems/{id}/similarity",
            "GET /api/v1/submissions",
            "GET /api/v1/submissions/{id}",
            "GET /api/v1/submissions/{id}/events",
            "GET /api/v1/workers",
            "GET /healthz",
            "GET /metrics",
            "POST /api/v1/interviews",
            "POST /api/v1/interviews/{id}/notes",
            "POST /api/v1/problems/{id}/rejudge",
            "POST /api/v1/submissions",
            "POST /api/v1/submissions/batch",
            "PUT /api/v1/problems/{id}/draft",
        ]
    );
}

/// Calls every documented route as `token`'s user (or with no token), checking each answer
/// against the document; the routes called, as `METHOD path`.
fn walk(doc: &Value, server: &Server, ids: &Ids, token: Option<&str>) -> Vec<String> {
    let mut seen = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let url = format!("{}{}", server.url, ids.concrete(path));
            let mut request = match method.as_str() {
                "get" => ureq::get(&url),
                "post" => ureq::post(&url),
                "put" => ureq::put(&url),
                other => panic!("{other} {path}"),
            };
            if let Some(token) = token {
                request = request.set("Authorization", &format!("Bearer {token}"));
            }
            let said = format!("{} {path}", method.to_uppercase());
            let whom = token.map_or("without a token", |_| "with a token");
            check_answer(
                doc,
                operation,
                &format!("{said} ({whom})"),
                request.send_string(&body_for(path)),
            );
            seen.push(said);
        }
    }
    seen
}

fn new_interview() -> String {
    json!({ "pick": ["t-value"], "minutes": 30 }).to_string()
}

/// The ids the documented paths are called with.
struct Ids {
    submission: String,
    interview: String,
}

impl Ids {
    /// A documented path with its `{id}` filled in (a problem's, an interview's or a
    /// submission's), and the query a route needs to answer more than an error.
    fn concrete(&self, path: &str) -> String {
        if path.starts_with("/api/v1/problems/{id}") {
            path.replace("{id}", "t-value")
        } else if path.starts_with("/api/v1/interviews/{id}") {
            path.replace("{id}", &self.interview)
        } else if path == "/api/v1/interviews/similarity" {
            format!("{path}?problem=t-value")
        } else {
            path.replace("{id}", &self.submission)
        }
    }
}

/// A body the route takes (empty for those that take none).
fn body_for(path: &str) -> String {
    match path {
        "/api/v1/submissions/batch" => {
            json!({ "submissions": [{ "problem": "t-value", "source": source(T_VALUE_AC) }] })
                .to_string()
        }
        "/api/v1/submissions" => submission("t-value", &source(T_VALUE_AC)),
        "/api/v1/problems/{id}/draft" => json!({ "source": "// a draft" }).to_string(),
        "/api/v1/interviews" => new_interview(),
        "/api/v1/interviews/{id}/notes" => {
            json!({ "text": "reads the statement twice" }).to_string()
        }
        _ => String::new(),
    }
}

/// Checks an answer against its operation's documented responses: its status listed, its
/// content type among the status's, a JSON body of the status's schema. Its content type.
fn check_answer(
    doc: &Value,
    operation: &Value,
    said: &str,
    answered: Result<ureq::Response, ureq::Error>,
) -> String {
    let response = match answered {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{said}: {e}"),
    };
    let status = response.status();
    let documented = &operation["responses"][status.to_string()];
    assert!(
        documented.is_object(),
        "{said} answered {status}, which its document does not list: {:?}",
        operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>()
    );
    let content_type = response
        .header("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let Some(contents) = documented["content"].as_object() else {
        return content_type;
    };
    assert!(
        contents.contains_key(&content_type),
        "{said} answered {status} as {content_type}; its document says {:?}",
        contents.keys().collect::<Vec<_>>()
    );
    if content_type == "application/json" {
        let body: Value = response.into_json().unwrap();
        let schema = &contents[&content_type]["schema"];
        if let Some(why) = departure(doc, schema, &body) {
            panic!("{said} answered {status} off its document: {why}\n{body}");
        }
    }
    content_type
}
