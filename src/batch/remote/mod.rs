//! The remote route (`qwen batch --remote`): DashScope's Batch API does the work.
//!
//! Items become Batch API lines in part files under the data directory, split within the
//! documented limits; each part is uploaded and gets a batch; the job is polled until every
//! batch ends; output and error lines are mapped back to items by `custom_id`. Every step is
//! recorded in the store before the next begins: a call is marked as started before it is
//! sent, and only a call started by an interrupted run whose answer was never recorded is
//! looked up on the server first, so nothing is uploaded or submitted twice.

pub mod job;
mod parts;
pub use parts::fit_media;

pub use parts::{Limits, PartWriter, part_name};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;

use crate::api::batches::{self, BatchObject, ResultLine};
use crate::api::retry::RetryPolicy;
use crate::api::turn::AttemptRecord;
use crate::api::types::Completion;
use crate::api::{ApiError, Client, compat};
use crate::batch::item::{ItemError, ItemResult, Outcome};
use crate::store::{JobPart, RemoteJob, Store};

/// Uploads every part not uploaded yet and creates every batch not created yet.
///
/// Each call is recorded as started before it is sent and its answer right after, so a new
/// part costs exactly two calls (upload, create). Only a call that was started but whose
/// answer was never recorded (a crash or kill in between) is first looked up in the server's
/// lists; a server that cannot list (404, 405) counts as "not found", with a warning through
/// `warn`.
pub async fn submit(
    client: &Client,
    store: &mut Store,
    job: &RemoteJob,
    dir: &Path,
    retry: &RetryPolicy,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<JobPart>> {
    for part in store.job_parts(&job.id)? {
        let name = part_name(&job.id, part.part);
        let file_id = match &part.file_id {
            Some(id) => id.clone(),
            None => {
                let found = if part.upload_started {
                    let found = client.find_batch_file(&name, retry).await;
                    let again = format!(
                        "`{name}` may have been uploaded by the interrupted run; uploading it again"
                    );
                    unlisted_is_none(found, "files", &again, warn)?
                } else {
                    None
                };
                let file = match found {
                    Some(file) => file,
                    None => {
                        let path = dir.join(format!("part-{:03}.jsonl", part.part));
                        let content = std::fs::read(&path).with_context(|| {
                            format!("cannot read `{}` to upload it", path.display())
                        })?;
                        store.set_upload_started(&job.id, part.part)?;
                        client.upload_batch_file(&name, content, retry).await?
                    }
                };
                store.set_part_file(&job.id, part.part, &file.id)?;
                file.id
            }
        };
        if part.batch_id.is_none() {
            let found = if part.create_started {
                let found = client.find_batch_for_file(&file_id, retry).await;
                let again = format!(
                    "a batch for `{file_id}` may have been created by the interrupted run; \
                     creating one again"
                );
                unlisted_is_none(found, "batches", &again, warn)?
            } else {
                None
            };
            let batch = match found {
                Some(batch) => batch,
                None => {
                    store.set_create_started(&job.id, part.part)?;
                    client
                        .create_batch(&file_id, &job.window, &name, retry)
                        .await?
                }
            };
            store.set_part_batch(&job.id, part.part, &batch.id, &batch.status)?;
        }
    }
    store.set_job_state(&job.id, "submitted")?;
    store.job_parts(&job.id)
}

/// Treats a list endpoint the server does not serve (404, 405) as one that lists nothing:
/// the lookup is a safety net against sending twice, not a reason to abort the job.
fn unlisted_is_none<T>(
    found: Result<Option<T>, ApiError>,
    what: &str,
    again: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Option<T>, ApiError> {
    match found {
        Err(err) if matches!(err.status(), Some(404 | 405)) => {
            warn(format!(
                "the server does not list {what} (HTTP {}): {again}",
                err.status().unwrap_or_default()
            ));
            Ok(None)
        }
        other => other,
    }
}

/// Reads every part's batch once, recording the statuses; returns them in part order.
pub async fn poll(
    client: &Client,
    store: &mut Store,
    job: &str,
    retry: &RetryPolicy,
) -> anyhow::Result<Vec<BatchObject>> {
    let mut out = Vec::new();
    for part in store.job_parts(job)? {
        let Some(batch_id) = &part.batch_id else {
            anyhow::bail!("job `{job}` was not fully submitted; rerun it with --resume");
        };
        let batch = client.get_batch(batch_id, retry).await?;
        if part.status.as_deref() != Some(batch.status.as_str()) {
            store.set_part_batch(job, part.part, batch_id, &batch.status)?;
        }
        out.push(batch);
    }
    Ok(out)
}

/// Downloads the results of finished batches and maps them to items: every item gets
/// exactly one result, and an item with no line (expired, cancelled, failed batch) fails
/// with the batch's status.
pub async fn collect(
    client: &Client,
    store: &Store,
    job: &RemoteJob,
    batches: &[BatchObject],
    retry: &RetryPolicy,
) -> anyhow::Result<Vec<ItemResult>> {
    let items = store.job_items(&job.id)?;
    let mut lines: HashMap<String, ResultLine> = HashMap::new();
    for batch in batches {
        for file in [&batch.output_file_id, &batch.error_file_id]
            .into_iter()
            .flatten()
        {
            let content = client.file_content(file, retry).await?;
            for line in String::from_utf8_lossy(&content).lines() {
                if let Some(parsed) = batches::parse_result_line(line) {
                    let id = match &parsed {
                        ResultLine::Ok { custom_id, .. } | ResultLine::Failed { custom_id, .. } => {
                            custom_id.clone()
                        }
                    };
                    // One result per item: a line in the output file wins over a retry's error.
                    if !matches!(lines.get(&id), Some(ResultLine::Ok { .. })) {
                        lines.insert(id, parsed);
                    }
                }
            }
        }
    }
    let started_at = SystemTime::UNIX_EPOCH + Duration::from_millis(job.created_ms.max(0) as u64);
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let batch = &batches[item.part as usize];
        let outcome = match lines.remove(&item.custom_id) {
            Some(ResultLine::Ok {
                body, request_id, ..
            }) => completion(&body, request_id, &item.model),
            Some(ResultLine::Failed {
                status,
                code,
                message,
                request_id,
                ..
            }) => Outcome::Failed(ItemError {
                status,
                code,
                message: crate::secret::redact(&message).into_owned(),
                request_id,
                fatal: None,
            }),
            None => Outcome::Failed(ItemError {
                status: None,
                code: Some(format!("batch_{}", batch.status)),
                message: match batch.error_message() {
                    Some(m) => format!(
                        "batch `{}` ended `{}` ({m}) before this line ran",
                        batch.id, batch.status
                    ),
                    None => format!(
                        "batch `{}` ended `{}` before this line ran",
                        batch.id, batch.status
                    ),
                },
                request_id: None,
                fatal: None,
            }),
        };
        let attempts = match &outcome {
            Outcome::Ok(c) => {
                // The ledger names the model that answered, and the one asked for beside it.
                let mut a = attempt(
                    started_at,
                    &c.model,
                    Some(200),
                    None,
                    c.request_id.clone(),
                    c.usage,
                );
                a.requested_model = (c.model != item.model).then(|| item.model.clone());
                vec![a]
            }
            Outcome::Failed(e) => vec![attempt(
                started_at,
                &item.model,
                e.status,
                e.code.clone(),
                e.request_id.clone(),
                None,
            )],
            _ => Vec::new(),
        };
        results.push(ItemResult {
            index,
            id: item.item_id.clone(),
            path: item.path.as_ref().map(PathBuf::from),
            key: Some(item.key.clone()),
            outcome,
            attempts,
            latency: Duration::ZERO,
        });
    }
    Ok(results)
}

fn attempt(
    started_at: SystemTime,
    model: &str,
    status: Option<u16>,
    error_code: Option<String>,
    request_id: Option<String>,
    usage: Option<crate::api::types::Usage>,
) -> AttemptRecord {
    AttemptRecord {
        started_at,
        model: model.to_owned(),
        requested_model: None,
        attempt: 1,
        status,
        error_code,
        request_id,
        usage,
        ttft: None,
        latency: Duration::ZERO,
    }
}

fn completion(body: &serde_json::Value, request_id: Option<String>, model: &str) -> Outcome {
    match compat::response_events(&body.to_string()) {
        Ok(events) => {
            let mut c = Completion {
                model: model.to_owned(),
                request_id,
                ..Default::default()
            };
            let mut calls = Vec::new();
            for e in &events {
                c.absorb(e, &mut calls);
            }
            c.finish_tool_calls(calls);
            Outcome::Ok(Box::new(c))
        }
        Err(err) => Outcome::Failed(ItemError {
            status: Some(200),
            code: Some("malformed_reply".into()),
            message: err.to_string(),
            request_id,
            fatal: None,
        }),
    }
}
