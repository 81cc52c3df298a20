//! Batch inputs: a streaming directory walk, a list of paths on stdin, or JSONL requests.
//!
//! A thread produces inputs into a bounded channel, so items start while the walk is still
//! going and memory stays flat however many files there are. Nothing here reads a file's
//! contents; an item reads its file only when it starts (`item.rs`).
//!
//! A failure to read the input stream itself (`--input DIR`, an I/O error on stdin, a
//! duplicate JSONL id) is not an item: it ends the stream with an error, once.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::Stream;
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;
use tokio::sync::mpsc;

use crate::exit::UsageError;

/// One unit of work, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file to send.
    File {
        /// The path as walked (relative to the working directory when given so).
        path: PathBuf,
    },
    /// A JSONL request line.
    Line {
        /// 1-based line number, the fallback id.
        number: usize,
        /// The raw line.
        text: String,
    },
    /// Something that could not even be listed (a missing path, an unreadable directory).
    Broken {
        /// The id to report it under.
        id: String,
        /// The OS error.
        message: String,
    },
    /// A walked entry that is not sent: a named pipe, a socket or a device found inside a
    /// directory (opening a pipe would wait for a writer that never comes).
    Skipped {
        /// The path as walked.
        path: PathBuf,
        /// Why, for the `skipped` line.
        reason: String,
    },
}

/// What a stream of inputs yields: an input, or the error that ended the stream.
pub type Next = Result<Input, UsageError>;

/// How far the listing has got, for the progress display.
#[derive(Debug, Default)]
pub struct Listing {
    found: AtomicU64,
    finished: AtomicBool,
}

impl Listing {
    /// Returns the number of inputs found so far.
    pub fn found(&self) -> u64 {
        self.found.load(Ordering::Relaxed)
    }

    /// Returns the number of inputs, once the walk or the list has ended.
    pub fn total(&self) -> Option<u64> {
        self.finished
            .load(Ordering::Acquire)
            .then(|| self.found.load(Ordering::Relaxed))
    }
}

/// Where inputs come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files and directories; `-` among them reads a list of paths from stdin.
    Paths(Vec<PathBuf>),
    /// A JSONL file of requests; `-` is stdin.
    Jsonl(PathBuf),
}

/// How directories are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Include hidden files and directories.
    pub hidden: bool,
    /// Do not read `.gitignore` and friends.
    pub no_ignore: bool,
    /// How deep to descend (0 = only the named paths).
    pub max_depth: Option<usize>,
    /// Glob patterns; `!pattern` excludes.
    pub globs: Vec<String>,
    /// Paths never sent (the run's own `-o` file and `--out-dir`), so a rerun does not
    /// send its own results back.
    pub exclude: Vec<PathBuf>,
    /// Files never sent, by identity (device, inode): the run's own outputs seen through a
    /// hard link or a symlink.
    pub exclude_files: Vec<(u64, u64)>,
}

/// Starts producing inputs on a thread; the stream ends when the source is exhausted, or
/// with an error when the source itself cannot be read. The [`Listing`] tells how many
/// inputs there are once the producer has finished.
pub fn spawn(
    source: Source,
    walk: WalkOptions,
) -> anyhow::Result<(impl Stream<Item = Next>, Arc<Listing>)> {
    // Check the globs here, so a bad pattern is a usage error before anything runs.
    let filter = GlobFilter::new(&walk.globs)?;
    let (tx, rx) = mpsc::channel(CHANNEL_BATCHES);
    let listing = Arc::new(Listing::default());
    let counter = Arc::clone(&listing);
    std::thread::spawn(move || {
        let batcher = Batcher {
            tx,
            batch: RefCell::new(Vec::new()),
            listing: counter,
        };
        let result = match source {
            Source::Jsonl(path) => read_jsonl(&path, &batcher),
            Source::Paths(roots) => walk_roots(&roots, &walk, &filter, &batcher),
        };
        batcher.finish(result);
    });
    Ok((tokio_stream(rx), listing))
}

/// Why a producer stopped early.
enum Halt {
    /// The engine stopped listening: nothing more to do.
    Gone,
    /// The source cannot be read: the run must end with this error.
    Failed(UsageError),
}

fn walk_roots(
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

fn tokio_stream(mut rx: mpsc::Receiver<Batch>) -> impl Stream<Item = Next> {
    futures_util::StreamExt::flat_map(
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)),
        |batch| {
            let items: Vec<Next> = match batch {
                Ok(inputs) => inputs.into_iter().map(Ok).collect(),
                Err(err) => vec![Err(err)],
            };
            futures_util::stream::iter(items)
        },
    )
}

