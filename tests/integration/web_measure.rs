//! Measured complexity from the problem page, in a real headless Chromium: the box under
//! the buttons asks for it, and the report that comes back has the section. Without
//! Chromium this says SKIPPED (and fails under CI=true, whose `.ci/run` installs it).

use crate::browser::Browser;
use crate::serve::{source, T_VALUE_AC};
use crate::web_browser::{open_problem, set_code, wait_for_report, with_a_candidate};

#[test]
fn a_candidate_asks_for_the_complexity_of_a_submission() {
    let Some(b) = Browser::start("measure") else {
        return;
    };
    let (_keep, server, token) = with_a_candidate();
    open_problem(&b, &server, &token, "/problems/t-value");
    set_code(&b, &source(T_VALUE_AC));
    b.click("#measure");
    b.click("#submit");
    wait_for_report(&b, 3);
    b.wait_text("#result .report .verdict", "Accepted");
    b.wait_for("#result section.complexity table.complexity-costs");
    b.wait_text("#result section.complexity", "Your solution grows like");
    b.execute(
        "document.querySelector('#result section.complexity').scrollIntoView();",
        &[],
    );
    b.shot("complexity");
}
