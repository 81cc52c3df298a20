//! The line editor of interactive `qwen chat` (rustyline): history kept in the data dir,
//! multi-line input (Alt-Enter, or a line ending in `\`), and Ctrl-C that clears a line
//! with text but leaves at an empty prompt.
//!
//! `readline` blocks, so it runs on tokio's blocking pool and the editor travels there and
//! back. It puts the terminal in raw mode (Ctrl-C is a key, not a signal) only while it
//! reads; replies stream in the terminal's normal mode, where Ctrl-C is SIGINT.

use std::fs::{self, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{
    Cmd, ConditionalEventHandler, Config, Event, EventContext, EventHandler, KeyCode, KeyEvent,
    Modifiers, RepeatCount,
};

/// The history file's name in the data directory.
pub const HISTORY_FILE: &str = "chat_history";

/// What one read gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
    /// A line (several with Alt-Enter or `\`), as typed.
    Line(String),
    /// Ctrl-C cleared a line with text.
    Cleared,
    /// Ctrl-D, or Ctrl-C at an empty prompt: leave.
    Exit,
}

/// The editor, with its history file.
pub struct LineEditor {
    editor: Option<rustyline::Editor<Helper, DefaultHistory>>,
    /// Ctrl-C saw an empty line (set by [`CtrlC`] just before rustyline reports it).
    empty_at_interrupt: Arc<AtomicBool>,
    history: Option<PathBuf>,
}

impl LineEditor {
    /// Makes an editor whose history lives in `history` (created `0600`); `None` keeps
    /// none on disk.
    pub fn new(history: Option<PathBuf>) -> anyhow::Result<Self> {
        let config = Config::builder()
            .max_history_size(2000)?
            .history_ignore_dups(true)?
            // A line typed with a leading space stays out of the history file.
            .history_ignore_space(true)
            .auto_add_history(false)
            .build();
        let mut editor = rustyline::Editor::with_config(config)?;
        editor.set_helper(Some(Helper));
        editor.bind_sequence(
            KeyEvent(KeyCode::Enter, Modifiers::ALT),
            EventHandler::Simple(Cmd::Newline),
        );
        let empty_at_interrupt = Arc::new(AtomicBool::new(false));
        editor.bind_sequence(
            KeyEvent::ctrl('c'),
            EventHandler::Conditional(Box::new(CtrlC(Arc::clone(&empty_at_interrupt)))),
        );
        let history = history.and_then(|path| prepare_history(path, &mut editor));
        Ok(Self {
            editor: Some(editor),
            empty_at_interrupt,
            history,
        })
    }

    /// Reads one entry after showing `prompt`.
    pub async fn read(&mut self, prompt: String) -> anyhow::Result<Read> {
        let mut editor = self
            .editor
            .take()
            .expect("the editor is back after each read");
        let (editor, result) = tokio::task::spawn_blocking(move || {
            let result = editor.readline(&prompt);
            (editor, result)
        })
        .await?;
        self.editor = Some(editor);
        match result {
            Ok(line) => Ok(Read::Line(joined(&line))),
            Err(ReadlineError::Interrupted) => {
                if self.empty_at_interrupt.load(Ordering::Relaxed) {
                    Ok(Read::Exit)
                } else {
                    Ok(Read::Cleared)
                }
            }
            Err(ReadlineError::Eof) => Ok(Read::Exit),
            Err(err) => Err(err.into()),
        }
    }

    /// Adds `line` to the history (and its file), unless it holds a loaded API key (or
    /// anything else [`crate::secret::redact`] would hide) or something shaped like one.
    pub fn remember(&mut self, line: &str) {
        if crate::secret::redact(line) != line || looks_like_a_key(line) {
            return;
        }
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        if editor.add_history_entry(line).unwrap_or(false)
            && let Some(path) = &self.history
        {
            // History is a convenience: a full disk must not end the conversation.
            let _ = editor.append_history(path);
        }
    }
}

/// Creates the history file private to the user (the prompts may be private too) and
/// loads it; `None` when it cannot be used.
fn prepare_history(
    path: PathBuf,
    editor: &mut rustyline::Editor<Helper, DefaultHistory>,
) -> Option<PathBuf> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).ok()?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .ok()?;
    // An older file made with the umask's permissions is tightened too.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).ok()?;
    let _ = editor.load_history(&path);
    Some(path)
}

/// Whether `line` holds a word shaped like an API key: `sk-` and 20 or more letters,
/// digits, `-` or `_` (DashScope's and OpenAI's keys look so).
fn looks_like_a_key(line: &str) -> bool {
    line.match_indices("sk-").any(|(i, _)| {
        let at_word_start = line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let body = line[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .count();
        at_word_start && body >= 20
    })
}

/// Joins continued lines: a `\` at the end of a line stands for the line break itself.
fn joined(text: &str) -> String {
    text.replace("\\\n", "\n")
}

/// Ctrl-C: notes whether the line was empty, then interrupts the read.
struct CtrlC(Arc<AtomicBool>);

impl ConditionalEventHandler for CtrlC {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        self.0.store(ctx.line().is_empty(), Ordering::Relaxed);
        Some(Cmd::Interrupt)
    }
}

/// Continues the entry on a new line when the line ends in `\`.
pub struct Helper;

impl Validator for Helper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if ctx.input().ends_with('\\') {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl rustyline::completion::Completer for Helper {
    type Candidate = String;
}

impl rustyline::hint::Hinter for Helper {
    type Hint = String;
}

impl rustyline::highlight::Highlighter for Helper {}

impl rustyline::Helper for Helper {}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::History as _;

    #[test]
    fn the_history_file_is_private_and_never_holds_a_loaded_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join(HISTORY_FILE);
        let key = "tok-history-test-0123456789";
        let _ = crate::secret::Secret::new(key);
        let mut editor = LineEditor::new(Some(path.clone())).unwrap();
        editor.remember("hello there");
        editor.remember(&format!("my key is {key}, keep it"));
        editor.remember(" a line typed after a space");
        editor.remember("multi\nline");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("hello there"), "{text}");
        assert!(!text.contains("tok-history-test"), "{text}");
        assert!(!text.contains("after a space"), "{text}");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A second session reads it back (a multi-line entry stays one entry).
        let again = LineEditor::new(Some(path)).unwrap();
        let history = again.editor.as_ref().unwrap().history();
        assert_eq!(history.len(), 2);
    }

    #[test]
    fn words_shaped_like_keys_are_spotted() {
        assert!(looks_like_a_key(
            "use sk-0123456789abcdef0123456789abcdef here"
        ));
        assert!(looks_like_a_key("key=sk-proj_ABCDEFGHIJ-KLMNOPQRSTU"));
        assert!(!looks_like_a_key("ask-me-anything about sk-short"));
        assert!(!looks_like_a_key("a task-0123456789abcdef0123456789"));
    }

    #[test]
    fn a_trailing_backslash_continues_the_line() {
        assert_eq!(joined("one\\\ntwo"), "one\ntwo");
        assert_eq!(joined("a\\b\nc"), "a\\b\nc");
    }
}
