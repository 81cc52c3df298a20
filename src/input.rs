//! Prompt assembly: arguments, standard input and attached files, in one documented format.
//!
//! The prompt is the arguments joined by spaces, then standard input, then each `--file` as
//! `<file path="…">…</file>`, with a blank line between the parts. A `-` argument puts
//! standard input at its place instead. Binary or non-UTF-8 input is an error unless the
//! caller accepts lossy decoding. Every input is read in chunks and refused at its first
//! NUL byte or past `--max-input`, never read whole first.

use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::exit::UsageError;
use crate::units::format_size;

/// How long standard input may stay silent before we say that we are waiting for it.
pub const STDIN_NOTICE_AFTER: Duration = Duration::from_secs(2);

/// Decodes bytes as UTF-8 text, refusing binary data unless `lossy`.
pub fn decode(bytes: Vec<u8>, what: &str, lossy: bool) -> Result<String, UsageError> {
    if lossy {
        return Ok(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        });
    }
    let hint = Some("pass `--lossy` to send it anyway, with invalid bytes replaced".to_owned());
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(binary(what));
    }
    String::from_utf8(bytes).map_err(|e| {
        UsageError::new(
            format!(
                "{what} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            hint,
        )
    })
}

/// The default `--max-input`: the most bytes one input (standard input, a file) may hold.
pub const DEFAULT_MAX_INPUT: u64 = 16 << 20;

/// How much is read at a time: the memory a refused input costs.
const CHUNK: usize = 64 * 1024;

/// The error for an input over `limit` bytes.
fn too_large(what: &str, limit: u64) -> UsageError {
    UsageError::new(
        format!("{what} is larger than {}", format_size(limit)),
        Some(
            "raise `--max-input` (or `max_input` in config.toml), or send a part of it".to_owned(),
        ),
    )
}

/// The error for binary input.
fn binary(what: &str) -> UsageError {
    UsageError::new(
        format!("{what} looks binary (it contains NUL bytes)"),
        Some("pass `--lossy` to send it anyway, with invalid bytes replaced".to_owned()),
    )
}

/// Reads `reader` to its end in chunks, stopping at the first NUL byte (binary input;
/// unless `lossy`) and at more than `limit` bytes, so that `/dev/zero` costs one chunk of
/// memory and an instant, not all the memory there is. `on_data` runs after each chunk.
pub fn read_bounded(
    reader: &mut dyn Read,
    what: &str,
    limit: u64,
    lossy: bool,
    on_data: &mut dyn FnMut(),
) -> Result<Vec<u8>, UsageError> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(buf),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(UsageError::new(format!("failed to read {what}: {e}"), None));
            }
        };
        on_data();
        let data = &chunk[..n];
        if !lossy && data.contains(&0) {
            return Err(binary(what));
        }
        if buf.len() as u64 + n as u64 > limit {
            return Err(too_large(what, limit));
        }
        buf.extend_from_slice(data);
    }
}

/// Reads a text file for the prompt, at most `limit` bytes, with the path in any error;
/// an unreadable file is a usage error (exit 2) like any other bad input.
pub fn read_text_file(path: &Path, lossy: bool, limit: u64) -> Result<String, UsageError> {
    let what = format!("`{}`", path.display());
    let mut file = std::fs::File::open(path)
        .map_err(|e| UsageError::new(format!("failed to read {what}: {e}"), None))?;
    // A regular file says its size: refuse a big one before reading any of it.
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > limit
    {
        return Err(too_large(&what, limit));
    }
    let bytes = read_bounded(&mut file, &what, limit, lossy, &mut || {})?;
    decode(bytes, &what, lossy)
}

/// Returns `text` if given, else the contents of `file` if given (read like
/// [`read_text_file`]), else `None`: a `--system` / `--system-file` pair, say.
pub fn text_or_file(
    text: Option<&str>,
    file: Option<&Path>,
    lossy: bool,
    limit: u64,
) -> Result<Option<String>, UsageError> {
    match (text, file) {
        (Some(text), _) => Ok(Some(text.to_owned())),
        (None, Some(path)) => read_text_file(path, lossy, limit).map(Some),
        (None, None) => Ok(None),
    }
}

