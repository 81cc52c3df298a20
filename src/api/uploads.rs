//! DashScope's free temporary file storage (dashscope-protocol.md §11.3): a policy from
//! `GET {native root}/uploads?action=getPolicy&model=M`, then a multipart POST of the file
//! to the policy's `upload_host`, then `oss://KEY` in the request (48 hours).
//!
//! Sources: Alibaba's "Upload a local file to get a temporary URL" page (get-temporary-file-url,
//! Feb 2026) and `dashscope/utils/oss_utils.py` of the DashScope Python SDK (research-wire.md
//! §7). The upload host comes from the server's answer, so the API key is never sent there,
//! and a plain-http host is refused unless it is this machine (the tests' fake).

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::media::Payload;
use super::{ApiError, Client, endpoints};

/// How long an uploaded file lives on the server (§11.3: 48 hours).
pub const LIFETIME: Duration = Duration::from_secs(48 * 3600);

/// An upload policy (`data` of the getPolicy answer). Numbers may come as strings.
#[derive(Debug, Deserialize)]
struct Policy {
    policy: String,
    signature: String,
    upload_dir: String,
    upload_host: String,
    oss_access_key_id: String,
    #[serde(default)]
    x_oss_object_acl: Option<String>,
    #[serde(default)]
    x_oss_forbid_overwrite: Option<serde_json::Value>,
    #[serde(default)]
    max_file_size_mb: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct PolicyAnswer {
    data: Policy,
}

/// A JSON number or a numeric string as text (the doc's table calls numbers "string").
fn as_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Client {
    /// Uploads `payload` for `model` through the storage under `native_root` (`…/api/v1`)
    /// and returns its `oss://` URL. A policy is fetched for every upload (it expires in
    /// minutes and is bound to the model).
    pub async fn upload_temporary(
        &self,
        native_root: &str,
        model: &str,
        payload: &Arc<Payload>,
    ) -> Result<String, ApiError> {
        let url = reqwest::Url::parse_with_params(
            &format!("{native_root}/uploads"),
            [("action", "getPolicy"), ("model", model)],
        )
        .map_err(|e| ApiError::Stream(format!("invalid upload URL `{native_root}`: {e}")))?;
        let response = self.get(url.as_str()).await?;
        let bytes = response.bytes().await.map_err(ApiError::Body)?;
        let answer: PolicyAnswer = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::Stream(format!(
                "malformed upload policy ({e}): {}",
                super::compat::snippet(&String::from_utf8_lossy(&bytes))
            ))
        })?;
        let policy = answer.data;
        if let Some(max) = policy.max_file_size_mb.as_ref().map(as_text)
            && let Ok(max) = max.trim().parse::<u64>()
            && payload.len > max * 1024 * 1024
        {
            return Err(ApiError::Stream(format!(
                "`{}` is larger than the {max} MB the temporary storage takes",
                payload.name
            )));
        }
        let host = reqwest::Url::parse(&policy.upload_host).map_err(|e| {
            ApiError::Stream(format!(
                "the upload policy names an invalid host `{}`: {e}",
                policy.upload_host
            ))
        })?;
        if host.scheme() != "https" && !endpoints::is_loopback_url(&host) {
            return Err(ApiError::Stream(format!(
                "refusing to upload `{}` over plain http to `{}`",
                payload.name,
                host.host_str().unwrap_or("?")
            )));
        }
        let file_name = upload_name(payload);
        let key = format!("{}/{file_name}", policy.upload_dir.trim_end_matches('/'));
        let reader = payload
            .open()
            .map_err(|e| ApiError::Stream(format!("cannot read `{}`: {e}", payload.name)))?;
        let file = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(read_chunks(reader)),
            payload.len,
        )
        .file_name(file_name)
        .mime_str(payload.mime)
        .map_err(|e| ApiError::Stream(format!("invalid MIME type: {e}")))?;
        // The field order of the doc's curl example and §11.3; `file` must come last.
        let form = reqwest::multipart::Form::new()
            .text("OSSAccessKeyId", policy.oss_access_key_id)
            .text("Signature", policy.signature)
            .text("policy", policy.policy)
            .text(
                "x-oss-object-acl",
                policy.x_oss_object_acl.unwrap_or_else(|| "private".into()),
            )
            .text(
                "x-oss-forbid-overwrite",
                policy
                    .x_oss_forbid_overwrite
                    .as_ref()
                    .map_or_else(|| "true".into(), as_text),
            )
            .text("key", key.clone())
            .text("success_action_status", "200")
            .part("file", file);
        if self.verbose {
            crate::term::note(
                "verbose",
                &format!(
                    "> POST {} (upload of {})",
                    endpoints::shown_url(host.as_str()),
                    payload.shown()
                ),
            );
        }
        // No `authorize`: the key never goes to the storage host.
        let response = self
            .http
            .post(host.clone())
            .multipart(form)
            .send()
            .await
            .map_err(|cause| ApiError::Connect {
                url: host.to_string(),
                cause,
            })?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(super::error_from_body(Some(status.as_u16()), &body, None));
        }
        Ok(format!("oss://{key}"))
    }
}

/// The object's file name: the file's own name (no directories), `stdin.EXT` for `-`.
fn upload_name(payload: &Payload) -> String {
    let name = std::path::Path::new(&payload.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "-" && !n.is_empty());
    name.unwrap_or_else(|| {
        let ext = payload.mime.rsplit('/').next().unwrap_or("bin");
        format!("stdin.{ext}")
    })
    .chars()
    .map(|c| if c.is_control() || c == '/' { '_' } else { c })
    .collect()
}

/// A reader as a stream of chunks (the file is never held whole).
pub(super) fn read_chunks(
    reader: Box<dyn std::io::Read + Send>,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    futures_util::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        let mut buf = vec![0; 64 * 1024];
        match reader.read(&mut buf) {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), Some(reader)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}
