//! A local run (`qwen batch` without `--remote`): every item through the turn engine, at
//! most `--concurrency` at a time, within `--rpm`, `--tpm` and `--max-cost`; Ctrl-C drains
//! the requests in flight (up to `--drain-timeout`), a second one abandons them.

use std::cell::{Cell, RefCell};
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;

use super::inputs::{Listing, Next};
use super::item::{self, Context, Shutdown};
use super::results::{OutputOptions, Run};
use super::{Recipe, journal};
use crate::api::Client;
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::pace::{AdaptiveLimit, RateLimits, run_all};
use crate::term::note;
use crate::units::format_duration;

/// How a local run sends its items.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Requests started per minute at most.
    pub rpm: Option<NonZeroU32>,
    /// Input tokens sent per minute at most.
    pub tpm: Option<NonZeroU32>,
    /// Stop starting items when the estimated spend would pass this.
    pub max_cost: Option<f64>,
    /// Items taken at most (the stream is already cut; this tells the progress its total).
    pub max_items: Option<usize>,
    /// After the first Ctrl-C, how long requests in flight may still finish.
    pub drain_timeout: Duration,
}

/// Runs every item and writes its result; returns the run's exit status.
pub async fn run(
    settings: &Settings,
    recipe: &Recipe,
    items: impl futures_util::Stream<Item = Next>,
    listing: &Listing,
    opened: journal::Opened,
    output: OutputOptions,
    opts: &LocalOptions,
) -> anyhow::Result<Exit> {
    let journal::Opened { mut sink, state } = opened;
    let done = state.done;
    // Web sources come only over the native protocol (`--sources`).
    let sources = recipe
        .defaults
        .params
        .search_options
        .as_ref()
        .is_some_and(|o| o.enable_source);
    let endpoint = match sources && settings.api == crate::api::Protocol::Compat {
        true => settings.native_endpoint("`--sources`")?,
        false => settings.endpoint()?,
    };
    let client = Client::new(endpoint, settings.connect_timeout, settings.verbose)?;
    let limit = AdaptiveLimit::new(opts.concurrency);
    let rates = RateLimits::new(opts.rpm, opts.tpm);
    let stop = Cell::new(false);
    let retrying = Cell::new(0);
    let shutdown = Shutdown::default();
    let budget = opts.max_cost.map(|max| item::Budget {
        max,
        prices: &settings.prices,
        host: crate::api::endpoints::host_of(&settings.base_url),
        spent: Cell::new(0.0),
        reserved: Cell::new(0.0),
        tripped: Cell::new(false),
    });
    let warm_up = item::WarmUp::default();
    let ctx = Context {
        settings,
        client: &client,
        defaults: &recipe.defaults,
        template: &recipe.template,
        options: &recipe.options,
        limit: &limit,
        rates: &rates,
        done: &done,
        stop: &stop,
        retrying: &retrying,
        budget: budget.as_ref(),
        shutdown: &shutdown,
        warm_up: &warm_up,
    };
    let batch_id = format!(
        "local-{:x}-{:x}",
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
        std::process::id()
    );
    let mut run = Run::new(
        settings,
        output.clone(),
        recipe.schema.as_ref(),
        &recipe.defaults.params,
        batch_id,
        &stop,
    );
    run.claim_out_files(state.claims);
    // Result lines on the terminal that shows the bar: each one is written with the bar
    // cleared, or the bar's last frame stays behind above it.
    run.progress.lines_on_stdout(output.output.is_none());
    let run = RefCell::new(run);
    let max_items = opts.max_items.map_or(u64::MAX, |n| n as u64);
    let counts = |run: &mut Run<'_>| {
        run.counts.retrying = retrying.get() as u64;
        run.counts.total = total(listing, max_items);
    };

    // An input stream that cannot be read (or a duplicate id) ends the stream; the run
    // stops starting items, lets those in flight finish, and exits 2.
    let input_error: RefCell<Option<UsageError>> = RefCell::new(None);
    let items = items
        // Ctrl-C ends the wait for more input (a pipe that stays silent), too.
        .take_until(shutdown.stopping.notified())
        .scan((), |(), next: Next| {
            std::future::ready(match next {
                Ok(input) => Some(input),
                Err(err) => {
                    stop.set(true);
                    *input_error.borrow_mut() = Some(err);
                    None
                }
            })
        });

    // Items are pulled a window ahead of the in-flight limit, so that one waiting out a
    // Retry-After does not leave a slot idle.
    let window = opts.concurrency.max(1) * 2;
    let mut interrupted = false;
    let outcome = {
        let engine = run_all(
            items.enumerate(),
            window,
            || stop.get(),
            |(index, input)| {
                let ctx = &ctx;
                async move { item::run(ctx, index, input).await }
            },
            |result| {
                let mut run = run.borrow_mut();
                counts(&mut run);
                run.finish_item(result, &mut sink)
            },
        );
        tokio::pin!(engine);
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut drain_deadline = None;
        let mut tick = tokio::time::interval(PROGRESS_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let drained = async {
                match drain_deadline {
                    Some(deadline) => tokio::time::sleep_until(deadline).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                result = &mut engine => break result,
                _ = &mut ctrl_c => {
                    ctrl_c.set(tokio::signal::ctrl_c());
                    if interrupted {
                        note_abandoning(settings, &limit, "Ctrl-C again");
                        break Ok(());
                    }
                    interrupted = true;
                    stop.set(true);
                    shutdown.stopping.notify_waiters();
                    drain_deadline = Some(tokio::time::Instant::now() + opts.drain_timeout);
                    if !settings.quiet {
                        note("note", &format!(
                            "stopping: waiting up to {} for {} request(s) in flight \
                             (Ctrl-C again to abandon them)",
                            format_duration(opts.drain_timeout),
                            limit.in_flight()
                        ));
                    }
                }
                () = drained => {
                    note_abandoning(settings, &limit, "`--drain-timeout` passed");
                    break Ok(());
                }
                _ = tick.tick() => {
                    // Between results too: the total appears when the walk ends, and a
                    // run waiting on slow requests still shows that it is alive.
                    let mut run = run.borrow_mut();
                    counts(&mut run);
                    let run = &mut *run;
                    run.progress.update(&run.counts);
                }
            }
        }
        // Dropping the engine drops the items still under way; each leaves its result in
        // `shutdown.abandoned`.
    };
    let mut run = run.into_inner();
    let abandoned = shutdown.abandoned.take();
    if let Err(err) = outcome {
        // The output failed (a closed pipe, a full disk): no line can be written, but
        // every attempt that reached the server is billed, so it goes to the ledger.
        for mut result in abandoned {
            for attempt in &mut result.attempts {
                if attempt.error_code.as_deref() == Some("interrupted") {
                    attempt.error_code = Some("output_closed".into());
                }
            }
            run.record(&result);
        }
        return Err(err);
    }
    let mut abandoned = abandoned.into_iter();
    while let Some(result) = abandoned.next() {
        if let Err(err) = run.finish_item(result, &mut sink) {
            abandoned.for_each(|result| run.record(&result));
            return Err(err);
        }
    }
    run.flush_ordered(&mut sink)?;
    sink.finish()?;
    run.progress.finish();
    run.summary();
    if budget.as_ref().is_some_and(|b| b.tripped.get()) && run.stop_reason.is_none() {
        run.stop_reason = Some(Exit::Budget);
    }
    if let Some(err) = input_error.take().filter(|_| !interrupted) {
        return Err(err.into());
    }
    Ok(run.exit(interrupted))
}

/// How often the progress display is refreshed between results.
const PROGRESS_TICK: Duration = Duration::from_millis(500);

/// The number of items the run will see, once known: what the listing found, capped by
/// `--max-items` (known as soon as that many are found).
fn total(listing: &Listing, max_items: u64) -> Option<u64> {
    match listing.total() {
        Some(total) => Some(total.min(max_items)),
        None => (listing.found() >= max_items).then_some(max_items),
    }
}

fn note_abandoning(settings: &Settings, limit: &AdaptiveLimit, why: &str) {
    if !settings.quiet {
        note(
            "note",
            &format!(
                "{why}: abandoning {} request(s) in flight (`interrupted` lines; rerun with --resume)",
                limit.in_flight()
            ),
        );
    }
}
