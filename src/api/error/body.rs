//! Reading an error out of what a server sent: any body shape (compat, native, an SSE error
//! event, plain text), `Retry-After`, and the request id; every string scrubbed of keys.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::ApiError;
use crate::api::compat;
use crate::secret::scrub;

/// The most bytes of an error body read: enough for any message, and a server that sends
/// more (or never stops) cannot fill memory or hold the error back.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Reads at most `limit` bytes of a body; true when there was more (reading stops there).
async fn read_at_most(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ApiError::Body)? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Reads a whole (non-stream) answer of at most `limit` bytes (`max_event_size`); a larger
/// one is an error naming the limit rather than a buffer without end.
pub async fn read_whole(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, ApiError> {
    read_whole_as(response, limit, "the `max_event_size` limit").await
}

/// [`read_whole`] with the limit named as `limit_name` in the error.
pub async fn read_whole_as(
    mut response: reqwest::Response,
    limit: usize,
    limit_name: &str,
) -> Result<Vec<u8>, ApiError> {
    let (body, more) = read_at_most(&mut response, limit).await?;
    if more {
        return Err(ApiError::Stream(format!(
            "the server sent an answer larger than {}, {limit_name}",
            crate::api::sse::size_text(limit)
        )));
    }
    Ok(body)
}

/// Reads an error body: its first [`ERROR_BODY_LIMIT`] bytes as text (what follows is not
/// read); a body that cannot be read is empty.
pub async fn read_error_body(mut response: reqwest::Response) -> String {
    let body = match read_at_most(&mut response, ERROR_BODY_LIMIT).await {
        Ok((body, _)) => body,
        Err(_) => Vec::new(),
    };
    String::from_utf8_lossy(&body).into_owned()
}

/// The error a 200 body of a non-chat endpoint (embeddings, rerank) carries, if any: an
/// OpenAI-style `error` object, or a native body's non-empty `code`.
pub fn error_in_body(error: Option<&Value>, code: Option<&Value>, body: &str) -> Option<ApiError> {
    if let Some(error) = error {
        let body = serde_json::json!({ "error": error }).to_string();
        return Some(error_from_body(None, &body, None));
    }
    code.is_some_and(|c| c.as_str().is_none_or(|s| !s.is_empty()))
        .then(|| crate::api::native::error_event(body))
}

/// Builds one [`ApiError::Status`] from any error body shape: compat `{"error":{…}}`,
/// native `{"code","message","request_id"}`, mixtures of both, or plain text.
pub fn error_from_body(status: Option<u16>, body: &str, retry_after: Option<Duration>) -> ApiError {
    // A native error can come as an SSE event in a non-2xx body (§4.4):
    // `id:1` / `event:error` / `:HTTP_STATUS/400` / `data:{…}`. Its `data:` line is the body.
    let body = match body
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .filter(|_| body.trim_start().starts_with(['i', 'e', ':', 'd']))
    {
        Some(data) => data.trim(),
        None => body,
    };
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    };
    let inner = json.get("error");
    let (code, message) = match inner {
        Some(Value::Object(e)) => (
            text(e.get("code"))
                .or_else(|| text(e.get("type")))
                .or_else(|| text(json.get("code"))),
            text(e.get("message")).or_else(|| text(json.get("message"))),
        ),
        Some(Value::String(s)) => (text(json.get("code")), Some(s.clone())),
        _ => (text(json.get("code")), text(json.get("message"))),
    };
    let request_id = text(json.get("request_id"));
    let message = message.unwrap_or_else(|| {
        if body.trim().is_empty() {
            status
                .and_then(|s| reqwest::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("empty error response")
                .to_owned()
        } else {
            compat::snippet(body)
        }
    });
    ApiError::Status {
        status,
        code: code.map(scrub),
        message: scrub(message),
        request_id: request_id.map(scrub),
        retry_after,
        base_url: None,
    }
}

/// Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date).
pub(in crate::api) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // A server's number is not trusted to fit a Duration: `inf` or `1e300` means "much
    // longer than we wait", which the retry policy turns into a final error.
    let far = Duration::from_secs(u32::MAX as u64);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        return (ms >= 0.0).then(|| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(far));
    }
    let value = get("retry-after")?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).unwrap_or(far));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Gives an error the request id of the response's headers; the body's stays only when the
/// headers had none (they name the same request; the header is what the gateway logs).
pub(in crate::api) fn with_request_id(mut err: ApiError, header_id: Option<&str>) -> ApiError {
    if let (ApiError::Status { request_id, .. }, Some(id)) = (&mut err, header_id) {
        *request_id = Some(id.to_owned());
    }
    err
}

/// The request id a response's headers carry, scrubbed of keys.
pub(in crate::api) fn request_id_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .or_else(|| headers.get("x-dashscope-request-id"))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(|v| scrub(v.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Exit;
    use reqwest::header::HeaderValue;

    #[test]
    fn both_error_shapes_map_to_one_error() {
        let compat = r#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"b02e"}"#;
        let err = error_from_body(Some(401), compat, None);
        assert_eq!(
            err.to_string(),
            "401 invalid_api_key: Incorrect API key provided. (request id b02e)"
        );
        assert_eq!(err.exit(), Exit::Auth);

        let native =
            r#"{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"824f"}"#;
        let err = error_from_body(Some(401), native, None);
        assert_eq!(
            err.to_string(),
            "401 InvalidApiKey: Invalid API-key provided. (request id 824f)"
        );

        let no_code = r#"{"error":{"message":"You have exceeded your current request limit.","type":"limit_requests"}}"#;
        let err = error_from_body(Some(429), no_code, None);
        assert_eq!(err.code(), Some("limit_requests"));
        assert!(err.is_retryable());
        assert_eq!(err.exit(), Exit::RateLimit);

        let llama = include_str!("../../../tests/fixtures/llama-error-context.json");
        let err = error_from_body(Some(400), llama, None);
        assert_eq!(err.code(), Some("exceed_context_size_error"));
        assert!(err.hint().unwrap().contains("at most 2048 input tokens"));

        let sse = "id:1\nevent:error\n:HTTP_STATUS/400\ndata:{\"code\":\"InvalidParameter\",\"message\":\"<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 983616]\",\"request_id\":\"bd41\"}\n\n";
        let err = error_from_body(Some(400), sse, None);
        assert_eq!(err.code(), Some("InvalidParameter"));
        assert!(!err.to_string().contains('\n'), "{err}");
        assert!(err.hint().unwrap().contains("983616"));

        let err = error_from_body(Some(502), "<html>bad gateway</html>", None);
        assert_eq!(err.to_string(), "502 <html>bad gateway</html>");
        let err = error_from_body(Some(503), "", None);
        assert_eq!(err.to_string(), "503 Service Unavailable");
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        let mut h = HeaderMap::new();
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("1e300"));
        assert!(retry_after(&h).unwrap() > Duration::from_secs(3600));
        h.insert("retry-after-ms", HeaderValue::from_static("inf"));
        assert!(retry_after(&h).unwrap() > Duration::from_secs(3600));
    }
}
