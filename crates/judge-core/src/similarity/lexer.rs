//! Source text into normalised tokens, per language: comments, whitespace and imports
//! dropped, every identifier one token, every number one token, every string or character
//! literal one token; keywords and punctuation kept as they are. Renaming a variable,
//! reformatting or rewriting comments then changes nothing that is compared. Names a
//! copier has no reason to rename keep their identity: a method or path segment (after `.`,
//! `::` or `->`), a macro (before `!`), and the standard library's common types (`HashMap`
//! is not `BTreeMap`), so that independent code built of different calls looks different.
//!
//! Languages are found by file extension (`language_for`). Each has a `tokenize` function;
//! the C family, Java, Python and Rust share one lexer (`lex`) configured by their
//! `Syntax`, and a language that needs more can bring its own function.

/// One token as compared: its normalised kind, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Equal for equal normalised tokens: a keyword or punctuation's own hash, or the code
    /// of its class (identifier, number, literal).
    pub code: u32,
    /// The line it starts on, from 1.
    pub line: u32,
}

/// The class of every identifier (and every lifetime).
pub const IDENT: u32 = 1;
/// The class of every number.
pub const NUMBER: u32 = 2;
/// The class of every string or character literal.
pub const LITERAL: u32 = 3;

/// A language the comparison knows.
pub struct Language {
    pub name: &'static str,
    /// File extensions, without the dot, lowercase.
    pub extensions: &'static [&'static str],
    pub tokenize: fn(&Language, &str) -> Vec<Token>,
    pub syntax: Syntax,
}

/// What the shared lexer needs to know of a language.
pub struct Syntax {
    pub line_comments: &'static [&'static str],
    pub block_comment: Option<(&'static str, &'static str)>,
    /// Block comments nest (Rust).
    pub nested_comments: bool,
    /// `r"..."`, `r#"..."#`, `b"..."`, `br"..."` and lifetimes (Rust).
    pub rust_literals: bool,
    /// `"""..."""` and `'''...'''` (Python; `"""` in Java).
    pub triple_quotes: bool,
    /// Letters that may prefix a string (Python's `rb"..."`, `f"..."`).
    pub string_prefixes: &'static str,
    /// `R"delim(...)delim"` (C++).
    pub cpp_raw_strings: bool,
    pub keywords: &'static [&'static str],
    /// Identifiers that keep their identity (the standard library's common types).
    pub known_names: &'static [&'static str],
    /// How imports look: they are dropped (everyone's are alike, and they say nothing of
    /// the code).
    pub imports: Imports,
}

/// Import statements, dropped from the tokens.
#[derive(Clone, Copy)]
pub enum Imports {
    None,
    /// From one of these keywords to the next `;` (Rust's `use`, Java's `import`).
    ToSemicolon(&'static [&'static str]),
    /// Lines starting with one of these words (Python's `import` and `from`, C's `#include`).
    Lines(&'static [&'static str]),
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "bool", "char", "str", "u8", "u16", "u32", "u64", "u128",
    "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
];

const C_KEYWORDS: &[&str] = &[
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
];

const CPP_KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "constexpr",
    "continue",
    "default",
    "delete",
    "do",
    "double",
    "else",
    "enum",
    "explicit",
    "extern",
    "false",
    "float",
    "for",
    "friend",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "nullptr",
    "operator",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "template",
    "this",
    "throw",
    "true",
    "try",
    "typedef",
    "typename",
    "union",
    "unsigned",
    "using",
    "virtual",
    "void",
    "volatile",
    "while",
    "bool",
];

const JAVA_KEYWORDS: &[&str] = &[
    "abstract",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "for",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "throws",
    "true",
    "try",
    "var",
    "void",
    "while",
];

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

const RUST_NAMES: &[&str] = &[
    "std",
    "Vec",
    "String",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "BinaryHeap",
    "Array1",
    "Array2",
    "ArrayView1",
    "ArrayView2",
    "Ordering",
];

const CPP_NAMES: &[&str] = &[
    "std",
    "vector",
    "string",
    "map",
    "set",
    "unordered_map",
    "unordered_set",
    "pair",
    "deque",
    "priority_queue",
    "sort",
    "cin",
    "cout",
    "endl",
    "printf",
    "scanf",
];

