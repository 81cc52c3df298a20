//! DashScope's Batch API (OpenAI-compatible, file input): files and batches.
//!
//! dashscope-protocol.md §6. Calls are retried like chat requests, except that an upload
//! whose answer was lost is first looked up by its file name, so a retry never uploads the
//! same part twice.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

pub mod files;
mod objects;

pub use objects::{
    BatchObject, CHAT_ENDPOINT, FileObject, RequestCounts, ResultLine, completion_window,
    parse_result_line, poll_delays,
};

use super::retry::RetryPolicy;
use super::{ApiError, Client, error_from_body};

/// Entries per page when a list is searched (the batch list's documented maximum, §6.5).
const PAGE: usize = 100;

/// The most bytes of a batch file's content read into memory: DashScope takes input files
/// of up to 500 MB (dashscope-protocol.md §6), so a job's results fit; a server that sends
/// more is an error, not an exhausted memory.
const FILE_CONTENT_LIMIT: usize = 2 << 30;

/// Pages read at most in one search: the account holds at most 10,000 files (§6.2), and a
/// server that ignores `after` must not keep us reading the same page forever.
const MAX_PAGES: usize = 200;

/// An entry of a list endpoint, identified for `after=`.
trait Listed {
    fn id(&self) -> &str;
}

impl Listed for FileObject {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Listed for BatchObject {
    fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Deserialize)]
struct List<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    #[serde(default)]
    has_more: bool,
    #[serde(default)]
    last_id: Option<String>,
}

impl Client {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.endpoint.base_url)
    }

    fn authorized(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, ApiError> {
        let mut builder = self.authorize(builder)?;
        if let Some(ws) = &self.endpoint.workspace {
            builder = builder.header("X-DashScope-WorkSpace", ws);
        }
        Ok(builder)
    }

    /// Sends one management request and returns the body, retrying transient failures.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry: &RetryPolicy,
    ) -> Result<Vec<u8>, ApiError> {
        retry
            .retrying(async || {
                let mut builder =
                    self.authorized(self.http.request(method.clone(), self.url(path)))?;
                if let Some(body) = body {
                    builder = builder.json(body);
                }
                self.finish(builder, path).await
            })
            .await
    }

    async fn finish(
        &self,
        builder: reqwest::RequestBuilder,
        path: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let response = builder.send().await.map_err(|cause| ApiError::Connect {
            url: self.url(path),
            cause,
        })?;
        let status = response.status();
        let retry_after = super::retry_after(response.headers());
        if status.is_success() {
            if path.ends_with("/content") {
                // A result file may be far larger than any JSON answer.
                super::error::read_whole_as(
                    response,
                    FILE_CONTENT_LIMIT,
                    "the most read of a result file",
                )
                .await
            } else {
                super::error::read_whole(response, self.endpoint.max_event_size).await
            }
        } else {
            let body = super::error::read_error_body(response).await;
            Err(error_from_body(Some(status.as_u16()), &body, retry_after))
        }
    }

    async fn call_json<T: for<'de> Deserialize<'de>>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry: &RetryPolicy,
    ) -> Result<T, ApiError> {
        let bytes = self.call(method, path, body, retry).await?;
        parse_scrubbed(&bytes).map_err(|e| {
            ApiError::Stream(format!(
                "malformed answer from `{path}` ({e}): {}",
                super::compat::snippet(&String::from_utf8_lossy(&bytes))
            ))
        })
    }

    /// Uploads a batch input file. A failed attempt is looked up by name before it is
    /// retried, so a part whose answer was lost is not uploaded a second time.
    pub async fn upload_batch_file(
        &self,
        name: &str,
        content: Vec<u8>,
        retry: &RetryPolicy,
    ) -> Result<FileObject, ApiError> {
        let call = async || {
            let part = reqwest::multipart::Part::bytes(content.clone())
                .file_name(name.to_owned())
                .mime_str("application/jsonl")
                .expect("a constant MIME type parses");
            let form = reqwest::multipart::Form::new()
                .text("purpose", "batch")
                .part("file", part);
            let builder = self
                .authorized(self.http.post(self.url("/files")))?
                .multipart(form);
            let bytes = self.finish(builder, "/files").await?;
            parse_scrubbed(&bytes)
                .map_err(|e| ApiError::Stream(format!("malformed answer from `/files`: {e}")))
        };
        let find = async || self.find_batch_file(name, retry).await.ok().flatten();
        create_once(retry, call, find).await
    }

    /// Walks a list endpoint page by page (`limit`, `after`, `has_more`; newest first) and
    /// returns the first entry `wanted` accepts. `query` is the path with its filters.
    async fn find_in_list<T>(
        &self,
        query: &str,
        wanted: impl Fn(&T) -> bool,
        retry: &RetryPolicy,
    ) -> Result<Option<T>, ApiError>
    where
        T: Listed + for<'de> Deserialize<'de>,
    {
        let sep = if query.contains('?') { '&' } else { '?' };
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut path = format!("{query}{sep}limit={PAGE}");
            if let Some(id) = &after {
                path.push_str(&format!("&after={id}"));
            }
            let page: List<T> = self.call_json(Method::GET, &path, None, retry).await?;
            let last = page
                .last_id
                .clone()
                .or_else(|| page.data.last().map(|e| e.id().to_owned()));
            let more = page.has_more && !page.data.is_empty();
            if let Some(hit) = page.data.into_iter().find(|e| wanted(e)) {
                return Ok(Some(hit));
            }
            // A page that does not move the cursor would come back again and again.
            if !more || last.is_none() || last == after {
                break;
            }
            after = last;
        }
        Ok(None)
    }

    /// Finds an uploaded batch file by name, paging through the file list.
    pub async fn find_batch_file(
        &self,
        name: &str,
        retry: &RetryPolicy,
    ) -> Result<Option<FileObject>, ApiError> {
        self.find_in_list(
            "/files?purpose=batch",
            |f: &FileObject| f.filename == name,
            retry,
        )
        .await
    }

    /// Creates a batch for an uploaded file. A failed attempt is looked up by its input file
    /// before it is retried, so a batch whose answer was lost is not created a second time.
    pub async fn create_batch(
        &self,
        input_file_id: &str,
        window: &str,
        name: &str,
        retry: &RetryPolicy,
    ) -> Result<BatchObject, ApiError> {
        let body = json!({
            "input_file_id": input_file_id,
            "endpoint": CHAT_ENDPOINT,
            "completion_window": window,
            "metadata": {"ds_name": name, "ds_description": "submitted by qwen batch --remote"},
        });
        let no_retry = RetryPolicy {
            retries: 0,
            ..*retry
        };
        let call = async || {
            self.call_json(Method::POST, "/batches", Some(&body), &no_retry)
                .await
        };
        let find = async || {
            self.find_batch_for_file(input_file_id, retry)
                .await
                .ok()
                .flatten()
        };
        create_once(retry, call, find).await
    }

    /// Finds the batch created for an input file, if any (to reattach after a crash).
    pub async fn find_batch_for_file(
        &self,
        input_file_id: &str,
        retry: &RetryPolicy,
    ) -> Result<Option<BatchObject>, ApiError> {
        let query = format!("/batches?input_file_ids={input_file_id}");
        self.find_in_list(
            &query,
            |b: &BatchObject| b.input_file_id == input_file_id,
            retry,
        )
        .await
    }

    /// Reads a batch's status.
    pub async fn get_batch(&self, id: &str, retry: &RetryPolicy) -> Result<BatchObject, ApiError> {
        self.call_json(Method::GET, &format!("/batches/{id}"), None, retry)
            .await
    }

    /// Asks the server to cancel a batch.
    pub async fn cancel_batch(
        &self,
        id: &str,
        retry: &RetryPolicy,
    ) -> Result<BatchObject, ApiError> {
        self.call_json(Method::POST, &format!("/batches/{id}/cancel"), None, retry)
            .await
    }

    /// Lists batches, newest first, following `has_more` up to `limit` batches.
    pub async fn list_batches(
        &self,
        limit: usize,
        retry: &RetryPolicy,
    ) -> Result<Vec<BatchObject>, ApiError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        while out.len() < limit {
            let mut path = format!("/batches?limit={}", (limit - out.len()).min(100));
            if let Some(id) = &after {
                path.push_str(&format!("&after={id}"));
            }
            let page: List<BatchObject> = self.call_json(Method::GET, &path, None, retry).await?;
            let more = page.has_more && !page.data.is_empty();
            after = page
                .last_id
                .or_else(|| page.data.last().map(|b| b.id.clone()));
            out.extend(page.data);
            if !more {
                break;
            }
        }
        Ok(out)
    }

    /// Downloads a file's content.
    pub async fn file_content(&self, id: &str, retry: &RetryPolicy) -> Result<Vec<u8>, ApiError> {
        self.call(Method::GET, &format!("/files/{id}/content"), None, retry)
            .await
    }
}

