//! A package's statement: `problem_statement/` (legacy) or `statement/` (the draft), the
//! file `problem.<lang>.md` or `problem.<lang>.tex` (English, or no language, preferred).
//! Markdown is shown as it is; LaTeX as plain text: the problemtools macros become headings
//! and the common markup is dropped, leaving the words and the mathematics as written.

use std::path::{Path, PathBuf};

use super::read_text;
use crate::problem::spec::SpecError;

/// The statement file, its text as shown, and the title a LaTeX statement names.
pub(super) type Statement = (PathBuf, String, Option<String>);

pub(super) fn statement(dir: &Path) -> Result<Option<Statement>, SpecError> {
    let Some(path) = statement_file(dir) else {
        return Ok(None);
    };
    let text = read_text(&path)?;
    if path.extension().is_some_and(|e| e == "tex") {
        let (title, body) = latex_to_text(&text);
        Ok(Some((path, body, title)))
    } else {
        Ok(Some((path, text, None)))
    }
}

fn statement_file(dir: &Path) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = ["problem_statement", "statement"]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(dir.join(folder))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("problem.") && (has_extension(p, "md") || has_extension(p, "tex"))
        })
        .collect();
    // English first, then no language, then Markdown before LaTeX, then by name.
    candidates.sort_by_key(|p| {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let rank = if name.starts_with("problem.en.") {
            0
        } else if name.matches('.').count() == 1 {
            1
        } else {
            2
        };
        (rank, !has_extension(p, "md"), name)
    });
    candidates.into_iter().next()
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// LaTeX as plain text: `\problemname{T}` gives the title, sections become Markdown
/// headings, environments and formatting commands go, their words stay.
pub(crate) fn latex_to_text(tex: &str) -> (Option<String>, String) {
    let mut title = None;
    let mut out = String::new();
    for line in tex.lines() {
        let line = strip_comment(line);
        let trimmed = line.trim();
        if let Some(arg) = command_arg(trimmed, "problemname") {
            title = Some(plain(arg));
            continue;
        }
        if let Some(arg) = ["section*", "section", "subsection*", "subsection"]
            .iter()
            .find_map(|c| command_arg(trimmed, c))
        {
            out.push_str("\n## ");
            out.push_str(&plain(arg));
            out.push_str("\n\n");
            continue;
        }
        if [
            "\\begin{",
            "\\end{",
            "\\documentclass",
            "\\usepackage",
            "\\illustration",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p))
        {
            continue;
        }
        let text = if let Some(rest) = trimmed.strip_prefix("\\item") {
            format!("- {}", plain(rest.trim()))
        } else {
            plain(trimmed)
        };
        out.push_str(&text);
        out.push('\n');
    }
    // Paragraphs, not runs of blank lines.
    let mut squeezed = String::new();
    let mut blanks = 0;
    for line in out.trim().lines() {
        blanks = if line.trim().is_empty() {
            blanks + 1
        } else {
            0
        };
        if blanks < 2 {
            squeezed.push_str(line.trim_end());
            squeezed.push('\n');
        }
    }
    (title, squeezed)
}

/// `\name{arg}` at the start of `line`: the argument.
fn command_arg<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix('\\')?
        .strip_prefix(name)?
        .strip_prefix('{')?;
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A `%` starts a comment unless escaped.
fn strip_comment(line: &str) -> &str {
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        if c == '%' && prev != '\\' {
            return &line[..i];
        }
        prev = c;
    }
    line
}

/// Formatting commands dropped (`\textbf{x}` is `x`), escapes and common symbols written
/// out; mathematics keeps its `$` so it reads as written.
fn plain(text: &str) -> String {
    const SYMBOLS: &[(&str, &str)] = &[
        ("\\leq", "≤"),
        ("\\le", "≤"),
        ("\\geq", "≥"),
        ("\\ge", "≥"),
        ("\\neq", "≠"),
        ("\\cdot", "·"),
        ("\\times", "×"),
        ("\\ldots", "…"),
        ("\\dots", "…"),
        ("\\%", "%"),
        ("\\&", "&"),
        ("\\_", "_"),
        ("\\#", "#"),
        ("\\$", "$"),
        ("~", " "),
        ("\\\\", "\n"),
        ("``", "\""),
        ("''", "\""),
        ("---", "—"),
        ("--", "–"),
    ];
    let mut s = text.to_string();
    for cmd in [
        "textbf", "emph", "textit", "texttt", "text", "mathrm", "bf", "it", "url",
    ] {
        let open = format!("\\{cmd}{{");
        while let Some(start) = s.find(&open) {
            let after = &s[start + 1..];
            let Some(arg) = command_arg(&format!("\\{after}"), cmd).map(str::to_string) else {
                break;
            };
            let end = start + open.len() + arg.len() + 1;
            s.replace_range(start..end.min(s.len()), &arg);
        }
    }
    for (from, to) in SYMBOLS {
        s = s.replace(from, to);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_becomes_plain_text() {
        let tex = "\\problemname{Add \\emph{Two}}\n% a comment\nGiven $a \\le b$, print \\textbf{their sum}.\n\\section*{Input}\nTwo integers~$a$ and $b$ (50\\% of cases).\n\\begin{itemize}\n\\item one\n\\end{itemize}\n";
        let (title, text) = latex_to_text(tex);
        assert_eq!(title.as_deref(), Some("Add Two"));
        assert!(text.contains("Given $a ≤ b$, print their sum."), "{text}");
        assert!(text.contains("## Input"), "{text}");
        assert!(
            text.contains("Two integers $a$ and $b$ (50% of cases)."),
            "{text}"
        );
        assert!(text.contains("- one"), "{text}");
        assert!(
            !text.contains("comment") && !text.contains("itemize"),
            "{text}"
        );
    }

    #[test]
    fn english_markdown_is_preferred() {
        let dir = tempfile::tempdir().unwrap();
        let st = dir.path().join("statement");
        std::fs::create_dir_all(&st).unwrap();
        std::fs::write(st.join("problem.sv.md"), "Svenska").unwrap();
        std::fs::write(st.join("problem.en.tex"), "\\problemname{E}\nEnglish").unwrap();
        std::fs::write(st.join("problem.en.md"), "# English").unwrap();
        let (path, text, _) = statement(dir.path()).unwrap().unwrap();
        assert!(path.ends_with("problem.en.md"));
        assert_eq!(text, "# English");
    }
}
