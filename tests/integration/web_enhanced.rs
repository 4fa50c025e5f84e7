//! What the pages' script adds, in a real headless Chromium against a real `judge serve`:
//! the problem list filtered and sorted as the candidate types (and agreeing with the
//! server's own filtering of the same address), the editor's draft kept in the browser, the
//! reset to the stub, the theme. Each test is one browser session walking several steps.

use serde_json::{json, Value};

use crate::browser::{Browser, Key};
use crate::serve::{add_user, data_dir, post, source, submission, Server, T_VALUE_AC, T_VALUE_WA};
use crate::web_browser::{code, open_problem, sign_in, with_a_candidate};

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

/// The draft this browser keeps for ada's logistic-regression in Rust, if any.
const KEPT: &str = "return localStorage.getItem('judge.draft:ada:logistic-regression:rust');";

#[test]
fn the_editor_wraps_keeps_the_draft_in_the_browser_and_resets_to_the_stub() {
    let Some(b) = Browser::start("editor") else {
        return;
    };
    let (_keep, server, ada) = with_a_candidate();
    open_problem(&b, &server, &ada, "/problems/logistic-regression");
    let stub = code(&b);
    assert!(stub.contains("pub fn logistic_regression("), "{stub}");
    b.wait_text("#draft-state", "The starting code for this problem.");

    // The long signature wraps: nothing to scroll sideways, at a desktop's width or a phone's.
    let sideways =
        "const s = document.querySelector('.cm-scroller'); return s.scrollWidth <= s.clientWidth;";
    for (width, height) in [(1280, 900), (375, 800)] {
        b.set_size(width, height);
        b.wait_js(
            &format!("no sideways scroll in the editor at {width} px"),
            sideways,
            &[],
        );
    }
    b.shot("stub-wrapped-at-375");
    b.set_size(1280, 900);
    // The keys are said, in this keyboard's names.
    b.wait_text("#keys", "Ctrl+Enter runs the samples");
    b.wait_text("#keys", "Ctrl+Shift+Enter submits");

    // Typing is kept in this browser at once, per user, problem and language; once the
    // server has it, the browser's copy goes.
    b.send_keys(".cm-content", "// first idea");
    b.wait_js(
        "the browser to keep the draft",
        &format!("const k = (function () {{ {KEPT} }})(); return k && k.includes('first idea');"),
        &[],
    );
    b.wait_text("#draft-state", "Saved at");
    b.wait_js(
        "the browser's copy to go",
        &format!("return (function () {{ {KEPT} }})() === null;"),
        &[],
    );

    // A reload at once after typing (the server may not have it yet) shows what was typed.
    b.send_keys(".cm-content", " and a second");
    b.reload();
    b.wait_for(".cm-editor .cm-content");
    let typed = code(&b);
    assert!(typed.contains("first idea and a second"), "{typed}");

    // Code kept here that the server never got (the connection dropped) comes back, and
    // is saved; a copy older than the server's draft (saved since from elsewhere) does not.
    b.wait_js(
        "the server to have it all",
        &format!("return (function () {{ {KEPT} }})() === null;"),
        &[],
    );
    let on_server = crate::serve::get(&server.api("/problems/logistic-regression/draft"), &ada).1;
    b.execute(
        "localStorage.setItem('judge.draft:ada:logistic-regression:rust',
           JSON.stringify({ source: 'kept offline', base: arguments[0] }));",
        &[on_server["updated_ms"].clone()],
    );
    b.reload();
    b.wait_text(
        "#draft-state",
        "Restored your unsaved changes from this browser; saved at",
    );
    assert_eq!(code(&b), "kept offline");
    let saved = crate::serve::get(&server.api("/problems/logistic-regression/draft"), &ada).1;
    assert_eq!(saved["source"], "kept offline");
    b.execute(
        "localStorage.setItem('judge.draft:ada:logistic-regression:rust',
           JSON.stringify({ source: 'stale', base: 1 }));",
        &[],
    );
    b.reload();
    b.wait_text("#draft-state", "Your saved code, from");
    assert_eq!(code(&b), "kept offline");
    assert_eq!(b.execute(KEPT, &[]), Value::Null);

    // Reset to the starting code asks first; keeping changes nothing.
    b.click("#reset");
    b.wait_text("#reset-dialog", "Start again from the starting code?");
    b.shot("reset-asks");
    b.click("#reset-cancel");
    b.wait_js(
        "the dialog to close",
        "return !document.getElementById('reset-dialog').open;",
        &[],
    );
    assert_eq!(code(&b), "kept offline");
    b.click("#reset");
    b.click("#reset-confirm");
    b.wait_js(
        "the stub back",
        "return document.getElementById('editor-host').judgeEditor.getDoc() === arguments[0];",
        &[json!(stub)],
    );
    b.wait_text("#draft-state", "Saved at");
    // Undo in the editor brings the code back.
    b.send_keys(
        ".cm-content",
        &crate::browser::chord(&[crate::browser::Key::Control], "z"),
    );
    b.wait_js(
        "the code back after undo",
        "return document.getElementById('editor-host').judgeEditor.getDoc() === 'kept offline';",
        &[],
    );

    // Signing out leaves no code behind in this browser.
    b.execute(
        "localStorage.setItem('judge.draft:ada:logistic-regression:rust',
           JSON.stringify({ source: 'left behind', base: 1 }));",
        &[],
    );
    b.click("form[action='/signout'] button");
    b.wait_for("form[action='/signin']");
    let left = b.execute(
        "return Object.keys(localStorage).filter((k) => k.startsWith('judge.draft:'));",
        &[],
    );
    assert_eq!(left, json!([]));
}

