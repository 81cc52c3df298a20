//! Batch inputs: a streaming directory walk, a list of paths on stdin, or JSONL requests.
//!
//! A thread produces inputs into a bounded channel, so items start while the walk is still
//! going and memory stays flat however many files there are. Nothing here reads a file's
//! contents; an item reads its file only when it starts (`item.rs`).
//!
//! A failure to read the input stream itself (`--input DIR`, an I/O error on stdin, a
//! duplicate JSONL id) is not an item: it ends the stream with an error, once.

use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::Stream;
use tokio::sync::mpsc;

use crate::exit::UsageError;

mod jsonl;
mod template;
mod walk;

pub use jsonl::line_id;
use jsonl::read_jsonl;
pub use template::Template;
use walk::{GlobFilter, walk_roots};

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

#[cfg(test)]
mod tests;
