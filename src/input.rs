//! Prompt assembly: arguments, standard input and attached files, in one documented format.
//!
//! The prompt is the arguments joined by spaces, then standard input, then each `--file` as
//! `<file path="…">…</file>`, with a blank line between the parts. A `-` argument puts
//! standard input at its place instead. Binary or non-UTF-8 input is an error unless the
//! caller accepts lossy decoding.

use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::UsageError;

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
        return Err(UsageError::new(
            format!("{what} looks binary (it contains NUL bytes)"),
            hint,
        ));
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

/// Reads a text file for the prompt, with the path in any error.
pub fn read_text_file(path: &Path, lossy: bool) -> anyhow::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", path.display()))?;
    Ok(decode(bytes, &format!("`{}`", path.display()), lossy)?)
}

/// Reads all of standard input. If nothing arrives for [`STDIN_NOTICE_AFTER`], says on
/// stderr what we are waiting for, because a silent hang on an open-but-idle stdin (CI
/// runners, agent shells) is the classic trap of LLM CLIs.
pub async fn read_stdin(quiet: bool) -> io::Result<Vec<u8>> {
    let got_data = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let flag = Arc::clone(&got_data);
    // A plain thread, not spawn_blocking: a read that never returns must not keep the
    // runtime from shutting down when the user gives up with Ctrl-C.
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        let mut stdin = io::stdin().lock();
        let result = loop {
            match stdin.read(&mut chunk) {
                Ok(0) => break Ok(buf),
                Ok(n) => {
                    flag.store(true, Ordering::Relaxed);
                    buf.extend_from_slice(&chunk[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            }
        };
        let _ = tx.send(result);
    });
    let received = |r: Result<io::Result<Vec<u8>>, _>| {
        r.unwrap_or_else(|_| Err(io::Error::other("the stdin reader stopped")))
    };
    match tokio::time::timeout(STDIN_NOTICE_AFTER, &mut rx).await {
        Ok(result) => received(result),
        Err(_) => {
            if !quiet && !got_data.load(Ordering::Relaxed) {
                crate::error::note(
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