/// Sends a call that creates something until it succeeds or fails for good. After a failure
/// that may be retried, `find` first looks for what the call may have created before its
/// answer was lost, so nothing is uploaded or created twice.
async fn create_once<T>(
    retry: &RetryPolicy,
    mut call: impl AsyncFnMut() -> Result<T, ApiError>,
    mut find: impl AsyncFnMut() -> Option<T>,
) -> Result<T, ApiError> {
    let mut backoff = retry.backoff();
    loop {
        let err = match call().await {
            Ok(created) => return Ok(created),
            Err(err) => err,
        };
        if !err.is_retryable() {
            return Err(err);
        }
        if let Some(found) = find().await {
            return Ok(found);
        }
        match backoff
            .next()
            .and_then(|planned| retry.delay(&err, planned))
        {
            Some(delay) => tokio::time::sleep(delay).await,
            None => return Err(err),
        }
    }
}

/// Parses a management answer with every string scrubbed of keys: ids, statuses and error
/// messages end up in the store and on screen.
fn parse_scrubbed<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> serde_json::Result<T> {
    let mut value: Value = serde_json::from_slice(bytes)?;
    crate::secret::scrub_json(&mut value);
    serde_json::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_quoted_in_answers_are_scrubbed() {
        let _key = crate::secret::Secret::new("sk-batch-echo-1");
        let line = r#"{"id":"x","custom_id":"1","response":{"status_code":400,"request_id":"sk-batch-echo-1","body":{"error":{"code":"sk-batch-echo-1","message":"no sk-batch-echo-1"}}},"error":null}"#;
        let Some(ResultLine::Failed {
            code,
            message,
            request_id,
            ..
        }) = parse_result_line(line)
        else {
            panic!("a failed line");
        };
        assert_eq!(code.as_deref(), Some("<redacted>"));
        assert_eq!(message, "no <redacted>");
        assert_eq!(request_id.as_deref(), Some("<redacted>"));
        let batch: BatchObject =
            parse_scrubbed(br#"{"id":"sk-batch-echo-1","status":"failed","errors":{"data":[{"message":"sk-batch-echo-1"}]}}"#)
                .unwrap();
        assert_eq!(batch.id, "<redacted>");
        assert_eq!(batch.error_message().as_deref(), Some("<redacted>"));
    }
}
