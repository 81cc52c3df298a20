//! A remote job from start to end: `qwen batch --remote` builds the part files, submits (or
//! reattaches), waits and collects; `status`, `cancel` and `fetch` pick a job up again.
//!
//! The results go through the same [`Run`] as a local run's, so the lines are alike.

use std::cell::Cell;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use futures_util::StreamExt;
use serde_json::json;

use super::{Limits, PartWriter, fit_media};
use crate::api::batches::{self, BatchObject};
use crate::api::retry::RetryPolicy;
use crate::api::{Client, Protocol};
use crate::batch::Recipe;
use crate::batch::inputs::Next;
use crate::batch::item::{self, ItemResult, Outcome};
use crate::batch::journal::{self, OutputSpec, Sink};
use crate::batch::results::{OutputOptions, Run};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::output::SCHEMA_VERSION;
use crate::output::progress::Counts;
use crate::store::{RemoteJob, Store};
use crate::term::note;
use crate::units::{parse_duration, parse_size};

/// The Batch API route's options, as given; each is checked where a run first needs it.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// `--window`: the completion window.
    pub window: String,
    /// `--detach`: submit, print the job id and exit.
    pub detach: bool,
    /// `--poll-interval`: the first wait between status polls.
    pub poll_interval: String,
    /// `--max-file-lines`.
    pub max_file_lines: usize,
    /// `--max-file-bytes`.
    pub max_file_bytes: String,
    /// `--max-line-bytes`.
    pub max_line_bytes: String,
    /// `--resume`: reattach to the open job that has the same items.
    pub resume: bool,
}

/// What `qwen batch fetch` was given.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The job id.
    pub job: String,
    /// Where the JSONL results go (default: the submitting run's).
    pub output: Option<PathBuf>,
    /// Where reply files go (default: the submitting run's).
    pub out_dir: Option<PathBuf>,
    /// The first wait between status polls.
    pub poll_interval: String,
}

/// Where a job's part files live.
fn jobs_dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("remote")
}

/// Returns `--window` as it will be sent, or a usage error when the Batch API would refuse
/// it: a bad window must stop the run before anything is uploaded (and in `--dry-run`).
pub fn completion_window(args: &RemoteOptions) -> anyhow::Result<String> {
    batches::completion_window(&args.window)
        .map_err(|e| UsageError::new(format!("invalid `--window`: {e}"), None).into())
}

/// Returns a part writer with the command line's limits (and checks `--window`).
pub fn part_writer(dir: PathBuf, args: &RemoteOptions) -> anyhow::Result<PartWriter> {
    completion_window(args)?;
    let size = |text: &str, flag: &str| {
        parse_size(text).map_err(|e| UsageError::new(format!("invalid `{flag}`: {e}"), None))
    };
    let limits = Limits {
        lines: args.max_file_lines.max(1),
        file_bytes: size(&args.max_file_bytes, "--max-file-bytes")?,
        line_bytes: size(&args.max_line_bytes, "--max-line-bytes")?,
    };
    PartWriter::new(dir, limits)
}

/// The endpoint for Batch API calls: they exist only under the OpenAI-compatible root, so
/// with `--api native` the native root (`…/api/v1`) is mapped to `…/compatible-mode/v1`.
fn batch_endpoint(settings: &Settings) -> anyhow::Result<crate::api::Endpoint> {
    let mut endpoint = settings.endpoint()?;
    if endpoint.protocol == Protocol::Native {
        let Some(base) = crate::api::endpoints::compat_base_of(&endpoint.base_url) else {
            return Err(UsageError::new(
                "the Batch API is served only under the OpenAI-compatible root",
                Some(
                    "pass `--api compat`, or a `--base-url` ending in `/compatible-mode/v1`".into(),
                ),
            )
            .into());
        };
        endpoint.base_url = base;
        endpoint.protocol = Protocol::Compat;
    }
    Ok(endpoint)
}

fn poll_interval(text: &str) -> anyhow::Result<Duration> {
    parse_duration(text)
        .map_err(|e| UsageError::new(format!("invalid `--poll-interval`: {e}"), None).into())
}

