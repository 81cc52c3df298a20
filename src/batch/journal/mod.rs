//! Where batch results go, and how `--resume` finds what is already done.
//!
//! The JSONL result file doubles as the journal: every finished item is one line, written
//! whole and flushed before the next, so a process killed at any moment leaves at most one
//! torn last line, which resume cuts off before appending. With `--out-dir` the journal is
//! `DIR/.qwen-batch.jsonl`; with `--ordered -o FILE` it is a side file beside `FILE` that
//! takes each line as its item finishes (the `-o` line may wait for order). Resume appends
//! to `-o` whatever the journal holds and `-o` lacks, so no finished item is lost or paid
//! for twice. `--out-dir` files are written to a temp file and renamed, so they are either
//! absent or complete.
//!
//! Each results file is guarded by an advisory lock on a hidden file beside it that holds
//! the owner's pid, so two runs never write (or bill) the same results.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::exit::UsageError;

mod files;
mod lock;
mod sink;

pub use files::{fit_name, name_max, out_path, write_atomic};
pub use sink::{Opened, Sink, compact, open};

/// The journal kept inside an `--out-dir`.
pub const OUT_DIR_JOURNAL: &str = ".qwen-batch.jsonl";

/// Where a run writes, as its command line says.
#[derive(Debug, Clone, Copy)]
pub struct OutputSpec<'a> {
    /// `-o FILE`.
    pub output: Option<&'a Path>,
    /// `--out-dir DIR`.
    pub out_dir: Option<&'a Path>,
    /// Continue earlier results (`--resume`, `qwen batch fetch`).
    pub resume: bool,
    /// `--force`: replace earlier results.
    pub force: bool,
    /// `--ordered`: `-o` lines may wait, so finished items need a journal of their own.
    pub ordered: bool,
}

impl OutputSpec<'_> {
    /// Returns the `--out-dir` journal, if there is an out dir.
    pub fn out_dir_journal(&self) -> Option<PathBuf> {
        self.out_dir.map(|dir| dir.join(OUT_DIR_JOURNAL))
    }

    /// Returns the side journal of `-o` (used when there is no `--out-dir` journal).
    fn side_journal(&self) -> Option<PathBuf> {
        match (self.out_dir, self.output) {
            (None, Some(output)) if regular_or_missing(output) => Some(beside(output, "journal")),
            _ => None,
        }
    }

    /// The files this run writes results to, with how to name them in messages.
    fn results_files(&self) -> Vec<(String, PathBuf)> {
        let mut files = Vec::new();
        if let Some(output) = self.output {
            files.push((format!("`-o {}`", output.display()), output.to_path_buf()));
        }
        if let (Some(dir), Some(journal)) = (self.out_dir, self.out_dir_journal()) {
            files.push((
                format!(
                    "`--out-dir {}` (its journal `{}`)",
                    dir.display(),
                    journal.display()
                ),
                journal,
            ));
        }
        files
    }
}

/// A file's identity: device and inode, so symlinks and hard links are seen through.
pub type FileId = (u64, u64);

/// Returns the identity of the file at `path` (following symlinks), if it exists.
pub fn file_id(path: &Path) -> Option<FileId> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Returns `path` resolved as far as it exists: the file itself, or its directory plus its
/// name, so two spellings of a file not created yet still compare equal.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            match std::fs::canonicalize(parent) {
                Ok(dir) => dir.join(name),
                Err(_) => super::inputs::normalize(path),
            }
        }
        _ => super::inputs::normalize(path),
    }
}

/// True when `a` and `b` name the same file (or, when either is missing, the same place).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (file_id(a), file_id(b)) {
        (Some(x), Some(y)) => x == y,
        _ => resolve(a) == resolve(b),
    }
}

/// True for a regular file, or a path where nothing exists yet.
fn regular_or_missing(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => meta.is_file(),
        Err(_) => true,
    }
}

/// Returns the hidden file beside `path` named after it: `dir/.NAME.SUFFIX`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let real = resolve(path);
    let name = real.file_name().unwrap_or(OsStr::new("results"));
    let name = name
        .as_bytes()
        .strip_prefix(b".")
        .unwrap_or(name.as_bytes());
    let mut file = OsString::from(".");
    file.push(OsStr::from_bytes(name));
    file.push(".");
    file.push(suffix);
    real.with_file_name(file)
}

