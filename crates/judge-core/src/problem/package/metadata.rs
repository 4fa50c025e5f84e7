//! problem.yaml, read as the version it names says: each version's keys, its types and
//! its defaults (time multipliers 5 and 2 in the legacy format, 2.0 and 1.5 from 2023-07
//! on). A key of another version is refused with a message naming the key, the file and the
//! version, except the few legacy keys whose meaning carries over unchanged (`source_url`,
//! `author`, `time_multiplier`, ...), which are read with a warning.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::Yaml;

use super::constants::{self, Constant, Constants};
use super::limits::PackageLimits;
use super::version::FormatVersion;
use super::yaml::{describe, Doc, Map};
use crate::problem::spec::SpecError;

/// Keys of the legacy format's problem.yaml.
const LEGACY_KEYS: &[&str] = &[
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "author",
    "source",
    "source_url",
    "license",
    "rights_owner",
    "limits",
    "validation",
    "validator_flags",
    "grading",
    "keywords",
];

/// Keys of 2023-07 and 2025-09.
const MODERN_KEYS: &[&str] = &[
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "version",
    "credits",
    "source",
    "license",
    "rights_owner",
    "embargo_until",
    "limits",
    "keywords",
    "languages",
    "allow_file_writing",
    "constants",
];

/// Legacy keys a 2023-07 or 2025-09 package may still carry and that mean the same there:
/// read, with a warning saying how the version spells it.
const CARRIED_OVER: &[(&str, &str)] = &[
    ("source_url", "`source: {name: ..., url: ...}`"),
    ("author", "`credits: {authors: ...}`"),
    (
        "validation",
        "`type: [..., interactive]` and a score.txt from the output validator",
    ),
    (
        "validator_flags",
        "`output_validator_args` in data/test_group.yaml",
    ),
];

const LEGACY_LIMITS: &[&str] = &[
    "time_multiplier",
    "time_safety_margin",
    "time_limit",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
];

const MODERN_LIMITS: &[&str] = &[
    "time_multipliers",
    "time_limit",
    "time_resolution",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
    "validation_passes",
];

const LICENSES: &[&str] = &[
    "unknown",
    "public domain",
    "cc0",
    "cc by",
    "cc by-sa",
    "educational",
    "permission",
];

/// The legacy problem.yaml's `grading` map (scoring problems), as problemtools reads it:
/// defaults for every test group's `testdata.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegacyGrading {
    pub accept_score: Option<f64>,
    pub reject_score: Option<f64>,
    pub range: Option<String>,
    /// `on_reject: first_error` is break, `grade` is continue.
    pub on_reject_break: Option<bool>,
}

/// What problem.yaml says, before the folders are read.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub version: FormatVersion,
    pub name: Option<String>,
    pub scoring: bool,
    pub interactive: bool,
    pub custom_validation: bool,
    pub validator_flags: Vec<String>,
    pub limits: PackageLimits,
    /// `languages`: the language codes submissions may be in; `None` is `all`.
    pub languages: Option<Vec<String>>,
    pub constants: Constants,
    pub legacy_grading: LegacyGrading,
    /// Things the package does that the judge reads anyway, for `verify` to show.
    pub warnings: Vec<String>,
}

