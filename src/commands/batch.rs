//! `qwen batch`: many items through the engine, one JSONL line per item, a summary at the end.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::api::Client;
use crate::api::retry::RetryPolicy;
use crate::batch::inputs::{self, Listing, Next, Source, Template, WalkOptions};
use crate::batch::item::{self, Context, Defaults, ItemOptions, Shutdown};
use crate::batch::journal::{self, OutputSpec};
use crate::batch::results::{OutputOptions, Run, outcome_fields};
use crate::batch::{AdaptiveLimit, RateLimits, run_all};
use crate::cli::{BatchArgs, InputFormat};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::output::{Format, SCHEMA_VERSION};
use crate::term::note;
use crate::units::{format_duration, parse_duration, parse_size};

/// Runs `qwen batch`.
pub async fn run(settings: &Settings, args: BatchArgs) -> anyhow::Result<Exit> {
    if let Some(action) = &args.action {
        return super::batch_remote::action(settings, action).await;
    }
    if settings.format_flag.is_some_and(|f| f != Format::Jsonl) {
        return Err(UsageError::new(
            "`qwen batch` writes JSONL only",
            Some("use `--out-dir DIR` for one plain reply file per input".into()),
        )
        .into());
    }
    if args.resume && args.output.is_none() && args.out_dir.is_none() {
        return Err(UsageError::new(
            "`--resume` needs `--output FILE` or `--out-dir DIR` to find what is done",
            None,
        )
        .into());
    }
    let stdin_jsonl = args.input_format == InputFormat::Jsonl;
    if stdin_jsonl && args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err(UsageError::new(
            "`--input-format jsonl` reads requests from `-` (standard input) only",
            Some("for a JSONL file, use `--input FILE.jsonl`".into()),
        )
        .into());
    }
    let source = match (&args.input, args.paths.is_empty()) {
        (Some(path), _) => Source::Jsonl(path.clone()),
        (None, false) if stdin_jsonl => Source::Jsonl(PathBuf::from("-")),
        (None, false) => Source::Paths(args.paths.clone()),
        (None, true) => {
            return Err(UsageError::new(
                "nothing to do: give files or directories, `-` for a list on stdin, or `--input FILE.jsonl`",
                Some("example: `qwen batch docs/ --prompt 'Summarise {name}' -o out.jsonl`".into()),
            )
            .into());
        }
    };
    let spec = OutputSpec {
        output: args.output.as_deref(),
        out_dir: args.out_dir.as_deref(),
        resume: args.resume,
        force: args.force,
        ordered: args.ordered,
    };
    let walk = WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        max_depth: args.max_depth,
        globs: args.globs.clone(),
        exclude: own_outputs(&args, &spec)?,
        exclude_files: journal::own_files(&spec).1,
    };
    let template = Template::new(match (&args.prompt, &args.prompt_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(crate::input::read_text_file(
            path,
            false,
            settings.max_input,
        )?),
        (None, None) => None,
    });
    let system = match (&args.system, &args.system_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(crate::input::read_text_file(
            path,
            false,
            settings.max_input,
        )?),
        (None, None) => settings.system.clone(),
    };
    let (params, schema) = crate::validate::params_and_schema(settings, &args.params.as_params())?;
    let defaults = Defaults {
        model: settings.model.clone(),
        system,
        params,
        stream: !args.params.no_stream,
    };
    let options = ItemOptions {
        max_bytes: parse_size(&args.max_bytes)
            .map_err(|e| UsageError::new(format!("invalid `--max-bytes`: {e}"), None))?,
        truncate: args.truncate,
        lossy: args.lossy,
        retry: RetryPolicy {
            retries: settings.retries_set.unwrap_or(5),
            ..settings.retry
        },
        first_token_timeout: settings.turn_first_token_timeout(),
        idle_timeout: settings.idle_timeout,
    };

    let drain_timeout = parse_duration(&args.drain_timeout)
        .map_err(|e| UsageError::new(format!("invalid `--drain-timeout`: {e}"), None))?;
    let (items, listing) = inputs::spawn(source, walk)?;
    let items = items.take(args.max_items.unwrap_or(usize::MAX));

    if args.dry_run {
        let done = journal::read_state(&spec)?.done;
        return dry_run(
            settings, &args, items, &defaults, &template, &options, &done,
        )
        .await;
    }

    if args.remote.remote {
        // A window the Batch API would refuse stops the run before any output is created.
        super::batch_remote::completion_window(&args.remote)?;
    }
    let opened = journal::open(&spec)?;
    if args.remote.remote {
        return super::batch_remote::submit(
            settings,
            &args,
            items,
            &defaults,
            &template,
            &options,
            opened,
            schema.as_ref(),
        )
        .await;
    }
    let journal::Opened { mut sink, state } = opened;
    let done = state.done;
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let limit = AdaptiveLimit::new(args.concurrency);
    let rates = RateLimits::new(args.rpm, args.tpm);
    let stop = Cell::new(false);
    let retrying = Cell::new(0);
    let shutdown = Shutdown::default();
    let budget = args.max_cost.map(|max| item::Budget {
        max,
        prices: &settings.prices,
        host: crate::api::endpoints::host_of(&settings.base_url),
        spent: Cell::new(0.0),
        reserved: Cell::new(0.0),
        tripped: Cell::new(false),
    });
    let ctx = Context {
        client: &client,
        defaults: &defaults,
        template: &template,
        options: &options,
        limit: &limit,
        rates: &rates,
        done: &done,
        stop: &stop,
        retrying: &retrying,
        budget: budget.as_ref(),
        shutdown: &shutdown,
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
        output_options(&args),
        schema.as_ref(),
        &defaults.params,
        batch_id,
        &stop,
    );
    run.claim_out_files(state.claims);
    // Result lines on the terminal that shows the bar: each one is written with the bar
    // cleared, or the bar's last frame stays behind above it.
    run.progress.lines_on_stdout(args.output.is_none());
    let run = RefCell::new(run);
    let max_items = args.max_items.map_or(u64::MAX, |n| n as u64);
    let counts = |run: &mut Run<'_>| {
        run.counts.retrying = retrying.get() as u64;
        run.counts.total = total(&listing, max_items);
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
    let window = args.concurrency.max(1) * 2;
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
                    drain_deadline = Some(tokio::time::Instant::now() + drain_timeout);
                    if !settings.quiet {
                        note("note", &format!(
                            "stopping: waiting up to {} for {} request(s) in flight \
                             (Ctrl-C again to abandon them)",
                            format_duration(drain_timeout),
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

/// The output options of a `qwen batch` command line.
pub(crate) fn output_options(args: &BatchArgs) -> OutputOptions {
    OutputOptions {
        ordered: args.ordered,
        out_dir: args.out_dir.clone(),
        ext: args.ext.clone(),
        fail_fast: args.fail_fast,
        remote: args.remote.remote,
    }
}

/// Refuses outputs that would destroy inputs or earlier results (before anything is
/// opened), and returns the paths the walk leaves out: the run's own output file and
/// directory, and where each root's `--out-dir` replies go.
fn own_outputs(args: &BatchArgs, spec: &OutputSpec<'_>) -> anyhow::Result<Vec<PathBuf>> {
    let mut read: Vec<PathBuf> = args.paths.clone();
    read.extend(args.input.iter().cloned());
    read.extend(args.prompt_file.iter().cloned());
    read.extend(args.system_file.iter().cloned());
    journal::check(spec, &read)?;
    let mut exclude: Vec<PathBuf> = [args.output.as_deref(), args.out_dir.as_deref()]
        .into_iter()
        .flatten()
        .map(inputs::normalize)
        .collect();
    exclude.extend(journal::own_files(spec).0);
    let Some(dir) = &args.out_dir else {
        return Ok(exclude);
    };
    for root in args.paths.iter().filter(|p| p.as_os_str() != "-") {
        // Replies for `root` go to `DIR/<root>/…`: inside the walked tree (`--out-dir docs`
        // over `docs`), that subtree is left out, so a rerun does not send them.
        let mirror = inputs::normalize(&dir.join(inputs::relative_for_output(root)));
        if root.is_dir() {
            if inputs::normalize(root).starts_with(&mirror) {
                return Err(UsageError::new(
                    format!(
                        "`--out-dir {}` would put the replies for `{}` among its files, where a rerun would send them",
                        dir.display(),
                        root.display()
                    ),
                    Some(format!(
                        "choose another `--out-dir`, e.g. `{}`",
                        dir.join("replies").display()
                    )),
                )
                .into());
            }
            exclude.push(mirror);
            continue;
        }
        let target = journal::out_path(dir, root, &args.ext);
        if let Some(input) = read
            .iter()
            .chain(args.output.as_ref())
            .find(|p| p.as_os_str() != "-" && journal::same_file(&target, p))
        {
            return Err(UsageError::new(
                format!(
                    "`--out-dir {}` would write the reply for `{}` over `{}`",
                    dir.display(),
                    root.display(),
                    input.display()
                ),
                Some("choose another `--out-dir` or `--ext`".into()),
            )
            .into());
        }
        exclude.push(inputs::normalize(&target));
    }
    Ok(exclude)
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
async fn dry_run(
    settings: &Settings,
    args: &BatchArgs,
    items: impl futures_util::Stream<Item = Next>,
    defaults: &Defaults,
    template: &Template,
    options: &ItemOptions,
    done: &HashSet<String>,
) -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    let (mut count, mut tokens) = (0u64, 0u64);
    // With --remote, the Batch API files are built for real (in a throwaway directory) so
    // the split into files and lines is exactly what a run would upload.
    let scratch = tempfile::tempdir()?;
    let mut parts = if args.remote.remote {
        Some(super::batch_remote::part_writer(
            scratch.path().join("parts"),
            &args.remote,
        )?)
    } else {
        None
    };
    let host = crate::api::endpoints::host_of(&settings.base_url);
    let mut cost: Option<crate::prices::Cost> = None;
    let mut unknown_cost = false;
    let mut items = std::pin::pin!(items);
    while let Some(input) = items.next().await {
        let plan = item::plan(defaults, template, options, input?).await;
        let mut line = Map::new();
        line.insert("v".into(), json!(SCHEMA_VERSION));
        line.insert("id".into(), json!(plan.id));
        if let Some(path) = &plan.path {
            line.insert("path".into(), json!(path.display().to_string()));
        }
        match &plan.request {
            Ok(request) => {
                let key = item::request_key(&plan.id, request);
                let est = item::estimated_tokens(request);
                let mut status = if done.contains(&key) {
                    "done"
                } else {
                    "would_send"
                };
                if let (Some(writer), "would_send") = (parts.as_mut(), status)
                    && let Err(outcome) =
                        writer.add(&plan.id, plan.path.as_deref(), &key, request)?
                {
                    outcome_fields(&mut line, &outcome);
                    status = "skipped";
                }
                if status == "would_send" {
                    count += 1;
                    tokens += est;
                    let usage = crate::api::types::Usage {
                        prompt_tokens: est,
                        ..Default::default()
                    };
                    match crate::prices::cost(
                        &settings.prices,
                        &request.model,
                        host,
                        &usage,
                        false,
                        args.remote.remote,
                    ) {
                        Some(c) => match &mut cost {
                            Some(total) if total.currency == c.currency => total.amount += c.amount,
                            Some(_) => unknown_cost = true,
                            None => cost = Some(c),
                        },
                        None => unknown_cost = true,
                    }
                    line.insert("status".into(), json!(status));
                } else if status == "done" {
                    line.insert("status".into(), json!(status));
                }
                line.insert("model".into(), json!(request.model));
                line.insert("estimated_tokens".into(), json!(est));
            }
            Err(outcome) => outcome_fields(&mut line, outcome),
        }
        serde_json::to_writer(&mut out, &Value::Object(line))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let cost_text = match (cost, unknown_cost) {
        (Some(c), false) => format!(
            "about {} {} for the input",
            crate::prices::format_amount(c.amount),
            c.currency.code()
        ),
        (Some(c), true) => format!(
            "at least {} {} for the input (some prices unknown)",
            crate::prices::format_amount(c.amount),
            c.currency.code()
        ),
        (None, _) => "input cost unknown".to_owned(),
    };
    let route = match parts {
        Some(writer) => {
            let (_, parts, lines, _) = writer.finish()?;
            format!(
                "{} file(s) with {} line(s) would be uploaded to the Batch API at the batch price, ",
                parts.len(),
                lines.len()
            )
        }
        None => String::new(),
    };
    note(
        "dry run",
        &format!(
            "{count} item(s) would be sent, about {tokens} input tokens ({route}{cost_text}); nothing was sent"
        ),
    );
    Ok(Exit::Success)
}
