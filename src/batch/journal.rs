//! Where batch results go, and how `--resume` finds what is already done.
//!
//! The JSONL result file doubles as the journal: every finished item is one line, written
//! whole and flushed before the next, so a process killed at any moment leaves at most one
//! torn last line, which resume cuts off before appending. `--out-dir` files are written to a temp file and
//! renamed, so they are either absent or complete.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// The journal kept inside an `--out-dir`.
pub const OUT_DIR_JOURNAL: &str = ".qwen-batch.jsonl";

/// Returns the keys of items with an `ok` line in a results file (none if it is missing).
pub fn done_keys(path: &Path) -> anyhow::Result<HashSet<String>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let mut keys = HashSet::new();
    // Bytes, not `lines()`: a torn last line may end inside a UTF-8 character.
    for line in BufReader::new(file).split(b'\n') {
        let line = line.with_context(|| format!("cannot read `{}`", path.display()))?;
        // A torn last line (the process was killed mid-write) is not valid JSON: skip it.
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) else {
            continue;
        };
        if value["status"] == "ok"
            && let Some(key) = value["key"].as_str()
        {
            keys.insert(key.to_owned());
        }
    }
    Ok(keys)
}

/// Opens a results file: truncated for a new run, appended to on resume (starting on a
/// fresh line if the last run was killed mid-line).
pub fn open_results(path: &Path, resume: bool) -> anyhow::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .write(true)
        .append(resume)
        .truncate(!resume)
        .open(path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    if resume {
        // Cut a torn last line (a run killed mid-write) so the file stays valid JSONL; the
        // item it belonged to is not done, so it runs again.
        let len = file.metadata()?.len();
        let keep = last_newline(&mut file, len)?.map_or(0, |at| at + 1);
        if keep < len {
            file.set_len(keep)?;
        }
    }
    Ok(file)
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

/// Writes every result line to stdout or a file, and to the out-dir journal if any.
pub struct Sink {
    out: Box<dyn Write>,
    journal: Option<File>,
}

impl Sink {
    /// Creates a sink.
    pub fn new(out: Box<dyn Write>, journal: Option<File>) -> Self {
        Self { out, journal }
    }

    /// Writes one whole line and flushes it, so it survives a crash right after.
    pub fn line(&mut self, line: &[u8]) -> io::Result<()> {
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line);
        buf.push(b'\n');
        if let Some(journal) = &mut self.journal {
            journal.write_all(&buf)?;
        }
        self.out.write_all(&buf)?;
        self.out.flush()
    }
}

/// Writes `content` to `path` atomically: a temp file in the same directory, then rename.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".qwen-tmp-")
        .tempfile_in(dir)?;
    tmp.write_all(content)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Returns where an input's result goes under `--out-dir`: the input's path (made safe)
/// plus the extension, appended so `a.py` and `a.rs` never collide.
pub fn out_path(dir: &Path, input: &Path, ext: &str) -> PathBuf {
    let rel = super::inputs::relative_for_output(input);
    let ext = ext.trim_start_matches('.');
    let mut name = rel.into_os_string();
    if !ext.is_empty() {
        name.push(".");
        name.push(ext);
    }
    dir.join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut f = open_results(&path, true).unwrap();
        f.write_all(b"{\"key\":\"c\",\"status\":\"ok\"}\n").unwrap();
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
        drop(open_results(&path, true).unwrap());
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("}\n"));
        assert!(done_keys(&dir.path().join("missing")).unwrap().is_empty());
    }

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
}
