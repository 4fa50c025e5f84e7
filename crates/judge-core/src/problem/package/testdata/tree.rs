//! The test data as a tree: groups in name order holding cases and subgroups.

use std::path::PathBuf;

use super::grading::{Grading, ValidatorArgs};

/// One test case: its input and answer files.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// Its path under `data/` without the extension (`secret/group1/01-small`).
    pub name: String,
    pub input: PathBuf,
    pub answer: PathBuf,
    /// Its own `.yaml` (2023-07 and later), over its group's settings.
    pub settings: Option<CaseSettings>,
}

/// A case's own settings: each set key replaces its group's.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseSettings {
    pub args: Option<Vec<String>>,
    pub output_validator_args: Option<Vec<String>>,
    pub input_validator_args: Option<ValidatorArgs>,
    pub hint: Option<String>,
    pub description: Option<String>,
}

/// A folder of test data: cases and subgroups, in the lexicographic order of their names.
#[derive(Debug, Clone, PartialEq)]
pub struct TestGroup {
    /// Its path under `data/` (`secret`, `secret/group1`).
    pub name: String,
    pub grading: Grading,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Case(TestCase),
    Group(TestGroup),
}

impl TestGroup {
    /// Every case in the group and its subgroups, in judging order.
    pub fn cases(&self) -> Vec<&TestCase> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a TestCase>) {
        for item in &self.items {
            match item {
                Item::Case(c) => out.push(c),
                Item::Group(g) => g.collect(out),
            }
        }
    }

    /// Every group, this one first, depth first.
    pub fn groups(&self) -> Vec<&TestGroup> {
        let mut out = vec![self];
        for item in &self.items {
            if let Item::Group(g) = item {
                out.extend(g.groups());
            }
        }
        out
    }

    /// The group that directly holds the case named `case`.
    pub fn group_of(&self, case: &str) -> Option<&TestGroup> {
        self.groups().into_iter().find(|g| {
            g.items
                .iter()
                .any(|i| matches!(i, Item::Case(c) if c.name == case))
        })
    }
}
