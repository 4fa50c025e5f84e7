//! Generates the Rust crate root that wraps a solution (or a problem's generator or custom
//! checker): the problem's record types and ndarray in scope, the file `include!`d verbatim
//! (so rustc reports its own line numbers), and a `main` that reads one case, calls the
//! function through a fn pointer of the exact signature, and writes the answer; and the
//! problem's harness library that holds that case protocol, built once per problem.
//!
//! Invariant: pure text generation; no IO.

use std::fmt::Write;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::problem::spec::{record_declarations, Record};
use crate::problem::types::{IntKind, Signature, Ty};

/// The harness's file name inside a build box; rustc messages that name it are the judge's.
pub const HARNESS_FILE: &str = "judge-harness.rs";

/// Names kept in scope for every solution without a `use` line. A glob import, so a
/// solution's own `use ndarray::Array2;` shadows it instead of clashing.
const PRELUDE: &str = "pub use ::ndarray::{array, s, Array, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, Axis, Zip};";

/// The crate root for `file` (a file name in the same directory) as `entry` of a problem
/// with signature `sig`: a one-line `main` calling the problem's harness library when
/// `linked` (see `links_library`), else the whole harness in one crate.
pub fn root(entry: Entry, sig: &Signature, records: &[Record], file: &str, linked: bool) -> String {
    let called = entry.signature(sig);
    let mut out = String::from(ROOT_HEADER);
    if linked {
        let _ = writeln!(out, "use ::{LIBRARY_CRATE}::prelude::*;\n");
    } else {
        out.push_str("mod __judge_prelude {\n    ");
        out.push_str(PRELUDE);
        out.push('\n');
        for record in records {
            record_source(record, &mut out);
        }
        out.push_str("}\nuse __judge_prelude::*;\n\n");
    }
    let _ = writeln!(out, "include!({file:?});\n");
    if entry == Entry::Checker {
        checker_wrapper(sig, &mut out);
    }
    if linked {
        let _ = writeln!(
            out,
            "fn main() {{\n    {}\n    ::{LIBRARY_CRATE}::{}(__solution)\n}}",
            solution_pointer(&called),
            entry.library_fn()
        );
    } else {
        main_source(&called, &mut out);
    }
    out
}

/// A module of an interview workspace's library: the solution at `solution_path` (relative to
/// the library's source folder) with what the judge puts in scope, declared the same way, so
/// that `cargo check` and rust-analyzer see the solution as the judge compiles it.
pub fn workspace_module(module: &str, records: &[Record], solution_path: &str) -> String {
    let mut out = format!(
        "pub mod {module} {{
    mod __judge_prelude {{
        {PRELUDE}
"
    );
    for line in record_declarations(records).lines() {
        let _ = writeln!(out, "        {line}");
    }
    out.push_str(
        "    }
    #[allow(unused_imports)]
    use __judge_prelude::*;
",
    );
    let _ = writeln!(
        out,
        "    include!({solution_path:?});
}}"
    );
    out
}

/// The crate name of a problem's prebuilt harness library.
pub const LIBRARY_CRATE: &str = "judge_h";

/// What a compiled program of a problem is; each is one entry point of the problem's harness
/// library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A solution (or the reference): reads the arguments, writes the answer.
    Solution,
    /// The problem's generator: reads `[seed, size]`, writes the arguments of a case.
    Generator,
    /// The problem's custom checker: reads `[args..., answer, reference]`, writes `null`
    /// (accepted) or the rejection message.
    Checker,
}

