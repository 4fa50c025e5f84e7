//! The web pages over real HTTP, as a browser without JavaScript sees them: signing in and
//! out, the session cookie's flags, CSRF, who may read what, statements readable without a
//! script, drafts, errors as pages. (`browser.rs` drives the same pages in Chromium.)

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::serve::{add_user, data_dir, post, source, submission, Server, T_VALUE_AC};

/// A browser without JavaScript: it keeps cookies and does not follow redirects.
pub(crate) struct Client {
    agent: ureq::Agent,
    base: String,
    cookies: HashMap<String, String>,
}

/// A page's status, headers that matter here, and body.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) set_cookie: Vec<String>,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
}

impl Client {
    pub(crate) fn new(server: &Server) -> Client {
        Client {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: server.url.clone(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: ureq::Response) -> Page {
        let set_cookie: Vec<String> = response
            .all("set-cookie")
            .into_iter()
            .map(String::from)
            .collect();
        for c in &set_cookie {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let headers = response
            .headers_names()
            .into_iter()
            .map(|n| (n.clone(), response.header(&n).unwrap_or("").to_string()))
            .collect();
        Page {
            status: response.status(),
            location: response.header("location").map(String::from),
            set_cookie,
            headers,
            body: response.into_string().unwrap(),
        }
    }

    fn send(&mut self, request: ureq::Request, body: Option<(&str, String)>) -> Page {
        let request = request.set("Cookie", &self.cookie_header());
        let result = match body {
            Some((kind, text)) => request.set("Content-Type", kind).send_string(&text),
            None => request.call(),
        };
        match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => self.keep(r),
            Err(e) => panic!("no answer: {e}"),
        }
    }

    pub(crate) fn get(&mut self, path: &str) -> Page {
        let request = self.agent.get(&format!("{}{path}", self.base));
        self.send(request, None)
    }

    pub(crate) fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self.agent.post(&format!("{}{path}", self.base));
        self.send(request, Some(("application/x-www-form-urlencoded", body)))
    }

    pub(crate) fn json(
        &mut self,
        method: &str,
        path: &str,
        csrf: Option<&str>,
        body: &Value,
    ) -> Page {
        let mut request = self.agent.request(method, &format!("{}{path}", self.base));
        if let Some(token) = csrf {
            request = request.set("X-CSRF-Token", token);
        }
        self.send(request, Some(("application/json", body.to_string())))
    }

    pub(crate) fn sign_in(&mut self, fields: &[(&str, &str)]) -> Page {
        self.form("/signin", fields)
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The page's CSRF token (its `<meta name="csrf-token">`).
pub(crate) fn csrf(page: &Page) -> String {
    let at = page
        .body
        .find("name=\"csrf-token\" content=\"")
        .unwrap_or_else(|| panic!("no CSRF token in:\n{}", page.body));
    let rest = &page.body[at + 27..];
    rest[..rest.find('"').unwrap()].to_string()
}

pub(crate) fn judge_user(args: &[&str], data: &Path, stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args(["user"])
        .args(args)
        .arg("--data")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn signing_in_by_password_or_token_opens_a_session_with_a_safe_cookie() {
    let (_keep, data) = data_dir();
    let (ok, said) = judge_user(
        &["add", "ada", "--password-stdin"],
        &data,
        "correct horse battery\n",
    );
    assert!(ok, "{said}");
    let token = add_user(&data, "bob", "candidate");
    let server = Server::start(&data);
    let mut browser = Client::new(&server);

    // Not signed in: the home page is the sign-in form, and a page sends there and back.
    let home = browser.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains("<form method=\"post\" action=\"/signin\""),
        "{}",
        home.body
    );
    let away = browser.get("/problems/t-value");
    assert_eq!(away.status, 303);
    assert_eq!(away.location.as_deref(), Some("/?next=/problems/t-value"));

    // A wrong password is a plain message, not a session.
    let wrong = browser.sign_in(&[("name", "ada"), ("password", "wrong horse battery")]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("do not match"), "{}", wrong.body);
    assert!(wrong.set_cookie.is_empty());

    let signed = browser.sign_in(&[
        ("name", "ada"),
        ("password", "correct horse battery"),
        ("next", "/problems/t-value"),
    ]);
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert_eq!(signed.location.as_deref(), Some("/problems/t-value"));
    let cookie = &signed.set_cookie[0];
    assert!(cookie.starts_with("judge_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    let page = browser.get("/problems/t-value");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ada · candidate"), "{}", page.body);

    // A token signs in too; a next page on another site is not followed.
    let mut other = Client::new(&server);
    let by_token = other.sign_in(&[("token", &token), ("next", "//evil.example/")]);
    assert_eq!(by_token.status, 303);
    assert_eq!(by_token.location.as_deref(), Some("/problems"));
    assert!(other.get("/problems").body.contains("bob · candidate"));
    // A script reads the pages with the API's bearer token, no session needed.
    let scripted = ureq::get(&format!("{}/problems/t-value", server.url))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(scripted.status(), 200);
    assert!(scripted.into_string().unwrap().contains("bob · candidate"));
    let unknown = Client::new(&server).sign_in(&[("token", "0123")]);
    assert_eq!(unknown.status, 401);
    assert!(unknown.body.contains("That access token is not known."));

    // Signing out needs the page's CSRF token, and ends the session for good.
    let stale = browser.clone_cookies();
    let refused = browser.form("/signout", &[("csrf", "not-it")]);
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("reload the page"), "{}", refused.body);
    let token_now = csrf(&browser.get("/problems"));
    let out = browser.form("/signout", &[("csrf", &token_now)]);
    assert_eq!(out.status, 303);
    assert_eq!(browser.get("/problems").status, 303);
    let mut replay = Client::new(&server);
    replay.cookies = stale;
    assert_eq!(
        replay.get("/problems").status,
        303,
        "the old cookie still opened a page after signing out"
    );
}

impl Client {
    fn clone_cookies(&self) -> HashMap<String, String> {
        self.cookies.clone()
    }
}

#[test]
fn a_sign_in_from_another_site_is_refused() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let forged = ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .post(&format!("{}/signin", server.url))
        .set("Origin", "http://evil.example")
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&format!("token={token}"));
    let Err(ureq::Error::Status(403, response)) = forged else {
        panic!("a cross-site sign-in was not refused: {forged:?}");
    };
    assert!(response.header("set-cookie").is_none());
    assert!(response
        .into_string()
        .unwrap()
        .contains("must come from this site's own form"));
}

