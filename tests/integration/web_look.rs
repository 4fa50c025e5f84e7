//! Every page a candidate meets, in one browser session: checked by axe-core in the light
//! and the dark theme, at a phone's width, and photographed in each
//! (`target/browser-shots/look/`), with the browser's console clean throughout.

use crate::browser::Browser;
use serde_json::json;

use crate::page_checks::{look, phone_shot_of, DESKTOP, PHONE};
use crate::serve::{source, T_VALUE_AC, T_VALUE_WA};
use crate::web_browser::{set_code, with_a_candidate};

#[test]
fn every_page_is_accessible_in_both_themes_and_fits_a_phone() {
    let Some(b) = Browser::start("look") else {
        return;
    };
    let (_keep, server, ada) = with_a_candidate();
    let url = |path: &str| format!("{}{path}", server.url);

    b.goto(&url("/"));
    b.wait_for("form[action='/signin']");
    look(&b, "signin");
    // A failed sign-in: its page answers 401, which the console notes.
    b.allow_console("/signin - Failed to load resource: the server responded with a status of 401");
    b.fill("input[name=name]", "ada");
    b.fill("input[name=password]", "not her password");
    b.click("form[action='/signin'] button[type=submit]");
    b.wait_for("#signin-error");
    look(&b, "signin-failed");
    b.fill("input[name=token]", &ada);
    b.click("form[action='/signin'] button[type=submit]");
    b.wait_for("table.problems");
    look(&b, "problems");

    b.goto(&url("/problems/t-value"));
    b.wait_for(".cm-editor .cm-content");
    look(&b, "problem");
    // On a phone the statement comes first, the editor below it, as wide as the screen.
    b.set_size(PHONE.0, PHONE.1);
    let placed = b.execute(
        "const s = document.querySelector('.statement').getBoundingClientRect();
         const e = document.querySelector('.editor-host').getBoundingClientRect();
         return [s.bottom <= e.top, e.left >= 0 && e.right <= innerWidth, e.width];",
        &[],
    );
    assert_eq!(
        placed[0],
        json!(true),
        "the statement is not above the editor: {placed}"
    );
    assert_eq!(
        placed[1],
        json!(true),
        "the editor is wider than the screen: {placed}"
    );
    assert!(placed[2].as_f64().unwrap() > 300.0, "{placed}");
    b.set_size(DESKTOP.0, DESKTOP.1);
    // A failed run (the diff), then an accepted submission (the groups' table).
    set_code(&b, &source(T_VALUE_WA));
    b.click("#run");
    b.wait_for("#result section.failure pre.diff");
    look(&b, "problem-run-failed");
    phone_shot_of(&b, "problem-run-failed-report", "#result");
    set_code(&b, &source(T_VALUE_AC));
    b.click("#submit");
    b.wait_text("#result .report .verdict", "Accepted");
    look(&b, "problem-accepted");
    phone_shot_of(&b, "problem-accepted-report", "#result");
    b.click("#reset");
    b.wait_for("#reset-dialog[open]");
    look(&b, "problem-reset-dialog");
    b.click("#reset-cancel");

    b.goto(&url("/history"));
    b.wait_for("table.history");
    look(&b, "history");
    b.click("table.history tr:first-child td a");
    b.wait_text(".submission-page .report .verdict", "Accepted");
    look(&b, "submission");

    b.allow_console(
        "/no-such-page - Failed to load resource: the server responded with a status of 404",
    );
    b.goto(&url("/no-such-page"));
    b.wait_for(".error-page");
    look(&b, "not-found");
}
