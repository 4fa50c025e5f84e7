//! The judge's cache directory: built runtimes, compiled binaries, reference answers.
//!
//! `JUDGE_CACHE_DIR` overrides the location; otherwise `$XDG_CACHE_HOME/judge` or
//! `~/.cache/judge`. Entries are written to a temporary name and renamed into place, so a
//! judge killed mid-write never leaves a half entry that a later run trusts.
//!
//! Boxes write as uid 65534 into work dirs under `tmp/`; nothing outside `tmp/` is theirs.
//! What a box made reaches the cache only as a new file the judge creates and fills
//! (`Cache::store_box_file`), so a box that could reach the cache still could not rewrite
//! another submission's binary. Every hit touches its entry's mtime: that is its last use,
//! which `prune` removes by (atime is unreliable under relatime and noatime).

mod files;
mod folders;
pub mod prune;

pub use files::{
    digest, effective_uid, hex, is_own_file, make_dir, open_box_file, store_box_file, touch,
    BINARY_MODE, CAP_STAMP, FILE_MODE,
};
pub use folders::Cache;