#[test]
fn the_api_takes_the_session_cookie_only_with_the_pages_csrf_token() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &token)]);
    let page = browser.get("/problems/t-value");
    let csrf = csrf(&page);
    let draft = json!({ "source": "// my draft <b>bold</b>\n" });

    // Reading needs no token; changing does.
    let read = browser.get("/api/v1/problems");
    assert_eq!(read.status, 200);
    let forged = browser.json("PUT", "/api/v1/problems/t-value/draft", None, &draft);
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("CSRF"), "{}", forged.body);
    let wrong = browser.json("PUT", "/api/v1/problems/t-value/draft", Some("00"), &draft);
    assert_eq!(wrong.status, 403);
    let forged_submit = browser.json(
        "POST",
        "/api/v1/submissions",
        None,
        &json!({ "problem": "t-value", "source": "fn main() {}" }),
    );
    assert_eq!(forged_submit.status, 403);

    let saved = browser.json("PUT", "/api/v1/problems/t-value/draft", Some(&csrf), &draft);
    assert_eq!(saved.status, 200, "{}", saved.body);
    // The editor holds the draft next time, escaped as text.
    let again = browser.get("/problems/t-value");
    assert!(
        again.body.contains("// my draft &lt;b&gt;bold&lt;/b&gt;"),
        "{}",
        again.body
    );
    assert!(again.body.contains("Your saved code, from"));
    let (status, back) = crate::serve::get(&server.api("/problems/t-value/draft"), &token);
    assert_eq!(status, 200);
    assert_eq!(back["source"], draft["source"]);

    // A draft over the source limit is refused, naming the limit.
    let big = json!({ "source": "x".repeat(70_000) });
    let too_big = browser.json("PUT", "/api/v1/problems/t-value/draft", Some(&csrf), &big);
    assert_eq!(too_big.status, 413);
    assert!(
        too_big.body.contains("the most is 65536"),
        "{}",
        too_big.body
    );
    let nowhere = browser.json("PUT", "/api/v1/problems/no-such/draft", Some(&csrf), &draft);
    assert_eq!(nowhere.status, 404);
}