/// Reads all of standard input, at most `limit` bytes and no binary (unless `lossy`). If
/// nothing arrives for [`STDIN_NOTICE_AFTER`], says on stderr what we are waiting for,
/// because a silent hang on an open-but-idle stdin (CI runners, agent shells) is the
/// classic trap of LLM CLIs.
pub async fn read_stdin(quiet: bool, limit: u64, lossy: bool) -> Result<Vec<u8>, UsageError> {
    let got_data = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let flag = Arc::clone(&got_data);
    // A plain thread, not spawn_blocking: a read that never returns must not keep the
    // runtime from shutting down when the user gives up with Ctrl-C.
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let result = read_bounded(&mut stdin, "standard input", limit, lossy, &mut || {
            flag.store(true, Ordering::Relaxed);
        });
        let _ = tx.send(result);
    });
    let received = |r: Result<Result<Vec<u8>, UsageError>, _>| {
        r.unwrap_or_else(|_| {
            Err(UsageError::new(
                "failed to read standard input: the reader stopped",
                None,
            ))
        })
    };
    match tokio::time::timeout(STDIN_NOTICE_AFTER, &mut rx).await {
        Ok(result) => received(result),
        Err(_) => {
            if !quiet && !got_data.load(Ordering::Relaxed) {
                crate::term::note(
                    "note",
                    "waiting for standard input, which is open but has sent nothing yet; \
                     pass `--no-stdin` or `</dev/null` to run without it",
                );
            }
            received(rx.await)
        }
    }
}

/// The parts a prompt is built from.
#[derive(Debug, Default)]
pub struct PromptParts<'a> {
    /// Positional arguments; `-` marks where standard input goes.
    pub args: &'a [String],
    /// Standard input, if it was read.
    pub stdin: Option<String>,
    /// Attached files: (path as given, contents).
    pub files: Vec<(String, String)>,
}

/// Returns true when standard input should be read: it is not a terminal and not disabled,
/// or a `-` argument asks for it.
pub fn wants_stdin(args: &[String], no_stdin: bool) -> Result<bool, UsageError> {
    let dash = args.iter().any(|a| a == "-");
    if dash && no_stdin {
        return Err(UsageError::new(
            "`-` asks for standard input, but `--no-stdin` turns it off",
            None,
        ));
    }
    Ok(dash || (!no_stdin && !io::stdin().is_terminal()))
}

/// Builds the prompt text with the files first, for the explicit prompt cache: the files
/// are the stable head that later questions share, so they must come before the question.
/// Returns the prompt and the length of that head (the files and the blank line after
/// them), or plain [`assemble`]'s prompt and `None` when no file is attached.
pub fn assemble_files_first(parts: PromptParts<'_>) -> Result<(String, Option<usize>), UsageError> {
    if parts.files.is_empty() {
        return assemble(parts).map(|p| (p, None));
    }
    let files: Vec<String> = parts
        .files
        .iter()
        .map(|(path, content)| {
            let body = content.trim_end_matches(['\n', '\r']);
            format!("<file path=\"{path}\">\n{body}\n</file>")
        })
        .collect();
    let mut head = files.join("\n\n");
    let rest = assemble(PromptParts {
        args: parts.args,
        stdin: parts.stdin,
        files: Vec::new(),
    });
    match rest {
        Ok(rest) => {
            head.push_str("\n\n");
            let len = head.len();
            Ok((head + &rest, Some(len)))
        }
        // Files alone: the whole prompt is the head.
        Err(_) => {
            let len = head.len();
            Ok((head, Some(len)))
        }
    }
}

