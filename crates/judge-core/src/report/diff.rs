//! Diffs of an expected and an actual answer, bounded in time and size whatever the
//! inputs: the equal prefix and suffix found in linear time, only a window around the
//! first difference diffed, under a deadline.

use std::fmt::Write;
use std::time::{Duration, Instant};

use crate::problem::value;

/// Lines of equal context shown before the first difference (and around each hunk).
const CONTEXT: usize = 3;
/// Lines shown from the first difference on; the rest is left out.
const WINDOW: usize = 200;
/// How long `similar` may search the window for a minimal diff before it settles for a
/// coarser one.
const DIFF_DEADLINE: Duration = Duration::from_millis(200);
/// How much of each value's rendering a diff looks at.
pub const DIFF_RENDER_BYTES: usize = 1 << 20;

/// The diff of an expected and an actual value, each rendered at most `DIFF_RENDER_BYTES`
/// long, so that a huge wrong answer costs no more than a small one.
pub fn diff_values(expected: &serde_json::Value, actual: &serde_json::Value) -> String {
    diff_values_limited(expected, actual, DIFF_RENDER_BYTES)
}

/// `diff_values` with each side rendered at most `bytes` long.
pub fn diff_values_limited(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    bytes: usize,
) -> String {
    let d = diff(
        &value::render_limited(expected, bytes),
        &value::render_limited(actual, bytes),
    );
    if d.is_empty() {
        // The values differ past the rendered part, or only where rendering hides it.
        return "(no difference in the part of the values rendered here; the message says where they differ)\n".into();
    }
    d
}

/// A unified line diff of two renderings, bounded in time and size whatever the inputs:
/// only a window from a few lines before the first differing line is diffed (the equal
/// prefix and suffix are found in linear time), with a note of what was left out. Equal
/// texts give an empty diff.
pub fn diff(expected: &str, actual: &str) -> String {
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    let totals = (expected.lines().count(), actual.lines().count());
    let prefix = expected
        .lines()
        .zip(actual.lines())
        .take_while(|(e, a)| e == a)
        .count();
    if prefix == totals.0 && prefix == totals.1 {
        return String::new();
    }
    let suffix = expected
        .lines()
        .rev()
        .zip(actual.lines().rev())
        .take(totals.0.min(totals.1) - prefix)
        .take_while(|(e, a)| e == a)
        .count();
    let start = prefix.saturating_sub(CONTEXT);
    // Each side's window ends a little after its differing lines, or WINDOW lines in.
    let end = |total: usize| (total - suffix + CONTEXT).min(total).min(prefix + WINDOW);
    let window = |text: &'_ str, total| -> Vec<String> {
        text.lines()
            .skip(start)
            .take(end(total) - start)
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let old = window(expected, totals.0);
    let new = window(actual, totals.1);
    let mut out = String::from("--- expected\n+++ actual\n");
    let left_out = (start, totals.0 - end(totals.0), totals.1 - end(totals.1));
    if left_out != (0, 0, 0) {
        let _ = writeln!(
            out,
            "(showing expected lines {}-{} of {}, actual lines {}-{} of {}; left out: {} equal lines before, {} expected and {} actual lines after)",
            start + 1,
            end(totals.0),
            totals.0,
            start + 1,
            end(totals.1),
            totals.1,
            left_out.0,
            left_out.1,
            left_out.2
        );
    }
    hunks(&old, &new, start, &mut out);
    out
}

/// Appends the unified hunks of two windows that start at line `offset` (0-based) of
/// their texts, numbered as lines of the whole texts.
fn hunks(old: &[String], new: &[String], offset: usize, out: &mut String) {
    let old: Vec<&str> = old.iter().map(String::as_str).collect();
    let new: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure()
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_slices(&old, &new);
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let range = |from: usize, to: usize| {
            let len = to - from;
            let at = if len == 0 {
                from + offset
            } else {
                from + offset + 1
            };
            format!("{at},{len}")
        };
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(first.old_range().start, last.old_range().end),
            range(first.new_range().start, last.new_range().end)
        );
        for change in group.iter().flat_map(|op| diff.iter_changes(op)) {
            let _ = write!(out, "{}{}", change.tag(), change.value());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_the_changed_line() {
        let d = diff("[\n  1,\n  2,\n]", "[\n  1,\n  3,\n]");
        assert!(d.contains("-  2,") && d.contains("+  3,"), "{d}");
        assert!(d.starts_with("--- expected\n+++ actual\n"), "{d}");
    }

    fn numbered(lines: usize, changed: Option<usize>) -> String {
        (0..lines)
            .map(|i| match changed {
                Some(c) if c == i => "  changed,\n".to_string(),
                _ => format!("  {i},\n"),
            })
            .collect()
    }

    #[test]
    fn diff_of_huge_texts_shows_a_small_window_at_the_difference() {
        let d = diff(
            &numbered(1_000_000, None),
            &numbered(1_000_000, Some(500_000)),
        );
        assert!(d.len() < 2_000, "{} bytes:\n{d}", d.len());
        assert!(d.contains("-  500000,\n+  changed,\n"), "{d}");
        assert!(d.contains("@@ -499998,7 +499998,7 @@"), "{d}");
        assert!(d.contains("left out: 499997 equal lines before"), "{d}");
    }

    #[test]
    fn diff_of_huge_texts_differing_everywhere_stops_after_the_window() {
        let expected = numbered(1_000_000, None);
        let mut actual = String::new();
        for i in 0..1_000_000 {
            let _ = writeln!(actual, "  x{i},");
        }
        let d = diff(&expected, &actual);
        assert!(d.len() < 40 * WINDOW, "{} bytes", d.len());
        assert!(d.contains("-  0,") && d.contains("+  x0,"), "{d}");
        assert!(
            d.contains("999800 expected and 999800 actual lines after"),
            "{d}"
        );
    }

    #[test]
    fn diff_with_equal_prefix_and_suffix_shows_only_the_middle() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\nh", "a\nb\nc\nd\nX\nY\nf\ng\nh");
        assert!(d.contains("-e\n+X\n+Y\n"), "{d}");
        assert!(d.contains("@@ -2,7 +2,8 @@"), "{d}");
        assert!(d.contains("left out: 1 equal lines before"), "{d}");
        assert_eq!(diff("same\ntext", "same\ntext\n"), "");
        // An appended tail: the prefix is everything that one side has.
        let d = diff("1\n2", "1\n2\n3");
        assert!(d.contains("@@ -1,2 +1,3 @@\n 1\n 2\n+3\n"), "{d}");
    }

    #[test]
    fn value_diffs_are_bounded_and_never_silently_empty() {
        let big = |last: i64| {
            serde_json::Value::Array((0..10_000_000).chain([last]).map(Into::into).collect())
        };
        let d = diff_values(&big(1), &big(2));
        assert!(
            d.contains("no difference in the part of the values rendered"),
            "{d}"
        );
        let d = diff_values(&serde_json::json!([1, 2]), &serde_json::json!([1, 3]));
        assert!(d.contains("-[1, 2]\n+[1, 3]"), "{d}");
    }
}
