//! What a client sends, checked before anything is stored: a body read into the type the
//! OpenAPI document names (each error names its field), a new submission's size, its own input against the problem's
//! signature, whether the problem's complexity can be measured, and which languages a
//! problem takes here (with the stub in each).

use axum::http::StatusCode;
use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::http::ApiError;
use super::openapi::{NewSubmissionBody, ObjectOnly};
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

/// A request body read into `T`, the type the OpenAPI document names for it: text that is
/// not JSON is 400 saying so; JSON of another shape is 400 naming the field at fault
/// (`field`: its name; the message: its place, `submissions[1]: `source`: ...`). serde
/// alone says what is wrong but not where; serde_path_to_error tracks the path.
pub(crate) fn read_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(ObjectOnly(&mut json)).map_err(|e| misread(&e))?;
    json.end().map_err(|e| not_json(&e))?;
    Ok(value)
}

fn not_json(e: &serde_json::Error) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("the body is not JSON: {e}"),
    )
}

/// 400 for a body that is JSON of the wrong shape, naming the field at fault: the path's
/// last key, or the field a `missing field` error names (serde reports it at its parent).
fn misread(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = e.inner();
    if !inner.is_data() {
        return not_json(inner);
    }
    // The path says where, so the line and column serde_json adds are left out.
    let said = inner.to_string();
    let place = format!(" at line {} column {}", inner.line(), inner.column());
    let why = said.strip_suffix(&place).unwrap_or(&said);
    let mut segments: Vec<&Segment> = e.path().iter().collect();
    let field = match segments.last() {
        Some(Segment::Map { key }) => {
            let key = key.clone();
            segments.pop();
            Some(key)
        }
        _ => why
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_string),
    };
    let parent = path_text(&segments);
    let what = match &field {
        Some(field) if !why.contains(&format!("`{field}`")) => format!("`{field}`: {why}"),
        _ => why.to_string(),
    };
    let message = if parent.is_empty() {
        what
    } else {
        format!("{parent}: {what}")
    };
    match field {
        Some(field) => ApiError::field(StatusCode::BAD_REQUEST, field, message),
        None => ApiError::new(StatusCode::BAD_REQUEST, message),
    }
}

/// A path in a body as a client would write it: `submissions[1].input`.
fn path_text(segments: &[&Segment]) -> String {
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(text, "[{index}]");
            }
            Segment::Map { key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    text
}

