//! What the pages' script adds, in a real headless Chromium against a real `judge serve`:
//! the problem list filtered and sorted as the candidate types (and agreeing with the
//! server's own filtering of the same address), the editor's draft kept in the browser, the
//! reset to the stub, the theme. Each test is one browser session walking several steps.

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::serve::{add_user, data_dir, post, source, submission, Server, T_VALUE_AC, T_VALUE_WA};
use crate::web_browser::sign_in;

/// The ids of the list's rows on screen, in order.
const SHOWN_ROWS: &str = "return Array.from(document.querySelectorAll('#problem-list tbody tr'))
    .filter((r) => !r.hidden).map((r) => r.dataset.problem);";

/// The ids the server shows for the page's current address, as a browser without the
/// script would get them (the same rows, those not `hidden`, in the server's order).
const SERVER_ROWS: &str = "const done = arguments[arguments.length - 1];
    fetch(location.href, { credentials: 'same-origin' })
      .then((r) => r.text())
      .then((html) => {
        const page = new DOMParser().parseFromString(html, 'text/html');
        done(Array.from(page.querySelectorAll('#problem-list tbody tr'))
          .filter((r) => !r.hasAttribute('hidden')).map((r) => r.dataset.problem));
      })
      .catch((e) => done('fetch failed: ' + e));";

/// Waits until the rows on screen are `expected`, then checks the server shows the same
/// rows for the address the script wrote.
#[track_caller]
fn rows_are(b: &Browser, expected: &[&str]) {
    let want = json!(expected);
    b.wait_js(
        &format!("the list to show {want}"),
        &format!("const ids = (function () {{ {SHOWN_ROWS} }})(); return JSON.stringify(ids) === arguments[0] ? ids : null;"),
        &[json!(want.to_string())],
    );
    let server = b.execute_async(SERVER_ROWS, &[]);
    assert_eq!(server, want, "the server's list for {}", b.current_url());
}

/// Picks the option of value `value` in the list's select `name`, as a click on it does.
#[track_caller]
fn choose(b: &Browser, name: &str, value: &str) {
    b.click(&format!("select[name={name}] option[value='{value}']"));
}

#[test]
fn the_problem_list_filters_and_sorts_as_a_candidate_types() {
    let Some(b) = Browser::start("list") else {
        return;
    };
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let bob = add_user(&data, "bob", "candidate");
    let server = Server::start(&data);
    for (token, file) in [(&ada, T_VALUE_AC), (&bob, T_VALUE_WA)] {
        let (status, s) = post(
            &server.api("/submissions?wait=true"),
            token,
            &submission("t-value", &source(file)),
        );
        assert_eq!(status, 201, "{s}");
    }
    let (status, s) = post(
        &server.api("/submissions?wait=true"),
        &ada,
        &submission("linear-regression", "fn broken("),
    );
    assert_eq!(status, 201, "{s}");

    sign_in(&b, &server, &ada, "/problems");
    b.wait_for("table.problems");
    b.wait_text("section.progress", "Solved 1 of");
    // Filtering follows the fields as they change: no button to press.
    assert_eq!(
        b.execute(
            "return document.getElementById('apply-filters').hidden",
            &[]
        ),
        json!(true)
    );
    b.shot("list");

    // Typing narrows the list at each key, over titles, ids and tags.
    b.send_keys("input[name=q]", "regr");
    rows_are(
        &b,
        &[
            "linear-regression",
            "logistic-regression",
            "gradient-descent",
        ],
    );
    assert!(
        b.current_url().ends_with("/problems?q=regr"),
        "{}",
        b.current_url()
    );
    b.wait_text("#list-count", "Showing 3 of");
    b.shot("list-search");
    b.send_keys("input[name=q]", "ession least");
    rows_are(&b, &["linear-regression"]);

    // Difficulty and tag, then the status.
    b.fill("input[name=q]", "");
    choose(&b, "difficulty", "medium");
    choose(&b, "tag", "regression");
    rows_are(&b, &["linear-regression", "logistic-regression"]);
    choose(&b, "state", "tried");
    rows_are(&b, &["linear-regression"]);
    for field in ["state", "tag", "difficulty"] {
        choose(&b, field, "");
    }

    // Sorting by a column heading, then the other way by clicking it again.
    b.click("th[data-sort=acceptance] a");
    b.wait_js(
        "the acceptance heading to say ascending",
        "return document.querySelector('th[data-sort=acceptance]').getAttribute('aria-sort') === 'ascending';",
        &[],
    );
    let first = |b: &Browser| {
        b.execute(
            &format!("return (function () {{ {SHOWN_ROWS} }})()[0];"),
            &[],
        )
    };
    // linear-regression's one submission did not compile (0 of 1), t-value's are 1 of 2.
    assert_eq!(first(&b), json!("linear-regression"));
    let ascending = b.execute_async(SERVER_ROWS, &[]);
    assert_eq!(
        b.execute(&format!("return (function () {{ {SHOWN_ROWS} }})();"), &[]),
        ascending
    );
    b.click("th[data-sort=state] a");
    b.click("th[data-sort=state] a");
    b.wait_js(
        "the status heading to say descending",
        "return document.querySelector('th[data-sort=state]').getAttribute('aria-sort') === 'descending';",
        &[],
    );
    let by_state = b.execute(&format!("return (function () {{ {SHOWN_ROWS} }})();"), &[]);
    assert_eq!(by_state[0], json!("t-value"));
    assert_eq!(by_state[1], json!("linear-regression"));
    assert_eq!(b.execute_async(SERVER_ROWS, &[]), by_state);
    b.shot("list-by-state");

    // Nothing matches: said so. A reload keeps what was typed (the address holds it).
    b.send_keys("input[name=q]", "zzz-no-such");
    b.wait_for("#no-match");
    b.reload();
    b.wait_for("#no-match");
    assert_eq!(
        b.execute("return document.querySelector('input[name=q]').value", &[]),
        Value::from("zzz-no-such")
    );
}
