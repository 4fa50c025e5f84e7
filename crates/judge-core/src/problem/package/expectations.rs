//! What each known submission must get: its folder's default requirements (`accepted`:
//! every case AC; `wrong_answer`: only AC or WA, at least one WA; ...) and, from 2023-07
//! on, `submissions/submissions.yaml`, whose glob patterns add requirements (`permitted`,
//! `required`, `score`, `message`), per test group too, and may override a folder's
//! defaults by naming the folder. Parsing and matching only; the judging is `verify`'s.

use std::path::Path;

use yaml_rust2::Yaml;

use super::read_text;
use super::version::FormatVersion;
use super::yaml::{describe, Doc, Map};
use crate::problem::spec::SpecError;

/// A case's verdict as the expectations name it (MLE and OLE count as RTE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    AC,
    WA,
    TLE,
    RTE,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::AC => "AC",
            Outcome::WA => "WA",
            Outcome::TLE => "TLE",
            Outcome::RTE => "RTE",
        }
    }

    fn parse(word: &str) -> Option<Outcome> {
        Some(match word {
            "AC" => Outcome::AC,
            "WA" => Outcome::WA,
            "TLE" => Outcome::TLE,
            "RTE" => Outcome::RTE,
            _ => return None,
        })
    }
}

/// One set of requirements, on every case or on the cases of the groups `cases` matches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    /// A test case glob (`secret/group1`, `secret/*-hard`); `None`: every case.
    pub cases: Option<String>,
    /// Every case's outcome must be one of these.
    pub permitted: Option<Vec<Outcome>>,
    /// At least one case's outcome must be one of these.
    pub required: Option<Vec<Outcome>>,
    /// The score (of the submission, or of the group `cases` names) must be in this
    /// inclusive range.
    pub score: Option<(f64, f64)>,
    /// Must appear in a case's judge message.
    pub message: Option<String>,
    /// `use_for_time_limit: false` takes the submission out of the time limit's bounds.
    pub use_for_time_limit: Option<bool>,
    /// Where the rule is written, for messages (`submissions.yaml: accepted/*`).
    pub source: String,
}

/// One pattern's entry of submissions.yaml.
#[derive(Debug, Clone, PartialEq, Default)]
struct Entry {
    pattern: String,
    language: Option<String>,
    entrypoint: Option<String>,
    rules: Vec<Rule>,
}

/// A package's expectations: submissions.yaml's entries, in the file's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expectations {
    entries: Vec<Entry>,
    version: Option<FormatVersion>,
}

/// What applies to one submission.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applying {
    pub rules: Vec<Rule>,
    /// `language` and `entrypoint` from submissions.yaml (the last match's).
    pub language: Option<String>,
    pub entrypoint: Option<String>,
}

/// The folders whose submissions have default requirements.
pub const FOLDERS: &[&str] = &[
    "accepted",
    "partially_accepted",
    "wrong_answer",
    "time_limit_exceeded",
    "run_time_error",
    "rejected",
    "brute_force",
];

/// A folder's default requirements (`partially_accepted`'s are the score's, checked by
/// verify). The legacy format lets a slow submission also be wrong, as problemtools does.
fn default_rule(folder: &str, version: FormatVersion) -> Option<Rule> {
    use Outcome::{AC, RTE, TLE, WA};
    let (permitted, required): (Option<Vec<Outcome>>, Option<Vec<Outcome>>) = match folder {
        "accepted" => (Some(vec![AC]), None),
        "wrong_answer" => (Some(vec![AC, WA]), Some(vec![WA])),
        "time_limit_exceeded" if !version.is_modern() => (Some(vec![AC, WA, TLE]), Some(vec![TLE])),
        "time_limit_exceeded" => (Some(vec![AC, TLE]), Some(vec![TLE])),
        "run_time_error" if !version.is_modern() => (None, Some(vec![RTE])),
        "run_time_error" => (Some(vec![AC, RTE]), Some(vec![RTE])),
        "rejected" => (None, Some(vec![RTE, TLE, WA])),
        "brute_force" => (Some(vec![AC, RTE, TLE]), Some(vec![RTE, TLE])),
        "partially_accepted" => (Some(vec![AC, WA, TLE, RTE]), None),
        _ => return None,
    };
    Some(Rule {
        permitted,
        required,
        source: format!("the {folder} folder's default"),
        ..Rule::default()
    })
}

/// Reads `submissions/submissions.yaml` (2023-07 and later); none is no entries.
pub fn load(dir: &Path, version: FormatVersion) -> Result<Expectations, SpecError> {
    let path = dir.join("submissions").join("submissions.yaml");
    if !path.is_file() || !version.is_modern() {
        return Ok(Expectations {
            entries: Vec::new(),
            version: Some(version),
        });
    }
    let text = read_text(&path)?;
    let doc = Doc {
        path: &path,
        text: &text,
    };
    let yaml = doc.parse()?;
    let top = doc.map_any(&yaml, "")?;
    let mut entries = Vec::new();
    for (pattern, value) in top.entries() {
        entries.push(entry(&top, pattern, value)?);
    }
    Ok(Expectations {
        entries,
        version: Some(version),
    })
}

