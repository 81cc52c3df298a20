//! `qwen batch status|fetch|cancel|list`: remote jobs picked up again, and shown. The
//! remote route itself (`qwen batch --remote`) is `batch::remote::job`.

use std::io::Write;

use anyhow::Context as _;
use serde_json::{Value, json};

use super::BatchAction;
use crate::api::batches::BatchObject;
use crate::batch::remote::job::{self, FetchOptions};
use crate::config::Settings;
use crate::exit::Exit;
use crate::output::{Format, SCHEMA_VERSION};
use crate::store::{RemoteJob, Store};

/// Runs `qwen batch status|fetch|cancel|list`.
pub async fn action(settings: &Settings, action: &BatchAction) -> anyhow::Result<Exit> {
    let mut store = Store::open(&settings.data_dir).context("cannot open the local store")?;
    match action {
        BatchAction::List => list(settings, &store),
        BatchAction::Status { job } => {
            let (job, batches) = job::status(settings, &mut store, job.as_deref()).await?;
            print_status(settings, &job, &batches)
        }
        BatchAction::Cancel { job } => {
            let (job, batches) = job::cancel(settings, &mut store, job).await?;
            print_status(settings, &job, &batches)
        }
        BatchAction::Fetch(args) => {
            let options = FetchOptions {
                job: args.job.clone(),
                output: args.output.clone(),
                out_dir: args.out_dir.clone(),
                poll_interval: args.poll_interval.clone(),
            };
            job::fetch(settings, &mut store, &options).await
        }
    }
}

fn status_json(job: &RemoteJob, batches: &[BatchObject]) -> Value {
    json!({
        "v": SCHEMA_VERSION, "job": job.id, "state": job.state, "items": job.items,
        "batches": batches.iter().map(|b| {
            let c = b.request_counts.unwrap_or_default();
            json!({"id": b.id, "status": b.status, "total": c.total, "completed": c.completed,
                   "failed": c.failed, "output_file_id": b.output_file_id,
                   "error_file_id": b.error_file_id})
        }).collect::<Vec<_>>(),
    })
}

fn print_status(
    settings: &Settings,
    job: &RemoteJob,
    batches: &[BatchObject],
) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    if settings.format == Format::Text {
        writeln!(out, "{}  {}  {} item(s)", job.id, job.state, job.items)?;
        for b in batches {
            let c = b.request_counts.unwrap_or_default();
            writeln!(
                out,
                "  {}  {:<11} {}/{} done, {} failed",
                b.id,
                b.status,
                c.completed + c.failed,
                c.total,
                c.failed
            )?;
        }
    } else {
        writeln!(out, "{}", status_json(job, batches))?;
    }
    out.flush()?;
    Ok(Exit::Success)
}

fn list(settings: &Settings, store: &Store) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    // `json` is one document, `jsonl` one line per job.
    let mut all = Vec::new();
    for job in store.jobs(100)? {
        let parts = store.job_parts(&job.id)?;
        let statuses: Vec<String> = parts
            .iter()
            .map(|p| p.status.clone().unwrap_or_else(|| "not submitted".into()))
            .collect();
        if settings.format == Format::Text {
            writeln!(
                out,
                "{}  {:<10} {:>6} item(s)  {}",
                job.id,
                job.state,
                job.items,
                statuses.join(", ")
            )?;
        } else {
            let line = json!({"v": SCHEMA_VERSION, "job": job.id, "state": job.state,
                "items": job.items, "created_ms": job.created_ms, "batches": parts.iter().map(|p| {
                    json!({"id": p.batch_id, "file_id": p.file_id, "status": p.status, "lines": p.lines})
                }).collect::<Vec<_>>()});
            if settings.format == Format::Json {
                let mut line = line;
                line.as_object_mut().map(|m| m.shift_remove("v"));
                all.push(line);
            } else {
                writeln!(out, "{line}")?;
            }
        }
    }
    if settings.format == Format::Json {
        writeln!(out, "{}", json!({"v": SCHEMA_VERSION, "jobs": all}))?;
    }
    out.flush()?;
    Ok(Exit::Success)
}
