//! judge_rt: the support library every compiled solution and reference links against.
//!
//! It is built once per toolchain (with ndarray and serde_json) into the judge's cache; the
//! harness the judge generates for each problem calls `run`. Protocol: the case arrives on
//! stdin as a JSON array of arguments; the answer leaves as one JSON value on file
//! descriptor 3, so whatever the solution prints on stdout never corrupts it.

pub use ndarray;
pub use serde_json;

use ndarray::{Array1, Array2};
use serde_json::{Map, Number, Value};
use std::io::{Read, Write};

/// The exit code of the harness's own failures (a case it cannot read, an answer it cannot
/// write). The judge validates every input before a run, so in a solution's run this can
/// only be the solution's doing (a solution can exit with any code and print anything):
/// there it is a runtime error. Only the judge's trusted programs (generators, checkers)
/// are taken at their word.
pub const HARNESS_FAILURE: i32 = 86;

/// A value for an error message, cut short: cases can be megabytes long.
pub fn shown(v: &Value) -> String {
    let mut text = v.to_string();
    if text.len() > 120 {
        let mut cut = 120;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

pub trait FromJson: Sized {
    fn from_json(v: Value) -> Result<Self, JsonError>;
}

/// Why a JSON value is not a value of the type asked for. Its `Display` is written by hand,
/// as `ReadError`'s is: this file is compiled into every harness's runtime crate, whose only
/// dependencies are ndarray and serde_json, and thiserror would be one more crate built into
/// every toolchain's runtime for two derives.
#[derive(Debug)]
pub enum JsonError {
    /// A value of another kind: `expected` names the type ("i64", "list", "a record").
    Expected {
        expected: &'static str,
        found: String,
    },
    TupleTooShort,
    /// An `Array2` whose rows differ in length.
    Ragged(ndarray::ShapeError),
    /// A record's field that the object does not have.
    MissingField(String),
}

impl JsonError {
    /// A value `v` where a `expected` was wanted.
    pub fn expected(expected: &'static str, v: &Value) -> JsonError {
        JsonError::Expected {
            expected,
            found: shown(v),
        }
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            JsonError::Expected { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            JsonError::TupleTooShort => f.write_str("tuple too short"),
            JsonError::Ragged(e) => write!(f, "ragged Array2: {e}"),
            JsonError::MissingField(name) => write!(f, "missing field {name}"),
        }
    }
}

impl std::error::Error for JsonError {}

pub trait ToJson {
    fn to_json(&self) -> Value;
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: Value) -> Result<Self, JsonError> {
                let wide = match &v {
                    Value::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
                    _ => None,
                };
                wide.and_then(|w| <$t>::try_from(w).ok())
                    .ok_or_else(|| JsonError::expected(stringify!($t), &v))
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
ints!(i32, i64, u8, u32, u64, usize);

impl FromJson for f64 {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        match &v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s == "NaN" => Some(f64::NAN),
            Value::String(s) if s == "inf" => Some(f64::INFINITY),
            Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        }
        .ok_or_else(|| JsonError::expected("f64", &v))
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        match Number::from_f64(*self) {
            Some(n) => Value::Number(n),
            None if self.is_nan() => Value::from("NaN"),
            None if *self > 0.0 => Value::from("inf"),
            None => Value::from("-inf"),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        v.as_bool().ok_or_else(|| JsonError::expected("bool", &v))
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromJson for String {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(JsonError::expected("string", &other)),
        }
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        match v {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            other => Err(JsonError::expected("list", &other)),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        match v {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

macro_rules! tuples {
    ($(($($n:tt $t:ident),*)),*) => {$(
        impl<$($t: FromJson),*> FromJson for ($($t,)*) {
            fn from_json(v: Value) -> Result<Self, JsonError> {
                let items = match v {
                    Value::Array(items) => items,
                    other => return Err(JsonError::expected("tuple", &other)),
                };
                let mut it = items.into_iter();
                Ok(($($t::from_json(it.next().ok_or(JsonError::TupleTooShort)?)?,)*))
            }
        }
        impl<$($t: ToJson),*> ToJson for ($($t,)*) {
            fn to_json(&self) -> Value {
                Value::Array(vec![$(self.$n.to_json()),*])
            }
        }
    )*};
}
tuples!((0 A, 1 B), (0 A, 1 B, 2 C), (0 A, 1 B, 2 C, 3 D));

impl FromJson for Array1<f64> {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        Vec::<f64>::from_json(v).map(Array1::from)
    }
}

impl ToJson for Array1<f64> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl FromJson for Array2<f64> {
    fn from_json(v: Value) -> Result<Self, JsonError> {
        let rows = Vec::<Vec<f64>>::from_json(v)?;
        let ncols = rows.first().map_or(0, Vec::len);
        let nrows = rows.len();
        let flat: Vec<f64> = rows.into_iter().flatten().collect();
        Array2::from_shape_vec((nrows, ncols), flat).map_err(JsonError::Ragged)
    }
}

impl ToJson for Array2<f64> {
    fn to_json(&self) -> Value {
        Value::Array(
            self.rows()
                .into_iter()
                .map(|r| Value::Array(r.iter().map(ToJson::to_json).collect()))
                .collect(),
        )
    }
}

/// Takes one named field out of a record's JSON object (used by generated record impls).
pub fn field<T: FromJson>(map: &mut Map<String, Value>, name: &str) -> Result<T, JsonError> {
    T::from_json(
        map.remove(name)
            .ok_or_else(|| JsonError::MissingField(name.to_string()))?,
    )
}

/// Takes the next argument of a case.
pub fn arg<T: FromJson>(args: &mut std::vec::IntoIter<Value>) -> T {
    let v = args
        .next()
        .unwrap_or_else(|| harness_failure("too few arguments"));
    T::from_json(v).unwrap_or_else(|e| harness_failure(&e.to_string()))
}

fn harness_failure(message: &str) -> ! {
    eprintln!("judge-harness: {message}");
    std::process::exit(HARNESS_FAILURE)
}

fn answer_pipe() -> std::fs::File {
    // SAFETY: the judge opens fd 3 as the answer pipe before exec; nothing else owns it.
    unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(3) }
}

/// Reads the case from stdin, calls `solve`, and writes its answer to fd 3. Nothing else
/// goes there: time and memory are measured by the judge, outside the box.
pub fn run(solve: impl FnOnce(&mut std::vec::IntoIter<Value>) -> Value) {
    let args = read_case_values();
    write_answer(&solve(&mut args.into_iter()));
}

/// The case as JSON trees. Not generic, so that serde_json's parser is compiled here only.
fn read_case_values() -> Vec<Value> {
    let input = read_case();
    serde_json::from_slice(&input)
        .unwrap_or_else(|e| harness_failure(&format!("bad case JSON: {e}")))
}

/// Like `run`, but the arguments are read straight into their types `A` (a tuple of them),
/// with no `Value` tree in between: several times faster on large cases, and smaller.
pub fn run_typed<A: Typed>(solve: impl FnOnce(A) -> Value) {
    let input = read_case();
    let mut reader = Reader::new(&input);
    let args = A::read(&mut reader)
        .and_then(|a| reader.end().map(|()| a))
        .unwrap_or_else(|e| harness_failure(&format!("bad case: {e}")));
    drop(input);
    write_answer(&solve(args));
}

fn read_case() -> Vec<u8> {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        harness_failure(&format!("cannot read the case: {e}"));
    }
    input
}

fn write_answer(answer: &Value) {
    let text = serde_json::to_string(answer).unwrap_or_else(|e| harness_failure(&e.to_string()));
    let _ = std::io::stdout().flush();
    let mut out = answer_pipe();
    if let Err(e) = out.write_all(text.as_bytes()) {
        harness_failure(&format!("cannot write the answer: {e}"));
    }
}

/// A type read straight from JSON in the judge's canonical form (non-finite floats as the
/// strings "NaN", "inf", "-inf"; `None` as null; Array2 as a list of equal rows).
///
/// Every leaf is read by `Reader`'s own (non-generic) methods, and lists through a `dyn`
/// callback, so all parsing is compiled here, once per toolchain. serde's visitors would be
/// generic over the deserializer, and every problem's harness library would then compile
/// serde_json's whole number parser again (0.7 s of CPU per library, of 1 s).
pub trait Typed: Sized {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError>;
}

/// Why a case could not be read: where, and what was wrong.
#[derive(Debug)]
pub struct ReadError(String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pull reader over a case's JSON text.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    fn error(&self, what: &str) -> ReadError {
        ReadError(format!("{what} at byte {}", self.pos))
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), ReadError> {
        if self.peek() != Some(byte) {
            return Err(self.error(&format!("expected `{}`", byte as char)));
        }
        self.pos += 1;
        Ok(())
    }

    /// Consumes `word` (a literal such as `null`) if it comes next.
    fn literal(&mut self, word: &str) -> bool {
        self.skip_space();
        let found = self.bytes[self.pos..].starts_with(word.as_bytes());
        if found {
            self.pos += word.len();
        }
        found
    }

    /// Only white space may follow the case.
    pub fn end(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// Consumes `null` if it comes next.
    pub fn null(&mut self) -> bool {
        self.literal("null")
    }

    pub fn bool(&mut self) -> Result<bool, ReadError> {
        if self.literal("true") {
            Ok(true)
        } else if self.literal("false") {
            Ok(false)
        } else {
            Err(self.error("expected true or false"))
        }
    }

    /// The text of a JSON number, checked against JSON's grammar.
    fn number_text(&mut self) -> Result<&'a str, ReadError> {
        self.skip_space();
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let mut ok = digits(self);
        if ok && self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            ok = digits(self);
        }
        if ok && matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            ok = digits(self);
        }
        if !ok {
            self.pos = start;
            return Err(self.error("expected a number"));
        }
        // The bytes matched are ASCII.
        Ok(std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or_default())
    }

    /// A number, or one of the strings "NaN", "inf", "-inf".
    pub fn f64(&mut self) -> Result<f64, ReadError> {
        if self.peek() == Some(b'"') {
            let at = self.pos;
            return match self.string()?.as_str() {
                "NaN" => Ok(f64::NAN),
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                other => {
                    self.pos = at;
                    Err(self.error(&format!("expected f64, found the string {other:?}")))
                }
            };
        }
        let text = self.number_text()?;
        text.parse()
            .map_err(|_| self.error(&format!("{text} is not an f64")))
    }

    /// An integer (no fraction or exponent).
    pub fn integer(&mut self) -> Result<i128, ReadError> {
        let text = self.number_text()?;
        text.parse()
            .map_err(|_| self.error(&format!("expected an integer, found {text}")))
    }

    pub fn string(&mut self) -> Result<String, ReadError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while !matches!(self.bytes.get(self.pos), None | Some(b'"' | b'\\')) {
                self.pos += 1;
            }
            let text = std::str::from_utf8(&self.bytes[run..self.pos])
                .map_err(|_| self.error("invalid UTF-8 in a string"))?;
            out.push_str(text);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(self.error("unterminated string")),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, ReadError> {
        let byte = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.error("unterminated string"))?;
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first)
                    && self.bytes[self.pos..].starts_with(b"\\u")
                {
                    self.pos += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.error("unpaired surrogate in a \\u escape"));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("short \\u escape"))?;
        let value = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        self.pos += 4;
        value.ok_or_else(|| self.error("invalid \\u escape"))
    }

    /// Reads a list, calling `each` once per element with the reader at that element.
    pub fn list(
        &mut self,
        each: &mut dyn FnMut(&mut Reader<'a>) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        self.expect(b'[')?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            each(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// Reads a list of exactly `len` elements.
    pub fn tuple(
        &mut self,
        len: usize,
        each: &mut dyn FnMut(&mut Reader<'a>) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        let mut count = 0;
        self.list(&mut |r| {
            count += 1;
            if count > len {
                return Err(r.error(&format!("expected {len} values, found more")));
            }
            each(r)
        })?;
        if count < len {
            return Err(self.error(&format!("expected {len} values, found {count}")));
        }
        Ok(())
    }
}

macro_rules! typed_ints {
    ($($t:ty),*) => {$(
        impl Typed for $t {
            fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
                let v = r.integer()?;
                <$t>::try_from(v).map_err(|_| r.error(&format!("{v} is out of range for {}", stringify!($t))))
            }
        }
    )*};
}
typed_ints!(i32, i64, u8, u32, u64, usize);

impl Typed for f64 {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.f64()
    }
}

impl Typed for bool {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.bool()
    }
}