const RULE_KEYS: &[&str] = &[
    "permitted",
    "required",
    "score",
    "message",
    "use_for_time_limit",
];

const ENTRY_KEYS: &[&str] = &["language", "entrypoint", "authors", "model_solution"];

fn entry(top: &Map<'_>, pattern: &str, value: &Yaml) -> Result<Entry, SpecError> {
    let map = match value {
        Yaml::Null => {
            return Ok(Entry {
                pattern: pattern.to_string(),
                ..Entry::default()
            })
        }
        _ => top.doc.map_any(value, &top.key(pattern))?,
    };
    let source = format!("submissions.yaml: {pattern}");
    let mut rules = vec![rule(&map, None, &source)?];
    for (key, value) in map.entries() {
        if RULE_KEYS.contains(&key) || ENTRY_KEYS.contains(&key) {
            continue;
        }
        // Any other key names test cases or groups: a rule on them alone.
        if !key.contains('/') && !matches!(key, "sample" | "secret") && !key.contains('*') {
            return Err(map.error(key, format!("unknown key `{key}`")).help(format!(
                "the keys are {} and {}, or a test group's name (sample, secret/...)",
                ENTRY_KEYS.join(", "),
                RULE_KEYS.join(", ")
            )));
        }
        let group = top.doc.map(value, &map.key(key), RULE_KEYS)?;
        rules.push(rule(&group, Some(key), &format!("{source} ({key})"))?);
    }
    map.boolean("model_solution")?;
    Ok(Entry {
        pattern: pattern.to_string(),
        language: map.string("language")?,
        entrypoint: map.string("entrypoint")?,
        rules,
    })
}

fn rule(map: &Map<'_>, cases: Option<&str>, source: &str) -> Result<Rule, SpecError> {
    let outcomes = |key: &str| -> Result<Option<Vec<Outcome>>, SpecError> {
        map.words(key)?
            .map(|words| {
                words
                    .iter()
                    .map(|w| {
                        Outcome::parse(w).ok_or_else(|| {
                            map.error(key, format!("unknown verdict `{w}`"))
                                .help("the verdicts are AC, WA, TLE and RTE")
                        })
                    })
                    .collect()
            })
            .transpose()
    };
    let score = match map.get("score") {
        None => None,
        Some(Yaml::Array(ends)) => match ends.as_slice() {
            [low, high] => Some((number(map, low)?, number(map, high)?)),
            _ => return Err(map.error("score", "expected a number or a list of two numbers")),
        },
        Some(one) => {
            let v = number(map, one)?;
            Some((v, v))
        }
    };
    let use_for_time_limit = match map.get("use_for_time_limit") {
        None => None,
        Some(Yaml::Boolean(b)) => Some(*b),
        Some(Yaml::String(s)) if s == "lower" || s == "upper" => Some(true),
        Some(other) => {
            return Err(map.error(
                "use_for_time_limit",
                format!(
                    "expected true, false, lower or upper, found {}",
                    describe(other)
                ),
            ))
        }
    };
    Ok(Rule {
        cases: cases.map(str::to_string),
        permitted: outcomes("permitted")?,
        required: outcomes("required")?,
        score,
        message: map.string("message")?,
        use_for_time_limit,
        source: source.to_string(),
    })
}

fn number(map: &Map<'_>, value: &Yaml) -> Result<f64, SpecError> {
    match value {
        Yaml::Integer(i) => Ok(*i as f64),
        Yaml::Real(_) => Ok(value.as_f64().unwrap_or(f64::NAN)),
        other => Err(map.error(
            "score",
            format!("expected a number, found {}", describe(other)),
        )),
    }
}

impl Expectations {
    /// What applies to the submission at `path` (relative to `submissions/`, like
    /// `accepted/sol.py`): its folder's defaults (overridden key by key by an entry naming
    /// the folder alone), then every other entry whose pattern matches it or a folder
    /// above it.
    pub fn applying(&self, path: &str) -> Applying {
        let version = self.version.unwrap_or(FormatVersion::Legacy);
        let folder = path.split('/').next().unwrap_or("");
        let mut out = Applying::default();
        let mut default = default_rule(folder, version);
        for entry in &self.entries {
            if entry.pattern == folder {
                if let (Some(d), Some(own)) = (&mut default, entry.rules.first()) {
                    override_rule(d, own);
                }
            } else if matches_path(&entry.pattern, path) {
                out.rules.extend(entry.rules.first().cloned());
            } else {
                continue;
            }
            out.rules.extend(entry.rules.iter().skip(1).cloned());
            if entry.language.is_some() {
                out.language.clone_from(&entry.language);
            }
            if entry.entrypoint.is_some() {
                out.entrypoint.clone_from(&entry.entrypoint);
            }
        }
        out.rules.splice(0..0, default);
        out.rules.retain(|r| {
            r.permitted.is_some()
                || r.required.is_some()
                || r.score.is_some()
                || r.message.is_some()
                || r.use_for_time_limit.is_some()
        });
        out
    }
}