pub fn read(doc: Doc<'_>) -> Result<Metadata, SpecError> {
    let yaml = doc.parse()?;
    let top = doc.map_any(&yaml, "")?;
    let written = top.string("problem_format_version")?;
    let version = FormatVersion::parse(written.as_deref()).ok_or_else(|| {
        top.error(
            "problem_format_version",
            format!(
                "unknown format version `{}`",
                written.clone().unwrap_or_default()
            ),
        )
        .help("the judge reads `legacy` (the default), `2023-07-draft` and `2025-09`")
    })?;
    let mut warnings = Vec::new();
    check_keys(doc, &top, version, &mut warnings)?;
    let (scoring, mut interactive) = types(&top, version)?;
    let (custom_validation, validation_interactive) = validation(&top, scoring)?;
    interactive |= validation_interactive;
    let validator_flags = top.words("validator_flags")?.unwrap_or_default();
    top.words("keywords")?;
    let languages = languages(&top, version)?;
    let name = name(&top)?;
    if version == FormatVersion::V2025 {
        if name.is_none() {
            warnings.push("problem.yaml: `name` is required in 2025-09".into());
        }
        if top.get("uuid").is_none() {
            warnings.push("problem.yaml: `uuid` is required in 2025-09".into());
        }
    }
    if let Some(license) = top.string("license")? {
        if !LICENSES.contains(&license.as_str()) {
            return Err(top
                .error("license", format!("unknown license `{license}`"))
                .help(format!("the licenses are: {}", LICENSES.join(", "))));
        }
    }
    if let Some(v) = top.get("allow_file_writing") {
        if !matches!(v, Yaml::Boolean(_)) {
            return Err(top.error(
                "allow_file_writing",
                format!("expected true or false, found {}", describe(v)),
            ));
        }
    }
    Ok(Metadata {
        version,
        name,
        scoring,
        interactive,
        custom_validation: custom_validation || interactive,
        validator_flags,
        limits: limits(&top, version, &mut warnings)?,
        languages,
        constants: read_constants(&top)?,
        legacy_grading: legacy_grading(&top, scoring)?,
        warnings,
    })
}

/// Every key must be one of the version's; a legacy key that still means the same is read
/// with a warning.
fn check_keys(
    doc: Doc<'_>,
    top: &Map<'_>,
    version: FormatVersion,
    warnings: &mut Vec<String>,
) -> Result<(), SpecError> {
    let (own, other) = if version.is_modern() {
        (MODERN_KEYS, LEGACY_KEYS)
    } else {
        (LEGACY_KEYS, MODERN_KEYS)
    };
    for key in top.keys() {
        if own.contains(&key) {
            continue;
        }
        if let Some((_, instead)) = CARRIED_OVER
            .iter()
            .find(|(k, _)| *k == key && version.is_modern())
        {
            warnings.push(format!(
                "problem.yaml: `{key}` is a legacy key; {version} writes {instead} (read as the legacy format means it)"
            ));
            continue;
        }
        let e = if other.contains(&key) {
            let (theirs, ours) = if version.is_modern() {
                ("the legacy format", format!("the {version} format"))
            } else {
                (
                    "the 2023-07 and 2025-09 formats",
                    "the legacy format (no problem_format_version, or `legacy`)".to_string(),
                )
            };
            doc.error(
                key,
                format!("`{key}` is a key of {theirs}, not of {ours} this package is written in"),
            )
            .help(if version.is_modern() {
                format!(
                    "remove it; the keys of {version} are: {}",
                    MODERN_KEYS.join(", ")
                )
            } else {
                "set `problem_format_version: 2025-09` to use it, or remove it".to_string()
            })
        } else {
            doc.error(key, format!("unknown key `{key}` (format {version})"))
                .help(format!(
                    "remove it or correct its spelling; the keys of {version} are: {}",
                    own.join(", ")
                ))
        };
        return Err(e);
    }
    Ok(())
}

/// `type`: (scoring, interactive).
fn types(top: &Map<'_>, version: FormatVersion) -> Result<(bool, bool), SpecError> {
    let types = top.words("type")?.unwrap_or_default();
    let mut scoring = false;
    let mut interactive = false;
    for t in &types {
        match t.as_str() {
            "pass-fail" => {}
            "scoring" => scoring = true,
            "interactive" if version.is_modern() => interactive = true,
            "multi-pass" | "submit-answer" if version.is_modern() => {
                return Err(top
                    .error(
                        "type",
                        format!("`{t}` problems are not supported (format {version})"),
                    )
                    .help("the judge runs pass-fail, scoring and interactive problems"))
            }
            other => {
                let allowed = if version.is_modern() {
                    "pass-fail, scoring, interactive, multi-pass, submit-answer"
                } else {
                    "pass-fail, scoring (interactive problems say `validation: custom interactive`)"
                };
                return Err(top
                    .error(
                        "type",
                        format!("unknown problem type `{other}` (format {version})"),
                    )
                    .help(format!("the types are: {allowed}")));
            }
        }
    }
    if scoring && types.iter().any(|t| t == "pass-fail") {
        return Err(top.error("type", "`pass-fail` and `scoring` exclude each other"));
    }
    Ok((scoring, interactive))
}