/// What goes through the channel: a group of inputs, or the error that ends them.
type Batch = Result<Vec<Input>, UsageError>;

/// The most inputs handed over at a time.
const BATCH: usize = 64;
/// The most groups queued for the engine: with `BATCH`, ~500 inputs held at most.
const CHANNEL_BATCHES: usize = 8;

/// Hands inputs to the engine in groups. One at a time, a walk that runs ahead of the
/// requests woke its thread once per item taken off the full channel: a context switch
/// per item on a machine whose cores also serve the requests. A group is sent when full,
/// or at once when the engine has nothing queued, so the first items never wait for one.
struct Batcher {
    tx: mpsc::Sender<Batch>,
    batch: RefCell<Vec<Input>>,
    listing: Arc<Listing>,
}

impl Batcher {
    /// Queues an input; `Halt::Gone` when the engine has stopped listening.
    fn push(&self, input: Input) -> Result<(), Halt> {
        self.listing.found.fetch_add(1, Ordering::Relaxed);
        let mut batch = self.batch.borrow_mut();
        batch.push(input);
        if batch.len() >= BATCH || self.engine_idle() {
            let full = std::mem::replace(&mut *batch, Vec::with_capacity(BATCH));
            drop(batch);
            return self.tx.blocking_send(Ok(full)).map_err(|_| Halt::Gone);
        }
        Ok(())
    }

    /// Hands over what is held, then the error that ended the source, if any; the total
    /// is known from here on.
    fn finish(&self, result: Result<(), Halt>) {
        self.flush();
        self.listing.finished.store(true, Ordering::Release);
        if let Err(Halt::Failed(err)) = result {
            let _ = self.tx.blocking_send(Err(err));
        }
    }

    /// Whether the engine has taken everything sent so far.
    fn engine_idle(&self) -> bool {
        self.tx.capacity() == self.tx.max_capacity()
    }

    /// Hands over what is held when the engine is waiting for it.
    fn hand_over_if_idle(&self) {
        if self.engine_idle() {
            self.flush();
        }
    }

    fn flush(&self) {
        let batch = self.batch.take();
        if !batch.is_empty() {
            let _ = self.tx.blocking_send(Ok(batch));
        }
    }

    /// Standard input, buffered, handing over the group before each read that may block:
    /// a list piped in slowly must not leave items waiting for more lines.
    fn stdin(&self) -> std::io::BufReader<FlushFirst<'_>> {
        std::io::BufReader::new(FlushFirst {
            inner: std::io::stdin(),
            batcher: self,
        })
    }
}

struct FlushFirst<'a> {
    inner: std::io::Stdin,
    batcher: &'a Batcher,
}

impl std::io::Read for FlushFirst<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.batcher.flush();
        self.inner.read(buf)
    }
}

/// `--glob` include and `!`-exclude patterns, matched against the path below its root.
///
/// Not the `ignore` crate's overrides: a matching override wins over `.gitignore`, so
/// `--glob '*.md'` would send ignored files too; here globs only narrow what the ignore
/// rules let through, as in fd.
struct GlobFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl GlobFilter {
    fn new(globs: &[String]) -> anyhow::Result<Self> {
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

/// Makes a path absolute and removes `.` and `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    normalize_in(&std::env::current_dir().unwrap_or_default(), path)
}

fn normalize_in(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
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

/// Reads JSONL requests. A line that is not UTF-8 fails alone; a read error of the stream
/// itself (`--input DIR`, an I/O error) ends it: retrying the read would fail forever.
fn read_jsonl(path: &Path, out: &Batcher) -> Result<(), Halt> {
    let shown = || {
        if path.as_os_str() == "-" {
            "standard input".to_owned()
        } else {
            format!("`{}`", path.display())
        }
    };
    let reader: Box<dyn BufRead + '_> = if path.as_os_str() == "-" {
        Box::new(out.stdin())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(err) => {
                return Err(Halt::Failed(UsageError::new(
                    format!("cannot read {}: {err}", shown()),
                    None,
                )));
            }
        }
    };
    // Ids name results, `--out-dir` files and `--resume` keys, so two lines must never
    // share one. Items start while the input is still being read, so a duplicate can only
    // stop the run where it is found: the lines before it run as usual, it and the lines
    // after it are never sent.
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let number = i + 1;
        let mut bytes = line.map_err(|err| {
            Halt::Failed(UsageError::new(
                format!("cannot read line {number} of {}: {err}", shown()),
                None,
            ))
        })?;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let input = match String::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => {
                let id = line_id(&text).unwrap_or_else(|| format!("line {number}"));
                if let Some(first) = ids.insert(id.clone(), number) {
                    return Err(Halt::Failed(UsageError::new(
                        format!(
                            "duplicate id `{id}` on lines {first} and {number} of {}",
                            shown()
                        ),
                        Some(
                            "ids name the results and the `--resume` keys: give every line its own \
                             `custom_id` or `id`"
                                .into(),
                        ),
                    )));
                }
                Input::Line { number, text }
            }
            Err(_) => Input::Broken {
                id: format!("line {number}"),
                message: format!("line {number} of {} is not valid UTF-8", shown()),
            },
        };
        out.push(input)?;
    }
    Ok(())
}

