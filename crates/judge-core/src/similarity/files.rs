//! The submissions a comparison is pointed at: files, and folders walked for files of a
//! known language (hidden entries and symbolic links passed over, so a folder cannot lead
//! the walk out of itself or round in a loop).

use std::path::{Path, PathBuf};

use super::lexer::{known_extensions, language_for};
use super::{Skipped, Submission};

/// Files larger than this are passed over: no submission is a megabyte of code.
pub const LARGEST_FILE: u64 = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SimilarityError {
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    /// A file named on the command line whose language is not known.
    #[error("{}: not a language the comparison knows (it knows files ending in {})", .0.display(), known_extensions())]
    UnknownType(PathBuf),
    #[error("{} holds no submissions: no file ending in {} (hidden files and links are passed over)", .0.display(), known_extensions())]
    EmptyFolder(PathBuf),
    #[error("{} is larger than {} KiB: not a submission", .0.display(), LARGEST_FILE >> 10)]
    TooLarge(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("nothing to compare: {found} submission(s) found, at least two are needed")]
    TooFew { found: usize },
}

/// The submissions under `paths` (files, or folders walked), each named by its path; and
/// the files of folders that were passed over, with why.
pub fn collect(paths: &[PathBuf]) -> Result<(Vec<Submission>, Vec<Skipped>), SimilarityError> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| SimilarityError::NotFound(path.clone()))?;
        if meta.is_dir() {
            let before = found.len();
            walk(path, &mut found, &mut skipped)?;
            if found.len() == before {
                return Err(SimilarityError::EmptyFolder(path.clone()));
            }
        } else {
            let name = path.to_string_lossy();
            if language_for(&name).is_none() {
                return Err(SimilarityError::UnknownType(path.clone()));
            }
            if meta.len() > LARGEST_FILE {
                return Err(SimilarityError::TooLarge(path.clone()));
            }
            found.push(read(path)?);
        }
    }
    if found.len() < 2 {
        return Err(SimilarityError::TooFew { found: found.len() });
    }
    Ok((found, skipped))
}

fn read(path: &Path) -> Result<Submission, SimilarityError> {
    let bytes = std::fs::read(path).map_err(|source| SimilarityError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.to_string_lossy().into_owned();
    let language =
        language_for(&name).ok_or_else(|| SimilarityError::UnknownType(path.to_path_buf()))?;
    Ok(Submission {
        name,
        language,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Every file of a known language under `dir`, in path order.
fn walk(
    dir: &Path,
    found: &mut Vec<Submission>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), SimilarityError> {
    let mut files: Vec<(PathBuf, u64)> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| SimilarityError::Read {
            path: folder.clone(),
            source,
        })?;
        for path in entries.flatten().map(|e| e.path()) {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if hidden || meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                stack.push(path);
            } else {
                files.push((path, meta.len()));
            }
        }
    }
    files.sort();
    for (path, len) in files {
        let name = path.to_string_lossy().into_owned();
        let why = if language_for(&name).is_none() {
            "not a language the comparison knows"
        } else if len > LARGEST_FILE {
            "larger than 1 MiB"
        } else {
            found.push(read(&path)?);
            continue;
        };
        skipped.push(Skipped {
            name,
            why: why.to_string(),
        });
    }
    Ok(())
}
