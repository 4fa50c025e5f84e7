//! The shared lexer: one byte scanner for the C family, Java, Python and Rust, configured by
//! each language's `Syntax`.

use super::syntax::{Imports, Language, Syntax, Token, IDENT, LITERAL, NUMBER};

/// A keyword's or punctuation's code: FNV-1a of its text, clear of the class codes.
pub(super) fn code_of(text: &[u8]) -> u32 {
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
