//! What every page must pass, checked in the browser on the page as it is now: axe-core's
//! accessibility rules in the light and the dark theme (a serious or critical violation
//! fails, naming the rule and the elements), no sideways scrolling at a phone's 375 px, and
//! a screenshot of each (`target/browser-shots/<test>/`) for a person to look at.
//!
//! axe-core is vendored in `tests/fixtures/axe/` (see its README): injected into the page by
//! WebDriver, which the page's CSP does not govern, and never served by the judge.

use serde_json::{json, Value};

use crate::browser::Browser;

/// A phone's width, in CSS pixels.
pub(crate) const PHONE: (u32, u32) = (375, 812);
/// The width the other checks run at.
pub(crate) const DESKTOP: (u32, u32) = (1280, 900);

fn axe_source() -> String {
    let path = crate::repo().join("tests/fixtures/axe/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs axe-core on the page; the serious and critical violations, one line per element.
fn axe_violations(b: &Browser) -> Vec<String> {
    let loaded = b.execute("return typeof window.axe === 'object';", &[]);
    if loaded != json!(true) {
        b.execute(&format!("{}\n;return true;", axe_source()), &[]);
    }
    let found = b.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then((r) => done(r.violations))
           .catch((e) => done('axe failed: ' + e));",
        &[],
    );
    let Value::Array(violations) = found else {
        panic!("axe did not run: {found}");
    };
    let mut lines = Vec::new();
    for v in violations {
        if !matches!(v["impact"].as_str(), Some("serious" | "critical")) {
            continue;
        }
        for node in v["nodes"].as_array().into_iter().flatten() {
            let html: String = node["html"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(160)
                .collect();
            lines.push(format!(
                "{} ({}): {} at {} {html}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                node["target"],
                node["failureSummary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " "),
            ));
        }
    }
    lines
}

/// Fails the test on a serious or critical accessibility violation of the page.
#[track_caller]
pub(crate) fn accessible(b: &Browser, what: &str) {
    let found = axe_violations(b);
    assert!(
        found.is_empty(),
        "{what} at {}: axe-core finds {} serious or critical violation(s):\n{}",
        b.current_url(),
        found.len(),
        found.join("\n")
    );
}

/// Waits until the page is no wider than the window: nothing scrolls sideways.
#[track_caller]
pub(crate) fn fits(b: &Browser, what: &str) {
    // What sticks out now, named in the failure.
    let wide = b.execute(
        "const w = window.innerWidth;
         return Array.from(document.querySelectorAll('body *'))
           .filter((e) => e.getBoundingClientRect().right > w + 0.5)
           .slice(0, 8)
           .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : '') +
                ' right=' + Math.round(e.getBoundingClientRect().right));",
        &[],
    );
    b.wait_js(
        &format!("{what} to fit the window's width (wider than it: {wide})"),
        "return document.documentElement.scrollWidth <= window.innerWidth;",
        &[],
    );
}

/// The page in the light theme, in the dark one and at a phone's width: axe in both themes,
/// a screenshot of each, and no sideways scroll on the phone. Leaves the browser light, at
/// the desktop's size.
#[track_caller]
pub(crate) fn look(b: &Browser, what: &str) {
    for dark in [false, true] {
        b.prefer_dark(dark);
        let theme = if dark { "dark" } else { "light" };
        // The style sheet follows at once; the scripts (the editor's colours) once the
        // page has heard of the change, which theme.js marks on <html>.
        b.wait_js(
            &format!("the {theme} theme"),
            "return matchMedia('(prefers-color-scheme: dark)').matches === arguments[0]
                && document.documentElement.dataset.drawn === (arguments[0] ? 'dark' : 'light');",
            &[json!(dark)],
        );
        accessible(b, &format!("{what} ({theme})"));
        b.shot(&format!("{what}-{theme}"));
    }
    b.prefer_dark(false);
    b.set_size(PHONE.0, PHONE.1);
    let width = b.execute("return window.innerWidth;", &[]);
    assert_eq!(width, json!(PHONE.0), "the window is not a phone's width");
    fits(b, &format!("{what} at {} px", PHONE.0));
    b.shot(&format!("{what}-{}px", PHONE.0));
    b.set_size(DESKTOP.0, DESKTOP.1);
}

/// A screenshot at a phone's width with `css` scrolled into view (a judging's report sits
/// far below the statement there), checked for sideways scrolling too.
#[track_caller]
pub(crate) fn phone_shot_of(b: &Browser, what: &str, css: &str) {
    b.set_size(PHONE.0, PHONE.1);
    fits(b, &format!("{what} at {} px", PHONE.0));
    b.execute(
        "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
        &[json!(css)],
    );
    b.shot(&format!("{what}-{}px", PHONE.0));
    b.set_size(DESKTOP.0, DESKTOP.1);
}