/// The legacy `validation`: (custom, interactive).
fn validation(top: &Map<'_>, scoring: bool) -> Result<(bool, bool), SpecError> {
    let Some(words) = top.words("validation")? else {
        return Ok((false, false));
    };
    let help = "write `default`, or `custom` followed by any of `score`, `interactive`";
    match words.first().map(String::as_str) {
        Some("default") if words.len() == 1 => Ok((false, false)),
        Some("custom") => {
            let mut interactive = false;
            for w in &words[1..] {
                match w.as_str() {
                    "interactive" => interactive = true,
                    "score" if scoring => {}
                    "score" => {
                        return Err(top.error(
                            "validation",
                            "`custom score` needs a scoring problem (`type: scoring`)",
                        ))
                    }
                    other => {
                        return Err(top
                            .error("validation", format!("unknown validation word `{other}`"))
                            .help(help))
                    }
                }
            }
            Ok((true, interactive))
        }
        _ => Err(top
            .error(
                "validation",
                format!(
                    "expected `default` or `custom ...`, found `{}`",
                    words.join(" ")
                ),
            )
            .help(help)),
    }
}

/// `name`: a string, or the 2023-07 map of language codes to names (English first).
fn name(top: &Map<'_>) -> Result<Option<String>, SpecError> {
    match top.get("name") {
        Some(Yaml::Hash(names)) => {
            let english = names.get(&Yaml::String("en".into()));
            Ok(english
                .or_else(|| names.values().next())
                .and_then(|v| v.as_str())
                .map(str::to_string))
        }
        _ => top.string("name"),
    }
}

/// `languages`: `all` (or absent) is `None`.
fn languages(top: &Map<'_>, version: FormatVersion) -> Result<Option<Vec<String>>, SpecError> {
    let Some(words) = top.words("languages")? else {
        return Ok(None);
    };
    if words.iter().any(|w| w == "all") {
        return Ok(None);
    }
    if words.is_empty() {
        return Err(top.error(
            "languages",
            format!("an empty list of languages (format {version}): write `all`, or the codes submissions may use"),
        ));
    }
    Ok(Some(words))
}