/// Builds the prompt text; an empty prompt is a usage error.
pub fn assemble(parts: PromptParts<'_>) -> Result<String, UsageError> {
    let stdin = parts
        .stdin
        .map(|s| s.trim_end_matches(['\n', '\r']).to_owned())
        .filter(|s| !s.trim().is_empty());
    let mut segments: Vec<String> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut stdin_placed = false;
    for arg in parts.args {
        if arg == "-" {
            if !words.is_empty() {
                segments.push(words.join(" "));
                words.clear();
            }
            if let Some(text) = &stdin
                && !stdin_placed
            {
                segments.push(text.clone());
                stdin_placed = true;
            }
        } else {
            words.push(arg);
        }
    }
    if !words.is_empty() {
        segments.push(words.join(" "));
    }
    if let (false, Some(text)) = (stdin_placed, stdin) {
        segments.push(text);
    }
    for (path, content) in parts.files {
        let body = content.trim_end_matches(['\n', '\r']);
        segments.push(format!("<file path=\"{path}\">\n{body}\n</file>"));
    }
    let prompt = segments.join("\n\n");
    if prompt.trim().is_empty() {
        return Err(UsageError::new(
            "no prompt: give PROMPT arguments, or pipe text to standard input",
            Some("example: `echo 'Explain this' | qwen chat` or `qwen chat 'Hello'`".into()),
        ));
    }
    Ok(prompt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn args_then_stdin_then_files() {
        let a = args(&["Summarise", "this:"]);
        let prompt = assemble(PromptParts {
            args: &a,
            stdin: Some("line 1\nline 2\n".into()),
            files: vec![("src/x.rs".into(), "fn x() {}\n".into())],
        })
        .unwrap();
        assert_eq!(
            prompt,
            "Summarise this:\n\nline 1\nline 2\n\n<file path=\"src/x.rs\">\nfn x() {}\n</file>"
        );
    }

    #[test]
    fn files_first_for_the_prompt_cache() {
        let a = args(&["Summarise", "this:"]);
        let parts = || PromptParts {
            args: &a,
            stdin: None,
            files: vec![("x.rs".into(), "fn x() {}\n".into())],
        };
        let (prompt, head) = assemble_files_first(parts()).unwrap();
        assert_eq!(
            prompt,
            "<file path=\"x.rs\">\nfn x() {}\n</file>\n\nSummarise this:"
        );
        assert_eq!(&prompt[head.unwrap()..], "Summarise this:");
        let none: Vec<String> = Vec::new();
        let (only, head) = assemble_files_first(PromptParts {
            args: &none,
            ..parts()
        })
        .unwrap();
        assert_eq!(head, Some(only.len()));
        let (plain, head) = assemble_files_first(PromptParts {
            files: vec![],
            ..parts()
        })
        .unwrap();
        assert_eq!((plain.as_str(), head), ("Summarise this:", None));
    }

    #[test]
    fn dash_places_stdin() {
        let a = args(&["Translate", "-", "into French"]);
        let prompt = assemble(PromptParts {
            args: &a,
            stdin: Some("hello".into()),
            files: vec![],
        })
        .unwrap();
        assert_eq!(prompt, "Translate\n\nhello\n\ninto French");
    }

    #[test]
    fn empty_everything_is_a_usage_error() {
        let err = assemble(PromptParts {
            args: &[],
            stdin: Some(" \n".into()),
            files: vec![],
        })
        .unwrap_err();
        assert!(err.message.starts_with("no prompt"));
    }

    #[test]
    fn endless_input_stops_at_the_first_nul_or_the_limit() {
        let none = &mut || {};
        let err =
            read_bounded(&mut io::repeat(0), "standard input", 1 << 20, false, none).unwrap_err();
        assert_eq!(
            err.message,
            "standard input looks binary (it contains NUL bytes)"
        );
        let err = read_bounded(
            &mut io::repeat(b'a'),
            "standard input",
            1 << 20,
            false,
            none,
        )
        .unwrap_err();
        assert_eq!(err.message, "standard input is larger than 1 MiB");
        // With --lossy NUL bytes are text, and the limit still holds.
        let err = read_bounded(&mut io::repeat(0), "x", 1000, true, none).unwrap_err();
        assert!(
            err.message.contains("larger than 1000 bytes"),
            "{}",
            err.message
        );
        let exact = read_bounded(&mut io::repeat(b'a').take(1000), "x", 1000, false, none);
        assert_eq!(exact.unwrap().len(), 1000);
    }

    #[test]
    fn files_are_bounded_and_unreadable_ones_are_usage_errors() {
        let err = read_text_file(Path::new("/dev/zero"), false, 1 << 20).unwrap_err();
        assert!(err.message.contains("binary"), "{}", err.message);
        let err = read_text_file(Path::new("/dev/zero"), true, 1 << 20).unwrap_err();
        assert!(err.message.contains("larger than 1 MiB"), "{}", err.message);
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "a".repeat(2000)).unwrap();
        let err = read_text_file(&big, false, 1000).unwrap_err();
        assert!(
            err.message.contains("larger than 1000 bytes"),
            "{}",
            err.message
        );
        let err = read_text_file(&dir.path().join("missing.txt"), false, 1000).unwrap_err();
        assert!(
            err.message.starts_with("failed to read `"),
            "{}",
            err.message
        );
        assert_eq!(format_size(16 << 20), "16 MiB");
        assert_eq!(format_size(1536), "1536 bytes");
        assert_eq!(format_size(64 << 10), "64 KiB");
    }

    #[test]
    fn binary_and_non_utf8_are_refused_unless_lossy() {
        let err = decode(b"ab\0cd".to_vec(), "`x.bin`", false).unwrap_err();
        assert!(err.message.contains("binary"));
        let err = decode(vec![b'a', 0xff, b'b'], "stdin", false).unwrap_err();
        assert!(err.message.contains("offset 1"), "{}", err.message);
        assert_eq!(
            decode(vec![b'a', 0xff], "stdin", true).unwrap(),
            "a\u{fffd}"
        );
    }
}
