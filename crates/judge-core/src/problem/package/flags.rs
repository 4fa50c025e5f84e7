//! The default output validator's flags (`validator_flags` in problem.yaml and a group's
//! `output_validator_flags`), checked when the package loads so a misspelt flag is the
//! author's error before any submission is judged.

/// A flag the default validator does not take, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagError {
    #[error("`{0}` needs a number after it")]
    MissingNumber(String),
    #[error("`{flag}` needs a non-negative number, found `{found}`")]
    BadNumber { flag: String, found: String },
    #[error(
        "unknown flag `{0}` for the default output validator (it takes case_sensitive, space_change_sensitive, float_relative_tolerance ε, float_absolute_tolerance ε, float_tolerance ε)"
    )]
    Unknown(String),
}

/// How the default validator compares an output with the answer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DefaultFlags {
    /// `case_sensitive`: `Yes` is not `yes`.
    pub case_sensitive: bool,
    /// `space_change_sensitive`: whitespace must match exactly, not just separate tokens.
    pub space_change_sensitive: bool,
    /// `float_relative_tolerance ε` (or `float_tolerance ε`).
    pub float_relative: Option<f64>,
    /// `float_absolute_tolerance ε` (or `float_tolerance ε`).
    pub float_absolute: Option<f64>,
}

impl DefaultFlags {
    /// Reads the flags; the error says which word is wrong.
    pub fn parse(words: &[String]) -> Result<DefaultFlags, FlagError> {
        let mut flags = DefaultFlags::default();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let mut tolerance = || -> Result<f64, FlagError> {
                let value = words
                    .next()
                    .ok_or_else(|| FlagError::MissingNumber(word.clone()))?;
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| *v >= 0.0 && v.is_finite())
                    .ok_or_else(|| FlagError::BadNumber {
                        flag: word.clone(),
                        found: value.clone(),
                    })
            };
            match word.as_str() {
                "case_sensitive" => flags.case_sensitive = true,
                "space_change_sensitive" => flags.space_change_sensitive = true,
                "float_relative_tolerance" => flags.float_relative = Some(tolerance()?),
                "float_absolute_tolerance" => flags.float_absolute = Some(tolerance()?),
                "float_tolerance" => {
                    let eps = tolerance()?;
                    flags.float_relative = Some(eps);
                    flags.float_absolute = Some(eps);
                }
                other => return Err(FlagError::Unknown(other.to_string())),
            }
        }
        Ok(flags)
    }

    /// Whether floats are compared with a tolerance (else every token must match).
    pub fn floats(&self) -> bool {
        self.float_relative.is_some() || self.float_absolute.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn every_flag_is_read() {
        let f = DefaultFlags::parse(&words("case_sensitive space_change_sensitive float_relative_tolerance 1e-6 float_absolute_tolerance 0.5")).unwrap();
        assert!(f.case_sensitive && f.space_change_sensitive);
        assert_eq!(f.float_relative, Some(1e-6));
        assert_eq!(f.float_absolute, Some(0.5));
        let f = DefaultFlags::parse(&words("float_tolerance 1e-4")).unwrap();
        assert_eq!(
            (f.float_relative, f.float_absolute),
            (Some(1e-4), Some(1e-4))
        );
        assert_eq!(DefaultFlags::parse(&[]).unwrap(), DefaultFlags::default());
    }

    #[test]
    fn bad_flags_are_named() {
        let e = DefaultFlags::parse(&words("case_sensitve")).unwrap_err();
        assert_eq!(e, FlagError::Unknown("case_sensitve".into()));
        assert!(
            e.to_string().contains("unknown flag `case_sensitve`"),
            "{e}"
        );
        let e = DefaultFlags::parse(&words("float_tolerance")).unwrap_err();
        assert!(e.to_string().contains("needs a number"), "{e}");
        let e = DefaultFlags::parse(&words("float_tolerance -1")).unwrap_err();
        assert!(
            e.to_string().contains("non-negative number, found `-1`"),
            "{e}"
        );
    }
}
