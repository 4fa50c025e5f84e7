//! Reading a large answer without holding it as a tree. A JSON tree costs about 32 bytes a
//! value whatever the text's size (`0,` is two bytes), so a wrong answer of sixteen million
//! small numbers, within an output limit of megabytes, would cost the judge half a gigabyte
//! to parse and more to compare. Here the answer's text is read as a stream, in passes that
//! each keep no more than the current path: `shape` checks it against the return type and
//! counts its values; `compare` finds the first difference from the expected answer, as
//! `checker::compare` would name it; `prefix` keeps its first values, to be shown.
//!
//! A right answer to the built-in checkers has exactly as many values as the expected one,
//! so an answer with more is wrong, and only then is it compared here (`verdict::Answer`);
//! one with no more is parsed whole, at most the size of the expected answer's own tree.
//! What is not told of a streamed answer: that it holds the expected elements in another
//! order (`MismatchKind::Order` needs both lists whole).
//!
//! Invariant: pure; memory bounded by the nesting depth, the expected answer, and `prefix`'s
//! budget, never by the answer's size.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::checker::{self, Mismatch, MismatchKind};
use crate::problem::spec::{Checker, CheckerKind};
use crate::problem::types::Ty;
use crate::problem::value::{self, Records, ShapeError};

/// Values kept to quote one value in a message: more than `checker`'s 200 quoted bytes can
/// show (each value prints as a byte at least), so a cut quote still ends in `...`.
const QUOTED_VALUES: usize = 256;

/// Checks `text` against `ty` as `value::check_json` does (with the same words where the
/// offending value is a scalar) and counts its values. `Err(None)`: not JSON at all.
pub fn shape(text: &[u8], ty: &Ty, records: &dyn Records) -> Result<u64, Option<ShapeError>> {
    let state = RefCell::new(ShapeState {
        records,
        values: 0,
        why: None,
    });
    let mut de = serde_json::Deserializer::from_slice(text);
    let parsed = Shape { ty, state: &state }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    let state = state.into_inner();
    match parsed {
        Ok(()) => Ok(state.values),
        Err(_) => Err(state.why),
    }
}

/// The first difference between `expected` and the answer `text` (which `shape` accepted),
/// as `checker::compare` names it (but never `Order`).
pub fn compare(expected: &Json, text: &[u8], checker: &Checker) -> Result<(), Mismatch> {
    let tol = match checker.kind {
        CheckerKind::Exact => None,
        CheckerKind::Float | CheckerKind::Unordered | CheckerKind::Custom => {
            Some((checker.abs_tol, checker.rel_tol))
        }
    };
    let state = RefCell::new(String::new());
    let seed = Compare {
        expected: Some(expected),
        tol,
        path: &state,
        unordered: checker.kind == CheckerKind::Unordered,
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    match seed.deserialize(&mut de) {
        Ok(result) => result,
        // `shape` read it whole: a reader that fails now is no answer to compare.
        Err(_) => Err(Mismatch {
            path: String::new(),
            detail: "the answer could not be read".into(),
            kind: MismatchKind::Value,
        }),
    }
}

/// The first values of the answer `text`, at most `budget` of them, in the order they are
/// written (a list cut short holds the values read before the budget ran out): enough to
/// render as far as `budget` bytes.
pub fn prefix(text: &[u8], budget: usize) -> Json {
    let left = std::cell::Cell::new(budget);
    let mut de = serde_json::Deserializer::from_slice(text);
    Capture { left: &left }
        .deserialize(&mut de)
        .ok()
        .flatten()
        .unwrap_or(Json::Null)
}

/// How many values a tree holds (every scalar, list and table counts one).
pub fn values(v: &Json) -> u64 {
    let mut count = 0;
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        count += 1;
        match v {
            Json::Array(items) => todo.extend(items),
            Json::Object(map) => todo.extend(map.values()),
            _ => {}
        }
    }
    count
}

struct ShapeState<'r> {
    records: &'r dyn Records,
    values: u64,
    /// Why the answer does not fit, said once (serde's own error adds a place in the text).
    why: Option<ShapeError>,
}

/// Checks one value against `ty`.
struct Shape<'a, 'r> {
    ty: &'a Ty,
    state: &'a RefCell<ShapeState<'r>>,
}

impl Shape<'_, '_> {
    fn fail<E: serde::de::Error>(&self, why: ShapeError) -> E {
        self.state.borrow_mut().why.get_or_insert(why);
        E::custom("the answer does not fit its type")
    }

    /// The type a value that is not null must have: `ty` without its `Option`s.
    fn inner(&self) -> &Ty {
        let mut ty = self.ty;
        while let Ty::Option(inner) = ty {
            ty = inner;
        }
        ty
    }

