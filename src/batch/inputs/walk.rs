//! The directory walk: roots given as arguments or as a list on standard input, streamed
//! with `.gitignore` honoured, `--glob` narrowing, hidden files and depth as asked, special
//! files skipped, and the run's own outputs left out.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use super::{Batcher, Halt, Input, WalkOptions, normalize_in, path_from_bytes};
use crate::exit::UsageError;

pub(super) fn walk_roots(
    roots: &[PathBuf],
    walk: &WalkOptions,
    filter: &GlobFilter,
    batcher: &Batcher,
) -> Result<(), Halt> {
    let mut seen = (roots.len() > 1).then(HashSet::new);
    let mut walk_root = |root: &Path| walk_one(root, walk, filter, &mut seen, batcher);
    for root in roots {
        if root.as_os_str() != "-" {
            walk_root(root)?;
            continue;
        }
        // Paths are bytes on Unix, not text: a name that is not UTF-8 is still a file to
        // send, not the end of the list.
        for line in batcher.stdin().split(b'\n') {
            let mut line = line.map_err(|err| {
                Halt::Failed(UsageError::new(
                    format!("cannot read the list of paths on standard input: {err}"),
                    None,
                ))
            })?;
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if !line.is_empty() {
                walk_root(&path_from_bytes(line))?;
            }
        }
    }
    Ok(())
}

/// `--glob` include and `!`-exclude patterns, matched against the path below its root.
///
/// Not the `ignore` crate's overrides: a matching override wins over `.gitignore`, so
/// `--glob '*.md'` would send ignored files too; here globs only narrow what the ignore
/// rules let through, as in fd.
pub(super) struct GlobFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl GlobFilter {
    pub(super) fn new(globs: &[String]) -> anyhow::Result<Self> {
        let (mut include, mut exclude) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut n_include, mut n_exclude) = (0, 0);
        for pattern in globs {
            let (negated, body) = match pattern.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, pattern.as_str()),
            };
            let glob = Glob::new(body).map_err(|e| {
                crate::exit::UsageError::new(format!("invalid `--glob {pattern}`: {e}"), None)
            })?;
            if negated {
                exclude.add(glob);
                n_exclude += 1;
            } else {
                include.add(glob);
                n_include += 1;
            }
        }
        Ok(Self {
            include: (n_include > 0).then(|| include.build()).transpose()?,
            exclude: (n_exclude > 0).then(|| exclude.build()).transpose()?,
        })
    }

    fn allows(&self, rel: &Path) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|set| set.is_match(rel))
    }
}

/// Walks one root; stops early when the receiver is gone (the run stopped).
fn walk_one(
    root: &Path,
    opts: &WalkOptions,
    filter: &GlobFilter,
    seen: &mut Option<HashSet<PathBuf>>,
    out: &Batcher,
) -> Result<(), Halt> {
    match std::fs::metadata(root) {
        Err(err) => {
            return out.push(Input::Broken {
                id: root.display().to_string(),
                message: format!("cannot read `{}`: {err}", root.display()),
            });
        }
        // A root read from a list on stdin was not checked with the command line's.
        Ok(meta) if is_own_output(&meta, &opts.exclude_files) => {
            return out.push(Input::Broken {
                id: root.display().to_string(),
                message: format!("`{}` is this run's own output", root.display()),
            });
        }
        Ok(_) => {}
    }
    let mut builder = WalkBuilder::new(root);
    let (exclude, files) = (opts.exclude.clone(), opts.exclude_files.clone());
    let cwd = std::env::current_dir().unwrap_or_default();
    builder
        .hidden(!opts.hidden)
        .max_depth(opts.max_depth)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            !is_excluded(entry.path(), &exclude, &cwd) && !is_output_entry(entry, &files)
        });
    if opts.no_ignore {
        builder.standard_filters(false).hidden(!opts.hidden);
    } else {
        // Honour .gitignore even outside a git repository: people point qwen at plain
        // folders too, and a .gitignore there still says what not to send.
        builder.require_git(false);
    }
    for entry in builder.build() {
        // Entries that are not sent (directories, glob misses) still let a waiting engine
        // have what is held: a long stretch of them must not hold ready items back.
        out.hand_over_if_idle();
        let input = match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_dir()) => continue,
            Ok(entry) => {
                // A path named by the user (depth 0) is read whatever it is: a named pipe
                // given on purpose is legitimate. Found by the walk, only files are sent.
                let special = match entry.file_type() {
                    Some(t) if entry.depth() > 0 => special_kind(t, entry.path()),
                    _ => None,
                };
                let path = entry.into_path();
                // A file named as a root is matched by its name (its path below itself is
                // empty, which no glob matches).
                let rel = match path.strip_prefix(root) {
                    Ok(rel) if !rel.as_os_str().is_empty() => rel,
                    _ => path.file_name().map_or(path.as_path(), Path::new),
                };
                if !filter.allows(rel) {
                    continue;
                }
                if let Some(seen) = seen.as_mut()
                    && !seen.insert(path.clone())
                {
                    continue;
                }
                match special {
                    Some(kind) => Input::Skipped {
                        path,
                        reason: format!(
                            "{kind}, not a regular file: a walk sends regular files only \
                             (name it as an argument to read it)"
                        ),
                    },
                    None => Input::File { path },
                }
            }
            Err(err) => Input::Broken {
                id: error_path(&err).unwrap_or_else(|| root.display().to_string()),
                message: err.to_string(),
            },
        };
        out.push(input)?;
    }
    Ok(())
}

/// Names what a walked entry is when it is neither a file nor a directory (following a
/// symlink to see what it points to); `None` for files, and for what cannot be examined
/// (a dangling link fails as its item, with the OS error).
fn special_kind(file_type: std::fs::FileType, path: &Path) -> Option<&'static str> {
    let file_type = if file_type.is_symlink() {
        std::fs::metadata(path).ok()?.file_type()
    } else {
        file_type
    };
    if file_type.is_file() || file_type.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// True when `path` is one of the excluded paths (compared as normalised absolute paths,
/// so outputs that do not exist yet are excluded too, at no syscall per file).
fn is_excluded(path: &Path, exclude: &[PathBuf], cwd: &Path) -> bool {
    !exclude.is_empty() && exclude.contains(&normalize_in(cwd, path))
}

/// True when a walked entry is one of the run's outputs under another name. The inode
/// comes with the directory listing, so only a match (or a symlink) costs a `stat`.
fn is_output_entry(entry: &ignore::DirEntry, files: &[(u64, u64)]) -> bool {
    if files.is_empty() {
        return false;
    }
    let is_link = entry.path_is_symlink();
    if !is_link
        && !entry
            .ino()
            .is_some_and(|ino| files.iter().any(|f| f.1 == ino))
    {
        return false;
    }
    std::fs::metadata(entry.path()).is_ok_and(|meta| is_own_output(&meta, files))
}

fn is_own_output(meta: &std::fs::Metadata, files: &[(u64, u64)]) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    files.contains(&(meta.dev(), meta.ino()))
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}
