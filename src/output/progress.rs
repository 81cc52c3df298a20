//! Batch progress on stderr: a bar on a terminal, plain periodic lines in CI logs, nothing
//! with `--quiet`. It only reads counters; the batch command updates them.
//!
//! While the inputs are still being listed the total is unknown: the terminal shows a
//! spinner and `N/?`, never a bar or an ETA computed from a number that is still growing.

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
    /// Items abandoned in flight (Ctrl-C).
    pub interrupted: u64,
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
    Bar {
        bar: ProgressBar,
        /// The total is known and the bar shows it.
        sized: bool,
        /// Result lines go to stdout, which is a terminal too: write them with the bar
        /// cleared.
        clear_for_lines: bool,
    },
    Lines {
        last: Instant,
    },
    Off,
}

/// The progress display.
pub struct Progress {
    mode: Mode,
    start: Instant,
}

/// The terminal display until the total is known.
const SPINNER: &str = "{spinner} {pos}/? {msg} [{elapsed_precise}]";
/// The terminal display once the total is known.
const BAR: &str = "{bar:30} {pos}/{len} {msg} [{elapsed_precise}, ETA {eta}]";

/// How often plain progress lines are written when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    /// Picks a bar, lines or nothing from `quiet` and whether stderr is a terminal.
    pub fn new(quiet: bool) -> Self {
        let mode = if quiet {
            Mode::Off
        } else if std::io::stderr().is_terminal() && !ProgressDrawTarget::stderr().is_hidden() {
            // (A terminal indicatif cannot draw on, such as `TERM=dumb`, gets lines.)
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(style(SPINNER));
            bar.enable_steady_tick(Duration::from_millis(200));
            Mode::Bar {
                bar,
                sized: false,
                clear_for_lines: false,
            }
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

    /// Says whether result lines go to stdout; when stdout is the bar's terminal, each
    /// line is written with the bar cleared (see [`Progress::suspend`]).
    pub fn lines_on_stdout(&mut self, on_stdout: bool) {
        if let Mode::Bar {
            clear_for_lines, ..
        } = &mut self.mode
        {
            *clear_for_lines = on_stdout && std::io::stdout().is_terminal();
        }
    }

    /// Runs `write` (which writes a result line) with the bar off the screen when the line
    /// would land on the bar's terminal; the bar is drawn again below the line.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.mode {
            Mode::Bar {
                bar,
                clear_for_lines: true,
                ..
            } => bar.suspend(write),
            _ => write(),
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
            Mode::Bar { bar, sized, .. } => {
                if let Some(total) = c.total {
                    bar.set_length(total);
                    if !*sized {
                        *sized = true;
                        bar.set_style(style(BAR));
                    }
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
                    let _ = writeln!(std::io::stderr().lock(), "{}", line(c, rate));
                }
            }
            Mode::Off => {}
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&mut self) {
        if let Mode::Bar { bar, .. } = &self.mode {
            bar.finish_and_clear();
        }
    }

    /// Returns the run's elapsed time.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("the template is valid")
}

/// One plain progress line, for logs.
fn line(c: &Counts, rate: f64) -> String {
    let total = c.total.map_or("?".to_owned(), |t| t.to_string());
    format!(
        "qwen: batch: {}/{total} done ({} ok, {} failed, {} skipped), {} retrying, {} tokens, {rate:.1} items/s",
        c.done, c.ok, c.failed, c.skipped, c.retrying, c.tokens
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_the_total_once_known() {
        let mut c = Counts {
            done: 5,
            ok: 5,
            ..Default::default()
        };
        assert!(line(&c, 1.0).starts_with("qwen: batch: 5/? done (5 ok"));
        c.total = Some(20);
        assert!(line(&c, 1.0).starts_with("qwen: batch: 5/20 done"));
    }
}
