//! The Batch API input files of a job: items become request lines in part files, split
//! within the documented limits (lines, bytes per file, bytes per line), grouped so one
//! file holds one model, and fingerprinted so a rerun finds the job it already submitted.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::api::types::ChatRequest;
use crate::api::{Client, batches, compat, media};
use crate::batch::item::Outcome;
use crate::config::Settings;
use crate::store::{JobItem, JobPart};

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

/// How long an earlier upload must stay valid to be reused in a Batch API line: the
/// default completion window (`24h`); the storage keeps a file 48 hours.
const UPLOAD_MARGIN: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Room kept in a line for what wraps the body (`custom_id`, `method`, `url`).
const LINE_OVERHEAD: u64 = 1024;

/// Makes a request's local files fit a Batch API line: inline as data URLs while the line
/// stays within `line_bytes` (and each within `inline_limit`), else through the temporary
/// storage, uploaded now when `client` is given (a dry run only plans). A line's documents
/// (`"docs"`) are uploaded then too, and the line carries their `fileid://` reference.
pub async fn fit_media(
    settings: &Settings,
    client: Option<&Client>,
    req: &mut ChatRequest,
    line_bytes: u64,
) -> anyhow::Result<()> {
    if let Some(client) = client {
        crate::docs::resolve_pending(client, settings, req).await?;
    }
    if req.payloads().is_empty() {
        return Ok(());
    }
    let mut endpoint = settings.endpoint_without_key();
    endpoint.protocol = crate::api::Protocol::Compat;
    let limit = line_bytes.saturating_sub(LINE_OVERHEAD);
    crate::attach::plan(&endpoint, req, settings.media.inline_limit, limit);
    if crate::attach::needs_upload(req) {
        crate::attach::upload_root(settings)?;
        if let Some(client) = client {
            crate::attach::upload(client, settings, req, UPLOAD_MARGIN).await?;
        }
    }
    Ok(())
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

    /// The most bytes a line may hold.
    pub fn line_bytes(&self) -> u64 {
        self.limits.line_bytes
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
        // Local files stand in the body as markers; the line holds their data URLs.
        let payloads = req.payloads();
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
        let len = media::body_len(&serde_json::to_string(&line_for(id))?, &payloads) + 1;
        if len > self.limits.line_bytes {
            return Ok(Err(Outcome::Skipped(format!(
                "the request is {len} bytes; a Batch API line holds at most {} (--max-line-bytes)",
                self.limits.line_bytes
            ))));
        }
        let custom_id = self.unique_id(id);
        let mut bytes = Vec::new();
        media::write_expanded(
            &serde_json::to_string(&line_for(&custom_id))?,
            &payloads,
            &mut bytes,
        )?;
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