/// Returns the id a JSONL line reports under: its `custom_id`, else its `id` (a string, or
/// a number written as text); `None` when it has neither or is not a JSON object.
pub fn line_id(text: &str) -> Option<String> {
    /// Only the two id fields: the rest of the line is skipped, not built.
    #[derive(serde::Deserialize)]
    struct Ids {
        custom_id: Option<serde_json::Value>,
        id: Option<serde_json::Value>,
    }
    let as_id = |value: Option<serde_json::Value>| match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let ids: Ids = serde_json::from_str(text).ok()?;
    as_id(ids.custom_id).or_else(|| as_id(ids.id))
}

/// Returns `path` made safe to place under an output directory: only its normal components,
/// so `../x` or `/etc/x` can never write outside it.
pub fn relative_for_output(path: &Path) -> PathBuf {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect()
}

/// A prompt template with `{path}`, `{name}` and `{content}` placeholders.
#[derive(Debug, Clone, Default)]
pub struct Template {
    text: Option<String>,
}

impl Template {
    /// Wraps the `--prompt` text, if any.
    pub fn new(text: Option<String>) -> Self {
        Self { text }
    }

    /// Fills the template for one file. Without `{content}` the file is appended as
    /// context, the way `qwen chat --file` attaches it; without a template the file is the
    /// whole prompt.
    pub fn render(&self, path: &Path, content: &str) -> String {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        match &self.text {
            None => content.to_owned(),
            Some(t) if t.contains("{content}") => t
                .replace("{path}", &shown)
                .replace("{name}", &name)
                .replace("{content}", content),
            Some(t) => {
                let head = t.replace("{path}", &shown).replace("{name}", &name);
                let body = content.trim_end_matches(['\n', '\r']);
                format!("{head}\n\n<file path=\"{shown}\">\n{body}\n</file>")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn collect(source: Source, walk: WalkOptions) -> Vec<Input> {
        let (inputs, error) = collect_all(source, walk);
        assert!(error.is_none(), "{error:?}");
        inputs
    }

    /// Every input, and the error that ended the stream, if any.
    fn collect_all(source: Source, walk: WalkOptions) -> (Vec<Input>, Option<String>) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (stream, listing) = spawn(source, walk).unwrap();
        let all: Vec<Next> = rt.block_on(stream.collect());
        let mut inputs = Vec::new();
        let mut error = None;
        for next in all {
            assert!(error.is_none(), "nothing follows the error");
            match next {
                Ok(input) => inputs.push(input),
                Err(err) => error = Some(err.message),
            }
        }
        assert_eq!(listing.total(), Some(inputs.len() as u64));
        (inputs, error)
    }

    #[test]
    fn walk_respects_gitignore_hidden_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join(".gitignore"), "skip.md\n").unwrap();
        for f in ["a.md", "b.txt", "skip.md", ".hidden.md", "sub/c.md"] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "x").unwrap();
        }
        let names = |inputs: Vec<Input>| -> Vec<String> {
            inputs
                .into_iter()
                .map(|i| match i {
                    Input::File { path } => path.strip_prefix(d).unwrap().display().to_string(),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let all = names(collect(
            Source::Paths(vec![d.into()]),
            WalkOptions::default(),
        ));
        assert_eq!(all, ["a.md", "b.txt", "sub/c.md"]);
        let md = WalkOptions {
            globs: vec!["*.md".into()],
            hidden: true,
            ..Default::default()
        };
        let got = names(collect(Source::Paths(vec![d.into()]), md));
        assert_eq!(got, [".hidden.md", "a.md", "sub/c.md"]);
        let shallow = WalkOptions {
            max_depth: Some(1),
            globs: vec!["!b.txt".into()],
            ..Default::default()
        };
        assert_eq!(
            names(collect(Source::Paths(vec![d.into()]), shallow)),
            ["a.md"]
        );
    }

    #[test]
    fn missing_paths_are_reported_not_dropped() {
        let got = collect(
            Source::Paths(vec!["/nonexistent/x.md".into()]),
            WalkOptions::default(),
        );
        assert!(matches!(&got[..], [Input::Broken { message, .. }] if message.contains("x.md")));
    }

    #[test]
    fn a_source_that_cannot_be_read_ends_the_stream_once() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, error) = collect_all(Source::Jsonl(dir.path().into()), Default::default());
        assert!(inputs.is_empty(), "{inputs:?}");
        let error = error.expect("an error");
        assert!(error.contains("Is a directory"), "{error}");

        let missing = dir.path().join("missing.jsonl");
        let (_, error) = collect_all(Source::Jsonl(missing), Default::default());
        assert!(error.unwrap().contains("missing.jsonl"));
    }

    #[test]
    fn jsonl_lines_keep_their_numbers_and_a_bad_one_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("in.jsonl");
        std::fs::write(&file, b"{\"id\": 1}\r\n\n\xff\n{\"id\": 2}").unwrap();
        let got = collect(Source::Jsonl(file), Default::default());
        assert!(matches!(&got[0], Input::Line { number: 1, text } if text == "{\"id\": 1}"));
        assert!(
            matches!(&got[1], Input::Broken { id, message } if id == "line 3" && message.contains("UTF-8"))
        );
        assert!(matches!(&got[2], Input::Line { number: 4, .. }));
    }

    #[test]
    fn a_duplicate_id_ends_the_stream_after_the_lines_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("in.jsonl");
        std::fs::write(
            &file,
            "{\"custom_id\": \"a\", \"id\": \"z\"}\n{\"id\": 5}\nnot json\n{\"id\": \"5\"}\n{\"id\": \"c\"}\n",
        )
        .unwrap();
        let (inputs, error) = collect_all(Source::Jsonl(file), Default::default());
        assert_eq!(
            inputs.len(),
            3,
            "the duplicate and what follows are never read"
        );
        let error = error.unwrap();
        assert!(
            error.contains("duplicate id `5` on lines 2 and 4 of `"),
            "{error}"
        );
    }

    #[test]
    fn line_ids_follow_the_items() {
        assert_eq!(
            line_id(r#"{"custom_id": "a", "id": "b"}"#).as_deref(),
            Some("a")
        );
        assert_eq!(line_id(r#"{"id": 7, "prompt": "x"}"#).as_deref(), Some("7"));
        assert_eq!(line_id(r#"{"id": null, "custom_id": true}"#), None);
        assert_eq!(line_id("[1]"), None);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_found_by_a_walk_are_skipped_but_a_named_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.md"), "x").unwrap();
        let fifo = d.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        std::os::unix::fs::symlink(&fifo, d.join("link")).unwrap();
        std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
        let got = collect(Source::Paths(vec![d.into()]), WalkOptions::default());
        let kinds: Vec<(String, String)> = got
            .iter()
            .map(|i| match i {
                Input::File { path } => (name(path), "file".to_owned()),
                Input::Skipped { path, reason } => (name(path), reason.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(kinds[0], ("a.md".to_owned(), "file".to_owned()));
        assert!(kinds[1].0 == "link" && kinds[1].1.starts_with("a named pipe"));
        assert!(kinds[2].0 == "pipe" && kinds[2].1.starts_with("a named pipe"));
        assert!(kinds[3].0 == "sock" && kinds[3].1.starts_with("a socket"));

        let named = collect(Source::Paths(vec![fifo.clone()]), WalkOptions::default());
        assert_eq!(named, [Input::File { path: fifo }]);
    }

    fn name(path: &Path) -> String {
        path.file_name().unwrap().to_string_lossy().into_owned()
    }

    #[test]
    fn templates() {
        let p = Path::new("docs/a.md");
        let t = Template::new(Some("Summarise {name} ({path}):\n{content}".into()));
        assert_eq!(t.render(p, "hi"), "Summarise a.md (docs/a.md):\nhi");
        let t = Template::new(Some("Summarise {name}".into()));
        assert_eq!(
            t.render(p, "hi\n"),
            "Summarise a.md\n\n<file path=\"docs/a.md\">\nhi\n</file>"
        );
        assert_eq!(Template::new(None).render(p, "hi"), "hi");
    }

    #[test]
    fn output_paths_stay_inside() {
        assert_eq!(
            relative_for_output(Path::new("../../etc/x")),
            PathBuf::from("etc/x")
        );
        assert_eq!(
            relative_for_output(Path::new("/abs/y.md")),
            PathBuf::from("abs/y.md")
        );
        assert_eq!(
            relative_for_output(Path::new("./docs/a.md")),
            PathBuf::from("docs/a.md")
        );
    }
}