#[test]
fn a_problem_page_reads_without_javascript() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &token)]);
    let page = browser.get("/problems/t-value");
    assert_eq!(page.status, 200);
    // The statement, rendered on the server: headings, the signature, the scoring, samples.
    for part in [
        "<h1>One-sample t statistic</h1>",
        "<h2>Signature</h2>",
        "<h2>Scoring</h2>",
        "<h2>Samples</h2>",
        "pub fn t_value",
        // The editor's fallback holds the stub; a custom input names each argument.
        "<textarea id=\"source\"",
        "data-arg=\"",
        // t-value has a generator: a submission may ask for its measured complexity.
        "<input id=\"measure\" type=\"checkbox\">",
    ] {
        assert!(
            page.body.contains(part),
            "the page lacks {part}:\n{}",
            page.body
        );
    }
    // Scripts come from the site only, and the page may not be framed.
    let csp = &page.headers["content-security-policy"];
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert!(
        !page.body.contains("<script>"),
        "an inline script: {}",
        page.body
    );
    // Assets are served, the editor among them.
    let editor = browser.get(&asset_path(&page.body, "editor.js"));
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("JudgeEditor"));
    assert_eq!(browser.get("/problems/no-such").status, 404);
    assert!(browser
        .get("/problems/no-such")
        .body
        .contains("There is no problem no-such."));
}

pub(crate) fn asset_path(body: &str, name: &str) -> String {
    let at = body.find(&format!("/assets/{name}?v=")).unwrap();
    let rest = &body[at..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[test]
fn a_candidate_sees_its_own_submissions_and_an_author_sees_all_and_rejudges() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let ann = add_user(&data, "ann", "author");
    let server = Server::start(&data);
    let (_, mine) = post(
        &server.api("/submissions?wait=true"),
        &ada,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    let (_, theirs) = post(
        &server.api("/submissions?wait=true"),
        &bob,
        &submission("t-value", "pub fn t_value() {}"),
    );
    let (mine, theirs) = (mine["id"].as_i64().unwrap(), theirs["id"].as_i64().unwrap());

    let mut candidate = Client::new(&server);
    candidate.sign_in(&[("token", &ada)]);
    let own = candidate.get(&format!("/submissions/{mine}"));
    assert_eq!(own.status, 200);
    assert!(own.body.contains("Accepted"), "{}", own.body);
    assert!(own.body.contains("score 100 of 100"), "{}", own.body);
    assert!(
        own.body.contains("pub fn t_value"),
        "the code is shown: {}",
        own.body
    );
    // Someone else's submission does not exist, for a candidate.
    for path in [
        format!("/submissions/{theirs}"),
        format!("/submissions/{theirs}/report"),
    ] {
        let page = candidate.get(&path);
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("bob"), "{}", page.body);
    }
    let history = candidate.get("/history");
    assert!(history.body.contains(&format!("/submissions/{mine}")));
    assert!(!history.body.contains(&format!("/submissions/{theirs}")));
    assert!(!history.body.contains("Rejudge"));
    let list = candidate.get("/problems");
    assert!(list.body.contains("Solved · best 100/100"), "{}", list.body);

    // The compile error of bob's is shown with rustc's message, its line marked.
    let mut author = Client::new(&server);
    author.sign_in(&[("token", &ann)]);
    let failed = author.get(&format!("/submissions/{theirs}/report"));
    assert_eq!(failed.status, 200);
    assert!(failed.body.contains("Compile error"), "{}", failed.body);
    assert!(
        failed.body.contains("data-diagnostics=\""),
        "{}",
        failed.body
    );
    let all = author.get("/history?problem=t-value");
    assert!(all.body.contains(&format!("/submissions/{theirs}")));
    assert!(all.body.contains(&format!("/submissions/{mine}")));
    let token = csrf(&all);
    let rejudged = author.form("/problems/t-value/rejudge", &[("csrf", &token)]);
    assert_eq!(rejudged.status, 303, "{}", rejudged.body);
    let forged = author.form("/problems/t-value/rejudge", &[("csrf", "x")]);
    assert_eq!(forged.status, 403);
    let own_token = csrf(&candidate.get("/history"));
    let not_allowed = candidate.form("/problems/t-value/rejudge", &[("csrf", &own_token)]);
    assert_eq!(not_allowed.status, 403);
    assert!(not_allowed
        .body
        .contains("Only authors and admins rejudge."));
}

#[test]
fn user_password_sets_a_password_and_says_what_is_wrong() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let (ok, said) = judge_user(&["password", "ada"], &data, "short\n");
    assert!(!ok);
    assert!(said.contains("at least 8 characters"), "{said}");
    let (ok, said) = judge_user(&["password", "nobody"], &data, "long enough pass\n");
    assert!(!ok);
    assert!(said.contains("no user named nobody"), "{said}");
    let server = Server::start(&data);
    let mut before = Client::new(&server);
    before.sign_in(&[("token", &token)]);
    assert_eq!(before.get("/problems").status, 200);
    let (ok, said) = judge_user(&["password", "ada"], &data, "long enough pass\n");
    assert!(ok, "{said}");
    // A new password ends the sign-ins made before it.
    assert_eq!(before.get("/problems").status, 303);
    let signed = Client::new(&server).sign_in(&[("name", "ada"), ("password", "long enough pass")]);
    assert_eq!(signed.status, 303, "{}", signed.body);
}