/// Prints a warning unless `--quiet`.
fn warn(settings: &Settings) -> impl FnMut(String) + '_ {
    |message| {
        if !settings.quiet {
            note("warning", &message);
        }
    }
}

fn retry(settings: &Settings) -> RetryPolicy {
    RetryPolicy {
        retries: settings.retries_set.unwrap_or(5),
        ..settings.retry
    }
}

fn item_result(
    index: usize,
    id: String,
    path: Option<PathBuf>,
    key: Option<String>,
    outcome: Outcome,
) -> ItemResult {
    ItemResult {
        index,
        id,
        path,
        key,
        outcome,
        attempts: Vec::new(),
        latency: Duration::ZERO,
    }
}

/// Runs `qwen batch --remote`: builds the files, submits (or reattaches with `resume`),
/// waits, collects.
pub async fn run(
    settings: &Settings,
    recipe: &Recipe,
    items: impl futures_util::Stream<Item = Next>,
    outputs: journal::Opened,
    output: OutputOptions,
    args: &RemoteOptions,
) -> anyhow::Result<Exit> {
    let window = completion_window(args)?;
    let poll = poll_interval(&args.poll_interval)?;
    let endpoint = batch_endpoint(settings)?;
    let mut store = Store::open(&settings.data_dir)
        .context("the remote route keeps its jobs in the local store, which cannot be opened")?;
    let stop = Cell::new(false);
    let journal::Opened {
        mut sink,
        state: journal::ResumeState { done, claims },
    } = outputs;
    let done = &done;
    let mut run = Run::new(
        settings,
        output.clone(),
        recipe.schema.as_ref(),
        &recipe.defaults.params,
        String::new(),
        &stop,
    );
    run.claim_out_files(claims);

    // Build the part files first (uploading attached files); unfit items get their lines now.
    let scratch = jobs_dir(settings).join(format!("new-{}", std::process::id()));
    let mut writer = part_writer(scratch.clone(), args)?;
    let up = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let mut items = std::pin::pin!(items.enumerate());
    while let Some((index, input)) = items.next().await {
        // An input stream that cannot be read stops the job before anything is uploaded.
        let plan = recipe.plan(input?).await;
        let mut request = match plan.request {
            Ok(request) => request,
            Err(outcome) => {
                run.finish_item(
                    item_result(index, plan.id, plan.path, None, outcome),
                    &mut sink,
                )?;
                continue;
            }
        };
        let key = item::request_key(&plan.id, &request);
        if done.contains(&key) {
            run.counts.resumed += 1;
            run.counts.done += 1;
            continue;
        }
        let added = match fit_media(settings, Some(&up), &mut request, writer.line_bytes()).await {
            Ok(()) => writer.add(&plan.id, plan.path.as_deref(), &key, &request)?,
            Err(e) => Err(item::failed_with("upload_error", format!("{e:#}"))),
        };
        if let Err(outcome) = added {
            run.finish_item(
                item_result(index, plan.id, plan.path, Some(key), outcome),
                &mut sink,
            )?;
        }
    }
    let (scratch, parts, job_items, fingerprint) = writer.finish()?;
    if job_items.is_empty() {
        let _ = std::fs::remove_dir_all(&scratch);
        sink.finish()?;
        run.summary();
        return Ok(run.exit(false));
    }

    let existing = if args.resume {
        store.open_job_by_fingerprint(&fingerprint)?
    } else {
        None
    };
    let job = match existing {
        Some(job) => {
            let _ = std::fs::remove_dir_all(&scratch);
            if !settings.quiet {
                note("note", &format!("reattaching to remote job `{}`", job.id));
            }
            job
        }
        None => {
            let id = format!(
                "job-{:x}{:04x}",
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis()),
                std::process::id() & 0xffff
            );
            let dir = jobs_dir(settings).join(&id);
            std::fs::rename(&scratch, &dir)
                .with_context(|| format!("cannot move the job files to `{}`", dir.display()))?;
            let job = RemoteJob {
                id: id.clone(),
                created_ms: 0,
                fingerprint,
                base_url: endpoint.base_url.clone(),
                window,
                output: output.output.as_ref().map(|p| p.display().to_string()),
                out_dir: output.out_dir.as_ref().map(|p| p.display().to_string()),
                ext: Some(output.ext.clone()),
                items: job_items.len() as u64,
                state: "submitting".into(),
            };
            let parts: Vec<_> = parts
                .into_iter()
                .map(|mut p| {
                    p.file_name = super::part_name(&id, p.part);
                    p
                })
                .collect();
            store.create_job(&job, &parts, &job_items)?;
            store.job(&id)?.expect("just created")
        }
    };
    let client = Client::new(endpoint, settings.connect_timeout, settings.verbose)?;
    let parts = super::submit(
        &client,
        &mut store,
        &job,
        &jobs_dir(settings).join(&job.id),
        &retry(settings),
        &mut warn(settings),
    )
    .await?;
    if args.detach {
        let line = json!({
            "v": SCHEMA_VERSION, "job": job.id, "items": job.items,
            "batches": parts.iter().filter_map(|p| p.batch_id.clone()).collect::<Vec<_>>(),
            "files": parts.iter().filter_map(|p| p.file_id.clone()).collect::<Vec<_>>(),
        });
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()?;
        sink.finish()?;
        return Ok(Exit::Success);
    }
    run.batch_id = job.id.clone();
    wait_and_collect(settings, &client, &mut store, &job, poll, run, sink, done).await
}

