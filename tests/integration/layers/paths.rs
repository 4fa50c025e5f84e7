//! The module paths a Rust file names, for the layer map: every `use` tree (groups, nested
//! groups, `self`, renames, globs, `pub use`) expanded into whole paths, and every
//! `crate::`, `super::` and `self::` path written elsewhere in the code. A small tokenizer
//! is enough: comments, strings and characters are skipped, and inline `mod name { .. }`
//! blocks are followed so that `super::` inside them counts from where it is written.

/// One path a file names, as written (`crate`, `super`, `self` or a first segment resolved
/// later), with the line it is on.
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Named {
    pub(super) line: usize,
    /// The inline modules (`mod tests { .. }`) the path is written in, outermost first.
    pub(super) inside: Vec<String>,
    pub(super) segments: Vec<String>,
    /// Whether it is a `use` path (which may start at a child module), not one in code.
    pub(super) in_use: bool,
    /// For a `pub use` (`pub(crate) use`, ...): the name it gives the item in this module
    /// (`*` for a glob), so that a path through the re-export can be followed to the item.
    pub(super) reexported_as: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An identifier or keyword (`crate`, `super`, `self`, `use`, `mod`, `as`, ...);
    /// `$crate` is `crate`.
    Word(String),
    /// `::`
    Colons,
    /// Any other punctuation character.
    Punct(char),
}

/// The tokens of `text` with their lines, leaving out comments, whitespace, literals and
/// lifetimes.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i, &mut line);
        } else if let Some(end) = raw_string_end(&chars, i, &mut line) {
            i = end;
        } else if c == '"' || (matches!(c, 'b' | 'c') && next == Some('"')) {
            i = skip_string(&chars, if c == '"' { i } else { i + 1 }, &mut line);
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            i = skip_char_or_lifetime(&chars, if c == '\'' { i } else { i + 1 });
        } else if c.is_alphanumeric() || c == '_' || (c == '$' && next.is_some_and(is_word)) {
            let start = if c == '$' { i + 1 } else { i };
            // `r#type` is the word `type`.
            let start = if chars[start..].starts_with(&['r', '#']) {
                start + 2
            } else {
                start
            };
            i = start;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            out.push((Token::Word(chars[start..i].iter().collect()), line));
        } else if c == ':' && next == Some(':') {
            out.push((Token::Colons, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Past a `/* .. */` comment, nested ones included.
fn skip_block_comment(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            *line += usize::from(chars[i] == '\n');
            i += 1;
        }
    }
    i
}

/// Past a raw string (`r"..."`, `r#"..."#`, `br".."`, `cr".."`) starting at `i`, if one does.
fn raw_string_end(chars: &[char], i: usize, line: &mut usize) -> Option<usize> {
    if i > 0 && is_word(chars[i - 1]) {
        return None;
    }
    let mut j = i;
    if matches!(chars[j], 'b' | 'c') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|c| **c == '#').count();
    j += hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        *line += usize::from(chars[j] == '\n');
        j += 1;
    }
    Some(j)
}

/// Past a `"..."` string whose opening quote is at `i`.
fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    i += 1;
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            i += 1;
        }
        *line += usize::from(chars.get(i) == Some(&'\n'));
        i += 1;
    }
    i + 1
}

/// Past a character literal (`'x'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`) at `i`.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        // Past the backslash and the character it escapes, to the closing quote.
        let mut j = i + 3;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        return j + 1;
    }
    if chars.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    let mut j = i + 1;
    while j < chars.len() && is_word(chars[j]) {
        j += 1;
    }
    j
}

