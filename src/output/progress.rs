//! Batch progress on stderr: a bar on a terminal, plain periodic lines in CI logs, nothing
//! with `--quiet`. It only reads counters; the batch command updates them.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the run has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items known to exist (`None` while still counting, or when they come from stdin).
    pub total: Option<u64>,
    /// Items finished (any status, resumed ones included).
    pub done: u64,
    /// Items answered.
    pub ok: u64,
    /// Items failed.
    pub failed: u64,
    /// Items skipped.
    pub skipped: u64,
    /// Items already done in an earlier run.
    pub resumed: u64,
    /// Items waiting to retry.
    pub retrying: u64,
    /// Tokens used (input + output).
    pub tokens: u64,
    /// Retries made.
    pub retries: u64,
}

enum Mode {
    Bar(ProgressBar),
    Lines { last: Instant },
    Off,
}

/// The progress display.
pub struct Progress {
    mode: Mode,
    start: Instant,
}

/// How often plain progress lines are written when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    /// Picks a bar, lines or nothing from `quiet` and whether stderr is a terminal.
    pub fn new(quiet: bool) -> Self {
        let mode = if quiet {
            Mode::Off
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} {msg} [{elapsed_precise}, ETA {eta}]",
                )
                .expect("the template is valid"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            Mode::Bar(bar)
        } else {
            Mode::Lines {
                last: Instant::now(),
            }
        };
        Self {
            mode,
            start: Instant::now(),
        }
    }

    fn rate(&self, c: &Counts) -> f64 {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        (c.done - c.resumed) as f64 / secs
    }

    /// Shows the counters (rate-limited for plain lines).
    pub fn update(&mut self, c: &Counts) {
        let rate = self.rate(c);
        match &mut self.mode {
            Mode::Bar(bar) => {
                if let Some(total) = c.total {
                    bar.set_length(total);
                }
                bar.set_position(c.done);
                bar.set_message(format!(
                    "ok {} · failed {} · skipped {} · retrying {} · {} tokens · {rate:.1}/s",
                    c.ok, c.failed, c.skipped, c.retrying, c.tokens
                ));
            }
            Mode::Lines { last } => {
                if last.elapsed() >= LINE_EVERY {
                    *last = Instant::now();
                    let total = c.total.map_or("?".to_owned(), |t| t.to_string());
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "qwen: batch: {}/{total} done ({} ok, {} failed, {} skipped), {} retrying, {} tokens, {rate:.1} items/s",
                        c.done,
                        c.ok,
                        c.failed,
                        c.skipped,
                        c.retrying,
                        c.tokens
                    );
                }
            }
            Mode::Off => {}
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&mut self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }

    /// Returns the run's elapsed time.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}
