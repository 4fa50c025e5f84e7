//! problem.yaml's `constants` (2023-07 and later): named values written once and put into
//! the statement, the validators, the example submissions, included files and
//! `test_group.yaml` wherever `{{name}}` or `{{name.variant}}` appears (`\constant{name}`
//! in a LaTeX statement). A sequence naming no constant is left as written, as the format
//! says. Pure.

use std::collections::BTreeMap;

/// One constant: its `value` and its other spellings (`tex: 5,000,000`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Constant {
    pub value: String,
    pub variants: BTreeMap<String, String>,
}

/// A package's constants by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Constants(pub BTreeMap<String, Constant>);

/// Whether `name` is a constant's name as the format allows: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Constants {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text `name` or `name.variant` stands for.
    fn lookup(&self, reference: &str) -> Option<&str> {
        let (name, variant) = reference
            .split_once('.')
            .map_or((reference, None), |(n, v)| (n, Some(v)));
        let constant = self.0.get(name)?;
        match variant {
            None | Some("value") => Some(&constant.value),
            Some(v) => constant.variants.get(v).map(String::as_str),
        }
    }

    /// `text` with every `{{name}}` and `{{name.variant}}` of a known constant replaced.
    pub fn substitute(&self, text: &str) -> String {
        self.replace_between(text, "{{", "}}")
    }

    /// A LaTeX statement's `\constant{name}` and `{{name}}` replaced.
    pub fn substitute_latex(&self, text: &str) -> String {
        let once = self.replace_between(text, "\\constant{", "}");
        self.substitute(&once)
    }

    fn replace_between(&self, text: &str, open: &str, close: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            out.push_str(&rest[..start]);
            let after = &rest[start + open.len()..];
            let replaced = after.find(close).and_then(|end| {
                let reference = after[..end].trim();
                let well_formed =
                    reference.split('.').count() <= 2 && reference.split('.').all(valid_name);
                well_formed
                    .then(|| self.lookup(reference))
                    .flatten()
                    .map(|v| (v, end))
            });
            if let Some((value, end)) = replaced {
                out.push_str(value);
                rest = &after[end + close.len()..];
            } else {
                out.push_str(open);
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constants() -> Constants {
        let mut map = BTreeMap::new();
        map.insert(
            "k".to_string(),
            Constant {
                value: "5000000".into(),
                variants: [("tex".to_string(), "5,000,000".to_string())].into(),
            },
        );
        map.insert(
            "example_constant".to_string(),
            Constant {
                value: "1".into(),
                variants: BTreeMap::new(),
            },
        );
        Constants(map)
    }

    #[test]
    fn known_sequences_are_replaced_and_others_kept() {
        let c = constants();
        assert_eq!(
            c.substitute("n <= {{k}} ({{k.tex}}, {{ k.value }}) {{missing}} {{k.nope}} {{"),
            "n <= 5000000 (5,000,000, 5000000) {{missing}} {{k.nope}} {{"
        );
        assert_eq!(
            c.substitute("magic = {{example_constant}}\n"),
            "magic = 1\n"
        );
        assert_eq!(
            c.substitute_latex("$N \\pm \\constant{example_constant}$ and \\constant{k.tex}"),
            "$N \\pm 1$ and 5,000,000"
        );
        assert_eq!(Constants::default().substitute("{{k}}"), "{{k}}");
    }

    #[test]
    fn names_follow_the_format() {
        assert!(valid_name("a_1") && valid_name("_x"));
        assert!(!valid_name("1a") && !valid_name("") && !valid_name("a-b"));
    }
}
