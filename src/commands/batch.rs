//! `qwen batch`: many items through the engine, one JSONL line per item, a summary at the end.

use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::api::Client;
use crate::api::retry::RetryPolicy;
use crate::batch::inputs::{self, Input, Source, Template, WalkOptions};
use crate::batch::item::{self, Context, Defaults, ItemOptions, ItemResult, Outcome};
use crate::batch::journal::{self, Sink};
use crate::batch::{AdaptiveLimit, RateLimits, run_all};
use crate::cli::{BatchArgs, Format, InputFormat};
use crate::config::{Settings, format_duration, parse_size};
use crate::error::{Exit, UsageError, note};
use crate::output::progress::{Counts, Progress};
use crate::output::{SCHEMA_VERSION, usage_json};
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
    let walk = WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        max_depth: args.max_depth,
        globs: args.globs.clone(),
        exclude: own_outputs(&args)?,
    };
    let template = Template::new(match (&args.prompt, &args.prompt_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(crate::input::read_text_file(path, false)?),
        (None, None) => None,
    });
    let system = match (&args.system, &args.system_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(crate::input::read_text_file(path, false)?),
        (None, None) => settings.system.clone(),
    };
    let (params, schema) = crate::validate::params_and_schema(settings, &args.params)?;
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

    let journal_path = match (&args.out_dir, &args.output) {
        (Some(dir), _) => Some(dir.join(journal::OUT_DIR_JOURNAL)),
        (None, Some(file)) => Some(file.clone()),
        (None, None) => None,
    };
    let done = match (&journal_path, args.resume) {
        (Some(path), true) => journal::done_keys(path)?,
        _ => HashSet::new(),
    };
    let items = inputs::spawn(source, walk)?;
    let items = items.take(args.max_items.unwrap_or(usize::MAX));

    if args.dry_run {
        return dry_run(
            settings, &args, items, &defaults, &template, &options, &done,
        )
        .await;
    }

    if args.remote.remote {
        return super::batch_remote::submit(
            settings,
            &args,
            items,
            &defaults,
            &template,
            &options,
            &done,
            schema.as_ref(),
        )
        .await;
    }
    let mut sink = open_sink(args.output.as_deref(), args.out_dir.as_deref(), args.resume)?;
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let limit = AdaptiveLimit::new(args.concurrency);
    let rates = RateLimits::new(args.rpm, args.tpm);
    let stop = Cell::new(false);
    let retrying = Cell::new(0);
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

    // Items are pulled a window ahead of the in-flight limit, so that one waiting out a
    // Retry-After does not leave a slot idle.
    let window = args.concurrency.max(1) * 2;
    let interrupted = {
        let engine = run_all(
            items.enumerate(),
            window,
            || stop.get(),
            |(index, input)| {
                let ctx = &ctx;
                async move { item::run(ctx, index, input).await }
            },
            |result| {
                run.counts.retrying = retrying.get() as u64;
                run.finish_item(result, &mut sink)
            },
        );
        tokio::pin!(engine);
        let mut interrupted = false;
        loop {
            tokio::select! {
                biased;
                result = &mut engine => {
                    result?;
                    break;
                }
                _ = tokio::signal::ctrl_c() => {
                    if interrupted {
                        break; // the second Ctrl-C drops the in-flight items
                    }
                    interrupted = true;
                    stop.set(true);
                    if !settings.quiet {
                        note("note", &format!(
                            "stopping: waiting for {} request(s) in flight (Ctrl-C again to abort them)",
                            limit.in_flight()
                        ));
                    }
                }
            }
        }
        interrupted
    };
    run.flush_ordered(&mut sink)?;
    run.progress.finish();
    run.summary();
    if budget.as_ref().is_some_and(|b| b.tripped.get()) && run.stop_reason.is_none() {
        run.stop_reason = Some(Exit::Budget);
    }
    Ok(run.exit(interrupted))
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

/// The run's own output file and directory, so the walk leaves them out;
/// refuses `-o` pointing at the `--input` file, which opening the output would empty.
fn own_outputs(args: &BatchArgs) -> anyhow::Result<Vec<PathBuf>> {
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    if let (Some(input), Some(output)) = (&args.input, &args.output)
        && input.as_os_str() != "-"
        && canon(input).is_some()
        && canon(input) == canon(output)
    {
        return Err(UsageError::new(
            format!(
                "`-o {}` is the `--input` file: writing results would erase it",
                output.display()
            ),
            Some("write the results to another file".into()),
        )
        .into());
    }
    Ok([args.output.as_deref(), args.out_dir.as_deref()]
        .into_iter()
        .flatten()
        .map(inputs::normalize)
        .collect())
}

