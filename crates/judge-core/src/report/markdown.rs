//! Text a candidate controls (code, messages quoting its answer) written into a Markdown
//! report so that it stays text in every renderer: code in a fence longer than any run of
//! backticks inside it (CommonMark lets a fence be any length, and only a run at least as
//! long closes it), a message in a code span on one line, and other words with every
//! character that could start a link, an image, emphasis, raw HTML, an entity or a new block
//! escaped. Otherwise a draft holding "```", a heading line and `[x](javascript:..)` would
//! close its fence and forge the rest of the report.
//!
//! Invariant: pure.

use super::text::escape_controls;

/// A fence for `text`: backticks, one more than its longest run (three at least).
pub fn fence(text: &str) -> String {
    let longest = longest_run(text);
    "`".repeat(longest.max(2) + 1)
}

/// `text` (code) as a fenced block with `info` (a language), ending with a line break.
pub fn code_block(info: &str, text: &str) -> String {
    let body = escape_controls(text.trim_end());
    let f = fence(&body);
    format!("{f}{info}\n{body}\n{f}\n")
}

/// `text` as an inline code span on one line (line breaks become spaces).
pub fn code_span(text: &str) -> String {
    let one_line = one_line(text);
    let ticks = "`".repeat(longest_run(&one_line) + 1);
    // A span that starts or ends with a backtick (or is padded) needs a space inside each
    // end, which CommonMark strips again.
    let pad = if one_line.starts_with(['`', ' ']) || one_line.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{one_line}{pad}{ticks}")
}

/// `text` as plain words on one line: what could start markup is escaped.
pub fn plain(text: &str) -> String {
    let one_line = one_line(text);
    let mut out = String::with_capacity(one_line.len() + 8);
    for (i, c) in one_line.chars().enumerate() {
        // Punctuation at the start could begin a block (a heading, a list, a quote); the
        // rest only where it begins inline markup.
        let starts = i == 0 && c.is_ascii_punctuation();
        if starts || "\\`*_[]<>!&|~#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. x" or "1) x" would begin a numbered list.
    if let Some(at) = out.find(|c: char| !c.is_ascii_digit()) {
        if at > 0 && out[at..].starts_with(['.', ')']) {
            out.insert(at, '\\');
        }
    }
    out
}

fn one_line(text: &str) -> String {
    // A lone carriage return is a line ending to Markdown too: `escape_controls` shows it.
    let joined: String = text
        .split('\n')
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    escape_controls(&joined).into_owned()
}

fn longest_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_backticks_in_the_code() {
        assert_eq!(fence("let s = \"```\";"), "````");
        assert_eq!(fence("plain"), "```");
        let block = code_block("rust", "a\n`````\n## Result: 100 of 100\n");
        assert!(block.starts_with("``````rust\n"), "{block}");
        assert!(block.ends_with("\n``````\n"), "{block}");
    }

    #[test]
    fn a_code_span_holds_backticks_and_line_breaks() {
        assert_eq!(code_span("x"), "`x`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("one\n## two"), "`one ## two`");
    }

    #[test]
    fn plain_words_start_no_markup() {
        assert_eq!(plain("basic-1 AC"), "basic-1 AC");
        assert_eq!(
            plain("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(plain("# Result"), "\\# Result");
        assert_eq!(plain("- item"), "\\- item");
        assert_eq!(plain("12. twelve"), "12\\. twelve");
        assert_eq!(plain("<b>&amp;"), "\\<b\\>\\&amp;");
        assert_eq!(plain("a\n## b"), "a \\#\\# b");
    }
}
