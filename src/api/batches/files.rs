//! Documents for Qwen-Long: `POST /files` with `purpose=file-extract`, a file's parse status,
//! the file list, and deletion (dashscope-protocol.md §11.4 and §6.2, research-wire.md §3).
//!
//! The same `/files` endpoints as the Batch API's input files, under the compat root, with
//! the Authorization header (unlike the temporary storage of `--attach`).

use std::path::Path;

use reqwest::Method;
use serde::Deserialize;

use super::{List, parse_scrubbed};
use crate::api::retry::RetryPolicy;
use crate::api::{ApiError, Client};

/// The purpose documents for Qwen-Long are uploaded with.
pub const FILE_EXTRACT: &str = "file-extract";

/// The largest document the service takes (§11.4: 150 MB per file).
pub const MAX_DOC_BYTES: u64 = 150 * 1024 * 1024;

/// The message of the 400 a model call gets while a referenced file is still being parsed
/// (research-wire.md §3: "File parsing in progress, please try again later.").
const PARSING_MESSAGE: &str = "file parsing in progress";

/// Pages read at most when the file list is walked (10,000 files per account, §6.2).
const MAX_PAGES: usize = 100;

/// A file on the server, as upload, retrieve and list answer it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct DocFile {
    /// `file-fe-…`.
    pub id: String,
    /// The name it was uploaded under.
    #[serde(default)]
    pub filename: String,
    /// Its size in bytes.
    #[serde(default)]
    pub bytes: Option<u64>,
    /// When it was uploaded, Unix seconds.
    #[serde(default)]
    pub created_at: Option<i64>,
    /// `file-extract`, `batch`, `batch_output`.
    #[serde(default)]
    pub purpose: Option<String>,
    /// `processed`, `processing`, or a failure (`error`, `failed`: not documented).
    #[serde(default)]
    pub status: Option<String>,
    /// Why a file failed, where the server says.
    #[serde(default)]
    pub status_details: Option<serde_json::Value>,
}

/// Where a document's parsing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parse {
    /// Ready to be referenced.
    Done,
    /// Still being parsed.
    Pending,
    /// Parsing failed, with what the server said.
    Failed(String),
}

impl DocFile {
    /// Reads its status: no status is taken as done (the upload answer of §6.2 always has one,
    /// and the model call still catches an unfinished file).
    pub fn parse(&self) -> Parse {
        match self
            .status
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("processed" | "success" | "succeeded" | "ok") => Parse::Done,
            Some("processing" | "uploaded" | "pending" | "parsing" | "in_progress") => {
                Parse::Pending
            }
            Some(other) => {
                let details = match &self.status_details {
                    Some(serde_json::Value::String(s)) => format!(": {s}"),
                    Some(v) if !v.is_null() => format!(": {v}"),
                    _ => String::new(),
                };
                Parse::Failed(format!("{other}{details}"))
            }
        }
    }
}

/// True when `err` is the model's answer about a file still being parsed (a 400 whose message
/// says so), which heals by waiting.
pub fn is_parsing(err: &ApiError) -> bool {
    match err {
        ApiError::Status {
            status: Some(400),
            message,
            ..
        } => message.to_ascii_lowercase().contains(PARSING_MESSAGE),
        _ => false,
    }
}

impl Client {
    /// Uploads a document with `purpose=file-extract` (streamed from disk), retrying
    /// transient failures; `len` is its size as checked before.
    pub async fn upload_document(
        &self,
        path: &Path,
        name: &str,
        len: u64,
        retry: &RetryPolicy,
    ) -> Result<DocFile, ApiError> {
        retry
            .retrying(async || self.upload_document_once(path, name, len).await)
            .await
    }

    async fn upload_document_once(
        &self,
        path: &Path,
        name: &str,
        len: u64,
    ) -> Result<DocFile, ApiError> {
        let file = std::fs::File::open(path)
            .map_err(|e| ApiError::Stream(format!("cannot read `{}`: {e}", path.display())))?;
        let reader: Box<dyn std::io::Read + Send> = Box::new(std::io::Read::take(file, len));
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(crate::api::uploads::read_chunks(reader)),
            len,
        )
        .file_name(name.to_owned())
        .mime_str("application/octet-stream")
        .expect("a constant MIME type parses");
        let form = reqwest::multipart::Form::new()
            .text("purpose", FILE_EXTRACT)
            .part("file", part);
        if self.verbose {
            crate::term::note(
                "verbose",
                &format!(
                    "> POST {} (upload of `{name}`, {len} bytes, {FILE_EXTRACT})",
                    crate::api::endpoints::shown_url(&self.url("/files"))
                ),
            );
        }
        let builder = self
            .authorized(self.http.post(self.url("/files")))?
            .multipart(form);
        let bytes = self.finish(builder, "/files").await?;
        parse_scrubbed(&bytes)
            .map_err(|e| ApiError::Stream(format!("malformed answer from `/files`: {e}")))
    }

    /// Reads a file's object (its parse status).
    pub async fn get_file(&self, id: &str, retry: &RetryPolicy) -> Result<DocFile, ApiError> {
        self.call_json(Method::GET, &format!("/files/{id}"), None, retry)
            .await
    }

    /// Lists the files of `purpose`, following `after` while the server says `has_more`.
    pub async fn list_files(
        &self,
        purpose: &str,
        retry: &RetryPolicy,
    ) -> Result<Vec<DocFile>, ApiError> {
        let mut out: Vec<DocFile> = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut path = format!("/files?purpose={purpose}&limit=2000");
            if let Some(id) = &after {
                path.push_str(&format!("&after={id}"));
            }
            let page: List<DocFile> = self.call_json(Method::GET, &path, None, retry).await?;
            let last = page
                .last_id
                .clone()
                .or_else(|| page.data.last().map(|f| f.id.clone()));
            let more = page.has_more && !page.data.is_empty();
            out.extend(page.data);
            // A page that does not move the cursor would come back again and again.
            if !more || last.is_none() || last == after {
                break;
            }
            after = last;
        }
        Ok(out)
    }

    /// Deletes a file; returns false when the server no longer had it (404).
    pub async fn delete_file(&self, id: &str, retry: &RetryPolicy) -> Result<bool, ApiError> {
        match self
            .call(Method::DELETE, &format!("/files/{id}"), None, retry)
            .await
        {
            Ok(_) => Ok(true),
            Err(err) if err.status() == Some(404) => Ok(false),
            Err(err) => Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(status: Option<&str>) -> DocFile {
        DocFile {
            id: "file-fe-1".into(),
            filename: "a.pdf".into(),
            bytes: None,
            created_at: None,
            purpose: None,
            status: status.map(str::to_owned),
            status_details: Some(serde_json::json!("bad pdf")),
        }
    }

    #[test]
    fn statuses_read_as_done_pending_or_failed() {
        assert_eq!(file(Some("processed")).parse(), Parse::Done);
        assert_eq!(file(None).parse(), Parse::Done);
        assert_eq!(file(Some("processing")).parse(), Parse::Pending);
        assert_eq!(
            file(Some("error")).parse(),
            Parse::Failed("error: bad pdf".into())
        );
    }

    #[test]
    fn only_the_parsing_400_is_parsing() {
        let err = crate::api::error_from_body(
            Some(400),
            r#"{"error":{"code":"invalid_parameter_error","message":"File parsing in progress, please try again later."}}"#,
            None,
        );
        assert!(is_parsing(&err));
        let other = crate::api::error_from_body(
            Some(400),
            r#"{"error":{"message":"Range of input length should be [1, 129024]"}}"#,
            None,
        );
        assert!(!is_parsing(&other));
    }
}
