//! Languages in the problem page's editor, in a real headless Chromium: the picker switches
//! the editor to Python in place (its stub, Python highlighting), a Python solution is
//! submitted and accepted, and the submission, the history and the next visit all say
//! Python. Without Chromium this says SKIPPED (and fails under CI=true, whose `.ci/run`
//! installs it).

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::serve::source;
use crate::web_browser::{code, open_problem, set_code, wait_for_report, with_a_candidate};

const PYTHON_AC: &str = "problems/t-value/submissions/AC/numpy_std.py";

/// Chooses `language` in the picker, as a user does, and waits for the editor to hold
/// text containing `shows`.
fn choose(b: &Browser, language: &str, shows: &str) {
    b.click(&format!("#language option[value='{language}']"));
    b.wait_js(
        &format!("the editor in {language} to show {shows:?}"),
        "return document.querySelector('.workspace').dataset.language === arguments[0]
             && document.getElementById('editor-host').judgeEditor.getDoc().includes(arguments[1]);",
        &[json!(language), json!(shows)],
    );
}

/// Whether the word `word` is shown as a token of its own, coloured unlike plain text: a
/// keyword of the editor's grammar.
fn highlighted(b: &Browser, word: &str) -> Value {
    b.execute(
        "const plain = getComputedStyle(document.querySelector('.cm-line')).color;
         const spans = Array.from(document.querySelectorAll('.cm-content span'))
           .filter((s) => s.textContent === arguments[0]);
         return spans.length > 0 && spans.every((s) => getComputedStyle(s).color !== plain);",
        &[json!(word)],
    )
}

#[test]
fn a_candidate_writes_python_in_the_editor_and_is_accepted() {
    if !crate::kattis_languages::installed(
        &["python"],
        "a_candidate_writes_python_in_the_editor_and_is_accepted",
    ) {
        return;
    }
    let Some(b) = Browser::start("languages") else {
        return;
    };
    let (_keep, server, token) = with_a_candidate();
    open_problem(&b, &server, &token, "/problems/t-value");
    // Rust first, with the picker's button gone: the script switches on a choice.
    assert!(code(&b).contains("pub fn t_value("), "{}", code(&b));
    assert_eq!(
        b.execute("return document.getElementById('language-go').hidden;", &[]),
        json!(true)
    );
    assert_eq!(highlighted(&b, "fn"), json!(true), "Rust's keywords");

    choose(&b, "python", "def t_value(");
    assert!(!code(&b).contains("pub fn"), "{}", code(&b));
    assert_eq!(highlighted(&b, "def"), json!(true), "Python's keywords");
    b.wait_text("#draft-state", "The starting code in Python 3.");
    assert!(
        b.current_url().ends_with("?language=python"),
        "{}",
        b.current_url()
    );
    b.shot("python-stub");

    set_code(&b, &source(PYTHON_AC));
    b.click("#submit");
    wait_for_report(&b, 3);
    b.wait_text("#result .report .verdict", "Accepted");
    b.shot("python-accepted");

    // The history and the submission's page say Python.
    b.goto(&format!("{}/history", server.url));
    b.wait_text("table.history td.kind", "submission · Python 3");
    b.click("table.history tr:first-child td a");
    b.wait_text(".submission-page p.meta", "Submission in Python 3");
    b.wait_text(".submission-page pre.code", "import numpy as np");
    b.shot("python-submission");

    // The next visit opens in Python, the language of the newest draft; Rust's stub is a
    // switch away, and Python's code a switch back.
    b.goto(&format!("{}/problems/t-value", server.url));
    b.wait_for(".cm-editor .cm-content");
    assert!(code(&b).contains("import numpy as np"), "{}", code(&b));
    assert_eq!(
        b.execute("return document.getElementById('language').value;", &[]),
        json!("python")
    );
    choose(&b, "rust", "pub fn t_value(");
    b.wait_text("#draft-state", "The starting code in Rust.");
    choose(&b, "python", "import numpy as np");
    b.wait_text("#draft-state", "Your saved Python 3 code, from");
    b.shot("python-again");
}
