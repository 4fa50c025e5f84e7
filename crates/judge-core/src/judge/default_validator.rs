//! The Kattis format's default output validator: the output and the answer compared token
//! by token (whitespace separates tokens, its amount does not matter unless
//! `space_change_sensitive`), letters case-insensitively unless `case_sensitive`, and, once
//! a float tolerance is set, a token of the answer that is a number accepts any number
//! within the absolute or the relative tolerance (either suffices, as the format says).
//! NaN equals NaN and infinities are equal by sign, as the function problems' float
//! checker says.
//!
//! Invariant: pure; the words of a mismatch come in two forms, with the tokens (for cases
//! that may be shown) and without them (for hidden cases).

use crate::problem::package::DefaultFlags;

/// Why an output was rejected: `words` quotes the tokens, `kind` does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub words: String,
    pub kind: String,
}

/// Most characters of a token quoted in a message.
const QUOTED: usize = 40;

/// Compares `output` with `answer` under `flags`, token by token as both are read: an
/// output of millions of tokens costs the judge no list of them.
pub fn validate(answer: &[u8], output: &[u8], flags: &DefaultFlags) -> Result<(), Rejection> {
    let answer = String::from_utf8_lossy(answer);
    let output = String::from_utf8_lossy(output);
    let mut expected = Tokens::new(&answer, flags.space_change_sensitive);
    let mut found = Tokens::new(&output, flags.space_change_sensitive);
    let mut i = 0;
    loop {
        match (expected.next(), found.next()) {
            (Some(e), Some(f)) => {
                if let Err(why) = same(&e, &f, flags) {
                    let place = format!("token {} (line {})", i + 1, f.line);
                    return Err(Rejection {
                        words: format!("{place}: {why}"),
                        kind: format!("{place} differs"),
                    });
                }
            }
            (None, Some(extra)) => {
                let f = i + 1 + found.count();
                return Err(Rejection {
                    words: format!(
                        "more output than expected: token {} (line {}) is {}",
                        i + 1,
                        extra.line,
                        quote(extra.text)
                    ),
                    kind: format!("more output than expected: {f} tokens where {i} were expected"),
                });
            }
            (Some(missing), None) => {
                let e = i + 1 + expected.count();
                return Err(Rejection {
                    words: format!(
                        "the output ends early: expected {} as token {}",
                        quote(missing.text),
                        i + 1
                    ),
                    kind: format!("the output ends early: {i} tokens where {e} were expected"),
                });
            }
            (None, None) => return Ok(()),
        }
        i += 1;
    }
}

struct Token<'a> {
    text: &'a str,
    /// 1-based line of the output it starts on.
    line: usize,
    /// A run of whitespace (kept only when whitespace must match).
    space: bool,
}

/// The tokens of a text, in order: runs of non-whitespace, and the runs of whitespace
/// between them when whitespace must match.
struct Tokens<'a> {
    text: &'a str,
    keep_space: bool,
    /// Where the next run starts.
    at: usize,
    /// The line the next run starts on.
    line: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, keep_space: bool) -> Tokens<'a> {
        Tokens {
            text,
            keep_space,
            at: 0,
            line: 1,
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = &self.text[self.at..];
            let first = rest.chars().next()?;
            let space = first.is_ascii_whitespace();
            let len = rest
                .find(|c: char| c.is_ascii_whitespace() != space)
                .unwrap_or(rest.len());
            let run = &rest[..len];
            let line = self.line;
            self.at += len;
            self.line += run.matches('\n').count();
            if !space || self.keep_space {
                return Some(Token {
                    text: run,
                    line,
                    space,
                });
            }
        }
    }
}

/// How a token of the output differs from the answer's, as the shown words say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum Difference<'a> {
    #[error("whitespace differs: expected {}, found {}", quote(.expected), quote(.found))]
    Whitespace { expected: &'a str, found: &'a str },
    #[error("expected the number {}, found {}", quote(.expected), quote(.found))]
    NotANumber { expected: &'a str, found: &'a str },
    #[error("expected {} (within the tolerance), found {}", quote(.expected), quote(.found))]
    OutsideTolerance { expected: &'a str, found: &'a str },
    #[error("expected {}, found {}", quote(.expected), quote(.found))]
    Token { expected: &'a str, found: &'a str },
}

fn same<'a>(
    expected: &Token<'a>,
    found: &Token<'a>,
    flags: &DefaultFlags,
) -> Result<(), Difference<'a>> {
    let (e, f) = (expected.text, found.text);
    if expected.space || found.space {
        return if e == f {
            Ok(())
        } else {
            Err(Difference::Whitespace {
                expected: e,
                found: f,
            })
        };
    }
    if flags.floats() {
        if let Some(want) = number(e) {
            let Some(got) = number(f) else {
                return Err(Difference::NotANumber {
                    expected: e,
                    found: f,
                });
            };
            return if within(got, want, flags) {
                Ok(())
            } else {
                Err(Difference::OutsideTolerance {
                    expected: e,
                    found: f,
                })
            };
        }
    }
    let equal = if flags.case_sensitive {
        e == f
    } else {
        e.eq_ignore_ascii_case(f) || e.to_lowercase() == f.to_lowercase()
    };
    if equal {
        Ok(())
    } else {
        Err(Difference::Token {
            expected: e,
            found: f,
        })
    }
}