fn override_rule(default: &mut Rule, own: &Rule) {
    if own.permitted.is_some() {
        default.permitted.clone_from(&own.permitted);
    }
    if own.required.is_some() {
        default.required.clone_from(&own.required);
    }
    if own.score.is_some() {
        default.score = own.score;
    }
    if own.message.is_some() {
        default.message.clone_from(&own.message);
    }
    if own.use_for_time_limit.is_some() {
        default.use_for_time_limit = own.use_for_time_limit;
    }
    default.source = format!("{} (as submissions.yaml overrides it)", default.source);
}

/// Whether `pattern` matches `path` or one of the folders above it (`accepted` matches
/// `accepted/x.py`). A `*` matches within one name, never a `/`; `{a,b}` is either.
pub fn matches_path(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    (1..=parts.len()).any(|n| {
        let prefix = parts[..n].join("/");
        expand_braces(pattern)
            .iter()
            .any(|p| glob_match(p.as_bytes(), prefix.as_bytes()))
    })
}

/// `a{b,c}d` as `abd` and `acd` (nested braces expand too).
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(open + i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    let mut bounds = vec![open];
    bounds.extend(&commas);
    bounds.push(close);
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    bounds
        .windows(2)
        .flat_map(|w| expand_braces(&format!("{head}{}{tail}", &pattern[w[0] + 1..w[1]])))
        .collect()
}

/// `*` matches any run of characters but `/`; everything else matches itself.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len())
            .take_while(|&i| i == 0 || text[i - 1] != b'/')
            .any(|i| glob_match(rest, &text[i..])),
        Some((c, rest)) => text.first() == Some(c) && glob_match(rest, &text[1..]),
    }
}

/// Whether a case named `case` (under `data/`) is in the scope of `pattern`: the case or
/// one of its groups matches.
pub fn case_in_scope(pattern: &str, case: &str) -> bool {
    matches_path(pattern, case)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_a_name_with_braces() {
        assert!(matches_path("accepted/*", "accepted/a.py"));
        assert!(matches_path("accepted", "accepted/a.py"));
        assert!(matches_path("accepted/*.php", "accepted/b.php"));
        assert!(!matches_path("accepted/*.php", "accepted/b.py"));
        assert!(!matches_path("*", "accepted/x/y") || matches_path("*", "accepted"));
        assert!(matches_path(
            "run_time_error/not_defined",
            "run_time_error/not_defined"
        ));
        assert!(matches_path("author.{py,cpp}", "author.cpp"));
        assert!(matches_path("{simple,complex}.py", "simple.py"));
        assert!(!matches_path("{simple,complex}.py", "other.py"));
        assert!(case_in_scope("secret/*-hard", "secret/03-hard/1"));
        assert!(!case_in_scope("secret/*-hard", "secret/03-easy/1"));
        assert!(case_in_scope("sample", "sample/1"));
    }

    fn expectations(yaml: &str, version: FormatVersion) -> Expectations {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("submissions")).unwrap();
        std::fs::write(dir.path().join("submissions/submissions.yaml"), yaml).unwrap();
        load(dir.path(), version).unwrap()
    }

    #[test]
    fn folders_have_defaults_that_submissions_yaml_extends_and_overrides() {
        let e = expectations(
            "accepted/*:\n  authors: A <a@b.c>\ntime_limit_exceeded:\n  permitted: [AC, WA, TLE]\nwrong_answer/solves_easy.py:\n  language: python3\n  sample:\n    permitted: [AC]\n  secret/*-hard:\n    required: [WA]\n",
            FormatVersion::V2025,
        );
        let accepted = e.applying("accepted/a.py");
        assert_eq!(accepted.rules.len(), 1, "authors alone is no requirement");
        assert_eq!(accepted.rules[0].permitted, Some(vec![Outcome::AC]));
        let tle = e.applying("time_limit_exceeded/slow.cc");
        assert_eq!(
            tle.rules[0].permitted,
            Some(vec![Outcome::AC, Outcome::WA, Outcome::TLE])
        );
        assert_eq!(tle.rules[0].required, Some(vec![Outcome::TLE]));
        let easy = e.applying("wrong_answer/solves_easy.py");
        assert_eq!(easy.language.as_deref(), Some("python3"));
        assert_eq!(easy.rules.len(), 3);
        assert_eq!(easy.rules[1].cases.as_deref(), Some("sample"));
        assert_eq!(easy.rules[2].required, Some(vec![Outcome::WA]));
        assert!(e.applying("notes/x.py").rules.is_empty());
    }

    #[test]
    fn bad_entries_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("submissions")).unwrap();
        let file = dir.path().join("submissions/submissions.yaml");
        std::fs::write(&file, "accepted:\n  permitted: [AC, OK]\n").unwrap();
        let e = load(dir.path(), FormatVersion::V2025).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("accepted.permitted"));
        assert!(e.message.contains("unknown verdict `OK`"), "{e}");
        std::fs::write(&file, "accepted:\n  permited: [AC]\n").unwrap();
        let e = load(dir.path(), FormatVersion::V2025).unwrap_err();
        assert!(e.message.contains("unknown key `permited`"), "{e}");
    }
}
