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
//!
//! The types are in `syntax.rs` and the shared lexer in `scan.rs`; this file is the table of
//! languages.

pub use super::scan::lex;
pub use super::syntax::{Imports, Language, Syntax, Token, IDENT, LITERAL, NUMBER};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::scan::code_of;

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
