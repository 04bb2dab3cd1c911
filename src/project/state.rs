//! What the last build made from what: content hashes of every input and, per output, the hash
//! of everything it was made from. Stored as JSON in the output folder, so a second build with
//! nothing changed does no conversion work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// The state file's name, inside the output folder.
pub const STATE_FILE: &str = ".bindery-state.json";

/// A 64-bit content hash (xxh3), as hex in the state file.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Combines hashes (order matters).
pub fn combine(parts: &[u64]) -> u64 {
    let bytes: Vec<u8> = parts.iter().flat_map(|p| p.to_le_bytes()).collect();
    hash_bytes(&bytes)
}

/// One input file as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since 1970.
    pub mtime_ns: u128,
    /// Content hash.
    pub hash: u64,
}

/// The state of one output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildState {
    /// Format version; a different version means a full rebuild.
    pub version: u32,
    /// Hash of the configuration and options that affect every output.
    pub config: u64,
    /// The documents of the last build, in order.
    pub sources: Vec<PathBuf>,
    /// Every input read (documents, images, templates, stylesheets, fonts, config).
    pub inputs: BTreeMap<PathBuf, InputStamp>,
    /// Every output written and verified on disk, relative to the output folder.
    pub outputs: BTreeMap<PathBuf, OutputStamp>,
    /// Whether every document was read and every output written. A build that had a failure
    /// is never taken as up to date, so the next one retries (and reports) what failed.
    pub complete: bool,
    /// The warnings of the last full build, as shown, replayed by a build that does nothing
    /// (so `--strict` gives the same answer whether or not the outputs were up to date).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Highlighted code blocks by content hash, for the blocks worth keeping
    /// (`project::highlights`).
    #[serde(default)]
    pub highlights: BTreeMap<u64, crate::highlight::Tokens>,
}

/// The current format version.
pub const VERSION: u32 = 2;

/// One output as the build left it: what it was made from and what was on disk after the
/// rename. An output whose file no longer matches is rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputStamp {
    /// Hash of everything the output was made from.
    pub key: u64,
    /// The file as written.
    pub file: InputStamp,
}

impl OutputStamp {
    /// Stamps `path`, just written with `bytes`: the file must be a regular file of exactly
    /// that size, or the write is not taken as done.
    pub fn written(key: u64, path: &Path, bytes: &[u8]) -> std::io::Result<OutputStamp> {
        let metadata = std::fs::symlink_metadata(path)?;
        if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
            return Err(std::io::Error::other(format!(
                "the file on disk has {} bytes instead of {}",
                metadata.len(),
                bytes.len()
            )));
        }
        Ok(OutputStamp {
            key,
            file: InputStamp {
                size: metadata.len(),
                mtime_ns: mtime_ns(&metadata),
                hash: hash_bytes(bytes),
            },
        })
    }

    /// Whether `path` still holds what was written: same size, and the same modification time
    /// or (when the time changed) the same content.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(metadata) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !metadata.is_file() || metadata.len() != self.file.size {
            return false;
        }
        mtime_ns(&metadata) == self.file.mtime_ns
            || std::fs::read(path).is_ok_and(|bytes| hash_bytes(&bytes) == self.file.hash)
    }
}

fn mtime_ns(metadata: &std::fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

impl BuildState {
    /// Loads the state of `out_dir`; a missing or unreadable state is an empty one.
    pub fn load(out_dir: &Path) -> BuildState {
        std::fs::read(out_dir.join(STATE_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<BuildState>(&bytes).ok())
            .filter(|state| state.version == VERSION)
            .unwrap_or_default()
    }

    /// Serialises the state (sorted keys: byte-identical for the same build).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("the state serialises")
    }
}

/// Stats and hashes input files, reusing the last build's hash when size and time are
/// unchanged (so a warm build reads only what changed).
pub struct InputCache<'a> {
    previous: &'a BTreeMap<PathBuf, InputStamp>,
    /// What this build saw.
    pub seen: BTreeMap<PathBuf, InputStamp>,
}

impl<'a> InputCache<'a> {
    /// A cache over the last build's stamps.
    pub fn new(previous: &'a BTreeMap<PathBuf, InputStamp>) -> Self {
        InputCache {
            previous,
            seen: BTreeMap::new(),
        }
    }

    /// The content hash of `path`, or `None` if it cannot be read.
    pub fn hash(&mut self, path: &Path) -> Option<u64> {
        if let Some(stamp) = self.seen.get(path) {
            return Some(stamp.hash);
        }
        let metadata = std::fs::metadata(path).ok()?;
        // A pipe or a device would block or never end: only regular files are inputs.
        if !metadata.is_file() {
            return None;
        }
        let mtime_ns = mtime_ns(&metadata);
        let size = metadata.len();
        let hash = match self.previous.get(path) {
            Some(old) if old.size == size && old.mtime_ns == mtime_ns => old.hash,
            _ => hash_bytes(&std::fs::read(path).ok()?),
        };
        self.seen.insert(
            path.to_path_buf(),
            InputStamp {
                size,
                mtime_ns,
                hash,
            },
        );
        Some(hash)
    }

    /// Records a file whose bytes are already in memory.
    pub fn record(&mut self, path: &Path, bytes: &[u8]) -> u64 {
        let metadata = std::fs::metadata(path).ok();
        let hash = hash_bytes(bytes);
        self.seen.insert(
            path.to_path_buf(),
            InputStamp {
                size: bytes.len() as u64,
                mtime_ns: metadata.as_ref().map_or(0, mtime_ns),
                hash,
            },
        );
        hash
    }
}
