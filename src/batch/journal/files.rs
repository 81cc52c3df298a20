//! `--out-dir` reply files: where each goes, names shortened to what the file system takes,
//! and atomic writes (a temp file renamed), so a file is either absent or complete.

use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The longest file name assumed when the file system does not say (`NAME_MAX` on Linux
/// and macOS file systems).
const DEFAULT_NAME_MAX: usize = 255;

/// Writes `content` to `path` atomically: a temp file in the same directory, then rename.
/// The file gets the permissions any new file gets (the umask applies), like a file the
/// user created.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    write_atomic_with(path, content, None)
}

pub(super) fn write_atomic_with(
    path: &Path,
    content: &[u8],
    mode: Option<std::fs::Permissions>,
) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".qwen-tmp-")
        // 0666 minus the umask, as `open(2)` gives any new file (tempfile's default is 0600).
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    if let Some(mode) = mode {
        tmp.as_file().set_permissions(mode)?;
    }
    tmp.write_all(content)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Returns where an input's result goes under `--out-dir`: the input's path (made safe)
/// plus the extension, appended so `a.py` and `a.rs` never collide.
pub fn out_path(dir: &Path, input: &Path, ext: &str) -> PathBuf {
    let rel = crate::batch::inputs::relative_for_output(input);
    let ext = ext.trim_start_matches('.');
    let mut name = rel.into_os_string();
    if !ext.is_empty() {
        name.push(".");
        name.push(ext);
    }
    dir.join(name)
}

/// Returns the longest file name the file system under `dir` takes.
pub fn name_max(dir: &Path) -> usize {
    let _ = std::fs::create_dir_all(dir);
    nix::unistd::pathconf(dir, nix::unistd::PathconfVar::NAME_MAX)
        .ok()
        .flatten()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 40)
        .unwrap_or(DEFAULT_NAME_MAX)
}

/// Shortens every component of `rel` longer than `max` bytes to a prefix, `~`, a hash of
/// the whole component and its extension, so long names still map to distinct files.
pub fn fit_name(rel: &Path, max: usize) -> PathBuf {
    rel.components()
        .map(|c| {
            let name = c.as_os_str();
            if name.len() <= max {
                return name.to_os_string();
            }
            let bytes = name.as_bytes();
            let hash = hex::encode(&Sha256::digest(bytes)[..8]);
            let ext = match bytes.iter().rposition(|&b| b == b'.') {
                Some(at) if at > 0 && bytes.len() - at <= 16 => &bytes[at..],
                _ => &[][..],
            };
            let mut keep = max.saturating_sub(1 + hash.len() + ext.len());
            // Cut at a character boundary when the name is text.
            if let Ok(text) = std::str::from_utf8(bytes) {
                while !text.is_char_boundary(keep) {
                    keep -= 1;
                }
            }
            let mut short = bytes[..keep].to_vec();
            short.push(b'~');
            short.extend_from_slice(hash.as_bytes());
            short.extend_from_slice(ext);
            OsString::from_vec(short)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_and_out_paths() {
        let dir = tempfile::tempdir().unwrap();
        let target = out_path(dir.path(), Path::new("../docs/a.py"), ".md");
        assert_eq!(target, dir.path().join("docs/a.py.md"));
        write_atomic(&target, b"hello").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello");
        let leftovers = std::fs::read_dir(target.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn long_names_are_shortened_with_a_hash_and_keep_their_extension() {
        let long = format!("{}.md", "é".repeat(200));
        let short = fit_name(Path::new(&long), 255);
        let name = short.to_str().unwrap();
        assert!(name.len() <= 255, "{}", name.len());
        assert!(name.ends_with(".md") && name.contains('~'), "{name}");
        let other = fit_name(Path::new(&format!("{}x.md", "é".repeat(200))), 255);
        assert_ne!(short, other, "distinct names stay distinct");
        assert_eq!(fit_name(Path::new("d/a.md"), 255), Path::new("d/a.md"));
    }
}