impl Entry {
    /// The harness library's function that runs it.
    fn library_fn(self) -> &'static str {
        match self {
            Entry::Solution => "run",
            Entry::Generator => "generate",
            Entry::Checker => "check",
        }
    }

    /// The function the harness calls, for a problem with signature `sig`. A checker's is
    /// the crate root's wrapper around the problem's `check` (see `types::checker_signature`).
    pub fn signature(self, sig: &Signature) -> Signature {
        match self {
            Entry::Solution => sig.clone(),
            Entry::Generator => Signature {
                name: "generate".into(),
                args: vec![
                    ("seed".into(), Ty::Int(IntKind::U64)),
                    ("size".into(), Ty::Int(IntKind::Usize)),
                ],
                ret: sig.generated(),
            },
            Entry::Checker => {
                let mut args = sig.args.clone();
                // Prefixed so that they never clash with the problem's own argument names.
                args.push(("__answer".into(), sig.ret.clone()));
                args.push(("__reference".into(), sig.ret.clone()));
                Signature {
                    name: "__judge_check".into(),
                    args,
                    ret: Ty::Option(Box::new(Ty::Str)),
                }
            }
        }
    }
}

/// Whether `source` (a solution, generator or checker of a problem with these record types)
/// is compiled against the problem's prebuilt harness library, where the records are the
/// library's types. Not when the file could `impl` a record: Rust allows inherent impls, and
/// impls of foreign traits, only in the crate that defines the type. Conservative: an `impl`
/// whose header names a record anywhere in the file (macro bodies included), or a file that
/// does not even tokenize, keeps the single crate, which compiles every valid solution.
pub fn links_library(records: &[Record], source: &str) -> bool {
    if records.is_empty() {
        return true;
    }
    match source.parse::<TokenStream>() {
        Ok(tokens) => !impls_a_record(tokens, records),
        Err(_) => false,
    }
}

fn impls_a_record(tokens: TokenStream, records: &[Record]) -> bool {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Group(g) => impls_a_record(g.stream(), records),
        TokenTree::Ident(id) if id == "impl" => {
            // The header runs up to the body (a brace group) or a `;`.
            trees[i + 1..]
                .iter()
                .take_while(|t| match t {
                    TokenTree::Group(g) => g.delimiter() != Delimiter::Brace,
                    TokenTree::Punct(p) => p.as_char() != ';',
                    _ => true,
                })
                .any(|t| names_a_record(t, records))
        }
        _ => false,
    })
}

fn names_a_record(tree: &TokenTree, records: &[Record]) -> bool {
    match tree {
        TokenTree::Ident(id) => records.iter().any(|r| id == &r.name),
        TokenTree::Group(g) => g.stream().into_iter().any(|t| names_a_record(&t, records)),
        _ => false,
    }
}

/// A problem's harness library: the whole case protocol of each of `entries` (read the
/// input, call the function, write the output) for the problem's exact types, and the
/// problem's records, compiled once per problem version, so that a solution's compile holds
/// only the solution and a one-line `main`. Without records the arguments are read straight
/// into their types (`judge_rt::run_typed`); records go through a JSON tree.
pub fn library(sig: &Signature, records: &[Record], entries: &[Entry]) -> String {
    let mut out = String::from(
        "// Generated by the judge: a problem's harness library.\n#![allow(warnings)]\n",
    );
    let _ = writeln!(out, "pub mod prelude {{\n    {PRELUDE}");
    for record in records {
        record_source(record, &mut out);
    }
    out.push_str("}\nuse prelude::*;\n\n");
    for &entry in entries {
        let called = entry.signature(sig);
        let _ = writeln!(
            out,
            "pub fn {}(__solution: {}) {{",
            entry.library_fn(),
            fn_pointer(&called)
        );
        if records.is_empty() {
            typed_call(&called, &mut out);
        } else {
            out.push_str("    ::judge_rt::run(|__args| {\n");
            call_source(&called, &mut out);
            out.push_str("    })\n");
        }
        out.push_str("}\n");
    }
    out
}

/// Reads the arguments straight into their types, calls `__solution`, writes its answer.
fn typed_call(sig: &Signature, out: &mut String) {
    let names: Vec<String> = (0..sig.args.len()).map(|i| format!("__arg{i}")).collect();
    let _ = writeln!(
        out,
        "    ::judge_rt::run_typed(|({names},): ({types},)| {{\n        ::judge_rt::ToJson::to_json(&__solution({names}))\n    }})",
        types = arg_types(sig),
        names = names.join(", "),
    );
}