/// Every path `text` names (see the module's comment).
pub(super) fn named_paths(text: &str) -> Vec<Named> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    // Inline modules open at this file's brace depth: (name, depth inside its braces).
    let mut inside: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i].0 {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                if inside.last().is_some_and(|(_, d)| *d == depth) {
                    inside.pop();
                }
                depth -= 1;
            }
            Token::Word(w) if w == "mod" => {
                if let (Some((Token::Word(name), _)), Some((Token::Punct('{'), _))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    inside.push((name.clone(), depth + 1));
                }
            }
            Token::Word(w) if w == "use" => {
                let names: Vec<String> = inside.iter().map(|(n, _)| n.clone()).collect();
                let public = is_public(&tokens[..i]);
                let mut trees = Vec::new();
                i = use_tree(&tokens, i + 1, Vec::new(), &mut trees);
                for tree in trees {
                    found.push(Named {
                        line: tree.line,
                        inside: names.clone(),
                        segments: tree.segments,
                        in_use: true,
                        reexported_as: public.then_some(tree.name),
                    });
                }
                continue;
            }
            Token::Word(w)
                if matches!(w.as_str(), "crate" | "super" | "self")
                    && tokens.get(i + 1).is_some_and(|t| t.0 == Token::Colons)
                    && (i == 0 || tokens[i - 1].0 != Token::Colons) =>
            {
                let line = tokens[i].1;
                let mut segments = vec![w.clone()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|t| t.0 == Token::Colons) {
                    let Some((Token::Word(next), _)) = tokens.get(j + 1) else {
                        break;
                    };
                    segments.push(next.clone());
                    j += 2;
                }
                found.push(Named {
                    line,
                    inside: inside.iter().map(|(n, _)| n.clone()).collect(),
                    segments,
                    in_use: false,
                    reexported_as: None,
                });
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The names of the items `text` defines at any depth (`fn`, `struct`, `enum`, `union`,
/// `type`, `trait`, `const`, `static`, `mod`, `macro_rules!`): where a glob re-export
/// (`pub use a::*`) can take a name from.
pub(super) fn defined_names(text: &str) -> BTreeSet<String> {
    let tokens = tokens(text);
    let mut names = BTreeSet::new();
    for window in tokens.windows(3) {
        let (Token::Word(keyword), _) = &window[0] else {
            continue;
        };
        let named = match (&window[1].0, &window[2].0) {
            (Token::Word(name), _)
                if matches!(
                    keyword.as_str(),
                    "fn" | "struct"
                        | "enum"
                        | "union"
                        | "type"
                        | "trait"
                        | "const"
                        | "static"
                        | "mod"
                ) =>
            {
                name
            }
            (Token::Punct('!'), Token::Word(name)) if keyword == "macro_rules" => name,
            _ => continue,
        };
        names.insert(named.clone());
    }
    names
}

/// Whether the item whose tokens come after `before` is `pub` (`pub`, `pub(crate)`,
/// `pub(in a::b)`, ...).
fn is_public(before: &[(Token, usize)]) -> bool {
    let mut i = before.len();
    if i > 0 && before[i - 1].0 == Token::Punct(')') {
        while i > 0 && before[i - 1].0 != Token::Punct('(') {
            i -= 1;
        }
        i = i.saturating_sub(1);
    }
    i > 0 && before[i - 1].0 == Token::Word("pub".into())
}

/// One whole path of a use tree: its segments, the line of its last one, and the name it
/// binds (the last segment, its `as` rename, or `*` for a glob).
struct UsePath {
    segments: Vec<String>,
    line: usize,
    name: String,
}

/// Reads one use tree from `i` (after `use`, or inside a group) under `prefix`, adding each
/// whole path it names; returns where the tree ends (at the `,`, `}` or `;` after it).
fn use_tree(
    tokens: &[(Token, usize)],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<UsePath>,
) -> usize {
    let mut path = prefix;
    // A leading `::` names an external crate (`use ::std::io`), as does `use std::io`.
    if tokens.get(i).is_some_and(|t| t.0 == Token::Colons) {
        i += 1;
    }
    while let Some((token, line)) = tokens.get(i) {
        match token {
            Token::Punct('{') => {
                i += 1;
                while let Some((t, _)) = tokens.get(i) {
                    match t {
                        Token::Punct('}') => {
                            i += 1;
                            break;
                        }
                        Token::Punct(',') => i += 1,
                        _ => i = use_tree(tokens, i, path.clone(), out),
                    }
                }
                return i;
            }
            Token::Punct('*') => {
                out.push(UsePath {
                    segments: path,
                    line: *line,
                    name: "*".into(),
                });
                return i + 1;
            }
            Token::Word(word) => {
                // `a::{self, b}` names `a` itself.
                if word != "self" || path.is_empty() {
                    path.push(word.clone());
                }
                i += 1;
                if tokens.get(i).is_some_and(|t| t.0 == Token::Colons) {
                    i += 1;
                    continue;
                }
                let mut name = path.last().cloned().unwrap_or_default();
                // `as name` renames; the path is the same.
                if let (Some((Token::Word(w), _)), Some((Token::Word(rename), _))) =
                    (tokens.get(i), tokens.get(i + 1))
                {
                    if w == "as" {
                        name.clone_from(rename);
                        i += 2;
                    }
                }
                out.push(UsePath {
                    segments: path,
                    line: *line,
                    name,
                });
                return i;
            }
            _ => return i,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        named_paths(text)
            .into_iter()
            .map(|n| {
                let mut shown = n.segments.join("::");
                if !n.inside.is_empty() {
                    shown = format!("[{}] {shown}", n.inside.join("::"));
                }
                format!("{}:{shown}", n.line)
            })
            .collect()
    }

    #[test]
    fn a_plain_use_is_one_path() {
        assert_eq!(
            paths("use crate::judge::Engine;"),
            ["1:crate::judge::Engine"]
        );
        assert_eq!(paths("use std::io::Read as _;"), ["1:std::io::Read"]);
    }

    #[test]
    fn a_group_names_each_of_its_paths() {
        assert_eq!(paths("use super::{a, b};"), ["1:super::a", "1:super::b"]);
        assert_eq!(
            paths("use crate::{x::y, z};"),
            ["1:crate::x::y", "1:crate::z"]
        );
    }

    #[test]
    fn nested_groups_self_globs_and_renames_are_expanded() {
        assert_eq!(
            paths("use crate::{a::{self, b as c, d::*}, e::{f::{g}}};"),
            [
                "1:crate::a",
                "1:crate::a::b",
                "1:crate::a::d",
                "1:crate::e::f::g"
            ]
        );
    }

    #[test]
    fn a_group_over_many_lines_gives_each_path_its_line() {
        let text =
            "use crate::{\n    problem::Problem,\n    report::{\n        Report,\n    },\n};\n";
        assert_eq!(
            paths(text),
            ["2:crate::problem::Problem", "4:crate::report::Report"]
        );
    }

    #[test]
    fn pub_use_and_pub_crate_use_are_uses() {
        assert_eq!(
            paths("pub use runner::Engine;\npub(crate) use super::{grade};"),
            ["1:runner::Engine", "2:super::grade"]
        );
        assert!(named_paths("pub use runner::Engine;")[0].in_use);
    }

    #[test]
    fn a_pub_use_says_the_name_it_gives() {
        let found = named_paths(
            "pub use a::B;\npub(crate) use super::c::{D as E, f::*};\npub(in crate::x) use g::H;\nuse i::J;\n",
        );
        let names: Vec<Option<&str>> = found
            .iter()
            .filter(|n| n.in_use)
            .map(|n| n.reexported_as.as_deref())
            .collect();
        assert_eq!(names, [Some("B"), Some("E"), Some("*"), Some("H"), None]);
    }

    #[test]
    fn the_names_a_file_defines_are_found_at_any_depth() {
        let text = "pub struct Report;\nimpl X { pub(crate) fn render() {} }\nmod tests { const N: u8 = 1; }\nmacro_rules! check { () => {} }\nlet s = \"fn in_a_string\";\n";
        let names: Vec<String> = defined_names(text).into_iter().collect();
        assert_eq!(names, ["N", "Report", "check", "render", "tests"]);
    }

    #[test]
    fn super_super_and_self_paths_are_kept_whole() {
        assert_eq!(
            paths("use super::super::cache::Key;\nfn f() { self::g(); super::super::h::i(); }"),
            [
                "1:super::super::cache::Key",
                "2:self::g",
                "2:super::super::h::i"
            ]
        );
    }

    #[test]
    fn paths_in_code_are_found_and_comments_strings_and_lifetimes_are_not() {
        let text = r##"
fn f<'a>(x: &'a str) -> char {
    // crate::commented::Out
    /* crate::block /* nested crate::also */ */
    let s = "crate::in_a_string";
    let r = r#"super::in_a_raw_string"#;
    let c = '{';
    crate::judge::run(x, $crate::report::render(), ::std::mem::drop(s));
    'x'
}
"##;
        assert_eq!(
            paths(text),
            ["8:crate::judge::run", "8:crate::report::render"]
        );
    }

    #[test]
    fn paths_inside_an_inline_module_say_so() {
        let text = "mod tests {\n    use super::*;\n    mod deeper { use super::super::x; }\n}\nuse crate::y;\n";
        assert_eq!(
            paths(text),
            [
                "2:[tests] super",
                "3:[tests::deeper] super::super::x",
                "5:crate::y"
            ]
        );
    }
}