const JAVA_NAMES: &[&str] = &[
    "String",
    "Integer",
    "Long",
    "Double",
    "List",
    "ArrayList",
    "Map",
    "HashMap",
    "TreeMap",
    "Set",
    "HashSet",
    "TreeSet",
    "Arrays",
    "Collections",
    "Math",
    "System",
    "Scanner",
];

const PYTHON_NAMES: &[&str] = &[
    "len",
    "range",
    "sorted",
    "sum",
    "min",
    "max",
    "abs",
    "int",
    "float",
    "str",
    "list",
    "dict",
    "set",
    "tuple",
    "enumerate",
    "zip",
    "map",
    "filter",
    "print",
    "input",
    "self",
];

const C_FAMILY: Syntax = Syntax {
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    nested_comments: false,
    rust_literals: false,
    triple_quotes: false,
    string_prefixes: "",
    cpp_raw_strings: false,
    keywords: C_KEYWORDS,
    known_names: &[
        "printf", "scanf", "malloc", "free", "qsort", "memset", "memcpy",
    ],
    imports: Imports::Lines(&["#include"]),
};

pub static RUST: Language = Language {
    name: "Rust",
    extensions: &["rs"],
    tokenize: lex,
    syntax: Syntax {
        nested_comments: true,
        rust_literals: true,
        keywords: RUST_KEYWORDS,
        known_names: RUST_NAMES,
        imports: Imports::ToSemicolon(&["use"]),
        ..C_FAMILY
    },
};

pub static C: Language = Language {
    name: "C",
    extensions: &["c", "h"],
    tokenize: lex,
    syntax: C_FAMILY,
};

pub static CPP: Language = Language {
    name: "C++",
    extensions: &["cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx"],
    tokenize: lex,
    syntax: Syntax {
        cpp_raw_strings: true,
        keywords: CPP_KEYWORDS,
        known_names: CPP_NAMES,
        ..C_FAMILY
    },
};

pub static JAVA: Language = Language {
    name: "Java",
    extensions: &["java"],
    tokenize: lex,
    syntax: Syntax {
        triple_quotes: true,
        keywords: JAVA_KEYWORDS,
        known_names: JAVA_NAMES,
        imports: Imports::ToSemicolon(&["import", "package"]),
        ..C_FAMILY
    },
};

pub static PYTHON: Language = Language {
    name: "Python",
    extensions: &["py"],
    tokenize: lex,
    syntax: Syntax {
        line_comments: &["#"],
        block_comment: None,
        nested_comments: false,
        rust_literals: false,
        triple_quotes: true,
        string_prefixes: "rRbBfFuU",
        cpp_raw_strings: false,
        keywords: PYTHON_KEYWORDS,
        known_names: PYTHON_NAMES,
        imports: Imports::Lines(&["import", "from"]),
    },
};

/// Every language compared, in the order their names are listed.
pub static LANGUAGES: &[&Language] = &[&RUST, &C, &CPP, &JAVA, &PYTHON];

/// The language of a file name, by its extension (any case).
pub fn language_for(name: &str) -> Option<&'static Language> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    LANGUAGES
        .iter()
        .copied()
        .find(|l| l.extensions.contains(&ext.as_str()))
}

/// The extensions known, as ".rs, .c, ..." for messages.
pub fn known_extensions() -> String {
    LANGUAGES
        .iter()
        .flat_map(|l| l.extensions.iter())
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Language {
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        (self.tokenize)(self, text)
    }
}

