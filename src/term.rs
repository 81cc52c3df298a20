//! What every layer uses to talk to a person on stderr: notes and warnings, escaping of
//! control characters for the terminal, and whether styling may be used.
//!
//! The ground floor: it imports nothing of ours but `secret`, so that everything printed
//! here is scrubbed of keys.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

/// Returns true when ANSI styling may be written to stderr (a terminal, and no `NO_COLOR`).
pub fn stderr_color() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes a note for humans to stderr (`qwen: note` style), ignoring failures to write it.
///
/// Keys are redacted and control characters escaped (line breaks stay: `-v` dumps span
/// lines); values from a server are already one line (see [`printable`]).
pub fn note(kind: &str, message: &str) {
    let message = crate::secret::redact(message);
    let message = printable_lines(&message);
    let _ = writeln!(io::stderr().lock(), "qwen: {kind}: {message}");
}

/// Returns `text` safe to show on a terminal as one line: control characters (escape
/// sequences, line breaks) and the bidirectional-text controls are written as `\u{1b}`.
///
/// Anything a server, a model, an MCP server or a tool says can hold them; printed raw, an
/// escape sequence would drive the user's terminal (retitle it, clear it, fake a line).
/// Every such string shown to a person on stderr goes through this or [`printable_lines`].
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_controls(text, false)
}

/// Like [`printable`], but keeps line feeds and tabs: for text that is meant to span lines
/// (a model's reasoning, `-v` dumps).
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape_controls(text, true)
}

fn escape_controls(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(keep_lines && matches!(c, '\n' | '\t')))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_what_would_drive_a_terminal() {
        assert!(matches!(printable("Zürich 東京"), Cow::Borrowed(_)));
        // OSC title change, screen clear, a fake second line, C1 CSI, RTL override.
        assert_eq!(
            printable("a\x1b]0;pwned\x07b\x1b[2J\nqwen: error: fake\u{9b}\u{202e}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2J\\u{a}qwen: error: fake\\u{9b}\\u{202e}"
        );
        assert_eq!(
            printable_lines("one\n\ttwo\r\x1b[2J"),
            "one\n\ttwo\\u{d}\\u{1b}[2J"
        );
    }
}