/// Polls a submitted job until every batch ends, then writes its results.
#[allow(clippy::too_many_arguments)] // two callers, each with all of these at hand
async fn wait_and_collect(
    settings: &Settings,
    client: &Client,
    store: &mut Store,
    job: &RemoteJob,
    first_poll: Duration,
    mut run: Run<'_>,
    mut sink: Sink,
    done: &HashSet<String>,
) -> anyhow::Result<Exit> {
    let retry = retry(settings);
    let mut delays = batches::poll_delays(first_poll, Duration::from_secs(300).max(first_poll));
    let base = run.counts;
    let finished = loop {
        let polled = tokio::select! {
            biased;
            polled = super::poll(client, store, &job.id, &retry) => polled?,
            _ = tokio::signal::ctrl_c() => break None,
        };
        run.counts = progress_counts(base, job.items, &polled);
        run.progress.update(&run.counts);
        if polled.iter().all(BatchObject::is_terminal) {
            break Some(polled);
        }
        let delay = delays.next().unwrap_or(first_poll);
        tokio::select! {
            biased;
            _ = tokio::time::sleep(delay) => {}
            _ = tokio::signal::ctrl_c() => break None,
        }
    };
    let Some(batches) = finished else {
        sink.finish()?;
        run.progress.finish();
        note(
            "note",
            &format!(
                "job `{}` keeps running on DashScope; collect it with `qwen batch fetch {}`",
                job.id, job.id
            ),
        );
        return Ok(Exit::Interrupted);
    };
    run.counts = base;
    for result in super::collect(client, store, job, &batches, &retry).await? {
        // Fetching a job twice into the same results writes (and bills) nothing twice.
        if result.key.as_ref().is_some_and(|k| done.contains(k)) {
            run.counts.resumed += 1;
            run.counts.done += 1;
            continue;
        }
        run.finish_item(result, &mut sink)?;
    }
    sink.finish()?;
    store.set_job_state(&job.id, "fetched")?;
    run.progress.finish();
    run.summary();
    Ok(run.exit(false))
}

fn progress_counts(base: Counts, items: u64, batches: &[BatchObject]) -> Counts {
    let (mut ok, mut failed) = (0, 0);
    for b in batches {
        let c = b.request_counts.unwrap_or_default();
        ok += c.completed;
        failed += c.failed;
    }
    Counts {
        total: Some(base.done + items),
        done: base.done + ok + failed,
        ok: base.ok + ok,
        failed: base.failed + failed,
        ..base
    }
}