    fn scalar<E: serde::de::Error>(&self, v: &Json) -> Result<(), E> {
        self.state.borrow_mut().values += 1;
        let records = self.state.borrow().records;
        value::check_json(v, self.ty, records).map_err(|why| self.fail(why))
    }

    fn wrong<E: serde::de::Error>(&self, what: &str) -> E {
        self.fail(ShapeError::NotA {
            found: what.to_string(),
            expected: self.ty.clone(),
        })
    }
}

impl<'de> DeserializeSeed<'de> for Shape<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Shape<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ty)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&Json::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&Json::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&Json::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(&Json::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(&Json::String(v.to_string()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(&Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.state.borrow_mut().values += 1;
        let ty = self.inner();
        let mut count = 0;
        loop {
            let element = match ty {
                Ty::Vec(inner) => inner.as_ref(),
                Ty::Array1 => &Ty::F64,
                Ty::Array2 => &Ty::Array1,
                Ty::Tuple(tys) => match tys.get(count) {
                    Some(t) => t,
                    None if seq.next_element::<serde::de::IgnoredAny>()?.is_none() => break,
                    None => return Err(self.wrong(&format!("a list of more than {count} values"))),
                },
                _ => return Err(self.wrong("a list")),
            };
            let seed = Shape {
                ty: element,
                state: self.state,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
            count += 1;
        }
        match ty {
            Ty::Tuple(tys) if count != tys.len() => {
                Err(self.wrong(&format!("a list of {count} values")))
            }
            _ => Ok(()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.state.borrow_mut().values += 1;
        let Ty::Record(name) = self.inner() else {
            return Err(self.wrong("a table"));
        };
        let records = self.state.borrow().records;
        let fields = records.fields(name).unwrap_or(&[]);
        let mut seen = vec![false; fields.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(i) = fields.iter().position(|(f, _)| *f == key) else {
                return Err(self.fail(ShapeError::FieldCount {
                    record: name.clone(),
                    fields: fields.len(),
                }));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(self.fail(ShapeError::FieldTwice {
                    record: name.clone(),
                    field: key,
                }));
            }
            map.next_value_seed(Shape {
                ty: &fields[i].1,
                state: self.state,
            })?;
        }
        match seen.iter().position(|s| !s) {
            Some(i) => Err(self.fail(ShapeError::MissingField {
                record: name.clone(),
                field: fields[i].0.clone(),
            })),
            None => Ok(()),
        }
    }
}

/// Compares one value with `expected` (`None`: nothing to compare, only read through).
struct Compare<'a> {
    expected: Option<&'a Json>,
    tol: Option<(f64, f64)>,
    /// The path of the value being read, as `checker` writes it.
    path: &'a RefCell<String>,
    /// The top list is a multiset (the `unordered` checker).
    unordered: bool,
}

type Compared = Result<(), Mismatch>;

impl Compare<'_> {
    /// A scalar answer compared as the tree comparison does.
    fn scalar(&self, actual: &Json) -> Compared {
        match self.expected {
            Some(expected) => checker::compare_at(expected, actual, self.tol, &self.path.borrow()),
            None => Ok(()),
        }
    }

    fn child<'b>(&'b self, expected: Option<&'b Json>) -> Compare<'b> {
        Compare {
            expected,
            tol: self.tol,
            path: self.path,
            unordered: false,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Compare<'_> {
    type Value = Compared;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Compared, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Compare<'_> {
    type Value = Compared;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Compared, E> {
        Ok(self.scalar(&Json::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Compared, E> {
        Ok(self.scalar(&Json::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Compared, E> {
        Ok(self.scalar(&Json::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Compared, E> {
        Ok(self.scalar(&Json::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Compared, E> {
        Ok(self.scalar(&Json::String(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Compared, E> {
        Ok(self.scalar(&Json::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Compared, A::Error> {
        let expected = match self.expected {
            None => {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                return Ok(Ok(()));
            }
            Some(Json::Array(e)) => e,
            Some(other) => {
                let left = std::cell::Cell::new(QUOTED_VALUES);
                let actual = Capture { left: &left }.visit_seq(seq)?;
                return Ok(quoted(other, self.tol, &self.path.borrow(), actual));
            }
        };
        let mut first = None;
        let mut count = 0;
        loop {
            let here = self.path.borrow().len();
            let _ = fmt::Write::write_fmt(&mut *self.path.borrow_mut(), format_args!("[{count}]"));
            let compared = if first.is_none() && !self.unordered {
                expected.get(count)
            } else {
                None
            };
            let next = seq.next_element_seed(self.child(compared));
            self.path.borrow_mut().truncate(here);
            match next? {
                None => break,
                Some(Err(m)) if first.is_none() => first = Some(m),
                Some(_) => {}
            }
            count += 1;
        }
        if count != expected.len() {
            let (path, how) = (
                self.path.borrow().clone(),
                if self.unordered {
                    " (in any order)"
                } else {
                    ""
                },
            );
            return Ok(Err(Mismatch {
                path,
                detail: format!("expected {} elements{how}, found {count}", expected.len()),
                kind: MismatchKind::Length {
                    found: count,
                    more: count > expected.len(),
                },
            }));
        }
        if self.unordered {
            // As many elements, but more values than the expected ones hold: some element
            // matches none. Which ones is not worked out here (it needs the lists whole).
            return Ok(Err(Mismatch {
                path: String::new(),
                detail: "the answer is not the expected multiset: its elements hold more values \
                         than the expected ones"
                    .into(),
                kind: MismatchKind::Value,
            }));
        }
        Ok(first.map_or(Ok(()), Err))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Compared, A::Error> {
        let expected = match self.expected {
            None => {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                return Ok(Ok(()));
            }
            Some(Json::Object(e)) => e,
            Some(other) => {
                let left = std::cell::Cell::new(QUOTED_VALUES);
                let actual = Capture { left: &left }.visit_map(map)?;
                return Ok(quoted(other, self.tol, &self.path.borrow(), actual));
            }
        };
        // Every field is compared (each to its own first difference), so that the first
        // difference in the expected answer's field order is the one told, as in `checker`.
        let mut found: Vec<Option<Mismatch>> = vec![None; expected.len()];
        let mut present = vec![false; expected.len()];
        while let Some(key) = map.next_key::<String>()? {
            let place = expected.keys().position(|k| *k == key);
            let here = self.path.borrow().len();
            let _ = fmt::Write::write_fmt(&mut *self.path.borrow_mut(), format_args!(".{key}"));
            let compared = expected.get(&key);
            let next = map.next_value_seed(self.child(compared));
            self.path.borrow_mut().truncate(here);
            if let (Some(i), Err(m)) = (place, next?) {
                present[i] = true;
                found[i] = Some(m);
            } else if let Some(i) = place {
                present[i] = true;
            }
        }
        for (i, (key, _)) in expected.iter().enumerate() {
            if let Some(m) = found[i].take() {
                return Ok(Err(m));
            }
            if !present[i] {
                return Ok(Err(Mismatch {
                    path: format!("{}.{key}", self.path.borrow()),
                    detail: "field is missing".into(),
                    kind: MismatchKind::MissingField,
                }));
            }
        }
        Ok(Ok(()))
    }
}

/// The mismatch of a list or table where `expected` is none (`None` for a value): quoted
/// from its first values, as the tree comparison would quote it.
fn quoted(expected: &Json, tol: Option<(f64, f64)>, path: &str, actual: Option<Json>) -> Compared {
    checker::compare_at(expected, &actual.unwrap_or(Json::Null), tol, path)
}

/// Keeps a value while `left` lasts, one unit a value; `None` once it has run out.
struct Capture<'a> {
    left: &'a std::cell::Cell<usize>,
}

impl Capture<'_> {
    fn take(&self) -> bool {
        let left = self.left.get();
        self.left.set(left.saturating_sub(1));
        left > 0
    }

    fn keep(&self, v: Json) -> Option<Json> {
        self.take().then_some(v)
    }
}

impl<'de> DeserializeSeed<'de> for Capture<'_> {
    type Value = Option<Json>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Json>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Capture<'_> {
    type Value = Option<Json>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Option<Json>, E> {
        Ok(self.keep(Json::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Option<Json>, E> {
        Ok(self.keep(Json::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Option<Json>, E> {
        Ok(self.keep(Json::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Option<Json>, E> {
        Ok(self.keep(Json::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Option<Json>, E> {
        if self.left.get() == 0 {
            return Ok(None);
        }
        Ok(self.keep(Json::String(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Option<Json>, E> {
        Ok(self.keep(Json::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Json>, A::Error> {
        let kept = self.take();
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Capture { left: self.left })? {
            items.extend(item);
        }
        Ok(kept.then_some(Json::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Json>, A::Error> {
        let kept = self.take();
        let mut entries = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(v) = map.next_value_seed(Capture { left: self.left })? {
                entries.insert(key, v);
            }
        }
        Ok(kept.then_some(Json::Object(entries)))
    }
}

#[cfg(test)]
mod tests;
