//! A package's statement: `problem_statement/` (legacy) or `statement/` (2023-07 and
//! later), the file `problem.<lang>.md` or `problem.<lang>.tex` (English, or no language,
//! preferred), its constants put in. Markdown is kept as written; LaTeX becomes Markdown:
//! the problemtools macros become headings, `\includegraphics` and `\illustration` become
//! image references, the common markup is dropped, and the mathematics stays as written.
//! The images either refers to are listed with the file each names in the statement's
//! folder, so a terminal can say where each is and a server can serve them.

use std::path::{Path, PathBuf};

use super::constants::Constants;
use super::read_text;
use crate::problem::spec::SpecError;

/// A package's statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The file it came from.
    pub path: PathBuf,
    /// The statement as Markdown.
    pub text: String,
    /// The title a LaTeX statement's `\problemname` gives.
    pub title: Option<String>,
    /// The images it shows, in order.
    pub images: Vec<Image>,
}

/// An image a statement shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The name as the statement writes it (relative to the statement's folder).
    pub reference: String,
    /// Its caption or alternative text.
    pub caption: String,
    /// The file, when the name is a plain name inside the statement's folder that exists
    /// (a link elsewhere, or `..`, is not the package's to serve).
    pub file: Option<PathBuf>,
}

pub(super) fn statement(dir: &Path, constants: &Constants) -> Result<Option<Statement>, SpecError> {
    let Some(path) = statement_file(dir) else {
        return Ok(None);
    };
    let raw = read_text(&path)?;
    let folder = path.parent().unwrap_or(dir).to_path_buf();
    let (title, text) = if path.extension().is_some_and(|e| e == "tex") {
        latex_to_text(&constants.substitute_latex(&raw))
    } else {
        (None, constants.substitute(&raw))
    };
    let images = markdown_images(&text)
        .into_iter()
        .map(|(reference, caption)| Image {
            file: image_file(&folder, &reference),
            reference,
            caption,
        })
        .collect();
    Ok(Some(Statement {
        path,
        text,
        title,
        images,
    }))
}

/// The images a Markdown text refers to: (reference, alternative text).
pub(crate) fn markdown_images(text: &str) -> Vec<(String, String)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, caption)) = &mut open {
                    caption.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The file `reference` names in `folder`: a relative path without `..` that exists, and
/// is a file there (not a link out of the package).
fn image_file(folder: &Path, reference: &str) -> Option<PathBuf> {
    let relative = Path::new(reference);
    let plain = relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain || reference.contains(':') {
        return None;
    }
    let file = folder.join(relative);
    std::fs::symlink_metadata(&file)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|_| file)
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
        // The format's class: Input, Output and Interaction environments are sections, and
        // \nextsample / \remainingsamples place the samples.
        if let Some(section) = ["Input", "Output", "Interaction"]
            .iter()
            .find(|e| trimmed == format!("\\begin{{{e}}}"))
        {
            out.push_str("\n## ");
            out.push_str(section);
            out.push_str("\n\n");
            continue;
        }
        if trimmed == "\\nextsample" || trimmed == "\\remainingsamples" {
            out.push_str(if trimmed == "\\nextsample" {
                "{{nextsample}}\n"
            } else {
                "{{remainingsamples}}\n"
            });
            continue;
        }
        if let Some(image) = illustration(trimmed) {
            out.push_str(&image);
            out.push('\n');
            continue;
        }
        if ["\\begin{", "\\end{", "\\documentclass", "\\usepackage"]
            .iter()
            .any(|p| trimmed.starts_with(p))
        {
            continue;
        }
        let trimmed = include_graphics(trimmed);
        let text = if let Some(rest) = trimmed.strip_prefix("\\item") {
            format!("- {}", plain(rest.trim()))
        } else {
            plain(&trimmed)
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

/// `\illustration{width}{file}{caption}` as a Markdown image.
fn illustration(line: &str) -> Option<String> {
    let rest = line.strip_prefix("\\illustration")?;
    let args = arguments(rest, 3)?;
    Some(format!("![{}]({})", plain(args[2]), args[1].trim()))
}

/// `\includegraphics[options]{file}` anywhere in a line as a Markdown image.
fn include_graphics(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("\\includegraphics") {
        out.push_str(&rest[..start]);
        let mut after = &rest[start + "\\includegraphics".len()..];
        if let Some(options) = after.strip_prefix('[') {
            after = options.split_once(']').map_or("", |(_, r)| r);
        }
        if let Some(args) = arguments(after, 1) {
            let file = args[0].trim();
            out.push_str("![");
            out.push_str(file);
            out.push_str("](");
            out.push_str(file);
            out.push(')');
            let used: usize = args[0].len() + 2;
            rest = &after[used.min(after.len())..];
        } else {
            out.push_str("\\includegraphics");
            rest = &rest[start + "\\includegraphics".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// The first `n` brace arguments at the start of `text`.
fn arguments(text: &str, n: usize) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    for _ in 0..n {
        let arg = command_arg(&format!("\\x{rest}"), "x").map(str::len)?;
        let inner = &rest[1..=arg];
        out.push(inner);
        rest = rest[arg + 2..].trim_start();
    }
    Some(out)
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
        let s = statement(dir.path(), &Constants::default())
            .unwrap()
            .unwrap();
        assert!(s.path.ends_with("problem.en.md"));
        assert_eq!(s.text, "# English");
    }

    #[test]
    fn latex_images_become_markdown_images_found_in_the_statement_folder() {
        let dir = tempfile::tempdir().unwrap();
        let st = dir.path().join("problem_statement");
        std::fs::create_dir_all(&st).unwrap();
        std::fs::write(st.join("cave.jpg"), "jpeg").unwrap();
        std::fs::write(
            st.join("problem.en.tex"),
            "\\problemname{Echo}\n\\illustration{0.3}{cave.jpg}{A \\emph{cave}}\nSee \\includegraphics[width=3cm]{plot.png} here.\n$N \\le \\constant{n}$\n",
        )
        .unwrap();
        let constants = Constants(
            [(
                "n".to_string(),
                super::super::constants::Constant {
                    value: "100".into(),
                    variants: std::collections::BTreeMap::default(),
                },
            )]
            .into(),
        );
        let s = statement(dir.path(), &constants).unwrap().unwrap();
        assert!(s.text.contains("![A cave](cave.jpg)"), "{}", s.text);
        assert!(
            s.text.contains("See ![plot.png](plot.png) here."),
            "{}",
            s.text
        );
        assert!(s.text.contains("$N ≤ 100$"), "{}", s.text);
        let (_, text) = latex_to_text("\\begin{Input}\nOne line.\n\\end{Input}\n\\nextsample\n");
        assert_eq!(text, "## Input\n\nOne line.\n{{nextsample}}\n");
        assert_eq!(s.images.len(), 2);
        assert_eq!(s.images[0].caption, "A cave");
        assert_eq!(
            s.images[0].file.as_deref(),
            Some(st.join("cave.jpg").as_path())
        );
        assert_eq!(s.images[1].file, None, "plot.png is not there");
        assert_eq!(image_file(&st, "../problem.yaml"), None);
    }
}