pub fn find_job(store: &Store, id: Option<&str>) -> anyhow::Result<RemoteJob> {
    let job = match id {
        Some(id) => store.job(id)?,
        None => store.jobs(1)?.into_iter().next(),
    };
    job.ok_or_else(|| {
        UsageError::new(
            match id {
                Some(id) => format!("no remote job `{id}` in the local store"),
                None => "no remote jobs in the local store".to_owned(),
            },
            Some("`qwen batch list` shows the jobs submitted from this machine".into()),
        )
        .into()
    })
}

/// A client for the endpoint the job was submitted to (its batches live there).
fn job_client(settings: &Settings, job: &RemoteJob) -> anyhow::Result<Client> {
    let mut endpoint = batch_endpoint(settings)?;
    endpoint.base_url.clone_from(&job.base_url);
    Client::new(endpoint, settings.connect_timeout, settings.verbose)
}

/// Waits for a remote job and writes its results like a finished run (`qwen batch fetch`):
/// to the given files, else to the submitting run's.
pub async fn fetch(
    settings: &Settings,
    store: &mut Store,
    args: &FetchOptions,
) -> anyhow::Result<Exit> {
    let job = find_job(store, Some(&args.job))?;
    let client = job_client(settings, &job)?;
    // A job interrupted while it was being submitted is finished first, from its files.
    super::submit(
        &client,
        store,
        &job,
        &jobs_dir(settings).join(&job.id),
        &retry(settings),
        &mut warn(settings),
    )
    .await?;
    let output = args
        .output
        .clone()
        .or_else(|| job.output.as_ref().map(PathBuf::from));
    let out_dir = args
        .out_dir
        .clone()
        .or_else(|| job.out_dir.as_ref().map(PathBuf::from));
    // What an earlier fetch already wrote there is not written again.
    let spec = OutputSpec {
        output: output.as_deref(),
        out_dir: out_dir.as_deref(),
        resume: true,
        force: false,
        ordered: false,
    };
    journal::check(&spec, &[])?;
    let journal::Opened { sink, state } = journal::open(&spec)?;
    let stop = Cell::new(false);
    let params = crate::api::types::Params::default();
    let output_options = OutputOptions {
        output: output.clone(),
        ordered: false,
        out_dir,
        ext: job.ext.clone().unwrap_or_else(|| "md".into()),
        fail_fast: false,
        remote: true,
    };
    let mut run = Run::new(
        settings,
        output_options,
        None,
        &params,
        job.id.clone(),
        &stop,
    );
    run.counts = Counts::default();
    run.claim_out_files(state.claims);
    // A job's rows went into the ledger when it was first fetched.
    run.ledger &= job.state != "fetched";
    let poll = poll_interval(&args.poll_interval)?;
    wait_and_collect(settings, &client, store, &job, poll, run, sink, &state.done).await
}

/// Returns a job (the newest without an id) and its batches as they are now.
pub async fn status(
    settings: &Settings,
    store: &mut Store,
    id: Option<&str>,
) -> anyhow::Result<(RemoteJob, Vec<BatchObject>)> {
    let job = find_job(store, id)?;
    let client = job_client(settings, &job)?;
    let batches = super::poll(&client, store, &job.id, &retry(settings)).await?;
    Ok((job, batches))
}

/// Cancels a job's batches that have not ended, and returns them as they are then.
pub async fn cancel(
    settings: &Settings,
    store: &mut Store,
    id: &str,
) -> anyhow::Result<(RemoteJob, Vec<BatchObject>)> {
    let job = find_job(store, Some(id))?;
    let client = job_client(settings, &job)?;
    let retry = retry(settings);
    let mut batches = Vec::new();
    for part in store.job_parts(&job.id)? {
        let Some(id) = &part.batch_id else { continue };
        let batch = client.get_batch(id, &retry).await?;
        let batch = if batch.is_terminal() {
            batch
        } else {
            client.cancel_batch(id, &retry).await?
        };
        store.set_part_batch(&job.id, part.part, id, &batch.status)?;
        batches.push(batch);
    }
    Ok((job, batches))
}
