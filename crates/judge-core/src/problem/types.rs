//! The value types a problem's signature may use, and the parser that reads them.
//!
//! Signatures are contracts (docs/bank.md), so they are written as Rust and parsed with
//! `syn` rather than a home-grown grammar; only the subset below is accepted, and anything
//! else is an authoring error that names the offending type.

use std::fmt;

/// A type that can cross the boundary between the judge and a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int(IntKind),
    F64,
    Str,
    Vec(Box<Ty>),
    Option(Box<Ty>),
    Tuple(Vec<Ty>),
    /// `ndarray::Array1<f64>`, authored as a list.
    Array1,
    /// `ndarray::Array2<f64>`, authored as a list of rows.
    Array2,
    /// A record type declared in the problem spec.
    Record(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    I32,
    I64,
    U8,
    U32,
    U64,
    Usize,
}

impl IntKind {
    pub fn name(self) -> &'static str {
        match self {
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
            IntKind::Usize => "usize",
        }
    }

    /// The inclusive range of the type, widened to i128 so every kind fits.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::U8 => (0, u8::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            // usize is u64: the judge only runs on 64-bit hosts.
            IntKind::U64 | IntKind::Usize => (0, u64::MAX.into()),
        }
    }

    fn from_name(name: &str) -> Option<IntKind> {
        Some(match name {
            "i32" => IntKind::I32,
            "i64" => IntKind::I64,
            "u8" => IntKind::U8,
            "u32" => IntKind::U32,
            "u64" => IntKind::U64,
            "usize" => IntKind::Usize,
            _ => return None,
        })
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Bool => f.write_str("bool"),
            Ty::Int(k) => f.write_str(k.name()),
            Ty::F64 => f.write_str("f64"),
            Ty::Str => f.write_str("String"),
            Ty::Vec(t) => write!(f, "Vec<{t}>"),
            Ty::Option(t) => write!(f, "Option<{t}>"),
            Ty::Tuple(ts) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Ty::Array1 => f.write_str("Array1<f64>"),
            Ty::Array2 => f.write_str("Array2<f64>"),
            Ty::Record(name) => f.write_str(name),
        }
    }
}

/// A parsed `fn name(arg: Type, ...) -> Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub args: Vec<(String, Ty)>,
    pub ret: Ty,
}

impl Signature {
    /// What a problem's generator returns for this signature: the one argument's type, or a
    /// tuple of all of them.
    pub fn generated(&self) -> Ty {
        match self.args.as_slice() {
            [(_, ty)] => ty.clone(),
            args => Ty::Tuple(args.iter().map(|(_, t)| t.clone()).collect()),
        }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fn {}(", self.name)?;
        for (i, (name, ty)) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {ty}")?;
        }
        write!(f, ") -> {}", self.ret)
    }
}

/// Why a signature or a type is outside the subset the judge takes.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("not a Rust function signature: {0}")]
    NotASignature(#[source] syn::Error),
    #[error("not a Rust type: {0}")]
    NotAType(#[source] syn::Error),
    #[error("generic, async and unsafe functions are not supported")]
    Qualified,
    #[error("a signature cannot take `self`")]
    TakesSelf,
    #[error("arguments must be plain names")]
    PatternArgument,
    /// An argument named as a test case's own key (`expected`, `generate`).
    #[error("`{0}` is reserved in test cases; name the argument otherwise")]
    Reserved(String),
    #[error("the function must return a value")]
    NoReturn,
    #[error("empty type path")]
    EmptyPath,
    /// A bare name that is neither a type of the subset nor a declared record.
    #[error("unsupported type `{0}` (not a declared record)")]
    NotARecord(String),
    #[error("unsupported type `{0}`")]
    Unsupported(String),
}

/// Parses a signature; `is_record` says which bare names are declared record types.
pub fn parse_signature(
    text: &str,
    is_record: &dyn Fn(&str) -> bool,
) -> Result<Signature, SignatureError> {
    let text = text.trim().trim_end_matches(';');
    let text = text.strip_prefix("pub ").unwrap_or(text);
    let sig: syn::Signature = syn::parse_str(text).map_err(SignatureError::NotASignature)?;
    if !sig.generics.params.is_empty() || sig.asyncness.is_some() || sig.unsafety.is_some() {
        return Err(SignatureError::Qualified);
    }
    let mut args = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(pat) = input else {
            return Err(SignatureError::TakesSelf);
        };
        let syn::Pat::Ident(ident) = &*pat.pat else {
            return Err(SignatureError::PatternArgument);
        };
        let name = ident.ident.to_string();
        if name == "expected" || name == "generate" {
            return Err(SignatureError::Reserved(name));
        }
        args.push((name, convert(&pat.ty, is_record)?));
    }
    let ret = match &sig.output {
        syn::ReturnType::Default => return Err(SignatureError::NoReturn),
        syn::ReturnType::Type(_, ty) => convert(ty, is_record)?,
    };
    Ok(Signature {
        name: sig.ident.to_string(),
        args,
        ret,
    })
}

