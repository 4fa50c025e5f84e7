//! What a client sends, checked before anything is stored: a new submission field by
//! field (each error names its field), its size, its own input against the problem's
//! signature, whether the problem's complexity can be measured, and which languages a
//! problem takes here (with the stub in each).

use axum::http::StatusCode;
use serde_json::Value;

use super::http::ApiError;
use super::store::{Mode, NewSubmission};
use super::webhook_target::Net;
use super::Service;
use judge_core::languages::{Build, Language};
use judge_core::problem::spec;

/// A submission's language when it names none (every submission was Rust before the
/// service took others).
pub const DEFAULT_LANGUAGE: &str = "rust";

/// The most bytes a submitted source may take.
pub const MAX_SOURCE_BYTES: usize = 64 << 10;

pub(super) fn read_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not JSON: {e}"),
        )
    })
}

/// A new submission as a client sends it, checked field by field so that an error names
/// the field (its `input`, against the problem, by `check_input`; its `callback_url`
/// against the networks a webhook may reach, public ones and those in `allowed`).
pub(super) fn read_new_submission(
    value: Value,
    allowed: &[Net],
) -> Result<NewSubmission, ApiError> {
    let bad = |field, message: String| ApiError::field(StatusCode::BAD_REQUEST, field, message);
    let Value::Object(fields) = value else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object",
        ));
    };
    for key in fields.keys() {
        if ![
            "problem",
            "source",
            "mode",
            "callback_url",
            "input",
            "complexity",
            "language",
        ]
        .contains(&key.as_str())
        {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "unknown field `{key}`; the fields are problem, source, language, mode, input, complexity and callback_url"
                ),
            ));
        }
    }
    let text = |field: &'static str| match fields.get(field) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        None | Some(Value::Null) => Ok(None),
        Some(other) => Err(bad(
            field,
            format!("`{field}` must be a string, not {other}"),
        )),
    };
    let problem = text("problem")?.ok_or_else(|| bad("problem", "`problem` is required".into()))?;
    let source = text("source")?.ok_or_else(|| bad("source", "`source` is required".into()))?;
    let mode = match text("mode")?.as_deref() {
        None => Mode::Submit,
        Some(word) => Mode::parse(word).ok_or_else(|| {
            bad(
                "mode",
                format!("`mode` is \"submit\" or \"run\", not {word:?}"),
            )
        })?,
    };
    check_size(&source)?;
    let callback_url = text("callback_url")?;
    if let Some(url) = &callback_url {
        // Its form and, for an address, its network now; a name's addresses when delivered.
        super::webhook_target::check_url(url, allowed)
            .map_err(|e| bad("callback_url", e.to_string()))?;
    }
    let input = match fields.get("input") {
        None | Some(Value::Null) => None,
        Some(Value::Object(args)) if mode == Mode::Run => {
            Some(Value::Object(args.clone()).to_string())
        }
        // A string: stdin text, for a Kattis package (refused by `check_input` there).
        Some(Value::String(text)) if mode == Mode::Run => {
            Some(Value::String(text.clone()).to_string())
        }
        Some(Value::Object(_) | Value::String(_)) => return Err(bad(
            "input",
            "`input` goes with `\"mode\": \"run\"`: a submission is judged on the problem's cases"
                .into(),
        )),
        Some(other) => {
            return Err(bad(
                "input",
                format!("`input` must be an object holding each argument by name, not {other}"),
            ))
        }
    };
    let complexity = match fields.get("complexity") {
        None | Some(Value::Null | Value::Bool(false)) => false,
        Some(Value::Bool(true)) if mode == Mode::Submit => true,
        Some(Value::Bool(true)) => {
            return Err(bad(
                "complexity",
                "`complexity` goes with a submission (`\"mode\": \"submit\"`), not a run".into(),
            ))
        }
        Some(other) => {
            return Err(bad(
                "complexity",
                format!("`complexity` must be true or false, not {other}"),
            ))
        }
    };
    let language = text("language")?.unwrap_or_else(|| DEFAULT_LANGUAGE.to_string());
    Ok(NewSubmission {
        problem,
        mode,
        source,
        callback_url,
        input,
        problem_version: None,
        complexity,
        language,
    })
}