/// A signature's parameter list as Rust writes it: `a: T, b: U`.
fn parameters(signature: &Signature) -> String {
    let params: Vec<String> = signature
        .args
        .iter()
        .map(|(n, t)| format!("{n}: {t}"))
        .collect();
    params.join(", ")
}

/// The crate root's wrapper that the harness calls for a custom checker: the problem's
/// `check` (see `types::checker_signature`) with its `Result` turned into the rejection message.
fn checker_wrapper(sig: &Signature, out: &mut String) {
    let called = Entry::Checker.signature(sig);
    let names: Vec<&str> = called.args.iter().map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(
        out,
        "fn __judge_check({}) -> Option<String> {{\n    let __verdict: Result<(), String> = check({});\n    __verdict.err()\n}}",
        parameters(&called),
        names.join(", ")
    );
}

fn record_source(r: &Record, out: &mut String) {
    out.push_str(&record_declarations(std::slice::from_ref(r)));
    let name = &r.name;
    let _ = writeln!(out, "impl ::judge_rt::FromJson for {name} {{");
    out.push_str(
        "    fn from_json(v: ::judge_rt::serde_json::Value) -> Result<Self, ::judge_rt::JsonError> {\n",
    );
    out.push_str("        let mut m = match v { ::judge_rt::serde_json::Value::Object(m) => m, other => return Err(::judge_rt::JsonError::expected(\"a record\", &other)) };\n");
    let _ = write!(out, "        Ok({name} {{");
    for (f, _) in &r.fields {
        let _ = write!(out, " {f}: ::judge_rt::field(&mut m, {f:?})?,");
    }
    out.push_str(" })\n    }\n}\n");
    let _ = writeln!(out, "impl ::judge_rt::ToJson for {name} {{");
    out.push_str("    fn to_json(&self) -> ::judge_rt::serde_json::Value {\n");
    out.push_str("        let mut m = ::judge_rt::serde_json::Map::new();\n");
    for (f, _) in &r.fields {
        let _ = writeln!(
            out,
            "        m.insert({f:?}.to_string(), ::judge_rt::ToJson::to_json(&self.{f}));"
        );
    }
    out.push_str("        ::judge_rt::serde_json::Value::Object(m)\n    }\n}\n");
}

fn main_source(sig: &Signature, out: &mut String) {
    out.push_str("fn main() {\n    ::judge_rt::run(|__args| {\n");
    let _ = writeln!(out, "        {}", solution_pointer(sig));
    call_source(sig, out);
    out.push_str("    })\n}\n");
}

/// The first lines of every crate root that wraps a solution.
const ROOT_HEADER: &str =
    "// Generated by the judge; the solution is included below.\n#![allow(warnings)]\n";

/// The argument types, comma-separated.
fn arg_types(sig: &Signature) -> String {
    let types: Vec<String> = sig.args.iter().map(|(_, t)| t.to_string()).collect();
    types.join(", ")
}

/// `fn(A, B) -> R`: the signature as a fn pointer type.
fn fn_pointer(sig: &Signature) -> String {
    format!("fn({}) -> {}", arg_types(sig), sig.ret)
}

/// `let __solution: fn(A, B) -> R = name;`. Coercing to a fn pointer of the exact signature
/// makes a wrong signature a compile error at this line, which the engine explains.
fn solution_pointer(sig: &Signature) -> String {
    format!("let __solution: {} = {};", fn_pointer(sig), sig.name)
}

/// Reads each argument from `__args`, calls `__solution` and turns its answer into JSON.
fn call_source(sig: &Signature, out: &mut String) {
    for (i, (_, ty)) in sig.args.iter().enumerate() {
        let _ = writeln!(out, "        let __arg{i}: {ty} = ::judge_rt::arg(__args);");
    }
    let call_args: Vec<String> = (0..sig.args.len()).map(|i| format!("__arg{i}")).collect();
    let _ = writeln!(
        out,
        "        ::judge_rt::ToJson::to_json(&__solution({}))",
        call_args.join(", ")
    );
}

