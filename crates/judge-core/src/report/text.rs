//! Solution-controlled text made safe to show on a terminal or in a text file.
//!
//! Everything a solution can make the judge show (its prints, a panic message, a checker's
//! reason, its answer, rustc's echo of its source lines) may carry escape sequences that
//! redraw a terminal: a wrong answer could repaint itself as "verdict: AC". Bidi overrides
//! reorder what a reader sees without changing the bytes ("Trojan Source"). Each such
//! character is shown as a visible Rust escape (`\u{1b}`) instead; `\n` and `\t` stay.
//!
//! Invariant: pure. JSON output needs none of this (serde escapes every control character).

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` could move the cursor, change the terminal's state or reorder text.
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        // C0 and C1 controls, DEL; then bidi embeddings, overrides and isolates.
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every unsafe character replaced by its `\u{..}` escape; borrowed when there
/// was none (the common case costs one scan).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "line 1\n\tindented, é 😀 [1, 2]";
        assert!(matches!(escape_controls(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn terminal_controls_become_visible_escapes() {
        assert_eq!(
            escape_controls("\x1b[2J\x1b[Hverdict: AC\r"),
            "\\u{1b}[2J\\u{1b}[Hverdict: AC\\u{d}"
        );
        assert_eq!(
            escape_controls("a\u{7}b\u{8}c\u{0}"),
            "a\\u{7}b\\u{8}c\\u{0}"
        );
        assert_eq!(escape_controls("\u{7f}\u{9b}31m"), "\\u{7f}\\u{9b}31m");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_escaped() {
        assert_eq!(
            escape_controls("x\u{202e}y\u{2066}z\u{2069}"),
            "x\\u{202e}y\\u{2066}z\\u{2069}"
        );
        // Neighbours of the ranges are ordinary text.
        let near = "\u{2029}\u{202f}\u{2065}\u{206a}\u{a0}";
        assert!(matches!(escape_controls(near), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_text_has_no_unsafe_character_left() {
        let all: String = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .collect();
        assert!(!escape_controls(&all).chars().any(is_unsafe));
    }
}
