//! The Python contract of a function problem, as text: the signature the harness reads
//! (`signature_json`), the Python names of the types (`python_type`), and the stub `judge
//! show --stub --lang python` prints. Pure.
//!
//! The contract (README.md, AUTHORING.md): a top-level `def` with the problem's function
//! name; `Array1`/`Array2` arrive as float64 numpy arrays, `Vec<T>` as lists, `Option<T>` as
//! the value or None, tuples as tuples, integers as int, floats as float, strings as str,
//! records as dataclass instances with the spec's field names (in scope without an import).

use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use crate::problem::spec::Record;
use crate::problem::types::{Signature, Ty};

/// A type as the harness reads it: `"f64"`, `["int", "i64"]`, `["vec", T]`, ...
pub fn type_json(ty: &Ty) -> Json {
    match ty {
        Ty::Bool => json!("bool"),
        Ty::Int(kind) => json!(["int", kind.name()]),
        Ty::F64 => json!("f64"),
        Ty::Str => json!("str"),
        Ty::Vec(inner) => json!(["vec", type_json(inner)]),
        Ty::Option(inner) => json!(["option", type_json(inner)]),
        Ty::Tuple(items) => json!(["tuple", items.iter().map(type_json).collect::<Vec<_>>()]),
        Ty::Array1 => json!("array1"),
        Ty::Array2 => json!("array2"),
        Ty::Record(name) => json!(["record", name]),
    }
}

/// What the harness is told of the problem: the function's name, its arguments' and return
/// types, the record types in declared order, and the file name tracebacks show.
pub fn signature_json(sig: &Signature, records: &[Record], file_name: &str) -> String {
    let args: Vec<Json> = sig
        .args
        .iter()
        .map(|(name, ty)| json!([name, type_json(ty)]))
        .collect();
    let records: Vec<Json> = records
        .iter()
        .map(|r| {
            let fields: Vec<Json> = r
                .fields
                .iter()
                .map(|(f, t)| json!([f, type_json(t)]))
                .collect();
            json!([r.name, fields])
        })
        .collect();
    json!({
        "name": sig.name,
        "file": file_name,
        "args": args,
        "ret": type_json(&sig.ret),
        "records": records,
    })
    .to_string()
}

/// A type as a Python annotation: `list[int]`, `np.ndarray`, `float | None`.
pub fn python_type(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::Int(_) => "int".into(),
        Ty::F64 => "float".into(),
        Ty::Str => "str".into(),
        Ty::Vec(inner) => format!("list[{}]", python_type(inner)),
        Ty::Option(inner) => format!("{} | None", python_type(inner)),
        Ty::Tuple(items) => format!(
            "tuple[{}]",
            items.iter().map(python_type).collect::<Vec<_>>().join(", ")
        ),
        Ty::Array1 | Ty::Array2 => "np.ndarray".into(),
        Ty::Record(name) => name.clone(),
    }
}

/// The Python call the judge makes, for messages: `knn(k, data, labels, new_point)`.
pub fn python_call(sig: &Signature) -> String {
    let names: Vec<&str> = sig.args.iter().map(|(n, _)| n.as_str()).collect();
    format!("{}({})", sig.name, names.join(", "))
}

fn uses_arrays(ty: &Ty) -> bool {
    match ty {
        Ty::Array1 | Ty::Array2 => true,
        Ty::Vec(inner) | Ty::Option(inner) => uses_arrays(inner),
        Ty::Tuple(items) => items.iter().any(uses_arrays),
        _ => false,
    }
}

