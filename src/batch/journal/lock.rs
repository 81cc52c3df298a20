//! The advisory lock on a hidden file beside each results file, which holds the owner's
//! pid: two runs never write (or bill) the same results.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{beside, file_id};
use crate::exit::UsageError;

/// An advisory lock on a results file, held for the whole run: a hidden file beside it,
/// locked and holding the owner's pid, removed when the run ends. (`kill -9` leaves the
/// file, but the lock dies with the process; the next run takes it over.)
pub(super) struct Lock {
    path: PathBuf,
    _file: File,
    /// The results file itself, locked too: the hidden file is found by name, and another
    /// name of the same file (a hard link) has another hidden file beside it.
    _results: Option<File>,
}

impl Lock {
    /// Takes the lock of `results`, or fails naming the run that holds it. `None` where
    /// the file system has no locks.
    pub(super) fn acquire(results: &Path) -> anyhow::Result<Option<Self>> {
        let path = beside(results, "lock");
        for _ in 0..10 {
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot create the lock file `{}`", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|text| text.trim().parse::<u32>().ok())
                        .map_or("another `qwen` run".to_owned(), |pid| {
                            format!("another `qwen` run (pid {pid})")
                        });
                    return Err(UsageError::new(
                        format!("`{}` is being written by {holder}", results.display()),
                        Some(
                            "wait for that run to end, or write the results somewhere else".into(),
                        ),
                    )
                    .into());
                }
                Err(std::fs::TryLockError::Error(e))
                    if e.kind() == io::ErrorKind::Unsupported
                        || e.raw_os_error() == Some(nix::libc::ENOLCK) =>
                {
                    return Ok(None);
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock `{}`", path.display()));
                }
            }
            // The run before us may have removed the file between our open and our lock:
            // then we hold a lock nobody else can see, so start again.
            let here = file.metadata().map(|m| (m.dev(), m.ino())).ok();
            if here.is_none() || file_id(&path) != here {
                continue;
            }
            file.set_len(0)
                .and_then(|()| writeln!(file, "{}", std::process::id()))
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            let results_file = lock_itself(results)?;
            return Ok(Some(Self {
                path,
                _file: file,
                _results: results_file,
            }));
        }
        anyhow::bail!("cannot lock `{}`: it keeps changing", path.display())
    }
}

/// Locks the results file itself (created, never truncated, here), so that a run writing
/// it under another name is refused too. `None` where the file system has no locks.
fn lock_itself(results: &Path) -> anyhow::Result<Option<File>> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(results)
        .with_context(|| format!("cannot open `{}`", results.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(UsageError::new(
            format!(
                "`{}` is being written by another `qwen` run (under another name: a hard link)",
                results.display()
            ),
            Some("wait for that run to end, or write the results somewhere else".into()),
        )
        .into()),
        Err(std::fs::TryLockError::Error(e))
            if e.kind() == io::ErrorKind::Unsupported
                || e.raw_os_error() == Some(nix::libc::ENOLCK) =>
        {
            Ok(None)
        }
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock `{}`", results.display()))
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so a run waiting on the old file notices it is gone.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let held = Lock::acquire(&path).unwrap().unwrap();
        let err = Lock::acquire(&path).err().unwrap().to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(held);
        assert!(Lock::acquire(&path).unwrap().is_some());
    }

    #[test]
    fn a_hard_link_of_locked_results_is_locked_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let held = Lock::acquire(&path).unwrap().unwrap();
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        let link = dir.path().join("elsewhere/h.jsonl");
        std::fs::hard_link(&path, &link).unwrap();
        let err = Lock::acquire(&link).err().unwrap().to_string();
        assert!(err.contains("another `qwen` run"), "{err}");
        drop(held);
        assert!(Lock::acquire(&link).unwrap().is_some());
    }
}
