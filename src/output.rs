//! Writing outputs safely: every file is written to a temporary file beside its target and
//! renamed into place, so a failed or killed run leaves either the old output or the new one,
//! never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Prefix of the temporary files bindery creates; [`remove_stale_temporaries`] clears leftovers
/// of runs that were killed.
pub const TEMP_PREFIX: &str = ".bindery-tmp-";

/// Writes `bytes` to `path` atomically (temporary file + rename). Creates missing parent
/// directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "cannot create directory", e))?;
    // The process id in the name lets [`remove_stale_temporaries`] tell a killed run's leftovers
    // from the live temporary of a concurrent run.
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, "cannot create a temporary file in", e))?;
    // No fsync: the rename is atomic against a killed process, which is the failure this
    // guards against; syncing every file would make a site build wait on the disk hundreds of
    // times.
    // Through the plain file: `NamedTempFile`'s own `Write` adds the temporary's path to its
    // errors, and a user should read about the output they asked for.
    temp.as_file_mut()
        .write_all(bytes)
        .map_err(|e| Error::io(path, "cannot write", e))?;
    // Temporary files are private (0600); an output gets the permissions of the file it
    // replaces, or the usual 0644.
    let permissions = std::fs::metadata(path)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| default_permissions());
    temp.as_file()
        .set_permissions(permissions)
        .map_err(|e| Error::io(path, "cannot set permissions of", e))?;
    temp.persist(path)
        .map_err(|e| Error::io(path, "cannot replace", e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> std::fs::Permissions {
    tempfile::tempfile()
        .and_then(|f| f.metadata())
        .map(|m| m.permissions())
        .expect("a temporary file has permissions")
}

/// Removes temporary files left in `dir` by runs that were killed before they could rename them.
/// A temporary whose writer is still running (another bindery writing into the same folder) is
/// left alone.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        let writer = rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        if writer.is_some_and(process_is_alive) {
            continue;
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

/// Removes stale temporaries (see [`remove_stale_temporaries`]) in `dir` and every folder below
/// it, as a build writes into `site/`, `site/img/...` and `text/` as well as the top. Symbolic
/// links are not followed: only what bindery itself created is swept.
pub fn remove_stale_temporaries_below(dir: &Path) {
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        remove_stale_temporaries(&folder);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.push(entry.path());
            }
        }
    }
}

/// Whether a process with this id runs (on Linux, through `/proc`; elsewhere every writer is
/// presumed gone, as before process ids were recorded).
fn process_is_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Whether two paths name the same file (used to refuse writing over an input).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.txt");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.txt"]);
    }

    #[test]
    fn stale_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(format!("{TEMP_PREFIX}x")), b"partial").unwrap();
        // A pid that cannot be running (above Linux's pid_max) marks a killed writer.
        std::fs::write(dir.path().join(format!("{TEMP_PREFIX}4999999-ab")), b"x").unwrap();
        std::fs::write(dir.path().join("keep.html"), b"ok").unwrap();
        remove_stale_temporaries(dir.path());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporaries_are_removed_in_every_folder_below() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("site/img/logos");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir_all(dir.path().join("text")).unwrap();
        for folder in [dir.path(), &deep, &dir.path().join("text")] {
            std::fs::write(folder.join(format!("{TEMP_PREFIX}4999999-ab")), b"x").unwrap();
            std::fs::write(folder.join("keep"), b"ok").unwrap();
        }
        remove_stale_temporaries_below(dir.path());
        for folder in [dir.path(), &deep, &dir.path().join("text")] {
            let files: Vec<_> = std::fs::read_dir(folder)
                .unwrap()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().unwrap().is_file())
                .map(|e| e.file_name())
                .collect();
            assert_eq!(files, ["keep"], "{}", folder.display());
        }
    }

    #[test]
    fn temporaries_of_live_writers_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir
            .path()
            .join(format!("{TEMP_PREFIX}{}-xy", std::process::id()));
        std::fs::write(&live, b"being written").unwrap();
        remove_stale_temporaries(dir.path());
        assert!(live.exists());
    }
}