fn limits(
    top: &Map<'_>,
    version: FormatVersion,
    warnings: &mut Vec<String>,
) -> Result<PackageLimits, SpecError> {
    let modern = version.is_modern();
    let mut limits = PackageLimits {
        time_ms: None,
        time_from: None,
        // The legacy defaults are 5 and 2; 2023-07 and 2025-09 document 2.0 and 1.5.
        ac_to_time_limit: if modern { 2.0 } else { 5.0 },
        time_limit_to_tle: if modern { 1.5 } else { 2.0 },
        resolution_ms: 1000,
        memory_mb: 1024,
        output_kb: 8 << 10,
        validation_ms: 60_000,
        validation_memory_mb: 2048,
    };
    let Some(map) = top.get("limits") else {
        return Ok(limits);
    };
    let map = top.doc.map_any(map, "limits")?;
    let (own, carried): (&[&str], &[&str]) = if modern {
        (MODERN_LIMITS, &["time_multiplier", "time_safety_margin"])
    } else {
        (LEGACY_LIMITS, &[])
    };
    for key in map.keys() {
        if carried.contains(&key) {
            warnings.push(format!(
                "problem.yaml: `limits.{key}` is a legacy key; {version} writes `limits.time_multipliers` (read as the legacy format means it)"
            ));
        } else if !own.contains(&key) {
            return Err(map
                .error(key, format!("unknown key `{key}` (format {version})"))
                .help(format!("the limits of {version} are: {}", own.join(", "))));
        }
    }
    if let Some(m) = map.number("time_multiplier", 1.0)? {
        limits.ac_to_time_limit = m;
    }
    if let Some(m) = map.number("time_safety_margin", 1.0)? {
        limits.time_limit_to_tle = m;
    }
    if let Some(multipliers) = map.map(
        "time_multipliers",
        &["ac_to_time_limit", "time_limit_to_tle"],
    )? {
        if let Some(m) = multipliers.number("ac_to_time_limit", 1.0)? {
            limits.ac_to_time_limit = m;
        }
        if let Some(m) = multipliers.number("time_limit_to_tle", 1.0)? {
            limits.time_limit_to_tle = m;
        }
    }
    if let Some(seconds) = map.number("time_limit", 0.001)? {
        limits.time_ms = Some((seconds * 1000.0).round() as u64);
        limits.time_from = Some(super::TimeLimitFrom::ProblemYaml);
    }
    if let Some(seconds) = map.number("time_resolution", 0.001)? {
        limits.resolution_ms = ((seconds * 1000.0).round() as u64).max(1);
    }
    if let (Some(ms), true) = (limits.time_ms, modern) {
        if ms % limits.resolution_ms != 0 {
            warnings.push(format!(
                "problem.yaml: `limits.time_limit` ({ms} ms) is not a multiple of `limits.time_resolution` ({} ms), as {version} asks",
                limits.resolution_ms
            ));
        }
    }
    if let Some(mb) = map.number("memory", 1.0)? {
        limits.memory_mb = mb as u64;
    }
    if let Some(mb) = map.number("output", 1.0)? {
        limits.output_kb = (mb * 1024.0) as u64;
    }
    if let Some(seconds) = map.number("validation_time", 0.001)? {
        limits.validation_ms = (seconds * 1000.0).round() as u64;
    }
    if let Some(mb) = map.number("validation_memory", 1.0)? {
        limits.validation_memory_mb = mb as u64;
    }
    for key in [
        "code",
        "compilation_time",
        "compilation_memory",
        "validation_output",
    ] {
        map.number(key, 0.0)?;
    }
    Ok(limits)
}

