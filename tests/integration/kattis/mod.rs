//! Kattis problem packages (issue 19): the real judge on the packages under
//! `tests/fixtures/kattis/` and on small broken ones written here, one per mistake.
//! `package.rs` makes the packages the tests share.

mod commands;
mod format;
mod hostile;
mod package;
mod validators;
mod wild;

pub(crate) use package::{checktestdata_installed, copy_dir, sum_files, SUM_YAML};
