//! Problems as data: the types a signature speaks of, case values, loading and validating a
//! problem folder, the bank of folders, and a problem's statement. Nothing here builds or
//! runs a program.

pub mod bank;
pub mod package;
pub mod spec;
pub mod statement;
pub mod types;
pub mod value;
