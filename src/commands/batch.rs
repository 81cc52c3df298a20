//! `qwen batch`: many items through the engine, one JSONL line per item, a summary at the end.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::api::Client;
use crate::api::retry::RetryPolicy;
use crate::batch::inputs::{self, Listing, Next, Source, Template, WalkOptions};
use crate::batch::item::{self, Context, Defaults, ItemOptions, ItemResult, Outcome, Shutdown};
use crate::batch::journal::{self, OutputSpec, Sink};
use crate::batch::{AdaptiveLimit, RateLimits, run_all};
use crate::cli::{BatchArgs, InputFormat};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::output::progress::{Counts, Progress};
use crate::output::{Format, SCHEMA_VERSION, usage_json};
use crate::term::note;
use crate::units::{format_duration, parse_duration, parse_size};
use crate::validate::{self, Schema};

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

impl Drop for Run<'_> {
    fn drop(&mut self) {
        self.flush_ledger();
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

fn outcome_fields(line: &mut Map<String, Value>, outcome: &Outcome) {
    match outcome {
        Outcome::Skipped(reason) => {
            line.insert("status".into(), json!("skipped"));
            line.insert("reason".into(), json!(reason));
        }
        Outcome::Failed(e) => {
            line.insert("status".into(), json!("failed"));
            line.insert(
                "error".into(),
                json!({"status": e.status, "code": e.code, "message": e.message,
                       "request_id": e.request_id}),
            );
        }
        Outcome::Interrupted => {
            line.insert("status".into(), json!("interrupted"));
            line.insert(
                "error".into(),
                json!({"status": null, "code": "interrupted",
                       "message": "the run was stopped while the request was in flight",
                       "request_id": null}),
            );
        }
        _ => {}
    }
}

/// Where and how result lines are written.
#[derive(Debug, Clone)]
pub(crate) struct OutputOptions {
    /// `--ordered`.
    pub ordered: bool,
    /// `--out-dir`.
    pub out_dir: Option<PathBuf>,
    /// `--ext`.
    pub ext: String,
    /// `--fail-fast`.
    pub fail_fast: bool,
    /// Results come from the Batch API: ledger rows get the batch price.
    pub remote: bool,
}

/// The state of a run as results come in.
pub(crate) struct Run<'a> {
    pub settings: &'a Settings,
    pub output: OutputOptions,
    pub schema: Option<&'a Schema>,
    pub params: &'a crate::api::types::Params,
    /// Writes the ledger rows, started at the first ones.
    writer: Option<crate::ledger::Background>,
    pub batch_id: String,
    pub counts: Counts,
    pub progress: Progress,
    /// `--ordered`: finished lines waiting for the ones before them.
    ordered: BTreeMap<usize, Option<Vec<u8>>>,
    next: usize,
    pub stop: &'a Cell<bool>,
    pub stop_reason: Option<Exit>,
    /// Ledger rows not sent to the writer yet: they go in groups, so that its thread wakes
    /// once per group rather than once per item.
    pending_rows: Vec<crate::store::CallRow>,
    last_flush: std::time::Instant,
    /// `--out-dir` files (normalised) and the id of the item that owns each, from this
    /// run and, on resume, from the journal.
    out_files: HashMap<PathBuf, String>,
    /// `--out-dir` files written by this run.
    written: HashSet<PathBuf>,
    /// The longest file name the `--out-dir` file system takes, once known.
    name_max: Option<usize>,
    /// Record attempts in the ledger (off when re-fetching a job already recorded).
    pub ledger: bool,
    /// The run's estimated cost and its currency, from the attempts' usage.
    cost: Option<(f64, String)>,
    /// Some attempt used tokens at an unknown price.
    cost_unknown: bool,
}

impl<'a> Run<'a> {
    /// Starts a run's bookkeeping.
    pub fn new(
        settings: &'a Settings,
        output: OutputOptions,
        schema: Option<&'a Schema>,
        params: &'a crate::api::types::Params,
        batch_id: String,
        stop: &'a Cell<bool>,
    ) -> Self {
        Self {
            settings,
            output,
            schema,
            params,
            writer: None,
            batch_id,
            counts: Counts::default(),
            progress: Progress::new(settings.quiet),
            ordered: BTreeMap::new(),
            next: 0,
            stop,
            stop_reason: None,
            pending_rows: Vec::new(),
            last_flush: std::time::Instant::now(),
            out_files: HashMap::new(),
            written: HashSet::new(),
            name_max: None,
            ledger: settings.ledger,
            cost: None,
            cost_unknown: false,
        }
    }

