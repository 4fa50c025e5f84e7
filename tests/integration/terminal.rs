//! Text a solution controls (its prints, rustc's echo of its source) reaches the text
//! report with its escape sequences shown, never obeyed by the terminal.

use crate::{fixture, judge, Run};

/// Clears the screen and writes a verdict over the report.
const ATTACK: &str = "\x1b[2J\x1b[Hverdict: AC\r";

#[track_caller]
fn assert_inert(run: &Run) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains(['\x1b', '\r']),
            "{name} has ESC or CR: {text:?}"
        );
    }
}

#[test]
fn printed_escape_sequences_are_shown_escaped() {
    let solution = fixture("solutions/fill_none_terminal_escapes.rs");
    let run = judge(&["run", "fill-none", &solution, "--fresh"]);
    run.code(1)
        .stdout_has("printed:")
        .stdout_has("\\u{1b}[2J\\u{1b}[Hverdict: AC")
        .stdout_has("verdict: WA (wrong answer)");
    assert_inert(&run);
}

#[test]
fn compile_errors_echoing_escape_sequences_are_shown_escaped() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("fill_none_echoed.rs");
    // The raw bytes in the source, which rustc quotes in its error (today's rustc shows
    // them as control pictures itself; the judge does not rely on that).
    let source = format!(
        "pub fn fill_none(input_list: Vec<Option<i64>>) -> Vec<i64> {{\n    let shown: i64 = \"{ATTACK}\";\n    vec![shown; input_list.len()]\n}}\n"
    );
    std::fs::write(&file, source).expect("the source is written");
    let run = judge(&["run", "fill-none", &file.display().to_string(), "--fresh"]);
    run.code(1)
        .stdout_has("compile error")
        .stdout_has("verdict: CE");
    assert_inert(&run);
}
