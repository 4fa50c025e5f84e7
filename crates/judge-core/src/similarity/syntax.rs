//! What the comparison's lexers make (`Token` and its classes) and how a language configures
//! them (`Language`, `Syntax`, `Imports`).

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

impl Language {
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        (self.tokenize)(self, text)
    }
}