    /// Reserves the `--out-dir` files earlier runs wrote for their items, so an item of
    /// this run whose name maps to the same file gets another one.
    pub fn claim_out_files(&mut self, claims: HashMap<PathBuf, String>) {
        self.out_files.extend(claims);
    }

    /// Hands the pending ledger rows to the writer (dropping the run does it too, so an
    /// early error return loses no billed attempt).
    pub fn flush_ledger(&mut self) {
        if self.pending_rows.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.pending_rows);
        self.writer
            .get_or_insert_with(|| crate::ledger::Background::start(self.settings))
            .send(rows);
        self.last_flush = std::time::Instant::now();
    }

    /// Writes one finished item and updates the counters, the ledger and the progress.
    pub fn finish_item(&mut self, mut result: ItemResult, sink: &mut Sink) -> anyhow::Result<()> {
        self.record(&result);
        self.check_output(&mut result);
        let file = self.write_out_file(&mut result);
        let line = self.line(&result, file.as_deref())?;
        let c = &mut self.counts;
        c.retries += result.attempts.len().saturating_sub(1) as u64;
        match &result.outcome {
            Outcome::Ok(completion) => {
                c.ok += 1;
                c.tokens += completion.usage.map_or(0, |u| u.total_tokens);
            }
            Outcome::Failed(e) => {
                c.failed += 1;
                if let Some(exit) = e.fatal
                    && self.stop_reason.is_none()
                {
                    self.stop.set(true);
                    self.stop_reason = Some(exit);
                    let why = if exit == Exit::Auth {
                        "the API key was rejected"
                    } else {
                        "the account cannot take more requests"
                    };
                    note(
                        "error",
                        &format!(
                            "stopping the run: {} — {why}; items not started yet were left \
                             alone (rerun with --resume)",
                            e.message
                        ),
                    );
                } else if self.output.fail_fast && !self.stop.get() {
                    self.stop.set(true);
                    note("note", "stopping after the first failure (--fail-fast)");
                }
            }
            Outcome::Skipped(_) => c.skipped += 1,
            Outcome::AlreadyDone => c.resumed += 1,
            Outcome::Interrupted => c.interrupted += 1,
            Outcome::NotStarted => {}
        }
        if !matches!(result.outcome, Outcome::NotStarted) {
            c.done += 1;
        }
        self.write(result.index, line, sink)?;
        self.progress.update(&self.counts);
        Ok(())
    }

    fn record(&mut self, result: &ItemResult) {
        if result.attempts.is_empty() {
            return;
        }
        let rows: Vec<_> = result
            .attempts
            .iter()
            .map(|a| {
                let mut row = crate::ledger::row(self.settings, "batch", a);
                row.batch_id = Some(self.batch_id.clone());
                row.item_id = Some(result.id.clone());
                if self.output.remote {
                    // The Batch API bills half the real-time price.
                    let host = crate::api::endpoints::host_of(&self.settings.base_url);
                    let cost = a.usage.and_then(|u| {
                        std::iter::once(&a.model)
                            .chain(&a.requested_model)
                            .find_map(|m| {
                                crate::prices::cost(
                                    &self.settings.prices,
                                    m,
                                    host,
                                    &u,
                                    u.reasoning_tokens > 0,
                                    true,
                                )
                            })
                    });
                    row.cost = cost.map(|c| c.amount);
                    row.currency = cost.map(|c| c.currency.code().to_owned());
                }
                row
            })
            .collect();
        for row in &rows {
            match (row.cost, &row.currency) {
                (Some(amount), Some(currency)) => match &mut self.cost {
                    Some((total, cur)) if cur == currency => *total += amount,
                    Some(_) => self.cost_unknown = true,
                    None => self.cost = Some((amount, currency.clone())),
                },
                _ if row.prompt_tokens.is_some_and(|t| t > 0) => self.cost_unknown = true,
                _ => {}
            }
        }
        if self.ledger {
            self.pending_rows.extend(rows);
            if self.pending_rows.len() >= 64
                || self.last_flush.elapsed() >= std::time::Duration::from_millis(250)
            {
                self.flush_ledger();
            }
        }
    }

    /// `--json` / `--schema`: a reply that does not fit fails the item.
    fn check_output(&self, result: &mut ItemResult) {
        let Outcome::Ok(completion) = &result.outcome else {
            return;
        };
        if let Err(err) = validate::check(self.params, self.schema, &completion.text) {
            result.outcome = Outcome::Failed(item::ItemError {
                status: None,
                code: Some("invalid_output".into()),
                message: err.0,
                request_id: completion.request_id.clone(),
                fatal: None,
            });
        }
    }

    /// Builds the result line, writing `--out-dir` files on the way; `None` for items
    /// that produce no line (already done, never started).
    /// Returns the exit status for the run so far.
    pub fn exit(&self, interrupted: bool) -> Exit {
        if interrupted {
            Exit::Interrupted
        } else if let Some(exit) = self.stop_reason {
            exit
        } else if self.counts.failed + self.counts.skipped > 0 {
            Exit::Partial
        } else {
            Exit::Success
        }
    }

    fn line(&self, r: &ItemResult, file: Option<&Path>) -> anyhow::Result<Option<Vec<u8>>> {
        if matches!(r.outcome, Outcome::AlreadyDone | Outcome::NotStarted) {
            return Ok(None);
        }
        let mut line = Map::new();
        line.insert("v".into(), json!(SCHEMA_VERSION));
        line.insert("id".into(), json!(r.id));
        line.insert(
            "path".into(),
            json!(r.path.as_ref().map(|p| p.display().to_string())),
        );
        line.insert("key".into(), json!(r.key));
        match &r.outcome {
            Outcome::Ok(c) => {
                line.insert("status".into(), json!("ok"));
                match file {
                    Some(file) => {
                        line.insert("file".into(), json!(file.display().to_string()));
                    }
                    None => {
                        line.insert("output".into(), json!(c.text));
                    }
                }
                if !c.reasoning.is_empty() {
                    line.insert("reasoning".into(), json!(c.reasoning));
                }
                line.insert(
                    "usage".into(),
                    c.usage.as_ref().map_or(Value::Null, usage_json),
                );
                line.insert("model".into(), json!(c.model));
                if let Some(asked) = r.attempts.last().and_then(|a| a.requested_model.as_ref()) {
                    line.insert("requested_model".into(), json!(asked));
                }
            }
            other => outcome_fields(&mut line, other),
        }
        if let (Outcome::Interrupted, Some(Value::Object(error))) =
            (&r.outcome, line.get_mut("error"))
        {
            let request_id = r.attempts.last().and_then(|a| a.request_id.clone());
            error.insert("request_id".into(), json!(request_id));
        }
        line.insert("attempts".into(), json!(r.attempts.len()));
        line.insert("latency_ms".into(), json!(r.latency.as_millis() as u64));
        Ok(Some(serde_json::to_vec(&Value::Object(line))?))
    }

    /// Writes an `ok` item's reply to its `--out-dir` file and returns the file; a file
    /// that cannot be written fails that item alone, with the OS error and the path.
    fn write_out_file(&mut self, result: &mut ItemResult) -> Option<PathBuf> {
        let Outcome::Ok(completion) = &result.outcome else {
            return None;
        };
        let file = self.out_file(result)?;
        let written = if result
            .path
            .as_deref()
            .is_some_and(|input| journal::same_file(&file, input))
        {
            Err(format!(
                "cannot write `{}`: it is the item's input",
                file.display()
            ))
        } else {
            journal::write_atomic(&file, completion.text.as_bytes())
                .map_err(|e| format!("cannot write `{}`: {e}", file.display()))
        };
        match written {
            Ok(()) => Some(file),
            Err(message) => {
                result.outcome = Outcome::Failed(item::ItemError {
                    status: None,
                    code: Some("write_error".into()),
                    message,
                    request_id: completion.request_id.clone(),
                    fatal: None,
                });
                None
            }
        }
    }

    /// Picks the `--out-dir` file for an item. Two inputs can map to one name (`../d/a.md`
    /// and `d/a.md`, or JSONL ids `x/y` and `x_y`), in one run or across resumed runs: the
    /// later one gets `~2`, never overwriting a file another item owns. Names longer than
    /// the file system takes are shortened with a hash.
    fn out_file(&mut self, r: &ItemResult) -> Option<PathBuf> {
        let dir = self.output.out_dir.clone()?;
        let input = match &r.path {
            Some(path) => path.clone(),
            // JSONL items have no path: their id names the file.
            None => PathBuf::from(r.id.replace(['/', '\\', '\0'], "_")),
        };
        // An id with no usable name (``, `..`, `/`) still gets a visible file.
        let input = if inputs::relative_for_output(&input).as_os_str().is_empty() {
            PathBuf::from("item")
        } else {
            input
        };
        let target = journal::out_path(&dir, &input, &self.output.ext);
        let rel = target.strip_prefix(&dir).unwrap_or(&target).to_path_buf();
        let max = *self.name_max.get_or_insert_with(|| journal::name_max(&dir));
        let mut n = 1;
        loop {
            let mut name = rel.clone().into_os_string();
            if n > 1 {
                name.push(format!("~{n}"));
            }
            let candidate = dir.join(journal::fit_name(Path::new(&name), max));
            let key = inputs::normalize(&candidate);
            let owner = self.out_files.get(&key);
            if self.written.contains(&key) || owner.is_some_and(|id| *id != r.id) {
                n += 1;
                continue;
            }
            self.out_files.insert(key.clone(), r.id.clone());
            self.written.insert(key);
            return Some(candidate);
        }
    }

    /// Writes every line still held back by `--ordered` (after an abort, gaps and all).
    pub fn flush_ordered(&mut self, sink: &mut Sink) -> anyhow::Result<()> {
        for (_, line) in std::mem::take(&mut self.ordered) {
            if let Some(line) = line {
                self.progress.suspend(|| sink.out(&line))?;
            }
        }
        Ok(())
    }

    fn write(
        &mut self,
        index: usize,
        line: Option<Vec<u8>>,
        sink: &mut Sink,
    ) -> anyhow::Result<()> {
        // The journal first, as the item finishes: resume appends to `-o` whatever the
        // journal has and `-o` lacks, so a line that never reached `-o` (killed while it
        // waited for `--ordered`, or a full disk) is neither lost nor paid for twice.
        if let Some(line) = &line {
            sink.journal(line)?;
        }
        let progress = &self.progress;
        if !self.output.ordered {
            return match line {
                Some(line) => progress.suspend(|| sink.out(&line)),
                None => Ok(()),
            };
        }
        self.ordered.insert(index, line);
        while let Some(line) = self.ordered.remove(&self.next) {
            if let Some(line) = line {
                progress.suspend(|| sink.out(&line))?;
            }
            self.next += 1;
        }
        Ok(())
    }

    /// Writes what is pending and prints the summary line.
    pub fn summary(&mut self) {
        self.flush_ledger();
        if let Some(writer) = self.writer.take() {
            writer.finish();
        }
        if self.settings.quiet {
            return;
        }
        let c = &self.counts;
        let mut others = String::new();
        if c.interrupted > 0 {
            others.push_str(&format!(", {} interrupted", c.interrupted));
        }
        if c.resumed > 0 {
            others.push_str(&format!(" ({} already done)", c.resumed));
        }
        let cost = match (&self.cost, self.cost_unknown) {
            (None, false) => String::new(),
            (None, true) => "; cost unknown".to_owned(),
            (Some((amount, currency)), unknown) => format!(
                "; cost {}{} {currency}",
                if unknown { "at least " } else { "" },
                crate::prices::format_amount(*amount)
            ),
        };
        note(
            "batch",
            &format!(
                "{} item(s): {} ok, {} failed, {} skipped{others}; {} tokens{cost}; {} retries; {}",
                c.done,
                c.ok,
                c.failed,
                c.skipped,
                c.tokens,
                c.retries,
                format_duration(self.progress.elapsed())
            ),
        );
    }
}