/// Opens where result lines go: stdout or `-o FILE`, plus the `--out-dir` journal.
pub(crate) fn open_sink(
    output: Option<&std::path::Path>,
    out_dir: Option<&std::path::Path>,
    append: bool,
) -> anyhow::Result<Sink> {
    let journal = match out_dir {
        Some(dir) => Some(journal::open_results(
            &dir.join(journal::OUT_DIR_JOURNAL),
            append,
        )?),
        None => None,
    };
    let out: Box<dyn Write> = match output {
        Some(path) => Box::new(journal::open_results(path, append)?),
        None => Box::new(io::stdout()),
    };
    Ok(Sink::new(out, journal))
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
async fn dry_run(
    settings: &Settings,
    args: &BatchArgs,
    items: impl futures_util::Stream<Item = Input>,
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
        let plan = item::plan(defaults, template, options, input);
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
    /// `--out-dir` files written by this run.
    out_files: std::collections::HashSet<PathBuf>,
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
            out_files: std::collections::HashSet::new(),
            ledger: settings.ledger,
            cost: None,
            cost_unknown: false,
        }
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
        let line = self.line(&result)?;
        let c = &mut self.counts;
        c.retries += result.attempts.len().saturating_sub(1) as u64;
        match &result.outcome {
            Outcome::Ok(completion) => {
                c.ok += 1;
                c.tokens += completion.usage.map_or(0, |u| u.total_tokens);
            }
            Outcome::Failed(e) => {
                c.failed += 1;
                if e.fatal && self.stop_reason.is_none() {
                    self.stop.set(true);
                    self.stop_reason = Some(Exit::RateLimit);
                    note(
                        "error",
                        &format!(
                            "stopping the run: {} — the account cannot take more requests; \
                             items not started yet were left alone (rerun with --resume)",
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
                fatal: false,
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

    fn line(&mut self, r: &ItemResult) -> anyhow::Result<Option<Vec<u8>>> {
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
                match self.out_file(r)? {
                    Some(file) => {
                        crate::batch::journal::write_atomic(&file, c.text.as_bytes()).map_err(
                            |e| anyhow::anyhow!("cannot write `{}`: {e}", file.display()),
                        )?;
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
        line.insert("attempts".into(), json!(r.attempts.len()));
        line.insert("latency_ms".into(), json!(r.latency.as_millis() as u64));
        Ok(Some(serde_json::to_vec(&Value::Object(line))?))
    }

    /// Picks the `--out-dir` file for an item. Two inputs can map to one name (`../d/a.md`
    /// and `d/a.md`, or JSONL ids `..` and ``): the second gets `~2`, never overwriting.
    fn out_file(&mut self, r: &ItemResult) -> anyhow::Result<Option<PathBuf>> {
        let Some(dir) = &self.output.out_dir else {
            return Ok(None);
        };
        let input = match &r.path {
            Some(path) => path.clone(),
            // JSONL items have no path: their id names the file.
            None => PathBuf::from(r.id.replace(['/', '\\'], "_")),
        };
        // An id with no usable name (``, `..`, `/`) still gets a visible file.
        let input = if inputs::relative_for_output(&input).as_os_str().is_empty() {
            PathBuf::from("item")
        } else {
            input
        };
        let target = journal::out_path(dir, &input, &self.output.ext);
        let mut candidate = target.clone();
        let mut n = 1;
        while !self.out_files.insert(candidate.clone()) {
            n += 1;
            let mut name = target.file_name().unwrap_or_default().to_os_string();
            name.push(format!("~{n}"));
            candidate = target.with_file_name(name);
        }
        Ok(Some(candidate))
    }

    /// Writes every line still held back by `--ordered` (after an abort, gaps and all).
    pub fn flush_ordered(&mut self, sink: &mut Sink) -> io::Result<()> {
        for (_, line) in std::mem::take(&mut self.ordered) {
            if let Some(line) = line {
                sink.line(&line)?;
            }
        }
        Ok(())
    }

    fn write(&mut self, index: usize, line: Option<Vec<u8>>, sink: &mut Sink) -> io::Result<()> {
        if !self.output.ordered {
            return match line {
                Some(line) => sink.line(&line),
                None => Ok(()),
            };
        }
        self.ordered.insert(index, line);
        while let Some(line) = self.ordered.remove(&self.next) {
            if let Some(line) = line {
                sink.line(&line)?;
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
        let resumed = if c.resumed > 0 {
            format!(" ({} already done)", c.resumed)
        } else {
            String::new()
        };
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
                "{} item(s): {} ok, {} failed, {} skipped{resumed}; {} tokens{cost}; {} retries; {}",
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
