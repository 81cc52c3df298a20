//! Markdown rendered for a terminal while it streams: headings, emphasis, lists, quotes,
//! links, rules, tables and syntax-highlighted code, forward-only.
//!
//! This module owns how a reply looks on a terminal; it decides nothing about when to
//! render (a terminal, `--render`, `NO_COLOR`: the caller passes a [`Style`]) and uses
//! nothing else from `qwen`. Forward-only means a line is printed once it is complete
//! and never redrawn: prose as each wrapped line fills up (or its source line ends), a
//! code line when its `\n` arrives, a table when its last row has. Output depends only on
//! the text, never on how it was chunked: pushing a reply token by token gives the same
//! bytes as [`render_all`].
//!
//! Model text is untrusted: control characters (ESC, C1 controls such as CSI, bidi
//! overrides) are printed escaped (`\u{1b}`), never raw; the only escape sequences in the
//! output are the renderer's own SGR styles and, when asked for, OSC 8 links.

mod block;
mod highlight;
mod inline;
mod layout;
mod table;
#[cfg(test)]
mod tests;

use std::io::{self, Write};

/// Colours for highlighted code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// The terminal's own 16-colour palette (bat's `ansi` theme): it follows the user's
    /// colour scheme, light or dark, and works on every colour terminal.
    #[default]
    Ansi,
    /// OneHalfDark in 24-bit colour, for truecolor terminals with a dark background.
    Dark,
    /// OneHalfLight in 24-bit colour, for truecolor terminals with a light background.
    Light,
}

/// How replies are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Writes SGR colours and effects. Off (`NO_COLOR`, or rendering somewhere colours do
    /// not belong) keeps the layout in plain text: bullets, indentation, the table grid,
    /// code fences, and emphasis markers as written (`**bold**`).
    pub color: bool,
    /// Columns to wrap prose at, usually the terminal's width; tables wider than this
    /// print their rows as written.
    pub width: usize,
    /// Makes `http(s)` and `mailto` links clickable with OSC 8 instead of printing their
    /// URL after the text; only with `color`, and only for terminals known to support it
    /// (others may show the escape).
    pub hyperlinks: bool,
    /// Colours for highlighted code.
    pub theme: Theme,
}

impl Default for Style {
    /// Plain text at 80 columns.
    fn default() -> Self {
        Self {
            color: false,
            width: 80,
            hyperlinks: false,
            theme: Theme::Ansi,
        }
    }
}

/// Renders a reply as it streams: push each delta as it arrives, then finish.
///
/// Complete lines are written to `out` during [`push`](Self::push); nothing is flushed
/// until [`finish`](Self::finish) or [`interrupt`](Self::interrupt), so give it an
/// unbuffered or line-buffered writer (a locked stdout), or flush it yourself. After
/// either, the renderer is ready for the next reply.
pub struct MarkdownStream<W: Write> {
    out: W,
    blocks: block::Blocks,
    /// The start of a UTF-8 sequence split by [`push_bytes`](Self::push_bytes).
    partial: Vec<u8>,
    /// The last character was `\r`: a `\n` right after it ends no second line.
    after_cr: bool,
}

impl<W: Write> MarkdownStream<W> {
    /// Returns a renderer that writes to `out`.
    pub fn new(out: W, style: Style) -> Self {
        Self {
            out,
            blocks: block::Blocks::new(style),
            partial: Vec::new(),
            after_cr: false,
        }
    }

    /// Renders the next piece of the reply, writing every line it completes.
    pub fn push(&mut self, delta: &str) -> io::Result<()> {
        self.chars(delta);
        self.write()
    }

    /// Like [`push`](Self::push), for bytes: a UTF-8 sequence split between two pushes is
    /// joined, and invalid bytes become U+FFFD (as [`String::from_utf8_lossy`] would).
    pub fn push_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        let joined;
        let mut rest = if self.partial.is_empty() {
            bytes
        } else {
            self.partial.extend_from_slice(bytes);
            joined = std::mem::take(&mut self.partial);
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.chars(text);
                    break;
                }
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    // Checked by `from_utf8` just now.
                    self.chars(std::str::from_utf8(valid).unwrap_or_default());
                    match err.error_len() {
                        Some(len) => {
                            self.chars("\u{fffd}");
                            rest = &after[len..];
                        }
                        None => {
                            self.partial = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.write()
    }

    /// Ends the reply: prints the held line, the buffered table, and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        if !std::mem::take(&mut self.partial).is_empty() {
            self.chars("\u{fffd}");
        }
        self.after_cr = false;
        self.blocks.finish();
        self.write()?;
        self.out.flush()
    }

    /// Ends a reply cut short (Ctrl-C): prints what was held as [`finish`](Self::finish)
    /// does, drops a half-received character, and resets the terminal's style.
    pub fn interrupt(&mut self) -> io::Result<()> {
        self.partial.clear();
        self.after_cr = false;
        self.blocks.finish();
        if self.blocks.out.color {
            self.blocks.out.bytes.extend_from_slice(b"\x1b[0m");
        }
        self.write()?;
        self.out.flush()
    }

    /// Changes the width for the lines that follow (the terminal was resized); what is on
    /// screen stays as it is.
    pub fn set_width(&mut self, width: usize) {
        self.blocks.set_width(width);
    }

    /// Returns the writer.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// Returns the writer mutably (to drain a buffer it writes to).
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Returns the writer, dropping anything not yet finished.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn chars(&mut self, text: &str) {
        for c in text.chars() {
            if std::mem::take(&mut self.after_cr) && c == '\n' {
                continue;
            }
            match c {
                '\r' => {
                    self.after_cr = true;
                    self.blocks.newline();
                }
                '\n' => self.blocks.newline(),
                c => self.blocks.char(c),
            }
        }
    }

    fn write(&mut self) -> io::Result<()> {
        let bytes = &mut self.blocks.out.bytes;
        if bytes.is_empty() {
            return Ok(());
        }
        let result = self.out.write_all(bytes);
        bytes.clear();
        result
    }
}

/// Renders a whole reply (a cached answer, `--no-stream`, a transcript) to `out`.
pub fn render_all(text: &str, style: Style, out: impl Write) -> io::Result<()> {
    let mut stream = MarkdownStream::new(out, style);
    stream.push(text)?;
    stream.finish()
}

/// Loads the syntax highlighter now (about a millisecond or two), so that the first code
/// block of a reply does not pause for it; for an interactive session to call on a
/// background thread while the user types. Rendering loads it on first use otherwise.
pub fn warm_up(theme: Theme) {
    highlight::warm_up(theme);
}