/// 413 for a source (a submission's or a draft's) over `MAX_SOURCE_BYTES`.
pub(super) fn check_size(source: &str) -> Result<(), ApiError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(ApiError::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "source",
            format!(
                "the source takes {} bytes; the most is {MAX_SOURCE_BYTES}",
                source.len()
            ),
        ));
    }
    Ok(())
}

/// An `input` holds each of the problem's arguments, of its type: else 400 naming it.
pub(super) fn check_input(service: &Service, new: &NewSubmission) -> Result<(), ApiError> {
    let Some(input) = &new.input else {
        return Ok(());
    };
    if load_package(service, &new.problem).is_some() {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "input",
            format!(
                "{} is a Kattis package (a stdin/stdout program): a run on your own input is not taken for it yet; leave out `input` to run the samples",
                new.problem
            ),
        ));
    }
    let problem = load_problem(service, &new.problem)?;
    let Ok(Value::Object(args)) = serde_json::from_str::<Value>(input) else {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "input",
            format!(
                "`input` must be an object holding each argument of {} by name",
                new.problem
            ),
        ));
    };
    spec::input_from_json(&problem, &args)
        .map(|_| ())
        .map_err(|(arg, why)| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                "input",
                format!("input.{arg}: {why}"),
            )
        })
}

/// Why a problem's complexity cannot be measured (400 naming `complexity`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unmeasurable {
    #[error(
        "{0} is a Kattis package: complexity is measured on problems whose generator takes a size"
    )]
    Package(String),
    #[error("{0} has no generator, so inputs of growing size cannot be made to measure on")]
    NoGenerator(String),
    /// The problem could not be loaded: the API's answer for that, in words.
    #[error("{0}")]
    Unloaded(String),
}

/// Whether a problem's complexity can be measured: its generator can make inputs of any
/// size; else why not.
pub(super) fn measurable(service: &Service, problem: &str) -> Result<(), Unmeasurable> {
    if load_package(service, problem).is_some() {
        return Err(Unmeasurable::Package(problem.to_string()));
    }
    let dir = load_problem(service, problem)
        .map_err(|e| Unmeasurable::Unloaded(e.message))?
        .dir;
    if !dir.join(judge_core::judge::GENERATOR_FILE).is_file() {
        return Err(Unmeasurable::NoGenerator(problem.to_string()));
    }
    Ok(())
}

/// A problem the bank has, else 400 naming the field.
pub(crate) fn known_problem(service: &Service, problem: &str) -> Result<(), ApiError> {
    if service.bank.ids().iter().any(|id| id == problem) {
        Ok(())
    } else {
        Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "problem",
            format!("no problem {problem} (GET /api/v1/problems lists them)"),
        ))
    }
}

pub(crate) fn load_problem(service: &Service, id: &str) -> Result<spec::Problem, ApiError> {
    // An id, never a path: a client names problems of the bank only.
    let known = service.bank.ids().iter().any(|known| known == id);
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, format!("no problem {id}"));
    if !known {
        return Err(not_found());
    }
    let dir = service.bank.resolve(id).map_err(|_| not_found())?;
    Ok(spec::load(&dir)?)
}

/// The bank's Kattis package `id`, or None when `id` is a TOML problem (or none at all).
pub(crate) fn load_package(
    service: &Service,
    id: &str,
) -> Option<Result<judge_core::problem::package::Package, ApiError>> {
    if !service.bank.ids().iter().any(|known| known == id) {
        return None;
    }
    let dir = service.bank.resolve(id).ok()?;
    super::kattis::load(&dir).map(|p| p.map_err(ApiError::from))
}

