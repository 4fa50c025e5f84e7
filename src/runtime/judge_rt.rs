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

/// The exit code that means "the judge's own harness failed", never the solution's fault.
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
    fn from_json(v: Value) -> Result<Self, String>;
}

pub trait ToJson {
    fn to_json(&self) -> Value;
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: Value) -> Result<Self, String> {
                let wide = match &v {
                    Value::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
                    _ => None,
                };
                wide.and_then(|w| <$t>::try_from(w).ok())
                    .ok_or_else(|| format!("expected {}, found {}", stringify!($t), shown(&v)))
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
    fn from_json(v: Value) -> Result<Self, String> {
        match &v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s == "NaN" => Some(f64::NAN),
            Value::String(s) if s == "inf" => Some(f64::INFINITY),
            Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        }
        .ok_or_else(|| format!("expected f64, found {}", shown(&v)))
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
    fn from_json(v: Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| format!("expected bool, found {}", shown(&v)))
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromJson for String {
    fn from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(format!("expected string, found {}", shown(&other))),
        }
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            other => Err(format!("expected list, found {}", shown(&other))),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: Value) -> Result<Self, String> {
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
            fn from_json(v: Value) -> Result<Self, String> {
                let items = match v {
                    Value::Array(items) => items,
                    other => return Err(format!("expected tuple, found {}", shown(&other))),
                };
                let mut it = items.into_iter();
                Ok(($($t::from_json(it.next().ok_or("tuple too short")?)?,)*))
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
    fn from_json(v: Value) -> Result<Self, String> {
        Vec::<f64>::from_json(v).map(Array1::from)
    }
}

impl ToJson for Array1<f64> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl FromJson for Array2<f64> {
    fn from_json(v: Value) -> Result<Self, String> {
        let rows = Vec::<Vec<f64>>::from_json(v)?;
        let ncols = rows.first().map_or(0, Vec::len);
        let nrows = rows.len();
        let flat: Vec<f64> = rows.into_iter().flatten().collect();
        Array2::from_shape_vec((nrows, ncols), flat).map_err(|e| format!("ragged Array2: {e}"))
    }
}

impl ToJson for Array2<f64> {
    fn to_json(&self) -> Value {
        Value::Array(self.rows().into_iter().map(|r| Value::Array(r.iter().map(ToJson::to_json).collect())).collect())
    }
}

/// Takes one named field out of a record's JSON object (used by generated record impls).
pub fn field<T: FromJson>(map: &mut Map<String, Value>, name: &str) -> Result<T, String> {
    T::from_json(map.remove(name).ok_or_else(|| format!("missing field {name}"))?)
}

/// Takes the next argument of a case.
pub fn arg<T: FromJson>(args: &mut std::vec::IntoIter<Value>) -> T {
    let v = args.next().unwrap_or_else(|| harness_failure("too few arguments"));
    T::from_json(v).unwrap_or_else(|e| harness_failure(&e))
}

fn harness_failure(message: &str) -> ! {
    eprintln!("judge-harness: {message}");
    std::process::exit(HARNESS_FAILURE)
}

/// This process's peak resident memory in KiB since exec (VmHWM). The judge cannot take it
/// from wait4: a forked child's ru_maxrss keeps the judge's own pre-exec high-water mark.
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn answer_pipe() -> std::fs::File {
    // SAFETY: the judge opens fd 3 as the answer pipe before exec; nothing else owns it.
    unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(3) }
}

/// Reads the case from stdin, calls `solve`, and writes to fd 3 its answer, a newline, and
/// the peak memory in KiB (also written, alone, when the solution panics).
pub fn run(solve: impl FnOnce(&mut std::vec::IntoIter<Value>) -> Value) {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        let _ = write!(std::mem::ManuallyDrop::new(answer_pipe()), "\n{}", peak_kb());
    }));
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        harness_failure(&format!("cannot read the case: {e}"));
    }
    let args: Vec<Value> = serde_json::from_str(&input).unwrap_or_else(|e| harness_failure(&format!("bad case JSON: {e}")));
    let answer = solve(&mut args.into_iter());
    let text = serde_json::to_string(&answer).unwrap_or_else(|e| harness_failure(&e.to_string()));
    let _ = std::io::stdout().flush();
    let mut out = answer_pipe();
    if let Err(e) = write!(out, "{text}\n{}", peak_kb()) {
        harness_failure(&format!("cannot write the answer: {e}"));
    }
}

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
        let span = (hi as i128 - lo as i128 + 1) as u128;
        if span > u128::from(u64::MAX) {
            return self.next_u64() as i64;
        }
        (lo as i128 + i128::from(self.below(span as u64))) as i64
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