/// Refuses, before anything is opened for writing, a run that would destroy its own
/// inputs or earlier results, or read back a stream it writes.
///
/// `inputs` are the files the run reads (`-` is standard input).
pub fn check(spec: &OutputSpec<'_>, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let results = spec.results_files();
    if spec.resume {
        for (label, path) in &results {
            if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
                return Err(UsageError::new(
                    format!("`--resume` reads back {label}, which is not a regular file"),
                    Some("resume from a results file, or drop `--resume`".into()),
                )
                .into());
            }
        }
    }
    for input in inputs {
        let (shown, id) = if input.as_os_str() == "-" {
            // Standard input redirected from the results file would be emptied by them.
            let id = std::fs::metadata("/dev/stdin")
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| (m.dev(), m.ino()));
            ("standard input".to_owned(), id)
        } else {
            (format!("`{}`", input.display()), file_id(input))
        };
        let Some(id) = id else { continue };
        for (label, path) in &results {
            if file_id(path) == Some(id) {
                return Err(UsageError::new(
                    format!(
                        "{label} is {shown}, an input of this run: writing results there would erase it"
                    ),
                    Some("write the results to another file".into()),
                )
                .into());
            }
        }
    }
    if let [(a, pa), (b, pb)] = &results[..]
        && same_file(pa, pb)
    {
        return Err(UsageError::new(
            format!("{a} and {b} are the same file"),
            Some("write the results to another file".into()),
        )
        .into());
    }
    // Whatever the flags: a file that holds something other than result lines (an input
    // the walk leaves out, `qwen batch d -o d/a.txt`) is never appended to or replaced.
    for (label, path) in &results {
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0) && !holds_results(path)
        {
            return Err(UsageError::new(
                format!(
                    "{label} is not a results file (its first line is not a result line): \
                     writing results there would erase it"
                ),
                Some("write the results to another file".into()),
            )
            .into());
        }
    }
    if !spec.resume && !spec.force {
        for (label, path) in &results {
            if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0) {
                return Err(UsageError::new(
                    format!("{label} holds the results of an earlier run"),
                    Some("pass `--resume` to continue them, or `--force` to replace them".into()),
                )
                .into());
            }
        }
    }
    Ok(())
}

/// True when the first line of the file at `path` is a result line (a JSON object with a
/// `status`), or could be one: a first line longer than what is read, or torn by a killed
/// run, that starts as a JSON object. An unreadable file is left to the open to report.
fn holds_results(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(file) = File::open(path) else {
        return true;
    };
    let mut line = Vec::new();
    if BufReader::new(file.take(64 * 1024))
        .read_until(b'\n', &mut line)
        .is_err()
    {
        return true;
    }
    if !line.ends_with(b"\n") {
        return line.starts_with(b"{\"");
    }
    serde_json::from_slice::<serde_json::Value>(&line)
        .is_ok_and(|v| v.get("status").is_some_and(serde_json::Value::is_string))
}

/// Returns the paths and identities (of those that exist) of every file a run with `spec`
/// writes beside its inputs: results, journals and lock files, so the walk never sends
/// them back, whatever name it finds them under.
pub fn own_files(spec: &OutputSpec<'_>) -> (Vec<PathBuf>, Vec<FileId>) {
    let mut files = Vec::new();
    for (_, path) in spec.results_files() {
        for suffix in ["lock", "journal"] {
            files.push(beside(&path, suffix));
            // The walk compares paths as given, not resolved through symlinks.
            if let (Some(parent), Some(name)) = (path.parent(), beside(&path, suffix).file_name()) {
                files.push(parent.join(name));
            }
        }
        files.push(path);
    }
    let ids = files.iter().filter_map(|p| file_id(p)).collect();
    let paths = files.iter().map(|p| super::inputs::normalize(p)).collect();
    (paths, ids)
}

/// Refuses outputs that would destroy inputs or earlier results (before anything is
/// opened), and returns the paths the walk leaves out: the run's own output file and
/// directory, and where each root's `--out-dir` replies go.
pub fn own_outputs(
    spec: &OutputSpec<'_>,
    read: &[PathBuf],
    roots: &[PathBuf],
    ext: &str,
) -> anyhow::Result<Vec<PathBuf>> {
    check(spec, read)?;
    let mut exclude: Vec<PathBuf> = [spec.output, spec.out_dir]
        .into_iter()
        .flatten()
        .map(super::inputs::normalize)
        .collect();
    exclude.extend(own_files(spec).0);
    let Some(dir) = spec.out_dir else {
        return Ok(exclude);
    };
    for root in roots.iter().filter(|p| p.as_os_str() != "-") {
        // Replies for `root` go to `DIR/<root>/…`: inside the walked tree (`--out-dir docs`
        // over `docs`), that subtree is left out, so a rerun does not send them.
        let mirror = super::inputs::normalize(&dir.join(super::inputs::relative_for_output(root)));
        if root.is_dir() {
            if super::inputs::normalize(root).starts_with(&mirror) {
                return Err(UsageError::new(
                    format!(
                        "`--out-dir {}` would put the replies for `{}` among its files, where a rerun would send them",
                        dir.display(),
                        root.display()
                    ),
                    Some(format!(
                        "choose another `--out-dir`, e.g. `{}`",
                        dir.join("replies").display()
                    )),
                )
                .into());
            }
            exclude.push(mirror);
            continue;
        }
        let target = out_path(dir, root, ext);
        if let Some(input) = read
            .iter()
            .map(PathBuf::as_path)
            .chain(spec.output)
            .find(|p| p.as_os_str() != "-" && same_file(&target, p))
        {
            return Err(UsageError::new(
                format!(
                    "`--out-dir {}` would write the reply for `{}` over `{}`",
                    dir.display(),
                    root.display(),
                    input.display()
                ),
                Some("choose another `--out-dir` or `--ext`".into()),
            )
            .into());
        }
        exclude.push(super::inputs::normalize(&target));
    }
    Ok(exclude)
}

