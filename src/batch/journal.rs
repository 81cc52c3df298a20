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
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::{Digest, Sha256};

use crate::exit::UsageError;

/// The journal kept inside an `--out-dir`.
pub const OUT_DIR_JOURNAL: &str = ".qwen-batch.jsonl";

/// The longest file name assumed when the file system does not say (`NAME_MAX` on Linux
/// and macOS file systems).
const DEFAULT_NAME_MAX: usize = 255;

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

fn create_parent(path: &Path) -> anyhow::Result<()> {
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

/// Rewrites a results file with one line per item, the latest, in place of the lines a
/// resumed item left behind (its earlier `failed` line). Atomic: a temp file, then rename.
pub fn compact(path: &Path) -> anyhow::Result<()> {
    let data = match std::fs::read(path) {
        Ok(data) => data,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    #[derive(serde::Deserialize)]
    struct Id {
        id: Option<String>,
    }
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let ids: Vec<Option<String>> = lines
        .iter()
        .map(|l| serde_json::from_slice::<Id>(l).ok().and_then(|v| v.id))
        .collect();
    let mut last = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            last.insert(id.as_str(), i);
        }
    }
    if last.len() == ids.iter().filter(|id| id.is_some()).count() {
        return Ok(()); // nothing superseded
    }
    let mut kept = Vec::with_capacity(data.len());
    for (i, (line, id)) in lines.iter().zip(&ids).enumerate() {
        if id.as_deref().is_none_or(|id| last[id] == i) {
            kept.extend_from_slice(line);
            kept.push(b'\n');
        }
    }
    let mode = std::fs::metadata(path).map(|m| m.permissions()).ok();
    write_atomic_with(path, &kept, mode)
        .with_context(|| format!("cannot rewrite `{}`", path.display()))
}

/// Writes `content` to `path` atomically: a temp file in the same directory, then rename.
/// The file gets the permissions any new file gets (the umask applies), like a file the
/// user created.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    write_atomic_with(path, content, None)
}

fn write_atomic_with(
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
    let rel = super::inputs::relative_for_output(input);
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

/// An advisory lock on a results file, held for the whole run: a hidden file beside it,
/// locked and holding the owner's pid, removed when the run ends. (`kill -9` leaves the
/// file, but the lock dies with the process; the next run takes it over.)
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// Takes the lock of `results`, or fails naming the run that holds it. `None` where
    /// the file system has no locks.
    fn acquire(results: &Path) -> anyhow::Result<Option<Self>> {
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
            return Ok(Some(Self { path, _file: file }));
        }
        anyhow::bail!("cannot lock `{}`: it keeps changing", path.display())
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
    fn compaction_keeps_the_latest_line_per_item() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"status\":\"failed\"}\n{\"id\":\"b\",\"status\":\"ok\"}\n{\"id\":\"a\",\"status\":\"ok\"}\n",
        )
        .unwrap();
        compact(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"id\":\"b\",\"status\":\"ok\"}\n{\"id\":\"a\",\"status\":\"ok\"}\n"
        );
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
}