#[test]
fn signing_a_user_out_everywhere_ends_its_sessions() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &token)]);
    assert_eq!(browser.get("/problems").status, 200);
    let (ok, said) = judge_user(&["sign-out", "ada"], &data, "");
    assert!(ok, "{said}");
    assert!(said.contains("ada signed out of 1 session(s)"), "{said}");
    // The page sends the browser to sign in again, and its script's calls get 401.
    assert_eq!(browser.get("/problems").status, 303);
    let api = browser.get("/api/v1/problems");
    assert_eq!(api.status, 401);
    assert!(api.body.contains("or sign in"), "{}", api.body);
    let (ok, said) = judge_user(&["sign-out", "nobody"], &data, "");
    assert!(!ok);
    assert!(said.contains("no user named nobody"), "{said}");
}

#[test]
fn too_many_requests_is_a_page_that_says_so() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, &["--rate", "2", "--workers", "1"]);
    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &token)]);
    let statuses: Vec<u16> = (0..3).map(|_| browser.get("/problems").status).collect();
    assert_eq!(statuses[..2], [200, 200]);
    let over = browser.get("/problems");
    assert_eq!(over.status, 429);
    assert!(over.body.contains("Too many requests"), "{}", over.body);
    assert!(
        over.body.contains("Wait a moment, then reload."),
        "{}",
        over.body
    );
}

#[test]
fn what_a_red_team_tried_is_refused_in_words() {
    let (_keep, data) = data_dir();
    let (ok, said) = judge_user(
        &["add", "ada", "--password-stdin"],
        &data,
        "correct horse battery\n",
    );
    assert!(ok, "{said}");
    let ann = add_user(&data, "ann", "author");
    let server = Server::start(&data);

    // A next page with a tab (browsers drop it: `//evil.example`) is not followed.
    let mut browser = Client::new(&server);
    let signed = browser.sign_in(&[
        ("name", "ada"),
        ("password", "correct horse battery"),
        ("next", "/\t/evil.example/"),
    ]);
    assert_eq!(signed.location.as_deref(), Some("/problems"));
    // Pages are not kept for the back button; a sign-out by address is sent home.
    let page = browser.get("/problems");
    assert_eq!(page.headers["cache-control"], "no-store");
    assert_eq!(browser.get("/signout").location.as_deref(), Some("/"));
    // A submission id that is not a number is a page in words, not a parse error.
    let odd = browser.get("/submissions/abc");
    assert_eq!(odd.status, 404);
    assert!(
        odd.body.contains("There is no submission abc."),
        "{}",
        odd.body
    );

    // An author's history offers to rejudge known problems only.
    let mut author = Client::new(&server);
    author.sign_in(&[("token", &ann)]);
    let crafted = author.get("/history?problem=..%2F..%2Fsignout%3Fx%3D");
    assert!(!crafted.body.contains("rejudge\""), "{}", crafted.body);
    assert!(
        !crafted.body.contains("action=\"/problems/../"),
        "{}",
        crafted.body
    );

    // Guessing a password: after five wrong ones the name is refused from this address for
    // a while (a growing wait; `serve_redteam` shows the real user elsewhere is not).
    let mut guesser = Client::new(&server);
    for n in 0..5 {
        let wrong = guesser.sign_in(&[("name", "ada"), ("password", &format!("guess {n}"))]);
        assert_eq!(wrong.status, 401, "{}", wrong.body);
    }
    let refused = guesser.sign_in(&[("name", "ada"), ("password", "correct horse battery")]);
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(
        refused.body.contains("Too many wrong passwords"),
        "{}",
        refused.body
    );
    assert!(refused.set_cookie.is_empty());

    // A name with spaces around it could never sign in: refused when added.
    let (ok, said) = judge_user(&["add", " spacey "], &data, "");
    assert!(!ok);
    assert!(
        said.contains("may not be empty, start or end with spaces"),
        "{said}"
    );
}