impl Typed for String {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        r.string()
    }
}

impl<T: Typed> Typed for Option<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        if r.null() {
            Ok(None)
        } else {
            T::read(r).map(Some)
        }
    }
}

impl<T: Typed> Typed for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        let mut out = Vec::new();
        r.list(&mut |r| {
            out.push(T::read(r)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl Typed for Array1<f64> {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        Vec::<f64>::read(r).map(Array1::from)
    }
}

impl Typed for Array2<f64> {
    fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
        let mut flat = Vec::new();
        let (mut rows, mut width) = (0, None);
        r.list(&mut |r| {
            let before = flat.len();
            r.list(&mut |r| {
                flat.push(r.f64()?);
                Ok(())
            })?;
            let n = flat.len() - before;
            if *width.get_or_insert(n) != n {
                return Err(r.error("ragged Array2: rows of different lengths"));
            }
            rows += 1;
            Ok(())
        })?;
        Array2::from_shape_vec((rows, width.unwrap_or(0)), flat)
            .map_err(|e| r.error(&format!("ragged Array2: {e}")))
    }
}

macro_rules! typed_tuples {
    ($(($len:expr; $($n:tt $t:ident),+)),*) => {$(
        impl<$($t: Typed),+> Typed for ($($t,)+) {
            fn read(r: &mut Reader<'_>) -> Result<Self, ReadError> {
                let mut slots = ($(None::<$t>,)+);
                let mut at = 0usize;
                r.tuple($len, &mut |r| {
                    $(if at == $n {
                        slots.$n = Some($t::read(r)?);
                    })+
                    at += 1;
                    Ok(())
                })?;
                Ok(($(slots.$n.take().ok_or_else(|| r.error("missing value"))?,)+))
            }
        }
    )*};
}
typed_tuples!(
    (1; 0 T1), (2; 0 T1, 1 T2), (3; 0 T1, 1 T2, 2 T3), (4; 0 T1, 1 T2, 2 T3, 3 T4),
    (5; 0 T1, 1 T2, 2 T3, 3 T4, 4 T5), (6; 0 T1, 1 T2, 2 T3, 3 T4, 4 T5, 5 T6),
    (7; 0 T1, 1 T2, 2 T3, 3 T4, 4 T5, 5 T6, 6 T7), (8; 0 T1, 1 T2, 2 T3, 3 T4, 4 T5, 5 T6, 6 T7, 7 T8)
);

/// A small reproducible random number generator (SplitMix64) for problem generators. Its
/// sequence for a given seed is fixed forever, so a generated case is the same on every
/// machine and every version of the judge.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        if span > u128::from(u64::MAX) {
            return self.next_u64() as i64;
        }
        (i128::from(lo) + i128::from(self.below(span as u64))) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

#[cfg(test)]
#[path = "judge_rt/tests.rs"]
mod tests;

#[cfg(test)]
#[path = "judge_rt/proptests.rs"]
pub(crate) mod proptests;
