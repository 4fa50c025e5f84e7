//! Measured complexity from the problem page, in a real headless Chromium: the box under
//! the buttons asks for it, and the report that comes back has the section. Without
//! Chromium this says SKIPPED (and fails under CI=true, whose `.ci/run` installs it).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::browser::Browser;
use crate::serve::{add_user, data_dir, source, Server, T_VALUE_AC};
use crate::web_browser::{set_code, sign_in};

#[test]
fn a_candidate_asks_for_the_complexity_of_a_submission() {
    let Some(b) = Browser::start("measure") else {
        return;
    };
    let (_keep, data) = data_dir();
    let token = add_user(&data, "ada", "candidate");
    let server = Server::start(&data);
    sign_in(&b, &server, &token, "/problems/t-value");
    b.wait_for(".cm-editor .cm-content");
    set_code(&b, &source(T_VALUE_AC));
    b.click("#measure");
    b.click("#submit");
    // The report comes once judged and measured: longer than the browser helpers' wait
    // on a busy machine, so the wait here is its own.
    let deadline = Instant::now() + Duration::from_mins(3);
    while b.execute(
        "return document.querySelector('#result .report .verdict') !== null;",
        &[],
    ) != json!(true)
    {
        assert!(Instant::now() < deadline, "no report within 3 minutes");
        std::thread::sleep(Duration::from_millis(200));
    }
    b.wait_text("#result .report .verdict", "Accepted");
    b.wait_for("#result section.complexity table.complexity-costs");
    b.wait_text("#result section.complexity", "Your solution grows like");
    b.execute(
        "document.querySelector('#result section.complexity').scrollIntoView();",
        &[],
    );
    b.shot("complexity");
}