/// Parses one type, as written in a record field.
pub fn parse_type(text: &str, is_record: &dyn Fn(&str) -> bool) -> Result<Ty, SignatureError> {
    let ty: syn::Type = syn::parse_str(text).map_err(SignatureError::NotAType)?;
    convert(&ty, is_record)
}

fn convert(ty: &syn::Type, is_record: &dyn Fn(&str) -> bool) -> Result<Ty, SignatureError> {
    let shown = quote_type(ty);
    match ty {
        syn::Type::Tuple(t) if t.elems.len() >= 2 => t
            .elems
            .iter()
            .map(|e| convert(e, is_record))
            .collect::<Result<_, _>>()
            .map(Ty::Tuple),
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last().ok_or(SignatureError::EmptyPath)?;
            let name = last.ident.to_string();
            let generic = single_generic(&last.arguments);
            match (name.as_str(), generic) {
                ("bool", None) => Ok(Ty::Bool),
                ("f64", None) => Ok(Ty::F64),
                ("String", None) => Ok(Ty::Str),
                ("Vec", Some(inner)) => Ok(Ty::Vec(Box::new(convert(inner, is_record)?))),
                ("Option", Some(inner)) => Ok(Ty::Option(Box::new(convert(inner, is_record)?))),
                ("Array1", Some(inner)) if quote_type(inner) == "f64" => Ok(Ty::Array1),
                ("Array2", Some(inner)) if quote_type(inner) == "f64" => Ok(Ty::Array2),
                (n, None) => {
                    if let Some(kind) = IntKind::from_name(n) {
                        Ok(Ty::Int(kind))
                    } else if is_record(n) {
                        Ok(Ty::Record(n.to_string()))
                    } else {
                        Err(SignatureError::NotARecord(shown))
                    }
                }
                _ => Err(SignatureError::Unsupported(shown)),
            }
        }
        _ => Err(SignatureError::Unsupported(shown)),
    }
}

fn single_generic(args: &syn::PathArguments) -> Option<&syn::Type> {
    let syn::PathArguments::AngleBracketed(a) = args else {
        return None;
    };
    match a.args.first() {
        Some(syn::GenericArgument::Type(t)) if a.args.len() == 1 => Some(t),
        _ => None,
    }
}

fn quote_type(ty: &syn::Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string().replace(' ', "")
}

/// What a problem's `checker.rs` defines: the problem's arguments, then the candidate's answer
/// and the reference's, both of the return type; `Err` carries the reason for rejecting.
pub fn checker_signature(sig: &Signature) -> String {
    let mut args: Vec<String> = sig.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
    args.push(format!("answer: {}", sig.ret));
    args.push(format!("reference: {}", sig.ret));
    format!("fn check({}) -> Result<(), String>", args.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: &str) -> bool {
        n == "RainDay"
    }

    #[test]
    fn parses_bank_signatures() {
        let s = parse_signature(
            "fn median_rainfall(df_rain: Vec<RainDay>) -> Option<f64>",
            &records,
        )
        .unwrap();
        assert_eq!(
            s.args,
            vec![(
                "df_rain".into(),
                Ty::Vec(Box::new(Ty::Record("RainDay".into())))
            )]
        );
        assert_eq!(s.ret, Ty::Option(Box::new(Ty::F64)));
        let s = parse_signature(
            "pub fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64",
            &records,
        )
        .unwrap();
        assert_eq!(s.args[1].1, Ty::Array2);
        assert_eq!(
            s.to_string(),
            "fn knn(k: usize, data: Array2<f64>, labels: Vec<i64>, new_point: Array1<f64>) -> i64"
        );
        let s = parse_signature(
            "fn g(c: Vec<String>) -> (Vec<String>, Vec<Vec<u8>>)",
            &records,
        )
        .unwrap();
        assert!(matches!(s.ret, Ty::Tuple(ref t) if t.len() == 2));
    }

    #[test]
    fn rejects_unsupported_types() {
        let e = parse_signature("fn f(x: HashMap<i64, i64>) -> i64", &records).unwrap_err();
        assert!(e.to_string().contains("HashMap"), "{e}");
        let e = parse_signature("fn f(x: Cheese) -> i64", &records).unwrap_err();
        assert!(
            matches!(&e, SignatureError::NotARecord(name) if name == "Cheese"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "unsupported type `Cheese` (not a declared record)"
        );
        assert!(matches!(
            parse_signature("fn f(x: i64)", &records),
            Err(SignatureError::NoReturn)
        ));
        assert!(matches!(
            parse_signature("fn f(expected: i64) -> i64", &records),
            Err(SignatureError::Reserved(_))
        ));
        assert!(parse_signature("fn f(x: Array2<i64>) -> i64", &records).is_err());
    }
}
