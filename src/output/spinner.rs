//! A sign of life on stderr while a reply is awaited: a spinner with the model's name and
//! the time waited, only when stderr is a terminal and not `--quiet`.
//!
//! It is cleared (not left behind) before anything else is written: the first event of a
//! reply, a retry note, an error, Ctrl-C (dropping it clears it). Outside a terminal it is
//! never built, so pipes and CI logs get not a byte of it, and it costs one `isatty`.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

/// The spinner, or nothing where it must not show.
#[derive(Default)]
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    /// Starts a spinner naming `model` on stderr when stderr is a terminal and not `quiet`.
    pub fn start(model: &str, quiet: bool) -> Self {
        // A terminal that cannot move the cursor (`TERM` unset or `dumb`) gets none either.
        let dumb = std::env::var_os("TERM").is_none_or(|t| t.is_empty() || t == "dumb");
        if quiet || dumb || !io::stderr().is_terminal() {
            return Self(None);
        }
        let target = ProgressDrawTarget::term_like(Box::new(Unpadded::default()));
        let bar = ProgressBar::with_draw_target(None, target);
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} · {elapsed}") {
            bar.set_style(style);
        }
        // The model name comes from the user or the config, but keep it to one safe line.
        bar.set_message(crate::term::printable(model).into_owned());
        bar.enable_steady_tick(Duration::from_millis(80));
        Self(Some(bar))
    }

    /// Clears the spinner for good (the reply started); later calls do nothing.
    pub fn stop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }

    /// Hides the spinner while `write` prints to stderr (a retry note), then shows it again.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Whether it is showing.
    pub fn is_active(&self) -> bool {
        self.0.is_some()
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Standard error for indicatif, without the spaces it pads each line with.
///
/// indicatif fills a line to the terminal's edge and leaves the cursor past the last
/// column. The `^C` a terminal echoes for Ctrl-C then wraps to a line of its own, the clear
/// that follows clears that line, and the spinner's stays on screen above the prompt. Without
/// the padding the echo lands on the spinner's line and goes with it (each frame clears the
/// line before it draws, so no padding is needed to cover a longer frame).
#[derive(Debug, Default)]
struct Unpadded(Mutex<Vec<u8>>);

impl Unpadded {
    fn put(&self, text: &str) -> io::Result<()> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("spinner buffer poisoned"))?
            .extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn size(&self) -> Option<(u16, u16)> {
        terminal_size::terminal_size_of(io::stderr()).map(|(w, h)| (w.0, h.0))
    }
}

impl TermLike for Unpadded {
    fn width(&self) -> u16 {
        self.size().map_or(80, |(w, _)| w)
    }

    fn height(&self) -> u16 {
        self.size().map_or(24, |(_, h)| h)
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.put(&format!("\x1b[{n}A"))
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.put(&format!("\x1b[{n}B"))
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.put(&format!("\x1b[{n}C"))
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.put(&format!("\x1b[{n}D"))
    }

    fn write_line(&self, s: &str) -> io::Result<()> {
        self.put(s)?;
        self.put("\n")
    }

    fn write_str(&self, s: &str) -> io::Result<()> {
        // The padding is written on its own, as a run of spaces.
        if !s.is_empty() && s.bytes().all(|b| b == b' ') {
            return Ok(());
        }
        self.put(s)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.put("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        let mut buf = self
            .0
            .lock()
            .map_err(|_| io::Error::other("spinner buffer poisoned"))?;
        let mut err = io::stderr().lock();
        err.write_all(&buf)?;
        buf.clear();
        err.flush()
    }
}