/// Waits until the page and its editor are drawn dark (or light).
#[track_caller]
fn drawn(b: &Browser, dark: bool) {
    // style.css's --bg in each theme; One Dark's editor background; the light editor's is
    // the page's own (transparent).
    let (page, editor) = if dark {
        ("rgb(22, 25, 31)", "rgb(40, 44, 52)")
    } else {
        ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    };
    b.wait_js(
        &format!("the page and the editor drawn {}", if dark { "dark" } else { "light" }),
        "return getComputedStyle(document.body).backgroundColor === arguments[0]
            && getComputedStyle(document.querySelector('.cm-editor')).backgroundColor === arguments[1];",
        &[json!(page), json!(editor)],
    );
}

#[test]
fn the_theme_follows_the_system_until_chosen_and_the_editor_follows_it() {
    let Some(b) = Browser::start("theme") else {
        return;
    };
    let (_keep, server, ada) = with_a_candidate();
    open_problem(&b, &server, &ada, "/problems/t-value");
    drawn(&b, false);

    // The system turns dark: so do the page and the editor.
    b.prefer_dark(true);
    drawn(&b, true);
    b.shot("system-dark");

    // Chosen light, it stays light over a dark system, after a reload too.
    b.click("#theme option[value=light]");
    drawn(&b, false);
    b.reload();
    b.wait_for(".cm-editor .cm-content");
    drawn(&b, false);
    assert_eq!(
        b.execute("return document.getElementById('theme').value;", &[]),
        json!("light")
    );
    // Dark over a light system; back to the system's.
    b.prefer_dark(false);
    b.click("#theme option[value=dark]");
    drawn(&b, true);
    b.shot("chosen-dark");
    b.click("#theme option[value=system]");
    drawn(&b, false);
    assert_eq!(
        b.execute("return localStorage.getItem('judge.theme');", &[]),
        Value::Null
    );
}

/// The focused element in a few words (tag, id, classes, text), and whether its focus is
/// drawn: an outline on it, or on the editor's frame for the editor.
const FOCUSED: &str = "const e = document.activeElement;
    const framed = e.classList.contains('cm-content') ? e.closest('.editor-host') : e;
    const s = getComputedStyle(framed);
    const drawn = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const r = e.getBoundingClientRect();
    const seen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
    const words = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40);
    return { name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/ +/).join('.') : ''),
             words, drawn, seen, body: e === document.body };";

/// Presses Tab (with Shift: backwards) and checks the newly focused element shows it.
#[track_caller]
fn tab(b: &Browser, back: bool) -> Value {
    let shift: &[Key] = if back { &[Key::Shift] } else { &[] };
    b.press(shift, Key::Tab);
    let focused = b.execute(FOCUSED, &[]);
    assert_eq!(focused["body"], json!(false), "Tab left nothing focused");
    if focused["name"] != json!("main#main") {
        assert_eq!(
            focused["drawn"],
            json!(true),
            "no visible focus on {focused}"
        );
    }
    assert_eq!(
        focused["seen"],
        json!(true),
        "the focus is off screen: {focused}"
    );
    focused
}