/// A token read as a float: decimal or exponent notation, `inf`, `nan`.
fn number(token: &str) -> Option<f64> {
    let looks_numeric = token
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        || matches!(
            token
                .trim_start_matches(['+', '-'])
                .to_ascii_lowercase()
                .as_str(),
            "inf" | "infinity" | "nan"
        );
    looks_numeric.then(|| token.parse::<f64>().ok()).flatten()
}

fn within(got: f64, want: f64, flags: &DefaultFlags) -> bool {
    if want.is_nan() || got.is_nan() {
        return want.is_nan() && got.is_nan();
    }
    if want.is_infinite() || got.is_infinite() {
        return want.is_infinite()
            && got.is_infinite()
            && want.is_sign_positive() == got.is_sign_positive();
    }
    let diff = (got - want).abs();
    flags.float_absolute.is_some_and(|abs| diff <= abs)
        || flags
            .float_relative
            .is_some_and(|rel| diff <= rel * want.abs())
}

fn quote(token: &str) -> String {
    let shown: String = token.chars().take(QUOTED).collect();
    let cut = if shown.len() < token.len() { "…" } else { "" };
    format!("{:?}", format!("{shown}{cut}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(words: &str) -> DefaultFlags {
        let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
        DefaultFlags::parse(&words).unwrap()
    }

    fn ok(answer: &str, output: &str, f: &str) -> bool {
        validate(answer.as_bytes(), output.as_bytes(), &flags(f)).is_ok()
    }

    #[test]
    fn tokens_are_compared_and_whitespace_only_separates() {
        assert!(ok("1 2\n3\n", "1   2 3", ""));
        assert!(ok("1 2\n", "\n\n1\t2\n\n", ""));
        assert!(!ok("1 2\n", "1 3\n", ""));
        assert!(!ok("1 2\n", "12\n", ""));
        assert!(ok("", "", ""));
        assert!(ok("", " \n", ""));
    }

    #[test]
    fn letters_ignore_case_unless_case_sensitive() {
        assert!(ok("Yes\n", "YES\n", ""));
        assert!(ok("Ärger\n", "ärger\n", ""));
        assert!(!ok("Yes\n", "YES\n", "case_sensitive"));
        assert!(ok("Yes\n", "Yes\n", "case_sensitive"));
    }

    #[test]
    fn space_change_sensitive_wants_the_same_whitespace() {
        assert!(ok("1 2\n", "1 2\n", "space_change_sensitive"));
        assert!(!ok("1 2\n", "1  2\n", "space_change_sensitive"));
        assert!(!ok("1 2\n", "1 2", "space_change_sensitive"));
        assert!(!ok("1 2\n", "1\n2\n", "space_change_sensitive"));
        let e = validate(b"1 2\n", b"1  2\n", &flags("space_change_sensitive")).unwrap_err();
        assert!(e.words.contains("whitespace differs"), "{e:?}");
    }

    #[test]
    fn without_a_tolerance_numbers_are_tokens() {
        assert!(!ok("0.5\n", "0.50\n", ""));
        assert!(ok("0.5\n", "0.5\n", ""));
    }

    #[test]
    fn relative_tolerance() {
        let f = "float_relative_tolerance 1e-3";
        assert!(ok("1000\n", "1000.9\n", f));
        assert!(!ok("1000\n", "1001.1\n", f));
        assert!(
            !ok("0\n", "1e-9\n", f),
            "relative to zero accepts only zero"
        );
        assert!(ok("0.0314\n", "3.14000000e-2\n", f));
    }

    #[test]
    fn absolute_tolerance() {
        let f = "float_absolute_tolerance 0.01";
        assert!(ok("0\n", "0.009\n", f));
        assert!(!ok("0\n", "0.011\n", f));
        assert!(!ok("1000\n", "1000.5\n", f));
    }

    #[test]
    fn float_tolerance_is_either() {
        let f = "float_tolerance 1e-2";
        assert!(ok("0\n", "0.005\n", f), "absolute");
        assert!(ok("1000\n", "1005\n", f), "relative");
        assert!(!ok("1000\n", "1011\n", f));
        assert!(ok("nan inf -inf\n", "NaN inf -inf\n", f));
        assert!(!ok("inf\n", "-inf\n", f));
    }

    #[test]
    fn a_word_where_a_number_is_expected_is_rejected() {
        let e = validate(b"1.5\n", b"abc\n", &flags("float_tolerance 1")).unwrap_err();
        assert!(e.words.contains("expected the number \"1.5\""), "{e:?}");
        assert!(
            ok("abc\n", "ABC\n", "float_tolerance 1"),
            "words still compare as words"
        );
    }

    #[test]
    fn missing_and_extra_output_say_so_without_values_for_hidden_cases() {
        let e = validate(b"1 2 3\n", b"1 2\n", &flags("")).unwrap_err();
        assert!(
            e.words.contains("ends early: expected \"3\" as token 3"),
            "{e:?}"
        );
        assert_eq!(
            e.kind,
            "the output ends early: 2 tokens where 3 were expected"
        );
        let e = validate(b"1\n", b"1\nsecret\n", &flags("")).unwrap_err();
        assert!(e.words.contains("token 2 (line 2) is \"secret\""), "{e:?}");
        assert!(!e.kind.contains("secret"));
        let e = validate(b"7\n", b"8\n", &flags("")).unwrap_err();
        assert_eq!(e.kind, "token 1 (line 1) differs");
    }
}
