//! Writing results: the outputs opened and locked, the lines a killed run left half-written
//! cut off, the journal reconciled with `-o` on resume, and one line per item at the end.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::files::write_atomic_with;
use super::lock::Lock;
use super::{OutputSpec, ResumeState, done_keys, for_each_line, read_state, regular_or_missing};

/// The outputs of a run, opened and locked, and what earlier runs left in them.
pub struct Opened {
    /// Where result lines go.
    pub sink: Sink,
    /// What `--resume` skips and which `--out-dir` files are taken.
    pub state: ResumeState,
}

/// Locks and opens a run's outputs (call [`check`] first). Nothing is truncated here: a
/// `--force` run empties its results only when its first line is ready. On resume, the
/// lines the journal holds and `-o` lacks are appended to `-o` first.
pub fn open(spec: &OutputSpec<'_>) -> anyhow::Result<Opened> {
    let journal_path = spec.out_dir_journal();
    let mut locks = Vec::new();
    for path in [spec.output.map(Path::to_path_buf), journal_path.clone()]
        .into_iter()
        .flatten()
    {
        if regular_or_missing(&path) {
            create_parent(&path)?;
            locks.extend(Lock::acquire(&path)?);
        }
    }
    let mut out = match spec.output {
        Some(path) => Out::File(OutFile::open(path, spec.resume)?),
        None => Out::Stdout(io::stdout()),
    };
    let mut journal = match &journal_path {
        Some(path) => Some(OutFile::open(path, spec.resume)?),
        None => None,
    };
    let side = spec.side_journal();
    if spec.resume
        && let Out::File(file) = &mut out
        && file.regular
    {
        match (&journal_path, &side) {
            (Some(journal), _) => reconcile(journal, file)?,
            (None, Some(side)) if side.exists() => {
                cut_torn_line(side)?;
                reconcile(side, file)?;
                std::fs::remove_file(side)
                    .with_context(|| format!("cannot remove `{}`", side.display()))?;
            }
            _ => {}
        }
    }
    let state = read_state(spec)?;
    let mut side_journal = None;
    match side {
        Some(side) if spec.ordered => {
            // A fresh file: what an earlier run left in it was appended to `-o` above (or
            // is replaced along with `-o` by `--force`).
            journal = Some(OutFile::create(&side)?);
            side_journal = Some(side);
        }
        // A journal of results being replaced must not come back on a later resume.
        Some(side) if !spec.resume => {
            let _ = std::fs::remove_file(side);
        }
        _ => {}
    }
    Ok(Opened {
        sink: Sink {
            out,
            journal,
            side_journal,
            locks,
            compact: spec.resume,
        },
        state,
    })
}

pub(super) fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    Ok(())
}

/// Appends to `out` every `ok` line of `journal` whose key `out` lacks: an item whose
/// journal line was written but whose `-o` line was not (killed while it waited for
/// `--ordered`, or the disk filled up in between).
fn reconcile(journal: &Path, out: &mut OutFile) -> anyhow::Result<()> {
    let have = done_keys(&out.path)?;
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    for_each_line(journal, |line, value| {
        if value["status"] == "ok"
            && let Some(key) = value["key"].as_str()
            && !have.contains(key)
            && seen.insert(key.to_owned())
        {
            missing.push(line.to_vec());
        }
    })?;
    for mut line in missing {
        line.push(b'\n');
        out.write_line(&line)?;
    }
    Ok(())
}

/// Cuts a torn last line (a run killed mid-write) so the file stays valid JSONL.
fn cut_torn_line(path: &Path) -> anyhow::Result<()> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    cut_torn(&mut file).with_context(|| format!("cannot repair `{}`", path.display()))
}

fn cut_torn(file: &mut File) -> io::Result<()> {
    // The item the torn line belonged to is not done, so it runs again.
    let len = file.metadata()?.len();
    let keep = last_newline(file, len)?.map_or(0, |at| at + 1);
    if keep < len {
        file.set_len(keep)?;
    }
    Ok(())
}

/// Returns the offset of the last `\n` in the first `len` bytes of `file`.
fn last_newline(file: &mut File, len: u64) -> io::Result<Option<u64>> {
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(at) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(start + at as u64));
        }
        end = start;
    }
    Ok(None)
}

/// A results file being written.
struct OutFile {
    file: File,
    path: PathBuf,
    /// A regular file (not a pipe or a device such as `/dev/stdout`).
    regular: bool,
    /// Empty the file before the first line (a new run over old results, `--force`).
    truncate: bool,
}

impl OutFile {
    /// Opens without truncating; on `append`, cuts a torn last line.
    fn open(path: &Path, append: bool) -> anyhow::Result<Self> {
        create_parent(path)?;
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open `{}`", path.display()))?;
        let regular = file
            .metadata()
            .with_context(|| format!("cannot read `{}`", path.display()))?
            .is_file();
        if append && regular {
            cut_torn(&mut file).with_context(|| format!("cannot repair `{}`", path.display()))?;
        }
        Ok(Self {
            file,
            path: path.to_path_buf(),
            regular,
            truncate: !append && regular,
        })
    }

    /// Creates (or empties) a private file.
    fn create(path: &Path) -> anyhow::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)
            .with_context(|| format!("cannot create `{}`", path.display()))?;
        Ok(Self {
            file,
            path: path.to_path_buf(),
            regular: true,
            truncate: false,
        })
    }

    fn write_line(&mut self, buf: &[u8]) -> anyhow::Result<()> {
        self.write_raw(buf)
            .with_context(|| format!("cannot write `{}`", self.path.display()))
    }

    fn write_raw(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.truncate {
            self.file.set_len(0)?;
            self.truncate = false;
        }
        self.file.write_all(buf)
    }
}