/// A submission's language is one of the table's, installed here, and one the problem's
/// kind takes: a Kattis package (a whole program, stdin to stdout) any language; a function
/// problem the languages the judge has a harness for. Else 400 naming `language`.
pub(super) fn check_language(service: &Service, new: &NewSubmission) -> Result<(), ApiError> {
    let bad = |why: String| Err(ApiError::field(StatusCode::BAD_REQUEST, "language", why));
    let language = match service.engine.languages().get(&new.language) {
        Ok(language) => language,
        Err(e) => return bad(e.to_string()),
    };
    if let Err(e) = language.installed() {
        return bad(format!("{e} (on this server)"));
    }
    match load_package(service, &new.problem) {
        // A package's `languages` key may allow fewer.
        Some(Ok(package)) => {
            return judge_core::judge::package::allowed(&package, language).or_else(|why| {
                let why = why.to_string();
                bad(why.replace(&format!("{}/", package.dir.display()), ""))
            })
        }
        Some(Err(e)) => return Err(e),
        None if takes_function(language) => return Ok(()),
        None => {}
    }
    let names: Vec<&str> = service
        .engine
        .languages()
        .all()
        .iter()
        .filter(|l| takes_function(l))
        .map(|l| l.name.as_str())
        .collect();
    bad(format!(
        "{} is a function problem, which takes {}; {} is taken for whole programs (Kattis packages)",
        new.problem,
        names.join(", "),
        language.name
    ))
}

/// Whether function problems take `language`: the judge has a harness for it (Rust's own,
/// or a `functions` entry in the table, as Python's).
fn takes_function(language: &Language) -> bool {
    language.build == Build::Judge || language.functions.is_some()
}

/// A problem of the bank, loaded: what the languages it takes and their stubs come from.
pub(super) enum Loaded {
    Function(Box<spec::Problem>),
    Package(Box<judge_core::problem::package::Package>),
}

impl Loaded {
    pub(super) fn load(service: &Service, id: &str) -> Result<Loaded, ApiError> {
        match load_package(service, id) {
            Some(package) => Ok(Loaded::Package(Box::new(package?))),
            None => Ok(Loaded::Function(Box::new(load_problem(service, id)?))),
        }
    }

    /// The languages the problem takes on this server, in the table's order: those
    /// installed here that its kind takes (function problems: those the judge has a
    /// harness for; a package: those its `languages` key allows).
    pub(super) fn languages<'s>(&self, service: &'s Service) -> Vec<&'s Language> {
        service
            .engine
            .languages()
            .all()
            .iter()
            .filter(|l| l.installed().is_ok())
            .filter(|l| match self {
                Loaded::Function(_) => takes_function(l),
                Loaded::Package(package) => judge_core::judge::package::allowed(package, l).is_ok(),
            })
            .collect()
    }

    /// A file to start from in `language`: the function's stub, or a whole program (the
    /// languages table's `stub`); empty when the table gives the language none.
    pub(super) fn stub(&self, language: &Language) -> String {
        match self {
            Loaded::Function(problem) => judge_core::build::function_stub(problem, language),
            Loaded::Package(_) => language.stub.clone(),
        }
        .unwrap_or_default()
    }

    /// `language` when the problem takes it here; else 400 naming `language` and saying
    /// which it takes.
    pub(super) fn check<'s>(
        &self,
        service: &'s Service,
        id: &str,
        language: &str,
    ) -> Result<&'s Language, ApiError> {
        let taken = self.languages(service);
        if let Some(found) = taken.iter().find(|l| l.id == language) {
            return Ok(found);
        }
        let names: Vec<String> = taken
            .iter()
            .map(|l| format!("{} ({})", l.id, l.name))
            .collect();
        Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "language",
            format!(
                "{id} takes {} on this server, not `{language}`",
                names.join(", ")
            ),
        ))
    }
}
