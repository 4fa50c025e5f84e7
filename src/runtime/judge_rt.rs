//! judge_rt: the support library every compiled solution and reference links against.
//!
//! It is built once per toolchain (with ndarray and serde_json) into the judge's cache; the
//! harness the judge generates for each problem calls `run`. Protocol: the case arrives on
//! stdin as a JSON array of arguments; the answer leaves as one JSON value on file
//! descriptor 3, so whatever the solution prints on stdout never corrupts it.

pub use ndarray;
pub use serde_json;

use ndarray::{Array1, Array2};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::io::{Read, Write};
use std::marker::PhantomData;

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
    install_panic_hook();
    let input = read_case();
    let args: Vec<Value> = serde_json::from_slice(&input).unwrap_or_else(|e| harness_failure(&format!("bad case JSON: {e}")));
    drop(input);
    write_answer(solve(&mut args.into_iter()));
}

/// Like `run`, but the arguments are read straight into their types `A` (a tuple of them),
/// with no `Value` tree in between: several times faster on large cases, and smaller.
pub fn run_typed<A: Typed>(solve: impl FnOnce(A) -> Value) {
    install_panic_hook();
    let input = read_case();
    let mut de = serde_json::Deserializer::from_slice(&input);
    let args = A::read(&mut de)
        .and_then(|a| de.end().map(|()| a))
        .unwrap_or_else(|e| harness_failure(&format!("bad case: {e}")));
    drop(input);
    write_answer(solve(args));
}

fn install_panic_hook() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        let _ = write!(std::mem::ManuallyDrop::new(answer_pipe()), "\n{}", peak_kb());
    }));
}

fn read_case() -> Vec<u8> {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        harness_failure(&format!("cannot read the case: {e}"));
    }
    input
}

fn write_answer(answer: Value) {
    let text = serde_json::to_string(&answer).unwrap_or_else(|e| harness_failure(&e.to_string()));
    let _ = std::io::stdout().flush();
    let mut out = answer_pipe();
    if let Err(e) = write!(out, "{text}\n{}", peak_kb()) {
        harness_failure(&format!("cannot write the answer: {e}"));
    }
}

/// A type read straight from JSON in the judge's canonical form (non-finite floats as the
/// strings "NaN", "inf", "-inf"; `None` as null; Array2 as a list of equal rows).
pub trait Typed: Sized {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

struct Seed<T>(PhantomData<T>);

impl<'de, T: Typed> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d)
    }
}

fn seed<T>() -> Seed<T> {
    Seed(PhantomData)
}

struct IntVisitor<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64> + TryFrom<u64>> Visitor<'de> for IntVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an integer of type {}", std::any::type_name::<T>())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format!("{v} is out of range for {}", std::any::type_name::<T>())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format!("{v} is out of range for {}", std::any::type_name::<T>())))
    }
}

macro_rules! typed_ints {
    ($($t:ty),*) => {$(
        impl Typed for $t {
            fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$t>(PhantomData))
            }
        }
    )*};
}
typed_ints!(i32, i64, u8, u32, u64, usize);

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number, or \"NaN\", \"inf\" or \"-inf\"")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            _ => Err(E::custom(format!("expected f64, found the string {v:?}"))),
        }
    }
}

impl Typed for f64 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

impl Typed for bool {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <bool as Deserialize>::deserialize(d)
    }
}

impl Typed for String {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as Deserialize>::deserialize(d)
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Typed> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::read(d).map(Some)
    }
}

impl<T: Typed> Typed for Option<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: Typed> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(x) = seq.next_element_seed(seed::<T>())? {
            out.push(x);
        }
        Ok(out)
    }
}

impl<T: Typed> Typed for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(VecVisitor(PhantomData))
    }
}

impl Typed for Array1<f64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<f64>::read(d).map(Array1::from)
    }
}

/// One row of a matrix, appended to the matrix's flat storage; yields the row's length.
struct RowInto<'a>(&'a mut Vec<f64>);

impl<'de> DeserializeSeed<'de> for RowInto<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowInto<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a row of numbers")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<usize, S::Error> {
        let mut n = 0;
        while let Some(x) = seq.next_element_seed(seed::<f64>())? {
            self.0.push(x);
            n += 1;
        }
        Ok(n)
    }
}

struct MatrixVisitor;

impl<'de> Visitor<'de> for MatrixVisitor {
    type Value = Array2<f64>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of rows")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Array2<f64>, S::Error> {
        let mut flat = Vec::new();
        let (mut rows, mut width) = (0, None);
        while let Some(n) = seq.next_element_seed(RowInto(&mut flat))? {
            if *width.get_or_insert(n) != n {
                return Err(de::Error::custom("ragged Array2: rows of different lengths"));
            }
            rows += 1;
        }
        Array2::from_shape_vec((rows, width.unwrap_or(0)), flat).map_err(|e| de::Error::custom(format!("ragged Array2: {e}")))
    }
}

impl Typed for Array2<f64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(MatrixVisitor)
    }
}

macro_rules! typed_tuples {
    ($(($len:expr; $($t:ident),+)),*) => {$(
        impl<$($t: Typed),+> Typed for ($($t,)+) {
            fn read<'de, De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
                struct V<$($t),+>(PhantomData<($($t,)+)>);
                impl<'de, $($t: Typed),+> Visitor<'de> for V<$($t),+> {
                    type Value = ($($t,)+);
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        write!(f, "a list of {} values", $len)
                    }
                    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                        let value = ($(
                            seq.next_element_seed(seed::<$t>())?
                                .ok_or_else(|| de::Error::custom(format!("expected {} values, found fewer", $len)))?,
                        )+);
                        if seq.next_element::<de::IgnoredAny>()?.is_some() {
                            return Err(de::Error::custom(format!("expected {} values, found more", $len)));
                        }
                        Ok(value)
                    }
                }
                d.deserialize_seq(V(PhantomData))
            }
        }
    )*};
}
typed_tuples!(
    (1; T1), (2; T1, T2), (3; T1, T2, T3), (4; T1, T2, T3, T4), (5; T1, T2, T3, T4, T5),
    (6; T1, T2, T3, T4, T5, T6), (7; T1, T2, T3, T4, T5, T6, T7), (8; T1, T2, T3, T4, T5, T6, T7, T8)
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
