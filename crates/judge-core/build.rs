//! Bundles the bank (`problems/`, `reference/`) into the judge, so that a `judge` installed
//! with `cargo install` (whose source folder may be gone) still has its problems:
//! `src/problem/bank.rs` unpacks them on first need into a folder named after their hash.
//!
//! A build script rather than a crate such as `include_dir`: a proc macro cannot tell cargo
//! to rebuild when a file is added to a folder (this script says `rerun-if-changed` on the
//! folders, which cargo scans whole), and the content hash the unpacked folder is named
//! after is computed here once, not at every start.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const FOLDERS: [&str; 2] = ["problems", "reference"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // The bank lives at the workspace's root, two folders above this crate.
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../..");
    let mut files = Vec::new();
    for folder in FOLDERS {
        println!("cargo::rerun-if-changed={}", root.join(folder).display());
        walk(&root, &root.join(folder), &mut files);
    }
    files.sort();
    let mut hash = Sha256::new();
    let mut table = String::from(
        "/// Every file of the bundled bank: (path relative to the bank, contents), by path.\n\
         pub(super) const FILES: &[(&str, &[u8])] = &[\n",
    );
    for relative in &files {
        let bytes = std::fs::read(root.join(relative))
            .unwrap_or_else(|e| panic!("reading {relative}: {e}"));
        hash.update(relative.as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
        let full = root.join(relative);
        let full = full.to_str().expect("checked by walk");
        let _ = writeln!(table, "    ({relative:?}, include_bytes!({full:?})),");
    }
    table.push_str("];\n");
    let mut digest = String::new();
    for b in hash.finalize().iter().take(8) {
        let _ = write!(digest, "{b:02x}");
    }
    let _ = writeln!(
        table,
        "/// The files' hash: the unpacked bank's folder is named after it.\n\
         pub(super) const HASH: &str = {digest:?};"
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("bundled_bank.rs"), table).expect("writing OUT_DIR/bundled_bank.rs");
}

/// Regular files under `dir` (dotfiles such as editors' swap files left out), as paths
/// relative to `root` with `/` separators. A missing folder adds nothing: the judge then
/// has no bundled bank and says so when it finds no other.
fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if kind.is_dir() {
            walk(root, &path, files);
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .expect("under the root")
                .to_str()
                .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()));
            files.push(relative.to_string());
        }
    }
}
