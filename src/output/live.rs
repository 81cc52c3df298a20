//! A turn rendered as it arrives: the observer `chat` and `complete` give the turn engine,
//! and the notes on stderr for retries and fallbacks (`tools run` writes them too).

use std::io::{self, Write};
use std::time::Duration;

use super::Renderer;
use super::spinner::Spinner;
use crate::api::ApiError;
use crate::api::turn::{AttemptRecord, InFlight, Observer};
use crate::api::types::Event;
use crate::term::note;
use crate::units::format_duration;

/// Renders events as they arrive, notes retries and fallbacks, and keeps attempt records
/// (`qwen complete` uses it too).
pub struct ChatObserver<'a, W: Write> {
    pub renderer: &'a mut Renderer<W>,
    records: Vec<AttemptRecord>,
    in_flight: InFlight,
    /// The model of the attempt under way and the answer text it has sent so far.
    received: Option<(String, String)>,
    pub quiet: bool,
    pub max_attempts: u32,
    /// Shown on a terminal until the first event.
    spinner: Spinner,
}

impl<'a, W: Write> ChatObserver<'a, W> {
    /// Observes a turn for a command that renders it to stdout; `max_attempts` is what the
    /// retry notes count to, and `quiet` silences them.
    pub fn new(renderer: &'a mut Renderer<W>, quiet: bool, max_attempts: u32) -> Self {
        Self {
            renderer,
            records: Vec::new(),
            in_flight: InFlight::default(),
            received: None,
            quiet,
            max_attempts,
            spinner: Spinner::default(),
        }
    }

    /// Shows a spinner naming `model` on stderr until the first event (only on a terminal,
    /// and not with `quiet`).
    pub fn with_spinner(mut self, model: &str) -> Self {
        self.spinner = Spinner::start(model, self.quiet);
        self
    }
}

impl<W: Write> ChatObserver<'_, W> {
    /// Takes the attempt records, including one cut short by Ctrl-C.
    pub fn take_records(&mut self) -> Vec<AttemptRecord> {
        let mut records = std::mem::take(&mut self.records);
        records.extend(self.in_flight.interrupted());
        records
    }

    /// Takes the model of the last attempt and the answer text it sent, received whether
    /// or not it could be written (kept for an exchange whose stdout closed early).
    pub fn take_received(&mut self) -> Option<(String, String)> {
        self.received.take()
    }

    fn receive(&mut self, event: &Event) {
        if let (Event::Text(text), Some((_, so_far))) = (event, &mut self.received) {
            so_far.push_str(text);
        }
    }
}

impl<W: Write> Observer for ChatObserver<'_, W> {
    fn on_event(&mut self, event: &Event) -> io::Result<()> {
        self.spinner.stop();
        self.in_flight.event(event);
        self.receive(event);
        self.renderer.event(event)
    }

    fn on_event_more_ready(&mut self, event: &Event) -> io::Result<()> {
        self.spinner.stop();
        self.in_flight.event(event);
        self.receive(event);
        self.renderer.event_unflushed(event)
    }

    fn on_attempt_start(&mut self, model: &str, attempt: u32) {
        self.in_flight.start(model, attempt);
        self.received = Some((model.to_owned(), String::new()));
    }

    fn on_retry(&mut self, err: &ApiError, delay: Duration, next_attempt: u32) {
        let (quiet, max) = (self.quiet, self.max_attempts);
        self.spinner
            .suspend(|| note_retry(quiet, max, err, delay, next_attempt));
    }

    fn on_fallback(&mut self, from: &str, to: &str, err: &ApiError) {
        let quiet = self.quiet;
        self.spinner.suspend(|| note_fallback(quiet, from, to, err));
    }

    fn on_attempt(&mut self, record: &AttemptRecord) {
        self.in_flight.end();
        self.records.push(record.clone());
    }
}

/// Notes a retry on stderr (`qwen tools run` notes them the same way).
pub fn note_retry(
    quiet: bool,
    max_attempts: u32,
    err: &ApiError,
    delay: Duration,
    next_attempt: u32,
) {
    if !quiet {
        note(
            "retry",
            &format!(
                "{err}; retrying in {} (attempt {next_attempt} of {max_attempts})",
                format_duration(delay),
            ),
        );
    }
}

/// Notes a move to a fallback model on stderr.
pub fn note_fallback(quiet: bool, from: &str, to: &str, err: &ApiError) {
    if !quiet {
        note("note", &format!("`{from}` failed ({err}); trying `{to}`"));
    }
}