/// Tabs until `css` is focused, at most `most` times: the elements passed on the way.
#[track_caller]
fn tab_to(b: &Browser, css: &str, most: usize) -> Vec<String> {
    let mut passed = Vec::new();
    for _ in 0..most {
        let focused = tab(b, false);
        let here = b.execute(
            "return document.activeElement.matches(arguments[0]);",
            &[json!(css)],
        );
        passed.push(format!(
            "{} {:?}",
            focused["name"].as_str().unwrap_or(""),
            focused["words"].as_str().unwrap_or("")
        ));
        if here == json!(true) {
            return passed;
        }
    }
    panic!(
        "{css} not reached in {most} Tabs; passed:\n{}",
        passed.join("\n")
    );
}

#[test]
fn a_candidate_finds_runs_and_submits_by_keyboard_alone() {
    let Some(b) = Browser::start("keyboard") else {
        return;
    };
    let (_keep, server, ada) = with_a_candidate();

    // Sign in: the name waits for typing; Tab goes name, password, token, the button.
    b.goto(&format!("{}/", server.url));
    b.wait_for("form[action='/signin']");
    let start = b.execute(FOCUSED, &[]);
    assert_eq!(start["name"], json!("input"), "{start}");
    let order: Vec<Value> = (0..3).map(|_| tab(&b, false)["name"].clone()).collect();
    assert_eq!(
        order,
        [json!("input"), json!("input"), json!("button.primary")]
    );
    tab(&b, true);
    b.send_keys("input[name=token]:focus", &ada);
    b.press(&[], Key::Enter);
    b.wait_for("table.problems");

    // The list: the skip link comes first and jumps to the content; the search follows.
    let skip = tab(&b, false);
    assert_eq!(skip["name"], json!("a.skip-link"), "{skip}");
    b.press(&[], Key::Enter);
    b.wait_js(
        "the content focused",
        "return document.activeElement.id === 'main';",
        &[],
    );
    tab(&b, false);
    b.send_keys("input[name=q]:focus", "t-val");
    rows_are(&b, &["t-value"]);
    let passed = tab_to(&b, "tr[data-problem='t-value'] a", 15);
    assert!(passed.iter().any(|p| p.starts_with("select")), "{passed:?}");
    b.shot("list-link-focused");
    b.press(&[], Key::Enter);
    b.wait_for(".cm-editor .cm-content");

    // The problem: past the statement into the editor; Ctrl+Enter runs the samples.
    tab_to(&b, ".cm-content", 60);
    b.shot("editor-focused");
    b.send_keys(".cm-content:focus", "// typed by keyboard");
    b.press(&[Key::Control], Key::Enter);
    b.wait_for("#result .report .verdict");
    // Escape, then Tab, leaves the editor for the buttons, in order.
    b.execute("document.querySelector('.cm-content').focus();", &[]);
    b.press(&[], Key::Escape);
    let after: Vec<Value> = (0..5).map(|_| tab(&b, false)["name"].clone()).collect();
    assert_eq!(
        after,
        [
            json!("button#run"),
            json!("button#submit.primary"),
            json!("input#measure"),
            json!("a"),
            json!("button#reset")
        ]
    );
    // Reset asks, its safe answer focused; Escape keeps the code and comes back.
    b.press(&[], Key::Enter);
    b.wait_for("#reset-dialog[open]");
    assert_eq!(
        b.execute(FOCUSED, &[])["name"],
        json!("button#reset-cancel.primary")
    );
    b.press(&[], Key::Escape);
    b.wait_js(
        "the focus back on reset",
        "return document.activeElement.id === 'reset';",
        &[],
    );
    assert!(code(&b).contains("typed by keyboard"));
    // Ctrl+Shift+Enter submits from anywhere on the page.
    b.press(&[Key::Control, Key::Shift], Key::Enter);
    b.wait_text(
        "#result .report[data-mode=submit] .verdict",
        "score 0 of 100",
    );
    b.shot("submitted-by-keyboard");
}
