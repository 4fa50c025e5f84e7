//! The numpy and pandas the judge installs for Python solutions, and the Python versions
//! their wheels are built for: what the packages are made of and what their errors say.

/// The versions the judge installs: wheels exist for CPython 3.10 to 3.13.
pub const NUMPY: &str = "2.2.6";
pub const PANDAS: &str = "2.2.3";
/// The Python versions those wheels are built for (minor versions of Python 3).
pub const SUPPORTED: (u32, u32) = (10, 13);