/// A keyword's or punctuation's code: FNV-1a of its text, clear of the class codes.
fn code_of(text: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in text {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h | 0x100
}

/// Punctuation of more than one character, longest first.
const PUNCTUATION: &[&str] = &[
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "++", "--", "..", "**", "//",
];

/// The shared lexer: a byte scanner good enough to find comments, literals, words and
/// punctuation in any of the languages above, and never failing on broken code.
pub fn lex(language: &Language, text: &str) -> Vec<Token> {
    let s = &language.syntax;
    let bytes = text.as_bytes();
    let mut lexer = Lexer {
        bytes,
        at: 0,
        line: 1,
        out: Vec::new(),
    };
    while lexer.at < bytes.len() {
        if lexer.layout_or_comment(s) || lexer.literal(s) || lexer.import(s.imports) {
            continue;
        }
        let rest = &bytes[lexer.at..];
        let c = rest[0];
        if c.is_ascii_digit() || (c == b'.' && rest.get(1).is_some_and(u8::is_ascii_digit)) {
            lexer.number();
        } else if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 {
            lexer.name(s);
        } else {
            let len = PUNCTUATION
                .iter()
                .find(|p| rest.starts_with(p.as_bytes()))
                .map_or(1, |p| p.len());
            let line = lexer.line;
            lexer.out.push(Token {
                code: code_of(&rest[..len]),
                line,
            });
            lexer.at += len;
        }
    }
    without_trailing_commas(lexer.out)
}

/// A comma right before a closing bracket is layout (rustfmt adds one to every list it
/// breaks over lines): dropped.
fn without_trailing_commas(tokens: Vec<Token>) -> Vec<Token> {
    let comma = code_of(b",");
    let closing = [code_of(b")"), code_of(b"]"), code_of(b"}")];
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if closing.contains(&t.code) && out.last().is_some_and(|last| last.code == comma) {
            out.pop();
        }
        out.push(t);
    }
    out
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
    out: Vec<Token>,
}

impl<'a> Lexer<'a> {
    fn push(&mut self, code: u32) {
        self.out.push(Token {
            code,
            line: self.line,
        });
    }

