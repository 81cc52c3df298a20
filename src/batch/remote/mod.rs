//! The remote route (`qwen batch --remote`): DashScope's Batch API does the work.
//!
//! Items become Batch API lines in part files under the data directory, split within the
//! documented limits; each part is uploaded and gets a batch; the job is polled until every
//! batch ends; output and error lines are mapped back to items by `custom_id`. Every step is
//! recorded in the store before the next begins: a call is marked as started before it is
//! sent, and only a call started by an interrupted run whose answer was never recorded is
//! looked up on the server first, so nothing is uploaded or submitted twice.

pub mod job;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::api::batches::{self, BatchObject, ResultLine};
use crate::api::retry::RetryPolicy;
use crate::api::turn::AttemptRecord;
use crate::api::types::{ChatRequest, Completion};
use crate::api::{ApiError, Client, compat};
use crate::batch::item::{ItemError, ItemResult, Outcome};
use crate::store::{JobItem, JobPart, RemoteJob, Store};

/// Limits of one Batch API input file (dashscope-protocol.md §6.3), overridable.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Lines per file (50,000).
    pub lines: usize,
    /// Bytes per file (500 MB).
    pub file_bytes: u64,
    /// Bytes per line (6 MB).
    pub line_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            lines: 50_000,
            file_bytes: 500 * 1_000_000,
            line_bytes: 6 * 1_000_000,
        }
    }
}

/// Writes Batch API lines into part files, splitting at the limits and by model and
/// thinking mode: every line of a Batch API file must use the same model and the same
/// thinking mode, or the server rejects it (`mismatched_model`, §6.3).
pub struct PartWriter {
    dir: PathBuf,
    limits: Limits,
    parts: Vec<JobPart>,
    items: Vec<JobItem>,
    /// The open part of each (model, thinking) group.
    open: HashMap<Group, OpenPart>,
    used_ids: HashSet<String>,
    fingerprint: Sha256,
}

/// Lines that may share a Batch API file: same model, same thinking mode.
type Group = (String, Option<bool>);

/// A part being written: its number, its file and its size so far.
type OpenPart = (u32, std::io::BufWriter<std::fs::File>, u64);

/// Returns the name of a part file on disk and on the server.
pub fn part_name(job: &str, part: u32) -> String {
    format!("qwen-{job}-part-{part:03}.jsonl")
}