/// `constants`: names to a scalar, or to a map with `value` and other spellings.
fn read_constants(top: &Map<'_>) -> Result<Constants, SpecError> {
    let Some(value) = top.get("constants") else {
        return Ok(Constants::default());
    };
    let map = top.doc.map_any(value, "constants")?;
    let mut out = BTreeMap::new();
    for (name, value) in map.entries() {
        if !constants::valid_name(name) {
            return Err(map
                .error(name, format!("`{name}` is not a constant's name"))
                .help("a name is a letter or `_`, then letters, digits and `_`"));
        }
        let constant = match value {
            Yaml::Hash(_) => {
                let variants = top.doc.map_any(value, &map.key(name))?;
                let mut c = Constant::default();
                for (variant, v) in variants.entries() {
                    let text = scalar(v).ok_or_else(|| {
                        variants.error(
                            variant,
                            format!("expected a number or a string, found {}", describe(v)),
                        )
                    })?;
                    if variant == "value" {
                        c.value = text;
                    } else {
                        c.variants.insert(variant.to_string(), text);
                    }
                }
                if variants.get("value").is_none() {
                    return Err(map.error(name, "a constant written as a map needs its `value`"));
                }
                c
            }
            other => Constant {
                value: scalar(other).ok_or_else(|| {
                    map.error(
                        name,
                        format!("expected a number or a string, found {}", describe(other)),
                    )
                })?,
                variants: BTreeMap::new(),
            },
        };
        out.insert(name.to_string(), constant);
    }
    Ok(Constants(out))
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The legacy `grading` map; only scoring problems may have one.
fn legacy_grading(top: &Map<'_>, scoring: bool) -> Result<LegacyGrading, SpecError> {
    let Some(grading) = top.map(
        "grading",
        &[
            "objective",
            "show_test_data_groups",
            "accept_score",
            "reject_score",
            "range",
            "on_reject",
        ],
    )?
    else {
        return Ok(LegacyGrading::default());
    };
    if !scoring {
        return Err(top.error(
            "grading",
            "`grading` may only be given for scoring problems (`type: scoring`)",
        ));
    }
    if let Some(objective) = grading.string("objective")? {
        match objective.as_str() {
            "max" => {}
            "min" => {
                return Err(grading
                    .error("objective", "problems whose score is minimised are not supported")
                    .help("the judge grades scoring problems whose score is maximised (`objective: max`, the default)"))
            }
            other => {
                return Err(grading.error(
                    "objective",
                    format!("expected `max` or `min`, found `{other}`"),
                ))
            }
        }
    }
    grading.boolean("show_test_data_groups")?;
    let on_reject_break = match grading.string("on_reject")?.as_deref() {
        None | Some("worst_error") => None,
        Some("first_error") => Some(true),
        Some("grade") => Some(false),
        Some(other) => {
            return Err(grading.error(
                "on_reject",
                format!("expected `first_error`, `worst_error` or `grade`, found `{other}`"),
            ))
        }
    };
    Ok(LegacyGrading {
        accept_score: grading.number("accept_score", f64::NEG_INFINITY)?,
        reject_score: grading.number("reject_score", f64::NEG_INFINITY)?,
        range: grading.string("range")?,
        on_reject_break,
    })
}

/// A time limit written outside problem.yaml: a `.timelimit` file (seconds), which
/// problemtools and DOMjudge read, else `timelimit` in DOMjudge's `domjudge-problem.ini`.
pub fn outside_time_limit(dir: &Path) -> Result<Option<(u64, super::TimeLimitFrom)>, SpecError> {
    let file = dir.join(".timelimit");
    if file.is_file() {
        let text = super::read_text(&file)?;
        let seconds = parse_seconds(text.trim()).ok_or_else(|| SpecError {
            file: file.clone(),
            line: Some(1),
            key: None,
            message: format!(
                "expected the time limit in seconds, found `{}`",
                text.trim()
            ),
            snippet: None,
            help: Some("write one number, like `2` or `1.5`".into()),
        })?;
        return Ok(Some((seconds, super::TimeLimitFrom::TimelimitFile)));
    }
    let ini = dir.join("domjudge-problem.ini");
    if ini.is_file() {
        let text = super::read_text(&ini)?;
        for (i, line) in text.lines().enumerate() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if key.trim() != "timelimit" {
                continue;
            }
            let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
            let seconds = parse_seconds(value).ok_or_else(|| SpecError {
                file: ini.clone(),
                line: Some(i + 1),
                key: Some("timelimit".into()),
                message: format!("expected the time limit in seconds, found `{value}`"),
                snippet: Some(line.into()),
                help: None,
            })?;
            return Ok(Some((seconds, super::TimeLimitFrom::DomjudgeIni)));
        }
    }
    Ok(None)
}