/// What earlier runs left: the keys of finished items and the `--out-dir` files they own.
#[derive(Debug, Default)]
pub struct ResumeState {
    /// Keys of items with an `ok` line (and, under `--out-dir`, their reply file).
    pub done: HashSet<String>,
    /// `--out-dir` files (normalised paths) and the id of the item that owns each one.
    pub claims: HashMap<PathBuf, String>,
}

/// Reads what earlier runs finished, without writing anything (for `--dry-run`).
pub fn read_state(spec: &OutputSpec<'_>) -> anyhow::Result<ResumeState> {
    if !spec.resume {
        return Ok(ResumeState::default());
    }
    if let Some(journal) = spec.out_dir_journal() {
        return state_of(&journal, true);
    }
    let mut state = match spec.output {
        Some(output) if regular_or_missing(output) => state_of(output, false)?,
        _ => ResumeState::default(),
    };
    if let Some(side) = spec.side_journal() {
        state.done.extend(state_of(&side, false)?.done);
    }
    Ok(state)
}

/// Reads a results file's `ok` lines; `files`: an item is done only while its `--out-dir`
/// file exists (a reply the user deleted is made again).
fn state_of(path: &Path, files: bool) -> anyhow::Result<ResumeState> {
    let mut state = ResumeState::default();
    for_each_line(path, |_, value| {
        if value["status"] != "ok" {
            return;
        }
        let file = value["file"].as_str().map(PathBuf::from);
        if let (Some(file), Some(id)) = (&file, value["id"].as_str()) {
            state
                .claims
                .insert(super::inputs::normalize(file), id.to_owned());
        }
        if files && file.as_ref().is_some_and(|f| !f.exists()) {
            return;
        }
        if let Some(key) = value["key"].as_str() {
            state.done.insert(key.to_owned());
        }
    })?;
    Ok(state)
}

/// Calls `f` with every whole JSON line of a results file (none if it is missing).
fn for_each_line(path: &Path, mut f: impl FnMut(&[u8], &serde_json::Value)) -> anyhow::Result<()> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    // Bytes, not `lines()`: a torn last line may end inside a UTF-8 character.
    for line in BufReader::new(file).split(b'\n') {
        let line = line.with_context(|| format!("cannot read `{}`", path.display()))?;
        // A torn last line (the process was killed mid-write) is not valid JSON: skip it.
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) {
            f(&line, &value);
        }
    }
    Ok(())
}

/// Returns the keys of items with an `ok` line in a results file (none if it is missing).
pub fn done_keys(path: &Path) -> anyhow::Result<HashSet<String>> {
    Ok(state_of(path, false)?.done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(output: &Path, resume: bool) -> OutputSpec<'_> {
        OutputSpec {
            output: Some(output),
            out_dir: None,
            resume,
            force: false,
            ordered: false,
        }
    }

    #[test]
    fn resume_reads_ok_keys_and_survives_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(
            &path,
            "{\"key\":\"a\",\"status\":\"ok\"}\n{\"key\":\"b\",\"status\":\"failed\"}\n{\"key\":\"c\",\"sta",
        )
        .unwrap();
        let keys = done_keys(&path).unwrap();
        assert_eq!(keys, HashSet::from(["a".to_owned()]));
        let mut opened = open(&spec(&path, true)).unwrap();
        opened
            .sink
            .out(b"{\"key\":\"c\",\"status\":\"ok\"}")
            .unwrap();
        drop(opened);
        let keys = done_keys(&path).unwrap();
        assert_eq!(keys.len(), 2);
        // The torn fragment is gone: every line is JSON again.
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()),
            "{text}"
        );
        // A tear inside a multi-byte character does not stop resume either.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(
            "{\"key\":\"d\",\"output\":\"日"
                .as_bytes()
                .split_last()
                .unwrap()
                .1,
        );
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(done_keys(&path).unwrap().len(), 2);
        drop(open(&spec(&path, true)).unwrap());
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("}\n"));
        assert!(done_keys(&dir.path().join("missing")).unwrap().is_empty());
    }

    #[test]
    fn compaction_keeps_the_latest_line_per_item() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"key\":\"ka\",\"status\":\"failed\"}\n{\"id\":\"b\",\"key\":\"kb\",\"status\":\"ok\"}\n{\"id\":\"a\",\"key\":\"ka\",\"status\":\"ok\"}\n",
        )
        .unwrap();
        compact(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"id\":\"b\",\"key\":\"kb\",\"status\":\"ok\"}\n{\"id\":\"a\",\"key\":\"ka\",\"status\":\"ok\"}\n"
        );
    }
}