/// A stub that compiles and panics with `todo!()`.
pub fn stub(signature: &Signature, records: &[Record]) -> String {
    let mut out = String::new();
    if !records.is_empty() {
        out.push_str("// These record types are provided by the judge (do not declare them):\n");
        for line in record_declarations(records).lines() {
            let _ = writeln!(out, "//   {line}");
        }
        out.push_str("// ndarray's Array1, Array2, array!, s!, Axis and Zip are in scope too.\n\n");
    }
    let _ = writeln!(
        out,
        "pub fn {}({}) -> {} {{",
        signature.name,
        parameters(signature),
        signature.ret
    );
    out.push_str("    todo!()\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::types::parse_signature;

    #[test]
    fn harness_coerces_to_the_exact_signature_and_includes_the_file() {
        let records = vec![Record {
            name: "RainDay".into(),
            fields: vec![("day".into(), Ty::Str), ("rainfall".into(), Ty::F64)],
        }];
        let sig = parse_signature(
            "fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64>",
            &|n| n == "RainDay",
        )
        .unwrap();
        let src = root(Entry::Solution, &sig, &records, "good.rs", false);
        assert!(
            src.contains("let __solution: fn(Vec<RainDay>) -> Option<f64> = median_rainfall;"),
            "{src}"
        );
        assert!(src.contains("include!(\"good.rs\");"));
        assert!(src.contains("pub struct RainDay { pub day: String, pub rainfall: f64 }"));
        let stub = stub(&sig, &records);
        assert!(
            stub.contains("pub fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64> {"),
            "{stub}"
        );
    }

    fn rain_day() -> Vec<Record> {
        vec![Record {
            name: "RainDay".into(),
            fields: vec![("day".into(), Ty::Str), ("rainfall".into(), Ty::F64)],
        }]
    }

    #[test]
    fn a_file_that_impls_a_record_keeps_the_single_crate() {
        let records = rain_day();
        let links = |src: &str| links_library(&records, src);
        assert!(links("pub fn f(d: Vec<RainDay>) -> f64 { d[0].rainfall }"));
        assert!(links("struct Mine; impl Mine { fn day(r: &RainDay) {} }"));
        assert!(!links("impl RainDay { fn wet(&self) -> bool { true } }"));
        assert!(!links("impl std::fmt::Display for RainDay { }"));
        assert!(!links("fn f() { impl Ord for Wrapper<RainDay> {} }"));
        assert!(!links("macro_rules! m { () => { impl RainDay {} } }"));
        // Conservative, not exact: an `impl Trait` return type naming a record is enough.
        assert!(!links(
            "fn f(d: &[RainDay]) -> impl Iterator<Item = &RainDay> { d.iter() }"
        ));
        // A file that does not tokenize is left to rustc, which explains it in either crate.
        assert!(!links("fn f( {"));
        assert!(links_library(&[], "impl RainDay {}"));
    }

    #[test]
    fn linked_roots_call_their_entry_of_the_library() {
        let records = rain_day();
        let sig = parse_signature("fn wettest(days: Vec<RainDay>) -> Option<String>", &|n| {
            n == "RainDay"
        })
        .unwrap();
        let checker = root(Entry::Checker, &sig, &records, "checker.rs", true);
        assert!(checker.contains("use ::judge_h::prelude::*;"), "{checker}");
        assert!(!checker.contains("struct RainDay"), "{checker}");
        assert!(
            checker.contains("check(days, __answer, __reference)")
                && checker.contains("::judge_h::check(__solution)"),
            "{checker}"
        );
        let generator = root(Entry::Generator, &sig, &records, "generator.rs", true);
        assert!(
            generator.contains("let __solution: fn(u64, usize) -> Vec<RainDay> = generate;"),
            "{generator}"
        );
        let library = library(&sig, &records, &[Entry::Solution, Entry::Generator]);
        assert!(library.contains("pub struct RainDay"), "{library}");
        assert!(library.contains("pub fn run(__solution: fn(Vec<RainDay>) -> Option<String>)"));
        assert!(library.contains("pub fn generate(__solution: fn(u64, usize) -> Vec<RainDay>)"));
        assert!(!library.contains("pub fn check("), "{library}");
    }
}
