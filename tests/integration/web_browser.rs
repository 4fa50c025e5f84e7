//! The web interface in a real headless Chromium against a real `judge serve`: what a
//! candidate does, step by step, with a screenshot per step under
//! `target/browser-shots/<test>/`. Without Chromium these tests say SKIPPED (and fail under
//! CI=true, whose `.ci/run` installs it).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::browser::{chord, Browser, Key};
use crate::page_checks::accessible;
use crate::serve::{
    add_user, data_dir, finished, post, slow_ac, source, submission, succeeded, Server, T_VALUE_AC,
    T_VALUE_WA,
};

/// Signs in through the form with a token and lands on `next`.
pub(crate) fn sign_in(b: &Browser, server: &Server, token: &str, next: &str) {
    b.goto(&format!("{}/?next={next}", server.url));
    b.wait_for("form[action='/signin']");
    b.fill("input[name=token]", token);
    b.click("form[action='/signin'] button[type=submit]");
}

/// A fresh server with one candidate, ada: the temp dir that keeps its data, the server, and
/// ada's token.
pub(crate) fn with_a_candidate() -> (tempfile::TempDir, Server, String) {
    let (keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    (keep, server, ada)
}

/// Signs in and lands on the problem page at `path`, once its editor is drawn.
pub(crate) fn open_problem(b: &Browser, server: &Server, token: &str, path: &str) {
    sign_in(b, server, token, path);
    b.wait_for(".cm-editor .cm-content");
}

/// Waits for the report of what was sent, for at most `minutes`: a judging measured for
/// its complexity, or in a slower language, can take longer than the browser's own wait on
/// a busy machine.
pub(crate) fn wait_for_report(b: &Browser, minutes: u64) {
    let deadline = Instant::now() + Duration::from_secs(60 * minutes);
    while b.execute(
        "return document.querySelector('#result .report .verdict') !== null;",
        &[],
    ) != json!(true)
    {
        assert!(
            Instant::now() < deadline,
            "no report within {minutes} minutes"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Puts `text` in the editor (typing a whole file into CodeMirror would fight its
/// auto-indentation and closing brackets; typing itself is tried separately).
pub(crate) fn set_code(b: &Browser, text: &str) {
    b.execute(
        "document.getElementById('editor-host').judgeEditor.setDoc(arguments[0]);",
        &[json!(text)],
    );
}

/// The editor's whole text.
pub(crate) fn code(b: &Browser) -> String {
    let text = b.execute(
        "return document.getElementById('editor-host').judgeEditor.getDoc();",
        &[],
    );
    text.as_str().unwrap_or_default().to_string()
}

/// A right t-value solution that spends about a fifth of a second on each case (of a one
/// second limit), so that its live table is on screen for seconds, not a blink.
fn slower_ac() -> String {
    slow_ac(1).replace("30_000_000u64", "200_000_000u64")
}

/// Counts, from now on, the most rows the live table of cases had at once.
fn watch_live_rows(b: &Browser) {
    b.execute(
        "window.liveRows = 0;
         new MutationObserver(() => {
           const n = document.querySelectorAll('#result table.live tr[data-case]').length;
           window.liveRows = Math.max(window.liveRows, n);
         }).observe(document.getElementById('result'), {childList: true, subtree: true});",
        &[],
    );
}

#[test]
fn a_candidate_runs_fails_fixes_and_submits_in_the_browser() {
    let Some(b) = Browser::start("candidate") else {
        return;
    };
    let (_keep, server, token) = with_a_candidate();

    sign_in(&b, &server, &token, "/problems");
    b.wait_for("table.problems");
    b.wait_text("tr[data-problem='t-value'] td.state", "Not tried");
    b.shot("problem-list");

    b.click("tr[data-problem='t-value'] a");
    b.wait_for(".cm-editor .cm-content");
    b.wait_text(".statement h1", "One-sample t statistic");
    // The editor holds the stub, with Rust highlighting, and takes typing.
    assert!(b.text(".cm-content").contains("pub fn t_value"));
    assert!(b.count(".cm-content span[class^='ͼ']") > 0 || b.count(".cm-content span") > 0);
    b.send_keys(".cm-content", &chord(&[Key::Control], Key::End));
    b.send_keys(".cm-content", "\n// typed by hand");
    b.wait_text(".cm-content", "// typed by hand");
    b.shot("problem-page");

    // A wrong solution: run (Ctrl+Enter in the editor) shows the failing sample's diff.
    set_code(&b, &source(T_VALUE_WA));
    b.send_keys(".cm-content", &chord(&[Key::Control], Key::Enter));
    b.wait_for("#result .report .verdict.bad");
    b.wait_text("#result .report", "A sample failed: Wrong answer");
    b.wait_for("#result section.failure pre.diff .del");
    b.wait_for("#result section.failure pre.diff .add");
    b.shot("run-wrong-answer");

    // A compile error: rustc's message, and its line marked in the editor.
    set_code(
        &b,
        "pub fn t_value(xs: Vec<f64>, mu: f64) -> f64 {\n    let y: i32 = \"not a number\";\n    0.0\n}\n",
    );
    b.click("#run");
    b.wait_for("#result pre.compile-error");
    b.wait_text("#result pre.compile-error", "mismatched types");
    b.wait_for(".cm-editor .cm-lintRange-error");
    b.wait_for(".cm-editor .cm-lint-marker-error");
    b.shot("compile-error-marked");

    // The right solution, run on an input of one's own: both answers side by side.
    set_code(&b, &source(T_VALUE_AC));
    b.click("#custom summary");
    b.wait_for("#custom textarea[data-arg]");
    b.click("#run-input");
    b.wait_for("#result .side-by-side pre.answer");
    b.wait_text(
        "#result .side-by-side",
        "Expected (the reference solution's answer)",
    );
    let mine = b.text("#result pre.answer");
    let expected = b.text("#result pre.expected");
    assert_eq!(mine, expected, "an accepted answer matches the reference's");
    b.wait_text("#result .verdict", "Accepted on your input");
    b.shot("custom-input");

    // Submit (Ctrl+Shift+Enter): cases fill in live, then the verdict and the score. The
    // solution is right but slow (and new, so it compiles), so its live table is seen.
    set_code(&b, &slower_ac());
    watch_live_rows(&b);
    b.send_keys(
        ".cm-content",
        &chord(&[Key::Control, Key::Shift], Key::Enter),
    );
    b.wait_for("#result table.live tr[data-case] .badge.ok");
    b.shot("submit-live");
    b.wait_text("#result .report .verdict", "Accepted");
    b.wait_text("#result .report .verdict", "score 100 of 100");
    let live_rows = b.execute("return window.liveRows;", &[]);
    assert!(
        live_rows.as_u64().unwrap_or(0) > 0,
        "no case appeared in the live table before the report: {live_rows}"
    );
    assert!(b.count("#result table.groups tr[data-group]") > 0);
    b.shot("submit-accepted");

    // The draft is kept on the server (saved a moment after the last change): a reload
    // holds the last code.
    set_code(&b, &source(T_VALUE_AC));
    b.wait_text("#draft-state", "Saved at");
    b.goto(&format!("{}/problems/t-value", server.url));
    b.wait_for(".cm-editor .cm-content");
    b.wait_text("#draft-state", "Your saved code, from");
    assert_eq!(code(&b), source(T_VALUE_AC));

    // History lists it; its page shows the code and the report.
    b.goto(&format!("{}/history", server.url));
    b.wait_for("table.history");
    b.wait_text("table.history", "AC · 100/100");
    b.shot("history");
    b.click("table.history tr:first-child td a");
    b.wait_text(".submission-page .report .verdict", "Accepted");
    b.wait_text(".submission-page pre.code", "pub fn t_value");
    b.goto(&format!("{}/problems", server.url));
    b.wait_text(
        "tr[data-problem='t-value'] td.state",
        "Solved · best 100/100",
    );
    b.shot("problem-list-solved");

    // At a phone's width the page is one column and still works.
    b.set_size(390, 844);
    b.goto(&format!("{}/problems/t-value", server.url));
    b.wait_for(".cm-editor .cm-content");
    let overflow = b.execute(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        &[],
    );
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "the page scrolls sideways at 390 px: {overflow}"
    );
    b.shot("phone-width");
}

#[test]
fn a_candidate_cannot_open_another_users_submission_page() {
    let Some(b) = Browser::start("others") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let server = Server::start(&data);
    let (_, theirs) = post(
        &server.api("/submissions?wait=true"),
        &bob,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    sign_in(&b, &server, &ada, "/problems");
    b.wait_for("table.problems");
    let theirs = format!("/submissions/{}", theirs["id"]);
    // Its answer is a 404 page, which the console notes.
    b.allow_console(&format!(
        "{theirs} - Failed to load resource: the server responded with a status of 404"
    ));
    b.goto(&format!("{}{theirs}", server.url));
    b.wait_text(".error-page", "There is no submission");
    assert!(!b.text("body").contains("pub fn t_value"));
    b.shot("not-found");
}

#[test]
fn errors_a_candidate_meets_are_plain_messages() {
    let Some(b) = Browser::start("errors") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    open_problem(&b, &server, &ada, "/problems/t-value");
    // Each refusal below is a failed request, which the console notes.
    for status in [
        "413 (Payload Too Large)",
        "401 (Unauthorized)",
        "net::ERR_CONNECTION_REFUSED",
    ] {
        b.allow_console(status);
    }

    // A source over the limit.
    set_code(&b, &format!("// {}\n", "x".repeat(70_000)));
    b.click("#run");
    b.wait_text("#status.error", "Too big");
    b.wait_text("#status.error", "the most is 65536");
    b.shot("source-too-big");

    // Not valid JSON in a custom argument.
    set_code(&b, &source(T_VALUE_AC));
    b.click("#custom summary");
    b.fill("#custom textarea[data-arg]", "[1, 2,");
    b.click("#run-input");
    b.wait_text("#status.error", "is not valid JSON");

    // The session ended elsewhere: the page says to sign in again, with a link.
    sign_out_everywhere(&data, "ada");
    b.click("#run");
    b.wait_text("#status.error", "Your sign-in has expired");
    b.wait_for("#status.error a[href^='/?next=']");
    b.shot("session-expired");

    // The service is down: said so, and the code stays in the editor.
    server.kill();
    b.click("#run");
    b.wait_text("#status.error", "cannot be reached");
    assert!(b.text(".cm-content").contains("pub fn t_value"));
    b.shot("service-down");
}

fn sign_out_everywhere(data: &Path, name: &str) {
    succeeded(
        Command::new(env!("CARGO_BIN_EXE_judge"))
            .args(["user", "sign-out", name, "--data"])
            .arg(data)
            .stdin(Stdio::null()),
    );
}

#[test]
fn an_author_sees_every_submission_and_rejudges() {
    let Some(b) = Browser::start("author") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let ann = add_user(&data, "ann", "author");
    let server = Server::start(&data);
    let (_, made) = post(
        &server.api("/submissions?wait=true"),
        &ada,
        &submission("t-value", &source(T_VALUE_AC)),
    );
    sign_in(&b, &server, &ann, "/history?problem=t-value");
    b.wait_for("table.history");
    b.wait_text("table.history", "ada");
    b.shot("author-history");
    b.click("#rejudge");
    b.wait_for("table.history");
    assert!(b.current_url().ends_with("/history?problem=t-value"));
    // Judged again, to the same result.
    let again = finished(&server, &ann, made["id"].as_i64().unwrap());
    assert_eq!(again["report"]["verdict"], "AC");
    b.goto(&format!("{}/history?problem=t-value", server.url));
    b.wait_text("table.history", "AC · 100/100");
    b.shot("after-rejudge");
}

/// A session made with `judge interview create`: (candidate link, interviewer link).
fn interview_links(server: &Server, token: &str, extra: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_judge"))
        .args([
            "interview",
            "create",
            "--serve",
            &server.url,
            "--token",
            token,
        ])
        .args(extra)
        .env("JUDGE_BANK", crate::repo())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    let line = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap()
            .to_string()
    };
    (line("candidate: "), line("interviewer: "))
}

#[test]
fn an_interviewer_watches_a_candidate_live_and_plays_it_back() {
    let Some(candidate) = Browser::start("interview-candidate") else {
        return;
    };
    let Some(interviewer) = Browser::start("interview-interviewer") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let (join, watch) = interview_links(&server, &ivy, &["--pick", "t-value", "--minutes", "30"]);

    interviewer.goto(&watch);
    interviewer.wait_text(".countdown", "has not opened the link yet");
    accessible(&interviewer, "the interviewer's page, waiting");
    interviewer.shot("waiting");

    // The link shows what starts when; the button starts the clock.
    candidate.goto(&join);
    candidate.wait_text(".join", "The clock starts when you press Start");
    accessible(&candidate, "the candidate's link");
    candidate.shot("join");
    interviewer.wait_text(".countdown", "has not opened the link yet");
    candidate.click(".join button");
    candidate.wait_text(".countdown", "Time left: ");
    crate::page_checks::look(&candidate, "session");
    candidate.shot("session");
    candidate.click("tr[data-problem='t-value'] a");
    candidate.wait_for(".cm-editor .cm-content");
    candidate.wait_text(".interview-bar", "time left");
    set_code(
        &candidate,
        "// my first idea\npub fn t_value(var: Vec<f64>, mu0: f64) -> f64 { 0.0 }\n",
    );
    candidate.wait_text("#draft-state", "Saved at");

    // The interviewer's view reloads itself and shows the code as saved.
    interviewer.wait_text(
        ".watched-problem[data-problem='t-value'] pre.code",
        "my first idea",
    );
    interviewer.shot("first-draft-seen");

    set_code(&candidate, &source(T_VALUE_AC));
    candidate.click("#run");
    candidate.wait_text("#result .report", "Samples passed");
    candidate.click("#submit");
    candidate.wait_text("#result .report .verdict", "Accepted");
    candidate.shot("accepted");
    interviewer.wait_text("table.timeline", "submit");
    interviewer.wait_text("table.timeline", "AC");
    interviewer.wait_text(
        ".watched-problem[data-problem='t-value'] pre.code",
        "(mean - mu0)",
    );
    interviewer.fill("textarea[name=text]", "solid on the variance");
    interviewer.click("form[action$='/watch/notes'] button");
    interviewer.wait_text("ul.notes", "solid on the variance");
    // The live view reloads itself every few seconds, but not while a note is being
    // written: a focused note holds it still for the checks.
    interviewer.execute(
        "document.querySelector('textarea[name=text]').focus();",
        &[],
    );
    crate::page_checks::look(&interviewer, "live-view");
    interviewer.shot("live-view");

    // A reload resumes where the candidate was.
    candidate.goto(&format!("{}/problems/t-value", server.url));
    candidate.wait_text(".cm-content", "(mean - mu0)");

    // Playback shows the earlier draft; the report has it all.
    interviewer.click(".watched-problem[data-problem='t-value'] a[href*='playback']");
    interviewer.wait_text(".playback", "Draft 2 of 2");
    let first = interviewer
        .current_url()
        .replace("playback?", "playback?at=1&");
    interviewer.goto(&first);
    interviewer.wait_text(".playback pre.code", "my first idea");
    accessible(&interviewer, "the playback");
    interviewer.shot("playback-first-draft");
    let report = interviewer
        .current_url()
        .replace("/playback?at=1&", "/report?");
    interviewer.goto(&report);
    interviewer.wait_text(".report-page", "Score: 100 of 100");
    interviewer.wait_text(".report-page", "solid on the variance");
    crate::page_checks::look(&interviewer, "report");
    interviewer.shot("report");

    // The candidate cannot open the interviewer's view.
    let watch_without_key = watch.split('?').next().unwrap().to_string();
    candidate.allow_console(
        "/watch - Failed to load resource: the server responded with a status of 404",
    );
    candidate.goto(&watch_without_key);
    candidate.wait_text(".error-page", "key");
}

#[test]
fn a_submission_after_the_deadline_is_refused_in_the_browser() {
    let Some(candidate) = Browser::start("interview-deadline") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ivy = add_user(&data, "ivy", "interviewer");
    let server = Server::start(&data);
    let (join, _) = interview_links(&server, &ivy, &["--pick", "t-value", "--minutes", "0.05"]);
    candidate.goto(&join);
    candidate.click(".join button");
    candidate.wait_for(".countdown");
    candidate.goto(&format!("{}/problems/t-value", server.url));
    candidate.wait_for(".cm-editor .cm-content");
    candidate.wait_text(".interview-bar", "time is up");
    set_code(&candidate, &source(T_VALUE_AC));
    // The draft and the submission are refused, which the console notes.
    candidate.allow_console("the server responded with a status of 403 (Forbidden)");
    candidate.click("#submit");
    candidate.wait_text("#status.error", "the interview is over");
    candidate.shot("refused");
}