#[test]
fn a_kattis_package_has_a_page_with_its_statement_and_a_main_stub() {
    use crate::serve_kattis::{bank_with_package, PACKAGE};
    let (keep, data) = data_dir();
    let bank = keep.path().join("bank");
    bank_with_package(&bank);
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start_on_bank(&data, &["--rate", "1000000", "--workers", "2"], &bank);
    let mut browser = Client::new(&server);
    browser.sign_in(&[("token", &token)]);

    let list = browser.get("/problems");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Big Sum"), "{}", list.body);
    assert!(list.body.contains("unrated"), "{}", list.body);
    let filtered = browser.get("/problems?difficulty=unrated");
    assert!(filtered.body.contains("Big Sum"), "{}", filtered.body);

    let page = browser.get(&format!("/problems/{PACKAGE}"));
    assert_eq!(page.status, 200, "{}", page.body);
    for part in [
        "<h1>Big Sum</h1>",
        "Subtask 1 (30 points)",
        "<h2>Sample 1</h2>",
        "<textarea id=\"source\"",
        "fn main()",
        "reads the input on stdin",
    ] {
        assert!(
            page.body.contains(part),
            "the page lacks {part}:\n{}",
            page.body
        );
    }
    // No argument to fill in: the program reads stdin.
    assert!(!page.body.contains("data-arg=\""), "{}", page.body);

    // The page's script runs the samples through the API with the session.
    let csrf = csrf(&page);
    let source = std::fs::read_to_string(
        crate::repo().join("tests/fixtures/kattis/subtasks/submissions/accepted/i64.rs"),
    )
    .unwrap();
    let run = browser.json(
        "POST",
        "/api/v1/submissions",
        Some(&csrf),
        &json!({ "problem": PACKAGE, "source": source, "mode": "run" }),
    );
    assert_eq!(run.status, 201, "{}", run.body);
    let id = serde_json::from_str::<Value>(&run.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let done = crate::serve::finished(&server, &token, id);
    assert_eq!(done["report"]["result"], "samples-passed", "{done}");
    // Its page and fragment render the package's report.
    let shown = browser.get(&format!("/submissions/{id}"));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("sample/1"), "{}", shown.body);
}

#[test]
fn behind_https_the_session_cookie_is_secure_and_host_only() {
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, &["--rate", "1000000", "--secure-cookies"]);
    let mut browser = Client::new(&server);
    let signed = browser.sign_in(&[("token", &token)]);
    let cookie = &signed.set_cookie[0];
    assert!(cookie.starts_with("__Host-judge_session="), "{cookie}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
    // The cookie of that name opens the pages; one of the plain name does not.
    assert_eq!(browser.get("/problems").status, 200);
    let mut plain = Client::new(&server);
    plain.cookies.insert(
        "judge_session".into(),
        browser.cookies["__Host-judge_session"].clone(),
    );
    assert_eq!(plain.get("/problems").status, 303);
    let page = browser.get("/problems");
    let out = browser.form("/signout", &[("csrf", &csrf(&page))]);
    assert!(
        out.set_cookie[0].starts_with("__Host-judge_session=;"),
        "{:?}",
        out.set_cookie
    );
    assert!(out.set_cookie[0].contains("Secure"));
}