/// A new submission as a client sends it, checked beyond its types so that an error names
/// the field: its size, its `input` and `complexity` against its mode (its `input` against
/// the problem is `check_input`'s), its `callback_url` against the networks a webhook may
/// reach (public ones and those in `allowed`).
pub(super) fn read_new_submission(
    body: NewSubmissionBody,
    allowed: &[Net],
) -> Result<NewSubmission, ApiError> {
    let bad = |field, message: String| ApiError::field(StatusCode::BAD_REQUEST, field, message);
    let mode = body.mode.unwrap_or(Mode::Submit);
    check_size(&body.source)?;
    if let Some(url) = &body.callback_url {
        // Its form and, for an address, its network now; a name's addresses when delivered.
        super::webhook_target::check_url(url, allowed)
            .map_err(|e| bad("callback_url", e.to_string()))?;
    }
    let input = match body.input {
        None | Some(Value::Null) => None,
        // A string: stdin text, for a Kattis package (refused by `check_input` there).
        Some(value @ (Value::Object(_) | Value::String(_))) if mode == Mode::Run => {
            Some(value.to_string())
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
    let complexity = body.complexity.unwrap_or(false);
    if complexity && mode == Mode::Run {
        return Err(bad(
            "complexity",
            "`complexity` goes with a submission (`\"mode\": \"submit\"`), not a run".into(),
        ));
    }
    Ok(NewSubmission {
        problem: body.problem,
        mode,
        source: body.source,
        callback_url: body.callback_url,
        input,
        problem_version: None,
        complexity,
        language: body
            .language
            .unwrap_or_else(|| DEFAULT_LANGUAGE.to_string()),
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
    spec::load(&dir).map_err(ApiError::internal)
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
    super::kattis::load(&dir).map(|p| p.map_err(ApiError::internal))
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
            return judge_core::judge::package::allowed(&package, language)
                .or_else(|why| bad(why.replace(&format!("{}/", package.dir.display()), "")))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::BatchBody;

    /// The field and message of the 400 that reading `body` as `T` answers.
    fn refused<T: DeserializeOwned>(body: &str) -> (Option<String>, String) {
        let Err(e) = read_body::<T>(body.as_bytes()) else {
            panic!("{body} was read");
        };
        assert_eq!(e.status, StatusCode::BAD_REQUEST, "{}", e.message);
        (e.field.map(std::borrow::Cow::into_owned), e.message)
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_without_a_line_and_column() {
        let (field, message) =
            refused::<NewSubmissionBody>(r#"{"problem": "t-value", "source": 5}"#);
        assert_eq!(field.as_deref(), Some("source"));
        assert_eq!(
            message,
            "`source`: invalid type: integer `5`, expected a string"
        );
        let (field, message) = refused::<NewSubmissionBody>(
            r#"{"problem": "t-value", "source": "x", "complexity": "yes"}"#,
        );
        assert_eq!(field.as_deref(), Some("complexity"), "{message}");
        let (field, message) = refused::<NewSubmissionBody>(
            r#"{"problem": "t-value", "source": "x", "mode": "fast"}"#,
        );
        assert_eq!(field.as_deref(), Some("mode"));
        assert!(message.contains("`submit` or `run`"), "{message}");
    }

    #[test]
    fn a_missing_field_is_named_though_serde_reports_it_at_its_parent() {
        let (field, message) = refused::<NewSubmissionBody>(r#"{"source": "x"}"#);
        assert_eq!(field.as_deref(), Some("problem"));
        assert_eq!(message, "missing field `problem`");
    }

    #[test]
    fn an_unknown_field_of_a_submission_is_refused_by_name() {
        let (field, message) =
            refused::<NewSubmissionBody>(r#"{"problem": "t-value", "source": "x", "sauce": 1}"#);
        assert_eq!(field.as_deref(), Some("sauce"));
        assert!(
            message.starts_with("unknown field `sauce`, expected one of `problem`"),
            "{message}"
        );
    }

    #[test]
    fn an_item_of_a_batch_is_named_by_its_place() {
        let body =
            r#"{"submissions": [{"problem": "a", "source": "b"}, {"problem": "a", "source": 7}]}"#;
        let (field, message) = refused::<BatchBody>(body);
        assert_eq!(field.as_deref(), Some("source"));
        assert_eq!(
            message,
            "submissions[1]: `source`: invalid type: integer `7`, expected a string"
        );
        let (field, message) = refused::<BatchBody>(r#"{"submissions": [{"source": "b"}]}"#);
        assert_eq!(field.as_deref(), Some("problem"));
        assert_eq!(message, "submissions[0]: missing field `problem`");
        let (field, _) = refused::<BatchBody>(r#"{"submissions": 3}"#);
        assert_eq!(field.as_deref(), Some("submissions"));
        // A batch's own unknown keys were always let through, and still are.
        let read: BatchBody = read_body(br#"{"submissions": [], "note": 1}"#).unwrap();
        assert!(read.submissions.is_empty());
    }

    #[test]
    fn text_that_is_not_json_is_told_apart_from_json_of_the_wrong_shape() {
        for body in [
            "{not json",
            r#"{"problem": "a", "source": "b"} and more"#,
            "",
        ] {
            let (field, message) = refused::<NewSubmissionBody>(body);
            assert_eq!(field, None, "{body}");
            assert!(message.starts_with("the body is not JSON: "), "{message}");
        }
        // A body, and a batch's item, is an object, never a list of its fields in order.
        let (field, message) = refused::<NewSubmissionBody>(r#"["t-value", "x"]"#);
        assert_eq!(field, None);
        assert_eq!(
            message,
            "invalid type: sequence, expected struct NewSubmissionBody"
        );
        let (field, message) = refused::<BatchBody>(r#"{"submissions": [["t-value", "x"]]}"#);
        assert_eq!(field, None);
        assert!(
            message.starts_with("submissions[0]: invalid type: sequence"),
            "{message}"
        );
    }

    #[test]
    fn input_and_complexity_are_refused_with_the_wrong_mode() {
        let read = |body: &str| {
            let body: NewSubmissionBody = read_body(body.as_bytes()).unwrap();
            read_new_submission(body, &[])
        };
        let refused_field = |body: &str| {
            let Err(e) = read(body) else {
                panic!("{body} was taken")
            };
            e.field.map(std::borrow::Cow::into_owned)
        };
        assert_eq!(
            refused_field(r#"{"problem": "p", "source": "s", "input": {"x": 1}}"#).as_deref(),
            Some("input")
        );
        assert_eq!(
            refused_field(r#"{"problem": "p", "source": "s", "mode": "run", "input": 5}"#)
                .as_deref(),
            Some("input")
        );
        assert_eq!(
            refused_field(r#"{"problem": "p", "source": "s", "mode": "run", "complexity": true}"#)
                .as_deref(),
            Some("complexity")
        );
        let Ok(taken) =
            read(r#"{"problem": "p", "source": "s", "mode": "run", "input": {"x": [1, 2]}}"#)
        else {
            panic!("a run on an input was refused")
        };
        assert_eq!(taken.input.as_deref(), Some(r#"{"x":[1,2]}"#));
        assert_eq!(taken.language, DEFAULT_LANGUAGE);
    }
}
