//! A sign of life on stderr while a reply is awaited: a spinner with the model's name and
//! the time waited, only when stderr is a terminal and not `--quiet`.
//!
//! It is cleared (not left behind) before anything else is written: the first event of a
//! reply, a retry note, an error, Ctrl-C (dropping it clears it). Outside a terminal it is
//! never built, so pipes and CI logs get not a byte of it, and it costs one `isatty`.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The spinner, or nothing where it must not show.
#[derive(Default)]
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    /// Starts a spinner naming `model` on stderr when stderr is a terminal and not `quiet`.
    pub fn start(model: &str, quiet: bool) -> Self {
        if quiet || !io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
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