    /// Moves to `to`, counting the lines passed.
    #[expect(
        clippy::naive_bytecount,
        reason = "a literal or comment's few bytes; not worth a crate"
    )]
    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.bytes.len());
        self.line += self.bytes[self.at..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        self.at = to;
    }

    /// Passes over a line break, a blank or a comment starting here; false when none does.
    fn layout_or_comment(&mut self, s: &Syntax) -> bool {
        let rest = &self.bytes[self.at..];
        match rest[0] {
            b'\n' => {
                self.line += 1;
                self.at += 1;
            }
            c if c.is_ascii_whitespace() => self.at += 1,
            _ if s
                .line_comments
                .iter()
                .any(|m| rest.starts_with(m.as_bytes())) =>
            {
                self.skip_line();
            }
            _ => match s
                .block_comment
                .filter(|(o, _)| rest.starts_with(o.as_bytes()))
            {
                Some((open, close)) => {
                    self.skip_block(open.as_bytes(), close.as_bytes(), s.nested_comments);
                }
                None => return false,
            },
        }
        true
    }

    /// A string or character literal starting here, as one token; false when none does.
    fn literal(&mut self, s: &Syntax) -> bool {
        if (s.rust_literals && self.rust_literal())
            || (s.cpp_raw_strings && self.cpp_raw_string())
            || self.prefixed_string(s)
        {
            return true;
        }
        let c = self.bytes[self.at];
        if c == b'"' || c == b'\'' {
            self.quoted(c, s.triple_quotes);
            return true;
        }
        false
    }

    /// An identifier or keyword starting here: its own code when it keeps its identity
    /// (a keyword, a library name, a method or path segment, a macro), else `IDENT`.
    fn name(&mut self, s: &Syntax) {
        let path = [code_of(b"."), code_of(b"::"), code_of(b"->")];
        let after_path = self.out.last().is_some_and(|t| path.contains(&t.code));
        let word = self.word();
        let is_macro =
            self.bytes.get(self.at) == Some(&b'!') && self.bytes.get(self.at + 1) != Some(&b'=');
        let code = if s.keywords.contains(&word)
            || s.known_names.contains(&word)
            || after_path
            || (is_macro && s.rust_literals)
        {
            code_of(word.as_bytes())
        } else {
            IDENT
        };
        self.push(code);
    }

    /// Drops an import starting here (to its `;`, or its line); false when none does.
    fn import(&mut self, imports: Imports) -> bool {
        let rest = &self.bytes[self.at..];
        let starts = |word: &str| {
            rest.starts_with(word.as_bytes())
                && rest
                    .get(word.len())
                    .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                && (self.at == 0
                    || !matches!(self.bytes[self.at - 1], b'_' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'))
        };
        match imports {
            Imports::ToSemicolon(words) if words.iter().any(|w| starts(w)) => {
                let end = rest
                    .iter()
                    .position(|&b| b == b';')
                    .map_or(rest.len(), |p| p + 1);
                self.advance_to(self.at + end);
                true
            }
            Imports::Lines(words) if words.iter().any(|w| starts(w)) && self.at_line_start() => {
                self.skip_line();
                true
            }
            _ => false,
        }
    }

    /// Whether only blanks come before this point on its line.
    fn at_line_start(&self) -> bool {
        self.bytes[..self.at]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|b| *b == b' ' || *b == b'\t')
    }

    fn skip_line(&mut self) {
        let end = self.bytes[self.at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| self.at + p);
        self.at = end;
    }

    fn skip_block(&mut self, open: &[u8], close: &[u8], nested: bool) {
        let mut depth = 0usize;
        let mut i = self.at;
        while i < self.bytes.len() {
            if self.bytes[i..].starts_with(open) && (nested || depth == 0) {
                depth += 1;
                i += open.len();
            } else if self.bytes[i..].starts_with(close) {
                depth -= 1;
                i += close.len();
                if depth == 0 {
                    break;
                }
            } else {
                i += 1;
            }
        }
        self.advance_to(i);
    }

    /// A literal that starts at a quote: to its closing quote (escapes skipped), or to the
    /// end of a line for a lone quote that closes nowhere on it.
    fn quoted(&mut self, quote: u8, triple: bool) {
        let start = self.line;
        let rest = &self.bytes[self.at..];
        let three = [quote; 3];
        if triple && rest.starts_with(&three) {
            let end = find(&rest[3..], &three).map_or(rest.len(), |p| p + 6);
            self.advance_to(self.at + end);
        } else {
            let mut i = 1;
            while i < rest.len() && rest[i] != quote {
                if rest[i] == b'\\' {
                    i += 1;
                } else if rest[i] == b'\n' && quote == b'\'' {
                    break;
                }
                i += 1;
            }
            self.advance_to(self.at + (i + 1).min(rest.len()));
        }
        self.out.push(Token {
            code: LITERAL,
            line: start,
        });
    }

    /// Rust's raw and byte strings, byte characters and lifetimes; false when none starts
    /// here.
    fn rust_literal(&mut self) -> bool {
        let rest = &self.bytes[self.at..];
        let prefix = if rest.starts_with(b"br") || rest.starts_with(b"cr") {
            2
        } else {
            usize::from(rest.starts_with(b"r"))
        };
        if prefix > 0 {
            let hashes = rest[prefix..].iter().take_while(|&&b| b == b'#').count();
            if rest.get(prefix + hashes) == Some(&b'"') {
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                let body = prefix + hashes + 1;
                let end =
                    find(&rest[body..], &close).map_or(rest.len(), |p| body + p + close.len());
                let line = self.line;
                self.advance_to(self.at + end);
                self.out.push(Token {
                    code: LITERAL,
                    line,
                });
                return true;
            }
            if hashes == 1 && prefix == 1 {
                // A raw identifier, r#type: an identifier.
                self.at += 2;
                self.word();
                self.push(IDENT);
                return true;
            }
        }
        if (rest.starts_with(b"b\"") || rest.starts_with(b"c\"")) || rest.starts_with(b"b'") {
            self.at += 1;
            self.quoted(rest[1], false);
            return true;
        }
        if rest[0] == b'\'' {
            // 'a' is a character; 'a (no closing quote after one character) a lifetime.
            let is_char = match rest.get(1) {
                Some(b'\\') => true,
                Some(_) => {
                    let width = std::str::from_utf8(&rest[1..rest.len().min(5)])
                        .ok()
                        .or_else(|| std::str::from_utf8(&rest[1..rest.len().min(2)]).ok())
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    rest.get(1 + width) == Some(&b'\'')
                }
                None => false,
            };
            if !is_char {
                self.at += 1;
                self.word();
                self.push(IDENT);
                return true;
            }
        }
        false
    }

    /// C++'s R"delim( ... )delim"; false when none starts here.
    fn cpp_raw_string(&mut self) -> bool {
        let rest = &self.bytes[self.at..];
        let start = if rest.starts_with(b"R\"") {
            2
        } else if rest.starts_with(b"u8R\"") {
            4
        } else if rest.starts_with(b"LR\"")
            || rest.starts_with(b"uR\"")
            || rest.starts_with(b"UR\"")
        {
            3
        } else {
            return false;
        };
        let Some(open) = rest[start..].iter().position(|&b| b == b'(') else {
            return false;
        };
        let delim = &rest[start..start + open];
        let mut close = vec![b')'];
        close.extend_from_slice(delim);
        close.push(b'"');
        let body = start + open + 1;
        let end = find(&rest[body..], &close).map_or(rest.len(), |p| body + p + close.len());
        let line = self.line;
        self.advance_to(self.at + end);
        self.out.push(Token {
            code: LITERAL,
            line,
        });
        true
    }

    /// A string after letter prefixes (Python's rb"...", f"..."); false when none.
    fn prefixed_string(&mut self, s: &Syntax) -> bool {
        if s.string_prefixes.is_empty() {
            return false;
        }
        let rest = &self.bytes[self.at..];
        let n = rest
            .iter()
            .take(3)
            .take_while(|b| s.string_prefixes.as_bytes().contains(b))
            .count();
        match rest.get(n) {
            Some(&q @ (b'"' | b'\'')) if n > 0 => {
                self.at += n;
                self.quoted(q, s.triple_quotes);
                true
            }
            _ => false,
        }
    }

    fn number(&mut self) {
        let rest = &self.bytes[self.at..];
        let mut i = 0;
        while i < rest.len() {
            let b = rest[i];
            let exponent_sign = (b == b'+' || b == b'-')
                && i > 0
                && matches!(rest[i - 1], b'e' | b'E')
                && !rest.starts_with(b"0x");
            // A dot is part of a number unless a range (1..n) or a method (1.max) follows.
            let dot = b == b'.' && rest.get(i + 1).is_some_and(u8::is_ascii_digit);
            if b.is_ascii_alphanumeric() || b == b'_' || dot || exponent_sign {
                i += 1;
            } else {
                break;
            }
        }
        self.push(NUMBER);
        self.at += i.max(1);
    }

    fn word(&mut self) -> &'a str {
        let bytes: &'a [u8] = self.bytes;
        let start = self.at;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if b == b'_' || b.is_ascii_alphanumeric() || b >= 0x80 {
                self.at += 1;
            } else {
                break;
            }
        }
        std::str::from_utf8(&bytes[start..self.at]).unwrap_or("")
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(language: &Language, text: &str) -> Vec<u32> {
        language.tokens(text).iter().map(|t| t.code).collect()
    }

    fn kw(text: &str) -> u32 {
        code_of(text.as_bytes())
    }

    #[test]
    fn renaming_reformatting_and_comments_change_nothing() {
        let a = "fn add(x: i64, y: i64) -> i64 { x + y } // adds";
        let b = "/* sum */\nfn   plus(\n  first: i64,\n  second: i64,\n) -> i64 {\n    first + second\n}";
        assert_eq!(codes(&RUST, a), codes(&RUST, b));
        assert_eq!(
            codes(&RUST, "let v = 3;"),
            vec![kw("let"), IDENT, kw("="), NUMBER, kw(";")]
        );
    }

    #[test]
    fn rust_literals_lifetimes_and_nested_comments() {
        let t = codes(
            &RUST,
            "r#\"a \" b\"# 'x' '\\n' b'a' &'a str /* a /* b */ c */ x",
        );
        assert_eq!(
            t,
            vec![
                LITERAL,
                LITERAL,
                LITERAL,
                LITERAL,
                kw("&"),
                IDENT,
                kw("str"),
                IDENT
            ]
        );
        assert_eq!(codes(&RUST, "r#type"), vec![IDENT]);
        assert_eq!(codes(&RUST, "'é'"), vec![LITERAL]);
        // Ranges and methods on numbers are not part of the number.
        assert_eq!(codes(&RUST, "0..n"), vec![NUMBER, kw(".."), IDENT]);
        assert_eq!(codes(&RUST, "1.5e-3"), vec![NUMBER]);
    }

    #[test]
    fn lines_are_counted_through_comments_and_strings() {
        let tokens = RUST.tokens("a\n/* x\ny */ b \"p\nq\" c");
        let lines: Vec<u32> = tokens.iter().map(|t| t.line).collect();
        assert_eq!(lines, vec![1, 3, 3, 4]);
    }

    #[test]
    fn python_strings_and_comments() {
        let t = codes(
            &PYTHON,
            "def f(x):  # note\n    \"\"\"doc \"quoted\" \"\"\"\n    return rb'\\x00' + x",
        );
        assert_eq!(
            t,
            vec![
                kw("def"),
                IDENT,
                kw("("),
                IDENT,
                kw(")"),
                kw(":"),
                LITERAL,
                kw("return"),
                LITERAL,
                kw("+"),
                IDENT
            ]
        );
    }

    #[test]
    fn cpp_raw_strings_and_c_comments() {
        let t = codes(&CPP, "auto s = R\"x(a )\" b)x\"; // c\nint n = 'a';");
        assert_eq!(
            t,
            vec![
                kw("auto"),
                IDENT,
                kw("="),
                LITERAL,
                kw(";"),
                kw("int"),
                IDENT,
                kw("="),
                LITERAL,
                kw(";")
            ]
        );
    }

    #[test]
    fn imports_are_dropped_and_library_names_kept() {
        assert_eq!(
            codes(
                &RUST,
                "use std::collections::{HashMap, HashSet};\nlet m = HashMap::new();"
            ),
            vec![
                kw("let"),
                IDENT,
                kw("="),
                kw("HashMap"),
                kw("::"),
                kw("new"),
                kw("("),
                kw(")"),
                kw(";")
            ]
        );
        // A method keeps its name, a variable does not; a macro keeps its name.
        assert_eq!(
            codes(&RUST, "xs.iter(); vec![a]"),
            vec![
                IDENT,
                kw("."),
                kw("iter"),
                kw("("),
                kw(")"),
                kw(";"),
                kw("vec"),
                kw("!"),
                kw("["),
                IDENT,
                kw("]")
            ]
        );
        assert_ne!(codes(&RUST, "a.sort()"), codes(&RUST, "a.iter()"));
        assert_eq!(codes(&RUST, "a != b"), vec![IDENT, kw("!="), IDENT]);
        // `user` is a variable, not the keyword `use`.
        assert_eq!(codes(&RUST, "user;"), vec![IDENT, kw(";")]);
        assert_eq!(
            codes(
                &PYTHON,
                "import numpy as np\nfrom x import (y)\nz = np.sum(w)"
            ),
            vec![
                IDENT,
                kw("="),
                IDENT,
                kw("."),
                kw("sum"),
                kw("("),
                IDENT,
                kw(")")
            ]
        );
        assert_eq!(
            codes(&C, "#include <stdio.h>\nint x;"),
            vec![kw("int"), IDENT, kw(";")]
        );
        assert_eq!(
            codes(&JAVA, "import java.util.*;\nint x;"),
            vec![kw("int"), IDENT, kw(";")]
        );
    }

    #[test]
    fn broken_code_still_tokenises() {
        for text in [
            "\"unclosed",
            "/* unclosed",
            "r#\"unclosed",
            "'",
            "fn f( {",
            "\u{feff}é€",
        ] {
            for l in LANGUAGES {
                let _ = l.tokens(text);
            }
        }
    }

    #[test]
    fn languages_by_extension() {
        assert_eq!(language_for("a/b.RS").map(|l| l.name), Some("Rust"));
        assert_eq!(language_for("x.cpp").map(|l| l.name), Some("C++"));
        assert_eq!(language_for("x.py").map(|l| l.name), Some("Python"));
        assert!(language_for("notes.txt").is_none());
        assert!(language_for("Makefile").is_none());
        assert!(known_extensions().starts_with(".rs, .c, .h"));
    }
}