/// A Python file that runs as it is and returns nothing yet: the function with its
/// annotations, the record types as the judge gives them (defined here too, so the file
/// also runs on its own), and what each argument arrives as.
pub fn stub(sig: &Signature, records: &[Record]) -> String {
    let mut out = String::new();
    let arrays = sig.args.iter().any(|(_, t)| uses_arrays(t)) || uses_arrays(&sig.ret);
    if !records.is_empty() {
        out.push_str("from dataclasses import dataclass\n");
    }
    if arrays {
        out.push_str("import numpy as np\n");
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for r in records {
        let _ = writeln!(
            out,
            "\n# The judge passes {0} values as instances of this dataclass (in scope without\n# an import); return {0} instances, or dicts with the same keys.\n@dataclass\nclass {0}:",
            r.name
        );
        for (field, ty) in &r.fields {
            let _ = writeln!(out, "    {field}: {}", python_type(ty));
        }
        out.push('\n');
    }
    let args: Vec<String> = sig
        .args
        .iter()
        .map(|(n, t)| format!("{n}: {}", python_type(t)))
        .collect();
    // Two blank lines after imports and classes (PEP 8); none at the top of the file.
    let gap = if out.is_empty() { "" } else { "\n" };
    let _ = writeln!(
        out,
        "{gap}def {}({}) -> {}:",
        sig.name,
        args.join(", "),
        python_type(&sig.ret)
    );
    let mut notes: Vec<String> = sig
        .args
        .iter()
        .filter_map(|(n, t)| arrives_as(t).map(|how| format!("{n} arrives as {how}")))
        .collect();
    if let Some(how) = returns_as(&sig.ret) {
        notes.push(format!("return {how}"));
    }
    for note in notes {
        let _ = writeln!(out, "    # {note}");
    }
    let _ = writeln!(out, "    raise NotImplementedError");
    out
}

fn arrives_as(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Array1 => Some("a 1-D float64 numpy array"),
        Ty::Array2 => Some("a 2-D float64 numpy array (rows by columns)"),
        _ => None,
    }
}

fn returns_as(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Array2 => Some("a 2-D numpy array or a list of rows"),
        Ty::Array1 | Ty::Vec(_) => Some("a list or a numpy array"),
        Ty::Tuple(_) => Some("a tuple (or a list) of the values"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::types::parse_signature;

    fn rain() -> (Signature, Vec<Record>) {
        let records = vec![Record {
            name: "RainDay".into(),
            fields: vec![("day".into(), Ty::Str), ("rainfall".into(), Ty::F64)],
        }];
        let sig = parse_signature(
            "fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64>",
            &|n| n == "RainDay",
        )
        .unwrap();
        (sig, records)
    }

    #[test]
    fn the_harness_reads_types_and_records_in_order() {
        let (sig, records) = rain();
        let text = signature_json(&sig, &records, "mine.py");
        let v: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(v["name"], "median_rainfall");
        assert_eq!(v["file"], "mine.py");
        assert_eq!(
            v["args"],
            json!([["df_rain", ["vec", ["record", "RainDay"]]]])
        );
        assert_eq!(v["ret"], json!(["option", "f64"]));
        assert_eq!(
            v["records"],
            json!([["RainDay", [["day", "str"], ["rainfall", "f64"]]]])
        );
        let knn = parse_signature(
            "fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> (i64, u8)",
            &|_| false,
        )
        .unwrap();
        let v: Json = serde_json::from_str(&signature_json(&knn, &[], "k.py")).unwrap();
        assert_eq!(
            v["args"],
            json!([
                ["k", ["int", "usize"]],
                ["data", "array2"],
                ["labels", ["vec", ["int", "i64"]]],
                ["new_point", "array1"]
            ])
        );
        assert_eq!(v["ret"], json!(["tuple", [["int", "i64"], ["int", "u8"]]]));
    }

    #[test]
    fn the_stub_declares_records_and_annotates_the_function() {
        let (sig, records) = rain();
        let stub = stub(&sig, &records);
        assert!(
            stub.starts_with("from dataclasses import dataclass\n"),
            "{stub}"
        );
        assert!(!stub.contains("import numpy"), "{stub}");
        assert!(stub.contains("@dataclass\nclass RainDay:\n    day: str\n    rainfall: float\n"));
        assert!(stub.contains("def median_rainfall(df_rain: list[RainDay]) -> float | None:\n"));
        assert!(
            stub.trim_end().ends_with("raise NotImplementedError"),
            "{stub}"
        );
        let knn = parse_signature(
            "fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64",
            &|_| false,
        )
        .unwrap();
        let stub = super::stub(&knn, &[]);
        assert!(stub.starts_with("import numpy as np\n"), "{stub}");
        assert!(stub.contains(
            "def knn(k: int, data: np.ndarray, labels: list[int], new_point: np.ndarray) -> int:"
        ));
        assert!(
            stub.contains("# data arrives as a 2-D float64 numpy array"),
            "{stub}"
        );
        assert_eq!(python_call(&knn), "knn(k, data, labels, new_point)");
        let plain =
            parse_signature("fn t_value(var: Vec<f64>, mu0: f64) -> f64", &|_| false).unwrap();
        let stub = super::stub(&plain, &[]);
        assert!(
            stub.starts_with("def t_value(var: list[float], mu0: float) -> float:\n"),
            "{stub}"
        );
    }
}