/// Seconds as whole milliseconds, when positive and finite.
fn parse_seconds(text: &str) -> Option<u64> {
    let seconds: f64 = text.parse().ok()?;
    (seconds.is_finite() && seconds > 0.0).then(|| (seconds * 1000.0).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Metadata, SpecError> {
        read(Doc {
            path: Path::new("problem.yaml"),
            text,
        })
    }

    #[test]
    fn the_2025_09_examples_problem_yaml_reads_with_a_warning_for_source_url() {
        let m = read_text("problem_format_version: 2025-09\ntype: pass-fail interactive\nname: Sample problem\nuuid: 117b564d\ncredits:\n  authors: A <a@b.c>\nsource: My Contest 2024\nsource_url: https://my.contest.com/2024\nlicense: cc by-sa\nrights_owner: My Contest\n").unwrap();
        assert_eq!(m.version, FormatVersion::V2025);
        assert!(m.interactive && m.custom_validation && !m.scoring);
        assert!((m.limits.ac_to_time_limit - 2.0).abs() < 1e-9);
        assert!((m.limits.time_limit_to_tle - 1.5).abs() < 1e-9);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("`source_url` is a legacy key"));
    }

    #[test]
    fn newer_keys_are_read_and_refused_in_the_legacy_format_by_name() {
        let m = read_text("problem_format_version: 2023-07-draft\nname: {en: X, sv: Y}\nlanguages: [python3, cpp]\nconstants:\n  n: 5\n  k: {value: 5000000, tex: '5,000,000'}\nallow_file_writing: true\nembargo_until: 2030-01-01\n").unwrap();
        assert_eq!(m.name.as_deref(), Some("X"));
        assert_eq!(m.languages, Some(vec!["python3".into(), "cpp".into()]));
        assert_eq!(m.constants.substitute("{{n}} {{k.tex}}"), "5 5,000,000");
        let e = read_text("name: X\nconstants:\n  n: 5\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("constants"));
        assert_eq!(e.line, Some(2));
        assert!(
            e.message
                .contains("a key of the 2023-07 and 2025-09 formats, not of the legacy format"),
            "{e}"
        );
        let e = read_text("problem_format_version: 2025-09\nname: X\ngrading:\n  objective: max\n")
            .unwrap_err();
        assert!(
            e.message
                .contains("`grading` is a key of the legacy format, not of the 2025-09 format"),
            "{e}"
        );
        let e = read_text("problem_format_version: 2025-09\nname: X\nflavour: 3\n").unwrap_err();
        assert!(
            e.message.contains("unknown key `flavour` (format 2025-09)"),
            "{e}"
        );
        let e = read_text("problem_format_version: 2031-01\n").unwrap_err();
        assert!(
            e.message.contains("unknown format version `2031-01`"),
            "{e}"
        );
        let e = read_text("problem_format_version: 2025-09\ntype: multi-pass\n").unwrap_err();
        assert!(e
            .message
            .contains("`multi-pass` problems are not supported"));
    }

    #[test]
    fn legacy_multipliers_default_to_five_and_two_and_draft_ones_are_overridable() {
        let m = read_text("name: X\n").unwrap();
        assert!((m.limits.ac_to_time_limit - 5.0).abs() < 1e-9);
        assert!((m.limits.time_limit_to_tle - 2.0).abs() < 1e-9);
        let m = read_text("problem_format_version: 2025-09\nlimits:\n  time_multipliers:\n    time_limit_to_tle: 4.0\n").unwrap();
        assert!((m.limits.ac_to_time_limit - 2.0).abs() < 1e-9);
        assert!((m.limits.time_limit_to_tle - 4.0).abs() < 1e-9);
        let e = read_text("limits:\n  time_multipliers:\n    ac_to_time_limit: 2\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("limits.time_multipliers"));
        assert!(e.message.contains("(format legacy)"), "{e}");
    }

    #[test]
    fn legacy_grading_defaults_are_read_for_scoring_problems() {
        let m =
            read_text("type: scoring\ngrading:\n  on_reject: grade\n  accept_score: 2\n").unwrap();
        assert_eq!(m.legacy_grading.on_reject_break, Some(false));
        assert_eq!(m.legacy_grading.accept_score, Some(2.0));
        let e = read_text("grading:\n  objective: max\n").unwrap_err();
        assert!(e.message.contains("only be given for scoring problems"));
    }

    #[test]
    fn a_timelimit_file_gives_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(outside_time_limit(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join("domjudge-problem.ini"), "timelimit='2.5'\n").unwrap();
        assert_eq!(
            outside_time_limit(dir.path()).unwrap(),
            Some((2500, super::super::TimeLimitFrom::DomjudgeIni))
        );
        std::fs::write(dir.path().join(".timelimit"), "3\n").unwrap();
        assert_eq!(
            outside_time_limit(dir.path()).unwrap(),
            Some((3000, super::super::TimeLimitFrom::TimelimitFile))
        );
        std::fs::write(dir.path().join(".timelimit"), "soon\n").unwrap();
        let e = outside_time_limit(dir.path()).unwrap_err();
        assert!(e.file.ends_with(".timelimit") && e.message.contains("`soon`"));
    }
}