impl PartWriter {
    /// Starts writing parts into `dir` (created if needed).
    pub fn new(dir: PathBuf, limits: Limits) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        Ok(Self {
            dir,
            limits,
            parts: Vec::new(),
            items: Vec::new(),
            open: HashMap::new(),
            used_ids: HashSet::new(),
            fingerprint: Sha256::new(),
        })
    }

    /// Returns a `custom_id` for `id` that no earlier line of the job uses.
    fn unique_id(&mut self, id: &str) -> String {
        let mut candidate = id.to_owned();
        let mut n = 1;
        while !self.used_ids.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{id}#{n}");
        }
        candidate
    }

    /// Adds an item; `Err` is its outcome when its line is too large for the Batch API.
    pub fn add(
        &mut self,
        id: &str,
        path: Option<&Path>,
        key: &str,
        req: &ChatRequest,
    ) -> anyhow::Result<Result<(), Outcome>> {
        let mut body_req = req.clone();
        body_req.stream = false;
        let body = compat::chat_body(&body_req);
        let thinking = body
            .get("enable_thinking")
            .and_then(serde_json::Value::as_bool);
        let line_for = |custom_id: &str| {
            json!({
                "custom_id": custom_id, "method": "POST", "url": batches::CHAT_ENDPOINT,
                "body": body,
            })
        };
        // Size check first, with the id as given: an oversized item takes no id.
        let len = serde_json::to_vec(&line_for(id))?.len() as u64 + 1;
        if len > self.limits.line_bytes {
            return Ok(Err(Outcome::Skipped(format!(
                "the request is {len} bytes; a Batch API line holds at most {} (--max-line-bytes)",
                self.limits.line_bytes
            ))));
        }
        let custom_id = self.unique_id(id);
        let mut bytes = serde_json::to_vec(&line_for(&custom_id))?;
        bytes.push(b'\n');
        let len = bytes.len() as u64;
        let group = (req.model.clone(), thinking);
        let full = self.open.get(&group).is_some_and(|(part, _, size)| {
            self.parts[*part as usize].lines as usize >= self.limits.lines
                || size + len > self.limits.file_bytes
        });
        if full || !self.open.contains_key(&group) {
            self.start_part(group.clone())?;
        }
        let (part, file, size) = self.open.get_mut(&group).expect("a part was started");
        file.write_all(&bytes)?;
        *size += len;
        let part = *part;
        self.parts[part as usize].lines += 1;
        self.fingerprint.update(custom_id.as_bytes());
        self.fingerprint.update([0]);
        self.fingerprint.update(key.as_bytes());
        self.fingerprint.update([b'\n']);
        self.items.push(JobItem {
            custom_id,
            part,
            item_id: id.to_owned(),
            path: path.map(|p| p.display().to_string()),
            key: key.to_owned(),
            model: req.model.clone(),
        });
        Ok(Ok(()))
    }

    fn start_part(&mut self, group: Group) -> anyhow::Result<()> {
        if let Some((_, mut file, _)) = self.open.remove(&group) {
            file.flush()?;
        }
        let part = self.parts.len() as u32;
        let path = self.dir.join(format!("part-{part:03}.jsonl"));
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create `{}`", path.display()))?;
        self.open
            .insert(group, (part, std::io::BufWriter::new(file), 0));
        self.parts.push(JobPart {
            part,
            file_name: String::new(),
            lines: 0,
            file_id: None,
            batch_id: None,
            status: None,
            upload_started: false,
            create_started: false,
        });
        Ok(())
    }

    /// Finishes the open parts; returns the parts, the items and the job fingerprint.
    pub fn finish(mut self) -> anyhow::Result<(PathBuf, Vec<JobPart>, Vec<JobItem>, String)> {
        for (_, (_, mut file, _)) in self.open.drain() {
            file.flush()?;
        }
        let fingerprint = hex::encode(&self.fingerprint.finalize()[..16]);
        Ok((self.dir, self.parts, self.items, fingerprint))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{Message, Params, Role};

    fn req(text: &str) -> ChatRequest {
        ChatRequest {
            model: "qwen-plus".into(),
            messages: vec![Message::new(Role::User, text)],
            params: Params::default(),
            tools: vec![],
            stream: true,
            prompt: None,
        }
    }

    #[test]
    fn parts_split_at_the_limits_and_big_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            lines: 3,
            file_bytes: 10_000,
            line_bytes: 400,
        };
        let mut w = PartWriter::new(dir.path().join("p"), limits).unwrap();
        for i in 0..7 {
            w.add(&format!("item{i}"), None, "k", &req("hi"))
                .unwrap()
                .unwrap();
        }
        let big = w.add("big", None, "k", &req(&"x".repeat(500))).unwrap();
        assert!(matches!(big, Err(Outcome::Skipped(r)) if r.contains("--max-line-bytes")));
        w.add("item0", None, "k2", &req("again")).unwrap().unwrap();
        w.add("item0#2", None, "k3", &req("clash"))
            .unwrap()
            .unwrap();
        let mut other = req("max");
        other.model = "qwen-max".into();
        w.add("m", None, "k4", &other).unwrap().unwrap();
        let (dir, parts, items, fp) = w.finish().unwrap();
        assert_eq!(
            parts.iter().map(|p| p.lines).collect::<Vec<_>>(),
            [3, 3, 3, 1]
        );
        assert_eq!(items.len(), 10);
        assert_eq!(items[7].custom_id, "item0#2");
        assert_eq!(
            items[8].custom_id, "item0#2#2",
            "a generated id never repeats a given one"
        );
        assert_eq!(items[9].part, 3, "another model starts its own file");
        let text = std::fs::read_to_string(dir.join("part-002.jsonl")).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["url"], "/v1/chat/completions");
        assert!(first["body"].get("stream").is_none());
        assert_eq!(fp.len(), 32);
    }
}
