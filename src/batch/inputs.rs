//! Batch inputs: a streaming directory walk, a list of paths on stdin, or JSONL requests.
//!
//! A thread produces inputs into a bounded channel, so items start while the walk is still
//! going and memory stays flat however many files there are. Nothing here reads a file's
//! contents; an item reads its file only when it starts (`item.rs`).

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Component, Path, PathBuf};

use futures_util::Stream;
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;
use tokio::sync::mpsc;

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

/// Starts producing inputs on a thread; the stream ends when the source is exhausted.
pub fn spawn(source: Source, walk: WalkOptions) -> anyhow::Result<impl Stream<Item = Input>> {
    // Check the globs here, so a bad pattern is a usage error before anything runs.
    let filter = GlobFilter::new(&walk.globs)?;
    let (tx, rx) = mpsc::channel(CHANNEL_BATCHES);
    std::thread::spawn(move || {
        let batcher = Batcher {
            tx,
            batch: RefCell::new(Vec::new()),
        };
        match source {
            Source::Jsonl(path) => read_jsonl(&path, &batcher),
            Source::Paths(roots) => {
                let mut seen = (roots.len() > 1).then(HashSet::new);
                let mut walk_root =
                    |root: &Path| walk_one(root, &walk, &filter, &mut seen, &batcher);
                for root in &roots {
                    if root.as_os_str() == "-" {
                        // Paths are bytes on Unix, not text: a name that is not UTF-8 is
                        // still a file to send, not the end of the list.
                        for line in batcher.stdin().split(b'\n') {
                            let Ok(mut line) = line else { break };
                            if line.last() == Some(&b'\r') {
                                line.pop();
                            }
                            if !line.is_empty() && !walk_root(&path_from_bytes(line)) {
                                return;
                            }
                        }
                    } else if !walk_root(root) {
                        return;
                    }
                }
            }
        }
        batcher.flush();
    });
    Ok(tokio_stream(rx))
}

fn tokio_stream(mut rx: mpsc::Receiver<Vec<Input>>) -> impl Stream<Item = Input> {
    futures_util::StreamExt::flat_map(
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)),
        futures_util::stream::iter,
    )
}

/// The most inputs handed over at a time.
const BATCH: usize = 64;
/// The most groups queued for the engine: with `BATCH`, ~500 inputs held at most.
const CHANNEL_BATCHES: usize = 8;

/// Hands inputs to the engine in groups. One at a time, a walk that runs ahead of the
/// requests woke its thread once per item taken off the full channel: a context switch
/// per item on a machine whose cores also serve the requests. A group is sent when full,
/// or at once when the engine has nothing queued, so the first items never wait for one.
struct Batcher {
    tx: mpsc::Sender<Vec<Input>>,
    batch: RefCell<Vec<Input>>,
}

impl Batcher {
    /// Queues an input; false when the engine has stopped listening.
    fn push(&self, input: Input) -> bool {
        let mut batch = self.batch.borrow_mut();
        batch.push(input);
        if batch.len() >= BATCH || self.engine_idle() {
            let full = std::mem::replace(&mut *batch, Vec::with_capacity(BATCH));
            drop(batch);
            return self.tx.blocking_send(full).is_ok();
        }
        true
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
            let _ = self.tx.blocking_send(batch);
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
                crate::error::UsageError::new(format!("invalid `--glob {pattern}`: {e}"), None)
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

/// Walks one root; returns false when the receiver is gone (the run stopped).
fn walk_one(
    root: &Path,
    opts: &WalkOptions,
    filter: &GlobFilter,
    seen: &mut Option<HashSet<PathBuf>>,
    out: &Batcher,
) -> bool {
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
                Input::File { path }
            }
            Err(err) => Input::Broken {
                id: error_path(&err).unwrap_or_else(|| root.display().to_string()),
                message: err.to_string(),
            },
        };
        if !out.push(input) {
            return false;
        }
    }
    true
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

fn read_jsonl(path: &Path, out: &Batcher) {
    let reader: Box<dyn BufRead + '_> = if path.as_os_str() == "-" {
        Box::new(out.stdin())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(err) => {
                out.push(Input::Broken {
                    id: path.display().to_string(),
                    message: format!("cannot read `{}`: {err}", path.display()),
                });
                return;
            }
        }
    };
    for (i, line) in reader.lines().enumerate() {
        let input = match line {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => Input::Line {
                number: i + 1,
                text,
            },
            Err(err) => Input::Broken {
                id: format!("line {}", i + 1),
                message: format!("cannot read line {} of `{}`: {err}", i + 1, path.display()),
            },
        };
        if !out.push(input) {
            return;
        }
    }
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
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(spawn(source, walk).unwrap().collect())
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