enum Out {
    Stdout(io::Stdout),
    File(OutFile),
}

/// Writes every result line to stdout or `-o FILE`, and to the journal if there is one.
pub struct Sink {
    out: Out,
    /// The `--out-dir` journal, or the `--ordered` side journal of `-o`.
    journal: Option<OutFile>,
    /// The side journal, removed once every line reached `-o`.
    side_journal: Option<PathBuf>,
    locks: Vec<Lock>,
    /// Lines were appended to earlier results: leave one line per item at the end.
    compact: bool,
}

impl Sink {
    /// Records a finished item's line in the journal, as soon as the item finishes (even
    /// when its `-o` line waits for `--ordered`), so resume never sends it again.
    pub fn journal(&mut self, line: &[u8]) -> anyhow::Result<()> {
        if let Some(journal) = &mut self.journal {
            journal.write_line(&with_newline(line))?;
        }
        Ok(())
    }

    /// Writes one whole line to stdout or `-o` and flushes it, so it survives a crash
    /// right after.
    pub fn out(&mut self, line: &[u8]) -> anyhow::Result<()> {
        let buf = with_newline(line);
        match &mut self.out {
            // A closed pipe stays recognisable in the chain (it ends the run quietly).
            Out::Stdout(out) => {
                let mut out = out.lock();
                out.write_all(&buf)
                    .and_then(|()| out.flush())
                    .context("cannot write to standard output")?;
            }
            Out::File(file) => file.write_line(&buf)?,
        }
        Ok(())
    }

    /// Ends the run's output: empties results a `--force` run replaced without writing a
    /// line, removes the side journal, leaves one line per item in results that were
    /// appended to, and releases the locks.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let mut files: Vec<&mut OutFile> = Vec::new();
        if let Out::File(file) = &mut self.out {
            files.push(file);
        }
        if let Some(journal) = &mut self.journal {
            files.push(journal);
        }
        for file in files {
            if file.truncate {
                file.write_line(b"")?;
            }
        }
        if let Some(side) = self.side_journal.take() {
            self.journal = None;
            std::fs::remove_file(&side)
                .with_context(|| format!("cannot remove `{}`", side.display()))?;
        }
        if self.compact {
            if let Out::File(file) = &self.out
                && file.regular
            {
                compact(&file.path)?;
            }
            if let Some(journal) = &self.journal {
                compact(&journal.path)?;
            }
        }
        drop(std::mem::take(&mut self.locks));
        Ok(())
    }
}

fn with_newline(line: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line);
    buf.push(b'\n');
    buf
}

/// Rewrites a results file without the lines a resumed item left behind: a line that is not
/// `ok` is dropped when a later line has the same `key` (the same input; ids such as `line
/// 1` are shared across inputs, and an `ok` line was paid for, so it always stays).
/// Atomic: a temp file, then rename, over the file a symlink points to (the link stays).
pub fn compact(path: &Path) -> anyhow::Result<()> {
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    #[derive(serde::Deserialize)]
    struct Line {
        key: Option<String>,
        status: Option<String>,
    }
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let parsed: Vec<Option<Line>> = lines
        .iter()
        .map(|l| serde_json::from_slice::<Line>(l).ok())
        .collect();
    let mut last = HashMap::new();
    for (i, line) in parsed.iter().enumerate() {
        if let Some(key) = line.as_ref().and_then(|l| l.key.as_deref()) {
            last.insert(key, i);
        }
    }
    let superseded = |i: usize, line: &Option<Line>| {
        line.as_ref().is_some_and(|l| {
            l.status.as_deref() != Some("ok") && l.key.as_deref().is_some_and(|key| last[key] != i)
        })
    };
    if !parsed.iter().enumerate().any(|(i, l)| superseded(i, l)) {
        return Ok(()); // nothing superseded
    }
    let mut kept = Vec::with_capacity(data.len());
    for (i, (line, parsed)) in lines.iter().zip(&parsed).enumerate() {
        if !superseded(i, parsed) {
            kept.extend_from_slice(line);
            kept.push(b'\n');
        }
    }
    let mode = std::fs::metadata(path).map(|m| m.permissions()).ok();
    write_atomic_with(path, &kept, mode)
        .with_context(|| format!("cannot rewrite `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compaction_drops_only_failed_lines_of_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        // Two inputs share the id `line 1` (two JSONL files): different keys, both paid.
        let text = "{\"id\":\"line 1\",\"key\":\"k1\",\"status\":\"ok\"}\n\
                    {\"id\":\"line 1\",\"key\":\"k2\",\"status\":\"failed\"}\n\
                    {\"id\":\"line 1\",\"key\":\"k2\",\"status\":\"ok\"}\n";
        std::fs::write(&path, text).unwrap();
        compact(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"id\":\"line 1\",\"key\":\"k1\",\"status\":\"ok\"}\n\
             {\"id\":\"line 1\",\"key\":\"k2\",\"status\":\"ok\"}\n"
        );
    }

    #[test]
    fn compaction_through_a_symlink_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.jsonl");
        let link = dir.path().join("link.jsonl");
        std::fs::write(
            &real,
            "{\"key\":\"a\",\"status\":\"failed\"}\n{\"key\":\"a\",\"status\":\"ok\"}\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        compact(&link).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(
            std::fs::read_to_string(&real).unwrap(),
            "{\"key\":\"a\",\"status\":\"ok\"}\n"
        );
    }
}
